//! Generates the bundled demo drama in `www/demo/`: drawn art, voices, music and the manifest.
//!
//! ```text
//! cargo run --release --example make_demo            # writes www/demo/
//! cargo run --release --example make_demo -- OUT_DIR # writes somewhere else
//! ```
//!
//! Everything is deterministic: the art is drawn with tiny-skia from a seeded xorshift RNG,
//! the music and sound effects are synthesised here, and the voices come from espeak-ng
//! (Debian package `espeak-ng`). `ffmpeg` (with libvorbis) encodes the audio to Ogg Vorbis
//! with its bit-exact flags, so a rerun rewrites identical files.

use std::f32::consts::PI;
use std::fs;
use std::path::{Path as FsPath, PathBuf};
use std::process::Command;

use tiny_skia::{
    Color, FillRule, GradientStop, LinearGradient, Mask, Paint, Path, PathBuilder, Pixmap, Point,
    RadialGradient, Rect, Shader, SpreadMode, Stroke, Transform,
};

const W: u32 = 1080;
const H: u32 = 1920;

fn main() {
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| FsPath::new(env!("CARGO_MANIFEST_DIR")).join("www/demo"));
    let only = std::env::var("MAKE_DEMO_ONLY").ok();
    for dir in ["img", "voice", "music", "sfx"] {
        fs::create_dir_all(out.join(dir)).expect("cannot create the output directory");
    }
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o.split(',').any(|w| w == name));

    if wanted("img") {
        make_images(&out, &wanted);
    }
}

// ---------------------------------------------------------------------------------------------
// Randomness: a tiny xorshift so reruns draw the same rain drops and windows.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// Uniform in [0, 1).
    fn f(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.f()
    }
    fn chance(&mut self, p: f32) -> bool {
        self.f() < p
    }
}

// ---------------------------------------------------------------------------------------------
// Colours and paths.

type P = (f32, f32);

fn rgb(hex: u32) -> Color {
    rgba(hex, 1.0)
}

fn rgba(hex: u32, a: f32) -> Color {
    let c = |s: u32| ((hex >> s) & 0xff) as f32 / 255.0;
    Color::from_rgba(c(16), c(8), c(0), a.clamp(0.0, 1.0)).unwrap()
}

/// Linear mix of two hex colours.
fn mix(a: u32, b: u32, t: f32) -> u32 {
    let ch = |s: u32| {
        let (x, y) = (((a >> s) & 0xff) as f32, ((b >> s) & 0xff) as f32);
        ((x + (y - x) * t).round() as u32).min(255) << s
    };
    ch(16) | ch(8) | ch(0)
}

fn stops(list: &[(f32, Color)]) -> Vec<GradientStop> {
    list.iter().map(|&(t, c)| GradientStop::new(t, c)).collect()
}

fn linear(a: P, b: P, list: &[(f32, Color)]) -> Shader<'static> {
    LinearGradient::new(
        Point::from_xy(a.0, a.1),
        Point::from_xy(b.0, b.1),
        stops(list),
        SpreadMode::Pad,
        Transform::identity(),
    )
    .expect("a valid linear gradient")
}

fn radial(c: P, r: f32, list: &[(f32, Color)]) -> Shader<'static> {
    RadialGradient::new(
        Point::from_xy(c.0, c.1),
        Point::from_xy(c.0, c.1),
        r,
        stops(list),
        SpreadMode::Pad,
        Transform::identity(),
    )
    .expect("a valid radial gradient")
}

/// A soft round glow: the colour at the centre fading to nothing at radius `r`.
fn glow(hex: u32, alpha: f32, c: P, r: f32) -> (Path, Shader<'static>) {
    let shader = radial(
        c,
        r,
        &[
            (0.0, rgba(hex, alpha)),
            (0.35, rgba(hex, alpha * 0.45)),
            (1.0, rgba(hex, 0.0)),
        ],
    );
    (circle(c.0, c.1, r), shader)
}

fn circle(x: f32, y: f32, r: f32) -> Path {
    PathBuilder::from_circle(x, y, r.max(0.01)).unwrap()
}

fn ellipse(x: f32, y: f32, rx: f32, ry: f32) -> Path {
    PathBuilder::from_oval(Rect::from_xywh(x - rx, y - ry, 2.0 * rx, 2.0 * ry).unwrap()).unwrap()
}

fn rect(x: f32, y: f32, w: f32, h: f32) -> Path {
    PathBuilder::from_rect(Rect::from_xywh(x, y, w.max(0.01), h.max(0.01)).unwrap())
}

fn poly(pts: &[P], closed: bool) -> Path {
    let mut pb = PathBuilder::new();
    pb.move_to(pts[0].0, pts[0].1);
    for p in &pts[1..] {
        pb.line_to(p.0, p.1);
    }
    if closed {
        pb.close();
    }
    pb.finish().unwrap()
}

/// A smooth curve through the points (Catmull-Rom turned into cubic Béziers).
fn smooth(pts: &[P], closed: bool) -> Path {
    let n = pts.len();
    let at = |i: isize| -> P {
        if closed {
            pts[i.rem_euclid(n as isize) as usize]
        } else {
            pts[i.clamp(0, n as isize - 1) as usize]
        }
    };
    let mut pb = PathBuilder::new();
    pb.move_to(pts[0].0, pts[0].1);
    let segments = if closed { n } else { n - 1 };
    for i in 0..segments as isize {
        let (p0, p1, p2, p3) = (at(i - 1), at(i), at(i + 1), at(i + 2));
        let c1 = (p1.0 + (p2.0 - p0.0) / 6.0, p1.1 + (p2.1 - p0.1) / 6.0);
        let c2 = (p2.0 - (p3.0 - p1.0) / 6.0, p2.1 - (p3.1 - p1.1) / 6.0);
        pb.cubic_to(c1.0, c1.1, c2.0, c2.1, p2.0, p2.1);
    }
    if closed {
        pb.close();
    }
    pb.finish().unwrap()
}

