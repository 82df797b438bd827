// Review notes in the page (www/review/), against a real `manju serve` on a temp SQLite
// with the demo as drama `demo` v1: two reviewers on comment links see each other's
// notes live (panel and seek bar); a note on a dialogue line has its line's anchor;
// resolve, reopen, reply and edit reach the server and the other reviewer; a view link
// cannot write and says why; a draft survives a reload; a note written while the server
// is down shows "not sent yet" and is stored once when it is back (the process really
// stopped and started again on the same port and data); review without a server keeps
// notes across a reload and exports JSON that the server (and another browser) imports;
// the element's review option works as a link does; I/O make a range note
// and the filters find it; decisions go through the store by role; the keyboard alone
// writes, sends and walks notes; axe finds nothing with the panel open and a note being
// written. Waits poll for what they wait for; no fixed sleeps.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { cleanup, DEMO, makeLibrary, owned, startServer } from '../review/server.mjs';
import { READY_TIMEOUT_MS } from './helpers.mjs';
import { note, openReviewRoom, ready, signIn } from './review-setup.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** How long a note may take to reach another reviewer's page. */
const LIVE_MS = 5000;

let room;
let server;
let browser;
let api;
let version;

before(async () => {
  room = await openReviewRoom();
  ({ server, browser, api, version } = room);
});

after(() => room?.close());

const shareLink = (role) => room.shareLink(role);
const reviewer = (url, name, options) => room.reviewer(url, name, options);
const comments = () => room.comments();
const untilServer = (predicate, timeout) => room.untilServer(predicate, timeout);

/** Pauses on frame `n`, presses C (with the player focused), types `body`, sends with Ctrl+Enter. */
async function writeNote(page, n, body) {
  await page.evaluate((f) => document.getElementById('player').seekToFrame(f), n);
  await page.locator('#player').focus();
  await page.keyboard.press('c');
  await page.locator('#composer-body').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer-body');
  await page.keyboard.type(body);
  await page.keyboard.press('Control+Enter');
  await page.locator('.composer').waitFor({ state: 'hidden' });
}

/** The anchor the page should make for frame `n`: the shot on screen and the time into it. */
function expectedAnchor(page, n) {
  return page.evaluate((f) => {
    const p = document.getElementById('player');
    const t = p.frameTime(f);
    const shot = p.timeline.shots.find((s) => t >= s.start && t < s.end);
    return { frame: f, frame_end: f + 1, range: false, shot: shot.id, shot_time: Math.round((t - shot.start) * 1e6) / 1e6 };
  }, n);
}

test('two reviewers: a note written with C on a frame reaches the other live, in the panel and on the seek bar', async () => {
  const token = await shareLink('comment');
  const a = await reviewer(`${server.url}#share=${token}`, 'Lin');
  const b = await reviewer(`${server.url}#share=${token}`, 'Gu');
  // The token left the visible URL.
  assert.ok(!a.page.url().includes(token), a.page.url());

  const body = `口型不对 ${Date.now()}`;
  await writeNote(a.page, 400, body);
  const seen = note(b.page, body);
  await seen.waitFor({ timeout: LIVE_MS });
  assert.match(await seen.locator('.note-author').textContent(), /^Lin$/);
  assert.match(await seen.locator('.note-anchor').textContent(), /frame 400 · shot \S+/);

  const [stored] = (await comments()).filter((c) => c.body === body);
  assert.ok(stored, 'the server has the note');
  assert.deepEqual(stored.anchor, await expectedAnchor(a.page, 400));
  assert.equal(stored.author, 'Lin');
  // On B's seek bar, as an open marker, at frame 400's place.
  const marker = b.page.locator(`manju-player .marker[data-id="${stored.id}"]`);
  await marker.waitFor({ state: 'attached', timeout: LIVE_MS });
  assert.equal(await marker.getAttribute('data-status'), 'open');
  const [left, expected] = await b.page.evaluate((id) => {
    const p = document.getElementById('player');
    const m = p.shadowRoot.querySelector(`.marker[data-id="${id}"]`);
    return [parseFloat(m.style.left), (100 * p.frameTime(400)) / p.duration];
  }, stored.id);
  // The style keeps a few decimals of the percentage.
  assert.ok(Math.abs(left - expected) < 1e-3, `${left} vs ${expected}`);

  // A click on the marker goes to the note's frame, exactly.
  await b.page.evaluate(() => document.getElementById('player').seekToFrame(0));
  await marker.dispatchEvent('click');
  await b.page.waitForFunction(() => document.getElementById('player').currentFrame === 400);
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await a.context.close();
  await b.context.close();
});

