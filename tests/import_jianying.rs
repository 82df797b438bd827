//! Jianying (剪映) / CapCut drafts, built here from the format's public descriptions
//! (draft_content.json: canvas_config, tracks of segments in microseconds, materials):
//! the mapped manifest, frames of it, broken and hostile drafts, and the CLI.

use crate::util::{load, render, repo, run_manju, write_tone_wav};
use manju::{DraftInMemory, DraftKind, ImportOptions, Problem, import_draft, load_manifest};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn png(path: &Path, w: u32, h: u32, rgb: [u8; 3]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let px: Vec<u8> = (0..w * h)
        .flat_map(|_| [rgb[0], rgb[1], rgb[2], 255])
        .collect();
    image::save_buffer(path, &px, w, h, image::ExtendedColorType::Rgba8).unwrap();
}

const ROOT: &str = "C:\\Users\\studio\\Documents\\JianyingPro Drafts\\ep1\\";

fn text_content(text: &str, size: f64, fill: [f64; 3], stroke: Option<[f64; 3]>) -> String {
    let strokes: Vec<Value> = stroke
        .map(|c| json!({ "content": { "solid": { "alpha": 1.0, "color": c } }, "width": 0.08 }))
        .into_iter()
        .collect();
    json!({
        "text": text,
        "styles": [{
            "fill": { "alpha": 1.0, "content": { "render_type": "solid", "solid": { "alpha": 1.0, "color": fill } } },
            "range": [0, text.chars().count()],
            "size": size,
            "strokes": strokes,
        }],
    })
    .to_string()
}

fn segment(id: &str, material: &str, start: i64, duration: i64) -> Value {
    json!({
        "id": id,
        "material_id": material,
        "target_timerange": { "start": start, "duration": duration },
        "source_timerange": { "start": 0, "duration": duration },
        "clip": {
            "alpha": 1.0,
            "flip": { "horizontal": false, "vertical": false },
            "rotation": 0.0,
            "scale": { "x": 1.0, "y": 1.0 },
            "transform": { "x": 0.0, "y": 0.0 },
        },
        "common_keyframes": [],
        "extra_material_refs": [],
        "volume": 1.0,
        "speed": 1.0,
    })
}

