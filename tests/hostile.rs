//! Hostile input (issue 9): arbitrary bytes through the article reader and cleaner, arbitrary
//! strings through the query parser and the search, never panic; and the pathological cases, each
//! answered or refused with a clear message.
//!
//! More cases than the default 256: `PROPTEST_CASES=20000 cargo test --release --test hostile`.
//! The cargo-fuzz targets in `fuzz/` run the same bodies with coverage guidance.

use std::path::Path;
use std::sync::OnceLock;

use aes_search::analysis::french_analyzer;
use aes_search::clean::{clean, NoFurniture};
use aes_search::{article, passage, query, Engine, Error, SearchOptions, SkipReason, SyncOptions};
use proptest::prelude::*;

/// Bytes → text → cleaned article → passages → tokens, checking what later steps rely on.
fn read_clean_split(bytes: &[u8]) {
    let Ok(text) = article::text_from_bytes(Path::new("fuzz.txt"), bytes) else {
        return;
    };
    assert!(!text.contains('\r'), "line ends are normalised");
    let cleaned = clean(&text, &NoFurniture);
    let passages = passage::split(&cleaned.paragraphs);
    let mut analyzer = french_analyzer();
    for p in &passages {
        let mut stream = analyzer.token_stream(&p.text);
        while let Some(t) = stream.next() {
            assert!(
                t.offset_from <= t.offset_to && t.offset_to <= p.text.len(),
                "token offsets in bounds: {t:?}"
            );
            assert!(
                p.text.is_char_boundary(t.offset_from) && p.text.is_char_boundary(t.offset_to),
                "token offsets on char boundaries: {t:?}"
            );
        }
    }
}

/// Any string: parsed or refused with one of the documented errors.
fn parse_any(q: &str) {
    match query::parse(q) {
        Ok(_) | Err(Error::QueryTooLong(_)) | Err(Error::EmptyQuery) => {}
        Err(e) => panic!("unexpected error for {q:?}: {e}"),
    }
}

/// A small index of the bundled corpus plus a few articles, built once per test process.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let corpus = dir.path().join("corpus");
            std::fs::create_dir(&corpus).unwrap();
            for f in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap().flatten() {
                std::fs::copy(f.path(), corpus.join(f.file_name())).unwrap();
            }
            std::fs::write(
                corpus.join("extra.txt"),
                "Sécurité au Sahel : le Niger et le Mali\n\nPublié le 13 septembre 2024\n\n\
                 Les ministres de l’AES ont adopté à Niamey un plan de sécurité commun, « 5 000 hommes » \
                 selon l’état-major ; aujourd’hui, la force unifiée compte déjà 𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞 et œuvre.\n\n\
                 Mis à jour : les élections au Burkina Faso sont reportées jusqu’à nouvel ordre.",
            )
            .unwrap();
            let engine = Engine::open_or_create(dir.path().join("index")).unwrap();
            engine.sync_folders(&[&corpus], &SyncOptions::default()).unwrap();
            (dir, engine)
        })
        .1
}

/// Any string: searched or refused; every highlight lies on the passage's char boundaries.
fn search_any(q: &str) {
    match engine().search(
        q,
        &SearchOptions {
            limit: 5,
            per_article: 2,
            ..SearchOptions::default()
        },
    ) {
        Ok(hits) => {
            for hit in hits {
                let text = &hit.passage.text;
                for &(s, e) in &hit.passage.highlights {
                    assert!(
                        s <= e
                            && e <= text.len()
                            && text.is_char_boundary(s)
                            && text.is_char_boundary(e),
                        "highlight {s}..{e} in {text:?} for {q:?}"
                    );
                }
                for width in [1, 40, 300] {
                    let snippet = hit.passage.snippet(width);
                    for &(s, e) in &snippet.highlights {
                        assert!(
                            s <= e
                                && e <= snippet.text.len()
                                && snippet.text.is_char_boundary(s)
                                && snippet.text.is_char_boundary(e)
                        );
                    }
                }
            }
        }
        Err(Error::QueryTooLong(_)) | Err(Error::EmptyQuery) => {}
        Err(e) => panic!("unexpected error for {q:?}: {e}"),
    }
}

