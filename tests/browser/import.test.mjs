// Drafts from other tools opened in the page: the Pepper & Carrot folder (a real Readium
// Divina with Guided Navigation, ../shared/corpus/) chosen with "Open folder" plays panel
// by panel — its first bubble with its own voice clip, decoded and scheduled on the audio
// clock —, the import's message sits in the problem list with its file and place, and
// "Download manifest" gives the manju/1 the core made. A zip of a Divina plays too, and
// its files dropped on the page.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadedAll, makeZip, ROOT, settled, start } from './helpers.mjs';

const CORPUS = path.join(ROOT, '..', 'shared', 'corpus');
const PEPPER = path.join(CORPUS, 'pepper-carrot-ep17');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** Records every AudioBufferSourceNode.start() with its buffer's length (before the page's scripts). */
function recordStarts() {
  window.__starts = [];
  const nativeStart = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function start(when = 0, offset = 0, ...rest) {
    window.__starts.push({ when, offset, length: this.buffer?.duration ?? null, now: this.context.currentTime });
    return nativeStart.call(this, when, offset, ...rest);
  };
}

/** A clip's length as ffprobe reads it. */
function ffprobe(file) {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
}

test('the Pepper & Carrot folder plays panel by panel, its first bubble with its voice', async () => {
  const { page, log } = await env.newPage({ initScript: recordStarts });
  await page.goto(env.url);
  await settled(page);
  await page.locator('#open-folder').setInputFiles(PEPPER);
  await page.waitForFunction(() => document.getElementById('player').title === 'Pepper and Carrot - A Fresh Start');
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  await loadedAll(page);
  // The import's one message, with its file and place, first in the list; nothing missing.
  const listed = await page.locator('#problems li').allTextContents();
  assert.match(listed[0], /guided\.json: guided/);
  assert.match(listed[0], /19 bubbles have no region of their own/);
  assert.ok(!(await page.evaluate(() => document.getElementById('player').problems)).some((p) => /^assets\./.test(p.path)), 'every page and clip found');

  const timeline = await page.evaluate(() => document.getElementById('player').timeline);
  assert.equal(timeline.shots.length, 30);
  const first = timeline.lines.find((l) => l.voice);
  assert.equal(first.text, 'But Pepper… Come back…');
  const clip = ffprobe(path.join(PEPPER, 'audio', 'page1-panel2-bubble.mp3'));
  // The line lasts as long as its clip, decoded by the core from the MP3.
  assert.ok(Math.abs(first.end - first.start - clip) < 0.03, `line ${first.end - first.start} s, clip ${clip} s`);

  // Go to the bubble from the dialogue sheet and play: its clip is scheduled at once.
  await page.locator('button.cue', { hasText: 'But Pepper' }).first().click();
  await page.evaluate(() => document.getElementById('player').play());
  await page.waitForFunction(() => window.__starts.length > 0);
  const starts = await page.evaluate(() => window.__starts);
  const voice = starts.find((s) => s.length !== null && Math.abs(s.length - clip) < 0.05);
  assert.ok(voice, `the bubble's clip (${clip} s) is started: ${JSON.stringify(starts)}`);
  assert.ok(voice.offset < 0.05, `from its beginning (offset ${voice.offset})`);
  await page.evaluate(() => document.getElementById('player').pause());

  // The picture: panel 2 of page 1 framed (the camera's view is narrower than the page).
  const frame = await page.evaluate(() => document.getElementById('player').currentFrame);
  assert.ok(frame >= Math.round(timeline.shots[1].start * 30), `on the bubble's shot (frame ${frame})`);

  // "Download manifest": the manju/1 the core made from the Divina.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-manifest').click()]);
  const text = await readFile(await download.path(), 'utf8');
  const manifest = JSON.parse(text);
  assert.equal(manifest.format, 'manju/1');
  assert.equal(manifest.shots.length, 30);
  assert.deepEqual(log.errors, []);
});

test('a zip of a Divina plays: a page a shot with its transitions', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const dir = path.join(CORPUS, 'divina-turbomedia1');
  const zip = makeZip(await Promise.all((await readdir(dir)).map(async (name) => [`turbomedia1/${name}`, await readFile(path.join(dir, name)), { store: true }])));
  // The load's promise is kept on the page (not only by the evaluation) until it settles.
  await page.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const player = document.getElementById('player');
    window.__zipLoad = player.load(new File([bytes], 'turbomedia1.zip', { type: 'application/zip' }))
      .then((ok) => { window.__zipOk = ok; });
  }, zip.toString('base64'));
  await page.waitForFunction(() => window.__zipOk !== undefined, null, { timeout: 60_000 });
  const result = await page.evaluate(() => {
    const player = document.getElementById('player');
    return { ok: window.__zipOk, state: player.state, title: player.title, shots: player.timeline?.shots.length, problems: player.problems };
  });
  assert.equal(result.ok, true, JSON.stringify(result.problems));
  assert.deepEqual([result.title, result.shots], ['Turbomedia 1', 23]);
  assert.ok(result.problems.some((p) => /readingOrder\[2\]\.href/.test(p.path) && /only images play here/.test(p.message)), JSON.stringify(result.problems));
});

test('dropping the files of a Divina on the page imports and plays them', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  // A synthetic drop carries files, not folders (no file-system entries to walk), so the
  // publication whose files all sit at its top: the turbomedia.
  const dir = path.join(CORPUS, 'divina-turbomedia1');
  const names = (await readdir(dir)).filter((n) => !n.startsWith('LICENSE'));
  const encoded = Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await readFile(path.join(dir, n))).toString('base64')])));
  await page.evaluate((files) => {
    const transfer = new DataTransfer();
    for (const [name, b64] of Object.entries(files)) transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, encoded);
  await page.waitForFunction(() => document.getElementById('player').title === 'Turbomedia 1');
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  assert.equal((await page.evaluate(() => document.getElementById('player').timeline)).shots.length, 23);
  assert.ok(problems.some((p) => /only images play here/.test(p.message)), JSON.stringify(problems));
});
