//! Boilerplate removal: which lines of a scraped page are the article, which are the page around
//! it (consent banners, social prompts, photo credits, captions, glued button labels, "Lire aussi"
//! links, footers), and why. Also reads the title, date and source that the page carries.
//!
//! Rules are about kinds of evidence that carry over between sites (vocabulary, shape, position,
//! recurrence across the corpus), never about one site's sentences. Every dropped line is
//! reported with its [`Reason`], so `aes-search clean FILE` can show what was removed and why.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// Why a line is not article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The headline, kept as the title rather than as a passage.
    Title,
    /// The headline again, with a photo credit glued on.
    TitleRepeat,
    /// A line that only carries the date (and perhaps a credit).
    DateLine,
    /// Cookie, consent or privacy notice.
    Consent,
    /// "Suivez … sur Telegram", newsletter, app and share prompts.
    SocialPrompt,
    /// Photo or copyright credit.
    Credit,
    /// A photo caption in the page header.
    Caption,
    /// Button or menu labels run together ("Tout AccepterTout refuser").
    UiLabels,
    /// "Lire aussi", "À lire", related links.
    RelatedLink,
    /// Advertising and paywall notices.
    Advertising,
    /// Author line.
    Byline,
    /// Short text in the page header or footer that is not a sentence (slogans, labels, "OK").
    PageChrome,
    /// A line that recurs in several articles of the corpus.
    Recurring,
}

impl Reason {
    /// One line for people.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Title => "headline (kept as the title)",
            Reason::TitleRepeat => "headline repeated with a credit",
            Reason::DateLine => "date line",
            Reason::Consent => "cookie or consent notice",
            Reason::SocialPrompt => "social, newsletter or app prompt",
            Reason::Credit => "photo or copyright credit",
            Reason::Caption => "photo caption",
            Reason::UiLabels => "button labels run together",
            Reason::RelatedLink => "related-article link",
            Reason::Advertising => "advertising or paywall notice",
            Reason::Byline => "author line",
            Reason::PageChrome => "short page furniture, not a sentence",
            Reason::Recurring => "recurs in several articles of the corpus",
        }
    }
}

/// A line that was not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedLine {
    /// Line number in the file, from 1.
    pub line: usize,
    /// The line as written.
    pub text: String,
    /// Why it was dropped.
    pub reason: Reason,
}

/// An article with its page furniture removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanedArticle {
    /// The headline, where one was found.
    pub title: Option<String>,
    /// Publication date, `YYYY-MM-DD` or `YYYY-MM`.
    pub date: Option<String>,
    /// The outlet, where it could be told.
    pub source: Option<String>,
    /// The article's paragraphs, in order (subheadings included).
    pub paragraphs: Vec<String>,
    /// The lines left out, with the reason.
    pub dropped: Vec<DroppedLine>,
}

/// What the corpus has taught about furniture: lines seen in several articles.
pub trait KnownFurniture {
    /// Whether the line with this [`fingerprint`] recurs across the corpus.
    fn is_recurring(&self, fingerprint: u64) -> bool;
}

/// No corpus knowledge: each article judged on its own.
pub struct NoFurniture;

impl KnownFurniture for NoFurniture {
    fn is_recurring(&self, _: u64) -> bool {
        false
    }
}

impl KnownFurniture for std::collections::HashSet<u64> {
    fn is_recurring(&self, fingerprint: u64) -> bool {
        self.contains(&fingerprint)
    }
}

/// A fingerprint of a line that ignores case, accents, punctuation and spacing, or `None` for
/// lines too short to say anything (fewer than 8 letters).
pub fn fingerprint(line: &str) -> Option<u64> {
    let mut hasher = blake3::Hasher::new();
    let mut letters = 0usize;
    let mut buf = [0u8; 4];
    for c in crate::analysis::fold(line).chars() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                hasher.update(l.encode_utf8(&mut buf).as_bytes());
            }
            letters += 1;
        }
    }
    if letters < 8 {
        return None;
    }
    let hash = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    Some(u64::from_le_bytes(first))
}

