//! Saved web pages (`.html`, `.htm`) as articles: the page's main content as text lines, one
//! per block, for the line cleaner to finish; and the title, date and source that the page's
//! markup states.
//!
//! The parser is html5ever (through `scraper`): it implements the HTML standard's parsing
//! algorithm, so a page is read with the error recovery browsers apply (unclosed tags,
//! misnested formatting, stray end tags), and its tree is an arena (`ego-tree`), so neither
//! building nor dropping a deeply nested page recurses. lol_html streams without a tree, which
//! the scoring of containers needs; dom_smoothie is a whole Readability port whose decisions
//! we could not combine with our own cleaner's.
//!
//! The steps, in order:
//! 1. bytes to text (`decode.rs`): BOM, valid UTF-8, the declared charset, else detection;
//!    nesting past a bound removed before parsing (`depth.rs`), and the content of scripts,
//!    styles and drawings, which is never read (`strip.rs`);
//! 2. one bounded walk over the tree (`walk.rs`): text blocks with their link text and the
//!    evidence of the elements around them (`evidence.rs`: tags, roles, class/id words);
//! 3. the article's region (`region.rs`): the container with the most prose, less the chrome
//!    nested in it, and the headline with its standfirst;
//! 4. the metadata (`meta.rs`): title, date and source from the head, JSON-LD and `<time>`.
//!
//! The line cleaner then sees the headline and the kept blocks, one per line, and drops the
//! furniture that sits inside the article itself ("Lire aussi", credits, prompts).

mod decode;
mod depth;
mod evidence;
mod meta;
mod region;
mod strip;
mod walk;

use crate::clean::CleanedArticle;
use crate::encoding::DecodeError;

/// Pages larger than this are read only up to it (the index's file limit is smaller).
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// A saved page, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// What the markup says of the page.
    pub facts: PageFacts,
    /// The headline's text, as the page shows it, when a block was found for it.
    pub headline: Option<String>,
    /// The article's blocks, in page order, without the headline.
    pub blocks: Vec<String>,
}

/// The title, date and source that a page's markup states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageFacts {
    /// The headline, without the site's name.
    pub title: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The outlet.
    pub source: Option<String>,
}

/// Reads a saved page: decodes it, finds its article and what it says of itself.
///
/// ```
/// let page = aes_search::html::read(
///     b"<html><head><meta property='og:site_name' content='Le Journal'></head><body>\
///       <nav><a href='/'>Accueil</a> <a href='/p'>Politique</a></nav>\
///       <article><h1>Le sommet de l'AES s'ouvre</h1>\
///       <p>Les chefs d'Etat se retrouvent, pour deux jours, afin de dresser le bilan.</p></article>\
///       </body></html>",
/// ).unwrap();
/// assert_eq!(page.facts.title.as_deref(), Some("Le sommet de l'AES s'ouvre"));
/// assert_eq!(page.facts.source.as_deref(), Some("Le Journal"));
/// assert_eq!(page.blocks.len(), 1);
/// ```
pub fn read(bytes: &[u8]) -> Result<Page, DecodeError> {
    let bytes = &bytes[..bytes.len().min(MAX_PAGE_BYTES)];
    let text = decode::decode(bytes)?;
    Ok(read_text(&text))
}

/// Every text block of a page with what became of it: "headline", "kept", or why it was left
/// out of the article (for `aes-search clean --explain`; the kept ones then go through the
/// line cleaner).
pub fn explain_blocks(bytes: &[u8]) -> Result<Vec<(String, &'static str)>, DecodeError> {
    let bytes = &bytes[..bytes.len().min(MAX_PAGE_BYTES)];
    let walked = walk_text(&decode::decode(bytes)?);
    let ld = meta::json_ld(&walked.meta);
    let source = meta::source(&walked.meta, &ld);
    let named = meta::title(&walked.meta, &ld, None, source.as_deref());
    let region = region::find(&walked, named.as_deref());
    let kept: std::collections::HashSet<usize> = region.kept.iter().copied().collect();
    Ok((0..walked.blocks.len())
        .map(|b| {
            let why = if region.headline == Some(b) {
                "headline"
            } else if kept.contains(&b) {
                "kept"
            } else {
                region::why_left_out(&walked, &region, b)
            };
            (walked.blocks[b].text.clone(), why)
        })
        .collect())
}

