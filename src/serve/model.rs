//! What reviewers send and get back, and the checks on what they send. Every error names
//! the field at fault by its JSON path (`anchor.frame`, `drawing.shapes[3].points[12]`).

use super::error::{ApiError, ApiResult};
use crate::Fps;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const MAX_BODY_CHARS: usize = 10_000;
pub const MAX_SHAPES: usize = 200;
pub const MAX_POINTS: usize = 5_000;
pub const MAX_TAGS: usize = 16;
pub const MAX_TAG_CHARS: usize = 32;
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_NOTE_CHARS: usize = 2_000;
pub const MAX_SHAPE_TEXT_CHARS: usize = 500;
/// The tags every studio uses; any other tag (letters, digits, `-`, `_`) is allowed too.
pub const KNOWN_TAGS: &[&str] = &["timing", "text", "art", "audio", "regenerate"];

/// Reads a request body as `T`, naming the JSON path of the first thing wrong with it.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = if path == "." {
            "body".to_string()
        } else {
            path
        };
        ApiError::bad(
            &field,
            format!("{inner}").replace(" at line 1 column", " at column"),
        )
    })?;
    de.end()
        .map_err(|e| ApiError::bad("body", format!("{e}")))?;
    Ok(value)
}

// ----- the version's outline: what anchors are checked against ---------------------------

