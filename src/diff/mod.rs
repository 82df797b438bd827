//! What changed between two versions of a drama, shot by shot (see `docs/diff.md`).
//!
//! [`diff`] compares two resolved dramas. Shots are matched by id; a shot whose id is on
//! one side only is added or removed, unless its content (its layers' pictures and its
//! lines' words) is that of a shot on the other side only: then it was renamed. Each
//! matched shot is compared by what a reviewer sees and hears in it, relative to its own
//! start: a shot that only moved because an earlier one got longer is unchanged (with its
//! `shift_us`), and nothing to look at again.
//!
//! Images and clips are compared by the hash of their bytes ([`crate::AssetStore::content_hash`]),
//! not by their names: a panel repainted under the same file name is a picture change, an
//! asset renamed without new bytes is none.

use crate::assets::AssetStore;
use crate::model::{
    Direction, Display, Drama, Layer, Line, Shot, Track, Transition, TransitionKind,
};
use crate::text::resolve_style;
use crate::time::Micros;
use serde::Serialize;
use std::collections::HashMap;

mod table;
#[cfg(test)]
mod tests;

/// The differences between two versions, in the new version's shot order (a removed shot
/// where it was, after the shot it followed).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DramaDiff {
    pub shots: Vec<ShotDiff>,
    pub summary: DiffSummary,
}

/// One kind of change to a shot. A shot may have several (`timing` and `sound` when a
/// voice was re-recorded longer); `unchanged`, `added` and `removed` come alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Unchanged,
    /// Its id changed; what it shows did not (by itself, nothing to look at).
    Renamed,
    /// Its own duration changed, or its lines' times in it.
    Timing,
    /// An image's bytes, a layer (added, removed, crop, placement, motion), the camera,
    /// the transition into it, its effects, or the canvas.
    Picture,
    /// A line's text, speaker, display, look (style, bubble, reveal); a line added or removed.
    Words,
    /// A voice clip's bytes or volume, its sound effects, the music under it.
    Sound,
    Added,
    Removed,
}

impl Change {
    /// The lowercase name, as in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Change::Unchanged => "unchanged",
            Change::Renamed => "renamed",
            Change::Timing => "timing",
            Change::Picture => "picture",
            Change::Words => "words",
            Change::Sound => "sound",
            Change::Added => "added",
            Change::Removed => "removed",
        }
    }
}

/// Where a shot is on its version's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start_us: Micros,
    pub duration_us: Micros,
}

/// One shot of either version and how it changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShotDiff {
    /// The shot's id in the new version (in the old one when it was removed).
    pub id: String,
    /// Its id in the old version, when it was renamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    /// What changed, in this order: renamed, timing, picture, words, sound; or
    /// `["unchanged"]`, `["added"]`, `["removed"]`.
    pub changes: Vec<Change>,
    /// Whether a reviewer must look at it again: it was added, or it changed in timing,
    /// picture, words or sound (a rename or a shift alone is not a reason).
    pub review: bool,
    /// How far its start moved (new − old), 0 for an added or removed shot.
    pub shift_us: Micros,
    /// Where it was in the old version (absent when added).
    pub old: Option<Span>,
    /// Where it is in the new version (absent when removed).
    pub new: Option<Span>,
    pub details: Vec<Detail>,
}

impl ShotDiff {
    pub fn has(&self, change: Change) -> bool {
        self.changes.contains(&change)
    }
}

/// One difference found in a shot: which kind of change it is, and what.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detail {
    pub change: Change,
    #[serde(flatten)]
    pub what: What,
}