/// Points along the Catmull-Rom curve through `pts`, `per` samples per segment.
fn sample_curve(pts: &[P], per: usize) -> Vec<P> {
    let n = pts.len();
    let at = |i: isize| pts[i.clamp(0, n as isize - 1) as usize];
    let mut out = Vec::with_capacity((n - 1) * per + 1);
    for i in 0..(n - 1) as isize {
        let (p0, p1, p2, p3) = (at(i - 1), at(i), at(i + 1), at(i + 2));
        for k in 0..per {
            let t = k as f32 / per as f32;
            let (t2, t3) = (t * t, t * t * t);
            let f = |a: f32, b: f32, c: f32, d: f32| {
                0.5 * (2.0 * b
                    + (-a + c) * t
                    + (2.0 * a - 5.0 * b + 4.0 * c - d) * t2
                    + (-a + 3.0 * b - 3.0 * c + d) * t3)
            };
            out.push((f(p0.0, p1.0, p2.0, p3.0), f(p0.1, p1.1, p2.1, p3.1)));
        }
    }
    out.push(pts[n - 1]);
    out
}

/// A tapered brush stroke along a smooth centre line: the ink line of a manga pen, a hair
/// strand, a speed line. `taper_in`/`taper_out` are the fractions of the length over which
/// the width grows from / shrinks to nothing (0 leaves that end blunt).
fn brush(pts: &[P], width: f32, taper_in: f32, taper_out: f32) -> Path {
    let c = sample_curve(pts, 12);
    let n = c.len();
    let mut len = vec![0.0f32; n];
    for i in 1..n {
        len[i] = len[i - 1] + ((c[i].0 - c[i - 1].0).hypot(c[i].1 - c[i - 1].1));
    }
    let total = len[n - 1].max(1e-6);
    let ramp = |x: f32| {
        let x = x.clamp(0.0, 1.0);
        1.0 - (1.0 - x) * (1.0 - x)
    };
    let mut left = Vec::with_capacity(n);
    let mut right = Vec::with_capacity(n);
    for i in 0..n {
        let t = len[i] / total;
        let mut w = width * 0.5;
        if taper_in > 0.0 {
            w *= ramp(t / taper_in).max(0.04);
        }
        if taper_out > 0.0 {
            w *= ramp((1.0 - t) / taper_out).max(0.04);
        }
        let (a, b) = (c[i.saturating_sub(1)], c[(i + 1).min(n - 1)]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let l = dx.hypot(dy).max(1e-6);
        let (nx, ny) = (-dy / l, dx / l);
        left.push((c[i].0 + nx * w, c[i].1 + ny * w));
        right.push((c[i].0 - nx * w, c[i].1 - ny * w));
    }
    right.reverse();
    left.extend(right);
    poly(&left, true)
}

fn mirror(pts: &[P]) -> Vec<P> {
    pts.iter().map(|&(x, y)| (-x, y)).collect()
}

fn shift(pts: &[P], dx: f32, dy: f32) -> Vec<P> {
    pts.iter().map(|&(x, y)| (x + dx, y + dy)).collect()
}

// ---------------------------------------------------------------------------------------------
// A drawing context: a pixmap, a current transform (so figures are drawn in their own units)
// and an optional clip mask (a panel, the skin under a shadow).

struct Draw<'a> {
    pm: &'a mut Pixmap,
    ts: Transform,
    clip: Option<&'a Mask>,
}

impl<'a> Draw<'a> {
    fn new(pm: &'a mut Pixmap) -> Draw<'a> {
        Draw {
            pm,
            ts: Transform::identity(),
            clip: None,
        }
    }

    /// The same canvas seen through an extra local transform.
    fn sub(&mut self, local: Transform) -> Draw<'_> {
        Draw {
            pm: &mut *self.pm,
            ts: self.ts.pre_concat(local),
            clip: self.clip,
        }
    }

    fn clipped<'b>(&'b mut self, clip: &'b Mask) -> Draw<'b> {
        Draw {
            pm: &mut *self.pm,
            ts: self.ts,
            clip: Some(clip),
        }
    }

    fn fill(&mut self, path: &Path, color: Color) {
        let mut paint = Paint::default();
        paint.set_color(color);
        paint.anti_alias = true;
        self.pm
            .fill_path(path, &paint, FillRule::Winding, self.ts, self.clip);
    }

    /// Fill with a gradient written in the same local units as the path.
    fn shade(&mut self, path: &Path, shader: Shader<'static>) {
        let paint = Paint {
            shader,
            anti_alias: true,
            ..Paint::default()
        };
        self.pm
            .fill_path(path, &paint, FillRule::Winding, self.ts, self.clip);
    }

    fn glow(&mut self, hex: u32, alpha: f32, c: P, r: f32) {
        let (path, shader) = glow(hex, alpha, c, r);
        self.shade(&path, shader);
    }

    fn stroke(&mut self, path: &Path, color: Color, width: f32) {
        let mut paint = Paint::default();
        paint.set_color(color);
        paint.anti_alias = true;
        let stroke = Stroke {
            width,
            line_cap: tiny_skia::LineCap::Round,
            line_join: tiny_skia::LineJoin::Round,
            ..Stroke::default()
        };
        self.pm
            .stroke_path(path, &paint, &stroke, self.ts, self.clip);
    }

    /// Fill with a flat colour and outline in ink.
    fn ink(&mut self, path: &Path, color: Color, ink_width: f32) {
        self.fill(path, color);
        self.stroke(path, rgb(INK), ink_width);
    }

    /// A mask covering `path` (in local units) on this canvas.
    fn mask(&self, path: &Path) -> Mask {
        let mut m = Mask::new(self.pm.width(), self.pm.height()).unwrap();
        m.fill_path(path, FillRule::Winding, true, self.ts);
        if let Some(clip) = self.clip {
            for (a, b) in m.data_mut().iter_mut().zip(clip.data()) {
                *a = ((*a as u16 * *b as u16) / 255) as u8;
            }
        }
        m
    }
}

