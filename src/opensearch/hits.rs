//! OpenSearch's answer to a search, as the library's [`Hit`]s: at most `per_article` passages of
//! one article, ranked from 1, highlights as byte ranges into the passage text (read from the
//! markers the highlighter put around each matched word).

use std::collections::HashMap;

use serde_json::Value;

use super::dsl::{MARK_END, MARK_START};
use crate::article::Article;
use crate::search::{Hit, PassageHit, SearchOptions};

/// The hits of a `_search` answer.
pub(super) fn hits(body: &Value, options: &SearchOptions) -> Vec<Hit> {
    let empty = Vec::new();
    let found = body["hits"]["hits"].as_array().unwrap_or(&empty);
    let mut per_article: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for found in found {
        if out.len() >= options.limit {
            break;
        }
        let Some(hit) = hit(found) else { continue };
        let seen = per_article.entry(hit.article.id.clone()).or_insert(0);
        if *seen >= options.per_article.max(1) {
            continue;
        }
        *seen += 1;
        out.push(Hit {
            rank: out.len() + 1,
            ..hit
        });
    }
    out
}

fn hit(found: &Value) -> Option<Hit> {
    let source = &found["_source"];
    let text = source["text"].as_str()?.to_string();
    let text_of = |field: &str| source[field].as_str().map(str::to_string);
    let highlights = found["highlight"]["text"][0]
        .as_str()
        .and_then(|marked| highlights(marked, &text))
        .unwrap_or_default();
    Some(Hit {
        rank: 0,
        score: found["_score"].as_f64().unwrap_or(0.0) as f32,
        article: Article {
            id: text_of("article_id").unwrap_or_default(),
            path: text_of("file").unwrap_or_default(),
            title: text_of("title"),
            date: text_of("date"),
            source: text_of("source"),
        },
        passage: PassageHit {
            index: source["passage"].as_u64().unwrap_or(0) as usize,
            text,
            highlights,
        },
        also_in: Vec::new(),
    })
}

/// Byte ranges of the marked words, if the marked text is `text` with markers added (anything
/// else would put highlights in the wrong place: then there are none).
fn highlights(marked: &str, text: &str) -> Option<Vec<(usize, usize)>> {
    let mut plain = String::with_capacity(marked.len());
    let mut ranges = Vec::new();
    let mut start = None;
    for c in marked.chars() {
        match c {
            MARK_START => start = Some(plain.len()),
            MARK_END => {
                if let Some(s) = start.take() {
                    if s < plain.len() {
                        ranges.push((s, plain.len()));
                    }
                }
            }
            _ => plain.push(c),
        }
    }
    (plain == text).then_some(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn markers_become_byte_ranges() {
        type Case<'a> = (&'a str, &'a str, Option<&'a [(usize, usize)]>);
        let table: &[Case] = &[
            (
                "la \u{E000}monnaie\u{E001} commune",
                "la monnaie commune",
                Some(&[(3, 10)]),
            ),
            (
                "l’\u{E000}État\u{E001} et l’\u{E000}économie\u{E001}",
                "l’État et l’économie",
                Some(&[(4, 9), (17, 26)]),
            ),
            ("\u{E000}\u{E001}rien", "rien", Some(&[])),
            ("texte changé", "texte", None),
        ];
        for (marked, text, expected) in table {
            assert_eq!(highlights(marked, text).as_deref(), *expected, "{marked:?}");
        }
    }

    #[test]
    fn at_most_per_article_passages_of_one_article() {
        let found = |id: &str, n: u64| {
            json!({"_score": 1.0, "_source": {"article_id": id, "file": "a.txt",
                   "passage": n, "text": "x"}})
        };
        let body = json!({"hits": {"hits": [
            found("a", 0), found("a", 1), found("a", 2), found("b", 0)
        ]}});
        let options = SearchOptions {
            limit: 10,
            per_article: 2,
            ..SearchOptions::default()
        };
        let got: Vec<(usize, String, usize)> = hits(&body, &options)
            .into_iter()
            .map(|h| (h.rank, h.article.id, h.passage.index))
            .collect();
        assert_eq!(
            got,
            [(1, "a".into(), 0), (2, "a".into(), 1), (3, "b".into(), 0)]
        );
    }
}
