//! OpenTimelineIO import: every timeline of `../shared/corpus/otio/` cut where the
//! `opentimelineio` package (0.18.1) cuts it — its readings are in
//! `tests/fixtures/otio/<file>.json`, made by `reference.py` there — a draft built here
//! with real images and a voice clip that plays without a warning, and `manju import` /
//! `manju check` / `manju timeline` on a `.otio` file.

use crate::util::{load, repo, run_manju as run};
use manju::{DraftKind, ImportOptions, import_draft_path};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The opentimelineio release the readings were made with.
const OPENTIMELINEIO: &str = "0.18.1";

fn corpus() -> PathBuf {
    let dir = repo().join("../shared/corpus/otio");
    assert!(
        dir.is_dir(),
        "{} is missing: the tests read the shared corpus beside the repository",
        dir.display()
    );
    dir
}

fn reading(name: &str) -> Value {
    let path = repo().join(format!("tests/fixtures/otio/{name}.json"));
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run reference.py there)", path.display())),
    )
    .unwrap();
    assert_eq!(
        json["opentimelineio"],
        OPENTIMELINEIO,
        "{} was made by another opentimelineio",
        path.display()
    );
    assert!(json.get("error").is_none(), "{json}");
    json
}

fn us(seconds: &Value) -> i64 {
    (seconds.as_f64().unwrap() * 1e6).round() as i64
}

#[test]
fn every_corpus_timeline_is_cut_where_opentimelineio_cuts_it() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "otio"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 9, "{files:?}");
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        let theirs = reading(name);
        let (imported, root) = import_draft_path(file, None, &ImportOptions::default())
            .unwrap_or_else(|p| panic!("{name}: {p:#?}"));
        assert_eq!(imported.kind, DraftKind::Otio);
        assert!(
            imported.problems.iter().all(|p| !p.is_error()),
            "{name}: {:#?}",
            imported.problems
        );
        // As the core times it: every shot where the manifest says, nothing refused.
        let (drama, _, problems) = load(&imported.manifest_text(), &root);
        assert!(
            problems.iter().all(|p| !p.is_error()),
            "{name}: {problems:#?}"
        );
        let shots = imported.manifest["shots"].as_array().unwrap();
        assert_eq!(drama.shots.len(), shots.len());

        let items = theirs["items"].as_array().unwrap();
        // A transition opening the track overhangs it: that much background first.
        let lead = match items.first() {
            Some(t) if t["kind"] == "Transition" => us(&t["in_offset"]),
            _ => 0,
        };
        let track = theirs["track_index"].as_u64().unwrap_or(0);
        for (k, item) in items.iter().enumerate() {
            let (start, duration) = (us(&item["start"]), us(&item["duration"]));
            let place = format!("tracks.children[{track}].children[{k}]");
            if item["kind"] == "Transition" {
                // At the track's start or end: the intro or the outro, over exactly the
                // span opentimelineio gives it.
                let edge = match k {
                    0 => Some("intro"),
                    k if k + 1 == items.len() => Some("outro"),
                    _ => None,
                };
                if let Some(edge) = edge {
                    let e = &imported.manifest[edge];
                    assert_eq!(e["type"], "crossfade", "{name}: {place}");
                    assert_eq!(us(&e["duration"]), duration, "{name}: {place}");
                    continue;
                }
                // Between two items: ours is on the shot after the cut, a crossfade.
                let cut = start + us(&item["in_offset"]);
                if let Some(i) = drama.shots.iter().position(|s| s.start == cut + lead)
                    && i > 0
                {
                    assert_eq!(
                        shots[i]["transition"]["type"], "crossfade",
                        "{name}: {place}"
                    );
                    let d = drama.shots[i].transition.duration;
                    assert!(d <= duration + 1 && d > 0, "{name}: {place}: {d} µs");
                }
                continue;
            }
            // The shots this item became (several when it is a flattened nested one).
            let mine: Vec<usize> = (0..shots.len())
                .filter(|&i| {
                    let at = shots[i]["meta"]["otio"]["item"].as_str().unwrap();
                    at == place || at.starts_with(&format!("{place}."))
                })
                .collect();
            assert!(!mine.is_empty(), "{name}: {place} has no shot");
            let first = &drama.shots[mine[0]];
            let last = &drama.shots[*mine.last().unwrap()];
            assert!(
                (first.start - (start + lead)).abs() <= 1,
                "{name}: {place} ({}) starts at {} µs, opentimelineio says {} µs",
                item["name"],
                first.start,
                start + lead
            );
            let end = last.start + last.duration;
            assert!(
                (end - (start + lead + duration)).abs() <= 1,
                "{name}: {place} ({}) ends at {end} µs, opentimelineio says {} µs",
                item["name"],
                start + lead + duration
            );
            assert_eq!(
                mine.len(),
                mine.last().unwrap() - mine[0] + 1,
                "{name}: {place}: its shots one after the other"
            );
            if item["kind"] == "Clip" {
                assert_eq!(shots[mine[0]]["meta"]["otio"]["name"], item["name"]);
            }
        }
        let total = us(&theirs["duration"]);
        assert!(
            (drama.duration - total).abs() <= 1,
            "{name}: {} µs long, opentimelineio says {total} µs",
            drama.duration
        );
    }
}

