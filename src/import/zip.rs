//! A drama packed as one `.zip` (its manifest and assets), read in memory with limits.
//!
//! Everything in an archive is untrusted: its size, its entry count, the sizes its
//! headers declare (which may lie) and its entry names. [`Archive::open`] checks the
//! archive as a whole before anything is decompressed; [`Archive::read`] decompresses one
//! entry, never more bytes than the entry declared and the limits allow, so a zip bomb
//! stops at the limit instead of filling memory. Entry names are only ever looked up,
//! never joined to a path on disk, but a name that could escape a folder (`..`, an
//! absolute path, a drive letter, a backslash) rejects the whole archive: no honest
//! drama has one, and a page that lists names should not have to think about them.

use std::fmt;
use std::io::{Cursor, Read};
use zip::{CompressionMethod, ZipArchive};

/// Caps on what an archive may hold. [`Limits::DEFAULT`] is what the player uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The archive file itself.
    pub archive_bytes: u64,
    /// Entries, folders included.
    pub entries: usize,
    /// One entry, decompressed.
    pub entry_bytes: u64,
    /// All entries, decompressed, added up.
    pub total_bytes: u64,
    /// Decompressed size over compressed size, for entries larger than `ratio_floor`.
    pub ratio: u64,
    /// Entries this small are never too compressed (a small run of spaces or a blank
    /// image squeezes 1000:1 and is harmless).
    pub ratio_floor: u64,
}

