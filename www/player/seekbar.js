// The seek bar around the range input: one segment per shot (marked once its images
// are in, like a video's buffered ranges), the loop range, and the preview under the
// pointer — the frame there drawn small by the core, its time, its shot's id and first
// line — while hovering or dragging (by mouse, pen or touch) — and review notes as
// markers above the track (a dot, or a span for a range; coloured by status).

import { formatTime } from './ui.js';

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
      if (!this.#dragging) this.hidePreview();
    });
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
    else t = ((this.#hoverX - rect.left - half) / travel) * this.#duration;
    t = Math.min(Math.max(t, 0), this.#duration);

    const shot = this.#shots.find((s) => t >= s.start && t < s.end) ?? this.#shots.at(-1);
    const line = shot ? this.#lines.find((l) => l.shot === shot.id) : null;
    previewTime.textContent = formatTime(t);
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
