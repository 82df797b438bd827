//! Pixel arithmetic on premultiplied RGBA8, in integers so that every platform produces
//! the same bits. A pixel is a `u32` read little-endian from its four bytes (R in the low
//! byte, A in the high byte); the two-lane trick (`0x00ff00ff` masks) works on red and
//! blue, then alpha and green, at once.

use crate::model::Blend;

const LANES: u32 = 0x00ff_00ff;
const HALF: u32 = 0x0080_0080;

/// x / 255, rounded to nearest, exact for x ≤ 255 · 255 + 127.
#[inline(always)]
pub fn div255(x: u32) -> u32 {
    let x = x + 128;
    (x + (x >> 8)) >> 8
}

#[inline(always)]
pub fn load(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// a + (b − a) · f / 256 per channel, for f in 0..=256, rounded.
#[inline(always)]
pub fn lerp(a: u32, b: u32, f: u32) -> u32 {
    let g = 256 - f;
    let rb = (((a & LANES) * g + (b & LANES) * f + HALF) >> 8) & LANES;
    let ag = (((a >> 8) & LANES) * g + ((b >> 8) & LANES) * f + HALF) & !LANES;
    rb | ag
}

/// Every channel times `alpha` / 256, for alpha in 0..=256, rounded.
#[inline(always)]
pub fn scale(px: u32, alpha: u32) -> u32 {
    if alpha >= 256 {
        return px;
    }
    let rb = (((px & LANES) * alpha + HALF) >> 8) & LANES;
    let ag = (((px >> 8) & LANES) * alpha + HALF) & !LANES;
    rb | ag
}

/// Every channel times m / 255, for m in 0..=255, rounded exactly.
#[inline(always)]
fn mul255(px: u32, m: u32) -> u32 {
    let rb = (px & LANES) * m + HALF;
    let rb = ((rb + ((rb >> 8) & LANES)) >> 8) & LANES;
    let ag = ((px >> 8) & LANES) * m + HALF;
    let ag = (ag + ((ag >> 8) & LANES)) & !LANES;
    rb | ag
}

/// Source-over: src + dst · (1 − αsrc).
#[inline(always)]
pub fn over(dst: u32, src: u32) -> u32 {
    let sa = src >> 24;
    match sa {
        255 => src,
        0 => dst,
        _ => src + mul255(dst, 255 - sa),
    }
}

/// Source-over of `src` at opacity `alpha`/256 (alpha in 0..=256): an opaque pixel is
/// mixed with `dst` in one rounding (a crossfade), any other is scaled, then laid over.
#[inline(always)]
pub fn over_with(dst: u32, src: u32, alpha: u32) -> u32 {
    if alpha < 256 && src >> 24 == 255 {
        lerp(dst, src, alpha)
    } else {
        over(dst, scale(src, alpha))
    }
}

/// Composites premultiplied `src` onto `dst` with `mode`.
#[inline(always)]
pub fn blend(dst: u32, src: u32, mode: Blend) -> u32 {
    match mode {
        Blend::Normal => over(dst, src),
        Blend::Multiply | Blend::Screen | Blend::Add => {
            let s = src.to_le_bytes().map(u32::from);
            let d = dst.to_le_bytes().map(u32::from);
            let (sa, da) = (s[3], d[3]);
            let out: [u32; 4] = match mode {
                // s·d + s·(1 − αd) + d·(1 − αs) per channel; alpha is source-over.
                // The three roundings can make a channel one more than the alpha:
                // clamped, as a premultiplied channel never exceeds its alpha (the SIMD
                // kernels' source-over relies on it).
                Blend::Multiply => {
                    let a = sa + div255(da * (255 - sa));
                    let c = |s: u32, d: u32| {
                        (div255(s * d) + div255(s * (255 - da)) + div255(d * (255 - sa))).min(a)
                    };
                    [c(s[0], d[0]), c(s[1], d[1]), c(s[2], d[2]), a]
                }
                Blend::Screen => {
                    let c = |s: u32, d: u32| s + d - div255(s * d);
                    [c(s[0], d[0]), c(s[1], d[1]), c(s[2], d[2]), c(sa, da)]
                }
                _ => [
                    (s[0] + d[0]).min(255),
                    (s[1] + d[1]).min(255),
                    (s[2] + d[2]).min(255),
                    (sa + da).min(255),
                ],
            };
            u32::from_le_bytes(out.map(|c| c as u8))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn px(c: [u8; 4]) -> u32 {
        u32::from_le_bytes(c)
    }

    #[test]
    fn div255_rounds_exactly() {
        for x in 0..=(255 * 255) {
            assert_eq!(div255(x), (x as f64 / 255.0).round() as u32, "x = {x}");
        }
    }

    #[test]
    fn packed_arithmetic_matches_per_channel_arithmetic() {
        for a in [0u32, 1, 77, 128, 254, 255] {
            for c in [0u32, 1, 100, 200, 255] {
                let p = px([c as u8, (255 - c) as u8, (c / 2) as u8, a as u8]);
                for m in [0u32, 1, 64, 200, 255] {
                    let expect = p.to_le_bytes().map(|ch| div255(u32::from(ch) * m) as u8);
                    assert_eq!(mul255(p, m).to_le_bytes(), expect);
                }
                for f in [0u32, 1, 128, 255, 256] {
                    let q = px([9, 250, 33, 200]);
                    let expect: [u8; 4] = std::array::from_fn(|i| {
                        let (x, y) = (u32::from(p.to_le_bytes()[i]), u32::from(q.to_le_bytes()[i]));
                        ((x * (256 - f) + y * f + 128) >> 8) as u8
                    });
                    assert_eq!(lerp(p, q, f).to_le_bytes(), expect);
                }
            }
        }
    }

    #[test]
    fn source_over_with_half_alpha() {
        assert_eq!(
            over(px([0, 0, 255, 255]), px([128, 0, 0, 128])).to_le_bytes(),
            [128, 0, 127, 255]
        );
        assert_eq!(over(px([1, 2, 3, 4]), 0), px([1, 2, 3, 4]));
    }

    #[test]
    fn modes_on_opaque_pixels() {
        let (d, s) = (px([200, 100, 50, 255]), px([128, 255, 0, 255]));
        assert_eq!(
            blend(d, s, Blend::Multiply).to_le_bytes(),
            [100, 100, 0, 255]
        );
        assert_eq!(
            blend(d, s, Blend::Screen).to_le_bytes(),
            [228, 255, 50, 255]
        );
        assert_eq!(blend(d, s, Blend::Add).to_le_bytes(), [255, 255, 50, 255]);
    }
}
