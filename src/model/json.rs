//! A strict JSON reader that remembers where every value starts.
//!
//! serde_json's `Value` forgets positions, and the format promises a line and column
//! for problems; this reader keeps them for every value and object key. It accepts
//! exactly RFC 8259 JSON (no comments, no trailing commas) and caps the input's size and
//! nesting depth.

use std::cell::Cell;
use std::fmt;

/// Longest manifest accepted, in bytes.
pub const MAX_MANIFEST_BYTES: usize = 16 * 1024 * 1024;
/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 64;

/// 1-based line and column (in characters) of a value's first character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Json {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// Members in document order, with the position of each key.
    Object(Vec<Member>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_pos: Pos,
    pub value: Json,
}

impl Value {
    /// The JSON type's name, for messages ("expected a number, found a string").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// Why the text is not JSON, and where.
#[derive(Clone, Debug, PartialEq)]
pub enum SyntaxError {
    /// The text breaks the JSON grammar at `pos`.
    Invalid { pos: Pos, message: String },
    /// Longer than [`MAX_MANIFEST_BYTES`].
    TooLarge { bytes: usize },
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep { pos: Pos },
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntaxError::Invalid { message, .. } => write!(f, "invalid JSON: {message}"),
            SyntaxError::TooLarge { bytes } => write!(
                f,
                "the manifest is {bytes} bytes; at most {MAX_MANIFEST_BYTES} are accepted"
            ),
            SyntaxError::TooDeep { .. } => {
                write!(f, "JSON nested deeper than {MAX_DEPTH} levels")
            }
        }
    }
}

impl SyntaxError {
    pub fn pos(&self) -> Option<Pos> {
        match self {
            SyntaxError::Invalid { pos, .. } | SyntaxError::TooDeep { pos } => Some(*pos),
            SyntaxError::TooLarge { .. } => None,
        }
    }
}

/// Parses one JSON document.
pub fn parse(text: &str) -> Result<Json, SyntaxError> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(SyntaxError::TooLarge { bytes: text.len() });
    }
    // A byte-order mark is not JSON, but editors on Windows write one; skip it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser {
        src: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        column: Cell::new((0, 0)),
        text,
    };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.at < p.src.len() {
        return Err(p.invalid("unexpected characters after the end of the document"));
    }
    Ok(value)
}

/// The characters in a run of UTF-8: every byte but the continuation bytes.
fn chars_in(bytes: &[u8]) -> u32 {
    #[cfg(test)]
    COUNTED.with(|c| c.set(c.get() + bytes.len()));
    bytes.iter().filter(|&&b| b & 0xc0 != 0x80).count() as u32
}

#[cfg(test)]
thread_local! {
    /// Bytes looked at to work out columns, for the test that reading is linear.
    static COUNTED: Cell<usize> = const { Cell::new(0) };
}

struct Parser<'a> {
    text: &'a str,
    src: &'a [u8],
    at: usize,
    line: u32,
    line_start: usize,
    /// (byte offset, characters from the line's start to it): where the last column was
    /// counted. Columns count characters, not bytes, so CJK text lines up with editors;
    /// counting each from the line's start made a one-line (minified) manifest quadratic
    /// to read, so each position counts only what follows the previous one.
    column: Cell<(usize, u32)>,
}

