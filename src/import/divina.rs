//! Readium Divina (`manifest.json`, profile `divina`) with Readium Guided Navigation
//! (`guided.json`) → a drama read panel by panel.
//!
//! - Each guided entry with an `imgref` becomes a shot: its page as the one layer (drawn
//!   whole, `fit: contain`), the camera framing the `#xywh=` fragment (pixels or
//!   `percent:`) and pushing in gently across the shot. Panels of one page are joined by
//!   `move` (the camera travels over the page); a new page slides in the way the book
//!   reads (`readingProgression`).
//! - Bubbles (`children` with roles `speechBubble`, `shoutBubble`, `thoughtBubble`,
//!   `whisperBubble`, …) become lines with their `audioref` clip, so the shot lasts as
//!   long as its voices. A bubble with its own region is drawn as a balloon of the shape
//!   its role names; without one (the page's art already draws the balloon) its words are
//!   a subtitle.
//! - A panel's `description` becomes a caption line read first with its clip when
//!   [`Options::descriptions`] is on (an audio-description mode; off by default).
//! - Without guided navigation the reading order plays one page a shot, with the
//!   transitions its `properties.transitionForward` names (`dissolve`, `push`,
//!   `slide-in`, `slide-out`, image `animation` sequences); video resources are skipped
//!   with a warning.

use super::source::{Files, Imported, Kind, Options, read_json};
use crate::problem::Problem;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

const GUIDED_TYPE: &str = "application/guided-navigation+json";
/// A page turn's and a camera move's length, in seconds.
const TURN: f64 = 0.6;
/// How much the camera closes in on a panel across its shot (a fraction of the panel).
const PUSH: f64 = 0.04;
/// The longest transition between two 3-second pages.
const MAX_PAGE_TRANSITION: f64 = 2.0;

/// Whether a JSON document is a Divina manifest (its profile, or a reading order of
/// images under a Readium context).
pub fn is_divina(json: &Value) -> bool {
    let conforms = &json["metadata"]["conformsTo"];
    let names_divina = |v: &Value| v.as_str().is_some_and(|s| s.contains("divina"));
    if names_divina(conforms)
        || conforms
            .as_array()
            .is_some_and(|a| a.iter().any(names_divina))
    {
        return true;
    }
    let readium = json["@context"]
        .as_str()
        .is_some_and(|c| c.contains("readium.org/webpub-manifest"));
    readium
        && json["readingOrder"].as_array().is_some_and(|items| {
            !items.is_empty()
                && items.iter().all(|i| {
                    i["type"].as_str().is_none_or(|t| t.starts_with("image/"))
                        && i["href"].as_str().is_some_and(is_image)
                })
        })
}

fn is_image(href: &str) -> bool {
    let path = href.split('#').next().unwrap_or(href).to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif"]
        .iter()
        .any(|e| path.ends_with(e))
}

/// A region of a page: pixels, or fractions of the page when given in percent.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Region {
    Pixels([f64; 4]),
    Fraction([f64; 4]),
}

/// `page.jpg#xywh=percent:4.1,4.1,91.8,44.5` → (`page.jpg`, the region); no fragment is
/// the whole page.
fn split_ref(imgref: &str) -> Result<(&str, Option<Region>), String> {
    let Some((href, fragment)) = imgref.split_once('#') else {
        return Ok((imgref, None));
    };
    let Some(value) = fragment
        .split('&')
        .find_map(|part| part.strip_prefix("xywh="))
    else {
        return Ok((href, None));
    };
    let (percent, numbers) = if let Some(n) = value.strip_prefix("percent:") {
        (true, n)
    } else {
        (false, value.strip_prefix("pixel:").unwrap_or(value))
    };
    let parts: Vec<f64> = numbers
        .split(',')
        .map(|n| n.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("#xywh={value}: not four numbers"))?;
    let [x, y, w, h] = parts[..] else {
        return Err(format!("#xywh={value}: not four numbers"));
    };
    if !(x.is_finite() && y.is_finite() && w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite()) {
        return Err(format!(
            "#xywh={value}: the width and height must be above 0"
        ));
    }
    Ok((
        href,
        Some(if percent {
            Region::Fraction([x / 100.0, y / 100.0, w / 100.0, h / 100.0])
        } else {
            Region::Pixels([x, y, w, h])
        }),
    ))
}

