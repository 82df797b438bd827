// Shared set-up of the review pages' browser tests (review-notes, review-export): a real
// `manju serve` on a temp SQLite with the demo as drama `demo` v1, the owner's API, one
// Chromium; reviewers are fresh browser contexts on a link, signed in through the name
// dialog, with page errors and CSP violations recorded; notes written with the keyboard
// as a reviewer does. Waits poll for what they wait for; no fixed sleeps.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { launchChromium } from '../../scripts/chromium.mjs';
import { cleanup, DEMO, makeLibrary, owned, startServer } from '../review/server.mjs';
import { READY_TIMEOUT_MS, requireBuilt } from './helpers.mjs';

/** How long a note may take to reach another reviewer's page. */
export const LIVE_MS = 5000;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's source, for a reviewer's `initScript`. */
export const axeSource = () => readFile(AXE, 'utf8');

/**
 * Starts the server (drama `demo` v1 = the demo) and the browser. Returns {server, api,
 * version, browser, shareLink(role), reviewer(url, name, options), comments(),
 * untilServer(predicate), close()}.
 */
export async function startReview() {
  requireBuilt();
  const server = await startServer({ library: makeLibrary({ demo: { v1: DEMO } }), args: ['--rate-limit', '100000/100000'] });
  let browser;
  try {
    const api = await owned(server);
    const version = api.version('demo');
    browser = await launchChromium({});
    const comments = async () => (await api.owner.get(`/api/v1/versions/${version}/comments`)).json.comments;
    return {
      server, api, version, browser, comments,
      /** A new share link's token for drama `demo`. */
      async shareLink(role) {
        const link = await api.owner.post('/api/v1/dramas/demo/shares', { role, label: `${role} test` });
        assert.equal(link.status, 201, link.text);
        return link.json.token;
      },
      reviewer: (url, name, options) => reviewer(browser, url, name, options),
      /** Polls the server until `predicate(comments)` holds; returns the comments. */
      async untilServer(predicate, timeout = 10_000) {
        const deadline = Date.now() + timeout;
        for (;;) {
          const list = await comments();
          if (predicate(list)) return list;
          if (Date.now() > deadline) throw new Error(`the server did not get there in ${timeout} ms: ${JSON.stringify(list.map((c) => [c.body, c.status]))}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      async close() {
        await browser?.close();
        await server.stop();
        cleanup(server.library, server.data);
      },
    };
  } catch (err) {
    await browser?.close();
    await server.stop();
    cleanup(server.library, server.data);
    throw err;
  }
}

/**
 * A reviewer's page: a fresh browser context opening `url` (a link), typing `name` in the
 * name dialog when asked; resolves once the drama plays and the notes panel shows, to
 * {page, context, errors, csp()} — csp() the CSP violations the page saw so far.
 */
export async function reviewer(browser, url, name, { viewport = { width: 1280, height: 800 }, initScript = null, ...options } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const errors = [];
  const reports = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => /Content Security Policy/i.test(m.text()) && reports.push(m.text()));
  await page.addInitScript(recordCsp);
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  await signIn(page, name);
  const csp = async () => [...reports, ...(await page.evaluate(() => window.__cspViolations ?? []))];
  return { page, context, errors, csp };
}

/** Records the page's CSP violations in `window.__cspViolations` (an init script: the CSP does not apply to it). */
export function recordCsp() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
  });
}

/** Types `name` in the name dialog and waits for the page to be ready. */
export async function signIn(page, name) {
  const field = page.locator('dialog.name-dialog input[name="name"]');
  await field.waitFor({ timeout: READY_TIMEOUT_MS });
  await field.fill(name);
  await page.keyboard.press('Enter');
  await ready(page);
}

/** Waits until the drama plays and the notes panel shows. */
export async function ready(page) {
  await page.waitForFunction(() => document.getElementById('player')?.state === 'ready'
    && !document.getElementById('notes-card').hidden, null, { timeout: READY_TIMEOUT_MS });
}

/** The first note (or reply) of the panel whose text has `body`. */
export const note = (page, body) => page.locator('#notes-card li.note', { hasText: body }).first();

/** Pauses on frame `n`, presses C (with the player focused), types `body`, sends with Ctrl+Enter. */
export async function writeNote(page, n, body) {
  await page.evaluate((f) => document.getElementById('player').seekToFrame(f), n);
  await page.locator('#player').focus();
  await page.keyboard.press('c');
  await page.locator('#composer-body').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer-body');
  await page.keyboard.type(body);
  await page.keyboard.press('Control+Enter');
  await page.locator('.composer').waitFor({ state: 'hidden' });
}

/** axe-core's violations on the page (loaded by `initScript: await axeSource()`), one line each. */
export async function axeViolations(page) {
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
