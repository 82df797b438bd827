// Autoplay (`?autoplay=1` on the page, the `autoplay` attribute on the element): where
// the browser lets sound start without a gesture, the drama plays with sound; where it
// blocks sound (Chromium's default policy), it plays muted at once and shows a clear
// unmute button, which brings the sound in, on the audio clock, where the episode is.
//
// Playwright runs page.evaluate() and waitForFunction() as if the user had acted (a
// transient user activation), which would let sound start: until autoplay has decided,
// the test only listens to the console, where an init script reports the decision.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { settled, start } from './helpers.mjs';

const envs = [];
after(async () => {
  for (const env of envs) await env.close();
});

function recordAudio() {
  window.__contexts = [];
  window.__starts = 0;
  const Native = window.AudioContext;
  window.AudioContext = class extends Native {
    constructor(...args) {
      super(...args);
      window.__contexts.push(this);
    }
  };
  document.addEventListener('DOMContentLoaded', () => {
    const p = document.getElementById('player');
    p.addEventListener('play', () => {
      const unmute = p.shadowRoot.querySelector('.unmute');
      // Once the first frames played: the decision is made by then.
      setTimeout(() => console.log(`autoplay: ${JSON.stringify({
        muted: p.muted, paused: p.paused, unmute: !unmute.hidden, context: window.__contexts[0]?.state,
        active: navigator.userActivation?.hasBeenActive ?? null,
      })}`), 300);
    }, { once: true });
  });
  const native = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function start(...args) {
    window.__starts++;
    return native.apply(this, args);
  };
}

const state = (page) => page.evaluate(() => {
  const p = document.getElementById('player');
  const unmute = p.shadowRoot.querySelector('.unmute');
  return {
    paused: p.paused,
    muted: p.muted,
    t: p.currentTime,
    unmuteShown: !unmute.hidden && unmute.getBoundingClientRect().width > 0,
    context: window.__contexts[0]?.state ?? null,
    starts: window.__starts,
  };
});

test('where sound is blocked, autoplay starts muted with an unmute button', async () => {
  const env = await start({ autoplayPolicy: 'document-user-activation-required' });
  envs.push(env);
  const { page, log } = await env.newPage({ initScript: recordAudio });
  const decided = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('autoplay: '), timeout: 60_000 });
  await page.goto(`${env.url}?autoplay=1`);
  const decision = JSON.parse((await decided).text().slice('autoplay: '.length));
  assert.deepEqual(decision, { muted: true, paused: false, unmute: true, context: 'suspended', active: false },
    'playing, muted, the unmute button showing, the sound held back');
  await page.waitForFunction(() => document.getElementById('player').currentTime > 0.5);
  const playing = await state(page);
  assert.equal(playing.muted, true, 'muted');
  assert.equal(playing.context, 'suspended', 'the browser held the sound back');
  assert.equal(playing.unmuteShown, true, 'the unmute button shows');
  const button = page.locator('manju-player').locator('button.unmute');
  assert.match(await button.textContent(), /unmute/i);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('manju-player') ?? 'null')), null,
    'the forced mute is not remembered as the reviewer\'s choice');

  await button.click();
  await page.waitForFunction(() => window.__contexts[0].state === 'running');
  await page.waitForFunction(() => window.__starts > 0);
  const after = await state(page);
  assert.equal(after.muted, false, 'sound on');
  assert.equal(after.unmuteShown, false, 'the button goes');
  assert.equal(after.paused, false, 'still playing');
  assert.ok(after.t > playing.t, 'from where it was');
  // The picture now follows the audio clock.
  const t0 = after.t;
  await page.waitForTimeout(400);
  assert.ok((await state(page)).t > t0 + 0.2);
  assert.deepEqual(log.errors, []);
});

test('where sound may start, autoplay plays with sound', async () => {
  const env = await start();
  envs.push(env);
  const { page } = await env.newPage({ initScript: recordAudio });
  await page.goto(`${env.url}?autoplay=1`);
  await settled(page);
  await page.waitForFunction(() => !document.getElementById('player').paused && window.__starts > 0);
  const s = await state(page);
  assert.deepEqual({ muted: s.muted, unmuteShown: s.unmuteShown, context: s.context }, { muted: false, unmuteShown: false, context: 'running' });
  // Without ?autoplay the page waits for the reviewer.
  await page.goto(env.url);
  await settled(page);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.getElementById('player').paused), true);
});
