//! Golden images of overlays, until lines go through the drama's display list: each case
//! draws one line, lays its overlay over a fixed gradient the size of the canvas, and must
//! equal `tests/golden/text-overlays/<case>.png` pixel for pixel (no tolerance: see
//! `tests/golden.rs`). A failure writes the actual image and a diff under
//! `tests/out/text-overlays/`; `MAKE_REF=1 cargo test text::golden` rewrites references.

use super::{FontBook, LineLook, Speaker, render_line, resolve_style};
use crate::model::{Align, Bubble, BubbleShape, Display, Position, Rgba8, TextStyle};
use std::path::PathBuf;

struct Case {
    name: &'static str,
    canvas: (u32, u32),
    display: Display,
    text: &'static str,
    /// The manifest's `styles` entry for the display.
    style: TextStyle,
    bubble: Option<Bubble>,
    visible: Option<usize>,
    speaker: Option<Speaker<'static>>,
    /// Words each expected warning contains, in order.
    warnings: &'static [&'static str],
}

const PORTRAIT: (u32, u32) = (720, 1280);

fn case(name: &'static str, display: Display, text: &'static str) -> Case {
    Case {
        name,
        canvas: PORTRAIT,
        display,
        text,
        style: TextStyle::default(),
        bubble: None,
        visible: None,
        speaker: None,
        warnings: &[],
    }
}

fn color(s: &str) -> Rgba8 {
    Rgba8::parse(s).unwrap()
}

fn at(x: f64, y: f64, width: f64, tail: Option<[f64; 2]>, shape: BubbleShape) -> Option<Bubble> {
    Some(Bubble {
        x: Some(x),
        y: Some(y),
        width: Some(width),
        tail,
        shape,
    })
}

