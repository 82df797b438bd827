// Review inside <manju-player> itself, for a page that embeds the element (a portal)
// rather than the previewer page: the element imports this module only when its `review`
// attribute or option asks for it, so a plain player never loads any review code.
//
// `EmbeddedReview` opens the store (./store.js) for the link, loads the version it reaches
// into the player, and shows what an embedded reviewer needs to see: the notes as markers
// on the seek bar, their drawings over their frames (./drawing.js) and the decisions per
// shot as the band under the track — kept in sync live, through the store's events, which
// it hands on to the element. Its methods are the element's review API (see
// ../manju-player.js): they check their input and the link's role, and throw an Error
// saying what is wrong.

import { lineAnchor, shotAnchor, frameOn } from './composer.js';
import { VERDICTS } from './decisions.js';
import { attachDrawing } from './drawing.js';
import { anchorAt, openReview, targetKey } from './store.js';

/** The store events the element fires again, with a copy of the record. */
const RECORD_EVENTS = ['commentadd', 'commentchange', 'decision'];

export class EmbeddedReview {
  #player;
  #store = null;
  #layer = null;
  #view = true;
  #closed = false;
  #emit;
  #listeners = [];

  /**
   * @param player the <manju-player>
   * @param emit (type, detail) → fires an event on the element
   */
  constructor(player, emit) {
    this.#player = player;
    this.#emit = emit;
  }

