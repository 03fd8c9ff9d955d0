//! The query language ([`ParsedQuery`]) in OpenSearch's query DSL: a `bool` whose `should` holds
//! one clause per unit (a word matched with our analyzer in text and title, forgiving one typo
//! at a low weight; a phrase; a prefix), a sloppy phrase of the words for proximity, `filter`
//! for `title:`, `source:` and `date:`, and `must_not` for `-word`.

use serde_json::{json, Value};

use crate::error::Result;
use crate::fold::fold;
use crate::query::{Atom, Filter, ParsedQuery};
use crate::search::SearchOptions;

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

/// The search request for `parsed`: the query, enough hits to keep `per_article` of each
/// article, and highlights over the whole passage.
pub(super) fn search_request(parsed: &ParsedQuery, options: &SearchOptions) -> Result<Value> {
    let size = options
        .limit
        .saturating_mul(options.per_article.max(1) + 2)
        .clamp(10, 1_000);
    Ok(json!({
        "size": size,
        "track_total_hits": false,
        "query": query(parsed),
        "_source": ["article_id", "file", "passage", "text", "title", "date", "source"],
        "highlight": {
            "pre_tags": [MARK_START.to_string()],
            "post_tags": [MARK_END.to_string()],
            "fields": { "text": { "number_of_fragments": 0 } }
        }
    }))
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
        Filter::Source(name) => {
            json!({ "match": { "source": { "query": name, "operator": "and" } } })
        }
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
                r#""filter":[{"match":{"source":{"operator":"and","query":"Maliweb"}}}]"#,
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
