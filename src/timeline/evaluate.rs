//! The drama at one instant → a display list.

use super::geometry::Affine;
use super::{DisplayList, Item, TextItem};
use crate::assets::AssetStore;
use crate::model::{
    CameraState, Crop, Direction, Display, Drama, Effect, Fit, Layer, Line, Rgba8, Shot,
    TransitionKind,
};
use crate::text::{resolve_style, visible_chars};
use crate::time::Micros;
use std::sync::Arc;

/// What is on screen at instant `t` (episode time, clamped to the episode).
pub fn evaluate(drama: &Drama, store: &AssetStore, t: Micros) -> DisplayList {
    let bg = drama.canvas.background;
    let mut items = Vec::new();
    let shots = &drama.shots;
    if shots.is_empty() {
        return DisplayList {
            background: bg,
            items,
        };
    }
    let t = t.clamp(0, (drama.duration - 1).max(0));
    let i = shots.partition_point(|s| s.start <= t).saturating_sub(1);
    let ctx = Ctx { drama, store };
    // The transition into the next shot, or from the previous one, if `t` is inside it.
    let joining = shots
        .get(i + 1)
        .filter(|next| in_window(next, t))
        .map(|_| i + 1)
        .or_else(|| (i > 0 && in_window(&shots[i], t)).then_some(i));
    match joining {
        Some(k) => ctx.transition(&shots[k - 1], &shots[k], t, &mut items),
        None => ctx.shot(
            &shots[i],
            t - shots[i].start,
            Affine::IDENTITY,
            None,
            &mut items,
        ),
    }
    if let Some(intro) = drama.intro.filter(|e| e.duration > 0 && t < e.duration) {
        let opacity = 1.0 - t as f64 / intro.duration as f64;
        items.push(Item::Fill {
            color: intro.color,
            opacity: opacity as f32,
            rect: None,
        });
    }
    if let Some(outro) = drama
        .outro
        .filter(|e| e.duration > 0 && t >= drama.duration - e.duration)
    {
        let opacity = (t - (drama.duration - outro.duration)) as f64 / outro.duration as f64;
        items.push(Item::Fill {
            color: outro.color,
            opacity: opacity as f32,
            rect: None,
        });
    }
    DisplayList {
        background: bg,
        items,
    }
}

/// The layer of the shot on screen at instant `t` drawn topmost at the canvas point
/// `(x, y)` (in canvas pixels), by its index in the shot (the manifest's
/// `shots[i].layers[k]`, as a review note's anchor names it). A layer counts by its
/// rectangle, as placed at that instant (camera, shake, its own motion), not by the
/// opacity of its pixels: what a reviewer points at is "that picture". `None` when no
/// layer covers the point or it is off the canvas. During a transition the shot is the
/// one whose time it is (the same shot a note's anchor takes), unmoved by the transition.
pub fn layer_at(drama: &Drama, store: &AssetStore, t: Micros, x: f64, y: f64) -> Option<usize> {
    let shots = &drama.shots;
    let (w, h) = (
        f64::from(drama.canvas.width),
        f64::from(drama.canvas.height),
    );
    if shots.is_empty() || !(0.0..w).contains(&x) || !(0.0..h).contains(&y) {
        return None;
    }
    let t = t.clamp(0, (drama.duration - 1).max(0));
    let shot = &shots[shots.partition_point(|s| s.start <= t).saturating_sub(1)];
    let lt = t - shot.start;
    let ctx = Ctx { drama, store };
    let cam = shaken(shot, lt, shot.camera.state_at(lt));
    shot.layers.iter().enumerate().rev().find_map(|(k, layer)| {
        let (size, to_screen) = match ctx.layer(layer, lt, cam, Affine::IDENTITY)? {
            Item::Image { src, to_screen, .. } => ([src[2], src[3]], to_screen),
            Item::Placeholder {
                size, to_screen, ..
            } => (size, to_screen),
            _ => return None,
        };
        let (u, v) = to_screen.invert()?.apply(x, y);
        ((0.0..size[0]).contains(&u) && (0.0..size[1]).contains(&v)).then_some(k)
    })
}

