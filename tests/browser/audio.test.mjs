// Sound is scheduled on the Web Audio clock: one AudioBufferSourceNode.start(when, offset)
// per cue of the timeline (every voice line, the sound effects, the music), at the cue's
// time after the play start, and the music's gain envelope as linear ramps; a seek
// reschedules from the new position; the picture follows the audio clock.
//
// An init script (injected by the driver before the page's scripts) records every start()
// and linearRampToValueAtTime().

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadedAll, settled, start } from './helpers.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/**
 * Runs before the page's scripts: records every AudioContext (made at `sampleRate` when
 * one is given, as a browser on a 44.1, 48 or 96 kHz device would), every start() and
 * stop() of a source with its buffer's length in samples, and every gain ramp.
 */
function recordAudio({ sampleRate } = {}) {
  window.__starts = [];
  window.__contexts = [];
  const Native = window.AudioContext;
  window.AudioContext = class extends Native {
    constructor(options = {}) {
      super(sampleRate ? { ...options, sampleRate } : options);
      window.__contexts.push(this);
    }
  };
  window.__ramps = [];
  const nativeRamp = AudioParam.prototype.linearRampToValueAtTime;
  AudioParam.prototype.linearRampToValueAtTime = function linearRampToValueAtTime(value, time) {
    window.__ramps.push({ value, time });
    return nativeRamp.call(this, value, time);
  };
  const nativeStart = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function start(when = 0, offset = 0, ...rest) {
    this.__record = {
      when,
      offset,
      loop: this.loop,
      length: this.buffer?.duration ?? null,
      samples: this.buffer?.length ?? null,
      bufferRate: this.buffer?.sampleRate ?? null,
      rate: this.playbackRate.value,
      now: this.context.currentTime,
      stop: null,
    };
    window.__starts.push(this.__record);
    return nativeStart.call(this, when, offset, ...rest);
  };
  const nativeStop = AudioBufferSourceNode.prototype.stop;
  AudioBufferSourceNode.prototype.stop = function stop(when, ...rest) {
    // The latest stop time: a hand-over moves a source's end earlier.
    if (this.__record && when !== undefined) this.__record.stop = when;
    return nativeStop.call(this, when, ...rest);
  };
}

const TOLERANCE = 1e-3; // seconds; float rounding between the player's sums and ours

test('voices, sound effects and music are scheduled at their times after the play start', async () => {
  const { page } = await env.newPage({ initScript: recordAudio });
  await page.goto(env.url);
  await settled(page);
  // Every sound decoded (assets after the first shot's keep loading after `ready`).
  await loadedAll(page);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  // Under --autoplay-policy=no-user-gesture-required the context starts by itself.
  await page.waitForFunction(() => window.__contexts.length > 0 && window.__contexts.every((c) => c.state === 'running'));

  const timeline = await page.evaluate(() => document.getElementById('player').timeline);
  const cues = timeline.audio;
  const voiced = timeline.lines.filter((line) => line.voice);
  const voices = cues.filter((cue) => cue.kind === 'voice');
  const music = cues.filter((cue) => cue.kind === 'music');
  assert.ok(voiced.length > 0, 'the demo has voiced lines');
  assert.ok(music.length > 0, 'the demo has music');
  assert.equal(voices.length, voiced.length, 'one voice cue per voiced line');
  for (const line of voiced) {
    assert.ok(voices.some((cue) => Math.abs(cue.start - line.start) < 1e-6), `a voice cue starts with line ${line.shot}/${line.index}`);
  }
  const missing = new Set(problems.filter((p) => /^assets\./.test(p.path)).map((p) => p.path.slice('assets.'.length)));
  const audible = cues.filter((cue) => !missing.has(cue.asset));

  await page.evaluate(() => document.getElementById('player').play());
  await page.waitForTimeout(300);
  const starts = await page.evaluate(() => window.__starts);
  assert.equal(starts.length, audible.length, `one start() per cue: ${JSON.stringify(starts)}`);

  // All cues were scheduled from one anchor C: start(C + cue.start, cue.offset).
  const anchor = Math.min(...starts.map((s) => s.when)) - Math.min(...audible.map((c) => c.start));
  const scheduled = starts.map((s) => s.when - anchor).sort((a, b) => a - b);
  const expected = audible.map((c) => c.start).sort((a, b) => a - b);
  scheduled.forEach((t, i) => assert.ok(Math.abs(t - expected[i]) < TOLERANCE, `cue ${i} at ${t} s, expected ${expected[i]} s`));
  for (const line of voiced) {
    const call = starts.find((s) => Math.abs(s.when - anchor - line.start) < TOLERANCE && !s.loop);
    assert.ok(call, `the voice of line ${line.shot}/${line.index} starts at ${line.start} s`);
  }
  for (const cue of music) {
    const call = starts.find((s) => Math.abs(s.when - anchor - cue.start) < TOLERANCE && s.loop === Boolean(cue.loop));
    assert.ok(call, `the music starts at ${cue.start} s (loop ${cue.loop})`);
    assert.ok(Math.abs(call.offset - (cue.offset ?? 0)) < TOLERANCE, 'from its offset');
  }
  // The music's gain envelope (fades, ducking under voices; volume included) is ramped
  // point by point on the same clock.
  const ramps = await page.evaluate(() => window.__ramps);
  for (const cue of music) {
    for (const point of cue.gain.filter((g) => g.at > cue.start)) {
      assert.ok(
        ramps.some((r) => Math.abs(r.time - anchor - point.at) < TOLERANCE && Math.abs(r.value - point.gain) < 1e-6),
        `the music reaches gain ${point.gain} at ${point.at} s`,
      );
    }
  }
  const lead = anchor - starts[0].now;
  assert.ok(lead >= 0 && lead < 0.25, `scheduled just ahead of the context clock (${lead.toFixed(3)} s)`);

  // The picture follows the audio clock: t = (heard context time − anchor).
  const sync = await page.evaluate(() => {
    const ctx = window.__contexts[0];
    return { t: document.getElementById('player').currentTime, ctxTime: ctx.currentTime, latency: ctx.outputLatency || 0 };
  });
  const expectedT = Math.max(0, sync.ctxTime - sync.latency - anchor);
  assert.ok(Math.abs(sync.t - expectedT) < 0.01, `currentTime ${sync.t} follows the audio clock (${expectedT})`);
});