fn cases() -> Vec<Case> {
    use BubbleShape::*;
    use Display::{Bubble as B, Caption, Sfx, Subtitle};
    vec![
        case("subtitle-zh", Subtitle, "这一世，我绝不会再让你得逞。"),
        case(
            "subtitle-en",
            Subtitle,
            "This time, I will never let you win.",
        ),
        case(
            "subtitle-ja",
            Subtitle,
            "ちょっと待って！一緒にラーメンを食べに行こうよ。",
        ),
        case(
            "subtitle-wrap-zh",
            Subtitle,
            "你以为我还是三年前那个任人欺负的林晚吗？从今天起，欠我的，我都会一一讨回来！",
        ),
        Case {
            speaker: Some(Speaker {
                name: "林晚",
                color: Some(color("#ffb3cf")),
            }),
            style: TextStyle {
                speaker_label: Some(true),
                ..TextStyle::default()
            },
            ..case("subtitle-speaker-zh", Subtitle, "你终于来了。")
        },
        Case {
            speaker: Some(Speaker {
                name: "Lin",
                color: None,
            }),
            style: TextStyle {
                speaker_label: Some(true),
                position: Some(Position::Top),
                margin: Some(60.0),
                background: Some(Some(color("#000000a0"))),
                stroke: Some(None),
                ..TextStyle::default()
            },
            ..case(
                "subtitle-top-background-en",
                Subtitle,
                "So you finally came. I have been waiting for three long years.",
            )
        },
        Case {
            style: TextStyle {
                align: Some(Align::Left),
                line_height: Some(1.8),
                color: Some(color("#ffe680")),
                stroke: Some(Some(color("#5a1020"))),
                stroke_width: Some(6.0),
                size: Some(44.0),
                max_width: Some(420.0),
                ..TextStyle::default()
            },
            ..case(
                "subtitle-style-fields-en",
                Subtitle,
                "Left aligned, tall lines, gold with a wine outline.",
            )
        },
        Case {
            canvas: (360, 640),
            ..case(
                "subtitle-small-zh",
                Subtitle,
                "小字也要清楚：描边不能有缝。Small text too.",
            )
        },
        Case {
            visible: Some(6),
            ..case(
                "subtitle-typewriter-zh",
                Subtitle,
                "这一世，我绝不会再让你得逞。",
            )
        },
        case("caption-zh", Caption, "三年后，京城。"),
        Case {
            style: TextStyle {
                align: Some(Align::Left),
                border_width: Some(3.0),
                background: Some(Some(color("#f4ecd8"))),
                color: Some(color("#2a2118")),
                border: Some(color("#2a2118")),
                ..TextStyle::default()
            },
            ..case(
                "caption-border-en",
                Caption,
                "Three years later. The capital had forgotten her name — but she had forgotten nothing.",
            )
        },
        Case {
            bubble: at(430.0, 300.0, 420.0, Some([300.0, 560.0]), Speech),
            ..case("bubble-speech-zh", B, "你以为我还是从前的我吗？")
        },
        Case {
            bubble: at(300.0, 330.0, 440.0, Some([520.0, 600.0]), Speech),
            ..case(
                "bubble-speech-en",
                B,
                "Did you really think I would forget?",
            )
        },
        Case {
            bubble: at(380.0, 360.0, 460.0, Some([170.0, 640.0]), Shout),
            style: TextStyle {
                size: Some(56.0),
                ..TextStyle::default()
            },
            ..case("bubble-shout-zh", B, "给我住手！！")
        },
        Case {
            bubble: at(360.0, 320.0, 460.0, Some([560.0, 640.0]), Thought),
            ..case("bubble-thought-zh", B, "他……真的认不出我了？")
        },
        Case {
            bubble: at(330.0, 380.0, 380.0, Some([130.0, 620.0]), Whisper),
            style: TextStyle {
                color: Some(color("#555555")),
                size: Some(36.0),
                ..TextStyle::default()
            },
            ..case(
                "bubble-whisper-en",
                B,
                "psst… don't look now, he's behind you",
            )
        },
        Case {
            bubble: at(360.0, 280.0, 520.0, Some([600.0, 520.0]), Box),
            ..case("bubble-box-zh", B, "系统提示：宿主已绑定。")
        },
        Case {
            canvas: (640, 360),
            bubble: at(600.0, 80.0, 300.0, Some([300.0, 300.0]), Speech),
            style: TextStyle {
                size: Some(40.0),
                ..TextStyle::default()
            },
            warnings: &["shrunk", "moved"],
            ..case(
                "bubble-shrunk-en",
                B,
                "A very long speech that cannot possibly fit a small balloon in the corner of the page, so it has to give.",
            )
        },
        Case {
            bubble: at(360.0, 540.0, 0.0, None, Speech),
            ..case("sfx-zh", Sfx, "轰！")
        },
        Case {
            bubble: at(380.0, 460.0, 0.0, None, Speech),
            style: TextStyle {
                rotation: Some(12.0),
                color: Some(color("#ff4a3d")),
                stroke: Some(Some(Rgba8::WHITE)),
                ..TextStyle::default()
            },
            ..case("sfx-en", Sfx, "BOOM!")
        },
        Case {
            style: TextStyle {
                rotation: Some(0.0),
                ..TextStyle::default()
            },
            ..case("sfx-ja", Sfx, "ドドドド")
        },
        // A TrueType font given as an asset; the CJK it lacks comes from the default font.
        Case {
            style: TextStyle {
                font: Some("serif".to_string()),
                size: Some(52.0),
                ..TextStyle::default()
            },
            ..case(
                "subtitle-font-asset-en-zh",
                Subtitle,
                "Chapter One 第一章: Rebirth 重生",
            )
        },
        Case {
            style: TextStyle {
                font: Some("No Such Font".to_string()),
                ..TextStyle::default()
            },
            warnings: &["not loaded"],
            ..case(
                "subtitle-unknown-font-en",
                Subtitle,
                "An unknown font falls back.",
            )
        },
    ]
}

/// A fixed backdrop with dark and light regions, so that outlines are seen to matter; in
/// 8-pixel bands, which keep the PNGs small.
fn backdrop(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((w * h * 4) as usize);
    for y in (0..h).map(|y| y / 8 * 8) {
        for x in (0..w).map(|x| x / 8 * 8) {
            let r = 30 + 190 * x / w;
            let g = 50 + 170 * y / h;
            let b = 110 + 60 * (w - x) / w;
            out.extend_from_slice(&[r as u8, g as u8, b as u8, 255]);
        }
    }
    out
}

