//! Drawing a display list into an RGBA8 frame.
//!
//! The frame is one persistent buffer (the page views it in wasm memory without a
//! copy). Groups (whole shots during a transition) are drawn into pooled scratch
//! buffers and laid over the frame.

mod blend;
mod raster;

use crate::assets::AssetStore;
use crate::assets::DecodedImage;
use crate::model::{Blend, Rgba8};
use crate::timeline::Affine;
use crate::timeline::{DisplayList, Item};
use blend::{div255, load, over};
use raster::{Bilinear, Placeholder, Target, Trilinear};

/// An RGBA8 image, premultiplied (opaque once a display list is drawn, so also straight).
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    data: Vec<u8>,
}

impl Frame {
    pub fn new(width: u32, height: u32) -> Frame {
        Frame {
            width,
            height,
            data: vec![0; width as usize * height as usize * 4],
        }
    }

    pub fn data(&self) -> &[u8] {
        &self.data
    }

    pub fn into_data(self) -> Vec<u8> {
        self.data
    }
}

/// Draws display lists. Keep one per canvas: its buffers are reused frame after frame.
pub struct Compositor {
    frame: Frame,
    pool: Vec<Vec<u8>>,
}

impl Compositor {
    pub fn new(width: u32, height: u32) -> Compositor {
        Compositor {
            frame: Frame::new(width, height),
            pool: Vec::new(),
        }
    }

    pub fn frame(&self) -> &Frame {
        &self.frame
    }

    /// Draws `list` over the frame's background and returns the frame.
    pub fn render(&mut self, list: &DisplayList, store: &AssetStore) -> &Frame {
        let bg = list.background;
        for px in self.frame.data.chunks_exact_mut(4) {
            px.copy_from_slice(&[bg.r, bg.g, bg.b, 255]);
        }
        let (w, h) = (self.frame.width as usize, self.frame.height as usize);
        let full = [0, 0, w as i64, h as i64];
        draw_items(
            &mut self.frame.data,
            w,
            full,
            &list.items,
            store,
            &mut self.pool,
        );
        &self.frame
    }
}

/// Draws `items` into `data` (`w` pixels wide), only inside `clip` (`[x0, y0, x1, y1]`).
fn draw_items(
    data: &mut [u8],
    w: usize,
    clip: [i64; 4],
    items: &[Item],
    store: &AssetStore,
    pool: &mut Vec<Vec<u8>>,
) {
    for item in items {
        match item {
            Item::Image {
                image,
                src,
                to_screen,
                opacity,
                blend,
            } => {
                let Some(img) = store.image(image) else {
                    continue;
                };
                let mut target = Target {
                    data,
                    width: w,
                    clip,
                };
                draw_image(&mut target, img, *src, *to_screen, *opacity, *blend);
            }
            Item::Placeholder {
                size,
                to_screen,
                opacity,
            } => {
                let texels = Placeholder {
                    w: size[0],
                    h: size[1],
                };
                let mut target = Target {
                    data,
                    width: w,
                    clip,
                };
                raster::draw(
                    &mut target,
                    &texels,
                    [0.0, 0.0],
                    *to_screen,
                    *opacity,
                    Blend::Normal,
                );
            }
            Item::Fill {
                color,
                opacity,
                rect,
            } => {
                let area = rect.map_or(clip, |r| intersect(pixel_rect(r), clip));
                fill(data, w, area, *color, *opacity);
            }
            Item::Group {
                items,
                opacity,
                clip: group_clip,
            } => {
                let area = group_clip.map_or(clip, |r| intersect(pixel_rect(r), clip));
                if area[0] >= area[2] || area[1] >= area[3] {
                    continue;
                }
                if *opacity >= 1.0 {
                    // Opaque: the group's items can go straight onto the frame, clipped.
                    draw_items(data, w, area, items, store, pool);
                    continue;
                }
                let mut scratch = pool.pop().unwrap_or_default();
                scratch.clear();
                scratch.resize(data.len(), 0);
                draw_items(&mut scratch, w, area, items, store, pool);
                lay_over(data, &scratch, w, area, *opacity);
                pool.push(scratch);
            }
        }
    }
}

