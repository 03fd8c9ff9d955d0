//! The index on disk: schema, opening and creating, and bringing it in line with folders of
//! articles (or JSON Lines of passages) incrementally and atomically.
//!
//! What is indexed is described by a manifest (path, size, modification time, content hash of
//! every source file), written beside the index under a name of its own before each commit and
//! named in tantivy's commit payload, so one commit moves documents and manifest together: a
//! crash at any moment leaves the last committed pair. (In the payload itself, a 100,000-file
//! manifest made `meta.json` 17 MB, which tantivy reads at every open.) A sync that changes few
//! files writes only the manifest's changes since the last full one, which stays until a later
//! commit no longer rests on it. Furniture learned
//! across articles lives in the index too, as fingerprint terms on one document per article, so
//! that the count of articles sharing a line is tantivy's own document frequency.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::directory::error::LockError;
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::{
    doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term,
};

use crate::analysis::{self, ANALYZER_NAME};
use crate::article;
use crate::clean::{self, KnownFurniture};
use crate::error::{Error, Result};
use crate::passage;
use crate::rank::bounds::Bounds;
use crate::walk;

/// Format of the manifest; an index with another version is rebuilt.
const FORMAT_VERSION: u32 = 3;
/// A line seen in this many articles is page furniture.
pub const RECURRING_MIN_ARTICLES: u64 = 3;
/// Default limit on the size of one article file (10 MB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
const WRITER_MEMORY: usize = 200_000_000;
const PID_FILE: &str = ".aes-search-writer.pid";

/// The tantivy fields, looked up once.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub kind: Field,
    pub article_id: Field,
    pub file: Field,
    pub passage: Field,
    pub title: Field,
    pub text: Field,
    pub date: Field,
    pub source: Field,
    pub lines: Field,
    pub line_prints: Field,
}

const KIND_PASSAGE: &str = "passage";
const KIND_ARTICLE: &str = "article";

fn schema() -> Schema {
    let mut builder = Schema::builder();
    let french = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    builder.add_text_field("kind", STRING);
    builder.add_text_field("article_id", STRING | STORED);
    builder.add_text_field("file", STRING | STORED);
    builder.add_u64_field("passage", STORED);
    builder.add_text_field("title", french.clone());
    builder.add_text_field("text", french.clone());
    builder.add_text_field("date", STRING | STORED);
    builder.add_text_field("source", french);
    builder.add_text_field("lines", STRING);
    // The same fingerprints, stored, so that an article leaving the index can be uncounted.
    builder.add_bytes_field("line_prints", STORED);
    builder.build()
}

impl Fields {
    fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |name| schema.get_field(name).ok();
        Some(Fields {
            kind: f("kind")?,
            article_id: f("article_id")?,
            file: f("file")?,
            passage: f("passage")?,
            title: f("title")?,
            text: f("text")?,
            date: f("date")?,
            source: f("source")?,
            lines: f("lines")?,
            line_prints: f("line_prints")?,
        })
    }
}

/// The commit payload: what wrote the index, and the name of its manifest file.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    #[serde(default)]
    manifest: Option<String>,
}

const MANIFEST_PREFIX: &str = "aes-manifest-";
/// Bytes of text per compressed block of stored passages. Showing a hit decompresses its whole
/// block: with tantivy's default of 16 KiB, reading the 10 shown passages was a sixth of a query's
/// time. 4 KiB took p50 from 0.216 to 0.182 ms at 68,978 passages and from 0.437 to 0.390 ms at
/// 684,190, for an index 9% larger.
const DOCSTORE_BLOCK_BYTES: usize = 4096;

/// What the index says it holds: one entry per source file.
///
/// Written in postcard's binary form, which does not describe itself: no field may be left out
/// when writing. `#[serde(default)]` is for the JSON manifests of earlier builds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    format: String,
    version: u32,
    files: Files,
    /// Files refused for their content (binary, empty, too large), so that an unchanged bad
    /// file is neither read again nor taken for a change of the corpus.
    #[serde(default)]
    refused: BTreeMap<String, Refused>,
    /// The full manifest file these files rest on, and the changes since: set when the files
    /// were read from disk, and when a sync chooses to write only its changes.
    #[serde(skip)]
    base: Option<Base>,
}

/// A full manifest file and the entries that changed since it was written.
#[derive(Debug, Clone)]
struct Base {
    name: String,
    changes: Vec<(String, Option<FileEntry>)>,
}

/// What a sync writes when it changed few files: the entries that differ from a full manifest,
/// `None` for a path no longer there, in path order. Adding 100 articles to 100,000 wrote and
/// synced 8.5 MB of manifest, 30 ms of a 0.37 s sync, most of it encoding the 100,000 entries.
#[derive(Debug, Serialize, Deserialize)]
struct Changes {
    base: String,
    files: Vec<(String, Option<FileEntry>)>,
    refused: BTreeMap<String, Refused>,
}

const CHANGES_SUFFIX: &str = ".changes";

/// Changes are written instead of the whole manifest while they are at most this share of it:
/// past that, reading a manifest would mostly be applying its changes.
const MAX_CHANGES_SHARE: usize = 8;

/// `entries` sorted by path, each path once (its first entry kept).
fn by_path<T>(mut entries: Vec<(String, T)>) -> Vec<(String, T)> {
    if !entries.is_sorted_by(|a, b| a.0 < b.0) {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, first| later.0 == first.0);
    }
    entries
}