impl Parser<'_> {
    fn pos(&self) -> Pos {
        let (from, counted) = match self.column.get() {
            (at, counted) if at >= self.line_start && at <= self.at => (at, counted),
            _ => (self.line_start, 0),
        };
        let counted = counted + chars_in(&self.src[from..self.at]);
        self.column.set((self.at, counted));
        Pos {
            line: self.line,
            column: counted + 1,
        }
    }

    fn invalid(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError::Invalid {
            pos: self.pos(),
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                _ => break,
            }
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), SyntaxError> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.text[self.at..].chars().next() {
            None => self.invalid(format!("expected {expected}, found the end of the text")),
            Some(c) => self.invalid(format!("expected {expected}, found `{c}`")),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, SyntaxError> {
        let pos = self.pos();
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.unexpected("a value")),
        };
        Ok(Json { value, pos })
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self.src[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, SyntaxError> {
        if depth >= MAX_DEPTH {
            Err(SyntaxError::TooDeep { pos: self.pos() })
        } else {
            Ok(depth + 1)
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        let depth = self.enter(depth)?;
        self.at += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            let key_pos = self.pos();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a string key in double quotes"));
            }
            let key = self.string()?;
            self.skip_ws();
            self.expect(b':', "`:` after the key")?;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push(Member {
                key,
                key_pos,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        let depth = self.enter(depth)?;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(&self.text[start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = self.peek().ok_or_else(|| self.unexpected("an escape"))?;
                    self.at += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => {
                            self.at -= 1;
                            return Err(self
                                .invalid(format!("unknown escape `\\{}` in a string", c as char)));
                        }
                    }
                }
                Some(_) => return Err(self.invalid("control character inside a string")),
                None => return Err(self.invalid("the string is not closed")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .src
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.invalid("short \\u escape"))?;
        let s = std::str::from_utf8(digits).map_err(|_| self.invalid("bad \\u escape"))?;
        let v = u32::from_str_radix(s, 16).map_err(|_| self.invalid("bad \\u escape"))?;
        self.at += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let hi = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&hi) {
            if !self.src[self.at..].starts_with(b"\\u") {
                return Err(self.invalid("unpaired surrogate in a \\u escape"));
            }
            self.at += 2;
            let lo = self.hex4()?;
            if !(0xdc00..0xe000).contains(&lo) {
                return Err(self.invalid("unpaired surrogate in a \\u escape"));
            }
            0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
        } else {
            hi
        };
        char::from_u32(code).ok_or_else(|| self.invalid("unpaired surrogate in a \\u escape"))
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let s = p.at;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.at += 1;
            }
            p.at - s
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.unexpected("a digit after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.unexpected("a digit in the exponent"));
            }
        }
        let n: f64 = self.text[start..self.at]
            .parse()
            .map_err(|_| self.invalid("bad number"))?;
        if !n.is_finite() {
            self.at = start;
            return Err(self.invalid("number out of range"));
        }
        Ok(Value::Number(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err_at(text: &str) -> (u32, u32, String) {
        match parse(text).unwrap_err() {
            SyntaxError::Invalid { pos, message } => (pos.line, pos.column, message),
            other => panic!("unexpected {other:?}"),
        }
    }

    /// A manifest-like document of `shots` shots, on one line or pretty-printed.
    fn shots_document(shots: usize, pretty: bool) -> String {
        let shot = r#"{"id":"s","duration":2.5,"layers":[{"image":"bg","camera":{"from":[0,0,1],"to":[0.1,0.2,1.4]}}],"lines":[{"speaker":"林晚","text":"江城，我回来了。"}]}"#;
        let doc = format!(
            r#"{{"format":"manju/1","shots":[{}]}}"#,
            vec![shot; shots].join(",")
        );
        if pretty {
            let value: serde_json::Value = serde_json::from_str(&doc).unwrap();
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            doc
        }
    }

    #[test]
    fn reading_is_linear_on_one_line() {
        // Every byte is looked at once to place the values after it, however long the line:
        // counting each column from the line's start made 80 000 minified shots take 29 s.
        for pretty in [false, true] {
            let text = shots_document(5000, pretty);
            COUNTED.with(|c| c.set(0));
            let doc = parse(&text).unwrap();
            let counted = COUNTED.with(Cell::get);
            assert!(
                counted <= text.len(),
                "{counted} bytes counted for a {} byte text (pretty: {pretty})",
                text.len()
            );
            let Value::Object(members) = &doc.value else {
                panic!()
            };
            let Value::Array(shots) = &members[1].value.value else {
                panic!()
            };
            assert_eq!(shots.len(), 5000);
            if !pretty {
                // Columns are still characters: the last shot starts where an editor says.
                let last = shots.last().unwrap().pos;
                let before = text[..text.rfind(r#"{"id""#).unwrap()].chars().count() as u32;
                assert_eq!(
                    last,
                    Pos {
                        line: 1,
                        column: before + 1
                    }
                );
            }
        }
    }

    #[test]
    fn reads_values_with_positions() {
        let doc = parse(
            "{\n  \"a\": [1, -2.5e1, true, null],\n  \"标题\": \"x\\u00e9\\ud83d\\ude00\"\n}",
        )
        .unwrap();
        let Value::Object(members) = &doc.value else {
            panic!()
        };
        assert_eq!(members[0].key, "a");
        assert_eq!(members[0].key_pos, Pos { line: 2, column: 3 });
        let Value::Array(items) = &members[0].value.value else {
            panic!()
        };
        assert_eq!(items[1].value, Value::Number(-25.0));
        assert_eq!(
            items[1].pos,
            Pos {
                line: 2,
                column: 12
            }
        );
        assert_eq!(members[1].value.value, Value::String("xé😀".into()));
        // Columns count characters: the CJK key is two characters wide.
        assert_eq!(members[1].value.pos, Pos { line: 3, column: 9 });
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        assert_eq!(err_at("{\"a\": 1,}").0, 1);
        let (line, column, message) = err_at("{\n  \"a\": 1\n  \"b\": 2\n}");
        assert_eq!((line, column), (3, 3));
        assert!(message.contains("`,` or `}`"), "{message}");
        let (line, column, _) = err_at("[1, 2");
        assert_eq!((line, column), (1, 6));
        assert!(err_at("{'a': 1}").2.contains("string key"));
        assert!(err_at("[01]").2.contains("`,` or `]`"));
        assert!(err_at("[1.]").2.contains("decimal point"));
        assert!(err_at("\"a\nb\"").2.contains("control character"));
        assert!(err_at("[\"\\ud800\"]").2.contains("surrogate"));
        assert!(err_at("// comment\n{}").2.contains("a value"));
        assert!(err_at("{} x").2.contains("after the end"));
        assert!(err_at("").2.contains("end of the text"));
    }

    #[test]
    fn caps_depth_and_size() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(matches!(parse(&deep), Err(SyntaxError::TooDeep { .. })));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let big = " ".repeat(MAX_MANIFEST_BYTES + 1);
        assert!(matches!(parse(&big), Err(SyntaxError::TooLarge { .. })));
    }

    #[test]
    fn garbage_never_panics() {
        let samples = [
            "{",
            "[",
            "\"",
            "\\",
            "-",
            "1e",
            "{\"a\"",
            "{\"a\":",
            "[1,,2]",
            "\u{feff}{}",
            "tru",
            "\"\\u12\"",
        ];
        for s in samples {
            let _ = parse(s);
        }
        // Every prefix of a valid document.
        let doc = "{\"a\": [1, {\"b\": \"c\\n\"}], \"d\": null}";
        for i in 0..doc.len() {
            let _ = parse(&doc[..i]);
        }
    }
}
