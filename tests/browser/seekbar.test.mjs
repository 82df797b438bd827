// The seek bar: one segment per shot (boundaries at the cuts), a preview under the
// pointer (the frame there, drawn small by the core, with its time, shot id and first
// line) while hovering and while dragging, smooth scrubbing that never shows a blank
// frame, and sound scheduled afresh from where a scrub ends. Plus the shot list beside
// the player (thumbnails, ids, durations, notes; a click jumps).

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

function recordStarts() {
  window.__starts = [];
  const native = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function start(when = 0, offset = 0, ...rest) {
    window.__starts.push({ when, offset, now: this.context.currentTime });
    return native.call(this, when, offset, ...rest);
  };
}

async function ready(page) {
  await page.goto(env.url);
  await settled(page);
  await loadedAll(page);
  return page.evaluate(() => document.getElementById('player').timeline);
}

/** The x on screen of episode time `t` on the seek bar (the range input's thumb travel). */
async function xOf(page, t) {
  return page.evaluate((at) => {
    const p = document.getElementById('player');
    const r = p.shadowRoot.querySelector('input.seek').getBoundingClientRect();
    // A range input's thumb (14 px) travels the width less its own size.
    return { x: r.left + 7 + ((r.width - 14) * at) / p.duration, y: r.top + r.height / 2 };
  }, t);
}

/** Whether the preview's thumbnail equals the core's thumbnail at the preview's instant. */
function previewMatchesCore(page) {
  return page.evaluate(async () => {
    const p = document.getElementById('player');
    const preview = p.shadowRoot.querySelector('.preview');
    const thumb = preview.querySelector('canvas');
    const t = Number(preview.dataset.t);
    const shown = thumb.getContext('2d').getImageData(0, 0, thumb.width, thumb.height).data;
    const core = await p.thumbnail(t, thumb.width);
    let colours = new Set();
    for (let i = 0; i < shown.length; i += 16) colours.add((shown[i] << 16) | (shown[i + 1] << 8) | shown[i + 2]);
    return {
      t,
      size: [thumb.width, thumb.height],
      same: core.width === thumb.width && core.data.every((v, i) => v === shown[i]),
      colours: colours.size,
    };
  });
}

test('the bar has a segment per shot, starting at each shot', async () => {
  const { page } = await env.newPage();
  const timeline = await ready(page);
  const segments = await page.locator('manju-player').locator('.segment').evaluateAll((els) => els.map((e) => ({
    left: parseFloat(e.style.left),
    width: parseFloat(e.style.width),
    loaded: e.classList.contains('loaded'),
  })));
  assert.equal(segments.length, timeline.shots.length);
  timeline.shots.forEach((shot, i) => {
    assert.ok(Math.abs(segments[i].left - (100 * shot.start) / timeline.duration) < 1e-3, `shot ${shot.id} starts its segment`);
    assert.ok(Math.abs(segments[i].width - (100 * (shot.end - shot.start)) / timeline.duration) < 1e-3);
    assert.equal(segments[i].loaded, true);
  });
});

test('hovering shows the frame under the pointer, with its time, shot id and first line', async () => {
  const { page } = await env.newPage();
  const timeline = await ready(page);
  const shot = timeline.shots.find((s) => timeline.lines.some((l) => l.shot === s.id && l.text)) ?? timeline.shots[0];
  const line = timeline.lines.find((l) => l.shot === shot.id);
  const at = (shot.start + shot.end) / 2;
  const { x, y } = await xOf(page, at);
  await page.mouse.move(x, y);
  const preview = page.locator('manju-player').locator('.preview');
  await preview.waitFor({ state: 'visible' });
  assert.equal(await preview.locator('.preview-shot').textContent(), shot.id);
  assert.ok((await preview.locator('.preview-line').textContent()).includes(line.text), 'the shot\'s first line');
  const t = Number(await preview.getAttribute('data-t'));
  assert.ok(Math.abs(t - at) < 0.1, `the preview is at ${t}, the pointer at ${at}`);
  assert.equal(await preview.locator('.preview-time').textContent(), await page.evaluate((s) => {
    const h = Math.floor(s * 100 + 1e-6);
    return `${String(Math.floor(h / 6000)).padStart(2, '0')}:${String(Math.floor(h / 100) % 60).padStart(2, '0')}.${String(h % 100).padStart(2, '0')}`;
  }, t));
  const match = await previewMatchesCore(page);
  assert.ok(match.same, `the thumbnail is the core's frame at ${match.t} (${match.size})`);
  assert.ok(match.colours > 10, 'and a real picture');
  assert.equal(await page.evaluate(() => document.getElementById('player').currentTime), 0, 'hovering does not seek');
  // The preview follows the pointer and goes when it leaves.
  const other = await xOf(page, timeline.shots.at(-1).start + 0.5);
  await page.mouse.move(other.x, other.y);
  await page.waitForFunction((id) => document.getElementById('player').shadowRoot.querySelector('.preview-shot').textContent === id,
    timeline.shots.at(-1).id);
  await page.mouse.move(other.x, other.y - 300);
  await preview.waitFor({ state: 'hidden' });
});

