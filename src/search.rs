//! Query → ranked passages, grouped by article, with the matched words highlighted.
//!
//! Two stages. tantivy finds candidates (every passage that matches any query word, its own BM25
//! deciding the first [`RERANK_DEPTH`]); then each candidate is analyzed once more with the
//! French analyzer, which gives term frequencies, positions and byte offsets, and is rescored:
//! BM25 with Lucene's constants (k1 0.9, b 0.4, which suit passages of varied length better than
//! tantivy's fixed 1.2/0.75), the title as a second field, a proximity bonus for query words that
//! stand close together, a bonus for the exact phrase, and coordination (passages holding more of
//! the query's words first). The same tokens give the highlights, so stemmed and accent-folded
//! forms are highlighted where they stand in the text as written.

use std::collections::HashMap;
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::analysis::{self, french_analyzer, prefix_analyzer};
use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::Engine;
use crate::query::{self, Atom, Filter};

thread_local! {
    /// One analyzer per thread, so that the stemmer's cache outlives a single search.
    static ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(french_analyzer());
}

/// How many candidates tantivy hands to the second stage.
pub const RERANK_DEPTH: usize = 50;
/// Most index terms a prefix (`sahél*`) expands to.
pub const MAX_PREFIX_EXPANSIONS: usize = 64;
/// Queries with at most this many units rank passages by how many units they hold first.
const STRICT_COORDINATION_MAX_UNITS: usize = 4;
const K1: f32 = 0.9;
const B: f32 = 0.4;
/// A title occurrence counts as this many occurrences in the passage (BM25F-style).
const TITLE_WEIGHT: f32 = 2.0;
const PROXIMITY_WEIGHT: f32 = 0.6;
const PHRASE_WEIGHT: f32 = 1.0;

/// How to search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchOptions {
    /// Most hits returned.
    pub limit: usize,
    /// Most passages of one article in the list.
    pub per_article: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            per_article: 2,
        }
    }
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
    /// Words matched fuzzily: (as typed, as found in the text).
    pub corrections: Vec<(String, String)>,
}

/// A candidate after the second stage: score, first-stage rank, document, highlights.
type Rescored = (f32, usize, TantivyDocument, Vec<(usize, usize)>);

/// How a passage token can satisfy a query unit.
#[derive(Debug, Clone)]
enum Matcher {
    Term(String),
    Prefix(String),
    Fuzzy {
        term: String,
        distance: u8,
    },
    /// (offset in the query, term) pairs; stop words leave gaps in the offsets.
    Phrase(Vec<(usize, String)>),
}

/// One query unit, ready to score.
#[derive(Debug, Clone)]
struct ScoredUnit {
    alternatives: Vec<Matcher>,
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
        let parsed = query::parse(query)?;
        let searcher = self.reader.searcher();
        let mut outcome = SearchOutcome {
            notices: parsed.notices.clone(),
            ..SearchOutcome::default()
        };
        let f = self.fields;

        // Units: analyze, and fall back to fuzzy matching for words the index does not know.
        let mut units: Vec<ScoredUnit> = Vec::new();
        let mut fuzzy_typed: Vec<(String, String)> = Vec::new();
        for unit in &parsed.units {
            let mut alternatives = Vec::new();
            for atom in &unit.alternatives {
                if let Some(m) = self.matcher(&searcher, analyzer, atom, true)? {
                    if let Matcher::Fuzzy { term, .. } = &m {
                        fuzzy_typed.push((atom_text(atom), term.clone()));
                    }
                    alternatives.push(m);
                }
            }
            if !alternatives.is_empty() {
                units.push(ScoredUnit { alternatives });
            }
        }
        let has_filters = !parsed.filters.is_empty();
        if units.is_empty() && !has_filters {
            return Err(Error::EmptyQuery);
        }

