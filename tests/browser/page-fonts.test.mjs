// The page's own Chinese text — the drama's title, the speakers and words in the dialogue
// sheet, the shot list — is drawn with the built-in font the page brings (registered as
// "Manju Sans" from the bytes the player fetched for the core), never with whatever CJK
// font the system has. The browser runs with a bare machine's fonts (DejaVu, Liberation:
// scripts/chromium.mjs), which have no Chinese at all, so any glyph not drawn from Manju
// Sans would be a box. Chromium says which fonts drew a node's text (DevTools protocol,
// CSS.getPlatformFontsForNode), whether each is a web font, and how many glyphs it drew.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cspViolations, loadedAll, settled, start } from './helpers.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/**
 * The fonts that drew the text of the first node matching `selector`: {family: glyphs}, a
 * web font (one the page registered) named `page:<its own family name>`.
 */
async function fontsOf(cdp, selector) {
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  assert.ok(nodeId, `${selector} is on the page`);
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return Object.fromEntries(fonts.map((f) => [`${f.isCustomFont ? 'page:' : ''}${f.familyName}`, f.glyphCount]));
}

/** The page font as Chromium names it: a web font, by the family name inside the file. */
const PAGE_FONT = 'page:Noto Sans CJK SC';

/** Counts the characters of `text` in the CJK ranges the page font covers. */
const cjkCount = (text) => [...text].filter((c) => /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/.test(c)).length;

test('the page draws its Chinese text with its own font, not the system\'s', async () => {
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  assert.equal((await settled(page)).state, 'ready');
  await loadedAll(page);
  await page.waitForFunction(() => document.getElementById('player').fontState === 'ready');
  await page.evaluate(() => document.fonts.ready);

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  // The browser has no CJK font of its own (the test would prove nothing otherwise): Chinese
  // asked of the system's fonts comes from nothing but DejaVu and Liberation.
  await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.id = 'system-probe';
    probe.style.fontFamily = 'sans-serif';
    probe.textContent = '林晚不是已经死了吗';
    document.body.append(probe);
  });
  const system = await fontsOf(cdp, '#system-probe');
  assert.ok(Object.keys(system).every((f) => /^(DejaVu|Liberation)/.test(f)), `no system CJK font: ${JSON.stringify(system)}`);

  const title = await page.locator('#title').textContent();
  assert.ok(cjkCount(title) > 0, `the demo's title is Chinese: ${title}`);
  const titleFonts = await fontsOf(cdp, '#title');
  assert.equal(titleFonts[PAGE_FONT], cjkCount(title), `the title's Chinese is all Manju Sans: ${JSON.stringify(titleFonts)}`);

  const line = await page.locator('#dialogue li .cue-text').first().textContent();
  assert.ok(cjkCount(line) > 0, `a Chinese line: ${line}`);
  const lineFonts = await fontsOf(cdp, '#dialogue li .cue-text');
  assert.ok(lineFonts[PAGE_FONT] >= cjkCount(line), `the dialogue sheet's words are Manju Sans: ${JSON.stringify(lineFonts)}`);
  // Latin and digits (times, tags) stay in the system's UI font.
  const timeFonts = await fontsOf(cdp, '#dialogue li .cue-time');
  assert.deepEqual(Object.keys(timeFonts), ['DejaVu Sans'], `a line's time is in the UI font: ${JSON.stringify(timeFonts)}`);
  const speaker = await fontsOf(cdp, '#dialogue li .cue-speaker-name');
  assert.ok(speaker[PAGE_FONT] > 0, `speakers' names too: ${JSON.stringify(speaker)}`);

  assert.deepEqual(await cspViolations(page, log), [], 'registering the font needs no font-src');
  assert.deepEqual(log.errors, []);
});

test('before the built-in font is in, the page still shows its text (with what the system has)', async () => {
  const { page } = await env.newPage();
  await page.route('**/fonts/manju-sans.otf', (route) => route.abort());
  await page.goto(env.url);
  assert.equal((await settled(page)).state, 'ready');
  await page.waitForFunction(() => document.getElementById('player').fontState === 'error');
  // No face is registered, so nothing waits for one, and the title is there.
  assert.equal(await page.evaluate(() => [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Manju Sans')), false);
  await page.evaluate(() => document.fonts.ready);
  assert.match(await page.locator('#title').textContent(), /雨夜/);
  assert.ok(await page.locator('#title').isVisible());
});
