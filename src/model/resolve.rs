//! Timing: turns a [`Manifest`] into a [`Drama`] once the voice clips' lengths are
//! known — `auto` line and shot durations, line start times, shot placement, cameras
//! over their shots' durations, transition lengths, music spans.

use super::types::*;
use crate::assets::AssetStore;
use crate::problem::Problem;
use crate::time::{Micros, to_seconds};
use crate::timeline::easing::Ease;

/// The resolved drama and the problems found while timing it.
#[derive(Debug)]
pub struct Resolved {
    pub drama: Drama,
    pub problems: Vec<Problem>,
}

/// Length of a shot with `duration: "auto"` and no lines.
pub const AUTO_SHOT_WITHOUT_LINES: Micros = 3_000_000;

/// Times every line and shot. Voice clip lengths come from `store` (decoded from the
/// clips' bytes); a line whose clip is missing is timed by its reading length.
pub fn resolve(m: Manifest, store: &AssetStore) -> Resolved {
    let mut problems = Vec::new();
    let canvas = m.canvas.clone();
    let mut shots = Vec::with_capacity(m.shots.len());
    let mut start: Micros = 0;
    for spec in &m.shots {
        let lines = time_lines(spec, &m.timing, store, &mut problems);
        let duration = match spec.duration {
            Some(d) => d,
            None => auto_shot_duration(&lines, &m.timing),
        };
        for (line, line_spec) in lines.iter().zip(&spec.lines) {
            if line.at + line.duration > duration && spec.duration.is_some() {
                problems.push(
                    Problem::warning(
                        &line_spec.path,
                        format!(
                            "the line ends at {:.2} s, after its shot ({:.2} s); it is cut off",
                            to_seconds(line.at + line.duration),
                            to_seconds(duration)
                        ),
                    )
                    .at(line_spec.pos.line, line_spec.pos.column),
                );
            }
        }
        overlaps(&lines, spec, &mut problems);
        shots.push(Shot {
            id: spec.id.clone(),
            start,
            duration,
            layers: spec.layers.clone(),
            camera: resolve_camera(&spec.camera, duration, &canvas),
            transition: spec.transition.unwrap_or(Transition::CUT),
            lines,
            sfx: spec
                .sfx
                .iter()
                .filter(|s| store.audio_playable(&s.audio))
                .cloned()
                .collect(),
            effects: spec.effects.clone(),
            notes: spec.notes.clone(),
        });
        start += duration;
    }
    let total = start;
    clamp_transitions(&mut shots, &m.shots, &mut problems);
    let music = m
        .music
        .iter()
        .filter(|c| store.audio_playable(&c.audio))
        .filter_map(|c| {
            let mut end = c.until.unwrap_or(total).min(total);
            if let (false, Some(len)) = (c.looped, store.audio_length(&c.audio)) {
                end = end.min(c.at + len);
            }
            if end <= c.at {
                problems.push(
                    Problem::warning(&c.path, "the music starts after it ends; it is not played")
                        .at(c.pos.line, c.pos.column),
                );
                return None;
            }
            Some(Music {
                audio: c.audio.clone(),
                start: c.at,
                end,
                volume: c.volume,
                fade_in: c.fade_in.min(end - c.at),
                fade_out: c.fade_out.min(end - c.at),
                looped: c.looped,
                duck: c.duck,
            })
        })
        .collect();
    let edge = |e: Option<Edge>| {
        e.map(|e| Edge {
            color: if e.color.a == 0 {
                canvas.background
            } else {
                e.color
            },
            duration: e.duration.min(total),
        })
    };
    let drama = Drama {
        title: m.title,
        version: m.version,
        intro: edge(m.intro),
        outro: edge(m.outro),
        canvas,
        assets: m.assets,
        characters: m.characters,
        styles: m.styles,
        timing: m.timing,
        shots,
        music,
        duration: total,
    };
    Resolved { drama, problems }
}

