//! Drawing a transformed rectangle of texels: for each screen row, the span of pixels
//! whose centres fall inside the rectangle, sampled (see `texels`) and blended onto the
//! row, or onto a colour the target is still to be cleared to (`Under`).

use super::kernels;
use super::texels::{Coords, ONE, RowBuffers, Texels, with_samples};
use crate::model::Blend;
use crate::timeline::Affine;

/// Where to draw: rows of pixels and the clip rectangle (in whole pixels).
pub struct Target<'a> {
    /// Rows `top..` of a frame `width` pixels wide.
    pub data: &'a mut [u8],
    pub width: usize,
    pub top: i64,
    pub clip: [i64; 4], // x0, y0, x1, y1 (exclusive)
}

impl Target<'_> {
    /// Pixels `x0..x1` of row `y`.
    pub fn row(&mut self, y: i64, x0: i64, x1: i64) -> &mut [u8] {
        let start = ((y - self.top) as usize * self.width + x0 as usize) * 4;
        &mut self.data[start..start + (x1 - x0) as usize * 4]
    }
}

/// What the target holds under the drawing.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Under {
    /// Its own pixels.
    Pixels,
    /// Nothing written yet: every pixel of the clip is to be this (premultiplied) colour.
    /// The drawing writes the whole clip, the colour where the rectangle does not reach,
    /// so a frame is not cleared first only to be painted over.
    Uniform(u32),
    /// The drawing and the uniform colour `base` around it are a layer of their own,
    /// laid over the target's pixels at opacity `alpha` (0..=256) row by row as it is
    /// drawn: the same pixels as drawing onto `Uniform(base)` in scratch rows and laying
    /// those over, without the scratch rows.
    Layer { base: u32, alpha: u32 },
}

