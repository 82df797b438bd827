// The same frame renders the same natively and in the browser: after `await seek(t)`
// the player's canvas equals `manju render <demo> --at t` pixel for pixel — the demo's
// words too, once the page has handed the built-in font to the core (the CLI has it
// built in).
//
// Tolerance: none. Both sides run the same Rust compositor over the same decoded assets
// (images are decoded in Rust, maths goes through libm), so any difference is a bug. The
// PNG is decoded by Chromium with colour-space conversion off, and putImageData /
// getImageData round-trip opaque pixels exactly.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DEMO_MANIFEST, compareWithPng, manju, settled, start, withTempDir } from './helpers.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** Instants worth comparing: plain frames, the intro, and each transition's midpoint (the cut). */
async function instants() {
  const timeline = JSON.parse(manju('timeline', DEMO_MANIFEST));
  const manifest = JSON.parse(await readFile(DEMO_MANIFEST, 'utf8'));
  const { duration, shots } = timeline;
  const times = [0, 0.25, 1.3, duration / 2 + 0.123, duration - 0.2];
  const midpoints = [];
  shots.forEach((shot, i) => {
    const type = manifest.shots?.[i]?.transition?.type;
    if (i > 0 && type && type !== 'cut') {
      midpoints.push(shot.start);
      times.push(shot.start - 0.1); // part-way into the transition
    }
    times.push(shot.start + 0.37);
  });
  assert.ok(midpoints.length > 0, 'the demo has at least one transition to compare');
  times.push(...midpoints);
  return [...new Set(times.map((t) => Math.round(t * 1e6) / 1e6))]
    .filter((t) => t >= 0 && t < duration)
    .sort((a, b) => a - b);
}

test('seek(t) draws exactly what `manju render --at t` draws', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  await page.waitForFunction(() => document.getElementById('player').fontState !== 'loading');
  assert.equal(await page.evaluate(() => document.getElementById('player').fontState), 'ready');
  const times = await instants();

  await withTempDir(async (dir) => {
    // One run of the CLI draws every instant: `<seconds>\t<png>` per line.
    const written = manju('render', DEMO_MANIFEST, '--at', times.join(','), '--out', dir).trim().split('\n');
    assert.equal(written.length, times.length, 'a frame for every instant');
    const failures = [];
    for (const [i, t] of times.entries()) {
      const [at, png] = written[i].split('\t');
      assert.equal(Number(at), t);
      const expected = (await readFile(png)).toString('base64');
      const result = await compareWithPng(page, t, expected);
      // The page shows the frame the CLI drew for that instant.
      const frame = await page.evaluate(() => document.getElementById('player').currentFrame);
      if (path.basename(png) !== `frame-${String(frame).padStart(6, '0')}.png`) failures.push(`t=${t}: the page shows frame ${frame}, the CLI drew ${png}`);
      if (result.sizeMismatch) failures.push(`t=${t}: size ${result.sizeMismatch}`);
      else if (result.differing > 0) {
        failures.push(`t=${t}: ${result.differing} of ${result.pixels} pixels differ (max channel delta ${result.maxDelta}; first at ${JSON.stringify(result.first)})`);
      }
    }
    assert.deepEqual(failures, [], `frames compared at ${times.join(', ')} s`);
  });
});
