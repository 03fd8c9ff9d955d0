//! Query → ranked passages, grouped by article, with the matched words highlighted.
//!
//! The query's words are analyzed like the text, so they become index terms; a prefix
//! (`sahél*`) or a word the index does not know (a typo) becomes the index terms it stands for.
//! The `rank` module scores every matching passage inside tantivy (BM25F with our constants, then
//! phrases and proximity for the best candidates, from the terms' positions). Only the passages
//! shown are read from the store, grouped by article, and highlighted at those positions, found
//! in the text as written by the tokenizer: stemmed and accent-folded forms are highlighted
//! where they stand, without analysing the passages again.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Bound;
use std::sync::{Arc, OnceLock};

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use tantivy_fst::automaton::AlwaysMatch;
use tantivy_fst::Automaton;

use serde::{Deserialize, Serialize};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
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
use crate::rank::{self, Alternative, CorpusStats, RankQuery, RankSpec, RankTerm};
use crate::rewrite::{self, Expansion, Synonyms};

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
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            per_article: 2,
            synonyms: None,
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
    /// What the synonyms list added to the query ("also searched: …").
    pub expansions: Vec<Expansion>,
}

/// What an atom of the query stands for in the index.
#[derive(Debug, Clone)]
enum Matcher {
    /// Any of these terms: a word, or a prefix's or a typo's expansions.
    Terms(Vec<String>),
    /// (offset in the query, term) pairs; stop words leave gaps in the offsets.
    Phrase(Vec<(usize, String)>),
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
        let mut parsed = query::parse(query)?;
        let synonyms = match &options.synonyms {
            Some(list) => list.as_ref(),
            None => default_synonyms(),
        };
        let rewritten = rewrite::rewrite(&mut parsed, query, synonyms);
        let searcher = self.reader.searcher();
        let freqs = DocFreqs::new(&searcher, self.fields.text, self.fields.title);
        let mut outcome = SearchOutcome {
            notices: parsed.notices.clone(),
            expansions: rewritten.expansions.clone(),
            ..SearchOutcome::default()
        };
        let f = self.fields;

        // Units: analyze, and expand words the index does not know to their near spellings.
        let mut units: Vec<Vec<Matcher>> = Vec::new();
        let mut fuzzy_typed: Vec<(String, Vec<String>)> = Vec::new();
        // Whether each unit is quoted phrases only: those are required, as in web search engines.
        let mut required: Vec<bool> = Vec::new();
        // Per unit, whether its alternatives came from the synonyms list.
        let mut synonym_units: Vec<bool> = Vec::new();
        for (u, unit) in parsed.units.iter().enumerate() {
            let listed = rewritten.expansions.iter().any(|e| e.unit == u);
            let mut alternatives = Vec::new();
            for (a, atom) in unit.alternatives.iter().enumerate() {
                // Only the words as typed may be typos, not the list's.
                let allow_fuzzy = !listed || a == 0;
                if let Some((m, fuzzy)) = self.matcher(&freqs, analyzer, atom, allow_fuzzy) {
                    if fuzzy {
                        if let Matcher::Terms(terms) = &m {
                            fuzzy_typed.push((atom_text(atom), terms.clone()));
                        }
                    }
                    alternatives.push(m);
                }
            }
            if !alternatives.is_empty() {
                units.push(alternatives);
                synonym_units.push(listed);
                required.push(
                    unit.alternatives
                        .iter()
                        .all(|a| matches!(a, Atom::Phrase(_))),
                );
            }
        }
        if units.is_empty() && parsed.filters.is_empty() {
            return Err(Error::EmptyQuery);
        }

