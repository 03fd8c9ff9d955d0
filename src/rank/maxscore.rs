//! The pruning walk of the first stage, where tantivy only wants a top: MaxScore by term, and
//! block-max by range where the segment has bounds.
//!
//! The walk is a loop over [`Pruning`]'s steps, in this order: when the threshold rose, choose
//! the postings that are walked for candidates; take the next candidate; skip its range if no
//! passage there can enter the top; score it at the shortest length, adding the other units
//! while they could lift it; only then read its length and score it.

use tantivy::{DocId, DocSet, Score, TERMINATED};

use crate::rank::blockmax::BoundTable;
use crate::rank::bounds::RANGE_SHIFT;
use crate::rank::scorer::RankScorer;
use crate::rank::scoring::{length_norm, COORDINATION_STEP, K1};
use crate::rank::spec::RankSpec;

/// MaxScore (Turtle and Flood), by term: once the best scores so far exceed what the
/// weakest terms could reach together, passages holding only those terms are not looked at;
/// their postings are only sought to the candidates found through the others, and for units
/// left without a sought-after term, only while what they could add still lets the candidate
/// enter the top. A unit scores its best term (see [`RankScorer::unit_score`]), so a unit's
/// weakest terms (a typo's rarer spellings beside a frequent one) drop out on their own.
pub(super) fn for_each_pruning(
    scorer: &mut RankScorer,
    threshold: Score,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
) {
    Pruning::new(scorer).walk(threshold, callback);
}

impl RankScorer {
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
}

/// The walk's state: what is known of the terms before it starts, and what the current
/// threshold made of them.
struct Pruning<'a> {
    scorer: &'a mut RankScorer,
    /// What a unit adds for being present (see [`RankScorer::presence_step`]).
    step: f32,
    /// Per slot, the most its term can add; a phrase's leading word carries the phrase's.
    slot_bounds: Vec<f32>,
    /// What walking each slot's postings costs: their lengths.
    slot_cost: Vec<u64>,
    /// Per slot, whether a phrase's word only sought in the passages found through its lead.
    follower: Vec<bool>,
    /// Per unit, the most it can add: the step and its best term's bound.
    unit_bounds: Vec<f32>,
    /// What walking each unit's postings costs.
    unit_cost: Vec<u64>,
    /// The slots, then the units, by increasing bound.
    weakest_first: Vec<usize>,
    units_weakest_first: Vec<usize>,
    /// Per slot, whether its postings are walked for candidates.
    essential: Vec<bool>,
    /// Per unit: the best bound among its weakest terms, and whether it has a sought-after one.
    unit_best: Vec<f32>,
    unit_sought: Vec<bool>,
    /// Units with a sought-after term: scored with all their terms.
    scored_units: Vec<usize>,
    /// Units with none, strongest first, each with the sum of its bound and the ones after.
    optional: Vec<(usize, f32)>,
    /// The same sums from the units' bounds in the current range, and what they are for.
    optional_here: Vec<f32>,
    optional_for: (DocId, f32),
    /// The threshold `essential` was chosen for.
    essential_for: f32,
    unit_scores: Vec<f32>,
    /// BM25's length term at the shortest length: the highest score a passage may have.
    shortest: f32,
    /// The range of passages whose bound is `range_reach` (none yet).
    bounded_range: DocId,
    range_reach: f32,
    /// Per slot, its bound for each stored byte; per range, what the bounded terms can reach.
    tables: Vec<BoundTable>,
    base_reach: Vec<f32>,
}

