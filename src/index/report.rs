//! What a caller gives a sync and gets back: the sources, the options, the progress and the
//! report, with each skipped file and why.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use crate::error::Result;

/// Default limit on the size of one article file (10 MB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Where articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder of article files, walked recursively.
    Folder(PathBuf),
    /// A JSON Lines file of pre-split passages ([`crate::jsonl::PassageLine`]).
    Jsonl(PathBuf),
}

/// Progress of a sync, for a progress bar.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Files read so far.
    pub files_done: u64,
    /// Files to read in all.
    pub files_total: u64,
    /// Bytes read so far.
    pub bytes_done: u64,
    /// Bytes to read in all.
    pub bytes_total: u64,
}

/// How to sync.
#[derive(Clone)]
pub struct SyncOptions {
    /// Files larger than this are skipped (bytes).
    pub max_file_size: u64,
    /// File extensions to index, without the dot, lowercase.
    pub extensions: Vec<String>,
    /// Rebuild everything instead of only what changed.
    pub full: bool,
    /// Called as files are read.
    pub progress: Option<Arc<dyn Fn(Progress) + Send + Sync>>,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            extensions: ["txt", "md", "html", "htm"].map(String::from).to_vec(),
            full: false,
            progress: None,
        }
    }
}

impl std::fmt::Debug for SyncOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncOptions")
            .field("max_file_size", &self.max_file_size)
            .field("extensions", &self.extensions)
            .field("full", &self.full)
            .finish_non_exhaustive()
    }
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file (for a line of a JSON Lines file, `FILE:LINE`).
    pub path: String,
    /// Why.
    #[serde(serialize_with = "as_text")]
    pub reason: SkipReason,
    /// Whether an earlier version of the file stays in the index.
    pub kept_previous: bool,
}

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// The file was listed, then gone when read.
    Vanished,
    /// Reading it failed; what the system said.
    Unreadable(String),
    /// It holds binary content, not text.
    Binary,
    /// It is empty or holds only white space.
    Empty,
    /// A saved web page with no article text (only scripts, styles or page chrome).
    NoText,
    /// It is over the size limit.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A line of a JSON Lines file that is not a passage.
    BadLine(String),
    /// The walk could not list it (an unreadable folder, a broken link, a link loop, a file
    /// that is not a regular file).
    Unlisted(String),
    /// A search cluster refused the file's passages (a mapping conflict, a document too large);
    /// what it said.
    Rejected(String),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Vanished => f.write_str("no such file (it vanished during the run)"),
            SkipReason::Unreadable(why)
            | SkipReason::BadLine(why)
            | SkipReason::Unlisted(why)
            | SkipReason::Rejected(why) => f.write_str(why),
            SkipReason::Binary => f.write_str("binary file, not text"),
            SkipReason::Empty => f.write_str("empty file"),
            SkipReason::NoText => {
                f.write_str("no article text in the page (only scripts, styles or page chrome)")
            }
            SkipReason::TooLarge { size, limit } => {
                write!(f, "{size} bytes, over the limit of {limit} bytes")
            }
        }
    }
}

fn as_text<S: serde::Serializer>(reason: &SkipReason, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(reason)
}

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Articles new to the index.
    pub added: usize,
    /// Articles whose file changed.
    pub updated: usize,
    /// Articles whose file is gone.
    pub removed: usize,
    /// Articles left as they were (their files not read, or read and found the same).
    pub unchanged: usize,
    /// Articles indexed again because the corpus taught new furniture they contain.
    pub recleaned: usize,
    /// Files not indexed (unreadable, binary, empty, too large…).
    pub skipped: Vec<Skipped>,
    /// Files passed over for their extension.
    pub ignored: usize,
    /// Names that hold the same article (indexed once).
    pub duplicates: Vec<Vec<String>>,
    /// Passages in the index afterwards.
    pub passages: u64,
    /// Wall time.
    pub elapsed: Duration,
}

impl SyncReport {
    /// Whether anything was written.
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed + self.recleaned > 0
    }
}

pub(super) struct ProgressCounter<'a> {
    pub(super) callback: Option<&'a (dyn Fn(Progress) + Send + Sync)>,
    pub(super) state: Mutex<Progress>,
}

impl<'a> ProgressCounter<'a> {
    pub(super) fn new(options: &'a SyncOptions, bytes_total: u64, files_total: u64) -> Self {
        ProgressCounter {
            callback: options.progress.as_deref(),
            state: Mutex::new(Progress {
                files_total,
                bytes_total,
                ..Progress::default()
            }),
        }
    }

    /// Reports the totals before any file is read.
    pub(super) fn start(&self) {
        self.advance_many(0, 0);
    }

    pub(super) fn advance_many(&self, files: u64, bytes: u64) {
        if let Some(callback) = self.callback {
            let snapshot = {
                let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
                s.files_done = (s.files_done + files).min(s.files_total);
                s.bytes_done = (s.bytes_done + bytes).min(s.bytes_total);
                *s
            };
            callback(snapshot);
        }
    }
}
