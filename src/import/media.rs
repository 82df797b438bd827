//! A folder of media → a drama: numbered images (`001.png`, `shot-02.jpg`, …) a shot each,
//! in the order of their numbers; voice clips with the same numbers (`001.mp3`, `v02.wav`)
//! spoken in their shots, which last as long as their voices; an optional `.srt` whose
//! cues time the shots instead and give the words; an audio file with no number, the
//! music. Each shot gets a gentle camera move (zoom in, pan, zoom out, pan the other way,
//! in turn) and a crossfade into it, so the draft plays as a motion comic, not a
//! slideshow.

use super::source::{Files, Imported, Kind};
use crate::problem::Problem;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const IMAGE: &[&str] = &["png", "jpg", "jpeg", "webp", "gif", "avif"];
const AUDIO: &[&str] = &["mp3", "wav", "ogg", "oga", "opus", "m4a", "aac", "flac"];
const CAMERAS: &[&str] = &["zoom-in", "pan-left", "zoom-out", "pan-right"];
/// How far each gentle camera move goes (the format's `amount`).
const AMOUNT: f64 = 0.06;
/// A shot with neither voice nor subtitle lasts this long (the format's default).
const STILL: f64 = 3.0;

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map_or(String::new(), |(_, e)| e.to_ascii_lowercase())
}

/// The number in a file's name (`shot-02.jpg` → 2), if it has one: the last run of digits
/// of its stem, so `ep1-shot-03.png` is shot 3.
fn number(name: &str) -> Option<u64> {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let mut last = None;
    let mut run = String::new();
    for c in stem.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
        } else if !run.is_empty() {
            last = run.parse().ok();
            run.clear();
        }
    }
    last
}

/// Whether the files look like a folder of panels: at least one numbered image (a lone
/// `bg.png` beside a stray JSON file is more likely the wrong folder than a drama).
pub fn is_media_folder(files: &dyn Files) -> bool {
    files
        .names()
        .iter()
        .any(|n| IMAGE.contains(&extension(n).as_str()) && number(n).is_some())
}

/// Imports a folder of media.
pub fn import(files: &dyn Files) -> Result<Imported, Vec<Problem>> {
    let names = files.names();
    let mut problems = Vec::new();
    let mut images: Vec<(u64, String)> = Vec::new();
    let mut unnumbered_images = Vec::new();
    let mut voices: BTreeMap<u64, String> = BTreeMap::new();
    let mut music: Vec<String> = Vec::new();
    let mut subtitles: Vec<String> = Vec::new();
    for name in &names {
        let ext = extension(name);
        if IMAGE.contains(&ext.as_str()) {
            match number(name) {
                Some(n) => images.push((n, name.clone())),
                None => unnumbered_images.push(name.clone()),
            }
        } else if AUDIO.contains(&ext.as_str()) {
            match number(name) {
                Some(n) => {
                    if let Some(first) = voices.get(&n) {
                        problems.push(Problem::warning(
                            name.as_str(),
                            format!("a second voice clip numbered {n} (after {first}): left out"),
                        ));
                    } else {
                        voices.insert(n, name.clone());
                    }
                }
                None => music.push(name.clone()),
            }
        } else if ["srt", "vtt", "ass", "ssa"].contains(&ext.as_str()) {
            subtitles.push(name.clone());
        }
    }
    images.sort();
    // Unnumbered images follow the numbered ones, by name.
    let last = images.last().map_or(0, |(n, _)| *n);
    for (i, name) in unnumbered_images.into_iter().enumerate() {
        images.push((last + 1 + i as u64, name));
    }
    if images.is_empty() {
        return Err(vec![Problem::error(
            "",
            "no images: a folder of media holds numbered panels (001.png, shot-02.jpg, …)",
        )]);
    }
    let mut assets: BTreeMap<String, String> = BTreeMap::new();
    let id_of = |path: &str, assets: &mut BTreeMap<String, String>| {
        let id = super::divina::unique_id(path, assets);
        assets.insert(id.clone(), path.to_string());
        id
    };

    // The subtitles' cues, if there is a subtitle file: they time the shots.
    let cues = match subtitles.as_slice() {
        [] => None,
        [one, rest @ ..] => {
            for other in rest {
                problems.push(Problem::warning(
                    other.as_str(),
                    format!("a second subtitle file: {one} is used"),
                ));
            }
            let bytes = files.read(one).unwrap_or_default();
            match crate::import::subtitles::import_subtitle_bytes(&bytes, one) {
                Ok(cues) => {
                    problems.extend(cues.problems.iter().cloned());
                    Some(cues)
                }
                Err(p) => {
                    problems.extend(p);
                    None
                }
            }
        }
    };

    let canvas = canvas(files, &images[0].1);
    let mut shots: Vec<Value> = Vec::new();
    let mut voiced = 0;
    match &cues {
        Some(cues) => {
            // One shot per image, from the cue with its number (or the next in order) to
            // the next image's cue.
            let mut order: Vec<&crate::import::subtitles::Cue> = cues.cues.iter().collect();
            order.sort_by_key(|c| c.start);
            let shares = share(images.len(), order.len());
            let mut k = 0;
            let mut start = 0i64;
            for (i, (n, image)) in images.iter().enumerate() {
                let mine = &order[k..k + shares[i]];
                k += shares[i];
                let end = match order.get(k) {
                    Some(next) => next.start,
                    None => mine
                        .last()
                        .map_or(start + crate::time::from_seconds(STILL), |c| {
                            c.end + 500_000
                        }),
                };
                let lines: Vec<Value> = mine
                    .iter()
                    .map(|c| {
                        json!({
                            "text": c.text,
                            "at": crate::time::to_seconds(c.start - start),
                            "duration": crate::time::to_seconds(c.end - c.start),
                        })
                    })
                    .collect();
                let mut shot = base_shot(i, *n, &id_of(image, &mut assets), lines);
                shot["duration"] = json!(crate::time::to_seconds((end - start).max(100_000)));
                if let Some(v) = voices.get(n) {
                    problems.push(Problem::warning(
                        v.as_str(),
                        "the subtitles time the shots: this voice clip plays at its shot's start",
                    ));
                    let id = id_of(v, &mut assets);
                    shot["sfx"] = json!([{ "audio": id, "at": 0 }]);
                    voiced += 1;
                }
                shots.push(shot);
                start = end;
            }
            if order.len() > images.len() {
                problems.push(Problem::warning(
                    cues_name(&subtitles),
                    format!(
                        "{} cues for {} images: the cues are shared out in order",
                        order.len(),
                        images.len()
                    ),
                ));
            }
        }
        None => {
            for (i, (n, image)) in images.iter().enumerate() {
                let mut lines = Vec::new();
                if let Some(v) = voices.get(n) {
                    let id = id_of(v, &mut assets);
                    lines.push(json!({ "text": "", "display": "none", "voice": id }));
                    voiced += 1;
                }
                let mut shot = base_shot(i, *n, &id_of(image, &mut assets), lines);
                if !voices.contains_key(n) {
                    shot["duration"] = json!(STILL);
                }
                shots.push(shot);
            }
        }
    }
    for (n, v) in &voices {
        if !images.iter().any(|(m, _)| m == n) {
            problems.push(Problem::warning(
                v.as_str(),
                format!("no image numbered {n}: this voice clip is left out"),
            ));
        }
    }
    let mut manifest = Map::new();
    manifest.insert("format".into(), "manju/1".into());
    manifest.insert("title".into(), "Imported panels".into());
    manifest.insert(
        "canvas".into(),
        json!({ "width": canvas.0, "height": canvas.1, "fps": 30 }),
    );
    if let Some(m) = music.first() {
        let id = id_of(m, &mut assets);
        manifest.insert(
            "music".into(),
            json!([{ "audio": id, "at": 0, "until": "end", "volume": 0.5, "fade_out": 2.0, "duck": 0.4 }]),
        );
        for other in &music[1..] {
            problems.push(Problem::warning(
                other.as_str(),
                format!("a second audio file without a number: {m} is the music"),
            ));
        }
    }
    manifest.insert("assets".into(), json!(assets));
    manifest.insert("shots".into(), Value::Array(shots));
    manifest.insert(
        "meta".into(),
        json!({ "imported_from": "a folder of media" }),
    );
    let mut mapped = vec![format!(
        "{} images → a shot each, in the order of their numbers",
        images.len()
    )];
    mapped.push(match &cues {
        Some(c) => format!(
            "{} cues of {} → the lines, timing the shots",
            c.cues.len(),
            cues_name(&subtitles)
        ),
        None => format!(
            "{voiced} voice clips → spoken in the shots with their numbers (the others 3 s)"
        ),
    });
    if let Some(m) = music.first() {
        mapped.push(format!("{m} → the music, under the voices"));
    }
    Ok(Imported {
        kind: Kind::MediaFolder,
        manifest: Value::Object(manifest),
        problems,
        mapped,
    })
}

