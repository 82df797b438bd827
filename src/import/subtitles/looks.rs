//! Cues' looks → manju styles, and cues → manifest lines.
//!
//! A cue with an ASS style gets a manju style of that name (font, size, colour,
//! outline as `stroke`/`stroke_width`, `BorderStyle=3` as a `background` box with the
//! outline width as `padding`, alignment as `align` + `position`, margins as `margin`
//! and `max_width`), lengths scaled from the script's `PlayResX`×`PlayResY` to the
//! canvas. A cue whose own tags or settings change that look gets a variant (`Default-1`,
//! or `cue-1` for SRT and WebVTT), one per distinct look. A line stays a `subtitle`:
//! a position (`\pos`, WebVTT `line`/`position`) becomes the subtitle block's `position`
//! and `margin` (exact for a top or bottom anchor) and, horizontally, `align` with a
//! `max_width` that puts the block's edge at the point (exact for a left anchor left of
//! the centre, a right anchor right of it, a centre anchor at the centre). Anything else
//! is approximated with a warning, the exact value kept in the line's `meta.subtitle`,
//! as are what manju/1 lines cannot show: bold and italic, fades, karaoke timing.

use super::report::Report;
use super::write::{self, json, member, num, object, seconds, text};
use super::{Cue, CueLook, ImportedCues};
use crate::model::Rgba8;
use crate::model::json::{Json, Member, Value};
use crate::time::Micros;

/// Built-in style names: a file's style of that name would restyle every line.
const BUILTIN_STYLES: [&str; 4] = ["subtitle", "bubble", "caption", "sfx"];

/// A value's one-line text, to compare values read from a file with values built here.
pub fn canonical(j: &Json) -> String {
    write::to_string(&object(vec![("v", j.clone())]))
}

/// Turns cues' looks into styles and lines.
pub struct Looks<'a> {
    cues: &'a ImportedCues,
    canvas: (f64, f64),
    /// Frame units → canvas pixels, across and down.
    scale: (f64, f64),
    /// The manifest's styles: name → canonical value.
    existing: Vec<(String, String)>,
    characters: Vec<(String, String)>,
    /// Styles written so far: (base name, canonical value, name).
    assigned: Vec<(String, String, String)>,
    styles: Vec<Member>,
    pub report: Report,
}

