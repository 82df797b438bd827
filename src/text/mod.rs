//! Words on the picture: one line of dialogue at one instant → a premultiplied RGBA8
//! overlay at integer screen coordinates, which the compositor lays over the frame
//! without resampling.
//!
//! A line is set in its style ([`resolve_style`]: the display's built-in style, the
//! manifest's overrides of it, the line's own style), wrapped (Latin at spaces and
//! hyphens, CJK between characters with the punctuation rules, see `breaking`), shrunk
//! if it still does not fit its bubble or the canvas (with a warning), and drawn with
//! tiny-skia: outlines under fills, round joins. Everything is deterministic — integer
//! pixel placement, libm for trigonometry, quadratic curves only, tiny-skia's scalar
//! pipeline — so an overlay has the same bits natively and in wasm.
//!
//! ```
//! use manju::{Display, FontBook, LineLook, render_line, resolve_style};
//! let book = FontBook::with_builtin();
//! let style = resolve_style(Display::Subtitle, None, &[], (1080, 1920));
//! let look = LineLook::new(Display::Subtitle, "这一世，我绝不会再让你得逞。", &style, (1080, 1920));
//! let (overlay, warnings) = render_line(&book, &look);
//! let overlay = overlay.unwrap();
//! assert!(warnings.is_empty());
//! assert!(overlay.y > 1500 && overlay.x > 0);
//! assert_eq!(overlay.data.len(), (overlay.width * overlay.height * 4) as usize);
//! ```

mod breaking;
mod displays;
mod font;
#[cfg(test)]
pub(crate) mod golden;
mod layout;
mod paint;
mod shapes;
mod style;

pub use font::{DEFAULT_FONT_ID, FontBook, MAX_FONT_BYTES, TextError};
pub use style::{ResolvedStyle, resolve_style};

use crate::model::{Bubble, Display, Drama, Reveal, Rgba8};
use crate::problem::Problem;
use crate::time::Micros;

/// A picture to lay over the frame with source-over, its top-left pixel at `(x, y)` on
/// the canvas (never outside it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlay {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    /// Premultiplied RGBA8, row by row.
    pub data: Vec<u8>,
}

/// Who speaks, for a subtitle's or caption's speaker label (`林晚：`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Speaker<'a> {
    /// The character's name (or the plain name the line gives).
    pub name: &'a str,
    /// The character's colour, if the manifest gives one; else the text's colour.
    pub color: Option<Rgba8>,
}

/// Everything that decides how a line looks at one instant. Equal looks draw equal
/// overlays, so a cache may key on the line and `visible` alone (and
/// [`FontBook::generation`]): the rest is fixed for a line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineLook<'a> {
    pub display: Display,
    /// The whole text: layout always uses all of it, so typing does not reflow it.
    pub text: &'a str,
    /// How many characters of `text` are shown (see [`visible_chars`]); `None`: all.
    pub visible: Option<usize>,
    /// Shown before subtitle and caption text when the style's `speaker_label` is on.
    pub speaker: Option<Speaker<'a>>,
    pub style: &'a ResolvedStyle,
    /// Where a bubble or sound word goes (`x`, `y`: its centre; `width`: a bubble's
    /// widest; `tail`: where its tail points) and the bubble's shape.
    pub bubble: Option<Bubble>,
    /// The canvas's size in pixels: nothing is drawn outside it.
    pub canvas: (u32, u32),
}

impl<'a> LineLook<'a> {
    /// A fully shown line without speaker or bubble.
    pub fn new(
        display: Display,
        text: &'a str,
        style: &'a ResolvedStyle,
        canvas: (u32, u32),
    ) -> LineLook<'a> {
        LineLook {
            display,
            text,
            visible: None,
            speaker: None,
            style,
            bubble: None,
            canvas,
        }
    }
}

/// Draws one line. `None` when there is nothing to draw (display `none`, empty text, no
/// font loaded yet, or all of it off the canvas). The warnings say what had to give way —
/// text shrunk or words broken to fit, a bubble moved onto the canvas, a missing font or
/// glyph — for the caller to report with the line's JSON path.
pub fn render_line(book: &FontBook, look: &LineLook) -> (Option<Overlay>, Vec<String>) {
    let mut warnings = Vec::new();
    if look.display == Display::None || look.text.trim().is_empty() {
        return (None, warnings);
    }
    let Some(faces) = book.faces(look.style.font.as_deref(), &mut warnings) else {
        return (None, warnings);
    };
    let overlay = displays::draw(&faces, look, &mut warnings);
    (overlay, warnings)
}

