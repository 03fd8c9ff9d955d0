//! What a file sends to the cluster: its passage documents, cleaned and split as the embedded
//! index does, each with an id made of the article id and the passage number, so that sending
//! a file twice leaves one copy.

use std::path::Path;

use serde_json::{json, Value};

use crate::clean::{CleanedArticle, NoFurniture};
use crate::error::{Error, Result};
use crate::jsonl::PassageLine;
use crate::{article, passage};

/// A passage document and its id.
pub(super) struct PassageDoc {
    pub id: String,
    pub body: Value,
}

/// A file read once: its content hash and its passages.
pub(super) struct ReadFile {
    /// The blake3 hash of the bytes, in hex.
    pub hash: String,
    pub passages: Vec<PassageDoc>,
    /// Lines of a JSON Lines file that are not passages: line number and why.
    pub bad_lines: Vec<(usize, String)>,
}

/// The article id of content with this hash: its first 64 bits, as the embedded index names it.
pub(super) fn article_id(hash: &str) -> &str {
    &hash[..16.min(hash.len())]
}

/// The id of passage `n` of an article.
pub(super) fn passage_id(article_id: &str, n: usize) -> String {
    format!("{article_id}-{n}")
}

/// Reads an article file within `max_size` bytes, cleans it (page furniture out) and splits it.
pub(super) fn read_article(path: &Path, key: &str, max_size: u64) -> Result<ReadFile> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > max_size {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            limit: max_size,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let cleaned = clean_bytes(path, &bytes)?;
    let id = article_id(&hash).to_string();
    let passages = passage::split(&cleaned.paragraphs)
        .into_iter()
        .map(|p| PassageDoc {
            id: passage_id(&id, p.index),
            body: passage_body(
                &id,
                key,
                p.index,
                &p.text,
                [&cleaned.title, &cleaned.date, &cleaned.source],
            ),
        })
        .collect();
    Ok(ReadFile {
        hash,
        passages,
        bad_lines: Vec::new(),
    })
}

/// An article file's bytes cleaned as a sync sends them: a saved page reduced to its article
/// as the embedded index does, without furniture learned across files (a cluster fed by
/// several machines has no one place to learn it).
pub(super) fn clean_bytes(path: &Path, bytes: &[u8]) -> Result<CleanedArticle> {
    Ok(article::article_from_bytes(path, bytes)?.clean(&NoFurniture))
}

/// Reads a JSON Lines file of passages ([`PassageLine`]), each under the id of its article and
/// passage number; a line that is not one is reported and the others are kept.
pub(super) fn read_jsonl(path: &Path, key: &str) -> Result<ReadFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let mut out = ReadFile {
        hash,
        passages: Vec::new(),
        bad_lines: Vec::new(),
    };
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match PassageLine::parse(line) {
            Ok(l) => {
                let n = l.passage as usize;
                out.passages.push(PassageDoc {
                    id: passage_id(&l.id, n),
                    body: passage_body(&l.id, key, n, &l.text, [&l.title, &l.date, &l.source]),
                });
            }
            Err(why) => out.bad_lines.push((n + 1, why)),
        }
    }
    Ok(out)
}

fn passage_body(
    article_id: &str,
    file: &str,
    n: usize,
    text: &str,
    [title, date, source]: [&Option<String>; 3],
) -> Value {
    json!({
        "article_id": article_id,
        "file": file,
        "passage": n,
        "text": text,
        "title": title,
        "date": date,
        "source": source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_article_and_the_passage_number() {
        let hash = blake3::hash(b"x").to_hex().to_string();
        let id = article_id(&hash);
        assert_eq!(id.len(), 16);
        assert!(hash.starts_with(id));
        assert_eq!(passage_id(id, 3), format!("{id}-3"));
    }

    #[test]
    fn an_article_is_cleaned_before_it_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(
            &path,
            "Le Mali accueille le sommet de l’AES\n\nSuivez Le Journal sur Telegram\n\n\
             À l’horizon : la création d’une monnaie sahélienne commune, un projet qui vise \
             l’autonomie économique des trois pays.",
        )
        .unwrap();
        let read = read_article(&path, "a.txt", 1 << 20).unwrap();
        assert_eq!(read.passages.len(), 1);
        let body = &read.passages[0].body;
        assert!(body["text"]
            .as_str()
            .unwrap()
            .contains("monnaie sahélienne"));
        assert!(!body.to_string().contains("Telegram"));
        assert_eq!(body["title"], "Le Mali accueille le sommet de l’AES");
        assert!(read.passages[0].id.ends_with("-0"));
    }

    #[test]
    fn a_bad_line_is_reported_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jsonl");
        std::fs::write(
            &path,
            "{\"id\": 7, \"text\": \"un\"}\nnot json\n\n{\"id\": \"b\", \"text\": \"deux\"}\n",
        )
        .unwrap();
        let read = read_jsonl(&path, "p.jsonl").unwrap();
        let ids: Vec<&str> = read.passages.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["7-0", "b-0"]);
        assert_eq!(read.bad_lines.len(), 1);
        assert_eq!(read.bad_lines[0].0, 2);
    }

    #[test]
    fn jsonl_passages_of_one_article_keep_their_numbers() {
        // The cluster once read every line as passage 0: the passages of one article took the
        // same id, and each overwrote the one before.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jsonl");
        std::fs::write(
            &path,
            "{\"id\": \"a\", \"passage\": 0, \"text\": \"un\"}\n\
             {\"id\": \"a\", \"passage\": 1, \"text\": \"deux\"}\n\
             {\"id\": \"b\", \"text\": \"trois\"}",
        )
        .unwrap();
        let read = read_jsonl(&path, "p.jsonl").unwrap();
        let got: Vec<(&str, u64)> = read
            .passages
            .iter()
            .map(|p| (p.id.as_str(), p.body["passage"].as_u64().unwrap()))
            .collect();
        assert_eq!(got, [("a-0", 0), ("a-1", 1), ("b-0", 0)]);
    }
}
