//! Step 4 of the chain: drops the elided article or pronoun in front of a word ("l’AES" →
//! "aes"). It runs after lowercasing, on apostrophes the tokenizer has already made `'`.

use tantivy::tokenizer::Token;

use super::filter::define_filter;

/// Removes French elided articles and pronouns: l’ d’ j’ m’ n’ s’ t’ c’ qu’ jusqu’ lorsqu’
/// puisqu’ quoiqu’. Expects lowercased text with apostrophes already made `'`.
#[derive(Clone, Default)]
pub(crate) struct Elision;

pub(super) const ELIDED: [&str; 13] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

impl Elision {
    pub(super) fn apply(&mut self, token: &mut Token) -> bool {
        if let Some(apostrophe) = token.text.find('\'') {
            if ELIDED.contains(&&token.text[..apostrophe]) {
                token.text.drain(..=apostrophe);
            }
        }
        !token.text.is_empty()
    }
}

define_filter!(
    /// Tokenizer wrapped by [`Elision`].
    Elision, ElisionTokenizer, ElisionStream
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lowercase::Lowercase;
    use crate::analysis::testing::{assert_tokens, terms};
    use crate::analysis::tokenizer::FrenchTokenizer;
    use tantivy::tokenizer::TextAnalyzer;

    #[test]
    fn elision_alone() {
        let mut elision = TextAnalyzer::builder(FrenchTokenizer)
            .filter(Lowercase)
            .filter(Elision)
            .build();
        let table: &[(&str, &str)] = &[
            ("l’AES", "aes"),
            ("L'AES", "aes"),
            ("d’État", "état"),
            ("D’ÉTAT", "état"),
            ("j’ai", "ai"),
            ("m’a", "a"),
            ("n’est", "est"),
            ("s’est", "est"),
            ("t’a", "a"),
            ("c’est", "est"),
            ("qu’il", "il"),
            ("QU’IL", "il"),
            ("jusqu’au", "au"),
            ("lorsqu’Assimi", "assimi"),
            ("puisqu’elle", "elle"),
            ("quoiqu’on", "on"),
            ("lʼunion", "union"),
            ("l‘union", "union"),
            ("l′union", "union"),
            ("aujourd’hui", "aujourd'hui"),
            ("d’aujourd’hui", "aujourd'hui"),
            ("presqu’île", "presqu'île"),
        ];
        for (text, term) in table {
            assert_eq!(terms(&mut elision, text), [*term], "elision of {text:?}");
        }
        // The token keeps the offsets of the whole written word, elision included.
        assert_tokens(
            &mut elision,
            "de l’AES",
            &[(0, "de", 0, 2), (1, "aes", 3, 10)],
        );
    }
}