/// Merges two lists of changes in path order; `newer`'s entry wins for a path in both.
fn compose(
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
struct Files(Vec<(String, FileEntry)>);

impl Files {
    /// From entries in any order; a path given twice keeps its first entry.
    fn from_entries(entries: Vec<(String, FileEntry)>) -> Files {
        Files(by_path(entries))
    }

    /// These files with `changes` (in path order) applied.
    fn with_changes(self, changes: &[(String, Option<FileEntry>)]) -> Files {
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
    fn changes_since(&self, old: &Files) -> Vec<(String, Option<FileEntry>)> {
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

    fn get(&self, path: &str) -> Option<&FileEntry> {
        self.0
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()
            .map(|i| &self.0[i].1)
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &FileEntry)> {
        self.0.iter().map(|(p, e)| (p.as_str(), e))
    }

    fn paths(&self) -> impl Iterator<Item = &str> {
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
struct Refused {
    size: u64,
    mtime_ns: u128,
    reason: String,
    /// The size limit in force, for files refused as too large: another limit reads them again.
    #[serde(default)]
    limit: Option<u64>,
}

impl Refused {
    /// Whether `file` is still the refused file, under the same size limit.
    fn still(&self, file: &ListedFile, max_size: u64) -> bool {
        self.size == file.size
            && self.mtime_ns == file.mtime_ns
            && self.limit.is_none_or(|l| l == max_size)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FileEntry {
    size: u64,
    mtime_ns: u128,
    hash: ContentHash,
    #[serde(default)]
    jsonl: bool,
}

/// The BLAKE3 hash of a file's bytes: 32 bytes in memory and in the binary manifest (a
/// 100,000-file sync compares and groups them all), hexadecimal in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct ContentHash([u8; 32]);

impl ContentHash {
    fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(*blake3::hash(bytes).as_bytes())
    }

    /// The first 64 bits, which name the article in the index.
    fn prefix(&self) -> u64 {
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        u64::from_be_bytes(first)
    }

    fn article_id(&self) -> String {
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
    fn encode(&self) -> postcard::Result<Vec<u8>> {
        postcard::to_stdvec(self)
    }

    /// Reads the manifest file `name`: binary, or JSON from earlier builds (written anew in
    /// binary at the next change).
    fn decode(name: &str, bytes: &[u8]) -> Option<Manifest> {
        if name.ends_with(".json") {
            serde_json::from_slice(bytes).ok()
        } else {
            postcard::from_bytes(bytes).ok()
        }
    }

    fn new() -> Self {
        Manifest {
            format: "aes-search".into(),
            version: FORMAT_VERSION,
            files: Files::default(),
            refused: BTreeMap::new(),
            base: None,
        }
    }
}

/// Where articles come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder of article files, walked recursively.
    Folder(PathBuf),
    /// A JSON Lines file of pre-split passages `{"id", "title", "text"[, "date", "source"]}`.
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
            extensions: vec!["txt".into(), "md".into()],
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
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Skipped {
    /// The file.
    pub path: String,
    /// Why, for people.
    pub reason: String,
    /// Whether an earlier version of the file stays in the index.
    pub kept_previous: bool,
}

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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

/// An aes-search index on disk.
pub struct Engine {
    pub(crate) index: Index,
    pub(crate) path: PathBuf,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) bounds: Bounds,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Opens the index in `path`, creating it (and the folder) when there is none yet.
    ///
    /// A folder that holds other files than an index is refused with [`Error::NotAnIndex`].
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<Engine> {
        let path = path.as_ref();
        if path.join("meta.json").is_file() {
            match Self::open(path) {
                Err(Error::NotAnIndex { .. }) if Self::is_older_format(path) => {}
                other => return other,
            }
            // An index of an older format is a cache of the corpus: rebuild it.
            Self::remove_index_files(path)?;
        } else if path.exists() {
            let mut entries = std::fs::read_dir(path).map_err(|e| Error::io(path, e))?;
            if entries.next().is_some() {
                return Err(Error::NotAnIndex {
                    path: path.to_owned(),
                });
            }
        }
        std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
        let dir = tantivy::directory::MmapDirectory::open(path)
            .map_err(|e| Error::index(path, e.into()))?;
        let settings = tantivy::IndexSettings {
            docstore_blocksize: DOCSTORE_BLOCK_BYTES,
            ..Default::default()
        };
        let index = Index::create(dir, schema(), settings).map_err(|e| Error::index(path, e))?;
        Self::from_index(index, path)
    }

    /// Opens an existing index.
    pub fn open(path: impl AsRef<Path>) -> Result<Engine> {
        let path = path.as_ref();
        if !path.join("meta.json").is_file() {
            return Err(Error::NotAnIndex {
                path: path.to_owned(),
            });
        }
        let index = Index::open_in_dir(path).map_err(|_| Error::NotAnIndex {
            path: path.to_owned(),
        })?;
        let engine = Self::from_index(index, path)?;
        match engine.header() {
            Ok(Some(h)) if h.format == "aes-search" && h.version == FORMAT_VERSION => Ok(engine),
            Ok(None) => Ok(engine),
            _ => Err(Error::NotAnIndex {
                path: path.to_owned(),
            }),
        }
    }

    fn from_index(index: Index, path: &Path) -> Result<Engine> {
        let fields = Fields::from_schema(&index.schema()).ok_or_else(|| Error::NotAnIndex {
            path: path.to_owned(),
        })?;
        index
            .tokenizers()
            .register(ANALYZER_NAME, analysis::french_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::index(path, e))?;
        Ok(Engine {
            index,
            path: path.to_owned(),
            reader,
            fields,
            bounds: Bounds::new(path),
        })
    }

    /// Whether `path` holds an index written by aes-search in another format.
    fn is_older_format(path: &Path) -> bool {
        let Ok(index) = Index::open_in_dir(path) else {
            return false;
        };
        let Ok(meta) = index.load_metas() else {
            return false;
        };
        meta.payload
            .and_then(|p| serde_json::from_str::<Header>(&p).ok())
            .is_some_and(|h| h.format == "aes-search" && h.version != FORMAT_VERSION)
    }

    fn remove_index_files(path: &Path) -> Result<()> {
        std::fs::remove_dir_all(path).map_err(|e| Error::io(path, e))
    }

    /// The folder of the index.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the latest commit visible to searches (another process may have written it).
    pub fn reload(&self) -> Result<()> {
        self.reader
            .reload()
            .map_err(|e| Error::index(&self.path, e))
    }

    /// The last commit's payload, `None` for an index never synced.
    fn header(&self) -> Result<Option<Header>> {
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
        let changes: Changes =
            postcard::from_bytes(&self.index_file(&name)?).map_err(|_| Error::NotAnIndex {
                path: self.path.clone(),
            })?;
        // Its base is a manifest file of this folder, nothing else.
        if !changes.base.starts_with(MANIFEST_PREFIX) || changes.base.contains(['/', '\\']) {
            return Err(Error::NotAnIndex {
                path: self.path.clone(),
            });
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

    fn index_file(&self, name: &str) -> Result<Vec<u8>> {
        let path = self.path.join(name);
        std::fs::read(&path).map_err(|e| Error::io(&path, e))
    }

    fn manifest_file(&self, name: &str) -> Result<Manifest> {
        Manifest::decode(name, &self.index_file(name)?).ok_or_else(|| Error::NotAnIndex {
            path: self.path.clone(),
        })
    }

    /// Writes the manifest of the commit `opstamp` to a file of its own (synced to disk): the
    /// changes since its base when it has one, else in full. Returns the files the commit will
    /// rest on (that one and its base) and the payload that names it.
    fn write_manifest(&self, manifest: Manifest, opstamp: u64) -> Result<(Vec<String>, String)> {
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
    fn remove_other_manifests(&self, keep: &[String]) {
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

    /// Number of passages in the last committed state.
    pub fn num_passages(&self) -> u64 {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, KIND_PASSAGE),
            IndexRecordOption::Basic,
        );
        searcher.search(&query, &Count).map_or(0, |n| n as u64)
    }

    /// Whether every file the index holds lies in one of `sources` (true of an empty index).
    ///
    /// A search that brings the index in line with a default folder first asks this, so that
    /// an index built from other folders is searched as it is rather than emptied.
    ///
    /// ```
    /// # fn main() -> aes_search::Result<()> {
    /// use aes_search::{Engine, Source};
    /// let dir = tempfile::tempdir().unwrap();
    /// let engine = Engine::open_or_create(dir.path().join("index"))?;
    /// assert!(engine.holds_only(&[Source::Folder("corpus".into())])?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn holds_only(&self, sources: &[Source]) -> Result<bool> {
        let manifest = self.manifest()?;
        // As given and as the system resolves it: an index may name the folder either way.
        let roots: Vec<PathBuf> = sources
            .iter()
            .map(|s| match s {
                Source::Folder(p) | Source::Jsonl(p) => p,
            })
            .flat_map(|p| {
                [
                    p.clone(),
                    std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()),
                ]
            })
            .collect();
        let held_only = manifest
            .files
            .paths()
            .chain(manifest.refused.keys().map(String::as_str))
            .all(|file| roots.iter().any(|root| Path::new(file).starts_with(root)));
        Ok(held_only)
    }

    /// Whether the index holds exactly the files of `sources` as they are now (compared by
    /// name, size and modification time; nothing is read).
    pub fn is_up_to_date(&self, sources: &[Source], options: &SyncOptions) -> Result<bool> {
        let manifest = self.manifest()?;
        let listing = list_sources(sources, options)?;
        if listing.files.len() != manifest.files.0.len() + manifest.refused.len() {
            return Ok(false);
        }
        Ok(listing.files.iter().all(|f| {
            manifest
                .files
                .get(&f.key)
                .is_some_and(|e| e.size == f.size && e.mtime_ns == f.mtime_ns)
                || manifest
                    .refused
                    .get(&f.key)
                    .is_some_and(|r| r.still(f, options.max_file_size))
        }))
    }

    /// Brings the index in line with `sources`: adds new files, replaces changed ones, removes
    /// those that are gone, and leaves the rest alone; then commits once.
    ///
    /// Bad files are reported in [`SyncReport::skipped`] and do not stop the sync.
    pub fn sync(&self, sources: &[Source], options: &SyncOptions) -> Result<SyncReport> {
        let started = Instant::now();
        let mut writer = self.writer()?;
        let result = self
            .sync_with(&writer, sources, options)
            .and_then(|(report, manifest)| {
                if let Some(manifest) = manifest {
                    let mut prepared = writer
                        .prepare_commit()
                        .map_err(|e| Error::index(&self.path, e))?;
                    let (keep, payload) = self.write_manifest(manifest, prepared.opstamp())?;
                    prepared.set_payload(&payload);
                    prepared.commit().map_err(|e| Error::index(&self.path, e))?;
                    self.remove_other_manifests(&keep);
                }
                Ok(report)
            });
        let _ = std::fs::remove_file(self.path.join(PID_FILE));
        let mut report = result.map_err(|e| self.explain(e))?;
        writer
            .wait_merging_threads()
            .map_err(|e| Error::index(&self.path, e))?;
        self.reload()?;
        // The bounds are derived data: without them, searches walk every range as before.
        let searcher = self.reader.searcher();
        let f = self.fields;
        let stats = crate::rank::CorpusStats::new(&searcher, f.text, f.title, f.kind);
        let _ = self.bounds.write_missing(
            &searcher,
            (f.text, f.title),
            stats.avg_len,
            crate::rank::bounds::MIN_SEGMENT_DOCS,
        );
        report.passages = self.num_passages();
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// tantivy reports a write error in one of its threads as "an index writer was killed":
    /// when the cause is a full disk, say so.
    fn explain(&self, error: Error) -> Error {
        if !matches!(error, Error::Index { .. }) {
            return error;
        }
        let probe = self.path.join(".aes-search-space-probe");
        let written = std::fs::write(&probe, vec![0u8; 1 << 20]);
        let _ = std::fs::remove_file(&probe);
        match written {
            Err(e) if e.raw_os_error().is_some() => Error::io(&self.path, e),
            _ => error,
        }
    }

    /// Shorthand for [`Engine::sync`] on folders.
    pub fn sync_folders<P: AsRef<Path>>(
        &self,
        folders: &[P],
        options: &SyncOptions,
    ) -> Result<SyncReport> {
        let sources: Vec<Source> = folders
            .iter()
            .map(|f| Source::Folder(f.as_ref().to_owned()))
            .collect();
        self.sync(&sources, options)
    }

    /// Takes tantivy's writer lock (released by the system if this process dies) and leaves our
    /// pid beside it, so that a second writer can say who holds it.
    fn writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        match self.index.writer_with_num_threads(threads, WRITER_MEMORY) {
            Ok(writer) => {
                // Files written by a run killed before its commit: left there, one of them
                // (a segment's deletes, named by the opstamp the same changes reach again)
                // made every later run fail. tantivy removes them only after a commit.
                let _ = writer.garbage_collect_files().wait();
                let tmp = self.path.join(format!("{PID_FILE}.{}", std::process::id()));
                if std::fs::write(&tmp, std::process::id().to_string()).is_ok() {
                    let _ = std::fs::rename(&tmp, self.path.join(PID_FILE));
                }
                Ok(writer)
            }
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                let pid = std::fs::read_to_string(self.path.join(PID_FILE))
                    .ok()
                    .and_then(|s| s.trim().parse().ok());
                Err(Error::Locked {
                    path: self.path.clone(),
                    pid,
                })
            }
            Err(e) => Err(Error::index(&self.path, e)),
        }
    }

    /// Everything but the commit: returns the report and, when something is to be committed,
    /// the manifest to commit with it.
    fn sync_with(
        &self,
        writer: &IndexWriter,
        sources: &[Source],
        options: &SyncOptions,
    ) -> Result<(SyncReport, Option<Manifest>)> {
        // The manifest is read while the folders are walked: together, most of a no-op sync.
        let (old, listing) = rayon::join(|| self.manifest(), || list_sources(sources, options));
        let (old, listing) = (old?, listing?);
        let mut report = SyncReport {
            ignored: listing.ignored,
            ..SyncReport::default()
        };
        let f = self.fields;
        if options.full {
            writer
                .delete_all_documents()
                .map_err(|e| Error::index(&self.path, e))?;
        }
        let Manifest {
            files: old_files,
            refused: old_refused,
            base: old_base,
            ..
        } = old;
        let old_files = if options.full {
            Files::default()
        } else {
            old_files
        };

        // 1. A stat per file: those whose size and mtime match the manifest are not read. The
        //    listing and the manifest are walked side by side in path order.
        let mut files = listing.files;
        if !files.is_sorted_by(|a, b| a.key <= b.key) {
            files.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        }
        let mut unchanged: Vec<(String, FileEntry)> = Vec::with_capacity(files.len());
        let mut refused: BTreeMap<String, Refused> = BTreeMap::new();
        let mut to_read: Vec<ListedFile> = Vec::new();
        let mut old_entries = old_files.iter().peekable();
        for lf in files {
            if let Some(r) = old_refused
                .get(&lf.key)
                .filter(|r| !options.full && r.still(&lf, options.max_file_size))
            {
                // Still the file refused last time: said again, not read again.
                refused.insert(lf.key, r.clone());
                continue;
            }
            while old_entries.next_if(|(k, _)| *k < lf.key.as_str()).is_some() {}
            match old_entries.peek() {
                Some(&(k, e))
                    if k == lf.key
                        && e.size == lf.size
                        && e.mtime_ns == lf.mtime_ns
                        && e.jsonl == lf.jsonl =>
                {
                    unchanged.push((lf.key, *e));
                }
                _ => to_read.push(lf),
            }
        }
        let mut walk_skipped = listing.skipped;
        walk_skipped.extend(refused.iter().map(|(path, r)| Skipped {
            path: path.clone(),
            reason: r.reason.clone(),
            kept_previous: false,
        }));
        // `unchanged` is in path order; what joins it below is sorted in once, at the end.
        let mut joining = keep_unreachable(&old_files, &mut walk_skipped, &unchanged);
        report.skipped = walk_skipped;

        // 2. Read, hash and fingerprint what may have changed (in parallel); nothing is kept but
        //    the hash and the line fingerprints, so memory does not grow with the corpus.
        let progress = ProgressCounter::new(
            options,
            to_read.iter().map(|lf| lf.size).sum(),
            to_read.len() as u64,
        );
        progress.start();
        let scans: Vec<(&ListedFile, Result<Scan>)> = to_read
            .par_iter()
            .map(|lf| (lf, scan(lf, options.max_file_size)))
            .collect();
        let mut prints: HashMap<&str, Vec<u64>> = HashMap::new();
        for (lf, scanned) in scans {
            match scanned {
                Ok(s) => {
                    joining.push((
                        lf.key.clone(),
                        FileEntry {
                            size: lf.size,
                            mtime_ns: lf.mtime_ns,
                            hash: s.hash,
                            jsonl: lf.jsonl,
                        },
                    ));
                    prints.insert(lf.key.as_str(), s.prints);
                }
                Err(e) => {
                    if let Some(limit) = refused_for_content(&e, options.max_file_size) {
                        refused.insert(
                            lf.key.clone(),
                            Refused {
                                size: lf.size,
                                mtime_ns: lf.mtime_ns,
                                reason: reason_of(&e),
                                limit,
                            },
                        );
                    }
                    // Unreadable: the last good version stays. Bad content: the file is what it is.
                    let kept = matches!(e, Error::Io { .. })
                        .then(|| old_files.get(&lf.key).copied())
                        .flatten();
                    report.skipped.push(Skipped {
                        path: lf.key.clone(),
                        reason: reason_of(&e),
                        kept_previous: kept.is_some(),
                    });
                    if let Some(entry) = kept {
                        joining.push((lf.key.clone(), entry));
                    }
                }
            }
        }

        unchanged.append(&mut joining);
        let mut new_files = Files::from_entries(unchanged);

        // 3. One article per distinct content, named by its first path. An article is unchanged
        //    when its primary path holds the same content as before, updated when the path holds
        //    new content, added when the path is new; old primaries no longer primary are removed.
        // Only the groups holding a file that was added, removed or changed can differ; the
        // others are the same on both sides and are only counted (a no-op sync of 100,000
        // files spent 14% of its time grouping them all).
        let affected = affected_groups(&old_files, &new_files);
        let old_groups = primaries(&old_files, &affected);
        let new_groups = primaries(&new_files, &affected);
        let old_primary: HashMap<&str, Group> =
            old_groups.iter().map(|(k, p)| (p[0], *k)).collect();
        let new_primary: HashMap<&str, Group> =
            new_groups.iter().map(|(k, p)| (p[0], *k)).collect();
        let mut leaving: Vec<&str> = Vec::new();
        for &path in old_primary.keys() {
            if !new_primary.contains_key(path) {
                writer.delete_term(Term::from_field_text(f.file, path));
                leaving.push(path);
                report.removed += 1;
            }
        }
        // The other groups are counted, not grouped: one per JSON Lines file, one per distinct
        // content hash (told apart by its first 64 bits; a collision would only miscount).
        let (mut hashes, mut jsonl_files) = (Vec::new(), 0);
        for (path, entry) in new_files.iter() {
            if affected.contains(&group_key(path, entry)) {
                continue;
            }
            if entry.jsonl {
                jsonl_files += 1;
            } else {
                hashes.push(entry.hash.prefix());
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        report.unchanged = hashes.len() + jsonl_files;
        let mut to_index: Vec<&str> = Vec::new();
        for (key, paths) in &new_groups {
            let path = paths[0];
            match old_primary.get(path) {
                Some(old_key) if old_key == key => report.unchanged += 1,
                Some(_) => {
                    writer.delete_term(Term::from_field_text(f.file, path));
                    leaving.push(path);
                    report.updated += 1;
                    to_index.push(path);
                }
                None => {
                    report.added += 1;
                    to_index.push(path);
                }
            }
            if paths.len() > 1 && old_groups.get(key) != Some(paths) {
                report
                    .duplicates
                    .push(paths.iter().map(|p| p.to_string()).collect());
            }
        }
        let indexing: HashSet<&str> = to_index.iter().copied().collect();
        let read_only: u64 = to_read
            .iter()
            .filter(|lf| !indexing.contains(lf.key.as_str()))
            .map(|lf| lf.size)
            .sum();
        progress.advance_many(
            to_read.len().saturating_sub(to_index.len()) as u64,
            read_only,
        );

        // 4. Furniture: a line is furniture when it is in RECURRING_MIN_ARTICLES articles of the
        //    index as it will be after this commit (old versions of updated articles left out).
        let index_empty = options.full || self.reader.searcher().num_docs() == 0;
        // Fingerprint → (arriving, leaving): at 100,000 new articles, some 3 million lines.
        let mut counts: HashMap<u64, (u32, u32)> = HashMap::new();
        for path in &to_index {
            for &fp in prints.get(*path).map_or(&[][..], Vec::as_slice) {
                counts.entry(fp).or_default().0 += 1;
            }
        }
        drop(prints);
        if !index_empty {
            for path in &leaving {
                for fp in self.stored_prints(path)? {
                    counts.entry(fp).or_default().1 += 1;
                }
            }
        }
        // Into an empty index, a line not listed is not furniture: only furniture is listed.
        let mut recurring: HashMap<u64, bool> = HashMap::new();
        let mut turned: Vec<u64> = Vec::new(); // fingerprints that became, or stopped being, furniture
        for (&fp, &(arriving, gone)) in &counts {
            let before = if index_empty {
                0
            } else {
                self.articles_with_line(fp)?
            };
            let after = (before + u64::from(arriving)).saturating_sub(u64::from(gone));
            if !index_empty || after >= RECURRING_MIN_ARTICLES {
                recurring.insert(fp, after >= RECURRING_MIN_ARTICLES);
            }
            if (before >= RECURRING_MIN_ARTICLES) != (after >= RECURRING_MIN_ARTICLES) && before > 0
            {
                turned.push(fp);
            }
        }
        drop(counts);
        let known = SyncFurniture {
            engine: self,
            decided: &recurring,
            index_empty,
        };

        // Unchanged articles holding a line whose status turned are cleaned again.
        let mut reclean: BTreeSet<String> = BTreeSet::new();
        for fp in turned {
            for path in self.files_with_line(fp)? {
                let unchanged = match new_primary.get(path.as_str()) {
                    Some(k) => old_primary.get(path.as_str()) == Some(k),
                    None => new_files
                        .get(&path)
                        .is_some_and(|e| !affected.contains(&group_key(&path, e))),
                };
                if unchanged {
                    reclean.insert(path);
                }
            }
        }

        // 5. Read again, clean, split and add, in parallel with tantivy's indexing threads.
        let jobs: Vec<(&str, bool)> = to_index
            .iter()
            .map(|p| (*p, false))
            .chain(reclean.iter().map(|p| (p.as_str(), true)))
            .collect();
        let failures: Mutex<Vec<(String, Error, bool)>> = Mutex::new(Vec::new());
        let bad_lines: Mutex<Vec<Skipped>> = Mutex::new(Vec::new());
        let index_errors: Mutex<Vec<TantivyError>> = Mutex::new(Vec::new());
        jobs.par_iter().for_each(|&(path, again)| {
            let Some(entry) = new_files.get(path) else {
                return;
            };
            let outcome = if entry.jsonl {
                self.add_jsonl(writer, path, &bad_lines)
            } else {
                read_verified(Path::new(path), entry, options.max_file_size).map(|text| {
                    if again {
                        writer.delete_term(Term::from_field_text(f.file, path));
                    }
                    for doc in article_documents(&f, path, entry.hash, &text, &known) {
                        if let Err(e) = writer.add_document(doc) {
                            index_errors
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push(e);
                        }
                    }
                })
            };
            if let Err(e) = outcome {
                failures.lock().unwrap_or_else(|p| p.into_inner()).push((
                    path.to_string(),
                    e,
                    again,
                ));
            }
            progress.advance_many(1, entry.size);
        });
        if let Some(e) = index_errors
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .into_iter()
            .next()
        {
            return Err(Error::index(&self.path, e));
        }
        report.recleaned = reclean.len();
        report
            .skipped
            .extend(bad_lines.into_inner().unwrap_or_else(|p| p.into_inner()));
        let mut forget: Vec<String> = Vec::new();
        for (path, e, again) in failures.into_inner().unwrap_or_else(|p| p.into_inner()) {
            if again {
                // Its indexed version was not touched.
                report.recleaned -= 1;
                report.skipped.push(Skipped {
                    path,
                    reason: reason_of(&e),
                    kept_previous: true,
                });
                continue;
            }
            // Changed or gone since step 2: its old version is deleted already; forget every name
            // of its content, so that the next run indexes it afresh.
            if let Some(key) = new_primary.get(path.as_str()) {
                let names = new_groups.get(key).into_iter().flatten();
                forget.extend(names.map(|name| name.to_string()));
            }
            if old_primary.contains_key(path.as_str()) {
                report.updated -= 1;
                report.removed += 1;
            } else {
                report.added -= 1;
            }
            report.skipped.push(Skipped {
                path,
                reason: reason_of(&e),
                kept_previous: false,
            });
        }
        report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        if !forget.is_empty() {
            let forget: HashSet<&str> = forget.iter().map(String::as_str).collect();
            new_files
                .0
                .retain(|(path, _)| !forget.contains(path.as_str()));
        }

        // 6. The manifest goes with the documents, in one commit: only its changes since the
        //    last full one while they are few.
        let mut manifest = Manifest {
            files: new_files,
            refused,
            ..Manifest::new()
        };
        let changed = manifest.files != old_files
            || manifest.refused != old_refused
            || options.full
            || report.changed();
        if let Some(base) = old_base.filter(|_| changed && !options.full) {
            let changes = compose(base.changes, manifest.files.changes_since(&old_files));
            if changes.len() * MAX_CHANGES_SHARE <= manifest.files.0.len() {
                manifest.base = Some(Base {
                    name: base.name,
                    changes,
                });
            }
        }
        Ok((report, changed.then_some(manifest)))
    }

    /// Adds the passages of a JSON Lines file, read line by line; a line that cannot be read is
    /// reported as `FILE:LINE` and the others are indexed.
    fn add_jsonl(
        &self,
        writer: &IndexWriter,
        path: &str,
        bad_lines: &Mutex<Vec<Skipped>>,
    ) -> Result<()> {
        #[derive(Deserialize)]
        struct Line {
            id: serde_json::Value,
            #[serde(default)]
            title: Option<String>,
            text: String,
            #[serde(default)]
            date: Option<String>,
            #[serde(default)]
            source: Option<String>,
        }
        let f = self.fields;
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        writer.delete_term(Term::from_field_text(f.file, path));
        let mut reader = std::io::BufReader::new(file);
        let mut buf = Vec::new();
        let mut n = 0usize;
        loop {
            buf.clear();
            if reader
                .read_until(b'\n', &mut buf)
                .map_err(|e| Error::io(path, e))?
                == 0
            {
                break;
            }
            n += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed: Line = match serde_json::from_slice(&buf) {
                Ok(l) => l,
                Err(e) => {
                    let err = Error::Jsonl {
                        path: path.into(),
                        line: n,
                        message: e.to_string(),
                    };
                    let skipped = Skipped {
                        path: format!("{path}:{n}"),
                        reason: err.to_string(),
                        kept_previous: false,
                    };
                    bad_lines
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(skipped);
                    continue;
                }
            };
            let id = match parsed.id {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            let mut d = doc!(
                f.kind => KIND_PASSAGE,
                f.article_id => id,
                f.file => path,
                f.passage => 0u64,
                f.text => parsed.text,
            );
            if let Some(t) = parsed.title {
                d.add_text(f.title, t);
            }
            if let Some(t) = parsed.date {
                d.add_text(f.date, t);
            }
            if let Some(t) = parsed.source {
                d.add_text(f.source, t);
            }
            writer
                .add_document(d)
                .map_err(|e| Error::index(&self.path, e))?;
        }
        Ok(())
    }

    /// Number of indexed articles that contain the line with this fingerprint.
    fn articles_with_line(&self, fingerprint: u64) -> Result<u64> {
        let searcher = self.reader.searcher();
        let term = line_term(&self.fields, fingerprint);
        if searcher
            .segment_readers()
            .iter()
            .all(|s| s.num_deleted_docs() == 0)
        {
            // Without deletions the document frequency is exact, and costs one lookup.
            return searcher
                .doc_freq(&term)
                .map_err(|e| Error::index(&self.path, e));
        }
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        searcher
            .search(&query, &Count)
            .map(|n| n as u64)
            .map_err(|e| Error::index(&self.path, e))
    }

    /// The line fingerprints stored with the article indexed under `path`.
    fn stored_prints(&self, path: &str) -> Result<Vec<u64>> {
        let f = self.fields;
        let query = BooleanQuery::intersection(vec![
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, KIND_ARTICLE),
                IndexRecordOption::Basic,
            )),
            Box::new(TermQuery::new(
                Term::from_field_text(f.file, path),
                IndexRecordOption::Basic,
            )),
        ]);
        let mut prints = Vec::new();
        for doc in self.stored_docs(&query)? {
            if let Some(bytes) = doc.get_first(f.line_prints).and_then(|v| v.as_bytes()) {
                prints.extend(
                    bytes
                        .chunks_exact(8)
                        .filter_map(|c| c.try_into().ok())
                        .map(u64::from_le_bytes),
                );
            }
        }
        Ok(prints)
    }

    fn files_with_line(&self, fingerprint: u64) -> Result<Vec<String>> {
        let query = TermQuery::new(
            line_term(&self.fields, fingerprint),
            IndexRecordOption::Basic,
        );
        Ok(self
            .stored_docs(&query)?
            .iter()
            .filter_map(|doc| doc.get_first(self.fields.file).and_then(|v| v.as_str()))
            .map(str::to_string)
            .collect())
    }

    /// The stored fields of every document (in the last commit) that `query` matches.
    fn stored_docs(&self, query: &dyn tantivy::query::Query) -> Result<Vec<TantivyDocument>> {
        let searcher = self.reader.searcher();
        let addresses = searcher
            .search(query, &DocSetCollector)
            .map_err(|e| Error::index(&self.path, e))?;
        addresses
            .into_iter()
            .map(|address| {
                searcher
                    .doc(address)
                    .map_err(|e| Error::index(&self.path, e))
            })
            .collect()
    }

    /// Cleans a file with what this index has learned about recurring furniture.
    pub fn clean_file(&self, path: &Path, options: &SyncOptions) -> Result<clean::CleanedArticle> {
        let text = article::read_text(path, options.max_file_size)?;
        let none = HashMap::new();
        let index_empty = self.reader.searcher().num_docs() == 0;
        Ok(clean::clean(
            &text,
            &SyncFurniture {
                engine: self,
                decided: &none,
                index_empty,
            },
        ))
    }
}

fn line_term(fields: &Fields, fingerprint: u64) -> Term {
    Term::from_field_text(fields.lines, &format!("{fingerprint:016x}"))
}

/// Furniture as the index will know it after the sync: decided for every line that arrives or
/// leaves with this sync, and counted in the index for the others.
struct SyncFurniture<'a> {
    engine: &'a Engine,
    decided: &'a HashMap<u64, bool>,
    index_empty: bool,
}

impl KnownFurniture for SyncFurniture<'_> {
    fn is_recurring(&self, fingerprint: u64) -> bool {
        match self.decided.get(&fingerprint) {
            Some(&recurring) => recurring,
            None => {
                !self.index_empty
                    && self
                        .engine
                        .articles_with_line(fingerprint)
                        .is_ok_and(|n| n >= RECURRING_MIN_ARTICLES)
            }
        }
    }
}

/// The documents of one article file: one per passage, and one that carries its line prints.
fn article_documents(
    f: &Fields,
    path: &str,
    hash: ContentHash,
    text: &str,
    known: &dyn KnownFurniture,
) -> Vec<TantivyDocument> {
    let article_id: &str = &hash.article_id();
    let line_prints = clean::fingerprint_lines(text);
    let cleaned = clean::clean_with_prints(text, &line_prints, known);
    let mut docs = Vec::new();
    let mut marker = doc!(f.kind => KIND_ARTICLE, f.article_id => article_id, f.file => path);
    let prints = clean::distinct_prints(&line_prints);
    for fp in &prints {
        marker.add_text(f.lines, format!("{fp:016x}"));
    }
    let stored: Vec<u8> = prints.iter().flat_map(|fp| fp.to_le_bytes()).collect();
    marker.add_bytes(f.line_prints, &stored);
    docs.push(marker);
    for p in passage::split(&cleaned.paragraphs) {
        let mut d = doc!(
            f.kind => KIND_PASSAGE,
            f.article_id => article_id,
            f.file => path,
            f.passage => p.index as u64,
            f.text => p.text,
        );
        if let Some(t) = &cleaned.title {
            d.add_text(f.title, t);
        }
        if let Some(t) = &cleaned.date {
            d.add_text(f.date, t);
        }
        if let Some(t) = &cleaned.source {
            d.add_text(f.source, t);
        }
        docs.push(d);
    }
    docs
}

/// An article: the files that hold the same content, or one JSON Lines file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Group<'a> {
    Content(ContentHash),
    Jsonl(&'a str, ContentHash),
}

/// The group of a file: files with the same content are one article; a JSON Lines file is
/// always its own.
fn group_key<'a>(path: &'a str, entry: &FileEntry) -> Group<'a> {
    if entry.jsonl {
        Group::Jsonl(path, entry.hash)
    } else {
        Group::Content(entry.hash)
    }
}

/// The groups a sync may change. Every file of the index is asked whether it belongs to one
/// (three times per sync), and nearly none does: a sorted list of the groups' first 64 bits
/// answers most of them without hashing the whole key.
#[derive(Debug, Default)]
struct Affected<'a> {
    groups: HashSet<Group<'a>>,
    prefixes: Vec<u64>,
}

