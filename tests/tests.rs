//! Integration tests, one binary (as ripgrep's `tests/tests.rs`).
//!
//! - `golden`: every case under `tests/golden/<area>/<case>.json` renders to its PNG
//!   (`MAKE_REF=1` regenerates references; failures write diffs to `tests/out/golden/`).
//! - `manifests`: problems reported with JSON paths, lines and columns.
//! - `timing`: auto durations from real decoded audio, line and shot placement.
//! - `cli`: the `manju` binary's commands and exit codes.
//! - `corpus`: real inputs made by others (`../shared/corpus`).

mod cli;
mod golden;
mod manifests;
mod timing;
mod util;
