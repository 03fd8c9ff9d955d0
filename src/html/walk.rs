//! One walk over the parsed page, in document order, with an explicit stack: the text blocks
//! (paragraphs, headings, list items, cells) with their link text and the evidence of the
//! elements around them, the containers they sit in, and the page's own metadata tags.
//!
//! The walk is bounded: past [`MAX_DEPTH`] open elements, deeper ones count as inline text of
//! the block they are in; past [`MAX_BLOCKS`] blocks or [`MAX_CHARS`] characters of text, the
//! rest of the page is not read. No step recurses, so 100,000 nested elements cost only time.

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::{Html, Node};

use super::evidence::{evidence, heading_level, tag_kind, TagKind};

/// Deepest element whose evidence is read.
pub(super) const MAX_DEPTH: usize = 512;
/// Most text blocks read from one page.
pub(super) const MAX_BLOCKS: usize = 50_000;
/// Most characters of text read from one page.
pub(super) const MAX_CHARS: usize = 4_000_000;

/// A run of text that a block element starts and ends (or a line break splits).
#[derive(Debug, Clone, Default)]
pub(super) struct Block {
    /// Its text, white space collapsed.
    pub text: String,
    /// Characters of text.
    pub chars: usize,
    /// Characters inside links.
    pub link_chars: usize,
    /// Inside `h1`…`h6`: the level.
    pub heading: Option<u8>,
    /// Its element is a paragraph-like block (`p`, `li`, `td`…) rather than a container.
    pub paragraph: bool,
    /// The containers it gives its score to, nearest first (indices into `Walked::elements`).
    pub targets: [Option<usize>; 3],
    /// Depth of its deepest ancestor that is page chrome.
    pub chrome_depth: Option<usize>,
}

impl Block {
    /// Share of its text that is link text.
    pub fn link_density(&self) -> f32 {
        self.link_chars as f32 / self.chars.max(1) as f32
    }
}

/// A block element that holds text blocks.
#[derive(Debug, Clone)]
pub(super) struct Container {
    /// Its parent container.
    pub parent: Option<usize>,
    /// Open elements above it.
    pub depth: usize,
    /// The blocks inside it: `first..end`.
    pub first: usize,
    pub end: usize,
    /// What its tag and class/id words say: positive for content, negative for chrome.
    pub weight: f32,
}

/// What the page's head (and `<time>` elements) say of it.
#[derive(Debug, Clone, Default)]
pub(super) struct RawMeta {
    /// `<meta property|name|itemprop=K content=V>`, keys lowercase, in order.
    pub tags: Vec<(String, String)>,
    /// The first `<title>`.
    pub title: Option<String>,
    /// `<link rel=canonical href>`.
    pub canonical: Option<String>,
    /// The text of each `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
    /// `<time datetime>`: the value, whether it is `itemprop=datePublished`, and the number of
    /// blocks before it.
    pub times: Vec<(String, bool, usize)>,
}

/// The page as blocks, containers and metadata.
#[derive(Debug, Default)]
pub(super) struct Walked {
    pub blocks: Vec<Block>,
    pub containers: Vec<Container>,
    pub meta: RawMeta,
}

struct Frame {
    node: NodeId,
    /// The container it opened, for block elements.
    container: Option<usize>,
    chrome_depth: Option<usize>,
    link: bool,
    heading: Option<u8>,
    paragraph: bool,
}

/// The text block being filled.
#[derive(Default)]
struct Pending {
    text: String,
    chars: usize,
    link_chars: usize,
    space: bool,
}

/// Walks the parsed page.
pub(super) fn walk(html: &Html) -> Walked {
    let mut w = Walker::default();
    for edge in html.tree.root().traverse() {
        if w.out.blocks.len() >= MAX_BLOCKS || w.total_chars >= MAX_CHARS {
            break;
        }
        match edge {
            Edge::Open(node) => w.open(node),
            Edge::Close(node) => w.close(node.id()),
        }
    }
    w.flush();
    // A walk cut short leaves containers open: they hold every block read.
    let end = w.out.blocks.len();
    for &c in &w.open_containers {
        w.out.containers[c].end = end;
    }
    w.out
}

#[derive(Default)]
struct Walker {
    out: Walked,
    stack: Vec<Frame>,
    /// The containers open now, innermost last.
    open_containers: Vec<usize>,
    /// Inside an element whose content is not read: its node.
    skipping: Option<NodeId>,
    pending: Pending,
    total_chars: usize,
}

impl Walker {
    fn open(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        if self.skipping.is_some() {
            return;
        }
        match node.value() {
            Node::Text(text) => self.push_text(text),
            Node::Element(el) => {
                let tag = el.name();
                self.read_meta(node, el);
                let kind = tag_kind(tag);
                let ev = evidence(tag, |a| attr(el, a));
                if kind == TagKind::Skip || ev.hidden {
                    self.skipping = Some(node.id());
                    return;
                }
                if kind != TagKind::Inline {
                    self.flush();
                }
                if kind == TagKind::Break || self.stack.len() >= MAX_DEPTH {
                    return;
                }
                let parent = self.stack.last();
                let depth = self.stack.len();
                let chrome_depth = if ev.chrome {
                    Some(depth)
                } else {
                    parent.and_then(|p| p.chrome_depth)
                };
                let container = (kind == TagKind::Block).then(|| {
                    let weight = tag_weight(tag)
                        + if ev.content { 25.0 } else { 0.0 }
                        + if ev.chrome { -25.0 } else { 0.0 };
                    self.out.containers.push(Container {
                        parent: self.open_containers.last().copied(),
                        depth,
                        first: self.out.blocks.len(),
                        end: self.out.blocks.len(),
                        weight,
                    });
                    let index = self.out.containers.len() - 1;
                    self.open_containers.push(index);
                    index
                });
                self.stack.push(Frame {
                    node: node.id(),
                    container,
                    chrome_depth,
                    link: tag == "a" || parent.is_some_and(|p| p.link),
                    heading: heading_level(tag).or(parent.and_then(|p| p.heading)),
                    paragraph: container.is_some() && paragraph_like(tag)
                        || (container.is_none() && parent.is_some_and(|p| p.paragraph)),
                });
            }
            _ => {}
        }
    }

