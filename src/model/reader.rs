//! Walks the parsed JSON with its path, collecting every problem instead of stopping
//! at the first: type errors, out-of-range numbers, unknown fields (with the nearest
//! known name as a suggestion).

use super::json::{Json, Member, Pos, Value};
use super::schema::{Def, Field, Ty};
use crate::problem::Problem;
use crate::time::{Micros, from_seconds};

/// The problems found so far.
#[derive(Default)]
pub struct Problems {
    pub list: Vec<Problem>,
}

impl Problems {
    pub fn error(&mut self, path: &str, pos: Pos, message: impl Into<String>) {
        self.list
            .push(Problem::error(path, message).at(pos.line, pos.column));
    }

    pub fn warning(&mut self, path: &str, pos: Pos, message: impl Into<String>) {
        self.list
            .push(Problem::warning(path, message).at(pos.line, pos.column));
    }
}

/// `parent.key`, or `key` at the top.
pub fn field_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

pub fn index_path(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// An object being read against its schema definition: remembers which members were
/// read, so that [`Obj::finish`] can report the rest as unknown fields (with the nearest
/// field of the definition as a suggestion) and the definition's required fields that
/// are missing.
pub struct Obj<'a> {
    members: &'a [Member],
    used: Vec<bool>,
    def: &'static Def,
    pos: Pos,
    pub path: String,
}

impl<'a> Obj<'a> {
    /// Starts reading `json` as an object of kind `def`; reports an error and returns
    /// `None` when it is not an object.
    pub fn new(json: &'a Json, path: &str, def: &'static Def, p: &mut Problems) -> Option<Obj<'a>> {
        match &json.value {
            Value::Object(members) => {
                let mut seen = std::collections::HashSet::new();
                for m in members {
                    if !seen.insert(m.key.as_str()) {
                        p.error(
                            &field_path(path, &m.key),
                            m.key_pos,
                            format!("`{}` is given twice", m.key),
                        );
                    }
                }
                Some(Obj {
                    members,
                    used: vec![false; members.len()],
                    def,
                    pos: json.pos,
                    path: path.to_string(),
                })
            }
            other => {
                p.error(
                    path,
                    json.pos,
                    format!("expected an object, found {}", other.type_name()),
                );
                None
            }
        }
    }

    pub fn path_of(&self, key: &str) -> String {
        field_path(&self.path, key)
    }

    /// The definition's field `key`. Asking for a field the schema does not declare is
    /// a bug in the reader, caught by the tests.
    fn field(&self, key: &str) -> &'static Field {
        self.def
            .field(key)
            .unwrap_or_else(|| panic!("the schema's `{}` has no field `{key}`", self.def.name))
    }

    /// The member `key`, if present.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Json> {
        self.field(key);
        let i = self.members.iter().position(|m| m.key == key)?;
        self.used[i] = true;
        Some(&self.members[i].value)
    }

    /// Accepts `key` without reading it (free-form members such as `meta`).
    pub fn allow(&mut self, key: &'static str) -> Option<&'a Json> {
        self.get(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.members.iter().any(|m| m.key == key)
    }

    /// Reports every member that was never read, and the required fields that are missing.
    pub fn finish(self, p: &mut Problems) {
        for (m, used) in self.members.iter().zip(&self.used) {
            if *used {
                continue;
            }
            let mut message = format!("unknown field `{}`", m.key);
            if let Some(near) = nearest(&m.key, self.def.names()) {
                message.push_str(&format!("; did you mean `{near}`?"));
            } else {
                let names: Vec<&str> = self.def.names().collect();
                message.push_str(&format!(" (expected one of: {})", names.join(", ")));
            }
            p.error(&field_path(&self.path, &m.key), m.key_pos, message);
        }
        for name in self.def.required {
            if !self.has(name) {
                let doc = self.def.field(name).map_or("", |f| f.doc);
                let path = if self.path.is_empty() {
                    (*name).to_string()
                } else {
                    self.path.clone()
                };
                p.error(&path, self.pos, format!("missing `{name}`: {doc}"));
            }
        }
    }

    /// A number within the schema's range for `key`; anything else is reported and dropped.
    pub fn number(&mut self, key: &'static str, p: &mut Problems) -> Option<f64> {
        let path = self.path_of(key);
        let (min, max) = match self.field(key).ty {
            Ty::Number { min, max } => (min, max),
            ref other => panic!("`{key}` is {other:?}, not a number"),
        };
        self.get(key).and_then(|j| number_in(j, &path, min, max, p))
    }

    /// Seconds within the schema's range for `key`, in microseconds.
    pub fn seconds(&mut self, key: &'static str, p: &mut Problems) -> Option<Micros> {
        let path = self.path_of(key);
        let min = match self.field(key).ty {
            Ty::Seconds { min } => min,
            ref other => panic!("`{key}` is {other:?}, not seconds"),
        };
        self.get(key)
            .and_then(|j| number_in(j, &path, min, MAX_SECONDS, p))
            .map(from_seconds)
    }

    pub fn string(&mut self, key: &'static str, p: &mut Problems) -> Option<&'a str> {
        let path = self.path_of(key);
        self.get(key).and_then(|j| string(j, &path, p))
    }

    pub fn boolean(&mut self, key: &'static str, p: &mut Problems) -> Option<bool> {
        let path = self.path_of(key);
        let j = self.get(key)?;
        match j.value {
            Value::Bool(b) => Some(b),
            ref other => {
                p.error(
                    &path,
                    j.pos,
                    format!("expected true or false, found {}", other.type_name()),
                );
                None
            }
        }
    }

    /// One of the schema's values for `key`; anything else is reported with the nearest.
    pub fn choice(&mut self, key: &'static str, p: &mut Problems) -> Option<&'static str> {
        let path = self.path_of(key);
        let names = match self.field(key).ty {
            Ty::OneOf(names) => names,
            ref other => panic!("`{key}` is {other:?}, not a choice"),
        };
        self.get(key).and_then(|j| choice(j, &path, names, p))
    }

    pub fn array(&mut self, key: &'static str, p: &mut Problems) -> Option<&'a [Json]> {
        let path = self.path_of(key);
        self.get(key).and_then(|j| array(j, &path, p))
    }
}

pub use super::schema::MAX_SECONDS;

pub fn number(j: &Json, path: &str, p: &mut Problems) -> Option<f64> {
    match j.value {
        Value::Number(n) => Some(n),
        ref other => {
            p.error(
                path,
                j.pos,
                format!("expected a number, found {}", other.type_name()),
            );
            None
        }
    }
}

pub fn number_in(j: &Json, path: &str, min: f64, max: f64, p: &mut Problems) -> Option<f64> {
    let n = number(j, path, p)?;
    if n < min || n > max {
        let range = if max == f64::INFINITY || max == MAX_SECONDS {
            format!("at least {min}")
        } else {
            format!("between {min} and {max}")
        };
        p.error(path, j.pos, format!("{n} is out of range: must be {range}"));
        return None;
    }
    Some(n)
}

pub fn string<'a>(j: &'a Json, path: &str, p: &mut Problems) -> Option<&'a str> {
    match &j.value {
        Value::String(s) => Some(s),
        other => {
            p.error(
                path,
                j.pos,
                format!("expected a string, found {}", other.type_name()),
            );
            None
        }
    }
}

pub fn array<'a>(j: &'a Json, path: &str, p: &mut Problems) -> Option<&'a [Json]> {
    match &j.value {
        Value::Array(items) => Some(items),
        other => {
            p.error(
                path,
                j.pos,
                format!("expected an array, found {}", other.type_name()),
            );
            None
        }
    }
}

