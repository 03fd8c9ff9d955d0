//! A query's units as the index knows them: each unit's alternatives (words, typo and prefix
//! expansions, phrases, the word's family) and which units are common words, worked out once
//! per search before either stage scores anything.

use tantivy::tokenizer::TextAnalyzer;

use super::expand::DocFreqs;
use super::matcher::{is_common, matcher, Matcher};
use super::{atom_text, derived};
use crate::index::Fields;
use crate::query::{Atom, ParsedQuery};
use crate::rank::{Alternative, CorpusStats};
use crate::rewrite;

/// The query's units as index matchers, with what the stages need to know of each.
pub(super) struct Units {
    /// Per unit, its alternatives in the index (units of only stop words left out).
    pub(super) matchers: Vec<Vec<Matcher>>,
    /// Words expanded to near spellings: as typed, and the terms they became.
    pub(super) fuzzy_typed: Vec<(String, Vec<String>)>,
    /// Whether each unit is quoted phrases only: those are required, as in web search engines.
    pub(super) required: Vec<bool>,
    /// Per unit, whether its alternatives came from the synonyms list.
    pub(super) synonym_units: Vec<bool>,
    /// Per unit, its first alternative as typed (for notices).
    pub(super) typed: Vec<String>,
    /// Per unit, how many of its alternatives (the last ones) are words of the same family as
    /// the word typed (see `derived`), weighed below it.
    pub(super) derived: Vec<usize>,
}

impl Units {
    /// Analyses the units, and expands words the index does not know to their near spellings.
    pub(super) fn of(
        f: &Fields,
        parsed: &ParsedQuery,
        rewritten: &rewrite::Rewritten,
        freqs: &DocFreqs<'_>,
        analyzer: &mut TextAnalyzer,
    ) -> Units {
        let mut units = Units {
            matchers: Vec::new(),
            fuzzy_typed: Vec::new(),
            required: Vec::new(),
            synonym_units: Vec::new(),
            typed: Vec::new(),
            derived: Vec::new(),
        };
        for (u, unit) in parsed.units.iter().enumerate() {
            let listed = rewritten.expansions.iter().any(|e| e.unit == u);
            let mut alternatives = Vec::new();
            for (a, atom) in unit.alternatives.iter().enumerate() {
                // Only the words as typed may be typos, not the list's.
                let allow_fuzzy = !listed || a == 0;
                if let Some((m, fuzzy)) = matcher(f, freqs, analyzer, atom, allow_fuzzy) {
                    if fuzzy {
                        if let Matcher::Terms(terms) = &m {
                            units.fuzzy_typed.push((atom_text(atom), terms.clone()));
                        }
                    }
                    alternatives.push(m);
                }
            }
            let family = match (listed, alternatives.as_slice(), unit.alternatives.first()) {
                (false, [Matcher::Terms(terms)], Some(Atom::Word(_))) if terms.len() == 1 => {
                    relatives_in_index(&terms[0], freqs)
                }
                _ => Vec::new(),
            };
            if !alternatives.is_empty() {
                units.derived.push(family.len());
                alternatives.extend(family.into_iter().map(|t| Matcher::Terms(vec![t])));
                units.matchers.push(alternatives);
                units.synonym_units.push(listed);
                units
                    .typed
                    .push(unit.alternatives.first().map(atom_text).unwrap_or_default());
                units.required.push(
                    unit.alternatives
                        .iter()
                        .all(|a| matches!(a, Atom::Phrase(_))),
                );
            }
        }
        units
    }
}

/// The stems of `stem`'s family (see `derived`) that some passage holds.
fn relatives_in_index(stem: &str, freqs: &DocFreqs<'_>) -> Vec<String> {
    derived::relatives(stem)
        .into_iter()
        .filter(|t| freqs.in_text_or_title(t) > 0)
        .collect()
}

/// Whether some passage may hold the matcher: a word or expansion in the index, or a phrase
/// whose every word is.
pub(super) fn found(m: &Matcher, freqs: &DocFreqs<'_>) -> bool {
    match m {
        Matcher::Terms(terms) => terms.iter().any(|t| freqs.in_text_or_title(t) > 0),
        Matcher::Phrase(terms) => terms.iter().all(|(_, t)| freqs.in_text_or_title(t) > 0),
    }
}

/// Words in many passages beside rarer ones ("les", which the Snowball list does not stop) add
/// to the score of passages that hold a rarer one, but do not make a passage a candidate on
/// their own: as Elasticsearch's common terms, so that a query such as "les Turcs" does not
/// score every passage that holds "les". Small collections are left alone: there every word is
/// frequent, and the cost is small.
pub(super) struct Commons {
    /// Per unit, whether it is common words.
    pub(super) units: Vec<bool>,
    /// Whether a rarer unit found in the index makes the candidates.
    pub(super) rarer_required: bool,
    /// Only common words, beside words found nowhere.
    pub(super) only_common: bool,
}

/// Passages below which no word is treated as common (see `is_common`).
const COMMON_MIN_PASSAGES: f32 = 1_000.0;

impl Commons {
    pub(super) fn of(
        rank_units: &[Vec<Alternative>],
        matchers: &[Vec<Matcher>],
        freqs: &DocFreqs<'_>,
        stats: &CorpusStats,
    ) -> Commons {
        let units: Vec<bool> = rank_units
            .iter()
            .map(|alts| stats.passages >= COMMON_MIN_PASSAGES && is_common(alts))
            .collect();
        let (mut rarer_required, mut only_common) = (false, false);
        if units.contains(&true) {
            let found: Vec<bool> = matchers
                .iter()
                .map(|alts| alts.iter().any(|m| found(m, freqs)))
                .collect();
            rarer_required = (0..matchers.len()).any(|u| !units[u] && found[u]);
            only_common = !rarer_required;
        }
        Commons {
            units,
            rarer_required,
            only_common,
        }
    }
}
