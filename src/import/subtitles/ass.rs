//! Advanced SubStation Alpha (`.ass`) and SubStation Alpha v4 (`.ssa`), as libass reads
//! them: `[Script Info]` (`Title`, `PlayResX`/`PlayResY`, `WrapStyle`), the styles
//! section and `[Events]`, whose `Format:` lines give the order of the fields (the
//! standard order when a section has none).
//!
//! Override tags in `{…}`: `\b`, `\i`, `\fn`, `\fs`, `\c`/`\1c`, `\3c`, `\alpha`,
//! `\1a`, `\3a`, `\bord`, `\an`, `\a`, `\pos`, `\move` (its start point), `\fad`,
//! `\fade` (as a fade in and out), `\r`, `\k`/`\K`/`\kf`/`\ko` (syllable times), `\p`
//! (drawings are dropped); `\N` is a line break, `\n` one only with `WrapStyle: 2` (a
//! space otherwise), `\h` a no-break space. Every other tag is reported once per file
//! with the number of cues that use it. A look set before the first visible character,
//! or one that covers all of them, is the cue's; a change part-way through is dropped
//! with a warning, as a manju/1 line has one look.

use super::ass_tags::{colour, flag, from_ssa_alignment, read_text};
use super::decode::{Line, column};
use super::report::Report;
use super::srt::excerpt;
use super::{Cue, CueLook, CueStyle, ImportedCues, SubtitleFormat};
use crate::model::Rgba8;
use crate::time::Micros;

const STYLE_FIELDS_ASS: &[&str] = &[
    "name",
    "fontname",
    "fontsize",
    "primarycolour",
    "secondarycolour",
    "outlinecolour",
    "backcolour",
    "bold",
    "italic",
    "underline",
    "strikeout",
    "scalex",
    "scaley",
    "spacing",
    "angle",
    "borderstyle",
    "outline",
    "shadow",
    "alignment",
    "marginl",
    "marginr",
    "marginv",
    "encoding",
];
const STYLE_FIELDS_SSA: &[&str] = &[
    "name",
    "fontname",
    "fontsize",
    "primarycolour",
    "secondarycolour",
    "tertiarycolour",
    "backcolour",
    "bold",
    "italic",
    "borderstyle",
    "outline",
    "shadow",
    "alignment",
    "marginl",
    "marginr",
    "marginv",
    "alphalevel",
    "encoding",
];
const EVENT_FIELDS_ASS: &[&str] = &[
    "layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text",
];
const EVENT_FIELDS_SSA: &[&str] = &[
    "marked", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text",
];

#[derive(Clone, Copy, PartialEq)]
enum Section {
    Before,
    Info,
    Styles,
    Events,
    Skipped,
}

