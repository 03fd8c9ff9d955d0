//! Relevance: BM25F with our own constants, computed inside tantivy from its postings.
//!
//! tantivy's BM25 has fixed constants (k1 1.2, b 0.75) and scores each field alone. Passages vary
//! in length, and on PIAF with 226k distractor paragraphs b 0.75 kept the right passage out of
//! tantivy's top candidates (see the ranking notes in the README). So the first stage is a
//! tantivy [`Query`] of our own: it walks the postings of the query's terms and scores every
//! matching passage with BM25F (k1 0.9, b 0.3, the title's occurrences counted
//! [`TITLE_WEIGHT`] times, as one field with the text) plus coordination for short queries.
//! The second stage reads positions from the same postings for the best candidates only: exact
//! phrases, and a bonus for query words that stand close together. Nothing is re-analyzed and no
//! stored document is read to rank. Alone (no filter in the query), the first stage prunes with
//! MaxScore, term by term: passages that hold only terms too weak to enter the current top are
//! skipped, and a passage's length is only read when its score at the shortest length could
//! enter the top. Where the segment has score bounds per range of 64 passages (`bounds`), a
//! range whose bound cannot enter the top is skipped whole (block-max), and the terms not
//! sought are bounded by their range's bound rather than their highest.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

pub(crate) mod bounds;

use bounds::{SegmentBounds, RANGE_SHIFT};

/// BM25 saturation (Lucene's default).
pub const K1: f32 = 0.9;
/// BM25 length normalisation. Lucene's default is 0.4; on PIAF with ELTeC distractors 0.3
/// scored MRR@10 0.683 against 0.674 (and 0.773 against 0.774 on PIAF alone).
pub const B: f32 = 0.3;
/// A title occurrence counts as this many occurrences in the passage.
pub const TITLE_WEIGHT: f32 = 2.0;
/// Weight of the closeness of two query words (divided by their distance squared).
pub const PROXIMITY_WEIGHT: f32 = 0.6;
/// Bonus for the whole query standing in order, as a fraction of its mean idf.
pub const PHRASE_WEIGHT: f32 = 1.0;
/// Queries with at most this many units rank passages by how many units they hold first.
pub const STRICT_COORDINATION_MAX_UNITS: usize = 4;
/// What one more unit present is worth in strict coordination: more than any text score.
const COORDINATION_STEP: f32 = 1000.0;

/// Rounding slack of range bounds: a bound must not fall below the score computed in another
/// order.
const RANGE_SLACK: f32 = 1.0 + 1e-5;

/// A term's bound in a range, from its limit, the stored bound `q` and the segment's scale (see
/// [`SegmentBounds::at`]).
fn stored_bound(limit: f32, q: u8, scale: f32) -> f32 {
    limit * (q as f32 * scale * RANGE_SLACK).min(1.0)
}

/// A term's bound in a range for each stored byte: looked up for every range of a segment at the
/// start of a query (see [`RankScorer::bounded_reach`]), and for each range the walk visits.
type BoundTable = [f32; 256];

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
    fn strict(&self) -> bool {
        !self.question && self.units.len() <= STRICT_COORDINATION_MAX_UNITS
    }
}

fn bm25f(idf: f32, tf: f32, len: f32, avg_len: f32) -> f32 {
    saturate(idf, tf, length_norm(len, avg_len))
}

/// BM25's denominator term for a passage of `len` tokens: computed once per passage.
pub(crate) fn length_norm(len: f32, avg_len: f32) -> f32 {
    K1 * (1.0 - B + B * len / avg_len)
}

fn saturate(idf: f32, tf: f32, norm: f32) -> f32 {
    if tf <= 0.0 {
        return 0.0;
    }
    idf * tf * (K1 + 1.0) / (tf + norm)
}

/// The first stage as a tantivy query: matches passages holding any query term (text or
/// title) and scores them with [`RankSpec`]'s BM25F.
#[derive(Debug, Clone)]
pub(crate) struct RankQuery {
    pub spec: Arc<RankSpec>,
}

impl Query for RankQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(RankWeight {
            spec: Arc::clone(&self.spec),
        }))
    }
}

struct RankWeight {
    spec: Arc<RankSpec>,
}

impl RankWeight {
    /// The scorer of a segment, or `None` when no query term occurs in it.
    fn rank_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<RankScorer>> {
        let spec = &self.spec;
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
}

impl Weight for RankWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.rank_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if let Some(mut scorer) = self.rank_scorer(reader, 1.0)? {
            scorer.for_each_pruning(threshold, callback);
        }
        Ok(())
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        // tantivy wants a static description: keep it in line with K1, B and TITLE_WEIGHT above.
        Ok(Explanation::new(
            "aes-search BM25F (k1 0.9, b 0.3, title x2) + coordination",
            scorer.score(),
        ))
    }
}

/// The postings of one query term in one field.
struct Cursor {
    postings: SegmentPostings,
    /// The term's place in the spec (units, then alternatives, then terms, in order).
    slot: usize,
    /// What one occurrence counts for: 1 in the text, [`TITLE_WEIGHT`] in the title.
    weight: f32,
}

