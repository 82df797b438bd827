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
// The review layout too: the same page on a review server's share link (an approver),
// with notes (one drawn on the frame shown, a range, a line's, a reply, a resolved one)
// and decisions made beforehand through the API, so the notes panel, the markers on the
// seek bar, the decision bands, the shot and line controls and the drawing over the
// picture are all in the picture. The notes' dates (the server's clock) are set to one.
//
// MAKE_REF=1 rewrites the goldens (look at them before committing); a failure writes the
// actual screenshot and a diff (differing pixels in red) under tests/out/screenshots/.

import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { cleanup, makeLibrary, owned, DEMO, startServer } from '../review/server.mjs';
import { loadedAll, READY_TIMEOUT_MS, ROOT, settled, start } from './helpers.mjs';

const GOLDEN = path.join(ROOT, 'tests', 'browser', 'golden');
const OUT = path.join(ROOT, 'tests', 'out', 'screenshots');
const CHANNEL_THRESHOLD = 48;
const MAX_DIFFERING = 0.005;

let env;
let review;
/** The share link (approve) of the review server's demo, with its notes and decisions in. */
let reviewUrl;
before(async () => {
  env = await start();
  review = await startServer({ library: makeLibrary({ demo: { v1: DEMO } }), args: ['--rate-limit', '100000/100000'] });
  reviewUrl = await seedReview(review);
});
after(async () => {
  await env?.close();
  await review?.stop();
  cleanup(review?.library, review?.data);
});

/** Notes and decisions by two reviewers, made through the API; returns an approver's link. */
async function seedReview(server) {
  const api = await owned(server);
  const v = api.version('demo');
  const lin = await api.reviewer('approve', { name: 'Lin' });
  const gu = await api.reviewer('comment', { name: 'Gu' });
  const post = async (who, route, body) => {
    const res = await who.post(`/api/v1/versions/${v}/${route}`, body);
    assert.equal(res.status, 201, res.text);
    return res.json;
  };
  const drawn = await post(lin, 'comments', {
    id: crypto.randomUUID(), body: '雨再大一点，闪电太弱', tags: ['picture'], anchor: { frame: 390 },
    drawing: { shapes: [
      { kind: 'ellipse', x: 0.18, y: 0.12, w: 0.5, h: 0.22, color: '#ff3b30', width: 0.008 },
      { kind: 'arrow', from: [0.8, 0.5], to: [0.6, 0.3], color: '#ffd60a', width: 0.008 },
    ] },
  });
  await post(gu, 'comments', { id: crypto.randomUUID(), body: '同意', parent: drawn.id });
  await post(gu, 'comments', { id: crypto.randomUUID(), body: 'Music comes in too early here', tags: ['audio'], anchor: { range: [150, 240] } });
  await post(gu, 'comments', { id: crypto.randomUUID(), body: '这句太快', tags: ['timing'], anchor: { frame: 520, line: 0 } });
  const typo = await post(lin, 'comments', { id: crypto.randomUUID(), body: 'typo: "Lin" not "Lyn"', tags: ['text'], anchor: { frame: 700 } });
  const resolved = await lin.patch(`/api/v1/versions/${v}/comments/${typo.id}`, { status: 'resolved' });
  assert.equal(resolved.status, 200, resolved.text);
  for (const [shot, verdict, note] of [['dusk', 'approved', ''], ['street', 'approved', ''], ['storm', 'changes_requested', '闪电再亮']]) {
    await post(lin, 'decisions', { id: crypto.randomUUID(), target: { shot }, verdict, note });
  }
  const link = await api.owner.post('/api/v1/dramas/demo/shares', { role: 'approve', label: 'screenshots' });
  assert.equal(link.status, 201, link.text);
  return `${server.url}#share=${link.json.token}`;
}

async function screenshot(viewport, { url = env.url, reviewer = null } = {}) {
  const { page } = await env.newPage({ viewport });
  await page.goto(url);
  if (reviewer) {
    const field = page.locator('dialog.name-dialog input[name="name"]');
    await field.waitFor({ timeout: READY_TIMEOUT_MS });
    await field.fill(reviewer);
    await page.keyboard.press('Enter');
    await page.locator('.notes-status', { hasText: 'Live' }).waitFor({ timeout: READY_TIMEOUT_MS });
    await page.locator('#notes-card li.note', { hasText: '这句太快' }).waitFor();
  }
  await settled(page);
  await loadedAll(page);
  // The words on the picture (and in the thumbnails, drawn again once the font is in).
  await page.waitForFunction(() => document.getElementById('player').fontState === 'ready');
  await page.evaluate(() => document.getElementById('player').seek(13));
  await page.waitForFunction(() => {
    const drawn = document.querySelectorAll('#shots canvas.shot-thumb[data-drawn="true"]').length;
    return drawn === document.getElementById('player').timeline.shots.length;
  });
  // The dialogue sheet scrolls its current line into view smoothly, by as much as the
  // layout of the moment asks: once it stopped, its box is put back at its top.
  await page.waitForFunction(() => new Promise((resolve) => {
    const tops = () => [...document.querySelectorAll('*')].filter((el) => el.scrollHeight > el.clientHeight).map((el) => el.scrollTop).join();
    const before = tops();
    requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve(tops() === before))));
  }));
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('body *')) if (el.scrollHeight > el.clientHeight) el.scrollTop = 0;
  });
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  // Fonts settle before the picture is taken.
  await page.evaluate(() => document.fonts.ready);
  // The review's whole page (the notes panel runs below the fold on a phone), its dates
  // (the server's clock) set to one value.
  if (reviewer) {
    await page.evaluate(() => {
      for (const t of document.querySelectorAll('time')) t.textContent = '2026-12-01 10:00';
    });
  }
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide', fullPage: Boolean(reviewer) });
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

const CASES = [
  ['page-desktop', 'the page at desktop size', { width: 1280, height: 800 }],
  ['page-phone', 'the page at phone size', { width: 390, height: 844 }],
  ['review-desktop', 'the review layout at desktop size', { width: 1280, height: 800 }, { review: true }],
  ['review-phone', 'the review layout at phone size', { width: 390, height: 844 }, { review: true }],
];

for (const [name, what, viewport, { review: reviewing = false } = {}] of CASES) {
  test(`${what} matches its golden screenshot`, async () => {
    const actual = await screenshot(viewport, reviewing ? { url: reviewUrl, reviewer: 'Client' } : {});
    const golden = path.join(GOLDEN, `${name}.png`);
    if (process.env.MAKE_REF) {
      await mkdir(GOLDEN, { recursive: true });
      await writeFile(golden, actual);
      return;
    }
    const expected = await readFile(golden);
    const result = await compare(actual, expected);
    const budget = Math.floor((result.width ?? viewport.width) * (result.height ?? viewport.height) * MAX_DIFFERING);
    if (result.sizes || result.differing > budget) {
      await mkdir(OUT, { recursive: true });
      await writeFile(path.join(OUT, `${name}.actual.png`), actual);
      if (result.diffPng) await writeFile(path.join(OUT, `${name}.diff.png`), Buffer.from(result.diffPng, 'base64'));
    }
    assert.equal(result.sizes, undefined, `sizes differ: ${JSON.stringify(result.sizes)}`);
    assert.ok(result.differing <= budget,
      `${result.differing} pixels differ (at most ${budget}); see tests/out/screenshots/${name}.*.png`);
  });
}
