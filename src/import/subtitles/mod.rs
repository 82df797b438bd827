//! Subtitle files (SRT, WebVTT, ASS/SSA) → lines on a drama's episode timeline.
//!
//! Reading ([`import_subtitles`], [`import_subtitle_bytes`]) turns a file into
//! [`ImportedCues`]: each cue's start and end in integer microseconds, its plain text
//! (`\n` between its lines), its speaker and how it should look ([`CueLook`], in the
//! file's own coordinates). Nothing stops at the first problem: a cue that cannot be read
//! is skipped with an error naming its line (and column); what is only approximated
//! gives a warning. Only a file with no readable cue at all is refused.
//!
//! Placing ([`new_manifest`], [`merge_into_manifest`]) writes manifest JSON:
//! - **A new manifest** has one shot per cue, or per group of cues that overlap in time:
//!   a comic drama shows one picture per line of dialogue, so the result is the drama's
//!   storyboard, ready for a layer per shot. Each shot starts where its first cue starts
//!   (the first at 0) and lasts until the next shot's first cue (the last until its last
//!   cue ends, plus `timing.tail`); lines have explicit `at` and `duration`.
//! - **Merging into a manifest** puts each cue into the shot playing when it starts, with
//!   `at` relative to that shot, keeping every shot where it is: a cue that runs past its
//!   shot's cut is split in two (one line in each shot), and an `"auto"` shot whose length
//!   the new lines would change gets its current length written out (with a warning).
//!
//! ```
//! use manju::{import_subtitles, new_manifest, load_manifest};
//! let srt = "1\n00:00:01,000 --> 00:00:02,500\n这一世，我绝不会再让你得逞。\n";
//! let cues = import_subtitles(srt, "ep1.srt").unwrap();
//! assert_eq!((cues.cues[0].start, cues.cues[0].end), (1_000_000, 2_500_000));
//! let out = new_manifest(&cues);
//! assert!(!load_manifest(&out.manifest).has_errors());
//! ```

mod ass;
mod ass_tags;
mod decode;
mod looks;
mod markup;
mod place;
mod report;
mod srt;
mod vtt;
mod write;

pub use place::{Merged, merge_into_manifest, merge_into_manifest_with, new_manifest};

use crate::model::Rgba8;
use crate::problem::Problem;
use crate::time::Micros;
use report::Report;
use serde::Serialize;

/// Longest subtitle file accepted, in bytes.
pub const MAX_SUBTITLE_BYTES: usize = 16 * 1024 * 1024;
/// Most cues read from one file; the rest are reported and ignored.
pub const MAX_CUES: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubtitleFormat {
    Srt,
    WebVtt,
    /// Advanced SubStation Alpha (`[V4+ Styles]`).
    Ass,
    /// SubStation Alpha v4 (`[V4 Styles]`).
    Ssa,
}

impl SubtitleFormat {
    pub fn name(self) -> &'static str {
        match self {
            SubtitleFormat::Srt => "SRT",
            SubtitleFormat::WebVtt => "WebVTT",
            SubtitleFormat::Ass => "ASS",
            SubtitleFormat::Ssa => "SSA",
        }
    }
}

/// How a cue looks, as far as its file says. Lengths and positions are in the file's
/// coordinates ([`ImportedCues::frame`]); `None` leaves the field to the style beneath
/// (the cue's ASS style, else the drama's `subtitle` style).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CueLook {
    /// Font family name.
    pub font: Option<String>,
    pub size: Option<f64>,
    pub color: Option<Rgba8>,
    /// The outline's colour and width (how far it reaches past the glyph).
    pub outline_color: Option<Rgba8>,
    pub outline: Option<f64>,
    /// An opaque box behind the text (ASS `BorderStyle=3`).
    pub background: Option<Option<Rgba8>>,
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    /// Numpad alignment 1–9 (ASS `\an`): 1 bottom left, 5 centre, 9 top right.
    pub alignment: Option<u8>,
    pub margin_l: Option<f64>,
    pub margin_r: Option<f64>,
    pub margin_v: Option<f64>,
    /// The point the alignment anchors the text to (ASS `\pos`, WebVTT `position`/`line`).
    pub x: Option<f64>,
    pub y: Option<f64>,
    /// The widest the text may be (WebVTT `size`).
    pub width: Option<f64>,
}

impl CueLook {
    /// `self` with every field that `over` sets replaced.
    pub fn overlaid(&self, over: &CueLook) -> CueLook {
        macro_rules! pick {
            ($($f:ident),*) => { CueLook { $($f: over.$f.clone().or_else(|| self.$f.clone()),)* } };
        }
        pick!(
            font,
            size,
            color,
            outline_color,
            outline,
            background,
            bold,
            italic,
            alignment,
            margin_l,
            margin_r,
            margin_v,
            x,
            y,
            width
        )
    }