        // Stage 1, inside tantivy: every passage that holds a query term, scored by BM25F.
        let stats = CorpusStats::new(&searcher, f.text, f.title, f.kind);
        let mut rank_units: Vec<Vec<Alternative>> = units
            .iter()
            .map(|alts| {
                alts.iter()
                    .map(|m| alternative(m, &freqs, &stats))
                    .collect()
            })
            .collect();
        for (alts, _) in rank_units
            .iter_mut()
            .zip(&synonym_units)
            .filter(|(_, &s)| s)
        {
            share_weight(alts);
        }
        // Words in many passages beside rarer ones ("les", which the Snowball list does not
        // stop) add to the score of passages that hold a rarer one, but do not make a passage a
        // candidate on their own: as Elasticsearch's common terms, so that a query such as
        // "les Turcs" does not score every passage that holds "les".
        // Small collections are left alone: there every word is frequent, and the cost is small.
        let common: Vec<bool> = rank_units
            .iter()
            .map(|alts| stats.passages >= COMMON_MIN_PASSAGES && is_common(alts))
            .collect();
        let (mut rarer_required, mut only_common) = (false, false);
        if common.contains(&true) {
            let found: Vec<bool> = units
                .iter()
                .map(|matchers| {
                    matchers
                        .iter()
                        .any(|m| matcher_terms(m).any(|t| freqs.in_text_or_title(t) > 0))
                })
                .collect();
            rarer_required = (0..units.len()).any(|u| !common[u] && found[u]);
            // Only common words, beside words found nowhere.
            only_common = !rarer_required;
        }
        let spec = Arc::new(RankSpec {
            units: rank_units,
            candidates: if rarer_required {
                common.iter().map(|&c| !c).collect()
            } else {
                Vec::new()
            },
            text_field: f.text,
            title_field: f.title,
            avg_len: stats.avg_len,
            bounds: self.bounds.of(&searcher),
            question: rewritten.question.is_some(),
        });
        let rank_query = RankQuery {
            spec: Arc::clone(&spec),
        };
        // Restrictions take no part in the score.
        let restrict = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(BoostQuery::new(q, 0.0)))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for filter in &parsed.filters {
            clauses.push(restrict(self.filter_query(&freqs, analyzer, filter)));
        }
        for (matchers, _) in units.iter().zip(&required).filter(|(_, &r)| r) {
            let either: Vec<(Occur, Box<dyn Query>)> = matchers
                .iter()
                .flat_map(|m| {
                    [f.text, f.title].map(|field| (Occur::Should, tantivy_query(field, m)))
                })
                .collect();
            clauses.push(restrict(Box::new(BooleanQuery::new(either))));
        }
        for atom in &parsed.excluded {
            if let Some((m, _)) = self.matcher(&freqs, analyzer, atom, false) {
                clauses.push((Occur::MustNot, tantivy_query(f.text, &m)));
            }
        }
        if rarer_required && !clauses.is_empty() {
            // The ranking query alone leaves the common words out of its candidates (see
            // `RankSpec::candidates`); beside other clauses, a restriction does it.
            let rarer: Vec<(Occur, Box<dyn Query>)> = units
                .iter()
                .zip(&common)
                .filter(|(_, &c)| !c)
                .flat_map(|(matchers, _)| matchers)
                .flat_map(|m| {
                    [f.text, f.title].map(|field| (Occur::Should, tantivy_query(field, m)))
                })
                .collect();
            clauses.push(restrict(Box::new(BooleanQuery::new(rarer))));
        }
        let depth = RERANK_DEPTH.max(options.limit.saturating_mul(2));
        let top = if clauses.is_empty() && only_common && spec.bounds.is_empty() {
            // Only words in many passages ("les", "dans les"), and no score bounds to skip
            // ranges of passages with (see `bounds`): tantivy's BM25, which skips blocks that
            // cannot enter the top (block-max WAND), picks the candidates that the second stage
            // ranks as usual. Scoring every passage with "les" took 13 ms at 100,000 articles.
            let words: Vec<(Occur, Box<dyn Query>)> = units
                .iter()
                .flatten()
                .flat_map(matcher_terms)
                .map(|t| {
                    let term = Term::from_field_text(f.text, t);
                    let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                    (Occur::Should, Box::new(query) as Box<dyn Query>)
                })
                .collect();
            rank::top_docs(&searcher, &BooleanQuery::new(words), depth)
        } else if clauses.is_empty() && !units.is_empty() {
            // Alone, the ranking query prunes (only passages hold text or title terms).
            rank::top_docs(&searcher, &rank_query, depth)
        } else {
            if !units.is_empty() {
                clauses.push((Occur::Must, Box::new(rank_query)));
            }
            clauses.push(restrict(Box::new(TermQuery::new(
                Term::from_field_text(f.kind, "passage"),
                IndexRecordOption::Basic,
            ))));
            rank::top_docs(&searcher, &BooleanQuery::new(clauses), depth)
        }
        .map_err(|e| Error::index(&self.path, e))?;

        // Stage 2, on the best candidates: phrases and proximity, from positions.
        let addresses: Vec<_> = top.iter().map(|(_, a)| *a).collect();
        let ranked = if units.is_empty() {
            top.into_iter()
                .map(|(score, address)| rank::Rescored {
                    score,
                    address,
                    positions: Vec::new(),
                })
                .collect()
        } else {
            rank::rescore(&searcher, &spec, &addresses).map_err(|e| Error::index(&self.path, e))?
        };

        // Group: at most `per_article` passages of one article; read only what is shown.
        let mut per_article: HashMap<String, usize> = HashMap::new();
        // Per hit shown, its terms' positions (per slot of the spec) and where the matched
        // words stand in its text: for the typo corrections.
        let mut shown: Vec<(Vec<Vec<u32>>, Vec<analysis::WordSpan>)> = Vec::new();
        for candidate in ranked {
            if outcome.hits.len() >= options.limit {
                break;
            }
            let doc: TantivyDocument = searcher
                .doc(candidate.address)
                .map_err(|e| Error::index(&self.path, e))?;
            let hit = self.hit(&doc, candidate.score);
            let seen = per_article.entry(hit.article.id.clone()).or_default();
            if *seen >= options.per_article.max(1) {
                continue;
            }
            *seen += 1;
            // The postings gave the matched words' positions: only the tokenizer runs to find
            // them in the text, not the analysis.
            let matched = spec.matched_positions(&candidate.positions);
            let spans = analysis::word_spans(&hit.passage.text, &matched);
            let mut hit = Hit {
                rank: outcome.hits.len() + 1,
                ..hit
            };
            hit.passage.highlights = spans.iter().map(|w| (w.from, w.to)).collect();
            outcome.hits.push(hit);
            shown.push((candidate.positions, spans));
        }

        // Corrections: show the word as it stands in the best hit.
        let slot_terms: Vec<&str> = spec
            .units
            .iter()
            .flatten()
            .flat_map(|alt| &alt.terms)
            .map(|t| t.text.as_str())
            .collect();
        for (typed, terms) in fuzzy_typed {
            let found = outcome
                .hits
                .iter()
                .zip(&shown)
                .find_map(|(h, (positions, spans))| {
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
                outcome.corrections.push((typed, found));
            }
        }
        Ok(outcome)
    }

    fn hit(&self, doc: &TantivyDocument, score: f32) -> Hit {
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
                highlights: Vec::new(),
            },
        }
    }

    /// What an atom stands for in the index; `None` when it is only stop words. The flag says
    /// whether the word was unknown and expanded to near spellings.
    fn matcher(
        &self,
        freqs: &DocFreqs<'_>,
        analyzer: &mut TextAnalyzer,
        atom: &Atom,
        allow_fuzzy: bool,
    ) -> Option<(Matcher, bool)> {
        let f = self.fields;
        match atom {
            Atom::Prefix(p) => {
                let prefix = analysis::tokens(&mut prefix_analyzer(), p)
                    .into_iter()
                    .next()?;
                Some((
                    Matcher::Terms(prefix_expansions(freqs.searcher, f.text, &prefix.text)),
                    false,
                ))
            }
            Atom::Word(w) | Atom::Phrase(w) => {
                let tokens = analysis::tokens(analyzer, w);
                match tokens.len() {
                    0 => None,
                    1 => {
                        let term = tokens[0].text.clone();
                        let known = freqs.in_text_or_title(&term) > 0;
                        let distance = typo_distance(w.chars().count(), term.chars().count());
                        if !known && allow_fuzzy && matches!(atom, Atom::Word(_)) && distance > 0 {
                            let near = fuzzy_expansions(freqs.searcher, f.text, &term, distance);
                            if !near.is_empty() {
                                return Some((Matcher::Terms(near), true));
                            }
                        }
                        Some((Matcher::Terms(vec![term]), false))
                    }
                    _ => {
                        let first = tokens[0].position;
                        Some((
                            Matcher::Phrase(
                                tokens
                                    .into_iter()
                                    .map(|t| (t.position - first, t.text))
                                    .collect(),
                            ),
                            false,
                        ))
                    }
                }
            }
        }
    }

    fn filter_query(
        &self,
        freqs: &DocFreqs<'_>,
        analyzer: &mut TextAnalyzer,
        filter: &Filter,
    ) -> Box<dyn Query> {
        let f = self.fields;
        match filter {
            Filter::Title(atom) => match self.matcher(freqs, analyzer, atom, false) {
                Some((m, _)) => tantivy_query(f.title, &m),
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
        }
    }
}

