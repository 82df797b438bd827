// The review data layer: one interface for the page, whether notes go to `manju serve`
// (docs/review-api.md) or stay in this browser (no server: a static host, a file).
//
//   const store = await openReview({ review: player.review, local: 'demo' });
//   store.comments            Map id → comment (the API's record, plus `pending: true`
//                             while the server has not acknowledged it, `failed` when
//                             it refused it: the message)
//   store.role, store.me      'view'|'comment'|'approve'|'owner'; {name}
//   store.version             {id, drama, name, title, manifest, fps, frames} (local: id null)
//   store.add({body, tags, anchor, drawing}) / reply(parentId, body) / edit(id, {body, tags,
//   drawing}) / resolve(id) / reopen(id) / remove(id) / restore(id) / decide(target, verdict,
//   note) → the record (remove: status `deleted`, kept and restorable, never erased)
//   store.decisions           Map target key → the latest decision; store.history: all
//   store.close()             stops the live stream and the retries (the element's review off)
//   events: change (anything), commentadd, commentchange, decision ({detail}), conflict
//   ({detail: {id, message}}), status (connection or outbox changed), error ({detail: {message}})
//
// Nothing written is lost: every write carries a client-made id (a UUID; the server
// answers 200 for a retry of what it stored) and goes through an outbox in IndexedDB
// before it is sent. It is retried with backoff while the server cannot be reached, and
// at once when the connection returns (the browser's online event, the live stream
// opening again) — one send at a time, so a write is not sent twice at once.

import { idb } from './idb.js';
import { askName, keepSession, keptSession, readLink, savedName } from './link.js';
import { LiveStream } from './live.js';

export const ROLES = ['view', 'comment', 'approve', 'owner'];
const RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];

/** An answer from the API that is not a success: `status`, `field` and the server's text. */
export class ReviewError extends Error {
  constructor(status, field, message) {
    super(message);
    this.status = status;
    this.field = field ?? null;
  }
}

/**
 * Opens review for the page: through the link in the URL (or `review`, the element's
 * option), else locally for drama `local` when that is given, else null (review is off).
 */
export async function openReview({ review = null, local = null } = {}) {
  const link = readLink(review);
  if (link) return ServerReview.open(link);
  if (local) return LocalReview.open(local);
  return null;
}

/** What both kinds share: the records, the events, the optimistic writes. */
class Review extends EventTarget {
  /** the versions this link may open (`{id, drama, dramaTitle, name, title}`); one locally */
  reachable = [];
  comments = new Map();
  history = [];
  role = 'view';
  me = { name: '' };
  version = null;
  mode = 'local';

  /** The latest decision per target (key: 'version', 'shot:<id>' or 'shot:<id>/line:<n>'). */
  get decisions() {
    const latest = new Map();
    for (const d of [...this.history].sort((a, b) => a.created_at.localeCompare(b.created_at))) {
      latest.set(targetKey(d.target), d);
    }
    return latest;
  }

  /** Whether the role may do `what` ('comment' or 'approve'), and if not, why. */
  can(what) {
    const need = ROLES.indexOf(what);
    if (ROLES.indexOf(this.role) >= need) return { ok: true, reason: '' };
    // Said about what was asked: a viewer asked to approve is told "not approve".
    const reason = `This link lets you ${this.role === 'view' ? 'view' : 'comment'}, not ${what}`;
    return { ok: false, reason };
  }

  /** A new note: `{body, tags?, anchor, drawing?, id?}`; anchor as anchorAt() gives it. */
  add({ body, tags = [], anchor, drawing = null, id = crypto.randomUUID() }) {
    this.#need('comment');
    const record = this.#newRecord({ id, body, tags, anchor, drawing, parent: null });
    this.comments.set(id, record);
    this.#announce('commentadd', record);
    const request = { id, body, tags, anchor: requestAnchor(anchor) };
    if (drawing) request.drawing = drawing;
    this.send({ kind: 'comment', id, method: 'POST', path: 'comments', body: request, record });
    return record;
  }

  reply(parentId, body, tags = []) {
    this.#need('comment');
    const parent = this.comments.get(parentId);
    if (!parent) throw new Error(`no note ${parentId}`);
    const id = crypto.randomUUID();
    const record = this.#newRecord({ id, body, tags, anchor: parent.anchor, drawing: null, parent: parentId });
    this.comments.set(id, record);
    this.#announce('commentadd', record);
    this.send({ kind: 'comment', id, method: 'POST', path: 'comments', body: { id, body, tags, parent: parentId }, record });
    return record;
  }

