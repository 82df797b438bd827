//! Problems in manifests: every one reported, each with its JSON path and position.

use manju::{Severity, load_manifest};

/// `(severity, path, message, line, column)` of a problem.
type Found = (Severity, String, String, Option<u32>, Option<u32>);

fn problems(text: &str) -> Vec<Found> {
    load_manifest(text)
        .problems
        .into_iter()
        .map(|p| (p.severity, p.path, p.message, p.line, p.column))
        .collect()
}

fn find<'a>(list: &'a [Found], path: &str) -> &'a Found {
    list.iter()
        .find(|p| p.1 == path)
        .unwrap_or_else(|| panic!("no problem at {path}: {list:#?}"))
}

#[test]
fn syntax_error_is_fatal_with_line_and_column() {
    let text = "{\n  \"format\": \"manju/1\",\n  \"shots\": [\n    { \"duration\": 2, }\n  ]\n}";
    let loaded = load_manifest(text);
    assert!(loaded.manifest.is_none());
    let p = &loaded.problems[0];
    assert_eq!((p.line, p.column), (Some(4), Some(22)), "{p:?}");
    assert!(p.message.contains("string key"), "{}", p.message);
    assert_eq!(
        p.to_string(),
        format!("(manifest): {} (line 4, column 22)", p.message)
    );
}

