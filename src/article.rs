//! From bytes on disk to text: decoding (UTF-8 with or without BOM, UTF-16 with BOM, legacy
//! Windows-1252 / Latin-1 found by detection), line ends, and the refusal of binary files; and the
//! [`Article`] that search results point to.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::clean::{self, CleanedArticle};
use crate::encoding::decode;
pub use crate::encoding::DecodeError;
use crate::error::{Error, Result};

/// An indexed article, as a search result names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier: derived from the content for files, as given for `--jsonl` passages.
    pub id: String,
    /// The file it was read from.
    pub path: String,
    /// The headline, where one was found.
    pub title: Option<String>,
    /// Publication date, `YYYY-MM-DD` or `YYYY-MM`.
    pub date: Option<String>,
    /// The outlet, where it could be told.
    pub source: Option<String>,
}

/// Reads and decodes a file, refusing binary, empty and oversized files.
pub fn read_text(path: &Path, max_size: u64) -> Result<String> {
    text_from_bytes(path, &read_within(path, max_size)?)
}

/// A file's bytes, refused when it is over `max_size`.
fn read_within(path: &Path, max_size: u64) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > max_size {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            size,
            limit: max_size,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// Decodes bytes already read from `path`, refusing binary and empty content.
pub fn text_from_bytes(path: &Path, bytes: &[u8]) -> Result<String> {
    let text = decode(bytes).map_err(|DecodeError::Binary| Error::Binary {
        path: path.to_owned(),
    })?;
    if text.trim().is_empty() {
        return Err(Error::Empty {
            path: path.to_owned(),
        });
    }
    Ok(text)
}

/// An article file as the cleaner reads it: text lines, and for a saved web page what its
/// markup states (title, date, source), which wins over what the cleaner reads in the lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleText {
    /// The lines: the file's text, or a page's headline and article blocks.
    pub text: String,
    /// For a saved web page, what its markup states.
    pub facts: Option<crate::html::PageFacts>,
}

impl ArticleText {
    /// Cleans the article: the line cleaner, then what the page's markup states.
    pub fn clean(&self, known: &dyn clean::KnownFurniture) -> CleanedArticle {
        self.clean_with_prints(&clean::fingerprint_lines(&self.text), known)
    }

    /// [`ArticleText::clean`], given the line prints of `text` the indexer has computed.
    pub(crate) fn clean_with_prints(
        &self,
        prints: &[Option<u64>],
        known: &dyn clean::KnownFurniture,
    ) -> CleanedArticle {
        let mut cleaned = clean::clean_with_prints(&self.text, prints, known);
        if let Some(facts) = &self.facts {
            facts.apply(&self.text, &mut cleaned);
        }
        cleaned
    }
}

/// Reads an article file within `max_size`: a text file, or a saved web page (`.html`,
/// `.htm`) reduced to its article's lines.
pub fn read_article(path: &Path, max_size: u64) -> Result<ArticleText> {
    article_from_bytes(path, &read_within(path, max_size)?)
}

/// [`read_article`], for bytes already read from `path`. A page with no text left once its
/// scripts, styles and chrome are set aside is refused as [`Error::NoText`].
pub fn article_from_bytes(path: &Path, bytes: &[u8]) -> Result<ArticleText> {
    if !crate::html::is_page(path) {
        return Ok(ArticleText {
            text: text_from_bytes(path, bytes)?,
            facts: None,
        });
    }
    let page = crate::html::read(bytes).map_err(|DecodeError::Binary| Error::Binary {
        path: path.to_owned(),
    })?;
    if page.blocks.is_empty() {
        return Err(Error::NoText {
            path: path.to_owned(),
        });
    }
    Ok(ArticleText {
        text: page.text(),
        facts: Some(page.facts),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_encodings_scrapers_produce() {
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Sécurité\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let table: &[(&[u8], &str)] = &[
            ("Sécurité".as_bytes(), "Sécurité"),
            (b"\xEF\xBB\xBFS\xC3\xA9curit\xC3\xA9", "Sécurité"),
            (&utf16le, "Sécurité\n"),
            (
                b"La s\xE9curit\xE9 de l\x92\xC9tat est un enjeu majeur pour les pays du Sahel.",
                "La sécurité de l’État est un enjeu majeur pour les pays du Sahel.",
            ),
            (b"un\r\ndeux\rtrois", "un\ndeux\ntrois"),
        ];
        for (bytes, expected) in table {
            assert_eq!(
                decode(bytes).as_deref(),
                Ok(*expected),
                "decoding {bytes:?}"
            );
        }
    }

    #[test]
    fn refuses_binary() {
        let table: &[&[u8]] = &[
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            b"\x7fELF\x02\x01\x01\0\0\0",
        ];
        for bytes in table {
            assert_eq!(decode(bytes), Err(DecodeError::Binary), "{bytes:?}");
        }
    }
}
