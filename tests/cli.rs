//! The `manju` binary: exit codes, problem lines, timeline JSON, rendered PNGs.

use crate::util::repo;
use std::path::Path;
use std::process::{Command, Output};

fn manju(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_manju"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("run manju")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("manju-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn check_passes_a_playable_manifest() {
    let o = manju(&["check", "tests/golden/transitions/crossfade.json"]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(stdout(&o), "");
    assert!(String::from_utf8_lossy(&o.stderr).contains("playable (2 shots, 4.00 s"));
}

#[test]
fn check_prints_every_problem_with_its_path_and_fails() {
    let dir = temp_dir("check");
    let path = dir.join("bad.json");
    std::fs::write(
        &path,
        r#"{ "format": "manju/1", "assets": { "bg": "bg.png" },
  "shots": [ { "layers": [ { "image": "bg", "opacity": 2 } ], "camrea": {} } ] }"#,
    )
    .unwrap();
    let o = manju(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(&"shots[0].layers[0].opacity: 2 is out of range: must be between 0 and 1 (line 2, column 56)"), "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l
                .starts_with("shots[0].camrea: unknown field `camrea`; did you mean `camera`?")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("assets.bg: warning: `bg.png` is missing")),
        "{out}"
    );
    assert_eq!(lines.len(), 3, "{out}");
}

#[test]
fn check_reports_syntax_errors_with_line_and_column() {
    let dir = temp_dir("syntax");
    let path = dir.join("broken.json");
    std::fs::write(&path, "{\n  \"format\": \"manju/1\"\n  \"shots\": []\n}").unwrap();
    let o = manju(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o).trim(),
        "(manifest): invalid JSON: expected `,` or `}`, found `\"` (line 3, column 3)"
    );
}

#[test]
fn timeline_prints_json_in_seconds() {
    let o = manju(&["timeline", "tests/golden/transitions/crossfade.json"]);
    assert!(o.status.success(), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["duration"], 4.0);
    assert_eq!(v["shots"][0]["id"], "shot-1");
    assert_eq!(
        (
            v["shots"][1]["start"].as_f64(),
            v["shots"][1]["end"].as_f64()
        ),
        (Some(2.0), Some(4.0))
    );
    assert!(v["lines"].as_array().unwrap().is_empty());
    assert!(v["audio"].as_array().unwrap().is_empty());
}

#[test]
fn timeline_lists_voice_and_music_cues() {
    let dir = temp_dir("timeline");
    let audio = repo().join("tests/fixtures/audio");
    let manifest = format!(
        r##"{{ "format": "manju/1", "assets": {{ "v": "{0}/voice.wav", "m": "{0}/voice.ogg" }},
        "characters": {{ "lin": {{ "name": "林晚", "color": "#ffd0e0" }} }},
        "shots": [ {{ "lines": [ {{ "speaker": "lin", "text": "hi", "voice": "v", "volume": 0.8 }} ] }} ],
        "music": [ {{ "audio": "m", "loop": true, "duck": 0.5, "volume": 0.6 }} ] }}"##,
        audio.display()
    );
    std::fs::write(dir.join("m.json"), manifest).unwrap();
    let o = manju(&["timeline", dir.join("m.json").to_str().unwrap()]);
    assert!(o.status.success(), "{o:?}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let line = &v["lines"][0];
    assert_eq!(
        (
            line["shot"].as_str(),
            line["index"].as_u64(),
            line["text"].as_str()
        ),
        (Some("shot-1"), Some(0), Some("hi"))
    );
    assert_eq!(line["start"], 0.3);
    assert_eq!(
        (
            line["speaker_name"].as_str(),
            line["speaker_color"].as_str()
        ),
        (Some("林晚"), Some("#ffd0e0"))
    );
    let voice = &v["audio"][0];
    assert_eq!(
        (
            voice["asset"].as_str(),
            voice["kind"].as_str(),
            voice["volume"].as_f64()
        ),
        (Some("v"), Some("voice"), Some(0.8))
    );
    assert_eq!(voice["start"], 0.3);
    assert_eq!(voice["end"], line["end"]);
    let music = &v["audio"][1];
    assert_eq!(
        (music["kind"].as_str(), music["start"].as_f64()),
        (Some("music"), Some(0.0))
    );
    // Looped music lasts until the episode's end.
    assert_eq!(music["end"], v["duration"]);
    assert_eq!(music["loop"], true);
}

