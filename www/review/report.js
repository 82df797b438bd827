// Exports of a review from the page: the notes as JSON (the server's export.json, or the
// local review in the same format), the server's CSV and EDL (downloaded through the API
// with the link's headers), and a printable report — a summary of the decisions, then one
// row a note: the frame it is about, drawn by the core at the note's first frame with the
// note's drawing over it, its timecode, frame, shot, line and layer (by its image), author, status, tags, words
// and replies — built in a new tab for the browser's Print (or Save as PDF). Everything is
// built with DOM calls: names and bodies are text, never markup, and the tab (an
// about:blank one, which keeps the page's CSP) loads only ./report.css.

import { addPageFontTo, fetchDefaultFont } from '../player/font.js';
import { layerText, lineIndex, shotLayers } from './composer.js';
import { drawShapes } from './shapes.js';
import { targetKey } from './store.js';

/** The box each note's frame fits in the report, in CSS pixels (report.css says the same). */
const FRAME_BOX = { w: 240, h: 300 };
/** Frames are drawn at twice their size there: sharp on a printer and on a high-density screen. */
const FRAME_SCALE = 2;

/** Why a local review has no CSV or EDL (said beside the menu's disabled items). */
export const SERVER_ONLY = 'CSV and EDL come from the review server (manju serve): export JSON here and import it there';

/** Downloads `data` (a Blob) as the file `name`, through a link clicked and taken away. */
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it started; a minute is ample.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Downloads the review as JSON (`manju-review/1`, which `manju serve` imports); resolves to the file's name. */
export async function downloadJson(store) {
  const data = await store.export();
  const name = `${(store.version?.drama ?? 'drama').replace(/[^\w.-]+/g, '_')}-review.json`;
  save(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), name);
  return name;
}

/**
 * Downloads the server's export of the version (`kind` 'csv' or 'edl') with the link's
 * headers, as the file the server names; resolves to that name. Throws, with the
 * server's reason, when it answers otherwise than 200.
 */
