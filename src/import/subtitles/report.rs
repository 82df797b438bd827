//! Problems found in a subtitle file. A long file with one mistake made a thousand times
//! should not give a thousand lines: each kind of problem is listed [`PER_KIND`] times,
//! then counted; and what concerns many cues alike (an override tag that is not
//! imported) is said once with the number of cues and the first one's line.

use super::clock;
use crate::problem::{Problem, Severity};
use crate::time::Micros;
use std::collections::BTreeMap;

/// How many problems of one kind are listed before the rest are only counted.
pub const PER_KIND: usize = 10;

pub struct Report {
    file: String,
    list: Vec<Problem>,
    per_kind: BTreeMap<&'static str, (Severity, usize)>,
    /// message → (cues, first line), in order of first appearance.
    tallies: Vec<(String, usize, u32)>,
}

impl Report {
    pub fn new(file: &str) -> Report {
        Report {
            file: file.to_string(),
            list: Vec::new(),
            per_kind: BTreeMap::new(),
            tallies: Vec::new(),
        }
    }

    fn push(
        &mut self,
        severity: Severity,
        kind: &'static str,
        line: u32,
        column: u32,
        message: String,
    ) {
        let seen = self.per_kind.entry(kind).or_insert((severity, 0));
        seen.1 += 1;
        if seen.1 <= PER_KIND {
            self.list.push(Problem {
                severity,
                path: self.file.clone(),
                message,
                line: Some(line),
                column: Some(column),
            });
        }
    }

    /// Whether a cue timed `start`–`end` (SRT, ASS) can be kept. One that ends before it
    /// starts is an error (at `end_column` of `line`), one that lasts no time a warning
    /// (at `empty_column`); either is skipped.
    pub fn keeps_span(
        &mut self,
        start: Micros,
        end: Micros,
        line: u32,
        end_column: u32,
        empty_column: u32,
    ) -> bool {
        if end < start {
            self.error(
                "cues that end before they start",
                line,
                end_column,
                format!(
                    "the cue ends ({}) before it starts ({}); the cue is skipped",
                    clock(end),
                    clock(start)
                ),
            );
            return false;
        }
        if end == start {
            self.warning(
                "empty cues",
                line,
                empty_column,
                "the cue lasts no time; it is skipped",
            );
            return false;
        }
        true
    }

    /// A cue or part of one could not be read and is left out.
    pub fn error(
        &mut self,
        kind: &'static str,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) {
        self.push(Severity::Error, kind, line, column, message.into());
    }

    /// Read, but not exactly as written.
    pub fn warning(
        &mut self,
        kind: &'static str,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, kind, line, column, message.into());
    }

    /// A warning about a feature many cues may share, reported once with a count.
    pub fn tally(&mut self, message: impl Into<String>, line: u32) {
        let message = message.into();
        match self.tallies.iter_mut().find(|t| t.0 == message) {
            Some(t) => {
                t.1 += 1;
                t.2 = t.2.min(line);
            }
            None => self.tallies.push((message, 1, line)),
        }
    }

    /// The file cannot be read at all.
    pub fn fatal(&mut self, line: Option<(u32, u32)>, message: impl Into<String>) {
        self.list.push(Problem {
            severity: Severity::Error,
            path: self.file.clone(),
            message: message.into(),
            line: line.map(|l| l.0),
            column: line.map(|l| l.1),
        });
    }

    pub fn finish(self) -> Vec<Problem> {
        let mut list = self.list;
        for (kind, (severity, n)) in self.per_kind {
            if n > PER_KIND {
                list.push(Problem {
                    severity,
                    path: self.file.clone(),
                    message: format!("{} more {kind} not listed", n - PER_KIND),
                    line: None,
                    column: None,
                });
            }
        }
        for (message, n, line) in self.tallies {
            let message = if n > 1 {
                format!("{message} ({n} cues; the first is here)")
            } else {
                message
            };
            list.push(Problem {
                severity: Severity::Warning,
                path: self.file.clone(),
                message,
                line: Some(line),
                column: Some(1),
            });
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_each_kind_a_few_times_then_counts() {
        let mut r = Report::new("a.srt");
        for i in 0..13 {
            r.warning("overlapping cues", i + 1, 1, format!("overlap {i}"));
        }
        r.tally("`\\blur` is not imported", 9);
        r.tally("`\\blur` is not imported", 4);
        let list = r.finish();
        assert_eq!(list.len(), PER_KIND + 2);
        assert_eq!(list[PER_KIND].message, "3 more overlapping cues not listed");
        assert_eq!(
            list[PER_KIND + 1].to_string(),
            "a.srt: warning: `\\blur` is not imported (2 cues; the first is here) (line 4, column 1)"
        );
    }
}
