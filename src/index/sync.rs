//! Bringing the index in line with its sources, in six steps committed once: compare the
//! listing with the manifest, read what changed, group files into articles, decide furniture,
//! index, and settle what failed into the report and the next manifest.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use tantivy::{IndexWriter, TantivyError, Term};

use super::documents::article_documents;
use super::furniture::SyncFurniture;
use super::groups::{affected_groups, group_key, primaries, Affected, Group};
use super::listing::{keep_unreachable, list_sources, ListedFile, Listing};
use super::manifest::{next_manifest, FileEntry, Files, Manifest, Refused};
use super::read::{read_verified, reason_of, refused_for_content, scan, Scan};
use super::report::{ProgressCounter, Skipped, Source, SyncOptions, SyncReport};
use super::{Engine, PID_FILE};
use crate::clean::RECURRING_MIN_ARTICLES;
use crate::error::{Error, Result};

/// Step 1's outcome: which listed files need reading, and what stays as it was.
struct Compared {
    /// Files whose size and modification time match the manifest, in path order.
    unchanged: Vec<(String, FileEntry)>,
    /// Entries that join `unchanged` (sorted in once, at the end).
    joining: Vec<(String, FileEntry)>,
    refused: BTreeMap<String, Refused>,
    to_read: Vec<ListedFile>,
    skipped: Vec<Skipped>,
}

/// Step 3's outcome: the articles that change, by their primary path.
struct Plan<'a> {
    affected: Affected<'a>,
    new_groups: BTreeMap<Group<'a>, Vec<&'a str>>,
    old_primary: HashMap<&'a str, Group<'a>>,
    new_primary: HashMap<&'a str, Group<'a>>,
    /// Primary paths whose indexed version is deleted.
    leaving: Vec<&'a str>,
    /// Primary paths to index.
    to_index: Vec<&'a str>,
}

/// A file that failed in step 5: its path, the error, and whether it was being cleaned again.
type Failure = (String, Error, bool);

