//! Generates the bundled demo drama in `www/demo/`: drawn art, voices, music and the manifest.
//!
//! ```text
//! cargo run --release --example make_demo            # writes www/demo/
//! cargo run --release --example make_demo -- OUT_DIR # writes somewhere else
//! MAKE_DEMO_ONLY=page,street cargo run ...             # only some files (names below, or
//!                                                      # img, audio, voice, music, manifest)
//! ```
//!
//! The story (第1集 雨夜归来): three years after 林晚 was said to have died in a fire she
//! comes back to the rainy city, and 顾辰, who wronged her, learns she is alive.
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
    let wanted = |name: &str| {
        only.as_deref()
            .is_none_or(|o| o.split(',').any(|w| w == name))
    };

    let voices = wanted("audio") || wanted("voice");
    let music = wanted("audio") || wanted("music");
    if voices || music {
        require_tools();
    }
    make_images(&out, &wanted);
    if voices {
        make_voices(&out);
    }
    if music {
        make_music(&out);
        make_sfx(&out);
    }
    if wanted("manifest") || only.is_none() {
        let text = manifest().pretty();
        fs::write(out.join("manifest.json"), text + "\n").expect("cannot write the manifest");
        println!("wrote {}", out.join("manifest.json").display());
    }
}

/// The script of 第1集: one entry per voiced line, in playing order.
struct ScriptLine {
    /// Asset id and file name of the voice clip.
    id: &'static str,
    speaker: &'static str,
    text: &'static str,
    /// An English gloss for reviewers (lines have no `meta`, so it goes into the manifest's
    /// top-level `meta.script_en`).
    gloss: &'static str,
}

const SCRIPT: [ScriptLine; 9] = [
    ScriptLine {
        id: "v01",
        speaker: "narrator",
        text: "三年前，她葬身火海。",
        gloss: "Three years ago, she died in a fire.",
    },
    ScriptLine {
        id: "v02",
        speaker: "lin",
        text: "江城，我回来了。",
        gloss: "Jiangcheng. I'm back.",
    },
    ScriptLine {
        id: "v03",
        speaker: "lin",
        text: "顾辰，你欠我的，该还了。",
        gloss: "Gu Chen, what you owe me is due.",
    },
    ScriptLine {
        id: "v04",
        speaker: "gu",
        text: "林晚不是已经死了吗？",
        gloss: "Isn't Lin Wan dead?",
    },
    ScriptLine {
        id: "v05",
        speaker: "gu",
        text: "不可能！",
        gloss: "Impossible!",
    },
    ScriptLine {
        id: "v06",
        speaker: "lin",
        text: "我回来，不是为了原谅。",
        gloss: "I didn't come back to forgive.",
    },
    ScriptLine {
        id: "v07",
        speaker: "gu",
        text: "你想怎样？",
        gloss: "What do you want?",
    },
    ScriptLine {
        id: "v08",
        speaker: "lin",
        text: "我要你，一无所有。",
        gloss: "I want you to lose everything.",
    },
    ScriptLine {
        id: "v09",
        speaker: "narrator",
        text: "复仇，从今夜开始。",
        gloss: "The revenge begins tonight.",
    },
];

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

    /// Draws a picture (a figure drawn into its own pixmap) through a local transform.
    fn picture(&mut self, pic: &Pixmap, local: Transform) {
        let paint = tiny_skia::PixmapPaint {
            quality: tiny_skia::FilterQuality::Bicubic,
            ..Default::default()
        };
        self.pm.draw_pixmap(
            0,
            0,
            pic.as_ref(),
            &paint,
            self.ts.pre_concat(local),
            self.clip,
        );
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
    // Painted, opaque pictures are JPEG; figures with transparency are PNG.
    type Job = (&'static str, &'static str, fn() -> Pixmap);
    let jobs: [Job; 9] = [
        ("city_dusk", "jpg", city_dusk),
        ("page", "jpg", page),
        ("rain", "jpg", rain_overlay),
        ("room", "jpg", interior),
        ("gu_back", "png", gu_back),
        ("lin_close", "jpg", lin_closeup),
        ("gu_close", "jpg", gu_closeup),
        ("street", "jpg", street),
        ("lin_back", "png", lin_back),
    ];
    for (name, ext, draw) in jobs {
        if !wanted(name) && !wanted("img") {
            continue;
        }
        let pm = draw();
        let path = out.join(format!("img/{name}.{ext}"));
        if ext == "png" {
            save_png(&pm, &path);
        } else {
            save_jpeg(&pm, &path, 86);
        }
    }
}

fn save_png(pm: &Pixmap, path: &FsPath) {
    let bytes = pm.encode_png().expect("PNG encoding failed");
    fs::write(path, bytes).expect("cannot write an image");
    println!("wrote {}", path.display());
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
            &brush(
                &sy(&[(0.24, -0.15), (0.33, -0.2), (0.4, -0.2)]),
                0.04,
                0.0,
                0.8,
            ),
            rgb(INK),
        );
    }
    // Lower lash and the crease of the lid.
    d.fill(
        &brush(
            &sy(&[(0.02, 0.205), (0.15, 0.18), (0.24, 0.11)]),
            0.025,
            0.6,
            0.3,
        ),
        rgba(INK, 0.85),
    );
    d.fill(
        &brush(
            &[
                (-0.1, -0.3 * h - 0.02),
                (0.12, -0.34 * h - 0.02),
                (0.27, -0.24 * h - 0.02),
            ],
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
        n.fill(
            &smooth(&shift(&outline, 0.0, 0.3), true),
            rgb(look.skin_shade),
        );
    }
    for side in [mirror(&neck_side), neck_side.to_vec()] {
        d.stroke(&smooth(&side, false), rgb(INK), 0.028);
    }
    // Ears.
    for side in [-1.0f32, 1.0] {
        let ear: Vec<P> = [
            (0.9, -0.1),
            (1.06, -0.2),
            (1.12, 0.1),
            (1.02, 0.45),
            (0.86, 0.55),
        ]
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
            f.glow(
                0xff7f8f,
                if look.male { 0.12 } else { 0.32 },
                (0.55 * side, 0.6),
                0.28,
            );
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
                &brush(
                    &shift(&strand.pts, 0.05 * -ex.light, 0.16),
                    strand.w,
                    0.05,
                    0.7,
                ),
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
            &[
                (1.0, -0.55),
                (1.08, -0.3),
                (1.1, -0.18),
                (1.0, -0.12),
                (0.93, -0.2),
                (0.95, -0.35),
            ],
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
                &brush(
                    &[(-0.13, 0.985), (0.0, 0.975), (0.13, 0.985)],
                    0.03,
                    0.35,
                    0.35,
                ),
                rgb(0x7a3434),
            );
            d.fill(
                &brush(&[(-0.05, 1.07), (0.05, 1.07)], 0.018, 0.5, 0.5),
                rgba(0xc07a74, 0.7),
            );
        }
        Mouth::Open => {
            let y = if look.male { 1.02 } else { 0.98 };
            let m = smooth(
                &[
                    (-0.15, y),
                    (0.0, y - 0.04),
                    (0.15, y),
                    (0.1, y + 0.14),
                    (-0.1, y + 0.14),
                ],
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
            strand(
                &[(-0.62, -1.2), (-0.86, -0.6), (-0.96, -0.1), (-0.88, 0.2)],
                0.32,
            ),
            strand(
                &[(0.6, -1.25), (0.7, -0.7), (0.76, -0.3), (0.68, -0.08)],
                0.3,
            ),
            strand(
                &[(-0.3, -1.3), (-0.46, -0.7), (-0.56, -0.25), (-0.5, 0.0)],
                0.33,
            ),
            strand(
                &[(0.35, -1.3), (0.3, -0.75), (0.22, -0.35), (0.3, -0.1)],
                0.3,
            ),
            strand(
                &[(0.05, -1.35), (-0.05, -0.8), (-0.16, -0.3), (-0.12, -0.04)],
                0.34,
            ),
        ]
    }
}

fn draw_front_hair(d: &mut Draw, look: &Look, ex: &Expr) {
    let hair_ink = 0.026;
    let base = rgb(look.hair);
    // Side locks framing the face.
    if look.male {
        for side in [-1.0f32, 1.0] {
            let s = strand(
                &[(0.88 * side, -1.0), (1.06 * side, -0.3), (1.0 * side, 0.3)],
                0.32,
            );
            let p = brush(&s.pts, s.w, 0.05, 0.75);
            d.ink(&p, base, hair_ink);
        }
    } else {
        for side in [-1.0f32, 1.0] {
            let locks: [(&[P], f32); 3] = [
                (
                    &[
                        (1.0, -1.0),
                        (1.22, -0.1),
                        (1.25, 0.9),
                        (1.4, 1.8),
                        (1.3, 2.8),
                    ],
                    0.36,
                ),
                (
                    &[
                        (0.9, -1.0),
                        (1.1, -0.2),
                        (1.06, 0.7),
                        (1.18, 1.6),
                        (1.02, 2.6),
                    ],
                    0.3,
                ),
                (
                    &[
                        (0.92, -0.4),
                        (0.98, 0.5),
                        (0.94, 1.3),
                        (1.0, 1.9),
                        (0.86, 2.25),
                    ],
                    0.18,
                ),
            ];
            for (pts, w) in locks {
                let pts: Vec<P> = pts.iter().map(|&(x, y)| (x * side, y)).collect();
                d.ink(&brush(&pts, w, 0.05, 0.6), base, hair_ink);
                let gloss: Vec<P> = pts[1..4]
                    .iter()
                    .map(|&(x, y)| (x - 0.04 * side, y))
                    .collect();
                d.fill(
                    &brush(&gloss, w * 0.15, 0.5, 0.5),
                    rgba(look.hair_light, 0.35),
                );
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
                    &[
                        (0.8 * side, y),
                        (1.1 * side, y + 0.08),
                        ((0.95 + len) * side, y + 0.3),
                    ],
                    0.3,
                    0.0,
                    0.85,
                );
                d.ink(&p, base, hair_ink);
                hair_mask.fill_path(&p, FillRule::Winding, true, d.ts);
            }
        }
    }
    // The "angel ring" shine and a rim of coloured light, clipped to the hair (and to the
    // panel the head is drawn in, if any).
    if let Some(clip) = d.clip {
        for (a, b) in hair_mask.data_mut().iter_mut().zip(clip.data()) {
            *a = ((*a as u16 * *b as u16) / 255) as u8;
        }
    }
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
        d.fill(
            &circle(x - r * 0.3, y - r * 0.4, r * 0.35),
            rgba(0xffffff, 0.9),
        );
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
        let tie = smooth(
            &[
                (-0.1, 2.3),
                (0.1, 2.3),
                (0.16, 3.2),
                (0.0, 3.5),
                (-0.16, 3.2),
            ],
            true,
        );
        d.ink(&tie, rgb(0x5e1622), 0.03);
        d.ink(
            &poly(
                &[(-0.12, 2.12), (0.12, 2.12), (0.08, 2.32), (-0.08, 2.32)],
                true,
            ),
            rgb(0x7a1e2c),
            0.025,
        );
        for side in [-1.0f32, 1.0] {
            let collar = poly(
                &[
                    (0.45 * side, 1.95),
                    (0.62 * side, 2.1),
                    (0.15 * side, 2.45),
                    (0.02 * side, 2.2),
                ],
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
                &[
                    (0.42 * side, 1.7),
                    (0.9 * side, 1.95),
                    (0.75 * side, 2.5),
                    (0.2 * side, 3.2),
                    (0.4 * side, 2.3),
                ],
                true,
            );
            d.ink(&collar, rgb(mix(look.coat, 0xffffff, 0.12)), 0.03);
            let lapel = poly(
                &[
                    (0.75 * side, 2.5),
                    (1.25 * side, 2.5),
                    (0.95 * side, 3.1),
                    (0.08 * side, 4.3),
                    (0.2 * side, 3.2),
                ],
                true,
            );
            d.ink(&lapel, rgb(look.coat), 0.03);
        }
        // A thin necklace.
        d.stroke(
            &smooth(
                &[
                    (-0.38, 1.75),
                    (-0.2, 2.2),
                    (0.0, 2.35),
                    (0.2, 2.2),
                    (0.38, 1.75),
                ],
                false,
            ),
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
                &[
                    (0.0, rgba(c, a * 0.6)),
                    (0.85, rgba(c, a)),
                    (1.0, rgba(c, 0.0)),
                ],
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
fn halftone(
    d: &mut Draw,
    area: (f32, f32, f32, f32),
    step: f32,
    color: Color,
    level: &dyn Fn(f32, f32) -> f32,
) {
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
            &[
                (0.0, rgb(0x0b1026)),
                (0.6, rgb(0x1b2450)),
                (1.0, rgb(0x2a1f45)),
            ],
        ),
    );
    let mut rng = Rng::new(11);
    bokeh(&mut d, &mut rng, 40, w, h);
    rain(
        &mut d,
        &mut rng,
        160,
        (-200.0, -100.0, w + 200.0, h),
        0.18,
        0.35,
    );
    let ex = Expr {
        eye_open: 0.94,
        brow: 0.2,
        iris: 1.0,
        mouth: Mouth::Firm,
        wet: true,
        sweat: false,
        gloom: false,
        light: 1.0,
        rim: 0x9fd8ff,
    };
    {
        let mut head = d.sub(
            Transform::from_translate(560.0, 800.0)
                .pre_scale(330.0, 330.0)
                .pre_rotate(-4.0),
        );
        draw_head(&mut head, &LIN, &ex);
    }
    rain(
        &mut d,
        &mut rng,
        60,
        (-200.0, -100.0, w + 200.0, h),
        0.18,
        0.5,
    );
    halftone(
        &mut d,
        (0.0, 0.0, w, 420.0),
        14.0,
        rgba(0x000000, 0.35),
        &|_, y| 1.0 - y / 420.0,
    );
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
            &[
                (0.0, rgb(0xf4f7ff)),
                (0.45, rgb(0xb8c6ea)),
                (1.0, rgb(0x1c2450)),
            ],
        ),
    );
    let mut rng = Rng::new(23);
    speed_lines(
        &mut d,
        &mut rng,
        c,
        520.0,
        1800.0,
        220,
        rgba(0x0d1130, 0.85),
    );
    halftone(
        &mut d,
        (0.0, 1200.0, w, 720.0),
        12.0,
        rgba(0x1c2450, 0.5),
        &|_, y| (y - 1200.0) / 720.0,
    );
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
    let mut head = d.sub(
        Transform::from_translate(540.0, 820.0)
            .pre_scale(320.0, 320.0)
            .pre_rotate(3.0),
    );
    draw_head(&mut head, &GU, &ex);
    pm
}

// ---------------------------------------------------------------------------------------------
// City pieces shared by several pictures.

