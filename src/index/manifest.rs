//! What the index holds: a manifest (path, size, modification time, content hash of every
//! source file), written beside the index under a name of its own before each commit and named
//! in tantivy's commit payload, so one commit moves documents and manifest together: a crash at
//! any moment leaves the last committed pair. (In the payload itself, a 100,000-file manifest
//! made `meta.json` 17 MB, which tantivy reads at every open.) A sync that changes few files
//! writes only the manifest's changes since the last full one, which stays until a later commit
//! no longer rests on it.

use std::collections::BTreeMap;
use std::io::Write;

use serde::{Deserialize, Serialize};

use super::listing::ListedFile;
use super::report::{SkipReason, SyncOptions, SyncReport};
use super::{Engine, FORMAT_VERSION};
use crate::error::{Error, Result};

/// The commit payload: what wrote the index, and the name of its manifest file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Header {
    pub(super) format: String,
    pub(super) version: u32,
    #[serde(default)]
    pub(super) manifest: Option<String>,
}

pub(super) const MANIFEST_PREFIX: &str = "aes-manifest-";

/// What the index says it holds: one entry per source file.
///
/// Written in postcard's binary form, which does not describe itself: no field may be left out
/// when writing. `#[serde(default)]` is for the JSON manifests of earlier builds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub(super) format: String,
    pub(super) version: u32,
    pub(super) files: Files,
    /// Files refused for their content (binary, empty, too large), so that an unchanged bad
    /// file is neither read again nor taken for a change of the corpus.
    #[serde(default)]
    pub(super) refused: BTreeMap<String, Refused>,
    /// The full manifest file these files rest on, and the changes since: set when the files
    /// were read from disk, and when a sync chooses to write only its changes.
    #[serde(skip)]
    pub(super) base: Option<Base>,
}

/// A full manifest file and the entries that changed since it was written.
#[derive(Debug, Clone)]
pub(super) struct Base {
    pub(super) name: String,
    pub(super) changes: Vec<(String, Option<FileEntry>)>,
}

/// What a sync writes when it changed few files: the entries that differ from a full manifest,
/// `None` for a path no longer there, in path order. Adding 100 articles to 100,000 wrote and
/// synced 8.5 MB of manifest, 30 ms of a 0.37 s sync, most of it encoding the 100,000 entries.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Changes {
    pub(super) base: String,
    pub(super) files: Vec<(String, Option<FileEntry>)>,
    pub(super) refused: BTreeMap<String, Refused>,
}

pub(super) const CHANGES_SUFFIX: &str = ".changes";

/// Changes are written instead of the whole manifest while they are at most this share of it:
/// past that, reading a manifest would mostly be applying its changes.
pub(super) const MAX_CHANGES_SHARE: usize = 8;

/// `entries` sorted by path, each path once (its first entry kept).
pub(super) fn by_path<T>(mut entries: Vec<(String, T)>) -> Vec<(String, T)> {
    if !entries.is_sorted_by(|a, b| a.0 < b.0) {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, first| later.0 == first.0);
    }
    entries
}

/// Merges two lists of changes in path order; `newer`'s entry wins for a path in both.
pub(super) fn compose(
    older: Vec<(String, Option<FileEntry>)>,
    newer: Vec<(String, Option<FileEntry>)>,
) -> Vec<(String, Option<FileEntry>)> {
    let mut out = Vec::with_capacity(older.len() + newer.len());
    let mut older = older.into_iter().peekable();
    for change in newer {
        while let Some(before) = older.next_if(|(p, _)| *p < change.0) {
            out.push(before);
        }
        older.next_if(|(p, _)| *p == change.0);
        out.push(change);
    }
    out.extend(older);
    out
}

/// The files of a manifest, sorted by path, each path once.
///
/// Every sync reads them all, walks them beside the listing and writes them all, and looks up
/// only the few that changed: so a sorted list, built in one pass and searched by bisection,
/// rather than a tree, whose building, ordered walk and freeing chase a pointer per entry. In
/// binary it is written as a map is (its pairs in order), so manifests of either form read alike.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub(super) struct Files(pub(super) Vec<(String, FileEntry)>);

impl Files {
    /// From entries in any order; a path given twice keeps its first entry.
    pub(super) fn from_entries(entries: Vec<(String, FileEntry)>) -> Files {
        Files(by_path(entries))
    }

    /// These files with `changes` (in path order) applied.
    pub(super) fn with_changes(self, changes: &[(String, Option<FileEntry>)]) -> Files {
        let mut out = Vec::with_capacity(self.0.len() + changes.len());
        let mut changes = changes.iter().peekable();
        for (path, entry) in self.0 {
            while let Some((p, e)) = changes.next_if(|(p, _)| *p < path) {
                out.extend(e.map(|e| (p.clone(), e)));
            }
            match changes.next_if(|(p, _)| *p == path) {
                Some((_, changed)) => out.extend(changed.map(|e| (path, e))),
                None => out.push((path, entry)),
            }
        }
        out.extend(changes.filter_map(|(p, e)| e.map(|e| (p.clone(), e))));
        Files(out)
    }

