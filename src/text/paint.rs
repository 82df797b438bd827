//! Painting: a list of fills and strokes in screen pixels, rasterised by tiny-skia into
//! the smallest overlay that holds them.

use super::Overlay;
use super::font::{Affine, Faces, glyph_path};
use super::layout::{Block, Shaped};
use crate::model::Rgba8;
use tiny_skia::{FillRule, LineCap, LineJoin, Paint, Path, Pixmap, Stroke, StrokeDash, Transform};

enum Op {
    Fill(Path, Rgba8),
    Stroke {
        path: Path,
        color: Rgba8,
        width: f32,
        join: LineJoin,
        dash: Option<[f32; 2]>,
    },
}

/// What one line draws, in order (later ops over earlier ones).
#[derive(Default)]
pub struct Scene {
    ops: Vec<Op>,
}

impl Scene {
    pub fn fill(&mut self, path: Path, color: Rgba8) {
        self.ops.push(Op::Fill(path, color));
    }

    pub fn stroke(&mut self, path: Path, color: Rgba8, width: f64, join: LineJoin) {
        if width > 0.0 {
            self.ops.push(Op::Stroke {
                path,
                color,
                width: width as f32,
                join,
                dash: None,
            });
        }
    }

    pub fn dashed(&mut self, path: Path, color: Rgba8, width: f64, dash: [f64; 2]) {
        if width > 0.0 {
            self.ops.push(Op::Stroke {
                path,
                color,
                width: width as f32,
                join: LineJoin::Round,
                dash: Some([dash[0] as f32, dash[1] as f32]),
            });
        }
    }

    /// Rasterises the scene into an overlay covering what it draws, cut to the canvas.
    pub fn render(self, canvas: (u32, u32)) -> Option<Overlay> {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for op in &self.ops {
            let (b, grow) = match op {
                Op::Fill(p, _) => (p.bounds(), 0.0),
                // A miter reaches out 4 half-widths at most (tiny-skia's default limit).
                Op::Stroke {
                    path, width, join, ..
                } => (
                    path.bounds(),
                    width * if *join == LineJoin::Miter { 2.0 } else { 0.5 },
                ),
            };
            x0 = x0.min(b.left() - grow);
            y0 = y0.min(b.top() - grow);
            x1 = x1.max(b.right() + grow);
            y1 = y1.max(b.bottom() + grow);
        }
        // One pixel for anti-aliasing.
        let left = ((x0 - 1.0).floor() as i64).max(0);
        let top = ((y0 - 1.0).floor() as i64).max(0);
        let right = ((x1 + 1.0).ceil() as i64).min(i64::from(canvas.0));
        let bottom = ((y1 + 1.0).ceil() as i64).min(i64::from(canvas.1));
        if right <= left || bottom <= top {
            return None;
        }
        let (w, h) = ((right - left) as u32, (bottom - top) as u32);
        let mut pixmap = Pixmap::new(w, h)?;
        // An integer translation: exact in f32, so where a shape lands does not depend on
        // the overlay's origin.
        let ts = Transform::from_translate(-left as f32, -top as f32);
        for op in &self.ops {
            match op {
                Op::Fill(path, color) => {
                    pixmap.fill_path(path, &paint(*color), FillRule::Winding, ts, None);
                }
                Op::Stroke {
                    path,
                    color,
                    width,
                    join,
                    dash,
                } => {
                    let stroke = Stroke {
                        width: *width,
                        line_cap: LineCap::Round,
                        line_join: *join,
                        dash: dash.and_then(|[on, off]| StrokeDash::new(vec![on, off], 0.0)),
                        ..Stroke::default()
                    };
                    pixmap.stroke_path(path, &paint(*color), &stroke, ts, None);
                }
            }
        }
        Some(Overlay {
            x: left as i32,
            y: top as i32,
            width: w,
            height: h,
            data: pixmap.take(),
        })
    }
}

fn paint(c: Rgba8) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c.r, c.g, c.b, c.a);
    p.anti_alias = true;
    p
}

/// How the glyphs of a block are drawn.
pub struct Ink {
    /// The fill colour of each character (by index into the shaped text).
    pub color: Box<dyn Fn(usize) -> Rgba8>,
    /// Which characters are drawn (the typewriter hides the rest; they keep their place).
    pub shown: Box<dyn Fn(usize) -> bool>,
    pub stroke: Option<Rgba8>,
    /// Visible outline width, outside the glyph.
    pub stroke_width: f64,
    /// Extra weight either side of each outline, in the fill colour.
    pub embolden: f64,
}

/// Adds a block's glyphs to the scene, the block's top left at `origin` (then mapped by
/// `to_screen`): every outline first, under every fill, so that a glyph's outline never
/// covers its neighbour and the fill meets the outline without a gap.
pub fn text(
    scene: &mut Scene,
    faces: &Faces,
    shaped: &Shaped,
    block: &Block,
    origin: (f64, f64),
    to_screen: &Affine,
    ink: &Ink,
) {
    let glyphs: Vec<(usize, Path)> = block
        .pens(shaped)
        .filter(|&(i, _, _)| (ink.shown)(i))
        .filter_map(|(i, x, baseline)| {
            let (f, g) = shaped.glyphs[i]?;
            let face = &faces.list[f];
            let scale = block.size * face.per_em;
            let path = glyph_path(
                &face.face,
                g,
                scale,
                (origin.0 + x, origin.1 + baseline),
                to_screen,
            )?;
            Some((i, path))
        })
        .collect();
    if let Some(stroke) = ink.stroke
        && ink.stroke_width > 0.0
    {
        // Centred on the outline, so twice as wide as what shows outside it.
        let width = 2.0 * (ink.stroke_width + ink.embolden);
        for (_, path) in &glyphs {
            scene.stroke(path.clone(), stroke, width, LineJoin::Round);
        }
    }
    for (i, path) in glyphs {
        let color = (ink.color)(i);
        if ink.embolden > 0.0 {
            scene.stroke(path.clone(), color, 2.0 * ink.embolden, LineJoin::Round);
        }
        scene.fill(path, color);
    }
}