/// What differs. `line` is the line's index in its shot (in the new version; in the old
/// one for a removed line), `layer` the layer's, `index` the sound effect's. Asset ids are
/// the ids each version gives the asset; the same id on both sides means new bytes under
/// the same name.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum What {
    Duration {
        old_us: Micros,
        new_us: Micros,
    },
    LineTiming {
        line: usize,
        old_at_us: Micros,
        new_at_us: Micros,
        old_duration_us: Micros,
        new_duration_us: Micros,
    },
    LineText {
        line: usize,
        old: String,
        new: String,
    },
    LineSpeaker {
        line: usize,
        old: Option<String>,
        new: Option<String>,
    },
    LineDisplay {
        line: usize,
        old: &'static str,
        new: &'static str,
    },
    /// The line's resolved style (its `style`, or the definition of the style it uses),
    /// bubble placement or shape, or reveal changed.
    LineLook {
        line: usize,
        old_style: Option<String>,
        new_style: Option<String>,
    },
    LineAdded {
        line: usize,
        text: String,
    },
    LineRemoved {
        line: usize,
        text: String,
    },
    /// The line's voice clip: other bytes, added, removed, or another volume.
    Voice {
        line: usize,
        old: Option<String>,
        new: Option<String>,
    },
    /// A sound effect: other bytes, time or volume, added or removed.
    Sfx {
        index: usize,
        old: Option<String>,
        new: Option<String>,
    },
    /// The music playing under the shot: which cues, their bytes, levels, fades, or where
    /// in the shot they start or stop.
    Music {
        old: Vec<String>,
        new: Vec<String>,
    },
    Layers {
        old: usize,
        new: usize,
    },
    LayerImage {
        layer: usize,
        old: String,
        new: String,
    },
    LayerCrop {
        layer: usize,
    },
    /// Fit, anchor, placement, motion, opacity, parallax or blend.
    LayerPlacement {
        layer: usize,
    },
    Camera,
    /// The transition into the shot.
    Transition {
        old: String,
        new: String,
    },
    Effects {
        old: usize,
        new: usize,
    },
    /// The canvas's size or background: every shot shows it.
    Canvas,
    /// The fade in from a colour at the start of the episode (the first shot's).
    Intro,
    /// The fade out at the end (the last shot's).
    Outro,
}

impl What {
    /// The kind of change this is.
    fn change(&self) -> Change {
        match self {
            What::Duration { .. } | What::LineTiming { .. } => Change::Timing,
            What::LineText { .. }
            | What::LineSpeaker { .. }
            | What::LineDisplay { .. }
            | What::LineLook { .. }
            | What::LineAdded { .. }
            | What::LineRemoved { .. } => Change::Words,
            What::Voice { .. } | What::Sfx { .. } | What::Music { .. } => Change::Sound,
            _ => Change::Picture,
        }
    }
}

/// Counts over the whole diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    pub old_shots: usize,
    pub new_shots: usize,
    /// Shots in both with no change (shifted or not, renamed or not).
    pub unchanged: usize,
    /// Shots in both with a change in timing, picture, words or sound.
    pub changed: usize,
    pub renamed: usize,
    pub added: usize,
    pub removed: usize,
    /// Shots a reviewer must look at again (`changed` + `added`).
    pub review: usize,
    pub old_duration_us: Micros,
    pub new_duration_us: Micros,
}

