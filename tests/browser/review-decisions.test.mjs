// Deciding in the page (www/review/decisions.js), against a real `manju serve` on a temp
// SQLite with the demo as drama `demo` v1 and a small drama `clash` whose first line
// overlaps the next (a warning of the sheet): an approver approves shot 2 and requests
// changes on line 0 of shot 1 with a note, and a second reviewer (a view link, another
// browser context) sees both live in the shot list, the dialogue sheet and the seek bar,
// the summary following; the API's latest and history match; the version's verdict with
// its summary and the history disclosure; a comment link's buttons are disabled and say
// why (and the store refuses); the keyboard alone approves and requests changes; axe
// finds nothing with the controls shown; a line's warning stays beside its buttons; at
// 360 px on a touch screen the controls fit, finger-sized; without a server the same
// controls decide and keep it across a reload.
// Waits poll for what they wait for; no fixed sleeps.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from '../../scripts/chromium.mjs';
import { cleanup, DEMO, makeLibrary, owned, startServer } from '../review/server.mjs';
import { READY_TIMEOUT_MS, requireBuilt } from './helpers.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** How long a decision may take to reach another reviewer's page. */
const LIVE_MS = 5000;

let server;
let browser;
let api;
let version;
let clash;

before(async () => {
  requireBuilt();
  // Two subtitles at once: the sheet warns on the first ("overlaps the next line").
  clash = mkdtempSync(path.join(tmpdir(), 'manju-clash-'));
  writeFileSync(path.join(clash, 'manifest.json'), JSON.stringify({
    format: 'manju/1',
    title: 'Clash',
    canvas: { width: 360, height: 640 },
    shots: [
      { id: 'one', duration: 4, lines: [{ text: '第一句很长很长', at: 0, duration: 2.5 }, { text: '第二句', at: 1, duration: 1 }] },
      { id: 'two', duration: 2, lines: [{ text: '没问题', at: 0, duration: 1 }] },
    ],
  }));
  server = await startServer({ library: makeLibrary({ demo: { v1: DEMO }, clash: { v1: clash } }), args: ['--rate-limit', '100000/100000'] });
  api = await owned(server);
  version = api.version('demo');
  browser = await launchChromium({});
});

after(async () => {
  await browser?.close();
  await server?.stop();
  cleanup(server?.library, server?.data, clash);
});

async function shareLink(role, drama = 'demo') {
  const link = await api.owner.post(`/api/v1/dramas/${drama}/shares`, { role, label: `${role} test` });
  assert.equal(link.status, 201, link.text);
  return link.json.token;
}

/** A reviewer's page in a fresh context, signed in as `name`, once the drama plays with the decisions shown. */
async function reviewer(url, name, { viewport = { width: 1280, height: 800 }, initScript = null } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  const field = page.locator('dialog.name-dialog input[name="name"]');
  await field.waitFor({ timeout: READY_TIMEOUT_MS });
  await field.fill(name);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('player')?.state === 'ready'
    && !document.getElementById('decisions-card').hidden
    && document.querySelector('#shots .decide') && document.querySelector('#dialogue .decide'), null, { timeout: READY_TIMEOUT_MS });
  return { page, context, errors };
}

const decisions = async () => (await api.owner.get(`/api/v1/versions/${version}/decisions`)).json;

