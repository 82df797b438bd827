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
    // New comments (not replies) go in a few multi-row statements; everything else, and
    // those if the bulk insert fails, one at a time in savepoints.
    let (fresh, mut rest): (Vec<Job>, Vec<Job>) = batch.into_iter().partition(
        |(op, _)| matches!(op, Op::Comment(c) if c.parent.is_none() && c.anchor.is_some()),
    );
    if !fresh.is_empty() {
        match bulk_comments(conn, fresh).await {
            Bulk::Done(done, new_events) => {
                results.extend(done);
                events.extend(new_events);
            }
            Bulk::OneByOne(jobs) => {
                let later = std::mem::replace(&mut rest, jobs);
                rest.extend(later);
            }
            Bulk::Broken(jobs, e) => {
                broken = Some(e.clone());
                for (_, reply) in jobs {
                    results.push((reply, Err(ApiError::unavailable(&e))));
                }
            }
        }
    }
    for (op, reply) in rest {
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
    let record = new_record(&c, &anchor, now);
    let event = add_event(conn, &c.version, "comment", &record).await?;
    Ok((
        Done {
            record,
            created: true,
        },
        Some(event),
    ))
}

/// A new comment's record as comment_json reads it back, from what was just written.
fn new_record(c: &NewComment, anchor: &Anchor, now: i64) -> Value {
    json!({
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
    })
}

enum Bulk {
    /// Every comment answered (created, or a retry answered with what is stored).
    Done(Vec<Reply>, Vec<Event>),
    /// The bulk insert failed and was rolled back: do them one by one.
    OneByOne(Vec<Job>),
    /// The transaction itself is broken.
    Broken(Vec<Job>, String),
}

type Reply = (oneshot::Sender<ApiResult<Done>>, ApiResult<Done>);

/// Rows a chunk, in powers of two (a batch of 13 is 8 + 4 + 1): each multi-row statement
/// is prepared once per size and stays in the connection's statement cache.
fn chunks(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start == n {
            return None;
        }
        let size = 1 << (usize::BITS - 1 - (n - start).leading_zeros());
        let range = start..start + size;
        start += size;
        Some(range)
    })
}

/// `($1, $2, …), ($k, …), …`: `rows` rows of `columns` placeholders, with `fixed` SQL
/// text after each row's placeholders.
fn values(rows: usize, columns: usize, fixed: &str) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", r * columns + c + 1));
        }
        sql.push_str(fixed);
        sql.push(')');
    }
    sql
}

/// New top-level comments in a handful of statements instead of four round trips each:
/// one INSERT per chunk (a taken id is skipped and answered as a retry), then one INSERT
/// of their events. At 100 reviewers writing at once this is what lets one writer keep up.
async fn bulk_comments(conn: &mut AnyConnection, jobs: Vec<Job>) -> Bulk {
    if let Err(e) = conn.execute("SAVEPOINT bulk").await {
        return Bulk::Broken(jobs, e.to_string());
    }
    let now = now_ms();
    match bulk_insert(conn, &jobs, now).await {
        Ok((mut inserted, seqs)) => {
            if let Err(e) = conn.execute("RELEASE SAVEPOINT bulk").await {
                return Bulk::Broken(jobs, e.to_string());
            }
            let mut seqs = seqs.into_iter();
            let mut done = Vec::with_capacity(jobs.len());
            let mut events = Vec::new();
            for (op, reply) in jobs {
                let Op::Comment(c) = op else {
                    unreachable!("bulk_comments takes comments")
                };
                match inserted.remove(&c.id) {
                    Some(record) => {
                        let Some(seq) = seqs.next() else {
                            return Bulk::Broken(Vec::new(), "an event without its number".into());
                        };
                        events.push(Event {
                            seq,
                            version: c.version.clone(),
                            kind: "comment".to_string(),
                            payload: record.to_string(),
                        });
                        done.push((
                            reply,
                            Ok(Done {
                                record,
                                created: true,
                            }),
                        ));
                    }
                    None => done.push((reply, retried(conn, &c).await.map(|(d, _)| d))),
                }
            }
            Bulk::Done(done, events)
        }
        Err(_) => {
            for statement in ["ROLLBACK TO SAVEPOINT bulk", "RELEASE SAVEPOINT bulk"] {
                if let Err(e) = conn.execute(statement).await {
                    return Bulk::Broken(jobs, e.to_string());
                }
            }
            Bulk::OneByOne(jobs)
        }
    }
}