#[test]
fn render_at_writes_the_golden_frame() {
    let dir = temp_dir("render");
    let out = dir.join("frame.png");
    let o = manju(&[
        "render",
        "tests/golden/transitions/crossfade.json",
        "--at",
        "2.0",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let actual = image::open(&out).unwrap().into_rgba8();
    let expected = image::open(repo().join("tests/golden/transitions/crossfade.1.png"))
        .unwrap()
        .into_rgba8();
    assert_eq!(actual.dimensions(), (180, 320));
    assert!(
        actual.as_raw() == expected.as_raw(),
        "render --at 2.0 differs from the golden frame"
    );
}

#[test]
fn render_range_writes_one_png_per_frame() {
    let dir = temp_dir("range");
    let o = manju(&[
        "render",
        "tests/golden/layers/keyframes.json",
        "--from",
        "0.5",
        "--to",
        "1",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    // Frames 15 to 29 start in [0.5 s, 1.0 s) at 30 fps.
    let expected: Vec<String> = (15..30).map(|n| format!("frame-{n:06}.png")).collect();
    assert_eq!(names, expected);
    let first = image::open(dir.join("frame-000015.png"))
        .unwrap()
        .into_rgba8();
    let golden = image::open(repo().join("tests/golden/layers/keyframes.1.png"))
        .unwrap()
        .into_rgba8();
    assert!(first.as_raw() == golden.as_raw());
}

#[test]
fn render_at_several_instants_writes_each_frame_and_says_which() {
    let dir = temp_dir("instants");
    let o = manju(&[
        "render",
        "tests/golden/layers/keyframes.json",
        "--at",
        "0.5,0.51,2",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    // 0.5 s and 0.51 s both show frame 15 at 30 fps; 2 s shows frame 60.
    let lines: Vec<(String, String)> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (t, p) = l.split_once('\t').expect("<seconds>\t<png>");
            let name = Path::new(p).file_name().unwrap().to_str().unwrap();
            (t.to_owned(), name.to_owned())
        })
        .collect();
    let want = [
        ("0.5", "frame-000015.png"),
        ("0.51", "frame-000015.png"),
        ("2", "frame-000060.png"),
    ];
    assert_eq!(lines, want.map(|(t, n)| (t.to_owned(), n.to_owned())));
    let first = image::open(dir.join("frame-000015.png"))
        .unwrap()
        .into_rgba8();
    let golden = image::open(repo().join("tests/golden/layers/keyframes.1.png"))
        .unwrap()
        .into_rgba8();
    assert!(first.as_raw() == golden.as_raw());
    // A bad instant anywhere in the list stops before anything is drawn.
    let empty = temp_dir("instants-bad");
    let o = manju(&[
        "render",
        "tests/golden/layers/keyframes.json",
        "--at",
        "1,-2",
        "--out",
        empty.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not -2"),
        "{o:?}"
    );
    assert_eq!(std::fs::read_dir(&empty).map(|d| d.count()).unwrap_or(0), 0);
}

#[test]
fn bad_arguments_fail_clearly() {
    let o = manju(&[
        "render",
        "tests/golden/layers/cover.json",
        "--at",
        "-1",
        "-o",
        "/tmp/x.png",
    ]);
    assert!(!o.status.success());
    let o = manju(&[
        "render",
        "no/such/manifest.json",
        "--at",
        "1",
        "-o",
        "/tmp/x.png",
    ]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cannot read"),
        "{o:?}"
    );
}

#[test]
fn a_reader_that_went_away_ends_the_output_quietly() {
    // `manju schema | head -c 0`: the pipe's reading end is closed before manju writes.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_manju"))
        .args(["schema"])
        .current_dir(repo())
        .stdout(writer)
        .output()
        .expect("run manju");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(o.status.success(), "{o:?}");
}