/// The distinct fingerprints of an article's lines, for the corpus-wide furniture count.
pub fn line_fingerprints(text: &str) -> Vec<u64> {
    let mut prints: Vec<u64> = text.lines().filter_map(fingerprint).collect();
    prints.sort_unstable();
    prints.dedup();
    prints
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in pattern"))
}

const MONTHS: [&str; 12] = [
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
    "octobre", "novembre", "decembre",
];

/// Finds a date in `line` and returns it as `YYYY-MM-DD` or `YYYY-MM`.
pub fn parse_date(line: &str) -> Option<String> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    static NUMERIC: OnceLock<Regex> = OnceLock::new();
    static WORDS: OnceLock<Regex> = OnceLock::new();
    let folded = crate::analysis::fold(line).to_lowercase();
    let valid = |y: u32, m: u32, d: Option<u32>| {
        (1900..=2100).contains(&y) && (1..=12).contains(&m) && d.is_none_or(|d| (1..=31).contains(&d))
    };
    let format = |y: u32, m: u32, d: Option<u32>| match d {
        Some(d) => format!("{y:04}-{m:02}-{d:02}"),
        None => format!("{y:04}-{m:02}"),
    };
    let iso = regex(&ISO, r"\b(\d{4})-(\d{2})(?:-(\d{2}))?(?:\b|T)");
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
        r"\b(\d{1,2})(?:er)?\s+(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+(\d{4})\b",
    );
    if let Some(c) = words.captures(&folded) {
        let d = c[1].parse().ok()?;
        let m = MONTHS.iter().position(|&m| m == &c[2])? as u32 + 1;
        let y = c[3].parse().ok()?;
        if valid(y, m, Some(d)) {
            return Some(format(y, m, Some(d)));
        }
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
    None
}

/// Words a line is made of, lowercased and accent-folded.
fn words(line: &str) -> Vec<String> {
    crate::analysis::fold(line)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

const NETWORKS: &[&str] = &[
    "telegram", "facebook", "twitter", "whatsapp", "youtube", "instagram", "tiktok", "linkedin",
    "threads", "bluesky", "snapchat", "x", "google", "newsletter", "application", "appli",
    "podcast", "chaine", "flux", "rss", "messenger", "viber", "vk", "dailymotion", "pinterest",
];

const PROMPT_VERBS: &[&str] = &[
    "suivez", "rejoignez", "partagez", "partager", "abonnez", "inscrivez", "telechargez",
    "retrouvez", "suivre", "recevez", "ecoutez", "regardez", "likez", "aimez", "soutenez",
];

const CONSENT_WORDS: &[&str] = &[
    "cookie", "cookies", "traceurs", "consentez", "consentement", "confidentialite", "rgpd",
    "cliquant", "accepter", "refuser", "parametrer", "personnalisees", "navigation",
    "partenaires", "gdpr", "consent",
];

const CREDIT_WORDS: &[&str] = &[
    "photo", "photos", "credit", "credits", "unsplash", "getty", "afp", "reuters", "ap",
    "shutterstock", "istock", "archives", "illustration", "image", "images", "dr", "pixabay",
    "anadolu", "epa", "sipa", "xinhua",
];

const RELATED: &[&str] = &["lire aussi", "a lire", "voir aussi", "lire la suite", "sur le meme sujet", "nos articles", "a voir", "en savoir plus", "articles lies", "les plus lus", "dans la meme rubrique"];

const ADVERTISING: &[&str] = &[
    "publicite", "sponsorise", "contenu sponsorise", "reserve aux abonnes", "deja abonne",
    "abonnez-vous", "il vous reste", "article reserve", "offre speciale", "se connecter",
    "s'abonner", "annonce",
];

fn has_sentence_end(line: &str) -> bool {
    let t = line.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '»' | '"' | '”' | ')' | '’'));
    t.ends_with(['.', '!', '?', '…', ';', ':'])
}

