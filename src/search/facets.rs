//! Facets: how many passages match a query, per source and per month, over every match and not
//! only the hits shown, so that a page can draw a chart and offer filters. Read from the fast
//! columns of `source` and `date` (one ordinal per passage), never from the stored documents;
//! computed only when [`SearchOptions::facets`](super::SearchOptions::facets) asks.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts of the passages a query matches.
///
/// ```
/// # fn main() -> aes_search::Result<()> {
/// # let dir = tempfile::tempdir().unwrap();
/// # let corpus = dir.path().join("corpus");
/// # std::fs::create_dir(&corpus).unwrap();
/// # let page = |title: &str, date: &str, source: &str| format!("{title}\n\nPublié le {date}\n\nSource : {source}\n\nLe projet de monnaie commune avance, disent les ministres des finances réunis.");
/// # std::fs::write(corpus.join("a.txt"), page("Monnaie : le calendrier", "12 mars 2024", "Sahel Info")).unwrap();
/// # std::fs::write(corpus.join("b.txt"), page("Monnaie : les billets", "3 avril 2025", "Le Journal")).unwrap();
/// use aes_search::{Engine, SearchOptions, Sort, SyncOptions};
/// let engine = Engine::open_or_create(dir.path().join("index"))?;
/// engine.sync_folders(&[&corpus], &SyncOptions::default())?;
/// let options = SearchOptions { facets: true, sort: Sort::Date, ..SearchOptions::default() };
/// let outcome = engine.search_with_notices("monnaie", &options)?;
/// let facets = outcome.facets.unwrap();
/// assert_eq!(facets.total, 2);
/// let months: Vec<&str> = facets.months.iter().map(|m| m.value.as_str()).collect();
/// assert_eq!(months, ["2024-03", "2025-04"]);
/// // Newest first; then the second page, and the filters beside the query.
/// assert_eq!(outcome.hits[0].article.date.as_deref(), Some("2025-04-03"));
/// let second = SearchOptions { offset: 1, ..options.clone() };
/// let page2 = engine.search("monnaie", &second)?;
/// assert_eq!((page2.len(), page2[0].rank), (1, 2));
/// let older = SearchOptions { until: Some("2024".into()), ..SearchOptions::default() };
/// assert_eq!(engine.search("monnaie", &older)?.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Passages matched, all of them.
    pub total: u64,
    /// Per source, most passages first (passages with no source are not counted).
    pub sources: Vec<FacetCount>,
    /// Per month (`YYYY-MM`), oldest first (passages with no date are not counted).
    pub months: Vec<FacetCount>,
}

/// One value of a facet and its number of passages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The source's name, or the month as `YYYY-MM`.
    pub value: String,
    /// Passages matched with that value.
    pub count: u64,
}

/// Counts every matching passage per source and per month.
pub(super) struct FacetCollector;

/// Per segment: counts per term ordinal of each column.
pub(super) struct SegmentFacets {
    total: u64,
    columns: [Option<(StrColumn, Vec<u64>)>; 2],
}

/// Passages matched, and per source and per date (as written) the passages with that value.
pub(crate) type Counts = (u64, HashMap<String, u64>, HashMap<String, u64>);

