//! Ranking and the query language (issue 7), on a small corpus of four articles written for it
//! (tests/fixtures/search), through the library and the real binary.

use std::path::Path;
use std::process::Command;

use aes_search::{Engine, Hit, SearchOptions, SyncOptions};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search");

fn engine() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = Engine::open_or_create(dir.path().join("index")).expect("index");
    engine
        .sync_folders(&[FIXTURES], &SyncOptions::default())
        .expect("sync");
    (dir, engine)
}

fn search(engine: &Engine, query: &str) -> Vec<Hit> {
    engine
        .search(query, &SearchOptions::default())
        .unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn file(hit: &Hit) -> &str {
    Path::new(&hit.article.path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
}

#[test]
fn close_words_rank_above_scattered_ones_and_the_exact_phrase_above_both() {
    let (_dir, engine) = engine();
    let hits = search(&engine, "monnaie commune");
    assert!(
        hits[0].passage.text.contains("monnaie commune"),
        "{:?}",
        hits[0].passage.text
    );
    let scattered = hits
        .iter()
        .position(|h| file(h) == "dispersion.txt")
        .expect("scattered passage found");
    assert!(scattered > 0);
    // The passage with both words comes before the ones with only one of them.
    let with_both = hits.iter().take_while(|h| {
        let t = h.passage.text.to_lowercase();
        t.contains("monnaie") && t.contains("commune")
    });
    assert!(with_both.count() >= 2);
}

#[test]
fn every_word_present_beats_some_missing_and_half_the_words_unknown_empty_the_list() {
    let (_dir, engine) = engine();
    let hits = search(&engine, "banque centrale");
    assert!(
        hits[0].passage.text.contains("banque centrale"),
        "{:?}",
        hits[0].passage.text
    );
    // (query, whether it has hits): one unknown word of three keeps the partial matches; of
    // two, or two of three, it leaves nothing; a question keeps them.
    let table = [
        ("monnaie commune zzyzx", true),
        ("monnaie zzyzx", false),
        ("monnaie zzyzx qwxvk", false),
        ("zzyzx", false),
        ("pourquoi la monnaie zzyzx", true),
    ];
    for (query, found) in table {
        let outcome = engine
            .search_with_notices(query, &SearchOptions::default())
            .expect("search");
        assert_eq!(!outcome.hits.is_empty(), found, "{query}");
        let said = outcome
            .notices
            .iter()
            .any(|n| n.contains("no passage holds \"zzyzx\""));
        assert_eq!(said, !found, "{query}: {:?}", outcome.notices);
        if found {
            assert!(outcome
                .hits
                .iter()
                .all(|h| h.passage.text.to_lowercase().contains("monnaie")));
        }
    }
}

#[test]
fn at_most_two_passages_per_article_by_default() {
    let (_dir, engine) = engine();
    let table = [
        (2, SearchOptions::default()),
        (
            1,
            SearchOptions {
                limit: 10,
                per_article: 1,
                ..SearchOptions::default()
            },
        ),
    ];
    for (most, options) in table {
        let hits = engine
            .search("sécurité monnaie banque", &options)
            .expect("search");
        let mut counts = std::collections::HashMap::new();
        for h in &hits {
            *counts.entry(h.article.id.clone()).or_insert(0) += 1;
        }
        assert!(counts.values().all(|&n| n <= most), "{counts:?}");
        assert_eq!(
            hits.iter().map(|h| h.rank).collect::<Vec<_>>(),
            (1..=hits.len()).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_query_language_filters_as_documented() {
    let (_dir, engine) = engine();
    // (query, files every hit must come from, a file that must be among the hits)
    let table: &[(&str, &[&str], &str)] = &[
        (
            "\"monnaie commune\"",
            &["monnaie.txt", "sommet.txt"],
            "monnaie.txt",
        ),
        (
            "monnaie -franc",
            &["sommet.txt", "dispersion.txt", "monnaie.txt"],
            "sommet.txt",
        ),
        (
            "passeport OR patrouilles",
            &["sommet.txt", "securite.txt"],
            "securite.txt",
        ),
        ("sahél*", &["sommet.txt", "monnaie.txt"], "sommet.txt"),
        ("title:Ouagadougou", &["dispersion.txt"], "dispersion.txt"),
        ("sécurité source:radio", &["securite.txt"], "securite.txt"),
        (
            "sécurité date:2024",
            &["securite.txt", "dispersion.txt"],
            "securite.txt",
        ),
        (
            "sécurité date:>=2025-01",
            &["sommet.txt", "monnaie.txt"],
            "sommet.txt",
        ),
        (
            "sécurité date:2024-10..2024-12",
            &["securite.txt"],
            "securite.txt",
        ),
    ];
    for (query, allowed, expected) in table {
        let hits = search(&engine, query);
        assert!(
            hits.iter().any(|h| file(h) == *expected),
            "{query}: {expected} missing"
        );
        for h in &hits {
            assert!(
                allowed.contains(&file(h)),
                "{query}: {} not allowed",
                h.article.path
            );
        }
    }
    // -franc removes the passage that says "franc CFA".
    assert!(search(&engine, "monnaie -franc")
        .iter()
        .all(|h| !h.passage.text.contains("franc")));
}

#[test]
fn a_typo_is_forgiven_and_said() {
    let (_dir, engine) = engine();
    // (typed, corrected, file of the first hit)
    let table = [
        ("Goyta", "Goïta", "securite.txt"),
        // The first two letters swapped: not the same first letter, still one edit.
        ("aptrouilles", "patrouilles", "securite.txt"),
        // A letter left out where the stemmer would strip an ending: far on the stem
        // ("cooperaton" against "cooper"), one edit on the word.
        ("coopératon", "coopération", "sommet.txt"),
    ];
    for (typed, corrected, expected) in table {
        let outcome = engine
            .search_with_notices(typed, &SearchOptions::default())
            .expect("search");
        let first = outcome
            .hits
            .first()
            .unwrap_or_else(|| panic!("{typed}: no hit"));
        assert_eq!(file(first), expected, "{typed}");
        assert_eq!(
            outcome.corrections,
            [aes_search::Correction {
                from: typed.to_string(),
                to: corrected.to_string()
            }],
            "{typed}"
        );
        let (s, e) = first.passage.highlights[0];
        assert_eq!(&first.passage.text[s..e], corrected, "{typed}");
    }
}

#[test]
fn a_word_found_only_in_dropped_furniture_is_not_corrected_into_an_articles_word() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("corpus");
    let label = "Contenu sponsorisé";
    let articles = [
        (
            "tournoi.txt",
            "Le tournoi de Ouagadougou trouve un sponsor",
            "Le tournoi de football de Ouagadougou a trouvé un sponsor principal pour sa \
             prochaine édition, a annoncé la fédération lundi.",
        ),
        (
            "pluies.txt",
            "La saison des pluies arrive au Niger",
            "Les agriculteurs du Niger se préparent à la saison des pluies, qui devrait \
             commencer plus tôt cette année selon les services météorologiques.",
        ),
    ];
    for (name, title, body) in articles {
        let text = format!("{title}\n\n{label}\n\n{body}\n");
        std::fs::write(corpus.join(name), text).expect("write");
    }
    let engine = Engine::open_or_create(dir.path().join("index")).expect("index");
    engine
        .sync_folders(&[&corpus], &SyncOptions::default())
        .expect("sync");
    // The label is furniture, so no passage holds "sponsorisé"; within two edits of "sponsor",
    // a typo would be corrected to it (as the test above shows for others).
    let outcome = engine
        .search_with_notices("sponsorisé", &SearchOptions::default())
        .expect("search");
    assert!(outcome.hits.is_empty(), "{:?}", outcome.hits);
    assert!(outcome.corrections.is_empty(), "{:?}", outcome.corrections);
    assert!(
        outcome.notices.iter().any(|n| n.contains("sponsorisé")),
        "{:?}",
        outcome.notices
    );
    // A typo of the article's word is still forgiven.
    let typo = engine
        .search_with_notices("spomsor", &SearchOptions::default())
        .expect("search");
    assert_eq!(typo.hits.first().map(file), Some("tournoi.txt"));
}

#[test]
fn a_derived_word_finds_its_family_below_the_word_itself() {
    let (_dir, engine) = engine();
    // (typed, the family's word highlighted in a hit, the word as typed that ranks first)
    let table = [
        // The fixtures say "sécurité" only: the adjective finds the noun.
        ("sécuritaire", "sécurité", None),
        // "confédérale" is the word as typed; "Confédération" is of its family, below it.
        ("confédéral", "Confédération", Some("confédérale")),
    ];
    for (typed, family, first) in table {
        let hits = search(&engine, typed);
        let highlighted = |h: &Hit| -> Vec<String> {
            let t = &h.passage.text;
            h.passage
                .highlights
                .iter()
                .map(|&(s, e)| t[s..e].to_string())
                .collect()
        };
        let at = hits
            .iter()
            .position(|h| highlighted(h).iter().any(|w| w == family))
            .unwrap_or_else(|| panic!("{typed}: no hit with {family} highlighted"));
        if let Some(word) = first {
            assert!(highlighted(&hits[0]).iter().any(|w| w == word), "{typed}");
            assert!(at > 0, "{typed}: the family ranks below the word as typed");
        }
    }
}

#[test]
fn syntax_errors_fall_back_to_words_with_a_notice() {
    let (_dir, engine) = engine();
    for query in [
        "\"monnaie commune",
        "monnaie banque:centrale",
        "((monnaie",
        "monnaie commune OR",
        "- monnaie",
    ] {
        let outcome = engine
            .search_with_notices(query, &SearchOptions::default())
            .expect(query);
        assert!(!outcome.hits.is_empty(), "{query}");
        assert_eq!(outcome.notices.len(), 1, "{query}: {:?}", outcome.notices);
    }
}

#[test]
fn highlights_cover_stemmed_and_folded_forms_and_snippets_cut_long_passages() {
    let (_dir, engine) = engine();
    let hits = search(&engine, "securites");
    let hit = hits
        .iter()
        .find(|h| file(h) == "securite.txt")
        .expect("hit");
    let words: Vec<&str> = hit
        .passage
        .highlights
        .iter()
        .map(|&(s, e)| &hit.passage.text[s..e])
        .collect();
    assert!(words.contains(&"sécurité"), "{words:?}");
    let long = hits
        .iter()
        .find(|h| h.passage.text.chars().count() > 120)
        .expect("a passage");
    let snippet = long.passage.snippet(80);
    assert!(snippet.text.contains('…'));
    for &(s, e) in &snippet.highlights {
        assert!(
            snippet.text[s..e].to_lowercase().starts_with("s"),
            "{}",
            &snippet.text[s..e]
        );
    }
}

#[test]
fn cli_articles_mode_and_eval() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_aes-search"))
            .args(args)
            .current_dir(dir.path())
            .env("AES_SEARCH_CORPUS", FIXTURES)
            .env("AES_SEARCH_INDEX", dir.path().join("index"))
            .output()
            .expect("run")
    };
    let out = run(&["search", "sécurité", "--articles"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let files: Vec<&str> = text.lines().filter(|l| l.contains(".txt")).collect();
    let unique: std::collections::HashSet<_> = files.iter().collect();
    assert_eq!(files.len(), unique.len(), "one line per article: {text}");

    // eval: ids of --jsonl passages are the article ids.
    let passages = dir.path().join("p.jsonl");
    std::fs::write(&passages, "{\"id\": \"a\", \"title\": \"Monnaie\", \"text\": \"La monnaie commune du Sahel.\"}\n{\"id\": \"b\", \"title\": \"Armée\", \"text\": \"Les armées patrouillent.\"}\n").expect("write");
    let queries = dir.path().join("q.jsonl");
    std::fs::write(&queries, "{\"qid\": \"1\", \"query\": \"monnaie\", \"relevant\": [\"a\"]}\n{\"qid\": \"2\", \"query\": \"armée\", \"relevant\": [\"a\"]}\n").expect("write");
    let idx = dir.path().join("evalidx");
    let idx = idx.to_str().expect("utf-8");
    assert!(run(&[
        "index",
        "--index",
        idx,
        "--jsonl",
        passages.to_str().expect("utf-8")
    ])
    .status
    .success());
    let run_file = dir.path().join("aes.run");
    let out = run(&[
        "eval",
        "--index",
        idx,
        queries.to_str().expect("utf-8"),
        "--json",
        "--run",
        run_file.to_str().expect("utf-8"),
    ]);
    let figures: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(figures["queries"], 2);
    assert_eq!(figures["mrr@10"], 0.5);
    assert_eq!(figures["recall@10"], 0.5);
    let trec = std::fs::read_to_string(run_file).expect("run file");
    assert!(
        trec.lines()
            .next()
            .is_some_and(|l| l.starts_with("1 Q0 a 1 ")),
        "{trec}"
    );
}

#[test]
fn the_exact_phrase_ranks_above_close_words_which_rank_above_scattered_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("corpus");
    let filler =
        "Les délégations ont longuement parlé des routes, des marchés et des écoles de la région.";
    let articles = [
        (
            "scattered.txt",
            format!(
                "La commune a reçu les ministres. {filler} Plus tard, la monnaie a été évoquée."
            ),
        ),
        (
            "close.txt",
            format!("Ils veulent une monnaie sahélienne commune. {filler}"),
        ),
        (
            "exact.txt",
            format!("Ils veulent une monnaie commune. {filler}"),
        ),
    ];
    for (name, text) in &articles {
        std::fs::write(
            corpus.join(name),
            format!("Réunion régionale des ministres\n\n{text}\n"),
        )
        .expect("write");
    }
    let engine = Engine::open_or_create(dir.path().join("index")).expect("index");
    engine
        .sync_folders(&[&corpus], &SyncOptions::default())
        .expect("sync");
    let hits = search(&engine, "monnaie commune");
    let order: Vec<&str> = hits.iter().map(file).collect();
    assert_eq!(order, ["exact.txt", "close.txt", "scattered.txt"]);
}

#[test]
fn a_number_typed_with_a_space_finds_it_written_either_way() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("corpus");
    std::fs::write(
        corpus.join("a.txt"),
        "Renforts\n\nLa force conjointe compte désormais 5\u{202F}000 soldats.\n",
    )
    .expect("write");
    let engine = Engine::open_or_create(dir.path().join("index")).expect("index");
    engine
        .sync_folders(&[&corpus], &SyncOptions::default())
        .expect("sync");
    for query in ["5 000", "5000", "\"5 000 soldats\""] {
        let hits = search(&engine, query);
        assert_eq!(hits.len(), 1, "{query}");
        let (s, e) = hits[0].passage.highlights[0];
        assert_eq!(&hits[0].passage.text[s..e], "5\u{202F}000", "{query}");
    }
}

/// Words in more than a quarter of the passages ("les") score, but do not make a passage a
/// candidate beside a rarer word: the result is the same as scoring them everywhere, without
/// scoring every passage that holds them.
#[test]
fn a_common_word_beside_a_rare_one_only_adds_to_the_passages_of_the_rare_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lines = Vec::new();
    for i in 0..1_200 {
        let text = match i % 400 {
            0 => "Les Touaregs traversent les dunes avec les caravanes du sel.".to_string(),
            1 => "Un Touareg seul dans le désert.".to_string(),
            n if n % 2 == 0 => format!("Les pluies de la saison {i} arrosent les champs."),
            _ => format!("Un marché numéro {i} ouvre au village."),
        };
        lines.push(format!(
            r#"{{"id": "p{i}", "title": "", "text": "{text}"}}"#
        ));
    }
    let passages = dir.path().join("passages.jsonl");
    std::fs::write(&passages, lines.join("\n")).expect("write passages");
    let engine = Engine::open_or_create(dir.path().join("index")).expect("index");
    engine
        .sync(
            &[aes_search::Source::Jsonl(passages)],
            &SyncOptions::default(),
        )
        .expect("sync");
    let hits = search(&engine, "les touaregs");
    assert_eq!(hits.len(), 6, "{hits:#?}");
    assert!(hits
        .iter()
        .all(|h| h.passage.text.to_lowercase().contains("touareg")));
    // The passages with both words first, as with any coordination.
    assert!(hits[..3]
        .iter()
        .all(|h| h.passage.text.contains("Les Touaregs")));
    // Alone, the common word still finds its passages; beside a word found nowhere, it is half
    // of a query that nothing answers; a third word found nowhere leaves the others' ranking.
    let hits = search(&engine, "les");
    assert_eq!(hits.len(), 10);
    assert!(hits
        .iter()
        .all(|h| h.passage.text.to_lowercase().contains("les ")));
    assert!(search(&engine, "les zzyzxq").is_empty());
    let hits = search(&engine, "les touaregs zzyzxq");
    assert_eq!(hits.len(), 6, "{hits:#?}");
    assert!(hits[..3]
        .iter()
        .all(|h| h.passage.text.contains("Les Touaregs")));
}

/// The same dispatch from two outlets, with their own headline, byline and last line, is one hit
/// that names the other outlet; another story on the same subject stays apart.
#[test]
fn a_story_republished_by_another_outlet_is_one_hit_listing_the_other() {
    let body = "Les ministres des Finances de la Confédération des États du Sahel se sont réunis \
                mardi à Niamey pour arrêter le calendrier de la future banque confédérale \
                d'investissement. Le capital initial, fixé à cinq cents milliards de francs CFA, \
                sera apporté à parts égales par le Mali, le Burkina Faso et le Niger.\n\n\
                Selon le communiqué final, les premiers financements iront aux routes \
                transfrontalières et aux centrales solaires, deux priorités du plan adopté \
                l'an dernier par les chefs d'État à Bamako.";
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).expect("mkdir");
    let write = |name: &str, text: String| std::fs::write(corpus.join(name), text).expect("write");
    write(
        "a.txt",
        format!("Banque de l'AES : le calendrier arrêté à Niamey\n\n{body}\n\nSahel Matin"),
    );
    write(
        "b.txt",
        format!("L'AES fixe le calendrier de sa banque\n\nPar notre correspondant\n\n{body}\n\nLe Courrier du Sahel"),
    );
    write(
        "c.txt",
        "La banque de l'AES attendra\n\nÀ Ouagadougou, des économistes doutent que la banque \
         confédérale d'investissement voie le jour avant plusieurs années, faute d'un capital \
         réellement versé par les trois États et d'un accord sur son siège, que Bamako et \
         Niamey se disputent encore."
            .to_string(),
    );
    let engine = Engine::open_or_create(dir.path().join("index")).expect("index");
    engine
        .sync_folders(&[&corpus], &SyncOptions::default())
        .expect("sync");
    let hits = search(&engine, "banque confédérale d'investissement");
    let files: std::collections::BTreeSet<&str> = hits.iter().map(file).collect();
    assert_eq!(
        files
            .iter()
            .filter(|f| ["a.txt", "b.txt"].contains(f))
            .count(),
        1,
        "{files:?}"
    );
    assert!(files.contains(&"c.txt"), "{files:?}");
    let shown = hits.iter().find(|h| file(h) != "c.txt").expect("the story");
    let copies: Vec<&str> = shown.also_in.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert!(
        copies[0].ends_with(".txt") && !copies[0].ends_with(file(shown)),
        "{copies:?}"
    );
    assert!(hits
        .iter()
        .find(|h| file(h) == "c.txt")
        .is_some_and(|h| h.also_in.is_empty()));
}