const INK: u32 = 0x15121c;

// ---------------------------------------------------------------------------------------------
// Images.

fn make_images(out: &FsPath, wanted: &dyn Fn(&str) -> bool) {
    let jobs: [(&str, fn() -> Pixmap); 2] = [("lin_close", lin_closeup), ("gu_close", gu_closeup)];
    for (name, draw) in jobs {
        if !wanted(name) && !wanted("img") {
            continue;
        }
        let pm = draw();
        save_jpeg(&pm, &out.join(format!("img/{name}.jpg")), 86);
    }
}

fn save_jpeg(pm: &Pixmap, path: &FsPath, quality: u8) {
    let mut rgb_bytes = Vec::with_capacity((pm.width() * pm.height() * 3) as usize);
    for p in pm.pixels() {
        let c = p.demultiply();
        rgb_bytes.extend_from_slice(&[c.red(), c.green(), c.blue()]);
    }
    let file = fs::File::create(path).expect("cannot write an image");
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(file, quality);
    enc.encode(
        &rgb_bytes,
        pm.width(),
        pm.height(),
        image::ExtendedColorType::Rgb8,
    )
    .expect("JPEG encoding failed");
    println!("wrote {}", path.display());
}

// ---------------------------------------------------------------------------------------------
// Characters. Heads are drawn in head units: the face is 2 units wide (x in -1..1), the eyes
// sit at y ≈ 0.2, the chin at y ≈ 1.4, the top of the hair at y ≈ -1.6, shoulders at y ≈ 2.5.

struct Look {
    skin: u32,
    skin_shade: u32,
    hair: u32,
    hair_shade: u32,
    hair_light: u32,
    iris: u32,
    iris_dark: u32,
    coat: u32,
    coat_shade: u32,
    male: bool,
}

const LIN: Look = Look {
    skin: 0xfbe3d6,
    skin_shade: 0xe2aea4,
    hair: 0x272640,
    hair_shade: 0x13121f,
    hair_light: 0x7886c4,
    iris: 0xe0893f,
    iris_dark: 0x3a160f,
    coat: 0x3b3350,
    coat_shade: 0x221d30,
    male: false,
};

const GU: Look = Look {
    skin: 0xf4d9c8,
    skin_shade: 0xcf9f92,
    hair: 0x1d1f26,
    hair_shade: 0x0c0d11,
    hair_light: 0x6a7894,
    iris: 0x5b8fb8,
    iris_dark: 0x0f1a2a,
    coat: 0x202431,
    coat_shade: 0x0f1119,
    male: true,
};

#[derive(Clone, Copy, PartialEq)]
enum Mouth {
    Firm,
    Open,
    Smirk,
}

struct Expr {
    /// 1 = relaxed; larger widens the eyes (shock).
    eye_open: f32,
    /// Radians; positive lowers the inner ends (anger, resolve).
    brow: f32,
    /// Iris size factor; shock shrinks it.
    iris: f32,
    mouth: Mouth,
    wet: bool,
    sweat: bool,
    /// Manga "gloom lines" down the forehead: dread.
    gloom: bool,
    /// Direction of the rim light: +1 from the right, -1 from the left.
    light: f32,
    rim: u32,
}

fn face_outline(look: &Look) -> Vec<P> {
    if look.male {
        vec![
            (-0.95, -0.7),
            (-0.96, -0.05),
            (-0.9, 0.55),
            (-0.74, 1.0),
            (-0.32, 1.38),
            (0.0, 1.5),
            (0.32, 1.38),
            (0.74, 1.0),
            (0.9, 0.55),
            (0.96, -0.05),
            (0.95, -0.7),
            (0.6, -1.1),
            (0.0, -1.2),
            (-0.6, -1.1),
        ]
    } else {
        vec![
            (-0.97, -0.65),
            (-1.0, -0.1),
            (-0.94, 0.42),
            (-0.74, 0.88),
            (-0.36, 1.22),
            (0.0, 1.37),
            (0.36, 1.22),
            (0.74, 0.88),
            (0.94, 0.42),
            (1.0, -0.1),
            (0.97, -0.65),
            (0.6, -1.08),
            (0.0, -1.18),
            (-0.6, -1.08),
        ]
    }
}

