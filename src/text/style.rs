//! Text styles with every field filled in: the built-in style of each display, overridden
//! field by field by the manifest's `styles` entry of the same name, then by the line's
//! own named style.

use crate::model::{Align, Display, Position, Rgba8, TextStyle};

/// A text style with nothing left to default. Lengths are in stage pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedStyle {
    /// A font asset id or family name; `None` is the default font.
    pub font: Option<String>,
    pub size: f64,
    pub color: Rgba8,
    /// The outline around each glyph, drawn under the fill.
    pub stroke: Option<Rgba8>,
    pub stroke_width: f64,
    /// A box behind subtitle or caption text.
    pub background: Option<Rgba8>,
    pub padding: f64,
    pub align: Align,
    /// Line advance as a multiple of `size`.
    pub line_height: f64,
    pub max_width: f64,
    pub position: Position,
    pub margin: f64,
    pub speaker_label: bool,
    /// A bubble's inside.
    pub fill: Rgba8,
    /// A bubble's or caption box's outline (none when `border_width` is 0).
    pub border: Rgba8,
    pub border_width: f64,
    pub rotation: f64,
    pub cps: f64,
    /// Extra weight, in pixels either side of each outline, for sound words: the default
    /// font has one weight, and a thin sound word looks wrong. Not a manifest field.
    pub embolden: f64,
}

impl ResolvedStyle {
    /// The style for the same picture `k` times the size (thumbnails): every length
    /// scaled, nothing else.
    pub fn scaled(&self, k: f64) -> ResolvedStyle {
        ResolvedStyle {
            size: self.size * k,
            stroke_width: self.stroke_width * k,
            padding: self.padding * k,
            max_width: self.max_width * k,
            margin: self.margin * k,
            border_width: self.border_width * k,
            embolden: self.embolden * k,
            ..self.clone()
        }
    }
}

const fn rgba(r: u8, g: u8, b: u8, a: u8) -> Rgba8 {
    Rgba8 { r, g, b, a }
}

/// The built-in style of a display, for a canvas of `canvas` pixels. Lengths are the
/// spec's values for a 1080-pixel-wide portrait canvas, scaled with the canvas's shorter
/// side so that a landscape or a small test canvas gets the same proportions.
pub fn builtin(display: Display, canvas: (u32, u32)) -> ResolvedStyle {
    let k = f64::from(canvas.0.min(canvas.1).max(1)) / 1080.0;
    let width = f64::from(canvas.0);
    let px = |v: f64| v * k;
    let subtitle = ResolvedStyle {
        font: None,
        size: px(56.0),
        color: Rgba8::WHITE,
        stroke: Some(Rgba8::BLACK),
        stroke_width: px(5.0),
        background: None,
        padding: px(16.0),
        align: Align::Center,
        line_height: 1.3,
        max_width: width * (900.0 / 1080.0),
        position: Position::Bottom,
        margin: px(180.0),
        speaker_label: false,
        fill: Rgba8::WHITE,
        border: Rgba8::BLACK,
        border_width: px(4.0),
        rotation: 0.0,
        cps: 20.0,
        embolden: 0.0,
    };
    match display {
        Display::Subtitle | Display::None => subtitle,
        Display::Bubble => ResolvedStyle {
            size: px(44.0),
            color: rgba(0x14, 0x14, 0x14, 0xff),
            stroke: None,
            stroke_width: 0.0,
            padding: px(32.0),
            line_height: 1.25,
            max_width: px(520.0),
            position: Position::Center,
            ..subtitle
        },
        Display::Caption => ResolvedStyle {
            size: px(44.0),
            stroke: None,
            stroke_width: 0.0,
            background: Some(rgba(0, 0, 0, 0xb8)),
            padding: px(24.0),
            line_height: 1.35,
            max_width: width * (960.0 / 1080.0),
            position: Position::Top,
            margin: px(120.0),
            border: Rgba8::WHITE,
            border_width: 0.0,
            ..subtitle
        },
        Display::Sfx => ResolvedStyle {
            size: px(128.0),
            color: rgba(0xff, 0xe0, 0x3c, 0xff),
            stroke: Some(rgba(0x1a, 0x0a, 0x00, 0xff)),
            stroke_width: px(9.0),
            padding: 0.0,
            line_height: 1.1,
            max_width: width * 0.9,
            position: Position::Center,
            margin: 0.0,
            rotation: -8.0,
            embolden: px(2.5),
            ..subtitle
        },
    }
}

