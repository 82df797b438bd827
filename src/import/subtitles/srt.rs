//! SubRip (`.srt`): blocks of a cue number, a timing line and text, separated by blank
//! lines. Read as leniently as players read it: the number may be missing, blank lines
//! may be doubled or missing, `.` may stand for `,`, the fraction may have 1–3 digits;
//! each liberty taken is reported.

use super::decode::{Line, column};
use super::markup::{self, Flavor};
use super::report::Report;
use super::{Cue, ImportedCues};
use crate::time::Micros;

pub fn read(lines: &[Line], out: &mut ImportedCues, report: &mut Report) {
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_blank() {
            i += 1;
            continue;
        }
        let first = lines[i];
        let timing_at = if is_number(first.text) {
            match lines.get(i + 1) {
                Some(next) if next.text.contains("-->") => i + 1,
                Some(next) => {
                    report.error(
                        "cues without a timing line",
                        next.number,
                        1,
                        format!(
                            "cue {}: expected a timing line (`00:00:01,000 --> 00:00:02,500`) after \
                             the cue number, found `{}`; the cue is skipped",
                            first.text.trim(),
                            excerpt(next.text)
                        ),
                    );
                    i = skip_block(lines, i);
                    continue;
                }
                None => {
                    report.warning(
                        "truncated cues",
                        first.number,
                        1,
                        format!(
                            "the file ends after cue number {}, before its timing line",
                            first.text.trim()
                        ),
                    );
                    break;
                }
            }
        } else if first.text.contains("-->") {
            i
        } else {
            report.error(
                "lines that are not cues",
                first.number,
                1,
                format!(
                    "expected a cue number or a timing line (`00:00:01,000 --> 00:00:02,500`), \
                     found `{}`; skipped up to the next blank line",
                    excerpt(first.text)
                ),
            );
            i = skip_block(lines, i);
            continue;
        };
        let timing = lines[timing_at];
        // The text runs to the next blank line, or to the next timing line when the blank
        // line before it is missing; after a blank line, text that is neither a cue number
        // nor a timing line (nor junk) still belongs to this cue.
        let mut text: Vec<Line> = Vec::new();
        let mut j = timing_at + 1;
        while j < lines.len() {
            let line = lines[j];
            if line.text.contains("-->") {
                let number_before = text.last().is_some_and(|l| is_number(l.text));
                if number_before {
                    text.pop();
                    j -= 1;
                }
                report.warning(
                    "missing blank lines",
                    lines[j].number,
                    1,
                    "no blank line before this cue; a new cue starts here",
                );
                break;
            }
            if line.is_blank() {
                let k = (j..lines.len()).find(|&k| !lines[k].is_blank());
                // Binary junk is not text: it ends the cue and is reported on its own.
                let starts_cue = k.is_none_or(|k| {
                    let t = lines[k].text;
                    t.contains("-->")
                        || is_number(t)
                        || t.chars()
                            .any(|c| c == '\u{fffd}' || (c.is_control() && c != '\t'))
                });
                if starts_cue {
                    j = k.unwrap_or(lines.len());
                    break;
                }
                let k = k.unwrap_or(lines.len());
                report.warning(
                    "blank lines inside cues",
                    line.number,
                    1,
                    "blank line inside a cue's text; the text after it is kept with the cue",
                );
                j = k;
                continue;
            }
            text.push(line);
            j += 1;
        }
        if j == lines.len() && text.is_empty() {
            report.warning(
                "truncated cues",
                timing.number,
                1,
                "the file ends after this timing line, before the cue's text; the cue is skipped",
            );
            break;
        }
        if let Some(cue) = cue(timing, &text, report) {
            out.cues.push(cue);
        }
        i = j;
    }
}

fn cue(timing: Line, text: &[Line], report: &mut Report) -> Option<Cue> {
    let (start, end) = parse_timing(timing, report)?;
    let first_text_line = text.first().map_or(timing.number, |l| l.number);
    let joined: Vec<&str> = text.iter().map(|l| l.text).collect();
    let styled = markup::parse(&joined.join("\n"), Flavor::Srt, first_text_line, report);
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
        speaker: None,
        style: None,
        look: styled.look,
        fade: None,
        karaoke: Vec::new(),
        line: timing.number,
    })
}

/// `start --> end [X1:… Y2:…]`; `None` (with an error) when the cue cannot be timed.
pub fn parse_timing(line: Line, report: &mut Report) -> Option<(Micros, Micros)> {
    let text = line.text;
    let arrow = text.find("-->")?;
    let left = &text[..arrow];
    let start_at = left.len() - left.trim_start().len();
    let right = &text[arrow + 3..];
    let end_at = arrow + 3 + (right.len() - right.trim_start().len());
    let end_token = right.split_whitespace().next().unwrap_or("");
    let stamp = |s: &str, at: usize, which: &str, report: &mut Report| match timestamp(s.trim()) {
        Ok(t) => Some(t),
        Err(why) => {
            report.error(
                "malformed timestamps",
                line.number,
                column(text, at),
                format!(
                    "malformed {which} time `{}`: {why}; expected HH:MM:SS,mmm; the cue is skipped",
                    s.trim()
                ),
            );
            None
        }
    };
    let start = stamp(left, start_at, "start", report);
    let end = stamp(end_token, end_at, "end", report);
    let (start, end) = (start?, end?);
    let at = column(text, end_at);
    if !report.keeps_span(start, end, line.number, at, at) {
        return None;
    }
    Some((start, end))
}

