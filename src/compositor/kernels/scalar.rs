//! The row kernels one pixel at a time, with the arithmetic of `blend.rs`: the definition
//! of every kernel's result. Native builds and the wasm build without SIMD run these;
//! `simd.rs` must give the same bytes.
//!
//! Rows are RGBA8 bytes, four per pixel; every slice's length is a multiple of 4.

use super::super::blend::{blend, lerp, load, over_with, scale};
use crate::model::Blend;

#[inline(always)]
fn store(bytes: &mut [u8], px: u32) {
    bytes.copy_from_slice(&px.to_le_bytes());
}

/// `out = lerp(a, b, f)` per pixel, for f in 0..=256.
pub fn lerp_rows(a: &[u8], b: &[u8], f: u32, out: &mut [u8]) {
    for ((o, a), b) in out
        .chunks_exact_mut(4)
        .zip(a.chunks_exact(4))
        .zip(b.chunks_exact(4))
    {
        store(o, lerp(load(a), load(b), f));
    }
}

/// `a = lerp(a, b, f)` per pixel, for f in 0..=256.
pub fn lerp_in_place(a: &mut [u8], b: &[u8], f: u32) {
    for (a, b) in a.chunks_exact_mut(4).zip(b.chunks_exact(4)) {
        store(a, lerp(load(a), load(b), f));
    }
}

/// One texel of `row` (pixels `0..n`) at 32.32 fixed-point coordinate `c` (texel centres
/// at integers), interpolated with its right neighbour and clamped to the row's ends.
#[inline(always)]
pub fn sample_at(row: &[u8], c: i64) -> u32 {
    let last = (row.len() / 4 - 1) as i64;
    let x = c >> 32;
    if x < 0 {
        load(row)
    } else if x >= last {
        load(&row[last as usize * 4..])
    } else {
        let i = x as usize * 4;
        lerp(
            load(&row[i..]),
            load(&row[i + 4..]),
            ((c >> 24) & 0xff) as u32,
        )
    }
}

/// What `sample_planned` needs to sample rows of one shape: the same for every row of an
/// axis-aligned drawing. (The SIMD kernel works out texel offsets and weights here, once
/// for all the rows; the scalar kernel only keeps the parameters.)
#[derive(Default)]
pub struct SpanPlan {
    /// u, du, shift, output pixels, row texels
    key: (i64, i64, u32, usize, usize),
}

impl SpanPlan {
    /// Whether the plan is for these parameters (see `prepare`).
    pub fn is_for(&self, u: i64, du: i64, shift: u32, len: usize, texels: usize) -> bool {
        self.key == (u, du, shift, len, texels)
    }

    /// Prepares for `sample_span(row, u, du, shift, out)` with `out` `len` pixels and
    /// `row` `texels` pixels long.
    pub fn prepare(&mut self, u: i64, du: i64, shift: u32, len: usize, texels: usize) {
        self.key = (u, du, shift, len, texels);
    }
}

/// `sample_span` with the parameters of `plan` (`row` and `out` of its lengths).
pub fn sample_planned(row: &[u8], plan: &SpanPlan, out: &mut [u8]) {
    let (u, du, shift, len, texels) = plan.key;
    debug_assert!(row.len() == texels * 4 && out.len() == len * 4);
    sample_span(row, u, du, shift, out);
}

/// `over_rows(dst, samples, alpha)` where `samples` is what `sample_planned` would give.
/// `opaque`: every pixel of `row` is opaque (the SIMD kernel then skips its checks).
pub fn sample_planned_over(row: &[u8], plan: &SpanPlan, dst: &mut [u8], alpha: u32, opaque: bool) {
    let _ = opaque;
    let (u, du, shift, len, texels) = plan.key;
    debug_assert!(row.len() == texels * 4 && dst.len() == len * 4);
    sample_span_over(row, u, du, shift, dst, alpha);
}

/// `over_rows(dst, samples, alpha)` where `samples` is what `sample_span` would give.
pub fn sample_span_over(row: &[u8], u: i64, du: i64, shift: u32, dst: &mut [u8], alpha: u32) {
    let mut acc = u;
    for d in dst.chunks_exact_mut(4) {
        store(d, over_with(load(d), sample_at(row, acc >> shift), alpha));
        acc += du;
    }
}

/// The horizontal half of bilinear sampling: output pixel i is `row` sampled at
/// `(u + i·du) >> shift` (32.32 fixed point, see [`sample_at`]).
pub fn sample_span(row: &[u8], u: i64, du: i64, shift: u32, out: &mut [u8]) {
    let mut acc = u;
    for o in out.chunks_exact_mut(4) {
        store(o, sample_at(row, acc >> shift));
        acc += du;
    }
}

/// `dst = over_with(dst, src, alpha)` per pixel, for alpha in 1..=256.
pub fn over_rows(dst: &mut [u8], src: &[u8], alpha: u32) {
    for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
        store(d, over_with(load(d), load(s), alpha));
    }
}

/// `row = over_with(base, row, alpha)` per pixel, for alpha in 1..=256: `row` holds
/// samples drawn onto a uniform `base`.
pub fn over_base(row: &mut [u8], base: u32, alpha: u32) {
    for p in row.chunks_exact_mut(4) {
        store(p, over_with(base, load(p), alpha));
    }
}

/// `dst = blend(dst, scale(src, alpha), mode)` per pixel, for alpha in 1..=256.
pub fn blend_rows(dst: &mut [u8], src: &[u8], alpha: u32, mode: Blend) {
    for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
        store(d, blend(load(d), scale(load(s), alpha), mode));
    }
}

/// `row = blend(base, scale(row, alpha), mode)` per pixel, for alpha in 1..=256: `row`
/// holds samples drawn onto a uniform `base`.
pub fn blend_base(row: &mut [u8], base: u32, alpha: u32, mode: Blend) {
    for p in row.chunks_exact_mut(4) {
        store(p, blend(base, scale(load(p), alpha), mode));
    }
}

/// `dst = over_with(dst, px, alpha)` per pixel, for alpha in 1..=256.
pub fn fill(dst: &mut [u8], px: u32, alpha: u32) {
    for d in dst.chunks_exact_mut(4) {
        store(d, over_with(load(d), px, alpha));
    }
}

/// `dst = px` per pixel.
pub fn set(dst: &mut [u8], px: u32) {
    for d in dst.chunks_exact_mut(4) {
        store(d, px);
    }
}
