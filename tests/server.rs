//! `aes-search serve`: the real binary on an ephemeral port, asked over plain HTTP as a browser
//! or a program would. Needs the `server` feature (`cargo test --features server`).

mod common;

use std::time::Duration;

use common::http::{eventually, within, Server, TOKEN};
use common::TestEnv;
use serde_json::Value;

/// Articles written for these tests: two sources, three months, furniture to drop, and markup
/// that must come back escaped.
const ARTICLES: &[(&str, &str)] = &[
    (
        "articles/sommet.txt",
        "Le Mali accueille le sommet de l’AES\n12 mars 2025\n\n\
         Suivez Le Journal du Sahel sur Telegram\n\n\
         À l’horizon : la création d’une monnaie sahélienne commune, un projet qui vise \
         l’autonomie économique des trois pays membres de la Confédération.\n\n\
         Les ministres des finances se retrouveront à Bamako pour préparer le calendrier de \
         cette réforme.\n\n\
         © Le Journal du Sahel 2025 – Tous droits réservés\n",
    ),
    (
        "articles/marches.txt",
        "Les marchés de Niamey face à la hausse des prix\n4 juin 2024\n\n\
         Les commerçants de Niamey constatent une hausse du prix du riz et du mil. La \
         monnaie revient dans les discussions des associations de la commune.\n\n\
         © Niger Matin 2024 – Tous droits réservés\n",
    ),
    (
        "articles/balises.txt",
        "Une alerte <script>alert(\"titre\")</script> au marché du sésame\n5 juin 2024\n\n\
         Le texte contient une balise <script>alert(\"x\")</script> et une image \
         <img src=x onerror=alert(1)> glissées dans une phrase sur le marché du sésame.\n\n\
         © Niger Matin 2024 – Tous droits réservés\n",
    ),
];

/// An article added by the tests that change the corpus.
const KARITE: &str = "Un forum sur le karité à Ouagadougou\n2 avril 2025\n\n\
    Les productrices de karité du Burkina Faso ont tenu un forum sur les prix à l’export.\n";

/// The environment with the test articles.
fn env() -> TestEnv {
    let env = TestEnv::new();
    for (path, text) in ARTICLES {
        env.write(path, text);
    }
    env
}

/// Starts the server over the test index and corpus, and reads the address it prints.
fn serve(env: &TestEnv, extra: &[&str]) -> Server {
    let mut args = vec!["--corpus", "articles", "--index", "index"];
    args.extend_from_slice(extra);
    common::http::serve(env, &args)
}

fn first_id(server: &Server, q: &str) -> String {
    server.search(&format!("q={q}"))["hits"][0]["article"]["id"]
        .as_str()
        .expect("an id")
        .to_string()
}

#[test]
fn search_answers_the_hit_schema_of_json_with_total_and_facets() {
    let env = env();
    let server = serve(&env, &[]);
    let doc = server.search("q=monnaie%20commune");
    let first = &doc["hits"][0];
    let text = first["passage"]["text"].as_str().expect("text");
    assert!(text.contains("monnaie sahélienne commune"), "{text}");
    let marked: Vec<&str> = first["passage"]["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|h| {
            let (a, b) = (
                h[0].as_u64().unwrap() as usize,
                h[1].as_u64().unwrap() as usize,
            );
            &text[a..b]
        })
        .collect();
    assert!(
        marked.contains(&"monnaie") && marked.contains(&"commune"),
        "{marked:?}"
    );
    assert_eq!(doc["total"], 2, "{doc}");
    let values = |facet: &str| -> Vec<String> {
        doc["facets"][facet]
            .as_array()
            .expect("facet")
            .iter()
            .map(|c| c["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(values("months"), ["2024-06", "2025-03"]);
    assert_eq!(values("sources").len(), 2, "{doc}");

    // The same hits, in the same schema, as `aes-search search --json`, less the file path.
    let cli = env.search_json("monnaie commune");
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    };
    let cli_hit = &cli["hits"][0];
    assert_eq!(keys(first), keys(cli_hit));
    assert_eq!(keys(&first["passage"]), keys(&cli_hit["passage"]));
    let mut cli_article = keys(&cli_hit["article"]);
    cli_article.retain(|k| k != "path");
    assert_eq!(keys(&first["article"]), cli_article);
    let ids = |v: &Value| -> Vec<Value> {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["article"]["id"].clone())
            .collect()
    };
    assert_eq!(ids(&doc), ids(&cli));
}

