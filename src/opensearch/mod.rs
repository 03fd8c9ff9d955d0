//! The OpenSearch backend: the same cleaner, passages, French analysis, query language and
//! [`Hit`]s as the embedded index, on a cluster that an organisation already runs.
//!
//! The wing, in the order of the data: `client.rs` (HTTP, retries, one-line errors),
//! `settings.rs` (the index settings that rebuild our analysis), `documents.rs` (a file → its
//! passage documents), `manifest.rs` (what the cluster holds, one small document per file),
//! `bulk.rs` (`_bulk` with backoff and per-document errors), `sync.rs` (the steps of a sync),
//! `dsl.rs` (the query language → the query DSL), `hits.rs` (answers → `Hit`) and `view.rs`
//! (one article by its id, for a reader).
//!
//! ```no_run
//! # fn main() -> aes_search::Result<()> {
//! use aes_search::opensearch::OpenSearch;
//! use aes_search::{SearchOptions, SyncOptions};
//!
//! let cluster = OpenSearch::connect("http://127.0.0.1:9200", "aes-search")?;
//! cluster.sync_folders(&["corpus"], &SyncOptions::default())?;
//! let hits = cluster.search("monnaie commune", &SearchOptions::default())?;
//! # Ok(()) }
//! ```

mod bulk;
mod client;
mod documents;
mod dsl;
mod hits;
mod manifest;
mod settings;
mod sync;
mod view;

use serde_json::{json, Value};

use crate::error::Result;
use crate::search::{missing, Hit, SearchOptions, SearchOutcome};
use client::{Client, Method};
pub use settings::Layout;
pub use view::{ClusterArticle, DroppedLines};

/// The index name used when none is given.
pub const DEFAULT_INDEX: &str = "aes-search";

/// An aes-search index on an OpenSearch cluster.
pub struct OpenSearch {
    client: Client,
    index: String,
    layout: Layout,
}

impl OpenSearch {
    /// Connects to the cluster at `url` (one node, or several separated by commas, each
    /// `http://[user:password@]host:port`) and checks that it answers. `index` is created, with
    /// its settings, at the first sync.
    pub fn connect(url: &str, index: &str) -> Result<OpenSearch> {
        let client = Client::new(url)?;
        if let Err(why) = check_index_name(index) {
            return Err(client.error(format!("index name {index:?}: {why}")));
        }
        client.json(Method::Get, "/", None)?;
        Ok(OpenSearch {
            client,
            index: index.to_string(),
            layout: Layout::default(),
        })
    }

    /// Shards and replicas for an index this backend creates (an existing one keeps its own).
    pub fn with_layout(mut self, layout: Layout) -> OpenSearch {
        self.layout = layout;
        self
    }

    /// The cluster's address, without credentials.
    pub fn url(&self) -> String {
        self.client.shown_url()
    }

    /// The passage index's name.
    pub fn index(&self) -> &str {
        &self.index
    }

