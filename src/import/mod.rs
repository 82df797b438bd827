//! Bringing a drama in from outside: a `.zip` holding the manifest and its assets
//! ([`zip`]), drafts from other tools turned into a manifest ([`import`]: Readium
//! Divina, OpenTimelineIO), subtitles ([`subtitles`]), and the order to fetch assets in so the first
//! frame shows early ([`plan`]).

mod csv;
pub mod divina;
pub mod jianying;
pub mod media;
pub mod otio;
pub mod plan;
mod source;
pub mod storyboard;
pub mod zip;

pub use source::{
    Files, Folder, Imported, InMemory, Kind, Listed, Options, detect, import, import_path, kind_of,
};

pub use plan::{LoadPlan, ShotAssets, images_at, load_plan, shot_assets};
pub use zip::{Archive, Entry, Limits, ZipError, ZipErrorKind, is_safe_name};
pub mod subtitles;