/// The draft_content.json of a two-shot episode: two photos joined by 叠化, the first
/// moved, scaled, turned and keyframed, an overlay on it for a second, a subtitle and a
/// caption, a TTS clip, music, a filter and a sticker.
fn draft_json() -> Value {
    let mut s1 = segment("seg1", "v1", 0, 3_000_000);
    s1["clip"]["transform"] = json!({ "x": 0.25, "y": -0.1 });
    s1["clip"]["scale"] = json!({ "x": 1.2, "y": 1.2 });
    s1["clip"]["rotation"] = json!(5.0);
    s1["common_keyframes"] = json!([
        { "id": "k1", "property_type": "KFTypeScaleX", "material_id": "", "keyframe_list": [
            { "id": "a", "curveType": "Line", "time_offset": 0, "values": [1.2] },
            { "id": "b", "curveType": "Line", "time_offset": 3_000_000, "values": [1.5] } ] },
        { "id": "k2", "property_type": "KFTypeAlpha", "material_id": "", "keyframe_list": [
            { "id": "c", "curveType": "Line", "time_offset": 0, "values": [0.0] },
            { "id": "d", "curveType": "Line", "time_offset": 500_000, "values": [1.0] } ] },
    ]);
    s1["extra_material_refs"] = json!(["sp1", "tr1"]);
    let s2 = segment("seg2", "v2", 3_000_000, 4_000_000);
    let overlay = segment("seg3", "v3", 1_000_000, 1_000_000);
    let mut sub = segment("seg4", "t1", 500_000, 2_000_000);
    sub["clip"]["transform"]["y"] = json!(-0.8);
    let mut cap = segment("seg5", "t2", 3_200_000, 2_000_000);
    cap["clip"]["transform"]["y"] = json!(0.7);
    let mut tts = segment("seg6", "a1", 600_000, 800_000);
    tts["volume"] = json!(0.9);
    let mut bgm = segment("seg7", "a2", 0, 7_000_000);
    bgm["volume"] = json!(0.5);
    bgm["extra_material_refs"] = json!(["af1"]);
    json!({
        "canvas_config": { "width": 1080, "height": 1920, "ratio": "original" },
        "fps": 30.0,
        "duration": 7_000_000,
        "id": "91E08AC5-22FB-47e2-9AA0-7DC300FAEA2B",
        "name": "第1集",
        "materials": {
            "videos": [
                { "id": "v1", "type": "photo", "path": format!("{ROOT}img\\01.png"), "width": 90, "height": 160, "duration": 10_800_000_000i64 },
                { "id": "v2", "type": "photo", "path": "C:\\Users\\studio\\Desktop\\02.png", "width": 90, "height": 160 },
                { "id": "v3", "type": "photo", "path": format!("{ROOT}img\\badge.png"), "width": 40, "height": 40 },
            ],
            "texts": [
                { "id": "t1", "type": "text", "content": text_content("这一世，我绝不会再让你得逞。", 12.0, [1.0, 1.0, 0.0], Some([0.0, 0.0, 0.0])) },
                { "id": "t2", "type": "text", "content": text_content("三年后", 10.0, [1.0, 1.0, 1.0], None) },
            ],
            "audios": [
                { "id": "a1", "type": "text_to_audio", "name": "林晚", "path": format!("{ROOT}audio\\tts1.wav"), "duration": 800_000 },
                { "id": "a2", "type": "extract_music", "name": "bgm", "path": "D:\\素材\\bgm.wav", "duration": 800_000 },
            ],
            "transitions": [ { "id": "tr1", "name": "叠化", "duration": 600_000, "is_overlap": true, "type": "transition" } ],
            "speeds": [ { "id": "sp1", "speed": 1.0, "mode": 0, "type": "speed", "curve_speed": null } ],
            "audio_fades": [ { "id": "af1", "fade_in_duration": 500_000, "fade_out_duration": 1_000_000, "type": "audio_fade" } ],
            "effects": [ { "id": "f1", "type": "filter", "name": "清晰" } ],
            "stickers": [ { "id": "st1", "type": "sticker", "name": "爱心" } ],
        },
        "tracks": [
            { "id": "tk0", "type": "video", "attribute": 0, "flag": 0, "segments": [s1, s2] },
            { "id": "tk1", "type": "video", "attribute": 0, "flag": 0, "segments": [overlay] },
            { "id": "tk2", "type": "text", "segments": [sub, cap] },
            { "id": "tk3", "type": "audio", "segments": [tts] },
            { "id": "tk4", "type": "audio", "segments": [bgm] },
            { "id": "tk5", "type": "filter", "segments": [segment("seg8", "f1", 0, 7_000_000)] },
            { "id": "tk6", "type": "sticker", "segments": [segment("seg9", "st1", 1_000_000, 1_000_000)] },
        ],
        "version": 360000,
    })
}

