//! The JSON API: search (the hit schema of `--json`, without the file path), one article by its
//! id, health, stats, and the sync that only the admin token may start or watch. Parameters are
//! read by hand so that every bad one is a JSON 400 naming it.

use std::collections::HashMap;
use std::sync::Arc;

use aes_search::{
    Error, Progress, SearchOptions, SearchOutcome, Sort, Source, SyncOptions, SyncReport,
};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::backend::Shown;
use super::{cache, now, ApiError, LastSync, Shared, MAX_LIMIT, MAX_OFFSET, REQUEST_TIMEOUT};

/// The OpenAPI 3 document of this API.
const OPENAPI: &str = include_str!("assets/openapi.json");

/// Longest article id looked up (ids are hex digits, or a JSON Lines line's own).
const MAX_ID_CHARS: usize = 200;

/// A search's parameters, as the page and the API take them.
pub struct SearchRequest {
    pub q: String,
    pub options: SearchOptions,
}

impl SearchRequest {
    /// Reads `q`, `limit`, `offset`, `per_article`, `sort`, `source`, `since`, `until`.
    pub fn from_params(params: &HashMap<String, String>) -> Result<SearchRequest, ApiError> {
        let number = |name: &str, default: usize, range: std::ops::RangeInclusive<usize>| {
            let Some(text) = params.get(name).filter(|t| !t.is_empty()) else {
                return Ok(default);
            };
            match text.trim().parse::<usize>() {
                Ok(n) if range.contains(&n) => Ok(n),
                _ => Err(ApiError::bad_request(format!(
                    "{name} must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ))),
            }
        };
        let sort = match params.get("sort").map(String::as_str) {
            None | Some("") | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(_) => return Err(ApiError::bad_request("sort must be relevance or date")),
        };
        let text = |name: &str| params.get(name).filter(|t| !t.trim().is_empty()).cloned();
        Ok(SearchRequest {
            q: params.get("q").cloned().unwrap_or_default(),
            options: SearchOptions {
                limit: number("limit", 10, 1..=MAX_LIMIT)?,
                offset: number("offset", 0, 0..=MAX_OFFSET)?,
                per_article: number("per_article", 2, 1..=MAX_LIMIT)?,
                sort,
                facets: true,
                source: text("source"),
                since: text("since"),
                until: text("until"),
                ..SearchOptions::default()
            },
        })
    }
}

/// Runs a search on a blocking thread, within the time limit.
pub async fn run_search(state: &Shared, request: SearchRequest) -> Result<SearchOutcome, ApiError> {
    let generation = state.backend.generation();
    let answer = on_blocking_thread(state, move |state| {
        let mut options = request.options;
        options.synonyms = state.synonyms.clone();
        let key = cache::Key::facets(&request.q, &options);
        let known = generation
            .filter(|_| options.facets)
            .and_then(|g| state.facets.get(g, &key));
        options.facets &= known.is_none();
        let mut outcome = state.backend.search_with_notices(&request.q, &options)?;
        // A reload meanwhile: the search may have seen the newer state, so it is kept for none.
        let kept = generation.filter(|&g| state.backend.generation() == Some(g));
        match (known, &outcome.facets, kept) {
            (Some(facets), _, _) => outcome.facets = Some(facets),
            (None, Some(counted), Some(generation)) => {
                state.facets.put(generation, key, counted.clone(), 1);
            }
            _ => {}
        }
        Ok::<_, aes_search::Error>(outcome)
    });
    match answer.await {
        Ok(result) => Ok(result?),
        Err(Stopped::Panicked) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the search stopped unexpectedly",
        )),
        Err(Stopped::TimedOut) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the search took longer than {} s",
                REQUEST_TIMEOUT.as_secs()
            ),
        )),
    }
}

/// Why a job on a blocking thread gave no answer.
pub enum Stopped {
    Panicked,
    TimedOut,
}

/// Runs `job` on one of tokio's blocking threads once a core is free, within
/// [`REQUEST_TIMEOUT`] (the wait included).
///
/// Searches are CPU work: with one thread per request, 32 clients kept 32 searches sharing two
/// cores, each 16 times slower, and starved the runtime's own threads, which write the answers.
/// With one permit per core the others wait their turn as futures, which cost nothing. The
/// permit goes with the job, so that one still running after its timeout still holds a core.
pub async fn on_blocking_thread<T: Send + 'static>(
    state: &Shared,
    job: impl FnOnce(Shared) -> T + Send + 'static,
) -> Result<T, Stopped> {
    let state = Arc::clone(state);
    let work = async move {
        let permit = Arc::clone(&state.cores).acquire_owned().await;
        tokio::task::spawn_blocking(move || {
            let _core = permit;
            job(state)
        })
        .await
    };
    match tokio::time::timeout(REQUEST_TIMEOUT, work).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(_)) => Err(Stopped::Panicked),
        Err(_) => Err(Stopped::TimedOut),
    }
}

