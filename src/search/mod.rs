//! Query → ranked passages, grouped by article, with the matched words highlighted.
//!
//! The query's words are analyzed like the text, so they become index terms; a prefix
//! (`sahél*`) or a word the index does not know (a typo) becomes the index terms it stands for.
//! The `rank` module scores every matching passage inside tantivy (BM25F with our constants, then
//! phrases and proximity for the best candidates, from the terms' positions). Only the passages
//! shown are read from the store, grouped by article, and highlighted at those positions, found
//! in the text as written by the tokenizer: stemmed and accent-folded forms are highlighted
//! where they stand, without analysing the passages again.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::analysis::{self, french_analyzer};
use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::Engine;
use crate::query::{self, ParsedQuery};
use crate::rank::{self, Alternative, CorpusStats, RankQuery, RankSpec};
use crate::rewrite::{self, Expansion, Synonyms};

mod answer;
mod by_date;
mod clauses;
mod derived;
mod duplicates;
mod expand;
pub(crate) mod facets;
mod matcher;
pub(crate) mod missing;
pub(crate) use matcher::atom_text;
#[cfg(feature = "opensearch")]
pub(crate) use matcher::one_edit_stems;
mod snippet;
mod units;

pub use facets::{FacetCount, Facets};
pub use snippet::Snippet;

use clauses::{match_query, restrict, restrictions};
use duplicates::Copies;
use expand::DocFreqs;
use matcher::{alternative, matcher_terms, share_weight};
use units::{found, Commons, Units};

thread_local! {
    /// One analyzer per thread, so that the stemmer's cache outlives a single search.
    static ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(french_analyzer());
}

/// How many of the first stage's best passages the second stage (phrases, proximity) rescores.
///
/// The first stage's pruning keeps this many, and the fewer, the sooner it prunes. At 684,190
/// passages, 30 instead of 50 took p50 and p99 down 12%, and 20 instead of 30 another 3–6% at
/// p50 and 8–12% at p99, for PIAF MRR@10 0.77378 → 0.77370 → 0.77357 (with 226k ELTeC
/// distractors, 0.68314 → 0.68305). 10 lost 0.0009 there. Elasticsearch rescores 10 by default.
pub const RERANK_DEPTH: usize = 20;
/// Most index terms a prefix (`sahél*`) expands to.
pub const MAX_PREFIX_EXPANSIONS: usize = 64;
/// Most index terms a misspelt word expands to.
pub const MAX_FUZZY_EXPANSIONS: usize = 16;

/// How to search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchOptions {
    /// Most hits returned.
    pub limit: usize,
    /// Most passages of one article in the list.
    pub per_article: usize,
    /// The synonyms to search as well; `None` for the list shipped with aes-search
    /// ([`Synonyms::default_list`]), `Some` of an empty list for none.
    #[serde(skip)]
    pub synonyms: Option<Arc<Synonyms>>,
    /// Hits to skip before the first returned (for pages of results).
    pub offset: usize,
    /// Best first, or newest first.
    pub sort: Sort,
    /// Whether to count every match per source and per month ([`SearchOutcome::facets`]);
    /// that reads every matching passage, so plain searches leave it off.
    pub facets: bool,
    /// Only articles of this source, as the query's `source:` reads it.
    pub source: Option<String>,
    /// Only articles dated from this day, month or year on (`2024`, `2024-07`, `2024-07-15`).
    pub since: Option<String>,
    /// Only articles dated up to this day, month or year, included.
    pub until: Option<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            per_article: 2,
            synonyms: None,
            offset: 0,
            sort: Sort::Relevance,
            facets: false,
            source: None,
            since: None,
            until: None,
        }
    }
}

/// The order of the hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best first.
    #[default]
    Relevance,
    /// Newest first (passages with no date last), among the passages that match.
    Date,
}

/// A ranked passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// 1 for the best.
    pub rank: usize,
    /// Relevance; comparable within one search only.
    pub score: f32,
    /// The article the passage belongs to.
    pub article: Article,
    /// The passage.
    pub passage: PassageHit,
    /// Near-duplicates of the article (the same story from other outlets), not shown apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<Article>,
}

