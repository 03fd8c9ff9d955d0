//! The French analyzer end to end (issue 4): the starred rows of the issue, through the real
//! binary with `--json`, on five small articles written for them (tests/fixtures/analysis).
//!
//! The corpus is copied to a temporary folder and indexed once; every test then searches it.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_aes-search");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/analysis");

/// The temporary folder with `corpus/` (a copy of the fixtures) and `index/`, built once.
fn workspace() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).expect("corpus dir");
        for entry in std::fs::read_dir(FIXTURES).expect("fixtures") {
            let path = entry.expect("fixture").path();
            std::fs::copy(&path, corpus.join(path.file_name().expect("name"))).expect("copy");
        }
        let out = command(dir.path(), &["index", "--quiet"])
            .output()
            .expect("run aes-search index");
        assert!(out.status.success(), "index: {out:?}");
        dir
    })
    .path()
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .arg("--index")
        .arg(dir.join("index"))
        .arg("--corpus")
        .arg(dir.join("corpus"))
        .env_remove("AES_SEARCH_INDEX")
        .env_remove("AES_SEARCH_CORPUS")
        .env("NO_COLOR", "1");
    cmd
}

/// One hit of `--json`: the file name, the passage index and text, the highlighted words as
/// written, and the score.
#[derive(Debug, Clone, PartialEq)]
struct Hit {
    file: String,
    passage: u64,
    text: String,
    highlighted: Vec<String>,
    score: f64,
}

/// What the analysis alone finds: the synonyms list is tested in tests/rewrite.rs.
fn search(query: &str) -> Vec<Hit> {
    let args = ["search", query, "--json", "--limit", "50", "--no-synonyms"];
    let out = command(workspace(), &args)
        .output()
        .expect("run aes-search search");
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{query}: exit {code:?}, stderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    doc["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let text = h["passage"]["text"].as_str().expect("text").to_string();
            let highlighted = h["passage"]["highlights"]
                .as_array()
                .expect("highlights")
                .iter()
                .map(|r| {
                    let (from, to) = (
                        r[0].as_u64().expect("from") as usize,
                        r[1].as_u64().expect("to") as usize,
                    );
                    assert!(
                        from < to && text.is_char_boundary(from) && text.is_char_boundary(to),
                        "{query}: highlight {from}..{to} cuts a character of {text:?}"
                    );
                    text[from..to].to_string()
                })
                .collect();
            Hit {
                file: Path::new(h["article"]["path"].as_str().expect("path"))
                    .file_name()
                    .and_then(|n| n.to_str())
                    .expect("file name")
                    .to_string(),
                passage: h["passage"]["index"].as_u64().expect("index"),
                text,
                highlighted,
                score: h["score"].as_f64().expect("score"),
            }
        })
        .collect()
}

/// Each row: a query, the file it must find, and words as written there that the hit highlights
/// (any one of the alternatives separated by `|`).
const FINDS: &[(&str, &str, &[&str])] = &[
    // Elision.
    ("AES", "confederation.txt", &["l’AES|AES"]),
    ("état", "confederation.txt", &["d’État|État"]),
    ("l'AES", "confederation.txt", &["l’AES|AES"]),
    ("aujourd'hui", "confederation.txt", &["aujourd’hui"]),
    // Acronyms: "A.E.S." and "AES" match each other.
    ("AES", "typographie.txt", &["A.E.S"]),
    ("A.E.S.", "confederation.txt", &["l’AES|AES"]),
    // Stop words inside a phrase.
    (
        "\"Confédération des États du Sahel\"",
        "confederation.txt",
        &["Confédération", "États", "Sahel"],
    ),
    // Stemming.
    ("monnaies", "monnaie.txt", &["monnaie"]),
    ("sécurités", "securite.txt", &["sécurité"]),
    // Accents, without losing stemming.
    ("securite", "securite.txt", &["sécurité"]),
    ("Goita", "confederation.txt", &["Goïta"]),
    ("confederation", "confederation.txt", &["Confédération"]),
    ("etats", "confederation.txt", &["États"]),
    ("ETATS", "decoy.txt", &["États"]),
    // Hyphens, numbers, dates.
    ("Burkina Faso", "confederation.txt", &["Burkina", "Faso"]),
    ("Burkina-Faso", "monnaie.txt", &["Burkina", "Faso"]),
    ("G5 Sahel", "confederation.txt", &["G5", "Sahel"]),
    ("2024", "confederation.txt", &["2024"]),
    (
        "6 juillet 2024",
        "confederation.txt",
        &["6", "juillet", "2024"],
    ),
    ("5000", "typographie.txt", &["5 000"]),
    (
        "\"5 000 soldats\"",
        "typographie.txt",
        &["5 000", "soldats"],
    ),
    // Unicode: NFKC, ligatures, soft hyphens; highlights on the words as written.
    ("histoires", "typographie.txt", &["𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬"]),
    ("financement", "typographie.txt", &["ﬁnancement"]),
    ("coeur", "typographie.txt", &["cœur"]),
    (
        "indépendance",
        "typographie.txt",
        &["l’in\u{00AD}dé\u{00AD}pen\u{00AD}dance"],
    ),
];

