//! Decoded assets: images (premultiplied RGBA8) and the lengths of audio clips.
//!
//! The page and the CLI both hand raw bytes to the same decoders here, so a frame
//! renders the same pixels natively and in the browser.

use crate::audio;
use crate::model::AssetKind;
#[cfg(not(target_arch = "wasm32"))]
use crate::model::Manifest;
use crate::problem::Problem;
use crate::time::Micros;
use std::collections::HashMap;
use std::fmt;

/// Largest image accepted, in pixels per side.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// Largest image accepted, in pixels (a 4000×6000 page is 24 million).
pub const MAX_IMAGE_PIXELS: u64 = 64 * 1024 * 1024;

/// An image ready to sample: premultiplied RGBA8, rows top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedImage {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl DecodedImage {
    /// Wraps straight-alpha RGBA8 pixels, premultiplying them.
    pub fn from_straight_rgba(width: u32, height: u32, mut data: Vec<u8>) -> DecodedImage {
        assert_eq!(data.len(), width as usize * height as usize * 4);
        for px in data.chunks_exact_mut(4) {
            let a = u32::from(px[3]);
            if a != 255 {
                for c in &mut px[..3] {
                    *c = ((u32::from(*c) * a + 127) / 255) as u8;
                }
            }
        }
        DecodedImage {
            width,
            height,
            data,
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
            // Fonts are drawn by the text renderer, which keeps its own copy.
            AssetKind::Font => Ok(()),
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
        let mut store = AssetStore::default();
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
    }
}
