//! Where the words at given positions stand in a text, for highlights: the tokenizer alone
//! numbers the words, so the positions the index stores are found without the rest of the chain.

use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::tokenizer::FrenchTokenizer;

/// Where a word stands in a text: its position, as the analyzer numbers the words, and its
/// bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WordSpan {
    /// The word's position (see [`Token::position`](tantivy::tokenizer::Token::position)).
    pub(crate) position: u32,
    /// Its first byte in the text.
    pub(crate) from: usize,
    /// The byte after its last.
    pub(crate) to: usize,
}

/// The words of `text` at `positions` (in order), as the analyzer numbers them: positions come
/// from the tokenizer alone, which the filters after it never renumber, so the positions stored
/// in the index are found without analysing the text again.
pub(crate) fn word_spans(text: &str, positions: &[u32]) -> Vec<WordSpan> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{french_analyzer, tokens};

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
}