  /**
   * Changes one's own note (`body`, `tags`, `drawing`). `revision`: the one the reviewer
   * started from (default: the note's now); when someone changed the note since, the
   * server refuses it and a `conflict` event carries the changes back.
   */
  edit(id, changes, { revision } = {}) {
    this.#need('comment');
    const old = this.comments.get(id);
    if (!old) throw new Error(`no note ${id}`);
    const patch = {};
    for (const key of ['body', 'tags', 'drawing']) if (key in changes) patch[key] = changes[key];
    return this.#change(id, { ...patch, revision: revision ?? old.revision }, patch);
  }

  resolve(id) {
    this.#need('comment');
    return this.#change(id, { status: 'resolved' }, { status: 'resolved', resolved_by: this.me.name, resolved_at: new Date().toISOString() });
  }

  reopen(id) {
    this.#need('comment');
    return this.#change(id, { status: 'open' }, { status: 'open', resolved_by: null, resolved_at: null });
  }

  /** Whether this reviewer may delete note `c`: its author, or the owner. */
  mayDelete(c) {
    return this.can('comment').ok && (c.author === this.me.name || this.role === 'owner');
  }

  /**
   * Deletes a note (`DELETE …/comments/{id}`; locally, marks it): its status becomes
   * `deleted`, it leaves the lists, and `restore(id)` brings it back. Nothing is erased.
   */
  remove(id) {
    this.#need('comment');
    const old = this.comments.get(id);
    if (!old) throw new Error(`no note ${id}`);
    if (!this.mayDelete(old)) throw new ReviewError(403, null, 'Only its author (or the owner) can delete a note');
    return this.#change(id, undefined, { status: 'deleted' }, { kind: 'delete', method: 'DELETE' });
  }

  /** Brings a deleted note back, open (`PATCH {status: "open"}`: the undo of remove). */
  restore(id) {
    this.#need('comment');
    return this.#change(id, { status: 'open' }, { status: 'open', resolved_by: null, resolved_at: null });
  }

  /** A verdict ('approved' | 'changes_requested' | 'pending') on the version ({}), a shot ({shot}) or a line ({shot, line}). */
  decide(target = {}, verdict, note = '') {
    this.#need('approve');
    const id = crypto.randomUUID();
    const body = { id, target: { ...(target.shot ? { shot: target.shot } : {}), ...(Number.isInteger(target.line) ? { line: target.line } : {}) }, verdict, note };
    const record = {
      id,
      version: this.version?.id ?? null,
      target: { kind: target.shot ? (Number.isInteger(target.line) ? 'line' : 'shot') : 'version', shot: target.shot ?? null, line: Number.isInteger(target.line) ? target.line : null },
      verdict,
      author: this.me.name,
      note,
      created_at: new Date().toISOString(),
      pending: this.mode === 'server',
    };
    this.history.push(record);
    this.#announce('decision', record);
    this.send({ kind: 'decision', id, method: 'POST', path: 'decisions', body, record });
    return record;
  }

  /** The notes in frame order, parents before their replies; the deleted left out unless asked. */
  sorted({ deleted = false } = {}) {
    return [...this.comments.values()].filter((c) => deleted || c.status !== 'deleted').sort((a, b) => a.anchor.frame - b.anchor.frame || a.created_at.localeCompare(b.created_at));
  }

