//! `manju serve`: the player, the library's dramas and the review API from one process.
//!
//! Native only (lib.rs compiles this module for every target but wasm32): tokio + axum
//! for HTTP, sqlx for SQLite (the default, one file in the data folder) or PostgreSQL
//! (`--database postgres://…`, for studios running several servers on one database).
//! docs/review-api.md describes the API.

mod api;
pub mod auth;
pub mod db;
pub mod error;
pub mod export;
pub mod files;
pub mod library;
pub mod live;
pub mod model;
mod openapi;
mod webhook;
pub mod writer;

use anyhow::{Context, Result, bail};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};

pub struct Options {
    pub library: PathBuf,
    pub host: String,
    pub port: u16,
    /// `sqlite://…` or `postgres://…`; SQLite in the data folder when `None`.
    pub database: Option<String>,
    /// Where the SQLite database and unpacked versions live (`<library>/.manju` by default).
    pub data: Option<PathBuf>,
    pub www: PathBuf,
    /// The owner token (from MANJU_OWNER_TOKEN); a new random one when `None`.
    pub owner_token: Option<String>,
    pub allow_origins: Vec<String>,
    pub cors: bool,
    /// Requests a second per token, and the burst allowed.
    pub rate: (f64, f64),
    pub webhook: Option<String>,
    pub upload_limit: usize,
    pub log: bool,
}

pub struct App {
    pub db: db::Db,
    pub hub: live::Hub,
    pub writer: writer::Writer,
    pub limiter: auth::Limiter,
    pub sign_in_limiter: auth::Limiter,
    pub www: PathBuf,
    pub data: PathBuf,
    pub csp: String,
    pub cors: bool,
    pub base_url: String,
    pub upload_limit: usize,
    pub webhook: Option<webhook::Target>,
    /// Published versions by id (they never change once published).
    pub versions: Mutex<HashMap<String, api::VersionRow>>,
    /// Becomes true when the server is asked to stop: live streams end, so that stopping
    /// never waits on a reviewer's open page.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    pub compressed: files::Compressed,
    pub known: auth::Known,
}

/// The page's Content-Security-Policy (the one scripts/serve.mjs sends): no inline script
/// or style; WebAssembly only through 'wasm-unsafe-eval'; other sites only when allowed.
pub fn content_security_policy(allow_origins: &[String]) -> String {
    let extra: String = allow_origins.iter().map(|o| format!(" {o}")).collect();
    [
        "default-src 'self'".to_string(),
        "script-src 'self' 'wasm-unsafe-eval'".to_string(),
        "style-src 'self'".to_string(),
        format!("img-src 'self' data: blob:{extra}"),
        format!("media-src 'self' blob: data:{extra}"),
        format!("connect-src 'self' blob: data:{extra}"),
        "object-src 'none'".to_string(),
        "base-uri 'none'".to_string(),
        "frame-ancestors *".to_string(),
    ]
    .join("; ")
}

/// `https://cdn.example` from an origin or URL given to --allow-origin.
pub fn normalize_origin(text: &str) -> Result<String> {
    let t = text.trim().trim_end_matches('/');
    let (scheme, rest) = t.split_once("://").with_context(|| {
        format!("--allow-origin: {text:?} is not an origin like https://cdn.example")
    })?;
    if scheme != "http" && scheme != "https" {
        bail!("--allow-origin: {text:?} is not an http(s) origin");
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    {
        bail!("--allow-origin: {text:?} is not an origin like https://cdn.example");
    }
    Ok(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

pub fn run(options: Options) -> Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(options))
}

async fn serve(o: Options) -> Result<()> {
    let library = std::fs::canonicalize(&o.library)
        .with_context(|| format!("the library folder {} is missing", o.library.display()))?;
    let data = o.data.clone().unwrap_or_else(|| library.join(".manju"));
    std::fs::create_dir_all(&data)
        .with_context(|| format!("cannot make the data folder {}", data.display()))?;
    let url = o
        .database
        .clone()
        .unwrap_or_else(|| db::Db::sqlite_url(&data));
    let db = db::Db::open(&url).await?;
    let owner_token = o.owner_token.clone().unwrap_or_else(auth::new_token);
    db.add_owner_token(&auth::hash_token(&owner_token)).await?;
    library::sync(&db, &library, &data).await?;

    let listener = tokio::net::TcpListener::bind((o.host.as_str(), o.port))
        .await
        .with_context(|| match o.port {
            0 => format!("cannot listen on {}", o.host),
            p => format!("cannot listen on {}:{p} (in use? try --port 0)", o.host),
        })?;
    let addr: SocketAddr = listener.local_addr()?;
    let shown = if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    let base_url = format!("http://{shown}:{}/", addr.port());
    let hub = live::Hub::default();
    live::listen(db.clone(), hub.clone());
    let origins = o
        .allow_origins
        .iter()
        .map(|s| normalize_origin(s))
        .collect::<Result<Vec<_>>>()?;
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let app = Arc::new(App {
        stopping,
        writer: writer::Writer::start(db.clone(), hub.clone()),
        db,
        hub,
        limiter: auth::Limiter::new(o.rate.0, o.rate.1),
        // Password guesses: 5 at once, then one every 2 s per link.
        sign_in_limiter: auth::Limiter::new(0.5, 5.0),
        www: o.www.clone(),
        data,
        csp: content_security_policy(&origins),
        cors: o.cors,
        base_url: base_url.clone(),
        upload_limit: o.upload_limit,
        webhook: o
            .webhook
            .as_deref()
            .map(webhook::Target::parse)
            .transpose()?,
        versions: Mutex::new(HashMap::new()),
        compressed: files::Compressed::default(),
        known: auth::Known::default(),
    });
    let router = router(app.clone(), o.log);

    println!("Manju: {base_url}");
    println!("Owner link (keep it private): {base_url}#owner={owner_token}");
    println!("Library: {}", library.display());
    let database = match app.db.kind {
        db::Kind::Sqlite => format!("SQLite {}", url.trim_start_matches("sqlite://")),
        db::Kind::Postgres => format!("PostgreSQL {}", db::redact(&url)),
    };
    println!("Review database: {database}");
    let signalled = async move {
        let ctrl_c = tokio::signal::ctrl_c();
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = ctrl_c => {}
            _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
        }
        let _ = stop.send(true);
    };
    let mut done = app.stopping.clone();
    let server = axum::serve(listener, router).with_graceful_shutdown(signalled);
    tokio::select! {
        r = server => r?,
        // Requests still running after 10 s of stopping are cut (each write is one
        // transaction: cut before its commit, it was never acknowledged).
        _ = async {
            let _ = done.wait_for(|s| *s).await;
            tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        } => eprintln!("serve: stopped with requests still running"),
    }
    Ok(())
}

