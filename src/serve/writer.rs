//! Every comment, edit and decision goes through one writer task, which commits them in
//! batches: what arrived while the last commit was on its way to disk goes into the next
//! transaction, each in its own savepoint (one bad write fails alone). A write is
//! acknowledged only after its transaction committed — on disk, with SQLite's
//! synchronous=FULL — so one fsync serves many reviewers and nothing acknowledged is lost.

use super::auth::Principal;
use super::db::{Db, Kind, now_ms};
use super::error::{ApiError, ApiResult};
use super::live::{Event, Hub};
use super::model::{Anchor, Drawing, Role, Status, Verdict, iso, mentions};
use serde_json::{Value, json};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Executor, Row};
use tokio::sync::{mpsc, oneshot};

const BATCH: usize = 512;

pub struct NewComment {
    pub id: String,
    pub version: String,
    pub parent: Option<String>,
    pub author: String,
    pub author_session: String,
    pub body: String,
    pub tags: Vec<String>,
    pub anchor: Option<Anchor>,
    pub drawing: Option<Drawing>,
}

pub struct Edit {
    pub id: String,
    pub version: String,
    pub by: Principal,
    pub body: Option<String>,
    pub tags: Option<Vec<String>>,
    pub drawing: Option<Option<Drawing>>,
    pub status: Option<Status>,
    pub revision: Option<i64>,
}

pub struct NewDecision {
    pub id: String,
    pub version: String,
    pub target: &'static str,
    pub shot: Option<String>,
    pub line: Option<i64>,
    pub verdict: Verdict,
    pub author: String,
    pub note: String,
}

pub enum Op {
    Comment(NewComment),
    Edit(Edit),
    Decide(NewDecision),
}

/// What a write did: the record as it now is, and whether this request created it
/// (false: the same write was acknowledged before, and this is a retry).
pub struct Done {
    pub record: Value,
    pub created: bool,
}

type Job = (Op, oneshot::Sender<ApiResult<Done>>);

#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    pub fn start(db: Db, hub: Hub) -> Writer {
        let (tx, mut rx) = mpsc::channel::<Job>(8192);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < BATCH {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
                commit_batch(&db, &hub, batch).await;
            }
        });
        Writer { tx }
    }

    pub async fn write(&self, op: Op) -> ApiResult<Done> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send((op, reply))
            .await
            .map_err(|_| ApiError::unavailable("the writer stopped"))?;
        answer
            .await
            .map_err(|_| ApiError::unavailable("the writer stopped"))?
    }
}

async fn commit_batch(db: &Db, hub: &Hub, batch: Vec<Job>) {
    let mut conn = match db.pool.acquire().await {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("cannot reach the database: {e}");
            for (_, reply) in batch {
                let _ = reply.send(Err(ApiError::unavailable(&msg)));
            }
            return;
        }
    };
    let conn: &mut AnyConnection = &mut conn;
    // SQLite: take the write lock up front, so a read-then-write never meets a writer
    // that came in between.
    let begin = if db.kind == Kind::Sqlite {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN"
    };
    if let Err(e) = conn.execute(begin).await {
        for (_, reply) in batch {
            let _ = reply.send(Err(ApiError::unavailable(format!("BEGIN: {e}"))));
        }
        return;
    }
    let mut results = Vec::with_capacity(batch.len());
    let mut events = Vec::new();
    let mut broken = None;
    for (op, reply) in batch {
        if broken.is_some() {
            results.push((reply, Err(ApiError::unavailable("the transaction failed"))));
            continue;
        }
        if let Err(e) = conn.execute("SAVEPOINT op").await {
            broken = Some(e.to_string());
            results.push((reply, Err(ApiError::unavailable(e))));
            continue;
        }
        let outcome = apply(conn, op).await;
        let end = if outcome.is_ok() {
            "RELEASE SAVEPOINT op"
        } else {
            "ROLLBACK TO SAVEPOINT op; RELEASE SAVEPOINT op"
        };
        let mut ended = Ok(());
        for statement in end.split("; ") {
            if let Err(e) = conn.execute(statement).await {
                ended = Err(e);
                break;
            }
        }
        if let Err(e) = ended {
            broken = Some(e.to_string());
        }
        match outcome {
            Ok((done, event)) => {
                events.extend(event);
                results.push((reply, Ok(done)));
            }
            Err(e) => results.push((reply, Err(e))),
        }
    }
    if broken.is_none() && db.kind == Kind::Postgres && !events.is_empty() {
        let seqs = events
            .iter()
            .map(|e: &Event| e.seq.to_string())
            .collect::<Vec<_>>();
        // A notification holds at most 8000 bytes: a few hundred numbers at a time.
        for chunk in seqs.chunks(400) {
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(super::live::CHANNEL)
                .bind(chunk.join(","))
                .execute(&mut *conn)
                .await
            {
                broken = Some(e.to_string());
                break;
            }
        }
    }
    let committed = match broken {
        Some(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(e)
        }
        None => conn
            .execute("COMMIT")
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
    };
    match committed {
        Ok(()) => {
            for (reply, result) in results {
                let _ = reply.send(result);
            }
            if db.kind == Kind::Sqlite {
                hub.publish(events);
            }
        }
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            for (reply, _) in results {
                let _ = reply.send(Err(ApiError::unavailable(format!("COMMIT: {e}"))));
            }
        }
    }
}

