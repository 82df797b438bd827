//! The review API, `/api/v1/…` (docs/review-api.md; `/api/v1/openapi.json`).

use super::App;
use super::auth::{self, Principal, hash_password, hash_token, new_token, password_matches};
use super::db::now_ms;
use super::error::{ApiError, ApiResult};
use super::export;
use super::library;
use super::live;
use super::model::{
    self, AnchorIn, CommentIn, CommentPatch, DecisionIn, Outline, Role, SessionIn, ShareIn,
    check_body, check_name, check_plain, check_tags, iso, parse,
};
use super::writer::{self, Done, Edit, NewComment, NewDecision, Op};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::Row;
use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::Arc;

type St = State<Arc<App>>;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/sessions", post(create_session))
        .route("/api/v1/me", get(me))
        .route("/api/v1/dramas", get(list_dramas))
        .route("/api/v1/dramas/{drama}", get(get_drama))
        .route("/api/v1/dramas/{drama}/versions", post(publish))
        .route(
            "/api/v1/dramas/{drama}/shares",
            get(list_shares).post(create_share),
        )
        .route("/api/v1/shares/{id}", axum::routing::delete(revoke_share))
        .route("/api/v1/versions/{v}", get(get_version))
        .route(
            "/api/v1/versions/{v}/comments",
            get(list_comments).post(create_comment),
        )
        .route(
            "/api/v1/versions/{v}/comments/{id}",
            patch(edit_comment).delete(delete_comment),
        )
        .route(
            "/api/v1/versions/{v}/decisions",
            get(list_decisions).post(create_decision),
        )
        .route("/api/v1/versions/{v}/events", get(events))
        .route("/api/v1/versions/{v}/export.json", get(export_json))
        .route("/api/v1/versions/{v}/export.csv", get(export_csv))
        .route("/api/v1/versions/{v}/export.edl", get(export_edl))
        .route("/api/v1/versions/{v}/import", post(import))
        .route("/api/v1/versions/{v}/files/{*path}", get(version_file))
        .route("/api/{*rest}", axum::routing::any(no_route))
}

async fn no_route(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no API route {method} {}", uri.path()))
}

/// The caller, rate-limited by their token.
async fn who(app: &App, headers: &HeaderMap) -> ApiResult<Principal> {
    let p = app.known.principal(&app.db, headers).await?;
    app.limiter.take(&p.token_hash)?;
    Ok(p)
}

/// The request body, at most `limit` bytes (413 beyond).
async fn body_bytes(body: Body, limit: usize) -> ApiResult<Bytes> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::too_large(format!(
            "the request body is larger than {} KiB",
            limit / 1024
        ))
    })
}

const JSON_LIMIT: usize = 1 << 20;

fn created(done: Done) -> Response {
    let status = if done.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, axum::Json(done.record)).into_response()
}

#[derive(Clone)]
pub struct VersionRow {
    pub id: String,
    pub drama: String,
    pub name: String,
    pub ordinal: i64,
    pub folder: String,
    pub published_at: i64,
    pub outline: Arc<Outline>,
}

impl VersionRow {
    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "drama": self.drama,
            "name": self.name,
            "ordinal": self.ordinal,
            "published_at": iso(self.published_at),
            "title": self.outline.title,
            "fps": self.outline.fps,
            "frames": self.outline.frames,
            "duration": self.outline.duration,
            "width": self.outline.width,
            "height": self.outline.height,
            "shots": self.outline.shots.len(),
            "manifest": format!("/api/v1/versions/{}/files/manifest.json", self.id),
        })
    }
}

const VERSION_COLUMNS: &str = "id, drama_id, name, ordinal, folder, outline, published_at";

async fn version_row(app: &App, id: &str) -> ApiResult<VersionRow> {
    if let Some(v) = app
        .versions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(id)
    {
        return Ok(v.clone());
    }
    let row = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM versions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&app.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("no such drama or version"))?;
    version_from(app, &row)
}

/// A version from its row. A published version never changes, so it is read (and its
/// outline parsed) once and then answered from memory: every comment names its version,
/// and this keeps a database read off each one.
fn version_from(app: &App, row: &sqlx::any::AnyRow) -> ApiResult<VersionRow> {
    let id: String = row.try_get("id")?;
    if let Some(v) = app
        .versions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
    {
        return Ok(v.clone());
    }
    let text: String = row.try_get("outline")?;
    let outline: Outline = serde_json::from_str(&text)
        .map_err(|e| ApiError::unavailable(format!("version {id}'s outline: {e}")))?;
    let v = VersionRow {
        id: id.clone(),
        drama: row.try_get("drama_id")?,
        name: row.try_get("name")?,
        ordinal: row.try_get("ordinal")?,
        folder: row.try_get("folder")?,
        published_at: row.try_get("published_at")?,
        outline: Arc::new(outline),
    };
    app.versions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, v.clone());
    Ok(v)
}

