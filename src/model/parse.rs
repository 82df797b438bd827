//! Reading a manifest: JSON text → [`Manifest`], with every problem reported by path.

use super::color::Rgba8;
use super::json::{self, Json, Pos, Value};
use super::reader::{Obj, Problems, array, index_path, nearest, number_in, numbers, string};
use super::schema::{self};
use super::types::*;
use crate::problem::Problem;
use crate::time::{Fps, Micros, from_seconds};
use crate::timeline::easing::Ease;

/// What loading a manifest gives: the manifest when it could be read at all, and every
/// problem found. `manifest` is `None` only when the text is fatally unreadable.
#[derive(Debug)]
pub struct Loaded {
    pub manifest: Option<Manifest>,
    pub problems: Vec<Problem>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

pub const FORMAT: &str = "manju/1";
/// Most shots a manifest may have.
pub const MAX_SHOTS: usize = 10_000;
/// Most layers, lines or keyframes in one list.
pub const MAX_ITEMS: usize = 1_000;

/// Reads a manifest. Never panics and never stops at the first problem.
pub fn load_manifest(text: &str) -> Loaded {
    let doc = match json::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let mut problem = Problem::error("", e.to_string());
            if let Some(pos) = e.pos() {
                problem = problem.at(pos.line, pos.column);
            }
            return Loaded {
                manifest: None,
                problems: vec![problem],
            };
        }
    };
    let mut p = Problems::default();
    let manifest = read_manifest(&doc, &mut p);
    Loaded {
        manifest,
        problems: p.list,
    }
}

fn read_manifest(doc: &Json, p: &mut Problems) -> Option<Manifest> {
    let mut o = Obj::new(doc, "", &schema::MANIFEST, p)?;
    match o.get("format") {
        None => {
            p.error(
                "format",
                doc.pos,
                format!("missing `format`; a Manju manifest starts with \"format\": \"{FORMAT}\""),
            );
            return None;
        }
        Some(j) => match &j.value {
            Value::String(s) if s == FORMAT => {}
            Value::String(s) if s.starts_with("manju/") => {
                p.error(
                    "format",
                    j.pos,
                    format!("format `{s}` is newer than this player, which reads `{FORMAT}`"),
                );
                return None;
            }
            _ => {
                p.error("format", j.pos, format!("expected \"{FORMAT}\""));
                return None;
            }
        },
    }
    let title = o.string("title", p).unwrap_or_default().to_string();
    let version = o.string("version", p).unwrap_or_default().to_string();
    let canvas = o
        .get("canvas")
        .and_then(|j| read_canvas(j, p))
        .unwrap_or_default();
    let assets = o
        .get("assets")
        .map(|j| read_assets(j, p))
        .unwrap_or_default();
    let characters = o
        .get("characters")
        .map(|j| read_characters(j, p))
        .unwrap_or_default();
    let styles = o
        .get("styles")
        .map(|j| read_styles(j, p))
        .unwrap_or_default();
    let timing = o
        .get("timing")
        .map(|j| read_timing(j, p))
        .unwrap_or_default();
    o.allow("meta");
    let mut m = Manifest {
        title,
        version,
        canvas,
        assets,
        characters,
        styles,
        timing,
        shots: Vec::new(),
        music: Vec::new(),
        intro: None,
        outro: None,
    };
    m.intro = o.get("intro").and_then(|j| read_edge(j, "intro", p));
    m.outro = o.get("outro").and_then(|j| read_edge(j, "outro", p));
    if let Some(items) = o.array("music", p) {
        m.music = items
            .iter()
            .enumerate()
            .filter_map(|(i, j)| read_music(j, &index_path("music", i), &m, p))
            .collect();
    }
    match o.get("shots") {
        // `finish` reports it: `shots` is required.
        None => {}
        Some(j) => {
            if let Some(items) = array(j, "shots", p) {
                if items.is_empty() {
                    p.error("shots", j.pos, "a drama needs at least one shot");
                } else if items.len() > MAX_SHOTS {
                    p.error(
                        "shots",
                        j.pos,
                        format!("{} shots; at most {MAX_SHOTS} are accepted", items.len()),
                    );
                } else {
                    for (i, item) in items.iter().enumerate() {
                        let shot = read_shot(item, i, &m, p);
                        m.shots.push(shot);
                    }
                }
            }
        }
    }
    check_unique_ids(&m, doc, p);
    o.finish(p);
    if m.shots.is_empty() { None } else { Some(m) }
}

