//! `cluster`: the embedded index against the OpenSearch backend on the same folder, in one
//! session: full builds alternated (the real binary both times, `--opensearch` for the cluster),
//! index sizes, then the PIAF-derived queries through each, in-process with snippets as `table`
//! measures them.
//!
//! ```text
//! cargo bench --bench aes --features opensearch -- cluster --opensearch URLS [--size 10000] [--repeat 2] [--queries 1000] [--passes 3] [--work /tmp/aes-bench]
//! ```

use std::path::PathBuf;
use std::process::Command;

use aes_search::opensearch::OpenSearch;
use aes_search::{Engine, SearchOptions};

use super::{
    corpus, dir_bytes, latency_of, load_data, mb, median, piaf_queries, round, summary_line, timed,
    warm, Args, Latency, AES,
};

pub(super) fn cluster(args: &Args) {
    let urls = args
        .value("--opensearch")
        .expect("--opensearch URLS (scale/opensearch/cluster urls)");
    let n = args.num("--size", 10_000);
    let repeat = args.num("--repeat", 2).max(1) as usize;
    let passes = args.num("--passes", 3).max(1) as usize;
    let work = PathBuf::from(args.value("--work").unwrap_or("/tmp/aes-bench"));
    std::fs::create_dir_all(&work).expect("work folder");
    let Some(data) = load_data() else { return };
    let dir = corpus(&data, &work, n);
    let input = warm(&dir);
    let embedded_index = work.join(format!("embedded{n}"));
    let name = format!("aes-bench-{n}");
    let os = OpenSearch::connect(urls, &name).expect("the cluster answers");
    println!(
        "# embedded index against the cluster at {urls}: {n} articles ({:.1} MB), {repeat} alternating builds",
        mb(input)
    );

    let (mut embedded_s, mut cluster_s) = (Vec::new(), Vec::new());
    let mut summaries = (String::new(), String::new());
    for r in 0..repeat {
        // Alternate which goes first, so that drift on a shared machine hits both.
        for embedded in [r % 2 == 0, r % 2 == 1] {
            let mut c = Command::new(AES);
            c.arg("index").arg(&dir);
            if embedded {
                let _ = std::fs::remove_dir_all(&embedded_index);
                c.arg("--index").arg(&embedded_index).arg("--full");
                let run = timed(c);
                embedded_s.push(run.wall.as_secs_f64());
                summaries.0 = summary_line(&run.output);
            } else {
                os.delete_index().expect("delete the bench index");
                c.args(["--opensearch", urls, "--opensearch-index", &name]);
                let run = timed(c);
                cluster_s.push(run.wall.as_secs_f64());
                summaries.1 = summary_line(&run.output);
            }
        }
        eprintln!(
            "  build {}: embedded {:.2}s cluster {:.2}s",
            r + 1,
            embedded_s[r],
            cluster_s[r]
        );
    }
    let (embedded_med, cluster_med) = (
        median(&mut embedded_s.clone()),
        median(&mut cluster_s.clone()),
    );
    let (primary, total) = store_bytes(urls, &name);
    println!();
    println!(
        "| {n} articles, {:.1} MB | full build (median) | articles/s | index size |",
        mb(input)
    );
    println!("|---|---|---|---|");
    println!(
        "| embedded | {embedded_med:.2} s | {:.0} | {:.1} MB |",
        n as f64 / embedded_med,
        mb(dir_bytes(&embedded_index))
    );
    println!(
        "| 3-node cluster (2 shards, 1 replica) | {cluster_med:.2} s | {:.0} | {:.1} MB primaries, {:.1} MB with replicas |",
        n as f64 / cluster_med,
        mb(primary),
        mb(total)
    );
    println!(
        "builds: embedded {:?} cluster {:?}; embedded: {}; cluster: {}",
        round(&embedded_s),
        round(&cluster_s),
        summaries.0,
        summaries.1
    );

    let Some(queries) = piaf_queries(args.num("--queries", 1000) as usize) else {
        println!("skipped: query latency (no ../shared/data/piaf)");
        return;
    };
    let options = SearchOptions::default();
    let engine = Engine::open(&embedded_index).expect("open the embedded index");
    // The same queries, one backend after the other, then again the other way round.
    let mut rows: Vec<(&str, Vec<Latency>)> =
        vec![("embedded", Vec::new()), ("cluster", Vec::new())];
    for r in 0..2 {
        for embedded in [r % 2 == 0, r % 2 == 1] {
            let l = if embedded {
                latency_of(
                    &|q| engine.search(q, &options).unwrap_or_default(),
                    &queries,
                    passes,
                )
            } else {
                latency_of(
                    &|q| os.search(q, &options).unwrap_or_default(),
                    &queries,
                    passes,
                )
            };
            rows[usize::from(!embedded)].1.push(l);
        }
    }
    println!();
    println!("| {} PIAF-derived queries, in-process, snippets | p50 | p99 | mean | queries/s, one client | samples | queries with hits |", queries.len());
    println!("|---|---|---|---|---|---|---|");
    for (backend, runs) in &rows {
        for l in runs {
            println!(
                "| {backend} | **{:.2} ms** | **{:.2} ms** | {:.2} ms | {:.0} | {} | {} |",
                l.p50_ms,
                l.p99_ms,
                l.mean_ms,
                1e3 / l.mean_ms,
                l.samples,
                l.with_hits
            );
        }
    }
}

/// The passage index's store on the cluster: primaries only, and with the replicas.
fn store_bytes(urls: &str, index: &str) -> (u64, u64) {
    let node = urls.split(',').next().unwrap_or(urls);
    let stats = ureq::get(&format!("{node}/{index}/_stats/store"))
        .call()
        .expect("index stats")
        .into_string()
        .expect("an answer");
    let stats: serde_json::Value = serde_json::from_str(&stats).expect("JSON");
    let bytes = |part: &str| {
        stats["_all"][part]["store"]["size_in_bytes"]
            .as_u64()
            .unwrap_or(0)
    };
    (bytes("primaries"), bytes("total"))
}
