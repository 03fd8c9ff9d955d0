//! Reader comments. Under many articles the page carries its readers' comments: prose as long
//! as the article's, so prose statistics alone take the thread for the body. What gives a thread
//! away holds on any site: each comment opens on a header (a handle, then a date or a time, or
//! "Soumis par X, le …"), the thread on a count ("12 réactions") or a form asking the reader to
//! log in to comment. Where the first of these stands after the article, the comments begin.

use std::sync::OnceLock;

use super::date::parse_date;
use super::line::has_sentence_end;
use super::vocabulary::{fold_lower, regex, starts_with_any, words, SECTION_HEADINGS};
use super::{Evidence, Page, Reason};

/// How a comment's header opens when it names its author and its date in one line.
const COMMENT_BYLINES: &[&str] = &["soumis par", "poste par", "commentaire de", "reponse de"];

/// What a commenter did, between the handle and the date ("X a répondu le …").
const COMMENT_VERBS: &[&str] = &[" a repondu", " a ecrit", " a commente", " a reagi"];

/// Words that name a thread's comments, after their count ("12 réactions").
const COMMENT_NOUNS: &[&str] = &[
    "commentaire",
    "commentaires",
    "reaction",
    "reactions",
    "reponse",
    "reponses",
];

/// What a comment form asks of its reader, beside the word "commentaire".
const FORM_WORDS: &[&str] = &[
    "connecter",
    "connectez",
    "connecte",
    "session",
    "identifiez",
    "identifier",
    "inscrivez",
    "poster",
    "publier",
    "rediger",
    "laisser",
    "abonnes",
];

/// A clock time alone on a line: "12h31", "08:05".
pub(super) fn is_time_only(line: &str) -> bool {
    static TIME: OnceLock<regex::Regex> = OnceLock::new();
    regex(&TIME, r"^(?:[àa] )?\d{1,2}(?:h|:)\d{2}$").is_match(line.trim())
}

/// A date (and perhaps a time) alone on a line: "3 mars 2025", "03/03/2025 à 14h02".
fn is_date_only(line: &str) -> bool {
    parse_date(line).is_some() && line.split_whitespace().count() <= 6 && !has_sentence_end(line)
}

/// A commenter's handle alone on a line: one token, written as user names are (lower case
/// first, or with digits, underscores or dots inside), never a sentence.
fn is_handle(line: &str) -> bool {
    let line = line.trim().trim_start_matches('@');
    let len = line.chars().count();
    (2..=40).contains(&len)
        && !line.contains(char::is_whitespace)
        && !has_sentence_end(line)
        && line.chars().any(char::is_alphabetic)
        && (line.starts_with(|c: char| c.is_lowercase() || c == '_')
            || line.contains(|c: char| c.is_ascii_digit() || c == '_' || c == '.'))
}

/// A line that names a comment's author and date in one: "Soumis par X, le 3 mars 2025 à
/// 14h02", "X a répondu le 4 mars 2025".
fn is_comment_byline(line: &str) -> bool {
    let folded = fold_lower(line);
    let named = starts_with_any(&folded, COMMENT_BYLINES)
        || COMMENT_VERBS.iter().any(|v| folded.contains(v));
    named
        && line.split_whitespace().count() <= MAX_MARKER_WORDS
        && (line.contains(|c: char| c.is_ascii_digit()) || parse_date(line).is_some())
}

/// A thread's count or heading: "12 réactions", "Commentaires (12)", "Réagir".
fn is_thread_heading(line: &str) -> bool {
    let folded = fold_lower(line);
    let w = words(line);
    // The count and the noun alone: "20 derniers commentaires" heads a list of the site's.
    let number = |x: &String| x.chars().all(|c| c.is_ascii_digit());
    let noun = |x: &String| COMMENT_NOUNS.contains(&x.as_str());
    let counted =
        w.len() == 2 && ((number(&w[0]) && noun(&w[1])) || (noun(&w[0]) && number(&w[1])));
    counted
        || (w.len() <= 6
            && starts_with_any(&folded, SECTION_HEADINGS)
            && !is_author_heading(&folded))
}

/// "À propos de l'auteur": a heading of the page's own, but not of its comments.
fn is_author_heading(folded: &str) -> bool {
    folded.contains("auteur") || folded.starts_with("biographie")
}

/// A comment form's prompt: "Connectez-vous pour publier votre commentaire."
fn is_comment_form(line: &str) -> bool {
    let w = words(line);
    w.len() <= 20
        && w.iter()
            .any(|x| x.starts_with("commentaire") || x.starts_with("commenter"))
        && w.iter().any(|x| FORM_WORDS.contains(&x.as_str()))
}

