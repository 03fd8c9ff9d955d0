//! `aes-search export [--passages]`: the cleaned corpus of the index as JSON Lines, for tools
//! that want the articles without their page furniture. Articles carry their title, date,
//! source, path and paragraphs; passages are written as `index --jsonl` reads them, so that an
//! export indexed again holds the same passages.

use std::io::{BufWriter, Write};

use aes_search::jsonl::PassageLine;
use aes_search::IndexedArticle;
use aes_search::{Engine, Result};
use serde::Serialize;

use super::{stdout_error, Places, Status};

/// One line of `export`: an article.
#[derive(Serialize)]
struct ArticleLine<'a> {
    id: &'a str,
    path: &'a str,
    title: &'a Option<String>,
    date: &'a Option<String>,
    source: &'a Option<String>,
    paragraphs: Vec<&'a str>,
}

pub fn run(places: &Places, passages: bool) -> Result<Status> {
    let engine = Engine::open(&places.index)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    engine.for_each_article(|article| {
        if passages {
            write_passages(&mut out, article)
        } else {
            write_line(&mut out, &article_line(&article))
        }
    })?;
    out.flush().map_err(stdout_error)?;
    Ok(Status::Success)
}

fn article_line(article: &IndexedArticle) -> ArticleLine<'_> {
    ArticleLine {
        id: &article.id,
        path: &article.path,
        title: &article.title,
        date: &article.date,
        source: &article.source,
        paragraphs: article.paragraphs().collect(),
    }
}

fn write_passages(out: &mut impl Write, article: IndexedArticle) -> Result<()> {
    for (passage, text) in article.passages {
        let line = PassageLine {
            id: article.id.clone(),
            passage,
            title: article.title.clone(),
            text,
            date: article.date.clone(),
            source: article.source.clone(),
        };
        write_line(out, &line)?;
    }
    Ok(())
}

fn write_line(out: &mut impl Write, line: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, line).map_err(|e| stdout_error(e.into()))?;
    writeln!(out).map_err(stdout_error)
}
