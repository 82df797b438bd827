// The three wasm builds (www/pkg/ with SIMD, www/pkg-relaxed/ with relaxed SIMD as well,
// www/pkg-nosimd/ without SIMD; see www/player/wasm-loader.js) make the same pixels as the
// native compositor:
// - each build's row kernels against their per-pixel definition, and its compositor
//   against a reference without shortcuts, on generated display lists (in the SIMD
//   build, this is the SIMD kernels against the scalar arithmetic);
// - every golden image (tests/golden/), rendered by each build in the browser (with the
//   built-in font, www/fonts/manju-sans.otf, handed over as the page does);
// - the page picks the SIMD build when the browser does not validate relaxed SIMD, the
//   plain build when it does not validate SIMD, and plays the same frames with each;
//   and falls back to the next build when a better one is not deployed.
//
// Tolerance: none, as in render-parity.test.mjs.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, settled, start } from './helpers.mjs';

const BUILDS = ['/pkg-relaxed/manju.js', '/pkg/manju.js', '/pkg-nosimd/manju.js'];

let env;
before(async () => {
  for (const build of BUILDS) {
    if (!existsSync(path.join(ROOT, 'www', build))) throw new Error(`www${build} is missing (run: bash scripts/build-wasm.sh)`);
  }
  env = await start();
});
after(async () => {
  await env?.close();
});

/** A page of the site, for importing the builds (same origin, the site's CSP). */
async function sitePage() {
  const { page } = await env.newPage();
  await page.goto(`${env.url}bench/`);
  return page;
}

test('each build checks its kernels and its compositor against their definitions', async () => {
  const page = await sitePage();
  for (const build of BUILDS) {
    const result = await page.evaluate(async (url) => {
      const pkg = await import(url);
      await pkg.default();
      return { simd: pkg.simdBuild(), kernels: pkg.kernelCheck(), compositor: pkg.compositorCheck(300, 11) ?? null };
    }, build);
    assert.equal(result.simd, build !== '/pkg-nosimd/manju.js', `${build} is the build it says`);
    assert.deepEqual(result.kernels, [], `${build}: row kernels`);
    assert.equal(result.compositor, null, `${build}: compositor against the reference`);
  }
});

/** Every golden case: {name, text, assets: {relative path → base64}, frames: [{at, png}]}. */
async function goldenCases() {
  const root = path.join(ROOT, 'tests', 'golden');
  const cases = [];
  for (const area of (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== 'assets')) {
    const dir = path.join(root, area.name);
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
      const text = await readFile(path.join(dir, file), 'utf8');
      const manifest = JSON.parse(text);
      const at = [manifest.meta.at].flat();
      const base = file.replace(/\.json$/, '');
      const frames = [];
      for (const [k, t] of at.entries()) {
        const png = path.join(dir, at.length === 1 ? `${base}.png` : `${base}.${k}.png`);
        frames.push({ at: t, png: (await readFile(png)).toString('base64') });
      }
      const assets = {};
      for (const src of Object.values(manifest.assets ?? {}).map((a) => (typeof a === 'string' ? a : a.src))) {
        const file = path.join(dir, src);
        if (existsSync(file)) assets[src] = (await readFile(file)).toString('base64');
      }
      cases.push({ name: `${area.name}/${base}`, text, assets, frames });
    }
  }
  return cases;
}

