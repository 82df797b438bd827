//! The frames `npm run bench` times (and `cargo run --release --example bench_frames`
//! natively): display lists over images generated here, so the benchmark needs no asset
//! files. Not part of the player; the page's bench and its tests use it through
//! `web::bench`.
//!
//! - `typical`: a full-frame panel under a slow zoom (1.0–1.1, sub-pixel moves), a second
//!   one cross-fading over it at 50 %, a subtitle box;
//! - `parallax`: three layers (a wide background, a character with alpha, a foreground
//!   with alpha) under a camera pan, each at its own parallax;
//! - `wipe`: a zooming panel, and a second one revealed by a moving edge;
//! - `page`: a 4000×6000 comic page zoomed out to fit (trilinear from its mipmaps).

pub use super::check::{compositor_check, kernel_check};
use super::kernels;
use crate::assets::{AssetStore, DecodedImage};
use crate::model::{Blend, Rgba8};
use crate::timeline::{Affine, DisplayList, Item};
use serde_json::{Value, json};

/// The scenes, in the order the bench prints them.
pub const SCENES: [&str; 4] = ["typical", "parallax", "wipe", "page"];

/// Frames in each scene's animation.
pub const FRAMES: u32 = 60;

const W: f64 = 1080.0;
const H: f64 = 1920.0;
const BACKGROUND: Rgba8 = Rgba8 {
    r: 0,
    g: 0,
    b: 0,
    a: 255,
};

/// One benchmark scene: its images and its display list at each frame.
pub struct Scene {
    pub name: &'static str,
    pub store: AssetStore,
    /// Image ids and sizes, as drawn.
    pub images: Vec<(&'static str, u32, u32)>,
}

impl Scene {
    /// The scene called `name` (see [`SCENES`]), its images generated.
    pub fn new(name: &str) -> Option<Scene> {
        let name = *SCENES.iter().find(|s| **s == name)?;
        let mut store = AssetStore::default();
        let mut images = Vec::new();
        let mut add = |id: &'static str, img: DecodedImage| {
            images.push((id, img.width, img.height));
            store.insert_image(id, img);
        };
        match name {
            "typical" | "wipe" => {
                add("a", panel(1080, 1920, 1));
                add("b", panel(1080, 1920, 2));
            }
            "parallax" => {
                add("back", panel(1600, 1920, 3));
                add("figure", figure(660, 1200));
                add("rain", rain(1080, 2400));
            }
            _ => add("page", page(4000, 6000)),
        }
        Some(Scene {
            name,
            store,
            images,
        })
    }

    pub fn width(&self) -> u32 {
        W as u32
    }

    pub fn height(&self) -> u32 {
        H as u32
    }

