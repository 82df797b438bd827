// The playback position while playing. It is always derived from elapsed time on one
// clock since an anchor — never accumulated frame by frame — so a slow frame or a
// background tab costs frames, not sync. While sound plays the clock is the
// AudioContext's, so the picture follows what is heard; without a running context it is
// performance.now().

export class PlaybackClock {
  /** episode seconds at the anchor */
  #origin = 0;
  /** the anchor on the driving clock, in that clock's seconds */
  #anchor = 0;
  /** @type {AudioContext | null} the context driving the clock, or null for performance.now */
  #audio = null;

  /** Episode instant `origin` is heard at context time `when` (≥ the context's now). */
  startOnAudio(context, origin, when) {
    this.#audio = context;
    this.#origin = origin;
    this.#anchor = when;
  }

  /** Episode instant `origin` is now. */
  startOnPerformance(origin) {
    this.#audio = null;
    this.#origin = origin;
    this.#anchor = performanceSeconds();
  }

  /** True while the AudioContext drives the clock. */
  get onAudio() {
    return this.#audio !== null;
  }

  /** The episode instant on screen now. */
  now() {
    const ctx = this.#audio;
    if (ctx) {
      if (ctx.state === 'running') {
        // currentTime is what the context is computing; the speakers are outputLatency
        // behind it.
        const heard = ctx.currentTime - (ctx.outputLatency || 0);
        return this.#origin + Math.max(0, heard - this.#anchor);
      }
      // The context stopped (device lost, interrupted): carry on from here on the wall clock.
      this.startOnPerformance(this.#origin + Math.max(0, ctx.currentTime - this.#anchor));
    }
    return this.#origin + Math.max(0, performanceSeconds() - this.#anchor);
  }
}

function performanceSeconds() {
  return performance.now() / 1000;
}
