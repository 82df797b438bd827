// A drama packed as one .zip (manifest plus assets), read by the core (src/import/zip.rs)
// with limits: loaded through load(blob), through `?src=<.zip URL>`, by dropping it on
// the page and through "Open .zip…"; archives that are broken, hostile (names with `..`
// or backslashes, absolute paths), too dense (a zip bomb) or too many-entried are refused
// with a message that says why, and nothing of them is played.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { encodePng, makeZip, pixelAt, settled, start, withTempDir } from './helpers.mjs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'corpus');

const GREEN = [30, 180, 90, 255];
const greenPng = encodePng(9, 16, () => GREEN);
const manifest = (title = 'Zipped drama', src = 'img/bg.png') => Buffer.from(JSON.stringify({
  format: 'manju/1',
  title,
  canvas: { width: 90, height: 160, fps: 30, background: '#000000' },
  assets: { bg: src },
  shots: [{ id: 'only', duration: 2, layers: [{ image: 'bg' }] }],
}));
const goodZip = makeZip([
  ['episode/readme.json', Buffer.from('{"format": "other"}')],
  ['episode/manifest.json', manifest()],
  ['episode/img/bg.png', greenPng, { store: true }],
]);

let env;
before(async () => {
  env = await start({
    demo: false,
    handler: (req, res, urlPath) => {
      if (urlPath !== '/fixture/drama.zip') return false;
      res.writeHead(200, { 'Content-Type': 'application/zip' });
      res.end(goodZip);
      return true;
    },
  });
});
after(async () => {
  await env?.close();
});

/** Loads `bytes` as a File into the page's player; resolves with the outcome. */
function loadZip(page, bytes, name = 'drama.zip') {
  return page.evaluate(async ([b64, fileName]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const p = document.getElementById('player');
    const ok = await p.load(new File([bytes], fileName, { type: 'application/zip' }));
    return { ok, state: p.state, problems: p.problems, title: p.title };
  }, [bytes.toString('base64'), name]);
}

test('a .zip plays: its manifest is found, its assets are read from it', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const result = await loadZip(page, goodZip);
  assert.equal(result.ok, true, JSON.stringify(result.problems));
  assert.deepEqual(result.problems, []);
  assert.equal(result.title, 'Zipped drama');
  await page.evaluate(() => document.getElementById('player').seek(1));
  assert.deepEqual(await pixelAt(page, 45, 80), GREEN);
});

test('?src= may name a .zip', async () => {
  const { page } = await env.newPage();
  await page.goto(`${env.url}?src=fixture/drama.zip`);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  await page.evaluate(() => document.getElementById('player').seek(0.5));
  assert.deepEqual(await pixelAt(page, 45, 80), GREEN);
  assert.equal(await page.locator('#title').textContent(), 'Zipped drama');
});

test('a dropped .zip and "Open .zip…" both play', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const dropped = makeZip([['manifest.json', manifest('Dropped zip', 'bg.png')], ['bg.png', greenPng]]);
  await page.evaluate((b64) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'dropped.zip'));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, dropped.toString('base64'));
  await page.waitForFunction(() => document.getElementById('player').title === 'Dropped zip');
  assert.equal((await settled(page)).state, 'ready');
  assert.match(await page.locator('#source').textContent(), /dropped\.zip/);

  await withTempDir(async (dir) => {
    const file = path.join(dir, 'chosen.zip');
    await writeFile(file, makeZip([['manifest.json', manifest('Chosen zip', 'bg.png')], ['bg.png', greenPng]]));
    await page.locator('#open-zip').setInputFiles(file);
    await page.waitForFunction(() => document.getElementById('player').title === 'Chosen zip');
  });
  assert.equal((await settled(page)).state, 'ready');
  await page.evaluate(() => document.getElementById('player').seek(1));
  assert.deepEqual(await pixelAt(page, 45, 80), GREEN);
});