/// A matcher as a plain tantivy query on one field (for exclusions and `title:`).
fn tantivy_query(field: Field, m: &Matcher) -> Box<dyn Query> {
    let term = |t: &str| Term::from_field_text(field, t);
    match m {
        Matcher::Terms(terms) if terms.is_empty() => Box::new(EmptyQuery),
        Matcher::Terms(terms) => Box::new(BooleanQuery::new(
            terms
                .iter()
                .map(|t| {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term(t), IndexRecordOption::Basic))
                            as Box<dyn Query>,
                    )
                })
                .collect(),
        )),
        Matcher::Phrase(terms) => Box::new(PhraseQuery::new_with_offset(
            terms.iter().map(|(o, t)| (*o, term(t))).collect(),
        )),
    }
}

/// A matcher as the ranking sees it: its terms with their idf.
fn alternative(m: &Matcher, freqs: &DocFreqs<'_>, stats: &CorpusStats) -> Alternative {
    Alternative {
        terms: matcher_terms(m)
            .map(|t| RankTerm {
                text: t.to_string(),
                idf: stats.idf(freqs.get(t).0),
            })
            .collect(),
        phrase: match m {
            Matcher::Terms(_) => None,
            Matcher::Phrase(terms) => Some(terms.iter().map(|(o, _)| *o as u32).collect()),
        },
    }
}