impl<'a> Affected<'a> {
    fn insert(&mut self, group: Group<'a>) {
        self.groups.insert(group);
    }

    fn sealed(mut self) -> Self {
        self.prefixes = self.groups.iter().map(Group::prefix).collect();
        self.prefixes.sort_unstable();
        self
    }

    fn contains(&self, group: &Group<'_>) -> bool {
        self.prefixes.binary_search(&group.prefix()).is_ok() && self.groups.contains(group)
    }

    fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

impl Group<'_> {
    fn prefix(&self) -> u64 {
        match self {
            Group::Content(hash) | Group::Jsonl(_, hash) => hash.prefix(),
        }
    }
}

/// The groups of the files whose entry differs between `old` and `new` (added, removed or
/// changed), on either side; found in one walk of both lists in path order.
fn affected_groups<'a>(old: &'a Files, new: &'a Files) -> Affected<'a> {
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    let mut out = Affected::default();
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(&(pa, ea)), Some(&(pb, eb))) if pa == pb => {
                if ea != eb {
                    out.insert(group_key(pa, ea));
                    out.insert(group_key(pb, eb));
                }
                a.next();
                b.next();
            }
            (Some(&(pa, ea)), Some(&(pb, _))) if pa < pb => {
                out.insert(group_key(pa, ea));
                a.next();
            }
            (Some(&(pa, ea)), None) => {
                out.insert(group_key(pa, ea));
                a.next();
            }
            (_, Some(&(pb, eb))) => {
                out.insert(group_key(pb, eb));
                b.next();
            }
        }
    }
    out.sealed()
}