async fn apply(conn: &mut AnyConnection, op: Op) -> ApiResult<(Done, Option<Event>)> {
    match op {
        Op::Comment(c) => put_comment(conn, c).await,
        Op::Edit(e) => edit_comment(conn, e).await,
        Op::Decide(d) => decide(conn, d).await,
    }
}

pub const COMMENT_COLUMNS: &str = "id, version_id, parent_id, author, author_session, body, tags, anchor, \
     drawing, status, resolved_by, resolved_at, revision, created_at, edited_at";

pub async fn comment_row(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<AnyRow>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A comment as the API shows it.
pub fn comment_json(row: &AnyRow) -> Result<Value, sqlx::Error> {
    let body: String = row.try_get("body")?;
    let parse = |s: Option<String>| -> Value {
        s.and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(Value::Null)
    };
    let resolved_at: Option<i64> = row.try_get("resolved_at")?;
    let edited_at: Option<i64> = row.try_get("edited_at")?;
    Ok(json!({
        "id": row.try_get::<String, _>("id")?,
        "version": row.try_get::<String, _>("version_id")?,
        "parent": row.try_get::<Option<String>, _>("parent_id")?,
        "author": row.try_get::<String, _>("author")?,
        "mentions": mentions(&body),
        "body": body,
        "tags": parse(row.try_get("tags")?),
        "anchor": parse(row.try_get("anchor")?),
        "drawing": parse(row.try_get("drawing")?),
        "status": row.try_get::<String, _>("status")?,
        "resolved_by": row.try_get::<Option<String>, _>("resolved_by")?,
        "resolved_at": resolved_at.map(iso),
        "revision": row.try_get::<i64, _>("revision")?,
        "created_at": iso(row.try_get("created_at")?),
        "edited_at": edited_at.map(iso),
    }))
}

async fn add_event(
    conn: &mut AnyConnection,
    version: &str,
    kind: &str,
    payload: &Value,
) -> ApiResult<Event> {
    let payload = payload.to_string();
    let row = sqlx::query(
        "INSERT INTO events (version_id, kind, payload, at) VALUES ($1, $2, $3, $4) RETURNING seq",
    )
    .bind(version)
    .bind(kind)
    .bind(&payload)
    .bind(now_ms())
    .fetch_one(conn)
    .await?;
    Ok(Event {
        seq: row.try_get("seq")?,
        version: version.to_string(),
        kind: kind.to_string(),
        payload,
    })
}

async fn put_comment(conn: &mut AnyConnection, c: NewComment) -> ApiResult<(Done, Option<Event>)> {
    let anchor = match (&c.parent, c.anchor.clone()) {
        (Some(parent), anchor) => {
            let row = comment_row(conn, parent).await?.filter(|r| {
                r.try_get::<String, _>("version_id").ok().as_deref() == Some(&c.version)
            });
            let Some(row) = row else {
                return Err(ApiError::bad(
                    "parent",
                    format!("no comment {parent} on this version to reply to"),
                ));
            };
            match anchor {
                Some(a) => a,
                None => serde_json::from_str::<Anchor>(&row.try_get::<String, _>("anchor")?)
                    .map_err(|e| ApiError::unavailable(format!("a stored anchor: {e}")))?,
            }
        }
        (None, Some(a)) => a,
        (None, None) => {
            return Err(ApiError::bad(
                "anchor",
                "a comment is anchored to a frame or a range (only a reply may leave it out)",
            ));
        }
    };
    let now = now_ms();
    // Inserted unless the id is taken (one statement, not a look first): a taken id is
    // a retry of this very comment, or a conflict.
    let inserted = sqlx::query(
        "INSERT INTO comments (id, version_id, parent_id, author, author_session, body, tags, anchor, \
         frame, frame_end, shot_id, drawing, status, revision, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', 1, $13) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&c.id)
    .bind(&c.version)
    .bind(&c.parent)
    .bind(&c.author)
    .bind(&c.author_session)
    .bind(&c.body)
    .bind(serde_json::to_string(&c.tags).unwrap_or_default())
    .bind(serde_json::to_string(&anchor).unwrap_or_default())
    .bind(anchor.frame)
    .bind(anchor.frame_end)
    .bind(&anchor.shot)
    .bind(c.drawing.as_ref().map(|d| serde_json::to_string(d).unwrap_or_default()))
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 0 {
        return retried(conn, &c).await;
    }
    // The record as comment_json reads it back, from what was just written.
    let record = json!({
        "id": c.id,
        "version": c.version,
        "parent": c.parent,
        "author": c.author,
        "mentions": mentions(&c.body),
        "body": c.body,
        "tags": c.tags,
        "anchor": anchor,
        "drawing": c.drawing,
        "status": "open",
        "resolved_by": null,
        "resolved_at": null,
        "revision": 1,
        "created_at": iso(now),
        "edited_at": null,
    });
    let event = add_event(conn, &c.version, "comment", &record).await?;
    Ok((
        Done {
            record,
            created: true,
        },
        Some(event),
    ))
}

/// A comment whose id is taken: the same comment sent again answers with what is
/// stored; another comment under that id is a conflict.
async fn retried(conn: &mut AnyConnection, c: &NewComment) -> ApiResult<(Done, Option<Event>)> {
    let Some(row) = comment_row(conn, &c.id).await? else {
        return Err(ApiError::unavailable("a comment id taken but not found"));
    };
    // A retry of a comment already stored answers with it; another comment under
    // the same id is a conflict.
    let same = row.try_get::<String, _>("version_id")? == c.version
        && row.try_get::<String, _>("author_session")? == c.author_session
        && row.try_get::<Option<String>, _>("parent_id")? == c.parent
        && row.try_get::<String, _>("body")? == c.body;
    if !same {
        return Err(ApiError::conflict(
            Some("id"),
            format!("another comment already has the id {}", c.id),
        ));
    }
    Ok((
        Done {
            record: comment_json(&row)?,
            created: false,
        },
        None,
    ))
}

async fn edit_comment(conn: &mut AnyConnection, e: Edit) -> ApiResult<(Done, Option<Event>)> {
    let row = comment_row(conn, &e.id)
        .await?
        .filter(|r| r.try_get::<String, _>("version_id").ok().as_deref() == Some(&e.version))
        .ok_or_else(|| ApiError::not_found(format!("no comment {} on this version", e.id)))?;
    let revision: i64 = row.try_get("revision")?;
    if let Some(r) = e.revision
        && r != revision
    {
        return Err(ApiError::conflict(
            Some("revision"),
            format!(
                "the comment changed since revision {r} (it is at {revision} now): reload it and edit again"
            ),
        ));
    }
    let content = e.body.is_some() || e.tags.is_some() || e.drawing.is_some();
    let author_session: String = row.try_get("author_session")?;
    if content && !e.by.is_owner() && author_session != e.by.token_hash {
        return Err(ApiError::forbidden(
            "only its author can change what a comment says",
        ));
    }
    if e.status.is_some() {
        e.by.need(Role::Comment)?;
    }
    let now = now_ms();
    let old_status: String = row.try_get("status")?;
    let mut body: String = row.try_get("body")?;
    let mut tags: String = row.try_get("tags")?;
    let mut drawing: Option<String> = row.try_get("drawing")?;
    let mut status = old_status.clone();
    let mut resolved_by: Option<String> = row.try_get("resolved_by")?;
    let mut resolved_at: Option<i64> = row.try_get("resolved_at")?;
    let mut edited_at: Option<i64> = row.try_get("edited_at")?;
    if let Some(b) = e.body {
        body = b;
    }
    if let Some(t) = e.tags {
        tags = serde_json::to_string(&t).unwrap_or_default();
    }
    if let Some(d) = e.drawing {
        drawing = d.map(|d| serde_json::to_string(&d).unwrap_or_default());
    }
    if content {
        edited_at = Some(now);
    }
    if let Some(s) = e.status
        && s.as_str() != old_status
    {
        status = s.as_str().to_string();
        (resolved_by, resolved_at) = match s {
            Status::Resolved => (Some(e.by.name.clone()), Some(now)),
            Status::Open => (None, None),
        };
    }
    sqlx::query(
        "UPDATE comments SET body = $1, tags = $2, drawing = $3, status = $4, resolved_by = $5, \
         resolved_at = $6, edited_at = $7, revision = revision + 1 WHERE id = $8",
    )
    .bind(&body)
    .bind(&tags)
    .bind(&drawing)
    .bind(&status)
    .bind(&resolved_by)
    .bind(resolved_at)
    .bind(edited_at)
    .bind(&e.id)
    .execute(&mut *conn)
    .await?;
    let row = comment_row(conn, &e.id)
        .await?
        .ok_or_else(|| ApiError::unavailable("the comment just edited is missing"))?;
    let record = comment_json(&row)?;
    let kind = if status != old_status {
        if status == "resolved" {
            "comment.resolved"
        } else {
            "comment.reopened"
        }
    } else {
        "comment.edited"
    };
    let event = add_event(conn, &e.version, kind, &record).await?;
    Ok((
        Done {
            record,
            created: true,
        },
        Some(event),
    ))
}

pub const DECISION_COLUMNS: &str =
    "id, version_id, target, shot_id, line_index, verdict, author, note, created_at";

pub fn decision_json(row: &AnyRow) -> Result<Value, sqlx::Error> {
    Ok(json!({
        "id": row.try_get::<String, _>("id")?,
        "version": row.try_get::<String, _>("version_id")?,
        "target": {
            "kind": row.try_get::<String, _>("target")?,
            "shot": row.try_get::<Option<String>, _>("shot_id")?,
            "line": row.try_get::<Option<i64>, _>("line_index")?,
        },
        "verdict": row.try_get::<String, _>("verdict")?,
        "author": row.try_get::<String, _>("author")?,
        "note": row.try_get::<String, _>("note")?,
        "created_at": iso(row.try_get("created_at")?),
    }))
}

async fn decide(conn: &mut AnyConnection, d: NewDecision) -> ApiResult<(Done, Option<Event>)> {
    let select = format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE id = $1");
    if let Some(row) = sqlx::query(&select)
        .bind(&d.id)
        .fetch_optional(&mut *conn)
        .await?
    {
        let same = row.try_get::<String, _>("version_id")? == d.version
            && row.try_get::<String, _>("verdict")? == d.verdict.as_str()
            && row.try_get::<Option<String>, _>("shot_id")? == d.shot
            && row.try_get::<Option<i64>, _>("line_index")? == d.line;
        if !same {
            return Err(ApiError::conflict(
                Some("id"),
                format!("another decision already has the id {}", d.id),
            ));
        }
        return Ok((
            Done {
                record: decision_json(&row)?,
                created: false,
            },
            None,
        ));
    }
    sqlx::query(
        "INSERT INTO decisions (id, version_id, target, shot_id, line_index, verdict, author, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&d.id)
    .bind(&d.version)
    .bind(d.target)
    .bind(&d.shot)
    .bind(d.line)
    .bind(d.verdict.as_str())
    .bind(&d.author)
    .bind(&d.note)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query(&select)
        .bind(&d.id)
        .fetch_one(&mut *conn)
        .await?;
    let record = decision_json(&row)?;
    let event = add_event(conn, &d.version, "decision", &record).await?;
    Ok((
        Done {
            record,
            created: true,
        },
        Some(event),
    ))
}
