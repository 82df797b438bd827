// Real `manju serve` processes for the review tests, on SQLite and on a real PostgreSQL.
//
// scripts/test.sh builds the CLI (MANJU_CLI) and starts a throwaway PostgreSQL cluster
// (MANJU_TEST_POSTGRES). Every test runs on both databases; without MANJU_TEST_POSTGRES
// the PostgreSQL half fails — it is never skipped.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const DEMO = path.join(ROOT, 'www', 'demo');
const CLI = process.env.MANJU_CLI
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'debug', 'manju');

export const DATABASES = ['sqlite', 'postgres'];

/** A new, empty PostgreSQL database on the test cluster; its URL. */
export function postgresDatabase() {
  const admin = process.env.MANJU_TEST_POSTGRES;
  if (!admin) {
    throw new Error('MANJU_TEST_POSTGRES is not set: scripts/test.sh starts PostgreSQL (scripts/postgres.sh start) and sets it');
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  execFileSync('psql', [admin, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  return admin.replace(/\/[^/]*$/, `/${name}`);
}

/**
 * A library folder: drama `demo` (v1 = the demo) and drama `other` (v1 = the demo again),
 * or what `layout` says ({drama: {version: sourceFolder}}).
 */
export function makeLibrary(layout = { demo: { v1: DEMO }, other: { v1: DEMO } }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'manju-library-'));
  for (const [drama, versions] of Object.entries(layout)) {
    mkdirSync(path.join(dir, drama));
    for (const [version, source] of Object.entries(versions)) {
      if (source.copy) cpSync(source.copy, path.join(dir, drama, version), { recursive: true });
      else symlinkSync(source, path.join(dir, drama, version));
    }
  }
  return dir;
}

/**
 * Starts `manju serve`. Options: db ('sqlite' | 'postgres'), database (a URL, to share one
 * between processes), library, data, args (more CLI arguments), env, port (0: any free
 * one; a restart gives the old one, so pages keep their URL).
 * Returns {url, owner, database, library, data, process, stop(), kill()}.
 */
export async function startServer({ db = 'sqlite', database, library, data, args = [], env = {}, port = 0 } = {}) {
  library ??= makeLibrary();
  data ??= mkdtempSync(path.join(tmpdir(), 'manju-data-'));
  if (!database && db === 'postgres') database = postgresDatabase();
  const owner = randomBytes(32).toString('hex');
  const argv = ['serve', library, '--port', String(port), '--data', data, ...(database ? ['--database', database] : []), ...args];
  const child = spawn(CLI, argv, {
    // The page of this checkout (the binary's default is the www/ it was built from,
    // which may be another worktree's).
    env: { ...process.env, MANJU_WWW: process.env.MANJU_WWW ?? path.join(ROOT, 'www'), MANJU_OWNER_TOKEN: owner, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`manju serve did not start in 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^Manju: (http:\/\/\S+)$/m.exec(out);
      if (m && /^Review database:/m.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`manju serve exited (${code}):\n${out}\n${err}`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    url,
    owner,
    database,
    library,
    data,
    process: child,
    output: () => out,
    errors: () => err,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export function cleanup(...dirs) {
  for (const d of dirs) if (d) rmSync(d, { recursive: true, force: true });
}

/** A client for one server and one token. */
export function client(url, token) {
  async function call(method, route, body, headers = {}) {
    const init = { method, headers: { ...headers } };
    if (token) init.headers.authorization = `Bearer ${token}`;
    if (body !== undefined) {
      if (body instanceof Uint8Array || typeof body === 'string') init.body = body;
      else {
        init.body = JSON.stringify(body);
        init.headers['content-type'] = 'application/json';
      }
    }
    const res = await fetch(new URL(route, url), init);
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, text, headers: res.headers };
  }
  return {
    token,
    get: (r, h) => call('GET', r, undefined, h),
    post: (r, b, h) => call('POST', r, b, h),
    patch: (r, b, h) => call('PATCH', r, b, h),
    del: (r, h) => call('DELETE', r, undefined, h),
    call,
  };
}

/** The owner's client, the first drama's first version id, and helpers for links. */
export async function owned(server) {
  const owner = client(server.url, server.owner);
  const { json } = await owner.get('/api/v1/dramas');
  const byId = Object.fromEntries(json.dramas.map((d) => [d.id, d]));
  return {
    owner,
    dramas: byId,
    version: (drama = 'demo', i = 0) => byId[drama].versions[i].id,
    /** A session for a new share link with `role` (and share options). */
    async reviewer(role, { drama = 'demo', name = `${role} reviewer`, ...share } = {}) {
      const link = await owner.post(`/api/v1/dramas/${drama}/shares`, { role, ...share });
      if (link.status !== 201) throw new Error(`share: ${link.status} ${link.text}`);
      const s = await client(server.url).post('/api/v1/sessions', { share: link.json.token, name, password: share.password });
      if (s.status !== 201) throw new Error(`session: ${s.status} ${s.text}`);
      return Object.assign(client(server.url, s.json.token), { share: link.json, session: s.json });
    },
  };
}

export const comment = (anchor = { frame: 400 }, extra = {}) => ({
  id: randomUUID(),
  body: '这句太快',
  tags: ['timing'],
  anchor,
  ...extra,
});

/**
 * Reads a Server-Sent Events stream: `events` fills as they come; `next(kind)` waits for one.
 */
export async function stream(url, route, token, headers = {}) {
  const controller = new AbortController();
  const res = await fetch(new URL(route, url), {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`events: ${res.status} ${await res.text()}`);
  const events = [];
  const waiters = [];
  const decoder = new TextDecoder();
  let buffer = '';
  (async () => {
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const e = { at: performance.now() };
          for (const line of block.split('\n')) {
            const m = /^(\w+): ?(.*)$/.exec(line);
            if (m) e[m[1]] = m[1] === 'data' && e.data !== undefined ? `${e.data}\n${m[2]}` : m[2];
          }
          if (!e.event && !e.data) continue; // a keep-alive comment
          events.push(e);
          for (const w of [...waiters]) w();
        }
      }
    } catch { /* aborted */ }
  })();
  return {
    events,
    async next(kind, predicate = () => true, timeoutMs = 10_000) {
      const found = () => events.find((e) => e.event === kind && !e.taken && predicate(e));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const e = found();
        if (e) {
          e.taken = true;
          return e;
        }
        if (Date.now() > deadline) throw new Error(`no ${kind} event in ${timeoutMs} ms (got ${events.map((x) => x.event).join(', ')})`);
        await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
        waiters.length = 0;
      }
    },
    close: () => controller.abort(),
  };
}
