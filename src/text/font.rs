//! Fonts: the default font and fonts given as assets, looked up by asset id or family
//! name; glyph outlines as paths.

use tiny_skia::{Path, PathBuilder};
use ttf_parser::gpos::{PairAdjustment, PositioningSubtable};
use ttf_parser::{Face, GlyphId, OutlineBuilder, Tag};

/// The largest font file accepted.
pub const MAX_FONT_BYTES: usize = 64 << 20;

/// The default font's name in a [`FontBook`]: a style's `font` may name it.
pub const DEFAULT_FONT_ID: &str = "manju-sans";

/// Why a font could not be added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextError {
    /// The bytes are not a TrueType or OpenType font or collection.
    NotAFont { id: String },
    /// A web font container, which is not read yet: convert it to TTF or OTF.
    Unsupported { id: String, format: &'static str },
    /// Larger than [`MAX_FONT_BYTES`].
    TooLarge { id: String, bytes: usize },
}

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            TextError::NotAFont { id } => {
                write!(f, "font `{id}` is not a TrueType or OpenType font")
            }
            TextError::Unsupported { id, format } => write!(
                f,
                "font `{id}` is a {format} file, which is not read yet; use a TTF or OTF file"
            ),
            TextError::TooLarge { id, bytes } => write!(
                f,
                "font `{id}` is {bytes} bytes, more than the {MAX_FONT_BYTES} accepted"
            ),
        }
    }
}

impl std::error::Error for TextError {}

struct Font {
    id: String,
    /// Family, typographic family and full names, lower-cased.
    names: Vec<String>,
    data: Vec<u8>,
}

/// The fonts text can be drawn with: the default font (covering Chinese, Japanese kana and
/// Latin) and fonts given as assets. A glyph missing from a line's font is taken from the
/// default font.
#[derive(Default)]
pub struct FontBook {
    fonts: Vec<Font>,
    default: Option<usize>,
    generation: u64,
}

impl std::fmt::Debug for FontBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontBook")
            .field(
                "fonts",
                &self.fonts.iter().map(|f| &f.id).collect::<Vec<_>>(),
            )
            .field("default", &self.default)
            .field("generation", &self.generation)
            .finish()
    }
}

#[cfg(not(target_arch = "wasm32"))]
static BUILTIN: &[u8] = include_bytes!("../../www/fonts/manju-sans.otf");

impl FontBook {
    /// A book without fonts: nothing can be drawn until [`FontBook::set_default`].
    pub fn new() -> FontBook {
        FontBook::default()
    }

    /// A book holding the default font, built into native builds. (The page fetches
    /// `fonts/manju-sans.otf` itself, so that the first frame does not wait for it.)
    #[cfg(not(target_arch = "wasm32"))]
    pub fn with_builtin() -> FontBook {
        let mut book = FontBook::new();
        book.set_default(BUILTIN.to_vec())
            .expect("the built-in font parses");
        book
    }

    /// Adds (or replaces) the font of asset `id`. A collection (TTC) gives its first face.
    pub fn add_font(&mut self, id: &str, bytes: Vec<u8>) -> Result<(), TextError> {
        let font = parse(id, bytes)?;
        self.generation += 1;
        match self.fonts.iter().position(|f| f.id == id) {
            Some(i) => self.fonts[i] = font,
            None => self.fonts.push(font),
        }
        Ok(())
    }

    /// Sets the default font (normally `www/fonts/manju-sans.otf`), known as
    /// [`DEFAULT_FONT_ID`].
    pub fn set_default(&mut self, bytes: Vec<u8>) -> Result<(), TextError> {
        self.add_font(DEFAULT_FONT_ID, bytes)?;
        self.default = self.fonts.iter().position(|f| f.id == DEFAULT_FONT_ID);
        Ok(())
    }

    pub fn has_default(&self) -> bool {
        self.default.is_some()
    }

    /// Counts changes to the book: overlays drawn before a change may look different
    /// after it (a font arrived), so a cache of overlays keys on this.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The font a style names, by asset id or (case-insensitively) family name.
    fn find(&self, name: &str) -> Option<usize> {
        self.fonts.iter().position(|f| f.id == name).or_else(|| {
            let lower = name.to_lowercase();
            self.fonts.iter().position(|f| f.names.contains(&lower))
        })
    }