/// A draft folder under target/: its pictures, clips and draft_content.json.
fn draft_folder(name: &str) -> PathBuf {
    let dir = repo().join("target/test-import-jianying").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    png(&dir.join("img/01.png"), 90, 160, [40, 90, 160]);
    png(&dir.join("pictures/02.png"), 90, 160, [200, 120, 30]);
    png(&dir.join("img/badge.png"), 40, 40, [250, 0, 0]);
    write_tone_wav(&dir.join("audio/tts1.wav"));
    write_tone_wav(&dir.join("music/bgm.wav"));
    std::fs::write(dir.join("draft_meta_info.json"), r#"{"draft_name": "ep1"}"#).unwrap();
    std::fs::write(
        dir.join("draft_content.json"),
        serde_json::to_string_pretty(&draft_json()).unwrap(),
    )
    .unwrap();
    dir
}

fn said(problems: &[Problem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect()
}

fn has(said: &[String], path: &str, words: &str) -> bool {
    said.iter()
        .any(|s| s.starts_with(path) && s.contains(words))
}

#[test]
fn a_jianying_draft_becomes_shots_layers_lines_and_sound() {
    let dir = draft_folder("episode");
    let folder = manju::DraftFolder::new(&dir).unwrap();
    let imported =
        import_draft(&folder, None, &ImportOptions::default()).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(imported.kind, DraftKind::Jianying);
    let m = &imported.manifest;
    assert_eq!(m["title"], "第1集");
    assert_eq!(
        m["canvas"],
        json!({ "width": 1080, "height": 1920, "fps": 30 })
    );
    let shots = m["shots"].as_array().unwrap();
    assert_eq!(shots.len(), 2);
    assert_eq!(shots[0]["duration"], 3.0);
    assert_eq!(shots[1]["duration"], 4.0);
    // 叠化 on the first segment leads into the second.
    assert!(shots[0].get("transition").is_none());
    assert_eq!(
        shots[1]["transition"],
        json!({ "type": "crossfade", "duration": 0.6 })
    );

    // transform (0.25, −0.1) in half-canvas units, y up → stage pixels.
    let layer = &shots[0]["layers"][0];
    assert_eq!(m["assets"][layer["image"].as_str().unwrap()], "img/01.png");
    assert_eq!(layer["fit"], "contain");
    assert_eq!(layer["x"], 675.0);
    assert_eq!(layer["y"], 1056.0);
    assert_eq!(layer["scale"], 1.2);
    assert_eq!(layer["rotation"], 5.0);
    assert_eq!(
        layer["keyframes"],
        json!([
            { "at": 0.0, "scale": 1.2, "opacity": 0.0 },
            { "at": 0.5, "opacity": 1.0 },
            { "at": 3.0, "scale": 1.5 },
        ])
    );
    assert_eq!(
        m["assets"][shots[1]["layers"][0]["image"].as_str().unwrap()],
        "pictures/02.png"
    );
    // The overlay shows from 1 s to 2 s of the first shot only.
    let badge = &shots[0]["layers"][1];
    assert_eq!(
        m["assets"][badge["image"].as_str().unwrap()],
        "img/badge.png"
    );
    assert_eq!(
        badge["keyframes"],
        json!([
            { "at": 0, "opacity": 0, "ease": "step-end" },
            { "at": 1.0, "opacity": 1.0, "ease": "step-end" },
            { "at": 2.0, "opacity": 0 },
        ])
    );

    // The bottom text is a subtitle voiced by the TTS clip it overlaps; the top one a
    // caption. Size 12 → 48 px, yellow with a black 4 px edge.
    let sub = &shots[0]["lines"][0];
    assert_eq!(sub["text"], "这一世，我绝不会再让你得逞。");
    assert_eq!(sub["at"], 0.5);
    assert_eq!(sub["duration"], 2.0);
    assert_eq!(sub["display"], "subtitle");
    assert_eq!(
        m["assets"][sub["voice"].as_str().unwrap()],
        "audio/tts1.wav"
    );
    assert_eq!(sub["volume"], 0.9);
    assert_eq!(
        m["styles"][sub["style"].as_str().unwrap()],
        json!({ "size": 48.0, "color": "#ffff00", "stroke": "#000000", "stroke_width": 4.0,
                "position": "bottom", "margin": 168.0 })
    );
    let cap = &shots[1]["lines"][0];
    assert_eq!(cap["text"], "三年后");
    assert_eq!(cap["display"], "caption");
    assert!((cap["at"].as_f64().unwrap() - 0.2).abs() < 1e-9);
    assert_eq!(
        m["styles"][cap["style"].as_str().unwrap()],
        json!({ "size": 40.0, "color": "#ffffff", "stroke": null, "background": null,
                "position": "top", "margin": 268.0 })
    );
    // The music, found by its name, with its volume and fades.
    let music = &m["music"][0];
    assert_eq!(
        m["assets"][music["audio"].as_str().unwrap()],
        "music/bgm.wav"
    );
    assert_eq!(
        music,
        &json!({ "audio": music["audio"], "at": 0.0, "until": 7.0, "volume": 0.5,
                 "fade_in": 0.5, "fade_out": 1.0 })
    );

    // What did not carry over, located.
    let said = said(&imported.problems);
    assert!(
        has(
            &said,
            "draft_content.json: tracks[0].segments[1].material_id",
            "pictures/02.png, found by its name"
        ),
        "{said:#?}"
    );
    assert!(
        has(
            &said,
            "draft_content.json: tracks[4].segments[0].material_id",
            "music/bgm.wav, found by its name"
        ),
        "{said:#?}"
    );
    assert!(
        has(
            &said,
            "draft_content.json: tracks[5].segments[0]",
            "1 × filters (清晰)"
        ),
        "{said:#?}"
    );
    assert!(
        has(
            &said,
            "draft_content.json: tracks[6].segments[0]",
            "1 × stickers (爱心)"
        ),
        "{said:#?}"
    );
    assert_eq!(said.len(), 4, "{said:#?}");
    assert!(imported.problems.iter().all(|p| !p.is_error()));

    // It loads with every asset found, and plays.
    let (drama, store, problems) = load(&imported.manifest_text(), &dir);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(manju::to_seconds(drama.shots[1].start), 3.0);
    let (w, h) = (drama.canvas.width as usize, drama.canvas.height as usize);
    let pixel = |frame: &[u8], x: usize, y: usize| {
        let i = (y * w + x) * 4;
        [frame[i], frame[i + 1], frame[i + 2]]
    };
    let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 3);
    // 1.5 s: the red badge over the first picture, at the canvas's centre.
    let frame = render(&drama, &store, 1.5);
    assert!(
        near(pixel(&frame, w / 2, h / 2), [250, 0, 0]),
        "{:?}",
        pixel(&frame, w / 2, h / 2)
    );
    // 2.5 s: the first picture itself (moved right and down, so its centre is there).
    let frame = render(&drama, &store, 2.5);
    assert!(near(pixel(&frame, w / 2 + 135, h / 2 + 96), [40, 90, 160]));
    // 5 s: the second picture, whole and centred.
    let frame = render(&drama, &store, 5.0);
    assert!(near(pixel(&frame, w / 2, h / 2), [200, 120, 30]));
    let _ = h;
}

fn problems_of(files: DraftInMemory) -> Result<Vec<Problem>, Vec<Problem>> {
    import_draft(&files, None, &ImportOptions::default()).map(|i| i.problems)
}

#[test]
fn broken_drafts_say_where() {
    // Truncated JSON: its line and column.
    let files = DraftInMemory::default().with(
        "draft_content.json",
        "{\n  \"canvas_config\": { \"width\": 1080 },\n  \"tracks\": [ { \"type\": \"vid",
    );
    let err = problems_of(files).unwrap_err();
    assert_eq!(err[0].path, "draft_content.json");
    assert!(err[0].message.starts_with("not JSON"), "{}", err[0].message);
    assert_eq!(err[0].line, Some(3));
    assert!(err[0].column.is_some());

    // Encrypted (what newer Jianying writes): not JSON bytes at all.
    let bytes: Vec<u8> = (0..2000u32)
        .map(|i| (i * 7919 % 251) as u8 ^ 0x9c)
        .collect();
    let err = problems_of(DraftInMemory::default().with("draft_content.json", bytes)).unwrap_err();
    assert!(
        err[0].message.starts_with("this draft is encrypted"),
        "{}",
        err[0].message
    );
    let err =
        problems_of(DraftInMemory::default().with("draft_info.json", "QUJDRA==abc")).unwrap_err();
    assert!(
        err[0].message.starts_with("this draft is encrypted"),
        "{}",
        err[0].message
    );

    // A segment pointing to no material, a material whose file is missing, a video.
    let mut d = draft_json();
    d["tracks"][0]["segments"][0]["material_id"] = json!("nope");
    d["materials"]["videos"][1]["path"] = json!("C:\\gone\\lost.png");
    d["materials"]["videos"][2] =
        json!({ "id": "v3", "type": "video", "path": format!("{ROOT}clip.mp4") });
    let files = DraftInMemory::default()
        .with("draft_content.json", d.to_string())
        .with("clip.mp4", "not a picture");
    let problems = problems_of(files).unwrap();
    let said = said(&problems);
    assert!(
        has(
            &said,
            "draft_content.json: tracks[0].segments[0].material_id",
            "\"nope\" is not among the draft's materials"
        ),
        "{said:#?}"
    );
    assert!(
        has(
            &said,
            "draft_content.json: tracks[0].segments[1].material_id",
            "lost.png\" is not in the draft"
        ),
        "{said:#?}"
    );
    assert!(
        has(
            &said,
            "draft_content.json: tracks[1].segments[0].material_id",
            "is a video, which does not play here: a placeholder"
        ),
        "{said:#?}"
    );
    assert!(problems.iter().all(|p| !p.is_error()));

    // A still beside the video is shown instead.
    let files = DraftInMemory::default()
        .with("draft_content.json", d.to_string())
        .with("clip.mp4", "x")
        .with("clip.jpg", "x");
    let imported = import_draft(&files, None, &ImportOptions::default()).unwrap();
    assert_eq!(imported.manifest["assets"]["clip"], "clip.jpg");
    assert!(has(
        &said_of(&imported),
        "draft_content.json: tracks[1].segments[0].material_id",
        "clip.jpg beside it is shown"
    ));

    // An unknown transition is a crossfade, named.
    let mut d = draft_json();
    d["materials"]["transitions"][0]["name"] = json!("动漫火焰");
    let files = DraftInMemory::default().with("draft_content.json", d.to_string());
    let imported = import_draft(&files, None, &ImportOptions::default()).unwrap();
    assert_eq!(
        imported.manifest["shots"][1]["transition"]["type"],
        "crossfade"
    );
    assert!(has(
        &said_of(&imported),
        "draft_content.json: tracks[0].segments[0].extra_material_refs[1]",
        "\"动漫火焰\" has no counterpart"
    ));

    // No video track: nothing to show.
    let files = DraftInMemory::default().with(
        "draft_content.json",
        json!({ "canvas_config": {}, "materials": {}, "tracks": [] }).to_string(),
    );
    let err = problems_of(files).unwrap_err();
    assert_eq!(err[0].path, "draft_content.json: tracks");
}

#[test]
fn gaps_partial_overlays_and_sounds() {
    let mut d = draft_json();
    d["tracks"][0]["segments"][1]["target_timerange"] =
        json!({ "start": 4_000_000, "duration": 3_000_000 });
    d["tracks"][1]["segments"][0]["target_timerange"] =
        json!({ "start": 2_000_000, "duration": 3_000_000 });
    // The TTS clip overlaps no text now; a short sound at 5.5 s.
    d["tracks"][3]["segments"][0]["target_timerange"] =
        json!({ "start": 6_000_000, "duration": 800_000 });
    d["materials"]["audios"][1]["type"] = json!("sound");
    d["tracks"][4]["segments"][0]["target_timerange"] =
        json!({ "start": 5_500_000, "duration": 800_000 });
    let files = DraftInMemory::default().with("draft_content.json", d.to_string());
    let imported = import_draft(&files, None, &ImportOptions::default()).unwrap();
    let shots = imported.manifest["shots"].as_array().unwrap();
    let ids: Vec<&str> = shots.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["shot-1", "gap-2", "shot-3"]);
    assert_eq!(shots[1]["duration"], 1.0);
    assert_eq!(shots[1]["transition"]["type"], "crossfade");
    assert_eq!(shots[0]["layers"].as_array().unwrap().len(), 1);
    assert_eq!(
        shots[2]["sfx"],
        json!([
            { "audio": "tts1", "at": 2.0, "volume": 0.9 },
            { "audio": "bgm", "at": 1.5, "volume": 0.5 },
        ])
    );
    assert!(imported.manifest.get("music").is_none());
    let said = said(&imported.problems);
    assert!(
        has(
            &said,
            "draft_content.json: tracks[1].segments[0]",
            "covers part of 3 shots"
        ),
        "{said:#?}"
    );
    let loaded = load_manifest(&imported.manifest_text());
    assert!(
        loaded.problems.iter().all(|p| !p.is_error()),
        "{:#?}",
        loaded.problems
    );
}

