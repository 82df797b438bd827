//! Evaluating a drama at an instant: a pure function from (drama, time) to a
//! [`DisplayList`]. A seek is one evaluation; nothing is replayed.

pub mod easing;
mod evaluate;
mod geometry;
pub mod summary;

pub use evaluate::evaluate;
pub(crate) use evaluate::in_window;
pub use geometry::Affine;

use crate::model::{Blend, Rgba8};

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
    /// Items drawn on their own, then laid over what is below with `opacity`, inside
    /// `clip` when given (transitions between two whole shots).
    Group {
        items: Vec<Item>,
        opacity: f32,
        clip: Option<[f64; 4]>,
    },
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
