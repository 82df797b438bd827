//! One constructed pair of versions per kind of change: a small manifest, its assets'
//! bytes in memory, and the same with one thing edited.

use super::*;
use crate::model::{AssetKind, load_manifest, resolve};
use serde_json::{Value, json};

/// A PNG of 8×8 pixels of one colour.
fn png(rgb: [u8; 3]) -> Vec<u8> {
    let pixels: Vec<u8> = (0..64).flat_map(|_| rgb).collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels, 8, 8, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

use image::ImageEncoder;

/// `ms` milliseconds of a tone at `hz`, 16-bit mono WAV at 8 kHz.
fn wav(hz: f64, ms: u32) -> Vec<u8> {
    let rate = 8000u32;
    let samples: Vec<i16> = (0..rate * ms / 1000)
        .map(|n| {
            ((f64::from(n) * hz * std::f64::consts::TAU / f64::from(rate)).sin() * 8000.0) as i16
        })
        .collect();
    let data_len = samples.len() as u32 * 2;
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(rate * 2).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        b.extend_from_slice(&s.to_le_bytes());
    }
    b
}

/// The files of the first version, by path.
fn files() -> Vec<(String, Vec<u8>)> {
    vec![
        ("img/a.png".into(), png([200, 40, 40])),
        ("img/b.png".into(), png([40, 200, 40])),
        ("voice/v1.wav".into(), wav(440.0, 800)),
        ("sfx/thunder.wav".into(), wav(90.0, 500)),
        ("music/theme.wav".into(), wav(220.0, 1000)),
    ]
}

fn manifest() -> Value {
    json!({
        "format": "manju/1",
        "canvas": { "width": 64, "height": 36 },
        "assets": {
            "a": "img/a.png", "b": "img/b.png", "v1": "voice/v1.wav",
            "thunder": "sfx/thunder.wav", "theme": "music/theme.wav"
        },
        "characters": { "lin": { "name": "Lin" }, "gu": { "name": "Gu" } },
        "styles": { "angry": { "color": "#ff0000" } },
        "music": [{ "audio": "theme", "at": 0, "loop": true }],
        "shots": [
            { "id": "s1", "duration": 2, "layers": [{ "image": "a" }],
              "lines": [{ "speaker": "lin", "text": "Hello there", "voice": "v1" }] },
            { "id": "s2", "duration": 3, "layers": [{ "image": "b" }],
              "camera": { "preset": "zoom-in", "amount": 0.1 },
              "transition": { "type": "crossfade", "duration": 0.5 },
              "lines": [{ "text": "First line", "at": 0.2, "duration": 1 },
                        { "text": "Second line", "at": 1.5, "duration": 1 }],
              "sfx": [{ "audio": "thunder", "at": 0.5 }] },
            { "id": "s3", "duration": 2, "layers": [{ "image": "a", "crop": [0, 0, 4, 4] }],
              "effects": [{ "type": "shake", "at": 0, "duration": 0.4, "amplitude": 3 }],
              "lines": [{ "text": "Last words", "display": "caption" }] }
        ]
    })
}

/// A drama read from a manifest and in-memory files, as the page reads one.
fn version(manifest: &Value, files: &[(String, Vec<u8>)]) -> (Drama, AssetStore) {
    let loaded = load_manifest(&manifest.to_string());
    let m = loaded
        .manifest
        .unwrap_or_else(|| panic!("{:#?}", loaded.problems));
    let mut store = AssetStore::default();
    for asset in &m.assets {
        let (_, bytes) = files
            .iter()
            .find(|(path, _)| *path == asset.src)
            .unwrap_or_else(|| panic!("no file {}", asset.src));
        assert_eq!(store.add(&asset.id, asset.kind, &asset.src, bytes), None);
        assert!(asset.kind != AssetKind::Font);
    }
    (resolve(m, &store).drama, store)
}

/// The diff from the base version to one edited by `edit` (its manifest and files).
fn diff_with(edit: impl FnOnce(&mut Value, &mut Vec<(String, Vec<u8>)>)) -> DramaDiff {
    let (m, f) = (manifest(), files());
    let (old, old_store) = version(&m, &f);
    let (mut m2, mut f2) = (m, f);
    edit(&mut m2, &mut f2);
    let (new, new_store) = version(&m2, &f2);
    diff(&old, &old_store, &new, &new_store)
}