#[test]
fn each_row_finds_its_article_and_highlights_the_words_as_written() {
    let mut failures = Vec::new();
    for (query, file, words) in FINDS {
        let hits = search(query);
        let Some(hit) = hits
            .iter()
            .find(|h| h.file == *file && !h.highlighted.is_empty())
        else {
            failures.push(format!("{query}: no highlighted hit in {file}: {hits:#?}"));
            continue;
        };
        for word in *words {
            if !word
                .split('|')
                .any(|w| hit.highlighted.iter().any(|h| h == w))
            {
                failures.push(format!(
                    "{query}: {word:?} not among the highlights {:?} of {:?}",
                    hit.highlighted, hit.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_phrase_with_stop_words_matches_only_as_a_phrase() {
    let hits = search("\"Confédération des États du Sahel\"");
    assert!(hits.iter().any(|h| h.file == "confederation.txt"));
    // The decoy has "confédération", "États" and "Sahel", but not together.
    assert!(hits.iter().all(|h| h.file != "decoy.txt"), "{hits:#?}");
    // Its words one by one do find the decoy.
    let loose = search("Confédération États Sahel");
    assert!(loose.iter().any(|h| h.file == "decoy.txt"), "{loose:#?}");
}

#[test]
fn a_query_without_accents_returns_the_same_passages_in_the_same_order() {
    let pairs = [
        ("securite", "sécurité"),
        ("Securite", "SÉCURITÉ"),
        ("etats", "États"),
        ("confederation", "Confédération"),
        ("Goita", "Goïta"),
        ("coeur", "cœur"),
        ("AES", "A.E.S."),
        ("aes", "l’AES"),
    ];
    for (plain, written) in pairs {
        let (a, b) = (search(plain), search(written));
        assert!(!a.is_empty(), "{plain} finds nothing");
        let key = |hits: &[Hit]| -> Vec<(String, u64, String)> {
            hits.iter()
                .map(|h| (h.file.clone(), h.passage, format!("{:.4}", h.score)))
                .collect()
        };
        assert_eq!(key(&a), key(&b), "{plain} vs {written}");
    }
}

#[test]
fn inflected_queries_find_the_singular() {
    let singular = search("sécurité");
    let plural = search("sécurités");
    assert_eq!(
        singular
            .iter()
            .map(|h| (&h.file, h.passage))
            .collect::<Vec<_>>(),
        plural
            .iter()
            .map(|h| (&h.file, h.passage))
            .collect::<Vec<_>>()
    );
    assert!(search("monnaies")
        .iter()
        .any(|h| h.text.contains("monnaie commune")));
}

#[test]
fn every_highlight_is_a_whole_written_word() {
    // `search` asserts that no highlight cuts a character; here, that each starts and ends on a
    // word boundary of the passage as written.
    for query in [
        "AES",
        "histoires",
        "indépendance",
        "coeur",
        "5000",
        "état",
        "G5 Sahel",
    ] {
        for hit in search(query) {
            for word in &hit.highlighted {
                let at = hit.text.find(word.as_str()).expect("highlight in text");
                let before = hit.text[..at].chars().next_back();
                let after = hit.text[at + word.len()..].chars().next();
                for c in [before, after].into_iter().flatten() {
                    assert!(
                        !c.is_alphanumeric(),
                        "{query}: {word:?} is part of a word in {:?}",
                        hit.text
                    );
                }
            }
        }
    }
}

#[test]
fn nothing_is_found_for_words_that_are_not_there() {
    // Guards the rows above against an analyzer that matches everything.
    for query in ["\"États du Sahel adopte la monnaie\"", "Tombouctou"] {
        let hits = search(query);
        assert!(hits.is_empty(), "{query}: {hits:#?}");
    }
}