  #change(id, request, local, { kind = 'edit', method = 'PATCH' } = {}) {
    const old = this.comments.get(id);
    if (!old) throw new Error(`no note ${id}`);
    const record = { ...old, ...local, edited_at: 'body' in local || 'tags' in local ? new Date().toISOString() : old.edited_at, pending: this.mode === 'server' };
    if (this.mode === 'local') record.revision = old.revision + 1;
    this.comments.set(id, record);
    this.#announce('commentchange', record);
    this.send({ kind, id, method, path: `comments/${encodeURIComponent(id)}`, body: request, record });
    return record;
  }

  #newRecord({ id, body, tags, anchor, drawing, parent }) {
    return {
      id,
      version: this.version?.id ?? null,
      parent,
      author: this.me.name,
      mentions: [...String(body).matchAll(/@([\p{L}\p{N}_-]+)/gu)].map((m) => m[1]),
      body,
      tags,
      anchor: { ...anchor },
      drawing,
      status: 'open',
      resolved_by: null,
      resolved_at: null,
      revision: 1,
      created_at: new Date().toISOString(),
      edited_at: null,
      pending: this.mode === 'server',
    };
  }

  #need(what) {
    const { ok, reason } = this.can(what);
    if (!ok) throw new ReviewError(403, null, reason);
  }

  /** Fires `type` (detail: the record) and `change`. */
  #announce(type, record) {
    this.dispatchEvent(new CustomEvent(type, { detail: record }));
    this.dispatchEvent(new CustomEvent('change', { detail: { type, record } }));
  }

  /** A record from elsewhere (the server's answer, the live stream): kept, announced. */
  received(type, record) {
    if (type === 'decision') {
      const at = this.history.findIndex((d) => d.id === record.id);
      if (at >= 0) this.history[at] = record;
      else this.history.push(record);
      this.#announce('decision', record);
      return;
    }
    const known = this.comments.has(record.id);
    this.comments.set(record.id, record);
    this.#announce(known ? 'commentchange' : 'commentadd', record);
  }

  /** Subclasses send (or keep) a write. */
  send() {}

  /** Stops listening (the live stream, the retries): the element's review was turned off. */
  close() {}

  /** Resolves once every write made so far is kept in IndexedDB (sent or not). */
  settled() {
    return Promise.resolve();
  }
}

// ---- with a server ------------------------------------------------------------------

class ServerReview extends Review {
  mode = 'server';
  #link;
  #token = '';
  #live = null;
  #outbox = [];
  #kept = Promise.resolve();
  #flushing = null;
  #again = false;
  #tries = 0;
  #timer = 0;
  /** the server could not be reached on the last try */
  offline = false;
  /** live events held back while the lists load (null: none loading) */
  #held = null;
  #opened = null;