fn time_lines(
    spec: &ShotSpec,
    timing: &Timing,
    store: &AssetStore,
    problems: &mut Vec<Problem>,
) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::with_capacity(spec.lines.len());
    for l in &spec.lines {
        let clip = l.voice.as_deref().and_then(|v| store.audio_length(v));
        let voice = l.voice.clone().filter(|v| store.audio_playable(v));
        if l.voice.is_some() && clip.is_none() && l.duration.is_none() {
            problems.push(
                Problem::warning(&l.path, "the voice clip's length is unknown (missing or unreadable); the line is timed by its reading length")
                    .at(l.pos.line, l.pos.column),
            );
        }
        let duration = l.duration.or(clip).unwrap_or_else(|| reading_time(&l.text));
        let at = l.at.unwrap_or_else(|| match lines.last() {
            None => timing.lead,
            Some(prev) => prev.at + prev.duration + timing.gap,
        });
        lines.push(Line {
            speaker: l.speaker.clone(),
            text: l.text.clone(),
            voice,
            at,
            duration,
            display: l.display,
            bubble: l.bubble,
            style: l.style.clone(),
            reveal: l.reveal,
            volume: l.volume,
        });
    }
    lines
}

/// Warns about a line still playing when the next line of its shot starts, where the two
/// collide: two voices at once, or two subtitles (or captions) in the same place. Bubbles
/// and sound words may share the screen; that is what they are for.
fn overlaps(lines: &[Line], spec: &ShotSpec, problems: &mut Vec<Problem>) {
    for (j, pair) in lines.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        let overlap = a.at + a.duration - b.at;
        if overlap <= 0 {
            continue;
        }
        let voices = a.voice.is_some() && b.voice.is_some();
        let same_place = a.display == b.display
            && matches!(a.display, Display::Subtitle | Display::Caption)
            && a.style == b.style;
        let what = match (voices, same_place) {
            (true, true) => "both voices play at once, and both texts show",
            (true, false) => "both voices play at once",
            (false, true) => match a.display {
                Display::Caption => {
                    "both captions show at once (the later one is moved clear of the earlier)"
                }
                _ => "both subtitles show at once (the later one is moved clear of the earlier)",
            },
            (false, false) => continue,
        };
        let l = &spec.lines[j];
        problems.push(
            Problem::warning(
                &l.path,
                format!(
                    "the line overlaps the next line ({}) by {:.2} s: {what}",
                    spec.lines[j + 1].path,
                    to_seconds(overlap)
                ),
            )
            .at(l.pos.line, l.pos.column),
        );
    }
}

/// `auto`: until the last line ends plus `tail`, at least `min_shot`; 3 s without lines.
fn auto_shot_duration(lines: &[Line], timing: &Timing) -> Micros {
    match lines.iter().map(|l| l.at + l.duration).max() {
        None => AUTO_SHOT_WITHOUT_LINES,
        Some(end) => (end + timing.tail).max(timing.min_shot),
    }
}

/// Reading time of a line without a voice clip:
/// `clamp(0.3 + 0.22·cjk + 0.055·other, 1.0, 8.0)` seconds, counting CJK characters
/// (Han, kana, Hangul, CJK and full-width punctuation) and other non-blank characters.
pub fn reading_time(text: &str) -> Micros {
    let (mut cjk, mut other) = (0u32, 0u32);
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            continue;
        }
        if is_cjk(c) { cjk += 1 } else { other += 1 }
    }
    // Integer microseconds: 0.22 s = 220_000 µs and 0.055 s = 55_000 µs exactly.
    let t = 300_000 + 220_000 * Micros::from(cjk) + 55_000 * Micros::from(other);
    t.clamp(1_000_000, 8_000_000)
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x3130..=0x318F | 0x31A0..=0x31FF | 0x3200..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// A transition may not be longer than either shot it joins, so that a shot's incoming
/// and outgoing transitions (each covering half their length inside it) never overlap.
/// Longer ones are shortened, with a warning.
fn clamp_transitions(shots: &mut [Shot], specs: &[ShotSpec], problems: &mut Vec<Problem>) {
    for i in 1..shots.len() {
        let limit = shots[i - 1].duration.min(shots[i].duration);
        let t = &mut shots[i].transition;
        if t.duration > limit {
            problems.push(
                Problem::warning(
                    format!("{}.transition.duration", specs[i].path),
                    format!(
                        "the transition ({:.2} s) is longer than the shots it joins allow; shortened to {:.2} s",
                        to_seconds(t.duration),
                        to_seconds(limit)
                    ),
                )
                .at(specs[i].pos.line, specs[i].pos.column),
            );
            t.duration = limit;
        }
        if t.duration == 0 {
            t.kind = TransitionKind::Cut;
        }
    }
}

fn default_state(canvas: &Canvas) -> CameraState {
    CameraState {
        x: f64::from(canvas.width) / 2.0,
        y: f64::from(canvas.height) / 2.0,
        zoom: 1.0,
        rotation: 0.0,
    }
}

