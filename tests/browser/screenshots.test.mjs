// The page as a reviewer sees it, at a phone's size and a desktop's, against golden
// screenshots in tests/browser/golden/. The drama is frozen on a known frame (paused at
// 13 s, during a subtitle, so its words are on the picture and its line is marked in the
// dialogue sheet; every asset, the font and every shot thumbnail in), the pointer is
// away, focus is
// dropped, animations and the caret are off, so what remains is layout and paint.
//
// Tolerance: a pixel differs when one of its channels differs by more than 48 levels,
// and at most 0.5 % of the pixels may differ. The picture itself is the core's and the
// same bits on every machine, and the fonts are pinned (Chromium sees only DejaVu and
// Liberation, scripts/chromium.mjs; the page's Chinese is its own built-in font), but
// glyphs go through FreeType and Skia, whose hinting and anti-aliasing move edges by a
// pixel between Chromium versions, and the canvas is scaled to its CSS size by the
// browser's image filter. Those move edges and shades, not layout: a control out of
// place, a missing panel, boxes for missing glyphs or a colour change exceed the budget
// at once.
//
// MAKE_REF=1 rewrites the goldens (look at them before committing); a failure writes the
// actual screenshot and a diff (differing pixels in red) under tests/out/screenshots/.

import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadedAll, ROOT, settled, start } from './helpers.mjs';

const GOLDEN = path.join(ROOT, 'tests', 'browser', 'golden');
const OUT = path.join(ROOT, 'tests', 'out', 'screenshots');
const CHANNEL_THRESHOLD = 48;
const MAX_DIFFERING = 0.005;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

async function screenshot(viewport) {
  const { page } = await env.newPage({ viewport });
  await page.goto(env.url);
  await settled(page);
  await loadedAll(page);
  // The words on the picture (and in the thumbnails, drawn again once the font is in).
  await page.waitForFunction(() => document.getElementById('player').fontState === 'ready');
  await page.evaluate(() => document.getElementById('player').seek(13));
  await page.waitForFunction(() => {
    const drawn = document.querySelectorAll('#shots canvas.shot-thumb[data-drawn="true"]').length;
    return drawn === document.getElementById('player').timeline.shots.length;
  });
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  // Fonts settle before the picture is taken.
  await page.evaluate(() => document.fonts.ready);
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  await page.context().close();
  return png;
}

/** Compares two PNGs in a blank page: {width, height, differing, diffPng?}. */
async function compare(actual, expected) {
  const { page } = await env.newPage();
  const result = await page.evaluate(async ([a, b, threshold]) => {
    const decode = async (b64) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
      const c = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = c.getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    };
    const [x, y] = [await decode(a), await decode(b)];
    if (x.width !== y.width || x.height !== y.height) return { sizes: [[x.width, x.height], [y.width, y.height]] };
    const diff = new ImageData(x.width, x.height);
    let differing = 0;
    for (let i = 0; i < x.data.length; i += 4) {
      const d = Math.max(Math.abs(x.data[i] - y.data[i]), Math.abs(x.data[i + 1] - y.data[i + 1]), Math.abs(x.data[i + 2] - y.data[i + 2]));
      const grey = (x.data[i] + x.data[i + 1] + x.data[i + 2]) / 12;
      if (d > threshold) {
        differing++;
        diff.data.set([255, 0, 0, 255], i);
      } else {
        diff.data.set([grey, grey, grey, 255], i);
      }
    }
    let diffPng = null;
    if (differing > 0) {
      const c = new OffscreenCanvas(x.width, x.height);
      c.getContext('2d').putImageData(diff, 0, 0);
      const blob = await c.convertToBlob({ type: 'image/png' });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      diffPng = btoa(s);
    }
    return { width: x.width, height: x.height, differing, diffPng };
  }, [actual.toString('base64'), expected.toString('base64'), CHANNEL_THRESHOLD]);
  await page.context().close();
  return result;
}

for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  test(`the page at ${name} size matches its golden screenshot`, async () => {
    const actual = await screenshot(viewport);
    const golden = path.join(GOLDEN, `page-${name}.png`);
    if (process.env.MAKE_REF) {
      await mkdir(GOLDEN, { recursive: true });
      await writeFile(golden, actual);
      return;
    }
    const expected = await readFile(golden);
    const result = await compare(actual, expected);
    const budget = Math.floor(viewport.width * viewport.height * MAX_DIFFERING);
    if (result.sizes || result.differing > budget) {
      await mkdir(OUT, { recursive: true });
      await writeFile(path.join(OUT, `page-${name}.actual.png`), actual);
      if (result.diffPng) await writeFile(path.join(OUT, `page-${name}.diff.png`), Buffer.from(result.diffPng, 'base64'));
    }
    assert.equal(result.sizes, undefined, `sizes differ: ${JSON.stringify(result.sizes)}`);
    assert.ok(result.differing <= budget,
      `${result.differing} pixels differ (at most ${budget}); see tests/out/screenshots/page-${name}.*.png`);
  });
}
