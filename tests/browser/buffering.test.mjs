// Progressive loading on a slow asset server (serve()'s `delays`): the first frame shows
// as soon as the first shot's images are in, before the rest; the seek bar marks which
// shots are loaded; when playback (or a seek) reaches a shot whose images have not
// arrived, the player holds the last frame with a visible buffering state and a
// `waiting` event — never the magenta placeholder of a missing image, never a blank
// frame — and goes on (`playing`) once they are in.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { encodePng, pixelAt, settled, start } from './helpers.mjs';

const RED = [220, 30, 40, 255];
const BLUE = [20, 60, 200, 255];
const YELLOW = [230, 200, 40, 255];
/** When each image is sent, after its request: shot two's late, shot three's later. */
const DELAY_B = 3000;
const DELAY_C = 4500;

let env;
let dir;
const requested = new Map();

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'manju-slow-'));
  await mkdir(dir, { recursive: true });
  for (const [name, colour] of [['a', RED], ['b', BLUE], ['c', YELLOW]]) {
    await writeFile(path.join(dir, `${name}.png`), encodePng(8, 8, () => colour));
  }
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({
    format: 'manju/1',
    title: 'Slow drama',
    canvas: { width: 64, height: 64, fps: 30, background: '#000000' },
    assets: { a: 'a.png', b: 'b.png', c: 'c.png' },
    shots: [
      { id: 'one', duration: 2, layers: [{ image: 'a' }] },
      { id: 'two', duration: 2, layers: [{ image: 'b' }] },
      { id: 'three', duration: 2, layers: [{ image: 'c' }] },
    ],
  }));
  env = await start({
    demo: false,
    delays: [{ match: '/slow/b.png', ms: DELAY_B }, { match: '/slow/c.png', ms: DELAY_C }],
    handler: (req, res, urlPath) => {
      if (!urlPath.startsWith('/slow/')) return false;
      const name = urlPath.slice('/slow/'.length);
      if (!/^[a-z]+\.(png|json)$/.test(name)) return false;
      requested.set(name, Date.now());
      res.writeHead(200, { 'Content-Type': name.endsWith('.json') ? 'application/json' : 'image/png' });
      createReadStream(path.join(dir, name)).pipe(res);
      return true;
    },
  });
});
after(async () => {
  await env?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Records, on every animation frame, whether the canvas shows the magenta placeholder. */
function watchCanvas() {
  window.__samples = { frames: 0, magenta: 0, blank: 0 };
  window.__events = [];
  const watch = () => {
    const p = document.getElementById('player');
    if (p?.state === 'ready') {
      const d = p.canvas.getContext('2d').getImageData(0, 0, p.canvas.width, p.canvas.height).data;
      window.__samples.frames++;
      let magenta = false;
      let opaque = false;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] > 180 && d[i + 1] < 80 && d[i + 2] > 180) magenta = true;
        if (d[i + 3] > 0 && (d[i] | d[i + 1] | d[i + 2]) !== 0) opaque = true;
      }
      if (magenta) window.__samples.magenta++;
      if (!opaque) window.__samples.blank++;
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  document.addEventListener('DOMContentLoaded', () => {
    const p = document.getElementById('player');
    for (const type of ['ready', 'waiting', 'playing', 'canplaythrough']) {
      p.addEventListener(type, () => window.__events.push({ type, t: p.currentTime, at: performance.now() }));
    }
  });
}

test('the first frame comes before the later shots load; playback waits for them, visibly', async () => {
  const { page, log } = await env.newPage({ initScript: watchCanvas });
  const opened = Date.now();
  await page.goto(`${env.url}?src=slow/manifest.json`);
  const { state } = await settled(page);
  assert.equal(state, 'ready');
  const readyAfter = Date.now() - opened;
  assert.ok(readyAfter < DELAY_B, `ready after ${readyAfter} ms, before shot two's image (${DELAY_B} ms)`);
  assert.deepEqual(await pixelAt(page, 32, 32), RED, 'the first frame is drawn');
  assert.equal(await page.evaluate(() => document.getElementById('player').fullyLoaded), false);
  assert.deepEqual(await page.evaluate(() => document.getElementById('player').buffered), [{ start: 0, end: 2 }]);
  const segments = page.locator('manju-player').locator('.segment');
  assert.deepEqual(await segments.evaluateAll((els) => els.map((e) => e.classList.contains('loaded'))), [true, false, false],
    'the seek bar marks shot one loaded');

  await page.evaluate(() => document.getElementById('player').play());
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'waiting'), null, { timeout: 10_000 });
  const waitingAt = await page.evaluate(() => window.__events.find((e) => e.type === 'waiting').t);
  // Within one frame before shot two, when its first frame was due.
  assert.ok(waitingAt >= 2 - 1 / 30 - 1e-6 && waitingAt <= 2 + 1 / 30, `waited at ${waitingAt} s`);
  const during = await page.evaluate(() => {
    const p = document.getElementById('player');
    return { paused: p.paused, waiting: p.waiting, t: p.currentTime };
  });
  assert.deepEqual({ paused: during.paused, waiting: during.waiting }, { paused: false, waiting: true });
  const buffering = page.locator('manju-player').locator('.buffering');
  await buffering.waitFor({ state: 'visible' });
  assert.match(await buffering.textContent(), /Buffering/);
  assert.deepEqual(await pixelAt(page, 32, 32), RED, 'the last frame stays on screen meanwhile');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.getElementById('player').currentTime), during.t, 'the clock holds');

  await page.waitForFunction(() => window.__events.some((e) => e.type === 'playing'), null, { timeout: 10_000 });
  await page.waitForFunction(() => document.getElementById('player').currentTime > 2.2);
  assert.deepEqual(await pixelAt(page, 32, 32), BLUE, 'shot two plays once its image is in');
  assert.equal(await buffering.isVisible(), false);
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'canplaythrough'), null, { timeout: 10_000 });
  await page.evaluate(() => document.getElementById('player').pause());

  const samples = await page.evaluate(() => window.__samples);
  assert.ok(samples.frames > 30, `sampled ${samples.frames} frames`);
  assert.equal(samples.magenta, 0, 'no frame showed the missing-image placeholder');
  assert.equal(samples.blank, 0, 'no frame was blank');
  const wait = await page.evaluate(() => {
    const e = window.__events;
    return e.find((x) => x.type === 'playing').at - e.find((x) => x.type === 'waiting').at;
  });
  assert.ok(wait > 300, `it really waited (${Math.round(wait)} ms)`);
  assert.deepEqual(log.errors, []);
});

