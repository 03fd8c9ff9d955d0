//! The end-to-end path a new user takes: the real binary on temporary copies of the repository's
//! corpus, as `aes-search QUERY`, `search`, `index`, `clean`, with text and JSON output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_aes-search");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A temporary working directory holding a copy of the bundled corpus.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).expect("corpus dir");
        for entry in std::fs::read_dir(Path::new(REPO).join("corpus")).expect("bundled corpus") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), corpus.join(entry.file_name())).expect("copy");
        }
        Repo { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs the binary in the directory, with a clean environment for our variables.
    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("AES_SEARCH_INDEX")
            .env_remove("AES_SEARCH_CORPUS")
            .env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run(cmd.output().expect("run aes-search"))
    }
}

struct Run(Output);

impl Run {
    fn code(&self) -> i32 {
        self.0.status.code().expect("exit code")
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.0.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout()))
    }
}

#[test]
fn bundled_corpus_holds_the_seeds_byte_for_byte() {
    let seeds = Path::new(REPO).join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("skipped: ../shared/seeds is absent");
        return;
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&seeds).expect("seeds") {
        let entry = entry.expect("entry");
        let bundled = Path::new(REPO).join("corpus").join(entry.file_name());
        assert_eq!(
            std::fs::read(entry.path()).ok(),
            std::fs::read(&bundled).ok(),
            "{}",
            bundled.display()
        );
        names.push(entry.file_name());
    }
    assert_eq!(
        names.len(),
        std::fs::read_dir(Path::new(REPO).join("corpus"))
            .expect("corpus")
            .count()
    );
}

#[test]
fn readme_gives_the_two_setup_commands_and_ci_runs_the_test_one() {
    let readme = std::fs::read_to_string(Path::new(REPO).join("README.md")).expect("README.md");
    assert!(readme.contains("cargo run --release -- \"monnaie commune\""));
    let ci = std::fs::read_to_string(Path::new(REPO).join(".ci/run")).expect(".ci/run");
    let test_command = ci.lines().last().expect("a command").trim();
    assert!(
        readme.contains(test_command),
        "README lacks the CI command {test_command:?}"
    );
    assert!(readme.contains("index/"), "README says what index/ is");
    let gitignore =
        std::fs::read_to_string(Path::new(REPO).join(".gitignore")).expect(".gitignore");
    // The top-level cache only: a bare `index/` also hid new files under src/index/.
    assert!(gitignore.lines().any(|l| l.trim() == "/index/"));
}

#[test]
fn bare_query_builds_the_index_then_ranks_the_common_currency_passage_first() {
    let repo = Repo::new();
    let first = repo.run(&["monnaie commune"]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    assert!(
        first.stderr().contains("indexing"),
        "says it indexes: {}",
        first.stderr()
    );
    let top = first
        .stdout()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(top.starts_with("1. "), "{top}");
    assert!(top.contains("monnaie sahélienne commune"), "{top}");
    assert!(repo.path("index/meta.json").is_file());

    // Nothing changed: no rebuild, same answer.
    let second = repo.run(&["monnaie commune"]);
    assert_eq!(second.code(), 0);
    assert!(!second.stderr().contains("indexing"), "{}", second.stderr());
    assert_eq!(second.stdout(), first.stdout());
}

#[test]
fn bare_query_reindexes_when_the_corpus_changes() {
    let repo = Repo::new();
    assert_eq!(repo.run(&["monnaie"]).code(), 0);
    let article = "Le franc CFA en question\n\nLes trois pays étudient la sortie du franc CFA et la création d'une monnaie propre.\n";
    type Case<'a> = (&'a str, Box<dyn Fn(&Repo) + 'a>, &'a str, i32);
    let cases: [Case; 3] = [
        (
            "added",
            Box::new(|r: &Repo| std::fs::write(r.path("corpus/new.txt"), article).expect("write")),
            "franc",
            0,
        ),
        (
            "changed",
            Box::new(|r: &Repo| {
                std::fs::write(r.path("corpus/new.txt"), article.replace("franc", "yuan"))
                    .expect("write")
            }),
            "yuan",
            0,
        ),
        (
            "removed",
            Box::new(|r: &Repo| std::fs::remove_file(r.path("corpus/new.txt")).expect("remove")),
            "yuan",
            1,
        ),
    ];
    for (what, change, query, code) in cases {
        change(&repo);
        let run = repo.run(&[query]);
        assert!(
            run.stderr().contains("indexing"),
            "{what}: {}",
            run.stderr()
        );
        assert_eq!(run.code(), code, "{what}: {}{}", run.stdout(), run.stderr());
    }
}

