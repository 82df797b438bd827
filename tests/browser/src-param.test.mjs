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

test('a ?src= that is not http(s) is refused up front, naming its scheme', async () => {
  for (const [src, scheme] of [['javascript:alert(1)', 'javascript:'], ['data:application/json,{}', 'data:'], ['file:///etc/passwd', 'file:']]) {
    const { page, log } = await env.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${env.url}?src=${encodeURIComponent(src)}`);
    const { state, problems } = await settled(page);
    assert.equal(state, 'error', src);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, new RegExp(`is a ${scheme} link, which Manju does not follow`), problems[0].message);
    assert.ok(!requests.some((u) => u.startsWith(scheme)), `nothing was fetched from ${src}`);
    assert.deepEqual(await cspViolations(page, log), [], 'nothing reached the CSP');
    assert.deepEqual(log.errors, []);
    await page.context().close();
  }
});

test('an asset named by a javascript: or data: link is missing, with the reason, and the rest plays', async () => {
  await mkdir(path.join(fixtureDir, 'schemes'), { recursive: true });
  await writeFile(path.join(fixtureDir, 'schemes', 'red.png'), encodePng(4, 4, () => RED));
  await writeFile(path.join(fixtureDir, 'schemes', 'manifest.json'), JSON.stringify({
    format: 'manju/1',
    canvas: { width: 64, height: 36 },
    assets: { red: 'red.png', js: { src: 'javascript:alert(1)', type: 'image' }, data: { src: 'data:image/png;base64,AAAA', type: 'image' } },
    shots: [{ duration: 1, layers: [{ image: 'red' }, { image: 'js', opacity: 0.5 }] }, { duration: 1, layers: [{ image: 'data' }] }],
  }));
  const { page, log } = await env.newPage();
  await page.goto(`${env.url}?src=fixture/schemes/manifest.json`);
  const { state, problems } = await settled(page);
  assert.equal(state, 'ready', JSON.stringify(problems));
  for (const [id, scheme] of [['js', 'javascript:'], ['data', 'data:']]) {
    const p = problems.find((x) => x.path === `assets.${id}`);
    assert.ok(p, `a problem for assets.${id}: ${JSON.stringify(problems)}`);
    assert.match(p.message, new RegExp(`is a ${scheme} link, which Manju does not follow`));
  }
  assert.deepEqual(await cspViolations(page, log), []);
});

test('a drama on another site says so, and plays once the deployment allows that site', async () => {
  // Another origin: the same fixture from a second server on another port, which lets
  // other sites' players fetch from it (CORS).
  const other = await start({
    demo: false,
    cors: true,
    handler: async (req, res, urlPath) => {
      if (!urlPath.startsWith('/tiny/')) return false;
      const file = path.join(fixtureDir, 'tiny', path.basename(path.dirname(urlPath)) === 'img' ? 'img' : '', path.basename(urlPath));
      res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': file.endsWith('.json') ? 'application/json' : 'image/png' });
      createReadStream(file).pipe(res);
      return true;
    },
  });
  const remote = `${other.url}tiny/manifest.json`;
  try {
    const { page } = await env.newPage();
    await page.goto(`${env.url}?src=${encodeURIComponent(remote)}`);
    const { state, problems } = await settled(page);
    assert.equal(state, 'error');
    assert.match(problems[0].message, new RegExp(`is on another site \\(${new URL(other.url).origin.replace(/[.]/g, '\\.')}\\)`));
    assert.match(problems[0].message, /--allow-origin/);

    const allowing = await start({ demo: false, allowOrigins: [new URL(other.url).origin] });
    try {
      const { page: allowed, log } = await allowing.newPage();
      await allowed.goto(`${allowing.url}?src=${encodeURIComponent(remote)}`);
      const result = await settled(allowed);
      assert.equal(result.state, 'ready', JSON.stringify(result.problems));
      await allowed.evaluate(() => document.getElementById('player').seek(0.7));
      assert.deepEqual(await pixelAt(allowed, 32, 18), RED, 'its image came from the other site');
      assert.deepEqual(await cspViolations(allowed, log), []);
    } finally {
      await allowing.close();
    }
  } finally {
    await other.close();
  }
});
