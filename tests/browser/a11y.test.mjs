// Accessibility: axe-core finds no serious or critical violations on the page, with the
// demo ready, with warnings listed, and in the error state (axe is injected as an init script, which the page's
// CSP does not govern).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { settled, start } from './helpers.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

async function seriousViolations(page) {
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the page has no serious accessibility violations: ready, with warnings, in error', async () => {
  const { page } = await env.newPage({ initScript: { path: AXE } });
  await page.goto(env.url);
  const { state } = await settled(page);
  assert.equal(state, 'ready');
  assert.deepEqual(await seriousViolations(page), []);

  const warned = await page.evaluate(() => document.getElementById('player').load({
    manifestText: JSON.stringify({ format: 'manju/1', assets: { a: 'a.png' }, shots: [{ layers: [{ image: 'a' }] }] }),
    files: new Map(),
  }));
  assert.equal(warned, true);
  assert.ok(await page.locator('#problems li[data-severity="warning"]').count() > 0);
  assert.deepEqual(await seriousViolations(page), []);

  await page.evaluate(() => document.getElementById('player').load({ manifestText: '{', files: new Map() }));
  await settled(page);
  assert.deepEqual(await seriousViolations(page), []);
});
