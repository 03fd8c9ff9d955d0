//! Dates as news pages write them ("13 septembre 2024", "Publié le 06/07/2025 à 10h12",
//! "2024-09-14T08:00"), and the publication date of a page: read from its header and footer,
//! never from a caption or the prose.

use std::sync::OnceLock;

use regex::Regex;

use super::line::{is_prose, is_text};
use super::vocabulary::{fold_lower, regex, words};
use super::Reason;

/// Month names as news sites write them (accent-folded, lowercase), full and abbreviated, with
/// the month number.
const MONTHS: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("jan", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("aout", 8),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("octobre", 10),
    ("oct", 10),
    ("novembre", 11),
    ("nov", 11),
    ("decembre", 12),
    ("dec", 12),
];

/// The names of [`MONTHS`] as one pattern, abbreviations with or without their dot.
const MONTH_PATTERN: &str = r"(janvier|janv|jan|fevrier|fevr|fev|mars|avril|avr|mai|juin|juillet|juil|aout|septembre|sept|sep|octobre|oct|novembre|nov|decembre|dec)\.?";

/// The number of a month named as [`MONTHS`] writes it.
fn month_number(name: &str) -> Option<u32> {
    MONTHS.iter().find(|(m, _)| *m == name).map(|&(_, n)| n)
}

/// Finds a date in `line` and returns it as `YYYY-MM-DD` or `YYYY-MM`: ISO ("2024-09-14T08:00",
/// "date 2024-09"), words ("13 septembre 2024", "1er août 2023", "14 sept. 2024", "mars 2024"),
/// or day first with slashes or dots ("06/07/2025", "15.02.2024").
pub(super) fn parse_date(line: &str) -> Option<String> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    static NUMERIC: OnceLock<Regex> = OnceLock::new();
    static WORDS: OnceLock<Regex> = OnceLock::new();
    static MONTH_YEAR: OnceLock<Regex> = OnceLock::new();
    static MONTH_DAY: OnceLock<Regex> = OnceLock::new();
    let folded = fold_lower(line);
    let valid = |y: u32, m: u32, d: Option<u32>| {
        (1900..=2100).contains(&y)
            && (1..=12).contains(&m)
            && d.is_none_or(|d| (1..=31).contains(&d))
    };
    let format = |y: u32, m: u32, d: Option<u32>| match d {
        Some(d) => format!("{y:04}-{m:02}-{d:02}"),
        None => format!("{y:04}-{m:02}"),
    };
    // Lowercased, so the ISO time separator is `t`.
    let iso = regex(&ISO, r"\b(\d{4})-(\d{2})(?:-(\d{2}))?(?:\b|t)");
    if let Some(c) = iso.captures(&folded) {
        let y = c[1].parse().ok()?;
        let m = c[2].parse().ok()?;
        let d = c.get(3).and_then(|d| d.as_str().parse().ok());
        if valid(y, m, d) {
            return Some(format(y, m, d));
        }
    }
    let words = regex(
        &WORDS,
        &format!(r"\b(\d{{1,2}})(?:er)?\s+{MONTH_PATTERN}\s+(\d{{4}})\b"),
    );
    if let Some(c) = words.captures(&folded) {
        let d = c[1].parse().ok()?;
        let m = month_number(&c[2])?;
        let y = c[3].parse().ok()?;
        // An impossible day means this is not a date at all, not a month to fall back on.
        return valid(y, m, Some(d)).then(|| format(y, m, Some(d)));
    }
    let numeric = regex(&NUMERIC, r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b");
    if let Some(c) = numeric.captures(&folded) {
        let d = c[1].parse().ok()?;
        let m = c[2].parse().ok()?;
        let y = c[3].parse().ok()?;
        if valid(y, m, Some(d)) {
            return Some(format(y, m, Some(d)));
        }
    }
    // Month first, as some themes write it: "octobre 26, 2025".
    let month_day = regex(
        &MONTH_DAY,
        &format!(r"\b{MONTH_PATTERN}\s+(\d{{1,2}}),?\s+(\d{{4}})\b"),
    );
    if let Some(c) = month_day.captures(&folded) {
        let m = month_number(&c[1])?;
        let d = c[2].parse().ok()?;
        let y = c[3].parse().ok()?;
        if valid(y, m, Some(d)) {
            return Some(format(y, m, Some(d)));
        }
    }
    let month_year = regex(&MONTH_YEAR, &format!(r"\b{MONTH_PATTERN}\s+(\d{{4}})\b"));
    if let Some(c) = month_year.captures(&folded) {
        let m = month_number(&c[1])?;
        let y = c[2].parse().ok()?;
        if valid(y, m, None) {
            return Some(format(y, m, None));
        }
    }
    None
}

