//! Subtitle import: cue timings and texts against pysubs2 1.8.1 (its readings are in
//! `tests/fixtures/subtitles/<file>.pysubs2.json`, made by `reference.py` there), the
//! exact problems reported for damaged files, and `manju import-subtitles` end to end
//! (`manju check` passes on what it writes; `manju timeline` shows each cue at its time).

use crate::util::repo;
use manju::{ImportedCues, Micros, import_subtitle_bytes, load_manifest, new_manifest};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The pysubs2 release the references were made with.
const PYSUBS2: &str = "1.8.1";

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/subtitles").join(name)
}

fn import(name: &str) -> Result<ImportedCues, Vec<manju::Problem>> {
    import_subtitle_bytes(&std::fs::read(fixture(name)).unwrap(), name)
}

/// (start µs, end µs, text) of every cue.
type Timed = Vec<(Micros, Micros, String)>;

fn ours(cues: &ImportedCues) -> Timed {
    cues.cues
        .iter()
        .map(|c| (c.start, c.end, c.text.clone()))
        .collect()
}

/// pysubs2's Dialogue events (comments left out), or its error when it refused the file.
fn theirs(name: &str) -> Result<Timed, String> {
    let path = fixture(&format!("{name}.pysubs2.json"));
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        json["pysubs2"],
        PYSUBS2,
        "{} was made by another pysubs2",
        path.display()
    );
    if let Some(e) = json["error"].as_str() {
        return Err(e.to_string());
    }
    Ok(json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "Dialogue")
        .map(|e| {
            (
                e["start"].as_i64().unwrap() * 1000,
                e["end"].as_i64().unwrap() * 1000,
                e["plaintext"].as_str().unwrap().to_string(),
            )
        })
        .collect())
}

fn text_of(timed: &Timed, i: usize) -> &str {
    &timed[i].2
}

#[test]
fn well_formed_files_agree_with_pysubs2() {
    let mut compared = 0;
    // Files where every cue agrees exactly.
    for name in ["drama-zh.srt", "utf16.srt", "old.ssa"] {
        let mine = ours(&import(name).unwrap());
        assert_eq!(mine, theirs(name).unwrap(), "{name}");
        compared += mine.len();
    }
    assert_eq!(compared, 14 + 3 + 3);

    // WebVTT: pysubs2 reads it as SRT with the settings dropped, so what is not SRT
    // differs, on purpose.
    let mine = ours(&import("voices.vtt").unwrap());
    let mut expected = theirs("voices.vtt").unwrap();
    // A cue identifier belongs to the next cue; pysubs2 adds it to the previous cue's text.
    assert_eq!(
        text_of(&expected, 1),
        "You think you can still escape?\n\nintro-sign"
    );
    expected[1].2 = "You think you can still escape?".into();
    // Character references are decoded.
    assert_eq!(text_of(&expected, 5), "Tom &amp; Jerry &lt;3");
    expected[5].2 = "Tom & Jerry <3".into();
    // Ruby annotations (<rt>) are left out, and a NOTE block is not text.
    assert_eq!(
        text_of(&expected, 6),
        "林晚Lín Wǎn, listen to me.\nSecond line of the cue.\n\nNOTE a comment between cues"
    );
    expected[6].2 = "林晚, listen to me.\nSecond line of the cue.".into();
    // Inline timestamps are tags.
    expected[7].2 = expected[7].2.replace("<00:01:06.000>", "");
    assert_eq!(mine, expected);
    compared += mine.len();

    // ASS: the same 17 Dialogue lines but for what is not text.
    let mine = ours(&import("styled.ass").unwrap());
    let mut expected = theirs("styled.ass").unwrap();
    // A vector drawing (\p1) is not text: the cue is left out.
    assert_eq!(text_of(&expected, 13), "m 0 0 l 100 0 100 100 0 100");
    expected.remove(13);
    // `\n` is a space unless WrapStyle is 2 (as libass draws it), and `\h` a no-break
    // space; pysubs2's plaintext makes them a line break and a space.
    assert_eq!(
        text_of(&expected, 13),
        "Its own margin\nand a soft\nbreak and a hard space"
    );
    expected[13].2 = "Its own margin\nand a soft break and a\u{a0}hard space".into();
    assert_eq!(mine, expected);
    compared += mine.len();
    // Karaoke keeps its syllables' times.
    let cues = import("styled.ass").unwrap();
    let syllables: Vec<(Micros, &str)> = cues.cues[11]
        .karaoke
        .iter()
        .map(|s| (s.duration, s.text.as_str()))
        .collect();
    assert_eq!(
        syllables,
        [
            (400_000, "夜"),
            (350_000, "雨"),
            (500_000, "敲"),
            (450_000, "窗"),
            (600_000, "台")
        ]
    );
    assert_eq!(compared, 20 + 8 + 16);
}

