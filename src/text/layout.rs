//! Setting text: glyphs and advances ([`shape`]), lines wrapped and balanced at a size
//! ([`layout`]), and the largest size at which the text fits its space ([`fit`]).

use super::breaking::{self, Break, is_space};
use super::font::Faces;
use std::ops::Range;
use ttf_parser::GlyphId;

/// The text's characters with their glyphs and advances, independent of the size.
pub struct Shaped {
    pub chars: Vec<char>,
    /// The face (index into [`Faces::list`]) and glyph of each character; `None` for a
    /// line feed or an invisible format character.
    pub glyphs: Vec<Option<(usize, GlyphId)>>,
    /// Advance of each character in ems, kerning with the next one included.
    pub advances: Vec<f64>,
    /// Ascent and descent of the primary face, in ems.
    pub ascent: f64,
    pub descent: f64,
}

/// Looks up every character's glyph, falling back along `faces`; a character no face has
/// is drawn as the primary face's missing-glyph box, with a warning.
pub fn shape(faces: &Faces, text: &str, warnings: &mut Vec<String>) -> Shaped {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let mut glyphs = Vec::with_capacity(chars.len());
    let mut advances = Vec::with_capacity(chars.len());
    let mut missing: Vec<char> = Vec::new();
    for &c in &chars {
        let glyph = match faces.glyph(c) {
            Some(g) => Some(g),
            None if c == '\n' || c == '\r' || is_format(c) => None,
            None => {
                if !missing.contains(&c) {
                    missing.push(c);
                }
                Some((0, GlyphId(0)))
            }
        };
        glyphs.push(glyph);
        advances.push(glyph.map_or(0.0, |(f, g)| faces.list[f].advance(g)));
    }
    for i in 1..chars.len() {
        if let (Some((f, a)), Some((g, b))) = (glyphs[i - 1], glyphs[i])
            && f == g
        {
            advances[i - 1] += faces.list[f].kerning(a, b);
        }
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|c| format!("`{c}` (U+{:04X})", u32::from(*c)))
            .collect();
        warnings.push(format!("no font has {}; drawn as a box", list.join(", ")));
    }
    let primary = faces.primary();
    Shaped {
        chars,
        glyphs,
        advances,
        ascent: primary.ascent,
        descent: primary.descent,
    }
}

/// Zero-width characters that need no glyph.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

/// One line of a block.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine {
    /// Its characters (trailing spaces and line feed included, but not drawn).
    pub range: Range<usize>,
    /// Left end of the text and baseline, from the block's top left.
    pub x: f64,
    pub baseline: f64,
    pub width: f64,
}

/// Text set at one size, in lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub size: f64,
    pub lines: Vec<TextLine>,
    /// The widest line.
    pub width: f64,
    /// Lines × line height.
    pub height: f64,
    /// A word is wider than the wrap width.
    pub overflow: bool,
}

