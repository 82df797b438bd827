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
//!
//! [`read`] flattens the video track into segments and cuts; [`build`] makes the
//! manifest's shots, transitions, notes and audio from them.

mod build;
mod read;
#[cfg(test)]
mod tests;

use super::source::{Files, Imported, Kind, Options, read_json};
use crate::problem::Problem;
use read::{gap_segment, micros, seconds};
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
/// The longest a time read may be, in seconds (the format's limit for a shot).
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
    let mut c = build::shots(&mut im, &segments);
    if c.shots.is_empty() {
        return Err(vec![Problem::error(
            format!("{entry}: {video_at}.children"),
            "no clip or gap with a length on the first video track: nothing to show",
        )]);
    }
    let total = c.total();
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
    transitions += build::transitions(&mut im, &mut c, &cuts, segments.len());
    let marker_count = build::notes(
        &mut im,
        &mut c,
        &segments,
        [
            (&video["markers"], format!("{video_at}.markers")),
            (&stack["markers"], "tracks.markers".to_string()),
        ],
        lead,
        &video_at,
    );
    let audio_tracks: Vec<(usize, &Value)> = tracks
        .iter()
        .enumerate()
        .filter(|(_, t)| is_audio_track(t))
        .collect();
    let (music, sfx_count, skipped_audio) = build::audio(&mut im, &mut c, &audio_tracks);
    let (clips, gaps) = (c.clips, c.gaps);
    let shots = c.shots;

    let (width, height) = build::canvas(&mut im, &shots);
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
