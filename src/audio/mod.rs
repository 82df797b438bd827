//! Audio: the length of a clip, read from its bytes (for `auto` timing), and the gain
//! envelopes the page schedules (music fades and ducking under voices).
//!
//! Nothing here plays sound: the page does, with Web Audio, from the timeline.

pub mod mix;
pub mod probe;

pub use mix::{music_gain, GainPoint, MusicParams};
pub use probe::{clip_length, AudioError, AudioErrorKind, MAX_CLIP_BYTES, MAX_CLIP_LENGTH};
