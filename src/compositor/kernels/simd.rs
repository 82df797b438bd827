//! The row kernels with WebAssembly SIMD128: four pixels (sixteen channels) at a time,
//! in 16-bit lanes, with exactly the integer arithmetic of `scalar.rs`, so both builds
//! make the same bytes. Row ends shorter than four pixels, and pixels a fast path cannot
//! take, go to the scalar kernels.
//!
//! Every intermediate value stays below 65536, so 16-bit lanes hold `blend.rs`'s
//! formulas exactly. Which instructions: measured in Chromium (V8 on x86-64), where these
//! loops are bound by how many vector instructions they issue. So the lerps (the
//! sampling passes, crossfades) take a pixel's channels apart by masking and shifting,
//! the even bytes (red, blue) and the odd ones (green, alpha) each into 16-bit lanes
//! (`split`, `join`): no widening or narrowing shuffles, and a lane's weight is its
//! pixel's for both. Two multiplications per lane (a·(256 − f) + b·f) beat one
//! ((a << 8) + (b − a)·f, which needs more of the other instructions); `swizzle`
//! costs V8 two instructions (it clamps the indices), and `i16x8.q15mulr_sat_s`
//! three. Constants that a loop uses are made at run time, outside it, or LLVM and V8
//! materialise them again at every use.
//!
//! Built with relaxed SIMD as well (`target_feature = "relaxed-simd"`, the www/pkg-relaxed
//! build), the lerps use `i16x8.relaxed_q15mulr_s` and the texel picks
//! `i8x16.relaxed_swizzle`, one instruction each, only with inputs for which the relaxed
//! instructions' results are fixed by the specification (see `lerp_lanes`, `pick`): the
//! same bytes on every engine and processor.
//!
//! The only `unsafe` here is in [`load16`] and [`store16`]: `v128_load`/`v128_store`
//! take raw pointers. Both take a 16-byte array reference, so every access is bounds
//! checked by the slice operations that produce it.

use super::scalar;
use crate::model::Blend;
use core::arch::wasm32::*;

#[inline(always)]
fn load16(bytes: &[u8; 16]) -> v128 {
    // SAFETY: `bytes` is 16 readable bytes; `v128.load` has no alignment requirement.
    unsafe { v128_load(bytes.as_ptr().cast()) }
}

#[inline(always)]
fn store16(bytes: &mut [u8; 16], v: v128) {
    // SAFETY: `bytes` is 16 writable bytes; `v128.store` has no alignment requirement.
    unsafe { v128_store(bytes.as_mut_ptr().cast(), v) }
}

/// The bytes of four pixels as two vectors of 16-bit lanes (pixels 0–1, pixels 2–3).
#[inline(always)]
fn widen(v: v128) -> (v128, v128) {
    (u16x8_extend_low_u8x16(v), u16x8_extend_high_u8x16(v))
}

/// x >> 8 of the lanes of `lo` and `hi`, as bytes.
#[inline(always)]
fn high_bytes(lo: v128, hi: v128) -> v128 {
    u8x16_narrow_i16x8(u16x8_shr(lo, 8), u16x8_shr(hi, 8))
}

/// The even bytes (red and blue) and the odd bytes (green and alpha) of four pixels, in
/// 16-bit lanes: a 16-bit lane holds one channel with no shuffling (`low` is
/// `Lerp::low`).
#[inline(always)]
fn split(v: v128, low: v128) -> (v128, v128) {
    (v128_and(v, low), u16x8_shr(v, 8))
}

/// Bytes from the high bytes of the lanes of `even` and `odd` (the reverse of `split`
/// for lanes holding channels << 8).
#[inline(always)]
fn join(even: v128, odd: v128, low: v128) -> v128 {
    v128_or(u16x8_shr(even, 8), v128_andnot(odd, low))
}

