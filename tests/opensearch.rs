//! The OpenSearch backend on a real cluster: `scale/opensearch/cluster start` starts one and
//! prints its address; pass it as `AES_SEARCH_TEST_OPENSEARCH=URL` with
//! `cargo test --features opensearch --test opensearch`. Without it, each test that needs the
//! cluster says so in one line and passes; `.ci/run` starts the cluster.
#![cfg(feature = "opensearch")]

mod common;

use common::TestEnv;

const CLUSTER_ENV: &str = "AES_SEARCH_TEST_OPENSEARCH";

/// The test cluster's address, or `None` after saying once why the test does nothing.
fn cluster(test: &str) -> Option<String> {
    match std::env::var(CLUSTER_ENV) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "skipped {test}: no cluster ({CLUSTER_ENV}=URL, see scale/opensearch/cluster)"
            );
            None
        }
    }
}

/// A fresh index of its own for one test, deleted before and after it.
struct ClusterIndex {
    url: String,
    name: String,
}

impl ClusterIndex {
    fn new(url: &str, test: &str) -> ClusterIndex {
        let name = format!("aes-test-{test}-{}", std::process::id());
        let index = ClusterIndex {
            url: url.to_string(),
            name,
        };
        index.delete();
        index
    }

    fn delete(&self) {
        let os = aes_search::opensearch::OpenSearch::connect(&self.url, &self.name)
            .expect("the test cluster answers");
        os.delete_index().expect("delete the test index");
    }

    /// `aes-search ARGS... --opensearch URL --opensearch-index NAME` in `env`.
    fn run(&self, env: &TestEnv, args: &[&str]) -> common::Run {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--opensearch", &self.url, "--opensearch-index", &self.name]);
        // One replica on a 3-node cluster; one shard keeps small-corpus scores stable.
        all.extend(["--shards", "1"]);
        env.run(&all)
    }

