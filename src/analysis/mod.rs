//! The French analyzer: how text becomes the terms that are indexed and searched.
//!
//! One chain, registered in tantivy under [`ANALYZER_NAME`], is applied to indexed text and to
//! queries alike, so whatever it forgives (accents, elisions, case, inflection) it forgives on both
//! sides. The steps, in order, and why that order:
//!
//! 1. [`FrenchTokenizer`] cuts words on the original text and records their byte offsets. It keeps
//!    word-internal apostrophes (’ ʼ ‘ ′ ' ＇, all made `'`, so "aujourd’hui" stays one word), joins
//!    digit groups ("5 000", "5 000", "1.500") and dotted acronyms ("A.E.S."), treats
//!    non-breaking and thin spaces and hyphens as separators, and drops soft hyphens and
//!    zero-width characters inside words.
//! 2. [`Nfkc`] normalises each token on its own ("𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬" → "Histoires", "ﬁ" → "fi"), so
//!    offsets still point into the text as written and highlights never cut a character.
//! 3. [`Lowercase`] (tantivy's `LowerCaser`, with a Latin-1 fast path).
//! 4. [`Elision`] removes l’ d’ j’ m’ n’ s’ t’ c’ qu’ jusqu’ lorsqu’ puisqu’ quoiqu’.
//! 5. [`AccentFolder`] folds accents and ligatures (é → e, œ → oe, æ → ae).
//! 6. [`FrenchStopWords`]: the Snowball French list, folded, so "a" and "à" are treated alike.
//!    Removed words leave a gap in positions, so a phrase with stop words still matches.
//!    No step after the tokenizer renumbers words: a position stored in the index is found in
//!    the text by the tokenizer alone ([`word_spans`], for highlights).
//! 7. [`FrenchStemmer`]: Snowball French (rust-stemmers), after folding, so that "securite" and
//!    "sécurité" reach the same stem (Snowball reads accents: unfolded they would not).
//!
//! Fold before stem is also as good as the other order for ranking: on PIAF (7,569 questions,
//! BM25 k1 0.9 b 0.4) MRR@10 is 0.7452 for fold → stem, 0.7450 for stem → fold and 0.7366
//! without folding (`cargo run --release --example fold_order`); stem → fold is ahead by 0.0012
//! with k1 1.2 b 0.75 and by 0.0016 with 60,000 ELTeC distractors, but it loses `securite` →
//! "sécurité", which the chain must find.
//!
//! Speed (`cargo bench --bench analysis`): the steps avoid Unicode look-ups for ASCII and
//! Latin-1, and the stemmer keeps a bounded direct-mapped cache of stems.

use std::sync::{Arc, OnceLock};

use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

pub use crate::fold::fold;
use crate::fold::fold_into;

/// The name under which the French analyzer is registered in every index.
pub const ANALYZER_NAME: &str = "fr_aes";

/// Words longer than this (in bytes) are not indexed: no real word is, and tantivy refuses terms
/// over 64 KiB, which a hostile file of one long "word" would otherwise reach.
const MAX_TOKEN_BYTES: usize = 100;

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
pub fn prefix_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer)
        .filter(Nfkc)
        .filter(Lowercase)
        .filter(Elision)
        .filter(AccentFolder::default())
        .build()
}

/// Runs `analyzer` over `text` and collects the tokens (term, position and byte offsets).
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.clone());
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{02BC}' | '\u{2018}' | '\u{2032}' | '\u{FF07}'
    )
}

/// Characters that vanish inside a word: soft hyphen, zero-width space / joiners, word joiner, BOM.
fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Letters, digits and combining marks. ASCII and Latin-1 (most of French) are answered without
/// Unicode table look-ups; the result is the same as `is_alphanumeric` there.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if c <= '\u{00FF}' {
        return matches!(
            c,
            'ª' | '²' | '³' | 'µ' | '¹' | 'º' | '¼'..='¾' | 'À'..='Ö' | 'Ø'..='ö' | 'ø'..='ÿ'
        );
    }
    // U+02BC (ʼ) is a letter for Unicode but an apostrophe in French text.
    (c.is_alphanumeric() && c != '\u{02BC}') || ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Separators allowed between the digit groups of one number: "5 000", "5 000", "1.500".