impl Engine {
    /// Brings the index in line with `sources`: adds new files, replaces changed ones, removes
    /// those that are gone, and leaves the rest alone; then commits once.
    ///
    /// Bad files are reported in [`SyncReport::skipped`] and do not stop the sync.
    pub fn sync(&self, sources: &[Source], options: &SyncOptions) -> Result<SyncReport> {
        let started = Instant::now();
        let mut writer = self.writer()?;
        let result = self
            .sync_with(&writer, sources, options)
            .and_then(|(report, manifest)| {
                if let Some(manifest) = manifest {
                    let mut prepared = writer
                        .prepare_commit()
                        .map_err(|e| Error::index(&self.path, e))?;
                    let (keep, payload) = self.write_manifest(manifest, prepared.opstamp())?;
                    prepared.set_payload(&payload);
                    prepared.commit().map_err(|e| Error::index(&self.path, e))?;
                    self.remove_other_manifests(&keep);
                }
                Ok(report)
            });
        let _ = std::fs::remove_file(self.path.join(PID_FILE));
        let mut report = result.map_err(|e| self.explain(e))?;
        writer
            .wait_merging_threads()
            .map_err(|e| Error::index(&self.path, e))?;
        self.reload()?;
        // The bounds are derived data: without them, searches walk every range as before.
        let searcher = self.reader.searcher();
        let f = self.fields;
        let stats = crate::rank::CorpusStats::new(&searcher, f.text, f.title, f.kind);
        let _ = self.bounds.write_missing(
            &searcher,
            (f.text, f.title),
            stats.avg_len,
            crate::rank::bounds::MIN_SEGMENT_DOCS,
        );
        report.passages = self.num_passages();
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Shorthand for [`Engine::sync`] on folders.
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

    /// Everything but the commit: returns the report and, when something is to be committed,
    /// the manifest to commit with it.
    pub(super) fn sync_with(
        &self,
        writer: &IndexWriter,
        sources: &[Source],
        options: &SyncOptions,
    ) -> Result<(SyncReport, Option<Manifest>)> {
        // The manifest is read while the folders are walked: together, most of a no-op sync.
        let (old, listing) = rayon::join(|| self.manifest(), || list_sources(sources, options));
        let (old, listing) = (old?, listing?);
        let mut report = SyncReport {
            ignored: listing.ignored,
            ..SyncReport::default()
        };
        if options.full {
            writer
                .delete_all_documents()
                .map_err(|e| Error::index(&self.path, e))?;
        }
        let Manifest {
            files: old_files,
            refused: old_refused,
            base: old_base,
            ..
        } = old;
        let old_files = if options.full {
            Files::default()
        } else {
            old_files
        };

        let Compared {
            mut unchanged,
            mut joining,
            mut refused,
            to_read,
            skipped,
        } = compare(listing, &old_files, &old_refused, options);
        report.skipped = skipped;
        let progress = ProgressCounter::new(
            options,
            to_read.iter().map(|lf| lf.size).sum(),
            to_read.len() as u64,
        );
        progress.start();
        let prints = read_changed(
            &to_read,
            &old_files,
            options.max_file_size,
            (&mut joining, &mut refused),
            &mut report,
        );
        unchanged.append(&mut joining);
        let mut new_files = Files::from_entries(unchanged);

        let forget = {
            let plan = self.plan(writer, &old_files, &new_files, &mut report);
            read_only_done(&progress, &to_read, &plan.to_index);
            let outcome = self.index_changed(writer, &plan, &new_files, prints, options, &progress);
            settle(outcome?, &plan, &mut report)
        };
        report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        new_files.forget(&forget);
        let manifest = next_manifest(
            new_files,
            refused,
            &old_files,
            old_refused,
            old_base,
            options,
            &report,
        );
        Ok((report, manifest))
    }

    /// 3. One article per distinct content, named by its first path. An article is unchanged
    ///    when its primary path holds the same content as before, updated when the path holds
    ///    new content, added when the path is new; old primaries no longer primary are removed.
    ///
    /// Only the groups holding a file that was added, removed or changed can differ; the others
    /// are the same on both sides and are only counted (a no-op sync of 100,000 files spent 14%
    /// of its time grouping them all).
    fn plan<'a>(
        &self,
        writer: &IndexWriter,
        old_files: &'a Files,
        new_files: &'a Files,
        report: &mut SyncReport,
    ) -> Plan<'a> {
        let f = self.fields;
        let affected = affected_groups(old_files, new_files);
        let old_groups = primaries(old_files, &affected);
        let new_groups = primaries(new_files, &affected);
        let old_primary: HashMap<&str, Group> =
            old_groups.iter().map(|(k, p)| (p[0], *k)).collect();
        let new_primary: HashMap<&str, Group> =
            new_groups.iter().map(|(k, p)| (p[0], *k)).collect();
        let mut leaving: Vec<&str> = Vec::new();
        for &path in old_primary.keys() {
            if !new_primary.contains_key(path) {
                writer.delete_term(Term::from_field_text(f.file, path));
                leaving.push(path);
                report.removed += 1;
            }
        }
        report.unchanged = count_unaffected(new_files, &affected);
        let mut to_index: Vec<&str> = Vec::new();
        for (key, paths) in &new_groups {
            let path = paths[0];
            match old_primary.get(path) {
                Some(old_key) if old_key == key => report.unchanged += 1,
                Some(_) => {
                    writer.delete_term(Term::from_field_text(f.file, path));
                    leaving.push(path);
                    report.updated += 1;
                    to_index.push(path);
                }
                None => {
                    report.added += 1;
                    to_index.push(path);
                }
            }
            if paths.len() > 1 && old_groups.get(key) != Some(paths) {
                report
                    .duplicates
                    .push(paths.iter().map(|p| p.to_string()).collect());
            }
        }
        Plan {
            affected,
            new_groups,
            old_primary,
            new_primary,
            leaving,
            to_index,
        }
    }

    /// Steps 4 and 5: decides furniture, then indexes the planned articles and cleans again
    /// those whose furniture turned. Returns what failed.
    fn index_changed(
        &self,
        writer: &IndexWriter,
        plan: &Plan<'_>,
        new_files: &Files,
        prints: HashMap<&str, Vec<u64>>,
        options: &SyncOptions,
        progress: &ProgressCounter<'_>,
    ) -> Result<(Vec<Failure>, Vec<Skipped>, usize)> {
        let index_empty = options.full || self.reader.searcher().num_docs() == 0;
        let (recurring, turned) = self.decide_furniture(plan, prints, index_empty)?;
        let known = SyncFurniture {
            engine: self,
            decided: &recurring,
            index_empty,
        };
        let reclean = self.to_reclean(turned, plan, new_files)?;
        let jobs: Vec<(&str, bool)> = plan
            .to_index
            .iter()
            .map(|p| (*p, false))
            .chain(reclean.iter().map(|p| (p.as_str(), true)))
            .collect();
        let (failures, bad_lines) =
            self.add_articles(writer, &jobs, new_files, &known, options, progress)?;
        Ok((failures, bad_lines, reclean.len()))
    }

    /// 4. Furniture: a line is furniture when it is in [`RECURRING_MIN_ARTICLES`] articles of
    ///    the index as it will be after this commit (old versions of updated articles left out).
    ///    Returns the lines decided by this sync, and those that became, or stopped being,
    ///    furniture.
    fn decide_furniture(
        &self,
        plan: &Plan<'_>,
        prints: HashMap<&str, Vec<u64>>,
        index_empty: bool,
    ) -> Result<(HashMap<u64, bool>, Vec<u64>)> {
        // Fingerprint → (arriving, leaving): at 100,000 new articles, some 3 million lines.
        let mut counts: HashMap<u64, (u32, u32)> = HashMap::new();
        for path in &plan.to_index {
            for &fp in prints.get(*path).map_or(&[][..], Vec::as_slice) {
                counts.entry(fp).or_default().0 += 1;
            }
        }
        drop(prints);
        if !index_empty {
            for path in &plan.leaving {
                for fp in self.stored_prints(path)? {
                    counts.entry(fp).or_default().1 += 1;
                }
            }
        }
        // Into an empty index, a line not listed is not furniture: only furniture is listed.
        let mut recurring: HashMap<u64, bool> = HashMap::new();
        let mut turned: Vec<u64> = Vec::new();
        for (&fp, &(arriving, gone)) in &counts {
            let before = if index_empty {
                0
            } else {
                self.articles_with_line(fp)?
            };
            let after = (before + u64::from(arriving)).saturating_sub(u64::from(gone));
            if !index_empty || after >= RECURRING_MIN_ARTICLES {
                recurring.insert(fp, after >= RECURRING_MIN_ARTICLES);
            }
            if (before >= RECURRING_MIN_ARTICLES) != (after >= RECURRING_MIN_ARTICLES) && before > 0
            {
                turned.push(fp);
            }
        }
        Ok((recurring, turned))
    }

    /// Unchanged articles holding a line whose status `turned` are cleaned again.
    fn to_reclean(
        &self,
        turned: Vec<u64>,
        plan: &Plan<'_>,
        new_files: &Files,
    ) -> Result<BTreeSet<String>> {
        let mut reclean: BTreeSet<String> = BTreeSet::new();
        for fp in turned {
            for path in self.files_with_line(fp)? {
                let unchanged = match plan.new_primary.get(path.as_str()) {
                    Some(k) => plan.old_primary.get(path.as_str()) == Some(k),
                    None => new_files
                        .get(&path)
                        .is_some_and(|e| !plan.affected.contains(&group_key(&path, e))),
                };
                if unchanged {
                    reclean.insert(path);
                }
            }
        }
        Ok(reclean)
    }

    /// 5. Reads again, cleans, splits and adds the `jobs` (path, whether cleaned again), in
    ///    parallel with tantivy's indexing threads. Returns the files that failed and the bad
    ///    lines of JSON Lines files; an error of the index itself stops the sync.
    fn add_articles(
        &self,
        writer: &IndexWriter,
        jobs: &[(&str, bool)],
        new_files: &Files,
        known: &SyncFurniture<'_>,
        options: &SyncOptions,
        progress: &ProgressCounter<'_>,
    ) -> Result<(Vec<Failure>, Vec<Skipped>)> {
        let f = self.fields;
        let failures: Mutex<Vec<Failure>> = Mutex::new(Vec::new());
        let bad_lines: Mutex<Vec<Skipped>> = Mutex::new(Vec::new());
        let index_errors: Mutex<Vec<TantivyError>> = Mutex::new(Vec::new());
        jobs.par_iter().for_each(|&(path, again)| {
            let Some(entry) = new_files.get(path) else {
                return;
            };
            let outcome = if entry.jsonl {
                self.add_jsonl(writer, path, &bad_lines)
            } else {
                read_verified(Path::new(path), entry, options.max_file_size).map(|article| {
                    if again {
                        writer.delete_term(Term::from_field_text(f.file, path));
                    }
                    for doc in article_documents(&f, path, entry.hash, &article, known) {
                        if let Err(e) = writer.add_document(doc) {
                            lock(&index_errors).push(e);
                        }
                    }
                })
            };
            if let Err(e) = outcome {
                lock(&failures).push((path.to_string(), e, again));
            }
            progress.advance_many(1, entry.size);
        });
        if let Some(e) = into_inner(index_errors).into_iter().next() {
            return Err(Error::index(&self.path, e));
        }
        Ok((into_inner(failures), into_inner(bad_lines)))
    }
}

