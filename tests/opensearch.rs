//! The OpenSearch backend on a real cluster: `scale/opensearch/cluster start` starts one and
//! prints its address; pass it as `AES_SEARCH_TEST_OPENSEARCH=URL` with
//! `cargo test --features opensearch,server --test opensearch` (`server` for the test of
//! `serve --opensearch`). Without it, each test that needs the cluster says so in one line and
//! passes; `.ci/run` starts the cluster.
#![cfg(feature = "opensearch")]

mod common;

use common::cluster::{article, cluster, first_node, ClusterIndex};
use common::TestEnv;

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
    assert_best_is_the_common_currency(&json);
}

/// The first hit of `monnaie commune` is the passage of the common currency, both words marked.
fn assert_best_is_the_common_currency(answer: &serde_json::Value) {
    let best = &answer["hits"][0]["passage"];
    let text = best["text"].as_str().expect("text");
    assert!(text.contains("monnaie sahélienne commune"), "{text}");
    let words: Vec<&str> = best["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .filter_map(|h| text.get(h[0].as_u64()? as usize..h[1].as_u64()? as usize))
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
    // A mapping conflict: an index made by someone else, whose `date` wants a number, so that
    // no date of ours fits.
    let agent = ureq::agent();
    agent
        .put(&format!("{}/{}", first_node(&url), index.name))
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
    // The file, and the cluster's reason: the mapping conflict.
    let line = stderr.lines().find(|l| l.contains("dated.txt"));
    assert!(
        line.is_some_and(|l| l.contains("mapper_parsing_exception") && l.contains("[date]")),
        "{stderr}"
    );
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

/// An article the cleaner reads a title, a date (in French, or none) and a source (from its
/// cookie notice) from.
fn dated_article(title: &str, date: Option<&str>, source: &str, body: &str) -> String {
    let date = date.map_or(String::new(), |d| format!("Publié le {d}\n\n"));
    format!(
        "{title}\n\n{date}{body} Les ministres des finances des trois pays en ont débattu \
         longuement à Niamey avant de se séparer.\n\n{source} utilise des cookies pour \
         améliorer votre expérience.\n"
    )
}

/// What two backends must agree on for one hit: rank, title, date, source and passage.
type Shown = (usize, Option<String>, Option<String>, Option<String>, usize);

fn shown(hits: &[aes_search::Hit]) -> Vec<Shown> {
    hits.iter()
        .map(|h| {
            let a = &h.article;
            let (title, date, source) = (a.title.clone(), a.date.clone(), a.source.clone());
            (h.rank, title, date, source, h.passage.index)
        })
        .collect()
}

/// The same hits, in any order (relevance ties may fall either way on two engines).
fn shown_set(hits: &[aes_search::Hit]) -> Vec<Shown> {
    let mut all: Vec<Shown> = shown(hits)
        .into_iter()
        .map(|s| (0, s.1, s.2, s.3, s.4))
        .collect();
    all.sort();
    all
}

#[test]
fn sort_source_dates_pages_and_facets_match_the_embedded_index() {
    use aes_search::opensearch::Layout;
    use aes_search::{SearchOptions, Sort};

    let Some(url) = cluster("sort_source_dates_pages_and_facets_match_the_embedded_index") else {
        return;
    };
    let index = ClusterIndex::new(&url, "options");
    let env = TestEnv::new();
    let articles = [
        (
            "Le calendrier de la monnaie",
            Some("10 mai 2023"),
            "Sahel Info",
            "La monnaie commune aura un calendrier précis.",
        ),
        (
            "Les billets de la monnaie",
            Some("12 mars 2024"),
            "Le Journal",
            "Les billets de la future monnaie sont dessinés.",
        ),
        (
            "La banque centrale et la monnaie",
            Some("1 juillet 2024"),
            "Sahel Info",
            "Une banque centrale émettra la monnaie.",
        ),
        (
            "Le nom de la monnaie",
            Some("30 novembre 2024"),
            "Maliweb",
            "Le nom de la monnaie fait débat dans la presse.",
        ),
        (
            "Les pièces de la monnaie",
            Some("3 avril 2025"),
            "Le Journal",
            "Les pièces de monnaie seront frappées à Ouagadougou.",
        ),
        (
            "La monnaie sans date",
            None,
            "Maliweb",
            "Un article sur la monnaie sans date de parution.",
        ),
        (
            "Le barrage de Kandadji",
            Some("5 juin 2024"),
            "Sahel Info",
            "Le chantier du barrage avance sur le fleuve.",
        ),
    ];
    for (n, (title, date, source, body)) in articles.iter().enumerate() {
        env.write(
            &format!("articles/{n}.txt"),
            dated_article(title, *date, source, body),
        );
    }
    let (embedded, os) = both_backends(
        &env,
        &url,
        &index,
        Layout {
            shards: 1,
            replicas: 1,
        },
    );

    let by_date = SearchOptions {
        sort: Sort::Date,
        ..SearchOptions::default()
    };
    let with = |f: &dyn Fn(&mut SearchOptions)| {
        let mut o = SearchOptions::default();
        f(&mut o);
        o
    };
    // (what is compared, options; in order when sorted by date, as sets otherwise)
    let cases: Vec<(&str, SearchOptions)> = vec![
        ("sort by date", by_date.clone()),
        (
            "second page by date",
            SearchOptions {
                offset: 2,
                limit: 2,
                ..by_date.clone()
            },
        ),
        (
            "last page by date",
            SearchOptions {
                offset: 5,
                limit: 3,
                ..by_date.clone()
            },
        ),
        ("source", with(&|o| o.source = Some("Sahel Info".into()))),
        (
            "source, one word",
            with(&|o| o.source = Some("journal".into())),
        ),
        ("since 2024-07", with(&|o| o.since = Some("2024-07".into()))),
        ("until 2024", with(&|o| o.until = Some("2024".into()))),
        (
            "within 2024",
            with(&|o| {
                o.since = Some("2024".into());
                o.until = Some("2024".into());
            }),
        ),
        (
            "until a day",
            with(&|o| o.until = Some("2024-03-12".into())),
        ),
        (
            "dates by date",
            SearchOptions {
                since: Some("2024-03".into()),
                ..by_date.clone()
            },
        ),
    ];
    for (what, options) in &cases {
        let want = embedded
            .search("monnaie", options)
            .expect("embedded search");
        let got = os.search("monnaie", options).expect("cluster search");
        assert!(
            !want.is_empty() || what.contains("last"),
            "{what}: nothing to compare among {:?}",
            shown(
                &embedded
                    .search("monnaie", &by_date)
                    .expect("embedded search")
            )
        );
        if options.sort == Sort::Date {
            assert_eq!(shown(&got), shown(&want), "{what}");
        } else {
            assert_eq!(shown_set(&got), shown_set(&want), "{what}");
        }
    }
    // Facets over every match, and not only the page shown.
    for (what, options) in [
        (
            "facets",
            with(&|o| {
                o.facets = true;
                o.limit = 1;
            }),
        ),
        (
            "facets of 2024",
            with(&|o| {
                o.facets = true;
                o.since = Some("2024".into());
                o.until = Some("2024".into());
            }),
        ),
    ] {
        let want = embedded
            .search_with_notices("monnaie", &options)
            .expect("embedded search");
        let got = os
            .search_with_notices("monnaie", &options)
            .expect("cluster search");
        assert!(want.facets.as_ref().is_some_and(|f| f.total > 0), "{what}");
        assert_eq!(got.facets, want.facets, "{what}");
    }
}

#[test]
fn jsonl_passages_of_one_article_are_all_kept() {
    let Some(url) = cluster("jsonl_passages_of_one_article_are_all_kept") else {
        return;
    };
    let index = ClusterIndex::new(&url, "jsonl");
    let env = TestEnv::new();
    // As `export --passages` writes them: one article, its passages numbered. The cluster once
    // read every line as passage 0, so that the last line overwrote the others.
    env.write(
        "p.jsonl",
        "{\"id\": \"a1\", \"passage\": 0, \"title\": \"Le fleuve\", \"text\": \"Le barrage de Kandadji retient le fleuve.\"}\n\
         {\"id\": \"a1\", \"passage\": 1, \"title\": \"Le fleuve\", \"text\": \"La récolte de coton progresse au Mali.\"}\n",
    );
    let run = index.run(&env, &["index", "--jsonl", "p.jsonl"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    for (query, passage) in [("Kandadji", 0), ("coton", 1)] {
        let run = index.run(&env, &["search", query, "--json"]);
        let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
        let hits = json["hits"].as_array().expect("hits");
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        assert_eq!(hits[0]["passage"]["index"], passage, "{query}");
    }
}

#[test]
fn half_the_words_in_no_passage_answer_nothing_as_in_the_embedded_index() {
    use aes_search::SearchOptions;

    let Some(url) = cluster("half_the_words_in_no_passage_answer_nothing_as_in_the_embedded_index")
    else {
        return;
    };
    let index = ClusterIndex::new(&url, "missing");
    let env = TestEnv::new();
    env.write(
        "articles/monnaie.txt",
        article(
            "La monnaie commune",
            "La monnaie commune des trois pays aura sa banque centrale, fruit de leur coopération.",
        ),
    );
    env.write(
        "articles/barrage.txt",
        article("Le barrage de Kandadji", "Le chantier du barrage avance."),
    );
    let (embedded, os) = both_backends(&env, &url, &index, Default::default());
    // (query, whether it has hits): one unknown word of three keeps the partial matches; of
    // two, or two of three, it leaves nothing; stop words do not count; a question keeps them;
    // a typo that changes the stem ("coopératon") is found by its one-edit spellings.
    let table = [
        ("barrage coopératon", true),
        ("monnaie commune zzyzx", true),
        ("monnaie zzyzx", false),
        ("la monnaie de zzyzx", false),
        ("monnaie zzyzx qwxvk", false),
        ("zzyzx", false),
        ("\"banque centrale\" zzyzx", false),
        ("pourquoi la monnaie zzyzx", true),
    ];
    for (query, found) in table {
        for (backend, outcome) in [
            (
                "embedded",
                embedded.search_with_notices(query, &SearchOptions::default()),
            ),
            (
                "cluster",
                os.search_with_notices(query, &SearchOptions::default()),
            ),
        ] {
            let outcome = outcome.expect("search");
            assert_eq!(!outcome.hits.is_empty(), found, "{backend}: {query}");
            let said = outcome
                .notices
                .iter()
                .any(|n| n.contains("no passage holds \"zzyzx\""));
            assert_eq!(said, !found, "{backend}: {query}: {:?}", outcome.notices);
        }
    }
}

/// `serve --opensearch`: the server's sync feeds the cluster, then the page's API answers from
/// it, an article is cleaned again from the corpus, and what the cluster cannot answer is a
/// JSON error.
#[cfg(feature = "server")]
#[test]
fn serve_answers_from_the_cluster() {
    use common::http::{serve, TOKEN};
    let Some(url) = cluster("serve_answers_from_the_cluster") else {
        return;
    };
    let index = ClusterIndex::new(&url, "serve");
    let env = TestEnv::new();
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let cluster_args = ["--opensearch", &url, "--opensearch-index", &index.name];
    let mut args = vec!["--corpus", corpus, "--admin-token", TOKEN, "--shards", "1"];
    args.extend(cluster_args);
    let server = serve(&env, &args);
    // No index on the cluster yet: a clear answer, not a 500.
    server
        .get("/api/search?q=monnaie")
        .assert_error(502, "cluster_unavailable");
    server
        .request("POST", "/api/sync", &[], b"")
        .assert_error(401, "unauthorized");
    server.sync_and_wait();

    let doc = server.search("q=monnaie%20commune");
    assert_best_is_the_common_currency(&doc);
    assert!(doc["total"].as_u64() > Some(0), "{doc}");
    assert!(!doc.to_string().contains(corpus), "a path in {doc}");
    let page = server.get("/?q=monnaie%20commune");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<mark>monnaie</mark>"), "{}", page.body);

    let stats = server.get("/api/stats").json();
    assert_eq!(stats["articles"], 2, "{stats}");
    let cluster = aes_search::opensearch::OpenSearch::connect(&url, &index.name).expect("cluster");
    let passages = cluster.num_passages().expect("a count");
    assert!(passages > 2);
    assert_eq!(stats["passages"], passages, "{stats}");
    assert_eq!(stats["last_sync"]["report"]["added"], 2, "{stats}");

    let id = doc["hits"][0]["article"]["id"].as_str().expect("an id");
    let view = server.get(&format!("/api/articles/{id}")).json();
    assert!(view["paragraphs"].as_array().is_some_and(|p| !p.is_empty()));
    assert!(
        view["dropped"].as_array().is_some_and(|d| !d.is_empty()),
        "{view}"
    );
    assert_eq!(view.get("notice"), None);
    assert!(!view.to_string().contains(corpus), "a path in {view}");
    for target in [
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/articles/%2Fetc%2Fpasswd",
    ] {
        server.get(target).assert_error(404, "not_found");
    }

    // A server whose corpus is elsewhere shows the passages the cluster holds, and says so.
    let mut args = vec!["--corpus", "articles"];
    args.extend(cluster_args);
    let elsewhere = serve(&env, &args);
    let view = elsewhere.get(&format!("/api/articles/{id}")).json();
    assert_eq!(view["dropped"], serde_json::json!([]), "{view}");
    assert!(view["paragraphs"].as_array().is_some_and(|p| !p.is_empty()));
    assert!(view["notice"]
        .as_str()
        .is_some_and(|n| n.contains("cannot be read")));
    elsewhere
        .request(
            "POST",
            "/api/sync",
            &[&format!("Authorization: Bearer {TOKEN}")],
            b"",
        )
        .assert_error(403, "read_only");
}

/// What the cluster cannot reproduce, shown side by side with the embedded index on the same
/// files, as README's "What does not carry over" lists it: NFKC (no analysis-icu on Maven
/// Central), derived words, the "showing results for" correction, and near-duplicates folded
/// into one hit.
#[test]
fn what_does_not_carry_over_to_the_cluster_is_as_the_readme_says() {
    use aes_search::{SearchOptions, SearchOutcome};

    let Some(url) = cluster("what_does_not_carry_over_to_the_cluster_is_as_the_readme_says") else {
        return;
    };
    let index = ClusterIndex::new(&url, "differences");
    let env = TestEnv::new();
    let story = "Les ministres des Finances des trois pays se sont réunis mardi pour arrêter le \
                 calendrier de la future banque confédérale d'investissement, dont le capital \
                 sera apporté à parts égales.\n\nLes premiers financements iront aux routes \
                 transfrontalières et aux centrales solaires, selon le communiqué final.";
    env.write(
        "articles/banque-a.txt",
        format!("Le calendrier de la banque arrêté\n\n{story}\n\nSahel Matin\n"),
    );
    env.write(
        "articles/banque-b.txt",
        format!("La banque fixe son calendrier\n\nPar notre correspondant\n\n{story}\n\nLe Courrier du Fleuve\n"),
    );
    env.write(
        "articles/patrouilles.txt",
        article(
            "Les patrouilles reprennent",
            "La sécurité des routes du nord reste fragile malgré les patrouilles.",
        ),
    );
    env.write(
        "articles/archives.txt",
        article(
            "Un fonds d'archives",
            "Le musée ouvre un fonds consacré à l'𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞 des royaumes du fleuve.",
        ),
    );
    let (embedded, os) = both_backends(&env, &url, &index, Default::default());
    let both = |query: &str| -> [SearchOutcome; 2] {
        let options = SearchOptions::default();
        [
            embedded
                .search_with_notices(query, &options)
                .expect("embedded"),
            os.search_with_notices(query, &options).expect("cluster"),
        ]
    };
    let files = |o: &SearchOutcome| -> Vec<String> {
        let mut f: Vec<String> = o.hits.iter().map(|h| h.article.path.clone()).collect();
        f.sort();
        f.dedup();
        f
    };

    // NFKC: mathematical letters are letters to the embedded analyzer only.
    let [here, there] = both("histoire");
    assert_eq!(here.hits.len(), 1, "embedded: {:?}", files(&here));
    assert!(there.hits.is_empty(), "cluster: {:?}", files(&there));

    // Derived words: the family is looked up in the embedded index's dictionary.
    let [here, there] = both("sécuritaire");
    assert!(
        files(&here)[0].ends_with("patrouilles.txt"),
        "{:?}",
        files(&here)
    );
    assert!(there.hits.is_empty(), "cluster: {:?}", files(&there));

    // A typo is matched on both, but only the embedded index says what it searched instead.
    let [here, there] = both("patrouiles");
    assert!(!here.corrections.is_empty() && !there.hits.is_empty());
    assert!(there.corrections.is_empty(), "{:?}", there.corrections);

    // The same story from two outlets: one hit listing the other, or two hits.
    let [here, there] = both("banque confédérale d'investissement");
    assert_eq!(files(&here).len(), 1, "embedded: {:?}", files(&here));
    assert_eq!(here.hits[0].also_in.len(), 1);
    assert_eq!(files(&there).len(), 2, "cluster: {:?}", files(&there));
    assert!(there.hits.iter().all(|h| h.also_in.is_empty()));
}

/// The files under `articles/` of `env`, synced into an embedded index and into `index` on the
/// cluster at `url`: the same files on both backends, for tests that compare them.
fn both_backends(
    env: &TestEnv,
    url: &str,
    index: &ClusterIndex,
    layout: aes_search::opensearch::Layout,
) -> (aes_search::Engine, aes_search::opensearch::OpenSearch) {
    use aes_search::SyncOptions;
    let corpus = env.path("articles");
    let embedded = aes_search::Engine::open_or_create(env.path("index")).expect("embedded index");
    embedded
        .sync_folders(&[&corpus], &SyncOptions::default())
        .expect("embedded sync");
    let os = aes_search::opensearch::OpenSearch::connect(url, &index.name)
        .expect("the test cluster answers")
        .with_layout(layout);
    os.sync_folders(&[&corpus], &SyncOptions::default())
        .expect("cluster sync");
    (embedded, os)
}