pub fn read(lines: &[Line], out: &mut ImportedCues, report: &mut Report) {
    let ssa = out.format == SubtitleFormat::Ssa;
    let mut section = Section::Before;
    let mut info: Vec<(String, String, u32)> = Vec::new();
    let mut style_lines: Vec<Line> = Vec::new();
    let mut event_lines: Vec<Line> = Vec::new();
    let mut style_format: Option<(Vec<String>, u32)> = None;
    let mut event_format: Option<(Vec<String>, u32)> = None;
    for &line in lines {
        let text = line.text.trim();
        if text.is_empty() || text.starts_with(';') || text.starts_with("!:") {
            continue;
        }
        if text.starts_with('[') && text.ends_with(']') {
            let name = &text[1..text.len() - 1];
            section = match name.to_ascii_lowercase().as_str() {
                "script info" => Section::Info,
                "v4+ styles" | "v4 styles" | "v4 styles+" => Section::Styles,
                "events" => Section::Events,
                "fonts" => {
                    report.tally(
                        "embedded fonts ([Fonts]) are not imported; give the font to the drama as an asset",
                        line.number,
                    );
                    Section::Skipped
                }
                "graphics" | "aegisub project garbage" | "aegisub extradata" => Section::Skipped,
                _ => {
                    report.warning(
                        "unknown sections",
                        line.number,
                        1,
                        format!("unknown section `[{name}]`; skipped"),
                    );
                    Section::Skipped
                }
            };
            continue;
        }
        let (key, value) = match text.split_once(':') {
            Some((k, v)) => (k.trim(), v.trim_start()),
            None => ("", text),
        };
        match section {
            Section::Before => report.warning(
                "lines outside sections",
                line.number,
                1,
                format!(
                    "`{}` comes before any section (a file starts with [Script Info]); skipped",
                    excerpt(text)
                ),
            ),
            Section::Info => {
                if !key.is_empty() {
                    info.push((
                        key.to_ascii_lowercase(),
                        value.trim().to_string(),
                        line.number,
                    ));
                }
            }
            Section::Styles => match key {
                "Format" => style_format = Some((fields_of_format(value), line.number)),
                "Style" => style_lines.push(line),
                _ => report.warning(
                    "unreadable lines",
                    line.number,
                    1,
                    format!(
                        "expected `Format:` or `Style:`, found `{}`; skipped",
                        excerpt(text)
                    ),
                ),
            },
            Section::Events => match key {
                "Format" => event_format = Some((fields_of_format(value), line.number)),
                "Dialogue" => event_lines.push(line),
                "Comment" => {}
                "Picture" | "Sound" | "Movie" | "Command" => {
                    report.tally(format!("{key} events are not imported"), line.number)
                }
                _ => report.warning(
                    "unreadable lines",
                    line.number,
                    1,
                    format!(
                        "expected `Format:` or `Dialogue:`, found `{}`; skipped",
                        excerpt(text)
                    ),
                ),
            },
            Section::Skipped => {}
        }
    }

    let get = |k: &str| info.iter().rev().find(|(key, ..)| key == k);
    out.title = get("title")
        .map(|(_, v, _)| v.clone())
        .filter(|t| !t.is_empty());
    let res = |k: &str, report: &mut Report| {
        let (_, v, n) = get(k)?;
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 1.0 => Some(x),
            _ => {
                report.warning(
                    "unreadable values",
                    *n,
                    1,
                    format!(
                        "{} `{v}` is not a size in pixels; ignored",
                        if k == "playresx" {
                            "PlayResX"
                        } else {
                            "PlayResY"
                        }
                    ),
                );
                None
            }
        }
    };
    // libass's defaults: 384×288, or 4:3 from the one given (1280×1024 as a pair).
    out.frame = Some(match (res("playresx", report), res("playresy", report)) {
        (Some(x), Some(y)) => (x, y),
        (Some(x), None) => (x, if x == 1280.0 { 1024.0 } else { x * 3.0 / 4.0 }),
        (None, Some(y)) => (if y == 1024.0 { 1280.0 } else { y * 4.0 / 3.0 }, y),
        (None, None) => (384.0, 288.0),
    });
    let wrap_style: u8 = get("wrapstyle")
        .and_then(|(_, v, _)| v.parse().ok())
        .unwrap_or(0);

    let style_fields = resolve_format(
        style_format,
        if ssa {
            STYLE_FIELDS_SSA
        } else {
            STYLE_FIELDS_ASS
        },
        "style",
        report,
    );
    for line in style_lines {
        if let Some(style) = read_style(line, &style_fields, ssa, report) {
            if let Some(i) = out.styles.iter().position(|s| s.name == style.name) {
                report.warning(
                    "repeated styles",
                    line.number,
                    1,
                    format!(
                        "style `{}` is defined again; the later one is used",
                        style.name
                    ),
                );
                out.styles[i] = style;
            } else {
                out.styles.push(style);
            }
        }
    }
    if out.styles.is_empty() {
        // Players draw a file without styles in libass's default style.
        out.styles.push(default_style());
    }
    let event_fields = resolve_format(
        event_format,
        if ssa {
            EVENT_FIELDS_SSA
        } else {
            EVENT_FIELDS_ASS
        },
        "event",
        report,
    );
    if !event_fields.iter().any(|f| f == "text") {
        report.fatal(None, "the [Events] Format line has no `Text` field");
        return;
    }
    for line in event_lines {
        if let Some(cue) = read_event(line, &event_fields, wrap_style, out, report) {
            out.cues.push(cue);
        }
    }
}

