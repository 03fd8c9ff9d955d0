//! The top-k collection over an index's segments, with the threshold carried from one segment
//! to the next so that the pruning walk of each starts from the best scores found so far.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocAddress, Score, Searcher};

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

/// The `depth` best-scored documents of `query`, best first. As tantivy's `TopDocs`, except that
/// the threshold to enter the top carries over from one segment to the next: tantivy starts each
/// segment from nothing, so that every segment of a large index scores its own first hundreds
/// of passages before pruning starts. Ties keep the earlier document, as in `TopDocs`.
pub(crate) fn top_docs(
    searcher: &Searcher,
    query: &dyn Query,
    depth: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use tantivy::schema::IndexRecordOption;
    use tantivy::Term;

    use super::*;
    use crate::rank::spec::{Alternative, RankSpec, RankTerm};
    use crate::rank::testing::sequence;
    use crate::rank::weight::RankQuery;

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