test('a seek while playing reschedules the sound from the new position; pause schedules nothing', async () => {
  const { page } = await env.newPage({ initScript: recordAudio });
  await page.goto(env.url);
  await settled(page);
  await loadedAll(page);
  await page.waitForFunction(() => window.__contexts.length > 0 && window.__contexts.every((c) => c.state === 'running'));
  const timeline = await page.evaluate(() => document.getElementById('player').timeline);
  // Land 0.3 s into the longest voice clip.
  const voice = timeline.audio.filter((c) => c.kind === 'voice').sort((a, b) => (b.end - b.start) - (a.end - a.start))[0];
  assert.ok(voice.end - voice.start > 0.6, 'a voice clip longer than 0.6 s');
  const at = voice.start + 0.3;

  await page.evaluate(() => document.getElementById('player').play());
  await page.waitForTimeout(200);
  const before = await page.evaluate(() => window.__starts.length);
  await page.evaluate((t) => document.getElementById('player').seek(t), at);
  const after = await page.evaluate(() => window.__starts);
  const fresh = after.slice(before);
  const live = timeline.audio.filter((c) => c.end > at);
  assert.equal(fresh.length, live.length, 'one start() per cue still to sound');
  const anchor = Math.min(...fresh.map((s) => s.when));
  const underway = fresh.filter((s) => Math.abs(s.when - anchor) < TOLERANCE && !s.loop);
  assert.ok(
    underway.some((s) => Math.abs(s.offset - ((voice.offset ?? 0) + 0.3)) < TOLERANCE),
    `the voice under way resumes 0.3 s in: ${JSON.stringify(underway)}`,
  );

  await page.evaluate(() => document.getElementById('player').pause());
  const count = await page.evaluate(() => window.__starts.length);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__starts.length), count, 'nothing is scheduled while paused');
});

