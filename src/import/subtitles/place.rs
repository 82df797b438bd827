//! Cues → manifest JSON: a new manifest ([`new_manifest`]) or lines added to an
//! existing one ([`merge_into_manifest`]). Where cues go is told in the module's docs;
//! how they look is `looks.rs`.

use super::looks::{Looks, canonical};
use super::write::{self, json, member, num, object, seconds, text};
use super::{Cue, ImportedCues, SubtitleFormat};
use crate::assets::AssetStore;
use crate::model::json::{self, Json, Member, Value};
use crate::model::{load_manifest, resolve};
use crate::problem::Problem;
use crate::time::Micros;

/// Most lines in one shot (the manifest reader ignores the rest).
const MAX_LINES_PER_SHOT: usize = 1000;
/// The spec's `timing.tail`, after the last cue of a new manifest.
const TAIL: Micros = 500_000;

/// A manifest written from cues, and what could not be carried over exactly (`path` is
/// the subtitle file with its line, or the manifest's JSON path).
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub manifest: String,
    pub problems: Vec<Problem>,
}

/// A new manifest: one shot per cue, or per group of cues overlapping in time.
pub fn new_manifest(cues: &ImportedCues) -> Merged {
    let canvas = new_canvas(cues);
    let size = canvas.unwrap_or((1080, 1920));
    let mut looks = Looks::new(cues, size, Vec::new(), Vec::new());
    let order = by_start(cues);
    // Groups of overlapping cues, at most a shot's worth of lines each.
    let mut groups: Vec<Vec<&Cue>> = Vec::new();
    let mut group_end = Micros::MIN;
    for cue in order {
        match groups.last_mut() {
            Some(g) if cue.start < group_end && g.len() < MAX_LINES_PER_SHOT => g.push(cue),
            _ => groups.push(vec![cue]),
        }
        group_end = group_end.max(cue.end);
    }
    let mut shots = Vec::with_capacity(groups.len());
    for (k, group) in groups.iter().enumerate() {
        let start = if k == 0 { 0 } else { group[0].start };
        let end = match groups.get(k + 1) {
            Some(next) => next[0].start,
            None => group.iter().map(|c| c.end).max().unwrap_or(start) + TAIL,
        };
        let lines = group
            .iter()
            .map(|cue| looks.line(cue, cue.start - start, cue.end - cue.start, false))
            .collect();
        shots.push(object(vec![
            ("id", text(&format!("shot-{}", k + 1))),
            ("duration", seconds(end - start)),
            ("lines", json(Value::Array(lines))),
        ]));
    }
    let title = cues.title.clone().unwrap_or_else(|| stem(&cues.file_name));
    let mut doc = vec![
        ("format", text(crate::model::FORMAT)),
        ("title", text(&title)),
    ];
    if let Some((w, h)) = canvas {
        doc.push((
            "canvas",
            object(vec![
                ("width", num(f64::from(w))),
                ("height", num(f64::from(h))),
            ]),
        ));
    }
    let (styles, report) = looks.finish();
    if !styles.is_empty() {
        doc.push(("styles", json(Value::Object(styles))));
    }
    doc.push(("shots", json(Value::Array(shots))));
    doc.push(("meta", object(vec![("subtitles", text(&cues.file_name))])));
    Merged {
        manifest: write::to_string(&object(doc)),
        problems: report.finish(),
    }
}

/// Adds the cues to a manifest, timing its shots without voice clips (each line with a
/// voice and an `"auto"` duration counts its reading time; a warning says so). Use
/// [`merge_into_manifest_with`] when the clips are at hand.
pub fn merge_into_manifest(
    manifest_text: &str,
    cues: &ImportedCues,
) -> Result<Merged, Vec<Problem>> {
    let mut merged = merge_into_manifest_with(manifest_text, cues, &AssetStore::default())?;
    if let Some(m) = load_manifest(manifest_text).manifest
        && m.shots.iter().any(|s| {
            s.duration.is_none()
                && s.lines
                    .iter()
                    .any(|l| l.voice.is_some() && l.duration.is_none())
        })
    {
        merged.problems.push(Problem::warning(
            "",
            "voice clips were not measured: shots timed by their voices were placed by reading \
             times, and cues may land in a different shot than in the player",
        ));
    }
    Ok(merged)
}

