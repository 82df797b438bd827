//! Files from disk: the player (`www/`) and the dramas' own files. What the development
//! server (scripts/serve.mjs) did: MIME types, single byte ranges, `nosniff`, the
//! page's Content-Security-Policy on HTML, no caching of a folder being worked on, and
//! nothing outside the folder served (`..`, symlinks out). Compression is a layer over
//! the whole router (mod.rs).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

pub fn mime(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" | "otio" => "application/json; charset=utf-8",
        "txt" | "srt" | "vtt" | "ass" | "ssa" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "ogg" | "oga" => "audio/ogg",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "m4a" => "audio/mp4",
        "webm" => "video/webm",
        "mp4" => "video/mp4",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

pub fn text_response(status: StatusCode, text: &str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("{text}\n"),
    )
        .into_response()
}

/// `root` joined with a URL path, or `None` when it would leave `root`.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    if url_path.contains('\0') || url_path.contains('\\') {
        return None;
    }
    let mut out = root.to_path_buf();
    for part in Path::new(url_path.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Parses a single `bytes=a-b` range; `Err` for one that cannot be satisfied.
fn range(headers: &HeaderMap, size: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(value) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    let Some((a, b)) = spec.split_once('-') else {
        return Ok(None);
    };
    if spec.contains(',') || (a.is_empty() && b.is_empty()) {
        return Ok(None); // several ranges: send it all
    }
    let num = |s: &str| s.parse::<u64>().map_err(|_| ());
    let (start, end) = if a.is_empty() {
        (size.saturating_sub(num(b)?), size.saturating_sub(1))
    } else {
        let start = num(a)?;
        let end = if b.is_empty() {
            size.saturating_sub(1)
        } else {
            num(b)?.min(size.saturating_sub(1))
        };
        (start, end)
    };
    if start >= size || start > end {
        return Err(());
    }
    Ok(Some((start, end)))
}

pub struct Serving<'a> {
    pub csp: &'a str,
    pub cors: bool,
    /// Compressed copies of text and wasm files, made once per file version.
    pub cache: Option<&'a Compressed>,
}

/// Compressed copies of files, by path, size, modification time and encoding: the page's
/// 2.3 MB wasm is compressed once, not on every page load.
type CopyKey = (PathBuf, u64, std::time::SystemTime, &'static str);

#[derive(Default)]
pub struct Compressed {
    copies: std::sync::Mutex<std::collections::HashMap<CopyKey, axum::body::Bytes>>,
}

impl Compressed {
    fn get(
        &self,
        file: &Path,
        info: &std::fs::Metadata,
        encoding: &'static str,
        bytes: &[u8],
    ) -> axum::body::Bytes {
        let key = (
            file.to_path_buf(),
            info.len(),
            info.modified().unwrap_or(std::time::UNIX_EPOCH),
            encoding,
        );
        if let Some(b) = self
            .copies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return b.clone();
        }
        let packed = axum::body::Bytes::from(compress(bytes, encoding));
        let mut copies = self.copies.lock().unwrap_or_else(|e| e.into_inner());
        // Files change while a drama is worked on: forget older copies of this one.
        copies.retain(|k, _| k.0 != key.0 || k.3 != encoding);
        copies.insert(key, packed.clone());
        packed
    }
}

fn compress(bytes: &[u8], encoding: &str) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::with_capacity(bytes.len() / 3);
    if encoding == "br" {
        let params = brotli::enc::BrotliEncoderParams {
            quality: if bytes.len() > 256 * 1024 { 5 } else { 9 },
            lgwin: 22,
            ..Default::default()
        };
        let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    } else {
        let mut gz = flate2::write::GzEncoder::new(&mut out, flate2::Compression::new(9));
        let _ = gz.write_all(bytes);
        let _ = gz.finish();
    }
    out
}

fn compressible(kind: &str) -> bool {
    kind.starts_with("text/")
        || kind.starts_with("application/json")
        || kind == "application/wasm"
        || kind == "image/svg+xml"
}

/// The encoding to send: brotli, else gzip, when the client takes it.
fn accepted(headers: &HeaderMap) -> Option<&'static str> {
    let accept = headers.get(header::ACCEPT_ENCODING)?.to_str().ok()?;
    let takes = |name: &str| {
        accept.split(',').any(|part| {
            let mut bits = part.split(';');
            bits.next().map(str::trim) == Some(name)
                && !bits.any(|q| q.trim().replace(' ', "") == "q=0")
        })
    };
    if takes("br") {
        Some("br")
    } else if takes("gzip") {
        Some("gzip")
    } else {
        None
    }
}

