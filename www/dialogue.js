// The dialogue sheet: every line of the drama in episode order, as a script supervisor
// keeps it — who speaks (with the character's colour), the words, when (start and
// length), how it shows (subtitle, bubble…) and the voice clip, with the problems found
// on it (text shrunk to fit, a missing clip). The line(s) on screen are marked
// (aria-current) and kept in view inside the sheet's own scroll box while the drama
// plays, never moving the page or the focus. A line is a button: a click, Enter or Space
// jumps there. With review on, each line has a Note button beside it (`noteAction`;
// without review there is none at all, so the rows stay as they were), and its decision
// controls (`lineControls`), set beside the line's problems.
// Manifest text reaches the DOM through textContent only.

import { formatTime, h } from './player/ui.js';

/** Numbers the lines' problem lists with review on (their ids, for aria-describedby). */
let problemLists = 0;

/** After the reviewer scrolls the sheet, it stops following playback for this long. */
const HANDS_OFF_MS = 4000;

export class DialogueSheet {
  #list;
  #rows = [];
  #onSeek;
  #lastUserScroll = -Infinity;
  #current = [];
  #noteAction = null;
  #lineControls = null;

  /**
   * @param list the <ol> to fill (its own scroll box)
   * @param onSeek (seconds) → the player seeks there
   */
  constructor(list, onSeek) {
    this.#list = list;
    this.#onSeek = onSeek;
    const handsOn = () => {
      this.#lastUserScroll = performance.now();
    };
    list.addEventListener('wheel', handsOn, { passive: true });
    list.addEventListener('touchmove', handsOn, { passive: true });
    // On the list itself (not a line): its scroll bar.
    list.addEventListener('pointerdown', (e) => e.target === list && handsOn());
    list.addEventListener('keydown', (e) => this.#onKey(e));
    list.addEventListener('focusin', (e) => {
      const row = this.#rows.find((r) => r.item.contains(e.target));
      if (row) this.#rove(row);
    });
  }

  /** (line) → opens a note on that line (review is on), or null: no Note buttons. */
  set noteAction(action) {
    this.#noteAction = action;
    for (const row of this.#rows) this.#addNote(row);
  }

  /**
   * (line, {problems}) → an element of review controls for that line (the decisions),
   * placed in one box with the line's problem list (`problems`, its id set) so they
   * show side by side; null: none.
   */
  set lineControls(make) {
    this.#lineControls = make;
    for (const row of this.#rows) this.#addControls(row);
  }

  /** How many lines the sheet shows. */
  get size() {
    return this.#rows.length;
  }

  /**
   * Fills the sheet from a timeline (`null`: empties it), with the problems to show per
   * line. `manifestText` names the voice clips of lines whose clip could not be read (the
   * timeline leaves those out, as nothing plays for them).
   */
  render(timeline, problems = [], manifestText = '') {
    const lines = [...(timeline?.lines ?? [])].sort((a, b) => a.start - b.start || a.end - b.end);
    const declared = declaredVoices(manifestText);
    this.#current = [];
    this.#rows = lines.map((line) => this.#row(line, line.voice ?? declared.get(line.path) ?? null));
    this.#list.replaceChildren(...this.#rows.map((r) => r.item));
    if (this.#rows.length > 0) this.#rove(this.#rows[0]);
    this.showProblems(problems);
  }

  /** Shows each line's problems under it, and marks voice clips that are missing or unreadable. */
  showProblems(problems) {
    for (const row of this.#rows) {
      const { line } = row;
      const own = problems.filter((p) => isUnder(p.path, line.path));
      row.problems.replaceChildren(...own.map((p) => h('li', { class: 'cue-problem', 'data-severity': p.severity },
        h('span', { class: 'severity' }, p.severity), h('span', { class: 'cue-problem-message' }, p.message))));
      row.problems.hidden = own.length === 0;
      row.item.dataset.problems = own.some((p) => p.severity === 'error') ? 'error' : own.length > 0 ? 'warning' : 'none';
      if (row.voiceId) {
        const broken = !line.voice
          || problems.some((p) => p.path === `assets.${row.voiceId}` || isUnder(p.path, `${line.path}.voice`));
        row.voice.dataset.state = broken ? 'missing' : 'ok';
        row.voiceState.textContent = broken ? ' (missing or unreadable)' : '';
      }
    }
  }

  /** Marks the lines on screen at `t`, and keeps the first of them in view. */
  highlight(t, duration) {
    const current = [];
    for (const row of this.#rows) {
      const { start, end } = row.line;
      const on = t >= start && (t < end || (end >= duration && t <= end));
      if (on) current.push(row);
      if (on !== row.button.hasAttribute('aria-current')) {
        if (on) row.button.setAttribute('aria-current', 'true');
        else row.button.removeAttribute('aria-current');
      }
    }
    const changed = current.length !== this.#current.length || current.some((r, i) => r !== this.#current[i]);
    this.#current = current;
    if (changed && current.length > 0) this.#keepInView(current[0].item);
  }

  /**
   * One line at a time is in the Tab order (the last focused, else the first); the arrow
   * keys, Home and End move between lines, so a long sheet is one Tab stop.
   */
  #rove(active) {
    for (const row of this.#rows) {
      for (const control of controlsOf(row)) control.tabIndex = row === active ? 0 : -1;
    }
  }

  #onKey(e) {
    const moves = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity };
    if (!(e.key in moves) || e.altKey || e.ctrlKey || e.metaKey) return;
    if (!(e.target instanceof HTMLButtonElement)) return;
    const at = this.#rows.findIndex((r) => r.item.contains(e.target));
    if (at < 0) return;
    e.preventDefault();
    const to = Math.min(Math.max(at + moves[e.key], 0), this.#rows.length - 1);
    // The same control of the other line (its Note, its Approve…).
    const which = controlsOf(this.#rows[at]).indexOf(e.target);
    const there = controlsOf(this.#rows[to]);
    there[Math.min(Math.max(which, 0), there.length - 1)].focus();
  }

  /** Scrolls the sheet's own box (never the page) so `item` shows, unless the reviewer is scrolling it. */
  #keepInView(item) {
    if (performance.now() - this.#lastUserScroll < HANDS_OFF_MS) return;
    const list = this.#list;
    if (list.scrollHeight <= list.clientHeight) return;
    const box = list.getBoundingClientRect();
    const rect = item.getBoundingClientRect();
    const top = rect.top - box.top + list.scrollTop;
    const visible = rect.top >= box.top && rect.bottom <= box.bottom;
    if (visible) return;
    // A little of the line before stays above, for context.
    const target = Math.max(0, top - Math.min(48, list.clientHeight / 4));
    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    list.scrollTo({ top: target, behavior: smooth ? 'smooth' : 'auto' });
  }

  #row(line, voiceId) {
    const speaker = h('span', { class: 'cue-speaker' });
    const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    if (line.speaker) {
      // A character's colour, checked: it comes from the manifest.
      if (/^#[0-9a-f]{6}$/i.test(line.speaker_color ?? '')) swatch.style.backgroundColor = line.speaker_color;
      else swatch.dataset.colour = 'none';
      speaker.append(swatch, h('span', { class: 'cue-speaker-name', title: line.speaker }, line.speaker_name ?? line.speaker));
    } else {
      speaker.dataset.none = 'true';
      speaker.append(swatch, h('span', { class: 'cue-speaker-name' }, 'no speaker'));
      swatch.dataset.colour = 'none';
    }
    const voiceState = h('span', { class: 'voice-state' });
    const voice = voiceId
      ? h('span', { class: 'cue-voice', 'data-state': 'ok', title: 'voice clip (asset id)' },
        h('span', { class: 'visually-hidden' }, 'voice '), voiceId, voiceState)
      : h('span', { class: 'cue-voice', 'data-state': 'none' }, 'no voice');
    const button = h('button', { class: 'cue', type: 'button' },
      h('span', { class: 'cue-head' },
        h('span', { class: 'cue-time' }, formatTime(line.start)),
        speaker,
        h('span', { class: 'cue-duration' }, h('span', { class: 'visually-hidden' }, ', for '), seconds(line.end - line.start))),
      h('span', { class: 'cue-text' }, line.text || '…'),
      h('span', { class: 'cue-meta' }, h('span', { class: 'cue-display' }, line.display ?? 'subtitle'), voice));
    button.addEventListener('click', () => this.#onSeek(line.start));
    const problems = h('ul', { class: 'cue-problems', hidden: '' });
    const item = h('li', { class: 'dialogue-line', 'data-path': line.path ?? '' }, button, problems);
    const row = { line, voiceId, item, button, note: null, problems, voice, voiceState };
    if (this.#noteAction) this.#addNote(row);
    if (this.#lineControls) this.#addControls(row);
    return row;
  }

  /** With review on, a line's Note button (not there at all without review). */
  #addNote(row) {
    if (row.note) return;
    row.note = h('button', { class: 'cue-note button small secondary', type: 'button', 'aria-label': `Note on the line at ${formatTime(row.line.start)}` }, 'Note');
    row.note.tabIndex = row.button.tabIndex;
    row.note.addEventListener('click', () => this.#noteAction?.(row.line));
    row.button.after(row.note);
  }

  /** With review on, a line's decision controls, in one box with its problems. */
  #addControls(row) {
    if (row.controls || !this.#lineControls) return;
    row.problems.id = `cue-problems-${++problemLists}`;
    row.controls = this.#lineControls(row.line, { problems: row.problems });
    const box = h('div', { class: 'cue-review' });
    row.problems.replaceWith(box);
    box.append(row.controls, row.problems);
    for (const control of controlsOf(row)) control.tabIndex = row.button.tabIndex;
  }
}

/** A row's buttons and fields, in order (its line, its Note, its decision controls). */
function controlsOf(row) {
  return [...row.item.querySelectorAll('button, input, textarea')];
}

/**
 * The voice each line of a manifest names, by the line's path (`shots[2].lines[0]` →
 * `v03`); empty when the text is not JSON (the core has said why).
 */
export function declaredVoices(manifestText) {
  const voices = new Map();
  let manifest;
  try {
    manifest = JSON.parse(String(manifestText).replace(/^\uFEFF/, ''));
  } catch {
    return voices;
  }
  (Array.isArray(manifest?.shots) ? manifest.shots : []).forEach((shot, i) => {
    (Array.isArray(shot?.lines) ? shot.lines : []).forEach((line, j) => {
      if (typeof line?.voice === 'string') voices.set(`shots[${i}].lines[${j}]`, line.voice);
    });
  });
  return voices;
}

/** Whether JSON path `path` is `base` or inside it (`shots[1].lines[0].voice` is inside `shots[1].lines[0]`). */
function isUnder(path, base) {
  if (!path || !base) return false;
  return path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
}

/** `2.1834` → `2.18 s` */
function seconds(s) {
  return `${(Math.round(s * 100) / 100).toFixed(2)} s`;
}
