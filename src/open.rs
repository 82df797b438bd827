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
/// and times it. `path` may also be a draft from another tool — a folder, or its entry
/// file (a Readium Divina `manifest.json`, an OpenTimelineIO `.otio`, …) — which is imported first; what the import
/// could not carry over comes first among the problems. `Err` holds the problems when
/// the drama cannot be played at all.
pub fn open(path: &Path) -> Result<Opened, Vec<Problem>> {
    let (text, base, mut early) = read_drama(path)?;
    let loaded = load_manifest(&text);
    early.extend(loaded.problems);
    let loaded = crate::Loaded {
        problems: early,
        ..loaded
    };
    open_loaded(loaded, &base)
}

/// The manifest text at `path` (a drama's own, or one imported from a draft), the folder
/// its assets are relative to, and what importing it found.
fn read_drama(path: &Path) -> Result<(String, PathBuf, Vec<Problem>), Vec<Problem>> {
    // A manifest is read as it is unless it is a draft's entry file, so that a broken
    // manju/1 manifest is reported as one (with its line and column).
    let draft_entry = |file: &Path| {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        match (name, std::fs::read(file)) {
            (Some(name), Ok(bytes)) => {
                let one = crate::import::InMemory::default().with(&name, bytes);
                crate::import::kind_of(&one, &name).is_some_and(|k| k != crate::import::Kind::Manju)
            }
            _ => false,
        }
    };
    let own_manifest = path.is_file() && !draft_entry(path);
    let folder_manifest = path.is_dir()
        && path.join("manifest.json").is_file()
        && !draft_entry(&path.join("manifest.json"));
    let manifest_path = if folder_manifest {
        path.join("manifest.json")
    } else if own_manifest {
        path.to_path_buf()
    } else {
        let (imported, root) =
            crate::import::import_path(path, None, &crate::import::Options::default())?;
        return Ok((imported.manifest_text(), root, imported.problems));
    };
    let text = std::fs::read(&manifest_path).map_err(|e| {
        vec![Problem::error(
            "",
            format!("cannot read {}: {e}", manifest_path.display()),
        )]
    })?;
    let text = String::from_utf8(text).map_err(|e| {
        vec![Problem::error(
            "",
            format!("{} is not UTF-8 text: {e}", manifest_path.display()),
        )]
    })?;
    let base = manifest_path
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    Ok((text, base, Vec::new()))
}

fn open_loaded(loaded: crate::Loaded, base: &Path) -> Result<Opened, Vec<Problem>> {
    let mut problems = loaded.problems;
    let Some(manifest) = loaded.manifest else {
        return Err(problems);
    };
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
