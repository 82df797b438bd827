//! The manifest reader, then timing: any text is read into problems, never a panic, and
//! a manifest that reads is resolved.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let loaded = manju::load_manifest(text);
    if let Some(manifest) = loaded.manifest {
        let resolved = manju::resolve(manifest, &manju::AssetStore::default());
        let _ = manju::TimelineSummary::new(&resolved.drama, &manju::AssetStore::default());
    }
});