fn fields_of_format(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|f| {
            let f = f.trim().to_ascii_lowercase();
            // "PrimaryColor" and "Actor" are spellings seen in the wild.
            match f.as_str() {
                "primarycolor" => "primarycolour".into(),
                "secondarycolor" => "secondarycolour".into(),
                "outlinecolor" => "outlinecolour".into(),
                "backcolor" => "backcolour".into(),
                "actor" => "name".into(),
                _ => f,
            }
        })
        .collect()
}

fn resolve_format(
    given: Option<(Vec<String>, u32)>,
    standard: &[&str],
    what: &str,
    report: &mut Report,
) -> Vec<String> {
    match given {
        Some((fields, line)) => {
            if !fields.iter().any(|f| f == "name") && what == "style" {
                report.warning(
                    "unreadable lines",
                    line,
                    1,
                    "the style Format line has no `Name` field; the standard order is used",
                );
                return standard.iter().map(|s| s.to_string()).collect();
            }
            fields
        }
        None => standard.iter().map(|s| s.to_string()).collect(),
    }
}

/// `Key: a,b,c` → the fields with their byte offsets in the line; the last field takes
/// the rest of the line (commas included) when `rest_in_last`.
fn split_fields(line: &str, n: usize, rest_in_last: bool) -> (Vec<(&str, usize)>, usize) {
    let start = line.find(':').map_or(0, |p| p + 1);
    let body = &line[start..];
    let lead = body.len() - body.trim_start().len();
    let mut at = start + lead;
    let mut out = Vec::new();
    let mut rest = &line[at..];
    loop {
        if rest_in_last && out.len() + 1 == n {
            out.push((rest, at));
            break;
        }
        match rest.find(',') {
            Some(p) => {
                out.push((&rest[..p], at));
                at += p + 1;
                rest = &rest[p + 1..];
            }
            None => {
                out.push((rest, at));
                break;
            }
        }
    }
    let found = out.len();
    (out, found)
}

/// The built-in style libass uses when a file has none.
fn default_style() -> CueStyle {
    CueStyle {
        name: "Default".into(),
        look: CueLook {
            font: Some("Arial".into()),
            size: Some(20.0),
            color: Some(Rgba8::WHITE),
            outline_color: Some(Rgba8::BLACK),
            outline: Some(2.0),
            background: Some(None),
            bold: Some(false),
            italic: Some(false),
            alignment: Some(2),
            margin_l: Some(10.0),
            margin_r: Some(10.0),
            margin_v: Some(10.0),
            x: None,
            y: None,
            width: None,
        },
    }
}

