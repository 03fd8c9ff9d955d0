//! One article, found by its id, as a reader sees it: its metadata, the paragraphs kept and the
//! lines dropped with their reasons. A file is cleaned again, with what the index knows of
//! recurring furniture; a JSON Lines article is its passages as stored.

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::schema::{Fields, KIND_ARTICLE, KIND_PASSAGE};
use super::{Engine, SyncOptions};
use crate::article::Article;
use crate::clean::DroppedLine;
use crate::error::{Error, Result};

/// An article as [`Engine::article`] shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleView {
    /// Its id, file, title, date and source.
    pub article: Article,
    /// The paragraphs kept, in order.
    pub paragraphs: Vec<String>,
    /// The lines left out, with their reasons.
    pub dropped: Vec<DroppedLine>,
}

impl Engine {
    /// The article with this id (as in [`Article::id`]), or `None` when the last commit loaded
    /// holds none. A file is read and cleaned again, so a file changed since the last sync shows
    /// as it is now; one gone since is an [`Error::Io`].
    ///
    /// ```
    /// # fn main() -> aes_search::Result<()> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let corpus = dir.path().join("corpus");
    /// # std::fs::create_dir(&corpus).unwrap();
    /// # std::fs::write(corpus.join("a.txt"), "Le projet de monnaie commune\n\nSuivez Le Journal sur Telegram\n\nLes États du Sahel préparent une monnaie sahélienne commune pour leur confédération.").unwrap();
    /// use aes_search::{Engine, SearchOptions, SyncOptions};
    /// let engine = Engine::open_or_create(dir.path().join("index"))?;
    /// engine.sync_folders(&[&corpus], &SyncOptions::default())?;
    /// let id = engine.search("monnaie", &SearchOptions::default())?[0].article.id.clone();
    /// let view = engine.article(&id, &SyncOptions::default())?.unwrap();
    /// assert_eq!(view.paragraphs.len(), 1);
    /// assert!(view.dropped.iter().any(|d| d.text.contains("Telegram")));
    /// assert!(engine.article("no-such-id", &SyncOptions::default())?.is_none());
    /// # Ok(()) }
    /// ```
    pub fn article(&self, id: &str, options: &SyncOptions) -> Result<Option<ArticleView>> {
        let f = self.fields;
        if let Some(marker) = self.first_doc(&of_kind(&f, KIND_ARTICLE, id))? {
            let Some(file) = marker.get_first(f.file).and_then(|v| v.as_str()) else {
                return Ok(None);
            };
            let cleaned = self.clean_file(std::path::Path::new(file), options)?;
            return Ok(Some(ArticleView {
                article: Article {
                    id: id.to_string(),
                    path: file.to_string(),
                    title: cleaned.title,
                    date: cleaned.date,
                    source: cleaned.source,
                },
                paragraphs: cleaned.paragraphs,
                dropped: cleaned.dropped,
            }));
        }
        // No marker: passages of a JSON Lines file, as stored.
        let mut passages = self.stored_docs(&of_kind(&f, KIND_PASSAGE, id))?;
        let index_of = |d: &TantivyDocument| d.get_first(f.passage).and_then(|v| v.as_u64());
        passages.sort_by_key(index_of);
        let text = |d: &TantivyDocument, field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let Some(first) = passages.first() else {
            return Ok(None);
        };
        Ok(Some(ArticleView {
            article: Article {
                id: id.to_string(),
                path: text(first, f.file).unwrap_or_default(),
                title: text(first, f.title),
                date: text(first, f.date),
                source: text(first, f.source),
            },
            paragraphs: passages.iter().filter_map(|d| text(d, f.text)).collect(),
            dropped: Vec::new(),
        }))
    }

    fn first_doc(&self, query: &dyn Query) -> Result<Option<TantivyDocument>> {
        let searcher = self.reader.searcher();
        let addresses = searcher
            .search(query, &DocSetCollector)
            .map_err(|e| Error::index(&self.path, e))?;
        match addresses.into_iter().min() {
            Some(a) => searcher
                .doc(a)
                .map(Some)
                .map_err(|e| Error::index(&self.path, e)),
            None => Ok(None),
        }
    }
}

/// The documents of one kind with this article id.
fn of_kind(f: &Fields, kind: &str, id: &str) -> BooleanQuery {
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    BooleanQuery::new(vec![
        (Occur::Must, term(f.kind, kind)),
        (Occur::Must, term(f.article_id, id)),
    ])
}
