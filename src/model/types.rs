//! The drama as the engine sees it. [`Manifest`] is what the manifest says, checked and
//! typed but not yet timed (voice clip lengths are still unknown); [`Drama`] is the
//! resolved form with every default filled in and every time computed.

use super::color::Rgba8;
use super::json::Pos;
use crate::time::{Fps, Micros};
use crate::timeline::easing::Ease;

#[derive(Clone, Debug, PartialEq)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    pub fps: Fps,
    pub background: Rgba8,
}

impl Default for Canvas {
    fn default() -> Canvas {
        Canvas {
            width: 1080,
            height: 1920,
            fps: Fps { num: 30, den: 1 },
            background: Rgba8::BLACK,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetKind {
    Image,
    Audio,
    Font,
}

/// One entry of `assets`.
#[derive(Clone, Debug, PartialEq)]
pub struct Asset {
    pub id: String,
    /// Path relative to the manifest, or an absolute URL.
    pub src: String,
    pub kind: AssetKind,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Character {
    pub id: String,
    pub name: String,
    pub color: Option<Rgba8>,
}

/// `timing`: the defaults of voice-driven timing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    pub lead: Micros,
    pub gap: Micros,
    pub tail: Micros,
    pub min_shot: Micros,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            lead: 300_000,
            gap: 250_000,
            tail: 500_000,
            min_shot: 2_000_000,
        }
    }
}

/// A value that may change over a shot: keyframes sorted by time. Before the first it
/// holds the first value, after the last the last; each keyframe's ease shapes the
/// interval to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    pub keys: Vec<Key>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Key {
    pub at: Micros,
    pub value: f64,
    pub ease: Ease,
}

impl Track {
    pub fn constant(value: f64) -> Track {
        Track {
            keys: vec![Key {
                at: 0,
                value,
                ease: Ease::Linear,
            }],
        }
    }

    pub fn value_at(&self, t: Micros) -> f64 {
        let keys = &self.keys;
        let Some(first) = keys.first() else {
            return 0.0;
        };
        if t <= first.at {
            return first.value;
        }
        // The last key at or before t.
        let i = keys.partition_point(|k| k.at <= t) - 1;
        let Some(next) = keys.get(i + 1) else {
            return keys[i].value;
        };
        let k = keys[i];
        let x = (t - k.at) as f64 / (next.at - k.at) as f64;
        k.value + (next.value - k.value) * k.ease.apply(x)
    }

    pub fn is_constant(&self) -> bool {
        self.keys.windows(2).all(|w| w[0].value == w[1].value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    Cover,
    Contain,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blend {
    Normal,
    Multiply,
    Screen,
    Add,
}

/// `crop`: a rectangle of the source image.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Crop {
    /// `[x, y, w, h]` or `"xywh=x,y,w,h"`, in source pixels.
    Pixels([f64; 4]),
    /// `"xywh=percent:x,y,w,h"`, in percent of the source's size.
    Percent([f64; 4]),
}

impl Crop {
    /// The crop in source pixels for an image of `size`, clipped to the image.
    /// `None` when nothing of the image is left.
    pub fn in_pixels(crop: Option<Crop>, size: (u32, u32)) -> Option<[f64; 4]> {
        let (iw, ih) = (f64::from(size.0), f64::from(size.1));
        let [x, y, w, h] = match crop {
            None => [0.0, 0.0, iw, ih],
            Some(Crop::Pixels(r)) => r,
            Some(Crop::Percent([x, y, w, h])) => [
                x * iw / 100.0,
                y * ih / 100.0,
                w * iw / 100.0,
                h * ih / 100.0,
            ],
        };
        let x0 = x.clamp(0.0, iw);
        let y0 = y.clamp(0.0, ih);
        let x1 = (x + w).clamp(0.0, iw);
        let y1 = (y + h).clamp(0.0, ih);
        (x1 - x0 >= 1.0 && y1 - y0 >= 1.0).then_some([x0, y0, x1 - x0, y1 - y0])
    }
}

/// One picture layer of a shot.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// Asset id of the image.
    pub image: String,
    pub fit: Fit,
    pub crop: Option<Crop>,
    pub x: Track,
    pub y: Track,
    pub anchor: [f64; 2],
    pub scale: Track,
    pub rotation: Track,
    pub opacity: Track,
    pub parallax: f64,
    pub blend: Blend,
    /// The layer's JSON path, for problems found while drawing.
    pub path: String,
}

/// The camera's state: the stage point at the centre of the screen, zoom and rotation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CameraState {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
    pub rotation: f64,
}