#[test]
fn corpus_details_carry_over() {
    let dir = corpus();
    let import = |name: &str| {
        import_draft_path(&dir.join(name), None, &ImportOptions::default())
            .unwrap()
            .0
    };
    // Markers on the top stack land in the notes of the shot they fall in.
    let premiere = import("premiere_example.otio");
    let notes = premiere.manifest["shots"][0]["notes"].as_str().unwrap();
    assert!(
        notes.contains("marker My MArker 1 at 3.767 s (RED)"),
        "{notes}"
    );
    assert!(premiere.mapped.iter().any(|m| m.contains("3 markers")));
    // The other video tracks are named in one warning.
    let said: Vec<String> = premiere.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        said.iter().any(|s| s.starts_with(
            "premiere_example.otio: tracks.children: warning: 4 video tracks: only the first"
        ) && s.contains("tracks.children[3]")),
        "{said:#?}"
    );
    // Markers on a clip stay on its shot.
    let screening = import("screening_example.otio");
    let shot = &screening.manifest["shots"][3];
    assert_eq!(shot["id"], "ZZ100_504C-LAY1");
    assert!(
        shot["notes"]
            .as_str()
            .unwrap()
            .contains("marker ANIM FIX NEEDED")
    );
    // Nested stacks are flattened, with a warning naming each.
    let nested = import("nested_example.otio");
    let paths: Vec<&str> = nested.problems.iter().map(|p| p.path.as_str()).collect();
    assert!(paths.contains(&"nested_example.otio: tracks.children[0].children[1]"));
    assert!(paths.contains(&"nested_example.otio: tracks.children[0].children[5]"));
    // A generator: a placeholder caption naming the clip.
    let generated = import("generator_reference_test.otio");
    let line = &generated.manifest["shots"][0]["lines"][0];
    assert_eq!(line["display"], "caption");
    assert!(line["text"].as_str().unwrap().contains("C"));
    assert!(generated.problems[0].message.contains("SMPTEBars"));
}

/// A 16×9 PNG of one colour.
fn png(path: &Path, rgb: [u8; 3]) {
    let pixels: Vec<u8> = (0..16 * 9)
        .flat_map(|_| [rgb[0], rgb[1], rgb[2], 255])
        .collect();
    image::save_buffer(path, &pixels, 16, 9, image::ExtendedColorType::Rgba8).unwrap();
}

fn rt(frames: f64) -> Value {
    json!({ "OTIO_SCHEMA": "RationalTime.1", "value": frames, "rate": 24 })
}

