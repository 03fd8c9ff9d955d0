//! The outlet that published a page. Its furniture names it (a follow prompt, a cookie notice, a
//! copyright footer, an app prompt, a footer signature, a domain), or a wire's dateline does, or
//! else its masthead (the page's first line, when it is a name and not a menu).

use std::sync::OnceLock;

use regex::Regex;

use super::line::has_sentence_end;
use super::vocabulary::{fold_lower, is_language_switcher, is_ui_label, regex};
use super::{prose, Reason};

/// The outlet, read once every line has its verdict: from the furniture the passes found, or
/// from the masthead.
pub(super) fn read_source(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
) -> Option<String> {
    find_source(lines, verdict)
        .map(|s| outlet_name(&s))
        .filter(|s| !is_not_a_name(s))
        .or_else(|| masthead_name(lines, non_empty))
}

/// "X pour Continent Hebdo" names a writer for the outlet: the outlet is after "pour".
fn outlet_name(found: &str) -> String {
    let name = found.trim_start_matches("Copyright").trim();
    match name.rsplit_once(" pour ") {
        Some((_, outlet)) => outlet.trim().to_string(),
        None => name.to_string(),
    }
}

/// Words the patterns catch that are no outlet's name ("Ce site utilise des cookies"), and a
/// handle ("@journal_info") or an address, which name an account or a page, not the outlet.
fn is_not_a_name(found: &str) -> bool {
    let folded = fold_lower(found);
    folded.is_empty()
        || found.starts_with('@')
        || folded.contains("://")
        || folded.starts_with("tous droits")
        || [
            "ce site",
            "notre site",
            "ce",
            "copyright",
            "nous",
            "le site",
        ]
        .contains(&folded.as_str())
}

/// The outlet, from the strongest evidence the page gives: a follow prompt ("Suivez RT en
/// français sur Telegram"), a cookie notice ("RT en français utilise des cookies"), a copyright
/// footer ("© 2025 AFP", "X – Tous droits réservés"), an app prompt, a wire dateline
/// ("BAMAKO, 12 mars (AFP) -"), a footer signature ("Name – slogan"), a domain name.
fn find_source(lines: &[&str], verdict: &[Option<Reason>]) -> Option<String> {
    named_in_furniture(lines, verdict)
        .or_else(|| wire_dateline(lines, verdict))
        .or_else(|| footer_signature(lines, verdict))
        .or_else(|| domain_name(lines, verdict))
}

/// A line the passes dropped, other than the headline.
fn is_dropped(verdict: &[Option<Reason>], i: usize) -> bool {
    verdict[i].is_some_and(|r| r != Reason::Title)
}

/// The names of the patterns of [`named_in_furniture`] are at most this long; the bound is
/// checked in code because `{1,40}` over Unicode letter classes took 30 ms to compile, in every
/// process.
const NAME_CHARS: usize = 41;

/// The name `re` captures in the first dropped line it matches; `skip_photo` passes over lines
/// with a slash.
fn first_dropped_match(
    lines: &[&str],
    verdict: &[Option<Reason>],
    re: &Regex,
    skip_photo: bool,
) -> Option<String> {
    lines
        .iter()
        .enumerate()
        .filter(|&(i, _)| is_dropped(verdict, i))
        .find_map(|(_, l)| {
            let l = l.trim();
            if skip_photo && l.contains('/') {
                return None;
            }
            re.captures(l)
                .map(|c| c[1].trim().to_string())
                .filter(|name| name.chars().count() <= NAME_CHARS)
        })
}

/// The name `re` captures in the last dropped line it matches: a rights notice stands in the
/// footer, where the page's own is the last (a photo's credit says the same words higher up).
fn last_match(lines: &[&str], verdict: &[Option<Reason>], re: &Regex) -> Option<String> {
    lines
        .iter()
        .enumerate()
        .rev()
        .filter(|&(i, _)| is_dropped(verdict, i))
        .find_map(|(_, l)| re.captures(l.trim()).map(|c| c[1].trim().to_string()))
        .filter(|name| name.chars().count() <= NAME_CHARS && !is_not_a_name(name))
}

/// The outlet as the furniture names it: a follow prompt or a cookie notice, then a copyright
/// footer, then an app prompt.
fn named_in_furniture(lines: &[&str], verdict: &[Option<Reason>]) -> Option<String> {
    static FOLLOW: OnceLock<Regex> = OnceLock::new();
    static USES: OnceLock<Regex> = OnceLock::new();
    static COPYRIGHT: OnceLock<Regex> = OnceLock::new();
    static RIGHTS_AFTER: OnceLock<Regex> = OnceLock::new();
    static RIGHTS_BEFORE: OnceLock<Regex> = OnceLock::new();
    static APP: OnceLock<Regex> = OnceLock::new();
    let follow = regex(
        &FOLLOW,
        r"(?i)^(?:suivez|rejoignez|retrouvez)\s+(.+?)\s*(?:sur|on)\s*(?:telegram|facebook|twitter|x|whatsapp|youtube|instagram|tiktok|linkedin)\b",
    );
    let uses = regex(&USES, r"^(.{2,40}?)\s+utilise des cookies");
    let copyright = regex(
        &COPYRIGHT,
        r"©\s*(?:(?:19|20)\d{2}\s*)?(\p{L}[\p{L}\p{N}’' .-]+?)\s*(?:(?:19|20)\d{2})?\s*(?:[-–—,.|]|$|(?i:tous))",
    );
    let rights_after = regex(
        &RIGHTS_AFTER,
        r"(?i)^(\p{Lu}[\p{L}’' .-]+?)\s*[-–—|,.]\s*(?:tous droits|all rights)",
    );
    // "Tous droits réservés - Le Journal 2024": the name after the notice, alone on the line.
    let rights_before = regex(
        &RIGHTS_BEFORE,
        r"^(?i:tous droits r[ée]serv[ée]s)\s*[-–—|,:]?\s*(?:©\s*)?(\p{Lu}[\p{L}\p{N}’' .-]+?)\s*(?:(?:19|20)\d{2})?\s*\.?$",
    );
    let app = regex(&APP, r"(?i)\bl[’']appli(?:cation)?\s+(\p{Lu}[\p{L}’' -]+)$");
    let first_match =
        |re: &Regex, skip_photo: bool| first_dropped_match(lines, verdict, re, skip_photo);
    let named = |re: &Regex, skip_photo: bool| {
        first_match(re, skip_photo).filter(|name| !is_not_a_name(name))
    };
    named(follow, false)
        .or_else(|| named(uses, false))
        // A copyright with a slash names a photographer and an agency, not the outlet.
        .or_else(|| named(copyright, true))
        .or_else(|| named(rights_after, false))
        .or_else(|| last_match(lines, verdict, rights_before))
        .or_else(|| named(app, false))
}

