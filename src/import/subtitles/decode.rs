//! Bytes → text, and text → numbered lines.

use super::report::Report;
use crate::problem::Problem;

/// Decodes UTF-8 (a byte-order mark is dropped) or UTF-16 (with a byte-order mark, or
/// without one when every other byte is zero, as in ASCII text).
pub fn decode(bytes: &[u8], report: &mut Report) -> Result<String, Problem> {
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return utf8(rest, report);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return Ok(utf16(rest, u16::from_le_bytes, report));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return Ok(utf16(rest, u16::from_be_bytes, report));
    }
    match bomless_utf16(bytes) {
        Some(Endian::Little) => {
            report.warning(
                "encoding guesses",
                1,
                1,
                "UTF-16 without a byte-order mark; read as UTF-16LE",
            );
            Ok(utf16(bytes, u16::from_le_bytes, report))
        }
        Some(Endian::Big) => {
            report.warning(
                "encoding guesses",
                1,
                1,
                "UTF-16 without a byte-order mark; read as UTF-16BE",
            );
            Ok(utf16(bytes, u16::from_be_bytes, report))
        }
        None => utf8(bytes, report),
    }
}

enum Endian {
    Little,
    Big,
}

/// Mostly-ASCII UTF-16 has a zero in every other byte; UTF-8 text has none.
fn bomless_utf16(bytes: &[u8]) -> Option<Endian> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    if zero_odd * 10 >= pairs * 7 && zero_even * 10 < pairs {
        Some(Endian::Little)
    } else if zero_even * 10 >= pairs * 7 && zero_odd * 10 < pairs {
        Some(Endian::Big)
    } else {
        None
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, report: &mut Report) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut line = 1;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                if c == '\n' {
                    line += 1;
                }
                out.push(c);
            }
            Err(e) => {
                report.warning(
                    "encoding errors",
                    line,
                    1,
                    format!(
                        "unpaired UTF-16 surrogate 0x{:04X} replaced by U+FFFD",
                        e.unpaired_surrogate()
                    ),
                );
                out.push('\u{fffd}');
            }
        }
    }
    if bytes.len() % 2 == 1 {
        report.warning(
            "encoding errors",
            line,
            1,
            "the UTF-16 text ends with half a character; it is dropped",
        );
    }
    out
}

/// UTF-8, with every invalid sequence replaced by U+FFFD and reported where it is. When
/// invalid sequences (three or more) are on most of the lines that have anything but
/// ASCII, the file is in a legacy encoding: replacing would lose all of its text, so it
/// is refused. A UTF-8 file with a few damaged bytes has them on a few lines only.
fn utf8(bytes: &[u8], report: &mut Report) -> Result<String, Problem> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let mut out = String::with_capacity(bytes.len());
    let mut bad: Vec<(u32, u32, u8)> = Vec::new();
    let (mut line, mut column) = (1u32, 1u32);
    // Lines with non-ASCII text, and lines with invalid sequences.
    let (mut non_ascii_lines, mut bad_lines) = (0u32, 0u32);
    let (mut line_non_ascii, mut line_bad) = (false, false);
    let mut end_line = |non_ascii: &mut bool, is_bad: &mut bool| {
        non_ascii_lines += u32::from(*non_ascii || *is_bad);
        bad_lines += u32::from(*is_bad);
        *non_ascii = false;
        *is_bad = false;
    };
    let mut rest = bytes;
    loop {
        let (good, error) = match std::str::from_utf8(rest) {
            Ok(s) => (s, None),
            Err(e) => (
                // The prefix up to `valid_up_to` is valid by definition.
                std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default(),
                Some(e),
            ),
        };
        for c in good.chars() {
            if c == '\n' {
                end_line(&mut line_non_ascii, &mut line_bad);
                line += 1;
                column = 1;
            } else {
                line_non_ascii |= !c.is_ascii();
                column += 1;
            }
        }
        out.push_str(good);
        let Some(e) = error else { break };
        let at = e.valid_up_to();
        let len = e.error_len().unwrap_or(rest.len() - at);
        bad.push((line, column, rest[at]));
        line_bad = true;
        out.push('\u{fffd}');
        column += 1;
        rest = &rest[at + len..];
    }
    end_line(&mut line_non_ascii, &mut line_bad);
    if bad.len() >= 3 && bad_lines * 5 >= non_ascii_lines * 4 {
        let (line, column, byte) = bad[0];
        return Err(Problem::error(
            "",
            format!(
                "the file is not UTF-8 (byte 0x{byte:02X} is the first of {} that are not); it looks \
                 like a legacy encoding such as GBK, Big5, Shift_JIS or Windows-1252: save it as UTF-8",
                bad.len()
            ),
        )
        .at(line, column));
    }
    for (line, column, byte) in bad {
        report.warning(
            "encoding errors",
            line,
            column,
            format!("byte 0x{byte:02X} is not UTF-8; replaced by U+FFFD"),
        );
    }
    Ok(out)
}

/// One line of the file: its 1-based number and its text without the line end.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line<'a> {
    pub number: u32,
    pub text: &'a str,
}

impl Line<'_> {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// Splits at CRLF, LF and lone CR alike.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out.into_iter()
        .enumerate()
        .map(|(i, text)| Line {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            text,
        })
        .collect()
}

/// The 1-based column (in characters) of byte offset `at` in `text`.
pub fn column(text: &str, at: usize) -> u32 {
    let at = at.min(text.len());
    let chars = text.char_indices().take_while(|(i, _)| *i < at).count();
    u32::try_from(chars + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (Result<String, Problem>, Vec<Problem>) {
        let mut r = Report::new("f.srt");
        let text = decode(bytes, &mut r);
        (text, r.finish())
    }

    #[test]
    fn splits_every_kind_of_line_end() {
        let l = lines("a\r\nb\rc\nd");
        let texts: Vec<_> = l.iter().map(|l| (l.number, l.text)).collect();
        assert_eq!(texts, [(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
        assert_eq!(lines("a\n\n").len(), 2);
    }

    #[test]
    fn reads_utf8_with_bom_and_utf16() {
        assert_eq!(decoded(b"\xef\xbb\xbfhi").0.unwrap(), "hi");
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("你好\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decoded(&le).0.unwrap(), "你好\n");
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decoded(&be).0.unwrap(), "hé");
        let bomless: Vec<u8> = "1\n00:00:01,000 --> 00:00:02,000\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let (text, problems) = decoded(&bomless);
        assert!(text.unwrap().starts_with("1\n00:00:01"));
        assert_eq!(
            problems[0].message,
            "UTF-16 without a byte-order mark; read as UTF-16LE"
        );
    }

    #[test]
    fn replaces_stray_bytes_and_refuses_legacy_encodings() {
        let (text, problems) = decoded(b"ok\nbad \xff here \xe4\xbd\xa0\n");
        assert_eq!(text.unwrap(), "ok\nbad \u{fffd} here 你\n");
        assert_eq!(
            problems[0].to_string(),
            "f.srt: warning: byte 0xFF is not UTF-8; replaced by U+FFFD (line 2, column 5)"
        );
        // "你好，世界" in GBK.
        let gbk = b"1\n00:00:01,000 --> 00:00:02,000\n\xc4\xe3\xba\xc3\xa3\xac\xca\xc0\xbd\xe7\n";
        let e = decoded(gbk).0.unwrap_err();
        assert!(
            e.message.starts_with("the file is not UTF-8 (byte 0xC4"),
            "{e}"
        );
        assert_eq!((e.line, e.column), (Some(3), Some(1)));
    }
}
