//! The outlines of balloons, boxes and tails, in screen pixels. Curves are quadratic
//! (see `font::glyph_path` for why) and every sine, cosine and power comes from libm.

use std::f64::consts::PI;
use tiny_skia::{Path, PathBuilder};

type Pt = (f64, f64);

/// A balloon's body: an axis-aligned superellipse `|x/a|^n + |y/b|^n = 1` around its centre
/// (n = 2 is an ellipse; n → ∞ a rectangle).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Body {
    pub cx: f64,
    pub cy: f64,
    pub a: f64,
    pub b: f64,
    pub n: f64,
}

impl Body {
    /// The boundary point at parameter `t` (radians).
    pub fn point(&self, t: f64) -> Pt {
        let e = 2.0 / self.n;
        let (s, c) = (libm::sin(t), libm::cos(t));
        let f = |v: f64| {
            if e == 1.0 {
                v
            } else {
                libm::copysign(libm::pow(v.abs(), e), v)
            }
        };
        (self.cx + self.a * f(c), self.cy + self.b * f(s))
    }

    /// Distance from the centre to the boundary in direction `u` (a unit vector).
    pub fn reach(&self, u: Pt) -> f64 {
        let (x, y) = ((u.0 / self.a).abs(), (u.1 / self.b).abs());
        let sum = libm::pow(x, self.n) + libm::pow(y, self.n);
        if sum <= 0.0 {
            0.0
        } else {
            libm::pow(sum, -1.0 / self.n)
        }
    }

    /// The outline, `samples` points joined by quadratic curves through their midpoints
    /// (so the outline is smooth; it runs a hair inside the true curve).
    pub fn path(&self, samples: usize) -> Path {
        let pts: Vec<Pt> = (0..samples)
            .map(|i| self.point(2.0 * PI * i as f64 / samples as f64))
            .collect();
        smooth_closed(&pts)
    }

    /// `count` points spaced evenly along the boundary, with the outward direction there
    /// (from the centre).
    pub fn even_points(&self, count: usize) -> Vec<(Pt, Pt)> {
        const FINE: usize = 720;
        let fine: Vec<Pt> = (0..=FINE)
            .map(|i| self.point(2.0 * PI * i as f64 / FINE as f64))
            .collect();
        let mut acc = vec![0.0; FINE + 1];
        for i in 1..=FINE {
            acc[i] = acc[i - 1] + dist(fine[i - 1], fine[i]);
        }
        let total = acc[FINE];
        let mut out = Vec::with_capacity(count);
        let mut j = 0;
        for k in 0..count {
            let target = total * k as f64 / count as f64;
            while j + 1 < FINE && acc[j + 1] < target {
                j += 1;
            }
            let span = acc[j + 1] - acc[j];
            let f = if span > 0.0 {
                (target - acc[j]) / span
            } else {
                0.0
            };
            let p = lerp(fine[j], fine[j + 1], f);
            out.push((p, unit((p.0 - self.cx, p.1 - self.cy))));
        }
        out
    }

    pub fn perimeter(&self) -> f64 {
        const FINE: usize = 360;
        (0..FINE)
            .map(|i| {
                let t0 = 2.0 * PI * i as f64 / FINE as f64;
                let t1 = 2.0 * PI * (i + 1) as f64 / FINE as f64;
                dist(self.point(t0), self.point(t1))
            })
            .sum()
    }
}

fn dist(p: Pt, q: Pt) -> f64 {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    (dx * dx + dy * dy).sqrt()
}

fn lerp(p: Pt, q: Pt, t: f64) -> Pt {
    (p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t)
}

fn unit(v: Pt) -> Pt {
    let l = (v.0 * v.0 + v.1 * v.1).sqrt();
    if l > 0.0 {
        (v.0 / l, v.1 / l)
    } else {
        (1.0, 0.0)
    }
}

/// A closed smooth curve with `pts` as the control points of quadratic pieces joined at
/// their midpoints.
fn smooth_closed(pts: &[Pt]) -> Path {
    let n = pts.len();
    let mut pb = PathBuilder::new();
    let m0 = lerp(pts[n - 1], pts[0], 0.5);
    pb.move_to(m0.0 as f32, m0.1 as f32);
    for i in 0..n {
        let c = pts[i];
        let m = lerp(pts[i], pts[(i + 1) % n], 0.5);
        pb.quad_to(c.0 as f32, c.1 as f32, m.0 as f32, m.1 as f32);
    }
    pb.close();
    pb.finish().expect("a closed curve")
}

fn polygon(pts: &[Pt]) -> Path {
    let mut pb = PathBuilder::new();
    pb.move_to(pts[0].0 as f32, pts[0].1 as f32);
    for p in &pts[1..] {
        pb.line_to(p.0 as f32, p.1 as f32);
    }
    pb.close();
    pb.finish().expect("a polygon")
}

