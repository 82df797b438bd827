// Time-stretching without changing pitch (WSOLA: waveform-similarity overlap-add), so a
// voice played at 1.5× or 0.5× keeps its pitch. AudioBufferSourceNode only resamples
// (its playbackRate moves the pitch with the speed), and the browsers' pitch-preserving
// playback (`preservesPitch`) exists only for media elements, which cannot be scheduled
// sample-accurately on one clock. So the player stretches each decoded sound once per
// speed (in a worker, ./stretch-worker.js) and plays the stretched copy at rate 1.
//
// How: the output is built from Hann-windowed frames of N samples laid every N/2
// samples; frame k is read from the input near k·N/2·rate, at the offset (within
// ±12 ms) whose waveform best continues the previous frame — found by cross-correlation,
// coarse on a decimated mono mix, then refined sample by sample — so the overlaps add
// up in phase instead of beating.

/**
 * @param {Float32Array[]} channels the sound, one array per channel
 * @param {number} sampleRate
 * @param {number} rate the speed: 2 makes it half as long
 * @returns {Float32Array[]} the stretched sound, `round(length / rate)` samples per channel
 */
export function stretch(channels, sampleRate, rate) {
  const length = channels[0]?.length ?? 0;
  const outLength = Math.round(length / rate);
  if (rate === 1 || length === 0) return channels.map((c) => c.slice());
  const n = frameLength(sampleRate);
  const hop = n / 2;
  const tolerance = Math.round(sampleRate * 0.012);
  const window = hann(n);
  const search = new Search(mix(channels), sampleRate, tolerance, hop);
  const out = channels.map(() => new Float32Array(outLength + n));

  let previous = 0;
  for (let k = 0, outPos = 0; outPos < outLength; k++, outPos += hop) {
    const nominal = Math.round(k * hop * rate);
    const src = k === 0 ? 0 : search.best(previous + hop, nominal);
    // The frame's samples that exist in the input: [from, to) of the window.
    const from = Math.max(0, -src);
    const to = Math.min(n, length - src);
    for (let c = 0; c < channels.length; c++) {
      const input = channels[c];
      const output = out[c];
      for (let i = from; i < to; i++) output[outPos + i] += window[i] * input[src + i];
    }
    previous = src;
  }
  return out.map((c) => c.subarray(0, outLength).slice());
}

/** About 46 ms, a power of two: long enough for a low voice's period, short enough not to smear. */
function frameLength(sampleRate) {
  return 2 ** Math.round(Math.log2(sampleRate * 0.046));
}

function hann(n) {
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

function mix(channels) {
  if (channels.length === 1) return channels[0];
  const mono = new Float32Array(channels[0].length);
  for (const c of channels) for (let i = 0; i < mono.length; i++) mono[i] += c[i] / channels.length;
  return mono;
}

/**
 * Finds where the next frame should be read from: the start in [nominal − tolerance,
 * nominal + tolerance] whose next `span` samples look most like the `span` samples at
 * `natural` (where the previous frame would have gone on), by cross-correlation.
 *
 * Coarse, then fine: every candidate on a copy decimated to about 6 kHz (averages of
 * `step` samples: enough for a voice's fundamental and its first formant, and a
 * step² smaller search), then each sample within a step of the winner at the full rate,
 * on every other sample. The signal is padded with silence on both sides so that no
 * inner loop checks bounds: this is the stretch's hot path (a 3-minute track at 0.25×
 * is 70 000 searches).
 */
class Search {
  constructor(mono, sampleRate, tolerance, span) {
    this.step = Math.max(1, Math.round(sampleRate / 6000));
    this.tolerance = tolerance;
    this.span = span;
    // Room for the furthest reach from a position in [-span, length]: a candidate
    // tolerance + step away, span samples long (and a step of rounding).
    this.pad = tolerance + span + 4 * this.step;
    this.signal = new Float32Array(mono.length + 2 * this.pad);
    this.signal.set(mono, this.pad);
    const step = this.step;
    this.coarse = new Float32Array(Math.ceil(this.signal.length / step));
    for (let j = 0; j < this.coarse.length; j++) {
      let sum = 0;
      const end = Math.min(this.signal.length, (j + 1) * step);
      for (let i = j * step; i < end; i++) sum += this.signal[i];
      this.coarse[j] = sum / step;
    }
    this.length = mono.length;
  }

  best(natural, nominal) {
    const { step, pad, span, signal, coarse } = this;
    // Positions outside the sound (by a frame at most, at its ends) are read as silence.
    const clamp = (i) => Math.min(Math.max(i, -span), this.length);
    const a = clamp(natural) + pad;
    const b = clamp(nominal) + pad;
    const ca = Math.round(a / step);
    const cb = Math.round(b / step);
    const reach = Math.floor(this.tolerance / step);
    const count = Math.floor(span / step);
    let best = 0;
    let bestScore = -Infinity;
    for (let d = -reach; d <= reach; d++) {
      let score = 0;
      const o = cb + d;
      for (let i = 0; i < count; i++) score += coarse[ca + i] * coarse[o + i];
      if (score > bestScore) {
        bestScore = score;
        best = d;
      }
    }
    const center = b + best * step;
    let fine = center;
    bestScore = -Infinity;
    for (let d = -step; d <= step; d++) {
      let score = 0;
      const o = center + d;
      for (let i = 0; i < span; i += 2) score += signal[a + i] * signal[o + i];
      if (score > bestScore) {
        bestScore = score;
        fine = o;
      }
    }
    return fine - pad;
  }
}
