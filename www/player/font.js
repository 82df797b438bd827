// The built-in font (fonts/manju-sans.otf, 1.8 MB: Chinese, kana and Latin). The core
// draws every word with it, but the first frame must not wait for it: the player fetches
// it alongside the drama's assets, draws frames without words until it is in, then hands
// it to the core and redraws. The bytes are fetched once per page and given to every
// drama loaded after (each Session copies them into wasm memory).

/** Where the font is, beside the page's modules (www/fonts/). */
export const DEFAULT_FONT_URL = new URL('../fonts/manju-sans.otf', import.meta.url);

/**
 * The family name the page's own text (the drama's title, the dialogue sheet, the
 * controls) uses for Chinese and Japanese: the same font, registered from the same bytes,
 * so that text never depends on the fonts the reviewer's system happens to have (a
 * machine without a CJK font would show boxes). Its unicode-range holds only CJK, kana and
 * full-width forms, so Latin text stays in the system's UI font.
 */
export const PAGE_FONT_FAMILY = 'Manju Sans';
const PAGE_FONT_RANGES = 'U+2E80-2FDF, U+3000-30FF, U+31F0-31FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF';

let fetching = null;
let fetched = null;
let pageFont = null;

/**
 * The font's bytes: Promise<Uint8Array>, one fetch per page. A failed fetch rejects with a
 * message for the reviewer, and the next call tries again.
 */
export function fetchDefaultFont() {
  if (!fetching) {
    const attempt = (async () => {
      let response;
      try {
        // Low priority: the first frame's images and the voices that time it come first.
        response = await fetch(DEFAULT_FONT_URL, { priority: 'low' });
      } catch (err) {
        throw new Error(`could not fetch ${DEFAULT_FONT_URL.pathname}: ${err.message}`);
      }
      if (!response.ok) throw new Error(`could not fetch ${DEFAULT_FONT_URL.pathname}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    })();
    fetching = attempt;
    attempt.then(
      (bytes) => {
        fetched = bytes;
        addPageFont(bytes);
      },
      () => {
        if (fetching === attempt) fetching = null;
      },
    );
  }
  return fetching;
}

/**
 * Registers the font for the document's text (see PAGE_FONT_FAMILY), once. A FontFace made
 * from bytes is not fetched, so it needs no font-src in the Content-Security-Policy.
 * Resolves once the browser can draw with it (or could not: the system's fonts stay).
 */
function addPageFont(bytes) {
  if (pageFont || typeof FontFace !== 'function' || !globalThis.document?.fonts) return pageFont;
  pageFont = addPageFontTo(globalThis, bytes);
  return pageFont;
}

/**
 * Registers the font's `bytes` for the text of window `win`'s document (the page's, or a
 * tab it builds, as the printable report); resolves once it can be drawn with (or null).
 */
export function addPageFontTo(win, bytes) {
  try {
    const face = new win.FontFace(PAGE_FONT_FAMILY, bytes, { unicodeRange: PAGE_FONT_RANGES, display: 'swap' });
    win.document.fonts.add(face);
    return face.loaded.catch(() => null);
  } catch {
    return Promise.resolve(null);
  }
}

/** The built-in font for one player: fetched with each load, handed to its Session. */
export class DefaultFont {
  /** 'loading' until the core has the font, then 'ready' (words drawn) or 'error' (no words). */
  state = 'loading';
  /** `[warning]` saying why no words are drawn, or `[]`. */
  problems = [];
  #pending = null;

  /** Called as a load starts: the fetch runs in parallel with the drama's assets. */
  begin() {
    this.state = 'loading';
    this.problems = [];
    this.#pending = fetchDefaultFont().then((bytes) => ({ bytes }), (error) => ({ error }));
  }

  /**
   * Hands the font to `session` as soon as both are there — at once when the bytes are in
   * already (the first frame then has its words). Resolves (always after the caller's
   * synchronous code) once the font is settled: 'before' (handed over before this call
   * returned, so frames drawn since have their words) or 'after' (frames drawn meanwhile
   * have none); null when `isCurrent()` turned false first.
   */
  attach(session, isCurrent) {
    if (fetched) {
      this.#apply(session, { bytes: fetched });
      return Promise.resolve('before');
    }
    return this.#pending.then((got) => {
      if (!isCurrent()) return null;
      this.#apply(session, got);
      return 'after';
    });
  }

  #apply(session, { bytes, error }) {
    if (bytes) {
      try {
        session.setDefaultFont(bytes);
        this.state = 'ready';
        return;
      } catch (err) {
        error = err;
      }
    }
    this.state = 'error';
    const why = error instanceof Error ? error.message : String(error);
    this.problems = [{ severity: 'warning', path: '', message: `the built-in font did not load (${why}): lines are not drawn on the picture` }];
  }
}
