//! The part of a passage to show: the best window around the matched words, cut at sentence
//! or word boundaries.

use serde::{Deserialize, Serialize};

use super::PassageHit;

/// A part of a passage to show: the best window, cut at sentence or word boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The text shown, with "…" where it was cut.
    pub text: String,
    /// Byte ranges of the matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
}

impl PassageHit {
    /// The passage, or its best window of about `max_chars` when it is longer.
    pub fn snippet(&self, max_chars: usize) -> Snippet {
        let text = &self.text;
        if text.chars().count() <= max_chars || self.highlights.is_empty() {
            return Snippet {
                text: truncate_at_word(text, max_chars),
                highlights: self
                    .highlights
                    .iter()
                    .copied()
                    .filter(|h| h.1 <= text.len())
                    .collect(),
            };
        }
        // Window start candidates: sentence starts and highlight starts; pick the one covering most highlights.
        let max_bytes = text
            .char_indices()
            .nth(max_chars)
            .map_or(text.len(), |(b, _)| b)
            .max(1);
        let mut starts: Vec<usize> = vec![0];
        starts.extend(
            text.char_indices()
                .filter(|&(i, c)| matches!(c, '.' | '!' | '?' | '\n') && i + 1 < text.len())
                .map(|(i, c)| i + c.len_utf8()),
        );
        starts.extend(
            self.highlights
                .iter()
                .map(|h| floor_word_start(text, h.0.saturating_sub(60))),
        );
        let best = starts
            .iter()
            .map(|&s| {
                let s = skip_spaces(text, s);
                let covered = self
                    .highlights
                    .iter()
                    .filter(|h| h.0 >= s && h.1 <= s + max_bytes)
                    .count();
                (covered, std::cmp::Reverse(s), s)
            })
            .max()
            .map_or(0, |x| x.2);
        let mut end = (best + max_bytes).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < text.len() {
            end = text[best..end].rfind(' ').map_or(end, |i| best + i);
        }
        let prefix = if best > 0 { "… " } else { "" };
        let suffix = if end < text.len() { " …" } else { "" };
        let body = &text[best..end];
        let shift = prefix.len();
        let highlights = self
            .highlights
            .iter()
            .filter(|h| h.0 >= best && h.1 <= end)
            .map(|h| (h.0 - best + shift, h.1 - best + shift))
            .collect();
        Snippet {
            text: format!("{prefix}{}{suffix}", body.trim_end()),
            highlights,
        }
    }
}

fn skip_spaces(text: &str, mut i: usize) -> usize {
    while i < text.len() && text[i..].starts_with(char::is_whitespace) {
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    i
}

fn floor_word_start(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    match text[..i].rfind(char::is_whitespace) {
        Some(s) => s + 1,
        None => 0,
    }
}

fn truncate_at_word(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((b, _)) => format!("{} …", &text[..text[..b].rfind(' ').unwrap_or(b)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_cut_long_passages_around_the_matches() {
        let text = format!(
            "{} La monnaie commune arrive. {}",
            "Phrase de remplissage sans intérêt. ".repeat(10),
            "Autre phrase sans intérêt. ".repeat(10)
        );
        let start = text.find("monnaie").unwrap();
        let hit = PassageHit {
            index: 0,
            text: text.clone(),
            highlights: vec![(start, start + 7)],
        };
        let snippet = hit.snippet(120);
        assert!(snippet.text.chars().count() <= 126, "{}", snippet.text);
        assert!(
            snippet.text.starts_with('…') && snippet.text.ends_with('…'),
            "{}",
            snippet.text
        );
        let (a, b) = snippet.highlights[0];
        assert_eq!(&snippet.text[a..b], "monnaie");
    }
}