/// One eye in eye units: x grows towards the outer corner, the eye spans about -0.26..0.3.
fn draw_eye(d: &mut Draw, look: &Look, ex: &Expr) {
    let h = if look.male { 0.72 } else { 1.0 } * ex.eye_open;
    let sy = |pts: &[P]| -> Vec<P> { pts.iter().map(|&(x, y)| (x, y * h)).collect() };
    let white_pts = sy(&[
        (-0.25, 0.03),
        (-0.13, -0.19),
        (0.13, -0.22),
        (0.28, -0.09),
        (0.2, 0.14),
        (0.0, 0.2),
        (-0.17, 0.14),
    ]);
    let white = smooth(&white_pts, true);
    d.fill(&white, rgb(0xfdfbff));
    let m = d.mask(&white);
    {
        let mut e = d.clipped(&m);
        let k = ex.iris;
        let (rx, ry) = if look.male {
            (0.13 * k, 0.17 * k)
        } else {
            (0.16 * k, 0.215 * k)
        };
        let (cx, cy) = (0.0, 0.02 * h);
        let iris = ellipse(cx, cy, rx, ry);
        e.shade(
            &iris,
            linear(
                (cx, cy - ry),
                (cx, cy + ry),
                &[
                    (0.0, rgb(look.iris_dark)),
                    (0.55, rgb(mix(look.iris_dark, look.iris, 0.6))),
                    (1.0, rgb(mix(look.iris, 0xffffff, 0.25))),
                ],
            ),
        );
        e.fill(
            &ellipse(cx, cy + 0.01, rx * 0.45, ry * 0.5),
            rgb(mix(look.iris_dark, 0x000000, 0.4)),
        );
        e.stroke(&iris, rgb(look.iris_dark), 0.022);
        // The lid's shadow on the eyeball.
        e.fill(
            &smooth(&shift(&white_pts, 0.0, -0.12 * h - 0.06), true),
            rgba(0x6a6c9c, 0.35),
        );
        // Shines: one big, one small; they make the eye look wet and alive.
        e.fill(
            &ellipse(cx - rx * 0.45, cy - ry * 0.42, rx * 0.34, ry * 0.3),
            rgb(0xffffff),
        );
        e.fill(
            &circle(cx + rx * 0.45, cy + ry * 0.45, rx * 0.16),
            rgba(0xffffff, 0.9),
        );
        if ex.wet {
            e.fill(
                &ellipse(cx, cy + ry * 0.75, rx * 0.7, ry * 0.12),
                rgba(0xffffff, 0.55),
            );
        }
    }
    // Upper lash line: heavy at the outer end, with a flick.
    let lash_w = if look.male { 0.05 } else { 0.075 };
    d.fill(
        &brush(
            &sy(&[
                (-0.28, 0.05),
                (-0.15, -0.2),
                (0.12, -0.25),
                (0.28, -0.11),
                (0.34, -0.02),
            ]),
            lash_w,
            0.45,
            0.12,
        ),
        rgb(INK),
    );
    if !look.male {
        d.fill(
            &brush(&sy(&[(0.24, -0.15), (0.33, -0.2), (0.4, -0.2)]), 0.04, 0.0, 0.8),
            rgb(INK),
        );
    }
    // Lower lash and the crease of the lid.
    d.fill(
        &brush(&sy(&[(0.02, 0.205), (0.15, 0.18), (0.24, 0.11)]), 0.025, 0.6, 0.3),
        rgba(INK, 0.85),
    );
    d.fill(
        &brush(
            &[(-0.1, -0.3 * h - 0.02), (0.12, -0.34 * h - 0.02), (0.27, -0.24 * h - 0.02)],
            0.02,
            0.5,
            0.5,
        ),
        rgba(0x6b3c3c, 0.8),
    );
}

fn draw_brow(d: &mut Draw, look: &Look, ex: &Expr) {
    let w = if look.male { 0.07 } else { 0.04 };
    let lift = if ex.eye_open > 1.1 { -0.08 } else { 0.0 };
    let b = Transform::from_translate(0.04, -0.5 + lift).pre_rotate(-ex.brow.to_degrees());
    let mut bd = d.sub(b);
    bd.fill(
        &brush(&[(-0.26, 0.03), (0.0, -0.04), (0.3, 0.02)], w, 0.15, 0.7),
        rgb(mix(look.hair, INK, 0.3)),
    );
}