test('every build draws every golden image', async () => {
  const cases = await goldenCases();
  assert.ok(cases.length > 40, `found ${cases.length} golden cases`);
  const page = await sitePage();
  await page.evaluate(async () => {
    window.__font = new Uint8Array(await (await fetch('/fonts/manju-sans.otf')).arrayBuffer());
  });
  for (const build of BUILDS) {
    const failures = [];
    for (const c of cases) {
      const result = await page.evaluate(async ([url, c]) => {
        const pkg = await import(url);
        const wasm = await pkg.default();
        const bytes = (b64) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        const session = pkg.Session.load(c.text);
        session.setDefaultFont(window.__font);
        for (const asset of session.assets()) {
          if (c.assets[asset.src]) session.addAsset(asset.id, bytes(c.assets[asset.src]));
          else session.markMissing(asset.id, 'not in the test');
        }
        session.resolve();
        const out = [];
        for (const frame of c.frames) {
          session.renderAt(frame.at);
          const { width, height } = session;
          const got = new Uint8Array(wasm.memory.buffer, session.framePtr(), session.frameLen()).slice();
          const bitmap = await createImageBitmap(new Blob([bytes(frame.png)], { type: 'image/png' }), {
            colorSpaceConversion: 'none',
            premultiplyAlpha: 'none',
          });
          const ctx = new OffscreenCanvas(width, height).getContext('2d');
          ctx.drawImage(bitmap, 0, 0);
          const want = ctx.getImageData(0, 0, width, height).data;
          let differing = 0;
          let first = null;
          for (let i = 0; i < want.length; i += 4) {
            if (want[i] !== got[i] || want[i + 1] !== got[i + 1] || want[i + 2] !== got[i + 2] || want[i + 3] !== got[i + 3]) {
              differing++;
              first ??= { pixel: i / 4, want: [...want.slice(i, i + 4)], got: [...got.slice(i, i + 4)] };
            }
          }
          if (bitmap.width !== width || bitmap.height !== height) out.push(`size ${bitmap.width}×${bitmap.height} ≠ ${width}×${height}`);
          else if (differing) out.push(`at ${frame.at}: ${differing} pixels differ, first ${JSON.stringify(first)}`);
        }
        session.free();
        return out;
      }, [build, c]);
      failures.push(...result.map((r) => `${c.name} ${r}`));
    }
    assert.deepEqual(failures, [], `${build}`);
  }
});

test('without relaxed SIMD the page loads the SIMD build, without SIMD the plain one, and they play the same frames', async () => {
  const frameDigests = async (initScript) => {
    const { page } = await env.newPage({ initScript });
    const wasm = [];
    page.on('request', (r) => {
      if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
    });
    await page.goto(env.url);
    const { state, problems } = await settled(page);
    assert.equal(state, 'ready', JSON.stringify(problems));
    // The words on the frames too: the same with either build once the font is in.
    await page.waitForFunction(() => document.getElementById('player').fontState === 'ready');
    // Into each shot and the middle of each transition: every kind of frame the demo has.
    const times = await page.evaluate(() =>
      document.getElementById('player').timeline.shots.flatMap((shot, i) => (i ? [shot.start, shot.start + 0.3] : [0.3])),
    );
    const digests = [];
    for (const t of times) {
      digests.push(await page.evaluate(async (at) => {
        const player = document.getElementById('player');
        await player.seek(at);
        const c = player.canvas;
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let h = 0x811c9dc5;
        for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193);
        return h >>> 0;
      }, t));
    }
    await page.close();
    return { wasm, digests };
  };
  const relaxed = await frameDigests();
  const simd = await frameDigests(() => {
    // A browser with SIMD128 but not relaxed SIMD: the relaxed probe (relaxed_swizzle,
    // 0xfd 0x100) does not validate.
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => !String(new Uint8Array(bytes)).includes('253,128,2') && validate(bytes);
  });
  const plain = await frameDigests(() => {
    // A browser without WebAssembly SIMD: nothing validates.
    WebAssembly.validate = () => false;
  });
  assert.deepEqual(relaxed.wasm, ['/pkg-relaxed/manju_bg.wasm']);
  assert.deepEqual(simd.wasm, ['/pkg/manju_bg.wasm']);
  assert.deepEqual(plain.wasm, ['/pkg-nosimd/manju_bg.wasm']);
  assert.deepEqual(simd.digests, relaxed.digests);
  assert.deepEqual(plain.digests, relaxed.digests);
});

test('a host that did not deploy the best build gets the next one down', async () => {
  const { page } = await env.newPage();
  const wasm = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
  });
  // As if www/pkg-relaxed/ had not been copied to the server.
  await page.route('**/pkg-relaxed/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto(env.url);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  assert.deepEqual(wasm, ['/pkg/manju_bg.wasm']);
  await page.close();
});
