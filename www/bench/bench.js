// The compositor benchmark's page (driven by scripts/bench.mjs; the buttons run it by hand).
//
// `manjuBench.scenes()` times, in this page and run, the core's compositor on the bench
// scenes (src/compositor/bench.rs: the typical frame, parallax, a wipe, a 4000×6000 page
// zoomed out) in every wasm build this browser runs, and a Canvas 2D implementation of the same display
// lists at imageSmoothingQuality 'low' and 'high'; presenting a frame (putImageData on a
// visible canvas); what each item of a frame costs; and each row kernel alone.
// `manjuBench.playback()` plays the demo in <manju-player> and counts late and dropped
// frames with requestAnimationFrame.
//
// Canvas 2D records drawing and rasterises it later: each Canvas measurement ends with a
// 1-pixel getImageData, which makes it finish the frame. Manju's measurement is the
// compositor's call; the frame is then in wasm memory, and presenting it is measured on
// its own.

import { relaxedSimdSupported, simdSupported } from '../player/wasm-loader.js';

const BUILDS = { relaxed: '../pkg-relaxed/manju.js', simd: '../pkg/manju.js', nosimd: '../pkg-nosimd/manju.js' };
const QUALITIES = ['low', 'high'];

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

function fnv(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

const log = (line) => {
  const el = document.getElementById('log');
  if (el) el.textContent += `${line}\n`;
};

async function loadBuild(name) {
  const pkg = await import(new URL(BUILDS[name], import.meta.url).href);
  const wasm = await pkg.default();
  return { name, pkg, memory: wasm.memory };
}

/** Median ms of `fn(frame)` over `rounds` passes through `frames` frames, after a warm-up. */
function time(fn, frames, rounds) {
  for (let i = 0; i < Math.min(frames, 8); i++) fn(i);
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < frames; i++) {
      const t0 = performance.now();
      fn(i);
      samples.push(performance.now() - t0);
    }
  }
  return median(samples);
}

// ---- Canvas 2D ---------------------------------------------------------------------------

/** The scene's images as ImageBitmaps (straight alpha, as the canvas wants them). */
async function bitmaps(build, scene) {
  const out = new Map();
  for (const id of scene.imageIds()) {
    const [w, h, ptr] = scene.imageInfo(id);
    const px = new Uint8ClampedArray(build.memory.buffer, ptr, w * h * 4).slice();
    for (let i = 0; i < px.length; i += 4) {
      const a = px[i + 3];
      if (a !== 255 && a !== 0) {
        for (let c = 0; c < 3; c++) px[i + c] = Math.round((px[i + c] * 255) / a);
      }
    }
    out.set(id, await createImageBitmap(new ImageData(px, w, h)));
  }
  return out;
}

const OPERATIONS = { normal: 'source-over', multiply: 'multiply', screen: 'screen', add: 'lighter' };
const rgba = ([r, g, b, a]) => `rgba(${r}, ${g}, ${b}, ${a / 255})`;

/**
 * Draws a display list (Scene::describe) as a Canvas 2D program would. A group at
 * opacity < 1 that is a full-frame opaque fill under one image (a crossfade: the bench's
 * images cover the frame) is that image drawn with globalAlpha, the way one would write
 * a crossfade by hand; any other such group goes through a layer canvas.
 */
