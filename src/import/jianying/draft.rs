//! The draft being read: its values made safe, its materials' files found, its segments
//! and their clips turned into layers.

use super::super::divina::{join, unique_id};
use super::{MAX_MICROS, MAX_SEGMENTS};
use crate::problem::Problem;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

pub(super) fn num(v: &Value) -> Option<f64> {
    v.as_f64().filter(|n| n.is_finite())
}

/// Microseconds, held within a day either way.
pub(super) fn micros(v: &Value) -> Option<i64> {
    let n = v.as_i64().or_else(|| num(v).map(|f| f.round() as i64))?;
    Some(n.clamp(-MAX_MICROS, MAX_MICROS))
}

pub(super) fn secs(t: i64) -> f64 {
    crate::time::to_seconds(t)
}

pub(super) fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// One segment of a track, its times checked.
pub(super) struct Seg<'a> {
    pub(super) start: i64,
    pub(super) end: i64,
    pub(super) v: &'a Value,
    pub(super) path: String,
}

/// A shot being built, with its place on the draft's timeline.
pub(super) struct Span {
    pub(super) start: i64,
    pub(super) end: i64,
    pub(super) shot: Map<String, Value>,
}

pub(super) struct Draft<'a> {
    pub(super) entry: &'a str,
    pub(super) dir: String,
    pub(super) names: Vec<String>,
    pub(super) width: f64,
    pub(super) height: f64,
    /// Material id → (its list in `materials`, the material).
    pub(super) materials: HashMap<&'a str, (&'a str, &'a Value)>,
    pub(super) assets: BTreeMap<String, String>,
    /// Assets written as `{src, type}` (a video shown as a picture).
    pub(super) typed: BTreeMap<String, &'static str>,
    pub(super) by_path: BTreeMap<String, String>,
    pub(super) problems: Vec<Problem>,
    /// What is ignored, by kind: where the first is, how many, the names seen.
    pub(super) ignored: BTreeMap<String, (String, usize, Vec<String>)>,
    pub(super) styles: Vec<Value>,
}

impl<'a> Draft<'a> {
    pub(super) fn warn(&mut self, at: &str, message: impl Into<String>) {
        self.problems
            .push(Problem::warning(format!("{}: {at}", self.entry), message));
    }

    pub(super) fn ignore(&mut self, kind: &str, at: &str, name: Option<&str>) {
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

    /// The draft's file a material's path names, and whether only its name found it.
    pub(super) fn find(&self, raw: &str) -> (Option<String>, bool) {
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
    pub(super) fn asset(&mut self, raw: &str, at: &str) -> String {
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
    pub(super) fn typed_as(&mut self, id: &str, kind: &'static str) {
        let path = self.assets.get(id).map_or("", String::as_str);
        let ext = path
            .rsplit_once('.')
            .map_or(String::new(), |(_, e)| e.to_ascii_lowercase());
        let known: &[&str] = if kind == "audio" { AUDIO } else { IMAGE };
        if !known.contains(&ext.as_str()) {
            self.typed.insert(id.to_string(), kind);
        }
    }

    pub(super) fn asset_at(&mut self, path: &str) -> String {
        if let Some(id) = self.by_path.get(path) {
            return id.clone();
        }
        let id = unique_id(path, &self.assets);
        self.by_path.insert(path.to_string(), id.clone());
        self.assets.insert(id.clone(), path.to_string());
        id
    }

    pub(super) fn segments(&mut self, track: &'a Value, t: usize) -> Vec<Seg<'a>> {
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
    pub(super) fn extras(&mut self, seg: &Seg<'a>) {
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
    pub(super) fn layer(&mut self, seg: &Seg<'a>, image: &str, shift: i64) -> Map<String, Value> {
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

    pub(super) fn keyframes(&mut self, seg: &Seg<'a>, shift: i64) -> Vec<Value> {
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
    pub(super) fn style(&mut self, look: Value) -> String {
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

pub(super) fn round2_fine(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// Adds a layer over the shot's others.
pub(super) fn push_layer(shot: &mut Map<String, Value>, layer: Map<String, Value>) {
    if let Some(Value::Array(layers)) = shot.get_mut("layers") {
        layers.push(Value::Object(layer));
    }
}

pub(super) const IMAGE: &[&str] = &["png", "jpg", "jpeg", "webp", "gif", "avif"];
pub(super) const AUDIO: &[&str] = &["mp3", "wav", "ogg", "oga", "opus", "m4a", "aac", "flac"];

/// The image a video-track segment shows: its photo, a still beside its video, or a
/// placeholder.
pub(super) fn main_image(d: &mut Draft, seg: &Seg) -> String {
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

pub(super) fn is_image(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, e)| IMAGE.contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Files;

    #[test]
    fn paths_are_found_inside_the_draft() {
        let files = crate::import::InMemory::default()
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