test('a folder that holds OpenTimelineIO timelines plays one, with what its import said', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const before = await page.evaluate(() => document.getElementById('player').title);
  await page.locator('#open-folder').setInputFiles(path.join(CORPUS, 'otio'));
  await page.waitForFunction((t) => document.getElementById('player').title !== t && document.getElementById('player').state !== 'loading', before);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  assert.ok(problems.some((p) => /\.otio: /.test(p.path)), JSON.stringify(problems));
});

test('bad archives are refused with the reason, and nothing of them plays', async () => {
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  const cases = [
    ['not a zip at all', Buffer.from('hello, this is text'), /not a zip archive/],
    ['a zip cut short', goodZip.subarray(0, goodZip.length - 40), /not a readable zip archive/],
    ['a name with ..', makeZip([['manifest.json', manifest()], ['../../etc/passwd', Buffer.from('x')]]), /`\.\.\/\.\.\/etc\/passwd`: .*escape/],
    ['an absolute name', makeZip([['manifest.json', manifest()], ['/tmp/x.png', greenPng]]), /`\/tmp\/x\.png`: .*escape/],
    ['a backslash', makeZip([['manifest.json', manifest()], ['img\\bg.png', greenPng]]), /escape/],
    ['a zip bomb', makeZip([['manifest.json', manifest()], ['img/bg.png', Buffer.alloc(8 << 20)]]), /`img\/bg\.png`: compressed \d+:1, more than 100:1/],
    ['10 001 entries', makeZip(Array.from({ length: 10_001 }, (_, i) => [`f${i}`, Buffer.alloc(0)]), { store: true }), /10001 entries; at most 10000/],
    ['no manifest inside', makeZip([['img/bg.png', greenPng], ['notes.json', Buffer.from('{"format": "x"}')]]),
      /No manifest in the archive: none of the 1 \.json files \("notes\.json"\) has "format": "manju\/1"\. Open the folder \(or \.zip\) that holds/],
    ['nothing inside', makeZip([]), /Nothing in the archive: it holds no files\. Pack the drama's folder/],
    ['only folders inside', makeZip([['episode/', Buffer.alloc(0)]], { store: true }), /Nothing in the archive/],
    ['no .json inside', makeZip([['img/bg.png', greenPng]]), /No manifest in the archive: none of the 1 entries is a \.json file/],
  ];
  for (const [what, bytes, message] of cases) {
    const result = await loadZip(page, bytes, `${what}.zip`);
    assert.equal(result.ok, false, what);
    assert.equal(result.state, 'error', what);
    assert.equal(result.problems.length, 1, `${what}: ${JSON.stringify(result.problems)}`);
    assert.match(result.problems[0].message, message, what);
    assert.ok(await page.locator('manju-player').locator('.error').isVisible(), `${what}: the error state shows`);
    assert.match(await page.locator('#problems li').first().textContent(), message, `${what}: listed on the page`);
  }
  // A timeline zipped is imported too (a Divina: tests/browser/import.test.mjs).
  const otioZip = makeZip([['edit/multitrack.otio', await readFile(path.join(CORPUS, 'otio', 'multitrack.otio'))]]);
  const timeline = await loadZip(page, otioZip, 'publication.zip');
  assert.equal(timeline.state, 'ready', JSON.stringify(timeline.problems));
  assert.ok(timeline.problems.some((p) => /3 video tracks: only the first/.test(p.message)), JSON.stringify(timeline.problems));
  // An entry whose header understates its size passes the open checks and fails when
  // read: the asset is reported missing, the drama still plays.
  const liar = makeZip([['manifest.json', manifest('Liar')], ['img/bg.png', greenPng, { size: 10 }]]);
  const result = await loadZip(page, liar, 'liar.zip');
  assert.equal(result.state, 'ready', JSON.stringify(result.problems));
  assert.ok(result.problems.some((p) => p.path === 'assets.bg' && /damaged/.test(p.message)), JSON.stringify(result.problems));
  assert.deepEqual(log.errors, []);
});
