//! Bytes to text: UTF-8 with or without BOM, UTF-16 with BOM, legacy Windows-1252 / Latin-1
//! found by detection, `\n` line ends, and the refusal of binary content. A pure leaf shared by
//! text files (`article`) and saved pages (`html`, when a page declares no usable charset).

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// NUL bytes or many control characters: not a text file.
    Binary,
}

/// Decodes a file's bytes to text with `\n` line ends.
///
/// UTF-8 (a BOM is dropped) is tried first; a UTF-16 BOM selects UTF-16; anything else is
/// detected (chardetng) among legacy encodings, in practice Windows-1252 for French.
pub(crate) fn decode(bytes: &[u8]) -> std::result::Result<String, DecodeError> {
    let text = if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        text.into_owned()
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_owned()
    } else {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        let encoding = detector.guess(Some(b"fr"), true);
        let (text, _, _) = encoding.decode(bytes);
        text.into_owned()
    };
    refuse_binary(text)
}

/// Decoded text, unless it reads as binary; with `\n` line ends.
pub(crate) fn refuse_binary(text: String) -> std::result::Result<String, DecodeError> {
    if looks_binary(&text) {
        return Err(DecodeError::Binary);
    }
    Ok(normalize_line_ends(text))
}

/// Text files hold no NUL and few control characters; binary files hold many. Read in the
/// first 65,536 characters, by bytes (a character is a byte that does not continue one; the
/// controls are C0, DEL and C1, which UTF-8 writes 0xC2 0x80..=0x9F), each count a pass the
/// compiler vectorises.
fn looks_binary(text: &str) -> bool {
    const CHARS: usize = 65_536;
    let bytes = text.as_bytes();
    let head = if bytes.len() <= CHARS {
        bytes
    } else {
        // Characters are at least one byte each: the first CHARS bytes hold at most CHARS.
        let mut end = CHARS;
        let mut total = count_chars(&bytes[..end]);
        while total < CHARS && end < bytes.len() {
            let step = (CHARS - total).min(bytes.len() - end);
            total += count_chars(&bytes[end..end + step]);
            end += step;
        }
        // Up to the next character's first byte.
        while end < bytes.len() && bytes[end] & 0xC0 == 0x80 {
            end += 1;
        }
        &bytes[..end]
    };
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let c0 = head
        .iter()
        .map(|&b| u32::from((b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)) || b == 0x7F))
        .sum::<u32>() as usize;
    let c1 = memchr::memchr_iter(0xC2, head)
        .filter(|&i| head.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
        .count();
    (c0 + c1) * 20 > count_chars(head).max(1)
}

/// Characters of UTF-8: the bytes that do not continue one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| u32::from(b & 0xC0 != 0x80))
        .sum::<u32>() as usize
}

fn normalize_line_ends(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reading by characters that [`looks_binary`] reads by bytes.
    fn by_chars(text: &str) -> bool {
        let (mut controls, mut total) = (0usize, 0usize);
        for c in text.chars().take(65_536) {
            total += 1;
            if c == '\0' {
                return true;
            }
            if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}') {
                controls += 1;
            }
        }
        controls * 20 > total.max(1)
    }

    #[test]
    fn binary_by_bytes_as_by_characters() {
        let long_then_controls = format!("{}{}", "é".repeat(65_536), "\u{1}".repeat(10_000));
        // One control in 20 of the first 65,536 characters is binary; one fewer is not.
        let at_the_bound = format!("{}{}", "\u{85}".repeat(3_277), "é".repeat(70_000));
        let under_the_bound = format!("{}{}", "\u{85}".repeat(3_276), "é".repeat(70_000));
        let table: &[(&str, bool)] = &[
            ("", false),
            ("Le sommet de l'AES.\r\n\tFin\u{0C}", false),
            ("a\0b", true),
            ("\u{1}\u{2}\u{3} abc", true),
            ("\u{85}\u{9F}\u{80} texte", true),
            ("\u{A0}\u{C2}\u{100} texte", false),
            ("\u{7F}", true),
            (&long_then_controls, false),
            (&at_the_bound, true),
            (&under_the_bound, false),
        ];
        for (text, binary) in table {
            assert_eq!(
                looks_binary(text),
                *binary,
                "{:?}",
                &text[..text.len().min(20)]
            );
            assert_eq!(by_chars(text), *binary, "{:?}", &text[..text.len().min(20)]);
        }
    }

    proptest::proptest! {
        #[test]
        fn binary_by_bytes_matches_characters(text in "(?s).{0,200}") {
            proptest::prop_assert_eq!(looks_binary(&text), by_chars(&text));
        }
    }
}
