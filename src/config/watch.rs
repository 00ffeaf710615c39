//! Watching the configuration and topic files for changes. The directories
//! are watched rather than the files, because editors often save by writing a
//! new file and renaming it over the old one, which a file watch would lose.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;

/// Editors write in bursts; one reload per burst is enough.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// A running watch; dropping it stops watching.
pub struct FileWatch {
    _watcher: RecommendedWatcher,
    /// Receives one message per burst of changes to a watched file.
    pub changes: mpsc::Receiver<()>,
}

/// Start watching `files`; returns an error naming the path that failed.
pub fn watch(files: &[PathBuf]) -> Result<FileWatch, notify::Error> {
    let wanted: HashSet<PathBuf> = files.iter().map(|f| absolute(f)).collect();
    let (tx, changes) = mpsc::channel(1);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_access() {
            return;
        }
        if event.paths.iter().any(|p| wanted.contains(&absolute(p))) {
            // A full channel already holds a pending change: nothing is lost.
            let _pending = tx.try_send(());
        }
    })?;
    let dirs: HashSet<PathBuf> = files
        .iter()
        .map(|f| {
            absolute(f)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        })
        .collect();
    for dir in &dirs {
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
    }
    Ok(FileWatch {
        _watcher: watcher,
        changes,
    })
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
