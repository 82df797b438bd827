//! Each display's composition: where its block of text goes, what is drawn behind it.

use super::font::{Affine, Faces};
use super::layout::{self, Block, Setting, Shaped};
use super::paint::{self, Ink, Scene};
use super::shapes::{self, Body};
use super::{LineLook, Overlay};
use crate::model::{Align, Bubble, BubbleShape, Display, Position, Rgba8};
use std::f64::consts::SQRT_2;
use tiny_skia::LineJoin;

pub fn draw(faces: &Faces, look: &LineLook, warnings: &mut Vec<String>) -> Option<Overlay> {
    compose(faces, look, warnings)?.render(look.canvas)
}

/// Lays the line out and lists what it draws, without rasterising it: everything that
/// has to give way (and is warned about) is decided here.
pub fn compose(faces: &Faces, look: &LineLook, warnings: &mut Vec<String>) -> Option<Scene> {
    let style = look.style;
    // The speaker label goes before subtitle and caption text, in the character's colour.
    let label = match (look.display, look.speaker) {
        (Display::Subtitle | Display::Caption, Some(sp)) if style.speaker_label => {
            let colon = if sp.name.chars().any(super::breaking::is_cjk) {
                "："
            } else {
                ": "
            };
            Some((
                format!("{}{colon}", sp.name),
                sp.color.unwrap_or(style.color),
            ))
        }
        _ => None,
    };
    let (full, label_len, label_color) = match &label {
        Some((l, c)) => (format!("{l}{}", look.text), l.chars().count(), *c),
        None => (look.text.to_string(), 0, style.color),
    };
    let shaped = layout::shape(faces, &full, warnings);
    let text_color = style.color;
    let visible = look.visible.unwrap_or(usize::MAX);
    let ink = |scale: f64| Ink {
        color: Box::new(move |i| {
            if i < label_len {
                label_color
            } else {
                text_color
            }
        }),
        shown: Box::new(move |i| i < label_len || i - label_len < visible),
        stroke: style.stroke,
        stroke_width: style.stroke_width * scale,
        embolden: style.embolden * scale,
    };
    let mut scene = Scene::default();
    match look.display {
        Display::Subtitle | Display::Caption => {
            block_display(&mut scene, faces, look, &shaped, &ink, warnings)
        }
        Display::Bubble => bubble(&mut scene, faces, look, &shaped, &ink, warnings),
        Display::Sfx => sfx(&mut scene, faces, look, &shaped, &ink, warnings),
        Display::None => return None,
    }
    Some(scene)
}

/// How far the outline of a glyph reaches past it.
fn outline(look: &LineLook) -> f64 {
    look.style.stroke.map_or(0.0, |_| look.style.stroke_width) + look.style.embolden
}

