//! The browser binding: one opaque [`Session`] handle per loaded drama. Long-lived data
//! (the drama, decoded images, the frame buffer) stays in Rust; only small metadata
//! crosses to JavaScript, through serde-wasm-bindgen. Frames are read by the page
//! straight from wasm memory ([`Session::frame_ptr`]), never copied out per frame.

use crate::assets::AssetStore;
use crate::compositor::Compositor;
use crate::import::subtitles::{import_subtitle_bytes, merge_into_manifest_with};
use crate::import::{Archive, images_at, load_plan};
use crate::model::{Drama, Manifest, load_manifest, resolve};
use crate::problem::Problem;
use crate::text::line_problems;
use crate::time::{from_seconds, to_seconds};
use crate::timeline::{evaluate, layer_at, summary::TimelineSummary};
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod bench;

/// Runs once when the module is instantiated: panics become readable console errors
/// (and the page shows them as the player's error state).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

#[derive(Serialize)]
struct AssetInfo<'a> {
    id: &'a str,
    src: &'a str,
    kind: crate::model::AssetKind,
}

/// Turns a draft from another tool (a Readium Divina, a storyboard CSV, a folder of
/// panels…) into a `manju/1` manifest. `names` lists every file of the draft by its path;
/// `contents` maps the paths the page read (text files, the first bytes of images) to
/// their bytes. Returns `{kind, manifest, problems, mapped}` — the manifest's text, its
/// asset paths relative to the draft's root — or throws an `Error` naming what is wrong
/// when nothing can be played.
#[wasm_bindgen(js_name = importDraft)]
pub fn import_draft(names: Vec<String>, contents: js_sys::Map) -> Result<JsValue, JsError> {
    let mut files = crate::import::Listed {
        names,
        ..Default::default()
    };
    contents.for_each(&mut |value, key| {
        if let (Some(name), Some(bytes)) = (key.as_string(), value.dyn_ref::<js_sys::Uint8Array>())
        {
            files.bytes.insert(name, bytes.to_vec());
        }
    });
    let imported = crate::import::import(&files, None, &crate::import::Options::default())
        .map_err(|problems| {
            JsError::new(
                &problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
    #[derive(Serialize)]
    struct Out<'a> {
        kind: crate::import::Kind,
        manifest: String,
        problems: &'a [Problem],
        mapped: &'a [String],
    }
    to_js(&Out {
        kind: imported.kind,
        manifest: imported.manifest_text(),
        problems: &imported.problems,
        mapped: &imported.mapped,
    })
}

/// Compares two versions of a drama shot by shot, each loaded in its own session: the
/// same JSON as `manju diff --json`, `{shots: [{id, old_id?, changes, review, shift_us,
/// old, new, details}], summary}` (times in microseconds; see docs/diff.md). Images and
/// clips are compared by the hashes of their bytes, taken when the page handed them over
/// (`addAsset`), so both sessions should have every asset added or marked missing first:
/// the pixels need not be kept, and nothing is fetched again. Throws an `Error` when
/// either version cannot be played.
#[wasm_bindgen(js_name = diffDramas)]
pub fn diff_dramas(before: &Session, after: &Session) -> Result<JsValue, JsError> {
    let (Some(old), Some(new)) = (before.timed(), after.timed()) else {
        return Err(JsError::new(if before.manifest.is_none() {
            "the old version cannot be played"
        } else {
            "the new version cannot be played"
        }));
    };
    to_js(&crate::diff::diff(&old, &before.store, &new, &after.store))
}

/// A drama being loaded or played.
#[wasm_bindgen]
pub struct Session {
    manifest: Option<Manifest>,
    /// Problems of the manifest and its assets.
    problems: Vec<Problem>,
    /// Problems found while timing (replaced on each `resolve`).
    timing_problems: Vec<Problem>,
    store: AssetStore,
    drama: Option<Drama>,
    compositor: Compositor,
    /// Small frames for the seek bar's preview, drawn by their own compositor.
    thumbnails: Option<Compositor>,
    /// What setting the lines in full found (shrunk text, missing glyphs…), for the
    /// fonts' generation it was found with.
    text_problems: Option<(u64, Vec<Problem>)>,
}

#[wasm_bindgen]
impl Session {
    /// Reads a manifest. Never throws for a bad manifest: see `problems()` and `fatal`.
    pub fn load(text: &str) -> Session {
        let loaded = load_manifest(text);
        let (w, h) = loaded
            .manifest
            .as_ref()
            .map_or((1, 1), |m| (m.canvas.width, m.canvas.height));
        Session {
            manifest: loaded.manifest,
            problems: loaded.problems,
            timing_problems: Vec::new(),
            store: AssetStore::default(),
            drama: None,
            compositor: Compositor::new(w, h),
            thumbnails: None,
            text_problems: None,
        }
    }

    /// True when the manifest cannot be played at all (not JSON, wrong format, no shots).
    #[wasm_bindgen(getter)]
    pub fn fatal(&self) -> bool {
        self.manifest.is_none()
    }

    /// Every problem so far: `[{severity, path, message, line?, column?}]`. Text problems
    /// (lines shrunk or broken to fit, missing glyphs) are there once the default font is
    /// in (`setDefaultFont`).
    pub fn problems(&mut self) -> Result<JsValue, JsError> {
        let generation = self.store.fonts.generation();
        if self
            .text_problems
            .as_ref()
            .is_none_or(|(g, _)| *g != generation)
        {
            self.drama();
            let found = self
                .drama
                .as_ref()
                .map(|d| line_problems(d, &self.store.fonts))
                .unwrap_or_default();
            self.text_problems = Some((generation, found));
        }
        let text = self.text_problems.iter().flat_map(|(_, p)| p);
        let all: Vec<&Problem> = self
            .problems
            .iter()
            .chain(&self.timing_problems)
            .chain(text)
            .collect();
        to_js(&all)
    }

    /// Hands over the default font (`fonts/manju-sans.otf`, fetched by the page while the
    /// first frames play without words). Frames drawn after it show text. Throws an
    /// `Error` saying why when the bytes are not a usable font.
    #[wasm_bindgen(js_name = setDefaultFont)]
    pub fn set_default_font(&mut self, bytes: Vec<u8>) -> Result<(), JsError> {
        self.store
            .fonts
            .set_default(bytes)
            .map_err(|e| JsError::new(&format!("the default font cannot be used: {e}")))
    }

    /// Whether text can be drawn (the default font is in).
    #[wasm_bindgen(getter, js_name = hasFont)]
    pub fn has_font(&self) -> bool {
        self.store.fonts.has_default()
    }

    /// Adds the cues of a subtitle file (SRT, WebVTT, ASS/SSA; UTF-8 or UTF-16) to
    /// `manifest_text` as lines at their times, the shots staying where they are, and
    /// returns `{manifest, cues, problems}`: the new manifest's text, how many cues were
    /// read, and what could not be kept as it was (with the subtitle file's line numbers).
    /// Voice clips already added time the `auto` shots. Throws an `Error` naming the file
    /// and line when nothing could be imported or the manifest cannot be read.
    #[wasm_bindgen(js_name = importSubtitles)]
    pub fn import_subtitles(
        &self,
        bytes: &[u8],
        file_name: &str,
        manifest_text: &str,
    ) -> Result<JsValue, JsError> {
        let joined = |problems: &[Problem]| {
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let cues = import_subtitle_bytes(bytes, file_name)
            .map_err(|problems| JsError::new(&joined(&problems)))?;
        let merged =
            merge_into_manifest_with(manifest_text, &cues, &self.store).map_err(|problems| {
                JsError::new(&format!(
                    "the manifest cannot be read: {}",
                    joined(&problems)
                ))
            })?;
        let problems: Vec<&Problem> = cues.problems.iter().chain(&merged.problems).collect();
        #[derive(Serialize)]
        struct Imported<'a> {
            manifest: &'a str,
            cues: usize,
            problems: Vec<&'a Problem>,
        }
        to_js(&Imported {
            manifest: &merged.manifest,
            cues: cues.cues.len(),
            problems,
        })
    }

    /// The assets the page must fetch: `[{id, src, kind}]`.
    pub fn assets(&self) -> Result<JsValue, JsError> {
        let list: Vec<AssetInfo> = self
            .manifest
            .iter()
            .flat_map(|m| &m.assets)
            .map(|a| AssetInfo {
                id: &a.id,
                src: &a.src,
                kind: a.kind,
            })
            .collect();
        to_js(&list)
    }

    /// Hands an asset's bytes to the core (images are decoded here, audio lengths probed).
    #[wasm_bindgen(js_name = addAsset)]
    pub fn add_asset(&mut self, id: &str, bytes: &[u8]) {
        let Some(asset) = self.manifest.as_ref().and_then(|m| m.asset(id)).cloned() else {
            return;
        };
        if let Some(p) = self.store.add(id, asset.kind, &asset.src, bytes) {
            self.problems.push(p);
        }
        self.drama = None;
    }

    /// Records that an asset could not be fetched: a placeholder or silence takes its place.
    #[wasm_bindgen(js_name = markMissing)]
    pub fn mark_missing(&mut self, id: &str, reason: &str) {
        let Some(asset) = self.manifest.as_ref().and_then(|m| m.asset(id)).cloned() else {
            return;
        };
        let p = self.store.mark_missing(id, &asset.src, reason);
        self.problems.push(p);
        self.drama = None;
    }

    /// Times the drama with the assets given so far. Call after every asset was added
    /// or marked missing; rendering calls it if needed.
    pub fn resolve(&mut self) {
        let Some(m) = &self.manifest else { return };
        let resolved = resolve(m.clone(), &self.store);
        self.timing_problems = resolved.problems;
        self.drama = Some(resolved.drama);
    }

    /// The drama as timed with the assets so far, without keeping it: a diff reads two
    /// sessions at once, and one may be passed as both.
    fn timed(&self) -> Option<std::borrow::Cow<'_, Drama>> {
        match (&self.drama, &self.manifest) {
            (Some(d), _) => Some(std::borrow::Cow::Borrowed(d)),
            (None, Some(m)) => Some(std::borrow::Cow::Owned(
                resolve(m.clone(), &self.store).drama,
            )),
            (None, None) => None,
        }
    }

    fn drama(&mut self) -> Option<&Drama> {
        if self.drama.is_none() {
            self.resolve();
        }
        self.drama.as_ref()
    }

    #[wasm_bindgen(getter)]
    pub fn title(&self) -> String {
        self.manifest
            .as_ref()
            .map(|m| m.title.clone())
            .unwrap_or_default()
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.compositor.frame().width
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.compositor.frame().height
    }

    #[wasm_bindgen(getter)]
    pub fn fps(&self) -> f64 {
        self.manifest
            .as_ref()
            .map_or(30.0, |m| m.canvas.fps.as_f64())
    }

    /// The episode's length in seconds.
    #[wasm_bindgen(getter)]
    pub fn duration(&mut self) -> f64 {
        self.drama().map_or(0.0, |d| to_seconds(d.duration))
    }

    #[wasm_bindgen(getter, js_name = frameCount)]
    pub fn frame_count(&mut self) -> f64 {
        self.drama()
            .map_or(0.0, |d| d.canvas.fps.frame_count(d.duration) as f64)
    }

    /// Shots, lines and audio cues in seconds (the same JSON as `manju timeline`).
    pub fn timeline(&mut self) -> Result<JsValue, JsError> {
        self.drama();
        match &self.drama {
            Some(d) => to_js(&TimelineSummary::new(d, &self.store)),
            None => Ok(JsValue::NULL),
        }
    }

    /// The instant frame `n` shows, in seconds (to the microsecond, as the core counts).
    #[wasm_bindgen(js_name = frameStart)]
    pub fn frame_start(&mut self, n: f64) -> f64 {
        let Some(d) = self.drama() else { return 0.0 };
        to_seconds(d.canvas.fps.frame_start(n.max(0.0) as i64))
    }

    /// The number of the frame on screen at `seconds` (what `renderAt` draws).
    #[wasm_bindgen(js_name = frameAt)]
    pub fn frame_at(&mut self, seconds: f64) -> f64 {
        let Some(d) = self.drama() else { return 0.0 };
        d.canvas.fps.frame_at(from_seconds(seconds.max(0.0))) as f64
    }

    /// The number of the first frame that shows what begins at `seconds` (a line, a shot,
    /// a note): the first whose start is at or after it, kept within the episode.
    #[wasm_bindgen(js_name = firstFrameFrom)]
    pub fn first_frame_from(&mut self, seconds: f64) -> f64 {
        let Some(d) = self.drama() else { return 0.0 };
        let fps = d.canvas.fps;
        let last = (fps.frame_count(d.duration) - 1).max(0);
        fps.first_frame_from(from_seconds(seconds.max(0.0)))
            .min(last) as f64
    }

    /// The frame a player shows before playback starts, as a video's poster: the first
    /// frame after the intro (which fades in from a colour, so its frames are blank), else 0.
    #[wasm_bindgen(getter, js_name = posterFrame)]
    pub fn poster_frame(&mut self) -> f64 {
        let Some(d) = self.drama() else { return 0.0 };
        let fps = d.canvas.fps;
        let last = (fps.frame_count(d.duration) - 1).max(0);
        let intro = d.intro.map_or(0, |e| e.duration.max(0));
        fps.first_frame_from(intro).min(last) as f64
    }

    /// Frame `n` as SMPTE timecode `HH:MM:SS:FF` (non-drop-frame, at the nominal rate).
    pub fn timecode(&mut self, n: f64) -> String {
        let Some(d) = self.drama() else {
            return String::new();
        };
        d.canvas.fps.timecode(n.max(0.0) as i64)
    }

    /// Renders the frame on screen at `seconds`; returns its frame number.
    #[wasm_bindgen(js_name = renderAt)]
    pub fn render_at(&mut self, seconds: f64) -> f64 {
        let Some(d) = self.drama() else { return 0.0 };
        let n = d.canvas.fps.frame_at(from_seconds(seconds.max(0.0)));
        self.render_frame(n as f64);
        n as f64
    }

    /// Renders frame `n` (the instant n / fps) into the frame buffer.
    #[wasm_bindgen(js_name = renderFrame)]
    pub fn render_frame(&mut self, n: f64) {
        self.drama();
        let Some(d) = &self.drama else { return };
        let list = evaluate(d, &self.store, d.canvas.fps.frame_start(n.max(0.0) as i64));
        self.compositor.render(&list, &self.store);
    }

    /// Renders the frame on screen at `seconds` at `width` pixels wide (the height follows
    /// the canvas's aspect) into the thumbnail buffer; see `thumbnailPtr`. Returns the
    /// thumbnail's height.
    #[wasm_bindgen(js_name = renderThumbnail)]
    pub fn render_thumbnail(&mut self, seconds: f64, width: u32) -> u32 {
        self.drama();
        let Some(d) = &self.drama else { return 0 };
        let k = f64::from(width.max(1)) / f64::from(d.canvas.width);
        let height = ((f64::from(d.canvas.height) * k).round() as u32).max(1);
        let thumbs = self
            .thumbnails
            .get_or_insert_with(|| Compositor::new(width, height));
        if thumbs.frame().width != width.max(1) || thumbs.frame().height != height {
            *thumbs = Compositor::new(width.max(1), height);
        }
        let fps = d.canvas.fps;
        let t = fps.frame_start(fps.frame_at(from_seconds(seconds.max(0.0))));
        let list = evaluate(d, &self.store, t).scaled(k);
        thumbs.render(&list, &self.store);
        height
    }

    /// Byte offset of the last thumbnail's RGBA pixels (`renderThumbnail`'s width × height × 4).
    #[wasm_bindgen(js_name = thumbnailPtr)]
    pub fn thumbnail_ptr(&self) -> usize {
        self.thumbnails
            .as_ref()
            .map_or(0, |c| c.frame().data().as_ptr() as usize)
    }

    /// The index in its shot of the layer drawn topmost at the point `(x, y)` of frame `n`
    /// (fractions of the canvas's width and height, 0 to 1), or -1 when no layer is
    /// there: a review note about "this picture" names its layer so.
    #[wasm_bindgen(js_name = layerAt)]
    pub fn layer_at(&mut self, n: f64, x: f64, y: f64) -> i32 {
        self.drama();
        let Some(d) = &self.drama else { return -1 };
        let t = d.canvas.fps.frame_start(n.max(0.0) as i64);
        let (w, h) = (f64::from(d.canvas.width), f64::from(d.canvas.height));
        layer_at(d, &self.store, t, x * w, y * h).map_or(-1, |k| k as i32)
    }

    /// The order to fetch assets in: `{first, rest, shots}`. `first` (fonts, the voices
    /// that time their lines, the first shot's images and sounds) must be in before the
    /// first frame and the timeline; `rest` follows in order of first use; `shots` lists
    /// each shot's `{id, images, audio}`.
    #[wasm_bindgen(js_name = loadPlan)]
    pub fn load_plan(&self) -> Result<JsValue, JsError> {
        match &self.manifest {
            Some(m) => to_js(&load_plan(m)),
            None => Ok(JsValue::NULL),
        }
    }

    /// The images drawn at `seconds` that were neither added nor marked missing yet: the
    /// page waits for them (buffering) rather than show a placeholder for an image that
    /// is still on its way. Empty when the frame can be drawn as it is meant to look.
    #[wasm_bindgen(js_name = waitingFor)]
    pub fn waiting_for(&mut self, seconds: f64) -> Vec<String> {
        self.drama();
        let Some(d) = &self.drama else {
            return Vec::new();
        };
        images_at(d, from_seconds(seconds.max(0.0)))
            .into_iter()
            .filter(|id| self.store.image(id).is_none() && !self.store.is_missing(id))
            .map(str::to_string)
            .collect()
    }

    /// Byte offset of the RGBA frame buffer in the module's memory.
    #[wasm_bindgen(js_name = framePtr)]
    pub fn frame_ptr(&self) -> usize {
        self.compositor.frame().data().as_ptr() as usize
    }

    #[wasm_bindgen(js_name = frameLen)]
    pub fn frame_len(&self) -> usize {
        self.compositor.frame().data().len()
    }
}

/// A `.zip` holding a drama (its manifest and assets), opened in the core with the limits
/// of `import::zip` (archive size, entry count, sizes and compression ratio, names that
/// cannot escape). The archive's bytes stay in wasm memory; entries are decompressed one
/// at a time as the page asks for them.
#[wasm_bindgen(js_name = ZipArchive)]
pub struct ZipArchive {
    archive: Archive,
}

#[wasm_bindgen(js_class = ZipArchive)]
impl ZipArchive {
    /// Opens and checks an archive; throws an `Error` whose message says what is wrong.
    pub fn open(bytes: Vec<u8>) -> Result<ZipArchive, JsError> {
        Archive::open(bytes)
            .map(|archive| ZipArchive { archive })
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The files in the archive (folders left out), by their full names.
    pub fn names(&self) -> Vec<String> {
        self.archive
            .entries()
            .iter()
            .map(|e| e.name.clone())
            .collect()
    }

    /// One file's bytes; throws when it is missing, damaged or over the limits.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, JsError> {
        self.archive
            .read(name)
            .map_err(|e| JsError::new(&e.to_string()))
    }
}