/// Compares two versions of a drama, each with the asset store it was read with (for the
/// hashes of its images' and clips' bytes).
pub fn diff(
    old: &Drama,
    old_assets: &AssetStore,
    new: &Drama,
    new_assets: &AssetStore,
) -> DramaDiff {
    let a = Side {
        drama: old,
        assets: old_assets,
    };
    let b = Side {
        drama: new,
        assets: new_assets,
    };
    let old_ids: HashMap<&str, usize> = old
        .shots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    // By id; an id given twice (an error the reader reports) pairs once.
    let mut new_to_old: Vec<Option<usize>> = vec![None; new.shots.len()];
    let mut old_to_new: Vec<Option<usize>> = vec![None; old.shots.len()];
    for (n, shot) in new.shots.iter().enumerate() {
        if let Some(&o) = old_ids.get(shot.id.as_str())
            && old_to_new[o].is_none()
        {
            new_to_old[n] = Some(o);
            old_to_new[o] = Some(n);
        }
    }
    // Renames: a new-only shot showing what an old-only one showed, first come first paired.
    let mut old_only: HashMap<Fingerprint, std::collections::VecDeque<usize>> = HashMap::new();
    for (o, _) in old_to_new.iter().enumerate().filter(|(_, n)| n.is_none()) {
        old_only
            .entry(a.fingerprint(&old.shots[o]))
            .or_default()
            .push_back(o);
    }
    for (n, (shot, paired)) in new.shots.iter().zip(&mut new_to_old).enumerate() {
        if paired.is_some() {
            continue;
        }
        if let Some(o) = old_only
            .get_mut(&b.fingerprint(shot))
            .and_then(|q| q.pop_front())
        {
            *paired = Some(o);
            old_to_new[o] = Some(n);
        }
    }
    // A removed shot is listed after the shot it followed in the old version.
    let mut removed_after: Vec<Vec<usize>> = vec![Vec::new(); new.shots.len() + 1];
    let mut anchor = 0;
    for (o, n) in old_to_new.iter().enumerate() {
        match n {
            Some(n) => anchor = n + 1,
            None => removed_after[anchor].push(o),
        }
    }
    let removed = |o: usize| {
        let s = &old.shots[o];
        ShotDiff {
            id: s.id.clone(),
            old_id: None,
            changes: vec![Change::Removed],
            review: false,
            shift_us: 0,
            old: Some(span(s)),
            new: None,
            details: Vec::new(),
        }
    };
    let mut shots: Vec<ShotDiff> = removed_after[0].iter().map(|&o| removed(o)).collect();
    for (n, shot) in new.shots.iter().enumerate() {
        shots.push(match new_to_old[n] {
            Some(o) => compare(&a, &old.shots[o], &b, shot),
            None => ShotDiff {
                id: shot.id.clone(),
                old_id: None,
                changes: vec![Change::Added],
                review: true,
                shift_us: 0,
                old: None,
                new: Some(span(shot)),
                details: Vec::new(),
            },
        });
        shots.extend(removed_after[n + 1].iter().map(|&o| removed(o)));
    }
    let count = |c: Change| shots.iter().filter(|s| s.has(c)).count();
    let added = count(Change::Added);
    let summary = DiffSummary {
        old_shots: old.shots.len(),
        new_shots: new.shots.len(),
        unchanged: shots
            .iter()
            .filter(|s| s.old.is_some() && s.new.is_some() && !s.review)
            .count(),
        changed: shots.iter().filter(|s| s.old.is_some() && s.review).count(),
        renamed: count(Change::Renamed),
        added,
        removed: count(Change::Removed),
        review: shots.iter().filter(|s| s.review).count(),
        old_duration_us: old.duration,
        new_duration_us: new.duration,
    };
    DramaDiff { shots, summary }
}

fn span(s: &Shot) -> Span {
    Span {
        start_us: s.start,
        duration_us: s.duration,
    }
}

/// One version: its drama, and the hashes of its assets' bytes.
struct Side<'a> {
    drama: &'a Drama,
    assets: &'a AssetStore,
}

/// What an asset is, for comparing: the hash of its bytes, or — when none were read (a
/// missing file) — its path, so that the same missing file on both sides is no change.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum AssetKey {
    Bytes(u64),
    Unread(String),
}

/// What a shot shows, for finding renamed shots: its layers' pictures and its lines' words.
#[derive(PartialEq, Eq, Hash)]
struct Fingerprint {
    images: Vec<AssetKey>,
    words: Vec<String>,
}

impl Side<'_> {
    fn key(&self, id: &str) -> AssetKey {
        match self.assets.content_hash(id) {
            Some(h) => AssetKey::Bytes(h),
            None => AssetKey::Unread(
                self.drama
                    .assets
                    .iter()
                    .find(|a| a.id == id)
                    .map_or_else(|| format!("#{id}"), |a| a.src.clone()),
            ),
        }
    }

    /// The transition into `shot` as it plays: the first shot has none to come from.
    fn incoming(&self, shot: &Shot) -> Transition {
        match self.drama.shots.first() {
            Some(first) if std::ptr::eq(first, shot) => Transition::CUT,
            _ => shot.transition,
        }
    }

    fn fingerprint(&self, shot: &Shot) -> Fingerprint {
        Fingerprint {
            images: shot.layers.iter().map(|l| self.key(&l.image)).collect(),
            words: shot.lines.iter().map(|l| l.text.clone()).collect(),
        }
    }

    /// The music cues playing under `shot`: what they sound like and where in the shot
    /// they start or stop (`None`: before it starts, after it ends).
    fn music_under(&self, shot: &Shot) -> Vec<(MusicUnder, String)> {
        let end = shot.end();
        self.drama
            .music
            .iter()
            .filter(|m| m.start < end && m.end > shot.start)
            .map(|m| {
                let under = MusicUnder {
                    audio: self.key(&m.audio),
                    volume: m.volume,
                    fade_in: m.fade_in,
                    fade_out: m.fade_out,
                    looped: m.looped,
                    duck: m.duck,
                    starts: (m.start > shot.start).then(|| m.start - shot.start),
                    ends: (m.end < end).then(|| m.end - shot.start),
                };
                (under, m.audio.clone())
            })
            .collect()
    }
}

