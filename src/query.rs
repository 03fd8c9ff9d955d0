//! The query language people already know from web search engines, parsed without ever failing
//! on syntax: `"exact phrase"`, `-word`, `a OR b`, `sahél*`, `title:…`, `source:…`, `date:2024`,
//! `date:>=2024-07`, `date:2024-07..2025-06`. What cannot be read as written falls back to plain
//! words, with a notice saying so.

use serde::Serialize;

use crate::error::{Error, Result};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Most words and phrases in one query.
pub const MAX_QUERY_TERMS: usize = 64;

/// Something to look for in the passage text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Atom {
    /// A word, analyzed like the text (so it may stem or vanish as a stop word).
    Word(String),
    /// Words that must stand together, in order.
    Phrase(String),
    /// The beginning of a word (`sahél*`).
    Prefix(String),
}

/// One thing the query asks for, with its alternatives (`a OR b`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Any of these satisfies the unit.
    pub alternatives: Vec<Atom>,
}

/// A hard restriction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Filter {
    /// `title:…`: the article's title must contain this.
    Title(Atom),
    /// `source:…`: the outlet's name must contain this word.
    Source(String),
    /// `date:…`: dates (as `YYYY-MM-DD` or `YYYY-MM` strings) in `[from, to)`.
    Date {
        /// Inclusive lower bound, if any.
        from: Option<String>,
        /// Exclusive upper bound, if any.
        to: Option<String>,
    },
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParsedQuery {
    /// What to rank by.
    pub units: Vec<Unit>,
    /// `-word`, `-"phrase"`: passages holding these are left out.
    pub excluded: Vec<Atom>,
    /// Restrictions on metadata.
    pub filters: Vec<Filter>,
    /// What was not read as written, for people.
    pub notices: Vec<String>,
}

#[derive(Debug, PartialEq)]
enum Lexeme {
    Text(String),
    Quoted(String),
    Or,
    Minus,
}

fn lex(query: &str, notices: &mut Vec<String>) -> Vec<Lexeme> {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    let mut stray_parens = false;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' || c == ')' {
            stray_parens = true;
            chars.next();
        } else if c == '"' || c == '«' || c == '“' {
            chars.next();
            let mut phrase = String::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' || c == '»' || c == '”' {
                    closed = true;
                    break;
                }
                phrase.push(c);
            }
            if closed {
                out.push(Lexeme::Quoted(phrase));
            } else {
                notices.push("unbalanced quote: searching the words on their own".into());
                out.extend(
                    phrase
                        .split_whitespace()
                        .map(|w| Lexeme::Text(w.to_string())),
                );
            }
        } else if c == '-' {
            chars.next();
            if chars.peek().is_some_and(|n| !n.is_whitespace())
                && !matches!(out.last(), Some(Lexeme::Minus))
            {
                out.push(Lexeme::Minus);
            } else {
                notices.push("a lone '-' was ignored".into());
            }
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '(' || c == ')' || (c == '"' && !word.ends_with(':')) {
                    break;
                }
                if c == '"' {
                    // field:"phrase"
                    chars.next();
                    let mut phrase = String::new();
                    for c in chars.by_ref() {
                        if c == '"' {
                            break;
                        }
                        phrase.push(c);
                    }
                    word.push('"');
                    word.push_str(&phrase);
                    word.push('"');
                    break;
                }
                word.push(c);
                chars.next();
            }
            if word == "OR" {
                out.push(Lexeme::Or);
            } else {
                out.push(Lexeme::Text(word));
            }
        }
    }
    if stray_parens {
        notices.push("parentheses are not supported and were ignored".into());
    }
    out
}

/// French writes "5 000" for 5000: a word of 1 to 3 digits followed by words of exactly 3 digits
/// is one number, as the analyzer reads it in the text.
fn join_digit_groups(lexemes: Vec<Lexeme>) -> Vec<Lexeme> {
    let digits = |w: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())
    };
    let mut out: Vec<Lexeme> = Vec::with_capacity(lexemes.len());
    let mut extending = false;
    for lexeme in lexemes {
        if let (Some(Lexeme::Text(previous)), Lexeme::Text(word)) = (out.last_mut(), &lexeme) {
            let starts = extending || digits(previous, 1..=3);
            if starts && digits(word, 3..=3) {
                previous.push(' ');
                previous.push_str(word);
                extending = true;
                continue;
            }
        }
        extending = false;
        out.push(lexeme);
    }
    out
}

