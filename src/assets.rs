//! Decoded assets: images (premultiplied RGBA8) and the lengths of audio clips.
//!
//! The page and the CLI both hand raw bytes to the same decoders here, so a frame
//! renders the same pixels natively and in the browser.

use crate::audio;
use crate::model::AssetKind;
#[cfg(not(target_arch = "wasm32"))]
use crate::model::Manifest;
use crate::problem::Problem;
use crate::text::FontBook;
use crate::time::Micros;
use std::collections::HashMap;
use std::fmt;

/// Largest image accepted, in pixels per side.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// Largest image accepted, in pixels (a 4000×6000 page is 24 million).
pub const MAX_IMAGE_PIXELS: u64 = 64 * 1024 * 1024;

/// An image ready to sample: premultiplied RGBA8, rows top to bottom, with its mipmaps.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedImage {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
    /// Levels 1, 2, …: each half the size of the one before (rounded down, at least 1),
    /// every pixel the average of a 2×2 block. Drawing an image much smaller than it is
    /// samples these instead of skipping pixels, so a zoomed-out page does not alias.
    pub mips: Vec<Mip>,
    /// Every pixel is opaque (the compositor then skips blending at full opacity).
    pub opaque: bool,
}

/// One mipmap level of a [`DecodedImage`].
#[derive(Clone, Debug, PartialEq)]
pub struct Mip {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl DecodedImage {
    /// Level `n` (0 is the image itself) as (width, height, pixels); the smallest level
    /// when `n` is past the end.
    pub fn level(&self, n: usize) -> (u32, u32, &[u8]) {
        match n
            .checked_sub(1)
            .map(|i| i.min(self.mips.len().saturating_sub(1)))
        {
            Some(i) if !self.mips.is_empty() => {
                let m = &self.mips[i];
                (m.width, m.height, &m.data)
            }
            _ => (self.width, self.height, &self.data),
        }
    }

    /// How many levels there are, the image included.
    pub fn levels(&self) -> usize {
        self.mips.len() + 1
    }
}

/// Halves an image: each pixel the rounded average of a 2×2 block (premultiplied).
fn half(width: u32, height: u32, data: &[u8]) -> Mip {
    let (w, h) = ((width / 2).max(1), (height / 2).max(1));
    let stride = width as usize * 4;
    let mut out = vec![0u8; w as usize * h as usize * 4];
    for y in 0..h as usize {
        let y0 = (2 * y).min(height as usize - 1);
        let y1 = (2 * y + 1).min(height as usize - 1);
        for x in 0..w as usize {
            let x0 = (2 * x).min(width as usize - 1) * 4;
            let x1 = (2 * x + 1).min(width as usize - 1) * 4;
            for c in 0..4 {
                let sum = u32::from(data[y0 * stride + x0 + c])
                    + u32::from(data[y0 * stride + x1 + c])
                    + u32::from(data[y1 * stride + x0 + c])
                    + u32::from(data[y1 * stride + x1 + c]);
                out[(y * w as usize + x) * 4 + c] = ((sum + 2) / 4) as u8;
            }
        }
    }
    Mip {
        width: w,
        height: h,
        data: out,
    }
}

impl DecodedImage {
    /// Wraps straight-alpha RGBA8 pixels, premultiplying them.
    pub fn from_straight_rgba(width: u32, height: u32, mut data: Vec<u8>) -> DecodedImage {
        assert_eq!(data.len(), width as usize * height as usize * 4);
        let mut opaque = true;
        for px in data.chunks_exact_mut(4) {
            let a = u32::from(px[3]);
            if a != 255 {
                opaque = false;
                for c in &mut px[..3] {
                    *c = ((u32::from(*c) * a + 127) / 255) as u8;
                }
            }
        }
        let mut mips: Vec<Mip> = Vec::new();
        let (mut w, mut h) = (width, height);
        while w > 1 || h > 1 {
            let next = match mips.last() {
                Some(m) => half(w, h, &m.data),
                None => half(w, h, &data),
            };
            (w, h) = (next.width, next.height);
            mips.push(next);
        }
        DecodedImage {
            width,
            height,
            data,
            mips,
            opaque,
        }
    }

