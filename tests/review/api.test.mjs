// The review API on a real `manju serve`, on SQLite and on PostgreSQL: every role against
// every route, share links (expiry, revocation, passwords), bad input of each kind, caps,
// idempotent retries, live events, exports parsed back, publishing, hostile requests.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { DATABASES, DEMO, ROOT, makeLibrary, startServer, owned, client, comment, stream, cleanup } from './server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The demo zipped (python's zipfile: on every machine of ours), with files replaced. */
function zipDemo(replace = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'manju-zip-'));
  const out = path.join(dir, 'drama.zip');
  const extra = path.join(dir, 'replace.json');
  writeFileSync(extra, JSON.stringify(replace));
  execFileSync('python3', ['-c', `
import json, os, sys, zipfile
src, out, extra = sys.argv[1:4]
replace = json.load(open(extra))
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if f.startswith('big-'): continue
            full = os.path.join(root, f)
            rel = os.path.relpath(full, src)
            if rel in replace: z.writestr('demo/' + rel, replace[rel])
            else: z.write(full, 'demo/' + rel)
`, DEMO, out, extra]);
  return readFileSync(out);
}

for (const db of DATABASES) {
  describe(`review API on ${db}`, () => {
    let server;
    let o;
    let v;
    let otherV;
    before(async () => {
      server = await startServer({ db });
      o = await owned(server);
      v = o.version('demo');
      otherV = o.version('other');
    });
    after(async () => {
      await server?.stop();
      cleanup(server?.library, server?.data);
    });

    test('the library is listed: dramas, versions in order, outlines with frames and shots', async () => {
      assert.deepEqual(Object.keys(o.dramas).sort(), ['demo', 'other']);
      const { status, json } = await o.owner.get(`/api/v1/versions/${v}`);
      assert.equal(status, 200);
      assert.equal(json.frames, 952);
      assert.deepEqual(json.fps, [30, 1]);
      assert.equal(json.outline.shots.length, 9);
      assert.equal(json.outline.shots[0].first_frame, 0);
      const manifest = await o.owner.get(json.manifest);
      assert.equal(manifest.status, 200);
      assert.equal(manifest.json.format, 'manju/1');
    });

    test('every role against every route', async () => {
      const view = await o.reviewer('view');
      const commenter = await o.reviewer('comment');
      const approver = await o.reviewer('approve');
      const mine = await commenter.post(`/api/v1/versions/${v}/comments`, comment());
      assert.equal(mine.status, 201, mine.text);
      const share = await o.owner.post('/api/v1/dramas/demo/shares', { role: 'view', label: 'to revoke' });
      const zip = zipDemo();
      // [method, route, body, expected status for view, comment, approve, owner]
      const routes = [
        ['GET', '/api/v1/me', undefined, [200, 200, 200, 200]],
        ['GET', '/api/v1/dramas', undefined, [200, 200, 200, 200]],
        ['GET', '/api/v1/dramas/demo', undefined, [200, 200, 200, 200]],
        ['GET', `/api/v1/versions/${v}`, undefined, [200, 200, 200, 200]],
        ['GET', `/api/v1/versions/${v}/comments`, undefined, [200, 200, 200, 200]],
        ['POST', `/api/v1/versions/${v}/comments`, () => comment(), [403, 201, 201, 201]],
        ['PATCH', `/api/v1/versions/${v}/comments/${mine.json.id}`, { status: 'resolved' }, [403, 200, 200, 200]],
        ['GET', `/api/v1/versions/${v}/decisions`, undefined, [200, 200, 200, 200]],
        ['POST', `/api/v1/versions/${v}/decisions`, { target: { shot: 'storm' }, verdict: 'approved' }, [403, 403, 201, 201]],
        ['GET', `/api/v1/versions/${v}/export.json`, undefined, [200, 200, 200, 200]],
        ['GET', `/api/v1/versions/${v}/export.csv`, undefined, [200, 200, 200, 200]],
        ['GET', `/api/v1/versions/${v}/export.edl`, undefined, [200, 200, 200, 200]],
        ['GET', `/api/v1/versions/${v}/files/manifest.json`, undefined, [200, 200, 200, 200]],
        ['POST', `/api/v1/versions/${v}/import`, { format: 'manju-review/1', comments: [] }, [403, 403, 403, 200]],
        ['GET', '/api/v1/dramas/demo/shares', undefined, [403, 403, 403, 200]],
        ['POST', '/api/v1/dramas/demo/shares', { role: 'view' }, [403, 403, 403, 201]],
        ['DELETE', `/api/v1/shares/${share.json.id}`, undefined, [403, 403, 403, 204]],
        ['POST', '/api/v1/dramas/demo/versions?name=roles', zip, [403, 403, 403, 201]],
      ];
      const who = [['view', view], ['comment', commenter], ['approve', approver], ['owner', o.owner]];
      for (const [method, route, body, expected] of routes) {
        for (const [i, [name, c]] of who.entries()) {
          const r = await c.call(method, route, typeof body === 'function' ? body() : body);
          assert.equal(r.status, expected[i], `${name} ${method} ${route}: ${r.text}`);
        }
        // Nobody, and a token this server never made.
        const anonymous = await client(server.url).call(method, route, typeof body === 'function' ? body() : body);
        assert.equal(anonymous.status, 401, `no token: ${method} ${route}`);
        const forged = await client(server.url, 'f'.repeat(64)).call(method, route, typeof body === 'function' ? body() : body);
        assert.equal(forged.status, 401, `a made-up token: ${method} ${route}`);
        assert.equal(forged.json.error.field, 'Authorization');
      }
      // The live stream, too.
      for (const [name, c] of who) {
        const s = await stream(server.url, `/api/v1/versions/${v}/events`, c.token);
        await s.next('ready');
        s.close();
        assert.ok(name);
      }
      const none = await fetch(new URL(`/api/v1/versions/${v}/events`, server.url));
      assert.equal(none.status, 401);
    });

    test('a link for one drama reads nothing of another: 404, as if it did not exist', async () => {
      const approver = await o.reviewer('approve');
      for (const route of [
        `/api/v1/versions/${otherV}`, `/api/v1/versions/${otherV}/comments`, `/api/v1/versions/${otherV}/decisions`,
        `/api/v1/versions/${otherV}/export.csv`, `/api/v1/versions/${otherV}/files/manifest.json`,
        `/api/v1/versions/${otherV}/events`, '/api/v1/dramas/other',
      ]) {
        const r = await approver.get(route);
        assert.equal(r.status, 404, route);
        assert.equal(r.json.error.message, 'no such drama or version');
      }
      assert.equal((await approver.post(`/api/v1/versions/${otherV}/comments`, comment())).status, 404);
      assert.equal((await approver.post(`/api/v1/versions/${otherV}/decisions`, { verdict: 'approved' })).status, 404);
      const list = await approver.get('/api/v1/dramas');
      assert.deepEqual(list.json.dramas.map((d) => d.id), ['demo']);
      // The owner reaches both.
      assert.equal((await o.owner.get(`/api/v1/versions/${otherV}/comments`)).status, 200);
    });

    test('share links: expiry, revocation, passwords, one version only', async () => {
      const anon = client(server.url);
      // Expiry: works until it expires, then neither the session nor a new one does.
      const soon = await o.owner.post('/api/v1/dramas/demo/shares', { role: 'comment', expires_in: 1 });
      assert.equal(soon.status, 201);
      const s = await anon.post('/api/v1/sessions', { share: soon.json.token, name: 'Lin' });
      assert.equal(s.status, 201, s.text);
      const lin = client(server.url, s.json.token);
      assert.equal((await lin.get('/api/v1/me')).json.name, 'Lin');
      await sleep(1200);
      const late = await lin.get('/api/v1/me');
      assert.equal(late.status, 401);
      assert.match(late.json.error.message, /expired/);
      assert.equal((await anon.post('/api/v1/sessions', { share: soon.json.token, name: 'Lin' })).status, 401);

      // Revocation ends every session made from the link.
      const r = await o.reviewer('comment');
      assert.equal((await r.get('/api/v1/me')).status, 200);
      assert.equal((await o.owner.del(`/api/v1/shares/${r.share.id}`)).status, 204);
      const revoked = await r.post(`/api/v1/versions/${v}/comments`, comment());
      assert.equal(revoked.status, 401);
      assert.match(revoked.json.error.message, /revoked/);
      assert.equal((await o.owner.del(`/api/v1/shares/${randomUUID()}`)).status, 404);

      // Passwords.
      const locked = await o.owner.post('/api/v1/dramas/demo/shares', { role: 'view', password: '火锅 2026' });
      assert.equal(locked.json.password, true);
      const none = await anon.post('/api/v1/sessions', { share: locked.json.token, name: 'A' });
      assert.deepEqual([none.status, none.json.error.field], [401, 'password']);
      const wrong = await anon.post('/api/v1/sessions', { share: locked.json.token, name: 'A', password: '火锅' });
      assert.deepEqual([wrong.status, wrong.json.error.message], [401, 'wrong password']);
      const right = await anon.post('/api/v1/sessions', { share: locked.json.token, name: 'A', password: '火锅 2026' });
      assert.equal(right.status, 201);
      // Guessing is slow: after a burst, 429 with Retry-After.
      let limited = null;
      for (let i = 0; i < 20 && !limited; i++) {
        const g = await anon.post('/api/v1/sessions', { share: locked.json.token, name: 'A', password: `guess ${i}` });
        if (g.status === 429) limited = g;
      }
      assert.ok(limited, 'password guesses are rate-limited');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      // The list never shows tokens or password hashes.
      const shares = await o.owner.get('/api/v1/dramas/demo/shares');
      assert.ok(!shares.text.includes(locked.json.token));
      assert.ok(!shares.text.includes('argon2'));
      assert.ok(shares.json.shares.some((x) => x.revoked_at));

      // A link to one version reaches that version only.
      const zip = zipDemo();
      const v2 = await o.owner.post('/api/v1/dramas/demo/versions?name=v2-scope', zip);
      assert.equal(v2.status, 201, v2.text);
      const scoped = await o.reviewer('comment', { version: v });
      assert.equal((await scoped.get(`/api/v1/versions/${v}`)).status, 200);
      assert.equal((await scoped.get(`/api/v1/versions/${v2.json.id}`)).status, 404);
      const drama = await scoped.get('/api/v1/dramas/demo');
      assert.deepEqual(drama.json.versions.map((x) => x.id), [v]);
      const bad = await o.owner.post('/api/v1/dramas/demo/shares', { role: 'view', version: otherV });
      assert.deepEqual([bad.status, bad.json.error.field], [400, 'version']);
      const owner = await o.owner.post('/api/v1/dramas/demo/shares', { role: 'owner' });
      assert.deepEqual([owner.status, owner.json.error.field], [400, 'role']);
    });

    test('bad input is refused with the field at fault and a status that says why', async () => {
      const r = await o.reviewer('approve');
      const post = (body) => r.post(`/api/v1/versions/${v}/comments`, body);
      const cases = [
        [comment({ frame: 952 }), 400, 'anchor.frame', '952 is beyond the last frame 951'],
        [comment({ frame: -3 }), 400, 'anchor.frame', 'frames count from 0'],
        [comment({ range: [500, 400] }), 400, 'anchor.range', null],
        [comment({ range: [900, 953] }), 400, 'anchor.range[1]', null],
        [comment({ frame: 10, shot: 'storm' }), 400, 'anchor.frame', null],
        [comment({ frame: 10, shot: 'nope' }), 400, 'anchor.shot', 'no shot "nope" in this version'],
        [comment({ frame: 400, line: 9 }), 400, 'anchor.line', null],
        [comment({ frame: 400, layer: 40 }), 400, 'anchor.layer', null],
        [comment({ frame: 'x' }), 400, 'anchor.frame', null],
        [comment({ frame: 1, colour: 'red' }), 400, 'anchor.colour', null],
        [comment({}), 400, 'anchor', null],
        [{ ...comment(), id: 'not-a-uuid' }, 400, 'id', null],
        [{ ...comment(), body: '   ' }, 400, 'body', null],
        [{ ...comment(), body: 'x'.repeat(10_001) }, 413, 'body', '10001 characters, at most 10000'],
        [{ ...comment(), body: 'a\u0007b' }, 400, 'body', null],
        [{ ...comment(), tags: ['has space'] }, 400, 'tags[0]', null],
        [{ ...comment(), tags: Array.from({ length: 17 }, (_, i) => `t${i}`) }, 400, 'tags', null],
        [{ ...comment(), parent: randomUUID() }, 400, 'parent', null],
        [{ ...comment(), drawing: { shapes: [{ kind: 'arrow', from: [0.1, 0.1], to: [1.5, 0.2], color: '#ff0000', width: 0.01 }] } }, 400, 'drawing.shapes[0].to[0]', null],
        [{ ...comment(), drawing: { shapes: [{ kind: 'rect', x: 0.1, y: 0.1, w: 0.1, h: 0.1, color: 'red', width: 0.01 }] } }, 400, 'drawing.shapes[0].color', null],
        [{ ...comment(), drawing: { shapes: Array.from({ length: 201 }, () => ({ kind: 'ellipse', x: 0.1, y: 0.1, w: 0.1, h: 0.1, color: '#00ff00', width: 0.01 })) } }, 413, 'drawing.shapes', '201 shapes, at most 200'],
        [{ ...comment(), drawing: { shapes: [{ kind: 'stroke', points: Array.from({ length: 5001 }, () => [0.5, 0.5]), color: '#000000', width: 0.01 }] } }, 413, 'drawing.shapes', null],
      ];
      for (const [body, status, field, message] of cases) {
        const res = await post(body);
        assert.equal(res.status, status, `${field}: ${res.text}`);
        assert.equal(res.json.error.field, field, res.text);
        if (message) assert.equal(res.json.error.message, message);
      }
      // Broken JSON: where it broke.
      const broken = await r.post(`/api/v1/versions/${v}/comments`, '{"id": "x", "body": ', { 'content-type': 'application/json' });
      assert.equal(broken.status, 400);
      assert.match(broken.json.error.message, /column \d+/);
      const notUtf8 = await r.post(`/api/v1/versions/${v}/comments`, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
      assert.equal(notUtf8.status, 400);
      // Over the size cap, before it is read.
      const huge = await r.post(`/api/v1/versions/${v}/comments`, JSON.stringify({ ...comment(), body: 'x'.repeat(2 << 20) }));
      assert.equal(huge.status, 413);
      // Decisions and shares, too.
      const d = await r.post(`/api/v1/versions/${v}/decisions`, { target: { shot: 'storm', line: 7 }, verdict: 'approved' });
      assert.deepEqual([d.status, d.json.error.field], [400, 'target.line']);
      const verdict = await r.post(`/api/v1/versions/${v}/decisions`, { verdict: 'maybe' });
      assert.deepEqual([verdict.status, verdict.json.error.field], [400, 'verdict']);
      const expiry = await o.owner.post('/api/v1/dramas/demo/shares', { role: 'view', expires_in: -5 });
      assert.deepEqual([expiry.status, expiry.json.error.field], [400, 'expires_in']);
      const name = await client(server.url).post('/api/v1/sessions', { share: 'x', name: '' });
      assert.deepEqual([name.status, name.json.error.field], [400, 'name']);
      const header = await client(server.url).get('/api/v1/me', { authorization: 'Basic abc' });
      assert.deepEqual([header.status, header.json.error.field], [401, 'Authorization']);
      assert.equal((await o.owner.get('/api/v1/versions/nope')).status, 404);
      assert.equal((await o.owner.get('/api/v1/nothing/here')).status, 404);
      // Nothing of it was stored.
      const list = await o.owner.get(`/api/v1/versions/${v}/comments`);
      assert.ok(!list.json.comments.some((c) => c.body.startsWith('xxxx')));
    });

    test('a retry stores a comment once; another comment under its id is a conflict', async () => {
      const r = await o.reviewer('comment');
      const c = comment({ frame: 600 }, { body: '重试 once' });
      const first = await r.post(`/api/v1/versions/${v}/comments`, c);
      const again = await r.post(`/api/v1/versions/${v}/comments`, c);
      assert.deepEqual([first.status, again.status], [201, 200]);
      assert.deepEqual(again.json, first.json);
      // Ten at once, as a flaky network might send them.
      const burst = comment({ frame: 601 }, { body: 'burst' });
      const answers = await Promise.all(Array.from({ length: 10 }, () => r.post(`/api/v1/versions/${v}/comments`, burst)));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      const list = (await r.get(`/api/v1/versions/${v}/comments`)).json.comments;
      assert.equal(list.filter((x) => x.id === burst.id).length, 1);
      assert.equal(list.filter((x) => x.id === c.id).length, 1);
      const clash = await r.post(`/api/v1/versions/${v}/comments`, { ...c, body: 'something else' });
      assert.deepEqual([clash.status, clash.json.error.field], [409, 'id']);
      const other = await o.reviewer('comment');
      assert.equal((await other.post(`/api/v1/versions/${v}/comments`, c)).status, 409, 'the same id from someone else');
      // Decisions too.
      const a = await o.reviewer('approve');
      const dec = { id: randomUUID(), target: { shot: 'dusk' }, verdict: 'changes_requested', note: '颜色太暗' };
      assert.equal((await a.post(`/api/v1/versions/${v}/decisions`, dec)).status, 201);
      assert.equal((await a.post(`/api/v1/versions/${v}/decisions`, dec)).status, 200);
      assert.equal((await a.post(`/api/v1/versions/${v}/decisions`, { ...dec, verdict: 'approved' })).status, 409);
    });

    test('many reviewers at once, retries among them: every comment stored once and streamed once, in order', async () => {
      const watcher = await o.reviewer('view', { name: 'watcher' });
      const live = await stream(server.url, `/api/v1/versions/${v}/events`, watcher.token);
      await live.next('ready');
      const reviewers = await Promise.all(Array.from({ length: 20 }, (_, i) => o.reviewer('comment', { name: `burst ${i}` })));
      const sent = reviewers.flatMap((r, i) => Array.from({ length: 6 }, (_, k) => [r, comment({ frame: 100 + i * 6 + k }, { body: `burst ${i}.${k}` })]));
      // Each comment twice, both in flight at once (a client retrying after a timeout).
      const answers = await Promise.all(sent.flatMap(([r, c]) => [0, 1].map(() => r.post(`/api/v1/versions/${v}/comments`, c))));
      for (let i = 0; i < sent.length; i++) {
        const pair = [answers[2 * i].status, answers[2 * i + 1].status].sort();
        assert.deepEqual(pair, [200, 201], `comment ${i}: ${answers[2 * i].text}`);
        assert.deepEqual(answers[2 * i].json, answers[2 * i + 1].json);
      }
      const ids = new Set(sent.map(([, c]) => c.id));
      const list = (await watcher.get(`/api/v1/versions/${v}/comments`)).json.comments.filter((c) => ids.has(c.id));
      assert.equal(list.length, sent.length);
      const mine = () => live.events.filter((e) => e.event === 'comment' && ids.has(JSON.parse(e.data).id));
      for (const deadline = Date.now() + 10_000; mine().length < sent.length && Date.now() < deadline;) await sleep(50);
      await sleep(300); // a second event for any of them would arrive now
      const seen = mine();
      live.close();
      assert.equal(seen.length, sent.length, 'one event a comment');
      assert.equal(new Set(seen.map((e) => JSON.parse(e.data).id)).size, sent.length);
      const numbers = seen.map((e) => Number(e.id));
      assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'event numbers rise in the order they arrive');
    });

    test('deleting: its author (or the owner) only, out of the lists and CSV, kept in the JSON export, undone by reopening', async () => {
      const author = await o.reviewer('comment', { name: '删者' });
      const other = await o.reviewer('comment', { name: 'Other' });
      const watcher = await o.reviewer('view');
      const live = await stream(server.url, `/api/v1/versions/${v}/events`, watcher.token);
      await live.next('ready');
      const c = (await author.post(`/api/v1/versions/${v}/comments`, comment({ frame: 321 }, { body: 'delete me' }))).json;
      const route = `/api/v1/versions/${v}/comments/${c.id}`;
      const listed = async (q = '') => (await watcher.get(`/api/v1/versions/${v}/comments${q}`)).json.comments.some((x) => x.id === c.id);
      assert.equal((await other.del(route)).status, 403, 'someone else');
      assert.equal((await watcher.del(route)).status, 403, 'a viewer');
      assert.equal((await author.del(`/api/v1/versions/${v}/comments/${randomUUID()}`)).status, 404);
      assert.equal((await author.del(`/api/v1/versions/${otherV}/comments/${c.id}`)).status, 404, 'another drama');
      const gone = await author.del(route);
      assert.equal(gone.status, 200, gone.text);
      assert.equal(gone.json.status, 'deleted');
      assert.equal(JSON.parse((await live.next('comment.deleted', (e) => e.data.includes(c.id))).data).status, 'deleted');
      assert.equal(await listed(), false);
      assert.equal(await listed('?status=deleted'), true);
      assert.equal((await watcher.get(`/api/v1/versions/${v}/export.csv`)).text.includes('delete me'), false);
      const exported = (await watcher.get(`/api/v1/versions/${v}/export.json`)).json.comments.find((x) => x.id === c.id);
      assert.equal(exported.status, 'deleted');
      const edit = await author.patch(route, { body: 'changed while deleted' });
      assert.deepEqual([edit.status, edit.json.error.field], [409, 'status']);
      assert.equal((await other.patch(route, { status: 'open' })).status, 403, 'only its author brings it back');
      const back = await author.patch(route, { status: 'open' });
      assert.deepEqual([back.status, back.json.status, back.json.body], [200, 'open', 'delete me']);
      await live.next('comment.restored', (e) => e.data.includes(c.id));
      assert.equal(await listed(), true);
      // The owner may delete anyone's.
      assert.equal((await o.owner.del(route)).json.status, 'deleted');
      live.close();
    });

    test('edits: the author changes the words, anyone who comments resolves, a stale revision is a conflict', async () => {
      const author = await o.reviewer('comment', { name: '小王' });
      const other = await o.reviewer('comment', { name: 'Lin' });
      const c = (await author.post(`/api/v1/versions/${v}/comments`, comment({ frame: 700, line: 0 }))).json;
      assert.equal(c.author, '小王');
      assert.equal(c.revision, 1);
      const route = `/api/v1/versions/${v}/comments/${c.id}`;
      const edited = await author.patch(route, { body: '这句太快 @Lin', revision: 1 });
      assert.equal(edited.status, 200, edited.text);
      assert.deepEqual([edited.json.revision, edited.json.mentions], [2, ['Lin']]);
      assert.ok(edited.json.edited_at);
      const stolen = await other.patch(route, { body: 'mine now' });
      assert.equal(stolen.status, 403);
      const stale = await other.patch(route, { status: 'resolved', revision: 1 });
      assert.deepEqual([stale.status, stale.json.error.field], [409, 'revision']);
      const resolved = await other.patch(route, { status: 'resolved', revision: 2 });
      assert.equal(resolved.status, 200);
      assert.deepEqual([resolved.json.status, resolved.json.resolved_by], ['resolved', 'Lin']);
      const reopened = await author.patch(route, { status: 'open' });
      assert.deepEqual([reopened.json.status, reopened.json.resolved_by], ['open', null]);
      // A reply is anchored where its thread is.
      const reply = await other.post(`/api/v1/versions/${v}/comments`, { id: randomUUID(), body: '改好了', parent: c.id });
      assert.equal(reply.status, 201, reply.text);
      assert.deepEqual(reply.json.anchor, c.anchor);
      assert.equal(reply.json.parent, c.id);
      assert.equal((await other.patch(`/api/v1/versions/${v}/comments/${randomUUID()}`, { status: 'resolved' })).status, 404);
      const open = await o.owner.get(`/api/v1/versions/${v}/comments?status=open`);
      assert.ok(open.json.comments.every((x) => x.status === 'open'));
    });

    test('decisions per version, shot and line: the history is kept, the latest wins', async () => {
      const a = await o.reviewer('approve', { name: 'Client' });
      const route = `/api/v1/versions/${otherV}/decisions`;
      const owner = o.owner;
      for (const verdict of ['changes_requested', 'approved']) {
        assert.equal((await owner.post(route, { target: { shot: 'street' }, verdict })).status, 201);
      }
      assert.equal((await owner.post(route, { target: { shot: 'storm', line: 0 }, verdict: 'changes_requested', note: '太快' })).status, 201);
      assert.equal((await owner.post(route, { verdict: 'pending' })).status, 201);
      const { json } = await owner.get(route);
      assert.equal(json.history.length, 4);
      const street = json.latest.filter((d) => d.target.shot === 'street');
      assert.deepEqual(street.map((d) => d.verdict), ['approved']);
      const line = json.latest.find((d) => d.target.kind === 'line');
      assert.deepEqual([line.target.shot, line.target.line, line.note], ['storm', 0, '太快']);
      assert.ok(json.latest.some((d) => d.target.kind === 'version' && d.verdict === 'pending'));
      assert.ok(a);
    });

    test('live: what one reviewer writes reaches another\'s open stream; a stream resumes from Last-Event-ID', async () => {
      const writer = await o.reviewer('approve', { name: 'Writer' });
      const watcher = await o.reviewer('view', { name: 'Watcher' });
      const s = await stream(server.url, `/api/v1/versions/${v}/events`, watcher.token);
      await s.next('ready');
      const c = comment({ frame: 800 }, { body: 'live 1' });
      const sent = performance.now();
      assert.equal((await writer.post(`/api/v1/versions/${v}/comments`, c)).status, 201);
      const got = await s.next('comment', (e) => JSON.parse(e.data).id === c.id);
      assert.ok(got.at - sent < 1000, `within a second (${(got.at - sent).toFixed(0)} ms)`);
      await writer.patch(`/api/v1/versions/${v}/comments/${c.id}`, { status: 'resolved' });
      const resolved = await s.next('comment.resolved');
      assert.equal(JSON.parse(resolved.data).resolved_by, 'Writer');
      await writer.post(`/api/v1/versions/${v}/decisions`, { target: { shot: 'storm' }, verdict: 'approved' });
      await s.next('decision');
      s.close();
      // Missed while away: resumed from the last event seen.
      const lastSeen = resolved.id;
      const missed = comment({ frame: 801 }, { body: 'while you were away' });
      await writer.post(`/api/v1/versions/${v}/comments`, missed);
      const back = await stream(server.url, `/api/v1/versions/${v}/events`, watcher.token, { 'last-event-id': lastSeen });
      await back.next('decision');
      const e = await back.next('comment', (x) => JSON.parse(x.data).id === missed.id);
      assert.ok(Number(e.id) > Number(lastSeen));
      back.close();
      // Another version's events never arrive.
      const elsewhere = await stream(server.url, `/api/v1/versions/${otherV}/events`, o.owner.token);
      await elsewhere.next('ready');
      await writer.post(`/api/v1/versions/${v}/comments`, comment({ frame: 802 }));
      await sleep(300);
      assert.equal(elsewhere.events.filter((x) => x.event === 'comment').length, 0);
      elsewhere.close();
    });

    test('exports: CSV read back by a CSV parser, an EDL laid out as CMX 3600, JSON that re-imports', async () => {
      const r = await o.reviewer('comment', { drama: 'other', name: '导演, "Dao"' });
      const tricky = [
        comment({ frame: 120 }, { body: '=HYPERLINK("http://evil")' }),
        comment({ range: [400, 460], line: 0 }, { body: 'two\nlines, "quoted"', tags: ['text', 'audio'] }),
        comment({ frame: 900 }, { body: '最后一个镜头 ✔' }),
      ];
      for (const c of tricky) assert.equal((await r.post(`/api/v1/versions/${otherV}/comments`, c)).status, 201);
      const csv = await r.get(`/api/v1/versions/${otherV}/export.csv`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type'), /^text\/csv/);
      assert.match(csv.headers.get('content-disposition'), /attachment; filename="other-v1-comments.csv"/);
      const rows = parseCsv(csv.text, { columns: true });
      const all = (await r.get(`/api/v1/versions/${otherV}/comments`)).json.comments;
      assert.equal(rows.length, all.length);
      const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
      const formula = byId[tricky[0].id];
      assert.equal(formula.text, `'${tricky[0].body}`, 'a formula stays text');
      assert.equal(formula.timecode_in, '00:00:04:00');
      const quoted = byId[tricky[1].id];
      assert.deepEqual([quoted.text, quoted.tags, quoted.frame, quoted.frame_end, quoted.line], [tricky[1].body, 'text;audio', '400', '460', '0']);
      assert.deepEqual([quoted.timecode_in, quoted.timecode_out], ['00:00:13:10', '00:00:15:10']);
      assert.equal(quoted.author, '导演, "Dao"');
      assert.equal(byId[tricky[2].id].text, '最后一个镜头 ✔');

      const edl = await r.get(`/api/v1/versions/${otherV}/export.edl?start=01:00:00:00`);
      assert.equal(edl.status, 200);
      const lines = edl.text.split('\r\n');
      assert.match(lines[0], /^TITLE: /);
      assert.equal(lines[1], 'FCM: NON-DROP FRAME');
      const tc = '(\\d\\d):(\\d\\d):(\\d\\d):(\\d\\d)';
      const eventLine = new RegExp(`^(\\d{3})  (.{8}) (.{5}) (.{8}) ${tc} ${tc} ${tc} ${tc}$`);
      const frames = (h, m, s, f) => ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 30 + Number(f);
      let event = null;
      let count = 0;
      let locators = 0;
      const outline = (await r.get(`/api/v1/versions/${otherV}`)).json.outline;
      for (const line of lines.slice(2)) {
        const m = eventLine.exec(line);
        if (m) {
          count++;
          assert.equal(Number(m[1]), count, 'events are numbered from 001');
          assert.deepEqual([m[2].trim(), m[3].trim(), m[4].trim()], ['AX', 'V', 'C']);
          event = { recIn: frames(...m.slice(13, 17)), recOut: frames(...m.slice(17, 21)), shot: outline.shots[count - 1] };
          assert.equal(event.recIn - 30 * 3600, event.shot.first_frame, 'record in is the shot\'s first frame, from 01:00:00:00');
        } else if (line.startsWith('* LOC: ')) {
          const l = new RegExp(`^\\* LOC: ${tc} (RED|GREEN)\\s+(.+)$`).exec(line);
          assert.ok(l, line);
          const at = frames(...l.slice(1, 5));
          assert.ok(event && at >= event.recIn && at < event.recOut, `the locator ${line} is inside its event`);
          assert.ok(!/[\r\n]/.test(l[6]));
          locators++;
        } else if (line.startsWith('* FROM CLIP NAME: ')) {
          assert.equal(line.slice(18), event.shot.id);
        } else {
          assert.equal(line, '', `an EDL line of a known kind: ${JSON.stringify(line)}`);
        }
      }
      assert.equal(count, outline.shots.length);
      assert.equal(locators, all.filter((c) => !c.parent).length);

      // JSON: everything, a deleted comment too (marked so); read back into another
      // server, twice, stored once.
      const dropped = tricky[2];
      assert.equal((await r.del(`/api/v1/versions/${otherV}/comments/${dropped.id}`)).json.status, 'deleted');
      const exported = await r.get(`/api/v1/versions/${otherV}/export.json`);
      assert.equal(exported.json.format, 'manju-review/1');
      assert.equal(exported.json.comments.length, all.length);
      assert.equal(exported.json.comments.find((c) => c.id === dropped.id).status, 'deleted');
      const second = await startServer({ db });
      try {
        const o2 = await owned(second);
        const target = o2.version('demo');
        const first = await o2.owner.post(`/api/v1/versions/${target}/import`, exported.json);
        assert.equal(first.status, 200, first.text);
        assert.equal(first.json.comments_added, all.length);
        const again = await o2.owner.post(`/api/v1/versions/${target}/import`, exported.json);
        assert.deepEqual([again.json.comments_added, again.json.comments_already_there], [0, all.length]);
        const copied = (await o2.owner.get(`/api/v1/versions/${target}/comments`)).json.comments;
        const key = (c) => JSON.stringify([c.id, c.body, c.author, c.anchor, c.tags, c.status, c.parent]);
        assert.deepEqual(copied.map(key).sort(), all.filter((c) => c.id !== dropped.id).map(key).sort());
        const stillDeleted = (await o2.owner.get(`/api/v1/versions/${target}/comments?status=deleted`)).json.comments;
        assert.deepEqual(stillDeleted.map((c) => c.id), [dropped.id]);
        const wrong = await o2.owner.post(`/api/v1/versions/${target}/import`, { format: 'manju-review/1', comments: [{ ...exported.json.comments[0], anchor: { frame: 5000 } }] });
        assert.deepEqual([wrong.status, wrong.json.error.field], [400, 'comments[0].anchor.frame']);
      } finally {
        await second.stop();
        cleanup(second.library, second.data);
      }
    });

    test('publishing a zip: a new version, files stored once by content hash', async () => {
      const blobs = () => readdirSync(path.join(server.data, 'blobs')).filter((f) => !f.startsWith('.')).length;
      const first = await o.owner.post('/api/v1/dramas/fresh/versions?name=v1', zipDemo());
      assert.equal(first.status, 201, first.text);
      assert.equal(first.json.frames, 952);
      const before = blobs();
      const manifest = JSON.parse(readFileSync(path.join(DEMO, 'manifest.json'), 'utf8'));
      manifest.version = 'v2';
      const second = await o.owner.post('/api/v1/dramas/fresh/versions', zipDemo({ 'manifest.json': JSON.stringify(manifest) }));
      assert.equal(second.status, 201, second.text);
      assert.deepEqual([second.json.name, second.json.ordinal], ['v2', 2]);
      assert.equal(blobs(), before + 1, 'v2 stores only its changed manifest');
      const drama = await o.owner.get('/api/v1/dramas/fresh');
      assert.deepEqual(drama.json.versions.map((x) => x.name), ['v1', 'v2']);
      const img = await o.owner.get(`/api/v1/versions/${second.json.id}/files/img/gu_back.png`);
      assert.equal(img.status, 200);
      assert.equal(img.headers.get('content-type'), 'image/png');
      const again = await o.owner.post('/api/v1/dramas/fresh/versions?name=v1', zipDemo());
      assert.deepEqual([again.status, again.json.error.field], [409, 'name']);
      const junk = await o.owner.post('/api/v1/dramas/fresh/versions?name=junk', new Uint8Array([1, 2, 3, 4]));
      assert.equal(junk.status, 400);
      const badId = await o.owner.post('/api/v1/dramas/.hidden/versions', zipDemo());
      assert.deepEqual([badId.status, badId.json.error.field], [400, 'drama']);
    });

    test('hostile requests: paths out of the folder, markup and SQL as text, floods', async () => {
      const r = await o.reviewer('comment');
      for (const p of ['..%2F..%2F..%2Fetc%2Fpasswd', '../../etc/passwd', '%2e%2e/%2e%2e/etc/passwd', 'img/..%2F..%2F..%2F..%2Fetc%2Fpasswd']) {
        const res = await r.get(`/api/v1/versions/${v}/files/${p}`);
        assert.equal(res.status, 404, p);
        assert.ok(!res.text.includes('root:'), p);
      }
      for (const p of ['/..%2F..%2Fetc/passwd', '/%2e%2e/%2e%2e/etc/passwd']) {
        const res = await fetch(new URL(p, server.url));
        assert.notEqual(res.status, 200, p);
      }
      const evil = comment({ frame: 5 }, { body: `<script>alert(1)</script>'); DROP TABLE comments; --` });
      const stored = await r.post(`/api/v1/versions/${v}/comments`, evil);
      assert.equal(stored.status, 201);
      assert.equal(stored.json.body, evil.body);
      assert.match(stored.headers.get('content-type'), /^application\/json/);
      assert.equal(stored.headers.get('x-content-type-options'), 'nosniff');
      const still = await r.get(`/api/v1/versions/${v}/comments`);
      assert.ok(still.json.comments.some((c) => c.id === evil.id));
      const sqlPath = await o.owner.get(`/api/v1/dramas/${encodeURIComponent("x' OR '1'='1")}`);
      assert.equal(sqlPath.status, 404);
      // A flood from one token meets 429 with Retry-After; others are not affected.
      // (A server of its own, 1 request a second with a burst of 20: 60 at once exceed it
      // however fast the machine answers.)
      const strict = await startServer({ db, args: ['--rate-limit', '1/20'] });
      try {
        const so = await owned(strict);
        const flood = await so.reviewer('view');
        const calm = await so.reviewer('view');
        const answers = await Promise.all(Array.from({ length: 60 }, () => flood.get('/api/v1/me')));
        const limited = answers.filter((a) => a.status === 429);
        assert.ok(limited.length >= 30, `a flood is limited (${limited.length} of 60 refused)`);
        assert.ok(Number(limited[0].headers.get('retry-after')) >= 1);
        assert.match(limited[0].json.error.message, /too many requests/);
        assert.equal((await calm.get('/api/v1/me')).status, 200, 'another token is not');
      } finally {
        await strict.stop();
        cleanup(strict.library, strict.data);
      }
      // The page and its files: CSP on HTML, compression for text, ranges for media.
      const page = await fetch(server.url);
      assert.match(page.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval'/);
      const js = await fetch(new URL('/app.js', server.url), { headers: { 'accept-encoding': 'br' } });
      assert.equal(js.headers.get('content-encoding'), 'br');
      const range = await fetch(new URL('/demo/img/gu_back.png', server.url), { headers: { range: 'bytes=0-7', 'accept-encoding': 'gzip' } });
      assert.equal(range.status, 206);
      assert.equal(range.headers.get('content-encoding'), null);
      assert.deepEqual([...new Uint8Array(await range.arrayBuffer())], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const openapi = await fetch(new URL('/api/v1/openapi.json', server.url));
      assert.equal((await openapi.json()).openapi, '3.1.0');
    });
  });
}

test('drafts from other tools in the library are versions: imported, their manju/1 manifest served', async () => {
  const corpus = path.join(ROOT, '..', 'shared', 'corpus');
  // A drama folder that is a Divina itself, and a drama whose v1 is an OpenTimelineIO timeline's folder.
  const library = makeLibrary({});
  symlinkSync(path.join(corpus, 'pepper-carrot-ep17'), path.join(library, 'pepper'));
  mkdirSync(path.join(library, 'edit', 'v1'), { recursive: true });
  copyFileSync(path.join(corpus, 'otio', 'simple_cut.otio'), path.join(library, 'edit', 'v1', 'simple_cut.otio'));
  const server = await startServer({ library });
  try {
    const o = await owned(server);
    assert.deepEqual(Object.keys(o.dramas).sort(), ['edit', 'pepper']);
    const pepper = (await o.owner.get(`/api/v1/versions/${o.version('pepper')}`)).json;
    assert.deepEqual([pepper.title, pepper.shots], ['Pepper and Carrot - A Fresh Start', 30]);
    const manifest = await o.owner.get(pepper.manifest);
    assert.equal(manifest.status, 200);
    assert.equal(manifest.json.format, 'manju/1', 'the manifest the core made, not the Divina');
    const page = manifest.json.assets[manifest.json.shots[0].layers[0].image];
    const image = await o.owner.get(`/api/v1/versions/${pepper.id}/files/${page}`);
    assert.equal(image.status, 200);
    assert.match(image.headers.get('content-type'), /^image\/jpeg/);
    // Anchors are checked against the imported drama.
    const r = await o.reviewer('comment', { drama: 'pepper' });
    const ok = await r.post(`/api/v1/versions/${pepper.id}/comments`, comment({ frame: 100 }));
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.anchor.shot, 'p1-2');
    const edit = (await o.owner.get(`/api/v1/versions/${o.version('edit')}`)).json;
    assert.ok(edit.shots > 0);
    assert.equal((await o.owner.get(edit.manifest)).json.format, 'manju/1');
  } finally {
    await server.stop();
    cleanup(server.library, server.data);
  }
});

test('the webhook hears when a version is approved or changes are requested, not shot decisions', async () => {
  const { createServer } = await import('node:http');
  const heard = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      heard.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  const server = await startServer({ args: ['--webhook', `http://127.0.0.1:${hook.address().port}/hooks/manju`] });
  try {
    const o = await owned(server);
    const v = o.version('demo');
    const client = await o.reviewer('approve', { name: 'Client' });
    assert.equal((await client.post(`/api/v1/versions/${v}/decisions`, { target: { shot: 'storm' }, verdict: 'approved' })).status, 201);
    assert.equal((await client.post(`/api/v1/versions/${v}/decisions`, { verdict: 'changes_requested', note: '第三镜太暗' })).status, 201);
    assert.equal((await client.post(`/api/v1/versions/${v}/decisions`, { verdict: 'approved' })).status, 201);
    for (let i = 0; i < 100 && heard.length < 2; i++) await sleep(50);
    await sleep(200);
    assert.deepEqual(heard.map((h) => h.body.event), ['version.changes_requested', 'version.approved']);
    assert.deepEqual([heard[0].method, heard[0].url, heard[0].type], ['POST', '/hooks/manju', 'application/json']);
    assert.equal(heard[0].body.drama, 'demo');
    assert.equal(heard[0].body.version.id, v);
    assert.deepEqual([heard[0].body.decision.author, heard[0].body.decision.note], ['Client', '第三镜太暗']);
  } finally {
    await server.stop();
    cleanup(server.library, server.data);
    hook.close();
  }
});