/// Sets `shaped` at `size` in lines no wider than `width` (unless a word is), aligned
/// within the widest line. With `balance`, the lines are made as even as the break
/// opportunities allow, keeping their number: two lines of 9 and 8 characters read better
/// than 16 and 1, in a subtitle as in a balloon.
pub fn layout(
    shaped: &Shaped,
    size: f64,
    line_height: f64,
    width: f64,
    align: crate::model::Align,
    anywhere: bool,
    balance: bool,
) -> Block {
    let chars = &shaped.chars;
    let advances: Vec<f64> = shaped.advances.iter().map(|a| a * size).collect();
    let breaks = breaking::opportunities(chars, anywhere);
    let mut wrapped = breaking::wrap(chars, &advances, &breaks, width);
    let has_feed = breaks.contains(&Break::Mandatory);
    if balance && !wrapped.overflow && wrapped.lines.len() > 1 && !has_feed {
        // The narrowest width that still gives as many lines.
        let target = wrapped.lines.len();
        let (mut lo, mut hi) = (0.0, width);
        for _ in 0..14 {
            let w = (lo + hi) * 0.5;
            let trial = breaking::wrap(chars, &advances, &breaks, w);
            if trial.overflow || trial.lines.len() > target {
                lo = w;
            } else {
                hi = w;
            }
        }
        wrapped = breaking::wrap(chars, &advances, &breaks, hi);
    }
    let line_advance = size * line_height;
    // The ascent-to-descent box sits in the middle of each line's height.
    let glyph_box = (shaped.ascent + shaped.descent) * size;
    let first_baseline = (line_advance - glyph_box) * 0.5 + shaped.ascent * size;
    let mut lines: Vec<TextLine> = wrapped
        .lines
        .iter()
        .enumerate()
        .map(|(k, r)| TextLine {
            range: r.clone(),
            x: 0.0,
            baseline: first_baseline + line_advance * k as f64,
            width: breaking::visible_width(chars, &advances, r.clone()),
        })
        .collect();
    let block_width = lines.iter().map(|l| l.width).fold(0.0, f64::max);
    for line in &mut lines {
        line.x = match align {
            crate::model::Align::Left => 0.0,
            crate::model::Align::Center => (block_width - line.width) * 0.5,
            crate::model::Align::Right => block_width - line.width,
        };
    }
    Block {
        size,
        height: line_advance * lines.len() as f64,
        lines,
        width: block_width,
        overflow: wrapped.overflow,
    }
}

impl Block {
    /// Each drawn character's index and pen position (left end of its advance, on its
    /// baseline) from the block's top left.
    pub fn pens<'a>(&'a self, shaped: &'a Shaped) -> impl Iterator<Item = (usize, f64, f64)> + 'a {
        self.lines.iter().flat_map(move |line| {
            let mut pen = line.x;
            line.range.clone().filter_map(move |i| {
                let at = pen;
                pen += shaped.advances[i] * self.size;
                let c = shaped.chars[i];
                (!is_space(c) && shaped.glyphs[i].is_some()).then_some((i, at, line.baseline))
            })
        })
    }
}

/// How a block is set.
pub struct Setting {
    pub size: f64,
    pub line_height: f64,
    pub align: crate::model::Align,
    /// The wrap width.
    pub width: f64,
}

