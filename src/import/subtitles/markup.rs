//! The HTML-like markup of SRT and WebVTT cue text: `<b>`, `<i>`, `<u>`, `<s>`,
//! `<font color face>` (SRT), `<c.class>`, `<v Speaker>`, `<lang>`, `<ruby>`/`<rt>`,
//! inline timestamps and character references (WebVTT), and the `{\an8}` that many SRT
//! files borrow from ASS.
//!
//! A manju/1 line has one look, so a style that covers every visible character becomes
//! the cue's look; one that covers only part of the text is dropped, with a warning.

use super::CueLook;
use super::ass_tags::{self, majority};
use super::report::Report;
use crate::model::Rgba8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Srt,
    Vtt,
}

/// Cue text with its markup read.
#[derive(Debug, Default, PartialEq)]
pub struct Styled {
    pub text: String,
    pub look: CueLook,
    pub speaker: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Span {
    Bold,
    Italic,
    /// Underline, strike-through, `<lang>`, `<ruby>`: no look of their own.
    Plain(String),
    Font {
        color: Option<Rgba8>,
        face: Option<String>,
    },
    Class(Option<Rgba8>),
    Voice,
    Annotation,
}

impl Span {
    fn name(&self) -> &str {
        match self {
            Span::Bold => "b",
            Span::Italic => "i",
            Span::Plain(n) => n,
            Span::Font { .. } => "font",
            Span::Class(_) => "c",
            Span::Voice => "v",
            Span::Annotation => "rt",
        }
    }
}

/// What one visible character looks like.
#[derive(Clone, Debug, Default, PartialEq)]
struct Ink {
    bold: bool,
    italic: bool,
    color: Option<Rgba8>,
    face: Option<String>,
}

/// Reads `text` (the cue's lines joined by `\n`; `line` is the first one's number).
pub fn parse(text: &str, flavor: Flavor, line: u32, report: &mut Report) -> Styled {
    let mut out = Styled::default();
    let mut stack: Vec<Span> = Vec::new();
    let mut inks: Vec<Ink> = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && let Some(tag) = tag(&rest[1..end])
        {
            rest = &rest[end + 1..];
            apply_tag(tag, flavor, &mut stack, &mut out, line, report);
            continue;
        }
        if c == '{'
            && flavor == Flavor::Srt
            && rest[1..].starts_with('\\')
            && let Some(end) = rest.find('}')
        {
            let block = &rest[1..end];
            rest = &rest[end + 1..];
            srt_overrides(block, &mut out.look, line, report);
            continue;
        }
        if c == '&'
            && flavor == Flavor::Vtt
            && let Some((decoded, len)) = entity(rest)
        {
            rest = &rest[len..];
            push_char(decoded, &stack, &mut out.text, &mut inks);
            continue;
        }
        rest = &rest[c.len_utf8()..];
        push_char(c, &stack, &mut out.text, &mut inks);
    }
    out.text = tidy(&out.text);
    whole_line_look(&inks, &mut out.look, line, report);
    out
}

fn push_char(c: char, stack: &[Span], text: &mut String, inks: &mut Vec<Ink>) {
    if stack.contains(&Span::Annotation) {
        return;
    }
    text.push(c);
    if c.is_whitespace() {
        return;
    }
    let mut ink = Ink::default();
    for span in stack {
        match span {
            Span::Bold => ink.bold = true,
            Span::Italic => ink.italic = true,
            Span::Font { color, face } => {
                if color.is_some() {
                    ink.color = *color;
                }
                if face.is_some() {
                    ink.face.clone_from(face);
                }
            }
            Span::Class(Some(color)) => ink.color = Some(*color),
            _ => {}
        }
    }
    inks.push(ink);
}

/// Trims the text and each line's end; drops control characters.
fn tidy(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|&c| c == '\n' || !c.is_control())
        .collect();
    let lines: Vec<&str> = cleaned.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// The look most of the visible text has is the cue's, field by field; a look on a