/// The camera `cam` of `shot` at local time `lt` with its shakes added.
fn shaken(shot: &Shot, lt: Micros, mut cam: CameraState) -> CameraState {
    for effect in &shot.effects {
        if let Effect::Shake {
            at,
            duration,
            amplitude,
            frequency,
        } = *effect
            && lt >= at
            && lt < at + duration
        {
            let tau = (lt - at) as f64 / 1e6;
            let u = tau / (duration as f64 / 1e6);
            let two_pi_f = 2.0 * std::f64::consts::PI * frequency;
            cam.x += amplitude * (1.0 - u) * libm::sin(two_pi_f * tau);
            cam.y += amplitude * (1.0 - u) * libm::sin(1.3 * two_pi_f * tau + 1.0);
        }
    }
    cam
}

/// How `line` looks fully shown: its style resolved, its speaker named.
pub(crate) fn text_item(drama: &Drama, line: &Line) -> TextItem {
    let canvas = (drama.canvas.width, drama.canvas.height);
    let style = resolve_style(line.display, line.style.as_deref(), &drama.styles, canvas);
    let speaker =
        line.speaker
            .as_deref()
            .map(|id| match drama.characters.iter().find(|c| c.id == id) {
                Some(c) => (c.name.clone(), c.color),
                None => (id.to_string(), None),
            });
    TextItem {
        display: line.display,
        text: line.text.clone(),
        visible: None,
        speaker,
        style,
        bubble: line.bubble,
        canvas,
    }
}

/// Whether `t` falls in the window `[start − d/2, start + d/2)` of `shot`'s incoming transition.
pub(crate) fn in_window(shot: &Shot, t: Micros) -> bool {
    let d = shot.transition.duration;
    shot.transition.kind != TransitionKind::Cut
        && d > 0
        && t >= shot.start - d / 2
        && t < shot.start - d / 2 + d
}

struct Ctx<'a> {
    drama: &'a Drama,
    store: &'a AssetStore,
}

