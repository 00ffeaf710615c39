//! The control socket: a Unix socket in the data directory through which
//! `wirewatch export`, `alerts list` and `alerts replay` reach the store
//! while the daemon holds it open (see `crate::control`).

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio_util::sync::CancellationToken;

use super::Context;
use crate::control::{ControlError, Request, answer, socket_path};

/// Longest request line read; requests are a word or two.
const MAX_REQUEST: u64 = 1024;

/// Bind the socket (before the daemon reports itself started, so that a
/// command run right after finds it).
pub(super) fn bind(data_dir: &std::path::Path) -> Option<(UnixListener, std::path::PathBuf)> {
    let path = socket_path(data_dir);
    // A socket file left by a daemon that was killed would make bind fail.
    if path.exists()
        && let Err(err) = std::fs::remove_file(&path)
    {
        tracing::warn!(socket = %path.display(), error = %err, "cannot remove a stale control socket");
    }
    match UnixListener::bind(&path) {
        Ok(listener) => Some((listener, path)),
        Err(err) => {
            tracing::warn!(socket = %path.display(), error = %err, "no control socket; `wirewatch export`, `feeds` and `alerts` work only while the daemon is stopped");
            None
        }
    }
}

/// Answer requests until cancelled.
pub(super) async fn run(
    ctx: Arc<Context>,
    (listener, path): (UnixListener, std::path::PathBuf),
    cancel: CancellationToken,
) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    if let Err(err) = serve(&ctx, stream).await {
                        tracing::warn!(error = %err, "control request failed");
                    }
                }
                Err(err) => tracing::warn!(error = %err, "control socket accept failed"),
            },
        }
    }
    if let Err(err) = std::fs::remove_file(&path) {
        tracing::debug!(socket = %path.display(), error = %err, "control socket not removed");
    }
}

async fn serve(ctx: &Context, mut stream: UnixStream) -> Result<(), ControlError> {
    let mut line = String::new();
    BufReader::new((&mut stream).take(MAX_REQUEST))
        .read_line(&mut line)
        .await?;
    let request = Request::parse(&line)?;
    let store = ctx.store.clone();
    let asked = request.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        answer(&store, &asked, &mut out).map(|()| out)
    })
    .await
    .map_err(std::io::Error::other)??;
    if request.fills_outbox() {
        ctx.outbox_ready.iter().for_each(|n| n.notify_one());
    }
    stream.write_all(&bytes).await?;
    stream.shutdown().await?;
    Ok(())
}
