//! Shared helpers for the integration tests.

use manju::{
    AssetStore, Compositor, Drama, Problem, evaluate, line_problems, load_manifest, resolve,
};
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads a manifest from text (assets relative to `base`), failing the test on fatal problems.
pub fn load(text: &str, base: &Path) -> (Drama, AssetStore, Vec<Problem>) {
    let loaded = load_manifest(text);
    let mut problems = loaded.problems;
    let manifest = loaded
        .manifest
        .unwrap_or_else(|| panic!("fatal problems: {problems:#?}"));
    let (store, asset_problems) = AssetStore::load_files(&manifest, base, true);
    problems.extend(asset_problems);
    let resolved = resolve(manifest, &store);
    problems.extend(resolved.problems);
    problems.extend(line_problems(&resolved.drama, &store.fonts));
    (resolved.drama, store, problems)
}

/// Renders the frame at `seconds` (the frame on screen then) as RGBA8.
pub fn render(drama: &Drama, store: &AssetStore, seconds: f64) -> Vec<u8> {
    let fps = drama.canvas.fps;
    let n = fps.frame_at(manju::from_seconds(seconds));
    let mut compositor = Compositor::new(drama.canvas.width, drama.canvas.height);
    compositor
        .render(&evaluate(drama, store, fps.frame_start(n)), store)
        .data()
        .to_vec()
}
