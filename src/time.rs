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
