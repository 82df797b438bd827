//! The subtitle readers: the first byte picks SRT, WebVTT, ASS or SSA (by the file name,
//! as the importer does); the rest is the file, in any encoding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = ["cues.srt", "cues.vtt", "cues.ass", "cues.ssa"][usize::from(pick % 4)];
    if let Ok(cues) = manju::import_subtitle_bytes(bytes, name) {
        let _ = manju::new_manifest(&cues);
    }
});
