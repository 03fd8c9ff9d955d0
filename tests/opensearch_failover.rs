//! One node of the 3-node test cluster killed while searches run: none may fail, and indexing
//! goes on while the node is down and once it is back. A binary of its own, since cargo runs
//! test binaries one after another: killing a node here cannot disturb the tests of
//! `tests/opensearch.rs`, which run in parallel with each other.
//!
//! It needs every node's address (`scale/opensearch/cluster urls`) in `AES_SEARCH_TEST_OPENSEARCH`
//! and the script that can kill and start them in `AES_SEARCH_TEST_OPENSEARCH_CONTROL`; without
//! them it says so in one line and passes. It leaves the cluster green.
#![cfg(feature = "opensearch")]

mod common;

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::cluster::{article, cluster, first_node, ClusterIndex};
use common::TestEnv;

const CONTROL_ENV: &str = "AES_SEARCH_TEST_OPENSEARCH_CONTROL";

/// The node killed: the first address, the one every new client asks first.
const VICTIM: usize = 0;

/// `scale/opensearch/cluster kill-node N` / `start-node N`; the node is started again when
/// dropped, so that a failed assertion still leaves the cluster whole.
struct Node<'a> {
    control: &'a str,
    n: usize,
}

impl Node<'_> {
    fn control(&self, what: &str) -> Result<(), String> {
        let status = Command::new(self.control)
            .args([what, &self.n.to_string()])
            .status()
            .map_err(|e| e.to_string())?;
        match status.success() {
            true => Ok(()),
            false => Err(format!("{} {what} {}: {status}", self.control, self.n)),
        }
    }
}

impl Drop for Node<'_> {
    fn drop(&mut self) {
        // Does nothing when the node runs; waits for green otherwise. No panic here: this may
        // run while a failed assertion unwinds.
        if let Err(e) = self.control("start-node") {
            eprintln!("{e}");
        }
    }
}

/// Searches the cluster in a loop until told to stop; counts them and keeps every failure.
struct Searcher {
    done: AtomicUsize,
    failures: Mutex<Vec<String>>,
}

impl Searcher {
    fn record(&self, failure: Option<String>) {
        self.done.fetch_add(1, Ordering::Relaxed);
        if let Some(f) = failure {
            self.failures.lock().expect("lock").push(f);
        }
    }

    fn wait_for(&self, more: usize) {
        let target = self.done.load(Ordering::Relaxed) + more;
        let deadline = Instant::now() + Duration::from_secs(120);
        while self.done.load(Ordering::Relaxed) < target {
            assert!(Instant::now() < deadline, "the searches stalled");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// `count` articles about `word`, each of its own (a title with its number), in `articles/`.
fn write_articles(env: &TestEnv, word: &str, count: usize, body: &str) {
    for n in 0..count {
        env.write(
            &format!("articles/{word}-{n:02}.txt"),
            article(&format!("{word}, épisode {n}"), body),
        );
    }
}

#[test]
fn a_node_killed_during_searches_fails_none_and_indexing_goes_on() {
    let test = "a_node_killed_during_searches_fails_none_and_indexing_goes_on";
    let Some(urls) = cluster(test) else { return };
    let Ok(control) = std::env::var(CONTROL_ENV) else {
        eprintln!("skipped {test}: {CONTROL_ENV}=scale/opensearch/cluster is not set");
        return;
    };
    if urls.split(',').count() < 2 {
        eprintln!("skipped {test}: one address only (give every node's: cluster urls)");
        return;
    }
    let mut index = ClusterIndex::new(&urls, "failover");
    // Two shards and a replica each on three nodes: the killed node holds a copy of some.
    index.shards = 2;
    let env = TestEnv::new();
    write_articles(&env, "barrage", 20, "Le chantier du barrage avance.");
    let run = index.run(&env, &["index", "articles"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let expected: BTreeSet<String> = index.hit_files(&env, "barrage").into_iter().collect();
    assert_eq!(expected.len(), 20);
    // Replicas take over only once they are in sync: a node killed before the new index is
    // green takes the only good copy of a shard with it.
    let health = format!(
        "{}/_cluster/health/{name},{name}-manifest?wait_for_status=green&timeout=60s",
        first_node(&urls),
        name = index.name
    );
    let health = ureq::get(&health).call().expect("cluster health");
    let health: serde_json::Value =
        serde_json::from_str(&health.into_string().expect("an answer")).expect("JSON");
    assert_eq!(health["status"], "green", "{health}");

    // Two searchers: the binary (a new client each time, which asks the first node first) and
    // one long-lived client in this process (as `serve` holds one).
    let (cli, library) = (
        Searcher {
            done: 0.into(),
            failures: Mutex::new(Vec::new()),
        },
        Searcher {
            done: 0.into(),
            failures: Mutex::new(Vec::new()),
        },
    );
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                let run = index.run(&env, &["search", "barrage", "--json", "--limit", "100"]);
                let got: Option<BTreeSet<String>> = serde_json::from_str(&run.stdout())
                    .ok()
                    .map(|json| common::hit_paths(&json).into_iter().collect());
                let ok = run.code() == 0 && got.as_ref() == Some(&expected);
                cli.record((!ok).then(|| format!("exit {}: {got:?} {}", run.code(), run.stderr())));
            }
        });
        s.spawn(|| {
            let os = aes_search::opensearch::OpenSearch::connect(&index.url, &index.name)
                .expect("connect");
            let options = aes_search::SearchOptions {
                limit: 100,
                ..aes_search::SearchOptions::default()
            };
            while !stop.load(Ordering::Relaxed) {
                let got = os.search("barrage", &options).map(|hits| {
                    hits.into_iter()
                        .map(|h| h.article.path)
                        .collect::<BTreeSet<String>>()
                });
                let ok = got.as_ref().is_ok_and(|g| *g == expected);
                library.record((!ok).then(|| format!("{got:?}")));
                // As often as a reader would: the binary's loop is the busy one.
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            cli.wait_for(3);
            let node = Node {
                control: &control,
                n: VICTIM,
            };
            node.control("kill-node").expect("kill a node");
            cli.wait_for(5);
            library.wait_for(5);

            // The cluster is short of a node: indexing goes on.
            write_articles(&env, "karité", 5, "Le beurre de karité s'exporte.");
            let run = index.run(&env, &["index", "articles"]);
            assert_eq!(run.code(), 0, "while a node is down: {}", run.stderr());
            assert!(run.stderr().contains("5 added"), "{}", run.stderr());

            // Back, and green: what was indexed meanwhile is there, and indexing goes on.
            node.control("start-node").expect("start the node again");
            cli.wait_for(3);
            write_articles(&env, "coton", 5, "La récolte de coton progresse.");
            let run = index.run(&env, &["index", "articles"]);
            assert_eq!(run.code(), 0, "once the node is back: {}", run.stderr());
            assert!(
                run.stderr()
                    .contains("5 added, 0 updated, 0 removed, 25 unchanged"),
                "{}",
                run.stderr()
            );
            assert_eq!(index.hit_files(&env, "karité").len(), 5);
            assert_eq!(index.hit_files(&env, "coton").len(), 5);
        }));
        stop.store(true, Ordering::Relaxed);
        if let Err(panic) = result {
            std::panic::resume_unwind(panic);
        }
    });
    for (who, searcher) in [("the binary", &cli), ("the library", &library)] {
        let failures = searcher.failures.lock().expect("lock");
        let done = searcher.done.load(Ordering::Relaxed);
        eprintln!("{who}: {done} searches, {} failed", failures.len());
        assert!(failures.is_empty(), "{who}: {failures:#?}");
    }
}
