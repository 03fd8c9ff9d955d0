//! Words of one family: a query for "sécuritaire" where the articles write "sécurité", for
//! "Sahel" where they write "sahélien", or for "confédéral" where they write "Confédération".
//! The Snowball stemmer removes inflection, not derivation, so these stay apart in the index.
//! Rather than a second, more aggressive stem field (a second copy of every passage's terms,
//! and a slower build), the query looks up, beside each word's stem, the stems that differ from
//! it only by a derivational ending of French adjectives and nouns (-aire, -ien, -al, -el, -ier,
//! -éen): a handful of term look-ups per word, weighed below the word as typed.

use crate::rewrite::question::is_interrogative;

/// Endings of folded Snowball stems that make an adjective or a noun of a root: "securit" +
/// "air" (sécuritaire), "sahel" + "ien" (sahélien), "confeder" + "al" (confédéral),
/// "president" + "iel" (présidentiel), "polic" + "i" (policier), "europ" + "een" (européen).
/// Longest first, so that a stem loses its longest ending. Not -ain: "capit" + "ain" would make
/// the capitaine of the capitale.
const ENDINGS: &[&str] = &["iel", "air", "ien", "een", "al", "el", "i"];

/// Roots shorter than this are left alone: short roots are ambiguous ("mal" in "malien" and
/// "mal", "fin" in "final"), and the demonyms they would serve are in the synonyms list.
/// Measured 2026-12-03 (`aes-search eval`; aes_dev's `score.py`), against no families:
/// 4 letters took aes_dev nDCG@10 0.7271 → 0.7332 (MRR@10 0.9282 → 0.9375), PIAF MRR@10
/// 0.7867 → 0.7879, service-public 0.8396 → 0.8394; 5 letters did less on both (0.7286,
/// 0.7877).
const MIN_ROOT: usize = 4;

/// How much a derived word weighs against the word as typed, as a share of its idf: a passage
/// that holds the query's own word should still come first. With 5-letter roots, 0.3 and 0.8
/// did no better than 0.5 (aes_dev 0.7288 and 0.7278, PIAF 0.7870 and 0.7871).
pub(super) const DERIVED_WEIGHT: f32 = 0.5;

/// The stems of `stem`'s family that might be in the index: its root with every other ending,
/// `stem` itself and function words ("comment" for "commentaire") left out. Empty when the root
/// is too short to tell.
pub(super) fn relatives(stem: &str) -> Vec<String> {
    let root = ENDINGS
        .iter()
        .find_map(|e| stem.strip_suffix(e))
        .filter(|r| r.chars().count() >= MIN_ROOT)
        .unwrap_or(stem);
    if root.chars().count() < MIN_ROOT || !root.chars().all(|c| c.is_alphabetic()) {
        return Vec::new();
    }
    std::iter::once(root.to_string())
        .chain(ENDINGS.iter().map(|e| format!("{root}{e}")))
        .filter(|s| s != stem && !is_interrogative(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stem_finds_its_family_and_no_more() {
        let table: &[(&str, &[&str], &[&str])] = &[
            // (stem, must be among the relatives, must not be)
            ("securitair", &["securit"], &["securitair", "secur"]),
            ("securit", &["securitair"], &["securit"]),
            ("sahel", &["sahelien"], &["sahel"]),
            ("sahelien", &["sahel"], &["sahelien", "sahe"]),
            ("confederal", &["confeder"], &["confederal"]),
            ("presidentiel", &["president"], &[]),
            ("polici", &["polic"], &[]),
            ("routi", &["rout"], &[]),
            ("capital", &[], &["capitain"]),
            ("europeen", &["europ"], &[]),
            ("nation", &["national"], &[]),
            ("commentair", &[], &["comment"]),
            // Too short a root: nothing.
            ("malien", &[], &["mal"]),
            ("final", &[], &["fin"]),
            ("mali", &[], &["mal"]),
            // Digits and acronyms are no family.
            ("2024", &[], &["2024al"]),
        ];
        for (stem, with, without) in table {
            let found = relatives(stem);
            for w in *with {
                assert!(found.iter().any(|f| f == w), "{stem}: {w} in {found:?}");
            }
            for w in *without {
                assert!(
                    !found.iter().any(|f| f == w),
                    "{stem}: {w} not in {found:?}"
                );
            }
        }
    }
}