    /// Decodes PNG, JPEG, WebP or GIF bytes. The header is read first: an image larger
    /// than the caps is refused before a pixel of it is decoded (a 32 KB PNG may declare
    /// 16384×16384, a gigabyte once decoded).
    pub fn decode(bytes: &[u8]) -> Result<DecodedImage, AssetError> {
        let rgba = Self::decode_straight(bytes)?.into_rgba8();
        let (w, h) = rgba.dimensions();
        Ok(DecodedImage::from_straight_rgba(w, h, rgba.into_raw()))
    }

    /// Decodes the image to check it, and lets the pixels go: its size.
    pub fn check(bytes: &[u8]) -> Result<(u32, u32), AssetError> {
        let img = Self::decode_straight(bytes)?;
        Ok((img.width(), img.height()))
    }

    fn decode_straight(bytes: &[u8]) -> Result<image::DynamicImage, AssetError> {
        let (width, height) = Self::dimensions(bytes)?;
        Self::reader(bytes, true)?.decode().map_err(|e| match e {
            image::ImageError::Limits(_) => AssetError::TooLarge {
                width,
                height,
                bytes: bytes.len(),
            },
            e => AssetError::Undecodable(e.to_string()),
        })
    }

    /// The image's size from its header, refused when it is over the caps; nothing is
    /// decoded.
    pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), AssetError> {
        let (width, height) = Self::reader(bytes, false)?
            .into_dimensions()
            .map_err(|e| AssetError::Undecodable(e.to_string()))?;
        let too_large = width > MAX_IMAGE_SIDE
            || height > MAX_IMAGE_SIDE
            || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS;
        if too_large {
            return Err(AssetError::TooLarge {
                width,
                height,
                bytes: bytes.len(),
            });
        }
        Ok((width, height))
    }

    /// A reader of the bytes, by their format; `limited` for decoding (the header is read
    /// without limits, to say how large an image too large is).
    fn reader(
        bytes: &[u8],
        limited: bool,
    ) -> Result<image::ImageReader<std::io::Cursor<&[u8]>>, AssetError> {
        let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| AssetError::Undecodable(e.to_string()))?;
        if reader.format().is_none() {
            return Err(AssetError::Undecodable(
                "not a PNG, JPEG, WebP or GIF image".into(),
            ));
        }
        if !limited {
            reader.no_limits();
            return Ok(reader);
        }
        // The decoders' own caps, in case a header lies about the size.
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_IMAGE_SIDE);
        limits.max_image_height = Some(MAX_IMAGE_SIDE);
        limits.max_alloc = Some(MAX_IMAGE_PIXELS * 4 + (64 << 20));
        reader.limits(limits);
        Ok(reader)
    }
}

/// What is wrong with an image that decodes all the same: a JPEG cut short shows grey
/// where its data stops, and says nothing — the decoder fills the rest. A whole JPEG ends
/// with the end-of-image marker (FF D9), give or take what a tool appends after it.
pub fn image_damage(bytes: &[u8]) -> Option<String> {
    if image::guess_format(bytes).ok()? != image::ImageFormat::Jpeg {
        return None;
    }
    let tail = &bytes[bytes.len().saturating_sub(64 << 10)..];
    let whole = tail.windows(2).any(|w| w == [0xff, 0xd9]);
    (!whole).then(|| {
        "is damaged: its data ends early (no end-of-image marker), so the part of the picture \
         after that shows grey; export it again"
            .to_string()
    })
}