/// Synonyms weigh the same, as with Lucene's `SynonymQuery`: each alternative of a unit the
/// list expanded weighs as much as the lightest (the most frequent word, or the phrase of least
/// total idf), so that a rare spelling or a long name does not outrank the words as typed.
/// On the news development set, without it the list lost 0.15 nDCG@10 on a query whose acronym
/// it expanded to a five-word name.
fn share_weight(alternatives: &mut [Alternative]) {
    let weight = |a: &Alternative| -> f32 {
        match a.phrase {
            None => a.terms.iter().map(|t| t.idf).fold(f32::INFINITY, f32::min),
            Some(_) => a.terms.iter().map(|t| t.idf).sum(),
        }
    };
    let shared = alternatives
        .iter()
        .map(weight)
        .fold(f32::INFINITY, f32::min);
    for alt in alternatives.iter_mut() {
        let scale = alt
            .phrase
            .as_ref()
            .map(|_| shared / weight(alt).max(f32::MIN_POSITIVE));
        for term in &mut alt.terms {
            term.idf = scale.map_or(shared, |scale| term.idf * scale);
        }
    }
}

/// The list shipped with aes-search, parsed once.
fn default_synonyms() -> &'static Synonyms {
    static LIST: OnceLock<Synonyms> = OnceLock::new();
    LIST.get_or_init(Synonyms::default_list)
}

/// Passages below which no word is treated as common (see `is_common`).
const COMMON_MIN_PASSAGES: f32 = 1_000.0;

/// The index terms a matcher looks for, in order.
fn matcher_terms(m: &Matcher) -> Box<dyn Iterator<Item = &str> + '_> {
    match m {
        Matcher::Terms(terms) => Box::new(terms.iter().map(String::as_str)),
        Matcher::Phrase(terms) => Box::new(terms.iter().map(|(_, t)| t.as_str())),
    }
}

