//! Evidence about one line on its own, with no position and no corpus: its shape (a sentence,
//! prose, glued button labels, a breadcrumb, a field label, a byline) and [`judge_line`], the
//! verdict that vocabulary and shape give before any other pass looks at the page.

use std::sync::OnceLock;

use regex::Regex;

pub(super) use super::credit::ends_with_credit;
use super::vocabulary::{
    fold_lower, is_addressing_word, is_consent_word, regex, starts_with_any, ADVERTISING,
    AGENCY_CREDITS, AUTHOR_HEADINGS, CREDIT_STARTS, FIELD_LABELS, FIGURE_LABELS, NETWORKS,
    PROMPT_VERBS, PUBLICATION_NOTICES, RELATED, RIGHTS, SECTION_HEADINGS, SHARE_WORDS,
};
use super::{Evidence, Reason};

/// Whether the line ends as a sentence ends (closing quotes and brackets aside).
pub(super) fn has_sentence_end(line: &str) -> bool {
    let t = line
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '»' | '"' | '”' | ')' | '’'));
    t.ends_with(['.', '!', '?', '…', ';', ':'])
}

/// Shape of a line of running prose: long enough and ending as a sentence ends.
pub(super) fn is_prose(line: &str) -> bool {
    line.chars().count() >= 80 && has_sentence_end(line)
}

/// A line of article text: a sentence of at least five words.
pub(super) fn is_text(line: &str) -> bool {
    has_sentence_end(line) && line.split_whitespace().count() >= 5
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

/// A copyright footer ("© 2025 AFP", "X – Tous droits réservés"), as opposed to a photo credit.
pub(super) fn is_rights_notice(line: &str) -> bool {
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
        "nos",
        "envoye",
        "envoyes",
        "envoyee",
        "special",
        "speciale",
        "speciaux",
        "speciales",
        "correspondant",
        "correspondante",
        "correspondants",
        "correspondantes",
        "redaction",
        "bureau",
        "service",
        "regional",
        "regionale",
        "regionaux",
        "agences",
        "avec",
        "and",
        "in",
    ];
    // The words that open a credit to its writer: "Par X", "Un texte de X".
    const OPENERS: &[&[&str]] = &[
        &["par"],
        &["by"],
        &["un", "texte", "de"],
        &["une", "chronique", "de"],
    ];
    let Some(opener) = OPENERS
        .iter()
        .find(|o| w.len() > o.len() && o.iter().zip(w).all(|(a, b)| *a == b.as_ref()))
    else {
        return false;
    };
    if w.len() > 12 + opener.len() || has_sentence_end(line) {
        return false;
    }
    // Names are capitalised: every word after the opener is either a name ("d'Investigation" too)
    // or a linking word.
    line.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’')
        .filter(|t| !t.is_empty())
        .skip(opener.len())
        .all(|t| {
            let name = t
                .strip_prefix("d'")
                .or_else(|| t.strip_prefix("d’"))
                .unwrap_or(t);
            name.chars().next().is_some_and(char::is_uppercase)
                || LINKS.contains(&fold_lower(t).as_str())
        })
}

/// A breadcrumb or a list of section labels: segments of at most three words separated by
/// "›", ">", "|", "/" or "»" ("Accueil › Politique", "Politique | Sahel", "Imprimer | Envoyer").
pub(super) fn is_breadcrumb(line: &str) -> bool {
    const SEPARATORS: [char; 7] = ['›', '>', '|', '»', '/', '•', '·'];
    // Most lines have none: the bytes that can start a separator are looked for first.
    // "»" closes a quotation where "«" opens one: then it separates nothing.
    let quoted = line.contains('«');
    let separator = |c: char| SEPARATORS.contains(&c) && !(quoted && c == '»');
    line.bytes()
        .any(|b| matches!(b, b'>' | b'|' | b'/' | 0xC2 | 0xE2))
        && line.contains(separator)
        && !has_sentence_end(line)
        && line.split(separator).all(|s| {
            let s = s.trim();
            !s.is_empty() && s.split_whitespace().count() <= 3
        })
}

/// A related-links lead-in with nothing after it but a word at most ("Sur le même sujet :",
/// "À lire aussi"): the header of a list of links.
pub(super) fn is_lead_in_alone(line: &str) -> bool {
    let folded = fold_lower(line.trim());
    RELATED
        .iter()
        .find(|p| starts_with_any(&folded, &[p]))
        .is_some_and(|p| folded_words(&folded[p.len()..]).count() <= 1)
}