/// A cloud bank: overlapping puffs on a flat base, lit from below (`lit`) and dark on top.
#[allow(clippy::too_many_arguments)]
fn cloud(d: &mut Draw, rng: &mut Rng, cx: f32, cy: f32, w: f32, h: f32, body: u32, lit: u32) {
    let shader = || {
        linear(
            (cx, cy - h),
            (cx, cy),
            &[
                (0.0, rgb(body)),
                (0.65, rgb(mix(body, lit, 0.3))),
                (1.0, rgb(lit)),
            ],
        )
    };
    let mut pb = PathBuilder::new();
    let puffs = 9;
    for i in 0..puffs {
        let t = i as f32 / (puffs - 1) as f32;
        let bump = 1.0 - (2.0 * t - 1.0).powi(2);
        let r = h * (0.25 + 0.45 * bump) * rng.range(0.7, 1.1);
        let x = cx - w * 0.45 + w * 0.9 * t + rng.range(-0.03, 0.03) * w;
        pb.push_circle(x, cy - r * 0.6, r);
    }
    pb.push_rect(Rect::from_xywh(cx - w * 0.45, cy - h * 0.3, w * 0.9, h * 0.3).unwrap());
    let path = pb.finish().unwrap();
    // Clip the puffs to the base line so the bottom is flat.
    let base = rect(cx - w, cy - 2.0 * h, 2.0 * w, 2.0 * h);
    let m = d.mask(&base);
    let mut c = d.clipped(&m);
    c.shade(&path, shader());
}

/// A row of buildings standing on `base`, with lit windows.
#[allow(clippy::too_many_arguments)]
fn skyline(
    d: &mut Draw,
    rng: &mut Rng,
    span: (f32, f32),
    base: f32,
    heights: (f32, f32),
    widths: (f32, f32),
    color: u32,
    windows: Option<(&[u32], f32)>,
) {
    let mut x = span.0;
    while x < span.1 {
        let w = rng.range(widths.0, widths.1);
        let h = rng.range(heights.0, heights.1);
        let top = base - h;
        let mut pts = vec![(x, base), (x, top)];
        match (rng.f() * 5.0) as u32 {
            0 => {
                // Stepped crown.
                pts.extend([
                    (x + w * 0.15, top),
                    (x + w * 0.15, top - h * 0.08),
                    (x + w * 0.85, top - h * 0.08),
                    (x + w * 0.85, top),
                ]);
            }
            1 => pts.push((x + w * 0.5, top - w * 0.35)),
            2 => {
                // Antenna.
                pts.extend([
                    (x + w * 0.48, top),
                    (x + w * 0.48, top - h * 0.25),
                    (x + w * 0.52, top - h * 0.25),
                    (x + w * 0.52, top),
                ]);
            }
            _ => {}
        }
        pts.extend([(x + w, top), (x + w, base)]);
        d.fill(&poly(&pts, true), rgb(color));
        if let Some((colours, p)) = windows {
            let (cw, ch) = (w / (w / 14.0).floor().max(2.0), 18.0);
            let mut wy = top + 12.0;
            while wy < base - 10.0 {
                let mut wx = x + cw * 0.3;
                while wx < x + w - cw * 0.6 {
                    if rng.chance(p) {
                        let c = colours[(rng.f() * colours.len() as f32) as usize % colours.len()];
                        d.fill(
                            &rect(wx, wy, cw * 0.5, ch * 0.55),
                            rgba(c, rng.range(0.55, 1.0)),
                        );
                    }
                    wx += cw;
                }
                wy += ch;
            }
        }
        x += w + rng.range(-6.0, 4.0);
    }
}

/// A television tower of spheres on a shaft, the city's landmark.
fn tv_tower(d: &mut Draw, x: f32, base: f32, h: f32, color: u32, light: u32) {
    let c = rgb(color);
    for (dx, top) in [(-0.07f32, 0.3f32), (0.07, 0.3), (0.0, 0.32)] {
        d.fill(
            &poly(
                &[
                    (x + dx * h - 5.0, base),
                    (x + dx * h + 5.0, base),
                    (x + 3.0, base - top * h),
                    (x - 3.0, base - top * h),
                ],
                true,
            ),
            c,
        );
    }
    d.fill(&rect(x - 0.012 * h, base - 0.9 * h, 0.024 * h, 0.75 * h), c);
    d.fill(&circle(x, base - 0.3 * h, 0.075 * h), c);
    d.fill(&circle(x, base - 0.64 * h, 0.05 * h), c);
    d.fill(&circle(x, base - 0.8 * h, 0.02 * h), c);
    d.fill(&rect(x - 2.0, base - h, 4.0, 0.12 * h), c);
    // Rims lit by the sunset, and a red warning light.
    d.stroke(
        &smooth(
            &[
                (x + 0.045 * h, base - 0.36 * h),
                (x + 0.07 * h, base - 0.31 * h),
                (x + 0.06 * h, base - 0.26 * h),
            ],
            false,
        ),
        rgba(light, 0.8),
        3.0,
    );
    d.stroke(
        &smooth(
            &[
                (x + 0.03 * h, base - 0.68 * h),
                (x + 0.047 * h, base - 0.645 * h),
                (x + 0.04 * h, base - 0.61 * h),
            ],
            false,
        ),
        rgba(light, 0.8),
        2.5,
    );
    d.glow(0xff3030, 0.9, (x, base - h), 14.0);
}

fn sky(d: &mut Draw, w: f32, h: f32, list: &[(f32, Color)]) {
    d.shade(&rect(0.0, 0.0, w, h), linear((0.0, 0.0), (0.0, h), list));
}

fn stars(d: &mut Draw, rng: &mut Rng, n: usize, area: (f32, f32, f32, f32)) {
    for _ in 0..n {
        let (x, y) = (area.0 + rng.f() * area.2, area.1 + rng.f() * area.3);
        d.fill(
            &circle(x, y, rng.range(0.8, 2.2)),
            rgba(0xfff6e0, rng.range(0.3, 0.9)),
        );
    }
}

/// A jagged lightning bolt with branches, and its glow.
fn lightning(d: &mut Draw, rng: &mut Rng, from: P, to: P, width: f32) {
    let steps = 11;
    let mut pts = vec![from];
    for i in 1..steps {
        let t = i as f32 / steps as f32;
        let jitter = rng.range(-1.0, 1.0) * 0.09 * (to.1 - from.1).abs();
        pts.push((
            from.0 + (to.0 - from.0) * t + jitter,
            from.1 + (to.1 - from.1) * t,
        ));
    }
    pts.push(to);
    d.glow(
        0x9fc4ff,
        0.55,
        ((from.0 + to.0) * 0.5, (from.1 + to.1) * 0.45),
        (to.1 - from.1).abs() * 0.75,
    );
    let bolt = poly(&pts, false);
    d.stroke(&bolt, rgba(0xa8c8ff, 0.5), width * 4.0);
    d.stroke(&bolt, rgb(0xffffff), width);
    for k in [3usize, 6, 8] {
        let s = pts[k];
        let dir = if k % 2 == 0 { 1.0 } else { -1.0 };
        let mut b = vec![s];
        let mut p = s;
        for _ in 0..4 {
            p = (
                p.0 + dir * rng.range(15.0, 45.0) * width / 4.0,
                p.1 + rng.range(20.0, 50.0) * width / 4.0,
            );
            b.push(p);
        }
        d.stroke(&poly(&b, false), rgb(0xe8f0ff), width * 0.45);
    }
}

/// Paints a rim of light along one side of a shape: the shape minus itself shifted.
fn rim(d: &mut Draw, path: &Path, dx: f32, dy: f32, color: Color) {
    rim_all(d, std::slice::from_ref(path), dx, dy, color);
}

/// The same for the union of several shapes (a figure drawn in parts).
fn rim_all(d: &mut Draw, paths: &[Path], dx: f32, dy: f32, color: Color) {
    let (pw, ph) = (d.pm.width(), d.pm.height());
    let mut m = Mask::new(pw, ph).unwrap();
    let mut shifted = Mask::new(pw, ph).unwrap();
    for p in paths {
        m.fill_path(p, FillRule::Winding, true, d.ts);
        shifted.fill_path(p, FillRule::Winding, true, d.ts.pre_translate(dx, dy));
    }
    for (a, b) in m.data_mut().iter_mut().zip(shifted.data()) {
        *a = ((*a as u16 * (255 - *b) as u16) / 255) as u8;
    }
    if let Some(clip) = d.clip {
        for (a, b) in m.data_mut().iter_mut().zip(clip.data()) {
            *a = ((*a as u16 * *b as u16) / 255) as u8;
        }
    }
    let mut paint = Paint::default();
    paint.set_color(color);
    d.pm.fill_rect(
        Rect::from_xywh(0.0, 0.0, pw as f32, ph as f32).unwrap(),
        &paint,
        Transform::identity(),
        Some(&m),
    );
}

// ---------------------------------------------------------------------------------------------
// One-point perspective for the street.

struct Persp {
    vx: f32,
    vy: f32,
    f: f32,
    eye: f32,
}

impl Persp {
    /// Screen point of the world point (x right, y up, z depth), metres.
    fn p(&self, x: f32, y: f32, z: f32) -> P {
        (
            self.vx + x * self.f / z,
            self.vy + (self.eye - y) * self.f / z,
        )
    }
    /// A quad on the wall plane x = const.
    fn wall(&self, x: f32, y0: f32, y1: f32, z0: f32, z1: f32) -> Path {
        poly(
            &[
                self.p(x, y0, z0),
                self.p(x, y1, z0),
                self.p(x, y1, z1),
                self.p(x, y0, z1),
            ],
            true,
        )
    }
    /// A quad facing the viewer at depth z.
    fn front(&self, x0: f32, x1: f32, y0: f32, y1: f32, z: f32) -> Path {
        poly(
            &[
                self.p(x0, y0, z),
                self.p(x1, y0, z),
                self.p(x1, y1, z),
                self.p(x0, y1, z),
            ],
            true,
        )
    }
    /// A quad on the ground plane.
    fn ground(&self, x0: f32, x1: f32, z0: f32, z1: f32) -> Path {
        poly(
            &[
                self.p(x0, 0.0, z0),
                self.p(x1, 0.0, z0),
                self.p(x1, 0.0, z1),
                self.p(x0, 0.0, z1),
            ],
            true,
        )
    }
    fn scale(&self, z: f32) -> f32 {
        self.f / z
    }
}

/// A wet-road reflection under a light at depth z: a column of broken horizontal glints that
/// fades with distance from the light.
#[allow(clippy::too_many_arguments)]
fn reflection(
    d: &mut Draw,
    rng: &mut Rng,
    pv: &Persp,
    x: f32,
    y: f32,
    z: f32,
    width: f32,
    color: u32,
    alpha: f32,
) {
    let (gx, gy) = pv.p(x, 0.0, z);
    let (_, ry) = pv.p(x, -y, z);
    let len = (ry - gy).max(8.0);
    let w = width.max(2.0);
    let mut pb = PathBuilder::new();
    let step = (len / 14.0).clamp(2.0, 14.0);
    let mut t = 0.0;
    while t < len {
        let k = 1.0 - t / len;
        let ww = w * rng.range(0.4, 1.3) * (0.6 + 0.4 * k);
        let hh = step * rng.range(0.25, 0.7);
        let ox = rng.range(-0.15, 0.15) * w;
        pb.push_rect(Rect::from_xywh(gx - ww * 0.5 + ox, gy + t, ww, hh).unwrap());
        t += step;
    }
    if let Some(path) = pb.finish() {
        d.shade(
            &path,
            linear(
                (gx, gy),
                (gx, gy + len),
                &[(0.0, rgba(color, alpha)), (1.0, rgba(color, 0.0))],
            ),
        );
    }
    d.shade(
        &rect(gx - w * 0.3, gy, w * 0.6, len),
        linear(
            (gx, gy),
            (gx, gy + len),
            &[(0.0, rgba(color, alpha * 0.4)), (1.0, rgba(color, 0.0))],
        ),
    );
}

/// Strokes that read as a hanzi from across the street: a few radicals, in cell units (-1..1).
fn faux_glyph(rng: &mut Rng) -> Vec<[P; 2]> {
    let radicals: [&[[P; 2]]; 7] = [
        // 口
        &[
            [(-0.7, -0.6), (0.7, -0.6)],
            [(-0.7, -0.6), (-0.7, 0.7)],
            [(0.7, -0.6), (0.7, 0.7)],
            [(-0.7, 0.7), (0.7, 0.7)],
        ],
        // 十
        &[[(-0.9, 0.0), (0.9, 0.0)], [(0.0, -0.9), (0.0, 0.9)]],
        // 日
        &[
            [(-0.6, -0.8), (0.6, -0.8)],
            [(-0.6, -0.8), (-0.6, 0.8)],
            [(0.6, -0.8), (0.6, 0.8)],
            [(-0.6, 0.0), (0.6, 0.0)],
            [(-0.6, 0.8), (0.6, 0.8)],
        ],
        // 木
        &[
            [(-0.9, -0.3), (0.9, -0.3)],
            [(0.0, -0.9), (0.0, 0.9)],
            [(0.0, -0.2), (-0.8, 0.7)],
            [(0.0, -0.2), (0.8, 0.7)],
        ],
        // 大
        &[
            [(-0.9, -0.3), (0.9, -0.3)],
            [(0.0, -0.9), (-0.8, 0.9)],
            [(0.0, -0.3), (0.8, 0.9)],
        ],
        // 门
        &[
            [(-0.7, -0.7), (-0.7, 0.9)],
            [(-0.3, -0.8), (0.7, -0.8)],
            [(0.7, -0.8), (0.7, 0.9)],
            [(-0.4, -0.95), (-0.2, -0.75)],
        ],
        // 王
        &[
            [(-0.8, -0.8), (0.8, -0.8)],
            [(-0.6, 0.0), (0.6, 0.0)],
            [(-0.9, 0.8), (0.9, 0.8)],
            [(0.0, -0.8), (0.0, 0.8)],
        ],
    ];
    let pick =
        |rng: &mut Rng| radicals[(rng.f() * radicals.len() as f32) as usize % radicals.len()];
    let mut out = Vec::new();
    if rng.chance(0.5) {
        // Left-right composition.
        for (cx, sx) in [(-0.5f32, 0.45f32), (0.45, 0.5)] {
            for seg in pick(rng) {
                out.push([
                    (cx + seg[0].0 * sx, seg[0].1),
                    (cx + seg[1].0 * sx, seg[1].1),
                ]);
            }
        }
    } else {
        for (cy, sy) in [(-0.5f32, 0.42f32), (0.45, 0.5)] {
            for seg in pick(rng) {
                out.push([
                    (seg[0].0, cy + seg[0].1 * sy),
                    (seg[1].0, cy + seg[1].1 * sy),
                ]);
            }
        }
    }
    out
}

