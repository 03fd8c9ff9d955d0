//! Throughput of the French analyzer next to tantivy's default tokenizer (issue 4).
//!
//! ```text
//! cargo bench --bench analysis [-- --mb 20] [--passes 7]
//! ```
//!
//! Reads the `text` of the first `--mb` megabytes of `../shared/data/eltec_fra/passages.jsonl`
//! (skips with a message when it is absent), then runs both analyzers over it `--passes` times,
//! alternately (the machine is shared, so each pair sees the same load), and prints the median
//! MB/s of each and the ratio ours / default. Bytes are the UTF-8 bytes of the text analyzed.

use std::io::BufRead;
use std::time::Instant;

use aes_search::analysis::french_analyzer;
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/eltec_fra/passages.jsonl"
);

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `text` fields of the first `limit` bytes of text.
fn read_texts(limit: usize) -> std::io::Result<Vec<String>> {
    let file = std::io::BufReader::new(std::fs::File::open(DATA)?);
    let mut texts = Vec::new();
    let mut total = 0;
    for line in file.lines() {
        let line = line?;
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
            total += text.len();
            texts.push(text.to_string());
        }
        if total >= limit {
            break;
        }
    }
    Ok(texts)
}

/// Seconds to run `analyzer` over every text, and the number of tokens it produced.
fn pass(analyzer: &mut TextAnalyzer, texts: &[String]) -> (f64, usize) {
    let start = Instant::now();
    let mut count = 0;
    for text in texts {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            count += std::hint::black_box(stream.token()).text.len().min(1);
        }
    }
    (start.elapsed().as_secs_f64(), count)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mb = arg(&args, "--mb", 20);
    let passes = arg(&args, "--passes", 7).max(1);
    let texts = match read_texts(mb << 20) {
        Ok(texts) => texts,
        Err(e) => {
            println!("skipped: cannot read {DATA}: {e}");
            return;
        }
    };
    let bytes: usize = texts.iter().map(String::len).sum();
    let megabytes = bytes as f64 / 1e6;
    println!(
        "analysis throughput on {megabytes:.1} MB of ELTeC-fra ({} passages), {passes} passes, interleaved",
        texts.len()
    );

    let mut default = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build();
    let mut ours = french_analyzer();
    // Warm-up (page cache, stem cache as in a long indexing run).
    let (_, default_tokens) = pass(&mut default, &texts);
    let (_, our_tokens) = pass(&mut ours, &texts);

    let (mut default_mbs, mut our_mbs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..passes {
        // Alternate which one goes first, so neither always follows the other.
        let (d, o) = if i % 2 == 0 {
            let d = pass(&mut default, &texts).0;
            (d, pass(&mut ours, &texts).0)
        } else {
            let o = pass(&mut ours, &texts).0;
            (pass(&mut default, &texts).0, o)
        };
        default_mbs.push(megabytes / d);
        our_mbs.push(megabytes / o);
        ratios.push(d / o);
        println!(
            "  pass {}: default {:7.1} MB/s   french {:7.1} MB/s   ratio {:.2}",
            i + 1,
            megabytes / d,
            megabytes / o,
            d / o
        );
    }
    println!(
        "tantivy default (SimpleTokenizer + LowerCaser): {:7.1} MB/s median, {default_tokens} tokens",
        median(default_mbs)
    );
    println!(
        "aes-search french analyzer:                     {:7.1} MB/s median, {our_tokens} tokens",
        median(our_mbs)
    );
    println!(
        "ratio french / default: {:.2} (median of per-pass ratios)",
        median(ratios)
    );
}
