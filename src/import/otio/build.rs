//! The flattened video track → the manifest's shots, their transitions and notes, and
//! the audio tracks' music and sound effects.

use super::read::{is_audio, micros, sanitise, seconds};
use super::*;

/// The shots made from the segments, with their times in microseconds.
pub(super) struct Cutting {
    pub(super) shots: Vec<Map<String, Value>>,
    /// Each shot's `[start, end)`.
    pub(super) bounds: Vec<(i64, i64)>,
    /// A segment's shot (`None`: too short to be one).
    pub(super) index_of: Vec<Option<usize>>,
    pub(super) clips: usize,
    pub(super) gaps: usize,
}

impl Cutting {
    /// The episode's length.
    pub(super) fn total(&self) -> i64 {
        self.bounds.last().map_or(0, |b| b.1)
    }

    /// The shot on screen at `t` (the first before the start, the last after the end).
    fn shot_at(&self, t: i64) -> usize {
        self.bounds.iter().rposition(|b| b.0 <= t).unwrap_or(0)
    }
}

/// A shot per segment, its times summed exactly and rounded once.
pub(super) fn shots(im: &mut Importer<'_>, segments: &[Segment]) -> Cutting {
    let mut c = Cutting {
        shots: Vec::new(),
        bounds: Vec::new(),
        index_of: Vec::new(),
        clips: 0,
        gaps: 0,
    };
    let mut ids: HashSet<String> = HashSet::new();
    for s in segments {
        let (a, b) = (micros(s.start), micros(s.start + s.duration));
        if b - a < 1000 {
            c.index_of.push(None);
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
                c.clips += 1;
            }
            Media::Gap => {
                shot.insert("layers".into(), json!([]));
                c.gaps += 1;
            }
            Media::Placeholder(text) => {
                shot.insert("layers".into(), json!([]));
                shot.insert(
                    "lines".into(),
                    json!([{ "text": text, "display": "caption", "at": 0, "duration": d }]),
                );
                c.clips += 1;
            }
        }
        shot.insert(
            "meta".into(),
            json!({ "otio": { "name": s.name, "item": s.at } }),
        );
        c.index_of.push(Some(c.shots.len()));
        c.bounds.push((a, b));
        c.shots.push(shot);
    }
    c
}

/// Transitions between two shots: at the cut, `in + out` long, no longer than either shot
/// allows. Returns how many.
pub(super) fn transitions(
    im: &mut Importer<'_>,
    c: &mut Cutting,
    cuts: &[Cut],
    segments: usize,
) -> usize {
    let mut count = 0;
    for cut in cuts {
        let before = (0..cut.before).rev().find_map(|k| c.index_of[k]);
        let after = (cut.before..segments).find_map(|k| c.index_of[k]);
        let d = cut.in_offset + cut.out_offset;
        if d <= 0.0 {
            continue;
        }
        count += 1;
        match (before, after) {
            (Some(b), Some(a)) if a == b + 1 => {
                let limit = (c.bounds[b].1 - c.bounds[b].0).min(c.bounds[a].1 - c.bounds[a].0);
                let mut len = micros(d);
                if len > limit {
                    im.warn(&cut.at, format!("{:.3} s: longer than the shots it joins allow here (centred on the cut), shortened to {:.3} s", seconds(len), seconds(limit)));
                    len = limit;
                }
                c.shots[a].insert(
                    "transition".into(),
                    json!({ "type": cut.kind, "duration": seconds(len) }),
                );
            }
            _ => im.warn(&cut.at, "not between two items: left out"),
        }
    }
    count
}

/// Markers → lines of the notes of the shot they fall in: those of the segments, then
/// `track` (the video track's and the top stack's, each with its path), counted from
/// `lead`. Returns how many.
pub(super) fn notes(
    im: &mut Importer<'_>,
    c: &mut Cutting,
    segments: &[Segment],
    track: [(&Value, String); 2],
    lead: f64,
    video_at: &str,
) -> usize {
    let mut notes: Vec<Vec<String>> = vec![Vec::new(); c.shots.len()];
    let mut marker_count = 0;
    let mut pending: Vec<(Value, f64, String, Option<usize>)> = Vec::new();
    for (k, s) in segments.iter().enumerate() {
        for (j, m) in s.markers.iter().enumerate() {
            pending.push((
                m.clone(),
                s.marker_base,
                format!("{}[{j}]", s.marker_at),
                c.index_of[k],
            ));
        }
    }
    for (list, at) in track {
        for (j, m) in list.as_array().map_or(&[][..], |a| a).iter().enumerate() {
            pending.push((m.clone(), lead, format!("{at}[{j}]"), None));
        }
    }
    if pending.len() > MAX_MARKERS {
        im.warn(
            video_at,
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
                if us < c.bounds[k].0 || us > c.bounds[k].1 {
                    im.warn(&at, format!("at {t:.3} s, outside its clip ({:.3}–{:.3} s): noted on the clip's shot", seconds(c.bounds[k].0), seconds(c.bounds[k].1)));
                }
                k
            }
            None => {
                if us < 0 || us > c.total() {
                    im.warn(
                        &at,
                        format!("at {t:.3} s, outside the timeline: noted on the nearest shot"),
                    );
                }
                c.shot_at(us)
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
    for (shot, n) in c.shots.iter_mut().zip(notes) {
        if !n.is_empty() {
            shot.insert("notes".into(), n.join("\n").into());
        }
    }
    marker_count
}

/// Audio tracks → music (clips of `MUSIC_SECONDS` or more) and sound effects of the shot
/// they start in. Returns the music, and how many sound effects and clips left out.
pub(super) fn audio(
    im: &mut Importer<'_>,
    c: &mut Cutting,
    tracks: &[(usize, &Value)],
) -> (Vec<Value>, usize, usize) {
    let mut music = Vec::new();
    let (mut sfx_count, mut skipped_audio) = (0, 0);
    for &(k, track) in tracks {
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
            if a >= c.total() {
                im.warn(&cat, "after the video track ends: left out");
                continue;
            }
            if d >= MUSIC_SECONDS {
                music.push(
                    json!({ "audio": audio, "at": seconds(a), "until": seconds(b.min(c.total())) }),
                );
            } else {
                let s = c.shot_at(a);
                let entry = c.shots[s].entry("sfx").or_insert_with(|| json!([]));
                if let Some(list) = entry.as_array_mut() {
                    list.push(json!({ "audio": audio, "at": seconds(a - c.bounds[s].0) }));
                }
                sfx_count += 1;
            }
        }
    }
    (music, sfx_count, skipped_audio)
}

/// The canvas: the first image's shape, 1080 pixels on its shorter side; 1920×1080 (an
/// NLE's usual frame) when no image is read.
pub(super) fn canvas(im: &mut Importer<'_>, shots: &[Map<String, Value>]) -> (u32, u32) {
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
