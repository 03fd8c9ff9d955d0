//! Boilerplate removal: which lines of a scraped page are the article, which are the page around
//! it (consent banners, social prompts, photo credits, captions, glued button labels, "Lire aussi"
//! links, footers), and why. Also reads the title, date and source that the page carries.
//!
//! Rules are about kinds of evidence that carry over between sites (vocabulary, shape, position,
//! recurrence across the corpus), never about one site's sentences. Every dropped line is
//! reported with its [`Reason`], so `aes-search clean FILE` can show what was removed and why.

mod prose;
mod title;

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

/// ASCII bytes as a fingerprint keeps them: letters lowercased, digits, 0 for the rest.
const ASCII_KEY: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// A fingerprint of a line that ignores case, accents, punctuation and spacing, or `None` for
/// lines too short to say anything (fewer than 8 letters).
pub fn fingerprint(line: &str) -> Option<u64> {
    // Computed for every line of every article, twice (when the corpus is scanned, and when the
    // article is indexed): only letters outside ASCII take the Unicode path.
    let bytes = line.as_bytes();
    // Written at `kept`, which never passes `key.len() - (bytes.len() - i)`: an ASCII byte gives
    // at most one byte, and the rare character whose folding is longer than itself grows `key`.
    let mut key = vec![0u8; bytes.len()];
    let (mut kept, mut letters, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // Most of French text, without a branch on the byte itself: one on whether it is
            // kept was mispredicted at every space and mark.
            let k = ASCII_KEY[usize::from(b)];
            key[kept] = k;
            kept += usize::from(k != 0);
            letters += usize::from(k != 0);
            i += 1;
            continue;
        }
        let Some(c) = line.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        let mut one = [0u8; 4];
        for_each_folded_lower(c.encode_utf8(&mut one), |c| {
            if c.is_alphanumeric() {
                let mut utf8 = [0u8; 4];
                let encoded = c.encode_utf8(&mut utf8).as_bytes();
                let needed = kept + encoded.len() + (bytes.len() - i);
                if key.len() < needed {
                    key.resize(needed, 0);
                }
                key[kept..kept + encoded.len()].copy_from_slice(encoded);
                kept += encoded.len();
                letters += 1;
            }
        });
    }
    key.truncate(kept);
    if letters < 8 {
        return None;
    }
    let hash = blake3::hash(&key);
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    Some(u64::from_le_bytes(first))
}

/// [`crate::fold::fold`] then lowercase, in one pass: the form every vocabulary rule reads.
fn fold_lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_folded_lower(text, |c| out.push(c));
    out
}

/// Calls `f` with each character of `text` accent-folded and lowercased; ASCII and Latin-1 take
/// a path without Unicode tables.
#[inline]
fn for_each_folded_lower(text: &str, mut f: impl FnMut(char)) {
    for c in text.chars() {
        if c.is_ascii() {
            f(c.to_ascii_lowercase());
        } else if let Some(folded) = crate::fold::fold_latin1(c) {
            f(folded.to_ascii_lowercase());
        } else {
            let mut one = [0u8; 4];
            for folded in crate::fold::fold(c.encode_utf8(&mut one)).chars() {
                folded.to_lowercase().for_each(&mut f);
            }
        }
    }
}

/// The distinct fingerprints of an article's lines, for the corpus-wide furniture count.
pub fn line_fingerprints(text: &str) -> Vec<u64> {
    distinct_prints(&fingerprint_lines(text))
}

/// The fingerprint of each line of `text` (as `str::lines` cuts it), for [`clean_with_prints`].
pub(crate) fn fingerprint_lines(text: &str) -> Vec<Option<u64>> {
    text.lines().map(fingerprint).collect()
}

/// The distinct fingerprints among those of each line, sorted.
pub(crate) fn distinct_prints(line_prints: &[Option<u64>]) -> Vec<u64> {
    let mut prints: Vec<u64> = line_prints.iter().flatten().copied().collect();
    prints.sort_unstable();
    prints.dedup();
    prints
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in pattern"))
}

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

const MONTH_PATTERN: &str = r"(janvier|janv|jan|fevrier|fevr|fev|mars|avril|avr|mai|juin|juillet|juil|aout|septembre|sept|sep|octobre|oct|novembre|nov|decembre|dec)\.?";

fn month_number(name: &str) -> Option<u32> {
    MONTHS.iter().find(|(m, _)| *m == name).map(|&(_, n)| n)
}

/// Finds a date in `line` and returns it as `YYYY-MM-DD` or `YYYY-MM`: ISO ("2024-09-14T08:00",
/// "date 2024-09"), words ("13 septembre 2024", "1er août 2023", "14 sept. 2024", "mars 2024"),
/// or day first with slashes or dots ("06/07/2025", "15.02.2024").
pub fn parse_date(line: &str) -> Option<String> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    static NUMERIC: OnceLock<Regex> = OnceLock::new();
    static WORDS: OnceLock<Regex> = OnceLock::new();
    static MONTH_YEAR: OnceLock<Regex> = OnceLock::new();
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

