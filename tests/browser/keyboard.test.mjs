// Every shortcut of the keyboard map (www/player/keys.js), pressed on the focused player
// on the demo drama, and the `?` overlay that lists them. Keys run through Playwright's
// real key events, so focus, shadow DOM retargeting and preventDefault are exercised.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cspViolations, loadedAll, settled, start } from './helpers.mjs';

let env;
let page;
let log;
before(async () => {
  env = await start();
  ({ page, log } = await env.newPage());
  await page.goto(env.url);
  await settled(page);
  await loadedAll(page);
});
after(async () => {
  await env?.close();
});

const player = (expression) => page.evaluate(`(() => { const p = document.getElementById('player'); return ${expression}; })()`);
const near = (a, b, eps = 1e-4) => Math.abs(a - b) < eps;

/** Seeks (paused), focuses the player, presses `key`, and waits for `until` to hold. */
async function press(key, { at = null, until = null } = {}) {
  if (at !== null) await player(`(p.pause(), p.seek(${at}))`);
  await page.locator('#player').focus();
  await page.keyboard.press(key);
  if (until) await page.waitForFunction(`(() => { const p = document.getElementById('player'); return ${until}; })()`, null, { timeout: 5000 });
}

test('Space and K play and pause', async () => {
  await press('Space', { at: 1, until: '!p.paused' });
  await press('Space', { until: 'p.paused' });
  await press('k', { until: '!p.paused' });
  await press('K', { until: 'p.paused' });
});

test('J and L go 5 s back and forward; ← and → one second', async () => {
  await press('l', { at: 10, until: 'Math.abs(p.currentTime - 15) < 1e-4' });
  await press('j', { until: 'Math.abs(p.currentTime - 10) < 1e-4' });
  await press('j', { at: 3, until: 'p.currentTime === 0' }); // clamped at the start
  await press('ArrowRight', { at: 10, until: 'Math.abs(p.currentTime - 11) < 1e-4' });
  await press('ArrowLeft', { until: 'Math.abs(p.currentTime - 10) < 1e-4' });
});

test(', and . step one frame (pausing first), Shift+arrows too', async () => {
  const fps = await player('p.fps');
  await player('p.seek(10)');
  const frame0 = await player('p.currentFrame');
  await press('.', { until: `p.currentFrame === ${frame0 + 1}` });
  await press('.', { until: `p.currentFrame === ${frame0 + 2}` });
  await press(',', { until: `p.currentFrame === ${frame0 + 1}` });
  await press('Shift+ArrowRight', { until: `p.currentFrame === ${frame0 + 2}` });
  await press('Shift+ArrowLeft', { until: `p.currentFrame === ${frame0 + 1}` });
  assert.ok(near(await player('p.currentTime'), (frame0 + 1) / fps, 1e-5));
  // While playing, a step pauses on the frame after the one on screen.
  await player('p.play()');
  await page.waitForFunction(() => document.getElementById('player').currentTime > 10.3);
  await press('.', { until: 'p.paused' });
  const stepped = await player('[p.currentTime, p.frameTime(p.currentFrame)]');
  assert.equal(stepped[0], stepped[1], 'the player stands at the start of the frame shown');
});

test('Home and End, and 0–9 jump to tenths', async () => {
  const duration = await player('p.duration');
  await press('End', { at: 5, until: `p.currentTime === ${duration}` });
  await press('Home', { until: 'p.currentTime === 0' });
  for (const digit of [3, 7, 0, 9]) {
    await press(String(digit), { until: `Math.abs(p.currentTime - ${(duration * digit) / 10}) < 1e-4` });
  }
});

test('[ and ] go to the previous and next shot', async () => {
  const shots = await player('p.timeline.shots');
  const third = shots[2];
  // A shot begins on the first frame that shows it.
  const on = (shot) => `p.currentFrame === p.firstFrameFrom(${shot.start})`;
  await press(']', { at: shots[1].start + 0.5, until: on(third) });
  await press(']', { until: on(shots[3]) });
  // From a shot's first frame, [ goes to the shot before; from inside a shot, to its start.
  await press('[', { until: on(third) });
  await press('[', { at: third.start + 1, until: on(third) });
  await press('[', { at: 0.5, until: 'p.currentTime === 0' });
});

test('M mutes and unmutes; mute and volume are remembered', async () => {
  assert.equal(await player('p.muted'), false);
  await press('m', { until: 'p.muted' });
  assert.equal(await page.locator('manju-player').locator('button.mute').getAttribute('aria-pressed'), 'true');
  await page.reload();
  await settled(page);
  assert.equal(await player('p.muted'), true, 'muted after a reload');
  await press('M', { until: '!p.muted' });
  await player('p.volume = 0.4');
  await page.reload();
  await settled(page);
  await loadedAll(page);
  assert.equal(await player('p.muted'), false);
  assert.equal(await player('p.volume'), 0.4, 'the volume is remembered too');
  assert.equal(await page.locator('manju-player').locator('input.volume').inputValue(), '0.4');
  await player('p.volume = 1');
});

