//! The second stage: the best candidates of the first rescored from their positions, read from
//! the same postings: exact phrases, and a bonus for query words that stand close together.
//!
//! Nothing is re-analyzed and no stored document is read; the positions found are kept for
//! the highlights ([`RankSpec::matched_positions`]).

use std::collections::HashMap;

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, InvertedIndexReader, Searcher, Term};

use crate::rank::scoring::{
    bm25f, COORDINATION_STEP, PHRASE_WEIGHT, PROXIMITY_WEIGHT, TITLE_WEIGHT,
};
use crate::rank::spec::{Alternative, RankSpec};

/// A candidate of the second stage.
pub(crate) struct Rescored {
    pub score: f32,
    pub address: DocAddress,
    /// Per slot of the spec, the positions of its term in the passage's text: where the
    /// highlights go.
    pub positions: Vec<Vec<u32>>,
}

/// Per slot of the spec, its term's postings in the text (with positions) and in the title.
type SlotPostings = [Option<SegmentPostings>; 2];

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
        let mut slots = slot_postings([&*text_index, &*title_index], spec)?;
        for doc in docs {
            let (positions, title_tf) = read_passage(&mut slots, doc, &mut buffer);
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

/// The postings of every slot's term in a segment (its text's and its title's inverted
/// indexes), in the spec's order.
fn slot_postings(
    [text_index, title_index]: [&InvertedIndexReader; 2],
    spec: &RankSpec,
) -> tantivy::Result<Vec<SlotPostings>> {
    let mut slots: Vec<SlotPostings> = Vec::new();
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
    Ok(slots)
}

/// Per slot: positions in the text, and frequency in the title, of passage `doc` (later than
/// the passages read before from the same postings).
fn read_passage(
    slots: &mut [SlotPostings],
    doc: DocId,
    buffer: &mut Vec<u32>,
) -> (Vec<Vec<u32>>, Vec<u32>) {
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
                p.positions(buffer);
                here.extend_from_slice(buffer);
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
    (positions, title_tf)
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

/// A passage's score from its positions: per unit its best alternative, then the closeness of
/// the units placed, the whole query in order, and coordination, added in that order.
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
            let range = slot..slot + alt.terms.len();
            slot = range.end;
            let (tf, at, idf) =
                alternative_here(spec, alt, &positions[range.clone()], &title_tf[range], len);
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
    score = with_closeness(spec, score, &placed);
    if spec.strict() {
        score += COORDINATION_STEP * present_units as f32;
    }
    score
}

/// What an alternative found in a passage, from its terms' positions and title frequencies:
/// its frequency, its positions in the text and its idf.
fn alternative_here(
    spec: &RankSpec,
    alt: &Alternative,
    positions: &[Vec<u32>],
    title_tf: &[u32],
    len: f32,
) -> (f32, Vec<u32>, f32) {
    match &alt.phrase {
        Some(offsets) => {
            let starts = phrase_starts(offsets, positions);
            let in_title = title_tf.iter().copied().min().unwrap_or(0);
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
            for ((here, &in_title), term) in positions.iter().zip(title_tf).zip(&alt.terms) {
                let tf = here.len() as f32 + TITLE_WEIGHT * in_title as f32;
                if bm25f(term.idf, tf, len, spec.avg_len)
                    > bm25f(best_term.1, best_term.0, len, spec.avg_len)
                {
                    best_term = (tf, term.idf);
                }
                at.extend_from_slice(here);
            }
            at.sort_unstable();
            (best_term.0, at, best_term.1)
        }
    }
}

/// `score` with the proximity of each pair of placed units added, then the bonus for the whole
/// query in order, each word within two positions of the previous one.
fn with_closeness(spec: &RankSpec, mut score: f32, placed: &[(Vec<u32>, f32)]) -> f32 {
    for i in 0..placed.len() {
        for j in i + 1..placed.len() {
            let d = min_distance(&placed[i].0, &placed[j].0).max(1) as f32;
            score += PROXIMITY_WEIGHT * placed[i].1.min(placed[j].1) / (d * d);
        }
    }
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

#[cfg(test)]
mod tests {
    use tantivy::schema::Field;

    use super::*;
    use crate::rank::spec::RankTerm;

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
}
