//! `aes-search clean FILE`: what the cleaner keeps and drops, and why.

use std::io::Write;
use std::path::Path;

use aes_search::{Engine, Result, SyncOptions};
use serde::Serialize;

use super::{stdout_error, Places, Status};

#[derive(Serialize)]
struct Dropped<'a> {
    line: usize,
    text: &'a str,
    reason: aes_search::clean::Reason,
    why: &'static str,
}

pub fn run(places: &Places, file: &Path, json: bool) -> Result<Status> {
    let options = SyncOptions::default();
    // Use what the index has learned about recurring furniture, when there is an index.
    let cleaned = match Engine::open(&places.index) {
        Ok(engine) => engine.clean_file(file, &options)?,
        Err(_) => aes_search::article::read_article(file, options.max_file_size)?
            .clean(&aes_search::clean::NoFurniture),
    };
    let mut out = std::io::stdout().lock();
    if json {
        #[derive(Serialize)]
        struct Doc<'a> {
            title: &'a Option<String>,
            date: &'a Option<String>,
            source: &'a Option<String>,
            paragraphs: &'a [String],
            dropped: Vec<Dropped<'a>>,
        }
        let doc = Doc {
            title: &cleaned.title,
            date: &cleaned.date,
            source: &cleaned.source,
            paragraphs: &cleaned.paragraphs,
            dropped: cleaned
                .dropped
                .iter()
                .map(|d| Dropped {
                    line: d.line,
                    text: &d.text,
                    reason: d.reason,
                    why: d.reason.describe(),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut out, &doc).map_err(|e| stdout_error(e.into()))?;
        writeln!(out).map_err(stdout_error)?;
    } else {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(unknown)".into());
        writeln!(out, "title:  {}", show(&cleaned.title)).map_err(stdout_error)?;
        writeln!(out, "date:   {}", show(&cleaned.date)).map_err(stdout_error)?;
        writeln!(out, "source: {}", show(&cleaned.source)).map_err(stdout_error)?;
        writeln!(out, "\n{} paragraphs kept:", cleaned.paragraphs.len()).map_err(stdout_error)?;
        for p in &cleaned.paragraphs {
            writeln!(out, "  | {p}").map_err(stdout_error)?;
        }
        writeln!(out, "\n{} lines dropped:", cleaned.dropped.len()).map_err(stdout_error)?;
        for d in &cleaned.dropped {
            writeln!(out, "  {:>4}  [{}] {}", d.line, d.reason.describe(), d.text)
                .map_err(stdout_error)?;
        }
    }
    Ok(Status::Success)
}