/// The rainy neon street at night, 1600 × 1920, vanishing point at (800, 900).
fn street_scene(d: &mut Draw, seed: u64) {
    let (w, h) = (1600.0f32, 1920.0f32);
    let pv = Persp {
        vx: 800.0,
        vy: 900.0,
        f: 1000.0,
        eye: 1.7,
    };
    let mut rng = Rng::new(seed);
    sky(
        d,
        w,
        h,
        &[
            (0.0, rgb(0x070a1c)),
            (0.35, rgb(0x1a1840)),
            (0.47, rgb(0x4a2a5e)),
            (0.5, rgb(0x2a1f44)),
            (1.0, rgb(0x0d0e1c)),
        ],
    );
    d.glow(0xff6fa8, 0.35, (800.0, 880.0), 420.0);
    // Road, pavements, markings.
    d.shade(
        &pv.ground(-7.5, 7.5, 1.0, 400.0),
        linear(
            (0.0, 900.0),
            (0.0, h),
            &[
                (0.0, rgb(0x2c2444)),
                (0.2, rgb(0x15142a)),
                (1.0, rgb(0x0c0c18)),
            ],
        ),
    );
    for side in [-1.0f32, 1.0] {
        d.fill(
            &pv.ground(4.6 * side, 7.5 * side, 1.0, 400.0),
            rgb(0x1c1a33),
        );
        d.stroke(
            &poly(
                &[pv.p(4.6 * side, 0.0, 1.0), pv.p(4.6 * side, 0.0, 400.0)],
                false,
            ),
            rgba(0x8b86b8, 0.5),
            3.0,
        );
    }
    let mut z = 9.0;
    while z < 200.0 {
        d.fill(&pv.ground(-0.1, 0.1, z, z + 3.0), rgba(0xe8e2c8, 0.55));
        z += 7.0;
    }
    let mut x = -4.2;
    while x < 4.2 {
        d.fill(&pv.ground(x, x + 0.5, 3.4, 5.6), rgba(0xf0eee8, 0.3));
        x += 0.95;
    }
    // Buildings both sides, far to near.
    let neon = [0xff3f8e, 0x3fe0ff, 0xffc23f, 0xa070ff, 0x4dff9e];
    for side in [-1.0f32, 1.0] {
        let mut blocks = Vec::new();
        let mut z0 = 1.2;
        while z0 < 160.0 {
            let len = rng.range(6.0, 14.0) * (1.0 + z0 / 60.0);
            blocks.push((z0, z0 + len, rng.range(10.0, 34.0)));
            z0 += len;
        }
        for &(z0, z1, bh) in blocks.iter().rev() {
            let xw = 7.5 * side;
            let tone = rng.range(0.0, 1.0);
            d.fill(
                &pv.front(xw, 60.0 * side, 0.0, bh, z0),
                rgb(mix(0x2b2a50, 0x3a2f5e, tone)),
            );
            let facade = pv.wall(xw, 0.0, bh, z0, z1);
            d.shade(
                &facade,
                linear(
                    pv.p(xw, 0.0, z0),
                    pv.p(xw, 0.0, z1),
                    &[
                        (0.0, rgb(mix(0x1c1d3a, 0x24203f, tone))),
                        (1.0, rgb(0x2e2850)),
                    ],
                ),
            );
            // Windows on the upper floors.
            let mut fy = 4.6;
            while fy + 1.8 < bh {
                let mut wz = z0 + 0.6;
                while wz + 1.4 < z1 {
                    let lit = rng.chance(0.33);
                    let c = if lit {
                        [0xffd78a, 0xa8d8ff, 0xffb0d0][(rng.f() * 3.0) as usize % 3]
                    } else {
                        0x141530
                    };
                    d.fill(
                        &pv.wall(xw, fy, fy + 1.5, wz, wz + 1.3),
                        rgba(c, if lit { rng.range(0.6, 0.95) } else { 0.9 }),
                    );
                    wz += 2.3;
                }
                fy += 3.1;
            }
            // Shop front glowing at street level.
            let shop = neon[(rng.f() * neon.len() as f32) as usize % neon.len()];
            d.fill(
                &pv.wall(xw, 0.2, 3.2, z0 + 0.5, z1 - 0.5),
                rgba(mix(shop, 0xffffff, 0.55), 0.55),
            );
            d.fill(
                &pv.wall(xw, 0.2, 1.0, z0 + 0.5, z1 - 0.5),
                rgba(0x100e1c, 0.6),
            );
            let mut mz = z0 + 0.5;
            while mz < z1 - 0.5 {
                d.stroke(
                    &poly(&[pv.p(xw, 0.2, mz), pv.p(xw, 3.2, mz)], false),
                    rgba(0x100e1c, 0.85),
                    (0.08 * pv.scale(mz)).max(1.0),
                );
                mz += 1.6;
            }
            d.fill(&pv.wall(xw, 3.4, 4.3, z0 + 0.3, z1 - 0.3), rgba(shop, 0.9));
            let mid = pv.p(xw, 1.8, (z0 + z1) * 0.5);
            d.glow(shop, 0.35, mid, 3.5 * pv.scale((z0 + z1) * 0.5));
            reflection(
                d,
                &mut rng,
                &pv,
                xw - 0.5 * side,
                3.8,
                (z0 + z1) * 0.5,
                0.8 * pv.scale(z1),
                shop,
                0.35,
            );
            d.stroke(&facade, rgba(INK, 0.9), 2.5);
            // A vertical neon sign sticking out over the pavement.
            if rng.chance(0.75) && z0 > 2.5 {
                let zs = z0 + 0.8;
                let c = neon[(rng.f() * neon.len() as f32) as usize % neon.len()];
                let (xa, xb) = (7.4 * side, 6.3 * side);
                let (y0, y1) = (4.5, rng.range(9.0, 12.0));
                let sc = pv.scale(zs);
                let board = pv.front(xa.min(xb), xa.max(xb), y0, y1, zs);
                let centre = pv.p((xa + xb) * 0.5, (y0 + y1) * 0.5, zs);
                d.glow(c, 0.45, centre, (y1 - y0) * sc * 0.8);
                d.fill(&board, rgb(0x120f1e));
                d.stroke(&board, rgb(mix(c, 0xffffff, 0.3)), (0.09 * sc).max(1.5));
                // Glyph-like neon strokes: reads as lettering from across the street.
                let cells = ((y1 - y0) / 1.25) as usize;
                for k in 0..cells {
                    let cy = y1 - 0.75 - k as f32 * 1.2;
                    let (gx, gy) = pv.p((xa + xb) * 0.5, cy, zs);
                    let gs = 0.38 * sc;
                    for seg in faux_glyph(&mut rng) {
                        let line = poly(
                            &[
                                (gx + seg[0].0 * gs, gy + seg[0].1 * gs),
                                (gx + seg[1].0 * gs, gy + seg[1].1 * gs),
                            ],
                            false,
                        );
                        d.stroke(&line, rgb(mix(c, 0xffffff, 0.5)), (0.08 * sc).max(1.2));
                    }
                }
                reflection(
                    d,
                    &mut rng,
                    &pv,
                    (xa + xb) * 0.5,
                    (y0 + y1) * 0.5,
                    zs,
                    (1.0 * sc).max(3.0),
                    c,
                    0.5,
                );
            }
        }
    }
    // Street lamps.
    for (i, zl) in [7.0f32, 20.0, 34.0, 48.0, 62.0, 80.0].iter().enumerate() {
        let side = if i % 2 == 0 { -1.0 } else { 1.0 };
        let x = 5.0 * side;
        let sc = pv.scale(*zl);
        let pole = poly(
            &[
                pv.p(x, 0.0, *zl),
                pv.p(x, 6.5, *zl),
                pv.p(x - 1.3 * side, 6.6, *zl),
            ],
            false,
        );
        d.stroke(&pole, rgb(0x0c0b14), (0.16 * sc).max(1.5));
        let lamp = pv.p(x - 1.3 * side, 6.45, *zl);
        let ground = pv.p(x - 1.3 * side, 0.0, *zl);
        d.shade(
            &poly(
                &[
                    lamp,
                    (ground.0 - 2.2 * sc, ground.1),
                    (ground.0 + 2.2 * sc, ground.1),
                ],
                true,
            ),
            linear(
                lamp,
                ground,
                &[(0.0, rgba(0xffe2a8, 0.35)), (1.0, rgba(0xffe2a8, 0.04))],
            ),
        );
        d.glow(0xffe2a8, 0.8, lamp, 1.6 * sc);
        d.fill(&circle(lamp.0, lamp.1, (0.18 * sc).max(1.5)), rgb(0xfff6dc));
        reflection(
            d,
            &mut rng,
            &pv,
            x - 1.3 * side,
            6.45,
            *zl,
            (0.5 * sc).max(3.0),
            0xffe2a8,
            0.45,
        );
    }
    // Cars far away: tail lights going, head lights coming.
    for (x, z, c) in [
        (-2.2f32, 45.0f32, 0xff2a3a),
        (-2.0, 90.0, 0xff2a3a),
        (2.3, 70.0, 0xfff4d0),
        (2.1, 120.0, 0xfff4d0),
    ] {
        let sc = pv.scale(z);
        for dx in [-0.75f32, 0.75] {
            let p = pv.p(x + dx, 0.8, z);
            d.glow(c, 0.9, p, (0.9 * sc).max(6.0));
            d.fill(
                &circle(p.0, p.1, (0.12 * sc).max(1.5)),
                rgb(mix(c, 0xffffff, 0.5)),
            );
            reflection(
                d,
                &mut rng,
                &pv,
                x + dx,
                0.8,
                z,
                (0.25 * sc).max(2.0),
                c,
                0.6,
            );
        }
    }
    // Puddles with rings.
    for (x, z, r) in [
        (-1.2f32, 2.4f32, 0.35f32),
        (2.6, 3.8, 0.45),
        (-3.2, 7.5, 0.8),
        (1.0, 12.0, 1.0),
    ] {
        let c = pv.p(x, 0.0, z);
        let sc = pv.scale(z);
        let e = ellipse(c.0, c.1, r * sc, r * sc * 0.7 * pv.eye / z);
        d.fill(&e, rgba(0x3a3068, 0.5));
        d.stroke(&e, rgba(0xb9b3ff, 0.3), 2.0);
        for k in 0..2 {
            let rr = r * sc * (0.3 + 0.25 * k as f32);
            d.stroke(
                &ellipse(c.0 + r * sc * 0.2, c.1, rr, rr * 0.17),
                rgba(0xd8d4ff, 0.35),
                1.5,
            );
        }
    }
    // Rain and splashes.
    rain(
        d,
        &mut rng,
        700,
        (-200.0, -100.0, w + 300.0, h + 100.0),
        0.12,
        0.35,
    );
    for _ in 0..120 {
        let (x, y) = (rng.range(0.0, w), rng.range(1000.0, h));
        let s = (y - 880.0) / 1000.0 * 10.0;
        d.stroke(
            &smooth(
                &[(x - s, y), (x - s * 0.5, y - s * 0.7), (x, y - s * 0.2)],
                false,
            ),
            rgba(0xdfe8ff, 0.5),
            1.2,
        );
        d.stroke(
            &smooth(
                &[(x, y - s * 0.2), (x + s * 0.5, y - s * 0.8), (x + s, y)],
                false,
            ),
            rgba(0xdfe8ff, 0.5),
            1.2,
        );
    }
}

fn street() -> Pixmap {
    let mut pm = Pixmap::new(1600, 1920).unwrap();
    street_scene(&mut Draw::new(&mut pm), 31);
    pm
}

// ---------------------------------------------------------------------------------------------
// Full figures (transparent PNG layers).

/// Colours of a full figure; a silhouette uses one dark tone with a coloured rim.
struct Outfit {
    coat: u32,
    coat_shade: u32,
    hair: u32,
    hair_light: u32,
    legs: u32,
    umbrella: u32,
    rim_left: u32,
    rim_right: u32,
}