/// What setting one line has to give way on (see [`render_line`]), without drawing it.
fn line_warnings(book: &FontBook, look: &LineLook) -> Vec<String> {
    let mut warnings = Vec::new();
    if look.display == Display::None || look.text.trim().is_empty() {
        return warnings;
    }
    if let Some(faces) = book.faces(look.style.font.as_deref(), &mut warnings) {
        displays::compose(&faces, look, &mut warnings);
    }
    warnings
}

/// Sets every displayed line of `drama` in full and reports what had to give way (text
/// shrunk or broken to fit, a bubble moved onto the canvas, a missing font or glyph) as
/// warnings at the line's path. Nothing is reported while no font is loaded.
pub fn line_problems(drama: &Drama, fonts: &FontBook) -> Vec<Problem> {
    // One problem per message: a font missing for forty lines is said once, at the first.
    let mut found: Vec<(String, String, usize)> = Vec::new();
    if !fonts.has_default() {
        return Vec::new();
    }
    for (i, shot) in drama.shots.iter().enumerate() {
        for (j, line) in shot.lines.iter().enumerate() {
            if line.display == Display::None {
                continue;
            }
            let item = crate::timeline::text_item(drama, line);
            // Laid out, not rasterised: a 10 000-shot check spent 80 % of its time filling
            // glyphs nobody would see.
            let mut warnings = line_warnings(fonts, &item.look());
            warnings.dedup();
            for w in warnings {
                match found.iter_mut().find(|(m, ..)| *m == w) {
                    Some((.., n)) => *n += 1,
                    None => found.push((w, format!("shots[{i}].lines[{j}]"), 1)),
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(message, path, n)| match n {
            1 => Problem::warning(path, message),
            _ => Problem::warning(path, format!("{message} ({n} lines; the first is here)")),
        })
        .collect()
}

/// How many characters a typewriter line shows `since_start` into its `duration`: one
/// more every 1/`cps` s (faster if needed to finish by the line's end), the first at its
/// start. `None` when the whole text shows (always, for `reveal: "instant"`).
pub fn visible_chars(
    text: &str,
    reveal: Reveal,
    cps: f64,
    since_start: Micros,
    duration: Micros,
) -> Option<usize> {
    if reveal == Reveal::Instant {
        return None;
    }
    let n = text.chars().count();
    let seconds = duration.max(1) as f64 / 1e6;
    // At this rate the last character appears (n − 1)/rate ≤ duration after the start.
    let rate = cps.max(n as f64 / seconds);
    let shown = (since_start.max(0) as f64 / 1e6 * rate).floor() as usize + 1;
    (shown < n).then_some(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typewriter_shows_one_more_character_every_tick() {
        let t = "0123456789";
        assert_eq!(visible_chars(t, Reveal::Instant, 20.0, 0, 5_000_000), None);
        assert_eq!(
            visible_chars(t, Reveal::Typewriter, 20.0, 0, 5_000_000),
            Some(1)
        );
        assert_eq!(
            visible_chars(t, Reveal::Typewriter, 20.0, 49_999, 5_000_000),
            Some(1)
        );
        assert_eq!(
            visible_chars(t, Reveal::Typewriter, 20.0, 50_000, 5_000_000),
            Some(2)
        );
        assert_eq!(
            visible_chars(t, Reveal::Typewriter, 20.0, 449_999, 5_000_000),
            Some(9)
        );
        assert_eq!(
            visible_chars(t, Reveal::Typewriter, 20.0, 450_000, 5_000_000),
            None
        );
    }

    #[test]
    fn typewriter_speeds_up_to_finish_by_the_lines_end() {
        // 10 characters in 0.25 s: 40 per second, not 20.
        let t = "0123456789";
        assert_eq!(
            visible_chars(t, Reveal::Typewriter, 20.0, 25_000, 250_000),
            Some(2)
        );
        assert_eq!(
            visible_chars(t, Reveal::Typewriter, 20.0, 225_000, 250_000),
            None
        );
    }
}