#[test]
fn filters_order_and_pages() {
    let env = env();
    let server = serve(&env, &[]);
    let sources = |doc: &Value| -> Vec<String> {
        doc["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["article"]["source"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let only = server.search("q=march%C3%A9&source=Niger%20Matin");
    let found = sources(&only);
    assert!(
        !found.is_empty() && found.iter().all(|s| s == "Niger Matin"),
        "{only}"
    );
    let recent = server.search("q=monnaie&since=2025");
    assert_eq!(recent["total"], 1, "{recent}");
    let old = server.search("q=monnaie&until=2024-06");
    assert_eq!(old["hits"][0]["article"]["date"], "2024-06-04", "{old}");
    let newest = server.search("q=march%C3%A9%20OR%20monnaie&sort=date&per_article=1");
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["article"]["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2025-03-12", "2024-06-05", "2024-06-04"],
        "{newest}"
    );
    let page2 = server.search("q=march%C3%A9%20OR%20monnaie&sort=date&per_article=1&offset=1");
    assert_eq!(page2["hits"][0]["rank"], 2);
    assert_eq!(page2["hits"][0]["article"]["date"], "2024-06-05");
}

#[test]
fn errors_are_json_with_their_status_and_a_bad_query_is_never_a_500() {
    let env = env();
    let server = serve(&env, &[]);
    server
        .get("/api/search?q=")
        .assert_error(400, "empty_query");
    server.get("/api/search").assert_error(400, "empty_query");
    let long = "a%20".repeat(1_100);
    server
        .get(&format!("/api/search?q={long}"))
        .assert_error(400, "query_too_long");
    for bad in [
        "limit=abc",
        "limit=0",
        "limit=100000",
        "offset=-1",
        "sort=random",
    ] {
        server
            .get(&format!("/api/search?q=mali&{bad}"))
            .assert_error(400, "bad_request");
    }
    server
        .get("/api/nothing-here")
        .assert_error(404, "not_found");
    for q in [
        "%22",
        "-",
        "OR",
        "date%3Axx",
        "(((",
        "*",
        "%00",
        "source%3A",
        "title%3A%22",
        "%F0%9F%98%80",
        "-mali",
        "a%20OR%20OR%20b",
        "%C3%A9*",
    ] {
        let answer = server.get(&format!("/api/search?q={q}"));
        assert!(
            answer.status == 200 || answer.status == 400,
            "{q}: {} {}",
            answer.status,
            answer.body
        );
        answer.json();
    }
    let notice = server.search("q=mali&since=juillet");
    assert!(
        notice["notices"][0].as_str().unwrap().contains("juillet"),
        "{notice}"
    );
}

#[test]
fn health_and_stats() {
    let env = env();
    let server = serve(&env, &[]);
    assert_eq!(server.get("/api/health").json()["status"], "ok");
    let stats = server.get("/api/stats").json();
    assert_eq!(stats["articles"], 3, "{stats}");
    assert!(stats["passages"].as_u64().unwrap() >= 3, "{stats}");
    let openapi = server.get("/api/openapi.json").json();
    assert_eq!(openapi["openapi"], "3.0.3");
}

#[test]
fn sync_is_refused_without_the_token_and_runs_with_it() {
    let env = env();
    let read_only = serve(&env, &[]);
    read_only
        .request("POST", "/api/sync", &[], b"")
        .assert_error(403, "read_only");
    read_only.get("/api/sync").assert_error(403, "read_only");
    drop(read_only);

    let server = serve(&env, &["--admin-token", TOKEN]);
    let bearer = format!("Authorization: Bearer {TOKEN}");
    server
        .request("POST", "/api/sync", &[], b"")
        .assert_error(401, "unauthorized");
    server
        .request(
            "POST",
            "/api/sync",
            &["Authorization: Bearer jeton-de-test-124"],
            b"",
        )
        .assert_error(401, "unauthorized");
    server
        .request("POST", "/api/sync", &[&bearer], &vec![b'x'; 100_000])
        .assert_error(413, "too_large");
    // Counted before the sync, the facets (and their total) are counted again after it.
    assert_eq!(server.search("q=karit%C3%A9")["total"], 0);
    env.write("articles/nouveau.txt", KARITE);
    server.sync_and_wait();
    assert_eq!(server.search("q=karit%C3%A9")["total"], 1);
    let stats = server.get("/api/stats").json();
    assert_eq!(stats["last_sync"]["report"]["added"], 1, "{stats}");
}

#[test]
fn an_article_shows_its_kept_text_and_its_dropped_lines_with_reasons() {
    let env = env();
    let server = serve(&env, &[]);
    let id = first_id(&server, "monnaie%20commune");
    let view = server.get(&format!("/api/articles/{id}")).json();
    assert_eq!(
        view["article"]["title"],
        "Le Mali accueille le sommet de l’AES"
    );
    assert!(view["paragraphs"][0]
        .as_str()
        .unwrap()
        .contains("monnaie sahélienne"));
    let dropped = view["dropped"].as_array().unwrap();
    let telegram = dropped
        .iter()
        .find(|d| d["text"].as_str().unwrap().contains("Telegram"))
        .unwrap_or_else(|| panic!("{view}"));
    assert_eq!(telegram["reason"], "social-prompt");
    let page = server.get(&format!("/articles/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Lignes écartées"), "{}", page.body);
    assert!(page.body.contains("invitation à suivre ou à partager"));
    server
        .get("/api/articles/0000")
        .assert_error(404, "not_found");
}

#[test]
fn urls_carry_ids_never_paths() {
    let env = env();
    let server = serve(&env, &[]);
    let absolute = env.path("articles/sommet.txt").display().to_string();
    let encoded_absolute = absolute.replace('/', "%2F");
    for target in [
        "/api/articles/..%2F..%2F..%2Fetc%2Fpasswd".to_string(),
        "/api/articles/%2e%2e%2f%2e%2e%2fCargo.toml".to_string(),
        "/api/articles/%2Fetc%2Fpasswd".to_string(),
        format!("/api/articles/{encoded_absolute}"),
        "/api/articles/..%5C..%5Cwindows".to_string(),
        "/api/articles/sommet.txt".to_string(),
        "/api/articles/articles%2Fsommet.txt".to_string(),
        "/api/articles/../../etc/passwd".to_string(),
        "/articles/..%2Farticles%2Fsommet.txt".to_string(),
        format!("/assets/..%2F..%2F{encoded_absolute}"),
    ] {
        let answer = server.get(&target);
        assert_eq!(answer.status, 404, "{target}: {}", answer.body);
        assert!(!answer.body.contains("Telegram"), "{target}");
    }
    // No answer names a path of the server's disk.
    let root = env.root().display().to_string();
    let id = first_id(&server, "monnaie");
    for target in [
        "/api/search?q=monnaie".to_string(),
        format!("/api/articles/{id}"),
        format!("/articles/{id}"),
        "/?q=monnaie".to_string(),
        "/api/stats".to_string(),
    ] {
        let body = server.get(&target).body;
        assert!(
            !body.contains(&root) && !body.contains("sommet.txt"),
            "{target}: {body}"
        );
    }
}

#[test]
fn article_text_is_escaped_everywhere() {
    let env = env();
    let server = serve(&env, &[]);
    let page = server.get("/?q=s%C3%A9same").body;
    let id = first_id(&server, "s%C3%A9same");
    let view = server.get(&format!("/articles/{id}")).body;
    for html in [&page, &view] {
        assert!(html.contains("&lt;script&gt;alert("), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }
    // Scripts come from the server only.
    let answer = server.get("/");
    let csp = answer.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("script-src 'self'"), "{csp}");
}

#[test]
fn the_page_answers_without_javascript() {
    let env = env();
    let server = serve(&env, &[]);
    let page = server.get("/?q=monnaie+commune");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"fr\">"));
    let first = page.body.find("class=\"passage\"").expect("a passage");
    assert!(page.body[first..]
        .starts_with("class=\"passage\">À l’horizon : la création d’une <mark>monnaie</mark> sahélienne <mark>commune</mark>"),
        "{}", &page.body[first..]);
    assert!(page.body.contains("2 passages trouvés"));
    assert!(page.body.contains("data-month=\"2025-03\""));
    assert!(page.body.contains("<label for=\"q\">"));
    let typo = server.get("/?q=monaie").body;
    assert!(
        typo.contains("Résultats pour <strong>monnaie</strong>"),
        "{typo}"
    );
    for asset in ["/assets/app.js", "/assets/app.css"] {
        let answer = server.get(asset);
        assert_eq!(answer.status, 200, "{asset}");
        // No address of another host (the SVG namespace is a name, not a request).
        let body = answer.body.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{asset}"
        );
    }
    let bad = server.get("/?q=mali&limit=x");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("role=\"alert\""));
}

