// <manju-player>: plays a comic drama (a `manju/1` manifest and its assets). The Rust
// core, compiled to WebAssembly, evaluates the timeline and composites every frame into
// one RGBA buffer in wasm memory; this element puts that buffer on a canvas, plays the
// sound through Web Audio, and gives the page a media-element-like API.
//
// ## Public API
//
// Attribute `src`: URL of a manifest; setting it loads that drama (asset paths are
// relative to the manifest's URL).
//
// Methods
// - `load(source)` → Promise<boolean>. `source` is a manifest URL, or
//   `{manifestText, files, name?}` where `files` is a Map (or object) from paths relative
//   to the manifest's folder to Blob | ArrayBuffer | Uint8Array. Resolves `true` once
//   the drama is ready, `false` when it cannot be played (see `problems`) or a newer load
//   replaced it. Never rejects.
// - `play()` → Promise<void>. Plays from the current position (from the start when at the end).
// - `pause()`.
// - `seek(seconds)` → Promise<void>, resolved once that instant's frame is on the canvas
//   (clamped to [0, duration]; waits for a load in progress; rejects when no drama is
//   loaded or `seconds` is not a finite number).
//
// Properties
// - `currentTime` (seconds; settable: seeks), `duration` (seconds), `paused` (boolean),
// - `problems`: the list from the core, each
//   `{severity: 'error'|'warning', path, message, line?, column?}`,
// - `state`: 'empty' | 'loading' | 'ready' | 'error',
// - `title` (the manifest's title), `width`, `height`, `fps` (the drama's canvas),
// - `timeline`: the resolved timeline `{duration, shots, lines, audio}` (see the core's docs),
// - `muted` (boolean, settable),
// - `canvas`: the <canvas> the frames are drawn on, for tests and embedding (read it with
//   getImageData after `seek` resolves; it is also exposed as `::part(canvas)`).
//
// Events (plain `Event`s unless a detail is given; none bubble)
// `loadstart`; `progress` (detail `{loaded, total}` assets); `ready` (detail
// `{problems}`); `error` (detail: the problem list); `play`; `pause`; `timeupdate`;
// `seeked`; `ended`.
//
// Keyboard (when the player has focus): Space or K play/pause, ← → one second,
// Shift+← → or , . one frame, Home/End.

import { AudioEngine } from './player/audio.js';
import { PlaybackClock } from './player/clock.js';
import { loadDrama, plain, problem, Superseded } from './player/loader.js';
import { buildUi, formatTime, h } from './player/ui.js';

/** How far ahead of "now" the first sounds are scheduled, so none starts late. */
const SCHEDULE_LEAD = 0.05;

let corePromise = null;

/** Loads and instantiates the wasm core once per page. */
function loadCore() {
  corePromise ??= (async () => {
    const pkg = await import(new URL('./pkg/manju.js', import.meta.url).href);
    const wasm = await pkg.default();
    return { Session: pkg.Session, memory: wasm.memory };
  })().catch((err) => {
    corePromise = null; // let a later load try again
    throw err;
  });
  return corePromise;
}

export class ManjuPlayer extends HTMLElement {
  static observedAttributes = ['src'];

