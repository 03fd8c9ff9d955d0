//! Pages written for these tests: the kinds of markup news sites use, and hostile input.

use super::*;

const PROSE: &str =
    "Les chefs d'Etat de la Confédération se réunissent à Bamako, pour deux jours, \
                     afin de dresser le bilan de la première année de l'alliance.";
const PROSE2: &str = "Le sommet doit aussi trancher la question de la monnaie commune, un projet \
                      qui vise, selon ses promoteurs, l'autonomie économique des trois pays.";

fn page(head: &str, body: &str) -> String {
    format!("<!doctype html><html><head>{head}</head><body>{body}</body></html>")
}

fn article_page() -> String {
    page(
        "<meta charset='utf-8'><title>Sommet de l'AES à Bamako - Le Journal</title>\
         <meta property='og:site_name' content='Le Journal'>\
         <meta property='article:published_time' content='2025-07-06T10:12:00+00:00'>",
        &format!(
            "<header><nav class='main-menu'><ul><li><a href='/'>Accueil</a></li>\
             <li><a href='/politique'>Politique</a></li></ul></nav></header>\
             <div class='page'><article><div class='kicker'>Politique</div>\
             <h1>Sommet de l'AES à Bamako</h1>\
             <p class='chapo'>Trois chefs d'Etat réunis pour un premier bilan, avant l'été.</p>\
             <div class='article-body'><p>{PROSE}</p>\
             <aside class='related'><h3>Lire aussi</h3><ul><li><a href='/a'>Un autre article \
             sur le Sahel et ses enjeux de sécurité</a></li></ul></aside>\
             <h2>Une monnaie commune</h2><p>{PROSE2}</p>\
             <div class='share-buttons'><a href='#'>Partager sur Facebook</a> \
             <a href='#'>Partager sur X</a></div></div></article>\
             <div id='comments'><p>Un commentaire de lecteur, assez long, avec des virgules, \
             des avis, des remarques, et encore des remarques sur le sommet.</p></div></div>\
             <footer><p>© Le Journal 2025, tous droits réservés</p></footer>"
        ),
    )
}

#[test]
fn the_article_and_its_metadata() {
    let p = read(article_page().as_bytes()).expect("a page");
    assert_eq!(p.facts.title.as_deref(), Some("Sommet de l'AES à Bamako"));
    assert_eq!(p.facts.date.as_deref(), Some("2025-07-06"));
    assert_eq!(p.facts.source.as_deref(), Some("Le Journal"));
    assert_eq!(p.headline.as_deref(), Some("Sommet de l'AES à Bamako"));
    let kept: Vec<&str> = p.blocks.iter().map(String::as_str).collect();
    assert_eq!(
        kept,
        [
            "Trois chefs d'Etat réunis pour un premier bilan, avant l'été.",
            PROSE,
            "Une monnaie commune",
            PROSE2
        ]
    );
}

#[test]
fn what_is_left_out() {
    // One row per kind of chrome: the words that must not be among the kept blocks.
    let p = read(article_page().as_bytes()).expect("a page");
    let all = p.blocks.join("\n");
    for absent in [
        "Accueil",
        "Lire aussi",
        "Un autre article",
        "Partager",
        "commentaire",
        "droits",
        "Politique",
    ] {
        assert!(!all.contains(absent), "{absent} in {all}");
    }
}

#[test]
fn metadata_sources_in_their_order() {
    let body = format!("<article><h1>Le titre du jour au Sahel</h1><p>{PROSE}</p></article>");
    // (head, title, date, source)
    type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let table: &[Row] = &[
        // JSON-LD first for the date; og:site_name first for the source.
        (
            "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"datePublished\":\
             \"2024-01-02\",\"publisher\":{\"name\":\"Agence X\"}}</script>\
             <meta property='article:published_time' content='2023-05-05'>",
            Some("Le titre du jour au Sahel"),
            Some("2024-01-02"),
            Some("Agence X"),
        ),
        (
            "<meta property='og:site_name' content='Site A'><meta property='og:title' \
             content='Le titre du jour au Sahel | Site A'>",
            Some("Le titre du jour au Sahel"),
            None,
            Some("Site A"),
        ),
        (
            "<link rel='canonical' href='https://www.exemple.fr/a.html'>\
             <title>Le titre du jour au Sahel – Rubrique – Exemple</title>",
            Some("Le titre du jour au Sahel"),
            None,
            Some("exemple.fr"),
        ),
        // `value` where `content` belongs: read, as nothing else is there.
        (
            "<meta value='Site B' name='og:site_name'>\
             <meta value='2022-03-04T10:00:00+00:00' name='article:published_time'>",
            Some("Le titre du jour au Sahel"),
            Some("2022-03-04"),
            Some("Site B"),
        ),
        (
            "<meta property='og:site_name' content='Site C' value='Site D'>",
            Some("Le titre du jour au Sahel"),
            None,
            Some("Site C"),
        ),
    ];
    for (head, title, date, source) in table {
        let p = read(page(head, &body).as_bytes()).expect("a page");
        assert_eq!(p.facts.title.as_deref(), *title, "{head}");
        assert_eq!(p.facts.date.as_deref(), *date, "{head}");
        assert_eq!(p.facts.source.as_deref(), *source, "{head}");
    }
}

