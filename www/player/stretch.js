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
  const mono = mix(channels);
  const out = channels.map(() => new Float32Array(outLength + n));

  let previous = 0;
  for (let k = 0, outPos = 0; outPos < outLength; k++, outPos += hop) {
    const nominal = Math.round(k * hop * rate);
    const src = k === 0 ? 0 : bestOffset(mono, previous + hop, nominal, tolerance, hop);
    for (let c = 0; c < channels.length; c++) {
      const input = channels[c];
      const output = out[c];
      for (let i = 0; i < n; i++) {
        const j = src + i;
        if (j >= 0 && j < length) output[outPos + i] += window[i] * input[j];
      }
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
 * The start in [nominal − tolerance, nominal + tolerance] whose next `span` samples look
 * most like the `span` samples at `natural` (where the previous frame would have gone on).
 */
function bestOffset(mono, natural, nominal, tolerance, span) {
  const at = (i) => (i >= 0 && i < mono.length ? mono[i] : 0);
  const dot = (a, b, step) => {
    let sum = 0;
    for (let i = 0; i < span; i += step) sum += at(a + i) * at(b + i);
    return sum;
  };
  // Coarse: every 4th candidate, every 4th sample.
  let best = nominal;
  let bestScore = -Infinity;
  for (let d = -tolerance; d <= tolerance; d += 4) {
    const score = dot(natural, nominal + d, 4);
    if (score > bestScore) {
      bestScore = score;
      best = nominal + d;
    }
  }
  // Fine: each sample around the coarse winner, on every other sample.
  const coarse = best;
  bestScore = -Infinity;
  for (let d = -3; d <= 3; d++) {
    const score = dot(natural, coarse + d, 2);
    if (score > bestScore) {
      bestScore = score;
      best = coarse + d;
    }
  }
  return best;
}