    fn close(&mut self, id: NodeId) {
        if let Some(skipped) = self.skipping {
            if skipped == id {
                self.skipping = None;
            }
            return;
        }
        if self.stack.last().is_none_or(|f| f.node != id) {
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if let Some(c) = frame.container {
            self.flush_with(&frame);
            self.out.containers[c].end = self.out.blocks.len();
            self.open_containers.pop();
        }
    }

    fn push_text(&mut self, text: &str) {
        let link = self.stack.last().is_some_and(|f| f.link);
        let p = &mut self.pending;
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                p.space = true;
                continue;
            }
            if p.space && !p.text.is_empty() {
                p.text.push(' ');
                p.chars += 1;
            }
            p.space = false;
            p.text.push(c);
            p.chars += 1;
            if link {
                p.link_chars += 1;
            }
        }
    }

    /// Ends the pending block inside the innermost open frame.
    fn flush(&mut self) {
        let Some(frame) = self.stack.last() else {
            self.pending = Pending::default();
            return;
        };
        let (chrome_depth, heading, paragraph) =
            (frame.chrome_depth, frame.heading, frame.paragraph);
        self.flush_block(chrome_depth, heading, paragraph);
    }

    /// Ends the pending block inside `frame`, which has just been popped.
    fn flush_with(&mut self, frame: &Frame) {
        self.flush_block(frame.chrome_depth, frame.heading, frame.paragraph);
    }

    fn flush_block(&mut self, chrome_depth: Option<usize>, heading: Option<u8>, paragraph: bool) {
        let p = std::mem::take(&mut self.pending);
        let text = p.text.trim();
        if text.is_empty() {
            return;
        }
        let n = self.open_containers.len();
        let at = |k: usize| n.checked_sub(k).map(|i| self.open_containers[i]);
        // A paragraph credits the containers above it; text sitting directly in a container
        // credits that container first.
        let skip = usize::from(paragraph);
        let targets = [at(1 + skip), at(2 + skip), at(3 + skip)];
        self.total_chars += p.chars;
        self.out.blocks.push(Block {
            text: text.to_string(),
            chars: p.chars,
            link_chars: p.link_chars,
            heading,
            paragraph,
            targets,
            chrome_depth,
        });
    }

    /// Metadata elements: `<meta>`, `<link rel=canonical>`, `<title>`, JSON-LD, `<time>`.
    fn read_meta(&mut self, node: ego_tree::NodeRef<'_, Node>, el: &scraper::node::Element) {
        let meta = &mut self.out.meta;
        match el.name() {
            "meta" => {
                let key = attr(el, "property")
                    .or_else(|| attr(el, "name"))
                    .or_else(|| attr(el, "itemprop"));
                // `value` for `content`: a mistake some templates make, read only without it.
                let content = attr(el, "content").or_else(|| attr(el, "value"));
                if let (Some(key), Some(content)) = (key, content) {
                    if meta.tags.len() < 1_000 {
                        meta.tags
                            .push((key.to_ascii_lowercase(), content.to_string()));
                    }
                }
            }
            "link"
                if meta.canonical.is_none()
                    && attr(el, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                meta.canonical = attr(el, "href").map(str::to_string);
            }
            "title" if meta.title.is_none() => meta.title = Some(text_of(node)),
            "script"
                if attr(el, "type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json"))
                    && meta.json_ld.len() < 20 =>
            {
                meta.json_ld.push(text_of(node));
            }
            "time" => {
                if let Some(datetime) = attr(el, "datetime") {
                    let published = attr(el, "itemprop")
                        .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"));
                    if meta.times.len() < 1_000 {
                        meta.times
                            .push((datetime.to_string(), published, self.out.blocks.len()));
                    }
                }
            }
            _ => {}
        }
    }
}

/// An attribute's value. `Element::attr` interns the name and binary-searches the attributes on
/// every call; an element has few attributes, and a look at each is cheaper (the same answer:
/// the tokenizer keeps the first of duplicates, and only foreign elements' attributes have a
/// namespace).
fn attr<'a>(el: &'a scraper::node::Element, name: &str) -> Option<&'a str> {
    el.attrs
        .iter()
        .find(|(q, _)| &*q.local == name && q.ns.is_empty())
        .map(|(_, v)| &**v)
}

/// The text directly inside an element (a `<title>` or a `<script>` holds only text).
fn text_of(node: ego_tree::NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    for child in node.children().take(1_000) {
        if let Node::Text(t) = child.value() {
            out.push_str(t);
        }
    }
    out
}

/// Elements that hold a paragraph of text rather than other blocks.
fn paragraph_like(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "td"
            | "th"
            | "dd"
            | "dt"
            | "figcaption"
            | "address"
            | "summary"
            | "caption"
            | "legend"
    )
}

/// Readability's prior on a container from its tag alone.
fn tag_weight(tag: &str) -> f32 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}