/// Words a line is made of, lowercased and accent-folded.
fn words(line: &str) -> Vec<String> {
    fold_lower(line)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

const NETWORKS: &[&str] = &[
    "telegram",
    "facebook",
    "twitter",
    "whatsapp",
    "youtube",
    "instagram",
    "tiktok",
    "linkedin",
    "threads",
    "bluesky",
    "snapchat",
    "x",
    "google",
    "newsletter",
    "newsletters",
    "application",
    "appli",
    "podcast",
    "chaine",
    "flux",
    "rss",
    "messenger",
    "viber",
    "vk",
    "dailymotion",
    "pinterest",
];

const PROMPT_VERBS: &[&str] = &[
    "suivez",
    "rejoignez",
    "partagez",
    "partager",
    "abonnez",
    "inscrivez",
    "telechargez",
    "telecharger",
    "retrouvez",
    "suivre",
    "recevez",
    "ecoutez",
    "ecouter",
    "reecouter",
    "regardez",
    "regarder",
    "revoir",
    "likez",
    "aimez",
    "soutenez",
    "imprimer",
    "envoyer",
];

/// Words of a share bar besides network names and share verbs.
const SHARE_WORDS: &[&str] = &[
    "e", "mail", "email", "copier", "lien", "a", "un", "ami", "par", "sur", "cet", "article",
];

/// Words of cookie banners and consent dialogs (a `match`: every word of every line is tested).
fn is_consent_word(word: &str) -> bool {
    matches!(
        word,
        "cookie"
            | "cookies"
            | "traceurs"
            | "consentez"
            | "consentement"
            | "confidentialite"
            | "rgpd"
            | "cliquant"
            | "accepter"
            | "refuser"
            | "parametrer"
            | "personnalisees"
            | "navigation"
            | "partenaires"
            | "gdpr"
            | "consent"
            | "preferences"
    )
}

const RELATED: &[&str] = &[
    "lire aussi",
    "a lire",
    "voir aussi",
    "lire la suite",
    "sur le meme sujet",
    "nos articles",
    "a voir",
    "en savoir plus",
    "articles lies",
    "les plus lus",
    "dans la meme rubrique",
    "articles similaires",
    "lire egalement",
    "sur le meme theme",
    "a decouvrir",
    "a la une",
    "articles recommandes",
    "vous aimerez aussi",
];

const ADVERTISING: &[&str] = &[
    "publicite",
    "sponsorise",
    "contenu sponsorise",
    "reserve aux abonnes",
    "deja abonne",
    "abonnez-vous",
    "il vous reste",
    "article reserve",
    "offre speciale",
    "se connecter",
    "s'abonner",
    "annonce",
    "la suite est reservee",
    "cet article est reserve",
];

/// Copyright notices that name no photo: the footer of the page.
const RIGHTS: &[&str] = &[
    "tous droits reserves",
    "all rights reserved",
    "reproduction interdite",
    "toute reproduction",
    "droits de reproduction",
];

/// Words of a field label in a page header ("Émission : …", "Rubrique : …", "Mots-clés : …").
const FIELD_LABELS: &[&str] = &[
    "emission",
    "rubrique",
    "categorie",
    "categories",
    "mots",
    "tags",
    "etiquettes",
    "themes",
    "auteur",
    "auteurs",
    "duree",
    "temps",
    "section",
];

fn has_sentence_end(line: &str) -> bool {
    let t = line
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '»' | '"' | '”' | ')' | '’'));
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

/// A copyright footer ("© 2025 AFP", "X – Tous droits réservés"), as opposed to a photo credit.
fn is_rights_notice(line: &str) -> bool {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let folded = fold_lower(line);
    RIGHTS.iter().any(|r| folded.contains(r))
        || (line.contains('©')
            && !line.contains('/')
            && regex(&YEAR, r"\b(19|20)\d{2}\b").is_match(line))
}

/// "Par Claire Moreau", "Par Moussa Diallo, à Niamey", "By Jane Doe": a name after "par", not a
/// sentence ("Par ailleurs, …" has lowercase words and ends as a sentence).
fn is_byline<W: AsRef<str>>(line: &str, w: &[W]) -> bool {
    const LINKS: &[&str] = &[
        "et",
        "a",
        "de",
        "du",
        "des",
        "notre",
        "envoye",
        "envoyee",
        "special",
        "speciale",
        "correspondant",
        "correspondante",
        "avec",
        "and",
        "in",
    ];
    let first = w.first().map(AsRef::as_ref).unwrap_or("");
    if !(first == "par" || first == "by") || w.len() < 2 || w.len() > 12 || has_sentence_end(line) {
        return false;
    }
    // Names are capitalised: every word after "par" is either a name or a linking word.
    line.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’')
        .filter(|t| !t.is_empty())
        .skip(1)
        .all(|t| {
            t.chars().next().is_some_and(char::is_uppercase)
                || LINKS.contains(&fold_lower(t).as_str())
        })
}