/// A lerp's weights, and the constants its arithmetic needs.
#[derive(Clone, Copy)]
struct Lerp {
    /// 256 − f in every 16-bit lane (unused with relaxed SIMD).
    g: v128,
    /// f in every 16-bit lane (f << 7 with relaxed SIMD: see `lerp_lanes`).
    f: v128,
    /// 0x00ff in every 16-bit lane.
    low: v128,
    /// 128 in every 16-bit lane.
    half: v128,
}

/// The weights of a lerp by f (0..=255) for each lane, as `Lerp::g` and `Lerp::f` hold
/// them.
#[inline(always)]
fn lane_weights(f: v128) -> (v128, v128) {
    if cfg!(target_feature = "relaxed-simd") {
        (f, u16x8_shl(f, 7))
    } else {
        (u16x8_sub(u16x8_splat(256), f), f)
    }
}

/// A lerp by f in 1..=255. The constants are made at run time so that LLVM keeps them
/// in locals rather than rematerialising them inside loops (which V8 then does at every
/// use).
#[inline(always)]
fn lerp_weights(f: u32) -> Lerp {
    let (g, f) = lane_weights(u16x8_splat(f as u16));
    Lerp {
        g,
        f,
        low: u16x8_splat(core::hint::black_box(0xff)),
        half: u16x8_splat(core::hint::black_box(128)),
    }
}

/// `blend::lerp` of the channels `a` and `b` in the lanes of `split`, by the weights `g`
/// and `f` (see `Lerp`), as `finish` and `rounded` take it.
///
/// Plain SIMD: a·(256 − f) + b·f + 128, the result << 8 plus a remainder. With relaxed
/// SIMD: a + (((b − a)·(f << 7) + 2¹⁴) >> 15), the result itself, which is the same
/// (((b − a)·f + 128) >> 8 floors, and a·256 is whole) in half the instructions:
/// `i16x8.relaxed_q15mulr_s` is one x86 instruction, and deterministic here (it is not
/// only for −32768 × −32768, and |b − a| < 256).
#[inline(always)]
fn lerp_lanes(a: (v128, v128), b: (v128, v128), g: v128, f: v128, half: v128) -> (v128, v128) {
    #[cfg(target_feature = "relaxed-simd")]
    let lerp = |a: v128, b: v128| {
        let _ = (g, half);
        u16x8_add(a, i16x8_relaxed_q15mulr(u16x8_sub(b, a), f))
    };
    #[cfg(not(target_feature = "relaxed-simd"))]
    let lerp = |a: v128, b: v128| u16x8_add(u16x8_add(i16x8_mul(a, g), i16x8_mul(b, f)), half);
    (lerp(a.0, b.0), lerp(a.1, b.1))
}

/// The lanes of a `lerp_lanes` result as values 0..=255.
#[inline(always)]
fn rounded(lanes: v128) -> v128 {
    if cfg!(target_feature = "relaxed-simd") {
        lanes
    } else {
        u16x8_shr(lanes, 8)
    }
}

/// Bytes from a `lerp_lanes` result (the reverse of `split`).
#[inline(always)]
fn finish(even: v128, odd: v128, low: v128) -> v128 {
    if cfg!(target_feature = "relaxed-simd") {
        v128_or(even, u16x8_shl(odd, 8))
    } else {
        join(even, odd, low)
    }
}

/// `swizzle` with every index below 16 (relaxed SIMD's is then the same, without the
/// clamping).
#[inline(always)]
fn pick(v: v128, indices: v128) -> v128 {
    #[cfg(target_feature = "relaxed-simd")]
    return i8x16_relaxed_swizzle(v, indices);
    #[cfg(not(target_feature = "relaxed-simd"))]
    u8x16_swizzle(v, indices)
}

/// `blend::lerp` for four pixels: (a·(256 − f) + b·f + 128) >> 8.
#[inline(always)]
fn lerp4(a: v128, b: v128, w: Lerp) -> v128 {
    let (even, odd) = lerp_lanes(split(a, w.low), split(b, w.low), w.g, w.f, w.half);
    finish(even, odd, w.low)
}

