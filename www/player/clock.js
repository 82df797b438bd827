// The playback position while playing. It is always derived from elapsed time on one
// clock since an anchor — never accumulated frame by frame — so a slow frame or a
// background tab costs frames, not sync. While sound plays the clock is the
// AudioContext's, so the picture follows what is heard; without a running context it is
// performance.now(). At a playback rate r, episode time runs r times as fast as the
// driving clock; a change of rate re-anchors (the player restarts the clock), so the
// position stays a pure function of one anchor and one rate.

export class PlaybackClock {
  /** episode seconds at the anchor */
  #origin = 0;
  /** the anchor on the driving clock, in that clock's seconds */
  #anchor = 0;
  /** episode seconds per second of the driving clock */
  #rate = 1;
  /** @type {AudioContext | null} the context driving the clock, or null for performance.now */
  #audio = null;

  /** Episode instant `origin` is heard at context time `when` (≥ the context's now). */
  startOnAudio(context, origin, when, rate = 1) {
    this.#audio = context;
    this.#origin = origin;
    this.#anchor = when;
    this.#rate = rate;
  }

  /** Episode instant `origin` is now. */
  startOnPerformance(origin, rate = 1) {
    this.#audio = null;
    this.#origin = origin;
    this.#anchor = performanceSeconds();
    this.#rate = rate;
  }

  /** True while the AudioContext drives the clock. */
  get onAudio() {
    return this.#audio !== null;
  }

  get rate() {
    return this.#rate;
  }

  /**
   * The episode instant the sound scheduled for context time `when` plays (the clock's own
   * mapping, ahead of what is heard now by the output latency): where a source started
   * at `when` must start to join what plays without a seam. Only while `onAudio`.
   */
  atContextTime(when) {
    return this.#origin + this.#rate * Math.max(0, when - this.#anchor);
  }

  /** The episode instant on screen now. */
  now() {
    const ctx = this.#audio;
    if (ctx) {
      if (ctx.state === 'running') {
        // currentTime is what the context is computing; the speakers are outputLatency
        // behind it.
        const heard = ctx.currentTime - (ctx.outputLatency || 0);
        return this.#origin + this.#rate * Math.max(0, heard - this.#anchor);
      }
      // The context stopped (device lost, interrupted): carry on from here on the wall clock.
      this.startOnPerformance(this.#origin + this.#rate * Math.max(0, ctx.currentTime - this.#anchor), this.#rate);
    }
    return this.#origin + this.#rate * Math.max(0, performanceSeconds() - this.#anchor);
  }
}

function performanceSeconds() {
  return performance.now() / 1000;
}