/// 1. A stat per file: those whose size and modification time match the manifest are not read.
///    The listing and the manifest are walked side by side in path order.
fn compare(
    listing: Listing,
    old_files: &Files,
    old_refused: &BTreeMap<String, Refused>,
    options: &SyncOptions,
) -> Compared {
    let mut files = listing.files;
    if !files.is_sorted_by(|a, b| a.key <= b.key) {
        files.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    }
    let mut unchanged: Vec<(String, FileEntry)> = Vec::with_capacity(files.len());
    let mut refused: BTreeMap<String, Refused> = BTreeMap::new();
    let mut to_read: Vec<ListedFile> = Vec::new();
    let mut old_entries = old_files.iter().peekable();
    for lf in files {
        if let Some(r) = old_refused
            .get(&lf.key)
            .filter(|r| !options.full && r.still(&lf, options.max_file_size))
        {
            // Still the file refused last time: said again, not read again.
            refused.insert(lf.key, r.clone());
            continue;
        }
        while old_entries.next_if(|(k, _)| *k < lf.key.as_str()).is_some() {}
        match old_entries.peek() {
            Some(&(k, e))
                if k == lf.key
                    && e.size == lf.size
                    && e.mtime_ns == lf.mtime_ns
                    && e.jsonl == lf.jsonl =>
            {
                unchanged.push((lf.key, *e));
            }
            _ => to_read.push(lf),
        }
    }
    let mut skipped = listing.skipped;
    skipped.extend(refused.iter().map(|(path, r)| Skipped {
        path: path.clone(),
        reason: r.skip_reason(),
        kept_previous: false,
    }));
    let joining = keep_unreachable(old_files, &mut skipped, &unchanged);
    Compared {
        unchanged,
        joining,
        refused,
        to_read,
        skipped,
    }
}

