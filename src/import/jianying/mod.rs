//! A Jianying (剪映) / CapCut draft (`draft_content.json`, CapCut's `draft_info.json`, and
//! the draft's folder of materials) → a drama. Times in a draft are microseconds, as here.
//!
//! | draft | Manju |
//! |---|---|
//! | `canvas_config.width/height`, `fps` | the canvas |
//! | the main video track (the video track with the most segments; the first of equals) | its segments, in time order, a shot each (`target_timerange`); a gap between them is an empty shot |
//! | a segment's `material_id` → `materials.videos[]` of `type: photo` | the shot's layer, drawn whole (`fit: contain`, as Jianying fits a picture into the canvas) |
//! | `materials.videos[]` of `type: video` | a picture beside the video with its name (`clip.png` for `clip.mp4`) if there is one, else a placeholder; a warning (videos do not play) |
//! | `clip.transform.x/y` (half-canvas units, y up) | `x = W/2·(1 + tx)`, `y = H/2·(1 − ty)` |
//! | `clip.scale.x`, `clip.rotation` (degrees clockwise), `clip.alpha` | `scale`, `rotation`, `opacity` (a different `scale.y` is approximated by `scale.x`) |
//! | `common_keyframes` (`KFTypePositionX/Y`, `KFTypeScaleX`, `UNIFORM_SCALE`, `KFTypeRotation`, `KFTypeAlpha`; `time_offset` from the segment's start) | the layer's `keyframes`, linear |
//! | segments of the other video tracks | more layers of the shots they cover (over the main one, in track order); one inside a single shot shows only during its time; one that covers part of several shots is left out with a warning |
//! | `materials.transitions[]` named in a segment's `extra_material_refs` | the transition into the next shot, by name (`叠化` crossfade, `闪黑` fade-black, `闪白` fade-white, `左移` push-left, `向左` slide-left, `向左擦除` wipe-left, `推近` zoom, …); an unknown name is a crossfade with a warning |
//! | text segments (`materials.texts[].content`: JSON with `text` and `styles`) | lines of the shot they start in: in the bottom third a `subtitle`, above it a `caption` (no box), with a style of their size, colour and stroke |
//! | audio segments of `type: text_to_audio` or `record` | the voice of the line they overlap most (it plays at the line's start), else a sound |
//! | other audio 10 s or longer, or of a music type | `music`, at its time, with its `volume` and `audio_fades` |
//! | other audio | a shot's `sfx` at its time, with its `volume` |
//!
//! Filters, effects, stickers, masks, speed changes, animations, flips and other keyframed
//! properties are ignored, with one warning per kind naming where the first one is.
//! Material paths (absolute Windows or macOS paths in real drafts, or Jianying's
//! `##_draftpath_placeholder_…_##/` prefix) are looked for inside the draft: the longest
//! tail of the path that names a file of the draft, then the file's name anywhere in it
//! (with a warning). An encrypted draft (newer Jianying versions encrypt
//! `draft_content.json`) is refused with a message saying so.

mod draft;
mod text;

use super::source::{Files, Imported, Kind, MAX_TEXT_BYTES, read_json};
use crate::problem::Problem;
use draft::{Draft, Span, main_image, micros, num, push_layer, round2, round2_fine, secs};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use text::text_of;

/// Microseconds a draft's time may reach: a day, the format's longest time.
const MAX_MICROS: i64 = 86_400_000_000;
/// Most segments read from one track, and most tracks read.
const MAX_SEGMENTS: usize = 10_000;
const MAX_TRACKS: usize = 200;
/// Audio at least this long, not a voice, is music; shorter is a sound.
const MUSIC_MIN: i64 = 10_000_000;
/// How near a segment's ends must come to a shot's to cover it: a frame at 25 fps.
const EDGE: i64 = 40_000;
/// Jianying's text size to stage pixels on a canvas 1080 pixels on its shorter side
/// (its default size 15 is about our 56-pixel subtitle).
const TEXT_PX: f64 = 4.0;

/// The entry files of a draft, by name.
pub fn is_entry_name(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    file == "draft_content.json" || file == "draft_info.json"
}

/// Whether a JSON document is a Jianying / CapCut draft.
pub fn is_jianying(json: &Value) -> bool {
    json["materials"].is_object() && json["tracks"].is_array() && json["canvas_config"].is_object()
}