/// 林晚 seen from behind, 660 × 1200 px, feet at y ≈ 1170: long hair, a belted coat, boots,
/// and a red umbrella (or a suitcase at dusk).
fn lin_back_figure(d: &mut Draw, o: &Outfit, umbrella: bool) {
    let ink = 3.5;
    d.shade(
        &ellipse(330.0, 1168.0, 170.0, 22.0),
        radial(
            (330.0, 1168.0),
            170.0,
            &[(0.0, rgba(0x000000, 0.55)), (1.0, rgba(0x000000, 0.0))],
        ),
    );
    // Legs and boots.
    for (x0, x1, lift) in [(282.0f32, 290.0f32, 0.0f32), (378.0, 372.0, -14.0)] {
        let leg = smooth(
            &[
                (x0 - 20.0, 980.0),
                (x1 - 16.0, 1100.0 + lift),
                (x1 + 16.0, 1100.0 + lift),
                (x0 + 22.0, 980.0),
            ],
            true,
        );
        d.ink(&leg, rgb(o.legs), ink);
        let boot = poly(
            &[
                (x1 - 19.0, 1060.0 + lift),
                (x1 + 19.0, 1060.0 + lift),
                (x1 + 21.0, 1160.0 + lift),
                (x1 - 4.0, 1172.0 + lift),
                (x1 - 22.0, 1165.0 + lift),
            ],
            true,
        );
        d.ink(&boot, rgb(mix(o.legs, 0x000000, 0.4)), ink);
    }
    // The coat: shoulders, a belted waist, a flared hem with a back vent.
    let coat_pts = [
        (330.0, 455.0),
        (262.0, 470.0),
        (205.0, 505.0),
        (196.0, 600.0),
        (226.0, 700.0),
        (214.0, 760.0),
        (188.0, 900.0),
        (178.0, 1010.0),
        (330.0, 1030.0),
        (482.0, 1010.0),
        (472.0, 900.0),
        (446.0, 760.0),
        (434.0, 700.0),
        (464.0, 600.0),
        (455.0, 505.0),
        (398.0, 470.0),
    ];
    let coat = smooth(&coat_pts, true);
    d.fill(&coat, rgb(o.coat));
    {
        let m = d.mask(&coat);
        let mut c = d.clipped(&m);
        c.shade(
            &rect(150.0, 440.0, 360.0, 600.0),
            linear(
                (150.0, 0.0),
                (510.0, 0.0),
                &[
                    (0.0, rgba(o.coat_shade, 0.0)),
                    (0.6, rgba(o.coat_shade, 0.2)),
                    (1.0, rgba(o.coat_shade, 0.9)),
                ],
            ),
        );
        for (pts, wd) in [
            (&[(300.0, 780.0), (285.0, 900.0), (270.0, 1020.0)][..], 14.0),
            (&[(372.0, 780.0), (392.0, 900.0), (410.0, 1020.0)][..], 14.0),
            (&[(330.0, 860.0), (330.0, 1030.0)][..], 6.0),
        ] {
            c.fill(&brush(pts, wd, 0.5, 0.1), rgb(o.coat_shade));
        }
        // Belt.
        c.fill(
            &poly(
                &[
                    (200.0, 712.0),
                    (460.0, 712.0),
                    (460.0, 745.0),
                    (200.0, 745.0),
                ],
                true,
            ),
            rgb(mix(o.coat_shade, 0x000000, 0.2)),
        );
    }
    rim(d, &coat, 7.0, 0.0, rgba(o.rim_left, 0.9));
    rim(d, &coat, -7.0, 0.0, rgba(o.rim_right, 0.9));
    d.stroke(&coat, rgb(INK), ink);
    // Belt tails.
    d.ink(
        &poly(
            &[
                (300.0, 735.0),
                (318.0, 735.0),
                (308.0, 835.0),
                (292.0, 830.0),
            ],
            true,
        ),
        rgb(mix(o.coat_shade, 0x000000, 0.2)),
        2.5,
    );
    // Arms: the left hangs, the right is bent forward to hold the umbrella.
    let left_arm = smooth(
        &[
            (212.0, 510.0),
            (188.0, 600.0),
            (176.0, 720.0),
            (190.0, 800.0),
            (214.0, 796.0),
            (220.0, 700.0),
            (232.0, 600.0),
        ],
        true,
    );
    d.ink(&left_arm, rgb(o.coat), ink);
    rim(d, &left_arm, 6.0, 0.0, rgba(o.rim_left, 0.9));
    d.ink(&ellipse(202.0, 812.0, 16.0, 22.0), rgb(0xf3d5c6), 2.5);
    let right_arm = smooth(
        &[
            (448.0, 510.0),
            (476.0, 600.0),
            (470.0, 680.0),
            (430.0, 700.0),
            (440.0, 640.0),
            (430.0, 570.0),
        ],
        true,
    );
    d.ink(&right_arm, rgb(o.coat), ink);
    rim(d, &right_arm, -6.0, 0.0, rgba(o.rim_right, 0.9));
    // Hair: a long dark fall over the back, with a shine and loose strands.
    let hair_pts = [
        (330.0, 352.0),
        (388.0, 366.0),
        (414.0, 410.0),
        (420.0, 480.0),
        (428.0, 560.0),
        (440.0, 640.0),
        (418.0, 690.0),
        (380.0, 672.0),
        (350.0, 698.0),
        (312.0, 676.0),
        (276.0, 696.0),
        (236.0, 660.0),
        (236.0, 560.0),
        (242.0, 480.0),
        (248.0, 410.0),
        (272.0, 366.0),
    ];
    let hair = smooth(&hair_pts, true);
    d.fill(&hair, rgb(o.hair));
    {
        let m = d.mask(&hair);
        let mut hm = d.clipped(&m);
        for (x, len) in [
            (280.0f32, 250.0f32),
            (310.0, 300.0),
            (345.0, 280.0),
            (380.0, 260.0),
            (408.0, 200.0),
        ] {
            hm.fill(
                &brush(
                    &[
                        (x, 430.0),
                        (x + 4.0, 430.0 + len * 0.5),
                        (x - 4.0, 430.0 + len),
                    ],
                    5.0,
                    0.3,
                    0.6,
                ),
                rgba(mix(o.hair, 0x000000, 0.5), 0.8),
            );
        }
        hm.fill(
            &brush(
                &[
                    (268.0, 405.0),
                    (300.0, 388.0),
                    (340.0, 384.0),
                    (382.0, 396.0),
                ],
                16.0,
                0.4,
                0.4,
            ),
            rgba(o.hair_light, 0.7),
        );
    }
    rim(d, &hair, 6.0, 0.0, rgba(o.rim_left, 0.8));
    rim(d, &hair, -6.0, 0.0, rgba(o.rim_right, 0.8));
    d.stroke(&hair, rgb(INK), ink);
    for pts in [
        [(250.0f32, 600.0f32), (236.0, 680.0), (224.0, 720.0)],
        [(420.0, 600.0), (436.0, 690.0), (446.0, 716.0)],
    ] {
        d.fill(&brush(&pts, 10.0, 0.1, 0.9), rgb(o.hair));
    }
    if umbrella {
        let rot = Transform::from_rotate_at(-9.0, 330.0, 560.0);
        let mut u = d.sub(rot);
        u.stroke(
            &poly(&[(330.0, 120.0), (330.0, 420.0)], false),
            rgb(0x1a1418),
            7.0,
        );
        let tips = [
            (36.0f32, 372.0f32),
            (170.0, 338.0),
            (330.0, 326.0),
            (490.0, 338.0),
            (624.0, 372.0),
        ];
        let mut pb = PathBuilder::new();
        pb.move_to(tips[0].0, tips[0].1);
        pb.cubic_to(40.0, 250.0, 160.0, 110.0, 330.0, 96.0);
        pb.cubic_to(500.0, 110.0, 620.0, 250.0, tips[4].0, tips[4].1);
        for i in (0..4).rev() {
            let (a, b) = (tips[i + 1], tips[i]);
            pb.quad_to((a.0 + b.0) * 0.5, (a.1 + b.1) * 0.5 - 30.0, b.0, b.1);
        }
        pb.close();
        let canopy = pb.finish().unwrap();
        u.shade(
            &canopy,
            linear(
                (0.0, 96.0),
                (0.0, 372.0),
                &[
                    (0.0, rgb(mix(o.umbrella, 0xffffff, 0.15))),
                    (1.0, rgb(mix(o.umbrella, 0x000000, 0.35))),
                ],
            ),
        );
        {
            let m = u.mask(&canopy);
            let mut c = u.clipped(&m);
            // Panels between ribs alternate light and dark; a wet shine on the left.
            for i in 0..4 {
                if i % 2 == 1 {
                    let (a, b) = (tips[i], tips[i + 1]);
                    c.fill(&poly(&[(330.0, 96.0), a, b], true), rgba(0x000000, 0.16));
                }
            }
            c.fill(
                &brush(
                    &[(110.0, 300.0), (150.0, 200.0), (240.0, 130.0)],
                    26.0,
                    0.4,
                    0.6,
                ),
                rgba(0xffffff, 0.35),
            );
            rim(&mut c, &canopy, -8.0, 0.0, rgba(o.rim_right, 0.55));
        }
        for t in tips.iter().skip(1).take(3) {
            u.stroke(
                &smooth(
                    &[
                        (330.0, 96.0),
                        ((330.0 + t.0) * 0.5, (96.0 + t.1) * 0.5 - 20.0),
                        *t,
                    ],
                    false,
                ),
                rgb(mix(o.umbrella, 0x000000, 0.5)),
                3.0,
            );
        }
        u.stroke(&canopy, rgb(INK), ink + 0.5);
        u.ink(&rect(326.0, 70.0, 8.0, 28.0), rgb(0x2a2020), 2.0);
        for t in tips {
            u.fill(&circle(t.0, t.1 + 2.0, 5.0), rgb(0x2a2020));
        }
        // Drops running off the rim.
        let mut rng = Rng::new(5);
        for t in tips {
            for k in 0..2 {
                let y = t.1 + 20.0 + k as f32 * rng.range(30.0, 60.0);
                u.fill(
                    &ellipse(t.0 + rng.range(-6.0, 6.0), y, 3.0, 6.0),
                    rgba(0xdfeeff, 0.8),
                );
            }
        }
    } else {
        // A small suitcase at her side.
        let case = PathBuilder::from_rect(Rect::from_xywh(470.0, 900.0, 150.0, 220.0).unwrap());
        d.ink(&case, rgb(mix(o.umbrella, 0x222222, 0.3)), ink);
        d.stroke(
            &poly(
                &[
                    (505.0, 900.0),
                    (505.0, 860.0),
                    (585.0, 860.0),
                    (585.0, 900.0),
                ],
                false,
            ),
            rgb(INK),
            7.0,
        );
        d.fill(&rect(470.0, 960.0, 150.0, 10.0), rgba(0x000000, 0.3));
        rim(d, &case, -6.0, 0.0, rgba(o.rim_right, 0.9));
        for x in [490.0f32, 600.0] {
            d.ink(&circle(x, 1128.0, 10.0), rgb(0x111111), 2.0);
        }
    }
}

const LIN_NIGHT: Outfit = Outfit {
    coat: 0x3b3350,
    coat_shade: 0x1e1a2c,
    hair: 0x272640,
    hair_light: 0x7886c4,
    legs: 0x1c1826,
    umbrella: 0xd42a40,
    rim_left: 0xff6fb0,
    rim_right: 0x6fdcff,
};

fn lin_back() -> Pixmap {
    let mut pm = Pixmap::new(660, 1200).unwrap();
    lin_back_figure(&mut Draw::new(&mut pm), &LIN_NIGHT, true);
    pm
}

/// 顾辰 from behind, a dark suit against the storm, 520 × 1200 px, holding a glass of wine.
fn gu_back_figure(d: &mut Draw) {
    let dark = rgb(0x0b0d16);
    let lit = rgba(0xbfd8ff, 0.95);
    let ink = 3.0;
    let mut parts = vec![
        // Legs with the window's light between them.
        smooth(
            &[
                (165.0, 690.0),
                (170.0, 900.0),
                (178.0, 1150.0),
                (252.0, 1150.0),
                (258.0, 900.0),
                (262.0, 720.0),
            ],
            true,
        ),
        smooth(
            &[
                (262.0, 720.0),
                (272.0, 900.0),
                (280.0, 1150.0),
                (352.0, 1150.0),
                (358.0, 900.0),
                (362.0, 690.0),
            ],
            true,
        ),
        smooth(
            &[
                (170.0, 1140.0),
                (172.0, 1172.0),
                (256.0, 1176.0),
                (254.0, 1140.0),
            ],
            true,
        ),
        smooth(
            &[
                (278.0, 1140.0),
                (276.0, 1176.0),
                (362.0, 1172.0),
                (356.0, 1140.0),
            ],
            true,
        ),
        // Jacket.
        smooth(
            &[
                (262.0, 232.0),
                (190.0, 248.0),
                (138.0, 276.0),
                (124.0, 340.0),
                (136.0, 470.0),
                (150.0, 600.0),
                (158.0, 712.0),
                (262.0, 724.0),
                (366.0, 712.0),
                (374.0, 600.0),
                (390.0, 470.0),
                (400.0, 340.0),
                (386.0, 276.0),
                (334.0, 248.0),
            ],
            true,
        ),
        // Left arm, hand in the pocket; right arm bent, holding the glass out.
        smooth(
            &[
                (142.0, 280.0),
                (112.0, 380.0),
                (110.0, 500.0),
                (140.0, 600.0),
                (176.0, 610.0),
                (160.0, 480.0),
                (170.0, 330.0),
            ],
            true,
        ),
        smooth(
            &[
                (380.0, 280.0),
                (418.0, 360.0),
                (430.0, 450.0),
                (448.0, 520.0),
                (428.0, 540.0),
                (396.0, 470.0),
                (372.0, 360.0),
            ],
            true,
        ),
        // Neck, head, ear.
        rect(236.0, 190.0, 52.0, 60.0),
        smooth(
            &[
                (202.0, 150.0),
                (204.0, 96.0),
                (232.0, 66.0),
                (276.0, 62.0),
                (316.0, 88.0),
                (326.0, 140.0),
                (318.0, 192.0),
                (300.0, 214.0),
                (282.0, 206.0),
                (262.0, 224.0),
                (244.0, 208.0),
                (224.0, 216.0),
                (206.0, 190.0),
            ],
            true,
        ),
        ellipse(326.0, 162.0, 11.0, 20.0),
    ];
    for p in &parts {
        d.fill(p, dark);
        d.stroke(p, rgba(0x2a3350, 0.9), ink);
    }
    // Spiky hair over the head.
    let hair = smooth(
        &[
            (198.0, 160.0),
            (194.0, 104.0),
            (204.0, 76.0),
            (226.0, 58.0),
            (250.0, 46.0),
            (262.0, 52.0),
            (290.0, 50.0),
            (316.0, 66.0),
            (336.0, 98.0),
            (332.0, 130.0),
            (332.0, 160.0),
            (316.0, 196.0),
            (300.0, 226.0),
            (284.0, 206.0),
            (262.0, 232.0),
            (244.0, 208.0),
            (222.0, 224.0),
            (208.0, 196.0),
        ],
        true,
    );
    d.fill(&hair, rgb(0x10121c));
    for pts in [
        [(230.0f32, 80.0f32), (236.0, 130.0), (232.0, 190.0)],
        [(270.0, 60.0), (272.0, 130.0), (262.0, 200.0)],
        [(300.0, 80.0), (304.0, 140.0), (296.0, 196.0)],
    ] {
        d.fill(&brush(&pts, 6.0, 0.3, 0.7), rgba(0x4a5878, 0.45));
    }
    parts.push(hair);
    rim_all(d, &parts, 7.0, 3.0, lit);
    rim_all(d, &parts, -4.0, 3.0, rgba(0x8fb0ff, 0.6));
    // A few folds catching the light.
    for pts in [
        [(190.0f32, 300.0f32), (200.0, 420.0), (196.0, 560.0)],
        [(330.0, 300.0), (330.0, 420.0), (336.0, 560.0)],
    ] {
        d.fill(&brush(&pts, 4.0, 0.4, 0.5), rgba(0x5a6a90, 0.6));
    }
    d.stroke(
        &poly(&[(262.0, 560.0), (262.0, 722.0)], false),
        rgba(0x5a6a90, 0.6),
        3.0,
    );
    // The glass: red wine lit by the lightning.
    let bowl = smooth(
        &[
            (428.0, 470.0),
            (470.0, 470.0),
            (466.0, 510.0),
            (449.0, 524.0),
            (432.0, 510.0),
        ],
        true,
    );
    d.fill(&bowl, rgba(0xdcecff, 0.35));
    d.fill(
        &smooth(
            &[
                (431.0, 494.0),
                (467.0, 494.0),
                (462.0, 512.0),
                (449.0, 522.0),
                (436.0, 512.0),
            ],
            true,
        ),
        rgb(0x8a0f24),
    );
    d.stroke(&bowl, rgb(0xe8f2ff), 2.0);
    d.stroke(
        &poly(&[(449.0, 524.0), (449.0, 560.0)], false),
        rgb(0xe8f2ff),
        2.5,
    );
    d.stroke(
        &poly(&[(436.0, 562.0), (462.0, 562.0)], false),
        rgb(0xe8f2ff),
        2.5,
    );
}

fn gu_back() -> Pixmap {
    let mut pm = Pixmap::new(520, 1200).unwrap();
    gu_back_figure(&mut Draw::new(&mut pm));
    pm
}