/// A circle of eight quadratic arcs (off by less than 0.03 % of the radius).
pub fn circle(c: Pt, r: f64) -> Path {
    // Control points of 45° arcs sit at r / cos(22.5°).
    let k = r / 0.923_879_532_511_286_7;
    let mut pb = PathBuilder::new();
    pb.move_to((c.0 + r) as f32, c.1 as f32);
    for i in 0..8 {
        let mid = (2 * i + 1) as f64 * PI / 8.0;
        let end = (i + 1) as f64 * PI / 4.0;
        pb.quad_to(
            (c.0 + k * libm::cos(mid)) as f32,
            (c.1 + k * libm::sin(mid)) as f32,
            (c.0 + r * libm::cos(end)) as f32,
            (c.1 + r * libm::sin(end)) as f32,
        );
    }
    pb.close();
    pb.finish().expect("a circle")
}

/// A rectangle, its corners rounded by `r`.
pub fn rect(x: f64, y: f64, w: f64, h: f64, r: f64) -> Path {
    let r = r.min(w * 0.5).min(h * 0.5).max(0.0);
    let (x0, y0, x1, y1) = (x as f32, y as f32, (x + w) as f32, (y + h) as f32);
    let mut pb = PathBuilder::new();
    if r <= 0.0 {
        pb.push_rect(tiny_skia::Rect::from_ltrb(x0, y0, x1, y1).expect("a rectangle"));
        return pb.finish().expect("a rectangle");
    }
    // Quadratic corners, their control points pulled in towards the arc.
    let r = r as f32;
    let k = r * 0.55;
    pb.move_to(x0 + r, y0);
    pb.line_to(x1 - r, y0);
    pb.cubic_to(x1 - r + k, y0, x1, y0 + r - k, x1, y0 + r);
    pb.line_to(x1, y1 - r);
    pb.cubic_to(x1, y1 - r + k, x1 - r + k, y1, x1 - r, y1);
    pb.line_to(x0 + r, y1);
    pb.cubic_to(x0 + r - k, y1, x0, y1 - r + k, x0, y1 - r);
    pb.line_to(x0, y0 + r);
    pb.cubic_to(x0, y0 + r - k, x0 + r - k, y0, x0 + r, y0);
    pb.close();
    let path = pb.finish().expect("a rounded rectangle");
    quadratic(&path)
}

/// The path with each cubic replaced by two quadratics (good to a tiny fraction of a
/// pixel for the small corner arcs drawn here).
fn quadratic(path: &Path) -> Path {
    let mut pb = PathBuilder::new();
    let mut last = tiny_skia::Point::zero();
    for seg in path.segments() {
        match seg {
            tiny_skia::PathSegment::MoveTo(p) => {
                pb.move_to(p.x, p.y);
                last = p;
            }
            tiny_skia::PathSegment::LineTo(p) => {
                pb.line_to(p.x, p.y);
                last = p;
            }
            tiny_skia::PathSegment::QuadTo(c, p) => {
                pb.quad_to(c.x, c.y, p.x, p.y);
                last = p;
            }
            tiny_skia::PathSegment::CubicTo(c1, c2, p) => {
                let m = |a: tiny_skia::Point, b: tiny_skia::Point| {
                    tiny_skia::Point::from_xy((a.x + b.x) * 0.5, (a.y + b.y) * 0.5)
                };
                let (a, b, c) = (m(last, c1), m(c1, c2), m(c2, p));
                let (ab, bc) = (m(a, b), m(b, c));
                let mid = m(ab, bc);
                let q1 = tiny_skia::Point::from_xy(
                    (3.0 * (a.x + ab.x) - last.x - mid.x) * 0.25,
                    (3.0 * (a.y + ab.y) - last.y - mid.y) * 0.25,
                );
                let q2 = tiny_skia::Point::from_xy(
                    (3.0 * (bc.x + c.x) - mid.x - p.x) * 0.25,
                    (3.0 * (bc.y + c.y) - mid.y - p.y) * 0.25,
                );
                pb.quad_to(q1.x, q1.y, mid.x, mid.y);
                pb.quad_to(q2.x, q2.y, p.x, p.y);
                last = p;
            }
            tiny_skia::PathSegment::Close => {
                pb.close();
            }
        }
    }
    pb.finish().expect("a path")
}

