// Drawings on review notes, and deleting notes, in the page (www/review/composer.js,
// notes.js, drawing.js), against a real `manju serve` on a temp SQLite with the demo as
// drama `demo` v1: reviewer A draws an ellipse and an arrow with the real mouse on a note
// at frame 400 and sends it; reviewer B sees it live and, on frame 400 only, the drawing
// over the picture — on the same spot of the frame at desktop size, at 360×740 and in
// full screen (found by diffing screenshots, not by asking the layer); a draft with a
// drawing survives a reload; one's own note's drawing is edited and removed; a deleted
// note leaves both pages at once and comes back with Undo, checked through the API; who
// may delete; the keyboard opens and leaves the drawing layer (drawing itself needs a
// pointer); axe-core with a drawing attached. Waits poll for what they wait for.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/chromium.mjs';
import { cleanup, DEMO, makeLibrary, owned, startServer } from '../review/server.mjs';
import { READY_TIMEOUT_MS, requireBuilt } from './helpers.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** How long a change may take to reach another reviewer's page. */
const LIVE_MS = 5000;

let server;
let browser;
let api;
let version;

before(async () => {
  requireBuilt();
  server = await startServer({ library: makeLibrary({ demo: { v1: DEMO } }), args: ['--rate-limit', '100000/100000'] });
  api = await owned(server);
  version = api.version('demo');
  browser = await launchChromium({});
});

after(async () => {
  await browser?.close();
  await server?.stop();
  cleanup(server?.library, server?.data);
});

async function shareLink(role) {
  const link = await api.owner.post('/api/v1/dramas/demo/shares', { role, label: `${role} test` });
  assert.equal(link.status, 201, link.text);
  return link.json.token;
}

/** A reviewer's page in a fresh context, signed in as `name`, the drama ready and the panel up. */
async function reviewer(url, name, { viewport = { width: 1280, height: 800 }, initScript = null, ...options } = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  const field = page.locator('dialog.name-dialog input[name="name"]');
  await field.waitFor({ timeout: READY_TIMEOUT_MS });
  await field.fill(name);
  await page.keyboard.press('Enter');
  await ready(page);
  return { page, context, errors };
}

async function ready(page) {
  await page.waitForFunction(() => document.getElementById('player')?.state === 'ready'
    && !document.getElementById('notes-card').hidden, null, { timeout: READY_TIMEOUT_MS });
}

const list = async (query = '') => (await api.owner.get(`/api/v1/versions/${version}/comments${query}`)).json.comments;