/// A breadcrumb or a list of section labels: segments of at most three words separated by
/// "›", ">", "|", "/" or "»" ("Accueil › Politique", "Politique | Sahel", "Imprimer | Envoyer").
fn is_breadcrumb(line: &str) -> bool {
    const SEPARATORS: [char; 7] = ['›', '>', '|', '»', '/', '•', '·'];
    // Most lines have none: the bytes that can start a separator are looked for first.
    line.bytes()
        .any(|b| matches!(b, b'>' | b'|' | b'/' | 0xC2 | 0xE2))
        && line.contains(SEPARATORS)
        && !has_sentence_end(line)
        && line.split(SEPARATORS).all(|s| {
            let s = s.trim();
            !s.is_empty() && s.split_whitespace().count() <= 3
        })
}

/// Judges one line on its own (no position, no corpus). `None` means "looks like text".
fn judge_line(line: &str) -> Option<Reason> {
    // Folded and lowercased once; the words are slices of it. Every line of every article comes
    // through here, mostly long prose: one pass over the words decides the consent banner (which
    // has no length limit), and only lines short enough for the other rules go further.
    let folded = fold_lower(line.trim());
    let words = || {
        folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    };
    let (mut n, mut consent, mut cookie, mut addressed) = (0usize, 0usize, false, false);
    for x in words() {
        n += 1;
        consent += usize::from(is_consent_word(x));
        cookie |= x.starts_with("cookie") || x == "traceurs";
        addressed |= matches!(
            x,
            "vous"
                | "votre"
                | "vos"
                | "nous"
                | "utilise"
                | "utilisons"
                | "site"
                | "services"
                | "experience"
        );
    }
    if (cookie && (consent >= 2 || addressed)) || consent >= 4 {
        return Some(Reason::Consent);
    }
    // Every other rule but the lead-in of related links is for lines of at most 25 words.
    if n > 25 {
        return starts_with_any(&folded, RELATED).then_some(Reason::RelatedLink);
    }
    let w: Vec<&str> = words().collect();
    let sentence = has_sentence_end(line);
    if n <= 12 && !sentence && glued_labels(line) >= 2 {
        return Some(Reason::UiLabels);
    }
    let first = w.first().map(AsRef::as_ref).unwrap_or("");
    let network = || {
        w.iter().any(|x| NETWORKS.contains(x))
            || NETWORKS.iter().any(|n| n.len() > 3 && folded.contains(n))
            || folded.contains("lettre d'info")
    };
    let prompt_verb = PROMPT_VERBS.iter().any(|v| first.starts_with(v))
        || (n <= 6 && !sentence && w.iter().take(3).any(|x| PROMPT_VERBS.contains(x)));
    // A prompt names a network, or is a short imperative that is not a sentence of the article.
    if prompt_verb && ((n <= 25 && network()) || (n <= 8 && !sentence)) {
        return Some(Reason::SocialPrompt);
    }
    // A share bar: nothing but network names, share verbs and their small words.
    if n > 0
        && n <= 12
        && w.iter().any(|x| NETWORKS.contains(x))
        && w.iter()
            .all(|x| NETWORKS.contains(x) || PROMPT_VERBS.contains(x) || SHARE_WORDS.contains(x))
    {
        return Some(Reason::SocialPrompt);
    }
    // The page speaking to its reader about itself ("Vous avez aimé cet article ?").
    let about_page = || folded.contains("cet article") || folded.contains("ce contenu");
    if n <= 12 && about_page() && (w.iter().any(|x| matches!(*x, "vous" | "votre")) || prompt_verb)
    {
        return Some(Reason::SocialPrompt);
    }
    if starts_with_any(&folded, RELATED) {
        return Some(Reason::RelatedLink);
    }
    if n <= 20
        && ADVERTISING
            .iter()
            .any(|a| starts_with_any(&folded, &[a]) || (n <= 6 && folded.contains(a)))
    {
        return Some(Reason::Advertising);
    }
    if n > 16 {
        return None; // a byline is shorter too
    }
    if is_rights_notice(line) {
        return Some(Reason::Credit);
    }
    let credit_marker = line.contains('©') || folded.starts_with("(c)");
    let credit_start = ["photo", "credit", "image", "illustration"]
        .iter()
        .any(|p| folded.starts_with(p));
    let agency_credit = [
        " - unsplash",
        "/ afp",
        "/afp",
        "/ reuters",
        "/reuters",
        "getty images",
        "via unsplash",
    ]
    .iter()
    .any(|p| folded.contains(p));
    if !sentence && (credit_marker || credit_start || agency_credit) {
        return Some(Reason::Credit);
    }
    if credit_marker {
        return Some(Reason::Credit);
    }
    if is_byline(line, &w) {
        return Some(Reason::Byline);
    }
    None
}