/// The name of a display's built-in style (`None` for `none`).
pub fn builtin_name(display: Display) -> Option<&'static str> {
    match display {
        Display::Subtitle => Some("subtitle"),
        Display::Bubble => Some("bubble"),
        Display::Caption => Some("caption"),
        Display::Sfx => Some("sfx"),
        Display::None => None,
    }
}

/// Copies every field `over` sets onto `base`.
fn apply(base: &mut ResolvedStyle, over: &TextStyle) {
    if let Some(v) = &over.font {
        base.font = Some(v.clone());
    }
    macro_rules! set {
        ($($field:ident),*) => { $( if let Some(v) = over.$field { base.$field = v; } )* };
    }
    set!(
        size,
        color,
        stroke,
        stroke_width,
        background,
        padding,
        align,
        line_height,
        max_width,
        position,
        margin,
        speaker_label,
        fill,
        border,
        border_width,
        rotation,
        cps
    );
}

/// The style of a line: the built-in style of its `display`, overridden field by field by
/// the manifest's `styles` entry of the display's name, then by the line's `style`.
/// A line style naming a built-in style (`"style": "caption"` on a bubble) brings that
/// style's every field, built-in values included; a custom style only what it writes.
/// An unknown name is ignored (loading has already warned about it).
pub fn resolve_style(
    display: Display,
    style: Option<&str>,
    styles: &[(String, TextStyle)],
    canvas: (u32, u32),
) -> ResolvedStyle {
    let written = |name: &str| styles.iter().find(|(n, _)| n == name).map(|(_, s)| s);
    let with_overrides = |d: Display| {
        let mut s = builtin(d, canvas);
        if let Some(over) = builtin_name(d).and_then(written) {
            apply(&mut s, over);
        }
        s
    };
    let mut resolved = with_overrides(display);
    match style {
        Some("subtitle") => resolved = with_overrides(Display::Subtitle),
        Some("bubble") => resolved = with_overrides(Display::Bubble),
        Some("caption") => resolved = with_overrides(Display::Caption),
        Some("sfx") => resolved = with_overrides(Display::Sfx),
        Some(name) => {
            if let Some(over) = written(name) {
                apply(&mut resolved, over);
            }
        }
        None => {}
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portrait_defaults_are_the_specs_values() {
        let s = builtin(Display::Subtitle, (1080, 1920));
        assert_eq!(s.size, 56.0);
        assert_eq!(s.stroke_width, 5.0);
        assert_eq!(s.max_width, 900.0);
        assert_eq!(s.margin, 180.0);
        assert_eq!(s.position, Position::Bottom);
        assert_eq!(s.stroke, Some(Rgba8::BLACK));
    }

    #[test]
    fn manifest_styles_override_field_by_field_then_the_lines_style() {
        let styles = vec![
            (
                "subtitle".to_string(),
                TextStyle {
                    size: Some(64.0),
                    ..TextStyle::default()
                },
            ),
            (
                "angry".to_string(),
                TextStyle {
                    color: Some(Rgba8::parse("#ff0000").unwrap()),
                    stroke: Some(None),
                    ..TextStyle::default()
                },
            ),
        ];
        let plain = resolve_style(Display::Subtitle, None, &styles, (1080, 1920));
        assert_eq!(plain.size, 64.0);
        assert_eq!(plain.margin, 180.0);
        let angry = resolve_style(Display::Subtitle, Some("angry"), &styles, (1080, 1920));
        assert_eq!(angry.size, 64.0);
        assert_eq!(angry.color.r, 255);
        assert_eq!(angry.color.g, 0);
        assert_eq!(angry.stroke, None);
        let unknown = resolve_style(Display::Subtitle, Some("nope"), &styles, (1080, 1920));
        assert_eq!(unknown, plain);
        let as_caption = resolve_style(Display::Bubble, Some("caption"), &styles, (1080, 1920));
        assert_eq!(as_caption, builtin(Display::Caption, (1080, 1920)));
    }

    #[test]
    fn lengths_scale_with_the_shorter_side() {
        let s = builtin(Display::Subtitle, (1920, 1080));
        assert_eq!(s.size, 56.0);
        assert_eq!(s.max_width, 1600.0);
        let small = builtin(Display::Subtitle, (540, 960));
        assert_eq!(small.size, 28.0);
    }
}
