//! The index aes-search creates on a cluster: the French chain of `analysis` rebuilt from
//! OpenSearch's own filters, BM25 with our constants, and the fields of a passage; and the small
//! index beside it that holds the manifest.
//!
//! The chain, in the order `src/analysis/mod.rs` documents, and where OpenSearch differs:
//! 1. tokenizer: character filters make every apostrophe `'`, drop soft hyphens and zero-width
//!    characters, turn no-break and thin spaces into spaces and join digit groups ("5 000",
//!    "1.500"); then the standard (UAX#29) tokenizer, which keeps "aujourd'hui" one word.
//!    Dotted acronyms ("A.E.S.") lose their dots in a token filter after lowercasing.
//! 2. NFKC: needs analysis-icu, which is not on Maven Central: not reproduced (ligatures and
//!    most compatibility letters are still folded by `asciifolding`; mathematical letters such as
//!    "𝐇" are not).
//! 3. lowercase; 4. elision with our list; 5. asciifolding; 6. our stop list, folded;
//! 7. Snowball French, after folding as here.

use serde_json::{json, Value};

use crate::fold::fold;

/// Name of the analyzer in the index settings.
pub(crate) const ANALYZER: &str = "fr_aes";
/// The outlet's name as written, for the facets: `source` itself is analysed as the embedded
/// index analyses it, so that `source:` matches the same words.
pub(crate) const SOURCE_NAME: &str = "source.raw";

/// Shards and replicas of a new index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Primary shards.
    pub shards: u32,
    /// Copies of each shard on other nodes.
    pub replicas: u32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            shards: 2,
            replicas: 1,
        }
    }
}

/// Characters the character filter maps, as our tokenizer does (`tokenizer.rs`).
const CHAR_MAPPINGS: &[(char, &str)] = &[
    ('\u{2019}', "'"),
    ('\u{02BC}', "'"),
    ('\u{2018}', "'"),
    ('\u{2032}', "'"),
    ('\u{FF07}', "'"),
    ('\u{00AD}', ""),
    ('\u{200B}', ""),
    ('\u{200C}', ""),
    ('\u{200D}', ""),
    ('\u{2060}', ""),
    ('\u{FEFF}', ""),
    ('\u{00A0}', " "),
    ('\u{202F}', " "),
    ('\u{2009}', " "),
];

/// A digit-group separator between a digit and exactly three digits: "5 000" is one number.
const DIGIT_GROUP: &str = r"(?<=\d)[ .](?=\d{3}(?!\d))";

/// The settings and mappings of the passage index.
pub(crate) fn passage_index(layout: Layout) -> Value {
    let (elided, stop_words) = crate::analysis::word_lists();
    let mut stop: Vec<String> = stop_words.iter().map(|w| fold(w).into_owned()).collect();
    stop.sort();
    stop.dedup();
    let mappings: Vec<String> = CHAR_MAPPINGS
        .iter()
        .map(|(from, to)| format!("\\u{:04X}=>{}", u32::from(*from), to_rule(to)))
        .collect();
    json!({
        "settings": {
            "number_of_shards": layout.shards,
            "number_of_replicas": layout.replicas,
            "similarity": {
                "default": { "type": "BM25", "k1": crate::rank::K1, "b": crate::rank::B }
            },
            "analysis": {
                "char_filter": {
                    "fr_aes_marks": { "type": "mapping", "mappings": mappings },
                    "fr_aes_digits": {
                        "type": "pattern_replace", "pattern": DIGIT_GROUP, "replacement": ""
                    }
                },
                "filter": {
                    "fr_aes_acronym": { "type": "pattern_replace", "pattern": r"\.", "replacement": "" },
                    "fr_aes_elision": { "type": "elision", "articles": elided, "articles_case": true },
                    "fr_aes_stop": { "type": "stop", "stopwords": stop },
                    "fr_aes_stem": { "type": "snowball", "language": "French" }
                },
                "analyzer": {
                    ANALYZER: {
                        "type": "custom",
                        "char_filter": ["fr_aes_marks", "fr_aes_digits"],
                        "tokenizer": "standard",
                        "filter": ["lowercase", "fr_aes_acronym", "fr_aes_elision",
                                   "asciifolding", "fr_aes_stop", "fr_aes_stem"]
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "article_id": { "type": "keyword" },
                "file": { "type": "keyword" },
                "passage": { "type": "integer" },
                "text": { "type": "text", "analyzer": ANALYZER },
                "title": { "type": "text", "analyzer": ANALYZER },
                "date": { "type": "keyword" },
                "source": {
                    "type": "text", "analyzer": ANALYZER,
                    "fields": { "raw": { "type": "keyword" } }
                }
            }
        }
    })
}

/// The manifest index: one small document per file, keyed by a hash of its path.
pub(crate) fn manifest_index() -> Value {
    json!({
        "settings": { "number_of_shards": 1, "number_of_replicas": 1 },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "path": { "type": "keyword" },
                "size": { "type": "long" },
                "mtime_ns": { "type": "keyword", "index": false },
                "hash": { "type": "keyword" },
                "passages": { "type": "integer" },
                "jsonl": { "type": "boolean" }
            }
        }
    })
}

/// A mapping rule's right side: spaces must be escaped to survive the rule parser.
fn to_rule(to: &str) -> String {
    to.replace(' ', "\\u0020")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_carry_our_constants_and_lists() {
        let s = passage_index(Layout::default());
        let settings = &s["settings"];
        assert_eq!(settings["number_of_shards"], 2);
        assert_eq!(settings["number_of_replicas"], 1);
        let bm25 = &settings["similarity"]["default"];
        assert_eq!(bm25["k1"].as_f64(), Some(f64::from(crate::rank::K1)));
        assert_eq!(bm25["b"].as_f64(), Some(f64::from(crate::rank::B)));
        let filters = &settings["analysis"]["filter"];
        let stop = filters["fr_aes_stop"]["stopwords"].as_array().unwrap();
        // Folded, as our stop filter compares them: "été" is "ete".
        assert!(stop.iter().any(|w| w == "ete"));
        assert!(!stop.iter().any(|w| w == "été"));
        let articles = filters["fr_aes_elision"]["articles"].as_array().unwrap();
        assert!(articles.iter().any(|w| w == "lorsqu"));
    }

    #[test]
    fn mapping_rules_are_escaped() {
        let s = passage_index(Layout::default());
        let rules = s["settings"]["analysis"]["char_filter"]["fr_aes_marks"]["mappings"]
            .as_array()
            .unwrap()
            .clone();
        let table = [
            ("\\u2019=>'", true),
            ("\\u00AD=>", true),
            ("\\u00A0=>\\u0020", true),
        ];
        for (rule, present) in table {
            assert_eq!(rules.iter().any(|r| r == rule), present, "{rule}");
        }
    }
}