/// A duration or a clock time as players and live pages show it ("02:41", "1:05:30").
fn has_duration(folded: &str) -> bool {
    static DURATION: OnceLock<Regex> = OnceLock::new();
    regex(&DURATION, r"\b\d{1,2}:\d{2}\b").is_match(folded)
}

/// A reading time ("Lecture 5 min.", "Temps de lecture : 3 minutes", "2 mn") or a view counter
/// ("Vues : 4 812", "1 204 lectures"), in a folded line: a figure the page shows, not the article.
fn counter(folded: &str) -> Option<Evidence> {
    static READING: OnceLock<Regex> = OnceLock::new();
    static VIEWS: OnceLock<Regex> = OnceLock::new();
    let reading = regex(
        &READING,
        r"^(?:(?:temps de )?lecture\s*:?\s*)?\d+\s*(?:min|mn|minutes?)\.?(?:\s+de lecture)?\.?$",
    );
    let views = regex(
        &VIEWS,
        r"^(?:(?:vues|vue|lectures|affichages|lu)\s*:?\s*[\d\s\u{a0}\u{202f}.]+(?:\s*fois)?|[\d\s\u{a0}\u{202f}.]+\s*(?:vues|lectures|affichages))$",
    );
    let t = folded.trim();
    if reading.is_match(t) {
        Some(Evidence::ReadingTime)
    } else if views.is_match(t) {
        Some(Evidence::ViewCounter)
    } else {
        None
    }
}

/// "Émission : Le Journal du Faso", "Mots-clés : AES, …": a field of the page, not a heading.
pub(super) fn is_field_label(line: &str) -> bool {
    let Some((label, value)) = line.split_once(':') else {
        return false;
    };
    !has_sentence_end(line)
        && !value.trim().is_empty()
        && line.split_whitespace().count() <= 10
        && super::vocabulary::words(label)
            .first()
            .is_some_and(|w| FIELD_LABELS.contains(&w.as_str()))
}

/// The words of an already folded line.
fn folded_words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// What one pass over the words of a line tells about a consent banner.
struct ConsentEvidence {
    /// Words in the line.
    words: usize,
    /// Words of cookie banners and consent dialogs.
    consent: usize,
    /// Whether a word names cookies or trackers.
    cookie: bool,
    /// Whether the site speaks to its visitor.
    addressed: bool,
}

impl ConsentEvidence {
    fn of(folded: &str) -> Self {
        let (mut n, mut consent, mut cookie, mut addressed) = (0usize, 0usize, false, false);
        for x in folded_words(folded) {
            n += 1;
            consent += usize::from(is_consent_word(x));
            cookie |= x.starts_with("cookie") || x == "traceurs";
            addressed |= is_addressing_word(x);
        }
        ConsentEvidence {
            words: n,
            consent,
            cookie,
            addressed,
        }
    }

    fn is_consent(&self) -> bool {
        (self.cookie && (self.consent >= 2 || self.addressed)) || self.consent >= 4
    }
}

/// Judges one line on its own (no position, no corpus). `None` means "looks like text".
pub(super) fn judge_line(line: &str) -> Option<Reason> {
    judge_line_why(line).map(|(reason, _)| reason)
}

/// [`judge_line`], with the evidence the verdict rests on.
pub(super) fn judge_line_why(line: &str) -> Option<(Reason, Evidence)> {
    // Folded and lowercased once; the words are slices of it. Every line of every article comes
    // through here, mostly long prose: one pass over the words decides the consent banner (which
    // has no length limit), and only lines short enough for the other rules go further.
    let folded = fold_lower(line.trim());
    let evidence = ConsentEvidence::of(&folded);
    if evidence.is_consent() {
        return Some((Reason::Consent, Evidence::ConsentWords));
    }
    let n = evidence.words;
    if n <= 40 && ends_with_credit(line) {
        return Some((Reason::Caption, Evidence::CreditAtEnd));
    }
    if n <= 5 {
        if let Some(evidence) = counter(&folded) {
            return Some((Reason::PageChrome, evidence));
        }
    }
    // Every other rule but the lead-in of related links and the page's notices is for lines
    // of at most 25 words.
    if n > 25 && n <= 60 {
        if let Some(notice) = super::notice::long_notice(&folded) {
            return Some(notice);
        }
    }
    if n > 25 {
        return starts_with_any(&folded, RELATED)
            .then_some((Reason::RelatedLink, Evidence::RelatedLeadIn));
    }
    let w: Vec<&str> = folded_words(&folded).collect();
    let sentence = has_sentence_end(line);
    if n <= 12 && !sentence && glued_labels(line) >= 2 {
        return Some((Reason::UiLabels, Evidence::GluedLabels));
    }
    if let Some(reason) = judge_prompt(&folded, &w, sentence) {
        return Some(reason);
    }
    if let Some(reason) = judge_notice(line, &folded, &w) {
        return Some(reason);
    }
    if starts_with_any(&folded, RELATED) {
        return Some((Reason::RelatedLink, Evidence::RelatedLeadIn));
    }
    if n <= 20
        && ADVERTISING
            .iter()
            .any(|a| starts_with_any(&folded, &[a]) || (n <= 6 && folded.contains(a)))
    {
        return Some((Reason::Advertising, Evidence::AdvertisingWords));
    }
    if n > 16 {
        return None; // a byline is shorter too
    }
    judge_credit_or_byline(line, &folded, &w, sentence)
}