impl<'a> Pruning<'a> {
    fn new(scorer: &'a mut RankScorer) -> Pruning<'a> {
        let step = scorer.presence_step();
        let mut slot_bounds = scorer.slot_bounds();
        let mut slot_cost = vec![0u64; slot_bounds.len()];
        for c in &scorer.cursors {
            slot_cost[c.slot] += u64::from(c.postings.size_hint());
        }
        let follower = lead_phrases(&scorer.spec, &mut slot_bounds, &slot_cost);
        let units = scorer.unit_cursors.len();
        let mut unit_bounds = vec![step; units];
        for (&u, &bound) in scorer.slot_unit.iter().zip(&slot_bounds) {
            unit_bounds[u] = unit_bounds[u].max(step + bound);
        }
        let mut unit_cost = vec![0u64; units];
        for (s, &cost) in slot_cost.iter().enumerate() {
            unit_cost[scorer.slot_unit[s]] += cost;
        }
        let (tables, base_reach) = scorer.bound_tables(&slot_bounds, step);
        Pruning {
            step,
            weakest_first: weakest_first(&slot_bounds),
            units_weakest_first: weakest_first(&unit_bounds),
            essential: vec![true; slot_bounds.len()],
            slot_bounds,
            slot_cost,
            follower,
            unit_bounds,
            unit_cost,
            unit_best: vec![f32::NAN; units],
            unit_sought: vec![false; units],
            scored_units: Vec::new(),
            optional: Vec::new(),
            optional_here: Vec::new(),
            optional_for: (DocId::MAX, f32::NAN),
            essential_for: f32::NAN,
            unit_scores: vec![0.0f32; units],
            shortest: length_norm(0.0, scorer.spec.avg_len),
            bounded_range: DocId::MAX,
            range_reach: f32::NAN,
            tables,
            base_reach,
            scorer,
        }
    }

    /// The walk: every candidate that may enter the top is scored and given to `callback`,
    /// which answers the score to beat from then on.
    fn walk(mut self, mut threshold: Score, callback: &mut dyn FnMut(DocId, Score) -> Score) {
        loop {
            if self.essential_for != threshold {
                self.choose_sought(threshold);
            }
            let Some(doc) = self.next_candidate() else {
                return;
            };
            self.scorer.doc = doc;
            if self.scorer.ranged && self.skip_range(doc, threshold) {
                continue;
            }
            if self.falls_short(threshold) {
                continue;
            }
            let score = self.full_score();
            // A passage that scores nothing (a phrase's words without the others) is no hit.
            if score > threshold && score > 0.0 {
                threshold = callback(doc, score);
            }
        }
    }

    /// Chooses, for `threshold`, the postings walked for candidates, and splits the units into
    /// those scored with every candidate and those added only while they could lift it.
    fn choose_sought(&mut self, threshold: Score) {
        self.seek_what_reaches(threshold);
        self.lead_with_one_unit(threshold);
        self.split_units();
        self.essential_for = threshold;
    }

    /// The weakest terms' reach: per unit its best term, plus the step once. A term is sought
    /// once the terms up to it could reach `threshold` together.
    fn seek_what_reaches(&mut self, threshold: Score) {
        let mut reach = 0.0;
        self.unit_best.fill(f32::NAN);
        self.unit_sought.fill(false);
        for &s in &self.weakest_first {
            if self.follower[s] {
                self.essential[s] = false;
                continue;
            }
            let u = self.scorer.slot_unit[s];
            reach += if self.unit_best[u].is_nan() {
                self.step + self.slot_bounds[s]
            } else {
                self.slot_bounds[s] - self.unit_best[u]
            };
            self.unit_best[u] = self.slot_bounds[s];
            self.essential[s] =
                reach > threshold && self.scorer.spec.candidates.get(u) != Some(&false);
            self.unit_sought[u] |= self.essential[s];
        }
    }

    /// A unit that every passage of the top must hold, the others together falling short of
    /// the threshold: only its passages are candidates (the cheapest such unit's, when walking
    /// them costs less than walking the sought terms).
    fn lead_with_one_unit(&mut self, threshold: Score) {
        let units = self.unit_bounds.len();
        let lead = (0..units)
            .filter(|&u| {
                self.scorer.spec.candidates.get(u) != Some(&false)
                    && (0..units)
                        .filter(|&v| v != u)
                        .map(|v| self.unit_bounds[v])
                        .sum::<f32>()
                        <= threshold
            })
            .min_by_key(|&u| self.unit_cost[u]);
        let sought_cost: u64 = (0..self.slot_bounds.len())
            .filter(|&s| self.essential[s])
            .map(|s| self.slot_cost[s])
            .sum();
        if let Some(lead) = lead.filter(|&u| self.unit_cost[u] < sought_cost) {
            for (s, essential) in self.essential.iter_mut().enumerate() {
                *essential = self.scorer.slot_unit[s] == lead && !self.follower[s];
            }
            self.unit_sought.fill(false);
            self.unit_sought[lead] = true;
        }
    }

    /// Units with a sought-after term are scored; the others become optional, strongest first,
    /// each with what it and the ones after it can add.
    fn split_units(&mut self) {
        self.scored_units.clear();
        self.optional.clear();
        let mut optional_sum = 0.0;
        for &u in &self.units_weakest_first {
            if self.unit_sought[u] {
                self.scored_units.push(u);
            } else {
                optional_sum += self.unit_bounds[u];
                self.optional.push((u, optional_sum));
            }
        }
        self.optional.reverse();
        self.optional_here.resize(self.optional.len(), 0.0);
    }

    /// The first passage of the sought postings, `None` once they are all walked.
    fn next_candidate(&self) -> Option<DocId> {
        let mut doc = TERMINATED;
        for c in &self.scorer.cursors {
            if self.essential[c.slot] {
                doc = doc.min(c.postings.doc());
            }
        }
        if doc == TERMINATED {
            return None;
        }
        Some(doc)
    }

    /// Whether `doc`'s range was skipped: then the sought postings stand at the first range
    /// after it that may hold a passage of the top.
    fn skip_range(&mut self, doc: DocId, threshold: Score) -> bool {
        let range = doc >> RANGE_SHIFT;
        if range != self.bounded_range {
            self.bounded_range = range;
            self.range_reach =
                self.scorer
                    .range_bound(range, doc, &self.slot_bounds, &self.tables, self.step);
        }
        if self.range_reach <= threshold {
            // No passage of this range can enter the top: on to the first range after it
            // that may hold one, past those where only terms bounded too low stand.
            let range = self.next_range_worth_a_look(range, threshold);
            let start = range.saturating_mul(1 << RANGE_SHIFT);
            for c in &mut self.scorer.cursors {
                if self.essential[c.slot] && c.postings.doc() < start {
                    c.postings.seek(start);
                }
            }
            return true;
        }
        false
    }

    /// The first range after `range` whose bound beats `threshold` (bounded, as the current
    /// range), or one past the last.
    fn next_range_worth_a_look(&mut self, mut range: DocId, threshold: Score) -> DocId {
        let ranges = self.base_reach.len() as DocId;
        loop {
            range += 1;
            let unbounded_next = self.scorer.next_unbounded_range(range);
            while range < ranges.min(unbounded_next) && self.base_reach[range as usize] <= threshold
            {
                range += 1;
            }
            if range >= ranges {
                break;
            }
            self.bounded_range = range;
            self.range_reach = self.scorer.range_bound(
                range,
                range << RANGE_SHIFT,
                &self.slot_bounds,
                &self.tables,
                self.step,
            );
            if self.range_reach > threshold {
                break;
            }
        }
        range
    }

    /// Whether the candidate cannot enter the top, from the score it would have at the
    /// shortest length: first its scored units, then the optional ones while their bounds could
    /// still lift it.
    fn falls_short(&mut self, threshold: Score) -> bool {
        for &u in &self.scored_units {
            self.scorer.gather(u, true);
        }
        // The length is not read yet (a cache miss, in arrays of a byte per passage).
        let mut optimistic: f32 = self
            .scored_units
            .iter()
            .map(|&u| self.scorer.unit_score(u, self.shortest))
            .sum();
        if self.scorer.ranged && self.optional_for != (self.bounded_range, self.essential_for) {
            self.optional_in_range();
        }
        for (i, &(u, reachable)) in self.optional.iter().enumerate() {
            let reachable = if self.scorer.ranged {
                self.optional_here[i]
            } else {
                reachable
            };
            if optimistic + reachable <= threshold {
                return true;
            }
            self.scorer.gather(u, false);
            optimistic += self.scorer.unit_score(u, self.shortest);
        }
        optimistic <= threshold
    }

    /// What the optional units can add in the current range: their bounds here.
    fn optional_in_range(&mut self) {
        let mut sum = 0.0;
        for (&(u, _), reach) in self.optional.iter().zip(&mut self.optional_here).rev() {
            sum += self.scorer.unit_range[u];
            *reach = sum;
        }
        self.optional_for = (self.bounded_range, self.essential_for);
    }

    /// The candidate's score, its length read.
    fn full_score(&mut self) -> f32 {
        let norm = self.scorer.norm();
        for (u, score) in self.unit_scores.iter_mut().enumerate() {
            *score = self.scorer.unit_score(u, norm);
        }
        // Summed in the units' order, as `score()` does, so that both give the same float.
        self.unit_scores.iter().sum()
    }
}

/// A phrase scores only where all its words are: its rarest word leads it, with the phrase's
/// bound, and the others follow, only ever sought in passages found through it
/// ("débarquent-ils" no longer walks every passage of "ils"). Returns the followers.
fn lead_phrases(spec: &RankSpec, slot_bounds: &mut [f32], slot_cost: &[u64]) -> Vec<bool> {
    let mut follower = vec![false; slot_bounds.len()];
    let mut first = 0;
    for alt in spec.units.iter().flatten() {
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
    follower
}

/// The indices of `bounds`, by increasing bound (ties in index order).
fn weakest_first(bounds: &[f32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..bounds.len()).collect();
    order.sort_by(|&a, &b| bounds[a].total_cmp(&bounds[b]));
    order
}
