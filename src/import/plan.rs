//! The order to fetch a drama's assets in, so the first frame shows early, and which
//! images an instant needs, so the player can wait for them instead of drawing a
//! placeholder for an image that is merely still on its way.

use crate::model::{AssetKind, Drama, Manifest};
use crate::time::Micros;
use crate::timeline::in_window;
use serde::Serialize;

/// The assets one shot uses, each id once, in the order the shot names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShotAssets {
    pub id: String,
    pub images: Vec<String>,
    /// Voices and sound effects.
    pub audio: Vec<String>,
}

/// Every asset id of the manifest once, split in two: `first` must be in before the
/// first frame can be drawn and the episode timed; `rest` follows in order of first use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LoadPlan {
    pub first: Vec<String>,
    pub rest: Vec<String>,
    pub shots: Vec<ShotAssets>,
}

/// The assets of each shot of `m`, in shot order (ids the manifest does not declare are
/// left out: they are reported elsewhere and never load).
pub fn shot_assets(m: &Manifest) -> Vec<ShotAssets> {
    let declared = |id: &str| m.asset(id).is_some();
    m.shots
        .iter()
        .map(|shot| {
            let mut images = Vec::new();
            for layer in &shot.layers {
                push_once(&mut images, &layer.image, declared(&layer.image));
            }
            let mut audio = Vec::new();
            for line in &shot.lines {
                if let Some(voice) = &line.voice {
                    push_once(&mut audio, voice, declared(voice));
                }
            }
            for sfx in &shot.sfx {
                push_once(&mut audio, &sfx.audio, declared(&sfx.audio));
            }
            ShotAssets {
                id: shot.id.clone(),
                images,
                audio,
            }
        })
        .collect()
}

/// The fetch order for `m`.
///
/// First: fonts (any line may need them), the voices that time their lines (a line with
/// no `duration` lasts as long as its clip, and so the shots after it move), then the
/// first shot's images and sounds. The rest: the music (which starts with the episode,
/// as a rule), then each later shot's images and sounds, then whatever no shot uses.
pub fn load_plan(m: &Manifest) -> LoadPlan {
    let shots = shot_assets(m);
    let mut first = Vec::new();
    for asset in m.assets.iter().filter(|a| a.kind == AssetKind::Font) {
        push_once(&mut first, &asset.id, true);
    }
    for line in m.shots.iter().flat_map(|s| &s.lines) {
        if let (Some(voice), None) = (&line.voice, line.duration) {
            push_once(&mut first, voice, m.asset(voice).is_some());
        }
    }
    if let Some(shot) = shots.first() {
        for id in shot.images.iter().chain(&shot.audio) {
            push_once(&mut first, id, true);
        }
    }
    let mut rest: Vec<String> = Vec::new();
    let mut music: Vec<_> = m.music.iter().collect();
    music.sort_by_key(|c| c.at);
    for cue in music {
        if !first.contains(&cue.audio) {
            push_once(&mut rest, &cue.audio, m.asset(&cue.audio).is_some());
        }
    }
    for shot in shots.iter().skip(1) {
        for id in shot.images.iter().chain(&shot.audio) {
            if !first.contains(id) {
                push_once(&mut rest, id, true);
            }
        }
    }
    for asset in &m.assets {
        if !first.contains(&asset.id) {
            push_once(&mut rest, &asset.id, true);
        }
    }
    LoadPlan { first, rest, shots }
}