/// The version, once the caller is known to reach it with at least `role`.
async fn reach_version(
    app: &App,
    headers: &HeaderMap,
    id: &str,
    role: Role,
) -> ApiResult<(Principal, VersionRow)> {
    let p = who(app, headers).await?;
    // Out of reach reads as missing before the role is checked: a link learns nothing
    // of another drama.
    let v = version_row(app, id).await?;
    p.reach(&v.drama, Some(&v.id))?;
    p.need(role)?;
    Ok((p, v))
}

async fn versions_of(app: &App, drama: &str) -> ApiResult<Vec<VersionRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM versions WHERE drama_id = $1 ORDER BY ordinal"
    ))
    .bind(drama)
    .fetch_all(&app.db.pool)
    .await?;
    rows.iter().map(|r| version_from(app, r)).collect()
}

// ----- sessions and shares -------------------------------------------------------------

async fn create_session(State(app): St, headers: HeaderMap, body: Body) -> ApiResult<Response> {
    let input: SessionIn = parse(&body_bytes(body, 16 * 1024).await?)?;
    let name = check_name(&input.name, "name")?;
    let (share_id, role, drama, version) = match &input.share {
        None => {
            let p = auth::principal(&app.db, &headers).await.map_err(|_| {
                ApiError::unauthorized(
                    "give a share link's token as \"share\", or send the owner token",
                )
            })?;
            if !p.is_owner() {
                return Err(ApiError::bad("share", "give the share link's token"));
            }
            (None, Role::Owner, None, None)
        }
        Some(token) => {
            let row = sqlx::query(
                "SELECT id, role, drama_id, version_id, password_hash, expires_at, revoked_at FROM shares WHERE token_hash = $1",
            )
            .bind(hash_token(token.trim()))
            .fetch_optional(&app.db.pool)
            .await?
            .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, Some("share"), "this share link is not valid"))?;
            let id: String = row.try_get("id")?;
            // Password guesses are slow: a few a second per link.
            app.sign_in_limiter.take(&id)?;
            if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    Some("share"),
                    "this share link was revoked",
                ));
            }
            if row
                .try_get::<Option<i64>, _>("expires_at")?
                .is_some_and(|e| e <= now_ms())
            {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    Some("share"),
                    "this share link has expired",
                ));
            }
            if let Some(hash) = row.try_get::<Option<String>, _>("password_hash")? {
                let Some(pw) = &input.password else {
                    return Err(ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        Some("password"),
                        "this link needs its password",
                    ));
                };
                let (pw, hash) = (pw.clone(), hash.clone());
                let ok = tokio::task::spawn_blocking(move || password_matches(&pw, &hash))
                    .await
                    .unwrap_or(false);
                if !ok {
                    return Err(ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        Some("password"),
                        "wrong password",
                    ));
                }
            }
            let role: String = row.try_get("role")?;
            let drama: String = row.try_get("drama_id")?;
            let version: Option<String> = row.try_get("version_id")?;
            (
                Some(id),
                Role::parse(&role).unwrap_or(Role::View),
                Some(drama),
                version,
            )
        }
    };
    let token = new_token();
    sqlx::query("INSERT INTO sessions (token_hash, share_id, role, name, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(hash_token(&token))
        .bind(&share_id)
        .bind(role.as_str())
        .bind(&name)
        .bind(now_ms())
        .execute(&app.db.pool)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({
            "token": token,
            "name": name,
            "role": role,
            "drama": drama,
            "version": version,
        })),
    )
        .into_response())
}

async fn me(State(app): St, headers: HeaderMap) -> ApiResult<Response> {
    let p = who(&app, &headers).await?;
    Ok(
        axum::Json(json!({"name": p.name, "role": p.role, "drama": p.drama, "version": p.version}))
            .into_response(),
    )
}