/// smaller part of the text is dropped with a warning.
fn whole_line_look(inks: &[Ink], look: &mut CueLook, line: u32, report: &mut Report) {
    let (bold, bold_split) = majority(inks.iter().map(|i| &i.bold));
    let (italic, italic_split) = majority(inks.iter().map(|i| &i.italic));
    let (color, color_split) = majority(inks.iter().map(|i| &i.color));
    let (face, face_split) = majority(inks.iter().map(|i| &i.face));
    if bold == Some(&true) {
        look.bold = Some(true);
    }
    if italic == Some(&true) {
        look.italic = Some(true);
    }
    if let Some(&Some(c)) = color {
        look.color = Some(c);
    }
    if let Some(Some(f)) = face {
        look.font = Some(f.clone());
    }
    if bold_split || italic_split {
        report.tally(
            "bold or italic on part of a cue's text is not kept: a manju/1 line has one look, \
             the one most of its text has",
            line,
        );
    }
    if color_split || face_split {
        report.tally(
            "a colour or font on part of a cue's text is not kept: a manju/1 line has one look, \
             the one most of its text has",
            line,
        );
    }
}

enum Tag<'a> {
    Open {
        name: &'a str,
        classes: Vec<&'a str>,
        rest: &'a str,
    },
    Close(&'a str),
    Timestamp,
}

/// `inside` is what is between `<` and `>`; `None` when it is not a tag ("a < b").
fn tag(inside: &str) -> Option<Tag<'_>> {
    if let Some(name) = inside.strip_prefix('/') {
        let name = name.trim();
        return (name.chars().next()?.is_ascii_alphabetic()).then_some(Tag::Close(name));
    }
    let first = inside.chars().next()?;
    if first.is_ascii_digit() {
        return inside
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
            .then_some(Tag::Timestamp);
    }
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let end = inside
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inside.len());
    let mut head = inside[..end].split('.');
    let name = head.next()?;
    Some(Tag::Open {
        name,
        classes: head.filter(|c| !c.is_empty()).collect(),
        rest: inside[end..].trim(),
    })
}

fn apply_tag(
    tag: Tag,
    flavor: Flavor,
    stack: &mut Vec<Span>,
    out: &mut Styled,
    line: u32,
    report: &mut Report,
) {
    match tag {
        Tag::Timestamp => {
            if flavor == Flavor::Vtt {
                report.tally(
                    "inline timestamps (karaoke) are approximated: the whole text shows for the whole cue",
                    line,
                );
            }
        }
        Tag::Close(name) => {
            let name = name.to_ascii_lowercase();
            if let Some(i) = stack.iter().rposition(|s| s.name() == name) {
                stack.truncate(i);
            }
        }
        Tag::Open {
            name,
            classes,
            rest,
        } => {
            let lower = name.to_ascii_lowercase();
            let span = match (lower.as_str(), flavor) {
                ("b", _) => Span::Bold,
                ("i", _) => Span::Italic,
                ("u" | "s", _) => Span::Plain(lower.clone()),
                ("font", Flavor::Srt) => font(rest, line, report),
                ("c", Flavor::Vtt) => {
                    Span::Class(classes.iter().rev().find_map(|c| class_color(c)))
                }
                ("v", Flavor::Vtt) => {
                    let who = rest.trim();
                    match &out.speaker {
                        None if !who.is_empty() => out.speaker = Some(who.to_string()),
                        Some(s) if s != who => report.tally(
                            "a cue with several voices keeps the first as its speaker",
                            line,
                        ),
                        _ => {}
                    }
                    Span::Voice
                }
                ("lang" | "ruby", Flavor::Vtt) => Span::Plain(lower.clone()),
                ("rt", Flavor::Vtt) => Span::Annotation,
                _ => {
                    report.tally(
                        format!("unknown tag `<{name}>` dropped (its text is kept)"),
                        line,
                    );
                    Span::Plain(lower.clone())
                }
            };
            // `<rt>` ends at the next `<rt>` or `</ruby>` even when not closed.
            if span == Span::Annotation {
                stack.retain(|s| *s != Span::Annotation);
            }
            stack.push(span);
        }
    }
}

fn font(attributes: &str, line: u32, report: &mut Report) -> Span {
    let mut color = None;
    let mut face = None;
    for (key, value) in attrs(attributes) {
        match key.to_ascii_lowercase().as_str() {
            "color" => match parse_color(value) {
                Some(c) => color = Some(c),
                None => report.tally(format!("unknown colour `{value}` in <font> ignored"), line),
            },
            "face" => face = Some(value.to_string()),
            _ => {}
        }
    }
    Span::Font { color, face }
}

/// `key="value" key='value' key=value`.
fn attrs(s: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(end) => (&after[1..1 + end], &after[end + 2..]),
                None => (&after[1..], ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        out.push((key, value));
        rest = next.trim_start();
    }
    out
}

