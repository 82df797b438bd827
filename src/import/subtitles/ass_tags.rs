//! ASS override tags (`{\\b1\\pos(10,20)}`) in a Dialogue's text, and the values they
//! share with styles (colours, bold, SSA alignments). See `ass.rs` for the tags read.

use super::report::Report;
use super::{CueLook, CueStyle, Syllable};
use crate::model::Rgba8;
use crate::time::Micros;

/// Override tag names, longest first so that `\fscx` is not read as `\fs` + `cx`.
const TAGS: &[&str] = &[
    "iclip", "alpha", "xbord", "ybord", "xshad", "yshad", "fade", "move", "fscx", "fscy", "clip",
    "bord", "shad", "blur", "pos", "org", "fsp", "frx", "fry", "frz", "fax", "fay", "fad", "pbo",
    "an", "fn", "fs", "fr", "fe", "be", "kf", "ko", "kt", "1c", "2c", "3c", "4c", "1a", "2a", "3a",
    "4a", "a", "b", "c", "i", "k", "K", "p", "q", "r", "s", "t", "u",
];

/// Splits an override block into `(tag, argument)` pairs: `\pos(1,2)` → `("pos", "1,2")`,
/// `\fnArial Bold` → `("fn", "Arial Bold")`. Text between tags (a comment) is skipped.
pub fn tag_list(block: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = block;
    while let Some(p) = rest.find('\\') {
        rest = &rest[p + 1..];
        let name = TAGS
            .iter()
            .copied()
            .find(|t| rest.starts_with(t))
            .unwrap_or_else(|| {
                let end = rest
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(rest.len());
                &rest[..end]
            });
        let after = &rest[name.len()..];
        if let Some(inner) = after.strip_prefix('(') {
            // To the matching parenthesis (`\t` nests), or the block's end.
            let mut depth = 1;
            let mut end = inner.len();
            for (i, c) in inner.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            out.push((name, &inner[..end]));
            rest = inner.get(end + 1..).unwrap_or("");
        } else {
            let end = after.find('\\').unwrap_or(after.len());
            out.push((name, after[..end].trim_end()));
            rest = &after[end..];
        }
    }
    out
}

/// Bold: -1 or 1, or a weight of 600 and more (`\b700`).
pub(super) fn flag(v: &str) -> bool {
    v.trim()
        .parse::<i32>()
        .is_ok_and(|n| n == -1 || n == 1 || n >= 600)
}

/// SSA's alignment (1–3 bottom, +4 top, +8 middle) as a numpad position.
pub(super) fn from_ssa_alignment(a: i32) -> Option<u8> {
    let column = (a - 1) % 4;
    if !(0..3).contains(&column) {
        return None;
    }
    let row = match (a - 1) / 4 {
        0 => 0,
        1 => 2,
        2 => 1,
        _ => return None,
    };
    u8::try_from(1 + column + 3 * row).ok()
}

/// `&HAABBGGRR`, `&HBBGGRR&`, or a decimal number (SSA). ASS alpha counts transparency.
pub(super) fn colour(s: &str) -> Option<Rgba8> {
    let s = s.trim().trim_end_matches('&');
    let (digits, radix) = match s.strip_prefix('&').unwrap_or(s).strip_prefix(['H', 'h']) {
        Some(hex) => (hex, 16),
        None => (s, 10),
    };
    if digits.is_empty() || !digits.is_ascii() {
        return None;
    }
    let v = if radix == 16 {
        let d = &digits[digits.len().saturating_sub(8)..];
        u32::from_str_radix(d, 16).ok()?
    } else {
        let n: i64 = digits.parse().ok()?;
        n as u32
    };
    // Six digits (`\c&HBBGGRR&`) have no alpha byte: opaque, as 00 is.
    Some(Rgba8 {
        r: v as u8,
        g: (v >> 8) as u8,
        b: (v >> 16) as u8,
        a: 255 - (v >> 24) as u8,
    })
}