/// Subtitles and captions: a block at the style's position, `margin` from the top or
/// bottom edge, with an optional box (a caption's may have a border).
fn block_display(
    scene: &mut Scene,
    faces: &Faces,
    look: &LineLook,
    shaped: &Shaped,
    ink: &dyn Fn(f64) -> Ink,
    warnings: &mut Vec<String>,
) {
    let s = look.style;
    let (cw, ch) = (f64::from(look.canvas.0), f64::from(look.canvas.1));
    let border = if look.display == Display::Caption && s.background.is_some() {
        s.border_width
    } else {
        0.0
    };
    let pad = if s.background.is_some() {
        s.padding
    } else {
        0.0
    };
    let edge = outline(look).max(pad + border);
    let width = s.max_width.min(cw - 2.0 * edge).max(1.0);
    let room = match s.position {
        Position::Center => ch - 2.0 * edge,
        _ => ch - s.margin.max(0.0) - 2.0 * edge,
    };
    let setting = Setting {
        size: s.size,
        line_height: s.line_height,
        align: s.align,
        width,
    };
    let block = layout::fit(shaped, &setting, &|b| b.height <= room, warnings);
    let x = match s.align {
        Align::Left => (cw - width) * 0.5,
        Align::Center => (cw - block.width) * 0.5,
        Align::Right => (cw + width) * 0.5 - block.width,
    };
    let y = match s.position {
        Position::Top => s.margin + edge,
        Position::Center => (ch - block.height) * 0.5,
        Position::Bottom => ch - s.margin - edge - block.height,
    };
    let x = clamp_span(x, block.width, edge, cw).round();
    let y = clamp_span(y, block.height, edge, ch).round();
    if let Some(bg) = s.background {
        let (bx, by) = (x - pad, y - pad);
        let (bw, bh) = (block.width + 2.0 * pad, block.height + 2.0 * pad);
        let caption = look.display == Display::Caption;
        let radius = if caption {
            0.0
        } else {
            pad.min(block.size * 0.25)
        };
        scene.fill(shapes::rect(bx, by, bw, bh, radius), bg);
        if border > 0.0 {
            // Just outside the box, so that a see-through box is not darkened under it.
            let half = border * 0.5;
            scene.stroke(
                shapes::rect(bx - half, by - half, bw + border, bh + border, 0.0),
                s.border,
                border,
                LineJoin::Miter,
            );
        }
    }
    let ink = ink(block.size / s.size);
    paint::text(
        scene,
        faces,
        shaped,
        &block,
        (x, y),
        &Affine::IDENTITY,
        &ink,
    );
}

/// The gap kept between a balloon or sound word and the canvas's edges: 1 % of the
/// shorter side.
fn canvas_room(canvas: (u32, u32)) -> f64 {
    f64::from(canvas.0.min(canvas.1)) * 0.01
}

/// Places a span `[x, x + len]` inside `[edge, whole − edge]`, centred if it cannot fit.
fn clamp_span(x: f64, len: f64, edge: f64, whole: f64) -> f64 {
    if len + 2.0 * edge >= whole {
        (whole - len) * 0.5
    } else {
        x.clamp(edge, whole - edge - len)
    }
}

/// A balloon's size for a block of text.
struct Balloon {
    body: Body,
    /// How far bumps or spikes reach past the body.
    beyond: f64,
}

impl Balloon {
    fn half_extent(&self, border: f64) -> (f64, f64) {
        (
            self.body.a + self.beyond + border,
            self.body.b + self.beyond + border,
        )
    }
}

/// The body exponent, the ratio of body to text box (the text box's corners on the
/// curve), and how far bumps or spikes reach out, per body semi-axis.
fn shape_metrics(shape: BubbleShape) -> (f64, f64, f64) {
    match shape {
        // 2^(1/2.5): a rounder rectangle than an ellipse, so text fills more of it.
        BubbleShape::Speech | BubbleShape::Whisper => (2.5, 1.319_507_910_772_894, 0.0),
        BubbleShape::Thought => (2.0, SQRT_2, 0.22),
        BubbleShape::Shout => (2.0, SQRT_2, 0.3),
        BubbleShape::Box => (f64::INFINITY, 1.0, 0.0),
    }
}

fn balloon(shape: BubbleShape, block: &Block, pad: f64, centre: (f64, f64)) -> Balloon {
    let (n, k, out) = shape_metrics(shape);
    let mut a = (block.width * 0.5 + pad) * k;
    let mut b = (block.height * 0.5 + pad) * k;
    if shape != BubbleShape::Box {
        // Neither a sliver nor a tower.
        b = b.max(a * 0.42);
        a = a.max(b * 0.8);
    }
    Balloon {
        body: Body {
            cx: centre.0,
            cy: centre.1,
            a,
            b,
            n,
        },
        beyond: out * a.min(b),
    }
}

