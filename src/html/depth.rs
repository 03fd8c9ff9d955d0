//! A bound on nesting before the parser sees the page. html5ever checks the stack of open
//! elements at each start tag (is a `<p>` open in button scope?), so 100,000 nested `<div>`s
//! cost it 100,000² steps. A scan of the tags counts the nesting; only a page nested deeper
//! than [`MAX_NESTING`] is rewritten, without its start tags past that depth and as many end
//! tags, its text kept.

/// Deeper than any real page (news pages nest some 30 to 60 elements).
pub(super) const MAX_NESTING: usize = 1_000;

use memchr::memmem;

/// Elements whose end tag is optional or that have none: they do not count as nesting.
const NOT_NESTING: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"source",
    b"track",
    b"wbr",
    b"param",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"colgroup",
    b"thead",
    b"tbody",
    b"tfoot",
    b"rb",
    b"rt",
    b"rp",
];

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
];

/// The page, with nesting past [`MAX_NESTING`] removed; borrowed when it is within.
pub(super) fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    if scan(text.as_bytes(), None) <= MAX_NESTING {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len());
    scan(text.as_bytes(), Some(&mut out));
    // Only whole tags were removed, at ASCII `<` and `>`: the rest is the page's UTF-8.
    std::borrow::Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// Walks the tags: returns the deepest nesting seen, and with `out`, copies the page without
/// the tags past the bound.
fn scan(bytes: &[u8], mut out: Option<&mut Vec<u8>>) -> usize {
    let (mut depth, mut deepest, mut excess, mut copied) = (0usize, 0usize, 0usize, 0usize);
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + at;
        let Some(tag) = Tag::at(bytes, start) else {
            i = start + 1;
            continue;
        };
        let mut drop_tag = false;
        if tag.end_tag {
            if excess > 0 && tag.nests() {
                excess -= 1;
                drop_tag = true;
            } else if tag.nests() {
                depth = depth.saturating_sub(1);
            }
        } else if tag.nests() && !tag.self_closing {
            if depth >= MAX_NESTING {
                excess += 1;
                drop_tag = true;
            } else {
                depth += 1;
            }
        }
        deepest = deepest.max(depth + excess);
        if let Some(out) = out.as_deref_mut() {
            if drop_tag {
                out.extend_from_slice(&bytes[copied..start]);
                copied = tag.end;
            }
        }
        i = if !tag.end_tag && tag.is_any_of(RAW_TEXT) {
            raw_text_end(bytes, tag.end, tag.name)
        } else {
            tag.end
        };
    }
    if let Some(out) = out {
        out.extend_from_slice(&bytes[copied..]);
    }
    deepest
}

struct Tag<'a> {
    /// As written (HTML tag names are ASCII case-insensitive).
    name: &'a [u8],
    end_tag: bool,
    self_closing: bool,
    /// Just past its `>`.
    end: usize,
}

impl<'a> Tag<'a> {
    /// The tag that starts at `bytes[start] == b'<'`, if one does (comments are skipped as
    /// tags that do not nest).
    fn at(bytes: &'a [u8], start: usize) -> Option<Tag<'a>> {
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            let close = memmem::find(&rest[3..], b"-->").map_or(bytes.len(), |e| start + 4 + e + 3);
            return Some(Tag {
                name: &[],
                end_tag: false,
                self_closing: true,
                end: close,
            });
        }
        let end_tag = rest.first() == Some(&b'/');
        let name_start = usize::from(end_tag);
        let name_len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !rest[name_start].is_ascii_alphabetic() {
            return None;
        }
        let close = memchr::memchr(b'>', rest)?;
        Some(Tag {
            name: &rest[name_start..name_start + name_len],
            end_tag,
            self_closing: close > 0 && rest[close - 1] == b'/',
            end: start + 1 + close + 1,
        })
    }

    fn nests(&self) -> bool {
        !self.name.is_empty() && !self.is_any_of(NOT_NESTING)
    }

    fn is_any_of(&self, names: &[&[u8]]) -> bool {
        names.iter().any(|n| n.eq_ignore_ascii_case(self.name))
    }
}

/// Where the raw text that starts at `from` ends: at its `</name`, or at the end of the page.
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(at) = memmem::find(&bytes[i..], b"</") {
        let at = i + at;
        let candidate = bytes.get(at + 2..at + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name)) {
            return at;
        }
        i = at + 2;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counted() {
        let table: &[(&str, usize)] = &[
            ("<div><div><p>a<p>b</div></div>", 2),
            ("<div><br><img src=x><hr/><span>a</span></div>", 2),
            (
                "<script>if (a < b) { x = '<div><div>'; }</script><div></div>",
                1,
            ),
            ("<!-- <div><div><div> --><div>", 1),
            ("a < b and c <3 d", 0),
            ("<div", 0),
        ];
        for (html, expected) in table {
            assert_eq!(scan(html.as_bytes(), None), *expected, "{html}");
        }
    }

    #[test]
    fn deep_pages_are_cut_to_the_bound() {
        let n = MAX_NESTING + 500;
        let html = format!("{}<p>texte</p>{}", "<div>".repeat(n), "</div>".repeat(n));
        let bounded = bounded(&html);
        assert_eq!(scan(bounded.as_bytes(), None), MAX_NESTING);
        assert!(bounded.contains("<p>texte</p>"));
        assert_eq!(
            bounded.matches("<div>").count(),
            bounded.matches("</div>").count()
        );
        let shallow = "<div><p>texte</p></div>";
        assert!(matches!(
            super::bounded(shallow),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
