//! Step 1 of the chain: cuts French text into words and records where each stands.
//!
//! Words are cut on the original text, so offsets point into the text as written. Word-internal
//! apostrophes (’ ʼ ‘ ′ ' ＇) are kept, all made `'`; digit groups ("5 000", "1.500") and dotted
//! acronyms ("A.E.S.") are joined; soft hyphens and zero-width characters inside a word vanish;
//! hyphens and every kind of space separate.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Words longer than this (in bytes) are not indexed: no real word is, and tantivy refuses terms
/// over 64 KiB, which a hostile file of one long "word" would otherwise reach.
const MAX_TOKEN_BYTES: usize = 100;

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
pub(crate) struct FrenchTokenizer;

/// The token stream of [`FrenchTokenizer`].
pub(crate) struct FrenchTokenStream<'a> {
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
        let mut word = WordSoFar::default();
        while i < bytes.len() {
            let b = bytes[i];
            let c = if b.is_ascii() {
                b as char
            } else {
                char_at(text, i).unwrap_or(' ')
            };
            let len = c.len_utf8();
            if is_word_char(c) {
                word.push(c);
                i += len;
                continue;
            }
            let step = word.step_over(text, i, c);
            if step == Step::End {
                break;
            }
            out.push_str(&text[copied..i]);
            if step == Step::Apostrophe {
                out.push('\'');
            }
            i += len;
            copied = i;
        }
        out.push_str(&text[copied..i]);
        i
    }
}

/// What a character that is not a letter or digit does to the word being scanned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The word goes on without the character (soft hyphen, acronym dot, digit-group space).
    Drop,
    /// The word goes on with an apostrophe `'` in its place.
    Apostrophe,
    /// The word ends before the character.
    End,
}

/// What the scan of one word has seen so far: enough to tell whether a joiner continues it.
struct WordSoFar {
    /// Length in chars of the current run of letters/digits (since the last joiner).
    run: usize,
    last_word_char: char,
    all_digits: bool,
    group_digits: usize,
    joined_groups: bool,
}

impl Default for WordSoFar {
    fn default() -> Self {
        WordSoFar {
            run: 0,
            last_word_char: ' ',
            all_digits: true,
            group_digits: 0,
            joined_groups: false,
        }
    }
}

impl WordSoFar {
    /// Takes in the word character `c`.
    #[inline]
    fn push(&mut self, c: char) {
        self.run += 1;
        self.last_word_char = c;
        self.all_digits &= c.is_ascii_digit();
        self.group_digits += 1;
    }

    /// Decides what the character `c` (not a word character) at byte `i` of `text` does to the
    /// word, and takes it in if the word goes on.
    #[inline]
    fn step_over(&mut self, text: &str, i: usize, c: char) -> Step {
        if is_ignorable(c) {
            return Step::Drop;
        }
        let next = char_at(text, i + c.len_utf8());
        if is_apostrophe(c) && next.is_some_and(|n| is_word_char(n) && !n.is_ascii_digit()) {
            self.run = 0;
            self.all_digits = false;
            return Step::Apostrophe;
        }
        if c == '.' && self.is_acronym_dot(text, i, next) {
            self.run = 0;
            return Step::Drop;
        }
        if self.joins_digit_groups(text, i, c) {
            self.joined_groups = true;
            self.group_digits = 0;
            return Step::Drop;
        }
        Step::End
    }

    /// "A.E.S.": the dot at byte `i`, followed by `next`, stands between single letters.
    fn is_acronym_dot(&self, text: &str, i: usize, next: Option<char>) -> bool {
        self.run == 1
            && self.last_word_char.is_alphabetic()
            && next.is_some_and(|n| {
                n.is_alphabetic() && !char_at(text, i + 1 + n.len_utf8()).is_some_and(is_word_char)
            })
    }

    /// "5 000": `c` at byte `i` separates a number's groups, followed by exactly three digits.
    fn joins_digit_groups(&self, text: &str, i: usize, c: char) -> bool {
        let groups_so_far = if self.joined_groups {
            self.group_digits == 3
        } else {
            (1..=3).contains(&self.group_digits)
        };
        if !(self.all_digits && is_digit_group_separator(c) && groups_so_far) {
            return false;
        }
        let len = c.len_utf8();
        let rest = &text.as_bytes()[i + len..];
        rest.len() >= 3
            && rest[..3].iter().all(u8::is_ascii_digit)
            && !char_at(text, i + len + 3).is_some_and(is_word_char)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::assert_table;
    use tantivy::tokenizer::TextAnalyzer;

    // A table (one row per case), hence over 80 lines.
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
    fn word_char_fast_path_matches_unicode() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            let slow = (c.is_alphanumeric() || ('\u{0300}'..='\u{036F}').contains(&c))
                && !is_apostrophe(c);
            assert_eq!(is_word_char(c), slow, "{c:?} U+{:04X}", c as u32);
        }
    }
}
