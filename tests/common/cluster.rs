//! The test cluster for the OpenSearch tests (`tests/opensearch.rs`, `tests/opensearch_failover.rs`):
//! its address from the environment, and an index of its own per test, deleted before and after.

use super::{hit_paths, Run, TestEnv};

/// Every node's address, separated by commas (`scale/opensearch/cluster urls`), or one node's.
pub const CLUSTER_ENV: &str = "AES_SEARCH_TEST_OPENSEARCH";

/// The test cluster's address, or `None` after saying once why the test does nothing.
pub fn cluster(test: &str) -> Option<String> {
    match std::env::var(CLUSTER_ENV) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "skipped {test}: no cluster ({CLUSTER_ENV}=URL, see scale/opensearch/cluster)"
            );
            None
        }
    }
}

/// The first node of a list of addresses, for a request made without the backend.
pub fn first_node(urls: &str) -> &str {
    urls.split(',').next().unwrap_or(urls).trim()
}

/// A fresh index of its own for one test, deleted before and after it.
pub struct ClusterIndex {
    pub url: String,
    pub name: String,
    /// Primary shards when the index is created (one keeps small-corpus scores stable).
    pub shards: u32,
}

impl ClusterIndex {
    pub fn new(url: &str, test: &str) -> ClusterIndex {
        let name = format!("aes-test-{test}-{}", std::process::id());
        let index = ClusterIndex {
            url: url.to_string(),
            name,
            shards: 1,
        };
        index.delete();
        index
    }

    pub fn delete(&self) {
        let os = aes_search::opensearch::OpenSearch::connect(&self.url, &self.name)
            .expect("the test cluster answers");
        os.delete_index().expect("delete the test index");
    }

    /// `aes-search ARGS... --opensearch URL --opensearch-index NAME --shards N` in `env`.
    pub fn run(&self, env: &TestEnv, args: &[&str]) -> Run {
        let shards = self.shards.to_string();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--opensearch", &self.url, "--opensearch-index", &self.name]);
        // One replica (the default) on a 3-node cluster.
        all.extend(["--shards", &shards]);
        env.run(&all)
    }

    pub fn hit_files(&self, env: &TestEnv, query: &str) -> Vec<String> {
        let run = self.run(env, &["search", query, "--json", "--limit", "100"]);
        assert!(run.code() <= 1, "search {query:?} failed: {}", run.stderr());
        let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
        hit_paths(&json)
    }
}

impl Drop for ClusterIndex {
    fn drop(&mut self) {
        self.delete();
    }
}

/// A short article the cleaner keeps whole: a title, then `body` and a sentence of its own.
pub fn article(title: &str, body: &str) -> String {
    format!("{title}\n\n{body} Les ministres des trois pays se sont réunis à Niamey pour en débattre.\n")
}