    pub fn is_empty(&self) -> bool {
        *self == CueLook::default()
    }
}

/// A named style of the file (ASS `[V4+ Styles]`), every field of its look set.
#[derive(Clone, Debug, PartialEq)]
pub struct CueStyle {
    pub name: String,
    pub look: CueLook,
}

/// One karaoke syllable (ASS `\k`, `\kf`, `\ko`): how long it lasts and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Syllable {
    pub duration: Micros,
    pub text: String,
}

/// One cue: a piece of text on screen during `[start, end)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cue {
    pub start: Micros,
    pub end: Micros,
    /// Plain text; `\n` separates its lines.
    pub text: String,
    /// ASS `Name`, WebVTT `<v Speaker>`.
    pub speaker: Option<String>,
    /// The name of its style in [`ImportedCues::styles`].
    pub style: Option<String>,
    /// What the cue itself says about its look, over its style.
    pub look: CueLook,
    /// ASS `\fad(in, out)`: fade lengths.
    pub fade: Option<(Micros, Micros)>,
    pub karaoke: Vec<Syllable>,
    /// 1-based line of the file where the cue's timing is.
    pub line: u32,
}

/// What a subtitle file holds: its cues in file order, its styles, and every problem
/// found while reading it (`path` is the file's name; line and column are the file's).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedCues {
    pub format: SubtitleFormat,
    pub file_name: String,
    /// ASS `Title`, when the file names one.
    pub title: Option<String>,
    /// The size of the space that looks are measured in: ASS `PlayResX`×`PlayResY`,
    /// 100×100 (percent) for WebVTT; `None` for SRT, which has no positions.
    pub frame: Option<(f64, f64)>,
    pub styles: Vec<CueStyle>,
    pub cues: Vec<Cue>,
    pub problems: Vec<Problem>,
}

impl ImportedCues {
    /// Nothing read yet from `file_name`.
    pub fn empty(format: SubtitleFormat, file_name: &str) -> ImportedCues {
        ImportedCues {
            format,
            file_name: file_name.to_string(),
            title: None,
            frame: None,
            styles: Vec::new(),
            cues: Vec::new(),
            problems: Vec::new(),
        }
    }

    pub fn style(&self, name: &str) -> Option<&CueStyle> {
        self.styles.iter().find(|s| s.name == name)
    }