const ALPHA: u32 = 0xff00_0000;

/// All four pixels opaque.
#[inline(always)]
fn opaque(s: v128) -> bool {
    !v128_any_true(v128_andnot(u32x4_splat(ALPHA), s))
}

/// Some of the four pixels opaque.
#[inline(always)]
fn any_opaque(s: v128) -> bool {
    v128_any_true(v128_and(u8x16_eq(s, u8x16_splat(255)), u32x4_splat(ALPHA)))
}

/// All four pixels fully transparent.
#[inline(always)]
fn clear(s: v128) -> bool {
    !v128_any_true(v128_and(s, u32x4_splat(ALPHA)))
}

/// `blend::over(d, blend::scale(s, alpha))` for four pixels (alpha in 1..=256), in
/// 16-bit lanes: the scale (s·alpha + 128) >> 8, then s + d·m/255 with m = 255 − αs,
/// rounded as `blend::mul255`: t = d·m + 128, (t + (t >> 8)) >> 8. Where αs is 255 or 0
/// this gives s or d, `over`'s shortcuts (premultiplied: αs = 0 means s = 0).
#[inline(always)]
fn over4(d: v128, s: v128, alpha: u32) -> v128 {
    let half = u16x8_splat(128);
    let part = |d: v128, s: v128| {
        let s = if alpha < 256 {
            u16x8_shr(u16x8_add(i16x8_mul(s, u16x8_splat(alpha as u16)), half), 8)
        } else {
            s
        };
        let m = u16x8_sub(
            u16x8_splat(255),
            u16x8_shuffle::<3, 3, 3, 3, 7, 7, 7, 7>(s, s),
        );
        let t = u16x8_add(i16x8_mul(d, m), half);
        (s, u16x8_add(t, u16x8_shr(t, 8)))
    };
    let (d0, d1) = widen(d);
    let (s0, s1) = widen(s);
    let (s0, t0) = part(d0, s0);
    let (s1, t1) = part(d1, s1);
    u8x16_add(high_bytes(t0, t1), u8x16_narrow_i16x8(s0, s1))
}

/// `blend::blend(d, blend::scale(s, alpha), mode)` for four pixels, in 16-bit lanes
/// (see `blend.rs` for each mode's formula; div255 is `mul255`'s rounding).
#[inline(always)]
fn blend4(d: v128, s: v128, alpha: u32, mode: Blend) -> v128 {
    let half = u16x8_splat(128);
    let part = |d: v128, s: v128| {
        let s = if alpha < 256 {
            u16x8_shr(u16x8_add(i16x8_mul(s, u16x8_splat(alpha as u16)), half), 8)
        } else {
            s
        };
        let div255 = |x: v128| {
            let t = u16x8_add(x, half);
            u16x8_shr(u16x8_add(t, u16x8_shr(t, 8)), 8)
        };
        match mode {
            // Saturated by the narrowing.
            Blend::Add => u16x8_add(s, d),
            Blend::Screen => u16x8_sub(u16x8_add(s, d), div255(i16x8_mul(s, d))),
            _ => {
                let full = u16x8_splat(255);
                let sa = u16x8_shuffle::<3, 3, 3, 3, 7, 7, 7, 7>(s, s);
                let da = u16x8_shuffle::<3, 3, 3, 3, 7, 7, 7, 7>(d, d);
                let a = u16x8_add(sa, div255(i16x8_mul(da, u16x8_sub(full, sa))));
                let c = u16x8_add(
                    u16x8_add(
                        div255(i16x8_mul(s, d)),
                        div255(i16x8_mul(s, u16x8_sub(full, da))),
                    ),
                    div255(i16x8_mul(d, u16x8_sub(full, sa))),
                );
                // Colour lanes clamped to the alpha, alpha lanes the alpha.
                let alpha_lanes = u64x2_splat(0xffff_0000_0000_0000);
                v128_bitselect(a, u16x8_min(c, a), alpha_lanes)
            }
        }
    };
    let (d0, d1) = widen(d);
    let (s0, s1) = widen(s);
    u8x16_narrow_i16x8(part(d0, s0), part(d1, s1))
}

