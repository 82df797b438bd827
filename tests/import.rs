//! Drafts from other tools: Readium Divina (with and without Guided Navigation) on the
//! real publications of `../shared/corpus/`, broken drafts built here, the voice clips'
//! lengths against ffprobe, and golden frames of an imported panel.

use crate::util::{load, render, repo, run_manju, write_tone_wav};
use manju::{DraftInMemory, DraftKind, ImportOptions, Problem, import_draft, open};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus(name: &str) -> PathBuf {
    let dir = repo().join("../shared/corpus").join(name);
    assert!(
        dir.is_dir(),
        "{} is missing: the tests read the shared corpus beside the repository",
        dir.display()
    );
    dir
}

fn import_folder(dir: &Path, options: &ImportOptions) -> manju::Imported {
    let folder = manju::DraftFolder::new(dir).unwrap();
    import_draft(&folder, None, options).unwrap_or_else(|p| panic!("{p:#?}"))
}

/// A clip's length in seconds as ffprobe reads it.
fn ffprobe_seconds(file: &Path) -> f64 {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(file)
        .output()
        .expect("ffprobe (Debian's ffmpeg; scripts/setup.sh installs it)");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn pepper_and_carrot_plays_panel_by_panel_with_its_voices() {
    let dir = corpus("pepper-carrot-ep17");
    let imported = import_folder(&dir, &ImportOptions::default());
    assert_eq!(imported.kind, DraftKind::Divina);
    let m = &imported.manifest;
    let shots = m["shots"].as_array().unwrap();
    // 29 panels in guided.json, and page 8 (no panel on it) shown whole.
    assert_eq!(shots.len(), 30);
    assert_eq!(shots[0]["id"], "p1-1");
    assert_eq!(shots[29]["id"], "p8");
    assert_eq!(
        m["canvas"],
        json!({"width": 1080, "height": 1494, "fps": 30, "background": "#000000"})
    );
    // Panels of one page are joined by the camera moving over it; pages turn.
    assert_eq!(shots[1]["transition"]["type"], "move");
    assert_eq!(shots[4]["transition"]["type"], "slide-left");
    assert!(shots[0].get("transition").is_none());
    // Page 1's second panel: x 4.1 %, y 50.3 %, 30 % × 21.5 % of a 992×1373 page drawn
    // 1080 wide; the camera's view keeps the canvas's shape around it.
    let from = &shots[1]["camera"]["from"]["frame"];
    let [x, y, w, h] = [0, 1, 2, 3].map(|i| from[i].as_f64().unwrap());
    let (px, py, pw, ph) = (
        0.041 * 1080.0,
        0.503 * 1494.0,
        0.30 * 1080.0,
        0.215 * 1494.0,
    );
    assert!(x <= px + 0.5 && x + w >= px + pw - 0.5, "{from}");
    assert!(y <= py + 0.5 && y + h >= py + ph - 0.5, "{from}");
    assert!((w / h - 1080.0 / 1494.0).abs() < 0.01);
    // Its bubble: the words, who says them, the clip.
    let line = &shots[1]["lines"][0];
    assert_eq!(line["text"], "But Pepper… Come back…");
    assert_eq!(line["display"], "subtitle");
    let voice = line["voice"].as_str().unwrap();
    assert_eq!(m["assets"][voice], "audio/page1-panel2-bubble.mp3");
    let voiced = shots
        .iter()
        .flat_map(|s| s["lines"].as_array().cloned().unwrap_or_default())
        .filter(|l| l.get("voice").is_some())
        .count();
    assert_eq!(voiced, 19);
    // One warning: the bubbles have no regions of their own (said once, not 19 times).
    assert_eq!(imported.problems.len(), 1, "{:#?}", imported.problems);
    assert!(
        imported.problems[0]
            .message
            .contains("19 bubbles have no region")
    );

    // It plays: every asset found, each shot as long as its voices.
    let (drama, store, problems) = load(&imported.manifest_text(), &dir);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(drama.shots.len(), 30);
    let clip = ffprobe_seconds(&dir.join("audio/page1-panel2-bubble.mp3"));
    let shot = &drama.shots[1];
    let seconds = manju::to_seconds(shot.duration);
    // lead 0.3 s + the clip + tail 0.5 s (at least the 2 s minimum).
    let expected = (0.3 + clip + 0.5).max(2.0);
    assert!(
        (seconds - expected).abs() < 0.03,
        "shot {seconds} s, clip {clip} s"
    );
    let _ = store;
}

#[test]
fn descriptions_are_read_first_when_asked() {
    let dir = corpus("pepper-carrot-ep17");
    let imported = import_folder(&dir, &ImportOptions { descriptions: true });
    let first = &imported.manifest["shots"][0]["lines"][0];
    assert_eq!(first["display"], "caption");
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .starts_with("Pepper walks away")
    );
    assert_eq!(
        imported.manifest["assets"][first["voice"].as_str().unwrap()],
        "audio/page1-panel1-description.mp3"
    );
    let (_, _, problems) = load(&imported.manifest_text(), &dir);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_turbomedia_plays_its_reading_order_with_its_transitions() {
    let dir = corpus("divina-turbomedia1");
    let imported = import_folder(&dir, &ImportOptions::default());
    let shots = imported.manifest["shots"].as_array().unwrap();
    let by_id = |id: &str| shots.iter().find(|s| s["id"] == id).unwrap();
    // 18 items: one video skipped, 17 pages, and resource-13's six-frame animation.
    assert_eq!(shots.len(), 17 + 6);
    assert_eq!(
        imported.manifest["canvas"]["width"], 1920,
        "its viewport is 16:9"
    );
    assert_eq!(by_id("page6")["transition"]["type"], "crossfade");
    assert_eq!(
        by_id("page8")["transition"],
        json!({"type": "push-down", "duration": 2.0})
    );
    assert_eq!(by_id("page10")["transition"]["type"], "slide-right");
    let frames: Vec<&Value> = shots
        .iter()
        .filter(|s| s["id"].as_str().unwrap().contains("-frame"))
        .collect();
    assert_eq!(frames.len(), 6);
    assert_eq!(frames[1]["layers"][0]["crop"], "xywh=percent:50,0,50,50");
    let paths: Vec<String> = imported.problems.iter().map(|p| p.path.clone()).collect();
    assert!(
        paths.contains(&"manifest.json: readingOrder[2].href".to_string()),
        "{paths:?}"
    );
    assert!(paths.contains(
        &"manifest.json: readingOrder[8].properties.transitionForward.duration".to_string()
    ));
    assert!(
        paths.contains(&"manifest.json: readingOrder[15].properties.transitionForward".to_string())
    );
    let (_, _, problems) = load(&imported.manifest_text(), &dir);
    assert!(problems.is_empty(), "{problems:#?}");
}

fn divina(reading: Value) -> Value {
    json!({
        "@context": "http://readium.org/webpub-manifest/context.jsonld",
        "metadata": { "title": "Test", "conformsTo": "https://readium.org/webpub-manifest/profiles/divina" },
        "readingOrder": reading,
    })
}

fn problems_of(files: DraftInMemory) -> Result<Vec<Problem>, Vec<Problem>> {
    import_draft(&files, None, &ImportOptions::default()).map(|i| i.problems)
}

#[test]
fn broken_drafts_say_where() {
    let page = json!([{ "href": "p.png", "width": 100, "height": 200 }]);
    // A truncated guided.json: its line and column.
    let files = DraftInMemory::default()
        .with("manifest.json", divina(page.clone()).to_string())
        .with("p.png", "x")
        .with(
            "guided.json",
            "{\n  \"guided\": [\n    { \"imgref\": \"p.png#xywh=percent:0,0,50",
        );
    let err = problems_of(files).unwrap_err();
    assert_eq!(err[0].path, "guided.json");
    assert!(err[0].message.starts_with("not JSON"), "{}", err[0].message);
    assert_eq!(err[0].line, Some(3));

    // A bad fragment, a missing page, a missing clip, a bubble without text.
    let guided = json!({ "guided": [
        { "imgref": "p.png#xywh=percent:0,0,50" },
        { "imgref": "gone.png#xywh=0,0,10,10" },
        { "imgref": "p.png", "children": [
            { "role": ["speechBubble"], "text": "hi", "audioref": "nope.mp3" },
            { "role": ["speechBubble"] },
        ] },
        { "role": ["panel"] },
    ]});
    let files = DraftInMemory::default()
        .with("manifest.json", divina(page.clone()).to_string())
        .with("p.png", "x")
        .with("guided.json", guided.to_string());
    let problems = problems_of(files).unwrap();
    let said: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    let has = |path: &str, words: &str| {
        said.iter()
            .any(|s| s.starts_with(path) && s.contains(words))
    };
    assert!(
        has("guided.json: guided[0].imgref", "not four numbers"),
        "{said:#?}"
    );
    assert!(
        has(
            "guided.json: guided[1].imgref",
            "gone.png is not in the draft"
        ),
        "{said:#?}"
    );
    assert!(
        has(
            "guided.json: guided[2].children[0].audioref",
            "nope.mp3 is not in the draft"
        ),
        "{said:#?}"
    );
    assert!(
        has("guided.json: guided[2].children[1]", "no text"),
        "{said:#?}"
    );
    assert!(has("guided.json: guided[3]", "no imgref"), "{said:#?}");
    assert!(problems.iter().all(|p| !p.is_error()));

    // Nothing to show at all is refused, with the reason.
    let files = DraftInMemory::default().with(
        "manifest.json",
        divina(json!([{ "href": "movie.mp4" }])).to_string(),
    );
    let err = problems_of(files).unwrap_err();
    assert_eq!(err[0].path, "manifest.json: readingOrder");
    // Not a draft at all.
    let err = problems_of(DraftInMemory::default().with("notes.json", "{}")).unwrap_err();
    assert!(err[0].message.contains("not a draft Manju can read"));
}

#[test]
fn a_region_outside_the_draft_is_left_out() {
    let files = DraftInMemory::default()
        .with(
            "book/manifest.json",
            divina(json!([{ "href": "../../etc/p.png" }, { "href": "p.png" }])).to_string(),
        )
        .with("book/p.png", "x");
    let imported = import_draft(&files, None, &ImportOptions::default()).unwrap();
    assert_eq!(imported.manifest["shots"].as_array().unwrap().len(), 1);
    assert_eq!(imported.manifest["assets"]["p"], "book/p.png");
    assert!(
        imported
            .problems
            .iter()
            .any(|p| p.message.contains("outside the draft"))
    );
}

#[test]
fn the_cli_imports_and_every_command_reads_the_draft_directly() {
    let dir = corpus("pepper-carrot-ep17");
    let out = repo().join("target/test-import/pepper/manifest.json");
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
    let run = run_manju;
    let (code, stdout) = run(&["import", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("29 panels → 29 shots"), "{stdout}");
    // The written manifest finds the draft's files from where it was written.
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let page = written["assets"]["page1"].as_str().unwrap();
    assert!(out.parent().unwrap().join(page).is_file(), "{page}");
    let (code, stdout) = run(&["check", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}");
    // check, timeline and render take the draft itself.
    let (code, stdout) = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("playable (30 shots"), "{stdout}");
    let (code, _) = run(&["timeline", dir.join("manifest.json").to_str().unwrap()]);
    assert_eq!(code, Some(0));
    let opened = open(&dir).unwrap();
    assert_eq!(opened.drama.shots.len(), 30);
    // --from names what it reads.
    let (code, _) = run(&[
        "import",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--from",
        "otio-or-so",
    ]);
    assert_ne!(code, Some(0));
}

/// A frame shrunk 4× by averaging each 4×4 block: the goldens of real pages stay small
/// in the repository and still show the framing and the words.
fn quarter(rgba: &[u8], width: u32, height: u32) -> (Vec<u8>, u32, u32) {
    let (w, h) = (width / 4, height / 4);
    let mut out = vec![0u8; (w * h * 4) as usize];
    for y in 0..h {
        for x in 0..w {
            for c in 0..4 {
                let mut sum = 0u32;
                for dy in 0..4 {
                    for dx in 0..4 {
                        sum +=
                            u32::from(rgba[(((y * 4 + dy) * width + x * 4 + dx) * 4 + c) as usize]);
                    }
                }
                out[((y * w + x) * 4 + c) as usize] = ((sum + 8) / 16) as u8;
            }
        }
    }
    (out, w, h)
}

#[test]
fn golden_frames_of_an_imported_panel() {
    let dir = corpus("pepper-carrot-ep17");
    let imported = import_folder(&dir, &ImportOptions::default());
    let (drama, store, _) = load(&imported.manifest_text(), &dir);
    let (width, height) = (drama.canvas.width, drama.canvas.height);
    // Page 1 panel 2 with "But Pepper… Come back…" on screen, and the camera halfway
    // across page 1 from panel 3 to panel 4.
    let line = &drama.shots[1].lines[0];
    let during = manju::to_seconds(drama.shots[1].start + line.at + line.duration / 2);
    let moving = manju::to_seconds(drama.shots[3].start);
    let mut failures = Vec::new();
    for (name, t) in [("pepper-panel-bubble", during), ("pepper-move", moving)] {
        let frame = render(&drama, &store, t);
        let (small, w, h) = quarter(&frame, width, height);
        let png = repo().join(format!("tests/fixtures/import/{name}.png"));
        if std::env::var_os("MAKE_REF").is_some() {
            std::fs::create_dir_all(png.parent().unwrap()).unwrap();
            image::save_buffer(&png, &small, w, h, image::ExtendedColorType::Rgba8).unwrap();
            continue;
        }
        let reference = image::open(&png)
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (MAKE_REF=1 cargo test import writes it)",
                    png.display()
                )
            })
            .into_rgba8();
        if reference.dimensions() != (w, h) || reference.as_raw() != &small {
            let actual = repo().join(format!("tests/out/golden/import/{name}.actual.png"));
            std::fs::create_dir_all(actual.parent().unwrap()).unwrap();
            image::save_buffer(&actual, &small, w, h, image::ExtendedColorType::Rgba8).unwrap();
            failures.push(format!(
                "{name}: differs from its golden; see {}",
                actual.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A folder under target/ with a few small PNG panels and a WAV voice clip (0.8 s of a
/// tone at 48 kHz), for storyboards and media folders.
fn media_folder(name: &str, images: &[&str], voices: &[&str]) -> PathBuf {
    let dir = repo().join("target/test-import").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (i, img) in images.iter().enumerate() {
        let path = dir.join(img);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let shade = 40 + 50 * i as u8;
        let px: Vec<u8> = (0..90 * 160)
            .flat_map(|_| [shade, 90, 200 - shade, 255])
            .collect();
        image::save_buffer(&path, &px, 90, 160, image::ExtendedColorType::Rgba8).unwrap();
    }
    for v in voices {
        write_tone_wav(&dir.join(v));
    }
    dir
}

#[test]
fn a_chinese_storyboard_becomes_shots_with_their_lines() {
    let dir = media_folder("storyboard", &["img/01.png", "img/02.png"], &["vo/01.wav"]);
    let csv = "镜头,画面,时长,角色,台词,配音,运镜,转场,备注\n\
               1,img/01.png,3.5,林晚,这一世，我绝不会再让你得逞。,vo/01.wav,推,,开场\n\
               ,,,顾辰,\"你说什么？\",,,,\n\
               2,img/02.png,3秒,,\"他笑了，\"\"好啊\"\"\",,左移,叠化,\n";
    std::fs::write(dir.join("分镜.csv"), csv).unwrap();
    let folder = manju::DraftFolder::new(&dir).unwrap();
    let imported = import_draft(&folder, None, &ImportOptions::default()).unwrap();
    assert_eq!(imported.kind, DraftKind::Storyboard);
    assert!(imported.problems.is_empty(), "{:#?}", imported.problems);
    let shots = imported.manifest["shots"].as_array().unwrap();
    assert_eq!(shots.len(), 2);
    assert_eq!(shots[0]["id"], "1");
    assert_eq!(shots[0]["duration"], 3.5);
    assert_eq!(shots[0]["camera"], json!({"preset": "zoom-in"}));
    assert_eq!(shots[0]["notes"], "开场");
    assert_eq!(shots[0]["lines"][0]["speaker"], "林晚");
    assert_eq!(
        shots[0]["lines"][1],
        json!({"speaker": "顾辰", "text": "你说什么？"})
    );
    assert_eq!(shots[1]["lines"][0]["text"], "他笑了，\"好啊\"");
    assert_eq!(shots[1]["transition"], json!({"type": "crossfade"}));
    assert_eq!(shots[1]["camera"]["preset"], "pan-left");
    let (drama, _, problems) = load(&imported.manifest_text(), &dir);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(manju::to_seconds(drama.shots[1].start), 3.5);
    // check reads the CSV itself.
    let opened = open(&dir.join("分镜.csv")).unwrap();
    assert_eq!(opened.drama.shots.len(), 2);
}

#[test]
fn a_broken_storyboard_says_which_row_and_column() {
    let dir = media_folder("storyboard-broken", &["a.png"], &[]);
    let csv = "shot,image,duration,text,mood\n\
               1,a.png,three,hello,calm\n\
               2,missing.png,2,she said \"no\",\n\
               3,a.png,2,\"fine\"ok,\n\
               4,a.png,2,\"never closed,\n\
               5,a.png,2,lost,\n";
    std::fs::write(dir.join("board.csv"), csv).unwrap();
    let folder = manju::DraftFolder::new(&dir).unwrap();
    let imported = import_draft(&folder, None, &ImportOptions::default()).unwrap();
    let said: Vec<String> = imported.problems.iter().map(|p| p.to_string()).collect();
    let has = |words: &str| said.iter().any(|s| s.contains(words));
    assert!(
        has("board.csv: row 1, column mood: warning: not a column the storyboard reads"),
        "{said:#?}"
    );
    assert!(
        has("board.csv: row 2, column duration: warning: \"three\" is not a duration"),
        "{said:#?}"
    );
    assert!(
        has("board.csv: row 3, column image: warning: missing.png is not in the draft"),
        "{said:#?}"
    );
    assert!(
        has("board.csv: a quote inside a field that does not start with one")
            && has("(line 3, column 26)"),
        "{said:#?}"
    );
    assert!(
        has("after a closing quote") && has("(line 4, column 17)"),
        "{said:#?}"
    );
    assert!(
        has("this quote is never closed") && has("(line 5, column 11)"),
        "{said:#?}"
    );
    // The rows before the unclosed quote still play.
    assert_eq!(imported.manifest["shots"].as_array().unwrap().len(), 3);
    // Not UTF-8: said how to save it.
    std::fs::write(dir.join("board.csv"), b"shot,image\n1,\xc4\xe3.png\n").unwrap();
    let folder = manju::DraftFolder::new(&dir).unwrap();
    let err = import_draft(
        &folder,
        Some(DraftKind::Storyboard),
        &ImportOptions::default(),
    );
    let err = match err {
        Err(e) => e,
        Ok(_) => panic!("GBK bytes were read as UTF-8"),
    };
    assert!(
        err[0]
            .message
            .contains("save the spreadsheet as \"CSV UTF-8\""),
        "{err:?}"
    );
}

#[test]
fn a_folder_of_panels_and_voices_plays_as_a_motion_comic() {
    let dir = media_folder(
        "panels",
        &["001.png", "shot-02.png", "10.png", "cover.png"],
        &["v001.wav", "02.wav", "99.wav", "bgm.wav"],
    );
    let opened = open(&dir).unwrap();
    let said: Vec<String> = opened.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        said,
        ["99.wav: warning: no image numbered 99: this voice clip is left out"]
    );
    let shots = &opened.drama.shots;
    // By number (1, 2, 10), then the unnumbered cover.
    let ids: Vec<&str> = shots.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["shot-1", "shot-2", "shot-10", "shot-11"]);
    // Voiced shots last lead + clip + tail (at least 2 s); the others 3 s.
    let secs = |i: usize| manju::to_seconds(shots[i].duration);
    let clip = ffprobe_seconds(&dir.join("v001.wav"));
    assert!(
        (secs(0) - (0.3 + clip + 0.5).max(2.0)).abs() < 0.02,
        "{}",
        secs(0)
    );
    assert!((secs(2) - 3.0).abs() < 1e-6);
    let imported = import_folder(&dir, &ImportOptions::default());
    let m = &imported.manifest;
    assert_eq!(m["shots"][0]["camera"]["preset"], "zoom-in");
    assert_eq!(m["shots"][1]["camera"]["preset"], "pan-left");
    assert_eq!(m["shots"][1]["transition"]["type"], "crossfade");
    assert_eq!(
        m["assets"][m["music"][0]["audio"].as_str().unwrap()],
        "bgm.wav"
    );
    assert_eq!(
        m["canvas"]["width"], 1080,
        "upright panels: an upright canvas"
    );
}

#[test]
fn a_folder_with_subtitles_is_timed_by_its_cues() {
    let dir = media_folder("panels-srt", &["01.png", "02.png", "03.png"], &[]);
    let srt = "1\n00:00:01,000 --> 00:00:02,500\n这一世\n\n2\n00:00:04,000 --> 00:00:05,000\n我绝不会\n\n3\n00:00:06,000 --> 00:00:07,200\n再让你得逞\n";
    std::fs::write(dir.join("ep1.srt"), srt).unwrap();
    let opened = open(&dir).unwrap();
    assert!(opened.problems.is_empty(), "{:#?}", opened.problems);
    let starts: Vec<f64> = opened
        .drama
        .shots
        .iter()
        .map(|s| manju::to_seconds(s.start))
        .collect();
    assert_eq!(starts, [0.0, 4.0, 6.0]);
    let line = &opened.drama.shots[0].lines[0];
    assert_eq!(line.text, "这一世");
    assert_eq!(manju::to_seconds(line.at), 1.0);
    // The last shot runs half a second past its cue.
    let last = &opened.drama.shots[2];
    assert!((manju::to_seconds(last.start + last.duration) - 7.7).abs() < 1e-6);
}

/// Found by fuzzing: an asset whose name says no type, and a shot id made twice.
#[test]
fn an_import_always_writes_a_manifest_that_reads_without_an_error() {
    let csv = "shot,image,text,voice\n\
               a,p.bmp,hi,v/1.amr\n\
               a-row4,p.png,x,\n\
               a,p.png,y,\n";
    let files = DraftInMemory::default()
        .with("board.csv", csv)
        .with("p.png", "x");
    let imported = import_draft(&files, None, &ImportOptions::default()).unwrap();
    let loaded = manju::load_manifest(&imported.manifest_text());
    assert!(!loaded.has_errors(), "{:#?}", loaded.problems);
    let m = &imported.manifest;
    assert_eq!(m["assets"]["1"], json!({"src": "v/1.amr", "type": "audio"}));
    assert_eq!(m["assets"]["p"], json!({"src": "p.bmp", "type": "image"}));
    let ids: Vec<&str> = m["shots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "a-row4", "a-row4-2"]);
}