impl Ctx<'_> {
    fn size(&self) -> (f64, f64) {
        (
            f64::from(self.drama.canvas.width),
            f64::from(self.drama.canvas.height),
        )
    }

    fn transition(&self, a: &Shot, b: &Shot, t: Micros, out: &mut Vec<Item>) {
        let tr = b.transition;
        let begin = b.start - tr.duration / 2;
        let p = tr.ease.apply((t - begin) as f64 / tr.duration as f64);
        let (ta, tb) = (t - a.start, t - b.start);
        let (w, h) = self.size();
        let bg = self.drama.canvas.background;
        let full = Affine::IDENTITY;
        // Shot B on its own background, moved by `post`, as a list of items.
        let b_items = |post: Affine| {
            let mut v = vec![Item::Fill {
                color: bg,
                opacity: 1.0,
                rect: None,
            }];
            self.shot(b, tb, post, None, &mut v);
            v
        };
        // A shot's frame ends at its edges: whatever its layers have beyond them stays
        // hidden while the frame moves.
        let moved = |post: Affine, opacity: f64, items: Vec<Item>| Item::Group {
            items,
            opacity: opacity as f32,
            clip: Some(screen_rect(post, w, h)),
        };
        let offset = |dir: Direction, amount: f64| match dir {
            Direction::Left => Affine::translate(-amount * w, 0.0),
            Direction::Right => Affine::translate(amount * w, 0.0),
            Direction::Up => Affine::translate(0.0, -amount * h),
            Direction::Down => Affine::translate(0.0, amount * h),
        };
        match tr.kind {
            TransitionKind::Cut => self.shot(
                if t < b.start { a } else { b },
                if t < b.start { ta } else { tb },
                full,
                None,
                out,
            ),
            TransitionKind::Crossfade => {
                self.shot(a, ta, full, None, out);
                out.push(Item::Group {
                    items: b_items(full),
                    opacity: p as f32,
                    clip: None,
                });
            }
            TransitionKind::FadeBlack | TransitionKind::FadeWhite => {
                let color = if tr.kind == TransitionKind::FadeBlack {
                    Rgba8::BLACK
                } else {
                    Rgba8::WHITE
                };
                if p < 0.5 {
                    self.shot(a, ta, full, None, out);
                    out.push(Item::Fill {
                        color,
                        opacity: (2.0 * p) as f32,
                        rect: None,
                    });
                } else {
                    self.shot(b, tb, full, None, out);
                    out.push(Item::Fill {
                        color,
                        opacity: (2.0 - 2.0 * p) as f32,
                        rect: None,
                    });
                }
            }
            TransitionKind::Slide(dir) => {
                // B enters moving in `dir`: it starts one screen behind, opposite to `dir`.
                self.shot(a, ta, full, None, out);
                let post = offset(dir, p - 1.0);
                out.push(moved(post, 1.0, b_items(post)));
            }
            TransitionKind::Push(dir) => {
                let (post_a, post_b) = (offset(dir, p), offset(dir, p - 1.0));
                let mut a_items = Vec::new();
                self.shot(a, ta, post_a, None, &mut a_items);
                out.push(moved(post_a, 1.0, a_items));
                out.push(moved(post_b, 1.0, b_items(post_b)));
            }
            TransitionKind::Wipe(dir) => {
                self.shot(a, ta, full, None, out);
                let clip = match dir {
                    Direction::Left => [(1.0 - p) * w, 0.0, p * w, h],
                    Direction::Right => [0.0, 0.0, p * w, h],
                    Direction::Up => [0.0, (1.0 - p) * h, w, p * h],
                    Direction::Down => [0.0, 0.0, w, p * h],
                };
                out.push(Item::Group {
                    items: b_items(full),
                    opacity: 1.0,
                    clip: Some(clip),
                });
            }
            TransitionKind::Zoom => {
                self.shot(a, ta, full, None, out);
                let s = 1.0 + 0.2 * (1.0 - p);
                let post = Affine::translate(w / 2.0, h / 2.0)
                    .compose(Affine::scale(s))
                    .compose(Affine::translate(-w / 2.0, -h / 2.0));
                out.push(moved(post, p, b_items(post)));
            }
            TransitionKind::Move => {
                let from = a.camera.state_at(a.duration);
                let to = b.camera.state_at(0);
                let lerp = |x: f64, y: f64| x + (y - x) * p;
                let cam = CameraState {
                    x: lerp(from.x, to.x),
                    y: lerp(from.y, to.y),
                    zoom: lerp(from.zoom, to.zoom),
                    rotation: lerp(from.rotation, to.rotation),
                };
                self.shot(b, tb, full, Some(cam), out);
            }
        }
    }

    /// The items of `shot` at local time `lt`, moved on screen by `post`.
    fn shot(
        &self,
        shot: &Shot,
        lt: Micros,
        post: Affine,
        camera: Option<CameraState>,
        out: &mut Vec<Item>,
    ) {
        let cam = shaken(shot, lt, camera.unwrap_or_else(|| shot.camera.state_at(lt)));
        for layer in &shot.layers {
            if let Some(item) = self.layer(layer, lt, cam, post) {
                out.push(item);
            }
        }
        let (w, h) = self.size();
        let rect = (post != Affine::IDENTITY).then(|| screen_rect(post, w, h));
        for effect in &shot.effects {
            match *effect {
                Effect::Flash {
                    at,
                    duration,
                    color,
                    opacity,
                } if lt >= at && lt < at + duration => {
                    let u = (lt - at) as f64 / duration as f64;
                    out.push(Item::Fill {
                        color,
                        opacity: (opacity * (1.0 - u)) as f32,
                        rect,
                    });
                }
                Effect::Tint {
                    at,
                    duration,
                    color,
                    opacity,
                } => {
                    let end = duration.map_or(Micros::MAX, |d| at + d);
                    if lt >= at && lt < end {
                        out.push(Item::Fill {
                            color,
                            opacity: opacity as f32,
                            rect,
                        });
                    }
                }
                _ => {}
            }
        }
        self.lines(shot, lt, post, out);
    }

    /// The words of `shot`'s lines showing at local time `lt`: over the shot's pictures
    /// and effects, sound words and bubbles first, then captions, then subtitles on top.
    /// They keep their place on the screen as the camera moves; a shot sliding or pushed
    /// away during a transition takes them along.
    fn lines(&self, shot: &Shot, lt: Micros, post: Affine, out: &mut Vec<Item>) {
        let [a, b, c, d, e, f] = post.0;
        let offset = if (a, b, c, d) == (1.0, 0.0, 0.0, 1.0) {
            [e, f]
        } else {
            [0.0, 0.0]
        };
        let rank = |display: Display| match display {
            Display::Bubble | Display::Sfx => 0,
            Display::Caption => 1,
            _ => 2,
        };
        for pass in 0..3 {
            for line in &shot.lines {
                let showing = lt >= line.at && lt < line.at + line.duration;
                if !showing || line.display == Display::None || rank(line.display) != pass {
                    continue;
                }
                let mut text = text_item(self.drama, line);
                text.visible = visible_chars(
                    &line.text,
                    line.reveal,
                    text.style.cps,
                    lt - line.at,
                    line.duration,
                );
                out.push(Item::Text {
                    text: Arc::new(text),
                    offset,
                    opacity: 1.0,
                });
            }
        }
    }

    fn layer(&self, layer: &Layer, lt: Micros, cam: CameraState, post: Affine) -> Option<Item> {
        let opacity = layer.opacity.value_at(lt).clamp(0.0, 1.0);
        if opacity <= 0.0 {
            return None;
        }
        let (w, h) = self.size();
        // The size is known once the image was read, whether its pixels are held or not.
        let image = self.store.image_size(&layer.image);
        // A missing image keeps its place: the crop if given in pixels, else the canvas.
        let src = match image {
            Some(size) => Crop::in_pixels(layer.crop, size)?,
            None => match layer.crop {
                Some(Crop::Pixels(r)) => r,
                _ => [0.0, 0.0, w, h],
            },
        };
        let (cw, ch) = (src[2], src[3]);
        let base = match layer.fit {
            Fit::Cover => (w / cw).max(h / ch),
            Fit::Contain => (w / cw).min(h / ch),
            Fit::None => 1.0,
        };
        let s = base * layer.scale.value_at(lt);
        let to_stage = Affine::translate(layer.x.value_at(lt), layer.y.value_at(lt))
            .compose(Affine::rotate(layer.rotation.value_at(lt)))
            .compose(Affine::scale(s))
            .compose(Affine::translate(
                -layer.anchor[0] * cw,
                -layer.anchor[1] * ch,
            ));
        let to_screen = post
            .compose(self.camera_transform(cam, layer.parallax))
            .compose(to_stage);
        Some(match image {
            Some(_) => Item::Image {
                image: layer.image.clone(),
                src,
                to_screen,
                opacity: opacity as f32,
                blend: layer.blend,
            },
            None => Item::Placeholder {
                size: [cw, ch],
                to_screen,
                opacity: opacity as f32,
            },
        })
    }

    /// Stage → screen for a layer with parallax `p`: the layer sees the camera's offset
    /// from the canvas centre, its zoom − 1 and its rotation multiplied by p.
    fn camera_transform(&self, cam: CameraState, p: f64) -> Affine {
        let (w, h) = self.size();
        let (cx, cy) = (w / 2.0, h / 2.0);
        let x = cx + (cam.x - cx) * p;
        let y = cy + (cam.y - cy) * p;
        let zoom = 1.0 + (cam.zoom - 1.0) * p;
        Affine::translate(cx, cy)
            .compose(Affine::scale(zoom))
            .compose(Affine::rotate(-cam.rotation * p))
            .compose(Affine::translate(-x, -y))
    }
}

