//! `manju`: check, time and render comic dramas from the command line — the same core
//! the browser runs, natively.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use manju::{Compositor, Fps, Micros, TimelineSummary, evaluate, open};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "manju",
    version,
    about = "Check, time and render comic dramas (format manju/1)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Report every problem as `<json path>: <message>`; exit 1 if any is an error.
    Check { manifest: PathBuf },
    /// Print the format's JSON Schema (draft 2020-12), generated from the tables the reader uses.
    Schema,
    /// Print the timing (shots, lines, audio) as JSON, in seconds.
    Timeline { manifest: PathBuf },
    /// Compare two versions shot by shot (matched by id): which shots changed in timing,
    /// picture, words or sound, which were added, removed or renamed, with the details.
    /// A table, or JSON with `--json`. Images and clips are compared by their bytes.
    Diff {
        /// The old version: a manifest, or its folder.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
        /// Print the diff as JSON (times in microseconds) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Render the frame on screen at `--at` to a PNG (`-o`), the frames at several instants
    /// (`--at 1.5,4,12.25 --out <dir>`), or every frame from `--from` to `--to` into `--out`.
    Render {
        manifest: PathBuf,
        /// The instant, in seconds: renders the frame on screen then. Several, separated
        /// by commas, with --out: one PNG each, and a line `<seconds>\t<png>` on stdout.
        #[arg(long, value_delimiter = ',', num_args = 1.., conflicts_with_all = ["from", "to"])]
        at: Vec<f64>,
        /// The PNG to write (with one --at).
        #[arg(short = 'o', long = "output", conflicts_with = "out")]
        output: Option<PathBuf>,
        #[arg(long, requires_all = ["to", "out"])]
        from: Option<f64>,
        #[arg(long)]
        to: Option<f64>,
        /// The folder for one PNG per frame, named frame-NNNNNN.png by frame number.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Turn an SRT, WebVTT or ASS/SSA file into lines of a manifest.
    ///
    /// Without --into: a new manifest with a shot per cue. With --into: the lines are added
    /// to that manifest's shots at the cues' times, its shots staying where they are.
    /// Problems go to stdout as `<file>: <message> (line L, column C)`; the exit status is
    /// 1 if a cue had to be left out (what was read is written all the same).
    ImportSubtitles {
        /// The subtitle file (.srt, .vtt, .ass, .ssa; UTF-8 or UTF-16).
        file: PathBuf,
        /// The manifest to add the lines to; its shots keep their times.
        #[arg(long)]
        into: Option<PathBuf>,
        /// The manifest to write (may be the --into manifest itself).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Turn a draft from another tool into a manju/1 manifest: a Readium Divina
    /// publication (with Guided Navigation: panel by panel, bubbles voiced), an
    /// OpenTimelineIO timeline (.otio: its first video track's clips as shots), a storyboard
    /// CSV (a row a shot; English or Chinese headers), a folder of numbered panels with
    /// voice clips and maybe an .srt, a Jianying / CapCut draft (draft_content.json).
    ///
    /// The kind is read from the content (--from forces it). Prints what was mapped, then
    /// what could not be carried over as `<file>: <where>: <message>`. The manifest's asset
    /// paths point at the draft's own files, from wherever -o is written.
    Import {
        /// The draft: its folder, or its entry file (manifest.json, timeline.otio, …).
        draft: PathBuf,
        /// The manifest to write.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Read it as this kind: divina, otio, storyboard, folder, jianying (or capcut), manju.
        #[arg(long)]
        from: Option<String>,
        /// Divina: read each panel's description first, as a caption with its clip
        /// (an audio-description mode).
        #[arg(long)]
        descriptions: bool,
    },
    #[cfg(feature = "serve")]
    /// Serve the player, a library of dramas and the review API (comments, drawings,
    /// approvals, share links, live updates) from one process.
    ///
    /// The library holds a folder per drama; each holds its versions, as folders or .zip
    /// files with a manju/1 manifest (a drama folder with a manifest is one version).
    /// Prints the URL and the owner link; share links are made through the API.
    Serve {
        /// The library folder.
        library: PathBuf,
        #[arg(long, default_value_t = 8080, env = "PORT")]
        port: u16,
        /// The address to listen on (127.0.0.1: this machine only; 0.0.0.0: the network).
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// postgres://user:password@host/db for PostgreSQL (several servers on one
        /// database), or sqlite://<file>. Default: SQLite, review.db in the data folder.
        #[arg(long, env = "MANJU_DATABASE")]
        database: Option<String>,
        /// Where the SQLite database and unpacked versions live (default: <library>/.manju).
        #[arg(long)]
        data: Option<PathBuf>,
        /// The player's folder (default: the www/ this program was built from).
        #[arg(long, env = "MANJU_WWW")]
        www: Option<PathBuf>,
        /// Another site the page may fetch dramas from (repeatable; MANJU_ALLOW_ORIGINS
        /// holds several, separated by spaces).
        #[arg(long = "allow-origin")]
        allow_origin: Vec<String>,
        /// Answer with Access-Control-Allow-Origin: * (a server hosting dramas for other
        /// sites' players).
        #[arg(long)]
        cors: bool,
        /// Requests a second each token may make, and the burst: `<rate>/<burst>`.
        #[arg(long, default_value = "100/300")]
        rate_limit: String,
        /// An http:// URL told (POST, JSON) when a version is approved or changes are requested.
        #[arg(long)]
        webhook: Option<String>,
        /// The largest .zip a publish may upload, in MiB.
        #[arg(long, default_value_t = 1024)]
        upload_limit_mib: usize,
        /// Print one line per request.
        #[arg(long)]
        log: bool,
    },
}

/// `println!` that ends the process quietly when the reader has gone (`manju timeline |
/// head`): a closed pipe is how a Unix pipeline says "enough", not an error to panic on.
macro_rules! out {
    ($($arg:tt)*) => {
        print_line(format_args!($($arg)*))
    };
}

fn print_line(line: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("manju: writing to standard output: {e}");
        std::process::exit(1);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("manju: {e:#}");
            ExitCode::FAILURE
        }
    };
    // For tests/limits.rs: this process's own peak resident memory (Linux's VmHWM, which
    // starts afresh at exec). A parent's wait4 figure counts the pages of the process it
    // was forked from, so a test binary busy with other tests would be measured too.
    if std::env::var_os("MANJU_REPORT_PEAK_MEMORY").is_some()
        && let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
    {
        eprintln!(
            "manju: peak memory {}",
            line.trim_start_matches("VmHWM:").trim()
        );
    }
    code
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check { manifest } => {
            let (problems, summary) = match open(&manifest) {
                Ok(o) => {
                    let summary = format!(
                        "{} shots, {:.2} s",
                        o.drama.shots.len(),
                        manju::to_seconds(o.drama.duration)
                    );
                    (o.problems, Some(summary))
                }
                Err(problems) => (problems, None),
            };
            for p in &problems {
                out!("{p}");
            }
            let errors = problems.iter().filter(|p| p.is_error()).count();
            let warnings = problems.len() - errors;
            match (errors, summary) {
                (0, Some(s)) => {
                    eprintln!(
                        "{}: playable ({s}; {warnings} warning{})",
                        manifest.display(),
                        plural(warnings)
                    );
                    Ok(ExitCode::SUCCESS)
                }
                _ => {
                    eprintln!(
                        "{}: {errors} error{}, {warnings} warning{}",
                        manifest.display(),
                        plural(errors),
                        plural(warnings)
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Schema => {
            out!("{}", serde_json::to_string_pretty(&manju::json_schema())?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline { manifest } => {
            let o = opened(&manifest)?;
            let summary = TimelineSummary::new(&o.drama, &o.store);
            out!("{}", serde_json::to_string_pretty(&summary)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { old, new, json } => {
            let a = opened_version(&old)?;
            let b = opened_version(&new)?;
            let diff = manju::diff(&a.drama, &a.store, &b.drama, &b.store);
            if json {
                out!("{}", serde_json::to_string_pretty(&diff)?);
            } else {
                out!("{}", diff.table().trim_end_matches('\n'));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Render {
            manifest,
            at,
            output,
            from,
            to,
            out,
        } => {
            let mut o = opened(&manifest)?;
            let fps = o.drama.canvas.fps;
            let mut compositor = Compositor::new(o.drama.canvas.width, o.drama.canvas.height);
            let mut render = |n: i64, path: &Path| -> Result<()> {
                let t = fps.frame_start(n);
                o.decode_images_at(t);
                let list = evaluate(&o.drama, &o.store, t);
                let frame = compositor.render(&list, &o.store);
                image::save_buffer(
                    path,
                    frame.data(),
                    frame.width,
                    frame.height,
                    image::ExtendedColorType::Rgba8,
                )
                .with_context(|| format!("writing {}", path.display()))
            };
            let frame_file = |n: i64| format!("frame-{n:06}.png");
            match (at.as_slice(), output, from, to, out) {
                (&[at], Some(output), None, None, None) => {
                    render(frame_at(fps, at)?, &output)?;
                }
                (instants @ [_, ..], None, None, None, Some(dir)) => {
                    // Check every instant before the first frame is drawn.
                    let frames = instants
                        .iter()
                        .map(|&t| frame_at(fps, t))
                        .collect::<Result<Vec<_>>>()?;
                    std::fs::create_dir_all(&dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                    for (t, n) in instants.iter().zip(frames) {
                        let path = dir.join(frame_file(n));
                        render(n, &path)?;
                        out!("{t}\t{}", path.display());
                    }
                }
                ([], None, Some(from), Some(to), Some(dir)) => {
                    if to < from {
                        bail!("--to ({to}) is before --from ({from})");
                    }
                    std::fs::create_dir_all(&dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                    let (first, end) = (frame_at(fps, from)?, manju::from_seconds(to));
                    let mut n = first;
                    while n == first || fps.frame_start(n) < end {
                        render(n, &dir.join(frame_file(n)))?;
                        n += 1;
                    }
                    eprintln!("{} frames written to {}", n - first, dir.display());
                }
                _ => bail!(
                    "give --at <seconds> -o <frame.png>, --at <s>,<s>… --out <dir>, or --from <s> --to <s> --out <dir>"
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            draft,
            output,
            from,
            descriptions,
        } => import_draft(&draft, &output, from.as_deref(), descriptions),
        Command::ImportSubtitles { file, into, output } => {
            import_subtitles(&file, into.as_deref(), &output)
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            library,
            port,
            host,
            database,
            data,
            www,
            mut allow_origin,
            cors,
            rate_limit,
            webhook,
            upload_limit_mib,
            log,
        } => {
            let rate = rate_limit
                .split_once('/')
                .and_then(|(r, b)| Some((r.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)))
                .filter(|(r, b)| *r > 0.0 && *b >= 1.0)
                .with_context(|| format!("--rate-limit: {rate_limit:?} is not <requests a second>/<burst>, like 100/300"))?;
            if let Ok(more) = std::env::var("MANJU_ALLOW_ORIGINS") {
                allow_origin.extend(more.split_whitespace().map(str::to_string));
            }
            let www =
                www.unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/www")));
            if !www.join("index.html").is_file() {
                bail!(
                    "the player is not in {} (give --www <folder>)",
                    www.display()
                );
            }
            manju::serve::run(manju::serve::Options {
                library,
                host,
                port,
                database,
                data,
                www,
                owner_token: std::env::var("MANJU_OWNER_TOKEN")
                    .ok()
                    .filter(|t| t.len() >= 32),
                allow_origins: allow_origin,
                cors,
                rate,
                webhook,
                upload_limit: upload_limit_mib.saturating_mul(1 << 20),
                log,
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn import_draft(
    draft: &Path,
    output: &Path,
    from: Option<&str>,
    descriptions: bool,
) -> Result<ExitCode> {
    let from = from
        .map(|f| {
            manju::DraftKind::parse(f).with_context(|| {
                format!("--from: {f:?} is not divina, otio, storyboard, folder, jianying or manju")
            })
        })
        .transpose()?;
    let options = manju::ImportOptions { descriptions };
    let (mut imported, root) = match manju::import_draft_path(draft, from, &options) {
        Ok(done) => done,
        Err(problems) => {
            for p in &problems {
                out!("{p}");
            }
            bail!("nothing imported from {}", draft.display());
        }
    };
    // Asset paths are relative to the draft's folder; the manifest may go elsewhere.
    let out_dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let prefix = relative_path(out_dir, &root)?;
    if !prefix.is_empty()
        && let Some(assets) = imported.manifest["assets"].as_object_mut()
    {
        for src in assets.values_mut() {
            if let Some(s) = src.as_str() {
                *src = format!("{prefix}{s}").into();
            }
        }
    }
    std::fs::write(output, imported.manifest_text())
        .with_context(|| format!("writing {}", output.display()))?;
    out!("{} → {}", imported.kind, output.display());
    for line in &imported.mapped {
        out!("  {line}");
    }
    for p in &imported.problems {
        out!("{p}");
    }
    Ok(if imported.problems.iter().any(|p| p.is_error()) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The path from folder `from` to folder `to`, `/`-separated and ending in `/` (empty
/// when they are the same folder).
fn relative_path(from: &Path, to: &Path) -> Result<String> {
    let from = from
        .canonicalize()
        .with_context(|| format!("reading {}", from.display()))?;
    let to = to
        .canonicalize()
        .with_context(|| format!("reading {}", to.display()))?;
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = String::new();
    for _ in common..a.len() {
        out.push_str("../");
    }
    for c in &b[common..] {
        out.push_str(&c.as_os_str().to_string_lossy());
        out.push('/');
    }
    Ok(out)
}

fn import_subtitles(file: &Path, into: Option<&Path>, output: &Path) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let name = file.display().to_string();
    let cues = match manju::import_subtitle_bytes(&bytes, &name) {
        Ok(cues) => cues,
        Err(problems) => {
            for p in &problems {
                out!("{p}");
            }
            bail!("nothing imported from {}", file.display());
        }
    };
    let mut problems = cues.problems.clone();
    let merged = match into {
        None => manju::new_manifest(&cues),
        Some(manifest) => {
            let text = std::fs::read_to_string(manifest)
                .with_context(|| format!("reading {}", manifest.display()))?;
            // The voice clips' lengths time "auto" shots, as `manju timeline` does.
            let base = manifest.parent().unwrap_or(Path::new("."));
            let store = match manju::load_manifest(&text).manifest {
                Some(m) => manju::AssetStore::load_files(&m, base, false).0,
                None => manju::AssetStore::default(),
            };
            match manju::merge_into_manifest_with(&text, &cues, &store) {
                Ok(merged) => {
                    if !same_folder(manifest, output) && text.contains("\"assets\"") {
                        problems.push(manju::Problem::warning(
                            output.display().to_string(),
                            format!(
                                "written to another folder than {}: its asset paths, relative \
                                 to that manifest, will not be found from there",
                                manifest.display()
                            ),
                        ));
                    }
                    merged
                }
                Err(manifest_problems) => {
                    for p in &manifest_problems {
                        out!("{}: {p}", manifest.display());
                    }
                    bail!("{} cannot be read as a manifest", manifest.display());
                }
            }
        }
    };
    problems.extend(merged.problems);
    for p in &problems {
        out!("{p}");
    }
    std::fs::write(output, &merged.manifest)
        .with_context(|| format!("writing {}", output.display()))?;
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    eprintln!(
        "{}: {} cue{} → {} ({errors} error{}, {warnings} warning{})",
        file.display(),
        cues.cues.len(),
        plural(cues.cues.len()),
        output.display(),
        plural(errors),
        plural(warnings)
    );
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn same_folder(a: &Path, b: &Path) -> bool {
    let folder = |p: &Path| {
        let dir = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        dir.canonicalize().unwrap_or(dir)
    };
    folder(a) == folder(b)
}

fn frame_at(fps: Fps, seconds: f64) -> Result<i64> {
    if !seconds.is_finite() || seconds < 0.0 {
        bail!("the time must be a number of seconds ≥ 0, not {seconds}");
    }
    let t: Micros = manju::from_seconds(seconds);
    Ok(fps.frame_at(t))
}

/// Opens a manifest for timing or rendering: problems go to stderr; only a fatal one stops.
fn opened(path: &Path) -> Result<manju::Opened> {
    match open(path) {
        Ok(o) => {
            for p in &o.problems {
                eprintln!("{p}");
            }
            Ok(o)
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            bail!("{} cannot be played", path.display())
        }
    }
}

/// Opens one side of a diff: its problems go to stderr, each after the file it is in, so
/// that which version says what is clear; only a fatal one stops.
fn opened_version(path: &Path) -> Result<manju::Opened> {
    let say = |problems: &[manju::Problem]| {
        let file = path.display().to_string();
        for p in problems {
            let said = p.to_string();
            if said.starts_with(&file) {
                eprintln!("{said}");
            } else {
                eprintln!("{file}: {said}");
            }
        }
    };
    match open(path) {
        Ok(o) => {
            say(&o.problems);
            Ok(o)
        }
        Err(problems) => {
            say(&problems);
            bail!("{} cannot be opened", path.display())
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
