// Opening a drama from the reviewer's own files ("Open folder" or drag and drop): list
// every file with its path, find the manifest among them, and key the others by their
// path relative to the manifest's folder — what <manju-player>'s load() takes. A lone
// .zip goes to the player as it is (the core reads it).

import { dirname, normalizePath, pickManifest } from './player/sources.js';

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
 * Picks the manifest among `files` and maps the rest relative to its folder.
 * @returns {Promise<{manifestText, files: Map<string, File>, name: string}>}
 * @throws Error when no file looks like a manifest (the message says so for the reviewer)
 */
export async function dramaFromFiles(files) {
  const candidates = [];
  for (const { path, file } of files) {
    if (path.toLowerCase().endsWith('.json')) candidates.push({ path: normalizePath(path), text: await file.text() });
  }
  // A manifest with a syntax error still goes to the player, which reports where it is.
  const chosen = pickManifest(candidates, files.map(({ path }) => normalizePath(path)));
  const folder = dirname(chosen.path);
  const byPath = new Map();
  for (const { path, file } of files) byPath.set(relativePath(folder, normalizePath(path)), file);
  return { manifestText: chosen.text, files: byPath, name: chosen.path };
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