pub fn choice(
    j: &Json,
    path: &str,
    names: &[&'static str],
    p: &mut Problems,
) -> Option<&'static str> {
    let s = string(j, path, p)?;
    if let Some(name) = names.iter().find(|n| **n == s) {
        return Some(name);
    }
    let mut message = format!("unknown value `{s}`");
    match nearest(s, names.iter().copied()) {
        Some(near) => message.push_str(&format!("; did you mean `{near}`?")),
        None => message.push_str(&format!(" (expected one of: {})", names.join(", "))),
    }
    p.error(path, j.pos, message);
    None
}

/// A list of exactly `N` numbers, such as `[x, y, w, h]`.
pub fn numbers<const N: usize>(j: &Json, path: &str, p: &mut Problems) -> Option<[f64; N]> {
    let items = array(j, path, p)?;
    if items.len() != N {
        p.error(
            path,
            j.pos,
            format!("expected {N} numbers, found {}", items.len()),
        );
        return None;
    }
    let mut out = [0.0; N];
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match number(item, &index_path(path, i), p) {
            Some(n) => out[i] = n,
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// The closest of `candidates` to `word` by edit distance, if close enough to be a typo.
pub fn nearest<'n>(word: &str, candidates: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    let limit = match word.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    candidates
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let names = ["duration", "layers", "camera", "transition"];
        assert_eq!(nearest("duraton", names.iter().copied()), Some("duration"));
        assert_eq!(nearest("Camera", names.iter().copied()), Some("camera"));
        assert_eq!(
            nearest("transitoin", names.iter().copied()),
            Some("transition")
        );
        assert_eq!(nearest("xyz", names.iter().copied()), None);
    }
}
