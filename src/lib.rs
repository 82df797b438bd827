//! Manju: evaluate a comic drama's timeline and composite its frames.
//!
//! A drama is one JSON manifest (format `manju/1`, see `docs/format.md`) plus the
//! images and audio it names. Loading parses the manifest into a [`Manifest`] with
//! every problem reported by JSON path; once the voice clips' lengths are known,
//! [`resolve`] turns it into a [`Drama`] in which nothing is optional. Rendering is
//! one pure evaluation of the drama at an instant ([`evaluate`]) followed by the
//! [`Compositor`] drawing the resulting display list.
//!
//! ```
//! use manju::{load_manifest, resolve, AssetStore, Compositor, evaluate};
//!
//! let text = r##"{ "format": "manju/1",
//!   "canvas": { "width": 64, "height": 36, "background": "#204080" },
//!   "shots": [ { "duration": 2 } ] }"##;
//! let loaded = load_manifest(text);
//! assert!(loaded.problems.is_empty());
//! let store = AssetStore::default();
//! let drama = resolve(loaded.manifest.unwrap(), &store).drama;
//! let mut compositor = Compositor::new(drama.canvas.width, drama.canvas.height);
//! let frame = compositor.render(&evaluate(&drama, &store, 1_000_000), &store);
//! assert_eq!(&frame.data()[..4], &[0x20, 0x40, 0x80, 0xff]);
//! ```

mod assets;
pub mod audio;
mod compositor;
mod diff;
mod import;
mod model;
#[cfg(not(target_arch = "wasm32"))]
mod open;
mod problem;
#[cfg(all(feature = "serve", not(target_arch = "wasm32")))]
pub mod serve;
mod text;
mod time;
mod timeline;
#[cfg(target_arch = "wasm32")]
mod web;

pub use assets::{AssetError, AssetStore, DecodedImage, content_hash};
pub use compositor::{Compositor, Frame, bench};
pub use diff::{Change, Detail, DiffSummary, DramaDiff, ShotDiff, Span, What, diff};
pub use import::subtitles::{
    Cue, CueLook, CueStyle, ImportedCues, Merged, SubtitleFormat, Syllable, import_subtitle_bytes,
    import_subtitles, merge_into_manifest, merge_into_manifest_with, new_manifest,
};
pub use import::{
    Archive, Entry, Limits, LoadPlan, ShotAssets, ZipError, ZipErrorKind, images_at, is_safe_name,
    load_plan, shot_assets,
};
pub use import::{
    Files as DraftFiles, Folder as DraftFolder, Imported, InMemory as DraftInMemory,
    Kind as DraftKind, Listed as DraftListed, Options as ImportOptions, detect as detect_draft,
    import as import_draft, import_path as import_draft_path, kind_of as draft_kind,
};
pub use model::json;
pub use model::schema::{self, json_schema};
pub use model::{
    Asset, AssetKind, Crop, Drama, FORMAT, Loaded, MAX_SHOTS, Manifest, Resolved, Rgba8, Shot,
    kind_from_extension, load_manifest, parse_media_fragment, reading_time, resolve,
};
#[cfg(not(target_arch = "wasm32"))]
pub use open::{Opened, open};
pub use problem::{Problem, Severity};
pub use text::{
    DEFAULT_FONT_ID, FontBook, LineLook, MAX_FONT_BYTES, Overlay, ResolvedStyle, Speaker,
    TextError, line_problems, render_line, resolve_style, visible_chars,
};
// The manifest types a `LineLook` and a style are made of.
pub use model::{Align, Bubble, BubbleShape, Display, Position, Reveal, TextStyle};
pub use time::{Fps, Micros, from_seconds, to_seconds};
pub use timeline::summary::{AudioCue, AudioKind, TimelineSummary};
pub use timeline::{DisplayList, Item, evaluate, layer_at};