fn set(m: &mut Value, pointer: &str, value: Value) {
    *m.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = value;
}

fn shot<'a>(d: &'a DramaDiff, id: &str) -> &'a ShotDiff {
    d.shots.iter().find(|s| s.id == id).unwrap()
}

/// The one shot that changed, checked to be the only one; the others unchanged.
fn only_change(d: &DramaDiff, id: &str, changes: &[Change]) -> Vec<What> {
    for s in &d.shots {
        if s.id == id {
            assert_eq!(s.changes, changes, "{s:#?}");
            assert!(s.review);
        } else {
            assert_eq!(s.changes, [Change::Unchanged], "{s:#?}");
            assert!(!s.review);
            assert!(s.details.is_empty());
        }
    }
    let s = shot(d, id);
    for detail in &s.details {
        assert!(changes.contains(&detail.change), "{detail:?}");
    }
    s.details.iter().map(|d| d.what.clone()).collect()
}

#[test]
fn the_same_version_is_unchanged() {
    let d = diff_with(|_, _| {});
    assert_eq!(d.shots.len(), 3);
    for s in &d.shots {
        assert_eq!(s.changes, [Change::Unchanged]);
        assert_eq!(s.shift_us, 0);
        assert!(!s.review);
    }
    assert_eq!(d.summary.unchanged, 3);
    assert_eq!(d.summary.review, 0);
}

#[test]
fn a_longer_shot_shifts_the_ones_after_it_but_they_are_unchanged() {
    let d = diff_with(|m, _| set(m, "/shots/0/duration", json!(2.5)));
    assert_eq!(
        only_change(&d, "s1", &[Change::Timing]),
        [What::Duration {
            old_us: 2_000_000,
            new_us: 2_500_000
        }]
    );
    assert_eq!(shot(&d, "s1").shift_us, 0);
    let s2 = shot(&d, "s2");
    assert_eq!(s2.shift_us, 500_000);
    assert_eq!(
        (s2.old.unwrap().start_us, s2.new.unwrap().start_us),
        (2_000_000, 2_500_000)
    );
    assert_eq!(shot(&d, "s3").shift_us, 500_000);
    assert_eq!(d.summary.unchanged, 2);
    assert_eq!((d.summary.changed, d.summary.review), (1, 1));
    // The camera's zoom over the whole of s2 would stretch with it too: see the next test.
    assert!(
        d.table().contains("unchanged, shifted +0.50 s"),
        "{}",
        d.table()
    );
}

#[test]
fn a_camera_move_stretched_with_its_shot_is_timing_not_picture() {
    let d = diff_with(|m, _| set(m, "/shots/1/duration", json!(4)));
    assert_eq!(
        only_change(&d, "s2", &[Change::Timing]),
        [What::Duration {
            old_us: 3_000_000,
            new_us: 4_000_000
        }]
    );
}

#[test]
fn a_line_moved_in_its_shot_is_timing() {
    let d = diff_with(|m, _| set(m, "/shots/1/lines/1/at", json!(1.8)));
    let found = only_change(&d, "s2", &[Change::Timing]);
    assert!(
        matches!(
            found.as_slice(),
            [What::LineTiming {
                line: 1,
                old_at_us: 1_500_000,
                new_at_us: 1_800_000,
                ..
            }]
        ),
        "{found:?}"
    );
}

#[test]
fn a_repainted_image_with_the_same_file_name_is_a_picture_change() {
    let d = diff_with(|_, f| f[1].1 = png([10, 10, 250]));
    assert_eq!(
        only_change(&d, "s2", &[Change::Picture]),
        [What::LayerImage {
            layer: 0,
            old: "b".into(),
            new: "b".into()
        }]
    );
    assert!(
        d.table().contains("layers[0] image b repainted"),
        "{}",
        d.table()
    );
}

#[test]
fn an_asset_renamed_with_the_same_bytes_is_no_change() {
    let d = diff_with(|m, f| {
        m["assets"]["b2"] = json!("img/b-copy.png");
        set(m, "/shots/1/layers/0/image", json!("b2"));
        f.push(("img/b-copy.png".into(), png([40, 200, 40])));
    });
    assert!(
        d.shots.iter().all(|s| s.changes == [Change::Unchanged]),
        "{d:#?}"
    );
}

