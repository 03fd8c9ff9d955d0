//! What the server answers from: the embedded index, or an OpenSearch cluster
//! (`serve --opensearch URL`). The handlers ask this one type and never which backend it is;
//! what differs (answers kept per committed state, commits of other processes followed, how
//! much of an article can be shown) is decided here.

use std::path::Path;

#[cfg(feature = "opensearch")]
use aes_search::opensearch::{DroppedLines, OpenSearch};
use aes_search::{
    ArticleView, Engine, Result, SearchOptions, SearchOutcome, Source, SyncOptions, SyncReport,
};

/// Searches that may wait on the cluster at once, per core: a search there costs this
/// machine little but the wait, so one per core would leave the cluster idle.
#[cfg(feature = "opensearch")]
const CLUSTER_SEARCHES_PER_CORE: usize = 8;

/// The index the server searches.
pub enum Backend {
    Embedded(Box<Engine>),
    #[cfg(feature = "opensearch")]
    Cluster(OpenSearch),
}

/// An article as the server shows it.
pub struct Shown {
    pub view: ArticleView,
    /// Why the dropped lines are not there, when they should be.
    pub partial: Option<Partial>,
}

/// Why an article is shown as the passages the cluster holds, without its dropped lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// A build without the cluster never shows an article in part.
#[cfg_attr(not(feature = "opensearch"), allow(dead_code))]
pub enum Partial {
    /// Not under the corpus, gone, or another machine's.
    FileUnreadable,
    /// Its content is no longer the one indexed.
    FileChanged,
}

impl Partial {
    /// For the API's `notice`; names no path.
    pub fn describe(self) -> &'static str {
        match self {
            Partial::FileUnreadable => {
                "the article's file cannot be read by this server: the passages the cluster \
                 holds are shown, without the lines the cleaner dropped"
            }
            Partial::FileChanged => {
                "the article's file has changed since it was indexed: the passages the \
                 cluster holds are shown, without the lines the cleaner dropped"
            }
        }
    }
}

impl Backend {
    pub fn search_with_notices(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchOutcome> {
        match self {
            Backend::Embedded(engine) => engine.search_with_notices(query, options),
            #[cfg(feature = "opensearch")]
            Backend::Cluster(cluster) => cluster.search_with_notices(query, options),
        }
    }

    /// The committed state that answers may be kept for (see `cache.rs`), or `None` when no
    /// answer may be kept.
    ///
    /// The cluster has no generation this server could read for free: other machines feed it,
    /// and asking it what changed costs a round trip, about as much as the search itself. An
    /// expiry would show a search answered before another machine's sync for as long as it
    /// lasts, so nothing is kept; the cluster's own caches (filters, shard requests) still work.
    pub fn generation(&self) -> Option<u64> {
        match self {
            Backend::Embedded(engine) => Some(engine.generation()),
            #[cfg(feature = "opensearch")]
            Backend::Cluster(_) => None,
        }
    }

    /// The article with this id, its file read again under `corpus` where the backend needs.
    pub fn article(&self, id: &str, corpus: &Path) -> Result<Option<Shown>> {
        let options = SyncOptions::default();
        match self {
            Backend::Embedded(engine) => {
                let _ = corpus; // the index names its files itself
                let shown = |view| Shown {
                    view,
                    partial: None,
                };
                Ok(engine.article(id, &options)?.map(shown))
            }
            #[cfg(feature = "opensearch")]
            Backend::Cluster(cluster) => {
                let Some(found) = cluster.article(id, corpus, &options)? else {
                    return Ok(None);
                };
                let partial = match found.dropped_lines {
                    DroppedLines::Listed | DroppedLines::NotCleaned => None,
                    DroppedLines::FileUnreadable => Some(Partial::FileUnreadable),
                    DroppedLines::FileChanged => Some(Partial::FileChanged),
                };
                Ok(Some(Shown {
                    view: found.view,
                    partial,
                }))
            }
        }
    }

    /// Articles and passages held.
    pub fn counts(&self) -> Result<(u64, u64)> {
        match self {
            Backend::Embedded(engine) => Ok((engine.num_articles(), engine.num_passages())),
            #[cfg(feature = "opensearch")]
            Backend::Cluster(cluster) => Ok((cluster.num_articles()?, cluster.num_passages()?)),
        }
    }

    pub fn sync(&self, sources: &[Source], options: &SyncOptions) -> Result<SyncReport> {
        match self {
            Backend::Embedded(engine) => engine.sync(sources, options),
            #[cfg(feature = "opensearch")]
            Backend::Cluster(cluster) => cluster.sync(sources, options),
        }
    }

    /// Refuses a sync at once when another process writes the embedded index; the cluster
    /// takes writes from several machines, so nothing is held there.
    pub fn check_writer_free(&self) -> Result<()> {
        match self {
            Backend::Embedded(engine) => engine.check_writer_free(),
            #[cfg(feature = "opensearch")]
            Backend::Cluster(_) => Ok(()),
        }
    }

    /// The embedded index, whose commits the server follows and whose folder the corpus
    /// watcher ignores; `None` for the cluster.
    pub fn engine(&self) -> Option<&Engine> {
        match self {
            Backend::Embedded(engine) => Some(engine),
            #[cfg(feature = "opensearch")]
            Backend::Cluster(_) => None,
        }
    }

    /// Searches run at once: one per core where they are this machine's work.
    pub fn parallel_searches(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        match self {
            Backend::Embedded(_) => cores,
            #[cfg(feature = "opensearch")]
            Backend::Cluster(_) => cores * CLUSTER_SEARCHES_PER_CORE,
        }
    }
}