fn check_unique_ids(m: &Manifest, _doc: &Json, p: &mut Problems) {
    for (i, shot) in m.shots.iter().enumerate() {
        if m.shots[..i].iter().any(|s| s.id == shot.id) {
            p.error(
                &format!("{}.id", shot.path),
                shot.pos,
                format!("shot id `{}` is used by an earlier shot", shot.id),
            );
        }
    }
}

fn read_canvas(j: &Json, p: &mut Problems) -> Option<Canvas> {
    let mut o = Obj::new(j, "canvas", &schema::CANVAS, p)?;
    let mut c = Canvas::default();
    if let Some(w) = o.number("width", p) {
        c.width = integer(w, &o.path_of("width"), j.pos, p);
    }
    if let Some(h) = o.number("height", p) {
        c.height = integer(h, &o.path_of("height"), j.pos, p);
    }
    if let Some(fps) = o.number("fps", p) {
        c.fps = Fps::from_f64(fps);
    }
    if let Some(bg) = color(&mut o, "background", p) {
        c.background = Rgba8 { a: 255, ..bg };
    }
    o.finish(p);
    Some(c)
}

fn integer(n: f64, path: &str, pos: Pos, p: &mut Problems) -> u32 {
    if n.fract() != 0.0 {
        p.warning(
            path,
            pos,
            format!("{n} is not a whole number of pixels; using {}", n.round()),
        );
    }
    n.round() as u32
}

fn color(o: &mut Obj, key: &'static str, p: &mut Problems) -> Option<Rgba8> {
    let path = o.path_of(key);
    let j = o.get(key)?;
    let s = string(j, &path, p)?;
    Rgba8::parse(s).map_err(|e| p.error(&path, j.pos, e)).ok()
}

/// A colour that may also be `null` (no stroke, no background).
fn optional_color(o: &mut Obj, key: &'static str, p: &mut Problems) -> Option<Option<Rgba8>> {
    let path = o.path_of(key);
    let j = o.get(key)?;
    if j.value == Value::Null {
        return Some(None);
    }
    let s = string(j, &path, p)?;
    Rgba8::parse(s)
        .map(Some)
        .map_err(|e| p.error(&path, j.pos, e))
        .ok()
}

fn read_assets(j: &Json, p: &mut Problems) -> Vec<Asset> {
    let Value::Object(members) = &j.value else {
        p.error(
            "assets",
            j.pos,
            format!(
                "expected an object of id → path, found {}",
                j.value.type_name()
            ),
        );
        return Vec::new();
    };
    let mut assets = Vec::new();
    for m in members {
        let path = format!("assets.{}", m.key);
        let (src, kind) = match &m.value.value {
            Value::String(src) => (src.clone(), None),
            Value::Object(_) => {
                let Some(mut o) = Obj::new(&m.value, &path, &schema::ASSET, p) else {
                    continue;
                };
                let src = o.string("src", p).map(str::to_string);
                let kind = o.choice("type", p).map(|k| match k {
                    "image" => AssetKind::Image,
                    "audio" => AssetKind::Audio,
                    _ => AssetKind::Font,
                });
                o.finish(p);
                let Some(src) = src else { continue };
                (src, kind)
            }
            other => {
                p.error(
                    &path,
                    m.value.pos,
                    format!(
                        "expected a path or {{\"src\", \"type\"}}, found {}",
                        other.type_name()
                    ),
                );
                continue;
            }
        };
        if src.is_empty() {
            p.error(&path, m.value.pos, "empty asset path");
            continue;
        }
        let kind = match kind.or_else(|| kind_from_extension(&src)) {
            Some(k) => k,
            None => {
                p.error(
                    &path,
                    m.value.pos,
                    format!("cannot tell the type of `{src}` from its extension; write {{\"src\": …, \"type\": \"image\" | \"audio\" | \"font\"}}"),
                );
                continue;
            }
        };
        assets.push(Asset {
            id: m.key.clone(),
            src,
            kind,
        });
    }
    assets
}

/// The asset type guessed from a path's extension, as the spec lists them.
pub fn kind_from_extension(src: &str) -> Option<AssetKind> {
    let name = src.split(['?', '#']).next().unwrap_or(src);
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "png" | "jpg" | "jpeg" | "webp" | "gif" | "avif" => Some(AssetKind::Image),
        "mp3" | "ogg" | "oga" | "opus" | "wav" | "m4a" | "aac" | "flac" => Some(AssetKind::Audio),
        "ttf" | "otf" | "woff" | "woff2" => Some(AssetKind::Font),
        _ => None,
    }
}