fn bubble(
    scene: &mut Scene,
    faces: &Faces,
    look: &LineLook,
    shaped: &Shaped,
    ink: &dyn Fn(f64) -> Ink,
    warnings: &mut Vec<String>,
) {
    let s = look.style;
    let spec = look.bubble.unwrap_or(Bubble {
        x: None,
        y: None,
        width: None,
        tail: None,
        shape: BubbleShape::Speech,
    });
    let shape = spec.shape;
    let (cw, ch) = (f64::from(look.canvas.0), f64::from(look.canvas.1));
    let border = s.border_width;
    let want = (spec.x.unwrap_or(cw * 0.5), spec.y.unwrap_or(ch * 0.3));
    let (_, k, out) = shape_metrics(shape);
    // A little air between a balloon and the canvas's edges.
    let room = canvas_room(look.canvas);
    // The widest the balloon may be, outline included, and the text width that gives.
    let outer = spec.width.unwrap_or(s.max_width).min(cw - 2.0 * room);
    let width = ((outer * 0.5 - border) / (1.0 + out) / k - s.padding).max(1.0) * 2.0;
    let setting = Setting {
        size: s.size,
        line_height: s.line_height,
        align: s.align,
        width,
    };
    let block = layout::fit(
        shaped,
        &setting,
        &|b| {
            let (hx, hy) = balloon(shape, b, s.padding, want).half_extent(border);
            2.0 * (hx + room) <= cw && 2.0 * (hy + room) <= ch
        },
        warnings,
    );
    let mut ball = balloon(shape, &block, s.padding, want);
    let (hx, hy) = ball.half_extent(border);
    let cx = clamp_span(want.0 - hx, 2.0 * hx, room, cw) + hx;
    let cy = clamp_span(want.1 - hy, 2.0 * hy, room, ch) + hy;
    let moved = ((cx - want.0) * (cx - want.0) + (cy - want.1) * (cy - want.1)).sqrt();
    if moved >= 0.5 {
        warnings.push(format!(
            "bubble moved {} px to stay on the canvas",
            moved.round()
        ));
    }
    ball.body.cx = cx;
    ball.body.cy = cy;
    draw_balloon(scene, shape, &ball, spec.tail, s.fill, s.border, border);
    let x = (cx - block.width * 0.5).round();
    let y = (cy - block.height * 0.5).round();
    let ink = ink(block.size / s.size);
    paint::text(
        scene,
        faces,
        shaped,
        &block,
        (x, y),
        &Affine::IDENTITY,
        &ink,
    );
}

/// Draws a balloon with its tail. Outlines are drawn twice as wide as `border`, centred,
/// under every fill: the fills then hide the inner half and every outline where two
/// parts meet, leaving one clean outline around the union of body, bumps and tail.
fn draw_balloon(
    scene: &mut Scene,
    shape: BubbleShape,
    ball: &Balloon,
    tail: Option<[f64; 2]>,
    fill: Rgba8,
    border_color: Rgba8,
    border: f64,
) {
    let body = &ball.body;
    let c = (body.cx, body.cy);
    let mut parts = Vec::new();
    match shape {
        BubbleShape::Box => parts.push(shapes::rect(
            c.0 - body.a,
            c.1 - body.b,
            2.0 * body.a,
            2.0 * body.b,
            0.0,
        )),
        BubbleShape::Shout => parts.push(shapes::starburst(body, ball.beyond)),
        BubbleShape::Thought => {
            parts.push(body.path(96));
            parts.extend(shapes::cloud(body, ball.beyond * 2.2));
        }
        BubbleShape::Speech | BubbleShape::Whisper => parts.push(body.path(96)),
    }
    // The tail, when its tip is clear of the balloon.
    let mut trail = Vec::new();
    if let Some([tx, ty]) = tail {
        let (dx, dy) = (tx - c.0, ty - c.1);
        let len = (dx * dx + dy * dy).sqrt();
        let u = if len > 0.0 {
            (dx / len, dy / len)
        } else {
            (1.0, 0.0)
        };
        let reach = if shape == BubbleShape::Box {
            (body.a / u.0.abs()).min(body.b / u.1.abs())
        } else {
            body.reach(u)
        };
        let edge = reach + ball.beyond;
        if len > edge + border + 2.0 {
            let half_base = (body.a.min(body.b) * 0.28).min((len - reach) * 0.3);
            let root = (c.0 + u.0 * reach * 0.5, c.1 + u.1 * reach * 0.5);
            match shape {
                BubbleShape::Thought => {
                    let from = (c.0 + u.0 * edge, c.1 + u.1 * edge);
                    trail = shapes::trail(from, (tx, ty), body.a.min(body.b) * 0.16);
                }
                BubbleShape::Shout | BubbleShape::Box => {
                    parts.push(shapes::wedge(root, (tx, ty), half_base))
                }
                BubbleShape::Speech | BubbleShape::Whisper => {
                    parts.push(shapes::tail(root, (tx, ty), half_base))
                }
            }
        }
    }
    let join = match shape {
        BubbleShape::Box | BubbleShape::Shout => LineJoin::Miter,
        _ => LineJoin::Round,
    };
    let width = 2.0 * border;
    for part in parts.iter().chain(&trail) {
        if shape == BubbleShape::Whisper {
            scene.dashed(
                part.clone(),
                border_color,
                width,
                [border * 3.5, border * 2.5],
            );
        } else {
            scene.stroke(part.clone(), border_color, width, join);
        }
    }
    for part in parts.into_iter().chain(trail) {
        scene.fill(part, fill);
    }
}

