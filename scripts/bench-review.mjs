#!/usr/bin/env node
// The review server under load, on SQLite and on PostgreSQL in the same run:
//   - comment writes a second, with p50/p99 latency, 100 reviewers writing at once (each
//     its own session, one request in flight, as fast as answers come back), every write
//     acknowledged only once durable;
//   - the same reviewers offering 1 000 comments a second in all (--rate), on a schedule:
//     the target's own reading (≥ 1 000 acknowledged a second, p99 ≤ 50 ms on SQLite);
//   - the same reviewers reading (GET /api/v1/me: HTTP, token lookup) as the floor the
//     writes are compared with;
//   - the delay from a comment's write to its arrival on every one of 200 open live
//     streams.
//
//   npm run bench:review [-- --seconds 10 --reviewers 100 --rate 1000 --streams 200]
//
// Builds `manju` with the `native` profile (release without LTO) first. Starts a
// throwaway PostgreSQL (scripts/postgres.sh) unless MANJU_TEST_POSTGRES names one. The
// client runs on the same machine as the server and the database: on 2 cores the three
// share them, so the figures are a floor for a real deployment.

import { execFileSync, execSync } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, owned, comment, stream, cleanup } from '../tests/review/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const REVIEWERS = arg('reviewers', 100);
const STREAMS = arg('streams', 200);
const LIVE_WRITES = arg('live-writes', 50);
const RATE = arg('rate', 1000);

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (x) => `${x.toFixed(1)} ms`;

function build() {
  console.log('bench-review: building manju (profile native)…');
  execFileSync('cargo', ['build', '--profile', 'native', '--bin', 'manju'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const target = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
  process.env.MANJU_CLI = path.join(target, 'native', 'manju');
}

// The load itself goes through node:http with kept-alive connections, not fetch: on 2
// cores the client shares the machine with the server, and fetch (undici) spent about
// 1 ms of CPU a request — the client, not the server, was what the figures measured.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
function request(url, method, route, token, body) {
  const u = new URL(route, url);
  const data = body === undefined ? undefined : JSON.stringify(body);
  const headers = { authorization: `Bearer ${token}` };
  if (data !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname, method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

// CPU seconds a process has used (Linux /proc), to say how the two cores were shared.
const cpuOf = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};

async function closedLoop(clients, make, serverPid) {
  const server0 = cpuOf(serverPid);
  const client0 = process.cpuUsage();
  const latencies = [];
  let failures = 0;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(clients.map(async (c) => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const r = await make(c);
      const t1 = performance.now();
      if (r.status >= 200 && r.status < 300) latencies.push(t1 - t0);
      else failures++;
    }
  }));
  const client = process.cpuUsage(client0);
  const cpu = { server: (cpuOf(serverPid) - server0) / SECONDS, client: (client.user + client.system) / 1e6 / SECONDS };
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, perSecond: latencies.length / SECONDS, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), failures, cpu };
}

/**
 * The target's own reading: RATE comments a second offered in all, each reviewer on a
 * schedule (one in flight; a late answer delays the next, and its wait counts: latency is
 * from when the comment was due, so a stall is not hidden by sending less during it).
 */
async function paced(clients, rate, make, serverPid) {
  const server0 = cpuOf(serverPid);
  const client0 = process.cpuUsage();
  const latencies = [];
  let failures = 0;
  const interval = (clients.length / rate) * 1000;
  const start = performance.now() + 50;
  const end = start + SECONDS * 1000;
  await Promise.all(clients.map(async (c, i) => {
    for (let due = start + (i * interval) / clients.length; due < end; due += interval) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const r = await make(c);
      if (r.status >= 200 && r.status < 300) latencies.push(performance.now() - due);
      else failures++;
    }
  }));
  const client = process.cpuUsage(client0);
  const cpu = { server: (cpuOf(serverPid) - server0) / SECONDS, client: (client.user + client.system) / 1e6 / SECONDS };
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, perSecond: latencies.length / SECONDS, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies[latencies.length - 1] ?? NaN, failures, cpu };
}