fn alpha(s: &str) -> Option<u8> {
    let s = s
        .trim()
        .trim_start_matches('&')
        .trim_start_matches(['H', 'h']);
    let s = s.trim_end_matches('&');
    if s.is_empty() || !s.is_ascii() {
        return None;
    }
    u8::from_str_radix(&s[s.len().saturating_sub(2)..], 16)
        .ok()
        .map(|a| 255 - a)
}

/// A Dialogue's text, its override tags read.
pub(super) struct TextRead {
    pub(super) text: String,
    /// Overrides that hold for the whole cue.
    pub(super) look: CueLook,
    /// `\r<style>` before the text: the cue's style instead.
    pub(super) style: Option<String>,
    pub(super) fade: Option<(Micros, Micros)>,
    pub(super) karaoke: Vec<Syllable>,
    /// The cue was a drawing (`\p1`).
    pub(super) drawing: bool,
}

/// What one visible character looks like (the look fields a line has one of).
#[derive(Clone, PartialEq)]
struct Ink {
    font: Option<String>,
    size: Option<f64>,
    color: Option<Rgba8>,
    outline_color: Option<Rgba8>,
    outline: Option<f64>,
    bold: Option<bool>,
    italic: Option<bool>,
}

impl Ink {
    fn of(look: &CueLook) -> Ink {
        Ink {
            font: look.font.clone(),
            size: look.size,
            color: look.color,
            outline_color: look.outline_color,
            outline: look.outline,
            bold: look.bold,
            italic: look.italic,
        }
    }
}

