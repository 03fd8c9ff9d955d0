//! The boilerplate cleaner judged against readers: golden tests on the two seeds, a labelled set
//! of 35 articles styled after ten kinds of outlet (tests/fixtures/outlets), clean news text from
//! Wikinews (read from ../shared/data at run time), and the decoding of what scrapers write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aes_search::article::read_text;
use aes_search::clean::{clean, CleanedArticle, NoFurniture, Reason};
use aes_search::{Engine, SyncOptions};
use serde::Deserialize;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn clean_seed(name: &str) -> (String, CleanedArticle) {
    let path = repo().join("corpus").join(name);
    let text = read_text(&path, u64::MAX).expect("seed readable");
    let cleaned = clean(&text, &NoFurniture);
    (text, cleaned)
}

/// Checks that the lines numbered in `kept` are paragraphs and every other non-empty line was
/// dropped, with a readable message naming the line.
fn assert_lines(text: &str, cleaned: &CleanedArticle, kept: &[usize]) {
    let dropped: BTreeMap<usize, Reason> =
        cleaned.dropped.iter().map(|d| (d.line, d.reason)).collect();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        if kept.contains(&n) {
            assert!(
                !dropped.contains_key(&n),
                "line {n} is prose but was dropped as {:?}: {line}",
                dropped[&n]
            );
            assert!(
                cleaned.paragraphs.iter().any(|p| p == line.trim()),
                "line {n} missing from paragraphs: {line}"
            );
        } else {
            assert!(
                dropped.contains_key(&n),
                "line {n} is furniture but was kept: {line}"
            );
        }
    }
    assert_eq!(cleaned.paragraphs.len(), kept.len(), "paragraph count");
}

#[test]
fn seed_000_has_no_headline_and_a_dated_credit_line() {
    let (text, cleaned) = clean_seed("000_97f347d68c8639ae.txt");
    assert_lines(&text, &cleaned, &[3, 5, 7, 9]);
    assert_eq!(cleaned.title, None, "no headline on this page");
    assert_eq!(cleaned.date.as_deref(), Some("2024-09"));
    // Unsplash is the photo library, not the outlet.
    assert_eq!(cleaned.source, None);
    assert!(cleaned.dropped[0].text.contains("Unsplash"));
}

#[test]
fn seed_002_keeps_prose_and_subheadings_and_drops_rt_furniture() {
    let (text, cleaned) = clean_seed("002_572cf226c03bdde5.txt");
    assert_lines(&text, &cleaned, &[7, 9, 11, 13, 15, 17, 19, 21, 23]);
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Le Mali s’apprête à accueillir le sommet des chefs d’État de l’AES")
    );
    // The page carries no publication date; dates in the prose are not the article's.
    assert_eq!(cleaned.date, None);
    assert_eq!(cleaned.source.as_deref(), Some("RT en français"));
    let reason = |n: usize| {
        cleaned
            .dropped
            .iter()
            .find(|d| d.line == n)
            .map(|d| d.reason)
    };
    let table = [
        (1, Reason::Title),
        (3, Reason::TitleRepeat),
        (4, Reason::Caption),
        (5, Reason::SocialPrompt),
        (29, Reason::Consent),
        (39, Reason::UiLabels),
    ];
    for (line, expected) in table {
        assert_eq!(reason(line), Some(expected), "line {line}");
    }
}

/// One fixture's labels (tests/fixtures/outlets/NAME.labels.json): line numbers from 1 in the
/// decoded text; every non-empty line is the title line, furniture or content.
#[derive(Deserialize)]
struct Labels {
    outlet: String,
    title: Option<String>,
    date: Option<String>,
    source: Option<String>,
    title_line: Option<usize>,
    furniture: Vec<usize>,
    content: Vec<usize>,
}

#[derive(Default)]
struct Tally {
    articles: usize,
    content: usize,
    content_kept: usize,
    furniture: usize,
    furniture_dropped: usize,
    title_right: usize,
    date_right: usize,
    source_right: usize,
}

