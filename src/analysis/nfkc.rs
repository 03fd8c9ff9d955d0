//! Step 2 of the chain: Unicode NFKC on each token on its own ("𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬" → "Histoires",
//! "ﬁ" → "fi"), after the tokenizer, so that offsets still point into the text as written.

use tantivy::tokenizer::Token;
use unicode_normalization::UnicodeNormalization;

use super::filter::define_filter;

/// Unicode NFKC on each token: "𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬" → "Histoires", "ﬁ" → "fi".
#[derive(Clone, Default)]
pub(crate) struct Nfkc;

impl Nfkc {
    pub(super) fn apply(&mut self, token: &mut Token) -> bool {
        if !is_nfkc_already(&token.text) {
            token.text = token.text.nfkc().collect();
        }
        true
    }
}

/// Whether NFKC would leave `text` as it is: ASCII and the precomposed Latin-1 letters and "œ"
/// (most French words) are answered at once, anything else by the Unicode quick check.
fn is_nfkc_already(text: &str) -> bool {
    text.is_ascii()
        || text
            .chars()
            .all(|c| c.is_ascii() || matches!(c, 'À'..='ÿ' | 'Œ' | 'œ'))
        || unicode_normalization::is_nfkc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
}

define_filter!(
    /// Tokenizer wrapped by [`Nfkc`].
    Nfkc, NfkcTokenizer, NfkcStream
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{alone, assert_table};

    #[test]
    fn nfkc_alone() {
        assert_table(
            &mut alone(Nfkc),
            &[
                ("𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬", &[(0, "Histoires", 0, 36)]),
                ("ﬁnancement", &[(0, "financement", 0, 12)]),
                ("e\u{0301}tat", &[(0, "état", 0, 6)]),
                ("km²", &[(0, "km2", 0, 4)]),
                ("Ｓａｈｅｌ", &[(0, "Sahel", 0, 15)]),
                ("État cœur", &[(0, "État", 0, 5), (1, "cœur", 6, 11)]),
            ],
        );
    }

    #[test]
    fn nfkc_quick_answer_matches_nfkc() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            let word = format!("é{c}");
            if is_nfkc_already(&word) {
                assert_eq!(word.nfkc().collect::<String>(), word, "{c:?}");
            }
        }
    }
}
