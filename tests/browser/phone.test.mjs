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
