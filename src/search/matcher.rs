//! What the query's atoms stand for in the index: analysed into terms (a prefix or a typo
//! expanded), as tantivy queries for restrictions and exclusions, and as the ranking's
//! alternatives with their idf.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::expand::{
    fuzzy_expansions, one_edit_spellings, prefix_expansions, typo_distance, DocFreqs,
};
use super::MAX_FUZZY_EXPANSIONS;
use crate::analysis::{self, prefix_analyzer};
use crate::index::Fields;
use crate::query::{Atom, Filter};
use crate::rank::{Alternative, CorpusStats, RankTerm};

/// What an atom of the query stands for in the index.
#[derive(Debug, Clone)]
pub(super) enum Matcher {
    /// Any of these terms: a word, or a prefix's or a typo's expansions.
    Terms(Vec<String>),
    /// (offset in the query, term) pairs; stop words leave gaps in the offsets.
    Phrase(Vec<(usize, String)>),
}

/// What an atom stands for in the index; `None` when it is only stop words. The flag says
/// whether the word was unknown and expanded to near spellings.
pub(super) fn matcher(
    f: &Fields,
    freqs: &DocFreqs<'_>,
    analyzer: &mut TextAnalyzer,
    atom: &Atom,
    allow_fuzzy: bool,
) -> Option<(Matcher, bool)> {
    match atom {
        Atom::Prefix(p) => {
            let prefix = analysis::tokens(&mut prefix_analyzer(), p)
                .into_iter()
                .next()?;
            Some((
                Matcher::Terms(prefix_expansions(freqs.searcher, f.text, &prefix.text)),
                false,
            ))
        }
        Atom::Word(w) | Atom::Phrase(w) => {
            let tokens = analysis::tokens(analyzer, w);
            match tokens.len() {
                0 => None,
                1 => {
                    let term = tokens[0].text.clone();
                    let known = freqs.in_text_or_title(&term) > 0;
                    let distance = typo_distance(w.chars().count(), term.chars().count());
                    // A word of the page furniture is spelt right: correcting it would turn
                    // a query for furniture into one for an article's word that looks like it.
                    if !known
                        && allow_fuzzy
                        && matches!(atom, Atom::Word(_))
                        && distance > 0
                        && !freqs.in_dropped_lines(&term)
                    {
                        let near = near_terms(f, freqs, analyzer, w, &term, distance);
                        if !near.is_empty() {
                            return Some((Matcher::Terms(near), true));
                        }
                    }
                    Some((Matcher::Terms(vec![term]), false))
                }
                _ => {
                    let first = tokens[0].position;
                    Some((
                        Matcher::Phrase(
                            tokens
                                .into_iter()
                                .map(|t| (t.position - first, t.text))
                                .collect(),
                        ),
                        false,
                    ))
                }
            }
        }
    }
}

/// The index terms a misspelt word may stand for: the stems within `distance` edits of its own;
/// failing those, the stems of its one-edit spellings, for a typo that changes what the stemmer
/// strips ("coopératon" keeps its ending and stems far from "cooper"). Tried first, those
/// spellings lost on PIAF (MRR@10 0.7862 → 0.7858): a frequent stem one edit away outweighed
/// the near one. Leaving out the stems that cut the typed one short by two letters ("public"
/// for "publicité", in no passage) lost too, on PIAF and on its typos (0.7725 → 0.7699).
fn near_terms(
    f: &Fields,
    freqs: &DocFreqs<'_>,
    analyzer: &mut TextAnalyzer,
    typed: &str,
    term: &str,
    distance: u8,
) -> Vec<String> {
    let near = fuzzy_expansions(freqs.searcher, f.text, term, distance);
    if !near.is_empty() {
        return near;
    }
    let mut spelt: Vec<(u64, String)> = one_edit_stems(analyzer, typed, term)
        .into_iter()
        .filter_map(|stem| {
            let passages = freqs.uncached_in_text_or_title(&stem);
            (passages > 0).then_some((passages, stem))
        })
        .collect();
    spelt.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    spelt.truncate(MAX_FUZZY_EXPANSIONS);
    spelt.into_iter().map(|(_, t)| t).collect()
}

/// The stems of the one-edit spellings of `typed` (lowercased, folded), each once, other than
/// `term` (its own stem): what a typo that changes what the stemmer strips may stand for.
pub(crate) fn one_edit_stems(analyzer: &mut TextAnalyzer, typed: &str, term: &str) -> Vec<String> {
    let folded = crate::fold::fold(&typed.to_lowercase()).into_owned();
    let mut stems: Vec<String> = Vec::new();
    for spelling in one_edit_spellings(&folded) {
        let tokens = analysis::tokens(analyzer, &spelling);
        let [token] = tokens.as_slice() else {
            continue;
        };
        if token.text != term && !stems.contains(&token.text) {
            stems.push(token.text.clone());
        }
    }
    stems
}

