// The loading flow: manifest text → Session.load → (stop if fatal) → fetch the assets the
// first frame and the timing need (fonts, the voices that time their lines, the first
// shot's images and sounds: the core's load plan) → resolve → the drama is playable,
// and the first frame can be drawn → the rest of the assets, in order of first use,
// while the reviewer watches → resolve again (music lengths) → everything is in.
// Audio assets are also decoded by the browser for playback (the core only needs their
// bytes for timing and the picture). The bytes are kept with the loaded drama, so a new
// version of its manifest (subtitles merged in) plays without fetching anything again.

import { KeptSource, openSource, SourceError } from './sources.js';

/** How many asset requests run at once (a browser's per-host connection budget). */
const PARALLEL_FETCHES = 6;

/** The load was replaced by a newer one before it finished. */
export class Superseded extends Error {}

/**
 * @param core {Session, ZipArchive, memory} from the wasm package
 * @param source see openSource
 * @param options.onProgress (loaded, total) after each asset
 * @param options.decodeAudio (id, bytes) → Promise, rejects when the browser cannot decode
 * @param options.onAsset (id, kind) once an asset arrived after the first phase (for
 *   audio: once decoded) or failed; the player may then stop waiting for it
 * @param options.isCurrent () → false once a newer load started
 * @returns {Promise<{session, fatal: boolean, problems: object[], title: string, label: string,
 *   shots: {id, images, audio}[], first: string[], rest: Promise<object[]> | null,
 *   manifestText: string, kept: Map<string, {bytes?: Uint8Array, error?: string}>,
 *   problemsNow: () => object[]}>}
 *   `session` is null when the manifest could not even be read (problems say why). `rest`
 *   settles once every asset is in, with the problem list then (it rejects with
 *   Superseded when a newer load replaced this one). `kept` fills with every asset's
 *   bytes (or why it could not be read) by `src`, for `KeptSource`; `problemsNow()` is the
 *   problem list at the moment it is called (text warnings appear once a font is in).
 */
export async function loadDrama(core, source, { onProgress, decodeAudio, isCurrent, onAsset = () => {} }) {
  let opened;
  try {
    opened = await openSource(source, core);
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    return { session: null, fatal: true, problems: [problem('error', '', err.message)], title: '', label: '', shots: [], rest: null, manifestText: '', kept: new Map(), problemsNow: () => [] };
  }
  if (!isCurrent()) {
    opened.close();
    throw new Superseded();
  }

  const { manifestText, label } = opened;
  const session = core.Session.load(manifestText);
  const title = session.title ?? '';
  const kept = new Map();
  if (session.fatal) {
    opened.close();
    const problems = plain(session.problems());
    return { session, fatal: true, problems, title, label, shots: [], rest: null, manifestText, kept, problemsNow: () => problems };
  }

  const assets = new Map(plain(session.assets()).map((a) => [a.id, a]));
  const plan = plain(session.loadPlan());
  // Bytes already in memory: everything before the first frame, so it can be any frame.
  if (opened instanceof KeptSource) {
    plan.first = [...plan.first, ...plan.rest];
    plan.rest = [];
  }
  const total = assets.size;
  const browserProblems = [];
  // A draft imported from another tool: what its import said comes first.
  const imported = (opened.importProblems ?? []).map((p) => ({ ...p }));
  const problemsNow = () => [...imported, ...plain(session.problems()), ...browserProblems];
  let loaded = 0;
  onProgress(loaded, total);

  /** Fetches and hands over one asset; `decoded` settles once a sound is decoded too. */
  const fetchOne = async (id, phase) => {
    const asset = assets.get(id);
    if (!asset) return {};
    let bytes;
    try {
      bytes = await opened.readAsset(asset.src);
      kept.set(asset.src, { bytes });
    } catch (err) {
      kept.set(asset.src, { error: err.message });
      if (!isCurrent()) return {};
      session.markMissing(asset.id, err.message);
    }
    if (!isCurrent()) return {};
    let decoded = null;
    if (bytes) {
      if (asset.kind === 'audio') {
        // decodeAudio works on its own copy: the core still needs these bytes.
        decoded = decodeAudio(asset.id, bytes).catch((err) => {
          browserProblems.push(
            problem('warning', `assets.${asset.id}`, `the browser cannot decode this audio (it will play silence): ${err?.message ?? err}`),
          );
        });
      }
      session.addAsset(asset.id, bytes);
    }
    loaded += 1;
    onProgress(loaded, total);
    if (phase === 'rest') {
      if (decoded) decoded.then(() => isCurrent() && onAsset(asset.id, asset.kind));
      else onAsset(asset.id, asset.kind);
    }
    // Wrapped: an async function returning a promise would wait for it.
    return { decoded };
  };

  const firstDecodes = [];
  await eachLimited(plan.first, PARALLEL_FETCHES, async (id) => {
    firstDecodes.push((await fetchOne(id, 'first')).decoded);
  });
  await Promise.all(firstDecodes);
  if (!isCurrent()) {
    opened.close();
    throw new Superseded();
  }
  session.resolve();

  const rest = (async () => {
    const decodes = [];
    try {
      await eachLimited(plan.rest, PARALLEL_FETCHES, async (id) => {
        if (!isCurrent()) return;
        decodes.push((await fetchOne(id, 'rest')).decoded);
      });
      await Promise.all(decodes);
    } finally {
      opened.close();
    }
    if (!isCurrent()) throw new Superseded();
    session.resolve();
    return problemsNow();
  })();
  // Nobody may be listening when a newer load supersedes this one.
  rest.catch(() => {});

  return {
    session, fatal: Boolean(session.fatal), problems: problemsNow(), title, label, shots: plan.shots, first: plan.first, rest,
    manifestText, kept, problemsNow,
  };
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
