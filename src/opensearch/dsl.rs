//! The query language ([`ParsedQuery`]) in OpenSearch's query DSL: a `bool` whose `should` holds
//! one clause per unit (a word matched with our analyzer in text and title, forgiving one typo
//! at a low weight; a phrase; a prefix), a sloppy phrase of the words for proximity, `filter`
//! for `title:`, `source:` and `date:`, and `must_not` for `-word`.

use serde_json::{json, Value};
use tantivy::tokenizer::TextAnalyzer;

use crate::error::Result;
use crate::fold::fold;
use crate::query::{Atom, Filter, ParsedQuery};
use crate::search::{SearchOptions, Sort};

use super::settings::SOURCE_NAME;

/// Markers around a highlighted word: private-use characters that news text never holds.
pub(super) const MARK_START: char = '\u{E000}';
pub(super) const MARK_END: char = '\u{E001}';

/// Weight of a word in the title against the same word in the passage, as
/// `dis_max`'s tie breaker: the better field counts whole, the other at this fraction.
const TITLE_TIE_BREAKER: f32 = 0.5;
/// A typo costs this much of the word's weight.
const FUZZY_BOOST: f32 = 0.2;
/// Words of the query standing within this many positions of each other, in order, score more.
const PROXIMITY_SLOP: u32 = 4;
const PROXIMITY_BOOST: f32 = 1.0;

/// Most hits a search may ask for: the cluster's `index.max_result_window` by default.
const MAX_WINDOW: usize = 10_000;
/// Most sources and most distinct dates the facets count (about 27 years of days); both
/// together stay under the cluster's `search.max_buckets` (65,535).
const FACET_SOURCES: usize = 5_000;
const FACET_DATES: usize = 10_000;

/// The search request for `parsed` (its filters include those beside the query): the query,
/// enough hits to fill the page asked for once they are grouped by article (the hits before
/// `offset` are counted after that grouping, in `hits.rs`, so `from` stays 0), the order, the
/// facets' aggregations, and highlights over the whole passage.
pub(super) fn search_request(parsed: &ParsedQuery, options: &SearchOptions) -> Result<Value> {
    let size = options
        .limit
        .saturating_add(options.offset)
        .saturating_mul(options.per_article.max(1) + 2)
        .clamp(10, MAX_WINDOW);
    let mut request = json!({
        "size": size,
        "track_total_hits": options.facets,
        "query": query(parsed),
        "_source": ["article_id", "file", "passage", "text", "title", "date", "source"],
        "highlight": {
            "pre_tags": [MARK_START.to_string()],
            "post_tags": [MARK_END.to_string()],
            "fields": { "text": { "number_of_fragments": 0 } }
        }
    });
    if options.sort == Sort::Date {
        // Newest first, undated last; `YYYY-MM-DD` keywords sort as dates do. Ties in the
        // order of the passages, as the embedded index keeps them.
        request["sort"] = json!([
            { "date": { "order": "desc", "missing": "_last" } },
            { "file": { "order": "asc" } },
            { "passage": { "order": "asc" } }
        ]);
        request["track_scores"] = json!(true);
    }
    if options.facets {
        // Per day, as the dates are kept: `hits.rs` adds the days up into months.
        request["aggs"] = json!({
            "sources": { "terms": { "field": SOURCE_NAME, "size": FACET_SOURCES } },
            "dates": { "terms": { "field": "date", "size": FACET_DATES } }
        });
    }
    Ok(request)
}