async fn create_share(
    State(app): St,
    headers: HeaderMap,
    Path(drama): Path<String>,
    body: Body,
) -> ApiResult<Response> {
    let p = who(&app, &headers).await?;
    p.need(Role::Owner)?;
    drama_exists(&app, &drama).await?;
    let input: ShareIn = parse(&body_bytes(body, 16 * 1024).await?)?;
    if input.role == Role::Owner {
        return Err(ApiError::bad(
            "role",
            "a share link is for view, comment or approve",
        ));
    }
    if let Some(v) = &input.version {
        let belongs = version_row(&app, v)
            .await
            .ok()
            .is_some_and(|r| r.drama == drama);
        if !belongs {
            return Err(ApiError::bad(
                "version",
                format!("no version {v} in drama {drama:?}"),
            ));
        }
    }
    check_plain(&input.label, "label")?;
    if input.label.chars().count() > 200 {
        return Err(ApiError::bad("label", "at most 200 characters"));
    }
    let expires_at = match input.expires_in {
        None => None,
        Some(s) if s > 0 && s <= 10 * 366 * 86_400 => Some(now_ms() + s * 1000),
        Some(s) => {
            return Err(ApiError::bad(
                "expires_in",
                format!("{s} is not a number of seconds from 1 to ten years"),
            ));
        }
    };
    let password_hash = match input.password {
        None => None,
        Some(pw) if pw.is_empty() || pw.chars().count() > 200 => {
            return Err(ApiError::bad(
                "password",
                "a password has 1 to 200 characters",
            ));
        }
        Some(pw) => Some(
            tokio::task::spawn_blocking(move || hash_password(&pw))
                .await
                .map_err(ApiError::unavailable)?,
        ),
    };
    let token = new_token();
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO shares (id, token_hash, drama_id, version_id, role, label, password_hash, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(hash_token(&token))
    .bind(&drama)
    .bind(&input.version)
    .bind(input.role.as_str())
    .bind(&input.label)
    .bind(&password_hash)
    .bind(expires_at)
    .bind(now_ms())
    .execute(&app.db.pool)
    .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({
            "id": id,
            "token": token,
            "link": format!("{}#share={token}", app.base_url),
            "drama": drama,
            "version": input.version,
            "role": input.role,
            "label": input.label,
            "password": password_hash.is_some(),
            "expires_at": expires_at.map(iso),
        })),
    )
        .into_response())
}

async fn list_shares(
    State(app): St,
    headers: HeaderMap,
    Path(drama): Path<String>,
) -> ApiResult<Response> {
    let p = who(&app, &headers).await?;
    p.need(Role::Owner)?;
    drama_exists(&app, &drama).await?;
    let rows = sqlx::query(
        "SELECT id, version_id, role, label, password_hash, expires_at, revoked_at, created_at FROM shares WHERE drama_id = $1 ORDER BY created_at",
    )
    .bind(&drama)
    .fetch_all(&app.db.pool)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        out.push(json!({
            "id": r.try_get::<String, _>("id")?,
            "version": r.try_get::<Option<String>, _>("version_id")?,
            "role": r.try_get::<String, _>("role")?,
            "label": r.try_get::<String, _>("label")?,
            "password": r.try_get::<Option<String>, _>("password_hash")?.is_some(),
            "expires_at": r.try_get::<Option<i64>, _>("expires_at")?.map(iso),
            "revoked_at": r.try_get::<Option<i64>, _>("revoked_at")?.map(iso),
            "created_at": iso(r.try_get("created_at")?),
        }));
    }
    Ok(axum::Json(json!({ "shares": out })).into_response())
}

