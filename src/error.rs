//! The library's one error type. Every error about a file or folder carries its path, so that a
//! message can always say which file is at fault.

use std::io;
use std::path::PathBuf;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in aes-search.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file or folder failed.
    #[error("{}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file is not text: it holds NUL bytes or other binary content.
    #[error("{}: binary file, not text", path.display())]
    Binary {
        /// The file.
        path: PathBuf,
    },
    /// The file is empty, or holds nothing but white space.
    #[error("{}: empty file", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A saved web page with no text once its scripts, styles and page chrome are set aside.
    #[error("{}: no article text in the page (only scripts, styles or page chrome)", path.display())]
    NoText {
        /// The file.
        path: PathBuf,
    },
    /// The file is over the size limit.
    #[error("{}: {size} bytes, over the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A folder to index or to search does not exist.
    #[error("{}: no such folder", path.display())]
    NoSuchFolder {
        /// The folder.
        path: PathBuf,
    },
    /// The index folder holds something that is not an aes-search index.
    #[error("{}: not an aes-search index", path.display())]
    NotAnIndex {
        /// The folder.
        path: PathBuf,
    },
    /// The index folder holds an aes-search index that cannot be read (a file truncated or
    /// missing); [`Engine::recreate`](crate::Engine::recreate) and a full sync rebuild it.
    #[error("{}: the index is damaged ({message})", path.display())]
    Damaged {
        /// The index folder.
        path: PathBuf,
        /// What is wrong, as tantivy found it.
        message: String,
    },
    /// Another process holds the index writer.
    #[error("{}: the index is being updated by another process ({})", path.display(),
        pid.map_or_else(|| "pid unknown".to_string(), |p| format!("pid {p}")))]
    Locked {
        /// The index folder.
        path: PathBuf,
        /// The other process, when it left its pid.
        pid: Option<u32>,
    },
    /// A line of a JSON Lines file could not be read.
    #[error("{}:{line}: {message}", path.display())]
    Jsonl {
        /// The file.
        path: PathBuf,
        /// Line number, from 1.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A line of a synonyms file could not be read.
    #[error("{}:{line}: {message}", path.display())]
    Synonyms {
        /// The file.
        path: PathBuf,
        /// Line number, from 1.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The query has no searchable word.
    #[error("empty query: give at least one word to search for")]
    EmptyQuery,
    /// The query is over a documented limit.
    #[error("query too long: {0}")]
    QueryTooLong(String),
    /// An OpenSearch cluster could not be reached, refused the credentials or answered with an
    /// error for the whole request.
    #[error("{url}: {message}")]
    Cluster {
        /// The cluster's address, without credentials.
        url: String,
        /// What went wrong, in one line.
        message: String,
    },
    /// tantivy failed on the index.
    #[error("{}: index error", path.display())]
    Index {
        /// The index folder.
        path: PathBuf,
        /// tantivy's error.
        source: tantivy::TantivyError,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An error of tantivy's on the index in `path`: a file it cannot read, or reads as
    /// corrupt, is a damaged index.
    pub(crate) fn index(path: impl Into<PathBuf>, source: tantivy::TantivyError) -> Self {
        use tantivy::directory::error::OpenReadError;
        use tantivy::TantivyError;
        let message = match &source {
            TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
                format!("{}: {io_error}", filepath.display())
            }
            TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(file)) => {
                format!("{}: missing", file.display())
            }
            TantivyError::DataCorruption(_) => source.to_string(),
            _ => {
                return Error::Index {
                    path: path.into(),
                    source,
                }
            }
        };
        Error::Damaged {
            path: path.into(),
            message,
        }
    }
}