fn read_style(line: Line, format: &[String], ssa: bool, report: &mut Report) -> Option<CueStyle> {
    let (fields, found) = split_fields(line.text, format.len(), false);
    if found < format.len() {
        report.error(
            "unreadable styles",
            line.number,
            1,
            format!(
                "the style has {found} fields; the Format line names {}; it is skipped",
                format.len()
            ),
        );
        return None;
    }
    let mut style = default_style();
    let mut border_style = 1;
    let mut shadow = 0.0;
    for (name, (value, at)) in format.iter().zip(&fields) {
        let v = value.trim();
        let number = |report: &mut Report| -> Option<f64> {
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    report.warning(
                        "unreadable values",
                        line.number,
                        column(line.text, *at),
                        format!("{name} `{v}` is not a number; the default is used"),
                    );
                    None
                }
            }
        };
        let look = &mut style.look;
        match name.as_str() {
            // libass drops the `*` some editors put before style names.
            "name" => style.name = v.trim_start_matches('*').to_string(),
            "fontname" => look.font = Some(v.to_string()),
            "fontsize" => look.size = number(report).filter(|&s| s > 0.0).or(look.size),
            "primarycolour" => look.color = colour_field(v, line, *at, report).or(look.color),
            "outlinecolour" | "tertiarycolour" => {
                look.outline_color = colour_field(v, line, *at, report).or(look.outline_color);
            }
            "bold" => look.bold = Some(flag(v)),
            "italic" => look.italic = Some(flag(v)),
            "borderstyle" => border_style = number(report).unwrap_or(1.0) as i32,
            "outline" => look.outline = number(report).map(|o| o.max(0.0)).or(look.outline),
            "shadow" => shadow = number(report).unwrap_or(0.0),
            "alignment" => {
                let a = number(report).unwrap_or(2.0) as i32;
                let a = if ssa {
                    from_ssa_alignment(a)
                } else {
                    u8::try_from(a).ok()
                };
                match a.filter(|a| (1..=9).contains(a)) {
                    Some(a) => look.alignment = Some(a),
                    None => report.warning(
                        "unreadable values",
                        line.number,
                        column(line.text, *at),
                        format!("Alignment `{v}` is not 1–9; 2 (bottom centre) is used"),
                    ),
                }
            }
            "marginl" => look.margin_l = number(report).or(look.margin_l),
            "marginr" => look.margin_r = number(report).or(look.margin_r),
            "marginv" => look.margin_v = number(report).or(look.margin_v),
            _ => {}
        }
    }
    if border_style == 3 {
        // An opaque box in the outline colour (as libass and VSFilter draw it), as wide
        // around the text as the outline would have been; no outline on the glyphs.
        style.look.background = Some(style.look.outline_color);
    }
    if shadow > 0.0 {
        report.tally(
            "drop shadows (Shadow, \\shad) are not drawn by manju/1",
            line.number,
        );
    }
    Some(style)
}

fn colour_field(v: &str, line: Line, at: usize, report: &mut Report) -> Option<Rgba8> {
    match colour(v) {
        Some(c) => Some(c),
        None => {
            report.warning(
                "unreadable values",
                line.number,
                column(line.text, at),
                format!("`{v}` is not a colour (&HAABBGGRR); the default is used"),
            );
            None
        }
    }
}