// The copy's length follows from the algorithm — round(samples / speed) of the decoded
// sound, at the context's rate — not from the clip's length in the file: a browser may
// decode a Vorbis clip a few milliseconds longer than its last granule says (Chromium
// 148 keeps the last block whole), and the context resamples everything to the device's
// rate. What is heard is cut at the cue's end either way.
for (const sampleRate of [44100, 48000, 96000]) {
  test(`at another speed the sound keeps its pitch: stretched copies play at rate 1, on the same clock (${sampleRate / 1000} kHz)`, async () => {
    const { page } = await env.newPage({ initScript: recordAudio, initArg: { sampleRate } });
    await page.goto(env.url);
    await settled(page);
    await loadedAll(page);
    await page.waitForFunction(() => window.__contexts.length > 0 && window.__contexts.every((c) => c.state === 'running'));
    assert.equal(await page.evaluate(() => window.__contexts[0].sampleRate), sampleRate);
    const timeline = await page.evaluate(() => document.getElementById('player').timeline);
    const voices = timeline.audio.filter((c) => c.kind === 'voice');

    // At 1×, the decoded sounds themselves play: their lengths in samples, cue by cue.
    const play = async () => {
      const before = await page.evaluate(() => window.__starts.length);
      await page.evaluate(() => document.getElementById('player').play());
      await page.waitForTimeout(200);
      await page.evaluate(() => document.getElementById('player').pause());
      const starts = (await page.evaluate(() => window.__starts)).slice(before);
      assert.ok(starts.length > 0);
      return { starts, anchor: Math.min(...starts.map((s) => s.when)) };
    };
    await page.evaluate(() => document.getElementById('player').seek(0));
    const original = await play();

    await page.evaluate(() => {
      const p = document.getElementById('player');
      p.playbackRate = 1.5;
      return p.seek(0);
    });
    await page.waitForFunction(() => document.getElementById('player').preservesPitch, null, { timeout: 30_000 });
    const { starts, anchor } = await play();
    for (const s of starts) assert.equal(s.rate, 1, 'played at rate 1 (a resampled voice would be higher)');
    for (const cue of voices) {
      // A cue starting at c plays at anchor + c / 1.5 ...
      const call = starts.find((s) => Math.abs(s.when - anchor - cue.start / 1.5) < TOLERANCE);
      assert.ok(call, `the voice at ${cue.start} s starts at ${(cue.start / 1.5).toFixed(3)} s of the context clock`);
      // ... from a copy of the decoded sound 1/1.5 as long, sample for sample ...
      const source = original.starts.find((s) => Math.abs(s.when - original.anchor - cue.start) < TOLERANCE);
      assert.ok(source, `at 1× the voice at ${cue.start} s played too`);
      assert.equal(source.bufferRate, sampleRate, 'decoded at the context\'s rate');
      assert.equal(call.bufferRate, sampleRate, 'stretched at the context\'s rate');
      assert.equal(call.samples, Math.round(source.samples / 1.5), `its copy has round(${source.samples} / 1.5) samples`);
      // ... and stops where the clip ends, 1/1.5 as late.
      assert.ok(Math.abs(call.stop - anchor - cue.end / 1.5) < TOLERANCE, `stops at ${(cue.end / 1.5).toFixed(3)} s: ${call.stop - anchor}`);
      assert.ok(Math.abs(source.stop - original.anchor - cue.end) < TOLERANCE, `at 1× it stops at ${cue.end} s`);
    }
  });
}

test('when the pitch-keeping copies come mid-play, the sound hands over without a seam and the picture does not stall', async () => {
  const { page } = await env.newPage({ initScript: recordAudio });
  await page.goto(env.url);
  await settled(page);
  await loadedAll(page);
  await page.waitForFunction(() => window.__contexts.length > 0 && window.__contexts.every((c) => c.state === 'running'));
  const report = await page.evaluate(async () => {
    const p = document.getElementById('player');
    const ctx = window.__contexts[0];
    await p.seek(1);
    p.playbackRate = 1.5; // the copies are being made from now on
    await p.play();
    const before = window.__starts.length;
    const samples = [];
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    while (!p.preservesPitch) {
      samples.push({ ctx: ctx.currentTime - (ctx.outputLatency || 0), t: p.currentTime });
      await frame();
    }
    // A few frames after the hand-over.
    for (let i = 0; i < 20; i++) {
      samples.push({ ctx: ctx.currentTime - (ctx.outputLatency || 0), t: p.currentTime });
      await frame();
    }
    p.pause();
    return { samples, starts: window.__starts.slice(0, before), after: window.__starts.slice(before) };
  });
  assert.ok(report.after.length > 0, 'the copies were started');
  for (const s of report.after) assert.equal(s.rate, 1, 'the copies play at rate 1');
  // Each copy starts exactly where what played before it stops.
  const handOver = Math.min(...report.after.map((s) => s.when));
  for (const s of report.after) assert.ok(Math.abs(s.when - handOver) < 1e-9 || s.when > handOver, 'no copy starts before the hand-over');
  const stoppedAtHandOver = report.starts.filter((s) => s.stop !== null && Math.abs(s.stop - handOver) < 1e-9);
  assert.ok(stoppedAtHandOver.length > 0, `the originals stop at the hand-over (${handOver}): ${JSON.stringify(report.starts.map((s) => s.stop))}`);
  for (const s of report.starts) assert.ok(s.stop <= handOver + 1e-9, `nothing of the originals plays past the hand-over: ${s.stop}`);
  // The picture ran at 1.5× of the audio clock the whole time: no plateau at the hand-over.
  const { samples } = report;
  const first = samples.find((s) => s.t > 1);
  assert.ok(first, 'the clock started');
  for (const s of samples.filter((x) => x.ctx > first.ctx)) {
    const expected = first.t + 1.5 * (s.ctx - first.ctx);
    assert.ok(Math.abs(s.t - expected) < 0.01, `at context time ${s.ctx.toFixed(3)} the picture is at ${s.t.toFixed(3)}, expected ${expected.toFixed(3)}`);
  }
});