/// Answers a GET or HEAD for `url_path` under `root` (folders: their index.html).
pub async fn serve(
    root: &Path,
    url_path: &str,
    query: Option<&str>,
    method: &Method,
    headers: &HeaderMap,
    how: &Serving<'_>,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = text_response(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let not_found = || text_response(StatusCode::NOT_FOUND, "Not Found");
    let Ok(root) = tokio::fs::canonicalize(root).await else {
        return not_found();
    };
    let Some(file) = resolve(&root, url_path) else {
        return not_found();
    };
    // A symlink inside root must not lead outside it either.
    let Ok(mut file) = tokio::fs::canonicalize(&file).await else {
        return not_found();
    };
    if !file.starts_with(&root) {
        return not_found();
    }
    let Ok(mut info) = tokio::fs::metadata(&file).await else {
        return not_found();
    };
    if info.is_dir() {
        if !url_path.ends_with('/') {
            // Relative URLs in the index page resolve against the folder only with the slash.
            let location = match query {
                Some(q) => format!("{url_path}/?{q}"),
                None => format!("{url_path}/"),
            };
            let mut r = text_response(StatusCode::MOVED_PERMANENTLY, "Moved Permanently");
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            return r;
        }
        file.push("index.html");
        match tokio::fs::metadata(&file).await {
            Ok(i) => info = i,
            Err(_) => return not_found(),
        }
    }
    if !info.is_file() {
        return not_found();
    }
    let size = info.len();
    let kind = mime(&file);
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, kind)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        // Folders being worked on: always the bytes on disk now.
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::ACCEPT_RANGES, "bytes");
    if let Ok(modified) = info.modified() {
        response = response.header(header::LAST_MODIFIED, http_date(modified));
    }
    if kind.starts_with("text/html") {
        response = response.header(header::CONTENT_SECURITY_POLICY, how.csp);
    }
    if how.cors {
        response = response.header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }
    let (status, start, end) = match range(headers, size) {
        Err(()) => {
            let mut r = text_response(StatusCode::RANGE_NOT_SATISFIABLE, "Range Not Satisfiable");
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return r;
        }
        Ok(Some((s, e))) => {
            response = response.header(header::CONTENT_RANGE, format!("bytes {s}-{e}/{size}"));
            (StatusCode::PARTIAL_CONTENT, s, e + 1)
        }
        Ok(None) => (StatusCode::OK, 0, size),
    };
    let length = end - start;
    response = response
        .status(status)
        .header(header::CONTENT_LENGTH, length);
    if method == Method::HEAD || length == 0 {
        return response.body(Body::empty()).unwrap_or_else(|_| not_found());
    }
    let body = match read_part(&file, start, length).await {
        Ok(b) => b,
        Err(_) => return not_found(),
    };
    if let (Some(cache), StatusCode::OK, true, Some(encoding)) = (
        how.cache,
        status,
        compressible(kind) && size >= 1024,
        accepted(headers),
    ) {
        // A copy compressed at build time (`x.wasm.br` beside `x.wasm`, no older than it),
        // else one made now and kept. The compression layer passes either through.
        let packed = match precompressed(&file, &info, encoding).await {
            Some(p) => p,
            None => tokio::task::block_in_place(|| cache.get(&file, &info, encoding, &body)),
        };
        let Ok(mut r) = response.body(Body::from(packed.clone())) else {
            return not_found();
        };
        let h = r.headers_mut();
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(packed.len()));
        return r;
    }
    response
        .body(Body::from(body))
        .unwrap_or_else(|_| not_found())
}

async fn precompressed(
    file: &Path,
    info: &std::fs::Metadata,
    encoding: &str,
) -> Option<axum::body::Bytes> {
    let ext = if encoding == "br" { "br" } else { "gz" };
    let mut name = file.as_os_str().to_owned();
    name.push(format!(".{ext}"));
    let sibling = PathBuf::from(name);
    let meta = tokio::fs::metadata(&sibling).await.ok()?;
    if meta.modified().ok()? < info.modified().ok()? {
        return None; // older than the file: stale
    }
    tokio::fs::read(&sibling).await.ok().map(Into::into)
}

async fn read_part(file: &Path, start: u64, length: u64) -> std::io::Result<Vec<u8>> {
    let mut f = tokio::fs::File::open(file).await?;
    if start > 0 {
        f.seek(std::io::SeekFrom::Start(start)).await?;
    }
    let mut buf = Vec::with_capacity(length as usize);
    f.take(length).read_to_end(&mut buf).await?;
    Ok(buf)
}

/// `Thu, 03 Dec 2026 12:25:36 GMT`.
pub fn http_date(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let iso = super::model::iso(secs * 1000);
    let days = secs.div_euclid(86_400);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m: usize = iso[5..7].parse().unwrap_or(1);
    format!(
        "{weekday}, {} {} {} {} GMT",
        &iso[8..10],
        months[m - 1],
        &iso[0..4],
        &iso[11..19]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        let root = Path::new("/srv/www");
        assert_eq!(
            resolve(root, "/a/b.png"),
            Some(PathBuf::from("/srv/www/a/b.png"))
        );
        assert_eq!(resolve(root, "/a/../../etc/passwd"), None);
        assert_eq!(resolve(root, "/a\\..\\b"), None);
        assert_eq!(resolve(root, "/a\0"), None);
    }

    #[test]
    fn ranges() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::RANGE, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(range(&h("bytes=0-9"), 100), Ok(Some((0, 9))));
        assert_eq!(range(&h("bytes=90-"), 100), Ok(Some((90, 99))));
        assert_eq!(range(&h("bytes=-10"), 100), Ok(Some((90, 99))));
        assert_eq!(range(&h("bytes=50-500"), 100), Ok(Some((50, 99))));
        assert_eq!(range(&h("bytes=100-"), 100), Err(()));
        assert_eq!(range(&h("bytes=0-1,5-6"), 100), Ok(None));
        assert_eq!(range(&HeaderMap::new(), 100), Ok(None));
    }

    #[test]
    fn encodings() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(accepted(&h("gzip, deflate, br, zstd")), Some("br"));
        assert_eq!(accepted(&h("gzip;q=1.0, br;q=0")), Some("gzip"));
        assert_eq!(accepted(&h("identity")), None);
        assert_eq!(accepted(&HeaderMap::new()), None);
        let text = "漫剧 ".repeat(1000);
        for e in ["br", "gzip"] {
            assert!(compress(text.as_bytes(), e).len() < text.len() / 10, "{e}");
        }
    }

    #[test]
    fn dates() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_300_736);
        assert_eq!(http_date(t), "Thu, 03 Dec 2026 12:25:36 GMT");
    }
}