test('a reviewer cut off catches up on reconnecting, and what they wrote meanwhile is sent once', async () => {
  const library = makeLibrary({ demo: { v1: DEMO } });
  const args = ['--rate-limit', '100000/100000'];
  const first = await startServer({ library, args });
  const { port } = new URL(first.url);
  const { data } = first;
  const link = await (await owned(first)).owner.post('/api/v1/dramas/demo/shares', { role: 'comment' });
  const a = await reviewer(`${first.url}#share=${link.json.token}`, 'Lin');
  const b = await reviewer(`${first.url}#share=${link.json.token}`, 'Gu');
  for (const { page } of [a, b]) {
    await page.waitForFunction(() => window.manjuReview.store.connected);
    await page.waitForFunction(() => document.getElementById('player').fullyLoaded, null, { timeout: READY_TIMEOUT_MS });
  }
  // Gu has read an event: the stream has a place to resume from.
  await writeNote(a.page, 440, `之前 ${Date.now()}`);
  await note(b.page, '之前').waitFor({ timeout: LIVE_MS });
  // The server goes away (every stream ends), and Gu's network stays down a while longer.
  await first.stop();
  await b.context.setOffline(true);
  const stamp = Date.now();
  const [body, theirs] = [`掉线期间 Lin ${stamp}`, `掉线期间 Gu ${stamp}`];
  await writeNote(a.page, 450, body);
  await writeNote(b.page, 460, theirs);
  const back = await startServer({ library, data, args, port: Number(port) });
  try {
    const list = async () => (await (await owned(back)).owner.get(`/api/v1/versions/${(await owned(back)).version('demo')}/comments`)).json.comments;
    await note(a.page, body).locator('.note-pending').waitFor({ state: 'detached', timeout: 40_000 });
    assert.equal(await note(b.page, body).count(), 0, 'nothing reaches a page that is offline');
    assert.deepEqual((await list()).filter((c) => c.body.endsWith(String(stamp))).map((c) => c.author), ['Lin']);
    await b.context.setOffline(false);
    // Gu's stream resumes after the last event it read: Lin's note comes in the backlog.
    await note(b.page, body).waitFor({ timeout: 20_000 });
    await note(b.page, theirs).locator('.note-pending').waitFor({ state: 'detached', timeout: 20_000 });
    await note(a.page, theirs).waitFor({ timeout: 20_000 });
    assert.deepEqual((await list()).filter((c) => c.body.endsWith(String(stamp))).map((c) => c.author).sort(), ['Gu', 'Lin'], 'each stored once');
    assert.equal(await b.page.locator('#notes-card li.note', { hasText: String(stamp) }).count(), 2, 'each once in the panel');
  } finally {
    await a.context.close();
    await b.context.close();
    await back.stop();
    cleanup(library, data);
  }
});

test('a note from the dialogue sheet is anchored to its line (checked against the manifest)', async () => {
  const token = await shareLink('comment');
  const { page, context } = await reviewer(`${server.url}#share=${token}`, 'Lin');
  const manifest = JSON.parse(await readFile(`${DEMO}/manifest.json`, 'utf8'));
  const row = page.locator('#dialogue .dialogue-line').nth(3);
  const text = await row.locator('.cue-text').textContent();
  await row.locator('.cue-note').click();
  await page.locator('#composer-body').fill('这句太快');
  await page.locator('.composer button[type="submit"]').click();
  const [stored] = (await untilServer((list) => list.some((c) => c.body === '这句太快' && c.anchor.line !== undefined)))
    .filter((c) => c.body === '这句太快');
  const shot = manifest.shots.find((s) => s.id === stored.anchor.shot);
  assert.equal(shot.lines[stored.anchor.line].text, text, JSON.stringify(stored.anchor));
  // Its frame is the first that shows the line: it starts at or after the line, and the one before does not.
  const [start, at, before] = await page.evaluate(([f, words]) => {
    const p = document.getElementById('player');
    return [p.timeline.lines.find((l) => l.text === words).start, p.frameTime(f), p.frameTime(f - 1)];
  }, [stored.anchor.frame, text]);
  assert.ok(at >= start - 1e-9 && before < start, `frame ${stored.anchor.frame}: ${before} < ${start} <= ${at}`);
  await context.close();
});

