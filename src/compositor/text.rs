//! Words on the picture: the overlays of a frame's text items, drawn by the text renderer
//! and kept from frame to frame (a line shows for seconds, and a typewriter line changes
//! a few times a second), then laid over the frame at whole pixels.

use super::blend::over_with;
use super::kernels;
use super::raster::Target;
use crate::model::{Display, Position};
use crate::text::{FontBook, Overlay, render_line};
use crate::timeline::{Item, TextItem};
use std::sync::Arc;

/// Most overlays kept, and most bytes (a 1080-wide subtitle of two lines is ~0.6 MB).
const MAX_ENTRIES: usize = 48;
const MAX_BYTES: usize = 32 << 20;

struct Entry {
    item: Arc<TextItem>,
    overlay: Option<Arc<Overlay>>,
    used: u64,
}

/// Overlays by the look they were drawn from, least recently used dropped first, all of
/// them when the fonts change.
#[derive(Default)]
pub(super) struct TextCache {
    entries: Vec<Entry>,
    clock: u64,
    generation: u64,
}

impl TextCache {
    /// The overlay of `item`, drawn now if it was not kept.
    fn get(&mut self, item: &Arc<TextItem>, fonts: &FontBook) -> Option<Arc<Overlay>> {
        if fonts.generation() != self.generation {
            self.entries.clear();
            self.generation = fonts.generation();
        }
        self.clock += 1;
        if let Some(e) = self
            .entries
            .iter_mut()
            .find(|e| Arc::ptr_eq(&e.item, item) || *e.item == **item)
        {
            e.used = self.clock;
            return e.overlay.clone();
        }
        let overlay = render_line(fonts, &item.look()).0.map(Arc::new);
        self.entries.push(Entry {
            item: item.clone(),
            overlay: overlay.clone(),
            used: self.clock,
        });
        let bytes = |entries: &[Entry]| -> usize {
            entries
                .iter()
                .filter_map(|e| e.overlay.as_ref())
                .map(|o| o.data.len())
                .sum()
        };
        while self.entries.len() > 1
            && (self.entries.len() > MAX_ENTRIES || bytes(&self.entries) > MAX_BYTES)
        {
            let oldest = (0..self.entries.len() - 1)
                .min_by_key(|&i| self.entries[i].used)
                .expect("more than one entry");
            self.entries.swap_remove(oldest);
        }
        overlay
    }

    /// The overlays of every text item in `items` (groups included) for one frame, by
    /// item, each with the distance it is moved to keep clear of the lines before it:
    /// drawn once, not once per band.
    ///
    /// Subtitles (and captions) showing at once would be drawn over each other; as video
    /// players do with overlapping cues, the later line moves out of the way — up from
    /// the bottom, down from the top or the centre — and the earlier keeps its place.
    pub(super) fn frame_overlays(
        &mut self,
        items: &[Item],
        fonts: &FontBook,
        out: &mut Vec<(usize, Option<Arc<Overlay>>, i64)>,
    ) {
        let mut placed: Vec<(Display, [i64; 4])> = Vec::new();
        for item in items {
            match item {
                Item::Text { text, offset, .. } => {
                    let overlay = self.get(text, fonts);
                    let mut dy = 0;
                    if let Some(o) = &overlay
                        && matches!(text.display, Display::Subtitle | Display::Caption)
                    {
                        let up = text.style.position == Position::Bottom;
                        let mut rect = overlay_rect(o, *offset);
                        // Each move may land on another line: go on until clear.
                        while let Some(r) = placed
                            .iter()
                            .filter(|(d, _)| *d == text.display)
                            .map(|(_, r)| *r)
                            .find(|r| overlaps(*r, rect))
                        {
                            let step = if up { r[1] - rect[3] } else { r[3] - rect[1] };
                            dy += step;
                            rect[1] += step;
                            rect[3] += step;
                        }
                        placed.push((text.display, rect));
                    }
                    out.push((key(text), overlay, dy));
                }
                Item::Group { items, .. } => self.frame_overlays(items, fonts, out),
                _ => {}
            }
        }
    }
}