/// A version as review needs it: its frames, its shots and their lines, computed from
/// the drama once when the version is registered.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Outline {
    pub title: String,
    pub version: String,
    pub width: u32,
    pub height: u32,
    /// The frame rate as `[numerator, denominator]` (30000/1001 for 29.97).
    pub fps: [u32; 2],
    pub frames: i64,
    pub duration: f64,
    pub shots: Vec<ShotOutline>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ShotOutline {
    pub id: String,
    /// The first frame that shows the shot, and the first after it.
    pub first_frame: i64,
    pub end_frame: i64,
    pub start: f64,
    pub end: f64,
    pub layers: usize,
    pub lines: Vec<LineOutline>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LineOutline {
    pub text: String,
    pub speaker: Option<String>,
    pub first_frame: i64,
    pub end_frame: i64,
}

impl Outline {
    pub fn from_drama(drama: &crate::Drama) -> Outline {
        let fps = drama.canvas.fps;
        let first = |t: crate::Micros| fps.first_frame_from(t);
        Outline {
            title: drama.title.clone(),
            version: drama.version.clone(),
            width: drama.canvas.width,
            height: drama.canvas.height,
            fps: [fps.num, fps.den],
            frames: fps.frame_count(drama.duration),
            duration: crate::to_seconds(drama.duration),
            shots: drama
                .shots
                .iter()
                .map(|s| ShotOutline {
                    id: s.id.clone(),
                    first_frame: first(s.start),
                    end_frame: first(s.end()),
                    start: crate::to_seconds(s.start),
                    end: crate::to_seconds(s.end()),
                    layers: s.layers.len(),
                    lines: s
                        .lines
                        .iter()
                        .map(|l| LineOutline {
                            text: l.text.clone(),
                            speaker: l.speaker.clone(),
                            first_frame: first(s.start + l.at),
                            end_frame: first(s.start + l.at + l.duration),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    pub fn fps(&self) -> Fps {
        Fps {
            num: self.fps[0],
            den: self.fps[1],
        }
    }

    pub fn shot(&self, id: &str) -> Option<&ShotOutline> {
        self.shots.iter().find(|s| s.id == id)
    }

    /// The shot on screen at frame `n` (in a transition, the incoming one).
    pub fn shot_at(&self, n: i64) -> Option<&ShotOutline> {
        self.shots
            .iter()
            .rev()
            .find(|s| s.first_frame <= n && n < s.end_frame.max(s.first_frame + 1))
            .or_else(|| self.shots.last())
    }

    /// `HH:MM:SS:FF` for frame `n` (non-drop-frame at the nominal rate, as the CSV and
    /// the EDL give it): the core's count, the one the player's readout shows.
    pub fn timecode(&self, n: i64) -> String {
        Fps {
            num: self.fps[0],
            den: self.fps[1],
        }
        .timecode(n)
    }
}

// ----- comments --------------------------------------------------------------------------

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnchorIn {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<i64>,
    /// A half-open range of frames: `[first, end)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[i64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shot: Option<String>,
    /// Seconds from the shot's start (carried to the next version with the shot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shot_time: Option<f64>,
    /// A line of the shot, by its index in the shot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// A layer of the shot, by its index in the shot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
}

/// A checked anchor, every field known.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Anchor {
    pub frame: i64,
    /// The first frame after the anchor (`frame + 1` for a single frame).
    pub frame_end: i64,
    pub range: bool,
    pub shot: String,
    pub shot_time: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<usize>,
}

impl AnchorIn {
    pub fn check(&self, outline: &Outline, at: &str) -> ApiResult<Anchor> {
        let field = |f: &str| format!("{at}.{f}");
        let last = outline.frames - 1;
        let (frame, frame_end, range) = match (self.frame, self.range) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad(
                    at,
                    "give a frame or a range of frames, not both",
                ));
            }
            (None, None) => {
                return Err(ApiError::bad(
                    at,
                    "give a frame (\"frame\": 120) or a range of frames (\"range\": [120, 168])",
                ));
            }
            (Some(f), None) => {
                if f < 0 {
                    return Err(ApiError::bad(&field("frame"), "frames count from 0"));
                }
                if f > last {
                    return Err(ApiError::bad(
                        &field("frame"),
                        format!("{f} is beyond the last frame {last}"),
                    ));
                }
                (f, f + 1, false)
            }
            (None, Some([a, b])) => {
                if a < 0 {
                    return Err(ApiError::bad(&field("range[0]"), "frames count from 0"));
                }
                if b <= a {
                    return Err(ApiError::bad(
                        &field("range"),
                        format!("[{a}, {b}) is empty: the end comes after the first frame"),
                    ));
                }
                if a > last {
                    return Err(ApiError::bad(
                        &field("range[0]"),
                        format!("{a} is beyond the last frame {last}"),
                    ));
                }
                if b > outline.frames {
                    return Err(ApiError::bad(
                        &field("range[1]"),
                        format!(
                            "{b} is beyond the end of the drama (the range is half-open; the last frame is {last}, so at most {})",
                            outline.frames
                        ),
                    ));
                }
                (a, b, true)
            }
        };
        let shot = match &self.shot {
            Some(id) => {
                let shot = outline.shot(id).ok_or_else(|| {
                    ApiError::bad(&field("shot"), format!("no shot {id:?} in this version"))
                })?;
                let (first, end) = (shot.first_frame, shot.end_frame.max(shot.first_frame + 1));
                if frame < first || frame >= end {
                    let what = if range { "range[0]" } else { "frame" };
                    return Err(ApiError::bad(
                        &field(what),
                        format!(
                            "frame {frame} is not in shot {id:?} (frames {first} to {})",
                            end - 1
                        ),
                    ));
                }
                shot
            }
            None => outline
                .shot_at(frame)
                .ok_or_else(|| ApiError::bad(at, "this version has no shots"))?,
        };
        let duration = shot.end - shot.start;
        let shot_time = match self.shot_time {
            Some(t) if !(0.0..=duration + 1e-6).contains(&t) => {
                return Err(ApiError::bad(
                    &field("shot_time"),
                    format!(
                        "{t} s is outside shot {:?}, which lasts {duration:.3} s",
                        shot.id
                    ),
                ));
            }
            Some(t) => t,
            None => {
                let t = crate::to_seconds(outline.fps().frame_start(frame)) - shot.start;
                (t.max(0.0) * 1e6).round() / 1e6
            }
        };
        if let Some(i) = self.line
            && i >= shot.lines.len()
        {
            return Err(ApiError::bad(
                &field("line"),
                match shot.lines.len() {
                    0 => format!("shot {:?} has no lines", shot.id),
                    n => format!(
                        "shot {:?} has {n} line{} (0 to {})",
                        shot.id,
                        if n == 1 { "" } else { "s" },
                        n - 1
                    ),
                },
            ));
        }
        if let Some(i) = self.layer
            && i >= shot.layers
        {
            return Err(ApiError::bad(
                &field("layer"),
                match shot.layers {
                    0 => format!("shot {:?} has no layers", shot.id),
                    n => format!("shot {:?} has {n} layers (0 to {})", shot.id, n - 1),
                },
            ));
        }
        Ok(Anchor {
            frame,
            frame_end,
            range,
            shot: shot.id.clone(),
            shot_time,
            line: self.line,
            layer: self.layer,
        })
    }
}

/// A drawing over the frame: coordinates from 0 to 1 across the canvas's width and
/// height, so it lands on the same spot at any size.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Drawing {
    pub shapes: Vec<Shape>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Shape {
    Stroke {
        points: Vec<[f64; 2]>,
        color: String,
        width: f64,
    },
    Arrow {
        from: [f64; 2],
        to: [f64; 2],
        color: String,
        width: f64,
    },
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        color: String,
        width: f64,
    },
    Ellipse {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        color: String,
        width: f64,
    },
    Text {
        at: [f64; 2],
        text: String,
        color: String,
        size: f64,
    },
}

impl Drawing {
    pub fn check(&self) -> ApiResult<()> {
        if self.shapes.len() > MAX_SHAPES {
            return Err(ApiError::too_large(format!(
                "drawing.shapes: {} shapes, at most {MAX_SHAPES}",
                self.shapes.len()
            ))
            .with_field("drawing.shapes"));
        }
        let points: usize = self
            .shapes
            .iter()
            .map(|s| match s {
                Shape::Stroke { points, .. } => points.len(),
                _ => 0,
            })
            .sum();
        if points > MAX_POINTS {
            return Err(ApiError::too_large(format!(
                "{points} points in all, at most {MAX_POINTS} a drawing"
            ))
            .with_field("drawing.shapes"));
        }
        for (i, shape) in self.shapes.iter().enumerate() {
            let at = format!("drawing.shapes[{i}]");
            let unit = |v: f64, f: &str| -> ApiResult<()> {
                if (0.0..=1.0).contains(&v) {
                    Ok(())
                } else {
                    Err(ApiError::bad(
                        &format!("{at}.{f}"),
                        format!("{v} is off the canvas (coordinates run from 0 to 1)"),
                    ))
                }
            };
            let point = |p: &[f64; 2], f: &str| -> ApiResult<()> {
                unit(p[0], &format!("{f}[0]"))?;
                unit(p[1], &format!("{f}[1]"))
            };
            let (color, width) = match shape {
                Shape::Stroke {
                    points,
                    color,
                    width,
                } => {
                    if points.is_empty() {
                        return Err(ApiError::bad(
                            &format!("{at}.points"),
                            "a stroke needs at least one point",
                        ));
                    }
                    for (j, p) in points.iter().enumerate() {
                        point(p, &format!("points[{j}]"))?;
                    }
                    (color, *width)
                }
                Shape::Arrow {
                    from,
                    to,
                    color,
                    width,
                } => {
                    point(from, "from")?;
                    point(to, "to")?;
                    (color, *width)
                }
                Shape::Rect {
                    x,
                    y,
                    w,
                    h,
                    color,
                    width,
                }
                | Shape::Ellipse {
                    x,
                    y,
                    w,
                    h,
                    color,
                    width,
                } => {
                    unit(*x, "x")?;
                    unit(*y, "y")?;
                    unit(*w, "w")?;
                    unit(*h, "h")?;
                    unit(x + w, "w")?;
                    unit(y + h, "h")?;
                    (color, *width)
                }
                Shape::Text {
                    at: p,
                    text,
                    color,
                    size,
                } => {
                    point(p, "at")?;
                    let n = text.chars().count();
                    if n == 0 || n > MAX_SHAPE_TEXT_CHARS {
                        return Err(ApiError::bad(
                            &format!("{at}.text"),
                            format!(
                                "{n} characters; a text shape holds 1 to {MAX_SHAPE_TEXT_CHARS}"
                            ),
                        ));
                    }
                    (color, *size)
                }
            };
            if !is_color(color) {
                return Err(ApiError::bad(
                    &format!("{at}.color"),
                    format!("{color:?} is not a colour like \"#ff3b30\""),
                ));
            }
            if !(width > 0.0 && width <= 0.2) {
                let f = if matches!(shape, Shape::Text { .. }) {
                    "size"
                } else {
                    "width"
                };
                return Err(ApiError::bad(
                    &format!("{at}.{f}"),
                    format!("{width} is not a size between 0 and 0.2 of the canvas"),
                ));
            }
        }
        Ok(())
    }
}

impl ApiError {
    pub fn with_field(mut self, field: &str) -> ApiError {
        if let Some(rest) = self.message.strip_prefix(&format!("{field}: ")) {
            self.message = rest.to_string();
        }
        self.field = Some(field.to_string());
        self
    }
}

fn is_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Resolved,
    /// Withdrawn by its author (or the owner): kept, out of the lists and exports, and
    /// brought back by setting it open again (undo).
    Deleted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Resolved => "resolved",
            Status::Deleted => "deleted",
        }
    }
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentIn {
    /// Made by the client (a UUID), so that sending the same comment again after a
    /// timeout stores it once.
    pub id: Uuid,
    pub body: String,
    #[serde(default)]
    pub parent: Option<Uuid>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Required but for a reply, which is anchored where its thread is.
    #[serde(default)]
    pub anchor: Option<AnchorIn>,
    #[serde(default)]
    pub drawing: Option<Drawing>,
}

