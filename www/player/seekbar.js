// The seek bar around the range input: one segment per shot (marked once its images
// are in, like a video's buffered ranges), the loop range, and the preview under the
// pointer — the frame there drawn small by the core, its time, its shot's id and first
// line — while hovering or dragging (by mouse, pen or touch) — and review notes as
// markers above the track (a dot, or a span for a range; coloured by status).
//
// With review on (`setRangeSelect`), a range is picked by dragging: Shift+drag on the bar
// (mouse, pen), or a drag along the lane over the track where the markers sit (any
// pointer; finger-sized on touch screens). A plain drag on the bar still scrubs. The
// span shows as it is dragged, its times in the preview; Escape cancels.

import { formatTime } from './ui.js';

/** How far (CSS pixels) the pointer moves in the lane before a press is a range drag, not a click. */
const DRAG_SLOP = 4;

/** The preview's thumbnail height in CSS pixels; its width follows the drama's aspect. */
const THUMB_HEIGHT = 128;
const THUMB_MAX_WIDTH = 200;

export class SeekBar {
  #ui;
  #host;
  #duration = 0;
  #shots = [];
  #lines = [];
  #segments = [];
  #dragging = false;
  #hoverX = null;
  #raf = 0;
  #markers = null;
  #states = null;
  /** the lane and the span being dragged, made by setRangeSelect */
  #lane = null;
  #draft = null;
  /** (range) → a range was dragged out; null: ranges are off */
  #onRange = null;
  /** the range drag under way: {id, x0, t0, t1, active} */
  #range = null;

