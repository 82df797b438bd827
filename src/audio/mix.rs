//! The gain envelope of a music cue: fades and ducking under voices, as breakpoints the
//! page hands to Web Audio's `linearRampToValueAtTime`.
//!
//! The envelope is the product of three factors, each piecewise linear:
//! - the fade-in, 0 at `start` rising to 1 over `fade_in`;
//! - the fade-out, 1 falling to 0 over the last `fade_out` before `end`;
//! - the duck, 1 falling to `duck` over the [`DUCK_RAMP`] *before* a voice starts, held
//!   while it plays, and rising back to 1 over the `DUCK_RAMP` after it ends. The dip is
//!   complete as the first word is spoken, so the voice never fights the music, and the
//!   music returns only once the voice has finished. Voices less than
//!   [`DUCK_MERGE_GAP`] apart are ducked as one, so the music stays down through a
//!   dialogue instead of pumping up and down between lines; at that gap the ramps of two
//!   neighbouring voices meet without overlapping.
//!
//! Where two factors change at once (a voice during a fade) their product is curved, so
//! the segment is split until straight ramps are within [`TOLERANCE`] of it.

use crate::time::{MICROS_PER_SECOND, Micros};

/// How long the music takes to dip under a voice, and to come back after it.
pub const DUCK_RAMP: Micros = MICROS_PER_SECOND / 5;

/// Voices closer than this are ducked as one: twice [`DUCK_RAMP`].
pub const DUCK_MERGE_GAP: Micros = 2 * DUCK_RAMP;

/// The largest difference between the straight ramps and the exact product of fades and
/// ducks, as a fraction of the cue's volume (−54 dB: inaudible).
pub const TOLERANCE: f64 = 0.002;

/// One music cue on the episode timeline, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct MusicParams {
    pub start: Micros,
    pub end: Micros,
    pub volume: f32,
    pub fade_in: Micros,
    pub fade_out: Micros,
    /// Gain multiplier while any voice plays (1.0 = no ducking). Taken as 0..=1.
    pub duck: f32,
}

/// A breakpoint of a gain envelope: the gain reaches `gain` at `at`, ramping linearly
/// from the previous point.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GainPoint {
    pub at: Micros,
    pub gain: f32,
}

/// The music's gain over `[start, end]`: fade in, fade out, and ducking while any of the
/// `voices` (`[start, end)` on the episode timeline, in any order, possibly overlapping)
/// plays; see the module docs for the shape. The points are strictly increasing in
/// time, the first at `start` and the last at `end`; between two points the gain ramps
/// linearly. A cue with `end <= start` gets a single point at `start`.
pub fn music_gain(params: &MusicParams, voices: &[(Micros, Micros)]) -> Vec<GainPoint> {
    let envelope = Envelope::new(params, voices);
    let (start, end) = (params.start, params.end);
    if end <= start {
        return vec![envelope.point(start)];
    }

    // Every kink of every factor, inside the cue.
    let mut kinks = vec![start, end];
    if params.fade_in > 0 {
        kinks.push(start.saturating_add(params.fade_in));
    }
    if params.fade_out > 0 {
        kinks.push(end.saturating_sub(params.fade_out));
    }
    for &(a, b) in &envelope.ducks {
        kinks.extend([
            a.saturating_sub(DUCK_RAMP),
            a,
            b,
            b.saturating_add(DUCK_RAMP),
        ]);
    }
    kinks.retain(|&t| (start..=end).contains(&t));
    kinks.sort_unstable();
    kinks.dedup();

    let mut points = vec![envelope.point(start)];
    for pair in kinks.windows(2) {
        let (t0, t1) = (pair[0], pair[1]);
        let pieces = envelope.pieces(t0, t1);
        for i in 1..=pieces {
            let t = t0 + ((i128::from(t1 - t0) * i128::from(i)) / i128::from(pieces)) as Micros;
            points.push(envelope.point(t));
        }
    }
    drop_flat_points(points)
}

/// The factors of the envelope, evaluated exactly.
struct Envelope {
    start: Micros,
    end: Micros,
    volume: f64,
    fade_in: Micros,
    fade_out: Micros,
    duck: f64,
    /// Merged voice intervals, sorted, at least `DUCK_MERGE_GAP` apart.
    ducks: Vec<(Micros, Micros)>,
}

