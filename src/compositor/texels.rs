//! Sources of texels, and sampling them a row at a time: bilinear from an image,
//! trilinear between two of its mipmap levels, the placeholder pattern.
//!
//! A row of an axis-aligned image (no rotation: the texture coordinate v is the same all
//! along the row) is sampled in two passes: the two source rows around v are blended
//! once into one row of texels (vertical pass), then each pixel blends two neighbours of
//! that row (horizontal pass). Both passes are row kernels (`kernels`), with SIMD in wasm.
//! Rotated images take one texel at a time, with the same arithmetic in the same order,
//! so the result does not depend on the path. Everything is premultiplied, so edges
//! against transparency do not darken, and integer, so every platform makes the same
//! bytes.

use super::blend::{lerp, load};
use super::kernels;

/// Fractional bits of the fixed-point texture coordinates.
pub const FRAC: u32 = 32;
pub const ONE: i64 = 1 << FRAC;

/// Buffers reused from row to row and frame to frame.
#[derive(Default)]
pub struct RowBuffers {
    /// One row of samples.
    samples: Vec<u8>,
    /// The vertical pass's output.
    vertical: Vec<u8>,
    /// The coarser mipmap level's samples (trilinear).
    coarse: Vec<u8>,
    /// The horizontal pass's plans for the last few row shapes sampled: every row of an
    /// axis-aligned drawing has the same, and a band draws a few drawings.
    plans: Vec<kernels::SpanPlan>,
    /// The plan to replace next.
    next_plan: usize,
}

/// How many row shapes `RowBuffers` keeps plans for: enough for a frame's drawings at
/// two mipmap levels each.
const PLANS: usize = 8;

impl RowBuffers {
    /// A plan for `kernels::sample_planned` with these parameters (see `SpanPlan::prepare`).
    fn plan(
        &mut self,
        u: i64,
        du: i64,
        shift: u32,
        len: usize,
        texels: usize,
    ) -> &kernels::SpanPlan {
        if let Some(i) = self
            .plans
            .iter()
            .position(|p| p.is_for(u, du, shift, len, texels))
        {
            return &self.plans[i];
        }
        if self.plans.len() < PLANS {
            self.plans.push(kernels::SpanPlan::default());
        }
        let i = self.next_plan % self.plans.len();
        self.next_plan = i + 1;
        self.plans[i].prepare(u, du, shift, len, texels);
        &self.plans[i]
    }
}

fn sized(buf: &mut Vec<u8>, len: usize) -> &mut [u8] {
    if buf.len() < len {
        buf.resize(len, 0);
    }
    &mut buf[..len]
}

/// A source of premultiplied texels over a `w × h` rectangle.
pub trait Texels {
    fn size(&self) -> (f64, f64);
    /// The pixel at texture coordinates `(u, v)` in 32.32 fixed point, already shifted
    /// by half a texel so that integer values fall on texel centres.
    fn sample(&self, u: i64, v: i64) -> u32;

    /// Whether every texel is opaque.
    fn opaque(&self) -> bool {
        false
    }

    /// Reads ahead what sampling the rows from `first` to `last` (`len` pixels each, and
    /// any rows between) will read, before they are sampled. Changes nothing.
    fn read_ahead(&self, first: Coords, last: Coords, len: usize) {
        let _ = (first, last, len);
    }

    /// Samples a row of pixels: pixel i of `out` is `sample(u + i·du, v + i·dv)`.
    fn sample_row(&self, at: Coords, out: &mut [u8], bufs: &mut RowBuffers) {
        let _ = bufs;
        one_by_one(self, at, out);
    }

    /// Lays the row `sample_row` gives over `dst` at opacity `alpha` (as
    /// `kernels::over_rows`).
    fn sample_row_over(&self, at: Coords, dst: &mut [u8], alpha: u32, bufs: &mut RowBuffers) {
        with_samples(bufs, dst.len(), |s, bufs| {
            self.sample_row(at, s, bufs);
            kernels::over_rows(dst, s, alpha);
        });
    }
}

