//! Drawing a transformed rectangle of texels: for each screen row, the span of pixels
//! whose centres fall inside the rectangle, sampled bilinearly in premultiplied space
//! (so edges against transparency do not darken) with integer arithmetic.

use super::blend::{blend, lerp, load, over, scale};
use crate::model::Blend;
use crate::timeline::Affine;

/// Fractional bits of the fixed-point texture coordinates.
const FRAC: u32 = 32;
const ONE: i64 = 1 << FRAC;

/// Where to draw: the target pixels and the clip rectangle (in whole pixels).
pub struct Target<'a> {
    pub data: &'a mut [u8],
    pub width: usize,
    pub clip: [i64; 4], // x0, y0, x1, y1 (exclusive)
}

/// A source of premultiplied texels over a `w × h` rectangle.
pub trait Texels {
    fn size(&self) -> (f64, f64);
    /// The pixel at texture coordinates `(u, v)` in 32.32 fixed point, already shifted
    /// by half a texel so that integer values fall on texel centres.
    fn sample(&self, u: i64, v: i64) -> u32;

    /// Samples a row of pixels: `out[i] = sample(u + i·du, v + i·dv)`. `scratch` is room
    /// for implementations that need a second row.
    fn sample_row(
        &self,
        u: i64,
        du: i64,
        v: i64,
        dv: i64,
        out: &mut [u32],
        scratch: &mut Vec<u32>,
    ) {
        let _ = scratch;
        let (mut u, mut v) = (u, v);
        for o in out {
            *o = self.sample(u, v);
            u += du;
            v += dv;
        }
    }
}

/// Bilinear sampling of a rectangle of an RGBA8 image, clamped to the rectangle's edges.
pub struct Bilinear<'a> {
    pub data: &'a [u8],
    pub stride: usize,
    /// The rectangle in image pixels: origin (may be fractional) and size.
    pub rect: [f64; 4],
    /// Whole texels the samples may read: x0, y0, x1, y1 inclusive.
    pub bounds: [i64; 4],
}

impl<'a> Bilinear<'a> {
    pub fn new(data: &'a [u8], width: u32, height: u32, rect: [f64; 4]) -> Bilinear<'a> {
        let x0 = (rect[0].floor() as i64).clamp(0, i64::from(width) - 1);
        let y0 = (rect[1].floor() as i64).clamp(0, i64::from(height) - 1);
        let x1 = ((rect[0] + rect[2]).ceil() as i64 - 1).clamp(x0, i64::from(width) - 1);
        let y1 = ((rect[1] + rect[3]).ceil() as i64 - 1).clamp(y0, i64::from(height) - 1);
        Bilinear {
            data,
            stride: width as usize * 4,
            rect,
            bounds: [x0, y0, x1, y1],
        }
    }
}

impl Texels for Bilinear<'_> {
    fn size(&self) -> (f64, f64) {
        (self.rect[2], self.rect[3])
    }

    #[inline(always)]
    fn sample(&self, u: i64, v: i64) -> u32 {
        let [bx0, by0, bx1, by1] = self.bounds;
        let (mut x, mut fx) = (u >> FRAC, ((u >> (FRAC - 8)) & 0xff) as u32);
        let (mut y, mut fy) = (v >> FRAC, ((v >> (FRAC - 8)) & 0xff) as u32);
        if x < bx0 {
            x = bx0;
            fx = 0;
        } else if x >= bx1 {
            x = bx1;
            fx = 0;
        }
        if y < by0 {
            y = by0;
            fy = 0;
        } else if y >= by1 {
            y = by1;
            fy = 0;
        }
        let i = y as usize * self.stride + x as usize * 4;
        let d = self.data;
        let p00 = load(&d[i..]);
        let top = if fx > 0 {
            lerp(p00, load(&d[i + 4..]), fx)
        } else {
            p00
        };
        if fy == 0 {
            return top;
        }
        let j = i + self.stride;
        let p01 = load(&d[j..]);
        let bottom = if fx > 0 {
            lerp(p01, load(&d[j + 4..]), fx)
        } else {
            p01
        };
        lerp(top, bottom, fy)
    }
}

/// Two mipmap levels blended: `fine` (level L) and `coarse` (level L + 1) by `frac`/256,
/// so a zoom that crosses from one level to the next changes the picture smoothly.
/// Coordinates are the fine level's.
pub struct Trilinear<'a> {
    pub fine: Bilinear<'a>,
    pub coarse: Bilinear<'a>,
    pub frac: u32,
}

