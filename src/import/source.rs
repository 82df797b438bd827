//! Drafts from other tools → a `manju/1` manifest. Each importer reads a set of files
//! ([`Files`]: a folder on disk, a zip, or what the page was given) and writes manifest
//! JSON whose asset paths are relative to the same root, so the draft's own images and
//! voice clips play where they are. What could not be carried over is a [`Problem`] naming
//! the file and where in it (`guided.json: guided[3].imgref`, `storyboard.csv: row 4,
//! column 时长`); only a draft with nothing playable in it is refused.

use crate::problem::Problem;
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};

/// The files of a draft, by path relative to its root (`/`-separated).
pub trait Files {
    /// Every file's path, sorted.
    fn names(&self) -> Vec<String>;
    /// A file's bytes; `None` when it is missing or cannot be read.
    fn read(&self, name: &str) -> Option<Vec<u8>>;
}

/// Most files listed from one folder, and how deep: a draft is a few hundred files, and
/// a mistaken `manju import ~` must not walk a home directory.
pub const MAX_FILES: usize = 20_000;
const MAX_DEPTH: usize = 6;
/// Largest text file an importer reads (a manifest, a timeline, a spreadsheet).
pub const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;

/// A folder on disk.
pub struct Folder {
    root: PathBuf,
    names: Vec<String>,
}

impl Folder {
    pub fn new(root: &Path) -> std::io::Result<Folder> {
        let mut names = Vec::new();
        walk(root, "", 0, &mut names)?;
        names.sort();
        Ok(Folder {
            root: root.to_path_buf(),
            names,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

fn walk(dir: &Path, prefix: &str, depth: usize, out: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if out.len() >= MAX_FILES {
            return Ok(());
        }
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = format!("{prefix}{name}");
        let kind = e.file_type()?;
        if kind.is_dir() {
            if depth < MAX_DEPTH {
                walk(&e.path(), &format!("{path}/"), depth + 1, out)?;
            }
        } else {
            out.push(path);
        }
    }
    Ok(())
}

impl Files for Folder {
    fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn read(&self, name: &str) -> Option<Vec<u8>> {
        if !crate::import::is_safe_name(name) {
            return None;
        }
        std::fs::read(self.root.join(name)).ok()
    }
}

/// Files held in memory (tests, and what the page hands over).
#[derive(Default)]
pub struct InMemory(pub std::collections::BTreeMap<String, Vec<u8>>);

impl InMemory {
    pub fn with(mut self, name: &str, bytes: impl Into<Vec<u8>>) -> InMemory {
        self.0.insert(name.to_string(), bytes.into());
        self
    }
}

impl Files for InMemory {
    fn names(&self) -> Vec<String> {
        self.0.keys().cloned().collect()
    }

    fn read(&self, name: &str) -> Option<Vec<u8>> {
        self.0.get(name).cloned()
    }
}

/// Every file's name, and the bytes of those an importer reads (the page hands over its
/// text files and the first bytes of its images, not every picture and clip).
#[derive(Default)]
pub struct Listed {
    pub names: Vec<String>,
    pub bytes: std::collections::HashMap<String, Vec<u8>>,
}

impl Files for Listed {
    fn names(&self) -> Vec<String> {
        let mut names = self.names.clone();
        names.sort();
        names
    }

    fn read(&self, name: &str) -> Option<Vec<u8>> {
        self.bytes.get(name).cloned()
    }
}

/// What a draft was made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Already a `manju/1` manifest.
    Manju,
    /// Readium Divina, with Guided Navigation when it has a `guided.json`.
    Divina,
    /// A storyboard spreadsheet saved as CSV, a row a shot.
    Storyboard,
    /// A folder of numbered panels, voice clips and maybe an `.srt`.
    MediaFolder,
    /// An OpenTimelineIO timeline (`.otio`).
    Otio,
    /// A Jianying (剪映) / CapCut draft: `draft_content.json` or `draft_info.json`.
    Jianying,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Manju => "manju/1",
            Kind::Divina => "Readium Divina",
            Kind::Storyboard => "storyboard CSV",
            Kind::MediaFolder => "folder of media",
            Kind::Otio => "OpenTimelineIO",
            Kind::Jianying => "Jianying / CapCut draft",
        }
    }

