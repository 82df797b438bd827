//! Evaluating a drama at an instant: a pure function from (drama, time) to a
//! [`DisplayList`]. A seek is one evaluation; nothing is replayed.

pub mod easing;
mod evaluate;
mod geometry;
pub mod summary;

pub use evaluate::{evaluate, layer_at};
pub(crate) use evaluate::{in_window, text_item};
pub use geometry::Affine;

use crate::model::{Blend, Bubble, Display, Rgba8};
use crate::text::{LineLook, ResolvedStyle, Speaker};
use std::sync::Arc;

/// What to draw for one frame, back to front.
#[derive(Clone, Debug, PartialEq)]
pub struct DisplayList {
    /// Fills the frame before anything is drawn.
    pub background: Rgba8,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A rectangle `src` of image asset `image`, mapped to the screen by `to_screen`
    /// (from the rectangle's own coordinates: its top-left corner is (0, 0)).
    Image {
        image: String,
        src: [f64; 4],
        to_screen: Affine,
        opacity: f32,
        blend: Blend,
    },
    /// A missing image: a visible pattern over `size` (the area the image would cover).
    Placeholder {
        size: [f64; 2],
        to_screen: Affine,
        opacity: f32,
    },
    /// A colour over the screen rectangle `rect` (`None`: the whole frame).
    Fill {
        color: Rgba8,
        opacity: f32,
        rect: Option<[f64; 4]>,
    },
    /// A line's words (subtitle, bubble, caption or sound word), drawn by the text
    /// renderer at whole pixels, moved by `offset` (a shot sliding or pushed away during
    /// a transition takes its words with it).
    Text {
        text: Arc<TextItem>,
        offset: [f64; 2],
        opacity: f32,
    },
    /// Items drawn on their own, then laid over what is below with `opacity`, inside
    /// `clip` when given (transitions between two whole shots).
    Group {
        items: Vec<Item>,
        opacity: f32,
        clip: Option<[f64; 4]>,
    },
}

/// Everything that decides how a line looks at one instant (an owned
/// [`LineLook`]): equal items draw equal pictures, so the compositor caches them.
#[derive(Clone, Debug, PartialEq)]
pub struct TextItem {
    pub display: Display,
    pub text: String,
    /// How many characters show (typewriter); `None`: all of them.
    pub visible: Option<usize>,
    /// The speaker's name and colour, for a speaker label.
    pub speaker: Option<(String, Option<Rgba8>)>,
    pub style: ResolvedStyle,
    pub bubble: Option<Bubble>,
    pub canvas: (u32, u32),
}

impl TextItem {
    pub fn look(&self) -> LineLook<'_> {
        LineLook {
            display: self.display,
            text: &self.text,
            visible: self.visible,
            speaker: self.speaker.as_ref().map(|(name, color)| Speaker {
                name,
                color: *color,
            }),
            style: &self.style,
            bubble: self.bubble,
            canvas: self.canvas,
        }
    }

    /// The same words `k` times the size.
    fn scaled(&self, k: f64) -> TextItem {
        let px = |v: u32| (f64::from(v) * k).round().max(1.0) as u32;
        TextItem {
            style: self.style.scaled(k),
            bubble: self.bubble.map(|b| Bubble {
                x: b.x.map(|v| v * k),
                y: b.y.map(|v| v * k),
                width: b.width.map(|v| v * k),
                tail: b.tail.map(|t| t.map(|v| v * k)),
                shape: b.shape,
            }),
            canvas: (px(self.canvas.0), px(self.canvas.1)),
            ..self.clone()
        }
    }
}

impl DisplayList {
    /// The same picture `k` times the size (thumbnails: k < 1). Mipmaps keep the
    /// shrunk images clean.
    pub fn scaled(mut self, k: f64) -> DisplayList {
        fn rect(r: [f64; 4], k: f64) -> [f64; 4] {
            r.map(|v| v * k)
        }
        fn scale_items(items: &mut [Item], k: f64) {
            for item in items {
                match item {
                    Item::Image { to_screen, .. } | Item::Placeholder { to_screen, .. } => {
                        *to_screen = Affine::scale(k).compose(*to_screen);
                    }
                    Item::Fill { rect: r, .. } => *r = r.map(|r| rect(r, k)),
                    Item::Text { text, offset, .. } => {
                        *text = Arc::new(text.scaled(k));
                        *offset = offset.map(|v| v * k);
                    }
                    Item::Group { items, clip, .. } => {
                        *clip = clip.map(|c| rect(c, k));
                        scale_items(items, k);
                    }
                }
            }
        }
        scale_items(&mut self.items, k);
        self
    }
}
