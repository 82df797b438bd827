//! Bringing a drama in from outside: a `.zip` holding the manifest and its assets
//! ([`zip`]), and the order to fetch assets in so the first frame shows early
//! ([`plan`]).

pub mod plan;
pub mod zip;

pub use plan::{LoadPlan, ShotAssets, images_at, load_plan, shot_assets};
pub use zip::{Archive, Entry, Limits, ZipError, ZipErrorKind, is_safe_name};
pub mod subtitles;
