//! `aes-search search QUERY` and the bare `aes-search QUERY`: hits for people or as JSON.

use std::io::Write;

use aes_search::Expansion;
use aes_search::{Facets, Hit, Result, SearchOptions, Sort};
use serde::Serialize;

use super::{stdout_error, synonyms, Places, Status};

/// Longest passage text shown in the terminal before it is cut to its best window.
const SNIPPET_CHARS: usize = 300;

pub struct Config {
    pub query: String,
    pub limit: usize,
    pub per_article: usize,
    pub articles: bool,
    pub json: bool,
    /// Matched words, titles and metadata in ANSI bold and colour (`--color`).
    pub colour: bool,
    pub sort: Sort,
    pub facets: bool,
    pub source: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    query: &'a str,
    hits: &'a [Hit],
    notices: &'a [String],
    /// As `[typed, found]` pairs, as earlier builds wrote them.
    corrections: Vec<(&'a str, &'a str)>,
    expansions: &'a [Expansion],
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<&'a Facets>,
}

pub fn run(places: &Places, config: &Config) -> Result<Status> {
    if config.query.trim().is_empty() {
        return Err(aes_search::Error::EmptyQuery);
    }
    let engine = super::backend::Backend::open(places, true)?;
    let options = SearchOptions {
        limit: config.limit,
        per_article: config.per_article,
        synonyms: synonyms(places)?,
        sort: config.sort,
        facets: config.facets,
        source: config.source.clone(),
        since: config.since.clone(),
        until: config.until.clone(),
        ..SearchOptions::default()
    };
    let outcome = engine.search_with_notices(&config.query, &options)?;
    for notice in &outcome.notices {
        eprintln!("aes-search: {notice}");
    }
    if !outcome.corrections.is_empty() {
        let shown: Vec<String> = outcome
            .corrections
            .iter()
            .map(|c| format!("{} (for {})", c.to, c.from))
            .collect();
        eprintln!("aes-search: showing results for {}", shown.join(", "));
    }
    if !outcome.expansions.is_empty() {
        let shown: Vec<String> = outcome
            .expansions
            .iter()
            .map(|e| format!("{} (for {})", e.also.join(", "), e.typed))
            .collect();
        eprintln!("aes-search: also searched: {}", shown.join("; "));
    }
    let mut out = std::io::stdout().lock();
    if config.json {
        let doc = JsonOutput {
            query: &config.query,
            hits: &outcome.hits,
            notices: &outcome.notices,
            corrections: outcome
                .corrections
                .iter()
                .map(|c| (c.from.as_str(), c.to.as_str()))
                .collect(),
            expansions: &outcome.expansions,
            facets: outcome.facets.as_ref(),
        };
        serde_json::to_writer_pretty(&mut out, &doc).map_err(|e| stdout_error(e.into()))?;
        writeln!(out).map_err(stdout_error)?;
    } else {
        for hit in &outcome.hits {
            write_hit(&mut out, hit, config.colour, config.articles).map_err(stdout_error)?;
        }
        if let Some(facets) = &outcome.facets {
            write_facets(&mut out, facets).map_err(stdout_error)?;
        }
    }
    out.flush().map_err(stdout_error)?;
    if outcome.hits.is_empty() {
        eprintln!("aes-search: no results for {:?}", config.query);
        return Ok(Status::NoMatch);
    }
    Ok(Status::Success)
}

fn write_hit(out: &mut impl Write, hit: &Hit, colour: bool, articles: bool) -> std::io::Result<()> {
    let (bold, match_on, dim, reset) = if colour {
        ("\x1b[1m", "\x1b[1;31m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let a = &hit.article;
    let title = a.title.clone().unwrap_or_else(|| {
        std::path::Path::new(&a.path)
            .file_stem()
            .map_or_else(|| a.id.clone(), |s| s.to_string_lossy().into_owned())
    });
    writeln!(out, "{bold}{}. {title}{reset}", hit.rank)?;
    let mut meta: Vec<&str> = Vec::new();
    if let Some(d) = &a.date {
        meta.push(d);
    }
    if let Some(s) = &a.source {
        meta.push(s);
    }
    meta.push(&a.path);
    let passage = if articles {
        String::new()
    } else {
        format!(" · passage {}", hit.passage.index + 1)
    };
    writeln!(out, "   {dim}{}{passage}{reset}", meta.join(" · "))?;
    if let Some(copies) = also_in(&hit.also_in) {
        writeln!(out, "   {dim}also in: {copies}{reset}")?;
    }
    let snippet = hit.passage.snippet(SNIPPET_CHARS);
    let mut text = String::new();
    let mut last = 0;
    for &(s, e) in &snippet.highlights {
        if s < last || e > snippet.text.len() {
            continue;
        }
        text.push_str(&snippet.text[last..s]);
        text.push_str(match_on);
        text.push_str(&snippet.text[s..e]);
        text.push_str(reset);
        last = e;
    }
    text.push_str(&snippet.text[last..]);
    for line in text.lines() {
        writeln!(out, "   {line}")?;
    }
    writeln!(out)
}

/// Match counts after the hits: per source, most first, then per month, oldest first, each
/// with a bar scaled to the largest count, as a terminal can draw a chart.
fn write_facets(out: &mut impl Write, facets: &Facets) -> std::io::Result<()> {
    const BAR: usize = 30;
    writeln!(out, "{} matching passages", facets.total)?;
    for (heading, counts) in [("by source", &facets.sources), ("by month", &facets.months)] {
        if counts.is_empty() {
            continue;
        }
        writeln!(out, "{heading}:")?;
        let width = counts
            .iter()
            .map(|c| c.value.chars().count())
            .max()
            .unwrap_or(0);
        let most = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
        for c in counts {
            let bar = "█".repeat(((c.count * BAR as u64).div_ceil(most)) as usize);
            writeln!(out, "   {:<width$}  {:>6}  {bar}", c.value, c.count)?;
        }
    }
    Ok(())
}

/// The outlets that carried the same story: the first two by name, then how many more.
fn also_in(copies: &[aes_search::Article]) -> Option<String> {
    const NAMED: usize = 2;
    if copies.is_empty() {
        return None;
    }
    let name = |a: &aes_search::Article| a.source.clone().unwrap_or_else(|| a.path.clone());
    let named: Vec<String> = copies.iter().take(NAMED).map(name).collect();
    let more = copies.len().saturating_sub(NAMED);
    Some(match more {
        0 => named.join(", "),
        _ => format!("{} (+{more})", named.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_named_two_then_counted() {
        let article = |source: Option<&str>, path: &str| aes_search::Article {
            id: path.into(),
            path: path.into(),
            title: None,
            date: None,
            source: source.map(String::from),
        };
        let rfi = article(Some("RFI"), "a.txt");
        let ja = article(Some("Jeune Afrique"), "b.txt");
        let bare = article(None, "c.txt");
        // (copies, line)
        let table = [
            (vec![], None),
            (vec![rfi.clone()], Some("RFI")),
            (vec![rfi.clone(), bare.clone()], Some("RFI, c.txt")),
            (
                vec![rfi.clone(), ja.clone(), bare.clone(), bare],
                Some("RFI, Jeune Afrique (+2)"),
            ),
        ];
        for (copies, expected) in table {
            assert_eq!(also_in(&copies).as_deref(), expected);
        }
    }
}
