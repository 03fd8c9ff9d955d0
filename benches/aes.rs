//! The benchmark table of issue 8, measured in one run.
//!
//! ```text
//! cargo bench --bench aes -- table [--sizes 1000,10000,100000] [--repeat 3] [--queries 1000] [--work /tmp/aes-bench]
//! cargo bench --bench aes -- gen DIR --articles N [--seed S] [--start K]
//! cargo bench --bench aes -- peers --size N [--run]     # same passages, same queries, peers side by side
//! cargo bench --bench aes -- stages DIR [--passes 5]    # one thread, each step of a build timed alone
//! cargo bench --bench aes -- queries [--queries 1000]   # the PIAF-derived queries, one a line
//! cargo bench --bench aes --features opensearch -- cluster --opensearch URLS [--size 10000]  # embedded against the cluster
//! cargo bench --bench aes -- latency --index IDX [--file Q] [--facets] [--slowest N]
//! ```
//!
//! `table` generates the folders (kept under `--work` for the next run), then for each size builds
//! the index with the real `aes-search index` binary and with plain tantivy (default tokenizer, no
//! cleaning) on the same files, alternately, and reports medians; then +100 articles incremental,
//! query latency in-process with snippets on the largest index, the warm CLI on the bundled corpus,
//! index sizes and peak RSS (from `/usr/bin/time`).

#[cfg(feature = "opensearch")]
#[path = "modes/cluster.rs"]
mod cluster;
#[path = "common/gen_corpus.rs"]
mod gen_corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aes_search::{Engine, SearchOptions, Source, SyncOptions};
use rayon::prelude::*;

const AES: &str = env!("CARGO_BIN_EXE_aes-search");
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
/// Bump when the generator's output changes, so that cached folders are rewritten.
const GEN_VERSION: u32 = 1;
const SEED: u64 = 1;
const NEW_SEED: u64 = 900_001;

struct Args(Vec<String>);

impl Args {
    fn value(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.0.get(i + 1))
            .map(String::as_str)
    }
    fn num(&self, name: &str, default: u64) -> u64 {
        self.value(name)
            .map_or(default, |v| v.replace('_', "").parse().expect("a number"))
    }
    fn flag(&self, name: &str) -> bool {
        self.0.iter().any(|a| a == name)
    }
}