/// The fast columns the facets read, in the order of `SegmentFacets::columns`.
const COLUMNS: [&str; 2] = ["source", "date"];

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let column = |name: &str| -> tantivy::Result<Option<(StrColumn, Vec<u64>)>> {
            Ok(reader.fast_fields().str(name)?.map(|c| {
                let n = c.num_terms();
                (c, vec![0; n])
            }))
        };
        Ok(SegmentFacets {
            total: 0,
            columns: [column(COLUMNS[0])?, column(COLUMNS[1])?],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut out: Counts = Default::default();
        for (total, sources, dates) in fruits {
            out.0 += total;
            for (value, n) in sources {
                *out.1.entry(value).or_default() += n;
            }
            for (value, n) in dates {
                *out.2.entry(value).or_default() += n;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        for (column, counts) in self.columns.iter_mut().flatten() {
            // One value per passage; only the first is counted should there be more.
            if let Some(ord) = column.term_ords(doc).next() {
                if let Some(n) = counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        let [sources, dates] = self.columns.map(named);
        (self.total, sources, dates)
    }
}

/// The non-zero counts of a column, by the text of their ordinal.
fn named(column: Option<(StrColumn, Vec<u64>)>) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    let Some((column, counts)) = column else {
        return out;
    };
    // In one pass over the dictionary, in order: looked up one by one, each value decoded its
    // block of the dictionary from the start, 5 µs a value, and on 100,000 articles (a date
    // apart per few passages) that was most of what counting the facets of a query cost.
    let (ords, counts): (Vec<u64>, Vec<u64>) = (0..).zip(counts).filter(|&(_, n)| n > 0).unzip();
    let mut found = counts.into_iter();
    let _complete = column.dictionary().sorted_ords_to_term_cb(&ords, |value| {
        if let (Some(n), Ok(value)) = (found.next(), std::str::from_utf8(value)) {
            *out.entry(value.to_string()).or_default() += n;
        }
    });
    out
}

/// The merged counts as facets: sources by count (then name), months in order. Both backends
/// end here, so that they agree on the order and on what a month is.
pub(crate) fn facets((total, sources, dates): Counts) -> Facets {
    // Dates are `YYYY-MM-DD` or `YYYY-MM`: the month is their first seven characters.
    let mut months: HashMap<String, u64> = HashMap::new();
    for (date, n) in dates {
        let month: String = date.chars().take(7).collect();
        *months.entry(month).or_default() += n;
    }
    let list = |m: HashMap<String, u64>| -> Vec<FacetCount> {
        m.into_iter()
            .map(|(value, count)| FacetCount { value, count })
            .collect()
    };
    let mut sources = list(sources);
    sources.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    let mut months = list(months);
    months.sort_by(|a, b| a.value.cmp(&b.value));
    Facets {
        total,
        sources,
        months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_of_a_large_dictionary_is_named_with_its_count() {
        use tantivy::query::AllQuery;
        use tantivy::schema::{Schema, FAST, STRING};
        let mut schema = Schema::builder();
        let source = schema.add_text_field(COLUMNS[0], STRING | FAST);
        let date = schema.add_text_field(COLUMNS[1], STRING | FAST);
        let index = tantivy::Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        // Enough distinct dates for the dictionary to span many blocks; day d has d % 3 + 1
        // passages, and every third passage has no source.
        let day = |d: u32| format!("20{:02}-{:02}-{:02}", d / 336, d / 28 % 12 + 1, d % 28 + 1);
        let mut expected: HashMap<String, u64> = HashMap::new();
        let mut with_source = 0;
        for d in 0..5_000u32 {
            for copy in 0..=d % 3 {
                let mut doc = tantivy::TantivyDocument::default();
                doc.add_text(date, day(d));
                if copy != 2 {
                    doc.add_text(source, "Sahel Info");
                    with_source += 1;
                }
                writer.add_document(doc).unwrap();
                *expected.entry(day(d)).or_default() += 1;
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let (total, sources, dates) = searcher.search(&AllQuery, &FacetCollector).unwrap();
        assert_eq!(total, expected.values().sum::<u64>());
        assert_eq!(
            sources,
            HashMap::from([("Sahel Info".to_string(), with_source)])
        );
        assert_eq!(dates, expected);
    }

    #[test]
    fn merged_counts_become_sorted_facets() {
        let map = |pairs: &[(&str, u64)]| -> HashMap<String, u64> {
            pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
        };
        let counts = (
            7,
            map(&[("Sahel Info", 2), ("Le Journal", 5), ("Autre", 2)]),
            map(&[("2025-03-02", 1), ("2024-11-30", 2), ("2024-11", 4)]),
        );
        let f = facets(counts);
        assert_eq!(f.total, 7);
        let values = |v: &[FacetCount]| v.iter().map(|c| c.value.clone()).collect::<Vec<_>>();
        assert_eq!(values(&f.sources), ["Le Journal", "Autre", "Sahel Info"]);
        assert_eq!(values(&f.months), ["2024-11", "2025-03"]);
        assert_eq!(f.months[0].count, 6);
    }
}
