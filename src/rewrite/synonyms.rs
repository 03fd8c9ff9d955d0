//! Synonyms, applied to the parsed query so that editing the list needs no reindex.
//!
//! The file format is Solr's and Elasticsearch's: `a, b, c` makes the entries equivalent,
//! `a, b => c` makes a query for `a` or `b` also search `c` (not the other way), `#` starts a
//! comment. An entry may have several words; it then matches those words in a row and is
//! searched as a phrase. Matching forgives case, accents and elided articles, as the analyzer
//! does. Expansion is bounded ([`MAX_ALTERNATIVES`], [`MAX_ADDED`]) so that a list that would turn
//! one word into hundreds of terms cannot slow a query down.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fold::fold;
use crate::query::{Atom, ParsedQuery, Unit};

/// Most alternatives one matched word (or words) gains from the list.
pub const MAX_ALTERNATIVES: usize = 8;
/// Most alternatives one query gains from the list, over all its words.
pub const MAX_ADDED: usize = 24;
/// Longest entry, in words: a longer one could never match a query of [`crate::query::MAX_QUERY_TERMS`].
const MAX_ENTRY_WORDS: usize = 8;

/// The list shipped with aes-search: the Sahel's institutions, leaders, places and people.
const DEFAULT_LIST: &str = include_str!("synonyms_fr.txt");

/// A synonyms list, ready to expand queries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    /// Matching key (normalised words joined by one space) → entries to search as well, as written.
    rules: HashMap<String, Vec<String>>,
    /// Most words in a key: how far ahead a match is looked for.
    longest: usize,
}

/// What the list added to one part of a query, for people ("also searched: …").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Expansion {
    /// The words as typed.
    pub typed: String,
    /// What was searched as well.
    pub also: Vec<String>,
    /// Which unit of the rewritten query holds the alternatives.
    #[serde(skip)]
    pub(crate) unit: usize,
}

impl Synonyms {
    /// The list shipped with aes-search.
    pub fn default_list() -> Synonyms {
        // The shipped list is tested (see the tests below): it always parses.
        Synonyms::parse(DEFAULT_LIST, Path::new("synonyms_fr.txt")).unwrap_or_default()
    }

    /// Reads a synonyms file; a malformed line is an error naming the file and the line.
    pub fn from_file(path: &Path) -> Result<Synonyms> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Synonyms::parse(&text, path)
    }

    /// Parses the text of a synonyms file; `path` only names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Synonyms> {
        let mut list = Synonyms::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = |message: &str| Error::Synonyms {
                path: PathBuf::from(path),
                line: n + 1,
                message: message.to_string(),
            };
            let empty = "an empty entry (two commas in a row, or a comma at an end)";
            let sides: Vec<&str> = line.split("=>").collect();
            let (from, to) = match sides.as_slice() {
                [all] => (entries(all).ok_or_else(|| bad(empty))?, None),
                [from, to] => (
                    entries(from).ok_or_else(|| bad(empty))?,
                    Some(entries(to).ok_or_else(|| bad(empty))?),
                ),
                _ => return Err(bad("more than one '=>'")),
            };
            for entry in from.iter().chain(to.iter().flatten()) {
                if entry.split_whitespace().count() > MAX_ENTRY_WORDS {
                    return Err(bad(&format!(
                        "an entry of more than {MAX_ENTRY_WORDS} words"
                    )));
                }
            }
            match to {
                None if from.len() < 2 => {
                    return Err(bad("one entry alone: nothing to be equivalent to"))
                }
                None => {
                    for entry in &from {
                        list.add(entry, from.iter().filter(|e| *e != entry));
                    }
                }
                Some(to) => {
                    for entry in &from {
                        list.add(entry, to.iter());
                    }
                }
            }
        }
        Ok(list)
    }

    fn add<'a>(&mut self, entry: &str, others: impl Iterator<Item = &'a String>) {
        let key = key(entry.split_whitespace());
        if key.is_empty() {
            return;
        }
        self.longest = self.longest.max(key.split(' ').count());
        let also = self.rules.entry(key.clone()).or_default();
        for other in others {
            let other_key = self::key(other.split_whitespace());
            let known = also
                .iter()
                .any(|a| self::key(a.split_whitespace()) == other_key);
            if other_key != key && !known {
                also.push(other.clone());
            }
        }
    }

    /// Whether the list has no entry.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Adds the list's alternatives to the query's plain words, longest match first, and says
    /// what was added. Quoted phrases are searched as written.
    pub fn expand(&self, query: &mut ParsedQuery) -> Vec<Expansion> {
        let mut expansions = Vec::new();
        if self.rules.is_empty() {
            return expansions;
        }
        let mut budget = MAX_ADDED;
        let mut units = Vec::with_capacity(query.units.len());
        let mut i = 0;
        while i < query.units.len() {
            match self.longest_match(&query.units[i..]) {
                Some((words, also)) if budget > 0 => {
                    let typed: Vec<&str> = query.units[i..i + words]
                        .iter()
                        .filter_map(plain_word)
                        .collect();
                    let typed = typed.join(" ");
                    let also: Vec<String> = also
                        .iter()
                        .take(MAX_ALTERNATIVES.min(budget))
                        .cloned()
                        .collect();
                    budget -= also.len();
                    let mut alternatives = vec![as_atom(&typed)];
                    alternatives.extend(also.iter().map(|a| as_atom(a)));
                    units.push(Unit { alternatives });
                    expansions.push(Expansion {
                        typed,
                        also,
                        unit: units.len() - 1,
                    });
                    i += words;
                }
                _ => {
                    units.push(query.units[i].clone());
                    i += 1;
                }
            }
        }
        query.units = units;
        expansions
    }

    /// The longest run of plain words at the start of `units` that the list knows.
    fn longest_match(&self, units: &[Unit]) -> Option<(usize, &Vec<String>)> {
        let words: Vec<&str> = units
            .iter()
            .take(self.longest)
            .map_while(plain_word)
            .collect();
        (1..=words.len()).rev().find_map(|n| {
            self.rules
                .get(&key(words[..n].iter().copied()))
                .map(|a| (n, a))
        })
    }
}

