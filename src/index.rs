//! The index on disk: schema, opening and creating, and bringing it in line with folders of
//! articles (or JSON Lines of passages) incrementally and atomically.
//!
//! What is indexed is described by a manifest (path, size, modification time, content hash of
//! every source file) kept in tantivy's commit payload, so one commit moves documents and
//! manifest together: a crash at any moment leaves the last committed pair. Furniture learned
//! across articles lives in the index too, as fingerprint terms on one document per article, so
//! that the count of articles sharing a line is tantivy's own document frequency.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::directory::error::LockError;
use tantivy::query::TermQuery;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use crate::analysis::{self, ANALYZER_NAME};
use crate::article;
use crate::clean::{self, KnownFurniture};
use crate::error::{Error, Result};
use crate::passage;

/// Format of the manifest; an index with another version is rebuilt.
const FORMAT_VERSION: u32 = 1;
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
        })
    }
}

/// What the index says it holds: one entry per source file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    format: String,
    version: u32,
    files: BTreeMap<String, FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct FileEntry {
    size: u64,
    mtime_ns: u128,
    hash: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    jsonl: bool,
}

impl Manifest {
    fn new() -> Self {
        Manifest { format: "aes-search".into(), version: FORMAT_VERSION, files: BTreeMap::new() }
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
    /// Files left as they were.
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
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("path", &self.path).finish_non_exhaustive()
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
                return Err(Error::NotAnIndex { path: path.to_owned() });
            }
        }
        std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
        let dir = tantivy::directory::MmapDirectory::open(path)
            .map_err(|e| Error::index(path, e.into()))?;
        let index = Index::create(dir, schema(), tantivy::IndexSettings::default())
            .map_err(|e| Error::index(path, e))?;
        Self::from_index(index, path)
    }

    /// Opens an existing index.
    pub fn open(path: impl AsRef<Path>) -> Result<Engine> {
        let path = path.as_ref();
        if !path.join("meta.json").is_file() {
            return Err(Error::NotAnIndex { path: path.to_owned() });
        }
        let index = Index::open_in_dir(path).map_err(|_| Error::NotAnIndex { path: path.to_owned() })?;
        let engine = Self::from_index(index, path)?;
        match engine.manifest() {
            Ok(m) if m.version == FORMAT_VERSION => Ok(engine),
            _ => Err(Error::NotAnIndex { path: path.to_owned() }),
        }
    }

    fn from_index(index: Index, path: &Path) -> Result<Engine> {
        let fields = Fields::from_schema(&index.schema()).ok_or_else(|| Error::NotAnIndex { path: path.to_owned() })?;
        index.tokenizers().register(ANALYZER_NAME, analysis::french_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| Error::index(path, e))?;
        Ok(Engine { index, path: path.to_owned(), reader, fields })
    }

    /// Whether `path` holds an index written by aes-search in another format.
    fn is_older_format(path: &Path) -> bool {
        let Ok(index) = Index::open_in_dir(path) else { return false };
        let Ok(meta) = index.load_metas() else { return false };
        meta.payload
            .and_then(|p| serde_json::from_str::<Manifest>(&p).ok())
            .is_some_and(|m| m.format == "aes-search" && m.version != FORMAT_VERSION)
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
        self.reader.reload().map_err(|e| Error::index(&self.path, e))
    }

    pub(crate) fn manifest(&self) -> Result<Manifest> {
        let meta = self.index.load_metas().map_err(|e| Error::index(&self.path, e))?;
        match meta.payload {
            None => Ok(Manifest::new()),
            Some(payload) => serde_json::from_str(&payload)
                .map_err(|_| Error::NotAnIndex { path: self.path.clone() }),
        }
    }

    /// Number of passages in the last committed state.
    pub fn num_passages(&self) -> u64 {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(Term::from_field_text(self.fields.kind, KIND_PASSAGE), IndexRecordOption::Basic);
        searcher.search(&query, &Count).map_or(0, |n| n as u64)
    }

    /// Whether the index holds exactly the files of `sources` as they are now (compared by
    /// name, size and modification time; nothing is read).
    pub fn is_up_to_date(&self, sources: &[Source], options: &SyncOptions) -> Result<bool> {
        let manifest = self.manifest()?;
        let listing = list_sources(sources, options)?;
        if listing.files.len() != manifest.files.len() {
            return Ok(false);
        }
        Ok(listing.files.iter().all(|f| {
            manifest.files.get(&f.key).is_some_and(|e| e.size == f.size && e.mtime_ns == f.mtime_ns)
        }))
    }

    /// Brings the index in line with `sources`: adds new files, replaces changed ones, removes
    /// those that are gone, and leaves the rest alone; then commits once.
    ///
    /// Bad files are reported in [`SyncReport::skipped`] and do not stop the sync.
    pub fn sync(&self, sources: &[Source], options: &SyncOptions) -> Result<SyncReport> {
        let started = Instant::now();
        let mut writer = self.writer()?;
        let result = self.sync_with(&mut writer, sources, options);
        let _ = std::fs::remove_file(self.path.join(PID_FILE));
        let mut report = result?;
        writer.wait_merging_threads().map_err(|e| Error::index(&self.path, e))?;
        self.reload()?;
        report.passages = self.num_passages();
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Shorthand for [`Engine::sync`] on folders.
    pub fn sync_folders<P: AsRef<Path>>(&self, folders: &[P], options: &SyncOptions) -> Result<SyncReport> {
        let sources: Vec<Source> = folders.iter().map(|f| Source::Folder(f.as_ref().to_owned())).collect();
        self.sync(&sources, options)
    }

    fn writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        match self.index.writer_with_num_threads(threads, WRITER_MEMORY) {
            Ok(writer) => {
                let _ = std::fs::write(self.path.join(PID_FILE), std::process::id().to_string());
                Ok(writer)
            }
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                let pid = std::fs::read_to_string(self.path.join(PID_FILE)).ok().and_then(|s| s.trim().parse().ok());
                Err(Error::Locked { path: self.path.clone(), pid })
            }
            Err(e) => Err(Error::index(&self.path, e)),
        }
    }

    fn sync_with(&self, writer: &mut IndexWriter, sources: &[Source], options: &SyncOptions) -> Result<SyncReport> {
        let old = self.manifest()?;
        let listing = list_sources(sources, options)?;
        let mut report = SyncReport { ignored: listing.ignored, skipped: listing.skipped, ..SyncReport::default() };
        let f = self.fields;
        if options.full {
            writer.delete_all_documents().map_err(|e| Error::index(&self.path, e))?;
        }
        let old_files = if options.full { BTreeMap::new() } else { old.files.clone() };

        // 1. Which files must be read: new, or changed in size or mtime.
        let (unchanged_listing, to_read): (Vec<_>, Vec<_>) = listing.files.iter().partition(|lf| {
            old_files.get(&lf.key).is_some_and(|e| e.size == lf.size && e.mtime_ns == lf.mtime_ns)
        });
        let mut new_files: BTreeMap<String, FileEntry> = unchanged_listing
            .iter()
            .filter_map(|lf| old_files.get(&lf.key).map(|e| (lf.key.clone(), e.clone())))
            .collect();

        // 2. Read and hash them (in parallel); keep the text of those whose content changed.
        let progress = ProgressCounter::new(options, to_read.iter().map(|lf| lf.size).sum(), to_read.len() as u64);
        let reads: Vec<(&ListedFile, Result<Vec<u8>>)> = to_read
            .par_iter()
            .map(|lf| {
                let bytes = read_limited(&lf.path, options.max_file_size);
                progress.advance(lf.size);
                (*lf, bytes)
            })
            .collect();
        let mut fresh: HashMap<String, Vec<u8>> = HashMap::new();
        for (lf, bytes) in reads {
            match bytes {
                Ok(bytes) => {
                    let hash = blake3::hash(&bytes).to_hex().to_string();
                    new_files.insert(lf.key.clone(), FileEntry { size: lf.size, mtime_ns: lf.mtime_ns, hash, jsonl: lf.jsonl });
                    fresh.insert(lf.key.clone(), bytes);
                }
                Err(e) => {
                    let kept = old_files.get(&lf.key).cloned();
                    report.skipped.push(Skipped { path: lf.key.clone(), reason: reason_of(&e), kept_previous: kept.is_some() });
                    if let Some(entry) = kept {
                        new_files.insert(lf.key.clone(), entry);
                    }
                }
            }
        }

        // 3. Group by content: one article per distinct content, named by its first path.
        let old_groups = primaries(&old_files);
        let new_groups = primaries(&new_files);
        let old_primary_of_hash: HashMap<&str, &str> = old_groups.iter().map(|(h, p)| (h.as_str(), p[0].as_str())).collect();
        let new_primary_paths: HashSet<&str> = new_groups.values().map(|p| p[0].as_str()).collect();
        let old_primary_paths: HashSet<&str> = old_groups.values().map(|p| p[0].as_str()).collect();

        for path in &old_primary_paths {
            let same = old_files.get(*path).and_then(|e| new_groups.get(&e.hash)).is_some_and(|p| p[0] == *path);
            if !same {
                writer.delete_term(Term::from_field_text(f.file, path));
                if !new_primary_paths.contains(path) {
                    report.removed += 1;
                }
            }
        }
        let mut to_index: Vec<(String, bool)> = Vec::new(); // (primary path, is jsonl)
        for (hash, paths) in &new_groups {
            let primary = paths[0].as_str();
            if old_primary_of_hash.get(hash.as_str()) == Some(&primary) {
                report.unchanged += 1;
                continue;
            }
            if old_primary_paths.contains(primary) {
                report.updated += 1;
            } else {
                report.added += 1;
            }
            if paths.len() > 1 {
                report.duplicates.push(paths.clone());
            }
            to_index.push((primary.to_string(), new_files[primary].jsonl));
        }
        report.unchanged += new_files.len().saturating_sub(new_groups.len()).saturating_sub(
            report.duplicates.iter().map(|d| d.len() - 1).sum::<usize>(),
        );

        // 4. Texts of the articles to index (files read above, or read now for renames).
        let mut texts: Vec<(String, std::result::Result<String, Error>)> = to_index
            .par_iter()
            .filter(|(_, jsonl)| !jsonl)
            .map(|(path, _)| {
                let text = match fresh.get(path) {
                    Some(bytes) => article::text_from_bytes(Path::new(path), bytes),
                    None => article::read_text(Path::new(path), options.max_file_size),
                };
                (path.clone(), text)
            })
            .collect();
        let mut failed: Vec<String> = Vec::new();
        texts.retain(|(path, text)| match text {
            Ok(_) => true,
            Err(e) => {
                report.skipped.push(Skipped { path: path.clone(), reason: reason_of(e), kept_previous: false });
                failed.push(path.clone());
                false
            }
        });
        for path in &failed {
            // Not indexable content: do not count it as added, and forget it so it is retried.
            new_files.remove(path);
            if report.added > 0 {
                report.added -= 1;
            }
        }

        // 5. Furniture: lines in this batch counted with the articles already indexed.
        let searcher = self.reader.searcher();
        let mut batch_counts: HashMap<u64, u64> = HashMap::new();
        let prints: Vec<Vec<u64>> = texts
            .par_iter()
            .map(|(_, t)| t.as_ref().map(|t| clean::line_fingerprints(t)).unwrap_or_default())
            .collect();
        for p in &prints {
            for &fp in p {
                *batch_counts.entry(fp).or_default() += 1;
            }
        }
        let mut recurring: HashSet<u64> = HashSet::new();
        let mut newly_recurring: Vec<u64> = Vec::new();
        let index_empty = options.full || searcher.num_docs() == 0;
        for (&fp, &count) in &batch_counts {
            let indexed = if index_empty { 0 } else { self.articles_with_line(fp)? };
            if indexed + count >= RECURRING_MIN_ARTICLES {
                recurring.insert(fp);
                if indexed > 0 && indexed < RECURRING_MIN_ARTICLES {
                    newly_recurring.push(fp);
                }
            }
        }
        if !index_empty {
            // Lines of this batch already known as furniture from earlier articles.
            for (&fp, _) in &batch_counts {
                if !recurring.contains(&fp) && self.articles_with_line(fp)? >= RECURRING_MIN_ARTICLES {
                    recurring.insert(fp);
                }
            }
        }
        let known = IndexFurniture { engine: self, batch: &recurring };

        // Articles indexed earlier that hold a line that has just become furniture.
        let indexing: HashSet<&str> = texts.iter().map(|(p, _)| p.as_str()).collect();
        let mut reclean: Vec<String> = Vec::new();
        for fp in newly_recurring {
            for path in self.files_with_line(fp)? {
                let still_there = new_files.contains_key(&path)
                    && new_primary_paths.contains(path.as_str())
                    && !indexing.contains(path.as_str());
                if still_there && !reclean.contains(&path) {
                    reclean.push(path);
                }
            }
        }
        for path in &reclean {
            match article::read_text(Path::new(path), options.max_file_size) {
                Ok(text) => {
                    writer.delete_term(Term::from_field_text(f.file, path));
                    texts.push((path.clone(), Ok(text)));
                    report.recleaned += 1;
                }
                Err(e) => report.skipped.push(Skipped { path: path.clone(), reason: reason_of(&e), kept_previous: true }),
            }
        }

        // 6. Clean, split and add (in parallel with tantivy's own indexing threads).
        let writer_ref: &IndexWriter = writer;
        let errors: Mutex<Vec<TantivyError>> = Mutex::new(Vec::new());
        texts.par_iter().for_each(|(path, text)| {
            let Ok(text) = text else { return };
            let hash = &new_files[path].hash;
            for doc in article_documents(&f, path, hash, text, &known) {
                if let Err(e) = writer_ref.add_document(doc) {
                    errors.lock().unwrap_or_else(|p| p.into_inner()).push(e);
                }
            }
        });
        if let Some(e) = errors.into_inner().unwrap_or_else(|p| p.into_inner()).into_iter().next() {
            return Err(Error::index(&self.path, e));
        }

        // JSON Lines sources.
        for (path, _) in to_index.iter().filter(|(_, jsonl)| *jsonl) {
            self.add_jsonl(writer, path, &mut report)?;
        }

        // 7. One commit: documents and manifest together.
        let manifest = Manifest { files: new_files, ..Manifest::new() };
        if manifest.files != old.files || options.full || report.changed() {
            let payload = serde_json::to_string(&manifest).map_err(|e| Error::io(&self.path, e.into()))?;
            let mut prepared = writer.prepare_commit().map_err(|e| Error::index(&self.path, e))?;
            prepared.set_payload(&payload);
            prepared.commit().map_err(|e| Error::index(&self.path, e))?;
        }
        Ok(report)
    }

    fn add_jsonl(&self, writer: &IndexWriter, path: &str, report: &mut SyncReport) -> Result<()> {
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
        let content = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        for (n, line) in content.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let parsed: Line = match serde_json::from_str(line) {
                Ok(l) => l,
                Err(e) => {
                    let err = Error::Jsonl { path: path.into(), line: n + 1, message: e.to_string() };
                    report.skipped.push(Skipped { path: format!("{path}:{}", n + 1), reason: err.to_string(), kept_previous: false });
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
            writer.add_document(d).map_err(|e| Error::index(&self.path, e))?;
        }
        Ok(())
    }

    /// Number of indexed articles that contain the line with this fingerprint.
    fn articles_with_line(&self, fingerprint: u64) -> Result<u64> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(line_term(&self.fields, fingerprint), IndexRecordOption::Basic);
        searcher.search(&query, &Count).map(|n| n as u64).map_err(|e| Error::index(&self.path, e))
    }

    fn files_with_line(&self, fingerprint: u64) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(line_term(&self.fields, fingerprint), IndexRecordOption::Basic);
        let docs = searcher.search(&query, &DocSetCollector).map_err(|e| Error::index(&self.path, e))?;
        let mut files = Vec::new();
        for address in docs {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| Error::index(&self.path, e))?;
            if let Some(file) = doc.get_first(self.fields.file).and_then(|v| v.as_str()) {
                files.push(file.to_string());
            }
        }
        Ok(files)
    }

    /// Cleans a file with what this index has learned about recurring furniture.
    pub fn clean_file(&self, path: &Path, options: &SyncOptions) -> Result<clean::CleanedArticle> {
        let text = article::read_text(path, options.max_file_size)?;
        let none = HashSet::new();
        Ok(clean::clean(&text, &IndexFurniture { engine: self, batch: &none }))
    }
}

