//! Saved web pages as input: `aes-search clean page.html` and an index built from a folder
//! that holds `.html` and `.htm` pages beside text files. The pages are written here, in the
//! shapes news sites use; the real pages of ../shared/data are scored by its own scorer.

mod common;

use common::TestEnv;

const BODY_1: &str = "Les chefs d'Etat de la Confédération se réunissent à Bamako, pour deux \
                      jours, afin de dresser le bilan de la première année de l'alliance.";
const BODY_2: &str = "Le sommet doit aussi trancher la question de la monnaie commune, un \
                      projet qui vise, selon ses promoteurs, l'autonomie économique des pays.";

fn news_page(title: &str, body: &[&str]) -> String {
    let paragraphs: String = body.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html lang=fr><head><meta charset=utf-8>\
         <title>{title} | Le Journal du Sahel</title>\
         <meta property=og:site_name content='Le Journal du Sahel'>\
         <script type=application/ld+json>{{\"@type\":\"NewsArticle\",\
         \"datePublished\":\"2025-05-20T09:00:00+00:00\"}}</script></head>\
         <body><div id=cookie-banner>Nous utilisons des cookies. Tout accepter</div>\
         <nav class=menu><a href=/>Accueil</a> <a href=/eco>Economie</a> \
         <a href=/sport>Sport et loisirs</a></nav>\
         <main><article><h1>{title}</h1><div class=article-body>\n{paragraphs}\
         <div class=newsletter><p>Inscrivez-vous à notre lettre quotidienne, gratuite.</p></div>\
         </div></article>\
         <section class=related-articles><h2>À lire aussi</h2><ul>\
         <li><a href=/x>Un autre sujet sur la sécurité des frontières du Sahel</a></li></ul>\
         </section></main><footer><p>Mentions légales · Contact · Plan du site</p></footer>\
         </body></html>"
    )
}

#[test]
fn clean_shows_a_page_as_it_shows_text() {
    let env = TestEnv::new();
    env.write(
        "articles/sommet.html",
        news_page("Bamako accueille le sommet de l'AES", &[BODY_1, BODY_2]),
    );
    let run = env.run(&["clean", "articles/sommet.html", "--json"]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
    assert_eq!(json["title"], "Bamako accueille le sommet de l'AES");
    assert_eq!(json["date"], "2025-05-20");
    assert_eq!(json["source"], "Le Journal du Sahel");
    assert_eq!(json["paragraphs"], serde_json::json!([BODY_1, BODY_2]));

    let text = env.run(&["clean", "articles/sommet.html"]);
    text.expect_code(0);
    assert!(text
        .stdout()
        .contains("title:  Bamako accueille le sommet de l'AES"));
    assert!(
        text.stdout().contains("2 paragraphs kept"),
        "{}",
        text.stdout()
    );
}

#[test]
fn pages_are_indexed_beside_text_files() {
    let env = TestEnv::new();
    env.write(
        "articles/sommet.html",
        news_page("Bamako accueille le sommet de l'AES", &[BODY_1]),
    );
    env.write(
        "articles/monnaie.HTM",
        news_page("La monnaie commune en débat", &[BODY_2]),
    );
    env.write(
        "articles/note.txt",
        "Note de lecture\n\nUn texte sur la coopération sahélienne et ses institutions communes.",
    );
    env.index(&[]).expect_code(0);

    let json = env.search_json("bilan alliance");
    let hit = &json["hits"][0];
    assert_eq!(hit["article"]["path"], "articles/sommet.html");
    assert_eq!(
        hit["article"]["title"],
        "Bamako accueille le sommet de l'AES"
    );
    assert_eq!(hit["article"]["date"], "2025-05-20");
    assert_eq!(hit["article"]["source"], "Le Journal du Sahel");
    assert!(env
        .hit_files("monnaie commune")
        .contains("articles/monnaie.HTM"));
    assert!(env
        .hit_files("coopération sahélienne")
        .contains("articles/note.txt"));
    // The page around the article is not indexed.
    for chrome in [
        "cookies",
        "loisirs",
        "lettre quotidienne",
        "frontières",
        "Mentions",
    ] {
        assert!(env.hit_files(chrome).is_empty(), "{chrome} was indexed");
    }
}

#[test]
fn a_page_in_windows_1252_without_declaration() {
    let env = TestEnv::new();
    let mut page = b"<html><body><article><h1>Le sommet de Bamako</h1><p>".to_vec();
    page.extend_from_slice(
        b"La s\xE9curit\xE9 de l\x92\xC9tat, priorit\xE9 des pays du Sahel, est au c\x9Cur du sommet.",
    );
    page.extend_from_slice(b"</p></article></body></html>");
    env.write("articles/latin.html", page);
    let run = env.run(&["clean", "articles/latin.html", "--json"]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
    assert_eq!(
        json["paragraphs"][0],
        "La sécurité de l’État, priorité des pays du Sahel, est au cœur du sommet."
    );
}

/// Hostile pages through the real binary: each is read (exit 0, the article's words in the
/// output) or refused with its reason (exit 2), never a panic.
#[test]
fn hostile_pages() {
    let deep = |open: &str, close: &str| {
        format!(
            "<html><body>{}<p>{BODY_1}</p>{}</body></html>",
            open.repeat(100_000),
            close.repeat(100_000)
        )
        .into_bytes()
    };
    let mut latin_declared_utf8 = b"<meta charset=utf-8><article><p>".to_vec();
    latin_declared_utf8
        .extend_from_slice(b"Une r\xE9union \xE0 Bamako, o\xF9 l'on d\xE9bat du bilan.</p>");
    let big_paragraph = format!("<div class=item><p>{BODY_1}</p><a href=#>lien</a></div>");
    let ten_megabytes = format!(
        "<html><body>{}</body></html>",
        big_paragraph.repeat(9 * 1024 * 1024 / big_paragraph.len())
    );
    // (name, page, exit code, words expected on stdout (0) or stderr (2))
    let table: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        (
            "malformed",
            format!("<p>{BODY_1}<div><p>{BODY_2}</span></b></table></html></body><p>x")
                .into_bytes(),
            0,
            "la monnaie commune",
        ),
        (
            "100,000 nested div",
            deep("<div>", "</div>"),
            0,
            "deux jours",
        ),
        ("100,000 nested b", deep("<b>", "</b>"), 0, "deux jours"),
        (
            "100,000 nested table",
            deep("<table><tr><td>", "</td></tr></table>"),
            0,
            "deux jours",
        ),
        ("a 9 MB page", ten_megabytes.into_bytes(), 0, "deux jours"),
        (
            "declares Windows-1252, holds UTF-8",
            format!("<meta charset=windows-1252><article><p>{BODY_2}</p></article>").into_bytes(),
            0,
            "l'autonomie économique",
        ),
        (
            "declares UTF-8, holds Windows-1252",
            latin_declared_utf8,
            0,
            "Une réunion à Bamako",
        ),
        (
            "scripts and a drawing only",
            b"<html><head><script>var a = '<p>texte</p>';</script></head><body>\
              <svg><title>Logo</title><path d='M0 0'/></svg><noscript>Activez JavaScript</noscript>\
              </body></html>"
                .to_vec(),
            2,
            "no article text in the page",
        ),
    ];
    let env = TestEnv::new();
    for (name, page, code, words) in &table {
        env.write("articles/page.html", page);
        let run = env.run(&["clean", "articles/page.html", "--json"]);
        run.expect_code(*code);
        let out = if *code == 0 {
            run.stdout()
        } else {
            run.stderr()
        };
        assert!(out.contains(words), "{name}: {out}");
    }
}