/// Reads the draft's entry: an encrypted one is named as such, broken JSON by line and
/// column.
fn read_draft(files: &dyn Files, entry: &str) -> Result<Value, Problem> {
    let bytes = files
        .read(entry)
        .ok_or_else(|| Problem::error(entry, "missing or unreadable"))?;
    if bytes.len() <= MAX_TEXT_BYTES {
        let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        let first = text.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_some_and(|b| *b != b'{' && *b != b'[') {
            return Err(Problem::error(
                entry,
                "this draft is encrypted: its bytes are not JSON text (Jianying 6 and later encrypt draft_content.json). Manju reads drafts saved unencrypted: by Jianying 5.9 or earlier, or CapCut's draft_info.json",
            ));
        }
    }
    read_json(files, entry)
}
/// Our transition for a Jianying transition's name, if one is close.
fn transition(name: &str) -> Option<&'static str> {
    let n = name.trim();
    Some(match n {
        "叠化" | "叠加" | "溶解" | "淡入淡出" | "Dissolve" | "Mix" | "Fade" => {
            "crossfade"
        }
        "闪黑" | "黑场" | "渐隐" | "Black Fade" | "Fade to black" => "fade-black",
        "闪白" | "白场" | "泛白" | "白光快闪" | "White Flash" | "Flash" => "fade-white",
        "左移" | "Pull left" | "Left" => "push-left",
        "右移" | "Pull right" | "Right" => "push-right",
        "上移" | "Pull up" | "Up" => "push-up",
        "下移" | "Pull down" | "Down" => "push-down",
        "向左" | "滑动" | "Slide left" => "slide-left",
        "向右" | "Slide right" => "slide-right",
        "向上" | "Slide up" => "slide-up",
        "向下" | "Slide down" => "slide-down",
        "向左擦除" | "Wipe left" => "wipe-left",
        "向右擦除" | "Wipe right" => "wipe-right",
        "向上擦除" | "Wipe up" => "wipe-up",
        "向下擦除" | "Wipe down" => "wipe-down",
        "推近" | "拉远" | "放大" | "缩小" | "Zoom in" | "Zoom out" => "zoom",
        _ => return None,
    })
}
/// Imports the Jianying / CapCut draft whose entry is `entry`.
pub fn import(files: &dyn Files, entry: &str) -> Result<Imported, Vec<Problem>> {
    let json = read_draft(files, entry).map_err(|p| vec![p])?;
    if !json.is_object() {
        return Err(vec![Problem::error(
            entry,
            "not a Jianying draft: the document is not a JSON object",
        )]);
    }
    let canvas = &json["canvas_config"];
    let dim = |v: &Value, d: f64| num(v).map_or(d, |n| n.round().clamp(16.0, 8192.0));
    let (width, height) = (
        dim(&canvas["width"], 1080.0),
        dim(&canvas["height"], 1920.0),
    );
    let fps = num(&json["fps"]).map_or(30.0, |f| f.round().clamp(1.0, 120.0));
    let mut materials = HashMap::new();
    if let Some(all) = json["materials"].as_object() {
        for (list, items) in all {
            for m in items.as_array().map(Vec::as_slice).unwrap_or_default() {
                if let Some(id) = m["id"].as_str() {
                    materials.insert(id, (list.as_str(), m));
                }
            }
        }
    }
    let mut d = Draft {
        entry,
        dir: entry.rsplit_once('/').map_or("", |(d, _)| d).to_string(),
        names: files.names(),
        width,
        height,
        materials,
        assets: BTreeMap::new(),
        typed: BTreeMap::new(),
        by_path: BTreeMap::new(),
        problems: Vec::new(),
        ignored: BTreeMap::new(),
        styles: Vec::new(),
    };
    let empty = Vec::new();
    let tracks = json["tracks"].as_array().unwrap_or(&empty);
    if !json["tracks"].is_array() {
        d.warn("tracks", "not a list of tracks");
    }
    if tracks.len() > MAX_TRACKS {
        d.warn(
            "tracks",
            format!(
                "{} tracks: only the first {MAX_TRACKS} are read",
                tracks.len()
            ),
        );
    }
    let tracks: Vec<(usize, &Value)> = tracks.iter().enumerate().take(MAX_TRACKS).collect();
    let kind_of = |t: &Value| t["type"].as_str().unwrap_or("").to_string();
    let count = |t: &Value| t["segments"].as_array().map_or(0, Vec::len);
    let videos: Vec<(usize, &Value)> = tracks
        .iter()
        .copied()
        .filter(|(_, t)| kind_of(t) == "video")
        .collect();
    let main = videos
        .iter()
        .copied()
        .rev()
        .max_by_key(|(_, t)| count(t))
        .filter(|(_, t)| count(t) > 0);
    let Some((main_index, main_track)) = main else {
        return Err(vec![Problem::error(
            format!("{entry}: tracks"),
            "no video track with segments: nothing to show",
        )]);
    };

    // The main track: a shot a segment.
    let main_segs = d.segments(main_track, main_index);
    let mut spans: Vec<Span> = Vec::new();
    let mut cursor = 0i64;
    let mut into_next: Option<(Value, String)> = None;
    let mut transitions = 0;
    for seg in &main_segs {
        let mut start = seg.start;
        if start > cursor + EDGE {
            let mut gap = Map::new();
            gap.insert("id".into(), format!("gap-{}", spans.len() + 1).into());
            gap.insert("duration".into(), secs(start - cursor).into());
            gap.insert("layers".into(), json!([]));
            if let Some((t, _)) = into_next.take() {
                gap.insert("transition".into(), t);
            }
            spans.push(Span {
                start: cursor,
                end: start,
                shot: gap,
            });
        } else if start < cursor {
            d.warn(
                &format!("{}.target_timerange", seg.path),
                "overlaps the segment before it: starts where that one ends",
            );
            start = cursor;
        }
        if seg.end - start <= 0 {
            continue;
        }
        // Snap a near-touching segment onto the cut before it.
        let start = if start > cursor && start <= cursor + EDGE {
            cursor
        } else {
            start
        };
        let mut shot = Map::new();
        shot.insert("id".into(), format!("shot-{}", spans.len() + 1).into());
        shot.insert("duration".into(), secs(seg.end - start).into());
        let image = main_image(&mut d, seg);
        let layer = d.layer(seg, &image, seg.start - start);
        shot.insert("layers".into(), json!([layer]));
        if let Some((t, _)) = into_next.take() {
            shot.insert("transition".into(), t);
        }
        d.extras(seg);
        // A transition on this segment leads into the next one.
        let refs = seg.v["extra_material_refs"].as_array().cloned();
        for (k, r) in refs.unwrap_or_default().iter().enumerate() {
            let Some(&("transitions", m)) = r.as_str().and_then(|id| d.materials.get(id)) else {
                continue;
            };
            let at = format!("{}.extra_material_refs[{k}]", seg.path);
            let name = m["name"].as_str().unwrap_or("").to_string();
            let kind = transition(&name).unwrap_or_else(|| {
                d.warn(
                    &at,
                    format!("transition {name:?} has no counterpart here: a crossfade"),
                );
                "crossfade"
            });
            let dur = micros(&m["duration"]).filter(|t| *t > 0).unwrap_or(500_000);
            into_next = Some((json!({ "type": kind, "duration": secs(dur) }), at));
            transitions += 1;
        }
        spans.push(Span {
            start,
            end: seg.end,
            shot,
        });
        cursor = seg.end;
    }
    if let Some((_, at)) = into_next {
        d.warn(&at, "a transition after the last segment: left out");
        transitions -= 1;
    }
    if spans.is_empty() {
        d.problems.push(Problem::error(
            format!("{entry}: tracks[{main_index}]"),
            "no segment with a time: nothing to show",
        ));
        return Err(d.problems);
    }
    // A transition is centred on its cut: no longer than either shot beside it.
    for i in 1..spans.len() {
        let room = (spans[i - 1].end - spans[i - 1].start).min(spans[i].end - spans[i].start);
        if let Some(t) = spans[i].shot.get_mut("transition")
            && let Some(dur) = t["duration"].as_f64()
            && dur > secs(room)
        {
            t["duration"] = secs(room).into();
        }
    }

    // Other video tracks: layers over the shots they cover.
    let mut overlays = 0;
    for &(t, track) in &videos {
        if t == main_index {
            continue;
        }
        for seg in d.segments(track, t) {
            let image = main_image(&mut d, &seg);
            d.extras(&seg);
            let over: Vec<usize> = (0..spans.len())
                .filter(|&i| spans[i].start < seg.end && seg.start < spans[i].end)
                .collect();
            let covers = |s: &Span| seg.start <= s.start + EDGE && seg.end + EDGE >= s.end;
            let fades = seg.v["common_keyframes"]
                .as_array()
                .is_some_and(|l| l.iter().any(|k| k["property_type"] == "KFTypeAlpha"));
            if over.iter().all(|&i| covers(&spans[i])) && !over.is_empty() {
                for &i in &over {
                    let layer = d.layer(&seg, &image, seg.start - spans[i].start);
                    push_layer(&mut spans[i].shot, layer);
                }
                overlays += 1;
            } else if let [i] = over[..]
                && !fades
            {
                let s = &spans[i];
                let mut layer = d.layer(&seg, &image, seg.start - s.start);
                let alpha = layer.get("opacity").and_then(Value::as_f64).unwrap_or(1.0);
                let mut keys = vec![];
                if seg.start > s.start {
                    keys.push(json!({ "at": 0, "opacity": 0, "ease": "step-end" }));
                }
                keys.push(json!({ "at": secs(seg.start - s.start), "opacity": alpha, "ease": "step-end" }));
                if seg.end < s.end {
                    keys.push(json!({ "at": secs(seg.end - s.start), "opacity": 0 }));
                }
                let mut all = match layer.remove("keyframes") {
                    Some(Value::Array(k)) => k,
                    _ => vec![],
                };
                all.extend(keys);
                layer.insert("keyframes".into(), Value::Array(all));
                push_layer(&mut spans[i].shot, layer);
                overlays += 1;
            } else {
                d.warn(
                    &seg.path,
                    format!(
                        "covers part of {} shots (from {:.2} s to {:.2} s): left out",
                        over.len(),
                        secs(seg.start),
                        secs(seg.end)
                    ),
                );
            }
        }
    }

    // Texts: lines of the shot they start in.
    let shot_at = |spans: &[Span], t: i64| {
        spans
            .iter()
            .position(|s| t < s.end)
            .unwrap_or(spans.len() - 1)
    };
    // (shot, line index, start, end) of each line, for voices to find.
    let mut placed: Vec<(usize, usize, i64, i64)> = Vec::new();
    let (mut subtitles, mut captions) = (0, 0);
    for &(t, track) in &tracks {
        match kind_of(track).as_str() {
            "text" => {}
            "video" | "audio" => continue,
            "" => continue,
            other => {
                let n = count(track);
                if n > 0 {
                    let kind = match other {
                        "filter" => "filters".to_string(),
                        "effect" => "effects".to_string(),
                        "sticker" => "stickers".to_string(),
                        "adjust" => "adjustments".to_string(),
                        o => format!("{o} tracks"),
                    };
                    for i in 0..n {
                        let name = track["segments"][i]["material_id"]
                            .as_str()
                            .and_then(|id| d.materials.get(id))
                            .and_then(|(_, m)| m["name"].as_str());
                        d.ignore(&kind, &format!("tracks[{t}].segments[{i}]"), name);
                    }
                }
                continue;
            }
        }
        for seg in d.segments(track, t) {
            let id = seg.v["material_id"].as_str().unwrap_or("");
            let Some(&(list, m)) = d.materials.get(id) else {
                d.warn(
                    &format!("{}.material_id", seg.path),
                    format!("{id:?} is not among the draft's materials: skipped"),
                );
                continue;
            };
            if list != "texts" {
                d.ignore(&format!("{list} on text tracks"), &seg.path, None);
                continue;
            }
            let text = text_of(m);
            if text.text.trim().is_empty() {
                d.warn(&seg.path, "no words: skipped");
                continue;
            }
            d.extras(&seg);
            let clip = &seg.v["clip"];
            let ty = num(&clip["transform"]["y"])
                .unwrap_or(-0.8)
                .clamp(-10.0, 10.0);
            let scale = num(&clip["scale"]["x"]).unwrap_or(1.0).clamp(0.01, 100.0);
            let y = height / 2.0 * (1.0 - ty);
            let k = width.min(height) / 1080.0;
            let size = round2((text.size.unwrap_or(15.0) * TEXT_PX * k * scale).clamp(1.0, 2000.0));
            let mut look = Map::new();
            look.insert("size".into(), size.into());
            if let Some(c) = &text.colour {
                look.insert("color".into(), c.clone().into());
            }
            match (&text.stroke, text.stroke_width) {
                (Some(c), w) => {
                    look.insert("stroke".into(), c.clone().into());
                    // Jianying's width 0.08 (its slider at 40) is about a 4-pixel edge.
                    let px = (w.unwrap_or(0.08) * 50.0 * k).clamp(0.0, 200.0);
                    look.insert("stroke_width".into(), round2(px).into());
                }
                (None, _) => {
                    look.insert("stroke".into(), Value::Null);
                }
            }
            let bottom = y > height * 2.0 / 3.0;
            let display = if bottom {
                look.insert("position".into(), "bottom".into());
                let margin = (height - y - size / 2.0).clamp(0.0, height / 2.0);
                look.insert("margin".into(), round2(margin).into());
                subtitles += 1;
                "subtitle"
            } else {
                look.insert("background".into(), Value::Null);
                if y < height / 3.0 {
                    look.insert("position".into(), "top".into());
                    let margin = (y - size / 2.0).clamp(0.0, height / 2.0);
                    look.insert("margin".into(), round2(margin).into());
                } else {
                    look.insert("position".into(), "center".into());
                }
                captions += 1;
                "caption"
            };
            if num(&clip["transform"]["x"]).is_some_and(|x| x.abs() > 0.05) {
                d.ignore(
                    "texts moved sideways (centred here)",
                    &format!("{}.clip.transform.x", seg.path),
                    None,
                );
            }
            let style = d.style(Value::Object(look));
            let i = shot_at(&spans, seg.start);
            let line = json!({
                "text": text.text,
                "at": secs(seg.start - spans[i].start),
                "duration": secs(seg.end - seg.start),
                "display": display,
                "style": style,
            });
            let lines = spans[i].shot.entry("lines").or_insert_with(|| json!([]));
            if let Value::Array(ls) = lines {
                ls.push(line);
                placed.push((i, ls.len() - 1, seg.start, seg.end));
            }
        }
    }

    // Audio: voices of the lines they overlap, music, sounds.
    let mut music: Vec<Value> = Vec::new();
    let (mut voices, mut sounds) = (0, 0);
    for &(t, track) in &tracks {
        if kind_of(track) != "audio" {
            continue;
        }
        for seg in d.segments(track, t) {
            let id = seg.v["material_id"].as_str().unwrap_or("");
            let Some(&(_, m)) = d.materials.get(id) else {
                d.warn(
                    &format!("{}.material_id", seg.path),
                    format!("{id:?} is not among the draft's materials: skipped"),
                );
                continue;
            };
            d.extras(&seg);
            let Some(path) = m["path"].as_str().filter(|p| !p.is_empty()) else {
                d.warn(
                    &format!("{}.material_id", seg.path),
                    "its material has no path (an online clip the draft did not download): skipped",
                );
                continue;
            };
            let at = format!("{}.material_id", seg.path);
            let audio = d.asset(path, &at);
            d.typed_as(&audio, "audio");
            let volume = round2_fine(num(&seg.v["volume"]).unwrap_or(1.0).clamp(0.0, 10.0));
            if micros(&seg.v["source_timerange"]["start"]).is_some_and(|s| s > 0) {
                d.ignore(
                    "audio cut at its start (played from its beginning)",
                    &format!("{}.source_timerange", seg.path),
                    None,
                );
            }
            let kind = m["type"].as_str().unwrap_or("");
            let spoken = kind == "text_to_audio" || kind == "record" || kind == "tts";
            if spoken {
                let best = placed
                    .iter()
                    .map(|&(s, l, a, b)| (s, l, seg.end.min(b) - seg.start.max(a)))
                    .filter(|&(s, l, o)| o > 0 && spans[s].shot["lines"][l].get("voice").is_none())
                    .max_by_key(|&(_, _, o)| o);
                if let Some((s, l, _)) = best {
                    let line = &mut spans[s].shot["lines"][l];
                    line["voice"] = audio.clone().into();
                    if volume != 1.0 {
                        line["volume"] = volume.into();
                    }
                    voices += 1;
                    continue;
                }
            }
            let long = seg.end - seg.start >= MUSIC_MIN;
            if !spoken && (kind.contains("music") || long) {
                let mut entry = json!({
                    "audio": audio,
                    "at": secs(seg.start),
                    "until": secs(seg.end),
                    "volume": volume,
                });
                let refs = seg.v["extra_material_refs"].as_array().cloned();
                for r in refs.unwrap_or_default() {
                    if let Some(&("audio_fades", f)) = r.as_str().and_then(|id| d.materials.get(id))
                    {
                        let half = (seg.end - seg.start) / 2;
                        for (ours, theirs) in [
                            ("fade_in", "fade_in_duration"),
                            ("fade_out", "fade_out_duration"),
                        ] {
                            if let Some(v) = micros(&f[theirs]).filter(|v| *v > 0) {
                                entry[ours] = secs(v.min(half)).into();
                            }
                        }
                    }
                }
                music.push(entry);
            } else {
                let i = shot_at(&spans, seg.start);
                let sfx = json!({
                    "audio": audio,
                    "at": secs(seg.start - spans[i].start),
                    "volume": volume,
                });
                let list = spans[i].shot.entry("sfx").or_insert_with(|| json!([]));
                if let Value::Array(l) = list {
                    l.push(sfx);
                }
                sounds += 1;
            }
        }
    }

    for (kind, (at, n, names)) in std::mem::take(&mut d.ignored) {
        let named = if names.is_empty() {
            String::new()
        } else {
            format!(" ({})", names.join(", "))
        };
        let first = if n > 1 { ", the first here" } else { "" };
        d.warn(
            &at,
            format!("{n} × {kind}{named}{first}: not carried over, ignored"),
        );
    }

    let shots: Vec<Value> = spans.into_iter().map(|s| Value::Object(s.shot)).collect();
    let mut assets = Map::new();
    for (id, path) in &d.assets {
        let v = match d.typed.get(id) {
            Some(ty) => json!({ "src": path, "type": ty }),
            None => path.clone().into(),
        };
        assets.insert(id.clone(), v);
    }
    let styles: Map<String, Value> = d
        .styles
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("jianying-{}", i + 1), s.clone()))
        .collect();
    let title = json["name"]
        .as_str()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("Jianying draft");
    let mut manifest = Map::new();
    manifest.insert("format".into(), "manju/1".into());
    manifest.insert("title".into(), title.into());
    manifest.insert(
        "canvas".into(),
        json!({ "width": width as u32, "height": height as u32, "fps": fps as u32 }),
    );
    manifest.insert("assets".into(), Value::Object(assets));
    if !styles.is_empty() {
        manifest.insert("styles".into(), Value::Object(styles));
    }
    manifest.insert("shots".into(), Value::Array(shots));
    let music_clips = music.len();
    if !music.is_empty() {
        manifest.insert("music".into(), Value::Array(music));
    }
    manifest.insert(
        "meta".into(),
        json!({ "imported_from": "Jianying / CapCut draft", "source": entry }),
    );
    let mapped = vec![
        format!(
            "{} segments of the main video track (tracks[{main_index}]) → {} shots, {transitions} transitions",
            main_segs.len(),
            manifest["shots"].as_array().map_or(0, Vec::len)
        ),
        format!("{overlays} segments of other video tracks → layers over their shots"),
        format!(
            "{} texts → lines ({subtitles} subtitles, {captions} captions)",
            subtitles + captions
        ),
        format!("{voices} voices, {music_clips} music clips, {sounds} sounds"),
    ];
    Ok(Imported {
        kind: Kind::Jianying,
        manifest: Value::Object(manifest),
        problems: d.problems,
        mapped,
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_colours_transitions() {
        assert!(is_entry_name("ep1/draft_content.json"));
        assert!(is_entry_name("draft_info.json"));
        assert!(!is_entry_name("draft_meta_info.json"));
        assert_eq!(transition("叠化"), Some("crossfade"));
        assert_eq!(transition("闪黑"), Some("fade-black"));
        assert_eq!(transition("左移"), Some("push-left"));
        assert_eq!(transition("向左擦除"), Some("wipe-left"));
        assert_eq!(transition("动漫火焰"), None);
        assert_eq!(micros(&json!(1e300)), Some(MAX_MICROS));
        assert_eq!(micros(&json!(-5)), Some(-5));
        assert_eq!(micros(&json!("3")), None);
    }
}