fn fill(c: CameraPartial, d: CameraState) -> CameraState {
    CameraState {
        x: c.x.unwrap_or(d.x),
        y: c.y.unwrap_or(d.y),
        zoom: c.zoom.unwrap_or(d.zoom),
        rotation: c.rotation.unwrap_or(d.rotation),
    }
}

fn two_keys(from: CameraState, to: CameraState, duration: Micros, ease: Ease) -> Camera {
    let track = |a: f64, b: f64| Track {
        keys: vec![
            Key {
                at: 0,
                value: a,
                ease,
            },
            Key {
                at: duration,
                value: b,
                ease: Ease::Linear,
            },
        ],
    };
    Camera {
        x: track(from.x, to.x),
        y: track(from.y, to.y),
        zoom: track(from.zoom, to.zoom),
        rotation: track(from.rotation, to.rotation),
    }
}

/// The camera over a shot of `duration`.
///
/// Presets: `zoom-in` goes from zoom 1 to 1 + amount, `zoom-out` back; a pan moves the
/// camera across amount × the canvas width (or height) in the named direction, at zoom
/// 1 / (1 − amount) so that a layer covering the canvas still covers it all the way.
pub fn resolve_camera(spec: &CameraSpec, duration: Micros, canvas: &Canvas) -> Camera {
    let d = default_state(canvas);
    match spec {
        CameraSpec::Still(c) => {
            let s = fill(*c, d);
            two_keys(s, s, duration, Ease::Linear)
        }
        CameraSpec::FromTo { from, to, ease } => {
            let a = fill(*from, d);
            two_keys(a, fill(*to, a), duration, *ease)
        }
        CameraSpec::Keyframes(keys) => {
            let track = |get: fn(&CameraPartial) -> Option<f64>, default: f64| {
                let ks: Vec<Key> = keys
                    .iter()
                    .filter_map(|(at, c, ease)| {
                        get(c).map(|value| Key {
                            at: *at,
                            value,
                            ease: *ease,
                        })
                    })
                    .collect();
                if ks.is_empty() {
                    Track::constant(default)
                } else {
                    Track { keys: ks }
                }
            };
            Camera {
                x: track(|c| c.x, d.x),
                y: track(|c| c.y, d.y),
                zoom: track(|c| c.zoom, d.zoom),
                rotation: track(|c| c.rotation, d.rotation),
            }
        }
        CameraSpec::Preset { preset, amount } => {
            let a = *amount;
            let (w, h) = (f64::from(canvas.width), f64::from(canvas.height));
            let pan_zoom = 1.0 / (1.0 - a);
            // The camera moves from −(dx, dy) to +(dx, dy) about the canvas centre.
            let pan = |dx: f64, dy: f64| {
                let at = |k: f64| CameraState {
                    x: d.x + k * dx,
                    y: d.y + k * dy,
                    zoom: pan_zoom,
                    ..d
                };
                (at(-1.0), at(1.0))
            };
            let (from, to) = match preset {
                Preset::ZoomIn => (d, CameraState { zoom: 1.0 + a, ..d }),
                Preset::ZoomOut => (CameraState { zoom: 1.0 + a, ..d }, d),
                Preset::PanLeft => pan(-a * w / 2.0, 0.0),
                Preset::PanRight => pan(a * w / 2.0, 0.0),
                Preset::PanUp => pan(0.0, -a * h / 2.0),
                Preset::PanDown => pan(0.0, a * h / 2.0),
            };
            two_keys(from, to, duration, Ease::EASE_IN_OUT)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_time_counts_cjk_and_other_characters() {
        // 14 CJK characters (punctuation included): 0.3 + 14 × 0.22 = 3.38 s.
        assert_eq!(reading_time("这一世，我绝不会再让你得逞。"), 3_380_000);
        // "Hello there" → 10 visible characters: 0.3 + 0.55 = 0.85 → clamped to 1.0.
        assert_eq!(reading_time("Hello there"), 1_000_000);
        // 40 Latin letters: 0.3 + 2.2 = 2.5 s.
        assert_eq!(reading_time(&"a".repeat(40)), 2_500_000);
        assert_eq!(reading_time(&"字".repeat(100)), 8_000_000);
        // Mixed: 2 CJK + 3 other = 0.3 + 0.44 + 0.165 = 0.905 → 1.0.
        assert_eq!(reading_time("你好 abc"), 1_000_000);
        assert_eq!(
            reading_time("你好你好你好 OK!"),
            300_000 + 6 * 220_000 + 3 * 55_000
        );
    }
}