async fn revoke_share(
    State(app): St,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let p = who(&app, &headers).await?;
    p.need(Role::Owner)?;
    app.known.forget_all();
    let done =
        sqlx::query("UPDATE shares SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_ms())
            .bind(&id)
            .execute(&app.db.pool)
            .await?;
    // (Again once revoked: a request between the two may have remembered a session.)
    app.known.forget_all();
    if done.rows_affected() == 0 {
        let exists = sqlx::query("SELECT id FROM shares WHERE id = $1")
            .bind(&id)
            .fetch_optional(&app.db.pool)
            .await?;
        if exists.is_none() {
            return Err(ApiError::not_found(format!("no share link {id}")));
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ----- dramas and versions ---------------------------------------------------------------

async fn drama_exists(app: &App, drama: &str) -> ApiResult<String> {
    let row = sqlx::query("SELECT title FROM dramas WHERE id = $1")
        .bind(drama)
        .fetch_optional(&app.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("no such drama or version"))?;
    Ok(row.try_get("title")?)
}

async fn list_dramas(State(app): St, headers: HeaderMap) -> ApiResult<Response> {
    let p = who(&app, &headers).await?;
    let rows = sqlx::query("SELECT id, title FROM dramas ORDER BY id")
        .fetch_all(&app.db.pool)
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let id: String = r.try_get("id")?;
        if p.reach(&id, None).is_err() {
            continue;
        }
        let versions: Vec<Value> = versions_of(&app, &id)
            .await?
            .iter()
            .filter(|v| p.reach(&v.drama, Some(&v.id)).is_ok())
            .map(VersionRow::json)
            .collect();
        out.push(
            json!({"id": id, "title": r.try_get::<String, _>("title")?, "versions": versions}),
        );
    }
    Ok(axum::Json(json!({ "dramas": out })).into_response())
}

async fn get_drama(
    State(app): St,
    headers: HeaderMap,
    Path(drama): Path<String>,
) -> ApiResult<Response> {
    let p = who(&app, &headers).await?;
    p.reach(&drama, None)?;
    let title = drama_exists(&app, &drama).await?;
    let versions: Vec<Value> = versions_of(&app, &drama)
        .await?
        .iter()
        .filter(|v| p.reach(&v.drama, Some(&v.id)).is_ok())
        .map(VersionRow::json)
        .collect();
    Ok(axum::Json(json!({"id": drama, "title": title, "versions": versions})).into_response())
}

async fn get_version(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
) -> ApiResult<Response> {
    let (_, v) = reach_version(&app, &headers, &v, Role::View).await?;
    let mut j = v.json();
    j["outline"] = serde_json::to_value(&*v.outline).unwrap_or(Value::Null);
    Ok(axum::Json(j).into_response())
}

#[derive(Deserialize)]
struct PublishQuery {
    name: Option<String>,
}

/// Publishes a version from a `.zip` (the request body): the owner only.
async fn publish(
    State(app): St,
    headers: HeaderMap,
    Path(drama): Path<String>,
    Query(q): Query<PublishQuery>,
    body: Body,
) -> ApiResult<Response> {
    let allowed = match who(&app, &headers).await {
        Ok(p) => p.need(Role::Owner),
        Err(e) => Err(e),
    };
    if let Err(e) = allowed {
        // Read (and drop) a modest upload before saying no, so the client hears the
        // answer instead of a connection cut in the middle of its upload.
        let _ = axum::body::to_bytes(body, 32 << 20).await;
        return Err(e);
    }
    // Read before any other answer, so the client hears it rather than a cut upload.
    let bytes = body_bytes(body, app.upload_limit).await?;
    if drama.is_empty()
        || drama.starts_with('.')
        || drama.chars().count() > 100
        || drama.contains(['/', '\\', '\0'])
    {
        return Err(ApiError::bad(
            "drama",
            "a drama's id is a folder name: 1 to 100 characters, no slashes, not starting with '.'",
        ));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let (data, id2) = (app.data.clone(), id.clone());
    let prepared = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let (folder, files) = library::unpack(bytes.to_vec(), &data, &id2)?;
        let outline = library::prepare(&folder, &data, &id2)?;
        Ok((folder, files, outline))
    })
    .await
    .map_err(ApiError::unavailable)?
    .map_err(|e| ApiError::bad("body", format!("{e:#}")))?;
    let (folder, files, outline) = prepared;
    let name = match q.name {
        Some(n) => n.trim().to_string(),
        None if !outline.version.is_empty() => outline.version.clone(),
        None => format!("upload {}", iso(now_ms())),
    };
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::bad(
            "name",
            "a version's name has 1 to 100 characters",
        ));
    }
    let taken = sqlx::query("SELECT id FROM versions WHERE drama_id = $1 AND name = $2")
        .bind(&drama)
        .bind(&name)
        .fetch_optional(&app.db.pool)
        .await?;
    if taken.is_some() {
        return Err(ApiError::conflict(
            Some("name"),
            format!("drama {drama:?} already has a version {name:?}"),
        ));
    }
    let title = if outline.title.is_empty() {
        drama.clone()
    } else {
        outline.title.clone()
    };
    if !library::add_version(
        &app.db,
        &drama,
        &title,
        &id,
        &name,
        &format!("upload:{id}"),
        &folder,
        &outline,
        &files,
    )
    .await?
    {
        return Err(ApiError::conflict(
            Some("name"),
            format!("drama {drama:?} already has a version {name:?}"),
        ));
    }
    let v = version_row(&app, &id).await?;
    let mut j = v.json();
    let shared = files.iter().map(|f| &f.1).collect::<HashSet<_>>().len();
    j["files"] = json!(files.len());
    j["blobs"] = json!(shared);
    Ok((StatusCode::CREATED, axum::Json(j)).into_response())
}

