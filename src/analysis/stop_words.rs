//! Step 6 of the chain: removes French stop words (the Snowball list), compared folded since
//! it runs after folding. A removed word leaves a gap in positions, so phrases still match.

use std::sync::{Arc, OnceLock};

use tantivy::tokenizer::Token;

use super::filter::define_filter;
use crate::fold::fold;

/// The Snowball French stop list (as in Lucene and Elasticsearch), plus the elided forms that the
/// list lacks.
pub(super) const FRENCH_STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il",
    "je", "la", "le", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos",
    "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses",
    "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c",
    "d", "j", "l", "à", "m", "n", "s", "t", "y", "été", "étée", "étées", "étés", "étant", "étante",
    "étants", "étantes", "suis", "es", "est", "sommes", "êtes", "sont", "serai", "seras", "sera",
    "serons", "serez", "seront", "serais", "serait", "serions", "seriez", "seraient", "étais",
    "était", "étions", "étiez", "étaient", "fus", "fut", "fûmes", "fûtes", "furent", "sois",
    "soit", "soyons", "soyez", "soient", "fusse", "fusses", "fût", "fussions", "fussiez",
    "fussent", "ayant", "ayante", "ayantes", "ayants", "eu", "eue", "eues", "eus", "ai", "as",
    "avons", "avez", "ont", "aurai", "auras", "aura", "aurons", "aurez", "auront", "aurais",
    "aurait", "aurions", "auriez", "auraient", "avais", "avait", "avions", "aviez", "avaient",
    "eut", "eûmes", "eûtes", "eurent", "aie", "aies", "ait", "ayons", "ayez", "aient", "eusse",
    "eusses", "eût", "eussions", "eussiez", "eussent", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Removes French stop words; compares folded forms, since it runs after [`AccentFolder`](super::accents::AccentFolder).
///
/// Every folded stop word fits in 8 bytes, so each is kept as one integer (its bytes, zero
/// padded) in a small open-addressing table: a look-up is a length test, a multiplication and
/// usually one comparison.
#[derive(Clone)]
pub(crate) struct FrenchStopWords {
    /// 2^[`STOP_TABLE_BITS`] packed words, 0 for an empty slot; linear probing.
    words: Arc<Vec<u64>>,
}

const STOP_TABLE_BITS: u32 = 10;

/// The slot where the look-up for a packed word starts.
fn stop_slot(word: u64) -> usize {
    (word.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - STOP_TABLE_BITS)) as usize
}

/// The bytes of a word of at most 8 bytes as one integer; `None` if longer.
fn pack_word(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    (bytes.len() <= 8).then(|| {
        let mut packed = [0u8; 8];
        packed[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(packed)
    })
}

impl FrenchStopWords {
    /// The filter with [`FRENCH_STOP_WORDS`].
    pub(crate) fn new() -> Self {
        static WORDS: OnceLock<Arc<Vec<u64>>> = OnceLock::new();
        let words = WORDS.get_or_init(|| {
            let mut table = vec![0u64; 1 << STOP_TABLE_BITS];
            for word in FRENCH_STOP_WORDS {
                let packed = pack_word(&fold(word)).expect("stop words fit in 8 bytes");
                let mut slot = stop_slot(packed);
                while table[slot] != 0 && table[slot] != packed {
                    slot = (slot + 1) & ((1 << STOP_TABLE_BITS) - 1);
                }
                table[slot] = packed;
            }
            Arc::new(table)
        });
        FrenchStopWords {
            words: Arc::clone(words),
        }
    }

    pub(super) fn apply(&mut self, token: &mut Token) -> bool {
        let Some(packed) = pack_word(&token.text) else {
            return true;
        };
        let mut slot = stop_slot(packed);
        loop {
            match self.words[slot] {
                0 => return true,
                word if word == packed => return false,
                _ => slot = (slot + 1) & ((1 << STOP_TABLE_BITS) - 1),
            }
        }
    }
}

impl Default for FrenchStopWords {
    fn default() -> Self {
        Self::new()
    }
}

define_filter!(
    /// Tokenizer wrapped by [`FrenchStopWords`].
    FrenchStopWords, FrenchStopWordsTokenizer, FrenchStopWordsStream
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{alone, assert_table};

    #[test]
    fn stop_words_alone_leave_position_gaps() {
        assert_table(
            &mut alone(FrenchStopWords::new()),
            &[
                (
                    "la monnaie de la CEDEAO",
                    &[(1, "monnaie", 3, 10), (4, "CEDEAO", 17, 23)],
                ),
                // Compared folded (the filter runs after folding): "a" is "à", "ete" is "été".
                ("a ete y", &[]),
                ("jusqu lorsqu puisqu quoiqu", &[]),
                ("eussions auraient", &[]),
                ("Sahel", &[(0, "Sahel", 0, 5)]),
            ],
        );
    }
}
