//! `aes-search export`: the cleaned corpus of an index as JSON Lines, articles or passages; the
//! passages indexed again with `index --jsonl` give back the same export.

mod common;

use common::{Articles, TestEnv};

/// Writes `n` generated articles under headlines of their own.
fn write_articles(env: &TestEnv, seed: u64, n: usize) {
    let mut articles = Articles::new(seed);
    for i in 0..n {
        let headline = format!("Le conseil régional adopte son budget numéro {i}");
        env.write(
            &format!("articles/{i}.txt"),
            format!("{headline}\n\n{}", articles.article()),
        );
    }
}

/// The lines of `export ARGS --index INDEX`, parsed, sorted as text.
fn export(env: &TestEnv, index: &str, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["export", "--index", index];
    all.extend_from_slice(args);
    let run = env.run(&all).expect_code(0).stdout();
    let mut lines: Vec<&str> = run.lines().collect();
    lines.sort_unstable();
    lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn export_writes_articles_without_their_furniture() {
    let env = TestEnv::new();
    write_articles(&env, 7, 3);
    env.index(&[]).expect_code(0);
    let lines = export(&env, "index", &[]);
    assert_eq!(lines.len(), 3, "{lines:?}");
    for line in &lines {
        let path = line["path"].as_str().expect("path");
        assert!(path.ends_with(".txt"), "{path}");
        let written = std::fs::read_to_string(env.root().join(path))
            .or_else(|_| std::fs::read_to_string(path))
            .expect("the path names the article file");
        let title = line["title"].as_str().expect("title");
        assert!(title.starts_with("Le conseil régional adopte"), "{title}");
        assert!(written.starts_with(title), "{title}");
        let paragraphs: Vec<&str> = line["paragraphs"]
            .as_array()
            .expect("paragraphs")
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        assert!(!paragraphs.is_empty());
        // Every paragraph is a line of the file; the follow prompt and the headline are not.
        assert!(paragraphs.iter().all(|p| written.lines().any(|l| l == *p)));
        assert!(paragraphs
            .iter()
            .all(|p| !p.contains("Telegram") && *p != title));
    }
}

#[test]
fn exported_passages_indexed_again_export_the_same() {
    let env = TestEnv::new();
    write_articles(&env, 11, 4);
    env.index(&[]).expect_code(0);
    let first = export(&env, "index", &["--passages"]);
    assert!(first.len() >= 4, "{first:?}");
    assert!(first.iter().all(|p| p["id"].is_string()
        && p["passage"].is_u64()
        && p["text"].is_string()
        && p["title"].is_string()));
    assert!(
        first.iter().any(|p| p["passage"].as_u64() > Some(0)),
        "articles of several passages"
    );
    let jsonl: String = first.iter().map(|p| format!("{p}\n")).collect();
    env.write("passages.jsonl", jsonl);
    env.run(&["index", "--index", "again", "--jsonl", "passages.jsonl"])
        .expect_code(0);
    assert_eq!(export(&env, "again", &["--passages"]), first);
    // The articles keep their passages together and in order.
    let articles = export(&env, "again", &[]);
    assert_eq!(articles.len(), export(&env, "index", &[]).len());
}

#[test]
fn export_of_a_missing_index_names_it() {
    let env = TestEnv::new();
    let run = env.run(&["export", "--index", "nowhere"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("nowhere"), "{}", run.stderr());
}
