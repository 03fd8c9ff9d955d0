//! What the ranking knows of a query: its units, each with alternatives of index terms and their
//! idf. Built by the search; read by both stages, so it belongs to neither.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::schema::Field;

use crate::rank::bounds::SegmentBounds;
use crate::rank::scoring::STRICT_COORDINATION_MAX_UNITS;

/// One index term, with its inverse document frequency.
#[derive(Debug, Clone)]
pub(crate) struct RankTerm {
    pub text: String,
    pub idf: f32,
}

/// One way to satisfy a unit: any of several terms (a word, a prefix's or a typo's
/// expansions), or terms that must stand at the given offsets (a phrase).
#[derive(Debug, Clone)]
pub(crate) struct Alternative {
    pub terms: Vec<RankTerm>,
    /// Offsets of the terms in a phrase; `None` for "any of the terms".
    pub phrase: Option<Vec<u32>>,
}

/// What the ranking knows of the query: its units, each with alternatives.
#[derive(Debug, Clone)]
pub(crate) struct RankSpec {
    pub units: Vec<Vec<Alternative>>,
    /// Per unit, whether a passage holding only it is a candidate; `false` for common words
    /// beside rarer ones, which are then only sought in the passages the others find. Empty: all.
    pub candidates: Vec<bool>,
    pub text_field: Field,
    pub title_field: Field,
    /// Average length of title + text, in tokens.
    pub avg_len: f32,
    /// The score bounds per range of passages of the segments that have them.
    pub bounds: HashMap<SegmentId, Arc<SegmentBounds>>,
    /// Whether a question: its words are a description, not a list to hold all of.
    pub question: bool,
}

impl RankSpec {
    /// Whether passages are ranked by how many units they hold first (strict coordination).
    pub(super) fn strict(&self) -> bool {
        !self.question && self.units.len() <= STRICT_COORDINATION_MAX_UNITS
    }
}
