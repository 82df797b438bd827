// The drawing layer of review notes (www/review/drawing.js) on the real page, over the
// demo: every tool drawn with real pointer events (mouse, and a finger through CDP touch
// events) gives the shapes expected in picture-normalised coordinates; a drawing shown
// at desktop size, in an embed-sized box, in full screen and at 360×740 lands on the same
// pixels of the picture (found by diffing screenshots of the page, not by asking the
// layer; after a resize the layer redraws by itself); a shown drawing is on the frames of
// its range only; undo/redo, the caps and Escape; the toolbar by keyboard alone, and
// axe-core on it.
//
// The module is loaded into the app page with a dynamic import() from page.evaluate: a
// same-origin module, which the page's CSP (script-src 'self') allows, as the notes panel
// will load it.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { cspViolations, loadedAll, settled, start } from './helpers.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** The app page with the demo loaded and a drawing layer on its player (`window.layer`). */
async function open(options = {}) {
  const { page, log } = await env.newPage(options);
  await page.goto(env.url);
  const { state } = await settled(page);
  assert.equal(state, 'ready');
  await loadedAll(page);
  await page.evaluate(async () => {
    const { attachDrawing } = await import('/review/drawing.js');
    window.layer = attachDrawing(document.getElementById('player'));
    // The toolbar's looks (for the screenshots and axe); drawing does not wait for them.
    if (!(await window.layer.ready)) throw new Error('drawing.css did not load');
  });
  return { page, log };
}

/**
 * The picture on screen, in CSS pixels, worked out here from the player's canvas box and
 * the drama's size (object-fit: contain), not from the layer or the player's hook.
 */
function pictureOnScreen(page) {
  return page.evaluate(() => {
    const p = document.getElementById('player');
    const box = p.canvas.getBoundingClientRect();
    const scale = Math.min(box.width / p.width, box.height / p.height);
    const w = p.width * scale;
    const h = p.height * scale;
    return { x: box.x + (box.width - w) / 2, y: box.y + (box.height - h) / 2, w, h };
  });
}

const toScreen = (pic, [x, y]) => [pic.x + x * pic.w, pic.y + y * pic.h];

/** A mouse drag through the normalised points `path` (at least two), `steps` moves between each. */
async function mouseDrag(page, path, steps = 8) {
  const pic = await pictureOnScreen(page);
  const [x0, y0] = toScreen(pic, path[0]);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (const point of path.slice(1)) {
    const [x, y] = toScreen(pic, point);
    await page.mouse.move(x, y, { steps });
  }
  await page.mouse.up();
}

const shapes = (page) => page.evaluate(() => window.layer.shapes.shapes);
const player = (page, expr) => page.evaluate(`(() => { const p = document.getElementById('player'); return ${expr}; })()`);

/** Within `px` CSS pixels of the picture (`w` pixels wide or high). */
function near(actual, expected, pxTolerance, size, what) {
  assert.ok(Math.abs(actual - expected) <= pxTolerance / size, `${what}: ${actual} is not within ${pxTolerance} px of ${expected}`);
}