/// The page's own notices and labels, for a line of at most 25 words `w`: headings of its
/// sections (comments, about the author), figure labels ("Carte 2 : …"), a newsletter's or a
/// podcast's pitch ("Newsletter X : chaque lundi …"), where the article first appeared, and a
/// related link glued to its title ("Lire aussiLe Niger …").
fn judge_notice(line: &str, folded: &str, w: &[&str]) -> Option<(Reason, Evidence)> {
    let n = w.len();
    let first = w.first().copied().unwrap_or("");
    // The label before a colon, when it opens the line.
    let label_words = folded
        .split_once(':')
        .map(|(label, _)| folded_words(label).count());
    let heading = || AUTHOR_HEADINGS.contains(&folded.trim_end_matches([' ', ':']));
    if n <= 6 && (starts_with_any(folded, SECTION_HEADINGS) || heading()) {
        return Some((Reason::PageChrome, Evidence::SectionHeading));
    }
    if label_words.is_some_and(|k| (1..=3).contains(&k)) && FIGURE_LABELS.contains(&first) {
        return Some((Reason::Caption, Evidence::FigureLabel));
    }
    if label_words.is_some_and(|k| (1..=5).contains(&k)) && NETWORKS.contains(&first) {
        return Some((Reason::SocialPrompt, Evidence::PromptVerb));
    }
    if PUBLICATION_NOTICES.iter().any(|p| folded.contains(p)) {
        return Some((Reason::PageChrome, Evidence::AboutThePage));
    }
    if let Some(notice) = super::notice::reader_notice(folded, n) {
        return Some(notice);
    }
    let glued = RELATED.iter().any(|p| {
        folded.starts_with(p)
            && line
                .trim_start()
                .chars()
                .nth(p.chars().count())
                .is_some_and(char::is_uppercase)
    });
    glued.then_some((Reason::RelatedLink, Evidence::RelatedLeadIn))
}

/// Social, share and "about this article" prompts, for a line of at most 25 words `w`.
fn judge_prompt(folded: &str, w: &[&str], sentence: bool) -> Option<(Reason, Evidence)> {
    let n = w.len();
    let first = w.first().map(AsRef::as_ref).unwrap_or("");
    let network = || {
        w.iter().any(|x| NETWORKS.contains(x))
            || NETWORKS.iter().any(|n| n.len() > 3 && folded.contains(n))
            || folded.contains("lettre d'info")
    };
    let prompt_verb = PROMPT_VERBS.iter().any(|v| first.starts_with(v))
        || (n <= 6 && !sentence && w.iter().take(3).any(|x| PROMPT_VERBS.contains(x)));
    // A prompt names a network, or is a short imperative that is not a sentence of the article.
    if prompt_verb && n <= 25 && network() {
        return Some((Reason::SocialPrompt, Evidence::PromptVerb));
    }
    // A player: "Écouter - 02:41 - …".
    if PROMPT_VERBS.contains(&first) && !sentence && has_duration(folded) {
        return Some((Reason::SocialPrompt, Evidence::PromptVerb));
    }
    if prompt_verb && n <= 8 && !sentence {
        return Some((Reason::SocialPrompt, Evidence::ShortImperative));
    }
    // A share bar: nothing but network names, share verbs and their small words.
    if n > 0
        && n <= 12
        && w.iter().any(|x| NETWORKS.contains(x))
        && w.iter()
            .all(|x| NETWORKS.contains(x) || PROMPT_VERBS.contains(x) || SHARE_WORDS.contains(x))
    {
        return Some((Reason::SocialPrompt, Evidence::ShareBar));
    }
    // The page speaking to its reader about itself ("Vous avez aimé cet article ?").
    let about_page = || folded.contains("cet article") || folded.contains("ce contenu");
    if n <= 12 && about_page() && (w.iter().any(|x| matches!(*x, "vous" | "votre")) || prompt_verb)
    {
        return Some((Reason::SocialPrompt, Evidence::AboutThePage));
    }
    None
}

