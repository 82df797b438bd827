// Sound through the Web Audio API: every audio asset decoded once, and the timeline's
// audio cues (voices, sound effects, music) scheduled against the AudioContext clock
// from a given episode position. Seeking or pausing stops everything; playing again
// reschedules from the new position, so there is no state to drift.
//
// Playback rate: start and stop times are divided by the rate. Each sound is played
// from a copy time-stretched to that speed with its pitch kept (./stretch.js, computed
// once per speed in a worker) at playbackRate 1. Until a copy is ready (a second or so
// for a long music track) the original plays at `playbackRate = rate`, which keeps the
// sync but moves the pitch with the speed, as AudioBufferSourceNode resamples.

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
  #volume = 1;
  /** rate → (asset id → AudioBuffer stretched to that speed, pitch kept) */
  #stretched = new Map();
  /** @type {Worker | null | undefined} undefined until first needed, null where unavailable */
  #worker;
  /** job id → {rate, resolve} of the stretches the worker has been asked for */
  #jobs = new Map();
  #jobId = 0;
  /** `${rate}:${asset id}` → the promise of that copy, while it is being made */
  #inflight = new Map();

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

  /** True once the sound of asset `id` is decoded. */
  has(id) {
    return this.#buffers.has(id);
  }

  /** Mutes or unmutes everything (the cues keep their schedule). */
  set muted(muted) {
    this.#muted = Boolean(muted);
    this.#applyGain();
  }

  get muted() {
    return this.#muted;
  }

  /** The master volume, 0 to 1 (muting keeps it). */
  set volume(volume) {
    this.#volume = Math.min(1, Math.max(0, Number(volume) || 0));
    this.#applyGain();
  }

  get volume() {
    return this.#volume;
  }

  #applyGain() {
    if (this.#output) this.#output.gain.value = this.#muted ? 0 : this.#volume;
  }

  /** Forgets every decoded sound (a new drama is loading). */
  clear() {
    this.stop();
    this.#cancelStretching();
    this.#buffers.clear();
    this.#stretched.clear();
  }

  /**
   * Makes pitch-keeping copies of every sound for `rate` (dropping other speeds' copies,
   * and the work under way for them). Resolves true once all are ready (at once for 1×),
   * false where it cannot be done or another speed was asked for meanwhile.
   *
   * The worker stretches one sound at a time, shortest first (the voices before the
   * music). Work for a speed no longer wanted is abandoned — the worker is stopped and a
   * fresh one takes the new speed — for a reviewer who clicks from 0.5× to 1.5× must not
   * wait for the 0.5× copy of a long track first: on a slow machine a queue of unwanted
   * copies grew with every change and the wanted one never came.
   */
  async prepareRate(rate) {
    if ([...this.#jobs.values()].some((job) => job.rate !== rate)) this.#cancelStretching();
    if (rate === 1) {
      this.#stretched.clear();
      return true;
    }
    for (const r of this.#stretched.keys()) if (r !== rate) this.#stretched.delete(r);
    if (!this.#stretched.has(rate)) this.#stretched.set(rate, new Map());
    const done = this.#stretched.get(rate);
    const todo = [...this.#buffers].filter(([id]) => !done.has(id)).sort(([, a], [, b]) => a.length - b.length);
    const jobs = todo.map(([id, buffer]) => {
      const key = `${rate}:${id}`;
      let job = this.#inflight.get(key);
      if (!job || job.buffer !== buffer) {
        const promise = this.#stretch(buffer, rate).then((stretched) => {
          if (this.#inflight.get(key) === job) this.#inflight.delete(key);
          if (stretched && this.#stretched.get(rate) === done && this.#buffers.get(id) === buffer) done.set(id, stretched);
        });
        job = { buffer, promise };
        this.#inflight.set(key, job);
      }
      return job.promise;
    });
    await Promise.all(jobs);
    return this.#stretched.get(rate) === done && [...this.#buffers.keys()].every((id) => done.has(id));
  }

  /** Abandons every stretch asked of the worker (their promises resolve to null). */
  #cancelStretching() {
    if (this.#jobs.size > 0 && this.#worker) {
      this.#worker.terminate();
      this.#worker = undefined;
    }
    for (const { resolve } of this.#jobs.values()) resolve(null);
    this.#jobs.clear();
    this.#inflight.clear();
  }

  /** True when every sound has its pitch-keeping copy for `rate`. */
  keepsPitch(rate) {
    if (rate === 1) return true;
    const done = this.#stretched.get(rate);
    return Boolean(done) && [...this.#buffers.keys()].every((id) => done.has(id));
  }

  async #stretch(buffer, rate) {
    const ctx = this.#context;
    const worker = this.#stretchWorker();
    if (!ctx || !worker) return null;
    const id = ++this.#jobId;
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice());
    const result = await new Promise((resolve) => {
      this.#jobs.set(id, { rate, resolve });
      worker.postMessage({ id, channels, sampleRate: buffer.sampleRate, rate }, channels.map((c) => c.buffer));
    });
    if (!result || result[0].length === 0) return null;
    const out = ctx.createBuffer(result.length, result[0].length, buffer.sampleRate);
    result.forEach((data, c) => out.copyToChannel(data, c));
    return out;
  }

  #stretchWorker() {
    if (this.#worker === undefined) {
      try {
        this.#worker = new Worker(new URL('./stretch-worker.js', import.meta.url), { type: 'module' });
        const worker = this.#worker;
        worker.addEventListener('message', (e) => {
          this.#jobs.get(e.data.id)?.resolve(e.data.channels);
          this.#jobs.delete(e.data.id);
        });
        worker.addEventListener('error', () => {
          if (this.#worker !== worker) return;
          // No stretching here: the originals play with the pitch moving with the speed.
          for (const { resolve } of this.#jobs.values()) resolve(null);
          this.#jobs.clear();
          this.#worker = null;
        });
      } catch {
        this.#worker = null;
      }
    }
    return this.#worker;
  }

  /**
   * Starts the cues that sound at or after episode instant `from`, with `from` heard at
   * context time `when`. A cue already under way starts at once, part-way through.
   * @param cues the timeline's `audio` entries (seconds on the episode timeline)
   * @param rate episode seconds per context second
   * @param only when given, schedule only the cues of this asset and keep what plays
   *   (a sound that finished decoding after playback started joins in)
   */
  schedule(cues, from, when, rate = 1, only = null) {
    const ctx = this.#context;
    if (!ctx) return;
    if (only === null) this.stop();
    this.#start(cues, from, when, rate, only);
  }

  /**
   * Hands over to new sources for the same cues — the pitch-keeping copies that just came —
   * on the same clock: what plays now stops at context time `when`, exactly where the new
   * sources start from episode instant `from`, so the sound has neither gap nor overlap and
   * the picture's clock does not move.
   */
  handOver(cues, from, when, rate) {
    const ctx = this.#context;
    if (!ctx) return;
    for (const source of this.#sources) {
      try {
        source.stop(when);
      } catch {
        // Already stopped.
      }
    }
    this.#start(cues, from, when, rate, null);
  }

  #start(cues, from, when, rate, only) {
    const ctx = this.#context;
    const toContext = (at) => when + (at - from) / rate;
    for (const cue of cues) {
      if (only !== null && cue.asset !== only) continue;
      const buffer = this.#buffers.get(cue.asset);
      // No buffer: the asset was missing or undecodable, and it plays silence.
      if (!buffer) continue;
      // A cue whose length the core could not read (end ≤ start) plays the whole clip.
      const end = cue.end > cue.start ? cue.end : cue.start + buffer.duration - (cue.offset ?? 0);
      if (end <= from) continue;
      let offset = (cue.offset ?? 0) + Math.max(0, from - cue.start);
      if (cue.loop) offset %= buffer.duration;
      else if (offset >= buffer.duration) continue;

      // The pitch-keeping copy plays at rate 1 from the same point of the sound, which
      // sits 1/rate as far into it.
      const stretched = rate === 1 ? null : this.#stretched.get(rate)?.get(cue.asset);
      const source = ctx.createBufferSource();
      source.buffer = stretched ?? buffer;
      source.loop = Boolean(cue.loop);
      source.playbackRate.value = stretched ? 1 : rate;
      const gain = ctx.createGain();
      applyEnvelope(gain.gain, envelopeOf({ ...cue, end }), Math.max(from, cue.start), toContext);
      source.connect(gain).connect(this.#outputNode(ctx));
      source.addEventListener('ended', () => {
        gain.disconnect();
        this.#sources.delete(source);
      });
      source.start(toContext(Math.max(from, cue.start)), stretched ? offset / rate : offset);
      source.stop(toContext(end));
      this.#sources.add(source);
    }
  }

  #outputNode(ctx) {
    if (!this.#output) {
      this.#output = ctx.createGain();
      this.#output.gain.value = this.#muted ? 0 : this.#volume;
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
    this.#worker?.terminate();
    this.#worker = undefined;
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

/** Writes the envelope from episode instant `t0` on; `toContext` maps episode to context time. */
function applyEnvelope(param, points, t0, toContext) {
  const first = gainAt(points, t0);
  param.value = first;
  param.setValueAtTime(first, toContext(t0));
  for (const point of points) {
    if (point.at > t0) param.linearRampToValueAtTime(point.gain, toContext(point.at));
  }
}
