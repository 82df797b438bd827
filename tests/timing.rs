//! Voice-driven timing, from real audio files decoded by the core.

use crate::util::{load, repo};
use manju::TimelineSummary;

/// The length of a PCM WAV file read straight from its header (data bytes / byte rate),
/// independently of the decoder under test.
fn wav_length_micros(bytes: &[u8]) -> i64 {
    let byte_rate = u32::from_le_bytes(bytes[28..32].try_into().unwrap()) as i64;
    let mut i = 12;
    while i + 8 <= bytes.len() {
        let size = u32::from_le_bytes(bytes[i + 4..i + 8].try_into().unwrap()) as i64;
        if &bytes[i..i + 4] == b"data" {
            return (size * 1_000_000 + byte_rate / 2) / byte_rate;
        }
        i += 8 + size as usize + (size as usize & 1);
    }
    panic!("no data chunk");
}

const MANIFEST: &str = r#"{
  "format": "manju/1",
  "assets": { "v": "voice.wav", "v_ogg": "voice.ogg", "gone": "missing.mp3" },
  "shots": [
    { "id": "talk", "lines": [
        { "text": "The carrot is ready, Pepper.", "voice": "v" },
        { "text": "你好你好你好 OK!" },
        { "text": "late", "at": 5.0, "duration": 1.0 } ] },
    { "id": "empty" },
    { "id": "short", "lines": [ { "text": "嗯" } ] },
    { "id": "fixed", "duration": 4, "lines": [ { "text": "ogg", "voice": "v_ogg", "at": 0 }, { "text": "lost", "voice": "gone" } ] }
  ],
  "music": [ { "audio": "v_ogg", "at": 1, "volume": 0.5 } ]
}"#;

#[test]
fn auto_durations_follow_decoded_voice_clips() {
    let dir = repo().join("tests/fixtures/audio");
    let (drama, store, problems) = load(MANIFEST, &dir);
    let wav = wav_length_micros(&std::fs::read(dir.join("voice.wav")).unwrap());
    assert!(wav > 1_000_000, "the fixture speaks for over a second");
    let talk = &drama.shots[0];
    let l = &talk.lines;
    assert_eq!(
        (l[0].at, l[0].duration),
        (300_000, wav),
        "first line: lead, clip length"
    );
    let reading = 300_000 + 6 * 220_000 + 3 * 55_000;
    assert_eq!(
        (l[1].at, l[1].duration),
        (300_000 + wav + 250_000, reading),
        "gap after the line before"
    );
    assert_eq!(
        (l[2].at, l[2].duration),
        (5_000_000, 1_000_000),
        "explicit at and duration"
    );
    let last_end = (l[1].at + l[1].duration).max(6_000_000);
    assert_eq!(
        talk.duration,
        last_end + 500_000,
        "tail after the last line to end"
    );
    assert_eq!(drama.shots[1].duration, 3_000_000, "no lines: 3 s");
    assert_eq!(drama.shots[2].duration, 2_000_000, "short line: min_shot");
    assert_eq!(drama.shots[3].duration, 4_000_000);
    let starts: Vec<i64> = drama.shots.iter().map(|s| s.start).collect();
    assert_eq!(
        starts,
        [
            0,
            talk.duration,
            talk.duration + 3_000_000,
            talk.duration + 5_000_000
        ]
    );
    assert_eq!(drama.duration, talk.duration + 9_000_000);
    // The missing clip: a warning, reading time, and no voice scheduled.
    let lost = &drama.shots[3].lines[1];
    assert_eq!(lost.voice, None);
    assert_eq!(lost.duration, 1_000_000);
    assert!(
        problems
            .iter()
            .any(|p| p.path == "assets.gone" && !p.is_error()),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.path == "shots[3].lines[1]" && p.message.contains("reading length")),
        "{problems:?}"
    );

    // The same timing as `manju timeline` reports it, in seconds.
    let summary = TimelineSummary::new(&drama, &store);
    assert_eq!(summary.duration, drama.duration as f64 / 1e6);
    let voices: Vec<_> = summary
        .audio
        .iter()
        .filter(|a| a.kind == manju::AudioKind::Voice)
        .collect();
    assert_eq!(voices.len(), 2);
    assert_eq!(voices[0].asset, "v");
    assert_eq!(
        (voices[0].start, voices[0].end),
        (0.3, (300_000 + wav) as f64 / 1e6)
    );
    let ogg = store.audio_length("v_ogg").unwrap();
    assert!(
        (ogg - wav).abs() < 30_000,
        "the OGG encodes the same speech: {ogg} vs {wav}"
    );
    let music = summary
        .audio
        .iter()
        .find(|a| a.kind == manju::AudioKind::Music)
        .unwrap();
    // Not looped: the music stops when its clip ends.
    assert_eq!(
        (music.start, music.end),
        (1.0, (1_000_000 + ogg) as f64 / 1e6)
    );
    assert_eq!(summary.lines.len(), 6);
    assert_eq!(
        (summary.lines[2].shot.as_str(), summary.lines[2].index),
        ("talk", 2)
    );
}

#[test]
fn the_timing_block_overrides_defaults() {
    let text = r#"{ "format": "manju/1", "timing": { "lead": 0, "gap": 1, "tail": 0, "min_shot": 0.5 },
      "shots": [ { "lines": [ { "text": "a" }, { "text": "b" } ] } ] }"#;
    let (drama, _, problems) = load(text, &repo());
    assert!(problems.is_empty(), "{problems:?}");
    let l = &drama.shots[0].lines;
    assert_eq!((l[0].at, l[1].at), (0, 2_000_000));
    assert_eq!(drama.shots[0].duration, 3_000_000);
}

#[test]
fn transitions_are_centred_on_the_cut_and_clamped() {
    let text = r#"{ "format": "manju/1", "shots": [ { "duration": 2 },
        { "duration": 1, "transition": { "type": "crossfade", "duration": 1.5 } },
        { "duration": 2, "transition": { "type": "crossfade" } } ] }"#;
    let (drama, _, problems) = load(text, &repo());
    // The episode does not get longer.
    assert_eq!(drama.duration, 5_000_000);
    assert_eq!(
        drama.shots[1].transition.duration, 1_000_000,
        "clamped to the shorter shot"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.path == "shots[1].transition.duration"),
        "{problems:?}"
    );
    assert_eq!(drama.shots[2].transition.duration, 500_000, "default 0.5 s");
}