  /**
   * @param ui the parts from buildUi
   * @param host {thumbnail(t, width) → ImageData | null, dpr} the player's services
   */
  constructor(ui, host) {
    this.#ui = ui;
    this.#host = host;
    const { seekTrack, seek } = ui;
    seekTrack.addEventListener('pointermove', (e) => this.#hover(e.clientX));
    seekTrack.addEventListener('pointerenter', (e) => this.#hover(e.clientX));
    seekTrack.addEventListener('pointerleave', () => {
      this.#hoverX = null;
      if (!this.#dragging && !this.#range?.active) this.hidePreview();
    });
    // Shift+drag on the bar picks a range: taken before the range input (and the
    // controls' scrub-pause) sees the press, so the thumb stays where it is (a
    // cancelled pointerdown sends no mousedown, which is what moves a range input).
    seekTrack.addEventListener('pointerdown', (e) => {
      this.#swallowClick = false;
      // A press left over (released out of reach), or a second finger: that one is done.
      this.cancelRange();
      this.#swallowClick = false;
      if (!this.#onRange || e.button !== 0 || seek.disabled) return;
      const onLane = e.target === this.#lane || e.target.closest?.('.marker');
      if (!onLane && !(e.shiftKey && e.target === seek)) return;
      if (!onLane) {
        e.preventDefault();
        e.stopPropagation();
      }
      this.#rangeDown(e, { active: !onLane });
    }, { capture: true });
    seekTrack.addEventListener('pointermove', (e) => this.#rangeMove(e));
    seekTrack.addEventListener('pointerup', (e) => this.#rangeUp(e));
    seekTrack.addEventListener('pointercancel', (e) => {
      if (this.#range?.id === e.pointerId) this.cancelRange();
    });
    seekTrack.addEventListener('click', (e) => {
      // The click that ends a range drag is not a marker's nor the bar's.
      if (this.#swallowClick) {
        this.#swallowClick = false;
        e.preventDefault();
        e.stopPropagation();
      }
    }, { capture: true });
    seek.addEventListener('pointerdown', (e) => {
      this.#dragging = true;
      this.#hover(e.clientX);
    });
    const release = () => {
      if (!this.#dragging) return;
      this.#dragging = false;
      if (this.#hoverX === null || this.#hoverX === undefined) this.hidePreview();
    };
    seek.addEventListener('pointerup', release);
    seek.addEventListener('pointercancel', release);
    seek.addEventListener('change', release);
    // Keyboard and drag both move the value: keep the preview on the thumb while dragging.
    seek.addEventListener('input', () => {
      if (this.#dragging) this.#schedule();
    });
  }

  /** True while the reviewer drags the thumb. */
  get dragging() {
    return this.#dragging;
  }

  /** True while a range is being dragged out (Shift+drag, or along the lane). */
  get rangeDragging() {
    return Boolean(this.#range?.active);
  }

  /**
   * Turns range picking on (`onRange({start, end})`, seconds, start before end, called
   * when a drag ends) or off (null). Made only when first turned on, so a player without
   * review has neither the lane nor the gesture.
   */
  setRangeSelect(onRange) {
    this.#onRange = typeof onRange === 'function' ? onRange : null;
    if (this.#onRange && !this.#lane) {
      // For the pointer only (aria-hidden): the keyboard's way to a range is I and O.
      this.#lane = document.createElement('div');
      this.#lane.className = 'range-lane';
      this.#lane.setAttribute('aria-hidden', 'true');
      this.#lane.title = 'Drag here (or Shift+drag the bar) to note a range';
      this.#draft = document.createElement('div');
      this.#draft.className = 'range-draft';
      this.#draft.setAttribute('aria-hidden', 'true');
      this.#draft.hidden = true;
      this.#ui.seekTrack.prepend(this.#lane, this.#draft);
    }
    if (!this.#onRange) this.cancelRange();
    if (this.#lane) this.#lane.hidden = !this.#onRange;
  }

  /** Drops a range drag under way (Escape, the pointer lost), picking nothing. */
  cancelRange() {
    const r = this.#range;
    if (!r) return;
    this.#range = null;
    removeEventListener('keydown', this.#onRangeKey, true);
    if (r.active) this.#swallowClick = true;
    try {
      if (this.#ui.seekTrack.hasPointerCapture(r.id)) this.#ui.seekTrack.releasePointerCapture(r.id);
    } catch {
      // The pointer is gone already.
    }
    this.#draft.hidden = true;
    delete this.#ui.seekTrack.dataset.ranging;
    this.#ui.previewTime.textContent = '';
    if (this.#hoverX === null) this.hidePreview();
    else this.#schedule();
  }

  #swallowClick = false;

  #onRangeKey = (e) => {
    if (e.key !== 'Escape' || !this.#range) return;
    e.preventDefault();
    e.stopPropagation();
    this.cancelRange();
  };

  #rangeDown(e, { active }) {
    const t = this.#timeAt(e.clientX);
    this.#range = { id: e.pointerId, x0: e.clientX, t0: t, t1: t, active: false };
    addEventListener('keydown', this.#onRangeKey, true);
    if (active) this.#activate();
  }

  /** The press became a drag: the pointer is held by the track until it is released. */
  #activate() {
    const r = this.#range;
    r.active = true;
    try {
      this.#ui.seekTrack.setPointerCapture(r.id);
    } catch {
      // A synthetic or finished pointer: the track's own events still follow it.
    }
    this.#ui.seekTrack.dataset.ranging = 'true';
    this.#showDraft();
  }

  #rangeMove(e) {
    const r = this.#range;
    if (!r || e.pointerId !== r.id) return;
    if (!r.active) {
      // Released out of reach (no pointerup here): a mouse's id comes back with no button down.
      if (e.buttons === 0) {
        this.cancelRange();
        return;
      }
      if (Math.abs(e.clientX - r.x0) < DRAG_SLOP) return;
      this.#activate();
    }
    e.preventDefault();
    r.t1 = this.#timeAt(e.clientX);
    this.#hoverX = e.clientX;
    this.#showDraft();
    this.#schedule();
  }

  #rangeUp(e) {
    const r = this.#range;
    if (!r || e.pointerId !== r.id) return;
    if (!r.active) {
      // A press without a drag: a click (on a marker, or nothing).
      this.#range = null;
      removeEventListener('keydown', this.#onRangeKey, true);
      return;
    }
    r.t1 = this.#timeAt(e.clientX);
    const range = { start: Math.min(r.t0, r.t1), end: Math.max(r.t0, r.t1) };
    this.cancelRange();
    this.#onRange?.(range);
  }

  /** The span being dragged, and its times. */
  #showDraft() {
    const r = this.#range;
    const d = this.#duration;
    if (!r || d <= 0) return;
    const start = Math.min(r.t0, r.t1);
    const end = Math.max(r.t0, r.t1);
    const draft = this.#draft;
    draft.style.left = `${this.#percentAt(start)}%`;
    draft.style.width = `${this.#percentAt(end) - this.#percentAt(start)}%`;
    draft.dataset.start = String(start);
    draft.dataset.end = String(end);
    draft.hidden = false;
  }

  /** Where instant `t` sits across the track, in percent: as the markers and the loop range place it. */
  #percentAt(t) {
    return this.#duration > 0 ? (100 * t) / this.#duration : 0;
  }

  /** The instant under the pointer at `clientX`, as a click on the bar would pick it. */
  #timeAt(clientX) {
    const rect = this.#ui.seek.getBoundingClientRect();
    const half = thumbSize() / 2;
    const travel = Math.max(1, rect.width - 2 * half);
    const t = ((clientX - rect.left - half) / travel) * this.#duration;
    return Math.min(Math.max(t, 0), this.#duration);
  }

  /** Shot segments for a newly loaded drama. */
  layout(timeline) {
    const { segments } = this.#ui;
    this.#duration = timeline?.duration ?? 0;
    this.#shots = timeline?.shots ?? [];
    this.#lines = timeline?.lines ?? [];
    this.#segments = this.#shots.map((shot, i) => {
      const segment = document.createElement('span');
      segment.className = 'segment';
      segment.dataset.shot = String(i);
      if (this.#duration > 0) {
        segment.style.left = `${(100 * shot.start) / this.#duration}%`;
        segment.style.width = `${(100 * (shot.end - shot.start)) / this.#duration}%`;
      }
      return segment;
    });
    segments.replaceChildren(...this.#segments);
    // Review states belong to the drama they were set for.
    this.#states?.replaceChildren();
    this.hidePreview();
  }

  /** Marks shot `index` as ready to play (its images are in). */
  setLoaded(index, loaded = true) {
    const segment = this.#segments[index];
    if (segment) segment.classList.toggle('loaded', loaded);
  }

  /** Shows `range` ({start, end} in seconds) as the loop, or hides it (null). */
  setLoop(range) {
    const { loopRange } = this.#ui;
    loopRange.hidden = !range || this.#duration <= 0;
    if (loopRange.hidden) return;
    loopRange.style.left = `${(100 * range.start) / this.#duration}%`;
    loopRange.style.width = `${(100 * (range.end - range.start)) / this.#duration}%`;
  }

  /**
   * Shows review notes above the track: `[{id, start, end, status}]` (seconds; `end`
   * past `start` by more than a frame makes a span). `onClick(id)` is called when one is
   * clicked. The markers are for the pointer; the notes panel is their keyboard way.
   */
  setMarkers(markers, onClick) {
    if (!this.#markers) {
      this.#markers = document.createElement('div');
      this.#markers.className = 'markers';
      this.#markers.setAttribute('aria-hidden', 'true');
      this.#ui.seekTrack.prepend(this.#markers);
    }
    const d = this.#duration;
    this.#markers.replaceChildren(...(d > 0 ? markers : []).map((m) => {
      const marker = document.createElement('span');
      marker.className = m.range ? 'marker range' : 'marker';
      marker.dataset.id = String(m.id);
      marker.dataset.status = m.status === 'resolved' ? 'resolved' : m.pending ? 'pending' : 'open';
      marker.style.left = `${(100 * Math.min(Math.max(m.start, 0), d)) / d}%`;
      if (m.range) marker.style.width = `${(100 * Math.max(0, Math.min(m.end, d) - m.start)) / d}%`;
      marker.addEventListener('click', (e) => {
        e.stopPropagation();
        onClick?.(m.id);
      });
      return marker;
    }));
  }

  /**
   * Shows review decisions per shot as a thin band under the track: `[{shot, state}]`
   * (`shot` a shot's id; `state` 'approved', 'changes_requested' or 'pending'). Made
   * only when first set, so a player without review has no band. For the eye only: the
   * shot list says the same in words.
   */
  setShotStates(states) {
    if (!this.#states) {
      this.#states = document.createElement('div');
      this.#states.className = 'shot-states';
      this.#states.setAttribute('aria-hidden', 'true');
      this.#ui.seekTrack.prepend(this.#states);
    }
    const d = this.#duration;
    const byId = new Map(this.#shots.map((s) => [s.id, s]));
    this.#states.replaceChildren(...(d > 0 ? states : []).flatMap(({ shot, state }) => {
      const s = byId.get(shot);
      if (!s) return [];
      const band = document.createElement('span');
      band.className = 'shot-state';
      band.dataset.shot = s.id;
      band.dataset.state = ['approved', 'changes_requested'].includes(state) ? state : 'pending';
      band.style.left = `${(100 * s.start) / d}%`;
      band.style.width = `${(100 * (s.end - s.start)) / d}%`;
      return [band];
    }));
  }

  /** The preview was drawn with missing images: draw it again (they arrived). */
  refresh() {
    if (!this.#ui.preview.hidden) this.#schedule();
  }

  hidePreview() {
    this.#ui.preview.hidden = true;
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
  }

  #hover(clientX) {
    this.#hoverX = clientX;
    this.#schedule();
  }

  /** One preview per animation frame, however fast the pointer moves. */
  #schedule() {
    if (this.#raf || this.#duration <= 0 || this.#ui.seek.disabled) return;
    this.#raf = requestAnimationFrame(() => {
      this.#raf = 0;
      this.#draw();
    });
  }

  #draw() {
    const { seek, seekTrack, preview, thumb, previewTime, previewShot, previewLine } = this.#ui;
    const rect = seek.getBoundingClientRect();
    if (rect.width <= 0) return;
    // A range input's thumb travels the track less its own width: map as a click would.
    const half = thumbSize() / 2;
    const travel = Math.max(1, rect.width - 2 * half);
    let t;
    if (this.#dragging || this.#hoverX === null) t = Number(seek.value);
    else t = this.#timeAt(this.#hoverX);
    t = Math.min(Math.max(t, 0), this.#duration);

    const shot = this.#shots.find((s) => t >= s.start && t < s.end) ?? this.#shots.at(-1);
    const line = shot ? this.#lines.find((l) => l.shot === shot.id) : null;
    // Dragging out a range: the preview shows its far end's frame, and the span's times.
    const r = this.#range?.active ? this.#range : null;
    previewTime.textContent = r ? `${formatTime(Math.min(r.t0, r.t1))}–${formatTime(Math.max(r.t0, r.t1))}` : formatTime(t);
    previewShot.textContent = shot?.id ?? '';
    previewLine.textContent = line ? `${line.speaker_name ? `${line.speaker_name}: ` : ''}${line.text}` : '';
    previewLine.hidden = !line;

    const width = Math.min(THUMB_MAX_WIDTH, Math.max(48, Math.round(THUMB_HEIGHT * this.#host.aspect())));
    const scale = Math.min(2, globalThis.devicePixelRatio || 1);
    const image = this.#host.thumbnail(t, Math.round(width * scale));
    thumb.style.width = `${width}px`;
    thumb.style.height = `${Math.round(width / this.#host.aspect())}px`;
    if (image) {
      if (thumb.width !== image.width || thumb.height !== image.height) {
        thumb.width = image.width;
        thumb.height = image.height;
      }
      thumb.getContext('2d').putImageData(image, 0, 0);
      thumb.dataset.pending = 'false';
    } else {
      // Its images are still loading: an empty frame, never a placeholder pattern.
      thumb.getContext('2d').clearRect(0, 0, thumb.width, thumb.height);
      thumb.dataset.pending = 'true';
    }
    preview.dataset.t = String(t);
    preview.hidden = false;

    // Centre the preview on the pointer, kept inside the track.
    const track = seekTrack.getBoundingClientRect();
    const x = rect.left - track.left + half + (t / this.#duration) * travel;
    const room = preview.offsetWidth / 2;
    preview.style.left = `${Math.min(Math.max(x, room), Math.max(room, track.width - room))}px`;
  }
}

/** The seek thumb's width in CSS pixels (larger for touch, see manju-player.css). */
function thumbSize() {
  return globalThis.matchMedia?.('(pointer: coarse)').matches ? 18 : 14;
}
