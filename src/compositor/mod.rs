//! Drawing a display list into an RGBA8 frame.
//!
//! The frame is one persistent buffer (the page views it in wasm memory without a
//! copy). It is drawn in bands of a few rows, every item of the list in turn clipped to
//! the band, so the rows being worked on stay in the processor's cache, and groups
//! (whole shots during a transition) need scratch rows only the size of a band.
//!
//! What makes a frame cheap, without changing a bit of it:
//! - clearing is deferred (see [`raster::Under`]): the background, or an opaque fill over
//!   the whole area, is written by the first picture drawn over it, in the same pass;
//! - opaque pictures at full opacity are sampled straight into the frame;
//! - a translucent group that is one picture on a colour (a crossfade's incoming shot)
//!   is laid over row by row as it is sampled, without scratch rows;
//! - axis-aligned pictures are sampled in two passes of SIMD row kernels (`texels`,
//!   `kernels`), and copied when drawn at their own size on whole pixels.
//!
//! `check` compares all this with a reference that does none of it.

pub mod bench;
mod blend;
pub mod check;
mod kernels;
mod raster;
mod texels;
mod text;

use crate::assets::AssetStore;
use crate::assets::DecodedImage;
use crate::model::{Blend, Rgba8};
use crate::text::Overlay;
use crate::timeline::Affine;
use crate::timeline::{DisplayList, Item};
use blend::{div255, over_with};
use raster::{Target, Under};
use std::sync::Arc;
use texels::{Bilinear, Placeholder, RowBuffers, Trilinear};

/// Rows per band: two bands of a 1080-pixel frame (the frame's and a group's) take
/// about 140 KB, which stays in a core's L2 cache. (8 to 64 rows measure within a few
/// percent of each other; 16 was a little ahead.)
const BAND_ROWS: usize = 16;

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
    scratch: Scratch,
    texts: text::TextCache,
}

/// Buffers reused from band to band and frame to frame.
#[derive(Default)]
struct Scratch {
    /// Bands for groups drawn on their own (one per level of nesting in use).
    bands: Vec<Vec<u8>>,
    rows: RowBuffers,
    /// The frame's text overlays, by [`text::key`].
    overlays: Vec<(usize, Option<Arc<Overlay>>, i64)>,
}

impl Compositor {
    pub fn new(width: u32, height: u32) -> Compositor {
        Compositor {
            frame: Frame::new(width, height),
            scratch: Scratch::default(),
            texts: text::TextCache::default(),
        }
    }

    pub fn frame(&self) -> &Frame {
        &self.frame
    }

    /// Draws `list` over the frame's background and returns the frame.
    pub fn render(&mut self, list: &DisplayList, store: &AssetStore) -> &Frame {
        let bg = list.background;
        let bg = u32::from_le_bytes([bg.r, bg.g, bg.b, 255]);
        let w = self.frame.width as usize;
        self.scratch.overlays.clear();
        self.texts
            .frame_overlays(&list.items, &store.fonts, &mut self.scratch.overlays);
        for (i, band) in self.frame.data.chunks_mut(BAND_ROWS * w * 4).enumerate() {
            let top = (i * BAND_ROWS) as i64;
            let rows = (band.len() / (w * 4)) as i64;
            let mut target = Target {
                data: band,
                width: w,
                top,
                clip: [0, top, w as i64, top + rows],
            };
            let mut under = Under::Uniform(bg);
            draw_items(
                &mut target,
                &list.items,
                store,
                &mut under,
                &mut self.scratch,
            );
            settle(&mut target, &mut under);
        }
        &self.frame
    }
}

/// Writes a pending uniform colour (see [`Under`]) into the target's clip.
fn settle(target: &mut Target, under: &mut Under) {
    if let Under::Uniform(c) = *under {
        let [x0, y0, x1, y1] = target.clip;
        for y in y0..y1 {
            kernels::set(target.row(y, x0, x1), c);
        }
    }
    *under = Under::Pixels;
}