        // Stage 1: candidates.
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for unit in &units {
            for m in &unit.alternatives {
                for field in [f.text, f.title] {
                    if let Some(q) = self.tantivy_query(&searcher, field, m) {
                        let q: Box<dyn Query> = if field == f.title {
                            Box::new(BoostQuery::new(q, TITLE_WEIGHT))
                        } else {
                            q
                        };
                        should.push((Occur::Should, q));
                    }
                }
            }
        }
        if !should.is_empty() {
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        }
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, "passage"),
                IndexRecordOption::Basic,
            )),
        ));
        for atom in &parsed.excluded {
            if let Some(m) = self.matcher(&searcher, analyzer, atom, false)? {
                if let Some(q) = self.tantivy_query(&searcher, f.text, &m) {
                    clauses.push((Occur::MustNot, q));
                }
            }
        }
        for filter in &parsed.filters {
            clauses.push((Occur::Must, self.filter_query(&searcher, analyzer, filter)?));
        }
        let candidate_query = BooleanQuery::new(clauses);
        let depth = RERANK_DEPTH.max(options.limit * 2);
        let top = searcher
            .search(
                &candidate_query,
                &TopDocs::with_limit(depth).order_by_score(),
            )
            .map_err(|e| Error::index(&self.path, e))?;

        // Stage 2: rescore.
        let stats = CorpusStats::new(&searcher, f.text, f.title, f.kind);
        let mut df_cache: HashMap<String, u64> = HashMap::new();
        let mut title_cache: HashMap<String, Vec<tantivy::tokenizer::Token>> = HashMap::new();
        let mut scored: Vec<Rescored> = Vec::new();
        for (i, (_, address)) in top.into_iter().enumerate() {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| Error::index(&self.path, e))?;
            let text = doc.get_first(f.text).and_then(|v| v.as_str()).unwrap_or("");
            let title = doc
                .get_first(f.title)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let text_tokens = analysis::tokens(analyzer, text);
            let title_tokens = title_cache
                .entry(title.to_string())
                .or_insert_with(|| analysis::tokens(analyzer, title));
            let (score, highlights) = if units.is_empty() {
                (0.0, Vec::new())
            } else {
                score_passage(
                    &units,
                    &text_tokens,
                    title_tokens,
                    &stats,
                    &searcher,
                    f.text,
                    &mut df_cache,
                )
            };
            scored.push((score, i, doc, highlights));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

        // Group: at most `per_article` passages of one article.
        let mut per_article: HashMap<String, usize> = HashMap::new();
        for (score, _, doc, highlights) in scored {
            if outcome.hits.len() >= options.limit {
                break;
            }
            let hit = self.hit(&doc, score, highlights);
            let seen = per_article.entry(hit.article.id.clone()).or_default();
            if *seen >= options.per_article.max(1) {
                continue;
            }
            *seen += 1;
            outcome.hits.push(Hit {
                rank: outcome.hits.len() + 1,
                ..hit
            });
        }

        // Corrections: show the word as it stands in the best hit.
        for (typed, term) in fuzzy_typed {
            let found = outcome.hits.iter().find_map(|h| {
                analysis::tokens(analyzer, &h.passage.text)
                    .into_iter()
                    .find(|t| within_distance(&t.text, &term, 2))
                    .map(|t| h.passage.text[t.offset_from..t.offset_to].to_string())
            });
            if let Some(found) = found {
                outcome.corrections.push((typed, found));
            }
        }
        Ok(outcome)
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, highlights: Vec<(usize, usize)>) -> Hit {
        let f = self.fields;
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
                highlights,
            },
        }
    }

    /// Turns an atom into a matcher; `None` when it is only stop words.
    fn matcher(
        &self,
        searcher: &Searcher,
        analyzer: &mut TextAnalyzer,
        atom: &Atom,
        allow_fuzzy: bool,
    ) -> Result<Option<Matcher>> {
        let f = self.fields;
        Ok(match atom {
            Atom::Prefix(p) => {
                let folded: Vec<_> = analysis::tokens(&mut prefix_analyzer(), p);
                folded.into_iter().next().map(|t| Matcher::Prefix(t.text))
            }
            Atom::Word(w) | Atom::Phrase(w) => {
                let tokens = analysis::tokens(analyzer, w);
                match tokens.len() {
                    0 => None,
                    1 => {
                        let term = tokens[0].text.clone();
                        let known = doc_freq(searcher, f.text, &term)
                            + doc_freq(searcher, f.title, &term)
                            > 0;
                        let chars = w.chars().count();
                        if !known && allow_fuzzy && matches!(atom, Atom::Word(_)) && chars >= 5 {
                            Some(Matcher::Fuzzy {
                                term,
                                distance: if chars >= 9 { 2 } else { 1 },
                            })
                        } else {
                            Some(Matcher::Term(term))
                        }
                    }
                    _ => {
                        let first = tokens[0].position;
                        Some(Matcher::Phrase(
                            tokens
                                .into_iter()
                                .map(|t| (t.position - first, t.text))
                                .collect(),
                        ))
                    }
                }
            }
        })
    }

    fn tantivy_query(
        &self,
        searcher: &Searcher,
        field: Field,
        m: &Matcher,
    ) -> Option<Box<dyn Query>> {
        let term = |t: &str| Term::from_field_text(field, t);
        match m {
            Matcher::Term(t) => Some(Box::new(TermQuery::new(
                term(t),
                IndexRecordOption::WithFreqs,
            ))),
            Matcher::Fuzzy { term: t, distance } => {
                Some(Box::new(FuzzyTermQuery::new(term(t), *distance, true)))
            }
            Matcher::Phrase(terms) => Some(Box::new(PhraseQuery::new_with_offset(
                terms.iter().map(|(o, t)| (*o, term(t))).collect(),
            ))),
            Matcher::Prefix(p) => {
                let expansions = prefix_expansions(searcher, field, p);
                if expansions.is_empty() {
                    return None;
                }
                Some(Box::new(BooleanQuery::new(
                    expansions
                        .into_iter()
                        .map(|t| {
                            (
                                Occur::Should,
                                Box::new(TermQuery::new(term(&t), IndexRecordOption::WithFreqs))
                                    as Box<dyn Query>,
                            )
                        })
                        .collect(),
                )))
            }
        }
    }

    fn filter_query(
        &self,
        searcher: &Searcher,
        analyzer: &mut TextAnalyzer,
        filter: &Filter,
    ) -> Result<Box<dyn Query>> {
        let f = self.fields;
        Ok(match filter {
            Filter::Title(atom) => match self.matcher(searcher, analyzer, atom, false)? {
                Some(m) => self
                    .tantivy_query(searcher, f.title, &m)
                    .unwrap_or_else(|| Box::new(BooleanQuery::new(vec![]))),
                None => Box::new(AllQuery),
            },
            Filter::Source(s) => {
                let terms: Vec<(Occur, Box<dyn Query>)> = analysis::tokens(analyzer, s)
                    .into_iter()
                    .map(|t| {
                        (
                            Occur::Must,
                            Box::new(TermQuery::new(
                                Term::from_field_text(f.source, &t.text),
                                IndexRecordOption::Basic,
                            )) as Box<dyn Query>,
                        )
                    })
                    .collect();
                if terms.is_empty() {
                    Box::new(AllQuery)
                } else {
                    Box::new(BooleanQuery::new(terms))
                }
            }
            Filter::Date { from, to } => {
                let bound = |d: &Option<String>, inclusive: bool| match d {
                    None => Bound::Unbounded,
                    Some(d) if inclusive => Bound::Included(Term::from_field_text(f.date, d)),
                    Some(d) => Bound::Excluded(Term::from_field_text(f.date, d)),
                };
                Box::new(RangeQuery::new(bound(from, true), bound(to, false)))
            }
        })
    }
}