/// A page: its asset and its size in pixels (when known).
struct Page {
    asset: String,
    size: Option<(f64, f64)>,
}

/// Where a page is drawn on the canvas (`fit: contain`, centred): stage coordinates of a
/// region of it.
struct Stage {
    width: f64,
    height: f64,
}

impl Stage {
    fn place(&self, page: &Page, region: Option<Region>) -> [f64; 4] {
        let (pw, ph) = page.size.unwrap_or((self.width, self.height));
        let s = (self.width / pw).min(self.height / ph);
        let (ox, oy) = ((self.width - pw * s) / 2.0, (self.height - ph * s) / 2.0);
        let [x, y, w, h] = match region {
            None => [0.0, 0.0, pw, ph],
            Some(Region::Pixels(r)) => r,
            Some(Region::Fraction([x, y, w, h])) => [x * pw, y * ph, w * pw, h * ph],
        };
        [ox + x * s, oy + y * s, w * s, h * s].map(|v| (v * 10.0).round() / 10.0)
    }

    /// What the camera shows to frame `rect` (stage coordinates): the rectangle of the
    /// canvas's shape around it, moved to stay on the page where the page is large
    /// enough, so a panel at the page's edge is not framed with the void beside it.
    fn view(&self, rect: [f64; 4], page: [f64; 4]) -> [f64; 4] {
        let [x, y, w, h] = rect;
        let zoom = (self.width / w).min(self.height / h);
        let (vw, vh) = (self.width / zoom, self.height / zoom);
        let keep = |c: f64, v: f64, start: f64, len: f64| {
            if v <= len {
                c.clamp(start + v / 2.0, start + len - v / 2.0)
            } else {
                start + len / 2.0
            }
        };
        let cx = keep(x + w / 2.0, vw, page[0], page[2]);
        let cy = keep(y + h / 2.0, vh, page[1], page[3]);
        [cx - vw / 2.0, cy - vh / 2.0, vw, vh].map(|v| (v * 10.0).round() / 10.0)
    }
}

/// The draft's asset ids, one per file, from the file's name.
#[derive(Default)]
struct Assets {
    by_path: HashMap<String, String>,
    out: BTreeMap<String, String>,
}

impl Assets {
    fn id(&mut self, path: &str) -> String {
        if let Some(id) = self.by_path.get(path) {
            return id.clone();
        }
        let id = unique_id(path, &self.out);
        self.by_path.insert(path.to_string(), id.clone());
        self.out.insert(id.clone(), path.to_string());
        id
    }
}

/// An asset id for the file at `path`, from its name, not yet among `taken`.
pub(crate) fn unique_id(path: &str, taken: &BTreeMap<String, String>) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let base: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let base = if base.is_empty() {
        "asset".to_string()
    } else {
        base
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains_key(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// `a/b/../c` → `a/c`; a path that climbs out of the draft is refused.
pub(crate) fn join(dir: &str, href: &str) -> Option<String> {
    let href = href.split(['?', '#']).next().unwrap_or(href);
    if href.contains("://") || href.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in href.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    (!joined.is_empty()).then_some(joined)
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        // A language map: the first language given.
        Value::Object(m) => m.values().find_map(|v| v.as_str().map(str::to_string)),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .filter(|n: &f64| n.is_finite() && *n > 0.0)
}

/// The direction a new page enters from, as the book reads.
fn page_turn(progression: &str) -> &'static str {
    match progression {
        "rtl" => "slide-right",
        "ttb" => "slide-up",
        "btt" => "slide-down",
        _ => "slide-left",
    }
}

fn direction(d: &str) -> Option<&'static str> {
    match d {
        "ltr" => Some("right"),
        "rtl" => Some("left"),
        "ttb" => Some("down"),
        "btt" => Some("up"),
        _ => None,
    }
}