/// 2. Reads, hashes and fingerprints what may have changed (in parallel); nothing is kept but
///    the hash and the line fingerprints (some 30 a file).
fn read_changed<'a>(
    to_read: &'a [ListedFile],
    old_files: &Files,
    max_size: u64,
    (joining, refused): (
        &mut Vec<(String, FileEntry)>,
        &mut BTreeMap<String, Refused>,
    ),
    report: &mut SyncReport,
) -> HashMap<&'a str, Vec<u64>> {
    let scans: Vec<(&ListedFile, Result<Scan>)> = to_read
        .par_iter()
        .map(|lf| (lf, scan(lf, max_size)))
        .collect();
    let mut prints: HashMap<&str, Vec<u64>> = HashMap::new();
    for (lf, scanned) in scans {
        match scanned {
            Ok(s) => {
                joining.push((
                    lf.key.clone(),
                    FileEntry {
                        size: lf.size,
                        mtime_ns: lf.mtime_ns,
                        hash: s.hash,
                        jsonl: lf.jsonl,
                    },
                ));
                prints.insert(lf.key.as_str(), s.prints);
            }
            Err(e) => {
                if let Some(limit) = refused_for_content(&e, max_size) {
                    refused.insert(
                        lf.key.clone(),
                        Refused {
                            size: lf.size,
                            mtime_ns: lf.mtime_ns,
                            reason: reason_of(&e).to_string(),
                            limit,
                        },
                    );
                }
                // Unreadable: the last good version stays. Bad content: the file is what it is.
                let kept = matches!(e, Error::Io { .. })
                    .then(|| old_files.get(&lf.key).copied())
                    .flatten();
                report.skipped.push(Skipped {
                    path: lf.key.clone(),
                    reason: reason_of(&e),
                    kept_previous: kept.is_some(),
                });
                if let Some(entry) = kept {
                    joining.push((lf.key.clone(), entry));
                }
            }
        }
    }
    prints
}

