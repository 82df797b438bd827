//! Reading the timeline: times, ranges, items, nested compositions and media references
//! → the flattened video track (segments and the cuts between them).

use super::*;

impl Importer<'_> {
    pub(super) fn warn(&mut self, at: &str, message: impl Into<String>) {
        self.problems
            .push(Problem::warning(format!("{}: {at}", self.entry), message));
    }

    /// A RationalTime in seconds; `None` (with a warning) when it is not one.
    pub(super) fn time(&mut self, v: &Value, at: &str) -> Option<f64> {
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
    pub(super) fn range(&mut self, v: &Value, at: &str) -> Option<(f64, f64)> {
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
    pub(super) fn media_reference<'v>(&self, clip: &'v Value, at: &str) -> (&'v Value, String) {
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
    pub(super) fn item_range(
        &mut self,
        item: &Value,
        at: &str,
        depth: usize,
    ) -> Option<(f64, f64)> {
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
    pub(super) fn track(
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
    pub(super) fn lane(&mut self, item: &Value, at: &str, depth: usize, base: f64) -> Vec<Segment> {
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
    pub(super) fn segment(
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
    pub(super) fn clip_media(
        &mut self,
        clip: &Value,
        at: &str,
        name: &str,
        source_start: f64,
    ) -> Media {
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
    pub(super) fn placeholder(&mut self, at: &str, label: &str, shown: &str, why: String) -> Media {
        self.placeholders += 1;
        self.warn(at, format!("{why}: a placeholder naming the clip shows"));
        Media::Placeholder(format!("[{label}: {shown}]"))
    }

    /// An image the clip points at, found in the draft; a placeholder otherwise.
    pub(super) fn image(&mut self, url: &str, at: &str, label: &str) -> Media {
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
    pub(super) fn find(&self, url: &str) -> Option<String> {
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

    pub(super) fn asset(&mut self, path: &str) -> String {
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
    pub(super) fn transition_kind(&mut self, t: &Value, at: &str) -> &'static str {
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
pub(super) fn gap_segment(start: f64, duration: f64, at: &str) -> Segment {
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
pub(super) fn window(
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

pub(super) fn is_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif"]
        .iter()
        .any(|e| lower.ends_with(e))
}

pub(super) fn is_audio(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".mp3", ".ogg", ".oga", ".opus", ".wav", ".m4a", ".aac", ".flac",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// `%3a` → `:`; an invalid escape stays as it is.
pub(super) fn percent_decode(s: &str) -> String {
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
pub(super) fn join(dir: &str, href: &str) -> Option<String> {
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
pub(super) fn sanitise(name: &str, fallback: &str) -> String {
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
pub(super) fn micros(s: f64) -> i64 {
    (s * 1e6).round() as i64
}

pub(super) fn seconds(us: i64) -> f64 {
    us as f64 / 1e6
}
