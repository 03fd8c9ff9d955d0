//! The article's region of the page: the container that holds the most prose (Readability's
//! scoring: paragraphs of text with commas and few links credit their containers, which carry
//! a prior from their tag and class/id words), with its siblings of the same weight, less the
//! chrome nested inside it; then the headline, and the standfirst between it and the body.

use super::walk::{Block, Walked};

/// A paragraph shorter than this gives no evidence of where the article is.
const MIN_SCORED_CHARS: usize = 25;

/// The blocks that are the article, in page order, and the headline's block.
#[derive(Debug, Default)]
pub(super) struct Region {
    /// Indices into `Walked::blocks`, without the headline.
    pub kept: Vec<usize>,
    /// The headline's block.
    pub headline: Option<usize>,
    /// The blocks the region spans (`first..end`), headline and standfirst included.
    pub span: (usize, usize),
    /// The containers that hold the article (the top one and its siblings).
    pub roots: Vec<usize>,
    /// Per block: inside a box of links within those containers.
    pub boxed: Vec<bool>,
}

/// Why a block of the page is not among the article's, for `--explain`.
pub(super) fn why_left_out(w: &Walked, region: &Region, b: usize) -> &'static str {
    let block = &w.blocks[b];
    let root = region
        .roots
        .iter()
        .map(|&c| &w.containers[c])
        .find(|r| (r.first..r.end).contains(&b));
    match root {
        None if block.chrome_depth.is_some() => "outside the article's region, in page chrome",
        None => "outside the article's region",
        Some(_) if region.boxed[b] => "a box of links and their label inside the region",
        Some(r) if block.chrome_depth.is_some_and(|d| d > r.depth) => {
            "page chrome inside the region (tag, role or class/id words)"
        }
        Some(_) if region.headline.is_some_and(|h| b < h) => "above the headline",
        Some(_) if block.link_density() > 0.5 => "mostly link text",
        Some(_) => "not kept",
    }
}

/// Finds the article's region; `title` is what the page's metadata calls it, if anything.
pub(super) fn find(w: &Walked, title: Option<&str>) -> Region {
    let Some(top) = top_container(w) else {
        return whole_page(w, title);
    };
    let spans = with_siblings(w, top);
    let mut kept: Vec<usize> = Vec::new();
    for &c in &spans {
        let root = &w.containers[c];
        kept.extend((root.first..root.end).filter(|&b| {
            let block = &w.blocks[b];
            block.chrome_depth.is_none_or(|d| d <= root.depth) && block.link_density() <= 0.5
        }));
    }
    let boxed = link_boxes(w, &spans);
    kept.retain(|&b| !boxed[b]);
    kept.sort_unstable();
    kept.dedup();
    let first = kept.first().copied().unwrap_or(0);
    let end = kept.last().map_or(0, |&b| b + 1);
    let headline = headline(w, title, first, end);
    if let Some(h) = headline {
        if (first..end).contains(&h) {
            // Nothing of the article stands above its headline: kickers, breadcrumbs.
            kept.retain(|&b| b > h);
        } else if h < first {
            // Chrome words on the box that holds the headline too ("banner-headline") are
            // about the article's header, not about page chrome.
            let header_chrome = w.blocks[h].chrome_depth;
            let standfirst = (h + 1..first).filter(|&b| is_standfirst(&w.blocks[b], header_chrome));
            kept = standfirst.chain(kept).collect();
        }
    }
    let first = headline.map_or(first, |h| h.min(first));
    Region {
        kept,
        headline,
        span: (first, end.max(first)),
        roots: spans,
        boxed,
    }
}

/// A block that is at most a label: short, few links ("Lire aussi :", "À découvrir").
const LABEL_CHARS: usize = 60;