#[test]
fn fixture_outlets_are_cleaned_as_labelled() {
    let folder = repo().join("tests/fixtures/outlets");
    let index = tempfile::tempdir().expect("temp dir");
    let engine = Engine::open_or_create(index.path()).expect("index");
    let options = SyncOptions::default();
    engine
        .sync_folders(&[&folder], &options)
        .expect("sync fixtures");

    let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let mut total = Tally::default();
    let mut by_outlet: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    for path in &names {
        let labels_path = path.with_extension("labels.json");
        let labels: Labels =
            serde_json::from_str(&std::fs::read_to_string(&labels_path).expect("labels"))
                .unwrap_or_else(|e| panic!("{}: {e}", labels_path.display()));
        let text = read_text(path, u64::MAX).expect("fixture readable");
        let cleaned = engine.clean_file(path, &options).expect("clean fixture");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dropped: BTreeMap<usize, Reason> =
            cleaned.dropped.iter().map(|d| (d.line, d.reason)).collect();
        let lines: Vec<&str> = text.lines().collect();
        let labelled = labels.furniture.len()
            + labels.content.len()
            + usize::from(labels.title_line.is_some());
        let non_empty = lines.iter().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(
            labelled, non_empty,
            "{name}: every non-empty line is labelled"
        );

        let outlet = by_outlet.entry(labels.outlet.clone()).or_default();
        for tally in [&mut total, outlet] {
            tally.articles += 1;
            tally.content += labels.content.len();
            tally.content_kept += labels
                .content
                .iter()
                .filter(|n| !dropped.contains_key(n))
                .count();
            tally.furniture += labels.furniture.len();
            tally.furniture_dropped += labels
                .furniture
                .iter()
                .filter(|n| dropped.contains_key(n))
                .count();
            tally.title_right += usize::from(cleaned.title == labels.title);
            tally.date_right += usize::from(cleaned.date == labels.date);
            tally.source_right += usize::from(cleaned.source == labels.source);
        }
        for &n in &labels.content {
            if let Some(reason) = dropped.get(&n) {
                failures.push(format!(
                    "{name}:{n} content dropped as {reason:?}: {}",
                    lines[n - 1]
                ));
            }
        }
        for &n in &labels.furniture {
            if !dropped.contains_key(&n) {
                failures.push(format!("{name}:{n} furniture kept: {}", lines[n - 1]));
            }
        }
        if let Some(n) = labels.title_line {
            if !dropped.contains_key(&n) {
                failures.push(format!("{name}:{n} headline kept as a paragraph"));
            }
        }
        for (what, got, want) in [
            ("title", &cleaned.title, &labels.title),
            ("date", &cleaned.date, &labels.date),
            ("source", &cleaned.source, &labels.source),
        ] {
            if got != want {
                failures.push(format!("{name}: {what} {got:?}, labelled {want:?}"));
            }
        }
    }

    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "outlet                 articles  content kept   furniture dropped  title  date  source"
    );
    for (outlet, t) in by_outlet.iter().chain([(&"ALL".to_string(), &total)]) {
        println!(
            "{outlet:<22} {:>8}  {:>4}/{:<4}      {:>4}/{:<4}         {:>3}/{:<3}{:>3}/{:<3}{:>3}/{:<3}",
            t.articles,
            t.content_kept,
            t.content,
            t.furniture_dropped,
            t.furniture,
            t.title_right,
            t.articles,
            t.date_right,
            t.articles,
            t.source_right,
            t.articles
        );
    }
    println!(
        "content kept {:.1}%, furniture dropped {:.1}%, title right {:.1}%, date right {:.1}%, source right {:.1}%",
        pct(total.content_kept, total.content),
        pct(total.furniture_dropped, total.furniture),
        pct(total.title_right, total.articles),
        pct(total.date_right, total.articles),
        pct(total.source_right, total.articles)
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(
        total.articles >= 30 && by_outlet.len() >= 8,
        "fixture set too small"
    );
    assert_eq!(
        total.content_kept, total.content,
        "no content line may be dropped"
    );
    assert!(
        pct(total.furniture_dropped, total.furniture) >= 97.0,
        "furniture dropped below 97%"
    );
    assert!(
        pct(total.title_right, total.articles) >= 95.0,
        "title right below 95%"
    );
    assert!(
        pct(total.date_right, total.articles) >= 95.0,
        "date right below 95%"
    );
}