#[test]
fn a_visible_dateline_dates_a_page_without_metadata() {
    // (markup between the headline and the body, date): the dateline, never another
    // article's publication time in a sidebar.
    let table = [
        (
            "<div class='byline'>Jeudi 3 avril 2014 | Mise en ligne à 08h15</div>",
            Some("2014-04-03"),
        ),
        (
            "<p class='info'>Publié le 12/02/2019 à 17h40</p>",
            Some("2019-02-12"),
        ),
        ("", Some("2019-03-01")),
    ];
    for (dateline, date) in table {
        let body = format!(
            "<aside class='sidebar'><time itemprop='datePublished' datetime='2019-03-01'>1 mars\
             </time><a href='/x'>Un autre article du même site</a></aside>\
             <article><h1>Le titre du jour au Sahel</h1>{dateline}<p>{PROSE}</p><p>{PROSE2}</p>\
             </article>"
        );
        let p = read(page("", &body).as_bytes()).expect("a page");
        assert_eq!(p.facts.date.as_deref(), date, "{dateline}");
    }
}

#[test]
fn a_time_element_in_the_article_dates_it() {
    let body = format!(
        "<aside class='sidebar'><time datetime='2019-03-01'>1 mars</time><p>{PROSE2}</p></aside>\
         <article><h1>Le titre du jour au Sahel</h1><time datetime='2017-11-24T18:42'>24 \
         novembre</time><p>{PROSE}</p><p>{PROSE2}</p></article>"
    );
    let p = read(page("", &body).as_bytes()).expect("a page");
    assert_eq!(p.facts.date.as_deref(), Some("2017-11-24"));
}

#[test]
fn cleaned_with_the_facts_of_the_page() {
    let p = read(article_page().as_bytes()).expect("a page");
    let text = p.text();
    let mut cleaned = crate::clean::clean(&text, &crate::clean::NoFurniture);
    p.facts.apply(&text, &mut cleaned);
    assert_eq!(cleaned.title.as_deref(), Some("Sommet de l'AES à Bamako"));
    assert_eq!(cleaned.source.as_deref(), Some("Le Journal"));
    assert!(cleaned.paragraphs.iter().any(|l| l == PROSE));
    assert!(!cleaned
        .paragraphs
        .iter()
        .any(|l| l.contains("Bamako") && l.len() < 30));
}

/// What the region leaves out inside the article's own box, and why: one row per kind of
/// markup, (body markup around the article's two paragraphs, a text that must be left out, a
/// text that must stay, the reason `explain_blocks` gives for the first).
#[test]
fn boxes_and_threads_inside_the_article() {
    type Row<'a> = (&'a str, &'a str, &'a str, &'a str);
    let table: &[Row] = &[
        (
            "<div class='encadre'><h3>À lire également</h3><p><a href='/x'>Le port de \
             Cotonou relance ses travaux</a></p></div><h3>Les douanes s'organisent</h3>",
            "À lire également",
            "Les douanes s'organisent",
            "a box of links and their label inside the region",
        ),
        (
            "<div class='bloc-liens'><div>Sur le même thème</div><ul><li><a href='/a'>La \
             récolte de coton attendue en hausse</a></li><li><a href='/b'>Les prix du \
             riz se stabilisent</a></li></ul></div>",
            "Sur le même thème",
            PROSE2,
            "a box of links and their label inside the region",
        ),
    ];
    for (inside, absent, present, why) in table {
        let html = page(
            "<title>Le sommet de Bamako</title>",
            &format!(
                "<article><h1>Le sommet de Bamako</h1><div class='texte'><p>{PROSE}</p>\
                      {inside}<p>{PROSE2}</p></div></article>"
            ),
        );
        let p = read(html.as_bytes()).expect("a page");
        assert!(
            !p.blocks.iter().any(|b| b == absent),
            "{absent}: {:?}",
            p.blocks
        );
        assert!(
            p.blocks.iter().any(|b| b == present),
            "{present}: {:?}",
            p.blocks
        );
        let blocks = explain_blocks(html.as_bytes()).expect("a page");
        assert!(blocks.contains(&(absent.to_string(), *why)), "{blocks:?}");
    }
}