/// Premultiplied source-over, rounded in integers.
fn lay_over(frame: &mut [u8], w: u32, o: &super::Overlay) {
    for row in 0..o.height {
        for col in 0..o.width {
            let s = ((row * o.width + col) * 4) as usize;
            let d = (((o.y as u32 + row) * w + o.x as u32 + col) * 4) as usize;
            let inv = 255 - u32::from(o.data[s + 3]);
            for k in 0..4 {
                let dst = u32::from(frame[d + k]);
                frame[d + k] = (u32::from(o.data[s + k]) + (dst * inv + 127) / 255) as u8;
            }
        }
    }
}

/// The backdrop is opaque: RGB at the best compression keeps the references small.
fn save_small_png(path: &std::path::Path, rgba: &[u8], w: u32, h: u32) {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    PngEncoder::new_with_quality(file, CompressionType::Best, FilterType::Adaptive)
        .write_image(&rgb, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
}

/// DejaVu Serif Bold, printable ASCII only.
pub fn test_font() -> Vec<u8> {
    std::fs::read(repo().join("tests/golden/text/fonts/dejavu-serif-bold-ascii.ttf")).unwrap()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn overlays_match_their_golden_images() {
    let mut book = FontBook::with_builtin();
    book.add_font("serif", test_font()).unwrap();
    let dir = repo().join("tests/golden/text-overlays");
    let out = repo().join("tests/out/text-overlays");
    let make = std::env::var_os("MAKE_REF").is_some();
    let mut failures = Vec::new();
    for c in cases() {
        let name = super::style::builtin_name(c.display).unwrap();
        let styles = vec![(name.to_string(), c.style.clone())];
        let style = resolve_style(c.display, None, &styles, c.canvas);
        let look = LineLook {
            display: c.display,
            text: c.text,
            visible: c.visible,
            speaker: c.speaker,
            style: &style,
            bubble: c.bubble,
            canvas: c.canvas,
        };
        let (overlay, warnings) = render_line(&book, &look);
        let ok = warnings.len() == c.warnings.len()
            && warnings.iter().zip(c.warnings).all(|(w, e)| w.contains(e));
        if !ok {
            failures.push(format!(
                "{}: warnings {warnings:?}, expected {:?}",
                c.name, c.warnings
            ));
        }
        let overlay = overlay.expect("an overlay");
        let (w, h) = c.canvas;
        assert!(overlay.x >= 0 && overlay.y >= 0);
        assert!(overlay.x as u32 + overlay.width <= w && overlay.y as u32 + overlay.height <= h);
        let mut frame = backdrop(w, h);
        lay_over(&mut frame, w, &overlay);
        let png = dir.join(format!("{}.png", c.name));
        if make {
            std::fs::create_dir_all(&dir).unwrap();
            save_small_png(&png, &frame, w, h);
            continue;
        }
        let Ok(reference) = image::open(&png) else {
            failures.push(format!("{}: no reference (run with MAKE_REF=1)", c.name));
            continue;
        };
        let reference = reference.into_rgba8();
        let differing = if reference.dimensions() == (w, h) {
            frame
                .chunks_exact(4)
                .zip(reference.as_raw().chunks_exact(4))
                .filter(|(a, b)| a != b)
                .count()
        } else {
            usize::MAX
        };
        if differing > 0 {
            std::fs::create_dir_all(&out).unwrap();
            let actual = out.join(format!("{}.actual.png", c.name));
            image::save_buffer(&actual, &frame, w, h, image::ExtendedColorType::Rgba8).unwrap();
            if differing != usize::MAX {
                let diff: Vec<u8> = frame
                    .chunks_exact(4)
                    .zip(reference.as_raw().chunks_exact(4))
                    .flat_map(|(a, b)| {
                        if a == b {
                            let g = b[0] / 4 + b[1] / 4 + b[2] / 4;
                            [g, g, g, 255]
                        } else {
                            [255, 0, 0, 255]
                        }
                    })
                    .collect();
                let path = out.join(format!("{}.diff.png", c.name));
                image::save_buffer(&path, &diff, w, h, image::ExtendedColorType::Rgba8).unwrap();
            }
            failures.push(format!(
                "{}: {differing} pixels differ; see {}",
                c.name,
                actual.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
