//! Checks against definitions:
//! - [`kernel_check`]: the row kernels against the per-pixel arithmetic of `blend.rs`;
//! - [`compositor_check`]: the compositor against a reference that has none of its
//!   shortcuts — the whole frame cleared first, every item drawn pixel by pixel with
//!   `Texels::sample` and the per-pixel arithmetic, every translucent group drawn into a
//!   scratch frame and laid over. Bands, deferred clearing, row kernels, separable
//!   sampling, span plans, copies and fused crossfades must all give the reference's
//!   bytes, on generated display lists that reach every path.
//!
//! Compiled into every build (it is small) so that the browser tests can run it in both
//! wasm builds, SIMD kernels included (`web::bench`); `cargo test` runs it natively.

use super::blend::{blend, lerp, load, over_with, scale};
use super::kernels;
use super::raster::Geometry;
use super::texels::{Placeholder, Texels};
use super::{Compositor, ImageTexels, fill_pixel, image_texels, intersect, pixel_rect};
use crate::assets::{AssetStore, DecodedImage};
use crate::model::{Blend, Bubble, BubbleShape, Display, Rgba8};
use crate::timeline::{Affine, DisplayList, Item, TextItem};

/// Draws `list` the simple way.
fn reference(list: &DisplayList, store: &AssetStore, w: usize, h: usize) -> Vec<u8> {
    let bg = list.background;
    let mut frame: Vec<u32> = vec![u32::from_le_bytes([bg.r, bg.g, bg.b, 255]); w * h];
    draw(
        &mut frame,
        w,
        [0, 0, w as i64, h as i64],
        &list.items,
        store,
    );
    frame.iter().flat_map(|p| p.to_le_bytes()).collect()
}