#[test]
fn a_readers_thread_built_like_the_article_is_not_the_article() {
    // Each reader's post is long prose with commas, in a box whose class says "content" too.
    let comment = "Je ne suis pas d'accord, vraiment pas, avec cette analyse du sommet, qui \
                   oublie les éleveurs, les commerçants, les transporteurs et les autres.";
    let thread: String = (0..6)
        .map(|i| format!("<div class='article_comment_item'><div class='comment_author'>\
                          Lecteur{i}</div><div class='reader-comment-body'><p>{comment}</p><p>{comment}</p>\
                          <p>{comment}</p></div></div>"))
        .collect();
    let html = page(
        "<title>Le sommet de Bamako</title>",
        &format!(
            "<div id='article_content'><h1>Le sommet de Bamako</h1><p>{PROSE}</p>\
                  <p>{PROSE2}</p></div><div class='story-comments'>{thread}</div>"
        ),
    );
    let p = read(html.as_bytes()).expect("a page");
    assert!(p.blocks.iter().any(|b| b == PROSE), "{:?}", p.blocks);
    assert!(!p.blocks.iter().any(|b| b == comment), "{:?}", p.blocks);
}

// Bad input: each must return, without panic, with nothing or little left.

#[test]
fn malformed_markup() {
    let table = [
        format!("<p>{PROSE}<div><p>{PROSE2}</span></b></i></table>"),
        format!("<html><body><p>{PROSE}</html></body><p>{PROSE2}"),
        "<<<>>><!-- unclosed comment <p>texte".to_string(),
        "<table><tr><td><p>a<td>b</tr></table></table></td>".to_string(),
        "\u{0}<p>\u{feff}nul\u{0}</p>".to_string(),
        String::new(),
    ];
    for html in &table {
        let _ = read(html.as_bytes());
    }
    let p = read(table[0].as_bytes()).expect("text");
    assert!(
        p.blocks.iter().any(|b| b.contains("deux jours")),
        "{:?}",
        p.blocks
    );
}

#[test]
fn a_ten_megabyte_page() {
    let paragraph = format!("<div class='item'><p>{PROSE}</p><a href='#'>lien</a></div>");
    let html = page("", &paragraph.repeat(10 * 1024 * 1024 / paragraph.len()));
    assert!(html.len() > 9 * 1024 * 1024);
    let p = read(html.as_bytes()).expect("text");
    assert!(!p.blocks.is_empty());
    assert!(p.blocks.len() <= walk::MAX_BLOCKS);
    // Bounded work: the walk stops reading past its budget of text (plus the block it was in).
    let chars: usize = p.blocks.iter().map(|b| b.chars().count()).sum();
    assert!(chars <= walk::MAX_CHARS + PROSE.len(), "{chars}");
}

#[test]
fn a_hundred_thousand_nested_elements() {
    for (open, close) in [
        ("<div>", "</div>"),
        ("<span>", "</span>"),
        ("<b>", "</b>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<svg><g>", "</g></svg>"),
    ] {
        let n = 100_000;
        let html = format!("{}<p>{PROSE}</p>{}", open.repeat(n), close.repeat(n));
        let p = read(html.as_bytes()).expect("text");
        // However deep, the text is read.
        assert!(p.blocks.iter().any(|b| b.contains("deux jours")), "{open}");
    }
}

#[test]
fn a_page_of_scripts_only() {
    let html = page(
        "<script>var a = '<p>pas du texte</p>';</script><style>p { color: red }</style>",
        "<script>document.write('x')</script><noscript>Activez JavaScript</noscript>\
         <template><p>modèle</p></template>",
    );
    let p = read(html.as_bytes()).expect("decoded");
    assert!(p.blocks.is_empty(), "{:?}", p.blocks);
}

#[test]
fn windows_1252_without_declaration() {
    let mut bytes = b"<html><body><article><p>".to_vec();
    bytes.extend_from_slice(
        b"La s\xE9curit\xE9 de l\x92\xC9tat, priorit\xE9 des pays du Sahel, est au c\x9Cur du sommet.",
    );
    bytes.extend_from_slice(b"</p></article></body></html>");
    let p = read(&bytes).expect("text");
    assert_eq!(
        p.blocks,
        ["La sécurité de l’État, priorité des pays du Sahel, est au cœur du sommet."]
    );
}

