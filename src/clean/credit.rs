//! Photo credits at the end of a caption: the evidence that a line describes a picture and
//! credits it (a photographer, an agency, a rights mark, a screenshot's source), so that it is
//! told from a line of the article, from a headline, and from a credit standing alone.

use super::line::has_sentence_end;
use super::vocabulary::fold_lower;

/// A caption's credit at its end: in parentheses ("(Photo X)", "(Ph. X)", "(AFP / X)"), or as
/// its last segment ("… en mai 2025. © X", "…, le 28 janvier. X Y POUR « Z »", "…. Photo
/// d'archives"): a photographer, an agency or a rights mark, in capitals or named as such.
pub(super) fn ends_with_credit(line: &str) -> bool {
    const CREDIT_WORDS: &[&str] = &[
        "photo",
        "photos",
        "ph.",
        "credit",
        "credits",
        "archives",
        "image",
        "illustration",
        "dr",
    ];
    // A caption describes before it credits: a credit alone is a credit line.
    let described = |before: &str| before.split_whitespace().count() >= 3;
    // A caption may stand between dashes ("- Le port en 2024. AGENCE/J. Martin -").
    let t = line.trim_end().trim_end_matches([' ', '-', '–']);
    if let Some((before, source)) = screenshot_credit(t) {
        return described(before) && source.split_whitespace().count() <= 4;
    }
    let credit_like = |inside: &str| {
        let folded = fold_lower(inside.trim());
        let letters: Vec<char> = inside.chars().filter(|c| c.is_alphabetic()).collect();
        folded.starts_with('©')
            || CREDIT_WORDS
                .iter()
                .any(|w| folded == *w || folded.starts_with(&format!("{w} ")))
            || (inside.split_whitespace().count() <= 10
                && (inside.contains(" / ")
                    || name_slash_agency(inside)
                    || (letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase()))))
    };
    if let Some((before, inside)) = t.strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
        return described(before) && credit_like(inside);
    }
    if has_sentence_end(t) {
        return false;
    }
    let split = t
        .rsplit_once(". ")
        .or_else(|| t.rfind('©').map(|k| (&t[..k], &t[k..])));
    split.is_some_and(|(before, last)| {
        described(before) && last.split_whitespace().count() <= 10 && credit_like(last)
    })
}

/// "Jeanne Martin/AGENCE", "J. Martin/Le Journal": a photographer's name and an agency joined
/// by a slash, every word capitalised.
fn name_slash_agency(inside: &str) -> bool {
    let inside = inside.trim();
    inside.split_whitespace().count() <= 6
        && inside.split_once('/').is_some_and(|(name, agency)| {
            let capitalised = |s: &str| {
                let mut words = s.split_whitespace().peekable();
                words.peek().is_some()
                    && words.all(|w| w.chars().next().is_some_and(char::is_uppercase))
            };
            // An agency in capitals, or a name and an agency of two words: "(Nord/Sud)" and
            // "(Lille/Le Havre)" are routes, not credits.
            let words = |s: &str| s.split_whitespace().count();
            let caps = |s: &str| {
                let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
                letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
            };
            let (n, a) = (name.trim(), agency.trim());
            capitalised(n)
                && capitalised(a)
                && ((caps(a) && words(n) >= 2)
                    || (caps(n) && words(a) >= 2)
                    || (words(n) >= 2 && words(a) >= 2))
        })
}

/// "… Capture d'écran de X", "… (capture d'écran X)": a screenshot credited to where it was
/// taken. The caption before it and the source after it.
fn screenshot_credit(line: &str) -> Option<(&str, &str)> {
    // Most lines have no such credit: the raw bytes are looked for before anything is folded.
    let k = line.rfind("apture d")?;
    let start = k.checked_sub(1)?;
    // Compared as a byte: the byte before "apture" may sit inside a character.
    if !matches!(line.as_bytes()[start], b'C' | b'c') {
        return None;
    }
    let after = line[k + "apture d".len()..].trim_start_matches(['\'', '’']);
    let rest = after
        .strip_prefix("écran")
        .or_else(|| after.strip_prefix("ecran"))?;
    let source = rest.trim_start();
    let source = ["de ", "du ", "d'", "d’"]
        .iter()
        .find_map(|p| source.strip_prefix(p))
        .unwrap_or(source);
    let before = line[..start].trim_end().trim_end_matches('(');
    Some((before, source.trim_end_matches(')')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_credits_of_slashes_dashes_and_screenshots() {
        let table = [
            ("- Le port de pêche en 2021. AGENCE/Jeanne Martin -", true),
            (
                "Le pont neuf au petit matin (Jeanne Martin/Le Journal)",
                true,
            ),
            (
                "Une affiche du festival Capture d'écran du site officiel",
                true,
            ),
            ("Le message du maire (capture d’écran de X)", true),
            (
                "Le maire sur le chantier du pont. (Jeanne Martin/AGENCE)",
                true,
            ),
            ("Le trajet du train de nuit (Paris/Nice)", false),
            ("La ligne de car la plus longue (Lille/Le Havre)", false),
            // Too long to be where a screenshot was taken: a sentence.
            (
                "Il a fait une capture d'écran de la page du ministère avant sa suppression",
                false,
            ),
            ("Capture d'écran", false),
        ];
        for (line, expected) in table {
            assert_eq!(ends_with_credit(line), expected, "{line:?}");
        }
    }
}
