//! Live updates: every change is an event, stored in the same transaction as the change
//! (so a stream can resume from `Last-Event-ID`), then sent to every open stream of its
//! version. With SQLite the one server publishes what it committed; with PostgreSQL each
//! commit NOTIFYs `manju_events` with its event numbers and every server — the one that
//! wrote included — LISTENs, reads those events and publishes them, so several servers
//! on one database behave as one.

use super::db::{Db, Kind};
use sqlx::Row;
use std::sync::Arc;
use tokio::sync::broadcast;

pub const CHANNEL: &str = "manju_events";

#[derive(Clone, Debug)]
pub struct Event {
    pub seq: i64,
    pub version: String,
    pub kind: String,
    pub payload: String,
}

#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Arc<Event>>,
}

impl Default for Hub {
    /// The channel holds the last 8192 events for streams that fall behind.
    fn default() -> Hub {
        Hub {
            tx: broadcast::channel(8192).0,
        }
    }
}

impl Hub {
    pub fn publish(&self, events: impl IntoIterator<Item = Event>) {
        for e in events {
            // No receiver is not an error: nobody is watching.
            let _ = self.tx.send(Arc::new(e));
        }
    }
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tx.subscribe()
    }
}

pub fn from_row(row: &sqlx::any::AnyRow) -> Result<Event, sqlx::Error> {
    Ok(Event {
        seq: row.try_get("seq")?,
        version: row.try_get("version_id")?,
        kind: row.try_get("kind")?,
        payload: row.try_get("payload")?,
    })
}

/// Events of `version` after `after`, oldest first (at most `limit`).
pub async fn since(
    db: &Db,
    version: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query(
        "SELECT seq, version_id, kind, payload FROM events WHERE version_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(version)
    .bind(after)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// PostgreSQL: listens for other servers' (and this one's) commits and publishes them.
pub fn listen(db: Db, hub: Hub) {
    if db.kind != Kind::Postgres {
        return;
    }
    tokio::spawn(async move {
        loop {
            match listen_once(&db, &hub).await {
                Ok(()) => return,
                Err(e) => {
                    eprintln!("serve: live updates from PostgreSQL stopped ({e}); reconnecting");
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        }
    });
}

async fn listen_once(db: &Db, hub: &Hub) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(&db.url).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let note = listener.recv().await?;
        // The payload is event numbers, comma-separated, written by this program: read
        // them as integers, so nothing but integers reaches the query.
        let seqs: Vec<i64> = note
            .payload()
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        if seqs.is_empty() {
            continue;
        }
        let list = seqs
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let rows = sqlx::query(&format!(
            "SELECT seq, version_id, kind, payload FROM events WHERE seq IN ({list}) ORDER BY seq"
        ))
        .fetch_all(&db.pool)
        .await?;
        hub.publish(rows.iter().filter_map(|r| from_row(r).ok()));
    }
}