    fn hit_files(&self, env: &TestEnv, query: &str) -> Vec<String> {
        let run = self.run(env, &["search", query, "--json", "--limit", "100"]);
        assert!(run.code() <= 1, "search {query:?} failed: {}", run.stderr());
        let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
        json["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| {
                h["article"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }
}

impl Drop for ClusterIndex {
    fn drop(&mut self) {
        self.delete();
    }
}

fn article(title: &str, body: &str) -> String {
    format!("{title}\n\n{body} Les ministres des trois pays se sont réunis à Niamey pour en débattre.\n")
}

#[test]
fn sync_sends_only_what_changed() {
    let Some(url) = cluster("sync_sends_only_what_changed") else {
        return;
    };
    let index = ClusterIndex::new(&url, "sync");
    let env = TestEnv::new();
    env.write(
        "articles/a.txt",
        article("Le barrage de Kandadji", "Le chantier du barrage avance."),
    );
    env.write(
        "articles/b.txt",
        article(
            "La route transsaharienne",
            "Un tronçon de la route est achevé.",
        ),
    );
    env.write(
        "articles/c.txt",
        article("Le coton malien", "La récolte de coton progresse."),
    );
    let first = index.run(&env, &["index", "articles"]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    assert!(
        first.stderr().contains("3 added, 0 updated, 0 removed"),
        "{}",
        first.stderr()
    );

    env.write(
        "articles/b.txt",
        article(
            "La route transsaharienne",
            "Le bitume des caravanes est posé.",
        ),
    );
    env.remove("articles/c.txt");
    env.write(
        "articles/d.txt",
        article("La filière karité", "Le beurre de karité s'exporte."),
    );
    let second = index.run(&env, &["index", "articles"]);
    assert!(
        second
            .stderr()
            .contains("1 added, 1 updated, 1 removed, 1 unchanged"),
        "{}",
        second.stderr()
    );
    assert_eq!(
        index.hit_files(&env, "tronçon"),
        Vec::<String>::new(),
        "old version of b"
    );
    assert_eq!(index.hit_files(&env, "caravanes"), ["articles/b.txt"]);
    assert_eq!(
        index.hit_files(&env, "coton"),
        Vec::<String>::new(),
        "removed c"
    );
    assert_eq!(index.hit_files(&env, "karité"), ["articles/d.txt"]);
    let third = index.run(&env, &["index", "articles"]);
    assert!(
        third
            .stderr()
            .contains("0 added, 0 updated, 0 removed, 3 unchanged"),
        "{}",
        third.stderr()
    );
}

#[test]
fn the_corpus_ranks_and_hides_furniture_as_the_embedded_index() {
    let Some(url) = cluster("the_corpus_ranks_and_hides_furniture_as_the_embedded_index") else {
        return;
    };
    let index = ClusterIndex::new(&url, "corpus");
    let env = TestEnv::new();
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let run = index.run(&env, &["index", corpus]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    for query in [
        "cookies",
        "Telegram",
        "Unsplash",
        "Paramétrer vos choix",
        "TV-Novosti",
    ] {
        assert_eq!(
            index.hit_files(&env, query),
            Vec::<String>::new(),
            "{query}"
        );
    }
    let run = index.run(&env, &["search", "monnaie commune", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
    let best = &json["hits"][0]["passage"];
    let text = best["text"].as_str().expect("text");
    assert!(text.contains("monnaie sahélienne commune"), "{text}");
    let words: Vec<&str> = best["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|h| &text[h[0].as_u64().unwrap_or(0) as usize..h[1].as_u64().unwrap_or(0) as usize])
        .collect();
    assert_eq!(words, ["monnaie", "commune"]);
}

#[test]
fn a_rejected_document_is_reported_for_its_file_and_the_rest_goes_on() {
    let Some(url) = cluster("a_rejected_document_is_reported_for_its_file_and_the_rest_goes_on")
    else {
        return;
    };
    let index = ClusterIndex::new(&url, "rejected");
    // An index made by someone else, whose `date` wants a number: no date of ours fits.
    let agent = ureq::agent();
    agent
        .put(&format!("{url}/{}", index.name))
        .set("Content-Type", "application/json")
        .send_string(
            &serde_json::json!({
                "mappings": { "properties": { "date": { "type": "date", "format": "epoch_millis" } } }
            })
            .to_string(),
        )
        .expect("create a conflicting index");
    let env = TestEnv::new();
    let dated = "Le sommet de Bamako\n\nPublié le 12 septembre 2024\n\nLes chefs d'État du Sahel se réunissent à Bamako pour le sommet.\n";
    let read = aes_search::clean::clean(dated, &aes_search::clean::NoFurniture);
    assert!(
        read.date.is_some(),
        "the cleaner reads the date of the test article"
    );
    env.write("articles/dated.txt", dated);
    env.write(
        "articles/plain.txt",
        article("Le barrage de Kandadji", "Le chantier du barrage avance."),
    );
    let run = index.run(&env, &["index", "articles"]);
    let stderr = run.stderr();
    assert_eq!(run.code(), 3, "{stderr}");
    assert!(stderr.contains("dated.txt"), "{stderr}");
    assert!(stderr.contains("1 added"), "{stderr}");
    assert_eq!(index.hit_files(&env, "Kandadji"), ["articles/plain.txt"]);
}

#[test]
fn a_cluster_that_is_down_is_one_line_and_exit_2() {
    let env = TestEnv::new();
    env.write(
        "articles/a.txt",
        article("Le barrage", "Le chantier avance."),
    );
    for args in [&["index", "articles"][..], &["search", "barrage"][..]] {
        let mut all = args.to_vec();
        all.extend(["--opensearch", "http://127.0.0.1:9"]);
        let run = env.run(&all);
        assert_eq!(run.code(), 2, "{args:?}: {}", run.stderr());
        let stderr = run.stderr();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("http://127.0.0.1:9: the cluster does not answer"),
            "{stderr}"
        );
    }
    // Nothing was written in place of the cluster.
    assert!(!env.index_dir().exists());
}
