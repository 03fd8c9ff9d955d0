//! The headline. On a scraped page it is rarely the first line (skip links, mastheads, menus and
//! breadcrumbs come first): it is the title-like line nearest to where the body starts, unless
//! the page opens on one.

use std::collections::HashSet;

use super::date::{date_words, parse_date};
use super::line::{ends_with_credit, has_sentence_end, is_breadcrumb, is_field_label};
use super::vocabulary::{is_ui_label, words};
use super::{prose, Reason};

/// The headline's line: the page's first line when it reads as a headline of five words or more
/// (not a masthead or a menu), else the one nearest the body, else the first of the header.
pub(super) fn choose(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
    republished: bool,
    first_prose: Option<usize>,
) -> Option<usize> {
    let line = |i: usize| lines[i].trim();
    let header_title =
        first_in_header(lines, non_empty, verdict, republished, first_prose).filter(|&t| {
            // Only as the file's first line: further down, it is more often a menu or a teaser.
            non_empty.first() == Some(&t)
                && is_title_like(line(t))
                && line(t).split_whitespace().count() >= 5
        });
    let near = nearest_the_body(lines, non_empty, verdict, republished, first_prose);
    // A line with a byline or a publication line under it is the headline even where the file
    // opens on a title-like line (a skip link, a banner).
    let anchored = near.filter(|&(_, strong)| strong).map(|(i, _)| i);
    anchored
        .or(header_title)
        .or(near.map(|(i, _)| i))
        .or_else(|| first_in_header(lines, non_empty, verdict, republished, first_prose))
}

/// Points a candidate earns for a byline or a publication line under it: worth more than a few
/// words shared with the body.
const ANCHOR_POINTS: usize = 3;

/// Whether a byline or a publication line ("Publié le …") stands in the two lines under line
/// `i`. A bare date does not count: a masthead has the day's date under it.
fn under_it_byline_or_date(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
    i: usize,
) -> bool {
    let k = non_empty.partition_point(|&j| j <= i);
    non_empty[k..].iter().take(2).any(|&j| {
        let l = lines[j].trim();
        let folded = super::vocabulary::fold_lower(l);
        verdict[j] == Some(Reason::Byline)
            || [
                "par ",
                "publie",
                "mis a jour",
                "mise en ligne",
                "un texte de ",
            ]
            .iter()
            .any(|p| folded.starts_with(p))
    })
}

/// Separators of breadcrumbs, menus and mastheads: a headline has none.
const SEPARATORS: [&str; 5] = ["|", "›", " > ", "•", " - "];

/// Whether `line` reads as a headline: a few words, no sentence end but a question or an
/// exclamation, no separators, not a byline, a date, a menu or a caption with its credit.
pub(super) fn is_title_like(line: &str) -> bool {
    let len = line.chars().count();
    let stats = prose::stats(line);
    // A question, an exclamation or a trailing ellipsis ends a headline as well.
    let question = line.trim_end().ends_with(['?', '!', '…']);
    let first = words(line).into_iter().next().unwrap_or_default();
    (10..=250).contains(&len)
        && (3..=35).contains(&stats.words)
        && (question || !has_sentence_end(line))
        && !SEPARATORS.iter().any(|s| line.contains(s))
        // "»" separates a breadcrumb unless it closes a quotation.
        && (!line.contains('»') || line.contains('«'))
        && !is_breadcrumb(line)
        && !is_field_label(line)
        && !prose::is_label_run(line)
        && !is_section_run(&stats, line)
        && !is_index_label(line)
        && !matches!(first.as_str(), "par" | "by" | "publie" | "lire")
        && parse_date(line).is_none_or(|_| stats.words >= 8 && date_words(line) > 2)
        && !is_label_value(line)
        && !ends_with_credit(line)
        && !line.contains('©')
        && !has_credit_label(line)
        && !is_ui_label(line)
        && !is_update_banner(line)
}

/// "Accueil MONDE Afrique": a breadcrumb scraped without its separators, three capitalised
/// section names or more and no function word (a French headline is written in sentence case).
fn is_section_run(stats: &prose::ProseStats, line: &str) -> bool {
    stats.words >= 3
        && stats.stop_density <= 0.0
        && stats.capitalised >= 1.0
        && !line.contains([',', ':', '«', '"', '“', '?', '!'])
}