/// Shape of a line of running prose: long enough and ending as a sentence ends.
fn is_prose(line: &str) -> bool {
    line.chars().count() >= 80 && has_sentence_end(line)
}

/// A line of article text: a sentence of at least five words.
fn is_text(line: &str) -> bool {
    has_sentence_end(line) && line.split_whitespace().count() >= 5
}

/// Lines the corpus has seen in several articles are furniture, with two exceptions that keep
/// every sentence: a prose paragraph between fresh paragraphs (a standard background paragraph of
/// a wire), and the prose of an article that recurs as a whole (a dispatch republished by several
/// sites). Returns whether the article looks republished.
fn apply_recurrence(
    lines: &[&str],
    prints: &[Option<u64>],
    non_empty: &[usize],
    verdict: &mut [Option<Reason>],
    known: &dyn KnownFurniture,
) -> bool {
    let recurring: Vec<bool> = (0..lines.len())
        .map(|i| verdict[i].is_none() && prints[i].is_some_and(|f| known.is_recurring(f)))
        .collect();
    let prose: Vec<usize> = non_empty
        .iter()
        .copied()
        .filter(|&i| verdict[i].is_none() && is_prose(lines[i].trim()))
        .collect();
    let recurring_prose = prose.iter().filter(|&&i| recurring[i]).count();
    let republished = recurring_prose * 2 > prose.len();
    let first_fresh = prose.iter().copied().find(|&i| !recurring[i]);
    let last_fresh = prose.iter().copied().rev().find(|&i| !recurring[i]);
    for &i in non_empty {
        if !recurring[i] {
            continue;
        }
        if is_prose(lines[i].trim()) {
            let inside = first_fresh.is_some_and(|f| f < i) && last_fresh.is_some_and(|l| i < l);
            if republished || inside {
                continue;
            }
        }
        verdict[i] = Some(Reason::Recurring);
    }
    republished
}