async fn version_file(
    State(app): St,
    headers: HeaderMap,
    method: Method,
    Path((v, path)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (_, v) = reach_version(&app, &headers, &v, Role::View).await?;
    let how = super::files::Serving {
        csp: &app.csp,
        cors: false,
        cache: None,
    };
    // A draft from another tool: its manifest is the one the core made from it.
    let imported = library::imported_manifest(&app.data, &v.id);
    if path == "manifest.json" && imported.is_file() {
        let name = format!("{}.json", v.id);
        let dir = imported
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        return Ok(super::files::serve(&dir, &name, None, &method, &headers, &how).await);
    }
    Ok(super::files::serve(
        std::path::Path::new(&v.folder),
        &path,
        None,
        &method,
        &headers,
        &how,
    )
    .await)
}

// ----- comments --------------------------------------------------------------------------

async fn create_comment(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
    body: Body,
) -> ApiResult<Response> {
    let (p, v) = reach_version(&app, &headers, &v, Role::Comment).await?;
    let input: CommentIn = parse(&body_bytes(body, JSON_LIMIT).await?)?;
    let op = checked_comment(&p, &v, input, None)?;
    Ok(created(app.writer.write(Op::Comment(op)).await?))
}

fn checked_comment(
    p: &Principal,
    v: &VersionRow,
    input: CommentIn,
    author: Option<String>,
) -> ApiResult<NewComment> {
    let body = check_body(&input.body, "body")?;
    let tags = check_tags(&input.tags)?;
    let anchor = input
        .anchor
        .as_ref()
        .map(|a| a.check(&v.outline, "anchor"))
        .transpose()?;
    if let Some(d) = &input.drawing {
        d.check()?;
    }
    Ok(NewComment {
        id: input.id.to_string(),
        version: v.id.clone(),
        parent: input.parent.map(|u| u.to_string()),
        author: author.unwrap_or_else(|| p.name.clone()),
        author_session: p.token_hash.clone(),
        body,
        tags,
        anchor,
        drawing: input.drawing,
    })
}

async fn edit_comment(
    State(app): St,
    headers: HeaderMap,
    Path((v, id)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Response> {
    let (p, v) = reach_version(&app, &headers, &v, Role::Comment).await?;
    let input: CommentPatch = parse(&body_bytes(body, JSON_LIMIT).await?)?;
    let body = input
        .body
        .as_deref()
        .map(|b| check_body(b, "body"))
        .transpose()?;
    let tags = input.tags.as_deref().map(check_tags).transpose()?;
    if let Some(Some(d)) = &input.drawing {
        d.check()?;
    }
    let op = Edit {
        id,
        version: v.id.clone(),
        by: p,
        body,
        tags,
        drawing: input.drawing,
        status: input.status,
        revision: input.revision,
    };
    let done = app.writer.write(Op::Edit(op)).await?;
    Ok(axum::Json(done.record).into_response())
}

/// Deleting is setting the status to `deleted` (its author or the owner): the comment
/// leaves the lists and exports, and PATCH `{"status": "open"}` brings it back.
async fn delete_comment(
    State(app): St,
    headers: HeaderMap,
    Path((v, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (p, v) = reach_version(&app, &headers, &v, Role::Comment).await?;
    let op = Edit {
        id,
        version: v.id.clone(),
        by: p,
        body: None,
        tags: None,
        drawing: None,
        status: Some(model::Status::Deleted),
        revision: None,
    };
    let done = app.writer.write(Op::Edit(op)).await?;
    Ok(axum::Json(done.record).into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
}

/// Which comments a list holds: those of one status, or all but the deleted ones.
fn listed(status: Option<&str>) -> impl Fn(&Value) -> bool + '_ {
    move |c| match status {
        Some(s) => c["status"] == s,
        None => c["status"] != "deleted",
    }
}

async fn comments_of(
    app: &App,
    version: &str,
    keep: impl Fn(&Value) -> bool,
) -> ApiResult<Vec<Value>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM comments WHERE version_id = $1 ORDER BY frame, created_at, id",
        writer::COMMENT_COLUMNS
    ))
    .bind(version)
    .fetch_all(&app.db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let c = writer::comment_json(r)?;
        if keep(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

async fn list_comments(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let (_, v) = reach_version(&app, &headers, &v, Role::View).await?;
    if let Some(s) = &q.status
        && !["open", "resolved", "deleted"].contains(&s.as_str())
    {
        return Err(ApiError::bad(
            "status",
            format!("{s:?} is not open, resolved or deleted"),
        ));
    }
    let comments = comments_of(&app, &v.id, listed(q.status.as_deref())).await?;
    Ok(axum::Json(json!({ "comments": comments })).into_response())
}

// ----- decisions -------------------------------------------------------------------------

async fn create_decision(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
    body: Body,
) -> ApiResult<Response> {
    let (p, v) = reach_version(&app, &headers, &v, Role::Approve).await?;
    let input: DecisionIn = parse(&body_bytes(body, 64 * 1024).await?)?;
    let (target, shot, line) = input.target.check(&v.outline)?;
    let note = input.note.trim().to_string();
    if note.chars().count() > model::MAX_NOTE_CHARS {
        return Err(
            ApiError::too_large(format!("at most {} characters", model::MAX_NOTE_CHARS))
                .with_field("note"),
        );
    }
    check_plain(&note, "note")?;
    let op = NewDecision {
        id: input.id.unwrap_or_else(uuid::Uuid::now_v7).to_string(),
        version: v.id.clone(),
        target,
        shot,
        line,
        verdict: input.verdict,
        author: p.name.clone(),
        note,
    };
    let done = app.writer.write(Op::Decide(op)).await?;
    if done.created && target == "version" && input.verdict != model::Verdict::Pending {
        super::webhook::send(&app, &v, &done.record);
    }
    Ok(created(done))
}

async fn decisions_of(app: &App, version: &str) -> ApiResult<(Vec<Value>, Vec<Value>)> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM decisions WHERE version_id = $1 ORDER BY created_at, id",
        writer::DECISION_COLUMNS
    ))
    .bind(version)
    .fetch_all(&app.db.pool)
    .await?;
    let mut history = Vec::new();
    for r in &rows {
        history.push(writer::decision_json(r)?);
    }
    // The latest decision on each target wins.
    let mut latest: Vec<Value> = Vec::new();
    for d in history.iter().rev() {
        if !latest.iter().any(|l| l["target"] == d["target"]) {
            latest.push(d.clone());
        }
    }
    latest.reverse();
    Ok((latest, history))
}

async fn list_decisions(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
) -> ApiResult<Response> {
    let (_, v) = reach_version(&app, &headers, &v, Role::View).await?;
    let (latest, history) = decisions_of(&app, &v.id).await?;
    Ok(axum::Json(json!({ "latest": latest, "history": history })).into_response())
}

// ----- live stream -----------------------------------------------------------------------

async fn events(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let (_, v) = reach_version(&app, &headers, &v, Role::View).await?;
    // Subscribe before reading what was missed, so nothing falls between the two.
    let mut rx = app.hub.subscribe();
    let after = headers
        .get("last-event-id")
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            query.as_deref().and_then(|q| {
                q.split('&')
                    .find_map(|kv| kv.strip_prefix("after=").map(str::to_string))
            })
        });
    let backlog = match after {
        Some(a) => {
            let a: i64 = a.trim().parse().map_err(|_| {
                ApiError::bad("Last-Event-ID", format!("{a:?} is not an event number"))
            })?;
            live::since(&app.db, &v.id, a, 10_000).await?
        }
        None => Vec::new(),
    };
    let version = v.id.clone();
    let mut stopping = app.stopping.clone();
    let stream = async_stream(backlog, version, move || {
        let r = rx.resubscribe();
        std::mem::replace(&mut rx, r)
    })
    .take_until(async move {
        let _ = stopping.wait_for(|s| *s).await;
    });
    let sse =
        Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)));
    let mut response = sse.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

