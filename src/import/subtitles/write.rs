//! Manifest JSON out: a [`Json`] tree (the manifest reader's, so members keep the order
//! they were written in) printed two spaces per level, with any array or object that
//! fits on one line written on one line — a line of dialogue reads as one row.

use crate::model::json::{Json, Member, Pos, Value};
use std::fmt::Write;

/// Lines this long or shorter are kept on one line.
const WIDTH: usize = 100;

/// The document; its top level always takes a line per member.
pub fn to_string(json: &Json) -> String {
    let mut out = String::new();
    value(&mut out, json, 0, WIDTH);
    out.push('\n');
    out
}

fn value(out: &mut String, json: &Json, indent: usize, prefix: usize) {
    let flat = flat(json);
    let nested = matches!(&json.value, Value::Array(a) if !a.is_empty())
        || matches!(&json.value, Value::Object(m) if !m.is_empty());
    if !nested || indent + prefix + flat.chars().count() <= WIDTH {
        out.push_str(&flat);
        return;
    }
    let pad = "  ".repeat(indent + 1);
    match &json.value {
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                value(out, item, indent + 1, 0);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
        }
        Value::Object(members) => {
            out.push_str("{\n");
            for (i, m) in members.iter().enumerate() {
                let key = string(&m.key);
                let _ = write!(out, "{pad}{key}: ");
                value(out, &m.value, indent + 1, key.chars().count() + 2);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
        }
        _ => {}
    }
    out.push_str(&"  ".repeat(indent));
    out.push(if matches!(json.value, Value::Array(_)) {
        ']'
    } else {
        '}'
    });
}

fn flat(json: &Json) -> String {
    match &json.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number(*n),
        Value::String(s) => string(s),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(flat).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(members) if members.is_empty() => "{}".into(),
        Value::Object(members) => {
            let inner: Vec<String> = members
                .iter()
                .map(|m| format!("{}: {}", string(&m.key), flat(&m.value)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
    }
}

/// The shortest text that reads back as the same number (`2`, `0.3`, `1.234`).
pub fn number(n: f64) -> String {
    if n.is_finite() {
        // Rust prints the shortest round-tripping form, never with an exponent.
        format!("{n}")
    } else {
        "null".into()
    }
}

fn string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

// Building trees.

pub fn json(value: Value) -> Json {
    Json {
        value,
        pos: Pos::default(),
    }
}

pub fn num(n: f64) -> Json {
    json(Value::Number(n))
}

pub fn text(s: &str) -> Json {
    json(Value::String(s.to_string()))
}

pub fn object(members: Vec<(&str, Json)>) -> Json {
    json(Value::Object(
        members.into_iter().map(|(k, v)| member(k, v)).collect(),
    ))
}

pub fn member(key: &str, value: Json) -> Member {
    Member {
        key: key.to_string(),
        key_pos: Pos::default(),
        value,
    }
}

/// Seconds, from microseconds.
pub fn seconds(t: i64) -> Json {
    num(crate::time::to_seconds(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_short_things_on_one_line() {
        let doc = object(vec![
            ("format", text("manju/1")),
            (
                "shots",
                json(Value::Array(vec![object(vec![
                    ("duration", num(2.5)),
                    (
                        "lines",
                        json(Value::Array(vec![object(vec![
                            ("text", text("你好 \"hi\"")),
                            ("at", seconds(300_000)),
                        ])])),
                    ),
                ])])),
            ),
            ("empty", json(Value::Array(vec![]))),
        ]);
        assert_eq!(
            to_string(&doc),
            "{\n  \"format\": \"manju/1\",\n  \"shots\": [{ \"duration\": 2.5, \"lines\": [{ \"text\": \"你好 \\\"hi\\\"\", \"at\": 0.3 }] }],\n  \"empty\": []\n}\n"
        );
        let long = object(vec![("text", text(&"x".repeat(120))), ("at", num(1.0))]);
        assert_eq!(
            to_string(&long),
            format!(
                "{{\n  \"text\": \"{}\",\n  \"at\": 1\n}}\n",
                "x".repeat(120)
            )
        );
        assert_eq!(number(1e21), "1000000000000000000000");
    }
}
