//! OpenTimelineIO (`.otio`, the JSON an NLE exports) → a drama cut as the timeline is.
//!
//! - Items of the first video track become shots, one after the other, at the times
//!   OpenTimelineIO itself gives them (`range_in_parent`): a clip lasts its
//!   `source_range.duration` (else its media's `available_range`), a gap becomes a shot
//!   with no layers (the canvas background) of the gap's length. Times are
//!   `value / rate` seconds, summed before they are rounded to microseconds, so every cut
//!   falls where OpenTimelineIO puts it.
//! - A clip's `ExternalReference` to an image in the draft (a `file://` URL or a relative
//!   path, looked up inside the draft's folder) is the shot's one layer; an
//!   `ImageSequenceReference` shows the frame the clip starts on. A video file shows a
//!   still of the same name beside it when there is one. Anything else
//!   (`MissingReference`, `GeneratorReference`, a video without a still, a file not in
//!   the draft) is a visible placeholder — a caption naming the clip — and a warning.
//! - The clip's name becomes the shot's id (sanitised, unique) and stays in the shot's
//!   `meta.otio` with the item's place in the file.
//! - `Transition`s keep their kind where Manju has one (`SMPTE_Dissolve` → `crossfade`;
//!   wipes, pushes, slides, zooms, dips to black or white by name), else `crossfade` with
//!   a warning. OpenTimelineIO's transition overlaps its neighbours without moving the
//!   cut (`in_offset` before it, `out_offset` after); Manju's is centred on the cut, so
//!   the cut and the episode's length stay and the transition lasts `in + out`. One at
//!   the track's start is the `intro`, one at its end the `outro`.
//! - Audio tracks: a clip of 10 s or more is `music` at its times; a shorter one an `sfx`
//!   of the shot it starts in. Clips play from their file's start.
//! - Markers (on clips, gaps, nested items, the track, the top stack) become lines of the
//!   shot's `notes` (`marker <name> at <t> s: <comment>`, the time in the episode) until
//!   review notes are part of the manifest.
//! - Nested stacks and tracks are flattened (their first track, trimmed to their
//!   `source_range`) with a warning naming them; more video tracks than the first are
//!   named in a warning and left out. `global_start_time` is kept in `meta.otio`: shots
//!   start at 0, as OpenTimelineIO's own ranges do.

use super::source::{Files, Imported, Kind, Options, read_json};
use crate::problem::Problem;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How deep nested stacks and tracks are followed: past it an item is a gap.
const MAX_DEPTH: usize = 16;
/// Most shots an import makes (each item of a hostile file could be one).
const MAX_SHOTS: usize = 20_000;
/// Most markers noted (a shot's notes are read by a person).
const MAX_MARKERS: usize = 10_000;
/// An audio clip this long or longer is music; shorter, a sound effect.
const MUSIC_SECONDS: f64 = 10.0;
/// The longest an item or the whole timeline may be, in seconds (the format's limit).
const MAX_SECONDS: f64 = crate::model::schema::MAX_SECONDS;

/// Whether a JSON document is an OpenTimelineIO timeline.
pub fn is_otio(json: &Value) -> bool {
    schema_of(json).0 == "Timeline"
}

/// `"Clip.2"` → (`"Clip"`, 2).
fn schema_of(v: &Value) -> (&str, u32) {
    let s = v["OTIO_SCHEMA"].as_str().unwrap_or("");
    match s.rsplit_once('.') {
        Some((name, version)) => (name, version.parse().unwrap_or(0)),
        None => (s, 0),
    }
}

/// What a shot shows.
#[derive(Clone, Debug, PartialEq)]
enum Media {
    /// An image of the draft (its path).
    Image(String),
    /// Nothing (a gap): the background.
    Gap,
    /// A placeholder naming what is missing.
    Placeholder(String),
}

/// A stretch of the flattened video track.
#[derive(Clone, Debug)]
struct Segment {
    /// Seconds from the track's start.
    start: f64,
    duration: f64,
    name: String,
    /// The item's JSON path.
    at: String,
    media: Media,
    /// Episode time of the item's own time 0 (where its markers are counted from).
    marker_base: f64,
    markers: Vec<Value>,
    marker_at: String,
}

/// A transition on the flattened track, before segment `before`.
struct Cut {
    before: usize,
    kind: &'static str,
    in_offset: f64,
    out_offset: f64,
    at: String,
}

struct Importer<'a> {
    entry: String,
    dir: String,
    names: HashSet<String>,
    problems: Vec<Problem>,
    assets: BTreeMap<String, String>,
    by_path: HashMap<String, String>,
    files: &'a dyn Files,
    placeholders: usize,
    sequences: usize,
    nested: usize,
    rate: Option<f64>,
}