struct Importer<'a> {
    files: &'a dyn Files,
    names: std::collections::HashSet<String>,
    dir: String,
    entry: String,
    assets: Assets,
    problems: Vec<Problem>,
    sizes: HashMap<String, Option<(f64, f64)>>,
}

impl Importer<'_> {
    /// The asset for `href` (relative to the manifest), with a warning at `at` when the
    /// file is not in the draft (the player draws a placeholder, or plays silence).
    fn asset(&mut self, href: &str, at: &str) -> Option<String> {
        let Some(path) = join(&self.dir, href) else {
            self.problems.push(Problem::warning(
                at,
                format!("{href:?} is outside the draft (or on another site): left out"),
            ));
            return None;
        };
        if !self.names.contains(&path) {
            self.problems.push(Problem::warning(
                at,
                format!("{path} is not in the draft: a placeholder shows (or silence plays) in its place"),
            ));
        }
        Some(self.assets.id(&path))
    }

    /// The asset for a file already known by its path in the draft.
    fn asset_at(&mut self, path: &str) -> Option<String> {
        self.names.contains(path).then(|| self.assets.id(path))
    }

    /// A page image's size: as the manifest gives it, else read from the file's header.
    fn size(&mut self, path: &str, declared: Option<(f64, f64)>) -> Option<(f64, f64)> {
        if declared.is_some() {
            return declared;
        }
        if let Some(known) = self.sizes.get(path) {
            return *known;
        }
        let size = self.files.read(path).and_then(|bytes| {
            image::ImageReader::new(std::io::Cursor::new(bytes))
                .with_guessed_format()
                .ok()?
                .into_dimensions()
                .ok()
                .map(|(w, h)| (f64::from(w), f64::from(h)))
        });
        self.sizes.insert(path.to_string(), size);
        size
    }
}

/// Imports the Divina publication whose manifest is `entry`.
pub fn import(files: &dyn Files, entry: &str, options: &Options) -> Result<Imported, Vec<Problem>> {
    let manifest = read_json(files, entry).map_err(|p| vec![p])?;
    let dir = entry.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let mut im = Importer {
        files,
        names: files.names().into_iter().collect(),
        dir,
        entry: entry.to_string(),
        assets: Assets::default(),
        problems: Vec::new(),
        sizes: HashMap::new(),
    };
    let metadata = &manifest["metadata"];
    let title = text_of(&metadata["title"]).unwrap_or_else(|| "Divina".to_string());
    let progression = metadata["readingProgression"]
        .as_str()
        .unwrap_or("ltr")
        .to_string();
    let Some(order) = manifest["readingOrder"]
        .as_array()
        .filter(|o| !o.is_empty())
    else {
        return Err(vec![Problem::error(
            format!("{entry}: readingOrder"),
            "no reading order: a Divina lists its pages in readingOrder",
        )]);
    };

    // The pages, by path, with their declared sizes.
    let mut declared: HashMap<String, (f64, f64)> = HashMap::new();
    for item in order {
        if let (Some(href), Some(w), Some(h)) = (
            item["href"].as_str(),
            number(&item["width"]),
            number(&item["height"]),
        ) && let Some(path) = join(&im.dir, href)
        {
            declared.insert(path, (w, h));
        }
    }
    let first_size = order.iter().find_map(|item| {
        let path = join(&im.dir, item["href"].as_str()?)?;
        is_image(&path).then_some(())?;
        im.size(&path, declared.get(&path).copied())
    });
    let stage = canvas(metadata, first_size);

    let guided_ref = guided_href(&manifest, &im.names, &im.dir);
    let (shots, mapped) = match guided_ref {
        Some(href) => {
            let name = join(&im.dir, &href).unwrap_or(href);
            let guided = read_json(files, &name).map_err(|p| vec![p])?;
            let pages: Vec<String> = order
                .iter()
                .filter_map(|item| join(&im.dir, item["href"].as_str()?))
                .collect();
            guided_shots(
                &mut im,
                &name,
                &guided,
                &declared,
                &stage,
                &progression,
                options,
                &pages,
            )?
        }
        None => reading_order_shots(&mut im, order, &declared, &stage)?,
    };

    let out = json!({
        "format": "manju/1",
        "title": title,
        "canvas": { "width": stage.width as u32, "height": stage.height as u32, "fps": 30, "background": "#000000" },
        "assets": im.assets.out,
        "shots": shots,
        "meta": { "imported_from": "Readium Divina", "source": im.entry },
    });
    Ok(Imported {
        kind: Kind::Divina,
        manifest: out,
        problems: im.problems,
        mapped,
    })
}

