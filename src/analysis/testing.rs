//! What the unit tests of the chain share: token tables and a filter run alone.

use tantivy::tokenizer::{TextAnalyzer, TokenFilter};

use super::tokenizer::FrenchTokenizer;
use super::tokens;

/// (position, text, from, to): a token as the tables write it.
pub(super) type Row<'a> = (usize, &'a str, usize, usize);

pub(super) fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    tokens(analyzer, text).into_iter().map(|t| t.text).collect()
}

pub(super) fn assert_tokens(analyzer: &mut TextAnalyzer, text: &str, expected: &[Row]) {
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

pub(super) fn assert_table(analyzer: &mut TextAnalyzer, table: &[(&str, &[Row])]) {
    for (text, expected) in table {
        assert_tokens(analyzer, text, expected);
    }
}

/// The tokenizer followed by one filter: each step tested alone.
pub(super) fn alone<F: TokenFilter>(filter: F) -> TextAnalyzer {
    TextAnalyzer::builder(FrenchTokenizer)
        .filter(filter)
        .build()
}