impl Importer<'_> {
    fn warn(&mut self, at: &str, message: impl Into<String>) {
        self.problems
            .push(Problem::warning(format!("{}: {at}", self.entry), message));
    }

    /// A RationalTime in seconds; `None` (with a warning) when it is not one.
    fn time(&mut self, v: &Value, at: &str) -> Option<f64> {
        if v.is_null() {
            return None;
        }
        let value = v["value"].as_f64();
        let rate = v["rate"].as_f64();
        match (value, rate) {
            (Some(value), Some(rate)) if rate.is_finite() && rate > 0.0 && value.is_finite() => {
                let s = value / rate;
                if s.abs() > MAX_SECONDS {
                    self.warn(
                        at,
                        format!(
                            "{value}/{rate} s is more than a day ({MAX_SECONDS} s): read as {MAX_SECONDS} s"
                        ),
                    );
                    return Some(MAX_SECONDS.copysign(s));
                }
                Some(s)
            }
            (_, Some(rate)) if !(rate.is_finite() && rate > 0.0) => {
                self.warn(
                    &format!("{at}.rate"),
                    format!("rate {rate}: not a frame rate above 0"),
                );
                None
            }
            _ => {
                self.warn(at, "not a RationalTime (value and rate numbers)");
                None
            }
        }
    }

    /// A TimeRange: (start, duration) in seconds, a negative duration read as 0.
    fn range(&mut self, v: &Value, at: &str) -> Option<(f64, f64)> {
        if v.is_null() {
            return None;
        }
        let start = if v["start_time"].is_null() {
            0.0
        } else {
            self.time(&v["start_time"], &format!("{at}.start_time"))?
        };
        let duration = self.time(&v["duration"], &format!("{at}.duration"))?;
        if duration < 0.0 {
            self.warn(
                &format!("{at}.duration"),
                format!("{duration} s: a negative duration, read as 0"),
            );
            return Some((start, 0.0));
        }
        Some((start, duration))
    }

    /// The media reference a clip shows (Clip.2's active one, or Clip.1's), and its path.
    fn media_reference<'v>(&self, clip: &'v Value, at: &str) -> (&'v Value, String) {
        if let Some(refs) = clip["media_references"].as_object() {
            let key = clip["active_media_reference_key"]
                .as_str()
                .unwrap_or("DEFAULT_MEDIA");
            if let Some(r) = refs.get(key) {
                return (r, format!("{at}.media_references.{key}"));
            }
        }
        (&clip["media_reference"], format!("{at}.media_reference"))
    }

    /// An item's own length: `source_range`, else what it holds.
    fn item_range(&mut self, item: &Value, at: &str, depth: usize) -> Option<(f64, f64)> {
        if let Some(r) = self.range(&item["source_range"], &format!("{at}.source_range")) {
            return Some(r);
        }
        let (schema, _) = schema_of(item);
        match schema {
            "Clip" => {
                let (media, mat) = self.media_reference(item, at);
                let r = self.range(&media["available_range"], &format!("{mat}.available_range"));
                if r.is_none() {
                    self.warn(
                        at,
                        "no source_range and no available_range on its media: no length, skipped",
                    );
                }
                r
            }
            // An old Gap.1 may give its length as `duration`.
            "Gap" => self
                .time(&item["duration"], &format!("{at}.duration"))
                .map(|d| (0.0, d.max(0.0))),
            // Lengths are summed however deep (the JSON reader stops at 128 levels), so a
            // composition too deep to show still takes its time, as a gap.
            "Track" | "Sequence" | "Stack" if depth < 128 => {
                let children = item["children"].as_array().map_or(&[][..], |c| c);
                let mut total: f64 = 0.0;
                for (k, child) in children.iter().enumerate() {
                    let (cs, _) = schema_of(child);
                    if cs == "Transition" {
                        continue;
                    }
                    let d = self
                        .item_range(child, &format!("{at}.children[{k}]"), depth + 1)
                        .map_or(0.0, |r| r.1);
                    total = if schema == "Stack" {
                        total.max(d)
                    } else {
                        total + d
                    };
                }
                Some((0.0, total.min(MAX_SECONDS)))
            }
            _ => None,
        }
    }

    /// A track's items as segments from its time 0, and its transitions.
    fn track(
        &mut self,
        track: &Value,
        at: &str,
        depth: usize,
        base: f64,
    ) -> (Vec<Segment>, Vec<Cut>) {
        let mut segments = Vec::new();
        let mut cuts = Vec::new();
        let Some(children) = track["children"].as_array() else {
            self.warn(at, "no children: an empty track");
            return (segments, cuts);
        };
        let mut t = 0.0;
        for (k, child) in children.iter().enumerate() {
            if segments.len() >= MAX_SHOTS {
                self.warn(
                    at,
                    format!("more than {MAX_SHOTS} items: the rest are left out"),
                );
                break;
            }
            let cat = format!("{at}.children[{k}]");
            let (schema, _) = schema_of(child);
            let name = child["name"].as_str().unwrap_or("").to_string();
            if child["enabled"] == Value::Bool(false) && schema != "Transition" {
                // A disabled item keeps its time but shows nothing, as in the NLE.
                if let Some((_, d)) = self.item_range(child, &cat, depth) {
                    segments.push(self.segment(t, d, name, &cat, Media::Gap, base + t, child));
                    t += d;
                }
                continue;
            }
            match schema {
                "Transition" => {
                    let in_offset = self
                        .time(&child["in_offset"], &format!("{cat}.in_offset"))
                        .unwrap_or(0.0)
                        .max(0.0);
                    let out_offset = self
                        .time(&child["out_offset"], &format!("{cat}.out_offset"))
                        .unwrap_or(0.0)
                        .max(0.0);
                    let kind = self.transition_kind(child, &cat);
                    if depth > 0 {
                        self.warn(&cat, "a transition inside a nested item: left out (a cut)");
                        continue;
                    }
                    cuts.push(Cut {
                        before: segments.len(),
                        kind,
                        in_offset,
                        out_offset,
                        at: cat,
                    });
                }
                "Clip" | "Gap" => {
                    let Some((source_start, d)) = self.item_range(child, &cat, depth) else {
                        continue;
                    };
                    let media = if schema == "Gap" {
                        Media::Gap
                    } else {
                        self.clip_media(child, &cat, &name, source_start)
                    };
                    segments.push(self.segment(
                        t,
                        d,
                        name,
                        &cat,
                        media,
                        base + t - source_start,
                        child,
                    ));
                    t += d;
                }
                "Stack" | "Track" | "Sequence" => {
                    let Some((window_start, d)) = self.item_range(child, &cat, depth) else {
                        continue;
                    };
                    self.nested += 1;
                    let what = if schema == "Stack" {
                        "a nested stack"
                    } else {
                        "a nested track"
                    };
                    let label = if name.is_empty() {
                        String::new()
                    } else {
                        format!(" ({name:?})")
                    };
                    self.warn(&cat, format!("{what}{label}: flattened into the track (its first track, cut to its source_range)"));
                    let inner_base = base + t - window_start;
                    let inner = if depth + 1 >= MAX_DEPTH {
                        self.warn(
                            &cat,
                            format!("nested more than {MAX_DEPTH} deep: shown as a gap"),
                        );
                        Vec::new()
                    } else {
                        self.lane(child, &cat, depth + 1, inner_base)
                    };
                    let mut pieces = window(inner, window_start, d, t, &name, &cat, inner_base);
                    // Markers on the nested item itself go on its first piece.
                    if let (Some(first), Some(markers)) =
                        (pieces.first_mut(), child["markers"].as_array())
                        && !markers.is_empty()
                    {
                        first.markers.extend(markers.iter().cloned());
                        first.marker_base = inner_base;
                        first.marker_at = format!("{cat}.markers");
                    }
                    segments.extend(pieces);
                    t += d;
                }
                other => {
                    let other = if other.is_empty() {
                        "an item without OTIO_SCHEMA".to_string()
                    } else {
                        format!("{other:?}")
                    };
                    self.warn(
                        &cat,
                        format!("{other}: not an item Manju reads, skipped (no time)"),
                    );
                }
            }
        }
        (segments, cuts)
    }

    /// What a nested composition shows, from its time 0: a track's items, or a stack's
    /// first video track (or first item).
    fn lane(&mut self, item: &Value, at: &str, depth: usize, base: f64) -> Vec<Segment> {
        let (schema, _) = schema_of(item);
        if schema != "Stack" {
            return self.track(item, at, depth, base).0;
        }
        let children = item["children"].as_array().map_or(&[][..], |c| c);
        let Some(k) = children
            .iter()
            .position(|c| c["kind"].as_str() != Some("Audio"))
        else {
            return Vec::new();
        };
        let child = &children[k];
        let cat = format!("{at}.children[{k}]");
        if children.len() > 1 {
            self.warn(
                at,
                format!(
                    "{} layers in a nested stack: only the first ({cat}) shows",
                    children.len()
                ),
            );
        }
        match schema_of(child).0 {
            "Track" | "Sequence" | "Stack" => self.lane(child, &cat, depth + 1, base),
            _ => {
                // A stack holding clips directly: the clip alone, from 0.
                let wrapper = json!({ "OTIO_SCHEMA": "Track.1", "children": [child] });
                let mut segs = self.track(&wrapper, at, depth, base).0;
                for s in &mut segs {
                    s.at = s.at.replacen(&format!("{at}.children[0]"), &cat, 1);
                }
                segs
            }
        }
    }

    #[allow(clippy::too_many_arguments)] // one segment's fields, from one call site's locals
    fn segment(
        &mut self,
        start: f64,
        duration: f64,
        name: String,
        at: &str,
        media: Media,
        marker_base: f64,
        item: &Value,
    ) -> Segment {
        Segment {
            start,
            duration,
            name,
            at: at.to_string(),
            media,
            marker_base,
            markers: item["markers"].as_array().cloned().unwrap_or_default(),
            marker_at: format!("{at}.markers"),
        }
    }

    /// What a clip shows.
    fn clip_media(&mut self, clip: &Value, at: &str, name: &str, source_start: f64) -> Media {
        let (media, mat) = self.media_reference(clip, at);
        let label = if name.is_empty() {
            "a clip".to_string()
        } else {
            name.to_string()
        };
        let (schema, _) = schema_of(media);
        match schema {
            "ExternalReference" => {
                let url = media["target_url"].as_str().unwrap_or("");
                self.image(url, &format!("{mat}.target_url"), &label)
            }
            "ImageSequenceReference" => {
                let base = media["target_url_base"].as_str().unwrap_or("");
                let prefix = media["name_prefix"].as_str().unwrap_or("");
                let suffix = media["name_suffix"].as_str().unwrap_or("");
                let first = media["start_frame"].as_i64().unwrap_or(1);
                let step = media["frame_step"].as_i64().unwrap_or(1).max(1);
                let rate = media["rate"]
                    .as_f64()
                    .filter(|r| r.is_finite() && *r > 0.0)
                    .unwrap_or(24.0);
                let padding = media["frame_zero_padding"].as_u64().unwrap_or(0).min(12) as usize;
                let avail = self
                    .range(&media["available_range"], &format!("{mat}.available_range"))
                    .map_or(source_start, |r| r.0);
                let offset = ((source_start - avail) * rate / step as f64)
                    .floor()
                    .clamp(0.0, 1e9) as i64;
                let frame = first.saturating_add(offset.saturating_mul(step));
                let sep = if base.is_empty() || base.ends_with('/') {
                    ""
                } else {
                    "/"
                };
                let url = format!("{base}{sep}{prefix}{frame:0padding$}{suffix}");
                self.sequences += 1;
                self.image(&url, &format!("{mat}.target_url_base"), &label)
            }
            "GeneratorReference" => {
                let kind = media["generator_kind"].as_str().unwrap_or("a generator");
                self.placeholder(
                    &mat,
                    &label,
                    &format!("generated media ({kind})"),
                    format!("generated media ({kind}): Manju does not generate it"),
                )
            }
            "MissingReference" => {
                let why = "no media (MissingReference)";
                self.placeholder(&mat, &label, why, why.into())
            }
            "" if media.is_null() => {
                self.placeholder(&mat, &label, "no media", "no media reference".into())
            }
            other => {
                let other = other.to_string();
                self.placeholder(
                    &mat,
                    &label,
                    "no media",
                    format!("{other:?}: not a media reference Manju reads"),
                )
            }
        }
    }

    /// A placeholder caption `[<clip>: <shown>]`, and the warning saying why.
    fn placeholder(&mut self, at: &str, label: &str, shown: &str, why: String) -> Media {
        self.placeholders += 1;
        self.warn(at, format!("{why}: a placeholder naming the clip shows"));
        Media::Placeholder(format!("[{label}: {shown}]"))
    }

    /// An image the clip points at, found in the draft; a placeholder otherwise.
    fn image(&mut self, url: &str, at: &str, label: &str) -> Media {
        let Some(path) = self.find(url) else {
            let shown = if url.is_empty() { "no target_url" } else { url };
            let file = url.rsplit(['/', '\\']).next().unwrap_or(url);
            let short = if url.is_empty() {
                "no media".to_string()
            } else {
                format!("{} not found", percent_decode(file))
            };
            return self.placeholder(at, label, &short, format!("{shown} is not in the draft"));
        };
        if is_image(&path) {
            return Media::Image(path);
        }
        // A video: a still of the same name beside it (a poster frame) stands in.
        let stem = path.rsplit_once('.').map_or(path.as_str(), |(s, _)| s);
        if let Some(still) = ["png", "jpg", "jpeg", "webp"]
            .iter()
            .map(|e| format!("{stem}.{e}"))
            .find(|p| self.names.contains(p))
        {
            return Media::Image(still);
        }
        let file = path.rsplit('/').next().unwrap_or(&path).to_string();
        self.placeholder(
            at,
            label,
            &format!("{file}, a video"),
            format!("{path}: a video, and only images play here (a still named {stem}.png or .jpg beside it would show)"),
        )
    }

    /// A `file://` URL or a path → the draft file it names: relative paths from the
    /// timeline's folder, absolute ones by their longest tail found in the draft (the
    /// draft was made on another machine).
    fn find(&self, url: &str) -> Option<String> {
        if url.is_empty() {
            return None;
        }
        let path = if let Some(rest) = url.strip_prefix("file://") {
            // file://host/path or file:///path
            let rest = rest.find('/').map_or("", |i| &rest[i..]);
            percent_decode(rest)
        } else if url.contains("://") {
            return None;
        } else {
            percent_decode(url)
        };
        let path = path.replace('\\', "/");
        let absolute = path.starts_with('/') || path.as_bytes().get(1) == Some(&b':');
        if !absolute {
            return join(&self.dir, &path).filter(|p| self.names.contains(p));
        }
        let parts: Vec<&str> = path
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        (0..parts.len()).find_map(|i| {
            if parts[i..].contains(&"..") {
                return None;
            }
            let tail = parts[i..].join("/");
            let candidates = [join(&self.dir, &tail), Some(tail)];
            candidates
                .into_iter()
                .flatten()
                .find(|c| self.names.contains(c))
        })
    }

    fn asset(&mut self, path: &str) -> String {
        if let Some(id) = self.by_path.get(path) {
            return id.clone();
        }
        let stem = path.rsplit('/').next().unwrap_or(path);
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        let base = sanitise(stem, "asset");
        let mut id = base.clone();
        let mut n = 2;
        while self.assets.contains_key(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.by_path.insert(path.to_string(), id.clone());
        self.assets.insert(id.clone(), path.to_string());
        id
    }

    /// A transition's kind in Manju, by its type or name.
    fn transition_kind(&mut self, t: &Value, at: &str) -> &'static str {
        let ty = t["transition_type"].as_str().unwrap_or("");
        let name = t["name"].as_str().unwrap_or("");
        if ty == "SMPTE_Dissolve" {
            return "crossfade";
        }
        let words = format!("{ty} {name}").to_ascii_lowercase();
        let dir = ["left", "right", "up", "down"]
            .into_iter()
            .find(|d| words.contains(d));
        let pick = |family: &str| -> Option<&'static str> {
            Some(match (family, dir) {
                ("wipe", Some("right")) => "wipe-right",
                ("wipe", Some("up")) => "wipe-up",
                ("wipe", Some("down")) => "wipe-down",
                ("wipe", _) => "wipe-left",
                ("push", Some("right")) => "push-right",
                ("push", Some("up")) => "push-up",
                ("push", Some("down")) => "push-down",
                ("push", _) => "push-left",
                ("slide", Some("right")) => "slide-right",
                ("slide", Some("up")) => "slide-up",
                ("slide", Some("down")) => "slide-down",
                ("slide", _) => "slide-left",
                _ => return None,
            })
        };
        let known = if words.contains("black") {
            Some("fade-black")
        } else if words.contains("white") {
            Some("fade-white")
        } else if words.contains("dissolve")
            || words.contains("crossfade")
            || words.contains("cross fade")
        {
            Some("crossfade")
        } else if words.contains("zoom") {
            Some("zoom")
        } else {
            ["wipe", "push", "slide"]
                .into_iter()
                .find(|f| words.contains(f))
                .and_then(pick)
        };
        known.unwrap_or_else(|| {
            let what = if ty.is_empty() { name } else { ty };
            self.warn(
                &format!("{at}.transition_type"),
                format!("{what:?}: no such transition here, a crossfade"),
            );
            "crossfade"
        })
    }
}

