// Words are the same bits in the browser as in `manju render`: every text golden case
// (tests/golden/text/<case>.json, whose native frames tests/golden.rs checks against
// <case>.png or <case>.<k>.png) is played by <manju-player> — the wasm core with the
// built-in font the page fetched, and the case's own font assets — and each instant its
// `meta.at` names must equal the golden PNG byte for byte.
//
// Tolerance: none, as in render-parity.test.mjs: the same Rust rasterizer and compositor
// run on both sides. The PNG is decoded by Chromium with colour-space conversion off;
// putImageData / getImageData round-trip opaque pixels exactly.

import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { MIME_TYPES, ROOT, compareWithPng, start } from './helpers.mjs';

const GOLDEN = path.join(ROOT, 'tests', 'golden');
const CASES = path.join(GOLDEN, 'text');

let env;
before(async () => {
  // tests/golden/ is served under /golden/ (a case's assets are `../assets/…` and `fonts/…`).
  env = await start({
    demo: false,
    handler: async (req, res, urlPath) => {
      if (!urlPath.startsWith('/golden/')) return false;
      const file = path.resolve(GOLDEN, `.${urlPath.slice('/golden'.length)}`);
      if (!file.startsWith(GOLDEN + path.sep)) return false;
      let body;
      try {
        body = await readFile(file);
      } catch {
        res.writeHead(404).end();
        return true;
      }
      res.writeHead(200, { 'Content-Type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(body);
      return true;
    },
  });
});
after(async () => {
  await env?.close();
});

async function cases() {
  const names = (await readdir(CASES)).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(names.map(async (name) => {
    const manifest = JSON.parse(await readFile(path.join(CASES, name), 'utf8'));
    const at = [manifest.meta.at].flat();
    const base = name.slice(0, -'.json'.length);
    const pngs = at.length === 1 ? [`${base}.png`] : at.map((_, k) => `${base}.${k}.png`);
    return { name, at, pngs };
  }));
}

test('every text golden case renders in the browser exactly as natively', async () => {
  const all = await cases();
  assert.ok(all.length >= 15, `the text cases are there (found ${all.length})`);
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  const failures = [];
  let compared = 0;
  for (const { name, at, pngs } of all) {
    const loaded = await page.evaluate(async (src) => {
      const p = document.getElementById('player');
      const ok = await p.load(src);
      return { ok, problems: p.problems };
    }, `/golden/text/${name}`);
    if (!loaded.ok) {
      failures.push(`${name}: did not load: ${JSON.stringify(loaded.problems)}`);
      continue;
    }
    // The built-in font in, and every asset (a case's own fonts among them).
    await page.waitForFunction(() => {
      const p = document.getElementById('player');
      return p.fontState !== 'loading' && p.fullyLoaded;
    });
    assert.equal(await page.evaluate(() => document.getElementById('player').fontState), 'ready');
    for (const [k, t] of at.entries()) {
      const expected = (await readFile(path.join(CASES, pngs[k]))).toString('base64');
      const result = await compareWithPng(page, t, expected);
      compared++;
      if (result.sizeMismatch) failures.push(`${pngs[k]} (t=${t}): size ${result.sizeMismatch}`);
      else if (result.differing > 0) {
        failures.push(`${pngs[k]} (t=${t}): ${result.differing} of ${result.pixels} pixels differ (max channel delta ${result.maxDelta}; first at ${JSON.stringify(result.first)})`);
      }
    }
  }
  assert.deepEqual(failures, [], `${all.length} cases compared`);
  assert.equal(compared, all.reduce((n, c) => n + c.pngs.length, 0), 'every golden frame was compared');
  assert.deepEqual(log.errors, []);
});