    /// The faces to draw with: the named font (if any and found) first, then the
    /// default. `None` when there is nothing to draw with; warnings say what was missing.
    pub(super) fn faces(
        &self,
        name: Option<&str>,
        warnings: &mut Vec<String>,
    ) -> Option<Faces<'_>> {
        let mut order = Vec::new();
        if let Some(name) = name {
            match self.find(name) {
                Some(i) => order.push(i),
                None => warnings.push(format!(
                    "font `{name}` is not loaded; the default font is used"
                )),
            }
        }
        if let Some(d) = self.default
            && !order.contains(&d)
        {
            order.push(d);
        }
        let faces: Vec<FaceInfo> = order
            .iter()
            .filter_map(|&i| Face::parse(&self.fonts[i].data, 0).ok())
            .map(FaceInfo::new)
            .collect();
        if faces.is_empty() {
            warnings.push("no font is loaded yet; the text is not drawn".to_string());
            return None;
        }
        Some(Faces { list: faces })
    }
}

fn parse(id: &str, data: Vec<u8>) -> Result<Font, TextError> {
    if data.len() > MAX_FONT_BYTES {
        return Err(TextError::TooLarge {
            id: id.to_string(),
            bytes: data.len(),
        });
    }
    match data.get(..4) {
        Some(b"wOFF") => {
            return Err(TextError::Unsupported {
                id: id.to_string(),
                format: "WOFF",
            });
        }
        Some(b"wOF2") => {
            return Err(TextError::Unsupported {
                id: id.to_string(),
                format: "WOFF2",
            });
        }
        _ => {}
    }
    let face = Face::parse(&data, 0).map_err(|_| TextError::NotAFont { id: id.to_string() })?;
    let mut names: Vec<String> = face
        .names()
        .into_iter()
        .filter(|n| matches!(n.name_id, 1 | 4 | 16))
        .filter_map(|n| n.to_string())
        .map(|n| n.to_lowercase())
        .collect();
    names.sort();
    names.dedup();
    Ok(Font {
        id: id.to_string(),
        names,
        data,
    })
}

/// A parsed face and what layout needs from it.
pub(super) struct FaceInfo<'a> {
    pub face: Face<'a>,
    /// 1 / units per em.
    pub per_em: f64,
    /// Ascent and descent (positive, below the baseline) in ems.
    pub ascent: f64,
    pub descent: f64,
    /// The GPOS lookups of the `kern` feature.
    kern_lookups: Vec<u16>,
}

impl<'a> FaceInfo<'a> {
    fn new(face: Face<'a>) -> FaceInfo<'a> {
        let per_em = 1.0 / f64::from(face.units_per_em().max(1));
        // Typographic metrics put CJK ideographs (which fill the em box) in the middle of
        // the line; the hhea ones of CJK fonts are padded for accents and vertical text.
        let (asc, desc) = match (face.typographic_ascender(), face.typographic_descender()) {
            (Some(a), Some(d)) if a > 0 && a > d => (a, d),
            _ => (face.ascender(), face.descender()),
        };
        let kern_lookups = face
            .tables()
            .gpos
            .map(|gpos| {
                let mut v: Vec<u16> = gpos
                    .features
                    .into_iter()
                    .filter(|f| f.tag == Tag::from_bytes(b"kern"))
                    .flat_map(|f| f.lookup_indices.into_iter())
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .unwrap_or_default();
        FaceInfo {
            face,
            per_em,
            ascent: f64::from(asc) * per_em,
            descent: -f64::from(desc) * per_em,
            kern_lookups,
        }
    }

    /// Advance width in ems.
    pub fn advance(&self, glyph: GlyphId) -> f64 {
        f64::from(self.face.glyph_hor_advance(glyph).unwrap_or(0)) * self.per_em
    }

    /// Pair kerning in ems, from GPOS `kern` or else the legacy `kern` table.
    pub fn kerning(&self, left: GlyphId, right: GlyphId) -> f64 {
        if let Some(gpos) = self.face.tables().gpos
            && !self.kern_lookups.is_empty()
        {
            for &index in &self.kern_lookups {
                let Some(lookup) = gpos.lookups.get(index) else {
                    continue;
                };
                for sub in lookup.subtables.into_iter::<PositioningSubtable>() {
                    let PositioningSubtable::Pair(pair) = sub else {
                        continue;
                    };
                    let value = match pair {
                        PairAdjustment::Format1 { coverage, sets } => coverage
                            .get(left)
                            .and_then(|i| sets.get(i))
                            .and_then(|set| set.get(right)),
                        PairAdjustment::Format2 {
                            coverage,
                            classes,
                            matrix,
                        } => coverage
                            .get(left)
                            .and_then(|_| matrix.get((classes.0.get(left), classes.1.get(right)))),
                    };
                    if let Some((first, _)) = value {
                        return f64::from(first.x_advance) * self.per_em;
                    }
                }
            }
            return 0.0;
        }
        let Some(kern) = self.face.tables().kern else {
            return 0.0;
        };
        kern.subtables
            .into_iter()
            .filter(|s| s.horizontal && !s.variable && !s.has_cross_stream)
            .find_map(|s| s.glyphs_kerning(left, right))
            .map_or(0.0, |v| f64::from(v) * self.per_em)
    }
}

/// The faces of one line, in fallback order.
pub(super) struct Faces<'a> {
    pub list: Vec<FaceInfo<'a>>,
}

impl Faces<'_> {
    /// The first face with a glyph for `c`.
    pub fn glyph(&self, c: char) -> Option<(usize, GlyphId)> {
        self.list
            .iter()
            .enumerate()
            .find_map(|(i, f)| f.face.glyph_index(c).map(|g| (i, g)))
    }

    /// The face whose vertical metrics set the lines.
    pub fn primary(&self) -> &FaceInfo<'_> {
        &self.list[0]
    }
}

