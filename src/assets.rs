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

    /// Decodes PNG, JPEG, WebP or GIF bytes.
    pub fn decode(bytes: &[u8]) -> Result<DecodedImage, AssetError> {
        let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| AssetError::Undecodable(e.to_string()))?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_IMAGE_SIDE);
        limits.max_image_height = Some(MAX_IMAGE_SIDE);
        limits.max_alloc = Some(MAX_IMAGE_PIXELS * 4 + (64 << 20));
        reader.limits(limits);
        if reader.format().is_none() {
            return Err(AssetError::Undecodable(
                "not a PNG, JPEG, WebP or GIF image".into(),
            ));
        }
        let img = reader.decode().map_err(|e| match e {
            image::ImageError::Limits(_) => AssetError::TooLarge,
            e => AssetError::Undecodable(e.to_string()),
        })?;
        if u64::from(img.width()) * u64::from(img.height()) > MAX_IMAGE_PIXELS {
            return Err(AssetError::TooLarge);
        }
        let rgba = img.into_rgba8();
        let (w, h) = rgba.dimensions();
        Ok(DecodedImage::from_straight_rgba(w, h, rgba.into_raw()))
    }
}

/// Why an asset could not be used.
#[derive(Clone, Debug, PartialEq)]
pub enum AssetError {
    /// The file could not be fetched or read.
    Missing(String),
    /// The bytes are not an image or clip this player decodes.
    Undecodable(String),
    /// Larger than [`MAX_IMAGE_SIDE`] / [`MAX_IMAGE_PIXELS`] (or the audio limits).
    TooLarge,
}

impl fmt::Display for AssetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetError::Missing(why) => write!(f, "missing: {why}"),
            AssetError::Undecodable(why) => write!(f, "cannot be decoded: {why}"),
            AssetError::TooLarge => write!(
                f,
                "too large: at most {MAX_IMAGE_SIDE} pixels a side and {MAX_IMAGE_PIXELS} pixels in all"
            ),
        }
    }
}

impl std::error::Error for AssetError {}

/// The decoded assets of one drama, by asset id.
#[derive(Default, Debug)]
pub struct AssetStore {
    images: HashMap<String, DecodedImage>,
    audio: HashMap<String, Micros>,
    missing: HashMap<String, AssetError>,
    /// The default font and the manifest's font assets. Natively [`AssetStore::load_files`]
    /// starts with the built-in default font; the page fetches it and hands it over.
    pub fonts: FontBook,
}

impl AssetStore {
    pub fn insert_image(&mut self, id: &str, image: DecodedImage) {
        self.missing.remove(id);
        self.images.insert(id.to_string(), image);
    }

    /// Decodes an asset's bytes by its kind. On failure the asset is recorded as missing
    /// (a placeholder is drawn, silence played) and the problem is returned.
    pub fn add(
        &mut self,
        id: &str,
        kind: AssetKind,
        src: &str,
        bytes: &[u8],
    ) -> Result<(), Problem> {
        let result = match kind {
            AssetKind::Image => DecodedImage::decode(bytes).map(|img| self.insert_image(id, img)),
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
        result.map_err(|e| {
            let problem = Problem::warning(format!("assets.{id}"), format!("`{src}`: {e}"));
            self.missing.insert(id.to_string(), e);
            problem
        })
    }

    /// Records that an asset could not be fetched.
    pub fn mark_missing(&mut self, id: &str, src: &str, reason: &str) -> Problem {
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
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load_files(manifest: &Manifest, base: &std::path::Path) -> (AssetStore, Vec<Problem>) {
        let mut store = AssetStore {
            fonts: FontBook::with_builtin(),
            ..AssetStore::default()
        };
        let mut problems = Vec::new();
        for asset in &manifest.assets {
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
                    if let Err(p) = store.add(&asset.id, asset.kind, &asset.src, &bytes) {
                        problems.push(p);
                    }
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
            .unwrap_err();
        assert_eq!(p.path, "assets.bg");
        assert!(store.is_missing("bg"));
        // A font that is not one: a warning, and text falls back to the default font.
        let p = store
            .add("title", AssetKind::Font, "fonts/title.ttf", b"junk")
            .unwrap_err();
        assert_eq!(p.path, "assets.title");
        assert!(p.message.contains("fonts/title.ttf"), "{}", p.message);
        assert!(store.is_missing("title"));
        assert_eq!(store.fonts.generation(), 0);
    }
}