fn is_digit_group_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}' | '.')
}

/// The character starting at byte `i` of `text` (`i` on a boundary), if any.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|rest| rest.chars().next())
}

/// Word segmentation on the original text; see the module docs for what it joins.
#[derive(Clone, Default)]
pub struct FrenchTokenizer;

/// The token stream of [`FrenchTokenizer`].
pub struct FrenchTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next word starts.
    cursor: usize,
    token: Token,
    next_position: usize,
}

impl Tokenizer for FrenchTokenizer {
    type TokenStream<'a> = FrenchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FrenchTokenStream<'a> {
        FrenchTokenStream {
            text,
            cursor: 0,
            token: Token::default(),
            next_position: 0,
        }
    }
}

impl FrenchTokenStream<'_> {
    /// Scans one word starting at byte `start` (a word character) into the token text; returns
    /// the byte offset after it. The text is copied from the original in runs, skipping the
    /// characters the word drops (soft hyphens, acronym dots, digit-group spaces).
    fn scan_word(&mut self, start: usize) -> usize {
        let text = self.text;
        let bytes = text.as_bytes();
        let out = &mut self.token.text;
        out.clear();
        let mut i = start;
        // Start of the run of original text not yet copied into `out`.
        let mut copied = start;
        // Length in chars of the current run of letters/digits (since the last joiner).
        let mut run = 0usize;
        let mut last_word_char = ' ';
        let mut all_digits = true;
        let mut group_digits = 0usize;
        let mut joined_groups = false;
        while i < bytes.len() {
            let b = bytes[i];
            let c = if b.is_ascii() {
                b as char
            } else {
                char_at(text, i).unwrap_or(' ')
            };
            let len = c.len_utf8();
            if is_word_char(c) {
                run += 1;
                last_word_char = c;
                all_digits &= c.is_ascii_digit();
                group_digits += 1;
                i += len;
                continue;
            }
            if is_ignorable(c) {
                out.push_str(&text[copied..i]);
                i += len;
                copied = i;
                continue;
            }
            let next = char_at(text, i + len);
            if is_apostrophe(c) && next.is_some_and(|n| is_word_char(n) && !n.is_ascii_digit()) {
                out.push_str(&text[copied..i]);
                out.push('\'');
                run = 0;
                all_digits = false;
                i += len;
                copied = i;
                continue;
            }
            // "A.E.S.": a dot between single letters.
            if c == '.'
                && run == 1
                && last_word_char.is_alphabetic()
                && next.is_some_and(|n| {
                    n.is_alphabetic()
                        && !char_at(text, i + 1 + n.len_utf8()).is_some_and(is_word_char)
                })
            {
                out.push_str(&text[copied..i]);
                run = 0;
                i += 1;
                copied = i;
                continue;
            }
            if all_digits
                && is_digit_group_separator(c)
                && (if joined_groups {
                    group_digits == 3
                } else {
                    (1..=3).contains(&group_digits)
                })
            {
                let rest = &bytes[i + len..];
                let three_digits = rest.len() >= 3
                    && rest[..3].iter().all(u8::is_ascii_digit)
                    && !char_at(text, i + len + 3).is_some_and(is_word_char);
                if three_digits {
                    out.push_str(&text[copied..i]);
                    joined_groups = true;
                    group_digits = 0;
                    i += len;
                    copied = i;
                    continue;
                }
            }
            break;
        }
        out.push_str(&text[copied..i]);
        i
    }
}

