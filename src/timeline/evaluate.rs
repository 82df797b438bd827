//! The drama at one instant → a display list.

use super::geometry::Affine;
use super::{DisplayList, Item};
use crate::assets::AssetStore;
use crate::model::{
    CameraState, Crop, Direction, Drama, Effect, Fit, Layer, Rgba8, Shot, TransitionKind,
};
use crate::time::Micros;

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
        let mut cam = camera.unwrap_or_else(|| shot.camera.state_at(lt));
        for effect in &shot.effects {
            match *effect {
                Effect::Shake {
                    at,
                    duration,
                    amplitude,
                    frequency,
                } if lt >= at && lt < at + duration => {
                    let tau = (lt - at) as f64 / 1e6;
                    let u = tau / (duration as f64 / 1e6);
                    let two_pi_f = 2.0 * std::f64::consts::PI * frequency;
                    cam.x += amplitude * (1.0 - u) * libm::sin(two_pi_f * tau);
                    cam.y += amplitude * (1.0 - u) * libm::sin(1.3 * two_pi_f * tau + 1.0);
                }
                _ => {}
            }
        }
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
    }

    fn layer(&self, layer: &Layer, lt: Micros, cam: CameraState, post: Affine) -> Option<Item> {
        let opacity = layer.opacity.value_at(lt).clamp(0.0, 1.0);
        if opacity <= 0.0 {
            return None;
        }
        let (w, h) = self.size();
        let image = self.store.image(&layer.image);
        // A missing image keeps its place: the crop if given in pixels, else the canvas.
        let src = match image {
            Some(img) => Crop::in_pixels(layer.crop, (img.width, img.height))?,
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