test('a seek into a shot still loading resolves once its frame is drawn; the preview waits too', async () => {
  const { page } = await env.newPage({ initScript: watchCanvas });
  await page.goto(`${env.url}?src=slow/manifest.json`);
  await settled(page);
  // Hover shot three on the seek bar: its thumbnail is not drawn yet (no placeholder).
  const seek = page.locator('manju-player').locator('input.seek');
  const box = await seek.boundingBox();
  await page.mouse.move(box.x + box.width * 0.85, box.y + box.height / 2);
  const thumb = page.locator('manju-player').locator('.preview canvas');
  await thumb.waitFor({ state: 'visible' });
  assert.equal(await thumb.getAttribute('data-pending'), 'true');
  assert.equal(await page.locator('manju-player').locator('.preview-shot').textContent(), 'three');

  const seekStarted = Date.now();
  const seeking = page.evaluate(() => document.getElementById('player').seek(5).then(() => performance.now()));
  await page.locator('manju-player').locator('.buffering').waitFor({ state: 'visible' });
  assert.deepEqual(await pixelAt(page, 32, 32), RED, 'the frame before stays while waiting');
  await seeking;
  assert.ok(Date.now() - seekStarted > 1000, 'the seek waited for the image');
  assert.deepEqual(await pixelAt(page, 32, 32), YELLOW);
  await page.waitForFunction(() => document.getElementById('player').shadowRoot.querySelector('.preview canvas').dataset.pending === 'false',
    null, { timeout: 5000 });
  const samples = await page.evaluate(() => window.__samples);
  assert.equal(samples.magenta, 0);
  assert.equal(samples.blank, 0);
});
