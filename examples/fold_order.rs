//! Fold then stem, or stem then fold? A measurement on PIAF (issue 4).
//!
//! ```text
//! cargo run --release --example fold_order [-- --distractors 50000]
//! ```
//!
//! Snowball French reads accents ("sécurité" → "sécur", but "securite" → "securit"), so where
//! accent folding goes in the chain changes the terms. This example analyzes the PIAF passages
//! and questions (`../shared/data/piaf`) with three orders of the same steps and ranks the
//! passages for each question with BM25, then prints MRR@10 for each order:
//!
//! - **fold → stem** (our chain, [`aes_search::analysis::french_analyzer`]): fold, stop, stem;
//! - **stem → fold**: stop (on the folded word), stem the accented word, then fold the stem;
//! - **no fold**: stop, stem; accents kept (the reference: `securite` does not find "sécurité").
//!
//! All three share the tokenizer, NFKC, lowercasing and elision, and the same stop list. BM25 is
//! computed here (two settings: tantivy's k1 1.2 / b 0.75 and our ranker's 0.9 / 0.4) over the
//! passage text. `--distractors N` adds the first N ELTeC paragraphs as passages that answer no
//! question, for a harder collection.

use std::collections::HashMap;
use std::io::BufRead;

use aes_search::analysis::{fold, tokens, Elision, FrenchTokenizer, Lowercase, Nfkc};
use tantivy::tokenizer::TextAnalyzer;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data");

/// Where folding goes in the chain.
#[derive(Clone, Copy, Debug)]
enum Order {
    FoldThenStem,
    StemThenFold,
    NoFold,
}

/// The steps of the chain that every order shares, and the stop list (folded).
struct Chain {
    base: TextAnalyzer,
    stemmer: rust_stemmers::Stemmer,
    stop: std::collections::HashSet<String>,
}

impl Chain {
    fn new() -> Chain {
        Chain {
            base: TextAnalyzer::builder(FrenchTokenizer)
                .filter(Nfkc)
                .filter(Lowercase)
                .filter(Elision)
                .build(),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French),
            stop: aes_search::analysis::FRENCH_STOP_WORDS
                .iter()
                .map(|w| fold(w).into_owned())
                .collect(),
        }
    }

    fn terms(&mut self, text: &str, order: Order) -> Vec<String> {
        tokens(&mut self.base, text)
            .into_iter()
            .filter(|t| !self.stop.contains(fold(&t.text).as_ref()))
            .map(|t| match order {
                Order::FoldThenStem => self.stemmer.stem(&fold(&t.text)).into_owned(),
                Order::StemThenFold => fold(&self.stemmer.stem(&t.text)).into_owned(),
                Order::NoFold => self.stemmer.stem(&t.text).into_owned(),
            })
            .collect()
    }
}

/// An in-memory inverted index with BM25.
struct Bm25 {
    postings: HashMap<String, Vec<(u32, u32)>>,
    lengths: Vec<f32>,
    average: f32,
}

impl Bm25 {
    fn new(docs: &[Vec<String>]) -> Bm25 {
        let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        for (d, terms) in docs.iter().enumerate() {
            let mut tf: HashMap<&str, u32> = HashMap::new();
            for t in terms {
                *tf.entry(t).or_default() += 1;
            }
            for (t, n) in tf {
                postings
                    .entry(t.to_string())
                    .or_default()
                    .push((d as u32, n));
            }
        }
        let lengths: Vec<f32> = docs.iter().map(|d| d.len() as f32).collect();
        let average = lengths.iter().sum::<f32>() / lengths.len().max(1) as f32;
        Bm25 {
            postings,
            lengths,
            average,
        }
    }

    /// The 10 best documents for `query`.
    fn top10(&self, query: &[String], k1: f32, b: f32) -> Vec<u32> {
        let n = self.lengths.len() as f32;
        let mut scores: HashMap<u32, f32> = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        for term in query.iter().filter(|t| seen.insert(*t)) {
            let Some(list) = self.postings.get(term) else {
                continue;
            };
            let df = list.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for &(d, tf) in list {
                let tf = tf as f32;
                let norm = k1 * (1.0 - b + b * self.lengths[d as usize] / self.average);
                *scores.entry(d).or_default() += idf * tf * (k1 + 1.0) / (tf + norm);
            }
        }
        let mut ranked: Vec<(u32, f32)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().take(10).map(|(d, _)| d).collect()
    }
}