/// An affine map `(x, y) → (a·x + c·y + e, b·x + d·y + f)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Affine {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
    pub e: f64,
    pub f: f64,
}

impl Affine {
    pub const IDENTITY: Affine = Affine {
        a: 1.0,
        b: 0.0,
        c: 0.0,
        d: 1.0,
        e: 0.0,
        f: 0.0,
    };

    /// A rotation by `degrees` clockwise (y points down) about `(cx, cy)`. libm keeps the
    /// sine and cosine the same natively and in wasm.
    pub fn rotation_about(degrees: f64, cx: f64, cy: f64) -> Affine {
        if degrees == 0.0 {
            return Affine::IDENTITY;
        }
        let r = degrees.to_radians();
        let (s, c) = (libm::sin(r), libm::cos(r));
        Affine {
            a: c,
            b: s,
            c: -s,
            d: c,
            e: cx - c * cx + s * cy,
            f: cy - s * cx - c * cy,
        }
    }

    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.a * x + self.c * y + self.e,
            self.b * x + self.d * y + self.f,
        )
    }
}

/// Builds a glyph's outline on the page: font units scaled by `scale`, the y axis flipped,
/// the origin at the pen, then `to_screen`. Cubic curves (CFF fonts) are split into
/// quadratic ones, so that rasterising never runs tiny-skia's cubic code, which calls
/// the platform's `acos`/`cos`/`powf` (not bit-identical between glibc and wasm).
pub(super) fn glyph_path(
    face: &Face,
    glyph: GlyphId,
    scale: f64,
    pen: (f64, f64),
    to_screen: &Affine,
) -> Option<Path> {
    let to_page = Affine {
        a: to_screen.a * scale,
        b: to_screen.b * scale,
        c: -to_screen.c * scale,
        d: -to_screen.d * scale,
        e: to_screen.a * pen.0 + to_screen.c * pen.1 + to_screen.e,
        f: to_screen.b * pen.0 + to_screen.d * pen.1 + to_screen.f,
    };
    let mut sink = Sink {
        pb: PathBuilder::new(),
        m: to_page,
        // Flattening tolerance in font units: a tenth of a pixel.
        tolerance: 0.1 / scale.max(1e-6),
        last: (0.0, 0.0),
    };
    face.outline_glyph(glyph, &mut sink)?;
    sink.pb.finish()
}

struct Sink {
    pb: PathBuilder,
    m: Affine,
    tolerance: f64,
    last: (f64, f64),
}

impl Sink {
    fn map(&self, x: f64, y: f64) -> (f32, f32) {
        let (x, y) = self.m.apply(x, y);
        (x as f32, y as f32)
    }

    fn quad(&mut self, c: (f64, f64), p: (f64, f64)) {
        let (cx, cy) = self.map(c.0, c.1);
        let (px, py) = self.map(p.0, p.1);
        self.pb.quad_to(cx, cy, px, py);
        self.last = p;
    }
}

