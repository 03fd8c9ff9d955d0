//! The first stage as a tantivy query: [`RankQuery`] and its weight, tantivy's two ways in.
//!
//! `scorer` scores every passage that holds a query term (under a filter, or for `explain`);
//! `for_each_pruning`, which tantivy's top collection calls, hands the segment to the pruning
//! walk instead. Both score with the same [`RankScorer`], so that they agree to the float.

use std::sync::Arc;

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader};

use crate::rank::maxscore;
use crate::rank::scorer::RankScorer;
use crate::rank::spec::RankSpec;

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

impl Weight for RankWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match RankScorer::new(&self.spec, reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    /// The pruning walk, where tantivy would score every passage.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if let Some(mut scorer) = RankScorer::new(&self.spec, reader, 1.0)? {
            maxscore::for_each_pruning(&mut scorer, threshold, callback);
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
        // tantivy wants a static description: keep it in line with K1, B and TITLE_WEIGHT in
        // `scoring`.
        Ok(Explanation::new(
            "aes-search BM25F (k1 0.9, b 0.3, title x2) + coordination",
            scorer.score(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use tantivy::collector::TopDocs;
    use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur};
    use tantivy::schema::{Field, Schema, TEXT};
    use tantivy::{DocAddress, Searcher, Term};

    use super::*;
    use crate::rank::bounds::SegmentBounds;
    use crate::rank::spec::{Alternative, RankTerm};
    use crate::rank::testing::sequence;

    const DOCS: usize = 8000;

    /// One segment of passages of varied length and vocabulary, the query words among filler
    /// words: each word's postings span many blocks, and the top fills and rises while they are
    /// walked. Returns the searcher and the text and title fields.
    fn passages() -> (Searcher, Field, Field) {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let title = builder.add_text_field("title", TEXT);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let words = [
            "mali", "niger", "burkina", "monnaie", "sommet", "armee", "banque", "route", "ecole",
            "marche",
        ];
        // A fixed pseudo-random sequence: passages of varied length and vocabulary.
        let mut next = sequence(7);
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
        (index.reader().expect("reader").searcher(), text, title)
    }

    /// The spec of a query of units; "a|b" is one unit of either term (as a typo's spellings),
    /// "a+b" a phrase.
    fn spec_of(
        words: &[&str],
        term: impl Fn(&str) -> RankTerm,
        (text, title): (Field, Field),
        bounds: HashMap<tantivy::index::SegmentId, Arc<SegmentBounds>>,
    ) -> Arc<RankSpec> {
        Arc::new(RankSpec {
            units: words
                .iter()
                .map(|w| match w.split_once('+') {
                    Some((a, b)) => vec![Alternative {
                        terms: vec![term(a), term(b)],
                        phrase: Some(vec![0, 1]),
                    }],
                    None => vec![Alternative {
                        terms: w.split('|').map(&term).collect(),
                        phrase: None,
                    }],
                })
                .collect(),
            candidates: Vec::new(),
            text_field: text,
            title_field: title,
            avg_len: 22.0,
            bounds,
            question: false,
        })
    }

    /// The top 20 of `spec` through the pruning walk, and through the full one (a conjunction
    /// with every passage makes tantivy score each).
    fn pruned_and_exhaustive(
        searcher: &Searcher,
        spec: Arc<RankSpec>,
    ) -> [Vec<(f32, DocAddress)>; 2] {
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
        [pruned, all]
    }

    #[test]
    fn pruning_keeps_exactly_the_top_passages() {
        let (searcher, text, title) = passages();
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
        // Units, as `spec_of` reads them.
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
            let spec = spec_of(words, term, (text, title), bounds.clone());
            let [pruned, all] = pruned_and_exhaustive(&searcher, spec);
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
}