fn atom_text(atom: &Atom) -> String {
    match atom {
        Atom::Word(w) => w.clone(),
        Atom::Phrase(p) => format!("\"{p}\""),
        Atom::Prefix(p) => format!("{p}*"),
    }
}

fn doc_freq(searcher: &Searcher, field: Field, term: &str) -> u64 {
    searcher
        .doc_freq(&Term::from_field_text(field, term))
        .unwrap_or(0)
}

/// Index terms of `field` that start with `prefix`, the most frequent first, at most
/// [`MAX_PREFIX_EXPANSIONS`].
fn prefix_expansions(searcher: &Searcher, field: Field, prefix: &str) -> Vec<String> {
    let mut found: HashMap<String, u64> = HashMap::new();
    let upper = format!("{prefix}\u{10FFFF}");
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .lt(upper.as_bytes())
            .into_stream()
        else {
            continue;
        };
        let mut n = 0;
        while stream.advance() && n < 10_000 {
            if let Ok(t) = std::str::from_utf8(stream.key()) {
                *found.entry(t.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
            n += 1;
        }
    }
    let mut terms: Vec<(String, u64)> = found.into_iter().collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(MAX_PREFIX_EXPANSIONS);
    terms.into_iter().map(|(t, _)| t).collect()
}

/// Collection statistics for BM25.
struct CorpusStats {
    passages: f32,
    avg_text_len: f32,
    avg_title_len: f32,
}

impl CorpusStats {
    fn new(searcher: &Searcher, text: Field, title: Field, kind: Field) -> CorpusStats {
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
            avg_text_len: (tokens(text) / passages).max(1.0),
            avg_title_len: (tokens(title) / passages).max(1.0),
        }
    }

    fn idf(&self, df: u64) -> f32 {
        let df = df as f32;
        (1.0 + (self.passages - df + 0.5) / (df + 0.5)).ln()
    }
}

fn bm25(tf: f32, len: f32, avg: f32) -> f32 {
    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg))
}

/// Edit distance of at most `max` (Damerau: a transposition counts as one).
fn within_distance(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()] <= max
}

