// The previewer page: picks what to play (the bundled demo, `?src=<manifest or .zip URL>`,
// an opened folder or .zip, dropped files), and shows what the player reports — the
// problem list, the drama's details and its shots (with thumbnails drawn by the core).
// Everything from a manifest is data: it reaches the page through textContent only.
// `?autoplay=1` plays on open (muted, with an unmute button, where the browser blocks sound).

import './manju-player.js';
import { dramaFromFiles, filesFromDrop, filesFromInput, zipAmong } from './files.js';
import { formatTime, h } from './player/ui.js';

const DEMO = 'demo/manifest.json';

const $ = (id) => document.getElementById(id);
const player = $('player');
const ui = {
  title: $('title'),
  source: $('source'),
  problems: $('problems'),
  problemsEmpty: $('problems-empty'),
  problemCount: $('problem-count'),
  details: $('details'),
  detailsCard: $('details').closest('section'),
  shotsCard: $('shots').closest('section'),
  shots: $('shots'),
  shotCount: $('shot-count'),
  openButton: $('open-button'),
  openFolder: $('open-folder'),
  openZipButton: $('open-zip-button'),
  openZip: $('open-zip'),
  dropOverlay: $('drop-overlay'),
  toast: $('toast'),
};

let sourceLabel = '';
/** shots and lines in the panel, with their times, for highlighting */
let timedItems = [];
/** What the page itself asked the player to load; null when a script called load(). */
let expected = null;

// ---- what the player reports --------------------------------------------------------

player.addEventListener('loadstart', () => {
  // The page names what it opened; a drama loaded by a script is named by its title alone.
  sourceLabel = expected?.label ?? '';
  ui.source.textContent = expected?.source ?? '';
  expected = null;
  document.body.dataset.state = 'loading';
  ui.title.textContent = 'Loading…';
  renderProblems([]);
  renderDetails(null);
  renderShots(null);
});

player.addEventListener('ready', () => {
  document.body.dataset.state = 'ready';
  showTitle();
  renderProblems(player.problems);
  renderDetails(player);
  renderShots(player.timeline);
  player.focus({ preventScroll: true });
});

// Every asset is in: the problem list is final (a late image may have failed).
player.addEventListener('canplaythrough', (event) => {
  renderProblems(event.detail.problems);
});

player.addEventListener('error', (event) => {
  document.body.dataset.state = 'error';
  showTitle();
  renderProblems(event.detail);
});

player.addEventListener('timeupdate', () => highlightShot(player.currentTime));
player.addEventListener('seeked', () => highlightShot(player.currentTime));

function showTitle() {
  const title = player.title || sourceLabel || 'Untitled drama';
  ui.title.textContent = title;
  document.title = `${title} · Manju`;
}

function renderProblems(problems) {
  const errors = problems.filter((p) => p.severity === 'error').length;
  ui.problemCount.textContent = String(problems.length);
  ui.problemCount.dataset.level = errors > 0 ? 'error' : problems.length > 0 ? 'warning' : 'none';
  ui.problemsEmpty.hidden = problems.length > 0 || document.body.dataset.state === 'loading';
  ui.problems.replaceChildren(...problems.map(problemItem));
}

function problemItem(p) {
  const where = h('div', { class: 'problem-where' },
    h('code', { class: 'problem-path' }, p.path || '(manifest)'));
  if (p.line != null) {
    where.append(h('span', { class: 'problem-pos', title: 'line:column in the manifest' },
      p.column != null ? `${p.line}:${p.column}` : `${p.line}`));
  }
  return h('li', { class: 'problem', 'data-severity': p.severity },
    h('span', { class: 'severity' }, p.severity),
    h('div', { class: 'problem-body' }, where, h('p', { class: 'problem-message' }, p.message)));
}