/// The canvas: the pages' shape (or the publication's `viewportRatio`), 1080 pixels on
/// its shorter side.
fn canvas(metadata: &Value, page: Option<(f64, f64)>) -> Stage {
    let ratio = metadata["presentation"]["viewportRatio"]["aspectRatio"]
        .as_str()
        .and_then(|r| {
            let (w, h) = r.split_once(':')?;
            Some(w.trim().parse::<f64>().ok()? / h.trim().parse::<f64>().ok()?)
        })
        .filter(|r| r.is_finite() && *r > 0.1 && *r < 10.0)
        .or(page.map(|(w, h)| w / h))
        .unwrap_or(9.0 / 16.0);
    let even = |v: f64| ((v / 2.0).round() * 2.0).max(2.0);
    if ratio >= 1.0 {
        Stage {
            width: even(1080.0 * ratio),
            height: 1080.0,
        }
    } else {
        Stage {
            width: 1080.0,
            height: even(1080.0 / ratio),
        }
    }
}

/// The guided navigation document: linked from the manifest or its pages, else a
/// `guided.json` beside it.
fn guided_href(
    manifest: &Value,
    names: &std::collections::HashSet<String>,
    dir: &str,
) -> Option<String> {
    let linked = |v: &Value| {
        v.as_array()?.iter().find_map(|l| {
            (l["type"].as_str() == Some(GUIDED_TYPE))
                .then(|| l["href"].as_str().map(str::to_string))?
        })
    };
    linked(&manifest["links"])
        .or_else(|| {
            manifest["readingOrder"]
                .as_array()?
                .iter()
                .find_map(|item| linked(&item["alternate"]))
        })
        .or_else(|| {
            let beside = join(dir, "guided.json")?;
            names.contains(&beside).then(|| "guided.json".to_string())
        })
}

