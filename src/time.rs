//! Time on the episode timeline: integer microseconds, and the one place that
//! converts between seconds, microseconds and frame numbers.
//!
//! Ranges include their start and exclude their end, as OpenTimelineIO's `TimeRange`.

/// An instant or a length in microseconds.
pub type Micros = i64;

pub const MICROS_PER_SECOND: Micros = 1_000_000;

/// Seconds as written in a manifest, rounded to the nearest microsecond.
pub fn from_seconds(seconds: f64) -> Micros {
    (seconds * MICROS_PER_SECOND as f64).round() as Micros
}

/// Microseconds as seconds, for JSON output and the page.
pub fn to_seconds(t: Micros) -> f64 {
    t as f64 / MICROS_PER_SECOND as f64
}

/// A frame rate as the rational `num / den` frames per second (30/1, 30000/1001, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fps {
    pub num: u32,
    pub den: u32,
}

impl Fps {
    /// Reads a rate written as a JSON number. The NTSC rates (23.976, 29.97, 59.94)
    /// become their exact `n·1000/1001` forms; any other rate is kept to 1/1000 fps.
    pub fn from_f64(fps: f64) -> Fps {
        for base in [24u32, 30, 48, 60, 120] {
            let ntsc = f64::from(base) * 1000.0 / 1001.0;
            if (fps - ntsc).abs() < 0.006 {
                return Fps {
                    num: base * 1000,
                    den: 1001,
                };
            }
        }
        if fps.fract() == 0.0 {
            return Fps {
                num: fps as u32,
                den: 1,
            };
        }
        let num = (fps * 1000.0).round() as u32;
        let g = gcd(num, 1000);
        Fps {
            num: num / g,
            den: 1000 / g,
        }
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }

    /// The instant frame `n` shows: `n / fps`, to the nearest microsecond.
    pub fn frame_start(self, n: i64) -> Micros {
        let num = i128::from(self.num);
        let t = i128::from(n) * i128::from(self.den) * i128::from(MICROS_PER_SECOND);
        // Round half away from zero, in integers, so every platform agrees.
        ((2 * t + num) / (2 * num)) as Micros
    }

    /// The frame on screen at instant `t`: the last frame whose start is at or before `t`.
    pub fn frame_at(self, t: Micros) -> i64 {
        let num = i128::from(self.num);
        let den = i128::from(self.den) * i128::from(MICROS_PER_SECOND);
        let mut n = (i128::from(t) * num).div_euclid(den) as i64;
        // frame_start rounds, so the floor can be one off either way.
        while self.frame_start(n + 1) <= t {
            n += 1;
        }
        while self.frame_start(n) > t {
            n -= 1;
        }
        n
    }

    /// The first frame whose start is at or after `t`: the first frame that shows what
    /// begins at `t` (a line, a shot, a note), since the frame on screen at `t` is the last
    /// one starting at or before it and may predate it.
    pub fn first_frame_from(self, t: Micros) -> i64 {
        let n = self.frame_at(t);
        if self.frame_start(n) < t { n + 1 } else { n }
    }

    /// Frame `n` as SMPTE timecode `HH:MM:SS:FF`, counting whole frames at the nominal
    /// rate (24 for 23.976, 30 for 29.97): non-drop-frame, as the review exports give it.
    pub fn timecode(self, n: i64) -> String {
        let rate = i64::from(self.num.div_ceil(self.den)).max(1);
        let n = n.max(0);
        let (f, s) = (n % rate, n / rate);
        format!("{:02}:{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60, f)
    }

    /// How many frames an episode of length `duration` has (the last one starts before the end).
    pub fn frame_count(self, duration: Micros) -> i64 {
        if duration <= 0 {
            return 0;
        }
        self.frame_at(duration - 1) + 1
    }
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_round_to_the_nearest_microsecond() {
        assert_eq!(from_seconds(2.5), 2_500_000);
        assert_eq!(from_seconds(0.1234564), 123_456);
        assert_eq!(from_seconds(0.1234566), 123_457);
        assert_eq!(to_seconds(1_500_000), 1.5);
    }

    #[test]
    fn frames_at_integer_rates() {
        let fps = Fps::from_f64(30.0);
        assert_eq!(fps, Fps { num: 30, den: 1 });
        assert_eq!(fps.frame_start(1), 33_333);
        assert_eq!(fps.frame_start(2), 66_667);
        assert_eq!(fps.frame_start(30), 1_000_000);
        assert_eq!(fps.frame_at(33_332), 0);
        assert_eq!(fps.frame_at(33_333), 1);
        assert_eq!(fps.frame_at(1_000_000), 30);
        assert_eq!(fps.frame_count(1_000_000), 30);
        assert_eq!(fps.frame_count(1_000_001), 31);
    }

    #[test]
    fn ntsc_rates_are_exact() {
        let fps = Fps::from_f64(29.97);
        assert_eq!(
            fps,
            Fps {
                num: 30000,
                den: 1001
            }
        );
        assert_eq!(fps.frame_start(30000), 1001 * MICROS_PER_SECOND);
        assert_eq!(Fps::from_f64(12.5), Fps { num: 25, den: 2 });
    }

    #[test]
    fn the_first_frame_that_shows_an_instant() {
        let fps = Fps::from_f64(30.0);
        // 12.0149 s is on frame 360 (12.000 s), which starts before it: 361 shows it.
        assert_eq!(fps.frame_at(12_014_900), 360);
        assert_eq!(fps.first_frame_from(12_014_900), 361);
        assert_eq!(fps.first_frame_from(12_000_000), 360);
        assert_eq!(fps.first_frame_from(0), 0);
        let ntsc = Fps::from_f64(23.976);
        for n in 0..2000 {
            let start = ntsc.frame_start(n);
            assert_eq!(ntsc.first_frame_from(start), n);
            assert_eq!(ntsc.first_frame_from(start + 1), n + 1);
        }
    }

    #[test]
    fn timecode_counts_frames_at_the_nominal_rate() {
        let fps = Fps::from_f64(30.0);
        assert_eq!(fps.timecode(0), "00:00:00:00");
        assert_eq!(fps.timecode(361), "00:00:12:01");
        assert_eq!(fps.timecode(30 * 3661 + 7), "01:01:01:07");
        let ntsc = Fps::from_f64(23.976);
        assert_eq!(ntsc.timecode(23), "00:00:00:23");
        assert_eq!(ntsc.timecode(24), "00:00:01:00");
        assert_eq!(Fps::from_f64(29.97).timecode(45), "00:00:01:15");
    }

    #[test]
    fn frame_at_inverts_frame_start() {
        for fps in [
            Fps::from_f64(24.0),
            Fps::from_f64(29.97),
            Fps::from_f64(60.0),
        ] {
            for n in 0..500 {
                assert_eq!(fps.frame_at(fps.frame_start(n)), n);
                assert_eq!(fps.frame_at(fps.frame_start(n + 1) - 1), n);
            }
        }
    }
}