/// Strings made of the query language's pieces, where the parser's corners are.
fn query_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_string()),
        Just("-".to_string()),
        Just(" OR ".to_string()),
        Just("*".to_string()),
        Just(":".to_string()),
        Just("title:".to_string()),
        Just("source:".to_string()),
        Just("date:".to_string()),
        Just("date:>=2024-07".to_string()),
        Just("..".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(" ".to_string()),
        Just("l’".to_string()),
        Just("sécurité".to_string()),
        Just("monnaie".to_string()),
        Just("m".to_string()),
        Just("é".to_string()),
        Just("\u{0301}".to_string()),
        Just("𝐇".to_string()),
        "[a-zA-Zéèàçœ0-9]{1,12}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// Bytes that look like articles more often than uniform noise does.
fn article_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(
            "Tout AccepterTout refuserParamétrer vos choix"
                .as_bytes()
                .to_vec()
        ),
        Just("Suivez RT en français surTelegram".as_bytes().to_vec()),
        Just("Publié le 13 septembre 2024 à 10h12".as_bytes().to_vec()),
        Just(b"date 2024-09".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just(b"\xE9t\xE9".to_vec()),
        Just(
            "Les États du Sahel préparent une monnaie commune. "
                .as_bytes()
                .to_vec()
        ),
        prop::collection::vec(any::<u8>(), 0..16),
        "[ -~éàœ]{0,80}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn reader_and_cleaner_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_clean_split(&bytes);
    }

    #[test]
    fn reader_and_cleaner_never_panic_on_article_like_bytes(bytes in article_like()) {
        read_clean_split(&bytes);
    }

    #[test]
    fn query_parser_never_panics(q in any::<String>()) {
        parse_any(&q);
    }

    #[test]
    fn query_parser_never_panics_on_query_syntax(q in query_like()) {
        parse_any(&q);
    }

    #[test]
    fn search_never_panics(q in any::<String>()) {
        search_any(&q);
    }

    #[test]
    fn search_never_panics_on_query_syntax(q in query_like()) {
        search_any(&q);
    }
}

// Pathological cases: each is answered or refused with a message that says why.

fn folder_with(name: &str, content: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join(name), content).unwrap();
    (dir, corpus)
}

#[test]
fn a_10_mb_file_of_one_line_is_indexed_and_found() {
    let sentence = "Les États du Sahel préparent une monnaie commune pour leur confédération. ";
    let mut line = sentence.repeat(10_000_000 / sentence.len());
    line.push_str("Le mot zanzibarite n’apparaît qu’à la fin.");
    let (dir, corpus) = folder_with("one-line.txt", line.as_bytes());
    let engine = Engine::open_or_create(dir.path().join("index")).unwrap();
    let report = engine
        .sync_folders(&[&corpus], &SyncOptions::default())
        .unwrap();
    assert_eq!((report.added, report.skipped.len()), (1, 0), "{report:?}");
    let hits = engine
        .search("zanzibarite", &SearchOptions::default())
        .unwrap();
    assert_eq!(hits.len(), 1);
    let (s, e) = hits[0].passage.highlights[0];
    assert_eq!(&hits[0].passage.text[s..e], "zanzibarite");
}

#[test]
fn a_file_over_the_size_limit_is_skipped_with_its_reason() {
    let (dir, corpus) = folder_with("big.txt", &vec![b'a'; 2_000]);
    let engine = Engine::open_or_create(dir.path().join("index")).unwrap();
    let options = SyncOptions {
        max_file_size: 1_000,
        ..SyncOptions::default()
    };
    let report = engine.sync_folders(&[&corpus], &options).unwrap();
    assert_eq!(report.added, 0);
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert!(report.skipped[0].path.ends_with("big.txt"));
    assert!(
        matches!(
            report.skipped[0].reason,
            SkipReason::TooLarge { limit: 1_000, .. }
        ),
        "{report:?}"
    );
}

#[test]
fn a_file_of_100_000_empty_lines_is_skipped_as_empty() {
    let (dir, corpus) = folder_with("empty-lines.txt", &vec![b'\n'; 100_000]);
    let engine = Engine::open_or_create(dir.path().join("index")).unwrap();
    let report = engine
        .sync_folders(&[&corpus], &SyncOptions::default())
        .unwrap();
    assert_eq!(report.added, 0, "{report:?}");
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert_eq!(report.skipped[0].reason, SkipReason::Empty, "{report:?}");
    assert_eq!(engine.num_passages(), 0);
}