#[derive(PartialEq)]
struct MusicUnder {
    audio: AssetKey,
    volume: f64,
    fade_in: Micros,
    fade_out: Micros,
    looped: bool,
    duck: f64,
    starts: Option<Micros>,
    ends: Option<Micros>,
}

/// Compares a shot in both versions.
fn compare(a: &Side, x: &Shot, b: &Side, y: &Shot) -> ShotDiff {
    let mut found: Vec<What> = Vec::new();
    if x.duration != y.duration {
        found.push(What::Duration {
            old_us: x.duration,
            new_us: y.duration,
        });
    }
    picture(a, x, b, y, &mut found);
    for (i, j) in align_lines(&x.lines, &y.lines) {
        match (i, j) {
            (Some(i), Some(j)) => compare_lines(a, &x.lines[i], b, &y.lines[j], j, &mut found),
            (Some(i), None) => {
                let line = &x.lines[i];
                found.push(What::LineRemoved {
                    line: i,
                    text: line.text.clone(),
                });
                if line.voice.is_some() {
                    found.push(What::Voice {
                        line: i,
                        old: line.voice.clone(),
                        new: None,
                    });
                }
            }
            (None, Some(j)) => {
                let line = &y.lines[j];
                found.push(What::LineAdded {
                    line: j,
                    text: line.text.clone(),
                });
                if line.voice.is_some() {
                    found.push(What::Voice {
                        line: j,
                        old: None,
                        new: line.voice.clone(),
                    });
                }
            }
            (None, None) => {}
        }
    }
    sound(a, x, b, y, &mut found);
    let renamed = x.id != y.id;
    let mut changes: Vec<Change> = found.iter().map(What::change).collect();
    if renamed {
        changes.push(Change::Renamed);
    }
    changes.sort();
    changes.dedup();
    let review = !changes.is_empty() && changes != [Change::Renamed];
    if changes.is_empty() {
        changes.push(Change::Unchanged);
    }
    ShotDiff {
        id: y.id.clone(),
        old_id: renamed.then(|| x.id.clone()),
        changes,
        review,
        shift_us: y.start - x.start,
        old: Some(span(x)),
        new: Some(span(y)),
        details: found
            .into_iter()
            .map(|what| Detail {
                change: what.change(),
                what,
            })
            .collect(),
    }
}

/// Whether a track is the same in a shot of `da` and one of `db`: the same values and
/// eases, each key at the same time or at the same fraction of its shot — a camera move
/// over the whole shot stretches with it, and a longer shot is timing, not picture.
fn same_track(t: &Track, u: &Track, da: Micros, db: Micros) -> bool {
    t.keys.len() == u.keys.len()
        && t.keys.iter().zip(&u.keys).all(|(p, q)| {
            p.value == q.value
                && p.ease == q.ease
                && (p.at == q.at
                    || i128::from(p.at) * i128::from(db) == i128::from(q.at) * i128::from(da))
        })
}

fn same_placement(l: &Layer, m: &Layer, da: Micros, db: Micros) -> bool {
    let tracks = |l: &Layer| [&l.x, &l.y, &l.scale, &l.rotation, &l.opacity].map(Clone::clone);
    l.fit == m.fit
        && l.anchor == m.anchor
        && l.parallax == m.parallax
        && l.blend == m.blend
        && tracks(l)
            .iter()
            .zip(tracks(m).iter())
            .all(|(t, u)| same_track(t, u, da, db))
}

