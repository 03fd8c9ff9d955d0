//! Step 3 of the chain: lowercasing, as tantivy's `LowerCaser` does, with a fast path for the
//! ASCII and Latin-1 letters that make up most French text.

use tantivy::tokenizer::Token;

use super::filter::define_filter;

/// Lowercases each token (as tantivy's `LowerCaser`), in place for ASCII and Latin-1 letters,
/// which need no Unicode look-up: "É" is the bytes C3 89 and "é" is C3 A9.
#[derive(Clone, Default)]
pub(crate) struct Lowercase;

impl Lowercase {
    pub(super) fn apply(&mut self, token: &mut Token) -> bool {
        if token.text.is_ascii() {
            token.text.make_ascii_lowercase();
        } else if !lowercase_latin1_in_place(&mut token.text) {
            token.text = token.text.to_lowercase();
        }
        true
    }
}

/// Lowercases `text` in place if it has only ASCII and Latin-1 characters; returns false (text
/// unchanged) if it has others, which need `str::to_lowercase`.
fn lowercase_latin1_in_place(text: &mut String) -> bool {
    let bytes = text.as_bytes();
    if bytes.iter().any(|&b| b > 0xC3) {
        return false;
    }
    // SAFETY: only ASCII bytes A-Z and the second byte of two-byte sequences C3 80..=C3 9E
    // (À..Þ except × at C3 97) change, each by +0x20, to another byte of the same kind: the
    // text stays valid UTF-8 with the same length.
    let bytes = unsafe { text.as_bytes_mut() };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0xC3 {
            let next = &mut bytes[i + 1];
            if (0x80..=0x9E).contains(next) && *next != 0x97 {
                *next += 0x20;
            }
            i += 2;
        } else {
            bytes[i] = b.to_ascii_lowercase();
            i += if b < 0x80 { 1 } else { 2 };
        }
    }
    true
}

define_filter!(
    /// Tokenizer wrapped by [`Lowercase`].
    Lowercase, LowercaseTokenizer, LowercaseStream
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{alone, assert_table};

    #[test]
    fn lowercase_alone() {
        assert_table(
            &mut alone(Lowercase),
            &[
                ("ÉTATS", &[(0, "états", 0, 6)]),
                ("L’AES", &[(0, "l'aes", 0, 7)]),
                ("ŒUVRE", &[(0, "œuvre", 0, 6)]),
                ("ÇA", &[(0, "ça", 0, 3)]),
                ("ΣΑΧΕΛ", &[(0, "σαχελ", 0, 10)]),
            ],
        );
    }

    #[test]
    fn latin1_lowercase_matches_to_lowercase() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            let word = format!("A{c}É");
            let mut fast = word.clone();
            if lowercase_latin1_in_place(&mut fast) {
                assert_eq!(fast, word.to_lowercase(), "{c:?}");
            }
        }
    }
}
