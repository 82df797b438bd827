// Words on the picture: the built-in font (www/fonts/manju-sans.otf, 1.8 MB) is fetched
// beside the drama's assets and never holds back the first frame; once it is in, the
// frame on the canvas is drawn again with its words (even paused) and the problems gain
// the text warnings. It is fetched once per page. When it cannot be fetched, the player
// says so over the picture and the drama plays without words.
//
// The server holds the font's response until the test lets it go, so "before" and
// "after" are states the test sets up, not moments it hopes to catch.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadedAll, settled, start } from './helpers.mjs';

const FONT_PATH = '/fonts/manju-sans.otf';

let env;
let fontRequests = 0;
/** Resolves the held font responses; replaced for each test that holds them. */
let releaseFont = () => {};
let fontGate = Promise.resolve();
let failFont = false;

before(async () => {
  env = await start({
    handler: async (req, res, urlPath) => {
      if (urlPath !== FONT_PATH) return false;
      fontRequests++;
      if (failFont) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('gone');
        return true;
      }
      await fontGate;
      return false; // the static server sends the file
    },
  });
});
after(async () => {
  releaseFont();
  await env?.close();
});

function holdFont() {
  fontGate = new Promise((resolve) => {
    releaseFont = resolve;
  });
}

/** Keeps the player's canvas as it is now, in the page, under `name`. */
function snapshot(page, name) {
  return page.evaluate((key) => {
    const c = document.getElementById('player').canvas;
    window.__snapshots ??= {};
    window.__snapshots[key] = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  }, name);
}

/** How many pixels of rows [top, bottom) differ between the canvas now and snapshot `name`. */
function changedSince(page, name, top, bottom) {
  return page.evaluate(([key, y0, y1]) => {
    const c = document.getElementById('player').canvas;
    const now = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const then = window.__snapshots[key].data;
    let n = 0;
    for (let i = y0 * c.width * 4; i < y1 * c.width * 4; i += 4) {
      if (now[i] !== then[i] || now[i + 1] !== then[i + 1] || now[i + 2] !== then[i + 2]) n++;
    }
    return n;
  }, [name, top, bottom]);
}

test('the first frame does not wait for the font; when it comes, the paused frame gets its words', async () => {
  fontRequests = 0;
  failFont = false;
  holdFont();
  const { page, log } = await env.newPage();
  await page.goto(env.url);
  const { state } = await settled(page);
  assert.equal(state, 'ready');
  await loadedAll(page);
  assert.equal(await page.evaluate(() => document.getElementById('player').fontState), 'loading',
    'every asset is in and the frame drawn while the font is still held back');

  // A subtitle line (林晚: 江城，我回来了。), drawn at the bottom of the 1080 × 1920 canvas.
  const timeline = await page.evaluate(() => document.getElementById('player').timeline);
  const line = timeline.lines.find((l) => l.display === 'subtitle');
  const t = (line.start + line.end) / 2;
  await page.evaluate((at) => document.getElementById('player').seek(at), t);
  await snapshot(page, 'without words');
  const frameBefore = await page.evaluate(() => document.getElementById('player').currentFrame);

  await page.evaluate(() => {
    document.getElementById('player').addEventListener('fontready', (e) => {
      window.__fontready = e.detail;
    }, { once: true });
  });
  releaseFont();
  const detail = await (await page.waitForFunction(() => window.__fontready)).jsonValue();
  assert.ok(Array.isArray(detail.problems), 'fontready carries the problem list');
  const after = await page.evaluate(() => {
    const p = document.getElementById('player');
    return { font: p.fontState, paused: p.paused, frame: p.currentFrame };
  });
  assert.deepEqual(after, { font: 'ready', paused: true, frame: frameBefore }, 'the same frame, still paused, redrawn');

  const changed = await changedSince(page, 'without words', 1300, 1920);
  assert.ok(changed > 2000, `the subtitle's words appeared at the bottom (${changed} pixels changed)`);
  assert.equal(await changedSince(page, 'without words', 0, 1200), 0, 'nothing above them changed');
  assert.equal(fontRequests, 1, 'the font was requested once');
  assert.deepEqual(log.errors, []);
});

test('the font is fetched once per page: the next drama has its words from its first frame', async () => {
  fontRequests = 0;
  failFont = false;
  fontGate = Promise.resolve();
  const { page } = await env.newPage();
  await page.goto(env.url);
  await settled(page);
  await page.waitForFunction(() => document.getElementById('player').fontState === 'ready');
  const second = await page.evaluate(async () => {
    const p = document.getElementById('player');
    let fontAtReady = null;
    p.addEventListener('ready', () => {
      fontAtReady = p.fontState;
    }, { once: true });
    const ok = await p.load({
      manifestText: JSON.stringify({
        format: 'manju/1',
        canvas: { width: 360, height: 640, background: '#203040' },
        shots: [{ duration: 2, lines: [{ text: '第二部剧', at: 0, duration: 2 }] }],
      }),
      files: new Map(),
    });
    await p.seek(1);
    const data = p.canvas.getContext('2d').getImageData(0, 0, 360, 640).data;
    let notBackground = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== 0x20 || data[i + 1] !== 0x30 || data[i + 2] !== 0x40) notBackground++;
    return { ok, fontAtReady, notBackground };
  });
  assert.equal(second.ok, true);
  assert.equal(second.fontAtReady, 'ready', 'the kept bytes went to the new drama before its first frame');
  assert.ok(second.notBackground > 500, `the line is drawn (${second.notBackground} pixels)`);
  assert.equal(fontRequests, 1, 'loading another drama did not fetch the font again');
});

test('a font that cannot be fetched: the player says so, and the drama plays without words', async () => {
  fontRequests = 0;
  failFont = true;
  try {
    const { page, log } = await env.newPage();
    await page.goto(env.url);
    const { state } = await settled(page);
    assert.equal(state, 'ready');
    await page.waitForFunction(() => document.getElementById('player').fontState === 'error');
    const shown = await page.evaluate(() => {
      const p = document.getElementById('player');
      const notice = p.shadowRoot.querySelector('.notice');
      return {
        notice: notice.hidden ? null : notice.textContent,
        problem: p.problems.find((x) => /font/.test(x.message)) ?? null,
      };
    });
    assert.match(shown.notice ?? '', /font did not load/, 'a notice over the picture');
    assert.equal(shown.problem?.severity, 'warning', 'a warning, not an error');
    assert.match(shown.problem.message, /HTTP 404/);
    await page.waitForFunction(() => [...document.querySelectorAll('#problems .problem-message')].some((m) => /font/.test(m.textContent)));

    // It plays on: the picture moves and the state stays ready.
    await page.evaluate(() => document.getElementById('player').play());
    await page.waitForFunction(() => document.getElementById('player').currentTime > 0.5);
    await page.evaluate(() => document.getElementById('player').pause());
    assert.equal(await page.evaluate(() => document.getElementById('player').state), 'ready');

    // The notice can be dismissed.
    await page.locator('manju-player').locator('.notice-close').click();
    assert.equal(await page.evaluate(() => document.getElementById('player').shadowRoot.querySelector('.notice').hidden), true);
    assert.deepEqual(log.errors, []);
  } finally {
    failFont = false;
  }
});