/// The scheme of a link that is neither a path nor http(s) (`javascript`, `data`, `file`…),
/// as the page refuses them too. A drive letter (`C:/…`) is a path.
#[cfg(not(target_arch = "wasm32"))]
fn foreign_scheme(src: &str) -> Option<&str> {
    let (scheme, _) = src.split_once(':')?;
    let is_scheme = scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    (is_scheme && !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https"))
        .then_some(scheme)
}

/// A 64-bit hash of a file's bytes (FNV-1a): two versions of a drama hold the same
/// picture or clip when these agree, whatever the file is called. FNV-1a, written here,
/// rather than std's `DefaultHasher` (whose algorithm may change between Rust releases,
/// and the page's wasm and the CLI may be built by different ones) or a crate: it is
/// stable, a few lines, and fast enough next to decoding the same bytes. It is not
/// cryptographic: it tells edits apart, it does not stand up to someone forging a file.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Why an asset could not be used.
#[derive(Clone, Debug, PartialEq)]
pub enum AssetError {
    /// The file could not be fetched or read.
    Missing(String),
    /// The bytes are not an image or clip this player decodes.
    Undecodable(String),
    /// An image larger than [`MAX_IMAGE_SIDE`] a side or [`MAX_IMAGE_PIXELS`] in all, by
    /// its header (`bytes` is the file's size).
    TooLarge {
        width: u32,
        height: u32,
        bytes: usize,
    },
}

impl fmt::Display for AssetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetError::Missing(why) => write!(f, "missing: {why}"),
            AssetError::Undecodable(why) => write!(f, "cannot be decoded: {why}"),
            AssetError::TooLarge {
                width,
                height,
                bytes,
            } => write!(
                f,
                "too large: a {} file of {width}×{height} pixels ({:.1} million); at most \
                 {MAX_IMAGE_SIDE} pixels a side and {:.1} million in all are decoded",
                file_size(*bytes),
                f64::from(*width) * f64::from(*height) / 1e6,
                MAX_IMAGE_PIXELS as f64 / 1e6,
            ),
        }
    }
}