/// The files of each of the `groups`, by path order: the first is the article's name.
fn primaries<'a>(files: &'a Files, groups: &Affected<'_>) -> BTreeMap<Group<'a>, Vec<&'a str>> {
    let mut out: BTreeMap<Group<'a>, Vec<&'a str>> = BTreeMap::new();
    if groups.is_empty() {
        return out;
    }
    for (path, entry) in files.iter() {
        let key = group_key(path, entry);
        if groups.contains(&key) {
            out.entry(key).or_default().push(path);
        }
    }
    out
}

/// For a file refused for its content (not for a read error, which may pass), the size limit
/// that matters: `Some(None)` for binary or empty content, `Some(Some(limit))` for a file too
/// large; `None` for other errors.
fn refused_for_content(e: &Error, max_size: u64) -> Option<Option<u64>> {
    match e {
        Error::Binary { .. } | Error::Empty { .. } => Some(None),
        Error::TooLarge { .. } => Some(Some(max_size)),
        _ => None,
    }
}

fn reason_of(e: &Error) -> String {
    match e {
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            "no such file (it vanished during the run)".into()
        }
        Error::Io { source, .. } => source.to_string(),
        Error::Binary { .. } => "binary file, not text".into(),
        Error::Empty { .. } => "empty file".into(),
        Error::TooLarge { size, limit, .. } => {
            format!("{size} bytes, over the limit of {limit} bytes (--max-file-size)")
        }
        other => other.to_string(),
    }
}

