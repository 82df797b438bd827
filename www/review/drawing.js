// The drawing layer of review notes: a reviewer draws on the frame (pen, arrow, rectangle,
// ellipse, text) while a note is open, and the notes' drawings show over the picture
// whenever the playhead is on their frames. The notes panel drives it; this module knows
// nothing of notes beyond `{id, drawing, frame, frame_end}`.
//
// ## API
//
//   import { attachDrawing } from './review/drawing.js';
//   const layer = attachDrawing(player);          // player: a <manju-player>
//
// - `layer.edit({tool, colour, width, drawing})` starts editing (shows the toolbar over
//   the picture). All optional: `tool` 'pen' (default) | 'arrow' | 'rect' | 'ellipse' |
//   'text'; `colour` '#rrggbb'; `width` a line width as a fraction of the picture's
//   width (0 to 0.2]; `drawing` a drawing to edit (a note's, when it is edited), else the
//   edit starts empty. Called while editing, it changes the tool, colour or width (and
//   the drawing, when given). Returns nothing. The panel pauses the player first; while
//   editing, clicks on the picture draw and never play or pause.
// - `layer.tool`, `layer.colour`, `layer.width`: read and set (the toolbar follows).
// - `layer.undo()`, `layer.redo()`, `layer.clear()` (clear can be undone too).
// - `layer.shapes`: the drawing being edited, the server's `drawing` value exactly as
//   docs/review-api.md has it: `{shapes: [...]}` (a copy; `{shapes: []}` when empty).
// - `layer.done()`: stops editing; returns that drawing, or null when it has no shape.
//   The drawing is then no longer drawn: give it to `show()` to keep it on the picture.
// - `layer.cancel()`: stops editing and forgets the drawing.
// - `layer.editing`: true while editing.
// - `layer.show(drawings)`: `[{id, drawing, frame, frame_end}]`, each drawn whenever the
//   frame on the canvas (`player.currentFrame`) is in [frame, frame_end) (frame_end left
//   out or null: on `frame` alone). Replaces the previous list.
// - `layer.highlight(id)`: draws that one emphasised, the others dimmed (null: none).
// - events (a `CustomEvent` with `detail: {drawing}`, drawing as `layer.shapes`):
//   `change` — the edited drawing changed (a shape added, undo, redo, clear: for drafts);
//   `done` — the reviewer left editing from the layer itself (the Done button, or Escape),
//   `detail.drawing` being what `done()` returned (null when empty).
// - `layer.detach()`: removes everything the layer added to the player.
// - `layer.canvas`: the overlay canvas (for tests); `layer.ready`: a promise resolved
//   once the toolbar's stylesheet is in (true; false when it failed to load). Drawing and
//   showing work before it, through styles the script sets itself.
//
// ## The coordinates
//
// Everything is normalised to the picture — the drama's frame as displayed, letterboxed
// inside the player (`player.pictureRect()`), not the element's box: x and y from 0 to 1
// across its width and height, line widths and text sizes as fractions of its width. A
// shape lands on the same spot of the frame at any size, on a phone, in full screen, in
// an embed. A text's `at` is the top-left corner of its line.
//
// ## Caps
//
// The server's: 200 shapes and 5 000 points a drawing, 500 characters a text. A pen
// stroke is simplified (Ramer–Douglas–Peucker, within a fraction of a screen pixel, more
// coarsely when the drawing is nearly full) so a long stroke fits; what still would not
// fit is refused with a message on the toolbar, never dropped silently.
//
// ## Keys while editing (focus in the player)
//
// Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo, Escape leaves editing (as Done; in
// the text box it drops the text being typed), arrows/Home/End move along the toolbar.
// Keys typed in the layer never reach the player's shortcuts.
//
// Styles: ./drawing.css, linked into the player's shadow root (the page's CSP allows no
// inline style; positions are set through the CSSOM). The shapes are drawn, and pen
// strokes simplified, by ./shapes.js.