/// The texture coordinates of a row's first pixel and their steps per pixel (32.32
/// fixed point, see [`Texels::sample`]).
#[derive(Clone, Copy, Debug)]
pub struct Coords {
    pub u: i64,
    pub du: i64,
    pub v: i64,
    pub dv: i64,
}

impl Coords {
    /// Axis-aligned with coordinates growing along the row: v is the same all along,
    /// so the row can be sampled in two passes.
    fn separable(&self) -> bool {
        self.dv == 0 && self.du > 0
    }
}

/// `sample_row` with `Texels::sample` for every pixel.
fn one_by_one<T: Texels + ?Sized>(texels: &T, at: Coords, out: &mut [u8]) {
    let (mut u, mut v) = (at.u, at.v);
    for o in out.chunks_exact_mut(4) {
        o.copy_from_slice(&texels.sample(u, v).to_le_bytes());
        u += at.du;
        v += at.dv;
    }
}

/// Runs `f` with `len` bytes of the samples buffer (and the other buffers).
pub fn with_samples(bufs: &mut RowBuffers, len: usize, f: impl FnOnce(&mut [u8], &mut RowBuffers)) {
    let mut samples = std::mem::take(&mut bufs.samples);
    f(sized(&mut samples, len), bufs);
    bufs.samples = samples;
}

/// Bilinear sampling of a rectangle of an RGBA8 image, clamped to the rectangle's edges.
pub struct Bilinear<'a> {
    pub data: &'a [u8],
    pub stride: usize,
    /// The rectangle in image pixels: origin (may be fractional) and size.
    pub rect: [f64; 4],
    /// Whole texels the samples may read: x0, y0, x1, y1 inclusive.
    pub bounds: [i64; 4],
    /// Every pixel of the image is opaque.
    pub opaque: bool,
}

