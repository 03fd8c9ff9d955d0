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
//! MB/s. Bytes are the pages' bytes on disk. trafilatura runs through
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

/// The median MB/s of `run` over all pages, `passes` times.
fn measure(pages: &[(PathBuf, Vec<u8>)], passes: usize, run: impl Fn(&Path, &[u8])) -> f64 {
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();
    let rates = (0..passes)
        .map(|_| {
            let start = Instant::now();
            for (path, page) in pages {
                run(path, page);
            }
            bytes as f64 / 1e6 / start.elapsed().as_secs_f64()
        })
        .collect();
    median(rates)
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
        "{} pages, {:.2} MB, {passes} passes, median MB/s",
        pages.len(),
        bytes as f64 / 1e6
    );
    let read = measure(&pages, passes, |_, page| {
        std::hint::black_box(aes_search::html::read(page).ok());
    });
    println!("aes-search html::read            {read:8.1}");
    let whole = measure(&pages, passes, |path, page| {
        let article = aes_search::article::article_from_bytes(path, page);
        std::hint::black_box(
            article
                .map(|a| a.clean(&aes_search::clean::NoFurniture))
                .ok(),
        );
    });
    println!("aes-search read + line cleaner   {whole:8.1}");

    let python = arg(&args, "--python").unwrap_or_else(|| "python3".into());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/html_trafilatura.py");
    let out = Command::new(&python)
        .arg(script)
        .arg(PAGES)
        .arg(passes.to_string())
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let rate: f64 = String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse()
                .unwrap_or(0.0);
            println!("trafilatura extract              {rate:8.1}");
            if rate > 0.0 {
                println!("ratio read / trafilatura         {:8.1}×", read / rate);
            }
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