/** Polls the server until `predicate(decisions)` holds. */
async function untilServer(predicate, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const d = await decisions();
    if (predicate(d)) return d;
    if (Date.now() > deadline) throw new Error(`the server did not get there: ${JSON.stringify(d.latest)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const shotRow = (page, id) => page.locator('#shots .shot-item', { has: page.locator('.shot-id', { hasText: new RegExp(`^${id}$`) }) });
const lineRow = (page, i) => page.locator('#dialogue .dialogue-line').nth(i);
const verdictOf = (locator) => locator.locator('.decide').getAttribute('data-verdict');
const band = (page, id) => page.locator(`manju-player .shot-state[data-shot="${id}"]`);

test('an approver decides a shot and a line; another reviewer sees both live, the summary follows, the API matches', async () => {
  const a = await reviewer(`${server.url}#share=${await shareLink('approve')}`, 'Client');
  const b = await reviewer(`${server.url}#share=${await shareLink('view')}`, 'Watcher');
  const shots = await a.page.evaluate(() => document.getElementById('player').timeline.shots.map((s) => s.id));
  const [first, second] = shots;
  assert.match(await b.page.locator('.decisions-summary').textContent(), new RegExp(`^0 of ${shots.length} shots approved, 0 changes requested, \\d+ open notes?$`));
  // Before any decision the band is there, grey, for every shot.
  await band(b.page, second).waitFor({ state: 'attached' });
  assert.equal(await band(b.page, second).getAttribute('data-state'), 'pending');

  // Shot 2: approved.
  await shotRow(a.page, second).getByRole('button', { name: `Approve shot ${second}` }).click();
  assert.equal(await shotRow(a.page, second).locator('.decide-approve').getAttribute('aria-pressed'), 'true');
  // Line 0 of shot 1: changes requested, with a note.
  const line = lineRow(a.page, 0);
  await line.locator('.decide-changes').click();
  await line.locator('.decide-note-field').fill('语气太平');
  await line.locator('.decide-form button[type="submit"]').click();
  assert.equal(await verdictOf(line), 'changes_requested');

  // B sees both, live: shot list, dialogue sheet, seek bar, summary.
  await b.page.waitForFunction((id) => [...document.querySelectorAll('#shots .shot-item')]
    .find((li) => li.querySelector('.shot-id').textContent === id)?.querySelector('.decide').dataset.verdict === 'approved', second, { timeout: LIVE_MS });
  assert.equal(await shotRow(b.page, second).locator('.decide-state').textContent(), 'Approved');
  await b.page.waitForFunction(() => document.querySelectorAll('#dialogue .dialogue-line')[0].querySelector('.decide').dataset.verdict === 'changes_requested', null, { timeout: LIVE_MS });
  assert.equal(await lineRow(b.page, 0).locator('.decide-state').textContent(), 'Changes requested');
  assert.match(await lineRow(b.page, 0).locator('.decide-by').textContent(), /^Client · .+ · 语气太平$/);
  await b.page.locator(`manju-player .shot-state[data-shot="${second}"][data-state="approved"]`).waitFor({ state: 'attached', timeout: LIVE_MS });
  assert.equal(await band(b.page, first).getAttribute('data-state'), 'pending', 'a line decision leaves its shot undecided');
  await b.page.locator('.decisions-summary', { hasText: `1 of ${shots.length} shots approved, 0 changes requested` }).waitFor();
  assert.match(await b.page.locator('.decisions-lines').textContent(), /^Lines: 0 of \d+ approved, 1 with changes requested$/);
  // The band sits under the shot's stretch of the track, and is green.
  const [left, expected, colour] = await b.page.evaluate((id) => {
    const p = document.getElementById('player');
    const el = p.shadowRoot.querySelector(`.shot-state[data-shot="${id}"]`);
    return [parseFloat(el.style.left), (100 * p.timeline.shots.find((s) => s.id === id).start) / p.duration, getComputedStyle(el).backgroundColor];
  }, second);
  assert.ok(Math.abs(left - expected) < 1e-3, `${left} vs ${expected}`);
  assert.equal(colour, 'rgb(48, 209, 88)');

  // The API: latest per target and every decision in the history.
  const d = await untilServer((x) => x.latest.some((l) => l.target.shot === first && l.target.line === 0));
  const shotLatest = d.latest.find((l) => l.target.shot === second && l.target.line == null);
  assert.deepEqual([shotLatest.verdict, shotLatest.author], ['approved', 'Client']);
  const lineLatest = d.latest.find((l) => l.target.shot === first && l.target.line === 0);
  assert.deepEqual([lineLatest.verdict, lineLatest.note, lineLatest.author], ['changes_requested', '语气太平', 'Client']);
  const store = await b.page.evaluate(() => ({
    latest: [...window.manjuReview.store.decisions.values()].map((x) => x.id).sort(),
    history: window.manjuReview.store.history.map((x) => x.id).sort(),
  }));
  assert.deepEqual(store.latest, d.latest.map((x) => x.id).sort());
  assert.deepEqual(store.history, d.history.map((x) => x.id).sort());

  // A pressed button pressed again takes the decision back (pending); the history keeps both.
  await shotRow(a.page, second).locator('.decide-approve').click();
  await b.page.locator(`manju-player .shot-state[data-shot="${second}"][data-state="pending"]`).waitFor({ state: 'attached', timeout: LIVE_MS });
  await untilServer((x) => x.latest.find((l) => l.target.shot === second && l.target.line == null)?.verdict === 'pending');
  await shotRow(a.page, second).locator('.decide-approve').click();
  await b.page.locator('.decisions-summary', { hasText: `1 of ${shots.length} shots approved` }).waitFor({ timeout: LIVE_MS });

  // The version: changes requested with a note, then approved; the latest wins, the history lists all.
  const version_ = a.page.locator('#decisions-card .decide-version');
  await version_.getByRole('button', { name: 'Request changes on the draft' }).click();
  await version_.locator('.decide-note-field').fill('第一镜重做');
  await a.page.keyboard.press('Enter');
  await b.page.waitForFunction(() => document.querySelector('#decisions-card .decide-version').dataset.verdict === 'changes_requested', null, { timeout: LIVE_MS });
  assert.match(await b.page.locator('#decisions-card .decide-version .decide-by').textContent(), /第一镜重做/);
  await version_.getByRole('button', { name: 'Approve draft' }).click();
  await b.page.waitForFunction(() => document.querySelector('#decisions-card .decide-version').dataset.verdict === 'approved', null, { timeout: LIVE_MS });
  const v = (await untilServer((x) => x.latest.find((l) => !l.target.shot)?.verdict === 'approved')).latest.find((l) => !l.target.shot);
  assert.equal(v.author, 'Client');
  const all = await decisions();
  assert.equal(all.history.filter((x) => !x.target.shot).length, 2);
  // B opens the history: who decided what, newest first.
  await b.page.locator('.decisions-disclosure summary').click();
  await b.page.locator('.decisions-history-count', { hasText: `(${all.history.length})` }).waitFor({ timeout: LIVE_MS });
  const history = await b.page.locator('.decisions-history li').allTextContents();
  assert.equal(history.length, all.history.length);
  assert.match(history[0], /^Client approved the draft /);
  assert.match(history[1], /^Client requested changes on the draft .*第一镜重做/);
  assert.ok(history.some((t) => /^Client requested changes on line 1 of shot \S+ .*语气太平/.test(t)), history.join('\n'));
  // A viewer sees the states but cannot decide, and is told why.
  const viewButton = b.page.locator('#decisions-card .decide-approve');
  assert.equal(await viewButton.isDisabled(), true);
  assert.equal(await viewButton.getAttribute('title'), 'This link lets you view, not approve');
  // The store says the same as the buttons (it is what an embedding page is told).
  const refused = await b.page.evaluate(() => {
    try {
      window.manjuReview.store.decide({}, 'approved');
      return 'decided';
    } catch (err) {
      return err.message;
    }
  });
  assert.equal(refused, 'This link lets you view, not approve');
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await a.context.close();
  await b.context.close();
});

