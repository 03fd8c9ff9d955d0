//! One article on the cluster, found by its id, as a reader sees it (what
//! [`Engine::article`](crate::Engine::article) is for the embedded index). The cluster keeps
//! passages, not the lines the cleaner dropped: those can be shown only when the file the
//! passages came from can be read here and still has the content that was sent.

use std::path::{Component, Path};

use serde_json::{json, Value};

use super::client::Method;
use super::documents::{article_id, clean_bytes};
use super::manifest::entry_id;
use super::OpenSearch;
use crate::article::Article;
use crate::error::Result;
use crate::index::{ArticleView, SyncOptions};

/// Most passages of one article read (the cluster's `index.max_result_window`).
const MAX_PASSAGES: usize = 10_000;
/// Below this many articles the count of [`OpenSearch::num_articles`] is close to exact (the
/// most `cardinality` allows).
const EXACT_ARTICLES: u64 = 40_000;

/// How much of an article [`OpenSearch::article`] could show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DroppedLines {
    /// Its file was read again and cleaned: `dropped` lists the lines left out.
    Listed,
    /// It came as passages (JSON Lines): the cleaner dropped nothing.
    NotCleaned,
    /// Its file cannot be read here (outside the folder given, gone, or another machine's):
    /// the passages stored on the cluster are shown.
    FileUnreadable,
    /// Its file has changed since it was sent: the passages stored (those searched) are shown.
    FileChanged,
}

/// An article as the cluster holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterArticle {
    /// Its metadata and paragraphs; `article.path` is the file as the cluster names it.
    pub view: ArticleView,
    /// Whether `view.dropped` could be filled.
    pub dropped_lines: DroppedLines,
}

impl OpenSearch {
    /// The article with this id, or `None` when the cluster holds no passage of it. Its file
    /// is cleaned again when it lies under `readable_under` (no `..` in its name) and its
    /// content is still the one sent; otherwise the view is the passages as stored.
    pub fn article(
        &self,
        id: &str,
        readable_under: &Path,
        options: &SyncOptions,
    ) -> Result<Option<ClusterArticle>> {
        let request = json!({
            "size": MAX_PASSAGES,
            "query": { "term": { "article_id": id } },
            "sort": [{ "passage": "asc" }],
            "_source": ["file", "text", "title", "date", "source"]
        });
        let path = format!("/{}/_search", self.index);
        let body = self.client.json(Method::Post, &path, Some(&request))?;
        let empty = Vec::new();
        let passages: Vec<&Value> = body["hits"]["hits"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .map(|h| &h["_source"])
            .collect();
        let Some(first) = passages.first() else {
            return Ok(None);
        };
        let text = |v: &Value, field: &str| v[field].as_str().map(str::to_string);
        let file = text(first, "file").unwrap_or_default();
        let mut view = ArticleView {
            article: Article {
                id: id.to_string(),
                path: file.clone(),
                title: text(first, "title"),
                date: text(first, "date"),
                source: text(first, "source"),
            },
            paragraphs: passages.iter().filter_map(|p| text(p, "text")).collect(),
            dropped: Vec::new(),
        };
        let dropped_lines = match read_again(id, &file, readable_under, options) {
            Ok(cleaned) => {
                view.article.title = cleaned.title;
                view.article.date = cleaned.date;
                view.article.source = cleaned.source;
                view.paragraphs = cleaned.paragraphs;
                view.dropped = cleaned.dropped;
                DroppedLines::Listed
            }
            // A JSON Lines file's articles are not the hash of its bytes: never the same.
            Err(_) if self.is_jsonl(&file)? => DroppedLines::NotCleaned,
            Err(why) => why,
        };
        Ok(Some(ClusterArticle {
            view,
            dropped_lines,
        }))
    }

    /// Articles in the index: exact for a small index, within a few percent beyond
    /// 40,000 (a `cardinality` aggregation; an exact count would read every id).
    pub fn num_articles(&self) -> Result<u64> {
        let request = json!({
            "size": 0,
            "aggs": { "articles": { "cardinality": {
                "field": "article_id", "precision_threshold": EXACT_ARTICLES
            } } }
        });
        let path = format!("/{}/_search", self.index);
        let body = self.client.json(Method::Post, &path, Some(&request))?;
        Ok(body["aggregations"]["articles"]["value"]
            .as_u64()
            .unwrap_or(0))
    }

    /// Whether the manifest records `file` as JSON Lines.
    fn is_jsonl(&self, file: &str) -> Result<bool> {
        let path = format!("/{}/_doc/{}", self.manifest_index(), entry_id(file));
        let answer = self
            .client
            .send(Method::Get, &path, None, "application/json")?;
        if answer.status == 404 {
            return Ok(false);
        }
        Ok(self.client.ok(answer)?["_source"]["jsonl"] == json!(true))
    }
}

/// The file of article `id` cleaned again, if it lies under `under` and still holds the
/// content whose hash is the id.
fn read_again(
    id: &str,
    file: &str,
    under: &Path,
    options: &SyncOptions,
) -> std::result::Result<crate::CleanedArticle, DroppedLines> {
    let path = Path::new(file);
    // The name comes from the cluster, which others may write: it must not climb out.
    let climbs = path.components().any(|c| c == Component::ParentDir);
    if file.is_empty() || climbs || !path.starts_with(under) {
        return Err(DroppedLines::FileUnreadable);
    }
    let fits =
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= options.max_file_size);
    let bytes = match fits.then(|| std::fs::read(path)) {
        Some(Ok(bytes)) => bytes,
        _ => return Err(DroppedLines::FileUnreadable),
    };
    if article_id(blake3::hash(&bytes).to_hex().as_str()) != id {
        return Err(DroppedLines::FileChanged);
    }
    clean_bytes(path, &bytes).map_err(|_| DroppedLines::FileUnreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unchanged_file_under_the_folder_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let text = "Le sommet de Niamey\n\nSuivez-nous sur Telegram\n\n\
                    Les trois pays préparent une monnaie commune pour leur confédération.";
        let file = corpus.join("a.txt");
        std::fs::write(&file, text).unwrap();
        let outside = dir.path().join("b.txt");
        std::fs::write(&outside, text).unwrap();
        let hash = blake3::hash(text.as_bytes()).to_hex().to_string();
        let id = article_id(&hash);
        let name = |p: &Path| p.to_string_lossy().into_owned();
        let climbing = name(&corpus.join("..").join("b.txt"));
        let options = SyncOptions::default();
        // (id, file, what comes back)
        let table: &[(&str, String, std::result::Result<(), DroppedLines>)] = &[
            (id, name(&file), Ok(())),
            (
                "0123456789abcdef",
                name(&file),
                Err(DroppedLines::FileChanged),
            ),
            (id, name(&outside), Err(DroppedLines::FileUnreadable)),
            (id, climbing, Err(DroppedLines::FileUnreadable)),
            (
                id,
                name(&corpus.join("gone.txt")),
                Err(DroppedLines::FileUnreadable),
            ),
            (id, String::new(), Err(DroppedLines::FileUnreadable)),
        ];
        for (id, file, expected) in table {
            let got = read_again(id, file, &corpus, &options);
            assert_eq!(
                got.as_ref().map(|_| ()),
                expected.as_ref().map(|_| ()),
                "{file}"
            );
            if let Ok(cleaned) = got {
                assert!(cleaned.dropped.iter().any(|d| d.text.contains("Telegram")));
            }
        }
    }
}
