//! Opening a drama from files (the CLI, tests and benchmarks; the page fetches instead).

use crate::assets::AssetStore;
use crate::model::{Drama, load_manifest, resolve};
use crate::problem::Problem;
use std::path::Path;

/// A drama read from disk with its decoded assets and every problem found.
pub struct Opened {
    pub drama: Drama,
    pub store: AssetStore,
    pub problems: Vec<Problem>,
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
    let (store, asset_problems) = AssetStore::load_files(&manifest, base);
    problems.extend(asset_problems);
    let resolved = resolve(manifest, &store);
    problems.extend(resolved.problems);
    problems.extend(crate::text::line_problems(&resolved.drama, &store.fonts));
    Ok(Opened {
        drama: resolved.drama,
        store,
        problems,
    })
}
