//! The review database: one set of queries and migrations for SQLite and PostgreSQL.
//!
//! sqlx's `Any` driver picks the database from the URL at run time. Queries use `$1`
//! placeholders, which both databases read; the schema uses only types both have
//! (TEXT, BIGINT), with times as milliseconds since the epoch and structured values
//! (anchors, drawings, tags) as JSON text. The one dialect difference, an auto-numbered
//! key, is a token in the migration text.

use anyhow::{Context, Result, bail};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Row};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub kind: Kind,
    /// The URL it was opened with (PostgreSQL: the live-update listener connects with it).
    pub url: String,
}

/// The schema, one step per entry, applied in order and recorded in `manju_migrations`.
/// `{serial}` is an auto-numbered primary key.
const MIGRATIONS: &[(&str, &str)] = &[(
    "1 review",
    r#"
CREATE TABLE owner_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
CREATE TABLE dramas (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE versions (
    id TEXT PRIMARY KEY,
    drama_id TEXT NOT NULL REFERENCES dramas(id),
    name TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    source TEXT NOT NULL,
    folder TEXT NOT NULL,
    outline TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    UNIQUE (drama_id, name)
);
CREATE TABLE version_files (
    version_id TEXT NOT NULL REFERENCES versions(id),
    path TEXT NOT NULL,
    hash TEXT NOT NULL,
    size BIGINT NOT NULL,
    PRIMARY KEY (version_id, path)
);
CREATE TABLE shares (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    drama_id TEXT NOT NULL REFERENCES dramas(id),
    version_id TEXT REFERENCES versions(id),
    role TEXT NOT NULL,
    label TEXT NOT NULL,
    password_hash TEXT,
    expires_at BIGINT,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    share_id TEXT REFERENCES shares(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE comments (
    id TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES versions(id),
    parent_id TEXT REFERENCES comments(id),
    author TEXT NOT NULL,
    author_session TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL,
    anchor TEXT NOT NULL,
    frame BIGINT NOT NULL,
    frame_end BIGINT NOT NULL,
    shot_id TEXT NOT NULL,
    drawing TEXT,
    status TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at BIGINT,
    revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT
);
CREATE INDEX comments_by_version ON comments (version_id, frame);
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES versions(id),
    target TEXT NOT NULL,
    shot_id TEXT,
    line_index BIGINT,
    verdict TEXT NOT NULL,
    author TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX decisions_by_version ON decisions (version_id, created_at);
CREATE TABLE events (
    seq {serial},
    version_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX events_by_version ON events (version_id, seq);
"#,
)];

impl Db {
    /// Opens (creating if need be) the database at `url` — `sqlite://<file>` or
    /// `postgres://…` — and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let kind = if url.starts_with("sqlite:") {
            Kind::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Kind::Postgres
        } else {
            bail!("--database: {url:?} is neither sqlite://<file> nor postgres://…");
        };
        let options = AnyConnectOptions::from_str(url)
            .with_context(|| format!("--database: cannot read the URL {url:?}"))?;
        let pool = AnyPoolOptions::new()
            .max_connections(if kind == Kind::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if kind == Kind::Sqlite {
                        // WAL: readers never wait for the writer. synchronous=FULL: a commit
                        // is on disk (fsync) before it returns, so an acknowledged comment
                        // survives a crash of the machine, not only of the process.
                        conn.execute(
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                             PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database {}", redact(url)))?;
        let db = Db {
            pool,
            kind,
            url: url.to_string(),
        };
        db.migrate().await?;
        Ok(db)
    }

    /// The default database: `review.db` in the data folder.
    pub fn sqlite_url(data: &Path) -> String {
        format!("sqlite://{}?mode=rwc", data.join("review.db").display())
    }

    async fn migrate(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        conn.execute(
            "CREATE TABLE IF NOT EXISTS manju_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .await?;
        if self.kind == Kind::Postgres {
            // Several servers may start at once on one database: one migrates at a time.
            conn.execute("SELECT pg_advisory_lock(7270001)").await?;
        }
        let result = async {
            for (name, sql) in MIGRATIONS {
                let done = sqlx::query("SELECT name FROM manju_migrations WHERE name = $1")
                    .bind(*name)
                    .fetch_optional(&mut *conn)
                    .await?
                    .is_some();
                if done {
                    continue;
                }
                let serial = match self.kind {
                    Kind::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
                    Kind::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
                };
                let sql = sql.replace("{serial}", serial);
                let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                    tx.execute(statement)
                        .await
                        .with_context(|| format!("migration {name}: {statement}"))?;
                }
                sqlx::query("INSERT INTO manju_migrations (name, applied_at) VALUES ($1, $2)")
                    .bind(*name)
                    .bind(now_ms())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            anyhow::Ok(())
        }
        .await;
        if self.kind == Kind::Postgres {
            conn.execute("SELECT pg_advisory_unlock(7270001)").await?;
        }
        result
    }

    pub async fn add_owner_token(&self, hash: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO owner_tokens (token_hash, created_at) VALUES ($1, $2) ON CONFLICT (token_hash) DO NOTHING",
        )
        .bind(hash)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn is_owner_token(&self, hash: &str) -> Result<bool> {
        let row = sqlx::query("SELECT token_hash FROM owner_tokens WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some_and(|r| {
            r.try_get::<String, _>("token_hash")
                .is_ok_and(|stored| super::auth::same(&stored, hash))
        }))
    }
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://manju:s3cret@localhost:5432/review"),
            "postgres://manju:***@localhost:5432/review"
        );
        assert_eq!(redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}