test('a note from the shot list covers the shot\'s frames, as the server counts them', async () => {
  const { page, context } = await reviewer(`${server.url}#share=${await shareLink('comment')}`, 'Lin');
  const { outline } = (await api.owner.get(`/api/v1/versions/${version}/export.json`)).json;
  for (const id of ['storm', 'finale']) {
    await page.getByRole('button', { name: `Note on shot ${id}` }).click();
    await page.locator('#composer-body').fill(`整个镜头 ${id}`);
    await page.keyboard.press('Control+Enter');
    const [stored] = (await untilServer((list) => list.some((c) => c.body === `整个镜头 ${id}`))).filter((c) => c.body === `整个镜头 ${id}`);
    const shot = outline.shots.find((s) => s.id === id);
    assert.deepEqual([stored.anchor.shot, stored.anchor.range, stored.anchor.frame, stored.anchor.frame_end], [id, true, shot.first_frame, shot.end_frame]);
  }
  await context.close();
});

test('resolve, reopen, reply and edit reach the server and the other reviewer', async () => {
  const token = await shareLink('comment');
  const a = await reviewer(`${server.url}#share=${token}`, 'Lin');
  const b = await reviewer(`${server.url}#share=${token}`, 'Gu');
  const body = `太暗 ${Date.now()}`;
  await writeNote(a.page, 120, body);
  await note(a.page, body).locator('.note-pending').waitFor({ state: 'detached' });
  const id = await note(a.page, body).getAttribute('data-id');
  const mine = a.page.locator(`#notes-card li.note[data-id="${id}"]`);

  await note(b.page, body).getByRole('button', { name: 'Resolve' }).click();
  await untilServer((list) => list.find((c) => c.id === id)?.status === 'resolved');
  await a.page.waitForFunction((i) => document.querySelector(`#notes-card li.note[data-id="${i}"]`)?.dataset.status === 'resolved', id, { timeout: LIVE_MS });
  await a.page.locator(`manju-player .marker[data-id="${id}"][data-status="resolved"]`).waitFor({ state: 'attached', timeout: LIVE_MS });

  await mine.getByRole('button', { name: 'Reopen' }).click();
  await untilServer((list) => list.find((c) => c.id === id)?.status === 'open');
  await b.page.waitForFunction((i) => document.querySelector(`#notes-card li.note[data-id="${i}"]`)?.dataset.status === 'open', id, { timeout: LIVE_MS });

  await note(b.page, body).getByRole('button', { name: 'Reply' }).click();
  await b.page.getByLabel('Your reply').fill('同意，再亮一点');
  await b.page.getByRole('button', { name: 'Send reply' }).click();
  const replied = await untilServer((list) => list.some((c) => c.parent === id));
  assert.equal(replied.find((c) => c.parent === id).author, 'Gu');
  await note(a.page, body).locator('.note-replies', { hasText: '同意，再亮一点' }).waitFor({ timeout: LIVE_MS });

  // Only one's own notes can be edited.
  assert.equal(await note(b.page, body).locator('> .note-box').getByRole('button', { name: 'Edit' }).count(), 0);
  await mine.locator('> .note-box').getByRole('button', { name: 'Edit' }).click();
  await mine.locator('.inline-form textarea').fill(`${body}，整体太暗`);
  await mine.locator('.inline-form input.composer-tags').fill('art, lighting');
  await a.page.getByRole('button', { name: 'Save' }).click();
  const edited = (await untilServer((list) => list.find((c) => c.id === id)?.revision > 3)).find((c) => c.id === id);
  assert.equal(edited.body, `${body}，整体太暗`);
  assert.deepEqual(edited.tags, ['art', 'lighting']);
  await note(b.page, '整体太暗').waitFor({ timeout: LIVE_MS });
  await a.context.close();
  await b.context.close();
});

test('an edit of a note someone changed meanwhile is refused (409), said, and the words kept', async () => {
  const token = await shareLink('comment');
  const a = await reviewer(`${server.url}#share=${token}`, 'Lin');
  const b = await reviewer(`${server.url}#share=${token}`, 'Gu');
  const body = `节奏拖 ${Date.now()}`;
  await writeNote(a.page, 600, body);
  await note(a.page, body).locator('.note-pending').waitFor({ state: 'detached' });
  const id = await note(a.page, body).getAttribute('data-id');
  const mine = a.page.locator(`#notes-card li.note[data-id="${id}"]`);
  await mine.locator('> .note-box').getByRole('button', { name: 'Edit' }).click();
  // While Lin edits, Gu resolves it: the note's revision moves on.
  await note(b.page, body).getByRole('button', { name: 'Resolve' }).click();
  await a.page.waitForFunction((i) => document.querySelector(`#notes-card li.note[data-id="${i}"]`)?.dataset.status === 'resolved', id, { timeout: LIVE_MS });
  await mine.locator('.inline-form textarea').fill(`${body}（第二稿）`);
  await mine.getByRole('button', { name: 'Save' }).click();
  await a.page.locator('#toast', { hasText: 'Someone changed this note since you started editing it' }).waitFor({ timeout: LIVE_MS });
  assert.equal(await mine.locator('.inline-form textarea').inputValue(), `${body}（第二稿）`, 'the words are back in the editor');
  const stored = (await comments()).find((c) => c.id === id);
  assert.equal(stored.body, body, 'the server kept the note as it was');
  // Saved again, from the revision now shown, it goes through.
  await mine.getByRole('button', { name: 'Save' }).click();
  await untilServer((list) => list.find((c) => c.id === id)?.body === `${body}（第二稿）`);
  await a.context.close();
  await b.context.close();
});

