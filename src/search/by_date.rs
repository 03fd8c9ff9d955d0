//! `sort: date`: the newest matching passages instead of the best, read from the fast column of
//! `date`. Ordinals follow the text of the dates, and `YYYY-MM-DD` text sorts as dates do, so
//! each segment keeps its newest by ordinal; segments are merged by the dates' text. Passages
//! with no date come last.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The `depth` newest matching passages, newest first.
pub(super) struct Newest {
    pub depth: usize,
}

/// Per segment: a heap of the newest seen, by date ordinal (`None`, no date, is the oldest).
pub(super) struct SegmentNewest {
    depth: usize,
    segment: SegmentOrdinal,
    column: Option<StrColumn>,
    heap: BinaryHeap<Reverse<(Option<u64>, Reverse<DocId>)>>,
}

type Dated = Vec<(Option<String>, DocAddress)>;

impl Collector for Newest {
    type Fruit = Dated;
    type Child = SegmentNewest;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentNewest> {
        Ok(SegmentNewest {
            depth: self.depth,
            segment,
            column: reader.fast_fields().str("date")?,
            heap: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Dated>) -> tantivy::Result<Dated> {
        let mut all: Dated = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        all.truncate(self.depth);
        Ok(all)
    }
}

impl SegmentCollector for SegmentNewest {
    type Fruit = Dated;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let ord = self.column.as_ref().and_then(|c| c.term_ords(doc).next());
        // The earlier document wins a tie, as in the merge.
        self.heap.push(Reverse((ord, Reverse(doc))));
        if self.heap.len() > self.depth {
            self.heap.pop();
        }
    }

    fn harvest(self) -> Dated {
        let mut buf = String::new();
        self.heap
            .into_iter()
            .map(|Reverse((ord, Reverse(doc)))| {
                let date = match (&self.column, ord) {
                    (Some(c), Some(ord)) if c.ord_to_str(ord, &mut buf).unwrap_or(false) => {
                        Some(buf.clone())
                    }
                    _ => None,
                };
                (date, DocAddress::new(self.segment, doc))
            })
            .collect()
    }
}