/// The headline: in the page header (before the first paragraph of prose), the first line that
/// reads as one: not furniture, not a date, not a breadcrumb or section label, not a sentence.
fn find_title(
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

/// "Émission : Le Journal du Faso", "Mots-clés : AES, …": a field of the page, not a heading.
fn is_field_label(line: &str) -> bool {
    let Some((label, value)) = line.split_once(':') else {
        return false;
    };
    !has_sentence_end(line)
        && !value.trim().is_empty()
        && line.split_whitespace().count() <= 10
        && words(label)
            .first()
            .is_some_and(|w| FIELD_LABELS.contains(&w.as_str()))
}

/// Words that say a line is a publication date ("Publié le", "Mis à jour", "date").
pub(crate) fn date_words(line: &str) -> usize {
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

/// The publication date: from short lines of the header and footer, preferring those that are
/// only a date ("Publié le 06/07/2025 à 10h12"), never a caption's or the prose's dates. Every
/// header or footer line that is only a date is marked as a date line.
fn find_date(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &mut [Option<Reason>],
) -> Option<String> {
    let mut candidates: Vec<(usize, usize, String)> = Vec::new();
    let edges = non_empty.iter().copied().take(10).chain(
        non_empty
            .iter()
            .rev()
            .copied()
            .take(5)
            .collect::<Vec<_>>()
            .into_iter()
            .rev(),
    );
    for (order, i) in edges.enumerate() {
        let line = lines[i].trim();
        if is_prose(line) || line.chars().count() > 160 || verdict[i] == Some(Reason::Caption) {
            continue;
        }
        let Some(date) = parse_date(line) else {
            continue;
        };
        let other_words = date_words(line);
        let mostly_date = other_words <= 1;
        let rank = if mostly_date
            || words(line)
                .first()
                .is_some_and(|w| matches!(w.as_str(), "publie" | "date" | "mis" | "le"))
        {
            0
        } else {
            1
        };
        // Only a date, a "Publié le …" line, or a date glued to a credit ("date 2024-09 Photo
        // de … - Unsplash"): the line goes, as a date line.
        let only_date = mostly_date
            && matches!(
                verdict[i],
                None | Some(Reason::Recurring | Reason::PageChrome)
            );
        let publication = verdict[i].is_none() && rank == 0 && !is_text(line);
        if only_date || publication || verdict[i] == Some(Reason::Credit) {
            verdict[i] = Some(Reason::DateLine);
        }
        candidates.push((rank, order, date));
    }
    candidates.sort();
    candidates.into_iter().next().map(|(_, _, d)| d)
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
    clean_with_prints(text, &fingerprint_lines(text), known)
}

/// [`clean`], given the [`fingerprint_lines`] of `text` the indexer has computed already.
pub(crate) fn clean_with_prints(
    text: &str,
    prints: &[Option<u64>],
    known: &dyn KnownFurniture,
) -> CleanedArticle {
    let lines: Vec<&str> = text.lines().collect();
    debug_assert_eq!(lines.len(), prints.len());
    let mut verdict: Vec<Option<Reason>> = vec![None; lines.len()];
    let non_empty: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let line = |i: usize| lines[i].trim();

    // 1. Each line on its own: vocabulary and shape.
    for &i in &non_empty {
        verdict[i] = judge_line(line(i));
    }
    // 2. What the corpus has shown to recur.
    let republished = apply_recurrence(&lines, prints, &non_empty, &mut verdict, known);

    // 3. Figure blocks: a caption sits directly against its photo credit, and on its other side
    // has a blank line, the page's edge or more furniture; prose on the other side means the
    // page has no blank lines and the line is a paragraph.
    let figure_side = |verdict: &[Option<Reason>], i: usize, other: Option<usize>| {
        other.is_none_or(|j| {
            j >= lines.len() || line(j).is_empty() || verdict[j].is_some() || !is_text(line(j))
        }) && line(i).chars().count() <= 200
    };
    for &i in &non_empty {
        let photo_credit = |j: usize| {
            j < lines.len() && verdict[j] == Some(Reason::Credit) && !is_rights_notice(line(j))
        };
        let before = i.checked_sub(1);
        let credit_after = photo_credit(i + 1) && figure_side(&verdict, i, before);
        let credit_before =
            before.is_some_and(photo_credit) && figure_side(&verdict, i, Some(i + 1));
        if verdict[i].is_none() && (credit_after || credit_before) {
            verdict[i] = Some(Reason::Caption);
        }
    }
    // 4. Related links: titles listed directly under "À lire aussi".
    for &i in &non_empty {
        if verdict[i].is_none()
            && i > 0
            && verdict[i - 1] == Some(Reason::RelatedLink)
            && !has_sentence_end(line(i))
        {
            verdict[i] = Some(Reason::RelatedLink);
        }
    }

    let mut out = CleanedArticle::default();
    let first_prose = non_empty
        .iter()
        .copied()
        .find(|&i| verdict[i].is_none() && is_prose(line(i)));

    // 5. Title, and the headline repeated with a credit glued on.
    // A page that opens on a headline (title-like, five words or more: not a masthead or a menu)
    // keeps it; otherwise the headline is where the body starts.
    let header_title =
        find_title(&lines, &non_empty, &verdict, republished, first_prose).filter(|&t| {
            // Only as the file's first line: further down, it is more often a menu or a teaser.
            non_empty.first() == Some(&t)
                && title::is_title_like(line(t))
                && line(t).split_whitespace().count() >= 5
        });
    let title_line = header_title
        .or_else(|| title::find_title(&lines, &non_empty, &verdict, republished, first_prose))
        .or_else(|| find_title(&lines, &non_empty, &verdict, republished, first_prose));
    if let Some(t) = title_line {
        out.title = Some(line(t).to_string());
        verdict[t] = Some(Reason::Title);
        for &i in &non_empty {
            let l = line(i);
            if i != t && l.starts_with(line(t)) && l.len() > line(t).len() {
                let rest = &l[line(t).len()..];
                if rest.contains('©') || judge_line(rest).is_some() {
                    verdict[i] = Some(Reason::TitleRepeat);
                }
            }
        }
    }
    // A caption next to the repeated headline (the credit is glued to it).
    for &i in &non_empty {
        let repeat = |j: usize| j < lines.len() && verdict[j] == Some(Reason::TitleRepeat);
        let before = i.checked_sub(1);
        let after_repeat = before.is_some_and(repeat) && figure_side(&verdict, i, Some(i + 1));
        let before_repeat = repeat(i + 1) && figure_side(&verdict, i, before);
        if verdict[i].is_none() && (after_repeat || before_repeat) {
            verdict[i] = Some(Reason::Caption);
        }
    }

    // 6. Date.
    out.date = find_date(&lines, &non_empty, &mut verdict);

    // 7. Position: the page header (before the first prose) and footer (after the last sentence).
    let first_prose = non_empty
        .iter()
        .copied()
        .find(|&i| verdict[i].is_none() && is_prose(line(i)));
    if let Some(start) = first_prose {
        for &i in non_empty.iter().filter(|&&i| i < start) {
            if verdict[i].is_some() || has_sentence_end(line(i)) {
                continue;
            }
            let before_title = title_line.is_some_and(|t| i < t);
            let word_count = line(i).split_whitespace().count();
            // Above the headline, only the page's own labels; below it, a short heading may be
            // the article's, so only labelled fields and single words go.
            // Nothing of the article stands above its headline but prose: the masthead, menus
            // and kickers there go, however long.
            if (before_title && (word_count <= 6 || !is_prose(line(i))))
                || is_breadcrumb(line(i))
                || is_field_label(line(i))
                || word_count <= 1
            {
                verdict[i] = Some(Reason::PageChrome);
            }
        }
    }
    let last_text = non_empty
        .iter()
        .copied()
        .rev()
        .find(|&i| verdict[i].is_none() && is_text(line(i)));
    if let Some(end) = last_text {
        for &i in non_empty.iter().filter(|&&i| i > end) {
            if verdict[i].is_none() && !has_sentence_end(line(i)) && line(i).chars().count() <= 120
            {
                verdict[i] = Some(Reason::PageChrome);
            }
        }
    }
    // Anywhere: breadcrumbs and field labels are never prose.
    for &i in &non_empty {
        if verdict[i].is_none() && (is_breadcrumb(line(i)) || is_field_label(line(i))) {
            verdict[i] = Some(Reason::PageChrome);
        }
    }

    out.source = find_source(&lines, &verdict)
        .map(|s| outlet_name(&s))
        .filter(|s| !is_not_a_name(s))
        .or_else(|| title::masthead_name(&lines, &non_empty));

    for (i, l) in lines.iter().enumerate() {
        let trimmed = l.trim();
        if trimmed.is_empty() {
            continue;
        }
        match verdict[i] {
            None => out.paragraphs.push(trimmed.to_string()),
            Some(reason) => out.dropped.push(DroppedLine {
                line: i + 1,
                text: trimmed.to_string(),
                reason,
            }),
        }
    }
    out
}

/// "X pour Continent Hebdo" names a writer for the outlet: the outlet is after "pour".
fn outlet_name(found: &str) -> String {
    let name = found.trim_start_matches("Copyright").trim();
    match name.rsplit_once(" pour ") {
        Some((_, outlet)) => outlet.trim().to_string(),
        None => name.to_string(),
    }
}

/// Words the patterns catch that are no outlet's name ("Ce site utilise des cookies").
fn is_not_a_name(found: &str) -> bool {
    let folded = fold_lower(found);
    folded.is_empty()
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
    static FOLLOW: OnceLock<Regex> = OnceLock::new();
    static USES: OnceLock<Regex> = OnceLock::new();
    static COPYRIGHT: OnceLock<Regex> = OnceLock::new();
    static RIGHTS_AFTER: OnceLock<Regex> = OnceLock::new();
    static APP: OnceLock<Regex> = OnceLock::new();
    static DATELINE: OnceLock<Regex> = OnceLock::new();
    static SIGNATURE: OnceLock<Regex> = OnceLock::new();
    static DOMAIN: OnceLock<Regex> = OnceLock::new();
    let follow = regex(
        &FOLLOW,
        r"(?i)^(?:suivez|rejoignez|retrouvez)\s+(.+?)\s*(?:sur|on)\s*(?:telegram|facebook|twitter|x|whatsapp|youtube|instagram|tiktok|linkedin)\b",
    );
    let uses = regex(&USES, r"^(.{2,40}?)\s+utilise des cookies");
    let copyright = regex(
        &COPYRIGHT,
        r"©\s*(?:(?:19|20)\d{2}\s*)?(\p{Lu}[\p{L}\p{N}’' .-]+?)\s*(?:(?:19|20)\d{2})?\s*(?:[-–—,.|]|$|Tous)",
    );
    let rights_after = regex(
        &RIGHTS_AFTER,
        r"(?i)^(\p{Lu}[\p{L}’' .-]+?)\s*[-–—|,.]\s*(?:tous droits|all rights)",
    );
    let app = regex(&APP, r"(?i)\bl[’']appli(?:cation)?\s+(\p{Lu}[\p{L}’' -]+)$");
    let dateline = regex(
        &DATELINE,
        r"^\p{Lu}[\p{Lu}’' -]{2,}\s*(?:\([^)]*\))?,[^()]{3,40}\((\p{Lu}{2,8})\)\s*[-–—]",
    );
    let signature = regex(
        &SIGNATURE,
        r"^(\p{Lu}[\p{L}’']+(?:\s+\p{Lu}[\p{L}’']+){0,3})(?:\s+[\d.,]+\s*FM)?\s+[–—-]\s+\S",
    );
    let domain = regex(
        &DOMAIN,
        r"\b((?:www\.)?[a-z0-9-]+\.(?:com|fr|net|org|info|ml|bf|ne|sn|ci|africa|media|tv|news))\b",
    );
    let dropped = |i: usize| verdict[i].is_some_and(|r| r != Reason::Title);
    // The names of the three patterns above are at most NAME_CHARS long; the bound is checked
    // here because `{1,40}` over Unicode letter classes took 30 ms to compile, in every process.
    const NAME_CHARS: usize = 41;
    let first_match = |re: &Regex, skip_photo: bool| {
        lines
            .iter()
            .enumerate()
            .filter(|&(i, _)| dropped(i))
            .find_map(|(_, l)| {
                let l = l.trim();
                if skip_photo && l.contains('/') {
                    return None;
                }
                re.captures(l)
                    .map(|c| c[1].trim().to_string())
                    .filter(|name| name.chars().count() <= NAME_CHARS)
            })
    };
    if let Some(s) = first_match(follow, false).or_else(|| first_match(uses, false)) {
        return Some(s);
    }
    // A copyright with a slash names a photographer and an agency, not the outlet.
    if let Some(s) = first_match(copyright, true).or_else(|| first_match(rights_after, false)) {
        return Some(s);
    }
    if let Some(s) = first_match(app, false) {
        return Some(s);
    }
    // A wire's dateline opens the first paragraph of text.
    if let Some(c) = lines
        .iter()
        .enumerate()
        .filter(|&(i, _)| verdict[i].is_none())
        .take(3)
        .find_map(|(_, l)| dateline.captures(l.trim()))
    {
        return Some(c[1].to_string());
    }
    // A signature in the footer: the outlet's name, a dash, its slogan or city.
    let footer_start = lines.len().saturating_sub(lines.len() / 3 + 1);
    if let Some(c) = lines
        .iter()
        .enumerate()
        .skip(footer_start)
        .filter(|&(i, _)| dropped(i) && verdict[i] != Some(Reason::RelatedLink))
        .find_map(|(_, l)| signature.captures(l.trim()))
    {
        return Some(c[1].to_string());
    }
    lines
        .iter()
        .enumerate()
        .filter(|&(i, _)| dropped(i))
        .find_map(|(_, l)| {
            domain
                .captures(&l.to_lowercase())
                .map(|c| c[1].trim_start_matches("www.").to_string())
        })
}
#[cfg(test)]
mod tests {
    use super::*;

    /// The definition the fast path must agree with: fold, then the lowercased alphanumerics.
    fn reference_fingerprint(line: &str) -> Option<u64> {
        let mut normalized = String::new();
        let mut letters = 0usize;
        for c in crate::fold::fold(line)
            .chars()
            .filter(|c| c.is_alphanumeric())
        {
            normalized.extend(c.to_lowercase());
            letters += 1;
        }
        (letters >= 8).then(|| {
            let hash = blake3::hash(normalized.as_bytes());
            let mut first = [0u8; 8];
            first.copy_from_slice(&hash.as_bytes()[..8]);
            u64::from_le_bytes(first)
        })
    }

    #[test]
    fn the_fingerprint_ignores_case_accents_and_punctuation_on_every_script() {
        let long = "Élysée ".repeat(60);
        let table = [
            "Suivez-nous sur Telegram !",
            "SUIVEZ NOUS SUR TÉLÉGRAM",
            "Cœur de l'ŒUVRE, Æsop — straße",
            "Ørsted Łódź Đakovo İstanbul ǅemal",
            "Ｆｕｌｌｗｉｄｔｈ ＴＥＸＴ 𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬 ①②③",
            "الساحل النيجر مالي بوركينا",
            // Characters whose folding is longer than themselves, between ASCII letters.
            "ﷺ a ﷽ b ㎒ ﬃ",
            "court",
            "   ",
            long.as_str(),
        ];
        for line in table {
            assert_eq!(fingerprint(line), reference_fingerprint(line), "{line:?}");
        }
        assert_eq!(
            fingerprint("Suivez-nous sur Telegram !"),
            fingerprint("SUIVEZ NOUS SUR TÉLÉGRAM")
        );
        assert_eq!(fingerprint("court"), None);
    }

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
            ("Vous avez aimé cet article ? Partagez-le !", Some(Reason::SocialPrompt)),
            ("Cet article vous a-t-il été utile ?", Some(Reason::SocialPrompt)),
            ("Le Mali, le Burkina Faso et le Niger avancent vers une stratégie commune de défense.", None),
            ("Des avancées symboliques et institutionnelles", None),
            ("Les partenaires techniques suivent le dossier de près depuis Niamey.", None),
        ];
        for (line, expected) in table {
            assert_eq!(judge_line(line), expected, "{line:?}");
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
        ];
        for (line, expected) in table {
            assert_eq!(parse_date(line).as_deref(), expected, "{line:?}");
        }
    }

    #[test]
    fn tells_bylines_breadcrumbs_and_fields_from_text() {
        type Test = fn(&str) -> bool;
        let table: [(&str, Test, bool); 9] = [
            (
                "Par Claire Moreau et Jean-Baptiste Roux",
                |l| is_byline(l, &words(l)),
                true,
            ),
            (
                "Par Moussa Diallo, à Niamey",
                |l| is_byline(l, &words(l)),
                true,
            ),
            (
                "Par ailleurs, la frontière reste fermée.",
                |l| is_byline(l, &words(l)),
                false,
            ),
            ("Accueil › Politique › Confédération", is_breadcrumb, true),
            ("Politique | Sahel", is_breadcrumb, true),
            (
                "Mali : la junte annonce des élections",
                is_breadcrumb,
                false,
            ),
            ("Émission : Le Journal du Faso", is_field_label, true),
            (
                "Lecture : trois romans pour comprendre le Sahel",
                is_field_label,
                false,
            ),
            ("© 2025 AFP", is_rights_notice, true),
        ];
        for (line, test, expected) in table {
            assert_eq!(test(line), expected, "{line:?}");
        }
    }

    #[test]
    fn reads_the_source_from_the_page() {
        let table = [
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\n© 2025 AFP", Some("AFP")),
            ("Un titre de l'article\n\nBAMAKO, 12 mars (AFP) - Le texte de l'article, une phrase assez longue pour être de la prose.", Some("AFP")),
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\nLe Sahélien – Tous droits réservés", Some("Le Sahélien")),
            ("Un titre de l'article\n\nLe texte de l'article, une phrase assez longue pour être de la prose véritable.\n\nTéléchargez l'application Radio Kayes", Some("Radio Kayes")),
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
    fn a_republished_dispatch_keeps_its_prose() {
        let prose = [
            "Les ministres des trois pays de la Confédération se sont réunis mardi à Niamey pour adopter le budget.",
            "Le texte doit encore être validé par les chefs d'État lors du prochain sommet, prévu en juillet à Bamako.",
        ];
        let known: std::collections::HashSet<u64> =
            prose.iter().filter_map(|l| fingerprint(l)).collect();
        let text = format!(
            "Le budget confédéral adopté à Niamey\n\n{}\n\n{}",
            prose[0], prose[1]
        );
        let article = clean(&text, &known);
        assert_eq!(article.paragraphs, prose);
        assert_eq!(
            article.title.as_deref(),
            Some("Le budget confédéral adopté à Niamey")
        );
    }

    #[test]
    fn a_recurring_paragraph_between_fresh_ones_is_kept() {
        let background = "Le Mali, le Burkina Faso et le Niger ont formé la Confédération des États du Sahel en juillet 2024.";
        let site = "Le Sahélien est un site d'information édité à Niamey par une société indépendante de presse.";
        let known: std::collections::HashSet<u64> = [background, site]
            .iter()
            .filter_map(|l| fingerprint(l))
            .collect();
        let text = format!(
            "Un titre assez long pour un titre\n\nUne première phrase de l'article, fraîche et assez longue pour compter comme prose.\n\n{background}\n\nUne dernière phrase de l'article, fraîche elle aussi et assez longue pour être prose.\n\n{site}"
        );
        let article = clean(&text, &known);
        assert!(article.paragraphs.iter().any(|p| p == background));
        assert!(article
            .dropped
            .iter()
            .any(|d| d.text == site && d.reason == Reason::Recurring));
    }

    #[test]
    fn prose_next_to_a_credit_on_a_page_without_blank_lines_is_kept() {
        let prose = "Selon le gouvernement, ses missions seront confiées au ministère de l'Administration territoriale.";
        let page = format!(
            "Burkina : la dissolution de la CENI actée\nLe Conseil des ministres a adopté mercredi un projet de loi sur la commission électorale.\n{prose}\nPhoto : Présidence du Faso\nLe capitaine Ibrahim Traoré lors du Conseil des ministres.\nSource : AIB"
        );
        let article = clean(&page, &NoFurniture);
        assert!(
            article.paragraphs.iter().any(|p| p == prose),
            "{:?}",
            article.dropped
        );
        let caption = article
            .dropped
            .iter()
            .find(|d| d.line == 5)
            .map(|d| d.reason);
        assert_eq!(caption, Some(Reason::Caption));
    }

    #[test]
    fn recurring_lines_are_dropped() {
        let slogan = "La voix du Sahel, chaque jour";
        let known: std::collections::HashSet<u64> = fingerprint(slogan).into_iter().collect();
        let text = format!("Un titre assez long pour un titre\n\n{slogan}.\n\nLe texte de l'article est ici, avec une phrase complète qui se termine bien.");
        let article = clean(&text, &known);
        assert_eq!(
            article.dropped.iter().map(|d| d.reason).collect::<Vec<_>>(),
            [Reason::Title, Reason::Recurring]
        );
    }
}
