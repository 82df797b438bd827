//! The drama format: reading manifests ([`load_manifest`]) and timing them ([`resolve`]).

mod color;
pub mod json;
mod parse;
mod reader;
mod resolve;
mod types;

pub use color::Rgba8;
pub use parse::{kind_from_extension, load_manifest, parse_media_fragment, Loaded, FORMAT};
pub use resolve::{reading_time, resolve, Resolved};
pub use types::*;