/// The passage of a [`Hit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageHit {
    /// Position of the passage in its article, from 0.
    pub index: usize,
    /// The whole passage text.
    pub text: String,
    /// Byte ranges of the matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// Everything a search tells.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchOutcome {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// What the query parser or the typo correction want people to know.
    pub notices: Vec<String>,
    /// Words matched fuzzily, and how they stand in the text.
    pub corrections: Vec<Correction>,
    /// What the synonyms list added to the query ("also searched: …").
    pub expansions: Vec<Expansion>,
    /// Counts over every match, when [`SearchOptions::facets`] asked for them.
    pub facets: Option<Facets>,
}

/// A word matched fuzzily: as typed, and as found in the best hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The word as typed.
    pub from: String,
    /// The word as it stands in the text.
    pub to: String,
}

impl Engine {
    /// Searches the index and returns the best passages.
    ///
    /// ```
    /// # fn main() -> aes_search::Result<()> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let corpus = dir.path().join("corpus");
    /// # std::fs::create_dir(&corpus).unwrap();
    /// # std::fs::write(corpus.join("a.txt"), "Le projet de monnaie commune\n\nLes États du Sahel préparent une monnaie sahélienne commune pour leur confédération.").unwrap();
    /// use aes_search::{Engine, SearchOptions, SyncOptions};
    /// let engine = Engine::open_or_create(dir.path().join("index"))?;
    /// engine.sync_folders(&[&corpus], &SyncOptions::default())?;
    /// let hits = engine.search("monnaies", &SearchOptions::default())?;
    /// assert_eq!(hits[0].article.title.as_deref(), Some("Le projet de monnaie commune"));
    /// # Ok(()) }
    /// ```
    pub fn search(&self, query: &str, options: &SearchOptions) -> Result<Vec<Hit>> {
        self.search_with_notices(query, options).map(|o| o.hits)
    }

    /// Like [`Engine::search`], with the parser's notices and the typo corrections.
    pub fn search_with_notices(
        &self,
        query: &str,
        options: &SearchOptions,
    ) -> Result<SearchOutcome> {
        ANALYZER.with(|analyzer| self.search_with(query, options, &mut analyzer.borrow_mut()))
    }

    fn search_with(
        &self,
        query: &str,
        options: &SearchOptions,
        analyzer: &mut TextAnalyzer,
    ) -> Result<SearchOutcome> {
        let (parsed, rewritten) = read_query(query, options)?;
        let searcher = self.reader().searcher();
        let f = self.fields();
        let freqs = DocFreqs::new(&searcher, f.text, f.title, f.dropped);
        let mut outcome = SearchOutcome {
            notices: parsed.notices.clone(),
            expansions: rewritten.expansions.clone(),
            ..SearchOutcome::default()
        };
        let units = Units::of(&f, &parsed, &rewritten, &freqs, analyzer);
        if units.matchers.is_empty() && parsed.filters.is_empty() {
            return Err(Error::EmptyQuery);
        }
        // A word found only through its family counts as found: "sécuritaire" finds "sécurité".
        let found = units
            .matchers
            .iter()
            .map(|alts| alts.iter().any(|m| found(m, &freqs)));
        let typed = units.typed.iter().map(String::as_str);
        let missing = missing::missing_half(typed.zip(found), rewritten.question.is_some());
        if !missing.is_empty() {
            outcome.notices.push(missing::notice(&missing));
            return Ok(outcome);
        }
        let stats = CorpusStats::new(&searcher, f.text, f.title, f.kind);
        let (spec, common) = self.rank_spec(&units, &freqs, &stats, &searcher, &rewritten);
        let spec = Arc::new(spec);
        let shown_max = options.limit.saturating_add(options.offset);
        let depth = RERANK_DEPTH.max(shown_max.saturating_mul(2));
        let index_error = |e| Error::index(self.path(), e);
        let matches = (options.facets || options.sort == Sort::Date).then(|| {
            let restricted = restrictions(&f, &parsed, &units, &common, &freqs, analyzer);
            match_query(&f, restricted, &units, &common)
        });
        if let (true, Some(q)) = (options.facets, &matches) {
            let counts = searcher
                .search(q.as_ref(), &facets::FacetCollector)
                .map_err(index_error)?;
            outcome.facets = Some(facets::facets(counts));
        }
        let top = match &matches {
            Some(q) if options.sort == Sort::Date => searcher
                .search(q.as_ref(), &by_date::Newest { depth })
                .map_err(index_error)?
                .into_iter()
                .map(|(_, address)| (0.0, address))
                .collect(),
            _ => self
                .first_stage(&parsed, &units, &common, &spec, &freqs, analyzer, depth)
                .map_err(index_error)?,
        };

        let ranked = self.second_stage(&searcher, &spec, &units, top, options.sort)?;
        // Favouring the passages that answer reorders by score: not when the order is the dates'.
        let ranked = match rewritten.question {
            Some(kind) if options.sort == Sort::Relevance => {
                self.favour_answers(&searcher, kind, ranked)?
            }
            _ => ranked,
        };
        let shown = self.show(&searcher, &spec, ranked, options, &mut outcome.hits)?;
        outcome.corrections = corrections(&spec, units.fuzzy_typed, &outcome.hits, &shown);
        Ok(outcome)
    }