/// A unit that is one word, not a phrase, prefix or alternative.
fn plain_word(unit: &Unit) -> Option<&str> {
    match unit.alternatives.as_slice() {
        [Atom::Word(w)] => Some(w),
        _ => None,
    }
}

/// One word as a word, several as a phrase.
fn as_atom(text: &str) -> Atom {
    if text.split_whitespace().nth(1).is_some() {
        Atom::Phrase(text.to_string())
    } else {
        Atom::Word(text.to_string())
    }
}

/// The entries of one side of a rule; `None` when one is empty.
fn entries(side: &str) -> Option<Vec<String>> {
    side.split(',')
        .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|e| (!e.is_empty()).then_some(e))
        .collect()
}

/// The matching form of some words: lowercased, accent-folded, without an elided article, with
/// one kind of apostrophe; words of no letter or digit are left out.
fn key<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for word in words {
        let word = fold(&word.to_lowercase()).replace(['’', 'ʼ', '‘'], "'");
        let word = match word.split_once('\'') {
            Some((article, rest)) if ELIDED.contains(&article) && !rest.is_empty() => {
                rest.to_string()
            }
            _ => word,
        };
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The articles and pronouns French elides before a vowel (as the analyzer's elision filter).
const ELIDED: [&str; 13] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn expanded(list: &str, query: &str) -> (Vec<Vec<Atom>>, Vec<Expansion>) {
        let list = Synonyms::parse(list, Path::new("t.txt")).unwrap();
        let mut parsed = parse(query).unwrap();
        let expansions = list.expand(&mut parsed);
        let units = parsed.units.into_iter().map(|u| u.alternatives).collect();
        (units, expansions)
    }

    fn w(s: &str) -> Atom {
        Atom::Word(s.into())
    }

    fn p(s: &str) -> Atom {
        Atom::Phrase(s.into())
    }

    #[test]
    fn expansions() {
        let list = "AES, Alliance des États du Sahel\nTchiani => Tiani\n# a comment\n\nCEDEAO, ECOWAS # inline";
        let table: &[(&str, Vec<Vec<Atom>>)] = &[
            (
                "AES",
                vec![vec![w("AES"), p("Alliance des États du Sahel")]],
            ),
            (
                "l'AES",
                vec![vec![w("l'AES"), p("Alliance des États du Sahel")]],
            ),
            (
                "alliance des etats du sahel",
                vec![vec![p("alliance des etats du sahel"), w("AES")]],
            ),
            (
                "Tchiani Niamey",
                vec![vec![w("Tchiani"), w("Tiani")], vec![w("Niamey")]],
            ),
            // One way: Tiani does not bring Tchiani.
            ("Tiani", vec![vec![w("Tiani")]]),
            ("cedeao", vec![vec![w("cedeao"), w("ECOWAS")]]),
            // Quoted phrases, prefixes and alternatives are searched as written.
            ("\"AES\"", vec![vec![p("AES")]]),
            ("AES*", vec![vec![Atom::Prefix("AES".into())]]),
            (
                "alliance sahel",
                vec![vec![w("alliance")], vec![w("sahel")]],
            ),
        ];
        for (query, want) in table {
            assert_eq!(&expanded(list, query).0, want, "{query}");
        }
    }

    #[test]
    fn says_what_it_added() {
        // "Goïta" is "Goita" once folded: nothing to add for it.
        let (_, expansions) = expanded("Goïta, Goita, Assimi Goïta", "Goita Bamako");
        assert_eq!(
            expansions,
            vec![Expansion {
                typed: "Goita".into(),
                also: vec!["Assimi Goïta".into()],
                unit: 0,
            }]
        );
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let table = [
            ("a, b\nc,, d", 2, "empty entry"),
            ("a => b => c", 1, "more than one"),
            ("\n\nseul", 3, "one entry alone"),
            ("a =>", 1, "empty entry"),
            (", a", 1, "empty entry"),
        ];
        for (text, line, words) in table {
            let e = Synonyms::parse(text, Path::new("syn.txt"))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(&format!("syn.txt:{line}:")), "{text:?}: {e}");
            assert!(e.contains(words), "{text:?}: {e}");
        }
    }

    #[test]
    fn expansion_is_bounded() {
        let many: Vec<String> = (0..500).map(|i| format!("mot{i}")).collect();
        let list = format!("x => {}\ny => {}", many.join(", "), many.join(", "));
        let (units, _) = expanded(&list, "x y x y x y");
        let added: usize = units.iter().map(|u| u.len() - 1).sum();
        assert!(units.iter().all(|u| u.len() <= 1 + MAX_ALTERNATIVES));
        assert_eq!(added, MAX_ADDED);
    }

    #[test]
    fn shipped_list_parses_and_knows_the_confederation() {
        let list = Synonyms::parse(DEFAULT_LIST, Path::new("synonyms_fr.txt")).unwrap();
        let mut parsed = parse("Confédération des États du Sahel").unwrap();
        let expansions = list.expand(&mut parsed);
        assert_eq!(parsed.units.len(), 1);
        assert!(
            expansions[0].also.iter().any(|a| a == "AES"),
            "{expansions:?}"
        );
    }
}