#[test]
fn output_for_people_names_the_article_and_is_plain_when_piped() {
    let repo = Repo::new();
    let run = repo.run(&["Goïta", "--limit", "1"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let out = run.stdout();
    assert!(
        out.starts_with("1. Le Mali s’apprête à accueillir le sommet"),
        "{out}"
    );
    assert!(out.contains("RT en français"), "source shown: {out}");
    assert!(
        out.contains("corpus/002_572cf226c03bdde5.txt"),
        "file shown: {out}"
    );
    assert!(!out.contains("2. "), "--limit 1: {out}");
    assert!(!out.contains('\x1b'), "no colour when piped: {out:?}");
}

#[test]
fn exit_status_follows_ripgrep() {
    let repo = Repo::new();
    let table: &[(&[&str], i32, &str)] = &[
        (&["sécurité"], 0, ""),
        (&["xylophone"], 1, "no results"),
        (&[""], 2, "empty query"),
        (
            &["--corpus", "nowhere", "mali"],
            2,
            "nowhere: no such folder",
        ),
    ];
    for (args, code, stderr) in table {
        let run = repo.run(args);
        assert_eq!(run.code(), *code, "{args:?}: {}", run.stderr());
        assert!(run.stderr().contains(stderr), "{args:?}: {}", run.stderr());
        if *code == 2 {
            assert_eq!(
                run.stderr().lines().count(),
                1,
                "one line: {}",
                run.stderr()
            );
        }
    }
}

#[test]
fn an_index_folder_that_is_not_an_index_is_refused() {
    let repo = Repo::new();
    std::fs::create_dir(repo.path("notes")).expect("dir");
    std::fs::write(repo.path("notes/todo.txt"), "mes notes").expect("write");
    let run = repo.run(&["--index", "notes", "mali"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("notes: not an aes-search index"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        std::fs::read_to_string(repo.path("notes/todo.txt"))
            .ok()
            .as_deref(),
        Some("mes notes")
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let repo = Repo::new();
    let doc = repo.run(&["search", "monnaie commune", "--json"]).json();
    assert_eq!(doc["query"], "monnaie commune");
    let hit = &doc["hits"][0];
    assert_eq!(hit["rank"], 1);
    assert!(hit["score"].as_f64().is_some());
    for key in ["id", "path", "title", "date", "source"] {
        assert!(hit["article"].get(key).is_some(), "article.{key}");
    }
    assert_eq!(hit["article"]["path"], "corpus/002_572cf226c03bdde5.txt");
    assert!(hit["passage"]["index"].as_u64().is_some());
    let text = hit["passage"]["text"].as_str().expect("text");
    let highlights = hit["passage"]["highlights"].as_array().expect("highlights");
    let words: Vec<&str> = highlights
        .iter()
        .map(|h| {
            &text[h[0].as_u64().expect("start") as usize..h[1].as_u64().expect("end") as usize]
        })
        .collect();
    assert_eq!(words, ["monnaie", "commune"]);
}

#[test]
fn page_furniture_is_never_returned() {
    let repo = Repo::new();
    for query in [
        "cookies",
        "Telegram",
        "Tout accepter",
        "Unsplash",
        "Paramétrer vos choix",
        "TV-Novosti",
    ] {
        let run = repo.run(&[query]);
        assert_eq!(run.code(), 1, "{query} matched: {}", run.stdout());
    }
}

#[test]
fn places_come_from_flags_or_environment() {
    let repo = Repo::new();
    std::fs::rename(repo.path("corpus"), repo.path("articles")).expect("rename");
    let by_flag = repo.run(&["--corpus", "articles", "--index", "idx", "Niamey"]);
    assert_eq!(by_flag.code(), 0, "{}", by_flag.stderr());
    assert!(repo.path("idx/meta.json").is_file());
    let by_env = repo.run_with(
        &["Niamey"],
        &[
            ("AES_SEARCH_CORPUS", "articles"),
            ("AES_SEARCH_INDEX", "idx2"),
        ],
    );
    assert_eq!(by_env.code(), 0, "{}", by_env.stderr());
    assert!(repo.path("idx2/meta.json").is_file());
    let index = repo.run(&["index", "articles", "--index", "idx3"]);
    assert_eq!(index.code(), 0, "{}", index.stderr());
    assert!(index.stderr().contains("2 added"), "{}", index.stderr());
}

#[test]
fn clean_shows_metadata_paragraphs_and_dropped_lines_with_reasons() {
    let repo = Repo::new();
    let doc = repo
        .run(&["clean", "corpus/002_572cf226c03bdde5.txt", "--json"])
        .json();
    assert_eq!(
        doc["title"],
        "Le Mali s’apprête à accueillir le sommet des chefs d’État de l’AES"
    );
    assert_eq!(doc["source"], "RT en français");
    let paragraphs = doc["paragraphs"].as_array().expect("paragraphs");
    assert!(paragraphs.iter().any(|p| p
        .as_str()
        .is_some_and(|p| p.contains("monnaie sahélienne commune"))));
    let dropped = doc["dropped"].as_array().expect("dropped");
    assert!(dropped
        .iter()
        .all(|d| d["line"].as_u64().is_some() && d["reason"].is_string()));
    assert!(dropped
        .iter()
        .any(|d| d["text"].as_str().is_some_and(|t| t.contains("Telegram"))));
    let text = repo.run(&["clean", "corpus/002_572cf226c03bdde5.txt"]);
    assert!(
        text.stdout().contains("source: RT en français"),
        "{}",
        text.stdout()
    );
    let missing = repo.run(&["clean", "corpus/absent.txt"]);
    assert_eq!(missing.code(), 2);
    assert!(
        missing.stderr().contains("corpus/absent.txt"),
        "{}",
        missing.stderr()
    );
}

#[test]
fn completions_and_man_page_are_printed_from_the_flags() {
    let repo = Repo::new();
    let bash = repo.run(&["completions", "bash"]);
    assert_eq!(bash.code(), 0, "{}", bash.stderr());
    for word in ["search", "index", "clean", "eval", "--json", "--color"] {
        assert!(bash.stdout().contains(word), "bash script lacks {word}");
    }
    for shell in ["zsh", "fish"] {
        let run = repo.run(&["completions", shell]);
        assert_eq!(run.code(), 0, "{shell}: {}", run.stderr());
        assert!(run.stdout().contains("aes-search"), "{shell}");
    }
    let man = repo.run(&["man"]);
    assert_eq!(man.code(), 0, "{}", man.stderr());
    // roff's two-line preamble for apostrophes comes before the title header.
    let header = man
        .stdout()
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"))
        .map(str::to_owned);
    assert!(
        header
            .as_deref()
            .is_some_and(|h| h.starts_with(".TH aes-search 1")),
        "{header:?}"
    );
    let bad = repo.run(&["completions", "tcsh"]);
    assert_eq!(bad.code(), 2);
    for shell in ["bash", "zsh", "fish"] {
        assert!(bad.stderr().contains(shell), "{}", bad.stderr());
    }
}

#[test]
fn color_flag_chooses_when_matched_words_are_coloured() {
    let repo = Repo::new();
    // A table: arguments, environment, whether the matched word comes in ANSI colour.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], bool);
    let table: &[Case] = &[
        (&["--color", "always", "sommet"], &[], true),
        (&["sommet", "--color=always"], &[("NO_COLOR", "1")], true),
        (&["search", "--color", "always", "sommet"], &[], true),
        (&["--color", "never", "sommet"], &[], false),
        (&["--color", "auto", "sommet"], &[], false),
        (&["sommet"], &[], false),
        (&["--color", "auto", "sommet"], &[("NO_COLOR", "1")], false),
    ];
    for (args, env, coloured) in table {
        let run = repo.run_with(args, env);
        assert_eq!(run.code(), 0, "{args:?}: {}", run.stderr());
        let out = run.stdout();
        if *coloured {
            assert!(out.contains("\x1b[1;31msommet\x1b[0m"), "{args:?}: {out:?}");
        } else {
            assert!(!out.contains('\x1b'), "{args:?} {env:?}: {out:?}");
        }
    }
    let bad = repo.run(&["--color", "sometimes", "sommet"]);
    assert_eq!(bad.code(), 2);
    assert!(bad.stderr().contains("always"), "{}", bad.stderr());
}

#[test]
fn a_query_may_start_with_the_exclusion_operator() {
    let repo = Repo::new();
    assert_eq!(repo.run(&["index", "--quiet"]).code(), 0);
    let texts = |run: &Run| -> Vec<String> {
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let doc = run.json();
        let hits = doc["hits"].as_array().expect("hits").clone();
        hits.iter()
            .map(|h| h["passage"]["text"].as_str().expect("text").to_owned())
            .collect()
    };
    assert!(texts(&repo.run(&["--index", "index", "--json", "sommet"]))
        .iter()
        .any(|t| t.contains("Bamako")));
    // A table: the word excluded, then the command line that excludes it.
    let table: &[(&str, &[&str])] = &[
        (
            "Telegram",
            &["--index", "index", "-Telegram sommet", "--json"],
        ),
        ("Bamako", &["--index", "index", "-Bamako sommet", "--json"]),
        (
            "Bamako",
            &["--index", "index", "--json", "-Bamako", "sommet"],
        ),
        ("Bamako", &["search", "--json", "sommet", "-Bamako"]),
        ("Bamako", &["--json", "--", "-Bamako sommet"]),
    ];
    for (word, args) in table {
        let hits = texts(&repo.run(args));
        assert!(!hits.is_empty(), "{args:?}");
        assert!(hits.iter().all(|t| !t.contains(word)), "{args:?}: {hits:?}");
    }
    let typo = repo.run(&["--jsn", "sommet"]);
    assert_eq!(typo.code(), 2);
    assert!(
        typo.stderr().contains("unexpected argument '--jsn'"),
        "{}",
        typo.stderr()
    );
}

#[test]
fn clean_explain_shows_every_line_with_its_decision_and_evidence() {
    let repo = Repo::new();
    let page = "Accueil Politique Économie Sport Culture\n\n\
                Le conseil régional adopte son budget après trois jours de débat\n\n\
                Les élus du conseil régional ont adopté lundi soir le budget de l'année, après trois jours de débats parfois vifs sur les routes.\n\n\
                Suivez-nous sur Telegram\n";
    std::fs::write(repo.path("page.txt"), page).expect("write page");
    let run = repo.run(&["clean", "page.txt", "--explain"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let out = run.stdout();
    // Each non-blank line: its number, its decision, the evidence, then the line itself.
    let expected = [
        (1, "page-chrome", "above the headline"),
        (3, "title", "title-like, where the body starts"),
        (5, "keep", "sentence end"),
        (
            7,
            "social-prompt",
            "an imperative to follow, share or listen",
        ),
    ];
    for (line, decision, evidence) in expected {
        let row = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(&line.to_string()))
            .unwrap_or_else(|| panic!("no row for line {line}:\n{out}"));
        assert!(row.contains(decision), "line {line}: {row}");
        assert!(row.contains(evidence), "line {line}: {row}");
        assert!(row.contains("stop-word density"), "line {line}: {row}");
    }
    assert!(out.contains("| Suivez-nous sur Telegram"), "{out}");
    let doc = repo
        .run(&["clean", "page.txt", "--explain", "--json"])
        .json();
    let lines = doc["lines"].as_array().expect("lines");
    let decisions: Vec<&str> = lines
        .iter()
        .map(|l| l["decision"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(decisions, ["page-chrome", "title", "keep", "social-prompt"]);
    assert_eq!(doc["dropped"][0]["evidence"], "above-headline");
}