/// `blend::over_with(d, s, alpha)` for four pixels; `weights`: `lerp_weights(alpha)`
/// when alpha < 256. `None` when the pixels mix opaque and translucent ones at an
/// opacity below 1 (the two cases round differently): the scalar kernel does those.
#[inline(always)]
fn over_with4(d: v128, s: v128, alpha: u32, weights: Lerp) -> Option<v128> {
    if alpha >= 256 {
        Some(if opaque(s) { s } else { over4(d, s, alpha) })
    } else if opaque(s) {
        Some(lerp4(d, s, weights))
    } else if any_opaque(s) {
        None
    } else {
        Some(over4(d, s, alpha))
    }
}

/// Four pixels of `scalar::over_rows`-like kernels, one at a time.
#[inline(always)]
fn over_with_scalar(d: &mut [u8; 16], s: &[u8; 16], alpha: u32) {
    scalar::over_rows(d, s, alpha);
}

pub fn lerp_rows(a: &[u8], b: &[u8], f: u32, out: &mut [u8]) {
    let n = out.len();
    let (a, b) = (&a[..n], &b[..n]);
    match f {
        0 => return out.copy_from_slice(a),
        256.. => return out.copy_from_slice(b),
        _ => {}
    }
    let w = lerp_weights(f);
    let (oc, ot) = out.as_chunks_mut::<16>();
    let (ac, at) = a.as_chunks::<16>();
    let (bc, bt) = b.as_chunks::<16>();
    for ((o, a), b) in oc.iter_mut().zip(ac).zip(bc) {
        store16(o, lerp4(load16(a), load16(b), w));
    }
    scalar::lerp_rows(at, bt, f, ot);
}

pub fn lerp_in_place(a: &mut [u8], b: &[u8], f: u32) {
    let b = &b[..a.len()];
    match f {
        0 => return,
        256.. => return a.copy_from_slice(b),
        _ => {}
    }
    let w = lerp_weights(f);
    let (ac, at) = a.as_chunks_mut::<16>();
    let (bc, bt) = b.as_chunks::<16>();
    for (a, b) in ac.iter_mut().zip(bc) {
        store16(a, lerp4(load16(a), load16(b), w));
    }
    scalar::lerp_in_place(at, bt, f);
}

/// See `scalar::SpanPlan`: here what every four output pixels need from a row, worked
/// out once for all the rows of a drawing — where their texels start, the `swizzle`
/// indices that pick each pixel's left and right texel from the 16 or 32 bytes loaded
/// there, and their weights.
#[derive(Default)]
pub struct SpanPlan {
    key: (i64, i64, u32, usize, usize),
    /// More than one texel per pixel: two 16-byte loads per four pixels.
    wide: bool,
    /// The chunks of four pixels that take the fast path (texels x0..x0 + 5, or + 8 when
    /// wide, inside the row; `sample_at` clamps nowhere): a range, as x0 grows with the
    /// chunk. The others take the scalar kernel.
    fast: std::ops::Range<usize>,
    /// Per fast chunk: the byte offset of its first texel.
    at: Vec<u32>,
    /// Per fast chunk: narrow, the left texels' byte indices into bytes `at..at + 16`
    /// (the right ones are the same indices into `at + 4..at + 20`); wide, left and
    /// right indices into `at..at + 32`, each as two halves (`swizzle` gives 0 for an
    /// index past 15, so the indices into the second 16 bytes are kept less 16).
    picks: Vec<v128>,
    /// Per fast chunk: 256 − f and f for each 16-bit lane of `split` (lanes 2k and 2k + 1
    /// are pixel k's).
    weights: Vec<v128>,
}

