//! The page speaking to its reader about the article rather than the article itself: a notice
//! that it may be out of date, an address to write to about it, a share or embed widget's text.
//! Told by vocabulary about the article as a page, for lines of at most 25 words.

use super::vocabulary::PUBLICATION_NOTICES;
use super::{Evidence, Reason};

/// Words of a share or embed widget: copying a link or the code that shows a video elsewhere.
const EMBED_WORDS: &[&str] = &[
    "lien copie",
    "copier le lien",
    "lien embed",
    "code embed",
    "code d'integration",
    "integrer la video",
];

/// Words saying the article's facts may have aged.
const OUT_OF_DATE: &[&str] = &["plus a jour", "plus d'actualite", "obsolete", "depasse"];

/// The notice a line of at most 25 words gives, `folded` lower-cased and without accents.
pub(super) fn reader_notice(folded: &str, n: usize) -> Option<(Reason, Evidence)> {
    if n <= 16 && EMBED_WORDS.iter().any(|p| folded.contains(p)) {
        return Some((Reason::SocialPrompt, Evidence::ShareBar));
    }
    let about_article = folded.contains("cet article") || folded.contains("ce contenu");
    if about_article && OUT_OF_DATE.iter().any(|p| folded.contains(p)) {
        return Some((Reason::PageChrome, Evidence::AboutThePage));
    }
    // "Écrivez-nous à redaction@…": the reader addressed, with an address to write to.
    if has_email(folded) && addressed(folded) {
        return Some((Reason::PageChrome, Evidence::AboutThePage));
    }
    None
}

/// The notice a line of 26 to 60 words gives: one that opens on where the article first
/// appeared, or an address to write to; both may run on with a pitch.
pub(super) fn long_notice(folded: &str) -> Option<(Reason, Evidence)> {
    let opens = PUBLICATION_NOTICES.iter().any(|p| folded.starts_with(p));
    (opens || (has_email(folded) && addressed(folded)))
        .then_some((Reason::PageChrome, Evidence::AboutThePage))
}

/// Whether the page speaks for itself or to its reader ("nous", "vous").
fn addressed(folded: &str) -> bool {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "vous" | "nous"))
}

/// Whether a word of `line` is an e-mail address: letters, "@", a domain with a dot.
fn has_email(line: &str) -> bool {
    line.contains('@')
        && line.split_whitespace().any(|w| {
            let w = w.trim_end_matches(['.', ',', ')', ';']);
            w.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty() && domain.contains('.') && !domain.starts_with('.')
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::vocabulary::fold_lower;

    #[test]
    fn tells_notices_about_the_article_from_its_text() {
        let table = [
            ("Copier le lien de la vidéo :Lien copié", true),
            (
                "Attention : cet article de 2019 contient peut-être des chiffres qui ne sont plus à jour.",
                true,
            ),
            (
                "Une question sur ce sujet ? Écrivez-nous à courrier@journal-exemple.fr.",
                true,
            ),
            ("Les chiffres de 2019 ne sont plus à jour, reconnaît le maire.", false),
            ("Le maire a répondu par courriel à nos questions.", false),
            ("Son adresse, mairie@ville-exemple.fr, reste ouverte.", false),
        ];
        for (line, expected) in table {
            let folded = fold_lower(line);
            let n = folded.split_whitespace().count();
            assert_eq!(reader_notice(&folded, n).is_some(), expected, "{line:?}");
        }
    }

    #[test]
    fn tells_long_notices_from_long_paragraphs() {
        let pitch = "Si vous aimez nos pages, vous pouvez aussi recevoir chaque matin la lettre \
            du journal, avec les titres du jour et nos enquêtes, dans votre boîte.";
        let notice = format!("Cet article a été publié d'abord dans notre lettre du soir. {pitch}");
        assert!(long_notice(&fold_lower(&notice)).is_some());
        let contact = format!("{pitch} Écrivez-nous à courrier@journal-exemple.fr pour nous dire.");
        assert!(long_notice(&fold_lower(&contact)).is_some());
        let body =
            format!("Le maire a lu devant le conseil cet article a été publié hier. {pitch}");
        assert!(long_notice(&fold_lower(&body)).is_none());
    }
}
