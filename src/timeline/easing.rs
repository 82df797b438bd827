//! CSS easing functions: `linear`, the named cubic Béziers, `cubic-bezier(…)` and steps.

/// How progress through an interval maps to progress of the value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ease {
    Linear,
    /// CSS `cubic-bezier(x1, y1, x2, y2)`; x1 and x2 lie in [0, 1].
    CubicBezier(f64, f64, f64, f64),
    StepStart,
    StepEnd,
}

impl Ease {
    pub const EASE: Ease = Ease::CubicBezier(0.25, 0.1, 0.25, 1.0);
    pub const EASE_IN: Ease = Ease::CubicBezier(0.42, 0.0, 1.0, 1.0);
    pub const EASE_OUT: Ease = Ease::CubicBezier(0.0, 0.0, 0.58, 1.0);
    pub const EASE_IN_OUT: Ease = Ease::CubicBezier(0.42, 0.0, 0.58, 1.0);

    /// Parses a CSS easing name or `cubic-bezier(x1, y1, x2, y2)`.
    pub fn parse(s: &str) -> Result<Ease, String> {
        let s = s.trim();
        Ok(match s {
            "linear" => Ease::Linear,
            "ease" => Ease::EASE,
            "ease-in" => Ease::EASE_IN,
            "ease-out" => Ease::EASE_OUT,
            "ease-in-out" => Ease::EASE_IN_OUT,
            "step-start" => Ease::StepStart,
            "step-end" => Ease::StepEnd,
            _ => {
                let inner = s
                    .strip_prefix("cubic-bezier(")
                    .and_then(|r| r.strip_suffix(')'))
                    .ok_or_else(|| {
                        format!(
                            "unknown easing `{s}` (expected linear, ease, ease-in, ease-out, \
                             ease-in-out, step-start, step-end or cubic-bezier(x1, y1, x2, y2))"
                        )
                    })?;
                let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
                let nums: Vec<f64> = parts.iter().filter_map(|p| p.parse::<f64>().ok()).collect();
                if parts.len() != 4 || nums.len() != 4 || nums.iter().any(|n| !n.is_finite()) {
                    return Err(format!("`{s}`: cubic-bezier takes four numbers"));
                }
                if !(0.0..=1.0).contains(&nums[0]) || !(0.0..=1.0).contains(&nums[2]) {
                    return Err(format!("`{s}`: x1 and x2 must lie between 0 and 1"));
                }
                Ease::CubicBezier(nums[0], nums[1], nums[2], nums[3])
            }
        })
    }

    /// Eased progress for linear progress `x` (clamped to [0, 1]).
    pub fn apply(self, x: f64) -> f64 {
        let x = x.clamp(0.0, 1.0);
        match self {
            Ease::Linear => x,
            Ease::StepStart => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Ease::StepEnd => {
                if x >= 1.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Ease::CubicBezier(x1, y1, x2, y2) => {
                if x == 0.0 || x == 1.0 {
                    return x;
                }
                let t = solve_t(x, x1, x2);
                bezier(t, y1, y2)
            }
        }
    }
}

/// One coordinate of a cubic Bézier from (0,0) to (1,1) with control values a and b.
fn bezier(t: f64, a: f64, b: f64) -> f64 {
    let u = 1.0 - t;
    3.0 * u * u * t * a + 3.0 * u * t * t * b + t * t * t
}

fn bezier_slope(t: f64, a: f64, b: f64) -> f64 {
    let u = 1.0 - t;
    3.0 * u * u * a + 6.0 * u * t * (b - a) + 3.0 * t * t * (1.0 - b)
}

/// The parameter t at which the curve's x equals `x`: Newton's method, falling back to
/// bisection where the slope is flat (as browsers do). x(t) is monotonic for x1, x2 in [0, 1].
fn solve_t(x: f64, x1: f64, x2: f64) -> f64 {
    let mut t = x;
    for _ in 0..8 {
        let err = bezier(t, x1, x2) - x;
        if err.abs() < 1e-9 {
            return t;
        }
        let slope = bezier_slope(t, x1, x2);
        if slope.abs() < 1e-7 {
            break;
        }
        t -= err / slope;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    t = x;
    for _ in 0..60 {
        let v = bezier(t, x1, x2);
        if (v - x).abs() < 1e-9 {
            break;
        }
        if v < x {
            lo = t
        } else {
            hi = t
        }
        t = 0.5 * (lo + hi);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_curves_match_css() {
        // Reference values from the CSS definitions (y at x = 0.5), computed with an
        // independent bisection solver (python, 200 iterations).
        let cases = [
            (Ease::EASE, 0.802403387584857),
            (Ease::EASE_IN, 0.31535681257253945),
            (Ease::EASE_OUT, 0.6846431874274606),
            (Ease::EASE_IN_OUT, 0.5),
        ];
        for (ease, y) in cases {
            assert!(
                (ease.apply(0.5) - y).abs() < 1e-6,
                "{ease:?}: {} vs {y}",
                ease.apply(0.5)
            );
        }
        assert_eq!(Ease::Linear.apply(0.25), 0.25);
    }

    #[test]
    fn ends_are_exact_and_monotonic() {
        for ease in [
            Ease::EASE,
            Ease::EASE_IN,
            Ease::EASE_OUT,
            Ease::EASE_IN_OUT,
            Ease::CubicBezier(0.1, 0.9, 0.2, 1.0),
        ] {
            assert_eq!(ease.apply(0.0), 0.0);
            assert_eq!(ease.apply(1.0), 1.0);
            let mut last = 0.0;
            for i in 1..=100 {
                let y = ease.apply(f64::from(i) / 100.0);
                assert!(y >= last - 1e-12, "{ease:?} not monotonic at {i}");
                last = y;
            }
        }
    }

    #[test]
    fn steps() {
        assert_eq!(Ease::StepStart.apply(0.0), 0.0);
        assert_eq!(Ease::StepStart.apply(0.01), 1.0);
        assert_eq!(Ease::StepEnd.apply(0.99), 0.0);
        assert_eq!(Ease::StepEnd.apply(1.0), 1.0);
    }

    #[test]
    fn overshooting_bezier() {
        let back = Ease::parse("cubic-bezier(0.34, 1.56, 0.64, 1)").unwrap();
        let peak = (1..100)
            .map(|i| back.apply(f64::from(i) / 100.0))
            .fold(0.0, f64::max);
        assert!(peak > 1.05, "a back-out curve overshoots 1, got {peak}");
    }

    #[test]
    fn parse_errors() {
        assert!(
            Ease::parse("ease-inout")
                .unwrap_err()
                .contains("unknown easing")
        );
        assert!(
            Ease::parse("cubic-bezier(1, 2, 3)")
                .unwrap_err()
                .contains("four numbers")
        );
        assert!(
            Ease::parse("cubic-bezier(1.5, 0, 0.5, 1)")
                .unwrap_err()
                .contains("between 0 and 1")
        );
        assert_eq!(
            Ease::parse(" cubic-bezier(0.42,0,0.58,1) ").unwrap(),
            Ease::EASE_IN_OUT
        );
    }
}
