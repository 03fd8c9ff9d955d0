//! The manifest on the cluster: one small document per indexed file (path, size, modification
//! time, content hash, passages sent), in an index beside the passages, so that a re-run (from
//! this machine or another one feeding the same index) sends only what changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::client::Method;
use super::OpenSearch;
use crate::error::Result;

/// Manifest documents read per request.
const PAGE: usize = 5_000;

/// What the cluster holds of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Entry {
    pub path: String,
    pub size: u64,
    /// Nanoseconds since the epoch, as text (it does not fit a signed 64-bit number forever).
    pub mtime_ns: String,
    /// blake3 of the bytes, in hex.
    pub hash: String,
    /// Passages sent: the ids of an article file are `ARTICLE-0` to `ARTICLE-(passages-1)`.
    pub passages: usize,
    /// JSON Lines files name their passages themselves: they are deleted by file.
    #[serde(default)]
    pub jsonl: bool,
}

/// The manifest, by path.
pub(super) type Manifest = BTreeMap<String, Entry>;

/// The id of a file's manifest document: a hash of its path (a path can be longer than an id).
pub(super) fn entry_id(path: &str) -> String {
    blake3::hash(path.as_bytes()).to_hex()[..32].to_string()
}

impl OpenSearch {
    /// Reads the whole manifest, in pages ordered by path.
    pub(super) fn read_manifest(&self) -> Result<Manifest> {
        let mut manifest = Manifest::new();
        let path = format!("/{}/_search", self.manifest_index());
        let mut after: Option<Value> = None;
        loop {
            let mut request = json!({
                "size": PAGE,
                "sort": [{ "path": "asc" }],
                "query": { "match_all": {} }
            });
            if let Some(after) = after.take() {
                request["search_after"] = after;
            }
            let body = self.client.json(Method::Post, &path, Some(&request))?;
            let empty = Vec::new();
            let page = body["hits"]["hits"].as_array().unwrap_or(&empty);
            for hit in page {
                if let Ok(entry) = serde_json::from_value::<Entry>(hit["_source"].clone()) {
                    manifest.insert(entry.path.clone(), entry);
                }
            }
            match page.last() {
                Some(last) if page.len() == PAGE => after = Some(last["sort"].clone()),
                _ => return Ok(manifest),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ids_are_short_and_stable() {
        let long = "d/".repeat(600);
        let table = ["a.txt", "corpus/2024/sommet.txt", long.as_str()];
        for path in table {
            let id = entry_id(path);
            assert_eq!(id.len(), 32);
            assert_eq!(id, entry_id(path));
        }
        assert_ne!(entry_id("a.txt"), entry_id("b.txt"));
    }
}
