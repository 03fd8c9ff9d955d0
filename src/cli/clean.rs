//! `aes-search clean FILE`: what the cleaner keeps and drops, and why; with `--explain`, every
//! line with its decision and the evidence it rests on.

use std::io::Write;
use std::path::Path;

use aes_search::clean::{describe_line, CleanedArticle, DroppedLine};
use aes_search::{Engine, Result, SyncOptions};
use serde::Serialize;

use super::{stdout_error, Places, Status};

#[derive(Serialize)]
struct Dropped<'a> {
    line: usize,
    text: &'a str,
    reason: aes_search::clean::Reason,
    why: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<aes_search::clean::Evidence>,
}

/// One line of the file as `--explain` shows it.
#[derive(Serialize)]
struct Explained<'a> {
    line: usize,
    text: &'a str,
    /// "keep", or the reason it was dropped.
    decision: &'static str,
    /// What the pass that dropped it saw; empty for a kept line.
    evidence: &'static str,
    /// The line's prose statistics.
    stats: String,
}

pub fn run(places: &Places, file: &Path, json: bool, explain: bool) -> Result<Status> {
    let options = SyncOptions::default();
    // The lines the cleaner read: a saved page's are its headline and blocks, not its markup.
    let text = aes_search::article::read_article(file, options.max_file_size)?.text;
    // Use what the index has learned about recurring furniture, when there is an index.
    let cleaned = match Engine::open(&places.index) {
        Ok(engine) => engine.clean_file(file, &options)?,
        Err(_) => aes_search::article::read_article(file, options.max_file_size)?
            .clean(&aes_search::clean::NoFurniture),
    };
    let explained = explain.then(|| explain_lines(&text, &cleaned));
    let mut out = std::io::stdout().lock();
    if json {
        #[derive(Serialize)]
        struct Doc<'a> {
            title: &'a Option<String>,
            date: &'a Option<String>,
            source: &'a Option<String>,
            paragraphs: &'a [String],
            dropped: Vec<Dropped<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            lines: Option<Vec<Explained<'a>>>,
        }
        let doc = Doc {
            title: &cleaned.title,
            date: &cleaned.date,
            source: &cleaned.source,
            paragraphs: &cleaned.paragraphs,
            dropped: cleaned.dropped.iter().map(dropped).collect(),
            lines: explained,
        };
        serde_json::to_writer_pretty(&mut out, &doc).map_err(|e| stdout_error(e.into()))?;
        writeln!(out).map_err(stdout_error)?;
        return Ok(Status::Success);
    }
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(unknown)".into());
    writeln!(out, "title:  {}", show(&cleaned.title)).map_err(stdout_error)?;
    writeln!(out, "date:   {}", show(&cleaned.date)).map_err(stdout_error)?;
    writeln!(out, "source: {}", show(&cleaned.source)).map_err(stdout_error)?;
    if let Some(lines) = explained {
        explain_page(&mut out, file)?;
        writeln!(out).map_err(stdout_error)?;
        for l in &lines {
            let why = if l.evidence.is_empty() {
                l.stats.clone()
            } else {
                format!("{}; {}", l.evidence, l.stats)
            };
            writeln!(out, "{:>5}  {:<13} {}", l.line, l.decision, why).map_err(stdout_error)?;
            writeln!(out, "{:>5}  {:<13} | {}", "", "", l.text).map_err(stdout_error)?;
        }
        return Ok(Status::Success);
    }
    writeln!(out, "\n{} paragraphs kept:", cleaned.paragraphs.len()).map_err(stdout_error)?;
    for p in &cleaned.paragraphs {
        writeln!(out, "  | {p}").map_err(stdout_error)?;
    }
    writeln!(out, "\n{} lines dropped:", cleaned.dropped.len()).map_err(stdout_error)?;
    for d in &cleaned.dropped {
        writeln!(out, "  {:>4}  [{}] {}", d.line, d.reason.describe(), d.text)
            .map_err(stdout_error)?;
    }
    Ok(Status::Success)
}

/// For a saved page, its blocks first: which the article's region kept, and why the others
/// were left out before the line cleaner saw them.
fn explain_page(out: &mut impl Write, file: &Path) -> Result<()> {
    if !aes_search::html::is_page(file) {
        return Ok(());
    }
    let bytes = std::fs::read(file).map_err(|source| aes_search::Error::Io {
        path: file.to_owned(),
        source,
    })?;
    let Ok(blocks) = aes_search::html::explain_blocks(&bytes) else {
        return Ok(());
    };
    writeln!(out, "\npage blocks:").map_err(stdout_error)?;
    for (text, why) in &blocks {
        writeln!(out, "  [{why}] {text}").map_err(stdout_error)?;
    }
    writeln!(out, "\nlines of the article's blocks:").map_err(stdout_error)?;
    Ok(())
}

fn dropped(d: &DroppedLine) -> Dropped<'_> {
    Dropped {
        line: d.line,
        text: &d.text,
        reason: d.reason,
        why: d.reason.describe(),
        evidence: d.evidence,
    }
}

/// Every non-blank line of `text` with its decision: the dropped ones carry their line number,
/// so the others are the kept paragraphs.
fn explain_lines<'a>(text: &'a str, cleaned: &'a CleanedArticle) -> Vec<Explained<'a>> {
    let mut dropped = cleaned.dropped.iter().peekable();
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let n = i + 1;
        let decision = dropped.next_if(|d| d.line == n);
        lines.push(Explained {
            line: n,
            text: line,
            decision: decision.map_or("keep", |d| d.reason.name()),
            evidence: decision
                .and_then(|d| d.evidence)
                .map_or("", |e| e.describe()),
            stats: describe_line(line),
        });
    }
    lines
}
