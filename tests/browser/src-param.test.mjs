// `?src=<manifest URL>` plays another drama, with its asset paths relative to the
// manifest's URL; a manifest that cannot be fetched is an error state, not a blank page.
// The fixture lives in a temp folder served under /fixture/ by the test server's handler.

import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { cspViolations, encodePng, pixelAt, settled, start } from './helpers.mjs';

const RED = [220, 30, 40, 255];
let env;
let fixtureDir;

before(async () => {
  fixtureDir = await mkdtemp(path.join(tmpdir(), 'manju-src-'));
  const tiny = path.join(fixtureDir, 'tiny');
  await mkdir(path.join(tiny, 'img'), { recursive: true });
  await writeFile(path.join(tiny, 'img', 'red.png'), encodePng(4, 4, () => RED));
  await writeFile(path.join(tiny, 'manifest.json'), JSON.stringify({
    format: 'manju/1',
    title: 'Tiny fixture',
    canvas: { width: 64, height: 36, fps: 24, background: '#000000' },
    assets: { red: 'img/red.png' },
    shots: [{ duration: 1.5, layers: [{ image: 'red', fit: 'cover' }] }],
  }));

  // A drama whose images arrive slowly, to watch the loading indicator.
  const slow = path.join(fixtureDir, 'slow');
  await mkdir(slow, { recursive: true });
  for (const n of [1, 2, 3]) await writeFile(path.join(slow, `${n}.png`), encodePng(2, 2, () => RED));
  await writeFile(path.join(slow, 'manifest.json'), JSON.stringify({
    format: 'manju/1',
    canvas: { width: 32, height: 32 },
    assets: { a: '1.png', b: '2.png', c: '3.png' },
    shots: [{ duration: 1, layers: [{ image: 'a' }, { image: 'b' }, { image: 'c' }] }],
  }));

  env = await start({
    demo: false,
    delays: [{ match: /^\/fixture\/slow\/\d\.png$/, ms: 700 }],
    handler: async (req, res, urlPath) => {
      if (!urlPath.startsWith('/fixture/')) return false;
      const file = path.join(fixtureDir, path.normalize(urlPath.slice('/fixture/'.length)));
      if (!file.startsWith(fixtureDir + path.sep)) return false;
      try {
        await stat(file);
      } catch {
        res.writeHead(404).end();
        return true;
      }
      res.writeHead(200, { 'Content-Type': file.endsWith('.json') ? 'application/json' : 'image/png' });
      createReadStream(file).pipe(res);
      return true;
    },
  });
});

after(async () => {
  await env?.close();
  if (fixtureDir) await rm(fixtureDir, { recursive: true, force: true });
});

test('?src= loads another manifest, with assets relative to it', async () => {
  const { page, log } = await env.newPage();
  await page.goto(`${env.url}?src=${encodeURIComponent('fixture/tiny/manifest.json')}`);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  assert.deepEqual(problems, []);
  const info = await page.evaluate(() => {
    const p = document.getElementById('player');
    return { title: p.title, width: p.width, height: p.height, duration: p.duration, canvas: [p.canvas.width, p.canvas.height] };
  });
  assert.deepEqual(info, { title: 'Tiny fixture', width: 64, height: 36, duration: 1.5, canvas: [64, 36] });
  assert.equal(await page.locator('#title').textContent(), 'Tiny fixture');
  assert.equal(await page.locator('#source').textContent(), 'fixture/tiny/manifest.json');
  await page.evaluate(() => document.getElementById('player').seek(0.7));
  assert.deepEqual(await pixelAt(page, 32, 18), RED, 'the image asset was fetched relative to the manifest');
  assert.deepEqual(await cspViolations(page, log), []);
});

test('a loading indicator counts the assets while they load', async () => {
  const { page } = await env.newPage();
  await page.goto(`${env.url}?src=fixture/slow/manifest.json`);
  const overlay = page.locator('manju-player').locator('.loading');
  await overlay.waitFor({ state: 'visible' });
  await page.waitForFunction(() => /Loading assets… 0 of 3/.test(
    document.getElementById('player').shadowRoot.querySelector('.loading').textContent));
  const progress = page.locator('manju-player').locator('progress');
  assert.equal(await progress.getAttribute('max'), '3');
  const { state } = await settled(page);
  assert.equal(state, 'ready');
  assert.equal(await overlay.isVisible(), false, 'the indicator goes once the drama is ready');
  assert.equal(await progress.evaluate((p) => p.value), 3);
});

test('a ?src= that cannot be fetched is an error state with the reason', async () => {
  const { page } = await env.newPage();
  await page.goto(`${env.url}?src=fixture/nothing-here/manifest.json`);
  const { state, problems } = await settled(page);
  assert.equal(state, 'error');
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /could not fetch the manifest .*404/);
  assert.ok(await page.locator('manju-player').locator('.error').isVisible());
  assert.match(await page.locator('#problems li').first().textContent(), /404/);
});