fn draw_head(d: &mut Draw, look: &Look, ex: &Expr) {
    let outline = face_outline(look);
    let face = smooth(&outline, true);
    // Back hair (behind the face and shoulders).
    if look.male {
        d.ink(
            &smooth(
                &[
                    (0.0, -1.55),
                    (-0.95, -1.35),
                    (-1.16, -0.6),
                    (-1.08, 0.05),
                    (-0.8, 0.2),
                    (0.8, 0.2),
                    (1.08, 0.05),
                    (1.16, -0.6),
                    (0.95, -1.35),
                ],
                true,
            ),
            rgb(look.hair_shade),
            0.035,
        );
    } else {
        let back = smooth(
            &[
                (0.0, -1.62),
                (-0.95, -1.42),
                (-1.38, -0.75),
                (-1.45, 0.3),
                (-1.5, 1.3),
                (-1.7, 2.4),
                (-1.55, 3.4),
                (0.0, 3.0),
                (1.55, 3.4),
                (1.7, 2.4),
                (1.5, 1.3),
                (1.45, 0.3),
                (1.38, -0.75),
                (0.95, -1.42),
            ],
            true,
        );
        d.ink(&back, rgb(look.hair_shade), 0.035);
    }
    draw_body(d, look);
    // Neck with the chin's shadow.
    let nw = if look.male { 1.25 } else { 1.0 };
    let neck_side = [(0.36 * nw, 0.8), (0.38 * nw, 1.6), (0.44 * nw, 2.2)];
    let mut neck_pts = mirror(&neck_side);
    neck_pts.extend(neck_side.iter().rev());
    let neck = smooth(&neck_pts, true);
    d.fill(&neck, rgb(look.skin));
    {
        let m = d.mask(&neck);
        let mut n = d.clipped(&m);
        n.fill(&smooth(&shift(&outline, 0.0, 0.3), true), rgb(look.skin_shade));
        n.fill(
            &rect(-0.5 * ex.light - 0.25, 0.8, 0.5, 1.5),
            rgba(look.skin_shade, 0.0),
        );
    }
    for side in [mirror(&neck_side), neck_side.to_vec()] {
        d.stroke(&smooth(&side, false), rgb(INK), 0.028);
    }
    // Ears.
    for side in [-1.0f32, 1.0] {
        let ear: Vec<P> = [(0.9, -0.1), (1.06, -0.2), (1.12, 0.1), (1.02, 0.45), (0.86, 0.55)]
            .iter()
            .map(|&(x, y)| (x * side, y))
            .collect();
        d.ink(&smooth(&ear, true), rgb(look.skin), 0.028);
        let inner: Vec<P> = [(0.98, -0.05), (1.04, 0.12), (0.96, 0.35)]
            .iter()
            .map(|&(x, y)| (x * side, y))
            .collect();
        d.fill(&brush(&inner, 0.03, 0.3, 0.3), rgb(look.skin_shade));
    }
    // Face: rim light, skin, cel shadow on the side away from the light.
    d.fill(&face, rgb(ex.rim));
    let fm = d.mask(&face);
    {
        let mut f = d.clipped(&fm);
        f.fill(
            &smooth(&shift(&outline, -0.06 * ex.light, 0.0), true),
            rgb(look.skin),
        );
        let s = -ex.light;
        let shadow: Vec<P> = [
            (1.2, -1.3),
            (0.55, -0.9),
            (0.72, -0.2),
            (0.62, 0.5),
            (0.3, 1.05),
            (0.0, 1.5),
            (1.2, 1.6),
        ]
        .iter()
        .map(|&(x, y)| (x * s, y))
        .collect();
        f.fill(&smooth(&shadow, true), rgba(look.skin_shade, 0.75));
        // Blush.
        for side in [-1.0f32, 1.0] {
            f.glow(0xff7f8f, if look.male { 0.12 } else { 0.45 }, (0.55 * side, 0.6), 0.28);
        }
        if !look.male {
            for i in 0..3 {
                let x = 0.45 + i as f32 * 0.08;
                for side in [-1.0f32, 1.0] {
                    f.fill(
                        &brush(
                            &[(x * side, 0.55), ((x - 0.05) * side, 0.64)],
                            0.018,
                            0.3,
                            0.3,
                        ),
                        rgba(0xe5677a, 0.6),
                    );
                }
            }
        }
        // The shadow the fringe throws on the forehead.
        for strand in fringe(look) {
            f.fill(
                &brush(&shift(&strand.pts, 0.05 * -ex.light, 0.16), strand.w, 0.05, 0.7),
                rgba(look.skin_shade, 0.9),
            );
        }
    }
    if ex.gloom {
        let mut f = d.clipped(&fm);
        for i in 0..16 {
            let x = -0.9 + i as f32 * 0.12;
            let len = 0.5 + 0.25 * ((i * 5 % 7) as f32 / 6.0);
            f.fill(
                &brush(&[(x, -0.9), (x, -0.9 + len)], 0.035, 0.0, 0.9),
                rgba(0x2c3a78, 0.75),
            );
        }
    }
    d.stroke(
        &smooth(&outline[1..10], false),
        rgb(mix(INK, 0x5a2a2a, 0.3)),
        0.032,
    );
    // Eyes, nose, mouth.
    for side in [-1.0f32, 1.0] {
        let t = Transform::from_translate(0.42 * side, 0.2).pre_scale(side, 1.0);
        let mut e = d.sub(t);
        draw_eye(&mut e, look, ex);
    }
    d.fill(
        &brush(&[(0.05, 0.55), (0.02, 0.66), (-0.03, 0.7)], 0.028, 0.5, 0.3),
        rgba(0x9c5a50, 0.9),
    );
    draw_mouth(d, look, ex);
    // Hair in front: the fringe, the side locks, the crown, shine.
    draw_front_hair(d, look, ex);
    for side in [-1.0f32, 1.0] {
        let t = Transform::from_translate(0.42 * side, 0.2).pre_scale(side, 1.0);
        let mut e = d.sub(t);
        draw_brow(&mut e, look, ex);
    }
    if ex.wet {
        draw_drops_on_face(d);
    }
    if ex.sweat {
        let drop = smooth(
            &[(1.0, -0.55), (1.08, -0.3), (1.1, -0.18), (1.0, -0.12), (0.93, -0.2), (0.95, -0.35)],
            true,
        );
        d.ink(&drop, rgba(0xd8f0ff, 0.95), 0.025);
        d.fill(&ellipse(1.0, -0.24, 0.025, 0.05), rgb(0xffffff));
    }
}

fn draw_mouth(d: &mut Draw, look: &Look, ex: &Expr) {
    match ex.mouth {
        Mouth::Firm => {
            d.fill(
                &brush(&[(-0.14, 0.97), (0.0, 0.99), (0.13, 0.96)], 0.03, 0.35, 0.35),
                rgb(0x7a3434),
            );
            d.fill(
                &brush(&[(-0.05, 1.07), (0.05, 1.07)], 0.018, 0.5, 0.5),
                rgba(0xc07a74, 0.7),
            );
        }
        Mouth::Smirk => {
            d.fill(
                &brush(&[(-0.12, 0.99), (0.02, 0.99), (0.15, 0.93)], 0.03, 0.35, 0.2),
                rgb(0x7a3434),
            );
        }
        Mouth::Open => {
            let y = if look.male { 1.02 } else { 0.98 };
            let m = smooth(
                &[(-0.15, y), (0.0, y - 0.04), (0.15, y), (0.1, y + 0.14), (-0.1, y + 0.14)],
                true,
            );
            d.ink(&m, rgb(0x5a1f2a), 0.026);
            let mm = d.mask(&m);
            let mut t = d.clipped(&mm);
            t.fill(&ellipse(0.0, y + 0.16, 0.1, 0.06), rgb(0xc9606e));
            t.fill(&rect(-0.2, y - 0.06, 0.4, 0.065), rgb(0xffffff));
        }
    }
}

struct Strand {
    pts: Vec<P>,
    w: f32,
}

fn strand(pts: &[P], w: f32) -> Strand {
    Strand {
        pts: pts.to_vec(),
        w,
    }
}