/// Draws `items` into the target, inside its clip. `under` says what the clip holds,
/// and is updated: a deferred colour is either consumed by an item or written out.
fn draw_items(
    target: &mut Target,
    items: &[Item],
    store: &AssetStore,
    under: &mut Under,
    scratch: &mut Scratch,
) {
    let clip = target.clip;
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
                draw_image(
                    target,
                    img,
                    *src,
                    *to_screen,
                    *opacity,
                    *blend,
                    *under,
                    &mut scratch.rows,
                );
                *under = Under::Pixels;
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
                raster::draw(
                    target,
                    &texels,
                    [0.0, 0.0],
                    *to_screen,
                    *opacity,
                    Blend::Normal,
                    *under,
                    &mut scratch.rows,
                );
                *under = Under::Pixels;
            }
            Item::Fill {
                color,
                opacity,
                rect,
            } => {
                let area = rect.map_or(clip, |r| intersect(pixel_rect(r), clip));
                let Some((px, alpha)) = fill_pixel(*color, *opacity) else {
                    continue;
                };
                match *under {
                    // Over the whole clip: the clip stays one colour.
                    Under::Uniform(c) if area == clip => {
                        *under = Under::Uniform(over_with(c, px, alpha));
                    }
                    _ if area == clip && px >> 24 == 255 && alpha == 256 => {
                        *under = Under::Uniform(px);
                    }
                    _ => {
                        settle(target, under);
                        fill(target, area, px, alpha);
                    }
                }
            }
            Item::Text {
                text: words,
                offset,
                opacity,
            } => {
                let key = text::key(words);
                let Some((overlay, dy)) = scratch
                    .overlays
                    .iter()
                    .find(|(k, ..)| *k == key)
                    .and_then(|(_, o, dy)| Some((o.clone()?, *dy)))
                else {
                    continue;
                };
                let alpha = (f64::from(*opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
                let rect = text::overlay_rect(&overlay, [offset[0], offset[1] + dy as f64]);
                let area = intersect(rect, clip);
                if alpha == 0 || area[0] >= area[2] || area[1] >= area[3] {
                    continue;
                }
                settle(target, under);
                text::draw(target, &overlay, rect, area, alpha);
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
                    if area == clip {
                        draw_items(target, items, store, under, scratch);
                    } else {
                        settle(target, under);
                        let mut inner = Target {
                            data: &mut *target.data,
                            clip: area,
                            ..*target
                        };
                        let mut inner_under = Under::Pixels;
                        draw_items(&mut inner, items, store, &mut inner_under, scratch);
                        settle(&mut inner, &mut inner_under);
                    }
                    continue;
                }
                settle(target, under);
                let alpha = (f64::from(*opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
                if alpha == 0 {
                    continue;
                }
                let mut inner = Target {
                    data: &mut *target.data,
                    clip: area,
                    ..*target
                };
                if let Some((base, picture)) = one_picture(items, area, store) {
                    // A crossfade's incoming shot, when it is one picture: laid over row
                    // by row as it is drawn.
                    let under = Under::Layer { base, alpha };
                    draw_items(
                        &mut inner,
                        std::slice::from_ref(picture),
                        store,
                        &mut { under },
                        scratch,
                    );
                    continue;
                }
                let mut band = scratch.bands.pop().unwrap_or_default();
                if band.len() < target.data.len() {
                    band.resize(target.data.len(), 0);
                }
                let mut inner = Target {
                    data: &mut band[..target.data.len()],
                    clip: area,
                    ..*target
                };
                // A group starts out transparent.
                let mut inner_under = Under::Uniform(0);
                draw_items(&mut inner, items, store, &mut inner_under, scratch);
                match inner_under {
                    // One colour all over: no need for the scratch rows.
                    Under::Uniform(c) => fill(target, area, c, alpha),
                    Under::Pixels => {
                        let [x0, y0, x1, y1] = area;
                        for y in y0..y1 {
                            kernels::over_rows(target.row(y, x0, x1), inner.row(y, x0, x1), alpha);
                        }
                    }
                    Under::Layer { .. } => unreachable!("groups start out uniform"),
                }
                scratch.bands.push(band);
            }
        }
    }
}

