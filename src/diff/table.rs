//! The diff as a table for people (`manju diff` without `--json`).

use super::{DramaDiff, ShotDiff, Span, What};
use crate::time::{Micros, to_seconds};

impl DramaDiff {
    /// A summary line, then one row per shot (shot, change, start, duration) with its
    /// details indented under it. Times in seconds; `a → b` where they differ.
    pub fn table(&self) -> String {
        let s = &self.summary;
        let mut out = format!(
            "{} shots → {}: {} to review ({} changed, {} added), {} removed, {} renamed, {} unchanged; {} → {}\n",
            s.old_shots,
            s.new_shots,
            s.review,
            s.changed,
            s.added,
            s.removed,
            s.renamed,
            s.unchanged,
            seconds(s.old_duration_us),
            seconds(s.new_duration_us),
        );
        let mut rows = vec![[
            "SHOT".to_string(),
            "CHANGE".to_string(),
            "START".to_string(),
            "DURATION".to_string(),
        ]];
        rows.extend(self.shots.iter().map(row));
        let widths: Vec<usize> = (0..4)
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for (k, r) in rows.iter().enumerate() {
            let mut line = String::new();
            for (c, cell) in r.iter().enumerate() {
                line.push_str(cell);
                if c < 3 {
                    let pad = widths[c] - cell.chars().count() + 2;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if k > 0 {
                for d in &self.shots[k - 1].details {
                    out.push_str(&format!("    {}: {}\n", d.change.name(), describe(&d.what)));
                }
            }
        }
        out
    }
}

fn row(s: &ShotDiff) -> [String; 4] {
    let id = match &s.old_id {
        Some(old) => format!("{old} → {}", s.id),
        None => s.id.clone(),
    };
    let mut change = s
        .changes
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ");
    if s.shift_us != 0 {
        change.push_str(&format!(", shifted {:+.2} s", to_seconds(s.shift_us)));
    }
    let both = |f: fn(&Span) -> Micros| match (&s.old, &s.new) {
        (Some(o), Some(n)) if f(o) != f(n) => format!("{} → {}", seconds(f(o)), seconds(f(n))),
        (_, Some(n)) => seconds(f(n)),
        (Some(o), None) => seconds(f(o)),
        (None, None) => String::new(),
    };
    [id, change, both(|x| x.start_us), both(|x| x.duration_us)]
}

fn seconds(t: Micros) -> String {
    format!("{:.2} s", to_seconds(t))
}

fn quoted(s: &str) -> String {
    format!("\u{201c}{s}\u{201d}")
}

fn or_none(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("none")
}

/// One detail in words.
fn describe(w: &What) -> String {
    match w {
        What::Duration { old_us, new_us } => {
            format!("duration {} → {}", seconds(*old_us), seconds(*new_us))
        }
        What::LineTiming {
            line,
            old_at_us,
            new_at_us,
            old_duration_us,
            new_duration_us,
        } => format!(
            "lines[{line}] at {} for {} → at {} for {}",
            seconds(*old_at_us),
            seconds(*old_duration_us),
            seconds(*new_at_us),
            seconds(*new_duration_us)
        ),
        What::LineText { line, old, new } => {
            format!("lines[{line}] text {} → {}", quoted(old), quoted(new))
        }
        What::LineSpeaker { line, old, new } => {
            format!("lines[{line}] speaker {} → {}", or_none(old), or_none(new))
        }
        What::LineDisplay { line, old, new } => format!("lines[{line}] display {old} → {new}"),
        What::LineLook {
            line,
            old_style,
            new_style,
        } => format!(
            "lines[{line}] look (style {} → {}, bubble or reveal)",
            or_none(old_style),
            or_none(new_style)
        ),
        What::LineAdded { line, text } => format!("lines[{line}] added: {}", quoted(text)),
        What::LineRemoved { line, text } => format!("lines[{line}] removed: {}", quoted(text)),
        What::Voice {
            line,
            old: Some(old),
            new: Some(new),
        } if old == new => format!("lines[{line}] voice {old} re-recorded or its volume changed"),
        What::Voice { line, old, new } => {
            format!("lines[{line}] voice {} → {}", or_none(old), or_none(new))
        }
        What::Sfx { index, old, new } => {
            format!("sfx[{index}] {} → {}", or_none(old), or_none(new))
        }
        What::Music { old, new } => {
            let list = |v: &[String]| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.join(", ")
                }
            };
            format!("music under the shot {} → {}", list(old), list(new))
        }
        What::Layers { old, new } => format!("layers {old} → {new}"),
        What::LayerImage { layer, old, new } if old == new => {
            format!("layers[{layer}] image {old} repainted (other bytes)")
        }
        What::LayerImage { layer, old, new } => format!("layers[{layer}] image {old} → {new}"),
        What::LayerCrop { layer } => format!("layers[{layer}] crop"),
        What::LayerPlacement { layer } => format!("layers[{layer}] placement or motion"),
        What::Camera => "camera".to_string(),
        What::Transition { old, new } => format!("transition in: {old} → {new}"),
        What::Effects { old, new } => format!("effects ({old} → {new})"),
        What::Canvas => "canvas size or background".to_string(),
        What::Intro => "the intro's fade".to_string(),
        What::Outro => "the outro's fade".to_string(),
    }
}