function renderDetails(drama) {
  ui.detailsCard.hidden = !drama;
  if (!drama) {
    ui.details.replaceChildren();
    return;
  }
  const timeline = drama.timeline;
  const rows = [
    ['Canvas', `${drama.width} × ${drama.height}`],
    ['Frame rate', `${Math.round(drama.fps * 1000) / 1000} fps`],
    ['Duration', formatTime(drama.duration)],
    ['Lines', String(timeline?.lines?.length ?? 0)],
    ['Audio cues', String(timeline?.audio?.length ?? 0)],
  ];
  ui.details.replaceChildren(...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/** Shots with their thumbnails and lines: a script the reviewer can click through. */
function renderShots(timeline) {
  const shots = timeline?.shots ?? [];
  const lines = timeline?.lines ?? [];
  ui.shotsCard.hidden = shots.length === 0;
  ui.shotCount.textContent = String(shots.length);
  timedItems = [];
  const thumbs = [];
  const items = shots.map((shot) => {
    const thumb = h('canvas', { class: 'shot-thumb', width: '54', height: '96', 'aria-hidden': 'true' });
    thumbs.push({ canvas: thumb, at: shotPoster(shot) });
    const text = h('span', { class: 'shot-text' },
      h('span', { class: 'shot-head' },
        h('span', { class: 'shot-id' }, shot.id),
        h('span', { class: 'shot-duration' }, duration(shot.end - shot.start))),
      h('span', { class: 'shot-time' }, `${formatTime(shot.start)} – ${formatTime(shot.end)}`));
    if (shot.notes) text.append(h('span', { class: 'shot-notes' }, shot.notes));
    const header = seekButton('shot', shot.start, thumb, text);
    const item = h('li', { class: 'shot-item' }, header);
    timedItems.push({ start: shot.start, end: shot.end, item });
    const own = lines.filter((line) => line.shot === shot.id);
    if (own.length > 0) {
      item.append(h('ol', { class: 'lines' }, ...own.map((line) => {
        const row = h('li', {}, seekButton('line', line.start,
          h('span', { class: 'line-time' }, formatTime(line.start)),
          h('span', { class: 'line-text' },
            ...(line.speaker ? [speakerLabel(line)] : []),
            line.text || '…')));
        timedItems.push({ start: line.start, end: line.end, item: row });
        return row;
      })));
    }
    return item;
  });
  ui.shots.replaceChildren(...items);
  highlightShot(0);
  drawThumbnails(thumbs);
}

function speakerLabel(line) {
  const label = h('span', { class: 'speaker', title: line.speaker }, line.speaker_name ?? line.speaker);
  // A character's colour, checked: it comes from the manifest.
  if (/^#[0-9a-f]{6}$/i.test(line.speaker_color ?? '')) label.style.color = line.speaker_color;
  return label;
}

/** The instant a shot's thumbnail shows: its middle, clear of the transitions at its ends. */
function shotPoster(shot) {
  return shot.start + (shot.end - shot.start) / 2;
}

function duration(seconds) {
  return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
}

let thumbsGeneration = 0;
/** Draws the shots' thumbnails one after another, each once its images are in. */
async function drawThumbnails(thumbs) {
  const generation = ++thumbsGeneration;
  const scale = Math.min(2, window.devicePixelRatio || 1);
  for (const { canvas, at } of thumbs) {
    const image = await player.thumbnail(at, Math.round(54 * scale));
    if (generation !== thumbsGeneration || !image) return;
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d').putImageData(image, 0, 0);
    canvas.dataset.drawn = 'true';
  }
}

function seekButton(kind, at, ...children) {
  const button = h('button', { class: kind, type: 'button' }, ...children);
  button.addEventListener('click', () => player.seek(at).catch(() => {}));
  return button;
}

/** Marks the shot and the line on screen at `t`. */
function highlightShot(t) {
  for (const { start, end, item } of timedItems) {
    const current = t >= start && (t < end || (end >= player.duration && t <= end));
    if (current !== (item.dataset.current === 'true')) item.dataset.current = String(current);
  }
}

// ---- choosing what to play ----------------------------------------------------------

function openUrl(src) {
  expected = { label: src.split('/').filter(Boolean).at(-2) ?? '', source: src };
  player.load(src);
}

async function openFiles(listing) {
  try {
    const files = await listing;
    const zip = zipAmong(files);
    if (zip) {
      openZip(zip);
      return;
    }
    const drama = await dramaFromFiles(files);
    expected = {
      label: drama.name.split('/').at(-2) ?? drama.name,
      source: `${drama.name} · ${files.length} file${files.length === 1 ? '' : 's'} opened`,
    };
    await player.load(drama);
  } catch (err) {
    toast(err.message);
  }
}

function openZip(file) {
  expected = { label: file.name.replace(/\.zip$/i, ''), source: `${file.name} · ${formatSize(file.size)}` };
  player.load(file);
}

function formatSize(bytes) {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${Math.max(1, Math.round(bytes / 1024))} KiB`;
}

ui.openButton.addEventListener('click', () => ui.openFolder.click());
ui.openZipButton.addEventListener('click', () => ui.openZip.click());
ui.openZip.addEventListener('change', () => {
  const file = ui.openZip.files[0];
  if (file) openZip(file);
  ui.openZip.value = '';
});
ui.openFolder.addEventListener('change', () => {
  if (ui.openFolder.files.length > 0) openFiles(Promise.resolve(filesFromInput(ui.openFolder.files)));
  ui.openFolder.value = '';
});

// dragenter/dragleave fire for every child crossed: count them to know when the drag left.
let dragDepth = 0;
const carriesFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
document.addEventListener('dragenter', (e) => {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  dragDepth++;
  ui.dropOverlay.hidden = false;
});
document.addEventListener('dragover', (e) => {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
});
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) ui.dropOverlay.hidden = true;
});
document.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  ui.dropOverlay.hidden = true;
  openFiles(filesFromDrop(e.dataTransfer));
});

let toastTimer = 0;
function toast(message) {
  ui.toast.textContent = message;
  ui.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    ui.toast.hidden = true;
  }, 8000);
}

const params = new URLSearchParams(location.search);
if (params.has('autoplay') && params.get('autoplay') !== '0') player.autoplay = true;
openUrl(params.get('src') || DEMO);
