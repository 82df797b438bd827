// Subtitles into the drama on screen: a real subtitle file (tests/fixtures/subtitles/)
// dropped on the page, or chosen with "Add subtitles…", is merged into the manifest as
// lines by the core; the drama plays on with them from the same instant over the assets
// it already has (no request goes out); its problems are listed with the file's line
// numbers; Ctrl+Z and the toast's Undo take it back; "Download manifest" saves the merged
// manifest. A file that cannot be imported says why (file and line) and changes nothing.
// A drop holding a drama still opens that drama.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { encodePng, loadedAll, ROOT, settled, start } from './helpers.mjs';

const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'subtitles');

let env;
/** URL paths the server was asked for, for "nothing is fetched again" */
const requests = [];
before(async () => {
  env = await start({
    handler: (req, res, urlPath) => {
      requests.push(urlPath);
      return false;
    },
  });
});
after(async () => {
  await env?.close();
});

async function demo(page) {
  await page.goto(env.url);
  const { state } = await settled(page);
  assert.equal(state, 'ready');
  await loadedAll(page);
  await page.waitForFunction(() => document.getElementById('player').fontState === 'ready');
}

/** Drops files on the page as a browser does (a DataTransfer with Files); `files` is [[name, Buffer]]. */
function drop(page, files) {
  return page.evaluate((encoded) => {
    const transfer = new DataTransfer();
    for (const [name, b64] of encoded) {
      transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
    }
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, files.map(([name, bytes]) => [name, bytes.toString('base64')]));
}

const state = (page) => page.evaluate(() => {
  const p = document.getElementById('player');
  return {
    lines: p.timeline?.lines.length ?? 0,
    rows: document.querySelectorAll('#dialogue > li').length,
    texts: [...document.querySelectorAll('#dialogue > li .cue-text')].map((t) => t.textContent),
    time: p.currentTime,
    manifest: p.manifestText,
    state: p.state,
  };
});

/** Waits for the player to finish the reload an import or an undo makes. */
const reloaded = (page, lines) => page.waitForFunction((n) => {
  const p = document.getElementById('player');
  return p.state === 'ready' && p.fullyLoaded && document.querySelectorAll('#dialogue > li').length === n;
}, lines);

test('a dropped .srt becomes lines of the drama on screen, at the same instant, with nothing fetched; Ctrl+Z and Undo take it back', async () => {
  const { page, log } = await env.newPage();
  await demo(page);
  await page.evaluate(() => document.getElementById('player').seek(5));
  const original = await state(page);
  assert.equal(original.rows, 9);
  const srt = await readFile(path.join(FIXTURES, 'drama-zh.srt'));

  requests.length = 0;
  await drop(page, [['drama-zh.srt', srt]]);
  await page.locator('#import-summary').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelectorAll('#dialogue > li').length > 9);
  const merged = await state(page);
  assert.equal(merged.state, 'ready');
  assert.equal(merged.rows, merged.lines);
  assert.ok(merged.lines >= 9 + 14, `the 14 cues became lines (${merged.lines} in all)`);
  assert.ok(merged.texts.includes('这一世，我绝不会再让你得逞。'), 'a cue\'s words are in the sheet');
  assert.ok(merged.texts.includes('江城，我回来了。'), 'the drama\'s own lines are still there');
  assert.ok(Math.abs(merged.time - 5) < 1e-6, `the position is kept (${merged.time})`);
  assert.ok(JSON.parse(merged.manifest).shots.some((s) => s.lines?.some((l) => l.text === '这一世，我绝不会再让你得逞。')));
  assert.deepEqual(requests, [], 'the reload used the bytes already loaded');

  // The import's problems, with the subtitle file's line numbers.
  const listed = await page.$$eval('#import-problems li', (items) => items.map((li) => ({
    path: li.querySelector('.problem-path').textContent,
    position: li.querySelector('.problem-pos')?.textContent ?? null,
  })));
  assert.ok(listed.some((p) => p.path === 'drama-zh.srt' && /^\d+:\d+$/.test(p.position ?? '')), JSON.stringify(listed));
  assert.match(await page.locator('#toast').textContent(), /Added .* from drama-zh\.srt/);

  // Ctrl+Z restores the manifest before the import (the focus on the player, as after a drop).
  await page.locator('#player').focus();
  await page.keyboard.press('Control+z');
  await reloaded(page, 9);
  const undone = await state(page);
  assert.equal(undone.manifest, original.manifest);
  assert.deepEqual(undone.texts, original.texts);
  assert.ok(Math.abs(undone.time - 5) < 1e-6);

  // Again, and the toast's Undo.
  await drop(page, [['drama-zh.srt', srt]]);
  await page.waitForFunction(() => document.querySelectorAll('#dialogue > li').length > 9);
  await page.locator('#toast .toast-action').click();
  await reloaded(page, 9);
  assert.equal((await state(page)).manifest, original.manifest);
  // Nothing left to take back: Ctrl+Z changes nothing.
  await page.keyboard.press('Control+z');
  assert.equal((await state(page)).manifest, original.manifest);
  assert.deepEqual(requests, [], 'undo fetched nothing either');
  assert.deepEqual(log.errors, []);
});

