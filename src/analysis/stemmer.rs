//! Step 7 of the chain: Snowball French stemming (rust-stemmers), after folding, so that
//! "securite" and "sécurité" reach the same stem; a bounded cache keeps it fast on running text.

use tantivy::tokenizer::Token;

use super::filter::define_filter;

/// Snowball French stemming (rust-stemmers), with a cache since text repeats its words.
///
/// The cache is direct-mapped: a word's hash picks one slot, which holds the last word stemmed
/// there and its stem, inline in 32 bytes (half a cache line). A look-up is one hash, one memory
/// access and one comparison; a miss overwrites the slot; the memory is bounded (8 MiB, made
/// after 5,000 words) and never cleared. A word whose length and its stem's exceed `STEM_SLOT_BYTES` (a word of more than
/// 15 letters or so) is stemmed without the cache.
pub(crate) struct FrenchStemmer {
    stemmer: rust_stemmers::Stemmer,
    /// Allocated on first use, so that an analyzer that never stems costs nothing.
    slots: Box<[StemSlot]>,
    /// Words stemmed before the cache is made: a search stems a few hundred words and is
    /// faster without an 8 MiB table to clear.
    uncached: u32,
}

/// Slots of the stem cache: 2^18 (8 MiB, mapped by the system as it is touched). On 20 MB of
/// novels the analyzer ran at 0.38 of tantivy's default tokenizer with 2^14 slots, 0.46 with
/// 2^16 and 0.50 with 2^18 (`cargo bench --bench analysis`).
const STEM_CACHE_BITS: u32 = 18;
/// Words stemmed without a cache before one is made.
const STEM_CACHE_AFTER: u32 = 5_000;
/// Bytes of a cache slot for a word and its stem together.
const STEM_SLOT_BYTES: usize = 30;

/// A stem cache of `n` empty slots, from zeroed memory: the system maps its pages as they are
/// first used, so a short search does not pay for the whole table.
fn zeroed_slots(n: usize) -> Box<[StemSlot]> {
    let Ok(layout) = std::alloc::Layout::array::<StemSlot>(n) else {
        return Box::default();
    };
    // SAFETY: `StemSlot` is bytes only, so all-zero memory is a valid (empty) slot; the layout
    // is that of `n` slots, `n` > 0, and a null pointer is handled before use.
    unsafe {
        let ptr = std::alloc::alloc_zeroed(layout).cast::<StemSlot>();
        if ptr.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, n))
    }
}

/// One entry of the stem cache: a word then its stem in `bytes`.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct StemSlot {
    word_len: u8,
    stem_len: u8,
    bytes: [u8; STEM_SLOT_BYTES],
}

impl FrenchStemmer {
    /// A French stemmer with an empty cache.
    pub(crate) fn new() -> Self {
        FrenchStemmer {
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French),
            slots: Box::default(),
            uncached: 0,
        }
    }

    pub(super) fn apply(&mut self, token: &mut Token) -> bool {
        let word = token.text.as_bytes();
        if word.is_empty() || word.len() >= STEM_SLOT_BYTES {
            token.text = self.stemmer.stem(&token.text).into_owned();
            return true;
        }
        if self.slots.is_empty() {
            if self.uncached < STEM_CACHE_AFTER {
                self.uncached += 1;
                token.text = self.stemmer.stem(&token.text).into_owned();
                return true;
            }
            self.slots = zeroed_slots(1 << STEM_CACHE_BITS);
        }
        // The high bits: a multiplicative hash mixes its input into them, not into the low ones.
        let slot = &mut self.slots[(word_hash(&token.text) >> (64 - STEM_CACHE_BITS)) as usize];
        let word_len = usize::from(slot.word_len);
        if &slot.bytes[..word_len] != word {
            let stem = self.stemmer.stem(&token.text);
            if word.len() + stem.len() > STEM_SLOT_BYTES {
                token.text = stem.into_owned();
                return true;
            }
            slot.word_len = word.len() as u8;
            slot.stem_len = stem.len() as u8;
            slot.bytes[..word.len()].copy_from_slice(word);
            slot.bytes[word.len()..word.len() + stem.len()].copy_from_slice(stem.as_bytes());
        }
        let stem = &slot.bytes[usize::from(slot.word_len)..][..usize::from(slot.stem_len)];
        token.text.clear();
        // SAFETY: the slot's stem bytes were copied whole from a `str` (a stem is never cut).
        token
            .text
            .push_str(unsafe { std::str::from_utf8_unchecked(stem) });
        true
    }
}

impl Default for FrenchStemmer {
    fn default() -> Self {
        Self::new()
    }
}

impl Clone for FrenchStemmer {
    fn clone(&self) -> Self {
        Self::new()
    }
}

define_filter!(
    /// Tokenizer wrapped by [`FrenchStemmer`].
    FrenchStemmer, FrenchStemmerTokenizer, FrenchStemmerStream
);

/// A small fast hash (FxHash's multiply-rotate) for the short keys of the stem cache: SipHash's
/// resistance to chosen keys is not needed for a bounded cache.
#[derive(Clone, Copy, Default)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn word_hash(word: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = WordHasher::default();
    word.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{alone, terms};

    #[test]
    fn stemmer_alone_reads_accents() {
        let mut stemmer = alone(FrenchStemmer::new());
        let table: &[(&str, &str)] = &[
            ("monnaies", "monnai"),
            ("monnaie", "monnai"),
            ("etats", "etat"),
            ("securite", "securit"),
            ("securites", "securit"),
            // Unfolded, Snowball keeps the accents and reaches another stem: hence fold first.
            ("sécurité", "sécur"),
            ("confederation", "confeder"),
            ("2024", "2024"),
        ];
        for (text, term) in table {
            assert_eq!(terms(&mut stemmer, text), [*term], "stem of {text:?}");
        }
    }

    #[test]
    fn stem_cache_returns_the_stemmers_answer_under_collisions() {
        let plain = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French);
        let mut cached = alone(FrenchStemmer::new());
        // More words than slots, twice over: every slot is overwritten and read back.
        let words: Vec<String> = (0..(3usize << STEM_CACHE_BITS))
            .map(|i| {
                format!(
                    "{}ations",
                    ["nation", "monnai", "secur", "etat"][i % 4].repeat(1 + i % 3)
                ) + &i.to_string()
            })
            .chain(["x".repeat(40) + "ations", "securites".into()])
            .collect();
        for _ in 0..2 {
            for word in words.iter().step_by(7) {
                assert_eq!(
                    terms(&mut cached, word),
                    [plain.stem(word).into_owned()],
                    "{word}"
                );
            }
        }
    }
}