#[test]
fn damaged_files_differ_from_pysubs2_where_it_guesses() {
    // pysubs2 takes any line with two timestamps as a timing line and everything else
    // as text of the cue before; Manju skips what it cannot time and says where.
    let mine = ours(&import("bad-timestamps.srt").unwrap());
    let mut expected = theirs("bad-timestamps.srt").unwrap();
    // `->` is not `-->`.
    assert_eq!(text_of(&expected, 1), "Arrow with one dash.");
    expected.remove(1);
    // The cue with the bad end time is not text of the one before.
    expected[1].2 = "Dot and a short fraction.".into();
    // Backwards and 75-second cues are skipped.
    assert_eq!((expected[2].0, expected[2].1), (9_000_000, 8_000_000));
    assert_eq!((expected[3].0, expected[3].1), (135_000_000, 136_000_000));
    expected.drain(2..4);
    assert_eq!(mine, expected);

    let mine = ours(&import("missing-blank-lines.srt").unwrap());
    let mut expected = theirs("missing-blank-lines.srt").unwrap();
    // The text after a blank line inside a cue joins it without the blank line.
    expected[2].2 = expected[2].2.replace("\n\n", "\n");
    assert_eq!(mine, expected);

    let mine = ours(&import("truncated.srt").unwrap());
    let mut expected = theirs("truncated.srt").unwrap();
    // The cut-off third cue is not text of the second.
    assert_eq!(
        text_of(&expected, 1),
        "最后一句\n\n3\n00:00:05,000 --> 00:0"
    );
    expected[1].2 = "最后一句".into();
    assert_eq!(mine, expected);

    let mine = ours(&import("garbage.srt").unwrap());
    let mut expected = theirs("garbage.srt").unwrap();
    // A line of binary junk is reported, not added to the cue before; control
    // characters are dropped from text. (Both replace bad bytes with U+FFFD.)
    expected[0].2 = "林晚推开了门。".into();
    expected[1].2 = expected[1].2.replace('\u{7}', "");
    assert_eq!(mine, expected);

    let mine = ours(&import("bad.vtt").unwrap());
    let mut expected = theirs("bad.vtt").unwrap();
    // pysubs2 reads a header-less .vtt as SRT: `,` before milliseconds, an identifier
    // without a timing line and a zero-length cue pass there; WebVTT refuses them.
    expected.remove(1);
    expected[1].2 = "unknown and bad settings".into();
    assert_eq!(expected[2].0, expected[2].1);
    expected.remove(2);
    assert_eq!(mine, expected);

    // pysubs2 refuses a whole file for one bad field; Manju reads the rest.
    assert!(
        theirs("bad.ass")
            .unwrap_err()
            .contains("could not convert string to float: 'big'")
    );
    assert_eq!(ours(&import("bad.ass").unwrap()).len(), 3);
    assert!(
        theirs("truncated.ass")
            .unwrap_err()
            .contains("Failed to parse timestamp")
    );
    let mine = ours(&import("truncated.ass").unwrap());
    assert_eq!(mine, theirs("styled.ass").unwrap()[..4]);
    // Both refuse a GBK file read as UTF-8.
    assert!(
        theirs("gbk.srt")
            .unwrap_err()
            .starts_with("UnicodeDecodeError")
    );
    assert!(import("gbk.srt").is_err());
}

/// Every problem as `manju import-subtitles` prints it.
fn problems(name: &str) -> Vec<String> {
    match import(name) {
        Ok(cues) => cues.problems.iter().map(|p| p.to_string()).collect(),
        Err(problems) => problems.iter().map(|p| p.to_string()).collect(),
    }
}