impl Envelope {
    fn new(params: &MusicParams, voices: &[(Micros, Micros)]) -> Envelope {
        let duck = f64::from(params.duck).clamp(0.0, 1.0);
        let mut ducks = Vec::new();
        if duck < 1.0 {
            let mut sorted: Vec<_> = voices.iter().copied().filter(|&(a, b)| b > a).collect();
            sorted.sort_unstable();
            for (a, b) in sorted {
                match ducks.last_mut() {
                    Some((_, last_end)) if a.saturating_sub(*last_end) < DUCK_MERGE_GAP => {
                        *last_end = (*last_end).max(b);
                    }
                    _ => ducks.push((a, b)),
                }
            }
            // Only ducks whose ramps reach into the cue matter.
            ducks.retain(|&(a, b)| {
                a.saturating_sub(DUCK_RAMP) < params.end
                    && b.saturating_add(DUCK_RAMP) > params.start
            });
        }
        Envelope {
            start: params.start,
            end: params.end,
            volume: f64::from(params.volume).max(0.0),
            fade_in: params.fade_in.max(0),
            fade_out: params.fade_out.max(0),
            duck,
            ducks,
        }
    }

    fn fade_in(&self, t: Micros) -> f64 {
        if self.fade_in == 0 {
            return 1.0;
        }
        ((t - self.start) as f64 / self.fade_in as f64).clamp(0.0, 1.0)
    }

    fn fade_out(&self, t: Micros) -> f64 {
        if self.fade_out == 0 {
            return 1.0;
        }
        ((self.end - t) as f64 / self.fade_out as f64).clamp(0.0, 1.0)
    }

    fn ducking(&self, t: Micros) -> f64 {
        let ramp = DUCK_RAMP as f64;
        let depth = 1.0 - self.duck;
        self.ducks
            .iter()
            .map(|&(a, b)| {
                if t < a {
                    1.0 - depth * (1.0 - ((a - t) as f64 / ramp).min(1.0))
                } else if t <= b {
                    self.duck
                } else {
                    1.0 - depth * (1.0 - ((t - b) as f64 / ramp).min(1.0))
                }
            })
            .fold(1.0, f64::min)
    }

    fn factors(&self, t: Micros) -> [f64; 3] {
        [self.fade_in(t), self.fade_out(t), self.ducking(t)]
    }

    fn point(&self, t: Micros) -> GainPoint {
        let gain = self.volume * self.factors(t).iter().product::<f64>();
        GainPoint {
            at: t,
            gain: gain as f32,
        }
    }

    /// How many straight pieces `[t0, t1]` needs, where no factor has a kink inside.
    /// With factors changing by `d0, d1, d2` over the segment (each within 0..=1), the
    /// product's second derivative (per unit of the segment) is at most
    /// `m = 2(|d0 d1| + |d0 d2| + |d1 d2|) + 6|d0 d1 d2|`, and a chord over a fraction
    /// `h` of it strays by at most `m h² / 8`.
    fn pieces(&self, t0: Micros, t1: Micros) -> i64 {
        let (f0, f1) = (self.factors(t0), self.factors(t1));
        let [d0, d1, d2] = [0, 1, 2].map(|i| (f1[i] - f0[i]).abs());
        let m = 2.0 * (d0 * d1 + d0 * d2 + d1 * d2) + 6.0 * d0 * d1 * d2;
        let n = (m / (8.0 * TOLERANCE)).sqrt().ceil().max(1.0);
        (n as i64).min(t1 - t0)
    }
}

