// Exports from the review page (www/review/export-menu.js, report.js), against a real
// `manju serve` on a temp SQLite with the demo as drama `demo` v1 (./review-helpers.mjs):
// a reviewer writes a note with the keyboard and replies to it, another reviewer's note
// with a drawing, a deleted note and an approver's decisions come through the API; the
// Export menu's CSV and EDL downloads are byte for byte the API's export.csv and
// export.edl; the printable report opens in a new tab under the page's CSP (its
// stylesheet loaded, nothing inline, no violation in either page) with the decisions on
// top and one row a note in frame order — timecode (the CSV's), frame, shot, author,
// body, the reply under its note, the deleted note left out — and each row's frame is
// the core's thumbnail of that frame, the drawing's stroke over it; the server's refusal
// and a blocked pop-up are said in the toast; without a server CSV and EDL are not
// offered and say why while JSON and the report still work; many notes drawn frame by
// frame, the progress said and the page's event loop running between frames; the menu
// by keyboard; axe with the menu open (and on the report); the menu at 360 px by touch.
// Waits poll for what they wait for; no fixed sleeps.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { READY_TIMEOUT_MS } from './helpers.mjs';
import { axeSource, axeViolations, LIVE_MS, note, writeNote, startReview } from './review-helpers.mjs';

let env;

before(async () => {
  env = await startReview();
});

after(async () => {
  await env?.close();
});

/**
 * An init script for the opener: every window it opens records its own CSP violations
 * from the start (the report's tab is about:blank, built by the opener, so no init script
 * of the driver runs in it first), and `window.__progress` what its `.progress` line said,
 * each time with how many turns of a heartbeat — a message the opener posts itself, over
 * and over, until the report is ready — had run by then: they run only when the report's
 * drawing lets the opener's event loop go round.
 */