test('"Add subtitles…" takes a WebVTT file; "Download manifest" saves the merged manifest', async () => {
  const { page } = await env.newPage();
  await demo(page);
  const chooser = page.waitForEvent('filechooser');
  await page.locator('#add-subtitles').click();
  await (await chooser).setFiles(path.join(FIXTURES, 'voices.vtt'));
  await page.waitForFunction(() => document.querySelectorAll('#dialogue > li').length > 9);
  const { texts, lines } = await state(page);
  assert.ok(texts.includes('This life, I will never let you win.'), JSON.stringify(texts));

  const download = page.waitForEvent('download');
  await page.locator('#download-manifest').click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'manifest.json');
  const saved = JSON.parse(await readFile(await file.path(), 'utf8'));
  assert.equal(saved.format, 'manju/1');
  const savedLines = saved.shots.reduce((n, s) => n + (s.lines?.length ?? 0), 0);
  assert.equal(savedLines, lines, 'the saved manifest has every line, the imported ones too');
  assert.ok(saved.shots.some((s) => s.lines?.some((l) => l.text === 'This life, I will never let you win.')));
});

test('a file that cannot be imported says why, with its name and line, and changes nothing', async () => {
  const { page, log } = await env.newPage();
  await demo(page);
  const original = await state(page);
  await drop(page, [['gbk.srt', await readFile(path.join(FIXTURES, 'gbk.srt'))]]);
  await page.locator('#toast').waitFor({ state: 'visible' });
  const message = await page.locator('#toast .toast-text').textContent();
  assert.match(message, /gbk\.srt/);
  assert.match(message, /not UTF-8/);
  assert.match(message, /line 3/);
  assert.match(await page.locator('#import-summary').textContent(), /Could not import gbk\.srt.*unchanged[\s\S]*line 3/);
  const after = await state(page);
  assert.equal(after.manifest, original.manifest);
  assert.equal(after.rows, 9);
  assert.equal(after.state, 'ready');

  // Something that is no subtitle file at all (a PNG under a subtitle's name).
  await drop(page, [['picture.srt', encodePng(4, 4, () => [1, 2, 3, 255])]]);
  await page.waitForFunction(() => /picture\.srt/.test(document.querySelector('#toast .toast-text').textContent));
  assert.match(await page.locator('#toast .toast-text').textContent(), /Could not import picture\.srt/);
  assert.equal((await state(page)).manifest, original.manifest);
  assert.deepEqual(log.errors, []);
});

test('a drop holding a drama still opens that drama', async () => {
  const { page } = await env.newPage();
  await demo(page);
  const manifest = JSON.stringify({
    format: 'manju/1',
    title: 'Dropped drama',
    canvas: { width: 90, height: 160 },
    assets: { bg: 'bg.png' },
    shots: [{ duration: 1, layers: [{ image: 'bg' }], lines: [{ text: '一', at: 0, duration: 1 }] }],
  });
  await drop(page, [['manifest.json', Buffer.from(manifest)], ['bg.png', encodePng(9, 16, () => [20, 60, 200, 255])]]);
  await page.waitForFunction(() => document.getElementById('player').title === 'Dropped drama');
  const { state: s } = await settled(page);
  assert.equal(s, 'ready');
  await page.waitForFunction(() => document.querySelectorAll('#dialogue > li').length === 1);
});