fn read_jsonl(path: &str) -> std::io::Result<Vec<serde_json::Value>> {
    let file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut out = Vec::new();
    for line in file.lines() {
        if let Ok(value) = serde_json::from_str(&line?) {
            out.push(value);
        }
    }
    Ok(out)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let distractors: usize = args
        .iter()
        .position(|a| a == "--distractors")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let (passages, queries) = match (
        read_jsonl(&format!("{DATA}/piaf/passages.jsonl")),
        read_jsonl(&format!("{DATA}/piaf/queries.jsonl")),
    ) {
        (Ok(p), Ok(q)) => (p, q),
        _ => {
            println!("skipped: {DATA}/piaf is absent");
            return;
        }
    };
    let mut ids: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for p in &passages {
        ids.push(p["id"].as_str().unwrap_or_default().to_string());
        texts.push(p["text"].as_str().unwrap_or_default().to_string());
    }
    if distractors > 0 {
        match std::fs::File::open(format!("{DATA}/eltec_fra/passages.jsonl")) {
            Ok(file) => {
                for line in std::io::BufReader::new(file).lines().take(distractors) {
                    let value: serde_json::Value =
                        serde_json::from_str(&line.unwrap_or_default()).unwrap_or_default();
                    ids.push(String::new());
                    texts.push(value["text"].as_str().unwrap_or_default().to_string());
                }
            }
            Err(_) => println!("no ELTeC distractors: {DATA}/eltec_fra is absent"),
        }
    }
    let index_of: HashMap<&str, u32> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !id.is_empty())
        .map(|(i, id)| (id.as_str(), i as u32))
        .collect();
    let judged: Vec<(String, u32)> = queries
        .iter()
        .filter_map(|q| {
            let relevant = q["relevant"].get(0)?.as_str()?;
            Some((q["query"].as_str()?.to_string(), *index_of.get(relevant)?))
        })
        .collect();
    println!(
        "PIAF: {} passages + {} distractors, {} questions; MRR@10 by order of folding and stemming",
        passages.len(),
        texts.len() - passages.len(),
        judged.len()
    );

    let mut chain = Chain::new();
    // Our analyzer is the fold → stem order: check that the example measures the real chain.
    let mut ours = aes_search::analysis::french_analyzer();
    for text in texts.iter().take(200) {
        let real: Vec<String> = tokens(&mut ours, text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(real, chain.terms(text, Order::FoldThenStem), "{text}");
    }

    println!(
        "{:<14} {:>16} {:>16}",
        "order", "k1 1.2, b 0.75", "k1 0.9, b 0.4"
    );
    // Reciprocal ranks per question, per order and setting, to count the questions that move.
    let mut per_question: Vec<Vec<f64>> = Vec::new();
    for order in [Order::FoldThenStem, Order::StemThenFold, Order::NoFold] {
        let docs: Vec<Vec<String>> = texts.iter().map(|t| chain.terms(t, order)).collect();
        let index = Bm25::new(&docs);
        let mut row = format!("{:<14}", format!("{order:?}"));
        for (k1, b) in [(1.2, 0.75), (0.9, 0.4)] {
            let ranks: Vec<f64> = judged
                .iter()
                .map(|(query, relevant)| {
                    let terms = chain.terms(query, order);
                    let top = index.top10(&terms, k1, b);
                    top.iter()
                        .position(|d| d == relevant)
                        .map_or(0.0, |rank| 1.0 / (rank + 1) as f64)
                })
                .collect();
            row += &format!(" {:>16.4}", ranks.iter().sum::<f64>() / judged.len() as f64);
            per_question.push(ranks);
        }
        println!("{row}");
    }
    // per_question: fold→stem (1.2, 0.9), stem→fold (1.2, 0.9), no fold (1.2, 0.9).
    for (setting, (a, b)) in [("k1 1.2, b 0.75", (0, 2)), ("k1 0.9, b 0.4", (1, 3))] {
        let (fold_first, stem_first) = (&per_question[a], &per_question[b]);
        let better = fold_first
            .iter()
            .zip(stem_first)
            .filter(|(x, y)| x > y)
            .count();
        let worse = fold_first
            .iter()
            .zip(stem_first)
            .filter(|(x, y)| x < y)
            .count();
        println!(
            "{setting}: fold → stem ranks {better} questions better than stem → fold, {worse} worse"
        );
    }
}
