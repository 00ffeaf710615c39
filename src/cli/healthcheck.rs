//! `wirewatch healthcheck`: asks a running daemon's admin endpoint whether
//! it is alive (or ready), for container health checks and scripts that
//! have no HTTP client at hand. Exit status 0 means a 200 answer.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long the whole check may take.
const TIMEOUT: Duration = Duration::from_secs(5);

/// GETs `path` from the admin endpoint at `addr`; Ok when it answers 200.
pub async fn check(addr: SocketAddr, path: &str) -> anyhow::Result<()> {
    let answer = tokio::time::timeout(TIMEOUT, get(addr, path))
        .await
        .with_context(|| format!("no answer from http://{addr}{path} within {TIMEOUT:?}"))??;
    let status = answer.lines().next().unwrap_or_default();
    if status.split_whitespace().nth(1) != Some("200") {
        bail!("http://{addr}{path} answered `{status}`");
    }
    Ok(())
}

/// One HTTP/1.0 GET (the server closes the connection after answering).
async fn get(addr: SocketAddr, path: &str) -> anyhow::Result<String> {
    let mut stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("cannot connect to the admin endpoint at {addr}"))?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.take(64 * 1024).read_to_end(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}
