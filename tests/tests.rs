//! Integration tests, one binary (as ripgrep's `tests/tests.rs`).
//!
//! - `golden`: every case under `tests/golden/<area>/<case>.json` renders to its PNG
//!   (`MAKE_REF=1` regenerates references; failures write diffs to `tests/out/golden/`).
//! - `manifests`: problems reported with JSON paths, lines and columns.
//! - `timing`: auto durations from real decoded audio, line and shot placement.
//! - `cli`: the `manju` binary's commands and exit codes.
//! - `diff`: `manju diff` on the demo and an edited copy of it (a line, a panel, a shot's timing).
//! - `schema`: the generated JSON Schema, current on disk and agreeing with the reader.
//! - `subtitles`: SRT, WebVTT and ASS import against pysubs2, and `manju import-subtitles`.
//! - `limits`: a long episode checked within a memory budget (peak RSS of the process).
//! - `import`: drafts from other tools (Readium Divina) on the shared corpus, broken ones,
//!   golden frames of an imported panel.
//! - `import_otio`: OpenTimelineIO timelines of the shared corpus cut where the
//!   `opentimelineio` package cuts them; a draft with images and a voice; the CLI.
//! - `import_jianying`: Jianying / CapCut drafts built here, broken and hostile ones, the CLI.

mod cli;
mod diff;
mod golden;
mod import;
mod import_jianying;
mod import_otio;
mod limits;
mod manifests;
mod schema;
mod timing;
mod util;
// SRT, WebVTT and ASS import against pysubs2's readings; `manju import-subtitles`.
mod subtitles;