#[test]
fn a_crop_is_a_picture_change() {
    let d = diff_with(|m, _| set(m, "/shots/2/layers/0/crop", json!([0, 0, 6, 6])));
    assert_eq!(
        only_change(&d, "s3", &[Change::Picture]),
        [What::LayerCrop { layer: 0 }]
    );
}

#[test]
fn a_layer_added_or_moved_is_a_picture_change() {
    let d = diff_with(|m, _| {
        m["shots"][0]["layers"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "image": "b" }))
    });
    assert_eq!(
        only_change(&d, "s1", &[Change::Picture]),
        [What::Layers { old: 1, new: 2 }]
    );
    let d = diff_with(|m, _| m["shots"][0]["layers"][0]["x"] = json!(10));
    assert_eq!(
        only_change(&d, "s1", &[Change::Picture]),
        [What::LayerPlacement { layer: 0 }]
    );
}

#[test]
fn a_camera_change_is_a_picture_change() {
    let d = diff_with(|m, _| set(m, "/shots/1/camera/amount", json!(0.2)));
    assert_eq!(only_change(&d, "s2", &[Change::Picture]), [What::Camera]);
}

#[test]
fn a_transition_change_is_a_picture_change() {
    let d = diff_with(|m, _| {
        set(
            m,
            "/shots/1/transition",
            json!({ "type": "fade-black", "duration": 0.5 }),
        )
    });
    assert_eq!(
        only_change(&d, "s2", &[Change::Picture]),
        [What::Transition {
            old: "crossfade 0.50 s".into(),
            new: "fade-black 0.50 s".into()
        }]
    );
}

#[test]
fn an_effect_change_is_a_picture_change() {
    let d = diff_with(|m, _| set(m, "/shots/2/effects/0/amplitude", json!(8)));
    assert_eq!(
        only_change(&d, "s3", &[Change::Picture]),
        [What::Effects { old: 1, new: 1 }]
    );
}

#[test]
fn the_intro_and_outro_belong_to_the_first_and_last_shots() {
    let d = diff_with(|m, _| m["intro"] = json!({ "type": "fade-black", "duration": 0.5 }));
    assert_eq!(only_change(&d, "s1", &[Change::Picture]), [What::Intro]);
    let d = diff_with(|m, _| m["outro"] = json!({ "type": "fade-white", "duration": 1 }));
    assert_eq!(only_change(&d, "s3", &[Change::Picture]), [What::Outro]);
}

#[test]
fn a_reworded_line_is_a_words_change_with_old_and_new_text() {
    let d = diff_with(|m, _| set(m, "/shots/1/lines/0/text", json!("First line, reworded")));
    assert_eq!(
        only_change(&d, "s2", &[Change::Words]),
        [What::LineText {
            line: 0,
            old: "First line".into(),
            new: "First line, reworded".into()
        }]
    );
    assert!(
        d.table().contains(
            "words: lines[0] text \u{201c}First line\u{201d} → \u{201c}First line, reworded\u{201d}"
        ),
        "{}",
        d.table()
    );
}

#[test]
fn speaker_display_and_style_are_words_changes() {
    let d = diff_with(|m, _| set(m, "/shots/0/lines/0/speaker", json!("gu")));
    assert_eq!(
        only_change(&d, "s1", &[Change::Words]),
        [What::LineSpeaker {
            line: 0,
            old: Some("lin".into()),
            new: Some("gu".into())
        }]
    );
    let d = diff_with(|m, _| set(m, "/shots/2/lines/0/display", json!("subtitle")));
    assert_eq!(
        only_change(&d, "s3", &[Change::Words]),
        [What::LineDisplay {
            line: 0,
            old: "caption",
            new: "subtitle"
        }]
    );
    let d = diff_with(|m, _| m["shots"][1]["lines"][1]["style"] = json!("angry"));
    assert_eq!(
        only_change(&d, "s2", &[Change::Words]),
        [What::LineLook {
            line: 1,
            old_style: None,
            new_style: Some("angry".into())
        }]
    );
}