/// A wire's dateline opens the first paragraph of text: "BAMAKO, 12 mars (AFP) -".
fn wire_dateline(lines: &[&str], verdict: &[Option<Reason>]) -> Option<String> {
    static DATELINE: OnceLock<Regex> = OnceLock::new();
    let dateline = regex(
        &DATELINE,
        r"^\p{Lu}[\p{Lu}’' -]{2,}\s*(?:\([^)]*\))?,[^()]{3,40}\((\p{Lu}{2,8})\)\s*[-–—]",
    );
    lines
        .iter()
        .enumerate()
        .filter(|&(i, _)| verdict[i].is_none())
        .take(3)
        .find_map(|(_, l)| dateline.captures(l.trim()))
        .map(|c| c[1].to_string())
}

/// A signature in the footer: the outlet's name, a dash, its slogan or city.
fn footer_signature(lines: &[&str], verdict: &[Option<Reason>]) -> Option<String> {
    static SIGNATURE: OnceLock<Regex> = OnceLock::new();
    let signature = regex(
        &SIGNATURE,
        r"^(\p{Lu}[\p{L}’']+(?:\s+\p{Lu}[\p{L}’']+){0,3})(?:\s+[\d.,]+\s*FM)?\s+[–—-]\s+\S",
    );
    let footer_start = lines.len().saturating_sub(lines.len() / 3 + 1);
    lines
        .iter()
        .enumerate()
        .skip(footer_start)
        .filter(|&(i, _)| is_dropped(verdict, i) && verdict[i] != Some(Reason::RelatedLink))
        .find_map(|(_, l)| signature.captures(l.trim()))
        .map(|c| c[1].to_string())
}

/// A domain name in a dropped line ("www.lesahelien.net").
fn domain_name(lines: &[&str], verdict: &[Option<Reason>]) -> Option<String> {
    static DOMAIN: OnceLock<Regex> = OnceLock::new();
    let domain = regex(
        &DOMAIN,
        r"\b((?:www\.)?[a-z0-9-]+\.(?:com|fr|net|org|info|ml|bf|ne|sn|ci|africa|media|tv|news))\b",
    );
    lines
        .iter()
        .enumerate()
        // A bare address is a link to anywhere (an advertiser, a partner), not the outlet's name.
        .filter(|&(i, l)| is_dropped(verdict, i) && !l.contains("://"))
        .find_map(|(_, l)| {
            domain
                .captures(&l.to_lowercase())
                .map(|c| c[1].trim_start_matches("www.").to_string())
        })
}

/// The outlet's name from the masthead: the page's first line when it is a short name, cut at
/// its tagline ("Name - slogan", "name.net - slogan"); an acronym followed by its expansion
/// gives the expansion.
fn masthead_name(lines: &[&str], non_empty: &[usize]) -> Option<String> {
    let first = lines[*non_empty.first()?].trim();
    if first.split_whitespace().count() > 12 || has_sentence_end(first) {
        return None;
    }
    if prose::is_label_run(first) && !prose::stats(first).all_caps {
        return None;
    }
    // A skip link, a prompt or a language switcher opens many pages, before the masthead.
    if is_ui_label(first) || is_language_switcher(first) {
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
    use super::super::{clean, NoFurniture};
    use super::*;

    #[test]
    fn reads_the_source_from_the_page() {
        let table = [
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\n© 2025 AFP", Some("AFP")),
            ("Un titre de l'article\n\nBAMAKO, 12 mars (AFP) - Le texte de l'article, une phrase assez longue pour être de la prose.", Some("AFP")),
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\nLe Sahélien – Tous droits réservés", Some("Le Sahélien")),
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\nTéléchargez l'application Radio Kayes", Some("Radio Kayes")),
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\nCopyright © gazette du lac 2024", Some("gazette du lac")),
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\nTous droits réservés - La Gazette 2023", Some("La Gazette")),
            ("La Gazette du Lac\n\nUn titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\nTous droits réservés sur les contenus du site", Some("La Gazette du Lac")),
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\nSuivez @gazette_info sur Twitter\n\n© La Gazette", Some("La Gazette")),
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\nhttp://www.annonceur.com/\n\nLa Gazette sur Facebook\n\nwww.lagazette.fr", Some("lagazette.fr")),
            ("date 2024-09 Photo de Cytonn Photography - Unsplash\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.", None),
        ];
        for (page, expected) in table {
            assert_eq!(
                clean(page, &NoFurniture).source.as_deref(),
                expected,
                "{page:?}"
            );
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
            ("Aller au contenu principal", None),
            ("Consulter", None),
            ("Français EnglishDeutschEspañol", None),
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