#[test]
fn wrong_or_missing_format_is_fatal() {
    for (text, needle) in [
        (r#"{"shots": [{}]}"#, "missing `format`"),
        (
            r#"{"format": "manju/2", "shots": [{}]}"#,
            "newer than this player",
        ),
        (
            r#"{"format": "otio", "shots": [{}]}"#,
            "expected \"manju/1\"",
        ),
        (r#"[1, 2]"#, "expected an object"),
    ] {
        let loaded = load_manifest(text);
        assert!(loaded.manifest.is_none(), "{text}");
        assert!(
            loaded.problems.iter().any(|p| p.message.contains(needle)),
            "{text}: {:?}",
            loaded.problems
        );
    }
    let loaded = load_manifest(r#"{"format": "manju/1", "shots": []}"#);
    assert!(loaded.manifest.is_none());
    assert_eq!(loaded.problems[0].path, "shots");
}

#[test]
fn every_problem_is_reported_at_once_with_its_path() {
    let text = r##"{
  "format": "manju/1",
  "canvas": { "width": 1080, "heigth": 1920, "fps": 0 },
  "assets": { "bg": "bg.png", "v1": "v1.mp3", "odd": "notes.txt" },
  "shots": [
    { "id": "a", "duration": "soon",
      "layers": [ { "image": "bgg", "fit": "stretch", "opacity": 1.5 } ],
      "camera": { "preset": "zoom-up" },
      "lines": [ { "text": "hi", "voice": "v2", "style": "subtitel" } ] },
    { "id": "a", "transition": { "type": "crossfade", "ease": "ease-inout" },
      "effects": [ { "type": "shake", "amplitude": "big" } ] }
  ]
}"##;
    let list = problems(text);
    let expect = [
        ("canvas.heigth", Severity::Error, "did you mean `height`?"),
        ("canvas.fps", Severity::Error, "out of range"),
        ("assets.odd", Severity::Error, "cannot tell the type"),
        (
            "shots[0].duration",
            Severity::Error,
            "expected seconds or \"auto\"",
        ),
        (
            "shots[0].layers[0].image",
            Severity::Warning,
            "did you mean `bg`?",
        ),
        (
            "shots[0].layers[0].fit",
            Severity::Error,
            "unknown value `stretch`",
        ),
        (
            "shots[0].layers[0].opacity",
            Severity::Error,
            "between 0 and 1",
        ),
        (
            "shots[0].camera.preset",
            Severity::Error,
            "did you mean `zoom-in`?",
        ),
        (
            "shots[0].lines[0].voice",
            Severity::Warning,
            "did you mean `v1`?",
        ),
        (
            "shots[0].lines[0].style",
            Severity::Warning,
            "did you mean `subtitle`?",
        ),
        (
            "shots[1].transition.ease",
            Severity::Error,
            "unknown easing",
        ),
        (
            "shots[1].effects[0].amplitude",
            Severity::Error,
            "expected a number",
        ),
        ("shots[1].id", Severity::Error, "used by an earlier shot"),
    ];
    for (path, severity, needle) in expect {
        let p = find(&list, path);
        assert_eq!(p.0, severity, "{p:?}");
        assert!(
            p.2.contains(needle),
            "{path}: {:?} should mention {needle:?}",
            p.2
        );
        assert!(p.3.is_some() && p.4.is_some(), "{path} has no position");
    }
    assert_eq!(list.len(), expect.len(), "{list:#?}");
    // Positions point at the value: `"fps": 0` is on line 3.
    assert_eq!(find(&list, "canvas.fps").3, Some(3));
    assert_eq!(find(&list, "shots[0].layers[0].fit").3, Some(7));
    // Still playable: errors do not stop loading.
    assert!(load_manifest(text).manifest.is_some());
}

#[test]
fn unknown_fields_are_errors_except_in_meta() {
    let text = r#"{ "format": "manju/1", "meta": { "anything": [1, {"x": 2}] },
      "shots": [ { "duraton": 2, "meta": { "image_prompt": "rain", "seed": 7 },
                   "layers": [ { "image": "x", "meta": { "model": "m" }, "zoom": 2 } ] } ],
      "assets": { "x": "x.png" }, "extra": true }"#;
    let list = problems(text);
    assert!(
        find(&list, "shots[0].duraton")
            .2
            .contains("did you mean `duration`?")
    );
    assert!(
        find(&list, "shots[0].layers[0].zoom")
            .2
            .contains("unknown field")
    );
    assert!(find(&list, "extra").2.contains("unknown field `extra`"));
    assert_eq!(list.len(), 3, "{list:#?}");
}

#[test]
fn a_field_given_twice_is_an_error() {
    let list =
        problems(r#"{ "format": "manju/1", "shots": [ { "duration": 1, "duration": 2 } ] }"#);
    assert!(find(&list, "shots[0].duration").2.contains("given twice"));
}

#[test]
fn defaults_fill_a_minimal_manifest() {
    let loaded = load_manifest(r#"{ "format": "manju/1", "shots": [ {}, { "id": "end" } ] }"#);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let m = loaded.manifest.unwrap();
    assert_eq!(
        (m.canvas.width, m.canvas.height, m.canvas.fps.as_f64()),
        (1080, 1920, 30.0)
    );
    assert_eq!(
        m.canvas.background,
        manju::Rgba8 {
            r: 0,
            g: 0,
            b: 0,
            a: 255
        }
    );
    assert_eq!(m.shots[0].id, "shot-1");
    assert_eq!(m.shots[1].id, "end");
}

#[test]
fn asset_types_come_from_extensions_or_type() {
    let m = load_manifest(
        r#"{ "format": "manju/1", "assets": { "a": "img/A.WEBP", "b": "v.opus?x=1", "c": "f.woff2",
             "d": { "src": "stream", "type": "audio" } }, "shots": [{}] }"#,
    )
    .manifest
    .unwrap();
    let kinds: Vec<_> = m.assets.iter().map(|a| (a.id.as_str(), a.kind)).collect();
    use manju::AssetKind::*;
    assert_eq!(
        kinds,
        [("a", Image), ("b", Audio), ("c", Font), ("d", Audio)]
    );
}

#[test]
fn media_fragment_crops() {
    use manju::Crop;
    use manju::parse_media_fragment as mf;
    assert_eq!(
        mf("xywh=10,20,30,40"),
        Ok(Crop::Pixels([10.0, 20.0, 30.0, 40.0]))
    );
    assert_eq!(
        mf("xywh=pixel:1,2,3,4"),
        Ok(Crop::Pixels([1.0, 2.0, 3.0, 4.0]))
    );
    assert_eq!(
        mf("#xywh=percent:0,50.5,100,49.5"),
        Ok(Crop::Percent([0.0, 50.5, 100.0, 49.5]))
    );
    for bad in [
        "xywh=1,2,3",
        "xywh=a,b,c,d",
        "xyz=1,2,3,4",
        "xywh=percent:1,2,3,4,5",
    ] {
        assert!(mf(bad).is_err(), "{bad}");
    }
    let list = problems(
        r#"{ "format": "manju/1", "assets": { "p": "p.png" },
        "shots": [ { "layers": [ { "image": "p", "crop": "xywh=1,2" }, { "image": "p", "crop": [0, 0, -5, 10] } ] } ] }"#,
    );
    assert!(
        find(&list, "shots[0].layers[0].crop")
            .2
            .contains("not a media fragment")
    );
    assert!(
        find(&list, "shots[0].layers[1].crop")
            .2
            .contains("positive width")
    );
}