#[test]
fn declares_one_encoding_and_uses_another() {
    let utf8_declared_1252 = format!("<meta charset='windows-1252'><p>{PROSE}</p>");
    let p = read(utf8_declared_1252.as_bytes()).expect("text");
    assert_eq!(p.blocks, [PROSE]);

    let mut latin_declared_utf8 = b"<meta charset='utf-8'><p>".to_vec();
    latin_declared_utf8.extend_from_slice(b"Une r\xE9union \xE0 Bamako, o\xF9 l'on d\xE9bat.</p>");
    let p = read(&latin_declared_utf8).expect("text");
    assert_eq!(p.blocks, ["Une réunion à Bamako, où l'on débat."]);
}

#[test]
fn binary_is_refused() {
    assert_eq!(
        read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").err(),
        Some(DecodeError::Binary)
    );
}

// The content removed before parsing (strip.rs) must change nothing the walk reads: the page
// walked with and without it, on markup made of the pieces that make the tokenizer's reading
// hard (quotes, comments, raw text, drawings, breakouts).
const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<div class='article-body'>",
    "</div>",
    "<script>",
    "</script>",
    "</SCRIPT >",
    "<script type='application/ld+json'>",
    "{\"headline\": \"Sahel\"}",
    "<style>",
    "</style>",
    "<svg>",
    "</svg>",
    "<svg/>",
    "<g>",
    "</g>",
    "<path d='M0 0'/>",
    "<title>",
    "</title>",
    "<desc>",
    "</desc>",
    "<foreignObject>",
    "<!--",
    "<!--<script>",
    "-->",
    "--!>",
    "<!-->",
    "<![CDATA[",
    "]]>",
    "<b>",
    "</b>",
    "<table>",
    "<td>",
    "<select>",
    "<math>",
    "<textarea>",
    "</textarea>",
    "<noscript>",
    "</noscript>",
    "<iframe>",
    "</iframe>",
    "<xmp>",
    "</xmp>",
    "<template>",
    "</template>",
    "<a href='x>y'>",
    "</a>",
    "<h1>",
    "<!doctype html>",
    "<?x>",
    "</ >",
    "</>",
    "<",
    ">",
    "'",
    "\"",
    "=",
    "/",
    " ",
    "\n",
    "&amp;",
    "<plaintext>",
    "<font color=red>",
    "<br>",
    "</br>",
    "<meta property='og:title' content='Le sommet'>",
    "<time datetime='2024-01-02'>",
    "Les chefs d'Etat, réunis à Bamako, dressent le bilan de l'alliance, pour deux jours. ",
];

fn walked(html: &str) -> String {
    format!("{:?}", walk::walk(&scraper::Html::parse_document(html)))
}

/// Elements, to nest: the drawings that can be removed are made of balanced elements.
const PAIRS: &[(&str, &str)] = &[
    ("<svg viewBox='0 0 1 1'>", "</svg>"),
    ("<g>", "</g>"),
    ("<symbol id=i>", "</symbol>"),
    ("<div class='article-body'>", "</div>"),
    ("<p>", "</p>"),
    ("<b>", "</b>"),
    ("<span>", "</span>"),
    ("<table>", "</table>"),
    ("<td>", "</td>"),
    ("<script>", "</script>"),
    ("<style>", "</style>"),
    ("<title>", "</title>"),
    ("<desc>", "</desc>"),
    ("<textarea>", "</textarea>"),
    ("<noscript>", "</noscript>"),
    ("<foreignObject>", "</foreignObject>"),
    ("<math>", "</math>"),
    ("<template>", "</template>"),
    ("<a href=/x>", "</a>"),
];

fn nested() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let leaf = proptest::sample::select(PIECES).prop_map(str::to_string);
    leaf.prop_recursive(5, 64, 5, |inner| {
        (
            proptest::sample::select(PAIRS),
            proptest::collection::vec(inner, 0..5),
        )
            .prop_map(|((open, close), kids)| format!("{open}{}{close}", kids.concat()))
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    #[test]
    fn stripping_changes_nothing_that_is_read(
        picks in proptest::collection::vec(0..PIECES.len(), 0..40)
    ) {
        let html: String = picks.iter().map(|&i| PIECES[i]).collect();
        proptest::prop_assert_eq!(walked(&strip::strip(&html)), walked(&html), "{}", html);
    }

    #[test]
    fn stripping_nested_markup_changes_nothing_that_is_read(
        trees in proptest::collection::vec(nested(), 1..4)
    ) {
        let html = trees.concat();
        proptest::prop_assert_eq!(walked(&strip::strip(&html)), walked(&html), "{}", html);
    }
}