/// Words that say a line is a publication date ("Publié le", "Mis à jour", "date").
pub(super) fn date_words(line: &str) -> usize {
    const WORDS: &[&str] = &[
        "publie", "publiee", "mis", "jour", "ligne", "date", "le", "a", "h", "gmt", "utc", "lundi",
        "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "er", "modifie", "cree",
        "et", "heure", "heures", "min", "t",
    ];
    words(line)
        .iter()
        .filter(|w| {
            !(WORDS.contains(&w.as_str())
                || month_number(w).is_some()
                || w.chars().all(|c| c.is_ascii_digit())
                || w.trim_start_matches(|c: char| c.is_ascii_digit())
                    .trim_end_matches(|c: char| c.is_ascii_digit())
                    == "h"
                || (w.starts_with(|c: char| c.is_ascii_digit()) && w.ends_with('t')))
        })
        .count()
}

/// The publication date: from short lines of the header, the footer and around the headline
/// (where bylines and notices stand on a whole page), preferring datelines ("Publié le
/// 06/07/2025 à 10h12", "Par X - 20 mai 2025", "Mis à jour le …"), never a caption's or the
/// prose's dates. Every such line that is only a dateline is marked as a date line.
pub(super) fn find_date(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &mut [Option<Reason>],
    title_line: Option<usize>,
    body_start: Option<usize>,
) -> Option<String> {
    let places = date_places(non_empty, title_line, body_start);
    let found = dates_at(lines, verdict, &places);
    if found.is_some() {
        return found;
    }
    // Nothing where datelines stand: a publication notice anywhere on the page ("Publié le …"
    // under the article, or far below it on an older design).
    let notices: Vec<usize> = non_empty
        .iter()
        .copied()
        .filter(|&i| is_publication_notice(lines[i].trim()))
        .collect();
    dates_at(lines, verdict, &notices)
}

/// The publication date that a page's visible lines state (its blocks, when its markup states
/// none): the same places and preferences as `find_date`, given where the headline and the
/// body stand among `lines`.
pub fn visible_date(
    lines: &[&str],
    title_line: Option<usize>,
    body_start: Option<usize>,
) -> Option<String> {
    let non_empty: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let mut verdict = vec![None; lines.len()];
    find_date(lines, &non_empty, &mut verdict, title_line, body_start)
}

/// The best date on the lines `places`, in their order of preference, marking those that only
/// carry a date as date lines.
fn dates_at(lines: &[&str], verdict: &mut [Option<Reason>], places: &[usize]) -> Option<String> {
    let mut candidates: Vec<(usize, usize, String)> = Vec::new();
    for (order, &i) in places.iter().enumerate() {
        let line = lines[i].trim();
        if is_prose(line) || line.chars().count() > 160 || verdict[i] == Some(Reason::Caption) {
            continue;
        }
        let Some(date) = parse_date(line) else {
            continue;
        };
        let mostly_date = date_words(line) <= 1;
        // A publication date before an update's: "Mis à jour le …" ranks after a bare date.
        let rank = if is_update_notice(line) {
            1
        } else if mostly_date || is_dateline(line) {
            0
        } else {
            2
        };
        // Only a date, a dateline, or a date glued to a credit ("date 2024-09 Photo de … -
        // Unsplash"): the line goes, as a date line.
        let only_date = mostly_date
            && matches!(
                verdict[i],
                None | Some(Reason::Recurring | Reason::PageChrome)
            );
        let publication = verdict[i].is_none() && rank <= 1 && !is_text(line);
        if only_date || publication || verdict[i] == Some(Reason::Credit) {
            verdict[i] = Some(Reason::DateLine);
        }
        candidates.push((rank, order, date));
    }
    candidates.sort();
    candidates.into_iter().next().map(|(_, _, d)| d)
}

/// Where a publication date stands, in the order they are preferred: under the headline, just
/// above it, just above the body, then the first lines of the page, then its last.
fn date_places(
    non_empty: &[usize],
    title_line: Option<usize>,
    body_start: Option<usize>,
) -> Vec<usize> {
    // Bylines and notices stand under the headline, more rarely just above it; where the
    // headline was missed, they still stand just above the body.
    let k = title_line.map(|t| non_empty.partition_point(|&j| j < t));
    let under = k.map_or(&[][..], |k| &non_empty[k..(k + 7).min(non_empty.len())]);
    let above = k.map_or(&[][..], |k| &non_empty[k.saturating_sub(2)..k]);
    let b = body_start.map(|s| non_empty.partition_point(|&j| j < s));
    let before_body = b.map_or(&[][..], |b| &non_empty[b.saturating_sub(6)..b]);
    let first = &non_empty[..non_empty.len().min(10)];
    let last = &non_empty[non_empty.len().saturating_sub(5)..];
    let mut places: Vec<usize> = Vec::with_capacity(30);
    for &i in under
        .iter()
        .chain(above)
        .chain(before_body)
        .chain(first)
        .chain(last)
    {
        if !places.contains(&i) {
            places.push(i);
        }
    }
    places
}