fn said_of(imported: &manju::Imported) -> Vec<String> {
    said(&imported.problems)
}

#[test]
fn hostile_drafts_never_panic_and_still_load() {
    let hostile = [
        json!({ "canvas_config": { "width": -5, "height": 1e308 }, "fps": "fast", "materials": { "videos": "no" },
                "tracks": [ { "type": "video", "segments": [
                    { "target_timerange": { "start": -5, "duration": 1e300 } },
                    { "target_timerange": "x" },
                    { "material_id": 5, "target_timerange": { "start": 0, "duration": 1e300 },
                      "clip": { "scale": { "x": "big" }, "transform": { "x": 1e308, "y": -1e308 }, "alpha": 7 },
                      "common_keyframes": [ { "property_type": "KFTypeAlpha", "keyframe_list": [ { "time_offset": -1e30, "values": ["x"] }, { "time_offset": 9e18, "values": [1e300] } ] }, 3 ],
                      "extra_material_refs": "no" },
                    { "material_id": "v", "target_timerange": { "start": 9_223_372_036_854_775_807i64, "duration": 9_223_372_036_854_775_807i64 } },
                ] },
                { "type": "text", "segments": [ { "material_id": "t", "target_timerange": { "start": 0, "duration": 1 } } ] },
                { "type": "audio", "segments": [ { "material_id": "a", "target_timerange": { "start": 0, "duration": 99_999_999_999_999i64 }, "volume": -3 } ] },
                { "type": 7, "segments": 3 }, 5, null ] }),
        json!({ "canvas_config": 1, "materials": { "texts": [ { "id": "t", "content": "{\"text\": 5}" } ], "audios": [ { "id": "a", "path": "../../../../etc/passwd" } ] },
                "tracks": [ { "type": "video", "segments": [ { "material_id": "t", "target_timerange": { "start": 0, "duration": 1000000 } } ] },
                            { "type": "text", "segments": [ { "material_id": "t", "target_timerange": { "start": 5, "duration": 1000000 } } ] },
                            { "type": "audio", "segments": [ { "material_id": "a", "target_timerange": { "start": 0, "duration": 1000000 } } ] } ] }),
        json!([1, 2, 3]),
        json!({ "materials": {}, "tracks": {}, "canvas_config": {} }),
    ];
    for (n, d) in hostile.iter().enumerate() {
        let files = DraftInMemory::default().with("draft_content.json", d.to_string());
        match import_draft(&files, Some(DraftKind::Jianying), &ImportOptions::default()) {
            Ok(imported) => {
                let loaded = load_manifest(&imported.manifest_text());
                assert!(
                    loaded.manifest.is_some(),
                    "draft {n}: {:#?}\n{}",
                    loaded.problems,
                    imported.manifest_text()
                );
                assert!(
                    loaded.problems.iter().all(|p| !p.is_error()),
                    "draft {n}: {:#?}",
                    loaded.problems
                );
            }
            Err(problems) => assert!(!problems.is_empty(), "draft {n}"),
        }
    }
}

#[test]
fn the_cli_imports_and_checks_a_draft_folder() {
    let dir = draft_folder("cli");
    let out = repo().join("target/test-import-jianying/cli-out/episode.json");
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
    let run = run_manju;
    let (code, said) = run(&["import", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Jianying / CapCut draft"), "{said}");
    assert!(said.contains("→ 2 shots, 1 transitions"), "{said}");
    assert!(said.contains("1 × filters (清晰)"), "{said}");
    let (code, said) = run(&["check", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    let (code, said) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("playable (2 shots"), "{said}");
    let entry = dir.join("draft_content.json");
    let (code, said) = run(&["check", entry.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    let (code, said) = run(&[
        "import",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--from",
        "capcut",
    ]);
    assert_eq!(code, Some(0), "{said}");
}