/// An API answer of a few hundred bytes costs more to compress than to send: a comment's
/// acknowledgement went through gzip on every write. JSON is compressed from 8 KiB (lists,
/// exports).
#[derive(Clone, Copy)]
struct NotSmallJson;

impl Predicate for NotSmallJson {
    fn should_compress<B: axum::body::HttpBody>(&self, response: &axum::http::Response<B>) -> bool {
        let json = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        !json
            || response
                .body()
                .size_hint()
                .exact()
                .is_none_or(|n| n >= 8192)
    }
}

fn router(app: Arc<App>, log: bool) -> Router {
    // Text and wasm are compressed (gzip or brotli, as the browser asks); pictures,
    // sound, zips and live streams are not, nor a byte range.
    let predicate = SizeAbove::new(256)
        .and(NotSmallJson)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::const_new("audio/"))
        .and(NotForContentType::const_new("video/"))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new("font/woff"))
        .and(NotForContentType::const_new("text/event-stream"))
        .and(
            |_: StatusCode, _: axum::http::Version, h: &HeaderMap, _: &axum::http::Extensions| {
                !h.contains_key(header::CONTENT_RANGE)
            },
        );
    let mut router = api::routes()
        .fallback(static_file)
        .with_state(app)
        .layer(axum::middleware::map_response(security_headers))
        // Quality 5: brotli's default (11) takes a second for the 2.3 MB wasm; 5 makes it
        // about as small as gzip -9 in a tenth of that.
        .layer(
            CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(5))
                .compress_when(predicate),
        );
    if log {
        router = router.layer(axum::middleware::map_request(|r: Request| async move {
            println!("{} {}", r.method(), r.uri().path());
            r
        }));
    }
    router
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("no-referrer"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    r
}

async fn static_file(State(app): State<Arc<App>>, request: Request) -> Response {
    let path = match percent_decode(request.uri().path()) {
        Some(p) => p,
        None => return files::text_response(StatusCode::BAD_REQUEST, "Bad Request"),
    };
    let how = files::Serving {
        csp: &app.csp,
        cors: app.cors,
        cache: Some(&app.compressed),
    };
    files::serve(
        &app.www,
        &path,
        request.uri().query(),
        request.method(),
        request.headers(),
        &how,
    )
    .await
    .into_response()
}

/// `%E6%BC%AB` → `漫`; `None` for a broken escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_paths() {
        assert_eq!(
            normalize_origin("https://CDN.example/x").unwrap(),
            "https://cdn.example"
        );
        assert!(normalize_origin("ftp://x").is_err());
        assert!(normalize_origin("https://a b").is_err());
        assert_eq!(
            percent_decode("/%E6%BC%AB/a%20b").as_deref(),
            Some("/漫/a b")
        );
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%ff"), None);
        assert!(
            content_security_policy(&["https://cdn.example".into()])
                .contains("img-src 'self' data: blob: https://cdn.example")
        );
    }
}