/// "quand …" asks for a date: of two passages that say the same about the subject, the one that
/// carries a date comes first, whichever order the index gives them.
#[test]
fn a_when_question_puts_the_passage_with_a_date_first() {
    for (first, second) in [("a", "b"), ("b", "a")] {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).expect("mkdir");
        let dated = "La sortie du Niger de la CEDEAO est devenue effective le 29 janvier 2025, \
                     selon le communiqué publié par les autorités de Niamey après le sommet.";
        let undated = "La sortie du Niger de la CEDEAO est devenue effective, selon le communiqué \
                       publié par les autorités de Niamey après le sommet des chefs d'État.";
        std::fs::write(
            corpus.join(format!("{first}.txt")),
            format!("Le retrait\n\n{dated}"),
        )
        .expect("write");
        std::fs::write(
            corpus.join(format!("{second}.txt")),
            format!("La sortie\n\n{undated}"),
        )
        .expect("write");
        let engine = Engine::open_or_create(dir.path().join("index")).expect("index");
        engine
            .sync_folders(&[&corpus], &SyncOptions::default())
            .expect("sync");
        let hits = search(
            &engine,
            "quand la sortie du Niger de la CEDEAO est-elle effective",
        );
        assert!(
            hits[0].passage.text.contains("2025"),
            "{:?}",
            hits[0].passage.text
        );
    }
}

