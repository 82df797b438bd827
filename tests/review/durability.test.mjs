// Nothing acknowledged is lost: a burst of comments, the server killed (SIGKILL) in the
// middle of it, restarted on the same database — every acknowledged comment is there, and
// clients that retry what went unanswered create no duplicate. On SQLite and PostgreSQL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES, startServer, owned, client, comment, cleanup } from './server.mjs';

for (const db of DATABASES) {
  test(`${db}: a server killed mid-burst keeps every acknowledged comment; retries make no duplicates`, async () => {
    const first = await startServer({ db });
    const { library, data, database } = first;
    let second = null;
    try {
      const o = await owned(first);
      const v = o.version('demo');
      const reviewers = [];
      for (let i = 0; i < 20; i++) reviewers.push(await o.reviewer('comment', { name: `r${i}` }));
      const acknowledged = new Map();
      const unanswered = [];
      const burst = reviewers.map(async (r, i) => {
        for (let n = 0; ; n++) {
          const c = comment({ frame: (i * 37 + n) % 952 }, { body: `burst ${i}/${n}` });
          try {
            const res = await r.post(`/api/v1/versions/${v}/comments`, c);
            if (res.status === 201 || res.status === 200) acknowledged.set(c.id, { ...c, reviewer: i });
            else assert.fail(`an answer that is neither stored nor lost: ${res.status} ${res.text}`);
          } catch {
            // The connection died with the server: the client does not know whether
            // the comment was stored.
            unanswered.push({ ...c, reviewer: i });
            return;
          }
        }
      });
      // Let it run, then kill the server in the middle of the writes.
      await new Promise((r) => setTimeout(r, 800));
      await first.kill();
      await Promise.all(burst);
      assert.ok(acknowledged.size >= 50, `a real burst (${acknowledged.size} acknowledged before the kill)`);
      // Every reviewer went on writing until the server was gone: the last request of
      // each went unanswered (sent before the kill and cut, or sent after it).
      assert.equal(unanswered.length, reviewers.length);

      second = await startServer({ db, database, library, data });
      const o2 = client(second.url, o.owner.token);
      const stored = (await o2.get(`/api/v1/versions/${v}/comments`)).json.comments;
      const ids = new Set(stored.map((c) => c.id));
      const lost = [...acknowledged.keys()].filter((id) => !ids.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.size} acknowledged comments lost`);
      for (const [id, c] of acknowledged) {
        assert.equal(stored.find((s) => s.id === id).body, c.body);
      }
      // The clients whose requests went unanswered send them again, with the same ids
      // (and the same session tokens: sessions outlive the process).
      for (const c of unanswered) {
        const r = client(second.url, reviewers[c.reviewer].token);
        const { reviewer, ...body } = c;
        const res = await r.post(`/api/v1/versions/${v}/comments`, body);
        assert.ok(res.status === 201 || res.status === 200, `retry: ${res.status} ${res.text}`);
        assert.ok(reviewer >= 0);
      }
      const after = (await o2.get(`/api/v1/versions/${v}/comments`)).json.comments;
      const counts = new Map();
      for (const c of after) counts.set(c.id, (counts.get(c.id) ?? 0) + 1);
      assert.ok([...counts.values()].every((n) => n === 1), 'no comment stored twice');
      assert.equal(after.length, acknowledged.size + unanswered.filter((c) => !acknowledged.has(c.id)).length);
    } finally {
      await first.kill();
      await second?.stop();
      cleanup(library, data);
    }
  });
}