impl SpanPlan {
    /// Whether the plan is for these parameters (see `prepare`).
    pub fn is_for(&self, u: i64, du: i64, shift: u32, len: usize, texels: usize) -> bool {
        self.key == (u, du, shift, len, texels)
    }

    pub fn prepare(&mut self, u: i64, du: i64, shift: u32, len: usize, texels: usize) {
        let key = (u, du, shift, len, texels);
        if self.key == key {
            return;
        }
        self.key = key;
        self.at.clear();
        self.picks.clear();
        self.weights.clear();
        // One texel in the coordinate's units before the shift.
        let unit = 1i64 << (32 + shift);
        // Up to one texel per pixel, four pixels read texels x0..=x0 + 4 (one load at x0
        // and one at x0 + 1); up to two per pixel, x0..=x0 + 7 (two loads). More than
        // two: every chunk is scalar.
        self.wide = du > unit;
        let reach = if self.wide { 8 } else { 5 };
        let coordinate = |i: usize| (u + i as i64 * du) >> shift;
        let fast = |c: usize| {
            let x0 = coordinate(4 * c) >> 32;
            du > 0 && du <= 2 * unit && x0 >= 0 && x0 + reach <= texels as i64
        };
        let chunks = len / 4;
        let start = (0..chunks).find(|&c| fast(c)).unwrap_or(chunks);
        let end = (start..chunks).find(|&c| !fast(c)).unwrap_or(chunks);
        self.fast = start..end;
        let bytes = |b: [u8; 16]| {
            u8x16(
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                b[13], b[14], b[15],
            )
        };
        let lanes = |w: [u16; 4]| {
            let (g, f) = lane_weights(u16x8(w[0], w[0], w[1], w[1], w[2], w[2], w[3], w[3]));
            [g, f]
        };
        for c in start..end {
            let x0 = coordinate(4 * c) >> 32;
            let mut left = [0u8; 16];
            let mut weights = [0u16; 4];
            for k in 0..4 {
                let p = coordinate(4 * c + k);
                let offset = ((p >> 32) - x0) as u8;
                for ch in 0..4 {
                    left[4 * k + ch] = 4 * offset + ch as u8;
                }
                weights[k] = ((p >> 24) & 0xff) as u16;
            }
            self.at.push(x0 as u32 * 4);
            let left = bytes(left);
            if self.wide {
                let right = u8x16_add(left, u8x16_splat(4));
                let sixteen = u8x16_splat(16);
                self.picks.extend([
                    left,
                    u8x16_sub(left, sixteen),
                    right,
                    u8x16_sub(right, sixteen),
                ]);
            } else {
                self.picks.push(left);
            }
            self.weights.extend(lanes(weights));
        }
    }
}

/// What the fast chunks of `planned` do with their samples.
const STORE: u8 = 0;
/// Lay them over the output (`over_rows`).
const OVER: u8 = 1;
/// Mix them into the output at opacity alpha < 256: opaque samples (`over_with`'s lerp).
const MIX: u8 = 2;

pub fn sample_planned(row: &[u8], plan: &SpanPlan, out: &mut [u8]) {
    planned::<STORE>(row, plan, out, 256);
}

pub fn sample_planned_over(row: &[u8], plan: &SpanPlan, dst: &mut [u8], alpha: u32, opaque: bool) {
    match (opaque, alpha) {
        (true, 256..) => planned::<STORE>(row, plan, dst, alpha),
        (true, _) => planned::<MIX>(row, plan, dst, alpha),
        (false, _) => planned::<OVER>(row, plan, dst, alpha),
    }
}