/// The penthouse at night: a wall of glass, a storm over the city, lightning.
fn interior_scene(d: &mut Draw, seed: u64) {
    let (w, h) = (1080.0f32, 1920.0f32);
    let mut rng = Rng::new(seed);
    d.fill(&rect(0.0, 0.0, w, h), rgb(0x0d0f1d));
    let (wx0, wy0, wx1, wy1) = (70.0, 140.0, 1010.0, 1480.0);
    let window = rect(wx0, wy0, wx1 - wx0, wy1 - wy0);
    let wm = d.mask(&window);
    {
        let mut v = d.clipped(&wm);
        sky(
            &mut v,
            w,
            h,
            &[
                (0.0, rgb(0x0c1230)),
                (0.45, rgb(0x26346a)),
                (0.62, rgb(0x3b3466)),
                (1.0, rgb(0x141433)),
            ],
        );
        for (cx, cy, cw, ch) in [
            (300.0f32, 330.0f32, 700.0f32, 180.0f32),
            (820.0, 420.0, 600.0, 160.0),
            (500.0, 620.0, 900.0, 200.0),
        ] {
            cloud(&mut v, &mut rng, cx, cy, cw, ch, 0x121733, 0x6676b8);
        }
        lightning(&mut v, &mut rng, (640.0, 150.0), (520.0, 930.0), 6.0);
        skyline(
            &mut v,
            &mut rng,
            (wx0, wx1),
            1180.0,
            (120.0, 330.0),
            (50.0, 110.0),
            0x28305a,
            Some((&[0x8fb8ff, 0xc8dcff], 0.25)),
        );
        tv_tower(&mut v, 300.0, 1300.0, 720.0, 0x0f1430, 0x8fb8ff);
        skyline(
            &mut v,
            &mut rng,
            (wx0, wx1),
            1480.0,
            (140.0, 420.0),
            (60.0, 140.0),
            0x0c1024,
            Some((&[0xffd68a, 0x9fd0ff, 0xffffff], 0.3)),
        );
        // Rain on the glass: beads and the trails they leave.
        for _ in 0..260 {
            let (x, y) = (rng.range(wx0, wx1), rng.range(wy0, wy1));
            let r = rng.range(1.5, 4.5);
            v.fill(&ellipse(x, y, r, r * 1.2), rgba(0xd0e0ff, 0.35));
            v.fill(
                &circle(x - r * 0.3, y - r * 0.3, r * 0.35),
                rgba(0xffffff, 0.8),
            );
        }
        for _ in 0..40 {
            let (x, y) = (rng.range(wx0, wx1), rng.range(wy0, wy1 - 200.0));
            let len = rng.range(60.0, 220.0);
            let trail: Vec<P> = (0..6)
                .map(|k| (x + rng.range(-4.0, 4.0), y + len * k as f32 / 5.0))
                .collect();
            v.stroke(&smooth(&trail, false), rgba(0xcfe0ff, 0.3), 2.5);
            v.fill(
                &ellipse(trail[5].0, trail[5].1, 4.0, 5.5),
                rgba(0xe8f0ff, 0.6),
            );
        }
    }
    // Window frame.
    for x in [wx0, 383.0, 696.0, wx1] {
        d.fill(
            &rect(x - 11.0, wy0 - 10.0, 22.0, wy1 - wy0 + 20.0),
            rgb(0x05060c),
        );
        d.fill(&rect(x + 8.0, wy0, 2.0, wy1 - wy0), rgba(0x8fb0ff, 0.5));
    }
    for y in [wy0, 1130.0, wy1] {
        d.fill(
            &rect(wx0 - 11.0, y - 10.0, wx1 - wx0 + 22.0, 20.0),
            rgb(0x05060c),
        );
        d.fill(&rect(wx0, y + 8.0, wx1 - wx0, 2.0), rgba(0x8fb0ff, 0.4));
    }
    // Floor: dark and glossy, the window reflected in it.
    let floor = rect(0.0, wy1 + 10.0, w, h - wy1);
    d.shade(
        &floor,
        linear(
            (0.0, wy1),
            (0.0, h),
            &[(0.0, rgb(0x1b2140)), (1.0, rgb(0x07080f))],
        ),
    );
    let fm = d.mask(&floor);
    {
        let mut f = d.clipped(&fm);
        for (x0, x1) in [(wx0, 383.0), (383.0, 696.0), (696.0, wx1)] {
            f.shade(
                &poly(
                    &[
                        (x0 + 12.0, wy1 + 10.0),
                        (x1 - 12.0, wy1 + 10.0),
                        (x1 + (x1 - 540.0) * 0.4, h),
                        (x0 + (x0 - 540.0) * 0.4, h),
                    ],
                    true,
                ),
                linear(
                    (0.0, wy1),
                    (0.0, h),
                    &[(0.0, rgba(0x6d86d0, 0.45)), (1.0, rgba(0x6d86d0, 0.0))],
                ),
            );
        }
        f.shade(
            &poly(
                &[
                    (560.0, wy1 + 10.0),
                    (600.0, wy1 + 10.0),
                    (700.0, h),
                    (610.0, h),
                ],
                true,
            ),
            linear(
                (0.0, wy1),
                (0.0, h),
                &[(0.0, rgba(0xffffff, 0.5)), (1.0, rgba(0xffffff, 0.0))],
            ),
        );
        for k in -8..=8 {
            let x = 540.0 + k as f32 * 160.0;
            f.stroke(
                &poly(
                    &[
                        (540.0 + (x - 540.0) * 0.35, wy1 + 10.0),
                        (x * 1.0 + (x - 540.0) * 0.9, h),
                    ],
                    false,
                ),
                rgba(0x000000, 0.35),
                2.0,
            );
        }
    }
    // Curtains.
    for (x0, x1) in [(0.0f32, 150.0f32), (970.0, 1080.0)] {
        let c = rect(x0, 60.0, x1 - x0, wy1 + 60.0);
        d.fill(&c, rgb(0x231a33));
        let cm = d.mask(&c);
        let mut cc = d.clipped(&cm);
        let mut x = x0;
        while x < x1 {
            cc.shade(
                &rect(x, 60.0, 30.0, wy1),
                linear(
                    (x, 0.0),
                    (x + 30.0, 0.0),
                    &[
                        (0.0, rgba(0x000000, 0.5)),
                        (0.5, rgba(0x6a5a9a, 0.35)),
                        (1.0, rgba(0x000000, 0.5)),
                    ],
                ),
            );
            x += 30.0;
        }
        d.stroke(&c, rgb(INK), 3.0);
    }
    // A desk with a warm lamp: the only warm light in the room.
    d.glow(0xffb35a, 0.45, (930.0, 1420.0), 260.0);
    d.ink(
        &poly(
            &[
                (690.0, 1560.0),
                (1080.0, 1540.0),
                (1080.0, 1590.0),
                (700.0, 1605.0),
            ],
            true,
        ),
        rgb(0x1a1420),
        3.0,
    );
    d.fill(
        &poly(
            &[
                (690.0, 1560.0),
                (1080.0, 1540.0),
                (1080.0, 1548.0),
                (692.0, 1567.0),
            ],
            true,
        ),
        rgba(0xffb35a, 0.55),
    );
    d.ink(&rect(720.0, 1600.0, 18.0, 250.0), rgb(0x120e18), 3.0);
    d.stroke(
        &poly(&[(930.0, 1550.0), (930.0, 1440.0), (880.0, 1380.0)], false),
        rgb(0x120e18),
        8.0,
    );
    d.ink(
        &poly(
            &[
                (840.0, 1360.0),
                (920.0, 1350.0),
                (900.0, 1400.0),
                (860.0, 1405.0),
            ],
            true,
        ),
        rgb(0x2a1e1a),
        3.0,
    );
    d.fill(&ellipse(880.0, 1404.0, 22.0, 6.0), rgb(0xffe2b0));
}

fn interior() -> Pixmap {
    let mut pm = Pixmap::new(W, H).unwrap();
    interior_scene(&mut Draw::new(&mut pm), 47);
    pm
}

const LIN_DUSK: Outfit = Outfit {
    coat: 0x2a1d38,
    coat_shade: 0x170f22,
    hair: 0x1a1428,
    hair_light: 0xb06a8a,
    legs: 0x140e1c,
    umbrella: 0x6a2a3a,
    rim_left: 0xff8fb8,
    rim_right: 0xffb36a,
};

/// The opening: the city at dusk across the river, 林晚 back with a suitcase.
fn city_dusk() -> Pixmap {
    let (w, h) = (W as f32, H as f32);
    let mut pm = Pixmap::new(W, H).unwrap();
    let mut d = Draw::new(&mut pm);
    let mut rng = Rng::new(3);
    sky(
        &mut d,
        w,
        h,
        &[
            (0.0, rgb(0x141845)),
            (0.28, rgb(0x40306e)),
            (0.48, rgb(0xa24672)),
            (0.6, rgb(0xee7658)),
            (0.7, rgb(0xffc27c)),
            (0.74, rgb(0xffd9a0)),
        ],
    );
    stars(&mut d, &mut rng, 120, (0.0, 0.0, w, 600.0));
    halftone(
        &mut d,
        (0.0, 0.0, w, 520.0),
        13.0,
        rgba(0x0a0c2a, 0.45),
        &|_, y| 0.9 - y / 520.0,
    );
    d.glow(0xffd08a, 0.8, (770.0, 1290.0), 700.0);
    d.glow(0xfff0c8, 0.9, (770.0, 1290.0), 190.0);
    d.fill(&circle(770.0, 1290.0, 105.0), rgb(0xfff2cc));
    for (cx, cy, cw, ch) in [
        (260.0f32, 560.0f32, 620.0f32, 120.0f32),
        (860.0, 760.0, 560.0, 110.0),
        (420.0, 960.0, 760.0, 130.0),
        (900.0, 1120.0, 420.0, 70.0),
    ] {
        cloud(&mut d, &mut rng, cx, cy, cw, ch, 0x3a2a5e, 0xff9a7a);
    }
    for (x, y, s) in [
        (560.0f32, 820.0f32, 16.0f32),
        (600.0, 850.0, 12.0),
        (530.0, 870.0, 10.0),
    ] {
        d.stroke(
            &smooth(
                &[(x - s, y - s * 0.3), (x - s * 0.4, y - s * 0.5), (x, y)],
                false,
            ),
            rgb(0x2a1a3a),
            3.0,
        );
        d.stroke(
            &smooth(
                &[(x, y), (x + s * 0.4, y - s * 0.5), (x + s, y - s * 0.3)],
                false,
            ),
            rgb(0x2a1a3a),
            3.0,
        );
    }
    skyline(
        &mut d,
        &mut rng,
        (-20.0, w + 20.0),
        1370.0,
        (60.0, 200.0),
        (40.0, 90.0),
        0x9a5280,
        None,
    );
    tv_tower(&mut d, 270.0, 1400.0, 860.0, 0x3a2250, 0xffb07a);
    // A gap in the near blocks lets the sun set over the river.
    let windows: Option<(&[u32], f32)> = Some((&[0xffd68a, 0xffb0c0], 0.22));
    for (span, heights, colour) in [
        ((-20.0, 640.0), (100.0, 430.0), 0x2c1c44),
        ((640.0, 900.0), (40.0, 110.0), 0x3a2450),
        ((900.0, w + 20.0), (150.0, 430.0), 0x2c1c44),
    ] {
        let (rng, d) = (&mut rng, &mut d);
        skyline(
            d,
            rng,
            span,
            1410.0,
            heights,
            (60.0, 130.0),
            colour,
            windows,
        );
    }
    // The river, with the sun's road of glints.
    d.shade(
        &rect(0.0, 1410.0, w, 300.0),
        linear(
            (0.0, 1410.0),
            (0.0, 1710.0),
            &[
                (0.0, rgb(0xc2607a)),
                (0.5, rgb(0x6a3a6a)),
                (1.0, rgb(0x2a1c40)),
            ],
        ),
    );
    for k in 0..40 {
        let y = 1418.0 + k as f32 * 7.0;
        let spread = 40.0 + k as f32 * 5.0;
        for _ in 0..2 {
            let x = 770.0 + rng.range(-1.0, 1.0) * spread;
            let len = rng.range(20.0, 70.0) * (1.0 - k as f32 / 50.0);
            d.fill(
                &rect(x - len * 0.5, y, len, 3.0),
                rgba(0xffe6b0, rng.range(0.4, 0.9)),
            );
        }
    }
    for _ in 0..60 {
        let (x, y) = (rng.range(0.0, w), rng.range(1420.0, 1690.0));
        d.fill(
            &rect(x, y, rng.range(10.0, 40.0), 2.0),
            rgba(0xffb0c0, 0.35),
        );
    }
    // The promenade: railing, a lamp just coming on, the ground.
    d.fill(&rect(0.0, 1700.0, w, 220.0), rgb(0x1a1226));
    d.shade(
        &rect(0.0, 1700.0, w, 220.0),
        linear(
            (0.0, 1700.0),
            (0.0, h),
            &[(0.0, rgba(0xff9a7a, 0.25)), (1.0, rgba(0x000000, 0.3))],
        ),
    );
    d.fill(&rect(0.0, 1690.0, w, 14.0), rgb(0x0e0a16));
    let mut x = 20.0;
    while x < w {
        d.fill(&rect(x, 1600.0, 10.0, 100.0), rgb(0x0e0a16));
        x += 110.0;
    }
    d.fill(&rect(0.0, 1596.0, w, 12.0), rgb(0x0e0a16));
    d.fill(&rect(0.0, 1596.0, w, 3.0), rgba(0xffb36a, 0.7));
    d.fill(&rect(1000.0, 1180.0, 14.0, 520.0), rgb(0x0e0a16));
    d.stroke(
        &smooth(&[(1007.0, 1190.0), (984.0, 1150.0), (934.0, 1150.0)], false),
        rgb(0x0e0a16),
        10.0,
    );
    d.glow(0xffe6b0, 0.8, (934.0, 1175.0), 90.0);
    d.fill(&ellipse(934.0, 1170.0, 22.0, 12.0), rgb(0xfff2d0));
    let mut fig = Pixmap::new(660, 1200).unwrap();
    lin_back_figure(&mut Draw::new(&mut fig), &LIN_DUSK, false);
    d.picture(
        &fig,
        Transform::from_row(0.6, 0.0, 0.0, 0.6, 560.0, 1915.0 - 0.6 * 1172.0),
    );
    pm
}

