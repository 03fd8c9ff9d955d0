//! The French analyzer: how text becomes the terms that are indexed and searched.
//!
//! One chain, registered in tantivy under [`ANALYZER_NAME`], is applied to indexed text and to
//! queries alike, so whatever it forgives (accents, elisions, case, inflection) it forgives on both
//! sides. This file puts the steps in order; each step is a file of its own, tested alone. The
//! steps, in order, and why that order:
//!
//! 1. `tokenizer.rs` cuts words on the original text and records their byte offsets. It keeps
//!    word-internal apostrophes (’ ʼ ‘ ′ ' ＇, all made `'`, so "aujourd’hui" stays one word), joins
//!    digit groups ("5 000", "5 000", "1.500") and dotted acronyms ("A.E.S."), treats
//!    non-breaking and thin spaces and hyphens as separators, and drops soft hyphens and
//!    zero-width characters inside words.
//! 2. `nfkc.rs` normalises each token on its own ("𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬" → "Histoires", "ﬁ" → "fi"), so
//!    offsets still point into the text as written and highlights never cut a character.
//! 3. `lowercase.rs` (tantivy's `LowerCaser`, with a Latin-1 fast path).
//! 4. `elision.rs` removes l’ d’ j’ m’ n’ s’ t’ c’ qu’ jusqu’ lorsqu’ puisqu’ quoiqu’.
//! 5. `accents.rs` folds accents and ligatures (é → e, œ → oe, æ → ae).
//! 6. `stop_words.rs`: the Snowball French list, folded, so "a" and "à" are treated alike.
//!    Removed words leave a gap in positions, so a phrase with stop words still matches.
//!    No step after the tokenizer renumbers words: a position stored in the index is found in
//!    the text by the tokenizer alone (`spans.rs`, for highlights).
//! 7. `stemmer.rs`: Snowball French (rust-stemmers), after folding, so that "securite" and
//!    "sécurité" reach the same stem (Snowball reads accents: unfolded they would not).
//!
//! Fold before stem is also as good as the other order for ranking: on PIAF (7,569 questions,
//! BM25 k1 0.9 b 0.4) MRR@10 is 0.7452 for fold → stem, 0.7450 for stem → fold and 0.7366
//! without folding (measured once by an example, `fold_order`, since removed); stem → fold is
//! ahead by 0.0012 with k1 1.2 b 0.75 and by 0.0016 with 60,000 ELTeC distractors, but it loses
//! `securite` → "sécurité", which the chain must find (the tests below show both).
//!
//! Speed (`cargo bench --bench analysis`): the steps avoid Unicode look-ups for ASCII and
//! Latin-1, and the stemmer keeps a bounded direct-mapped cache of stems. Steps 2 to 7 run as
//! one filter, `FrenchChain`, in one pass per token.

mod accents;
mod elision;
mod filter;
mod lowercase;
mod nfkc;
mod spans;
mod stemmer;
mod stop_words;
#[cfg(test)]
mod testing;
mod tokenizer;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream};

use accents::AccentFolder;
use elision::Elision;
use filter::define_filter;
use lowercase::Lowercase;
use nfkc::Nfkc;
pub(crate) use spans::{word_spans, WordSpan};
use stemmer::FrenchStemmer;
use stop_words::FrenchStopWords;
use tokenizer::FrenchTokenizer;

/// The name under which the French analyzer is registered in every index.
pub const ANALYZER_NAME: &str = "fr_aes";

/// The whole chain, ready to register in tantivy or to run on its own.
///
/// ```
/// let mut analyzer = aes_search::analysis::french_analyzer();
/// let mut stream = analyzer.token_stream("États du Sahel ont signé aujourd’hui");
/// let mut terms = Vec::new();
/// while let Some(token) = stream.next() {
///     terms.push(token.text.clone());
/// }
/// assert_eq!(terms, ["etat", "sahel", "sign", "aujourd'hui"]);
/// ```
pub fn french_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer)
        .filter(FrenchChain::default())
        .build()
}

/// Analyzer for prefix queries (`sahél*`): the chain without stop words and stemming, since a
/// prefix is a beginning of a word, not a word.
pub(crate) fn prefix_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer)
        .filter(Nfkc)
        .filter(Lowercase)
        .filter(Elision)
        .filter(AccentFolder::default())
        .build()
}

/// The elided words and the stop list of the chain, for a backend that rebuilds it elsewhere.
#[cfg(feature = "opensearch")]
pub(crate) fn word_lists() -> (&'static [&'static str], &'static [&'static str]) {
    (&elision::ELIDED, stop_words::FRENCH_STOP_WORDS)
}

