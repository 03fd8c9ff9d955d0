//! Issue 6: `aes-search index` brings the index in line with folders incrementally: what
//! changed is read, what did not costs a stat, bad files are named and skipped (exit 3).

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use aes_search::{Engine, SyncOptions};
use common::{passage_set, Articles, TestEnv};

/// An article with a word found nowhere else.
fn article(seed: u64, word: &str) -> String {
    let mut text = Articles::new(seed).article();
    text.push_str(&format!(
        "Le mot du jour est {word} selon les observateurs de la région.\n"
    ));
    text
}

/// Makes a bad file at a path.
type Make = dyn Fn(&TestEnv, &str);
/// One change to the folder.
type Step = dyn Fn(&TestEnv);

fn files(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn unchanged_files_cost_a_stat_and_are_not_read() {
    let env = TestEnv::new();
    let path = env.write("articles/a.txt", article(1, "hippopotame"));
    env.index(&[]).expect_code(0);
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    // Same size, other content, mtime put back: only reading the file could tell.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("hippopotame", "cornemuseur");
    std::fs::write(&path, text).unwrap();
    env.set_mtime(&path, mtime);

    let run = env.index(&[]);
    run.expect_code(0);
    assert!(
        run.summary()
            .contains("0 added, 0 updated, 0 removed, 1 unchanged"),
        "{}",
        run.summary()
    );
    assert_eq!(
        env.hit_files("hippopotame"),
        files(&["articles/a.txt"]),
        "the old text stays"
    );
    assert!(
        env.hit_files("cornemuseur").is_empty(),
        "the file was not read"
    );

    // --full reads everything again.
    let run = env.index(&["--full"]);
    run.expect_code(0);
    assert!(run.summary().contains("1 added"), "{}", run.summary());
    assert_eq!(env.hit_files("cornemuseur"), files(&["articles/a.txt"]));
    assert!(env.hit_files("hippopotame").is_empty());
}

#[test]
fn touched_without_change_is_not_reindexed() {
    let env = TestEnv::new();
    let path = env.write("articles/a.txt", article(2, "hippopotame"));
    env.index(&[]).expect_code(0);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    env.set_mtime(&path, later);
    let run = env.index(&[]);
    run.expect_code(0);
    assert!(
        run.summary()
            .contains("0 added, 0 updated, 0 removed, 1 unchanged"),
        "{}",
        run.summary()
    );
    // The new mtime is recorded: the next run does not even read it.
    let before = passage_set(&env.index_dir());
    env.index(&[]).expect_code(0);
    assert_eq!(passage_set(&env.index_dir()), before);
}

#[test]
fn changed_moved_and_deleted_files() {
    let env = TestEnv::new();
    env.write("articles/a.txt", article(3, "hippopotame"));
    env.write("articles/b.txt", article(4, "cornemuseur"));
    env.write("articles/c.txt", article(5, "ornithorynque"));
    env.index(&[]).expect_code(0);

    env.write("articles/a.txt", article(3, "kangourou"));
    std::fs::create_dir_all(env.path("articles/sub")).unwrap();
    std::fs::rename(env.path("articles/b.txt"), env.path("articles/sub/b2.txt")).unwrap();
    env.remove("articles/c.txt");
    let run = env.index(&[]);
    run.expect_code(0);
    assert!(
        run.summary()
            .contains("1 added, 1 updated, 2 removed, 0 unchanged, 0 skipped"),
        "{}",
        run.summary()
    );
    assert_eq!(env.hit_files("kangourou"), files(&["articles/a.txt"]));
    assert!(env.hit_files("hippopotame").is_empty());
    assert_eq!(
        env.hit_files("cornemuseur"),
        files(&["articles/sub/b2.txt"]),
        "moved, never duplicated"
    );
    assert!(env.hit_files("ornithorynque").is_empty());
    let in_index: BTreeSet<String> = passage_set(&env.index_dir())
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(in_index, files(&["articles/a.txt", "articles/sub/b2.txt"]));
}

#[test]
fn same_article_under_two_names_is_indexed_once_and_named() {
    let env = TestEnv::new();
    let text = article(6, "hippopotame");
    env.write("articles/a.txt", &text);
    env.write("articles/copie/a-bis.txt", &text);
    let run = env.index(&[]);
    run.expect_code(0);
    assert!(
        run.stderr().contains(
            "same article under 2 names, indexed once: articles/a.txt, articles/copie/a-bis.txt"
        ),
        "{}",
        run.stderr()
    );
    assert!(run.summary().contains("1 added"), "{}", run.summary());
    assert_eq!(env.hit_files("hippopotame"), files(&["articles/a.txt"]));
    // Removing the first name keeps the article, under the other.
    env.remove("articles/a.txt");
    env.index(&[]).expect_code(0);
    assert_eq!(
        env.hit_files("hippopotame"),
        files(&["articles/copie/a-bis.txt"])
    );
}

/// Each bad file: its name, how to make it, the reason printed.
#[test]
fn bad_files_are_named_once_and_the_rest_is_indexed() {
    let env = TestEnv::new();
    env.write("articles/good.txt", article(7, "hippopotame"));
    let table: &[(&str, &Make, &str)] = &[
        (
            "articles/empty.txt",
            &|e, p| drop(e.write(p, "")),
            "empty file",
        ),
        (
            "articles/blank.md",
            &|e, p| drop(e.write(p, "  \n\n \t\n")),
            "empty file",
        ),
        (
            "articles/image.txt",
            &|e, p| drop(e.write(p, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0")),
            "binary file",
        ),
        (
            "articles/big.txt",
            &|e, p| drop(e.write(p, "mot ".repeat(10_000))),
            "over the limit of 20000 bytes",
        ),
        (
            "articles/broken.txt",
            &|e, p| std::os::unix::fs::symlink("nowhere.txt", e.path(p)).unwrap(),
            "broken symbolic link",
        ),
        (
            "articles/loop",
            &|e, p| std::os::unix::fs::symlink(".", e.path(p)).unwrap(),
            "symbolic link loop",
        ),
        (
            "articles/pipe.txt",
            &|e, p| mkfifo(&e.path(p)),
            "not a regular file",
        ),
    ];
    for (name, make, _) in table {
        make(&env, name);
    }
    let run = env.index(&["--max-file-size", "20000"]);
    run.expect_code(3);
    let stderr = run.stderr();
    for (name, _, reason) in table {
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(&format!("{name}:")))
            .collect();
        assert_eq!(lines.len(), 1, "one line for {name}:\n{stderr}");
        assert!(
            lines[0].starts_with("aes-search: skipped ") && lines[0].contains(reason),
            "{name}: {}",
            lines[0]
        );
    }
    assert!(
        run.summary().contains(&format!(
            "1 added, 0 updated, 0 removed, 0 unchanged, {} skipped",
            table.len()
        )),
        "{}",
        run.summary()
    );
    assert_eq!(env.hit_files("hippopotame"), files(&["articles/good.txt"]));
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

/// Makes a file unreadable: no permissions, or (for root, who reads anything) a broken link.
fn make_unreadable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(path).is_ok() {
        std::fs::remove_file(path).unwrap();
        std::os::unix::fs::symlink("gone-for-now.txt", path).unwrap();
    }
}

#[test]
fn an_indexed_article_that_became_unreadable_keeps_its_last_version() {
    let env = TestEnv::new();
    let path = env.write("articles/a.txt", article(8, "hippopotame"));
    env.write("articles/b.txt", article(9, "cornemuseur"));
    env.index(&[]).expect_code(0);
    make_unreadable(&path);
    let run = env.index(&[]);
    run.expect_code(3);
    assert!(
        run.stderr().lines().any(|l| l.contains("articles/a.txt")
            && l.contains("its previous version stays in the index")),
        "{}",
        run.stderr()
    );
    assert_eq!(env.hit_files("hippopotame"), files(&["articles/a.txt"]));
    // Readable again, changed: replaced as usual.
    let _ = std::fs::remove_file(&path);
    env.write("articles/a.txt", article(8, "kangourou"));
    env.index(&[]).expect_code(0);
    assert_eq!(env.hit_files("kangourou"), files(&["articles/a.txt"]));
    assert!(env.hit_files("hippopotame").is_empty());
}

#[test]
fn a_file_that_vanishes_during_the_run_is_named_and_the_rest_indexed() {
    let env = TestEnv::new();
    env.write("articles/a.txt", article(10, "hippopotame"));
    let doomed = env.write("articles/b.txt", article(11, "cornemuseur"));
    let engine = Engine::open_or_create(env.index_dir()).unwrap();
    // Listed, then deleted before it is read: the progress callback runs once the files are listed.
    let options = SyncOptions {
        progress: Some(Arc::new(move |p: aes_search::Progress| {
            if p.files_done == 0 {
                let _ = std::fs::remove_file(&doomed);
            }
        })),
        ..SyncOptions::default()
    };
    let report = engine
        .sync_folders(&[env.path("articles")], &options)
        .unwrap();
    assert_eq!(report.added, 1);
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert!(
        report.skipped[0].path.ends_with("articles/b.txt")
            && report.skipped[0].reason == aes_search::SkipReason::Vanished
    );
}

#[test]
fn which_files_extensions_hidden_and_recursive() {
    let env = TestEnv::new();
    env.write("articles/a.txt", article(12, "hippopotame"));
    env.write("articles/deep/er/b.md", article(13, "hippopotame"));
    env.write("articles/page.rst", article(14, "hippopotame"));
    env.write("articles/.brouillon.txt", article(15, "hippopotame"));
    env.write("articles/.git/c.txt", article(16, "hippopotame"));
    let run = env.index(&[]);
    run.expect_code(0);
    assert!(
        run.summary().contains("2 added") && run.summary().contains("1 other files ignored"),
        "{}",
        run.summary()
    );
    assert_eq!(
        env.hit_files("hippopotame"),
        files(&["articles/a.txt", "articles/deep/er/b.md"])
    );

    let run = env.index(&["--ext", "rst"]);
    run.expect_code(0);
    assert_eq!(env.hit_files("hippopotame"), files(&["articles/page.rst"]));
}

#[test]
fn summary_line_always_and_quiet_silences_it() {
    let env = TestEnv::new();
    env.write("articles/a.txt", article(17, "hippopotame"));
    let summary = regex::Regex::new(
        r"^aes-search: \d+ added, \d+ updated, \d+ removed, \d+ unchanged, \d+ skipped.* \(\d+ passages\) in [0-9.]+[mµn]?s$",
    )
    .unwrap();
    for _ in 0..2 {
        let run = env.index(&[]);
        run.expect_code(0);
        assert!(
            summary.is_match(run.stderr().trim_end()),
            "{}",
            run.stderr()
        );
    }
    let run = env.index(&["--quiet"]);
    run.expect_code(0);
    assert_eq!(run.stderr(), "");
    env.write("articles/empty.txt", "");
    let run = env.index(&["--quiet"]);
    run.expect_code(3);
    assert_eq!(
        run.stderr().lines().count(),
        1,
        "only the skipped file: {}",
        run.stderr()
    );
}

#[test]
fn jsonl_passages_keep_their_ids_and_a_bad_line_is_named() {
    let env = TestEnv::new();
    env.write(
        "passages.jsonl",
        concat!(
            r#"{"id": "piaf-17", "title": "Le fleuve", "text": "Le fleuve Niger traverse la ville de Niamey."}"#, "\n",
            "{not json\n",
            r#"{"id": 42, "text": "La monnaie commune est un projet de la confédération.", "date": "2025-07"}"#, "\n",
        ),
    );
    let run = env.run(&["index", "--jsonl", "passages.jsonl", "--index", "index"]);
    run.expect_code(3);
    assert!(
        run.stderr().contains("passages.jsonl:2"),
        "{}",
        run.stderr()
    );
    let ids = |q: &str| -> Vec<String> {
        env.search_json(q)["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["article"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("fleuve"), ["piaf-17"]);
    assert_eq!(ids("monnaie"), ["42"]);
}

/// The furniture count once included the old version of an updated article: a line in two
/// articles became "furniture" when one of them was updated, and vanished from both.
#[test]
fn updated_article_is_not_counted_twice_as_furniture() {
    let env = TestEnv::new();
    let shared = "Les habitants de Tillabéri racontent une nuit de veille et de prières.\n";
    env.write(
        "articles/a.txt",
        format!("{}{shared}", article(18, "hippopotame")),
    );
    env.write(
        "articles/b.txt",
        format!("{}{shared}", article(19, "cornemuseur")),
    );
    env.index(&[]).expect_code(0);
    assert_eq!(
        env.hit_files("Tillabéri"),
        files(&["articles/a.txt", "articles/b.txt"])
    );
    env.write(
        "articles/a.txt",
        format!("{}{shared}", article(18, "kangourou")),
    );
    env.index(&[]).expect_code(0);
    assert_eq!(
        env.hit_files("Tillabéri"),
        files(&["articles/a.txt", "articles/b.txt"])
    );
}

/// After any sequence of incremental runs, the index holds what a clean build holds, including
/// the furniture learned across articles (a line in 3 articles is dropped from all of them).
#[test]
fn incremental_runs_converge_to_a_clean_build() {
    let env = TestEnv::new();
    let mut gen = Articles::new(20);
    let shared = "Les habitants de Tillabéri racontent une nuit de veille et de prières.\n";
    env.write("articles/a.txt", format!("{}{shared}", gen.article()));
    env.write("articles/b.txt", format!("{}{shared}", gen.article()));
    gen.write_folder(&env.path("articles/lot"), 30);
    env.index(&[]).expect_code(0);
    let steps: Vec<Box<Step>> = vec![
        // A third article with the shared line: it becomes furniture in all three.
        Box::new(move |e| {
            drop(e.write(
                "articles/c.txt",
                format!("{}{shared}", Articles::new(21).article()),
            ))
        }),
        // One of the three goes: it is text again in the other two.
        Box::new(move |e| e.remove("articles/b.txt")),
        Box::new(move |e| {
            drop(e.write(
                "articles/lot/part000/00003.txt",
                Articles::new(22).article(),
            ))
        }),
        Box::new(move |e| e.remove("articles/lot/part000/00004.txt")),
        // A copy named after the original, then the original goes: the copy becomes the
        // article; a copy named before it then takes its name.
        Box::new(move |e| {
            let text = std::fs::read_to_string(e.path("articles/lot/part000/00005.txt"))
                .expect("generated article");
            drop(e.write("articles/zz-copie.txt", text))
        }),
        Box::new(move |e| e.remove("articles/lot/part000/00005.txt")),
        Box::new(move |e| {
            let text = std::fs::read_to_string(e.path("articles/zz-copie.txt")).expect("copy");
            drop(e.write("articles/0-copie.txt", text))
        }),
    ];
    // The manifest kinds the commits rest on: a few changes are written as such, and once
    // they add up, the whole manifest again.
    let mut manifests = BTreeSet::new();
    for (i, step) in steps.iter().enumerate() {
        step(&env);
        env.index(&[]).expect_code(0);
        let noop = env.index(&[]);
        assert!(
            noop.summary().contains("0 added, 0 updated, 0 removed"),
            "the manifest holds the folder as it is, after step {i}: {}",
            noop.summary()
        );
        for entry in std::fs::read_dir(env.index_dir()).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(kind) = name.strip_prefix("aes-manifest-") {
                manifests.insert(kind.rsplit('.').next().unwrap_or_default().to_string());
            }
        }
        let clean = TestEnv::new();
        let built = clean.root().join("clean");
        let run = env.run(&[
            "index",
            "articles",
            "--index",
            built.to_str().unwrap(),
            "--quiet",
        ]);
        run.expect_code(0);
        assert_eq!(
            passage_set(&env.index_dir()),
            passage_set(&built),
            "after step {i}"
        );
        if i == 0 {
            assert!(
                env.hit_files("Tillabéri").is_empty(),
                "a line in 3 articles is furniture"
            );
        }
    }
    assert_eq!(
        env.hit_files("Tillabéri"),
        files(&["articles/a.txt", "articles/c.txt"])
    );
    assert_eq!(manifests, files(&["bin", "changes"]));
}

#[test]
fn a_bad_file_does_not_make_every_search_reindex() {
    let env = TestEnv::new();
    env.write("articles/good.txt", "Le sommet de Bamako\n\nLes chefs d'État se sont réunis à Bamako pour parler de la monnaie commune.\n");
    env.write("articles/bad.txt", b"\x00\x01\x02\x03binary");
    let search = || env.run(&["--corpus", "articles", "--index", "index", "monnaie"]);
    let first = search();
    assert_eq!(first.code(), 0, "{}", first.stderr());
    assert!(
        first
            .stderr()
            .contains("skipped articles/bad.txt: binary file"),
        "{}",
        first.stderr()
    );
    let second = search();
    assert_eq!(second.code(), 0);
    assert!(
        !second.stderr().contains("indexing"),
        "no re-index for an unchanged bad file: {}",
        second.stderr()
    );
    // `index` still names it each time, and exits 3.
    let again = env.index(&[]);
    assert_eq!(again.code(), 3, "{}", again.stderr());
    assert!(
        again
            .stderr()
            .contains("skipped articles/bad.txt: binary file"),
        "{}",
        again.stderr()
    );
    // Mended, it is indexed.
    env.write("articles/bad.txt", "Une dépêche réparée\n\nLe texte de la dépêche parle maintenant du passeport de l'Alliance.\n");
    let mended = search();
    assert!(mended.stderr().contains("indexing"), "{}", mended.stderr());
    assert_eq!(
        env.run(&["--corpus", "articles", "--index", "index", "passeport"])
            .code(),
        0
    );
}

/// `aes-search search --index IDX` where a `corpus/` folder happens to be: an index built from
/// other folders is searched as it is, not emptied and rebuilt from `corpus/`.
#[test]
fn searching_an_index_built_elsewhere_does_not_replace_it_with_the_default_corpus() {
    let env = TestEnv::new();
    env.write("articles/a.txt", article(31, "hippopotame"));
    env.write("corpus/b.txt", article(32, "rhinocéros"));
    env.index(&[]).expect_code(0);
    let run = env.run(&["search", "--index", "index", "hippopotame"]);
    run.expect_code(0);
    assert!(!run.stderr().contains("indexing"), "{}", run.stderr());
    assert_eq!(env.hit_files("hippopotame"), files(&["articles/a.txt"]));
    // Named, the corpus is indexed as asked.
    env.run(&[
        "search",
        "--index",
        "index",
        "--corpus",
        "corpus",
        "rhinocéros",
    ])
    .expect_code(0);
    assert_eq!(env.hit_files("rhinocéros"), files(&["corpus/b.txt"]));
    assert!(env.hit_files("hippopotame").is_empty());
}