fn draw(frame: &mut [u32], w: usize, clip: [i64; 4], items: &[Item], store: &AssetStore) {
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
                let (texels, origin, to_screen) = image_texels(img, *src, *to_screen);
                match &texels {
                    ImageTexels::Bilinear(t) => {
                        pixels(frame, w, clip, t, origin, to_screen, *opacity, *blend);
                    }
                    ImageTexels::Trilinear(t) => {
                        pixels(frame, w, clip, t, origin, to_screen, *opacity, *blend);
                    }
                }
            }
            Item::Placeholder {
                size,
                to_screen,
                opacity,
            } => {
                let t = Placeholder {
                    w: size[0],
                    h: size[1],
                };
                pixels(
                    frame,
                    w,
                    clip,
                    &t,
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
                let [x0, y0, x1, y1] = rect.map_or(clip, |r| intersect(pixel_rect(r), clip));
                if let Some((px, alpha)) = fill_pixel(*color, *opacity) {
                    for y in y0..y1 {
                        for x in x0..x1 {
                            let d = &mut frame[y as usize * w + x as usize];
                            *d = over_with(*d, px, alpha);
                        }
                    }
                }
            }
            Item::Text {
                text,
                offset,
                opacity,
            } => {
                let Some(overlay) = crate::text::render_line(&store.fonts, &text.look()).0 else {
                    continue;
                };
                let alpha = (f64::from(*opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
                let rect = super::text::overlay_rect(&overlay, *offset);
                let area = intersect(rect, clip);
                if alpha > 0 && area[0] < area[2] && area[1] < area[3] {
                    super::text::draw_reference(frame, w, &overlay, rect, area, alpha);
                }
            }
            Item::Group {
                items,
                opacity,
                clip: group_clip,
            } => {
                let area = group_clip.map_or(clip, |r| intersect(pixel_rect(r), clip));
                if *opacity >= 1.0 {
                    draw(frame, w, area, items, store);
                    continue;
                }
                let alpha = (f64::from(*opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
                let mut scratch = vec![0u32; frame.len()];
                draw(&mut scratch, w, area, items, store);
                let [x0, y0, x1, y1] = area;
                for y in y0..y1 {
                    for x in x0..x1 {
                        let i = y as usize * w + x as usize;
                        frame[i] = over_with(frame[i], scratch[i], alpha);
                    }
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)] // raster::draw's arguments
fn pixels<T: Texels>(
    frame: &mut [u32],
    w: usize,
    clip: [i64; 4],
    texels: &T,
    origin: [f64; 2],
    to_screen: Affine,
    opacity: f32,
    mode: Blend,
) {
    let alpha = (f64::from(opacity) * 256.0).round().clamp(0.0, 256.0) as u32;
    let Some(inv) = to_screen.invert().filter(|_| alpha > 0) else {
        return;
    };
    let geometry = Geometry::new(texels.size(), origin, inv, to_screen, clip);
    for y in clip[1]..clip[3] {
        let Some(span) = geometry.row(y) else {
            continue;
        };
        for (i, x) in (span.x0..span.x1).enumerate() {
            let i = i as i64;
            let s = texels.sample(span.at.u + i * span.at.du, span.at.v + i * span.at.dv);
            let d = &mut frame[y as usize * w + x as usize];
            *d = if mode == Blend::Normal {
                over_with(*d, s, alpha)
            } else {
                blend(*d, scale(s, alpha), mode)
            };
        }
    }
}

/// A small deterministic generator.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        options[self.below(options.len() as u32) as usize]
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * f64::from(self.next()) / f64::from(u32::MAX >> 1)
    }
}

fn store() -> AssetStore {
    let image = |w: u32, h: u32, alpha: &dyn Fn(u32, u32) -> u8| {
        let data = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .flat_map(|(x, y)| {
                [
                    (x * 255 / w) as u8,
                    (y * 255 / h) as u8,
                    ((x * 7 + y * 13) % 256) as u8,
                    alpha(x, y),
                ]
            })
            .collect();
        DecodedImage::from_straight_rgba(w, h, data)
    };
    let mut store = AssetStore::default();
    store.insert_image("opaque", image(90, 70, &|_, _| 255));
    store.insert_image(
        "sprite",
        image(33, 41, &|x, y| ((x * 9 + y * 5) % 300).min(255) as u8),
    );
    store.insert_image(
        "holes",
        image(40, 30, &|x, _| if x % 7 < 3 { 0 } else { 255 }),
    );
    // The page's builds have no built-in font: their text items draw nothing, alike.
    #[cfg(not(target_arch = "wasm32"))]
    {
        store.fonts = crate::text::FontBook::with_builtin();
    }
    store
}

/// Words somewhere on (or partly off) the frame, moved and faded as transitions do.
fn text_item(r: &mut Random, w: f64, h: f64) -> Item {
    let display = r.pick(&[
        Display::Subtitle,
        Display::Bubble,
        Display::Caption,
        Display::Sfx,
    ]);
    let canvas = (w as u32, h as u32);
    let mut style = crate::text::resolve_style(display, None, &[], canvas);
    style.size = r.range(8.0, 20.0);
    style.padding = r.range(0.0, 6.0);
    style.max_width = r.range(20.0, w);
    style.margin = r.range(0.0, 10.0);
    let bubble = Bubble {
        x: Some(r.range(0.0, w)),
        y: Some(r.range(0.0, h)),
        width: Some(r.range(20.0, w)),
        tail: Some([r.range(-10.0, w), r.range(-10.0, h)]),
        shape: r.pick(&[
            BubbleShape::Speech,
            BubbleShape::Shout,
            BubbleShape::Thought,
            BubbleShape::Whisper,
            BubbleShape::Box,
        ]),
    };
    Item::Text {
        text: std::sync::Arc::new(TextItem {
            display,
            text: r
                .pick(&["雨夜归来，她没有回头。", "Hold on, wait!", "砰"])
                .into(),
            visible: r.pick(&[None, None, Some(3)]),
            speaker: None,
            style,
            bubble: Some(bubble),
            canvas,
        }),
        offset: [r.range(-30.0, 30.0), r.range(-30.0, 30.0)],
        opacity: r.pick(&[1.0, 1.0, 0.5, 0.003]),
    }
}

/// A transform that reaches one of the compositor's paths.
fn transform(r: &mut Random, w: f64, h: f64) -> Affine {
    let at = Affine::translate(r.range(-20.0, w), r.range(-20.0, h));
    match r.below(6) {
        // Whole pixels at the image's own size: copies.
        0 => Affine::translate(f64::from(r.below(60)) - 10.0, f64::from(r.below(50)) - 10.0),
        1 => at.compose(Affine::scale(r.range(1.0, 3.5))),
        2 => at.compose(Affine::scale(r.range(0.5, 1.0))),
        // Trilinear, from one level to several down.
        3 => at.compose(Affine::scale(r.range(0.05, 0.5))),
        4 => at
            .compose(Affine::rotate(r.range(-180.0, 180.0)))
            .compose(Affine::scale(r.range(0.3, 2.0))),
        // A half turn: axis-aligned, coordinates running backwards.
        _ => at.compose(Affine::rotate(180.0)),
    }
}

fn item(r: &mut Random, w: f64, h: f64, depth: u32) -> Item {
    let opacity = r.pick(&[1.0, 1.0, 0.5, 0.21, 0.003]);
    let color = Rgba8 {
        r: r.below(256) as u8,
        g: r.below(256) as u8,
        b: r.below(256) as u8,
        a: r.pick(&[255, 255, 128, 0]),
    };
    let rect = |r: &mut Random| {
        let (x, y) = (r.range(-10.0, w), r.range(-10.0, h));
        Some([x, y, r.range(0.0, w), r.range(0.0, h)])
    };
    match r.below(if depth > 0 { 8 } else { 6 }) {
        0..=2 => {
            let image = r.pick(&["opaque", "sprite", "holes", "opaque", "missing"]);
            let (iw, ih) = match image {
                "sprite" => (33.0, 41.0),
                "holes" => (40.0, 30.0),
                _ => (90.0, 70.0),
            };
            let crop = if r.below(3) == 0 {
                [3.5, 2.0, iw - 9.0, ih - 4.5]
            } else {
                [0.0, 0.0, iw, ih]
            };
            Item::Image {
                image: image.into(),
                src: crop,
                to_screen: transform(r, w, h),
                opacity,
                blend: r.pick(&[
                    Blend::Normal,
                    Blend::Normal,
                    Blend::Normal,
                    Blend::Multiply,
                    Blend::Screen,
                    Blend::Add,
                ]),
            }
        }
        3 => Item::Placeholder {
            size: [r.range(5.0, 60.0), r.range(5.0, 60.0)],
            to_screen: transform(r, w, h),
            opacity,
        },
        4 | 5 => Item::Fill {
            color,
            opacity,
            rect: if r.below(2) == 0 { None } else { rect(r) },
        },
        _ => {
            // Groups as transitions make them: often a background fill, then a shot.
            let mut items = Vec::new();
            if r.below(3) > 0 {
                items.push(Item::Fill {
                    color: Rgba8 { a: 255, ..color },
                    opacity: 1.0,
                    rect: None,
                });
            }
            for _ in 0..r.below(3) + 1 {
                items.push(item(r, w, h, depth - 1));
            }
            if r.below(3) == 0 {
                items.push(text_item(r, w, h));
            }
            Item::Group {
                items,
                opacity: r.pick(&[1.0, 0.5, 0.73]),
                clip: if r.below(2) == 0 { None } else { rect(r) },
            }
        }
    }
}

/// Draws `cases` generated display lists (from `seed`) with the compositor and with the
/// reference; returns the first difference.
pub fn compositor_check(cases: u32, seed: u64) -> Option<String> {
    let store = store();
    // Odd sizes: rows that end mid-chunk, bands that end mid-frame.
    let (w, h) = (77usize, 71usize);
    let mut compositor = Compositor::new(w as u32, h as u32);
    let mut r = Random(seed);
    for case in 0..cases {
        let mut items: Vec<Item> = (0..r.below(4) + 1)
            .map(|_| item(&mut r, w as f64, h as f64, 2))
            .collect();
        if r.below(3) == 0 {
            let at = r.below(items.len() as u32 + 1) as usize;
            items.insert(at, text_item(&mut r, w as f64, h as f64));
        }
        let list = DisplayList {
            background: Rgba8 {
                r: 20,
                g: 40,
                b: 60,
                a: 255,
            },
            items,
        };
        let want = reference(&list, &store, w, h);
        let got = compositor.render(&list, &store).data();
        if got != want {
            let i = got.iter().zip(&want).position(|(a, b)| a != b).unwrap() / 4;
            return Some(format!(
                "case {case}: pixel ({}, {}) is {:?}, the reference {:?}\n{list:#?}",
                i % w,
                i / w,
                &got[i * 4..i * 4 + 4],
                &want[i * 4..i * 4 + 4]
            ));
        }
    }
    None
}

/// Compares every row kernel with the per-pixel arithmetic of `blend.rs` on generated
/// rows (odd lengths, every weight, transparent and opaque pixels); returns what
/// differs. In the SIMD wasm build this checks the SIMD kernels against the scalar
/// definitions, in the browser.
pub fn kernel_check() -> Vec<String> {
    let mut failures = Vec::new();
    let mut fail = |what: String| {
        if failures.len() < 20 {
            failures.push(what);
        }
    };
    // Premultiplied pixels: opaque runs, transparent runs, and everything between.
    let pixels = |n: usize, seed: u32| -> Vec<u8> {
        (0..n as u32)
            .flat_map(|i| {
                let r = Random(u64::from(i) << 32 | u64::from(seed)).next()
                    ^ i.wrapping_mul(0x9e37_79b9);
                let a: u32 = match (i / 8 + seed) % 4 {
                    0 => 255,
                    1 => 0,
                    _ => r & 0xff,
                };
                let c = |k: u32| ((r >> k) & 0xff) * a / 255;
                [c(8) as u8, c(16) as u8, c(24) as u8, a as u8]
            })
            .collect()
    };
    let px = |row: &[u8], i: usize| load(&row[i * 4..]);
    for n in [1usize, 3, 4, 5, 17, 64, 203] {
        let (a, b) = (pixels(n, 1), pixels(n, 2));
        for f in [0, 1, 2, 77, 128, 200, 254, 255, 256] {
            let mut out = vec![0; n * 4];
            kernels::lerp_rows(&a, &b, f, &mut out);
            let mut in_place = a.clone();
            kernels::lerp_in_place(&mut in_place, &b, f);
            for i in 0..n {
                let want = lerp(px(&a, i), px(&b, i), f);
                if px(&out, i) != want || px(&in_place, i) != want {
                    fail(format!("lerp n={n} f={f} i={i}"));
                }
            }
        }
        for alpha in [1, 77, 128, 255, 256] {
            let mut dst = b.clone();
            kernels::over_rows(&mut dst, &a, alpha);
            let mut based = a.clone();
            let base = px(&b, 0) | 0xff00_0000;
            kernels::over_base(&mut based, base, alpha);
            for mode in [Blend::Multiply, Blend::Screen, Blend::Add] {
                let mut dst = b.clone();
                kernels::blend_rows(&mut dst, &a, alpha, mode);
                let mut based = a.clone();
                let base = px(&b, 1 % n);
                kernels::blend_base(&mut based, base, alpha, mode);
                for i in 0..n {
                    let s = scale(px(&a, i), alpha);
                    if px(&dst, i) != blend(px(&b, i), s, mode)
                        || px(&based, i) != blend(base, s, mode)
                    {
                        fail(format!("blend {mode:?} n={n} alpha={alpha} i={i}"));
                    }
                }
            }
            for i in 0..n {
                let s = px(&a, i);
                if px(&dst, i) != over_with(px(&b, i), s, alpha) {
                    fail(format!("over_rows n={n} alpha={alpha} i={i}"));
                }
                if px(&based, i) != over_with(base, s, alpha) {
                    fail(format!("over_base n={n} alpha={alpha} i={i}"));
                }
            }
        }
        for (k, fill_px) in [0u32, 0x8040_2010, 0xff12_3456, 0x0100_0000]
            .into_iter()
            .enumerate()
        {
            for alpha in [1, 100, 255, 256] {
                let mut dst = b.clone();
                kernels::fill(&mut dst, fill_px, alpha);
                let mut set = b.clone();
                kernels::set(&mut set, fill_px);
                for i in 0..n {
                    if px(&dst, i) != over_with(px(&b, i), fill_px, alpha) || px(&set, i) != fill_px
                    {
                        fail(format!("fill n={n} case={k} alpha={alpha} i={i}"));
                    }
                }
            }
        }
        // Sampling: rows of every length up to past the fast path's reach, every scale
        // the kernel has a path for, starting left of, on and right of the row.
        let row = pixels(n + 9, 3);
        let opaque_row: Vec<u8> = row
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect();
        // The definition: `row` at coordinate c, clamped to its ends.
        let sample = |row: &[u8], c: i64| {
            let last = row.len() / 4 - 1;
            let x = c >> 32;
            if x < 0 {
                px(row, 0)
            } else if x as usize >= last {
                px(row, last)
            } else {
                let f = ((c >> 24) & 0xff) as u32;
                lerp(px(row, x as usize), px(row, x as usize + 1), f)
            }
        };
        for shift in [0u32, 1] {
            let unit = 1i64 << (32 + shift);
            for du in [
                unit / 7,
                unit / 2 + 12345,
                unit * 20 / 21,
                unit,
                unit + 1,
                unit * 3 / 2,
                2 * unit,
                2 * unit + 3,
                3 * unit,
            ] {
                for u in [
                    -3 * unit - 777,
                    -unit / 3,
                    0,
                    unit / 5 + 3,
                    4 * unit + 99,
                    (n as i64 + 4) * unit,
                ] {
                    let mut out = vec![0; n * 4];
                    kernels::sample_span(&row, u, du, shift, &mut out);
                    let mut plan = kernels::SpanPlan::default();
                    plan.prepare(u, du, shift, n, row.len() / 4);
                    let alpha = [256, 128, 1][(n + shift as usize) % 3];
                    let mut over = b.clone();
                    kernels::sample_planned_over(&row, &plan, &mut over, alpha, false);
                    // Opaque texels, which the SIMD kernel mixes in without checking.
                    let mut mixed = b.clone();
                    kernels::sample_planned_over(&opaque_row, &plan, &mut mixed, alpha, true);
                    for i in 0..n {
                        let c = (u + i as i64 * du) >> shift;
                        let at = format!("n={n} shift={shift} du={du} u={u} i={i}");
                        let want = sample(&row, c);
                        if px(&out, i) != want {
                            fail(format!("sample_span {at}"));
                        }
                        if px(&over, i) != over_with(px(&b, i), want, alpha) {
                            fail(format!("sample_planned_over {at}"));
                        }
                        let want = over_with(px(&b, i), sample(&opaque_row, c), alpha);
                        if px(&mixed, i) != want {
                            fail(format!("sample_planned_over, opaque, {at}"));
                        }
                    }
                }
            }
        }
    }
    failures
}

#[cfg(test)]
#[test]
fn the_kernels_match_the_per_pixel_arithmetic() {
    assert_eq!(kernel_check(), Vec::<String>::new());
}

#[cfg(test)]
#[test]
fn the_compositor_draws_what_the_reference_draws() {
    if let Some(difference) = compositor_check(400, 7) {
        panic!("{difference}");
    }
}

#[cfg(test)]
#[test]
fn a_frame_on_texel_centres_is_the_image() {
    // The copy path, checked against the image itself.
    let store = store();
    let img = store.image("opaque").unwrap();
    let mut compositor = Compositor::new(90, 70);
    let list = DisplayList {
        background: Rgba8::BLACK,
        items: vec![Item::Image {
            image: "opaque".into(),
            src: [0.0, 0.0, 90.0, 70.0],
            to_screen: Affine::IDENTITY,
            opacity: 1.0,
            blend: Blend::Normal,
        }],
    };
    assert_eq!(compositor.render(&list, &store).data(), &img.data[..]);
}