fn main() {
    // `cargo bench` adds `--bench`; drop it.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let command = args.first().cloned().unwrap_or_else(|| "table".into());
    let args = Args(args);
    match command.as_str() {
        "gen" => {
            let data = load_data().unwrap_or_else(|| std::process::exit(0));
            let dir = PathBuf::from(args.0.get(1).expect("gen DIR --articles N"));
            let t = Instant::now();
            let bytes = gen_corpus::write(
                &data,
                &dir,
                args.num("--seed", SEED),
                args.num("--start", 0),
                args.num("--articles", 1000),
            )
            .expect("write articles");
            println!("{} bytes in {:.2?}", bytes, t.elapsed());
        }
        "baseline" => {
            let (dir, index) = (Path::new(&args.0[1]), Path::new(&args.0[2]));
            plain_tantivy(dir, index);
        }
        "peers" => peers(&args),
        "latency" => {
            // For profiling: `perf record … aes-<hash> latency --index IDX`.
            let engine =
                Engine::open(args.value("--index").expect("--index IDX")).expect("open index");
            // `--query Q`: that query alone, repeated (to profile one query).
            let queries = match args.value("--query") {
                Some(q) => vec![q.to_string(); args.num("--queries", 1000) as usize],
                // `--file F`: the queries of F, one per line (to profile a share of them).
                None => match args.value("--file") {
                    Some(file) => std::fs::read_to_string(file)
                        .expect("a file of queries")
                        .lines()
                        .map(String::from)
                        .collect(),
                    None => {
                        piaf_queries(args.num("--queries", 1000) as usize).expect("PIAF queries")
                    }
                },
            };
            // `--facets`: counted as the server's API asks for them, at every search.
            let options = SearchOptions {
                facets: args.flag("--facets"),
                ..SearchOptions::default()
            };
            let passes = args.num("--passes", 3) as usize;
            let l = latency(&engine, &queries, passes, &options);
            println!(
                "p50 {:.3} ms, p99 {:.3} ms, mean {:.3} ms, {} samples, {} queries with hits",
                l.p50_ms, l.p99_ms, l.mean_ms, l.samples, l.with_hits
            );
            // Where the tail comes from: the slowest queries, by their fastest of 3 runs.
            let shown = args.num("--slowest", 0) as usize;
            if shown > 0 {
                let mut slowest: Vec<(f64, &String)> = queries
                    .iter()
                    .map(|q| {
                        let best = (0..3)
                            .map(|_| {
                                let t = Instant::now();
                                let _ = engine.search(q, &SearchOptions::default());
                                t.elapsed().as_secs_f64() * 1e3
                            })
                            .fold(f64::INFINITY, f64::min);
                        (best, q)
                    })
                    .collect();
                slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
                for (ms, q) in slowest.iter().take(shown) {
                    println!("{ms:8.3} ms  {q}");
                }
            }
        }
        "stages" => stages(Path::new(args.0.get(1).expect("stages DIR")), &args),
        "hostile" => hostile_queries(0, Path::new(args.value("--index").expect("--index IDX"))),
        "table" => table(&args),
        #[cfg(feature = "opensearch")]
        "cluster" => cluster::cluster(&args),
        // The same PIAF-derived queries, one a line, for a load test from another process.
        "queries" => {
            let queries = piaf_queries(args.num("--queries", 1000) as usize)
                .unwrap_or_else(|| std::process::exit(0));
            println!("{}", queries.join("\n"));
        }
        other => {
            eprintln!("unknown command {other}: gen | table | peers | baseline | stages | latency | hostile | queries | cluster (--features opensearch)");
            std::process::exit(2);
        }
    }
}

/// Where a full build's time goes, one step at a time: every file of `dir` read into memory,
/// then each step of the pipeline run over all of it on one thread, steps interleaved over
/// `--passes` passes (median), next to tantivy's default tokenizer over the same raw bytes.
fn stages(dir: &Path, args: &Args) {
    use aes_search::{analysis, clean, passage};
    use std::collections::{HashMap, HashSet};
    let texts: Vec<String> = files(dir)
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    // The furniture the corpus shows, as the indexer decides it.
    let mut counts: HashMap<u64, u64> = HashMap::new();
    for t in &texts {
        for fp in clean::line_fingerprints(t) {
            *counts.entry(fp).or_default() += 1;
        }
    }
    let furniture: HashSet<u64> = counts
        .into_iter()
        .filter(|&(_, n)| n >= clean::RECURRING_MIN_ARTICLES)
        .map(|(fp, _)| fp)
        .collect();
    let cleaned: Vec<Vec<String>> = texts
        .iter()
        .map(|t| clean::clean(t, &furniture).paragraphs)
        .collect();
    let passages: Vec<String> = cleaned
        .iter()
        .flat_map(|paragraphs| passage::split(paragraphs))
        .map(|p| p.text)
        .collect();
    let count_tokens = |analyzer: &mut tantivy::tokenizer::TextAnalyzer, texts: &[String]| {
        let mut n = 0usize;
        for t in texts {
            let mut stream = analyzer.token_stream(t);
            while stream.advance() {
                n += 1;
            }
        }
        n
    };
    type Step<'a> = (&'a str, Box<dyn Fn() -> usize + 'a>);
    let steps: Vec<Step> = vec![
        (
            "line fingerprints",
            Box::new(|| {
                texts
                    .iter()
                    .map(|t| clean::line_fingerprints(t).len())
                    .sum()
            }),
        ),
        (
            "clean",
            Box::new(|| {
                texts
                    .iter()
                    .map(|t| clean::clean(t, &furniture).paragraphs.len())
                    .sum()
            }),
        ),
        (
            "split the cleaned paragraphs into passages",
            Box::new(|| cleaned.iter().map(|p| passage::split(p).len()).sum()),
        ),
        (
            "French analysis of the passages",
            Box::new(|| count_tokens(&mut analysis::french_analyzer(), &passages)),
        ),
        (
            "default tokenizer, raw files",
            Box::new(|| {
                let mut default = tantivy::tokenizer::TextAnalyzer::from(
                    tantivy::tokenizer::SimpleTokenizer::default(),
                );
                count_tokens(&mut default, &texts)
            }),
        ),
    ];
    let passes = args.num("--passes", 5).max(1) as usize;
    let mut seconds: Vec<Vec<f64>> = vec![Vec::new(); steps.len()];
    for _ in 0..passes {
        for (i, (_, step)) in steps.iter().enumerate() {
            let t = Instant::now();
            std::hint::black_box(step());
            seconds[i].push(t.elapsed().as_secs_f64());
        }
    }
    let reference = median(&mut seconds[steps.len() - 1].clone());
    println!(
        "{} files, {:.1} MB, one thread, median of {passes} interleaved passes",
        texts.len(),
        bytes as f64 / 1e6
    );
    println!("| step | s | MB/s of input | × default tokenizer |");
    println!("|---|---|---|---|");
    for (i, (name, _)) in steps.iter().enumerate() {
        let s = median(&mut seconds[i]);
        println!(
            "| {name} | {s:.3} | {:.1} | {:.2} |",
            bytes as f64 / 1e6 / s,
            s / reference
        );
    }
}