pub(super) fn read_text(
    text: &str,
    style: &CueStyle,
    styles: &[CueStyle],
    wrap_style: u8,
    line: u32,
    report: &mut Report,
) -> TextRead {
    let mut out = TextRead {
        text: String::new(),
        look: CueLook::default(),
        style: None,
        fade: None,
        karaoke: Vec::new(),
        drawing: false,
    };
    // The style the running look is relative to (changed by `\r<name>`), and the look.
    let mut base = style.look.clone();
    let mut current = base.clone();
    let mut inks: Vec<Ink> = Vec::new();
    let mut drawing = false;
    let mut karaoke_open = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '{' {
            let Some(end) = rest.find('}') else {
                report.tally("an override block without its `}` is shown as text", line);
                push_text(rest, &mut out, &mut inks, &current, drawing, karaoke_open);
                break;
            };
            let block = &rest[1..end];
            rest = &rest[end + 1..];
            for (name, arg) in tag_list(block) {
                let before_text = inks.is_empty();
                match name {
                    "b" => {
                        current.bold = if arg.is_empty() {
                            base.bold
                        } else {
                            Some(flag(arg))
                        }
                    }
                    "i" => {
                        current.italic = if arg.is_empty() {
                            base.italic
                        } else {
                            Some(arg != "0")
                        }
                    }
                    "fn" => {
                        current.font = if arg.trim().is_empty() || arg.trim() == "0" {
                            base.font.clone()
                        } else {
                            Some(arg.trim().to_string())
                        };
                    }
                    "fs" => match arg.trim().parse::<f64>() {
                        Ok(s) if s > 0.0 && !arg.starts_with(['+', '-']) => current.size = Some(s),
                        _ if arg.trim().is_empty() => current.size = base.size,
                        _ => report.tally(format!("`\\fs{arg}` is not a font size; ignored"), line),
                    },
                    "c" | "1c" => set_colour(&mut current.color, arg, base.color),
                    "3c" => set_colour(&mut current.outline_color, arg, base.outline_color),
                    "alpha" => {
                        if let Some(a) = alpha(arg) {
                            current.color = current.color.map(|c| Rgba8 { a, ..c });
                            current.outline_color = current.outline_color.map(|c| Rgba8 { a, ..c });
                        }
                    }
                    "1a" => {
                        if let Some(a) = alpha(arg) {
                            current.color = current.color.map(|c| Rgba8 { a, ..c });
                        }
                    }
                    "3a" => {
                        if let Some(a) = alpha(arg) {
                            current.outline_color = current.outline_color.map(|c| Rgba8 { a, ..c });
                        }
                    }
                    "bord" => {
                        if let Ok(b) = arg.trim().parse::<f64>() {
                            current.outline = Some(b.max(0.0));
                        }
                    }
                    // The first alignment and position in a line are the ones that count.
                    "an" => {
                        if let Ok(a @ 1..=9) = arg.trim().parse::<u8>() {
                            out.look.alignment.get_or_insert(a);
                        }
                    }
                    "a" => {
                        if let Some(a) = arg.trim().parse::<i32>().ok().and_then(from_ssa_alignment)
                        {
                            out.look.alignment.get_or_insert(a);
                        }
                    }
                    "pos" | "move" => {
                        let n: Vec<f64> = arg
                            .split(',')
                            .filter_map(|v| v.trim().parse().ok())
                            .collect();
                        if n.len() >= 2 && out.look.x.is_none() {
                            out.look.x = Some(n[0]);
                            out.look.y = Some(n[1]);
                        }
                        if name == "move" {
                            report.tally(
                                "movement (\\move) is not imported: the text stays at its starting point",
                                line,
                            );
                        }
                    }
                    "fad" => {
                        let n: Vec<f64> = arg
                            .split(',')
                            .filter_map(|v| v.trim().parse().ok())
                            .collect();
                        if let [a, b] = n[..] {
                            out.fade = Some((
                                (a.max(0.0) * 1000.0) as Micros,
                                (b.max(0.0) * 1000.0) as Micros,
                            ));
                        }
                    }
                    "fade" => {
                        // \fade(a1,a2,a3,t1,t2,t3,t4): as a fade in over t1–t2 and out over t3–t4.
                        let n: Vec<f64> = arg
                            .split(',')
                            .filter_map(|v| v.trim().parse().ok())
                            .collect();
                        if let [_, _, _, t1, t2, t3, t4] = n[..] {
                            out.fade = Some((
                                ((t2 - t1).max(0.0) * 1000.0) as Micros,
                                ((t4 - t3).max(0.0) * 1000.0) as Micros,
                            ));
                            report.tally(
                                "`\\fade` is approximated as a fade in and a fade out",
                                line,
                            );
                        }
                    }
                    "k" | "K" | "kf" | "ko" => {
                        let cs: f64 = arg.trim().parse().unwrap_or(0.0);
                        out.karaoke.push(Syllable {
                            duration: (cs.max(0.0) * 10_000.0) as Micros,
                            text: String::new(),
                        });
                        karaoke_open = true;
                    }
                    "kt" | "2c" | "4c" | "2a" | "4a" => {}
                    "r" => {
                        let target = arg.trim();
                        let to = if target.is_empty() {
                            Some(style.look.clone())
                        } else {
                            styles
                                .iter()
                                .find(|s| s.name == target)
                                .map(|s| s.look.clone())
                        };
                        match to {
                            Some(look) => {
                                if before_text && !target.is_empty() {
                                    out.style = Some(target.to_string());
                                }
                                base = look;
                                current = base.clone();
                            }
                            None => {
                                report.tally(format!("`\\r{target}` names no style; ignored"), line)
                            }
                        }
                    }
                    "p" => {
                        let scale: i32 = arg.trim().parse().unwrap_or(0);
                        drawing = scale > 0;
                        if drawing {
                            out.drawing = true;
                            report.tally("vector drawings (\\p) are not imported", line);
                        }
                    }
                    "u" | "s" => {
                        if arg.trim() == "1" {
                            report.tally(
                                "underline and strike-through (\\u, \\s) are not drawn by manju/1",
                                line,
                            );
                        }
                    }
                    "shad" | "xshad" | "yshad" => {
                        if arg.trim().parse::<f64>().is_ok_and(|s| s > 0.0) {
                            report.tally(
                                "drop shadows (Shadow, \\shad) are not drawn by manju/1",
                                line,
                            );
                        }
                    }
                    "t" => report.tally("animations (\\t) are not imported", line),
                    "" => {}
                    other => report.tally(
                        format!("the override tag `\\{other}` is not imported"),
                        line,
                    ),
                }
            }
            continue;
        }
        let next = rest[c.len_utf8()..]
            .find(['{', '\\'])
            .map_or(rest.len(), |p| p + c.len_utf8());
        let (piece, after) = if c == '\\' {
            let escape = rest[1..].chars().next();
            match escape {
                Some('N') => ("\n", &rest[2..]),
                Some('n') => (if wrap_style == 2 { "\n" } else { " " }, &rest[2..]),
                Some('h') => ("\u{a0}", &rest[2..]),
                _ => ("\\", &rest[1..]),
            }
        } else {
            (&rest[..next], &rest[next..])
        };
        push_text(piece, &mut out, &mut inks, &current, drawing, karaoke_open);
        rest = after;
    }
    out.text = tidy(&out.text);
    // The look most of the visible text has is the cue's, field by field, written as
    // overrides of the cue's style (the `\r<style>` one, when the text begins with it).
    let reference = out
        .style
        .as_ref()
        .and_then(|n| styles.iter().find(|s| &s.name == n))
        .unwrap_or(style);
    let reference = Ink::of(&reference.look);
    let mut mixed = false;
    let look = &mut out.look;
    macro_rules! most {
        ($($f:ident),*) => { $(
            let (value, split) = majority(inks.iter().map(|i| &i.$f));
            mixed |= split;
            if let Some(v) = value && *v != reference.$f {
                look.$f = v.clone();
            }
        )* };
    }
    most!(font, size, color, outline_color, outline, bold, italic);
    if mixed {
        report.tally(
            "a change of look part-way through a cue (\\b, \\i, \\c, \\fn, \\fs …) is not kept: \
             a manju/1 line has one look, the one most of its text has",
            line,
        );
    }
    out
}

