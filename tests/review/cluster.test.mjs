// Several `manju serve` processes on one PostgreSQL behave as one: what is written
// through one reaches the live streams of the other (LISTEN/NOTIFY), within a second, and
// a token made by one is good on the other.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, owned, client, comment, stream, postgresDatabase, makeLibrary, cleanup } from './server.mjs';

test('two servers on one PostgreSQL: a comment posted through one appears on the other\'s live stream', async () => {
  const database = postgresDatabase();
  const library = makeLibrary();
  const data = mkdtempSync(path.join(tmpdir(), 'manju-data-'));
  const a = await startServer({ db: 'postgres', database, library, data });
  const b = await startServer({ db: 'postgres', database, library, data });
  try {
    const oa = await owned(a);
    const v = oa.version('demo');
    // The share link and session made on A work on B.
    const reviewer = await oa.reviewer('comment', { name: 'On A' });
    const onB = client(b.url, reviewer.token);
    assert.equal((await onB.get('/api/v1/me')).json.name, 'On A');
    const ob = await owned(b);
    assert.equal(ob.version('demo'), v, 'one version, registered once');

    const watchB = await stream(b.url, `/api/v1/versions/${v}/events`, b.owner);
    const watchA = await stream(a.url, `/api/v1/versions/${v}/events`, a.owner);
    await watchB.next('ready');
    await watchA.next('ready');
    for (let i = 0; i < 5; i++) {
      const c = comment({ frame: 100 + i }, { body: `through A ${i}` });
      const sent = performance.now();
      assert.equal((await reviewer.post(`/api/v1/versions/${v}/comments`, c)).status, 201);
      const got = await watchB.next('comment', (e) => JSON.parse(e.data).id === c.id);
      assert.ok(got.at - sent < 1000, `on B within a second (${(got.at - sent).toFixed(0)} ms)`);
      await watchA.next('comment', (e) => JSON.parse(e.data).id === c.id);
    }
    // And the other way round.
    const back = comment({ frame: 300 }, { body: 'through B' });
    assert.equal((await onB.post(`/api/v1/versions/${v}/comments`, back)).status, 201);
    await watchA.next('comment', (e) => JSON.parse(e.data).id === back.id);
    // Each event once on each stream.
    const idsOnA = watchA.events.filter((e) => e.event === 'comment').map((e) => e.id);
    assert.equal(new Set(idsOnA).size, idsOnA.length);
    // A retry through the other server is the same comment, not a second one.
    assert.equal((await reviewer.post(`/api/v1/versions/${v}/comments`, back)).status, 200, 'the retry, through A');
    const all = (await onB.get(`/api/v1/versions/${v}/comments`)).json.comments;
    assert.equal(all.filter((c) => c.id === back.id).length, 1);
    watchA.close();
    watchB.close();
  } finally {
    // (Streams left open must not keep a server from stopping.)
    await a.stop();
    await b.stop();
    cleanup(library, data);
  }
});