#[derive(Deserialize)]
struct WikinewsArticle {
    title: String,
    lead: String,
    paragraphs: Vec<String>,
}

#[test]
fn wikinews_paragraphs_are_kept() {
    let data = repo().join("../shared/data/wikinews_fr_100/articles.jsonl");
    let Ok(jsonl) = std::fs::read_to_string(&data) else {
        println!("skipped: {} is absent", data.display());
        return;
    };
    let articles: Vec<WikinewsArticle> = jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("article"))
        .collect();
    // Written as article files and indexed together, so that cross-document learning has its say.
    let corpus = tempfile::tempdir().expect("temp dir");
    for (i, a) in articles.iter().enumerate() {
        let body: Vec<&str> = std::iter::once(a.lead.as_str())
            .chain(a.paragraphs.iter().map(String::as_str))
            .collect();
        let text = format!("{}\n\n{}\n", a.title, body.join("\n\n"));
        std::fs::write(corpus.path().join(format!("{i:03}.txt")), text).expect("write article");
    }
    let index = tempfile::tempdir().expect("temp dir");
    let engine = Engine::open_or_create(index.path()).expect("index");
    let options = SyncOptions::default();
    engine
        .sync_folders(&[corpus.path()], &options)
        .expect("sync wikinews");

    let (mut total, mut kept, mut titles) = (0usize, 0usize, 0usize);
    for (i, a) in articles.iter().enumerate() {
        let cleaned = engine
            .clean_file(&corpus.path().join(format!("{i:03}.txt")), &options)
            .expect("clean");
        titles += usize::from(cleaned.title.as_deref() == Some(a.title.trim()));
        for p in std::iter::once(&a.lead)
            .chain(&a.paragraphs)
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            total += 1;
            if cleaned.paragraphs.iter().any(|k| k == p) {
                kept += 1;
            } else {
                let why = cleaned
                    .dropped
                    .iter()
                    .find(|d| d.text == p)
                    .map(|d| d.reason);
                println!("  article {i:03} lost ({why:?}): {p}");
            }
        }
    }
    let share = 100.0 * kept as f64 / total.max(1) as f64;
    println!(
        "wikinews: {kept}/{total} paragraphs kept ({share:.2}%), {titles}/{} titles read",
        articles.len()
    );
    assert!(share >= 99.5, "only {share:.2}% of paragraphs kept");
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn decodes_what_scrapers_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let expected = "L’État « souverain »\nLa sécurité d’abord.\n";
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(expected.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(expected.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let table: &[(&str, Vec<u8>)] = &[
        ("utf8.txt", expected.as_bytes().to_vec()),
        (
            "utf8-bom.txt",
            [b"\xEF\xBB\xBF".as_slice(), expected.as_bytes()].concat(),
        ),
        ("utf16le.txt", utf16),
        ("utf16be.txt", utf16be),
        (
            "cp1252.txt",
            b"L\x92\xC9tat \xAB souverain \xBB\nLa s\xE9curit\xE9 d\x92abord.\n".to_vec(),
        ),
        ("crlf.txt", expected.replace('\n', "\r\n").into_bytes()),
        ("cr.txt", expected.replace('\n', "\r").into_bytes()),
    ];
    for (name, bytes) in table {
        let path = write(dir.path(), name, bytes);
        let text = read_text(&path, u64::MAX).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(text.trim_end(), expected.trim_end(), "{name}");
    }
}

#[test]
fn binary_files_are_refused_with_their_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let table: &[(&str, &[u8])] = &[
        ("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0"),
        ("program.txt", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"),
    ];
    for (name, bytes) in table {
        let path = write(dir.path(), name, bytes);
        let error = read_text(&path, u64::MAX)
            .expect_err("binary refused")
            .to_string();
        assert!(
            error.contains(name) && error.contains("binary"),
            "message {error:?} names the file and the cause"
        );
    }
}

#[test]
fn fixture_encodings_decode_to_the_same_kind_of_text() {
    let folder = repo().join("tests/fixtures/outlets");
    let table = [
        ("niamey-express-01.txt", "Agadez : la fin de la loi"),
        ("echo-liptako-01.txt", "Liptako-Gourma : une autorité"),
        ("faso-republicain-01.txt", "Accueil | Politique"),
    ];
    for (name, start) in table {
        let text = read_text(&folder.join(name), u64::MAX).expect("fixture readable");
        assert!(
            text.starts_with(start),
            "{name}: {:?}",
            text.chars().take(40).collect::<String>()
        );
        assert!(
            !text.contains('\r') && !text.contains('\u{FFFD}'),
            "{name}: line ends or decoding"
        );
    }
}

/// A whole page as a scraper saves it, one block a line: skip link, menus, teasers above the
/// headline, a byline with its date, the body with a subheading, then a sidebar of dated
/// teasers, a newsletter prompt and a footer. Invented text, in the shape of real pages.
#[test]
fn a_whole_page_yields_its_headline_date_and_body_only() {
    let page = "Aller au contenu principal\n\nAccueil\n\nPolitique\n\nÉconomie\n\nSport\n\n\
        Le marché aux bestiaux rouvre à Kaya après trois mois de fermeture\n\n\
        2 mars 2025 à 10:12\n\n\
        Inondations : les digues du fleuve cèdent dans le sud du pays\n\n\
        Les élus de la région votent le budget de l'année\n\n\
        Par Jeanne Martin - 3 mars 2025 à 18:40\n\n\
        Facebook Twitter WhatsApp\n\n\
        Les élus du conseil régional ont adopté lundi soir le budget de l'année, après trois jours de débats parfois vifs sur les routes et les écoles.\n\n\
        Le texte prévoit une hausse des crédits consacrés aux routes rurales, que les élus de la région réclamaient depuis plusieurs années.\n\n\
        Des écoles d'abord\n\n\
        L'opposition a voté contre le budget, en dénonçant des promesses qui selon elle ne seront pas tenues avant la fin de l'année.\n\n\
        Les plus lus\n\n\
        Mentions légales\n\n\
        Contact\n\n\
        Plan du site\n\n\
        Recevoir la newsletter\n\n\
        Un festival de musique attire des milliers de visiteurs au bord du lac, venus de tout le pays pour trois jours de concerts.\n\n\
        1 mars 2025 à 08:00\n";
    let cleaned = clean(page, &NoFurniture);
    assert_eq!(
        cleaned.title.as_deref(),
        Some("Les élus de la région votent le budget de l'année")
    );
    assert_eq!(cleaned.date.as_deref(), Some("2025-03-03"));
    let kept: Vec<&str> = cleaned.paragraphs.iter().map(String::as_str).collect();
    assert_eq!(kept.len(), 4, "{kept:#?}");
    assert!(kept[0].starts_with("Les élus du conseil régional"));
    assert_eq!(kept[2], "Des écoles d'abord");
    assert!(kept[3].starts_with("L'opposition"));
}

/// A page with a blank line between all its lines: the caption over a photo credit is still
/// the figure's, and the headline above it is still the headline.
#[test]
fn spaced_caption_over_its_credit_is_dropped_under_the_headline() {
    let page = "Accueil\n\nÀ lire aussi\n\nSociété\n\nLa piscine couverte ouvrira en juin\n\n\
        Le chantier de la piscine, vu depuis la rue du Moulin.\n\nPhoto : Le Journal\n\n\
        Publié le 3 mars 2025\n\n\
        La commune a confirmé lundi que la piscine couverte ouvrira ses portes au mois de juin, \
        après deux ans de travaux et un budget dépassé de dix pour cent.\n\n\
        Les habitants du quartier attendaient ce bassin depuis la fermeture de l'ancien en 2019, \
        et les écoles pourront y reprendre leurs cours de natation dès la rentrée.";
    let article = clean(page, &NoFurniture);
    assert_eq!(
        article.title.as_deref(),
        Some("La piscine couverte ouvrira en juin")
    );
    let caption = article
        .dropped
        .iter()
        .find(|d| d.text.starts_with("Le chantier de la piscine"));
    assert_eq!(
        caption.map(|d| d.reason),
        Some(Reason::Caption),
        "{article:?}"
    );
    assert_eq!(article.paragraphs.len(), 2, "{:?}", article.paragraphs);
}