/// "Toutes les vidéos", "Tous nos podcasts": a link to a list of the site's pages, of four words
/// at most.
fn is_index_label(line: &str) -> bool {
    let w = words(line);
    w.len() <= 4
        && matches!(w.first().map(String::as_str), Some("tous" | "toutes"))
        && matches!(w.get(1).map(String::as_str), Some("les" | "nos" | "vos"))
}

/// "Dernière mise à jour : il y a 12 secondes", "Mis à jour il y a 3 heures": a live page's
/// banner, with no date a parser reads, and never a headline.
fn is_update_banner(line: &str) -> bool {
    let folded = super::vocabulary::fold_lower(line);
    let relative = folded.split_once("il y a ").is_some_and(|(_, rest)| {
        let mut w = rest.split_whitespace();
        w.next()
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
            && w.next().is_some_and(|unit| {
                ["seconde", "minute", "heure", "jour"]
                    .iter()
                    .any(|u| unit.starts_with(u))
            })
    });
    relative
        || ["derniere mise a jour", "mis a jour", "mise a jour"]
            .iter()
            .any(|p| folded.starts_with(p))
}

/// "… Crédits photo : X": a caption with its credit's label, wherever it stands.
fn has_credit_label(line: &str) -> bool {
    let folded = super::vocabulary::fold_lower(line);
    ["credit photo", "credits photo", "photo :", "credit :"]
        .iter()
        .any(|p| folded.contains(p))
}

/// "Vues : 4 812", "Lecture : 3 min", "Mise à jour automatique : activée": a short label and a
/// value of a word or two, a field of the page rather than a headline.
fn is_label_value(line: &str) -> bool {
    line.split_once(':').is_some_and(|(label, value)| {
        label.split_whitespace().count() <= 4 && value.split_whitespace().count() <= 2
    })
}

/// The headline: of the title-like lines before the body, the one that shares the most words
/// with the body's first paragraphs (a headline announces its article; a teaser, a kicker or a related
/// title does not), the nearest the body among equals; on a page without prose, the first
/// title-like line of the header.
fn nearest_the_body(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
    republished: bool,
    first_prose: Option<usize>,
) -> Option<(usize, bool)> {
    let candidate = |i: usize| {
        (verdict[i].is_none() || (republished && verdict[i] == Some(Reason::Recurring)))
            && is_title_like(lines[i].trim())
    };
    let Some(p) = first_prose else {
        let first = non_empty.iter().copied().take(15).find(|&i| candidate(i));
        return first.map(|i| (i, false));
    };
    let body = body_words(lines, non_empty, verdict, p);
    let mut best: Option<(usize, usize, bool)> = None;
    for &i in non_empty.iter().take_while(|&&i| i < p) {
        if !candidate(i) {
            continue;
        }
        // Repetition was tried as an anchor too: sidebars repeat their teasers as often.
        let anchors = usize::from(under_it_byline_or_date(lines, non_empty, verdict, i));
        let score = shared_words(lines[i], &body) + ANCHOR_POINTS * anchors;
        if best.is_none_or(|(s, _, _)| score >= s) {
            best = Some((score, i, anchors > 0));
        }
    }
    best.map(|(_, i, strong)| (i, strong))
}

/// Content words (folded, four letters or more) of the first paragraphs of the body.
fn body_words(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
    start: usize,
) -> HashSet<String> {
    non_empty
        .iter()
        .copied()
        .filter(|&i| i >= start && verdict[i].is_none())
        .take(4)
        .flat_map(|i| content_words(lines[i]))
        .collect()
}

/// The words of a line that say what it is about: four letters or more.
fn content_words(line: &str) -> impl Iterator<Item = String> {
    words(line).into_iter().filter(|w| w.chars().count() >= 4)
}

/// How many content words of `line` the body uses.
fn shared_words(line: &str, body: &HashSet<String>) -> usize {
    content_words(line).filter(|w| body.contains(w)).count()
}