fn load_data() -> Option<gen_corpus::Data> {
    let t = Instant::now();
    match gen_corpus::Data::load(Path::new(DATA)) {
        Ok(d) => {
            eprintln!("loaded ../shared/data in {:.2?}", t.elapsed());
            Some(d)
        }
        Err(e) => {
            println!("skipped: {e} (the benchmarks read real text from ../shared/data)");
            None
        }
    }
}

/// The folder of `n` articles under `work`, generated once and kept.
fn corpus(data: &gen_corpus::Data, work: &Path, n: u64) -> PathBuf {
    let dir = work.join(format!("c{n}"));
    let marker = work.join(format!("c{n}.done"));
    let stamp = format!("gen {GEN_VERSION} seed {SEED} articles {n}\n");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(stamp.as_str()) {
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        let bytes = gen_corpus::write(data, &dir, SEED, 0, n).expect("write articles");
        eprintln!(
            "generated {n} articles ({:.1} MB) in {:.2?}",
            bytes as f64 / 1e6,
            t.elapsed()
        );
        std::fs::write(&marker, stamp).expect("write marker");
    }
    dir
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Reads every file once so that both builds start with a warm page cache.
fn warm(dir: &Path) -> u64 {
    files(dir)
        .par_iter()
        .map(|p| std::fs::read(p).map_or(0, |b| b.len() as u64))
        .sum()
}

/// A command's wall time, peak RSS (KiB, from /usr/bin/time when present) and output.
struct Run {
    wall: Duration,
    max_rss_kib: Option<u64>,
    output: String,
}

fn timed(mut command: Command) -> Run {
    let rss_file = std::env::temp_dir().join(format!("aes-bench-rss-{}", std::process::id()));
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&rss_file)
            .arg(command.get_program())
            .args(command.get_args());
        if let Some(dir) = command.get_current_dir() {
            c.current_dir(dir);
        }
        c
    } else {
        std::mem::replace(&mut command, Command::new("true"))
    };
    let t = Instant::now();
    let out = cmd.stdin(Stdio::null()).output().expect("run command");
    let wall = t.elapsed();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{:?} failed: {output}",
        cmd
    );
    let max_rss_kib = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse().ok());
    let _ = std::fs::remove_file(&rss_file);
    Run {
        wall,
        max_rss_kib,
        output,
    }
}