/// A shout balloon's starburst around `body`: `spikes` points thrust out by about `depth`,
/// their lengths varied in a fixed pattern so that it looks drawn, not computed.
pub fn starburst(body: &Body, depth: f64) -> Path {
    let spikes = ((body.perimeter() / (depth * 1.5)).round() as usize).clamp(10, 40);
    let around = body.even_points(spikes * 2);
    const VARY: [f64; 7] = [1.0, 0.72, 1.18, 0.86, 1.08, 0.66, 0.95];
    let pts: Vec<Pt> = around
        .iter()
        .enumerate()
        .map(|(i, &(p, u))| {
            let out = if i % 2 == 0 {
                depth * VARY[(i / 2) % VARY.len()]
            } else {
                -depth * 0.08
            };
            (p.0 + u.0 * out, p.1 + u.1 * out)
        })
        .collect();
    polygon(&pts)
}

/// A thought balloon's cloud: round bumps of radius about `bump` centred along the body's
/// edge. Drawn with the body, their outer edge makes the cloud's outline.
pub fn cloud(body: &Body, bump: f64) -> Vec<Path> {
    let count = ((body.perimeter() / (bump * 1.45)).round() as usize).max(7);
    let spacing = body.perimeter() / count as f64;
    const VARY: [f64; 5] = [1.0, 0.88, 1.1, 0.94, 1.04];
    body.even_points(count)
        .iter()
        .enumerate()
        .map(|(i, &(p, _))| circle(p, spacing * 0.68 * VARY[i % VARY.len()]))
        .collect()
}

/// A tail from inside the body at `from` to `tip`, `half_base` wide either side at its
/// root, bowed a little to one side like a drawn one.
pub fn tail(from: Pt, tip: Pt, half_base: f64) -> Path {
    let u = unit((tip.0 - from.0, tip.1 - from.1));
    let len = dist(from, tip);
    let p = (-u.1, u.0);
    let bend = len * 0.12 * if u.0 >= 0.0 { 1.0 } else { -1.0 };
    let b1 = (from.0 + p.0 * half_base, from.1 + p.1 * half_base);
    let b2 = (from.0 - p.0 * half_base, from.1 - p.1 * half_base);
    let c1 = lerp(b1, tip, 0.55);
    let c2 = lerp(b2, tip, 0.55);
    let mut pb = PathBuilder::new();
    pb.move_to(b1.0 as f32, b1.1 as f32);
    pb.quad_to(
        (c1.0 + p.0 * bend) as f32,
        (c1.1 + p.1 * bend) as f32,
        tip.0 as f32,
        tip.1 as f32,
    );
    pb.quad_to(
        (c2.0 + p.0 * bend) as f32,
        (c2.1 + p.1 * bend) as f32,
        b2.0 as f32,
        b2.1 as f32,
    );
    pb.close();
    pb.finish().expect("a tail")
}

/// A straight, sharp tail (for shouts and boxes).
pub fn wedge(from: Pt, tip: Pt, half_base: f64) -> Path {
    let u = unit((tip.0 - from.0, tip.1 - from.1));
    let p = (-u.1, u.0);
    polygon(&[
        (from.0 + p.0 * half_base, from.1 + p.1 * half_base),
        tip,
        (from.0 - p.0 * half_base, from.1 - p.1 * half_base),
    ])
}

/// A thought balloon's trail: three shrinking circles from the edge `from` towards `tip`.
pub fn trail(from: Pt, tip: Pt, first_radius: f64) -> Vec<Path> {
    let gap = dist(from, tip);
    let r0 = first_radius.min(gap * 0.16);
    [(0.24, 1.0), (0.58, 0.68), (0.88, 0.42)]
        .iter()
        .map(|&(at, k)| circle(lerp(from, tip, at), r0 * k))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ellipse_body_reaches_its_axes() {
        let e = Body {
            cx: 0.0,
            cy: 0.0,
            a: 100.0,
            b: 50.0,
            n: 2.0,
        };
        assert!((e.reach((1.0, 0.0)) - 100.0).abs() < 1e-9);
        assert!((e.reach((0.0, 1.0)) - 50.0).abs() < 1e-9);
        // Ramanujan: π(3(a+b) − √((3a+b)(a+3b))) ≈ 484.42.
        assert!((e.perimeter() - 484.42).abs() < 0.1, "{}", e.perimeter());
        let pts = e.even_points(4);
        assert!((pts[0].0.0 - 100.0).abs() < 1e-6);
        assert!((pts[2].0.0 + 100.0).abs() < 0.5, "{:?}", pts[2]);
    }

    #[test]
    fn circles_and_rects_have_the_size_asked() {
        let b = circle((50.0, 50.0), 10.0).bounds();
        assert!((b.left() - 40.0).abs() < 0.01 && (b.bottom() - 60.0).abs() < 0.01);
        let r = rect(10.0, 20.0, 100.0, 50.0, 8.0);
        assert!(
            r.segments()
                .all(|s| !matches!(s, tiny_skia::PathSegment::CubicTo(..)))
        );
        assert_eq!(r.bounds().right(), 110.0);
    }
}