/// `H:MM:SS,mmm`, leniently: `.` or `:` before the fraction, 1–3 fraction digits (as
/// written: `,5` is half a second), 1–2 digit minutes and seconds, no fraction at all.
fn timestamp(s: &str) -> Result<Micros, String> {
    if s.is_empty() {
        return Err("it is missing".into());
    }
    let (clock, fraction) = match s.rfind([',', '.']) {
        Some(p) => (&s[..p], Some(&s[p + 1..])),
        None => {
            let parts: Vec<&str> = s.split(':').collect();
            if parts.len() == 4 {
                // 00:00:01:500 — a colon before the milliseconds.
                let p = s.rfind(':').unwrap_or(s.len());
                (&s[..p], Some(&s[p + 1..]))
            } else {
                (s, None)
            }
        }
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.len() != 3 {
        return Err("it needs hours, minutes and seconds".into());
    }
    let number = |p: &str, max_len: usize| -> Result<i64, String> {
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            Err(format!("`{p}` is not a number"))
        } else {
            p.parse().map_err(|_| format!("`{p}` is not a number"))
        }
    };
    let h = number(parts[0], 4)?;
    let m = number(parts[1], 2)?;
    let sec = number(parts[2], 2)?;
    if m >= 60 {
        return Err(format!("{m} minutes; must be below 60"));
    }
    if sec >= 60 {
        return Err(format!("{sec} seconds; must be below 60"));
    }
    let micros = match fraction {
        None => 0,
        Some(f) => {
            let v = number(f, 3)?;
            v * 10_i64.pow(6 - f.len() as u32)
        }
    };
    Ok(((h * 60 + m) * 60 + sec) * 1_000_000 + micros)
}

fn is_number(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit())
}

fn skip_block(lines: &[Line], mut i: usize) -> usize {
    while i < lines.len() && !lines[i].is_blank() {
        i += 1;
    }
    i
}

/// A line as quoted in a message: at most 40 characters, control characters escaped.
pub fn excerpt(s: &str) -> String {
    let s = s.trim();
    let mut out: String = s
        .chars()
        .take(40)
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{SubtitleFormat, decode};
    use super::*;

    fn read_srt(text: &str) -> (Vec<(Micros, Micros, String)>, Vec<String>) {
        let mut r = Report::new("t.srt");
        let mut out = ImportedCues::empty(SubtitleFormat::Srt, "t.srt");
        read(&decode::lines(text), &mut out, &mut r);
        (
            out.cues
                .into_iter()
                .map(|c| (c.start, c.end, c.text))
                .collect(),
            r.finish().iter().map(|p| p.to_string()).collect(),
        )
    }

    #[test]
    fn reads_timestamps_leniently() {
        assert_eq!(timestamp("01:02:03,456"), Ok(3_723_456_000));
        assert_eq!(timestamp("1:2:3.5"), Ok(3_723_500_000));
        assert_eq!(timestamp("00:00:01:250"), Ok(1_250_000));
        assert_eq!(timestamp("00:00:01"), Ok(1_000_000));
        assert_eq!(
            timestamp("00:61:00,000"),
            Err("61 minutes; must be below 60".into())
        );
        assert_eq!(
            timestamp("00:00:0x,000"),
            Err("`0x` is not a number".into())
        );
    }

    #[test]
    fn recovers_from_missing_numbers_and_blank_lines() {
        let (cues, problems) = read_srt(
            "00:00:01,000 --> 00:00:02,000\none\n2\n00:00:03,000 --> 00:00:04,000\ntwo\n\n\nstill two\n\n3\n00:00:05,000 --> 00:00:06,000\nthree",
        );
        assert_eq!(
            cues,
            [
                (1_000_000, 2_000_000, "one".to_string()),
                (3_000_000, 4_000_000, "two\nstill two".to_string()),
                (5_000_000, 6_000_000, "three".to_string()),
            ]
        );
        assert_eq!(
            problems,
            [
                "t.srt: warning: no blank line before this cue; a new cue starts here (line 3, column 1)",
                "t.srt: warning: blank line inside a cue's text; the text after it is kept with the cue (line 6, column 1)",
            ]
        );
    }

    #[test]
    fn skips_cues_it_cannot_time() {
        let (cues, problems) = read_srt(
            "1\n00:00:02,000 --> 00:00:01,000\nback\n\n2\n00:00:0x,000 --> 00:00:03,000\nbad\n\n3\nhello\n",
        );
        assert!(cues.is_empty());
        assert_eq!(
            problems,
            [
                "t.srt: the cue ends (0:00:01.000) before it starts (0:00:02.000); the cue is skipped (line 2, column 18)",
                "t.srt: malformed start time `00:00:0x,000`: `0x` is not a number; expected HH:MM:SS,mmm; the cue is skipped (line 6, column 1)",
                "t.srt: cue 3: expected a timing line (`00:00:01,000 --> 00:00:02,500`) after the cue number, found `hello`; the cue is skipped (line 10, column 1)",
            ]
        );
    }
}