#[test]
fn cli_sorts_by_date_filters_by_dates_and_counts_facets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_aes-search"))
            .args(args)
            .current_dir(dir.path())
            .env("AES_SEARCH_CORPUS", FIXTURES)
            .env("AES_SEARCH_INDEX", dir.path().join("index"))
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_slice(&run(args).stdout).expect("json")
    };
    let dates = |doc: &serde_json::Value| -> Vec<String> {
        doc["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["article"]["date"].as_str().unwrap_or("").to_string())
            .collect()
    };
    // Four articles mention the currency, dated 2024-09 to 2025-07.
    let newest = dates(&json(&["search", "monnaie", "--sort", "date", "--json"]));
    assert!(newest.len() >= 3, "{newest:?}");
    // A question favours the passages that answer it, but not over the dates' order.
    let asked = dates(&json(&[
        "search",
        "quand la monnaie",
        "--sort",
        "date",
        "--json",
    ]));
    for got in [&newest, &asked] {
        let mut sorted = got.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(*got, sorted, "newest first");
    }

    // (flags, every hit's date within [from, before))
    let table: [(&[&str], &str, &str); 3] = [
        (&["--since", "2025"], "2025", "9"),
        (&["--until", "2024"], "0", "2025"),
        (
            &["--since", "2024-10", "--until", "2025-03"],
            "2024-10",
            "2025-04",
        ),
    ];
    for (flags, from, before) in table {
        let mut args = vec!["search", "monnaie", "--json"];
        args.extend_from_slice(flags);
        let got = dates(&json(&args));
        let within = |d: &String| (from..before).contains(&d.as_str());
        assert!(
            !got.is_empty() && got.iter().all(within),
            "{flags:?}: {got:?}"
        );
    }

    let doc = json(&["search", "monnaie", "--facets", "--json"]);
    let facets = &doc["facets"];
    let months: u64 = facets["months"]
        .as_array()
        .expect("months")
        .iter()
        .map(|m| m["count"].as_u64().expect("count"))
        .sum();
    assert!(
        facets["total"].as_u64().expect("total") >= months && months >= 3,
        "{facets}"
    );
    let text =
        String::from_utf8_lossy(&run(&["search", "monnaie", "--facets"]).stdout).into_owned();
    assert!(
        text.contains("matching passages") && text.contains("by month:"),
        "{text}"
    );
    assert!(json(&["search", "monnaie", "--json"])
        .get("facets")
        .is_none());
}