/// Removes points in the middle of a flat run: the page needs no breakpoint there.
fn drop_flat_points(points: Vec<GainPoint>) -> Vec<GainPoint> {
    let mut out: Vec<GainPoint> = Vec::with_capacity(points.len());
    for p in points {
        if let [.., a, b] = out[..]
            && a.gain == p.gain
            && b.gain == p.gain
        {
            out.pop();
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Micros = MICROS_PER_SECOND;

    fn cue(start: Micros, end: Micros, fade_in: Micros, fade_out: Micros) -> MusicParams {
        MusicParams {
            start,
            end,
            volume: 0.5,
            fade_in,
            fade_out,
            duck: 0.4,
        }
    }

    /// The gain the page plays at `t`: linear between the points.
    fn gain_at(points: &[GainPoint], t: Micros) -> f64 {
        let i = points.partition_point(|p| p.at <= t);
        if i == 0 {
            return f64::from(points[0].gain);
        }
        if i == points.len() {
            return f64::from(points[i - 1].gain);
        }
        let (p, q) = (points[i - 1], points[i]);
        let u = (t - p.at) as f64 / (q.at - p.at) as f64;
        f64::from(p.gain) + (f64::from(q.gain) - f64::from(p.gain)) * u
    }

    fn check_shape(params: &MusicParams, points: &[GainPoint]) {
        assert_eq!(points.first().unwrap().at, params.start);
        assert_eq!(points.last().unwrap().at, params.end);
        for pair in points.windows(2) {
            assert!(
                pair[0].at < pair[1].at,
                "not strictly increasing: {points:?}"
            );
        }
        for p in points {
            assert!(
                p.gain >= 0.0 && p.gain <= params.volume,
                "{p:?} out of 0..=volume"
            );
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn no_fades_no_voices_is_flat_at_volume() {
        let params = cue(2 * S, 10 * S, 0, 0);
        let points = music_gain(&params, &[]);
        assert_eq!(
            points,
            vec![
                GainPoint {
                    at: 2 * S,
                    gain: 0.5
                },
                GainPoint {
                    at: 10 * S,
                    gain: 0.5
                }
            ]
        );
    }

    #[test]
    fn fades_in_from_zero_and_out_to_zero() {
        let params = cue(S, 9 * S, 2 * S, 3 * S);
        let points = music_gain(&params, &[]);
        check_shape(&params, &points);
        assert_eq!(
            points,
            vec![
                GainPoint { at: S, gain: 0.0 },
                GainPoint {
                    at: 3 * S,
                    gain: 0.5
                },
                GainPoint {
                    at: 6 * S,
                    gain: 0.5
                },
                GainPoint {
                    at: 9 * S,
                    gain: 0.0
                },
            ]
        );
        assert!(close(gain_at(&points, 2 * S), 0.25));
    }

    #[test]
    fn ducks_under_a_voice_with_the_dip_complete_as_it_starts() {
        let params = cue(0, 10 * S, 0, 0);
        let voice = (4 * S, 6 * S);
        let points = music_gain(&params, &[voice]);
        check_shape(&params, &points);
        let ducked = 0.5 * 0.4;
        assert!(close(gain_at(&points, 4 * S - DUCK_RAMP), 0.5));
        assert!(close(
            gain_at(&points, 4 * S - DUCK_RAMP / 2),
            (0.5 + ducked) / 2.0
        ));
        assert!(close(gain_at(&points, 4 * S), ducked));
        assert!(close(gain_at(&points, 5 * S), ducked));
        assert!(close(gain_at(&points, 6 * S), ducked));
        assert!(close(gain_at(&points, 6 * S + DUCK_RAMP), 0.5));
        assert_eq!(points.len(), 6, "{points:?}");
    }

    #[test]
    fn voices_closer_than_the_merge_gap_duck_as_one() {
        let params = cue(0, 20 * S, 0, 0);
        let lines = [
            (2 * S, 3 * S),
            (3 * S + 300_000, 5 * S),
            (5 * S + DUCK_MERGE_GAP, 6 * S),
        ];
        let points = music_gain(&params, &lines);
        check_shape(&params, &points);
        let ducked = 0.5 * 0.4;
        // Held down through the 0.3 s pause...
        for t in (3 * S..3 * S + 300_000).step_by(10_000) {
            assert!(close(gain_at(&points, t), ducked), "at {t}");
        }
        // ...but back up, for an instant, in the 0.4 s one.
        assert!(close(gain_at(&points, 5 * S + DUCK_RAMP), 0.5));
        assert!(close(gain_at(&points, 5 * S + DUCK_MERGE_GAP), ducked));
    }

    #[test]
    fn voice_at_the_cue_start_starts_ducked_and_unsorted_overlapping_voices_are_fine() {
        let params = cue(S, 8 * S, 0, 0);
        let points = music_gain(&params, &[(3 * S, 4 * S), (S, 2 * S), (S + 500_000, 3 * S)]);
        check_shape(&params, &points);
        assert!(close(gain_at(&points, S), 0.2));
        assert!(close(gain_at(&points, 4 * S), 0.2));
        assert!(close(gain_at(&points, 4 * S + DUCK_RAMP), 0.5));
    }

    #[test]
    fn voices_outside_the_cue_and_empty_voices_are_ignored() {
        let params = cue(5 * S, 8 * S, 0, 0);
        let voices = [(0, 4 * S), (9 * S, 10 * S), (6 * S, 6 * S), (7 * S, 6 * S)];
        let points = music_gain(&params, &voices);
        assert_eq!(points.len(), 2, "{points:?}");
        // A voice ending just before the cue still lifts the music back up in it.
        let points = music_gain(&params, &[(0, 5 * S - DUCK_RAMP / 2)]);
        check_shape(&params, &points);
        assert!(close(gain_at(&points, 5 * S), 0.5 * (0.4 + 0.6 * 0.5)));
    }

    #[test]
    fn fades_and_ducks_multiply_within_tolerance() {
        // A voice in the middle of a long fade-in, and one across the fade-out.
        let params = MusicParams {
            start: 0,
            end: 12 * S,
            volume: 0.8,
            fade_in: 5 * S,
            fade_out: 3 * S,
            duck: 0.3,
        };
        let voices = [(2 * S, 3 * S), (10 * S, 11 * S + 900_000)];
        let points = music_gain(&params, &voices);
        check_shape(&params, &points);
        let envelope = Envelope::new(&params, &voices);
        for t in (0..=12 * S).step_by(1_000) {
            let exact = 0.8 * envelope.factors(t).iter().product::<f64>();
            let err = (gain_at(&points, t) - exact).abs();
            assert!(err <= TOLERANCE * 0.8 + 1e-6, "at {t}: off by {err}");
        }
        assert_eq!(points.first().unwrap().gain, 0.0);
        assert_eq!(points.last().unwrap().gain, 0.0);
        // Mid-voice during the fade-in: volume × fade × duck.
        assert!((gain_at(&points, 2_500_000) - 0.8 * 0.5 * 0.3).abs() < 1e-6);
    }

    #[test]
    fn overlapping_fades_multiply() {
        // Fades longer than the cue: the gain never reaches the volume.
        let params = cue(0, 2 * S, 2 * S, 2 * S);
        let points = music_gain(&params, &[]);
        check_shape(&params, &points);
        let peak = points.iter().map(|p| p.gain).fold(0.0, f32::max);
        assert!(
            (f64::from(peak) - 0.5 * 0.25).abs() < 0.5 * TOLERANCE,
            "{peak}"
        );
    }

    #[test]
    fn degenerate_cues() {
        assert_eq!(
            music_gain(&cue(S, S, S, 0), &[]),
            vec![GainPoint { at: S, gain: 0.0 }]
        );
        assert_eq!(
            music_gain(&cue(S, 0, 0, 0), &[]),
            vec![GainPoint { at: S, gain: 0.5 }]
        );
        // One microsecond long, fades of a second: still a valid envelope.
        let params = cue(S, S + 1, S, S);
        check_shape(&params, &music_gain(&params, &[(0, 3 * S)]));
        // duck = 1: no ducking points at all.
        let params = MusicParams {
            duck: 1.0,
            ..cue(0, 10 * S, 0, 0)
        };
        assert_eq!(music_gain(&params, &[(S, 2 * S)]).len(), 2);
    }

    #[test]
    fn many_random_cues_keep_the_invariants() {
        // A small deterministic generator: no dev-dependency needed.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: i64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as i64
        };
        for _ in 0..300 {
            let start = next(5 * S);
            let params = MusicParams {
                start,
                end: start + 1 + next(20 * S),
                volume: (next(100) as f32) / 100.0,
                fade_in: next(4 * S),
                fade_out: next(4 * S),
                duck: (next(101) as f32) / 100.0,
            };
            let voices: Vec<_> = (0..next(8))
                .map(|_| {
                    let a = next(30 * S) - 2 * S;
                    (a, a + next(3 * S))
                })
                .collect();
            let points = music_gain(&params, &voices);
            check_shape(&params, &points);
            let envelope = Envelope::new(&params, &voices);
            let volume = f64::from(params.volume);
            for t in (params.start..=params.end).step_by(7_919) {
                let exact = volume * envelope.factors(t).iter().product::<f64>();
                let err = (gain_at(&points, t) - exact).abs();
                assert!(
                    err <= TOLERANCE * volume + 1e-6,
                    "{params:?} {voices:?} at {t}: {err}"
                );
                // Mid-voice (away from the fades), the gain is exactly volume × duck.
                let in_voice = voices.iter().any(|&(a, b)| a <= t && t < b);
                if in_voice && envelope.fade_in(t) == 1.0 && envelope.fade_out(t) == 1.0 {
                    let want = volume * f64::from(params.duck);
                    assert!((gain_at(&points, t) - want).abs() < 1e-6, "at {t}");
                }
            }
            if params.fade_in > 0 {
                assert_eq!(points[0].gain, 0.0);
            }
            if params.fade_out > 0 {
                assert_eq!(points.last().unwrap().gain, 0.0);
            }
        }
    }
}