    /// Stage 2, on the best candidates: phrases and proximity, from positions.
    fn second_stage(
        &self,
        searcher: &Searcher,
        spec: &Arc<RankSpec>,
        units: &Units,
        top: Vec<(f32, DocAddress)>,
        sort: Sort,
    ) -> Result<Vec<rank::Rescored>> {
        if units.matchers.is_empty() {
            return Ok(top
                .into_iter()
                .map(|(score, address)| rank::Rescored {
                    score,
                    address,
                    positions: Vec::new(),
                })
                .collect());
        }
        let addresses: Vec<_> = top.iter().map(|(_, a)| *a).collect();
        let mut ranked =
            rank::rescore(searcher, spec, &addresses).map_err(|e| Error::index(self.path(), e))?;
        if sort == Sort::Date {
            // Rescored for the positions of the highlights; the order stays the dates'.
            let order: HashMap<DocAddress, usize> =
                addresses.iter().enumerate().map(|(i, a)| (*a, i)).collect();
            ranked.sort_by_key(|r| order.get(&r.address).copied());
        }
        Ok(ranked)
    }

    /// Stage 1's scoring: the units' alternatives with their idf, and which units are common
    /// words (see `Commons`).
    fn rank_spec(
        &self,
        units: &Units,
        freqs: &DocFreqs<'_>,
        stats: &CorpusStats,
        searcher: &Searcher,
        rewritten: &rewrite::Rewritten,
    ) -> (RankSpec, Commons) {
        let f = self.fields();
        let mut rank_units: Vec<Vec<Alternative>> = units
            .matchers
            .iter()
            .map(|alts| alts.iter().map(|m| alternative(m, freqs, stats)).collect())
            .collect();
        for (alts, _) in rank_units
            .iter_mut()
            .zip(&units.synonym_units)
            .filter(|(_, &s)| s)
        {
            share_weight(alts);
        }
        for (alts, &derived) in rank_units.iter_mut().zip(&units.derived) {
            let first = alts.len() - derived;
            for term in alts[first..].iter_mut().flat_map(|a| a.terms.iter_mut()) {
                term.idf *= derived::DERIVED_WEIGHT;
            }
        }
        let common = Commons::of(&rank_units, &units.matchers, freqs, stats);
        let spec = RankSpec {
            units: rank_units,
            candidates: if common.rarer_required {
                common.units.iter().map(|&c| !c).collect()
            } else {
                Vec::new()
            },
            text_field: f.text,
            title_field: f.title,
            avg_len: stats.avg_len,
            bounds: self.bounds().of(searcher),
            question: rewritten.question.is_some(),
        };
        (spec, common)
    }