/// 32 KB, 4.1 MB: a file's size for a message.
fn file_size(bytes: usize) -> String {
    match bytes {
        b if b < 1000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{} KB", b.div_ceil(1000)),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}

impl std::error::Error for AssetError {}

/// The decoded assets of one drama, by asset id.
#[derive(Default, Debug)]
pub struct AssetStore {
    images: HashMap<String, DecodedImage>,
    /// The size of every image read so far, decoded or not (check and timeline hold no
    /// pixels; a render decodes only the images of the frame it draws).
    sizes: HashMap<String, (u32, u32)>,
    audio: HashMap<String, Micros>,
    missing: HashMap<String, AssetError>,
    /// The content hash of every asset's bytes as read ([`content_hash`]), decodable or
    /// not: the pixels and samples are let go, so a version diff compares these.
    hashes: HashMap<String, u64>,
    /// The default font and the manifest's font assets. Natively [`AssetStore::load_files`]
    /// starts with the built-in default font; the page fetches it and hands it over.
    pub fonts: FontBook,
}

impl AssetStore {
    pub fn insert_image(&mut self, id: &str, image: DecodedImage) {
        self.missing.remove(id);
        self.sizes
            .insert(id.to_string(), (image.width, image.height));
        self.images.insert(id.to_string(), image);
    }

    /// Lets go of an image's pixels, keeping its size (it can be decoded again).
    pub fn release_image(&mut self, id: &str) {
        self.images.remove(id);
    }

    /// The ids of the images whose pixels are held.
    pub fn decoded_images(&self) -> impl Iterator<Item = &str> {
        self.images.keys().map(String::as_str)
    }

    /// Decodes an asset's bytes by its kind. A problem comes back when the asset is
    /// damaged but usable (a warning; it plays) or unusable: then it is recorded as
    /// missing (a placeholder is drawn, silence played).
    pub fn add(&mut self, id: &str, kind: AssetKind, src: &str, bytes: &[u8]) -> Option<Problem> {
        self.read(id, kind, src, bytes, true)
    }

    /// As [`AssetStore::add`], but an image is only decoded to check it and its size kept,
    /// not its pixels.
    pub fn check(&mut self, id: &str, kind: AssetKind, src: &str, bytes: &[u8]) -> Option<Problem> {
        self.read(id, kind, src, bytes, false)
    }

    fn read(
        &mut self,
        id: &str,
        kind: AssetKind,
        src: &str,
        bytes: &[u8],
        hold: bool,
    ) -> Option<Problem> {
        self.hashes.insert(id.to_string(), content_hash(bytes));
        let result = match kind {
            AssetKind::Image if hold => {
                DecodedImage::decode(bytes).map(|img| self.insert_image(id, img))
            }
            AssetKind::Image => DecodedImage::check(bytes).map(|size| {
                self.missing.remove(id);
                self.sizes.insert(id.to_string(), size);
            }),
            AssetKind::Audio => {
                let ext = src.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
                match audio::clip_length(bytes, ext) {
                    Ok(len) => {
                        self.audio.insert(id.to_string(), len);
                        Ok(())
                    }
                    Err(e) => Err(AssetError::Undecodable(e.to_string())),
                }
            }
            AssetKind::Font => self
                .fonts
                .add_font(id, bytes.to_vec())
                .map_err(|e| AssetError::Undecodable(e.to_string())),
        };
        match result {
            Ok(()) if kind == AssetKind::Image => image_damage(bytes)
                .map(|why| Problem::warning(format!("assets.{id}"), format!("`{src}` {why}"))),
            Ok(()) => None,
            Err(e) => {
                let problem = Problem::warning(format!("assets.{id}"), format!("`{src}`: {e}"));
                self.missing.insert(id.to_string(), e);
                Some(problem)
            }
        }
    }

    /// Records that an asset could not be fetched.
    pub fn mark_missing(&mut self, id: &str, src: &str, reason: &str) -> Problem {
        self.hashes.remove(id);
        self.missing
            .insert(id.to_string(), AssetError::Missing(reason.to_string()));
        Problem::warning(
            format!("assets.{id}"),
            format!("`{src}` is missing ({reason})"),
        )
    }

    pub fn image(&self, id: &str) -> Option<&DecodedImage> {
        self.images.get(id)
    }

    /// An image's size in pixels, known once it was read (whether its pixels are held or not).
    pub fn image_size(&self, id: &str) -> Option<(u32, u32)> {
        self.sizes.get(id).copied()
    }

    /// The [`content_hash`] of the bytes an asset was read from; `None` when none were
    /// (missing, or not handed over yet).
    pub fn content_hash(&self, id: &str) -> Option<u64> {
        self.hashes.get(id).copied()
    }

    pub fn audio_length(&self, id: &str) -> Option<Micros> {
        self.audio.get(id).copied()
    }

    /// Whether a clip may be scheduled: not known to be missing or broken.
    pub fn audio_playable(&self, id: &str) -> bool {
        !self.missing.contains_key(id)
    }

    pub fn is_missing(&self, id: &str) -> bool {
        self.missing.contains_key(id)
    }

    /// Reads every asset of `manifest` from files relative to `base` (the CLI and tests).
    /// Every image is decoded — a damaged one is found so — but, unless `hold_images`, its
    /// pixels are let go at once: a check of a 200-shot episode holds one picture at a
    /// time, not two gigabytes (see `Opened::decode_images_at` for renders).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load_files(
        manifest: &Manifest,
        base: &std::path::Path,
        hold_images: bool,
    ) -> (AssetStore, Vec<Problem>) {
        let mut store = AssetStore {
            fonts: FontBook::with_builtin(),
            ..AssetStore::default()
        };
        let mut problems = Vec::new();
        for asset in &manifest.assets {
            if let Some(scheme) = foreign_scheme(&asset.src) {
                problems.push(store.mark_missing(
                    &asset.id,
                    &asset.src,
                    &format!("a {scheme}: link, which Manju does not follow: assets are files beside the manifest, or http(s) URLs for the page"),
                ));
                continue;
            }
            if asset.src.contains("://") {
                problems.push(store.mark_missing(
                    &asset.id,
                    &asset.src,
                    "URLs are read by the page, not the CLI",
                ));
                continue;
            }
            match std::fs::read(base.join(&asset.src)) {
                Ok(bytes) => {
                    let read = if hold_images { Self::add } else { Self::check };
                    problems.extend(read(&mut store, &asset.id, asset.kind, &asset.src, &bytes));
                }
                Err(e) => problems.push(store.mark_missing(&asset.id, &asset.src, &e.to_string())),
            }
        }
        (store, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashes_are_fnv1a_of_the_bytes_read() {
        // The published FNV-1a 64 test vectors.
        assert_eq!(content_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(content_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(content_hash(b"foobar"), 0x8594_4171_f739_67e8);
        let mut store = AssetStore::default();
        // Undecodable bytes are hashed too: a broken file replaced is a change.
        store.add("bg", AssetKind::Image, "img/bg.png", b"junk");
        assert_eq!(store.content_hash("bg"), Some(content_hash(b"junk")));
        store.mark_missing("bg", "img/bg.png", "404");
        assert_eq!(store.content_hash("bg"), None);
    }

    #[test]
    fn premultiplies_on_the_way_in() {
        let img = DecodedImage::from_straight_rgba(2, 1, vec![255, 128, 0, 128, 10, 20, 30, 255]);
        assert_eq!(img.data, vec![128, 64, 0, 128, 10, 20, 30, 255]);
    }

    #[test]
    fn mipmaps_average_down_to_one_pixel() {
        let data: Vec<u8> = (0..5 * 3).flat_map(|i| [i as u8 * 10, 0, 0, 255]).collect();
        let img = DecodedImage::from_straight_rgba(5, 3, data);
        let sizes: Vec<(u32, u32)> = img.mips.iter().map(|m| (m.width, m.height)).collect();
        assert_eq!(sizes, [(2, 1), (1, 1)]);
        // Level 1, pixel 0: the average of pixels 0, 1, 5, 6 → (0 + 10 + 50 + 60) / 4.
        assert_eq!(&img.mips[0].data[..4], &[30, 0, 0, 255]);
        assert_eq!(img.level(9).0, 1);
        assert_eq!(img.levels(), 3);
    }

    /// A PNG of `width`×`height` grey pixels whose one IDAT chunk holds `data` (valid
    /// or not): only its header is true.
    fn png_declaring(width: u32, height: u32, data: &[u8]) -> Vec<u8> {
        fn crc(bytes: &[u8]) -> u32 {
            let mut c = 0xffff_ffffu32;
            for &b in bytes {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 == 1 {
                        0xedb8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        fn chunk(out: &mut Vec<u8>, kind: &[u8], body: &[u8]) {
            out.extend((body.len() as u32).to_be_bytes());
            let start = out.len();
            out.extend(kind);
            out.extend(body);
            let crc = crc(&out[start..]);
            out.extend(crc.to_be_bytes());
        }
        let mut png = vec![0x89, b'P', b'N', b'G', 13, 10, 26, 10];
        let mut ihdr = Vec::new();
        ihdr.extend(width.to_be_bytes());
        ihdr.extend(height.to_be_bytes());
        ihdr.extend([8, 0, 0, 0, 0]); // 8-bit greyscale
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", data);
        chunk(&mut png, b"IEND", &[]);
        png
    }

    #[test]
    fn an_image_too_large_is_refused_by_its_header_before_decoding() {
        // 32 KB declaring 16384×16384: 268 million pixels, a gigabyte decoded. The IDAT is
        // junk, so refusing it for its size proves nothing was decoded.
        let png = png_declaring(16_384, 16_384, &[0x55; 32_000]);
        let err = DecodedImage::decode(&png).unwrap_err();
        assert_eq!(
            err,
            AssetError::TooLarge {
                width: 16_384,
                height: 16_384,
                bytes: png.len()
            }
        );
        assert_eq!(DecodedImage::dimensions(&png).unwrap_err(), err);
        let mut store = AssetStore::default();
        let p = store
            .add("page", AssetKind::Image, "img/page.png", &png)
            .unwrap();
        assert_eq!(p.path, "assets.page");
        assert_eq!(
            p.message,
            "`img/page.png`: too large: a 33 KB file of 16384×16384 pixels (268.4 million); \
             at most 16384 pixels a side and 67.1 million in all are decoded"
        );
        assert!(store.is_missing("page"));
        // Over the side limit alone, and under both: the header says so too.
        let wide = png_declaring(20_000, 10, &[]);
        assert!(matches!(
            DecodedImage::dimensions(&wide),
            Err(AssetError::TooLarge { width: 20_000, .. })
        ));
        assert_eq!(
            DecodedImage::dimensions(&png_declaring(4000, 6000, &[])),
            Ok((4000, 6000))
        );
    }

    #[test]
    fn a_jpeg_cut_short_plays_and_says_it_is_damaged() {
        let pixels: Vec<u8> = (0..64 * 64).flat_map(|p| [p as u8, 100, 200]).collect();
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode(&pixels, 64, 64, image::ExtendedColorType::Rgb8)
            .unwrap();
        let mut store = AssetStore::default();
        assert_eq!(
            store.add("whole", AssetKind::Image, "img/whole.jpg", &jpeg),
            None
        );
        let cut = &jpeg[..jpeg.len() * 2 / 3];
        let p = store
            .add("cut", AssetKind::Image, "img/cut.jpg", cut)
            .unwrap();
        assert_eq!(p.path, "assets.cut");
        assert!(
            p.message
                .starts_with("`img/cut.jpg` is damaged: its data ends early"),
            "{}",
            p.message
        );
        // It still plays: the part that is there is drawn.
        assert!(!store.is_missing("cut"));
        assert_eq!(
            store.image("cut").map(|i| (i.width, i.height)),
            Some((64, 64))
        );
        // Checked only: the same warning, the size kept, no pixels held.
        let mut checked = AssetStore::default();
        assert!(
            checked
                .check("cut", AssetKind::Image, "img/cut.jpg", cut)
                .is_some()
        );
        assert_eq!(checked.image_size("cut"), Some((64, 64)));
        assert!(checked.image("cut").is_none());
    }

    #[test]
    fn links_that_are_not_paths_or_http_are_named_by_their_scheme() {
        assert_eq!(foreign_scheme("javascript:alert(1)"), Some("javascript"));
        assert_eq!(foreign_scheme("data:image/png;base64,AAAA"), Some("data"));
        assert_eq!(foreign_scheme("file:///etc/passwd"), Some("file"));
        for fine in [
            "img/a.png",
            "C:/art/a.png",
            "https://cdn.example/a.png",
            "HTTP://x/a.png",
            "a b:c.png",
        ] {
            assert_eq!(foreign_scheme(fine), None, "{fine}");
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(matches!(
            DecodedImage::decode(b"not an image"),
            Err(AssetError::Undecodable(_))
        ));
        assert!(matches!(
            DecodedImage::decode(&[0x89, b'P', b'N', b'G', 13, 10, 26, 10, 0]),
            Err(AssetError::Undecodable(_))
        ));
        let mut store = AssetStore::default();
        let p = store
            .add("bg", AssetKind::Image, "img/bg.png", b"junk")
            .unwrap();
        assert_eq!(p.path, "assets.bg");
        assert!(store.is_missing("bg"));
        // A font that is not one: a warning, and text falls back to the default font.
        let p = store
            .add("title", AssetKind::Font, "fonts/title.ttf", b"junk")
            .unwrap();
        assert_eq!(p.path, "assets.title");
        assert!(p.message.contains("fonts/title.ttf"), "{}", p.message);
        assert!(store.is_missing("title"));
        assert_eq!(store.fonts.generation(), 0);
    }
}