/// `#rgb`, `#rrggbb`, `#aarrggbb`-less `rrggbb`, and the common colour names.
pub fn parse_color(s: &str) -> Option<Rgba8> {
    let s = s.trim();
    let hex = s.strip_prefix('#').unwrap_or(s);
    if (hex.len() == 6 || hex.len() == 3) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Rgba8::parse(&format!("#{hex}")).ok();
    }
    let rgb = match s.to_ascii_lowercase().as_str() {
        "white" => 0xffffff,
        "black" => 0x000000,
        "red" => 0xff0000,
        "lime" => 0x00ff00,
        "green" => 0x008000,
        "blue" => 0x0000ff,
        "yellow" => 0xffff00,
        "cyan" | "aqua" => 0x00ffff,
        "magenta" | "fuchsia" => 0xff00ff,
        "gray" | "grey" => 0x808080,
        "silver" => 0xc0c0c0,
        "maroon" => 0x800000,
        "olive" => 0x808000,
        "navy" => 0x000080,
        "purple" => 0x800080,
        "teal" => 0x008080,
        "orange" => 0xffa500,
        "pink" => 0xffc0cb,
        "gold" => 0xffd700,
        _ => return None,
    };
    Some(Rgba8 {
        r: (rgb >> 16) as u8,
        g: (rgb >> 8) as u8,
        b: rgb as u8,
        a: 255,
    })
}

/// WebVTT's default colour classes (`<c.yellow>`); `bg_*` classes colour the background,
/// which a subtitle's style sets for the whole drama, so they are not read.
fn class_color(class: &str) -> Option<Rgba8> {
    match class {
        "white" | "lime" | "cyan" | "red" | "yellow" | "magenta" | "blue" | "black" => {
            parse_color(class)
        }
        _ => None,
    }
}

/// A character reference at the start of `s`: the character and the reference's length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s
        .char_indices()
        .take(12)
        .find(|&(_, c)| c == ';')
        .map(|(i, _)| i)?;
    let name = &s[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                name.strip_prefix('#')?.parse().ok()?
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// `{\an8}` and friends in SRT: players honour the alignment; the rest is dropped.
fn srt_overrides(block: &str, look: &mut CueLook, line: u32, report: &mut Report) {
    for (name, arg) in ass_tags::tag_list(block) {
        match name {
            "an" => {
                if let Some(a) = arg
                    .trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|a| (1..=9).contains(a))
                {
                    look.alignment.get_or_insert(a);
                }
            }
            _ => report.tally(
                format!("the ASS tag `\\{name}` in an SRT file is dropped (only `\\an` is read)"),
                line,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled(text: &str, flavor: Flavor) -> (Styled, Vec<String>) {
        let mut r = Report::new("t");
        let s = parse(text, flavor, 3, &mut r);
        (s, r.finish().iter().map(|p| p.message.clone()).collect())
    }

    #[test]
    fn whole_line_styles_become_the_look() {
        let (s, w) = styled("<i><font color=\"#ffff00\">走吧。</font></i>", Flavor::Srt);
        assert_eq!(s.text, "走吧。");
        assert_eq!(s.look.italic, Some(true));
        assert_eq!(s.look.color, Rgba8::parse("#ffff00").ok());
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn partial_styles_are_dropped_with_a_warning() {
        let (s, w) = styled("<b>Lin:</b> go <font color=red>now</font>", Flavor::Srt);
        assert_eq!(s.text, "Lin: go now");
        assert_eq!(s.look, CueLook::default());
        assert_eq!(w.len(), 2, "{w:?}");
    }

    #[test]
    fn vtt_voices_classes_entities_and_ruby() {
        let (s, w) = styled(
            "<v.loud Mary>Tom &amp; <c.yellow>me</c></v>\n<ruby>漢<rt>kan</rt></ruby>",
            Flavor::Vtt,
        );
        assert_eq!(s.speaker.as_deref(), Some("Mary"));
        assert_eq!(s.text, "Tom & me\n漢");
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn srt_keeps_an_alignment_and_literal_angles() {
        let (s, _) = styled("{\\an8}a < b and c>d", Flavor::Srt);
        assert_eq!(s.text, "a < b and c>d");
        assert_eq!(s.look.alignment, Some(8));
        // SRT does not decode character references.
        assert_eq!(styled("&amp;", Flavor::Srt).0.text, "&amp;");
    }
}