    /// Busy answers (HTTP 429 or 503) retried since connecting.
    pub fn busy_retries(&self) -> usize {
        self.client
            .busy_retries
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Passages in the index (after a refresh).
    pub fn num_passages(&self) -> Result<u64> {
        let body = self
            .client
            .json(Method::Get, &format!("/{}/_count", self.index), None)?;
        Ok(body["count"].as_u64().unwrap_or(0))
    }

    /// Searches the cluster and returns the best passages, as [`Engine::search`](crate::Engine::search).
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<Vec<Hit>> {
        self.search_with_notices(query, options).map(|o| o.hits)
    }

    /// Like [`OpenSearch::search`], with the query parser's notices.
    pub fn search_with_notices(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchOutcome> {
        let (parsed, rewritten) = crate::search::read_query(query, options)?;
        if parsed.units.is_empty() && parsed.filters.is_empty() {
            return Err(crate::Error::EmptyQuery);
        }
        let question = rewritten.question.is_some();
        let mut analyzer = crate::analysis::french_analyzer();
        let checks = match question {
            true => Vec::new(),
            false => dsl::unit_checks(&parsed, &mut analyzer),
        };
        // The checks of the missing-words rule ride with the search, in one round trip.
        let mut requests: Vec<Value> = checks.iter().map(|c| count(&c.query)).collect();
        requests.push(dsl::search_request(&parsed, options)?);
        let mut answers = self.msearch(&requests)?;
        let body = answers.pop().unwrap_or(Value::Null);
        let mut found: Vec<bool> = answers.iter().map(matched).collect();
        let missing = |found: &[bool]| {
            let typed = checks.iter().map(|c| c.typed.as_str());
            missing::missing_half(typed.zip(found.iter().copied()), question)
        };
        if !missing(&found).is_empty() {
            // Before answering nothing, the one-edit spellings of the words found nowhere.
            let respelt: Vec<(usize, Value)> = (0..checks.len())
                .filter(|&u| !found[u])
                .filter_map(|u| Some((u, count(&dsl::respelt(&checks[u].words, &mut analyzer)?))))
                .collect();
            if !respelt.is_empty() {
                let queries: Vec<Value> = respelt.iter().map(|(_, q)| q.clone()).collect();
                for ((u, _), answer) in respelt.iter().zip(self.msearch(&queries)?) {
                    found[*u] = matched(&answer);
                }
            }
        }
        let mut outcome = SearchOutcome {
            notices: parsed.notices,
            expansions: rewritten.expansions,
            ..SearchOutcome::default()
        };
        let missing = missing(&found);
        if !missing.is_empty() {
            outcome.notices.push(missing::notice(&missing));
            return Ok(outcome);
        }
        outcome.hits = hits::hits(&body, options);
        outcome.facets = options.facets.then(|| hits::facets(&body));
        Ok(outcome)
    }

    /// The answers to `requests` on the passage index, in one `_msearch`.
    fn msearch(&self, requests: &[Value]) -> Result<Vec<Value>> {
        let header = json!({ "index": self.index }).to_string();
        let mut body = String::new();
        for request in requests {
            body.push_str(&format!("{header}\n{request}\n"));
        }
        let answer = self.client.send(
            Method::Post,
            "/_msearch",
            Some(&body),
            "application/x-ndjson",
        )?;
        let answer = self.client.ok(answer)?;
        let empty = Vec::new();
        let responses = answer["responses"].as_array().unwrap_or(&empty);
        (0..requests.len())
            .map(|i| {
                let item = responses.get(i).cloned().unwrap_or(Value::Null);
                let status = item["status"].as_u64().unwrap_or(200) as u16;
                if status == 404 {
                    return Err(self.client.error(format!(
                        "no index {:?} on this cluster: index some files first",
                        self.index
                    )));
                }
                self.client.ok(client::Answer { status, body: item })
            })
            .collect()
    }

    /// Deletes the passage index and its manifest (tests, and a rebuild from nothing).
    pub fn delete_index(&self) -> Result<()> {
        for index in [self.index.clone(), self.manifest_index()] {
            let answer = self.client.send(
                Method::Delete,
                &format!("/{index}"),
                None,
                "application/json",
            )?;
            if answer.status != 404 {
                self.client.ok(answer)?;
            }
        }
        Ok(())
    }

    fn manifest_index(&self) -> String {
        format!("{}-manifest", self.index)
    }

    /// Creates the passage index and the manifest index unless they exist.
    fn ensure_indices(&self) -> Result<()> {
        let wanted = [
            (self.index.clone(), settings::passage_index(self.layout)),
            (self.manifest_index(), settings::manifest_index()),
        ];
        for (index, body) in wanted {
            let path = format!("/{index}");
            let answer = self
                .client
                .send(Method::Head, &path, None, "application/json")?;
            if answer.status == 200 {
                continue;
            }
            let answer = self.client.send(
                Method::Put,
                &path,
                Some(&body.to_string()),
                "application/json",
            )?;
            // Another machine feeding the same index may have created it meanwhile.
            let exists = answer.body["error"]["type"] == json!("resource_already_exists_exception");
            if !exists {
                self.client.ok(answer)?;
            }
        }
        Ok(())
    }
}

/// A request for whether some passage matches `query`, at the least cost.
fn count(query: &Value) -> Value {
    json!({ "size": 0, "terminate_after": 1, "track_total_hits": true, "query": query })
}

/// Whether the answer to a [`count`] found a passage.
fn matched(answer: &Value) -> bool {
    answer["hits"]["total"]["value"].as_u64().unwrap_or(0) > 0
}

/// OpenSearch's rules for index names, checked before the cluster says it less clearly.
fn check_index_name(name: &str) -> std::result::Result<(), &'static str> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c);
    if name.is_empty() || name.len() > 200 {
        Err("must have 1 to 200 characters")
    } else if name.starts_with(['-', '_', '.']) {
        Err("must not start with '-', '_' or '.'")
    } else if !name.chars().all(allowed) {
        Err("only lowercase letters, digits, '-', '_' and '.' are allowed")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_names_follow_opensearch_rules() {
        let table = [
            ("aes-search", true),
            ("aes_2024.v1", true),
            ("", false),
            ("Aes", false),
            ("_aes", false),
            ("aes search", false),
            ("aes/x", false),
        ];
        for (name, ok) in table {
            assert_eq!(check_index_name(name).is_ok(), ok, "{name:?}");
        }
    }
}