fn aes_index(dir: &Path, index: &Path, full: bool) -> Run {
    let mut c = Command::new(AES);
    c.arg("index").arg(dir).arg("--index").arg(index);
    if full {
        c.arg("--full");
    }
    timed(c)
}

fn baseline_index(dir: &Path, index: &Path) -> Run {
    let mut c = Command::new(std::env::current_exe().expect("own path"));
    c.arg("baseline").arg(dir).arg(index);
    timed(c)
}

/// Plain tantivy, as the limit of this design: one document per file, the default tokenizer,
/// no cleaning, positions on; the same writer threads and memory budget as aes-search.
fn plain_tantivy(dir: &Path, index_dir: &Path) {
    use tantivy::schema::{Schema, STORED, STRING, TEXT};
    let mut builder = Schema::builder();
    let path_field = builder.add_text_field("path", STRING | STORED);
    let text_field = builder.add_text_field("text", TEXT);
    let schema = builder.build();
    std::fs::create_dir_all(index_dir).expect("index folder");
    let index = tantivy::Index::create_in_dir(index_dir, schema).expect("create index");
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(threads, 200_000_000)
        .expect("writer");
    files(dir).par_iter().for_each(|p| {
        let bytes = std::fs::read(p).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        let doc = tantivy::doc!(path_field => p.to_string_lossy().into_owned(), text_field => text.into_owned());
        writer.add_document(doc).expect("add");
    });
    writer.commit().expect("commit");
    writer.wait_merging_threads().expect("merge");
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    v[v.len() / 2]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// 1–4-word queries cut from PIAF questions (punctuation removed), deterministic.
fn piaf_queries(n: usize) -> Option<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Q {
        query: String,
    }
    let text = std::fs::read_to_string(Path::new(DATA).join("piaf/queries.jsonl")).ok()?;
    let questions: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Q>(l).ok())
        .map(|q| q.query)
        .collect();
    let mut rng = gen_corpus::Rng::new(42, 0);
    let mut out = Vec::with_capacity(n);
    while out.len() < n && !questions.is_empty() {
        let q = rng.pick(&questions);
        let clean: String = q
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '\'' || c == '’' || c == '-' {
                    c
                } else {
                    ' '
                }
            })
            .collect();
        let words: Vec<&str> = clean
            .split_whitespace()
            .map(|w| w.trim_matches('-'))
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        let k = rng.range(1, 4).min(words.len());
        let start = rng.range(0, words.len() - k);
        out.push(words[start..start + k].join(" "));
    }
    Some(out)
}

struct Latency {
    p50_ms: f64,
    p99_ms: f64,
    mean_ms: f64,
    samples: usize,
    with_hits: usize,
}

/// In-process latency: search + a 300-character snippet of every hit; one warm-up pass, then
/// `passes` measured passes.
fn latency(engine: &Engine, queries: &[String], passes: usize, options: &SearchOptions) -> Latency {
    latency_of(
        &|q| engine.search(q, options).unwrap_or_default(),
        queries,
        passes,
    )
}

/// [`latency`] of any way to search (the embedded index, a cluster).
fn latency_of(
    search: &dyn Fn(&str) -> Vec<aes_search::Hit>,
    queries: &[String],
    passes: usize,
) -> Latency {
    let mut with_hits = 0;
    let run = |q: &str| {
        let t = Instant::now();
        let hits = search(q);
        let chars: usize = hits.iter().map(|h| h.passage.snippet(300).text.len()).sum();
        std::hint::black_box(chars);
        (t.elapsed().as_secs_f64() * 1e3, !hits.is_empty())
    };
    for q in queries {
        with_hits += usize::from(run(q).1);
    }
    let mut samples: Vec<f64> = (0..passes)
        .flat_map(|_| queries.iter().map(|q| run(q).0).collect::<Vec<_>>())
        .collect();
    samples.sort_by(|a, b| a.total_cmp(b));
    Latency {
        p50_ms: percentile(&samples, 0.5),
        p99_ms: percentile(&samples, 0.99),
        mean_ms: samples.iter().sum::<f64>() / samples.len() as f64,
        samples: samples.len(),
        with_hits,
    }
}

