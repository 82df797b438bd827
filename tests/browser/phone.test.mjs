// On a phone: the vertical video fills the screen's width under the top bar (a phone is
// taller than 9:16), the controls are large enough for a finger, and touch plays, seeks
// by dragging the bar (with the preview) and unmutes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadedAll, settled, start } from './helpers.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

test('a phone-sized touch screen: the picture fills it, controls are finger-sized, touch drives them', async () => {
  const { page, log } = await env.newPage({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await page.goto(env.url);
  await settled(page);
  await loadedAll(page);
  const layout = await page.evaluate(() => {
    const p = document.getElementById('player');
    const canvas = p.canvas.getBoundingClientRect();
    const buttons = [...p.shadowRoot.querySelectorAll('.controls button')]
      .filter((b) => b.getBoundingClientRect().width > 0)
      .map((b) => ({ cls: b.className, w: b.getBoundingClientRect().width, h: b.getBoundingClientRect().height }));
    const controls = p.shadowRoot.querySelector('.controls').getBoundingClientRect();
    return { canvas: { w: canvas.width, h: canvas.height, bottom: canvas.bottom }, buttons, controls: { bottom: controls.bottom, right: controls.right }, vw: innerWidth, vh: innerHeight };
  });
  // The 9:16 picture is as wide as the screen allows (less the page's margins) …
  const shown = Math.min(layout.canvas.w, (layout.canvas.h * 9) / 16);
  assert.ok(shown >= layout.vw - 24, `the picture is ${shown} px wide on a ${layout.vw} px screen`);
  // … and the controls are on screen without scrolling, under it.
  assert.ok(layout.controls.bottom <= layout.vh, `controls end at ${layout.controls.bottom} of ${layout.vh}`);
  assert.ok(layout.controls.right <= layout.vw);
  for (const b of layout.buttons) assert.ok(b.w >= 40 && b.h >= 40, `${b.cls} is ${b.w}×${b.h}: finger-sized`);

  const shadow = page.locator('manju-player');
  await shadow.locator('button.play').tap();
  await page.waitForFunction(() => !document.getElementById('player').paused);
  await shadow.locator('button.play').tap();
  await page.waitForFunction(() => document.getElementById('player').paused);

  // Dragging the bar with a finger scrubs, with the preview above the finger.
  const bar = await shadow.locator('input.seek').boundingBox();
  const y = bar.y + bar.height / 2;
  const client = await page.context().newCDPSession(page);
  const touch = (type, x) => client.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  await touch('touchStart', bar.x + bar.width * 0.2);
  for (let i = 3; i <= 7; i++) await touch('touchMove', bar.x + bar.width * (i / 10));
  await page.waitForFunction(() => !document.getElementById('player').shadowRoot.querySelector('.preview').hidden);
  await touch('touchEnd');
  const t = await page.evaluate(() => document.getElementById('player').currentTime);
  const duration = await page.evaluate(() => document.getElementById('player').duration);
  assert.ok(t > duration * 0.6 && t < duration * 0.8, `the drag seeked to ${t} of ${duration}`);
  assert.deepEqual(log.errors, []);
});

test('at 360×740 every control of the player and the page is visible, on screen, finger-sized, and none overlaps another', async () => {
  const { page, log } = await env.newPage({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await page.goto(env.url);
  await settled(page);
  await loadedAll(page);
  const found = await page.evaluate(() => {
    const p = document.getElementById('player');
    const shown = (el) => {
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return style.display !== 'none' && style.visibility !== 'hidden' && r.width > 0 && r.height > 0;
    };
    // The part of `el` its scroll box shows (a line of the dialogue sheet scrolled out of
    // the sheet's own box is reached by scrolling that box: it overlaps nothing).
    const seen = (el) => {
      let r = el.getBoundingClientRect();
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowY === 'visible') continue;
        const b = up.getBoundingClientRect();
        const left = Math.max(r.left, b.left), right = Math.min(r.right, b.right);
        const top = Math.max(r.top, b.top), bottom = Math.min(r.bottom, b.bottom);
        r = { left, right: Math.max(left, right), top, bottom: Math.max(top, bottom) };
      }
      return r;
    };
    const box = (el, where) => {
      const r = el.getBoundingClientRect();
      const v = seen(el);
      return {
        seen: { left: v.left + scrollX, right: v.right + scrollX, top: v.top + scrollY, bottom: v.bottom + scrollY },
        where,
        name: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.className,
        cls: el.className,
        text: el.textContent.trim(),
        clipped: el.scrollWidth > el.clientWidth + 1,
        // Page coordinates: the panel's controls are below the fold, reached by scrolling.
        left: r.left + scrollX, right: r.right + scrollX, top: r.top + scrollY, bottom: r.bottom + scrollY,
        width: r.width, height: r.height,
        shown: shown(el),
      };
    };
    const selector = 'button, select, input:not([type="file"]), a[href]';
    const player = [...p.shadowRoot.querySelectorAll(`.controls :is(${selector})`)].map((el) => box(el, 'player'));
    // The page's own controls; those hidden on purpose (the file inputs behind their
    // buttons, a toast not shown, a tool not offered here) are not controls to reach.
    const pageControls = [...document.querySelectorAll(selector)]
      .filter((el) => !el.closest('[hidden]') && !el.hidden)
      .map((el) => box(el, el.closest('.topbar') ? 'top bar' : 'panel'));
    return { player, page: pageControls, vw: innerWidth, vh: innerHeight, docWidth: document.documentElement.scrollWidth };
  });
  assert.equal(found.docWidth, found.vw, 'nothing makes the page wider than the screen');
  // On a phone the device's buttons set the volume: the slider gives way, mute stays.
  const volume = found.player.filter((c) => c.cls === 'volume');
  assert.equal(volume.length, 1);
  const controls = [...found.player.filter((c) => c.cls !== 'volume'), ...found.page];
  for (const name of ['Play', 'Playback speed', 'Loop the episode', 'Mute', 'Keyboard shortcuts', 'Full screen', 'Seek']) {
    assert.ok(found.player.some((c) => c.name === name), `the player has its ${name} control`);
  }
  assert.ok(found.player.some((c) => c.cls === 'clock'), 'the time readout is there');
  const topBar = found.page.filter((c) => c.where === 'top bar').map((c) => c.text);
  assert.deepEqual(topBar, ['Open folder…', 'Open .zip…'], 'the top bar\'s buttons say what they do');
  for (const c of controls) {
    assert.ok(c.shown, `${c.where} ${c.name} is visible`);
    assert.ok(c.left >= 0 && c.right <= found.vw + 0.5, `${c.where} ${c.name} is inside the screen's width (${c.left}–${c.right})`);
    assert.ok(c.height >= 24 && (c.width >= 24 || c.cls === 'seek'), `${c.where} ${c.name} is ${c.width}×${c.height}: at least 24 px`);
    if (c.cls !== 'seek' && c.where !== 'panel') assert.ok(!c.clipped, `${c.where} ${c.name} shows its whole label`);
    // The player and the top bar are on screen without scrolling.
    if (c.where !== 'panel') assert.ok(c.top >= 0 && c.bottom <= found.vh + 0.5, `${c.where} ${c.name} is on screen (${c.top}–${c.bottom} of ${found.vh})`);
  }
  for (const [i, { seen: a, ...first }] of controls.entries()) {
    for (const { seen: b, ...second } of controls.slice(i + 1)) {
      const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
      assert.ok(!overlap, `${first.where} ${first.name} and ${second.where} ${second.name} do not overlap`);
    }
  }
  // The readout does not crowd the speed menu: room between them.
  const clock = found.player.find((c) => c.cls === 'clock');
  const speed = found.player.find((c) => c.name === 'Playback speed');
  assert.ok(speed.left - clock.right >= 4, `${speed.left - clock.right} px between the time and the speed menu`);
  assert.deepEqual(log.errors, []);
});