/// The blocks of the boxes of links inside the article's containers: a container (below its
/// root) whose blocks are links and at most short labels, mostly link text: a "read also"
/// box or a crosslinking list with its title. Its title would otherwise stay, and read as the
/// lead-in of the paragraph after it.
fn link_boxes(w: &Walked, roots: &[usize]) -> Vec<bool> {
    let n = w.blocks.len();
    // Prefix sums over the blocks: characters, link characters, links, labels.
    let mut sums = vec![[0usize; 4]; n + 1];
    for (i, b) in w.blocks.iter().enumerate() {
        let link = b.link_density() > 0.5;
        let label = !link && b.chars <= LABEL_CHARS;
        let row = [b.chars, b.link_chars, usize::from(link), usize::from(label)];
        for k in 0..4 {
            sums[i + 1][k] = sums[i][k] + row[k];
        }
    }
    let mut boxed = vec![false; n];
    for &r in roots {
        let root = &w.containers[r];
        for c in &w.containers[r + 1..] {
            if c.first >= root.end {
                break;
            }
            let total = |k: usize| sums[c.end][k] - sums[c.first][k];
            let blocks = c.end - c.first;
            let is_box = c.depth > root.depth
                && blocks >= 2
                && total(2) >= 1
                && total(2) + total(3) == blocks
                && total(1) * 2 >= total(0);
            if is_box {
                boxed[c.first..c.end].iter_mut().for_each(|b| *b = true);
            }
        }
    }
    boxed
}

