// Exports of a review from the page: the server's CSV and EDL (downloaded through the
// API with the link's headers), and a printable report — one row a note: the frame it is
// about, drawn by the core at the note's first frame with the note's drawing over it, its
// timecode, frame, shot, line and layer (by its image), author, status, tags and words — built in a new tab for
// the browser's Print (or Save as PDF). Everything is built with DOM calls: names and
// bodies are text, never markup, and the tab runs under the page's CSP.

import { layerText, shotLayers } from './composer.js';
import { drawShapes } from './shapes.js';

/** The width the report draws each note's frame at, in CSS pixels. */
const FRAME_WIDTH = 240;

/**
 * Downloads the server's export of the version (`kind` 'csv' or 'edl') with the link's
 * headers, as the file the server names.
 */
export async function downloadExport(store, kind) {
  if (store.mode !== 'server') throw new Error('CSV and EDL come from the review server: export JSON here, and `manju serve` imports it');
  const url = `/api/v1/versions/${encodeURIComponent(store.version.id)}/export.${kind}`;
  const response = await fetch(url, { headers: store.headers });
  if (!response.ok) throw new Error(`the server answered ${response.status} for the ${kind.toUpperCase()} export`);
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `review.${kind}`;
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
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
 * Opens the printable report of `store`'s notes over `player`'s drama in a new tab
 * (`win`, for tests: a window to build it in). Resolves to the tab's window once every
 * frame is drawn.
 */
export async function openReport(player, store, win = window.open('', '_blank')) {
  if (!win) throw new Error("the browser blocked the report's tab: allow pop-ups for this page");
  const doc = win.document;
  doc.title = `Review — ${store.version?.title || player.title || 'drama'}`;
  const css = doc.createElement('link');
  css.rel = 'stylesheet';
  css.href = new URL('./report.css', import.meta.url).href;
  doc.head.append(css);
  const el = (tag, props = {}, ...children) => {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'class') node.className = v;
      else node.setAttribute(k, v);
    }
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  };
  const notes = store.sorted().filter((c) => c.status !== 'deleted' && !c.parent);
  const replies = store.sorted().filter((c) => c.status !== 'deleted' && c.parent);
  const open = notes.filter((c) => c.status === 'open').length;
  const fps = player.fps || 30;
  doc.body.replaceChildren(
    el('header', {},
      el('h1', {}, store.version?.title || player.title || 'Review'),
      el('p', { class: 'meta' },
        [store.version?.drama, store.version?.name].filter(Boolean).join(' · '),
        ` · ${new Date().toLocaleString()} · `,
        `${notes.length} note${notes.length === 1 ? '' : 's'}, ${open} open, ${notes.length - open} resolved`),
      el('button', { class: 'print', type: 'button' }, 'Print…')),
  );
  doc.querySelector('button.print').addEventListener('click', () => win.print());
  const table = el('table', {},
    el('thead', {}, el('tr', {}, ...['Frame', 'Where', 'Note', 'Status'].map((t) => el('th', { scope: 'col' }, t)))));
  const body = el('tbody');
  table.append(body);
  doc.body.append(table);
  for (const note of notes) {
    const a = note.anchor ?? {};
    const frame = Number(a.frame ?? 0);
    const canvas = el('canvas', { class: 'frame', 'aria-label': `frame ${frame}` });
    const picture = await player.thumbnail(player.frameTime(frame) + 1e-6, FRAME_WIDTH);
    if (picture) {
      canvas.width = picture.width;
      canvas.height = picture.height;
      const ctx = canvas.getContext('2d');
      ctx.putImageData(picture, 0, 0);
      if (note.drawing?.shapes?.length) drawShapes(ctx, note.drawing.shapes, { w: picture.width, h: picture.height });
    }
    const end = Number(a.frame_end ?? frame + 1);
    const layer = Number.isInteger(a.layer) ? shotLayers(player, a.shot)[a.layer] ?? { index: a.layer, image: '' } : null;
    const where = [
      `${timecode(frame, fps)}${a.range ? ` – ${timecode(end, fps)}` : ''}`,
      `frame ${frame}${a.range ? `–${end - 1}` : ''}`,
      a.shot ? `shot ${a.shot}` : null,
      Number.isInteger(a.line) ? `line ${a.line + 1}` : null,
      layer ? layerText(layer) : null,
    ].filter(Boolean);
    const words = el('td', { class: 'words' },
      el('p', { class: 'author' }, note.author ?? ''),
      el('p', { class: 'body' }, note.body ?? ''),
      note.tags?.length ? el('p', { class: 'tags' }, note.tags.join(' · ')) : null,
      ...replies.filter((r) => r.parent === note.id).map((r) => el('p', { class: 'reply' }, `${r.author}: ${r.body}`)));
    body.append(el('tr', { 'data-status': note.status },
      el('td', {}, canvas),
      el('td', { class: 'where' }, ...where.map((w) => el('div', {}, w))),
      words,
      el('td', { class: 'status' }, note.status === 'resolved' ? `resolved${note.resolved_by ? ` by ${note.resolved_by}` : ''}` : 'open')));
  }
  if (notes.length === 0) doc.body.append(el('p', { class: 'empty' }, 'No notes on this version.'));
  doc.body.dataset.ready = 'true';
  return win;
}