fn walk_text(text: &str) -> walk::Walked {
    let dom = scraper::Html::parse_document(&strip::strip(&depth::bounded(text)));
    walk::walk(&dom)
}

/// [`read`], for a page already decoded.
pub fn read_text(text: &str) -> Page {
    let walked = walk_text(text);
    let ld = meta::json_ld(&walked.meta);
    let source = meta::source(&walked.meta, &ld);
    let named = meta::title(&walked.meta, &ld, None, source.as_deref());
    let region = region::find(&walked, named.as_deref());
    let headline = region.headline.map(|h| walked.blocks[h].text.clone());
    let title = match (named, headline.as_deref()) {
        (Some(named), Some(shown)) => Some(meta::visible_title(named, shown, source.as_deref())),
        (named, shown) => named.or_else(|| meta::title(&walked.meta, &ld, shown, None)),
    };
    let visible = || {
        let lines: Vec<&str> = walked.blocks.iter().map(|b| b.text.as_str()).collect();
        crate::clean::visible_date(&lines, region.headline, region.kept.first().copied())
    };
    let facts = PageFacts {
        title,
        date: meta::date(&walked.meta, &ld, region.span, visible),
        source,
    };
    let blocks = region
        .kept
        .iter()
        .map(|&b| walked.blocks[b].text.clone())
        .collect();
    Page {
        facts,
        headline,
        blocks,
    }
}

impl Page {
    /// The page as lines for the line cleaner: the headline first, then one block a line, with
    /// blank lines between (paragraph boundaries are the blocks').
    pub fn text(&self) -> String {
        let mut out = String::new();
        let first = self.headline.as_ref().or(self.facts.title.as_ref());
        for line in first.into_iter().chain(&self.blocks) {
            // A block is one line: line breaks inside it were spaces already.
            out.push_str(line);
            out.push_str("\n\n");
        }
        out
    }
}

impl PageFacts {
    /// Puts what the markup says over what the line cleaner read from `text` (the page's
    /// [`Page::text`]): the title, date and source; and if the cleaner took another line than
    /// the first (the headline) as its title, that line goes back among the paragraphs.
    pub fn apply(&self, text: &str, cleaned: &mut CleanedArticle) {
        let first = text.lines().find(|l| !l.trim().is_empty()).map(str::trim);
        if let (Some(_), Some(first)) = (&self.title, first) {
            restore_other_title(text, cleaned);
            if cleaned.paragraphs.first().map(String::as_str) == Some(first) {
                cleaned.paragraphs.remove(0);
            }
        }
        for (mine, theirs) in [
            (&self.title, &mut cleaned.title),
            (&self.date, &mut cleaned.date),
            (&self.source, &mut cleaned.source),
        ] {
            if mine.is_some() {
                theirs.clone_from(mine);
            }
        }
    }
}

/// A line the cleaner dropped as the title, other than the page's first: back into the
/// paragraphs, where it stood.
fn restore_other_title(text: &str, cleaned: &mut CleanedArticle) {
    let first_line = text
        .lines()
        .position(|l| !l.trim().is_empty())
        .map_or(1, |i| i + 1);
    let Some(at) = cleaned
        .dropped
        .iter()
        .position(|d| d.reason == crate::clean::Reason::Title && d.line != first_line)
    else {
        return;
    };
    let line = cleaned.dropped.remove(at);
    let dropped: std::collections::HashSet<usize> =
        cleaned.dropped.iter().map(|d| d.line).collect();
    let before = text
        .lines()
        .enumerate()
        .take(line.line.saturating_sub(1))
        .filter(|(i, l)| !l.trim().is_empty() && !dropped.contains(&(i + 1)))
        .count();
    let at = before.min(cleaned.paragraphs.len());
    cleaned.paragraphs.insert(at, line.text);
}

/// Whether a file is a saved page, by its extension.
pub fn is_page(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

#[cfg(test)]
mod tests;
