//! The clauses beside the ranking query (filters, required phrases, exclusions, the rarer
//! words when common ones make no candidates), and the unscored query of every passage the
//! search matches, which facets and the sort by date count.

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::expand::DocFreqs;
use super::matcher::{filter_query, matcher, tantivy_query, Matcher};
use super::units::{Commons, Units};
use crate::index::Fields;
use crate::query::ParsedQuery;

/// A restriction takes no part in the score.
pub(super) fn restrict(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(BoostQuery::new(q, 0.0)))
}

/// The clauses beside the ranking query: filters, required phrases, exclusions, and the rarer
/// words when common ones are left out of the candidates.
pub(super) fn restrictions(
    f: &Fields,
    parsed: &ParsedQuery,
    units: &Units,
    common: &Commons,
    freqs: &DocFreqs<'_>,
    analyzer: &mut TextAnalyzer,
) -> Vec<(Occur, Box<dyn Query>)> {
    let in_text_or_title =
        |m: &Matcher| [f.text, f.title].map(|field| (Occur::Should, tantivy_query(field, m)));
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for filter in &parsed.filters {
        clauses.push(restrict(filter_query(f, freqs, analyzer, filter)));
    }
    for (matchers, _) in units
        .matchers
        .iter()
        .zip(&units.required)
        .filter(|(_, &r)| r)
    {
        let either: Vec<(Occur, Box<dyn Query>)> =
            matchers.iter().flat_map(in_text_or_title).collect();
        clauses.push(restrict(Box::new(BooleanQuery::new(either))));
    }
    for atom in &parsed.excluded {
        if let Some((m, _)) = matcher(f, freqs, analyzer, atom, false) {
            clauses.push((Occur::MustNot, tantivy_query(f.text, &m)));
        }
    }
    if common.rarer_required && !clauses.is_empty() {
        // The ranking query alone leaves the common words out of its candidates (see
        // `RankSpec::candidates`); beside other clauses, a restriction does it.
        let rarer: Vec<(Occur, Box<dyn Query>)> = units
            .matchers
            .iter()
            .zip(&common.units)
            .filter(|(_, &c)| !c)
            .flat_map(|(matchers, _)| matchers)
            .flat_map(in_text_or_title)
            .collect();
        clauses.push(restrict(Box::new(BooleanQuery::new(rarer))));
    }
    clauses
}

/// Every passage the query matches, unscored: its `restrictions`, and any of the units' words
/// in text or title (the rarer ones only, when common words make no candidates).
pub(super) fn match_query(
    f: &Fields,
    mut clauses: Vec<(Occur, Box<dyn Query>)>,
    units: &Units,
    common: &Commons,
) -> Box<dyn Query> {
    let any: Vec<(Occur, Box<dyn Query>)> = units
        .matchers
        .iter()
        .zip(&common.units)
        .filter(|(_, &c)| !(c && common.rarer_required))
        .flat_map(|(matchers, _)| matchers)
        .flat_map(|m| [f.text, f.title].map(|field| (Occur::Should, tantivy_query(field, m))))
        .collect();
    if !any.is_empty() {
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    clauses.push(restrict(Box::new(TermQuery::new(
        Term::from_field_text(f.kind, "passage"),
        IndexRecordOption::Basic,
    ))));
    Box::new(BooleanQuery::new(clauses))
}