fn bubble_shape(role: &str) -> Option<&'static str> {
    match role {
        "speechBubble" | "bubble" => Some("speech"),
        "shoutBubble" | "screamBubble" => Some("shout"),
        "thoughtBubble" => Some("thought"),
        "whisperBubble" => Some("whisper"),
        "caption" | "narration" | "narrationBox" => Some("box"),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn guided_shots(
    im: &mut Importer<'_>,
    name: &str,
    guided: &Value,
    declared: &HashMap<String, (f64, f64)>,
    stage: &Stage,
    progression: &str,
    options: &Options,
    order: &[String],
) -> Result<(Vec<Value>, Vec<String>), Vec<Problem>> {
    let Some(entries) = guided["guided"].as_array() else {
        return Err(vec![Problem::error(
            format!("{name}: guided"),
            "no `guided` list of panels",
        )]);
    };
    let mut shots = Vec::new();
    let mut pages_seen: Vec<String> = Vec::new();
    // (page, shot) in the order they play; ids and transitions are given at the end.
    let mut panels: Vec<(String, Value)> = Vec::new();
    let (mut bubbles, mut voiced, mut unplaced, mut descriptions) = (0, 0, 0, 0);
    for (i, g) in entries.iter().enumerate() {
        let at = format!("{name}: guided[{i}]");
        let Some(imgref) = g["imgref"].as_str() else {
            im.problems
                .push(Problem::warning(at, "no imgref (nothing to show): skipped"));
            continue;
        };
        let (href, region) = match split_ref(imgref) {
            Ok(r) => r,
            Err(e) => {
                im.problems.push(Problem::warning(
                    format!("{at}.imgref"),
                    format!("{e}: the whole page is shown"),
                ));
                (imgref.split('#').next().unwrap_or(imgref), None)
            }
        };
        let Some(page_path) = join(&im.dir, href) else {
            im.problems.push(Problem::warning(
                format!("{at}.imgref"),
                format!("{href:?} is outside the draft: skipped"),
            ));
            continue;
        };
        let Some(asset) = im.asset(href, &format!("{at}.imgref")) else {
            continue;
        };
        let size = im.size(&page_path, declared.get(&page_path).copied());
        if size.is_none() && matches!(region, Some(Region::Pixels(_))) {
            im.problems.push(Problem::warning(
                format!("{at}.imgref"),
                "a pixel region on a page of unknown size: placed as if the page filled the canvas",
            ));
        }
        let page = Page { asset, size };
        if !pages_seen.contains(&page_path) {
            pages_seen.push(page_path.clone());
        }
        let rect = stage.place(&page, region);
        let whole = stage.place(&page, None);
        let (wide, closer) = (
            stage.view(rect, whole),
            stage.view(inset(rect, PUSH), whole),
        );

        let mut lines = Vec::new();
        if options.descriptions
            && let Some(text) = text_of(&g["description"]["text"]).filter(|t| !t.trim().is_empty())
        {
            let mut line = Map::new();
            line.insert("text".into(), text.into());
            line.insert("display".into(), "caption".into());
            if let Some(audio) = g["description"]["audioref"].as_str()
                && let Some(id) = im.asset(audio, &format!("{at}.description.audioref"))
            {
                line.insert("voice".into(), id.into());
            }
            lines.push(Value::Object(line));
            descriptions += 1;
        }
        let empty = Vec::new();
        for (j, child) in g["children"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .enumerate()
        {
            let cat = format!("{at}.children[{j}]");
            let Some(text) = text_of(&child["text"]).filter(|t| !t.trim().is_empty()) else {
                im.problems.push(Problem::warning(cat, "no text: skipped"));
                continue;
            };
            let roles: Vec<&str> = child["role"]
                .as_array()
                .map_or_else(Vec::new, |r| r.iter().filter_map(Value::as_str).collect());
            let shape = roles.iter().find_map(|r| bubble_shape(r));
            let mut line = Map::new();
            if let Some(speaker) = child["character"]
                .as_array()
                .and_then(|c| c.first())
                .and_then(Value::as_str)
            {
                line.insert("speaker".into(), speaker.into());
            }
            line.insert("text".into(), text.into());
            let own = child["imgref"]
                .as_str()
                .and_then(|r| split_ref(r).ok())
                .and_then(|(_, r)| r);
            match (shape, own) {
                (Some("box"), _) => {
                    line.insert("display".into(), "caption".into());
                }
                (Some(shape), Some(r)) => {
                    let [x, y, w, h] = stage.place(&page, Some(r));
                    line.insert("display".into(), "bubble".into());
                    line.insert(
                        "bubble".into(),
                        json!({ "x": x + w / 2.0, "y": y + h / 2.0, "width": w.max(120.0), "shape": shape }),
                    );
                }
                _ => {
                    if shape.is_some() {
                        unplaced += 1;
                    }
                    line.insert("display".into(), "subtitle".into());
                }
            }
            if let Some(audio) = child["audioref"].as_str()
                && let Some(id) = im.asset(audio, &format!("{cat}.audioref"))
            {
                line.insert("voice".into(), id.into());
                voiced += 1;
            }
            bubbles += 1;
            lines.push(Value::Object(line));
        }

        let shot = json!({
            "duration": "auto",
            "layers": [{ "image": page.asset, "fit": "contain" }],
            "camera": { "from": { "frame": wide }, "to": { "frame": closer }, "ease": "ease-in-out" },
            "lines": lines,
        });
        panels.push((page_path, shot));
    }
    let panel_count = panels.len();
    // Pages of the reading order that no panel is on (a cover, the credits) are shown
    // whole where the book has them.
    let rank = |p: &str| order.iter().position(|o| o == p).unwrap_or(usize::MAX);
    let mut whole_pages = 0;
    for (k, path) in order.iter().enumerate() {
        if pages_seen.contains(path) || !is_image(path) {
            continue;
        }
        let Some(asset) = im.asset_at(path) else {
            continue;
        };
        let size = im.size(path, declared.get(path).copied());
        let rect = stage.place(
            &Page {
                asset: asset.clone(),
                size,
            },
            None,
        );
        let at = panels
            .iter()
            .position(|(p, _)| rank(p) > k)
            .unwrap_or(panels.len());
        panels.insert(
            at,
            (
                path.clone(),
                json!({
                    "duration": 3.0,
                    "layers": [{ "image": asset, "fit": "contain" }],
                    "camera": { "from": { "frame": rect }, "to": { "frame": inset(rect, PUSH / 2.0) }, "ease": "ease-in-out" },
                }),
            ),
        );
        whole_pages += 1;
    }
    let mut on_page: HashMap<String, usize> = HashMap::new();
    let mut prev: Option<String> = None;
    for (path, mut shot) in panels {
        let n = match rank(&path) {
            usize::MAX => pages_seen.iter().position(|p| *p == path).unwrap_or(0) + order.len() + 1,
            r => r + 1,
        };
        let k = on_page.entry(path.clone()).or_insert(0);
        *k += 1;
        shot["id"] = if pages_seen.contains(&path) {
            format!("p{n}-{k}")
        } else {
            format!("p{n}")
        }
        .into();
        if let Some(prev) = &prev {
            shot["transition"] = if *prev == path {
                json!({ "type": "move", "duration": TURN })
            } else {
                json!({ "type": page_turn(progression), "duration": TURN })
            };
        }
        prev = Some(path);
        shots.push(shot);
    }
    if shots.is_empty() {
        return Err(vec![Problem::error(
            format!("{name}: guided"),
            "no panel with an imgref: nothing to show",
        )]);
    }
    if unplaced > 0 {
        im.problems.push(Problem::warning(
            format!("{name}: guided"),
            format!("{unplaced} bubbles have no region of their own (no imgref #xywh): their words are subtitles, the page's art draws the balloon"),
        ));
    }
    let mut mapped = vec![
        format!(
            "{} pages, {} panels → {} shots (camera on each panel; `move` within a page, a page turn between pages)",
            pages_seen.len(),
            panel_count,
            panel_count
        ),
        format!(
            "{bubbles} bubbles → lines, {voiced} with their voice clip (each shot lasts as long as its voices)"
        ),
    ];
    if whole_pages > 0 {
        mapped.push(format!(
            "pages without panels (a cover, the credits): {whole_pages}, shown whole for 3 s"
        ));
    }
    mapped.push(if options.descriptions {
        format!("{descriptions} panel descriptions → caption lines read first (audio description)")
    } else {
        "panel descriptions left out (--descriptions reads them as captions)".to_string()
    });
    Ok((shots, mapped))
}

/// The rectangle closed in by `f` of its size, about its centre.
fn inset([x, y, w, h]: [f64; 4], f: f64) -> [f64; 4] {
    let (dw, dh) = (w * f / 2.0, h * f / 2.0);
    [x + dw, y + dh, w - 2.0 * dw, h - 2.0 * dh].map(|v| (v * 10.0).round() / 10.0)
}

/// A reading order without guided navigation: a page a shot.
fn reading_order_shots(
    im: &mut Importer<'_>,
    order: &[Value],
    declared: &HashMap<String, (f64, f64)>,
    stage: &Stage,
) -> Result<(Vec<Value>, Vec<String>), Vec<Problem>> {
    let entry = im.entry.clone();
    let mut shots: Vec<Value> = Vec::new();
    let (mut pages, mut sequences, mut skipped) = (0, 0, 0);
    for (i, item) in order.iter().enumerate() {
        let at = format!("{entry}: readingOrder[{i}]");
        let Some(href) = item["href"].as_str() else {
            im.problems.push(Problem::warning(at, "no href: skipped"));
            continue;
        };
        if !is_image(href) {
            skipped += 1;
            im.problems.push(Problem::warning(
                format!("{at}.href"),
                format!("{href}: only images play here (video and audio resources are skipped)"),
            ));
            continue;
        }
        let transition = item["properties"]["transitionForward"].clone();
        let (kind, duration) = transition_of(
            im,
            &transition,
            &format!("{at}.properties.transitionForward"),
        );
        // An animation: its frames, each a shot, before the page.
        if transition["type"].as_str() == Some("animation")
            && let Some(sequence) = transition["sequence"].as_array().filter(|s| !s.is_empty())
        {
            let each = (duration.unwrap_or(1.0) / sequence.len() as f64).max(1.0 / 30.0);
            for (k, step) in sequence.iter().enumerate() {
                let sat = format!("{at}.properties.transitionForward.sequence[{k}]");
                let Some(r) = step["href"].as_str() else {
                    continue;
                };
                let (shref, region) = split_ref(r).unwrap_or((r, None));
                let Some(asset) = im.asset(shref, &format!("{sat}.href")) else {
                    continue;
                };
                let mut layer = json!({ "image": asset, "fit": "contain" });
                if let Some(region) = region {
                    layer["crop"] = match region {
                        Region::Fraction([x, y, w, h]) => json!(format!(
                            "xywh=percent:{},{},{},{}",
                            x * 100.0,
                            y * 100.0,
                            w * 100.0,
                            h * 100.0
                        )),
                        Region::Pixels(p) => json!(p),
                    };
                }
                shots.push(json!({
                    "id": format!("page{}-frame{}", pages + 1, k + 1),
                    "duration": (each * 1000.0).round() / 1000.0,
                    "layers": [layer],
                }));
            }
            sequences += 1;
        }
        let Some(asset) = im.asset(href, &format!("{at}.href")) else {
            continue;
        };
        let path = join(&im.dir, href).unwrap_or_default();
        let size = im.size(&path, declared.get(&path).copied());
        let page = Page { asset, size };
        let rect = stage.place(&page, None);
        pages += 1;
        let mut shot = json!({
            "id": format!("page{pages}"),
            "duration": 3.0,
            "layers": [{ "image": page.asset, "fit": "contain" }],
            "camera": { "from": { "frame": rect }, "to": { "frame": rect } },
        });
        if !shots.is_empty()
            && let Some(kind) = kind
        {
            let d = duration.unwrap_or(0.5);
            if d > MAX_PAGE_TRANSITION {
                im.problems.push(Problem::warning(
                    format!("{at}.properties.transitionForward.duration"),
                    format!("{d} s: shortened to {MAX_PAGE_TRANSITION} s (a transition is centred on the cut, and the pages last 3 s)"),
                ));
            }
            shot["transition"] = json!({ "type": kind, "duration": d.min(MAX_PAGE_TRANSITION) });
        }
        shots.push(shot);
    }
    if shots.is_empty() {
        return Err(vec![Problem::error(
            format!("{entry}: readingOrder"),
            "no image in the reading order: nothing to show",
        )]);
    }
    let mut mapped = vec![format!(
        "{pages} pages → a shot each, 3 s (no guided navigation)"
    )];
    if sequences > 0 {
        mapped.push(format!(
            "image animations: {sequences}, a short shot per frame"
        ));
    }
    if skipped > 0 {
        mapped.push(format!("resources that are not images: {skipped}, skipped"));
    }
    Ok((shots, mapped))
}

/// A Divina `transitionForward` → ours and its length in seconds (`None`: a cut).
fn transition_of(
    im: &mut Importer<'_>,
    t: &Value,
    at: &str,
) -> (Option<&'static str>, Option<f64>) {
    let duration = t["duration"]
        .as_f64()
        .map(|ms| ms / 1000.0)
        .filter(|d| *d > 0.0);
    let dir = t["direction"].as_str().and_then(direction);
    let kind = match t["type"].as_str() {
        None => None,
        Some("cut") => None,
        Some("dissolve") => Some("crossfade"),
        Some("push") => Some(match dir {
            Some("left") => "push-left",
            Some("up") => "push-up",
            Some("down") => "push-down",
            _ => "push-right",
        }),
        Some("slide-in" | "slide-out") => Some(match dir {
            Some("left") => "slide-left",
            Some("up") => "slide-up",
            Some("down") => "slide-down",
            _ => "slide-right",
        }),
        Some("animation") => {
            if t["sequence"].as_array().is_none_or(|s| s.is_empty()) {
                im.problems.push(Problem::warning(
                    at,
                    "an animation from a video file: videos do not play here, the page is shown without it",
                ));
            }
            None
        }
        Some(other) => {
            im.problems.push(Problem::warning(
                format!("{at}.type"),
                format!("{other:?} is not a transition Manju knows: a cut"),
            ));
            None
        }
    };
    (kind, duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_in_pixels_and_percent() {
        assert_eq!(split_ref("p.jpg").unwrap(), ("p.jpg", None));
        assert_eq!(
            split_ref("p.jpg#xywh=percent:10,20,30,40").unwrap(),
            ("p.jpg", Some(Region::Fraction([0.1, 0.2, 0.3, 0.4])))
        );
        assert_eq!(
            split_ref("p.jpg#xywh=160,120,320,240").unwrap(),
            ("p.jpg", Some(Region::Pixels([160.0, 120.0, 320.0, 240.0])))
        );
        assert_eq!(
            split_ref("p.jpg#xywh=pixel:1,2,3,4").unwrap().1,
            Some(Region::Pixels([1.0, 2.0, 3.0, 4.0]))
        );
        assert!(split_ref("p.jpg#xywh=1,2,3").is_err());
        assert!(split_ref("p.jpg#xywh=percent:1,2,0,4").is_err());
    }

    #[test]
    fn a_page_is_placed_whole_inside_the_canvas() {
        let stage = Stage {
            width: 1080.0,
            height: 1920.0,
        };
        let page = Page {
            asset: "p".into(),
            size: Some((1000.0, 1000.0)),
        };
        // A square page on a tall canvas: 1080 wide, centred vertically.
        assert_eq!(stage.place(&page, None), [0.0, 420.0, 1080.0, 1080.0]);
        assert_eq!(
            stage.place(&page, Some(Region::Fraction([0.5, 0.5, 0.5, 0.5]))),
            [540.0, 960.0, 540.0, 540.0]
        );
    }

    #[test]
    fn a_panel_at_the_edge_is_framed_on_the_page() {
        let stage = Stage {
            width: 1000.0,
            height: 1000.0,
        };
        let page = [0.0, 0.0, 1000.0, 1000.0];
        // A wide panel at the top: the square view around it is moved down onto the page.
        assert_eq!(
            stage.view([0.0, 0.0, 500.0, 100.0], page),
            [0.0, 0.0, 500.0, 500.0]
        );
        // In the middle it stays centred on the panel.
        assert_eq!(
            stage.view([250.0, 450.0, 500.0, 100.0], page),
            [250.0, 250.0, 500.0, 500.0]
        );
        // Wider than the page can show: centred on the page.
        assert_eq!(stage.view([0.0, 0.0, 1000.0, 100.0], page)[1], 0.0);
    }

    #[test]
    fn paths_stay_inside_the_draft() {
        assert_eq!(
            join("book", "audio/a.mp3").as_deref(),
            Some("book/audio/a.mp3")
        );
        assert_eq!(join("book", "../x.png").as_deref(), Some("x.png"));
        assert_eq!(join("", "../x.png"), None);
        assert_eq!(join("", "https://example.com/x.png"), None);
        assert_eq!(join("", "p.jpg#xywh=1,2,3,4").as_deref(), Some("p.jpg"));
    }
}