/// Union of the terms' postings (text and title), scored with BM25F.
struct RankScorer {
    spec: Arc<RankSpec>,
    /// Every term's postings, text and title, in the order of the spec's units.
    cursors: Vec<Cursor>,
    /// The cursors of each unit.
    unit_cursors: Vec<Range<usize>>,
    /// Per slot, the weighted term frequency at the current document.
    tfs: Vec<f32>,
    /// The first slot of each unit.
    unit_first_slot: Vec<usize>,
    /// The unit of each slot.
    slot_unit: Vec<usize>,
    text_norms: FieldNormReader,
    title_norms: FieldNormReader,
    doc: DocId,
    boost: Score,
    /// The segment's score bounds per range, if it has them.
    bounds: Option<Arc<SegmentBounds>>,
    /// Per slot, where its term's bounds start in `bounds`.
    slot_ranges: Vec<Option<usize>>,
    range_scale: f32,
    /// Whether ranges are skipped: the segment has bounds for at least one query term.
    ranged: bool,
    max_doc: DocId,
    /// Per unit, its bound in the range last bounded.
    unit_range: Vec<f32>,
}

impl RankScorer {
    /// The first document of any term's postings.
    fn first_doc(&self) -> DocId {
        self.cursors
            .iter()
            .map(|c| c.postings.doc())
            .min()
            .unwrap_or(TERMINATED)
    }

    /// What a unit adds to a score for being present: the coordination step of strict queries.
    fn presence_step(&self) -> f32 {
        if self.spec.strict() {
            COORDINATION_STEP
        } else {
            0.0
        }
    }

    /// The most each slot's term can add to a score: BM25 tends to idf × (k1 + 1) as tf grows.
    fn slot_bounds(&self) -> Vec<f32> {
        self.spec
            .units
            .iter()
            .flatten()
            .flat_map(|alt| &alt.terms)
            .map(|t| t.idf * (K1 + 1.0))
            .collect()
    }

