//! Which backend a subcommand talks to: the embedded index (the default) or an OpenSearch
//! cluster (`--opensearch URL`), behind one type so that `search`, `index` and `eval` print the
//! same whatever answers (`serve` holds its own, in the server).

use aes_search::{
    Engine, Hit, Result, SearchOptions, SearchOutcome, Source, SyncOptions, SyncReport,
};

use super::Places;

/// An OpenSearch cluster named on the command line.
#[derive(Debug, Clone)]
// A build without the backend reads only the address, to say it has no backend.
#[cfg_attr(not(feature = "opensearch"), allow(dead_code))]
pub struct Cluster {
    /// One node's address, or several separated by commas.
    pub url: String,
    /// The passage index's name.
    pub index: String,
    /// Shards and replicas of an index created by `index`.
    pub shards: u32,
    pub replicas: u32,
}

/// What answers searches.
pub enum Backend {
    Embedded(Box<Engine>),
    Cluster(Handle),
}

impl Backend {
    /// The backend of `places`: the cluster if one is named; else the embedded index, brought
    /// up to date with the corpus first when `fresh`.
    pub fn open(places: &Places, fresh: bool) -> Result<Backend> {
        match &places.cluster {
            Some(cluster) => connect(cluster).map(Backend::Cluster),
            None if fresh => super::open_fresh(places).map(|e| Backend::Embedded(Box::new(e))),
            None => Engine::open(&places.index).map(|e| Backend::Embedded(Box::new(e))),
        }
    }

    pub fn search_with_notices(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchOutcome> {
        match self {
            Backend::Embedded(engine) => engine.search_with_notices(query, options),
            Backend::Cluster(cluster) => cluster.search_with_notices(query, options),
        }
    }

    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<Vec<Hit>> {
        self.search_with_notices(query, options).map(|o| o.hits)
    }
}

/// Syncs the cluster's index with `sources`.
pub fn sync_cluster(
    cluster: &Cluster,
    sources: &[Source],
    options: &SyncOptions,
) -> Result<SyncReport> {
    connect(cluster)?.sync(sources, options)
}

#[cfg(feature = "opensearch")]
pub type Handle = aes_search::opensearch::OpenSearch;

#[cfg(feature = "opensearch")]
pub fn connect(cluster: &Cluster) -> Result<Handle> {
    use aes_search::opensearch::{Layout, OpenSearch};
    let layout = Layout {
        shards: cluster.shards,
        replicas: cluster.replicas,
    };
    OpenSearch::connect(&cluster.url, &cluster.index).map(|os| os.with_layout(layout))
}

/// A build without the backend has no cluster to hold.
#[cfg(not(feature = "opensearch"))]
pub enum Handle {}

#[cfg(not(feature = "opensearch"))]
impl Handle {
    fn search_with_notices(&self, _: &str, _: &SearchOptions) -> Result<SearchOutcome> {
        match *self {}
    }

    fn sync(&self, _: &[Source], _: &SyncOptions) -> Result<SyncReport> {
        match *self {}
    }
}

#[cfg(not(feature = "opensearch"))]
pub fn connect(cluster: &Cluster) -> Result<Handle> {
    Err(aes_search::Error::Cluster {
        url: cluster.url.clone(),
        message: "this aes-search was built without the OpenSearch backend (cargo feature \
                  `opensearch`)"
            .into(),
    })
}