fn picture(a: &Side, x: &Shot, b: &Side, y: &Shot, found: &mut Vec<What>) {
    let (da, db) = (x.duration, y.duration);
    let (ca, cb) = (&a.drama.canvas, &b.drama.canvas);
    if (ca.width, ca.height, ca.background) != (cb.width, cb.height, cb.background) {
        found.push(What::Canvas);
    }
    let is = |end: Option<&Shot>, shot: &Shot| end.is_some_and(|e| std::ptr::eq(e, shot));
    if is(a.drama.shots.first(), x)
        && is(b.drama.shots.first(), y)
        && a.drama.intro != b.drama.intro
    {
        found.push(What::Intro);
    }
    if is(a.drama.shots.last(), x) && is(b.drama.shots.last(), y) && a.drama.outro != b.drama.outro
    {
        found.push(What::Outro);
    }
    if x.layers.len() != y.layers.len() {
        found.push(What::Layers {
            old: x.layers.len(),
            new: y.layers.len(),
        });
    } else {
        for (i, (l, m)) in x.layers.iter().zip(&y.layers).enumerate() {
            if a.key(&l.image) != b.key(&m.image) {
                found.push(What::LayerImage {
                    layer: i,
                    old: l.image.clone(),
                    new: m.image.clone(),
                });
            }
            if l.crop != m.crop {
                found.push(What::LayerCrop { layer: i });
            }
            if !same_placement(l, m, da, db) {
                found.push(What::LayerPlacement { layer: i });
            }
        }
    }
    let (p, q) = (&x.camera, &y.camera);
    let same_camera = same_track(&p.x, &q.x, da, db)
        && same_track(&p.y, &q.y, da, db)
        && same_track(&p.zoom, &q.zoom, da, db)
        && same_track(&p.rotation, &q.rotation, da, db);
    if !same_camera {
        found.push(What::Camera);
    }
    let (p, q) = (a.incoming(x), b.incoming(y));
    if p != q {
        found.push(What::Transition {
            old: transition_name(&p),
            new: transition_name(&q),
        });
    }
    if x.effects != y.effects {
        found.push(What::Effects {
            old: x.effects.len(),
            new: y.effects.len(),
        });
    }
}

fn compare_lines(a: &Side, l: &Line, b: &Side, m: &Line, line: usize, found: &mut Vec<What>) {
    if l.text != m.text {
        found.push(What::LineText {
            line,
            old: l.text.clone(),
            new: m.text.clone(),
        });
    }
    if l.speaker != m.speaker {
        found.push(What::LineSpeaker {
            line,
            old: l.speaker.clone(),
            new: m.speaker.clone(),
        });
    }
    if l.display != m.display {
        found.push(What::LineDisplay {
            line,
            old: display_name(l.display),
            new: display_name(m.display),
        });
    }
    // Another display has another built-in style: that is the display's change, said
    // above; the look changed besides when the style, bubble or reveal did.
    let style = |s: &Side, l: &Line| {
        let c = &s.drama.canvas;
        resolve_style(
            l.display,
            l.style.as_deref(),
            &s.drama.styles,
            (c.width, c.height),
        )
    };
    let restyled = l.style != m.style || (l.display == m.display && style(a, l) != style(b, m));
    if restyled || l.bubble != m.bubble || l.reveal != m.reveal {
        found.push(What::LineLook {
            line,
            old_style: l.style.clone(),
            new_style: m.style.clone(),
        });
    }
    let voice = |s: &Side, l: &Line| l.voice.as_deref().map(|v| (s.key(v), l.volume));
    if voice(a, l) != voice(b, m) {
        found.push(What::Voice {
            line,
            old: l.voice.clone(),
            new: m.voice.clone(),
        });
    }
    if (l.at, l.duration) != (m.at, m.duration) {
        found.push(What::LineTiming {
            line,
            old_at_us: l.at,
            new_at_us: m.at,
            old_duration_us: l.duration,
            new_duration_us: m.duration,
        });
    }
}