test('every tool, drawn with the mouse, gives the shapes expected in picture coordinates; clicks never play', async () => {
  const { page, log } = await open();
  const pic = await pictureOnScreen(page);
  // The demo is 9:16 in a player box that is wider: the picture is letterboxed, so the
  // canvas's box and the picture differ (what this layer must not confuse).
  const canvasBox = await player(page, '(() => { const r = p.canvas.getBoundingClientRect(); return { w: r.width, h: r.height }; })()');
  assert.ok(canvasBox.w > pic.w + 10, `the picture (${pic.w} px) is letterboxed in its box (${canvasBox.w} px)`);

  await page.evaluate(() => window.layer.edit({ tool: 'rect', colour: '#ff3b30', width: 0.004 }));
  await mouseDrag(page, [[0.2, 0.3], [0.6, 0.5]]);
  let got = await shapes(page);
  assert.equal(got.length, 1);
  assert.equal(got[0].kind, 'rect');
  near(got[0].x, 0.2, 1, pic.w, 'rect x');
  near(got[0].y, 0.3, 1, pic.h, 'rect y');
  near(got[0].w, 0.4, 1, pic.w, 'rect w');
  near(got[0].h, 0.2, 1, pic.h, 'rect h');
  assert.deepEqual([got[0].color, got[0].width], ['#ff3b30', 0.004]);

  // Dragged up and to the left, the box is the same kind of box.
  await page.evaluate(() => { window.layer.tool = 'ellipse'; window.layer.colour = '#ffcc00'; });
  await mouseDrag(page, [[0.8, 0.9], [0.5, 0.7]]);
  got = await shapes(page);
  assert.equal(got[1].kind, 'ellipse');
  near(got[1].x, 0.5, 1, pic.w, 'ellipse x');
  near(got[1].y, 0.7, 1, pic.h, 'ellipse y');
  near(got[1].w, 0.3, 1, pic.w, 'ellipse w');
  near(got[1].h, 0.2, 1, pic.h, 'ellipse h');
  assert.equal(got[1].color, '#ffcc00');

  await page.evaluate(() => { window.layer.tool = 'arrow'; });
  await mouseDrag(page, [[0.1, 0.3], [0.3, 0.6]]);
  got = await shapes(page);
  assert.equal(got[2].kind, 'arrow');
  near(got[2].from[0], 0.1, 1, pic.w, 'arrow from x');
  near(got[2].from[1], 0.3, 1, pic.h, 'arrow from y');
  near(got[2].to[0], 0.3, 1, pic.w, 'arrow to x');
  near(got[2].to[1], 0.6, 1, pic.h, 'arrow to y');

  // Dragged off the picture, a shape stays on it (the server takes 0 to 1 only).
  await page.evaluate(() => { window.layer.tool = 'rect'; });
  await mouseDrag(page, [[0.7, 0.2], [1.2, -0.05]]);
  got = await shapes(page);
  assert.equal(got[3].kind, 'rect');
  assert.ok(got[3].x + got[3].w <= 1 && got[3].y === 0, JSON.stringify(got[3]));
  // The toolbar covers the top of the picture until it is moved to the bottom.
  const ui = page.locator('manju-player');
  const bar = await ui.locator('.drawing-toolbar').boundingBox();
  // In the toolbar's padding, over the middle of the picture.
  const under = [0.45, (bar.y + 1.5 - pic.y) / pic.h];
  const drag = [under, [under[0] + 0.1, under[1] + 0.03]];
  await mouseDrag(page, drag);
  assert.equal((await shapes(page)).length, 4, 'under the toolbar, nothing is drawn');
  await ui.locator('button[aria-label="Move the toolbar to the bottom"]').click();
  await mouseDrag(page, drag);
  got = await shapes(page);
  assert.equal(got.length, 5);
  near(got[4].y, under[1], 1, pic.h, 'drawn where the toolbar was');
  await ui.locator('button[aria-label="Move the toolbar to the top"]').click();
  await page.evaluate(() => window.layer.undo());

  // The pen: a long straight stroke keeps few points; a curve keeps its shape.
  await page.evaluate(() => { window.layer.tool = 'pen'; window.layer.colour = '#34c759'; });
  await mouseDrag(page, [[0.2, 0.6], [0.8, 0.6]], 200);
  got = await shapes(page);
  assert.equal(got[4].kind, 'stroke');
  assert.ok(got[4].points.length <= 3, `a straight line of 200 moves kept ${got[4].points.length} points`);
  near(got[4].points[0][0], 0.2, 1, pic.w, 'stroke start');
  near(got[4].points.at(-1)[0], 0.8, 1, pic.w, 'stroke end');
  const circle = Array.from({ length: 41 }, (_, i) => [0.5 + 0.2 * Math.cos((i / 40) * 2 * Math.PI), 0.5 + 0.1 * Math.sin((i / 40) * 2 * Math.PI)]);
  await mouseDrag(page, circle, 3);
  got = await shapes(page);
  const ring = got[5].points;
  assert.ok(ring.length >= 12 && ring.length < 120, `a circle of 120 moves kept ${ring.length} points`);
  for (const [x, y] of ring) {
    // On the ellipse drawn, within a pixel and a half (the mouse lands on whole pixels).
    const dx = (x - 0.5) * pic.w;
    const dy = (y - 0.5) * pic.h;
    const r = Math.hypot(dx / (0.2 * pic.w), dy / (0.1 * pic.h));
    assert.ok(Math.abs(r - 1) * 0.1 * pic.h < 2.5, `point ${x},${y} is off the circle drawn`);
  }

  // Text: a click places a box, typing fills it, Enter places the words — as data.
  await page.evaluate(() => { window.layer.tool = 'text'; window.layer.colour = '#ffffff'; });
  const [tx, ty] = toScreen(pic, [0.6, 0.2]);
  await page.mouse.click(tx, ty);
  const box = page.locator('manju-player').locator('input.drawing-text');
  await box.waitFor({ state: 'visible' });
  await page.keyboard.type('口型 <b>k</b> & f');
  await page.keyboard.press('Enter');
  got = await shapes(page);
  assert.equal(got[6].kind, 'text');
  assert.equal(got[6].text, '口型 <b>k</b> & f');
  near(got[6].at[0], 0.6, 1, pic.w, 'text x');
  near(got[6].at[1], 0.2, 1, pic.h, 'text y');
  assert.equal(got[6].color, '#ffffff');
  assert.ok(got[6].size > 0 && got[6].size <= 0.2);
  assert.equal(await box.count(), 0, 'the text box is gone');
  assert.equal(await player(page, 'p.shadowRoot.querySelectorAll("b").length'), 0, 'no markup came from the text');
  // Escape in the text box drops what was typed and stays in editing.
  await page.mouse.click(tx, ty + 40);
  await box.waitFor({ state: 'visible' });
  await page.keyboard.type('drop me');
  await page.keyboard.press('Escape');
  assert.equal((await shapes(page)).length, 7);
  assert.equal(await page.evaluate(() => window.layer.editing), true);

  // None of those clicks and keys (k, f, space) played, paused or went full screen.
  assert.equal(await player(page, 'p.paused'), true);
  assert.equal(await page.evaluate(() => document.fullscreenElement), null);

  // The drawing is what the server takes: every number within 0..1, and done() returns it.
  const drawing = await page.evaluate(() => window.layer.done());
  assert.equal(drawing.shapes.length, 7);
  assert.deepEqual(Object.keys(drawing), ['shapes']);
  for (const s of drawing.shapes) {
    const numbers = JSON.stringify(s).match(/-?\d+(\.\d+)?(e-?\d+)?/g).map(Number).filter((n) => !Number.isInteger(n) || n <= 1);
    for (const n of numbers) assert.ok(n >= 0 && n <= 1, `${n} in ${JSON.stringify(s)}`);
    assert.match(s.color, /^#[0-9a-f]{6}$/);
  }
  assert.equal(await page.evaluate(() => window.layer.done()), null, 'nothing being edited: null');
  assert.deepEqual(await cspViolations(page, log), []);
  assert.deepEqual(log.errors, []);
});

/** Screenshot of the picture (CSS pixels), as a base64 PNG. */
async function shotOfPicture(page) {
  const pic = await pictureOnScreen(page);
  // Within the viewport (in full screen the player's box may stick out by a few pixels).
  const view = page.viewportSize();
  const x = Math.max(0, Math.floor(pic.x));
  const y = Math.max(0, Math.floor(pic.y));
  const clip = { x, y, width: Math.min(Math.ceil(pic.x + pic.w), view.width) - x, height: Math.min(Math.ceil(pic.y + pic.h), view.height) - y };
  const png = await page.screenshot({ clip, scale: 'css' });
  return { png: png.toString('base64'), clip };
}

/** The box (page CSS pixels) of the pixels that differ between two screenshots of one clip. */
function changedBox(page, a, b) {
  return page.evaluate(async ([pa, pb, clip]) => {
    const read = async (png) => {
      const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      ctx.drawImage(bitmap, 0, 0);
      return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    };
    const [ia, ib] = [await read(pa), await read(pb)];
    let box = null;
    for (let y = 0; y < ia.height; y++) {
      for (let x = 0; x < ia.width; x++) {
        const i = (y * ia.width + x) * 4;
        const delta = Math.max(...[0, 1, 2].map((c) => Math.abs(ia.data[i + c] - ib.data[i + c])));
        // Antialiased edges blend with the picture; a clear difference is the line itself.
        if (delta < 48) continue;
        box = box ? { l: Math.min(box.l, x), t: Math.min(box.t, y), r: Math.max(box.r, x + 1), b: Math.max(box.b, y + 1) }
          : { l: x, t: y, r: x + 1, b: y + 1 };
      }
    }
    return box && { l: box.l + clip.x, t: box.t + clip.y, r: box.r + clip.x, b: box.b + clip.y };
  }, [a.png, b.png, a.clip]);
}

const showRect = (page, shape) => page.evaluate((s) => window.layer.show([{ id: 'n1', drawing: { shapes: [s] }, frame: 0, frame_end: 1e6 }]), shape);

/**
 * Where the rectangle `shape`, shown already, shows on the page (the pixels that change
 * when it is taken away), and where it should (its outer edge, line included). Called
 * after a resize without showing it again, it proves the layer followed the resize.
 */
async function whereItLands(page, shape) {
  // Two animation frames: whatever the resize observer had to redraw is on screen.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const withIt = await shotOfPicture(page);
  await page.evaluate(() => window.layer.show([]));
  const without = await shotOfPicture(page);
  await showRect(page, shape);
  const got = await changedBox(page, without, withIt);
  const pic = await pictureOnScreen(page);
  const half = (shape.width * pic.w) / 2;
  const want = {
    l: pic.x + shape.x * pic.w - half,
    t: pic.y + shape.y * pic.h - half,
    r: pic.x + (shape.x + shape.w) * pic.w + half,
    b: pic.y + (shape.y + shape.h) * pic.h + half,
  };
  return { got, want, pic };
}

function assertLands({ got, want, pic }, where) {
  assert.ok(got, `${where}: the drawing shows`);
  for (const edge of ['l', 't', 'r', 'b']) {
    assert.ok(Math.abs(got[edge] - want[edge]) <= 2, `${where}: edge ${edge} at ${got[edge]}, want ${want[edge].toFixed(1)} (picture ${JSON.stringify(pic)})`);
  }
}

test('a drawing lands on the same spot of the picture at desktop size, in an embed, in full screen and at 360×740', async () => {
  const { page, log } = await open();
  await page.evaluate(() => window.layer.edit({ tool: 'rect', colour: '#0a84ff', width: 0.01 }));
  await mouseDrag(page, [[0.25, 0.35], [0.7, 0.55]]);
  const drawing = await page.evaluate(() => window.layer.done());
  const [rect] = drawing.shapes;

  await showRect(page, rect);
  const desktop = await whereItLands(page, rect);
  assertLands(desktop, 'desktop');

  // Embedded in a smaller box (the host page sizes the element): the layer follows the
  // resize by itself.
  await page.evaluate(() => Object.assign(document.getElementById('player').style, { width: '520px', height: '430px' }));
  const embed = await whereItLands(page, rect);
  assert.ok(embed.pic.h < desktop.pic.h - 50, `the embed is smaller (${embed.pic.h} < ${desktop.pic.h})`);
  assertLands(embed, 'embed');
  await page.evaluate(() => Object.assign(document.getElementById('player').style, { width: '', height: '' }));

  // Full screen: F on the player (a real key press, so the browser allows it).
  await page.locator('#player').focus();
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement === document.getElementById('player'), null, { timeout: 5000 });
  await page.waitForFunction(() => {
    const p = document.getElementById('player').getBoundingClientRect();
    return Math.abs(p.height - innerHeight) < 1 && Math.abs(p.width - innerWidth) < 1;
  }, null, { timeout: 5000 });
  const full = await whereItLands(page, rect);
  assert.ok(full.pic.h > desktop.pic.h + 20, `full screen is larger (${full.pic.h} > ${desktop.pic.h})`);
  assertLands(full, 'full screen');
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 5000 });
  assert.deepEqual(log.errors, []);

  // A phone, with a finger-sized layout and twice the pixels.
  const phone = await open({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  await showRect(phone.page, rect);
  const small = await whereItLands(phone.page, rect);
  assert.ok(small.pic.w < 360, `the phone's picture is ${small.pic.w} px wide`);
  assertLands(small, 'phone');
  // The overlay is drawn in device pixels: crisp at twice the density.
  const density = await phone.page.evaluate(() => {
    const c = window.layer.canvas;
    return c.width / c.getBoundingClientRect().width;
  });
  assert.ok(Math.abs(density - 2) < 0.02, `overlay canvas at ${density} device pixels a CSS pixel`);

  // Drawn again on the phone, by finger, the same rectangle comes out (within a pixel of the phone's picture).
  await phone.page.evaluate(() => window.layer.edit({ tool: 'rect', colour: '#0a84ff', width: 0.01 }));
  const client = await phone.page.context().newCDPSession(phone.page);
  const touch = (type, p) => client.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p[0], y: p[1] }] : [] });
  const from = toScreen(small.pic, [0.25, 0.35]);
  const to = toScreen(small.pic, [0.7, 0.55]);
  await touch('touchStart', from);
  for (let i = 1; i <= 10; i++) await touch('touchMove', [from[0] + ((to[0] - from[0]) * i) / 10, from[1] + ((to[1] - from[1]) * i) / 10]);
  await touch('touchEnd');
  const [byFinger] = await shapes(phone.page);
  assert.equal(byFinger?.kind, 'rect', 'a finger draws (the page did not scroll instead)');
  for (const k of ['x', 'w']) near(byFinger[k], rect[k], 1.5, small.pic.w, `finger ${k}`);
  for (const k of ['y', 'h']) near(byFinger[k], rect[k], 1.5, small.pic.h, `finger ${k}`);
  assert.equal(await phone.page.evaluate(() => scrollY), 0);
  assert.equal(await player(phone.page, 'p.paused'), true, 'the touch did not play');
  assert.deepEqual(await cspViolations(phone.page, phone.log), []);
  assert.deepEqual(phone.log.errors, []);
});