import { h } from '../player/ui.js';
import { COLOUR_RE, drawShapes, simplify } from './shapes.js';

export const MAX_SHAPES = 200;
export const MAX_POINTS = 5000;
export const MAX_TEXT_CHARS = 500;

export const TOOLS = [
  { tool: 'pen', label: 'Pen', icon: 'M3 21l3.8-1 11-11-2.8-2.8-11 11L3 21zM17.2 4.4l2.4 2.4 1.1-1.1a1.4 1.4 0 0 0 0-2l-.4-.4a1.4 1.4 0 0 0-2 0l-1.1 1.1z' },
  { tool: 'arrow', label: 'Arrow', icon: 'M5 19L17 7M10 6h8v8' },
  { tool: 'rect', label: 'Rectangle', icon: 'M4 6h16v12H4z' },
  { tool: 'ellipse', label: 'Ellipse', icon: 'M12 6c4.4 0 8 2.7 8 6s-3.6 6-8 6-8-2.7-8-6 3.6-6 8-6z' },
  { tool: 'text', label: 'Text', icon: 'M5 5h14M12 5v14M9 19h6' },
];

export const COLOURS = [
  { colour: '#ff3b30', label: 'Red' },
  { colour: '#ffcc00', label: 'Yellow' },
  { colour: '#34c759', label: 'Green' },
  { colour: '#0a84ff', label: 'Blue' },
  { colour: '#ffffff', label: 'White' },
];

/** Line widths (fractions of the picture's width), with the text size each goes with. */
export const WIDTHS = [
  { width: 0.004, text: 0.04, label: 'Thin' },
  { width: 0.01, text: 0.06, label: 'Thick' },
];

const ICONS = {
  undo: 'M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3',
  redo: 'M15 14l5-5-5-5M20 9H10a6 6 0 0 0 0 12h3',
  clear: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  done: 'M4 12l5 5L20 6',
  move: 'M12 3v18M8 7l4-4 4 4M8 17l4 4 4-4',
};

const SVG = 'http://www.w3.org/2000/svg';
/** A pen stroke keeps its points within this many CSS pixels of what was drawn. */
const SIMPLIFY_PX = 0.5;
/** Coordinates are kept to this many decimals (1/10 000 of the picture: a fifth of a pixel at 1920). */
const DECIMALS = 4;

/** Attaches the drawing layer to a <manju-player>; see the API above. */
export function attachDrawing(player, options = {}) {
  return new DrawingLayer(player, options);
}

export class DrawingLayer extends EventTarget {
  #player;
  #root;
  #canvas;
  #ctx;
  #toolbar;
  #buttons = { tools: new Map(), colours: new Map(), widths: new Map() };
  #undoButton;
  #redoButton;
  #message;
  #textBox = null;
  #observer;
  #listeners = [];

  #editing = false;
  #tool = 'pen';
  #colour = COLOURS[0].colour;
  #width = WIDTHS[0].width;
  #shapes = [];
  #undoStack = [];
  #redoStack = [];
  /** the shape being drawn: {pointerId, kind, start, end, points, picture (its rectangle when it began)} */
  #draft = null;

  #shown = [];
  #highlighted = null;
  /** what the canvas shows, to skip redraws that would change nothing */
  #drawnKey = '';