/// The container with the best score, corrected for its share of link text.
fn top_container(w: &Walked) -> Option<usize> {
    let mut scores = credit(w, false);
    if scores.iter().all(Option::is_none) {
        scores = credit(w, true);
    }
    let mut chars = vec![0usize; w.blocks.len() + 1];
    let mut links = vec![0usize; w.blocks.len() + 1];
    for (i, b) in w.blocks.iter().enumerate() {
        chars[i + 1] = chars[i] + b.chars;
        links[i + 1] = links[i] + b.link_chars;
    }
    let mut ranked: Vec<(usize, f32)> = scores
        .iter()
        .enumerate()
        .filter_map(|(c, score)| {
            let container = &w.containers[c];
            let text = chars[container.end] - chars[container.first];
            let link = links[container.end] - links[container.first];
            score.map(|s| (c, s * (1.0 - link as f32 / text.max(1) as f32)))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let &(top, top_score) = ranked.first()?;
    Some(common_ancestor(
        w,
        top,
        top_score,
        &ranked[1..ranked.len().min(5)],
    ))
}

/// As Readability: when other containers score near the top one (an article split into
/// sections between ads), the nearest ancestor of the top one that holds three of them.
fn common_ancestor(w: &Walked, top: usize, top_score: f32, others: &[(usize, f32)]) -> usize {
    let near: Vec<usize> = others
        .iter()
        .filter(|(_, s)| *s >= top_score * 0.75)
        .map(|&(c, _)| c)
        .collect();
    if near.len() < 2 {
        return top;
    }
    let holds = |a: usize, c: usize| {
        let (a, c) = (&w.containers[a], &w.containers[c]);
        a.first <= c.first && c.end <= a.end && a.depth < c.depth
    };
    let mut at = top;
    // Up the parents, at most as many steps as the tree is deep.
    for _ in 0..super::walk::MAX_DEPTH {
        let Some(parent) = w.containers[at].parent else {
            break;
        };
        if w.containers[parent].depth <= 2 {
            break; // <html> and <body> hold everything: no evidence.
        }
        at = parent;
        if near.iter().filter(|&&c| holds(at, c)).count() >= 2 {
            return at;
        }
    }
    top
}

/// Each container's score: its prior plus the credit of the paragraphs under it (`None` for
/// containers no paragraph credits). Paragraphs inside chrome count only when `chrome_too`.
fn credit(w: &Walked, chrome_too: bool) -> Vec<Option<f32>> {
    const SHARE: [f32; 3] = [1.0, 0.5, 1.0 / 6.0];
    let mut scores: Vec<Option<f32>> = vec![None; w.containers.len()];
    for b in &w.blocks {
        if b.chars < MIN_SCORED_CHARS
            || b.heading.is_some()
            || b.link_density() >= 0.5
            || (b.chrome_depth.is_some() && !chrome_too)
        {
            continue;
        }
        let commas = b.text.matches([',', '،', '、']).count();
        let s = 1.0 + commas as f32 + (b.chars as f32 / 100.0).min(3.0);
        for (k, t) in b.targets.iter().enumerate() {
            if let Some(t) = *t {
                let entry = scores[t].get_or_insert(w.containers[t].weight);
                *entry += s * SHARE[k];
            }
        }
    }
    scores
}

/// The top container and its siblings that score near it (an article split by an ad, a
/// standfirst in its own block beside the body).
fn with_siblings(w: &Walked, top: usize) -> Vec<usize> {
    let Some(parent) = w.containers[top].parent else {
        return vec![top];
    };
    let scores = credit(w, false);
    let top_score = scores[top].unwrap_or(0.0);
    let threshold = (top_score * 0.2).max(10.0);
    let mut out = vec![top];
    let end = w.containers[parent].end;
    // Containers are stored in document order: the parent's children lie after it.
    for (c, container) in w.containers.iter().enumerate().skip(parent + 1) {
        if container.first >= end {
            break;
        }
        if c == top || container.parent != Some(parent) || container.first == container.end {
            continue;
        }
        let scored = scores[c].is_some_and(|s| s >= threshold);
        // A lone paragraph beside the body: long prose with few links.
        let paragraph = container.end - container.first == 1 && {
            let b = &w.blocks[container.first];
            b.paragraph && b.chrome_depth.is_none() && b.chars > 80 && b.link_density() < 0.25
        };
        if scored || paragraph {
            out.push(c);
        }
    }
    out
}

/// A page with no paragraph of prose: its blocks outside chrome, few links.
fn whole_page(w: &Walked, title: Option<&str>) -> Region {
    let kept: Vec<usize> = (0..w.blocks.len())
        .filter(|&b| w.blocks[b].chrome_depth.is_none() && w.blocks[b].link_density() <= 0.5)
        .collect();
    let headline = headline(w, title, 0, w.blocks.len());
    Region {
        kept: kept.into_iter().filter(|&b| Some(b) != headline).collect(),
        headline,
        span: (0, w.blocks.len()),
        roots: Vec::new(),
        boxed: vec![false; w.blocks.len()],
    }
}

/// The headline's block: a heading that says what the metadata title says, nearest the body;
/// else the last `h1` before the body, else the first inside it.
fn headline(w: &Walked, title: Option<&str>, first: usize, end: usize) -> Option<usize> {
    let is_heading = |b: &Block, max: u8| b.heading.is_some_and(|l| l <= max);
    if let Some(title) = title.map(squash).filter(|t| !t.is_empty()) {
        let matching = |i: &usize| {
            let b = &w.blocks[*i];
            is_heading(b, 3) && b.link_density() < 0.5 && same_title(&squash(&b.text), &title)
        };
        let before = (0..first.min(w.blocks.len())).rev().find(matching);
        let inside = (first..end.min(w.blocks.len())).find(matching);
        if let Some(h) = inside.or(before) {
            return Some(h);
        }
    }
    let h1 = |i: &usize| {
        let b = &w.blocks[*i];
        is_heading(b, 1) && b.chrome_depth.is_none() && b.link_density() < 0.5
    };
    (first..end.min(w.blocks.len()))
        .find(h1)
        .or_else(|| (0..first.min(w.blocks.len())).rev().find(h1))
}

/// Whether a heading and a metadata title name the same article: equal, or one holds the
/// other and most of it (a title with the site's name, a heading with a kicker).
pub(super) fn same_title(heading: &str, title: &str) -> bool {
    let (short, long) = if heading.len() <= title.len() {
        (heading, title)
    } else {
        (title, heading)
    };
    !short.is_empty() && long.contains(short) && short.len() * 10 >= long.len() * 6
}

/// Letters and digits only, lowercase: titles compared across markup and typography.
pub(super) fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A standfirst between the headline and the body: a sentence or more of prose, few links
/// (often marked up as a subheading).
fn is_standfirst(b: &Block, header_chrome: Option<usize>) -> bool {
    (b.chrome_depth.is_none() || b.chrome_depth == header_chrome)
        && b.heading.is_none_or(|level| level >= 2)
        && b.chars >= 60
        && b.link_density() < 0.25
        && b.text.trim_end().ends_with(['.', '!', '?', '…', '»'])
}