test('a note the server never got outlives a reload, and is sent once after it', async () => {
  const token = await shareLink('comment');
  const { page, context } = await reviewer(`${server.url}#share=${token}`, 'Lin');
  // The comment requests fail as a dropped connection would.
  const cut = (route) => (route.request().method() === 'POST' ? route.abort('connectionfailed') : route.continue());
  await page.route('**/api/v1/versions/*/comments', cut);
  const body = `重载前写的 ${Date.now()}`;
  await writeNote(page, 700, body);
  await note(page, body).locator('.note-pending', { hasText: 'not sent yet' }).waitFor();
  const id = await note(page, body).getAttribute('data-id');
  assert.equal((await comments()).filter((c) => c.body === body).length, 0);
  await page.unroute('**/api/v1/versions/*/comments', cut);
  await page.reload();
  await ready(page);
  await note(page, body).waitFor();
  await note(page, body).locator('.note-pending').waitFor({ state: 'detached', timeout: 20_000 });
  assert.deepEqual((await untilServer((list) => list.some((c) => c.id === id))).filter((c) => c.body === body).map((c) => c.id), [id]);
  await context.close();
});

test('I and O mark a range: the note covers it, shows as a span, and the filters find it', async () => {
  const token = await shareLink('comment');
  const { page, context } = await reviewer(`${server.url}#share=${token}`, 'Range');
  const player = page.locator('#player');
  await page.evaluate(() => document.getElementById('player').seekToFrame(330));
  await player.focus();
  await page.keyboard.press('i');
  await page.evaluate(() => document.getElementById('player').seekToFrame(389));
  await player.focus();
  await page.keyboard.press('o');
  await page.keyboard.press('c');
  assert.match(await page.locator('.composer-where').textContent(), /frames 330–389/);
  await page.keyboard.type('这一段节奏太慢');
  await page.locator('.chip[data-tag="timing"]').click();
  await page.locator('#composer-tags').fill('pace');
  await page.keyboard.press('Control+Enter');
  const [stored] = (await untilServer((list) => list.some((c) => c.body === '这一段节奏太慢'))).filter((c) => c.body === '这一段节奏太慢');
  assert.deepEqual([stored.anchor.frame, stored.anchor.frame_end, stored.anchor.range], [330, 390, true]);
  assert.deepEqual(stored.tags, ['timing', 'pace']);
  assert.equal(await page.evaluate(() => document.getElementById('player').loopRange), null, 'the marks are used up');
  const span = page.locator(`manju-player .marker.range[data-id="${stored.id}"]`);
  await span.waitFor({ state: 'attached' });
  assert.ok(parseFloat(await span.evaluate((el) => el.style.width)) > 0);

  // Filters: by author, by tag, by shot, by status.
  const shown = () => page.locator('#notes-card .notes-list > li.note').evaluateAll((items) => items.map((li) => li.dataset.id));
  await page.selectOption('#filter-author', 'Range');
  assert.deepEqual(await shown(), [stored.id]);
  await page.selectOption('#filter-author', '');
  await page.selectOption('#filter-tag', 'pace');
  assert.deepEqual(await shown(), [stored.id]);
  await page.selectOption('#filter-tag', '');
  await page.selectOption('#filter-shot', stored.anchor.shot);
  const inShot = (await comments()).filter((c) => !c.parent && c.anchor.shot === stored.anchor.shot).map((c) => c.id).sort();
  assert.deepEqual((await shown()).sort(), inShot);
  await page.selectOption('#filter-shot', '');
  await page.selectOption('#filter-status', 'resolved');
  const resolved = (await comments()).filter((c) => !c.parent && c.status === 'resolved').map((c) => c.id).sort();
  assert.deepEqual((await shown()).sort(), resolved);
  assert.ok(!resolved.includes(stored.id));
  await context.close();
});

