//! Issues 6 and 9: the index survives SIGKILL at any moment, one writer at a time, searches
//! during a reindex, and a full disk.
//!
//! The long version (10,000 articles, 20 kills at random moments):
//! `cargo test --release --test crash -- --ignored --nocapture`

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use aes_search::Engine;
use common::{passage_set, Articles, TestEnv};

type Passages = BTreeSet<(String, u64, String, String)>;

/// An index built from `n` articles, then the folder changed (articles added, changed and
/// removed). Returns the passages before, and those of a clean build after.
fn changed_corpus(env: &TestEnv, n: usize) -> (Passages, Passages) {
    Articles::new(1).write_folder(&env.path("articles"), n);
    env.index(&["--quiet"]).expect_code(0);
    let before = passage_set(&env.index_dir());
    let mut gen = Articles::new(2);
    for i in 0..n {
        let path = env.path(&format!("articles/part{:03}/{i:05}.txt", i / 500));
        match i % 10 {
            0 => std::fs::write(&path, gen.article()).unwrap(),
            1 => std::fs::remove_file(&path).unwrap(),
            _ => {}
        }
    }
    Articles::new(3).write_folder(&env.path("articles/new"), n / 2);
    let clean = env.path("clean-index");
    let run = env.run(&[
        "index",
        "articles",
        "--index",
        clean.to_str().unwrap(),
        "--quiet",
    ]);
    run.expect_code(0);
    let after = passage_set(&clean);
    std::fs::remove_dir_all(&clean).unwrap();
    assert_ne!(before, after);
    (before, after)
}