pub(super) fn filter_query(
    f: &Fields,
    freqs: &DocFreqs<'_>,
    analyzer: &mut TextAnalyzer,
    filter: &Filter,
) -> Box<dyn Query> {
    match filter {
        Filter::Title(atom) => match matcher(f, freqs, analyzer, atom, false) {
            Some((m, _)) => tantivy_query(f.title, &m),
            None => Box::new(AllQuery),
        },
        Filter::Source(s) => {
            let terms: Vec<(Occur, Box<dyn Query>)> = analysis::tokens(analyzer, s)
                .into_iter()
                .map(|t| {
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.source, &t.text),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>,
                    )
                })
                .collect();
            if terms.is_empty() {
                Box::new(AllQuery)
            } else {
                Box::new(BooleanQuery::new(terms))
            }
        }
        Filter::Date { from, to } => {
            let bound = |d: &Option<String>, inclusive: bool| match d {
                None => Bound::Unbounded,
                Some(d) if inclusive => Bound::Included(Term::from_field_text(f.date, d)),
                Some(d) => Bound::Excluded(Term::from_field_text(f.date, d)),
            };
            Box::new(RangeQuery::new(bound(from, true), bound(to, false)))
        }
    }
}

/// A matcher as a plain tantivy query on one field (for exclusions and `title:`).
pub(super) fn tantivy_query(field: Field, m: &Matcher) -> Box<dyn Query> {
    let term = |t: &str| Term::from_field_text(field, t);
    match m {
        Matcher::Terms(terms) if terms.is_empty() => Box::new(EmptyQuery),
        Matcher::Terms(terms) => Box::new(BooleanQuery::new(
            terms
                .iter()
                .map(|t| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term(t), IndexRecordOption::Basic))
                            as Box<dyn Query>,
                    )
                })
                .collect(),
        )),
        Matcher::Phrase(terms) => Box::new(PhraseQuery::new_with_offset(
            terms.iter().map(|(o, t)| (*o, term(t))).collect(),
        )),
    }
}

/// A matcher as the ranking sees it: its terms with their idf.
pub(super) fn alternative(m: &Matcher, freqs: &DocFreqs<'_>, stats: &CorpusStats) -> Alternative {
    Alternative {
        terms: matcher_terms(m)
            .map(|t| RankTerm {
                text: t.to_string(),
                idf: stats.idf(freqs.get(t).0),
            })
            .collect(),
        phrase: match m {
            Matcher::Terms(_) => None,
            Matcher::Phrase(terms) => Some(terms.iter().map(|(o, _)| *o as u32).collect()),
        },
    }
}

/// Synonyms weigh the same, as with Lucene's `SynonymQuery`: each alternative of a unit the
/// list expanded weighs as much as the lightest (the most frequent word, or the phrase of least
/// total idf), so that a rare spelling or a long name does not outrank the words as typed.
/// On the news development set, without it the list lost 0.15 nDCG@10 on a query whose acronym
/// it expanded to a five-word name.
pub(super) fn share_weight(alternatives: &mut [Alternative]) {
    let weight = |a: &Alternative| -> f32 {
        match a.phrase {
            None => a.terms.iter().map(|t| t.idf).fold(f32::INFINITY, f32::min),
            Some(_) => a.terms.iter().map(|t| t.idf).sum(),
        }
    };
    let shared = alternatives
        .iter()
        .map(weight)
        .fold(f32::INFINITY, f32::min);
    for alt in alternatives.iter_mut() {
        let scale = alt
            .phrase
            .as_ref()
            .map(|_| shared / weight(alt).max(f32::MIN_POSITIVE));
        for term in &mut alt.terms {
            term.idf = scale.map_or(shared, |scale| term.idf * scale);
        }
    }
}

/// The index terms a matcher looks for, in order.
pub(super) fn matcher_terms(m: &Matcher) -> Box<dyn Iterator<Item = &str> + '_> {
    match m {
        Matcher::Terms(terms) => Box::new(terms.iter().map(String::as_str)),
        Matcher::Phrase(terms) => Box::new(terms.iter().map(|(_, t)| t.as_str())),
    }
}

/// A unit of single words that are each in more than a quarter of the passages (an idf under
/// ln 4). On PIAF, this left MRR@10 unchanged, with and without ELTeC distractors.
pub(super) fn is_common(alternatives: &[Alternative]) -> bool {
    const COMMON_IDF: f32 = 1.386_294_4; // ln 4
    alternatives
        .iter()
        .all(|alt| alt.phrase.is_none() && alt.terms.iter().all(|t| t.idf < COMMON_IDF))
}

/// An atom as typed, for notices.
pub(crate) fn atom_text(atom: &Atom) -> String {
    match atom {
        Atom::Word(w) => w.clone(),
        Atom::Phrase(p) => format!("\"{p}\""),
        Atom::Prefix(p) => format!("{p}*"),
    }
}