/// The headline: in the page header (before the first paragraph of prose), the first line that
/// reads as one: not furniture, not a date, not a breadcrumb or section label, not a sentence.
fn first_in_header(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
    republished: bool,
    first_prose: Option<usize>,
) -> Option<usize> {
    let header: Vec<usize> = non_empty
        .iter()
        .copied()
        .take(10)
        .filter(|&i| first_prose.is_none_or(|p| i < p))
        .filter(|&i| verdict[i].is_none() || (republished && verdict[i] == Some(Reason::Recurring)))
        .filter(|&i| {
            let line = lines[i].trim();
            let len = line.chars().count();
            (10..=200).contains(&len)
                && !line.ends_with('.')
                && parse_date(line).is_none_or(|_| line.split_whitespace().count() >= 6)
                && !is_breadcrumb(line)
                && !is_field_label(line)
        })
        .collect();
    // A headline has some words; a two-word line is more often a section name.
    header
        .iter()
        .copied()
        .find(|&i| lines[i].split_whitespace().count() >= 4)
        .or_else(|| {
            header
                .iter()
                .copied()
                .find(|&i| lines[i].split_whitespace().count() >= 2)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_headlines_from_the_page_around_them() {
        let table = [
            (
                "Le conseil régional adopte son budget après trois jours de débat",
                true,
            ),
            ("Faut-il fermer les écoles pendant la canicule ?", true),
            ("Accueil / Région / Politique", false),
            ("Accueil Région Politique Économie Sport", false),
            ("Par Jeanne Martin - 3 mars 2025", false),
            (
                "Le maire à l'inauguration du pont, lundi. (Photo Jeanne Martin)",
                false,
            ),
            ("Région | Politique | Le budget adopté", false),
            ("Lecture : 3 min", false),
            ("Mis à jour le 24 décembre 2025 à 08h40", false),
            ("Le budget a été adopté lundi soir par le conseil.", false),
            (
                "Le maire devant le nouveau pont Crédits photo : Jeanne Martin/Le Journal",
                false,
            ),
            // Interface labels and live banners.
            ("Afficher les réactions des lecteurs", false),
            ("Aller directement au menu du site", false),
            ("Se connecter à son espace abonné", false),
            ("Dernière mise à jour : il y a 12 minutes", false),
            ("Actualisé il y a 5 minutes par la rédaction", false),
            ("Voir Venise et revenir en train de nuit, un pari fou", true),
            // A breadcrumb without its separators; a caption whose credit is "name/agency".
            ("Accueil MONDE Afrique", false),
            ("Toutes les vidéos sport", false),
            ("Tous les élus votent la piscine municipale", true),
            ("Accueil Sport Football Transferts", false),
            (
                "Le maire sur le chantier, lundi. (Jeanne Martin/AGENCE)",
                false,
            ),
            // A headline quoting words is not a breadcrumb split by "»".
            ("Le maire «promet» et «tient» sa parole", true),
        ];
        for (line, expected) in table {
            assert_eq!(is_title_like(line), expected, "{line:?}");
        }
    }
}

#[cfg(test)]
mod anchored_tests {
    use super::*;

    /// The title `choose` gives for `page`, with its body starting at line `body`.
    fn title_of(page: &[&str], body: usize) -> Option<String> {
        let non_empty: Vec<usize> = (0..page.len()).collect();
        let verdict = vec![None; page.len()];
        let t = choose(page, &non_empty, &verdict, false, Some(body))?;
        Some(page[t].to_string())
    }

    const BODY: &str = "Le conseil municipal a voté lundi la construction d'une piscine couverte pour le quartier.";

    #[test]
    fn the_headline_is_the_line_a_byline_or_a_publication_line_follows() {
        let table: [(&[&str], usize, &str); 4] = [
            // A skip link opens the file; the headline sits above its byline.
            (
                &[
                    "Aller directement au contenu principal",
                    "Une piscine couverte pour le quartier nord",
                    "Par Jeanne Martin",
                    "Les autres communes de la région attendent encore",
                    BODY,
                ],
                4,
                "Une piscine couverte pour le quartier nord",
            ),
            // A teaser nearer the body shares as many words; the headline has its dateline.
            (
                &[
                    "Menu",
                    "La piscine couverte du quartier nord votée",
                    "Publié le 3 mars 2025 à 10h05",
                    "Quartier nord : une piscine pour la rentrée",
                    BODY,
                ],
                4,
                "La piscine couverte du quartier nord votée",
            ),
            // A masthead with the day's date under it is not anchored by it.
            (
                &[
                    "Le Journal du Nord",
                    "Mardi 3 mars 2025",
                    "Une piscine couverte pour le quartier nord",
                    BODY,
                ],
                3,
                "Une piscine couverte pour le quartier nord",
            ),
            // Without an anchor, the line sharing most words with the body, nearest it.
            (
                &[
                    "Les autres communes",
                    "Une piscine couverte pour le quartier",
                    BODY,
                ],
                2,
                "Une piscine couverte pour le quartier",
            ),
        ];
        for (page, body, expected) in table {
            assert_eq!(title_of(page, body).as_deref(), Some(expected), "{page:?}");
        }
    }
}