/// A group's items as one colour over the whole `area` (its leading fills, folded as
/// `draw_items` folds them, onto transparency) under one picture, when they are that.
fn one_picture<'a>(
    items: &'a [Item],
    area: [i64; 4],
    store: &AssetStore,
) -> Option<(u32, &'a Item)> {
    let (picture, fills) = items.split_last()?;
    let mut base = 0;
    for fill in fills {
        let Item::Fill {
            color,
            opacity,
            rect,
        } = fill
        else {
            return None;
        };
        if rect.is_some_and(|r| intersect(pixel_rect(r), area) != area) {
            return None;
        }
        if let Some((px, alpha)) = fill_pixel(*color, *opacity) {
            base = over_with(base, px, alpha);
        }
    }
    match picture {
        Item::Image { image, .. } if store.image(image).is_some() => Some((base, picture)),
        Item::Placeholder { .. } => Some((base, picture)),
        _ => None,
    }
}

/// Draws rectangle `src` of `img` mapped by `to_screen` (see [`image_texels`]).
#[allow(clippy::too_many_arguments)] // `raster::draw`'s arguments, and the image
fn draw_image(
    target: &mut Target,
    img: &DecodedImage,
    src: [f64; 4],
    to_screen: Affine,
    opacity: f32,
    mode: Blend,
    under: Under,
    rows: &mut RowBuffers,
) {
    let (texels, origin, to_screen) = image_texels(img, src, to_screen);
    match &texels {
        ImageTexels::Bilinear(t) => {
            raster::draw(target, t, origin, to_screen, opacity, mode, under, rows);
        }
        ImageTexels::Trilinear(t) => {
            raster::draw(target, t, origin, to_screen, opacity, mode, under, rows);
        }
    }
}

/// The texels of an image as drawn.
enum ImageTexels<'a> {
    Bilinear(Bilinear<'a>),
    Trilinear(Trilinear<'a>),
}

/// Rectangle `src` of `img` mapped by `to_screen`, from the mipmap levels that match its
/// size on screen: bilinear from the image itself when it is not shrunk, trilinear
/// between the two nearest levels when it is. Returns the texels, the rectangle's origin
/// in them and the transform from them to the screen.
fn image_texels(
    img: &DecodedImage,
    src: [f64; 4],
    to_screen: Affine,
) -> (ImageTexels<'_>, [f64; 2], Affine) {
    // Texels per screen pixel along the screen's axes (the inverse's columns).
    let footprint = to_screen.invert().map_or(1.0, |inv| {
        let [a, b, c, d, _, _] = inv.0;
        libm::hypot(a, b).max(libm::hypot(c, d))
    });
    if footprint <= 1.0 || img.mips.is_empty() {
        let texels = Bilinear::new(&img.data, img.width, img.height, src, img.opaque);
        return (ImageTexels::Bilinear(texels), [src[0], src[1]], to_screen);
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
        fine: Bilinear::new(fine, fw, fh, scaled, img.opaque),
        coarse: Bilinear::new(
            coarse,
            cw,
            ch,
            [src[0] / k2, src[1] / k2, src[2] / k2, src[3] / k2],
            img.opaque,
        ),
        frac: if level + 1 < img.levels() { frac } else { 0 },
    };
    (
        ImageTexels::Trilinear(texels),
        [scaled[0], scaled[1]],
        to_screen.compose(Affine::scale(k)),
    )
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

/// A fill's premultiplied colour and its opacity (0..=256); `None` when it is invisible.
fn fill_pixel(color: Rgba8, opacity: f32) -> Option<(u32, u32)> {
    let alpha = (f64::from(opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
    let a = u32::from(color.a);
    if a == 0 || alpha == 0 {
        return None;
    }
    let premultiply = |c: u8| div255(u32::from(c) * a) as u8;
    let px = u32::from_le_bytes([
        premultiply(color.r),
        premultiply(color.g),
        premultiply(color.b),
        color.a,
    ]);
    Some((px, alpha))
}

/// `px` at opacity `alpha` over every pixel of `area`.
fn fill(target: &mut Target, area: [i64; 4], px: u32, alpha: u32) {
    let [x0, y0, x1, y1] = area;
    if x0 >= x1 || alpha == 0 || px == 0 {
        return;
    }
    for y in y0..y1 {
        let row = target.row(y, x0, x1);
        if px >> 24 == 255 && alpha == 256 {
            kernels::set(row, px);
        } else {
            kernels::fill(row, px, alpha);
        }
    }
}
