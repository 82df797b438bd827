//! The draft importers: the first byte picks what the rest is — 0 a Divina `manifest.json`,
//! 1 its `guided.json` (beside a fixed manifest), 2 a storyboard CSV, 3 an OpenTimelineIO
//! timeline, 4 a Jianying `draft_content.json` — in a draft with a
//! few page images and clips. An import never panics, and what it writes is a manifest
//! the reader takes without an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use manju::{DraftInMemory, ImportOptions, import_draft, load_manifest};

const MANIFEST: &str = r#"{"@context": "http://readium.org/webpub-manifest/context.jsonld",
 "metadata": {"title": "F", "conformsTo": "https://readium.org/webpub-manifest/profiles/divina"},
 "links": [{"rel": "related", "href": "guided.json", "type": "application/guided-navigation+json"}],
 "readingOrder": [{"href": "p1.png", "width": 100, "height": 150}, {"href": "p2.png"}]}"#;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let files = DraftInMemory::default()
        .with("p1.png", b"\x89PNG".to_vec())
        .with("p2.png", b"junk".to_vec())
        .with("a/v1.mp3", b"ID3".to_vec());
    let files = match pick % 5 {
        0 => files.with("manifest.json", bytes.to_vec()),
        3 => files.with("cut.otio", bytes.to_vec()),
        4 => files.with("draft_content.json", bytes.to_vec()),
        1 => files
            .with("manifest.json", MANIFEST)
            .with("guided.json", bytes.to_vec()),
        _ => files.with("board.csv", bytes.to_vec()),
    };
    if let Ok(imported) = import_draft(
        &files,
        None,
        &ImportOptions {
            descriptions: pick & 8 != 0,
        },
    ) {
        let loaded = load_manifest(&imported.manifest_text());
        assert!(
            !loaded.has_errors(),
            "an import wrote a manifest with errors: {:#?}\n{}",
            loaded.problems,
            imported.manifest_text()
        );
    }
});
