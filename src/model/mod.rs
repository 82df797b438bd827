//! The drama format: reading manifests ([`load_manifest`]) and timing them ([`resolve`]).

mod color;
pub mod json;
mod parse;
mod reader;
mod resolve;
pub mod schema;
mod types;

pub use color::Rgba8;
pub use parse::{
    FORMAT, Loaded, MAX_SHOTS, kind_from_extension, load_manifest, parse_media_fragment,
};
pub use resolve::{Resolved, reading_time, resolve};
pub use types::*;