fn clip(name: &str, frames: f64, url: &str) -> Value {
    json!({
        "OTIO_SCHEMA": "Clip.1", "name": name,
        "source_range": { "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(0.0), "duration": rt(frames) },
        "media_reference": { "OTIO_SCHEMA": "ExternalReference.1", "target_url": url },
    })
}

/// A draft of real files: two panels (one by a relative path, one by a `file://` URL
/// from another machine), a gap, a dissolve and a voice clip on an audio track.
fn draft(dir: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("img")).unwrap();
    png(&dir.join("img/one.png"), [200, 40, 40]);
    png(&dir.join("img/two.png"), [40, 40, 200]);
    std::fs::copy(
        repo().join("tests/fixtures/audio/voice.wav"),
        dir.join("voice.wav"),
    )
    .unwrap();
    let timeline = json!({
        "OTIO_SCHEMA": "Timeline.1", "name": "Episode 1",
        "global_start_time": { "OTIO_SCHEMA": "RationalTime.1", "value": 86400, "rate": 24 },
        "tracks": { "OTIO_SCHEMA": "Stack.1", "children": [
            { "OTIO_SCHEMA": "Track.1", "kind": "Video", "children": [
                clip("Panel 1", 48.0, "img/one.png"),
                { "OTIO_SCHEMA": "Transition.1", "transition_type": "SMPTE_Dissolve",
                  "in_offset": rt(6.0), "out_offset": rt(6.0) },
                clip("Panel 2", 36.0, "file:///Users/someone/show/img/two.png"),
                { "OTIO_SCHEMA": "Gap.1", "source_range": { "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(0.0), "duration": rt(12.0) } },
            ]},
            { "OTIO_SCHEMA": "Track.1", "kind": "Audio", "children": [
                { "OTIO_SCHEMA": "Gap.1", "source_range": { "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(0.0), "duration": rt(12.0) } },
                clip("voice", 24.0, "voice.wav"),
            ]},
        ]},
    });
    let file = dir.join("episode.otio");
    std::fs::write(&file, serde_json::to_string_pretty(&timeline).unwrap()).unwrap();
    file
}

#[test]
fn a_draft_with_images_and_a_voice_plays_without_a_warning() {
    let dir = repo().join("target/test-import/otio-draft");
    let file = draft(&dir);
    let (imported, root) = import_draft_path(&file, None, &ImportOptions::default()).unwrap();
    assert!(imported.problems.is_empty(), "{:#?}", imported.problems);
    let m = &imported.manifest;
    assert_eq!(m["assets"]["one"], "img/one.png");
    assert_eq!(m["assets"]["two"], "img/two.png");
    assert_eq!(m["assets"]["voice"], "voice.wav");
    assert_eq!(m["canvas"]["fps"], 24.0);
    assert_eq!(m["canvas"]["width"], 1920);
    assert_eq!(m["shots"][0]["id"], "Panel-1");
    assert_eq!(m["shots"][0]["layers"][0]["image"], "one");
    assert_eq!(
        m["shots"][1]["transition"],
        json!({ "type": "crossfade", "duration": 0.5 })
    );
    assert_eq!(m["shots"][2]["layers"], json!([]));
    assert_eq!(
        m["shots"][0]["sfx"],
        json!([{ "audio": "voice", "at": 0.5 }])
    );
    assert_eq!(m["meta"]["otio"]["global_start_time"], 3600.0);
    let (drama, _, problems) = load(&imported.manifest_text(), &root);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(drama.duration, 4_000_000);
    assert_eq!(drama.shots[1].start, 2_000_000);
}

#[test]
fn the_cli_imports_an_otio_file_and_checks_it_directly() {
    let dir = repo().join("target/test-import/otio-cli");
    let file = draft(&dir.join("draft"));
    let out = dir.join("out/manifest.json");
    let (code, said) = run(&[
        "import",
        file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.starts_with("OpenTimelineIO → "), "{said}");
    assert!(
        said.contains("3 items of the first video track → 3 shots"),
        "{said}"
    );
    // The written manifest finds the draft's files from where it was written.
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let one = written["assets"]["one"].as_str().unwrap();
    assert!(out.parent().unwrap().join(one).is_file(), "{one}");
    let (code, said) = run(&["check", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    // check and timeline take the .otio itself; --from otio names the kind.
    let (code, said) = run(&["check", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("playable (3 shots, 4.00 s; 0 warnings)"),
        "{said}"
    );
    let (code, said) = run(&["timeline", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    let corpus_file = corpus().join("simple_cut.otio");
    let (code, said) = run(&[
        "import",
        corpus_file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--from",
        "otio",
    ]);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("simple_cut.otio: tracks.children[0].children[3].media_reference.target_url: warning: file:///folder/credits.mov is not in the draft"),
        "{said}"
    );
    let (code, said) = run(&["check", corpus_file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    // A truncated timeline: refused, with its line and column.
    let broken = dir.join("broken.otio");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&broken, &text[..text.len() / 2]).unwrap();
    let (code, said) = run(&["check", broken.to_str().unwrap()]);
    assert_ne!(code, Some(0), "{said}");
    assert!(
        said.contains("broken.otio: not JSON: EOF while parsing") && said.contains("(line "),
        "{said}"
    );
    let (code, said) = run(&["import", "--help"]);
    assert_eq!(code, Some(0));
    assert!(said.contains("OpenTimelineIO"), "{said}");
}
