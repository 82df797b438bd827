// Review inside <manju-player> on a portal's page (www/review/embed.js): a page of its own,
// made by the test's handler with the server's CSP (its one script the element's module),
// holding `<manju-player review="share:…" review-name="…">`, against a real `manju serve`
// with the demo as drama `demo` v1. Without the attribute the element fetches no review
// module and has no notes; with it, it plays the version, writes a note (with a drawing)
// that the API returns with the right anchor and that shows as a marker and over its frame
// only; a second embed sees it live and the first hears the second's note (`commentadd`);
// `decide` on a shot fires `decision` and both seek bars show the shot's state; a comment
// link's `decide` rejects with the reason; a bad token fires `reviewerror` and the `src`
// plays. No CSP violation, no page error. Waits poll for what they wait for.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO, makeLibrary, owned } from '../review/server.mjs';
import { cspViolations, READY_TIMEOUT_MS, start } from './helpers.mjs';

/** How long a write may take to reach another page. */
const LIVE_MS = 5000;
const EVENTS = ['reviewready', 'reviewerror', 'commentadd', 'commentchange', 'decision'];

let env;
let api;
let version;
/** the server's own CSP, sent with the portal page too */
let csp;

before(async () => {
  env = await start({
    library: makeLibrary({ demo: { v1: DEMO } }),
    handler: async (req, res, urlPath) => {
      if (urlPath !== '/portal.html') return false;
      const query = new URL(req.url, 'http://localhost').searchParams;
      const attrs = [...query].map(([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`).join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal</title>
<script type="module" src="/manju-player.js"></script></head>
<body><main><h1>Episode 1</h1><manju-player id="player"${attrs}></manju-player></main></body></html>`);
      return true;
    },
  });
  csp = (await fetch(env.server.manju.url)).headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'/);
  api = await owned({ url: env.url, owner: env.server.manju.owner });
  version = api.version('demo');
});

after(async () => {
  await env?.close();
});

async function shareLink(role) {
  const link = await api.owner.post('/api/v1/dramas/demo/shares', { role, label: `${role} portal` });
  assert.equal(link.status, 201, link.text);
  return link.json.token;
}

/** The portal page with the element's attributes from `attrs`; records its events and requests. */
async function portal(attrs) {
  const { page, log, context } = await env.newPage({
    initScript: (types) => {
      window.__events = [];
      // Capture: the element's events do not bubble, but pass the document on the way down.
      for (const type of types) {
        document.addEventListener(type, (e) => {
          if (e.target.localName === 'manju-player') window.__events.push({ type, detail: JSON.parse(JSON.stringify(e.detail ?? null)) });
        }, true);
      }
    },
    initArg: EVENTS,
  });
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(`${env.url}portal.html?${new URLSearchParams(attrs)}`);
  return { page, log, context, requests };
}

const events = (page, type) => page.evaluate((t) => window.__events.filter((e) => e.type === t), type);
/** Waits for an event `type` whose detail has the fields of `match` (the page's CSP forbids eval: no predicate). */
const untilEvent = (page, type, match = {}) => page.waitForFunction(([t, m]) => window.__events.some((e) => e.type === t
  && Object.entries(m).every(([k, v]) => (k === 'messageIncludes' ? e.detail?.message?.includes(v) : e.detail?.[k] === v))), [type, match], { timeout: LIVE_MS });

/** Waits until review is on and the version plays. */
async function reviewing(page) {
  await page.waitForFunction(() => {
    const p = document.getElementById('player');
    return p.reviewState === 'error' || (p.reviewState === 'ready' && p.state === 'ready');
  }, null, { timeout: READY_TIMEOUT_MS });
  const state = await page.evaluate(() => document.getElementById('player').reviewState);
  assert.equal(state, 'ready', JSON.stringify(await events(page, 'reviewerror')));
}

async function clean(page, log) {
  assert.deepEqual(await cspViolations(page, log), []);
  assert.deepEqual(log.errors, []);
}

async function serverComments() {
  const { json } = await api.owner.get(`/api/v1/versions/${version}/comments`);
  return json.comments;
}

async function untilServer(get, predicate) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await get();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`the server did not get there: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pixels drawn on the element's drawing layer (alpha above 0). */
const drawnPixels = (page) => page.evaluate(() => {
  const canvas = document.getElementById('player').shadowRoot.querySelector('.drawing-canvas');
  if (!canvas || !canvas.width) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
});

test('without the review attribute the element is the plain player: no review module, no notes', async () => {
  const { page, log, context, requests } = await portal({ src: 'demo/manifest.json' });
  await page.waitForFunction(() => document.getElementById('player')?.state === 'ready', null, { timeout: READY_TIMEOUT_MS });
  const info = await page.evaluate(async () => {
    const p = document.getElementById('player');
    const refused = await p.addComment({ body: 'x' }).then(() => 'written', (err) => err.message);
    return { comments: p.comments, decisions: p.decisions, state: p.reviewState, ready: p.reviewReady, refused };
  });
  assert.deepEqual(info, { comments: null, decisions: null, state: 'off', ready: null, refused: 'review is off: give the element a review attribute or option' });
  assert.ok(requests.some((r) => r === '/manju-player.js'), 'the element was fetched');
  assert.deepEqual(requests.filter((r) => r.includes('/review/') || r.startsWith('/api/')), [], 'no review module, no API call');
  assert.equal(await page.locator('manju-player .marker, manju-player .shot-states, manju-player .drawing-canvas').count(), 0);
  await clean(page, log);
  await context.close();
});

test('an embed writes a note and decides; another embed sees both live and its note reaches the first', async () => {
  const a = await portal({ review: `share:${await shareLink('approve')}`, 'review-name': 'Portal editor' });
  const b = await portal({ review: `share:${await shareLink('comment')}`, 'review-name': 'Writer' });
  await reviewing(a.page);
  await reviewing(b.page);
  // The name came from the attribute: no dialog.
  assert.equal(await a.page.locator('dialog.name-dialog').count(), 0);
  assert.deepEqual((await events(a.page, 'reviewready')).map((e) => e.detail), [{ name: 'Portal editor', role: 'approve' }]);
  assert.deepEqual(await a.page.evaluate(() => document.getElementById('player').reviewer), { name: 'Portal editor', role: 'approve' });
  // It plays the version from the server (the review API's files), not a src.
  assert.ok(a.requests.some((r) => r.startsWith(`/api/v1/versions/${version}/files/`)), 'the version came from the API');
  assert.ok(a.requests.some((r) => r.endsWith('/review/embed.js')));

  // A note with a drawing on frame 120 (a red rectangle).
  const drawing = { shapes: [{ kind: 'rect', x: 0.2, y: 0.2, w: 0.5, h: 0.3, color: '#ff3b30', width: 0.01 }] };
  const note = await a.page.evaluate(async (d) => {
    const p = document.getElementById('player');
    const record = await p.addComment({ body: '门户写的', tags: ['art'], frame: 120, drawing: d });
    const t = p.frameTime(120);
    const shot = p.timeline.shots.find((s) => t >= s.start && t < s.end);
    return { record, shot: shot.id, shotTime: Math.round((t - shot.start) * 1e6) / 1e6, listed: p.comments.map((c) => c.id) };
  }, drawing);
  assert.equal(note.record.body, '门户写的');
  assert.equal(note.record.author, 'Portal editor');
  assert.ok(note.listed.includes(note.record.id));
  const [stored] = await untilServer(serverComments, (list) => list.some((c) => c.id === note.record.id))
    .then((list) => list.filter((c) => c.id === note.record.id));
  assert.deepEqual(
    { frame: stored.anchor.frame, frame_end: stored.anchor.frame_end, shot: stored.anchor.shot, shot_time: stored.anchor.shot_time },
    { frame: 120, frame_end: 121, shot: note.shot, shot_time: note.shotTime },
  );
  assert.deepEqual(stored.drawing, drawing);
  assert.deepEqual(stored.tags, ['art']);
  // Own write: commentadd at once (pending), commentchange once the server kept it.
  assert.ok((await events(a.page, 'commentadd')).some((e) => e.detail.id === note.record.id && e.detail.pending === true));
  await untilEvent(a.page, 'commentchange', { id: note.record.id, pending: false });
  // A marker on both seek bars: the other embed got it live.
  await a.page.locator(`manju-player .marker[data-id="${note.record.id}"]`).waitFor({ state: 'attached' });
  await b.page.locator(`manju-player .marker[data-id="${note.record.id}"]`).waitFor({ state: 'attached', timeout: LIVE_MS });
  await untilEvent(b.page, 'commentadd', { id: note.record.id, author: 'Portal editor' });
  // Its drawing over frame 120, and not on frame 130 (real pixels of the layer).
  await b.page.evaluate(() => document.getElementById('player').seekToFrame(120));
  await b.page.waitForFunction(() => {
    const c = document.getElementById('player').shadowRoot.querySelector('.drawing-canvas');
    return c && c.width > 0;
  });
  const on = await b.page.waitForFunction(async () => {
    const c = document.getElementById('player').shadowRoot.querySelector('.drawing-canvas');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n > 100 && n;
  }, null, { timeout: LIVE_MS });
  assert.ok(await on.jsonValue() > 100);
  await b.page.evaluate(() => document.getElementById('player').seekToFrame(130));
  await b.page.waitForFunction(() => document.getElementById('player').currentFrame === 130);
  await b.page.waitForFunction(() => {
    const c = document.getElementById('player').shadowRoot.querySelector('.drawing-canvas');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return false;
    return true;
  });
  assert.equal(await drawnPixels(b.page), 0);

  // The other embed's note (a reply, then a note on a shot) reaches the first, live.
  const shots = await b.page.evaluate(() => document.getElementById('player').timeline.shots.map((s) => s.id));
  const theirs = await b.page.evaluate(async (shot) => {
    const p = document.getElementById('player');
    const [first] = p.comments;
    const reply = await p.reply(first.id, '同意');
    const note = await p.addComment({ body: '这个镜头', shot });
    return { reply: reply.id, note };
  }, shots[1]);
  await untilEvent(a.page, 'commentadd', { id: theirs.note.id, author: 'Writer' });
  await untilEvent(a.page, 'commentadd', { id: theirs.reply });
  assert.equal(theirs.note.anchor.shot, shots[1]);
  assert.ok(theirs.note.anchor.range, 'a shot note spans the shot');
  await a.page.locator(`manju-player .marker.range[data-id="${theirs.note.id}"]`).waitFor({ state: 'attached' });
  // Resolving it is a change everyone hears.
  await a.page.evaluate((id) => document.getElementById('player').resolveComment(id), theirs.note.id);
  await untilEvent(b.page, 'commentchange', { id: theirs.note.id, status: 'resolved', pending: false });

  // A decision on a shot: `decision` fires, both seek bars show it, the API has it.
  const band = (page) => page.locator(`manju-player .shot-state[data-shot="${shots[1]}"]`);
  assert.equal(await band(a.page).getAttribute('data-state'), 'pending');
  const decided = await a.page.evaluate((shot) => document.getElementById('player').decide({ shot }, 'approved', '好'), shots[1]);
  assert.deepEqual({ target: decided.target, verdict: decided.verdict }, { target: { kind: 'shot', shot: shots[1], line: null }, verdict: 'approved' });
  await untilEvent(a.page, 'decision', { id: decided.id });
  await a.page.waitForFunction((s) => document.getElementById('player').shadowRoot.querySelector(`.shot-state[data-shot="${s}"]`)?.dataset.state === 'approved', shots[1]);
  await b.page.waitForFunction((s) => document.getElementById('player').shadowRoot.querySelector(`.shot-state[data-shot="${s}"]`)?.dataset.state === 'approved', shots[1], { timeout: LIVE_MS });
  await untilEvent(b.page, 'decision', { id: decided.id, verdict: 'approved' });
  const latest = await untilServer(async () => (await api.owner.get(`/api/v1/versions/${version}/decisions`)).json.latest,
    (list) => list.some((d) => d.id === decided.id));
  assert.equal(latest.find((d) => d.id === decided.id).note, '好');
  assert.ok((await b.page.evaluate(() => document.getElementById('player').decisions)).some((d) => d.id === decided.id));

  // A comment link may not decide; bad input is refused with what is wrong.
  const refusals = await b.page.evaluate(async (shot) => {
    const p = document.getElementById('player');
    const why = (promise) => promise.then(() => 'done', (err) => err.message);
    return {
      decide: await why(p.decide({ shot }, 'approved')),
      empty: await why(p.addComment({ body: '  ' })),
      frame: await why(p.addComment({ body: 'x', frame: 1e9 })),
      shot: await why(p.addComment({ body: 'x', shot: 'nope' })),
    };
  }, shots[0]);
  assert.equal(refusals.decide, 'This link lets you comment, not approve');
  assert.match(refusals.empty, /needs a body/);
  assert.match(refusals.frame, /^frame: a frame number from 0 to \d+/);
  assert.equal(refusals.shot, 'there is no shot "nope" in this version');
  assert.equal(await a.page.evaluate(() => document.getElementById('player').decide('version', 'maybe').catch((e) => e.message)),
    'the verdict is one of approved, changes_requested, pending, not "maybe"');

  for (const r of [a, b]) {
    await clean(r.page, r.log);
    await r.context.close();
  }
});

test('a bad token fires reviewerror, and the player plays its src', async () => {
  const { page, log, context } = await portal({ review: 'share:not-a-token', 'review-name': 'Nobody', src: 'demo/manifest.json' });
  await untilEvent(page, 'reviewerror');
  const [error] = await events(page, 'reviewerror');
  assert.match(error.detail.message, /^Review could not start: /);
  await page.waitForFunction(() => document.getElementById('player').state === 'ready', null, { timeout: READY_TIMEOUT_MS });
  const state = await page.evaluate(async () => {
    const p = document.getElementById('player');
    return { review: p.reviewState, comments: p.comments, rejected: await p.reviewReady.then(() => '', (e) => e.message) };
  });
  assert.equal(state.review, 'error');
  assert.equal(state.comments, null);
  assert.equal(state.rejected, error.detail.message);
  await page.evaluate(() => document.getElementById('player').play());
  await page.waitForFunction(() => document.getElementById('player').currentTime > 0.3, null, { timeout: 10_000 });
  // A review attribute that is neither share: nor owner: says so.
  await page.evaluate(() => document.getElementById('player').setAttribute('review', 'token-without-kind'));
  await untilEvent(page, 'reviewerror', { messageIncludes: 'share:<token>' });
  assert.equal(await page.evaluate(() => document.getElementById('player').state), 'ready', 'still playing');
  // The store's 401 is not a page error; only the console may mention the failed request.
  assert.deepEqual(await cspViolations(page, log), []);
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the review property turns review on over a playing src, and null turns it off again', async () => {
  const token = await shareLink('comment');
  const { page, log, context, requests } = await portal({ src: 'demo/manifest.json' });
  await page.waitForFunction(() => document.getElementById('player')?.state === 'ready', null, { timeout: READY_TIMEOUT_MS });
  assert.equal(requests.filter((r) => r.includes('/review/')).length, 0);
  // The option keeps the token out of the DOM.
  await page.evaluate((share) => {
    document.getElementById('player').review = { share, name: 'Property' };
  }, token);
  await reviewing(page);
  assert.equal(await page.locator('manju-player').getAttribute('review'), null);
  assert.deepEqual(await page.evaluate(() => document.getElementById('player').reviewer), { name: 'Property', role: 'comment' });
  assert.ok(requests.some((r) => r.startsWith(`/api/v1/versions/${version}/files/`)), 'the version replaced the src');
  const notes = await page.evaluate(() => document.getElementById('player').comments);
  assert.ok(notes.length > 0, 'the earlier test\u2019s notes are listed');
  await page.locator(`manju-player .marker[data-id="${notes[0].id}"]`).waitFor({ state: 'attached' });
  await page.evaluate(() => {
    document.getElementById('player').review = null;
  });
  const off = await page.evaluate(() => {
    const p = document.getElementById('player');
    return { state: p.reviewState, comments: p.comments, markers: p.shadowRoot.querySelectorAll('.marker').length, layer: p.shadowRoot.querySelectorAll('.drawing-canvas').length };
  });
  assert.deepEqual(off, { state: 'off', comments: null, markers: 0, layer: 0 });
  await clean(page, log);
  await context.close();
});
