// Where a note points, the two ways beside C, I/O, the shot list and the dialogue sheet
// (www/player/seekbar.js setRangeSelect, www/review/composer.js About), against a real
// `manju serve` (set up by ./review-helpers.mjs): a Shift+drag by mouse over the seek bar
// makes a range note whose stored range is the frames under the drag's two ends (worked
// out here from the bar's geometry and the player's frame arithmetic), shown as a span;
// a plain drag still only scrubs; Escape drops a drag; a finger dragged along the lane
// above the bar (real touch events, a phone-sized touch screen) does what Shift+drag
// does; a note about one layer of the shot (from the About list, and picked on the
// picture with Alt+click or Pick on picture) is stored with the layer's index and shown
// by its name, and a draft keeps its layer over a reload; axe finds nothing with the
// About control showing. No CSP violation anywhere. Waits poll; no fixed sleeps.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeSource, ready, startReview } from './review-helpers.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

let room;

before(async () => {
  room = await startReview();
});

after(() => room?.close());

/** A commenter's page on a fresh share link. */
async function commenter(name, options) {
  const token = await room.shareLink('comment');
  return room.reviewer(`${room.server.url}#share=${token}`, name, options);
}

/**
 * The seek bar in viewport pixels, and the frame under each of `xs` as a press there
 * picks it: the range input's thumb travels its width less the thumb (14 px, 18 on a
 * touch screen), the instant is that fraction of the duration, and the frame is the one
 * on screen then (the last starting at or before it: `firstFrameFrom`, one back when that
 * frame starts later).
 */
function underPointer(page, xs) {
  return page.evaluate((points) => {
    const p = document.getElementById('player');
    const r = p.shadowRoot.querySelector('input.seek').getBoundingClientRect();
    const half = matchMedia('(pointer: coarse)').matches ? 9 : 7;
    const frames = points.map((x) => {
      const t = Math.min(Math.max(((x - r.left - half) / (r.width - 2 * half)) * p.duration, 0), p.duration);
      const f = p.firstFrameFrom(t);
      return p.frameTime(f) > t + 1e-9 ? f - 1 : f;
    });
    return { left: r.left, width: r.width, top: r.top, height: r.height, frames };
  }, xs);
}

async function seekBar(page) {
  return underPointer(page, []);
}

const composerOpen = (page) => page.locator('form.composer').isVisible();
const draftSpan = (page) => page.locator('manju-player .range-draft');

/** Types `body` in the open composer and sends it; resolves with the note as the server stored it. */
async function send(page, body) {
  await page.locator('#composer-body').fill(body);
  await page.locator('#composer-body').press('Control+Enter');
  const list = await room.untilServer((l) => l.some((c) => c.body === body));
  return list.find((c) => c.body === body);
}

test('Shift+drag over the seek bar: the note covers the frames under the two ends, paused and looped, and shows as a span', async () => {
  const { page, context, errors, csp } = await commenter('Drag');
  await page.evaluate(() => document.getElementById('player').seekToFrame(40));
  const bar = await seekBar(page);
  const y = bar.top + bar.height / 2;
  const [x0, x1] = [bar.left + bar.width * 0.62, bar.left + bar.width * 0.31];
  const { frames: [f1, f0] } = await underPointer(page, [x0, x1]);
  assert.ok(f0 + 10 < f1, `a range of frames: ${f0}–${f1}`);

  await page.mouse.move(x0, y);
  await page.keyboard.down('Shift');
  await page.mouse.down();
  await page.mouse.move((x0 + x1) / 2, y, { steps: 5 });
  // The span being dragged shows, and the preview reads its times.
  await draftSpan(page).waitFor();
  assert.match(await page.locator('manju-player .preview-time').textContent(), /^\d\d:\d\d\.\d\d–\d\d:\d\d\.\d\d$/);
  await page.mouse.move(x1, y, { steps: 5 });
  const [left, width] = await draftSpan(page).evaluate((el) => [parseFloat(el.style.left), parseFloat(el.style.width)]);
  // The slider never took the press: its thumb is still on frame 40.
  assert.equal(await page.evaluate(() => {
    const p = document.getElementById('player');
    return Number(p.shadowRoot.querySelector('input.seek').value) - p.frameTime(40);
  }), 0);
  await page.mouse.up();
  await page.keyboard.up('Shift');
  assert.ok(width > 20 && width < 40, `the span covers about 31 % of the bar: ${left} + ${width}`);
  await draftSpan(page).waitFor({ state: 'hidden' });

  await page.locator('form.composer').waitFor();
  assert.match(await page.locator('.composer-where').textContent(), new RegExp(`frames ${f0}–${f1}`));
  const state = await page.evaluate(() => {
    const p = document.getElementById('player');
    return { paused: p.paused, loop: p.loopRange };
  });
  assert.equal(state.paused, true);
  const [t0, t1] = await page.evaluate(([a, b]) => [a, b].map((f) => document.getElementById('player').frameTime(f)), [f0, f1]);
  assert.deepEqual(state.loop, { start: t0, end: t1 }, 'looped as I and O would');
  // The frame shown is the range's first (the composer went there).
  await page.waitForFunction((f) => document.getElementById('player').currentFrame === f, f0);

  const stored = await send(page, `这一段拖出来的 ${Date.now()}`);
  assert.deepEqual([stored.anchor.frame, stored.anchor.frame_end, stored.anchor.range], [f0, f1 + 1, true]);
  const span = page.locator(`manju-player .marker.range[data-id="${stored.id}"]`);
  await span.waitFor({ state: 'attached' });
  const [spanLeft, spanWidth, expected] = await span.evaluate((el, [a, b]) => {
    const p = document.getElementById('player');
    return [parseFloat(el.style.left), parseFloat(el.style.width), [(100 * p.frameTime(a)) / p.duration, (100 * (p.frameTime(b) - p.frameTime(a))) / p.duration]];
  }, [f0, f1 + 1]);
  // The style keeps four decimals of a percent.
  assert.ok(Math.abs(spanLeft - expected[0]) < 1e-3 && Math.abs(spanWidth - expected[1]) < 1e-3, `${spanLeft} ${spanWidth} vs ${expected}`);
  assert.deepEqual(errors, []);
  assert.deepEqual(await csp(), []);
  await context.close();
});