/// Reads back the line the `latency` command prints:
/// "p50 X ms, p99 Y ms, mean Z ms, N samples, H queries with hits".
fn parse_latency(line: &str) -> Latency {
    let field = |label: &str| -> f64 {
        line.split(", ")
            .find_map(|part| {
                let words: Vec<&str> = part.split_whitespace().collect();
                match words.as_slice() {
                    [name, value, "ms"] if *name == label => value.parse().ok(),
                    [value, name, ..] if *name == label => value.parse().ok(),
                    _ => None,
                }
            })
            .unwrap_or(f64::NAN)
    };
    Latency {
        p50_ms: field("p50"),
        p99_ms: field("p99"),
        mean_ms: field("mean"),
        samples: field("samples") as usize,
        with_hits: field("queries") as usize,
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn summary_line(output: &str) -> String {
    output
        .lines()
        .rfind(|l| l.contains("added"))
        .unwrap_or("")
        .trim()
        .to_string()
}

fn table(args: &Args) {
    let sizes: Vec<u64> = args
        .value("--sizes")
        .unwrap_or("1000,10000,100000")
        .split(',')
        .map(|s| s.replace('_', "").parse().expect("sizes"))
        .collect();
    let repeat = args.num("--repeat", 3).max(1) as usize;
    let n_queries = args.num("--queries", 1000) as usize;
    let work = PathBuf::from(args.value("--work").unwrap_or("/tmp/aes-bench"));
    std::fs::create_dir_all(&work).expect("work folder");
    let Some(data) = load_data() else { return };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("# aes-search benchmarks: sizes {sizes:?}, {repeat} alternating builds each, {cores} cores, work folder {}", work.display());

    let mut rows = Vec::new();
    let mut largest_index = None;
    for &n in &sizes {
        let dir = corpus(&data, &work, n);
        let input = warm(&dir);
        let (aes_idx, tan_idx) = (
            work.join(format!("idx{n}")),
            work.join(format!("tantivy{n}")),
        );
        let (mut aes_s, mut tan_s) = (Vec::new(), Vec::new());
        let (mut aes_rss, mut tan_rss) = (0, 0);
        let mut summary = String::new();
        for r in 0..repeat {
            let _ = std::fs::remove_dir_all(&aes_idx);
            let _ = std::fs::remove_dir_all(&tan_idx);
            // Alternate which goes first, so that drift on a shared machine hits both.
            let order = if r % 2 == 0 {
                [true, false]
            } else {
                [false, true]
            };
            for aes in order {
                if aes {
                    let run = aes_index(&dir, &aes_idx, true);
                    aes_s.push(run.wall.as_secs_f64());
                    aes_rss = aes_rss.max(run.max_rss_kib.unwrap_or(0));
                    summary = summary_line(&run.output);
                } else {
                    let run = baseline_index(&dir, &tan_idx);
                    tan_s.push(run.wall.as_secs_f64());
                    tan_rss = tan_rss.max(run.max_rss_kib.unwrap_or(0));
                }
            }
            eprintln!(
                "  {n}: build {} aes {:.2}s tantivy {:.2}s",
                r + 1,
                aes_s[r],
                tan_s[r]
            );
        }
        eprintln!("  {n}: {summary}");
        let (aes_med, tan_med) = (median(&mut aes_s.clone()), median(&mut tan_s.clone()));

        // Incremental: +100 new articles, then a no-op, then −100; medians of `repeat` rounds.
        let new_files: Vec<PathBuf> = (n..n + 100)
            .map(|k| gen_corpus::file_name(&dir, NEW_SEED, k))
            .collect();
        let mut rounds: [Vec<f64>; 3] = Default::default();
        for _ in 0..repeat {
            gen_corpus::write(&data, &dir, NEW_SEED, n, 100).expect("write new articles");
            let add = aes_index(&dir, &aes_idx, false);
            rounds[0].push(add.wall.as_secs_f64());
            rounds[1].push(aes_index(&dir, &aes_idx, false).wall.as_secs_f64());
            for f in &new_files {
                std::fs::remove_file(f).expect("remove new article");
            }
            let remove = aes_index(&dir, &aes_idx, false);
            rounds[2].push(remove.wall.as_secs_f64());
            eprintln!("  {n}: +100: {}", summary_line(&add.output));
            eprintln!("  {n}: -100: {}", summary_line(&remove.output));
        }
        let inc = rounds.map(|mut r| median(&mut r));

        rows.push(Row {
            n,
            input,
            aes_med,
            tan_med,
            aes_s,
            tan_s,
            aes_rss,
            tan_rss,
            inc,
            aes_size: dir_bytes(&aes_idx),
            tan_size: dir_bytes(&tan_idx),
            summary,
        });
        largest_index = Some((n, aes_idx));
    }

    println!();
    println!("| articles | input | aes-search index (median) | plain tantivy (median) | ratio (≥ 0.7) | peak RSS aes / tantivy | index size aes / tantivy |");
    println!("|---|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {:.1} MB | {:.2} s = {:.1} MB/s, {:.0} art/s | {:.2} s = {:.1} MB/s, {:.0} art/s | **{:.2}** | {:.0} / {:.0} MB | {:.1} MB ({:.2}×) / {:.1} MB ({:.2}×) |",
            r.n,
            mb(r.input),
            r.aes_med,
            mb(r.input) / r.aes_med,
            r.n as f64 / r.aes_med,
            r.tan_med,
            mb(r.input) / r.tan_med,
            r.n as f64 / r.tan_med,
            r.tan_med / r.aes_med,
            r.aes_rss as f64 / 1024.0,
            r.tan_rss as f64 / 1024.0,
            mb(r.aes_size),
            r.aes_size as f64 / r.input as f64,
            mb(r.tan_size),
            r.tan_size as f64 / r.input as f64,
        );
    }
    println!();
    println!(
        "| articles | +100 articles | share of full build (< 2%) | no-op sync | −100 articles |"
    );
    println!("|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {:.3} s | **{:.2}%** | {:.3} s | {:.3} s |",
            r.n,
            r.inc[0],
            100.0 * r.inc[0] / r.aes_med,
            r.inc[1],
            r.inc[2]
        );
    }
    println!();
    for r in &rows {
        println!(
            "builds {}: aes {:?} tantivy {:?}; {}",
            r.n,
            round(&r.aes_s),
            round(&r.tan_s),
            r.summary
        );
    }

    let largest = largest_index.clone();
    if let (Some((n, idx)), Some(queries)) = (largest_index, piaf_queries(n_queries)) {
        let engine = Engine::open(&idx).expect("open index");
        let l = latency(&engine, &queries, 3, &SearchOptions::default());
        println!();
        println!("| queries on the {n}-article index (in-process, snippets) | p50 (≤ 2 ms) | p99 (≤ 20 ms) | mean | samples | queries with hits |");
        println!("|---|---|---|---|---|---|");
        println!(
            "| {} PIAF-derived, 1–4 words | **{:.2} ms** | **{:.2} ms** | {:.2} ms | {} | {} |",
            queries.len(),
            l.p50_ms,
            l.p99_ms,
            l.mean_ms,
            l.samples,
            l.with_hits
        );
    } else {
        println!("skipped: query latency (no index or no ../shared/data/piaf)");
    }
    if let Some((n, idx)) = &largest {
        hostile_queries(*n, idx);
    }

    cli_warm(&work);
}