/// Draws `texels` mapped by `to_screen` (from texel-rectangle coordinates) into `target`.
#[allow(clippy::too_many_arguments)] // one drawing's whole description; a struct would only rename them
pub fn draw<T: Texels>(
    target: &mut Target,
    texels: &T,
    origin: [f64; 2],
    to_screen: Affine,
    opacity: f32,
    mode: Blend,
    under: Under,
    bufs: &mut RowBuffers,
) {
    let [cx0, cy0, cx1, cy1] = target.clip;
    if cx0 >= cx1 || cy0 >= cy1 {
        return;
    }
    let alpha = (f64::from(opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
    let inv = to_screen.invert().filter(|_| alpha > 0);
    // Where the drawing does not reach.
    let around = |target: &mut Target, y: i64, x0: i64, x1: i64| match under {
        Under::Pixels => {}
        Under::Uniform(c) => kernels::set(target.row(y, x0, x1), c),
        Under::Layer { base, alpha } => {
            if base != 0 && x0 < x1 {
                kernels::fill(target.row(y, x0, x1), base, alpha);
            }
        }
    };
    let Some(inv) = inv else {
        for y in cy0..cy1 {
            around(target, y, cx0, cx1);
        }
        return;
    };
    let geometry = Geometry::new(texels.size(), origin, inv, to_screen, target.clip);
    let opaque = texels.opaque();
    // The rows this drawing covers here, read ahead together (see `Texels::read_ahead`):
    // with SIMD, where the row passes are quick enough to wait on memory (the scalar ones
    // are not, and reading ahead only costs them 2–3 %).
    let (first, last) = (geometry.rows.start.max(cy0), geometry.rows.end.min(cy1) - 1);
    if cfg!(target_feature = "simd128")
        && let (Some(a), Some(b)) = (geometry.row(first), geometry.row(last))
        && a.x1 - a.x0 == b.x1 - b.x0
    {
        texels.read_ahead(a.at, b.at, (a.x1 - a.x0) as usize);
    }
    for y in cy0..cy1 {
        let Some(RowSpan { x0, x1, at }) = geometry.row(y) else {
            around(target, y, cx0, cx1);
            continue;
        };
        around(target, y, cx0, x0);
        around(target, y, x1, cx1);
        match under {
            Under::Uniform(c) => {
                // Sampled straight into the frame, then laid on the colour in place
                // (nothing to do for opaque texels at full opacity).
                let row = target.row(y, x0, x1);
                texels.sample_row(at, row, bufs);
                if mode != Blend::Normal {
                    kernels::blend_base(row, c, alpha, mode);
                } else if !(opaque && alpha == 256) {
                    kernels::over_base(row, c, alpha);
                }
            }
            Under::Layer { alpha: layer, .. }
                if opaque && alpha == 256 && mode == Blend::Normal =>
            {
                // The picture is the layer here: laid over as it is sampled.
                texels.sample_row_over(at, target.row(y, x0, x1), layer, bufs);
            }
            Under::Layer { base, alpha: layer } => {
                let row = target.row(y, x0, x1);
                with_samples(bufs, row.len(), |s, bufs| {
                    texels.sample_row(at, s, bufs);
                    if mode != Blend::Normal {
                        kernels::blend_base(s, base, alpha, mode);
                    } else if !(opaque && alpha == 256) {
                        kernels::over_base(s, base, alpha);
                    }
                    kernels::over_rows(row, s, layer);
                });
            }
            Under::Pixels if opaque && alpha == 256 && mode == Blend::Normal => {
                texels.sample_row(at, target.row(y, x0, x1), bufs);
            }
            Under::Pixels if mode == Blend::Normal => {
                texels.sample_row_over(at, target.row(y, x0, x1), alpha, bufs);
            }
            Under::Pixels => {
                let row = target.row(y, x0, x1);
                with_samples(bufs, row.len(), |s, bufs| {
                    texels.sample_row(at, s, bufs);
                    kernels::blend_rows(row, s, alpha, mode);
                });
            }
        }
    }
}

/// Where a drawing lands on one row: pixels `x0..x1`, and the texture coordinates of
/// pixel x0 and their steps per pixel (offset by the rectangle's origin and by half a
/// texel: see `Texels::sample`).
pub struct RowSpan {
    pub x0: i64,
    pub x1: i64,
    pub at: Coords,
}

/// A `w × h` texel rectangle mapped to the screen, inside a clip: which pixels of each
/// row it covers (those whose centres map inside it) and at which texture coordinates.
pub struct Geometry {
    /// Screen → texel-rectangle coordinates.
    inv: [f64; 6],
    size: (f64, f64),
    origin: [f64; 2],
    clip: [i64; 4],
    /// Rows that may be covered.
    rows: std::ops::Range<i64>,
}

impl Geometry {
    /// `inv` is the inverse of `to_screen`.
    pub fn new(
        size: (f64, f64),
        origin: [f64; 2],
        inv: Affine,
        to_screen: Affine,
        clip: [i64; 4],
    ) -> Geometry {
        let (w, h) = size;
        // The screen bounding box of the rectangle, inside the clip.
        let corners = [
            to_screen.apply(0.0, 0.0),
            to_screen.apply(w, 0.0),
            to_screen.apply(0.0, h),
            to_screen.apply(w, h),
        ];
        let min_y = corners.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
        let max_y = corners
            .iter()
            .map(|c| c.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let y0 = (min_y.floor() as i64).max(clip[1]);
        let y1 = (max_y.ceil() as i64).min(clip[3]);
        Geometry {
            inv: inv.0,
            size,
            origin,
            clip,
            rows: y0..y1,
        }
    }

    /// The span of row `y`; `None` when the rectangle covers none of it.
    pub fn row(&self, y: i64) -> Option<RowSpan> {
        if !self.rows.contains(&y) {
            return None;
        }
        let [ia, ib, ic, id, ie, if_] = self.inv;
        let (w, h) = self.size;
        let clip = self.clip;
        let sy = y as f64 + 0.5;
        // Texel-rectangle coordinates of the centre of pixel (x, y): u0 + ia·x, v0 + ib·x.
        let u0 = ia * 0.5 + ic * sy + ie;
        let v0 = ib * 0.5 + id * sy + if_;
        let (mut lo, mut hi) = (clip[0] as f64, clip[2] as f64);
        for (start, step, limit) in [(u0, ia, w), (v0, ib, h)] {
            if step == 0.0 {
                if start < 0.0 || start >= limit {
                    lo = hi;
                }
            } else {
                let (a, b) = ((0.0 - start) / step, (limit - start) / step);
                let (enter, leave) = if step > 0.0 { (a, b) } else { (b, a) };
                lo = lo.max(enter);
                hi = hi.min(leave);
            }
        }
        let x0 = lo.ceil().max(clip[0] as f64) as i64;
        let x1 = (hi.ceil() as i64).min(clip[2]);
        if x0 >= x1 {
            return None;
        }
        // Fixed point, offset by the rectangle's origin and by half a texel.
        let fixed = |f: f64| (f * ONE as f64).round() as i64;
        let xf = x0 as f64;
        Some(RowSpan {
            x0,
            x1,
            at: Coords {
                u: fixed(u0 + ia * xf + self.origin[0] - 0.5),
                du: fixed(ia),
                v: fixed(v0 + ib * xf + self.origin[1] - 0.5),
                dv: fixed(ib),
            },
        })
    }
}
