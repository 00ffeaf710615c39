//! `wirewatch export`: every stored article as one JSON object per line.
//! sled lets one process open a database, so while the daemon runs the
//! export asks it through its control socket in the data directory; when no
//! daemon answers there, the store is opened directly.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::store::{Store, StoreError};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("cannot encode an article: {0}")]
    Encode(#[from] serde_json::Error),
}

/// The control socket's file name inside the data directory.
pub const SOCKET: &str = "wirewatch.sock";
/// The one request the control socket answers.
pub const EXPORT_REQUEST: &[u8] = b"export\n";

/// The control socket of the daemon using `data_dir`.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET)
}

/// Write every stored article of `config`'s database to `out`.
pub async fn articles(config: &Config, mut out: impl Write) -> Result<(), ExportError> {
    #[cfg(unix)]
    if let Some(bytes) = ask_daemon(&socket_path(&config.data_dir)).await {
        out.write_all(&bytes)?;
        return Ok(out.flush()?);
    }
    let store = Store::open(&config.data_dir)?;
    write_articles(&store, &mut out)?;
    Ok(out.flush()?)
}

/// Write every article of a store as JSON lines.
pub fn write_articles(store: &Store, out: &mut impl Write) -> Result<(), ExportError> {
    for article in store.articles() {
        serde_json::to_writer(&mut *out, &article?)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The export from a running daemon, or None when none listens.
#[cfg(unix)]
async fn ask_daemon(socket: &Path) -> Option<Vec<u8>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::UnixStream::connect(socket).await.ok()?;
    stream.write_all(EXPORT_REQUEST).await.ok()?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await.ok()?;
    Some(bytes)
}
