// Where a drama's manifest and assets come from: a URL (assets fetched relative to the
// manifest's URL), files the reviewer opened (assets looked up by their path relative
// to the manifest's folder), or a .zip holding both (opened and decompressed by the
// core, which checks its size, entry count, compression ratio and entry names). All
// give the loader the same shape:
// { manifestText, label, readAsset(src) → Promise<Uint8Array>, close() }.
// A KeptSource is a drama already loaded, with another version of its manifest: its
// assets come from the bytes the first load kept, so nothing is fetched again.

import { FORMAT, noManifestMessage, recognizeJson } from './recognize.js';

export { FORMAT };

/** Thrown when the manifest itself cannot be read; the message is shown to the reviewer. */
export class SourceError extends Error {}

/**
 * @param {string | URL | {url: string | URL, headers?: Record<string, string>} | Blob | ArrayBuffer | Uint8Array | {manifestText: string, files?: Map<string, Blob|ArrayBuffer|ArrayBufferView> | Record<string, Blob|ArrayBuffer|ArrayBufferView>, name?: string}} source
 *   a URL (of a manifest or a .zip; with `headers` sent to its server, e.g. a review
 *   token), a .zip's bytes or Blob/File, or files in memory
 * @param core the wasm package ({ZipArchive}); needed for archives
 */
export async function openSource(source, core) {
  if (source instanceof KeptSource) return source;
  if (typeof source === 'string' || source instanceof URL) return openUrl(source, core);
  // A drama behind the review server's API: every request carries its Authorization header.
  if (source && (typeof source.url === 'string' || source.url instanceof URL)) return openUrl(source.url, core, source.headers);
  if (source instanceof Blob) return openZip(new Uint8Array(await source.arrayBuffer()), source.name || 'archive.zip', core);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return openZip(await toBytes(source), 'archive.zip', core);
  if (source && typeof source.manifestText === 'string') return openFiles(source);
  throw new SourceError('nothing to load: give a manifest URL, a .zip, or {manifestText, files}');
}

/**
 * A new version of a loaded drama's manifest over the assets that load kept
 * (`kept`: src → {bytes} or {error}, as the loader records them). An asset that could not
 * be read then fails the same way again; one the first version did not name is missing.
 */
export class KeptSource {
  #kept;

  constructor(manifestText, label, kept) {
    this.manifestText = manifestText;
    this.label = label;
    this.#kept = new Map([...kept].map(([src, entry]) => [normalizePath(src), entry]));
  }

  async readAsset(src) {
    const entry = this.#kept.get(normalizePath(src));
    if (!entry) throw new Error(`"${src}" was not loaded with this drama`);
    if (entry.error !== undefined) throw new Error(entry.error);
    return entry.bytes;
  }

  close() {}
}

