//! Audio: the length of a clip, read from its bytes (for `auto` timing), and the gain
//! envelopes the page schedules (music fades and ducking under voices).
//!
//! Nothing here plays sound: the page does, with Web Audio, from the timeline.

pub mod mix;
pub mod probe;

pub use mix::{GainPoint, MusicParams, music_gain};
pub use probe::{AudioError, AudioErrorKind, MAX_CLIP_BYTES, MAX_CLIP_LENGTH, clip_length};