/// The comic page's panels in page units (the page is drawn at twice that resolution so
/// the camera can zoom into a panel and stay sharp). Four tall panels suit the vertical
/// canvas: framed one by one they fill the screen. The gutter between the rows slants.
const PANEL_SHAPES: [[P; 4]; 4] = [
    [(36.0, 36.0), (528.0, 36.0), (528.0, 922.0), (36.0, 948.0)],
    [
        (552.0, 36.0),
        (1044.0, 36.0),
        (1044.0, 896.0),
        (552.0, 921.0),
    ],
    [
        (36.0, 972.0),
        (528.0, 946.0),
        (528.0, 1884.0),
        (36.0, 1884.0),
    ],
    [
        (552.0, 945.0),
        (1044.0, 920.0),
        (1044.0, 1884.0),
        (552.0, 1884.0),
    ],
];

/// A panel's bounding box `[x, y, w, h]`: what the camera's `frame` shows.
fn panel_box(i: usize) -> [f32; 4] {
    let pts = &PANEL_SHAPES[i];
    let (x0, x1) = pts
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y0, y1) = pts
        .iter()
        .fold((f32::MAX, f32::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    [x0, y0, x1 - x0, y1 - y0]
}

const PAGE_SCALE: f32 = 2.0;

/// A comic page of four panels: her resolve, his shock, the storm, her walking away.
fn page() -> Pixmap {
    let (w, h) = (W as f32, H as f32);
    let mut pm = Pixmap::new((w * PAGE_SCALE) as u32, (h * PAGE_SCALE) as u32).unwrap();
    let mut root = Draw::new(&mut pm);
    let mut d = root.sub(Transform::from_scale(PAGE_SCALE, PAGE_SCALE));
    d.fill(&rect(0.0, 0.0, w, h), rgb(0xf6f1e6));
    let mut rng = Rng::new(61);
    // 1. Her face in the rain, set and calm.
    {
        let m = d.mask(&poly(&PANEL_SHAPES[0], true));
        let mut p = d.clipped(&m);
        p.shade(
            &rect(0.0, 0.0, 560.0, 960.0),
            linear(
                (0.0, 0.0),
                (0.0, 960.0),
                &[(0.0, rgb(0x0b1026)), (1.0, rgb(0x2a2050))],
            ),
        );
        bokeh(&mut p, &mut rng, 14, 560.0, 960.0);
        let ex = Expr {
            eye_open: 0.9,
            brow: 0.22,
            iris: 1.0,
            mouth: Mouth::Firm,
            wet: true,
            sweat: false,
            gloom: false,
            light: 1.0,
            rim: 0x9fd8ff,
        };
        {
            let mut hd = p.sub(
                Transform::from_translate(290.0, 400.0)
                    .pre_scale(185.0, 185.0)
                    .pre_rotate(-5.0),
            );
            draw_head(&mut hd, &LIN, &ex);
        }
        rain(&mut p, &mut rng, 70, (0.0, 0.0, 560.0, 960.0), 0.1, 0.45);
    }
    // 2. His shock: focus lines and screentone.
    {
        let m = d.mask(&poly(&PANEL_SHAPES[1], true));
        let mut p = d.clipped(&m);
        let c = (798.0, 400.0);
        p.shade(
            &rect(540.0, 0.0, 540.0, 960.0),
            radial(c, 560.0, &[(0.0, rgb(0xffffff)), (1.0, rgb(0xa8b2d8))]),
        );
        speed_lines(&mut p, &mut rng, c, 230.0, 900.0, 170, rgba(0x10142e, 0.9));
        halftone(
            &mut p,
            (540.0, 640.0, 540.0, 300.0),
            7.0,
            rgba(0x1c2450, 0.55),
            &|_, y| (y - 640.0) / 300.0,
        );
        let ex = Expr {
            eye_open: 1.3,
            brow: -0.22,
            iris: 0.6,
            mouth: Mouth::Open,
            wet: false,
            sweat: true,
            gloom: true,
            light: -1.0,
            rim: 0xe4efff,
        };
        let mut hd = p.sub(
            Transform::from_translate(798.0, 430.0)
                .pre_scale(170.0, 170.0)
                .pre_rotate(4.0),
        );
        draw_head(&mut hd, &GU, &ex);
    }
    // 3. The storm over the city, him at the glass.
    {
        let m = d.mask(&poly(&PANEL_SHAPES[2], true));
        let mut p = d.clipped(&m);
        let t = Transform::from_row(0.5, 0.0, 0.0, 0.5, 12.0, 940.0);
        {
            let mut room = p.sub(t);
            interior_scene(&mut room, 47);
        }
        let mut fig = Pixmap::new(520, 1200).unwrap();
        gu_back_figure(&mut Draw::new(&mut fig));
        p.picture(&fig, t.pre_concat(Transform::from_translate(300.0, 620.0)));
    }
    // 4. She walks away down the neon street.
    {
        let m = d.mask(&poly(&PANEL_SHAPES[3], true));
        let mut p = d.clipped(&m);
        let t = Transform::from_row(0.55, 0.0, 0.0, 0.55, 798.0 - 0.55 * 800.0, 900.0);
        {
            let mut st = p.sub(t);
            street_scene(&mut st, 31);
        }
        let mut fig = Pixmap::new(660, 1200).unwrap();
        lin_back_figure(&mut Draw::new(&mut fig), &LIN_NIGHT, true);
        let s = 0.5;
        p.picture(
            &fig,
            Transform::from_row(s, 0.0, 0.0, s, 800.0 - s * 330.0, 1860.0 - s * 1172.0),
        );
    }
    for shape in &PANEL_SHAPES {
        d.stroke(&poly(shape, true), rgb(INK), 6.0);
    }
    pm
}

/// Rain streaks, white on black, for a `screen` layer that slides down over a shot.
fn rain_overlay() -> Pixmap {
    let mut pm = Pixmap::new(W, 2400).unwrap();
    let mut d = Draw::new(&mut pm);
    d.fill(&rect(0.0, 0.0, W as f32, 2400.0), rgb(0x000000));
    let mut rng = Rng::new(97);
    rain(
        &mut d,
        &mut rng,
        420,
        (-300.0, -150.0, W as f32 + 300.0, 2550.0),
        0.15,
        0.55,
    );
    for _ in 0..60 {
        let (x, y) = (rng.range(0.0, W as f32), rng.range(0.0, 2400.0));
        let len = rng.range(160.0, 320.0);
        d.stroke(
            &poly(&[(x, y), (x + 0.15 * len, y + len)], false),
            rgba(0xeef4ff, 0.7),
            3.5,
        );
    }
    pm
}

// ---------------------------------------------------------------------------------------------
// Audio: voices from espeak-ng, music and effects synthesised here, all encoded by ffmpeg.

const RATE: u32 = 44_100;

fn require_tools() {
    for (tool, arg) in [("espeak-ng", "--version"), ("ffmpeg", "-version")] {
        let ok = Command::new(tool)
            .arg(arg)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            eprintln!(
                "make_demo: `{tool}` was not found. The demo's audio needs espeak-ng (voices) and \
                 ffmpeg with libvorbis (Ogg encoding); on Debian: apt-get install espeak-ng ffmpeg"
            );
            std::process::exit(2);
        }
    }
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    if !out.status.success() {
        panic!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
}

/// Encodes to Ogg Vorbis with ffmpeg's bit-exact flags (a fixed stream serial, no encoder
/// tag), so reruns produce identical files.
fn encode_ogg(wav: &FsPath, ogg: &FsPath, quality: u32, filter: Option<&str>) {
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-y", "-loglevel", "error", "-i"]).arg(wav);
    if let Some(f) = filter {
        cmd.args(["-af", f]);
    }
    cmd.args([
        "-map_metadata",
        "-1",
        "-fflags",
        "+bitexact",
        "-flags:a",
        "+bitexact",
    ])
    .args(["-c:a", "libvorbis", "-q:a", &quality.to_string()])
    .arg(ogg);
    run(&mut cmd);
    println!("wrote {}", ogg.display());
}

/// 16-bit PCM WAV at the music rate, interleaved channels.
fn write_wav(path: &FsPath, channels: u16, samples: &[f32]) {
    write_wav_at(path, RATE, channels, samples);
}

fn write_wav_at(path: &FsPath, rate: u32, channels: u16, samples: &[f32]) {
    let data_len = (samples.len() * 2) as u32;
    let mut b = Vec::with_capacity(44 + data_len as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&channels.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(rate * channels as u32 * 2).to_le_bytes());
    b.extend_from_slice(&(channels * 2).to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        b.extend_from_slice(&((s.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes());
    }
    fs::write(path, b).expect("cannot write a WAV file");
}

/// Writes a temporary WAV next to the target and encodes it to Ogg.
fn save_ogg(path: &FsPath, channels: u16, samples: &[f32], quality: u32) {
    let wav = path.with_extension("tmp.wav");
    write_wav(&wav, channels, samples);
    encode_ogg(&wav, path, quality, None);
    fs::remove_file(&wav).ok();
}

/// How each speaker sounds: an espeak-ng voice variant, speed (words per minute), pitch
/// (0-99) and an ffmpeg filter for colour.
fn voice_settings(speaker: &str) -> (&'static str, u32, u32, &'static str) {
    match speaker {
        "lin" => ("cmn+f4", 200, 62, "highpass=f=120,lowpass=f=7000"),
        "gu" => ("cmn+m3", 195, 32, "highpass=f=70,lowpass=f=6000"),
        _ => (
            "cmn+m1",
            185,
            40,
            "highpass=f=70,lowpass=f=6500,aecho=0.8:0.6:70:0.22",
        ),
    }
}

fn make_voices(out: &FsPath) {
    for line in &SCRIPT {
        let (voice, speed, pitch, colour) = voice_settings(line.speaker);
        let raw = out.join(format!("voice/{}.espeak.wav", line.id));
        run(Command::new("espeak-ng")
            .args([
                "-v",
                voice,
                "-s",
                &speed.to_string(),
                "-p",
                &pitch.to_string(),
            ])
            .arg("-w")
            .arg(&raw)
            .arg(line.text));
        let (rate, mut samples) = read_wav_mono(&raw);
        tidy_voice(&mut samples, rate);
        write_wav_at(&raw, rate, 1, &samples);
        encode_ogg(
            &raw,
            &out.join(format!("voice/{}.ogg", line.id)),
            3,
            Some(colour),
        );
        fs::remove_file(&raw).ok();
    }
}

/// Trims espeak's leading and trailing silence (so `"duration": "auto"` is the speech
/// itself), evens out the loudness and leaves 0.1 s of air at the end.
fn tidy_voice(samples: &mut Vec<f32>, rate: u32) {
    let threshold = 0.01;
    let first = samples
        .iter()
        .position(|s| s.abs() > threshold)
        .unwrap_or(0);
    let last = samples
        .iter()
        .rposition(|s| s.abs() > threshold)
        .unwrap_or(samples.len() - 1);
    let pre = (0.02 * rate as f32) as usize;
    let mut v: Vec<f32> = samples[first.saturating_sub(pre)..=last].to_vec();
    let rms = (v.iter().map(|s| s * s).sum::<f32>() / v.len() as f32)
        .sqrt()
        .max(1e-6);
    let peak = v.iter().fold(0.0f32, |m, s| m.max(s.abs())).max(1e-6);
    let gain = (0.14 / rms).min(0.85 / peak);
    for s in &mut v {
        *s *= gain;
    }
    v.extend(std::iter::repeat_n(0.0, (0.1 * rate as f32) as usize));
    *samples = v;
}

/// Reads a 16-bit PCM WAV (what espeak-ng writes) as mono samples.
fn read_wav_mono(path: &FsPath) -> (u32, Vec<f32>) {
    let b = fs::read(path).expect("cannot read espeak-ng's WAV output");
    assert!(
        &b[0..4] == b"RIFF" && &b[8..12] == b"WAVE",
        "not a WAV file: {}",
        path.display()
    );
    let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let (mut rate, mut channels, mut pos) = (22_050, 1usize, 12);
    while pos + 8 <= b.len() {
        let size = u32_at(pos + 4) as usize;
        let body = pos + 8;
        match &b[pos..pos + 4] {
            b"fmt " => {
                assert_eq!(u16_at(body + 14), 16, "espeak-ng should write 16-bit PCM");
                channels = u16_at(body + 2) as usize;
                rate = u32_at(body + 4);
            }
            b"data" => {
                let end = (body + size).min(b.len());
                let samples = b[body..end]
                    .chunks_exact(2 * channels)
                    .map(|f| i16::from_le_bytes([f[0], f[1]]) as f32 / 32768.0)
                    .collect();
                return (rate, samples);
            }
            _ => {}
        }
        pos = body + size + (size & 1);
    }
    panic!("no audio data in {}", path.display());
}

// Small DSP building blocks.

fn midi_hz(n: f32) -> f32 {
    440.0 * 2f32.powf((n - 69.0) / 12.0)
}

struct OnePole {
    a: f32,
    z: f32,
}

impl OnePole {
    fn lowpass(cutoff: f32) -> OnePole {
        OnePole {
            a: 1.0 - (-2.0 * PI * cutoff / RATE as f32).exp(),
            z: 0.0,
        }
    }
    fn run(&mut self, x: f32) -> f32 {
        self.z += self.a * (x - self.z);
        self.z
    }
}

/// A state-variable filter (Chamberlin), for swept band-pass noise.
struct Svf {
    low: f32,
    band: f32,
}

impl Svf {
    fn bandpass(&mut self, x: f32, cutoff: f32, q: f32) -> f32 {
        let f = 2.0 * (PI * cutoff.min(RATE as f32 / 6.0) / RATE as f32).sin();
        let high = x - self.low - self.band / q;
        self.band += f * high;
        self.low += f * self.band;
        self.band
    }
}

/// A small Schroeder reverb: parallel damped combs into series all-passes.
struct Reverb {
    combs: Vec<(Vec<f32>, usize, f32)>,
    allpasses: Vec<(Vec<f32>, usize)>,
}

impl Reverb {
    fn new(spread: usize) -> Reverb {
        let combs = [1116, 1188, 1277, 1356, 1422, 1491]
            .iter()
            .map(|&n| (vec![0.0; n + spread], 0, 0.0))
            .collect();
        let allpasses = [556, 441, 341]
            .iter()
            .map(|&n| (vec![0.0; n + spread / 2], 0))
            .collect();
        Reverb { combs, allpasses }
    }
    fn run(&mut self, x: f32) -> f32 {
        let (feedback, damp) = (0.82, 0.3);
        let mut out = 0.0;
        for (buf, i, filt) in &mut self.combs {
            let y = buf[*i];
            *filt = y * (1.0 - damp) + *filt * damp;
            buf[*i] = x + *filt * feedback;
            *i = (*i + 1) % buf.len();
            out += y;
        }
        out /= self.combs.len() as f32;
        for (buf, i) in &mut self.allpasses {
            let b = buf[*i];
            buf[*i] = out + b * 0.5;
            out = b - out;
            *i = (*i + 1) % buf.len();
        }
        out
    }
}

fn smoothstep(x: f32) -> f32 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

fn normalize(buf: &mut [f32], peak: f32) {
    let m = buf.iter().fold(0.0f32, |m, s| m.max(s.abs())).max(1e-6);
    for s in buf {
        *s *= peak / m;
    }
}

/// A plucked string (Karplus-Strong) mixed into a stereo buffer: a soft, piano-ish note.
fn pluck(buf: &mut [f32], rng: &mut Rng, at: f32, freq: f32, amp: f32, pan: f32, len: f32) {
    let period = (RATE as f32 / freq).round() as usize;
    let mut line: Vec<f32> = (0..period).map(|_| rng.range(-1.0, 1.0)).collect();
    // Pre-filter the excitation: a felt hammer rather than a pick.
    for _ in 0..3 {
        for i in 1..period {
            line[i] = 0.5 * (line[i] + line[i - 1]);
        }
    }
    let start = (at * RATE as f32) as usize;
    let n = (len * RATE as f32) as usize;
    let (gl, gr) = ((1.0 - pan) * 0.5, (1.0 + pan) * 0.5);
    let mut idx = 0;
    for k in 0..n {
        let i = start + k;
        if 2 * i + 1 >= buf.len() {
            break;
        }
        let next = (idx + 1) % period;
        let y = line[idx];
        line[idx] = 0.4985 * (line[idx] + line[next]);
        idx = next;
        let env = (k as f32 / 200.0).min(1.0) * (1.0 - k as f32 / n as f32).min(1.0);
        buf[2 * i] += y * amp * gl * env;
        buf[2 * i + 1] += y * amp * gr * env;
    }
}

/// The music bed: 32 s in A minor (Am F C G | Am F C E), a breathing pad, a bass, a
/// plucked arpeggio from bar 2, a heartbeat pulse from bar 3, reverb and a stereo delay.
fn make_music(out: &FsPath) {
    let bars: [(f32, [f32; 3]); 8] = [
        (45.0, [57.0, 60.0, 64.0]),
        (41.0, [57.0, 60.0, 65.0]),
        (48.0, [55.0, 60.0, 64.0]),
        (43.0, [55.0, 59.0, 62.0]),
        (45.0, [57.0, 60.0, 64.0]),
        (41.0, [57.0, 60.0, 65.0]),
        (48.0, [55.0, 60.0, 64.0]),
        (40.0, [56.0, 59.0, 64.0]),
    ];
    let bar = 4.0f32;
    let total = bar * bars.len() as f32;
    let n = (total * RATE as f32) as usize;
    let mut pad = vec![0.0f32; 2 * n];
    let mut dry = vec![0.0f32; 2 * n];
    let mut rng = Rng::new(2024);
    // Pad: additive tones, two detuned copies per note spread left/right, with a slow swell.
    for (b, (_, chord)) in bars.iter().enumerate() {
        let t0 = b as f32 * bar;
        let (s0, s1) = ((t0 - 0.6).max(0.0), (t0 + bar + 1.2).min(total));
        for &note in chord {
            for (detune, pan) in [(0.997f32, -0.7f32), (1.003, 0.7)] {
                let f = midi_hz(note) * detune;
                let (gl, gr) = ((1.0 - pan) * 0.5, (1.0 + pan) * 0.5);
                let mut phase = rng.f();
                for i in (s0 * RATE as f32) as usize..(s1 * RATE as f32) as usize {
                    let t = i as f32 / RATE as f32;
                    let env =
                        smoothstep((t - t0 + 0.6) / 1.4) * (1.0 - smoothstep((t - t0 - bar) / 1.2));
                    let bright = 0.55 + 0.45 * (2.0 * PI * t / 8.0).sin();
                    let mut v = 0.0;
                    for k in 1..=6 {
                        v += (2.0 * PI * phase * k as f32).sin()
                            / (k as f32).powf(1.6 - 0.5 * bright);
                    }
                    phase = (phase + f / RATE as f32).fract();
                    pad[2 * i] += v * env * gl * 0.05;
                    pad[2 * i + 1] += v * env * gr * 0.05;
                }
            }
        }
    }
    // Bass: a round sine on the root, struck on beats 1 and 3.
    for (b, (root, _)) in bars.iter().enumerate() {
        for half in 0..2 {
            let t0 = b as f32 * bar + half as f32 * bar * 0.5;
            let f = midi_hz(*root);
            for k in 0..(bar * 0.5 * RATE as f32) as usize {
                let i = (t0 * RATE as f32) as usize + k;
                let t = k as f32 / RATE as f32;
                let env =
                    (t / 0.02).min(1.0) * (-t * 1.4).exp() * (1.0 - smoothstep((t - 1.6) / 0.4));
                let v = (2.0 * PI * f * t).sin() + 0.25 * (4.0 * PI * f * t).sin();
                dry[2 * i] += v * env * 0.2;
                dry[2 * i + 1] += v * env * 0.2;
            }
        }
    }
    // Arpeggio: eighth notes over the chord from bar 2, octave up.
    for (b, (_, chord)) in bars.iter().enumerate().skip(1) {
        let tones = [
            chord[0],
            chord[2],
            chord[0] + 12.0,
            chord[1] + 12.0,
            chord[0] + 12.0,
            chord[2],
            chord[1],
            chord[2],
        ];
        for (k, &note) in tones.iter().enumerate() {
            let at = b as f32 * bar + k as f32 * bar / 8.0;
            let accent = if k % 4 == 0 { 1.0 } else { 0.7 };
            let pan = if k % 2 == 0 { -0.35 } else { 0.35 };
            pluck(
                &mut dry,
                &mut rng,
                at,
                midi_hz(note + 12.0),
                0.16 * accent,
                pan,
                1.6,
            );
        }
    }
    // Heartbeat pulse: a low thump on every beat from bar 3, a little louder at the end.
    for beat in 8..(total as usize) {
        let t0 = beat as f32;
        let amp = 0.22 + 0.1 * (beat as f32 / total);
        for k in 0..(0.35 * RATE as f32) as usize {
            let i = (t0 * RATE as f32) as usize + k;
            if i >= n {
                break;
            }
            let t = k as f32 / RATE as f32;
            let f = 48.0 + 60.0 * (-t * 30.0).exp();
            let fade = 1.0 - smoothstep((t - 0.25) / 0.1);
            let v = (2.0 * PI * f * t).sin() * (-t * 12.0).exp() * (t / 0.004).min(1.0) * fade;
            dry[2 * i] += v * amp;
            dry[2 * i + 1] += v * amp;
        }
    }
    // Space: reverb on everything (more on the pad), and a dotted-eighth ping-pong delay.
    let (mut rl, mut rr) = (Reverb::new(0), Reverb::new(23));
    let delay = (0.375 * RATE as f32) as usize;
    let mut mix = vec![0.0f32; 2 * n];
    for i in 0..n {
        let (l, r) = (pad[2 * i] + dry[2 * i], pad[2 * i + 1] + dry[2 * i + 1]);
        let send_l = pad[2 * i] * 1.2 + dry[2 * i] * 0.5;
        let send_r = pad[2 * i + 1] * 1.2 + dry[2 * i + 1] * 0.5;
        let (wl, wr) = (rl.run(send_l), rr.run(send_r));
        mix[2 * i] = l + wl * 0.9;
        mix[2 * i + 1] = r + wr * 0.9;
        if i >= delay {
            let (dl, dr) = (mix[2 * (i - delay) + 1], mix[2 * (i - delay)]);
            mix[2 * i] += dl * 0.28;
            mix[2 * i + 1] += dr * 0.28;
        }
    }
    normalize(&mut mix, 0.8);
    save_ogg(&out.join("music/theme.ogg"), 2, &mix, 3);
}

fn make_sfx(out: &FsPath) {
    let mut rng = Rng::new(7);
    // Thunder: a bright crack, then a rumble of brown noise that swells and rolls away.
    let len = (4.5 * RATE as f32) as usize;
    let mut thunder = vec![0.0f32; len];
    let (mut brown, mut lp, mut hp) = (0.0f32, OnePole::lowpass(180.0), OnePole::lowpass(1500.0));
    let swells = [
        (0.15f32, 0.08f32, 1.0f32),
        (0.6, 0.3, 0.8),
        (1.4, 0.5, 0.6),
        (2.4, 0.7, 0.35),
    ];
    for (i, s) in thunder.iter_mut().enumerate() {
        let t = i as f32 / RATE as f32;
        let white = rng.range(-1.0, 1.0);
        brown = (brown + white * 0.08) * 0.996;
        let rumble = lp.run(brown);
        let env: f32 = swells
            .iter()
            .map(|&(c, w, a)| a * (-((t - c) / w).powi(2)).exp())
            .sum::<f32>()
            + 0.5 * (-(t - 0.2).max(0.0) * 0.9).exp() * (t / 0.05).min(1.0);
        let crack = (white - hp.run(white)) * (-t * 20.0).exp() * 0.7;
        *s = rumble * env * 3.0 + crack;
    }
    normalize(&mut thunder, 0.9);
    save_ogg(&out.join("sfx/thunder.ogg"), 1, &thunder, 3);

    // Whoosh: band-passed noise sweeping up and down, panning left to right.
    let dur = 1.2f32;
    let len = (dur * RATE as f32) as usize;
    let mut whoosh = vec![0.0f32; 2 * len];
    let mut svf = Svf {
        low: 0.0,
        band: 0.0,
    };
    for i in 0..len {
        let u = i as f32 / len as f32;
        let centre = 250.0 + 2800.0 * (PI * u).sin().powi(2);
        let v = svf.bandpass(rng.range(-1.0, 1.0), centre, 1.6);
        let env = (PI * u.powf(0.7)).sin().powi(2);
        let pan = -0.8 + 1.6 * u;
        whoosh[2 * i] = v * env * (1.0 - pan) * 0.5;
        whoosh[2 * i + 1] = v * env * (1.0 + pan) * 0.5;
    }
    normalize(&mut whoosh, 0.8);
    save_ogg(&out.join("sfx/whoosh.ogg"), 2, &whoosh, 3);

    // Rain: a loop of hiss and droplets, the end crossfaded into the start so it loops.
    let dur = 12.0f32;
    let xf = (1.0 * RATE as f32) as usize;
    let len = (dur * RATE as f32) as usize + xf;
    let mut rain_buf = vec![0.0f32; 2 * len];
    for ch in 0..2 {
        let (mut lo, mut hi) = (OnePole::lowpass(5500.0), OnePole::lowpass(400.0));
        for i in 0..len {
            let t = i as f32 / RATE as f32;
            let x = lo.run(rng.range(-1.0, 1.0));
            let band = x - hi.run(x);
            let swell = 0.8 + 0.2 * (2.0 * PI * t / 6.0 + ch as f32).sin();
            rain_buf[2 * i + ch] = band * swell;
        }
    }
    for _ in 0..(dur * 40.0) as usize {
        let at = rng.range(0.0, dur + 0.9);
        let f = rng.range(1800.0, 5200.0);
        let amp = rng.range(0.05, 0.25);
        let pan = rng.range(-1.0, 1.0);
        let start = (at * RATE as f32) as usize;
        for k in 0..(0.03 * RATE as f32) as usize {
            let i = start + k;
            if i >= len {
                break;
            }
            let t = k as f32 / RATE as f32;
            let v = (2.0 * PI * f * t).sin() * (-t * 180.0).exp() * amp;
            rain_buf[2 * i] += v * (1.0 - pan) * 0.5;
            rain_buf[2 * i + 1] += v * (1.0 + pan) * 0.5;
        }
    }
    let body = (dur * RATE as f32) as usize;
    let mut looped = rain_buf[..2 * body].to_vec();
    for i in 0..xf {
        let g = i as f32 / xf as f32;
        for ch in 0..2 {
            looped[2 * i + ch] = looped[2 * i + ch] * g + rain_buf[2 * (body + i) + ch] * (1.0 - g);
        }
    }
    normalize(&mut looped, 0.7);
    save_ogg(&out.join("music/rain.ogg"), 2, &looped, 1);
}

// ---------------------------------------------------------------------------------------------
// The manifest. A tiny ordered JSON value keeps the fields in reading order (format, canvas,
// assets, ..., shots) and prints short objects on one line, so the file reads like a script.

enum J {
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl From<&str> for J {
    fn from(s: &str) -> J {
        J::Str(s.to_string())
    }
}
impl From<String> for J {
    fn from(s: String) -> J {
        J::Str(s)
    }
}
impl From<f32> for J {
    fn from(v: f32) -> J {
        // Four decimals are plenty for seconds and pixels, and keep f32 noise out of the file.
        J::Num((v as f64 * 1e4).round() / 1e4)
    }
}
impl From<i32> for J {
    fn from(v: i32) -> J {
        J::Num(v as f64)
    }
}
impl From<bool> for J {
    fn from(v: bool) -> J {
        J::Bool(v)
    }
}
impl From<Vec<J>> for J {
    fn from(v: Vec<J>) -> J {
        J::Arr(v)
    }
}
impl<const N: usize> From<[f32; N]> for J {
    fn from(v: [f32; N]) -> J {
        J::Arr(v.iter().map(|&x| J::from(x)).collect())
    }
}

macro_rules! obj {
    ($($k:expr => $v:expr),* $(,)?) => {
        J::Obj(vec![$(($k.to_string(), J::from($v))),*])
    };
}

impl J {
    fn compact(&self) -> String {
        match self {
            J::Bool(b) => b.to_string(),
            J::Num(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    format!("{n}")
                }
            }
            J::Str(s) => serde_json::to_string(s).unwrap(),
            J::Arr(a) => {
                let items: Vec<String> = a.iter().map(J::compact).collect();
                format!("[{}]", items.join(", "))
            }
            J::Obj(o) if o.is_empty() => "{}".to_string(),
            J::Obj(o) => {
                let items: Vec<String> = o
                    .iter()
                    .map(|(k, v)| format!("{}: {}", serde_json::to_string(k).unwrap(), v.compact()))
                    .collect();
                format!("{{ {} }}", items.join(", "))
            }
        }
    }

    fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(0, &mut out);
        out
    }

    fn write(&self, indent: usize, out: &mut String) {
        let flat = self.compact();
        if indent + flat.chars().count() <= 96 {
            out.push_str(&flat);
            return;
        }
        let pad = "  ".repeat(indent / 2 + 1);
        let end = "  ".repeat(indent / 2);
        match self {
            J::Arr(a) => {
                out.push_str("[\n");
                for (i, v) in a.iter().enumerate() {
                    out.push_str(&pad);
                    v.write(indent + 2, out);
                    out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
                }
                out.push_str(&end);
                out.push(']');
            }
            J::Obj(o) => {
                out.push_str("{\n");
                for (i, (k, v)) in o.iter().enumerate() {
                    out.push_str(&pad);
                    out.push_str(&serde_json::to_string(k).unwrap());
                    out.push_str(": ");
                    v.write(indent + 2, out);
                    out.push_str(if i + 1 < o.len() { ",\n" } else { "\n" });
                }
                out.push_str(&end);
                out.push('}');
            }
            _ => out.push_str(&flat),
        }
    }
}

/// A line of the script as a manifest line: voiced, timed by its clip.
fn line(id: &str, display: &str, extra: Vec<(String, J)>) -> J {
    let l = SCRIPT
        .iter()
        .find(|l| l.id == id)
        .expect("a line of the script");
    let mut fields = vec![
        ("speaker".to_string(), J::from(l.speaker)),
        ("text".to_string(), J::from(l.text)),
        ("voice".to_string(), J::from(l.id)),
        ("duration".to_string(), J::from("auto")),
        ("display".to_string(), J::from(display)),
    ];
    fields.extend(extra);
    J::Obj(fields)
}

fn at(t: f32) -> Vec<(String, J)> {
    vec![("at".to_string(), J::from(t))]
}

/// The falling-rain overlay: white streaks on black, screened over the shot and slid down.
fn rain_layer(opacity: f32, seconds: f32) -> J {
    obj! {
        "image" => "rain", "fit" => "none", "blend" => "screen", "parallax" => 0.0f32,
        "opacity" => opacity,
        "keyframes" => vec![obj! { "at" => 0.0f32, "y" => 720.0f32 }, obj! { "at" => seconds, "y" => 1200.0f32 }],
    }
}

fn frame(b: [f32; 4]) -> J {
    obj! { "frame" => b }
}

fn manifest() -> J {
    let shots = vec![
        obj! {
            "id" => "dusk",
            "duration" => "auto",
            "layers" => vec![obj! { "image" => "city_dusk", "fit" => "cover" }],
            "camera" => obj! { "preset" => "zoom-in", "amount" => 0.08f32 },
            "lines" => vec![line("v01", "caption", vec![
                ("style".to_string(), J::from("caption")),
                ("bubble".to_string(), obj! { "x" => 540.0f32, "y" => 300.0f32, "width" => 820.0f32, "shape" => "box" }),
            ])],
            "notes" => "Establishing shot. The sun sets over 江城; she is back, suitcase in hand. Slow push in.",
            "meta" => obj! {
                "image_prompt" => "city skyline at dusk across a river, TV tower, girl seen from behind at the railing with a suitcase, anime motion comic, warm sunset, halftone sky",
                "seed" => 3,
            },
        },
        obj! {
            "id" => "street",
            "duration" => "auto",
            "transition" => obj! { "type" => "crossfade", "duration" => 0.8f32 },
            "layers" => vec![
                obj! { "image" => "street", "fit" => "cover" },
                obj! {
                    "image" => "lin_back", "fit" => "none", "x" => 720.0f32, "y" => 1835.0f32,
                    "anchor" => [0.5f32, 1.0],
                    "keyframes" => vec![
                        obj! { "at" => 0.0f32, "x" => 640.0f32, "opacity" => 0.0f32, "ease" => "ease-out" },
                        obj! { "at" => 1.2f32, "x" => 720.0f32, "opacity" => 1.0f32 },
                    ],
                },
                rain_layer(0.6, 4.0),
            ],
            "camera" => obj! {
                "from" => obj! { "x" => 420.0f32, "y" => 960.0f32, "zoom" => 1.0f32 },
                "to" => obj! { "x" => 700.0f32, "y" => 960.0f32, "zoom" => 1.04f32 },
                "ease" => "ease-in-out",
            },
            "lines" => vec![line("v02", "subtitle", at(0.6))],
            "notes" => "Pan right along the neon street (the picture is 1600 px wide); she fades in under the red umbrella. Rain is a screen-blended layer sliding down.",
            "meta" => obj! {
                "image_prompt" => "rainy neon street at night, one-point perspective, vertical shop signs, wet reflections, girl with red umbrella from behind",
                "seed" => 31,
            },
        },
        obj! {
            "id" => "lin-close",
            "duration" => "auto",
            "transition" => obj! { "type" => "cut" },
            "layers" => vec![obj! { "image" => "lin_close" }, rain_layer(0.45, 4.5)],
            "camera" => obj! {
                "keyframes" => vec![
                    obj! { "at" => 0.0f32, "x" => 540.0f32, "y" => 960.0f32, "zoom" => 1.0f32, "ease" => "ease-out" },
                    obj! { "at" => 4.0f32, "x" => 560.0f32, "y" => 880.0f32, "zoom" => 1.14f32 },
                ],
            },
            "lines" => vec![line("v03", "subtitle", vec![])],
            "notes" => "Hard cut to her face; the camera creeps in on her eyes while she names him.",
            "meta" => obj! {
                "image_prompt" => "anime girl close-up in the rain, long dark hair, amber eyes, raindrops on her face, neon bokeh, determined",
                "seed" => 11,
            },
        },
        obj! {
            "id" => "storm",
            "duration" => "auto",
            "transition" => obj! { "type" => "fade-black", "duration" => 0.8f32 },
            "layers" => vec![
                obj! { "image" => "room" },
                obj! {
                    "image" => "gu_back", "fit" => "none", "x" => 560.0f32, "y" => 1810.0f32,
                    "anchor" => [0.5f32, 1.0], "parallax" => 1.25f32,
                },
            ],
            "camera" => obj! {
                "from" => obj! { "x" => 540.0f32, "y" => 900.0f32, "zoom" => 1.12f32 },
                "to" => obj! { "x" => 540.0f32, "y" => 960.0f32, "zoom" => 1.0f32 },
                "ease" => "ease-out",
            },
            "sfx" => vec![obj! { "audio" => "thunder", "at" => 0.1f32, "volume" => 0.9f32 }],
            "effects" => vec![
                obj! { "type" => "flash", "at" => 0.15f32, "duration" => 0.45f32, "color" => "#dfe8ff", "opacity" => 0.9f32 },
                obj! { "type" => "shake", "at" => 0.15f32, "duration" => 0.7f32, "amplitude" => 12.0f32 },
            ],
            "lines" => vec![line("v04", "subtitle", at(0.7))],
            "notes" => "Across town: 顾辰 at his window. Lightning flash and a shake on the thunder; he stands on a parallax layer (1.25) in front of the room as the camera pulls back.",
            "meta" => obj! {
                "image_prompt" => "penthouse at night, floor-to-ceiling window, lightning over the city, man in a suit from behind holding red wine, rim light",
                "seed" => 47,
            },
        },
        obj! {
            "id" => "shock",
            "duration" => "auto",
            "transition" => obj! { "type" => "cut" },
            "layers" => vec![obj! { "image" => "gu_close" }],
            "camera" => obj! { "preset" => "zoom-in", "amount" => 0.18f32 },
            "effects" => vec![obj! { "type" => "shake", "at" => 0.0f32, "duration" => 0.45f32, "amplitude" => 18.0f32 }],
            "lines" => vec![line("v05", "bubble", vec![
                ("style".to_string(), J::from("shout")),
                ("bubble".to_string(), obj! {
                    "x" => 740.0f32, "y" => 330.0f32, "width" => 640.0f32, "tail" => [640.0f32, 1120.0], "shape" => "shout",
                }),
            ])],
            "notes" => "Manga shock beat: focus lines, gloom lines, sweat drop; a shout balloon instead of a subtitle.",
            "meta" => obj! {
                "image_prompt" => "anime man in a suit, shocked face, shrunken pupils, sweat drop, manga focus lines, screentone",
                "seed" => 23,
            },
        },
        obj! {
            "id" => "page-1",
            "duration" => "auto",
            "transition" => obj! { "type" => "crossfade", "duration" => 0.6f32 },
            "layers" => vec![obj! { "image" => "page" }],
            "camera" => obj! {
                "keyframes" => vec![
                    obj! { "at" => 0.0f32, "frame" => [0.0f32, 0.0, 1080.0, 1920.0], "ease" => "ease-in-out" },
                    obj! { "at" => 0.9f32, "frame" => panel_box(0) },
                ],
            },
            "sfx" => vec![obj! { "audio" => "whoosh", "at" => 0.35f32, "volume" => 0.7f32 }],
            "lines" => vec![line("v06", "subtitle", at(0.9))],
            "notes" => "The comic page appears whole, then the camera dives into panel 1 (her).",
            "meta" => obj! {
                "image_prompt" => "manhua page, four tall panels, slanted gutter: her face in the rain, his shock, lightning window, red umbrella walking away",
                "seed" => 61,
            },
        },
        obj! {
            "id" => "page-2",
            "duration" => "auto",
            "transition" => obj! { "type" => "move", "duration" => 0.8f32 },
            "layers" => vec![obj! { "image" => "page" }],
            "camera" => obj! {
                "from" => frame(panel_box(1)),
                "to" => frame([620.0, 150.0, 360.0, 640.0]),
                "ease" => "ease-in",
            },
            "lines" => vec![line("v07", "subtitle", vec![])],
            "notes" => "Move to panel 2 (him), then push in on his face.",
        },
        obj! {
            "id" => "page-3",
            "duration" => "auto",
            "transition" => obj! { "type" => "move", "duration" => 0.8f32 },
            "layers" => vec![obj! { "image" => "page" }],
            "camera" => obj! {
                "keyframes" => vec![
                    obj! { "at" => 0.0f32, "frame" => panel_box(2), "ease" => "ease-in-out" },
                    obj! { "at" => 1.1f32, "frame" => panel_box(3) },
                ],
            },
            "sfx" => vec![obj! { "audio" => "thunder", "at" => 0.2f32, "volume" => 0.35f32 }],
            "lines" => vec![line("v08", "subtitle", at(1.1))],
            "notes" => "Panel 3 (the storm) for a beat, then across to panel 4 (her walking away) for her answer.",
        },
        obj! {
            "id" => "finale",
            "duration" => 4.4f32,
            "transition" => obj! { "type" => "crossfade", "duration" => 1.0f32 },
            "layers" => vec![
                obj! { "image" => "street" },
                obj! {
                    "image" => "lin_back", "fit" => "none", "x" => 640.0f32, "y" => 1835.0f32,
                    "anchor" => [0.5f32, 1.0],
                    "keyframes" => vec![
                        obj! { "at" => 0.0f32, "x" => 640.0f32, "y" => 1835.0f32, "scale" => 0.95f32, "ease" => "ease-in" },
                        obj! { "at" => 4.4f32, "x" => 600.0f32, "y" => 1300.0f32, "scale" => 0.42f32, "opacity" => 0.85f32 },
                    ],
                },
                rain_layer(0.6, 4.4),
            ],
            "camera" => obj! { "preset" => "zoom-out", "amount" => 0.1f32 },
            "lines" => vec![line("v09", "caption", vec![
                ("at".to_string(), J::from(0.6f32)),
                ("style".to_string(), J::from("caption")),
                ("bubble".to_string(), obj! { "x" => 540.0f32, "y" => 300.0f32, "width" => 820.0f32, "shape" => "box" }),
            ])],
            "notes" => "She walks away into the neon (the figure layer shrinks towards the vanishing point) while the camera pulls out; fixed 4.4 s so the outro fade has room.",
        },
    ];
    let mut script = Vec::new();
    for l in &SCRIPT {
        script.push(obj! { "voice" => l.id, "text" => l.text, "en" => l.gloss });
    }
    obj! {
        "format" => "manju/1",
        "title" => "第1集 雨夜归来",
        "version" => "v1",
        "canvas" => obj! { "width" => 1080, "height" => 1920, "fps" => 30, "background" => "#000000" },
        "assets" => obj! {
            "city_dusk" => "img/city_dusk.jpg",
            "street" => "img/street.jpg",
            "lin_back" => "img/lin_back.png",
            "lin_close" => "img/lin_close.jpg",
            "room" => "img/room.jpg",
            "gu_back" => "img/gu_back.png",
            "gu_close" => "img/gu_close.jpg",
            "page" => "img/page.jpg",
            "rain" => "img/rain.jpg",
            "v01" => "voice/v01.ogg",
            "v02" => "voice/v02.ogg",
            "v03" => "voice/v03.ogg",
            "v04" => "voice/v04.ogg",
            "v05" => "voice/v05.ogg",
            "v06" => "voice/v06.ogg",
            "v07" => "voice/v07.ogg",
            "v08" => "voice/v08.ogg",
            "v09" => "voice/v09.ogg",
            "theme" => obj! { "src" => "music/theme.ogg", "type" => "audio" },
            "rain_loop" => "music/rain.ogg",
            "thunder" => "sfx/thunder.ogg",
            "whoosh" => "sfx/whoosh.ogg",
        },
        "characters" => obj! {
            "lin" => obj! { "name" => "林晚", "color" => "#ffb8cf" },
            "gu" => obj! { "name" => "顾辰", "color" => "#a8d8ff" },
            "narrator" => obj! { "name" => "旁白", "color" => "#f0e2c0" },
        },
        "styles" => obj! {
            "subtitle" => obj! { "size" => 54, "speaker_label" => true, "margin" => 200 },
            "caption" => obj! {
                "size" => 46, "color" => "#f6ecd8", "background" => "#0b0d1ccc", "padding" => 22,
                "position" => "top", "margin" => 220,
            },
            "shout" => obj! {
                "size" => 68, "color" => "#111111", "stroke_width" => 0, "fill" => "#ffffff",
                "border" => "#111111", "border_width" => 6,
            },
        },
        "timing" => obj! { "lead" => 0.25f32, "gap" => 0.2f32, "tail" => 0.35f32, "min_shot" => 2.0f32 },
        "shots" => shots,
        "music" => vec![
            obj! {
                "audio" => "theme", "at" => 0.0f32, "until" => "end", "volume" => 0.55f32,
                "fade_in" => 1.5f32, "fade_out" => 2.5f32, "loop" => true, "duck" => 0.4f32,
            },
            obj! {
                "audio" => "rain_loop", "at" => 0.0f32, "until" => "end", "volume" => 0.3f32,
                "fade_in" => 4.0f32, "fade_out" => 2.0f32, "loop" => true, "duck" => 0.7f32,
            },
        ],
        "intro" => obj! { "type" => "fade-black", "duration" => 0.8f32 },
        "outro" => obj! { "type" => "fade-black", "duration" => 1.5f32 },
        "meta" => obj! {
            "title_en" => "Episode 1: Back on a Rainy Night",
            "logline_en" => "Three years after she was said to have died in a fire, Lin Wan (林晚) returns to Jiangcheng in the rain to make Gu Chen (顾辰) pay.",
            "generator" => "cargo run --release --example make_demo (examples/make_demo.rs)",
            "model" => "none: every picture is drawn with tiny-skia by the generator; voices by espeak-ng (cmn)",
            "seed" => 20241125,
            "script_en" => script,
        },
    }
}
