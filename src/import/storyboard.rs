//! A storyboard spreadsheet saved as CSV (UTF-8; a row a shot) → a drama.
//!
//! Columns are found by their header, in English or Chinese, in any order:
//!
//! | column | headers | becomes |
//! |---|---|---|
//! | shot | `shot`, `id`, `镜头`, `镜号`, `分镜` | the shot's id; a row with the shot of the row before adds a line to it |
//! | image | `image`, `picture`, `panel`, `画面`, `图片`, `图像` | the shot's layer (a path beside the CSV) |
//! | duration | `duration`, `seconds`, `时长`, `秒数` | seconds (`3`, `2.5s`, `3秒`, `0:03.5`); empty: timed by its lines |
//! | speaker | `speaker`, `character`, `角色`, `人物` | the line's speaker |
//! | text | `text`, `line`, `dialogue`, `台词`, `对白`, `字幕` | the line |
//! | voice | `voice`, `audio`, `配音`, `语音` | the line's voice clip; the line is timed by it |
//! | camera | `camera`, `运镜` | a camera preset (`zoom-in` / `推`, `zoom-out` / `拉`, `pan-left` / `左移`, …) |
//! | transition | `transition`, `转场` | the transition into the shot (`crossfade` / `叠化`, `fade-black` / `黑场`, …) |
//! | notes | `notes`, `备注`, `说明` | the shot's notes for reviewers |
//!
//! A row with neither a shot nor an image, but words, is another line of the shot before.
//! Every message names its row and column (`storyboard.csv: row 4, column 时长: …`).

use super::csv::{Field, records};
use super::source::{Files, Imported, Kind, MAX_TEXT_BYTES};
use crate::problem::Problem;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Shot,
    Image,
    Duration,
    Speaker,
    Text,
    Voice,
    Camera,
    Transition,
    Notes,
}

fn column(header: &str) -> Option<Column> {
    let h = header.trim().to_lowercase();
    let h = h.trim_matches(|c: char| c == '*' || c == ':' || c == '：');
    Some(match h {
        "shot" | "id" | "shot id" | "no" | "no." | "#" | "镜头" | "镜号" | "分镜" | "镜头号" => {
            Column::Shot
        }
        "image" | "picture" | "panel" | "file" | "画面" | "图片" | "图像" | "图" => {
            Column::Image
        }
        "duration" | "seconds" | "length" | "时长" | "秒数" | "时间" => Column::Duration,
        "speaker" | "character" | "role" | "角色" | "人物" | "说话人" => Column::Speaker,
        "text" | "line" | "dialogue" | "dialog" | "subtitle" | "台词" | "对白" | "字幕"
        | "文案" => Column::Text,
        "voice" | "audio" | "配音" | "语音" | "音频" => Column::Voice,
        "camera" | "camera move" | "运镜" | "镜头运动" => Column::Camera,
        "transition" | "转场" => Column::Transition,
        "notes" | "note" | "comment" | "comments" | "备注" | "说明" => Column::Notes,
        _ => return None,
    })
}

/// Whether a CSV's header names enough storyboard columns to be one.
pub fn is_storyboard(text: &str) -> bool {
    let header = text.lines().next().unwrap_or("");
    let (records, _) = records(header);
    let Some(header) = records.first() else {
        return false;
    };
    let found: Vec<Column> = header.iter().filter_map(|f| column(&f.text)).collect();
    found.len() >= 2 && (found.contains(&Column::Image) || found.contains(&Column::Text))
}

/// Seconds written as `3`, `2.5`, `2.5s`, `3秒`, `0:03.5`, `00:00:03.5`.
fn seconds(s: &str) -> Option<f64> {
    let s = s.trim();
    let s = s
        .strip_suffix("秒")
        .or_else(|| s.strip_suffix('s'))
        .or_else(|| s.strip_suffix("sec"))
        .unwrap_or(s)
        .trim();
    let v = if s.contains(':') {
        s.split(':').try_fold(0.0, |acc, part| {
            Some(acc * 60.0 + part.trim().parse::<f64>().ok()?)
        })?
    } else {
        s.parse::<f64>().ok()?
    };
    (v.is_finite() && v > 0.0 && v <= 3600.0).then_some(v)
}

