//! `_bulk` requests of bounded size. Each action remembers the file it is for, so that a
//! document the cluster rejects (a mapping conflict, a document too large) is reported for that
//! file while the rest goes on; actions refused as busy (429) are sent again with backoff.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{json, Value};

use super::client::{reason, Client, Method};
use crate::error::Result;

/// A request is sent once it holds this many bytes...
const MAX_BYTES: usize = 4 << 20;
/// ...or this many actions.
const MAX_ACTIONS: usize = 2_000;
/// Rounds of resending actions refused as busy, with the wait doubling from the first.
const BUSY_ROUNDS: u32 = 8;
const FIRST_WAIT: Duration = Duration::from_millis(200);

/// A batch of actions on the way to the cluster.
pub(super) struct Bulk<'a> {
    client: &'a Client,
    /// The NDJSON of the actions not sent yet.
    body: String,
    /// Per action: who it is for, and where its lines are in `body`.
    actions: Vec<(usize, std::ops::Range<usize>)>,
    /// The first rejection of each owner (a file's number), with the cluster's reason.
    pub failures: BTreeMap<usize, String>,
    /// Actions the cluster accepted.
    pub accepted: usize,
}

impl<'a> Bulk<'a> {
    pub(super) fn new(client: &'a Client) -> Bulk<'a> {
        Bulk {
            client,
            body: String::new(),
            actions: Vec::new(),
            failures: BTreeMap::new(),
            accepted: 0,
        }
    }

    /// Indexes (or replaces) document `id` of `index`, for `owner`.
    pub(super) fn index(&mut self, owner: usize, index: &str, id: &str, doc: &Value) -> Result<()> {
        let start = self.body.len();
        let action = json!({ "index": { "_index": index, "_id": id } });
        self.body.push_str(&action.to_string());
        self.body.push('\n');
        self.body.push_str(&doc.to_string());
        self.body.push('\n');
        self.actions.push((owner, start..self.body.len()));
        self.flush_if_full()
    }

    /// Deletes document `id` of `index` (already gone is fine), for `owner`.
    pub(super) fn delete(&mut self, owner: usize, index: &str, id: &str) -> Result<()> {
        let start = self.body.len();
        let action = json!({ "delete": { "_index": index, "_id": id } });
        self.body.push_str(&action.to_string());
        self.body.push('\n');
        self.actions.push((owner, start..self.body.len()));
        self.flush_if_full()
    }

    fn flush_if_full(&mut self) -> Result<()> {
        if self.body.len() >= MAX_BYTES || self.actions.len() >= MAX_ACTIONS {
            self.flush()?;
        }
        Ok(())
    }

    /// Sends what is pending; returns once every action is accepted or settled as a failure.
    pub(super) fn flush(&mut self) -> Result<()> {
        let mut wait = FIRST_WAIT;
        for round in 0..=BUSY_ROUNDS {
            if self.actions.is_empty() {
                return Ok(());
            }
            let answer = self.client.send(
                Method::Post,
                "/_bulk",
                Some(&self.body),
                "application/x-ndjson",
            )?;
            let body = self.client.ok(answer)?;
            let busy = self.settle(&body, round == BUSY_ROUNDS);
            if busy > 0 {
                self.client.busy_retries.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(wait);
                wait *= 2;
            }
        }
        Ok(())
    }

    /// Reads the items of an answer: accepted, rejected (a failure of its owner) or busy (kept
    /// in the batch for the next round, unless `last`). Returns how many are busy.
    fn settle(&mut self, answer: &Value, last: bool) -> usize {
        let empty = Vec::new();
        let items = answer["items"].as_array().unwrap_or(&empty);
        let mut kept_body = String::new();
        let mut kept = Vec::new();
        for (i, (owner, lines)) in self.actions.iter().enumerate() {
            let result = items
                .get(i)
                .and_then(|item| item.as_object()?.values().next());
            let status = result.and_then(|r| r["status"].as_u64()).unwrap_or(0);
            let is_delete = self.body[lines.clone()].starts_with("{\"delete\"");
            match status {
                200..=299 => self.accepted += 1,
                404 if is_delete => self.accepted += 1,
                429 if !last => {
                    let start = kept_body.len();
                    kept_body.push_str(&self.body[lines.clone()]);
                    kept.push((*owner, start..kept_body.len()));
                }
                429 => {
                    self.failures
                        .entry(*owner)
                        .or_insert_with(|| "the cluster stayed busy (HTTP 429)".into());
                }
                _ => {
                    let why =
                        result.map_or_else(|| "no answer for this document".to_string(), reason);
                    self.failures.entry(*owner).or_insert(why);
                }
            }
        }
        self.body = kept_body;
        self.actions = kept;
        self.actions.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk_with<'a>(client: &'a Client, owners: &[usize]) -> Bulk<'a> {
        let mut bulk = Bulk::new(client);
        for (n, &owner) in owners.iter().enumerate() {
            bulk.index(owner, "i", &n.to_string(), &json!({"n": n}))
                .unwrap();
        }
        bulk
    }

    #[test]
    fn each_item_is_settled_for_its_owner() {
        let client = Client::new("http://127.0.0.1:9").unwrap();
        let mut bulk = bulk_with(&client, &[0, 0, 1, 2]);
        let answer = json!({"errors": true, "items": [
            {"index": {"status": 201}},
            {"index": {"status": 429, "error": {"type": "es_rejected_execution_exception"}}},
            {"index": {"status": 400, "error": {"type": "mapper_parsing_exception", "reason": "bad"}}},
            {"index": {"status": 200}},
        ]});
        let busy = bulk.settle(&answer, false);
        assert_eq!(busy, 1);
        assert_eq!(bulk.accepted, 2);
        assert_eq!(bulk.failures.len(), 1);
        assert_eq!(bulk.failures[&1], "mapper_parsing_exception: bad");
        // The busy one waits for the next round, alone.
        assert_eq!(bulk.actions.len(), 1);
        assert!(bulk.body.contains("\"_id\":\"1\""));
        assert_eq!(bulk.body.lines().count(), 2);
        // Busy on the last round is a failure of its owner.
        let again = json!({"items": [{"index": {"status": 429}}]});
        assert_eq!(bulk.settle(&again, true), 0);
        assert!(bulk.failures[&0].contains("429"));
    }

    #[test]
    fn a_busy_cluster_is_sent_the_refused_actions_again() {
        // A busy node refuses the whole request, then one action of two, then takes it.
        let items = |statuses: &[u16]| {
            let items: Vec<Value> = statuses
                .iter()
                .map(|s| json!({"index": {"status": s}}))
                .collect();
            json!({ "items": items }).to_string()
        };
        let node = super::super::client::test_node(vec![
            (429, "{}".into()),
            (200, items(&[201, 429])),
            (200, items(&[201])),
        ]);
        let client = Client::new(&node).unwrap();
        let mut bulk = bulk_with(&client, &[0, 1]);
        bulk.flush().unwrap();
        assert_eq!(bulk.accepted, 2);
        assert!(bulk.failures.is_empty(), "{:?}", bulk.failures);
        assert!(bulk.actions.is_empty());
        assert_eq!(client.busy_retries.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn deleting_what_is_gone_is_fine() {
        let client = Client::new("http://127.0.0.1:9").unwrap();
        let mut bulk = Bulk::new(&client);
        bulk.delete(0, "i", "x").unwrap();
        let answer = json!({"items": [{"delete": {"status": 404, "result": "not_found"}}]});
        bulk.settle(&answer, false);
        assert_eq!(bulk.accepted, 1);
        assert!(bulk.failures.is_empty());
    }
}