/// Sets the text at the style's size if it fits: no word wider than the wrap width and
/// `accept` (the display's own test: its height, its bubble on the canvas). Otherwise
/// shrinks it by 10 % steps down to half the size, then lets words break anywhere and
/// goes on down to a quarter; each step that had to be taken is reported. The last
/// attempt is returned even if it does not fit.
pub fn fit(
    shaped: &Shaped,
    setting: &Setting,
    accept: &dyn Fn(&Block) -> bool,
    warnings: &mut Vec<String>,
) -> Block {
    let s0 = setting.size;
    let attempt = |size: f64, anywhere: bool| {
        layout(
            shaped,
            size,
            setting.line_height,
            setting.width,
            setting.align,
            anywhere,
            true,
        )
    };
    let mut size = s0;
    let mut anywhere = false;
    loop {
        let block = attempt(size, anywhere);
        let fits = !block.overflow && accept(&block);
        let next = size * 0.9;
        let floor = if anywhere {
            (s0 * 0.25).max(4.0)
        } else {
            s0 * 0.5
        };
        if fits || (anywhere && next < floor) {
            if size < s0 {
                warnings.push(format!(
                    "text shrunk from {} px to {} px to fit",
                    round1(s0),
                    round1(size)
                ));
            }
            if anywhere {
                warnings.push("a word is too wide for the space; it is broken".to_string());
            }
            if !fits {
                warnings.push(format!(
                    "text does not fit even at {} px; it runs over",
                    round1(size)
                ));
            }
            return block;
        }
        if next < floor {
            anywhere = true;
        } else {
            size = next;
        }
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Align;
    use crate::text::font::FontBook;

    fn shaped(book: &FontBook, text: &str) -> Shaped {
        let faces = book.faces(None, &mut Vec::new()).unwrap();
        shape(&faces, text, &mut Vec::new())
    }

    fn lines(block: &Block, s: &Shaped) -> Vec<String> {
        block
            .lines
            .iter()
            .map(|l| {
                s.chars[l.range.clone()]
                    .iter()
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    fn setting(size: f64, width: f64) -> Setting {
        Setting {
            size,
            line_height: 1.25,
            align: Align::Center,
            width,
        }
    }

    #[test]
    fn cjk_advances_are_one_em_and_latin_is_kerned() {
        let book = FontBook::with_builtin();
        let s = shaped(&book, "这一世，AV");
        assert_eq!(&s.advances[..4], &[1.0, 1.0, 1.0, 1.0]);
        let a = shaped(&book, "A");
        assert!(s.advances[4] < a.advances[0], "A before V is kerned");
    }

    #[test]
    fn balanced_lines_keep_their_number_and_even_out() {
        let book = FontBook::with_builtin();
        let s = shaped(&book, "这一世，我绝不会再让你得逞。");
        let greedy = layout(&s, 10.0, 1.3, 100.0, Align::Center, false, false);
        assert_eq!(lines(&greedy, &s), ["这一世，我绝不会再让", "你得逞。"]);
        let balanced = layout(&s, 10.0, 1.3, 100.0, Align::Center, false, true);
        assert_eq!(lines(&balanced, &s), ["这一世，我绝不", "会再让你得逞。"]);
        assert_eq!(balanced.width, 70.0);
        assert_eq!(balanced.height, 26.0);
    }

    #[test]
    fn text_that_fits_is_not_shrunk() {
        let book = FontBook::with_builtin();
        let s = shaped(&book, "你好");
        let mut warnings = Vec::new();
        let b = fit(&s, &setting(40.0, 200.0), &|_| true, &mut warnings);
        assert_eq!(b.size, 40.0);
        assert!(warnings.is_empty());
    }

    #[test]
    fn text_too_tall_shrinks_step_by_step_with_a_warning() {
        let book = FontBook::with_builtin();
        let s = shaped(&book, "这一世，我绝不会再让你得逞。");
        let mut warnings = Vec::new();
        // 14 characters at 40 px in 200 px: 3 lines, 150 px; only 100 px are there.
        let b = fit(
            &s,
            &setting(40.0, 200.0),
            &|b| b.height <= 100.0,
            &mut warnings,
        );
        assert!(b.height <= 100.0);
        assert!(b.size < 40.0 && b.size >= 20.0, "{}", b.size);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("text shrunk from 40 px to "),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_long_word_shrinks_then_breaks() {
        let book = FontBook::with_builtin();
        let s = shaped(&book, "Supercalifragilisticexpialidocious");
        let mut warnings = Vec::new();
        let b = fit(&s, &setting(40.0, 200.0), &|_| true, &mut warnings);
        assert!(!b.overflow);
        assert!(b.lines.len() > 1);
        assert!(b.lines.iter().all(|l| l.width <= 200.0));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[1].contains("broken"));
    }

    #[test]
    fn text_that_cannot_fit_says_so() {
        let book = FontBook::with_builtin();
        let s = shaped(&book, "这一世，我绝不会再让你得逞。");
        let mut warnings = Vec::new();
        let b = fit(
            &s,
            &setting(40.0, 200.0),
            &|b| b.height <= 1.0,
            &mut warnings,
        );
        assert!(b.size >= 4.0);
        assert!(
            warnings.last().unwrap().contains("does not fit"),
            "{warnings:?}"
        );
    }

    #[test]
    fn missing_glyphs_are_boxes_with_a_warning() {
        let book = FontBook::with_builtin();
        let faces = book.faces(None, &mut Vec::new()).unwrap();
        let mut warnings = Vec::new();
        let s = shape(&faces, "a\u{10380}b", &mut warnings);
        assert_eq!(s.glyphs[1], Some((0, GlyphId(0))));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("U+10380"));
    }
}
