// The time-stretch behind pitch-preserving speeds (www/player/stretch.js): the sound gets
// shorter or longer by the speed, and its pitch stays. Pure logic, run in Node.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stretch } from '../../www/player/stretch.js';

const RATE = 22050;

function tone(seconds, hz, rate = RATE) {
  const a = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < a.length; i++) a[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / rate);
  return a;
}

/** The frequency, from upward zero crossings over the middle of the sound. */
function pitch(a, rate = RATE) {
  const from = Math.floor(a.length * 0.2);
  const to = Math.floor(a.length * 0.8);
  let crossings = 0;
  for (let i = from + 1; i < to; i++) if (a[i - 1] < 0 && a[i] >= 0) crossings++;
  return (crossings * rate) / (to - from);
}

function rms(a) {
  let sum = 0;
  for (const v of a) sum += v * v;
  return Math.sqrt(sum / a.length);
}

for (const speed of [0.25, 0.5, 0.75, 1.25, 1.5, 2]) {
  test(`at ${speed}× a 220 Hz tone lasts 1/${speed} as long and stays at 220 Hz`, () => {
    const input = tone(2, 220);
    const [out] = stretch([input], RATE, speed);
    assert.equal(out.length, Math.round(input.length / speed));
    assert.ok(Math.abs(pitch(out) - 220) < 4, `pitch ${pitch(out).toFixed(1)} Hz`);
    // The overlaps add in phase: the level stays (a beating overlap would dip).
    const middle = out.subarray(Math.floor(out.length * 0.1), Math.floor(out.length * 0.9));
    assert.ok(Math.abs(rms(middle) - rms(input)) < 0.05 * rms(input), `level ${rms(middle)} vs ${rms(input)}`);
  });
}

// The search runs on a copy decimated to about 6 kHz whatever the rate the browser
// decoded at: a low voice and a high one keep their pitch at 44.1, 48 and 96 kHz too.
for (const rate of [44100, 48000, 96000]) {
  for (const hz of [110, 880]) {
    test(`at ${rate / 1000} kHz, a ${hz} Hz tone at 1.5× and 0.5× keeps its pitch and level`, () => {
      const input = tone(1, hz, rate);
      for (const speed of [1.5, 0.5]) {
        const [out] = stretch([input], rate, speed);
        assert.equal(out.length, Math.round(input.length / speed));
        assert.ok(Math.abs(pitch(out, rate) - hz) < hz * 0.02, `${speed}×: pitch ${pitch(out, rate).toFixed(1)} Hz`);
        const middle = out.subarray(Math.floor(out.length * 0.1), Math.floor(out.length * 0.9));
        assert.ok(Math.abs(rms(middle) - rms(input)) < 0.05 * rms(input), `${speed}×: level ${rms(middle)} vs ${rms(input)}`);
      }
    });
  }
}

test('channels stay together and 1× is a copy', () => {
  const left = tone(1, 330);
  const right = tone(1, 330).map((v) => -v);
  const [l, r] = stretch([left, right], RATE, 1.5);
  assert.equal(l.length, r.length);
  for (let i = 0; i < l.length; i += 97) assert.ok(Math.abs(l[i] + r[i]) < 1e-6, 'the same frames from both channels');
  const [copy] = stretch([left], RATE, 1);
  assert.deepEqual(copy, left);
  assert.notEqual(copy, left);
});
