//! Recurrence across the corpus: the fingerprint of a line (blind to case, accents, punctuation
//! and spacing), what the corpus knows about fingerprints ([`KnownFurniture`]), and the pass that
//! drops the lines seen in several articles, keeping a republished dispatch's prose.

use super::line::is_prose;
use super::vocabulary::for_each_folded_lower;
use super::Reason;

/// A line seen in this many articles (of one index) is page furniture.
pub const RECURRING_MIN_ARTICLES: u64 = 3;

/// What the corpus has taught about furniture: lines seen in several articles.
pub trait KnownFurniture {
    /// Whether the line with this fingerprint (one of those [`line_fingerprints`] gives) recurs
    /// across the corpus.
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
pub(crate) fn fingerprint(line: &str) -> Option<u64> {
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

/// The distinct fingerprints of an article's lines, for the corpus-wide furniture count.
///
/// ```
/// use std::collections::HashSet;
/// use aes_search::clean::{clean, line_fingerprints, Reason};
/// let footer = "Le Sahélien, la voix du Sahel chaque jour";
/// let known: HashSet<u64> = line_fingerprints(footer).into_iter().collect();
/// let page = format!("Bamako accueille le sommet de l'AES\n\n\
///     Les chefs d'État de la Confédération se réunissent à Bamako pour dresser le bilan.\n\n{footer}");
/// let article = clean(&page, &known);
/// assert!(article.dropped.iter().any(|d| d.text == footer && d.reason == Reason::Recurring));
/// ```
pub fn line_fingerprints(text: &str) -> Vec<u64> {
    distinct_prints(&fingerprint_lines(text))
}

/// The fingerprint of each line of `text` (as `str::lines` cuts it), for
/// [`super::clean_with_prints`].
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

/// Lines the corpus has seen in several articles are furniture, with two exceptions that keep
/// every sentence: a prose paragraph between fresh paragraphs (a standard background paragraph of
/// a wire), and the prose of an article that recurs as a whole (a dispatch republished by several
/// sites). Returns whether the article looks republished.
pub(super) fn apply_recurrence(
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

#[cfg(test)]
mod tests {
    use super::super::clean;
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