  static async open(link) {
    const store = new ServerReview();
    store.#link = link;
    await store.#signIn();
    await store.#findVersion();
    await store.#loadOutbox();
    // The stream first, then the lists: what is committed between the two is in the
    // lists or comes on the stream (held back until the lists are in), never in neither.
    const opened = new Promise((resolve) => {
      store.#opened = resolve;
    });
    store.#startLive();
    await Promise.race([opened, new Promise((resolve) => setTimeout(resolve, 5000))]);
    await store.#reload();
    addEventListener('online', store.#online);
    store.flush();
    return store;
  }

  #online = () => this.flush();

  close() {
    this.#live?.stop();
    clearTimeout(this.#timer);
    removeEventListener('online', this.#online);
  }

  get server() {
    return this.#link.server;
  }

  /** Headers for the version's files (the player sends them with its fetches). */
  get headers() {
    return { authorization: `Bearer ${this.#token}` };
  }

  /** How many writes wait for the server. */
  get waiting() {
    return this.#outbox.length;
  }

  get connected() {
    return this.#live?.connected ?? false;
  }

  async #signIn() {
    const kept = keptSession(this.#link);
    if (kept) {
      this.#token = kept.token;
      const me = await this.#call('GET', '/api/v1/me').catch((err) => err);
      if (!(me instanceof Error)) return this.#became(me);
      if (me.status !== 401) throw me;
      keepSession(this.#link, null);
    }
    // An embedding page may name the reviewer (its portal knows them): no dialog then,
    // unless the server refuses that name.
    let name = this.#link.name || savedName();
    let password = this.#link.password;
    let error = '';
    let needsPassword = false;
    for (;;) {
      if (!name || error) ({ name, password } = await askName({ password: needsPassword, error }));
      const body = { name };
      if (this.#link.kind === 'share') body.share = this.#link.token;
      if (password) body.password = password;
      this.#token = this.#link.kind === 'owner' ? this.#link.token : '';
      try {
        const session = await this.#call('POST', '/api/v1/sessions', body);
        this.#token = session.token;
        keepSession(this.#link, { token: session.token, name: session.name, role: session.role });
        return this.#became(session);
      } catch (err) {
        if (!(err instanceof ReviewError) || err.status >= 500 || !err.status) throw err;
        if (err.field === 'password') needsPassword = true;
        else if (err.field !== 'name') throw err;
        error = err.message;
      }
    }
  }

  #became({ name, role }) {
    this.me = { name };
    this.role = ROLES.includes(role) ? role : 'view';
  }

  async #findVersion() {
    const me = await this.#call('GET', '/api/v1/me');
    const { dramas } = await this.#call('GET', '/api/v1/dramas');
    const wanted = this.#link.version ?? new URLSearchParams(location.search).get('version');
    const all = dramas.flatMap((d) => d.versions);
    // What the link reaches, for a picker: each version with its drama's name.
    this.reachable = dramas.flatMap((d) => d.versions.map((v) => ({ id: v.id, drama: d.id, dramaTitle: d.title || d.id, name: v.name, title: v.title })));
    const version = all.find((v) => v.id === (me.version ?? wanted))
      ?? dramas.find((d) => d.id === me.drama)?.versions.at(-1)
      ?? dramas.find((d) => d.versions.length > 0)?.versions.at(-1);
    if (!version) throw new ReviewError(404, null, 'this link reaches no version of a drama');
    this.version = { ...version, manifest: new URL(version.manifest, this.#link.server).href };
  }

  /** Loads the lists afresh, then applies the live events that came meanwhile. */
  async #reload() {
    this.#held ??= [];
    try {
      await this.#loadLists();
    } finally {
      const held = this.#held;
      this.#held = null;
      for (const e of held) this.#apply(e);
    }
  }

  #apply({ event, data }) {
    if (event === 'reset') {
      this.#reload().catch(() => {});
      return;
    }
    const pending = this.#outbox.some((op) => op.id === data.id);
    if (event === 'decision') this.received('decision', { ...data, pending });
    else if (event.startsWith('comment')) this.received('comment', { ...data, pending });
  }

  async #loadLists() {
    const v = encodeURIComponent(this.version.id);
    const [{ comments }, decisions] = await Promise.all([
      this.#call('GET', `/api/v1/versions/${v}/comments`),
      this.#call('GET', `/api/v1/versions/${v}/decisions`),
    ]);
    const waiting = new Map([...this.comments].filter(([, c]) => c.pending));
    this.comments = new Map(comments.map((c) => [c.id, c]));
    for (const [id, c] of waiting) if (!this.comments.has(id) || this.#outbox.some((op) => op.id === id)) this.comments.set(id, c);
    this.history = decisions.history ?? [];
    this.dispatchEvent(new CustomEvent('change', { detail: { type: 'reload' } }));
  }

  /** What an earlier visit left unsent: shown as not sent yet, sent again. */
  async #loadOutbox() {
    const scope = this.#scope();
    const ops = (await idb.all('outbox').catch(() => [])).filter((op) => op.scope === scope).sort((a, b) => a.seq - b.seq);
    this.#outbox = ops;
    for (const op of ops) {
      if (op.kind === 'decision') {
        if (!this.history.some((d) => d.id === op.id)) this.history.push(op.record);
      } else {
        this.comments.set(op.id, { ...op.record, pending: true });
      }
    }
    if (ops.length) this.dispatchEvent(new CustomEvent('change', { detail: { type: 'reload' } }));
  }

  #scope() {
    return `${this.#link.server} ${this.version.id}`;
  }

  #startLive() {
    const url = new URL(`/api/v1/versions/${encodeURIComponent(this.version.id)}/events`, this.#link.server);
    this.#live = new LiveStream(url, this.headers, {
      event: (e) => {
        if (this.#held) this.#held.push(e);
        else this.#apply(e);
      },
      open: ({ first, resumed }) => {
        this.offline = false;
        this.#opened?.();
        this.#opened = null;
        // Back without a place to resume from (no event had come yet): what was missed
        // is read from the lists.
        if (!first && !resumed) this.#reload().catch(() => {});
        this.#status();
        this.flush();
      },
      down: () => this.#status(),
      fatal: (status, message) => this.dispatchEvent(new CustomEvent('error', { detail: { status, message: `The live updates stopped: ${message}` } })),
    });
    this.#live.start();
  }

  /** Keeps the write in the outbox (IndexedDB) first, then sends what waits. */
  send(op) {
    const entry = { ...op, op: crypto.randomUUID(), scope: this.#scope(), token: this.#token, seq: Date.now() + this.#outbox.length / 1000 };
    this.#outbox.push(entry);
    this.#status();
    const kept = idb.put('outbox', entry).catch(() => {});
    this.#kept = Promise.all([this.#kept, kept]);
    kept.finally(() => this.flush());
  }

  settled() {
    return this.#kept.then(() => {});
  }

  /** Sends what waits, oldest first, one at a time; again later if the server is away. */
  flush() {
    if (this.#flushing) {
      this.#again = true;
      return this.#flushing;
    }
    clearTimeout(this.#timer);
    this.#flushing = (async () => {
      do {
        this.#again = false;
        while (this.#outbox.length > 0) {
          const op = this.#outbox[0];
          const outcome = await this.#deliver(op);
          if (outcome === 'later') {
            this.offline = true;
            this.#status();
            const wait = RETRY_MS[Math.min(this.#tries++, RETRY_MS.length - 1)];
            this.#timer = setTimeout(() => this.flush(), wait);
            this.#live?.retryNow();
            return;
          }
          this.#tries = 0;
          this.offline = false;
          this.#settle(op);
          await idb.delete('outbox', op.op).catch(() => {});
          this.#status();
        }
      } while (this.#again);
    })().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** 'done' (sent, or refused for good and said so) or 'later' (the server is away). */
  async #deliver(op) {
    const path = `/api/v1/versions/${encodeURIComponent(this.version.id)}/${op.path}`;
    let record;
    try {
      record = await this.#call(op.method, path, op.body, op.token);
    } catch (err) {
      if (!(err instanceof ReviewError) || !err.status || err.status === 429 || err.status >= 500) return 'later';
      await this.#refused(op, err);
      return 'done';
    }
    const still = this.#outbox.some((o) => o !== op && o.id === op.id);
    this.received(op.kind === 'decision' ? 'decision' : 'comment', { ...record, pending: still });
    return 'done';
  }

  /** Takes `op` out of the outbox (answered, or refused for good). */
  #settle(op) {
    this.#outbox = this.#outbox.filter((o) => o !== op);
  }

  async #refused(op, err) {
    this.#settle(op);
    if (op.kind === 'edit' && err.status === 409) {
      // Someone changed it since: show theirs, and say so.
      await this.#reload().catch(() => {});
      const now = this.comments.get(op.id);
      const landed = now && Object.entries(op.body).every(([k, v]) => k === 'revision' || JSON.stringify(now[k]) === JSON.stringify(v));
      if (!landed) {
        const { revision, ...changes } = op.body;
        this.dispatchEvent(new CustomEvent('conflict', {
          detail: { id: op.id, changes, message: 'Someone changed this note since you started editing it: it was reloaded; your text is back in the editor, save it again if it still applies' },
        }));
      }
      return;
    }
    const failed = `${err.field ? `${err.field}: ` : ''}${err.message}`;
    if (op.kind === 'delete') {
      // Not deleted after all: the note comes back as the server has it.
      await this.#reload().catch(() => {});
    } else if (op.kind === 'decision') {
      this.history = this.history.filter((d) => d.id !== op.id);
    } else if (this.comments.has(op.id)) {
      this.comments.set(op.id, { ...this.comments.get(op.id), pending: false, failed });
    }
    this.dispatchEvent(new CustomEvent('error', { detail: { id: op.id, status: err.status, field: err.field, message: `Not sent: ${failed}` } }));
    this.dispatchEvent(new CustomEvent('change', { detail: { type: 'failed', id: op.id } }));
  }

  #status() {
    this.dispatchEvent(new CustomEvent('status'));
  }

  async #call(method, path, body, token = this.#token) {
    const init = { method, headers: {} };
    if (token) init.headers.authorization = `Bearer ${token}`;
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(new URL(path, this.#link.server), init);
    } catch (err) {
      throw new ReviewError(0, null, `the review server cannot be reached (${err.message})`);
    }
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: said below
    }
    if (!response.ok) {
      throw new ReviewError(response.status, json?.error?.field, json?.error?.message ?? `HTTP ${response.status}`);
    }
    return json;
  }