    /// `--from` names.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "manju" => Some(Kind::Manju),
            "divina" => Some(Kind::Divina),
            "storyboard" | "csv" => Some(Kind::Storyboard),
            "folder" | "media" => Some(Kind::MediaFolder),
            "otio" => Some(Kind::Otio),
            "jianying" | "capcut" => Some(Kind::Jianying),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A draft turned into a manifest.
pub struct Imported {
    pub kind: Kind,
    /// The `manju/1` manifest, its asset paths relative to the draft's root.
    pub manifest: Value,
    /// What could not be carried over, or only approximately.
    pub problems: Vec<Problem>,
    /// One line a thing mapped (`29 panels → 29 shots`), for the CLI and the page.
    pub mapped: Vec<String>,
}

impl Imported {
    /// The manifest as the text `manju import -o` writes.
    pub fn manifest_text(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.manifest).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// How an importer may be tuned.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Divina: read each panel's `description` aloud first, as a caption line with its
    /// clip (an audio-description mode; off by default).
    pub descriptions: bool,
}

/// Reads a text file of the draft as JSON: an error names the file, line and column.
pub(crate) fn read_json(files: &dyn Files, name: &str) -> Result<Value, Problem> {
    let bytes = files
        .read(name)
        .ok_or_else(|| Problem::error(name, "missing or unreadable"))?;
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(Problem::error(
            name,
            format!(
                "{} MiB: larger than the {} MiB a draft's text file may be",
                bytes.len() >> 20,
                MAX_TEXT_BYTES >> 20
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Problem::error(
            name,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    serde_json::from_str(text).map_err(|e| {
        Problem::error(name, format!("not JSON: {e}")).at(e.line() as u32, e.column() as u32)
    })
}

/// What kind of draft one file is the entry of (`None`: not one Manju reads).
pub fn kind_of(files: &dyn Files, name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".tsv") {
        let bytes = files.read(name)?;
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
        return super::storyboard::is_storyboard(&head).then_some(Kind::Storyboard);
    }
    if lower.ends_with(".otio") {
        // A broken .otio is still one: its importer says where it breaks.
        return match read_json(files, name) {
            Ok(json) => super::otio::is_otio(&json).then_some(Kind::Otio),
            Err(_) => Some(Kind::Otio),
        };
    }
    if super::jianying::is_entry_name(&lower) {
        // By its name: an encrypted draft is still one, and says so when imported.
        return Some(Kind::Jianying);
    }
    if lower.ends_with(".json") {
        let json = read_json(files, name).ok()?;
        if json.get("format").and_then(Value::as_str) == Some("manju/1") {
            return Some(Kind::Manju);
        }
        if super::divina::is_divina(&json) {
            return Some(Kind::Divina);
        }
        if super::otio::is_otio(&json) {
            return Some(Kind::Otio);
        }
        if super::jianying::is_jianying(&json) {
            return Some(Kind::Jianying);
        }
    }
    None
}

/// What kind of draft the files are, and the file that says so: a `manifest.json` at the
/// root first, then the shallowest candidate (a zip often holds one folder).
pub fn detect(files: &dyn Files) -> Option<(Kind, String)> {
    let mut candidates: Vec<String> = files
        .names()
        .into_iter()
        .filter(|n| {
            let n = n.to_ascii_lowercase();
            n.ends_with(".json")
                || n.ends_with(".csv")
                || n.ends_with(".tsv")
                || n.ends_with(".otio")
        })
        .collect();
    candidates.sort_by_key(|n| {
        (
            n.matches('/').count(),
            !n.ends_with("manifest.json"),
            n.clone(),
        )
    });
    candidates
        .into_iter()
        .take(64)
        .find_map(|n| kind_of(files, &n).map(|k| (k, n)))
}

/// Imports the draft at `path` — a folder, or one file of it (`manifest.json`, …) — and
/// gives the folder its asset paths are relative to.
pub fn import_path(
    path: &Path,
    from: Option<Kind>,
    options: &Options,
) -> Result<(Imported, PathBuf), Vec<Problem>> {
    let unreadable = |e: std::io::Error| {
        vec![Problem::error(
            "",
            format!("cannot read {}: {e}", path.display()),
        )]
    };
    if path.is_dir() {
        let folder = Folder::new(path).map_err(unreadable)?;
        let imported = import(&folder, from, options)?;
        return Ok((imported, path.to_path_buf()));
    }
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            vec![Problem::error(
                "",
                format!("{} is not a file", path.display()),
            )]
        })?;
    let folder = Folder::new(root).map_err(unreadable)?;
    let kind = from.or_else(|| kind_of(&folder, &name)).ok_or_else(|| {
        vec![Problem::error(
            name.as_str(),
            "not a draft Manju can read (a manju/1 manifest, a Readium Divina manifest.json, an OpenTimelineIO .otio, a storyboard CSV, a Jianying draft_content.json)",
        )]
    })?;
    Ok((
        import_entry(&folder, kind, &name, options)?,
        root.to_path_buf(),
    ))
}

/// Imports the draft: its kind detected from the content, or `from` when given.
pub fn import(
    files: &dyn Files,
    from: Option<Kind>,
    options: &Options,
) -> Result<Imported, Vec<Problem>> {
    let (kind, entry) = match (from, detect(files)) {
        (Some(k), Some((d, entry))) if k == d => (k, entry),
        (Some(k), _) => (k, default_entry(k).to_string()),
        (None, Some(found)) => found,
        (None, None) if super::media::is_media_folder(files) => (Kind::MediaFolder, String::new()),
        (None, None) => {
            return Err(vec![Problem::error(
                "",
                "not a draft Manju can read: no manju/1 manifest, no Readium Divina manifest.json, no OpenTimelineIO .otio, no storyboard CSV, no Jianying draft, no numbered images",
            )]);
        }
    };
    import_entry(files, kind, &entry, options)
}

/// Imports the draft whose entry file is `entry`, read as `kind`.
pub fn import_entry(
    files: &dyn Files,
    kind: Kind,
    entry: &str,
    options: &Options,
) -> Result<Imported, Vec<Problem>> {
    match kind {
        Kind::Manju => {
            let manifest = read_json(files, entry).map_err(|p| vec![p])?;
            Ok(Imported {
                kind,
                manifest,
                problems: Vec::new(),
                mapped: vec![format!("{entry} is already a manju/1 manifest")],
            })
        }
        Kind::Divina => super::divina::import(files, entry, options),
        Kind::Otio => super::otio::import(files, entry, options),
        Kind::Storyboard => super::storyboard::import(files, entry),
        Kind::MediaFolder => super::media::import(files),
        Kind::Jianying => super::jianying::import(files, entry),
    }
    .map(|mut imported| {
        typed_assets(&mut imported.manifest);
        imported
    })
}

/// Gives an asset whose file name does not say its type (`voice.amr`, `panel.bmp`,
/// `clip`) the type its use says, so the manifest reads without an error: the missing
/// or unplayable file is then a warning and a placeholder, as any other.
fn typed_assets(manifest: &mut Value) {
    let mut uses: Vec<(String, &'static str)> = Vec::new();
    let mut note = |v: &Value, kind: &'static str| {
        if let Some(id) = v.as_str() {
            uses.push((id.to_string(), kind));
        }
    };
    for shot in manifest["shots"].as_array().into_iter().flatten() {
        for layer in shot["layers"].as_array().into_iter().flatten() {
            note(&layer["image"], "image");
        }
        for line in shot["lines"].as_array().into_iter().flatten() {
            note(&line["voice"], "audio");
        }
        for sfx in shot["sfx"].as_array().into_iter().flatten() {
            note(&sfx["audio"], "audio");
        }
    }
    for music in manifest["music"].as_array().into_iter().flatten() {
        note(&music["audio"], "audio");
    }
    let Some(assets) = manifest["assets"].as_object_mut() else {
        return;
    };
    for (id, kind) in uses {
        if let Some(entry) = assets.get_mut(&id)
            && let Some(src) = entry.as_str().map(str::to_string)
            && crate::model::kind_from_extension(&src).is_none()
        {
            *entry = serde_json::json!({ "src": src, "type": kind });
        }
    }
}

fn default_entry(kind: Kind) -> &'static str {
    match kind {
        Kind::Manju | Kind::Divina => "manifest.json",
        Kind::Storyboard => "storyboard.csv",
        Kind::MediaFolder => "",
        Kind::Otio => "timeline.otio",
        Kind::Jianying => "draft_content.json",
    }
}