/** Whether `bytes` start like a zip archive (a local file header, or an empty archive). */
export function looksLikeZip(bytes) {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b
    && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/**
 * The URL `link` names (relative to `base`), if the player may fetch it: http(s) only —
 * and `blob:` for a drama a host page handed over — never `javascript:`, `data:`,
 * `file:` or another scheme, which `fetch` would refuse (or the page's CSP block) with
 * a message saying nothing useful. Throws a SourceError naming the scheme.
 */
export function fetchableUrl(link, base, what) {
  let url;
  try {
    url = new URL(link, base);
  } catch {
    throw new SourceError(`${what} "${link}" is not a valid URL`);
  }
  const allowed = url.protocol === 'http:' || url.protocol === 'https:' || (what === 'the manifest' && url.protocol === 'blob:');
  if (!allowed) {
    throw new SourceError(`${what} "${String(link).slice(0, 80)}" is a ${url.protocol} link, which Manju does not follow: `
      + 'dramas and their assets are fetched over http(s), or opened as files');
  }
  return url;
}

/**
 * Why fetching `url` failed, for the reviewer: a drama on another site is refused by this
 * page's Content-Security-Policy unless the deployment allows that site, and by the
 * browser unless that site allows this one (CORS). Anything else is the network's reason.
 */
function fetchFailure(url, err) {
  if (url.origin !== location.origin && url.protocol !== 'blob:') {
    return `${url.href} is on another site (${url.origin}), and this page fetches only from its own (${location.origin}): `
      + 'serve the drama from this server, or have the deployment allow that site '
      + '(manju serve --allow-origin, MANJU_ALLOW_ORIGINS) and that site send CORS headers (Access-Control-Allow-Origin)';
  }
  return `${url.href}: ${err.message}`;
}

async function openUrl(source, core, headers = undefined) {
  const manifestUrl = fetchableUrl(source, document.baseURI, 'the manifest');
  let response;
  try {
    response = await fetch(manifestUrl, { headers });
  } catch (err) {
    throw new SourceError(`could not fetch the manifest ${fetchFailure(manifestUrl, err)}`);
  }
  if (!response.ok) {
    throw new SourceError(
      `could not fetch the manifest ${manifestUrl.href}: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const name = manifestUrl.pathname.split('/').pop() || manifestUrl.href;
  // A URL may name a packed drama: the bytes say so, whatever the name or the type.
  if (looksLikeZip(bytes)) return openZip(bytes, name, core);
  const manifestText = new TextDecoder().decode(bytes);
  // Another kind of file (a Divina publication, an .otio timeline) is named as what it is.
  const other = recognizeJson(name, parseOrNull(manifestText));
  if (other) throw new SourceError(other);
  return {
    manifestText,
    label: name,
    async readAsset(src) {
      const url = fetchableUrl(src, manifestUrl, 'the asset');
      let r;
      try {
        // The headers go only to the manifest's own server, never to another site.
        r = await fetch(url, { headers: url.origin === manifestUrl.origin ? headers : undefined });
      } catch (err) {
        throw new Error(`could not fetch ${fetchFailure(url, err)}`);
      }
      if (!r.ok) throw new Error(`could not fetch ${url.href}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
    close() {},
  };
}

function openFiles({ manifestText, files, name, importProblems }) {
  const byPath = new Map();
  const entries = files instanceof Map ? files.entries() : Object.entries(files ?? {});
  for (const [path, file] of entries) byPath.set(normalizePath(path), file);
  return {
    manifestText,
    label: name ?? 'opened files',
    // What importing a draft from another tool could not carry over (files.js).
    importProblems: Array.isArray(importProblems) ? importProblems : [],
    async readAsset(src) {
      const file = byPath.get(normalizePath(src));
      if (file === undefined) throw new Error(`"${src}" is not among the opened files`);
      return toBytes(file);
    },
    close() {},
  };
}

/** A .zip: the core checks it, the manifest is found among its .json entries. */
function openZip(bytes, label, core) {
  if (!looksLikeZip(bytes)) throw new SourceError(`${label} is not a zip archive`);
  let archive;
  try {
    archive = core.ZipArchive.open(bytes);
  } catch (err) {
    throw new SourceError(`${label}: ${err.message ?? err}`);
  }
  try {
    const names = archive.names();
    const decoder = new TextDecoder();
    const candidates = [];
    for (const path of names.filter((n) => n.toLowerCase().endsWith('.json'))) {
      candidates.push({ path: normalizePath(path), text: decoder.decode(archive.read(path)) });
    }
    // Folders are entries too, but hold nothing.
    const files = names.filter((n) => !n.endsWith('/')).map(normalizePath);
    let chosen;
    let importProblems = [];
    // No manju/1 manifest: perhaps a draft from another tool packed in it.
    const imported = candidates.some(({ text }) => parseOrNull(text)?.format === FORMAT)
      ? null
      : importFromArchive(archive, names, core);
    if (imported) {
      chosen = { path: 'manifest.json', text: imported.manifest };
      importProblems = imported.problems;
    } else {
      chosen = pickManifest(candidates, files, { noun: 'entries', where: 'the archive' });
    }
    const folder = dirname(chosen.path);
    const byPath = new Map(names.map((n) => [normalizePath(n), n]));
    let open = true;
    return {
      manifestText: chosen.text,
      importProblems,
      label: `${label} › ${chosen.path}`,
      async readAsset(src) {
        const inArchive = byPath.get(normalizePath(folder ? `${folder}/${src}` : src));
        if (inArchive === undefined) throw new Error(`"${src}" is not in ${label}`);
        if (!open) throw new Error(`${label} was closed`);
        return archive.read(inArchive);
      },
      close() {
        if (open) archive.free();
        open = false;
      },
    };
  } catch (err) {
    archive.free();
    if (err instanceof SourceError) throw new SourceError(`${label}: ${err.message}`);
    throw new SourceError(`${label}: ${err.message ?? err}`);
  }
}

/**
 * A draft from another tool in an archive, imported by the core (its text files and
 * images handed over): `{manifest, problems}`, or null when it is not one. Throws a
 * SourceError with the importer's message when it is a draft that cannot be used.
 */
function importFromArchive(archive, names, core) {
  if (typeof core.importDraft !== 'function') return null;
  const files = names.filter((n) => !n.endsWith('/'));
  const contents = new Map();
  for (const n of files) {
    if (/\.(json|csv|tsv|srt|vtt|ass|ssa|otio|png|jpe?g|webp|gif|avif)$/i.test(n)) contents.set(normalizePath(n), archive.read(n));
  }
  try {
    return core.importDraft(files.map(normalizePath), contents);
  } catch (err) {
    const message = String(err?.message ?? err);
    if (/not a draft Manju can read/.test(message)) return null;
    throw new SourceError(`could not import it: ${message}`);
  }
}

/**
 * Picks the manifest among `candidates` ([{path, text}], .json files with normalized
 * paths): the one whose `format` is manju/1 nearest the top, `manifest.json` winning a
 * tie; failing that, a .json that is not valid JSON (so the player can say where it
 * breaks). Throws a SourceError that names what was opened instead and what to do
 * (./recognize.js).
 * @param paths every file's path (the .json files' among them), for the message
 * @param options.noun 'files' or 'entries'; options.where what held them ('the archive'), for the message
 */
export function pickManifest(candidates, paths, { noun = 'files', where = '' } = {}) {
  const manifests = [];
  const unreadable = [];
  for (const candidate of candidates) {
    let parsed;
    try {
      parsed = JSON.parse(candidate.text);
    } catch {
      unreadable.push(candidate);
      continue;
    }
    if (parsed?.format === FORMAT) manifests.push(candidate);
  }
  const chosen = pickShallowest(manifests) ?? pickShallowest(unreadable);
  if (!chosen) throw new SourceError(noManifestMessage(candidates, paths, { noun, where }));
  return chosen;
}

/** The candidate nearest the top of the tree; `manifest.json` wins a tie. */
function pickShallowest(candidates) {
  const depth = (c) => c.path.split('/').length;
  const named = (c) => (c.path.split('/').pop() === 'manifest.json' ? 0 : 1);
  return [...candidates].sort((a, b) => depth(a) - depth(b) || named(a) - named(b) || a.path.localeCompare(b.path))[0];
}

function parseOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function dirname(path) {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * `./img/../img/a.png` and `img\\a.png` → `img/a.png`, so manifests and file lists agree.
 * Leading `..` stay: an asset may sit beside the manifest's folder.
 */
export function normalizePath(path) {
  const out = [];
  for (const part of String(path).replaceAll('\\', '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

async function toBytes(file) {
  if (file instanceof Uint8Array) return file;
  if (file instanceof ArrayBuffer) return new Uint8Array(file);
  if (ArrayBuffer.isView(file)) return new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  if (file instanceof Blob) return new Uint8Array(await file.arrayBuffer());
  throw new Error('unsupported file value (expected a Blob, ArrayBuffer or Uint8Array)');
}
