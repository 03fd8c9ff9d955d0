//! Reading one source file: within the size limit, hashed, and refused for bad content with a
//! reason a person can read.

use std::io::Read;
use std::path::Path;

use super::listing::ListedFile;
use super::manifest::{ContentHash, FileEntry};
use super::report::SkipReason;
use crate::error::{Error, Result};
use crate::{article, clean};

/// For a file refused for its content (not for a read error, which may pass), the size limit
/// that matters: `Some(None)` for binary or empty content, `Some(Some(limit))` for a file too
/// large; `None` for other errors.
pub(super) fn refused_for_content(e: &Error, max_size: u64) -> Option<Option<u64>> {
    match e {
        Error::Binary { .. } | Error::Empty { .. } | Error::NoText { .. } => Some(None),
        Error::TooLarge { .. } => Some(Some(max_size)),
        _ => None,
    }
}

/// Why `e` kept a file out of the index, for the report.
pub(crate) fn reason_of(e: &Error) -> SkipReason {
    match e {
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            SkipReason::Vanished
        }
        Error::Io { source, .. } => SkipReason::Unreadable(source.to_string()),
        Error::Binary { .. } => SkipReason::Binary,
        Error::Empty { .. } => SkipReason::Empty,
        Error::NoText { .. } => SkipReason::NoText,
        &Error::TooLarge { size, limit, .. } => SkipReason::TooLarge { size, limit },
        other => SkipReason::Unreadable(other.to_string()),
    }
}

/// What step 2 keeps of a file: its content hash and its line fingerprints.
pub(super) struct Scan {
    pub(super) hash: ContentHash,
    pub(super) prints: Vec<u64>,
}

/// Reads a file once: hash, and for articles the refusal of bad content and the fingerprints.
pub(super) fn scan(file: &ListedFile, max_size: u64) -> Result<Scan> {
    let path = file.path.as_path();
    if file.jsonl {
        // Pre-split passages: any size, hashed as a stream.
        let reader = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut hasher = blake3::Hasher::new();
        hasher
            .update_reader(reader)
            .map_err(|e| Error::io(path, e))?;
        return Ok(Scan {
            hash: ContentHash(*hasher.finalize().as_bytes()),
            prints: Vec::new(),
        });
    }
    let bytes = read_limited(path, max_size, file.size)?;
    let hash = ContentHash::of(&bytes);
    let article = article::article_from_bytes(path, &bytes)?;
    drop(bytes);
    Ok(Scan {
        hash,
        prints: clean::line_fingerprints(&article.text),
    })
}

/// Reads an article again for indexing, refusing it if it changed since it was hashed.
pub(super) fn read_verified(
    path: &Path,
    entry: &FileEntry,
    max_size: u64,
) -> Result<article::ArticleText> {
    let bytes = read_limited(path, max_size, entry.size)?;
    if ContentHash::of(&bytes) != entry.hash {
        let changed = std::io::Error::other("changed while being indexed; run index again");
        return Err(Error::io(path, changed));
    }
    article::article_from_bytes(path, &bytes)
}

/// Reads at most `max + 1` bytes, so that a file that grew past the limit is refused without
/// being read whole. `size` is the size the file was listed with: read into a buffer of that
/// size, a file takes two reads instead of a dozen.
pub(super) fn read_limited(path: &Path, max: u64, size: u64) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(size.min(max) as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > max {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(Error::TooLarge {
            path: path.to_owned(),
            size,
            limit: max,
        });
    }
    Ok(bytes)
}