    /// The display list of frame `i` (of [`FRAMES`], then repeating).
    pub fn list(&self, i: u32) -> DisplayList {
        let t = f64::from(i % FRAMES) / f64::from(FRAMES - 1);
        let items = match self.name {
            "typical" => vec![
                image("a", [1080.0, 1920.0], zoom(1.0 + 0.1 * t, 3.3 * t, 1.7 * t)),
                Item::Group {
                    items: vec![
                        fill(BACKGROUND, None),
                        image(
                            "b",
                            [1080.0, 1920.0],
                            zoom(1.05 - 0.05 * t, -2.1 * t, 0.9 * t),
                        ),
                    ],
                    opacity: 0.5,
                    clip: None,
                },
                fill(
                    Rgba8 {
                        r: 11,
                        g: 13,
                        b: 28,
                        a: 204,
                    },
                    Some([60.0, 1500.0, 960.0, 220.0]),
                ),
            ],
            "parallax" => {
                // The camera pans 120 px; each layer moves by its parallax times that.
                let pan = -120.0 * t;
                let layer = |p: f64, at: Affine| Affine::translate(pan * p, 0.0).compose(at);
                vec![
                    image(
                        "back",
                        [1600.0, 1920.0],
                        layer(0.6, Affine::translate(-260.0, 0.0)),
                    ),
                    image(
                        "figure",
                        [660.0, 1200.0],
                        layer(1.0, Affine::translate(300.3, 700.6)),
                    ),
                    image(
                        "rain",
                        [1080.0, 2400.0],
                        layer(
                            1.25,
                            Affine::translate(0.0, -200.0 - 150.0 * t).compose(Affine::scale(1.1)),
                        ),
                    ),
                ]
            }
            "wipe" => {
                let p = 0.4 + 0.2 * t;
                vec![
                    image("a", [1080.0, 1920.0], zoom(1.0 + 0.1 * t, 3.3 * t, 1.7 * t)),
                    Item::Group {
                        items: vec![
                            fill(BACKGROUND, None),
                            image("b", [1080.0, 1920.0], zoom(1.02, 0.0, 0.0)),
                        ],
                        opacity: 1.0,
                        clip: Some([0.0, 0.0, p * W, H]),
                    },
                ]
            }
            _ => {
                // "contain": 6000 px tall into 1920, then the camera zooms in by 10 %.
                let fit = (W / 4000.0).min(H / 6000.0) * (1.0 + 0.1 * t);
                let at = Affine::translate(W / 2.0, H / 2.0)
                    .compose(Affine::scale(fit))
                    .compose(Affine::translate(-2000.0, -3000.0));
                vec![image("page", [4000.0, 6000.0], at)]
            }
        };
        DisplayList {
            background: BACKGROUND,
            items,
        }
    }

    /// Frame `i`'s display list as JSON, for the page's Canvas 2D implementation:
    /// `{background, items}`, items `{type: "image", image, src, transform, opacity,
    /// blend}`, `{type: "fill", color: [r, g, b, a], opacity, rect}` or `{type: "group",
    /// items, opacity, clip}` (rectangles `[x, y, w, h]`, `null` for the whole frame).
    pub fn describe(&self, i: u32) -> String {
        let list = self.list(i);
        let bg = list.background;
        json!({
            "background": [bg.r, bg.g, bg.b, bg.a],
            "items": describe_items(&list.items),
        })
        .to_string()
    }
}

fn describe_items(items: &[Item]) -> Value {
    items
        .iter()
        .map(|item| match item {
            Item::Image {
                image,
                src,
                to_screen,
                opacity,
                blend,
            } => json!({
                "type": "image",
                "image": image,
                "src": src,
                "transform": to_screen.0,
                "opacity": opacity,
                "blend": match blend {
                    Blend::Normal => "normal",
                    Blend::Multiply => "multiply",
                    Blend::Screen => "screen",
                    Blend::Add => "add",
                },
            }),
            Item::Placeholder { .. } => json!({ "type": "placeholder" }),
            Item::Text { .. } => json!({ "type": "text" }),
            Item::Fill {
                color,
                opacity,
                rect,
            } => json!({
                "type": "fill",
                "color": [color.r, color.g, color.b, color.a],
                "opacity": opacity,
                "rect": rect,
            }),
            Item::Group {
                items,
                opacity,
                clip,
            } => json!({
                "type": "group",
                "items": describe_items(items),
                "opacity": opacity,
                "clip": clip,
            }),
        })
        .collect()
}

fn image(id: &str, size: [f64; 2], to_screen: Affine) -> Item {
    Item::Image {
        image: id.to_string(),
        src: [0.0, 0.0, size[0], size[1]],
        to_screen,
        opacity: 1.0,
        blend: Blend::Normal,
    }
}

fn fill(color: Rgba8, rect: Option<[f64; 4]>) -> Item {
    Item::Fill {
        color,
        opacity: 1.0,
        rect,
    }
}

/// A frame-sized panel scaled by `s` about the frame's centre, then moved by (dx, dy).
fn zoom(s: f64, dx: f64, dy: f64) -> Affine {
    Affine::translate(W / 2.0 + dx, H / 2.0 + dy)
        .compose(Affine::scale(s))
        .compose(Affine::translate(-W / 2.0, -H / 2.0))
}

