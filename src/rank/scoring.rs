//! The scoring leaf: BM25F's constants and formula, and the corpus statistics it needs.
//!
//! Every other file of `rank` scores through these; this one imports nothing from them, so that a
//! constant changed here changes both stages and the stored bounds alike.

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// BM25 saturation (Lucene's default).
pub(crate) const K1: f32 = 0.9;
/// BM25 length normalisation. Lucene's default is 0.4; on PIAF with ELTeC distractors 0.3
/// scored MRR@10 0.683 against 0.674 (and 0.773 against 0.774 on PIAF alone).
pub(crate) const B: f32 = 0.3;
/// A title occurrence counts as this many occurrences in the passage.
pub(super) const TITLE_WEIGHT: f32 = 2.0;
/// Weight of the closeness of two query words (divided by their distance squared).
pub(super) const PROXIMITY_WEIGHT: f32 = 0.6;
/// Bonus for the whole query standing in order, as a fraction of its mean idf.
pub(super) const PHRASE_WEIGHT: f32 = 1.0;
/// Queries with at most this many units rank passages by how many units they hold first.
pub(super) const STRICT_COORDINATION_MAX_UNITS: usize = 4;
/// What one more unit present is worth in strict coordination: more than any text score.
pub(super) const COORDINATION_STEP: f32 = 1000.0;

pub(super) fn bm25f(idf: f32, tf: f32, len: f32, avg_len: f32) -> f32 {
    saturate(idf, tf, length_norm(len, avg_len))
}

/// BM25's denominator term for a passage of `len` tokens: computed once per passage.
pub(super) fn length_norm(len: f32, avg_len: f32) -> f32 {
    K1 * (1.0 - B + B * len / avg_len)
}

pub(super) fn saturate(idf: f32, tf: f32, norm: f32) -> f32 {
    if tf <= 0.0 {
        return 0.0;
    }
    idf * tf * (K1 + 1.0) / (tf + norm)
}

/// Collection statistics for BM25.
pub(crate) struct CorpusStats {
    pub(crate) passages: f32,
    /// Average title + text length, in tokens.
    pub(crate) avg_len: f32,
}

impl CorpusStats {
    pub(crate) fn new(searcher: &Searcher, text: Field, title: Field, kind: Field) -> CorpusStats {
        let passages = searcher
            .doc_freq(&Term::from_field_text(kind, "passage"))
            .unwrap_or(0)
            .max(1) as f32;
        let tokens = |field: Field| -> f32 {
            searcher
                .segment_readers()
                .iter()
                .filter_map(|s| s.inverted_index(field).ok())
                .map(|i| i.total_num_tokens() as f32)
                .sum()
        };
        CorpusStats {
            passages,
            avg_len: ((tokens(text) + tokens(title)) / passages).max(1.0),
        }
    }

    pub(crate) fn idf(&self, df: u64) -> f32 {
        let df = df as f32;
        (1.0 + (self.passages - df + 0.5) / (df + 0.5)).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bm25f_saturates_and_prefers_short_passages() {
        let short = bm25f(1.0, 1.0, 10.0, 20.0);
        let long = bm25f(1.0, 1.0, 40.0, 20.0);
        assert!(short > long);
        assert!(bm25f(1.0, 100.0, 20.0, 20.0) < K1 + 1.0);
        assert_eq!(bm25f(1.0, 0.0, 20.0, 20.0), 0.0);
    }
}
