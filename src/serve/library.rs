//! The library: a folder per drama, each holding its versions — folders or `.zip`s with
//! a `manju/1` manifest, or drafts from other tools (a Divina, an OpenTimelineIO timeline,
//! a storyboard CSV, numbered panels: imported, the manifest the core made kept in the
//! data folder); a drama folder holding one itself is one version — and the versions
//! published through the API. Each version is timed once, when it is first
//! seen, into an [`Outline`] that anchors are checked against.
//!
//! A zipped or uploaded version is unpacked into the data folder, every file stored once
//! under its content hash (`blobs/<sha256>`) and the version's folder made of hard links to
//! those blobs: v2 shares v1's unchanged images on disk.

use super::auth::hex;
use super::db::{Db, now_ms};
use super::model::Outline;
use anyhow::{Context, Result, anyhow, bail};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::path::{Path, PathBuf};

/// A stored file of a version: its path in the version, its content hash, its size.
pub type StoredFile = (String, String, u64);

pub struct Found {
    pub drama: String,
    pub name: String,
    pub source: PathBuf,
}

/// The versions in the library folder, in each drama in name order (v2 before v10).
pub fn find(library: &Path) -> Result<Vec<Found>> {
    let mut out = Vec::new();
    let mut dramas = read_dir_sorted(library)
        .with_context(|| format!("cannot read the library {}", library.display()))?;
    dramas.retain(|p| p.is_dir());
    for dir in dramas {
        let Some(drama) = name_of(&dir) else { continue };
        let entries = read_dir_sorted(&dir)?;
        let has_versions = entries.iter().any(|e| {
            (e.is_dir() && name_of(e).is_some() && is_version_folder(e))
                || e.extension().is_some_and(|x| x.eq_ignore_ascii_case("zip"))
        });
        if dir.join("manifest.json").is_file() || (!has_versions && is_draft(&dir)) {
            out.push(Found {
                drama: drama.clone(),
                name: String::new(),
                source: dir.clone(),
            });
            continue;
        }
        for entry in entries {
            let Some(name) = name_of(&entry) else {
                continue;
            };
            if entry.is_dir() && is_version_folder(&entry) {
                out.push(Found {
                    drama: drama.clone(),
                    name,
                    source: entry,
                });
            } else if entry.is_file()
                && entry
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
            {
                out.push(Found {
                    drama: drama.clone(),
                    name: name
                        .trim_end_matches(".zip")
                        .trim_end_matches(".ZIP")
                        .to_string(),
                    source: entry,
                });
            }
        }
    }
    Ok(out)
}

/// A version's folder: a manifest, or a draft from another tool (a Divina's own
/// manifest.json, an OpenTimelineIO timeline, a storyboard CSV, numbered panels…).
fn is_version_folder(dir: &Path) -> bool {
    dir.join("manifest.json").is_file() || is_draft(dir)
}

fn is_draft(dir: &Path) -> bool {
    crate::DraftFolder::new(dir).is_ok_and(|f| {
        crate::detect_draft(&f).is_some() || crate::import::media::is_media_folder(&f)
    })
}

/// Where the manifest imported from a draft version is kept (the draft's own files are
/// served from its folder; its `manifest.json` is this one).
pub fn imported_manifest(data: &Path, id: &str) -> PathBuf {
    data.join("imported").join(format!("{id}.json"))
}

/// Times the version in `folder`; a draft from another tool is imported first and its
/// manifest kept in the data folder, so the player reads the manju/1 the core made.
pub fn prepare(folder: &Path, data: &Path, id: &str) -> Result<Outline> {
    let own = folder.join("manifest.json");
    let is_manju = std::fs::read(&own).is_ok_and(|b| {
        serde_json::from_slice::<serde_json::Value>(&b)
            .is_ok_and(|j| j.get("format").and_then(|f| f.as_str()) == Some("manju/1"))
    }) || (own.is_file() && !is_draft(folder));
    if !is_manju {
        let (imported, _) =
            crate::import_draft_path(folder, None, &crate::ImportOptions::default()).map_err(
                |p| {
                    anyhow!(
                        "{} cannot be imported: {}",
                        folder.display(),
                        p.iter()
                            .map(|p| p.to_string())
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                },
            )?;
        let path = imported_manifest(data, id);
        std::fs::create_dir_all(path.parent().unwrap_or(data))?;
        std::fs::write(&path, imported.manifest_text())?;
        return match crate::open(folder) {
            Ok(o) => Ok(Outline::from_drama(&o.drama)),
            Err(problems) => bail!(
                "{} cannot be played: {}",
                folder.display(),
                problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
    }
    outline_of(folder)
}

fn name_of(p: &Path) -> Option<String> {
    let n = p.file_name()?.to_str()?;
    (!n.starts_with('.')).then(|| n.to_string())
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort_by(|a, b| natural(&a.to_string_lossy(), &b.to_string_lossy()));
    Ok(v)
}

/// Name order with numbers compared as numbers: v2 < v10.
pub fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let chunks = |s: &str| {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, text)) if *d == digit => text.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    };
    let (ca, cb) = (chunks(a), chunks(b));
    for ((da, ta), (db, tb)) in ca.iter().zip(cb.iter()) {
        let o = if *da && *db {
            let (na, nb) = (ta.trim_start_matches('0'), tb.trim_start_matches('0'));
            na.len().cmp(&nb.len()).then_with(|| na.cmp(nb))
        } else {
            ta.cmp(tb)
        };
        if o.is_ne() {
            return o;
        }
    }
    ca.len().cmp(&cb.len())
}

