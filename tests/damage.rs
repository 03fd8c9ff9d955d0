//! A damaged index recovers (issue 18): a segment file truncated or missing, `meta.json` or the
//! manifest unreadable. The default index is a cache of `corpus/` and a bare search rebuilds
//! it; another index gets one line naming the command that rebuilds it; `index --full` rebuilds
//! whatever state the folder is in. One row per kind of damage, each tried all three ways.

mod common;

use std::path::Path;

use common::TestEnv;

const ARTICLE: &str = "Le sommet de Bamako\n\nLes chefs d'État de la Confédération des États du Sahel se sont réunis à Bamako pour parler de la monnaie commune.\n";
const OTHER: &str = "Le passeport de l'AES\n\nLe passeport commun des trois pays entre en circulation au Mali, au Burkina Faso et au Niger.\n";

/// The first file of the index folder with this extension.
fn segment_file(index: &Path, extension: &str) -> std::path::PathBuf {
    let mut files: Vec<_> = std::fs::read_dir(index)
        .expect("index folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no .{extension} file"))
}

fn truncate(path: &Path, len: u64) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open")
        .set_len(len)
        .expect("truncate");
}

/// (what, how the index folder is damaged)
type Damage = (&'static str, fn(&Path));

const DAMAGES: &[Damage] = &[
    ("a truncated segment", |i| {
        truncate(&segment_file(i, "idx"), 10)
    }),
    // Shorter than a footer: tantivy itself would panic on it.
    ("a segment cut inside its footer", |i| {
        truncate(&segment_file(i, "fast"), 5)
    }),
    ("a missing segment file", |i| {
        std::fs::remove_file(segment_file(i, "pos")).expect("remove")
    }),
    ("a garbage meta.json", |i| {
        std::fs::write(i.join("meta.json"), "{ not json").expect("write")
    }),
    ("a missing manifest", |i| {
        std::fs::remove_file(segment_file(i, "bin")).expect("remove")
    }),
];

fn with_articles(dir: &str) -> TestEnv {
    let env = TestEnv::new();
    env.write(&format!("{dir}/sommet.txt"), ARTICLE);
    env.write(&format!("{dir}/passeport.txt"), OTHER);
    env
}

/// One line on stderr, and no panic.
fn assert_one_clean_line(what: &str, stderr: &str, words: &[&str]) {
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains("damaged")).collect();
    assert_eq!(lines.len(), 1, "{what}: {stderr}");
    for word in words {
        assert!(lines[0].contains(word), "{what}: {word:?} not in {stderr}");
    }
}

/// Exit 2, and one line only: the damage and the command that rebuilds the index.
fn assert_refused_with_the_rebuild_command(what: &str, run: &common::Run) {
    assert_eq!(run.code(), 2, "{what}: {}", run.stderr());
    assert_one_clean_line(
        what,
        &run.stderr(),
        &["index: the index is damaged", "--full"],
    );
    assert_eq!(run.stderr().lines().count(), 1, "{what}: {}", run.stderr());
}

#[test]
fn a_bare_search_rebuilds_the_default_index_it_finds_damaged() {
    for (what, damage) in DAMAGES {
        let env = with_articles("corpus");
        env.run(&["monnaie"]).expect_code(0);
        damage(&env.path("index"));
        let run = env.run(&["monnaie"]);
        assert_eq!(run.code(), 0, "{what}: {}", run.stderr());
        assert_one_clean_line(what, &run.stderr(), &["index", "rebuilding", "corpus"]);
        assert!(run.stdout().contains("monnaie"), "{what}: {}", run.stdout());
        // Rebuilt for good: the next search is quiet.
        let again = env.run(&["passeport"]);
        assert_eq!(again.code(), 0, "{what}: {}", again.stderr());
        assert!(
            !again.stderr().contains("damaged"),
            "{what}: {}",
            again.stderr()
        );
    }
}

#[test]
fn another_index_found_damaged_names_the_command_that_rebuilds_it() {
    for (what, damage) in DAMAGES {
        let env = with_articles("articles");
        env.index(&[]).expect_code(0);
        damage(&env.index_dir());
        // Searched as it is: what can be read is searched (a missing manifest only matters to
        // a sync), or one line says how to rebuild it.
        let run = env.run(&["--index", "index", "monnaie"]);
        if run.code() != 0 {
            assert_refused_with_the_rebuild_command(what, &run);
        }
        // Synced without --full: the same line, and nothing rebuilt.
        assert_refused_with_the_rebuild_command(what, &env.index(&[]));
        // Nothing was removed behind the user's back.
        assert!(
            env.index_dir()
                .read_dir()
                .is_ok_and(|mut d| d.next().is_some()),
            "{what}"
        );
    }
}

#[test]
fn a_full_index_rebuilds_a_damaged_index() {
    for (what, damage) in DAMAGES {
        let env = with_articles("articles");
        env.index(&[]).expect_code(0);
        damage(&env.index_dir());
        let run = env.index(&["--full"]);
        assert_eq!(run.code(), 0, "{what}: {}", run.stderr());
        assert_one_clean_line(what, &run.stderr(), &["rebuilding"]);
        assert!(run.stderr().contains("2 added"), "{what}: {}", run.stderr());
        let hits = env.hit_files("passeport");
        assert_eq!(hits.len(), 1, "{what}: {hits:?}");
    }
}

#[test]
fn a_full_index_rebuilds_an_empty_or_sound_index_folder_but_not_other_files() {
    let env = with_articles("articles");
    std::fs::create_dir(env.index_dir()).expect("mkdir");
    env.index(&["--full"]).expect_code(0);
    env.index(&["--full"]).expect_code(0);
    assert_eq!(env.hit_files("monnaie").len(), 1);

    let notes = with_articles("articles");
    notes.write("index/notes.txt", "mes notes");
    let run = notes.index(&["--full"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("not an aes-search index"),
        "{}",
        run.stderr()
    );
    assert!(notes.path("index/notes.txt").exists());
}

/// An index written in another format by another version is a cache to rebuild: named so, with
/// the command, when it is not the default index; rebuilt when it is.
#[test]
fn an_index_of_another_format_is_named_so_and_rebuilt() {
    let older = |index: &Path| {
        let meta = std::fs::read_to_string(index.join("meta.json")).expect("meta");
        let at = meta
            .find("\\\"version\\\":")
            .expect("the payload's version");
        let end = at + "\\\"version\\\":".len();
        let digits = meta[end..]
            .find(|c: char| !c.is_ascii_digit())
            .expect("digits")
            + end;
        let older = format!("{}1{}", &meta[..end], &meta[digits..]);
        std::fs::write(index.join("meta.json"), older).expect("write");
    };
    let env = with_articles("articles");
    env.index(&[]).expect_code(0);
    older(&env.index_dir());
    let run = env.run(&["--index", "index", "monnaie"]);
    assert_refused_with_the_rebuild_command("another format", &run);
    assert!(run.stderr().contains("another version"), "{}", run.stderr());

    let env = with_articles("corpus");
    env.run(&["monnaie"]).expect_code(0);
    older(&env.path("index"));
    let run = env.run(&["monnaie"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stdout().contains("monnaie"), "{}", run.stdout());
}
