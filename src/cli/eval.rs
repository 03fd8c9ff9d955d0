//! `aes-search eval QUERIES.jsonl`: ranking quality against judged queries (MRR@10, Recall@10,
//! nDCG@10), optionally writing a TREC run file for other tools.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use aes_search::{Error, Result, SearchOptions};
use serde::{Deserialize, Serialize};

use super::{stdout_error, Places, Status};

const DEPTH: usize = 10;

#[derive(Deserialize)]
struct Judged {
    qid: serde_json::Value,
    query: String,
    #[serde(default)]
    relevant: Vec<serde_json::Value>,
}

#[derive(Serialize, Default)]
struct Figures {
    queries: usize,
    #[serde(rename = "mrr@10")]
    mrr: f64,
    #[serde(rename = "recall@10")]
    recall: f64,
    #[serde(rename = "ndcg@10")]
    ndcg: f64,
}

fn id_string(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn run(places: &Places, queries: &Path, json: bool, run_file: Option<&Path>) -> Result<Status> {
    let engine = super::backend::Backend::open(places, false)?;
    let content = std::fs::read_to_string(queries).map_err(|e| Error::Io {
        path: queries.to_owned(),
        source: e,
    })?;
    let options = SearchOptions {
        limit: DEPTH,
        per_article: DEPTH,
        synonyms: super::synonyms(places)?,
        ..SearchOptions::default()
    };
    let mut figures = Figures::default();
    let mut run = String::new();
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let judged: Judged = serde_json::from_str(line).map_err(|e| Error::Jsonl {
            path: queries.to_owned(),
            line: n + 1,
            message: e.to_string(),
        })?;
        let relevant: HashSet<String> = judged.relevant.iter().map(id_string).collect();
        let hits = match engine.search(&judged.query, &options) {
            Ok(hits) => hits,
            Err(Error::EmptyQuery) => Vec::new(),
            Err(e) => return Err(e),
        };
        let qid = id_string(&judged.qid);
        let mut dcg = 0.0;
        let mut first = None;
        let mut found = 0;
        for (i, hit) in hits.iter().enumerate() {
            run.push_str(&format!(
                "{qid} Q0 {} {} {:.4} aes-search\n",
                hit.article.id,
                i + 1,
                hit.score
            ));
            if relevant.contains(&hit.article.id) {
                first.get_or_insert(i + 1);
                found += 1;
                dcg += 1.0 / ((i + 2) as f64).log2();
            }
        }
        let ideal: f64 = (0..relevant.len().min(DEPTH))
            .map(|i| 1.0 / ((i + 2) as f64).log2())
            .sum();
        figures.queries += 1;
        figures.mrr += first.map_or(0.0, |r| 1.0 / r as f64);
        figures.recall += if relevant.is_empty() {
            0.0
        } else {
            found as f64 / relevant.len() as f64
        };
        figures.ndcg += if ideal > 0.0 { dcg / ideal } else { 0.0 };
    }
    let n = figures.queries.max(1) as f64;
    figures.mrr /= n;
    figures.recall /= n;
    figures.ndcg /= n;
    if let Some(path) = run_file {
        std::fs::write(path, run).map_err(|e| Error::Io {
            path: path.to_owned(),
            source: e,
        })?;
    }
    print(&figures, json)?;
    Ok(Status::Success)
}

/// The figures on stdout, as a table or as JSON.
fn print(figures: &Figures, json: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, figures).map_err(|e| stdout_error(e.into()))?;
        writeln!(out).map_err(stdout_error)
    } else {
        writeln!(
            out,
            "queries    {}\nMRR@10     {:.4}\nRecall@10  {:.4}\nnDCG@10    {:.4}",
            figures.queries, figures.mrr, figures.recall, figures.ndcg
        )
        .map_err(stdout_error)
    }
}