export async function downloadExport(store, kind) {
  if (store.mode !== 'server') throw new Error(SERVER_ONLY);
  const url = new URL(`/api/v1/versions/${encodeURIComponent(store.version.id)}/export.${kind}`, store.server);
  let response;
  try {
    response = await fetch(url, { headers: store.headers });
  } catch (err) {
    throw new Error(`the review server cannot be reached (${err.message})`);
  }
  if (!response.ok) {
    let reason = '';
    try {
      reason = (await response.json())?.error?.message ?? '';
    } catch {
      // not the API's JSON error: the status says enough
    }
    throw new Error(`the server answered ${response.status}${reason ? ` (${reason})` : ''}`);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `review.${kind}`;
  save(await response.blob(), name);
  return name;
}

/** SMPTE timecode (non-drop-frame at the nominal rate) of frame `n`, as the exports give it. */
export function timecode(n, fps) {
  const rate = Math.max(1, Math.ceil(fps - 1e-9));
  const f = n % rate;
  const s = Math.floor(n / rate);
  const two = (v) => String(v).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}:${two(f)}`;
}

/**
 * Lets the page (and the report's tab) run between two frames: input, rendering, the live
 * stream. A message to itself, not setTimeout nor requestAnimationFrame: the opener is a
 * background tab while the report is drawn, and the browser slows those there to once a
 * second, or stops them.
 */
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });
}

const VERDICT_TEXT = { approved: 'Approved', changes_requested: 'Changes requested', pending: 'Not decided' };

/**
 * Opens the printable report of `store`'s notes over `player`'s drama in a new tab.
 * Call it from the click (the tab opens at once, else the browser blocks it); `win`, for
 * tests, is a window to build it in. The tab says how many frames are drawn so far;
 * resolves to its window once every frame is drawn (or the tab was closed).
 */
export async function openReport(player, store, win = window.open('', '_blank')) {
  if (!win) throw new Error("the browser blocked the report's tab: allow pop-ups for this page");
  const doc = win.document;
  const title = store.version?.title || player.title || 'Review';
  doc.documentElement.lang = document.documentElement.lang || 'en';
  doc.title = `Review — ${title}`;
  const css = doc.createElement('link');
  css.rel = 'stylesheet';
  css.href = new URL('./report.css', import.meta.url).href;
  doc.head.append(css);
  // The page's own font for Chinese and Japanese: the words never depend on the system's.
  const font = fetchDefaultFont().then((bytes) => addPageFontTo(win, bytes), () => null);
  const el = (tag, props = {}, ...children) => {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(props)) node.setAttribute(k, v);
    node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
    return node;
  };
  const all = store.sorted();
  const notes = all.filter((c) => !c.parent);
  const listed = new Set(notes.map((c) => c.id));
  const replies = new Map();
  for (const c of all) if (c.parent && listed.has(c.parent)) replies.set(c.parent, [...(replies.get(c.parent) ?? []), c]);
  const open = notes.filter((c) => c.status === 'open').length;
  const fps = player.fps || 30;
  const progress = el('p', { class: 'progress', role: 'status' });
  const print = el('button', { class: 'print', type: 'button', disabled: '' }, 'Print…');
  print.addEventListener('click', () => win.print());
  const main = el('main', {},
    el('header', {},
      el('h1', {}, title),
      el('p', { class: 'meta' },
        [store.version?.drama, store.version?.name].filter(Boolean).join(' · '),
        ` · ${new Date().toLocaleString()} · `,
        `${plural(notes.length, 'note')}, ${open} open, ${notes.length - open} resolved`),
      el('div', { class: 'tools' }, print, progress)),
    decisionsSummary(el, player, store));
  doc.body.replaceChildren(main);
  if (notes.length === 0) {
    main.append(el('p', { class: 'empty' }, 'No notes on this version.'));
    await font;
    print.removeAttribute('disabled');
    doc.body.dataset.ready = 'true';
    return win;
  }
  const body = el('tbody');
  main.append(el('table', { class: 'notes' },
    el('caption', {}, 'Notes, in frame order'),
    el('thead', {}, el('tr', {}, ...['Frame', 'Where', 'Note', 'Status'].map((t) => el('th', { scope: 'col' }, t)))),
    body));
  // The rows first (the words are there at once), then their frames one by one.
  const frames = notes.map((note) => {
    const a = note.anchor ?? {};
    const frame = Number(a.frame ?? 0);
    const canvas = el('canvas', { class: 'frame', role: 'img', 'aria-label': `frame ${frame}` });
    const end = Number(a.frame_end ?? frame + 1);
    const layer = Number.isInteger(a.layer) ? shotLayers(player, a.shot)[a.layer] ?? { index: a.layer, image: '' } : null;
    const where = [
      `${timecode(frame, fps)}${a.range ? ` – ${timecode(end, fps)}` : ''}`,
      a.range ? `frames ${frame}–${end - 1}` : `frame ${frame}`,
      a.shot ? `shot ${a.shot}` : null,
      Number.isInteger(a.line) ? `line ${a.line + 1}` : null,
      layer ? layerText(layer) : null,
    ].filter(Boolean);
    const thread = replies.get(note.id) ?? [];
    const words = el('td', { class: 'words' },
      el('p', { class: 'author' }, note.author ?? ''),
      el('p', { class: 'body' }, note.body ?? ''),
      note.tags?.length ? el('p', { class: 'tags' }, note.tags.join(' · ')) : null,
      thread.length ? el('ol', { class: 'replies', 'aria-label': 'Replies' },
        ...thread.map((r) => el('li', { class: 'reply', 'data-id': r.id },
          el('span', { class: 'reply-author' }, r.author ?? ''), ' ', el('span', { class: 'reply-body' }, r.body ?? '')))) : null);
    const status = note.status === 'resolved' ? `resolved${note.resolved_by ? ` by ${note.resolved_by}` : ''}` : 'open';
    body.append(el('tr', { 'data-id': note.id, 'data-status': note.status },
      el('td', { class: 'picture' }, canvas),
      el('td', { class: 'where' }, ...where.map((w) => el('div', {}, w))),
      words,
      el('td', { class: 'status' }, status)));
    return { note, frame, canvas };
  });
  const aspect = player.width && player.height ? player.width / player.height : 9 / 16;
  const width = Math.round(FRAME_SCALE * Math.min(FRAME_BOX.w, FRAME_BOX.h * aspect));
  for (const [i, { note, frame, canvas }] of frames.entries()) {
    if (win.closed) return win;
    progress.textContent = `Drawing ${i + 1} of ${plural(frames.length, 'frame')}…`;
    await nextTask();
    const picture = await player.thumbnail(player.frameTime(frame) + 1e-6, width);
    if (!picture) {
      canvas.replaceWith(el('p', { class: 'no-frame' }, `frame ${frame} could not be drawn`));
      continue;
    }
    canvas.width = picture.width;
    canvas.height = picture.height;
    const ctx = canvas.getContext('2d');
    ctx.putImageData(picture, 0, 0);
    if (note.drawing?.shapes?.length) drawShapes(ctx, note.drawing.shapes, { w: picture.width, h: picture.height, dpr: FRAME_SCALE });
  }
  progress.textContent = `${plural(frames.length, 'frame')} drawn.`;
  await font;
  print.removeAttribute('disabled');
  doc.body.dataset.ready = 'true';
  return win;
}

/**
 * What was decided, for the top of the report: the version's verdict, how many shots are
 * approved or sent back, and each shot or line decided, with who decided and their note.
 */
function decisionsSummary(el, player, store) {
  const latest = store.decisions;
  const shots = player.timeline?.shots ?? [];
  const lines = player.timeline?.lines ?? [];
  const verdict = (key) => latest.get(key)?.verdict ?? 'pending';
  const shotVerdicts = shots.map((s) => verdict(targetKey({ shot: s.id })));
  const count = (list, v) => list.filter((x) => x === v).length;
  const version = latest.get('version');
  const section = el('section', { class: 'decisions', 'aria-labelledby': 'decisions-heading' },
    el('h2', { id: 'decisions-heading' }, 'Decisions'),
    el('p', { class: 'verdict', 'data-verdict': version?.verdict ?? 'pending' },
      `Draft: ${VERDICT_TEXT[version?.verdict ?? 'pending'] ?? version.verdict}`,
      version ? ` by ${version.author}${version.note ? ` — ${version.note}` : ''}` : ''),
    el('p', { class: 'shots-summary' },
      `${count(shotVerdicts, 'approved')} of ${plural(shots.length, 'shot')} approved, `
      + `${count(shotVerdicts, 'changes_requested')} with changes requested, ${count(shotVerdicts, 'pending')} not decided`));
  // Each shot and line decided, in the drama's order (a target the timeline no longer has last).
  const order = new Map();
  shots.forEach((s, i) => order.set(targetKey({ shot: s.id }), [i, -1]));
  lines.forEach((l) => {
    const shot = shots.findIndex((s) => s.id === l.shot);
    const line = lineIndex(l, player.timeline);
    order.set(targetKey({ shot: l.shot, line }), [shot, line]);
  });
  const rank = (key) => order.get(key) ?? [Infinity, Infinity];
  const decided = [...latest.entries()].filter(([key, d]) => key !== 'version' && d.verdict !== 'pending')
    .sort(([a], [b]) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1]);
  if (decided.length > 0) {
    section.append(el('ul', { class: 'decided' }, ...decided.map(([key, d]) => {
      const target = Number.isInteger(d.target?.line) ? `shot ${d.target.shot} · line ${d.target.line + 1}` : `shot ${d.target?.shot}`;
      return el('li', { 'data-target': key, 'data-verdict': d.verdict },
        el('span', { class: 'target' }, target), ': ',
        el('span', { class: 'verdict-text' }, VERDICT_TEXT[d.verdict] ?? d.verdict),
        ` by ${d.author}`, d.note ? ` — ${d.note}` : '');
    })));
  }
  return section;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