function watchPopups() {
  const open = window.open;
  window.__progress = [];
  window.open = function (...args) {
    const win = open.apply(this, args);
    if (!win) return win;
    win.__cspViolations = [];
    win.document.addEventListener('securitypolicyviolation', (e) => {
      win.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
    let beats = 0;
    const heart = new MessageChannel();
    heart.port1.onmessage = () => {
      beats++;
      if (win.document.body?.dataset.ready !== 'true' && !win.closed) heart.port2.postMessage(0);
    };
    heart.port2.postMessage(0);
    new MutationObserver(() => {
      const text = win.document.querySelector('.progress')?.textContent;
      if (text && text !== window.__progress.at(-1)?.text) window.__progress.push({ text, beats });
    }).observe(win.document, { subtree: true, childList: true, characterData: true });
    return win;
  };
}

/** A red-free, picture-free colour: where the drawing's stroke is, nothing else is this. */
const STROKE = '#ff00ff';
/** The drawing: a rectangle, thick enough to have pixels wholly inside its stroke. */
const RECT = { kind: 'rect', x: 0.2, y: 0.3, w: 0.5, h: 0.3, color: STROKE, width: 0.02 };

/** The menu's item for `kind` (its name: the kind, then what it is for). */
const menuItem = (page, kind) => page.getByRole('menuitem', { name: new RegExp(`^${kind} `) });

async function openMenu(page) {
  await page.getByRole('button', { name: 'Export' }).click();
  await page.locator('#export-menu').waitFor();
}

/** Clicks menu item `name` and resolves to the download's bytes and name. */
async function download(page, name) {
  await openMenu(page);
  const started = page.waitForEvent('download');
  await menuItem(page, name).click();
  const file = await started;
  return { bytes: await readFile(await file.path()), name: file.suggestedFilename() };
}

/** Opens the printable report from the menu; resolves to its page once every frame is drawn. */
async function openReport(page) {
  await openMenu(page);
  const opened = page.context().waitForEvent('page');
  await menuItem(page, 'Printable report').click();
  const report = await opened;
  const consoleCsp = [];
  report.on('console', (m) => /Content Security Policy/i.test(m.text()) && consoleCsp.push(m.text()));
  await report.waitForFunction(() => document.body?.dataset.ready === 'true', null, { timeout: READY_TIMEOUT_MS });
  report.csp = async () => [...consoleCsp, ...(await report.evaluate(() => window.__cspViolations ?? ['the recorder did not run']))];
  return report;
}

/**
 * The report's rows as they read: {id, status, where: [lines], author, body, replies:
 * [{author, body}], canvas: {width, height}}.
 */
function reportRows(report) {
  return report.evaluate(() => [...document.querySelectorAll('table.notes tbody tr')].map((tr) => ({
    id: tr.dataset.id,
    status: tr.querySelector('td.status').textContent,
    where: [...tr.querySelectorAll('td.where div')].map((d) => d.textContent),
    author: tr.querySelector('.author').textContent,
    body: tr.querySelector('.body').textContent,
    replies: [...tr.querySelectorAll('.replies .reply')].map((r) => ({ author: r.querySelector('.reply-author').textContent, body: r.querySelector('.reply-body').textContent })),
    canvas: (({ width, height }) => ({ width, height }))(tr.querySelector('canvas.frame')),
  })));
}

/**
 * Compares the report's canvas of note `id` with the player's thumbnail of frame `frame`
 * (the opener's player, at the middle of the frame, the canvas's width), in the report's
 * tab. With `rect`: pixels on the rectangle's outline must be the stroke's colour (and
 * the thumbnail's must not be), pixels farther than `margin` from it the thumbnail's.
 */
function compareFrame(report, id, frame, rect = null) {
  return report.evaluate(async ([noteId, f, shape]) => {
    const canvas = document.querySelector(`tr[data-id="${noteId}"] canvas.frame`);
    const got = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const player = window.opener.document.getElementById('player');
    const thumb = await player.thumbnail((player.frameTime(f) + player.frameTime(f + 1)) / 2, canvas.width);
    if (thumb.width !== canvas.width || thumb.height !== canvas.height) return { size: [thumb.width, thumb.height, canvas.width, canvas.height] };
    const want = thumb.data;
    const { width: w, height: h } = canvas;
    // Distance from (x, y) to the rectangle's outline, in pixels.
    const off = (x, y) => {
      if (!shape) return Infinity;
      const [l, t, r, b] = [shape.x * w, shape.y * h, (shape.x + shape.w) * w, (shape.y + shape.h) * h];
      const inside = x >= l && x <= r && y >= t && y <= b;
      const dx = Math.max(l - x, 0, x - r);
      const dy = Math.max(t - y, 0, y - b);
      return inside ? Math.min(x - l, r - x, y - t, b - y) : Math.hypot(dx, dy);
    };
    const margin = shape ? shape.width * w : 0;
    let picture = 0;
    let differing = 0;
    let maxDelta = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (off(x + 0.5, y + 0.5) <= margin) continue;
        const i = (y * w + x) * 4;
        picture++;
        let delta = 0;
        for (let c = 0; c < 4; c++) delta = Math.max(delta, Math.abs(got[i + c] - want[i + c]));
        if (delta > 0) differing++;
        maxDelta = Math.max(maxDelta, delta);
      }
    }
    const stroke = [];
    if (shape) {
      // Points on the outline's middle, along each side: wholly inside the stroke.
      const [l, t, r, b] = [shape.x * w, shape.y * h, (shape.x + shape.w) * w, (shape.y + shape.h) * h];
      for (const k of [0.25, 0.5, 0.75]) {
        for (const [x, y] of [[l + k * (r - l), t], [l + k * (r - l), b], [l, t + k * (b - t)], [r, t + k * (b - t)]]) {
          const i = (Math.floor(y) * w + Math.floor(x)) * 4;
          stroke.push({ got: [...got.slice(i, i + 4)], picture: [...want.slice(i, i + 4)] });
        }
      }
    }
    return { picture, differing, maxDelta, stroke, pixels: w * h };
  }, [id, frame, rect]);
}