/// The `bool` query of `parsed`.
pub(super) fn query(parsed: &ParsedQuery) -> Value {
    let mut should: Vec<Value> = Vec::new();
    let mut must: Vec<Value> = Vec::new();
    for unit in &parsed.units {
        let alternatives: Vec<Value> = unit.alternatives.iter().map(ranked).collect();
        let clause = one_of(alternatives);
        // A unit of phrases only is required, as in the embedded index: quotes mean "this".
        if unit
            .alternatives
            .iter()
            .all(|a| matches!(a, Atom::Phrase(_)))
        {
            must.push(clause);
        } else {
            should.push(clause);
        }
    }
    let words: Vec<&str> = parsed
        .units
        .iter()
        .filter_map(|u| match u.alternatives.as_slice() {
            [Atom::Word(w)] => Some(w.as_str()),
            _ => None,
        })
        .collect();
    let mut optional = Vec::new();
    if words.len() >= 2 {
        optional.push(json!({ "match_phrase": { "text": {
            "query": words.join(" "), "slop": PROXIMITY_SLOP, "boost": PROXIMITY_BOOST
        }}}));
    }
    let mut bool_query = serde_json::Map::new();
    if !should.is_empty() {
        // At least one unit must match; more units matched rank higher.
        should.extend(optional);
        bool_query.insert("should".into(), Value::Array(should));
        bool_query.insert("minimum_should_match".into(), json!(1));
    } else if !must.is_empty() {
        bool_query.insert("should".into(), Value::Array(optional));
    }
    if !must.is_empty() {
        bool_query.insert("must".into(), Value::Array(must));
    }
    let filters: Vec<Value> = parsed.filters.iter().map(filter).collect();
    if !filters.is_empty() {
        bool_query.insert("filter".into(), Value::Array(filters));
    }
    let excluded: Vec<Value> = parsed
        .excluded
        .iter()
        .map(|a| restrict("text", a))
        .collect();
    if !excluded.is_empty() {
        bool_query.insert("must_not".into(), Value::Array(excluded));
    }
    json!({ "bool": bool_query })
}

/// An alternative that scores: in the passage and its title.
fn ranked(atom: &Atom) -> Value {
    match atom {
        Atom::Word(w) => one_of(vec![
            json!({ "dis_max": {
                "tie_breaker": TITLE_TIE_BREAKER,
                "queries": [
                    { "match": { "text": { "query": w } } },
                    { "match": { "title": { "query": w } } }
                ]
            }}),
            json!({ "match": { "text": {
                "query": w, "fuzziness": "AUTO", "prefix_length": 1, "max_expansions": 10,
                "boost": FUZZY_BOOST
            }}}),
        ]),
        Atom::Phrase(p) => json!({ "dis_max": {
            "tie_breaker": TITLE_TIE_BREAKER,
            "queries": [
                { "match_phrase": { "text": { "query": p } } },
                { "match_phrase": { "title": { "query": p } } }
            ]
        }}),
        Atom::Prefix(_) => one_of(vec![restrict("text", atom), restrict("title", atom)]),
    }
}

/// For the missing-words rule, one unit of the query that is more than stop words.
pub(super) struct Check {
    /// Its first alternative as typed, for the notice.
    pub typed: String,
    /// The passages that hold it: any alternative; a word or its spellings within the
    /// cluster's fuzziness; every word of a phrase.
    pub query: Value,
    /// Its alternatives that are one word each, to look for their one-edit spellings.
    pub words: Vec<String>,
}

/// The [`Check`]s of `parsed`'s units.
pub(super) fn unit_checks(parsed: &ParsedQuery, analyzer: &mut TextAnalyzer) -> Vec<Check> {
    let mut checks = Vec::new();
    for unit in &parsed.units {
        let (mut held, mut words) = (Vec::new(), Vec::new());
        for atom in &unit.alternatives {
            let tokens = match atom {
                Atom::Word(w) | Atom::Phrase(w) => crate::analysis::tokens(analyzer, w).len(),
                Atom::Prefix(_) => 1,
            };
            held.push(match atom {
                _ if tokens == 0 => continue,
                Atom::Word(w) => {
                    if tokens == 1 {
                        words.push(w.clone());
                    }
                    one_of(vec![
                        json!({ "match": { "text": {
                            "query": w, "operator": "and",
                            "fuzziness": "AUTO", "prefix_length": 1, "max_expansions": 10
                        }}}),
                        restrict("title", atom),
                    ])
                }
                Atom::Phrase(p) => one_of(vec![
                    restrict("text", &Atom::Word(p.clone())),
                    restrict("title", &Atom::Word(p.clone())),
                ]),
                Atom::Prefix(_) => one_of(vec![restrict("text", atom), restrict("title", atom)]),
            });
        }
        if let (false, Some(first)) = (held.is_empty(), unit.alternatives.first()) {
            checks.push(Check {
                typed: crate::search::atom_text(first),
                query: one_of(held),
                words,
            });
        }
    }
    checks
}