test('dragging scrubs frame by frame with no blank frame, shows the preview, and resyncs the sound after', async () => {
  const { page, log } = await env.newPage({ initScript: recordStarts });
  const timeline = await ready(page);
  const p = (expression) => page.evaluate(`(() => { const p = document.getElementById('player'); return ${expression}; })()`);
  await p('p.seek(1)');
  await p('p.play()');
  await page.waitForFunction(() => document.getElementById('player').currentTime > 1.2);

  const from = await xOf(page, await p('p.currentTime'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  assert.equal(await p('p.paused'), true, 'scrubbing pauses');
  const samples = [];
  const end = timeline.duration * 0.8;
  for (let i = 1; i <= 24; i++) {
    const { x, y } = await xOf(page, 1.2 + ((end - 1.2) * i) / 24);
    await page.mouse.move(x, y);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    samples.push(await page.evaluate(() => {
      const player = document.getElementById('player');
      const c = player.canvas;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      for (let k = 0; k < d.length; k += 4 * 97) if (d[k + 3] === 255 && (d[k] | d[k + 1] | d[k + 2]) > 8) lit++;
      const preview = player.shadowRoot.querySelector('.preview');
      return {
        value: Number(player.shadowRoot.querySelector('input.seek').value),
        frame: player.currentFrame,
        lit,
        preview: !preview.hidden,
        previewT: Number(preview.dataset.t),
      };
    }));
  }
  const fps = await p('p.fps');
  for (const s of samples) {
    assert.ok(s.lit > 50, `a drawn frame at ${s.value} s (${s.lit} lit samples)`);
    assert.equal(s.frame, Math.floor(s.value * fps + 1e-6), `the frame at the thumb (${s.value} s) is on screen`);
    assert.ok(s.preview, 'the preview shows while dragging');
    assert.ok(Math.abs(s.previewT - s.value) < 1e-9, 'at the thumb');
  }
  assert.ok(new Set(samples.map((s) => s.frame)).size >= 20, 'the frames moved with the pointer');

  const startsBefore = await page.evaluate(() => window.__starts.length);
  await page.mouse.up();
  await page.waitForFunction(() => !document.getElementById('player').paused);
  const released = samples.at(-1).value;
  // The sound restarts from the release point: every cue under way starts at one anchor,
  // at its offset into the clip.
  await page.waitForFunction((n) => window.__starts.length > n, startsBefore);
  const fresh = await page.evaluate((n) => window.__starts.slice(n), startsBefore);
  const cues = timeline.audio.filter((c) => c.start <= released && c.end > released && !c.loop);
  const anchor = Math.min(...fresh.map((s) => s.when));
  for (const cue of cues) {
    assert.ok(fresh.some((s) => Math.abs(s.when - anchor) < 1e-6 && Math.abs(s.offset - (cue.offset + released - cue.start)) < 0.02),
      `the ${cue.kind} under way resumes ${(released - cue.start).toFixed(2)} s in`);
  }
  assert.ok(fresh.every((s) => s.when >= s.now), 'nothing scheduled in the past');
  assert.ok(Math.abs((await p('p.currentTime')) - released) < 0.3, 'playback carries on from the release point');
  await p('p.pause()');
  assert.deepEqual(log.errors, []);
});

test('the shot list shows a thumbnail, id, duration and notes per shot; a click jumps there', async () => {
  const { page } = await env.newPage();
  const timeline = await ready(page);
  await page.waitForFunction((n) => document.querySelectorAll('#shots canvas.shot-thumb[data-drawn="true"]').length === n, timeline.shots.length);
  const rows = await page.$$eval('#shots > li', (items) => items.map((li) => ({
    id: li.querySelector('.shot-id').textContent,
    duration: li.querySelector('.shot-duration').textContent,
    notes: li.querySelector('.shot-notes')?.textContent ?? '',
    colours: (() => {
      const c = li.querySelector('canvas.shot-thumb');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const set = new Set();
      for (let i = 0; i < d.length; i += 4) set.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return set.size;
    })(),
  })));
  timeline.shots.forEach((shot, i) => {
    assert.equal(rows[i].id, shot.id);
    assert.equal(rows[i].duration, `${(shot.end - shot.start).toFixed(1)} s`);
    assert.equal(rows[i].notes, shot.notes);
    assert.ok(rows[i].colours > 20, `shot ${shot.id} has a real thumbnail`);
  });
  const target = timeline.shots[4];
  await page.locator('#shots > li').nth(4).locator('button.shot').click();
  // On the first frame that shows the shot (land-on-frame.test.mjs checks every shot).
  await page.waitForFunction((t) => {
    const p = document.getElementById('player');
    return p.currentFrame === p.firstFrameFrom(t) && p.currentTime === p.frameTime(p.currentFrame);
  }, target.start);
  assert.equal(await page.locator('#shots > li').nth(4).getAttribute('data-current'), 'true');
});
