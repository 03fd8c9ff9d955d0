//! Cleaned paragraphs → passages, the unit that is indexed, ranked and shown.
//!
//! A passage is about one paragraph: short enough to point at the answer, long enough to carry
//! context. Subheadings and very short paragraphs are joined to the paragraph that follows them;
//! paragraphs longer than [`MAX_PASSAGE_CHARS`] are cut at sentence ends.

use serde::{Deserialize, Serialize};

/// A passage of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Position of the passage in its article, from 0.
    pub index: usize,
    /// The text, as written in the article (paragraphs joined by a newline).
    pub text: String,
}

/// Paragraphs shorter than this are joined to the next one.
pub const MIN_PASSAGE_CHARS: usize = 120;
/// Paragraphs longer than this are cut at sentence ends.
pub const MAX_PASSAGE_CHARS: usize = 1_200;

/// Splits an article's paragraphs into passages.
///
/// ```
/// use aes_search::passage::split;
/// let paragraphs = ["Vers une défense souveraine".to_string(),
///                   "Le Mali, le Burkina Faso et le Niger avancent vers une stratégie commune de défense face aux menaces.".to_string()];
/// let passages = split(&paragraphs);
/// assert_eq!(passages.len(), 1);
/// assert!(passages[0].text.starts_with("Vers une défense souveraine\nLe Mali"));
/// ```
pub fn split(paragraphs: &[String]) -> Vec<Passage> {
    let mut texts: Vec<String> = Vec::new();
    let mut pending = String::new();
    for paragraph in paragraphs {
        for piece in cut_long(paragraph) {
            if !pending.is_empty() {
                pending.push('\n');
            }
            pending.push_str(piece);
            if pending.chars().count() >= MIN_PASSAGE_CHARS {
                texts.push(std::mem::take(&mut pending));
            }
        }
    }
    if !pending.is_empty() {
        // A short tail joins the previous passage rather than standing alone.
        match texts.last_mut() {
            Some(last) if last.chars().count() + pending.chars().count() <= MAX_PASSAGE_CHARS => {
                last.push('\n');
                last.push_str(&pending);
            }
            _ => texts.push(pending),
        }
    }
    texts
        .into_iter()
        .enumerate()
        .map(|(index, text)| Passage { index, text })
        .collect()
}

/// Cuts a paragraph into pieces of at most about [`MAX_PASSAGE_CHARS`], at sentence ends where
/// there are some, else at spaces.
fn cut_long(paragraph: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = paragraph.trim();
    while rest.chars().count() > MAX_PASSAGE_CHARS {
        let limit = rest
            .char_indices()
            .nth(MAX_PASSAGE_CHARS)
            .map_or(rest.len(), |(b, _)| b);
        let window = &rest[..limit];
        let half = limit / 2;
        let cut = sentence_ends(window)
            .filter(|&b| b >= half)
            .last()
            .or_else(|| window.rfind(' ').filter(|&b| b > 0))
            .unwrap_or(limit);
        let (head, tail) = rest.split_at(cut);
        pieces.push(head.trim());
        rest = tail.trim();
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

/// Byte offsets just after a sentence end (". " "! " "? " "… ").
fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices().filter_map(move |(i, c)| {
        let after = i + c.len_utf8();
        (matches!(c, '.' | '!' | '?' | '…') && text[after..].starts_with(' ')).then_some(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_follow_paragraphs() {
        let table: &[(&[&str], &[usize])] = &[
            // (paragraph lengths in chars) → passage lengths in chars
            (&["Titre court", &"a".repeat(150)], &[162]),
            (&[&"b".repeat(200), &"c".repeat(200)], &[200, 200]),
            (&[&"b".repeat(200), "Fin."], &[205]),
        ];
        for (paragraphs, expected) in table {
            let paragraphs: Vec<String> = paragraphs.iter().map(|p| p.to_string()).collect();
            let got: Vec<usize> = split(&paragraphs)
                .iter()
                .map(|p| p.text.chars().count())
                .collect();
            assert_eq!(&got, expected, "{paragraphs:?}");
        }
    }

    #[test]
    fn long_paragraphs_are_cut_at_sentence_ends() {
        let sentence = "Le sommet a réuni les chefs d'État des trois pays membres à Bamako. ";
        let passages = split(&[sentence.repeat(40)]);
        assert!(passages.len() >= 2);
        for p in &passages {
            assert!(p.text.ends_with('.'), "{:?}", p.text);
            assert!(p.text.chars().count() <= MAX_PASSAGE_CHARS);
        }
    }
}
