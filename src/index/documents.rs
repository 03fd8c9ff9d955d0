//! The documents of the index, built in one place: the passages of a cleaned article (with the
//! article's marker document), and the passages of a JSON Lines file, line by line.

use std::io::BufRead;
use std::sync::Mutex;

use tantivy::{doc, IndexWriter, TantivyDocument, Term};

use super::manifest::ContentHash;
use super::report::{SkipReason, Skipped};
use super::schema::{Fields, KIND_ARTICLE, KIND_PASSAGE};
use super::Engine;
use crate::article::ArticleText;
use crate::clean::KnownFurniture;
use crate::error::{Error, Result};
use crate::jsonl::PassageLine;
use crate::{clean, near, passage};

/// What one passage document holds.
pub(super) struct PassageFields<'a> {
    pub article_id: &'a str,
    pub file: &'a str,
    /// The passage's place in its article, from 0.
    pub index: u64,
    pub text: String,
    pub title: Option<&'a str>,
    pub date: Option<&'a str>,
    pub source: Option<&'a str>,
    /// The article's near-duplicate fingerprint, where it has one.
    pub near: Option<u64>,
}

/// The one place a passage document is built, from an article or a JSON Lines line.
pub(super) fn passage_document(f: &Fields, p: PassageFields<'_>) -> TantivyDocument {
    let mut d = doc!(
        f.kind => KIND_PASSAGE,
        f.article_id => p.article_id,
        f.file => p.file,
        f.passage => p.index,
        f.text => p.text,
    );
    for (field, value) in [(f.title, p.title), (f.date, p.date), (f.source, p.source)] {
        if let Some(value) = value {
            d.add_text(field, value);
        }
    }
    if let Some(near) = p.near {
        d.add_u64(f.near, near);
    }
    d
}

/// Dropped lines of at most this many words give their words to the `dropped` field.
const DROPPED_LINE_MAX_WORDS: usize = 8;

/// The documents of one article file: one per passage, and one that carries its line prints.
pub(super) fn article_documents(
    f: &Fields,
    path: &str,
    hash: ContentHash,
    article: &ArticleText,
    known: &dyn KnownFurniture,
) -> Vec<TantivyDocument> {
    let article_id: &str = &hash.article_id();
    let line_prints = clean::fingerprint_lines(&article.text);
    let cleaned = article.clean_with_prints(&line_prints, known);
    let mut docs = Vec::new();
    let mut marker = doc!(f.kind => KIND_ARTICLE, f.article_id => article_id, f.file => path);
    let prints = clean::distinct_prints(&line_prints);
    for fp in &prints {
        marker.add_text(f.lines, format!("{fp:016x}"));
    }
    let stored: Vec<u8> = prints.iter().flat_map(|fp| fp.to_le_bytes()).collect();
    marker.add_bytes(f.line_prints, &stored);
    // Only short lines (labels, prompts, menus): their words are the ones a furniture query
    // types, and long dropped lines would cost the build their analysis. One value for all.
    let dropped: Vec<&str> = cleaned
        .dropped
        .iter()
        .map(|d| d.text.as_str())
        .filter(|t| t.split_whitespace().count() <= DROPPED_LINE_MAX_WORDS)
        .collect();
    if !dropped.is_empty() {
        marker.add_text(f.dropped, dropped.join("\n"));
    }
    docs.push(marker);
    let near = near::fingerprint(&cleaned.paragraphs);
    for p in passage::split(&cleaned.paragraphs) {
        docs.push(passage_document(
            f,
            PassageFields {
                article_id,
                file: path,
                index: p.index as u64,
                text: p.text,
                title: cleaned.title.as_deref(),
                date: cleaned.date.as_deref(),
                source: cleaned.source.as_deref(),
                near,
            },
        ));
    }
    docs
}

impl Engine {
    /// Adds the passages of a JSON Lines file, read line by line; a line that cannot be read is
    /// reported as `FILE:LINE` and the others are indexed.
    pub(super) fn add_jsonl(
        &self,
        writer: &IndexWriter,
        path: &str,
        bad_lines: &Mutex<Vec<Skipped>>,
    ) -> Result<()> {
        let f = self.fields;
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        writer.delete_term(Term::from_field_text(f.file, path));
        let mut reader = std::io::BufReader::new(file);
        let mut buf = Vec::new();
        let mut n = 0usize;
        loop {
            buf.clear();
            if reader
                .read_until(b'\n', &mut buf)
                .map_err(|e| Error::io(path, e))?
                == 0
            {
                break;
            }
            n += 1;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed = match PassageLine::parse(&buf) {
                Ok(l) => l,
                Err(why) => {
                    let skipped = Skipped {
                        path: format!("{path}:{n}"),
                        reason: SkipReason::BadLine(why),
                        kept_previous: false,
                    };
                    bad_lines
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(skipped);
                    continue;
                }
            };
            let d = passage_document(
                &f,
                PassageFields {
                    article_id: &parsed.id,
                    file: path,
                    index: parsed.passage,
                    text: parsed.text,
                    title: parsed.title.as_deref(),
                    date: parsed.date.as_deref(),
                    source: parsed.source.as_deref(),
                    near: None,
                },
            );
            writer
                .add_document(d)
                .map_err(|e| Error::index(&self.path, e))?;
        }
        Ok(())
    }
}
