//! A passage as one line of JSON Lines: the one record that `index --jsonl` reads, on the
//! embedded index and on a cluster alike, and that `export --passages` writes, so that the
//! three cannot drift apart (a field one of them forgot would change what is indexed).

use serde::{Deserialize, Deserializer, Serialize};

/// One passage of a JSON Lines file: `{"id", "passage", "title", "text", "date", "source"}`, of
/// which only `id` and `text` are required.
///
/// ```
/// use aes_search::jsonl::PassageLine;
/// let line = PassageLine::parse(br#"{"id": 7, "passage": 2, "text": "un"}"#).unwrap();
/// assert_eq!((line.id.as_str(), line.passage), ("7", 2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageLine {
    /// The article's id; a number is read as its text.
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    /// The passage's place in its article, from 0 (two passages of one article need two).
    #[serde(default)]
    pub passage: u64,
    /// The article's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The passage text.
    pub text: String,
    /// The article's date, `YYYY-MM-DD` or `YYYY-MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The outlet's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl PassageLine {
    /// Reads one line; the error says why it is not a passage, for a `FILE:LINE` report.
    pub fn parse(line: &[u8]) -> std::result::Result<PassageLine, String> {
        serde_json::from_slice(line).map_err(|e| e.to_string())
    }
}

fn id_text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_passages() {
        // (line, id and passage, or None for a line that is not a passage)
        let table: &[(&str, Option<(&str, u64)>)] = &[
            (r#"{"id": "a", "text": "x"}"#, Some(("a", 0))),
            (r#"{"id": 7, "passage": 3, "text": "x"}"#, Some(("7", 3))),
            (
                r#"{"id": "a", "passage": 1, "title": "t", "text": "x", "date": "2024-07", "source": "s"}"#,
                Some(("a", 1)),
            ),
            (r#"{"id": "a"}"#, None),
            (r#"{"text": "x"}"#, None),
            (r#"{"id": "a", "passage": -1, "text": "x"}"#, None),
            ("not json", None),
        ];
        for (line, expected) in table {
            let got = PassageLine::parse(line.as_bytes()).ok();
            let got = got.as_ref().map(|l| (l.id.as_str(), l.passage));
            assert_eq!(got, *expected, "{line}");
        }
    }

    #[test]
    fn a_written_line_reads_back_the_same() {
        let line = PassageLine {
            id: "a1".into(),
            passage: 4,
            title: Some("Le titre".into()),
            text: "Le texte".into(),
            date: None,
            source: Some("Sahel Info".into()),
        };
        let written = serde_json::to_string(&line).unwrap();
        assert!(!written.contains("date"), "{written}");
        assert_eq!(PassageLine::parse(written.as_bytes()), Ok(line));
    }
}