async function untilServer(predicate, query = '', timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const got = await list(query);
    if (predicate(got)) return got;
    if (Date.now() > deadline) throw new Error(`the server did not get there in ${timeout} ms: ${JSON.stringify(got.map((c) => [c.body, c.status]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const note = (page, body) => page.locator('#notes-card li.note', { hasText: body }).first();
const layerUi = (page) => page.locator('manju-player');
const editing = (page) => page.evaluate(() => {
  const root = document.getElementById('player').shadowRoot.querySelector('.drawing');
  return root?.dataset.editing === 'true';
});

/** The picture on screen (CSS pixels), from the player's canvas box and the drama's size (object-fit: contain). */
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

async function mouseDrag(page, from, to) {
  const pic = await pictureOnScreen(page);
  await page.mouse.move(...toScreen(pic, from));
  await page.mouse.down();
  await page.mouse.move(...toScreen(pic, to), { steps: 8 });
  await page.mouse.up();
}

/** Seeks to frame `n` and waits for it on the canvas. */
async function onFrame(page, n) {
  await page.evaluate((f) => document.getElementById('player').seekToFrame(f), n);
  await page.waitForFunction((f) => document.getElementById('player').currentFrame === f, n);
  // Two animation frames: whatever the layer redrew is on screen.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** In the page: how many pixels of the drawing layer's overlay canvas are painted. */
function paintedInPage() {
  const c = document.getElementById('player').shadowRoot.querySelector('canvas.drawing-canvas');
  if (!c || c.hidden) return 0;
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}

const painted = (page) => page.evaluate(paintedInPage);

/** Waits until more than `n` pixels of the overlay are painted (`fewer`: until at most `n`). */
const untilPainted = (page, n = 0, { fewer = false } = {}) => page.waitForFunction(
  `(${paintedInPage})() ${fewer ? '<=' : '>'} ${n}`, null, { timeout: LIVE_MS });

/** Sets the status filter as a reviewer would (works in full screen too, where the panel is not on screen). */
const filterStatus = (page, value) => page.evaluate((v) => {
  const el = document.getElementById('filter-status');
  el.value = v;
  el.dispatchEvent(new Event('change'));
}, value);

/** Screenshot of the picture, as a base64 PNG with its clip. */
async function shotOfPicture(page) {
  const pic = await pictureOnScreen(page);
  const view = page.viewportSize();
  const x = Math.max(0, Math.floor(pic.x));
  const y = Math.max(0, Math.floor(pic.y));
  const clip = { x, y, width: Math.min(Math.ceil(pic.x + pic.w), view.width) - x, height: Math.min(Math.ceil(pic.y + pic.h), view.height) - y };
  return { png: (await page.screenshot({ clip, scale: 'css' })).toString('base64'), clip };
}

/** The box (page CSS pixels) of the pixels that clearly differ between two screenshots of one clip. */
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

/**
 * Where the notes' drawings show on the picture on the frame on screen: the pixels that
 * change when the status filter hides the (open) notes, as a box normalised to the
 * picture, with the picture's size.
 */
async function whereItShows(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const withIt = await shotOfPicture(page);
  await filterStatus(page, 'resolved');
  await untilPainted(page, 0, { fewer: true });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const without = await shotOfPicture(page);
  await filterStatus(page, 'all');
  await untilPainted(page);
  const box = await changedBox(page, without, withIt);
  const pic = await pictureOnScreen(page);
  assert.ok(box, 'the drawing shows over the picture');
  return { pic, l: (box.l - pic.x) / pic.w, r: (box.r - pic.x) / pic.w, t: (box.t - pic.y) / pic.h, b: (box.b - pic.y) / pic.h };
}

/** Two places on the picture agree within 2 px of the smaller picture. */
function sameSpot(a, b, where) {
  const w = Math.min(a.pic.w, b.pic.w);
  const h = Math.min(a.pic.h, b.pic.h);
  for (const [edge, size] of [['l', w], ['r', w], ['t', h], ['b', h]]) {
    assert.ok(Math.abs(a[edge] - b[edge]) * size <= 2, `${where}: edge ${edge} at ${(b[edge] * size).toFixed(1)} px, desktop at ${(a[edge] * size).toFixed(1)} px of ${size.toFixed(0)}`);
  }
}

// Where A draws (picture-normalised): an ellipse, and an arrow inside its box, so that
// the drawing's outer edges are the ellipse's (its line included).
const ELLIPSE = [[0.2, 0.3], [0.75, 0.5]];
const ARROW = [[0.35, 0.36], [0.6, 0.44]];

/** Picks a tool, colour or width on the layer's toolbar with the mouse. */
const pick = (page, label) => layerUi(page).locator(`.drawing-toolbar button[aria-label="${label}"]`).click();

test('A draws an ellipse and an arrow on a note at frame 400; B sees it live there, on the same spot at desktop, phone and full-screen sizes, and on no other frame', async () => {
  const token = await shareLink('comment');
  const a = await reviewer(`${server.url}#share=${token}`, 'Lin');
  const b = await reviewer(`${server.url}#share=${token}`, 'Gu');
  await b.page.waitForFunction(() => window.manjuReview.store.connected);
  const body = `圈出这里 ${Date.now()}`;

  await onFrame(a.page, 400);
  await a.page.locator('#player').focus();
  await a.page.keyboard.press('c');
  await a.page.locator('#composer-body').fill(body);
  await a.page.locator('#composer-draw').click();
  await a.page.waitForFunction(() => document.getElementById('player').shadowRoot.querySelector('.drawing')?.dataset.editing === 'true');
  await pick(a.page, 'Ellipse');
  await pick(a.page, 'Blue');
  await pick(a.page, 'Thick line');
  await mouseDrag(a.page, ...ELLIPSE);
  await pick(a.page, 'Arrow');
  await mouseDrag(a.page, ...ARROW);
  await pick(a.page, 'Done drawing');
  assert.equal(await editing(a.page), false);
  assert.equal(await a.page.locator('.composer .drawing-chip-text').textContent(), 'drawing: 2 shapes');
  assert.equal(await a.page.evaluate(() => document.activeElement?.id), 'composer-body', 'back in the composer');
  assert.equal(await a.page.evaluate(() => document.getElementById('player').paused), true, 'drawing never played');
  await a.page.keyboard.press('Control+Enter');
  await a.page.locator('.composer').waitFor({ state: 'hidden' });

  const [stored] = (await untilServer((got) => got.some((c) => c.body === body))).filter((c) => c.body === body);
  assert.equal(stored.anchor.frame, 400);
  assert.deepEqual(stored.drawing.shapes.map((s) => s.kind), ['ellipse', 'arrow']);
  const pic = await pictureOnScreen(a.page);
  const [ellipse, arrow] = stored.drawing.shapes;
  for (const [got, want, size] of [[ellipse.x, 0.2, pic.w], [ellipse.y, 0.3, pic.h], [ellipse.w, 0.55, pic.w], [ellipse.h, 0.2, pic.h],
    [arrow.from[0], 0.35, pic.w], [arrow.from[1], 0.36, pic.h], [arrow.to[0], 0.6, pic.w], [arrow.to[1], 0.44, pic.h]]) {
    assert.ok(Math.abs(got - want) * size <= 1, `${got} is within a pixel of ${want}`);
  }
  assert.deepEqual([ellipse.color, ellipse.width], ['#0a84ff', 0.01]);

  // B: the note arrives live, with its drawing; over the picture on frame 400 only.
  await note(b.page, body).waitFor({ timeout: LIVE_MS });
  assert.equal(await note(b.page, body).locator('.note-drawing').textContent(), 'drawing: 2 shapes');
  await onFrame(b.page, 399);
  assert.equal(await painted(b.page), 0, 'not on frame 399');
  await onFrame(b.page, 401);
  assert.equal(await painted(b.page), 0, 'not on frame 401');
  await onFrame(b.page, 400);
  const lit = await painted(b.page);
  assert.ok(lit > 200, `on frame 400 (${lit} pixels)`);

  const desktop = await whereItShows(b.page);
  // Its outer edges are the ellipse's, line included.
  const half = 0.01 / 2;
  const want = { l: ellipse.x - half, r: ellipse.x + ellipse.w + half, t: ellipse.y - (half * desktop.pic.w) / desktop.pic.h, b: ellipse.y + ellipse.h + (half * desktop.pic.w) / desktop.pic.h };
  sameSpot({ ...want, pic: desktop.pic }, desktop, 'desktop, against what A drew');

  // Full screen (F, a real key press).
  await b.page.locator('#player').focus();
  await b.page.keyboard.press('f');
  await b.page.waitForFunction(() => {
    const p = document.getElementById('player');
    const r = p.getBoundingClientRect();
    return document.fullscreenElement === p && Math.abs(r.height - innerHeight) < 1;
  }, null, { timeout: 5000 });
  const full = await whereItShows(b.page);
  assert.ok(full.pic.h > desktop.pic.h + 20, `full screen is larger (${full.pic.h} > ${desktop.pic.h})`);
  sameSpot(desktop, full, 'full screen');
  await b.page.keyboard.press('f');
  await b.page.waitForFunction(() => document.fullscreenElement === null, null, { timeout: 5000 });

  // A phone (another reviewer on the same link): the drawing comes with the list.
  const phone = await reviewer(`${server.url}#share=${token}`, 'Phone', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await note(phone.page, body).waitFor();
  await onFrame(phone.page, 400);
  const small = await whereItShows(phone.page);
  assert.ok(small.pic.w < 360, `the phone's picture is ${small.pic.w} px wide`);
  sameSpot(desktop, small, 'phone');

  // Clicking the note in B's panel goes to its frame and highlights its drawing (a halo).
  await onFrame(b.page, 0);
  await note(b.page, body).locator('.note-anchor').click();
  await b.page.waitForFunction(() => document.getElementById('player').currentFrame === 400);
  await untilPainted(b.page, lit);

  // Resolved, its drawing leaves the picture (status All); the Resolved filter shows it.
  await note(b.page, body).getByRole('button', { name: 'Resolve' }).click();
  await onFrame(a.page, 400);
  await a.page.waitForFunction(() => document.querySelector('#notes-card li.note[data-status="resolved"]'));
  assert.equal(await painted(a.page), 0, 'a resolved note\'s drawing is hidden');
  await a.page.selectOption('#filter-status', 'resolved');
  await untilPainted(a.page);
  await a.page.selectOption('#filter-status', 'all');
  await note(a.page, body).getByRole('button', { name: 'Reopen' }).click();
  await untilServer((got) => got.find((c) => c.id === stored.id)?.status === 'open');

  for (const r of [a, b, phone]) assert.deepEqual(r.errors, []);
  await a.context.close();
  await b.context.close();
  await phone.context.close();
});

test('a draft with a drawing survives a reload (mid-drawing too), and is sent with it', async () => {
  const { page, context, errors } = await reviewer(`${server.url}#share=${await shareLink('comment')}`, 'Lin');
  await onFrame(page, 500);
  await page.locator('#note-button').click();
  await page.locator('#composer-body').fill('草稿带图');
  await page.locator('#composer-draw').click();
  await pick(page, 'Rectangle');
  await mouseDrag(page, [0.3, 0.3], [0.6, 0.5]);
  // Reloaded while still drawing: what was drawn is in the draft.
  await page.reload();
  await ready(page);
  await page.locator('.composer').waitFor();
  assert.equal(await page.locator('#composer-body').inputValue(), '草稿带图');
  assert.equal(await page.locator('.composer .drawing-chip-text').textContent(), 'drawing: 1 shape');
  assert.equal(await page.locator('#composer-draw').textContent(), 'Edit drawing');
  // Shown over its frame while it is written.
  await page.waitForFunction(() => document.getElementById('player').currentFrame === 500);
  await untilPainted(page);
  // One more shape, Done, and another reload.
  await page.locator('#composer-draw').click();
  await pick(page, 'Ellipse');
  await mouseDrag(page, [0.2, 0.6], [0.5, 0.8]);
  await page.locator('#player').focus();
  await page.keyboard.press('Escape');
  await page.locator('.composer .drawing-chip-text', { hasText: 'drawing: 2 shapes' }).waitFor();
  await page.reload();
  await ready(page);
  await page.locator('.composer .drawing-chip-text', { hasText: 'drawing: 2 shapes' }).waitFor();
  // Remove takes it off; the draft follows.
  await page.getByRole('button', { name: 'Remove the drawing' }).click();
  assert.equal(await page.locator('.composer .drawing-chip').isHidden(), true);
  assert.equal(await page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('manju.review.draft'))[1]).drawing), null);
  await page.locator('#composer-draw').click();
  await pick(page, 'Pen');
  await mouseDrag(page, [0.4, 0.4], [0.45, 0.5]);
  await pick(page, 'Done drawing');
  await page.locator('#composer-body').press('Control+Enter');
  const [stored] = (await untilServer((got) => got.some((c) => c.body === '草稿带图'))).filter((c) => c.body === '草稿带图');
  assert.deepEqual([stored.anchor.frame, stored.drawing.shapes.map((s) => s.kind)], [500, ['stroke']]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('one\'s own note\'s drawing is edited (over its frame) and removed', async () => {
  const token = await shareLink('comment');
  const { page, context, errors } = await reviewer(`${server.url}#share=${token}`, 'Lin');
  const id = crypto.randomUUID();
  await page.evaluate((i) => window.manjuReview.store.add({
    id: i, body: '改图', anchor: { frame: 300, frame_end: 301, range: false },
    drawing: { shapes: [{ kind: 'rect', x: 0.1, y: 0.1, w: 0.2, h: 0.2, color: '#ff3b30', width: 0.004 }] },
  }), id);
  await untilServer((got) => got.some((c) => c.id === id));
  const mine = page.locator(`#notes-card li.note[data-id="${id}"]`);
  await mine.locator('.note-pending').waitFor({ state: 'detached' });
  await mine.getByRole('button', { name: 'Edit', exact: true }).click();
  await mine.getByRole('button', { name: 'Edit drawing' }).click();
  await page.waitForFunction(() => document.getElementById('player').currentFrame === 300);
  await pick(page, 'Arrow');
  await mouseDrag(page, [0.5, 0.5], [0.7, 0.7]);
  await pick(page, 'Done drawing');
  await mine.locator('.drawing-chip-text', { hasText: 'drawing: 2 shapes' }).waitFor();
  await mine.getByRole('button', { name: 'Save' }).click();
  await untilServer((got) => got.find((c) => c.id === id)?.drawing?.shapes.length === 2);
  await mine.getByRole('button', { name: 'Edit', exact: true }).click();
  await mine.getByRole('button', { name: 'Remove the drawing' }).click();
  await mine.getByRole('button', { name: 'Save' }).click();
  await untilServer((got) => got.find((c) => c.id === id)?.drawing === null);
  await mine.locator('.note-drawing').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('delete with Undo: gone from both pages and the seek bar at once, back with Undo, nothing erased on the server; who may delete', async () => {
  const token = await shareLink('comment');
  const a = await reviewer(`${server.url}#share=${token}`, 'Lin');
  const b = await reviewer(`${server.url}#share=${token}`, 'Gu');
  await b.page.waitForFunction(() => window.manjuReview.store.connected);
  const body = `要删的 ${Date.now()}`;
  await onFrame(a.page, 620);
  await a.page.locator('#player').focus();
  await a.page.keyboard.press('c');
  await a.page.keyboard.type(body);
  await a.page.keyboard.press('Control+Enter');
  const [stored] = (await untilServer((got) => got.some((c) => c.body === body))).filter((c) => c.body === body);
  const marker = (page) => page.locator(`manju-player .marker[data-id="${stored.id}"]`);
  await note(b.page, body).waitFor({ timeout: LIVE_MS });
  await marker(b.page).waitFor({ state: 'attached' });
  // Not B's to delete (a commenter, not its author).
  assert.equal(await note(b.page, body).getByRole('button', { name: 'Delete' }).count(), 0);

  await note(a.page, body).getByRole('button', { name: 'Delete' }).click();
  // At once in A's page: out of the panel and off the seek bar, the toast offering Undo.
  assert.equal(await note(a.page, body).count(), 0);
  assert.equal(await marker(a.page).count(), 0);
  const toast = a.page.locator('#toast');
  await toast.locator('.toast-text', { hasText: 'Note deleted' }).waitFor();
  assert.equal(await toast.locator('.toast-action').textContent(), 'Undo');
  // Live in B's, and on the server: deleted, not erased.
  await note(b.page, body).waitFor({ state: 'detached', timeout: LIVE_MS });
  await marker(b.page).waitFor({ state: 'detached', timeout: LIVE_MS });
  await untilServer((got) => got.some((c) => c.id === stored.id && c.status === 'deleted'), '?status=deleted');
  assert.equal((await list()).some((c) => c.id === stored.id), false, 'out of the list');

  await toast.getByRole('button', { name: 'Undo' }).click();
  await note(a.page, body).waitFor();
  await note(b.page, body).waitFor({ timeout: LIVE_MS });
  await marker(b.page).waitFor({ state: 'attached', timeout: LIVE_MS });
  await untilServer((got) => got.find((c) => c.id === stored.id)?.status === 'open');
  assert.equal((await list('?status=deleted')).some((c) => c.id === stored.id), false);

  // The owner may delete anyone's; a viewer nobody's.
  const owner = await reviewer(`${server.url}#owner=${server.owner}`, 'Owner');
  await note(owner.page, body).getByRole('button', { name: 'Delete' }).waitFor();
  const viewer = await reviewer(`${server.url}#share=${await shareLink('view')}`, 'Lin');
  await note(viewer.page, body).waitFor();
  assert.equal(await viewer.page.getByRole('button', { name: 'Delete' }).count(), 0, 'a viewer has no Delete (even under an author\'s name)');
  for (const r of [a, b, owner, viewer]) {
    assert.deepEqual(r.errors, []);
    await r.context.close();
  }
});

test('without a server, a deleted note is marked so (kept, exported as deleted) and Undo brings it back', async () => {
  const { page, context, errors } = await reviewer(`${server.url}?review=local`, 'Solo');
  await onFrame(page, 200);
  await page.locator('#player').focus();
  await page.keyboard.press('c');
  await page.keyboard.type('本地要删');
  await page.keyboard.press('Control+Enter');
  await note(page, '本地要删').getByRole('button', { name: 'Delete' }).click();
  assert.equal(await note(page, '本地要删').count(), 0);
  await page.locator('.notes-status[data-state="ok"]', { hasText: 'Kept in this browser' }).waitFor();
  await page.reload();
  await ready(page);
  assert.equal(await note(page, '本地要删').count(), 0, 'still deleted after a reload');
  const exported = await page.evaluate(() => window.manjuReview.store.export());
  assert.deepEqual(exported.comments.map((c) => [c.body, c.status]), [['本地要删', 'deleted']]);
  const id = exported.comments[0].id;
  await page.evaluate((i) => window.manjuReview.store.restore(i), id);
  await note(page, '本地要删').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard: D opens the drawing layer, Tab reaches its toolbar, Escape and Done come back to the note; Draw is a tab stop of the composer', async () => {
  const { page, context, errors } = await reviewer(`${server.url}#share=${await shareLink('comment')}`, 'Keys');
  await onFrame(page, 100);
  await page.locator('#player').focus();
  // D on the picture: a note on this frame, drawing at once.
  await page.keyboard.press('d');
  await page.locator('.composer').waitFor();
  assert.equal(await editing(page), true);
  const focusedInPlayer = () => page.evaluate(() => document.getElementById('player').shadowRoot.activeElement?.getAttribute('aria-label') ?? null);
  // The panel's keys are not taken while drawing: N would move the frame away.
  await page.keyboard.press('n');
  assert.equal(await page.evaluate(() => document.getElementById('player').currentFrame), 100);
  assert.equal(await editing(page), true);
  await page.keyboard.press('Tab');
  assert.equal(await focusedInPlayer(), 'Pen', 'the toolbar is the next tab stop');
  await page.keyboard.press('Escape');
  assert.equal(await editing(page), false);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer-body', 'Escape comes back to the note');
  // Drawing itself needs a pointer: with none drawn, nothing is attached.
  assert.equal(await page.locator('.composer .drawing-chip').isHidden(), true);
  // Draw by Tab and Enter; Done by the toolbar's End and Enter.
  for (let i = 0; i < 12 && await page.evaluate(() => document.activeElement?.id) !== 'composer-draw'; i++) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer-draw');
  await page.keyboard.press('Enter');
  assert.equal(await editing(page), true);
  await page.keyboard.press('Tab');
  await page.keyboard.press('End');
  assert.equal(await focusedInPlayer(), 'Done drawing');
  await page.keyboard.press('Enter');
  assert.equal(await editing(page), false);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer-body');
  assert.equal(await page.evaluate(() => document.getElementById('player').currentFrame), 100);
  // The help says so.
  assert.match(await page.locator('#composer-help').textContent(), /Draw \(D\)/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('no accessibility violations with a drawing attached to the note being written', async () => {
  const axe = await readFile(AXE, 'utf8');
  const { page, context } = await reviewer(`${server.url}#share=${await shareLink('comment')}`, 'Lin', { initScript: axe });
  await onFrame(page, 400);
  await page.locator('#note-button').click();
  await page.locator('#composer-body').fill('有图的笔记');
  await page.locator('#composer-draw').click();
  await mouseDrag(page, [0.3, 0.3], [0.5, 0.5]);
  await pick(page, 'Done drawing');
  await page.locator('.composer .drawing-chip-text', { hasText: 'drawing: 1 shape' }).waitFor();
  // The panel and the player (with the drawing shown over the picture). Not the whole
  // page: on frame 400 the dialogue sheet's current line has a contrast problem of its
  // own (its time and duration), which is the sheet's to fix, not the notes'.
  const result = await page.evaluate(() => window.axe.run({ include: [['#notes-card'], ['#player']] }, { resultTypes: ['violations'] }));
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(found, []);
  await context.close();
});
