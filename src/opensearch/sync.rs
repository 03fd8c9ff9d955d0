//! Bringing a cluster index in line with the sources, in steps: list the files, read the
//! manifest from the cluster, compare, read and clean what changed (in parallel), send the
//! passages, then delete what left and record in the manifest each file that went through.
//!
//! New passages go in before old ones are deleted, so a search during a sync finds the old
//! version or the new one. A file the cluster rejected keeps its old manifest entry and its old
//! passages, and is sent again by the next run.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use serde_json::json;

use super::bulk::Bulk;
use super::client::Method;
use super::documents::{article_id, passage_id, read_article, read_jsonl, ReadFile};
use super::manifest::{entry_id, Entry, Manifest};
use super::OpenSearch;
use crate::error::Result;
use crate::index::{reason_of, ListedFile};
use crate::{Progress, SkipReason, Skipped, Source, SyncOptions, SyncReport};

/// Files read and cleaned at once, in parallel, between two batches sent.
const READ_CHUNK: usize = 64;

/// A file whose new version was sent.
struct Sent {
    entry: Entry,
    old: Option<Entry>,
}

/// What the comparison with the manifest found.
struct Plan<'a> {
    to_read: Vec<&'a ListedFile>,
    unchanged: usize,
    gone: Vec<Entry>,
}

impl OpenSearch {
    /// [`OpenSearch::sync`] over folders of article files.
    pub fn sync_folders<P: AsRef<Path>>(
        &self,
        folders: &[P],
        options: &SyncOptions,
    ) -> Result<SyncReport> {
        let sources: Vec<Source> = folders
            .iter()
            .map(|f| Source::Folder(f.as_ref().to_owned()))
            .collect();
        self.sync(&sources, options)
    }