impl Limits {
    /// A long episode is a few hundred MiB of images and sound; a few thousand files.
    /// JPEG, PNG and Ogg barely compress, so a ratio past 100:1 on a large entry is a bomb.
    pub const DEFAULT: Limits = Limits {
        archive_bytes: 1 << 30,
        entries: 10_000,
        entry_bytes: 256 << 20,
        total_bytes: 1 << 30,
        ratio: 100,
        ratio_floor: 1 << 20,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Why an archive (or one of its entries) cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipError {
    /// The entry at fault, when it is one entry.
    pub entry: Option<String>,
    pub kind: ZipErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZipErrorKind {
    /// Not a zip archive, or a damaged one (the reader's message).
    Unreadable(String),
    /// The archive is larger than [`Limits::archive_bytes`].
    ArchiveTooLarge { size: u64, limit: u64 },
    /// More entries than [`Limits::entries`].
    TooManyEntries { count: usize, limit: usize },
    /// An entry decompresses to more than [`Limits::entry_bytes`].
    EntryTooLarge { size: u64, limit: u64 },
    /// All entries together decompress to more than [`Limits::total_bytes`].
    TotalTooLarge { size: u64, limit: u64 },
    /// An entry is compressed more than [`Limits::ratio`] to 1.
    RatioTooHigh { ratio: u64, limit: u64 },
    /// A name with `..`, a leading `/`, a drive letter, a backslash or a NUL.
    UnsafeName,
    /// Encrypted entries, or a compression method other than stored and deflate.
    Unsupported(String),
    /// The entry decompressed to a size other than the one its header declared, or
    /// failed its checksum.
    Corrupt(String),
    /// No entry has that name.
    NotFound,
}

impl fmt::Display for ZipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MIB: u64 = 1 << 20;
        if let Some(entry) = &self.entry {
            write!(f, "`{entry}`: ")?;
        }
        match &self.kind {
            ZipErrorKind::Unreadable(why) => write!(f, "not a readable zip archive ({why})"),
            ZipErrorKind::ArchiveTooLarge { size, limit } => write!(
                f,
                "the archive is too large ({} MiB; at most {} MiB)",
                size.div_ceil(MIB),
                limit / MIB
            ),
            ZipErrorKind::TooManyEntries { count, limit } => {
                write!(f, "the archive has {count} entries; at most {limit}")
            }
            ZipErrorKind::EntryTooLarge { size, limit } => write!(
                f,
                "too large once decompressed ({} MiB; at most {} MiB)",
                size.div_ceil(MIB),
                limit / MIB
            ),
            ZipErrorKind::TotalTooLarge { size, limit } => write!(
                f,
                "the archive decompresses to {} MiB; at most {} MiB",
                size.div_ceil(MIB),
                limit / MIB
            ),
            ZipErrorKind::RatioTooHigh { ratio, limit } => {
                write!(f, "compressed {ratio}:1, more than {limit}:1 (a zip bomb?)")
            }
            ZipErrorKind::UnsafeName => write!(
                f,
                "the name could escape its folder (`..`, an absolute path or a backslash); the archive is refused"
            ),
            ZipErrorKind::Unsupported(why) => write!(f, "unsupported: {why}"),
            ZipErrorKind::Corrupt(why) => write!(f, "damaged: {why}"),
            ZipErrorKind::NotFound => write!(f, "not in the archive"),
        }
    }
}

impl std::error::Error for ZipError {}

/// What to say of an entry packed with a method Manju does not read (it reads stored and
/// deflate entries: what every zip tool writes by default); `None` for those two.
fn unsupported_method(method: CompressionMethod) -> Option<String> {
    type M = CompressionMethod;
    let named = [
        (M::DEFLATE64, "Deflate64"),
        (M::BZIP2, "bzip2"),
        (M::LZMA, "LZMA"),
        (M::ZSTD, "Zstandard"),
        (M::XZ, "XZ"),
        (M::PPMD, "PPMd"),
        (M::AES, "AES encryption"),
        (M::SHRINK, "shrink"),
        (M::REDUCE_1, "reduce"),
        (M::REDUCE_2, "reduce"),
        (M::REDUCE_3, "reduce"),
        (M::REDUCE_4, "reduce"),
        (M::IMPLODE, "implode"),
    ];
    let name = match method {
        M::Stored | M::Deflated => return None,
        _ => match named.iter().find(|(m, _)| *m == method) {
            Some((_, name)) => name.to_string(),
            None => format!("compression method {}", method_number(method)),
        },
    };
    Some(format!(
        "packed with {name}, which Manju does not read; re-pack the archive with deflate or store"
    ))
}

/// The number of a method the zip crate has no name for.
#[allow(deprecated)] // the crate's only way to an unknown method's number
fn method_number(method: CompressionMethod) -> u16 {
    match method {
        CompressionMethod::Unsupported(code) => code,
        other => other.to_u16(),
    }
}

fn error(entry: Option<&str>, kind: ZipErrorKind) -> ZipError {
    ZipError {
        entry: entry.map(str::to_string),
        kind,
    }
}

/// One file in the archive (folders are left out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// Decompressed size, as declared (and enforced when read).
    pub size: u64,
    index: usize,
    /// Why the entry cannot be unpacked here (a compression method Manju does not read),
    /// said when it is read; the rest of the archive plays.
    unreadable: Option<String>,
}

/// An opened archive: checked, nothing decompressed yet.
pub struct Archive {
    zip: ZipArchive<Cursor<Vec<u8>>>,
    entries: Vec<Entry>,
}

impl fmt::Debug for Archive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Archive")
            .field("entries", &self.entries)
            .finish()
    }
}

impl Archive {
    /// Opens `bytes` with [`Limits::DEFAULT`].
    pub fn open(bytes: Vec<u8>) -> Result<Archive, ZipError> {
        Archive::open_with(bytes, Limits::DEFAULT)
    }