/// `sample_planned`, or `sample_planned_over` (`SINK`: what to do with the samples).
#[inline(always)]
fn planned<const SINK: u8>(row: &[u8], plan: &SpanPlan, out: &mut [u8], alpha: u32) {
    let (u, du, shift, len, texels) = plan.key;
    let (row, out) = (&row[..texels * 4], &mut out[..len * 4]);
    let fast = plan.fast.clone();
    // Scalar: the chunks before the fast ones, and those after with the row's tail.
    let scalar_part = |out: &mut [u8], first: usize| {
        let u = u + (4 * first) as i64 * du;
        if SINK != STORE {
            scalar::sample_span_over(row, u, du, shift, out, alpha);
        } else {
            scalar::sample_span(row, u, du, shift, out);
        }
    };
    let (head, rest) = out.split_at_mut(fast.start * 16);
    let (middle, tail) = rest.split_at_mut(fast.len() * 16);
    scalar_part(head, 0);
    scalar_part(tail, fast.end);
    let (chunks, _) = middle.as_chunks_mut::<16>();
    if plan.wide {
        span::<4, SINK>(row, plan, chunks, alpha);
    } else {
        span::<1, SINK>(row, plan, chunks, alpha);
    }
}

/// The fast chunks; `PICKS` index vectors per chunk: 1 (narrow) or 4 (wide); `SINK`:
/// what to do with the samples.
#[inline(always)]
fn span<const PICKS: usize, const SINK: u8>(
    row: &[u8],
    plan: &SpanPlan,
    out: &mut [[u8; 16]],
    alpha: u32,
) {
    let picks = plan.picks.as_chunks::<PICKS>().0;
    let weights = plan.weights.as_chunks::<2>().0;
    let blend = lerp_weights(alpha.clamp(1, 255));
    let (low, half) = (blend.low, blend.half);
    // Every fast chunk's texels are inside the row (see `SpanPlan::prepare`): clamping
    // the offsets to the last that fits changes none of them, and spares a bounds
    // check per chunk.
    let reach = if PICKS == 4 { 32 } else { 20 };
    let Some(limit) = row.len().checked_sub(reach) else {
        return;
    };
    let chunk = |o: &mut [u8; 16], at: u32, picks: &[v128; PICKS], [g, f]: [v128; 2]| {
        let at = (at as usize).min(limit);
        let (l, r) = if let [left, left_hi, right, right_hi] = picks[..] {
            let texels: &[u8; 32] = row[at..at + 32].try_into().unwrap();
            let v0 = load16(texels[..16].try_into().unwrap());
            let v1 = load16(texels[16..].try_into().unwrap());
            (
                v128_or(u8x16_swizzle(v0, left), u8x16_swizzle(v1, left_hi)),
                v128_or(u8x16_swizzle(v0, right), u8x16_swizzle(v1, right_hi)),
            )
        } else {
            let texels: &[u8; 20] = row[at..at + 20].try_into().unwrap();
            let v0 = load16(texels[..16].try_into().unwrap());
            let v1 = load16(texels[4..].try_into().unwrap());
            (pick(v0, picks[0]), pick(v1, picks[0]))
        };
        let (s0, s1) = lerp_lanes(split(l, low), split(r, low), g, f, half);
        if SINK == MIX {
            // lerp(d, s, alpha), with the samples in the lanes they are already in.
            let s = (rounded(s0), rounded(s1));
            let (e, o2) = lerp_lanes(split(load16(o), low), s, blend.g, blend.f, half);
            store16(o, finish(e, o2, low));
            return;
        }
        let s = finish(s0, s1, low);
        if SINK == STORE {
            store16(o, s);
        } else if !clear(s) {
            match over_with4(load16(o), s, alpha, blend) {
                Some(v) => store16(o, v),
                None => {
                    let mut samples = [0; 16];
                    store16(&mut samples, s);
                    scalar::over_rows(o, &samples, alpha);
                }
            }
        }
    };
    // Two chunks at a time: the loop's own work (counters, V8's interrupt check) is
    // then shared.
    let (pairs, last) = out.as_chunks_mut::<2>();
    let (at2, at_rest) = plan.at.as_chunks::<2>();
    let (picks2, picks_rest) = picks.as_chunks::<2>();
    let (weights2, weights_rest) = weights.as_chunks::<2>();
    for ((([o0, o1], [a0, a1]), [p0, p1]), [w0, w1]) in
        pairs.iter_mut().zip(at2).zip(picks2).zip(weights2)
    {
        chunk(o0, *a0, p0, *w0);
        chunk(o1, *a1, p1, *w1);
    }
    // `out` has one chunk per fast chunk of the plan.
    if let ([o], [a], [p], [w]) = (last, at_rest, picks_rest, weights_rest) {
        chunk(o, *a, p, *w);
    }
}