/// `GET /api/search`. The answer's bytes are kept for the committed state they were found on,
/// and so is a query refused (stop words only): the same search is then answered at once,
/// without waiting for a core.
pub async fn search(
    State(state): State<Shared>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let request = SearchRequest::from_params(&params)?;
    let key = cache::Key::search(&request.q, &request.options);
    let generation = state.backend.generation();
    let answer = match generation.and_then(|g| state.bodies.get(g, &key)) {
        Some(answer) => answer,
        None => {
            let answer = search_json(&state, request)
                .await
                .map(|json| Bytes::from(json.to_string()));
            // Not a timeout or a fault; nor a search that may have seen a newer state.
            let keep = answer
                .as_ref()
                .map_or_else(|e| e.status == StatusCode::BAD_REQUEST, |_| true);
            let kept = generation.filter(|&g| state.backend.generation() == Some(g));
            if let Some(generation) = kept.filter(|_| keep) {
                let weight = answer.as_ref().map_or(0, |body| body.len() / 1024) + 1;
                state.bodies.put(generation, key, answer.clone(), weight);
            }
            answer
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], answer?).into_response())
}

/// A search's answer, as `GET /api/search` gives it.
async fn search_json(state: &Shared, request: SearchRequest) -> Result<Value, ApiError> {
    let (q, limit, offset) = (
        request.q.clone(),
        request.options.limit,
        request.options.offset,
    );
    let outcome = run_search(state, request).await?;
    let facets = outcome.facets.unwrap_or_default();
    let mut hits = serde_json::to_value(&outcome.hits).unwrap_or_default();
    for hit in hits.as_array_mut().into_iter().flatten() {
        // Paths on the server's disk stay there: the article id names the article.
        if let Some(article) = hit.get_mut("article").and_then(Value::as_object_mut) {
            article.remove("path");
        }
    }
    let corrections: Vec<[&str; 2]> = outcome
        .corrections
        .iter()
        .map(|c| [c.from.as_str(), c.to.as_str()])
        .collect();
    Ok(json!({
        "query": q,
        "total": facets.total,
        "offset": offset,
        "limit": limit,
        "hits": hits,
        "notices": outcome.notices,
        "corrections": corrections,
        "expansions": outcome.expansions,
        "facets": {"sources": facets.sources, "months": facets.months},
    }))
}

/// Looks an article up by id on a blocking thread; an id that names none is a 404.
pub async fn find_article(state: &Shared, id: String) -> Result<Shown, ApiError> {
    let unknown = || ApiError::not_found("no article with this id");
    // Ids are looked up as index terms, never as paths; these cannot be ids of ours at all.
    if id.is_empty() || id.chars().count() > MAX_ID_CHARS || id.contains(['/', '\\', '\0']) {
        return Err(unknown());
    }
    let task = on_blocking_thread(state, move |state| {
        state.backend.article(&id, &state.corpus)
    });
    match task.await {
        Ok(Ok(Some(view))) => Ok(view),
        Ok(Ok(None)) => Err(unknown()),
        Ok(Err(Error::Io { .. } | Error::Binary { .. } | Error::Empty { .. })) => {
            Err(ApiError::new(
                StatusCode::GONE,
                "gone",
                "the article's file can no longer be read",
            ))
        }
        Ok(Err(e)) => Err(e.into()),
        _ => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "the article could not be read in time",
        )),
    }
}

/// `GET /api/articles/{id}`.
pub async fn article(
    State(state): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let Shown { view, partial } = find_article(&state, id).await?;
    let a = &view.article;
    let dropped: Vec<Value> = view
        .dropped
        .iter()
        .map(|d| {
            json!({"line": d.line, "text": d.text, "reason": d.reason,
                   "description": d.reason.describe()})
        })
        .collect();
    let mut body = json!({
        "article": {"id": a.id, "title": a.title, "date": a.date, "source": a.source},
        "paragraphs": view.paragraphs,
        "dropped": dropped,
    });
    if let Some(partial) = partial {
        body["notice"] = json!(partial.describe());
    }
    Ok(Json(body))
}