    /// What differs from `old` to `self`, in path order.
    pub(super) fn changes_since(&self, old: &Files) -> Vec<(String, Option<FileEntry>)> {
        let mut out = Vec::new();
        let mut old = old.iter().peekable();
        for (path, entry) in self.iter() {
            while let Some((p, _)) = old.next_if(|(p, _)| *p < path) {
                out.push((p.to_string(), None));
            }
            if old.next_if(|(p, e)| *p == path && *e == entry).is_none() {
                old.next_if(|(p, _)| *p == path);
                out.push((path.to_string(), Some(*entry)));
            }
        }
        out.extend(old.map(|(p, _)| (p.to_string(), None)));
        out
    }

    /// Leaves out the entries of `paths`.
    pub(super) fn forget(&mut self, paths: &[String]) {
        if !paths.is_empty() {
            let paths: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
            self.0.retain(|(path, _)| !paths.contains(path.as_str()));
        }
    }

    pub(super) fn get(&self, path: &str) -> Option<&FileEntry> {
        self.0
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &FileEntry)> {
        self.0.iter().map(|(p, e)| (p.as_str(), e))
    }

    pub(super) fn paths(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(p, _)| p.as_str())
    }
}

impl<'de> Deserialize<'de> for Files {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        if d.is_human_readable() {
            // The JSON manifests of earlier builds: an object keyed by path.
            let map = BTreeMap::<String, FileEntry>::deserialize(d)?;
            Ok(Files(map.into_iter().collect()))
        } else {
            Vec::deserialize(d).map(Files::from_entries)
        }
    }
}

/// A file refused for its content, as it was when refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Refused {
    pub(super) size: u64,
    pub(super) mtime_ns: u128,
    pub(super) reason: String,
    /// The size limit in force, for files refused as too large: another limit reads them again.
    #[serde(default)]
    pub(super) limit: Option<u64>,
}

impl Refused {
    /// Whether `file` is still the refused file, under the same size limit.
    pub(super) fn still(&self, file: &ListedFile, max_size: u64) -> bool {
        self.size == file.size
            && self.mtime_ns == file.mtime_ns
            && self.limit.is_none_or(|l| l == max_size)
    }

    /// Why it was refused. The manifest keeps the reason as text, so that its format stays
    /// that of earlier builds: a size limit is only kept for files too large, and content is
    /// refused only as binary or as empty.
    pub(super) fn skip_reason(&self) -> SkipReason {
        match self.limit {
            Some(limit) => SkipReason::TooLarge {
                size: self.size,
                limit,
            },
            None if self.reason == SkipReason::Empty.to_string() => SkipReason::Empty,
            None => SkipReason::Binary,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FileEntry {
    pub(super) size: u64,
    pub(super) mtime_ns: u128,
    pub(super) hash: ContentHash,
    #[serde(default)]
    pub(super) jsonl: bool,
}

/// The BLAKE3 hash of a file's bytes: 32 bytes in memory and in the binary manifest (a
/// 100,000-file sync compares and groups them all), hexadecimal in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct ContentHash(pub(super) [u8; 32]);

impl ContentHash {
    pub(super) fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(*blake3::hash(bytes).as_bytes())
    }

    /// The first 64 bits, which name the article in the index.
    pub(super) fn prefix(&self) -> u64 {
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        u64::from_be_bytes(first)
    }

    pub(super) fn article_id(&self) -> String {
        format!("{:016x}", self.prefix())
    }
}

impl Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(blake3::Hash::from_bytes(self.0).to_hex().as_str())
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        if d.is_human_readable() {
            let hex = String::deserialize(d)?;
            blake3::Hash::from_hex(hex.as_bytes())
                .map(|h| ContentHash(*h.as_bytes()))
                .map_err(serde::de::Error::custom)
        } else {
            <[u8; 32]>::deserialize(d).map(ContentHash)
        }
    }
}

impl Manifest {
    pub(super) fn encode(&self) -> postcard::Result<Vec<u8>> {
        postcard::to_stdvec(self)
    }

    /// Reads the manifest file `name`: binary, or JSON from earlier builds (written anew in
    /// binary at the next change).
    pub(super) fn decode(name: &str, bytes: &[u8]) -> Option<Manifest> {
        if name.ends_with(".json") {
            serde_json::from_slice(bytes).ok()
        } else {
            postcard::from_bytes(bytes).ok()
        }
    }

    pub(super) fn new() -> Self {
        Manifest {
            format: "aes-search".into(),
            version: FORMAT_VERSION,
            files: Files::default(),
            refused: BTreeMap::new(),
            base: None,
        }
    }
}

impl Engine {
    /// The last commit's payload, `None` for an index never synced.
    pub(super) fn header(&self) -> Result<Option<Header>> {
        let meta = self
            .index
            .load_metas()
            .map_err(|e| Error::index(&self.path, e))?;
        meta.payload
            .map(|p| {
                serde_json::from_str(&p).map_err(|_| Error::NotAnIndex {
                    path: self.path.clone(),
                })
            })
            .transpose()
    }