    /// The cue's look with its style beneath it.
    pub fn effective_look(&self, cue: &Cue) -> CueLook {
        match cue.style.as_deref().and_then(|n| self.style(n)) {
            Some(style) => style.look.overlaid(&cue.look),
            None => cue.look.clone(),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// Reads a subtitle file's bytes: UTF-8 with or without a byte-order mark, or UTF-16
/// with one (or without one, when the zero bytes give it away). Bytes that are not
/// UTF-8 become U+FFFD with a warning naming their line; a file in a legacy encoding
/// (GBK, Big5, Shift_JIS, Windows-1252 …) is refused with a message saying so.
pub fn import_subtitle_bytes(bytes: &[u8], file_name: &str) -> Result<ImportedCues, Vec<Problem>> {
    let mut report = Report::new(file_name);
    if bytes.len() > MAX_SUBTITLE_BYTES {
        return Err(vec![Problem::error(
            file_name,
            format!(
                "the file is {} bytes; at most {MAX_SUBTITLE_BYTES} are accepted",
                bytes.len()
            ),
        )]);
    }
    let text = match decode::decode(bytes, &mut report) {
        Ok(text) => text,
        Err(problem) => {
            return Err(vec![Problem {
                path: file_name.to_string(),
                ..problem
            }]);
        }
    };
    read(&text, file_name, report)
}

/// Reads a subtitle file's text. The format is told by the content (`WEBVTT`,
/// `[Script Info]`/`[V4+ Styles]`, `-->`), then by the file name's extension.
pub fn import_subtitles(text: &str, file_name: &str) -> Result<ImportedCues, Vec<Problem>> {
    if text.len() > MAX_SUBTITLE_BYTES {
        return Err(vec![Problem::error(
            file_name,
            format!(
                "the file is {} bytes; at most {MAX_SUBTITLE_BYTES} are accepted",
                text.len()
            ),
        )]);
    }
    read(text, file_name, Report::new(file_name))
}

fn read(text: &str, file_name: &str, mut report: Report) -> Result<ImportedCues, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(format) = detect(text, file_name) else {
        report.fatal(
            None,
            "not a subtitle file: expected SRT (`-->` timings), WebVTT (a `WEBVTT` first line) \
             or ASS/SSA (`[Script Info]`, `[V4+ Styles]`, `[Events]`)",
        );
        return Err(report.finish());
    };
    let lines = decode::lines(text);
    let mut cues = ImportedCues::empty(format, file_name);
    match format {
        SubtitleFormat::Srt => srt::read(&lines, &mut cues, &mut report),
        SubtitleFormat::WebVtt => vtt::read(&lines, &mut cues, &mut report),
        SubtitleFormat::Ass | SubtitleFormat::Ssa => ass::read(&lines, &mut cues, &mut report),
    }
    if cues.cues.len() > MAX_CUES {
        let first_dropped = cues.cues[MAX_CUES].line;
        report.error(
            "too many cues",
            first_dropped,
            1,
            format!(
                "{} cues; at most {MAX_CUES} are read, the rest (from here on) are ignored",
                cues.cues.len()
            ),
        );
        cues.cues.truncate(MAX_CUES);
    }
    check_overlaps(&cues, &mut report);
    if cues.cues.is_empty() {
        report.fatal(
            None,
            format!("no cue could be read from this {} file", format.name()),
        );
        return Err(report.finish());
    }
    cues.problems = report.finish();
    Ok(cues)
}

/// The format, by content first: a `.txt` or a mislabelled `.srt` is read for what it is.
fn detect(text: &str, file_name: &str) -> Option<SubtitleFormat> {
    let head: String = text.chars().take(64 * 1024).collect();
    let first = head.lines().next().unwrap_or("").trim_start();
    if first.starts_with("WEBVTT") {
        return Some(SubtitleFormat::WebVtt);
    }
    let lower = head.to_ascii_lowercase();
    if lower.contains("[v4+ styles]") {
        return Some(SubtitleFormat::Ass);
    }
    if lower.contains("[v4 styles]") {
        return Some(SubtitleFormat::Ssa);
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    if lower.contains("[script info]") || lower.contains("[events]") {
        return Some(if extension.as_deref() == Some("ssa") {
            SubtitleFormat::Ssa
        } else {
            SubtitleFormat::Ass
        });
    }
    match extension.as_deref() {
        Some("vtt") => return Some(SubtitleFormat::WebVtt),
        Some("ass") => return Some(SubtitleFormat::Ass),
        Some("ssa") => return Some(SubtitleFormat::Ssa),
        _ => {}
    }
    head.contains("-->").then_some(SubtitleFormat::Srt)
}

/// Cues shown at once in the same place draw over each other; say so. Cues placed
/// apart (ASS signs with `\pos`, another alignment) are what the format is for.
fn check_overlaps(cues: &ImportedCues, report: &mut Report) {
    let mut order: Vec<&Cue> = cues.cues.iter().collect();
    order.sort_by_key(|c| c.start);
    let place = |c: &Cue| {
        let look = cues.effective_look(c);
        (look.alignment, look.x, look.y, look.margin_v)
    };
    let mut open: Vec<&Cue> = Vec::new();
    for cue in order {
        open.retain(|o| o.end > cue.start);
        if let Some(other) = open.iter().find(|o| place(o) == place(cue)) {
            report.warning(
                "overlapping cues",
                cue.line,
                1,
                format!(
                    "this cue starts at {} while the cue at line {} is still shown (until {}); \
                     both are drawn in the same place",
                    clock(cue.start),
                    other.line,
                    clock(other.end)
                ),
            );
        }
        open.push(cue);
    }
}

/// `h:mm:ss.mmm`, for messages.
pub(crate) fn clock(t: Micros) -> String {
    let ms = t.div_euclid(1000);
    format!(
        "{}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_formats_by_content_then_extension() {
        assert_eq!(
            detect("WEBVTT\n\n00:01.000 --> 00:02.000\nhi", "a.srt"),
            Some(SubtitleFormat::WebVtt)
        );
        assert_eq!(
            detect("[Script Info]\n[V4+ Styles]\n", "a.txt"),
            Some(SubtitleFormat::Ass)
        );
        assert_eq!(
            detect("[Script Info]\n[V4 Styles]\n", "a.ass"),
            Some(SubtitleFormat::Ssa)
        );
        assert_eq!(
            detect("1\n00:00:01,000 --> 00:00:02,000\nhi\n", "a.txt"),
            Some(SubtitleFormat::Srt)
        );
        assert_eq!(detect("hello", "a.txt"), None);
    }

    #[test]
    fn refuses_files_without_cues() {
        let e = import_subtitles("just some words\n", "notes.txt").unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].message.starts_with("not a subtitle file"), "{e:?}");
        let e = import_subtitles("1\n00:00:0x,000 --> 00:00:01,000\nhi\n", "a.srt").unwrap_err();
        assert_eq!(
            e.last().unwrap().message,
            "no cue could be read from this SRT file"
        );
    }

    #[test]
    fn clock_reads_like_a_player() {
        assert_eq!(clock(3_723_456_000), "1:02:03.456");
    }
}