fn round(v: &[f64]) -> Vec<f64> {
    v.iter().map(|x| (x * 100.0).round() / 100.0).collect()
}

struct Row {
    n: u64,
    input: u64,
    aes_med: f64,
    tan_med: f64,
    aes_s: Vec<f64>,
    tan_s: Vec<f64>,
    aes_rss: u64,
    tan_rss: u64,
    inc: [f64; 3],
    aes_size: u64,
    tan_size: u64,
    summary: String,
}

/// `aes-search "monnaie commune"` on a copy of the bundled corpus, warm: median of 21 runs.
fn cli_warm(work: &Path) {
    let place = work.join("cli");
    let _ = std::fs::remove_dir_all(&place);
    std::fs::create_dir_all(place.join("corpus")).expect("cli folder");
    for f in std::fs::read_dir(CORPUS).expect("corpus/").flatten() {
        std::fs::copy(f.path(), place.join("corpus").join(f.file_name())).expect("copy corpus");
    }
    let run = || {
        let t = Instant::now();
        let out = Command::new(AES)
            .arg("monnaie commune")
            .current_dir(&place)
            .env("NO_COLOR", "1")
            .output()
            .expect("run aes-search");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        t.elapsed().as_secs_f64() * 1e3
    };
    let first = run();
    run();
    let mut times: Vec<f64> = (0..21).map(|_| run()).collect();
    let med = median(&mut times);
    println!();
    println!("| CLI on the bundled corpus | first run (builds index/) | warm median of 21 (≤ 20 ms) | min | max |");
    println!("|---|---|---|---|---|");
    println!("| `aes-search \"monnaie commune\"` | {first:.1} ms | **{med:.1} ms** | {:.1} ms | {:.1} ms |", times[0], times[times.len() - 1]);
}

