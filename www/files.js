// Opening a drama from the reviewer's own files ("Open folder" or drag and drop): list
// every file with its path, find the manifest among them, and key the others by their
// path relative to the manifest's folder — what <manju-player>'s load() takes. A lone
// .zip goes to the player as it is (the core reads it).

import { dirname, FORMAT, normalizePath, pickManifest } from './player/sources.js';
import { loadCore } from './player/wasm-loader.js';

/** Files from an <input type=file webkitdirectory>: [{path, file}]. */
export function filesFromInput(fileList) {
  return [...fileList].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/**
 * Files from a drop, folders walked recursively: [{path, file}]. Must be called inside
 * the drop handler: a DataTransfer's items are only readable until it returns.
 */
export function filesFromDrop(dataTransfer) {
  const pending = [];
  for (const item of dataTransfer.items ?? []) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) pending.push(walk(entry, ''));
    else {
      // No file-system entry (a synthetic drop, an old browser): take the file as it is.
      const file = item.getAsFile();
      if (file) pending.push(Promise.resolve([{ path: file.name, file }]));
    }
  }
  if (pending.length === 0) {
    for (const file of dataTransfer.files ?? []) pending.push(Promise.resolve([{ path: file.name, file }]));
  }
  return Promise.all(pending).then((lists) => lists.flat());
}

async function walk(entry, prefix) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [{ path: prefix + entry.name, file }];
  }
  if (!entry.isDirectory) return [];
  const reader = entry.createReader();
  const found = [];
  // readEntries hands out a directory in batches until it returns an empty one.
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) found.push(...(await walk(child, `${prefix}${entry.name}/`)));
  }
  return found;
}

/**
 * Picks the manifest among `files` and maps the rest relative to its folder; files that
 * hold no manifest but a draft from another tool are imported by the core (`core`, the
 * loaded wasm package; loaded when needed).
 * @returns {Promise<{manifestText, files: Map<string, File>, name: string, importProblems?, mapped?}>}
 * @throws Error when no file looks like a manifest or a draft (the message says so for the reviewer)
 */
export async function dramaFromFiles(files, { core } = {}) {
  const candidates = [];
  for (const { path, file } of files) {
    if (path.toLowerCase().endsWith('.json')) candidates.push({ path: normalizePath(path), text: await file.text() });
  }
  // No manju/1 manifest: perhaps a draft from another tool, which the core imports (its
  // own messages say where a draft is broken).
  if (!candidates.some(({ text }) => isDrama(text))) {
    const imported = await importDraft(files, { core });
    if (imported) return imported;
  }
  // A manifest with a syntax error still goes to the player, which reports where it is.
  const chosen = pickManifest(candidates, files.map(({ path }) => normalizePath(path)));
  const folder = dirname(chosen.path);
  const byPath = new Map();
  for (const { path, file } of files) byPath.set(relativePath(folder, normalizePath(path)), file);
  return { manifestText: chosen.text, files: byPath, name: chosen.path };
}

/** Whether a .json file's text is a manju/1 manifest. */
function isDrama(text) {
  try {
    return JSON.parse(text)?.format === FORMAT;
  } catch {
    return false;
  }
}

const TEXT = /\.(json|csv|tsv|srt|vtt|ass|ssa|otio)$/i;
const IMAGE = /\.(png|jpe?g|webp|gif|avif)$/i;
/** Largest text file handed to the importer, and how much of an image (its header). */
const MAX_TEXT_BYTES = 32 << 20;
const HEADER_BYTES = 64 << 10;
const MAX_HEADERS = 400;

/**
 * A draft from another tool (a Readium Divina, a storyboard CSV, a folder of numbered
 * panels…) imported by the core: the drama to load, with what the import could not carry
 * over as `importProblems` and what it mapped as `mapped`; null when the files are not a
 * draft the core reads. Only the text files and the first bytes of images are read here;
 * the player reads the rest as the drama plays.
 * @throws Error with the importer's message when the files are a draft it cannot use
 */
export async function importDraft(files, { core } = {}) {
  const names = files.map(({ path }) => normalizePath(path));
  const contents = new Map();
  let headers = 0;
  for (const [i, { file }] of files.entries()) {
    const name = names[i];
    if (TEXT.test(name) && file.size <= MAX_TEXT_BYTES) {
      contents.set(name, new Uint8Array(await file.arrayBuffer()));
    } else if (IMAGE.test(name) && headers < MAX_HEADERS) {
      headers++;
      contents.set(name, new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer()));
    }
  }
  core ??= await loadCore();
  if (typeof core.importDraft !== 'function') return null;
  let result;
  try {
    result = core.importDraft(names, contents);
  } catch (err) {
    const message = String(err?.message ?? err);
    if (/not a draft Manju can read/.test(message)) return null;
    throw new Error(`Could not import it: ${message}`);
  }
  const byPath = new Map(files.map(({ file }, i) => [names[i], file]));
  const root = names[0]?.split('/')[0] ?? 'draft';
  return {
    manifestText: result.manifest,
    files: byPath,
    name: `${root}/manifest.json`,
    importProblems: result.problems,
    mapped: result.mapped,
    kind: result.kind,
  };
}

/** The one .zip among dropped or chosen files, when that is all there is. */
export function zipAmong(files) {
  return files.length === 1 && files[0].path.toLowerCase().endsWith('.zip') ? files[0].file : null;
}

/** `path` as seen from folder `from` (both normalized, relative to the same root). */
export function relativePath(from, path) {
  const base = from ? from.split('/') : [];
  const parts = path.split('/');
  let common = 0;
  while (common < base.length && common < parts.length - 1 && base[common] === parts[common]) common++;
  return [...base.slice(common).map(() => '..'), ...parts.slice(common)].join('/');
}