/// Positions (token indexes) where a matcher is satisfied, and the byte ranges it covers.
fn occurrences(
    m: &Matcher,
    tokens: &[tantivy::tokenizer::Token],
) -> Vec<(usize, Vec<(usize, usize)>)> {
    let single = |pred: &dyn Fn(&str) -> bool| -> Vec<(usize, Vec<(usize, usize)>)> {
        tokens
            .iter()
            .filter(|t| pred(&t.text))
            .map(|t| (t.position, vec![(t.offset_from, t.offset_to)]))
            .collect()
    };
    match m {
        Matcher::Term(term) => single(&|t| t == term),
        Matcher::Prefix(p) => single(&|t| t.starts_with(p.as_str())),
        Matcher::Fuzzy { term, distance } => {
            single(&|t| within_distance(t, term, usize::from(*distance)))
        }
        Matcher::Phrase(terms) => {
            let by_position: HashMap<usize, &tantivy::tokenizer::Token> =
                tokens.iter().map(|t| (t.position, t)).collect();
            tokens
                .iter()
                .filter(|t| t.text == terms[0].1)
                .filter_map(|start| {
                    let spans: Option<Vec<(usize, usize)>> = terms
                        .iter()
                        .map(|(offset, term)| {
                            by_position
                                .get(&(start.position + offset))
                                .filter(|t| &t.text == term)
                                .map(|t| (t.offset_from, t.offset_to))
                        })
                        .collect();
                    spans.map(|s| (start.position, s))
                })
                .collect()
        }
    }
}

fn matcher_df(
    m: &Matcher,
    searcher: &Searcher,
    field: Field,
    cache: &mut HashMap<String, u64>,
) -> u64 {
    let mut df = |t: &str| {
        *cache
            .entry(t.to_string())
            .or_insert_with(|| doc_freq(searcher, field, t))
    };
    match m {
        Matcher::Term(t) | Matcher::Fuzzy { term: t, .. } => df(t).max(1),
        Matcher::Prefix(_) => 1,
        Matcher::Phrase(terms) => terms.iter().map(|(_, t)| df(t)).min().unwrap_or(1).max(1),
    }
}

/// Second-stage score of one passage, and its highlights.
fn score_passage(
    units: &[ScoredUnit],
    text: &[tantivy::tokenizer::Token],
    title: &[tantivy::tokenizer::Token],
    stats: &CorpusStats,
    searcher: &Searcher,
    text_field: Field,
    df_cache: &mut HashMap<String, u64>,
) -> (f32, Vec<(usize, usize)>) {
    let text_len = text.len() as f32;
    let title_len = title.len() as f32;
    let mut score = 0.0;
    let mut matched_units = 0usize;
    let mut highlights: Vec<(usize, usize)> = Vec::new();
    // For proximity: each matched unit's positions and weight.
    let mut placed: Vec<(Vec<usize>, f32)> = Vec::new();
    for unit in units {
        let mut best = 0.0f32;
        let mut positions = Vec::new();
        let mut idf_best = 0.0f32;
        let mut found = false;
        for m in &unit.alternatives {
            let idf = stats.idf(matcher_df(m, searcher, text_field, df_cache));
            let occ = occurrences(m, text);
            let in_title = occurrences(m, title).len() as f32;
            let mut s = 0.0;
            // Title and text scored as one field, a title occurrence weighing TITLE_WEIGHT.
            let tf = occ.len() as f32 + TITLE_WEIGHT * in_title;
            if tf > 0.0 {
                s += idf
                    * bm25(
                        tf,
                        text_len + title_len,
                        stats.avg_text_len + stats.avg_title_len,
                    );
            }
            if !occ.is_empty() || in_title > 0.0 {
                found = true;
            }
            for (pos, spans) in &occ {
                positions.push(*pos);
                highlights.extend(spans.iter().copied());
            }
            if s > best {
                best = s;
                idf_best = idf;
            }
        }
        score += best;
        if found {
            matched_units += 1;
        }
        if !positions.is_empty() {
            positions.sort_unstable();
            placed.push((positions, idf_best));
        }
    }
    // Proximity: for each pair of matched units, the closest their occurrences come.
    for i in 0..placed.len() {
        for j in i + 1..placed.len() {
            let d = min_distance(&placed[i].0, &placed[j].0).max(1) as f32;
            score += PROXIMITY_WEIGHT * placed[i].1.min(placed[j].1) / (d * d);
        }
    }
    // The whole query as a phrase, in order.
    if units.len() > 1 && placed.len() == units.len() {
        let in_order = placed.windows(2).all(|w| {
            w[1].0
                .iter()
                .any(|&q| w[0].0.iter().any(|&p| q > p && q - p <= 2))
        });
        if in_order {
            score += PHRASE_WEIGHT * placed.iter().map(|p| p.1).sum::<f32>() / units.len() as f32;
        }
    }
    // Coordination: in the short queries people type, every word present beats some missing.
    // Long, question-like queries are ranked by score alone (on PIAF, a coverage factor cost
    // about 0.01 MRR@10).
    if units.len() <= STRICT_COORDINATION_MAX_UNITS {
        score += 1000.0 * matched_units as f32;
    }
    highlights.sort_unstable();
    highlights.dedup();
    (score, highlights)
}