/// Draws rectangle `src` of `img` mapped by `to_screen`, from the mipmap levels that
/// match its size on screen: bilinear from the image itself when it is not shrunk,
/// trilinear between the two nearest levels when it is.
fn draw_image(
    target: &mut Target,
    img: &DecodedImage,
    src: [f64; 4],
    to_screen: Affine,
    opacity: f32,
    mode: Blend,
) {
    // Texels per screen pixel along the screen's axes (the inverse's columns).
    let footprint = to_screen.invert().map_or(1.0, |inv| {
        let [a, b, c, d, _, _] = inv.0;
        libm::hypot(a, b).max(libm::hypot(c, d))
    });
    if footprint <= 1.0 || img.mips.is_empty() {
        let texels = Bilinear::new(&img.data, img.width, img.height, src);
        raster::draw(target, &texels, [src[0], src[1]], to_screen, opacity, mode);
        return;
    }
    let lod = libm::log2(footprint).min((img.levels() - 1) as f64);
    let level = lod.floor() as usize;
    let frac = ((lod - level as f64) * 256.0).round() as u32;
    let k = f64::from(1u32 << level);
    let scaled = [src[0] / k, src[1] / k, src[2] / k, src[3] / k];
    let (fw, fh, fine) = img.level(level);
    let (cw, ch, coarse) = img.level(level + 1);
    let k2 = 2.0 * k;
    let texels = Trilinear {
        fine: Bilinear::new(fine, fw, fh, scaled),
        coarse: Bilinear::new(
            coarse,
            cw,
            ch,
            [src[0] / k2, src[1] / k2, src[2] / k2, src[3] / k2],
        ),
        frac: if level + 1 < img.levels() { frac } else { 0 },
    };
    let on_screen = to_screen.compose(Affine::scale(k));
    raster::draw(
        target,
        &texels,
        [scaled[0], scaled[1]],
        on_screen,
        opacity,
        mode,
    );
}

/// A rectangle `[x, y, w, h]` rounded to whole pixels: `[x0, y0, x1, y1]`.
fn pixel_rect(r: [f64; 4]) -> [i64; 4] {
    let x0 = r[0].round() as i64;
    let y0 = r[1].round() as i64;
    [
        x0,
        y0,
        ((r[0] + r[2]).round() as i64).max(x0),
        ((r[1] + r[3]).round() as i64).max(y0),
    ]
}

fn intersect(a: [i64; 4], b: [i64; 4]) -> [i64; 4] {
    let x0 = a[0].max(b[0]);
    let y0 = a[1].max(b[1]);
    [x0, y0, a[2].min(b[2]).max(x0), a[3].min(b[3]).max(y0)]
}

fn fill(data: &mut [u8], w: usize, area: [i64; 4], color: Rgba8, opacity: f32) {
    let alpha = (f64::from(opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
    let a = (u32::from(color.a) * alpha + 128) >> 8;
    if a == 0 {
        return;
    }
    let premultiply = |c: u8| div255(u32::from(c) * a) as u8;
    let px = u32::from_le_bytes([
        premultiply(color.r),
        premultiply(color.g),
        premultiply(color.b),
        a as u8,
    ]);
    let [x0, y0, x1, y1] = area;
    for y in y0..y1 {
        let row = &mut data[(y as usize * w + x0 as usize) * 4..(y as usize * w + x1 as usize) * 4];
        for d in row.chunks_exact_mut(4) {
            d.copy_from_slice(&over(load(d), px).to_le_bytes());
        }
    }
}

/// Source-over of `src` onto `dst` within `rect`, with `opacity`.
fn lay_over(dst: &mut [u8], src: &[u8], w: usize, rect: [i64; 4], opacity: f32) {
    let alpha = (f64::from(opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
    if alpha == 0 {
        return;
    }
    let [x0, y0, x1, y1] = rect;
    for y in y0..y1 {
        let range = (y as usize * w + x0 as usize) * 4..(y as usize * w + x1 as usize) * 4;
        for (d, s) in dst[range.clone()]
            .chunks_exact_mut(4)
            .zip(src[range].chunks_exact(4))
        {
            d.copy_from_slice(&over(load(d), blend::scale(load(s), alpha)).to_le_bytes());
        }
    }
}
