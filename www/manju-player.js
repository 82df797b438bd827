// <manju-player>: plays a comic drama (a `manju/1` manifest and its assets). The Rust
// core, compiled to WebAssembly, evaluates the timeline and composites every frame into
// one RGBA buffer in wasm memory; this element puts that buffer on a canvas, plays the
// sound through Web Audio, and gives the page a media-element-like API.
//
// ## Public API
//
// Attributes: `src` (a manifest or .zip URL; setting it loads that drama, asset paths
// relative to it), `autoplay` (play once ready; muted, with an unmute button, when the
// browser blocks sound), `loop` (loop the episode), `review` (see "Review" below).
//
// Methods
// - `load(source)` → Promise<boolean>. `source` is a URL (of a manifest or a .zip), a
//   .zip as a Blob/File/ArrayBuffer/Uint8Array,
//   `{url, headers}` (a manifest URL whose server wants headers, e.g. the review API's
//   Authorization: they go to that origin only), or `{manifestText, files, name?}` where
//   `files` is a Map (or object) from paths relative to the manifest's folder to
//   Blob | ArrayBuffer | Uint8Array. Resolves `true` once the first frame is drawn and
//   the drama can play (later shots' images keep loading: see `canplaythrough`),
//   `false` when it cannot be played (see `problems`) or a newer load replaced it.
//   Never rejects.
// - `play()` → Promise<void>. Plays from the current position (from the start when at
//   the end, from the loop's start when outside the loop range).
// - `pause()`.
// - `seek(seconds)` → Promise<void>, resolved once that instant's frame is on the canvas
//   (clamped to [0, duration]; waits for a load in progress and for the instant's images;
//   rejects when no drama is loaded or `seconds` is not a finite number).
//   The frame shown is the one on screen at that instant: the last starting at or before it.
// - `seekToShow(seconds)` → Promise<void>: seeks to the first frame that shows what begins
//   at `seconds` (a line, a shot, a note): the first frame starting at or after it.
// - `seekToFrame(n)` → Promise<void>: seeks to frame `n`'s own instant (kept within the episode).
// - `firstFrameFrom(seconds)` → number (-1 with nothing loaded), `frameTime(n)` → seconds:
//   frame arithmetic by the core, at the drama's rational rate (23.976 is 24000/1001).
// - `stepFrame(n)` → Promise<void>: pauses and moves `n` frames (negative: back).
// - `thumbnail(seconds, width)` → Promise<ImageData | null>: the frame at `seconds`
//   drawn `width` pixels wide by the core, once its images are in (null: nothing loaded).
// - `importSubtitles(file, name?)` → Promise<{manifest, cues, problems}>: the manifest
//   playing with the cues of an SRT/WebVTT/ASS/SSA file (a Blob/File or bytes) merged in
//   as lines (not applied: see `reload`). Rejects with an Error naming the file and the
//   line when nothing can be imported.
// - `reload(manifestText)` → Promise<boolean>: plays another version of the manifest
//   playing, over the assets already loaded (nothing is fetched again), from the same
//   instant, playing on if it was. Like `load`, it never rejects.
// - `setMarkers([{id, frame, frame_end?, status, pending?}])`: review notes as markers on
//   the seek bar (dots; a range as a span; coloured by status); see `markerclick`.
// - `setRangeSelect(on)`: with review on, a drag on the seek bar (Shift+drag, or along the
//   markers' lane) picks a range of frames; see `rangeselect`.
// - `layerAt(x, y)` → number: the topmost layer (its index in the shot) at a point of the
//   picture (fractions of `pictureRect()`), -1 when none.
// - `setShotStates([{shot, state}])`: review decisions per shot (`state` 'approved',
//   'changes_requested' or 'pending') as a thin coloured band under the seek bar's track.
// - `addShortcuts(title, [{keys, does}])`: a group of the page's own keys in the `?` overlay.
// - `toggleFullscreen()`, `showShortcuts()`.
//
// Properties
// - `currentTime` (seconds; settable: seeks), `duration` (seconds), `paused` (boolean),
// - `currentFrame`: the number of the frame on the canvas (-1 before the first); before
//   the first play or seek the canvas shows a poster (the first frame after the intro,
//   which fades in from a colour) and this is the frame at the playhead, 0,
// - `readout`: 'time' | 'frame' | 'timecode', how the control bar reads the frame on
//   screen (a click on the readout cycles; remembered in localStorage),
// - `waiting`: true while the frame due is held back because its images are still loading,
// - `fullyLoaded`: true once every asset is in (`canplaythrough` fired),
// - `buffered`: `[{start, end}]`, the stretches of the episode whose images are in,
// - `playbackRate` (0.25 to 2; settable; the sound keeps its pitch once `preservesPitch`
//   turns true, a moment after a change of speed), `volume` (0 to 1) and `muted` (remembered
//   across visits in localStorage), `loop` (boolean: the episode),
//   `loopRange` (`{start, end}` in seconds or null: loops that stretch, e.g. one shot),
// - `problems`: the list from the core, each
//   `{severity: 'error'|'warning', path, message, line?, column?}` (text warnings once
//   the font is in: see `fontready`),
// - `manifestText`: the text of the manifest playing ('' when none),
// - `fontState`: 'loading' | 'ready' | 'error': whether the built-in font is in the core.
//   It is fetched in parallel with the assets; frames drawn before it arrives have no
//   words,
// - `state`: 'empty' | 'loading' | 'ready' | 'error',
// - `title` (the manifest's title), `width`, `height`, `fps` (the drama's canvas),
// - `timeline`: the resolved timeline `{duration, shots, lines, audio}` (see the core's docs),
// - `canvas`: the <canvas> the frames are drawn on, for tests and embedding (read it with
//   getImageData after `seek` resolves; it is also exposed as `::part(canvas)`).
//
// Events (plain `Event`s unless a detail is given; none bubble)
// `loadstart`; `progress` (detail `{loaded, total}` assets, before and after `ready`);
// `ready` (detail `{problems}`: the first frame is drawn); `canplaythrough` (detail
// `{problems}`: every asset is in, and the problem list is final); `error` (detail: the
// problem list); `play`; `pause`; `waiting` (the frame due is not loaded yet: a
// buffering state shows); `playing` (playback goes on after waiting); `timeupdate`;
// `seeked`; `ended`; `ratechange`; `volumechange`; `fontready` (detail `{problems}`:
// the built-in font is in, the frame on the canvas was redrawn with its words, and the
// problems include the text warnings); `fonterror` (detail `{problems}`: the font could
// not be loaded; the drama plays without words and a notice says so); `markerclick`
// (detail `{id}`: a review marker on the seek bar was clicked); `rangeselect` (detail
// `{frame, frame_end, start, end}`: a range was dragged out, see `setRangeSelect`).
//
// Review (for a portal embedding the player; without it the element is the plain player
// and no review module is even fetched)
// - Attributes `review="share:<token>"` (or `owner:<token>`), `review-server` (the
//   `manju serve` origin; default: the page's), `review-name` (the reviewer's name: no
//   dialog asks it). Or the property `review = {server, share | owner, password?, name?,
//   version?}` (wins over the attribute; keeps the token out of the DOM; null: off).
//   The element signs in (asking the name in a dialog unless given), plays the version
//   the link reaches (`src` only when review cannot start), and shows its notes as
//   markers on the seek bar (a click goes to the note), the open notes' drawings over
//   their frames and each shot's decision under the track, live.
// - `reviewState`: 'off' | 'starting' | 'ready' | 'error'; `reviewReady`: a Promise
//   resolved once the notes are in (the version then loads), rejected when review cannot
//   start (null while off); `reviewer`: `{name, role}` (role 'view' | 'comment' |
//   'approve' | 'owner').
// - `comments`: the notes in frame order, replies after their notes (the API's records,
//   copies; `pending: true` until the server has them); `decisions`: the latest decision
//   per target. Both null while review is not ready.
// - `addComment({body, tags?, frame?, range?: [first, end), shot?, line?, drawing?})` →
//   Promise<record>: on `frame` (default: the frame on screen), the frames `range`, the
//   whole `shot` (by id), or line `line` (its index in `shot`); `drawing` as
//   docs/review-api.md has it. `reply(id, body)`, `resolveComment(id)`,
//   `reopenComment(id)` → Promise<record>. `decide('version' | {shot, line?}, verdict,
//   note?)` → Promise<record>, verdict 'approved' | 'changes_requested' | 'pending'.
//   They wait for review and the version; they reject with an Error saying why (review
//   off, the link's role, bad input). Writes go through the store's outbox: a write the
//   server refuses later comes back as `reviewerror`.
// - `reviewView` (true): set false when the page shows the review itself; `reviewStore`:
//   the store (./review/store.js), for such a page.
// - Events: `reviewready` (detail `{name, role}`); `reviewerror` (detail `{message}`:
//   review could not start — the player plays `src` if given —, a write was refused,
//   the live updates stopped); `commentadd`, `commentchange`, `decision` (detail: a copy
//   of the record), for one's own writes (at once, then as the server keeps them) and
//   others' arriving live.
//
// Keyboard (when the player has focus): see ./player/keys.js, and the `?` overlay.