/// The passages that hold a stem of a one-edit spelling of one of `words`, as the embedded
/// index looks for a typo that changes what the stemmer strips ("coopératon"), which the
/// cluster's fuzziness on the stem misses; `None` when there is none to look for.
pub(super) fn respelt(words: &[String], analyzer: &mut TextAnalyzer) -> Option<Value> {
    let mut stems: Vec<String> = Vec::new();
    for word in words {
        let own = crate::analysis::tokens(analyzer, word);
        let own = own.first().map_or("", |t| t.text.as_str());
        stems.extend(crate::search::one_edit_stems(analyzer, word, own));
    }
    (!stems.is_empty()).then(|| {
        one_of(vec![
            json!({ "terms": { "text": stems } }),
            json!({ "terms": { "title": stems } }),
        ])
    })
}

/// A clause that holds or not (filters and exclusions): `atom` in `field`.
fn restrict(field: &str, atom: &Atom) -> Value {
    match atom {
        Atom::Word(w) => json!({ "match": { field: { "query": w, "operator": "and" } } }),
        Atom::Phrase(p) => json!({ "match_phrase": { field: { "query": p } } }),
        // The index holds folded, lowercased (and stemmed) terms: the prefix is folded the same.
        Atom::Prefix(p) => json!({ "prefix": { field: { "value": prefix_term(p) } } }),
    }
}

fn filter(filter: &Filter) -> Value {
    match filter {
        Filter::Title(atom) => restrict("title", atom),
        // Every word of the name, analysed as the field is; a name of only stop words
        // ("source:le") restricts nothing, as in the embedded index.
        Filter::Source(name) => json!({ "match": { "source": {
            "query": name, "operator": "and", "zero_terms_query": "all"
        }}}),
        Filter::Date { from, to } => {
            let mut range = serde_json::Map::new();
            if let Some(from) = from {
                range.insert("gte".into(), json!(from));
            }
            if let Some(to) = to {
                range.insert("lt".into(), json!(to));
            }
            json!({ "range": { "date": range } })
        }
    }
}

fn one_of(mut clauses: Vec<Value>) -> Value {
    if clauses.len() == 1 {
        return clauses.remove(0);
    }
    json!({ "bool": { "should": clauses, "minimum_should_match": 1 } })
}