    /// Stage 1, inside tantivy: every passage that holds a query term, scored by BM25F, within
    /// the query's restrictions; the best `depth`.
    #[allow(clippy::too_many_arguments)]
    fn first_stage(
        &self,
        parsed: &ParsedQuery,
        units: &Units,
        common: &Commons,
        spec: &Arc<RankSpec>,
        freqs: &DocFreqs<'_>,
        analyzer: &mut TextAnalyzer,
        depth: usize,
    ) -> tantivy::Result<Vec<(f32, DocAddress)>> {
        let f = self.fields();
        let searcher = freqs.searcher;
        let rank_query = RankQuery {
            spec: Arc::clone(spec),
        };
        let mut clauses = restrictions(&f, parsed, units, common, freqs, analyzer);
        if clauses.is_empty() && common.only_common && spec.bounds.is_empty() {
            // Only words in many passages ("les", "dans les"), and no score bounds to skip
            // ranges of passages with (see `bounds`): tantivy's BM25, which skips blocks that
            // cannot enter the top (block-max WAND), picks the candidates that the second stage
            // ranks as usual. Scoring every passage with "les" took 13 ms at 100,000 articles.
            let words: Vec<(Occur, Box<dyn Query>)> = units
                .matchers
                .iter()
                .flatten()
                .flat_map(matcher_terms)
                .map(|t| {
                    let term = Term::from_field_text(f.text, t);
                    let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                    (Occur::Should, Box::new(query) as Box<dyn Query>)
                })
                .collect();
            rank::top_docs(searcher, &BooleanQuery::new(words), depth)
        } else if clauses.is_empty() && !units.matchers.is_empty() {
            // Alone, the ranking query prunes (only passages hold text or title terms).
            rank::top_docs(searcher, &rank_query, depth)
        } else {
            if !units.matchers.is_empty() {
                clauses.push((Occur::Must, Box::new(rank_query)));
            }
            clauses.push(restrict(Box::new(TermQuery::new(
                Term::from_field_text(f.kind, "passage"),
                IndexRecordOption::Basic,
            ))));
            rank::top_docs(searcher, &BooleanQuery::new(clauses), depth)
        }
    }

    /// Groups the ranked passages, at most `per_article` of one article, into `hits`, reading
    /// only what is shown, and highlights them. Returns, per hit shown, its terms' positions
    /// (per slot of the spec) and where the matched words stand in its text.
    fn show(
        &self,
        searcher: &Searcher,
        spec: &RankSpec,
        ranked: Vec<rank::Rescored>,
        options: &SearchOptions,
        hits: &mut Vec<Hit>,
    ) -> Result<Vec<Shown>> {
        let mut per_article: HashMap<String, usize> = HashMap::new();
        let mut copies = Copies::default();
        let mut shown: Vec<Shown> = Vec::new();
        let mut skipped = 0;
        for candidate in ranked {
            if hits.len() >= options.limit {
                break;
            }
            let doc: TantivyDocument = searcher
                .doc(candidate.address)
                .map_err(|e| Error::index(self.path(), e))?;
            let hit = self.hit(&doc, candidate.score);
            let print = doc.get_first(self.fields().near).and_then(|v| v.as_u64());
            if let Some((copy, first)) = copies.copy_of(&hit.article.id, print) {
                if let Some(shown) = hits.get_mut(copy).filter(|_| first) {
                    shown.also_in.push(hit.article);
                }
                continue;
            }
            let seen = per_article.entry(hit.article.id.clone()).or_default();
            if *seen >= options.per_article.max(1) {
                continue;
            }
            *seen += 1;
            if skipped < options.offset {
                skipped += 1;
                // On an earlier page: its copies stay folded, listed with it there.
                copies.show(&hit.article.id, print, usize::MAX);
                continue;
            }
            copies.show(&hit.article.id, print, hits.len());
            // The postings gave the matched words' positions: only the tokenizer runs to find
            // them in the text, not the analysis.
            let matched = spec.matched_positions(&candidate.positions);
            let spans = analysis::word_spans(&hit.passage.text, &matched);
            let mut hit = Hit {
                rank: options.offset + hits.len() + 1,
                ..hit
            };
            hit.passage.highlights = spans.iter().map(|w| (w.from, w.to)).collect();
            hits.push(hit);
            shown.push((candidate.positions, spans));
        }
        Ok(shown)
    }