/// A line that announces the date it carries: "Publié le …", "Mis à jour le …", "Mis en ligne
/// …", "Date : …", "Le 3 mars 2025", or a byline with its date ("Par X - 20 mai 2025").
fn is_dateline(line: &str) -> bool {
    const NOTICES: &[&str] = &["mis a jour", "publie le", "mis en ligne", "modifie le"];
    let first = words(line).into_iter().next().unwrap_or_default();
    matches!(
        first.as_str(),
        "publie" | "publiee" | "date" | "mis" | "le" | "par"
    ) || {
        let folded = fold_lower(line);
        NOTICES.iter().any(|n| folded.contains(n))
    }
}

/// "Mis à jour le …", "Modifié le …": the date of an update, not of the publication.
fn is_update_notice(line: &str) -> bool {
    const UPDATES: &[&str] = &[
        "mis a jour",
        "modifie le",
        "actualise le",
        "derniere mise a jour",
    ];
    let folded = fold_lower(line);
    UPDATES.iter().any(|u| folded.starts_with(u))
}

/// "Publié le 3 mars 2025", "Mise en ligne le …": a line that opens on its publication and
/// carries a date, short of a sentence.
fn is_publication_notice(line: &str) -> bool {
    const PUBLISHED: &[&str] = &["publie le", "publiee le", "mis en ligne", "mise en ligne"];
    if line.split_whitespace().nth(16).is_some() {
        return false;
    }
    let folded = fold_lower(line);
    PUBLISHED.iter().any(|p| folded.starts_with(p)) && parse_date(line).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_date_forms_of_news_sites() {
        let table = [
            ("date 2024-09", Some("2024-09")),
            ("13 septembre 2024", Some("2024-09-13")),
            ("Publié le 06/07/2025 à 10h12", Some("2025-07-06")),
            ("2024-09-14T08:00", Some("2024-09-14")),
            ("Mis à jour le 1er août 2023", Some("2023-08-01")),
            ("le 45 septembre 2024", None),
            ("sans date", None),
        ];
        for (line, expected) in table {
            assert_eq!(parse_date(line).as_deref(), expected, "{line:?}");
        }
    }

    #[test]
    fn parses_abbreviated_and_partial_dates() {
        let table = [
            ("OUAGADOUGOU, 14 sept. 2024 (AFP)", Some("2024-09-14")),
            ("Mis en ligne : 15.02.2024", Some("2024-02-15")),
            ("Lundi 10 février 2025", Some("2025-02-10")),
            ("date : septembre 2024", Some("2024-09")),
            ("12/03/2025 08:15:00 GMT", Some("2025-03-12")),
            ("lundi, mars 3, 2025", Some("2025-03-03")),
        ];
        for (line, expected) in table {
            assert_eq!(parse_date(line).as_deref(), expected, "{line:?}");
        }
    }

    #[test]
    fn tells_datelines_from_lines_that_mention_a_date() {
        let table = [
            ("Par Jeanne Martin - 3 mars 2025", true),
            ("Publiée le 06/07/2025 à 10h12", true),
            (
                "Le Journal | 03.03.2025 à 09h10 • Mis à jour le 04.03.2025",
                true,
            ),
            (
                "AFP 3 mars 2025 à 08:12 (Mis à jour : 3 mars 2025 à 09:40)",
                true,
            ),
            ("Les élections du 3 mars 2025 ont été reportées", false),
        ];
        for (line, expected) in table {
            assert_eq!(is_dateline(line), expected, "{line:?}");
        }
    }

    #[test]
    fn prefers_the_publication_to_the_update_and_looks_for_it_below_the_body() {
        let prose =
            "Le conseil a voté le budget lundi soir après trois jours de débats animés en séance.";
        let table: [(Vec<&str>, Option<usize>, Option<&str>); 3] = [
            (
                vec![
                    "Le budget est voté",
                    "Mis à jour le 05/03/2025 à 09:12",
                    "Publié le 04/03/2025 à 18:40",
                    prose,
                ],
                Some(3),
                Some("2025-03-04"),
            ),
            // The headline missed, the dateline just above the body.
            (
                vec![
                    "Menu",
                    "a",
                    "b",
                    "c",
                    "d",
                    "e",
                    "f",
                    "g",
                    "h",
                    "i",
                    "j",
                    "Le budget est voté",
                    "Jeudi 6 mars 2025 | Mise en ligne à 10h02",
                    prose,
                ],
                Some(13),
                Some("2025-03-06"),
            ),
            // Far below the body on an older design.
            (
                vec![
                    "Menu",
                    "a",
                    "b",
                    "c",
                    "d",
                    "e",
                    "f",
                    "g",
                    "h",
                    "i",
                    "j",
                    prose,
                    "k",
                    "l",
                    "m",
                    "n",
                    "o",
                    "p",
                    "q",
                    "Publié le 07/03/2025",
                    "r",
                    "s",
                    "t",
                    "u",
                    "v",
                ],
                Some(11),
                Some("2025-03-07"),
            ),
        ];
        for (page, body, expected) in table {
            let non_empty: Vec<usize> = (0..page.len()).collect();
            let mut verdict = vec![None; page.len()];
            let found = find_date(&page, &non_empty, &mut verdict, None, body);
            assert_eq!(found.as_deref(), expected, "{page:?}");
        }
    }
}