fn overlaps(a: [i64; 4], b: [i64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Identifies a text item for the duration of one frame.
pub(super) fn key(text: &Arc<TextItem>) -> usize {
    Arc::as_ptr(text) as usize
}

/// The rectangle `[x0, y0, x1, y1]` an overlay covers, moved by `offset` (rounded to
/// whole pixels).
pub(super) fn overlay_rect(overlay: &Overlay, offset: [f64; 2]) -> [i64; 4] {
    let x0 = i64::from(overlay.x) + offset[0].round() as i64;
    let y0 = i64::from(overlay.y) + offset[1].round() as i64;
    [
        x0,
        y0,
        x0 + i64::from(overlay.width),
        y0 + i64::from(overlay.height),
    ]
}

/// Lays `overlay` over the target inside `area` (its rectangle clipped) at opacity
/// `alpha` (1..=256).
pub(super) fn draw(
    target: &mut Target,
    overlay: &Overlay,
    rect: [i64; 4],
    area: [i64; 4],
    alpha: u32,
) {
    let [x0, y0, x1, y1] = area;
    let stride = overlay.width as usize * 4;
    for y in y0..y1 {
        let from = (y - rect[1]) as usize * stride + (x0 - rect[0]) as usize * 4;
        let src = &overlay.data[from..from + (x1 - x0) as usize * 4];
        kernels::over_rows(target.row(y, x0, x1), src, alpha);
    }
}

/// The reference for [`draw`]: pixel by pixel.
pub(super) fn draw_reference(
    frame: &mut [u32],
    w: usize,
    overlay: &Overlay,
    rect: [i64; 4],
    area: [i64; 4],
    alpha: u32,
) {
    let stride = overlay.width as usize * 4;
    for y in area[1]..area[3] {
        for x in area[0]..area[2] {
            let i = (y - rect[1]) as usize * stride + (x - rect[0]) as usize * 4;
            let s = u32::from_le_bytes(overlay.data[i..i + 4].try_into().expect("4 bytes"));
            let d = &mut frame[y as usize * w + x as usize];
            *d = over_with(*d, s, alpha);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::resolve_style;

    fn subtitle(text: &str) -> Arc<TextItem> {
        let canvas = (360, 640);
        Arc::new(TextItem {
            display: Display::Subtitle,
            text: text.into(),
            visible: None,
            speaker: None,
            style: resolve_style(Display::Subtitle, None, &[], canvas),
            bubble: None,
            canvas,
        })
    }

    #[test]
    fn a_line_is_drawn_once_while_it_shows_and_again_when_the_fonts_change() {
        let mut fonts = FontBook::with_builtin();
        let mut cache = TextCache::default();
        let first = cache.get(&subtitle("雨夜。"), &fonts).unwrap();
        // An equal item of the next frame (another allocation) finds the same overlay.
        let again = cache.get(&subtitle("雨夜。"), &fonts).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        let other = cache.get(&subtitle("归来。"), &fonts).unwrap();
        assert!(!Arc::ptr_eq(&first, &other));
        fonts
            .add_font("serif", crate::text::golden::test_font())
            .unwrap();
        let redrawn = cache.get(&subtitle("雨夜。"), &fonts).unwrap();
        assert!(!Arc::ptr_eq(&first, &redrawn));
        assert_eq!(*first, *redrawn);
    }

    #[test]
    fn the_cache_stays_within_its_limits() {
        let fonts = FontBook::with_builtin();
        let mut cache = TextCache::default();
        for i in 0..MAX_ENTRIES + 20 {
            cache.get(&subtitle(&format!("第{i}句")), &fonts);
        }
        assert_eq!(cache.entries.len(), MAX_ENTRIES);
        // The newest are kept.
        let last = subtitle(&format!("第{}句", MAX_ENTRIES + 19));
        assert!(cache.entries.iter().any(|e| *e.item == *last));
    }

    #[test]
    fn subtitles_showing_at_once_are_moved_apart() {
        let fonts = FontBook::with_builtin();
        let mut cache = TextCache::default();
        let items: Vec<Item> = ["第一句。", "第二句。", "第三句。"]
            .iter()
            .map(|t| Item::Text {
                text: subtitle(t),
                offset: [0.0, 0.0],
                opacity: 1.0,
            })
            .collect();
        let mut out = Vec::new();
        cache.frame_overlays(&items, &fonts, &mut out);
        let rects: Vec<[i64; 4]> = out
            .iter()
            .map(|(_, o, dy)| {
                let r = overlay_rect(o.as_ref().unwrap(), [0.0, *dy as f64]);
                assert!(*dy <= 0, "bottom subtitles move up");
                r
            })
            .collect();
        assert_eq!(out[0].2, 0, "the first keeps its place");
        // Each later line sits right above the one before.
        assert_eq!(rects[1][3], rects[0][1]);
        assert_eq!(rects[2][3], rects[1][1]);
    }
}
