//! CSV as storyboards are written (RFC 4180: fields separated by commas — or by the tab
//! or semicolon the header line uses —, quoted with `"`, a quote inside a quoted field
//! doubled), read strictly so that every mistake has its row and column. The `csv` crate
//! reads a stray quote as text and an unclosed one to the end of the file without a word;
//! a storyboard's author needs to hear where the quote went wrong.

/// One field and where it starts (1-based line and column of the text).
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub text: String,
    pub line: u32,
    pub column: u32,
}

/// A mistake in the CSV text: what, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// The records of `text` (the header first), and the mistakes found. Reading stops at an
/// unclosed quote (everything after it is inside it); a stray quote is reported and its
/// field read as it stands.
pub fn records(text: &str) -> (Vec<Vec<Field>>, Vec<CsvError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = delimiter(text.lines().next().unwrap_or(""));
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut record: Vec<Field> = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1u32, 1u32);
    let mut at_record_start = true;
    loop {
        // One field.
        let (start_line, start_column) = (line, column);
        let mut field = String::new();
        let mut end_of_record = false;
        match chars.peek() {
            None => {
                if !at_record_start {
                    record.push(Field {
                        text: field,
                        line,
                        column,
                    });
                    out.push(std::mem::take(&mut record));
                }
                break;
            }
            Some('"') => {
                chars.next();
                column += 1;
                let mut closed = false;
                while let Some(c) = chars.next() {
                    column += 1;
                    match c {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            column += 1;
                            field.push('"');
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\n' => {
                            field.push('\n');
                            line += 1;
                            column = 1;
                        }
                        c => field.push(c),
                    }
                }
                if !closed {
                    errors.push(CsvError {
                        line: start_line,
                        column: start_column,
                        message:
                            "this quote is never closed: the rest of the file would be one field"
                                .into(),
                    });
                    return (out, errors);
                }
                // After the closing quote: the delimiter, the end of the line, or the end.
                let mut stray = false;
                loop {
                    match chars.peek() {
                        Some(&c) if c == delimiter => {
                            chars.next();
                            column += 1;
                            break;
                        }
                        Some('\r') => {
                            chars.next();
                            column += 1;
                        }
                        Some('\n') => {
                            chars.next();
                            line += 1;
                            column = 1;
                            end_of_record = true;
                            break;
                        }
                        None => {
                            end_of_record = true;
                            break;
                        }
                        Some(&c) => {
                            if !stray {
                                errors.push(CsvError {
                                    line,
                                    column,
                                    message: format!(
                                        "{c:?} after a closing quote: a quoted field ends at its quote (double a quote to write one inside)"
                                    ),
                                });
                                stray = true;
                            }
                            field.push(c);
                            chars.next();
                            column += 1;
                        }
                    }
                }
            }
            Some(_) => {
                let mut stray = false;
                loop {
                    match chars.peek() {
                        Some(&c) if c == delimiter => {
                            chars.next();
                            column += 1;
                            break;
                        }
                        Some('\n') => {
                            chars.next();
                            line += 1;
                            column = 1;
                            end_of_record = true;
                            break;
                        }
                        None => {
                            end_of_record = true;
                            break;
                        }
                        Some(&c) => {
                            if c == '"' && !stray {
                                stray = true;
                                errors.push(CsvError {
                                line,
                                column,
                                message: "a quote inside a field that does not start with one: put the whole field in quotes and double this quote".into(),
                            });
                            }
                            if c != '\r' {
                                field.push(c);
                            }
                            chars.next();
                            column += 1;
                        }
                    }
                }
            }
        }
        record.push(Field {
            text: field,
            line: start_line,
            column: start_column,
        });
        at_record_start = end_of_record;
        if end_of_record {
            let blank = record.len() == 1 && record[0].text.trim().is_empty();
            let record = std::mem::take(&mut record);
            if !blank {
                out.push(record);
            }
        }
    }
    (out, errors)
}

/// The header line's separator: a comma unless it holds more tabs or semicolons.
fn delimiter(header: &str) -> char {
    let count = |d| header.matches(d).count();
    [',', '\t', ';']
        .into_iter()
        .max_by_key(|&d| (count(d), d == ','))
        .unwrap_or(',')
}

#[cfg(test)]
mod tests {

    fn texts(text: &str) -> Vec<Vec<String>> {
        let (rows, errors) = super::records(text);
        assert!(errors.is_empty(), "{errors:?}");
        rows.into_iter()
            .map(|r| r.into_iter().map(|f| f.text).collect())
            .collect()
    }

    #[test]
    fn fields_quotes_and_line_breaks() {
        assert_eq!(
            texts("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\n"),
            [
                vec!["a", "b"],
                vec!["x, y", "say \"hi\""],
                vec!["two\nlines", ""]
            ]
        );
        assert_eq!(
            texts("镜头\t画面\n1\ta.png"),
            [vec!["镜头", "画面"], vec!["1", "a.png"]]
        );
        assert_eq!(texts("a;b\n1;2\n\n"), [vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(texts("\u{feff}a,b"), [vec!["a", "b"]]);
    }

    #[test]
    fn where_fields_start() {
        let (rows, _) = super::records("a,b\n\"q\nq\",third");
        assert_eq!((rows[1][0].line, rows[1][0].column), (2, 1));
        assert_eq!((rows[1][1].line, rows[1][1].column), (3, 4));
    }

    #[test]
    fn stray_and_unclosed_quotes_are_located() {
        let (rows, errors) = super::records("a,b\nhe said \"no\",2\n");
        assert_eq!(rows[1][0].text, "he said \"no\"");
        assert_eq!((errors[0].line, errors[0].column), (2, 9));
        let (_, errors) = super::records("a,b\n\"ok\"x,2\n");
        assert_eq!((errors[0].line, errors[0].column), (2, 5));
        let (rows, errors) = super::records("a,b\n1,2\n3,\"never closed\n4,5\n");
        assert_eq!(rows.len(), 2);
        assert_eq!((errors[0].line, errors[0].column), (3, 3));
        assert!(errors[0].message.contains("never closed"));
    }
}