impl<'a> Bilinear<'a> {
    pub fn new(
        data: &'a [u8],
        width: u32,
        height: u32,
        rect: [f64; 4],
        opaque: bool,
    ) -> Bilinear<'a> {
        let x0 = (rect[0].floor() as i64).clamp(0, i64::from(width) - 1);
        let y0 = (rect[1].floor() as i64).clamp(0, i64::from(height) - 1);
        let x1 = ((rect[0] + rect[2]).ceil() as i64 - 1).clamp(x0, i64::from(width) - 1);
        let y1 = ((rect[1] + rect[3]).ceil() as i64 - 1).clamp(y0, i64::from(height) - 1);
        Bilinear {
            data,
            stride: width as usize * 4,
            rect,
            bounds: [x0, y0, x1, y1],
            opaque,
        }
    }

    /// The source row and vertical weight for coordinate `v`, clamped to the bounds.
    #[inline(always)]
    fn row_at(&self, v: i64) -> (usize, u32) {
        let [_, by0, _, by1] = self.bounds;
        let (y, fy) = (v >> FRAC, ((v >> (FRAC - 8)) & 0xff) as u32);
        if y < by0 {
            (by0 as usize, 0)
        } else if y >= by1 {
            (by1 as usize, 0)
        } else {
            (y as usize, fy)
        }
    }

    /// The texels a row of `n` pixels sampled at `(u + i·du) >> shift` reads: xa..=xb
    /// (whatever the span reads, and a few more for the kernel's sake; clamping happens
    /// at the bounds, so reading more changes nothing).
    #[inline(always)]
    fn span_texels(&self, u: i64, du: i64, shift: u32, n: i64) -> (i64, i64) {
        let [bx0, _, bx1, _] = self.bounds;
        let first = (u >> shift) >> FRAC;
        let last = ((u + (n - 1) * du) >> shift) >> FRAC;
        (
            first.clamp(bx0, bx1),
            (last + 1 + kernels::SPAN_PAD).clamp(bx0, bx1),
        )
    }

    /// `Texels::read_ahead` for rows at heights `v0..=v1` (already final, as in
    /// `sample_level_row`): one byte of every cache line of the texels they read.
    ///
    /// Why: the row passes read a new source row every row, and wait on memory a few
    /// cache lines at a time (each line comes with tens of instructions of work behind
    /// it, which is all the processor can look ahead). This loop has one load per line
    /// and no other work, so the processor keeps many misses in flight at once, and
    /// the rows are then sampled from the caches. (One line in two reads ahead worse
    /// than none: every line, or the hardware prefetchers get the wrong stride.)
    fn read_ahead_level(&self, u: i64, du: i64, shift: u32, v0: i64, v1: i64, n: usize) {
        if n == 0 {
            return;
        }
        let (xa, xb) = self.span_texels(u, du, shift, n as i64);
        // The rows `row_at` picks for v0 and v1, and the ones below them.
        let [_, by0, _, by1] = self.bounds;
        let (ya, yb) = (
            (v0 >> FRAC).clamp(by0, by1),
            ((v1 >> FRAC) + 1).clamp(by0, by1),
        );
        let mut acc = 0u8;
        for y in ya..=yb {
            let start = y as usize * self.stride + xa as usize * 4;
            let row = &self.data[start..start + (xb - xa + 1) as usize * 4];
            let mut i = 0;
            while i < row.len() {
                acc ^= row[i];
                i += 64;
            }
        }
        std::hint::black_box(acc);
    }

    /// A row at height `v` (already final, not shifted), pixel i sampled at
    /// `(u + i·du) >> shift`, for du > 0: the vertical pass over the texels the row
    /// spans, then the horizontal pass.
    /// With `over`, the samples are laid over `out` at that opacity rather than stored.
    #[allow(clippy::too_many_arguments)] // a row's coordinates, where it goes, and buffers
    fn sample_level_row(
        &self,
        u: i64,
        du: i64,
        shift: u32,
        v: i64,
        out: &mut [u8],
        over: Option<u32>,
        bufs: &mut RowBuffers,
    ) {
        let n = (out.len() / 4) as i64;
        if n == 0 {
            return;
        }
        let (xa, xb) = self.span_texels(u, du, shift, n);
        let (y, fy) = self.row_at(v);
        let start = y * self.stride + xa as usize * 4;
        let end = y * self.stride + (xb as usize + 1) * 4;
        let mut vertical = std::mem::take(&mut bufs.vertical);
        let row: &[u8] = if fy == 0 {
            &self.data[start..end]
        } else {
            let dst = sized(&mut vertical, end - start);
            kernels::lerp_rows(
                &self.data[start..end],
                &self.data[start + self.stride..end + self.stride],
                fy,
                dst,
            );
            dst
        };
        // Relative to texel xa, the row's first.
        let u = u - (xa << (FRAC + shift));
        // One texel per pixel, on texel centres, all inside the row (an image drawn at
        // its own size at a whole-pixel position): the samples are the texels.
        if shift == 0 && du == ONE && u & (ONE - 1) == 0 && u >= 0 {
            let x = (u >> FRAC) as usize * 4;
            if let Some(texels) = row.get(x..x + out.len()) {
                match over {
                    None => out.copy_from_slice(texels),
                    Some(alpha) => kernels::over_rows(out, texels, alpha),
                }
                bufs.vertical = vertical;
                return;
            }
        }
        let plan = bufs.plan(u, du, shift, n as usize, row.len() / 4);
        match over {
            None => kernels::sample_planned(row, plan, out),
            Some(alpha) => kernels::sample_planned_over(row, plan, out, alpha, self.opaque),
        }
        bufs.vertical = vertical;
    }
}