impl OutlineBuilder for Sink {
    fn move_to(&mut self, x: f32, y: f32) {
        let p = (f64::from(x), f64::from(y));
        let (sx, sy) = self.map(p.0, p.1);
        self.pb.move_to(sx, sy);
        self.last = p;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = (f64::from(x), f64::from(y));
        let (sx, sy) = self.map(p.0, p.1);
        self.pb.line_to(sx, sy);
        self.last = p;
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.quad((f64::from(x1), f64::from(y1)), (f64::from(x), f64::from(y)));
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let p0 = self.last;
        let p1 = (f64::from(x1), f64::from(y1));
        let p2 = (f64::from(x2), f64::from(y2));
        let p3 = (f64::from(x), f64::from(y));
        // A cubic split in n pieces, each replaced by the quadratic through its ends with
        // the mean control point, is off by at most |p3 − 3p2 + 3p1 − p0|·√3/36 / n³.
        let dx = p3.0 - 3.0 * p2.0 + 3.0 * p1.0 - p0.0;
        let dy = p3.1 - 3.0 * p2.1 + 3.0 * p1.1 - p0.1;
        let err = (dx * dx + dy * dy).sqrt() * 0.048_112_5;
        let mut n = 1usize;
        while n < 16 && err > self.tolerance * (n * n * n) as f64 {
            n += 1;
        }
        let (mut q0, mut q1, mut q2, q3) = (p0, p1, p2, p3);
        for i in 0..n {
            // Split the rest of the curve at the first piece's end (de Casteljau).
            let t = 1.0 / (n - i) as f64;
            let lerp =
                |a: (f64, f64), b: (f64, f64)| (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            let (a, b, c) = (lerp(q0, q1), lerp(q1, q2), lerp(q2, q3));
            let (ab, bc) = (lerp(a, b), lerp(b, c));
            let end = if i + 1 == n { q3 } else { lerp(ab, bc) };
            // The piece q0, a, ab, end; its quadratic control: (3(a + ab) − q0 − end) / 4.
            let ctrl = (
                (3.0 * (a.0 + ab.0) - q0.0 - end.0) * 0.25,
                (3.0 * (a.1 + ab.1) - q0.1 - end.1) * 0.25,
            );
            self.quad(ctrl, end);
            q0 = end;
            q1 = bc;
            q2 = c;
        }
    }

    fn close(&mut self) {
        self.pb.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_font_covers_chinese_kana_and_latin() {
        let book = FontBook::with_builtin();
        assert!(book.has_default());
        let mut warnings = Vec::new();
        let faces = book.faces(None, &mut warnings).unwrap();
        for c in "这一世，我绝不会再让你得逞。「瑶」ひらがなカタカナ ABCxyz àéü …—".chars()
        {
            assert!(faces.glyph(c).is_some(), "no glyph for {c}");
        }
        assert!(warnings.is_empty());
        // Found by family name too, in any case.
        assert!(book.find("noto sans cjk sc").is_some());
        assert!(book.find(DEFAULT_FONT_ID).is_some());
    }

    #[test]
    fn asset_fonts_are_found_by_id_or_family_and_fall_back_to_the_default() {
        let mut book = FontBook::with_builtin();
        let generation = book.generation();
        book.add_font("serif", crate::text::golden::test_font())
            .unwrap();
        assert!(book.generation() > generation);
        for name in ["serif", "DejaVu Serif", "dejavu serif bold"] {
            let mut warnings = Vec::new();
            let faces = book.faces(Some(name), &mut warnings).unwrap();
            assert!(warnings.is_empty(), "{name}: {warnings:?}");
            assert_eq!(faces.list.len(), 2);
            assert_eq!(faces.glyph('A').unwrap().0, 0, "Latin from the asset");
            assert_eq!(faces.glyph('章').unwrap().0, 1, "CJK from the default font");
        }
        let mut warnings = Vec::new();
        let faces = book.faces(Some("Comic Sans"), &mut warnings).unwrap();
        assert_eq!(faces.list.len(), 1);
        assert_eq!(
            warnings,
            ["font `Comic Sans` is not loaded; the default font is used"]
        );
    }

    #[test]
    fn bad_fonts_are_refused_with_their_id() {
        let mut book = FontBook::new();
        assert_eq!(
            book.add_font("f", b"hello".to_vec()),
            Err(TextError::NotAFont { id: "f".into() })
        );
        assert_eq!(
            book.add_font("w", b"wOF2xxxxxxxx".to_vec()),
            Err(TextError::Unsupported {
                id: "w".into(),
                format: "WOFF2"
            })
        );
        assert!(!book.has_default());
        let mut warnings = Vec::new();
        assert!(book.faces(Some("f"), &mut warnings).is_none());
        assert_eq!(warnings.len(), 2);
    }

    #[test]
    fn cubic_outlines_become_quadratic_paths() {
        let book = FontBook::with_builtin();
        let faces = book.faces(None, &mut Vec::new()).unwrap();
        let (i, g) = faces.glyph('永').unwrap();
        let path = glyph_path(
            &faces.list[i].face,
            g,
            0.1,
            (10.0, 100.0),
            &Affine::IDENTITY,
        )
        .unwrap();
        assert!(
            path.segments()
                .all(|s| !matches!(s, tiny_skia::PathSegment::CubicTo(..)))
        );
        let b = path.bounds();
        // 永 fills most of a 100-pixel em box above the baseline at y = 100.
        assert!(b.left() > 10.0 && b.right() < 110.0, "{b:?}");
        assert!(b.top() > 0.0 && b.bottom() < 110.0, "{b:?}");
    }
}