fn sound(a: &Side, x: &Shot, b: &Side, y: &Shot, found: &mut Vec<What>) {
    for index in 0..x.sfx.len().max(y.sfx.len()) {
        let (s, t) = (x.sfx.get(index), y.sfx.get(index));
        let same = match (s, t) {
            (Some(s), Some(t)) => {
                a.key(&s.audio) == b.key(&t.audio) && s.at == t.at && s.volume == t.volume
            }
            _ => false,
        };
        if !same {
            found.push(What::Sfx {
                index,
                old: s.map(|s| s.audio.clone()),
                new: t.map(|t| t.audio.clone()),
            });
        }
    }
    let (m, n) = (a.music_under(x), b.music_under(y));
    let same = m.len() == n.len() && m.iter().zip(&n).all(|((p, _), (q, _))| p == q);
    if !same {
        found.push(What::Music {
            old: m.into_iter().map(|(_, id)| id).collect(),
            new: n.into_iter().map(|(_, id)| id).collect(),
        });
    }
}

/// Pairs a shot's lines in two versions: by index when they are as many; else the lines
/// inserted (or removed) are taken as one run at the place where the others' texts agree
/// best, and the rest pair in order. Pairs `(old, new)`; `None` on the side without it.
fn align_lines(old: &[Line], new: &[Line]) -> Vec<(Option<usize>, Option<usize>)> {
    if old.len() == new.len() {
        return (0..old.len()).map(|i| (Some(i), Some(i))).collect();
    }
    let inserted = new.len() > old.len();
    let (short, long) = if inserted { (old, new) } else { (new, old) };
    let d = long.len() - short.len();
    let partner = |i: usize, p: usize| if i < p { i } else { i + d };
    let score = |p: usize| -> f64 {
        (0..short.len())
            .map(|i| similarity(&short[i].text, &long[partner(i, p)].text))
            .sum()
    };
    // On a tie the run goes last: a line added at the end of equal lines.
    let mut best = (0, f64::NEG_INFINITY);
    for p in 0..=short.len() {
        let s = score(p);
        if s >= best.1 {
            best = (p, s);
        }
    }
    let p = best.0;
    let mut pairs = Vec::with_capacity(long.len());
    for k in 0..long.len() {
        let i = if k < p {
            Some(k)
        } else if k >= p + d {
            Some(k - d)
        } else {
            None
        };
        pairs.push(if inserted { (i, Some(k)) } else { (Some(k), i) });
    }
    pairs
}

/// How alike two texts are, 0 to 1: the characters of their common start and end over
/// the longer one's (1 when equal). Enough to tell a reworded line from another line.
fn similarity(s: &str, t: &str) -> f64 {
    if s == t {
        return 1.0;
    }
    let (s, t): (Vec<char>, Vec<char>) = (s.chars().collect(), t.chars().collect());
    let longest = s.len().max(t.len());
    let prefix = s.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let rest = s.len().min(t.len()) - prefix;
    let suffix = s
        .iter()
        .rev()
        .zip(t.iter().rev())
        .take(rest)
        .take_while(|(a, b)| a == b)
        .count();
    (prefix + suffix) as f64 / longest as f64
}

fn display_name(d: Display) -> &'static str {
    match d {
        Display::Subtitle => "subtitle",
        Display::Bubble => "bubble",
        Display::Caption => "caption",
        Display::Sfx => "sfx",
        Display::None => "none",
    }
}

/// `crossfade 0.50 s`, `slide-left 0.30 s`, `cut`.
fn transition_name(t: &Transition) -> String {
    let dir = |d: Direction| match d {
        Direction::Left => "left",
        Direction::Right => "right",
        Direction::Up => "up",
        Direction::Down => "down",
    };
    let kind = match t.kind {
        TransitionKind::Cut => return "cut".into(),
        TransitionKind::Crossfade => "crossfade".to_string(),
        TransitionKind::FadeBlack => "fade-black".to_string(),
        TransitionKind::FadeWhite => "fade-white".to_string(),
        TransitionKind::Slide(d) => format!("slide-{}", dir(d)),
        TransitionKind::Push(d) => format!("push-{}", dir(d)),
        TransitionKind::Wipe(d) => format!("wipe-{}", dir(d)),
        TransitionKind::Zoom => "zoom".to_string(),
        TransitionKind::Move => "move".to_string(),
    };
    format!("{kind} {:.2} s", crate::time::to_seconds(t.duration))
}