#[test]
fn damaged_files_report_lines_and_columns() {
    assert_eq!(
        problems("bad-timestamps.srt"),
        [
            "bad-timestamps.srt: cue 2: expected a timing line (`00:00:01,000 --> 00:00:02,500`) after the cue number, found `00:00:03,000 -> 00:00:04,000`; the cue is skipped (line 6, column 1)",
            "bad-timestamps.srt: malformed end time `00:00:0x,000`: `0x` is not a number; expected HH:MM:SS,mmm; the cue is skipped (line 14, column 18)",
            "bad-timestamps.srt: the cue ends (0:00:08.000) before it starts (0:00:09.000); the cue is skipped (line 18, column 18)",
            "bad-timestamps.srt: malformed start time `00:01:75,000`: 75 seconds; must be below 60; expected HH:MM:SS,mmm; the cue is skipped (line 22, column 1)",
            "bad-timestamps.srt: malformed end time `00:01:76,000`: 76 seconds; must be below 60; expected HH:MM:SS,mmm; the cue is skipped (line 22, column 18)",
        ]
    );
    assert_eq!(
        problems("missing-blank-lines.srt"),
        [
            "missing-blank-lines.srt: warning: no blank line before this cue; a new cue starts here (line 4, column 1)",
            "missing-blank-lines.srt: warning: blank line inside a cue's text; the text after it is kept with the cue (line 13, column 1)",
            "missing-blank-lines.srt: warning: no blank line before this cue; a new cue starts here (line 15, column 1)",
            "missing-blank-lines.srt: warning: no blank line before this cue; a new cue starts here (line 18, column 1)",
        ]
    );
    assert_eq!(
        problems("truncated.srt"),
        [
            "truncated.srt: warning: the file ends after this timing line, before the cue's text; the cue is skipped (line 10, column 1)"
        ]
    );
    assert_eq!(
        problems("truncated.ass")[0],
        "truncated.ass: the Dialogue line has 3 fields; the Format line names 10 (is it cut short?); the cue is skipped (line 32, column 30)"
    );
    assert_eq!(
        problems("garbage.srt"),
        [
            "garbage.srt: warning: byte 0x89 is not UTF-8; replaced by U+FFFD (line 5, column 4)",
            "garbage.srt: warning: byte 0xFF is not UTF-8; replaced by U+FFFD (line 9, column 8)",
            "garbage.srt: warning: byte 0xFE is not UTF-8; replaced by U+FFFD (line 9, column 9)",
            "garbage.srt: warning: byte 0xC3 is not UTF-8; replaced by U+FFFD (line 17, column 15)",
            "garbage.srt: expected a cue number or a timing line (`00:00:01,000 --> 00:00:02,500`), found `\\u{0}\\u{1}\\u{2}\u{fffd}PNG\\u{1a} junk`; skipped up to the next blank line (line 5, column 1)",
        ]
    );
    assert_eq!(
        problems("gbk.srt"),
        [
            "gbk.srt: the file is not UTF-8 (byte 0xC4 is the first of 25 that are not); it looks like a legacy encoding such as GBK, Big5, Shift_JIS or Windows-1252: save it as UTF-8 (line 3, column 1)"
        ]
    );
    assert_eq!(
        problems("bad.vtt"),
        [
            "bad.vtt: warning: a WebVTT file starts with a `WEBVTT` line; read as WebVTT anyway (line 1, column 1)",
            "bad.vtt: malformed start time `00:00:03,000`: no `.` before the milliseconds; expected [hh:]mm:ss.ttt; the cue is skipped (line 4, column 1)",
            "bad.vtt: warning: cue setting `colour:red` ignored: unknown setting (line 7, column 44)",
            "bad.vtt: warning: cue setting `line:200%` ignored: line is a percentage or a whole number of lines (line 7, column 55)",
            "bad.vtt: expected a timing line (`00:01.000 --> 00:02.500`) after the cue identifier `cue-without-timing`, found `just text`; skipped up to the next blank line (line 11, column 1)",
            "bad.vtt: warning: no blank line before this cue; a new cue starts here (line 15, column 1)",
            "bad.vtt: the cue ends (0:00:07.000) as it starts (0:00:07.000); the cue is skipped (line 13, column 18)",
        ]
    );
    assert_eq!(
        problems("bad.ass"),
        [
            "bad.ass: warning: unknown section `[Unknown Section]`; skipped (line 11, column 1)",
            "bad.ass: warning: expected `Format:` or `Dialogue:`, found `Nonsense line here`; skipped (line 22, column 1)",
            "bad.ass: the style has 5 fields; the Format line names 23; it is skipped (line 9, column 1)",
            "bad.ass: the cue ends (0:00:02.000) before it starts (0:00:03.000); the cue is skipped (line 17, column 24)",
            "bad.ass: malformed start time `0:0x:04.00`: `0x` is not a number; expected H:MM:SS.CC; the cue is skipped (line 18, column 13)",
            "bad.ass: the Dialogue line has 3 fields; the Format line names 10 (is it cut short?); the cue is skipped (line 19, column 34)",
            "bad.ass: warning: an override block without its `}` is shown as text (line 20, column 1)",
            "bad.ass: warning: no style `Nope`; style `Default` is used (line 21, column 1)",
        ]
    );
}

