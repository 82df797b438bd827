// The core's version diff as the page gets it (`diffDramas` in the wasm build without
// SIMD, in Node: no browser) against the native `manju diff --json` on the same two
// folders: the demo, and a copy with one line reworded, one panel repainted (other bytes
// under the same file name) and one shot re-timed. The two must give the same answer,
// and that answer must name each change.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { MANJU_CLI, ROOT } from './helpers.mjs';

let pkg;
let dir;

before(async () => {
  pkg = await import(path.join(ROOT, 'www', 'pkg-nosimd', 'manju.js'));
  await pkg.default({ module_or_path: await readFile(path.join(ROOT, 'www', 'pkg-nosimd', 'manju_bg.wasm')) });
  dir = await mkdtemp(path.join(tmpdir(), 'manju-diff-wasm-'));
  const [v1, v2] = [path.join(dir, 'v1'), path.join(dir, 'v2')];
  await cp(path.join(ROOT, 'www', 'demo'), v1, { recursive: true });
  await cp(path.join(ROOT, 'www', 'demo'), v2, { recursive: true });
  const m = JSON.parse(await readFile(path.join(v2, 'manifest.json'), 'utf8'));
  const shot = (id) => m.shots.find((s) => s.id === id);
  shot('shock').lines[0].text = '这不可能！';
  shot('dusk').duration = 5;
  await writeFile(path.join(v2, 'manifest.json'), JSON.stringify(m, null, 2));
  // Another panel's bytes under the storm shot's file name: repainted, same name.
  const images = (await readdir(path.join(v2, 'img'))).filter((f) => f.endsWith('.png') && f !== 'gu_back.png');
  await cp(path.join(v2, 'img', images[0]), path.join(v2, 'img', 'gu_back.png'));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A session of the folder's manifest with every asset's bytes added, as the page loads one. */
async function session(folder) {
  const s = pkg.Session.load(await readFile(path.join(folder, 'manifest.json'), 'utf8'));
  for (const { id, src } of s.assets()) {
    try {
      s.addAsset(id, await readFile(path.join(folder, src)));
    } catch {
      s.markMissing(id, 'not in the folder');
    }
  }
  s.resolve();
  return s;
}

test('diffDramas (wasm) gives what manju diff --json gives, and names the line, the panel and the timing', async () => {
  const [v1, v2] = [path.join(dir, 'v1'), path.join(dir, 'v2')];
  const wasm = pkg.diffDramas(await session(v1), await session(v2));
  const run = spawnSync(MANJU_CLI, ['diff', '--json', path.join(v1, 'manifest.json'), path.join(v2, 'manifest.json')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const native = JSON.parse(run.stdout);
  assert.deepEqual(JSON.parse(JSON.stringify(wasm)), native, 'the page and the CLI agree');

  const byId = Object.fromEntries(native.shots.map((s) => [s.id, s]));
  const kinds = (id) => JSON.stringify(byId[id]);
  assert.match(kinds('shock'), /words/);
  assert.match(kinds('shock'), /这不可能！/);
  assert.match(kinds('storm'), /picture/);
  assert.match(kinds('dusk'), /timing/);
  const untouched = native.shots.filter((s) => !['shock', 'storm', 'dusk'].includes(s.id));
  assert.ok(untouched.length > 0);
  for (const s of untouched) assert.equal(s.review, false, `${s.id} needs no second look: ${JSON.stringify(s)}`);
});

test('diffDramas refuses a version that cannot be played, and says which', async () => {
  const good = await session(path.join(dir, 'v1'));
  const bad = pkg.Session.load('{"format": "manju/1", "shots": 3}');
  assert.throws(() => pkg.diffDramas(good, bad), /new version cannot be played/);
  assert.throws(() => pkg.diffDramas(bad, good), /old version cannot be played/);
});
