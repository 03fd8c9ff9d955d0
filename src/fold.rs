//! Accent folding: a pure leaf shared by the cleaner (which reads vocabulary without accents) and
//! the analyzer (which folds terms after stemming). One definition, so that both sides of a
//! comparison fold the same way.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Folds accents and ligatures to ASCII letters where French needs it: é → e, ç → c, œ → oe.
pub fn fold(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    Cow::Owned(out)
}

/// Appends the folded form of `text` to `out`.
pub(crate) fn fold_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if let Some(folded) = fold_latin1(c) {
            out.push(folded);
            continue;
        }
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'Œ' => out.push_str("OE"),
            'Æ' => out.push_str("AE"),
            'ß' => out.push_str("ss"),
            'ø' => out.push('o'),
            'đ' => out.push('d'),
            'ł' => out.push('l'),
            'Ø' => out.push('O'),
            'Đ' => out.push('D'),
            'Ł' => out.push('L'),
            c if c.is_ascii() => out.push(c),
            c => out.extend(
                std::iter::once(c)
                    .nfd()
                    .filter(|d| !('\u{0300}'..='\u{036F}').contains(d)),
            ),
        }
    }
}

/// The accented letters of Latin-1 without their accents, without a Unicode look-up (the same
/// result as dropping the combining marks of their NFD); `None` for anything else.
#[inline]
pub(crate) fn fold_latin1(c: char) -> Option<char> {
    Some(match c {
        'à'..='å' => 'a',
        'ç' => 'c',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ñ' => 'n',
        'ò'..='ö' => 'o',
        'ù'..='ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'À'..='Å' => 'A',
        'Ç' => 'C',
        'È'..='Ë' => 'E',
        'Ì'..='Ï' => 'I',
        'Ñ' => 'N',
        'Ò'..='Ö' => 'O',
        'Ù'..='Ü' => 'U',
        'Ý' => 'Y',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_fold_matches_nfd_without_marks() {
        for c in (0x80..0x250).filter_map(char::from_u32) {
            if let Some(fast) = fold_latin1(c) {
                let slow: String = c
                    .to_string()
                    .nfd()
                    .filter(|d| !('\u{0300}'..='\u{036F}').contains(d))
                    .collect();
                assert_eq!(fast.to_string(), slow, "{c:?}");
            }
        }
    }
}