/// Rights notices, photo credits and author lines, for a line of at most 16 words `w`.
fn judge_credit_or_byline(
    line: &str,
    folded: &str,
    w: &[&str],
    sentence: bool,
) -> Option<(Reason, Evidence)> {
    if is_rights_notice(line) {
        return Some((Reason::Credit, Evidence::RightsNotice));
    }
    let credit_marker = line.contains('©') || folded.starts_with("(c)");
    let credit_start = CREDIT_STARTS.iter().any(|p| folded.starts_with(p));
    let agency_credit = AGENCY_CREDITS.iter().any(|p| folded.contains(p));
    if (!sentence && (credit_start || agency_credit)) || credit_marker {
        return Some((Reason::Credit, Evidence::CreditWords));
    }
    if is_byline(line, w) {
        return Some((Reason::Byline, Evidence::NamesAfterPar));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::vocabulary::words;
    use super::*;

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
            ("Lecture 4 min.", Some(Reason::PageChrome)),
            ("Temps de lecture : 2 minutes", Some(Reason::PageChrome)),
            ("3 mn", Some(Reason::PageChrome)),
            ("Vues : 1 203", Some(Reason::PageChrome)),
            ("12 400 lectures", Some(Reason::PageChrome)),
            ("Lecture : trois romans pour l'été", None),
            ("Commentaires (3)", Some(Reason::PageChrome)),
            ("À propos de l'auteur", Some(Reason::PageChrome)),
            ("Carte 1 : les régions du pays (source : ministère)", Some(Reason::Caption)),
            ("Podcast Le Matin : chaque jour à 7h, l'actualité en dix minutes.", Some(Reason::SocialPrompt)),
            ("Lire aussiLe conseil régional adopte son budget", Some(Reason::RelatedLink)),
            ("Écouter - 02:41 - L'invité du matin", Some(Reason::SocialPrompt)),
            ("Cet article est paru dans notre édition du 3 mars.", Some(Reason::PageChrome)),
            ("Carte blanche à un lecteur de la région", None),
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
    fn bylines_in_other_forms() {
        let table = [
            ("Un texte de Mariam Keita d'Info Sahel", true),
            (
                "Par AMADOU SOW, FATOU DIOP Envoyés spéciaux à Tombouctou",
                true,
            ),
            ("Un texte de loi adopté hier", false),
        ];
        for (line, expected) in table {
            assert_eq!(is_byline(line, &words(line)), expected, "{line}");
        }
    }

    #[test]
    fn tells_bylines_breadcrumbs_and_fields_from_text() {
        type Test = fn(&str) -> bool;
        let table: [(&str, Test, bool); 19] = [
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
                "Par : Sahel Radio, avec nos correspondants régionaux",
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
            ("Sur le même sujet :", is_lead_in_alone, true),
            (
                "Le maire inaugure le pont, lundi. (Photo Jeanne Martin)",
                ends_with_credit,
                true,
            ),
            (
                "La place du marché, à Niamey, en 2024. JEAN DUPONT / LE JOURNAL",
                ends_with_credit,
                true,
            ),
            (
                "Le port de Dakar, en mai 2025. © Le Journal",
                ends_with_credit,
                true,
            ),
            (
                "Les élus ont voté le budget (à l'unanimité).",
                ends_with_credit,
                false,
            ),
            ("Le ministre de l'Intérieur (MI)", ends_with_credit, false),
            ("Le maire «promet» et «tient» parole", is_breadcrumb, false),
            ("Sport » Football » Ligue 1", is_breadcrumb, true),
            (
                "À la une Politique Économie Sport Vidéos",
                is_lead_in_alone,
                false,
            ),
        ];
        for (line, test, expected) in table {
            assert_eq!(test(line), expected, "{line:?}");
        }
    }
}