/// A sound word: large free text centred at `bubble.x/y` (default: the canvas's centre),
/// turned by the style's rotation, kept on the canvas.
fn sfx(
    scene: &mut Scene,
    faces: &Faces,
    look: &LineLook,
    shaped: &Shaped,
    ink: &dyn Fn(f64) -> Ink,
    warnings: &mut Vec<String>,
) {
    let s = look.style;
    let (cw, ch) = (f64::from(look.canvas.0), f64::from(look.canvas.1));
    let want = look.bubble.map_or((cw * 0.5, ch * 0.5), |b| {
        (b.x.unwrap_or(cw * 0.5), b.y.unwrap_or(ch * 0.5))
    });
    let edge = outline(look);
    let room = canvas_room(look.canvas);
    let r = s.rotation.to_radians();
    let (sin, cos) = (libm::sin(r).abs(), libm::cos(r).abs());
    // The turned block's bounding box, its outline included.
    let extent = |b: &Block| {
        let grow = 2.0 * edge * b.size / s.size;
        (
            b.width * cos + b.height * sin + grow,
            b.width * sin + b.height * cos + grow,
        )
    };
    let setting = Setting {
        size: s.size,
        line_height: s.line_height,
        align: s.align,
        width: s.max_width.min(cw - 2.0 * (edge + room)).max(1.0),
    };
    let block = layout::fit(
        shaped,
        &setting,
        &|b| {
            let (w, h) = extent(b);
            w + 2.0 * room <= cw && h + 2.0 * room <= ch
        },
        warnings,
    );
    let (w, h) = extent(&block);
    let cx = clamp_span(want.0 - w * 0.5, w, room, cw) + w * 0.5;
    let cy = clamp_span(want.1 - h * 0.5, h, room, ch) + h * 0.5;
    let moved = ((cx - want.0) * (cx - want.0) + (cy - want.1) * (cy - want.1)).sqrt();
    if moved >= 0.5 {
        warnings.push(format!(
            "sound word moved {} px to stay on the canvas",
            moved.round()
        ));
    }
    let mut origin = (cx - block.width * 0.5, cy - block.height * 0.5);
    if s.rotation == 0.0 {
        origin = (origin.0.round(), origin.1.round());
    }
    let to_screen = Affine::rotation_about(s.rotation, cx, cy);
    let ink = ink(block.size / s.size);
    paint::text(scene, faces, shaped, &block, origin, &to_screen, &ink);
}