/// The image assets drawn at instant `t`: the shot on screen, and the one it is
/// crossing into or from during a transition (the same choice `evaluate` makes).
pub fn images_at(d: &Drama, t: Micros) -> Vec<&str> {
    let shots = &d.shots;
    if shots.is_empty() {
        return Vec::new();
    }
    let t = t.clamp(0, (d.duration - 1).max(0));
    let i = shots.partition_point(|s| s.start <= t).saturating_sub(1);
    let mut drawn = vec![&shots[i]];
    if let Some(next) = shots.get(i + 1).filter(|next| in_window(next, t)) {
        drawn.push(next);
    } else if i > 0 && in_window(&shots[i], t) {
        drawn.push(&shots[i - 1]);
    }
    let mut ids: Vec<&str> = Vec::new();
    for layer in drawn.iter().flat_map(|s| &s.layers) {
        if !ids.contains(&layer.image.as_str()) {
            ids.push(&layer.image);
        }
    }
    ids
}

fn push_once(list: &mut Vec<String>, id: &str, wanted: bool) {
    if wanted && !list.iter().any(|x| x == id) {
        list.push(id.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::AssetStore;
    use crate::model::{load_manifest, resolve};
    use crate::time::from_seconds;

    const MANIFEST: &str = r#"{
      "format": "manju/1",
      "canvas": { "width": 32, "height": 32 },
      "assets": {
        "font": "fonts/a.ttf", "a": "a.png", "b": "b.png", "c": "c.png", "spare": "z.png",
        "v1": "v1.ogg", "v2": "v2.ogg", "boom": "boom.ogg", "theme": "theme.ogg"
      },
      "shots": [
        { "id": "one", "duration": 2, "layers": [ { "image": "a" }, { "image": "b" } ],
          "lines": [ { "text": "hi", "voice": "v1", "duration": 1 } ] },
        { "id": "two", "duration": 2, "layers": [ { "image": "c" }, { "image": "a" } ],
          "transition": { "type": "crossfade", "duration": 1 },
          "lines": [ { "text": "there", "voice": "v2" } ],
          "sfx": [ { "audio": "boom", "at": 0.5 } ] },
        { "id": "three", "duration": 2, "layers": [ { "image": "b" } ] }
      ],
      "music": [ { "audio": "theme", "at": 0 } ]
    }"#;

    fn manifest() -> Manifest {
        let loaded = load_manifest(MANIFEST);
        assert!(
            loaded
                .problems
                .iter()
                .all(|p| p.severity != crate::Severity::Error),
            "{:?}",
            loaded.problems
        );
        loaded.manifest.unwrap()
    }

    #[test]
    fn each_shot_lists_its_images_and_sounds_once() {
        let shots = shot_assets(&manifest());
        assert_eq!(shots[0].images, ["a", "b"]);
        assert_eq!(shots[0].audio, ["v1"]);
        assert_eq!(shots[1].images, ["c", "a"]);
        assert_eq!(shots[1].audio, ["v2", "boom"]);
        assert_eq!(shots[2].id, "three");
    }

    #[test]
    fn the_first_shot_and_the_timing_come_first() {
        let plan = load_plan(&manifest());
        // v2 times its line (no duration); v1's line has one, so v1 comes with its shot.
        assert_eq!(plan.first, ["font", "v2", "a", "b", "v1"]);
        assert_eq!(plan.rest, ["theme", "c", "boom", "spare"]);
        let mut all: Vec<&String> = plan.first.iter().chain(&plan.rest).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 9, "every asset exactly once");
    }

    #[test]
    fn images_at_follows_shots_and_transitions() {
        let drama = resolve(manifest(), &AssetStore::default()).drama;
        let at = |s: f64| images_at(&drama, from_seconds(s));
        assert_eq!(at(0.0), ["a", "b"]);
        // The crossfade into shot two spans 1.5 s to 2.5 s: both shots are drawn.
        assert_eq!(at(1.4), ["a", "b"]);
        assert_eq!(at(1.6), ["a", "b", "c"]);
        assert_eq!(at(2.4), ["c", "a", "b"]);
        assert_eq!(at(2.6), ["c", "a"]);
        // A cut: nothing of shot two is drawn after 4 s.
        assert_eq!(at(4.0), ["b"]);
        assert_eq!(at(99.0), ["b"], "past the end: the last frame");
    }
}