pub fn sample_span(row: &[u8], u: i64, du: i64, shift: u32, out: &mut [u8]) {
    let mut plan = SpanPlan::default();
    plan.prepare(u, du, shift, out.len() / 4, row.len() / 4);
    sample_planned(row, &plan, out);
}

pub fn over_rows(dst: &mut [u8], src: &[u8], alpha: u32) {
    let src = &src[..dst.len()];
    let weights = lerp_weights(alpha.clamp(1, 255));
    let (dc, dt) = dst.as_chunks_mut::<16>();
    let (sc, st) = src.as_chunks::<16>();
    for (d, s) in dc.iter_mut().zip(sc) {
        let sv = load16(s);
        if clear(sv) {
            continue;
        }
        match over_with4(load16(d), sv, alpha, weights) {
            Some(v) => store16(d, v),
            None => over_with_scalar(d, s, alpha),
        }
    }
    scalar::over_rows(dt, st, alpha);
}

pub fn over_base(row: &mut [u8], base: u32, alpha: u32) {
    let weights = lerp_weights(alpha.clamp(1, 255));
    let base4 = u32x4_splat(base);
    let (rc, rt) = row.as_chunks_mut::<16>();
    for p in rc {
        let s = load16(p);
        if alpha >= 256 && opaque(s) {
            continue;
        }
        match over_with4(base4, s, alpha, weights) {
            Some(v) => store16(p, v),
            None => scalar::over_base(p, base, alpha),
        }
    }
    scalar::over_base(rt, base, alpha);
}

pub fn blend_rows(dst: &mut [u8], src: &[u8], alpha: u32, mode: Blend) {
    let src = &src[..dst.len()];
    let (dc, dt) = dst.as_chunks_mut::<16>();
    let (sc, st) = src.as_chunks::<16>();
    for (d, s) in dc.iter_mut().zip(sc) {
        store16(d, blend4(load16(d), load16(s), alpha, mode));
    }
    scalar::blend_rows(dt, st, alpha, mode);
}

pub fn blend_base(row: &mut [u8], base: u32, alpha: u32, mode: Blend) {
    let base4 = u32x4_splat(base);
    let (rc, rt) = row.as_chunks_mut::<16>();
    for p in rc {
        store16(p, blend4(base4, load16(p), alpha, mode));
    }
    scalar::blend_base(rt, base, alpha, mode);
}

pub fn fill(dst: &mut [u8], px: u32, alpha: u32) {
    let weights = lerp_weights(alpha.clamp(1, 255));
    let s = u32x4_splat(px);
    let (dc, dt) = dst.as_chunks_mut::<16>();
    for d in dc {
        // Four copies of one pixel: never a mix of opaque and translucent.
        if let Some(v) = over_with4(load16(d), s, alpha, weights) {
            store16(d, v);
        }
    }
    scalar::fill(dt, px, alpha);
}

pub fn set(dst: &mut [u8], px: u32) {
    let s = u32x4_splat(px);
    let (dc, dt) = dst.as_chunks_mut::<16>();
    for d in dc {
        store16(d, s);
    }
    scalar::set(dt, px);
}