test('decisions: an approve link decides through the store; a comment link is told it cannot', async () => {
  const approver = await reviewer(`${server.url}#share=${await shareLink('approve')}`, 'Client');
  await approver.page.evaluate(() => window.manjuReview.store.decide({ shot: 'storm' }, 'approved', '好'));
  const decided = async () => (await api.owner.get(`/api/v1/versions/${version}/decisions`)).json;
  for (let i = 0; i < 100 && !(await decided()).latest.some((d) => d.target.shot === 'storm'); i++) await new Promise((r) => setTimeout(r, 100));
  const latest = (await decided()).latest.find((d) => d.target.shot === 'storm');
  assert.deepEqual([latest.verdict, latest.author, latest.note], ['approved', 'Client', '好']);
  await approver.page.waitForFunction(() => window.manjuReview.store.decisions.get('shot:storm')?.pending === false);
  const commenter = await reviewer(`${server.url}#share=${await shareLink('comment')}`, 'Lin');
  await commenter.page.waitForFunction(() => window.manjuReview.store.decisions.get('shot:storm')?.verdict === 'approved');
  const refused = await commenter.page.evaluate(() => {
    try {
      window.manjuReview.store.decide({}, 'approved');
      return null;
    } catch (err) {
      return err.message;
    }
  });
  assert.equal(refused, 'This link lets you comment, not approve');
  await approver.context.close();
  await commenter.context.close();
});

test('a note the server refuses (400) says why, with the field, and is not retried', async () => {
  const { page, context } = await reviewer(`${server.url}#share=${await shareLink('comment')}`, 'Lin');
  const id = await page.evaluate(() => window.manjuReview.store.add({ body: '超出范围', anchor: { frame: 99999, frame_end: 100000, range: false, shot: 'finale', shot_time: 0 } }).id);
  const item = page.locator(`#notes-card li.note[data-id="${id}"]`);
  await item.locator('.note-failed', { hasText: /not sent: anchor\.frame: 99999 is beyond the last frame/ }).waitFor();
  await page.locator('#toast', { hasText: 'Not sent: anchor.frame' }).waitFor();
  assert.equal(await item.locator('.note-pending').count(), 0);
  assert.equal(await page.evaluate(() => window.manjuReview.store.waiting), 0, 'dropped from the outbox: it would fail again');
  assert.equal((await comments()).some((c) => c.id === id), false);
  await context.close();
});

test('the element\'s review option ({server, share}) turns review on as a link does', async () => {
  const token = await shareLink('comment');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // A host page sets the option on the element before the page's script runs.
  await page.addInitScript(([server, share]) => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive') document.getElementById('player').review = { server, share };
    });
  }, [server.url, token]);
  await page.goto(server.url);
  await signIn(page, 'Embed');
  assert.match(await page.locator('.notes-who').textContent(), /^Embed · can comment$/);
  assert.equal(await page.evaluate(() => window.manjuReview.store.version.drama), 'demo');
  await writeNote(page, 42, '嵌入页写的');
  await untilServer((list) => list.some((c) => c.body === '嵌入页写的' && c.author === 'Embed'));
  await context.close();
});

test('a view link shows the notes but cannot write, and says why', async () => {
  const token = await shareLink('view');
  const before = (await comments()).length;
  const { page, context } = await reviewer(`${server.url}#share=${token}`, 'Client');
  assert.ok(before > 0, 'earlier tests left notes to see');
  await page.locator('#notes-card li.note').first().waitFor();
  const button = page.locator('#note-button');
  assert.equal(await button.isDisabled(), true);
  assert.equal(await button.getAttribute('title'), 'This link lets you view, not comment');
  const described = await button.getAttribute('aria-describedby');
  assert.equal(await page.locator(`#${described}`).textContent(), 'This link lets you view, not comment');
  assert.ok(await page.locator('#notes-card .link-button:disabled[title="This link lets you view, not comment"]').count() > 0);
  await page.locator('#player').focus();
  await page.keyboard.press('c');
  await page.locator('#toast', { hasText: 'This link lets you view, not comment' }).waitFor();
  assert.equal(await page.locator('.composer').isHidden(), true);
  assert.equal((await comments()).length, before);
  await context.close();
});

test('a note being written survives a reload', async () => {
  const token = await shareLink('comment');
  const { page, context } = await reviewer(`${server.url}#share=${token}`, 'Lin');
  await page.evaluate(() => document.getElementById('player').seekToFrame(250));
  await page.locator('#note-button').click();
  await page.locator('#composer-body').fill('半句草稿');
  await page.locator('.chip[data-tag="audio"]').click();
  await page.reload();
  // The session is kept for the tab: no name asked again.
  await ready(page);
  await page.locator('.composer').waitFor();
  assert.equal(await page.locator('#composer-body').inputValue(), '半句草稿');
  assert.equal(await page.locator('.chip[data-tag="audio"]').getAttribute('aria-pressed'), 'true');
  assert.match(await page.locator('.composer-where').textContent(), /frame 250/);
  await context.close();
});