function drawItems(ctx, items, images, size, layers) {
  for (const item of items) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.globalCompositeOperation = 'source-over';
    if (item.type === 'image') {
      const [sx, sy, sw, sh] = item.src;
      ctx.setTransform(...item.transform);
      ctx.globalAlpha = item.opacity;
      ctx.globalCompositeOperation = OPERATIONS[item.blend];
      ctx.drawImage(images.get(item.image), sx, sy, sw, sh, 0, 0, sw, sh);
    } else if (item.type === 'fill') {
      ctx.globalAlpha = item.opacity;
      ctx.fillStyle = rgba(item.color);
      ctx.fillRect(...(item.rect ?? [0, 0, size.width, size.height]));
    } else if (item.type === 'group') {
      const [first, second] = item.items;
      if (item.opacity >= 1) {
        ctx.save();
        if (item.clip) {
          ctx.beginPath();
          ctx.rect(...item.clip);
          ctx.clip();
        }
        drawItems(ctx, item.items, images, size, layers);
        ctx.restore();
      } else if (
        item.items.length === 2 && first.type === 'fill' && !first.rect && first.color[3] === 255 &&
        second.type === 'image' && second.opacity === 1 && second.blend === 'normal' && !item.clip
      ) {
        ctx.setTransform(...second.transform);
        ctx.globalAlpha = item.opacity;
        const [sx, sy, sw, sh] = second.src;
        ctx.drawImage(images.get(second.image), sx, sy, sw, sh, 0, 0, sw, sh);
      } else {
        const layer = layers.get();
        layer.clearRect(0, 0, size.width, size.height);
        drawItems(layer, item.items, images, size, layers);
        ctx.globalAlpha = item.opacity;
        ctx.drawImage(layer.canvas, 0, 0);
      }
    }
  }
}

function drawList(ctx, list, images, size, layers) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalAlpha = 1;
  ctx.globalCompositeOperation = 'source-over';
  ctx.fillStyle = rgba(list.background);
  ctx.fillRect(0, 0, size.width, size.height);
  drawItems(ctx, list.items, images, size, layers);
}

function canvas2d(width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas.getContext('2d');
}

// ---- the scenes --------------------------------------------------------------------------

/**
 * Times every scene. Returns `{main, scenes: [{scene, frames, manju: {relaxed, simd,
 * nosimd}, present, canvas: {low, high}, stages: [ms with the first k items], hashes}],
 * kernels}` (ms per frame, medians): every build this browser runs; `main`, the one the
 * player picks here, is the one whose stages and kernels are timed.
 */
async function scenes({ rounds = 3, only = null } = {}) {
  const builds = [];
  if (relaxedSimdSupported()) builds.push(await loadBuild('relaxed'));
  if (simdSupported()) builds.push(await loadBuild('simd'));
  builds.push(await loadBuild('nosimd'));
  const main = builds[0];
  const present = document.getElementById('present').getContext('2d');
  const results = [];
  for (const name of main.pkg.BenchScene.names()) {
    if (only && !only.includes(name)) continue;
    log(`${name}: generating images…`);
    const result = { scene: name, manju: {}, hashes: {}, canvas: {}, stages: [] };
    for (const build of builds) {
      const scene = build.pkg.BenchScene.create(name);
      const { frames, width, height } = scene;
      const frame = () => new Uint8ClampedArray(build.memory.buffer, scene.framePtr(), scene.frameLen());
      result.frames = frames;
      result.manju[build.name] = time((i) => scene.render(i), frames, rounds);
      scene.render(0);
      const h0 = fnv(frame());
      scene.render(frames / 2);
      result.hashes[build.name] = `${h0} ${fnv(frame())}`;
      if (build === main) {
        const items = scene.itemCount(0);
        for (let k = 0; k < items; k++) result.stages.push(time((i) => scene.render(i, k), frames, 1));
        result.present = time(() => {
          const image = new ImageData(frame(), width, height);
          present.putImageData(image, 0, 0);
          present.getImageData(0, 0, 1, 1);
        }, frames, 1);
        const images = await bitmaps(build, scene);
        const lists = Array.from({ length: frames }, (_, i) => JSON.parse(scene.describe(i)));
        const ctx = canvas2d(width, height);
        let layer = null;
        const layers = { get: () => (layer ??= canvas2d(width, height)) };
        for (const quality of QUALITIES) {
          ctx.imageSmoothingEnabled = true;
          ctx.imageSmoothingQuality = quality;
          result.canvas[quality] = time((i) => {
            drawList(ctx, lists[i], images, { width, height }, layers);
            ctx.getImageData(0, 0, 1, 1);
          }, frames, rounds);
        }
        for (const bitmap of images.values()) bitmap.close();
        // The last Canvas frame on the visible canvas, to look at by hand.
        present.drawImage(ctx.canvas, 0, 0);
      }
      scene.free();
    }
    log(`${name}: ${JSON.stringify(result)}`);
    results.push(result);
  }
  const kernels = {};
  const bench = new main.pkg.BenchKernels();
  for (const name of main.pkg.BenchKernels.names()) kernels[name] = time(() => bench.run(name), 7, 1);
  bench.free();
  return { main: main.name, scenes: results, kernels };
}

