//! The OpenTimelineIO importer on timelines built here: one behaviour each.

use super::*;
use crate::import::InMemory;
use std::collections::{BTreeMap, HashMap};

fn rt(value: f64, rate: f64) -> Value {
    json!({ "OTIO_SCHEMA": "RationalTime.1", "value": value, "rate": rate })
}

fn range(frames: f64) -> Value {
    json!({ "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(0.0, 24.0), "duration": rt(frames, 24.0) })
}

fn clip(name: &str, frames: f64, url: &str) -> Value {
    json!({ "OTIO_SCHEMA": "Clip.1", "name": name, "source_range": range(frames),
            "media_reference": { "OTIO_SCHEMA": "ExternalReference.1", "target_url": url } })
}

fn gap(frames: f64) -> Value {
    json!({ "OTIO_SCHEMA": "Gap.1", "source_range": range(frames) })
}

fn timeline(tracks: Vec<Value>) -> Value {
    json!({ "OTIO_SCHEMA": "Timeline.1", "name": "t",
            "tracks": { "OTIO_SCHEMA": "Stack.1", "children": tracks } })
}

fn video(children: Vec<Value>) -> Value {
    json!({ "OTIO_SCHEMA": "Track.1", "kind": "Video", "children": children })
}

fn run(t: &Value) -> Result<Imported, Vec<Problem>> {
    let files = InMemory::default()
        .with("cut.otio", t.to_string())
        .with("a.png", "png")
        .with("b.jpg", "jpg")
        .with("sfx/boom.wav", "wav")
        .with("music.ogg", "ogg");
    import(&files, "cut.otio", &Options::default())
}

fn refused(r: Result<Imported, Vec<Problem>>) -> Vec<Problem> {
    match r {
        Ok(i) => panic!("imported: {}", i.manifest),
        Err(e) => e,
    }
}

fn said(i: &Imported) -> Vec<String> {
    i.problems
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect()
}

#[test]
fn clips_and_gaps_are_shots_at_their_times() {
    let i = run(&timeline(vec![video(vec![
        gap(12.0),
        clip("Shot 1!", 48.0, "a.png"),
        clip("Shot 1!", 8.0, "file:///Volumes/show/b.jpg"),
    ])]))
    .unwrap();
    let shots = i.manifest["shots"].as_array().unwrap();
    let ids: Vec<&str> = shots.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["gap", "Shot-1", "Shot-1-2"]);
    assert_eq!(shots[0]["layers"], json!([]));
    assert_eq!(shots[0]["duration"], 0.5);
    assert_eq!(shots[1]["duration"], 2.0);
    assert_eq!(shots[1]["layers"][0]["image"], "a");
    // A file:// URL from another machine is found by its name in the draft.
    assert_eq!(i.manifest["assets"]["b"], "b.jpg");
    // 8/24 s: the cut rounded once, from the exact sum.
    assert_eq!(shots[2]["duration"], 0.333333);
    assert_eq!(shots[1]["meta"]["otio"]["name"], "Shot 1!");
    assert!(i.problems.is_empty(), "{:#?}", said(&i));
}

#[test]
fn a_dissolve_is_a_crossfade_centred_on_the_cut() {
    let dissolve = json!({ "OTIO_SCHEMA": "Transition.1", "transition_type": "SMPTE_Dissolve",
        "in_offset": rt(6.0, 24.0), "out_offset": rt(6.0, 24.0) });
    let wipe = json!({ "OTIO_SCHEMA": "Transition.1", "name": "Wipe Right", "transition_type": "Custom_Transition",
        "in_offset": rt(3.0, 24.0), "out_offset": rt(3.0, 24.0) });
    let odd = json!({ "OTIO_SCHEMA": "Transition.1", "name": "Page Curl", "transition_type": "Custom_Transition",
        "in_offset": rt(3.0, 24.0), "out_offset": rt(3.0, 24.0) });
    let i = run(&timeline(vec![video(vec![
        clip("a", 48.0, "a.png"),
        dissolve,
        clip("b", 48.0, "b.jpg"),
        wipe,
        clip("c", 48.0, "a.png"),
        odd,
        clip("d", 48.0, "a.png"),
    ])]))
    .unwrap();
    let shots = &i.manifest["shots"];
    assert_eq!(
        shots[1]["transition"],
        json!({ "type": "crossfade", "duration": 0.5 })
    );
    assert_eq!(shots[2]["transition"]["type"], "wipe-right");
    assert_eq!(shots[3]["transition"]["type"], "crossfade");
    // The cuts stay where they were: 2 s each.
    assert_eq!(shots[1]["duration"], 2.0);
    assert!(said(&i).iter().any(|s| s == "cut.otio: tracks.children[0].children[5].transition_type: \"Custom_Transition\": no such transition here, a crossfade"), "{:#?}", said(&i));
}

#[test]
fn markers_become_notes_of_their_shot() {
    let mut c = clip("a", 48.0, "a.png");
    c["markers"] = json!([{ "OTIO_SCHEMA": "Marker.2", "name": "fix eyes", "color": "RED",
        "comment": "too wide", "marked_range": { "OTIO_SCHEMA": "TimeRange.1",
        "start_time": rt(12.0, 24.0), "duration": rt(0.0, 24.0) } }]);
    let mut t = timeline(vec![video(vec![c, clip("b", 48.0, "b.jpg")])]);
    t["tracks"]["markers"] = json!([{ "OTIO_SCHEMA": "Marker.3", "name": "",
        "color": { "OTIO_SCHEMA": "Color.1", "name": "GREEN" },
        "marked_range": { "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(72.0, 24.0), "duration": rt(24.0, 24.0) } }]);
    let i = run(&t).unwrap();
    assert_eq!(
        i.manifest["shots"][0]["notes"],
        "marker fix eyes at 0.500 s (RED): too wide"
    );
    assert_eq!(
        i.manifest["shots"][1]["notes"],
        "marker at 3.000 s for 1.000 s (GREEN)"
    );
    assert!(
        i.mapped
            .iter()
            .any(|m| m.contains("2 markers → the shots' notes"))
    );
}

#[test]
fn a_nested_stack_is_flattened_with_a_warning() {
    let mut nested = json!({ "OTIO_SCHEMA": "Stack.1", "name": "comp", "source_range": range(24.0),
        "children": [video(vec![clip("inner", 12.0, "b.jpg")])] });
    // Deeper than the cap: a gap, and a warning, never a stack overflow.
    let mut deep = clip("leaf", 24.0, "a.png");
    for _ in 0..30 {
        deep = json!({ "OTIO_SCHEMA": "Track.1", "children": [deep] });
    }
    nested["markers"] = json!([]);
    let i = run(&timeline(vec![video(vec![
        clip("a", 24.0, "a.png"),
        nested,
        deep,
    ])]))
    .unwrap();
    let shots = i.manifest["shots"].as_array().unwrap();
    // The inner clip (0.5 s) and the rest of the stack's 1 s as background.
    assert_eq!(shots[1]["id"], "inner");
    assert_eq!(shots[1]["duration"], 0.5);
    assert_eq!(shots[2]["layers"], json!([]));
    assert_eq!(shots[2]["duration"], 0.5);
    assert_eq!(
        shots[1]["meta"]["otio"]["item"],
        "tracks.children[0].children[1].children[0].children[0]"
    );
    let said = said(&i);
    assert!(
        said.iter().any(|s| s
            .starts_with("cut.otio: tracks.children[0].children[1]: a nested stack (\"comp\")")),
        "{said:#?}"
    );
    assert!(
        said.iter().any(|s| s.contains("nested more than 16 deep")),
        "{said:#?}"
    );
    // Deeper than the JSON reader follows (128): refused, located.
    let mut abyss = clip("leaf", 24.0, "a.png");
    for _ in 0..200 {
        abyss = json!({ "OTIO_SCHEMA": "Track.1", "children": [abyss] });
    }
    let err = refused(run(&timeline(vec![video(vec![abyss])])));
    assert!(err[0].message.contains("recursion limit"), "{err:?}");
    assert!(err[0].line.is_some());
    let total: f64 = shots.iter().map(|s| s["duration"].as_f64().unwrap()).sum();
    assert!((total - 3.0).abs() < 1e-9, "{total}");
}

#[test]
fn missing_and_generated_media_show_a_placeholder() {
    let missing = json!({ "OTIO_SCHEMA": "Clip.2", "name": "lost", "source_range": range(24.0),
        "media_references": { "DEFAULT_MEDIA": { "OTIO_SCHEMA": "MissingReference.1" } },
        "active_media_reference_key": "DEFAULT_MEDIA" });
    let bars = json!({ "OTIO_SCHEMA": "Clip.1", "name": "bars", "source_range": range(24.0),
        "media_reference": { "OTIO_SCHEMA": "GeneratorReference.1", "generator_kind": "SMPTEBars" } });
    let i = run(&timeline(vec![video(vec![
        missing,
        bars,
        clip("v", 24.0, "gone/take.mov"),
    ])]))
    .unwrap();
    let shots = &i.manifest["shots"];
    assert_eq!(
        shots[0]["lines"][0]["text"],
        "[lost: no media (MissingReference)]"
    );
    assert_eq!(shots[0]["lines"][0]["duration"], 1.0);
    assert!(
        shots[1]["lines"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("[bars: generated media (SMPTEBars)")
    );
    let said = said(&i);
    assert!(
        said.iter().any(|s| s.starts_with(
            "cut.otio: tracks.children[0].children[0].media_references.DEFAULT_MEDIA: no media"
        )),
        "{said:#?}"
    );
    assert!(said.iter().any(|s| s.starts_with("cut.otio: tracks.children[0].children[2].media_reference.target_url: gone/take.mov is not in the draft")), "{said:#?}");
    assert_eq!(shots[2]["lines"][0]["text"], "[v: take.mov not found]");
    assert_eq!(i.manifest["assets"], json!({}));
}

#[test]
fn an_image_sequence_shows_the_frame_the_clip_starts_on() {
    let files = InMemory::default().with("seq/shot.0105.png", "png");
    let t = timeline(vec![video(vec![
        json!({ "OTIO_SCHEMA": "Clip.1", "name": "s",
        "source_range": { "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(5.0, 24.0), "duration": rt(24.0, 24.0) },
        "media_reference": { "OTIO_SCHEMA": "ImageSequenceReference.1", "target_url_base": "seq/",
            "name_prefix": "shot.", "name_suffix": ".png", "start_frame": 100, "frame_step": 1,
            "rate": 24, "frame_zero_padding": 4,
            "available_range": { "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(0.0, 24.0), "duration": rt(48.0, 24.0) } } }),
    ])]);
    let files = files.with("cut.otio", t.to_string());
    let i = import(&files, "cut.otio", &Options::default()).unwrap();
    assert_eq!(i.manifest["assets"]["shot-0105"], "seq/shot.0105.png");
    assert!(i.problems.is_empty(), "{:#?}", said(&i));
}

#[test]
fn audio_tracks_become_music_and_sound_effects() {
    let audio = json!({ "OTIO_SCHEMA": "Track.1", "kind": "Audio", "children": [
        gap(12.0), clip("boom", 24.0, "sfx/boom.wav"), clip("theme", 240.0, "music.ogg"),
        clip("lost", 24.0, "nowhere.wav"),
    ]});
    let i = run(&timeline(vec![
        video(vec![clip("a", 24.0, "a.png"), clip("b", 480.0, "b.jpg")]),
        audio,
    ]))
    .unwrap();
    let m = &i.manifest;
    assert_eq!(
        m["shots"][0]["sfx"],
        json!([{ "audio": "boom", "at": 0.5 }])
    );
    assert_eq!(
        m["music"],
        json!([{ "audio": "music", "at": 1.5, "until": 11.5 }])
    );
    assert!(said(&i).iter().any(|s| s.starts_with("cut.otio: tracks.children[1].children[3].media_reference.target_url: nowhere.wav: no audio file")));
}

#[test]
fn more_video_tracks_are_named_and_left_out() {
    let i = run(&timeline(vec![
        video(vec![clip("a", 24.0, "a.png")]),
        json!({ "OTIO_SCHEMA": "Track.1", "name": "overlay", "kind": "Video", "children": [] }),
    ]))
    .unwrap();
    assert_eq!(
        said(&i),
        [
            "cut.otio: tracks.children: 2 video tracks: only the first (tracks.children[0]) is shown; left out: tracks.children[1] (\"overlay\")"
        ]
    );
}

#[test]
fn bad_input_is_located_never_a_panic() {
    // Truncated: its line and column.
    let files = InMemory::default().with(
        "cut.otio",
        "{\n \"OTIO_SCHEMA\": \"Timeline.1\",\n \"tracks\": {",
    );
    let err = refused(import(&files, "cut.otio", &Options::default()));
    assert_eq!(err[0].path, "cut.otio");
    assert!(err[0].message.starts_with("not JSON"), "{}", err[0].message);
    assert_eq!(err[0].line, Some(3));
    assert!(err[0].column.is_some());

    // Rate 0, a negative duration, a huge value, an unknown item, a clip of no length.
    let mut zero = clip("zero", 24.0, "a.png");
    zero["source_range"]["duration"]["rate"] = json!(0);
    let negative = clip("neg", -24.0, "a.png");
    let huge = json!({ "OTIO_SCHEMA": "Clip.1", "name": "huge", "source_range": {
        "OTIO_SCHEMA": "TimeRange.1", "start_time": rt(0.0, 24.0), "duration": rt(1e300, 1.0) } });
    let i = run(&timeline(vec![video(vec![
        zero,
        negative,
        huge,
        json!({ "OTIO_SCHEMA": "Effect.1" }),
        json!([1, 2]),
        clip("ok", 24.0, "a.png"),
    ])]))
    .unwrap();
    let said = said(&i);
    let has = |path: &str, words: &str| {
        said.iter()
            .any(|s| s.starts_with(&format!("cut.otio: {path}: ")) && s.contains(words))
    };
    assert!(
        has(
            "tracks.children[0].children[0].source_range.duration.rate",
            "rate 0: not a frame rate above 0"
        ),
        "{said:#?}"
    );
    assert!(
        has(
            "tracks.children[0].children[1].source_range.duration",
            "a negative duration, read as 0"
        ),
        "{said:#?}"
    );
    assert!(
        has(
            "tracks.children[0].children[2].source_range.duration",
            "more than a day"
        ),
        "{said:#?}"
    );
    assert!(
        has(
            "tracks.children[0].children[3]",
            "\"Effect\": not an item Manju reads"
        ),
        "{said:#?}"
    );
    let ids: Vec<&str> = i.manifest["shots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["huge", "ok"]);
    assert_eq!(i.manifest["shots"][0]["duration"], MAX_SECONDS);

    // Nothing to show, or no video track at all: refused with the place.
    let err = refused(run(&timeline(vec![video(vec![])])));
    assert_eq!(err[0].path, "cut.otio: tracks.children[0].children");
    let err = refused(run(&timeline(vec![])));
    assert_eq!(err[0].path, "cut.otio: tracks.children");
    let err = refused(run(&json!({ "OTIO_SCHEMA": "Clip.1" })));
    assert_eq!(err[0].path, "cut.otio: OTIO_SCHEMA");
}

#[test]
fn urls_are_found_inside_the_draft() {
    let files = InMemory::default()
        .with("ep/cut.otio", "{}")
        .with("ep/img/a b.png", "x")
        .with("ep/c.png", "x");
    let im = Importer {
        entry: "ep/cut.otio".into(),
        dir: "ep".into(),
        names: files.names().into_iter().collect(),
        problems: Vec::new(),
        assets: BTreeMap::new(),
        by_path: HashMap::new(),
        files: &files,
        placeholders: 0,
        sequences: 0,
        nested: 0,
        rate: None,
    };
    assert_eq!(im.find("img/a%20b.png").as_deref(), Some("ep/img/a b.png"));
    assert_eq!(
        im.find("file:///Users/x/proj/img/a%20b.png").as_deref(),
        Some("ep/img/a b.png")
    );
    assert_eq!(
        im.find("file://localhost/D%3a/media/c.png").as_deref(),
        Some("ep/c.png")
    );
    assert_eq!(im.find("C:\\media\\c.png").as_deref(), Some("ep/c.png"));
    assert_eq!(im.find("../../etc/c.png"), None);
    assert_eq!(im.find("https://example.com/c.png"), None);
}
