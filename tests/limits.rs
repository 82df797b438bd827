//! Limits before work: a long episode is checked holding one picture at a time, measured
//! as the `manju check` process's peak resident memory (the kernel's own account of it,
//! VmHWM, which the process reports when asked).

use crate::util::repo;
use std::path::Path;
use std::process::Command;

/// The peak resident memory of `command` (a `manju` command), in bytes, and whether it
/// succeeded: the kernel's VmHWM of the process, which it reports when asked. (wait4's
/// `ru_maxrss` would count the pages of this test binary the child was forked from — as
/// large as the other tests running beside it happen to make it.)
fn peak_memory(command: &mut Command) -> (u64, bool) {
    let out = command
        .env("MANJU_REPORT_PEAK_MEMORY", "1")
        .stdout(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kb: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("manju: peak memory "))
        .and_then(|v| v.trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("manju did not report its peak memory: {stderr}"));
    (kb * 1024, out.status.success())
}

/// An episode of `shots` shots, each with its own 1080×1920 JPEG file and asset (the
/// same picture in each file: every asset is decoded on its own all the same).
fn episode(dir: &Path, shots: usize) {
    let (w, h) = (1080usize, 1920usize);
    let pixels: Vec<u8> = (0..w * h)
        .flat_map(|p| [90, (p / w % 256) as u8, (p % w % 256) as u8])
        .collect();
    let first = dir.join("s0.jpg");
    image::save_buffer(
        &first,
        &pixels,
        w as u32,
        h as u32,
        image::ExtendedColorType::Rgb8,
    )
    .unwrap();
    let mut assets = serde_json::Map::new();
    let mut list = Vec::new();
    for i in 0..shots {
        let file = format!("s{i}.jpg");
        if i > 0 {
            std::fs::copy(&first, dir.join(&file)).unwrap();
        }
        assets.insert(format!("s{i}"), file.into());
        list.push(serde_json::json!({
            "id": format!("shot-{i}"),
            "duration": 2,
            "layers": [{ "image": format!("s{i}") }],
        }));
    }
    let manifest = serde_json::json!({
        "format": "manju/1",
        "canvas": { "width": 1080, "height": 1920, "fps": 24 },
        "assets": assets,
        "shots": list,
    });
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
}

#[test]
fn checking_a_200_shot_episode_holds_one_picture_at_a_time() {
    let dir = std::env::temp_dir().join(format!("manju-limits-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    episode(&dir, 200);
    let manifest = dir.join("manifest.json");
    let cli = env!("CARGO_BIN_EXE_manju");
    // Every picture decoded and held would be 200 × 1080 × 1920 × 4 bytes with its
    // mipmaps: 2.2 GB. One at a time, with its decoder's buffers, is a few tens of MB.
    const TARGET: u64 = 200 << 20;
    for command in ["check", "timeline"] {
        let (peak, ok) = peak_memory(
            Command::new(cli)
                .arg(command)
                .arg(&manifest)
                .current_dir(repo()),
        );
        assert!(ok, "manju {command} failed on the generated episode");
        assert!(
            peak <= TARGET,
            "manju {command} peaked at {} MB (at most {} MB)",
            peak >> 20,
            TARGET >> 20
        );
        println!(
            "manju {command}, 200 shots of 1080×1920: peak {} MB",
            peak >> 20
        );
    }
    // A render holds what the frame draws: a crossing of two shots at most.
    let png = dir.join("frame.png");
    let (peak, ok) = peak_memory(
        Command::new(cli)
            .args(["render"])
            .arg(&manifest)
            .args(["--at", "301"])
            .arg("-o")
            .arg(&png),
    );
    assert!(ok && png.exists(), "manju render failed");
    assert!(peak <= TARGET, "manju render peaked at {} MB", peak >> 20);
    std::fs::remove_dir_all(&dir).unwrap();
}