    /// The rescored passages, those that carry the kind of answer the question asks for (see
    /// `answer`) raised by a share of their score, in the new order.
    fn favour_answers(
        &self,
        searcher: &Searcher,
        kind: rewrite::QuestionKind,
        mut ranked: Vec<rank::Rescored>,
    ) -> Result<Vec<rank::Rescored>> {
        let text = self.fields().text;
        for candidate in &mut ranked {
            let doc: TantivyDocument = searcher
                .doc(candidate.address)
                .map_err(|e| Error::index(self.path(), e))?;
            let passage = doc.get_first(text).and_then(|v| v.as_str()).unwrap_or("");
            if answer::carries(kind, passage) == Some(true) {
                candidate.score *= 1.0 + answer::ANSWER_BOOST;
            }
        }
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
        Ok(ranked)
    }

    fn hit(&self, doc: &TantivyDocument, score: f32) -> Hit {
        let f = self.fields();
        let text_of = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        Hit {
            rank: 0,
            score,
            article: Article {
                id: text_of(f.article_id).unwrap_or_default(),
                path: text_of(f.file).unwrap_or_default(),
                title: text_of(f.title),
                date: text_of(f.date),
                source: text_of(f.source),
            },
            passage: PassageHit {
                index: doc
                    .get_first(f.passage)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0) as usize,
                text: text_of(f.text).unwrap_or_default(),
                highlights: Vec::new(),
            },
            also_in: Vec::new(),
        }
    }
}

/// Per hit shown: its terms' positions (per slot of the spec) and its matched words' spans.
type Shown = (Vec<Vec<u32>>, Vec<analysis::WordSpan>);

/// Corrections: each word matched fuzzily, as it stands in the best hit that holds it.
fn corrections(
    spec: &RankSpec,
    fuzzy_typed: Vec<(String, Vec<String>)>,
    hits: &[Hit],
    shown: &[Shown],
) -> Vec<Correction> {
    let slot_terms: Vec<&str> = spec
        .units
        .iter()
        .flatten()
        .flat_map(|alt| &alt.terms)
        .map(|t| t.text.as_str())
        .collect();
    let mut out = Vec::new();
    for (typed, terms) in fuzzy_typed {
        let found = hits.iter().zip(shown).find_map(|(h, (positions, spans))| {
            let first = slot_terms
                .iter()
                .zip(positions)
                .filter(|(t, _)| terms.iter().any(|term| term == *t))
                .filter_map(|(_, at)| at.first())
                .min()?;
            let word = spans.iter().find(|w| w.position == *first)?;
            Some(h.passage.text[word.from..word.to].to_string())
        });
        if let Some(found) = found {
            out.push(Correction {
                from: typed,
                to: found,
            });
        }
    }
    out
}

/// The query as every backend reads it: parsed, with the filters given beside it (`source`,
/// `since`, `until`), question words out and synonyms in.
pub(crate) fn read_query(
    query: &str,
    options: &SearchOptions,
) -> Result<(ParsedQuery, rewrite::Rewritten)> {
    let mut parsed = query::parse(query)?;
    let beside = query::filters_beside(
        options.source.as_deref(),
        options.since.as_deref(),
        options.until.as_deref(),
        &mut parsed.notices,
    );
    parsed.filters.extend(beside);
    let synonyms = match &options.synonyms {
        Some(list) => list.as_ref(),
        None => default_synonyms(),
    };
    let rewritten = rewrite::rewrite(&mut parsed, query, synonyms);
    Ok((parsed, rewritten))
}

/// The list shipped with aes-search, parsed once.
fn default_synonyms() -> &'static Synonyms {
    static LIST: OnceLock<Synonyms> = OnceLock::new();
    LIST.get_or_init(Synonyms::default_list)
}