    /// Reads the archive's directory and checks every entry's name and declared sizes.
    pub fn open_with(bytes: Vec<u8>, limits: Limits) -> Result<Archive, ZipError> {
        let size = bytes.len() as u64;
        if size > limits.archive_bytes {
            return Err(error(
                None,
                ZipErrorKind::ArchiveTooLarge {
                    size,
                    limit: limits.archive_bytes,
                },
            ));
        }
        let mut zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| error(None, ZipErrorKind::Unreadable(e.to_string())))?;
        if zip.len() > limits.entries {
            return Err(error(
                None,
                ZipErrorKind::TooManyEntries {
                    count: zip.len(),
                    limit: limits.entries,
                },
            ));
        }
        let mut entries = Vec::new();
        let mut total: u64 = 0;
        for index in 0..zip.len() {
            let file = zip
                .by_index_raw(index)
                .map_err(|e| error(None, ZipErrorKind::Unreadable(e.to_string())))?;
            let name = file
                .name()
                .map_err(|e| error(None, ZipErrorKind::Unreadable(e.to_string())))?
                .into_owned();
            if !is_safe_name(&name) {
                return Err(error(Some(&name), ZipErrorKind::UnsafeName));
            }
            if file.is_dir() {
                continue;
            }
            if file.encrypted() {
                return Err(error(
                    Some(&name),
                    ZipErrorKind::Unsupported("the entry is encrypted".into()),
                ));
            }
            let (size, packed) = (file.size(), file.compressed_size());
            check_entry(&name, size, packed, &limits)?;
            total = total.saturating_add(size);
            if total > limits.total_bytes {
                return Err(error(
                    None,
                    ZipErrorKind::TotalTooLarge {
                        size: total,
                        limit: limits.total_bytes,
                    },
                ));
            }
            let unreadable = unsupported_method(file.compression());
            entries.push(Entry {
                name,
                size,
                index,
                unreadable,
            });
        }
        Ok(Archive { zip, entries })
    }

    /// The files in the archive, in its order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Decompresses the entry called `name` (exactly as listed).
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, ZipError> {
        let entry = self
            .entries
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| error(Some(name), ZipErrorKind::NotFound))?;
        if let Some(why) = &entry.unreadable {
            return Err(error(Some(name), ZipErrorKind::Unsupported(why.clone())));
        }
        let declared = entry.size;
        let file = self.zip.by_index(entry.index).map_err(|e| {
            let kind = match e {
                zip::result::ZipError::UnsupportedArchive(why) => {
                    ZipErrorKind::Unsupported(why.to_string())
                }
                other => ZipErrorKind::Corrupt(other.to_string()),
            };
            error(Some(name), kind)
        })?;
        // The open checks trusted the header's size; the reader trusts nothing: one byte
        // past the declared size is proof the header lied, and reading stops there.
        let mut out = Vec::with_capacity(declared.min(64 << 20) as usize);
        file.take(declared + 1)
            .read_to_end(&mut out)
            .map_err(|e| error(Some(name), ZipErrorKind::Corrupt(e.to_string())))?;
        if out.len() as u64 != declared {
            return Err(error(
                Some(name),
                ZipErrorKind::Corrupt(format!(
                    "it holds {} bytes where its header says {declared}",
                    if out.len() as u64 > declared {
                        "more".to_string()
                    } else {
                        out.len().to_string()
                    }
                )),
            ));
        }
        Ok(out)
    }
}

fn check_entry(name: &str, size: u64, packed: u64, limits: &Limits) -> Result<(), ZipError> {
    if size > limits.entry_bytes {
        return Err(error(
            Some(name),
            ZipErrorKind::EntryTooLarge {
                size,
                limit: limits.entry_bytes,
            },
        ));
    }
    if size > limits.ratio_floor {
        let ratio = size / packed.max(1);
        if ratio > limits.ratio {
            return Err(error(
                Some(name),
                ZipErrorKind::RatioTooHigh {
                    ratio,
                    limit: limits.ratio,
                },
            ));
        }
    }
    Ok(())
}