/// Lower-case letter directly followed by an upper-case one, as in "AccepterTout": labels of
/// buttons whose text was scraped without separators.
fn glued_labels(line: &str) -> usize {
    let chars: Vec<char> = line.chars().collect();
    chars
        .windows(2)
        .filter(|w| w[0].is_lowercase() && w[1].is_uppercase())
        .count()
}

fn starts_with_any(folded_lower: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| {
        folded_lower.starts_with(p)
            && !folded_lower[p.len()..].starts_with(|c: char| c.is_alphanumeric())
    })
}

/// Judges one line on its own (no position, no corpus). `None` means "looks like text".
fn judge_line(line: &str) -> Option<Reason> {
    let w = words(line);
    let folded = crate::analysis::fold(line.trim()).to_lowercase();
    let n = w.len();
    let has = |list: &[&str]| w.iter().filter(|x| list.contains(&x.as_str())).count();

    let consent = has(CONSENT_WORDS);
    let cookie = w.iter().any(|x| x.starts_with("cookie") || x == "traceurs");
    let addressed = w.iter().any(|x| matches!(x.as_str(), "vous" | "votre" | "vos" | "nous" | "utilise" | "utilisons" | "site" | "services" | "experience"));
    if (cookie && (consent >= 2 || addressed)) || consent >= 4 {
        return Some(Reason::Consent);
    }
    if glued_labels(line) >= 2 && n <= 12 && !has_sentence_end(line) {
        return Some(Reason::UiLabels);
    }
    let first = w.first().map(String::as_str).unwrap_or("");
    let prompt_verb = PROMPT_VERBS.iter().any(|v| first.starts_with(v))
        || (n <= 6 && w.iter().take(3).any(|x| PROMPT_VERBS.contains(&x.as_str())));
    let network = w.iter().any(|x| NETWORKS.contains(&x.as_str()))
        || NETWORKS.iter().any(|n| n.len() > 3 && folded.contains(n));
    if prompt_verb && (network || n <= 8) && n <= 25 {
        return Some(Reason::SocialPrompt);
    }
    // A share bar: nothing but network names and share verbs.
    if n > 0 && n <= 10 && w.iter().all(|x| NETWORKS.contains(&x.as_str()) || PROMPT_VERBS.contains(&x.as_str()) || x == "e" || x == "mail" || x == "email" || x == "imprimer" || x == "copier" || x == "lien") {
        return Some(Reason::SocialPrompt);
    }
    if starts_with_any(&folded, RELATED) {
        return Some(Reason::RelatedLink);
    }
    if n <= 20 && ADVERTISING.iter().any(|a| starts_with_any(&folded, &[a]) || (n <= 6 && folded.contains(a))) {
        return Some(Reason::Advertising);
    }
    if folded.contains("tous droits reserves") || folded.contains("all rights reserved") {
        return Some(Reason::Credit);
    }
    let credit_marker = line.contains('©') || folded.starts_with("(c)");
    let credit_words = has(CREDIT_WORDS);
    if n <= 16 && (credit_marker || (credit_words >= 1 && (folded.starts_with("photo") || folded.starts_with("credit") || folded.starts_with("image") || folded.contains(" - unsplash") || folded.contains("/ afp") || folded.contains("/ reuters")))) {
        return Some(Reason::Credit);
    }
    if n <= 6 && (first == "par" || first == "by") && !has_sentence_end(line) && w.len() >= 2 {
        return Some(Reason::Byline);
    }
    None
}

/// Shape of a line of running prose: long enough and ending as a sentence ends.
fn is_prose(line: &str) -> bool {
    line.chars().count() >= 80 && has_sentence_end(line)
}