/// A camera state as written: any field may be missing (`frame` sets x, y and zoom).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct CameraPartial {
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub zoom: Option<f64>,
    pub rotation: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    ZoomIn,
    ZoomOut,
    PanLeft,
    PanRight,
    PanUp,
    PanDown,
}

/// The camera as written, before the shot's duration is known.
#[derive(Clone, Debug, PartialEq)]
pub enum CameraSpec {
    Still(CameraPartial),
    FromTo {
        from: CameraPartial,
        to: CameraPartial,
        ease: Ease,
    },
    Keyframes(Vec<(Micros, CameraPartial, Ease)>),
    Preset {
        preset: Preset,
        amount: f64,
    },
}

/// The camera of a resolved shot: one track per component.
#[derive(Clone, Debug, PartialEq)]
pub struct Camera {
    pub x: Track,
    pub y: Track,
    pub zoom: Track,
    pub rotation: Track,
}

impl Camera {
    pub fn state_at(&self, t: Micros) -> CameraState {
        CameraState {
            x: self.x.value_at(t),
            y: self.y.value_at(t),
            zoom: self.zoom.value_at(t),
            rotation: self.rotation.value_at(t),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Left,
    Right,
    Up,
    Down,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransitionKind {
    Cut,
    Crossfade,
    FadeBlack,
    FadeWhite,
    Slide(Direction),
    Push(Direction),
    Wipe(Direction),
    Zoom,
    Move,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transition {
    pub kind: TransitionKind,
    pub duration: Micros,
    pub ease: Ease,
}

impl Transition {
    pub const CUT: Transition = Transition {
        kind: TransitionKind::Cut,
        duration: 0,
        ease: Ease::Linear,
    };
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Shake {
        at: Micros,
        duration: Micros,
        amplitude: f64,
        frequency: f64,
    },
    Flash {
        at: Micros,
        duration: Micros,
        color: Rgba8,
        opacity: f64,
    },
    /// `duration: None` lasts the whole shot.
    Tint {
        at: Micros,
        duration: Option<Micros>,
        color: Rgba8,
        opacity: f64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Display {
    Subtitle,
    Bubble,
    Caption,
    Sfx,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BubbleShape {
    Speech,
    Shout,
    Thought,
    Whisper,
    Box,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bubble {
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub width: Option<f64>,
    pub tail: Option<[f64; 2]>,
    pub shape: BubbleShape,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reveal {
    Instant,
    Typewriter,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Top,
    Center,
    Bottom,
}

/// A text style as written; `None` fields fall back to the built-in style.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TextStyle {
    pub font: Option<String>,
    pub size: Option<f64>,
    pub color: Option<Rgba8>,
    pub stroke: Option<Option<Rgba8>>,
    pub stroke_width: Option<f64>,
    pub background: Option<Option<Rgba8>>,
    pub padding: Option<f64>,
    pub align: Option<Align>,
    pub line_height: Option<f64>,
    pub max_width: Option<f64>,
    pub position: Option<Position>,
    pub margin: Option<f64>,
    pub speaker_label: Option<bool>,
    pub fill: Option<Rgba8>,
    pub border: Option<Rgba8>,
    pub border_width: Option<f64>,
    pub rotation: Option<f64>,
    pub cps: Option<f64>,
}

/// A line as written.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSpec {
    pub speaker: Option<String>,
    pub text: String,
    pub voice: Option<String>,
    pub at: Option<Micros>,
    /// `None` is `"auto"`.
    pub duration: Option<Micros>,
    pub display: Display,
    pub bubble: Option<Bubble>,
    pub style: Option<String>,
    pub reveal: Reveal,
    pub volume: f64,
    pub path: String,
    pub pos: Pos,
}

/// A resolved line: when it shows, and its voice.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub speaker: Option<String>,
    pub text: String,
    /// The voice clip's asset id, when it has one that can play.
    pub voice: Option<String>,
    /// Start, relative to the shot.
    pub at: Micros,
    pub duration: Micros,
    pub display: Display,
    pub bubble: Option<Bubble>,
    pub style: Option<String>,
    pub reveal: Reveal,
    pub volume: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sfx {
    pub audio: String,
    pub at: Micros,
    pub volume: f64,
}

/// A shot as written.
#[derive(Clone, Debug, PartialEq)]
pub struct ShotSpec {
    pub id: String,
    /// `None` is `"auto"`.
    pub duration: Option<Micros>,
    pub layers: Vec<Layer>,
    pub camera: CameraSpec,
    pub transition: Option<Transition>,
    pub lines: Vec<LineSpec>,
    pub sfx: Vec<Sfx>,
    pub effects: Vec<Effect>,
    pub notes: String,
    pub path: String,
    pub pos: Pos,
}

/// A resolved shot, placed on the episode timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Shot {
    pub id: String,
    pub start: Micros,
    pub duration: Micros,
    pub layers: Vec<Layer>,
    pub camera: Camera,
    /// The transition from the previous shot into this one (a cut for the first shot).
    pub transition: Transition,
    pub lines: Vec<Line>,
    pub sfx: Vec<Sfx>,
    pub effects: Vec<Effect>,
    pub notes: String,
}

impl Shot {
    pub fn end(&self) -> Micros {
        self.start + self.duration
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MusicSpec {
    pub audio: String,
    pub at: Micros,
    /// `None` is `"end"`.
    pub until: Option<Micros>,
    pub volume: f64,
    pub fade_in: Micros,
    pub fade_out: Micros,
    pub looped: bool,
    pub duck: f64,
    pub path: String,
    pub pos: Pos,
}

/// `intro` / `outro`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    /// The colour faded from (intro) or to (outro).
    pub color: Rgba8,
    pub duration: Micros,
}

/// A checked manifest, not yet timed.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub title: String,
    pub version: String,
    pub canvas: Canvas,
    pub assets: Vec<Asset>,
    pub characters: Vec<Character>,
    pub styles: Vec<(String, TextStyle)>,
    pub timing: Timing,
    pub shots: Vec<ShotSpec>,
    pub music: Vec<MusicSpec>,
    pub intro: Option<Edge>,
    pub outro: Option<Edge>,
}

impl Manifest {
    pub fn asset(&self, id: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.id == id)
    }
}

/// A resolved music cue on the episode timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Music {
    pub audio: String,
    pub start: Micros,
    pub end: Micros,
    pub volume: f64,
    pub fade_in: Micros,
    pub fade_out: Micros,
    pub looped: bool,
    pub duck: f64,
}

/// A drama ready to play: every default filled in, every time computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Drama {
    pub title: String,
    pub version: String,
    pub canvas: Canvas,
    pub assets: Vec<Asset>,
    pub characters: Vec<Character>,
    pub styles: Vec<(String, TextStyle)>,
    pub timing: Timing,
    pub shots: Vec<Shot>,
    pub music: Vec<Music>,
    pub intro: Option<Edge>,
    pub outro: Option<Edge>,
    pub duration: Micros,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn track_holds_ends_and_eases_intervals() {
        let track = Track {
            keys: vec![
                Key {
                    at: 1_000_000,
                    value: 0.0,
                    ease: Ease::Linear,
                },
                Key {
                    at: 2_000_000,
                    value: 10.0,
                    ease: Ease::StepEnd,
                },
                Key {
                    at: 3_000_000,
                    value: 20.0,
                    ease: Ease::Linear,
                },
            ],
        };
        assert_eq!(track.value_at(-5), 0.0);
        assert_eq!(track.value_at(1_500_000), 5.0);
        assert_eq!(track.value_at(2_000_000), 10.0);
        assert_eq!(track.value_at(2_999_999), 10.0);
        assert_eq!(track.value_at(3_000_000), 20.0);
        assert_eq!(track.value_at(9_000_000), 20.0);
    }

    #[test]
    fn crops_resolve_against_the_image() {
        assert_eq!(
            Crop::in_pixels(None, (100, 50)),
            Some([0.0, 0.0, 100.0, 50.0])
        );
        assert_eq!(
            Crop::in_pixels(Some(Crop::Percent([10.0, 20.0, 50.0, 50.0])), (200, 100)),
            Some([20.0, 20.0, 100.0, 50.0])
        );
        assert_eq!(
            Crop::in_pixels(Some(Crop::Pixels([90.0, 0.0, 50.0, 10.0])), (100, 50)),
            Some([90.0, 0.0, 10.0, 10.0])
        );
        assert_eq!(
            Crop::in_pixels(Some(Crop::Pixels([200.0, 0.0, 50.0, 10.0])), (100, 50)),
            None
        );
    }
}