impl Texels for Trilinear<'_> {
    fn size(&self) -> (f64, f64) {
        self.fine.size()
    }

    #[inline(always)]
    fn sample(&self, u: i64, v: i64) -> u32 {
        // A texel centre c = u + ½ on the fine level is c/2 on the coarse one: u' = (u − ½) / 2.
        const HALF_TEXEL: i64 = ONE / 2;
        let a = self.fine.sample(u, v);
        let b = self
            .coarse
            .sample((u - HALF_TEXEL) >> 1, (v - HALF_TEXEL) >> 1);
        lerp(a, b, self.frac)
    }
}

/// The "missing image" pattern: a magenta and dark checkerboard with a bright border,
/// impossible to mistake for art.
pub struct Placeholder {
    pub w: f64,
    pub h: f64,
}

impl Texels for Placeholder {
    fn size(&self) -> (f64, f64) {
        (self.w, self.h)
    }

    fn sample(&self, u: i64, v: i64) -> u32 {
        let (x, y) = ((u >> FRAC) as f64 + 0.5, (v >> FRAC) as f64 + 0.5);
        let border = 0.02 * self.w.min(self.h);
        let rgba = if x < border || y < border || x > self.w - border || y > self.h - border {
            [255, 0, 255, 255]
        } else {
            let cell = (self.w.min(self.h) / 8.0).max(8.0);
            let even = (((x / cell).floor() + (y / cell).floor()) as i64) % 2 == 0;
            if even {
                [96, 0, 96, 255]
            } else {
                [40, 0, 40, 255]
            }
        };
        u32::from_le_bytes(rgba)
    }
}

/// Draws `texels` mapped by `to_screen` (from texel-rectangle coordinates) into `target`.
pub fn draw<T: Texels>(
    target: &mut Target,
    texels: &T,
    origin: [f64; 2],
    to_screen: Affine,
    opacity: f32,
    mode: Blend,
) {
    let Some(inv) = to_screen.invert() else {
        return;
    };
    let alpha = (f64::from(opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
    if alpha == 0 {
        return;
    }
    let (w, h) = texels.size();
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
    let y0 = (min_y.floor() as i64).max(target.clip[1]);
    let y1 = (max_y.ceil() as i64).min(target.clip[3]);
    let [ia, ib, ic, id, ie, if_] = inv.0;
    let mut samples = vec![0u32; (target.clip[2] - target.clip[0]).max(0) as usize];
    let mut scratch = Vec::new();
    for y in y0..y1 {
        let sy = y as f64 + 0.5;
        // Texel-rectangle coordinates of the centre of pixel (x, y): u0 + ia·x, v0 + ib·x.
        let u0 = ia * 0.5 + ic * sy + ie;
        let v0 = ib * 0.5 + id * sy + if_;
        let (mut lo, mut hi) = (target.clip[0] as f64, target.clip[2] as f64);
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
        let x0 = lo.ceil().max(target.clip[0] as f64) as i64;
        let x1 = (hi.ceil() as i64).min(target.clip[2]);
        if x0 >= x1 {
            continue;
        }
        // Fixed point, offset by the rectangle's origin and by half a texel.
        let fixed = |f: f64| (f * ONE as f64).round() as i64;
        let xf = x0 as f64;
        let u = fixed(u0 + ia * xf + origin[0] - 0.5);
        let v = fixed(v0 + ib * xf + origin[1] - 0.5);
        let (du, dv) = (fixed(ia), fixed(ib));
        let row_start = (y as usize * target.width + x0 as usize) * 4;
        let row = &mut target.data[row_start..row_start + (x1 - x0) as usize * 4];
        let samples = &mut samples[..(x1 - x0) as usize];
        texels.sample_row(u, du, v, dv, samples, &mut scratch);
        // The common case gets its own loop: normal blending at full opacity.
        if mode == Blend::Normal && alpha == 256 {
            for (d, s) in row.chunks_exact_mut(4).zip(samples.iter()) {
                d.copy_from_slice(&over(load(d), *s).to_le_bytes());
            }
        } else {
            for (d, s) in row.chunks_exact_mut(4).zip(samples.iter()) {
                d.copy_from_slice(&blend(load(d), scale(*s, alpha), mode).to_le_bytes());
            }
        }
    }
}