test('CSV and EDL are the server\'s bytes; the printable report has the decisions, one row a note in frame order over its frame with its drawing, the reply under its note', async () => {
  const { api, version } = env;
  const stamp = Date.now();
  const a = await env.reviewer(`${env.server.url}#share=${await env.shareLink('comment')}`, 'Lin', { initScript: watchPopups });
  const { page } = a;
  // Lin writes at frame 400 with the keyboard, and replies to it in the panel.
  const plain = `口型不对 ${stamp}`;
  await writeNote(page, 400, plain);
  await note(page, plain).locator('.note-pending').waitFor({ state: 'detached' });
  await note(page, plain).getByRole('button', { name: 'Reply' }).click();
  await page.locator('.inline-form textarea').fill(`同意 ${stamp}`);
  await page.keyboard.press('Control+Enter');
  // Gu draws on frame 120 (through the API: the drawing tests draw with the mouse); a
  // note deleted; an approver approves shot storm and sends the draft back.
  const gu = await api.reviewer('comment', { name: 'Gu' });
  const drawn = await gu.post(`/api/v1/versions/${version}/comments`, { id: crypto.randomUUID(), body: `这里太暗 ${stamp}`, tags: ['art'], anchor: { frame: 120 }, drawing: { shapes: [RECT] } });
  assert.equal(drawn.status, 201, drawn.text);
  const gone = await gu.post(`/api/v1/versions/${version}/comments`, { id: crypto.randomUUID(), body: `删掉的 ${stamp}`, anchor: { frame: 200 } });
  assert.equal((await gu.del(`/api/v1/versions/${version}/comments/${gone.json.id}`)).status, 200);
  const boss = await api.reviewer('approve', { name: 'Boss' });
  for (const d of [{ target: { shot: 'storm' }, verdict: 'approved' }, { target: {}, verdict: 'changes_requested', note: `再改一版 ${stamp}` }]) {
    const r = await boss.post(`/api/v1/versions/${version}/decisions`, { id: crypto.randomUUID(), ...d });
    assert.equal(r.status, 201, r.text);
  }
  // All of it in Lin's page (live), nothing waiting to be sent.
  await note(page, `这里太暗 ${stamp}`).waitFor({ timeout: LIVE_MS });
  await page.waitForFunction(([deleted]) => {
    const { store } = window.manjuReview;
    return store.waiting === 0 && store.history.length >= 2 && store.comments.get(deleted)?.status === 'deleted';
  }, [gone.json.id], { timeout: LIVE_MS });

  // CSV: the API's bytes, a row per note and reply (not the deleted one), the columns the server names.
  const csv = await download(page, 'CSV');
  const fromApi = await api.owner.get(`/api/v1/versions/${version}/export.csv`);
  assert.equal(fromApi.status, 200);
  assert.equal(csv.bytes.toString('utf8'), fromApi.text);
  assert.match(csv.name, /\.csv$/);
  const rows = parse(csv.bytes, { columns: true });
  assert.deepEqual(Object.keys(rows[0]), ['timecode_in', 'timecode_out', 'frame', 'frame_end', 'shot', 'line', 'layer', 'author', 'status', 'tags', 'text', 'id', 'parent', 'created_at']);
  const mine = rows.filter((r) => r.text.endsWith(String(stamp)));
  assert.deepEqual(mine.map((r) => [r.text, r.author, r.frame, r.parent === '' ? 'note' : 'reply']).sort(), [
    [`同意 ${stamp}`, 'Lin', '400', 'reply'],
    [`口型不对 ${stamp}`, 'Lin', '400', 'note'],
    [`这里太暗 ${stamp}`, 'Gu', '120', 'note'],
  ].sort());
  const comments = await env.comments();
  for (const r of mine) {
    const c = comments.find((x) => x.id === r.id);
    assert.equal(r.shot, c.anchor.shot);
    assert.equal(r.tags, (c.tags ?? []).join(';'));
  }

  // EDL: the API's bytes too, with a locator for each of the two notes.
  const edl = await download(page, 'EDL');
  const edlApi = await api.owner.get(`/api/v1/versions/${version}/export.edl`);
  assert.equal(edl.bytes.toString('utf8'), edlApi.text);
  assert.match(edl.name, /\.edl$/);
  assert.ok(edlApi.text.includes(`Lin: 口型不对 ${stamp}`) && edlApi.text.includes(`Gu: 这里太暗 ${stamp}`), edlApi.text);

  // The report, in a new tab.
  const report = await openReport(page);
  assert.equal(await report.evaluate(() => getComputedStyle(document.body).marginTop), '24px', 'report.css is loaded');
  assert.equal(await report.evaluate(() => document.querySelectorAll('[style], style, script').length), 0, 'nothing inline');
  assert.match(await report.locator('.progress').textContent(), /^\d+ frames? drawn\.$/);
  assert.equal(await report.getByRole('button', { name: 'Print…' }).isEnabled(), true);
  assert.equal(await report.evaluate(() => [...document.fonts].some((f) => f.family === 'Manju Sans' && f.status === 'loaded')), true, 'the page\'s font draws its Chinese');
  // The decisions on top: the draft's verdict with its note, and shot storm approved.
  assert.equal(await report.locator('.decisions .verdict').textContent(), `Draft: Changes requested by Boss — 再改一版 ${stamp}`);
  assert.match(await report.locator('.decisions .shots-summary').textContent(), /^1 of \d+ shots approved, 0 with changes requested, \d+ not decided$/);
  assert.equal(await report.locator('.decisions li[data-target="shot:storm"]').textContent(), 'shot storm: Approved by Boss');

  // One row a top-level note, in frame order, as the panel lists them; the deleted one out.
  const table = await reportRows(report);
  const top = comments.filter((c) => !c.parent && c.status !== 'deleted').sort((x, y) => x.anchor.frame - y.anchor.frame || x.created_at.localeCompare(y.created_at));
  assert.deepEqual(table.map((r) => r.id), top.map((c) => c.id));
  assert.ok(!table.some((r) => r.body.includes('删掉的')));
  for (const row of table) {
    const c = comments.find((x) => x.id === row.id);
    const csvRow = rows.find((r) => r.id === row.id);
    assert.deepEqual(row.where, [csvRow.timecode_in, `frame ${c.anchor.frame}`, `shot ${c.anchor.shot}`], 'the timecode is the export\'s');
    assert.deepEqual([row.author, row.body, row.status], [c.author, c.body, c.status]);
    assert.deepEqual(row.replies, comments.filter((r) => r.parent === c.id).map((r) => ({ author: r.author, body: r.body })));
  }
  const plainRow = table.find((r) => r.body === plain);
  assert.deepEqual(plainRow.replies, [{ author: 'Lin', body: `同意 ${stamp}` }]);

  // The frames: the core's thumbnail of the note's frame, the drawing's stroke over it.
  const withDrawing = await compareFrame(report, drawn.json.id, 120, RECT);
  assert.ok(!withDrawing.size, `sizes ${withDrawing.size}`);
  assert.ok(withDrawing.picture > withDrawing.pixels * 0.8, `${withDrawing.picture} of ${withDrawing.pixels} pixels away from the drawing`);
  // putImageData then getImageData of opaque pixels is exact: no tolerance.
  assert.deepEqual([withDrawing.differing, withDrawing.maxDelta], [0, 0], 'away from the drawing, the picture is the thumbnail');
  for (const { got, picture } of withDrawing.stroke) {
    assert.deepEqual(got, [255, 0, 255, 255], 'the stroke is drawn over the picture');
    assert.notDeepEqual(picture, [255, 0, 255, 255], 'and the picture there is not already that colour');
  }
  const noDrawing = await compareFrame(report, plainRow.id, 400);
  assert.deepEqual([noDrawing.differing, noDrawing.picture], [0, noDrawing.pixels], 'a note without a drawing: the thumbnail exactly');
  // The two frames differ: the test would see a report drawing the wrong frame.
  const other = await compareFrame(report, plainRow.id, 120);
  assert.ok(other.differing > other.pixels * 0.05, `frames 120 and 400 differ (${other.differing} pixels)`);

  // On paper: no tools, each row (and the decisions) on one page, the frames shown.
  await report.emulateMedia({ media: 'print' });
  const paper = await report.evaluate(() => ({
    tools: getComputedStyle(document.querySelector('.tools')).display,
    rows: [...document.querySelectorAll('table.notes tbody tr, .decisions')].map((e) => getComputedStyle(e).breakInside),
    frames: [...document.querySelectorAll('canvas.frame')].map((c) => {
      const r = c.getBoundingClientRect();
      return r.width > 100 && r.height > 100 && getComputedStyle(c).visibility === 'visible';
    }),
  }));
  assert.equal(paper.tools, 'none');
  assert.deepEqual(paper.rows, Array(table.length + 1).fill('avoid'));
  assert.deepEqual(paper.frames, Array(table.length).fill(true));
  assert.deepEqual(await report.csp(), [], 'no CSP violation in the report');
  assert.deepEqual(await a.csp(), [], 'no CSP violation in the page');
  assert.deepEqual(a.errors, []);
  await a.context.close();
});