/// The background for `duration` seconds from `start`.
fn gap_segment(start: f64, duration: f64, at: &str) -> Segment {
    Segment {
        start,
        duration,
        name: String::new(),
        at: at.to_string(),
        media: Media::Gap,
        marker_base: start,
        markers: Vec::new(),
        marker_at: String::new(),
    }
}

/// The part `[start, start + duration)` of a nested composition's segments, placed at
/// `at_time` on the outer track; what it does not cover is a gap.
fn window(
    inner: Vec<Segment>,
    start: f64,
    duration: f64,
    at_time: f64,
    name: &str,
    at: &str,
    base: f64,
) -> Vec<Segment> {
    let end = start + duration;
    let mut out = Vec::new();
    let mut t = start;
    let gap = |from: f64, to: f64| Segment {
        start: at_time + from - start,
        duration: to - from,
        name: name.to_string(),
        at: at.to_string(),
        media: Media::Gap,
        marker_base: base,
        markers: Vec::new(),
        marker_at: String::new(),
    };
    for mut s in inner {
        let (s0, s1) = (s.start.max(start), (s.start + s.duration).min(end));
        if s1 <= s0 {
            continue;
        }
        if s0 > t {
            out.push(gap(t, s0));
        }
        s.start = at_time + s0 - start;
        s.duration = s1 - s0;
        out.push(s);
        t = s1;
    }
    if t < end {
        out.push(gap(t, end));
    }
    out
}