/// A small integer hash: noise that is the same on every platform.
fn hash(x: u32, y: u32, seed: u32) -> u32 {
    let mut h =
        x.wrapping_mul(0x9e37_79b1) ^ y.wrapping_mul(0x85eb_ca77) ^ seed.wrapping_mul(0xc2b2_ae3d);
    h ^= h >> 15;
    h = h.wrapping_mul(0x2c1b_3c6d);
    h ^ (h >> 12)
}

/// Straight RGBA pixels from `f(x, y)`.
fn generate(w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 4]) -> DecodedImage {
    let mut data = Vec::with_capacity(w as usize * h as usize * 4);
    for y in 0..h {
        for x in 0..w {
            data.extend_from_slice(&f(x, y));
        }
    }
    DecodedImage::from_straight_rgba(w, h, data)
}

/// Opaque art: a gradient sky, a few discs, hatching, grain.
fn panel(w: u32, h: u32, seed: u32) -> DecodedImage {
    let discs: Vec<(i64, i64, i64, [u8; 3])> = (0..6)
        .map(|k| {
            let r = hash(k, 1, seed);
            (
                i64::from(r % w),
                i64::from((r >> 11) % h),
                i64::from(60 + (r >> 7) % 260),
                [(r >> 3) as u8, (r >> 13) as u8, (r >> 21) as u8],
            )
        })
        .collect();
    generate(w, h, |x, y| {
        let (xi, yi) = (i64::from(x), i64::from(y));
        let mut c = [
            (40 + 180 * x / w) as u8,
            (30 + 150 * y / h) as u8,
            (90 + (seed * 50) % 120) as u8,
        ];
        for &(cx, cy, r, col) in &discs {
            let d2 = (xi - cx).pow(2) + (yi - cy).pow(2);
            if d2 < r * r {
                c = col;
                if d2 > (r - 6) * (r - 6) {
                    c = [20, 20, 24];
                }
            }
        }
        if (x + 2 * y) % 23 < 2 && y > h / 2 {
            c = c.map(|v| v / 2);
        }
        let n = (hash(x, y, seed) & 15) as u8;
        [
            c[0].saturating_add(n),
            c[1].saturating_add(n),
            c[2].saturating_add(n),
            255,
        ]
    })
}

/// A character cut out on transparency, with a soft edge.
fn figure(w: u32, h: u32) -> DecodedImage {
    let (cx, rx) = (f64::from(w) / 2.0, f64::from(w) * 0.42);
    generate(w, h, |x, y| {
        let fy = f64::from(y) / f64::from(h);
        let half = rx * (0.35 + 0.65 * fy.min(0.6) / 0.6);
        let head = ((f64::from(x) - cx).powi(2) + (f64::from(y) - 0.14 * f64::from(h)).powi(2))
            .sqrt()
            - 0.12 * f64::from(h);
        let body = (f64::from(x) - cx).abs() - half;
        let d = if fy < 0.27 { head } else { body.min(head) };
        let a = (128.0 - d * 64.0).clamp(0.0, 255.0) as u8;
        let shade = (60 + 120 * y / h) as u8;
        [shade, shade / 2, 70, a]
    })
}

/// Rain over transparency: thin slanted streaks, half-transparent.
fn rain(w: u32, h: u32) -> DecodedImage {
    generate(w, h, |x, y| {
        let lane = (x + y / 4) / 9;
        let on = hash(lane, y / 70, 7).is_multiple_of(5) && (x + y / 4) % 9 < 2;
        if on {
            [200, 210, 230, 110]
        } else {
            [0, 0, 0, 0]
        }
    })
}