/// What step 2 keeps of a file: its content hash and its line fingerprints.
struct Scan {
    hash: ContentHash,
    prints: Vec<u64>,
}

/// Reads a file once: hash, and for articles the refusal of bad content and the fingerprints.
fn scan(file: &ListedFile, max_size: u64) -> Result<Scan> {
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
    let text = article::text_from_bytes(path, &bytes)?;
    drop(bytes);
    Ok(Scan {
        hash,
        prints: clean::line_fingerprints(&text),
    })
}

/// Reads an article again for indexing, refusing it if it changed since it was hashed.
fn read_verified(path: &Path, entry: &FileEntry, max_size: u64) -> Result<String> {
    let bytes = read_limited(path, max_size, entry.size)?;
    if ContentHash::of(&bytes) != entry.hash {
        let changed = std::io::Error::other("changed while being indexed; run index again");
        return Err(Error::io(path, changed));
    }
    article::text_from_bytes(path, &bytes)
}

/// Reads at most `max + 1` bytes, so that a file that grew past the limit is refused without
/// being read whole. `size` is the size the file was listed with: read into a buffer of that
/// size, a file takes two reads instead of a dozen.
fn read_limited(path: &Path, max: u64, size: u64) -> Result<Vec<u8>> {
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

/// Files indexed earlier that the walk could not reach this time (an unreadable folder, a
/// broken link) keep their last indexed version, and the walk error says so. Returns their
/// entries, none of which is in `listed` (sorted by path).
fn keep_unreachable(
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

struct ProgressCounter<'a> {
    callback: Option<&'a (dyn Fn(Progress) + Send + Sync)>,
    state: Mutex<Progress>,
}

impl<'a> ProgressCounter<'a> {
    fn new(options: &'a SyncOptions, bytes_total: u64, files_total: u64) -> Self {
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
    fn start(&self) {
        self.advance_many(0, 0);
    }

    fn advance_many(&self, files: u64, bytes: u64) {
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

/// A file found in the sources.
#[derive(Debug)]
struct ListedFile {
    key: String,
    path: PathBuf,
    size: u64,
    mtime_ns: u128,
    jsonl: bool,
}

#[derive(Debug, Default)]
struct Listing {
    files: Vec<ListedFile>,
    skipped: Vec<Skipped>,
    ignored: usize,
}

/// Lists the sources: the folders walked (see [`crate::walk`]), the JSON Lines files stated.
fn list_sources(sources: &[Source], options: &SyncOptions) -> Result<Listing> {
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
                listing.skipped.extend(walk.skipped);
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
    use proptest::strategy::Strategy;

    fn entry(content: &str) -> FileEntry {
        FileEntry {
            size: 1,
            mtime_ns: 1,
            hash: ContentHash::of(content.as_bytes()),
            jsonl: false,
        }
    }

    #[test]
    fn the_manifest_reads_back_as_written() {
        let refused = Refused {
            size: 3,
            mtime_ns: u128::from(u64::MAX) + 7,
            reason: "binary file, not text".into(),
            limit: None,
        };
        let jsonl = FileEntry {
            jsonl: true,
            ..entry("passages")
        };
        // Every optional part absent, then present: a field left out when writing would shift
        // everything after it in the binary form.
        type Case<'a> = (&'a [(&'a str, FileEntry)], Option<Refused>);
        let cases: [Case; 3] = [
            (&[], None),
            (&[("a.txt", entry("a")), ("é/b.md", entry("b"))], None),
            (&[("a.txt", entry("a")), ("p.jsonl", jsonl)], Some(refused)),
        ];
        for (files, refused) in cases {
            let mut manifest = Manifest::new();
            manifest.files = Files::from_entries(
                files
                    .iter()
                    .map(|(path, e)| (path.to_string(), *e))
                    .collect(),
            );
            manifest
                .refused
                .extend(refused.map(|r| ("bad.txt".to_string(), r)));
            let bytes = manifest.encode().expect("encodes");
            let back = Manifest::decode("aes-manifest-1.bin", &bytes).expect("decodes");
            assert_eq!(
                (back.files, back.refused),
                (manifest.files, manifest.refused)
            );
            assert_eq!(
                (back.format, back.version),
                (manifest.format, manifest.version)
            );
            assert!(Manifest::decode("aes-manifest-1.bin", &bytes[..bytes.len() - 1]).is_none());
        }
    }

    #[test]
    fn files_are_kept_sorted_by_path_each_path_once() {
        let cases: [(&[&str], &[&str]); 4] = [
            (&[], &[]),
            (&["b", "a/c", "a"], &["a", "a/c", "b"]),
            (&["a", "b", "a"], &["a", "b"]),
            (&["é", "z", "e"], &["e", "z", "é"]),
        ];
        for (given, sorted) in cases {
            let files = Files::from_entries(
                given
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.to_string(), entry(&i.to_string())))
                    .collect(),
            );
            assert_eq!(files.paths().collect::<Vec<_>>(), sorted, "{given:?}");
            for path in sorted {
                let first = given.iter().position(|p| p == path).unwrap();
                assert_eq!(files.get(path), Some(&entry(&first.to_string())));
            }
            assert_eq!(files.get("missing"), None);
        }
    }

    /// Files as a map from a few paths to a few contents (paths nest: "a" < "a/b" < "b").
    fn arb_files() -> impl proptest::strategy::Strategy<Value = BTreeMap<String, FileEntry>> {
        let path = proptest::sample::select(vec!["a", "a/b", "a.txt", "b", "é", "z/y"]);
        proptest::collection::btree_map(path.prop_map(String::from), 0u8..3, 0..6).prop_map(|m| {
            m.into_iter()
                .map(|(p, c)| (p, entry(&c.to_string())))
                .collect()
        })
    }

    fn files_of(map: &BTreeMap<String, FileEntry>) -> Files {
        Files(map.clone().into_iter().collect())
    }

    proptest::proptest! {
        /// Changes taken between two states give the second from the first, and two rounds of
        /// changes composed give what applying them in turn gives: a manifest read back as its
        /// base plus its changes is the manifest that was written.
        #[test]
        fn changes_applied_to_their_base_give_the_files_back(
            base in arb_files(), mid in arb_files(), last in arb_files()
        ) {
            let (base, mid, last) = (files_of(&base), files_of(&mid), files_of(&last));
            let first = mid.changes_since(&base);
            proptest::prop_assert_eq!(&base.clone().with_changes(&first), &mid);
            let second = last.changes_since(&mid);
            proptest::prop_assert_eq!(&mid.clone().with_changes(&second), &last);
            let both = compose(first, second);
            proptest::prop_assert!(both.is_sorted_by(|a, b| a.0 < b.0));
            proptest::prop_assert_eq!(&base.with_changes(&both), &last);
            proptest::prop_assert!(last.changes_since(&last).is_empty());
        }
    }

    /// The sorted list is written as the map of earlier builds was, so their binary manifests
    /// read as they are, and a list written out of order reads sorted.
    #[test]
    fn files_read_the_binary_map_of_earlier_builds() {
        let map: BTreeMap<String, FileEntry> = [("b.txt", "b"), ("a.txt", "a"), ("c/d.txt", "d")]
            .into_iter()
            .map(|(p, c)| (p.to_string(), entry(c)))
            .collect();
        let bytes = postcard::to_stdvec(&map).expect("encodes");
        let files: Files = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(files.0, map.clone().into_iter().collect::<Vec<_>>());
        assert_eq!(postcard::to_stdvec(&files).expect("encodes"), bytes);

        let reversed: Vec<(String, FileEntry)> = map.clone().into_iter().rev().collect();
        let bytes = postcard::to_stdvec(&reversed).expect("encodes");
        let files: Files = postcard::from_bytes(&bytes).expect("decodes");
        assert_eq!(files.0, map.into_iter().collect::<Vec<_>>());
    }

    /// Indexes made before the binary manifest are read as they are, not rebuilt.
    #[test]
    fn a_json_manifest_of_earlier_builds_is_read() {
        let hash = ContentHash::of(b"article");
        let hex = blake3::hash(b"article").to_hex();
        let json = format!(
            r#"{{"format":"aes-search","version":{FORMAT_VERSION},"files":{{"a.txt":{{"size":5,"mtime_ns":6,"hash":"{hex}"}}}}}}"#
        );
        let manifest = Manifest::decode("aes-manifest-9.json", json.as_bytes()).expect("JSON");
        let expected = FileEntry {
            size: 5,
            mtime_ns: 6,
            hash,
            jsonl: false,
        };
        assert_eq!(manifest.files.get("a.txt"), Some(&expected));
        assert!(manifest.refused.is_empty());
        assert_eq!(hash.article_id(), hex.as_str()[..16]);
    }

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
                reason: "Permission denied".into(),
                kept_previous: false,
            },
            Skipped {
                path: "news/nothing-here".into(),
                reason: "Permission denied".into(),
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