    /// Reads the frequencies of unit `u`'s terms at the current document into `tfs`; with
    /// `advance`, moves the postings that stand on it to their next document.
    fn gather(&mut self, u: usize, advance: bool) {
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

    /// MaxScore (Turtle and Flood), by term: once the best scores so far exceed what the
    /// weakest terms could reach together, passages holding only those terms are not looked at;
    /// their postings are only sought to the candidates found through the others, and for units
    /// left without a sought-after term, only while what they could add still lets the candidate
    /// enter the top. A unit scores its best term (see [`Self::unit_score`]), so a unit's
    /// weakest terms (a typo's rarer spellings beside a frequent one) drop out on their own.
    fn for_each_pruning(
        &mut self,
        mut threshold: Score,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) {
        let step = self.presence_step();
        let mut slot_bounds = self.slot_bounds();
        // What walking each slot's and each unit's postings costs: their lengths.
        let mut slot_cost = vec![0u64; slot_bounds.len()];
        for c in &self.cursors {
            slot_cost[c.slot] += u64::from(c.postings.size_hint());
        }
        // A phrase scores only where all its words are: its rarest word leads it, with the
        // phrase's bound, and the others follow, only ever sought in passages found through it
        // ("débarquent-ils" no longer walks every passage of "ils").
        let mut follower = vec![false; slot_bounds.len()];
        let mut first = 0;
        for alt in self.spec.units.iter().flatten() {
            let slots = first..first + alt.terms.len();
            first = slots.end;
            let rarest = slots.clone().min_by_key(|&s| slot_cost[s]);
            let Some(rarest) = rarest.filter(|_| alt.phrase.is_some()) else {
                continue;
            };
            slot_bounds[rarest] = slots.clone().map(|s| slot_bounds[s]).fold(0.0, f32::max);
            for s in slots {
                follower[s] = s != rarest;
            }
        }
        let units = self.unit_cursors.len();
        let mut unit_bounds = vec![step; units];
        for (&u, &bound) in self.slot_unit.iter().zip(&slot_bounds) {
            unit_bounds[u] = unit_bounds[u].max(step + bound);
        }
        let mut weakest_first: Vec<usize> = (0..slot_bounds.len()).collect();
        weakest_first.sort_by(|&a, &b| slot_bounds[a].total_cmp(&slot_bounds[b]));
        let mut units_weakest_first: Vec<usize> = (0..units).collect();
        units_weakest_first.sort_by(|&a, &b| unit_bounds[a].total_cmp(&unit_bounds[b]));
        let mut essential = vec![true; slot_bounds.len()];
        let mut unit_cost = vec![0u64; units];
        for (s, &cost) in slot_cost.iter().enumerate() {
            unit_cost[self.slot_unit[s]] += cost;
        }
        // Per unit: the best bound among its weakest terms, and whether it has a sought-after one.
        let mut unit_best = vec![f32::NAN; units];
        let mut unit_sought = vec![false; units];
        // Units with a sought-after term: scored with all their terms.
        let mut scored_units: Vec<usize> = Vec::new();
        // Units with none, strongest first, each with the sum of its bound and the ones after.
        let mut optional: Vec<(usize, f32)> = Vec::new();
        // The same sums from the units' bounds in the current range, and what they are for.
        let mut optional_here: Vec<f32> = Vec::new();
        let mut optional_for = (DocId::MAX, f32::NAN);
        let mut essential_for = f32::NAN;
        let mut unit_scores = vec![0.0f32; units];
        let shortest = length_norm(0.0, self.spec.avg_len);
        // The range of passages whose bound is `range_reach` (none yet).
        let (mut bounded_range, mut range_reach) = (DocId::MAX, f32::NAN);
        let (tables, base_reach) = if self.ranged {
            let scale = self.range_scale;
            let tables: Vec<BoundTable> = slot_bounds
                .iter()
                .map(|&limit| std::array::from_fn(|q| stored_bound(limit, q as u8, scale)))
                .collect();
            let reach = self.bounded_reach(&tables, step);
            (tables, reach)
        } else {
            (Vec::new(), Vec::new())
        };
        loop {
            if essential_for != threshold {
                // The weakest terms' reach: per unit its best term, plus the step once.
                let mut reach = 0.0;
                unit_best.fill(f32::NAN);
                unit_sought.fill(false);
                for &s in &weakest_first {
                    if follower[s] {
                        essential[s] = false;
                        continue;
                    }
                    let u = self.slot_unit[s];
                    reach += if unit_best[u].is_nan() {
                        step + slot_bounds[s]
                    } else {
                        slot_bounds[s] - unit_best[u]
                    };
                    unit_best[u] = slot_bounds[s];
                    essential[s] = reach > threshold && self.spec.candidates.get(u) != Some(&false);
                    unit_sought[u] |= essential[s];
                }
                // A unit that every passage of the top must hold, the others together falling
                // short of the threshold: only its passages are candidates (the cheapest such
                // unit's, when walking them costs less than walking the sought terms).
                let lead = (0..units)
                    .filter(|&u| {
                        self.spec.candidates.get(u) != Some(&false)
                            && (0..units)
                                .filter(|&v| v != u)
                                .map(|v| unit_bounds[v])
                                .sum::<f32>()
                                <= threshold
                    })
                    .min_by_key(|&u| unit_cost[u]);
                let sought_cost: u64 = (0..slot_bounds.len())
                    .filter(|&s| essential[s])
                    .map(|s| slot_cost[s])
                    .sum();
                if let Some(lead) = lead.filter(|&u| unit_cost[u] < sought_cost) {
                    for (s, essential) in essential.iter_mut().enumerate() {
                        *essential = self.slot_unit[s] == lead && !follower[s];
                    }
                    unit_sought.fill(false);
                    unit_sought[lead] = true;
                }
                scored_units.clear();
                optional.clear();
                let mut optional_sum = 0.0;
                for &u in &units_weakest_first {
                    if unit_sought[u] {
                        scored_units.push(u);
                    } else {
                        optional_sum += unit_bounds[u];
                        optional.push((u, optional_sum));
                    }
                }
                optional.reverse();
                optional_here.resize(optional.len(), 0.0);
                essential_for = threshold;
            }
            let mut doc = TERMINATED;
            for c in &self.cursors {
                if essential[c.slot] {
                    doc = doc.min(c.postings.doc());
                }
            }
            if doc == TERMINATED {
                return;
            }
            self.doc = doc;
            if self.ranged {
                let mut range = doc >> RANGE_SHIFT;
                if range != bounded_range {
                    bounded_range = range;
                    range_reach = self.range_bound(range, doc, &slot_bounds, &tables, step);
                }
                if range_reach <= threshold {
                    // No passage of this range can enter the top: on to the first range after it
                    // that may hold one, past those where only terms bounded too low stand.
                    let ranges = base_reach.len() as DocId;
                    loop {
                        range += 1;
                        let unbounded_next = self.next_unbounded_range(range);
                        while range < ranges.min(unbounded_next)
                            && base_reach[range as usize] <= threshold
                        {
                            range += 1;
                        }
                        if range >= ranges {
                            break;
                        }
                        bounded_range = range;
                        range_reach = self.range_bound(
                            range,
                            range << RANGE_SHIFT,
                            &slot_bounds,
                            &tables,
                            step,
                        );
                        if range_reach > threshold {
                            break;
                        }
                    }
                    let start = range.saturating_mul(1 << RANGE_SHIFT);
                    for c in &mut self.cursors {
                        if essential[c.slot] && c.postings.doc() < start {
                            c.postings.seek(start);
                        }
                    }
                    continue;
                }
            }
            for &u in &scored_units {
                self.gather(u, true);
            }
            // First the score the passage would have at the shortest length, before its length
            // is read (a cache miss, in arrays of a byte per passage); the other units only
            // while their bounds could still lift it into the top.
            let mut optimistic: f32 = scored_units
                .iter()
                .map(|&u| self.unit_score(u, shortest))
                .sum();
            let mut enters = true;
            if self.ranged && optional_for != (bounded_range, essential_for) {
                // What the optional units can add in this range: their bounds here.
                let mut sum = 0.0;
                for (&(u, _), reach) in optional.iter().zip(&mut optional_here).rev() {
                    sum += self.unit_range[u];
                    *reach = sum;
                }
                optional_for = (bounded_range, essential_for);
            }
            for (i, &(u, reachable)) in optional.iter().enumerate() {
                let reachable = if self.ranged {
                    optional_here[i]
                } else {
                    reachable
                };
                if optimistic + reachable <= threshold {
                    enters = false;
                    break;
                }
                self.gather(u, false);
                optimistic += self.unit_score(u, shortest);
            }
            if !enters || optimistic <= threshold {
                continue;
            }
            let norm = self.norm();
            for (u, score) in unit_scores.iter_mut().enumerate() {
                *score = self.unit_score(u, norm);
            }
            // Summed in the units' order, as `score()` does, so that both give the same float.
            let score: f32 = unit_scores.iter().sum();
            // A passage that scores nothing (a phrase's words without the others) is no hit.
            if score > threshold && score > 0.0 {
                threshold = callback(doc, score);
            }
        }
    }

    /// The most a passage of `range` from `from` on can score: per unit, its best term's bound
    /// in the range, plus the coordination step if any of its terms may be there. A term
    /// without bounds counts its limit if its postings have a passage there.
    fn range_bound(
        &mut self,
        range: DocId,
        from: DocId,
        slot_bounds: &[f32],
        tables: &[BoundTable],
        step: f32,
    ) -> f32 {
        let end = (range + 1).saturating_mul(1 << RANGE_SHIFT);
        let range = range as usize;
        let mut total = 0.0;
        for u in 0..self.unit_cursors.len() {
            let (mut best, mut present) = (0.0f32, false);
            for c in &mut self.cursors[self.unit_cursors[u].clone()] {
                let bound = match (&self.bounds, self.slot_ranges[c.slot]) {
                    (Some(bounds), Some(offset)) => match bounds.at(offset, range) {
                        0 => continue,
                        q => tables[c.slot][q as usize],
                    },
                    _ => {
                        if c.postings.doc() < from {
                            c.postings.seek(from);
                        }
                        if c.postings.doc() >= end {
                            continue;
                        }
                        slot_bounds[c.slot]
                    }
                };
                best = best.max(bound);
                present = true;
            }
            self.unit_range[u] = if present { step + best } else { 0.0 };
            total += self.unit_range[u];
        }
        total
    }

    /// Per range, what the terms with bounds can reach there: [`Self::range_bound`] as if no
    /// other term stood in the range. A table to scan for the next range worth a look.
    fn bounded_reach(&self, tables: &[BoundTable], step: f32) -> Vec<f32> {
        let Some(bounds) = &self.bounds else {
            return Vec::new();
        };
        let ranges = (self.max_doc as usize).div_ceil(1 << RANGE_SHIFT);
        let mut reach = vec![0.0f32; ranges];
        let mut unit_best = vec![0.0f32; ranges];
        for u in 0..self.unit_cursors.len() {
            let slots = self.unit_first_slot[u]
                ..self
                    .unit_first_slot
                    .get(u + 1)
                    .copied()
                    .unwrap_or(self.slot_unit.len());
            // Per bounded term, what it brings its unit in a range: nothing where it is absent
            // (0), else the step and its bound; so that the loops below hold no branch.
            let rows: Vec<(BoundTable, &[u8])> = slots
                .filter_map(|slot| {
                    let offset = self.slot_ranges[slot]?;
                    let table = &tables[slot];
                    let brings =
                        std::array::from_fn(|q| if q == 0 { 0.0 } else { step + table[q] });
                    Some((brings, bounds.row(offset)))
                })
                .collect();
            // A range past the stored ones counts as the highest bound (as `SegmentBounds::at`).
            let brings = |(table, row): &(BoundTable, &[u8]), r: usize| {
                table[usize::from(row.get(r).copied().unwrap_or(u8::MAX))]
            };
            match rows.as_slice() {
                [] => {}
                [one] => {
                    for (r, total) in reach.iter_mut().enumerate() {
                        *total += brings(one, r);
                    }
                }
                several => {
                    unit_best.fill(0.0);
                    for row in several {
                        for (r, best) in unit_best.iter_mut().enumerate() {
                            *best = best.max(brings(row, r));
                        }
                    }
                    for (total, &best) in reach.iter_mut().zip(&unit_best) {
                        *total += best;
                    }
                }
            }
        }
        reach
    }

    /// The first range from `range` on where a term without bounds has a passage.
    fn next_unbounded_range(&mut self, range: DocId) -> DocId {
        let from = range.saturating_mul(1 << RANGE_SHIFT);
        let mut next = DocId::MAX;
        for c in &mut self.cursors {
            if self.slot_ranges[c.slot].is_none() {
                if c.postings.doc() < from {
                    c.postings.seek(from);
                }
                next = next.min(c.postings.doc() >> RANGE_SHIFT);
            }
        }
        next
    }

    /// BM25's length term for the current document.
    fn norm(&self) -> f32 {
        let len = self.text_norms.fieldnorm(self.doc) + self.title_norms.fieldnorm(self.doc);
        length_norm(len as f32, self.spec.avg_len)
    }

    /// What unit `u` adds to the current document's score, from the frequencies gathered in
    /// `tfs`: its best alternative, and the coordination step when present in a strict query.
    fn unit_score(&self, u: usize, norm: f32) -> f32 {
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

/// The `depth` best-scored documents of `query`, best first. As tantivy's `TopDocs`, except that
/// the threshold to enter the top carries over from one segment to the next: tantivy starts each
/// segment from nothing, so that every segment of a large index scores its own first hundreds
/// of passages before pruning starts. Ties keep the earlier document, as in `TopDocs`.
pub(crate) fn top_docs(
    searcher: &Searcher,
    query: &dyn Query,
    depth: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    /// A heap entry: the lowest score on top, and among equal scores the latest document.
    #[derive(PartialEq)]
    struct Entry(Score, DocAddress);
    impl Eq for Entry {}
    impl Ord for Entry {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
        }
    }
    impl PartialOrd for Entry {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }

    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    // The depth comes from the caller's limit: the heap grows with what it holds, not with that.
    let mut top: BinaryHeap<Reverse<Entry>> = BinaryHeap::with_capacity(depth.min(1024) + 1);
    let mut threshold = Score::MIN;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let alive = reader.alive_bitset();
        let segment_ord = ord as u32;
        weight.for_each_pruning(threshold, reader, &mut |doc, score| {
            if depth > 0 && score > threshold && alive.is_none_or(|a| a.is_alive(doc)) {
                top.push(Reverse(Entry(score, DocAddress::new(segment_ord, doc))));
                if top.len() > depth {
                    top.pop();
                }
                if top.len() == depth {
                    threshold = top.peek().map_or(Score::MIN, |Reverse(e)| e.0);
                }
            }
            threshold
        })?;
    }
    let mut best: Vec<(Score, DocAddress)> = top
        .into_iter()
        .map(|Reverse(Entry(score, address))| (score, address))
        .collect();
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(best)
}

/// A candidate of the second stage.
pub(crate) struct Rescored {
    pub score: f32,
    pub address: DocAddress,
    /// Per slot of the spec, the positions of its term in the passage's text: where the
    /// highlights go.
    pub positions: Vec<Vec<u32>>,
}

/// Second stage: rescores candidates with phrases checked and proximity, from positions. Best
/// first.
pub(crate) fn rescore(
    searcher: &Searcher,
    spec: &RankSpec,
    candidates: &[DocAddress],
) -> tantivy::Result<Vec<Rescored>> {
    let mut by_segment: HashMap<u32, Vec<DocId>> = HashMap::new();
    for address in candidates {
        by_segment
            .entry(address.segment_ord)
            .or_default()
            .push(address.doc_id);
    }
    let mut out = Vec::with_capacity(candidates.len());
    let mut buffer = Vec::new();
    for (segment_ord, mut docs) in by_segment {
        docs.sort_unstable();
        let reader = searcher.segment_reader(segment_ord);
        let text_index = reader.inverted_index(spec.text_field)?;
        let title_index = reader.inverted_index(spec.title_field)?;
        let text_norms = reader.get_fieldnorms_reader(spec.text_field)?;
        let title_norms = reader.get_fieldnorms_reader(spec.title_field)?;
        let mut slots: Vec<[Option<SegmentPostings>; 2]> = Vec::new();
        for term in spec.units.iter().flatten().flat_map(|alt| &alt.terms) {
            slots.push([
                text_index.read_postings(
                    &Term::from_field_text(spec.text_field, &term.text),
                    IndexRecordOption::WithFreqsAndPositions,
                )?,
                title_index.read_postings(
                    &Term::from_field_text(spec.title_field, &term.text),
                    IndexRecordOption::WithFreqs,
                )?,
            ]);
        }
        for doc in docs {
            // Per slot: positions in the text, and frequency in the title.
            let mut positions: Vec<Vec<u32>> = Vec::with_capacity(slots.len());
            let mut title_tf: Vec<u32> = Vec::with_capacity(slots.len());
            for [text, title] in slots.iter_mut() {
                let mut here = Vec::new();
                if let Some(p) = text {
                    if p.doc() < doc {
                        p.seek(doc);
                    }
                    if p.doc() == doc {
                        buffer.clear();
                        p.positions(&mut buffer);
                        here.extend_from_slice(&buffer);
                    }
                }
                positions.push(here);
                title_tf.push(match title {
                    Some(p) => {
                        if p.doc() < doc {
                            p.seek(doc);
                        }
                        if p.doc() == doc {
                            p.term_freq()
                        } else {
                            0
                        }
                    }
                    None => 0,
                });
            }
            let len = (text_norms.fieldnorm(doc) + title_norms.fieldnorm(doc)) as f32;
            out.push(Rescored {
                score: score_with_positions(spec, &positions, &title_tf, len),
                address: DocAddress::new(segment_ord, doc),
                positions,
            });
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.address.cmp(&b.address)));
    Ok(out)
}

impl RankSpec {
    /// The positions in a passage's text where the query matched, in order: every position of
    /// an alternative's terms, and a phrase's words where the whole phrase stands. `positions`
    /// is per slot, as [`Rescored::positions`].
    pub(crate) fn matched_positions(&self, positions: &[Vec<u32>]) -> Vec<u32> {
        let mut matched = Vec::new();
        let mut slot = 0;
        for alt in self.units.iter().flatten() {
            let slots = slot..slot + alt.terms.len();
            slot = slots.end;
            let Some(at) = positions.get(slots) else {
                break;
            };
            match &alt.phrase {
                None => at.iter().for_each(|p| matched.extend_from_slice(p)),
                Some(offsets) => {
                    for start in phrase_starts(offsets, at) {
                        matched.extend(offsets.iter().map(|o| start + o));
                    }
                }
            }
        }
        matched.sort_unstable();
        matched.dedup();
        matched
    }
}

/// Where a phrase stands: the positions of its first term at which every term follows at its
/// offset.
fn phrase_starts(offsets: &[u32], positions: &[Vec<u32>]) -> Vec<u32> {
    let Some(first) = positions.first() else {
        return Vec::new();
    };
    first
        .iter()
        .copied()
        .filter(|&p| {
            offsets
                .iter()
                .zip(positions)
                .all(|(&o, ps)| ps.binary_search(&(p + o)).is_ok())
        })
        .collect()
}

fn score_with_positions(
    spec: &RankSpec,
    positions: &[Vec<u32>],
    title_tf: &[u32],
    len: f32,
) -> f32 {
    let mut slot = 0;
    let mut score = 0.0;
    let mut present_units = 0;
    // Each present unit's positions in the text and weight, for proximity.
    let mut placed: Vec<(Vec<u32>, f32)> = Vec::new();
    for unit in &spec.units {
        let mut best = (0.0f32, Vec::new(), 0.0f32);
        let mut present = false;
        for alt in unit {
            let n = alt.terms.len();
            let range = slot..slot + n;
            slot += n;
            let (tf, at, idf) = match &alt.phrase {
                Some(offsets) => {
                    let starts = phrase_starts(offsets, &positions[range.clone()]);
                    let in_title = title_tf[range.clone()].iter().copied().min().unwrap_or(0);
                    let idf: f32 = alt.terms.iter().map(|t| t.idf).sum();
                    (
                        starts.len() as f32 + TITLE_WEIGHT * in_title as f32,
                        starts,
                        idf,
                    )
                }
                None => {
                    // Any of the terms: the most telling one scores, all are placed.
                    let mut best_term = (0.0f32, 0.0f32);
                    let mut at = Vec::new();
                    for (i, term) in range.clone().zip(&alt.terms) {
                        let tf = positions[i].len() as f32 + TITLE_WEIGHT * title_tf[i] as f32;
                        if bm25f(term.idf, tf, len, spec.avg_len)
                            > bm25f(best_term.1, best_term.0, len, spec.avg_len)
                        {
                            best_term = (tf, term.idf);
                        }
                        at.extend_from_slice(&positions[i]);
                    }
                    at.sort_unstable();
                    (best_term.0, at, best_term.1)
                }
            };
            let s = bm25f(idf, tf, len, spec.avg_len);
            if tf > 0.0 {
                present = true;
            }
            if s > best.0 {
                best = (s, at, idf);
            }
        }
        score += best.0;
        present_units += usize::from(present);
        if !best.1.is_empty() {
            placed.push((best.1, best.2));
        }
    }
    for i in 0..placed.len() {
        for j in i + 1..placed.len() {
            let d = min_distance(&placed[i].0, &placed[j].0).max(1) as f32;
            score += PROXIMITY_WEIGHT * placed[i].1.min(placed[j].1) / (d * d);
        }
    }
    // The whole query in order, each word within two positions of the previous one.
    if spec.units.len() > 1 && placed.len() == spec.units.len() {
        let in_order = placed.windows(2).all(|w| {
            w[1].0
                .iter()
                .any(|&q| w[0].0.iter().any(|&p| q > p && q - p <= 2))
        });
        if in_order {
            score +=
                PHRASE_WEIGHT * placed.iter().map(|p| p.1).sum::<f32>() / spec.units.len() as f32;
        }
    }
    if spec.strict() {
        score += COORDINATION_STEP * present_units as f32;
    }
    score
}

fn min_distance(a: &[u32], b: &[u32]) -> u32 {
    let (mut i, mut j, mut best) = (0, 0, u32::MAX);
    while i < a.len() && j < b.len() {
        best = best.min(a[i].abs_diff(b[j]));
        if a[i] < b[j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    best
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

    /// A fixed pseudo-random sequence (a linear congruential generator): `next(n)` is in 0..n.
    fn sequence(seed: u64) -> impl FnMut(usize) -> usize {
        let mut state = seed;
        move |n| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        }
    }

    #[test]
    fn matched_positions_are_the_terms_and_the_whole_phrases() {
        let term = |t: &str| RankTerm {
            text: t.to_string(),
            idf: 1.0,
        };
        let spec = RankSpec {
            units: vec![
                vec![Alternative {
                    terms: vec![term("mali"), term("malien")],
                    phrase: None,
                }],
                vec![Alternative {
                    terms: vec![term("banqu"), term("central")],
                    phrase: Some(vec![0, 1]),
                }],
            ],
            candidates: Vec::new(),
            text_field: Field::from_field_id(0),
            title_field: Field::from_field_id(1),
            avg_len: 10.0,
            bounds: HashMap::new(),
            question: false,
        };
        // (positions of mali, malien, banqu, central; the positions matched)
        let table: &[([&[u32]; 4], &[u32])] = &[
            // Either spelling; the phrase at 1–2, not at 5 (no "central" at 6).
            ([&[3], &[9], &[1, 5], &[2, 7]], &[1, 2, 3, 9]),
            // The phrase's words apart: neither is matched.
            ([&[], &[], &[4], &[6]], &[]),
            // A position matched twice is given once.
            ([&[2], &[2], &[], &[]], &[2]),
        ];
        for (at, matched) in table {
            let positions: Vec<Vec<u32>> = at.iter().map(|p| p.to_vec()).collect();
            assert_eq!(spec.matched_positions(&positions), *matched, "{at:?}");
        }
    }

    #[test]
    fn phrases_are_found_at_their_offsets() {
        // (offsets, positions of each term) → starts
        type Row<'a> = (&'a [u32], &'a [&'a [u32]], &'a [u32]);
        let table: &[Row] = &[
            (&[0, 1], &[&[3, 10], &[4, 12]], &[3]),
            (&[0, 2], &[&[0, 7], &[2, 8]], &[0]),
            (&[0, 1], &[&[5], &[]], &[]),
        ];
        for (offsets, positions, expected) in table {
            let positions: Vec<Vec<u32>> = positions.iter().map(|p| p.to_vec()).collect();
            assert_eq!(
                phrase_starts(offsets, &positions),
                *expected,
                "{offsets:?} {positions:?}"
            );
        }
    }

    #[test]
    fn distance_is_the_closest_pair() {
        let table: &[(&[u32], &[u32], u32)] = &[
            (&[1, 20], &[5, 21], 1),
            (&[3], &[10], 7),
            (&[], &[1], u32::MAX),
        ];
        for (a, b, d) in table {
            assert_eq!(min_distance(a, b), *d, "{a:?} {b:?}");
        }
    }

    #[test]
    fn bm25f_saturates_and_prefers_short_passages() {
        let short = bm25f(1.0, 1.0, 10.0, 20.0);
        let long = bm25f(1.0, 1.0, 40.0, 20.0);
        assert!(short > long);
        assert!(bm25f(1.0, 100.0, 20.0, 20.0) < K1 + 1.0);
        assert_eq!(bm25f(1.0, 0.0, 20.0, 20.0), 0.0);
    }

    #[test]
    fn pruning_keeps_exactly_the_top_passages() {
        use tantivy::collector::TopDocs;
        use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur};
        use tantivy::schema::{Schema, TEXT};

        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let title = builder.add_text_field("title", TEXT);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        const DOCS: usize = 8000;
        let words = [
            "mali", "niger", "burkina", "monnaie", "sommet", "armee", "banque", "route", "ecole",
            "marche",
        ];
        // A fixed pseudo-random sequence: passages of varied length and vocabulary.
        let mut next = sequence(7);
        // Query words among filler words: each word's postings span many blocks, and the top
        // fills and rises while they are walked.
        let filler: Vec<String> = (0..300).map(|i| format!("f{i}")).collect();
        for i in 0..DOCS {
            let len = 3 + next(60);
            let mut body: Vec<&str> = (0..len)
                .map(|_| match next(4) {
                    0 => words[next(words.len()).min(next(words.len()))],
                    _ => &filler[next(filler.len())],
                })
                .collect();
            // A rare word: too rare to fill a top with its passages alone.
            if i % 800 == 0 {
                body.push("sahel");
            }
            let head = words[next(words.len())];
            writer
                .add_document(tantivy::doc!(text => body.join(" "), title => head))
                .expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let idf = |t: &str| {
            let df = searcher
                .doc_freq(&Term::from_field_text(text, t))
                .expect("df") as f32;
            (1.0 + (DOCS as f32 - df + 0.5) / (df + 0.5)).ln()
        };
        let term = |t: &str| RankTerm {
            text: t.to_string(),
            idf: idf(t),
        };
        // Units; "a|b" is one unit of either term (as a typo's spellings), "a+b" a phrase.
        let queries: &[&[&str]] = &[
            &["mali", "monnaie"],
            &["ecole", "marche", "route"],
            &["banque"],
            &["mali", "niger", "burkina", "sommet", "armee"],
            &["mali|banque|route", "sommet"],
            &["armee|ecole", "niger|monnaie", "route"],
            &["mali+niger", "banque|ecole"],
            &["sommet|marche|burkina|armee"],
            &["sahel", "mali", "route"],
            &["sahel|ecole", "banque"],
            &["sahel+mali"],
            &["route+mali", "banque"],
            &["mali+sahel", "sahel|route"],
        ];
        // Score bounds per range: none; every term's; the frequent terms', computed at a lower
        // and at a higher average length than the query's (the corpus changed since).
        let reader = &searcher.segment_readers()[0];
        let bounds_at = |avg_len: f32, min_doc_freq: u32| {
            let bounds =
                SegmentBounds::compute(reader, text, title, avg_len, min_doc_freq).expect("bounds");
            HashMap::from([(reader.segment_id(), Arc::new(bounds))])
        };
        let variants = [
            HashMap::new(),
            bounds_at(22.0, 1),
            bounds_at(15.0, 400),
            bounds_at(30.0, 400),
        ];
        for (words, bounds) in queries
            .iter()
            .flat_map(|q| variants.iter().map(move |b| (q, b)))
        {
            let spec = Arc::new(RankSpec {
                units: words
                    .iter()
                    .map(|w| match w.split_once('+') {
                        Some((a, b)) => vec![Alternative {
                            terms: vec![term(a), term(b)],
                            phrase: Some(vec![0, 1]),
                        }],
                        None => vec![Alternative {
                            terms: w.split('|').map(term).collect(),
                            phrase: None,
                        }],
                    })
                    .collect(),
                candidates: Vec::new(),
                text_field: text,
                title_field: title,
                avg_len: 22.0,
                bounds: bounds.clone(),
                question: false,
            });
            let pruned = searcher
                .search(
                    &RankQuery {
                        spec: Arc::clone(&spec),
                    },
                    &TopDocs::with_limit(20).order_by_score(),
                )
                .expect("search");
            let exhaustive = BooleanQuery::new(vec![
                (Occur::Must, Box::new(RankQuery { spec }) as Box<dyn Query>),
                (
                    Occur::Must,
                    Box::new(BoostQuery::new(Box::new(AllQuery), 0.0)),
                ),
            ]);
            let all = searcher
                .search(&exhaustive, &TopDocs::with_limit(20).order_by_score())
                .expect("search");
            // Passages that score nothing are left out by the pruning walk, not by the full one.
            let scores = |v: &[(f32, DocAddress)]| {
                v.iter()
                    .filter(|(s, _)| *s > 0.0)
                    .map(|(s, _)| (s * 1000.0).round() as i64)
                    .collect::<Vec<_>>()
            };
            assert_eq!(scores(&pruned), scores(&all), "{words:?} {}", bounds.len());
        }
    }

    #[test]
    fn the_top_over_segments_is_tantivys_top() {
        use tantivy::collector::TopDocs;
        use tantivy::query::TermQuery;
        use tantivy::schema::{Schema, TEXT};

        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let mut next = sequence(11);
        // Four segments; the best passage for one word deleted.
        for segment in 0..4 {
            for i in 0..500 {
                let body: Vec<&str> = (0..3 + next(30))
                    .map(|_| ["mali", "niger", "route", "f1", "f2", "f3"][next(6)])
                    .collect();
                let id = format!("d{segment}x{i}");
                writer
                    .add_document(tantivy::doc!(text => format!("{id} {}", body.join(" "))))
                    .expect("add");
            }
            if segment == 2 {
                // The best passage for "alpha", deleted below.
                writer
                    .add_document(tantivy::doc!(text => "dead alpha alpha alpha"))
                    .expect("add");
                writer
                    .add_document(tantivy::doc!(text => "alive alpha f1 f2 f3"))
                    .expect("add");
            }
            writer.commit().expect("commit");
        }
        writer.delete_term(Term::from_field_text(text, "dead"));
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        assert_eq!(searcher.segment_readers().len(), 4);
        for (word, depth) in [
            ("mali", 20),
            ("route", 1),
            ("niger", 50),
            ("alpha", 1),
            ("absent", 5),
        ] {
            let term = TermQuery::new(
                Term::from_field_text(text, word),
                IndexRecordOption::WithFreqs,
            );
            let rank = RankQuery {
                spec: Arc::new(RankSpec {
                    units: vec![vec![Alternative {
                        terms: vec![RankTerm {
                            text: word.to_string(),
                            idf: 1.0,
                        }],
                        phrase: None,
                    }]],
                    candidates: Vec::new(),
                    text_field: text,
                    title_field: text,
                    avg_len: 18.0,
                    bounds: HashMap::new(),
                    question: false,
                }),
            };
            for query in [&term as &dyn Query, &rank] {
                let ours = top_docs(&searcher, query, depth).expect("top");
                let theirs = searcher
                    .search(query, &TopDocs::with_limit(depth).order_by_score())
                    .expect("search");
                assert_eq!(ours, theirs, "{word} {depth} {query:?}");
            }
        }
    }
}