impl TokenStream for FrenchTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let text = self.text;
        let bytes = text.as_bytes();
        loop {
            let mut i = self.cursor;
            loop {
                let Some(&b) = bytes.get(i) else {
                    self.cursor = i;
                    return false;
                };
                if b.is_ascii() {
                    if b.is_ascii_alphanumeric() {
                        break;
                    }
                    i += 1;
                    continue;
                }
                let c = char_at(text, i).unwrap_or(' ');
                if is_word_char(c) {
                    break;
                }
                i += c.len_utf8();
            }
            let start = i;
            let end = self.scan_word(start);
            self.cursor = end;
            let position = self.next_position;
            self.next_position += 1;
            if self.token.text.len() > MAX_TOKEN_BYTES {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = position;
            self.token.position_length = 1;
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

// The filters below share one shape (tantivy's): a filter, its wrapping tokenizer, its stream.
// `define_filter!` writes the wrapping for a filter whose work is a function on the token text.
macro_rules! define_filter {
    ($(#[$doc:meta])* $filter:ident, $wrapper:ident, $stream:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $wrapper<T> {
            inner: T,
            filter: $filter,
        }

        /// Token stream of the filter of the same name.
        pub struct $stream<'a, S> {
            tail: S,
            filter: &'a mut $filter,
        }

        impl TokenFilter for $filter {
            type Tokenizer<T: Tokenizer> = $wrapper<T>;

            fn transform<T: Tokenizer>(self, inner: T) -> $wrapper<T> {
                $wrapper { inner, filter: self }
            }
        }

        impl<T: Tokenizer> Tokenizer for $wrapper<T> {
            type TokenStream<'a> = $stream<'a, T::TokenStream<'a>>;

            fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
                $stream { tail: self.inner.token_stream(text), filter: &mut self.filter }
            }
        }

        impl<S: TokenStream> TokenStream for $stream<'_, S> {
            fn advance(&mut self) -> bool {
                while self.tail.advance() {
                    if self.filter.apply(self.tail.token_mut()) {
                        return true;
                    }
                }
                false
            }

            fn token(&self) -> &Token {
                self.tail.token()
            }

            fn token_mut(&mut self) -> &mut Token {
                self.tail.token_mut()
            }
        }
    };
}

/// Unicode NFKC on each token: "𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬" → "Histoires", "ﬁ" → "fi".
#[derive(Clone, Default)]
pub struct Nfkc;

