// The previewer page: picks what to play (the bundled demo, `?src=<manifest or .zip URL>`,
// an opened folder or .zip, dropped files), and shows what the player reports — the
// problem list, the dialogue sheet, the drama's shots (with thumbnails drawn by the core)
// and its details. A subtitle file dropped or chosen while a drama is open adds its cues
// as lines (./subtitle-import.js). Everything from a manifest is data: it reaches the page
// through textContent only. `?autoplay=1` plays on open (muted, with an unmute button,
// where the browser blocks sound).
//
// Review (./review/): a link `#owner=…` or `#share=…` plays the version it reaches from
// `manju serve` and shows its notes beside the player, live; `?review=local` keeps notes
// in this browser for a drama with no server. Without either, no review UI shows. With
// review on, the shots, the lines and the version can be approved or sent back
// (./review/decisions.js). A host page may give the element a review option instead of
// a link (`player.review = {server, share}`): the element opens review, the page's panels
// show it.

import './manju-player.js';
import { DialogueSheet } from './dialogue.js';
import { dramaFromFiles, filesFromDrop, filesFromInput, zipAmong } from './files.js';
import { isSubtitleFile } from './player/subtitles.js';
import { formatTime, h } from './player/ui.js';
import { problemItem } from './problem-list.js';
import { DecisionsPanel } from './review/decisions.js';
import { attachDrawing } from './review/drawing.js';
import { NotesPanel } from './review/notes.js';
import { openReview } from './review/store.js';
import { SubtitleImports } from './subtitle-import.js';
import { Toast } from './toast.js';

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
  dialogueCard: $('dialogue-card'),
  dialogue: $('dialogue'),
  dialogueEmpty: $('dialogue-empty'),
  lineCount: $('line-count'),
  addSubtitles: $('add-subtitles'),
  subtitleFile: $('subtitle-file'),
  downloadManifest: $('download-manifest'),
  openButton: $('open-button'),
  openFolder: $('open-folder'),
  openZipButton: $('open-zip-button'),
  openZip: $('open-zip'),
  dropOverlay: $('drop-overlay'),
  panel: document.querySelector('.panel'),
};

const toast = new Toast($('toast'));
/**
 * Jumps to what begins at `t` (a line, a shot): its first frame, never the frame before
 * it, which the instant itself falls on when it is not on a frame's start.
 */
const seekToShow = (t) => player.seekToShow(t).catch(() => {});
const sheet = new DialogueSheet(ui.dialogue, seekToShow);

let sourceLabel = '';
/** the manifest's file name, for "Download manifest" */
let manifestName = 'manifest.json';
/** shots in the panel, with their times, for highlighting */
let timedItems = [];
/** What the page itself asked the player to load; null when a script called load(). */
let expected = null;
/** (shot) → opens a note on that shot, while review is on (each shot then has a Note button) */
let shotNoteAction = null;
/** (shot) → that shot's decision controls, while review is on */
let shotDecisions = null;

const imports = new SubtitleImports(player, toast, {
  status: $('import-status'),
  summary: $('import-summary'),
  undo: $('import-undo'),
  problems: $('import-problems'),
}, () => {
  // A new version of the same drama: the page keeps naming it as it did, and keeps
  // showing it until the new version is ready (emptying the panel would move the page).
  expected = { label: sourceLabel, source: ui.source.textContent, manifestName, reload: true };
});

// ---- what the player reports --------------------------------------------------------

player.addEventListener('loadstart', () => {
  // The page names what it opened; a drama loaded by a script is named by its title alone.
  sourceLabel = expected?.label ?? '';
  ui.source.textContent = expected?.source ?? '';
  manifestName = expected?.manifestName ?? 'manifest.json';
  const reload = expected?.reload ?? false;
  expected = null;
  if (reload) return;
  document.body.dataset.state = 'loading';
  ui.title.textContent = 'Loading…';
  renderProblems([]);
  renderDetails(null);
  renderShots(null);
  renderDialogue(null);
});

player.addEventListener('ready', () => {
  document.body.dataset.state = 'ready';
  showTitle();
  renderProblems(player.problems);
  renderDetails(player);
  renderShots(player.timeline);
  renderDialogue(player.timeline);
  // A reload (subtitles added or taken back) leaves the focus where the reviewer put it.
  if (!ui.panel.contains(document.activeElement)) player.focus({ preventScroll: true });
});

// Every asset is in: the problem list is final (a late image may have failed).
player.addEventListener('canplaythrough', (event) => showProblems(event.detail.problems));

// The built-in font arrived (the words are on the picture now, and the text warnings
// are known), or could not be loaded (the player says so over the picture).
player.addEventListener('fontready', (event) => {
  showProblems(event.detail.problems);
  drawThumbnails(thumbsToDraw);
});
player.addEventListener('fonterror', (event) => showProblems(event.detail.problems));

