//! A page's bytes to text. A BOM decides; then bytes that are valid UTF-8 are UTF-8, whatever
//! the page declares (a page that declares Windows-1252 and holds UTF-8 is common, the
//! reverse is not: legacy text is almost never valid UTF-8); then the `<meta charset>` or
//! `http-equiv` declaration of a legacy encoding; then detection, as for text files.

use encoding_rs::Encoding;

use crate::encoding::{self, DecodeError};

/// How far into the page the declaration is looked for (the HTML standard says 1,024 bytes;
/// pages with long comments before it are common).
const PRESCAN: usize = 8 * 1024;

/// Decodes a page.
pub(super) fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if Encoding::for_bom(bytes).is_some() {
        return encoding::decode(bytes);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return encoding::refuse_binary(text.to_owned());
    }
    match declared(bytes) {
        Some(enc) if enc != encoding_rs::UTF_8 && !is_utf16(enc) => {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            encoding::refuse_binary(text.into_owned())
        }
        // Declared UTF-8 but not valid, or nothing declared: detection.
        _ => encoding::decode(bytes),
    }
}

/// A UTF-16 label in an ASCII-compatible page is a mistake; the standard treats it as UTF-8.
fn is_utf16(enc: &'static Encoding) -> bool {
    enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE
}

/// The encoding named by the first `<meta charset=…>` or `<meta http-equiv content="…;
/// charset=…">` of the page's first bytes.
pub(super) fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            if let Some(enc) = label_after(&tag[c + b"charset".len()..]) {
                return Some(enc);
            }
        }
        from = end;
    }
    None
}

/// The encoding label after `charset`: `= "utf-8"`, `=windows-1252;`.
fn label_after(rest: &[u8]) -> Option<&'static Encoding> {
    let rest = trim_start(rest);
    let rest = trim_start(rest.strip_prefix(b"=")?);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let len = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..len])
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[n..]
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations() {
        let table: &[(&[u8], Option<&str>)] = &[
            (b"<html><head><meta charset=\"utf-8\">", Some("UTF-8")),
            (b"<META CHARSET=ISO-8859-1>", Some("windows-1252")),
            (
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"/>",
                Some("windows-1252"),
            ),
            (
                b"<meta name=\"x\" content=\"y\"><meta charset='koi8-r'>",
                Some("KOI8-R"),
            ),
            (b"<meta charset=\"nonsense\">", None),
            (b"<p>charset=utf-8</p>", None),
            (b"<meta charset", None),
        ];
        for (bytes, expected) in table {
            assert_eq!(declared(bytes).map(Encoding::name), *expected, "{bytes:?}");
        }
    }

    #[test]
    fn decodes_what_the_page_holds() {
        let table: &[(&[u8], &str)] = &[
            // Declared and true.
            (b"<meta charset=windows-1252><p>s\xE9curit\xE9</p>", "sécurité"),
            // Nothing declared: detected.
            (
                b"<p>La s\xE9curit\xE9 de l\x92\xC9tat est un enjeu majeur pour les pays du Sahel.</p>",
                "sécurité de l’État",
            ),
            // Declares Windows-1252, holds UTF-8.
            ("<meta charset=windows-1252><p>sécurité</p>".as_bytes(), "sécurité"),
            // Declares UTF-8, holds Windows-1252.
            (
                b"<meta charset=utf-8><p>La s\xE9curit\xE9 de l\x92\xC9tat est un enjeu majeur.</p>",
                "sécurité de l’État",
            ),
        ];
        for (bytes, expected) in table {
            let text = decode(bytes).unwrap_or_default();
            assert!(text.contains(expected), "{bytes:?} → {text}");
        }
    }
}