/// `H:MM:SS.CC`, as leniently as pysubs2 and libass: 1–2 digit minutes and seconds,
/// 1–3 fraction digits read as written (`.5` is half a second), no fraction at all.
fn timestamp(s: &str) -> Result<Micros, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("it is missing".into());
    }
    let (clock, fraction) = match s.split_once('.') {
        Some((c, f)) => (c, Some(f)),
        None => (s, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.len() != 3 {
        return Err("it needs hours, minutes and seconds".into());
    }
    let number = |p: &str, max: usize| -> Result<i64, String> {
        if p.is_empty() || p.len() > max || !p.bytes().all(|b| b.is_ascii_digit()) {
            Err(format!("`{p}` is not a number"))
        } else {
            p.parse().map_err(|_| format!("`{p}` is not a number"))
        }
    };
    let (h, m, sec) = (
        number(parts[0], 4)?,
        number(parts[1], 2)?,
        number(parts[2], 2)?,
    );
    if m >= 60 || sec >= 60 {
        return Err("minutes and seconds must be below 60".into());
    }
    let micros = match fraction {
        Some(f) => number(f, 3)? * 10_i64.pow(6 - f.len() as u32),
        None => 0,
    };
    Ok(((h * 60 + m) * 60 + sec) * 1_000_000 + micros)
}

fn read_event(
    line: Line,
    format: &[String],
    wrap_style: u8,
    out: &ImportedCues,
    report: &mut Report,
) -> Option<Cue> {
    let (fields, found) = split_fields(line.text, format.len(), true);
    if found < format.len() {
        report.error(
            "unreadable events",
            line.number,
            column(line.text, line.text.len()),
            format!(
                "the Dialogue line has {found} fields; the Format line names {} (is it cut short?); \
                 the cue is skipped",
                format.len()
            ),
        );
        return None;
    }
    let field = |name: &str| format.iter().position(|f| f == name).map(|i| fields[i]);
    let time = |name: &str, which: &str, report: &mut Report| -> Option<Micros> {
        let (v, at) = field(name)?;
        let lead = v.len() - v.trim_start().len();
        match timestamp(v) {
            Ok(t) => Some(t),
            Err(why) => {
                report.error(
                    "malformed timestamps",
                    line.number,
                    column(line.text, at + lead),
                    format!(
                        "malformed {which} time `{}`: {why}; expected H:MM:SS.CC; the cue is skipped",
                        v.trim()
                    ),
                );
                None
            }
        }
    };
    let start = time("start", "start", report);
    let end = time("end", "end", report);
    let (start, end) = (start?, end?);
    let end_at = column(line.text, field("end").map_or(0, |f| f.1));
    if !report.keeps_span(start, end, line.number, end_at, 1) {
        return None;
    }
    let style_name = field("style").map_or("Default", |f| f.0.trim().trim_start_matches('*'));
    let style = match out.style(style_name) {
        Some(s) => s.clone(),
        None => {
            let fallback = out
                .styles
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(style_name))
                .or_else(|| out.style("Default"))
                .or(out.styles.first())
                .cloned();
            match &fallback {
                Some(f) if f.name.eq_ignore_ascii_case(style_name) => {}
                Some(f) => report.tally(
                    format!("no style `{style_name}`; style `{}` is used", f.name),
                    line.number,
                ),
                None => {}
            }
            fallback.unwrap_or_else(default_style)
        }
    };
    let mut look = CueLook::default();
    for (name, slot) in [
        ("marginl", &mut look.margin_l),
        ("marginr", &mut look.margin_r),
        ("marginv", &mut look.margin_v),
    ] {
        if let Some((v, _)) = field(name)
            && let Ok(m) = v.trim().parse::<f64>()
            && m != 0.0
        {
            *slot = Some(m);
        }
    }
    if let Some((effect, _)) = field("effect")
        && !effect.trim().is_empty()
    {
        report.tally(
            format!("the effect `{}` is not imported", effect.trim()),
            line.number,
        );
    }
    let (text, at) = field("text")?;
    let read = read_text(text, &style, &out.styles, wrap_style, line.number, report);
    if read.text.is_empty() {
        if read.drawing {
            return None;
        }
        report.warning(
            "empty cues",
            line.number,
            column(line.text, at),
            "a cue without text is skipped",
        );
        return None;
    }
    let speaker = field("name")
        .map(|f| f.0.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Some(Cue {
        start,
        end,
        text: read.text,
        speaker,
        style: Some(read.style.unwrap_or(style.name)),
        look: look.overlaid(&read.look),
        fade: read.fade,
        karaoke: read.karaoke,
        line: line.number,
    })
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::*;

    fn read_ass(text: &str) -> (ImportedCues, Vec<String>) {
        let mut r = Report::new("t.ass");
        let mut out = ImportedCues::empty(SubtitleFormat::Ass, "t.ass");
        read(&decode::lines(text), &mut out, &mut r);
        let problems = r.finish().iter().map(|p| p.to_string()).collect();
        (out, problems)
    }

    const HEAD: &str = "[Script Info]\nTitle: 重生\nPlayResX: 1920\nPlayResY: 1080\n\n[V4+ Styles]\n\
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n\
Style: Default,Noto Sans SC,64,&H00FFFFFF,&H000000FF,&H00202020,&H80000000,-1,0,0,0,100,100,0,0,1,3,0,2,40,40,60,1\n\n[Events]\n\
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";

    #[test]
    fn reads_times_leniently() {
        assert_eq!(timestamp("0:01:02.50"), Ok(62_500_000));
        assert_eq!(timestamp("1:00:00.5"), Ok(3_600_500_000));
        assert!(timestamp("0:01:2x.00").is_err());
    }

    #[test]
    fn reads_styles_events_and_overrides() {
        let text = format!(
            "{HEAD}Dialogue: 0,0:00:01.00,0:00:03.50,Default,林晚,0,0,0,,{{\\an8\\pos(960,100)\\fad(200,300)\\c&H0000FF&}}你好，\\N世界\n\
Dialogue: 0,0:00:04.00,0:00:06.00,Default,,0,0,0,,{{\\k50}}夜{{\\k30}}雨{{\\kf20}}声\n\
Comment: 0,0:00:04.00,0:00:06.00,Default,,0,0,0,,not shown\n\
Dialogue: 0,0:00:07.00,0:00:08.00,Default,,0,0,0,,plain {{\\i1}}partly{{\\i0}} italic\n"
        );
        let (out, problems) = read_ass(&text);
        assert_eq!(out.title.as_deref(), Some("重生"));
        assert_eq!(out.frame, Some((1920.0, 1080.0)));
        let style = &out.styles[0];
        assert_eq!(style.look.font.as_deref(), Some("Noto Sans SC"));
        assert_eq!(style.look.bold, Some(true));
        assert_eq!(out.cues.len(), 3);
        let c = &out.cues[0];
        assert_eq!((c.start, c.end), (1_000_000, 3_500_000));
        assert_eq!(c.text, "你好，\n世界");
        assert_eq!(c.speaker.as_deref(), Some("林晚"));
        assert_eq!(c.look.alignment, Some(8));
        assert_eq!((c.look.x, c.look.y), (Some(960.0), Some(100.0)));
        assert_eq!(c.look.color, Rgba8::parse("#ff0000").ok());
        assert_eq!(c.fade, Some((200_000, 300_000)));
        let k = &out.cues[1];
        assert_eq!(k.text, "夜雨声");
        let syllables: Vec<(Micros, &str)> = k
            .karaoke
            .iter()
            .map(|s| (s.duration, s.text.as_str()))
            .collect();
        assert_eq!(
            syllables,
            [(500_000, "夜"), (300_000, "雨"), (200_000, "声")]
        );
        assert_eq!(out.cues[2].look.italic, None);
        assert_eq!(
            problems,
            [
                "t.ass: warning: a change of look part-way through a cue (\\b, \\i, \\c, \\fn, \\fs …) is not kept: a manju/1 line has one look, the one most of its text has (line 15, column 1)"
            ]
        );
    }

    #[test]
    fn reports_bad_events_with_their_columns() {
        let text = format!(
            "{HEAD}Dialogue: 0,0:00:0x.00,0:00:03.50,Default,,0,0,0,,bad start\n\
Dialogue: 0,0:00:05.00,0:00:03.50,Default,,0,0,0,,backwards\n\
Dialogue: 0,0:00:05.00,0:00:06\n[Extra Stuff]\nfoo\n"
        );
        let (out, problems) = read_ass(&text);
        assert!(out.cues.is_empty());
        assert_eq!(
            problems,
            [
                "t.ass: warning: unknown section `[Extra Stuff]`; skipped (line 15, column 1)",
                "t.ass: malformed start time `0:00:0x.00`: `0x` is not a number; expected H:MM:SS.CC; the cue is skipped (line 12, column 13)",
                "t.ass: the cue ends (0:00:03.500) before it starts (0:00:05.000); the cue is skipped (line 13, column 24)",
                "t.ass: the Dialogue line has 3 fields; the Format line names 10 (is it cut short?); the cue is skipped (line 14, column 31)",
            ]
        );
    }
}
