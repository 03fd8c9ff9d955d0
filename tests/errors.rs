//! Every error a user can meet, with its message and exit status (issue 9): one row each, run
//! through the real binary. A new error gets a row here.

mod common;

use common::TestEnv;

const ARTICLE: &str = "Le sommet de Bamako\n\nLes chefs d'État de la Confédération des États du Sahel se sont réunis à Bamako pour parler de la monnaie commune.\n";

/// (what, files to lay out, arguments, exit status, words stderr must hold)
type Row = (
    &'static str,
    &'static [(&'static str, &'static [u8])],
    &'static [&'static str],
    i32,
    &'static [&'static str],
);

const ROWS: &[Row] = &[
    (
        "no match",
        &[],
        &["--corpus", "articles", "xylophone"],
        1,
        &["no results"],
    ),
    (
        "empty query",
        &[],
        &["--corpus", "articles", ""],
        2,
        &["empty query"],
    ),
    (
        "only stop words",
        &[],
        &["--corpus", "articles", "de la"],
        2,
        &["empty query"],
    ),
    (
        "too many words",
        &[],
        &["--corpus", "articles", LONG_QUERY],
        2,
        &["query too long", "64"],
    ),
    (
        "no corpus folder",
        &[],
        &["--corpus", "nowhere", "mali"],
        2,
        &["nowhere: no such folder"],
    ),
    (
        "index folder is not an index",
        &[("notes/todo.txt", b"mes notes")],
        &["--index", "notes", "--corpus", "articles", "mali"],
        2,
        &["notes: not an aes-search index"],
    ),
    ("unknown flag", &[], &["--frobnicate"], 2, &["--frobnicate"]),
    (
        "clean: missing file",
        &[],
        &["clean", "articles/absent.txt"],
        2,
        &["articles/absent.txt", "No such file"],
    ),
    (
        "clean: binary file",
        &[("articles/x.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")],
        &["clean", "articles/x.txt"],
        2,
        &["articles/x.txt: binary file"],
    ),
    (
        "clean: empty file",
        &[("articles/x.txt", b"  \n\n")],
        &["clean", "articles/x.txt"],
        2,
        &["articles/x.txt: empty file"],
    ),
    (
        "index: binary file skipped",
        &[("articles/x.txt", b"\0\0\0\x01\x02")],
        &["index", "articles"],
        3,
        &["skipped articles/x.txt: binary file"],
    ),
    (
        "index: empty file skipped",
        &[("articles/x.txt", b"")],
        &["index", "articles"],
        3,
        &["skipped articles/x.txt: empty file"],
    ),
    (
        "clean: a saved page of scripts only",
        &[(
            "articles/x.html",
            b"<html><script>var a = 1;</script><p hidden>x</p></html>",
        )],
        &["clean", "articles/x.html"],
        2,
        &["articles/x.html: no article text in the page"],
    ),
    (
        "index: a saved page of scripts only skipped",
        &[(
            "articles/x.htm",
            b"<html><head><style>p{}</style></head><body><script>a()</script></body></html>",
        )],
        &["index", "articles"],
        3,
        &["skipped articles/x.htm: no article text in the page"],
    ),
    (
        "index: new file over the limit",
        &[(
            "articles/b.txt",
            b"Un article bien plus long que dix octets.",
        )],
        &["index", "articles", "--max-file-size", "10"],
        3,
        &["skipped articles/b.txt", "over the limit of 10 bytes"],
    ),
    (
        "index: no such folder",
        &[],
        &["index", "nowhere"],
        2,
        &["nowhere: no such folder"],
    ),
    (
        "index: bad JSON line",
        &[(
            "p.jsonl",
            b"{\"id\": \"a\", \"text\": \"monnaie\"}\n{oops\n",
        )],
        &["index", "--jsonl", "p.jsonl"],
        3,
        &["p.jsonl:2"],
    ),
    (
        "eval: no index",
        &[("q.jsonl", b"")],
        &["eval", "q.jsonl", "--index", "none"],
        2,
        &["none: not an aes-search index"],
    ),
    (
        "eval: bad JSON line",
        &[("q.jsonl", b"{oops\n")],
        &["eval", "q.jsonl"],
        2,
        &["q.jsonl:1"],
    ),
];

const LONG_QUERY: &str = "mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot mot";

#[test]
fn every_error_has_its_message_and_exit_status() {
    for (what, files, args, code, words) in ROWS {
        let env = TestEnv::new();
        env.write("articles/a.txt", ARTICLE);
        // An index for the rows that search or evaluate an existing one.
        env.run(&["index", "articles", "--quiet"]).expect_code(0);
        for (path, content) in *files {
            env.write(path, content);
        }
        let run = env.run(args);
        assert_eq!(run.code(), *code, "{what}: {}", run.stderr());
        for word in *words {
            assert!(
                run.stderr().contains(word),
                "{what}: {:?} lacks {word:?}",
                run.stderr()
            );
        }
        if *code == 2 {
            assert!(
                !run.stderr().contains("panicked"),
                "{what}: {}",
                run.stderr()
            );
        }
    }
}

#[test]
fn a_second_writer_is_told_which_process_holds_the_index() {
    let env = TestEnv::new();
    env.write("articles/a.txt", ARTICLE);
    env.index(&["--quiet"]).expect_code(0);
    let _writer = env.hold_writer();
    let run = env.index(&[]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    let expected = format!(
        "the index is being updated by another process (pid {})",
        std::process::id()
    );
    assert!(run.stderr().contains(&expected), "{}", run.stderr());
}
