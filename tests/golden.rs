//! Golden images: each `tests/golden/<area>/<case>.json` is a manifest whose
//! `meta.at` (seconds, or a list of them) says which frames to render; each frame must
//! equal `<case>.png` (or `<case>.<k>.png` for the k-th instant) pixel for pixel.
//!
//! No tolerance: the compositor works in integers (and libm for the little floating
//! point it needs), so the same input gives the same bits on every platform. A failure
//! writes the actual frame and a diff image (differing pixels in red) under
//! `tests/out/golden/`. `MAKE_REF=1 cargo test golden` rewrites the references.

use crate::util::{load, render, repo};
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = repo().join("tests/golden");
    let mut out = Vec::new();
    for area in std::fs::read_dir(&root).expect("tests/golden") {
        let area = area.unwrap().path();
        if !area.is_dir() || area.ends_with("assets") {
            continue;
        }
        for case in std::fs::read_dir(&area).unwrap() {
            let case = case.unwrap().path();
            if case.extension().is_some_and(|e| e == "json") {
                out.push(case);
            }
        }
    }
    out.sort();
    out
}

fn instants(text: &str) -> Vec<f64> {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    match &v["meta"]["at"] {
        serde_json::Value::Number(n) => vec![n.as_f64().unwrap()],
        serde_json::Value::Array(a) => a.iter().map(|n| n.as_f64().unwrap()).collect(),
        _ => panic!("golden case without meta.at"),
    }
}

/// Compares one frame with its reference; returns a message on mismatch.
fn check(case: &Path, png: &Path, width: u32, height: u32, actual: &[u8]) -> Option<String> {
    let out_dir = repo().join("tests/out/golden");
    let rel = png.strip_prefix(repo().join("tests/golden")).unwrap();
    if std::env::var_os("MAKE_REF").is_some() {
        image::save_buffer(png, actual, width, height, image::ExtendedColorType::Rgba8).unwrap();
        return None;
    }
    let Ok(reference) = image::open(png) else {
        return Some(format!(
            "{}: no reference {} (run with MAKE_REF=1)",
            case.display(),
            png.display()
        ));
    };
    let reference = reference.into_rgba8();
    if reference.dimensions() != (width, height) {
        return Some(format!(
            "{}: reference is {:?}, frame is {width}×{height}",
            rel.display(),
            reference.dimensions()
        ));
    }
    let expected = reference.as_raw();
    let mut diff = vec![0u8; actual.len()];
    let mut differing = 0usize;
    let mut worst = 0u8;
    for (i, (a, e)) in actual
        .chunks_exact(4)
        .zip(expected.chunks_exact(4))
        .enumerate()
    {
        let d = a.iter().zip(e).map(|(x, y)| x.abs_diff(*y)).max().unwrap();
        if d > 0 {
            differing += 1;
            worst = worst.max(d);
            diff[i * 4..i * 4 + 4].copy_from_slice(&[255, 0, 0, 255]);
        } else {
            let g = e[0] / 4 + e[1] / 4 + e[2] / 4;
            diff[i * 4..i * 4 + 4].copy_from_slice(&[g, g, g, 255]);
        }
    }
    if differing == 0 {
        return None;
    }
    let base = out_dir.join(rel);
    std::fs::create_dir_all(base.parent().unwrap()).unwrap();
    let actual_path = base.with_extension("actual.png");
    let diff_path = base.with_extension("diff.png");
    image::save_buffer(
        &actual_path,
        actual,
        width,
        height,
        image::ExtendedColorType::Rgba8,
    )
    .unwrap();
    image::save_buffer(
        &diff_path,
        &diff,
        width,
        height,
        image::ExtendedColorType::Rgba8,
    )
    .unwrap();
    Some(format!(
        "{}: {differing} pixels differ (largest channel difference {worst}); see {} and {}",
        rel.display(),
        actual_path.display(),
        diff_path.display()
    ))
}

#[test]
fn golden_images() {
    let cases = cases();
    assert!(
        cases.len() >= 20,
        "expected the golden cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case).unwrap();
        let (drama, store, problems) = load(&text, case.parent().unwrap());
        let expects_problems =
            serde_json::from_str::<serde_json::Value>(&text).unwrap()["meta"]["problems"].as_bool()
                == Some(true);
        if !expects_problems && !problems.is_empty() {
            failures.push(format!(
                "{}: unexpected problems {problems:?}",
                case.display()
            ));
            continue;
        }
        let at = instants(&text);
        for (k, t) in at.iter().enumerate() {
            let png = if at.len() == 1 {
                case.with_extension("png")
            } else {
                case.with_extension(format!("{k}.png"))
            };
            let frame = render(&drama, &store, *t);
            if let Some(f) = check(case, &png, drama.canvas.width, drama.canvas.height, &frame) {
                failures.push(f);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A thumbnail (the display list scaled down) shows the same picture as the full frame
/// shrunk. The two are filtered differently — the thumbnail samples the image's mipmaps
/// trilinearly (a footprint of about 3 texels, blurring 1-pixel grid lines over 2–3
/// thumbnail pixels), the reference box-averages 4×4 pixels of a bilinear magnification
/// — so the test allows a mean difference of 8 levels per channel and 64 at worst; a
/// thumbnail drawn 8 % too large already differs by over 30 on average.
#[test]
fn thumbnails_match_the_full_frame_shrunk() {
    let case = repo().join("tests/golden/layers/cover.json");
    let (drama, store, _) = load(
        &std::fs::read_to_string(&case).unwrap(),
        case.parent().unwrap(),
    );
    let full = render(&drama, &store, 0.0);
    let (w, h) = (drama.canvas.width as usize, drama.canvas.height as usize);
    let list = manju::evaluate(&drama, &store, 0).scaled(0.25);
    let mut small = manju::Compositor::new((w / 4) as u32, (h / 4) as u32);
    let thumb = small.render(&list, &store).data().to_vec();
    let (mut total, mut worst) = (0u64, 0u8);
    for ty in 0..h / 4 {
        for tx in 0..w / 4 {
            for c in 0..3 {
                let mut sum = 0u32;
                for y in 0..4 {
                    for x in 0..4 {
                        sum += u32::from(full[((ty * 4 + y) * w + tx * 4 + x) * 4 + c]);
                    }
                }
                let d = ((sum / 16) as u8).abs_diff(thumb[(ty * (w / 4) + tx) * 4 + c]);
                total += u64::from(d);
                worst = worst.max(d);
            }
        }
    }
    let mean = total as f64 / (w / 4 * h / 4 * 3) as f64;
    assert!(
        mean < 8.0 && worst <= 64,
        "mean difference {mean:.2}, worst {worst}"
    );
}
