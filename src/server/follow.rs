//! Commits of other processes (an `aes-search index` run beside the server): the committed
//! state is compared with the searched one every half second, and loaded when they differ.
//! Searches meanwhile answer from the state they had; the CLI's one-shot searches never start
//! this thread.
//!
//! Why a check of our own rather than tantivy's watcher (`ReloadPolicy::OnCommitWithDelay`,
//! `Directory::watch`): both read `meta.json` twice a second, but tantivy's calls back once per
//! change of the file, so a reload that fails (the other process removing a merged segment's
//! files while they are opened) would leave the server on the old state until the next commit;
//! comparing the segments at every tick tries again by itself.

use std::sync::{Arc, Weak};
use std::time::Duration;

use super::{errors::chain, State};

/// How often the committed state is compared with the searched one.
const EVERY: Duration = Duration::from_millis(500);

/// Follows the index's commits until the server's state is dropped; the cluster has none to
/// follow (each search asks it).
pub fn start(state: &Arc<State>) {
    if state.backend.engine().is_none() {
        return;
    }
    let state: Weak<State> = Arc::downgrade(state);
    std::thread::spawn(move || {
        // Said once per run of failures, not twice a second.
        let mut failing = false;
        while let Some(state) = state.upgrade() {
            let reloaded = state.backend.engine().map(|e| e.reload_if_changed());
            match reloaded.unwrap_or(Ok(false)) {
                Ok(_) => failing = false,
                Err(e) if !failing => {
                    failing = true;
                    eprintln!(
                        "aes-search: loading another process's commit: {}",
                        chain(&e)
                    );
                }
                Err(_) => {}
            }
            drop(state);
            std::thread::sleep(EVERY);
        }
    });
}