async function run(db) {
  // The rate limit (100 a second a token by default) raised: this measures the server,
  // and the read floor would otherwise be the limiter's 429s.
  const server = await startServer({ db, args: ['--rate-limit', '100000/100000'] });
  try {
    const o = await owned(server);
    const v = o.version('demo');
    const reviewers = [];
    for (let i = 0; i < REVIEWERS; i++) reviewers.push(await o.reviewer('comment', { name: `reviewer ${i}` }));
    const route = `/api/v1/versions/${v}/comments`;
    // Warm up: connections, caches.
    await Promise.all(reviewers.map((r) => r.post(route, comment({ frame: 1 }))));

    const reads = await closedLoop(reviewers, (r) => request(server.url, 'GET', '/api/v1/me', r.token), server.process.pid);
    let n = 0;
    const write = (r) => request(server.url, 'POST', route, r.token, comment({ frame: (n++) % 952 }, { body: `bench ${n}` }));
    const writes = await closedLoop(reviewers, write, server.process.pid);
    const atRate = await paced(reviewers, RATE, write, server.process.pid);

    // Live: STREAMS streams (ten a session), then comments one at a time.
    const watchers = [];
    for (let i = 0; i < Math.ceil(STREAMS / 10); i++) watchers.push(await o.reviewer('view', { name: `watcher ${i}` }));
    const streams = [];
    for (let i = 0; i < STREAMS; i++) {
      const s = await stream(server.url, `/api/v1/versions/${v}/events`, watchers[i % watchers.length].token);
      await s.next('ready');
      streams.push(s);
    }
    const delays = [];
    for (let i = 0; i < LIVE_WRITES; i++) {
      const c = comment({ frame: 500 }, { body: `live ${i}` });
      const sent = performance.now();
      await reviewers[0].post(route, c);
      const arrivals = await Promise.all(streams.map((s) => s.next('comment', (e) => e.data.includes(c.id), 30_000)));
      delays.push(Math.max(...arrivals.map((e) => e.at)) - sent);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const s of streams) s.close();
    delays.sort((a, b) => a - b);
    return { db, reads, writes, atRate, live: { p50: quantile(delays, 0.5), p99: quantile(delays, 0.99), max: delays[delays.length - 1] } };
  } finally {
    await server.stop();
    cleanup(server.library, server.data);
  }
}

build();
let pgDir = null;
if (!process.env.MANJU_TEST_POSTGRES) {
  const env = execSync(`bash ${path.join(ROOT, 'scripts', 'postgres.sh')} start`, { encoding: 'utf8' });
  for (const line of env.split('\n')) {
    const m = /^export (\w+)='(.*)'$/.exec(line);
    if (m) process.env[m[1]] = m[2];
  }
  pgDir = process.env.MANJU_PG_DIR;
}
try {
  const results = [];
  for (const db of ['sqlite', 'postgres']) {
    console.log(`bench-review: ${db}: ${REVIEWERS} reviewers for ${SECONDS} s, then ${STREAMS} live streams…`);
    results.push(await run(db));
  }
  console.log();
  console.log(`review server, ${REVIEWERS} reviewers at once, ${SECONDS} s each; live: ${LIVE_WRITES} comments to ${STREAMS} streams`);
  console.log('database    writes/s  write p50  write p99   reads/s  read p99   writes/reads   live p50   live p99   live max');
  for (const r of results) {
    console.log([
      r.db.padEnd(10),
      r.writes.perSecond.toFixed(0).padStart(9),
      ms(r.writes.p50).padStart(10),
      ms(r.writes.p99).padStart(10),
      r.reads.perSecond.toFixed(0).padStart(9),
      ms(r.reads.p99).padStart(9),
      `${(r.writes.perSecond / r.reads.perSecond).toFixed(2)}×`.padStart(14),
      ms(r.live.p50).padStart(10),
      ms(r.live.p99).padStart(10),
      ms(r.live.max).padStart(10),
    ].join(' '));
    const c = r.writes.cpu;
    console.log(`  while writing: server ${(c.server * 100).toFixed(0)} % of a core (${(c.server * 1000 / r.writes.perSecond).toFixed(2)} ms a comment), client ${(c.client * 100).toFixed(0)} %`);
    if (r.writes.failures || r.reads.failures) console.log(`  (${r.writes.failures} writes and ${r.reads.failures} reads not answered 2xx)`);
  }
  console.log();
  console.log(`at ${RATE} comments/s offered (${REVIEWERS} reviewers on a schedule; latency from when each was due)`);
  console.log('database    acknowledged/s  write p50  write p99  write max   server CPU');
  for (const r of results) {
    const a = r.atRate;
    console.log([
      r.db.padEnd(10),
      a.perSecond.toFixed(0).padStart(15),
      ms(a.p50).padStart(10),
      ms(a.p99).padStart(10),
      ms(a.max).padStart(10),
      `${(a.cpu.server * 100).toFixed(0)} %`.padStart(12),
    ].join(' '));
    if (a.failures) console.log(`  (${a.failures} writes not answered 2xx)`);
  }
  const [sqlite, pg] = results;
  console.log(`SQLite / PostgreSQL writes: ${(sqlite.writes.perSecond / pg.writes.perSecond).toFixed(2)}×`);
} finally {
  if (pgDir) execFileSync('bash', [path.join(ROOT, 'scripts', 'postgres.sh'), 'stop', pgDir]);
}