test('a comment link sees the decisions with every button disabled and saying why; the store refuses', async () => {
  const { page, context, errors } = await reviewer(`${server.url}#share=${await shareLink('comment')}`, 'Lin');
  const buttons = page.locator('.decide button:is(.decide-approve, .decide-changes)');
  const count = await buttons.count();
  assert.ok(count > 20, `${count} buttons`);
  const states = await buttons.evaluateAll((list) => list.map((b) => [b.disabled, b.title, b.getAttribute('aria-describedby')?.split(' ').includes('decisions-reason')]));
  assert.deepEqual([...new Set(states.map(JSON.stringify))], [JSON.stringify([true, 'This link lets you comment, not approve', true])]);
  assert.equal(await page.locator('#decisions-reason').textContent(), 'This link lets you comment, not approve');
  assert.equal(await page.locator('#decisions-reason').isVisible(), true);
  // It still sees the latest states (earlier tests decided).
  await page.waitForFunction(() => document.querySelector('#decisions-card .decide-version').dataset.verdict === 'approved');
  const before = (await decisions()).history.length;
  const refused = await page.evaluate(() => {
    try {
      window.manjuReview.store.decide({ shot: 'storm' }, 'approved');
      return null;
    } catch (err) {
      return err.message;
    }
  });
  assert.equal(refused, 'This link lets you comment, not approve');
  assert.equal((await decisions()).history.length, before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard only: a shot approved, a line sent back with a note, focus visible throughout', async () => {
  const { page, context } = await reviewer(`${server.url}#share=${await shareLink('approve')}`, 'Keys');
  const active = () => page.evaluate(() => {
    const el = document.activeElement;
    return { label: el?.getAttribute('aria-label') ?? el?.textContent, visible: el?.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none' };
  });
  // From the shot list's last shot, Tab goes to its Note, then its Approve.
  const shot = await page.evaluate(() => document.getElementById('player').timeline.shots.at(-1).id);
  await shotRow(page, shot).locator('button.shot').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.deepEqual(await active(), { label: `Approve shot ${shot}`, visible: true });
  await page.keyboard.press('Enter');
  assert.equal(await verdictOf(shotRow(page, shot)), 'approved');
  await untilServer((x) => x.latest.find((l) => l.target.shot === shot && l.target.line == null)?.verdict === 'approved');

  // The sheet is one Tab stop a line: the arrows move to the same control of the next line.
  const cue = lineRow(page, 1).locator('button.cue');
  await cue.focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const changes = await active();
  assert.match(changes.label, /^Request changes on the line at /);
  assert.equal(changes.visible, true);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement === document.querySelectorAll('#dialogue .dialogue-line')[2].querySelector('.decide-changes')), true);
  await page.keyboard.press('Space');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('decide-note-field')), true);
  // Escape closes the form and gives the focus back; the keys typed never reached the page's shortcuts.
  await page.keyboard.type('n c');
  await page.keyboard.press('Escape');
  assert.equal(await lineRow(page, 2).locator('.decide-form').isHidden(), true);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('decide-changes')), true);
  assert.equal(await page.locator('.composer').isHidden(), true);
  await page.keyboard.press('Enter');
  await page.keyboard.type('字幕晚了');
  await page.keyboard.press('Enter');
  assert.equal(await verdictOf(lineRow(page, 2)), 'changes_requested');
  const target = await page.evaluate(() => {
    const p = document.getElementById('player');
    const lines = [...p.timeline.lines].sort((a, b) => a.start - b.start);
    return lines[2].shot;
  });
  const d = await untilServer((x) => x.latest.some((l) => l.target.shot === target && l.note === '字幕晚了'));
  assert.equal(d.latest.find((l) => l.note === '字幕晚了').author, 'Keys');
  await context.close();
});