/// Writes the passages of the `--size` folder (as aes-search cleans and splits them) and the
/// PIAF-derived queries for ../shared/peers, measures aes-search on exactly those passages, and
/// with `--run` runs the peers and prints the latency ratios.
fn peers(args: &Args) {
    let n = args.num("--size", 10_000);
    let work = PathBuf::from(args.value("--work").unwrap_or("/tmp/aes-bench"));
    let Some(data) = load_data() else { return };
    let Some(queries) = piaf_queries(args.num("--queries", 1000) as usize) else {
        return;
    };
    let dir = corpus(&data, &work, n);
    let out = work.join(format!("peers{n}"));
    std::fs::create_dir_all(&out).expect("peers folder");

    // Passages as aes-search sees them (cleaned with what the index learned about furniture).
    let idx = work.join(format!("idx{n}"));
    let engine = Engine::open_or_create(&idx).expect("index");
    engine
        .sync_folders(&[&dir], &SyncOptions::default())
        .expect("sync");
    let mut lines = Vec::new();
    for (i, f) in files(&dir).iter().enumerate() {
        let Ok(cleaned) = engine.clean_file(f, &SyncOptions::default()) else {
            continue;
        };
        for p in aes_search::passage::split(&cleaned.paragraphs) {
            let title = cleaned.title.clone().unwrap_or_default();
            lines.push(serde_json::json!({"id": format!("a{i}-p{}", p.index), "title": title, "text": p.text}).to_string());
        }
    }
    let passages = out.join("passages.jsonl");
    std::fs::write(&passages, lines.join("\n") + "\n").expect("write passages");
    let qfile = out.join("queries.jsonl");
    let qlines: Vec<String> = queries
        .iter()
        .enumerate()
        .map(|(i, q)| serde_json::json!({"qid": format!("q{i}"), "query": q}).to_string())
        .collect();
    std::fs::write(&qfile, qlines.join("\n") + "\n").expect("write queries");
    println!(
        "{} passages → {}, {} queries → {}",
        lines.len(),
        passages.display(),
        queries.len(),
        qfile.display()
    );

    let jidx = work.join(format!("jsonl{n}"));
    let _ = std::fs::remove_dir_all(&jidx);
    let engine = Engine::open_or_create(&jidx).expect("index");
    let t = Instant::now();
    engine
        .sync(&[Source::Jsonl(passages.clone())], &SyncOptions::default())
        .expect("sync jsonl");
    let build = t.elapsed().as_secs_f64();
    drop(engine);
    // Measured in a process of its own, as the peers are: this one holds the corpus data and
    // the passages, and its searches ran 30% slower.
    let ours = {
        let out = Command::new(std::env::current_exe().expect("own path"))
            .args(["latency", "--index"])
            .arg(&jidx)
            .arg("--queries")
            .arg(queries.len().to_string())
            .output()
            .expect("latency run");
        parse_latency(&String::from_utf8_lossy(&out.stdout))
    };
    println!("aes-search on the same passages: build {build:.2} s, p50 {:.3} ms, p99 {:.3} ms, {} with hits", ours.p50_ms, ours.p99_ms, ours.with_hits);

    let results = out.join("results");
    if args.flag("--run") {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peers/run_all.sh");
        let status = Command::new(&script)
            .arg(&passages)
            .arg(&qfile)
            .arg(&results)
            .status()
            .expect("run_all.sh");
        eprintln!("run_all.sh: {status}");
    }
    let Ok(summary) = std::fs::read_to_string(results.join("summary.jsonl")) else {
        println!("no peer results in {} (add --run)", results.display());
        return;
    };
    println!();
    println!("| engine (same {} passages, same {} queries) | p50 | p99 | our p50 / theirs | our p99 / theirs | build |", lines.len(), queries.len());
    println!("|---|---|---|---|---|---|");
    println!(
        "| aes-search (in-process, snippets) | {:.3} ms | {:.3} ms | 1 | 1 | {build:.1} s |",
        ours.p50_ms, ours.p99_ms
    );
    for line in summary.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(p50), Some(p99)) = (v["latency_ms_p50"].as_f64(), v["latency_ms_p99"].as_f64())
        else {
            continue;
        };
        println!(
            "| {} | {p50:.3} ms | {p99:.3} ms | {:.2} | {:.2} | {:.1} s |",
            v["tag"].as_str().unwrap_or("?"),
            ours.p50_ms / p50,
            ours.p99_ms / p99,
            v["index_build_s"].as_f64().unwrap_or(f64::NAN)
        );
    }
}

