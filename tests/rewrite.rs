//! Query rewriting on the real binary: synonyms (the shipped list, a file, the file beside the
//! index, none) and questions typed as people type them.

mod common;

use common::{hit_paths, TestEnv};

/// Two articles: one names the Nigerien leader as most French outlets spell him, one holds a
/// question's answer.
fn env() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "articles/serment.txt",
        "Le général Tiani prête serment à Niamey\n\n\
         Le général Abdourahamane Tiani a prêté serment pour un mandat de transition de cinq ans.",
    );
    env.write(
        "articles/rencontre.txt",
        "Rencontre des ministres à Bamako\n\n\
         Les ministres des trois pays ont tenu une rencontre sur le corridor logistique.",
    );
    env.index(&["--quiet"]).expect_code(0);
    env
}

#[test]
fn shipped_list_finds_the_other_spelling_and_says_so() {
    let env = env();
    let run = env.run(&["search", "Tchiani", "--index", "index"]);
    run.expect_code(0);
    assert!(run.stdout().contains("serment"), "{}", run.stdout());
    assert!(
        run.stderr().contains("also searched: Tiani (for Tchiani)"),
        "{}",
        run.stderr()
    );
    let json = env.search_json("Tchiani");
    assert_eq!(json["expansions"][0]["typed"], "Tchiani");
    assert_eq!(json["expansions"][0]["also"][0], "Tiani");
    // The synonym is highlighted where it stands.
    let hit = &json["hits"][0]["passage"];
    let text = hit["text"].as_str().unwrap();
    let (s, e) = (
        hit["highlights"][0][0].as_u64().unwrap() as usize,
        hit["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "Tiani");
}

#[test]
fn no_synonyms_searches_the_words_as_typed() {
    let env = env();
    let run = env.run(&["search", "Tchiani", "--index", "index", "--no-synonyms"]);
    run.expect_code(1);
    assert!(!run.stderr().contains("also searched"), "{}", run.stderr());
}

#[test]
fn a_file_replaces_the_shipped_list_and_needs_no_reindex() {
    let env = env();
    env.write("mes-synonymes.txt", "# one way\nsommet => rencontre\n");
    let run = env.run(&[
        "search",
        "sommet",
        "--index",
        "index",
        "--synonyms",
        "mes-synonymes.txt",
        "--json",
    ]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(hit_paths(&json), vec!["articles/rencontre.txt"]);
    // The shipped list is replaced, not extended.
    let run = env.run(&[
        "search",
        "Tchiani",
        "--index",
        "index",
        "--synonyms",
        "mes-synonymes.txt",
    ]);
    run.expect_code(1);
    // A synonyms.txt beside the index is read at every search, without reindexing.
    assert_eq!(env.run(&["search", "sommet", "--index", "index"]).code(), 1);
    env.write("index/synonyms.txt", "sommet, rencontre\n");
    assert_eq!(
        hit_paths(&env.search_json("sommet")),
        vec!["articles/rencontre.txt"]
    );
}

#[test]
fn malformed_synonyms_line_names_file_and_line() {
    let env = env();
    env.write(
        "bad.txt",
        "AES, Alliance des États du Sahel\nCEDEAO,, ECOWAS\n",
    );
    let run = env.run(&["search", "AES", "--index", "index", "--synonyms", "bad.txt"]);
    run.expect_code(2);
    assert!(run.stderr().contains("bad.txt:2:"), "{}", run.stderr());
    assert_eq!(run.stderr().lines().count(), 1, "{}", run.stderr());
}

#[test]
fn question_words_do_not_steer_the_ranking() {
    let env = env();
    // A short passage full of the interrogative, beside the article that answers.
    env.write(
        "articles/pourquoi.txt",
        "Courrier des lecteurs\n\nPourquoi ce serment ? Pourquoi maintenant ? Pourquoi ici ?",
    );
    env.index(&["--quiet"]).expect_code(0);
    let first = |q: &str| {
        hit_paths(&env.search_json(q))
            .first()
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        first("pourquoi Tiani a-t-il prêté serment"),
        "articles/serment.txt"
    );
    assert_eq!(
        first("Tiani a prêté serment pourquoi ?"),
        "articles/serment.txt"
    );
    // Not a question: "pourquoi" is a word like the others, and the letters' page holds it.
    assert_eq!(first("serment pourquoi"), "articles/pourquoi.txt");
}