test('a plain drag on the seek bar only scrubs, and Escape drops a Shift+drag', async () => {
  const { page, context, errors } = await commenter('Scrub');
  const bar = await seekBar(page);
  const y = bar.top + bar.height / 2;
  const [x0, x1] = [bar.left + bar.width * 0.2, bar.left + bar.width * 0.5];
  const { frames: [, f1] } = await underPointer(page, [x0, x1]);
  await page.mouse.move(x0, y);
  await page.mouse.down();
  await page.mouse.move(x1, y, { steps: 6 });
  assert.equal(await draftSpan(page).isVisible(), false, 'no span while scrubbing');
  await page.mouse.up();
  await page.waitForFunction((f) => Math.abs(document.getElementById('player').currentFrame - f) <= 1, f1);
  assert.equal(await composerOpen(page), false, 'no composer');
  assert.equal(await page.evaluate(() => document.getElementById('player').loopRange), null, 'no loop');

  // Shift+drag, Escape before the release: nothing is picked, nothing moved.
  const before = await page.evaluate(() => document.getElementById('player').currentFrame);
  await page.mouse.move(x1, y);
  await page.keyboard.down('Shift');
  await page.mouse.down();
  await page.mouse.move(x0, y, { steps: 6 });
  await draftSpan(page).waitFor();
  await page.keyboard.press('Escape');
  await draftSpan(page).waitFor({ state: 'hidden' });
  await page.mouse.move(bar.left + bar.width * 0.1, y, { steps: 3 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  assert.equal(await composerOpen(page), false, 'no composer after Escape');
  assert.equal(await page.evaluate(() => document.getElementById('player').loopRange), null);
  assert.equal(await page.evaluate(() => document.getElementById('player').currentFrame), before, 'the bar did not scrub');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a touch screen a finger dragged along the lane above the bar makes a range note', async () => {
  const { page, context, errors, csp } = await commenter('Touch', PHONE);
  assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true);
  await page.locator('#player').scrollIntoViewIfNeeded();
  const bar = await seekBar(page);
  const lane = await page.locator('manju-player .range-lane').boundingBox();
  assert.ok(lane.height >= 24, `finger-sized: ${lane.height} px`);
  assert.ok(lane.y + lane.height <= bar.top + bar.height / 2 - 8, 'clear of the thumb');
  const y = lane.y + lane.height / 2;
  const [x0, x1] = [bar.left + bar.width * 0.25, bar.left + bar.width * 0.55];
  const { frames: [f0, f1] } = await underPointer(page, [x0, x1]);
  const cdp = await context.newCDPSession(page);
  const touch = (type, x) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  await touch('touchStart', x0);
  for (let i = 1; i <= 6; i++) await touch('touchMove', x0 + ((x1 - x0) * i) / 6);
  await draftSpan(page).waitFor();
  await touch('touchEnd');
  await page.locator('form.composer').waitFor();
  assert.match(await page.locator('.composer-where').textContent(), new RegExp(`frames ${f0}–${f1}`));
  const stored = await send(page, `手指拖的一段 ${Date.now()}`);
  assert.deepEqual([stored.anchor.frame, stored.anchor.frame_end, stored.anchor.range], [f0, f1 + 1, true]);
  assert.deepEqual(errors, []);
  assert.deepEqual(await csp(), []);
  await context.close();
});

/** The `storm` shot (a room, and 顾辰 on a layer in front of it) near its end, where the camera has settled. */
async function onStorm(page) {
  return page.evaluate(async () => {
    const p = document.getElementById('player');
    const shot = p.timeline.shots.find((s) => s.id === 'storm');
    const frame = p.firstFrameFrom(shot.start + (shot.end - shot.start) * 0.85);
    await p.seekToFrame(frame);
    return frame;
  });
}

/** A point of the canvas (in the drama's pixels) in viewport pixels. */
function onScreen(page, [x, y]) {
  return page.evaluate(([cx, cy]) => {
    const p = document.getElementById('player');
    const r = p.pictureRect();
    return [r.left + (cx / p.width) * r.width, r.top + (cy / p.height) * r.height];
  }, [x, y]);
}

// In the manifest, storm's layer 2 is gu_back.png (520 × 1200), 1:1, its bottom centre at
// (560, 1810): it covers x 300–820, y 610–1810 once the camera is at rest (centred, zoom 1).
const ON_GU = [560, 1200];
const ON_ROOM = [960, 300];

test('a note about a layer: chosen in About, kept in the draft over a reload, stored with its index and shown by name', async () => {
  const { page, context, errors, csp } = await commenter('Layer');
  const frame = await onStorm(page);
  await page.locator('#player').focus();
  await page.keyboard.press('c');
  const about = page.getByLabel('About');
  await about.waitFor();
  assert.deepEqual(await about.locator('option').allTextContents(), ['Whole frame', 'Layer 1 — room (room.jpg)', 'Layer 2 — gu_back (gu_back.png)']);
  assert.equal(await about.inputValue(), '');
  await about.selectOption({ label: 'Layer 2 — gu_back (gu_back.png)' });
  assert.match(await page.locator('.composer-where').textContent(), new RegExp(`frame ${frame} · shot storm · layer 2 \\(gu_back\\)$`));
  const body = `他的背影太暗 ${Date.now()}`;
  await page.locator('#composer-body').fill(body);

  await page.reload();
  await ready(page);
  await page.locator('form.composer').waitFor();
  assert.equal(await page.locator('#composer-body').inputValue(), body);
  assert.equal(await page.getByLabel('About').inputValue(), '1', 'the draft kept its layer');
  assert.match(await page.locator('.composer-where').textContent(), /layer 2 \(gu_back\)$/);

  await page.locator('#composer-body').press('Control+Enter');
  const stored = (await room.untilServer((l) => l.some((c) => c.body === body))).find((c) => c.body === body);
  assert.deepEqual([stored.anchor.frame, stored.anchor.shot, stored.anchor.layer], [frame, 'storm', 1]);
  const item = page.locator(`#notes-card li.note[data-id="${stored.id}"]`);
  await item.waitFor();
  assert.match(await item.locator('.note-anchor').textContent(), /shot storm · layer 2 \(gu_back\)$/);
  // The next note starts on the whole frame again.
  await page.locator('#note-button').click();
  assert.equal(await page.getByLabel('About').inputValue(), '');
  assert.deepEqual(errors, []);
  assert.deepEqual(await csp(), []);
  await context.close();
});

test('picked on the picture: Alt+click, or Pick on picture then a click, takes the topmost layer there', async () => {
  const { page, context, errors, csp } = await commenter('Pick');
  await onStorm(page);
  const paused = () => page.evaluate(() => document.getElementById('player').paused);
  assert.equal(await paused(), true);

  // Alt+click on 顾辰 with the composer closed: it opens, about his layer, still paused.
  const [gx, gy] = await onScreen(page, ON_GU);
  await page.keyboard.down('Alt');
  await page.mouse.click(gx, gy);
  await page.keyboard.up('Alt');
  await page.locator('form.composer').waitFor();
  assert.equal(await page.getByLabel('About').inputValue(), '1');
  assert.equal(await paused(), true, 'the click did not play');

  // Pick on picture, then a plain click on the room behind him.
  const [rx, ry] = await onScreen(page, ON_ROOM);
  await page.getByRole('button', { name: 'Pick on picture' }).click();
  assert.equal(await page.getByRole('button', { name: 'Pick on picture' }).getAttribute('aria-pressed'), 'true');
  await page.mouse.click(rx, ry);
  await page.waitForFunction(() => document.getElementById('composer-layer').value === '0');
  assert.equal(await page.getByRole('button', { name: 'Pick on picture' }).getAttribute('aria-pressed'), 'false');
  assert.equal(await paused(), true, 'the pick did not play');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer-layer');

  // Escape leaves picking without a pick (and keeps the composer).
  await page.getByRole('button', { name: 'Pick on picture' }).click();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByRole('button', { name: 'Pick on picture' }).getAttribute('aria-pressed'), 'false');
  assert.equal(await composerOpen(page), true);

  await page.keyboard.down('Alt');
  await page.mouse.click(gx, gy);
  await page.keyboard.up('Alt');
  await page.waitForFunction(() => document.getElementById('composer-layer').value === '1');
  const stored = await send(page, `点出来的图层 ${Date.now()}`);
  assert.equal(stored.anchor.layer, 1);
  assert.deepEqual(errors, []);
  assert.deepEqual(await csp(), []);
  await context.close();
});

test('no accessibility violations with the About control showing', async () => {
  const axe = await axeSource();
  for (const options of [{}, PHONE]) {
    const { page, context } = await commenter('Axe', { ...options, initScript: axe });
    await onStorm(page);
    await page.locator('#note-button').click();
    await page.getByLabel('About').selectOption('1');
    await page.getByLabel('About').focus();
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(found, [], `at ${options.viewport?.width ?? 1280} px`);
    await context.close();
  }
});
