//! OpenSearch's answer to a search, as the library's [`Hit`]s: at most `per_article` passages of
//! one article, the first `offset` of those left to earlier pages, ranked from 1 on the first
//! page, highlights as byte ranges into the passage text (read from the markers the highlighter
//! put around each matched word); and its aggregations as the same [`Facets`] as the embedded
//! index.

use std::collections::HashMap;

use serde_json::Value;

use super::dsl::{MARK_END, MARK_START};
use crate::article::Article;
use crate::search::facets::{self, Counts};
use crate::search::{Facets, Hit, PassageHit, SearchOptions};

/// The hits of a `_search` answer.
pub(super) fn hits(body: &Value, options: &SearchOptions) -> Vec<Hit> {
    let empty = Vec::new();
    let found = body["hits"]["hits"].as_array().unwrap_or(&empty);
    let mut per_article: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    let mut skipped = 0;
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
        // As the embedded index counts pages: in hits shown, after the grouping.
        if skipped < options.offset {
            skipped += 1;
            continue;
        }
        out.push(Hit {
            rank: options.offset + out.len() + 1,
            ..hit
        });
    }
    out
}

/// The facets of a `_search` answer asked with `track_total_hits` and the aggregations of
/// `dsl::search_request`.
pub(super) fn facets(body: &Value) -> Facets {
    let buckets = |name: &str| -> HashMap<String, u64> {
        let empty = Vec::new();
        body["aggregations"][name]["buckets"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .filter_map(|b| Some((b["key"].as_str()?.to_string(), b["doc_count"].as_u64()?)))
            .collect()
    };
    let total = body["hits"]["total"]["value"].as_u64().unwrap_or(0);
    let counts: Counts = (total, buckets("sources"), buckets("dates"));
    facets::facets(counts)
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

    /// A found passage `n` of article `id`, as the cluster answers it.
    fn found(id: &str, n: u64) -> Value {
        json!({"_score": 1.0, "_source": {"article_id": id, "file": "a.txt",
               "passage": n, "text": "x"}})
    }

    #[test]
    fn at_most_per_article_passages_of_one_article() {
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

    #[test]
    fn an_offset_counts_the_hits_shown_and_ranks_go_on() {
        // a-2 is never shown (per_article 2): it takes no place on a page.
        let body = json!({"hits": {"hits": [
            found("a", 0), found("a", 1), found("a", 2), found("b", 0), found("c", 0)
        ]}});
        // (offset, limit, expected ranks and ids)
        type Case<'a> = (usize, usize, &'a [(usize, &'a str)]);
        let table: &[Case] = &[
            (0, 2, &[(1, "a"), (2, "a")]),
            (1, 2, &[(2, "a"), (3, "b")]),
            (2, 2, &[(3, "b"), (4, "c")]),
            (3, 5, &[(4, "c")]),
            (4, 5, &[]),
        ];
        for (offset, limit, expected) in table {
            let options = SearchOptions {
                limit: *limit,
                per_article: 2,
                offset: *offset,
                ..SearchOptions::default()
            };
            let got: Vec<(usize, String)> = hits(&body, &options)
                .into_iter()
                .map(|h| (h.rank, h.article.id))
                .collect();
            let expected: Vec<(usize, String)> = expected
                .iter()
                .map(|(r, id)| (*r, id.to_string()))
                .collect();
            assert_eq!(got, expected, "offset {offset}, limit {limit}");
        }
    }

    #[test]
    fn aggregations_become_the_facets_of_the_embedded_index() {
        let body = json!({
            "hits": {"total": {"value": 9, "relation": "eq"}, "hits": []},
            "aggregations": {
                "sources": {"buckets": [
                    {"key": "Sahel Info", "doc_count": 2},
                    {"key": "Le Journal", "doc_count": 5},
                    {"key": "Autre", "doc_count": 2}
                ]},
                "dates": {"buckets": [
                    {"key": "2025-03-02", "doc_count": 1},
                    {"key": "2024-11-30", "doc_count": 2},
                    {"key": "2024-11-02", "doc_count": 3},
                    {"key": "2024-11", "doc_count": 1}
                ]}
            }
        });
        let f = facets(&body);
        let counts = |v: &[crate::search::FacetCount]| -> Vec<(String, u64)> {
            v.iter().map(|c| (c.value.clone(), c.count)).collect()
        };
        assert_eq!(f.total, 9);
        assert_eq!(
            counts(&f.sources),
            [
                ("Le Journal".into(), 5),
                ("Autre".into(), 2),
                ("Sahel Info".into(), 2)
            ]
        );
        assert_eq!(
            counts(&f.months),
            [("2024-11".into(), 6), ("2025-03".into(), 1)]
        );
        assert_eq!(facets(&json!({})), Facets::default());
    }
}