#[test]
fn a_non_loopback_address_needs_public() {
    let env = env();
    let run = env.run(&["serve", "--addr", "0.0.0.0:0", "--corpus", "articles"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("--public"), "{}", run.stderr());
}

#[test]
fn watch_indexes_added_changed_and_removed_files() {
    let env = env();
    let server = serve(&env, &["--watch"]);
    let total = |q: &str| server.search(&format!("q={q}"))["total"].as_u64().unwrap();
    assert_eq!(total("karit%C3%A9"), 0);
    env.write("articles/nouveau.txt", KARITE);
    eventually("an added file is found", || total("karit%C3%A9") == 1);
    env.write(
        "articles/nouveau.txt",
        "Un forum sur le sésame à Ouagadougou\n2 avril 2025\n\n\
         Les productrices de sésame du Burkina Faso ont tenu un forum sur les prix à l’export.\n",
    );
    eventually("a changed file is found as it is now", || {
        total("karit%C3%A9") == 0 && total("productrices") == 1
    });
    env.remove("articles/nouveau.txt");
    eventually("a removed file is gone", || total("productrices") == 0);
}

#[test]
fn watch_keeps_a_change_made_while_another_process_writes() {
    let env = env();
    let server = serve(&env, &["--watch"]);
    let total = |q: &str| server.search(&format!("q={q}"))["total"].as_u64().unwrap();
    let writer = env.hold_writer();
    env.write("articles/nouveau.txt", KARITE);
    // Long enough for the watcher to have tried (and been refused) more than once.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(total("karit%C3%A9"), 0);
    drop(writer);
    eventually("the change made while the writer was held is found", || {
        total("karit%C3%A9") == 1
    });
}

#[test]
fn another_process_s_index_is_seen_without_a_restart() {
    let env = env();
    let server = serve(&env, &[]);
    let total = |q: &str| server.search(&format!("q={q}"))["total"].as_u64().unwrap();
    assert_eq!(total("karit%C3%A9"), 0);
    env.write("articles/nouveau.txt", KARITE);
    env.remove("articles/marches.txt");
    env.index(&["--quiet"]).expect_code(0);
    // Every search meanwhile answers 200 (`search` asserts it), from one committed state or
    // the next: never the new article without the removal.
    within(
        Duration::from_secs(20),
        "the other process's commit is seen",
        || {
            let (added, niamey) = (total("karit%C3%A9"), total("Niamey"));
            assert!(added == 0 || niamey == 0, "a state between two commits");
            added == 1
        },
    );
    assert_eq!(server.get("/api/stats").json()["articles"], 3);
}

#[test]
fn a_sync_while_another_process_writes_is_a_409() {
    let env = env();
    let server = serve(&env, &["--admin-token", TOKEN]);
    let bearer = format!("Authorization: Bearer {TOKEN}");
    let writer = env.hold_writer();
    let refused = server.request("POST", "/api/sync", &[&bearer], b"");
    refused.assert_error(409, "sync_running");
    let message = refused.json()["error"]["message"].to_string();
    assert!(
        message.contains(&format!("another process (pid {})", std::process::id())),
        "{message}"
    );
    assert_eq!(server.search("q=monnaie")["total"], 2);
    drop(writer);
    server.sync_and_wait();
}
