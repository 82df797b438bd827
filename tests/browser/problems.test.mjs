// Problems reach the reviewer: an unreadable manifest puts the player in its error state
// and lists every problem (severity, JSON path, message, line:column) on the page; a
// missing image is a warning and the drama still plays. Also the two ways of opening a
// reviewer's own files: drag and drop, and "Open folder".

import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { cspViolations, encodePng, pixelAt, pngDeclaring, ROOT, settled, start, withTempDir } from './helpers.mjs';

let env;
before(async () => {
  env = await start({ demo: false });
});
after(async () => {
  await env?.close();
});

const BLUE = [20, 60, 200, 255];
const bluePng = encodePng(9, 16, () => BLUE);

/** A small playable drama: one blue background layer, optionally a second image. */
function tinyManifest({ extraImage } = {}) {
  const assets = { bg: 'img/bg.png' };
  const layers = [{ image: 'bg' }];
  if (extraImage) {
    assets.hero = extraImage;
    layers.push({ image: 'hero', fit: 'contain', scale: 0.5 }); // leaves the background visible
  }
  return JSON.stringify({
    format: 'manju/1',
    title: 'Tiny drama',
    canvas: { width: 90, height: 160, fps: 30, background: '#000000' },
    assets,
    shots: [{ id: 'only', duration: 2, layers }],
  }, null, 2);
}

/** The problem list as the page shows it. */
function listedProblems(page) {
  return page.$$eval('#problems li', (items) => items.map((li) => ({
    severity: li.dataset.severity,
    label: li.querySelector('.severity')?.textContent,
    path: li.querySelector('.problem-path')?.textContent,
    position: li.querySelector('.problem-pos')?.textContent ?? null,
    message: li.querySelector('.problem-message')?.textContent,
  })));
}

/** Loads in-memory files into the page's player; `files` maps paths to base64 bytes. */
function loadInMemory(page, manifestText, files = {}) {
  return page.evaluate(async ([text, encoded]) => {
    const files = new Map(Object.entries(encoded).map(([p, b64]) => [p, Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
    const player = document.getElementById('player');
    const errors = [];
    player.addEventListener('error', (e) => errors.push(e.detail), { once: true });
    const ok = await player.load({ manifestText: text, files });
    return { ok, errorDetail: errors[0] ?? null, state: player.state, problems: player.problems };
  }, [manifestText, Object.fromEntries(Object.entries(files).map(([p, b]) => [p, b.toString('base64')]))]);
}

test('an unreadable manifest shows its problems with JSON paths and line:column, and an error state', async () => {
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  await settled(page);

  const text = '{\n  "format": "manju/1",\n  "shots": [ { "duration": 2, } ]\n}\n';
  const result = await loadInMemory(page, text);
  assert.equal(result.ok, false);
  assert.equal(result.state, 'error');
  assert.ok(result.problems.length > 0);
  assert.deepEqual(result.errorDetail, result.problems, 'the error event carries the problem list');
  const syntax = result.problems.find((p) => p.severity === 'error' && p.line != null);
  assert.ok(syntax, `a syntax error with its position: ${JSON.stringify(result.problems)}`);
  assert.equal(syntax.line, 3);

  const listed = await listedProblems(page);
  assert.equal(listed.length, result.problems.length, 'every problem is listed on the page');
  const shown = listed.find((p) => p.message === syntax.message);
  assert.equal(shown.severity, 'error');
  assert.equal(shown.label, 'error');
  assert.equal(shown.position, `${syntax.line}:${syntax.column}`);
  assert.equal(shown.path, syntax.path || '(manifest)');
  assert.equal(await page.locator('#problem-count').textContent(), String(result.problems.length));

  // Not a blank page: the player shows its error state, with the first problem.
  const overlay = page.locator('manju-player').locator('.error');
  assert.ok(await overlay.isVisible(), 'the player shows its error state');
  assert.match(await overlay.textContent(), /cannot be played/);
  assert.ok((await overlay.textContent()).includes(syntax.message));
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');

  // A manifest in another format is fatal too, and its problem names the field.
  const other = await loadInMemory(page, JSON.stringify({ format: 'manju/9', shots: [] }));
  assert.equal(other.state, 'error');
  assert.ok(other.problems.some((p) => p.severity === 'error' && p.path === 'format'), JSON.stringify(other.problems));
  assert.ok((await listedProblems(page)).some((p) => p.path === 'format'));

  assert.deepEqual(await cspViolations(page, log), []);
  assert.deepEqual(log.errors, []);
});

test('problems in a playable manifest are listed by JSON path and it still plays', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const manifest = JSON.parse(tinyManifest());
  manifest.shots[0].colour = 'red'; // an unknown field
  manifest.shots[0].layers[0].opacity = 'half'; // a wrong type
  const result = await loadInMemory(page, JSON.stringify(manifest, null, 2), { 'img/bg.png': bluePng });
  // Errors that leave the drama playable are listed, and the drama plays anyway.
  assert.equal(result.state, 'ready', JSON.stringify(result.problems));
  const paths = result.problems.map((p) => p.path);
  assert.ok(paths.includes('shots[0].colour'), `unknown field by path: ${JSON.stringify(result.problems)}`);
  assert.ok(paths.includes('shots[0].layers[0].opacity'), 'wrong type by path');
  const listed = await listedProblems(page);
  assert.ok(listed.some((p) => p.path === 'shots[0].colour' && p.position !== null), 'listed with its position');
  assert.equal(await page.locator('#problem-count').getAttribute('data-level'), 'error');
  await page.evaluate(() => document.getElementById('player').seek(1));
  assert.deepEqual(await pixelAt(page, 45, 80), BLUE, 'the drama is drawn');
});

test('a missing image is a warning: the drama plays with a placeholder', async () => {
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const result = await loadInMemory(page, tinyManifest({ extraImage: 'img/hero.png' }), { 'img/bg.png': bluePng });
  assert.equal(result.ok, true, JSON.stringify(result.problems));
  assert.equal(result.state, 'ready');
  assert.deepEqual(result.problems.filter((p) => p.severity === 'error'), []);
  const warning = result.problems.find((p) => p.severity === 'warning' && /hero/.test(`${p.path} ${p.message}`));
  assert.ok(warning, `a warning names the missing image: ${JSON.stringify(result.problems)}`);
  const listed = await listedProblems(page);
  assert.ok(listed.some((p) => p.severity === 'warning' && p.path === warning.path), 'the warning is on the page');

  await page.evaluate(() => document.getElementById('player').play());
  await page.waitForFunction(() => document.getElementById('player').currentTime > 0.5);
  // The background is drawn, and the placeholder for the missing image covers part of it.
  const colours = await page.evaluate(() => {
    const c = document.getElementById('player').canvas;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let blue = 0;
    let other = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] === 20 && d[i + 1] === 60 && d[i + 2] === 200) blue++;
      else other++;
    }
    return { blue, other };
  });
  assert.ok(colours.blue > 0, 'the background image is drawn');
  assert.ok(colours.other > 0, 'the missing image is drawn as a visible placeholder');
  assert.deepEqual(await cspViolations(page, log), []);
});

