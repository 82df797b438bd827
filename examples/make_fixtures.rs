//! Writes the small images the golden-image tests draw (`tests/golden/assets/`).
//! Run `cargo run --example make_fixtures`; the output is committed, and rerunning it
//! gives the same bytes.

use image::{Rgba, RgbaImage};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/assets");
    std::fs::create_dir_all(&dir).expect("create tests/golden/assets");
    grid().save(dir.join("grid.png")).expect("write grid.png");
    sprite()
        .save(dir.join("sprite.png"))
        .expect("write sprite.png");
    page().save(dir.join("page.png")).expect("write page.png");
    println!("wrote grid.png, sprite.png, page.png to {}", dir.display());
}

/// 320×240: four coloured quadrants shaded left to right, a grid line every 20 px and a
/// ring in the middle — any misplacement, flip or blur shows.
fn grid() -> RgbaImage {
    RgbaImage::from_fn(320, 240, |x, y| {
        let shade = (x * 255 / 319) as u8;
        let base = match (x < 160, y < 120) {
            (true, true) => [220, 60, 60],
            (false, true) => [60, 180, 80],
            (true, false) => [60, 90, 220],
            (false, false) => [230, 200, 40],
        };
        let mut c = [
            base[0] / 2 + shade / 2,
            base[1],
            base[2] / 2 + (255 - shade) / 2,
        ];
        if x % 20 == 0 || y % 20 == 0 {
            c = [20, 20, 20];
        }
        let (dx, dy) = (x as f64 - 159.5, y as f64 - 119.5);
        let r = (dx * dx + dy * dy).sqrt();
        if (r - 60.0).abs() < 4.0 {
            c = [255, 255, 255];
        }
        Rgba([c[0], c[1], c[2], 255])
    })
}

/// 120×160 with soft alpha: a round head over a body, on transparency.
fn sprite() -> RgbaImage {
    RgbaImage::from_fn(120, 160, |x, y| {
        let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
        let head = 32.0 - ((px - 60.0).powi(2) + (py - 50.0).powi(2)).sqrt();
        let body = {
            let half_width = 18.0 + (py - 80.0).max(0.0) * 0.45;
            (half_width - (px - 60.0).abs())
                .min(py - 80.0)
                .min(158.0 - py)
        };
        let coverage = head.max(body).clamp(0.0, 1.0);
        let a = (coverage * 255.0).round() as u8;
        if head > body {
            Rgba([250, 214, 180, a])
        } else {
            Rgba([40, 50, 120, a])
        }
    })
}

/// 180×640: a comic page with three bordered panels of different colours on white.
fn page() -> RgbaImage {
    let panels = [
        (10, 10, 160, 200, [200, 230, 255]),
        (10, 220, 75, 200, [255, 220, 200]),
        (95, 220, 75, 200, [220, 255, 210]),
        (10, 430, 160, 200, [240, 230, 255]),
    ];
    RgbaImage::from_fn(180, 640, |x, y| {
        for &(px, py, w, h, c) in &panels {
            if x >= px && x < px + w && y >= py && y < py + h {
                let edge = x < px + 3 || y < py + 3 || x >= px + w - 3 || y >= py + h - 3;
                if edge {
                    return Rgba([10, 10, 10, 255]);
                }
                let stripe = ((x + y) / 8) % 2 == 0;
                let k = if stripe { 0 } else { 25 };
                return Rgba([c[0] - k, c[1] - k, c[2] - k, 255]);
            }
        }
        Rgba([255, 255, 255, 255])
    })
}