test('a line\'s warning stays beside its decision buttons, and describes them', async () => {
  const { page, context } = await reviewer(`${server.url}#share=${await shareLink('approve', 'clash')}`, 'Lin');
  const row = lineRow(page, 0);
  const warning = row.locator('.cue-problem', { hasText: 'overlaps the next line' });
  await warning.waitFor();
  assert.equal(await warning.isVisible(), true);
  const box = row.locator('.cue-review');
  assert.equal(await box.locator('.decide').count(), 1);
  assert.equal(await box.locator('.cue-problems .cue-problem').count(), 1);
  const [buttons, problem] = [await row.locator('.decide-bar').boundingBox(), await warning.boundingBox()];
  // Side by side, or just under: never far from the buttons.
  assert.ok(problem.y - (buttons.y + buttons.height) < 40 && problem.y + problem.height > buttons.y - 40, JSON.stringify({ buttons, problem }));
  const described = (await row.locator('.decide-approve').getAttribute('aria-describedby')).split(' ');
  const listId = await row.locator('.cue-problems').getAttribute('id');
  assert.ok(described.includes(listId), described.join(' '));
  // Deciding leaves the warning where it was.
  await row.locator('.decide-approve').click();
  assert.equal(await verdictOf(row), 'approved');
  assert.equal(await warning.isVisible(), true);
  // A line without a problem has no description to point at.
  assert.equal(await lineRow(page, 2).locator('.cue-problem').count(), 0);
  await context.close();
});