test('a reply or an edit being written survives a reload, the edit still checked against the revision it started from', async () => {
  const token = await shareLink('comment');
  const { page, context } = await reviewer(`${server.url}#share=${token}`, 'Lin');
  const body = `要改的 ${Date.now()}`;
  await writeNote(page, 260, body);
  await note(page, body).locator('.note-pending').waitFor({ state: 'detached' });
  const id = await note(page, body).getAttribute('data-id');
  const mine = page.locator(`#notes-card li.note[data-id="${id}"]`);

  await mine.getByRole('button', { name: 'Reply' }).click();
  await page.getByLabel('Your reply').fill('回复写了一半');
  await page.reload();
  await ready(page);
  assert.equal(await mine.getByLabel('Your reply').inputValue(), '回复写了一半');
  await mine.getByRole('button', { name: 'Send reply' }).click();
  await untilServer((list) => list.some((c) => c.parent === id && c.body === '回复写了一半'));
  await mine.getByLabel('Your reply').waitFor({ state: 'detached' });

  await mine.locator('> .note-box').getByRole('button', { name: 'Edit' }).click();
  await mine.getByLabel('Your note').fill(`${body}（改了一半）`);
  await mine.getByLabel('Tags').fill('text, 重做');
  // Meanwhile someone else's change (the owner's) makes the edit's revision stale.
  const changed = await api.owner.patch(`/api/v1/versions/${version}/comments/${id}`, { status: 'resolved' });
  assert.equal(changed.status, 200, changed.text);
  await page.reload();
  await ready(page);
  assert.equal(await mine.getByLabel('Your note').inputValue(), `${body}（改了一半）`);
  assert.equal(await mine.getByLabel('Tags').inputValue(), 'text, 重做');
  await mine.getByRole('button', { name: 'Save' }).click();
  // Refused as stale, said, and the words opened again: nothing typed is lost.
  await page.locator('#toast', { hasText: 'Someone changed this note since you started editing it' }).waitFor({ timeout: LIVE_MS });
  assert.equal(await mine.getByLabel('Your note').inputValue(), `${body}（改了一半）`);
  // Saved again over the newer revision, the kept form is gone after a reload.
  await mine.getByRole('button', { name: 'Save' }).click();
  await untilServer((list) => list.find((c) => c.id === id)?.body === `${body}（改了一半）`);
  await page.reload();
  await ready(page);
  await note(page, `${body}（改了一半）`).waitFor();
  assert.equal(await mine.getByLabel('Your note').count(), 0);
  await context.close();
});

test('an owner link reaching two versions picks one from the header: its notes, its manifest, still signed in', async () => {
  const two = await startServer({ library: makeLibrary({ demo: { v1: DEMO, v2: DEMO } }), args: ['--rate-limit', '100000/100000'] });
  try {
    const o = await owned(two);
    const [v1, v2] = [o.version('demo', 0), o.version('demo', 1)];
    for (const [v, body] of [[v1, '第一版的意见'], [v2, '第二版的意见']]) {
      const res = await o.owner.post(`/api/v1/versions/${v}/comments`, { id: crypto.randomUUID(), body, anchor: { frame: 100 } });
      assert.equal(res.status, 201, res.text);
    }
    const { page, context, errors } = await reviewer(`${two.url}#owner=${two.owner}`, 'Owner');
    const picker = page.getByRole('combobox', { name: 'Version to review' });
    assert.equal(await picker.inputValue(), v2, 'the latest version first');
    const options = await picker.locator('option').allTextContents();
    assert.equal(options.length, 2);
    assert.match(options[0], / · v1$/);
    assert.match(options[1], / · v2$/);
    await note(page, '第二版的意见').waitFor();
    await picker.selectOption(v1);
    await page.waitForURL((u) => u.searchParams.get('version') === v1);
    await ready(page);
    await note(page, '第一版的意见').waitFor();
    assert.equal(await note(page, '第二版的意见').count(), 0);
    assert.equal(await page.getByRole('combobox', { name: 'Version to review' }).inputValue(), v1);
    assert.equal(await page.locator('dialog.name-dialog[open]').count(), 0, 'not asked for a name again');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await two.stop();
    cleanup(two.library, two.data);
  }
});