impl<'a> Looks<'a> {
    pub fn new(
        cues: &'a ImportedCues,
        canvas: (u32, u32),
        existing: Vec<(String, String)>,
        characters: Vec<(String, String)>,
    ) -> Looks<'a> {
        let canvas = (f64::from(canvas.0), f64::from(canvas.1));
        let (fw, fh) = cues.frame.unwrap_or(canvas);
        let mut report = Report::new(&cues.file_name);
        // Bold and italic of whole styles: said once per style.
        for style in &cues.styles {
            if style.look.bold == Some(true) || style.look.italic == Some(true) {
                let used = cues
                    .cues
                    .iter()
                    .find(|c| c.style.as_deref() == Some(&style.name));
                if let Some(cue) = used {
                    report.tally(
                        format!(
                            "style `{}` is {}; manju/1 styles have no weight or slant, so its text is drawn regular",
                            style.name,
                            match (style.look.bold == Some(true), style.look.italic == Some(true)) {
                                (true, true) => "bold and italic",
                                (true, false) => "bold",
                                _ => "italic",
                            }
                        ),
                        cue.line,
                    );
                }
            }
        }
        Looks {
            cues,
            canvas,
            scale: (canvas.0 / fw, canvas.1 / fh),
            existing,
            characters,
            assigned: Vec::new(),
            styles: Vec::new(),
            report,
        }
    }

    pub fn finish(self) -> (Vec<Member>, Report) {
        (self.styles, self.report)
    }

    /// One line of the manifest for `cue` (or for the part of it from `at`, when `continued`).
    pub fn line(&mut self, cue: &Cue, at: Micros, duration: Micros, continued: bool) -> Json {
        let mut members = Vec::new();
        if let Some(who) = &cue.speaker {
            let id = self
                .characters
                .iter()
                .find(|(id, name)| id == who || name == who)
                .map_or(who.as_str(), |(id, _)| id.as_str());
            members.push(member("speaker", text(id)));
        }
        members.push(member("text", text(&cue.text)));
        members.push(member("at", seconds(at)));
        members.push(member("duration", seconds(duration)));
        let mut meta = Vec::new();
        if let Some(style) = self.style_of(cue, &mut meta) {
            members.push(member("style", text(&style)));
        }
        for (flag, name) in [(cue.look.bold, "bold"), (cue.look.italic, "italic")] {
            if let Some(v) = flag {
                meta.push(member(name, json(Value::Bool(v))));
                if v {
                    self.report.tally(
                        "bold and italic are not part of manju/1 styles: the text is drawn regular \
                         (kept in the line's meta.subtitle)",
                        cue.line,
                    );
                }
            }
        }
        if let Some((fade_in, fade_out)) = cue.fade {
            meta.push(member(
                "fade",
                json(Value::Array(vec![seconds(fade_in), seconds(fade_out)])),
            ));
            self.report.tally(
                "fades (\\fad) are not part of manju/1 lines: the text appears and goes at once \
                 (kept in the line's meta.subtitle.fade)",
                cue.line,
            );
        }
        if !cue.karaoke.is_empty() {
            let syllables = cue
                .karaoke
                .iter()
                .map(|s| json(Value::Array(vec![seconds(s.duration), text(&s.text)])))
                .collect();
            meta.push(member("karaoke", json(Value::Array(syllables))));
            self.report.tally(
                "karaoke (\\k, \\kf, \\ko) is approximated: the whole text shows for the whole cue \
                 (syllable times kept in the line's meta.subtitle.karaoke)",
                cue.line,
            );
        }
        if continued {
            meta.push(member("continued", json(Value::Bool(true))));
        }
        if !meta.is_empty() {
            members.push(member(
                "meta",
                object(vec![("subtitle", json(Value::Object(meta)))]),
            ));
        }
        json(Value::Object(members))
    }

    /// The name of the style a cue is drawn in, adding it (or a variant) when new.
    fn style_of(&mut self, cue: &Cue, meta: &mut Vec<Member>) -> Option<String> {
        let look = self.cues.effective_look(cue);
        let fields = self.style_fields(&look, &cue.text, Some((cue, meta)));
        let base_name = cue.style.clone();
        let base_fields = base_name
            .as_deref()
            .and_then(|n| self.cues.style(n))
            .map(|s| self.style_fields(&s.look, "", None));
        if fields.is_empty() && base_fields.is_none() {
            return None;
        }
        let value = object(fields);
        let key = canonical(&value);
        let base = base_name.unwrap_or_else(|| "cue".to_string());
        if let Some((_, _, name)) = self
            .assigned
            .iter()
            .find(|(b, k, _)| *b == base && *k == key)
        {
            return Some(name.clone());
        }
        let is_base = base_fields.is_some_and(|b| canonical(&object(b)) == key);
        let variants = self
            .assigned
            .iter()
            .filter(|(b, _, name)| *b == base && *name != base)
            .count();
        let mut name = if is_base {
            base.clone()
        } else {
            format!("{base}-{}", variants + 1)
        };
        // A name the manifest already gives another look to is not reused.
        let mut n = 2;
        loop {
            let taken_by = self
                .existing
                .iter()
                .find(|(e, _)| *e == name)
                .map(|(_, v)| v)
                .or_else(|| {
                    self.assigned
                        .iter()
                        .find(|(.., a)| *a == name)
                        .map(|(_, v, _)| v)
                });
            let builtin = BUILTIN_STYLES.contains(&name.as_str());
            match taken_by {
                Some(v) if *v == key && !builtin => {
                    self.assigned.push((base, key, name.clone()));
                    return Some(name);
                }
                None if !builtin => break,
                _ => {
                    name = format!("{base}-{n}");
                    n += 1;
                }
            }
        }
        self.assigned.push((base, key, name.clone()));
        self.styles.push(member(&name, value));
        Some(name)
    }

    /// A look as manju style fields. For a cue (`Some`), positions that a subtitle cannot
    /// take are reported and kept in its meta.
    fn style_fields(
        &mut self,
        look: &CueLook,
        text_of: &str,
        cue: Option<(&Cue, &mut Vec<Member>)>,
    ) -> Vec<(&'static str, Json)> {
        let (sx, sy) = self.scale;
        let (w, h) = self.canvas;
        let round = |v: f64| (v * 100.0).round() / 100.0;
        let hex = |c: Rgba8| text(&c.to_hex());
        let mut f: Vec<(&'static str, Json)> = Vec::new();
        if let Some(font) = &look.font {
            f.push(("font", text(font)));
        }
        let size = look.size.map(|s| round(s * sy).clamp(1.0, 2000.0));
        if let Some(s) = size {
            f.push(("size", num(s)));
        }
        if let Some(c) = look.color {
            f.push(("color", hex(c)));
        }
        let outline = look.outline.map(|o| round(o * sy));
        match look.background {
            Some(Some(bg)) => {
                f.push(("stroke", json(Value::Null)));
                f.push(("background", hex(bg)));
                if let Some(o) = outline {
                    f.push(("padding", num(o.clamp(0.0, 2000.0))));
                }
            }
            background => {
                match (look.outline_color, outline) {
                    (_, Some(o)) if o <= 0.0 => f.push(("stroke", json(Value::Null))),
                    (Some(c), _) => f.push(("stroke", hex(c))),
                    _ => {}
                }
                if let Some(o) = outline.filter(|&o| o > 0.0) {
                    f.push(("stroke_width", num(o.min(200.0))));
                }
                if background == Some(None) {
                    f.push(("background", json(Value::Null)));
                }
            }
        }
        let placed = look.alignment.is_some()
            || look.x.is_some()
            || look.y.is_some()
            || look.margin_v.is_some()
            || look.margin_l.is_some()
            || look.margin_r.is_some()
            || look.width.is_some();
        if !placed {
            return f;
        }
        let an = look.alignment.unwrap_or(2).clamp(1, 9);
        let (column, row) = ((an - 1) % 3, (an - 1) / 3);
        let mut align = ["left", "center", "right"][usize::from(column)];
        let mut max_width = None;
        let mut lost = Vec::new();
        match look.x {
            Some(x) => {
                let x = x * sx;
                match column {
                    0 if x <= 0.4 * w => max_width = Some(w - 2.0 * x),
                    2 if x >= 0.6 * w => max_width = Some(2.0 * x - w),
                    1 if (x - w / 2.0).abs() <= 0.02 * w => {}
                    _ => {
                        align = "center";
                        lost.push("across");
                    }
                }
            }
            None => {
                if let Some(width) = look.width {
                    max_width = Some(width * sx);
                } else if look.margin_l.is_some() || look.margin_r.is_some() {
                    let room =
                        w - (look.margin_l.unwrap_or(0.0) + look.margin_r.unwrap_or(0.0)) * sx;
                    if room >= 0.2 * w {
                        max_width = Some(room);
                    }
                }
            }
        }
        let (position, margin) = match look.y {
            Some(y) => {
                let y = y * sy;
                match row {
                    0 => ("bottom", Some(h - y)),
                    2 => ("top", Some(y)),
                    _ if (y - h / 2.0).abs() <= 0.02 * h => ("center", None),
                    _ => {
                        lost.push("down");
                        let lines = text_of.lines().count().max(1) as f64;
                        let half = size.unwrap_or(56.0) * 1.3 * lines / 2.0;
                        if y < h / 2.0 {
                            ("top", Some(y - half))
                        } else {
                            ("bottom", Some(h - y - half))
                        }
                    }
                }
            }
            None => (
                ["bottom", "center", "top"][usize::from(row)],
                look.margin_v.filter(|_| row != 1).map(|m| m * sy),
            ),
        };
        f.push(("align", text(align)));
        if let Some(mw) = max_width {
            f.push(("max_width", num(round(mw).clamp(1.0, 100_000.0))));
        }
        f.push(("position", text(position)));
        if let Some(m) = margin {
            f.push(("margin", num(round(m).clamp(-100_000.0, 100_000.0))));
        }
        if let Some((cue, meta)) = cue
            && !lost.is_empty()
        {
            let (x, y) = (look.x.unwrap_or(0.0), look.y.unwrap_or(0.0));
            meta.push(member("pos", json(Value::Array(vec![num(x), num(y)]))));
            meta.push(member("an", num(f64::from(an))));
            self.report.tally(
                format!(
                    "a position a subtitle cannot take exactly ({} at ({}, {})) is approximated \
                     (kept in the line's meta.subtitle.pos)",
                    anchor_name(an),
                    write::number(round(x)),
                    write::number(round(y))
                ),
                cue.line,
            );
        }
        f
    }
}

fn anchor_name(an: u8) -> &'static str {
    [
        "bottom-left anchor",
        "bottom-centre anchor",
        "bottom-right anchor",
        "middle-left anchor",
        "centre anchor",
        "middle-right anchor",
        "top-left anchor",
        "top-centre anchor",
        "top-right anchor",
    ][usize::from(an.clamp(1, 9) - 1)]
}
