//! Step 5 of the chain: folds accents and ligatures (é → e, œ → oe) with the crate's `fold`, so
//! that a word typed without its accents finds the word written with them.

use tantivy::tokenizer::Token;

use super::filter::define_filter;
use crate::fold::fold_into;

/// Folds accents on each token with [`fold_into`].
#[derive(Clone, Default)]
pub(crate) struct AccentFolder {
    /// Reused for the folded text, then swapped with the token's.
    buffer: String,
}

impl AccentFolder {
    pub(super) fn apply(&mut self, token: &mut Token) -> bool {
        if !token.text.is_ascii() {
            self.buffer.clear();
            fold_into(&token.text, &mut self.buffer);
            std::mem::swap(&mut token.text, &mut self.buffer);
        }
        // A token of combining marks alone folds to nothing.
        !token.text.is_empty()
    }
}

define_filter!(
    /// Tokenizer wrapped by [`AccentFolder`].
    AccentFolder, AccentFolderTokenizer, AccentFolderStream
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{alone, assert_tokens, terms};

    #[test]
    fn accent_folder_alone() {
        let mut folder = alone(AccentFolder::default());
        let table: &[(&str, &str)] = &[
            ("état", "etat"),
            ("États", "Etats"),
            ("Goïta", "Goita"),
            ("cœur", "coeur"),
            ("Œuvre", "OEuvre"),
            ("cæcum", "caecum"),
            ("garçon", "garcon"),
            ("où", "ou"),
            ("naïveté", "naivete"),
            ("Ségou", "Segou"),
            ("ñandú", "nandu"),
            ("Dvořák", "Dvorak"),
            ("Łódź", "Lodz"),
            ("e\u{0301}tat", "etat"),
        ];
        for (text, term) in table {
            assert_eq!(terms(&mut folder, text), [*term], "folding of {text:?}");
        }
        // A lone combining mark (a token of its own) folds to nothing and is dropped.
        assert_tokens(&mut folder, "\u{0301} a", &[(1, "a", 3, 4)]);
    }
}