test('an image too large by its header, and a JPEG cut short, are warnings naming the file; the drama plays', async () => {
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  // A real JPEG (the demo's rain) cut to 60 %: it decodes, grey where the data stops.
  const rain = await readFile(path.join(ROOT, 'www', 'demo', 'img', 'rain.jpg'));
  // Its data is junk: "too large" (not "cannot be decoded") proves the header decided.
  const huge = pngDeclaring(16384, 16384);
  for (const [file, bytes, message] of [
    ['img/huge.png', huge, /`img\/huge\.png`: too large: a 33 KB file of 16384×16384 pixels \(268\.4 million\)/],
    ['img/cut.jpg', rain.subarray(0, Math.floor(rain.length * 0.6)), /`img\/cut\.jpg` is damaged: its data ends early/],
  ]) {
    const result = await loadInMemory(page, tinyManifest({ extraImage: file }), { 'img/bg.png': bluePng, [file]: bytes });
    assert.equal(result.ok, true, JSON.stringify(result.problems));
    assert.equal(result.state, 'ready');
    const warning = result.problems.find((p) => p.path === 'assets.hero');
    assert.ok(warning, `a warning for ${file}: ${JSON.stringify(result.problems)}`);
    assert.equal(warning.severity, 'warning');
    assert.match(warning.message, message);
    const listed = await listedProblems(page);
    assert.ok(listed.some((p) => p.path === 'assets.hero' && message.test(p.message)), 'on the page too');
  }
  assert.deepEqual(await cspViolations(page, log), []);
  assert.deepEqual(log.errors, []);
});

test('dropped files play: the manifest is found among them and assets map by path', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const files = {
    'notes.json': Buffer.from('{"not": "a manifest"}'),
    'manifest.json': Buffer.from(tinyManifest().replace('img/bg.png', 'bg.png')),
    'bg.png': bluePng,
  };
  await page.evaluate((encoded) => {
    const transfer = new DataTransfer();
    for (const [name, b64] of Object.entries(encoded)) {
      transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
    }
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, Object.fromEntries(Object.entries(files).map(([n, b]) => [n, b.toString('base64')])));
  await page.waitForFunction(() => document.getElementById('player').title === 'Tiny drama');
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  assert.deepEqual(problems, []);
  await page.evaluate(() => document.getElementById('player').seek(1));
  assert.deepEqual(await pixelAt(page, 45, 80), BLUE);
  assert.equal(await page.locator('#title').textContent(), 'Tiny drama');
  assert.match(await page.locator('#source').textContent(), /manifest\.json · 3 files opened/);
});

test('dropping files without a manifest says so and keeps the current drama', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  const before = await settled(page);
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['{"format": "something/else"}'], 'other.json'));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await page.locator('#toast').waitFor({ state: 'visible' });
  assert.match(await page.locator('#toast').textContent(), /No manifest/);
  assert.equal(await page.evaluate(() => document.getElementById('player').state), before.state);
});

test('"Open folder" plays a drama folder with assets in subfolders', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  await withTempDir(async (dir) => {
    const drama = path.join(dir, 'episode-1');
    await mkdir(path.join(drama, 'img'), { recursive: true });
    await writeFile(path.join(drama, 'manifest.json'), tinyManifest());
    await writeFile(path.join(drama, 'img', 'bg.png'), bluePng);
    await writeFile(path.join(drama, 'img', 'meta.json'), '{"format": "other"}');
    await page.locator('#open-folder').setInputFiles(drama);
    await page.waitForFunction(() => document.getElementById('player').title === 'Tiny drama');
  });
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  assert.deepEqual(problems, []);
  await page.evaluate(() => document.getElementById('player').seek(0.5));
  assert.deepEqual(await pixelAt(page, 10, 10), BLUE);
});
