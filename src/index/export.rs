//! The index's articles as it stores them, for `aes-search export`: every article with its
//! title, date, source, path and passages, read from the stored fields in a stable order, so
//! that the cleaned corpus can feed other tools without cleaning the files again.

use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use super::Engine;
use crate::error::{Error, Result};

/// An article as the index holds it: what the cleaner kept, cut into passages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedArticle {
    /// Its id in the index (of its content, or the `id` of a JSON Lines passage).
    pub id: String,
    /// The file it was read from, as the index names it.
    pub path: String,
    /// The headline, where one was found.
    pub title: Option<String>,
    /// Publication date, `YYYY-MM-DD` or `YYYY-MM`.
    pub date: Option<String>,
    /// The outlet, where it could be told.
    pub source: Option<String>,
    /// Its passages, in order, each with its place in the article.
    pub passages: Vec<(u64, String)>,
}

impl IndexedArticle {
    /// The paragraphs the passages were made of (a passage joins paragraphs with a newline; a
    /// paragraph longer than [`crate::passage::MAX_PASSAGE_CHARS`] comes as its pieces).
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.passages
            .iter()
            .flat_map(|(_, text)| text.split('\n'))
            .filter(|p| !p.trim().is_empty())
    }
}

/// Where a passage is, and what orders it: its file, its article, its place.
struct PassageKey {
    file: String,
    article_id: String,
    passage: u64,
    address: DocAddress,
}

impl Engine {
    /// Calls `each` with every article of the last commit, ordered by path, then id. Only the
    /// keys of all passages are held at once; each article's texts are read when it is given.
    ///
    /// ```
    /// # fn main() -> aes_search::Result<()> {
    /// use aes_search::{Engine, Source, SyncOptions};
    /// let dir = tempfile::tempdir().unwrap();
    /// let articles = dir.path().join("articles");
    /// std::fs::create_dir(&articles).unwrap();
    /// std::fs::write(articles.join("a.txt"), "Bamako accueille le sommet de l'AES\n\n\
    ///     Les chefs d'État de la Confédération se réunissent à Bamako pour dresser le bilan.").unwrap();
    /// let engine = Engine::open_or_create(dir.path().join("index"))?;
    /// engine.sync(&[Source::Folder(articles)], &SyncOptions::default())?;
    /// let mut titles = Vec::new();
    /// engine.for_each_article(|a| Ok(titles.push(a.title)))?;
    /// assert_eq!(titles, [Some("Bamako accueille le sommet de l'AES".to_string())]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn for_each_article(
        &self,
        mut each: impl FnMut(IndexedArticle) -> Result<()>,
    ) -> Result<()> {
        let keys = self.passage_keys()?;
        let mut start = 0;
        while start < keys.len() {
            let same = |k: &PassageKey| {
                k.file == keys[start].file && k.article_id == keys[start].article_id
            };
            let end = start + keys[start..].iter().take_while(|k| same(k)).count();
            each(self.read_article(&keys[start..end])?)?;
            start = end;
        }
        Ok(())
    }

    /// The keys of every passage document, sorted.
    fn passage_keys(&self) -> Result<Vec<PassageKey>> {
        let searcher = self.reader.searcher();
        let f = self.fields;
        let text = |doc: &TantivyDocument, field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let mut keys = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc_id in 0..segment.max_doc() {
                if segment.is_deleted(doc_id) {
                    continue;
                }
                let address = DocAddress::new(ord as u32, doc_id);
                let doc: TantivyDocument = searcher
                    .doc(address)
                    .map_err(|e| Error::index(&self.path, e))?;
                // Only passages carry their place; an article's marker document does not.
                let Some(passage) = doc.get_first(f.passage).and_then(|v| v.as_u64()) else {
                    continue;
                };
                keys.push(PassageKey {
                    file: text(&doc, f.file),
                    article_id: text(&doc, f.article_id),
                    passage,
                    address,
                });
            }
        }
        keys.sort_by(|a, b| {
            (&a.file, &a.article_id, a.passage, a.address).cmp(&(
                &b.file,
                &b.article_id,
                b.passage,
                b.address,
            ))
        });
        Ok(keys)
    }

    /// The article of a run of keys of one file and id.
    fn read_article(&self, keys: &[PassageKey]) -> Result<IndexedArticle> {
        let searcher = self.reader.searcher();
        let f = self.fields;
        let mut article = IndexedArticle {
            id: keys[0].article_id.clone(),
            path: keys[0].file.clone(),
            title: None,
            date: None,
            source: None,
            passages: Vec::with_capacity(keys.len()),
        };
        for key in keys {
            let doc: TantivyDocument = searcher
                .doc(key.address)
                .map_err(|e| Error::index(&self.path, e))?;
            let field = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            article.title = article.title.or_else(|| field(f.title));
            article.date = article.date.or_else(|| field(f.date));
            article.source = article.source.or_else(|| field(f.source));
            article
                .passages
                .push((key.passage, field(f.text).unwrap_or_default()));
        }
        Ok(article)
    }
}
