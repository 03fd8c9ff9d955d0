//! Query rewriting, between parsing and matching: what people type is not always what the
//! articles say. A question loses its scaffolding ([`question`]) and words gain the list's
//! synonyms ([`synonyms`]), in that order, so that "qui dirige l'AES" finds "la Confédération
//! des États du Sahel". Rewriting reads only the parsed query: it needs no index.

pub mod question;
pub mod synonyms;

use crate::query::ParsedQuery;
pub use question::QuestionKind;
pub use synonyms::{Expansion, Synonyms};

/// What rewriting did to a query, for people and for the ranking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rewritten {
    /// What the synonyms list added.
    pub expansions: Vec<Expansion>,
    /// What kind of answer a question asks for; `None` when the query is not a question.
    pub question: Option<QuestionKind>,
}

/// Rewrites `parsed` (parsed from `text`) in place.
pub(crate) fn rewrite(parsed: &mut ParsedQuery, text: &str, synonyms: &Synonyms) -> Rewritten {
    let question = question::strip_question(parsed, text);
    let expansions = synonyms.expand(parsed);
    Rewritten {
        expansions,
        question,
    }
}