#[test]
fn a_file_of_100_000_empty_lines_around_one_paragraph_keeps_the_paragraph() {
    let mut text = "\n".repeat(50_000);
    text.push_str("Les États du Sahel préparent une monnaie commune pour leur confédération naissante, disent les ministres.");
    text.push_str(&"\r\n".repeat(50_000));
    let (dir, corpus) = folder_with("sparse.txt", text.as_bytes());
    let engine = Engine::open_or_create(dir.path().join("index")).unwrap();
    let report = engine
        .sync_folders(&[&corpus], &SyncOptions::default())
        .unwrap();
    assert_eq!(report.added, 1, "{report:?}");
    assert_eq!(
        engine
            .search("monnaie", &SearchOptions::default())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_query_of_10_000_words_is_refused_with_the_limit() {
    let q = vec!["sahel"; 10_000].join(" ");
    for result in [
        query::parse(&q).map(|_| ()),
        engine().search(&q, &SearchOptions::default()).map(|_| ()),
    ] {
        match result {
            Err(e @ Error::QueryTooLong(_)) => assert!(
                e.to_string().contains(&query::MAX_QUERY_CHARS.to_string()),
                "{e}"
            ),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}

#[test]
fn a_query_of_more_words_than_the_limit_is_refused_with_the_limit() {
    let q = vec!["mali"; query::MAX_QUERY_TERMS + 1].join(" ");
    assert!(q.chars().count() <= query::MAX_QUERY_CHARS);
    match engine().search(&q, &SearchOptions::default()) {
        Err(e @ Error::QueryTooLong(_)) => assert!(
            e.to_string().contains(&query::MAX_QUERY_TERMS.to_string()),
            "{e}"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let q = vec!["mali"; query::MAX_QUERY_TERMS].join(" ");
    assert!(!engine()
        .search(&q, &SearchOptions::default())
        .unwrap()
        .is_empty());
}

#[test]
fn five_hundred_nested_parentheses_are_searched_as_words() {
    let q = format!("{}monnaie commune{}", "(".repeat(500), ")".repeat(500));
    let hits = engine().search(&q, &SearchOptions::default()).unwrap();
    assert!(!hits.is_empty());
    let q = format!(
        "{}\"monnaie commune\" OR -sahel{}",
        "((".repeat(250),
        "))".repeat(250)
    );
    engine()
        .search_with_notices(&q, &SearchOptions::default())
        .unwrap();
}

#[test]
fn any_limit_is_answered_with_the_hits_there_are() {
    for limit in [0, 1, 1 << 32, usize::MAX] {
        let options = SearchOptions {
            limit,
            per_article: usize::MAX,
            ..SearchOptions::default()
        };
        let hits = engine().search("monnaie commune", &options).unwrap();
        assert!(hits.len() <= limit, "{limit}");
        assert_eq!(hits.is_empty(), limit == 0, "{limit}");
    }
}

#[test]
fn a_prefix_of_one_letter_is_answered_or_refused() {
    for q in ["m*", "é*", "*", "a*", "mo*"] {
        match engine().search_with_notices(q, &SearchOptions::default()) {
            Ok(outcome) => assert!(outcome.hits.len() <= 10, "{q}"),
            Err(e @ (Error::EmptyQuery | Error::QueryTooLong(_))) => {
                assert!(!e.to_string().is_empty())
            }
            Err(e) => panic!("{q}: {e}"),
        }
    }
}

#[test]
fn a_one_letter_word_fuzzy_matched_is_answered() {
    for q in ["x", "q", "é", "z z z z"] {
        let outcome = engine().search_with_notices(q, &SearchOptions::default());
        assert!(
            matches!(outcome, Ok(_) | Err(Error::EmptyQuery)),
            "{q}: {outcome:?}"
        );
    }
}

#[test]
fn binary_bytes_are_refused_as_binary() {
    let (dir, corpus) = folder_with("image.txt", &[0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0]);
    let engine = Engine::open_or_create(dir.path().join("index")).unwrap();
    let report = engine
        .sync_folders(&[&corpus], &SyncOptions::default())
        .unwrap();
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert_eq!(report.skipped[0].reason, SkipReason::Binary, "{report:?}");
}
