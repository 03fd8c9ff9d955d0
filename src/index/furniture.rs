//! Furniture learned across articles: a line found in [`RECURRING_MIN_ARTICLES`] articles is
//! page furniture. The counts are the index's own document frequencies of line fingerprints.

use std::collections::HashMap;
use std::path::Path;

use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::report::SyncOptions;
use super::schema::{line_term, KIND_ARTICLE};
use super::Engine;
use crate::clean::{KnownFurniture, RECURRING_MIN_ARTICLES};
use crate::error::{Error, Result};
use crate::{article, clean};

/// Furniture as the index will know it after the sync: decided for every line that arrives or
/// leaves with this sync, and counted in the index for the others.
pub(super) struct SyncFurniture<'a> {
    pub(super) engine: &'a Engine,
    pub(super) decided: &'a HashMap<u64, bool>,
    pub(super) index_empty: bool,
}

impl KnownFurniture for SyncFurniture<'_> {
    fn is_recurring(&self, fingerprint: u64) -> bool {
        match self.decided.get(&fingerprint) {
            Some(&recurring) => recurring,
            None => {
                !self.index_empty
                    && self
                        .engine
                        .articles_with_line(fingerprint)
                        .is_ok_and(|n| n >= RECURRING_MIN_ARTICLES)
            }
        }
    }
}

impl Engine {
    /// Number of indexed articles that contain the line with this fingerprint.
    pub(super) fn articles_with_line(&self, fingerprint: u64) -> Result<u64> {
        let searcher = self.reader.searcher();
        let term = line_term(&self.fields, fingerprint);
        if searcher
            .segment_readers()
            .iter()
            .all(|s| s.num_deleted_docs() == 0)
        {
            // Without deletions the document frequency is exact, and costs one lookup.
            return searcher
                .doc_freq(&term)
                .map_err(|e| Error::index(&self.path, e));
        }
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        searcher
            .search(&query, &Count)
            .map(|n| n as u64)
            .map_err(|e| Error::index(&self.path, e))
    }

    /// The line fingerprints stored with the article indexed under `path`.
    pub(super) fn stored_prints(&self, path: &str) -> Result<Vec<u64>> {
        let f = self.fields;
        let query = BooleanQuery::intersection(vec![
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, KIND_ARTICLE),
                IndexRecordOption::Basic,
            )),
            Box::new(TermQuery::new(
                Term::from_field_text(f.file, path),
                IndexRecordOption::Basic,
            )),
        ]);
        let mut prints = Vec::new();
        for doc in self.stored_docs(&query)? {
            if let Some(bytes) = doc.get_first(f.line_prints).and_then(|v| v.as_bytes()) {
                prints.extend(
                    bytes
                        .chunks_exact(8)
                        .filter_map(|c| c.try_into().ok())
                        .map(u64::from_le_bytes),
                );
            }
        }
        Ok(prints)
    }

    pub(super) fn files_with_line(&self, fingerprint: u64) -> Result<Vec<String>> {
        let query = TermQuery::new(
            line_term(&self.fields, fingerprint),
            IndexRecordOption::Basic,
        );
        Ok(self
            .stored_docs(&query)?
            .iter()
            .filter_map(|doc| doc.get_first(self.fields.file).and_then(|v| v.as_str()))
            .map(str::to_string)
            .collect())
    }

    /// The stored fields of every document (in the last commit) that `query` matches.
    pub(super) fn stored_docs(
        &self,
        query: &dyn tantivy::query::Query,
    ) -> Result<Vec<TantivyDocument>> {
        let searcher = self.reader.searcher();
        let addresses = searcher
            .search(query, &DocSetCollector)
            .map_err(|e| Error::index(&self.path, e))?;
        addresses
            .into_iter()
            .map(|address| {
                searcher
                    .doc(address)
                    .map_err(|e| Error::index(&self.path, e))
            })
            .collect()
    }

    /// Cleans a file with what this index has learned about recurring furniture.
    pub fn clean_file(&self, path: &Path, options: &SyncOptions) -> Result<clean::CleanedArticle> {
        let article = article::read_article(path, options.max_file_size)?;
        let none = HashMap::new();
        let index_empty = self.reader.searcher().num_docs() == 0;
        Ok(article.clean(&SyncFurniture {
            engine: self,
            decided: &none,
            index_empty,
        }))
    }
}