/// Inserts the comments whose id is free and their events; the records of those
/// inserted, by id, and their events' numbers in the order of `jobs`.
async fn bulk_insert(
    conn: &mut AnyConnection,
    jobs: &[Job],
    now: i64,
) -> Result<(std::collections::HashMap<String, Value>, Vec<i64>), sqlx::Error> {
    let comments: Vec<(&NewComment, &Anchor)> = jobs
        .iter()
        .filter_map(|(op, _)| match op {
            Op::Comment(c) => c.anchor.as_ref().map(|a| (c, a)),
            _ => None,
        })
        .collect();
    let mut inserted = std::collections::HashSet::new();
    for range in chunks(comments.len()) {
        let sql = format!(
            "INSERT INTO comments (id, version_id, author, author_session, body, tags, anchor, \
             frame, frame_end, shot_id, drawing, created_at, status, revision) VALUES {} \
             ON CONFLICT (id) DO NOTHING RETURNING id",
            values(range.len(), 12, ", 'open', 1")
        );
        let mut q = sqlx::query(&sql);
        for (c, a) in &comments[range] {
            q = q
                .bind(c.id.clone())
                .bind(c.version.clone())
                .bind(c.author.clone())
                .bind(c.author_session.clone())
                .bind(c.body.clone())
                .bind(serde_json::to_string(&c.tags).unwrap_or_default())
                .bind(serde_json::to_string(a).unwrap_or_default())
                .bind(a.frame)
                .bind(a.frame_end)
                .bind(a.shot.clone())
                .bind(
                    c.drawing
                        .as_ref()
                        .map(|d| serde_json::to_string(d).unwrap_or_default()),
                )
                .bind(now);
        }
        for row in q.fetch_all(&mut *conn).await? {
            inserted.insert(row.try_get::<String, _>("id")?);
        }
    }
    // The same id twice in one batch (a retry sent while the first was in flight) was
    // inserted once, by the first: that one has the event, the other is answered as a retry.
    let records: Vec<(&NewComment, Value)> = comments
        .iter()
        .filter(|(c, _)| inserted.remove(&c.id))
        .map(|(c, a)| (*c, new_record(c, a, now)))
        .collect();
    let mut seqs = Vec::with_capacity(records.len());
    for range in chunks(records.len()) {
        let sql = format!(
            "INSERT INTO events (version_id, payload, at, kind) VALUES {} RETURNING seq",
            values(range.len(), 3, ", 'comment'")
        );
        let mut q = sqlx::query(&sql);
        for (c, record) in &records[range] {
            q = q.bind(c.version.clone()).bind(record.to_string()).bind(now);
        }
        // Numbers are drawn row by row in the order of VALUES; sorted, they line up with
        // the rows whatever order RETURNING hands them back in.
        let mut chunk = q
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| row.try_get::<i64, _>("seq"))
            .collect::<Result<Vec<_>, _>>()?;
        chunk.sort_unstable();
        seqs.extend(chunk);
    }
    Ok((
        records
            .into_iter()
            .map(|(c, r)| (c.id.clone(), r))
            .collect(),
        seqs,
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
    let old_status: String = row.try_get("status")?;
    let deleting = e.status == Some(Status::Deleted) || old_status == Status::Deleted.as_str();
    if deleting
        && e.status.is_some_and(|s| s.as_str() != old_status)
        && !e.by.is_owner()
        && author_session != e.by.token_hash
    {
        return Err(ApiError::forbidden(
            "only its author can delete a comment or bring it back",
        ));
    }
    if old_status == Status::Deleted.as_str() && content {
        return Err(ApiError::conflict(
            Some("status"),
            "the comment is deleted: bring it back (status open) before editing it",
        ));
    }
    let now = now_ms();
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
            // Deleting keeps who resolved it, for when it is brought back.
            Status::Deleted => (resolved_by, resolved_at),
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
    let kind = match (old_status.as_str(), status.as_str()) {
        (old, new) if old == new => "comment.edited",
        (_, "deleted") => "comment.deleted",
        ("deleted", _) => "comment.restored",
        (_, "resolved") => "comment.resolved",
        _ => "comment.reopened",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: &str, body: &str) -> NewComment {
        NewComment {
            id: id.to_string(),
            version: "v1".to_string(),
            parent: None,
            author: "Ann".to_string(),
            author_session: "session-a".to_string(),
            body: body.to_string(),
            tags: vec!["timing".to_string()],
            anchor: Some(Anchor {
                frame: 10,
                frame_end: 11,
                range: false,
                shot: "s1".to_string(),
                shot_time: 0.2,
                line: None,
                layer: None,
            }),
            drawing: None,
        }
    }

    /// A database with one version, and a trigger that refuses any comment saying
    /// "refused": a write the database itself turns down, as a full disk or a broken
    /// constraint would.
    async fn database(name: &str) -> (Db, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("manju-writer-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::open(&Db::sqlite_url(&dir)).await.unwrap();
        for statement in [
            "INSERT INTO dramas (id, title, created_at) VALUES ('d', 'D', 0)",
            "INSERT INTO versions (id, drama_id, name, ordinal, source, folder, outline, published_at) \
             VALUES ('v1', 'd', 'v1', 1, '', '', '{}', 0)",
            "CREATE TRIGGER refuse BEFORE INSERT ON comments WHEN NEW.body = 'refused' \
             BEGIN SELECT RAISE(ABORT, 'refused by the database'); END",
        ] {
            db.pool.execute(statement).await.unwrap();
        }
        (db, dir)
    }

    async fn run(db: &Db, hub: &Hub, ops: Vec<Op>) -> Vec<ApiResult<Done>> {
        let mut answers = Vec::new();
        let batch = ops
            .into_iter()
            .map(|op| {
                let (reply, answer) = oneshot::channel();
                answers.push(answer);
                (op, reply)
            })
            .collect();
        commit_batch(db, hub, batch).await;
        let mut out = Vec::new();
        for a in answers {
            out.push(a.await.expect("every write is answered"));
        }
        out
    }

    #[tokio::test]
    async fn one_refused_write_fails_alone_and_a_retry_in_the_same_batch_is_not_a_second_comment() {
        let (db, dir) = database("batch").await;
        let hub = Hub::default();
        let mut events = hub.subscribe();
        let answers = run(
            &db,
            &hub,
            vec![
                Op::Comment(comment("a", "too fast")),
                Op::Comment(comment("b", "refused")),
                Op::Comment(comment("c", "typo")),
                Op::Comment(comment("a", "too fast")),
                Op::Comment(comment("c", "another text under c's id")),
            ],
        )
        .await;
        let created: Vec<Option<bool>> = answers
            .iter()
            .map(|a| a.as_ref().ok().map(|d| d.created))
            .collect();
        assert_eq!(created, [Some(true), None, Some(true), Some(false), None]);
        let refused = answers[1].as_ref().err().unwrap();
        // The database's own words go to the log; the reviewer hears that nothing was
        // stored (503) and may send it again.
        assert_eq!(refused.status, 503);
        assert!(
            refused.message.contains("nothing was stored"),
            "{}",
            refused.message
        );
        assert_eq!(answers[4].as_ref().err().unwrap().status, 409);
        assert_eq!(answers[3].as_ref().unwrap().record["body"], "too fast");

        let stored: Vec<(String, String)> =
            sqlx::query_as("SELECT id, body FROM comments ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(
            stored,
            [("a".into(), "too fast".into()), ("c".into(), "typo".into())]
        );
        // One event a comment, in the batch's order, numbered upwards.
        let first = events.try_recv().unwrap();
        let second = events.try_recv().unwrap();
        assert!(events.try_recv().is_err());
        assert!(first.payload.contains(r#""id":"a""#) && second.payload.contains(r#""id":"c""#));
        assert!(first.seq < second.seq);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_large_batch_is_numbered_in_order() {
        let (db, dir) = database("large").await;
        let hub = Hub::default();
        let mut events = hub.subscribe();
        let ops = (0..300)
            .map(|i| Op::Comment(comment(&format!("c{i:03}"), &format!("note {i}"))))
            .collect();
        let answers = run(&db, &hub, ops).await;
        assert!(answers.iter().all(|a| a.as_ref().is_ok_and(|d| d.created)));
        let mut last = 0;
        for i in 0..300 {
            let e = events.try_recv().unwrap();
            assert!(
                e.payload.contains(&format!(r#""id":"c{i:03}""#)),
                "event {i}: {}",
                e.payload
            );
            assert!(e.seq > last);
            last = e.seq;
        }
        let stored: Vec<(String, i64)> =
            sqlx::query_as("SELECT payload, seq FROM events ORDER BY seq")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(stored.len(), 300);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn chunks_are_powers_of_two() {
        let sizes = |n| chunks(n).map(|r| r.len()).collect::<Vec<_>>();
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(13), [8, 4, 1]);
        assert_eq!(sizes(512), [512]);
        assert_eq!(chunks(13).last(), Some(12..13));
        assert_eq!(values(2, 2, ", 'x'"), "($1, $2, 'x'), ($3, $4, 'x')");
    }
}
