//! Who is asking, and may they: tokens, roles, passwords and rate limits.
//!
//! Tokens are 256 random bits, shown once and stored only as their SHA-256 hash. They
//! travel in the `Authorization: Bearer` header — never a cookie, so no other site can
//! make a reviewer's browser send one (no CSRF). A share link's token is not itself a
//! credential for the API: a reviewer exchanges it (and the link's password, if it has
//! one) for a session token that carries their display name.

use super::db::{Db, now_ms};
use super::error::{ApiError, ApiResult};
use super::model::Role;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;
use subtle::ConstantTimeEq;

/// A new token: 32 random bytes as 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the system's random source");
    hex(&bytes)
}

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Compares in time that does not depend on where the two differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the system's random source");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes of salt");
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with its default parameters")
        .to_string()
}

pub fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Who a request comes from and what they may reach.
#[derive(Clone, Debug)]
pub struct Principal {
    pub role: Role,
    pub name: String,
    /// The hash of the token they sent (a comment's author is known by it).
    pub token_hash: String,
    /// What a share link reaches: one drama, or one version of it. `None`: everything.
    pub drama: Option<String>,
    pub version: Option<String>,
    /// When the share link it came from expires (ms since the epoch).
    pub expires_at: Option<i64>,
}

impl Principal {
    pub fn is_owner(&self) -> bool {
        self.role == Role::Owner
    }

    /// 403 unless they may act as `role`.
    pub fn need(&self, role: Role) -> ApiResult<()> {
        if self.role >= role {
            return Ok(());
        }
        Err(ApiError::forbidden(match role {
            Role::Comment => "this link is for viewing: it cannot comment",
            Role::Approve => "this link cannot approve or request changes",
            Role::Owner => "only the owner can do this",
            Role::View => "this link cannot see this",
        }))
    }

    /// 404 (not 403: a link reveals nothing of what it does not reach) unless the drama
    /// and version are within the link's reach.
    pub fn reach(&self, drama: &str, version: Option<&str>) -> ApiResult<()> {
        let drama_ok = self.drama.as_deref().is_none_or(|d| d == drama);
        let version_ok = match (self.version.as_deref(), version) {
            (Some(mine), Some(v)) => mine == v,
            _ => true,
        };
        if drama_ok && version_ok {
            Ok(())
        } else {
            Err(ApiError::not_found("no such drama or version"))
        }
    }
}

pub fn bearer(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not text"))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or_else(|| {
            ApiError::unauthorized("the Authorization header must read `Bearer <token>`")
        })?
        .trim();
    if token.is_empty() || token.len() > 256 {
        return Err(ApiError::unauthorized(
            "the token is not one this server made",
        ));
    }
    Ok(Some(token))
}