/// A unit of single words that are each in more than a quarter of the passages (an idf under
/// ln 4). On PIAF, this left MRR@10 unchanged, with and without ELTeC distractors.
fn is_common(alternatives: &[Alternative]) -> bool {
    const COMMON_IDF: f32 = 1.386_294_4; // ln 4
    alternatives
        .iter()
        .all(|alt| alt.phrase.is_none() && alt.terms.iter().all(|t| t.idf < COMMON_IDF))
}

fn atom_text(atom: &Atom) -> String {
    match atom {
        Atom::Word(w) => w.clone(),
        Atom::Phrase(p) => format!("\"{p}\""),
        Atom::Prefix(p) => format!("{p}*"),
    }
}

/// The document frequencies of a query's terms in the text and in the title, each looked up
/// once: a look-up walks the term dictionary of every segment, and a query asked for each term's
/// up to five times (is it known, its idf, is it common).
struct DocFreqs<'a> {
    searcher: &'a Searcher,
    text: Field,
    title: Field,
    known: RefCell<HashMap<String, (u64, u64)>>,
}

impl<'a> DocFreqs<'a> {
    fn new(searcher: &'a Searcher, text: Field, title: Field) -> Self {
        DocFreqs {
            searcher,
            text,
            title,
            known: RefCell::default(),
        }
    }

    /// Passages whose text, and whose title, hold `term`.
    fn get(&self, term: &str) -> (u64, u64) {
        if let Some(&freqs) = self.known.borrow().get(term) {
            return freqs;
        }
        let in_field = |field| {
            self.searcher
                .doc_freq(&Term::from_field_text(field, term))
                .unwrap_or(0)
        };
        let freqs = (in_field(self.text), in_field(self.title));
        self.known.borrow_mut().insert(term.to_string(), freqs);
        freqs
    }

    fn in_text_or_title(&self, term: &str) -> u64 {
        let (text, title) = self.get(term);
        text + title
    }
}

