//! Problems in manifests: every one reported, each with its JSON path and position.
use manju::{Severity, load_manifest};

fn problems(text: &str) -> Vec<(Severity, String, String, Option<u32>, Option<u32>)> {
    load_manifest(text)
        .problems
        .into_iter()
        .map(|p| (p.severity, p.path, p.message, p.line, p.column))
        .collect()
}
