//! Block-max: what a passage of a range of 2^[`RANGE_SHIFT`] can score at most, from the
//! segment's stored bounds (`bounds`) and, for the terms without, from their postings.
//!
//! The pruning walk asks these when it enters a range, and skips the range whole when the
//! answer cannot enter the top.

use tantivy::{DocId, DocSet};

use crate::rank::bounds::RANGE_SHIFT;
use crate::rank::scorer::RankScorer;

/// Rounding slack of range bounds: a bound must not fall below the score computed in another
/// order.
const RANGE_SLACK: f32 = 1.0 + 1e-5;

/// A term's bound in a range, from its limit, the stored bound `q` and the segment's scale (see
/// [`crate::rank::bounds::SegmentBounds::at`]).
fn stored_bound(limit: f32, q: u8, scale: f32) -> f32 {
    limit * (q as f32 * scale * RANGE_SLACK).min(1.0)
}

/// A term's bound in a range for each stored byte: looked up for every range of a segment at the
/// start of a query (see [`RankScorer::bounded_reach`]), and for each range the walk visits.
pub(super) type BoundTable = [f32; 256];

impl RankScorer {
    /// Per slot, its [`BoundTable`] from its limit in `slot_bounds`; and per range, what the
    /// terms with bounds can reach there. Empty when the segment has no bounds for the query.
    pub(super) fn bound_tables(
        &self,
        slot_bounds: &[f32],
        step: f32,
    ) -> (Vec<BoundTable>, Vec<f32>) {
        if self.ranged {
            let scale = self.range_scale;
            let tables: Vec<BoundTable> = slot_bounds
                .iter()
                .map(|&limit| std::array::from_fn(|q| stored_bound(limit, q as u8, scale)))
                .collect();
            let reach = self.bounded_reach(&tables, step);
            (tables, reach)
        } else {
            (Vec::new(), Vec::new())
        }
    }

    /// The most a passage of `range` from `from` on can score: per unit, its best term's bound
    /// in the range, plus the coordination step if any of its terms may be there. A term
    /// without bounds counts its limit if its postings have a passage there.
    pub(super) fn range_bound(
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
    pub(super) fn next_unbounded_range(&mut self, range: DocId) -> DocId {
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
}