fn camera(s: &str) -> Option<&'static str> {
    Some(match s.trim().to_lowercase().as_str() {
        "zoom-in" | "zoom in" | "push-in" | "push in" | "推" | "推近" | "推镜" | "推镜头"
        | "放大" => "zoom-in",
        "zoom-out" | "zoom out" | "pull-out" | "pull out" | "拉" | "拉远" | "拉镜" | "拉镜头"
        | "缩小" => "zoom-out",
        "pan-left" | "pan left" | "左移" | "左摇" | "向左" => "pan-left",
        "pan-right" | "pan right" | "右移" | "右摇" | "向右" => "pan-right",
        "pan-up" | "pan up" | "tilt-up" | "上移" | "上摇" | "向上" => "pan-up",
        "pan-down" | "pan down" | "tilt-down" | "下移" | "下摇" | "向下" => "pan-down",
        _ => return None,
    })
}

fn transition(s: &str) -> Option<&'static str> {
    let lower = s.trim().to_lowercase();
    if let Some(ours) = crate::model::schema::TRANSITIONS
        .iter()
        .find(|t| **t == lower)
    {
        return Some(ours);
    }
    Some(match lower.as_str() {
        "dissolve" | "fade" | "叠化" | "溶解" | "淡入淡出" | "交叉淡化" => "crossfade",
        "切" | "硬切" | "直切" => "cut",
        "黑场" | "淡黑" | "闪黑" | "fade to black" => "fade-black",
        "白场" | "闪白" | "淡白" | "fade to white" => "fade-white",
        "左滑" | "向左滑动" => "slide-left",
        "右滑" | "向右滑动" => "slide-right",
        "上滑" => "slide-up",
        "下滑" => "slide-down",
        "擦除" | "划像" => "wipe-left",
        "缩放" => "zoom",
        _ => return None,
    })
}