/// A comic page: paper, a grid of panels with black borders, lines of "text".
fn page(w: u32, h: u32) -> DecodedImage {
    let (cols, rows, margin, gutter) = (2u32, 4u32, 120u32, 60u32);
    let pw = (w - 2 * margin - (cols - 1) * gutter) / cols;
    let ph = (h - 2 * margin - (rows - 1) * gutter) / rows;
    generate(w, h, |x, y| {
        let (gx, gy) = (x.wrapping_sub(margin), y.wrapping_sub(margin));
        let (col, row) = (gx / (pw + gutter), gy / (ph + gutter));
        let (ix, iy) = (gx % (pw + gutter), gy % (ph + gutter));
        if col >= cols || row >= rows || ix >= pw || iy >= ph {
            return [246, 240, 228, 255];
        }
        if ix < 10 || iy < 10 || ix >= pw - 10 || iy >= ph - 10 {
            return [16, 16, 16, 255];
        }
        let k = row * cols + col;
        // Speech lines in the panel's top left, art elsewhere.
        if ix < pw / 2 && iy > 60 && iy < 300 && iy % 48 < 10 && ix > 60 {
            return [30, 30, 30, 255];
        }
        let v = ((ix / 3 + iy / 5 + k * 40) % 200) as u8;
        let n = (hash(x, y, k) & 7) as u8;
        [55 + v / 2 + n, 80 + v / 3, 120 + (k * 15) as u8 % 100, 255]
    })
}

/// Times a kernel alone over a frame's worth of rows (1920 rows of 1080 pixels) with
/// the typical frame's parameters: where a frame's time goes.
pub struct KernelBench {
    a: Vec<u8>,
    b: Vec<u8>,
    out: Vec<u8>,
    plans: [kernels::SpanPlan; 2],
}

/// The kernels [`KernelBench::run`] knows.
pub const KERNELS: [&str; 7] = [
    "clear",
    "vertical",
    "horizontal",
    "horizontal-mix",
    "horizontal-2x",
    "over-50%",
    "over-opaque",
];

impl Default for KernelBench {
    fn default() -> Self {
        const ONE: i64 = 1 << 32;
        let img = panel(2200, 2, 5);
        let mut plans = [kernels::SpanPlan::default(), kernels::SpanPlan::default()];
        // A 1.05 zoom (0.952 texels per pixel), and a 0.55 one (1.9 texels per pixel).
        plans[0].prepare(ONE / 3, ONE * 20 / 21, 0, 1080, 1088);
        plans[1].prepare(ONE / 3, ONE * 19 / 10, 0, 1080, 2200);
        KernelBench {
            a: img.data[..2200 * 4].to_vec(),
            b: img.data[2200 * 4..].to_vec(),
            out: vec![0; 1080 * 4],
            plans,
        }
    }
}

/// One row of each kernel, not inlined: a wasm engine optimises a function once it has
/// been called often enough, and a loop inlined into one long call may never be.
#[inline(never)]
fn row_kernel(bench: &mut KernelBench, name: &str, y: u32) -> bool {
    let (a, b, out) = (&bench.a[..], &bench.b[..], &mut bench.out[..]);
    let row = &a[..1080 * 4];
    match name {
        "clear" => kernels::set(out, 0xff00_0000),
        "vertical" => kernels::lerp_rows(row, &b[..1080 * 4], 77 + (y & 127), out),
        "horizontal" => kernels::sample_planned(&a[..1088 * 4], &bench.plans[0], out),
        "horizontal-mix" => {
            kernels::sample_planned_over(&a[..1088 * 4], &bench.plans[0], out, 128, true)
        }
        "horizontal-2x" => kernels::sample_planned(a, &bench.plans[1], out),
        "over-50%" => kernels::over_rows(out, row, 128),
        "over-opaque" => kernels::over_rows(out, row, 256),
        _ => return false,
    }
    true
}

impl KernelBench {
    /// Runs kernel `name` over 1920 rows; false when there is no such kernel.
    pub fn run(&mut self, name: &str) -> bool {
        (0..1920).all(|y| row_kernel(self, name, y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scene_draws() {
        for name in SCENES {
            // The page is 24 megapixels: generating it is the slow part, skip it here.
            if name == "page" {
                continue;
            }
            let scene = Scene::new(name).unwrap();
            let mut c = super::super::Compositor::new(scene.width(), scene.height());
            let frame = c.render(&scene.list(7), &scene.store);
            assert!(frame.data().chunks_exact(4).all(|p| p[3] == 255), "{name}");
            assert!(scene.describe(7).starts_with("{\"background\""));
        }
    }
}
