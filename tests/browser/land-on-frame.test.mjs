// A note must land where it points. Clicking a line in the dialogue sheet (or a shot, or
// `[`/`]`) lands on the first frame that shows it — the first frame starting at or after
// its start, since the frame on screen at an instant is the last one starting at or
// before it (as `manju render` counts) — checked for every line of the demo (30 fps) and
// of the demo at 23.976 fps (24000/1001), against frame numbers worked out here in exact
// integers, and against the CLI's pixels. The readout shows the frame on screen (its time,
// number or timecode; a click cycles, the choice is kept). The player opens on a picture
// (the first frame after the intro's fade from black), and once it has played a pause
// leaves the picture uncovered.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { DEMO_MANIFEST, compareWithPng, loadedAll, manju, settled, start, withTempDir } from './helpers.mjs';
import { readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

const demoText = await readFile(DEMO_MANIFEST, 'utf8');
const ntscText = JSON.stringify({ ...JSON.parse(demoText), canvas: { ...JSON.parse(demoText).canvas, fps: 23.976 } });

let env;
before(async () => {
  env = await start({
    // The demo at 23.976 fps, beside the demo so its assets resolve the same way.
    handler: (req, res, urlPath) => {
      if (urlPath !== '/demo/ntsc.json') return false;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(ntscText);
      return true;
    },
  });
});
after(async () => {
  await env?.close();
});

/** Exact frame arithmetic at `num/den` fps, in microseconds, as src/time.rs counts. */
function frames(num, den) {
  const N = BigInt(num);
  const D = BigInt(den) * 1_000_000n;
  const start = (n) => Number((2n * BigInt(n) * D + N) / (2n * N)); // rounded half up
  return {
    start,
    /** the last frame starting at or before t */
    at: (t) => {
      let n = Math.floor((t * num) / (den * 1e6));
      while (start(n + 1) <= t) n++;
      while (start(n) > t) n--;
      return n;
    },
    /** the first frame starting at or after t */
    from: (t) => {
      let n = Math.max(0, Math.floor((t * num) / (den * 1e6)) - 1);
      while (start(n) < t) n++;
      return n;
    },
  };
}

async function open(page, src = '') {
  await page.goto(`${env.url}${src ? `?src=${src}` : ''}`);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  await loadedAll(page);
  await page.waitForFunction(() => document.getElementById('player').fontState === 'ready');
}

/** Clicks `target` (a locator); resolves once the player has seeked. */
async function clickToSeek(page, target) {
  const seeks = await page.evaluate(() => {
    const p = document.getElementById('player');
    window.__seeks ??= 0;
    if (!window.__counting) {
      p.addEventListener('seeked', () => window.__seeks++);
      window.__counting = true;
    }
    return window.__seeks;
  });
  await target.click();
  await page.waitForFunction((n) => window.__seeks > n, seeks);
}

for (const [name, src, num, den] of [['the demo (30 fps)', '', 30, 1], ['the demo at 23.976 fps', 'demo/ntsc.json', 24000, 1001]]) {
  test(`${name}: clicking each line lands on the first frame that shows it`, async () => {
    const { page, log } = await env.newPage();
    await open(page, src);
    const { fps, lines, frameCount } = await page.evaluate(() => {
      const p = document.getElementById('player');
      return { fps: p.fps, lines: p.timeline.lines, frameCount: Math.round(p.duration * p.fps) };
    });
    assert.ok(Math.abs(fps - num / den) < 1e-9, `the drama plays at ${num}/${den} fps (${fps})`);
    const f = frames(num, den);
    const paths = await page.$$eval('#dialogue > li', (items) => items.map((li) => li.dataset.path));
    assert.equal(paths.length, lines.length);
    assert.ok(lines.length >= 9);
    let fellBetween = 0;
    const landed = [];
    for (const [i, path] of paths.entries()) {
      const line = lines.find((l) => l.path === path);
      const start = Math.round(line.start * 1e6);
      const want = f.from(start);
      // The instant itself falls on the frame before whenever it is not on a frame's start.
      if (f.at(start) !== want) fellBetween++;
      // Start elsewhere, so the click has somewhere to go.
      await page.evaluate((n) => document.getElementById('player').seekToFrame(n), (want + frameCount / 2) % frameCount);
      await clickToSeek(page, page.locator('#dialogue > li').nth(i).locator('button.cue'));
      const shown = await page.evaluate(() => {
        const p = document.getElementById('player');
        const rows = [...document.querySelectorAll('#dialogue > li')];
        return {
          frame: p.currentFrame,
          time: p.currentTime,
          marked: rows.map((li, k) => (li.querySelector('.cue').getAttribute('aria-current') === 'true' ? k : -1)).filter((k) => k >= 0),
          readout: p.shadowRoot.querySelector('.time').textContent,
        };
      });
      assert.equal(shown.frame, want, `line ${i} (${path}, starts at ${line.start} s): frame ${want} is the first to show it`);
      // That frame shows the line: it starts at or after the line and before its end, and
      // the frame before it starts before the line.
      const frameStart = f.start(want);
      assert.ok(frameStart >= start && frameStart < Math.round(line.end * 1e6), `line ${i} is on at frame ${want}`);
      assert.ok(want === 0 || f.start(want - 1) < start, `frame ${want - 1} does not show line ${i} yet`);
      assert.equal(Math.round(shown.time * 1e6), frameStart, 'the player stands at that frame\'s own instant');
      assert.ok(shown.marked.includes(i), `line ${i} is marked in the sheet (${shown.marked})`);
      landed.push({ frame: want, t: frameStart / 1e6, readout: shown.readout });
    }
    assert.ok(fellBetween > 0, 'some lines start between two frames, so landing on the instant\'s frame would be wrong');

    // The pixels: each landed frame is what `manju render` draws for that frame — the
    // demo's only (the CLI reads the 23.976 fixture from a folder beside the demo's assets).
    if (num === 30) {
      await withTempDir(async (dir) => {
        const written = manju('render', DEMO_MANIFEST, '--at', landed.map((l) => l.t).join(','), '--out', dir).trim().split('\n');
        for (const [i, { frame, t }] of landed.entries()) {
          const png = written[i].split('\t')[1];
          assert.ok(png.endsWith(`frame-${String(frame).padStart(6, '0')}.png`), `the CLI drew frame ${frame} for ${t} s`);
          const result = await compareWithPng(page, t, (await readFile(png)).toString('base64'));
          assert.equal(result.differing, 0, `line ${i}: the canvas is the CLI's frame ${frame} (${JSON.stringify(result.first)})`);
        }
      });
    } else {
      await withTempDir(async (dir) => {
        const demo = path.dirname(DEMO_MANIFEST);
        for (const entry of await readdir(demo)) if (entry !== 'manifest.json') await symlink(path.join(demo, entry), path.join(dir, entry));
        await writeFile(path.join(dir, 'manifest.json'), ntscText);
        const written = manju('render', path.join(dir, 'manifest.json'), '--at', landed.map((l) => l.t).join(','), '--out', path.join(dir, 'out')).trim().split('\n');
        for (const [i, { frame }] of landed.entries()) {
          assert.ok(written[i].endsWith(`frame-${String(frame).padStart(6, '0')}.png`), `the CLI counts frame ${frame} too: ${written[i]}`);
        }
      });
    }
    assert.deepEqual(log.errors, []);
  });
}

test('shots and [ / ] land on a shot\'s first frame too', async () => {
  const { page } = await env.newPage();
  await open(page, 'demo/ntsc.json');
  const shots = await page.evaluate(() => document.getElementById('player').timeline.shots);
  const f = frames(24000, 1001);
  let between = 0;
  for (const [i, shot] of shots.entries()) {
    const start = Math.round(shot.start * 1e6);
    const want = f.from(start);
    if (f.at(start) !== want) between++;
    await page.evaluate(() => document.getElementById('player').seekToFrame(1));
    await clickToSeek(page, page.locator('#shots > li').nth(i).locator('button'));
    assert.equal(await page.evaluate(() => document.getElementById('player').currentFrame), want, `shot ${shot.id}: its first frame`);
  }
  assert.ok(between > 0, 'some shots start between two frames');
  // ] from the first shot goes to the second's first frame, [ back to the first's.
  await page.evaluate(() => document.getElementById('player').seekToFrame(3));
  await page.locator('manju-player').focus();
  await page.keyboard.press(']');
  await page.waitForFunction((n) => document.getElementById('player').currentFrame === n, f.from(Math.round(shots[1].start * 1e6)));
  await page.keyboard.press(']');
  await page.waitForFunction((n) => document.getElementById('player').currentFrame === n, f.from(Math.round(shots[2].start * 1e6)));
  await page.keyboard.press('[');
  await page.waitForFunction((n) => document.getElementById('player').currentFrame === n, f.from(Math.round(shots[1].start * 1e6)));
});

test('the readout shows the frame on screen: its time, its number, its timecode; the choice is kept', async () => {
  const { page } = await env.newPage();
  await open(page, 'demo/ntsc.json');
  const shadow = page.locator('manju-player');
  const readout = async () => ({
    time: await shadow.locator('.time').textContent(),
    of: await shadow.locator('.duration').textContent(),
  });
  const f = frames(24000, 1001);
  // 12.0149 s is on frame 288 (12.012 s) at 23.976 fps: the readout says 12.01, the frame's time.
  const t = 12.0149;
  const n = f.at(Math.round(t * 1e6));
  assert.equal(n, 288);
  await page.evaluate((at) => document.getElementById('player').seek(at), 12.0149);
  assert.equal(await page.evaluate(() => document.getElementById('player').currentFrame), n);
  const atFrame = f.start(n) / 1e6;
  assert.equal(Math.round(atFrame * 1e6), 12_012_000);
  assert.equal((await readout()).time, '00:12.01');
  // A frame whose own time and the instant asked for read differently.
  await page.evaluate(() => document.getElementById('player').seek(20.8949));
  assert.equal(f.at(20_894_900), 500); // frame 500 starts at 20.854 s
  assert.equal((await readout()).time, '00:20.85', 'the frame\'s own time, not the 20.89 asked for');

  const last = await page.evaluate(() => Math.round(document.getElementById('player').duration * 1e6));
  const lastFrame = f.at(last - 1);
  await shadow.locator('button.clock').click();
  assert.deepEqual(await readout(), { time: '500', of: String(lastFrame) });
  assert.equal(await page.evaluate(() => document.getElementById('player').readout), 'frame');
  // Keyboard: the readout is a button in the Tab order.
  await shadow.locator('button.clock').focus();
  await page.keyboard.press('Enter');
  // 500 frames at a nominal 24 a second: 20 s and 20 frames.
  assert.equal((await readout()).time, '00:00:20:20');
  const tc = (k) => `00:${String(Math.floor(Math.floor(k / 24) / 60)).padStart(2, '0')}:${String(Math.floor(k / 24) % 60).padStart(2, '0')}:${String(k % 24).padStart(2, '0')}`;
  assert.equal((await readout()).of, tc(lastFrame));

  // Remembered: a new visit reads timecode.
  await open(page, 'demo/ntsc.json');
  assert.equal(await page.evaluate(() => document.getElementById('player').readout), 'timecode');
  assert.equal((await readout()).time, '00:00:00:00');
  await shadow.locator('button.clock').click();
  assert.equal(await page.evaluate(() => document.getElementById('player').readout), 'time');
  assert.equal((await readout()).time, '00:00.00');
});

/** How much of the canvas is not black: the share of sampled pixels brighter than a shade. */
function litShare(page) {
  return page.evaluate(() => {
    const c = document.getElementById('player').canvas;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    let seen = 0;
    for (let i = 0; i < data.length; i += 4 * 97) {
      seen++;
      if (data[i] + data[i + 1] + data[i + 2] > 60) lit++;
    }
    return lit / seen;
  });
}

test('the player opens on a picture, not the intro\'s black; once played, a pause leaves the picture uncovered', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  // Right after the first shot's images are in (`ready`), before anything else loads or plays.
  assert.equal((await settled(page)).state, 'ready');
  const opened = await page.evaluate(() => ({ t: document.getElementById('player').currentTime, frame: document.getElementById('player').currentFrame }));
  assert.deepEqual(opened, { t: 0, frame: 0 }, 'the playhead is at the start');
  assert.ok(await litShare(page) > 0.5, 'the canvas shows a picture');
  const bigPlay = page.locator('manju-player').locator('.big-play');
  const before = await bigPlay.boundingBox();
  assert.ok(before && before.width >= 60, 'before the first play the big play button invites');

  // The first frame itself is black (the demo fades in from black): the poster stands in for it.
  await page.evaluate(() => document.getElementById('player').seek(0));
  assert.ok(await litShare(page) < 0.01, 'frame 0 of the demo is black');
  await page.evaluate(() => document.getElementById('player').seekToFrame(0));

  await page.evaluate(() => document.getElementById('player').play());
  await page.waitForFunction(() => document.getElementById('player').currentTime > 1);
  await page.evaluate(() => document.getElementById('player').pause());
  const canvas = await page.locator('manju-player').locator('canvas').first().boundingBox();
  const after = await bigPlay.boundingBox();
  const covers = after && after.x < canvas.x + canvas.width && after.x + after.width > canvas.x
    && after.y < canvas.y + canvas.height && after.y + after.height > canvas.y;
  assert.ok(!covers || after.width * after.height <= 40 * 40, `paused after playing, nothing big lies over the picture (${JSON.stringify(after)})`);
  assert.ok(await litShare(page) > 0.5);
  // Clicking the picture still plays.
  await page.locator('manju-player').locator('canvas').first().click();
  await page.waitForFunction(() => !document.getElementById('player').paused);
  await page.evaluate(() => document.getElementById('player').pause());
});
