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

use super::divina::{join, unique_id};
use super::source::{Files, Imported, Kind, MAX_TEXT_BYTES, read_json};
use crate::problem::Problem;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

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

fn num(v: &Value) -> Option<f64> {
    v.as_f64().filter(|n| n.is_finite())
}

/// Microseconds, held within a day either way.
fn micros(v: &Value) -> Option<i64> {
    let n = v.as_i64().or_else(|| num(v).map(|f| f.round() as i64))?;
    Some(n.clamp(-MAX_MICROS, MAX_MICROS))
}

fn secs(t: i64) -> f64 {
    crate::time::to_seconds(t)
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// `[r, g, b]` in 0..1 → `#rrggbb`.
fn colour(v: &Value) -> Option<String> {
    let a = v.as_array()?;
    if a.len() < 3 {
        return None;
    }
    let c = |i: usize| num(&a[i]).map(|x| (x.clamp(0.0, 1.0) * 255.0).round() as u8);
    Some(format!("#{:02x}{:02x}{:02x}", c(0)?, c(1)?, c(2)?))
}

/// `#RRGGBB` as older drafts write it.
fn hex_colour(v: &Value) -> Option<String> {
    let s = v.as_str()?.trim();
    let h = s.strip_prefix('#')?;
    (h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
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

/// One segment of a track, its times checked.
struct Seg<'a> {
    start: i64,
    end: i64,
    v: &'a Value,
    path: String,
}

/// A shot being built, with its place on the draft's timeline.
struct Span {
    start: i64,
    end: i64,
    shot: Map<String, Value>,
}

struct Draft<'a> {
    entry: &'a str,
    dir: String,
    names: Vec<String>,
    width: f64,
    height: f64,
    /// Material id → (its list in `materials`, the material).
    materials: HashMap<&'a str, (&'a str, &'a Value)>,
    assets: BTreeMap<String, String>,
    /// Assets written as `{src, type}` (a video shown as a picture).
    typed: BTreeMap<String, &'static str>,
    by_path: BTreeMap<String, String>,
    problems: Vec<Problem>,
    /// What is ignored, by kind: where the first is, how many, the names seen.
    ignored: BTreeMap<String, (String, usize, Vec<String>)>,
    styles: Vec<Value>,
}

impl<'a> Draft<'a> {
    fn warn(&mut self, at: &str, message: impl Into<String>) {
        self.problems
            .push(Problem::warning(format!("{}: {at}", self.entry), message));
    }

    fn ignore(&mut self, kind: &str, at: &str, name: Option<&str>) {
        let e = self
            .ignored
            .entry(kind.to_string())
            .or_insert_with(|| (at.to_string(), 0, Vec::new()));
        e.1 += 1;
        if let Some(n) = name.filter(|n| !n.is_empty())
            && !e.2.iter().any(|m| m == n)
            && e.2.len() < 5
        {
            e.2.push(n.to_string());
        }
    }

    /// The draft's file a material's path names, or `None` with where it was looked for.
    fn find(&self, raw: &str) -> (Option<String>, bool) {
        let mut norm = raw.replace('\\', "/");
        if let Some(rest) = norm.strip_prefix("##_draftpath_placeholder_") {
            norm = rest.split_once("_##").map_or(rest, |(_, r)| r).to_string();
        }
        let parts: Vec<&str> = norm
            .split('/')
            .filter(|c| !c.is_empty() && !c.ends_with(':') && *c != "~")
            .collect();
        let relative = !raw.starts_with(['/', '\\']) && !raw.contains(':');
        // The longest tail of the path that is a file of the draft; a bare name counts
        // only when the path was relative.
        let shortest = if relative { 1 } else { 2 };
        for start in 0..parts.len() {
            if parts.len() - start < shortest {
                break;
            }
            if let Some(p) = join(&self.dir, &parts[start..].join("/"))
                && self.names.contains(&p)
            {
                return (Some(p), false);
            }
        }
        let Some(name) = parts.last() else {
            return (None, false);
        };
        let by_name = self
            .names
            .iter()
            .filter(|n| n.rsplit('/').next() == Some(name))
            .min_by_key(|n| (n.matches('/').count(), n.len()));
        (by_name.cloned(), by_name.is_some())
    }

    /// The asset id of the file a material's `path` names (a placeholder id when the
    /// draft has no such file).
    fn asset(&mut self, raw: &str, at: &str) -> String {
        let (found, by_name) = self.find(raw);
        let path = match found {
            Some(p) => {
                if by_name {
                    self.warn(
                        at,
                        format!("{raw:?} is not at that place in the draft: {p}, found by its name, is used"),
                    );
                }
                p
            }
            None => {
                let name = raw.replace('\\', "/");
                let name = name.rsplit('/').next().unwrap_or("").to_string();
                self.warn(
                    at,
                    format!("{raw:?} is not in the draft (looked for by its path and by its name): a placeholder shows (or silence plays) in its place"),
                );
                join(&self.dir, &name).unwrap_or_else(|| "missing".to_string())
            }
        };
        self.asset_at(&path)
    }

    /// Says an asset's type when its file's extension does not (`.bmp`, a name without one).
    fn typed_as(&mut self, id: &str, kind: &'static str) {
        let path = self.assets.get(id).map_or("", String::as_str);
        let ext = path
            .rsplit_once('.')
            .map_or(String::new(), |(_, e)| e.to_ascii_lowercase());
        let known: &[&str] = if kind == "audio" { AUDIO } else { IMAGE };
        if !known.contains(&ext.as_str()) {
            self.typed.insert(id.to_string(), kind);
        }
    }

    fn asset_at(&mut self, path: &str) -> String {
        if let Some(id) = self.by_path.get(path) {
            return id.clone();
        }
        let id = unique_id(path, &self.assets);
        self.by_path.insert(path.to_string(), id.clone());
        self.assets.insert(id.clone(), path.to_string());
        id
    }

    fn segments(&mut self, track: &'a Value, t: usize) -> Vec<Seg<'a>> {
        let mut out = Vec::new();
        let Some(list) = track["segments"].as_array() else {
            if !track["segments"].is_null() {
                self.warn(&format!("tracks[{t}].segments"), "not a list: ignored");
            }
            return out;
        };
        if list.len() > MAX_SEGMENTS {
            self.warn(
                &format!("tracks[{t}].segments"),
                format!(
                    "{} segments: only the first {MAX_SEGMENTS} are read",
                    list.len()
                ),
            );
        }
        for (i, v) in list.iter().enumerate().take(MAX_SEGMENTS) {
            let path = format!("tracks[{t}].segments[{i}]");
            let range = &v["target_timerange"];
            let (Some(start), Some(dur)) = (micros(&range["start"]), micros(&range["duration"]))
            else {
                self.warn(
                    &format!("{path}.target_timerange"),
                    "no start and duration (microseconds): skipped",
                );
                continue;
            };
            if dur <= 0 || start < 0 {
                self.warn(
                    &format!("{path}.target_timerange"),
                    format!("starts at {start} µs and lasts {dur} µs: skipped"),
                );
                continue;
            }
            let end = (start + dur).min(MAX_MICROS);
            out.push(Seg {
                start,
                end,
                v,
                path,
            });
        }
        out.sort_by_key(|s| s.start);
        out
    }

    /// Notes what a segment carries that Manju ignores (effects, animations, speed…).
    fn extras(&mut self, seg: &Seg<'a>) {
        let refs = seg.v["extra_material_refs"].as_array().cloned();
        for (k, r) in refs.unwrap_or_default().iter().enumerate() {
            let Some(id) = r.as_str() else { continue };
            let Some(&(list, m)) = self.materials.get(id) else {
                continue;
            };
            let at = format!("{}.extra_material_refs[{k}]", seg.path);
            let name = m["name"].as_str();
            let kind = match list {
                "speeds" => {
                    let speed = num(&m["speed"]).unwrap_or(1.0);
                    if (speed - 1.0).abs() < 1e-6 && m["curve_speed"].is_null() {
                        continue;
                    }
                    "speed changes"
                }
                "material_animations" => {
                    let has = m["animations"].as_array().is_some_and(|a| !a.is_empty());
                    if !has {
                        continue;
                    }
                    let name = m["animations"][0]["name"].as_str();
                    self.ignore("animations", &at, name);
                    continue;
                }
                "video_effects" | "effects" => "effects",
                "filters" => "filters",
                "masks" => "masks",
                "chromas" => "chroma keys",
                "hsl" | "color_curves" | "primary_color_wheels" | "log_color_wheels" => {
                    "colour adjustments"
                }
                "audio_effects" => "audio effects",
                "transitions"
                | "canvases"
                | "sound_channel_mappings"
                | "vocal_separations"
                | "material_colors"
                | "placeholder_infos"
                | "beats"
                | "loudnesses"
                | "audio_fades"
                | "realtime_denoises" => continue,
                _ => continue,
            };
            self.ignore(kind, &at, name);
        }
        if seg.v["clip"]["flip"]["horizontal"].as_bool() == Some(true)
            || seg.v["clip"]["flip"]["vertical"].as_bool() == Some(true)
        {
            self.ignore("flips", &format!("{}.clip.flip", seg.path), None);
        }
    }

    /// A layer of `image` with the segment's clip and keyframes, its times relative to a
    /// shot starting `shift` µs before the segment.
    fn layer(&mut self, seg: &Seg<'a>, image: &str, shift: i64) -> Map<String, Value> {
        let (w, h) = (self.width, self.height);
        let clip = &seg.v["clip"];
        let tx = num(&clip["transform"]["x"]).unwrap_or(0.0).clamp(-1e4, 1e4);
        let ty = num(&clip["transform"]["y"]).unwrap_or(0.0).clamp(-1e4, 1e4);
        let sx = num(&clip["scale"]["x"]).unwrap_or(1.0).clamp(0.0, 1000.0);
        let sy = num(&clip["scale"]["y"]).unwrap_or(sx).clamp(0.0, 1000.0);
        let rotation = num(&clip["rotation"])
            .unwrap_or(0.0)
            .clamp(-36_000.0, 36_000.0);
        let alpha = num(&clip["alpha"]).unwrap_or(1.0).clamp(0.0, 1.0);
        if (sx - sy).abs() > 1e-6 {
            self.ignore(
                "different horizontal and vertical scales (drawn at the horizontal one)",
                &format!("{}.clip.scale", seg.path),
                None,
            );
        }
        let mut layer = Map::new();
        layer.insert("image".into(), image.into());
        layer.insert("fit".into(), "contain".into());
        if tx != 0.0 {
            layer.insert(
                "x".into(),
                round2((w / 2.0 * (1.0 + tx)).clamp(-1e7, 1e7)).into(),
            );
        }
        if ty != 0.0 {
            layer.insert(
                "y".into(),
                round2((h / 2.0 * (1.0 - ty)).clamp(-1e7, 1e7)).into(),
            );
        }
        if sx != 1.0 {
            layer.insert("scale".into(), round2_fine(sx).into());
        }
        if rotation != 0.0 {
            layer.insert("rotation".into(), round2(rotation).into());
        }
        if alpha != 1.0 {
            layer.insert("opacity".into(), round2_fine(alpha).into());
        }
        let keys = self.keyframes(seg, shift);
        if !keys.is_empty() {
            layer.insert("keyframes".into(), Value::Array(keys));
        }
        layer
    }

    fn keyframes(&mut self, seg: &Seg<'a>, shift: i64) -> Vec<Value> {
        let (w, h) = (self.width, self.height);
        let mut at: BTreeMap<i64, Map<String, Value>> = BTreeMap::new();
        let lists = seg.v["common_keyframes"].as_array().cloned();
        for (k, list) in lists.unwrap_or_default().iter().enumerate() {
            let kind = list["property_type"].as_str().unwrap_or("");
            let field = match kind {
                "KFTypePositionX" => "x",
                "KFTypePositionY" => "y",
                "KFTypeScaleX" | "UNIFORM_SCALE" => "scale",
                "KFTypeScaleY" => continue,
                "KFTypeRotation" => "rotation",
                "KFTypeAlpha" => "opacity",
                other => {
                    self.ignore(
                        "keyframes of other properties",
                        &format!("{}.common_keyframes[{k}]", seg.path),
                        Some(other),
                    );
                    continue;
                }
            };
            let keys = list["keyframe_list"].as_array().cloned();
            for key in keys.unwrap_or_default().iter().take(1000) {
                let (Some(t), Some(v)) = (micros(&key["time_offset"]), num(&key["values"][0]))
                else {
                    continue;
                };
                let value = match field {
                    "x" => round2((w / 2.0 * (1.0 + v.clamp(-1e4, 1e4))).clamp(-1e7, 1e7)),
                    "y" => round2((h / 2.0 * (1.0 - v.clamp(-1e4, 1e4))).clamp(-1e7, 1e7)),
                    "scale" => round2_fine(v.clamp(0.0, 1000.0)),
                    "rotation" => round2(v.clamp(-36_000.0, 36_000.0)),
                    _ => round2_fine(v.clamp(0.0, 1.0)),
                };
                let t = (t.clamp(0, MAX_MICROS) + shift).clamp(-MAX_MICROS, MAX_MICROS);
                at.entry(t)
                    .or_default()
                    .insert(field.to_string(), value.into());
            }
        }
        at.into_iter()
            .map(|(t, mut m)| {
                let mut key = Map::new();
                key.insert("at".into(), secs(t).into());
                key.append(&mut m);
                Value::Object(key)
            })
            .collect()
    }

    /// A style for a text's look, by name (one per look).
    fn style(&mut self, look: Value) -> String {
        let n = match self.styles.iter().position(|s| *s == look) {
            Some(n) => n,
            None => {
                self.styles.push(look);
                self.styles.len() - 1
            }
        };
        format!("jianying-{}", n + 1)
    }
}

fn round2_fine(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// A text material's words and look: the JSON `content` of newer drafts, else the
/// material's own fields.
struct Text {
    text: String,
    size: Option<f64>,
    colour: Option<String>,
    stroke: Option<String>,
    stroke_width: Option<f64>,
}

fn text_of(m: &Value) -> Text {
    let content = m["content"].as_str().unwrap_or("");
    let parsed: Option<Value> = serde_json::from_str(content).ok();
    let rich = parsed.as_ref().filter(|p| p["text"].is_string());
    let mut t = Text {
        text: String::new(),
        size: num(&m["font_size"]).or_else(|| num(&m["text_size"])),
        colour: hex_colour(&m["text_color"]),
        stroke: hex_colour(&m["border_color"]),
        stroke_width: num(&m["border_width"]),
    };
    match rich {
        Some(p) => {
            t.text = p["text"].as_str().unwrap_or("").to_string();
            let s = &p["styles"][0];
            if let Some(size) = num(&s["size"]) {
                t.size = Some(size);
            }
            if let Some(c) = colour(&s["fill"]["content"]["solid"]["color"]) {
                t.colour = Some(c);
            }
            let stroke = &s["strokes"][0];
            if let Some(c) = colour(&stroke["content"]["solid"]["color"]) {
                t.stroke = Some(c);
                t.stroke_width = num(&stroke["width"]).or(t.stroke_width);
            }
        }
        None => {
            // Older drafts: `<size=15><color=(1,1,1,1)>[words]</color></size>`, or plain.
            let mut words = String::new();
            let mut depth = 0;
            for c in content.chars() {
                match c {
                    '<' => depth += 1,
                    '>' if depth > 0 => depth -= 1,
                    _ if depth == 0 => words.push(c),
                    _ => {}
                }
            }
            let words = words.trim();
            let words = words
                .strip_prefix('[')
                .and_then(|w| w.strip_suffix(']'))
                .unwrap_or(words);
            t.text = words.to_string();
        }
    }
    t
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
        json!({ "width": width, "height": height, "fps": fps }),
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

fn push_layer(shot: &mut Map<String, Value>, layer: Map<String, Value>) {
    if let Some(Value::Array(layers)) = shot.get_mut("layers") {
        layers.push(Value::Object(layer));
    }
}

const IMAGE: &[&str] = &["png", "jpg", "jpeg", "webp", "gif", "avif"];
const AUDIO: &[&str] = &["mp3", "wav", "ogg", "oga", "opus", "m4a", "aac", "flac"];

/// The image a video-track segment shows: its photo, a still beside its video, or a
/// placeholder.
fn main_image(d: &mut Draft, seg: &Seg) -> String {
    let at = format!("{}.material_id", seg.path);
    let id = seg.v["material_id"].as_str().unwrap_or("");
    let material = d.materials.get(id).copied();
    let Some((list, m)) = material else {
        d.warn(
            &at,
            format!("{id:?} is not among the draft's materials: a placeholder shows"),
        );
        return d.asset_at("missing-material.png");
    };
    let path = m["path"].as_str().unwrap_or("");
    let kind = m["type"].as_str().unwrap_or("");
    if path.is_empty() {
        d.warn(
            &at,
            format!("its material ({list}, type {kind:?}) has no file: a placeholder shows"),
        );
        return d.asset_at("missing-material.png");
    }
    let is_video = kind == "video" || list == "videos" && kind != "photo" && !is_image(path);
    if !is_video {
        let id = d.asset(path, &at);
        d.typed_as(&id, "image");
        return id;
    }
    // A video: a picture beside it with its name, if the draft has one.
    let (found, _) = d.find(path);
    if let Some(video) = &found {
        let stem = video.rsplit_once('.').map_or(video.as_str(), |(s, _)| s);
        let still = d
            .names
            .iter()
            .find(|n| {
                n.rsplit_once('.').is_some_and(|(s, e)| {
                    s == stem && IMAGE.contains(&e.to_ascii_lowercase().as_str())
                })
            })
            .cloned();
        if let Some(still) = still {
            d.warn(
                &at,
                format!("{video} is a video, which does not play here: {still} beside it is shown"),
            );
            return d.asset_at(&still);
        }
    }
    d.warn(
        &at,
        format!("{path:?} is a video, which does not play here: a placeholder shows (put a picture with its name beside it to show that)"),
    );
    let shown = found.unwrap_or_else(|| "missing-video.png".to_string());
    let id = d.asset_at(&shown);
    d.typed_as(&id, "image");
    id
}

fn is_image(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, e)| IMAGE.contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_colours_transitions() {
        assert!(is_entry_name("ep1/draft_content.json"));
        assert!(is_entry_name("draft_info.json"));
        assert!(!is_entry_name("draft_meta_info.json"));
        assert_eq!(colour(&json!([1.0, 0.5, 0.0])).as_deref(), Some("#ff8000"));
        assert_eq!(colour(&json!([1.0, "x", 0.0])), None);
        assert_eq!(colour(&json!([9e99, -3, 0])).as_deref(), Some("#ff0000"));
        assert_eq!(transition("叠化"), Some("crossfade"));
        assert_eq!(transition("闪黑"), Some("fade-black"));
        assert_eq!(transition("左移"), Some("push-left"));
        assert_eq!(transition("向左擦除"), Some("wipe-left"));
        assert_eq!(transition("动漫火焰"), None);
        assert_eq!(micros(&json!(1e300)), Some(MAX_MICROS));
        assert_eq!(micros(&json!(-5)), Some(-5));
        assert_eq!(micros(&json!("3")), None);
    }

    #[test]
    fn older_texts_lose_their_markup() {
        let m = json!({ "content": "<size=15><color=(1,1,1,1)>[你好]</color></size>", "text_color": "#FFCC00" });
        let t = text_of(&m);
        assert_eq!(t.text, "你好");
        assert_eq!(t.colour.as_deref(), Some("#ffcc00"));
    }

    #[test]
    fn paths_are_found_inside_the_draft() {
        let files = super::super::source::InMemory::default()
            .with("ep1/draft_content.json", "{}")
            .with("ep1/img/01.png", "x")
            .with("ep1/other/bgm.wav", "x");
        let d = Draft {
            entry: "ep1/draft_content.json",
            dir: "ep1".into(),
            names: files.names(),
            width: 1080.0,
            height: 1920.0,
            materials: HashMap::new(),
            assets: BTreeMap::new(),
            typed: BTreeMap::new(),
            by_path: BTreeMap::new(),
            problems: Vec::new(),
            ignored: BTreeMap::new(),
            styles: Vec::new(),
        };
        assert_eq!(
            d.find("C:\\Users\\me\\Drafts\\ep1\\img\\01.png"),
            (Some("ep1/img/01.png".into()), false)
        );
        assert_eq!(
            d.find("##_draftpath_placeholder_0E68-2904_##/img/01.png"),
            (Some("ep1/img/01.png".into()), false)
        );
        assert_eq!(
            d.find("/Users/me/Music/bgm.wav"),
            (Some("ep1/other/bgm.wav".into()), true)
        );
        assert_eq!(d.find("D:/x/none.png"), (None, false));
        assert_eq!(d.find("../../../etc/passwd"), (None, false));
    }
}