fn atom(text: &str) -> Atom {
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return Atom::Phrase(inner.to_string());
    }
    match text.strip_suffix('*') {
        Some(prefix)
            if prefix.chars().filter(|c| c.is_alphanumeric()).count() >= 2
                && !prefix.contains('*') =>
        {
            Atom::Prefix(prefix.to_string())
        }
        _ => Atom::Word(text.trim_matches('*').to_string()),
    }
}

/// Reads `date:` values: `2024`, `2024-07`, `>=2024-07`, `<2025`, `2024-07..2025-06`.
fn date_filter(value: &str) -> Option<Filter> {
    let valid = |d: &str| {
        let parts: Vec<&str> = d.split('-').collect();
        !d.is_empty()
            && parts.len() <= 3
            && parts[0].len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
    };
    // Everything that starts with `d` sorts before `d~`, since '~' follows digits and '-'.
    let end_of = |d: &str| format!("{d}~");
    if let Some((a, b)) = value.split_once("..") {
        let from = (!a.is_empty()).then(|| a.to_string());
        let to = (!b.is_empty()).then(|| end_of(b));
        return (from.as_deref().is_none_or(valid)
            && (b.is_empty() || valid(b))
            && (from.is_some() || to.is_some()))
        .then_some(Filter::Date { from, to });
    }
    let (op, d) = [">=", "<=", ">", "<"]
        .iter()
        .find_map(|op| value.strip_prefix(op).map(|d| (*op, d)))
        .unwrap_or(("", value));
    if !valid(d) {
        return None;
    }
    let (from, to) = match op {
        ">=" => (Some(d.to_string()), None),
        ">" => (Some(end_of(d)), None),
        "<=" => (None, Some(end_of(d))),
        "<" => (None, Some(d.to_string())),
        _ => (Some(d.to_string()), Some(end_of(d))),
    };
    Some(Filter::Date { from, to })
}

/// Parses a query. Only an empty or oversized query is an error; anything else is read as
/// well as it can be, with [`ParsedQuery::notices`] saying what was not read as written.
///
/// ```
/// use aes_search::query::{parse, Atom};
/// let q = parse("\"monnaie commune\" -franc date:2024").unwrap();
/// assert_eq!(q.units[0].alternatives, [Atom::Phrase("monnaie commune".into())]);
/// assert_eq!(q.excluded, [Atom::Word("franc".into())]);
/// assert_eq!(q.filters.len(), 1);
/// ```
pub fn parse(query: &str) -> Result<ParsedQuery> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::QueryTooLong(format!(
            "{} characters, the limit is {MAX_QUERY_CHARS}",
            query.chars().count()
        )));
    }
    let mut parsed = ParsedQuery::default();
    let lexemes = join_digit_groups(lex(query, &mut parsed.notices));
    let mut negate = false;
    let mut join_next = false;
    for (i, lexeme) in lexemes.iter().enumerate() {
        let text = match lexeme {
            Lexeme::Minus => {
                negate = true;
                continue;
            }
            Lexeme::Or => {
                let between = i > 0 && i + 1 < lexemes.len() && !parsed.units.is_empty() && !negate;
                if between {
                    join_next = true;
                } else {
                    parsed
                        .notices
                        .push("'OR' needs a word on each side: read as a plain word".into());
                    parsed.units.push(Unit {
                        alternatives: vec![Atom::Word("or".into())],
                    });
                }
                continue;
            }
            Lexeme::Quoted(p) => format!("\"{p}\""),
            Lexeme::Text(t) => t.clone(),
        };
        match text
            .split_once(':')
            .filter(|(f, v)| !f.is_empty() && !v.is_empty() && f.chars().all(char::is_alphabetic))
        {
            Some((field, value)) => push_field(&mut parsed, field, value, &text, negate, join_next),
            None => push_word(&mut parsed, &text, negate, join_next),
        }
        negate = false;
        join_next = false;
    }
    if join_next {
        parsed
            .notices
            .push("'OR' needs a word on each side: ignored".into());
    }
    if parsed.units.len() + parsed.excluded.len() > MAX_QUERY_TERMS {
        return Err(Error::QueryTooLong(format!(
            "{} words, the limit is {MAX_QUERY_TERMS}",
            parsed.units.len() + parsed.excluded.len()
        )));
    }
    if parsed.units.is_empty() && parsed.filters.is_empty() {
        return Err(Error::EmptyQuery);
    }
    Ok(parsed)
}

