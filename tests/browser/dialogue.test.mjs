// The dialogue sheet beside the player: every line with its speaker (and the character's
// colour), words, start, length, how it shows and its voice clip; the line on screen is
// marked (aria-current) and kept in view inside the sheet while the drama plays, without
// moving the page or the focus; a click, Enter or Space on a line seeks there, the arrow
// keys move between lines; a line's
// problems (a missing clip, text shrunk to fit) are listed with it. On the demo drama
// and on small dramas built in memory, at desktop and phone sizes.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { DEMO_MANIFEST, loadedAll, settled, start } from './helpers.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const rows = (page) => page.$$eval('#dialogue > li', (items) => items.map((li) => {
  const swatch = li.querySelector('.swatch');
  return {
    path: li.dataset.path,
    time: li.querySelector('.cue-time').textContent,
    speaker: li.querySelector('.cue-speaker-name').textContent,
    colour: swatch.style.backgroundColor,
    text: li.querySelector('.cue-text').textContent,
    duration: li.querySelector('.cue-duration').textContent,
    display: li.querySelector('.cue-display').textContent,
    voice: li.querySelector('.cue-voice').textContent,
    voiceState: li.querySelector('.cue-voice').dataset.state,
    current: li.querySelector('.cue').getAttribute('aria-current'),
    problems: [...li.querySelectorAll('.cue-problem-message')].map((m) => m.textContent),
  };
}));

const currentRows = (page) => page.$$eval('#dialogue > li', (items) => items
  .map((li, i) => (li.querySelector('.cue').getAttribute('aria-current') === 'true' ? i : -1))
  .filter((i) => i >= 0));

async function demo(page) {
  await page.goto(env.url);
  const { state } = await settled(page);
  assert.equal(state, 'ready');
  await loadedAll(page);
  return page.evaluate(() => document.getElementById('player').timeline);
}

function mmss(t) {
  const hundredths = Math.floor(t * 100 + 1e-6);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(Math.floor(hundredths / 6000))}:${two(Math.floor(hundredths / 100) % 60)}.${two(hundredths % 100)}`;
}

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

test('the sheet lists the demo\'s 9 lines: speaker and colour, words, start, length, display, voice', async () => {
  const { page, log } = await env.newPage();
  const timeline = await demo(page);
  const manifest = JSON.parse(await readFile(DEMO_MANIFEST, 'utf8'));
  const listed = await rows(page);
  assert.equal(listed.length, 9);
  assert.equal(timeline.lines.length, 9);
  assert.equal(await page.locator('#line-count').textContent(), '9');
  timeline.lines.forEach((line, i) => {
    const row = listed[i];
    const character = manifest.characters[line.speaker];
    assert.equal(row.path, line.path);
    assert.equal(row.speaker, character.name, `line ${i} is spoken by ${character.name}`);
    assert.equal(row.colour, rgb(character.color), `line ${i} has ${character.name}'s colour`);
    assert.equal(row.text, line.text);
    assert.equal(row.time, mmss(line.start));
    assert.equal(row.duration, `, for ${(line.end - line.start).toFixed(2)} s`);
    assert.equal(row.display, line.display);
    assert.equal(row.voice, `voice ${line.voice}`);
    assert.equal(row.voiceState, 'ok');
    assert.deepEqual(row.problems, []);
  });
  assert.deepEqual(log.errors, []);
});

test('the marked line follows the time; a click, Enter or Space seeks to a line', async () => {
  const { page } = await env.newPage();
  const timeline = await demo(page);
  const seek = (t) => page.evaluate((at) => document.getElementById('player').seek(at), t);
  for (const [i, line] of timeline.lines.entries()) {
    await seek((line.start + line.end) / 2);
    assert.deepEqual(await currentRows(page), [i], `in the middle of line ${i}`);
  }
  // Between two lines, none is marked.
  await seek((timeline.lines[3].end + timeline.lines[4].start) / 2);
  assert.deepEqual(await currentRows(page), []);

  // While playing, the mark moves on to the next line as it starts.
  const next = timeline.lines[5];
  await seek(next.start - 0.3);
  await page.evaluate(() => document.getElementById('player').play());
  await page.waitForFunction(() => document.querySelectorAll('#dialogue > li')[5].querySelector('[aria-current="true"]'));
  await page.evaluate(() => document.getElementById('player').pause());
  assert.ok(await page.evaluate(() => document.getElementById('player').currentTime) >= next.start);

  // A line's jump lands on the first frame that shows it (land-on-frame.test.mjs checks
  // every line's frame number).
  const landsOn = (t) => page.waitForFunction((at) => {
    const p = document.getElementById('player');
    return p.currentFrame === p.firstFrameFrom(at) && Math.abs(p.currentTime - p.frameTime(p.currentFrame)) < 1e-9;
  }, t);
  await page.locator('#dialogue > li').nth(2).locator('button.cue').click();
  await landsOn(timeline.lines[2].start);
  assert.deepEqual(await currentRows(page), [2]);

  await page.locator('#dialogue > li').nth(7).locator('button.cue').focus();
  await page.keyboard.press('Enter');
  await landsOn(timeline.lines[7].start);
  // The arrow keys move between lines (the sheet is one Tab stop).
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  const focusedRow = () => page.evaluate(() => [...document.querySelectorAll('#dialogue > li')].findIndex((li) => li.contains(document.activeElement)));
  assert.equal(await focusedRow(), 5);
  await page.keyboard.press('End');
  assert.equal(await focusedRow(), 8);
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusedRow(), 1);
  assert.deepEqual(await page.$$eval('#dialogue button.cue', (buttons) => buttons.map((b) => b.tabIndex).filter((t) => t === 0).length), 1);
  await page.keyboard.press(' ');
  await landsOn(timeline.lines[1].start);
  assert.equal(await page.evaluate(() => document.activeElement.closest('#dialogue > li') === document.querySelectorAll('#dialogue > li')[1]), true,
    'the focus stays on the line');
});