/** How many pixels of the overlay are painted. */
const painted = (page) => page.evaluate(() => {
  const c = window.layer.canvas;
  if (c.hidden) return 0;
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
});

test('a shown drawing is over the frames of its range, [frame, frame_end), and no other; the one highlighted stands out', async () => {
  const { page, log } = await open();
  const frame = 400;
  await page.evaluate((f) => window.layer.show([
    // A malformed shape (no `from`) is skipped; the rest of its drawing still shows.
    { id: 'a', frame: f, frame_end: f + 10, drawing: { shapes: [{ kind: 'arrow', color: '#ff3b30', width: 0.006 }, { kind: 'ellipse', x: 0.3, y: 0.4, w: 0.2, h: 0.1, color: '#ff3b30', width: 0.006 }] } },
    { id: 'b', frame: f + 5, drawing: { shapes: [{ kind: 'arrow', from: [0.1, 0.1], to: [0.3, 0.3], color: '#ffcc00', width: 0.006 }] } },
  ]), frame);
  const at = async (n) => {
    await page.evaluate((k) => document.getElementById('player').seekToFrame(k), n);
    assert.equal(await player(page, 'p.currentFrame'), n);
    return painted(page);
  };
  assert.equal(await at(frame - 1), 0, 'the frame before the range');
  const first = await at(frame);
  assert.ok(first > 100, `the range's first frame shows it (${first} pixels)`);
  assert.equal(await at(frame + 9), first, 'its last frame too');
  assert.equal(await at(frame + 10), 0, 'frame_end is outside');
  // A note on one frame (no frame_end) shows there alone, with the other's drawing.
  const both = await at(frame + 5);
  assert.ok(both > first, 'frame 405 has both drawings');
  assert.equal(await at(frame + 6), first);
  await page.evaluate((f) => document.getElementById('player').seekToFrame(f + 12), frame);
  assert.equal(await painted(page), 0);

  // Highlighted: the selected note's drawing is haloed, the other dimmed.
  await at(frame + 5);
  const read = () => page.evaluate(() => {
    const c = window.layer.canvas;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let opaque = 0;
    let max = 0;
    for (let i = 3; i < data.length; i += 4) {
      if (data[i] > 0) opaque++;
      max = Math.max(max, data[i]);
    }
    return { opaque, max };
  });
  const plain = await read();
  await page.evaluate(() => window.layer.highlight('a'));
  const lit = await read();
  assert.ok(lit.opaque > plain.opaque, 'the halo paints around the highlighted drawing');
  await page.evaluate(() => window.layer.show([]));
  assert.equal(await painted(page), 0, 'show([]) clears');
  assert.deepEqual(log.errors, []);
});