/// A relative path made of plain components, with `/` between them.
pub fn is_safe_name(name: &str) -> bool {
    if name.is_empty() || name.starts_with('/') || name.contains(['\\', '\0']) {
        return false;
    }
    // `C:foo` is relative to drive C's current folder on Windows: refuse any drive prefix.
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return false;
    }
    name.split('/').all(|part| part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::CompressionMethod;
    use zip::write::{SimpleFileOptions, ZipWriter};

    /// A real archive with `files` (name, bytes), deflated.
    fn archive(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, bytes) in files {
            if name.ends_with('/') {
                w.add_directory(*name, options).unwrap();
            } else {
                w.start_file(*name, options).unwrap();
                w.write_all(bytes).unwrap();
            }
        }
        w.finish().unwrap().into_inner()
    }

    fn kind(result: Result<Archive, ZipError>) -> ZipErrorKind {
        result.expect_err("the archive should be refused").kind
    }

    #[test]
    fn reads_a_drama_and_skips_folders() {
        let bytes = archive(&[
            ("ep1/", b""),
            ("ep1/manifest.json", br#"{"format": "manju/1"}"#),
            ("ep1/img/a.png", &[1, 2, 3, 4]),
        ]);
        let mut a = Archive::open(bytes).unwrap();
        let names: Vec<&str> = a.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["ep1/manifest.json", "ep1/img/a.png"]);
        assert_eq!(a.read("ep1/img/a.png").unwrap(), [1, 2, 3, 4]);
        assert_eq!(
            a.read("ep1/manifest.json").unwrap(),
            br#"{"format": "manju/1"}"#
        );
        assert_eq!(a.read("nope.png").unwrap_err().kind, ZipErrorKind::NotFound);
    }

    #[test]
    fn refuses_what_is_not_a_zip() {
        assert!(matches!(
            kind(Archive::open(b"PK\x03\x04 but not really".to_vec())),
            ZipErrorKind::Unreadable(_)
        ));
        assert!(matches!(
            kind(Archive::open(Vec::new())),
            ZipErrorKind::Unreadable(_)
        ));
        // A good archive cut short loses its central directory.
        let mut cut = archive(&[("a.txt", b"hello hello hello")]);
        cut.truncate(cut.len() - 30);
        assert!(matches!(
            kind(Archive::open(cut)),
            ZipErrorKind::Unreadable(_)
        ));
    }

    #[test]
    fn limits_the_archive_size() {
        let bytes = archive(&[("a.txt", &[7u8; 5000])]);
        let limits = Limits {
            archive_bytes: 100,
            ..Limits::DEFAULT
        };
        assert!(matches!(
            kind(Archive::open_with(bytes, limits)),
            ZipErrorKind::ArchiveTooLarge { limit: 100, .. }
        ));
    }

    #[test]
    fn limits_the_entry_count() {
        let names: Vec<String> = (0..12).map(|i| format!("f{i}.txt")).collect();
        let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let limits = Limits {
            entries: 10,
            ..Limits::DEFAULT
        };
        assert_eq!(
            kind(Archive::open_with(archive(&files), limits)),
            ZipErrorKind::TooManyEntries {
                count: 12,
                limit: 10
            }
        );
        assert!(Archive::open_with(archive(&files[..10]), limits).is_ok());
    }

    #[test]
    fn limits_entry_and_total_sizes() {
        let noise: Vec<u8> = (0..40_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let one = Limits {
            entry_bytes: 30_000,
            ..Limits::DEFAULT
        };
        let err = Archive::open_with(archive(&[("big.bin", &noise)]), one).unwrap_err();
        assert_eq!(err.entry.as_deref(), Some("big.bin"));
        assert!(matches!(
            err.kind,
            ZipErrorKind::EntryTooLarge {
                size: 40_000,
                limit: 30_000
            }
        ));
        let all = Limits {
            total_bytes: 60_000,
            ..Limits::DEFAULT
        };
        let two = archive(&[("a.bin", &noise), ("b.bin", &noise)]);
        assert!(matches!(
            kind(Archive::open_with(two, all)),
            ZipErrorKind::TotalTooLarge { limit: 60_000, .. }
        ));
    }

    #[test]
    fn refuses_a_zip_bomb_by_its_ratio() {
        // 4 MiB of zeros deflate to about 4 KiB: a thousand to one.
        let zeros = vec![0u8; 4 << 20];
        let err = Archive::open(archive(&[("bomb.bin", &zeros)])).unwrap_err();
        assert_eq!(err.entry.as_deref(), Some("bomb.bin"));
        assert!(
            matches!(err.kind, ZipErrorKind::RatioTooHigh { ratio, limit: 100 } if ratio > 500),
            "{err}"
        );
        // Small entries may be squeezed hard: a blank 64 KiB file is fine.
        assert!(Archive::open(archive(&[("blank.bin", &vec![0u8; 64 << 10])])).is_ok());
    }

    #[test]
    fn a_header_that_understates_the_size_is_caught_while_reading() {
        // Declare 100 bytes for an entry that inflates to 50 000: the open checks pass
        // on the lie, and the read stops one byte past the declared size.
        let payload = vec![b'a'; 50_000];
        let mut bytes = archive(&[("liar.txt", &payload)]);
        let patched = patch_sizes(&mut bytes, 100);
        assert_eq!(patched, 2, "local header and central directory");
        let mut a = Archive::open(bytes).unwrap();
        let err = a.read("liar.txt").unwrap_err();
        assert!(matches!(err.kind, ZipErrorKind::Corrupt(_)), "{err}");
    }

    #[test]
    fn an_entry_packed_with_bzip2_or_lzma_says_so_and_the_rest_reads() {
        for (method, name) in [
            (12u16, "bzip2"),
            (14, "LZMA"),
            (93, "Zstandard"),
            (77, "compression method 77"),
        ] {
            let mut bytes = archive(&[("manifest.json", b"{}"), ("img/a.png", &[7; 100])]);
            // The second entry's method, in its local header and its directory record.
            let mut seen = [0usize; 2];
            let mut i = 0;
            while i + 4 <= bytes.len() {
                let (slot, offset) = match &bytes[i..i + 4] {
                    b"PK\x03\x04" => (0, 8),
                    b"PK\x01\x02" => (1, 10),
                    _ => {
                        i += 1;
                        continue;
                    }
                };
                seen[slot] += 1;
                if seen[slot] == 2 {
                    bytes[i + offset..i + offset + 2].copy_from_slice(&method.to_le_bytes());
                }
                i += 1;
            }
            let mut a = Archive::open(bytes).unwrap();
            assert_eq!(a.read("manifest.json").unwrap(), b"{}");
            let err = a.read("img/a.png").unwrap_err();
            assert_eq!(err.entry.as_deref(), Some("img/a.png"));
            assert_eq!(
                err.to_string(),
                format!(
                    "`img/a.png`: unsupported: packed with {name}, which Manju does not read; re-pack the archive with deflate or store"
                )
            );
        }
    }

    /// Rewrites the uncompressed size in every local header and central directory record.
    fn patch_sizes(bytes: &mut [u8], size: u32) -> usize {
        let mut patched = 0;
        let mut i = 0;
        while i + 4 <= bytes.len() {
            let offset = match &bytes[i..i + 4] {
                b"PK\x03\x04" => Some(22),
                b"PK\x01\x02" => Some(24),
                _ => None,
            };
            if let Some(o) = offset {
                bytes[i + o..i + o + 4].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
            i += 1;
        }
        patched
    }

    #[test]
    fn refuses_names_that_could_escape() {
        for bad in [
            "../manifest.json",
            "ep1/../../etc/passwd",
            "/etc/passwd",
            "img\\a.png",
            "..\\..\\a.png",
            "C:/Windows/a.png",
            "c:a.png",
        ] {
            let bytes = archive(&[("manifest.json", b"{}"), (bad, b"x")]);
            let err = Archive::open(bytes).unwrap_err();
            assert_eq!(err.kind, ZipErrorKind::UnsafeName, "{bad}");
            assert_eq!(err.entry.as_deref(), Some(bad));
            assert!(err.to_string().contains("escape"), "{err}");
        }
        for good in [
            "a.png",
            "img/a..b.png",
            "ep 1/第1集/a.png",
            "./a.png",
            "..a/b",
        ] {
            assert!(is_safe_name(good), "{good}");
        }
    }

    #[test]
    fn messages_name_the_entry_and_the_limit() {
        let err = error(
            Some("music/theme.ogg"),
            ZipErrorKind::EntryTooLarge {
                size: 300 << 20,
                limit: 256 << 20,
            },
        );
        assert_eq!(
            err.to_string(),
            "`music/theme.ogg`: too large once decompressed (300 MiB; at most 256 MiB)"
        );
    }
}
