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

/// Runs the `manju` binary; its exit code and what it said (stdout, then stderr).
pub fn run_manju(args: &[&str]) -> (Option<i32>, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_manju"))
        .args(args)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code(), said)
}

/// Writes 0.8 s of a 440 Hz tone, 16-bit mono at 48 kHz, as a WAV file at `path`.
pub fn write_tone_wav(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let rate = 48_000u32;
    let samples: Vec<i16> = (0..rate * 8 / 10)
        .map(|n| {
            ((n as f64 * 440.0 * std::f64::consts::TAU / f64::from(rate)).sin() * 8000.0) as i16
        })
        .collect();
    let data_len = samples.len() as u32 * 2;
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(rate * 2).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        b.extend_from_slice(&s.to_le_bytes());
    }
    std::fs::write(path, b).unwrap();
}
