//! The headline and the masthead. On a scraped page the headline is rarely the first line (skip
//! links, mastheads, menus and breadcrumbs come first): it is the title-like line nearest to
//! where the body starts. The masthead (the page's first line, when it is a name and not a menu)
//! is evidence for the source.

use super::{has_sentence_end, is_breadcrumb, is_field_label, parse_date, prose, Reason};

/// Separators of breadcrumbs, menus and mastheads: a headline has none.
const SEPARATORS: [&str; 6] = ["|", "»", "›", " > ", "•", " - "];

/// Whether `line` reads as a headline: a few words, no sentence end but a question or an
/// exclamation, no separators, not a byline, a date, a menu or a caption with its credit.
pub(crate) fn is_title_like(line: &str) -> bool {
    let len = line.chars().count();
    let stats = prose::stats(line);
    let question = line.trim_end().ends_with(['?', '!']);
    let first = super::words(line).into_iter().next().unwrap_or_default();
    (10..=250).contains(&len)
        && (3..=35).contains(&stats.words)
        && (question || !has_sentence_end(line))
        && !SEPARATORS.iter().any(|s| line.contains(s))
        && !is_breadcrumb(line)
        && !is_field_label(line)
        && !prose::is_label_run(line)
        && !matches!(first.as_str(), "par" | "by" | "publie" | "lire")
        && parse_date(line).is_none_or(|_| stats.words >= 8 && super::date_words(line) > 2)
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
pub(crate) fn ends_with_credit(line: &str) -> bool {
    let t = line.trim_end();
    let Some(open) = t.rfind('(') else {
        return false;
    };
    if !t.ends_with(')') {
        return false;
    }
    let inside = super::fold_lower(&t[open + 1..t.len() - 1]);
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
pub(crate) fn find_title(
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

/// The outlet's name from the masthead: the page's first line when it is a short name, cut at
/// its tagline ("Name - slogan", "name.net - slogan"); an acronym followed by its expansion
/// gives the expansion.
pub(crate) fn masthead_name(lines: &[&str], non_empty: &[usize]) -> Option<String> {
    let first = lines[*non_empty.first()?].trim();
    if first.split_whitespace().count() > 12 || has_sentence_end(first) {
        return None;
    }
    if prose::is_label_run(first) && !prose::stats(first).all_caps {
        return None;
    }
    let cut = first
        .replace(" – ", " - ")
        .replace(" — ", " - ")
        .replace(" | ", " - ");
    let mut parts = cut.split(" - ").map(str::trim);
    let head = parts.next()?;
    let head = strip_domain(head);
    let name = match parts.next() {
        Some(next) if is_acronym_of(head, next) => next.to_string(),
        _ => title_case_if_shouted(head),
    };
    (name.chars().count() >= 2 && name.split_whitespace().count() <= 5).then_some(name)
}

/// "CONTINENT HEBDO" as "Continent Hebdo"; a lone acronym ("TNM") stays.
fn title_case_if_shouted(name: &str) -> String {
    if !prose::stats(name).all_caps || name.split_whitespace().count() < 2 {
        return name.to_string();
    }
    name.split_whitespace()
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn strip_domain(name: &str) -> &str {
    for tld in [".net", ".com", ".fr", ".org", ".info"] {
        if let Some(stripped) = name.strip_suffix(tld) {
            return stripped;
        }
    }
    name
}

/// "AHP" and "Agence Harmattan Presse": the capitals are the initials.
fn is_acronym_of(acronym: &str, words: &str) -> bool {
    let initials: String = words
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    acronym.chars().count() >= 2 && acronym.chars().all(|c| c.is_uppercase()) && initials == acronym
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

    #[test]
    fn reads_the_name_in_the_masthead() {
        let table = [
            ("La Gazette du Lac", Some("La Gazette du Lac")),
            (
                "GazetteDuLac.net - Les nouvelles du lac",
                Some("GazetteDuLac"),
            ),
            (
                "GDL - Gazette Du Lac | Les nouvelles",
                Some("Gazette Du Lac"),
            ),
            ("Accueil Région Politique Économie Sport", None),
            ("LA GAZETTE DU LAC", Some("La Gazette Du Lac")),
            ("Le budget a été adopté lundi soir par le conseil.", None),
        ];
        for (first, expected) in table {
            let lines = [first, "Suite"];
            assert_eq!(
                masthead_name(&lines, &[0, 1]).as_deref(),
                expected,
                "{first:?}"
            );
        }
    }
}