for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  test(`at ${name} size the marked line is kept in view inside the sheet; the page and the focus stay put`, async () => {
    const { page } = await env.newPage({ viewport });
    const timeline = await demo(page);
    // The reviewer has scrolled the page to the sheet (on a phone it is under the player)
    // and put the focus on the first line.
    await page.locator('#dialogue > li').first().locator('button.cue').focus();
    await page.evaluate(() => document.getElementById('dialogue').scrollIntoView({ block: 'start' }));
    const where = () => page.evaluate(() => ({
      page: window.scrollY,
      panel: document.querySelector('.panel').scrollTop,
      focus: document.activeElement === document.querySelector('#dialogue > li button.cue'),
    }));
    const before = await where();
    assert.equal(before.focus, true);
    const scrolls = await page.evaluate(() => {
      const list = document.getElementById('dialogue');
      return list.scrollHeight > list.clientHeight;
    });
    assert.ok(scrolls, 'the sheet is taller than its box here, so following has something to do');

    const last = timeline.lines.length - 1;
    await page.evaluate((t) => document.getElementById('player').seek(t), timeline.lines[last].start + 0.1);
    // Scrolling may be smooth: wait until the line is inside the sheet's box.
    await page.waitForFunction((i) => {
      const list = document.getElementById('dialogue').getBoundingClientRect();
      const row = document.querySelectorAll('#dialogue > li')[i].getBoundingClientRect();
      return row.top >= list.top - 0.5 && row.bottom <= list.bottom + 0.5;
    }, last);
    assert.deepEqual(await where(), before, 'the page did not move and the focus stayed');
  });
}

test('a line\'s problems are listed with it: a missing voice clip, text shrunk and broken to fit', async () => {
  const { page } = await env.newPage();
  await demo(page);
  const manifestText = JSON.stringify({
    format: 'manju/1',
    canvas: { width: 360, height: 640 },
    characters: { lin: { name: '林晚', color: '#ffb8cf' } },
    assets: { v: 'voice/missing.ogg' },
    shots: [{
      duration: 4,
      lines: [
        { speaker: 'lin', text: '你好', voice: 'v' },
        { text: 'Pneumonoultramicroscopicsilicovolcanoconiosis', display: 'bubble', bubble: { x: 180, y: 300, width: 80 }, at: 2, duration: 1 },
      ],
    }],
  });
  const ok = await page.evaluate((text) => document.getElementById('player').load({ manifestText: text, files: new Map() }), manifestText);
  assert.equal(ok, true);
  // Text warnings come once the font is in.
  await page.waitForFunction(() => document.getElementById('player').fontState === 'ready');
  await page.waitForFunction(() => document.querySelectorAll('#dialogue > li')[1]?.querySelector('.cue-problem'));
  const [voiced, bubble] = await rows(page);
  assert.equal(voiced.voice, 'voice v (missing or unreadable)');
  assert.equal(voiced.voiceState, 'missing');
  assert.ok(voiced.problems.some((m) => /voice clip/.test(m)), JSON.stringify(voiced.problems));
  assert.equal(bubble.voice, 'no voice');
  assert.equal(bubble.voiceState, 'none');
  assert.equal(bubble.speaker, 'no speaker');
  assert.equal(bubble.display, 'bubble');
  assert.ok(bubble.problems.some((m) => /shrunk/.test(m)), JSON.stringify(bubble.problems));
});
