//! The layout stays as designed (issue 18): dependencies between the library's wings point one
//! way, read from the `crate::` paths of every source file, and the pure wings know nothing of
//! tantivy. A new edge is a decision: add it to the table with the reason, or move the code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// (wing, the wings it may use). `lib.rs` re-exports the API and may name them all; the binary
/// (`main.rs`, `cli/`, `server/`) is another crate and sees only the public API.
const ALLOWED: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("fold", &[]),
    ("encoding", &[]),
    // A saved page is read by html, which hands its article blocks to the line cleaner.
    ("html", &["encoding", "clean", "fold", "error"]),
    // Bytes → text dispatches a saved page to html and merges what the page says of itself.
    ("article", &["encoding", "html", "clean", "error"]),
    ("clean", &["fold", "error"]),
    ("passage", &[]),
    // The JSON Lines passage record that both backends read and `export --passages` writes.
    ("jsonl", &[]),
    ("analysis", &["fold"]),
    ("walk", &[]),
    ("near", &["fold"]),
    ("query", &["error"]),
    ("rewrite", &["query", "fold", "error"]),
    // rank takes tantivy's fields as given: it knows no other wing.
    ("rank", &["error"]),
    // index writes rank's per-segment score bounds after each commit.
    (
        "index",
        &[
            "analysis", "article", "clean", "passage", "jsonl", "walk", "near", "rank", "fold",
            "error",
        ],
    ),
    (
        "search",
        &[
            "analysis", "article", "index", "query", "rank", "rewrite", "near", "fold", "error",
        ],
    ),
    // A second backend: the same analysis, query language, rewriting, documents and hits as
    // the embedded index, on an OpenSearch cluster.
    (
        "opensearch",
        &[
            "api", "analysis", "article", "clean", "passage", "jsonl", "index", "query", "rank",
            "rewrite", "search", "fold", "error",
        ],
    ),
];

/// Wings that stay pure: no tantivy at all.
const PURE: &[&str] = &[
    "fold", "article", "clean", "passage", "jsonl", "walk", "query", "rewrite",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The wing of a file: `src/index/sync.rs` → `index`, `src/fold.rs` → `fold`.
fn wing(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src");
    let first = relative.components().next().expect("a component");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// The code of a file without its comments (line comments and doc comments).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The wings a file's code names: `crate::x::…` and each item of `crate::{x, y::…}`; a type
/// named at the crate's root (`crate::Engine`) is the public API, "api".
fn wings_used(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(api_or(name));
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(api_or(name));
        }
    }
    out
}

fn api_or(name: String) -> String {
    match name.chars().next() {
        Some(c) if c.is_uppercase() => "api".to_string(),
        _ => name,
    }
}

#[test]
fn wings_depend_on_each_other_only_as_the_table_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let wing = wing(&src, file);
        // The binary's side (`main.rs`, `cli/`, `server/`) is another crate: it sees only the
        // public API, which the compiler holds it to.
        if ["lib", "main", "cli", "server"].contains(&wing.as_str()) {
            continue;
        }
        let Some(may) = allowed.get(wing.as_str()) else {
            wrong.push(format!(
                "{}: wing {wing:?} is not in the table",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("read source");
        for used in wings_used(&code(&text)) {
            if used != wing && !may.contains(&used.as_str()) {
                wrong.push(format!("{}: {wing} uses {used}", file.display()));
            }
        }
        if PURE.contains(&wing.as_str()) && code(&text).contains("tantivy") {
            wrong.push(format!(
                "{}: {wing} is pure but uses tantivy",
                file.display()
            ));
        }
        if wing == "analysis" {
            let mut rest = code(&text);
            while let Some(i) = rest.find("tantivy::") {
                rest = rest[i + "tantivy::".len()..].to_string();
                if !rest.starts_with("tokenizer") {
                    wrong.push(format!(
                        "{}: analysis goes past tantivy's tokenizer API",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "edges outside the table:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reader_of_crate_paths_finds_single_and_grouped_uses() {
    let table = [
        ("use crate::error::{Error, Result};", &["error"][..]),
        (
            "use crate::{article, clean::KnownFurniture};",
            &["article", "clean"],
        ),
        ("let s = crate::rank::CorpusStats::new();", &["rank"]),
        ("// use crate::search;", &[]),
        ("use super::x; use tantivy::Term;", &[]),
        ("use crate::{Engine, SyncReport};", &["api"]),
    ];
    for (line, expected) in table {
        let got: Vec<String> = wings_used(&code(line)).into_iter().collect();
        assert_eq!(got, expected, "{line}");
    }
}

/// Files longer than this say why in their `//!` ("over 600 lines").
const MAX_FILE_LINES: usize = 600;
/// Functions longer than this say why in a comment just above ("over 80 lines").
const MAX_FN_LINES: usize = 80;

/// The functions of a file that run over `MAX_FN_LINES` with no comment saying why: (line of
/// the `fn`, name, length). A function ends at the first `}` at its own indentation.
fn long_functions(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let Some(at) = trimmed.find("fn ") else {
            continue;
        };
        let head = &trimmed[..at];
        let is_item = head
            .split_whitespace()
            .all(|w| w.starts_with("pub") || ["async", "const", "unsafe"].contains(&w));
        if !is_item || trimmed.trim_end().ends_with(';') {
            continue;
        }
        let close = format!("{indent}}}");
        let Some(end) = (i + 1..lines.len()).find(|&j| lines[j].trim_end() == close) else {
            continue;
        };
        let length = end - i + 1;
        let said = lines[i.saturating_sub(4)..i]
            .iter()
            .any(|l| l.contains(&format!("over {MAX_FN_LINES} lines")));
        if length > MAX_FN_LINES && !said {
            let name: String = trimmed[at + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((i + 1, name, length));
        }
    }
    out
}

#[test]
fn files_and_functions_stay_short_or_say_why() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read a source file");
        let shown = file.strip_prefix(&src).expect("under src").display();
        let header: String = text.lines().take_while(|l| l.starts_with("//!")).collect();
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES && !header.contains(&format!("over {MAX_FILE_LINES} lines")) {
            wrong.push(format!("src/{shown}: {lines} lines"));
        }
        for (line, name, length) in long_functions(&text) {
            wrong.push(format!("src/{shown}:{line}: fn {name} is {length} lines"));
        }
    }
    assert!(
        wrong.is_empty(),
        "too long, with no comment saying why (split it, or say why in its doc):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_length_reader_finds_long_functions_and_their_reasons() {
    let body = "    x += 1;\n".repeat(MAX_FN_LINES);
    let long = format!("pub(crate) fn long() {{\n{body}}}\n");
    let said = format!("// A table, hence over {MAX_FN_LINES} lines.\nfn table() {{\n{body}}}\n");
    let short = "fn short() {\n    x\n}\nfn declared();\n";
    let table = [
        (long.as_str(), vec!["long".to_string()]),
        (said.as_str(), vec![]),
        (short, vec![]),
    ];
    for (text, expected) in table {
        let got: Vec<String> = long_functions(text).into_iter().map(|f| f.1).collect();
        assert_eq!(got, expected, "{text}");
    }
}