test('undo and redo (buttons and keys), the caps refused with a message, Escape leaves editing', async () => {
  const { page, log } = await open();
  const changes = await page.evaluateHandle(() => {
    const seen = [];
    window.layer.addEventListener('change', (e) => seen.push(e.detail.drawing.shapes.length));
    window.layer.addEventListener('done', (e) => seen.push(`done:${e.detail.drawing?.shapes.length ?? 'null'}`));
    return seen;
  });
  await page.evaluate(() => window.layer.edit({ tool: 'rect' }));
  await mouseDrag(page, [[0.2, 0.2], [0.4, 0.4]]);
  await mouseDrag(page, [[0.5, 0.5], [0.7, 0.7]]);
  const ui = page.locator('manju-player');
  assert.equal((await shapes(page)).length, 2);
  await ui.locator('button[aria-label="Undo"]').click();
  assert.equal((await shapes(page)).length, 1);
  await ui.locator('button[aria-label="Redo"]').click();
  assert.equal((await shapes(page)).length, 2);
  // Keys, with the focus in the player (on the host).
  await page.locator('#player').focus();
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  assert.equal((await shapes(page)).length, 0);
  assert.equal(await ui.locator('button[aria-label="Undo"]').getAttribute('aria-disabled'), 'true');
  await page.keyboard.press('Control+Shift+z');
  assert.equal((await shapes(page)).length, 1);
  await page.keyboard.press('Control+y');
  assert.equal((await shapes(page)).length, 2);
  await ui.locator('button[aria-label="Clear the drawing"]').click();
  assert.equal((await shapes(page)).length, 0);
  await page.keyboard.press('Meta+z');
  assert.equal((await shapes(page)).length, 2, 'clear is undone');
  // A new shape after an undo drops the redo branch.
  await page.keyboard.press('Control+z');
  await mouseDrag(page, [[0.1, 0.8], [0.3, 0.9]]);
  assert.equal(await ui.locator('button[aria-label="Redo"]').getAttribute('aria-disabled'), 'true');
  assert.deepEqual(await changes.jsonValue(), [1, 2, 1, 2, 1, 0, 1, 2, 0, 2, 1, 2]);

  // 200 shapes: the 201st is refused, visibly.
  const message = ui.locator('.drawing-message');
  await page.evaluate(() => window.layer.edit({
    drawing: { shapes: Array.from({ length: 200 }, (_, i) => ({ kind: 'rect', x: 0.001 * i, y: 0.1, w: 0.1, h: 0.1, color: '#ff3b30', width: 0.004 })) },
  }));
  await mouseDrag(page, [[0.5, 0.5], [0.7, 0.7]]);
  assert.equal((await shapes(page)).length, 200);
  await message.waitFor({ state: 'visible' });
  assert.match(await message.textContent(), /at most 200 shapes/);
  assert.equal(await message.getAttribute('role'), 'status');

  // 5 000 points: a stroke that cannot be simplified into what is left is refused, and says so.
  const line = Array.from({ length: 4980 }, (_, i) => [0.1 + (0.8 * i) / 4979, 0.95]);
  await page.evaluate((points) => window.layer.edit({
    tool: 'pen', drawing: { shapes: [{ kind: 'stroke', points, color: '#34c759', width: 0.004 }] },
  }), line);
  assert.equal(await message.count() && await message.textContent(), '', 'a new edit starts without the old message');
  const zigzag = Array.from({ length: 40 }, (_, i) => [0.2 + 0.015 * i, i % 2 ? 0.3 : 0.5]);
  await mouseDrag(page, zigzag, 2);
  assert.equal((await shapes(page)).length, 1, 'the zigzag (40 corners, 20 points left) is refused');
  await message.waitFor({ state: 'visible' });
  assert.match(await message.textContent(), /does not fit: the drawing has 20 of its 5\u00a0000 points left/);
  // A short stroke still fits, and the message goes.
  await mouseDrag(page, [[0.2, 0.7], [0.4, 0.7]], 20);
  const after = await shapes(page);
  assert.equal(after.length, 2);
  assert.ok(after[0].points.length + after[1].points.length <= 5000);
  assert.equal(await message.textContent(), '');

  // Escape leaves editing as Done does: the toolbar goes, the drawing is handed over.
  await page.locator('#player').focus();
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => window.layer.editing), false);
  assert.equal(await ui.locator('.drawing-toolbar').isVisible(), false);
  assert.equal((await changes.jsonValue()).at(-1), 'done:2');
  // Not editing, a click on the picture plays again (the layer lets it through).
  const pic = await pictureOnScreen(page);
  await page.mouse.click(...toScreen(pic, [0.5, 0.5]));
  await page.waitForFunction(() => !document.getElementById('player').paused, null, { timeout: 5000 });
  await page.evaluate(() => document.getElementById('player').pause());
  // cancel() forgets what was drawn.
  await page.evaluate(() => window.layer.edit({ tool: 'rect' }));
  await mouseDrag(page, [[0.2, 0.2], [0.4, 0.4]]);
  await page.evaluate(() => window.layer.cancel());
  assert.equal(await page.evaluate(() => window.layer.done()), null);
  assert.deepEqual(log.errors, []);
});