  #ui;
  #context2d;
  #audio = new AudioEngine();
  #clock = new PlaybackClock();
  #core = null;
  #session = null;
  #timeline = null;
  /** the drama's canvas, read once from the core: {width, height, fps, frameCount} */
  #format = { width: 0, height: 0, fps: 0, frameCount: 0 };
  #problems = [];
  #title = '';
  #state = 'empty';
  #paused = true;
  /** the episode instant shown while paused (while playing, the clock has it) */
  #position = 0;
  /** the frame index on the canvas (from the core), and the cheap guess that gates renders */
  #frame = -1;
  #frameGuess = -1;
  #loadId = 0;
  #loading = Promise.resolve(false);
  /** bumped by every play, pause and seek, so a late audio resume knows it is stale */
  #playId = 0;
  #raf = 0;
  #resumeAfterScrub = false;
  #watchedContext = null;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    this.#ui = buildUi(root, new URL('./manju-player.css', import.meta.url).href);
    this.#context2d = this.#ui.canvas.getContext('2d');
    this.#wireControls();
  }

  connectedCallback() {
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
  }

  disconnectedCallback() {
    this.pause();
  }

  attributeChangedCallback(name, oldValue, value) {
    if (name === 'src' && value && value !== oldValue) this.load(value);
  }

  // ---- public API -------------------------------------------------------------------

  get src() {
    return this.getAttribute('src') ?? '';
  }

  set src(value) {
    this.setAttribute('src', value);
  }

  get state() {
    return this.#state;
  }

  get currentTime() {
    return this.#paused ? this.#position : Math.min(this.#clock.now(), this.duration);
  }

  set currentTime(seconds) {
    this.seek(seconds).catch(() => {});
  }

  get duration() {
    return this.#timeline?.duration ?? 0;
  }

  get paused() {
    return this.#paused;
  }

  get problems() {
    return this.#problems.map((p) => ({ ...p }));
  }

  get title() {
    return this.#title;
  }

  get width() {
    return this.#format.width;
  }

  get height() {
    return this.#format.height;
  }

  get fps() {
    return this.#format.fps;
  }

  get timeline() {
    return this.#timeline ? structuredClone(this.#timeline) : null;
  }

  get muted() {
    return this.#audio.muted;
  }

  set muted(muted) {
    this.#audio.muted = muted;
    this.#ui.muteButton.setAttribute('aria-pressed', String(this.#audio.muted));
    this.#ui.muteButton.setAttribute('aria-label', this.#audio.muted ? 'Unmute' : 'Mute');
  }

  /** For tests and embedding: the canvas the frames are drawn on (drama-sized, CSS-scaled). */
  get canvas() {
    return this.#ui.canvas;
  }

  load(source) {
    const id = ++this.#loadId;
    const isCurrent = () => id === this.#loadId;
    this.#stopPlayback();
    this.#unload();
    this.#setState('loading');
    this.#showProgress(0, 0);
    this.#ui.seek.disabled = true;
    this.#updateControls();
    this.#emit('loadstart');

    this.#loading = (async () => {
      try {
        const core = await loadCore();
        if (!isCurrent()) return false;
        this.#core = core;
        this.#watchAudioContext();
        const result = await loadDrama(core, source, {
          isCurrent,
          onProgress: (loaded, total) => {
            if (!isCurrent()) return;
            this.#showProgress(loaded, total);
            this.#emit('progress', { loaded, total });
          },
          decodeAudio: async (assetId, bytes) => {
            const buffer = await this.#audio.decode(bytes);
            if (isCurrent()) this.#audio.add(assetId, buffer);
          },
        });
        if (!isCurrent()) {
          result.session?.free();
          return false;
        }
        this.#title = result.title;
        this.#problems = result.problems;
        if (result.fatal) {
          result.session?.free();
          this.#fail();
          return false;
        }
        const s = result.session;
        this.#session = s;
        this.#timeline = plain(s.timeline());
        this.#format = { width: s.width, height: s.height, fps: s.fps, frameCount: s.frameCount };
        this.#prepareStage();
        this.#render(0, true);
        this.#setState('ready');
        this.#updateControls();
        this.#emit('ready', { problems: this.problems });
        return true;
      } catch (err) {
        if (err instanceof Superseded || !isCurrent()) return false;
        this.#problems = [...this.#problems, problem('error', '', `the player failed: ${messageOf(err)}`)];
        this.#fail();
        return false;
      }
    })();
    return this.#loading;
  }

  play() {
    // Start the audio device first, while still inside the user's gesture.
    const resumed = this.#audio.resume();
    if (this.#state === 'loading') return this.#loading.then((ok) => (ok ? this.play() : undefined));
    if (this.#state !== 'ready' || !this.#paused) return Promise.resolve();
    if (this.#position >= this.duration) this.#position = 0;
    this.#paused = false;
    const playId = ++this.#playId;
    this.#startClock();
    if (!this.#clock.onAudio) {
      resumed.then((running) => {
        if (running && playId === this.#playId) this.#moveClockToAudio();
      });
    }
    this.#updateControls();
    this.#emit('play');
    this.#raf = requestAnimationFrame(this.#tick);
    return Promise.resolve();
  }

  pause() {
    if (this.#paused) return;
    this.#position = Math.min(this.#clock.now(), this.duration);
    this.#stopPlayback();
    this.#render(this.#position);
    this.#updateControls();
    this.#emit('pause');
  }

  async seek(seconds) {
    if (this.#state === 'loading') await this.#loading;
    if (this.#state !== 'ready') throw new Error('no drama is loaded');
    const t = Number(seconds);
    if (!Number.isFinite(t)) throw new RangeError(`cannot seek to ${seconds}`);
    this.#position = Math.min(Math.max(t, 0), this.duration);
    this.#render(this.#position, true);
    if (!this.#paused) {
      this.#playId++;
      this.#startClock();
    }
    this.#updateControls();
    this.#emit('timeupdate');
    this.#emit('seeked');
  }

  // ---- internals --------------------------------------------------------------------

  #tick = () => {
    this.#raf = 0;
    if (this.#paused || !this.#session) return;
    const t = this.#clock.now();
    if (t >= this.duration) {
      this.#finish();
      return;
    }
    if (this.#render(t)) {
      this.#updateControls(t);
      this.#emit('timeupdate');
    }
    if (!this.#paused) this.#raf = requestAnimationFrame(this.#tick);
  };

  /** Anchors the clock at #position on the audio clock when it runs, and schedules the sound. */
  #startClock() {
    const ctx = this.#audio.context;
    if (ctx && ctx.state === 'running') {
      const when = ctx.currentTime + SCHEDULE_LEAD;
      this.#clock.startOnAudio(ctx, this.#position, when);
      this.#audio.schedule(this.#timeline.audio ?? [], this.#position, when);
    } else {
      this.#audio.stop();
      this.#clock.startOnPerformance(this.#position);
    }
  }

  /** Audio became available mid-play: carry on from the current instant with sound. */
  #moveClockToAudio() {
    if (this.#paused || this.#clock.onAudio) return;
    this.#position = Math.min(this.#clock.now(), this.duration);
    this.#startClock();
  }

  #watchAudioContext() {
    const ctx = this.#audio.context;
    if (!ctx || ctx === this.#watchedContext) return;
    this.#watchedContext = ctx;
    ctx.addEventListener('statechange', () => {
      if (ctx.state === 'running') this.#moveClockToAudio();
    });
  }

  #finish() {
    this.#position = this.duration;
    this.#stopPlayback();
    this.#render(this.#position);
    this.#updateControls();
    this.#emit('timeupdate');
    this.#emit('pause');
    this.#emit('ended');
  }

  #stopPlayback() {
    this.#paused = true;
    this.#playId++;
    this.#audio.stop();
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
  }

  /** Draws the frame on screen at `t` unless it is already there (or `force`). */
  #render(t, force = false) {
    const s = this.#session;
    if (!s) return false;
    const { fps, frameCount, width, height } = this.#format;
    const last = Math.max(0, frameCount - 1);
    // A cheap guess of the frame index gates the render; the core decides the real one.
    const guess = Math.min(Math.floor(t * fps + 1e-6), last);
    if (!force && guess === this.#frameGuess) return false;
    try {
      if (t >= this.duration) {
        s.renderFrame(last);
        this.#frame = last;
      } else {
        this.#frame = s.renderAt(t);
      }
      // Re-create the view every time: a render may have grown (and so moved) wasm memory.
      const pixels = new Uint8ClampedArray(this.#core.memory.buffer, s.framePtr(), s.frameLen());
      this.#context2d.putImageData(new ImageData(pixels, width, height), 0, 0);
    } catch (err) {
      this.#crash(err);
      return false;
    }
    this.#frameGuess = guess;
    return true;
  }

  /** The core failed mid-play (a panic aborts the wasm instance): show it, never a frozen page. */
  #crash(err) {
    this.#stopPlayback();
    this.#session = null; // its memory can no longer be trusted; do not call it again
    this.#problems = [...this.#problems, problem('error', '', `the player core stopped: ${messageOf(err)}`)];
    this.#fail();
  }

  #unload() {
    this.#audio.clear();
    try {
      this.#session?.free();
    } catch {
      // A crashed instance cannot free; the page keeps going.
    }
    this.#session = null;
    this.#timeline = null;
    this.#format = { width: 0, height: 0, fps: 0, frameCount: 0 };
    this.#problems = [];
    this.#title = '';
    this.#position = 0;
    this.#frame = -1;
    this.#frameGuess = -1;
    this.#ui.markers.replaceChildren();
  }

  #prepareStage() {
    const { canvas, frame, markers, seek } = this.#ui;
    const { width, height } = this.#format;
    canvas.width = width;
    canvas.height = height;
    frame.style.setProperty('--aspect', String(width / height));
    seek.max = String(this.duration);
    seek.disabled = false;
    // Shot boundaries on the seek bar, as in an editor's timeline.
    for (const shot of this.#timeline.shots ?? []) {
      if (shot.start <= 0 || this.duration <= 0) continue;
      const mark = h('span', { class: 'marker' });
      mark.style.left = `${(100 * shot.start) / this.duration}%`;
      markers.append(mark);
    }
  }

  #fail() {
    const errors = this.#problems.filter((p) => p.severity === 'error');
    const first = errors[0] ?? this.#problems[0];
    const { errorDetail, seek } = this.#ui;
    errorDetail.replaceChildren();
    if (first) {
      errorDetail.append(h('code', {}, first.path || '(manifest)'), ` ${first.message}`);
      if (first.line != null) errorDetail.append(h('span', { class: 'position' }, ` (line ${first.line}, column ${first.column ?? '?'})`));
      const more = errors.length - 1;
      if (more > 0) errorDetail.append(h('span', { class: 'more' }, ` and ${more} more problem${more === 1 ? '' : 's'}`));
    }
    seek.disabled = true;
    this.#context2d.clearRect(0, 0, this.#ui.canvas.width, this.#ui.canvas.height);
    this.#setState('error');
    this.#updateControls();
    this.#emit('error', this.problems);
  }

  #setState(state) {
    this.#state = state;
    this.#ui.stage.dataset.state = state;
  }

  #showProgress(loaded, total) {
    const { progress, loadingText } = this.#ui;
    progress.max = Math.max(total, 1);
    progress.value = loaded;
    loadingText.textContent = total > 0 ? `Loading assets… ${loaded} of ${total}` : 'Loading…';
  }

  #updateControls(t = this.currentTime) {
    const { playButton, stage, time, durationText, seek, frameText } = this.#ui;
    const playing = !this.#paused;
    playButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    playButton.dataset.playing = String(playing);
    stage.dataset.playing = String(playing);
    playButton.disabled = this.#state !== 'ready';
    time.textContent = formatTime(t);
    durationText.textContent = formatTime(this.duration);
    if (!seek.matches(':active')) seek.value = String(t);
    seek.style.setProperty('--played', `${this.duration > 0 ? (100 * Number(seek.value)) / this.duration : 0}%`);
    seek.setAttribute('aria-valuetext', `${formatTime(t)} of ${formatTime(this.duration)}`);
    frameText.textContent = this.#frame >= 0 ? `frame ${this.#frame}` : '';
  }

  #emit(type, detail) {
    this.dispatchEvent(detail === undefined ? new Event(type) : new CustomEvent(type, { detail }));
  }

  #togglePlay() {
    if (this.#paused) this.play();
    else this.pause();
  }

  /** Seeks from UI input; a failure has already been shown by the error state. */
  #seekFromUi(t) {
    this.seek(t).catch(() => {});
  }

  #wireControls() {
    const { playButton, bigPlay, muteButton, stage, seek } = this.#ui;
    playButton.addEventListener('click', () => this.#togglePlay());
    bigPlay.addEventListener('click', (e) => {
      e.stopPropagation();
      this.play();
      this.focus();
    });
    stage.addEventListener('click', () => {
      if (this.#state !== 'ready') return;
      this.#togglePlay();
      this.focus();
    });
    muteButton.addEventListener('click', () => {
      this.muted = !this.muted;
    });
    // Scrubbing pauses playback and resumes it on release, as video editors do.
    seek.addEventListener('pointerdown', () => {
      if (!this.#paused) {
        this.#resumeAfterScrub = true;
        this.pause();
      }
    });
    seek.addEventListener('input', () => this.#seekFromUi(Number(seek.value)));
    seek.addEventListener('change', () => {
      if (this.#resumeAfterScrub) {
        this.#resumeAfterScrub = false;
        this.play();
      }
    });
    this.addEventListener('keydown', (e) => this.#onKey(e));
  }

  #onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || this.#state !== 'ready') return;
    const target = e.composedPath()[0];
    const step = (delta) => this.#seekFromUi(this.currentTime + delta);
    // One microsecond past the frame's start, so rounding cannot land on the frame before.
    const stepFrame = (delta) => this.#seekFromUi(Math.max(0, this.#frame + delta) / this.fps + 1e-6);
    switch (e.key) {
      case ' ':
      case 'k':
        // A focused button activates itself on Space.
        if (e.key === ' ' && target instanceof HTMLButtonElement) return;
        this.#togglePlay();
        break;
      case 'ArrowLeft':
        if (e.shiftKey) stepFrame(-1);
        else step(-1);
        break;
      case 'ArrowRight':
        if (e.shiftKey) stepFrame(1);
        else step(1);
        break;
      case ',':
        stepFrame(-1);
        break;
      case '.':
        stepFrame(1);
        break;
      case 'Home':
        this.#seekFromUi(0);
        break;
      case 'End':
        this.#seekFromUi(this.duration);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}

function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

if (!customElements.get('manju-player')) customElements.define('manju-player', ManjuPlayer);
