//! The first stage's scorer of one segment: built from the query's terms, it walks the union of
//! their postings (text and title) and scores the passage it stands on with BM25F.
//!
//! This file reads postings and scores one passage; which passages are looked at when tantivy
//! only wants a top is the pruning walk's business (`maxscore`).

use std::ops::Range;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::Scorer;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use crate::rank::bounds::SegmentBounds;
use crate::rank::scoring::{length_norm, saturate, COORDINATION_STEP, TITLE_WEIGHT};
use crate::rank::spec::RankSpec;

/// The postings of one query term in one field.
pub(super) struct Cursor {
    pub(super) postings: SegmentPostings,
    /// The term's place in the spec (units, then alternatives, then terms, in order).
    pub(super) slot: usize,
    /// What one occurrence counts for: 1 in the text, [`TITLE_WEIGHT`] in the title.
    weight: f32,
}

/// Union of the terms' postings (text and title), scored with BM25F.
pub(super) struct RankScorer {
    pub(super) spec: Arc<RankSpec>,
    /// Every term's postings, text and title, in the order of the spec's units.
    pub(super) cursors: Vec<Cursor>,
    /// The cursors of each unit.
    pub(super) unit_cursors: Vec<Range<usize>>,
    /// Per slot, the weighted term frequency at the current document.
    tfs: Vec<f32>,
    /// The first slot of each unit.
    pub(super) unit_first_slot: Vec<usize>,
    /// The unit of each slot.
    pub(super) slot_unit: Vec<usize>,
    text_norms: FieldNormReader,
    title_norms: FieldNormReader,
    pub(super) doc: DocId,
    boost: Score,
    /// The segment's score bounds per range, if it has them.
    pub(super) bounds: Option<Arc<SegmentBounds>>,
    /// Per slot, where its term's bounds start in `bounds`.
    pub(super) slot_ranges: Vec<Option<usize>>,
    pub(super) range_scale: f32,
    /// Whether ranges are skipped: the segment has bounds for at least one query term.
    pub(super) ranged: bool,
    pub(super) max_doc: DocId,
    /// Per unit, its bound in the range last bounded.
    pub(super) unit_range: Vec<f32>,
}

impl RankScorer {
    /// The scorer of a segment, or `None` when no query term occurs in it.
    pub(super) fn new(
        spec: &Arc<RankSpec>,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<RankScorer>> {
        let text_index = reader.inverted_index(spec.text_field)?;
        let title_index = reader.inverted_index(spec.title_field)?;
        let mut cursors = Vec::new();
        let mut unit_cursors = Vec::with_capacity(spec.units.len());
        let mut unit_first_slot = Vec::with_capacity(spec.units.len());
        let mut slot_unit = Vec::new();
        let mut slot = 0;
        let bounds = spec.bounds.get(&reader.segment_id()).cloned();
        let mut slot_ranges = Vec::new();
        for (u, unit) in spec.units.iter().enumerate() {
            let first = cursors.len();
            unit_first_slot.push(slot);
            for alt in unit {
                for term in &alt.terms {
                    for (index, field, weight) in [
                        (&text_index, spec.text_field, 1.0),
                        (&title_index, spec.title_field, TITLE_WEIGHT),
                    ] {
                        let postings = index.read_postings(
                            &Term::from_field_text(field, &term.text),
                            IndexRecordOption::WithFreqs,
                        )?;
                        if let Some(postings) = postings {
                            cursors.push(Cursor {
                                postings,
                                slot,
                                weight,
                            });
                        }
                    }
                    slot_unit.push(u);
                    slot_ranges.push(bounds.as_ref().and_then(|b| b.offset(&term.text)));
                    slot += 1;
                }
            }
            unit_cursors.push(first..cursors.len());
        }
        if cursors.is_empty() {
            return Ok(None);
        }
        let mut scorer = RankScorer {
            spec: Arc::clone(spec),
            cursors,
            unit_cursors,
            tfs: vec![0.0; slot],
            unit_first_slot,
            slot_unit,
            text_norms: reader.get_fieldnorms_reader(spec.text_field)?,
            title_norms: reader.get_fieldnorms_reader(spec.title_field)?,
            doc: 0,
            boost,
            range_scale: bounds.as_ref().map_or(0.0, |b| b.scale(spec.avg_len)),
            bounds,
            ranged: slot_ranges.iter().any(Option::is_some),
            slot_ranges,
            max_doc: reader.max_doc(),
            unit_range: vec![0.0; spec.units.len()],
        };
        scorer.doc = scorer.first_doc();
        Ok(Some(scorer))
    }

    /// The first document of any term's postings.
    fn first_doc(&self) -> DocId {
        self.cursors
            .iter()
            .map(|c| c.postings.doc())
            .min()
            .unwrap_or(TERMINATED)
    }

    /// Reads the frequencies of unit `u`'s terms at the current document into `tfs`; with
    /// `advance`, moves the postings that stand on it to their next document.
    pub(super) fn gather(&mut self, u: usize, advance: bool) {
        let doc = self.doc;
        for c in &mut self.cursors[self.unit_cursors[u].clone()] {
            self.tfs[c.slot] = 0.0;
        }
        for c in &mut self.cursors[self.unit_cursors[u].clone()] {
            if c.postings.doc() < doc {
                c.postings.seek(doc);
            }
            if c.postings.doc() == doc {
                self.tfs[c.slot] += c.weight * c.postings.term_freq() as f32;
                if advance {
                    c.postings.advance();
                }
            }
        }
    }

    /// BM25's length term for the current document.
    pub(super) fn norm(&self) -> f32 {
        let len = self.text_norms.fieldnorm(self.doc) + self.title_norms.fieldnorm(self.doc);
        length_norm(len as f32, self.spec.avg_len)
    }

    /// What unit `u` adds to the current document's score, from the frequencies gathered in
    /// `tfs`: its best alternative, and the coordination step when present in a strict query.
    pub(super) fn unit_score(&self, u: usize, norm: f32) -> f32 {
        let mut slot = self.unit_first_slot[u];
        let (mut best, mut present) = (0.0f32, false);
        for alt in &self.spec.units[u] {
            let (mut sum, mut max, mut found) = (0.0f32, 0.0f32, 0);
            for term in &alt.terms {
                let tf = self.tfs[slot];
                slot += 1;
                if tf > 0.0 {
                    let s = saturate(term.idf, tf, norm);
                    found += 1;
                    sum += s;
                    max = max.max(s);
                }
            }
            let n = alt.terms.len();
            let (s, here) = match alt.phrase {
                // Positions are checked in the second stage; here, all words present. Some of
                // them count for nothing, as in the second stage.
                Some(_) if found == n => (sum / n.max(1) as f32, true),
                Some(_) => (0.0, false),
                None => (max, found > 0),
            };
            best = best.max(s);
            present |= here;
        }
        if present && self.spec.strict() {
            best + COORDINATION_STEP
        } else {
            best
        }
    }
}

impl DocSet for RankScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for c in &mut self.cursors {
            if c.postings.doc() == current {
                c.postings.advance();
            }
        }
        self.doc = self.first_doc();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for c in &mut self.cursors {
            if c.postings.doc() < target {
                c.postings.seek(target);
            }
        }
        self.doc = self.first_doc();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.cursors
            .iter()
            .map(|c| c.postings.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for RankScorer {
    fn score(&mut self) -> Score {
        let norm = self.norm();
        let mut score = 0.0;
        for u in 0..self.unit_cursors.len() {
            self.gather(u, false);
            score += self.unit_score(u, norm);
        }
        score * self.boost
    }
}
