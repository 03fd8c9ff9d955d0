//! The headline. On a scraped page it is rarely the first line (skip links, mastheads, menus and
//! breadcrumbs come first): it is the title-like line nearest to where the body starts, unless
//! the page opens on one.

use super::date::{date_words, parse_date};
use super::line::{has_sentence_end, is_breadcrumb, is_field_label};
use super::vocabulary::{fold_lower, words};
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
    header_title
        .or_else(|| nearest_the_body(lines, non_empty, verdict, republished, first_prose))
        .or_else(|| first_in_header(lines, non_empty, verdict, republished, first_prose))
}

/// Separators of breadcrumbs, menus and mastheads: a headline has none.
const SEPARATORS: [&str; 6] = ["|", "»", "›", " > ", "•", " - "];

/// Whether `line` reads as a headline: a few words, no sentence end but a question or an
/// exclamation, no separators, not a byline, a date, a menu or a caption with its credit.
pub(super) fn is_title_like(line: &str) -> bool {
    let len = line.chars().count();
    let stats = prose::stats(line);
    let question = line.trim_end().ends_with(['?', '!']);
    let first = words(line).into_iter().next().unwrap_or_default();
    (10..=250).contains(&len)
        && (3..=35).contains(&stats.words)
        && (question || !has_sentence_end(line))
        && !SEPARATORS.iter().any(|s| line.contains(s))
        && !is_breadcrumb(line)
        && !is_field_label(line)
        && !prose::is_label_run(line)
        && !matches!(first.as_str(), "par" | "by" | "publie" | "lire")
        && parse_date(line).is_none_or(|_| stats.words >= 8 && date_words(line) > 2)
        && !is_label_value(line)
        && !ends_with_credit(line)
        && !line.contains('©')
}

/// "Vues : 4 812", "Lecture : 3 min", "Mise à jour automatique : activée": a short label and a
/// value of a word or two, a field of the page rather than a headline.
fn is_label_value(line: &str) -> bool {
    line.split_once(':').is_some_and(|(label, value)| {
        label.split_whitespace().count() <= 4 && value.split_whitespace().count() <= 2
    })
}

/// A caption's credit in parentheses at the end: "(Photo X)", "(Ph. X)", "(AFP / X)".
fn ends_with_credit(line: &str) -> bool {
    let t = line.trim_end();
    let Some(open) = t.rfind('(') else {
        return false;
    };
    if !t.ends_with(')') {
        return false;
    }
    let inside = fold_lower(&t[open + 1..t.len() - 1]);
    inside.contains('/')
        || [
            "photo",
            "ph.",
            "credit",
            "archives",
            "image",
            "illustration",
        ]
        .iter()
        .any(|w| inside.starts_with(w))
}

/// The headline: the last title-like line before the first prose line (the body's start), or,
/// on a page without prose, the first title-like line of the header.
fn nearest_the_body(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
    republished: bool,
    first_prose: Option<usize>,
) -> Option<usize> {
    let candidate = |i: usize| {
        (verdict[i].is_none() || (republished && verdict[i] == Some(Reason::Recurring)))
            && is_title_like(lines[i].trim())
    };
    match first_prose {
        Some(p) => non_empty
            .iter()
            .copied()
            .take_while(|&i| i < p)
            .filter(|&i| candidate(i))
            .last(),
        None => non_empty.iter().copied().take(15).find(|&i| candidate(i)),
    }
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
        ];
        for (line, expected) in table {
            assert_eq!(is_title_like(line), expected, "{line:?}");
        }
    }
}