/// Runs `analyzer` over `text` and collects the tokens (term, position and byte offsets).
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.clone());
    }
    out
}

/// Steps 2 to 7 (NFKC, lowercase, elision, fold, stop words, stem) in one filter, in that
/// order. Each step is also a filter of its own, tested alone; running them in one pass per
/// token instead of six nested streams took the analyzer from 63 to 65 MB/s.
#[derive(Clone, Default)]
struct FrenchChain {
    nfkc: Nfkc,
    lowercase: Lowercase,
    elision: Elision,
    fold: AccentFolder,
    stop: FrenchStopWords,
    stem: FrenchStemmer,
}

impl FrenchChain {
    fn apply(&mut self, token: &mut Token) -> bool {
        self.before_stemming(token) && self.stem.apply(token)
    }

    fn before_stemming(&mut self, token: &mut Token) -> bool {
        self.nfkc.apply(token)
            && self.lowercase.apply(token)
            && self.elision.apply(token)
            && self.fold.apply(token)
            && self.stop.apply(token)
    }
}

define_filter!(
    /// Tokenizer wrapped by [`FrenchChain`].
    FrenchChain, FrenchChainTokenizer, FrenchChainStream
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{assert_table, terms};

    #[test]
    fn chain_keeps_positions_and_offsets_of_the_written_words() {
        assert_table(
            &mut french_analyzer(),
            &[
                ("l’AES", &[(0, "ae", 0, 7)]),
                ("d’État", &[(0, "etat", 0, 9)]),
                (
                    // "les" is not in the Snowball list (nor Lucene's): it stems to "le".
                    "Les États du Sahel",
                    &[(0, "le", 0, 3), (1, "etat", 4, 10), (3, "sahel", 14, 19)],
                ),
                (
                    "Confédération des États du Sahel",
                    &[
                        (0, "confeder", 0, 15),
                        (2, "etat", 20, 26),
                        (4, "sahel", 30, 35),
                    ],
                ),
                ("𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬", &[(0, "histoir", 0, 36)]),
                ("aujourd’hui", &[(0, "aujourd'hui", 0, 13)]),
                ("jusqu’au", &[]),
                ("QU’IL", &[]),
                ("lorsqu’Assimi", &[(0, "assim", 0, 15)]),
                ("Burkina-Faso", &[(0, "burkin", 0, 7), (1, "faso", 8, 12)]),
                ("G5-Sahel", &[(0, "g5", 0, 2), (1, "sahel", 3, 8)]),
                (
                    "6 juillet 2024",
                    &[(0, "6", 0, 1), (1, "juillet", 2, 9), (2, "2024", 10, 14)],
                ),
                ("5 000 soldats", &[(0, "5000", 0, 5), (1, "soldat", 6, 13)]),
                ("Au cœur", &[(1, "coeur", 3, 8)]),
                ("A.E.S.", &[(0, "ae", 0, 5)]),
                ("in\u{00AD}dé\u{200B}pendance", &[(0, "independ", 0, 18)]),
                ("ﬁnancement", &[(0, "financ", 0, 12)]),
            ],
        );
    }

    #[test]
    fn chain_forgives_french_variation() {
        let mut fr = french_analyzer();
        // Each pair analyzes to the same terms.
        let table: &[(&str, &str)] = &[
            ("𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬", "histoires"),
            ("œuvre", "oeuvre"),
            ("Œuvre", "oeuvre"),
            ("cæcum", "caecum"),
            ("l’AES", "AES"),
            ("L'AES", "AES"),
            ("lʼAES", "AES"),
            ("l‘AES", "AES"),
            ("l′AES", "AES"),
            ("A.E.S.", "AES"),
            ("d’État", "état"),
            ("D’ÉTAT", "état"),
            ("États", "etats"),
            ("sécurité", "securite"),
            ("sécurités", "sécurité"),
            ("monnaies", "monnaie"),
            ("Goïta", "Goita"),
            ("Confédération", "confederation"),
            ("e\u{0301}tat", "état"),
            ("Burkina-Faso", "Burkina Faso"),
            ("Burkina\u{00A0}Faso", "Burkina Faso"),
            ("Burkina\u{2009}Faso", "Burkina Faso"),
            ("G5-Sahel", "G5 Sahel"),
            ("5 000", "5000"),
            ("5\u{00A0}000", "5000"),
            ("5\u{202F}000", "5000"),
            ("in\u{00AD}dé\u{200B}pendance", "indépendance"),
            ("d’aujourd’hui", "aujourd'hui"),
        ];
        for (a, b) in table {
            let (ta, tb) = (terms(&mut fr, a), terms(&mut fr, b));
            assert!(!ta.is_empty(), "{a:?} analyzes to nothing");
            assert_eq!(ta, tb, "{a:?} and {b:?}");
        }
        assert_eq!(terms(&mut fr, "aujourd’hui"), ["aujourd'hui"]);
    }

    #[test]
    fn highlights_cover_whole_characters_of_the_written_word() {
        let text = "Le 6 juillet 2024, l’AES (A.E.S.) — 𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬 d’État — réunit 5 000 \
                    soldats au cœur du G5-Sahel, in\u{00AD}dé\u{200B}pendance, ﬁnancement, lʼunion.";
        let mut fr = french_analyzer();
        let found = tokens(&mut fr, text);
        assert!(found.len() >= 15, "{found:?}");
        for token in found {
            let (from, to) = (token.offset_from, token.offset_to);
            assert!(
                text.is_char_boundary(from) && text.is_char_boundary(to),
                "{token:?}"
            );
            // The written word, analyzed on its own, is the token again.
            assert_eq!(
                terms(&mut fr, &text[from..to]),
                std::slice::from_ref(&token.text),
                "{token:?}"
            );
        }
    }

    proptest::proptest! {
        /// Any mix of the characters the tokenizer treats specially: no panic, and every token is
        /// non-empty, on whole characters, in order.
        #[test]
        fn any_text_gives_tokens_on_whole_characters(chars in proptest::collection::vec(
            proptest::sample::select(vec![
                'a', 'L', 'É', 'ï', '’', 'ʼ', '\'', '′', '.', '5', '0', ' ', '\u{00A0}', '\u{202F}',
                '\u{00AD}', '\u{200B}', '𝐇', 'œ', 'Œ', '-', 'ﬁ', '\u{0301}', 'Ł', '²', 'Σ',
            ]),
            0..40,
        )) {
            let text: String = chars.into_iter().collect();
            let mut last = None;
            for token in tokens(&mut french_analyzer(), &text) {
                proptest::prop_assert!(!token.text.is_empty());
                proptest::prop_assert!(token.offset_from < token.offset_to);
                proptest::prop_assert!(text.is_char_boundary(token.offset_from));
                proptest::prop_assert!(text.is_char_boundary(token.offset_to));
                proptest::prop_assert!(last < Some(token.position));
                last = Some(token.position);
            }
        }
    }

    #[test]
    fn overlong_tokens_are_dropped() {
        let mut fr = french_analyzer();
        let long = "a".repeat(10_000);
        assert_eq!(
            terms(&mut fr, &format!("début {long} fin")),
            ["debut", "fin"]
        );
    }

    /// The one-pass chain is the six filters, each tested alone, in the order the module docs
    /// give.
    #[test]
    fn chain_is_the_filters_in_the_documented_order() {
        let mut steps = TextAnalyzer::builder(FrenchTokenizer)
            .filter(Nfkc)
            .filter(Lowercase)
            .filter(Elision)
            .filter(AccentFolder::default())
            .filter(FrenchStopWords::new())
            .filter(FrenchStemmer::new())
            .build();
        let text = "Le 6 juillet 2024, l’AES (A.E.S.) — 𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬 d’État — réunit 5 000 \
                    soldats au cœur du G5-Sahel, in\u{00AD}dé\u{200B}pendance, ﬁnancement, lʼunion, \
                    la sécurité des États et les monnaies aujourd’hui.";
        assert_eq!(
            tokens(&mut french_analyzer(), text),
            tokens(&mut steps, text)
        );
    }

    /// Why fold comes before stem: Snowball reads accents, so stemming first and folding the
    /// stem would not give a word typed without its accents the stem of the written word.
    #[test]
    fn fold_before_stem_so_words_typed_without_accents_find_accented_ones() {
        let snowball = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French);
        let stem_then_fold = |w: &str| crate::fold::fold(&snowball.stem(w)).into_owned();
        let mut fr = french_analyzer();
        // (as written, as typed): the same term in this chain, two terms in the other order.
        let table = [("sécurité", "securite"), ("sécurités", "securites")];
        for (written, typed) in table {
            assert_eq!(terms(&mut fr, written), terms(&mut fr, typed), "{written}");
            assert_ne!(stem_then_fold(written), stem_then_fold(typed), "{written}");
        }
    }
}
