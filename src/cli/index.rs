//! `aes-search index [DIR ...]`: sync the index with folders, with a progress bar on a terminal
//! and one summary line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use aes_search::{Engine, Error, Result, SkipReason, Source, SyncOptions, SyncReport};

use super::{Places, Status};

pub struct Config {
    pub dirs: Vec<PathBuf>,
    pub jsonl: Vec<PathBuf>,
    pub full: bool,
    pub max_file_size: u64,
    pub extensions: Vec<String>,
    pub quiet: bool,
}

/// One line: what changed, what was skipped, how long it took.
pub fn summary(report: &SyncReport) -> String {
    let mut line = format!(
        "{} added, {} updated, {} removed, {} unchanged, {} skipped",
        report.added,
        report.updated,
        report.removed,
        report.unchanged,
        report.skipped.len()
    );
    if report.recleaned > 0 {
        line.push_str(&format!(", {} re-cleaned", report.recleaned));
    }
    if report.ignored > 0 {
        line.push_str(&format!(", {} other files ignored", report.ignored));
    }
    line.push_str(&format!(
        " ({} passages) in {:.2?}",
        report.passages, report.elapsed
    ));
    line
}

/// A skipped file's reason, with the flag that changes it where there is one.
pub fn skip_reason(reason: &SkipReason) -> String {
    match reason {
        SkipReason::TooLarge { .. } => format!("{reason} (see --max-file-size)"),
        other => other.to_string(),
    }
}

pub fn run(places: &Places, config: &Config) -> Result<Status> {
    let mut sources: Vec<Source> = config.dirs.iter().cloned().map(Source::Folder).collect();
    if sources.is_empty() && config.jsonl.is_empty() {
        sources.push(Source::Folder(places.corpus.clone()));
    }
    sources.extend(config.jsonl.iter().cloned().map(Source::Jsonl));
    let mut options = SyncOptions {
        max_file_size: config.max_file_size,
        extensions: config.extensions.clone(),
        full: config.full,
        progress: None,
    };
    let bar = (!config.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files, {msg} ({eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    if let Some(bar) = bar.clone() {
        let started = std::time::Instant::now();
        options.progress = Some(Arc::new(move |p: aes_search::Progress| {
            bar.set_length(p.files_total);
            bar.set_position(p.files_done);
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{:.1} MB/s", p.bytes_done as f64 / 1e6 / secs));
        }));
    }
    let synced = match &places.cluster {
        Some(cluster) => super::backend::sync_cluster(cluster, &sources, &options),
        None => Engine::open_or_create(&places.index).and_then(|e| e.sync(&sources, &options)),
    };
    let report = match synced {
        // A full sync rebuilds whatever state the folder is in.
        Err(Error::Damaged { message, .. }) if config.full && places.cluster.is_none() => {
            eprintln!(
                "aes-search: {} is damaged ({message}): rebuilding it",
                places.index.display()
            );
            Engine::recreate(&places.index)?.sync(&sources, &options)?
        }
        other => other?,
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for s in &report.skipped {
        let kept = if s.kept_previous {
            " (its previous version stays in the index)"
        } else {
            ""
        };
        eprintln!(
            "aes-search: skipped {}: {}{kept}",
            s.path,
            skip_reason(&s.reason)
        );
    }
    if !config.quiet {
        for names in &report.duplicates {
            eprintln!(
                "aes-search: same article under {} names, indexed once: {}",
                names.len(),
                names.join(", ")
            );
        }
        eprintln!("aes-search: {}", summary(&report));
    }
    Ok(if report.skipped.is_empty() {
        Status::Success
    } else {
        Status::Skipped
    })
}