/// Counts as done the files read in step 2 that step 5 does not read again.
fn read_only_done(progress: &ProgressCounter<'_>, to_read: &[ListedFile], to_index: &[&str]) {
    let indexing: HashSet<&str> = to_index.iter().copied().collect();
    let read_only: u64 = to_read
        .iter()
        .filter(|lf| !indexing.contains(lf.key.as_str()))
        .map(|lf| lf.size)
        .sum();
    progress.advance_many(
        to_read.len().saturating_sub(to_index.len()) as u64,
        read_only,
    );
}

/// The articles of files outside the affected groups, counted, not grouped: one per JSON Lines
/// file, one per distinct content hash (told apart by its first 64 bits; a collision would only
/// miscount).
fn count_unaffected(files: &Files, affected: &Affected<'_>) -> usize {
    let (mut hashes, mut jsonl_files) = (Vec::new(), 0);
    for (path, entry) in files.iter() {
        if affected.contains(&group_key(path, entry)) {
            continue;
        }
        if entry.jsonl {
            jsonl_files += 1;
        } else {
            hashes.push(entry.hash.prefix());
        }
    }
    hashes.sort_unstable();
    hashes.dedup();
    hashes.len() + jsonl_files
}

/// 6a. The failures of step 5 go into the report. Returns the paths to forget: every name of
///     an article whose file changed or vanished since step 2 (its old version is deleted
///     already), so that the next run indexes it afresh.
fn settle(
    (failures, bad_lines, recleaned): (Vec<Failure>, Vec<Skipped>, usize),
    plan: &Plan<'_>,
    report: &mut SyncReport,
) -> Vec<String> {
    report.recleaned = recleaned;
    report.skipped.extend(bad_lines);
    let mut forget: Vec<String> = Vec::new();
    for (path, e, again) in failures {
        if again {
            // Its indexed version was not touched.
            report.recleaned -= 1;
            report.skipped.push(Skipped {
                path,
                reason: reason_of(&e),
                kept_previous: true,
            });
            continue;
        }
        if let Some(key) = plan.new_primary.get(path.as_str()) {
            let names = plan.new_groups.get(key).into_iter().flatten();
            forget.extend(names.map(|name| name.to_string()));
        }
        if plan.old_primary.contains_key(path.as_str()) {
            report.updated -= 1;
            report.removed += 1;
        } else {
            report.added -= 1;
        }
        report.skipped.push(Skipped {
            path,
            reason: reason_of(&e),
            kept_previous: false,
        });
    }
    forget
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|p| p.into_inner())
}
