//! Times the native compositor on every third frame of a drama (default: the demo) and
//! prints the median, 90th percentile and slowest frames. A quick look while working on
//! the compositor; `npm run bench` is the measurement against the browser.
//!
//! `cargo run --release --example render_timing [manifest.json]`

use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "www/demo/manifest.json".into());
    let mut opened = match manju::open(std::path::Path::new(&path)) {
        Ok(o) => o,
        Err(problems) => {
            for p in problems {
                eprintln!("{p}");
            }
            std::process::exit(1);
        }
    };
    let fps = opened.drama.canvas.fps;
    let (width, height) = (opened.drama.canvas.width, opened.drama.canvas.height);
    let mut compositor = manju::Compositor::new(width, height);
    let mut times = Vec::new();
    for n in (0..fps.frame_count(opened.drama.duration)).step_by(3) {
        // Each frame's images decoded before the clock starts: this times compositing.
        opened.decode_images_at(fps.frame_start(n));
        let start = Instant::now();
        let list = manju::evaluate(&opened.drama, &opened.store, fps.frame_start(n));
        compositor.render(&list, &opened.store);
        times.push((start.elapsed().as_secs_f64() * 1000.0, n));
    }
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].0;
    let worst: Vec<String> = times
        .iter()
        .rev()
        .take(5)
        .map(|t| t.1.to_string())
        .collect();
    println!(
        "{} frames of {}×{}: median {:.1} ms, p90 {:.1} ms, max {:.1} ms (slowest: frames {})",
        times.len(),
        width,
        height,
        at(0.5),
        at(0.9),
        at(1.0),
        worst.join(", ")
    );
}
