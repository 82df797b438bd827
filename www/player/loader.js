// The loading flow: manifest text → Session.load → (stop if fatal) → fetch every asset
// the core asks for, a few at a time → addAsset / markMissing → resolve.
// Audio assets are also decoded by the browser for playback (the core only needs their
// bytes for timing and the picture).

import { openSource, SourceError } from './sources.js';

/** How many asset requests run at once (a browser's per-host connection budget). */
const PARALLEL_FETCHES = 6;

/** The load was replaced by a newer one before it finished. */
export class Superseded extends Error {}

/**
 * @param core {Session, memory} from the wasm package
 * @param source see openSource
 * @param options.onProgress (loaded, total) after each asset
 * @param options.decodeAudio (id, bytes) → Promise, rejects when the browser cannot decode
 * @param options.isCurrent () → false once a newer load started
 * @returns {Promise<{session, fatal: boolean, problems: object[], title: string, label: string}>}
 *   `session` is null when the manifest could not even be read (problems say why).
 */
export async function loadDrama(core, source, { onProgress, decodeAudio, isCurrent }) {
  let opened;
  try {
    opened = await openSource(source);
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    return { session: null, fatal: true, problems: [problem('error', '', err.message)], title: '', label: '' };
  }
  if (!isCurrent()) throw new Superseded();

  const session = core.Session.load(opened.manifestText);
  const title = session.title ?? '';
  if (session.fatal) {
    return { session, fatal: true, problems: plain(session.problems()), title, label: opened.label };
  }

  const assets = plain(session.assets());
  const browserProblems = [];
  const decodes = [];
  let loaded = 0;
  onProgress(loaded, assets.length);

  await eachLimited(assets, PARALLEL_FETCHES, async (asset) => {
    let bytes;
    try {
      bytes = await opened.readAsset(asset.src);
    } catch (err) {
      if (!isCurrent()) return;
      session.markMissing(asset.id, err.message);
    }
    if (!isCurrent()) return;
    if (bytes) {
      if (asset.kind === 'audio') {
        // decodeAudio works on its own copy: the core still needs these bytes.
        decodes.push(
          decodeAudio(asset.id, bytes).catch((err) => {
            browserProblems.push(
              problem('warning', `assets.${asset.id}`, `the browser cannot decode this audio (it will play silence): ${err?.message ?? err}`),
            );
          }),
        );
      }
      session.addAsset(asset.id, bytes);
    }
    loaded += 1;
    onProgress(loaded, assets.length);
  });
  await Promise.all(decodes);
  if (!isCurrent()) throw new Superseded();

  session.resolve();
  const problems = [...plain(session.problems()), ...browserProblems];
  return { session, fatal: Boolean(session.fatal), problems, title, label: opened.label };
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function eachLimited(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function problem(severity, path, message) {
  return { severity, path, message };
}

/**
 * serde-wasm-bindgen may hand maps over as `Map`s; the page wants plain objects
 * (structured-cloneable, JSON-printable) whatever the core's serializer settings.
 */
export function plain(value) {
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [k, plain(v)]));
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
