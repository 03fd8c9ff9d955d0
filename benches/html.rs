//! Throughput of the saved-page reader (issue 22): MB/s of HTML through `html::read` (decode,
//! parse, walk, region, metadata) and through the whole article path (with the line cleaner),
//! next to trafilatura on the same pages when it is installed.
//!
//! ```text
//! cargo bench --bench html [-- --passes 20] [--python /tmp/trafvenv/bin/python]
//! ```
//!
//! Reads the pages of `../shared/data/realpages_dev/html/` (skips with a message when the
//! folder is absent), runs each reader over all of them `--passes` times and prints the median
//! MB/s, by the wall clock and by the thread's CPU time (on a shared machine the wall clock
//! counts the waits for a core too). Bytes are the pages' bytes on disk. trafilatura runs through
//! `benches/html_trafilatura.py` with `--python` (default `python3`), if that Python has it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const PAGES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/realpages_dev/html"
);

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// This thread's time on a CPU, in seconds (Linux: `/proc/thread-self/schedstat`), if known.
/// On a shared machine the wall clock also counts the time spent waiting for a core.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// The median MB/s of `run` over all pages, `passes` times, by the wall clock and by CPU time.
fn measure(
    pages: &[(PathBuf, Vec<u8>)],
    passes: usize,
    run: impl Fn(&Path, &[u8]),
) -> (f64, Option<f64>) {
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();
    let mb = bytes as f64 / 1e6;
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..passes {
        let (start, start_cpu) = (Instant::now(), cpu_seconds());
        for (path, page) in pages {
            run(path, page);
        }
        wall.push(mb / start.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (start_cpu, cpu_seconds()) {
            cpu.push(mb / (b - a).max(1e-9));
        }
    }
    let cpu = (cpu.len() == passes).then(|| median(cpu));
    (median(wall), cpu)
}

/// `wall  cpu` columns.
fn rates((wall, cpu): (f64, Option<f64>)) -> String {
    match cpu {
        Some(cpu) => format!("{wall:8.1} {cpu:8.1}"),
        None => format!("{wall:8.1}      n/a"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let passes: usize = arg(&args, "--passes")
        .and_then(|p| p.parse().ok())
        .unwrap_or(20)
        .max(1);
    let Ok(dir) = std::fs::read_dir(PAGES) else {
        println!("skipped: {PAGES} is absent (the realpages_dev set of ../shared/data)");
        return;
    };
    let mut pages: Vec<(PathBuf, Vec<u8>)> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| aes_search::html::is_page(p))
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect();
    pages.sort();
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();
    println!(
        "{} pages, {:.2} MB, {passes} passes, median MB/s by the wall clock and by CPU time",
        pages.len(),
        bytes as f64 / 1e6
    );
    println!("                                     wall      cpu");
    let read = measure(&pages, passes, |_, page| {
        std::hint::black_box(aes_search::html::read(page).ok());
    });
    println!("aes-search html::read            {}", rates(read));
    let whole = measure(&pages, passes, |path, page| {
        let article = aes_search::article::article_from_bytes(path, page);
        std::hint::black_box(
            article
                .map(|a| a.clean(&aes_search::clean::NoFurniture))
                .ok(),
        );
    });
    println!("aes-search read + line cleaner   {}", rates(whole));

    let python = arg(&args, "--python").unwrap_or_else(|| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/html_trafilatura.py");
    let out = Command::new(&python)
        .arg(script)
        .arg(PAGES)
        .arg(passes.to_string())
        .output();
    match out {
        Ok(o) if o.status.success() => {
            // "WALL CPU" MB/s.
            let stdout = String::from_utf8_lossy(&o.stdout);
            let mut figures = stdout.split_whitespace().map(|f| f.parse::<f64>().ok());
            let wall = figures.next().flatten().unwrap_or(0.0);
            let cpu = figures.next().flatten();
            println!("trafilatura extract              {}", rates((wall, cpu)));
            let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
            let cpu_ratio = read.1.zip(cpu).map(|(a, b)| ratio(a, b));
            println!(
                "ratio read / trafilatura         {}",
                rates((ratio(read.0, wall), cpu_ratio))
            );
        }
        Ok(o) => println!(
            "trafilatura: not measured ({})",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("failed")
        ),
        Err(e) => println!("trafilatura: not measured ({python}: {e})"),
    }
}