/// Cleans a decoded article. `known` says which lines the corpus has shown to recur.
///
/// ```
/// use aes_search::clean::{clean, NoFurniture};
/// let page = "Bamako accueille le sommet de l'AES\n\nSuivez Le Journal sur Telegram\n\n\
///             Les chefs d'État de la Confédération se réunissent à Bamako pour dresser le bilan.\n\n\
///             Tout AccepterTout refuser";
/// let article = clean(page, &NoFurniture);
/// assert_eq!(article.title.as_deref(), Some("Bamako accueille le sommet de l'AES"));
/// assert_eq!(article.paragraphs.len(), 1);
/// assert_eq!(article.dropped.len(), 3);
/// ```
pub fn clean(text: &str, known: &dyn KnownFurniture) -> CleanedArticle {
    let lines: Vec<&str> = text.lines().collect();
    let mut verdict: Vec<Option<Reason>> = vec![None; lines.len()];
    let non_empty: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].trim().is_empty()).collect();

    for &i in &non_empty {
        let line = lines[i].trim();
        verdict[i] = judge_line(line).or_else(|| {
            fingerprint(line)
                .filter(|&f| known.is_recurring(f))
                .map(|_| Reason::Recurring)
        });
    }

    let mut out = CleanedArticle::default();

    // Title: the first line, when it reads as a headline (not a credit, not a date, not prose).
    if let Some(&first) = non_empty.first() {
        let line = lines[first].trim();
        let len = line.chars().count();
        if verdict[first].is_none() && parse_date(line).is_none() && (10..=200).contains(&len) && !line.ends_with('.') {
            out.title = Some(line.to_string());
            verdict[first] = Some(Reason::Title);
        }
    }

    // Date: from a short line in the header or footer that is mostly a date.
    for &i in non_empty.iter().take(8).chain(non_empty.iter().rev().take(4)) {
        let line = lines[i].trim();
        if out.date.is_none() && line.chars().count() <= 120 && !is_prose(line) {
            if let Some(date) = parse_date(line) {
                out.date = Some(date);
                if verdict[i].is_none() || verdict[i] == Some(Reason::Credit) {
                    verdict[i] = Some(Reason::DateLine);
                }
            }
        }
    }

    // Header zone: everything before the first prose line.
    let first_prose = non_empty.iter().copied().find(|&i| verdict[i].is_none() && is_prose(lines[i].trim()));
    let last_prose = non_empty.iter().rev().copied().find(|&i| verdict[i].is_none() && is_prose(lines[i].trim()));
    if let Some(start) = first_prose {
        for &i in non_empty.iter().filter(|&&i| i < start) {
            if verdict[i].is_some() {
                continue;
            }
            let line = lines[i].trim();
            if let Some(title) = &out.title {
                if line.starts_with(title.as_str()) && line.len() > title.len() {
                    verdict[i] = Some(Reason::TitleRepeat);
                    continue;
                }
            }
            // A caption: a short line next to a credit, in the header.
            let near_credit = [i.wrapping_sub(1), i + 1].iter().any(|&j| {
                j < lines.len() && matches!(verdict[j], Some(Reason::Credit | Reason::TitleRepeat | Reason::DateLine))
            });
            if near_credit && line.chars().count() <= 160 {
                verdict[i] = Some(Reason::Caption);
            } else if !has_sentence_end(line) && line.split_whitespace().count() <= 4 {
                verdict[i] = Some(Reason::PageChrome);
            }
        }
    }
    // Title repeat may also follow directly after the title when no prose was found.
    if let Some(title) = &out.title {
        for &i in &non_empty {
            let line = lines[i].trim();
            if verdict[i].is_none() && line.starts_with(title.as_str()) && line.len() > title.len() && judge_line(&line[title.len()..]).is_some() {
                verdict[i] = Some(Reason::TitleRepeat);
            }
        }
    }
    // Footer zone: after the last prose line, lines that are not sentences are page chrome.
    if let Some(end) = last_prose {
        for &i in non_empty.iter().filter(|&&i| i > end) {
            if verdict[i].is_none() && !has_sentence_end(lines[i].trim()) && lines[i].trim().chars().count() <= 60 {
                verdict[i] = Some(Reason::PageChrome);
            }
        }
    }

    out.source = find_source(&lines, &verdict);

    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        match verdict[i] {
            None => out.paragraphs.push(trimmed.to_string()),
            Some(reason) => out.dropped.push(DroppedLine { line: i + 1, text: trimmed.to_string(), reason }),
        }
    }
    out
}

