//! Evaluating a drama at an instant: a pure function from (drama, time) to a
//! [`DisplayList`]. A seek is one evaluation; nothing is replayed.

pub mod easing;
mod evaluate;
mod geometry;
pub mod summary;

pub use evaluate::evaluate;
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