fn line_term(fields: &Fields, fingerprint: u64) -> Term {
    Term::from_field_text(fields.lines, &format!("{fingerprint:016x}"))
}

/// Furniture known from the index, plus what the current batch shows.
struct IndexFurniture<'a> {
    engine: &'a Engine,
    batch: &'a HashSet<u64>,
}

impl KnownFurniture for IndexFurniture<'_> {
    fn is_recurring(&self, fingerprint: u64) -> bool {
        self.batch.contains(&fingerprint)
            || self.engine.articles_with_line(fingerprint).is_ok_and(|n| n >= RECURRING_MIN_ARTICLES)
    }
}

/// The documents of one article file: one per passage, and one that carries its line prints.
fn article_documents(f: &Fields, path: &str, hash: &str, text: &str, known: &dyn KnownFurniture) -> Vec<TantivyDocument> {
    let article_id = &hash[..16];
    let cleaned = clean::clean(text, known);
    let mut docs = Vec::new();
    let mut marker = doc!(f.kind => KIND_ARTICLE, f.article_id => article_id, f.file => path);
    for fp in clean::line_fingerprints(text) {
        marker.add_text(f.lines, format!("{fp:016x}"));
    }
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

/// Content hash → the paths holding it, sorted; the first is the one indexed.
fn primaries(files: &BTreeMap<String, FileEntry>) -> BTreeMap<String, Vec<String>> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, entry) in files {
        let key = if entry.jsonl { format!("jsonl:{path}:{}", entry.hash) } else { entry.hash.clone() };
        groups.entry(key).or_default().push(path.clone());
    }
    groups
}