/// Damaged copies of every fixture (cut short anywhere, bytes overwritten) never make
/// the importer panic, and whatever it reads makes a manifest without errors.
#[test]
fn damaged_copies_never_panic() {
    let dir = repo().join("tests/fixtures/subtitles");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut tried = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") || name.ends_with(".py") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let mut copies: Vec<Vec<u8>> = (0..bytes.len())
            .step_by(7)
            .map(|n| bytes[..n].to_vec())
            .collect();
        for _ in 0..200 {
            let mut copy = bytes.clone();
            for _ in 0..1 + random() % 4 {
                let at = (random() % copy.len() as u64) as usize;
                let damage = b"{}<>\\,:.-\n\r0\xff\xe4&%";
                copy[at] = damage[(random() % damage.len() as u64) as usize];
            }
            copies.push(copy);
        }
        for copy in copies {
            tried += 1;
            if let Ok(cues) = import_subtitle_bytes(&copy, &name) {
                let out = new_manifest(&cues);
                let loaded = load_manifest(&out.manifest);
                assert!(
                    !loaded.has_errors(),
                    "{name}: {:?}\n{}",
                    loaded.problems,
                    out.manifest
                );
            }
        }
    }
    assert!(tried > 3000, "{tried}");
}

fn manju(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_manju"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run manju")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("manju-subs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn timeline(manifest: &Path) -> Value {
    let o = manju(&["timeline", manifest.to_str().unwrap()], Path::new("."));
    assert!(o.status.success(), "{o:?}");
    serde_json::from_slice(&o.stdout).unwrap()
}