// ---- playback ----------------------------------------------------------------------------

/**
 * Plays the demo in <manju-player> for `seconds`, once it has loaded all of it, and
 * watches every animation frame: `{fps, loadingMs, vsyncMs, animationFrames, late,
 * lateFrames, worstMs, presents, dramaFrames, dropped}` —
 * `late`: animation frames that came more than 1.5 vsyncs after the one before (a frame
 * that took too long); `dropped`: drama frames due in the window that never reached the
 * canvas.
 */
async function playback({ seconds = 20, src = '../demo/manifest.json' } = {}) {
  await import('../manju-player.js');
  const player = document.createElement('manju-player');
  document.getElementById('stage').append(player);
  const loaded = new Promise((resolve) => player.addEventListener('canplaythrough', resolve, { once: true }));
  const ok = await player.load(new URL(src, location.href).href);
  if (!ok) throw new Error(`the demo did not load: ${JSON.stringify(player.problems)}`);
  // Play once every asset is in: the player decodes the images it fetches after the first
  // frame on the main thread (a 1080×1920 picture takes up to ~0.2 s), so playing before
  // that times the loading's long tasks as late frames (they were all in the first 0.3 s).
  const loadStart = performance.now();
  await loaded;
  const loadingMs = performance.now() - loadStart;
  player.muted = true;
  // Count what reaches the canvas.
  const ctx = player.canvas.getContext('2d');
  const putImageData = ctx.putImageData.bind(ctx);
  const presented = [];
  ctx.putImageData = (...args) => {
    presented.push(performance.now());
    putImageData(...args);
  };
  const stamps = [];
  const times = [];
  await player.play();
  const start = performance.now();
  await new Promise((resolve) => {
    const tick = (now) => {
      stamps.push(now);
      times.push(player.currentTime);
      if (now - start < seconds * 1000 && !player.paused) requestAnimationFrame(tick);
      else resolve();
    };
    requestAnimationFrame(tick);
  });
  player.pause();
  const intervals = stamps.slice(1).map((t, i) => t - stamps[i]);
  const vsyncMs = median(intervals);
  const fps = player.fps;
  const first = Math.floor(times[0] * fps + 1e-6);
  const last = Math.floor(times[times.length - 1] * fps + 1e-6);
  // The player draws in its own animation-frame callback, before this page's (it asked
  // first): the frames that changed at animation frames 1..last are the presents from
  // the second timestamp to one vsync after the last.
  const end = stamps[stamps.length - 1] + vsyncMs;
  const inWindow = presented.filter((t) => t >= stamps[1] && t < end).length;
  player.remove();
  return {
    fps,
    // How long the rest of the assets took to arrive after the first frame could show.
    loadingMs,
    seconds: (stamps[stamps.length - 1] - stamps[0]) / 1000,
    vsyncMs,
    animationFrames: stamps.length,
    late: intervals.filter((d) => d > 1.5 * vsyncMs).length,
    // When they came (seconds into the playback) and how long each took.
    lateFrames: intervals
      .map((d, i) => ({ at: Math.round((stamps[i] - stamps[0]) / 10) / 100, ms: Math.round(d * 10) / 10 }))
      .filter((f) => f.ms > 1.5 * vsyncMs),
    worstMs: Math.max(...intervals),
    presents: inWindow,
    dramaFrames: last - first,
    dropped: Math.max(0, last - first - inWindow),
  };
}

window.manjuBench = { scenes, playback };

document.getElementById('run')?.addEventListener('click', () => scenes().then((r) => log(JSON.stringify(r, null, 1))));
document.getElementById('play')?.addEventListener('click', () => playback().then((r) => log(JSON.stringify(r))));