test('the server refusing an export, and a blocked pop-up, are said in the toast', async () => {
  const link = await env.api.owner.post('/api/v1/dramas/demo/shares', { role: 'comment', label: 'revoked' });
  const blocked = () => {
    window.open = () => null;
  };
  const { page, context } = await env.reviewer(`${env.server.url}#share=${link.json.token}`, 'Lin', { initScript: blocked });
  await openMenu(page);
  await menuItem(page, 'Printable report').click();
  await page.locator('#toast', { hasText: "Could not export the report: the browser blocked the report's tab: allow pop-ups for this page" }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'export-button', 'the focus is back on the menu button');
  // The link revoked: the session ends, and the server says 401.
  assert.equal((await env.api.owner.del(`/api/v1/shares/${link.json.id}`)).status, 204);
  await openMenu(page);
  await menuItem(page, 'CSV').click();
  await page.locator('#toast .toast-text', { hasText: /^Could not export the CSV: the server answered 401 \(.+\)$/ }).waitFor({ timeout: 5000 }).catch(async (e) => {
    throw new Error(`${e.message}\n${await page.locator('#toast').textContent()}`);
  });
  await context.close();
});

test('without a server: CSV and EDL are not offered and say why; JSON and the report still work', async () => {
  const a = await env.reviewer(`${env.server.url}?review=local`, 'Solo', { initScript: watchPopups });
  const { page } = a;
  await writeNote(page, 300, '本地的');
  await page.locator('.notes-status[data-state="ok"]', { hasText: 'Kept in this browser' }).waitFor();
  await openMenu(page);
  const reason = 'CSV and EDL come from the review server (manju serve): export JSON here and import it there';
  for (const name of ['CSV', 'EDL']) {
    const item = menuItem(page, name);
    assert.equal(await item.getAttribute('aria-disabled'), 'true');
    assert.equal(await item.getAttribute('title'), reason);
    assert.equal(await item.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')).textContent), reason);
  }
  assert.equal(await page.locator('#export-reason').isVisible(), true, 'the reason shows in the menu');
  let downloads = 0;
  page.on('download', () => downloads++);
  // Playwright does not click what is aria-disabled; a reviewer can: Enter does the same.
  await menuItem(page, 'CSV').focus();
  await page.keyboard.press('Enter');
  await page.locator('#toast', { hasText: reason }).waitFor();
  assert.equal(downloads, 0);

  const json = JSON.parse((await download(page, 'JSON')).bytes.toString('utf8'));
  assert.equal(json.format, 'manju-review/1');
  assert.deepEqual(json.comments.map((c) => [c.body, c.author, c.anchor.frame]), [['本地的', 'Solo', 300]]);

  const report = await openReport(page);
  const [row] = await reportRows(report);
  assert.equal(row.body, '本地的');
  assert.equal(row.where[1], 'frame 300');
  assert.equal(await report.locator('.decisions .verdict').textContent(), 'Draft: Not decided');
  const frame = await compareFrame(report, row.id, 300);
  assert.deepEqual([frame.differing, frame.picture], [0, frame.pixels]);
  assert.deepEqual(await report.csp(), []);
  assert.deepEqual(await a.csp(), []);
  // The report reads well to a screen reader too (axe last: its own style element breaks the CSP).
  await report.evaluate(await axeSource());
  assert.deepEqual(await axeViolations(report), [], 'the report');
  await a.context.close();
});

test('the menu by keyboard: ↓ opens it on JSON, ↑ ↓ Home End move, Escape closes back to the button; axe finds nothing with it open', async () => {
  const a = await env.reviewer(`${env.server.url}#share=${await env.shareLink('comment')}`, 'Lin', { initScript: await axeSource() });
  const { page } = a;
  const focused = () => page.evaluate(() => document.activeElement?.id);
  await page.locator('#export-button').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#export-button').getAttribute('aria-expanded'), 'true');
  assert.equal(await focused(), 'export-json');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'export-csv');
  await page.keyboard.press('End');
  assert.equal(await focused(), 'export-printable-report');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'export-json', 'it wraps round');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'export-printable-report');
  await page.keyboard.press('Home');
  assert.equal(await focused(), 'export-json');
  const frame = await page.evaluate(() => document.getElementById('player').currentFrame);
  // Before axe runs: it adds a style element of its own, which the CSP refuses.
  assert.deepEqual(await a.csp(), []);
  assert.deepEqual(await axeViolations(page), [], 'with the menu open');

  await page.keyboard.press('Escape');
  assert.equal(await focused(), 'export-button');
  assert.equal(await page.locator('#export-menu').isVisible(), false);
  assert.equal(await page.evaluate(() => document.getElementById('player').currentFrame), frame, 'the arrows did not move the player');
  // Enter opens it too, and Enter on an item runs it: the JSON download.
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'export-json');
  const started = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  assert.match((await started).suggestedFilename(), /-review\.json$/);
  assert.equal(await focused(), 'export-button');
  // Tab leaves the menu and closes it.
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'export-printable-report');
  await page.keyboard.press('Tab');
  await page.locator('#export-menu').waitFor({ state: 'hidden' });
  await a.context.close();
});