import { AudioEngine } from './player/audio.js';
import { PlaybackClock } from './player/clock.js';
import { wireControls } from './player/controls.js';
import { DefaultFont } from './player/font.js';
import { loadDrama, plain, problem, Superseded } from './player/loader.js';
import { loadPrefs, savePrefs } from './player/prefs.js';
import { Readout } from './player/readout.js';
import { SeekBar } from './player/seekbar.js';
import { KeptSource } from './player/sources.js';
import { importSubtitleFile } from './player/subtitles.js';
import { buildUi, formatTime, shortcutTable, showErrorDetail, showNotice, SPEEDS, spokenTime } from './player/ui.js';
import { loadCore } from './player/wasm-loader.js';

/** How far ahead of "now" the first sounds are scheduled, so none starts late. */
const SCHEDULE_LEAD = 0.05;
/** How long an autoplay waits for the browser to allow sound before playing muted. */
const AUTOPLAY_GRACE_MS = 250;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class ManjuPlayer extends HTMLElement {
  static observedAttributes = ['src', 'loop', 'review', 'review-server', 'review-name'];

  #ui;
  #seekBar;
  #readout;
  #context2d;
  #audio = new AudioEngine();
  #clock = new PlaybackClock();
  #font = new DefaultFont();
  #core = null;
  #session = null;
  /** what the loader kept of the drama playing: {manifestText, label, kept, problemsNow} */
  #loaded = null;
  #timeline = null;
  /** the drama's canvas, read once from the core: {width, height, fps, frameCount} */
  #format = { width: 0, height: 0, fps: 0, frameCount: 0 };
  #problems = [];
  #title = '';
  #state = 'empty';
  #paused = true;
  /** the episode instant shown while paused or waiting (while playing, the clock has it) */
  #position = 0;
  /** the frame number on the canvas (from the core), and the one last drawn by an instant (gates renders) */
  #frame = -1;
  #frameGuess = -1;
  /** the canvas shows the poster (the first frame after the intro) until the first play or seek */
  #poster = false;
  /** played since this drama was opened: the paused picture is then left uncovered */
  #started = false;
  #loadId = 0;
  #loading = Promise.resolve(false);
  /** every shot's {id, images, audio}, and the asset ids that arrived (or failed) */
  #shotAssets = [];
  #arrived = new Set();
  #loadComplete = false;
  /** true while the frame due waits for its images */
  #waiting = false;
  /** resolved when the frame at #position is drawn after waiting: [resolve] */
  #drawWaiters = [];
  /** thumbnails waiting for their images: [{t, width, resolve}] */
  #thumbWaiters = [];
  /** bumped by every play, pause and seek, so a late audio resume knows it is stale */
  #playId = 0;
  #seekId = 0;
  #raf = 0;
  #scrubRaf = 0;
  #watchedContext = null;
  #rate = 1;
  #loopRange = null;
  /** sound is off because the browser blocked autoplay with sound (not the reviewer's choice) */
  #autoMuted = false;
  #osdTimer = 0;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    this.#ui = buildUi(root, new URL('./manju-player.css', import.meta.url).href);
    this.#context2d = this.#ui.canvas.getContext('2d');
    this.#seekBar = new SeekBar(this.#ui, {
      thumbnail: (t, width) => this.#thumbnailNow(t, width, false),
      aspect: () => (this.#format.height > 0 ? this.#format.width / this.#format.height : 9 / 16),
    });
    const prefs = loadPrefs();
    this.#audio.volume = prefs.volume;
    this.#audio.muted = prefs.muted;
    this.#readout = new Readout(this.#ui, prefs.readout);
    wireControls(this, this.#ui, { scrubTo: (t) => this.#scrubTo(t), flash: (text) => this.#flash(text) });
    this.#showVolume();
    this.#showLoop();
    // A page may have set the option before this element was defined: it is an own
    // property then, hiding the accessor; take it through the setter.
    if (Object.hasOwn(this, 'review')) {
      const option = this.review;
      delete this.review;
      this.review = option;
    }
  }

  connectedCallback() {
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
  }

  disconnectedCallback() {
    this.pause();
  }

  attributeChangedCallback(name, oldValue, value) {
    // With review asked, the version comes from the review server; `src` plays only
    // when review cannot start.
    if (name === 'src' && value && value !== oldValue && (!this.#reviewAsked() || this.#reviewState === 'error')) this.load(value);
    if (name === 'loop') this.#showLoop();
    if (name.startsWith('review') && value !== oldValue && !this.#reviewOption) this.#restartReview();
  }

  // ---- public API -------------------------------------------------------------------

  get src() {
    return this.getAttribute('src') ?? '';
  }

  set src(value) {
    this.setAttribute('src', value);
  }

  get autoplay() {
    return this.hasAttribute('autoplay');
  }

  set autoplay(value) {
    this.toggleAttribute('autoplay', Boolean(value));
  }

  get loop() {
    return this.hasAttribute('loop');
  }

  set loop(value) {
    this.toggleAttribute('loop', Boolean(value));
  }

  get loopRange() {
    return this.#loopRange ? { ...this.#loopRange } : null;
  }

  set loopRange(range) {
    if (!range) {
      this.#loopRange = null;
    } else {
      const start = Math.max(0, Number(range.start));
      const end = Math.min(this.duration, Number(range.end));
      if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError('loopRange needs a finite start and end');
      // At least one frame long, or it would loop on the spot.
      this.#loopRange = end - start >= 1 / (this.fps || 30) ? { start, end } : null;
    }
    this.#showLoop();
  }

  get state() {
    return this.#state;
  }

  get currentTime() {
    return this.#paused || this.#waiting ? this.#position : Math.min(this.#clock.now(), this.duration);
  }

  set currentTime(seconds) {
    this.seek(seconds).catch(() => {});
  }

  get currentFrame() {
    return this.#poster ? this.#playheadFrame() : this.#frame;
  }

  /** How the time readout reads the frame on screen: 'time', 'frame' (its number) or 'timecode'. */
  get readout() {
    return this.#readout.mode;
  }

  set readout(mode) {
    this.#readout.mode = mode;
  }

  /** The instant frame `n` shows, in seconds (0 when nothing is loaded). */
  frameTime(n) {
    return this.#session ? this.#session.frameStart(Number(n) || 0) : 0;
  }

  /**
   * The number of the first frame that shows what begins at `seconds` (a line, a shot, a
   * note): the first frame starting at or after it, as `manju render` counts (the frame
   * on screen at an instant is the last one starting at or before it, and may predate
   * what begins there). -1 when nothing is loaded.
   */
  firstFrameFrom(seconds) {
    const t = Number(seconds);
    if (!this.#session || !Number.isFinite(t)) return -1;
    return this.#session.firstFrameFrom(t);
  }

  get duration() {
    return this.#timeline?.duration ?? 0;
  }

  get paused() {
    return this.#paused;
  }

  get waiting() {
    return this.#waiting;
  }

  /** True once every asset is in (after `canplaythrough`): playback never waits again. */
  get fullyLoaded() {
    return this.#state === 'ready' && this.#loadComplete;
  }

  get buffered() {
    const ranges = [];
    (this.#timeline?.shots ?? []).forEach((shot, i) => {
      if (!this.#shotLoaded(i)) return;
      const last = ranges.at(-1);
      if (last && Math.abs(last.end - shot.start) < 1e-9) last.end = shot.end;
      else ranges.push({ start: shot.start, end: shot.end });
    });
    return ranges;
  }

  get playbackRate() {
    return this.#rate;
  }

  set playbackRate(rate) {
    const r = Math.min(SPEEDS.at(-1), Math.max(SPEEDS[0], Number(rate) || 1));
    if (r === this.#rate) return;
    const playing = !this.#paused && !this.#waiting;
    if (playing) this.#position = Math.min(this.#clock.now(), this.duration);
    this.#rate = r;
    if (playing) {
      this.#playId++;
      this.#startClock();
    }
    this.#ui.speed.value = String(r);
    this.#emit('ratechange');
    this.#keepPitch();
  }

  /** True when the sound at the current speed keeps its pitch (always at 1×). */
  get preservesPitch() {
    return this.#audio.keepsPitch(this.#rate);
  }

  get volume() {
    return this.#audio.volume;
  }

  set volume(volume) {
    this.#audio.volume = volume;
    this.#remember();
    this.#showVolume();
    this.#emit('volumechange');
  }

  get problems() {
    return [...this.#problems, ...this.#font.problems].map((p) => ({ ...p }));
  }

  get manifestText() {
    return this.#loaded?.manifestText ?? '';
  }

  get fontState() {
    return this.#font.state;
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
    // Unmuting is a gesture: let the audio device start (a blocked autoplay's sound comes in).
    if (!muted) this.#audio.resume();
    this.#autoMuted = false;
    this.#audio.muted = muted;
    this.#remember();
    this.#showVolume();
    this.#emit('volumechange');
  }

  /** For tests and embedding: the canvas the frames are drawn on (drama-sized, CSS-scaled). */
  get canvas() {
    return this.#ui.canvas;
  }

  // ---- public API: overlays over the picture (the review drawing layer, ./review/drawing.js)

  /**
   * The picture as displayed, in CSS pixels relative to the viewport (as
   * getBoundingClientRect): the drama's frame letterboxed inside the canvas's box (which
   * may be wider or taller than the frame). null when nothing is loaded or nothing shows.
   */
  pictureRect() {
    const box = this.#ui.canvas.getBoundingClientRect();
    const { width, height } = this.#format;
    if (!width || !height || !box.width || !box.height) return null;
    const scale = Math.min(box.width / width, box.height / height);
    const w = width * scale;
    const h = height * scale;
    return new DOMRect(box.x + (box.width - w) / 2, box.y + (box.height - h) / 2, w, h);
  }

  /**
   * A box over the whole stage (the picture's area), inside the shadow root, so overlays
   * stay over the picture in full screen too; made on first use, above the player's own
   * overlays. It lets the pointer through (`pointer-events: none`) except where a child
   * takes it; a click that reaches the stage plays or pauses, so a child that uses clicks
   * stops them.
   */
  get overlayRoot() {
    if (!this.#overlayRoot) {
      const root = document.createElement('div');
      root.className = 'overlay-root';
      root.setAttribute('part', 'overlay-root');
      Object.assign(root.style, { position: 'absolute', inset: '0', pointerEvents: 'none' });
      this.#ui.stage.append(root);
      this.#overlayRoot = root;
    }
    return this.#overlayRoot;
  }

  #overlayRoot = null;

  load(source) {
    // A drama opened afresh shows its big play button until it is played.
    this.#started = false;
    this.#ui.stage.dataset.started = 'false';
    return this.#load(source);
  }

  /** Loads `source`, showing the frame at `at` first; `play` (null: the autoplay attribute's say). */
  #load(source, { at = 0, play = null } = {}) {
    const id = ++this.#loadId;
    const isCurrent = () => id === this.#loadId;
    this.#stopPlayback();
    this.#unload();
    this.#setState('loading');
    this.#showProgress(0, 0);
    this.#ui.seek.disabled = true;
    this.#updateControls();
    this.#emit('loadstart');

    this.#font.begin();
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
          onAsset: (assetId, kind) => {
            if (isCurrent()) this.#assetArrived(assetId, kind);
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
        this.#loaded = result;
        this.#font.attach(s, isCurrent).then((when) => when && this.#fontSettled(when === 'after'));
        this.#shotAssets = result.shots;
        // Everything the first phase fetched is in.
        for (const assetId of result.first) this.#arrived.add(assetId);
        this.#timeline = plain(s.timeline());
        this.#format = { width: s.width, height: s.height, fps: s.fps, frameCount: s.frameCount };
        this.#prepareStage();
        this.#position = Math.min(Math.max(at, 0), this.duration);
        this.#drawOpening();
        this.#setState('ready');
        this.#updateControls();
        this.#emit('ready', { problems: this.problems });
        this.#finishLoading(result.rest, isCurrent);
        if (play) this.play();
        else if (play === null && this.autoplay) this.#autoplay();
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
    const range = this.#activeLoop();
    if (this.#position >= this.duration) this.#position = 0;
    if (range && (this.#position < range.start || this.#position >= range.end)) this.#position = range.start;
    this.#paused = false;
    if (this.#poster) {
      this.#poster = false;
      this.#frameGuess = -1; // the frame at the playhead is drawn next, not the poster
    }
    this.#started = true;
    this.#ui.stage.dataset.started = 'true';
    const playId = ++this.#playId;
    this.#updateControls();
    this.#emit('play');
    if (!this.#drawable(this.#position)) {
      this.#beginWaiting(this.#position);
      return Promise.resolve();
    }
    this.#startClock();
    if (!this.#clock.onAudio) {
      resumed.then((running) => {
        if (running && playId === this.#playId) this.#moveClockToAudio();
      });
    }
    this.#raf = requestAnimationFrame(this.#tick);
    return Promise.resolve();
  }

  pause() {
    if (this.#paused) return;
    if (!this.#waiting) this.#position = Math.min(this.#clock.now(), this.duration);
    this.#stopPlayback();
    if (!this.#waiting) this.#render(this.#position);
    this.#updateControls();
    this.#emit('pause');
  }

  async seek(seconds) {
    if (this.#state === 'loading') await this.#loading;
    if (this.#state !== 'ready') throw new Error('no drama is loaded');
    const t = Number(seconds);
    if (!Number.isFinite(t)) throw new RangeError(`cannot seek to ${seconds}`);
    const id = ++this.#seekId;
    this.#position = Math.min(Math.max(t, 0), this.duration);
    this.#playId++;
    this.#poster = false;
    if (this.#drawable(this.#position)) {
      this.#endWaiting();
      this.#render(this.#position, true);
      if (!this.#paused) this.#restartAfterSeek();
    } else {
      this.#beginWaiting(this.#position);
      await new Promise((resolve) => this.#drawWaiters.push(resolve));
      if (id !== this.#seekId) return;
    }
    this.#updateControls();
    this.#emit('timeupdate');
    this.#emit('seeked');
  }

  stepFrame(n) {
    if (this.#state !== 'ready') return Promise.resolve();
    this.pause();
    return this.seekToFrame(this.currentFrame + Math.trunc(n));
  }

  /** Seeks to frame `n` (kept within the episode): its own instant, so that frame is on screen. */
  async seekToFrame(n) {
    if (this.#state === 'loading') await this.#loading;
    if (this.#state !== 'ready') throw new Error('no drama is loaded');
    const frame = Math.min(Math.max(Math.trunc(Number(n)) || 0, 0), Math.max(0, this.#format.frameCount - 1));
    return this.seek(this.#session.frameStart(frame));
  }

  /**
   * Seeks to the first frame that shows what begins at `seconds` (see `firstFrameFrom`):
   * where clicking a line, a shot or a note lands, so its words are on the picture.
   */
  async seekToShow(seconds) {
    if (this.#state === 'loading') await this.#loading;
    const frame = this.firstFrameFrom(seconds);
    if (frame < 0) throw new RangeError(`cannot seek to ${seconds}`);
    return this.seekToFrame(frame);
  }

  /** The frame at `seconds`, `width` pixels wide, once its images are in. */
  async thumbnail(seconds, width = 160) {
    if (this.#state === 'loading') await this.#loading;
    if (this.#state !== 'ready') return null;
    const t = Math.min(Math.max(Number(seconds) || 0, 0), this.duration);
    const w = Math.max(1, Math.round(width));
    if (!this.#drawable(t)) await new Promise((resolve) => this.#thumbWaiters.push({ t, resolve }));
    return this.#thumbnailNow(t, w, true);
  }

  async importSubtitles(file, name = file?.name ?? 'subtitles') {
    if (this.#state === 'loading') await this.#loading;
    if (this.#state !== 'ready') throw new Error('no drama is loaded');
    return importSubtitleFile(this.#session, file, name, this.manifestText);
  }

  async reload(manifestText) {
    if (this.#state === 'loading') await this.#loading;
    if (this.#state !== 'ready' || !this.#loaded) return false;
    const { label, kept } = this.#loaded;
    const at = this.currentTime;
    return this.#load(new KeptSource(String(manifestText), label, kept), { at, play: !this.#paused });
  }

  /**
   * Review notes as markers on the seek bar: `[{id, frame, frame_end?, status, pending?}]`
   * (a range when `frame_end` is past `frame + 1`). A click on one fires `markerclick`
   * with detail `{id}`. Markers belong to the drama loaded: set them again after `ready`.
   */
  setMarkers(markers) {
    const list = Array.isArray(markers) ? markers : [];
    this.#seekBar.setMarkers(list.map((m) => {
      const end = Number.isFinite(m.frame_end) ? m.frame_end : m.frame + 1;
      return { id: m.id, status: m.status, pending: !!m.pending, range: end > m.frame + 1, start: this.frameTime(m.frame), end: this.frameTime(end) };
    }), (id) => this.dispatchEvent(new CustomEvent('markerclick', { detail: { id } })));
  }

  /**
   * Lets the reviewer drag out a range on the seek bar (Shift+drag, or along the markers'
   * lane; Escape cancels), or stops it (`false`). On release it pauses, loops the range
   * (as I and O would) and fires `rangeselect` with detail `{frame, frame_end, start,
   * end}`: the frames under the drag's two ends, `[frame, frame_end)`, and their instants.
   */
  setRangeSelect(on = true) {
    this.#seekBar.setRangeSelect(on ? ({ start, end }) => this.#selectRange(start, end) : null);
  }

  #selectRange(start, end) {
    const s = this.#session;
    if (!s || this.#state !== 'ready') return;
    const last = Math.max(0, this.#format.frameCount - 1);
    const first = Math.min(s.frameAt(start), last);
    const final = Math.min(s.frameAt(end), last);
    this.pause();
    // The loop ends where O would put it, on the last frame's instant: the note takes that frame in.
    this.loopRange = final > first ? { start: s.frameStart(first), end: s.frameStart(final) } : null;
    this.#emit('rangeselect', { frame: first, frame_end: final + 1, start: s.frameStart(first), end: s.frameStart(final + 1) });
  }

  /**
   * The layer drawn topmost at the point `(x, y)` of the picture (fractions of its width
   * and height, see `pictureRect`) in the frame on screen: its index in the shot (the
   * manifest's `shots[i].layers[k]`), by the layers' rectangles as placed at that frame;
   * -1 when no layer is there or nothing is loaded.
   */
  layerAt(x, y) {
    const s = this.#session;
    if (!s || typeof s.layerAt !== 'function' || !Number.isFinite(x) || !Number.isFinite(y)) return -1;
    return s.layerAt(Math.max(0, this.currentFrame), x, y);
  }

  // ---- review: decisions per shot on the seek bar --------------------------------------

  /**
   * Review decisions as a band under the seek bar, one stretch per shot: `[{shot, state}]`,
   * `shot` a shot's id, `state` 'approved' (green), 'changes_requested' (red) or
   * 'pending' (grey); shots left out have none. Like markers, they belong to the drama
   * loaded: set them again after `ready`.
   */
  setShotStates(states) {
    this.#seekBar.setShotStates(Array.isArray(states) ? states : []);
  }

  toggleFullscreen() {
    if (document.fullscreenElement === this) return document.exitFullscreen().catch(() => {});
    if (!this.requestFullscreen) return Promise.resolve();
    return this.requestFullscreen().catch(() => this.#flash('Full screen is not allowed here'));
  }

  /**
   * Adds a group of keys to the `?` overlay (`[{keys: [..], does}]` under `title`), as
   * the review adds its own; a group given again by the same title is replaced.
   */
  addShortcuts(title, list) {
    const { help } = this.#ui;
    help.querySelector(`table[data-group="${CSS.escape(title)}"]`)?.remove();
    const table = shortcutTable(list, title);
    table.dataset.group = title;
    help.querySelector('.shortcuts-foot').before(table);
  }

  showShortcuts() {
    const { help, helpClose } = this.#ui;
    if (help.open) return;
    help.showModal();
    helpClose.focus();
  }

  // ---- public API: review (./review/embed.js, imported only when asked) -----------------

  /**
   * The review link: `{server, share | owner, password?, name?, version?}` set here, else
   * the one the `review` attribute gives; null without review. Setting it (null: off)
   * starts review afresh; an option set here wins over the attribute and keeps the token
   * out of the DOM.
   */
  get review() {
    if (this.#reviewOption) return { ...this.#reviewOption };
    if (!this.hasAttribute('review')) return null;
    try {
      return this.#attributeOption();
    } catch {
      return null;
    }
  }

  set review(option) {
    if (option !== null && option !== undefined && typeof option !== 'object' && typeof option !== 'string') {
      throw new TypeError('review: {server, share} or {server, owner}, "share:<token>", or null');
    }
    // A string reads as the attribute does ("share:<token>"); a bad one throws here.
    this.#reviewOption = typeof option === 'string' ? this.#parseReview(option) : option ? { ...option } : null;
    this.#restartReview();
  }

  /** 'off' | 'starting' | 'ready' | 'error'. */
  get reviewState() {
    return this.#reviewState;
  }

  /** Resolves once review is on (the notes are in; the version is loading); rejects when it cannot start. null while off. */
  get reviewReady() {
    return this.#reviewReady;
  }

  /** `{name, role}` of the reviewer signed in, or null. */
  get reviewer() {
    return this.#reviewOn()?.reviewer ?? null;
  }

  /** The notes, in frame order, replies after their notes (copies of the store's records); null while review is not on. */
  get comments() {
    return this.#reviewOn()?.comments ?? null;
  }

  /** The latest decision per target (the version, a shot, a line); null while review is not on. */
  get decisions() {
    return this.#reviewOn()?.decisions ?? null;
  }

  /**
   * For a page that shows the review its own way (the previewer page's panels): the
   * store (./review/store.js) once review is on, else null.
   */
  get reviewStore() {
    return this.#reviewOn()?.store ?? null;
  }

  /** Whether the element shows the review itself (markers, drawings, shot states); true by default. */
  get reviewView() {
    return this.#reviewView;
  }

  set reviewView(on) {
    this.#reviewView = Boolean(on);
    if (this.#review) this.#review.view = this.#reviewView;
  }

  /** A new note (see the header): resolves with its record once written (pending until the server has it). */
  async addComment(note) {
    return (await this.#reviewWrite()).addComment(note ?? {});
  }

  async reply(id, body) {
    return (await this.#reviewWrite()).reply(id, body);
  }

  async resolveComment(id) {
    return (await this.#reviewWrite()).resolveComment(id);
  }

  async reopenComment(id) {
    return (await this.#reviewWrite()).reopenComment(id);
  }

  /** A verdict on `'version'` or `{shot, line?}`: resolves with the decision's record. */
  async decide(target, verdict, note = '') {
    return (await this.#reviewWrite()).decide(target, verdict, note);
  }

  #review = null;
  #reviewOption = null;
  #reviewState = 'off';
  #reviewReady = null;
  #reviewView = true;

  #reviewAsked() {
    return Boolean(this.#reviewOption) || this.hasAttribute('review');
  }

  #reviewOn() {
    return this.#reviewState === 'ready' ? this.#review : null;
  }

  /** Waits for review and for the version, then gives the review to write through. */
  async #reviewWrite() {
    if (!this.#reviewReady) throw new Error('review is off: give the element a review attribute or option');
    await this.#reviewReady;
    if (this.#state === 'loading') await this.#loading;
    return this.#review;
  }

  #attributeOption() {
    return this.#parseReview(this.getAttribute('review'));
  }

  #parseReview(text) {
    const m = /^\s*(share|owner):(\S+)\s*$/.exec(String(text ?? ''));
    if (!m) throw new Error('the review attribute is "share:<token>" or "owner:<token>"');
    const option = { [m[1]]: m[2] };
    if (this.hasAttribute('review-server')) option.server = this.getAttribute('review-server');
    if (this.hasAttribute('review-name')) option.name = this.getAttribute('review-name');
    return option;
  }

  /** Review starts afresh (once for several attributes changed together). */
  #restartReview() {
    this.#review?.close();
    this.#review = null;
    if (!this.#reviewAsked()) {
      this.#reviewState = 'off';
      this.#reviewReady = null;
      return;
    }
    this.#reviewState = 'starting';
    let settle;
    this.#reviewReady = new Promise((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Rejections are reported through `reviewerror` too: not an unhandled rejection.
    this.#reviewReady.catch(() => {});
    const ready = this.#reviewReady;
    const current = () => ready === this.#reviewReady;
    queueMicrotask(async () => {
      if (!current()) return;
      try {
        const option = this.#reviewOption ?? this.#attributeOption();
        const { EmbeddedReview } = await import('./review/embed.js');
        if (!current()) return;
        const review = new EmbeddedReview(this, (type, detail) => this.#emit(type, detail));
        review.view = this.#reviewView;
        this.#review = review;
        await review.open(option, () => {
          if (!current()) return;
          this.#reviewState = 'ready';
          settle.resolve();
          this.#emit('reviewready', { ...review.reviewer });
        });
        if (!current()) review.close();
      } catch (err) {
        if (!current()) return;
        this.#review?.close();
        this.#review = null;
        this.#reviewState = 'error';
        const message = `Review could not start: ${messageOf(err)}`;
        settle.reject(new Error(message));
        this.#emit('reviewerror', { message });
        // The player plays on: what `src` names, if anything.
        if (this.src && this.#state === 'empty') this.load(this.src);
      }
    });
  }

  // ---- internals: the play loop -----------------------------------------------------

  #tick = () => {
    this.#raf = 0;
    if (this.#paused || this.#waiting || !this.#session) return;
    let t = this.#clock.now();
    const range = this.#activeLoop();
    if (range && t >= range.end) {
      // Round again: the loop's start plays next, picture and sound re-anchored there.
      this.#position = range.start;
      this.#playId++;
      this.#startClock();
      t = range.start;
    } else if (t >= this.duration) {
      this.#finish();
      return;
    }
    if (!this.#drawable(t)) {
      this.#beginWaiting(t);
      return;
    }
    if (this.#render(t)) {
      this.#updateControls(t);
      this.#emit('timeupdate');
    }
    if (!this.#paused) this.#raf = requestAnimationFrame(this.#tick);
  };

  /** The range playback loops over: the loop range, else the episode when `loop` is set. */
  #activeLoop() {
    if (this.#loopRange) return this.#loopRange;
    return this.loop && this.duration > 0 ? { start: 0, end: this.duration } : null;
  }

  /** Anchors the clock at #position on the audio clock when it runs, and schedules the sound. */
  #startClock() {
    const ctx = this.#audio.context;
    if (ctx && ctx.state === 'running') {
      const when = ctx.currentTime + SCHEDULE_LEAD;
      this.#clock.startOnAudio(ctx, this.#position, when, this.#rate);
      this.#audio.schedule(this.#timeline.audio ?? [], this.#position, when, this.#rate);
    } else {
      this.#audio.stop();
      this.#clock.startOnPerformance(this.#position, this.#rate);
    }
  }

  /**
   * Stretches the sounds for the current speed; once ready, the sound hands over to them
   * without a seam, and the picture's clock goes on untouched (restarting it held the
   * picture for the scheduling lead).
   */
  #keepPitch() {
    const r = this.#rate;
    this.#audio.prepareRate(r).then((ready) => {
      if (ready && r === this.#rate && r !== 1 && !this.#paused && !this.#waiting && this.#clock.onAudio) {
        const when = this.#audio.context.currentTime + SCHEDULE_LEAD;
        const from = this.#clock.atContextTime(when);
        if (from < this.duration) this.#audio.handOver(this.#timeline.audio ?? [], from, when, r);
      }
    });
  }

  #restartAfterSeek() {
    this.#startClock();
    if (!this.#raf) this.#raf = requestAnimationFrame(this.#tick);
  }

  /** Audio became available mid-play: carry on from the current instant with sound. */
  #moveClockToAudio() {
    if (this.#paused || this.#waiting || this.#clock.onAudio) return;
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

  // ---- internals: progressive loading and waiting -----------------------------------

  /** True when every image drawn at `t` is in (or known to be missing). */
  #drawable(t) {
    if (this.#loadComplete || !this.#session) return true;
    try {
      return this.#session.waitingFor(t).length === 0;
    } catch {
      return true; // the render will report the crash
    }
  }

  /** Holds the last frame and shows the buffering state until `t` can be drawn. */
  #beginWaiting(t) {
    this.#position = t;
    this.#audio.stop();
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    this.#ui.stage.dataset.waiting = 'true';
    this.#updateControls(t);
    if (!this.#waiting) {
      this.#waiting = true;
      this.#emit('waiting');
    }
  }

  /** Stops waiting; the seeks that waited settle (the frame is drawn next, or they were superseded). */
  #endWaiting() {
    for (const resolve of this.#drawWaiters.splice(0)) resolve();
    if (!this.#waiting) return false;
    this.#waiting = false;
    this.#ui.stage.dataset.waiting = 'false';
    return true;
  }

  #assetArrived(assetId, kind) {
    this.#arrived.add(assetId);
    this.#shotAssets.forEach((_, i) => this.#seekBar.setLoaded(i, this.#shotLoaded(i)));
    if (kind === 'audio' && this.#rate !== 1) this.#keepPitch();
    if (kind === 'audio' && !this.#paused && !this.#waiting && this.#clock.onAudio) {
      // A sound decoded after playback started joins in where the episode is now.
      const ctx = this.#audio.context;
      const when = ctx.currentTime + SCHEDULE_LEAD;
      const from = Math.min(this.#clock.atContextTime(when), this.duration);
      this.#audio.schedule(this.#timeline.audio ?? [], from, when, this.#rate, assetId);
    }
    this.#checkWaiters();
  }

  /** Anything held back for images that may now be in: playback, seeks, thumbnails. */
  #checkWaiters() {
    if (this.#waiting && this.#drawable(this.#position)) {
      this.#endWaiting();
      this.#render(this.#position, true);
      this.#updateControls();
      if (!this.#paused) {
        this.#restartAfterSeek();
        this.#emit('playing');
      }
    }
    const ready = this.#thumbWaiters.filter((w) => this.#drawable(w.t));
    this.#thumbWaiters = this.#thumbWaiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
    this.#seekBar.refresh();
  }

  #shotLoaded(i) {
    if (this.#loadComplete) return true;
    const shot = this.#shotAssets[i];
    return Boolean(shot) && shot.images.every((id) => this.#arrived.has(id));
  }

  async #finishLoading(rest, isCurrent) {
    this.#shotAssets.forEach((_, i) => this.#seekBar.setLoaded(i, this.#shotLoaded(i)));
    let problems;
    try {
      problems = await rest;
    } catch {
      return; // superseded
    }
    if (!isCurrent() || !this.#session) return;
    this.#loadComplete = true;
    this.#problems = problems;
    // The final resolve may have learnt the music's lengths: take its timeline.
    const timeline = plain(this.#session.timeline());
    if (JSON.stringify(timeline) !== JSON.stringify(this.#timeline)) {
      this.#timeline = timeline;
      if (!this.#paused && !this.#waiting) {
        this.#position = Math.min(this.#clock.now(), this.duration);
        this.#startClock();
      }
    }
    this.#shotAssets.forEach((_, i) => this.#seekBar.setLoaded(i, true));
    this.#checkWaiters();
    this.#emit('canplaythrough', { problems: this.problems });
  }

  /** The font is in (or failed): words on the frame on screen (`redraw`), and the text warnings. */
  #fontSettled(redraw) {
    if (!this.#session) return;
    const failed = this.#font.state === 'error';
    this.#problems = this.#loaded.problemsNow();
    if (redraw && !failed && !this.#waiting) {
      this.#render(this.#poster ? this.#session.frameStart(this.#frame) : this.currentTime, true);
    }
    showNotice(this.#ui, failed ? 'Words are not shown: the built-in font did not load.' : '');
    this.#emit(failed ? 'fonterror' : 'fontready', { problems: this.problems });
  }

  // ---- internals: drawing -----------------------------------------------------------

  /**
   * The first picture of a drama just opened: at the start, the poster (the first frame
   * after the intro, whose frames fade in from a colour) when its images are in, as a
   * video shows its poster until it plays; elsewhere (a reload mid-episode) the frame there.
   */
  #drawOpening() {
    const poster = this.#position === 0 ? this.#session.posterFrame : 0;
    if (poster > 0 && this.#drawable(this.#session.frameStart(poster))) {
      this.#render(this.#session.frameStart(poster), true);
      this.#poster = true;
    } else {
      this.#render(this.#position, true);
    }
  }

  /** The frame at the playhead (what plays first; the poster may be on the canvas instead). */
  #playheadFrame() {
    if (!this.#session) return -1;
    return Math.min(this.#session.frameAt(this.#position), Math.max(0, this.#format.frameCount - 1));
  }

  /** Draws the frame on screen at `t` unless it is already there (or `force`). */
  #render(t, force = false) {
    const s = this.#session;
    if (!s) return false;
    const { frameCount, width, height } = this.#format;
    const last = Math.max(0, frameCount - 1);
    // The frame number gates the render (the core counts it, at the drama's rational rate).
    const guess = t >= this.duration ? last : Math.min(s.frameAt(t), last);
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

  /** The thumbnail at `t` now, or null when its images are not in; `copy` detaches it from wasm memory. */
  #thumbnailNow(t, width, copy) {
    const s = this.#session;
    if (!s || this.#state !== 'ready' || !this.#drawable(t)) return null;
    try {
      const height = s.renderThumbnail(Math.min(t, Math.max(0, this.duration - 1e-6)), width);
      if (!height) return null;
      const view = new Uint8ClampedArray(this.#core.memory.buffer, s.thumbnailPtr(), width * height * 4);
      return new ImageData(copy ? view.slice() : view, width, height);
    } catch (err) {
      this.#crash(err);
      return null;
    }
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
    this.#loaded = null;
    showNotice(this.#ui, '');
    this.#timeline = null;
    this.#format = { width: 0, height: 0, fps: 0, frameCount: 0 };
    this.#problems = [];
    this.#title = '';
    this.#position = 0;
    this.#frame = -1;
    this.#frameGuess = -1;
    this.#poster = false;
    this.#shotAssets = [];
    this.#arrived = new Set();
    this.#loadComplete = false;
    this.#endWaiting();
    for (const w of this.#thumbWaiters.splice(0)) w.resolve();
    this.#loopRange = null;
    this.#showLoop();
    this.#seekBar.layout(null);
  }

  #prepareStage() {
    const { canvas, frame, seek } = this.#ui;
    const { width, height } = this.#format;
    canvas.width = width;
    canvas.height = height;
    frame.style.setProperty('--aspect', String(width / height));
    seek.max = String(this.duration);
    seek.disabled = false;
    this.#seekBar.layout(this.#timeline);
  }

  #fail() {
    showErrorDetail(this.#ui, this.#problems);
    this.#ui.seek.disabled = true;
    this.#endWaiting();
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
    const { playButton, stage, seek } = this.#ui;
    const playing = !this.#paused;
    playButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    playButton.dataset.playing = String(playing);
    stage.dataset.playing = String(playing);
    playButton.disabled = this.#state !== 'ready';
    // The frame on screen, not the instant asked for (between two frames' starts); the
    // core counts frames at the drama's rational rate.
    const s = this.#session;
    this.#readout.show(this.currentFrame, s && {
      frameTime: (n) => s.frameStart(n),
      timecode: (n) => s.timecode(n),
      duration: this.duration,
      lastFrame: Math.max(0, this.#format.frameCount - 1),
    });
    if (!this.#seekBar.dragging) seek.value = String(t);
    seek.style.setProperty('--played', `${this.duration > 0 ? (100 * Number(seek.value)) / this.duration : 0}%`);
    seek.setAttribute('aria-valuetext', `${spokenTime(t)} of ${spokenTime(this.duration)}`);
  }

  #showVolume() {
    const { muteButton, volume, unmute } = this.#ui;
    const muted = this.#audio.muted;
    muteButton.setAttribute('aria-pressed', String(muted));
    volume.value = String(this.#audio.volume);
    volume.setAttribute('aria-valuetext', muted ? 'muted' : `${Math.round(this.#audio.volume * 100)} %`);
    volume.style.setProperty('--level', `${muted ? 0 : this.#audio.volume * 100}%`);
    unmute.hidden = !this.#autoMuted;
  }

  #showLoop() {
    if (!this.#ui) return;
    const { loopButton } = this.#ui;
    const range = this.#loopRange;
    loopButton.setAttribute('aria-pressed', String(Boolean(range) || this.loop));
    loopButton.dataset.mode = range ? 'range' : this.loop ? 'episode' : 'off';
    loopButton.title = range
      ? `Looping ${formatTime(range.start)} – ${formatTime(range.end)} (click to stop)`
      : this.loop ? 'Looping the episode (click to stop)' : 'Loop the episode';
    this.#seekBar?.setLoop(range);
  }

  #remember() {
    if (!this.#autoMuted) savePrefs({ volume: this.#audio.volume, muted: this.#audio.muted });
  }

  /** A word over the picture for a moment ("1.5×", "Loop shot"), also read out. */
  #flash(text) {
    const { osd } = this.#ui;
    osd.textContent = text;
    osd.dataset.show = 'true';
    clearTimeout(this.#osdTimer);
    this.#osdTimer = setTimeout(() => {
      osd.dataset.show = 'false';
    }, 900);
  }

  #emit(type, detail) {
    this.dispatchEvent(detail === undefined ? new Event(type) : new CustomEvent(type, { detail }));
  }

  // ---- internals: autoplay ----------------------------------------------------------

  /** Plays at once; when the browser holds sound back, plays muted with an unmute button. */
  async #autoplay() {
    const loadId = this.#loadId;
    const running = await Promise.race([this.#audio.resume(), sleep(AUTOPLAY_GRACE_MS).then(() => false)]);
    if (loadId !== this.#loadId || this.#state !== 'ready') return;
    if (!running && !this.#audio.muted) {
      this.#audio.muted = true;
      this.#autoMuted = true;
      this.#showVolume();
      this.#emit('volumechange');
    }
    this.play();
  }

  // ---- internals: scrubbing (the controls are wired in ./player/controls.js) ---------

  /** Dragging the seek bar: one frame per animation frame, the last one always shown. */
  #scrubTo(t) {
    this.#position = Math.min(Math.max(t, 0), this.duration);
    this.#seekId++;
    this.#poster = false;
    if (!this.#drawable(this.#position)) {
      this.#beginWaiting(this.#position);
      return;
    }
    this.#endWaiting();
    this.#updateControls(this.#position);
    if (this.#scrubRaf) return;
    this.#scrubRaf = requestAnimationFrame(() => {
      this.#scrubRaf = 0;
      if (this.#waiting) return;
      this.#render(this.#position);
      this.#updateControls(this.#position);
      this.#emit('timeupdate');
    });
  }
}

function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

if (!customElements.get('manju-player')) customElements.define('manju-player', ManjuPlayer);