  /**
   * Signs in, finds the version and starts loading it; resolves once the notes are in
   * the store (`reviewready`, fired by the element, comes right before the load starts).
   * `beforeLoad` runs then, so a page can name what is about to load.
   */
  async open(option, beforeLoad) {
    const store = await openReview({ review: option });
    if (!store) throw new Error('the review option needs a share or owner token');
    if (this.#closed) {
      store.close();
      return null;
    }
    this.#store = store;
    for (const type of RECORD_EVENTS) {
      this.#listen(store, type, (e) => this.#emit(type, copy(e.detail)));
    }
    this.#listen(store, 'error', (e) => this.#emit('reviewerror', { message: e.detail.message }));
    this.#listen(store, 'change', () => this.#show());
    this.#listen(this.#player, 'ready', () => this.#show());
    this.#listen(this.#player, 'markerclick', (e) => this.#goTo(e.detail.id));
    if (this.#view) this.#attachView();
    beforeLoad();
    this.#player.load({ url: store.version.manifest, headers: store.headers });
    return store;
  }

  get store() {
    return this.#store;
  }

  /** Whether the element shows the review itself (markers, drawings, shot states). */
  get view() {
    return this.#view;
  }

  set view(on) {
    this.#view = Boolean(on);
    if (!this.#store) return;
    if (this.#view) this.#attachView();
    else this.#detachView();
  }

  /** Stops everything: the live stream, the listeners, what it shows. */
  close() {
    this.#closed = true;
    this.#detachView();
    for (const [target, type, fn] of this.#listeners) target.removeEventListener(type, fn);
    this.#listeners = [];
    this.#store?.close();
  }

  // ---- the element's API ----------------------------------------------------------------

  get comments() {
    return this.#store.sorted().map(copy);
  }

  get decisions() {
    return [...this.#store.decisions.values()].map(copy);
  }

  get reviewer() {
    return { name: this.#store.me.name, role: this.#store.role };
  }

  addComment({ body, tags = [], frame, range, shot, line, drawing = null } = {}) {
    this.#need('comment');
    if (typeof body !== 'string' || !body.trim()) throw new Error('addComment needs a body: the note\u2019s text');
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw new Error('tags: a list of words');
    if (drawing !== null && !Array.isArray(drawing?.shapes)) throw new Error('drawing: {shapes: [...]} as docs/review-api.md has it');
    return copy(this.#store.add({ body, tags, anchor: this.#anchor({ frame, range, shot, line }), drawing }));
  }

  reply(id, body) {
    this.#need('comment');
    if (typeof body !== 'string' || !body.trim()) throw new Error('reply needs a body: the reply\u2019s text');
    return copy(this.#store.reply(this.#known(id), body));
  }

  resolveComment(id) {
    this.#need('comment');
    return copy(this.#store.resolve(this.#known(id)));
  }

  reopenComment(id) {
    this.#need('comment');
    return copy(this.#store.reopen(this.#known(id)));
  }

  decide(target, verdict, note = '') {
    this.#need('approve');
    if (!VERDICTS.includes(verdict)) throw new Error(`the verdict is one of ${VERDICTS.join(', ')}, not ${JSON.stringify(verdict)}`);
    let to = {};
    if (target !== 'version') {
      const shot = this.#shot(target?.shot);
      to = { shot: shot.id };
      if (target.line !== undefined && target.line !== null) to.line = this.#line(shot, target.line).index;
    }
    return copy(this.#store.decide(to, verdict, String(note ?? '')));
  }

  // ---- internals ------------------------------------------------------------------------

  #need(what) {
    const { ok, reason } = this.#store.can(what);
    if (!ok) throw new Error(reason);
  }

  #known(id) {
    if (!this.#store.comments.has(id)) throw new Error(`there is no note ${JSON.stringify(id)}`);
    return id;
  }

  /** The anchor `addComment` was asked for (default: the frame on screen). */
  #anchor({ frame, range, shot, line }) {
    const p = this.#player;
    if (p.state !== 'ready') throw new Error('the version is not loaded yet');
    const last = frameOn(p, p.duration);
    const check = (n, what) => {
      if (!Number.isInteger(n) || n < 0 || n > last) throw new Error(`${what}: a frame number from 0 to ${last}, not ${JSON.stringify(n)}`);
      return n;
    };
    if (range !== undefined) {
      if (!Array.isArray(range) || range.length !== 2) throw new Error('range: [first, end) frames');
      const [start, end] = [check(range[0], 'range[0]'), range[1]];
      if (!Number.isInteger(end) || end <= start || end > last + 1) throw new Error(`range[1]: a frame after ${start}, up to ${last + 1}`);
      return anchorAt(p, start, { end });
    }
    if (shot !== undefined) {
      const s = this.#shot(shot);
      if (line !== undefined && line !== null) return lineAnchor(p, this.#line(s, line).line);
      if (frame === undefined) return shotAnchor(p, s);
    } else if (line !== undefined && line !== null) {
      throw new Error('a line is given with its shot: {shot, line} (the line\u2019s index in that shot)');
    }
    const at = frame === undefined ? Math.max(0, p.currentFrame) : check(frame, 'frame');
    const anchor = anchorAt(p, at);
    if (shot !== undefined && anchor.shot !== shot) throw new Error(`frame ${at} is not in shot ${shot}`);
    return anchor;
  }

  #shot(id) {
    const shot = (this.#player.timeline?.shots ?? []).find((s) => s.id === id);
    if (!shot) throw new Error(`there is no shot ${JSON.stringify(id)} in this version`);
    return shot;
  }

  /** Line `index` of `shot` (its index in the shot, as the API counts). */
  #line(shot, index) {
    const lines = (this.#player.timeline?.lines ?? []).filter((l) => l.shot === shot.id).sort((a, b) => a.start - b.start);
    if (!Number.isInteger(index) || !lines[index]) throw new Error(`shot ${shot.id} has no line ${JSON.stringify(index)} (it has ${lines.length})`);
    return { line: lines[index], index };
  }

  #attachView() {
    this.#layer ??= attachDrawing(this.#player);
    this.#show();
  }

  #detachView() {
    this.#layer?.detach();
    this.#layer = null;
    if (this.#player.state === 'ready') {
      this.#player.setMarkers([]);
      this.#player.setShotStates([]);
    }
  }

  /** The notes on the seek bar, open notes' drawings on their frames, each shot's decision. */
  #show() {
    const p = this.#player;
    if (!this.#view || !this.#store || p.state !== 'ready') return;
    const top = this.#store.sorted().filter((c) => !c.parent);
    p.setMarkers(top.map((c) => ({ id: c.id, frame: c.anchor.frame, frame_end: c.anchor.frame_end, status: c.status, pending: c.pending })));
    this.#layer?.show(top.filter((c) => c.status === 'open' && c.drawing?.shapes?.length)
      .map((c) => ({ id: c.id, drawing: c.drawing, frame: c.anchor.frame, frame_end: c.anchor.frame_end })));
    const latest = this.#store.decisions;
    p.setShotStates((p.timeline?.shots ?? []).map((s) => ({ shot: s.id, state: latest.get(targetKey({ shot: s.id }))?.verdict ?? 'pending' })));
  }

  /** A marker clicked: its note's frame, its drawing emphasised. */
  #goTo(id) {
    if (!this.#view) return;
    const note = this.#store.comments.get(id);
    if (!note) return;
    this.#player.seekToFrame(note.anchor.frame).catch(() => {});
    this.#layer?.highlight(id);
  }

  #listen(target, type, fn) {
    target.addEventListener(type, fn);
    this.#listeners.push([target, type, fn]);
  }
}

function copy(record) {
  return structuredClone(record);
}
