//! `--watch`: the corpus folder is watched (inotify and its kin, through notify), and a burst of
//! changes, once quiet for a moment, starts one sync. The sync commits and reloads: searches
//! meanwhile answer from the state before it (on a cluster, the sync sends the changed files). While another process holds the index writer,
//! the sync is tried again until it can start, so that no change is lost.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use aes_search::Error;

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::api::start_sync;
use super::Shared;

/// How long the corpus must stay quiet before a sync starts: an editor's or a copy's burst of
/// writes is one sync, not dozens.
const QUIET: Duration = Duration::from_millis(500);

/// How long to wait before trying again when another process holds the index writer.
const RETRY: Duration = Duration::from_secs(1);

/// Watches the corpus until the returned watcher is dropped.
pub fn start(state: Shared) -> std::io::Result<RecommendedWatcher> {
    let (tx, rx) = mpsc::channel::<()>();
    // Writes to the index are not changes of the corpus, should it lie inside it.
    let index: Option<PathBuf> = state.backend.engine().map(|engine| {
        std::fs::canonicalize(engine.path()).unwrap_or_else(|_| engine.path().to_path_buf())
    });
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        let Ok(event) = event else { return };
        let outside_index = index
            .as_ref()
            .is_none_or(|index| event.paths.iter().any(|p| !p.starts_with(index)));
        if !matches!(event.kind, EventKind::Access(_)) && outside_index {
            let _ = tx.send(());
        }
    })
    .map_err(std::io::Error::other)?;
    let corpus = std::fs::canonicalize(&state.corpus).unwrap_or_else(|_| state.corpus.clone());
    watcher
        .watch(&corpus, RecursiveMode::Recursive)
        .map_err(std::io::Error::other)?;
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            if !quiet_for(&rx, QUIET) {
                return;
            }
            // Said once per change, not once per try.
            let mut told = false;
            loop {
                match start_sync(&state) {
                    Err(e @ Error::Locked { .. }) => {
                        if !std::mem::replace(&mut told, true) {
                            eprintln!("aes-search: the corpus changed: {e}; trying again");
                        }
                        if !quiet_for(&rx, RETRY) {
                            return;
                        }
                    }
                    Err(e) => {
                        eprintln!("aes-search: the corpus changed: {e}");
                        break;
                    }
                    Ok(_) => break,
                }
            }
        }
    });
    eprintln!("aes-search: watching the corpus for changes");
    Ok(watcher)
}

/// Waits until no change has come for `quiet`, those that come meanwhile being part of the
/// same sync; false once the watcher is gone.
fn quiet_for(rx: &mpsc::Receiver<()>, quiet: Duration) -> bool {
    loop {
        match rx.recv_timeout(quiet) {
            Ok(()) => {}
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}
