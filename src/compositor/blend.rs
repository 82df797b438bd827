//! Pixel arithmetic on premultiplied RGBA8, in integers so that every platform
//! produces the same bits.

use crate::model::Blend;

/// x / 255, rounded to nearest, exact for x ≤ 255 · 255 + 127.
#[inline(always)]
pub fn div255(x: u32) -> u32 {
    let x = x + 128;
    (x + (x >> 8)) >> 8
}

/// Scales a premultiplied pixel by `alpha` in 0..=256.
#[inline(always)]
pub fn scale(px: [u32; 4], alpha: u32) -> [u32; 4] {
    if alpha >= 256 {
        return px;
    }
    [
        (px[0] * alpha + 128) >> 8,
        (px[1] * alpha + 128) >> 8,
        (px[2] * alpha + 128) >> 8,
        (px[3] * alpha + 128) >> 8,
    ]
}

/// Composites premultiplied `src` onto `dst` (4 bytes) with `mode`.
#[inline(always)]
pub fn blend_into(dst: &mut [u8], src: [u32; 4], mode: Blend) {
    let sa = src[3];
    if sa == 0 && mode != Blend::Add {
        return;
    }
    let d = [
        u32::from(dst[0]),
        u32::from(dst[1]),
        u32::from(dst[2]),
        u32::from(dst[3]),
    ];
    let out = match mode {
        Blend::Normal => {
            if sa == 255 {
                src
            } else {
                let inv = 255 - sa;
                [
                    src[0] + div255(d[0] * inv),
                    src[1] + div255(d[1] * inv),
                    src[2] + div255(d[2] * inv),
                    sa + div255(d[3] * inv),
                ]
            }
        }
        Blend::Multiply => {
            // s·d + s·(1 − αd) + d·(1 − αs), per channel; alpha is source-over.
            let (ia, isa) = (255 - d[3], 255 - sa);
            let c = |s: u32, dc: u32| (div255(s * dc) + div255(s * ia) + div255(dc * isa)).min(255);
            [
                c(src[0], d[0]),
                c(src[1], d[1]),
                c(src[2], d[2]),
                sa + div255(d[3] * isa),
            ]
        }
        Blend::Screen => {
            let c = |s: u32, dc: u32| s + dc - div255(s * dc);
            [
                c(src[0], d[0]),
                c(src[1], d[1]),
                c(src[2], d[2]),
                c(sa, d[3]),
            ]
        }
        Blend::Add => [
            (src[0] + d[0]).min(255),
            (src[1] + d[1]).min(255),
            (src[2] + d[2]).min(255),
            (sa + d[3]).min(255),
        ],
    };
    dst[0] = out[0] as u8;
    dst[1] = out[1] as u8;
    dst[2] = out[2] as u8;
    dst[3] = out[3] as u8;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn div255_rounds_exactly() {
        for x in 0..=(255 * 255) {
            assert_eq!(div255(x), (x as f64 / 255.0).round() as u32, "x = {x}");
        }
    }

    #[test]
    fn source_over_with_half_alpha() {
        let mut dst = [0, 0, 255, 255];
        blend_into(&mut dst, [128, 0, 0, 128], Blend::Normal);
        assert_eq!(dst, [128, 0, 127, 255]);
    }

    #[test]
    fn modes_on_opaque_pixels() {
        let mut d = [200, 100, 50, 255];
        blend_into(&mut d, [128, 255, 0, 255], Blend::Multiply);
        assert_eq!(d, [100, 100, 0, 255]);
        let mut d = [200, 100, 50, 255];
        blend_into(&mut d, [128, 255, 0, 255], Blend::Screen);
        assert_eq!(d, [228, 255, 50, 255]);
        let mut d = [200, 100, 50, 255];
        blend_into(&mut d, [128, 255, 0, 255], Blend::Add);
        assert_eq!(d, [255, 255, 50, 255]);
    }
}
