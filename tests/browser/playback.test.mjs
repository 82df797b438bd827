// The page opens the bundled demo, plays it, and the picture moves; controls and keyboard
// drive the player; the page runs under the server's strict CSP.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canvasDigest, cspViolations, settled, start } from './helpers.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const player = (page, expression) => page.evaluate(`(() => { const p = document.getElementById('player'); return ${expression}; })()`);

async function assertClean(page, log) {
  assert.deepEqual(await cspViolations(page, log), [], 'no Content-Security-Policy violations');
  assert.deepEqual(log.errors, [], 'no uncaught page errors');
}

test('the page loads the demo, plays it, and the frames change over time', async () => {
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', `the demo is playable: ${JSON.stringify(problems)}`);
  assert.deepEqual(problems.filter((p) => p.severity === 'error'), [], 'the demo has no errors');
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', 'the page saw the ready event');
  const size = await player(page, '[p.width, p.height, p.canvas.width, p.canvas.height]');
  assert.deepEqual(size.slice(2), size.slice(0, 2), 'the canvas has the drama\'s size');
  assert.ok((await player(page, 'p.duration')) > 3, 'the demo lasts more than 3 s');

  await player(page, 'p.play()');
  assert.equal(await player(page, 'p.paused'), false);
  await page.waitForFunction(() => document.getElementById('player').currentTime > 1.2);
  const early = await canvasDigest(page);
  // Over one second of the page's own clock, playback advances one second: the position is
  // derived from elapsed time, not counted in frames.
  const rate = await page.evaluate(async () => {
    const p = document.getElementById('player');
    const t0 = p.currentTime;
    const w0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { played: p.currentTime - t0, wall: (performance.now() - w0) / 1000 };
  });
  await page.waitForFunction(() => document.getElementById('player').currentTime > 2.6);
  const later = await canvasDigest(page);

  assert.notEqual(early.hash, later.hash, 'the picture at ~2.6 s differs from the one at ~1.2 s');
  assert.ok(later.sampledColours > 1, 'the frame is not one flat colour');
  assert.ok(Math.abs(rate.played - rate.wall) < 0.1, `played ${rate.played.toFixed(3)} s in ${rate.wall.toFixed(3)} s`);
  const frame = await page.locator('manju-player').locator('.frame').textContent();
  assert.match(frame, /^frame \d+$/, 'the control bar shows the frame on screen');
  await player(page, 'p.pause()');
  assert.equal(await player(page, 'p.paused'), true);
  await assertClean(page, log);
});

test('playback stops at the end with an ended event', async () => {
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const ended = await page.evaluate(async () => {
    const p = document.getElementById('player');
    const events = [];
    for (const type of ['play', 'pause', 'ended', 'seeked']) p.addEventListener(type, () => events.push(type));
    await p.seek(p.duration - 0.4);
    const done = new Promise((resolve) => p.addEventListener('ended', resolve, { once: true }));
    await p.play();
    await done;
    return { events, paused: p.paused, currentTime: p.currentTime, duration: p.duration };
  });
  assert.deepEqual(ended.events, ['seeked', 'play', 'pause', 'ended']);
  assert.equal(ended.paused, true);
  assert.equal(ended.currentTime, ended.duration);
  // Playing again starts over.
  await player(page, 'p.play()');
  assert.ok((await player(page, 'p.currentTime')) < 1);
  await player(page, 'p.pause()');
  await assertClean(page, log);
});

test('the controls and the keyboard drive the player', async () => {
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const shadow = page.locator('manju-player');

  await shadow.locator('button.play').click();
  assert.equal(await player(page, 'p.paused'), false, 'the play button plays');
  assert.equal(await shadow.locator('button.play').getAttribute('aria-label'), 'Pause');
  await shadow.locator('button.play').click();
  assert.equal(await player(page, 'p.paused'), true, 'and pauses');

  await page.locator('#player').focus();
  await page.keyboard.press('Space');
  assert.equal(await player(page, 'p.paused'), false, 'Space plays when the player has focus');
  await page.keyboard.press('Space');
  assert.equal(await player(page, 'p.paused'), true, 'Space pauses');

  await player(page, 'p.seek(1)');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => Math.abs(document.getElementById('player').currentTime - 2) < 1e-6);
  const before = await player(page, 'p.currentTime');
  await page.keyboard.press('.');
  await page.waitForFunction((t) => document.getElementById('player').currentTime > t, before);
  const fps = await player(page, 'p.fps');
  const step = (await player(page, 'p.currentTime')) - before;
  assert.ok(step > 0 && step <= 1 / fps + 1e-5, `"." steps one frame (${step})`);

  // The seek bar: a range input whose value follows the player, and which seeks.
  const seek = shadow.locator('input.seek');
  assert.equal(Number(await seek.getAttribute('max')), await player(page, 'p.duration'));
  await seek.fill('3.5');
  await page.waitForFunction(() => Math.abs(document.getElementById('player').currentTime - 3.5) < 1e-6);
  assert.match(await shadow.locator('.clock').textContent(), /^00:03\.50 \/ /);
  assert.match(await shadow.locator('.frame').textContent(), /^frame 105$/);
  await assertClean(page, log);
});

test('the page runs under the Content-Security-Policy the server sends', async () => {
  const { page, log } = await env.newPage();
  const response = await page.goto(env.url);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, 'the server sends the strict CSP');
  assert.match(csp, /style-src 'self'(;|$)/);
  await settled(page);
  await player(page, 'p.play()');
  await page.waitForFunction(() => document.getElementById('player').currentTime > 0.5);
  await player(page, 'p.pause()');
  // The error path too: a fatal manifest shown on the page.
  await page.evaluate(() => document.getElementById('player').load({ manifestText: '{ nope', files: new Map() }));
  await settled(page);
  const cssLoaded = await page.evaluate(() => {
    const stage = document.getElementById('player').shadowRoot.querySelector('.error');
    return getComputedStyle(stage).display;
  });
  assert.equal(cssLoaded, 'flex', 'the player\'s stylesheet applies in its shadow root');
  await assertClean(page, log);
});
