// Accessibility: axe-core finds no violations at all (any impact) on the page: with the
// demo ready, with the shortcut overlay open, at a phone's size, with warnings listed,
// in the error state, with subtitles imported (the report, its problems, the toast with
// Undo, problems under lines) and with the notice a missing font brings (axe is injected
// as an init script, which the page's CSP does not govern). And every control of the
// player is reachable with Tab, with a name.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadedAll, ROOT, settled, start } from './helpers.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

async function violations(page) {
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the page has no accessibility violations: ready, shortcuts open, with warnings, in error', async () => {
  const { page } = await env.newPage({ initScript: { path: AXE } });
  await page.goto(env.url);
  const { state } = await settled(page);
  assert.equal(state, 'ready');
  await loadedAll(page);
  assert.deepEqual(await violations(page), [], 'ready');

  await page.locator('#player').focus();
  await page.keyboard.press('?');
  await page.locator('manju-player').locator('dialog.shortcuts').waitFor({ state: 'visible' });
  assert.deepEqual(await violations(page), [], 'with the shortcuts open');
  await page.keyboard.press('Escape');

  const warned = await page.evaluate(() => document.getElementById('player').load({
    manifestText: JSON.stringify({ format: 'manju/1', assets: { a: 'a.png' }, shots: [{ layers: [{ image: 'a' }] }] }),
    files: new Map(),
  }));
  assert.equal(warned, true);
  assert.ok(await page.locator('#problems li[data-severity="warning"]').count() > 0);
  assert.deepEqual(await violations(page), [], 'with warnings');

  await page.evaluate(() => document.getElementById('player').load({ manifestText: '{', files: new Map() }));
  await settled(page);
  assert.deepEqual(await violations(page), [], 'in error');
});

test('at a phone\'s size too', async () => {
  const { page } = await env.newPage({ initScript: { path: AXE }, viewport: { width: 390, height: 844 } });
  await page.goto(env.url);
  await settled(page);
  await loadedAll(page);
  assert.deepEqual(await violations(page), []);
});

test('with subtitles imported, and with the notice a font that did not load brings', async () => {
  const { page } = await env.newPage({ initScript: { path: AXE } });
  await page.goto(env.url);
  await settled(page);
  await loadedAll(page);
  await page.waitForFunction(() => document.getElementById('player').fontState === 'ready');
  const srt = (await readFile(path.join(ROOT, 'tests', 'fixtures', 'subtitles', 'drama-zh.srt'))).toString('base64');
  await page.evaluate((b64) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'drama-zh.srt'));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, srt);
  await page.waitForFunction(() => document.querySelectorAll('#dialogue > li').length > 9
    && document.querySelector('#dialogue .cue-problem') && !document.getElementById('toast').hidden);
  assert.deepEqual(await violations(page), [], 'with subtitles imported');

  // A server without the font.
  const fontless = await start({
    handler: (req, res, urlPath) => {
      if (urlPath !== '/fonts/manju-sans.otf') return false;
      res.writeHead(404).end();
      return true;
    },
  });
  try {
    const { page: other } = await fontless.newPage({ initScript: { path: AXE } });
    await other.goto(fontless.url);
    await settled(other);
    await other.waitForFunction(() => document.getElementById('player').fontState === 'error');
    assert.deepEqual(await violations(other), [], 'with the font notice');
  } finally {
    await fontless.close();
  }
});

test('Tab reaches every control of the player, each with a role and a name', async () => {
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  await page.locator('#player').focus();
  const reached = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const p = document.getElementById('player');
      const el = p.shadowRoot.activeElement;
      if (!el) return null;
      const name = el.getAttribute('aria-label') ?? el.textContent.trim();
      return { tag: el.tagName.toLowerCase(), cls: el.className, name };
    });
    if (!focused) break;
    reached.push(focused);
  }
  const names = reached.map((r) => r.cls);
  for (const cls of ['seek', 'play', 'speed', 'loop', 'mute', 'volume', 'help', 'fullscreen']) {
    assert.ok(names.includes(cls), `Tab reaches the ${cls} control (reached: ${names.join(', ')})`);
  }
  for (const r of reached) assert.ok(r.name, `${r.cls} has a name`);
});
