//! The optional webhook (`--webhook http://…`): when a version is approved or changes are
//! requested on it, the server POSTs the decision as JSON, in the background, retrying
//! three times. Plain HTTP only — a pipeline's own endpoint on its network, or a TLS proxy
//! in front of a remote one — so the server needs no TLS stack of its own.

use super::App;
use super::api::VersionRow;
use anyhow::{Result, bail};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Debug)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target> {
        let Some(rest) = url.strip_prefix("http://") else {
            bail!(
                "--webhook: {url:?} is not an http:// URL (put a TLS proxy in front of an https:// one)"
            );
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => match p.parse() {
                Ok(p) => (h, p),
                Err(_) => bail!("--webhook: {url:?} has a bad port"),
            },
            None => (authority, 80),
        };
        if host.is_empty() || path.contains(['\r', '\n', ' ']) {
            bail!("--webhook: {url:?} is not a URL");
        }
        Ok(Target {
            host: host.to_string(),
            port,
            path: path.to_string(),
        })
    }
}

/// Sends the decision in the background; failures are logged, never the request's.
pub fn send(app: &App, version: &VersionRow, decision: &Value) {
    let Some(target) = app.webhook.clone() else {
        return;
    };
    let body = json!({
        "event": format!("version.{}", decision["verdict"].as_str().unwrap_or("decided")),
        "drama": version.drama,
        "version": { "id": version.id, "name": version.name },
        "decision": decision,
    })
    .to_string();
    tokio::spawn(async move {
        for attempt in 1..=3u64 {
            match post(&target, &body).await {
                Ok(status) if (200..300).contains(&status) => return,
                Ok(status) => {
                    eprintln!("serve: webhook answered {status} (attempt {attempt} of 3)")
                }
                Err(e) => eprintln!("serve: webhook: {e} (attempt {attempt} of 3)"),
            }
            tokio::time::sleep(std::time::Duration::from_millis(500 * attempt)).await;
        }
    });
}

async fn post(t: &Target, body: &str) -> Result<u16> {
    let connect = tokio::net::TcpStream::connect((t.host.as_str(), t.port));
    let mut stream = tokio::time::timeout(std::time::Duration::from_secs(5), connect).await??;
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nUser-Agent: manju-serve\r\nConnection: close\r\n\r\n{body}",
        t.path,
        t.host,
        t.port,
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut head = vec![0u8; 64];
    let n =
        tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut head)).await??;
    let line = String::from_utf8_lossy(&head[..n]);
    let status = line.split(' ').nth(1).and_then(|s| s.parse().ok());
    match status {
        Some(s) => Ok(s),
        None => bail!("not an HTTP answer: {line:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls() {
        let t = Target::parse("http://127.0.0.1:9000/hooks/manju").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("127.0.0.1", 9000, "/hooks/manju")
        );
        assert_eq!(Target::parse("http://ci.local").unwrap().port, 80);
        assert!(Target::parse("https://x").is_err());
        assert!(Target::parse("http://x/a b").is_err());
    }
}
