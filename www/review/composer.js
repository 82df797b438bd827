// The composer of the notes panel: a new note on the frame on screen (a range after I/O),
// on a dialogue line or on a shot, with its tags and, when the page has the drawing layer
// (./drawing.js), a drawing — **Draw** (or `D`) starts drawing over the paused frame,
// Done or Escape comes back here with the drawing attached ("drawing: 3 shapes", which
// Remove takes off). The draft (text, tags, anchor, drawing) is in localStorage at every
// change, so a reload opens it again. The words are data: textContent only.
//
// `Sketch` is the one place that drives the layer for the panel, for the composer and for
// an edit of one's own note alike: one drawing at a time, handed back when it is done.

import { h } from '../player/ui.js';
import { anchorAt } from './store.js';

export const TAGS = ['timing', 'text', 'art', 'audio', 'regenerate'];
export const FREE_TAG = /^[\p{L}\p{N}_-]{1,40}$/u;

/** Drives the drawing layer for whoever asked last (the composer, an edit). */
export class Sketch {
  #layer;
  #player;
  #session = null;

  constructor(layer, player) {
    this.#layer = layer;
    this.#player = player;
    layer?.addEventListener('done', (e) => this.#ended(e.detail.drawing));
    layer?.addEventListener('change', (e) => this.#session?.change?.(e.detail.drawing));
  }

  get available() {
    return Boolean(this.#layer);
  }

  get editing() {
    return Boolean(this.#layer?.editing);
  }

  /**
   * Draws over the paused frame, starting from `drawing` (null: empty), for `owner` (any
   * value naming who asked); `done(drawing)` when the reviewer leaves (Done, Escape) or
   * `finish()` is called; `change(drawing)` at each change.
   */
  start(drawing, { owner, done, change }) {
    if (!this.#layer) return;
    if (this.#session) this.finish();
    this.#player.pause();
    this.#session = { owner, done, change };
    this.#layer.edit({ drawing: drawing ?? { shapes: [] } });
    // The toolbar is the next tab stop from the player: the keyboard reaches it from here.
    this.#player.focus({ preventScroll: true });
  }

  /** Whether `owner` is drawing now. */
  drawingFor(owner) {
    return this.#session?.owner === owner;
  }

  /** Stops drawing (`owner`'s only, when given), handing the drawing over (quietly: no focus moves). */
  finish(owner) {
    if (!this.#session || (owner !== undefined && !this.drawingFor(owner))) return;
    this.#ended(this.#layer.done(), { quiet: true });
  }

  /** Stops drawing (`owner`'s only, when given) and forgets what was drawn in this go. */
  cancel(owner) {
    if (!this.#session || (owner !== undefined && !this.drawingFor(owner))) return;
    this.#session = null;
    this.#layer.cancel();
  }

  #ended(drawing, { quiet = false } = {}) {
    const session = this.#session;
    this.#session = null;
    session?.done(drawing, { quiet });
  }
}

/** How a drawing reads in a chip: "drawing: 3 shapes". */
export function drawingText(drawing) {
  const n = drawing?.shapes?.length ?? 0;
  return `drawing: ${n} shape${n === 1 ? '' : 's'}`;
}

export class Composer {
  #player;
  #store;
  #sketch;
  #say;
  #anchorText;
  #onChange;
  #draftKey;
  #ui;
  /** the note's anchor, null while closed */
  #anchor = null;
  /** the drawing attached to the note, null: none */
  #drawing = null;
  /** the drawing being drawn for it (kept in the draft as it grows), undefined while not drawing */
  #live = undefined;

  /**
   * @param options.sketch a Sketch (its layer may be null: no Draw button)
   * @param options.anchorText (anchor) → where it points, in words
   * @param options.onChange () → the anchor or the attached drawing changed (the panel shows it)
   */
  constructor({ player, store, sketch, say, anchorText, draftKey, onChange = () => {} }) {
    this.#player = player;
    this.#store = store;
    this.#sketch = sketch;
    this.#say = say;
    this.#anchorText = anchorText;
    this.#draftKey = draftKey;
    this.#onChange = onChange;
    this.#ui = this.#build();
  }

  get form() {
    return this.#ui.form;
  }

  get anchor() {
    return this.#anchor;
  }

  /** The drawing attached (not the one being drawn): the panel shows it on the note's frames. */
  get drawing() {
    return this.#anchor && !this.#sketch.drawingFor(this) ? this.#drawing : null;
  }

  #build() {
    const where = h('p', { class: 'composer-where', id: 'composer-where' });
    const body = h('textarea', { id: 'composer-body', class: 'composer-body', rows: '3', maxlength: '10000', 'aria-describedby': 'composer-where composer-help' });
    const label = h('label', { for: 'composer-body', class: 'composer-label' }, 'Your note');
    const chips = TAGS.map((tag) => {
      const chip = h('button', { type: 'button', class: 'chip', 'aria-pressed': 'false', 'data-tag': tag }, tag);
      chip.addEventListener('click', () => {
        chip.setAttribute('aria-pressed', String(chip.getAttribute('aria-pressed') !== 'true'));
        this.#saveDraft();
      });
      return chip;
    });
    const free = h('input', { id: 'composer-tags', class: 'composer-tags', type: 'text', placeholder: 'more tags, comma-separated', autocomplete: 'off' });
    const tags = h('div', { class: 'chips', role: 'group', 'aria-label': 'Tags' }, ...chips,
      h('label', { for: 'composer-tags', class: 'visually-hidden' }, 'More tags'), free);
    const draw = h('button', { type: 'button', class: 'button small secondary', id: 'composer-draw', 'aria-keyshortcuts': 'D' }, 'Draw');
    draw.hidden = !this.#sketch.available;
    draw.addEventListener('click', () => this.draw());
    const chipText = h('span', { class: 'drawing-chip-text' });
    const remove = h('button', { type: 'button', class: 'drawing-chip-remove', 'aria-label': 'Remove the drawing', title: 'Remove the drawing' }, '×');
    remove.addEventListener('click', () => {
      this.#attach(null);
      draw.focus();
    });
    const attached = h('p', { class: 'drawing-chip', hidden: '' }, chipText, remove);
    const send = h('button', { type: 'submit', class: 'button small' }, 'Send');
    const cancel = h('button', { type: 'button', class: 'button small secondary' }, 'Cancel');
    const help = h('p', { class: 'composer-help', id: 'composer-help' },
      this.#sketch.available
        ? 'Ctrl+Enter sends, Escape closes (the draft is kept). Draw (D) draws on the frame; Done or Escape comes back here.'
        : 'Ctrl+Enter sends, Escape closes (the draft is kept).');
    const error = h('p', { class: 'composer-error', role: 'alert' });
    const form = h('form', { class: 'composer', 'aria-label': 'New note', hidden: '' },
      where, label, body, tags, attached, error, h('div', { class: 'composer-actions' }, draw, send, cancel), help);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#send();
    });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.#send();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.close({ keepDraft: true });
      }
    });
    form.addEventListener('input', () => this.#saveDraft());
    cancel.addEventListener('click', () => this.close());
    return { form, where, body, chips, free, error, draw, attached, chipText };
  }

  /**
   * Opens the composer: on `line` (the timeline's line), on `shot` (the timeline's shot:
   * its frames as a range), on `anchor`, or on the frame on screen (a range when I/O
   * marked one). Pauses playback. False when it cannot (the role, nothing loaded).
   */
  open({ line = null, shot = null, anchor = null, focus = true } = {}) {
    const can = this.#store.can('comment');
    if (!can.ok) {
      this.#say(can.reason);
      return false;
    }
    const p = this.#player;
    if (p.state !== 'ready') return false;
    p.pause();
    this.#anchor = anchor ?? (line ? this.#lineAnchor(line) : shot ? this.#shotAnchor(shot) : this.#frameAnchor());
    const c = this.#ui;
    if (line || shot || anchor) p.seekToFrame(this.#anchor.frame).catch(() => {});
    c.where.textContent = `On ${this.#anchorText(this.#anchor)}`;
    c.error.textContent = '';
    c.form.hidden = false;
    this.#saveDraft();
    this.#showAttached();
    this.#onChange();
    if (focus) c.body.focus();
    return true;
  }

  /** Draws on the note's frame: opens the composer first when it is closed (`D` on the picture). */
  draw() {
    if (!this.#sketch.available) return;
    if (!this.#anchor && !this.open({ focus: false })) return;
    this.#player.seekToFrame(this.#anchor.frame).catch(() => {});
    this.#sketch.start(this.#drawing, {
      owner: this,
      change: (drawing) => {
        this.#live = drawing;
        this.#saveDraft();
      },
      done: (drawing, { quiet }) => {
        this.#live = undefined;
        this.#attach(drawing);
        if (!quiet) this.#ui.body.focus();
      },
    });
    this.#onChange();
  }

  close({ keepDraft = false, keepStored = false } = {}) {
    const c = this.#ui;
    if (keepDraft) this.#sketch.finish(this);
    else this.#sketch.cancel(this);
    this.#live = undefined;
    c.form.hidden = true;
    this.#anchor = null;
    if (!keepDraft) {
      if (!keepStored) localStorage.removeItem(this.#draftKey);
      c.body.value = '';
      c.free.value = '';
      for (const chip of c.chips) chip.setAttribute('aria-pressed', 'false');
      this.#drawing = null;
      this.#showAttached();
    }
    this.#onChange();
    this.#player.focus({ preventScroll: true });
  }

  /** A note left half-written (a reload, a closed tab) opens again as it was. */
  restore() {
    if (this.#anchor || !this.#store.can('comment').ok) return;
    let draft;
    try {
      draft = JSON.parse(localStorage.getItem(this.#draftKey));
    } catch {
      return;
    }
    if (!draft?.anchor) return;
    const c = this.#ui;
    c.body.value = draft.body ?? '';
    c.free.value = draft.free ?? '';
    for (const chip of c.chips) chip.setAttribute('aria-pressed', String((draft.tags ?? []).includes(chip.dataset.tag)));
    this.#drawing = draft.drawing?.shapes?.length ? draft.drawing : null;
    this.open({ anchor: draft.anchor });
  }

  #attach(drawing) {
    this.#drawing = drawing?.shapes?.length ? drawing : null;
    this.#showAttached();
    this.#saveDraft();
    this.#onChange();
  }

  #showAttached() {
    const c = this.#ui;
    c.attached.hidden = !this.#drawing;
    c.chipText.textContent = drawingText(this.#drawing);
    c.draw.textContent = this.#drawing ? 'Edit drawing' : 'Draw';
  }

  #frameAnchor() {
    const p = this.#player;
    const frame = Math.max(0, p.currentFrame);
    const loop = p.loopRange;
    if (loop) {
      const first = frameOn(p, loop.start);
      const end = loop.end >= p.duration ? frameOn(p, p.duration) + 1 : frameOn(p, loop.end) + 1;
      if (end > first + 1) return anchorAt(p, first, { end });
    }
    return anchorAt(p, frame);
  }

  #shotAnchor(shot) {
    return shotAnchor(this.#player, shot);
  }

  #lineAnchor(line) {
    return lineAnchor(this.#player, line);
  }

  #send() {
    const c = this.#ui;
    const body = c.body.value.trim();
    if (!this.#anchor) return;
    if (!body) {
      c.error.textContent = 'Write something first.';
      c.body.focus();
      return;
    }
    const tags = [...c.chips.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.tag), ...parseTags(c.free.value)];
    const bad = tags.find((t) => !FREE_TAG.test(t));
    if (bad) {
      c.error.textContent = `"${bad}" cannot be a tag: letters, digits, - and _ only.`;
      c.free.focus();
      return;
    }
    // Sent while still drawing: what is drawn goes with it.
    this.#sketch.finish(this);
    try {
      this.#store.add({ body, tags: [...new Set(tags)], anchor: this.#anchor, drawing: this.#drawing });
    } catch (err) {
      c.error.textContent = err.message;
      return;
    }
    if (this.#anchor.range) this.#player.loopRange = null;
    // The draft goes only once the note is kept (a reload before that finds the draft again).
    const key = this.#draftKey;
    const draft = localStorage.getItem(key);
    this.close({ keepStored: true });
    this.#store.settled().then(() => {
      if (localStorage.getItem(key) === draft) localStorage.removeItem(key);
    });
  }

  #saveDraft() {
    if (!this.#anchor) return;
    const c = this.#ui;
    const tags = c.chips.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.tag);
    // Mid-drawing, the draft has what is drawn so far: a reload keeps it too.
    const current = this.#live === undefined ? this.#drawing : this.#live;
    const drawing = current?.shapes?.length ? current : null;
    localStorage.setItem(this.#draftKey, JSON.stringify({ body: c.body.value, tags, free: c.free.value, anchor: this.#anchor, drawing }));
  }
}

/** The frame on screen at `t`: the last starting at or before it. */
/** A shot's anchor: from the first frame showing it to the first of the next (the last frame at the end). */
export function shotAnchor(p, shot) {
  const first = p.firstFrameFrom(shot.start);
  const last = frameOn(p, p.duration);
  const end = shot.end >= p.duration ? last + 1 : Math.min(p.firstFrameFrom(shot.end), last + 1);
  return anchorAt(p, first, { end: Math.max(end, first + 1) });
}

/** A line's anchor: the first frame showing it, the line by its index in its shot. */
export function lineAnchor(p, line) {
  return anchorAt(p, p.firstFrameFrom(line.start), { line: lineIndex(line, p.timeline) });
}

/** The frame on screen at `t`. */
export function frameOn(player, t) {
  const f = player.firstFrameFrom(t);
  return player.frameTime(f) > t + 1e-9 ? Math.max(0, f - 1) : f;
}

/** A line's index within its shot, as the API counts it (the manifest's `shots[i].lines[j]`). */
export function lineIndex(line, timeline) {
  const m = /lines\[(\d+)\]$/.exec(line.path ?? '');
  if (m) return Number(m[1]);
  return (timeline?.lines ?? []).filter((l) => l.shot === line.shot).sort((a, b) => a.start - b.start).indexOf(line);
}

export function parseTags(text) {
  return String(text).split(/[,\s]+/).map((t) => t.trim()).filter(Boolean);
}