  /** The server's JSON export of the version (what LocalReview also writes). */
  async export() {
    return this.#call('GET', `/api/v1/versions/${encodeURIComponent(this.version.id)}/export.json`);
  }
}

// ---- without a server ----------------------------------------------------------------

class LocalReview extends Review {
  mode = 'local';
  role = 'approve';
  #key;

  static async open(drama) {
    const store = new LocalReview();
    store.#key = `local ${drama}`;
    store.version = { id: null, drama, name: 'local', title: drama };
    store.me = { name: savedName() || (await askName()).name };
    const kept = await idb.get('local', store.#key).catch(() => null);
    for (const c of kept?.comments ?? []) store.comments.set(c.id, c);
    store.history = kept?.history ?? [];
    return store;
  }

  #saving = 0;
  #saved = Promise.resolve();

  get waiting() {
    return 0;
  }

  get connected() {
    return false;
  }

  /** Writes to IndexedDB not committed yet: the status says "Saving…" until they are. */
  get saving() {
    return this.#saving;
  }

  /** Resolves once every write made so far is in IndexedDB. */
  settled() {
    return this.#saved;
  }

  /** Kept at once: the browser is the store. */
  send() {
    this.#save();
  }

  /** One write after another (a later state never lands before an earlier one), each the whole review. */
  #save() {
    this.#saving++;
    this.dispatchEvent(new CustomEvent('status'));
    const write = () => {
      const comments = [...this.comments.values()];
      return idb.put('local', { key: this.#key, comments, history: this.history });
    };
    this.#saved = this.#saved
      .then(write)
      .catch((err) => {
        this.dispatchEvent(new CustomEvent('error', { detail: { message: `Notes could not be kept in this browser: ${err.message}` } }));
      })
      .finally(() => {
        this.#saving--;
        this.dispatchEvent(new CustomEvent('status'));
      });
    return this.#saved;
  }

  /** The review as the server's export.json has it (manju-review/1): `manju serve` imports it. */
  async export() {
    return {
      format: 'manju-review/1',
      exported_at: new Date().toISOString(),
      version: { id: null, drama: this.version.drama, name: 'local', title: this.version.title },
      outline: null,
      comments: this.sorted({ deleted: true }).map(({ pending, failed, ...c }) => c),
      decisions: { latest: [...this.decisions.values()], history: this.history.map(({ pending, ...d }) => d) },
    };
  }

  /** Reads an export back (this page's or a server's): records keep their ids, so twice is once. */
  async import(data) {
    if (data?.format !== 'manju-review/1') throw new Error('not a Manju review export (format manju-review/1)');
    let added = 0;
    for (const c of data.comments ?? []) {
      if (!this.comments.has(c.id)) added++;
      this.comments.set(c.id, { ...c, pending: false });
    }
    for (const d of data.decisions?.history ?? []) if (!this.history.some((x) => x.id === d.id)) this.history.push(d);
    await this.#save();
    this.dispatchEvent(new CustomEvent('change', { detail: { type: 'reload' } }));
    return added;
  }
}

// ---- anchors ----------------------------------------------------------------------------

/**
 * The anchor of a note at frame `frame` (or the range `[frame, end)`), as the server
 * stores it: the shot on screen at the frame, the time in that shot (from the frame's
 * own instant), and a line of that shot by its index when given.
 * @param player the <manju-player> (its timeline and frame arithmetic)
 */
export function anchorAt(player, frame, { end = frame + 1, line = null } = {}) {
  const t = player.frameTime(frame);
  const shots = player.timeline?.shots ?? [];
  const shot = shots.find((s) => t >= s.start && t < s.end) ?? shots.at(-1);
  const anchor = {
    frame,
    frame_end: end,
    range: end > frame + 1,
    shot: shot?.id ?? '',
    shot_time: Math.round(Math.max(0, t - (shot?.start ?? 0)) * 1e6) / 1e6,
  };
  if (Number.isInteger(line)) anchor.line = line;
  return anchor;
}

/** The anchor as a request gives it: a `frame` or a `range`, not `frame_end`. */
export function requestAnchor(a) {
  const out = a.range ? { range: [a.frame, a.frame_end] } : { frame: a.frame };
  for (const key of ['shot', 'shot_time', 'line', 'layer']) if (a[key] !== undefined && a[key] !== null) out[key] = a[key];
  return out;
}

export function targetKey(target) {
  if (!target?.shot) return 'version';
  return Number.isInteger(target.line) ? `shot:${target.shot}/line:${target.line}` : `shot:${target.shot}`;
}
