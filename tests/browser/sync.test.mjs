// Picture and sound stay together: the picture follows the audio clock through minutes of
// playback with seeks, scrubs, speed changes, pauses and loops, and is always within one
// frame of what the scheduled sound is playing.
//
// The AudioContext's clock is driven by the test (an init script makes `currentTime` a
// number the test advances), so four minutes of episode play in seconds. Sources are
// recorded, not sounded: each `start(when, offset)` at `playbackRate` r maps context time
// T to buffer position offset + (T − when)·r. The fixture's one sound is a music cue
// from 0 to the end of the episode, not looped, so its buffer position *is* the episode
// time being heard — scaled by the buffer's length when the player plays a copy
// time-stretched to the speed (pitch kept): a 60 s track stretched for 1.5× lasts 40 s,
// and its position p is the original's 1.5·p. The frame on the canvas must match it.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { encodePng, settled, start } from './helpers.mjs';

const FPS = 24;
const SHOT = 15; // seconds
const SHOTS = 4;
const DURATION = SHOT * SHOTS;

/** A silent mono 16-bit WAV of `seconds` at `rate` Hz. */
function silentWav(seconds, rate = 4000) {
  const samples = Math.round(seconds * rate);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples * 2, 40);
  return Buffer.concat([header, Buffer.alloc(samples * 2)]);
}