test('written while the server is down: "not sent yet", then stored once when it is back', async () => {
  const library = makeLibrary({ demo: { v1: DEMO } });
  const args = ['--rate-limit', '100000/100000'];
  let down = await startServer({ library, args });
  const { port } = new URL(down.url);
  const data = down.data;
  const link = await (await owned(down)).owner.post('/api/v1/dramas/demo/shares', { role: 'comment' });
  const { page, context } = await reviewer(`${down.url}#share=${link.json.token}`, 'Lin');
  await page.locator('.notes-status', { hasText: 'Live' }).waitFor();
  // Every image is in, so the page can still seek while the server is away.
  await page.waitForFunction(() => document.getElementById('player').fullyLoaded, null, { timeout: READY_TIMEOUT_MS });
  await down.stop();

  await writeNote(page, 300, '断网时写的');
  const queued = note(page, '断网时写的');
  await queued.locator('.note-pending', { hasText: 'not sent yet' }).waitFor();
  const id = await queued.getAttribute('data-id');
  await page.locator('.notes-status', { hasText: '1 not sent yet' }).waitFor();
  const back = await startServer({ library, data, args, port: Number(port) });
  try {
    await queued.locator('.note-pending').waitFor({ state: 'detached', timeout: 40_000 });
    const v = (await owned(back)).version('demo');
    const list = (await (await owned(back)).owner.get(`/api/v1/versions/${v}/comments`)).json.comments;
    assert.deepEqual(list.filter((c) => c.body === '断网时写的').map((c) => c.id), [id], 'stored exactly once, under the page\'s id');
    await page.locator('.notes-status', { hasText: /^Live$/ }).waitFor({ timeout: 20_000 });
    assert.equal(await page.evaluate(() => window.manjuReview.store.waiting), 0);
  } finally {
    await context.close();
    await back.stop();
    cleanup(library, data);
  }
});

test('without a server: notes kept in the browser across a reload, exported as JSON the server imports', async () => {
  const { page, context } = await reviewer(`${server.url}?review=local`, 'Solo');
  assert.match(await page.locator('.notes-who').textContent(), /kept in this browser only/);
  await writeNote(page, 500, '本地笔记');
  await page.locator('.notes-status[data-state="ok"]', { hasText: 'Kept in this browser' }).waitFor();
  await page.reload();
  await ready(page);
  await note(page, '本地笔记').waitFor();
  assert.equal(await note(page, '本地笔记').locator('.note-pending').count(), 0);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(exported.format, 'manju-review/1');
  assert.deepEqual(exported.comments.map((c) => [c.body, c.author, c.anchor.frame]), [['本地笔记', 'Solo', 500]]);
  const imported = await api.owner.post(`/api/v1/versions/${version}/import`, exported);
  assert.equal(imported.status, 200, imported.text);
  assert.equal(imported.json.comments_added, 1);
  const [stored] = (await comments()).filter((c) => c.id === exported.comments[0].id);
  assert.deepEqual(stored.anchor, exported.comments[0].anchor, 'the server reads the anchor as the page made it');
  await context.close();

  // Another browser reads the file back (twice: it is one note).
  const other = await reviewer(`${server.url}?review=local`, 'Other');
  assert.equal(await other.page.locator('#notes-card li.note').count(), 0);
  const json = { name: 'demo-review.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) };
  for (let i = 0; i < 2; i++) await other.page.locator('#notes-card input[type="file"]').setInputFiles(json);
  await note(other.page, '本地笔记').waitFor();
  assert.equal(await other.page.locator('#notes-card li.note').count(), 1);
  assert.match(await note(other.page, '本地笔记').locator('.note-author').textContent(), /^Solo$/);
  await other.context.close();
});

test('keyboard only: C opens the composer, Ctrl+Enter sends, N and Shift+N walk the notes', async () => {
  const { page, context } = await reviewer(`${server.url}#owner=${server.owner}`, 'Owner');
  const frameNow = () => page.evaluate(() => document.getElementById('player').currentFrame);
  const frames = [];
  for (const key of ['2', '7']) {
    await page.keyboard.press(key);
    await page.waitForFunction(() => document.getElementById('player').paused);
    await page.waitForFunction(() => !document.getElementById('player').waiting);
    await page.keyboard.press('c');
    const where = await page.locator('.composer-where').textContent();
    frames.push(Number(/frame (\d+)/.exec(where)[1]));
    assert.equal(frames.at(-1), await frameNow(), 'the note is on the frame on screen');
    await page.keyboard.type(`键盘 ${key}`);
    await page.keyboard.press('Control+Enter');
    await page.locator('.composer').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'player', 'the focus goes back to the player');
  }
  const all = (await untilServer((list) => frames.every((f) => list.some((c) => c.anchor.frame === f)))).map((c) => c.anchor.frame);
  const sorted = [...new Set(all)].sort((x, y) => x - y);
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.getElementById('player').currentFrame === 0);
  const expectNext = (from) => sorted.find((f) => f > from);
  let at = 0;
  for (let i = 0; i < 2; i++) {
    await page.keyboard.press('n');
    at = expectNext(at);
    await page.waitForFunction((f) => document.getElementById('player').currentFrame === f, at);
  }
  await page.keyboard.press('Shift+N');
  at = sorted.findLast((f) => f < at);
  await page.waitForFunction((f) => document.getElementById('player').currentFrame === f, at);
  // The `?` overlay lists the review's keys beside the player's.
  await page.keyboard.press('?');
  const review = page.locator('manju-player').locator('dialog.shortcuts table[data-group="Review"]');
  await review.waitFor();
  assert.equal(await review.locator('caption').textContent(), 'Review');
  const keys = await review.locator('kbd').allTextContents();
  for (const key of ['C', 'D', 'N', 'Shift N', 'Ctrl Enter']) assert.ok(keys.includes(key), `the overlay lists ${key} (${keys})`);
  await page.keyboard.press('Escape');
  await context.close();
});

