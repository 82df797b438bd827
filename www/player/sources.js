// Where a drama's manifest and assets come from: a URL (assets fetched relative to the
// manifest's URL) or files the reviewer opened (assets looked up by their path relative
// to the manifest's folder). Both give the loader the same shape:
// { manifestText, label, readAsset(src) → Promise<Uint8Array> }.

/** Thrown when the manifest itself cannot be read; the message is shown to the reviewer. */
export class SourceError extends Error {}

/**
 * @param {string | URL | {manifestText: string, files?: Map<string, Blob|ArrayBuffer|ArrayBufferView> | Record<string, Blob|ArrayBuffer|ArrayBufferView>, name?: string}} source
 */
export async function openSource(source) {
  if (typeof source === 'string' || source instanceof URL) return openUrl(source);
  if (source && typeof source.manifestText === 'string') return openFiles(source);
  throw new SourceError('nothing to load: give a manifest URL or {manifestText, files}');
}

async function openUrl(source) {
  let manifestUrl;
  try {
    manifestUrl = new URL(source, document.baseURI);
  } catch {
    throw new SourceError(`"${source}" is not a valid URL`);
  }
  let response;
  try {
    response = await fetch(manifestUrl);
  } catch (err) {
    throw new SourceError(`could not fetch the manifest ${manifestUrl.href}: ${err.message}`);
  }
  if (!response.ok) {
    throw new SourceError(
      `could not fetch the manifest ${manifestUrl.href}: HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  const manifestText = await response.text();
  return {
    manifestText,
    label: manifestUrl.pathname.split('/').pop() || manifestUrl.href,
    async readAsset(src) {
      const url = new URL(src, manifestUrl);
      let r;
      try {
        r = await fetch(url);
      } catch (err) {
        throw new Error(`could not fetch ${url.href}: ${err.message}`);
      }
      if (!r.ok) throw new Error(`could not fetch ${url.href}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
  };
}

function openFiles({ manifestText, files, name }) {
  const byPath = new Map();
  const entries = files instanceof Map ? files.entries() : Object.entries(files ?? {});
  for (const [path, file] of entries) byPath.set(normalizePath(path), file);
  return {
    manifestText,
    label: name ?? 'opened files',
    async readAsset(src) {
      const file = byPath.get(normalizePath(src));
      if (file === undefined) throw new Error(`"${src}" is not among the opened files`);
      return toBytes(file);
    },
  };
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
