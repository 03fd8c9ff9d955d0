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

/// Text files hold no NUL and few control characters; binary files hold many.
fn looks_binary(text: &str) -> bool {
    let mut controls = 0usize;
    let mut total = 0usize;
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

fn normalize_line_ends(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}