/// `(start, end, text)` of the timeline's lines, in microseconds, by start.
fn timeline_lines(t: &Value) -> Timed {
    let mut lines: Timed = t["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                manju::from_seconds(l["start"].as_f64().unwrap()),
                manju::from_seconds(l["end"].as_f64().unwrap()),
                l["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    lines.sort_by_key(|l| l.0);
    lines
}

#[test]
fn import_subtitles_writes_a_playable_drama() {
    let dir = temp_dir("new");
    for name in [
        "drama-zh.srt",
        "voices.vtt",
        "styled.ass",
        "old.ssa",
        "utf16.srt",
    ] {
        let out = dir.join(format!("{name}.json"));
        let o = manju(
            &[
                "import-subtitles",
                fixture(name).to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ],
            &dir,
        );
        assert!(o.status.success(), "{name}: {o:?}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        let count = import(name).unwrap().cues.len();
        assert!(stderr.contains(&format!("{count} cues → ")), "{stderr}");
        let check = manju(&["check", out.to_str().unwrap()], &dir);
        assert!(check.status.success(), "{name}: {check:?}");
        // Overlapping cues stay overlapping lines, and ASS styles keep naming their fonts:
        // `check` says so (and nothing else).
        let stdout = String::from_utf8_lossy(&check.stdout);
        let other: Vec<&str> = stdout
            .lines()
            .filter(|l| !l.contains("overlaps the next line") && !l.contains("is not loaded"))
            .collect();
        assert!(other.is_empty(), "{name}: {other:?}");
        // Every cue is a line at its own time.
        let mut expected = ours(&import(name).unwrap());
        expected.sort_by_key(|c| c.0);
        assert_eq!(timeline_lines(&timeline(&out)), expected, "{name}");
    }
    // One shot per cue, or per group of overlapping cues (lines 6 and 7 of drama-zh.srt).
    let t = timeline(&dir.join("drama-zh.srt.json"));
    assert_eq!(t["shots"].as_array().unwrap().len(), 13);
    assert_eq!(t["shots"][5]["start"], 13.5);
    assert_eq!(t["shots"][5]["end"], 17.0);
}

#[test]
fn import_subtitles_into_a_drama_keeps_its_shots_in_place() {
    let dir = temp_dir("into");
    std::fs::copy(
        repo().join("tests/fixtures/audio/voice.ogg"),
        dir.join("voice.ogg"),
    )
    .unwrap();
    let manifest = dir.join("ep.json");
    std::fs::write(
        &manifest,
        r#"{ "format": "manju/1",
  "assets": { "v": "voice.ogg" },
  "characters": { "lin": { "name": "林晚" } },
  "shots": [
    { "id": "open", "lines": [ { "speaker": "lin", "text": "雨夜。", "voice": "v" } ] },
    { "id": "fixed", "duration": 3 },
    { "id": "last" }
  ] }"#,
    )
    .unwrap();
    let before = timeline(&manifest);
    let start = |i: usize| manju::from_seconds(before["shots"][i]["start"].as_f64().unwrap());
    let end = manju::from_seconds(before["duration"].as_f64().unwrap());
    let stamp = |t: Micros| {
        let ms = t / 1000;
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000
        )
    };
    // Times in whole milliseconds, as a subtitle file has them.
    let ms = |t: Micros| t / 1000 * 1000;
    let cues = [
        (
            ms(start(0) + 100_000),
            ms(start(1) + 1_000_000),
            "<v 林晚>跨过剪辑点的一句。</v>",
        ),
        (
            ms(start(1) + 1_200_000),
            ms(start(1) + 2_500_000),
            "<v 顾辰>中间的一句。</v>",
        ),
        (
            ms(start(2) + 200_000),
            ms(start(2) + 5_000_000),
            "最后一个镜头里的一句。",
        ),
        (
            ms(end + 10_000_000),
            ms(end + 12_000_000),
            "在剧集结束之后。",
        ),
    ];
    let mut vtt = String::from("WEBVTT\n\n");
    for (a, b, text) in &cues {
        vtt.push_str(&format!("{} --> {}\n{text}\n\n", stamp(*a), stamp(*b)));
    }
    let subs = dir.join("ep.zh.vtt");
    std::fs::write(&subs, vtt).unwrap();
    let out = dir.join("ep.subs.json");
    let o = manju(
        &[
            "import-subtitles",
            "ep.zh.vtt",
            "--into",
            "ep.json",
            "-o",
            "ep.subs.json",
        ],
        &dir,
    );
    assert!(o.status.success(), "{o:?}");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "ep.zh.vtt: warning: a cue running past a cut is split in two, a line in each shot, so that it stays on screen (line 3, column 1)",
            &format!(
                "shots[0].duration: warning: was \"auto\" ({} s); written out so that the new lines do not move the shots after it",
                manju::to_seconds(start(1))
            ),
        ]
    );
    let check = manju(&["check", out.to_str().unwrap()], &dir);
    assert!(check.status.success(), "{check:?}");
    let after = timeline(&out);
    // The shots start where they did; the last one grew to hold the late cues.
    for i in 0..3 {
        assert_eq!(after["shots"][i]["start"], before["shots"][i]["start"]);
    }
    assert_eq!(after["shots"][1]["end"], before["shots"][1]["end"]);
    // Each cue shows over exactly its time, split or not; the voice line is unchanged.
    let lines = timeline_lines(&after);
    for (a, b, _) in &cues {
        let parts: Vec<_> = lines
            .iter()
            .filter(|l| l.0 >= *a && l.1 <= *b && l.2 != "雨夜。")
            .collect();
        assert_eq!(parts.first().map(|p| p.0), Some(*a), "{lines:?}");
        assert_eq!(parts.last().map(|p| p.1), Some(*b), "{lines:?}");
        assert!(parts.windows(2).all(|w| w[0].1 == w[1].0), "{lines:?}");
    }
    assert_eq!(lines.len(), 1 + 5);
    assert!(lines.iter().any(|l| l.2 == "雨夜。"));
    // The speaker named like a character is that character.
    let speakers: Vec<&str> = after["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["speaker"].as_str())
        .collect();
    assert_eq!(speakers, ["lin", "lin", "lin", "顾辰"]);
}

#[test]
fn import_subtitles_says_what_is_wrong() {
    let dir = temp_dir("errors");
    // A file with no cue at all is refused, and nothing is written.
    std::fs::write(dir.join("notes.txt"), "just some words\n").unwrap();
    let o = manju(&["import-subtitles", "notes.txt", "-o", "out.json"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("notes.txt: not a subtitle file"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing imported from notes.txt"));
    assert!(!dir.join("out.json").exists());
    // Cues left out: the rest is written, and the exit status says so.
    let o = manju(
        &[
            "import-subtitles",
            fixture("bad-timestamps.srt").to_str().unwrap(),
            "-o",
            "out.json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("3 cues → out.json (5 errors, 0 warnings)")
    );
    assert!(dir.join("out.json").exists());
    // A missing file, an unreadable manifest.
    let o = manju(&["import-subtitles", "nope.srt", "-o", "out.json"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("manju: reading nope.srt"));
    std::fs::write(dir.join("broken.json"), "{ \"format\": \"manju/1\", ").unwrap();
    let o = manju(
        &[
            "import-subtitles",
            fixture("utf16.srt").to_str().unwrap(),
            "--into",
            "broken.json",
            "-o",
            "out2.json",
        ],
        &dir,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("broken.json: (manifest): invalid JSON")
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("broken.json cannot be read as a manifest")
    );
    assert!(!dir.join("out2.json").exists());
}
