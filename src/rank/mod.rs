//! Relevance: BM25F with our own constants, computed inside tantivy from its postings.
//!
//! tantivy's BM25 has fixed constants (k1 1.2, b 0.75) and scores each field alone. Passages vary
//! in length, and on PIAF with 226k distractor paragraphs b 0.75 kept the right passage out of
//! tantivy's top candidates (see the ranking notes in the README). So ranking goes, in order:
//!
//! 1. The search describes the query as a [`RankSpec`] (`spec`): units, each with alternatives
//!    of index terms and their idf, and the score bounds of the segments that have them.
//! 2. First stage: a tantivy query of our own, [`RankQuery`] (`weight`), walks the postings of
//!    the query's terms per segment (`scorer`) and scores every matching passage with BM25F
//!    (`scoring`: k1 0.9, b 0.3, the title's occurrences counted
//!    [`TITLE_WEIGHT`](scoring::TITLE_WEIGHT) times, as one field with the text) plus
//!    coordination for short queries.
//! 3. [`top_docs()`] (`top_docs`) collects the first stage's top over the segments, carrying the
//!    score to beat from one segment to the next. Alone (no filter in the query), the first
//!    stage then prunes (`maxscore`): MaxScore, term by term, skips passages that hold only
//!    terms too weak to enter the current top, and reads a passage's length only when its
//!    score at the shortest length could enter it. Where the segment has score bounds per
//!    range of 64 passages (`bounds`, computed after each commit), a range whose bound cannot
//!    enter the top is skipped whole (block-max, `blockmax`), and the terms not sought are
//!    bounded by their range's bound rather than their highest.
//! 4. Second stage, [`rescore()`] (`rescore`): positions read from the same postings, for the
//!    best candidates only: exact phrases, and a bonus for query words that stand close
//!    together. Nothing is re-analyzed and no stored document is read to rank.
//!
//! Files depend one way: `scoring` (a leaf) ← `bounds` ← `spec` ← `scorer` ← `blockmax` ←
//! `maxscore` ← `weight`; `rescore` reads `spec` and `scoring`; `top_docs` reads none of them.

mod blockmax;
pub(crate) mod bounds;
mod maxscore;
mod rescore;
mod scorer;
mod scoring;
mod spec;
#[cfg(test)]
mod testing;
mod top_docs;
mod weight;

pub(crate) use rescore::{rescore, Rescored};
pub(crate) use scoring::CorpusStats;
#[cfg(feature = "opensearch")]
pub(crate) use scoring::{B, K1};
pub(crate) use spec::{Alternative, RankSpec, RankTerm};
pub(crate) use top_docs::top_docs;
pub(crate) use weight::RankQuery;