/// The most words of a line that may be a comment's header, a thread's heading or a form.
const MAX_MARKER_WORDS: usize = 20;

/// Which lines of the page are evidence of a comment thread, with the kind of evidence: a
/// thread's heading or form, a comment's byline, or a handle directly above a date or a time
/// (only where the page has two such headers: one could be a dateline).
pub(super) fn markers(lines: &[&str], non_empty: &[usize]) -> Vec<Option<Evidence>> {
    let mut out = vec![None; lines.len()];
    let line = |k: usize| lines[non_empty[k]].trim();
    let mut headers = Vec::new();
    for k in 0..non_empty.len() {
        let l = line(k);
        let i = non_empty[k];
        // Every kind of evidence here is a short line; most lines of a page are prose.
        if l.split_whitespace().nth(MAX_MARKER_WORDS).is_some() {
            continue;
        }
        if is_comment_byline(l) {
            out[i] = Some(Evidence::CommentHeader);
        } else if is_thread_heading(l) || is_comment_form(l) {
            out[i] = Some(Evidence::CommentThread);
        } else if is_handle(l)
            && k + 1 < non_empty.len()
            && (is_date_only(line(k + 1)) || is_time_only(line(k + 1)))
        {
            headers.push(i);
        }
    }
    if headers.len() >= 2 {
        for i in headers {
            out[i] = Some(Evidence::CommentHeader);
        }
    }
    out
}

impl Page<'_> {
    /// Pass 8, first: after the body, from the first header or form of the comment thread on,
    /// every line not decided yet is the thread's.
    pub(super) fn mark_comments(&mut self) {
        let Some(body) = self.body else {
            return;
        };
        let first = self
            .non_empty
            .iter()
            .copied()
            .find(|&i| i > body.end && self.comment_markers[i].is_some());
        let Some(first) = first else {
            return;
        };
        for k in 0..self.non_empty.len() {
            let i = self.non_empty[k];
            if i >= first && self.verdict[i].is_none() {
                self.verdict[i] = Some(Reason::PageChrome);
                self.evidence[i] = Some(self.comment_markers[i].unwrap_or(Evidence::InComments));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_comment_headers_from_article_lines() {
        let page = [
            "Le maire inaugure la nouvelle médiathèque",         // 0
            "Par Claire Dubois, le 4 février 2025",              // 1
            "La médiathèque ouvre ses portes samedi au public.", // 2
            "Vous devez être connecté pour rédiger un commentaire.", // 3
            "3 réactions",                                       // 4
            "lectrice_assidue",                                  // 5
            "5 février 2025",                                    // 6
            "Enfin un lieu pour les enfants du quartier.",       // 7
            "jpm1962",                                           // 8
            "09h14",                                             // 9
            "Soumis par Marcel, le mercredi 5 février 2025 à 10h02", // 10
            "Paul a répondu le 6 février 2025 à 08h30",          // 11
            "Commentaires (3)",                                  // 12
            "À propos de l'auteur",                              // 13
            "5 derniers commentaires",                           // 14
        ];
        let non_empty: Vec<usize> = (0..page.len()).collect();
        let found = markers(&page, &non_empty);
        let expected = [
            None,
            None,
            None,
            Some(Evidence::CommentThread),
            Some(Evidence::CommentThread),
            Some(Evidence::CommentHeader),
            None,
            None,
            Some(Evidence::CommentHeader),
            None,
            Some(Evidence::CommentHeader),
            Some(Evidence::CommentHeader),
            Some(Evidence::CommentThread),
            None,
            None,
        ];
        for (i, e) in expected.iter().enumerate() {
            assert_eq!(found[i], *e, "{:?}", page[i]);
        }
    }

    #[test]
    fn one_handle_over_a_date_is_not_a_thread() {
        let page = [
            "Lyon",
            "4 février 2025",
            "La ville a voté son budget lundi soir.",
        ];
        let non_empty: Vec<usize> = (0..page.len()).collect();
        assert!(markers(&page, &non_empty).iter().all(Option::is_none));
    }

    #[test]
    fn reads_times_alone() {
        for (line, expected) in [
            ("12h31", true),
            ("08:05", true),
            ("à 9h05", true),
            ("12h31 - Le point", false),
        ] {
            assert_eq!(is_time_only(line), expected, "{line:?}");
        }
    }
}