let env;
let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'manju-sync-'));
  const assets = { track: 'track.wav' };
  const shots = [];
  for (let i = 0; i < SHOTS; i++) {
    await writeFile(path.join(dir, `s${i}.png`), encodePng(4, 4, () => [40 * i, 90, 200 - 40 * i, 255]));
    assets[`s${i}`] = `s${i}.png`;
    shots.push({ id: `shot-${i + 1}`, duration: SHOT, layers: [{ image: `s${i}` }] });
  }
  await writeFile(path.join(dir, 'track.wav'), silentWav(DURATION));
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({
    format: 'manju/1',
    title: 'Sync fixture',
    canvas: { width: 48, height: 48, fps: FPS },
    assets,
    shots,
    music: [{ audio: 'track', at: 0 }],
  }));
  env = await start({
    demo: false,
    handler: (req, res, urlPath) => {
      if (!urlPath.startsWith('/sync/')) return false;
      const name = urlPath.slice('/sync/'.length);
      if (!/^[a-z0-9]+\.(png|json|wav)$/.test(name)) return false;
      res.writeHead(200);
      createReadStream(path.join(dir, name)).pipe(res);
      return true;
    },
  });
});
after(async () => {
  await env?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The driven clock and the source recorder (runs before the page's scripts). */
function drivenAudio() {
  window.__audioNow = 0;
  const Native = window.AudioContext;
  window.AudioContext = class extends Native {
    get currentTime() {
      return window.__audioNow;
    }

    get outputLatency() {
      return 0;
    }

    get state() {
      return 'running';
    }

    resume() {
      return Promise.resolve();
    }
  };
  window.__sources = [];
  AudioBufferSourceNode.prototype.start = function start(when = 0, offset = 0) {
    this.__record = { when, offset, rate: this.playbackRate.value, length: this.buffer.duration, stoppedAt: null, endsAt: null };
    window.__sources.push(this.__record);
  };
  AudioBufferSourceNode.prototype.stop = function stop(when) {
    if (!this.__record) return;
    if (when === undefined) this.__record.stoppedAt = window.__audioNow;
    else this.__record.endsAt = when;
  };
}

test('after minutes of play with seeks, scrubs, speed changes and loops, picture and sound are within one frame', async () => {
  const { page, log } = await env.newPage({ initScript: drivenAudio });
  await page.goto(`${env.url}?src=sync/manifest.json`);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  await page.waitForFunction(() => document.getElementById('player').fullyLoaded);

  const report = await page.evaluate(async ({ fps, duration }) => {
    const p = document.getElementById('player');
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    // A fixed pseudo-random sequence, so a failure replays the same way.
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    p.loop = true;
    await p.play();
    const log = { samples: 0, worst: 0, failures: [], actions: [], episode: 0, lonely: 0, stretched: 0 };
    let last = p.currentTime;
    for (let step = 0; step < 420; step++) {
      const r = random();
      if (step % 37 === 36) {
        const to = random() * duration;
        log.actions.push(`seek ${to.toFixed(2)}`);
        await p.seek(to);
      } else if (step % 53 === 52) {
        // A scrub on the seek bar: input events while dragging, then release.
        const seek = p.shadowRoot.querySelector('input.seek');
        seek.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
        for (const to of [r * duration, (r * duration + 3) % duration, (r * duration + 5) % duration]) {
          seek.value = String(to);
          seek.dispatchEvent(new Event('input', { bubbles: true }));
          await frame();
        }
        seek.dispatchEvent(new Event('change', { bubbles: true }));
        log.actions.push(`scrub to ${Number(seek.value).toFixed(2)}`);
        await frame();
      } else if (step % 29 === 28) {
        const rate = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2][Math.floor(r * 8)];
        log.actions.push(`rate ${rate}`);
        p.playbackRate = rate;
        // The pitch-keeping copies are made in a worker, in the background; on a loaded
        // machine they take longer. Waiting for them (the driven clock stands still
        // meanwhile) makes the next steps play them however fast the machine is.
        const asked = performance.now();
        while (!p.preservesPitch && performance.now() - asked < 30_000) await frame();
      } else if (step % 61 === 60) {
        p.pause();
        window.__audioNow += 2; // time passes while paused
        await p.play();
        log.actions.push('pause and play');
      }
      window.__audioNow += 0.5;
      await frame();
      await frame();

      // What the sound plays now: the source of the music cue sounding at T. Two
      // sounding at once would be heard twice (a hand-over to pitch-keeping copies
      // stops the old source exactly where the new one starts). When none sounds yet, a
      // source due a moment from now (the player schedules 50 ms ahead, so no sound
      // starts late; a loop that came round on this frame) is about to play from its
      // offset, and the picture must hold that instant.
      const T = window.__audioNow;
      const scheduled = window.__sources.filter((s) => s.stoppedAt === null && (s.endsAt === null || s.endsAt > T));
      const sounding = scheduled.filter((s) => s.when <= T);
      const live = sounding.length > 0 ? sounding : scheduled.filter((s) => s.when <= T + 0.1);
      if (live.length !== 1) {
        log.lonely++;
        if (log.failures.length < 5) log.failures.push({ step, T, problem: `${live.length} live sources` });
        continue;
      }
      const [s] = live;
      const heard = Math.min((s.offset + Math.max(0, T - s.when) * s.rate) * (duration / s.length), duration);
      if (s.length < duration - 1e-3) log.stretched++;
      const shown = p.currentFrame;
      const error = Math.abs(shown / fps - heard);
      log.samples++;
      log.worst = Math.max(log.worst, error);
      if (error >= 1 / fps && log.failures.length < 5) log.failures.push({ step, T, heard, shown, rate: p.playbackRate });
      const now = p.currentTime;
      log.episode += now >= last ? now - last : now + duration - last;
      last = now;
    }
    p.pause();
    return log;
  }, { fps: FPS, duration: DURATION });

  assert.deepEqual(report.failures, [], `actions: ${report.actions.join(', ')}`);
  assert.equal(report.lonely, 0, 'exactly one music source plays at every sample');
  assert.ok(report.samples > 350, `${report.samples} samples`);
  assert.ok(report.worst < 1 / FPS, `worst gap ${report.worst.toFixed(4)} s, under one frame (${(1 / FPS).toFixed(4)} s)`);
  assert.ok(report.episode > 180, `played ${Math.round(report.episode)} s of episode time (minutes)`);
  assert.ok(report.actions.filter((a) => a.startsWith('seek')).length >= 10, 'with seeks');
  assert.ok(report.actions.filter((a) => a.startsWith('rate')).length >= 10, 'with speed changes');
  assert.ok(report.actions.some((a) => a.startsWith('scrub')), 'with scrubs');
  assert.ok(report.stretched > 50, `pitch-keeping copies played for part of it (${report.stretched} samples)`);
  assert.deepEqual(log.errors, []);
});