#[derive(Clone, Debug, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentPatch {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// `null` removes the drawing.
    #[serde(default, deserialize_with = "double_option::deserialize")]
    #[schemars(with = "Option<Drawing>")]
    pub drawing: Option<Option<Drawing>>,
    #[serde(default)]
    pub status: Option<Status>,
    /// The revision the edit was made on: if someone changed the comment since, 409.
    #[serde(default)]
    pub revision: Option<i64>,
}

mod double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

pub fn check_body(body: &str, field: &str) -> ApiResult<String> {
    let body = body.trim();
    let n = body.chars().count();
    if n == 0 {
        return Err(ApiError::bad(field, "empty: write what the note is about"));
    }
    if n > MAX_BODY_CHARS {
        return Err(
            ApiError::too_large(format!("{n} characters, at most {MAX_BODY_CHARS}"))
                .with_field(field),
        );
    }
    check_plain(body, field)?;
    Ok(body.to_string())
}

/// Plain text: no control characters but line breaks and tabs.
pub fn check_plain(text: &str, field: &str) -> ApiResult<()> {
    if let Some((i, c)) = text
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && *c != '\n' && *c != '\t' && *c != '\r')
    {
        return Err(ApiError::bad(
            field,
            format!(
                "a control character (U+{:04X}) at character {}",
                c as u32,
                i + 1
            ),
        ));
    }
    Ok(())
}