test('at 360 px on a touch screen the notes panel fits: every control inside the width, finger-sized, none overlapping', async () => {
  const token = await shareLink('comment');
  const parent = await api.owner.post(`/api/v1/versions/${version}/comments`, { id: crypto.randomUUID(), body: '手机上看的一条很长很长的意见，换行也要正确', tags: ['text', 'regenerate'], anchor: { range: [100, 160], line: 0 } });
  assert.equal(parent.status, 201, parent.text);
  await api.owner.post(`/api/v1/versions/${version}/comments`, { id: crypto.randomUUID(), body: '回复', parent: parent.json.id });
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const p2 = await phone.newPage();
  const errors = [];
  p2.on('pageerror', (e) => errors.push(e.message));
  await p2.goto(`${server.url}#share=${token}`);
  await signIn(p2, 'Phone');
  await note(p2, '').waitFor();
  await p2.locator('#note-button').tap();
  await p2.locator('#composer-body').fill('手机上写的');
  const found = await p2.evaluate(() => {
    const controls = [...document.querySelectorAll('#notes-card :is(button, select, input:not([type="file"]), textarea), #dialogue .cue-note, #shots .shot-note')]
      .filter((el) => !el.closest('[hidden]') && el.getClientRects().length > 0)
      .map((el) => {
        const r = el.getBoundingClientRect();
        // What shows of it: the list and the sheet scroll in their own boxes, which clip.
        let seen = { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        for (let a = el.parentElement; a; a = a.parentElement) {
          if (getComputedStyle(a).overflowY === 'visible') continue;
          const b = a.getBoundingClientRect();
          seen = { left: Math.max(seen.left, b.left), right: Math.min(seen.right, b.right), top: Math.max(seen.top, b.top), bottom: Math.min(seen.bottom, b.bottom) };
        }
        return {
          name: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.id || el.className,
          left: r.left, right: r.right, width: r.width, height: r.height,
          shows: seen.right > seen.left && seen.bottom > seen.top,
          top: seen.top + scrollY, bottom: seen.bottom + scrollY, seenLeft: seen.left, seenRight: seen.right,
        };
      })
      .filter((c) => c.shows);
    return { controls, vw: innerWidth, docWidth: document.documentElement.scrollWidth };
  });
  assert.equal(found.docWidth, found.vw, 'nothing makes the page wider than the screen');
  assert.ok(found.controls.length > 10, `${found.controls.length} controls`);
  for (const c of found.controls) {
    assert.ok(c.left >= 0 && c.right <= found.vw + 0.5, `${c.name} is inside the width (${c.left}–${c.right})`);
    assert.ok(c.height >= 36 && c.width >= 24, `${c.name} is ${c.width}×${c.height}`);
  }
  for (const [i, a] of found.controls.entries()) {
    for (const b of found.controls.slice(i + 1)) {
      const overlap = Math.min(a.seenRight, b.seenRight) - Math.max(a.seenLeft, b.seenLeft) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
      assert.ok(!overlap, `${a.name} and ${b.name} do not overlap`);
    }
  }
  assert.deepEqual(errors, []);
  await phone.close();
});

test('no accessibility violations with the notes panel open and a note being written', async () => {
  const token = await shareLink('comment');
  const axe = await readFile(AXE, 'utf8');
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const { page, context } = await reviewer(`${server.url}#share=${token}`, 'Lin', { viewport, initScript: axe });
    await note(page, '').waitFor();
    await page.locator('#note-button').click();
    await page.locator('#composer-body').fill('这里的字幕太小');
    await page.locator('.chip[data-tag="text"]').click();
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(found, [], `at ${viewport.width} px`);
    await context.close();
  }
});
