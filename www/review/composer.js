// The composer of the notes panel: a new note on the frame on screen (a range after I/O),
// on a dialogue line or on a shot, with its tags and, when the page has the drawing layer
// (./drawing.js), a drawing — **Draw** (or `D`) starts drawing over the paused frame,
// Done or Escape comes back here with the drawing attached ("drawing: 3 shapes", which
// Remove takes off). **About** says which layer of the shot the note is about (the whole
// frame by default): chosen from the shot's layers, or picked on the picture (Pick on
// picture, then a click; or Alt+click the picture at any time), the topmost layer under
// the pointer by the core (`player.layerAt`). The draft (text, tags, anchor with its
// layer, drawing) is in localStorage at every change, so a reload opens it again. The
// words are data: textContent only.
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
    const layer = h('select', { id: 'composer-layer', class: 'composer-layer' });
    layer.addEventListener('change', () => this.#setLayer(layer.value === '' ? null : Number(layer.value)));
    const pick = h('button', { type: 'button', class: 'button small secondary', id: 'composer-pick', 'aria-pressed': 'false' }, 'Pick on picture');
    pick.addEventListener('click', () => (this.#picker ? this.#stopPicking() : this.#startPicking()));
    const about = h('div', { class: 'composer-about', hidden: '' },
      h('label', { for: 'composer-layer', class: 'composer-label' }, 'About'), layer, pick);
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
        ? 'Ctrl+Enter sends, Escape closes (the draft is kept). Draw (D) draws on the frame; Done or Escape comes back here. Alt+click the picture: the note is about the layer there.'
        : 'Ctrl+Enter sends, Escape closes (the draft is kept). Alt+click the picture: the note is about the layer there.');
    const error = h('p', { class: 'composer-error', role: 'alert' });
    const form = h('form', { class: 'composer', 'aria-label': 'New note', hidden: '' },
      where, about, label, body, tags, attached, error, h('div', { class: 'composer-actions' }, draw, send, cancel), help);
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
        if (this.#picker) this.#stopPicking({ focus: pick });
        else this.close({ keepDraft: true });
      }
    });
    form.addEventListener('input', (e) => {
      if (e.target !== layer) this.#saveDraft();
    });
    cancel.addEventListener('click', () => this.close());
    return { form, where, body, chips, free, error, draw, attached, chipText, about, layer, pick };
  }

  /** The overlay over the picture while "Pick on picture" waits for a click, else null. */
  #picker = null;

  /**
   * The note is about the layer drawn topmost at the viewport point (`clientX`,
   * `clientY`) of the picture (Alt+click, or a click after Pick on picture): opens the
   * composer on the frame on screen first when it is closed. False when the point is
   * off the picture or a note cannot be written.
   */
  pickAt(clientX, clientY) {
    const p = this.#player;
    const rect = p.state === 'ready' ? p.pictureRect() : null;
    if (!rect) return false;
    const x = (clientX - rect.left) / rect.width;
    const y = (clientY - rect.top) / rect.height;
    if (!(x >= 0 && x < 1 && y >= 0 && y < 1)) return false;
    if (!this.#anchor && !this.open({ focus: false })) return false;
    this.#stopPicking();
    const k = p.layerAt(x, y);
    // The frame on screen is the anchor's when it was just opened; a layer belongs to a shot.
    const layers = shotLayers(p, this.#anchor.shot);
    const here = anchorAt(p, Math.max(0, p.currentFrame)).shot;
    if (k >= 0 && k < layers.length && here === this.#anchor.shot) {
      this.#setLayer(k);
      this.#say(`About ${layerText(layers[k])}`);
    } else {
      this.#setLayer(null);
      this.#say(k >= 0 ? 'That layer is in another shot than the note: the note is on the whole frame.' : 'No layer there: the note is on the whole frame.');
    }
    this.#ui.layer.focus();
    return true;
  }

  #startPicking() {
    const p = this.#player;
    const picker = h('div', { class: 'layer-picker', 'aria-hidden': 'true', title: 'Click a layer of the picture' });
    Object.assign(picker.style, { position: 'absolute', inset: '0', pointerEvents: 'auto', cursor: 'crosshair' });
    picker.addEventListener('click', (e) => {
      // The stage under it would play or pause.
      e.stopPropagation();
      if (!this.pickAt(e.clientX, e.clientY)) this.#stopPicking({ focus: this.#ui.pick });
    });
    p.overlayRoot.append(picker);
    this.#picker = picker;
    this.#ui.pick.setAttribute('aria-pressed', 'true');
    this.#say('Click the layer on the picture (Escape: stop).');
  }

  #stopPicking({ focus = null } = {}) {
    this.#picker?.remove();
    this.#picker = null;
    this.#ui.pick.setAttribute('aria-pressed', 'false');
    focus?.focus();
  }

  /** Which layer of the anchor's shot the note is about (null: the whole frame). */
  #setLayer(k) {
    if (!this.#anchor) return;
    if (Number.isInteger(k) && k >= 0) this.#anchor.layer = k;
    else delete this.#anchor.layer;
    this.#showAnchor();
    this.#saveDraft();
    this.#onChange();
  }

  /** The anchor in words, and the About list with the anchor's shot's layers. */
  #showAnchor() {
    const c = this.#ui;
    const a = this.#anchor;
    const layers = a ? shotLayers(this.#player, a.shot) : [];
    // A layer the shot does not have (another version's draft) is dropped: the server would refuse it.
    if (a && Number.isInteger(a.layer) && a.layer >= layers.length) delete a.layer;
    c.where.textContent = a ? `On ${this.#anchorText(a)}` : '';
    c.about.hidden = layers.length === 0;
    c.layer.replaceChildren(
      h('option', { value: '' }, 'Whole frame'),
      ...layers.map((l) => h('option', { value: String(l.index) }, layerText(l, { long: true }))));
    c.layer.value = a && Number.isInteger(a.layer) ? String(a.layer) : '';
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
    this.#showAnchor();
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
    this.#stopPicking();
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

/**
 * The layers of shot `shotId` as the manifest playing lists them: `[{index, image, src}]`
 * (`image` the asset's id, `src` its file name when the manifest gives one), first at the
 * back. The timeline has no layers; the manifest's shots are in the timeline's order.
 */
export function shotLayers(player, shotId) {
  const i = (player.timeline?.shots ?? []).findIndex((s) => s.id === shotId);
  const shot = i >= 0 ? parsed(player.manifestText)?.shots?.[i] : null;
  const layers = Array.isArray(shot?.layers) ? shot.layers : [];
  const assets = assetFiles(parsed(player.manifestText)?.assets);
  return layers.map((l, index) => {
    const image = typeof l?.image === 'string' ? l.image : '';
    return { index, image, src: assets.get(image)?.split(/[/\\]/).pop() ?? '' };
  });
}

/** Asset id → its `src`, from the manifest's map (`{id: src}` or `{id: {src, type}}`). */
function assetFiles(assets) {
  const entries = Object.entries(assets && typeof assets === 'object' ? assets : {}).map(([id, a]) => [id, typeof a === 'string' ? a : a?.src]);
  return new Map(entries.filter(([, src]) => typeof src === 'string'));
}

/** "layer 2 (bg_city)"; long: "Layer 2 — bg_city (bg_city.png)", as the About list shows it. */
export function layerText(layer, { long = false } = {}) {
  const n = layer.index + 1;
  if (!long) return layer.image ? `layer ${n} (${layer.image})` : `layer ${n}`;
  const file = layer.src && layer.src !== layer.image ? ` (${layer.src})` : '';
  return layer.image ? `Layer ${n} — ${layer.image}${file}` : `Layer ${n}`;
}

/** The manifest's JSON, parsed once per text (the About list asks at every open). */
let lastText = null;
let lastParsed = null;
function parsed(text) {
  if (text !== lastText) {
    lastText = text;
    try {
      lastParsed = text ? JSON.parse(text) : null;
    } catch {
      lastParsed = null;
    }
  }
  return lastParsed;
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