fn cues_name(subtitles: &[String]) -> String {
    subtitles.first().cloned().unwrap_or_default()
}

/// How many of `cues` each of `images` gets, in order: at least one each while they
/// last, the rest spread evenly.
fn share(images: usize, cues: usize) -> Vec<usize> {
    if cues < images {
        // A cue each for the first images; the rest are still shots after them.
        return (0..images).map(|i| usize::from(i < cues)).collect();
    }
    (0..images)
        .map(|i| (cues * (i + 1)) / images - (cues * i) / images)
        .collect()
}

fn base_shot(i: usize, n: u64, image: &str, lines: Vec<Value>) -> Value {
    let mut shot = json!({
        "id": format!("shot-{n}"),
        "duration": "auto",
        "layers": [{ "image": image }],
        "camera": { "preset": CAMERAS[i % CAMERAS.len()], "amount": AMOUNT },
        "lines": lines,
    });
    if i > 0 {
        shot["transition"] = json!({ "type": "crossfade", "duration": 0.5 });
    }
    shot
}

/// The canvas from the first image's shape: upright 1080×1920, wide 1920×1080, square.
fn canvas(files: &dyn Files, first: &str) -> (u32, u32) {
    let size = files.read(first).and_then(|bytes| {
        image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .ok()?
            .into_dimensions()
            .ok()
    });
    match size {
        Some((w, h)) if f64::from(w) >= 1.2 * f64::from(h) => (1920, 1080),
        Some((w, h)) if f64::from(h) >= 1.2 * f64::from(w) => (1080, 1920),
        Some(_) => (1080, 1080),
        None => (1080, 1920),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_names() {
        assert_eq!(number("001.png"), Some(1));
        assert_eq!(number("shot-02.jpg"), Some(2));
        assert_eq!(number("ep1-shot-03.png"), Some(3));
        assert_eq!(number("img/v12.wav"), Some(12));
        assert_eq!(number("bgm.mp3"), None);
    }

    #[test]
    fn cues_are_shared_out_in_order() {
        assert_eq!(share(3, 3), [1, 1, 1]);
        assert_eq!(share(2, 5), [2, 3]);
        assert_eq!(share(3, 1), [1, 0, 0]);
    }
}