/// Issue 9's pathological queries on the largest index: each answered (time, hits) or refused
/// (the message), one run each after one warm-up.
fn hostile_queries(n: u64, idx: &Path) {
    let engine = Engine::open(idx).expect("open index");
    let cases = [
        ("10,000 words", vec!["sahel"; 10_000].join(" ")),
        (
            "64 words (the limit)",
            PIAF_WORDS.repeat(8).trim().to_string(),
        ),
        (
            "500 nested parentheses",
            format!("{}monnaie commune{}", "(".repeat(500), ")".repeat(500)),
        ),
        ("prefix of one letter `m*`", "m*".to_string()),
        ("prefix of two letters `mo*`", "mo*".to_string()),
        ("fuzzy one letter `x`", "x".to_string()),
        ("fuzzy typo `gouvernemant`", "gouvernemant".to_string()),
    ];
    println!();
    println!("| pathological query on the {n}-article index | time | outcome |");
    println!("|---|---|---|");
    for (name, q) in cases {
        let _ = engine.search(&q, &SearchOptions::default());
        let t = Instant::now();
        let result = engine.search_with_notices(&q, &SearchOptions::default());
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let outcome = match result {
            Ok(o) => format!(
                "{} hits{}",
                o.hits.len(),
                if o.notices.is_empty() {
                    String::new()
                } else {
                    format!("; notice: {}", o.notices.join(" / "))
                }
            ),
            Err(e) => format!("refused: {e}"),
        };
        println!("| {name} | {ms:.1} ms | {} |", outcome.replace('|', "\\|"));
    }
}

const PIAF_WORDS: &str = "mali niger burkina sahel monnaie commune sécurité armée ";