/// A `field:value` lexeme: a filter, or for a field we do not know, its words.
fn push_field(
    parsed: &mut ParsedQuery,
    field: &str,
    value: &str,
    text: &str,
    negate: bool,
    join: bool,
) {
    let filter = match field.to_lowercase().as_str() {
        "title" | "titre" => Some(Filter::Title(atom(value))),
        "source" => Some(Filter::Source(value.trim_matches('"').to_string())),
        "date" => date_filter(value).or_else(|| {
            parsed.notices.push(format!("date:{value} is not a date (try date:2024, date:>=2024-07 or date:2024-07..2025-06): ignored"));
            None
        }),
        _ => {
            parsed
                .notices
                .push(format!("unknown field '{field}:': searching the words"));
            push_word(parsed, &text.replace(':', " "), negate, join);
            return;
        }
    };
    if negate {
        parsed.notices.push(format!(
            "'-' before {field}: is not supported and was ignored"
        ));
    }
    parsed.filters.extend(filter);
}

/// The filters given beside the query text (an API's `source`, `since`, `until`), read as the
/// query language reads `source:` and `date:since..until` (both ends inclusive, as a month or a
/// day). A date that cannot be read is left out with a notice, as in the query.
pub(crate) fn filters_beside(
    source: Option<&str>,
    since: Option<&str>,
    until: Option<&str>,
    notices: &mut Vec<String>,
) -> Vec<Filter> {
    let mut out = Vec::new();
    if let Some(s) = source.map(str::trim).filter(|s| !s.is_empty()) {
        out.push(Filter::Source(s.to_string()));
    }
    let [since, until] = [since, until].map(|d| d.map(str::trim).filter(|d| !d.is_empty()));
    if since.is_some() || until.is_some() {
        let range = format!("{}..{}", since.unwrap_or(""), until.unwrap_or(""));
        match date_filter(&range) {
            Some(f) => out.push(f),
            None => notices.push(format!(
                "{range} is not a date range (try 2024, 2024-07 or 2024-07-15): ignored"
            )),
        }
    }
    out
}