/// The outlet: named in a follow prompt ("Suivez RT en français sur Telegram"), a cookie notice
/// ("RT en français utilise des cookies"), a copyright footer, or a wire credit.
fn find_source(lines: &[&str], verdict: &[Option<Reason>]) -> Option<String> {
    static FOLLOW: OnceLock<Regex> = OnceLock::new();
    static USES: OnceLock<Regex> = OnceLock::new();
    static COPYRIGHT: OnceLock<Regex> = OnceLock::new();
    static DOMAIN: OnceLock<Regex> = OnceLock::new();
    let follow = regex(&FOLLOW, r"(?i)^(?:suivez|rejoignez|retrouvez)\s+(.+?)\s*(?:sur|on)\s*(?:telegram|facebook|twitter|x|whatsapp|youtube|instagram|tiktok|linkedin)\b");
    let uses = regex(&USES, r"^(.{2,40}?)\s+utilise des cookies");
    let copyright = regex(&COPYRIGHT, r"©\s*(?:\d{4}\s*)?([A-Z][\w’' .-]{1,40}?)\s*(?:\d{4})?\s*(?:[-–—,.]|$|Tous)");
    let domain = regex(&DOMAIN, r"\b((?:www\.)?[a-z0-9-]+\.(?:com|fr|net|org|info|ml|bf|ne|sn|ci|africa|media|tv))\b");
    let dropped = |i: usize| verdict[i].is_some_and(|r| r != Reason::Title);
    for re in [follow, uses] {
        for (i, l) in lines.iter().enumerate() {
            if dropped(i) {
                if let Some(c) = re.captures(l.trim()) {
                    return Some(c[1].trim().to_string());
                }
            }
        }
    }
    // Copyright in the footer (not a photo credit next to the headline).
    let header_end = lines.len() / 3;
    for (i, l) in lines.iter().enumerate().skip(header_end) {
        if dropped(i) {
            if let Some(c) = copyright.captures(l.trim()) {
                return Some(c[1].trim().to_string());
            }
        }
    }
    for (i, l) in lines.iter().enumerate() {
        if dropped(i) {
            if let Some(c) = domain.captures(&l.to_lowercase()) {
                return Some(c[1].trim_start_matches("www.").to_string());
            }
        }
    }
    None
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
    fn judges_lines_on_their_own() {
        let table = [
            ("Suivez Le Sahélien sur Telegram", Some(Reason::SocialPrompt)),
            ("Rejoignez-nous sur WhatsApp", Some(Reason::SocialPrompt)),
            ("Tout AccepterTout refuserParamétrer vos choix", Some(Reason::UiLabels)),
            ("Photo de Jean Dupont - Unsplash", Some(Reason::Credit)),
            ("© AFP / Issouf Sanogo", Some(Reason::Credit)),
            ("Lire aussi : Le Niger quitte la Cédéao", Some(Reason::RelatedLink)),
            ("PUBLICITÉ", Some(Reason::Advertising)),
            ("Ce site utilise des cookies pour améliorer votre navigation.", Some(Reason::Consent)),
            ("Facebook Twitter WhatsApp E-mail", Some(Reason::SocialPrompt)),
            ("Le Mali, le Burkina Faso et le Niger avancent vers une stratégie commune de défense.", None),
            ("Des avancées symboliques et institutionnelles", None),
            ("Les partenaires techniques suivent le dossier de près depuis Niamey.", None),
        ];
        for (line, expected) in table {
            assert_eq!(judge_line(line), expected, "{line:?}");
        }
    }

    #[test]
    fn recurring_lines_are_dropped() {
        let slogan = "La voix du Sahel, chaque jour";
        let known: std::collections::HashSet<u64> = fingerprint(slogan).into_iter().collect();
        let text = format!("Un titre assez long pour un titre\n\n{slogan}.\n\nLe texte de l'article est ici, avec une phrase complète qui se termine bien.");
        let article = clean(&text, &known);
        assert_eq!(article.dropped.iter().map(|d| d.reason).collect::<Vec<_>>(), [Reason::Title, Reason::Recurring]);
    }
}
