//! The control socket: a Unix socket in the data directory through which
//! `wirewatch export` reads the store while the daemon holds it open.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio_util::sync::CancellationToken;

use super::Context;
use crate::export::{EXPORT_REQUEST, ExportError, socket_path, write_articles};

pub(super) async fn run(ctx: Arc<Context>, cancel: CancellationToken) {
    let path = socket_path(&ctx.config.borrow().data_dir);
    // A socket file left by a daemon that was killed would make bind fail.
    if path.exists()
        && let Err(err) = std::fs::remove_file(&path)
    {
        tracing::warn!(socket = %path.display(), error = %err, "cannot remove a stale control socket");
    }
    let listener = match UnixListener::bind(&path) {
        Ok(l) => l,
        Err(err) => {
            tracing::warn!(socket = %path.display(), error = %err, "no control socket; `wirewatch export` works only while the daemon is stopped");
            return;
        }
    };
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

async fn serve(ctx: &Context, mut stream: UnixStream) -> Result<(), ExportError> {
    let mut request = vec![0u8; EXPORT_REQUEST.len()];
    stream.read_exact(&mut request).await?;
    if request != EXPORT_REQUEST {
        let unknown =
            std::io::Error::new(std::io::ErrorKind::InvalidData, "unknown control request");
        return Err(unknown.into());
    }
    let store = ctx.store.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        write_articles(&store, &mut out).map(|()| out)
    })
    .await
    .map_err(std::io::Error::other)??;
    stream.write_all(&bytes).await?;
    stream.shutdown().await?;
    Ok(())
}
