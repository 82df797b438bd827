//! The zip reader with its limits: any bytes are refused with a reason or listed, and
//! every listed entry reads or is refused, never a panic or a runaway allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut archive) = manju::Archive::open(data.to_vec()) {
        let names: Vec<String> = archive.entries().iter().map(|e| e.name.clone()).collect();
        for name in names {
            let _ = archive.read(&name);
        }
    }
});