  constructor(player, { stylesheet = new URL('./drawing.css', import.meta.url).href } = {}) {
    super();
    if (!player || typeof player.pictureRect !== 'function' || !player.overlayRoot) {
      throw new TypeError('attachDrawing needs a <manju-player> (with pictureRect() and overlayRoot)');
    }
    this.#player = player;
    this.#canvas = h('canvas', { class: 'drawing-canvas', 'aria-hidden': 'true' });
    this.#ctx = this.#canvas.getContext('2d');
    this.#message = h('p', { class: 'drawing-message', role: 'status', 'aria-live': 'polite' });
    this.#toolbar = this.#buildToolbar();
    const link = h('link', { rel: 'stylesheet', href: stylesheet });
    this.ready = new Promise((resolve) => {
      link.addEventListener('load', () => resolve(true), { once: true });
      link.addEventListener('error', () => resolve(false), { once: true });
    });
    this.#root = h('div', { class: 'drawing', 'data-editing': 'false', 'data-toolbar': 'top' },
      link, this.#canvas, this.#toolbar, this.#message);
    // What placing and drawing need is set here, not left to the stylesheet, which may
    // still be on its way when the first shape is drawn.
    Object.assign(this.#root.style, { position: 'absolute', inset: '0', pointerEvents: 'none' });
    Object.assign(this.#canvas.style, { position: 'absolute', display: 'block', pointerEvents: 'none' });
    this.#toolbar.hidden = true;
    player.overlayRoot.append(this.#root);

    // On the whole stage while editing: a shape may start in the letterbox (kept on the
    // picture's edge), and no click there plays.
    this.#listen(this.#root, 'pointerdown', (e) => this.#pointerDown(e));
    this.#listen(this.#root, 'pointermove', (e) => this.#pointerMove(e));
    this.#listen(this.#root, 'pointerup', (e) => this.#pointerUp(e));
    this.#listen(this.#root, 'pointercancel', (e) => this.#pointerCancel(e));
    // Capture lost without a pointerup (the window lost the pointer): the shape ends where it was.
    this.#listen(this.#root, 'lostpointercapture', (e) => this.#draft?.pointerId === e.pointerId && this.#pointerUp(e, false));
    // Clicks on the layer (the picture while editing, the toolbar) are not clicks on the
    // stage, which would play, pause or go full screen.
    for (const type of ['click', 'dblclick', 'pointerdown']) this.#listen(this.#root, type, (e) => e.stopPropagation());
    // Capture on the host: it runs before the player's own shortcuts, for keys aimed at the
    // host itself as well as inside its shadow root.
    this.#listen(player, 'keydown', (e) => this.#keyDown(e), { capture: true });
    // A new frame redraws only when what shows changes; another drama, always.
    for (const type of ['timeupdate', 'seeked']) this.#listen(player, type, () => this.#redraw());
    for (const type of ['ready', 'loadstart', 'error']) this.#listen(player, type, () => this.#redraw(true));
    this.#observer = new ResizeObserver(() => this.#redraw(true));
    this.#observer.observe(player.canvas);
    this.#observer.observe(player.overlayRoot);
    this.#syncToolbar();
    this.#redraw(true);
  }

  // ---- public API -------------------------------------------------------------------

  get editing() {
    return this.#editing;
  }

  get canvas() {
    return this.#canvas;
  }

  get tool() {
    return this.#tool;
  }

  set tool(tool) {
    if (!TOOLS.some((t) => t.tool === tool)) throw new RangeError(`no drawing tool ${tool}`);
    if (tool !== 'text') this.#commitText();
    this.#tool = tool;
    this.#syncToolbar();
  }

  get colour() {
    return this.#colour;
  }

  set colour(colour) {
    if (!COLOUR_RE.test(String(colour))) throw new RangeError(`${colour} is not a colour like #ff3b30`);
    this.#colour = String(colour).toLowerCase();
    if (this.#textBox) this.#textBox.style.color = this.#colour;
    this.#syncToolbar();
  }

  get width() {
    return this.#width;
  }

  set width(width) {
    const w = Number(width);
    if (!(w > 0 && w <= 0.2)) throw new RangeError(`${width} is not a width between 0 and 0.2 of the picture`);
    this.#width = w;
    this.#syncToolbar();
  }

  get shapes() {
    return { shapes: structuredClone(this.#shapes) };
  }

  edit({ tool, colour, width, drawing } = {}) {
    if (tool !== undefined) this.tool = tool;
    if (colour !== undefined) this.colour = colour;
    if (width !== undefined) this.width = width;
    if (drawing !== undefined || !this.#editing) {
      this.#shapes = drawing?.shapes ? structuredClone(drawing.shapes) : [];
      this.#undoStack = [];
      this.#redoStack = [];
    }
    if (!this.#editing) {
      this.#editing = true;
      this.#root.dataset.editing = 'true';
      Object.assign(this.#root.style, { pointerEvents: 'auto', touchAction: 'none' });
      this.#toolbar.hidden = false;
    }
    this.#say('');
    this.#syncToolbar();
    this.#redraw(true);
  }

  undo() {
    this.#commitText();
    if (!this.#undoStack.length) return;
    this.#redoStack.push(this.#shapes);
    this.#shapes = this.#undoStack.pop();
    this.#changed();
  }

  redo() {
    this.#commitText();
    if (!this.#redoStack.length) return;
    this.#undoStack.push(this.#shapes);
    this.#shapes = this.#redoStack.pop();
    this.#changed();
  }

  clear() {
    this.#commitText();
    if (!this.#shapes.length) return;
    this.#replace([]);
  }

  done() {
    this.#commitText();
    const drawing = this.#shapes.length ? this.shapes : null;
    this.#stop();
    return drawing;
  }

  cancel() {
    this.#closeText();
    this.#stop();
  }

  show(drawings) {
    this.#shown = (drawings ?? []).filter((d) => d && d.drawing && Array.isArray(d.drawing.shapes)).map((d) => ({
      id: d.id,
      shapes: d.drawing.shapes,
      frame: Number(d.frame),
      end: d.frame_end == null ? Number(d.frame) + 1 : Number(d.frame_end),
    }));
    this.#redraw(true);
  }

  highlight(id) {
    this.#highlighted = id ?? null;
    this.#redraw(true);
  }

  detach() {
    this.#closeText();
    this.#observer.disconnect();
    for (const [target, type, fn, options] of this.#listeners) target.removeEventListener(type, fn, options);
    this.#listeners = [];
    this.#root.remove();
    this.#editing = false;
  }

  // ---- internals: editing -----------------------------------------------------------

  #stop() {
    this.#editing = false;
    this.#draft = null;
    this.#shapes = [];
    this.#undoStack = [];
    this.#redoStack = [];
    this.#root.dataset.editing = 'false';
    Object.assign(this.#root.style, { pointerEvents: 'none', touchAction: '' });
    // Focus in a toolbar about to hide would be lost: give it back to the player.
    const hadFocus = this.#root.contains(this.#player.shadowRoot?.activeElement ?? null);
    this.#toolbar.hidden = true;
    this.#say('');
    if (hadFocus) this.#player.focus();
    this.#redraw(true);
  }

  /** The reviewer left editing from the layer (Done, Escape). */
  #finish() {
    const drawing = this.done();
    this.dispatchEvent(new CustomEvent('done', { detail: { drawing } }));
  }

  /** Replaces the edited shapes with `shapes`, as one step of undo. */
  #replace(shapes) {
    this.#undoStack.push(this.#shapes);
    this.#redoStack = [];
    this.#shapes = shapes;
    this.#changed();
  }

  #add(shape) {
    if (this.#shapes.length >= MAX_SHAPES) {
      this.#refuseShape();
      return false;
    }
    this.#replace([...this.#shapes, shape]);
    return true;
  }

  #changed() {
    this.#say('');
    this.#syncToolbar();
    this.#redraw(true);
    this.dispatchEvent(new CustomEvent('change', { detail: { drawing: this.shapes } }));
  }

  #refuseShape() {
    this.#say(`A drawing holds at most ${MAX_SHAPES} shapes: undo or clear some to draw more.`);
  }

  #pointsUsed() {
    return this.#shapes.reduce((n, s) => n + (s.kind === 'stroke' ? s.points.length : 0), 0);
  }

  /** Shows a message under the picture (and to screen readers) until the drawing next changes or editing ends. */
  #say(text) {
    this.#message.textContent = text;
  }

  // ---- internals: the pointer -------------------------------------------------------

  /** The event's position on the picture, normalised and kept on it; and the picture's size. */
  #at(e, picture) {
    return [clamp01((e.clientX - picture.x) / picture.width), clamp01((e.clientY - picture.y) / picture.height)];
  }