test('the toolbar works by keyboard alone and axe-core finds nothing wrong with it', async () => {
  const { page, log } = await open({ initScript: { path: AXE } });
  await page.evaluate(() => window.layer.edit({ tool: 'pen' }));
  const ui = page.locator('manju-player');
  const focused = () => page.evaluate(() => {
    const a = document.getElementById('player').shadowRoot.activeElement;
    return a ? a.getAttribute('aria-label') : null;
  });
  // Tab from the player reaches the toolbar at its one tab stop, the tool in use.
  await page.locator('#player').focus();
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'Pen');
  // Arrows move along it (the player's own arrow keys, seeking, stay out of it).
  const t0 = await page.evaluate(() => document.getElementById('player').currentTime);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await focused(), 'Rectangle');
  assert.equal(await page.evaluate(() => document.getElementById('player').currentTime), t0, 'arrows did not seek');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => window.layer.tool), 'rect');
  assert.equal(await ui.locator('button[aria-label="Rectangle"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await ui.locator('button[aria-label="Pen"]').getAttribute('aria-pressed'), 'false');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await focused(), 'Yellow');
  await page.keyboard.press(' ');
  assert.equal(await page.evaluate(() => window.layer.colour), '#ffcc00');
  assert.equal(await player(page, 'p.paused'), true, 'space on a button is the button\'s, not play');
  await page.keyboard.press('End');
  assert.equal(await focused(), 'Done drawing');
  await page.keyboard.press('ArrowRight');
  assert.equal(await focused(), 'Pen', 'it wraps around');
  await page.keyboard.press('ArrowLeft');
  // One tab stop: Tab leaves the toolbar for the player's controls, Shift+Tab comes back to where it was.
  await page.keyboard.press('Tab');
  assert.notEqual(await focused(), 'Pen');
  assert.equal(await page.evaluate(() => document.getElementById('player').shadowRoot.activeElement.closest('.drawing-toolbar')), null);
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'Done drawing');

  // axe on the page with the toolbar up, a message shown and the text box open.
  await page.evaluate(() => window.layer.edit({
    drawing: { shapes: Array.from({ length: 200 }, () => ({ kind: 'rect', x: 0.1, y: 0.1, w: 0.1, h: 0.1, color: '#ff3b30', width: 0.004 })) },
  }));
  await mouseDrag(page, [[0.5, 0.5], [0.7, 0.7]]);
  await ui.locator('.drawing-message').waitFor({ state: 'visible' });
  await page.evaluate(() => window.layer.edit({ drawing: { shapes: [] }, tool: 'text' }));
  const pic = await pictureOnScreen(page);
  await page.mouse.click(...toScreen(pic, [0.3, 0.6]));
  await ui.locator('input.drawing-text').waitFor({ state: 'visible' });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, []);

  // Escape from the toolbar leaves editing and gives the focus back to the player.
  await page.keyboard.press('Escape'); // drops the text box
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => window.layer.editing), false);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'player');
  assert.deepEqual(log.errors, []);
});
