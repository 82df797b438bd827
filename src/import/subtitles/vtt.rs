//! WebVTT (`.vtt`), after the W3C parsing rules: a `WEBVTT` header, then blocks —
//! cues (an optional identifier, `start --> end settings`, the payload), `NOTE`
//! comments, `STYLE` and `REGION` definitions — separated by blank lines.
//!
//! Cue settings become the cue's look in a 100×100 frame (percent of the video):
//! `line` and `position` place its anchor point, `align` and `line`'s alignment choose
//! which point of the text that is (as a numpad alignment), `size` its widest. A `line`
//! given in lines (`line:-2`) becomes a margin of 5.33 % per line, WebVTT's line height.

use super::decode::{Line, column};
use super::markup::{self, Flavor};
use super::report::Report;
use super::srt::excerpt;
use super::{Cue, CueLook, ImportedCues, clock};
use crate::time::Micros;

/// WebVTT's line height, in percent of the video's height.
const LINE_HEIGHT: f64 = 5.33;

pub fn read(lines: &[Line], out: &mut ImportedCues, report: &mut Report) {
    out.frame = Some((100.0, 100.0));
    let mut i = 0;
    match lines.first() {
        Some(first)
            if first.text.starts_with("WEBVTT")
                && first.text[6..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ' || c == '\t') =>
        {
            // The header runs to the first blank line.
            while i < lines.len() && !lines[i].is_blank() {
                if i > 0 && lines[i].text.contains("-->") {
                    report.warning(
                        "missing blank lines",
                        lines[i].number,
                        1,
                        "no blank line between the header and the first cue",
                    );
                    break;
                }
                i += 1;
            }
        }
        _ => report.warning(
            "missing headers",
            1,
            1,
            "a WebVTT file starts with a `WEBVTT` line; read as WebVTT anyway",
        ),
    }
    let mut seen_cue = false;
    while i < lines.len() {
        if lines[i].is_blank() {
            i += 1;
            continue;
        }
        let first = lines[i];
        let keyword = |k: &str| {
            first
                .text
                .strip_prefix(k)
                .is_some_and(|rest| rest.chars().next().is_none_or(|c| c == ' ' || c == '\t'))
        };
        if !first.text.contains("-->") {
            if keyword("NOTE") {
                i = skip_block(lines, i);
                continue;
            }
            if keyword("STYLE") || keyword("REGION") {
                let what = if keyword("STYLE") { "STYLE" } else { "REGION" };
                if seen_cue {
                    report.warning(
                        "misplaced blocks",
                        first.number,
                        1,
                        format!("a {what} block after the first cue is not allowed; skipped"),
                    );
                } else {
                    report.tally(
                        format!("{what} blocks (CSS styles, regions) are not imported"),
                        first.number,
                    );
                }
                i = skip_block(lines, i);
                continue;
            }
        }
        // An identifier, then the timing line.
        let timing_at = if first.text.contains("-->") {
            i
        } else {
            match lines.get(i + 1) {
                Some(next) if next.text.contains("-->") => i + 1,
                Some(next) if !next.is_blank() => {
                    report.error(
                        "cues without a timing line",
                        next.number,
                        1,
                        format!(
                            "expected a timing line (`00:01.000 --> 00:02.500`) after the cue \
                             identifier `{}`, found `{}`; skipped up to the next blank line",
                            excerpt(first.text),
                            excerpt(next.text)
                        ),
                    );
                    i = skip_block(lines, i);
                    continue;
                }
                _ => {
                    report.error(
                        "lines that are not cues",
                        first.number,
                        1,
                        format!(
                            "`{}` is neither a cue nor a NOTE, STYLE or REGION block; skipped",
                            excerpt(first.text)
                        ),
                    );
                    i = skip_block(lines, i);
                    continue;
                }
            }
        };
        seen_cue = true;
        let timing = lines[timing_at];
        let mut j = timing_at + 1;
        let mut payload: Vec<&str> = Vec::new();
        while j < lines.len() && !lines[j].is_blank() {
            if lines[j].text.contains("-->") {
                report.warning(
                    "missing blank lines",
                    lines[j].number,
                    1,
                    "no blank line before this cue; a new cue starts here",
                );
                break;
            }
            payload.push(lines[j].text);
            j += 1;
        }
        if let Some(cue) = cue(timing, &payload, report) {
            out.cues.push(cue);
        }
        i = j;
    }
}

fn cue(timing: Line, payload: &[&str], report: &mut Report) -> Option<Cue> {
    let text = timing.text;
    let arrow = text.find("-->")?;
    let left = &text[..arrow];
    let start_at = left.len() - left.trim_start().len();
    let right = &text[arrow + 3..];
    let end_at = arrow + 3 + (right.len() - right.trim_start().len());
    let mut tokens = right.split_whitespace();
    let end_token = tokens.next().unwrap_or("");
    let settings_at = end_at + end_token.len();
    let stamp = |s: &str, at: usize, which: &str, report: &mut Report| match timestamp(s) {
        Ok(t) => Some(t),
        Err(why) => {
            report.error(
                "malformed timestamps",
                timing.number,
                column(text, at),
                format!(
                    "malformed {which} time `{s}`: {why}; expected [hh:]mm:ss.ttt; the cue is skipped"
                ),
            );
            None
        }
    };
    let start = stamp(left.trim(), start_at, "start", report);
    let end = stamp(end_token, end_at, "end", report);
    let (start, end) = (start?, end?);
    if end <= start {
        report.error(
            "cues that end before they start",
            timing.number,
            column(text, end_at),
            format!(
                "the cue ends ({}) {} it starts ({}); the cue is skipped",
                clock(end),
                if end == start { "as" } else { "before" },
                clock(start)
            ),
        );
        return None;
    }
    let look = settings(text, settings_at, timing.number, report);
    // No payload at all is text that reads as empty too.
    let styled = markup::parse(&payload.join("\n"), Flavor::Vtt, timing.number + 1, report);
    if styled.text.is_empty() {
        report.warning(
            "empty cues",
            timing.number,
            1,
            "a cue without text is skipped",
        );
        return None;
    }
    Some(Cue {
        start,
        end,
        text: styled.text,
        speaker: styled.speaker,
        style: None,
        look: styled.look.overlaid(&look),
        fade: None,
        karaoke: Vec::new(),
        line: timing.number,
    })
}

/// `[hh:]mm:ss.ttt`: hours at least one digit (the spec wants two; players take one),
/// minutes and seconds two, milliseconds three.
fn timestamp(s: &str) -> Result<Micros, String> {
    if s.is_empty() {
        return Err("it is missing".into());
    }
    let (clock, millis) = s
        .split_once('.')
        .ok_or_else(|| "no `.` before the milliseconds".to_string())?;
    if millis.len() != 3 || !millis.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{millis}` is not three digits of milliseconds"));
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let (h, m, sec) = match parts[..] {
        [m, sec] => ("0", m, sec),
        [h, m, sec] if digits(h) && h.len() <= 4 => (h, m, sec),
        _ => return Err("it needs minutes and seconds, and may have hours".into()),
    };
    if m.len() != 2 || sec.len() != 2 || !digits(m) || !digits(sec) {
        return Err("minutes and seconds take two digits each".into());
    }
    let (h, m, sec): (i64, i64, i64) = (
        h.parse().unwrap_or(0),
        m.parse().unwrap_or(0),
        sec.parse().unwrap_or(0),
    );
    if m >= 60 || sec >= 60 {
        return Err("minutes and seconds must be below 60".into());
    }
    let ms: i64 = millis.parse().unwrap_or(0);
    Ok((((h * 60 + m) * 60 + sec) * 1000 + ms) * 1000)
}

/// Cue settings → a look in percent of the video. Settings the spec would ignore are
/// ignored, with a warning.
fn settings(text: &str, from: usize, line: u32, report: &mut Report) -> CueLook {
    let mut look = CueLook::default();
    let mut align = None; // 0 left, 1 centre, 2 right
    let mut line_pos: Option<(f64, Option<&str>, bool)> = None; // value, alignment, in lines
    let mut position: Option<(f64, Option<&str>)> = None;
    let rest = &text[from.min(text.len())..];
    for token in rest.split_whitespace() {
        let at = from + rest.find(token).unwrap_or(0);
        let bad = |report: &mut Report, why: &str| {
            report.warning(
                "unreadable cue settings",
                line,
                column(text, at),
                format!("cue setting `{token}` ignored: {why}"),
            );
        };
        let Some((name, value)) = token.split_once(':') else {
            bad(report, "expected name:value");
            continue;
        };
        match name {
            "align" => match value {
                "start" | "left" => align = Some(0),
                "center" | "middle" => align = Some(1),
                "end" | "right" => align = Some(2),
                _ => bad(report, "align is start, center, end, left or right"),
            },
            "line" => {
                let (v, a) = match value.split_once(',') {
                    Some((v, a)) => (v, Some(a)),
                    None => (value, None),
                };
                if a.is_some_and(|a| !matches!(a, "start" | "center" | "end")) {
                    bad(report, "the line alignment is start, center or end");
                    continue;
                }
                if let Some(p) = percent(v) {
                    line_pos = Some((p, a, false));
                } else if let Ok(n) = v.parse::<i32>() {
                    line_pos = Some((f64::from(n), a, true));
                } else {
                    bad(report, "line is a percentage or a whole number of lines");
                }
            }
            "position" => {
                let (v, a) = match value.split_once(',') {
                    Some((v, a)) => (v, Some(a)),
                    None => (value, None),
                };
                match (percent(v), a) {
                    (Some(p), None | Some("line-left" | "center" | "line-right")) => {
                        position = Some((p, a));
                    }
                    _ => bad(
                        report,
                        "position is a percentage, then optionally ,line-left, ,center or ,line-right",
                    ),
                }
            }
            "size" => match percent(value) {
                Some(p) => look.width = Some(p),
                None => bad(report, "size is a percentage"),
            },
            "vertical" => report.tally(
                "vertical text (`vertical:`) is not supported; the cue is set horizontally",
                line,
            ),
            "region" => report.tally("regions are not imported", line),
            _ => bad(report, "unknown setting"),
        }
    }
    if align.is_none() && line_pos.is_none() && position.is_none() {
        return look;
    }
    // Which point of the text is anchored: the column from `position`'s alignment (else
    // `align`), the row from `line`'s alignment.
    let column = match position.and_then(|p| p.1) {
        Some("line-left") => 0,
        Some("line-right") => 2,
        Some(_) => 1,
        None => align.unwrap_or(1),
    };
    let mut row = 0; // bottom, as cues are by default
    match line_pos {
        Some((n, _, true)) => {
            if n >= 0.0 {
                row = 2;
                look.margin_v = Some(n * LINE_HEIGHT);
            } else {
                look.margin_v = Some((-n - 1.0) * LINE_HEIGHT);
            }
        }
        Some((p, a, false)) => {
            row = match a {
                Some("center") => 1,
                Some("end") => 0,
                _ => 2,
            };
            look.y = Some(p);
        }
        None => {}
    }
    if let Some((p, _)) = position {
        look.x = Some(p);
    }
    look.alignment = Some(1 + column + 3 * row);
    if look.alignment == Some(2) && look.x.is_none() && look.y.is_none() && look.margin_v.is_none()
    {
        // `align:center` alone is where a cue goes anyway: the drama's subtitle style.
        look.alignment = None;
    }
    look
}

fn percent(s: &str) -> Option<f64> {
    let v: f64 = s.strip_suffix('%')?.parse().ok()?;
    (v.is_finite() && (0.0..=100.0).contains(&v)).then_some(v)
}

fn skip_block(lines: &[Line], mut i: usize) -> usize {
    while i < lines.len() && !lines[i].is_blank() {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_follow_the_spec() {
        assert_eq!(timestamp("01:02.345"), Ok(62_345_000));
        assert_eq!(timestamp("1:00:00.000"), Ok(3_600_000_000));
        assert!(timestamp("00:01.5").is_err());
        assert!(timestamp("00:01,500").is_err());
        assert!(timestamp("0:1.500").is_err());
    }

    #[test]
    fn settings_become_a_look() {
        let mut r = Report::new("t.vtt");
        let text = "00:01.000 --> 00:02.000 line:10% position:20%,line-left align:left size:50%";
        let look = settings(text, 23, 4, &mut r);
        assert_eq!(look.alignment, Some(7));
        assert_eq!(
            (look.x, look.y, look.width),
            (Some(20.0), Some(10.0), Some(50.0))
        );
        let look = settings("a --> b line:-3", 7, 4, &mut r);
        assert_eq!(look.alignment, Some(2));
        assert_eq!(look.margin_v, Some(2.0 * LINE_HEIGHT));
        let look = settings("a --> b line:0 align:end", 7, 4, &mut r);
        assert_eq!((look.alignment, look.margin_v), (Some(9), Some(0.0)));
        assert!(r.finish().is_empty());
        let mut r = Report::new("t.vtt");
        settings("a --> b colour:red line:abc", 7, 4, &mut r);
        let problems: Vec<String> = r.finish().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                "t.vtt: warning: cue setting `colour:red` ignored: unknown setting (line 4, column 9)",
                "t.vtt: warning: cue setting `line:abc` ignored: line is a percentage or a whole number of lines (line 4, column 20)",
            ]
        );
    }

    #[test]
    fn a_cue_without_text_is_skipped_with_one_warning() {
        let text = "WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:03.000 --> 00:04.000\nkept\n";
        let cues = crate::import::subtitles::import_subtitles(text, "t.vtt").unwrap();
        assert_eq!(cues.cues.len(), 1);
        assert_eq!(cues.cues[0].text, "kept");
        let problems: Vec<String> = cues.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            ["t.vtt: warning: a cue without text is skipped (line 3, column 1)"]
        );
    }
}