/// The screen rectangle the canvas covers after `post` (a translation or a scale).
fn screen_rect(post: Affine, w: f64, h: f64) -> [f64; 4] {
    let (x0, y0) = post.apply(0.0, 0.0);
    let (x1, y1) = post.apply(w, h);
    [x0.min(x1), y0.min(y1), (x1 - x0).abs(), (y1 - y0).abs()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{load_manifest, resolve};

    fn drama(lines: &str) -> Drama {
        let text = format!(
            r#"{{"format": "manju/1", "canvas": {{"width": 360, "height": 640}},
                "shots": [{{"duration": 4, "lines": {lines}}},
                          {{"duration": 4, "transition": {{"type": "push-left", "duration": 1}},
                            "lines": [{{"text": "B", "at": 0, "duration": 4}}]}}]}}"#
        );
        let m = load_manifest(&text).manifest.expect("a manifest");
        resolve(m, &AssetStore::default()).drama
    }

    fn texts(list: &DisplayList) -> Vec<(String, Option<usize>, [f64; 2])> {
        fn walk(items: &[Item], out: &mut Vec<(String, Option<usize>, [f64; 2])>) {
            for item in items {
                match item {
                    Item::Text { text, offset, .. } => {
                        out.push((text.text.clone(), text.visible, *offset));
                    }
                    Item::Group { items, .. } => walk(items, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&list.items, &mut out);
        out
    }

    #[test]
    fn layer_at_finds_the_topmost_layer_under_a_point() {
        // A background over the whole canvas, a 100 px square with its centre at
        // (100, 100), and a hidden layer over everything (opacity 0: not pointed at).
        let text = r#"{"format": "manju/1", "canvas": {"width": 360, "height": 640},
            "shots": [{"duration": 2, "layers": [
                {"image": "bg"},
                {"image": "fig", "fit": "none", "crop": [0, 0, 100, 100], "x": 100, "y": 100},
                {"image": "ghost", "opacity": 0}]},
              {"duration": 2, "layers": [{"image": "bg2", "fit": "none", "crop": [0, 0, 10, 10]}]}]}"#;
        let m = load_manifest(text).manifest.expect("a manifest");
        let store = AssetStore::default();
        let d = resolve(m, &store).drama;
        assert_eq!(layer_at(&d, &store, 0, 100.0, 100.0), Some(1));
        assert_eq!(layer_at(&d, &store, 0, 51.0, 149.0), Some(1));
        assert_eq!(layer_at(&d, &store, 0, 151.0, 100.0), Some(0));
        assert_eq!(layer_at(&d, &store, 0, 300.0, 600.0), Some(0));
        assert_eq!(layer_at(&d, &store, 0, -1.0, 100.0), None, "off the canvas");
        // The second shot's one small layer sits at the centre: elsewhere, nothing.
        assert_eq!(layer_at(&d, &store, 3_000_000, 180.0, 320.0), Some(0));
        assert_eq!(layer_at(&d, &store, 3_000_000, 10.0, 10.0), None);
    }

    #[test]
    fn lines_show_from_their_start_until_their_end() {
        let d = drama(r#"[{"text": "one", "at": 1, "duration": 1}]"#);
        let store = AssetStore::default();
        assert!(texts(&evaluate(&d, &store, 999_999)).is_empty());
        assert_eq!(texts(&evaluate(&d, &store, 1_000_000)).len(), 1);
        assert_eq!(texts(&evaluate(&d, &store, 1_999_999)).len(), 1);
        // The end is the next line's time to start: not shown any more.
        assert!(texts(&evaluate(&d, &store, 2_000_000)).is_empty());
    }

    #[test]
    fn subtitles_go_over_captions_over_bubbles_and_none_is_not_drawn() {
        let d = drama(
            r#"[{"text": "sub", "at": 0, "duration": 3},
                {"text": "cap", "at": 0, "duration": 3, "display": "caption"},
                {"text": "bub", "at": 0, "duration": 3, "display": "bubble"},
                {"text": "voice only", "at": 0, "duration": 3, "display": "none"},
                {"text": "bang", "at": 0, "duration": 3, "display": "sfx"}]"#,
        );
        let order: Vec<String> = texts(&evaluate(&d, &AssetStore::default(), 500_000))
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(order, ["bub", "bang", "cap", "sub"]);
    }

    #[test]
    fn typewriter_lines_grow_and_pushed_shots_take_their_words_along() {
        let d =
            drama(r#"[{"text": "0123456789", "at": 0, "duration": 3, "reveal": "typewriter"}]"#);
        let store = AssetStore::default();
        assert_eq!(texts(&evaluate(&d, &store, 0))[0].1, Some(1));
        assert_eq!(texts(&evaluate(&d, &store, 100_000))[0].1, Some(3));
        // Half-way through the push (at 4 s), A has moved half a screen left.
        let mid = texts(&evaluate(&d, &store, 4_000_000));
        assert_eq!(mid.len(), 1, "A's line ended at 3 s: only B's shows");
        assert_eq!(mid[0].0, "B");
        assert_eq!(mid[0].2, [180.0, 0.0]);
    }
}
