//! `aes-search serve`: the web page and the HTTP API over one [`Backend`] (the embedded index,
//! or an OpenSearch cluster), on axum and tokio. Searches run on tokio's blocking threads; on
//! the embedded index they see the last committed state: a sync (asked with the admin token, or
//! by the corpus watcher) commits and reloads, and another process's commits are loaded within
//! a second, so searches see either the state before a commit or after it, never between. On
//! the cluster, each search sees what the cluster has refreshed.
//!
//! | file | job |
//! |---|---|
//! | `backend` | the embedded index or the cluster, behind one type |
//! | `api` | the JSON handlers and the sync they start |
//! | `page` | the page at `/` and the article page, rendered on the server |
//! | `errors` | errors as JSON with their status |
//! | `cache` | the answers of a committed state, kept until the next |
//! | `follow` | loads the commits of other processes |
//! | `watch` | the corpus watcher behind `--watch` |
//! | `assets/` | the script, the style sheet and the OpenAPI document, embedded |

mod api;
mod backend;
mod cache;
mod errors;
mod follow;
mod page;
mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aes_search::Synonyms;
use aes_search::{Facets, Progress, SyncReport};
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub use backend::Backend;
pub use errors::ApiError;

/// Largest request body accepted (the API takes none; this bounds what a client can make us read).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Longest a search may take before the client gets a 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Facets of queries kept at most (each some hundreds of months and sources).
const MOST_FACETS: usize = 4_096;
/// Kilobytes of whole answers kept at most.
const MOST_ANSWER_KB: usize = 32 * 1024;
/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest page one request may ask for.
pub const MAX_OFFSET: usize = 1_000;

/// What `serve` needs, from the command line.
pub struct Config {
    pub addr: SocketAddr,
    /// The folder a sync brings the index in line with (on the cluster, also where an
    /// article's file is read again).
    pub corpus: PathBuf,
    /// Compared with the `Authorization: Bearer` of sync requests; none refuses them all.
    pub admin_token: Option<String>,
    /// Sync when the corpus changes.
    pub watch: bool,
    /// `None` for the shipped list.
    pub synonyms: Option<Arc<Synonyms>>,
}

/// What every handler shares.
pub struct State {
    pub backend: Backend,
    pub corpus: PathBuf,
    /// The token's hash: compared in constant time (`blake3::Hash`'s equality is).
    pub admin_token: Option<blake3::Hash>,
    pub synonyms: Option<Arc<Synonyms>>,
    pub sync: Mutex<SyncState>,
    /// Facets per query and filters, for every page of it (never filled on the cluster: see
    /// [`Backend::generation`]).
    pub facets: cache::Cache<Facets>,
    /// Whole answers of the API as sent (or the query's refusal), per query, filters and page.
    pub bodies: cache::Cache<Result<axum::body::Bytes, ApiError>>,
    /// One search or article read at a time per core, more on the cluster (see
    /// [`api::on_blocking_thread`] and [`Backend::parallel_searches`]).
    pub cores: Arc<tokio::sync::Semaphore>,
}

/// Where syncs stand.
#[derive(Default)]
pub struct SyncState {
    pub running: bool,
    /// Another was asked for while one ran: run once more when it ends.
    pub again: bool,
    pub progress: Progress,
    /// Seconds since the epoch when the running one started.
    pub started: Option<u64>,
    pub last: Option<LastSync>,
}

/// The outcome of the last sync that ended.
pub struct LastSync {
    /// Seconds since the epoch.
    pub finished: u64,
    pub result: std::result::Result<SyncReport, String>,
}

type Shared = Arc<State>;

/// Serves until the process is stopped (Ctrl-C ends it cleanly).
pub fn run(backend: Backend, config: Config) -> std::io::Result<()> {
    let cores = backend.parallel_searches();
    let state: Shared = Arc::new(State {
        backend,
        corpus: config.corpus,
        admin_token: config
            .admin_token
            .as_deref()
            .map(|t| blake3::hash(t.as_bytes())),
        synonyms: config.synonyms,
        sync: Mutex::new(SyncState::default()),
        facets: cache::Cache::new(MOST_FACETS),
        bodies: cache::Cache::new(MOST_ANSWER_KB),
        cores: Arc::new(tokio::sync::Semaphore::new(cores)),
    });
    follow::start(&state);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let bound = listener.local_addr()?;
        // Watching before the address is printed: a change made once it is read is seen.
        let _watcher = if config.watch {
            Some(watch::start(Arc::clone(&state))?)
        } else {
            None
        };
        // Tests and scripts read this line for the port chosen by `--addr 127.0.0.1:0`.
        println!("aes-search: listening on http://{bound}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}

/// Every route, with the limits and the headers that apply to all.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(page::home))
        .route("/articles/{id}", get(page::article))
        .route("/assets/app.js", get(page::script))
        .route("/assets/app.css", get(page::style))
        .route("/api/search", get(api::search))
        .route("/api/articles/{id}", get(api::article))
        .route("/api/health", get(api::health))
        .route("/api/stats", get(api::stats))
        .route("/api/sync", get(api::sync_status).post(api::sync_start))
        .route("/api/openapi.json", get(api::openapi))
        .fallback(api::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(refuse_large_bodies))
        .layer(axum::middleware::map_response(headers))
        .with_state(state)
}

/// A body announced larger than [`MAX_BODY_BYTES`] is refused before anything reads it (no
/// handler reads a body, so one sent without a length is never read at all).
async fn refuse_large_bodies(request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
        )
        .into_response();
    }
    next.run(request).await
}

/// Nothing loads from another host, and nothing is sniffed as another type.
async fn headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
             connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// Seconds since the epoch.
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