/// Waits until the indexer holds the writer (its pid file is there); false if it ended first.
fn wait_for_writer(env: &TestEnv, child: &mut Child) -> bool {
    let pid_file = env.index_dir().join(".aes-search-writer.pid");
    loop {
        if std::fs::read_to_string(&pid_file).is_ok_and(|s| s.trim() == child.id().to_string()) {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// After a kill: the index opens, answers, and holds one of the two committed states.
fn assert_committed(env: &TestEnv, before: &Passages, after: &Passages, what: &str) {
    let engine = Engine::open(env.index_dir())
        .unwrap_or_else(|e| panic!("{what}: index does not open: {e}"));
    engine
        .search("sécurité", &aes_search::SearchOptions::default())
        .unwrap();
    let now = passage_set(&env.index_dir());
    assert!(
        now == *before || now == *after,
        "{what}: neither the previous state nor the next one ({} passages)",
        now.len()
    );
}

fn kill_at(env: &TestEnv, delay: Option<Duration>) -> bool {
    let mut child = env.spawn_index(&["--quiet"]);
    match delay {
        Some(d) => std::thread::sleep(d),
        None => {
            wait_for_writer(env, &mut child);
        }
    }
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    child.wait().unwrap();
    killed
}

#[test]
fn sigkill_at_several_points_leaves_the_previous_state_and_the_next_run_converges() {
    let env = TestEnv::new();
    let (before, after) = changed_corpus(&env, 400);
    kill_at_several_points(&env, &before, &after);
}

/// A sync that changes a few files writes only the manifest's changes, on top of the last full
/// manifest: killed at any point, the index still holds one of the two states, and the files
/// each state rests on are all there.
#[test]
fn sigkill_while_writing_only_the_manifest_changes() {
    let env = TestEnv::new();
    Articles::new(1).write_folder(&env.path("articles"), 400);
    env.index(&["--quiet"]).expect_code(0);
    let mut gen = Articles::new(4);
    let mut change = |round: usize| {
        for i in [3 + round, 30 + round] {
            let path = env.path(&format!("articles/part000/{i:05}.txt"));
            std::fs::write(path, gen.article()).unwrap();
        }
        env.remove(&format!("articles/part000/{:05}.txt", 60 + round));
        env.write(&format!("articles/new-{round}.txt"), gen.article());
    };
    change(0);
    env.index(&["--quiet"]).expect_code(0);
    let names = file_names(&env.index_dir());
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("aes-manifest-") && n.ends_with(".changes")),
        "a few changes are written as such: {names:?}"
    );
    let before = passage_set(&env.index_dir());
    change(1);
    let clean = env.path("clean-index");
    env.run(&[
        "index",
        "articles",
        "--index",
        clean.to_str().unwrap(),
        "--quiet",
    ])
    .expect_code(0);
    let after = passage_set(&clean);
    assert_ne!(before, after);
    kill_at_several_points(&env, &before, &after);
}

/// A run killed after tantivy wrote a segment's deletes but before the commit left
/// `<segment>.<opstamp>.del` behind. The next run, making the same changes, reached the same
/// opstamp and failed on that file ("File already exists"), run after run.
#[test]
fn files_of_a_killed_run_do_not_block_the_next_one() {
    let env = TestEnv::new();
    Articles::new(1).write_folder(&env.path("articles"), 40);
    env.index(&["--quiet"]).expect_code(0);
    let before = passage_set(&env.index_dir());
    let committed = env.path("committed");
    copy_folder(&env.index_dir(), &committed);
    // The change deletes passages of the existing segment: its commit writes a `.del` file.
    env.remove("articles/part000/00007.txt");
    std::fs::write(
        env.path("articles/part000/00008.txt"),
        Articles::new(5).article(),
    )
    .unwrap();
    env.index(&["--quiet"]).expect_code(0);
    let after = passage_set(&env.index_dir());
    assert_ne!(before, after);
    // As if killed just before the commit: the files it wrote are there (and listed in
    // tantivy's `.managed.json`), but the last commit is the one before.
    let written = file_names(&env.index_dir());
    assert!(written.iter().any(|n| n.ends_with(".del")), "{written:?}");
    for name in file_names(&committed) {
        if name != ".managed.json" {
            std::fs::copy(committed.join(&name), env.index_dir().join(&name)).unwrap();
        }
    }
    assert_committed(&env, &before, &before, "the commit before");
    env.index(&["--quiet"]).expect_code(0);
    assert_eq!(passage_set(&env.index_dir()), after);
}

fn file_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn kill_at_several_points(env: &TestEnv, before: &Passages, after: &Passages) {
    let delays = [
        None,
        Some(0),
        Some(5),
        Some(20),
        Some(50),
        Some(100),
        Some(200),
        Some(400),
        Some(800),
    ];
    for delay in delays {
        let killed = kill_at(env, delay.map(Duration::from_millis));
        assert_committed(
            env,
            before,
            after,
            &format!("killed={killed} after {delay:?} ms"),
        );
        if !killed {
            break; // The run finished: the rest of the points are after the end.
        }
    }
    env.index(&["--quiet"]).expect_code(0);
    assert_eq!(passage_set(&env.index_dir()), *after);
    env.index(&["--quiet"]).expect_code(0);
    assert_eq!(passage_set(&env.index_dir()), *after, "and stays so");
}

/// `cargo test --release --test crash -- --ignored --nocapture`
#[test]
#[ignore = "long: 10,000 articles, 20 kills"]
fn sigkill_at_20_random_moments_on_10000_articles() {
    let env = TestEnv::new();
    let (before, after) = changed_corpus(&env, 10_000);
    // How long a run takes here, to spread the kills over it.
    let probe = TestEnv::new();
    let started = Instant::now();
    probe
        .run(&[
            "index",
            env.path("articles").to_str().unwrap(),
            "--index",
            "index",
            "--quiet",
        ])
        .expect_code(0);
    let full = started.elapsed();
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("a clean build takes {full:.2?}; seed {seed}");
    let mut kills = 0;
    for i in 0..20 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = full.mul_f64((seed >> 11) as f64 / (1u64 << 53) as f64);
        let killed = kill_at(&env, Some(delay));
        kills += usize::from(killed);
        assert_committed(
            &env,
            &before,
            &after,
            &format!("kill {i} after {delay:.2?}"),
        );
        eprintln!(
            "kill {i} at {delay:.2?}: {}",
            if killed { "killed" } else { "had finished" }
        );
        if !killed {
            // Start again from the previous state, so that every kill lands in a real run.
            let restore = TestEnv::new();
            drop(restore);
            env.index(&["--quiet", "--full"]).expect_code(0);
            std::fs::remove_dir_all(env.index_dir()).unwrap();
            rebuild_previous(&env, &before);
        }
    }
    env.index(&["--quiet"]).expect_code(0);
    assert_eq!(passage_set(&env.index_dir()), after);
    eprintln!("{kills} of 20 kills landed during a run; final passage set equals a clean build");
}