/// The value most items have (the first of equals), and whether they differ at all.
pub fn majority<'a, T: PartialEq + 'a>(
    items: impl Iterator<Item = &'a T>,
) -> (Option<&'a T>, bool) {
    let mut counts: Vec<(&T, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(v, _)| *v == item) {
            Some(c) => c.1 += 1,
            None => counts.push((item, 1)),
        }
    }
    let split = counts.len() > 1;
    let best = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, (_, n))| (*n, std::cmp::Reverse(*i)))
        .map(|(_, (v, _))| *v);
    (best, split)
}

fn set_colour(slot: &mut Option<Rgba8>, arg: &str, reset: Option<Rgba8>) {
    if arg.trim().is_empty() {
        *slot = reset;
    } else if let Some(c) = colour(arg) {
        let a = slot.map_or(255, |s| s.a);
        *slot = Some(Rgba8 { a, ..c });
    }
}

fn push_text(
    piece: &str,
    out: &mut TextRead,
    inks: &mut Vec<Ink>,
    current: &CueLook,
    drawing: bool,
    karaoke: bool,
) {
    if drawing {
        return;
    }
    for c in piece.chars() {
        out.text.push(c);
        if karaoke && let Some(s) = out.karaoke.last_mut() {
            s.text.push(c);
        }
        if !c.is_whitespace() {
            inks.push(Ink::of(current));
        }
    }
}

fn tidy(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|&c| c == '\n' || !c.is_control())
        .collect();
    let lines: Vec<&str> = cleaned
        .split('\n')
        .map(|l| l.trim_end_matches(' '))
        .collect();
    lines.join("\n").trim_matches([' ', '\n']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_tags() {
        assert_eq!(
            tag_list("\\an8\\pos(10,20)\\fnArial Bold\\fscx120\\t(0,500,\\frz(30))\\1c&H0000FF&"),
            [
                ("an", "8"),
                ("pos", "10,20"),
                ("fn", "Arial Bold"),
                ("fscx", "120"),
                ("t", "0,500,\\frz(30)"),
                ("1c", "&H0000FF&"),
            ]
        );
    }

    #[test]
    fn reads_colours_and_alignments() {
        let c = colour("&H8000FF00").unwrap();
        assert_eq!((c.r, c.g, c.b, c.a), (0, 255, 0, 127));
        assert_eq!(colour("&HFF0000&").unwrap().b, 255);
        assert_eq!(colour("255").unwrap().r, 255);
        assert_eq!(from_ssa_alignment(6), Some(8));
        assert_eq!(from_ssa_alignment(10), Some(5));
    }
}