fn min_distance(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut best) = (0, 0, usize::MAX);
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

/// A part of a passage to show: the best window, cut at sentence or word boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The text shown, with "…" where it was cut.
    pub text: String,
    /// Byte ranges of the matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
}

impl PassageHit {
    /// The passage, or its best window of about `max_chars` when it is longer.
    pub fn snippet(&self, max_chars: usize) -> Snippet {
        let text = &self.text;
        if text.chars().count() <= max_chars || self.highlights.is_empty() {
            return Snippet {
                text: truncate_at_word(text, max_chars),
                highlights: self
                    .highlights
                    .iter()
                    .copied()
                    .filter(|h| h.1 <= text.len())
                    .collect(),
            };
        }
        // Window start candidates: sentence starts and highlight starts; pick the one covering most highlights.
        let max_bytes = text
            .char_indices()
            .nth(max_chars)
            .map_or(text.len(), |(b, _)| b)
            .max(1);
        let mut starts: Vec<usize> = vec![0];
        starts.extend(
            text.char_indices()
                .filter(|&(i, c)| matches!(c, '.' | '!' | '?' | '\n') && i + 1 < text.len())
                .map(|(i, c)| i + c.len_utf8()),
        );
        starts.extend(
            self.highlights
                .iter()
                .map(|h| floor_word_start(text, h.0.saturating_sub(60))),
        );
        let best = starts
            .iter()
            .map(|&s| {
                let s = skip_spaces(text, s);
                let covered = self
                    .highlights
                    .iter()
                    .filter(|h| h.0 >= s && h.1 <= s + max_bytes)
                    .count();
                (covered, std::cmp::Reverse(s), s)
            })
            .max()
            .map_or(0, |x| x.2);
        let mut end = (best + max_bytes).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < text.len() {
            end = text[best..end].rfind(' ').map_or(end, |i| best + i);
        }
        let prefix = if best > 0 { "… " } else { "" };
        let suffix = if end < text.len() { " …" } else { "" };
        let body = &text[best..end];
        let shift = prefix.len();
        let highlights = self
            .highlights
            .iter()
            .filter(|h| h.0 >= best && h.1 <= end)
            .map(|h| (h.0 - best + shift, h.1 - best + shift))
            .collect();
        Snippet {
            text: format!("{prefix}{}{suffix}", body.trim_end()),
            highlights,
        }
    }
}

fn skip_spaces(text: &str, mut i: usize) -> usize {
    while i < text.len() && text[i..].starts_with(char::is_whitespace) {
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    i
}

fn floor_word_start(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    match text[..i].rfind(char::is_whitespace) {
        Some(s) => s + 1,
        None => 0,
    }
}

fn truncate_at_word(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((b, _)) => format!("{} …", &text[..text[..b].rfind(' ').unwrap_or(b)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        let table = [
            ("goita", "goyta", 1, true),
            ("securit", "secruit", 1, true),
            ("monnai", "monai", 1, true),
            ("sahel", "soleil", 1, false),
            ("abc", "abc", 0, true),
        ];
        for (a, b, max, expected) in table {
            assert_eq!(
                within_distance(a, b, max),
                expected,
                "{a} ~ {b} within {max}"
            );
        }
    }

    #[test]
    fn snippets_cut_long_passages_around_the_matches() {
        let text = format!(
            "{} La monnaie commune arrive. {}",
            "Phrase de remplissage sans intérêt. ".repeat(10),
            "Autre phrase sans intérêt. ".repeat(10)
        );
        let start = text.find("monnaie").unwrap();
        let hit = PassageHit {
            index: 0,
            text: text.clone(),
            highlights: vec![(start, start + 7)],
        };
        let snippet = hit.snippet(120);
        assert!(snippet.text.chars().count() <= 126, "{}", snippet.text);
        assert!(
            snippet.text.starts_with('…') && snippet.text.ends_with('…'),
            "{}",
            snippet.text
        );
        let (a, b) = snippet.highlights[0];
        assert_eq!(&snippet.text[a..b], "monnaie");
    }
}