/// A prefix as the index holds words: lowercase, folded, elided article dropped.
fn prefix_term(prefix: &str) -> String {
    let lower = fold(&prefix.to_lowercase()).replace(['’', 'ʼ', '‘'], "'");
    let (elided, _) = crate::analysis::word_lists();
    match lower.split_once('\'') {
        Some((article, rest)) if elided.contains(&article) => rest.to_string(),
        _ => lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn dsl(q: &str) -> String {
        query(&parse(q).unwrap()).to_string()
    }

    #[test]
    fn each_part_of_the_language_has_its_clause() {
        let table = [
            ("monnaie", r#""match":{"text":{"query":"monnaie"}}"#),
            ("monnaie", r#""fuzziness":"AUTO""#),
            (
                "monnaie commune",
                r#""match_phrase":{"text":{"boost":1.0,"query":"monnaie commune","slop":4}}"#,
            ),
            ("\"monnaie commune\"", r#""must":[{"dis_max""#),
            ("sahél*", r#""prefix":{"text":{"value":"sahel"}}"#),
            ("l’Écon*", r#""prefix":{"text":{"value":"econ"}}"#),
            (
                "mali -franc",
                r#""must_not":[{"match":{"text":{"operator":"and","query":"franc"}}}]"#,
            ),
            (
                "mali source:Maliweb",
                r#""filter":[{"match":{"source":{"operator":"and","query":"Maliweb","zero_terms_query":"all"}}}]"#,
            ),
            (
                "mali date:2024",
                r#""range":{"date":{"gte":"2024","lt":"2024~"}}"#,
            ),
            (
                "mali title:sommet",
                r#""match":{"title":{"operator":"and","query":"sommet"}}"#,
            ),
            (
                "mali OR niger",
                r#""should":[{"bool":{"minimum_should_match":1,"should":[{"bool""#,
            ),
        ];
        for (q, expected) in table {
            let got = dsl(q);
            assert!(got.contains(expected), "{q}: {got}");
        }
    }

    /// The request for `q` with `options`, as `OpenSearch::search` builds it.
    fn request(q: &str, options: &SearchOptions) -> Value {
        let (parsed, _) = crate::search::read_query(q, options).unwrap();
        search_request(&parsed, options).unwrap()
    }

    #[test]
    fn each_search_option_has_its_part_of_the_request() {
        let with = |f: fn(&mut SearchOptions)| {
            let mut o = SearchOptions::default();
            f(&mut o);
            o
        };
        let filter = "/query/bool/filter/0";
        // (options, JSON pointer into the request, the value there; Null for absent)
        let table: Vec<(SearchOptions, &str, Value)> = vec![
            (SearchOptions::default(), "/sort", Value::Null),
            (SearchOptions::default(), "/aggs", Value::Null),
            (SearchOptions::default(), "/track_total_hits", json!(false)),
            (SearchOptions::default(), "/from", Value::Null),
            (SearchOptions::default(), "/size", json!(40)),
            // Pages are counted after the grouping by article: `from` stays 0, more are asked.
            (with(|o| o.offset = 20), "/from", Value::Null),
            (with(|o| o.offset = 20), "/size", json!(120)),
            (with(|o| o.offset = usize::MAX), "/size", json!(MAX_WINDOW)),
            (
                with(|o| o.sort = Sort::Date),
                "/sort/0",
                json!({"date": {"order": "desc", "missing": "_last"}}),
            ),
            (
                with(|o| o.sort = Sort::Date),
                "/sort/1",
                json!({"file": {"order": "asc"}}),
            ),
            (with(|o| o.sort = Sort::Date), "/track_scores", json!(true)),
            (
                with(|o| o.facets = true),
                "/aggs/sources/terms/field",
                json!("source.raw"),
            ),
            (
                with(|o| o.facets = true),
                "/aggs/dates/terms/field",
                json!("date"),
            ),
            (with(|o| o.facets = true), "/track_total_hits", json!(true)),
            (
                with(|o| o.source = Some(" Sahel Info ".into())),
                filter,
                json!({"match": {"source": {
                    "query": "Sahel Info", "operator": "and", "zero_terms_query": "all"
                }}}),
            ),
            (with(|o| o.source = Some("  ".into())), filter, Value::Null),
            // `2024` is the whole year: from its first day to its last, included.
            (
                with(|o| o.since = Some("2024".into())),
                filter,
                json!({"range": {"date": {"gte": "2024"}}}),
            ),
            (
                with(|o| o.until = Some("2024".into())),
                filter,
                json!({"range": {"date": {"lt": "2024~"}}}),
            ),
            (
                with(|o| {
                    o.since = Some("2024-07".into());
                    o.until = Some("2025-06-30".into());
                }),
                filter,
                json!({"range": {"date": {"gte": "2024-07", "lt": "2025-06-30~"}}}),
            ),
            (
                with(|o| o.since = Some("juillet".into())),
                filter,
                Value::Null,
            ),
        ];
        for (options, pointer, expected) in table {
            let got = request("monnaie", &options);
            let at = got.pointer(pointer).cloned().unwrap_or(Value::Null);
            assert_eq!(at, expected, "{pointer} with {options:?}");
        }
    }

    #[test]
    fn an_unreadable_date_beside_the_query_is_a_notice() {
        let options = SearchOptions {
            since: Some("juillet".into()),
            ..SearchOptions::default()
        };
        let (parsed, _) = crate::search::read_query("monnaie", &options).unwrap();
        assert!(parsed.filters.is_empty());
        assert_eq!(parsed.notices.len(), 1, "{:?}", parsed.notices);
    }

    #[test]
    fn a_single_word_has_no_proximity_clause() {
        assert!(!dsl("monnaie").contains("slop"));
        assert!(!dsl("\"monnaie commune\" -x").contains("slop"));
    }

    #[test]
    fn only_filters_match_everything_they_allow() {
        let got = dsl("date:2024");
        assert!(!got.contains("should"), "{got}");
        assert!(got.contains("filter"), "{got}");
    }
}
