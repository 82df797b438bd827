// Sound through the Web Audio API: every audio asset decoded once, and the timeline's
// audio cues (voices, sound effects, music) scheduled against the AudioContext clock
// from a given episode position. Seeking or pausing stops everything; playing again
// reschedules from the new position, so there is no state to drift.

export class AudioEngine {
  /** @type {AudioContext | null} */
  #context = null;
  /** asset id → AudioBuffer */
  #buffers = new Map();
  /** sources started by the last `schedule` and not yet ended */
  #sources = new Set();
  /** every cue goes through this node, so muting is one switch */
  #output = null;
  #muted = false;

  /** The context, created on first use; null where the browser has no Web Audio. */
  get context() {
    if (!this.#context) {
      const Context = globalThis.AudioContext ?? globalThis.webkitAudioContext;
      if (Context) {
        try {
          this.#context = new Context();
        } catch {
          // Too many contexts, or audio disabled: the player plays silently.
        }
      }
    }
    return this.#context;
  }

  /** True while the context's clock advances (not suspended by an autoplay policy). */
  get running() {
    return this.#context?.state === 'running';
  }

  /** Asks the browser to start audio; call from a user gesture. Resolves to `running`. */
  async resume() {
    const ctx = this.context;
    if (!ctx) return false;
    if (ctx.state !== 'running') {
      try {
        await ctx.resume();
      } catch {
        return false;
      }
    }
    return ctx.state === 'running';
  }

  /** Decodes `bytes` (left untouched) into an AudioBuffer; null without Web Audio. */
  async decode(bytes) {
    const ctx = this.context;
    if (!ctx) return null;
    // decodeAudioData detaches the buffer it is given: hand it a copy.
    return ctx.decodeAudioData(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  /** The sound of asset `id`. */
  add(id, buffer) {
    if (buffer) this.#buffers.set(id, buffer);
  }

  /** Mutes or unmutes everything (the cues keep their schedule). */
  set muted(muted) {
    this.#muted = Boolean(muted);
    if (this.#output) this.#output.gain.value = this.#muted ? 0 : 1;
  }

  get muted() {
    return this.#muted;
  }

  /** Forgets every decoded sound (a new drama is loading). */
  clear() {
    this.stop();
    this.#buffers.clear();
  }

  /**
   * Starts the cues that sound at or after episode instant `from`, with `from` heard at
   * context time `when`. A cue already under way starts at once, part-way through.
   * @param cues the timeline's `audio` entries (seconds on the episode timeline)
   */
  schedule(cues, from, when) {
    const ctx = this.#context;
    if (!ctx) return;
    this.stop();
    for (const cue of cues) {
      const buffer = this.#buffers.get(cue.asset);
      // No buffer: the asset was missing or undecodable, and it plays silence.
      if (!buffer) continue;
      // A cue whose length the core could not read (end ≤ start) plays the whole clip.
      const end = cue.end > cue.start ? cue.end : cue.start + buffer.duration - (cue.offset ?? 0);
      if (end <= from) continue;
      let offset = (cue.offset ?? 0) + Math.max(0, from - cue.start);
      if (cue.loop) offset %= buffer.duration;
      else if (offset >= buffer.duration) continue;

      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.loop = Boolean(cue.loop);
      const gain = ctx.createGain();
      applyEnvelope(gain.gain, envelopeOf({ ...cue, end }), Math.max(from, cue.start), from, when);
      source.connect(gain).connect(this.#outputNode(ctx));
      source.addEventListener('ended', () => {
        gain.disconnect();
        this.#sources.delete(source);
      });
      source.start(when + Math.max(0, cue.start - from), offset);
      source.stop(when + (end - from));
      this.#sources.add(source);
    }
  }

  #outputNode(ctx) {
    if (!this.#output) {
      this.#output = ctx.createGain();
      this.#output.gain.value = this.#muted ? 0 : 1;
      this.#output.connect(ctx.destination);
    }
    return this.#output;
  }

  /** Silences everything that `schedule` started. */
  stop() {
    for (const source of this.#sources) {
      try {
        source.stop();
      } catch {
        // Already stopped.
      }
      source.disconnect();
    }
    this.#sources.clear();
  }

  /** Releases the audio device. */
  close() {
    this.clear();
    this.#context?.close().catch(() => {});
    this.#context = null;
    this.#output = null;
  }
}

/**
 * The cue's gain over episode time as points ramped linearly, held flat before the first
 * and after the last. The core gives the music its full envelope in `gain` (fades and
 * ducking under voices, `volume` already multiplied in); other cues play at `volume`.
 */
export function envelopeOf(cue) {
  if (Array.isArray(cue.gain) && cue.gain.length > 0) return cue.gain;
  const volume = cue.volume ?? 1;
  const fadeIn = cue.fade_in ?? 0;
  const fadeOut = cue.fade_out ?? 0;
  if (fadeIn <= 0 && fadeOut <= 0) return [{ at: cue.start, gain: volume }];
  // A core that sends no envelope still gets its fades.
  const points = [];
  if (fadeIn > 0) points.push({ at: cue.start, gain: 0 }, { at: cue.start + fadeIn, gain: volume });
  else points.push({ at: cue.start, gain: volume });
  if (fadeOut > 0) points.push({ at: Math.max(cue.start, cue.end - fadeOut), gain: volume }, { at: cue.end, gain: 0 });
  return points;
}

/** The envelope's value at episode instant `t`. */
export function gainAt(points, t) {
  if (t <= points[0].at) return points[0].gain;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (t < b.at) return a.gain + ((b.gain - a.gain) * (t - a.at)) / (b.at - a.at);
  }
  return points[points.length - 1].gain;
}

/** Writes the envelope from episode instant `t0` on, mapping `from` to context time `when`. */
function applyEnvelope(param, points, t0, from, when) {
  const toContext = (at) => when + (at - from);
  const first = gainAt(points, t0);
  param.value = first;
  param.setValueAtTime(first, toContext(t0));
  for (const point of points) {
    if (point.at > t0) param.linearRampToValueAtTime(point.gain, toContext(point.at));
  }
}