fn reason_of(e: &Error) -> String {
    match e {
        Error::Io { source, .. } => source.to_string(),
        Error::Binary { .. } => "binary file, not text".into(),
        Error::Empty { .. } => "empty file".into(),
        Error::TooLarge { size, limit, .. } => format!("{size} bytes, over the limit of {limit} bytes"),
        other => other.to_string(),
    }
}

fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > max {
        return Err(Error::TooLarge { path: path.to_owned(), size: bytes.len() as u64, limit: max });
    }
    Ok(bytes)
}

struct ProgressCounter<'a> {
    callback: Option<&'a (dyn Fn(Progress) + Send + Sync)>,
    state: Mutex<Progress>,
}

impl<'a> ProgressCounter<'a> {
    fn new(options: &'a SyncOptions, bytes_total: u64, files_total: u64) -> Self {
        ProgressCounter {
            callback: options.progress.as_deref(),
            state: Mutex::new(Progress { files_total, bytes_total, ..Progress::default() }),
        }
    }

    fn advance(&self, bytes: u64) {
        if let Some(callback) = self.callback {
            let snapshot = {
                let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
                s.files_done += 1;
                s.bytes_done += bytes;
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

/// Walks the folders (hidden entries skipped, symlinks followed, loops reported).
fn list_sources(sources: &[Source], options: &SyncOptions) -> Result<Listing> {
    let mut listing = Listing::default();
    let mut seen = HashSet::new();
    for source in sources {
        let (root, jsonl) = match source {
            Source::Folder(p) => (p, false),
            Source::Jsonl(p) => (p, true),
        };
        if jsonl {
            let meta = std::fs::metadata(root).map_err(|e| Error::io(root, e))?;
            let key = root.to_string_lossy().into_owned();
            if seen.insert(key.clone()) {
                listing.files.push(ListedFile { key, path: root.clone(), size: meta.len(), mtime_ns: mtime_ns(&meta), jsonl });
            }
            continue;
        }
        if !root.is_dir() {
            return Err(Error::NoSuchFolder { path: root.clone() });
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        e.io_error().map_or_else(|| e.to_string(), ToString::to_string)
                    };
                    listing.skipped.push(Skipped { path, reason, kept_previous: false });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let ext = entry.path().extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            if !options.extensions.iter().any(|x| *x == ext) {
                listing.ignored += 1;
                continue;
            }
            let key = entry.path().to_string_lossy().into_owned();
            if !seen.insert(key.clone()) {
                continue;
            }
            match entry.metadata() {
                Ok(meta) => listing.files.push(ListedFile {
                    key,
                    path: entry.path().to_owned(),
                    size: meta.len(),
                    mtime_ns: mtime_ns(&meta),
                    jsonl: false,
                }),
                Err(e) => listing.skipped.push(Skipped { path: key, reason: e.to_string(), kept_previous: false }),
            }
        }
    }
    Ok(listing)
}

fn mtime_ns(meta: &std::fs::Metadata) -> u128 {
    meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos())
}
