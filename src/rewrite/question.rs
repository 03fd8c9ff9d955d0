//! Questions as people type them: "pourquoi le Mali a-t-il rappelé son ambassadeur". The interrogative
//! and the scaffolding of French questions (`est-ce que`, the inverted `a-t-il`) say what kind of
//! answer is wanted, not what it is about, so they are taken out of the words that rank; the kind
//! is kept for the ranking to use.

use crate::fold::fold;
use crate::query::{Atom, ParsedQuery, Unit};

/// What a question asks for, from its interrogative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// quand: a date.
    When,
    /// combien: a number.
    HowMany,
    /// qui: a person or a body.
    Who,
    /// où: a place.
    Where,
    /// pourquoi: a cause or a reason.
    Why,
    /// comment, quel…: no particular kind of answer.
    Other,
}

/// Interrogatives (folded, lowercased) and the kind of answer each asks for.
const INTERROGATIVES: &[(&str, QuestionKind)] = &[
    ("quand", QuestionKind::When),
    ("combien", QuestionKind::HowMany),
    ("qui", QuestionKind::Who),
    ("ou", QuestionKind::Where),
    ("pourquoi", QuestionKind::Why),
    ("comment", QuestionKind::Other),
    ("quel", QuestionKind::Other),
    ("quelle", QuestionKind::Other),
    ("quels", QuestionKind::Other),
    ("quelles", QuestionKind::Other),
    ("lequel", QuestionKind::Other),
    ("laquelle", QuestionKind::Other),
    ("lesquels", QuestionKind::Other),
    ("lesquelles", QuestionKind::Other),
    ("que", QuestionKind::Other),
    ("quoi", QuestionKind::Other),
];

/// Whether `word` (lowercase, folded) is an interrogative: a function word, whatever it looks like
/// ("comment" is no kin of "commentaire").
pub(crate) fn is_interrogative(word: &str) -> bool {
    INTERROGATIVES.iter().any(|(w, _)| *w == word)
}

/// Verbs that carry no subject of their own in a question ("a-t-il quitté", "peut-elle", "est-ce").
const AUXILIARIES: &[&str] = &[
    "a", "ont", "est", "sont", "etait", "sera", "avait", "va", "vont", "peut", "peuvent", "doit",
    "doivent", "fait", "font", "faut", "ce", "y",
];

/// Subject pronouns put after the verb in a question.
const INVERTED: &[&str] = &[
    "il", "elle", "ils", "elles", "on", "je", "tu", "nous", "vous", "ce",
];

/// Takes the question's scaffolding out of `query`'s words and says what kind of answer it
/// wants; `None` (and the query untouched) when it is not a question.
///
/// A query is a question when it opens with an interrogative (`quand`, `pourquoi`, `où`…),
/// `est-ce que`, or an inverted verb (`a-t-il`), or ends with `?`. Only plain words are touched,
/// and a question is never emptied: at least one word stays.
pub fn strip_question(query: &mut ParsedQuery, text: &str) -> Option<QuestionKind> {
    let words: Vec<Option<String>> = query.units.iter().map(plain_word).collect();
    let first = words.first()?.as_deref()?;
    let opening = INTERROGATIVES
        .iter()
        .find(|(w, _)| *w == first)
        .map(|(_, kind)| *kind)
        .or_else(|| {
            (first == "est-ce" || inverted(first).is_some()).then_some(QuestionKind::Other)
        });
    let kind = opening.or_else(|| {
        text.trim_end()
            .ends_with('?')
            .then_some(QuestionKind::Other)
    })?;

    let mut kept: Vec<Unit> = Vec::with_capacity(query.units.len());
    for (unit, word) in query.units.iter().zip(&words) {
        let Some(word) = word else {
            kept.push(unit.clone());
            continue;
        };
        let scaffolding = word.is_empty()
            || is_interrogative(word)
            || matches!(word.as_str(), "est-ce" | "qu'est-ce" | "n'est-ce");
        match inverted(word) {
            _ if scaffolding => {}
            Some(verb) if AUXILIARIES.contains(&verb) => {}
            // "quitte-t-il" → "quitte": the verb is a word of the question.
            Some(verb) => kept.push(Unit {
                alternatives: vec![Atom::Word(verb_as_typed(unit, verb))],
            }),
            None => kept.push(unit.clone()),
        }
    }
    if !kept.is_empty() {
        query.units = kept;
    }
    Some(kind)
}

/// The verb of an inverted form ("a-t-il" → "a", "peut-elle" → "peut"), folded.
fn inverted(word: &str) -> Option<&str> {
    let (verb, rest) = word.split_once('-')?;
    let pronoun = rest.strip_prefix("t-").unwrap_or(rest);
    (INVERTED.contains(&pronoun) && !verb.is_empty()).then_some(verb)
}

/// The verb part of the unit's word as the user typed it (with its accents).
fn verb_as_typed(unit: &Unit, verb: &str) -> String {
    match unit.alternatives.first() {
        Some(Atom::Word(w)) => w.chars().take(verb.chars().count()).collect(),
        _ => verb.to_string(),
    }
}

/// A unit that is one plain word, folded and lowercased, with one kind of apostrophe.
fn plain_word(unit: &Unit) -> Option<String> {
    match unit.alternatives.as_slice() {
        [Atom::Word(w)] => Some(
            fold(&w.to_lowercase())
                .replace(['’', 'ʼ'], "'")
                .trim_end_matches(['?', '!', '.', ','])
                .to_string(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn stripped(query: &str) -> (Vec<String>, Option<QuestionKind>) {
        let mut parsed = parse(query).unwrap();
        let kind = strip_question(&mut parsed, query);
        let words = parsed
            .units
            .iter()
            .map(|u| match &u.alternatives[0] {
                Atom::Word(w) | Atom::Phrase(w) | Atom::Prefix(w) => w.clone(),
            })
            .collect();
        (words, kind)
    }

    #[test]
    fn questions_lose_their_scaffolding() {
        use QuestionKind::*;
        let table: &[(&str, &[&str], Option<QuestionKind>)] = &[
            (
                "pourquoi le Mali a-t-il rappelé son ambassadeur",
                &["le", "Mali", "rappelé", "son", "ambassadeur"],
                Some(Why),
            ),
            (
                "Quand le sommet aura-t-il lieu ?",
                &["le", "sommet", "aura", "lieu"],
                Some(When),
            ),
            (
                "combien coûte le passeport",
                &["coûte", "le", "passeport"],
                Some(HowMany),
            ),
            (
                "où se trouve le siège",
                &["se", "trouve", "le", "siège"],
                Some(Where),
            ),
            (
                "Qui préside la Confédération",
                &["préside", "la", "Confédération"],
                Some(Who),
            ),
            (
                "est-ce que le Mali quitte l'OIF",
                &["le", "Mali", "quitte", "l'OIF"],
                Some(Other),
            ),
            (
                "le Mali quitte-t-il l'OIF ?",
                &["le", "Mali", "quitte", "l'OIF"],
                Some(Other),
            ),
            (
                "peut-elle quitter le franc CFA",
                &["quitter", "le", "franc", "CFA"],
                Some(Other),
            ),
            // Not questions: untouched.
            ("monnaie commune", &["monnaie", "commune"], None),
            ("comment", &["comment"], Some(Other)),
            ("sommet \"quand\"", &["sommet", "quand"], None),
        ];
        for (query, words, kind) in table {
            let (got, got_kind) = stripped(query);
            assert_eq!(
                got,
                words.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
                "{query}"
            );
            assert_eq!(got_kind, *kind, "{query}");
        }
    }
}