/// Puts the index back to the state `before` (regenerating the original folder aside).
fn rebuild_previous(env: &TestEnv, before: &Passages) {
    let n = 10_000;
    let original = env.path("original");
    let _ = std::fs::remove_dir_all(&original);
    Articles::new(1).write_folder(&original, n);
    // The index names files by path: build from a folder at the same path.
    let articles = env.path("articles");
    let current = env.path("current");
    std::fs::rename(&articles, &current).unwrap();
    std::fs::rename(&original, &articles).unwrap();
    env.index(&["--quiet"]).expect_code(0);
    std::fs::rename(&articles, &original).unwrap();
    std::fs::rename(&current, &articles).unwrap();
    assert_eq!(passage_set(&env.index_dir()), *before);
}

#[test]
fn a_second_indexer_exits_2_naming_the_first_and_the_first_proceeds() {
    let env = TestEnv::new();
    let (_, after) = changed_corpus(&env, 400);
    let mut first = env.spawn_index(&["--quiet"]);
    assert!(
        wait_for_writer(&env, &mut first),
        "the first indexer ended before it could be stopped"
    );
    // Holding it still while it holds the writer makes the overlap certain.
    signal(&first, "STOP");
    let second = env.index(&["--quiet"]);
    signal(&first, "CONT");
    second.expect_code(2);
    assert_eq!(
        second.stderr().trim_end(),
        format!(
            "aes-search: index: the index is being updated by another process (pid {})",
            first.id()
        )
    );
    let status = first.wait().unwrap();
    assert!(status.success(), "the first indexer: {status}");
    assert_eq!(passage_set(&env.index_dir()), after);
}

fn signal(child: &Child, name: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_lock_left_by_a_killed_indexer_does_not_block() {
    let env = TestEnv::new();
    let (before, after) = changed_corpus(&env, 200);
    let mut child = env.spawn_index(&["--quiet"]);
    if wait_for_writer(&env, &mut child) {
        child.kill().unwrap();
    }
    child.wait().unwrap();
    assert_committed(&env, &before, &after, "killed holding the lock");
    env.index(&["--quiet"]).expect_code(0);
    assert_eq!(passage_set(&env.index_dir()), after);
}

#[test]
fn searches_during_a_reindex_see_no_error_and_a_committed_state() {
    let env = TestEnv::new();
    let (before, after) = changed_corpus(&env, 600);
    let counts = [before.len() as u64, after.len() as u64];
    let engine = Engine::open(env.index_dir()).unwrap();
    let mut child = env.spawn_index(&["--quiet"]);
    let mut searches = 0;
    while child.try_wait().unwrap().is_none() {
        engine.reload().unwrap();
        let n = engine.num_passages();
        assert!(
            counts.contains(&n),
            "{n} passages: not a committed state ({counts:?})"
        );
        let run = env.run(&["search", "sécurité", "--index", "index", "--json"]);
        assert_eq!(run.code(), 0, "search during indexing: {}", run.stderr());
        assert_eq!(run.stderr(), "");
        searches += 1;
    }
    assert!(child.wait().unwrap().success());
    engine.reload().unwrap();
    assert_eq!(engine.num_passages(), after.len() as u64);
    eprintln!("{searches} searches during the run");
}

/// A filesystem that fills up: the run fails with a clear error and the index is intact.
#[test]
fn a_full_disk_fails_clearly_and_leaves_the_previous_index() {
    let env = TestEnv::new();
    let mount = env.path("small");
    std::fs::create_dir(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&mount)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)");
        return;
    }
    let _unmount = Unmount(&mount);
    let index = mount.join("index");
    let index_arg = index.to_str().unwrap();
    Articles::new(4).write_folder(&env.path("articles"), 50);
    env.run(&["index", "articles", "--index", index_arg, "--quiet"])
        .expect_code(0);
    let before = passage_set(&index);
    Articles::new(5).write_folder(&env.path("articles/more"), 6000);
    let run = env.run(&["index", "articles", "--index", index_arg, "--quiet"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("No space left on device"),
        "{}",
        run.stderr()
    );
    assert_eq!(run.stderr().lines().count(), 1, "{}", run.stderr());
    assert_eq!(passage_set(&index), before);
    let search = env.run(&["search", "sécurité", "--index", index_arg, "--json"]);
    search.expect_code(0);
}

struct Unmount<'a>(&'a Path);

impl Drop for Unmount<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.0).status();
    }
}