test('no accessibility violations with the decisions shown, a note for changes open and the history open', async () => {
  const axe = await readFile(AXE, 'utf8');
  for (const [role, viewport] of [['approve', { width: 1280, height: 800 }], ['comment', { width: 390, height: 844 }]]) {
    const { page, context } = await reviewer(`${server.url}#share=${await shareLink(role)}`, 'Lin', { viewport, initScript: axe });
    if (role === 'approve') {
      // A line nobody decided yet (a pressed button would take its decision back).
      await lineRow(page, 5).locator('.decide-changes').click();
      await lineRow(page, 5).locator('.decide-note-field').fill('再慢一点');
    }
    await page.locator('.decisions-disclosure summary').click();
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(found, [], `${role} at ${viewport.width} px`);
    await context.close();
  }
});

test('at 360 px on a touch screen the decision controls fit: inside the width, finger-sized, none overlapping', async () => {
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const p2 = await phone.newPage();
  const errors = [];
  p2.on('pageerror', (e) => errors.push(e.message));
  await p2.goto(`${server.url}#share=${await shareLink('approve')}`);
  await p2.locator('dialog.name-dialog input[name="name"]').fill('Phone');
  await p2.keyboard.press('Enter');
  await p2.waitForFunction(() => document.getElementById('player')?.state === 'ready' && document.querySelector('#dialogue .decide'), null, { timeout: READY_TIMEOUT_MS });
  await lineRow(p2, 6).locator('.decide-changes').tap();
  const found = await p2.evaluate(() => {
    const controls = [...document.querySelectorAll('.decide button, .decide input, .decisions-disclosure summary')]
      .filter((el) => !el.closest('[hidden]') && el.getClientRects().length > 0)
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { name: el.getAttribute('aria-label') || el.textContent.trim(), left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY, width: r.width, height: r.height, box: el.closest('.dialogue') ? 'sheet' : 'page' };
      });
    return { controls, vw: innerWidth, docWidth: document.documentElement.scrollWidth };
  });
  assert.equal(found.docWidth, found.vw, 'nothing makes the page wider than the screen');
  assert.ok(found.controls.length > 40, `${found.controls.length} controls`);
  for (const c of found.controls) {
    assert.ok(c.left >= 0 && c.right <= found.vw + 0.5, `${c.name} is inside the width (${c.left}–${c.right})`);
    assert.ok(c.height >= 36 && c.width >= 24, `${c.name} is ${c.width}×${c.height}`);
  }
  // Within one scroll box (the sheet scrolls on its own), no two controls overlap.
  for (const [i, a] of found.controls.entries()) {
    for (const b of found.controls.slice(i + 1)) {
      if (a.box !== b.box) continue;
      const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
      assert.ok(!overlap, `${a.name} and ${b.name} do not overlap`);
    }
  }
  assert.deepEqual(errors, []);
  await phone.close();
});

test('without a server the same controls decide, and the decisions are kept across a reload', async () => {
  const { page, context, errors } = await reviewer(`${server.url}?review=local`, 'Solo');
  const shot = await page.evaluate(() => document.getElementById('player').timeline.shots[0].id);
  await shotRow(page, shot).locator('.decide-approve').click();
  await page.locator('#decisions-card .decide-version .decide-changes').click();
  await page.locator('#decisions-card .decide-note-field').fill('本地意见');
  await page.keyboard.press('Enter');
  // Kept once IndexedDB has it: the status says so.
  await page.locator('.notes-status[data-state="ok"]', { hasText: 'Kept in this browser' }).waitFor();
  await page.reload();
  await page.waitForFunction(() => document.getElementById('player')?.state === 'ready' && document.querySelector('#shots .decide'), null, { timeout: READY_TIMEOUT_MS });
  await page.waitForFunction((id) => [...document.querySelectorAll('#shots .shot-item')]
    .find((li) => li.querySelector('.shot-id').textContent === id)?.querySelector('.decide').dataset.verdict === 'approved', shot);
  assert.equal(await page.locator('#decisions-card .decide-version').getAttribute('data-verdict'), 'changes_requested');
  assert.match(await page.locator('.decisions-summary').textContent(), /^1 of \d+ shots approved/);
  await page.locator(`manju-player .shot-state[data-shot="${shot}"][data-state="approved"]`).waitFor({ state: 'attached' });
  assert.deepEqual(errors, []);
  await context.close();
});