    /// Brings the cluster index in line with `sources`: sends new and changed files, deletes
    /// those that are gone, leaves the rest alone. Bad files and rejected documents are
    /// reported in [`SyncReport::skipped`] and do not stop the sync.
    pub fn sync(&self, sources: &[Source], options: &SyncOptions) -> Result<SyncReport> {
        let started = Instant::now();
        self.ensure_indices()?;
        let listing = crate::index::list_sources(sources, options)?;
        let old = self.read_manifest()?;
        let mut skipped = listing.skipped;
        let plan = compare(&listing.files, &old, options.full, &skipped);
        let mut report = SyncReport {
            ignored: listing.ignored,
            unchanged: plan.unchanged,
            ..SyncReport::default()
        };
        let (sent, refreshed) = self.send_changed(&plan.to_read, &old, options, &mut skipped)?;
        for s in &sent {
            match &s.old {
                Some(_) => report.updated += 1,
                None => report.added += 1,
            }
        }
        report.unchanged += refreshed.len();
        report.removed = plan.gone.len();
        self.settle(&old, &sent, &refreshed, &plan.gone)?;
        self.client
            .json(Method::Post, &format!("/{}/_refresh", self.index), None)?;
        report.passages = self.num_passages()?;
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        report.skipped = skipped;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Reads, cleans and sends the files to read. Returns the files sent, and the entries of
    /// files that only changed their modification time (same content).
    fn send_changed(
        &self,
        to_read: &[&ListedFile],
        old: &Manifest,
        options: &SyncOptions,
        skipped: &mut Vec<Skipped>,
    ) -> Result<(Vec<Sent>, Vec<Entry>)> {
        let mut bulk = Bulk::new(&self.client);
        let mut sent: Vec<Sent> = Vec::new();
        let mut refreshed = Vec::new();
        let mut progress = Progress {
            files_total: to_read.len() as u64,
            bytes_total: to_read.iter().map(|f| f.size).sum(),
            ..Progress::default()
        };
        for chunk in to_read.chunks(READ_CHUNK) {
            let read: Vec<Result<ReadFile>> = chunk
                .par_iter()
                .map(|f| match f.jsonl {
                    true => read_jsonl(&f.path, &f.key),
                    false => read_article(&f.path, &f.key, options.max_file_size),
                })
                .collect();
            for (file, read) in chunk.iter().zip(read) {
                let previous = old.get(&file.key);
                let read = match read {
                    Ok(r) => r,
                    Err(e) => {
                        skipped.push(Skipped {
                            path: file.key.clone(),
                            reason: reason_of(&e),
                            kept_previous: previous.is_some(),
                        });
                        continue;
                    }
                };
                let entry = Entry {
                    path: file.key.clone(),
                    size: file.size,
                    mtime_ns: file.mtime_ns.to_string(),
                    hash: read.hash.clone(),
                    passages: read.passages.len(),
                    jsonl: file.jsonl,
                };
                if previous.is_some_and(|p| p.hash == read.hash) && !options.full {
                    refreshed.push(entry);
                    continue;
                }
                if file.jsonl && previous.is_some() {
                    // Its lines name their passages: the old ones go first, by file.
                    self.delete_file_passages(&file.key)?;
                }
                for (line, why) in &read.bad_lines {
                    skipped.push(Skipped {
                        path: format!("{}:{line}", file.key),
                        reason: SkipReason::BadLine(why.clone()),
                        kept_previous: false,
                    });
                }
                for p in &read.passages {
                    bulk.index(sent.len(), &self.index, &p.id, &p.body)?;
                }
                sent.push(Sent {
                    entry,
                    old: previous.cloned(),
                });
            }
            progress.files_done += chunk.len() as u64;
            progress.bytes_done += chunk.iter().map(|f| f.size).sum::<u64>();
            if let Some(report) = &options.progress {
                report(progress);
            }
        }
        bulk.flush()?;
        let failures = std::mem::take(&mut bulk.failures);
        Ok((accepted(sent, &failures, skipped), refreshed))
    }

    /// Deletes the passages that no file in the manifest holds any more, and writes the
    /// manifest: entries of files sent or refreshed, deletions of files gone.
    fn settle(
        &self,
        old: &Manifest,
        sent: &[Sent],
        refreshed: &[Entry],
        gone: &[Entry],
    ) -> Result<()> {
        let mut next: BTreeMap<&str, &Entry> = old.iter().map(|(k, v)| (k.as_str(), v)).collect();
        for entry in gone {
            next.remove(entry.path.as_str());
        }
        for entry in sent.iter().map(|s| &s.entry).chain(refreshed) {
            next.insert(&entry.path, entry);
        }
        // Two files with the same content share their passages: keep them while one is left.
        let live: HashSet<&str> = next.values().map(|e| e.hash.as_str()).collect();
        let leaving = sent.iter().filter_map(|s| s.old.as_ref()).chain(gone);
        let mut bulk = Bulk::new(&self.client);
        for entry in leaving {
            if entry.jsonl {
                if !next.contains_key(entry.path.as_str()) {
                    self.delete_file_passages(&entry.path)?;
                }
            } else if !live.contains(entry.hash.as_str()) {
                for n in 0..entry.passages {
                    let id = passage_id(article_id(&entry.hash), n);
                    bulk.delete(0, &self.index, &id)?;
                }
            }
        }
        let manifest = self.manifest_index();
        for entry in sent.iter().map(|s| &s.entry).chain(refreshed) {
            let doc = serde_json::to_value(entry).unwrap_or_default();
            bulk.index(0, &manifest, &entry_id(&entry.path), &doc)?;
        }
        for entry in gone {
            bulk.delete(0, &manifest, &entry_id(&entry.path))?;
        }
        bulk.flush()?;
        if let Some(why) = bulk.failures.values().next() {
            return Err(self.client.error(format!("recording the manifest: {why}")));
        }
        self.client
            .json(Method::Post, &format!("/{manifest}/_refresh"), None)?;
        Ok(())
    }

    /// Deletes every passage of one file, and waits until they are gone.
    fn delete_file_passages(&self, file: &str) -> Result<()> {
        let path = format!(
            "/{}/_delete_by_query?refresh=true&conflicts=proceed",
            self.index
        );
        let query = json!({ "query": { "term": { "file": file } } });
        self.client.json(Method::Post, &path, Some(&query))?;
        Ok(())
    }
}

/// Compares the listing with the manifest: files to read (new, or size or modification time
/// changed, or all of them for a full sync), unchanged ones, and entries of files gone (but
/// not those under a folder the walk could not reach this time).
fn compare<'a>(
    files: &'a [ListedFile],
    old: &Manifest,
    full: bool,
    unreachable: &[Skipped],
) -> Plan<'a> {
    let mut plan = Plan {
        to_read: Vec::new(),
        unchanged: 0,
        gone: Vec::new(),
    };
    let listed: HashSet<&str> = files.iter().map(|f| f.key.as_str()).collect();
    for file in files {
        let same = old
            .get(&file.key)
            .is_some_and(|e| e.size == file.size && e.mtime_ns == file.mtime_ns.to_string());
        if same && !full {
            plan.unchanged += 1;
        } else {
            plan.to_read.push(file);
        }
    }
    for (path, entry) in old {
        let kept = unreachable
            .iter()
            .any(|s| Path::new(path).starts_with(&s.path));
        if !listed.contains(path.as_str()) && !kept {
            plan.gone.push(entry.clone());
        }
    }
    plan
}

/// The files sent whose every passage the cluster took. A file with a rejected passage is not
/// recorded, so the next run sends it again; it is reported with the cluster's reason.
fn accepted(
    sent: Vec<Sent>,
    failures: &BTreeMap<usize, String>,
    skipped: &mut Vec<Skipped>,
) -> Vec<Sent> {
    let mut kept = Vec::new();
    for (n, s) in sent.into_iter().enumerate() {
        match failures.get(&n) {
            Some(why) => skipped.push(Skipped {
                path: s.entry.path.clone(),
                reason: SkipReason::Rejected(why.clone()),
                kept_previous: s.old.is_some(),
            }),
            None => kept.push(s),
        }
    }
    kept
}