fn sse_event(e: &live::Event) -> SseEvent {
    SseEvent::default()
        .id(e.seq.to_string())
        .event(e.kind.clone())
        .data(e.payload.clone())
}

fn async_stream(
    backlog: Vec<live::Event>,
    version: String,
    mut take_rx: impl FnMut() -> tokio::sync::broadcast::Receiver<Arc<live::Event>> + Send + 'static,
) -> impl futures_util::Stream<Item = Result<SseEvent, Infallible>> + Send + 'static {
    let seen: HashSet<i64> = backlog.iter().map(|e| e.seq).collect();
    let hello =
        futures_util::stream::once(async { Ok(SseEvent::default().event("ready").data("{}")) });
    let past = futures_util::stream::iter(backlog.into_iter().map(|e| Ok(sse_event(&e))));
    let rx = take_rx();
    let live =
        futures_util::stream::unfold((rx, seen, version), |(mut rx, seen, version)| async move {
            loop {
                match rx.recv().await {
                    Ok(e) if e.version == version && !seen.contains(&e.seq) => {
                        return Some((Ok(sse_event(&e)), (rx, seen, version)));
                    }
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        // Too far behind to catch up event by event: the client reloads.
                        let e = SseEvent::default()
                            .event("reset")
                            .data(format!("{{\"missed\":{n}}}"));
                        return Some((Ok(e), (rx, seen, version)));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    hello.chain(past).chain(live)
}

// ----- exports and import ----------------------------------------------------------------

async fn export_data(app: &App, v: &VersionRow) -> ApiResult<Value> {
    // Everything, the deleted too (marked so): an export re-imported loses nothing.
    let comments = comments_of(app, &v.id, |_| true).await?;
    let (latest, history) = decisions_of(app, &v.id).await?;
    Ok(json!({
        "format": "manju-review/1",
        "exported_at": iso(now_ms()),
        "version": v.json(),
        "outline": &*v.outline,
        "comments": comments,
        "decisions": { "latest": latest, "history": history },
    }))
}

fn download(body: String, kind: &'static str, name: String) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(['"', '\\', '\r', '\n'], "_")
    );
    let mut r = ([(header::CONTENT_TYPE, kind)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

fn file_stem(v: &VersionRow) -> String {
    let s: String = format!("{}-{}", v.drama, v.name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    s
}

async fn export_json(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
) -> ApiResult<Response> {
    let (_, v) = reach_version(&app, &headers, &v, Role::View).await?;
    let data = export_data(&app, &v).await?;
    Ok(download(
        serde_json::to_string_pretty(&data).unwrap_or_default(),
        "application/json; charset=utf-8",
        format!("{}-review.json", file_stem(&v)),
    ))
}

async fn export_csv(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
) -> ApiResult<Response> {
    let (_, v) = reach_version(&app, &headers, &v, Role::View).await?;
    let comments = comments_of(&app, &v.id, listed(None)).await?;
    Ok(download(
        export::csv(&v.outline, &comments),
        "text/csv; charset=utf-8",
        format!("{}-comments.csv", file_stem(&v)),
    ))
}

#[derive(Deserialize)]
struct EdlQuery {
    /// The record timecode of the first frame: `00:00:00:00` (default) or `01:00:00:00`.
    start: Option<String>,
}

async fn export_edl(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
    Query(q): Query<EdlQuery>,
) -> ApiResult<Response> {
    let (_, v) = reach_version(&app, &headers, &v, Role::View).await?;
    let start = match q.start.as_deref() {
        None | Some("00:00:00:00") => 0,
        Some("01:00:00:00") => 3600 * i64::from(v.outline.fps[0].div_ceil(v.outline.fps[1])),
        Some(s) => {
            return Err(ApiError::bad(
                "start",
                format!("{s:?}: give 00:00:00:00 or 01:00:00:00"),
            ));
        }
    };
    let comments = comments_of(&app, &v.id, listed(None)).await?;
    Ok(download(
        export::edl(&v.outline, &comments, start),
        "text/plain; charset=utf-8",
        format!("{}-notes.edl", file_stem(&v)),
    ))
}

/// An export: `format`, `comments` and `decisions` are read; the rest (the version and
/// outline it came from) is for people.
#[derive(Deserialize)]
struct ImportIn {
    format: String,
    comments: Vec<ImportedComment>,
    #[serde(default)]
    decisions: Option<ImportedDecisions>,
}

#[derive(Deserialize)]
struct ImportedDecisions {
    #[serde(default)]
    history: Vec<ImportedDecision>,
}

#[derive(Deserialize)]
struct ImportedComment {
    id: uuid::Uuid,
    body: String,
    author: String,
    #[serde(default)]
    parent: Option<uuid::Uuid>,
    #[serde(default)]
    tags: Vec<String>,
    anchor: ImportedAnchor,
    #[serde(default)]
    drawing: Option<model::Drawing>,
    #[serde(default)]
    status: Option<model::Status>,
}

/// An anchor as an export writes it (`frame`, `frame_end`, `range: true`), or as a
/// request does (`range: [a, b]`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportedAnchor {
    #[serde(default)]
    frame: Option<i64>,
    #[serde(default)]
    frame_end: Option<i64>,
    #[serde(default)]
    range: Option<Value>,
    #[serde(default)]
    shot: Option<String>,
    #[serde(default)]
    shot_time: Option<f64>,
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    layer: Option<usize>,
}

impl ImportedAnchor {
    fn into_request(self) -> ApiResult<AnchorIn> {
        let (frame, range) = match (&self.range, self.frame, self.frame_end) {
            (Some(Value::Array(pair)), None, _) => {
                let n = |i: usize| pair.get(i).and_then(Value::as_i64);
                match (n(0), n(1), pair.len()) {
                    (Some(a), Some(b), 2) => (None, Some([a, b])),
                    _ => {
                        return Err(ApiError::bad(
                            "anchor.range",
                            "a range is [first frame, end frame]",
                        ));
                    }
                }
            }
            (Some(Value::Bool(true)), Some(a), Some(b)) => (None, Some([a, b])),
            (None | Some(Value::Bool(false)), f, _) => (f, None),
            _ => {
                return Err(ApiError::bad(
                    "anchor.range",
                    "a range is [first frame, end frame]",
                ));
            }
        };
        Ok(AnchorIn {
            frame,
            range,
            shot: self.shot,
            shot_time: self.shot_time,
            line: self.line,
            layer: self.layer,
        })
    }
}

#[derive(Deserialize)]
struct ImportedDecision {
    id: uuid::Uuid,
    target: ImportedTarget,
    verdict: model::Verdict,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
struct ImportedTarget {
    shot: Option<String>,
    line: Option<usize>,
}

/// Re-imports an export (JSON) into a version: the owner only. Comments and decisions
/// keep their ids, so importing twice stores them once.
async fn import(
    State(app): St,
    headers: HeaderMap,
    Path(v): Path<String>,
    body: Body,
) -> ApiResult<Response> {
    let (p, v) = reach_version(&app, &headers, &v, Role::Owner).await?;
    let input: ImportIn = parse(&body_bytes(body, 64 << 20).await?)?;
    if input.format != "manju-review/1" {
        return Err(ApiError::bad(
            "format",
            format!("{:?} is not manju-review/1", input.format),
        ));
    }
    let mut ops = Vec::new();
    // Parents before replies: an export lists by frame, a reply may come first.
    let mut comments = input.comments;
    comments.sort_by_key(|c| c.parent.is_some());
    for (i, c) in comments.into_iter().enumerate() {
        let at = |e: ApiError| {
            let f = e.field.clone().unwrap_or_default();
            e.with_field(&format!("comments[{i}].{f}"))
        };
        let author = check_name(&c.author, "author").map_err(at)?;
        let status = c.status;
        let id = c.id;
        let anchor = c.anchor.into_request().map_err(at)?;
        let op = checked_comment(
            &p,
            &v,
            CommentIn {
                id: c.id,
                body: c.body,
                parent: c.parent,
                tags: c.tags,
                anchor: Some(anchor),
                drawing: c.drawing,
            },
            Some(author),
        )
        .map_err(at)?;
        ops.push((op, status, id));
    }
    let mut decisions = Vec::new();
    for (i, d) in input
        .decisions
        .map(|d| d.history)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let t = model::TargetIn {
            shot: d.target.shot,
            line: d.target.line,
        };
        let (target, shot, line) = t.check(&v.outline).map_err(|e| {
            let f = e.field.clone().unwrap_or_default();
            e.with_field(&format!("decisions.history[{i}].{f}"))
        })?;
        decisions.push(NewDecision {
            id: d.id.to_string(),
            version: v.id.clone(),
            target,
            shot,
            line,
            verdict: d.verdict,
            author: p.name.clone(),
            note: d.note,
        });
    }
    let (mut added, mut known) = (0, 0);
    for (op, status, id) in ops {
        let done = app.writer.write(Op::Comment(op)).await?;
        if done.created {
            added += 1
        } else {
            known += 1
        }
        if let Some(s) = status
            && s != model::Status::Open
            && done.record["status"] != s.as_str()
        {
            app.writer
                .write(Op::Edit(Edit {
                    id: id.to_string(),
                    version: v.id.clone(),
                    by: p.clone(),
                    body: None,
                    tags: None,
                    drawing: None,
                    status,
                    revision: None,
                }))
                .await?;
        }
    }
    let mut decided = 0;
    for d in decisions {
        if app.writer.write(Op::Decide(d)).await?.created {
            decided += 1;
        }
    }
    Ok(axum::Json(json!({"comments_added": added, "comments_already_there": known, "decisions_added": decided})).into_response())
}

async fn openapi() -> Response {
    let mut r = axum::Json(super::openapi::document()).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