/// The fringe over the forehead, back to front.
fn fringe(look: &Look) -> Vec<Strand> {
    if look.male {
        vec![
            strand(&[(-0.7, -1.25), (-0.9, -0.75), (-1.02, -0.3)], 0.36),
            strand(&[(0.7, -1.25), (0.92, -0.75), (1.0, -0.32)], 0.36),
            strand(&[(0.45, -1.35), (0.6, -0.85), (0.58, -0.45)], 0.36),
            strand(&[(-0.45, -1.35), (-0.62, -0.85), (-0.66, -0.42)], 0.36),
            strand(&[(0.1, -1.4), (0.22, -0.9), (0.3, -0.5)], 0.38),
            strand(&[(-0.15, -1.4), (-0.22, -0.85), (-0.2, -0.38)], 0.38),
        ]
    } else {
        vec![
            strand(&[(0.82, -1.15), (1.0, -0.5), (1.0, 0.0), (0.92, 0.25)], 0.3),
            strand(&[(-0.62, -1.2), (-0.86, -0.6), (-0.96, -0.1), (-0.88, 0.2)], 0.32),
            strand(&[(0.6, -1.25), (0.7, -0.7), (0.76, -0.3), (0.68, -0.08)], 0.3),
            strand(&[(-0.3, -1.3), (-0.46, -0.7), (-0.56, -0.25), (-0.5, 0.0)], 0.33),
            strand(&[(0.35, -1.3), (0.3, -0.75), (0.22, -0.35), (0.3, -0.1)], 0.3),
            strand(&[(0.05, -1.35), (-0.05, -0.8), (-0.16, -0.3), (-0.12, -0.04)], 0.34),
        ]
    }
}

fn draw_front_hair(d: &mut Draw, look: &Look, ex: &Expr) {
    let hair_ink = 0.026;
    let base = rgb(look.hair);
    // Side locks framing the face.
    if look.male {
        for side in [-1.0f32, 1.0] {
            let s = strand(&[(0.88 * side, -1.0), (1.06 * side, -0.3), (1.0 * side, 0.3)], 0.32);
            let p = brush(&s.pts, s.w, 0.05, 0.75);
            d.ink(&p, base, hair_ink);
        }
    } else {
        for side in [-1.0f32, 1.0] {
            let locks: [(&[P], f32); 3] = [
                (&[(1.0, -1.0), (1.22, -0.1), (1.25, 0.9), (1.4, 1.8), (1.3, 2.8)], 0.36),
                (&[(0.9, -1.0), (1.1, -0.2), (1.06, 0.7), (1.18, 1.6), (1.02, 2.6)], 0.3),
                (&[(0.92, -0.4), (0.98, 0.5), (0.94, 1.3), (1.0, 1.9), (0.86, 2.25)], 0.18),
            ];
            for (pts, w) in locks {
                let pts: Vec<P> = pts.iter().map(|&(x, y)| (x * side, y)).collect();
                d.ink(&brush(&pts, w, 0.05, 0.6), base, hair_ink);
                let gloss: Vec<P> = pts[1..4].iter().map(|&(x, y)| (x - 0.04 * side, y)).collect();
                d.fill(&brush(&gloss, w * 0.15, 0.5, 0.5), rgba(look.hair_light, 0.35));
            }
        }
    }
    // Fringe strands.
    let mut hair_mask = Mask::new(d.pm.width(), d.pm.height()).unwrap();
    for s in fringe(look) {
        let p = brush(&s.pts, s.w, 0.05, 0.7);
        d.ink(&p, base, hair_ink);
        hair_mask.fill_path(&p, FillRule::Winding, true, d.ts);
    }
    // The crown covers the roots of the strands.
    let crown_pts: Vec<P> = if look.male {
        vec![
            (-1.1, -0.45),
            (-1.12, -1.0),
            (-0.75, -1.48),
            (0.0, -1.62),
            (0.75, -1.48),
            (1.12, -1.0),
            (1.1, -0.45),
            (0.9, -0.8),
            (0.45, -1.05),
            (0.0, -1.1),
            (-0.45, -1.05),
            (-0.9, -0.8),
        ]
    } else {
        vec![
            (-1.12, -0.1),
            (-1.16, -0.78),
            (-0.86, -1.38),
            (0.0, -1.64),
            (0.86, -1.38),
            (1.16, -0.78),
            (1.12, -0.1),
            (0.96, -0.6),
            (0.5, -0.9),
            (0.0, -0.98),
            (-0.5, -0.9),
            (-0.96, -0.6),
        ]
    };
    let crown = smooth(&crown_pts, true);
    d.shade(
        &crown,
        linear(
            (0.0, -1.6),
            (0.0, -0.6),
            &[
                (0.0, rgb(mix(look.hair, look.hair_light, 0.25))),
                (1.0, base),
            ],
        ),
    );
    d.stroke(&smooth(&crown_pts[0..7], false), rgb(INK), 0.035);
    hair_mask.fill_path(&crown, FillRule::Winding, true, d.ts);
    // Spiky tufts swept back over the temples for him.
    if look.male {
        for side in [-1.0f32, 1.0] {
            for (y, len) in [(-1.3f32, 0.42f32), (-1.0, 0.36)] {
                let p = brush(
                    &[(0.8 * side, y), (1.1 * side, y + 0.08), ((0.95 + len) * side, y + 0.3)],
                    0.3,
                    0.0,
                    0.85,
                );
                d.ink(&p, base, hair_ink);
                hair_mask.fill_path(&p, FillRule::Winding, true, d.ts);
            }
        }
        let p = brush(&[(0.1, -1.45), (0.5, -1.72), (0.95, -1.72)], 0.32, 0.0, 0.85);
        d.ink(&p, base, hair_ink);
        hair_mask.fill_path(&p, FillRule::Winding, true, d.ts);
    }
    // The "angel ring" shine and a rim of coloured light, clipped to the hair.
    let mut h = d.clipped(&hair_mask);
    let ring_y = if look.male { -1.15 } else { -1.1 };
    let (mut top, mut bottom) = (Vec::new(), Vec::new());
    for i in 0..=16 {
        let t = i as f32 / 16.0 - 0.5;
        let x = t * 1.9;
        let y = ring_y - 0.26 * (1.0 - (2.0 * t).powi(2));
        let taper = 1.0 - (2.0 * t).abs().powi(3);
        let spike = if i % 2 == 0 { 0.13 } else { 0.03 } * taper;
        top.push((x + t * 0.1, y - 0.03 - spike * 0.6));
        bottom.push((x - t * 0.05, y + (0.03 + spike) * taper));
    }
    bottom.reverse();
    top.extend(bottom);
    h.fill(&poly(&top, true), rgba(look.hair_light, 0.55));
    for s in fringe(look).iter().skip(2) {
        let gloss: Vec<P> = s.pts.iter().take(3).map(|&(x, y)| (x + 0.06, y)).collect();
        h.fill(&brush(&gloss, 0.045, 0.3, 0.6), rgba(look.hair_light, 0.4));
    }
    // Rim light on the lit side.
    h.fill(
        &brush(
            &[
                (0.3 * ex.light, -1.55),
                (0.85 * ex.light, -1.3),
                (1.08 * ex.light, -0.8),
            ],
            0.06,
            0.5,
            0.5,
        ),
        rgba(ex.rim, 0.8),
    );
}

