//! The files of the sources: folders walked (see [`crate::walk`]), JSON Lines files stated,
//! and what was indexed under a folder the walk could not reach this time.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::manifest::{FileEntry, Files};
use super::report::{SkipReason, Skipped, Source, SyncOptions};
use crate::error::{Error, Result};
use crate::walk;

/// Files indexed earlier that the walk could not reach this time (an unreadable folder, a
/// broken link) keep their last indexed version, and the walk error says so. Returns their
/// entries, none of which is in `listed` (sorted by path).
pub(super) fn keep_unreachable(
    old_files: &Files,
    walk_skipped: &mut [Skipped],
    listed: &[(String, FileEntry)],
) -> Vec<(String, FileEntry)> {
    let mut kept: Vec<(String, FileEntry)> = Vec::new();
    for skipped in walk_skipped.iter_mut() {
        let unreachable = Path::new(&skipped.path);
        for (path, entry) in old_files.iter() {
            if Path::new(path).starts_with(unreachable)
                && listed
                    .binary_search_by(|(p, _)| p.as_str().cmp(path))
                    .is_err()
                && !kept.iter().any(|(p, _)| p == path)
            {
                kept.push((path.to_string(), *entry));
                skipped.kept_previous = true;
            }
        }
    }
    kept
}

/// A file found in the sources.
#[derive(Debug)]
pub(crate) struct ListedFile {
    pub(crate) key: String,
    pub(crate) path: PathBuf,
    pub(crate) size: u64,
    pub(crate) mtime_ns: u128,
    pub(crate) jsonl: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) files: Vec<ListedFile>,
    pub(crate) skipped: Vec<Skipped>,
    pub(crate) ignored: usize,
}

/// Lists the sources: the folders walked (see [`crate::walk`]), the JSON Lines files stated.
pub(crate) fn list_sources(sources: &[Source], options: &SyncOptions) -> Result<Listing> {
    let mut listing = Listing::default();
    let mut seen = HashSet::new();
    for source in sources {
        match source {
            Source::Jsonl(path) => {
                let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
                let key = path.to_string_lossy().into_owned();
                if seen.insert(key.clone()) {
                    listing.files.push(ListedFile {
                        key,
                        path: path.clone(),
                        size: meta.len(),
                        mtime_ns: walk::mtime_ns(&meta),
                        jsonl: true,
                    });
                }
            }
            Source::Folder(root) => {
                if !root.is_dir() {
                    return Err(Error::NoSuchFolder { path: root.clone() });
                }
                let walk = walk::walk_folder(root, &options.extensions);
                listing.ignored += walk.ignored;
                listing
                    .skipped
                    .extend(walk.skipped.into_iter().map(|u| Skipped {
                        path: u.path,
                        reason: SkipReason::Unlisted(u.reason),
                        kept_previous: false,
                    }));
                for found in walk.files {
                    // One folder's walk never yields a path twice; several folders may overlap.
                    if sources.len() > 1 && !seen.insert(found.key.clone()) {
                        continue;
                    }
                    listing.files.push(ListedFile {
                        key: found.key,
                        path: found.path,
                        size: found.size,
                        mtime_ns: found.mtime_ns,
                        jsonl: false,
                    });
                }
            }
        }
    }
    Ok(listing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::manifest::tests::entry;
    use crate::index::manifest::Files;

    /// A folder the walk could not read made every file indexed under it look deleted.
    #[test]
    fn unreadable_folder_does_not_remove_what_was_indexed_under_it() {
        let old = Files::from_entries(
            [
                ("news/locked/a.txt", entry("a")),
                ("news/locked/deep/b.txt", entry("b")),
                ("news/locked-not/c.txt", entry("c")),
                ("news/open/d.txt", entry("d")),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        );
        let mut skipped = vec![
            Skipped {
                path: "news/locked".into(),
                reason: SkipReason::Unlisted("Permission denied".into()),
                kept_previous: false,
            },
            Skipped {
                path: "news/nothing-here".into(),
                reason: SkipReason::Unlisted("Permission denied".into()),
                kept_previous: false,
            },
        ];
        let listed = [("news/open/d.txt".to_string(), entry("d"))];
        let kept = keep_unreachable(&old, &mut skipped, &listed);
        let kept: Vec<&str> = kept.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(kept, ["news/locked/a.txt", "news/locked/deep/b.txt",]);
        assert!(skipped[0].kept_previous);
        assert!(!skipped[1].kept_previous);
    }
}
