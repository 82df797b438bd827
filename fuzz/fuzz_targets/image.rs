//! The image reader: its header is checked against the caps before any pixel is decoded;
//! any bytes decode, or are refused with a reason.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut store = manju::AssetStore::default();
    let _ = store.add("a", manju::AssetKind::Image, "a.png", data);
});