  #pointerDown(e) {
    if (!this.#editing || this.#draft || (e.pointerType === 'mouse' && e.button !== 0)) return;
    // The toolbar, the text box and the message keep their own pointer.
    if (e.target !== this.#canvas && e.target !== this.#root) return;
    const picture = this.#player.pictureRect();
    if (!picture) return;
    e.preventDefault();
    const at = this.#at(e, picture);
    if (this.#tool === 'text') {
      this.#commitText();
      if (this.#shapes.length >= MAX_SHAPES) {
        this.#refuseShape();
        return;
      }
      this.#openText(at);
      return;
    }
    if (this.#shapes.length >= MAX_SHAPES) {
      this.#refuseShape();
      return;
    }
    if (this.#tool === 'pen' && this.#pointsUsed() >= MAX_POINTS) {
      this.#say(`A drawing holds at most ${count(MAX_POINTS)} points: undo or clear a stroke to draw more.`);
      return;
    }
    this.#root.setPointerCapture(e.pointerId);
    this.#draft = { pointerId: e.pointerId, kind: this.#tool, start: at, end: at, points: [at], picture };
    this.#redraw(true);
  }

  #pointerMove(e) {
    const d = this.#draft;
    if (!d || e.pointerId !== d.pointerId) return;
    const events = d.kind === 'pen' && e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const one of events.length ? events : [e]) {
      const at = this.#at(one, d.picture);
      d.end = at;
      if (d.kind === 'pen') {
        const last = d.points.at(-1);
        // Closer than a quarter pixel adds nothing but points.
        if (Math.hypot((at[0] - last[0]) * d.picture.width, (at[1] - last[1]) * d.picture.height) >= 0.25) d.points.push(at);
      }
    }
    this.#redraw(true);
  }

  #pointerUp(e, moved = true) {
    const d = this.#draft;
    if (!d || e.pointerId !== d.pointerId) return;
    if (moved) d.end = this.#at(e, d.picture);
    this.#draft = null;
    const shape = this.#shapeFrom(d);
    if (shape) this.#add(shape);
    else this.#redraw(true);
  }

  #pointerCancel(e) {
    if (!this.#draft || e.pointerId !== this.#draft.pointerId) return;
    this.#draft = null;
    this.#redraw(true);
  }

  /** The shape a finished gesture made (null: a click with a tool that needs a drag, or a refused stroke). */
  #shapeFrom(d) {
    const { picture } = d;
    const color = this.#colour;
    const width = this.#width;
    const dx = (d.end[0] - d.start[0]) * picture.width;
    const dy = (d.end[1] - d.start[1]) * picture.height;
    if (d.kind === 'pen') {
      const points = this.#fitStroke(d.points, picture);
      return points && { kind: 'stroke', points, color, width };
    }
    // A click (under 3 px of drag) draws no arrow or box: there would be nothing to see.
    if (Math.hypot(dx, dy) < 3) return null;
    if (d.kind === 'arrow') return { kind: 'arrow', from: d.start.map(round), to: d.end.map(round), color, width };
    const x = round(Math.min(d.start[0], d.end[0]));
    const y = round(Math.min(d.start[1], d.end[1]));
    // Rounded so that x + w stays within the picture, as the server checks.
    const w = Math.min(round(Math.abs(d.end[0] - d.start[0])), round(1 - x));
    const hh = Math.min(round(Math.abs(d.end[1] - d.start[1])), round(1 - y));
    return { kind: d.kind, x, y, w, h: hh, color, width };
  }

  /** The stroke's points, simplified to fit what the drawing has left; null (with a message) when it cannot. */
  #fitStroke(raw, picture) {
    const left = MAX_POINTS - this.#pointsUsed();
    const toPx = (p) => [p[0] * picture.width, p[1] * picture.height];
    const px = raw.map(toPx);
    for (let tolerance = SIMPLIFY_PX; tolerance <= 8; tolerance *= 2) {
      const kept = simplify(px, tolerance);
      if (kept.length <= left) return kept.map((i) => raw[i].map(round));
    }
    this.#say(`This stroke does not fit: the drawing has ${count(left)} of its ${count(MAX_POINTS)} points left. Undo or clear a stroke, or draw a shorter one.`);
    return null;
  }

  // ---- internals: the text box ------------------------------------------------------

  #openText(at) {
    const picture = this.#player.pictureRect();
    const box = this.#player.overlayRoot.getBoundingClientRect();
    const size = this.#textSize() * picture.width;
    const input = h('input', {
      class: 'drawing-text', type: 'text', maxlength: String(MAX_TEXT_CHARS),
      'aria-label': 'Text to put on the picture (Enter to place, Escape to drop)', enterkeyhint: 'done',
    });
    Object.assign(input.style, {
      position: 'absolute',
      left: `${picture.x - box.x + at[0] * picture.width}px`,
      top: `${picture.y - box.y + at[1] * picture.height}px`,
      fontSize: `${size}px`,
      color: this.#colour,
      maxWidth: `${Math.max(40, (1 - at[0]) * picture.width)}px`,
    });
    this.#textBox = input;
    input.dataset.x = String(at[0]);
    input.dataset.y = String(at[1]);
    input.addEventListener('blur', () => this.#commitText());
    this.#root.append(input);
    input.focus();
  }

  #textSize() {
    return (WIDTHS.find((w) => w.width === this.#width) ?? WIDTHS[0]).text;
  }

  /** Places the text being typed, if any (Enter, a click elsewhere, another tool). */
  #commitText() {
    const input = this.#textBox;
    if (!input) return;
    const text = input.value.trim();
    const at = [round(Number(input.dataset.x)), round(Number(input.dataset.y))];
    this.#closeText();
    if (!text) return;
    this.#add({ kind: 'text', at, text: [...text].slice(0, MAX_TEXT_CHARS).join(''), color: this.#colour, size: this.#textSize() });
  }

  #closeText() {
    const input = this.#textBox;
    if (!input) return;
    this.#textBox = null;
    const hadFocus = this.#player.shadowRoot?.activeElement === input;
    input.remove();
    if (hadFocus && this.#editing) this.#player.focus();
  }

  // ---- internals: keys --------------------------------------------------------------

  #keyDown(e) {
    if (!this.#editing) return;
    const target = e.composedPath()[0];
    const inLayer = target instanceof Node && this.#root.contains(target);
    const key = e.key;
    const mod = e.ctrlKey || e.metaKey;
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (target === this.#textBox) {
      // The text box keeps its keys (typing, its own undo) and the player sees none.
      e.stopPropagation();
      if (key === 'Enter' && !e.isComposing) {
        e.preventDefault();
        this.#commitText();
      } else if (key === 'Escape') {
        e.preventDefault();
        this.#closeText();
      }
      return;
    }
    if (key === 'Escape') {
      handled();
      this.#finish();
      return;
    }
    if (mod && !e.altKey && (key === 'z' || key === 'Z')) {
      handled();
      if (e.shiftKey) this.redo();
      else this.undo();
      return;
    }
    if (mod && !e.altKey && !e.shiftKey && (key === 'y' || key === 'Y')) {
      handled();
      this.redo();
      return;
    }
    if (!inLayer) return;
    if (this.#toolbar.contains(target) && ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(key)) {
      handled();
      this.#moveFocus(target, key);
      return;
    }
    // Space and Enter press the toolbar's buttons; no other key of the layer is a shortcut of the player's.
    e.stopPropagation();
  }

  // ---- internals: the toolbar -------------------------------------------------------

  #buildToolbar() {
    const toolbar = h('div', { class: 'drawing-toolbar', role: 'toolbar', 'aria-label': 'Drawing', 'aria-orientation': 'horizontal' });
    const group = (label, ...buttons) => h('div', { class: 'drawing-group', role: 'group', 'aria-label': label }, ...buttons);
    const tools = TOOLS.map(({ tool, label, icon }) => {
      const b = toolButton(label, svgIcon(icon));
      b.dataset.tool = tool;
      b.addEventListener('click', () => {
        this.tool = tool;
      });
      this.#buttons.tools.set(tool, b);
      return b;
    });
    const colours = COLOURS.map(({ colour, label }) => {
      const swatch = h('span', { class: 'drawing-swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = colour;
      const b = toolButton(label, swatch);
      b.dataset.colour = colour;
      b.addEventListener('click', () => {
        this.colour = colour;
      });
      this.#buttons.colours.set(colour, b);
      return b;
    });
    const widths = WIDTHS.map(({ width, label }) => {
      const line = h('span', { class: 'drawing-line', 'aria-hidden': 'true' });
      line.style.height = `${width >= 0.01 ? 6 : 2}px`;
      const b = toolButton(`${label} line`, line);
      b.dataset.width = String(width);
      b.addEventListener('click', () => {
        this.width = width;
      });
      this.#buttons.widths.set(width, b);
      return b;
    });
    this.#undoButton = actionButton('Undo', ICONS.undo, () => this.undo());
    this.#redoButton = actionButton('Redo', ICONS.redo, () => this.redo());
    const clear = actionButton('Clear the drawing', ICONS.clear, () => this.clear());
    // The toolbar covers a strip of the picture: it moves to the other edge to draw there.
    const move = actionButton('Move the toolbar to the bottom', ICONS.move, () => {
      const bottom = this.#root.dataset.toolbar !== 'bottom';
      this.#root.dataset.toolbar = bottom ? 'bottom' : 'top';
      const label = `Move the toolbar to the ${bottom ? 'top' : 'bottom'}`;
      move.setAttribute('aria-label', label);
      move.title = label;
    });
    move.classList.add('drawing-move');
    const done = actionButton('Done drawing', ICONS.done, () => this.#finish());
    done.classList.add('drawing-done');
    toolbar.append(
      group('Tool', ...tools),
      group('Colour', ...colours),
      group('Line width', ...widths),
      group('Edit', this.#undoButton, this.#redoButton, clear, move, done),
    );
    return toolbar;
  }

  #toolbarButtons() {
    return [...this.#toolbar.querySelectorAll('button')];
  }

  /** The toolbar's pressed states, and its one tab stop (roving tabindex: arrows move it). */
  #syncToolbar() {
    for (const [tool, b] of this.#buttons.tools) b.setAttribute('aria-pressed', String(tool === this.#tool));
    for (const [colour, b] of this.#buttons.colours) b.setAttribute('aria-pressed', String(colour === this.#colour));
    for (const [width, b] of this.#buttons.widths) b.setAttribute('aria-pressed', String(width === this.#width));
    this.#undoButton.setAttribute('aria-disabled', String(!this.#undoStack.length));
    this.#redoButton.setAttribute('aria-disabled', String(!this.#redoStack.length));
    this.#root && this.#root.style.setProperty('--drawing-colour', this.#colour);
    const buttons = this.#toolbarButtons();
    if (!buttons.some((b) => b.tabIndex === 0)) {
      for (const b of buttons) b.tabIndex = -1;
      this.#buttons.tools.get(this.#tool).tabIndex = 0;
    }
  }

  #moveFocus(from, key) {
    const buttons = this.#toolbarButtons();
    let i = buttons.indexOf(from.closest('button'));
    if (key === 'Home') i = 0;
    else if (key === 'End') i = buttons.length - 1;
    else i = (i + (key === 'ArrowLeft' || key === 'ArrowUp' ? -1 : 1) + buttons.length) % buttons.length;
    for (const b of buttons) b.tabIndex = -1;
    buttons[i].tabIndex = 0;
    buttons[i].focus();
  }

  // ---- internals: the overlay canvas ------------------------------------------------

  /** Sizes the overlay to the picture (device pixels) and draws what belongs on this frame. */
  #redraw(force = false) {
    const player = this.#player;
    const picture = player.state === 'ready' ? player.pictureRect() : null;
    const frame = player.currentFrame;
    const visible = picture ? this.#shown.filter((d) => frame >= d.frame && frame < d.end) : [];
    const key = visible.map((d) => d.id).join('\u0000');
    if (!force && key === this.#drawnKey) return;
    this.#drawnKey = key;
    const canvas = this.#canvas;
    const ctx = this.#ctx;
    if (!picture) {
      canvas.hidden = true;
      return;
    }
    canvas.hidden = false;
    const box = player.overlayRoot.getBoundingClientRect();
    const dpr = globalThis.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(picture.width * dpr));
    const height = Math.max(1, Math.round(picture.height * dpr));
    Object.assign(canvas.style, {
      left: `${picture.x - box.x}px`,
      top: `${picture.y - box.y}px`,
      width: `${picture.width}px`,
      height: `${picture.height}px`,
    });
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    } else {
      ctx.clearRect(0, 0, width, height);
    }
    const size = { w: width, h: height, dpr };
    const emphasis = this.#highlighted != null && visible.some((d) => d.id === this.#highlighted);
    // While editing, the notes' drawings stay faintly in view under the new one; else
    // the highlighted one is drawn last, haloed, over the others dimmed.
    const others = this.#editing ? 0.3 : emphasis ? 0.45 : 1;
    for (const d of visible) {
      if (d.id !== this.#highlighted) drawShapes(ctx, d.shapes, size, { alpha: others });
    }
    for (const d of visible) {
      if (d.id === this.#highlighted) drawShapes(ctx, d.shapes, size, { alpha: this.#editing ? 0.3 : 1, halo: !this.#editing });
    }
    if (this.#editing) {
      drawShapes(ctx, this.#shapes, size, {});
      const draft = this.#draft && this.#draftShape(this.#draft);
      if (draft) drawShapes(ctx, [draft], size, {});
    }
  }

  #draftShape(d) {
    const common = { color: this.#colour, width: this.#width };
    if (d.kind === 'pen') return { kind: 'stroke', points: d.points, ...common };
    if (d.kind === 'arrow') return { kind: 'arrow', from: d.start, to: d.end, ...common };
    const x = Math.min(d.start[0], d.end[0]);
    const y = Math.min(d.start[1], d.end[1]);
    return { kind: d.kind, x, y, w: Math.abs(d.end[0] - d.start[0]), h: Math.abs(d.end[1] - d.start[1]), ...common };
  }

  #listen(target, type, fn, options) {
    target.addEventListener(type, fn, options);
    this.#listeners.push([target, type, fn, options]);
  }
}

// ---- helpers ------------------------------------------------------------------------

/** 5000 → '5 000' (a no-break space between thousands, as the docs write them). */
function count(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

function clamp01(v) {
  return Math.min(1, Math.max(0, v));
}

function round(v) {
  const f = 10 ** DECIMALS;
  return Math.round(v * f) / f;
}

function svgIcon(d) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'drawing-icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

function toolButton(label, ...content) {
  return h('button', { type: 'button', class: 'drawing-button', 'aria-label': label, title: label, 'aria-pressed': 'false', tabindex: '-1' }, ...content);
}

function actionButton(label, icon, action) {
  const b = h('button', { type: 'button', class: 'drawing-button', 'aria-label': label, title: label, tabindex: '-1' }, svgIcon(icon));
  // aria-disabled, not disabled: the button stays on the toolbar's arrow-key path.
  b.addEventListener('click', () => {
    if (b.getAttribute('aria-disabled') !== 'true') action();
  });
  return b;
}
