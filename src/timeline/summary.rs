//! The timeline as data: what `manju timeline` prints and the page schedules audio from.
//! All times in seconds on the episode timeline.

use crate::assets::AssetStore;
use crate::audio::{MusicParams, music_gain};
use crate::model::{Display, Drama};
use crate::time::{Micros, to_seconds};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TimelineSummary {
    pub duration: f64,
    pub shots: Vec<ShotSummary>,
    pub lines: Vec<LineSummary>,
    pub audio: Vec<AudioCue>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ShotSummary {
    pub id: String,
    pub start: f64,
    pub end: f64,
    pub notes: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LineSummary {
    /// Where the line is in the manifest: `shots[2].lines[0]` (problems name it so).
    pub path: String,
    /// The shot's id.
    pub shot: String,
    /// The line's index within its shot.
    pub index: usize,
    pub speaker: Option<String>,
    /// The speaker's display name: the character's `name` when `speaker` is a character
    /// id, else `speaker` itself.
    pub speaker_name: Option<String>,
    /// The character's colour (`#rrggbb`), when it has one.
    pub speaker_color: Option<String>,
    pub text: String,
    /// `subtitle`, `bubble`, `caption`, `sfx` or `none`.
    pub display: &'static str,
    pub start: f64,
    pub end: f64,
    pub voice: Option<String>,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AudioKind {
    Voice,
    Sfx,
    Music,
}

/// One clip to play: from `offset` seconds into the clip, starting at `start`, until `end`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AudioCue {
    pub asset: String,
    pub kind: AudioKind,
    pub start: f64,
    pub end: f64,
    pub volume: f64,
    pub offset: f64,
    #[serde(rename = "loop")]
    pub looped: bool,
    pub fade_in: f64,
    pub fade_out: f64,
    /// The gain envelope (music): ramp linearly between points; `volume` is included.
    pub gain: Vec<GainAt>,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct GainAt {
    pub at: f64,
    pub gain: f64,
}

impl TimelineSummary {
    pub fn new(drama: &Drama, store: &AssetStore) -> TimelineSummary {
        let mut lines = Vec::new();
        let mut audio = Vec::new();
        let mut voices: Vec<(Micros, Micros)> = Vec::new();
        let clip = |start: Micros, asset: &str, kind: AudioKind, volume: f64, fallback: Micros| {
            let length = store.audio_length(asset).unwrap_or(fallback);
            // A clip that would start before the episode starts part-way in.
            let offset = (-start).max(0);
            AudioCue {
                asset: asset.to_string(),
                kind,
                start: to_seconds(start.max(0)),
                end: to_seconds(start + length),
                volume,
                offset: to_seconds(offset),
                looped: false,
                fade_in: 0.0,
                fade_out: 0.0,
                gain: Vec::new(),
            }
        };
        for (shot_index, shot) in drama.shots.iter().enumerate() {
            for (index, line) in shot.lines.iter().enumerate() {
                let start = shot.start + line.at;
                let character = line
                    .speaker
                    .as_deref()
                    .and_then(|id| drama.characters.iter().find(|c| c.id == id));
                lines.push(LineSummary {
                    path: format!("shots[{shot_index}].lines[{index}]"),
                    shot: shot.id.clone(),
                    index,
                    speaker: line.speaker.clone(),
                    speaker_name: character
                        .map(|c| c.name.clone())
                        .or_else(|| line.speaker.clone()),
                    speaker_color: character.and_then(|c| c.color).map(|c| c.to_hex()),
                    text: line.text.clone(),
                    display: match line.display {
                        Display::Subtitle => "subtitle",
                        Display::Bubble => "bubble",
                        Display::Caption => "caption",
                        Display::Sfx => "sfx",
                        Display::None => "none",
                    },
                    start: to_seconds(start),
                    end: to_seconds(start + line.duration),
                    voice: line.voice.clone(),
                });
                if let Some(voice) = &line.voice {
                    let cue = clip(start, voice, AudioKind::Voice, line.volume, line.duration);
                    voices.push((
                        start.max(0),
                        start + store.audio_length(voice).unwrap_or(line.duration),
                    ));
                    audio.push(cue);
                }
            }
            for sfx in &shot.sfx {
                audio.push(clip(
                    shot.start + sfx.at,
                    &sfx.audio,
                    AudioKind::Sfx,
                    sfx.volume,
                    0,
                ));
            }
        }
        voices.sort_unstable();
        for m in &drama.music {
            let params = MusicParams {
                start: m.start,
                end: m.end,
                volume: m.volume as f32,
                fade_in: m.fade_in,
                fade_out: m.fade_out,
                duck: m.duck as f32,
            };
            let gain = music_gain(&params, &voices)
                .into_iter()
                .map(|g| GainAt {
                    at: to_seconds(g.at),
                    gain: f64::from(g.gain),
                })
                .collect();
            audio.push(AudioCue {
                asset: m.audio.clone(),
                kind: AudioKind::Music,
                start: to_seconds(m.start),
                end: to_seconds(m.end),
                volume: m.volume,
                offset: 0.0,
                looped: m.looped,
                fade_in: to_seconds(m.fade_in),
                fade_out: to_seconds(m.fade_out),
                gain,
            });
        }
        TimelineSummary {
            duration: to_seconds(drama.duration),
            shots: drama
                .shots
                .iter()
                .map(|s| ShotSummary {
                    id: s.id.clone(),
                    start: to_seconds(s.start),
                    end: to_seconds(s.end()),
                    notes: s.notes.clone(),
                })
                .collect(),
            lines,
            audio,
        }
    }
}