#[test]
fn a_style_redefined_changes_the_lines_that_use_it() {
    let d = diff_with(|m, _| {
        m["shots"][1]["lines"][1]["style"] = json!("angry");
    });
    assert_eq!(d.summary.changed, 1);
    // Both versions use `angry`; the second defines it otherwise.
    let (mut m, f) = (manifest(), files());
    m["shots"][1]["lines"][1]["style"] = json!("angry");
    let (old, old_store) = version(&m, &f);
    set(&mut m, "/styles/angry/color", json!("#0000ff"));
    let (new, new_store) = version(&m, &f);
    let d = diff(&old, &old_store, &new, &new_store);
    assert_eq!(
        only_change(&d, "s2", &[Change::Words]),
        [What::LineLook {
            line: 1,
            old_style: Some("angry".into()),
            new_style: Some("angry".into())
        }]
    );
}

#[test]
fn a_line_inserted_is_found_where_it_was_inserted() {
    let d = diff_with(|m, _| {
        m["shots"][1]["lines"].as_array_mut().unwrap().insert(
            1,
            json!({ "text": "A new line", "at": 1.0, "duration": 0.4 }),
        );
        set(m, "/shots/1/lines/2/at", json!(1.5));
    });
    assert_eq!(
        only_change(&d, "s2", &[Change::Words]),
        [What::LineAdded {
            line: 1,
            text: "A new line".into()
        }]
    );
    let d = diff_with(|m, _| {
        m["shots"][1]["lines"].as_array_mut().unwrap().remove(0);
    });
    assert_eq!(
        only_change(&d, "s2", &[Change::Words]),
        [What::LineRemoved {
            line: 0,
            text: "First line".into()
        }]
    );
}

#[test]
fn a_re_recorded_voice_is_a_sound_change() {
    // Another recording of the same length under the same name: only the bytes differ.
    let d = diff_with(|_, f| f[2].1 = wav(660.0, 800));
    assert_eq!(
        only_change(&d, "s1", &[Change::Sound]),
        [What::Voice {
            line: 0,
            old: Some("v1".into()),
            new: Some("v1".into())
        }]
    );
    // A longer one times the line and the shot anew: sound and timing.
    let d = diff_with(|m, f| {
        f[2].1 = wav(660.0, 1200);
        set(m, "/shots/0/duration", json!("auto"));
    });
    let s1 = shot(&d, "s1");
    assert_eq!(s1.changes, [Change::Timing, Change::Sound], "{s1:#?}");
}

#[test]
fn music_and_sfx_are_sound_changes() {
    let d = diff_with(|m, _| set(m, "/shots/1/sfx/0/at", json!(0.8)));
    assert_eq!(
        only_change(&d, "s2", &[Change::Sound]),
        [What::Sfx {
            index: 0,
            old: Some("thunder".into()),
            new: Some("thunder".into())
        }]
    );
    // The theme quieter: every shot it plays under.
    let d = diff_with(|m, _| m["music"][0]["volume"] = json!(0.3));
    for s in &d.shots {
        assert_eq!(s.changes, [Change::Sound]);
        assert_eq!(
            s.details[0].what,
            What::Music {
                old: vec!["theme".into()],
                new: vec!["theme".into()]
            }
        );
    }
    // The music stopping in the middle of s2: s2 and s3 hear it otherwise, s1 does not.
    let d = diff_with(|m, _| m["music"][0]["until"] = json!(3));
    let changed: Vec<&str> = d
        .shots
        .iter()
        .filter(|s| s.has(Change::Sound))
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(changed, ["s2", "s3"]);
}

#[test]
fn shots_added_and_removed_are_listed_where_they_are() {
    let d = diff_with(|m, _| {
        let shots = m["shots"].as_array_mut().unwrap();
        shots.remove(0);
        shots.insert(
            1,
            json!({ "id": "new", "duration": 1, "layers": [{ "image": "b" }],
            "lines": [{ "text": "Something else" }] }),
        );
    });
    let order: Vec<(&str, &[Change])> = d
        .shots
        .iter()
        .map(|s| (s.id.as_str(), s.changes.as_slice()))
        .collect();
    assert_eq!(
        order,
        [
            ("s1", &[Change::Removed][..]),
            // Now first, it no longer crossfades in from s1.
            ("s2", &[Change::Picture][..]),
            ("new", &[Change::Added][..]),
            ("s3", &[Change::Unchanged][..]),
        ]
    );
    assert_eq!(
        shot(&d, "s2").details[0].what,
        What::Transition {
            old: "crossfade 0.50 s".into(),
            new: "cut".into()
        }
    );
    assert!(shot(&d, "new").review);
    assert!(!shot(&d, "s1").review);
    assert_eq!(shot(&d, "s2").shift_us, -2_000_000);
    assert_eq!(shot(&d, "s1").new, None);
    assert_eq!(shot(&d, "new").old, None);
    assert_eq!(
        (d.summary.added, d.summary.removed, d.summary.review),
        (1, 1, 2)
    );
}