fn push_word(parsed: &mut ParsedQuery, text: &str, negate: bool, join: bool) {
    let atom = atom(text);
    if negate {
        parsed.excluded.push(atom);
    } else if join {
        if let Some(last) = parsed.units.last_mut() {
            last.alternatives.push(atom);
        }
    } else {
        parsed.units.push(Unit {
            alternatives: vec![atom],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_beside_the_query_read_as_the_query_language() {
        let date = |from: Option<&str>, to: Option<&str>| Filter::Date {
            from: from.map(str::to_string),
            to: to.map(str::to_string),
        };
        type Case<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            Vec<Filter>,
            usize,
        );
        let cases: &[Case] = &[
            (
                Some("Sahel Info"),
                None,
                None,
                vec![Filter::Source("Sahel Info".into())],
                0,
            ),
            (
                None,
                Some("2024-07"),
                None,
                vec![date(Some("2024-07"), None)],
                0,
            ),
            (None, None, Some("2025"), vec![date(None, Some("2025~"))], 0),
            (
                None,
                Some("2024"),
                Some("2024-06"),
                vec![date(Some("2024"), Some("2024-06~"))],
                0,
            ),
            (Some("  "), Some(""), None, vec![], 0),
            (None, Some("juillet"), None, vec![], 1),
        ];
        for (source, since, until, expected, n_notices) in cases {
            let mut notices = Vec::new();
            let got = filters_beside(*source, *since, *until, &mut notices);
            assert_eq!(&got, expected, "{source:?} {since:?} {until:?}");
            assert_eq!(notices.len(), *n_notices, "{notices:?}");
        }
    }

    fn word(w: &str) -> Atom {
        Atom::Word(w.into())
    }

    // A table (one row per query), hence over 80 lines.
    #[test]
    fn reads_the_query_language() {
        type Row = (&'static str, Vec<Vec<Atom>>, Vec<Atom>, usize, usize);
        let table: Vec<Row> = vec![
            // query, units, excluded, filters, notices
            (
                "monnaie commune",
                vec![vec![word("monnaie")], vec![word("commune")]],
                vec![],
                0,
                0,
            ),
            (
                "\"exact phrase\"",
                vec![vec![Atom::Phrase("exact phrase".into())]],
                vec![],
                0,
                0,
            ),
            (
                "mali -niger",
                vec![vec![word("mali")]],
                vec![word("niger")],
                0,
                0,
            ),
            (
                "mali OR niger",
                vec![vec![word("mali"), word("niger")]],
                vec![],
                0,
                0,
            ),
            (
                "sahél*",
                vec![vec![Atom::Prefix("sahél".into())]],
                vec![],
                0,
                0,
            ),
            (
                "a* mali",
                vec![vec![word("a")], vec![word("mali")]],
                vec![],
                0,
                0,
            ),
            (
                "mali source:rt date:2024",
                vec![vec![word("mali")]],
                vec![],
                2,
                0,
            ),
            (
                "\"monnaie commune",
                vec![vec![word("monnaie")], vec![word("commune")]],
                vec![],
                0,
                1,
            ),
            (
                "mali foo:bar",
                vec![vec![word("mali")], vec![word("foo bar")]],
                vec![],
                0,
                1,
            ),
            ("((mali))", vec![vec![word("mali")]], vec![], 0, 1),
            (
                "OR mali",
                vec![vec![word("or")], vec![word("mali")]],
                vec![],
                0,
                1,
            ),
            ("date:hier mali", vec![vec![word("mali")]], vec![], 0, 1),
            (
                "5 000 soldats",
                vec![vec![word("5 000")], vec![word("soldats")]],
                vec![],
                0,
                0,
            ),
            ("1 500 000", vec![vec![word("1 500 000")]], vec![], 0, 0),
            (
                "les 13 et 14",
                vec![
                    vec![word("les")],
                    vec![word("13")],
                    vec![word("et")],
                    vec![word("14")],
                ],
                vec![],
                0,
                0,
            ),
            (
                "2024 2025",
                vec![vec![word("2024")], vec![word("2025")]],
                vec![],
                0,
                0,
            ),
        ];
        for (query, units, excluded, filters, notices) in table {
            let q = parse(query).unwrap();
            let got: Vec<Vec<Atom>> = q.units.into_iter().map(|u| u.alternatives).collect();
            assert_eq!(got, units, "units of {query:?}");
            assert_eq!(q.excluded, excluded, "excluded of {query:?}");
            assert_eq!(q.filters.len(), filters, "filters of {query:?}");
            assert_eq!(
                q.notices.len(),
                notices,
                "notices of {query:?}: {:?}",
                q.notices
            );
        }
    }

    #[test]
    fn reads_date_ranges() {
        let table = [
            ("2024", Some(("2024", "2024~"))),
            (">=2024-07", Some(("2024-07", ""))),
            ("2024-07..2025-06", Some(("2024-07", "2025-06~"))),
            ("<2025", Some(("", "2025"))),
            ("hier", None),
        ];
        for (value, expected) in table {
            let got = date_filter(value).map(|f| match f {
                Filter::Date { from, to } => (from.unwrap_or_default(), to.unwrap_or_default()),
                _ => unreachable!(),
            });
            let expected = expected.map(|(a, b)| (a.to_string(), b.to_string()));
            assert_eq!(got, expected, "date:{value}");
        }
    }

    #[test]
    fn refuses_only_empty_and_oversized_queries() {
        assert!(matches!(parse("   "), Err(Error::EmptyQuery)));
        assert!(matches!(
            parse(&"mot ".repeat(100)),
            Err(Error::QueryTooLong(_))
        ));
        assert!(matches!(parse(&"(".repeat(500)), Err(Error::EmptyQuery)));
    }
}