    /// The manifest of the last commit: a full manifest file, or one with the changes since.
    pub(crate) fn manifest(&self) -> Result<Manifest> {
        let Some(name) = self.header()?.and_then(|h| h.manifest) else {
            return Ok(Manifest::new());
        };
        if !name.ends_with(CHANGES_SUFFIX) {
            let mut manifest = self.manifest_file(&name)?;
            if !name.ends_with(".json") {
                manifest.base = Some(Base {
                    name,
                    changes: Vec::new(),
                });
            }
            return Ok(manifest);
        }
        let changes: Changes = postcard::from_bytes(&self.index_file(&name)?)
            .map_err(|_| self.unreadable_manifest(&name))?;
        // Its base is a manifest file of this folder, nothing else.
        if !changes.base.starts_with(MANIFEST_PREFIX) || changes.base.contains(['/', '\\']) {
            return Err(self.unreadable_manifest(&name));
        }
        let mut manifest = self.manifest_file(&changes.base)?;
        let changed = by_path(changes.files);
        manifest.files = manifest.files.with_changes(&changed);
        manifest.refused = changes.refused;
        manifest.base = Some(Base {
            name: changes.base,
            changes: changed,
        });
        Ok(manifest)
    }

    /// A manifest file the last commit names: one that is gone is a damaged index.
    pub(super) fn index_file(&self, name: &str) -> Result<Vec<u8>> {
        let path = self.path.join(name);
        std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Damaged {
                path: self.path.clone(),
                message: format!("{name}: missing"),
            },
            _ => Error::io(&path, e),
        })
    }

    pub(super) fn manifest_file(&self, name: &str) -> Result<Manifest> {
        Manifest::decode(name, &self.index_file(name)?)
            .ok_or_else(|| self.unreadable_manifest(name))
    }

    fn unreadable_manifest(&self, name: &str) -> Error {
        Error::Damaged {
            path: self.path.clone(),
            message: format!("{name}: not a manifest"),
        }
    }

    /// Writes the manifest of the commit `opstamp` to a file of its own (synced to disk): the
    /// changes since its base when it has one, else in full. Returns the files the commit will
    /// rest on (that one and its base) and the payload that names it.
    pub(super) fn write_manifest(
        &self,
        manifest: Manifest,
        opstamp: u64,
    ) -> Result<(Vec<String>, String)> {
        let (name, bytes, mut keep) = match manifest.base {
            Some(Base {
                name: base,
                changes,
            }) => {
                let name = format!("{MANIFEST_PREFIX}{opstamp}{CHANGES_SUFFIX}");
                let changes = Changes {
                    base,
                    files: changes,
                    refused: manifest.refused,
                };
                let bytes = postcard::to_stdvec(&changes);
                (name, bytes, vec![changes.base])
            }
            None => {
                let name = format!("{MANIFEST_PREFIX}{opstamp}.bin");
                (name, manifest.encode(), Vec::new())
            }
        };
        let path = self.path.join(&name);
        let write = || -> std::io::Result<()> {
            let bytes = bytes.map_err(std::io::Error::other)?;
            let mut file = std::fs::File::create(&path)?;
            file.write_all(&bytes)?;
            file.sync_all()
        };
        write().map_err(|e| Error::io(&path, e))?;
        let header = Header {
            format: "aes-search".into(),
            version: FORMAT_VERSION,
            manifest: Some(name.clone()),
        };
        let payload =
            serde_json::to_string(&header).map_err(|e| Error::io(&self.path, e.into()))?;
        keep.push(name);
        Ok((keep, payload))
    }

    /// Removes manifest files other than `keep` (earlier commits', or a crashed run's).
    pub(super) fn remove_other_manifests(&self, keep: &[String]) {
        let Ok(entries) = std::fs::read_dir(&self.path) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(MANIFEST_PREFIX) && !keep.iter().any(|k| *k == name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// 6b. The manifest goes with the documents, in one commit (`None` when nothing changed): only
///     its changes since the last full one while they are few.
pub(super) fn next_manifest(
    files: Files,
    refused: BTreeMap<String, Refused>,
    old_files: &Files,
    old_refused: BTreeMap<String, Refused>,
    old_base: Option<Base>,
    options: &SyncOptions,
    report: &SyncReport,
) -> Option<Manifest> {
    let mut manifest = Manifest {
        files,
        refused,
        ..Manifest::new()
    };
    let changed = manifest.files != *old_files
        || manifest.refused != old_refused
        || options.full
        || report.changed();
    if let Some(base) = old_base.filter(|_| changed && !options.full) {
        let changes = compose(base.changes, manifest.files.changes_since(old_files));
        if changes.len() * MAX_CHANGES_SHARE <= manifest.files.0.len() {
            manifest.base = Some(Base {
                name: base.name,
                changes,
            });
        }
    }
    changed.then_some(manifest)
}

#[cfg(test)]
pub(super) mod tests;