#[test]
fn a_shot_moved_elsewhere_in_the_order_is_unchanged_with_its_shift() {
    let d = diff_with(|m, _| m["shots"].as_array_mut().unwrap().swap(1, 2));
    let order: Vec<(&str, &[Change], Micros)> = d
        .shots
        .iter()
        .map(|s| (s.id.as_str(), s.changes.as_slice(), s.shift_us))
        .collect();
    assert_eq!(
        order,
        [
            ("s1", &[Change::Unchanged][..], 0),
            ("s3", &[Change::Unchanged][..], -3_000_000),
            ("s2", &[Change::Unchanged][..], 2_000_000),
        ]
    );
}

#[test]
fn a_shot_with_a_new_id_and_the_same_content_is_renamed() {
    let d = diff_with(|m, _| set(m, "/shots/1/id", json!("s2-renamed")));
    assert_eq!(d.shots.len(), 3);
    let s = &d.shots[1];
    assert_eq!(s.id, "s2-renamed");
    assert_eq!(s.old_id.as_deref(), Some("s2"));
    assert_eq!(s.changes, [Change::Renamed]);
    assert!(!s.review);
    assert_eq!(
        (d.summary.renamed, d.summary.added, d.summary.removed),
        (1, 0, 0)
    );
    // Renamed and re-timed: both, and a reason to look again.
    let d = diff_with(|m, _| {
        set(m, "/shots/1/id", json!("s2-renamed"));
        set(m, "/shots/1/duration", json!(4));
    });
    assert_eq!(d.shots[1].changes, [Change::Renamed, Change::Timing]);
    assert!(d.shots[1].review);
    assert!(d.table().contains("s2 → s2-renamed"), "{}", d.table());
}

#[test]
fn lines_align_around_one_insertion_or_removal() {
    let lines = |texts: &[&str]| -> Vec<Line> {
        texts
            .iter()
            .map(|t| Line {
                speaker: None,
                text: t.to_string(),
                voice: None,
                at: 0,
                duration: 1,
                display: Display::Subtitle,
                bubble: None,
                style: None,
                reveal: crate::model::Reveal::Instant,
                volume: 1.0,
            })
            .collect()
    };
    let (s, n) = (Some, None::<usize>);
    assert_eq!(
        align_lines(&lines(&["a", "b", "c"]), &lines(&["a", "x", "b", "c"])),
        [(s(0), s(0)), (n, s(1)), (s(1), s(2)), (s(2), s(3))]
    );
    // A removal with a reworded neighbour still pairs the reworded line.
    assert_eq!(
        align_lines(
            &lines(&["hello", "bye", "see you"]),
            &lines(&["hello", "see you later"])
        ),
        [(s(0), s(0)), (s(1), n), (s(2), s(1))]
    );
    assert_eq!(
        align_lines(&lines(&["a", "a"]), &lines(&["a", "a", "a"])),
        [(s(0), s(0)), (s(1), s(1)), (n, s(2))]
    );
}

#[test]
fn the_json_names_each_change_and_detail() {
    let d = diff_with(|m, _| set(m, "/shots/1/lines/0/text", json!("Reworded")));
    let v = serde_json::to_value(&d).unwrap();
    let s2 = &v["shots"][1];
    assert_eq!(s2["changes"], json!(["words"]));
    assert_eq!(s2["review"], json!(true));
    assert_eq!(
        s2["new"],
        json!({ "start_us": 2_000_000, "duration_us": 3_000_000 })
    );
    assert_eq!(
        s2["details"][0],
        json!({ "change": "words", "what": "line_text", "line": 0, "old": "First line", "new": "Reworded" })
    );
    assert_eq!(v["shots"][0]["changes"], json!(["unchanged"]));
    assert!(v["shots"][0].get("old_id").is_none());
    assert_eq!(v["summary"]["review"], json!(1));
}
