//! The index on disk: an [`Engine`] opens, creates and locks it; the files beside this one
//! each do one step of keeping it in line with folders of articles.
//!
//! | file | job |
//! |---|---|
//! | `schema` | the tantivy fields and how they are analysed |
//! | `manifest` | what the index holds, written with each commit |
//! | `listing` | the sources' files, with size and modification time |
//! | `read` | one file's bytes, hash and line fingerprints |
//! | `furniture` | lines recurring across articles, counted in the index |
//! | `documents` | the passage documents of an article or a JSON Lines file |
//! | `report` | the options and the report of a sync |
//! | `sync` | the steps of a sync, committed once |
//! | `view` | one article by its id, kept and dropped lines |

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tantivy::collector::Count;
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK};
use tantivy::index::SegmentId;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError, Term};

pub(crate) use self::listing::list_sources;
use self::manifest::Header;
use self::schema::{DOCSTORE_BLOCK_BYTES, KIND_ARTICLE, KIND_PASSAGE};
use crate::analysis;
use crate::analysis::ANALYZER_NAME;
use crate::error::{Error, Result};
use crate::rank::bounds::Bounds;

mod damage;
mod documents;
mod export;
mod furniture;
mod groups;
mod listing;
mod manifest;
mod read;
mod report;
mod schema;
mod sync;
mod view;

pub use export::IndexedArticle;
pub use report::{
    Progress, SkipReason, Skipped, Source, SyncOptions, SyncReport, DEFAULT_MAX_FILE_SIZE,
};
pub(crate) use schema::Fields;
pub use view::ArticleView;
#[cfg(feature = "opensearch")]
pub(crate) use {listing::ListedFile, read::reason_of};

/// Format of the manifest and schema (4: fast columns of date and source; 5: near-duplicate
/// fingerprints; 6: the words of dropped lines); an index with another version is rebuilt.
const FORMAT_VERSION: u32 = 6;

const WRITER_MEMORY: usize = 200_000_000;

const PID_FILE: &str = ".aes-search-writer.pid";

/// An aes-search index on disk.
pub struct Engine {
    index: Index,
    path: PathBuf,
    reader: IndexReader,
    fields: Fields,
    bounds: Bounds,
    /// Held while a reload reads `meta.json` and swaps the searcher: two at once (a sync's
    /// and a server's check) could otherwise swap in the older state last.
    reloading: Mutex<()>,
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
                Err(Error::NotAnIndex { .. } | Error::Damaged { .. })
                    if Self::is_older_format(path) => {}
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
        let index =
            Index::create(dir, schema::schema(), settings).map_err(|e| Error::index(path, e))?;
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
        let index = Index::open_in_dir(path).map_err(|e| damage::unopenable(path, e))?;
        if Self::is_older_format(path) {
            // A cache of its sources in another layout: rebuilt, not read.
            return Err(Error::Damaged {
                path: path.to_owned(),
                message: format!(
                    "written by another version of aes-search; this one reads format {FORMAT_VERSION}"
                ),
            });
        }
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
        damage::check_segment_files(&index, path)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| damage::unopenable(path, e))?;
        Ok(Engine {
            index,
            path: path.to_owned(),
            reader,
            fields,
            bounds: Bounds::new(path),
            reloading: Mutex::new(()),
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

    /// The reader of the last commit loaded (see [`Engine::reload`]).
    pub(crate) fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// The schema's fields.
    pub(crate) fn fields(&self) -> Fields {
        self.fields
    }

    /// Which committed state searches see: a number that grows with every reload that changes
    /// it, for caches of what a state answers.
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    /// The score bounds of the index's segments.
    pub(crate) fn bounds(&self) -> &Bounds {
        &self.bounds
    }

    /// The folder of the index.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the latest commit visible to searches (another process may have written it).
    pub fn reload(&self) -> Result<()> {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(|p| p.into_inner());
        self.reload_now()
    }

    fn reload_now(&self) -> Result<()> {
        self.reader
            .reload()
            .map_err(|e| Error::index(&self.path, e))
    }

    /// Reloads when the committed segments (or their deletions) differ from those searched,
    /// as after another process's commit or merge; says whether it did. Reading `meta.json` is
    /// all it costs otherwise, so a long-lived server can ask often; a failed reload leaves
    /// searches on the state they had.
    pub fn reload_if_changed(&self) -> Result<bool> {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(|p| p.into_inner());
        let metas = self
            .index
            .load_metas()
            .map_err(|e| Error::index(&self.path, e))?;
        let committed: HashSet<(SegmentId, u32)> = metas
            .segments
            .iter()
            .map(|s| (s.id(), s.num_deleted_docs()))
            .collect();
        let searched: HashSet<(SegmentId, u32)> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|r| (r.segment_id(), r.num_deleted_docs()))
            .collect();
        if committed == searched {
            return Ok(false);
        }
        self.reload_now()?;
        Ok(true)
    }

    /// Fails with [`Error::Locked`] when another writer holds the index now (it may take it
    /// right after: a sync still answers `Locked` then), so that a caller can refuse at once
    /// what would fail.
    pub fn check_writer_free(&self) -> Result<()> {
        match self.index.directory().acquire_lock(&INDEX_WRITER_LOCK) {
            Ok(_released_on_drop) => Ok(()),
            Err(LockError::LockBusy) => Err(self.locked()),
            Err(e) => Err(Error::index(&self.path, TantivyError::LockFailure(e, None))),
        }
    }

    /// Number of passages in the last committed state.
    pub fn num_passages(&self) -> u64 {
        self.count_of_kind(KIND_PASSAGE)
    }

    /// Number of articles read from files in the last committed state (each passage of a JSON
    /// Lines file is an article of its own, counted by [`Engine::num_passages`] only).
    ///
    /// ```
    /// # fn main() -> aes_search::Result<()> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let corpus = dir.path().join("corpus");
    /// # std::fs::create_dir(&corpus).unwrap();
    /// # std::fs::write(corpus.join("a.txt"), "Le projet de monnaie commune\n\nLes États du Sahel préparent une monnaie sahélienne commune pour leur confédération.").unwrap();
    /// use aes_search::{Engine, SyncOptions};
    /// let engine = Engine::open_or_create(dir.path().join("index"))?;
    /// assert_eq!(engine.num_articles(), 0);
    /// engine.sync_folders(&[&corpus], &SyncOptions::default())?;
    /// assert_eq!(engine.num_articles(), 1);
    /// # Ok(()) }
    /// ```
    pub fn num_articles(&self) -> u64 {
        self.count_of_kind(KIND_ARTICLE)
    }

    fn count_of_kind(&self, kind: &str) -> u64 {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, kind),
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
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => Err(self.locked()),
            Err(e) => Err(Error::index(&self.path, e)),
        }
    }

    /// The writer lock is taken: by whom, when it left its pid.
    fn locked(&self) -> Error {
        let pid = std::fs::read_to_string(self.path.join(PID_FILE))
            .ok()
            .and_then(|s| s.trim().parse().ok());
        Error::Locked {
            path: self.path.clone(),
            pid,
        }
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
}
