// What the reviewer opened, when it is not a Manju drama, and what to do instead. A
// folder, a .zip or a URL that holds no `manju/1` manifest is named for what it is — a
// Divina publication (a Readium manifest with `metadata` and `readingOrder`), an
// OpenTimelineIO timeline (`.otio`), a manifest of a format version this player does not
// read, a folder or an archive with no manifest or nothing in it — and the message says
// the way on. Names and paths from the reviewer's files are only ever put in text.

/** The format a manifest declares; how the manifest is told from other JSON files. */
export const FORMAT = 'manju/1';

const OPEN_HINT = `open the folder (or .zip) that holds the drama's manifest.json, the .json file whose "format" is "${FORMAT}"`;

/** What the JSON value `parsed`, read from `path`, is when it is not a drama: a sentence, or null. */
export function recognizeJson(path, parsed) {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const name = quoted(path);
  if (typeof parsed.OTIO_SCHEMA === 'string') return otioSentence(name);
  if (isReadium(parsed)) {
    const profile = String(parsed.metadata?.conformsTo ?? '');
    if (/divina/i.test(profile) || /comic/i.test(String(parsed.metadata?.['@type'] ?? ''))) {
      return `${name} is a Divina publication (a Readium manifest with "metadata" and "readingOrder": a comic read page by page). `
        + 'Manju imports one opened as a folder or a .zip, with its pages, guided.json and clips (or with `manju import`): '
        + 'a link to its manifest alone does not bring them. Open its folder, or ' + OPEN_HINT + '.';
    }
    return `${name} is a Readium publication manifest ("metadata" and "readingOrder"), not a Manju drama: ${OPEN_HINT}.`;
  }
  if (typeof parsed.format === 'string' && parsed.format !== FORMAT && /^manju\//i.test(parsed.format)) {
    return `${name} declares "format": ${JSON.stringify(parsed.format.slice(0, 40))}, which this player does not read `
      + `(it reads "${FORMAT}"): open it with the Manju version it was made for, or convert it to ${FORMAT}.`;
  }
  return null;
}

/** Whether `path` names an OpenTimelineIO file (its JSON is checked by recognizeJson). */
export function isOtioPath(path) {
  return /\.otio$/i.test(path);
}

/**
 * Why none of what was opened is a drama, for the reviewer: one message naming what it is
 * and what to do. `candidates` are the .json files ([{path, text}]), `paths` every file's
 * (or entry's) path, `noun` 'files' or 'entries', `where` what was opened ('' or
 * 'the archive').
 */
export function noManifestMessage(candidates, paths, { noun = 'files', where = '' } = {}) {
  const count = paths.length;
  if (count === 0) {
    return where
      ? `Nothing in ${where}: it holds no files. Pack the drama's folder (its manifest.json and its assets) into the .zip.`
      : `No manifest: nothing was opened. ${capital(OPEN_HINT)}.`;
  }
  // A file that says what it is wins: the reviewer opened that, not a broken drama.
  for (const candidate of candidates) {
    let parsed;
    try {
      parsed = JSON.parse(candidate.text);
    } catch {
      continue;
    }
    const known = recognizeJson(candidate.path, parsed);
    if (known) return known;
  }
  const otio = paths.find(isOtioPath);
  if (otio) return otioSentence(quoted(otio));
  const inside = where ? ` in ${where}` : '';
  if (candidates.length === 0) {
    return `No manifest${inside}: none of the ${count} ${noun} is a .json file. ${capital(OPEN_HINT)}.`;
  }
  const names = candidates.slice(0, 3).map((c) => quoted(c.path)).join(', ') + (candidates.length > 3 ? ', …' : '');
  return `No manifest${inside}: none of the ${candidates.length} .json files (${names}) has "format": "${FORMAT}". `
    + `${capital(OPEN_HINT)}.`;
}

function otioSentence(name) {
  return `${name} is an OpenTimelineIO timeline (.otio: an edit's tracks and clips). Manju imports one opened as a `
    + `folder or a .zip with its media (or with \`manju import\`): a link to the timeline alone does not bring them. `
    + `Open its folder, or ${OPEN_HINT}.`;
}

/** A Readium Web Publication manifest: Divina's, an audiobook's, an EPUB's. */
function isReadium(parsed) {
  const context = [parsed['@context']].flat().map(String);
  const readiumContext = context.some((c) => /readium\.org\/webpub-manifest/i.test(c));
  return readiumContext || (isObject(parsed.metadata) && Array.isArray(parsed.readingOrder));
}

function isObject(value) {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/** A path as the message shows it: quoted, and cut short when it is long. */
function quoted(path) {
  const text = String(path);
  return `"${text.length > 80 ? `…${text.slice(-79)}` : text}"`;
}

function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