player.addEventListener('error', (event) => {
  document.body.dataset.state = 'error';
  showTitle();
  renderProblems(event.detail);
});

player.addEventListener('timeupdate', () => highlight(player.currentTime));
player.addEventListener('seeked', () => highlight(player.currentTime));

function highlight(t) {
  highlightShot(t);
  sheet.highlight(t, player.duration);
}

function showTitle() {
  const title = player.title || sourceLabel || 'Untitled drama';
  ui.title.textContent = title;
  document.title = `${title} · Manju`;
}

function showProblems(problems) {
  renderProblems(problems);
  sheet.showProblems(problems);
}

function renderProblems(problems) {
  const errors = problems.filter((p) => p.severity === 'error').length;
  ui.problemCount.textContent = String(problems.length);
  ui.problemCount.dataset.level = errors > 0 ? 'error' : problems.length > 0 ? 'warning' : 'none';
  ui.problemsEmpty.hidden = problems.length > 0 || document.body.dataset.state === 'loading';
  ui.problems.replaceChildren(...problems.map((p) => problemItem(p)));
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

/** The dialogue sheet, or nothing while no drama is open. */
function renderDialogue(timeline) {
  const lines = timeline?.lines ?? [];
  ui.dialogueCard.hidden = !timeline;
  ui.lineCount.textContent = String(lines.length);
  ui.dialogueEmpty.hidden = !timeline || lines.length > 0;
  sheet.render(timeline, timeline ? player.problems : [], timeline ? player.manifestText : '');
  sheet.highlight(player.currentTime, player.duration);
}

/** Shots with their thumbnails, times and notes: a storyboard the reviewer can click through. */
function renderShots(timeline) {
  const shots = timeline?.shots ?? [];
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
    if (shotNoteAction) addShotNote(item, shot);
    if (shotDecisions) item.append(shotDecisions(shot));
    timedItems.push({ start: shot.start, end: shot.end, item, shot });
    return item;
  });
  ui.shots.replaceChildren(...items);
  highlightShot(player.currentTime);
  thumbsToDraw = thumbs;
  drawThumbnails(thumbs);
}

/** With review on, a shot's Note button (not there at all without review). */
function addShotNote(item, shot) {
  const note = h('button', { class: 'shot-note button small secondary', type: 'button', 'aria-label': `Note on shot ${shot.id}` }, 'Note');
  note.addEventListener('click', () => shotNoteAction?.(shot));
  item.append(note);
}

/** The instant a shot's thumbnail shows: its middle, clear of the transitions at its ends. */
function shotPoster(shot) {
  return shot.start + (shot.end - shot.start) / 2;
}

function duration(seconds) {
  return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
}

let thumbsGeneration = 0;
/** the shots' thumbnails and their instants, drawn again once the font is in */
let thumbsToDraw = [];
/** Draws the shots' thumbnails one after another, each once its images are in. */
async function drawThumbnails(thumbs) {
  const generation = ++thumbsGeneration;
  for (const { canvas } of thumbs) delete canvas.dataset.drawn;
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
  button.addEventListener('click', () => seekToShow(at));
  return button;
}

/** Marks the shot on screen at `t`. */
function highlightShot(t) {
  for (const { start, end, item } of timedItems) {
    const current = t >= start && (t < end || (end >= player.duration && t <= end));
    if (current !== (item.dataset.current === 'true')) item.dataset.current = String(current);
  }
}

// ---- choosing what to play ----------------------------------------------------------

function openUrl(src) {
  const name = new URL(src, document.baseURI).pathname.split('/').pop();
  expected = { label: src.split('/').filter(Boolean).at(-2) ?? '', source: src, manifestName: jsonName(name) };
  imports.forget();
  player.load(src);
}

/** `name` when it is a .json file's, else `manifest.json` (a .zip's manifest is saved alone). */
function jsonName(name) {
  return /\.json$/i.test(name ?? '') ? name : 'manifest.json';
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
      manifestName: jsonName(drama.name.split('/').pop()),
    };
    imports.forget();
    await player.load(drama);
  } catch (err) {
    toast.show(err.message);
  }
}

function openZip(file) {
  expected = { label: file.name.replace(/\.zip$/i, ''), source: `${file.name} · ${formatSize(file.size)}` };
  imports.forget();
  player.load(file);
}

/**
 * Whether dropped `files` are subtitles for the drama open: all of them subtitle files,
 * or a single file that is neither a manifest nor a .zip (the core then says what it is).
 */
function areSubtitles(files) {
  if (files.length === 0) return false;
  if (files.every((f) => isSubtitleFile(f.path))) return true;
  const [only] = files;
  return files.length === 1 && player.state === 'ready' && !only.path.includes('/') && !/\.(json|zip|otio|csv|tsv)$/i.test(only.path);
}