fn is_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif"]
        .iter()
        .any(|e| lower.ends_with(e))
}

fn is_audio(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".aac", ".flac",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// `%3a` → `:`; an invalid escape stays as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(h);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a/b/../c` → `a/c`; a path that climbs out of the draft is refused.
fn join(dir: &str, href: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in href.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    (!joined.is_empty()).then_some(joined)
}

/// A name as an id: letters, digits, `-` and `_`, runs of anything else one `-`.
fn sanitise(name: &str, fallback: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').chars().take(64).collect::<String>();
    if id.is_empty() {
        fallback.to_string()
    } else {
        id
    }
}

/// Seconds rounded to the microsecond, as the manifest is read.
fn micros(s: f64) -> i64 {
    (s * 1e6).round() as i64
}

fn seconds(us: i64) -> f64 {
    us as f64 / 1e6
}

/// Imports the OpenTimelineIO timeline `entry`.
pub fn import(
    files: &dyn Files,
    entry: &str,
    _options: &Options,
) -> Result<Imported, Vec<Problem>> {
    let timeline = read_json(files, entry).map_err(|p| vec![p])?;
    if !is_otio(&timeline) {
        return Err(vec![Problem::error(
            format!("{entry}: OTIO_SCHEMA"),
            "not an OpenTimelineIO timeline (OTIO_SCHEMA Timeline.1)",
        )]);
    }
    let mut im = Importer {
        entry: entry.to_string(),
        dir: entry.rsplit_once('/').map_or("", |(d, _)| d).to_string(),
        names: files.names().into_iter().collect(),
        problems: Vec::new(),
        assets: BTreeMap::new(),
        by_path: HashMap::new(),
        files,
        placeholders: 0,
        sequences: 0,
        nested: 0,
        rate: None,
    };
    let global_start = im.time(&timeline["global_start_time"], "global_start_time");
    // The canvas runs at the timeline's rate: `global_start_time`'s, else the first
    // top-level clip's or gap's.
    let rate_of = |v: &Value| v["rate"].as_f64().filter(|r| (10.0..=240.0).contains(r));
    im.rate = rate_of(&timeline["global_start_time"]);
    let stack = &timeline["tracks"];
    let tracks = stack["children"].as_array().map_or(&[][..], |c| c);
    let is_video = |t: &Value| {
        matches!(schema_of(t).0, "Track" | "Sequence")
            && t["kind"].as_str().unwrap_or("Video") == "Video"
    };
    let is_audio_track = |t: &Value| {
        matches!(schema_of(t).0, "Track" | "Sequence") && t["kind"].as_str() == Some("Audio")
    };
    let videos: Vec<usize> = (0..tracks.len())
        .filter(|&k| is_video(&tracks[k]))
        .collect();
    let Some(&first) = videos.first() else {
        return Err(vec![Problem::error(
            format!("{entry}: tracks.children"),
            "no video track: nothing to show",
        )]);
    };
    for (k, t) in tracks.iter().enumerate() {
        if !is_video(t) && !is_audio_track(t) {
            im.warn(
                &format!("tracks.children[{k}]"),
                format!(
                    "{:?}: neither a video nor an audio track, left out",
                    t["OTIO_SCHEMA"].as_str().unwrap_or("?")
                ),
            );
        }
    }
    if videos.len() > 1 {
        let others: Vec<String> = videos[1..]
            .iter()
            .map(|k| {
                let name = tracks[*k]["name"].as_str().unwrap_or("");
                if name.is_empty() {
                    format!("tracks.children[{k}]")
                } else {
                    format!("tracks.children[{k}] ({name:?})")
                }
            })
            .collect();
        im.warn(
            "tracks.children",
            format!(
                "{} video tracks: only the first (tracks.children[{first}]) is shown; left out: {}",
                videos.len(),
                others.join(", ")
            ),
        );
    }
    let video_at = format!("tracks.children[{first}]");
    let video = &tracks[first];
    if !video["source_range"].is_null() {
        im.warn(
            &format!("{video_at}.source_range"),
            "a trimmed track: its items play whole, from its start",
        );
    }
    if im.rate.is_none() {
        im.rate = video["children"].as_array().and_then(|items| {
            items
                .iter()
                .filter(|i| matches!(schema_of(i).0, "Clip" | "Gap"))
                .find_map(|i| rate_of(&i["source_range"]["duration"]))
        });
    }
    let (mut segments, mut cuts) = im.track(video, &video_at, 0, 0.0);
    let items = video["children"].as_array().map_or(0, |c| {
        c.iter().filter(|i| schema_of(i).0 != "Transition").count()
    });
    // A transition at the track's very start or end overhangs it, and OpenTimelineIO
    // counts the overhang in the track's length: it becomes the background before the
    // first item (or after the last), crossed by the `intro` (`outro`) over exactly the
    // span OpenTimelineIO gives the transition.
    let mut edges: [Option<(&'static str, f64, String)>; 2] = [None, None];
    let mut lead = 0.0;
    if let Some(k) = cuts.iter().position(|c| c.before == 0)
        && !segments.is_empty()
    {
        let c = cuts.remove(k);
        lead = c.in_offset;
        for s in &mut segments {
            s.start += lead;
            s.marker_base += lead;
        }
        for c in &mut cuts {
            c.before += 1;
        }
        segments.insert(0, gap_segment(0.0, lead, &c.at));
        edges[0] = Some((c.kind, c.in_offset + c.out_offset, c.at));
    }
    if let Some(k) = cuts.iter().position(|c| c.before == segments.len())
        && let Some(last) = segments.last()
    {
        let c = cuts.remove(k);
        let end = last.start + last.duration;
        segments.push(gap_segment(end, c.out_offset, &c.at));
        edges[1] = Some((c.kind, c.in_offset + c.out_offset, c.at));
    }

    // Shots, their times summed exactly and rounded once.
    let mut shots: Vec<Map<String, Value>> = Vec::new();
    let mut bounds: Vec<(i64, i64)> = Vec::new();
    let mut index_of: Vec<Option<usize>> = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut clips = 0;
    let mut gaps = 0;
    for s in &segments {
        let (a, b) = (micros(s.start), micros(s.start + s.duration));
        if b - a < 1000 {
            index_of.push(None);
            if b > a || s.duration > 0.0 {
                im.warn(
                    &s.at,
                    format!("{:.6} s: shorter than a millisecond, left out", s.duration),
                );
            } else if s.media != Media::Gap {
                im.warn(&s.at, "no length: left out");
            }
            continue;
        }
        let base = match &s.media {
            Media::Gap => "gap".to_string(),
            _ => sanitise(&s.name, "shot"),
        };
        let mut id = base.clone();
        let mut k = 2;
        while ids.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        ids.insert(id.clone());
        let d = seconds(b - a);
        let mut shot = Map::new();
        shot.insert("id".into(), id.into());
        shot.insert("duration".into(), d.into());
        match &s.media {
            Media::Image(path) => {
                let asset = im.asset(path);
                shot.insert(
                    "layers".into(),
                    json!([{ "image": asset, "fit": "contain" }]),
                );
                clips += 1;
            }
            Media::Gap => {
                shot.insert("layers".into(), json!([]));
                gaps += 1;
            }
            Media::Placeholder(text) => {
                shot.insert("layers".into(), json!([]));
                shot.insert(
                    "lines".into(),
                    json!([{ "text": text, "display": "caption", "at": 0, "duration": d }]),
                );
                clips += 1;
            }
        }
        shot.insert(
            "meta".into(),
            json!({ "otio": { "name": s.name, "item": s.at } }),
        );
        index_of.push(Some(shots.len()));
        bounds.push((a, b));
        shots.push(shot);
    }
    if shots.is_empty() {
        return Err(vec![Problem::error(
            format!("{entry}: {video_at}.children"),
            "no clip or gap with a length on the first video track: nothing to show",
        )]);
    }
    let total = bounds.last().map_or(0, |b| b.1);
    let edge = |kind: &'static str| -> &'static str {
        if matches!(kind, "fade-black" | "fade-white") {
            kind
        } else {
            "crossfade"
        }
    };
    let [intro, outro] = edges.map(|e| {
        e.filter(|(_, d, _)| *d > 0.0).map(
            |(kind, d, _)| json!({ "type": edge(kind), "duration": seconds(micros(d).min(total)) }),
        )
    });
    let mut transitions = usize::from(intro.is_some()) + usize::from(outro.is_some());

    // Transitions: at the cut, `in + out` long, no longer than either shot allows.
    for c in &cuts {
        let before = (0..c.before).rev().find_map(|k| index_of[k]);
        let after = (c.before..segments.len()).find_map(|k| index_of[k]);
        let d = c.in_offset + c.out_offset;
        if d <= 0.0 {
            continue;
        }
        transitions += 1;
        match (before, after) {
            (Some(b), Some(a)) if a == b + 1 => {
                let limit = (bounds[b].1 - bounds[b].0).min(bounds[a].1 - bounds[a].0);
                let mut len = micros(d);
                if len > limit {
                    im.warn(&c.at, format!("{:.3} s: longer than the shots it joins allow here (centred on the cut), shortened to {:.3} s", seconds(len), seconds(limit)));
                    len = limit;
                }
                shots[a].insert(
                    "transition".into(),
                    json!({ "type": c.kind, "duration": seconds(len) }),
                );
            }
            _ => im.warn(&c.at, "not between two items: left out"),
        }
    }

    // Markers → notes of the shot they fall in.
    let shot_at = |t: i64| bounds.iter().rposition(|b| b.0 <= t).unwrap_or(0);
    let mut notes: Vec<Vec<String>> = vec![Vec::new(); shots.len()];
    let mut marker_count = 0;
    let mut pending: Vec<(Value, f64, String, Option<usize>)> = Vec::new();
    for (k, s) in segments.iter().enumerate() {
        for (j, m) in s.markers.iter().enumerate() {
            pending.push((
                m.clone(),
                s.marker_base,
                format!("{}[{j}]", s.marker_at),
                index_of[k],
            ));
        }
    }
    for (list, at) in [
        (&video["markers"], format!("{video_at}.markers")),
        (&stack["markers"], "tracks.markers".to_string()),
    ] {
        for (j, m) in list.as_array().map_or(&[][..], |a| a).iter().enumerate() {
            pending.push((m.clone(), lead, format!("{at}[{j}]"), None));
        }
    }
    if pending.len() > MAX_MARKERS {
        im.warn(
            &video_at,
            format!(
                "{} markers: the first {MAX_MARKERS} are noted",
                pending.len()
            ),
        );
        pending.truncate(MAX_MARKERS);
    }
    for (m, base, at, own) in pending {
        let Some((start, length)) = im.range(&m["marked_range"], &format!("{at}.marked_range"))
        else {
            im.warn(&at, "no marked_range: left out");
            continue;
        };
        let t = base + start;
        let us = micros(t.clamp(-MAX_SECONDS, MAX_SECONDS));
        let k = match own {
            Some(k) => {
                if us < bounds[k].0 || us > bounds[k].1 {
                    im.warn(&at, format!("at {t:.3} s, outside its clip ({:.3}–{:.3} s): noted on the clip's shot", seconds(bounds[k].0), seconds(bounds[k].1)));
                }
                k
            }
            None => {
                if us < 0 || us > total {
                    im.warn(
                        &at,
                        format!("at {t:.3} s, outside the timeline: noted on the nearest shot"),
                    );
                }
                shot_at(us)
            }
        };
        let name = m["name"].as_str().unwrap_or("");
        let mut text = if name.is_empty() {
            "marker".to_string()
        } else {
            format!("marker {name}")
        };
        text.push_str(&format!(" at {t:.3} s"));
        if length > 0.0 {
            text.push_str(&format!(" for {length:.3} s"));
        }
        let color = m["color"]["name"]
            .as_str()
            .or(m["color"].as_str())
            .unwrap_or("");
        if !color.is_empty() {
            text.push_str(&format!(" ({color})"));
        }
        let comment = m["comment"]
            .as_str()
            .or(m["metadata"]["comment"].as_str())
            .unwrap_or("");
        text.push(':');
        if !comment.is_empty() {
            text.push(' ');
            text.push_str(comment);
        }
        let text = text.trim_end_matches(':').to_string();
        notes[k].push(text);
        marker_count += 1;
    }
    for (shot, n) in shots.iter_mut().zip(notes) {
        if !n.is_empty() {
            shot.insert("notes".into(), n.join("\n").into());
        }
    }

    // Audio tracks → music and sound effects at their times.
    let mut music = Vec::new();
    let (mut sfx_count, mut skipped_audio) = (0, 0);
    for (k, track) in tracks.iter().enumerate().filter(|(_, t)| is_audio_track(t)) {
        let tat = format!("tracks.children[{k}]");
        let mut t = 0.0;
        for (j, item) in track["children"]
            .as_array()
            .map_or(&[][..], |c| c)
            .iter()
            .enumerate()
        {
            let cat = format!("{tat}.children[{j}]");
            let (schema, _) = schema_of(item);
            if schema == "Transition" {
                continue;
            }
            let Some((_, d)) = im.item_range(item, &cat, 0) else {
                continue;
            };
            let start = t;
            t += d;
            if schema != "Clip" {
                if schema != "Gap" {
                    im.warn(&cat, "a nested item on an audio track: left out (silence)");
                    skipped_audio += 1;
                }
                continue;
            }
            let (media, mat) = im.media_reference(item, &cat);
            let url = media["target_url"].as_str().unwrap_or("");
            let found = im.find(url).filter(|p| is_audio(p)).or_else(|| {
                // The sound of a video: a clip of the same name beside it.
                let p = im.find(url)?;
                let stem = p
                    .rsplit_once('.')
                    .map_or(p.as_str(), |(s, _)| s)
                    .to_string();
                ["wav", "mp3", "ogg", "m4a", "flac"]
                    .iter()
                    .map(|e| format!("{stem}.{e}"))
                    .find(|c| im.names.contains(c))
            });
            let Some(path) = found else {
                let shown = if url.is_empty() {
                    "no target_url".to_string()
                } else {
                    url.to_string()
                };
                im.warn(
                    &format!("{mat}.target_url"),
                    format!("{shown}: no audio file of the draft, left out (silence)"),
                );
                skipped_audio += 1;
                continue;
            };
            let audio = im.asset(&path);
            let (a, b) = (micros(start), micros(start + d));
            if a >= total {
                im.warn(&cat, "after the video track ends: left out");
                continue;
            }
            if d >= MUSIC_SECONDS {
                music.push(
                    json!({ "audio": audio, "at": seconds(a), "until": seconds(b.min(total)) }),
                );
            } else {
                let s = shot_at(a);
                let entry = shots[s].entry("sfx").or_insert_with(|| json!([]));
                if let Some(list) = entry.as_array_mut() {
                    list.push(json!({ "audio": audio, "at": seconds(a - bounds[s].0) }));
                }
                sfx_count += 1;
            }
        }
    }

    let (width, height) = canvas(&mut im, &shots);
    let fps = im.rate.map_or(30.0, |r| (r * 1000.0).round() / 1000.0);
    let title = timeline["name"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| entry.rsplit('/').next().unwrap_or(entry).to_string());
    let mut otio_meta = json!({ "track": video_at });
    if let Some(g) = global_start {
        otio_meta["global_start_time"] = g.into();
    }
    let mut out = json!({
        "format": "manju/1",
        "title": title,
        "canvas": { "width": width, "height": height, "fps": fps, "background": "#000000" },
        "assets": im.assets,
        "shots": shots,
        "meta": { "imported_from": "OpenTimelineIO", "source": entry, "otio": otio_meta },
    });
    let music_count = music.len();
    if !music.is_empty() {
        out["music"] = music.into();
    }
    if let Some(i) = intro {
        out["intro"] = i;
    }
    if let Some(o) = outro {
        out["outro"] = o;
    }
    let shot_count = out["shots"].as_array().map_or(0, Vec::len);
    let mut mapped = vec![format!(
        "{items} items of the first video track → {shot_count} shots ({clips} clips, {gaps} gaps), {:.3} s",
        seconds(total)
    )];
    if im.placeholders > 0 {
        mapped.push(format!(
            "{} clips without an image of the draft: a placeholder naming each",
            im.placeholders
        ));
    }
    if im.sequences > 0 {
        mapped.push(format!(
            "{} image sequences: the frame each clip starts on",
            im.sequences
        ));
    }
    if transitions > 0 {
        mapped.push(format!("{transitions} transitions → ours, centred on the cut (in + out long; the cuts and the length stay OpenTimelineIO's)"));
    }
    if im.nested > 0 {
        mapped.push(format!("{} nested stacks or tracks flattened", im.nested));
    }
    if marker_count > 0 {
        mapped.push(format!("{marker_count} markers → the shots' notes (until review notes are part of the manifest)"));
    }
    if music_count + sfx_count + skipped_audio > 0 {
        mapped.push(format!(
            "audio clips: {music_count} → music, {sfx_count} → sound effects, {skipped_audio} left out (they play from their file's start)"
        ));
    }
    Ok(Imported {
        kind: Kind::Otio,
        manifest: out,
        problems: im.problems,
        mapped,
    })
}

/// The canvas: the first image's shape, 1080 pixels on its shorter side; 1920×1080 (an
/// NLE's usual frame) when no image is read.
fn canvas(im: &mut Importer<'_>, shots: &[Map<String, Value>]) -> (u32, u32) {
    let first = shots.iter().find_map(|s| {
        s.get("layers")?
            .get(0)?
            .get("image")?
            .as_str()
            .map(str::to_string)
    });
    let size = first.and_then(|id| {
        let path = im.assets.get(&id)?.clone();
        let bytes = im.files.read(&path)?;
        image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .ok()?
            .into_dimensions()
            .ok()
    });
    let Some((w, h)) = size.filter(|(w, h)| *w > 0 && *h > 0) else {
        return (1920, 1080);
    };
    let ratio = (f64::from(w) / f64::from(h)).clamp(0.1, 10.0);
    let even = |v: f64| (((v / 2.0).round() * 2.0) as u32).max(2);
    if ratio >= 1.0 {
        (even(1080.0 * ratio), 1080)
    } else {
        (1080, even(1080.0 / ratio))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::InMemory;

    fn rt(value: f64, rate: f64) -> Value {
        json!({ "OTIO_SCHEMA": "RationalTime.1", "value": value, "rate": rate })
    }

    fn range(frames: f64) -> Value {
        json!({ "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(0.0, 24.0), "duration": rt(frames, 24.0) })
    }

    fn clip(name: &str, frames: f64, url: &str) -> Value {
        json!({ "OTIO_SCHEMA": "Clip.1", "name": name, "source_range": range(frames),
                "media_reference": { "OTIO_SCHEMA": "ExternalReference.1", "target_url": url } })
    }

    fn gap(frames: f64) -> Value {
        json!({ "OTIO_SCHEMA": "Gap.1", "source_range": range(frames) })
    }

    fn timeline(tracks: Vec<Value>) -> Value {
        json!({ "OTIO_SCHEMA": "Timeline.1", "name": "t",
                "tracks": { "OTIO_SCHEMA": "Stack.1", "children": tracks } })
    }

    fn video(children: Vec<Value>) -> Value {
        json!({ "OTIO_SCHEMA": "Track.1", "kind": "Video", "children": children })
    }

    fn run(t: &Value) -> Result<Imported, Vec<Problem>> {
        let files = InMemory::default()
            .with("cut.otio", t.to_string())
            .with("a.png", "png")
            .with("b.jpg", "jpg")
            .with("sfx/boom.wav", "wav")
            .with("music.ogg", "ogg");
        import(&files, "cut.otio", &Options::default())
    }

    fn refused(r: Result<Imported, Vec<Problem>>) -> Vec<Problem> {
        match r {
            Ok(i) => panic!("imported: {}", i.manifest),
            Err(e) => e,
        }
    }

    fn said(i: &Imported) -> Vec<String> {
        i.problems
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    }

    #[test]
    fn clips_and_gaps_are_shots_at_their_times() {
        let i = run(&timeline(vec![video(vec![
            gap(12.0),
            clip("Shot 1!", 48.0, "a.png"),
            clip("Shot 1!", 8.0, "file:///Volumes/show/b.jpg"),
        ])]))
        .unwrap();
        let shots = i.manifest["shots"].as_array().unwrap();
        let ids: Vec<&str> = shots.iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["gap", "Shot-1", "Shot-1-2"]);
        assert_eq!(shots[0]["layers"], json!([]));
        assert_eq!(shots[0]["duration"], 0.5);
        assert_eq!(shots[1]["duration"], 2.0);
        assert_eq!(shots[1]["layers"][0]["image"], "a");
        // A file:// URL from another machine is found by its name in the draft.
        assert_eq!(i.manifest["assets"]["b"], "b.jpg");
        // 8/24 s: the cut rounded once, from the exact sum.
        assert_eq!(shots[2]["duration"], 0.333333);
        assert_eq!(shots[1]["meta"]["otio"]["name"], "Shot 1!");
        assert!(i.problems.is_empty(), "{:#?}", said(&i));
    }

    #[test]
    fn a_dissolve_is_a_crossfade_centred_on_the_cut() {
        let dissolve = json!({ "OTIO_SCHEMA": "Transition.1", "transition_type": "SMPTE_Dissolve",
            "in_offset": rt(6.0, 24.0), "out_offset": rt(6.0, 24.0) });
        let wipe = json!({ "OTIO_SCHEMA": "Transition.1", "name": "Wipe Right", "transition_type": "Custom_Transition",
            "in_offset": rt(3.0, 24.0), "out_offset": rt(3.0, 24.0) });
        let odd = json!({ "OTIO_SCHEMA": "Transition.1", "name": "Page Curl", "transition_type": "Custom_Transition",
            "in_offset": rt(3.0, 24.0), "out_offset": rt(3.0, 24.0) });
        let i = run(&timeline(vec![video(vec![
            clip("a", 48.0, "a.png"),
            dissolve,
            clip("b", 48.0, "b.jpg"),
            wipe,
            clip("c", 48.0, "a.png"),
            odd,
            clip("d", 48.0, "a.png"),
        ])]))
        .unwrap();
        let shots = &i.manifest["shots"];
        assert_eq!(
            shots[1]["transition"],
            json!({ "type": "crossfade", "duration": 0.5 })
        );
        assert_eq!(shots[2]["transition"]["type"], "wipe-right");
        assert_eq!(shots[3]["transition"]["type"], "crossfade");
        // The cuts stay where they were: 2 s each.
        assert_eq!(shots[1]["duration"], 2.0);
        assert!(said(&i).iter().any(|s| s == "cut.otio: tracks.children[0].children[5].transition_type: \"Custom_Transition\": no such transition here, a crossfade"), "{:#?}", said(&i));
    }

    #[test]
    fn markers_become_notes_of_their_shot() {
        let mut c = clip("a", 48.0, "a.png");
        c["markers"] = json!([{ "OTIO_SCHEMA": "Marker.2", "name": "fix eyes", "color": "RED",
            "comment": "too wide", "marked_range": { "OTIO_SCHEMA": "TimeRange.1",
            "start_time": rt(12.0, 24.0), "duration": rt(0.0, 24.0) } }]);
        let mut t = timeline(vec![video(vec![c, clip("b", 48.0, "b.jpg")])]);
        t["tracks"]["markers"] = json!([{ "OTIO_SCHEMA": "Marker.3", "name": "",
            "color": { "OTIO_SCHEMA": "Color.1", "name": "GREEN" },
            "marked_range": { "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(72.0, 24.0), "duration": rt(24.0, 24.0) } }]);
        let i = run(&t).unwrap();
        assert_eq!(
            i.manifest["shots"][0]["notes"],
            "marker fix eyes at 0.500 s (RED): too wide"
        );
        assert_eq!(
            i.manifest["shots"][1]["notes"],
            "marker at 3.000 s for 1.000 s (GREEN)"
        );
        assert!(
            i.mapped
                .iter()
                .any(|m| m.contains("2 markers → the shots' notes"))
        );
    }

    #[test]
    fn a_nested_stack_is_flattened_with_a_warning() {
        let mut nested = json!({ "OTIO_SCHEMA": "Stack.1", "name": "comp", "source_range": range(24.0),
            "children": [video(vec![clip("inner", 12.0, "b.jpg")])] });
        // Deeper than the cap: a gap, and a warning, never a stack overflow.
        let mut deep = clip("leaf", 24.0, "a.png");
        for _ in 0..30 {
            deep = json!({ "OTIO_SCHEMA": "Track.1", "children": [deep] });
        }
        nested["markers"] = json!([]);
        let i = run(&timeline(vec![video(vec![
            clip("a", 24.0, "a.png"),
            nested,
            deep,
        ])]))
        .unwrap();
        let shots = i.manifest["shots"].as_array().unwrap();
        // The inner clip (0.5 s) and the rest of the stack's 1 s as background.
        assert_eq!(shots[1]["id"], "inner");
        assert_eq!(shots[1]["duration"], 0.5);
        assert_eq!(shots[2]["layers"], json!([]));
        assert_eq!(shots[2]["duration"], 0.5);
        assert_eq!(
            shots[1]["meta"]["otio"]["item"],
            "tracks.children[0].children[1].children[0].children[0]"
        );
        let said = said(&i);
        assert!(
            said.iter().any(|s| s.starts_with(
                "cut.otio: tracks.children[0].children[1]: a nested stack (\"comp\")"
            )),
            "{said:#?}"
        );
        assert!(
            said.iter().any(|s| s.contains("nested more than 16 deep")),
            "{said:#?}"
        );
        // Deeper than the JSON reader follows (128): refused, located.
        let mut abyss = clip("leaf", 24.0, "a.png");
        for _ in 0..200 {
            abyss = json!({ "OTIO_SCHEMA": "Track.1", "children": [abyss] });
        }
        let err = refused(run(&timeline(vec![video(vec![abyss])])));
        assert!(err[0].message.contains("recursion limit"), "{err:?}");
        assert!(err[0].line.is_some());
        let total: f64 = shots.iter().map(|s| s["duration"].as_f64().unwrap()).sum();
        assert!((total - 3.0).abs() < 1e-9, "{total}");
    }

    #[test]
    fn missing_and_generated_media_show_a_placeholder() {
        let missing = json!({ "OTIO_SCHEMA": "Clip.2", "name": "lost", "source_range": range(24.0),
            "media_references": { "DEFAULT_MEDIA": { "OTIO_SCHEMA": "MissingReference.1" } },
            "active_media_reference_key": "DEFAULT_MEDIA" });
        let bars = json!({ "OTIO_SCHEMA": "Clip.1", "name": "bars", "source_range": range(24.0),
            "media_reference": { "OTIO_SCHEMA": "GeneratorReference.1", "generator_kind": "SMPTEBars" } });
        let i = run(&timeline(vec![video(vec![
            missing,
            bars,
            clip("v", 24.0, "gone/take.mov"),
        ])]))
        .unwrap();
        let shots = &i.manifest["shots"];
        assert_eq!(
            shots[0]["lines"][0]["text"],
            "[lost: no media (MissingReference)]"
        );
        assert_eq!(shots[0]["lines"][0]["duration"], 1.0);
        assert!(
            shots[1]["lines"][0]["text"]
                .as_str()
                .unwrap()
                .starts_with("[bars: generated media (SMPTEBars)")
        );
        let said = said(&i);
        assert!(
            said.iter().any(|s| s.starts_with(
                "cut.otio: tracks.children[0].children[0].media_references.DEFAULT_MEDIA: no media"
            )),
            "{said:#?}"
        );
        assert!(said.iter().any(|s| s.starts_with("cut.otio: tracks.children[0].children[2].media_reference.target_url: gone/take.mov is not in the draft")), "{said:#?}");
        assert_eq!(shots[2]["lines"][0]["text"], "[v: take.mov not found]");
        assert_eq!(i.manifest["assets"], json!({}));
    }

    #[test]
    fn an_image_sequence_shows_the_frame_the_clip_starts_on() {
        let files = InMemory::default().with("seq/shot.0105.png", "png");
        let t = timeline(vec![video(vec![
            json!({ "OTIO_SCHEMA": "Clip.1", "name": "s",
            "source_range": { "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(5.0, 24.0), "duration": rt(24.0, 24.0) },
            "media_reference": { "OTIO_SCHEMA": "ImageSequenceReference.1", "target_url_base": "seq/",
                "name_prefix": "shot.", "name_suffix": ".png", "start_frame": 100, "frame_step": 1,
                "rate": 24, "frame_zero_padding": 4,
                "available_range": { "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(0.0, 24.0), "duration": rt(48.0, 24.0) } } }),
        ])]);
        let files = files.with("cut.otio", t.to_string());
        let i = import(&files, "cut.otio", &Options::default()).unwrap();
        assert_eq!(i.manifest["assets"]["shot-0105"], "seq/shot.0105.png");
        assert!(i.problems.is_empty(), "{:#?}", said(&i));
    }

    #[test]
    fn audio_tracks_become_music_and_sound_effects() {
        let audio = json!({ "OTIO_SCHEMA": "Track.1", "kind": "Audio", "children": [
            gap(12.0), clip("boom", 24.0, "sfx/boom.wav"), clip("theme", 240.0, "music.ogg"),
            clip("lost", 24.0, "nowhere.wav"),
        ]});
        let i = run(&timeline(vec![
            video(vec![clip("a", 24.0, "a.png"), clip("b", 480.0, "b.jpg")]),
            audio,
        ]))
        .unwrap();
        let m = &i.manifest;
        assert_eq!(
            m["shots"][0]["sfx"],
            json!([{ "audio": "boom", "at": 0.5 }])
        );
        assert_eq!(
            m["music"],
            json!([{ "audio": "music", "at": 1.5, "until": 11.5 }])
        );
        assert!(said(&i).iter().any(|s| s.starts_with("cut.otio: tracks.children[1].children[3].media_reference.target_url: nowhere.wav: no audio file")));
    }

    #[test]
    fn more_video_tracks_are_named_and_left_out() {
        let i = run(&timeline(vec![
            video(vec![clip("a", 24.0, "a.png")]),
            json!({ "OTIO_SCHEMA": "Track.1", "name": "overlay", "kind": "Video", "children": [] }),
        ]))
        .unwrap();
        assert_eq!(
            said(&i),
            [
                "cut.otio: tracks.children: 2 video tracks: only the first (tracks.children[0]) is shown; left out: tracks.children[1] (\"overlay\")"
            ]
        );
    }

    #[test]
    fn bad_input_is_located_never_a_panic() {
        // Truncated: its line and column.
        let files = InMemory::default().with(
            "cut.otio",
            "{\n \"OTIO_SCHEMA\": \"Timeline.1\",\n \"tracks\": {",
        );
        let err = refused(import(&files, "cut.otio", &Options::default()));
        assert_eq!(err[0].path, "cut.otio");
        assert!(err[0].message.starts_with("not JSON"), "{}", err[0].message);
        assert_eq!(err[0].line, Some(3));
        assert!(err[0].column.is_some());

        // Rate 0, a negative duration, a huge value, an unknown item, a clip of no length.
        let mut zero = clip("zero", 24.0, "a.png");
        zero["source_range"]["duration"]["rate"] = json!(0);
        let negative = clip("neg", -24.0, "a.png");
        let huge = json!({ "OTIO_SCHEMA": "Clip.1", "name": "huge", "source_range": {
            "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(0.0, 24.0), "duration": rt(1e300, 1.0) } });
        let i = run(&timeline(vec![video(vec![
            zero,
            negative,
            huge,
            json!({ "OTIO_SCHEMA": "Effect.1" }),
            json!([1, 2]),
            clip("ok", 24.0, "a.png"),
        ])]))
        .unwrap();
        let said = said(&i);
        let has = |path: &str, words: &str| {
            said.iter()
                .any(|s| s.starts_with(&format!("cut.otio: {path}: ")) && s.contains(words))
        };
        assert!(
            has(
                "tracks.children[0].children[0].source_range.duration.rate",
                "rate 0: not a frame rate above 0"
            ),
            "{said:#?}"
        );
        assert!(
            has(
                "tracks.children[0].children[1].source_range.duration",
                "a negative duration, read as 0"
            ),
            "{said:#?}"
        );
        assert!(
            has(
                "tracks.children[0].children[2].source_range.duration",
                "more than a day"
            ),
            "{said:#?}"
        );
        assert!(
            has(
                "tracks.children[0].children[3]",
                "\"Effect\": not an item Manju reads"
            ),
            "{said:#?}"
        );
        let ids: Vec<&str> = i.manifest["shots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["huge", "ok"]);
        assert_eq!(i.manifest["shots"][0]["duration"], MAX_SECONDS);

        // Nothing to show, or no video track at all: refused with the place.
        let err = refused(run(&timeline(vec![video(vec![])])));
        assert_eq!(err[0].path, "cut.otio: tracks.children[0].children");
        let err = refused(run(&timeline(vec![])));
        assert_eq!(err[0].path, "cut.otio: tracks.children");
        let err = refused(run(&json!({ "OTIO_SCHEMA": "Clip.1" })));
        assert_eq!(err[0].path, "cut.otio: OTIO_SCHEMA");
    }

    #[test]
    fn urls_are_found_inside_the_draft() {
        let files = InMemory::default()
            .with("ep/cut.otio", "{}")
            .with("ep/img/a b.png", "x")
            .with("ep/c.png", "x");
        let im = Importer {
            entry: "ep/cut.otio".into(),
            dir: "ep".into(),
            names: files.names().into_iter().collect(),
            problems: Vec::new(),
            assets: BTreeMap::new(),
            by_path: HashMap::new(),
            files: &files,
            placeholders: 0,
            sequences: 0,
            nested: 0,
            rate: None,
        };
        assert_eq!(im.find("img/a%20b.png").as_deref(), Some("ep/img/a b.png"));
        assert_eq!(
            im.find("file:///Users/x/proj/img/a%20b.png").as_deref(),
            Some("ep/img/a b.png")
        );
        assert_eq!(
            im.find("file://localhost/D%3a/media/c.png").as_deref(),
            Some("ep/c.png")
        );
        assert_eq!(im.find("C:\\media\\c.png").as_deref(), Some("ep/c.png"));
        assert_eq!(im.find("../../etc/c.png"), None);
        assert_eq!(im.find("https://example.com/c.png"), None);
    }
}
