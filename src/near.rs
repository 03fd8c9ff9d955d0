//! Near-duplicate articles: the same dispatch republished by several outlets, each with its own
//! headline tweaks and furniture, is one story to a reader. Each article's cleaned text gets a
//! 64-bit SimHash of its word 3-shingles (Charikar 2002) at index time; two articles whose
//! fingerprints differ in at most [`MAX_DISTANCE`] bits are near-duplicates. A pure leaf:
//! computed from text alone, stored with the passages, compared at search time without reading
//! anything else.

use crate::fold::fold;

/// Most differing bits between two near-duplicates' fingerprints. Manku et al. (2007) chose 3
/// to compare billions of pages; a search compares only the few articles it shows, so the bound
/// can follow the copies: on the 48 development articles, a copy with another headline, a
/// byline and its last paragraph cut differed by 0 to 9 bits, and no two distinct articles by
/// fewer than 16 (two unrelated fingerprints differ by 32 on average, and by 10 or fewer with a
/// chance of about 2 in 10 million).
pub(crate) const MAX_DISTANCE: u32 = 10;

/// Fewer shingles than this and an article gets no fingerprint: short texts (a brief, a
/// caption) share too few words for their likeness to mean a republished story.
const MIN_SHINGLES: usize = 24;

/// Words per shingle.
const SHINGLE: usize = 3;

/// The fingerprint of an article's paragraphs; `None` for a text too short to have one.
pub(crate) fn fingerprint(paragraphs: &[String]) -> Option<u64> {
    let text = paragraphs.join(" ").to_lowercase();
    let folded = fold(&text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let shingles = words.len().checked_sub(SHINGLE - 1)?;
    if shingles < MIN_SHINGLES {
        return None;
    }
    let mut weights = [0i32; 64];
    for window in words.windows(SHINGLE) {
        let hash = fnv1a(window);
        for (bit, weight) in weights.iter_mut().enumerate() {
            *weight += if hash >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    let print = weights
        .iter()
        .enumerate()
        .filter(|(_, &w)| w > 0)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit);
    Some(print)
}

/// Whether two fingerprints are of near-duplicate articles.
pub(crate) fn near(a: u64, b: u64) -> bool {
    (a ^ b).count_ones() <= MAX_DISTANCE
}

/// FNV-1a over the words of a shingle, separated: stable across builds and platforms, which a
/// fingerprint stored in an index must be (std's hasher promises neither).
fn fnv1a(words: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for word in words {
        for byte in word.bytes().chain([b' ']) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(words: usize, seed: usize) -> String {
        let vocabulary = [
            "la",
            "confédération",
            "des",
            "états",
            "du",
            "sahel",
            "a",
            "annoncé",
            "lundi",
            "création",
            "banque",
            "commune",
            "monnaie",
            "Bamako",
            "Niamey",
            "Ouagadougou",
            "ministres",
            "sommet",
            "projet",
            "financement",
            "routes",
            "énergie",
            "sécurité",
        ];
        let mut state = (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..words)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                vocabulary[(state >> 33) as usize % vocabulary.len()]
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_same_story_edited_a_little_is_near_and_another_story_is_not() {
        let base = story(200, 0);
        let edited = format!("Par notre correspondant. {} Lire aussi la suite.", base);
        let other = story(200, 5);
        let print = |t: &str| fingerprint(&[t.to_string()]).expect("long enough");
        // (what, the other text, near)
        let table = [
            ("itself", base.clone(), true),
            ("with a byline and a teaser", edited, true),
            (
                "in capitals and without accents",
                fold(&base).to_uppercase(),
                true,
            ),
            ("another story", other, false),
        ];
        for (what, text, expected) in table {
            assert_eq!(near(print(&base), print(&text)), expected, "{what}");
        }
    }

    #[test]
    fn a_short_text_has_no_fingerprint() {
        assert_eq!(fingerprint(&[story(20, 0)]), None);
        assert_eq!(fingerprint(&[]), None);
        assert!(fingerprint(&[story(30, 0)]).is_some());
    }
}
