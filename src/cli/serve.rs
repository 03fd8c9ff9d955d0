//! `aes-search serve`: opens the index (brought in line with the corpus first, as a search
//! does) or connects to the cluster of `--opensearch` (synced only when asked, or by
//! `--watch`, as `search` does not sync it either), and serves the page and the API until
//! stopped.

use std::net::SocketAddr;

use aes_search::{Error, Result};

use super::backend::{connect, Cluster};
use super::{open_fresh, synonyms, Places, Status};

pub struct Config {
    pub addr: SocketAddr,
    /// Whether a non-loopback address was asked for knowingly.
    pub public: bool,
    pub watch: bool,
    pub admin_token: Option<String>,
}

pub fn run(places: &Places, config: Config) -> Result<Status> {
    if !config.addr.ip().is_loopback() {
        if !config.public {
            eprintln!(
                "aes-search: {} is not a loopback address: other machines could reach the \
                 server (add --public to serve there anyway)",
                config.addr
            );
            return Ok(Status::Error);
        }
        eprintln!(
            "aes-search: warning: serving on {}, reachable from other machines; \
             the API is read-only{}",
            config.addr,
            if config.admin_token.is_some() {
                " except sync with the admin token (sent in clear over plain HTTP)"
            } else {
                ""
            }
        );
    }
    let backend = match &places.cluster {
        Some(cluster) => cluster_backend(cluster)?,
        None => crate::server::Backend::Embedded(Box::new(open_fresh(places)?)),
    };
    let server = crate::server::Config {
        addr: config.addr,
        corpus: places.corpus.clone(),
        admin_token: config.admin_token.filter(|t| !t.trim().is_empty()),
        watch: config.watch,
        synonyms: synonyms(places)?,
    };
    if config.watch && !places.corpus.is_dir() {
        return Err(Error::NoSuchFolder {
            path: places.corpus.clone(),
        });
    }
    crate::server::run(backend, server).map_err(|e| Error::Io {
        path: config.addr.to_string().into(),
        source: e,
    })?;
    Ok(Status::Success)
}

#[cfg(feature = "opensearch")]
fn cluster_backend(cluster: &Cluster) -> Result<crate::server::Backend> {
    connect(cluster).map(crate::server::Backend::Cluster)
}

/// Without the backend, [`connect`] says so and gives nothing to serve.
#[cfg(not(feature = "opensearch"))]
fn cluster_backend(cluster: &Cluster) -> Result<crate::server::Backend> {
    match connect(cluster)? {}
}