impl Nfkc {
    fn apply(&mut self, token: &mut Token) -> bool {
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

/// Lowercases each token (as tantivy's `LowerCaser`), in place for ASCII and Latin-1 letters,
/// which need no Unicode look-up: "É" is the bytes C3 89 and "é" is C3 A9.
#[derive(Clone, Default)]
pub struct Lowercase;

impl Lowercase {
    fn apply(&mut self, token: &mut Token) -> bool {
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

/// Removes French elided articles and pronouns: l’ d’ j’ m’ n’ s’ t’ c’ qu’ jusqu’ lorsqu’
/// puisqu’ quoiqu’. Expects lowercased text with apostrophes already made `'`.
#[derive(Clone, Default)]
pub struct Elision;

const ELIDED: [&str; 13] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

impl Elision {
    fn apply(&mut self, token: &mut Token) -> bool {
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

/// Folds accents on each token with [`fold`].
#[derive(Clone, Default)]
pub struct AccentFolder {
    /// Reused for the folded text, then swapped with the token's.
    buffer: String,
}

impl AccentFolder {
    fn apply(&mut self, token: &mut Token) -> bool {
        if !token.text.is_ascii() {
            self.buffer.clear();
            fold_into(&token.text, &mut self.buffer);
            std::mem::swap(&mut token.text, &mut self.buffer);
        }
        // A token of combining marks alone folds to nothing.
        !token.text.is_empty()
    }
}

define_filter!(
    /// Tokenizer wrapped by [`AccentFolder`].
    AccentFolder, AccentFolderTokenizer, AccentFolderStream
);

/// The Snowball French stop list (as in Lucene and Elasticsearch), plus the elided forms that the
/// list lacks.
pub const FRENCH_STOP_WORDS: &[&str] = &[
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

/// A small fast hash (FxHash's multiply-rotate) for the short keys of the stop set and the stem
/// cache: SipHash's resistance to chosen keys is not needed for a fixed list and a bounded cache.
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

/// Removes French stop words; compares folded forms, since it runs after [`AccentFolder`].
///
/// Every folded stop word fits in 8 bytes, so each is kept as one integer (its bytes, zero
/// padded) in a small open-addressing table: a look-up is a length test, a multiplication and
/// usually one comparison.
#[derive(Clone)]
pub struct FrenchStopWords {
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
    pub fn new() -> Self {
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

    fn apply(&mut self, token: &mut Token) -> bool {
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

/// Snowball French stemming (rust-stemmers), with a cache since text repeats its words.
///
/// The cache is direct-mapped: a word's hash picks one slot, which holds the last word stemmed
/// there and its stem, inline in 32 bytes (half a cache line). A look-up is one hash, one memory
/// access and one comparison; a miss overwrites the slot; the memory is bounded (8 MiB, made
/// after 5,000 words) and never cleared. A word whose length and its stem's exceed `STEM_SLOT_BYTES` (a word of more than
/// 15 letters or so) is stemmed without the cache.
pub struct FrenchStemmer {
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
    pub fn new() -> Self {
        FrenchStemmer {
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French),
            slots: Box::default(),
            uncached: 0,
        }
    }

    fn apply(&mut self, token: &mut Token) -> bool {
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

/// Steps 2 to 7 (NFKC, lowercase, elision, fold, stop words, stem) in one filter, in that
/// order. Each step is also a filter of its own, tested alone; running them in one pass per
/// token instead of six nested streams took the analyzer from 63 to 65 MB/s.
#[derive(Clone, Default)]
pub struct FrenchChain {
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

/// Where a word stands in a text: its position, as the analyzer numbers the words, and its
/// bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordSpan {
    /// The word's position (see [`Token::position`]).
    pub position: u32,
    /// Its first byte in the text.
    pub from: usize,
    /// The byte after its last.
    pub to: usize,
}

/// The words of `text` at `positions` (in order), as the analyzer numbers them: positions come
/// from the tokenizer alone, which the filters after it never renumber, so the positions stored
/// in the index are found without analysing the text again.
pub fn word_spans(text: &str, positions: &[u32]) -> Vec<WordSpan> {
    let mut wanted = positions.iter().copied().peekable();
    let mut out = Vec::with_capacity(positions.len());
    let mut tokenizer = FrenchTokenizer;
    let mut stream = tokenizer.token_stream(text);
    while let Some(&next) = wanted.peek() {
        if !stream.advance() {
            break;
        }
        let token = stream.token();
        let position = token.position as u32;
        if position < next {
            continue;
        }
        while wanted.next_if(|&p| p < position).is_some() {}
        if wanted.next_if_eq(&position).is_some() {
            out.push(WordSpan {
                position,
                from: token.offset_from,
                to: token.offset_to,
            });
        }
    }
    out
}

define_filter!(
    /// Tokenizer wrapped by [`FrenchChain`].
    FrenchChain, FrenchChainTokenizer, FrenchChainStream
);

#[cfg(test)]
mod tests {
    use super::*;

    /// (position, text, from, to): a token as the tables write it.
    type Row<'a> = (usize, &'a str, usize, usize);

    fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        tokens(analyzer, text).into_iter().map(|t| t.text).collect()
    }

    fn assert_tokens(analyzer: &mut TextAnalyzer, text: &str, expected: &[Row]) {
        let got: Vec<_> = tokens(analyzer, text)
            .into_iter()
            .map(|t| (t.position, t.text, t.offset_from, t.offset_to))
            .collect();
        let expected: Vec<_> = expected
            .iter()
            .map(|&(p, s, f, t)| (p, s.to_string(), f, t))
            .collect();
        assert_eq!(got, expected, "tokens of {text:?}");
    }

    fn assert_table(analyzer: &mut TextAnalyzer, table: &[(&str, &[Row])]) {
        for (text, expected) in table {
            assert_tokens(analyzer, text, expected);
        }
    }

    /// The tokenizer followed by one filter: each step tested alone.
    fn alone<F: TokenFilter>(filter: F) -> TextAnalyzer {
        TextAnalyzer::builder(FrenchTokenizer)
            .filter(filter)
            .build()
    }

    #[test]
    fn tokenizer_segments_on_the_original_text() {
        assert_table(
            &mut TextAnalyzer::from(FrenchTokenizer),
            &[
                // The five apostrophes (and the full-width one) are one character.
                ("l’AES", &[(0, "l'AES", 0, 7)]),
                ("l'AES", &[(0, "l'AES", 0, 5)]),
                ("lʼAES", &[(0, "l'AES", 0, 6)]),
                ("l‘AES", &[(0, "l'AES", 0, 7)]),
                ("l′AES", &[(0, "l'AES", 0, 7)]),
                ("l＇AES", &[(0, "l'AES", 0, 7)]),
                ("aujourd'hui", &[(0, "aujourd'hui", 0, 11)]),
                ("aujourd’hui", &[(0, "aujourd'hui", 0, 13)]),
                // An apostrophe not between letters is a separator.
                ("l’ AES", &[(0, "l", 0, 1), (1, "AES", 5, 8)]),
                ("l’2024", &[(0, "l", 0, 1), (1, "2024", 4, 8)]),
                ("‘Sahel’", &[(0, "Sahel", 3, 8)]),
                // Non-breaking and thin spaces are spaces.
                (
                    "Burkina\u{00A0}Faso",
                    &[(0, "Burkina", 0, 7), (1, "Faso", 9, 13)],
                ),
                (
                    "Burkina\u{2009}Faso",
                    &[(0, "Burkina", 0, 7), (1, "Faso", 10, 14)],
                ),
                (
                    "Burkina\u{202F}Faso",
                    &[(0, "Burkina", 0, 7), (1, "Faso", 10, 14)],
                ),
                // Hyphens separate.
                ("Burkina-Faso", &[(0, "Burkina", 0, 7), (1, "Faso", 8, 12)]),
                ("G5-Sahel", &[(0, "G5", 0, 2), (1, "Sahel", 3, 8)]),
                // Digit groups join; other numbers stay apart.
                ("5 000 soldats", &[(0, "5000", 0, 5), (1, "soldats", 6, 13)]),
                ("5\u{00A0}000", &[(0, "5000", 0, 6)]),
                ("5\u{202F}000", &[(0, "5000", 0, 7)]),
                ("1.500", &[(0, "1500", 0, 5)]),
                ("1 500 000", &[(0, "1500000", 0, 9)]),
                (
                    "6 juillet 2024",
                    &[(0, "6", 0, 1), (1, "juillet", 2, 9), (2, "2024", 10, 14)],
                ),
                (
                    "en 2024 100 morts",
                    &[
                        (0, "en", 0, 2),
                        (1, "2024", 3, 7),
                        (2, "100", 8, 11),
                        (3, "morts", 12, 17),
                    ],
                ),
                (
                    "les 13 et 14",
                    &[
                        (0, "les", 0, 3),
                        (1, "13", 4, 6),
                        (2, "et", 7, 9),
                        (3, "14", 10, 12),
                    ],
                ),
                ("5 0000", &[(0, "5", 0, 1), (1, "0000", 2, 6)]),
                // Dotted acronyms join; an initial before a name does not.
                ("A.E.S.", &[(0, "AES", 0, 5)]),
                ("(A.E.S)", &[(0, "AES", 1, 6)]),
                ("M. Traoré", &[(0, "M", 0, 1), (1, "Traoré", 3, 10)]),
                ("fin.Début", &[(0, "fin", 0, 3), (1, "Début", 4, 10)]),
                // Soft hyphens and zero-width characters vanish inside a word.
                (
                    "in\u{00AD}dé\u{200B}pendance",
                    &[(0, "indépendance", 0, 18)],
                ),
                ("Sa\u{200D}hel\u{2060}", &[(0, "Sahel", 0, 11)]),
                // Combining marks stay with their letter; NFKC is a later step.
                ("e\u{0301}tat", &[(0, "e\u{0301}tat", 0, 6)]),
                ("𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬", &[(0, "𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬", 0, 36)]),
                ("", &[]),
                (" — ", &[]),
            ],
        );
    }

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

    #[test]
    fn accent_folder_alone() {
        let mut folder = alone(AccentFolder::default());
        let table: &[(&str, &str)] = &[
            ("état", "etat"),
            ("États", "Etats"),
            ("Goïta", "Goita"),
            ("cœur", "coeur"),
            ("Œuvre", "OEuvre"),
            ("cæcum", "caecum"),
            ("garçon", "garcon"),
            ("où", "ou"),
            ("naïveté", "naivete"),
            ("Ségou", "Segou"),
            ("ñandú", "nandu"),
            ("Dvořák", "Dvorak"),
            ("Łódź", "Lodz"),
            ("e\u{0301}tat", "etat"),
        ];
        for (text, term) in table {
            assert_eq!(terms(&mut folder, text), [*term], "folding of {text:?}");
        }
        // A lone combining mark (a token of its own) folds to nothing and is dropped.
        assert_tokens(&mut folder, "\u{0301} a", &[(1, "a", 3, 4)]);
    }

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

    // The fast paths give the answers of the general code they short-cut.

    #[test]
    fn word_char_fast_path_matches_unicode() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            let slow = (c.is_alphanumeric() || ('\u{0300}'..='\u{036F}').contains(&c))
                && !is_apostrophe(c);
            assert_eq!(is_word_char(c), slow, "{c:?} U+{:04X}", c as u32);
        }
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

    #[test]
    fn nfkc_quick_answer_matches_nfkc() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            let word = format!("é{c}");
            if is_nfkc_already(&word) {
                assert_eq!(word.nfkc().collect::<String>(), word, "{c:?}");
            }
        }
    }

    #[test]
    fn word_spans_are_where_the_analyzers_tokens_stand() {
        let texts = [
            "L'État sahélien signe aujourd'hui les accords des chevaux et des yeux.",
            "Quatre-vingts généraux, Œuvres complètes ; l’Union économique (UEMOA) !",
            // Combining accents, digits, elisions with every apostrophe, a ligature, stop words
            // between the words looked for.
            "E\u{301}cole, Ecole 2024 3e d’Etat qu'Elle lʼarmée s‘est c′est j＇ai ﬁlm DES",
            "𝐇𝐢𝐬𝐭𝐨𝐢𝐫𝐞𝐬 du G5-Sahel, jusqu’au Burkina-Faso",
        ];
        // And real French, when ../shared/data is there.
        let eltec = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/eltec_fra/passages.jsonl"
        ))
        .map(|t| t.chars().take(100_000).collect::<String>())
        .unwrap_or_default();
        for text in texts.iter().copied().chain([eltec.as_str()]) {
            let all = tokens(&mut french_analyzer(), text);
            // Every term the index holds, every third, and the first alone.
            for step in [1, 3, usize::MAX] {
                let expected: Vec<WordSpan> = all
                    .iter()
                    .step_by(step)
                    .map(|t| WordSpan {
                        position: t.position as u32,
                        from: t.offset_from,
                        to: t.offset_to,
                    })
                    .collect();
                let positions: Vec<u32> = expected.iter().map(|w| w.position).collect();
                assert_eq!(word_spans(text, &positions), expected, "{text} {step}");
            }
        }
        // No position, or positions past the last word, find nothing.
        assert_eq!(word_spans("un deux", &[]), []);
        assert_eq!(word_spans("un deux", &[5, 9]), []);
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