fn read_characters(j: &Json, p: &mut Problems) -> Vec<Character> {
    let Value::Object(members) = &j.value else {
        p.error(
            "characters",
            j.pos,
            format!("expected an object, found {}", j.value.type_name()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in members {
        let path = format!("characters.{}", m.key);
        let Some(mut o) = Obj::new(&m.value, &path, &schema::CHARACTER, p) else {
            continue;
        };
        let name = o.string("name", p).unwrap_or(&m.key).to_string();
        let color = color(&mut o, "color", p);
        o.allow("meta");
        o.finish(p);
        out.push(Character {
            id: m.key.clone(),
            name,
            color,
        });
    }
    out
}

fn read_styles(j: &Json, p: &mut Problems) -> Vec<(String, TextStyle)> {
    let Value::Object(members) = &j.value else {
        p.error(
            "styles",
            j.pos,
            format!("expected an object, found {}", j.value.type_name()),
        );
        return Vec::new();
    };
    members
        .iter()
        .filter_map(|m| {
            read_style(&m.value, &format!("styles.{}", m.key), p).map(|s| (m.key.clone(), s))
        })
        .collect()
}

fn read_style(j: &Json, path: &str, p: &mut Problems) -> Option<TextStyle> {
    let mut o = Obj::new(j, path, &schema::STYLE, p)?;
    let s = TextStyle {
        font: o.string("font", p).map(str::to_string),
        size: o.number("size", p),
        color: color(&mut o, "color", p),
        stroke: optional_color(&mut o, "stroke", p),
        stroke_width: o.number("stroke_width", p),
        background: optional_color(&mut o, "background", p),
        padding: o.number("padding", p),
        align: o.choice("align", p).map(|a| match a {
            "left" => Align::Left,
            "right" => Align::Right,
            _ => Align::Center,
        }),
        line_height: o.number("line_height", p),
        max_width: o.number("max_width", p),
        position: o.choice("position", p).map(|a| match a {
            "top" => Position::Top,
            "center" => Position::Center,
            _ => Position::Bottom,
        }),
        margin: o.number("margin", p),
        speaker_label: o.boolean("speaker_label", p),
        fill: color(&mut o, "fill", p),
        border: color(&mut o, "border", p),
        border_width: o.number("border_width", p),
        rotation: o.number("rotation", p),
        cps: o.number("cps", p),
    };
    o.finish(p);
    Some(s)
}

fn read_timing(j: &Json, p: &mut Problems) -> Timing {
    let mut t = Timing::default();
    let Some(mut o) = Obj::new(j, "timing", &schema::TIMING, p) else {
        return t;
    };
    if let Some(v) = o.seconds("lead", p) {
        t.lead = v;
    }
    if let Some(v) = o.seconds("gap", p) {
        t.gap = v;
    }
    if let Some(v) = o.seconds("tail", p) {
        t.tail = v;
    }
    if let Some(v) = o.seconds("min_shot", p) {
        t.min_shot = v;
    }
    o.finish(p);
    t
}

fn read_edge(j: &Json, path: &str, p: &mut Problems) -> Option<Edge> {
    let mut o = Obj::new(j, path, &schema::EDGE, p)?;
    let kind = o.choice("type", p);
    let duration = o.seconds("duration", p).unwrap_or(500_000);
    o.finish(p);
    let color = match kind? {
        "fade-black" => Some(Rgba8::BLACK),
        "fade-white" => Some(Rgba8::WHITE),
        // `crossfade` fades from/to the canvas background, filled in by `resolve`.
        _ => None,
    };
    Some(Edge {
        color: color.unwrap_or(Rgba8 {
            r: 0,
            g: 0,
            b: 0,
            a: 0,
        }),
        duration,
    })
}

/// Reports a reference to an asset that does not exist or is of the wrong kind.
/// Returns the id when it names an asset of `kind`.
fn asset_ref(
    j: &Json,
    path: &str,
    kind: AssetKind,
    m: &Manifest,
    p: &mut Problems,
) -> Option<String> {
    let id = string(j, path, p)?;
    match m.asset(id) {
        Some(a) if a.kind == kind => Some(id.to_string()),
        Some(a) => {
            p.warning(
                path,
                j.pos,
                format!(
                    "asset `{id}` is {:?}, not {kind:?}; it is ignored here",
                    a.kind
                )
                .to_lowercase(),
            );
            None
        }
        None => {
            let mut message = format!("no asset `{id}` in `assets`");
            let same_kind = m
                .assets
                .iter()
                .filter(|a| a.kind == kind)
                .map(|a| a.id.as_str());
            if let Some(near) = nearest(id, same_kind) {
                message.push_str(&format!("; did you mean `{near}`?"));
            }
            p.warning(path, j.pos, message);
            None
        }
    }
}

fn read_music(j: &Json, path: &str, m: &Manifest, p: &mut Problems) -> Option<MusicSpec> {
    let mut o = Obj::new(j, path, &schema::MUSIC, p)?;
    let audio = match o.get("audio") {
        Some(a) => asset_ref(a, &o.path_of("audio"), AssetKind::Audio, m, p),
        None => None,
    };
    let at = o.seconds("at", p).unwrap_or(0);
    let until = match o.get("until") {
        Some(Json {
            value: Value::String(s),
            ..
        }) if s == "end" => None,
        Some(u) => {
            number_in(u, &o.path_of("until"), 0.0, super::reader::MAX_SECONDS, p).map(from_seconds)
        }
        None => None,
    };
    let music = MusicSpec {
        audio: audio.unwrap_or_default(),
        at,
        until,
        volume: o.number("volume", p).unwrap_or(1.0),
        fade_in: o.seconds("fade_in", p).unwrap_or(0),
        fade_out: o.seconds("fade_out", p).unwrap_or(0),
        looped: o.boolean("loop", p).unwrap_or(false),
        duck: o.number("duck", p).unwrap_or(1.0),
        path: path.to_string(),
        pos: j.pos,
    };
    o.allow("meta");
    o.finish(p);
    (!music.audio.is_empty()).then_some(music)
}

fn read_shot(j: &Json, i: usize, m: &Manifest, p: &mut Problems) -> ShotSpec {
    let path = index_path("shots", i);
    let mut shot = ShotSpec {
        id: format!("shot-{}", i + 1),
        duration: Some(3_000_000),
        layers: Vec::new(),
        camera: CameraSpec::Still(CameraPartial::default()),
        transition: None,
        lines: Vec::new(),
        sfx: Vec::new(),
        effects: Vec::new(),
        notes: String::new(),
        path: path.clone(),
        pos: j.pos,
    };
    let Some(mut o) = Obj::new(j, &path, &schema::SHOT, p) else {
        return shot;
    };
    if let Some(id) = o.string("id", p) {
        if id.is_empty() {
            p.error(&o.path_of("id"), j.pos, "empty shot id");
        } else {
            shot.id = id.to_string();
        }
    }
    shot.duration = match o.get("duration") {
        None => None,
        Some(Json {
            value: Value::String(s),
            ..
        }) if s == "auto" => None,
        Some(d) => {
            let dp = o.path_of("duration");
            match &d.value {
                Value::Number(_) => number_in(d, &dp, 0.001, super::reader::MAX_SECONDS, p)
                    .map(from_seconds)
                    .or(Some(3_000_000)),
                _ => {
                    p.error(
                        &dp,
                        d.pos,
                        format!(
                            "expected seconds or \"auto\", found {}",
                            d.value.type_name()
                        ),
                    );
                    None
                }
            }
        }
    };
    if let Some(items) = o.array("layers", p) {
        for (k, item) in items.iter().enumerate().take(MAX_ITEMS) {
            if let Some(layer) = read_layer(item, &index_path(&o.path_of("layers"), k), m, p) {
                shot.layers.push(layer);
            }
        }
    }
    if let Some(camera) = o
        .get("camera")
        .and_then(|c| read_camera(c, &o.path_of("camera"), &m.canvas, p))
    {
        shot.camera = camera;
    }
    if let Some(t) = o.get("transition") {
        let tp = o.path_of("transition");
        shot.transition = read_transition(t, &tp, p);
        if i == 0
            && shot
                .transition
                .is_some_and(|t| t.kind != TransitionKind::Cut)
        {
            p.warning(
                &tp,
                t.pos,
                "the first shot has no shot before it to transition from; use `intro` to fade in",
            );
            shot.transition = None;
        }
    }
    if let Some(items) = o.array("lines", p) {
        for (k, item) in items.iter().enumerate().take(MAX_ITEMS) {
            if let Some(line) = read_line(item, &index_path(&o.path_of("lines"), k), m, p) {
                shot.lines.push(line);
            }
        }
    }
    if let Some(items) = o.array("sfx", p) {
        for (k, item) in items.iter().enumerate().take(MAX_ITEMS) {
            if let Some(sfx) = read_sfx(item, &index_path(&o.path_of("sfx"), k), m, p) {
                shot.sfx.push(sfx);
            }
        }
    }
    if let Some(items) = o.array("effects", p) {
        for (k, item) in items.iter().enumerate().take(MAX_ITEMS) {
            if let Some(effect) = read_effect(item, &index_path(&o.path_of("effects"), k), p) {
                shot.effects.push(effect);
            }
        }
    }
    shot.notes = o.string("notes", p).unwrap_or_default().to_string();
    o.allow("meta");
    o.finish(p);
    shot
}

fn read_layer(j: &Json, path: &str, m: &Manifest, p: &mut Problems) -> Option<Layer> {
    let mut o = Obj::new(j, path, &schema::LAYER, p)?;
    let image = match o.get("image") {
        Some(img) => {
            let ip = o.path_of("image");
            // A missing image is drawn as a placeholder: keep the id even when it is unknown.
            asset_ref(img, &ip, AssetKind::Image, m, p);
            string(img, &ip, &mut Problems::default()).map(str::to_string)
        }
        None => None,
    };
    let fit = o
        .choice("fit", p)
        .map(|f| match f {
            "contain" => Fit::Contain,
            "none" => Fit::None,
            _ => Fit::Cover,
        })
        .unwrap_or(Fit::Cover);
    let crop = o
        .get("crop")
        .and_then(|c| read_crop(c, &o.path_of("crop"), p));
    let (w, h) = (f64::from(m.canvas.width), f64::from(m.canvas.height));
    let x = o.number("x", p).unwrap_or(w / 2.0);
    let y = o.number("y", p).unwrap_or(h / 2.0);
    let anchor = o
        .get("anchor")
        .and_then(|a| numbers::<2>(a, &o.path_of("anchor"), p))
        .unwrap_or([0.5, 0.5]);
    let scale = o.number("scale", p).unwrap_or(1.0);
    let rotation = o.number("rotation", p).unwrap_or(0.0);
    let opacity = o.number("opacity", p).unwrap_or(1.0);
    let parallax = o.number("parallax", p).unwrap_or(1.0);
    let blend = o
        .choice("blend", p)
        .map(|b| match b {
            "multiply" => Blend::Multiply,
            "screen" => Blend::Screen,
            "add" => Blend::Add,
            _ => Blend::Normal,
        })
        .unwrap_or(Blend::Normal);
    let mut layer = Layer {
        image: image.unwrap_or_default(),
        fit,
        crop,
        x: Track::constant(x),
        y: Track::constant(y),
        anchor,
        scale: Track::constant(scale),
        rotation: Track::constant(rotation),
        opacity: Track::constant(opacity),
        parallax,
        blend,
        path: path.to_string(),
    };
    if let Some(items) = o.array("keyframes", p) {
        let kp = o.path_of("keyframes");
        let keys: Vec<(Micros, Ease, [Option<f64>; 5])> = items
            .iter()
            .enumerate()
            .take(MAX_ITEMS)
            .filter_map(|(k, item)| read_layer_key(item, &index_path(&kp, k), p))
            .collect();
        let tracks = [
            &mut layer.x,
            &mut layer.y,
            &mut layer.scale,
            &mut layer.rotation,
            &mut layer.opacity,
        ];
        for (n, track) in tracks.into_iter().enumerate() {
            let mut ks: Vec<Key> = keys
                .iter()
                .filter_map(|(at, ease, v)| {
                    v[n].map(|value| Key {
                        at: *at,
                        value,
                        ease: *ease,
                    })
                })
                .collect();
            if !ks.is_empty() {
                ks.sort_by_key(|k| k.at);
                *track = Track { keys: ks };
            }
        }
    }
    o.allow("meta");
    o.finish(p);
    Some(layer)
}

fn read_ease(o: &mut Obj, p: &mut Problems) -> Option<Ease> {
    let path = o.path_of("ease");
    let j = o.get("ease")?;
    let s = string(j, &path, p)?;
    Ease::parse(s).map_err(|e| p.error(&path, j.pos, e)).ok()
}

fn read_layer_key(
    j: &Json,
    path: &str,
    p: &mut Problems,
) -> Option<(Micros, Ease, [Option<f64>; 5])> {
    let mut o = Obj::new(j, path, &schema::LAYER_KEY, p)?;
    let at = o.seconds("at", p);
    let values = [
        o.number("x", p),
        o.number("y", p),
        o.number("scale", p),
        o.number("rotation", p),
        o.number("opacity", p),
    ];
    let ease = read_ease(&mut o, p).unwrap_or(Ease::Linear);
    o.finish(p);
    Some((at?, ease, values))
}

fn read_crop(j: &Json, path: &str, p: &mut Problems) -> Option<Crop> {
    let (crop, r) = match &j.value {
        Value::Array(_) => {
            let r = numbers::<4>(j, path, p)?;
            (Crop::Pixels(r), r)
        }
        Value::String(s) => match parse_media_fragment(s) {
            Ok(c @ (Crop::Pixels(r) | Crop::Percent(r))) => (c, r),
            Err(e) => {
                p.error(path, j.pos, e);
                return None;
            }
        },
        other => {
            p.error(
                path,
                j.pos,
                format!(
                    "expected [x, y, w, h] or \"xywh=…\", found {}",
                    other.type_name()
                ),
            );
            return None;
        }
    };
    if r[2] <= 0.0 || r[3] <= 0.0 || r[0] < 0.0 || r[1] < 0.0 {
        p.error(
            path,
            j.pos,
            "a crop needs x, y ≥ 0 and a positive width and height",
        );
        return None;
    }
    Some(crop)
}

/// A Media Fragments spatial dimension: `xywh=x,y,w,h`, `xywh=pixel:…`, `xywh=percent:…`
/// (a leading `#` is allowed, as in Divina `#xywh=` links).
pub fn parse_media_fragment(s: &str) -> Result<Crop, String> {
    let bad = || {
        format!(
            "`{s}` is not a media fragment (expected \"xywh=x,y,w,h\" or \"xywh=percent:x,y,w,h\")"
        )
    };
    let rest = s
        .trim()
        .trim_start_matches('#')
        .strip_prefix("xywh=")
        .ok_or_else(bad)?;
    let (percent, rest) = if let Some(r) = rest.strip_prefix("percent:") {
        (true, r)
    } else {
        (false, rest.strip_prefix("pixel:").unwrap_or(rest))
    };
    let nums: Vec<f64> = rest
        .split(',')
        .map(|n| n.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let r: [f64; 4] = nums.try_into().map_err(|_| bad())?;
    if r.iter().any(|n| !n.is_finite()) {
        return Err(bad());
    }
    Ok(if percent {
        Crop::Percent(r)
    } else {
        Crop::Pixels(r)
    })
}

fn read_camera_state(
    j: &Json,
    path: &str,
    canvas: &Canvas,
    keyframe: bool,
    p: &mut Problems,
) -> Option<(CameraPartial, Option<Micros>, Option<Ease>)> {
    let def = if keyframe {
        &schema::CAMERA_KEY
    } else {
        &schema::CAMERA_STATE
    };
    let mut o = Obj::new(j, path, def, p)?;
    let mut c = CameraPartial {
        x: o.number("x", p),
        y: o.number("y", p),
        zoom: o.number("zoom", p),
        rotation: o.number("rotation", p),
    };
    if let Some(f) = o.get("frame") {
        let fp = o.path_of("frame");
        if c.x.is_some() || c.y.is_some() || c.zoom.is_some() {
            p.error(
                &fp,
                f.pos,
                "`frame` sets x, y and zoom; give either `frame` or those",
            );
        } else if let Some([fx, fy, fw, fh]) = numbers::<4>(f, &fp, p) {
            if fw <= 0.0 || fh <= 0.0 {
                p.error(&fp, f.pos, "a frame needs a positive width and height");
            } else {
                c.x = Some(fx + fw / 2.0);
                c.y = Some(fy + fh / 2.0);
                c.zoom = Some((f64::from(canvas.width) / fw).min(f64::from(canvas.height) / fh));
            }
        }
    }
    let (mut at, mut ease) = (None, None);
    if keyframe {
        at = o.seconds("at", p);
        ease = read_ease(&mut o, p);
    }
    o.finish(p);
    Some((c, at, ease))
}

fn read_camera(j: &Json, path: &str, canvas: &Canvas, p: &mut Problems) -> Option<CameraSpec> {
    let Value::Object(members) = &j.value else {
        p.error(
            path,
            j.pos,
            format!("expected an object, found {}", j.value.type_name()),
        );
        return None;
    };
    let has = |k: &str| members.iter().any(|m| m.key == k);
    if has("preset") {
        let mut o = Obj::new(j, path, &schema::CAMERA_PRESET, p)?;
        let preset = o.choice("preset", p);
        let amount = o.number("amount", p).unwrap_or(0.1);
        o.finish(p);
        let preset = match preset? {
            "zoom-in" => Preset::ZoomIn,
            "zoom-out" => Preset::ZoomOut,
            "pan-left" => Preset::PanLeft,
            "pan-right" => Preset::PanRight,
            "pan-up" => Preset::PanUp,
            _ => Preset::PanDown,
        };
        return Some(CameraSpec::Preset { preset, amount });
    }
    if has("keyframes") {
        let mut o = Obj::new(j, path, &schema::CAMERA_KEYFRAMES, p)?;
        let items = o.array("keyframes", p)?;
        let kp = o.path_of("keyframes");
        o.finish(p);
        let mut keys: Vec<(Micros, CameraPartial, Ease)> = items
            .iter()
            .enumerate()
            .take(MAX_ITEMS)
            .filter_map(|(k, item)| {
                let (c, at, ease) = read_camera_state(item, &index_path(&kp, k), canvas, true, p)?;
                Some((at?, c, ease.unwrap_or(Ease::Linear)))
            })
            .collect();
        keys.sort_by_key(|k| k.0);
        return Some(CameraSpec::Keyframes(keys));
    }
    if has("from") || has("to") {
        let mut o = Obj::new(j, path, &schema::CAMERA_FROM_TO, p)?;
        let from = o
            .get("from")
            .and_then(|f| read_camera_state(f, &o.path_of("from"), canvas, false, p));
        let to = o
            .get("to")
            .and_then(|f| read_camera_state(f, &o.path_of("to"), canvas, false, p));
        let ease = read_ease(&mut o, p).unwrap_or(Ease::EASE_IN_OUT);
        o.finish(p);
        let from = from.map(|f| f.0).unwrap_or_default();
        let to = to.map(|f| f.0).unwrap_or_default();
        return Some(CameraSpec::FromTo { from, to, ease });
    }
    read_camera_state(j, path, canvas, false, p).map(|(c, _, _)| CameraSpec::Still(c))
}

fn read_transition(j: &Json, path: &str, p: &mut Problems) -> Option<Transition> {
    let mut o = Obj::new(j, path, &schema::TRANSITION, p)?;
    let kind = o.choice("type", p);
    let duration = o.seconds("duration", p).unwrap_or(500_000);
    let ease = read_ease(&mut o, p).unwrap_or(Ease::EASE_IN_OUT);
    o.finish(p);
    let dir = |s: &str| match s.rsplit('-').next() {
        Some("left") => Direction::Left,
        Some("right") => Direction::Right,
        Some("up") => Direction::Up,
        _ => Direction::Down,
    };
    let kind = match kind? {
        "cut" => return Some(Transition::CUT),
        "crossfade" => TransitionKind::Crossfade,
        "fade-black" => TransitionKind::FadeBlack,
        "fade-white" => TransitionKind::FadeWhite,
        "zoom" => TransitionKind::Zoom,
        "move" => TransitionKind::Move,
        s if s.starts_with("slide-") => TransitionKind::Slide(dir(s)),
        s if s.starts_with("push-") => TransitionKind::Push(dir(s)),
        s => TransitionKind::Wipe(dir(s)),
    };
    Some(Transition {
        kind,
        duration,
        ease,
    })
}

fn read_effect(j: &Json, path: &str, p: &mut Problems) -> Option<Effect> {
    // The effect's `type` says which fields it has.
    let kind = match &j.value {
        Value::Object(members) => members
            .iter()
            .find(|m| m.key == "type")
            .map(|m| (m, &m.value)),
        _ => None,
    };
    let def = match kind {
        Some((
            _,
            Json {
                value: Value::String(s),
                ..
            },
        )) if s == "shake" => &schema::SHAKE,
        Some((
            _,
            Json {
                value: Value::String(s),
                ..
            },
        )) if s == "flash" => &schema::FLASH,
        Some((
            _,
            Json {
                value: Value::String(s),
                ..
            },
        )) if s == "tint" => &schema::TINT,
        Some((_, t)) => {
            super::reader::choice(t, &format!("{path}.type"), schema::EFFECTS, p);
            return None;
        }
        None => {
            if let Value::Object(_) = j.value {
                p.error(path, j.pos, "missing `type`: one of shake, flash, tint");
            } else {
                p.error(
                    path,
                    j.pos,
                    format!("expected an object, found {}", j.value.type_name()),
                );
            }
            return None;
        }
    };
    let mut o = Obj::new(j, path, def, p)?;
    o.allow("type");
    let at = o.seconds("at", p).unwrap_or(0);
    let duration = o.seconds("duration", p);
    let effect = if std::ptr::eq(def, &schema::SHAKE) {
        Effect::Shake {
            at,
            duration: duration.unwrap_or(500_000),
            amplitude: o.number("amplitude", p).unwrap_or(12.0),
            frequency: o.number("frequency", p).unwrap_or(12.0),
        }
    } else if std::ptr::eq(def, &schema::FLASH) {
        Effect::Flash {
            at,
            duration: duration.unwrap_or(300_000),
            color: color(&mut o, "color", p).unwrap_or(Rgba8::WHITE),
            opacity: o.number("opacity", p).unwrap_or(1.0),
        }
    } else {
        Effect::Tint {
            at,
            duration,
            color: color(&mut o, "color", p).unwrap_or(Rgba8::BLACK),
            opacity: o.number("opacity", p).unwrap_or(0.3),
        }
    };
    let complete = def.required.iter().all(|r| o.has(r));
    o.finish(p);
    complete.then_some(effect)
}

fn read_line(j: &Json, path: &str, m: &Manifest, p: &mut Problems) -> Option<LineSpec> {
    let mut o = Obj::new(j, path, &schema::LINE, p)?;
    let speaker = o.string("speaker", p).map(str::to_string);
    let text = o.string("text", p).unwrap_or_default().to_string();
    let voice = o
        .get("voice")
        .and_then(|v| asset_ref(v, &o.path_of("voice"), AssetKind::Audio, m, p));
    let at = o.seconds("at", p);
    let duration = match o.get("duration") {
        None => None,
        Some(Json {
            value: Value::String(s),
            ..
        }) if s == "auto" => None,
        Some(d) => number_in(
            d,
            &o.path_of("duration"),
            0.001,
            super::reader::MAX_SECONDS,
            p,
        )
        .map(from_seconds),
    };
    let display = o
        .choice("display", p)
        .map(|d| match d {
            "bubble" => Display::Bubble,
            "caption" => Display::Caption,
            "sfx" => Display::Sfx,
            "none" => Display::None,
            _ => Display::Subtitle,
        })
        .unwrap_or(Display::Subtitle);
    let bubble = o
        .get("bubble")
        .and_then(|b| read_bubble(b, &o.path_of("bubble"), p));
    let style = o.get("style").and_then(|s| {
        let sp = o.path_of("style");
        let name = string(s, &sp, p)?;
        let builtin = ["subtitle", "bubble", "caption", "sfx"];
        if !builtin.contains(&name) && !m.styles.iter().any(|(n, _)| n == name) {
            let names = builtin
                .iter()
                .copied()
                .chain(m.styles.iter().map(|(n, _)| n.as_str()));
            let mut message = format!("no style `{name}`; the display's default style is used");
            if let Some(near) = nearest(name, names) {
                message.push_str(&format!(" (did you mean `{near}`?)"));
            }
            p.warning(&sp, s.pos, message);
            return None;
        }
        Some(name.to_string())
    });
    let reveal = match o.choice("reveal", p) {
        Some("typewriter") => Reveal::Typewriter,
        _ => Reveal::Instant,
    };
    let volume = o.number("volume", p).unwrap_or(1.0);
    o.allow("meta");
    o.finish(p);
    if text.is_empty() && voice.is_none() && display != Display::None {
        p.warning(path, j.pos, "a line with neither text nor voice");
    }
    Some(LineSpec {
        speaker,
        text,
        voice,
        at,
        duration,
        display,
        bubble,
        style,
        reveal,
        volume,
        path: path.to_string(),
        pos: j.pos,
    })
}

fn read_bubble(j: &Json, path: &str, p: &mut Problems) -> Option<Bubble> {
    let mut o = Obj::new(j, path, &schema::BUBBLE, p)?;
    let b = Bubble {
        x: o.number("x", p),
        y: o.number("y", p),
        width: o.number("width", p),
        tail: o
            .get("tail")
            .and_then(|t| numbers::<2>(t, &o.path_of("tail"), p)),
        shape: match o.choice("shape", p) {
            Some("shout") => BubbleShape::Shout,
            Some("thought") => BubbleShape::Thought,
            Some("whisper") => BubbleShape::Whisper,
            Some("box") => BubbleShape::Box,
            _ => BubbleShape::Speech,
        },
    };
    o.finish(p);
    Some(b)
}

fn read_sfx(j: &Json, path: &str, m: &Manifest, p: &mut Problems) -> Option<Sfx> {
    let mut o = Obj::new(j, path, &schema::SFX, p)?;
    let audio = match o.get("audio") {
        Some(a) => asset_ref(a, &o.path_of("audio"), AssetKind::Audio, m, p),
        None => None,
    };
    let at = o.seconds("at", p).unwrap_or(0);
    let volume = o.number("volume", p).unwrap_or(1.0);
    o.finish(p);
    Some(Sfx {
        audio: audio?,
        at,
        volume,
    })
}