test('many notes: the report says frame by frame how far it got, and the page runs between two frames', async () => {
  const { api, version } = env;
  const gu = await api.reviewer('comment', { name: 'Gu' });
  const stamp = Date.now();
  // A version of its own would be cleaner; the other tests' notes only add rows.
  for (let i = 0; i < 20; i++) {
    const r = await gu.post(`/api/v1/versions/${version}/comments`, { id: crypto.randomUUID(), body: `第 ${i} 条 ${stamp}`, anchor: { frame: 30 * i + 5 } });
    assert.equal(r.status, 201, r.text);
  }
  const a = await env.reviewer(`${env.server.url}#share=${await env.shareLink('view')}`, 'Viewer', { initScript: watchPopups });
  await note(a.page, `第 19 条 ${stamp}`).waitFor();
  const total = await a.page.evaluate(() => window.manjuReview.store.sorted().filter((c) => !c.parent).length);
  assert.ok(total >= 20, `${total} notes`);
  const report = await openReport(a.page);
  assert.equal(await report.locator('table.notes tbody tr').count(), total);
  const progress = await a.page.evaluate(() => window.__progress);
  const texts = progress.map((p) => p.text);
  assert.deepEqual(texts, [...Array.from({ length: total }, (_, i) => `Drawing ${i + 1} of ${total} frames…`), `${total} frames drawn.`]);
  for (let i = 1; i < progress.length; i++) {
    assert.ok(progress[i].beats > progress[i - 1].beats, `the page ran between "${texts[i - 1]}" and "${texts[i]}" (${progress[i - 1].beats} → ${progress[i].beats})`);
  }
  assert.deepEqual(await report.csp(), []);
  await a.context.close();
});

test('at 360 px on a touch screen the open menu fits: every item inside the width and finger-sized', async () => {
  const a = await env.reviewer(`${env.server.url}?review=local`, 'Phone', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await a.page.locator('#export-button').tap();
  await a.page.locator('#export-menu').waitFor();
  const found = await a.page.evaluate(() => ({
    vw: innerWidth,
    boxes: [...document.querySelectorAll('#export-menu [role="menuitem"], #export-reason')].map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.id, left: r.left, right: r.right, height: r.height };
    }),
  }));
  assert.equal(found.boxes.length, 5);
  for (const b of found.boxes) {
    assert.ok(b.left >= 0 && b.right <= found.vw, `${b.id} inside the width (${b.left}–${b.right})`);
    if (b.id !== 'export-reason') assert.ok(b.height >= 36, `${b.id} is ${b.height} px tall`);
  }
  // A tap elsewhere closes it.
  await a.page.locator('#notes-card h2').tap();
  await a.page.locator('#export-menu').waitFor({ state: 'hidden' });
  await a.context.close();
});
