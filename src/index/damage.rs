//! A damaged index (a segment file truncated or missing, an unreadable `meta.json` or
//! manifest): told apart from a folder that is not an index, described in one line, and
//! rebuilt. The index is a cache of its sources, so rebuilding loses nothing a sync cannot
//! bring back.

use std::path::Path;

use tantivy::Index;

use super::manifest::MANIFEST_PREFIX;
use super::{Engine, PID_FILE};
use crate::error::{Error, Result};
use crate::rank::bounds::FILE_PREFIX as BOUNDS_PREFIX;

/// Whether an index writes files of this name: tantivy's (`meta.json`, `.managed.json`, its
/// locks, segment files named by a 32-digit hexadecimal id) and ours (manifests, score bounds,
/// the writer's pid).
fn written_by_an_index(name: &str) -> bool {
    let segment_file = name.len() > 33
        && name.as_bytes()[32] == b'.'
        && name[..32].bytes().all(|b| b.is_ascii_hexdigit());
    segment_file
        || name == "meta.json"
        || name == ".managed.json"
        || name.starts_with(".tantivy-")
        || name.starts_with(PID_FILE)
        || name.starts_with(MANIFEST_PREFIX)
        || name.starts_with(BOUNDS_PREFIX)
        || name.starts_with(".aes-search-")
}

/// Whether `path` holds only what an aes-search index writes, with its `meta.json` or one of
/// its manifests: a folder that may be removed and built again.
pub(super) fn is_aes_index_folder(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    let mut index = false;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return false;
        };
        if !written_by_an_index(name) {
            return false;
        }
        index |= name.starts_with(MANIFEST_PREFIX) || name == "meta.json";
    }
    index
}

/// Bytes at the end of every segment file: its footer's length and magic number.
const FOOTER_TAIL: u64 = 8;

/// Refuses an index whose segments lack a file, or hold one too short for a footer. tantivy
/// opens a field's postings only when searched, so a missing file would show in the middle of a
/// search, or never for a segment without that field; and tantivy 0.27 checks a footer for 4
/// bytes, not the 8 it reads, and panics on a file cut to 4 to 7 bytes.
pub(super) fn check_segment_files(index: &Index, path: &Path) -> Result<()> {
    use tantivy::index::SegmentComponent as C;
    let metas = index
        .searchable_segment_metas()
        .map_err(|e| unopenable(path, e))?;
    for meta in &metas {
        let mut components = vec![C::Postings, C::Positions, C::Terms, C::Store, C::FastFields];
        components.push(C::FieldNorms);
        if meta.delete_opstamp().is_some() {
            components.push(C::Delete);
        }
        for component in components {
            let name = meta.relative_path(component);
            let problem = match std::fs::metadata(path.join(&name)) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => "missing".to_string(),
                Err(e) => return Err(Error::io(path.join(&name), e)),
                Ok(m) if m.len() < FOOTER_TAIL => format!("truncated to {} bytes", m.len()),
                Ok(_) => continue,
            };
            return Err(Error::Damaged {
                path: path.to_owned(),
                message: format!("{}: {problem}", name.display()),
            });
        }
    }
    Ok(())
}

/// The error for an index in `path` that tantivy cannot open: damaged when the folder holds an
/// aes-search index, else not an index at all.
pub(super) fn unopenable(path: &Path, error: tantivy::TantivyError) -> Error {
    match Error::index(path, error) {
        damaged @ Error::Damaged { .. } if is_aes_index_folder(path) => damaged,
        Error::Index { .. } | Error::Damaged { .. } if !is_aes_index_folder(path) => {
            Error::NotAnIndex {
                path: path.to_owned(),
            }
        }
        other => other,
    }
}

impl Engine {
    /// Removes the index in `path`, whatever its state, and creates an empty one in its
    /// place, to be filled by a full sync.
    ///
    /// Only a folder that holds nothing but an aes-search index's files is emptied: any other
    /// file makes it [`Error::NotAnIndex`], and nothing is removed.
    ///
    /// ```
    /// # fn main() -> aes_search::Result<()> {
    /// use aes_search::Engine;
    /// let dir = tempfile::tempdir().unwrap();
    /// let engine = Engine::recreate(dir.path().join("index"))?;
    /// assert_eq!(engine.num_passages(), 0);
    /// # Ok(()) }
    /// ```
    pub fn recreate(path: impl AsRef<Path>) -> Result<Engine> {
        let path = path.as_ref();
        if is_aes_index_folder(path) {
            for entry in std::fs::read_dir(path).map_err(|e| Error::io(path, e))? {
                let entry = entry.map_err(|e| Error::io(path, e))?;
                let file = entry.path();
                std::fs::remove_file(&file).map_err(|e| Error::io(&file, e))?;
            }
        }
        Self::open_or_create(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_an_index_writes_is_taken_for_an_index() {
        let table = [
            ("meta.json", true),
            (".managed.json", true),
            (".tantivy-writer.lock", true),
            ("8a455cda979e421cbf0ae8ec6a40de62.store", true),
            ("8a455cda979e421cbf0ae8ec6a40de62.12.del", true),
            ("aes-manifest-15.bin", true),
            ("aes-manifest-16.changes", true),
            ("aes-bounds-8a455cda979e421cbf0ae8ec6a40de62.bin", true),
            (".aes-search-writer.pid", true),
            ("notes.txt", false),
            ("8a455cda979e421cbf0ae8ec6a40de6.store", false),
            ("8a455cda979e421cbf0ae8ec6a40de62", false),
            ("zz455cda979e421cbf0ae8ec6a40de62.store", false),
        ];
        for (name, expected) in table {
            assert_eq!(written_by_an_index(name), expected, "{name}");
        }
    }
}
