#!/usr/bin/env node
// `npm run bench`: builds the wasm core (every build), opens www/bench/ in headless
// Chromium and times Manju's compositor against Canvas 2D on the bench scenes, then plays
// the demo and counts late and dropped frames. Prints a table; writes the figures to
// target/bench.json. A benchmark, not a test: nothing here passes or fails on a time.
//
//   node scripts/bench.mjs [--no-build] [--rounds N] [--scene NAME]… [--play-seconds S]

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from './chromium.mjs';
import { serveForTest } from '../tests/browser/helpers.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'target', 'bench.json');

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    scene: { type: 'string', multiple: true },
    'play-seconds': { type: 'string', default: '30' },
  },
});

if (!args['no-build']) {
  const build = spawnSync('bash', ['scripts/build-wasm.sh'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // The page is served by `manju serve`.
  const cli = spawnSync('cargo', ['build', '--bin', 'manju'], { cwd: ROOT, stdio: 'inherit' });
  if (cli.status !== 0) process.exit(cli.status ?? 1);
}

const server = await serveForTest();
const browser = await launchChromium();

let results;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`console: ${m.text()}`);
  });
  await page.goto(`${server.url}bench/`);
  await page.waitForFunction(() => window.manjuBench);
  const browserVersion = browser.version();
  console.log(`bench: Chromium ${browserVersion}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
  const scenes = await page.evaluate(
    ({ rounds, only }) => window.manjuBench.scenes({ rounds, only }),
    { rounds: Number(args.rounds), only: args.scene ?? null },
  );
  printScenes(scenes);

  // Playback in a fresh page: the scenes' images are gone from memory.
  const playPage = await context.newPage();
  await playPage.goto(`${server.url}bench/`);
  await playPage.waitForFunction(() => window.manjuBench);
  const playback = await playPage.evaluate(
    (seconds) => window.manjuBench.playback({ seconds }),
    Number(args['play-seconds']),
  );
  console.log(
    `\nplayback of the demo once loaded (the rest of its assets took ${(playback.loadingMs / 1000).toFixed(1)} s; ` +
      `${playback.seconds.toFixed(1)} s at ${playback.fps} fps, ` +
      `animation frames every ${playback.vsyncMs.toFixed(1)} ms): ${playback.animationFrames} animation frames, ` +
      `${playback.late} late (> 1.5 vsync; worst ${playback.worstMs.toFixed(1)} ms), ` +
      `${playback.presents} of ${playback.dramaFrames} drama frames presented, ${playback.dropped} dropped`,
  );
  if (playback.lateFrames.length) {
    console.log(`late frames (s into playback: ms): ${playback.lateFrames.map((f) => `${f.at}: ${f.ms}`).join(', ')}`);
  }
  results = {
    date: new Date().toISOString(),
    browser: `Chromium ${browserVersion}`,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? ''}`,
    ...scenes,
    playback,
  };
} finally {
  await browser.close();
  await server.close();
}

mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nbench: figures in ${path.relative(ROOT, OUT)}`);

function printScenes({ main, scenes, kernels }) {
  const f = (ms) => (ms === undefined ? '—' : ms.toFixed(2));
  const ratio = (a, b) => (a && b ? `${(b / a).toFixed(2)}×` : '—');
  console.log(`\nms per 1080×1920 frame (medians); "vs low/high": Canvas 2D time ÷ Manju time (> 1: Manju is faster)`);
  console.log(`the player's build here: ${main} (relaxed: SIMD with relaxed SIMD; simd: SIMD128; plain: no SIMD)`);
  console.log(
    'scene     | relaxed |  simd |  plain | present | canvas low | canvas high | player vs low | player vs high | simd vs low | plain vs low',
  );
  for (const s of scenes) {
    const m = s.manju[main];
    console.log(
      [
        s.scene.padEnd(9),
        f(s.manju.relaxed).padStart(7),
        f(s.manju.simd).padStart(5),
        f(s.manju.nosimd).padStart(6),
        f(s.present).padStart(7),
        f(s.canvas.low).padStart(10),
        f(s.canvas.high).padStart(11),
        ratio(m, s.canvas.low).padStart(13),
        ratio(m, s.canvas.high).padStart(14),
        ratio(s.manju.simd, s.canvas.low).padStart(11),
        ratio(s.manju.nosimd, s.canvas.low).padStart(12),
      ].join(' | '),
    );
  }
  console.log(`\nwhere the time goes (the ${main} build), ms per frame with the first k items of the list:`);
  for (const s of scenes) {
    const steps = s.stages.map((ms, k) => `${k}: ${f(ms)}`);
    console.log(`  ${s.scene.padEnd(9)} ${steps.join(', ')}, all: ${f(s.manju[main])}`);
  }
  console.log('row kernels alone, ms per 1080×1920 pixels:');
  console.log(`  ${Object.entries(kernels).map(([k, ms]) => `${k} ${f(ms)}`).join(', ')}`);
  const differ = scenes.filter((s) => new Set(Object.values(s.hashes)).size > 1);
  if (differ.length) console.log(`!! the builds' frames differ in: ${differ.map((s) => s.scene).join(', ')}`);
}