test('< and > change the speed between 0.25× and 2×', async () => {
  await player('p.seek(1)');
  await press('>', { until: 'p.playbackRate === 1.25' });
  for (let i = 0; i < 6; i++) await press('>');
  assert.equal(await player('p.playbackRate'), 2, 'capped at 2×');
  for (let i = 0; i < 10; i++) await press('<');
  assert.equal(await player('p.playbackRate'), 0.25, 'floored at 0.25×');
  assert.equal(await page.locator('manju-player').locator('select.speed').inputValue(), '0.25');
  // At 2×, a second of the page's clock plays two seconds.
  await player('p.playbackRate = 2');
  const played = await page.evaluate(async () => {
    const p = document.getElementById('player');
    await p.seek(2);
    await p.play();
    // Past the scheduling lead (the clock holds until the first sound is due).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const t0 = p.currentTime;
    const w0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 600));
    const result = { played: p.currentTime - t0, wall: (performance.now() - w0) / 1000 };
    p.pause();
    return result;
  });
  assert.ok(Math.abs(played.played - 2 * played.wall) < 0.12, `at 2×: ${JSON.stringify(played)}`);
  await player('p.playbackRate = 1');
});

test('Shift+L (or \\) loops the current shot; I and O set a loop range; the button clears it', async () => {
  const shots = await player('p.timeline.shots');
  const shot = shots[1];
  await press('Shift+L', { at: shot.start + 0.4, until: 'p.loopRange !== null' });
  assert.deepEqual(await player('p.loopRange'), { start: shot.start, end: shot.end });
  assert.equal(await page.locator('manju-player').locator('.loop-range').isVisible(), true, 'the range shows on the seek bar');
  // Playing from near the shot's end comes round to its start, not into the next shot.
  await player(`p.seek(${shot.end - 0.15})`);
  await player('p.play()');
  await page.waitForFunction((s) => {
    const t = document.getElementById('player').currentTime;
    return t >= s.start && t < s.start + 0.5;
  }, shot, { timeout: 5000 });
  await player('p.pause()');
  assert.ok((await player('p.currentTime')) < shot.end);
  await press('Shift+L', { until: 'p.loopRange === null' });
  await press('\\', { until: 'p.loopRange !== null' });
  await press('\\', { until: 'p.loopRange === null' });
  // L alone is still "forward 5 s".
  await press('l', { at: 2, until: 'Math.abs(p.currentTime - 7) < 1e-4' });
  assert.equal(await player('p.loopRange'), null);

  await press('i', { at: 4, until: 'p.loopRange !== null' });
  await press('o', { at: 6.5, until: 'p.loopRange && p.loopRange.end === 6.5' });
  assert.deepEqual(await player('p.loopRange'), { start: 4, end: 6.5 });
  const loop = page.locator('manju-player').locator('button.loop');
  assert.equal(await loop.getAttribute('aria-pressed'), 'true');
  await loop.click();
  assert.equal(await player('p.loopRange'), null, 'the loop button clears a range');
  await loop.click();
  assert.equal(await player('p.loop'), true, 'and then loops the episode');
  await loop.click();
  assert.equal(await player('p.loop'), false);
});

test('F toggles full screen on the player', async () => {
  await press('f', { at: 1 });
  await page.waitForFunction(() => document.fullscreenElement === document.getElementById('player'), null, { timeout: 5000 });
  // The label follows the fullscreenchange event, which may come a task after the element is set.
  const label = page.locator('manju-player').locator('button.fullscreen');
  await page.waitForFunction((el) => el.getAttribute('aria-label') === 'Exit full screen', await label.elementHandle(), { timeout: 5000 });
  assert.equal(await label.getAttribute('aria-label'), 'Exit full screen');
  await press('f');
  await page.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 5000 });
});

test('? opens the shortcut overlay, which lists every key; Escape closes it', async () => {
  await press('?', { at: 1 });
  const dialog = page.locator('manju-player').locator('dialog.shortcuts');
  await dialog.waitFor({ state: 'visible' });
  const text = await dialog.textContent();
  for (const key of ['Space', 'K', 'J', 'L', '←', '→', ',', '.', 'Home', 'End', '[', ']', '0', '9', 'M', 'F', '<', '>', 'Shift L', 'I', 'O', '?']) {
    assert.ok(text.includes(key), `the overlay names ${key}`);
  }
  assert.match(text, /Loop the current shot/);
  // Keys do not reach the player while it is open.
  const t = await player('p.currentTime');
  await page.keyboard.press('l');
  assert.equal(await player('p.currentTime'), t);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // The button opens it too.
  await page.locator('manju-player').locator('button.help').click();
  await dialog.waitFor({ state: 'visible' });
  await page.locator('manju-player').locator('button.help-close').click();
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(await cspViolations(page, log), []);
  assert.deepEqual(log.errors, []);
});

test('keys typed into the controls stay theirs', async () => {
  await player('p.seek(5)');
  // The speed menu takes its own arrows; the volume slider its own.
  const speed = page.locator('manju-player').locator('select.speed');
  await speed.focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await player('p.currentTime'), 5);
  const volume = page.locator('manju-player').locator('input.volume');
  await volume.focus();
  const before = await player('p.volume');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await player('p.currentTime'), 5, 'arrows on the volume slider do not seek');
  assert.ok((await player('p.volume')) < before, 'they turn the volume down');
  await player('p.volume = 1');
});