/// The principal a request's token stands for; 401 when there is none or it is not valid.
pub async fn principal(db: &Db, headers: &HeaderMap) -> ApiResult<Principal> {
    let token = bearer(headers)?.ok_or_else(|| {
        ApiError::unauthorized("sign in: send `Authorization: Bearer <token>` (the owner token, or a session from a share link)")
    })?;
    let hash = hash_token(token);
    // Looked up by its hash (an index), then the stored hash compared in constant time.
    if db.is_owner_token(&hash).await? {
        return Ok(Principal {
            role: Role::Owner,
            name: "Owner".into(),
            token_hash: hash,
            drama: None,
            version: None,
            expires_at: None,
        });
    }
    let row = sqlx::query(
        "SELECT s.token_hash, s.role, s.name, s.share_id, sh.drama_id, sh.version_id, sh.expires_at, sh.revoked_at \
         FROM sessions s LEFT JOIN shares sh ON sh.id = s.share_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?
    .filter(|r| {
        r.try_get::<String, _>("token_hash")
            .is_ok_and(|stored| same(&stored, &hash))
    })
    .ok_or_else(|| ApiError::unauthorized("the token is not one this server made (or it was revoked)"))?;
    let share: Option<String> = row.try_get("share_id")?;
    if share.is_some() {
        let revoked: Option<i64> = row.try_get("revoked_at")?;
        if revoked.is_some() {
            return Err(ApiError::unauthorized("this share link was revoked"));
        }
        let expires: Option<i64> = row.try_get("expires_at")?;
        if expires.is_some_and(|e| e <= now_ms()) {
            return Err(ApiError::unauthorized("this share link has expired"));
        }
    }
    let expires_at: Option<i64> = row.try_get("expires_at")?;
    let role: String = row.try_get("role")?;
    Ok(Principal {
        role: Role::parse(&role).unwrap_or(Role::View),
        name: row.try_get("name")?,
        token_hash: hash,
        drama: row.try_get("drama_id")?,
        version: row.try_get("version_id")?,
        expires_at,
    })
}

/// Who a token stands for, remembered for a second: most requests then cost no database
/// read for their token. Revoking a link on this server forgets everything at once; on
/// another server sharing the database, a revocation takes effect within the second.
#[derive(Default)]
pub struct Known {
    tokens: Mutex<HashMap<String, (Principal, Instant)>>,
}

impl Known {
    const FOR: std::time::Duration = std::time::Duration::from_secs(1);

    pub async fn principal(&self, db: &Db, headers: &HeaderMap) -> ApiResult<Principal> {
        if let Some(token) = bearer(headers)? {
            let hash = hash_token(token);
            let hit = self
                .tokens
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&hash)
                .filter(|(p, at)| {
                    at.elapsed() < Self::FOR && p.expires_at.is_none_or(|e| e > now_ms())
                })
                .map(|(p, _)| p.clone());
            if let Some(p) = hit {
                return Ok(p);
            }
        }
        let p = principal(db, headers).await?;
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if tokens.len() > 100_000 {
            tokens.retain(|_, (_, at)| at.elapsed() < Self::FOR);
        }
        tokens.insert(p.token_hash.clone(), (p.clone(), Instant::now()));
        Ok(p)
    }

    pub fn forget_all(&self) {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Token buckets: `burst` requests at once, refilled at `rate` a second, per key.
pub struct Limiter {
    pub rate: f64,
    pub burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limiter {
    pub fn new(rate: f64, burst: f64) -> Limiter {
        Limiter {
            rate,
            burst,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request's worth for `key`; 429 with the seconds to wait when empty.
    pub fn take(&self, key: &str) -> ApiResult<()> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 100_000 {
            // Forget full buckets (they are as good as new ones).
            let (rate, burst) = (self.rate, self.burst);
            buckets.retain(|_, (level, at)| {
                *level + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (level, at) = buckets.entry(key.to_string()).or_insert((self.burst, now));
        *level = (*level + now.duration_since(*at).as_secs_f64() * self.rate).min(self.burst);
        *at = now;
        if *level >= 1.0 {
            *level -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - *level) / self.rate).ceil().max(1.0) as u64;
            let mut e = ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                None,
                format!(
                    "too many requests with this token: at most {} a second (try again in {wait} s)",
                    self.rate
                ),
            );
            e.retry_after = Some(wait);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), a);
        assert!(same(&a, &a.clone()) && !same(&a, &b) && !same(&a, "x"));
    }

    #[test]
    fn passwords_hash_with_salt() {
        let h = hash_password("火锅");
        assert!(h.starts_with("$argon2id$"));
        assert_ne!(h, hash_password("火锅"));
        assert!(password_matches("火锅", &h));
        assert!(!password_matches("火", &h));
        assert!(!password_matches("火锅", "not a hash"));
    }

    #[test]
    fn buckets_empty_and_refill() {
        let l = Limiter::new(1000.0, 3.0);
        assert!(l.take("a").is_ok() && l.take("a").is_ok() && l.take("a").is_ok());
        let e = l.take("a").unwrap_err();
        assert_eq!(e.status.as_u16(), 429);
        assert!(l.take("b").is_ok(), "another token has its own bucket");
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(l.take("a").is_ok(), "refilled");
    }
}