impl Texels for Bilinear<'_> {
    fn size(&self) -> (f64, f64) {
        (self.rect[2], self.rect[3])
    }

    fn opaque(&self) -> bool {
        self.opaque
    }

    #[inline(always)]
    fn sample(&self, u: i64, v: i64) -> u32 {
        let [bx0, _, bx1, _] = self.bounds;
        let (mut x, mut fx) = (u >> FRAC, ((u >> (FRAC - 8)) & 0xff) as u32);
        if x < bx0 {
            x = bx0;
            fx = 0;
        } else if x >= bx1 {
            x = bx1;
            fx = 0;
        }
        let (y, fy) = self.row_at(v);
        // Vertically first, then across, as the row passes do.
        let d = self.data;
        let column = |i: usize| {
            let p = load(&d[i..]);
            if fy == 0 {
                p
            } else {
                lerp(p, load(&d[i + self.stride..]), fy)
            }
        };
        let i = y * self.stride + x as usize * 4;
        let left = column(i);
        if fx == 0 {
            return left;
        }
        lerp(left, column(i + 4), fx)
    }

    fn read_ahead(&self, first: Coords, last: Coords, len: usize) {
        if first.separable() {
            self.read_ahead_level(first.u, first.du, 0, first.v, last.v, len);
        }
    }

    fn sample_row(&self, at: Coords, out: &mut [u8], bufs: &mut RowBuffers) {
        if at.separable() {
            self.sample_level_row(at.u, at.du, 0, at.v, out, None, bufs);
        } else {
            one_by_one(self, at, out);
        }
    }

    fn sample_row_over(&self, at: Coords, dst: &mut [u8], alpha: u32, bufs: &mut RowBuffers) {
        if at.separable() {
            self.sample_level_row(at.u, at.du, 0, at.v, dst, Some(alpha), bufs);
        } else {
            with_samples(bufs, dst.len(), |s, bufs| {
                self.sample_row(at, s, bufs);
                kernels::over_rows(dst, s, alpha);
            });
        }
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

/// A texel centre c = u + ½ on the fine level is c/2 on the coarse one: u' = (u − ½) / 2.
const HALF_TEXEL: i64 = ONE / 2;

impl Texels for Trilinear<'_> {
    fn size(&self) -> (f64, f64) {
        self.fine.size()
    }

    fn opaque(&self) -> bool {
        self.fine.opaque && self.coarse.opaque
    }

    #[inline(always)]
    fn sample(&self, u: i64, v: i64) -> u32 {
        let a = self.fine.sample(u, v);
        let b = self
            .coarse
            .sample((u - HALF_TEXEL) >> 1, (v - HALF_TEXEL) >> 1);
        lerp(a, b, self.frac)
    }

    fn read_ahead(&self, first: Coords, last: Coords, len: usize) {
        if !first.separable() {
            return;
        }
        let Coords { u, du, .. } = first;
        self.fine.read_ahead_level(u, du, 0, first.v, last.v, len);
        if self.frac != 0 {
            let coarse = |v: i64| (v - HALF_TEXEL) >> 1;
            self.coarse.read_ahead_level(
                u - HALF_TEXEL,
                du,
                1,
                coarse(first.v),
                coarse(last.v),
                len,
            );
        }
    }

    fn sample_row(&self, at: Coords, out: &mut [u8], bufs: &mut RowBuffers) {
        if !at.separable() {
            return one_by_one(self, at, out);
        }
        let Coords { u, du, v, .. } = at;
        self.fine.sample_level_row(u, du, 0, v, out, None, bufs);
        if self.frac == 0 {
            return; // lerp(a, b, 0) is a
        }
        let mut coarse = std::mem::take(&mut bufs.coarse);
        let samples = sized(&mut coarse, out.len());
        self.coarse.sample_level_row(
            u - HALF_TEXEL,
            du,
            1,
            (v - HALF_TEXEL) >> 1,
            samples,
            None,
            bufs,
        );
        kernels::lerp_in_place(out, samples, self.frac);
        bufs.coarse = coarse;
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

    fn opaque(&self) -> bool {
        true
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
