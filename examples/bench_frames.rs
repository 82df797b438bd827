//! Times the native compositor on the benchmark scenes (`manju::bench`, the frames
//! `npm run bench` times in Chromium) and prints, per scene, the median ms/frame, how it
//! builds up item by item, a hash of two frames (the browser's must be the same), and
//! each row kernel alone over a frame's worth of rows.
//!
//! `cargo run --release --example bench_frames [scene…]`

use manju::bench::{FRAMES, KERNELS, KernelBench, SCENES, Scene};
use manju::{Compositor, DisplayList};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// FNV-1a over the frame's bytes.
fn hash(data: &[u8]) -> u32 {
    data.iter().fold(0x811c_9dc5u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

fn time_frames(c: &mut Compositor, scene: &Scene, lists: &[DisplayList]) -> f64 {
    for list in lists.iter().take(5) {
        c.render(list, &scene.store);
    }
    let mut times = Vec::new();
    for _ in 0..2 {
        for list in lists {
            let t = Instant::now();
            c.render(list, &scene.store);
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    median(times)
}

fn main() {
    let only: Vec<String> = std::env::args().skip(1).collect();
    for name in SCENES {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let scene = Scene::new(name).unwrap();
        let mut c = Compositor::new(scene.width(), scene.height());
        let lists: Vec<DisplayList> = (0..FRAMES).map(|i| scene.list(i)).collect();
        let ms = time_frames(&mut c, &scene, &lists);
        let items = lists[0].items.len();
        let stages: Vec<String> = (0..items)
            .map(|k| {
                let partial: Vec<DisplayList> = lists
                    .iter()
                    .map(|l| DisplayList {
                        background: l.background,
                        items: l.items[..k].to_vec(),
                    })
                    .collect();
                format!("{k} items {:.2} ms", time_frames(&mut c, &scene, &partial))
            })
            .collect();
        let h0 = hash(c.render(&lists[0], &scene.store).data());
        let h30 = hash(c.render(&lists[30], &scene.store).data());
        println!(
            "{name:9} {ms:6.2} ms/frame  ({}, all {items} {ms:.2} ms)  hash {h0:08x} {h30:08x}",
            stages.join(", ")
        );
    }
    let mut k = KernelBench::default();
    let parts: Vec<String> = KERNELS
        .iter()
        .map(|name| {
            k.run(name);
            let times = (0..7)
                .map(|_| {
                    let t = Instant::now();
                    k.run(name);
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            format!("{name} {:.2}", median(times))
        })
        .collect();
    println!("kernels, ms per 1080×1920 pixels: {}", parts.join(", "));
}
