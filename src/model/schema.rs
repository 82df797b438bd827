//! The drama format's vocabulary, declared once: every object's fields with their types,
//! ranges, allowed values, defaults and meaning.
//!
//! The manifest reader takes its field names, ranges and value lists from here (an
//! object's unknown fields, out-of-range numbers and misspelt values are found against
//! these tables), and [`json_schema`] turns the same tables into the JSON Schema that is
//! served with the page (`www/schema/drama-format.schema.json`) and printed by
//! `manju schema`. What the reader accepts and what the schema says cannot drift apart.

use serde_json::{Map, Value, json};

/// Longest time accepted anywhere in a manifest: 24 hours.
pub const MAX_SECONDS: f64 = 86_400.0;

/// A field's type.
#[derive(Debug)]
pub enum Ty {
    /// A JSON number within `[min, max]`.
    Number {
        min: f64,
        max: f64,
    },
    /// Seconds (a number) within `[min, MAX_SECONDS]`.
    Seconds {
        min: f64,
    },
    Text,
    Bool,
    /// `#rgb`, `#rrggbb` or `#rrggbbaa`.
    Color,
    /// A colour or `null` (none).
    ColorOrNull,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// A CSS easing: a name or `cubic-bezier(x1, y1, x2, y2)`.
    Ease,
    /// Exactly this many numbers.
    Numbers(usize),
    /// `[x, y, w, h]` or a Media Fragment string.
    Crop,
    /// The id of an asset of this kind (`"image"`, `"audio"`).
    AssetId(&'static str),
    /// The object described by this definition.
    Object(&'static Def),
    ArrayOf(&'static Ty),
    /// An object whose keys are free (ids) and whose values have this type.
    MapOf(&'static Ty),
    /// Any one of these.
    Either(&'static [Ty]),
    /// Exactly this string.
    Const(&'static str),
    /// Free-form (`meta`).
    Any,
}

/// One field of an object.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// The default as JSON text, when there is a simple one.
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

/// One kind of object.
#[derive(Debug)]
pub struct Def {
    /// The definition's name in the JSON Schema (`$defs`).
    pub name: &'static str,
    pub doc: &'static str,
    pub fields: &'static [Field],
    pub required: &'static [&'static str],
}

impl Def {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.name)
    }
}

const fn f(name: &'static str, ty: Ty, default: Option<&'static str>, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        default,
        doc,
    }
}

const META: Field = f(
    "meta",
    Ty::Any,
    None,
    "Free-form data passed through untouched (prompts, seeds, models…).",
);
const SECONDS_OR_AUTO: Ty = Ty::Either(&[Ty::Seconds { min: 0.001 }, Ty::Const("auto")]);
const ANY_TIME: Ty = Ty::Seconds { min: -MAX_SECONDS };
const VOLUME: Ty = Ty::Number {
    min: 0.0,
    max: 10.0,
};
const OPACITY: Ty = Ty::Number { min: 0.0, max: 1.0 };
const COORD: Ty = Ty::Number {
    min: -1e7,
    max: 1e7,
};
const ANGLE: Ty = Ty::Number {
    min: -36_000.0,
    max: 36_000.0,
};
const SCALE: Ty = Ty::Number {
    min: 0.0,
    max: 1000.0,
};
const ZOOM: Ty = Ty::Number {
    min: 0.001,
    max: 1000.0,
};

pub const TRANSITIONS: &[&str] = &[
    "cut",
    "crossfade",
    "fade-black",
    "fade-white",
    "slide-left",
    "slide-right",
    "slide-up",
    "slide-down",
    "push-left",
    "push-right",
    "push-up",
    "push-down",
    "wipe-left",
    "wipe-right",
    "wipe-up",
    "wipe-down",
    "zoom",
    "move",
];
pub const PRESETS: &[&str] = &[
    "zoom-in",
    "zoom-out",
    "pan-left",
    "pan-right",
    "pan-up",
    "pan-down",
];
pub const DISPLAYS: &[&str] = &["subtitle", "bubble", "caption", "sfx", "none"];
pub const SHAPES: &[&str] = &["speech", "shout", "thought", "whisper", "box"];
pub const BLENDS: &[&str] = &["normal", "multiply", "screen", "add"];
pub const FITS: &[&str] = &["cover", "contain", "none"];
pub const EFFECTS: &[&str] = &["shake", "flash", "tint"];
pub const EDGES: &[&str] = &["fade-black", "fade-white", "crossfade"];
pub const ASSET_TYPES: &[&str] = &["image", "audio", "font"];

pub static MANIFEST: Def = Def {
    name: "manifest",
    doc: "A comic drama: one manifest plus the assets it names.",
    fields: &[
        f(
            "format",
            Ty::Const("manju/1"),
            None,
            "The format and its version.",
        ),
        f("title", Ty::Text, Some("\"\""), "The episode's title."),
        f(
            "version",
            Ty::Text,
            Some("\"\""),
            "The draft's version, for reviewers.",
        ),
        f(
            "canvas",
            Ty::Object(&CANVAS),
            None,
            "The stage: size, frame rate, background.",
        ),
        f(
            "assets",
            Ty::MapOf(&Ty::Either(&[Ty::Text, Ty::Object(&ASSET)])),
            None,
            "Asset id → path relative to the manifest (or an https: URL), or {src, type}.",
        ),
        f(
            "characters",
            Ty::MapOf(&Ty::Object(&CHARACTER)),
            None,
            "Character id → name and colour.",
        ),
        f(
            "styles",
            Ty::MapOf(&Ty::Object(&STYLE)),
            None,
            "Named text styles; `subtitle`, `bubble`, `caption` and `sfx` override the built-in ones field by field.",
        ),
        f(
            "timing",
            Ty::Object(&TIMING),
            None,
            "Defaults of voice-driven timing.",
        ),
        f(
            "shots",
            Ty::ArrayOf(&Ty::Object(&SHOT)),
            None,
            "The shots, played one after the other.",
        ),
        f(
            "music",
            Ty::ArrayOf(&Ty::Object(&MUSIC)),
            None,
            "Music and ambience cues on the episode timeline.",
        ),
        f(
            "intro",
            Ty::Object(&EDGE),
            None,
            "A fade from a colour at the episode's start.",
        ),
        f(
            "outro",
            Ty::Object(&EDGE),
            None,
            "A fade to a colour at the episode's end.",
        ),
        META,
    ],
    required: &["format", "shots"],
};

pub static CANVAS: Def = Def {
    name: "canvas",
    doc: "The stage: its size in pixels, frame rate and background colour.",
    fields: &[
        f(
            "width",
            Ty::Number {
                min: 16.0,
                max: 8192.0,
            },
            Some("1080"),
            "Width in pixels.",
        ),
        f(
            "height",
            Ty::Number {
                min: 16.0,
                max: 8192.0,
            },
            Some("1920"),
            "Height in pixels.",
        ),
        f(
            "fps",
            Ty::Number {
                min: 1.0,
                max: 240.0,
            },
            Some("30"),
            "Frames per second (29.97 and the like are exact NTSC rates).",
        ),
        f(
            "background",
            Ty::Color,
            Some("\"#000000\""),
            "The colour behind everything (its alpha is ignored).",
        ),
    ],
    required: &[],
};

pub static ASSET: Def = Def {
    name: "asset",
    doc: "An asset whose type is not told by its extension.",
    fields: &[
        f(
            "src",
            Ty::Text,
            None,
            "Path relative to the manifest, or an https: URL.",
        ),
        f("type", Ty::OneOf(ASSET_TYPES), None, "What the file is."),
    ],
    required: &["src"],
};

pub static CHARACTER: Def = Def {
    name: "character",
    doc: "A character, named by its id in lines' `speaker`.",
    fields: &[
        f(
            "name",
            Ty::Text,
            None,
            "The name shown to viewers (default: the id).",
        ),
        f(
            "color",
            Ty::Color,
            None,
            "The character's colour (speaker labels, the dialogue sheet).",
        ),
        META,
    ],
    required: &[],
};

pub static STYLE: Def = Def {
    name: "style",
    doc: "A text style; fields left out fall back to the display's built-in style.",
    fields: &[
        f("font", Ty::Text, None, "A font asset id or a family name."),
        f(
            "size",
            Ty::Number {
                min: 1.0,
                max: 2000.0,
            },
            None,
            "Font size in stage pixels.",
        ),
        f("color", Ty::Color, None, "Text colour."),
        f(
            "stroke",
            Ty::ColorOrNull,
            None,
            "Outline colour, or null for none.",
        ),
        f(
            "stroke_width",
            Ty::Number {
                min: 0.0,
                max: 200.0,
            },
            None,
            "Outline width in stage pixels.",
        ),
        f(
            "background",
            Ty::ColorOrNull,
            None,
            "Box colour behind the text, or null.",
        ),
        f(
            "padding",
            Ty::Number {
                min: 0.0,
                max: 2000.0,
            },
            None,
            "Space between the text and its box.",
        ),
        f(
            "align",
            Ty::OneOf(&["left", "center", "right"]),
            None,
            "Alignment of the lines.",
        ),
        f(
            "line_height",
            Ty::Number { min: 0.5, max: 5.0 },
            None,
            "Line spacing as a multiple of the size.",
        ),
        f(
            "max_width",
            Ty::Number {
                min: 1.0,
                max: 100_000.0,
            },
            None,
            "Width at which text wraps.",
        ),
        f(
            "position",
            Ty::OneOf(&["top", "center", "bottom"]),
            None,
            "Where subtitles and captions sit.",
        ),
        f(
            "margin",
            Ty::Number {
                min: -100_000.0,
                max: 100_000.0,
            },
            None,
            "Distance from the canvas edge.",
        ),
        f(
            "speaker_label",
            Ty::Bool,
            None,
            "Show the speaker's name before the text.",
        ),
        f("fill", Ty::Color, None, "Bubble and caption fill."),
        f(
            "border",
            Ty::Color,
            None,
            "Bubble and caption border colour.",
        ),
        f(
            "border_width",
            Ty::Number {
                min: 0.0,
                max: 200.0,
            },
            None,
            "Bubble and caption border width.",
        ),
        f(
            "rotation",
            Ty::Number {
                min: -3600.0,
                max: 3600.0,
            },
            None,
            "Rotation in degrees, clockwise (sound words).",
        ),
        f(
            "cps",
            Ty::Number {
                min: 0.1,
                max: 1000.0,
            },
            None,
            "Characters per second for `reveal: typewriter`.",
        ),
    ],
    required: &[],
};

pub static TIMING: Def = Def {
    name: "timing",
    doc: "Defaults of voice-driven timing, in seconds.",
    fields: &[
        f(
            "lead",
            Ty::Seconds { min: 0.0 },
            Some("0.3"),
            "Start of a shot's first line without `at`.",
        ),
        f(
            "gap",
            Ty::Seconds { min: 0.0 },
            Some("0.25"),
            "Pause between lines without `at`.",
        ),
        f(
            "tail",
            Ty::Seconds { min: 0.0 },
            Some("0.5"),
            "Time an `auto` shot lasts after its last line.",
        ),
        f(
            "min_shot",
            Ty::Seconds { min: 0.0 },
            Some("2.0"),
            "Shortest `auto` shot.",
        ),
    ],
    required: &[],
};

pub static SHOT: Def = Def {
    name: "shot",
    doc: "A shot: layers under a camera, with lines, sounds and effects.",
    fields: &[
        f(
            "id",
            Ty::Text,
            None,
            "Unique id (default `shot-<n>`, counting from 1).",
        ),
        f(
            "duration",
            SECONDS_OR_AUTO,
            Some("\"auto\""),
            "Seconds, or `auto`: until the last line ends plus `timing.tail`.",
        ),
        f(
            "layers",
            Ty::ArrayOf(&Ty::Object(&LAYER)),
            None,
            "Picture layers, first at the back.",
        ),
        f(
            "camera",
            Ty::Either(&[
                Ty::Object(&CAMERA_STATE),
                Ty::Object(&CAMERA_FROM_TO),
                Ty::Object(&CAMERA_KEYFRAMES),
                Ty::Object(&CAMERA_PRESET),
            ]),
            None,
            "The camera: a state, a move `from`/`to`, keyframes, or a preset.",
        ),
        f(
            "transition",
            Ty::Object(&TRANSITION),
            None,
            "How the previous shot gives way to this one.",
        ),
        f(
            "lines",
            Ty::ArrayOf(&Ty::Object(&LINE)),
            None,
            "Dialogue, narration and sound words.",
        ),
        f(
            "sfx",
            Ty::ArrayOf(&Ty::Object(&SFX)),
            None,
            "Sound effects at times within the shot.",
        ),
        f(
            "effects",
            Ty::ArrayOf(&Ty::Either(&[
                Ty::Object(&SHAKE),
                Ty::Object(&FLASH),
                Ty::Object(&TINT),
            ])),
            None,
            "Camera shakes, flashes and tints.",
        ),
        f("notes", Ty::Text, Some("\"\""), "Free text for reviewers."),
        META,
    ],
    required: &[],
};

pub static LAYER: Def = Def {
    name: "layer",
    doc: "An image placed on the stage.",
    fields: &[
        f("image", Ty::AssetId("image"), None, "The image asset's id."),
        f(
            "fit",
            Ty::OneOf(FITS),
            Some("\"cover\""),
            "Base scale: fill the canvas, fit inside it, or 1:1.",
        ),
        f(
            "crop",
            Ty::Crop,
            None,
            "[x, y, w, h] in source pixels, or \"xywh=…\" / \"xywh=percent:…\".",
        ),
        f(
            "x",
            COORD,
            None,
            "Where the anchor goes (default: the canvas centre).",
        ),
        f(
            "y",
            COORD,
            None,
            "Where the anchor goes (default: the canvas centre).",
        ),
        f(
            "anchor",
            Ty::Numbers(2),
            Some("[0.5, 0.5]"),
            "The point of the cropped image placed at (x, y), as fractions.",
        ),
        f("scale", SCALE, Some("1"), "Multiplies the fit's scale."),
        f(
            "rotation",
            ANGLE,
            Some("0"),
            "Degrees, clockwise, about the anchor.",
        ),
        f("opacity", OPACITY, Some("1"), "0 (invisible) to 1."),
        f(
            "parallax",
            Ty::Number {
                min: -10.0,
                max: 10.0,
            },
            Some("1"),
            "How much the camera moves this layer (0: fixed to the screen).",
        ),
        f(
            "blend",
            Ty::OneOf(BLENDS),
            Some("\"normal\""),
            "How the layer combines with what is below.",
        ),
        f(
            "keyframes",
            Ty::ArrayOf(&Ty::Object(&LAYER_KEY)),
            None,
            "Animation of x, y, scale, rotation and opacity.",
        ),
        META,
    ],
    required: &["image"],
};

pub static LAYER_KEY: Def = Def {
    name: "layer-keyframe",
    doc: "Values a layer reaches at a time; `ease` shapes the way to the next keyframe.",
    fields: &[
        f("at", ANY_TIME, None, "Seconds from the shot's start."),
        f("x", COORD, None, "Anchor x."),
        f("y", COORD, None, "Anchor y."),
        f("scale", SCALE, None, "Scale."),
        f("rotation", ANGLE, None, "Rotation in degrees."),
        f("opacity", OPACITY, None, "Opacity."),
        f(
            "ease",
            Ty::Ease,
            Some("\"linear\""),
            "Easing to the next keyframe.",
        ),
    ],
    required: &["at"],
};

const CAM_X: Field = f(
    "x",
    COORD,
    None,
    "The stage point at the centre of the screen (default: the canvas centre).",
);
const CAM_Y: Field = f(
    "y",
    COORD,
    None,
    "The stage point at the centre of the screen.",
);
const CAM_ZOOM: Field = f("zoom", ZOOM, Some("1"), "Magnification.");
const CAM_ROTATION: Field = f("rotation", ANGLE, Some("0"), "Degrees, clockwise.");
const CAM_FRAME: Field = f(
    "frame",
    Ty::Numbers(4),
    None,
    "[x, y, w, h]: centre on this rectangle, zoomed to fit it (instead of x, y, zoom).",
);

pub static CAMERA_STATE: Def = Def {
    name: "camera-state",
    doc: "Where the camera looks.",
    fields: &[CAM_X, CAM_Y, CAM_ZOOM, CAM_ROTATION, CAM_FRAME],
    required: &[],
};

pub static CAMERA_FROM_TO: Def = Def {
    name: "camera-move",
    doc: "A camera move over the whole shot.",
    fields: &[
        f(
            "from",
            Ty::Object(&CAMERA_STATE),
            None,
            "The state at the shot's start.",
        ),
        f(
            "to",
            Ty::Object(&CAMERA_STATE),
            None,
            "The state at the shot's end (missing fields hold `from`'s).",
        ),
        f(
            "ease",
            Ty::Ease,
            Some("\"ease-in-out\""),
            "Easing of the move.",
        ),
    ],
    required: &[],
};

pub static CAMERA_KEYFRAMES: Def = Def {
    name: "camera-keyframes",
    doc: "A camera animated by keyframes.",
    fields: &[f(
        "keyframes",
        Ty::ArrayOf(&Ty::Object(&CAMERA_KEY)),
        None,
        "Camera states at times.",
    )],
    required: &["keyframes"],
};

pub static CAMERA_KEY: Def = Def {
    name: "camera-keyframe",
    doc: "A camera state at a time.",
    fields: &[
        CAM_X,
        CAM_Y,
        CAM_ZOOM,
        CAM_ROTATION,
        CAM_FRAME,
        f("at", ANY_TIME, None, "Seconds from the shot's start."),
        f(
            "ease",
            Ty::Ease,
            Some("\"linear\""),
            "Easing to the next keyframe.",
        ),
    ],
    required: &["at"],
};

pub static CAMERA_PRESET: Def = Def {
    name: "camera-preset",
    doc: "A ready-made camera move over the shot.",
    fields: &[
        f("preset", Ty::OneOf(PRESETS), None, "The move."),
        f(
            "amount",
            Ty::Number { min: 0.0, max: 0.9 },
            Some("0.1"),
            "Zoom by 1 + amount, or pan across amount × the canvas.",
        ),
    ],
    required: &["preset"],
};

pub static TRANSITION: Def = Def {
    name: "transition",
    doc: "How the previous shot gives way to this one, centred on the cut.",
    fields: &[
        f(
            "type",
            Ty::OneOf(TRANSITIONS),
            None,
            "The kind of transition.",
        ),
        f(
            "duration",
            Ty::Seconds { min: 0.0 },
            Some("0.5"),
            "Seconds (shortened to fit the shots it joins).",
        ),
        f(
            "ease",
            Ty::Ease,
            Some("\"ease-in-out\""),
            "Easing of the progress.",
        ),
    ],
    required: &["type"],
};

pub static EDGE: Def = Def {
    name: "edge",
    doc: "A fade at the start (`intro`) or end (`outro`) of the episode.",
    fields: &[
        f(
            "type",
            Ty::OneOf(EDGES),
            None,
            "`crossfade` fades from/to the canvas background.",
        ),
        f(
            "duration",
            Ty::Seconds { min: 0.0 },
            Some("0.5"),
            "Seconds.",
        ),
    ],
    required: &["type"],
};

pub static SHAKE: Def = Def {
    name: "shake",
    doc: "The camera shakes, dying away.",
    fields: &[
        f("type", Ty::Const("shake"), None, ""),
        f("at", ANY_TIME, Some("0"), "Seconds from the shot's start."),
        f(
            "duration",
            Ty::Seconds { min: 0.001 },
            Some("0.5"),
            "Seconds.",
        ),
        f(
            "amplitude",
            Ty::Number {
                min: 0.0,
                max: 10_000.0,
            },
            Some("12"),
            "Stage pixels at the start.",
        ),
        f(
            "frequency",
            Ty::Number {
                min: 0.0,
                max: 1000.0,
            },
            Some("12"),
            "Shakes per second.",
        ),
    ],
    required: &["type"],
};

pub static FLASH: Def = Def {
    name: "flash",
    doc: "A colour over the frame, fading out.",
    fields: &[
        f("type", Ty::Const("flash"), None, ""),
        f("at", ANY_TIME, Some("0"), "Seconds from the shot's start."),
        f(
            "duration",
            Ty::Seconds { min: 0.001 },
            Some("0.3"),
            "Seconds.",
        ),
        f(
            "color",
            Ty::Color,
            Some("\"#ffffff\""),
            "The flash's colour.",
        ),
        f("opacity", OPACITY, Some("1"), "Opacity at the start."),
    ],
    required: &["type"],
};

pub static TINT: Def = Def {
    name: "tint",
    doc: "A constant colour over the frame.",
    fields: &[
        f("type", Ty::Const("tint"), None, ""),
        f("color", Ty::Color, None, "The tint's colour."),
        f("opacity", OPACITY, Some("0.3"), "Opacity."),
        f("at", ANY_TIME, Some("0"), "Seconds from the shot's start."),
        f(
            "duration",
            Ty::Seconds { min: 0.001 },
            None,
            "Seconds (default: the rest of the shot).",
        ),
    ],
    required: &["type", "color"],
};

pub static LINE: Def = Def {
    name: "line",
    doc: "A line of dialogue, narration or a sound word.",
    fields: &[
        f("speaker", Ty::Text, None, "A character id or a plain name."),
        f("text", Ty::Text, Some("\"\""), "What is said."),
        f(
            "voice",
            Ty::AssetId("audio"),
            None,
            "The voice clip's asset id.",
        ),
        f(
            "at",
            ANY_TIME,
            None,
            "Start, seconds from the shot's start (default: after the line before).",
        ),
        f(
            "duration",
            SECONDS_OR_AUTO,
            Some("\"auto\""),
            "Seconds, or `auto`: the voice clip's length or the reading time.",
        ),
        f(
            "display",
            Ty::OneOf(DISPLAYS),
            Some("\"subtitle\""),
            "How the text appears.",
        ),
        f(
            "bubble",
            Ty::Object(&BUBBLE),
            None,
            "Where a bubble or sound word goes.",
        ),
        f("style", Ty::Text, None, "A style name."),
        f(
            "reveal",
            Ty::OneOf(&["instant", "typewriter"]),
            Some("\"instant\""),
            "All at once, or character by character.",
        ),
        f("volume", VOLUME, Some("1"), "The voice's volume."),
        META,
    ],
    required: &[],
};

pub static BUBBLE: Def = Def {
    name: "bubble",
    doc: "A speech balloon's place and shape.",
    fields: &[
        f("x", COORD, None, "Centre x."),
        f("y", COORD, None, "Centre y."),
        f(
            "width",
            Ty::Number {
                min: 1.0,
                max: 100_000.0,
            },
            None,
            "Width the text wraps to.",
        ),
        f("tail", Ty::Numbers(2), None, "[x, y] the tail points at."),
        f(
            "shape",
            Ty::OneOf(SHAPES),
            Some("\"speech\""),
            "The balloon's shape.",
        ),
    ],
    required: &[],
};

pub static SFX: Def = Def {
    name: "sfx",
    doc: "A sound effect within a shot.",
    fields: &[
        f("audio", Ty::AssetId("audio"), None, "The clip's asset id."),
        f("at", ANY_TIME, Some("0"), "Seconds from the shot's start."),
        f("volume", VOLUME, Some("1"), "Volume."),
    ],
    required: &["audio"],
};

pub static MUSIC: Def = Def {
    name: "music",
    doc: "Music or ambience on the episode timeline.",
    fields: &[
        f("audio", Ty::AssetId("audio"), None, "The clip's asset id."),
        f(
            "at",
            Ty::Seconds { min: 0.0 },
            Some("0"),
            "Start, in episode seconds.",
        ),
        f(
            "until",
            Ty::Either(&[Ty::Seconds { min: 0.0 }, Ty::Const("end")]),
            Some("\"end\""),
            "Stop, in episode seconds, or the episode's end.",
        ),
        f("volume", VOLUME, Some("1"), "Volume."),
        f(
            "fade_in",
            Ty::Seconds { min: 0.0 },
            Some("0"),
            "Seconds of fade-in.",
        ),
        f(
            "fade_out",
            Ty::Seconds { min: 0.0 },
            Some("0"),
            "Seconds of fade-out.",
        ),
        f(
            "loop",
            Ty::Bool,
            Some("false"),
            "Repeat the clip until `until`.",
        ),
        f(
            "duck",
            OPACITY,
            Some("1"),
            "Gain multiplier while a voice plays (1: no ducking).",
        ),
        META,
    ],
    required: &["audio"],
};

/// Every definition, in the order the schema lists them.
pub static DEFS: &[&Def] = &[
    &MANIFEST,
    &CANVAS,
    &ASSET,
    &CHARACTER,
    &STYLE,
    &TIMING,
    &SHOT,
    &LAYER,
    &LAYER_KEY,
    &CAMERA_STATE,
    &CAMERA_FROM_TO,
    &CAMERA_KEYFRAMES,
    &CAMERA_KEY,
    &CAMERA_PRESET,
    &TRANSITION,
    &EDGE,
    &SHAKE,
    &FLASH,
    &TINT,
    &LINE,
    &BUBBLE,
    &SFX,
    &MUSIC,
];

/// The JSON Schema (draft 2020-12) of the format.
pub fn json_schema() -> Value {
    let mut defs = Map::new();
    for def in DEFS.iter().skip(1) {
        defs.insert(def.name.to_string(), object_schema(def));
    }
    let mut root = object_schema(&MANIFEST);
    let obj = root.as_object_mut().expect("an object");
    obj.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    obj.insert(
        "$id".into(),
        json!("https://manju.invalid/schema/drama-format.schema.json"),
    );
    obj.insert("title".into(), json!("Manju drama format v1 (manju/1)"));
    obj.insert("$defs".into(), Value::Object(defs));
    root
}

fn object_schema(def: &Def) -> Value {
    let mut props = Map::new();
    for field in def.fields {
        let mut s = type_schema(&field.ty);
        if let Value::Object(o) = &mut s {
            if !field.doc.is_empty() {
                o.insert("description".into(), json!(field.doc));
            }
            if let Some(d) = field.default {
                o.insert(
                    "default".into(),
                    serde_json::from_str(d).expect("defaults are JSON"),
                );
            }
        }
        props.insert(field.name.to_string(), s);
    }
    json!({
        "type": "object",
        "description": def.doc,
        "properties": props,
        "required": def.required,
        "additionalProperties": false,
    })
}

fn type_schema(ty: &Ty) -> Value {
    match ty {
        Ty::Number { min, max } => json!({ "type": "number", "minimum": min, "maximum": max }),
        Ty::Seconds { min } => json!({ "type": "number", "minimum": min, "maximum": MAX_SECONDS }),
        Ty::Text => json!({ "type": "string" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Color => {
            json!({ "type": "string", "pattern": "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$" })
        }
        Ty::ColorOrNull => json!({ "anyOf": [type_schema(&Ty::Color), { "type": "null" }] }),
        Ty::OneOf(names) => json!({ "type": "string", "enum": names }),
        Ty::Ease => json!({
            "type": "string",
            "pattern": "^(linear|ease|ease-in|ease-out|ease-in-out|step-start|step-end|cubic-bezier\\(.*\\))$"
        }),
        Ty::Numbers(n) => {
            json!({ "type": "array", "items": { "type": "number" }, "minItems": n, "maxItems": n })
        }
        Ty::Crop => json!({ "anyOf": [
            type_schema(&Ty::Numbers(4)),
            { "type": "string", "pattern": "^#?xywh=(pixel:|percent:)?[^,]+,[^,]+,[^,]+,[^,]+$" }
        ] }),
        Ty::AssetId(kind) => {
            json!({ "type": "string", "description": format!("The id of an {kind} asset.") })
        }
        Ty::Object(def) => json!({ "$ref": format!("#/$defs/{}", def.name) }),
        Ty::ArrayOf(item) => json!({ "type": "array", "items": type_schema(item) }),
        Ty::MapOf(value) => json!({ "type": "object", "additionalProperties": type_schema(value) }),
        Ty::Either(options) => {
            json!({ "anyOf": options.iter().map(type_schema).collect::<Vec<_>>() })
        }
        Ty::Const(s) => json!({ "const": s }),
        Ty::Any => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_is_defined_and_names_are_unique() {
        let text = json_schema().to_string();
        for def in DEFS.iter().skip(1) {
            assert!(
                text.contains(&format!("#/$defs/{}", def.name)),
                "{} is never used",
                def.name
            );
        }
        let mut names: Vec<&str> = DEFS.iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), DEFS.len());
        for def in DEFS {
            let mut fields: Vec<&str> = def.names().collect();
            fields.sort_unstable();
            fields.dedup();
            assert_eq!(
                fields.len(),
                def.fields.len(),
                "{} repeats a field",
                def.name
            );
            for r in def.required {
                assert!(def.field(r).is_some(), "{} requires unknown {r}", def.name);
            }
        }
    }
}
