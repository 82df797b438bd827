// The set-up the review page's browser tests share: a real `manju serve` on a temp SQLite
// with the demo as drama `demo` v1, a headless Chromium, share links, and a reviewer's
// page signed in through the name dialog. One place, so the test files do not drift.

import assert from 'node:assert/strict';
import { launchChromium } from '../../scripts/chromium.mjs';
import { cleanup, DEMO, makeLibrary, owned, startServer } from '../review/server.mjs';
import { READY_TIMEOUT_MS, requireBuilt } from './helpers.mjs';

/**
 * Starts the server (the demo as `demo` v1, no rate limit to speak of) and the browser.
 * Returns the room: `{server, api, version, browser, shareLink, reviewer, comments,
 * untilServer, close}`.
 */
export async function openReviewRoom() {
  requireBuilt();
  const server = await startServer({ library: makeLibrary({ demo: { v1: DEMO } }), args: ['--rate-limit', '100000/100000'] });
  const api = await owned(server);
  const version = api.version('demo');
  const browser = await launchChromium({});

  /** A new share link's token for drama `demo`. */
  async function shareLink(role) {
    const link = await api.owner.post('/api/v1/dramas/demo/shares', { role, label: `${role} test` });
    assert.equal(link.status, 201, link.text);
    return link.json.token;
  }

  /**
   * A reviewer's page: a fresh browser context (other options, as `hasTouch`, go to it)
   * opening `url` (a link), typing `name` in the name dialog when asked; resolves once
   * the drama plays and the notes panel shows. `errors` collects page errors, `csp` the
   * page's CSP violations (see cspViolations in ./helpers.mjs for the events).
   */
  async function reviewer(url, name, { viewport = { width: 1280, height: 800 }, initScript = null, ...options } = {}) {
    const context = await browser.newContext({ viewport, acceptDownloads: true, ...options });
    const page = await context.newPage();
    const errors = [];
    const console = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => console.push(m.text()));
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`));
    });
    if (initScript) await page.addInitScript(initScript);
    await page.goto(url);
    await signIn(page, name);
    const csp = async () => [...console.filter((m) => /Content Security Policy/i.test(m)), ...await page.evaluate(() => window.__cspViolations)];
    return { page, context, errors, csp };
  }

  const comments = async () => (await api.owner.get(`/api/v1/versions/${version}/comments`)).json.comments;

  /** Polls the server until `predicate(comments)` holds; returns the comments. */
  async function untilServer(predicate, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const list = await comments();
      if (predicate(list)) return list;
      if (Date.now() > deadline) throw new Error(`the server did not get there in ${timeout} ms: ${JSON.stringify(list.map((c) => [c.body, c.status]))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function close() {
    await browser?.close();
    await server?.stop();
    cleanup(server?.library, server?.data);
  }

  return { server, api, version, browser, shareLink, reviewer, comments, untilServer, close };
}

/** Types `name` in the name dialog and waits for the review to be ready. */
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

/** The note (its list item) whose words include `body`. */
export const note = (page, body) => page.locator('#notes-card li.note', { hasText: body }).first();