/// `GET /api/health`.
pub async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /api/stats`: counted on a blocking thread, since the cluster is asked over HTTP.
pub async fn stats(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    let counts = on_blocking_thread(&state, |state| state.backend.counts()).await;
    let (articles, passages) = match counts {
        Ok(counts) => counts?,
        Err(_) => {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the index could not be counted in time",
            ))
        }
    };
    let sync = state.sync.lock().unwrap_or_else(|p| p.into_inner());
    Ok(Json(json!({
        "articles": articles,
        "passages": passages,
        "sync_running": sync.running,
        "last_sync": sync.last.as_ref().map(last_sync),
    })))
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// Any other path.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such page")
}

/// `GET /api/sync`: where syncs stand (admin token only).
pub async fn sync_status(
    State(state): State<Shared>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers)?;
    let sync = state.sync.lock().unwrap_or_else(|p| p.into_inner());
    Ok(Json(json!({
        "running": sync.running,
        "started": sync.started,
        "progress": progress(&sync.progress),
        "last": sync.last.as_ref().map(last_sync),
    })))
}

/// `POST /api/sync`: brings the index in line with the corpus, in the background (admin token
/// only); 202 at once, then `GET /api/sync` tells.
pub async fn sync_start(
    State(state): State<Shared>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    authorize(&state, &headers)?;
    let status = if start_sync(&state)? {
        "started"
    } else {
        "queued"
    };
    Ok((StatusCode::ACCEPTED, Json(json!({"status": status}))))
}

/// Starts a sync on a thread of its own; when one runs, asks it to run once more and returns
/// false. Another process writing the index is [`Error::Locked`] at once, not a sync accepted
/// and failed in the background.
pub fn start_sync(state: &Shared) -> Result<bool, Error> {
    {
        let mut sync = state.sync.lock().unwrap_or_else(|p| p.into_inner());
        if sync.running {
            sync.again = true;
            return Ok(false);
        }
        // None of ours runs (the writer is released before `running` is cleared), so whoever
        // holds the lock is another process.
        state.backend.check_writer_free()?;
        sync.running = true;
        sync.started = Some(now());
        sync.progress = Progress::default();
    }
    let state = Arc::clone(state);
    std::thread::spawn(move || loop {
        let result = run_sync(&state);
        let mut sync = state.sync.lock().unwrap_or_else(|p| p.into_inner());
        sync.last = Some(LastSync {
            finished: now(),
            result,
        });
        if !std::mem::take(&mut sync.again) {
            sync.running = false;
            sync.started = None;
            break;
        }
        sync.started = Some(now());
    });
    Ok(true)
}

fn run_sync(state: &Shared) -> Result<SyncReport, String> {
    let progress_state = Arc::clone(state);
    let options = SyncOptions {
        progress: Some(Arc::new(move |p: Progress| {
            progress_state
                .sync
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .progress = p;
        })),
        ..SyncOptions::default()
    };
    let sources = [Source::Folder(state.corpus.clone())];
    state.backend.sync(&sources, &options).map_err(|e| {
        eprintln!("aes-search: sync: {}", super::errors::chain(&e));
        // The client sees what went wrong without the server's paths.
        match e {
            Error::Locked { .. } => "the index is being updated by another process".to_string(),
            Error::NoSuchFolder { .. } => "the corpus folder is gone".to_string(),
            Error::Cluster { .. } => {
                "the cluster could not be synced (see the server's log)".to_string()
            }
            _ => "the sync failed (see the server's log)".to_string(),
        }
    })
}

/// Refuses unless the server has an admin token and the request carries it.
fn authorize(state: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = &state.admin_token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "read_only",
            "this server is read-only: it was started without an admin token",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| blake3::hash(t.trim().as_bytes()));
    // `blake3::Hash` compares in constant time.
    if given.is_some_and(|g| g == *expected) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "give the admin token as Authorization: Bearer TOKEN",
        ))
    }
}

fn progress(p: &Progress) -> Value {
    json!({"files_done": p.files_done, "files_total": p.files_total,
           "bytes_done": p.bytes_done, "bytes_total": p.bytes_total})
}

/// The last sync, counts only (its report's lists name files).
fn last_sync(last: &LastSync) -> Value {
    match &last.result {
        Ok(r) => json!({
            "finished": last.finished,
            "ok": true,
            "report": {
                "added": r.added, "updated": r.updated, "removed": r.removed,
                "unchanged": r.unchanged, "recleaned": r.recleaned,
                "skipped": r.skipped.len(), "ignored": r.ignored,
                "passages": r.passages, "elapsed_ms": r.elapsed.as_millis() as u64,
            },
        }),
        Err(message) => json!({"finished": last.finished, "ok": false, "error": message}),
    }
}