/** A drop: subtitles go into the drama open, anything else is a drama to open. */
async function dropped(listing) {
  let files;
  try {
    files = await listing;
  } catch (err) {
    toast.show(err.message);
    return;
  }
  if (!areSubtitles(files)) {
    openFiles(Promise.resolve(files));
    return;
  }
  for (const { path, file } of files) await imports.add(file, path.split('/').pop());
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
  dropped(filesFromDrop(e.dataTransfer));
});

// ---- subtitles, undo and the manifest -----------------------------------------------

ui.addSubtitles.addEventListener('click', () => ui.subtitleFile.click());
ui.subtitleFile.addEventListener('change', async () => {
  const file = ui.subtitleFile.files[0];
  ui.subtitleFile.value = '';
  if (file) await imports.add(file);
});

// Ctrl/Cmd+Z takes back the last import, unless the focus is where typing goes.
document.addEventListener('keydown', (e) => {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.key.toLowerCase() !== 'z') return;
  const target = e.composedPath()[0];
  const typing = target instanceof HTMLTextAreaElement || target?.isContentEditable
    || (target instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'file'].includes(target.type));
  if (typing || !imports.canUndo) return;
  e.preventDefault();
  imports.undo();
});

ui.downloadManifest.addEventListener('click', () => {
  const text = player.manifestText;
  if (!text) return;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = h('a', { href: url, download: manifestName, hidden: '' });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it started; a minute is ample.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
});

// ---- review ----------------------------------------------------------------------------

/** Starts review when a link (or `?review=local`) asks for it; true when it plays a server's version. */
async function startReview(src, local) {
  const byElement = Boolean(player.review);
  let store;
  if (byElement) {
    // The element was given a review option: it opens review itself (one store, one
    // session) and loads the version; the page shows that store in its panels instead
    // of the element's own markers and drawings.
    player.reviewView = false;
    player.addEventListener('reviewready', () => nameVersion(player.reviewStore.version), { once: true });
    try {
      await player.reviewReady;
    } catch (err) {
      toast.show(err.message);
      return false;
    }
    store = player.reviewStore;
  } else {
    try {
      store = await openReview({ review: null, local: local ? src : null });
    } catch (err) {
      toast.show(`Review could not start: ${err.message}`);
      return false;
    }
  }
  if (!store) return false;
  // The drawing layer over the picture: notes are drawn on, and their drawings shown on
  // their frames. Only with review on, so the plain previewer's player is unchanged.
  const panel = new NotesPanel(document.getElementById('notes-card'), player, store, {
    drawing: attachDrawing(player),
    say: (text, options) => toast.show(text, options),
  });
  sheet.noteAction = (line) => panel.openComposer({ line });
  shotNoteAction = (shot) => panel.openComposer({ shot });
  for (const { item, shot } of timedItems) addShotNote(item, shot);
  const decisions = new DecisionsPanel(document.getElementById('decisions-card'), player, store, {
    say: (text) => toast.show(text),
  });
  sheet.lineControls = (line, { problems }) => decisions.lineControls(line, { problems });
  shotDecisions = (shot) => decisions.shotControls(shot);
  for (const { item, shot } of timedItems) item.append(shotDecisions(shot));
  decisions.render();
  window.manjuReview = { store, panel, decisions };
  if (store.mode !== 'server') return false;
  addVersionPicker(store);
  if (byElement) return true;
  nameVersion(store.version);
  player.load({ url: store.version.manifest, headers: store.headers });
  return true;
}

/** The page names the review's version, about to load. */
function nameVersion(v) {
  expected = { label: v.title || v.drama, source: `${v.drama} · ${v.name} · review`, manifestName: 'manifest.json' };
  imports.forget();
}

/**
 * With a link that reaches more than one version (an owner's, a drama's share), a picker
 * under the title: choosing one opens it (`?version=<id>`; the tab stays signed in).
 */
function addVersionPicker(store) {
  if (store.reachable.length < 2) return;
  const select = document.createElement('select');
  select.id = 'version-picker';
  select.className = 'version-picker';
  select.setAttribute('aria-label', 'Version to review');
  for (const v of store.reachable) {
    const option = new Option(`${v.dramaTitle} · ${v.name}${v.title && v.title !== v.dramaTitle ? ` — ${v.title}` : ''}`, v.id);
    option.selected = v.id === store.version.id;
    select.append(option);
  }
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('version', select.value);
    location.assign(url);
  });
  ui.source.after(select);
}

const params = new URLSearchParams(location.search);
if (params.has('autoplay') && params.get('autoplay') !== '0') player.autoplay = true;
const reviewLink = /(^|[#&])(owner|share)=/.test(location.hash) || sessionStorage.getItem('manju.review.link') || player.review;
if (reviewLink) {
  startReview(params.get('src') || DEMO, false).then((playing) => playing || openUrl(params.get('src') || DEMO));
} else {
  openUrl(params.get('src') || DEMO);
  if (params.get('review') === 'local') startReview(params.get('src') || DEMO, true);
}