fn draw_drops_on_face(d: &mut Draw) {
    let mut rng = Rng::new(77);
    for _ in 0..9 {
        let x = rng.range(-0.8, 0.8);
        let y = rng.range(-0.1, 1.2);
        if (x.abs() - 0.42).abs() < 0.22 && (y - 0.2).abs() < 0.2 {
            continue; // not on the eyes
        }
        let r = rng.range(0.018, 0.035);
        d.fill(&ellipse(x, y, r, r * 1.3), rgba(0xffffff, 0.35));
        d.fill(&circle(x - r * 0.3, y - r * 0.4, r * 0.35), rgba(0xffffff, 0.9));
    }
}

/// Shoulders and clothes from y ≈ 2 down to y = 6.
fn draw_body(d: &mut Draw, look: &Look) {
    let body = smooth(
        &[
            (-0.45, 2.0),
            (-1.3, 2.25),
            (-2.2, 2.6),
            (-2.65, 3.3),
            (-2.8, 6.0),
            (2.8, 6.0),
            (2.65, 3.3),
            (2.2, 2.6),
            (1.3, 2.25),
            (0.45, 2.0),
        ],
        true,
    );
    d.ink(&body, rgb(look.coat), 0.04);
    let bm = d.mask(&body);
    {
        let mut b = d.clipped(&bm);
        b.shade(
            &rect(-3.0, 2.0, 6.0, 4.0),
            linear(
                (0.0, 2.0),
                (0.0, 5.5),
                &[(0.0, rgba(0x000000, 0.0)), (1.0, rgba(0x000000, 0.45))],
            ),
        );
        // Folds.
        for side in [-1.0f32, 1.0] {
            b.fill(
                &brush(
                    &[(1.6 * side, 2.5), (1.75 * side, 3.4), (1.7 * side, 4.6)],
                    0.22,
                    0.2,
                    0.6,
                ),
                rgb(look.coat_shade),
            );
        }
    }
    if look.male {
        // White shirt collar, dark tie, suit lapels.
        let shirt = poly(&[(-0.5, 2.0), (0.0, 3.4), (0.5, 2.0)], true);
        d.ink(&shirt, rgb(0xe9edf4), 0.03);
        let tie = smooth(&[(-0.1, 2.3), (0.1, 2.3), (0.16, 3.2), (0.0, 3.5), (-0.16, 3.2)], true);
        d.ink(&tie, rgb(0x5e1622), 0.03);
        d.ink(&poly(&[(-0.12, 2.12), (0.12, 2.12), (0.08, 2.32), (-0.08, 2.32)], true), rgb(0x7a1e2c), 0.025);
        for side in [-1.0f32, 1.0] {
            let collar = poly(
                &[(0.45 * side, 1.95), (0.62 * side, 2.1), (0.15 * side, 2.45), (0.02 * side, 2.2)],
                true,
            );
            d.ink(&collar, rgb(0xf6f8fc), 0.028);
            let lapel = poly(
                &[
                    (0.55 * side, 2.1),
                    (1.05 * side, 2.35),
                    (0.85 * side, 2.8),
                    (1.0 * side, 2.95),
                    (0.15 * side, 4.2),
                    (0.05 * side, 3.6),
                ],
                true,
            );
            d.ink(&lapel, rgb(mix(look.coat, 0x000000, 0.2)), 0.03);
        }
    } else {
        // A white blouse in the V of a trench coat with a turned-up collar.
        let blouse = poly(&[(-0.55, 1.95), (0.0, 3.3), (0.55, 1.95)], true);
        d.ink(&blouse, rgb(0xf1eef6), 0.03);
        for side in [-1.0f32, 1.0] {
            let collar = smooth(
                &[(0.42 * side, 1.7), (0.9 * side, 1.95), (0.75 * side, 2.5), (0.2 * side, 3.2), (0.4 * side, 2.3)],
                true,
            );
            d.ink(&collar, rgb(mix(look.coat, 0xffffff, 0.12)), 0.03);
            let lapel = poly(
                &[(0.75 * side, 2.5), (1.25 * side, 2.5), (0.95 * side, 3.1), (0.08 * side, 4.3), (0.2 * side, 3.2)],
                true,
            );
            d.ink(&lapel, rgb(look.coat), 0.03);
        }
        // A thin necklace.
        d.stroke(
            &smooth(&[(-0.38, 1.75), (-0.2, 2.2), (0.0, 2.35), (0.2, 2.2), (0.38, 1.75)], false),
            rgba(0xe8d9a8, 0.9),
            0.015,
        );
        d.ink(&circle(0.0, 2.4, 0.05), rgb(0x9fe0d0), 0.015);
    }
}

// ---------------------------------------------------------------------------------------------
// Backgrounds and effects.

/// Night bokeh: big soft discs of neon colour.
fn bokeh(d: &mut Draw, rng: &mut Rng, n: usize, w: f32, h: f32) {
    let colours = [0xff5fa2, 0x45d1ff, 0xffb24a, 0x9b7bff, 0x6fffd8];
    for _ in 0..n {
        let c = colours[(rng.f() * colours.len() as f32) as usize % colours.len()];
        let r = rng.range(30.0, 110.0);
        let (x, y) = (rng.range(0.0, w), rng.range(0.0, h));
        let a = rng.range(0.12, 0.35);
        d.shade(
            &circle(x, y, r),
            radial(
                (x, y),
                r,
                &[(0.0, rgba(c, a * 0.6)), (0.85, rgba(c, a)), (1.0, rgba(c, 0.0))],
            ),
        );
    }
}

