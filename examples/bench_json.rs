//! Reading manifests: Manju's JSON reader (which keeps a line and column for every value)
//! against `serde_json::Value` on the same text, minified and pretty-printed, and the
//! whole manifest read (`load_manifest`: JSON, then every field checked) of the largest
//! manifest accepted. Prints MB/s and
//! the ratio to serde_json; best of several rounds. A benchmark, not a test.
//!
//! `cargo run --release --example bench_json [megabytes]` (default 15: the demo's shots
//! repeated until the minified manifest is that large)

use std::time::Instant;

fn main() {
    let megabytes: f64 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("a size in megabytes"))
        .unwrap_or(15.0);
    let demo = std::fs::read_to_string("www/demo/manifest.json").expect("www/demo/manifest.json");
    let demo: serde_json::Value = serde_json::from_str(&demo).unwrap();
    let shots = demo["shots"].as_array().unwrap().clone();
    let one: usize = shots.iter().map(|s| s.to_string().len() + 1).sum::<usize>() / shots.len();
    // The demo's shots repeated `count` times, each with its own id.
    let manifest = |count: usize| {
        let mut m = demo.clone();
        m["shots"] = (0..count)
            .map(|i| {
                let mut shot = shots[i % shots.len()].clone();
                shot["id"] = format!("shot-{i}").into();
                shot
            })
            .collect::<Vec<_>>()
            .into();
        m
    };

    println!(
        "{:<34} {:>6} {:>11} {:>16} {:>7}",
        "text", "MB", "Manju MB/s", "serde_json MB/s", "ratio"
    );
    let large = (megabytes * 1e6 / one as f64) as usize;
    // The same content pretty-printed is about twice as long: half as many shots, so that
    // it stays under the reader's 16 MB cap.
    let half = manifest(large / 2);
    let cases = [
        (
            format!("{large} shots, minified"),
            serde_json::to_string(&manifest(large)).unwrap(),
        ),
        (
            format!("{} shots, minified", large / 2),
            serde_json::to_string(&half).unwrap(),
        ),
        (
            format!("{} shots, pretty-printed", large / 2),
            serde_json::to_string_pretty(&half).unwrap(),
        ),
    ];
    for (name, text) in &cases {
        let mb = text.len() as f64 / 1e6;
        let ours = best(|| drop(manju::json::parse(text).expect("valid JSON")));
        let serde = best(|| drop(serde_json::from_str::<serde_json::Value>(text).unwrap()));
        println!(
            "{name:<34} {mb:>6.1} {:>11.0} {:>16.0} {:>6.2}×",
            mb / ours,
            mb / serde,
            ours / serde
        );
    }

    // The whole read (JSON, then every field checked) of the largest manifest accepted.
    let text = serde_json::to_string(&manifest(manju::MAX_SHOTS)).unwrap();
    let mb = text.len() as f64 / 1e6;
    let load = best(|| {
        let loaded = manju::load_manifest(&text);
        assert!(loaded.manifest.is_some(), "{:?}", loaded.problems.first());
    });
    println!(
        "load_manifest, {} shots minified ({mb:.1} MB): {:.0} MB/s, {:.0} ms",
        manju::MAX_SHOTS,
        mb / load,
        load * 1000.0
    );
}

/// The fastest of five runs, in seconds.
fn best(mut run: impl FnMut()) -> f64 {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}