pub fn check_tags(tags: &[String]) -> ApiResult<Vec<String>> {
    if tags.len() > MAX_TAGS {
        return Err(ApiError::bad(
            "tags",
            format!("{} tags, at most {MAX_TAGS}", tags.len()),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        let tag = tag.trim().to_lowercase();
        let n = tag.chars().count();
        if n == 0
            || n > MAX_TAG_CHARS
            || !tag
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ApiError::bad(
                &format!("tags[{i}]"),
                format!(
                    "{tag:?} is not a tag: 1 to {MAX_TAG_CHARS} letters, digits, '-' or '_' (known tags: {})",
                    KNOWN_TAGS.join(", ")
                ),
            ));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

pub fn check_name(name: &str, field: &str) -> ApiResult<String> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS {
        return Err(ApiError::bad(
            field,
            format!("a display name has 1 to {MAX_NAME_CHARS} characters, not {n}"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::bad(field, "a display name is one line of text"));
    }
    Ok(name.to_string())
}

/// The names a body mentions: `@name` up to the next space or punctuation.
pub fn mentions(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find('@') {
        let after = &rest[i + 1..];
        let end = after
            .find(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '_' && c != '-'))
            .unwrap_or(after.len());
        let name = &after[..end];
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
        rest = &after[end..];
    }
    out
}

// ----- decisions -------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approved,
    ChangesRequested,
    Pending,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::ChangesRequested => "changes_requested",
            Verdict::Pending => "pending",
        }
    }
    pub fn parse(s: &str) -> Verdict {
        match s {
            "approved" => Verdict::Approved,
            "changes_requested" => Verdict::ChangesRequested,
            _ => Verdict::Pending,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, Default, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetIn {
    /// Neither shot nor line: the whole version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shot: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    #[serde(default)]
    pub id: Option<Uuid>,
    #[serde(default)]
    pub target: TargetIn,
    pub verdict: Verdict,
    #[serde(default)]
    pub note: String,
}

impl TargetIn {
    /// `("version" | "shot" | "line", shot, line)`.
    pub fn check(
        &self,
        outline: &Outline,
    ) -> ApiResult<(&'static str, Option<String>, Option<i64>)> {
        match (&self.shot, self.line) {
            (None, None) => Ok(("version", None, None)),
            (None, Some(_)) => Err(ApiError::bad(
                "target.shot",
                "a decision on a line names its shot",
            )),
            (Some(id), line) => {
                let shot = outline.shot(id).ok_or_else(|| {
                    ApiError::bad("target.shot", format!("no shot {id:?} in this version"))
                })?;
                match line {
                    None => Ok(("shot", Some(id.clone()), None)),
                    Some(i) if i < shot.lines.len() => {
                        Ok(("line", Some(id.clone()), Some(i as i64)))
                    }
                    Some(i) => Err(ApiError::bad(
                        "target.line",
                        format!(
                            "shot {id:?} has {} lines; there is no line {i}",
                            shot.lines.len()
                        ),
                    )),
                }
            }
        }
    }
}

// ----- shares and sessions ---------------------------------------------------------------

#[derive(
    Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    View,
    Comment,
    Approve,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::View => "view",
            Role::Comment => "comment",
            Role::Approve => "approve",
            Role::Owner => "owner",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "view" => Role::View,
            "comment" => Role::Comment,
            "approve" => Role::Approve,
            "owner" => Role::Owner,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareIn {
    pub role: Role,
    /// Only this version of the drama (its id); the whole drama otherwise.
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub password: Option<String>,
    /// Seconds from now until the link stops working.
    #[serde(default)]
    pub expires_in: Option<i64>,
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionIn {
    /// The share link's token (the `#share=` part of the link). Leave it out to make a
    /// named session with the owner token (sent as `Authorization: Bearer`).
    #[serde(default)]
    pub share: Option<String>,
    pub name: String,
    #[serde(default)]
    pub password: Option<String>,
}

/// `2026-12-03T12:25:36.123Z` from milliseconds since the epoch.
pub fn iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline() -> Outline {
        let line = |a, b| LineOutline {
            text: "你好".into(),
            speaker: None,
            first_frame: a,
            end_frame: b,
        };
        Outline {
            title: "t".into(),
            version: "v1".into(),
            width: 1080,
            height: 1920,
            fps: [30, 1],
            frames: 951,
            duration: 31.7,
            shots: vec![
                ShotOutline {
                    id: "s1".into(),
                    first_frame: 0,
                    end_frame: 360,
                    start: 0.0,
                    end: 12.0,
                    layers: 2,
                    lines: vec![line(30, 90)],
                },
                ShotOutline {
                    id: "s2".into(),
                    first_frame: 360,
                    end_frame: 951,
                    start: 12.0,
                    end: 31.7,
                    layers: 1,
                    lines: vec![],
                },
            ],
        }
    }

    fn anchor(json: &str) -> ApiResult<Anchor> {
        parse::<AnchorIn>(json.as_bytes())?.check(&outline(), "anchor")
    }

    #[test]
    fn an_anchor_is_placed_in_its_shot() {
        let a = anchor(r#"{"frame": 375}"#).unwrap();
        assert_eq!((a.frame, a.frame_end, a.shot.as_str()), (375, 376, "s2"));
        assert!((a.shot_time - 0.5).abs() < 1e-9, "{}", a.shot_time);
        let r = anchor(r#"{"range": [10, 40], "shot": "s1", "line": 0}"#).unwrap();
        assert_eq!(
            (r.frame, r.frame_end, r.range, r.line),
            (10, 40, true, Some(0))
        );
    }

    #[test]
    fn anchors_off_the_drama_name_their_field() {
        let e = |j: &str| anchor(j).unwrap_err().text();
        assert_eq!(
            e(r#"{"frame": 951}"#),
            "anchor.frame: 951 is beyond the last frame 950"
        );
        assert_eq!(e(r#"{"frame": -1}"#), "anchor.frame: frames count from 0");
        assert!(e(r#"{"range": [5, 5]}"#).starts_with("anchor.range: [5, 5) is empty"));
        assert!(e(r#"{"range": [5, 952]}"#).starts_with("anchor.range[1]: 952 is beyond"));
        assert_eq!(
            e(r#"{"frame": 10, "shot": "s2"}"#),
            "anchor.frame: frame 10 is not in shot \"s2\" (frames 360 to 950)"
        );
        assert_eq!(
            e(r#"{"frame": 10, "shot": "x"}"#),
            "anchor.shot: no shot \"x\" in this version"
        );
        assert_eq!(
            e(r#"{"frame": 10, "line": 1}"#),
            "anchor.line: shot \"s1\" has 1 line (0 to 0)"
        );
        assert_eq!(
            e(r#"{"frame": 400, "layer": 1}"#),
            "anchor.layer: shot \"s2\" has 1 layers (0 to 0)"
        );
        assert_eq!(
            e(r#"{"frame": "x"}"#),
            "frame: invalid type: string \"x\", expected i64 at column 13"
        );
        assert!(e(r#"{"frame": 1, "colour": 2}"#).starts_with("colour: unknown field `colour`"));
        assert!(e("{}").starts_with("anchor: give a frame"));
    }

    #[test]
    fn drawings_are_capped_and_checked() {
        let d = |j: &str| parse::<Drawing>(j.as_bytes()).and_then(|d| d.check());
        assert!(d(r##"{"shapes":[{"kind":"arrow","from":[0.1,0.2],"to":[0.5,0.5],"color":"#ff3b30","width":0.005}]}"##).is_ok());
        let e = d(r##"{"shapes":[{"kind":"stroke","points":[[0.1,0.1],[1.2,0.5]],"color":"#ff3b30","width":0.005}]}"##).unwrap_err();
        assert_eq!(
            e.text(),
            "drawing.shapes[0].points[1][0]: 1.2 is off the canvas (coordinates run from 0 to 1)"
        );
        let shape =
            r##"{"kind":"rect","x":0.1,"y":0.1,"w":0.2,"h":0.2,"color":"#00ff00","width":0.01}"##;
        let many = format!(r#"{{"shapes":[{}]}}"#, vec![shape; 201].join(","));
        let e = d(&many).unwrap_err();
        assert_eq!(
            (e.status.as_u16(), e.text()),
            (413, "drawing.shapes: 201 shapes, at most 200".to_string())
        );
        let pts = vec!["[0.5,0.5]"; 5001].join(",");
        let e = d(&format!(r##"{{"shapes":[{{"kind":"stroke","points":[{pts}],"color":"#000000","width":0.01}}]}}"##)).unwrap_err();
        assert_eq!(e.status.as_u16(), 413);
        let e = d(
            r##"{"shapes":[{"kind":"text","at":[0.5,0.5],"text":"x","color":"red","size":0.03}]}"##,
        )
        .unwrap_err();
        assert_eq!(
            e.text(),
            "drawing.shapes[0].color: \"red\" is not a colour like \"#ff3b30\""
        );
        let e = d(r##"{"shapes":[{"kind":"blob"}]}"##).unwrap_err();
        assert!(
            e.text()
                .starts_with("shapes[0].kind: unknown variant `blob`"),
            "{}",
            e.text()
        );
    }

    #[test]
    fn bodies_tags_and_mentions() {
        assert_eq!(check_body("  这句太快 ", "body").unwrap(), "这句太快");
        assert_eq!(check_body(" ", "body").unwrap_err().status.as_u16(), 400);
        let long = "字".repeat(MAX_BODY_CHARS + 1);
        let e = check_body(&long, "body").unwrap_err();
        assert_eq!(
            (e.status.as_u16(), e.text()),
            (413, "body: 10001 characters, at most 10000".to_string())
        );
        assert_eq!(
            check_body("a\u{0}b", "body").unwrap_err().text(),
            "body: a control character (U+0000) at character 2"
        );
        assert_eq!(
            check_tags(&["Timing".into(), "timing".into(), "口型".into()]).unwrap(),
            vec!["timing", "口型"]
        );
        assert_eq!(
            check_tags(&["a b".into()]).unwrap_err().field.as_deref(),
            Some("tags[0]")
        );
        assert_eq!(
            mentions("@Lin please look, and @小王. @Lin"),
            vec!["Lin", "小王"]
        );
    }

    #[test]
    fn timecodes_and_dates() {
        let mut o = outline();
        assert_eq!(o.timecode(30 * 3661 + 7), "01:01:01:07");
        o.fps = [30000, 1001];
        assert_eq!(o.timecode(45), "00:00:01:15");
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(1_796_300_736_123), "2026-12-03T12:25:36.123Z");
    }
}