/// Slanted rain streaks. `slant` is dx per unit of dy.
fn rain(d: &mut Draw, rng: &mut Rng, n: usize, area: (f32, f32, f32, f32), slant: f32, alpha: f32) {
    let (x0, y0, w, h) = area;
    for _ in 0..n {
        let x = x0 + rng.f() * w;
        let y = y0 + rng.f() * h;
        let len = rng.range(40.0, 140.0);
        let a = alpha * rng.range(0.4, 1.0);
        let path = poly(&[(x, y), (x + slant * len, y + len)], false);
        d.stroke(&path, rgba(0xdfeaff, a), rng.range(1.2, 3.0));
    }
}

/// A print-like halftone: dots on a grid whose radius follows `level(x, y)` in 0..1.
fn halftone(d: &mut Draw, area: (f32, f32, f32, f32), step: f32, color: Color, level: &dyn Fn(f32, f32) -> f32) {
    let (x0, y0, w, h) = area;
    let mut pb = PathBuilder::new();
    let mut row = 0;
    let mut y = y0;
    while y < y0 + h {
        let off = if row % 2 == 1 { step * 0.5 } else { 0.0 };
        let mut x = x0 + off;
        while x < x0 + w {
            let r = level(x, y).clamp(0.0, 1.0) * step * 0.5;
            if r > 0.3 {
                pb.push_circle(x, y, r);
            }
            x += step;
        }
        y += step * 0.866;
        row += 1;
    }
    if let Some(p) = pb.finish() {
        d.fill(&p, color);
    }
}

/// Manga focus lines converging on `c`, leaving a clear hole of radius `r0`.
fn speed_lines(d: &mut Draw, rng: &mut Rng, c: P, r0: f32, r1: f32, n: usize, color: Color) {
    let mut pb = PathBuilder::new();
    for _ in 0..n {
        let a = rng.f() * 2.0 * PI;
        let inner = r0 * rng.range(1.0, 1.5);
        let half = rng.range(0.004, 0.014);
        let (ca, sa) = (a.cos(), a.sin());
        let (cl, sl) = ((a - half).cos(), (a - half).sin());
        let (cr, sr) = ((a + half).cos(), (a + half).sin());
        pb.move_to(c.0 + ca * inner, c.1 + sa * inner);
        pb.line_to(c.0 + cl * r1, c.1 + sl * r1);
        pb.line_to(c.0 + cr * r1, c.1 + sr * r1);
        pb.close();
    }
    if let Some(p) = pb.finish() {
        d.fill(&p, color);
    }
}

// ---------------------------------------------------------------------------------------------
// The pictures.

/// 林晚 close up in the rain, neon bokeh behind her.
fn lin_closeup() -> Pixmap {
    let mut pm = Pixmap::new(W, H).unwrap();
    let mut d = Draw::new(&mut pm);
    let (w, h) = (W as f32, H as f32);
    d.shade(
        &rect(0.0, 0.0, w, h),
        linear(
            (0.0, 0.0),
            (0.0, h),
            &[(0.0, rgb(0x0b1026)), (0.6, rgb(0x1b2450)), (1.0, rgb(0x2a1f45))],
        ),
    );
    let mut rng = Rng::new(11);
    bokeh(&mut d, &mut rng, 40, w, h);
    rain(&mut d, &mut rng, 160, (-200.0, -100.0, w + 200.0, h), 0.18, 0.35);
    let ex = Expr {
        eye_open: 1.0,
        brow: 0.12,
        iris: 1.0,
        mouth: Mouth::Firm,
        wet: true,
        sweat: false,
        gloom: false,
        light: 1.0,
        rim: 0x9fd8ff,
    };
    {
        let mut head = d.sub(Transform::from_translate(560.0, 800.0).pre_scale(330.0, 330.0).pre_rotate(-4.0));
        draw_head(&mut head, &LIN, &ex);
    }
    rain(&mut d, &mut rng, 60, (-200.0, -100.0, w + 200.0, h), 0.18, 0.5);
    halftone(&mut d, (0.0, 0.0, w, 420.0), 14.0, rgba(0x000000, 0.35), &|_, y| 1.0 - y / 420.0);
    pm
}

/// 顾辰 in shock: manga focus lines, screentone, lightning light from the left.
fn gu_closeup() -> Pixmap {
    let mut pm = Pixmap::new(W, H).unwrap();
    let mut d = Draw::new(&mut pm);
    let (w, h) = (W as f32, H as f32);
    let c = (540.0, 760.0);
    d.shade(
        &rect(0.0, 0.0, w, h),
        radial(
            c,
            1300.0,
            &[(0.0, rgb(0xf4f7ff)), (0.45, rgb(0xb8c6ea)), (1.0, rgb(0x1c2450))],
        ),
    );
    let mut rng = Rng::new(23);
    speed_lines(&mut d, &mut rng, c, 520.0, 1800.0, 220, rgba(0x0d1130, 0.85));
    halftone(&mut d, (0.0, 1200.0, w, 720.0), 12.0, rgba(0x1c2450, 0.5), &|_, y| (y - 1200.0) / 720.0);
    let ex = Expr {
        eye_open: 1.3,
        brow: -0.22,
        iris: 0.62,
        mouth: Mouth::Open,
        wet: false,
        sweat: true,
        gloom: true,
        light: -1.0,
        rim: 0xe4efff,
    };
    let mut head = d.sub(Transform::from_translate(540.0, 820.0).pre_scale(320.0, 320.0).pre_rotate(3.0));
    draw_head(&mut head, &GU, &ex);
    pm
}