/// Index terms of `field` in the ranges `[lower, upper)` that `automaton` accepts, the most
/// frequent first, at most `most`.
fn expansions<A: Automaton<State: Clone>>(
    searcher: &Searcher,
    field: Field,
    ranges: &[(String, String)],
    most: usize,
    automaton: &A,
) -> Vec<String> {
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        for (lower, upper) in ranges {
            let Ok(mut stream) = inverted
                .terms()
                .search(automaton)
                .ge(lower.as_bytes())
                .lt(upper.as_bytes())
                .into_stream()
            else {
                continue;
            };
            // A bound on the terms looked at, so that one letter cannot scan the dictionary.
            let mut seen = 0;
            while stream.advance() && seen < 100_000 {
                seen += 1;
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    *found.entry(t.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    let mut terms: Vec<(String, u64)> = found.into_iter().collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(most);
    terms.into_iter().map(|(t, _)| t).collect()
}

/// The range of index terms that start with `prefix`: from it to the same with its last letter's
/// successor.
fn starting_with(prefix: &str) -> (String, String) {
    let mut upper = prefix.to_string();
    match upper
        .pop()
        .and_then(|last| char::from_u32(u32::from(last) + 1))
    {
        Some(next) => upper.push(next),
        // No successor (U+D7FF, U+10FFFF): every continuation sorts below this one.
        None => upper = format!("{prefix}\u{10FFFF}"),
    }
    (prefix.to_string(), upper)
}

/// Index terms that start with `prefix`, at most [`MAX_PREFIX_EXPANSIONS`].
fn prefix_expansions(searcher: &Searcher, field: Field, prefix: &str) -> Vec<String> {
    expansions(
        searcher,
        field,
        &[starting_with(prefix)],
        MAX_PREFIX_EXPANSIONS,
        &AlwaysMatch,
    )
}

/// How many edits a word the index does not know may be from the one meant: by the length
/// typed, as Meilisearch (1 from 5 letters, 2 from 9), and at most what its stem bears (1 from 4
/// letters, 2 from 8), since the edits are counted on the stem, which is shorter: "fusidique"
/// stems to "fusid", 2 edits of which reach "froid"; "Baker" to "bak", 1 edit of which reaches
/// "bat" (bâtiments). With 1 edit, "ahbitants" reaches "habit" (habitants) instead of "amit"
/// (amitié). On PIAF questions with one typo each, MRR@10 0.75493 → 0.75594.
fn typo_distance(typed_chars: usize, stem_chars: usize) -> u8 {
    let by_typed = match typed_chars {
        9.. => 2,
        5.. => 1,
        _ => 0,
    };
    let by_stem = match stem_chars {
        8.. => 2,
        4.. => 1,
        _ => 0,
    };
    by_typed.min(by_stem)
}

/// Index terms within `distance` edits of `term` that share its first letter (as most spelling
/// correctors assume) or start with its first two letters swapped ("ahbitants"), at most
/// [`MAX_FUZZY_EXPANSIONS`].
fn fuzzy_expansions(searcher: &Searcher, field: Field, term: &str, distance: u8) -> Vec<String> {
    let mut chars = term.chars();
    let Some(first) = chars.next() else {
        return Vec::new();
    };
    let mut ranges = vec![starting_with(&first.to_string())];
    if let Some(second) = chars.next().filter(|&c| c != first) {
        ranges.push(starting_with(&format!("{second}{first}")));
    }
    let near = Near(levenshtein(distance).build_dfa(term));
    let mut terms = expansions(searcher, field, &ranges, MAX_FUZZY_EXPANSIONS + 1, &near);
    terms.retain(|t| t != term);
    terms.truncate(MAX_FUZZY_EXPANSIONS);
    terms
}

/// The Levenshtein automaton builder for `distance` edits, a transposition counting as one
/// (Damerau), as tantivy's fuzzy query uses it: it walks only the terms within reach instead of
/// measuring every term of the letter. A builder is costly to make, so each is made once.
fn levenshtein(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; 3] = [const { OnceLock::new() }; 3];
    let distance = distance.min(2);
    BUILDERS[usize::from(distance)].get_or_init(|| LevenshteinAutomatonBuilder::new(distance, true))
}

/// A Levenshtein automaton, as the term dictionary's search takes it.
struct Near(DFA);

impl Automaton for Near {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
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
    fn the_terms_starting_with_a_prefix_are_one_range() {
        // (prefix, terms inside, terms outside)
        let table: [(&str, &[&str], &[&str]); 3] = [
            (
                "sahél",
                &["sahél", "sahélien", "sahél\u{10FFFF}"],
                &["sahel", "sahém", "saha"],
            ),
            ("ha", &["ha", "habit", "hazzz"], &["h", "hb", "ah"]),
            (
                "x\u{D7FF}",
                &["x\u{D7FF}", "x\u{D7FF}é"],
                &["x", "y", "x\u{E000}"],
            ),
        ];
        for (prefix, inside, outside) in table {
            let (lower, upper) = starting_with(prefix);
            let within = |t: &str| lower.as_str() <= t && t < upper.as_str();
            for t in inside {
                assert!(within(t), "{prefix:?}: {t:?} left out");
            }
            for t in outside {
                assert!(!within(t), "{prefix:?}: {t:?} let in");
            }
        }
    }

    #[test]
    fn a_typo_may_be_as_far_as_its_typed_length_and_its_stem_allow() {
        // (typed, stem, edits)
        let table = [
            ("Goyta", "goyt", 1),
            ("Baker", "bak", 0),
            ("fusidique", "fusid", 1),
            ("ahbitants", "ahbit", 1),
            ("sécuritee", "securite", 2),
            ("gouvernemant", "gouvernem", 2),
            ("armes", "arme", 1),
            ("abcd", "abcd", 0),
        ];
        for (typed, stem, edits) in table {
            let got = typo_distance(typed.chars().count(), stem.chars().count());
            assert_eq!(got, edits, "{typed}");
        }
    }

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        let table = [
            ("goita", "goyta", 1, true),
            ("securit", "secruit", 1, true),
            ("monnai", "monai", 1, true),
            ("sahel", "soleil", 1, false),
            ("abc", "abc", 0, true),
            ("securite", "scuriet", 2, true),
            ("securite", "scuirte", 2, true),
            ("securite", "sucrier", 2, false),
        ];
        for (a, b, max, expected) in table {
            let within = matches!(levenshtein(max).build_dfa(b).eval(a), Distance::Exact(_));
            assert_eq!(within, expected, "{a} ~ {b} within {max}");
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
