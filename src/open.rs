//! Opening a drama from files (the CLI, tests and benchmarks; the page fetches instead).

use crate::assets::AssetStore;
use crate::import::images_at;
use crate::model::{AssetKind, Drama, load_manifest, resolve};
use crate::problem::Problem;
use crate::time::Micros;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A drama read from disk with every problem found. Its images have been decoded once to
/// check them, but their pixels are not held: [`Opened::decode_images_at`] decodes what
/// a frame draws.
pub struct Opened {
    pub drama: Drama,
    pub store: AssetStore,
    pub problems: Vec<Problem>,
    base: PathBuf,
    /// Image asset id → its file, relative to `base`.
    image_files: HashMap<String, String>,
}

impl Opened {
    /// Decodes the images drawn at `t` — the shot on screen, and the one a transition
    /// crosses to or from — and lets go of every other, so a render holds one or two
    /// shots' pictures however long the episode. Images already decoded stay (a range of
    /// frames decodes each shot once). Nothing new is reported: the images were checked
    /// when the drama was opened.
    pub fn decode_images_at(&mut self, t: Micros) {
        let wanted: Vec<String> = images_at(&self.drama, t)
            .into_iter()
            .map(str::to_owned)
            .collect();
        let held: Vec<String> = self.store.decoded_images().map(str::to_owned).collect();
        for id in held.iter().filter(|id| !wanted.contains(id)) {
            self.store.release_image(id);
        }
        for id in wanted.iter().filter(|id| !held.contains(id)) {
            let Some(src) = self.image_files.get(id) else {
                continue;
            };
            if self.store.is_missing(id) {
                continue;
            }
            if let Ok(bytes) = std::fs::read(self.base.join(src)) {
                self.store.add(id, AssetKind::Image, src, &bytes);
            }
        }
    }
}

/// Reads the manifest at `path` and its assets (relative to the manifest's folder),
/// and times it. `Err` holds the problems when the manifest cannot be played at all.
pub fn open(path: &Path) -> Result<Opened, Vec<Problem>> {
    let text = std::fs::read(path).map_err(|e| {
        vec![Problem::error(
            "",
            format!("cannot read {}: {e}", path.display()),
        )]
    })?;
    let text = String::from_utf8(text).map_err(|e| {
        vec![Problem::error(
            "",
            format!("{} is not UTF-8 text: {e}", path.display()),
        )]
    })?;
    let loaded = load_manifest(&text);
    let mut problems = loaded.problems;
    let Some(manifest) = loaded.manifest else {
        return Err(problems);
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let (store, asset_problems) = AssetStore::load_files(&manifest, base, false);
    let image_files = manifest
        .assets
        .iter()
        .filter(|a| a.kind == AssetKind::Image)
        .map(|a| (a.id.clone(), a.src.clone()))
        .collect();
    problems.extend(asset_problems);
    let resolved = resolve(manifest, &store);
    problems.extend(resolved.problems);
    problems.extend(crate::text::line_problems(&resolved.drama, &store.fonts));
    Ok(Opened {
        drama: resolved.drama,
        store,
        problems,
        base: base.to_path_buf(),
        image_files,
    })
}