/// Times the drama in `folder` (blocking: decodes what a check decodes).
pub fn outline_of(folder: &Path) -> Result<Outline> {
    let manifest = folder.join("manifest.json");
    match crate::open(&manifest) {
        Ok(o) => Ok(Outline::from_drama(&o.drama)),
        Err(problems) => {
            let text = problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("; ");
            bail!("{} cannot be played: {text}", manifest.display())
        }
    }
}

/// Unpacks a zip into `data/versions/<id>/`, its files hard links to `data/blobs/`.
/// Returns the folder holding its manifest and the files stored (path, hash, size).
pub fn unpack(zip: Vec<u8>, data: &Path, id: &str) -> Result<(PathBuf, Vec<StoredFile>)> {
    let mut archive = crate::Archive::open(zip).map_err(|e| anyhow!("{e}"))?;
    let names: Vec<String> = archive
        .entries()
        .iter()
        .filter(|e| !e.name.ends_with('/'))
        .map(|e| e.name.clone())
        .collect();
    // The manifest at the top, or in the one folder everything was zipped in.
    let manifest = names
        .iter()
        .filter(|n| n.rsplit('/').next() == Some("manifest.json"))
        .min_by_key(|n| n.matches('/').count())
        .ok_or_else(|| anyhow!("the zip holds no manifest.json"))?
        .clone();
    let prefix = manifest.trim_end_matches("manifest.json").to_string();
    let blobs = data.join("blobs");
    let folder = data.join("versions").join(id);
    std::fs::create_dir_all(&blobs)?;
    std::fs::create_dir_all(&folder)?;
    let mut files = Vec::new();
    for name in names {
        let Some(inner) = name.strip_prefix(&prefix) else {
            continue;
        };
        if !crate::is_safe_name(inner) {
            bail!("the zip entry {name:?} has an unsafe name");
        }
        let bytes = archive.read(&name).map_err(|e| anyhow!("{name}: {e}"))?;
        let hash = hex(&Sha256::digest(&bytes));
        let blob = blobs.join(&hash);
        if !blob.exists() {
            let tmp = blobs.join(format!(".{hash}.{}", std::process::id()));
            std::fs::write(&tmp, &bytes)?;
            std::fs::rename(&tmp, &blob)?;
        }
        let target = folder.join(inner);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let _ = std::fs::remove_file(&target);
        if std::fs::hard_link(&blob, &target).is_err() {
            std::fs::copy(&blob, &target)?;
        }
        files.push((inner.to_string(), hash, bytes.len() as u64));
    }
    Ok((folder, files))
}

/// Registers what the library holds that the database does not know yet. (Several servers
/// on one database share the library folder and the data folder: a version is registered
/// by whichever comes first.)
pub async fn sync(db: &Db, library: &Path, data: &Path) -> Result<()> {
    let found = {
        let library = library.to_path_buf();
        tokio::task::spawn_blocking(move || find(&library)).await??
    };
    for f in found {
        let source = f.source.display().to_string();
        let known = sqlx::query("SELECT id FROM versions WHERE source = $1")
            .bind(&source)
            .fetch_optional(&db.pool)
            .await?;
        if known.is_some() {
            continue;
        }
        let id = uuid::Uuid::now_v7().to_string();
        let (src, data2, id2) = (f.source.clone(), data.to_path_buf(), id.clone());
        let prepared = tokio::task::spawn_blocking(move || -> Result<_> {
            let (folder, files) = if src.is_dir() {
                (src.clone(), Vec::new())
            } else {
                unpack(std::fs::read(&src)?, &data2, &id2)?
            };
            let outline = prepare(&folder, &data2, &id2)?;
            Ok((folder, files, outline))
        })
        .await?;
        match prepared {
            Ok((folder, files, outline)) => {
                let name = if f.name.is_empty() {
                    if outline.version.is_empty() {
                        "v1".to_string()
                    } else {
                        outline.version.clone()
                    }
                } else {
                    f.name.clone()
                };
                let title = if outline.title.is_empty() {
                    f.drama.clone()
                } else {
                    outline.title.clone()
                };
                let added = add_version(
                    db, &f.drama, &title, &id, &name, &source, &folder, &outline, &files,
                )
                .await?;
                if !added {
                    continue;
                }
                println!(
                    "serve: {} {name}: {} shots, {} frames",
                    f.drama,
                    outline.shots.len(),
                    outline.frames
                );
            }
            Err(e) => eprintln!("serve: skipped {}: {e:#}", f.source.display()),
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn add_version(
    db: &Db,
    drama: &str,
    title: &str,
    id: &str,
    name: &str,
    source: &str,
    folder: &Path,
    outline: &Outline,
    files: &[StoredFile],
) -> Result<bool> {
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    sqlx::query("INSERT INTO dramas (id, title, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
        .bind(drama)
        .bind(title)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let ordinal: i64 =
        sqlx::query("SELECT COALESCE(MAX(ordinal), 0) + 1 AS n FROM versions WHERE drama_id = $1")
            .bind(drama)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
    // Another server on the same database may have registered it a moment ago.
    let added = sqlx::query(
        "INSERT INTO versions (id, drama_id, name, ordinal, source, folder, outline, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (drama_id, name) DO NOTHING",
    )
    .bind(id)
    .bind(drama)
    .bind(name)
    .bind(ordinal)
    .bind(source)
    .bind(folder.display().to_string())
    .bind(serde_json::to_string(outline)?)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    for (path, hash, size) in files {
        sqlx::query(
            "INSERT INTO version_files (version_id, path, hash, size) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(path)
        .bind(hash)
        .bind(*size as i64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_in_name_order() {
        let mut v = vec!["v10", "v2", "v1", "v2b", "final"];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(v, ["final", "v1", "v2", "v2b", "v10"]);
    }
}