/// Adds the cues to a manifest whose voice clips (for `"auto"` timing) are in `store`.
/// `Err` holds the manifest's problems when it cannot be read at all.
pub fn merge_into_manifest_with(
    manifest_text: &str,
    cues: &ImportedCues,
    store: &AssetStore,
) -> Result<Merged, Vec<Problem>> {
    let mut doc = json::parse(manifest_text).map_err(|e| {
        let mut p = Problem::error("", e.to_string());
        if let Some(pos) = e.pos() {
            p = p.at(pos.line, pos.column);
        }
        vec![p]
    })?;
    let loaded = load_manifest(manifest_text);
    let Some(manifest) = loaded.manifest else {
        return Err(loaded.problems);
    };
    let auto: Vec<bool> = manifest
        .shots
        .iter()
        .map(|s| s.duration.is_none())
        .collect();
    let timing = manifest.timing;
    let canvas = (manifest.canvas.width, manifest.canvas.height);
    let characters: Vec<(String, String)> = manifest
        .characters
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let drama = resolve(manifest, store).drama;
    let existing_styles: Vec<(String, String)> = member_of(&doc, "styles")
        .and_then(|s| match &s.value {
            Value::Object(m) => Some(
                m.iter()
                    .map(|m| (m.key.clone(), canonical(&m.value)))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    let mut looks = Looks::new(cues, canvas, existing_styles, characters);
    let mut problems = Vec::new();

    // Each cue into the shot playing when it starts; across a cut, split.
    let last = drama.shots.len() - 1;
    let mut added: Vec<Vec<(Json, Micros)>> = vec![Vec::new(); drama.shots.len()];
    for cue in by_start(cues) {
        let mut from = cue.start;
        let mut i = drama
            .shots
            .partition_point(|s| s.start <= from)
            .saturating_sub(1);
        loop {
            let shot = &drama.shots[i];
            let until = if i == last {
                cue.end
            } else {
                cue.end.min(shot.end())
            };
            let line = looks.line(cue, from - shot.start, until - from, from != cue.start);
            added[i].push((line, until - shot.start));
            // Less than a millisecond past the cut is rounding, not a cue.
            if until >= cue.end - 999 {
                break;
            }
            looks.report.tally(
                "a cue running past a cut is split in two, a line in each shot, so that it stays on screen",
                cue.line,
            );
            from = until;
            i += 1;
        }
    }

    let mut shots = shots_of(&mut doc);
    for (i, new) in added.into_iter().enumerate() {
        if new.is_empty() {
            continue;
        }
        let shot = &drama.shots[i];
        let path = format!("shots[{i}]");
        let Some(Json {
            value: Value::Object(members),
            ..
        }) = shots.as_mut().and_then(|s| s.get_mut(i))
        else {
            problems.push(Problem::error(
                &path,
                format!(
                    "{} cues belong to this shot, which is not an object; they are left out",
                    new.len()
                ),
            ));
            continue;
        };
        let existing_end = shot.lines.iter().map(|l| l.at + l.duration).max();
        let new_end = new.iter().map(|(_, end)| *end).max().unwrap_or(0);
        let end = existing_end.map_or(new_end, |e| e.max(new_end));
        if auto[i] {
            let would_be = (end + timing.tail).max(timing.min_shot);
            if would_be != shot.duration && !(i == last && would_be > shot.duration) {
                set_member(members, "duration", seconds(shot.duration), &["id"]);
                problems.push(Problem::warning(
                    format!("{path}.duration"),
                    format!(
                        "was \"auto\" ({} s); written out so that the new lines do not move the shots after it",
                        write::number(crate::time::to_seconds(shot.duration))
                    ),
                ));
            }
        } else if i == last && end > shot.duration {
            let longer = end + timing.tail;
            set_member(members, "duration", seconds(longer), &["id"]);
            problems.push(Problem::warning(
                format!("{path}.duration"),
                format!(
                    "lengthened from {} s to {} s to show the cues after the drama's end",
                    write::number(crate::time::to_seconds(shot.duration)),
                    write::number(crate::time::to_seconds(longer))
                ),
            ));
        }
        let room = MAX_LINES_PER_SHOT.saturating_sub(shot.lines.len());
        let mut lines: Vec<Json> = new.into_iter().map(|(l, _)| l).collect();
        if lines.len() > room {
            problems.push(Problem::error(
                format!("{path}.lines"),
                format!(
                    "{} more lines than a shot may hold ({MAX_LINES_PER_SHOT}); the latest cues are left out",
                    lines.len() - room
                ),
            ));
            lines.truncate(room);
        }
        match members.iter_mut().find(|m| m.key == "lines") {
            Some(Member {
                value:
                    Json {
                        value: Value::Array(list),
                        ..
                    },
                ..
            }) => list.extend(lines),
            Some(_) => problems.push(Problem::error(
                format!("{path}.lines"),
                "not an array; the cues for this shot are left out",
            )),
            None => insert_before(
                members,
                member("lines", json(Value::Array(lines))),
                &["sfx", "effects", "notes", "meta"],
            ),
        }
    }

    let (styles, report) = looks.finish();
    if !styles.is_empty()
        && let Value::Object(root) = &mut doc.value
    {
        match root.iter_mut().find(|m| m.key == "styles") {
            Some(Member {
                value:
                    Json {
                        value: Value::Object(list),
                        ..
                    },
                ..
            }) => list.extend(styles),
            Some(_) => problems.push(Problem::error(
                "styles",
                "not an object; the subtitle file's styles are left out",
            )),
            None => insert_before(
                root,
                member("styles", json(Value::Object(styles))),
                &["timing", "shots", "music", "intro", "outro", "meta"],
            ),
        }
    }
    let mut all = report.finish();
    all.extend(problems);
    Ok(Merged {
        manifest: write::to_string(&doc),
        problems: all,
    })
}

/// Cues by start time; equal starts keep the file's order.
fn by_start(cues: &ImportedCues) -> Vec<&Cue> {
    let mut order: Vec<&Cue> = cues.cues.iter().collect();
    order.sort_by_key(|c| c.start);
    order
}

fn stem(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.rsplit_once('.').map_or(base, |(s, _)| s).to_string()
}

/// An ASS script's frame, scaled up evenly until its shorter side is 1080 pixels: the
/// subtitles look as a player shows them over a 1080p video. SRT and WebVTT: the
/// format's default canvas (1080×1920, portrait, as comic dramas are).
fn new_canvas(cues: &ImportedCues) -> Option<(u32, u32)> {
    if !matches!(cues.format, SubtitleFormat::Ass | SubtitleFormat::Ssa) {
        return None;
    }
    let (w, h) = cues.frame?;
    let k = (1080.0 / w.min(h)).max(1.0);
    let side = |v: f64| (v * k).round().clamp(16.0, 8192.0) as u32;
    Some((side(w), side(h)))
}

fn member_of<'a>(doc: &'a Json, key: &str) -> Option<&'a Json> {
    match &doc.value {
        Value::Object(m) => m.iter().find(|m| m.key == key).map(|m| &m.value),
        _ => None,
    }
}

fn shots_of(doc: &mut Json) -> Option<&mut Vec<Json>> {
    match &mut doc.value {
        Value::Object(m) => match &mut m.iter_mut().find(|m| m.key == "shots")?.value.value {
            Value::Array(items) => Some(items),
            _ => None,
        },
        _ => None,
    }
}

/// Sets `key`, or adds it after the last of `after` present (else first).
fn set_member(members: &mut Vec<Member>, key: &str, value: Json, after: &[&str]) {
    if let Some(m) = members.iter_mut().find(|m| m.key == key) {
        m.value = value;
        return;
    }
    let at = members
        .iter()
        .rposition(|m| after.contains(&m.key.as_str()))
        .map_or(0, |p| p + 1);
    members.insert(at, member(key, value));
}

/// Adds a member before the first of `before` present (else last).
fn insert_before(members: &mut Vec<Member>, m: Member, before: &[&str]) {
    let at = members
        .iter()
        .position(|x| before.contains(&x.key.as_str()))
        .unwrap_or(members.len());
    members.insert(at, m);
}

#[cfg(test)]
mod tests {
    use super::super::import_subtitles;
    use super::*;

    #[test]
    fn a_new_manifest_has_a_shot_per_cue_group() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\none\n\n2\n00:00:01,500 --> 00:00:03,000\ntwo\n\n3\n00:00:04,000 --> 00:00:05,000\n<i>three</i>\n";
        let cues = import_subtitles(srt, "ep.srt").unwrap();
        let out = new_manifest(&cues);
        let loaded = load_manifest(&out.manifest);
        assert!(
            !loaded.has_errors(),
            "{:?}\n{}",
            loaded.problems,
            out.manifest
        );
        let m = loaded.manifest.unwrap();
        assert_eq!(m.title, "ep");
        assert_eq!(m.shots.len(), 2);
        assert_eq!(m.shots[0].duration, Some(4_000_000));
        assert_eq!(m.shots[1].duration, Some(1_500_000));
        let at: Vec<_> = m
            .shots
            .iter()
            .flat_map(|s| s.lines.iter().map(|l| (l.at, l.duration)))
            .collect();
        assert_eq!(
            at,
            [
                (Some(1_000_000), Some(1_000_000)),
                (Some(1_500_000), Some(1_500_000)),
                (Some(0), Some(1_000_000))
            ]
        );
    }

    #[test]
    fn merging_keeps_shots_in_place_and_splits_at_cuts() {
        let manifest = r#"{ "format": "manju/1",
  "shots": [ { "id": "a", "lines": [ { "text": "你好", "at": 0.5, "duration": 1 } ] },
             { "id": "b", "duration": 2 } ] }"#;
        // Shot a is auto: 0.5 + 1 + 0.5 tail = 2 s, the 2 s minimum.
        let srt = "1\n00:00:01,000 --> 00:00:02,500\nacross the cut\n\n2\n00:00:03,000 --> 00:00:05,000\nafter the end\n";
        let cues = import_subtitles(srt, "x.srt").unwrap();
        let out = merge_into_manifest(manifest, &cues).unwrap();
        let m = load_manifest(&out.manifest).manifest.unwrap();
        assert_eq!(m.shots[0].duration, Some(2_000_000));
        assert_eq!(m.shots[1].duration, Some(3_500_000));
        let lines: Vec<_> = m
            .shots
            .iter()
            .map(|s| {
                s.lines
                    .iter()
                    .map(|l| (l.text.as_str(), l.at, l.duration))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(
            lines,
            [
                vec![
                    ("你好", Some(500_000), Some(1_000_000)),
                    ("across the cut", Some(1_000_000), Some(1_000_000))
                ],
                vec![
                    ("across the cut", Some(0), Some(500_000)),
                    ("after the end", Some(1_000_000), Some(2_000_000))
                ],
            ]
        );
        let messages: Vec<String> = out.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            messages,
            [
                "x.srt: warning: a cue running past a cut is split in two, a line in each shot, so that it stays on screen (line 2, column 1)",
                "shots[0].duration: warning: was \"auto\" (2 s); written out so that the new lines do not move the shots after it",
                "shots[1].duration: warning: lengthened from 2 s to 3.5 s to show the cues after the drama's end",
            ]
        );
    }

    #[test]
    fn ass_looks_scale_to_the_canvas_and_keep_names_apart() {
        let manifest = r#"{ "format": "manju/1", "styles": { "Default": { "size": 40 } },
  "shots": [ { "id": "a", "duration": 10 } ] }"#;
        let ass = "[Script Info]\nPlayResX: 1920\nPlayResY: 1080\n\n[V4+ Styles]\n\
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n\
Style: Default,Noto Sans SC,72,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,3,0,2,60,60,54,1\n\n[Events]\n\
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n\
Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,plain\n\
Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,{\\an7\\pos(120,90)}sign\n\
Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,{\\an4\\pos(1500,300)}nowhere\n";
        let cues = import_subtitles(ass, "a.ass").unwrap();
        let out = merge_into_manifest(manifest, &cues).unwrap();
        let m = load_manifest(&out.manifest).manifest.unwrap();
        let style = |name: &str| m.styles.iter().find(|(n, _)| n == name).unwrap().1.clone();
        // The manifest's own `Default` is kept; the file's gets another name.
        assert_eq!(style("Default").size, Some(40.0));
        let default = style("Default-2");
        // 1920×1080 → 1080×1920: sizes follow the height, x the width.
        assert_eq!(default.size, Some(128.0));
        assert_eq!(default.stroke_width, Some(5.33));
        assert_eq!(default.margin, Some(96.0));
        assert_eq!(default.max_width, Some(1012.5));
        let sign = style("Default-3");
        assert_eq!(sign.position, Some(crate::model::Position::Top));
        assert_eq!(sign.margin, Some(160.0));
        assert_eq!(sign.align, Some(crate::model::Align::Left));
        // Its left edge at x = 120 × 1080 / 1920 = 67.5.
        assert_eq!(sign.max_width, Some(945.0));
        let lines: Vec<_> = m.shots[0]
            .lines
            .iter()
            .map(|l| l.style.as_deref())
            .collect();
        assert_eq!(
            lines,
            [Some("Default-2"), Some("Default-3"), Some("Default-4")]
        );
        let messages: Vec<String> = out.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            messages,
            [
                "a.ass: warning: a position a subtitle cannot take exactly (middle-left anchor at (1500, 300)) is approximated (kept in the line's meta.subtitle.pos) (line 13, column 1)"
            ]
        );
    }
}