/// Imports the storyboard `entry` (a CSV file of the draft).
pub fn import(files: &dyn Files, entry: &str) -> Result<Imported, Vec<Problem>> {
    let fail = |m: String| vec![Problem::error(entry, m)];
    let bytes = files
        .read(entry)
        .ok_or_else(|| fail("missing or unreadable".into()))?;
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(fail(format!(
            "larger than the {} MiB a storyboard may be",
            MAX_TEXT_BYTES >> 20
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(format!(
            "not UTF-8 text (byte {}): save the spreadsheet as \"CSV UTF-8\"",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let (rows, errors) = records(&text);
    let mut problems: Vec<Problem> = errors
        .iter()
        .map(|e| Problem::error(entry, &e.message).at(e.line, e.column))
        .collect();
    let Some((header, rows)) = rows.split_first() else {
        problems.push(Problem::error(
            entry,
            "empty: a storyboard has a header row, then a row a shot",
        ));
        return Err(problems);
    };
    let mut columns: BTreeMap<usize, Column> = BTreeMap::new();
    for (i, f) in header.iter().enumerate() {
        match column(&f.text) {
            Some(c) if columns.values().any(|&k| k == c) => problems.push(
                Problem::warning(format!("{entry}: row 1, column {}", f.text.trim()), "a second column of this kind: ignored")
                    .at(f.line, f.column),
            ),
            Some(c) => {
                columns.insert(i, c);
            }
            None if f.text.trim().is_empty() => {}
            None => problems.push(
                Problem::warning(
                    format!("{entry}: row 1, column {}", f.text.trim()),
                    "not a column the storyboard reads (shot, image, duration, speaker, text, voice, camera, transition, notes — or 镜头, 画面, 时长, 角色, 台词, 配音, 运镜, 转场, 备注): ignored",
                )
                .at(f.line, f.column),
            ),
        }
    }
    if !columns
        .values()
        .any(|c| matches!(c, Column::Image | Column::Text))
    {
        problems.push(Problem::error(
            format!("{entry}: row 1"),
            "no image (画面) or text (台词) column: nothing to show",
        ));
        return Err(problems);
    }
    let names: std::collections::HashSet<String> = files.names().into_iter().collect();
    let dir = entry.rsplit_once('/').map_or("", |(d, _)| d);
    let header_of = |i: usize| {
        header
            .get(i)
            .map_or(String::new(), |f| f.text.trim().to_string())
    };

    let mut assets: BTreeMap<String, String> = BTreeMap::new();
    let mut by_path: BTreeMap<String, String> = BTreeMap::new();
    let mut asset = |path: &str, at: &str, problems: &mut Vec<Problem>| -> Option<String> {
        let Some(full) = super::divina::join(dir, path) else {
            problems.push(Problem::warning(
                at,
                format!("{path:?} is outside the draft: left out"),
            ));
            return None;
        };
        if !names.contains(&full) {
            problems.push(Problem::warning(at, format!("{full} is not in the draft: a placeholder shows (or silence plays) in its place")));
        }
        if let Some(id) = by_path.get(&full) {
            return Some(id.clone());
        }
        let id = super::divina::unique_id(&full, &assets);
        by_path.insert(full.clone(), id.clone());
        assets.insert(id.clone(), full);
        Some(id)
    };

    let mut shots: Vec<Map<String, Value>> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let (mut lines, mut voiced) = (0, 0);
    for (r, row) in rows.iter().enumerate() {
        let row_no = r + 2;
        let cell = |c: Column| -> Option<(&Field, String)> {
            let (&i, _) = columns.iter().find(|(_, k)| **k == c)?;
            let f = row.get(i)?;
            let t = f.text.trim().to_string();
            (!t.is_empty()).then_some((f, t))
        };
        let at = |c: Column| {
            let i = columns
                .iter()
                .find(|(_, k)| **k == c)
                .map_or(0, |(i, _)| *i);
            format!("{entry}: row {row_no}, column {}", header_of(i))
        };
        let located = |p: Problem, f: &Field| p.at(f.line, f.column);
        let shot_cell = cell(Column::Shot);
        let image_cell = cell(Column::Image);
        let continues = match (&shot_cell, &image_cell) {
            (Some((_, s)), _) => ids.last() == Some(s),
            (None, None) => !shots.is_empty(),
            (None, Some(_)) => false,
        };
        if !continues {
            let mut shot = Map::new();
            let id = match &shot_cell {
                Some((_, s)) => s
                    .chars()
                    .map(|c| if c.is_whitespace() { '-' } else { c })
                    .collect(),
                None => format!("shot-{}", shots.len() + 1),
            };
            // Unique: a shot id that comes back later (not on the next row) gets its row.
            let mut id = id;
            let base = id.clone();
            let mut n = 1;
            while ids.contains(&id) {
                id = if n == 1 {
                    format!("{base}-row{row_no}")
                } else {
                    format!("{base}-row{row_no}-{n}")
                };
                n += 1;
            }
            shot.insert("id".into(), id.clone().into());
            ids.push(id);
            if let Some((_, path)) = &image_cell
                && let Some(a) = asset(path, &at(Column::Image), &mut problems)
            {
                shot.insert("layers".into(), json!([{ "image": a }]));
            }
            shot.insert(
                "duration".into(),
                match cell(Column::Duration) {
                    None => "auto".into(),
                    Some((f, d)) => match seconds(&d) {
                        Some(s) => s.into(),
                        None => {
                            problems.push(located(
                                Problem::warning(at(Column::Duration), format!("{d:?} is not a duration (seconds, like 3.5 or 3秒): timed by its lines")),
                                f,
                            ));
                            "auto".into()
                        }
                    },
                },
            );
            if let Some((f, c)) = cell(Column::Camera) {
                match camera(&c) {
                    Some(p) => {
                        shot.insert("camera".into(), json!({ "preset": p }));
                    }
                    None if ["固定", "静止", "none", "static", "-"].contains(&c.as_str()) => {}
                    None => problems.push(located(
                        Problem::warning(at(Column::Camera), format!("{c:?} is not a camera move Manju knows (zoom-in 推, zoom-out 拉, pan-left 左移, pan-right 右移, pan-up 上移, pan-down 下移): still")),
                        f,
                    )),
                }
            }
            if let Some((f, t)) = cell(Column::Transition) {
                match transition(&t) {
                    Some(kind) if !shots.is_empty() && kind != "cut" => {
                        shot.insert("transition".into(), json!({ "type": kind }));
                    }
                    Some(_) => {}
                    None => problems.push(located(
                        Problem::warning(at(Column::Transition), format!("{t:?} is not a transition Manju knows (crossfade 叠化, fade-black 黑场, fade-white 白场, slide-left 左滑, …): a cut")),
                        f,
                    )),
                }
            }
            if let Some((_, n)) = cell(Column::Notes) {
                shot.insert("notes".into(), n.into());
            }
            shot.insert("lines".into(), json!([]));
            shots.push(shot);
        } else if let Some((_, n)) = cell(Column::Notes)
            && let Some(shot) = shots.last_mut()
        {
            let before = shot
                .get("notes")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let joined = if before.is_empty() {
                n
            } else {
                format!("{before}\n{n}")
            };
            shot.insert("notes".into(), joined.into());
        }
        let text = cell(Column::Text);
        let voice = cell(Column::Voice);
        if text.is_none() && voice.is_none() {
            continue;
        }
        let mut line = Map::new();
        if let Some((_, s)) = cell(Column::Speaker) {
            line.insert("speaker".into(), s.into());
        }
        match &text {
            Some((_, t)) => {
                line.insert("text".into(), t.clone().into());
            }
            None => {
                line.insert("text".into(), "".into());
                line.insert("display".into(), "none".into());
            }
        }
        if let Some((_, v)) = &voice
            && let Some(a) = asset(v, &at(Column::Voice), &mut problems)
        {
            line.insert("voice".into(), a.into());
            voiced += 1;
        }
        if let Some(shot) = shots.last_mut()
            && let Some(Value::Array(ls)) = shot.get_mut("lines")
        {
            ls.push(Value::Object(line));
            lines += 1;
        }
    }
    if shots.is_empty() {
        problems.push(Problem::error(
            entry,
            "no rows after the header: nothing to show",
        ));
        return Err(problems);
    }
    let title = entry
        .rsplit('/')
        .next()
        .and_then(|n| n.rsplit_once('.').map(|(s, _)| s))
        .unwrap_or("Storyboard");
    let manifest = json!({
        "format": "manju/1",
        "title": title,
        "assets": assets,
        "shots": shots,
        "meta": { "imported_from": "storyboard CSV", "source": entry },
    });
    let mapped = vec![
        format!("{} rows → {} shots", rows.len(), shots.len()),
        format!("{lines} lines, {voiced} with their voice clip"),
    ];
    // A stray quote is an error the author should fix, but the rows around it still play.
    Ok(Imported {
        kind: Kind::Storyboard,
        manifest,
        problems,
        mapped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_cameras_transitions() {
        assert_eq!(seconds("3"), Some(3.0));
        assert_eq!(seconds("2.5s"), Some(2.5));
        assert_eq!(seconds("3秒"), Some(3.0));
        assert_eq!(seconds("0:03.5"), Some(3.5));
        assert_eq!(seconds("三秒"), None);
        assert_eq!(seconds("-1"), None);
        assert_eq!(camera("推"), Some("zoom-in"));
        assert_eq!(camera("Pan Left"), Some("pan-left"));
        assert_eq!(transition("叠化"), Some("crossfade"));
        assert_eq!(transition("wipe-up"), Some("wipe-up"));
        assert_eq!(transition("star wipe"), None);
        assert!(is_storyboard("镜头,画面,时长,台词\n"));
        assert!(!is_storyboard("name,price\n"));
    }
}
