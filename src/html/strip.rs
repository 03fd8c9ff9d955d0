//! The content of elements the walk never reads, removed before parsing: scripts (but JSON-LD),
//! styles, `noscript`, `textarea`, `iframe`, and inline SVG drawings. They are a third to a half
//! of a news page's bytes, and a quarter of html5ever's work.
//!
//! The parse must not change anywhere else, so this reads the page as the HTML tokenizer does
//! (tags and their quoted attributes, comments, raw-text elements) and stops removing at the
//! first thing whose reading depends on more than that: a script that holds `<!--`, `<math>`,
//! `<select>`, `<frameset>`, `<plaintext>`, an SVG that holds HTML or anything but its own
//! balanced elements. The rest of the page is then copied as it is. Removing text inside such
//! an element changes only that text: the tree builder's state after its end tag is the same.

use std::borrow::Cow;

use memchr::{memchr, memmem};

/// The page without the content of the elements it can remove; borrowed when there are none.
pub(super) fn strip(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(at) = memchr(b'<', &bytes[i..]) {
        let lt = i + at;
        let Some(next) = markup(bytes, lt) else {
            break;
        };
        i = match next {
            Markup::Text => lt + 1,
            Markup::Skip(end) => end,
            Markup::Start(tag) => match raw_text(bytes, &tag) {
                Some(Content::Unread(end)) => {
                    cuts.push((tag.end, end));
                    end
                }
                Some(Content::Kept(end)) => end,
                Some(Content::Markup) => tag.end,
                None => break,
            },
        };
    }
    if cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (start, end) in cuts {
        // Cuts are at ASCII `>` and `<`: character boundaries.
        out.push_str(&text[from..start]);
        from = end;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out)
}

/// What a `<` starts, read as the tokenizer's data state reads it.
enum Markup {
    /// A `<` that is text.
    Text,
    /// A comment, doctype, end tag or the like, ending before the index.
    Skip(usize),
    /// A start tag.
    Start(Tag),
}

struct Tag {
    name: Name,
    self_closing: bool,
    /// Where the tag starts (its `<`) and just past its `>`.
    start: usize,
    end: usize,
}

/// A tag's name, lowercase (ASCII), if it is no longer than every name compared here; longer
/// names are `None` (they match none of those, and end tags are not compared by them).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Name(Option<([u8; NAME_BYTES], usize)>);

const NAME_BYTES: usize = 32;

impl Name {
    fn of(raw: &[u8]) -> Name {
        if raw.len() > NAME_BYTES {
            return Name(None);
        }
        let mut buf = [0u8; NAME_BYTES];
        buf[..raw.len()].copy_from_slice(raw);
        buf.make_ascii_lowercase();
        Name(Some((buf, raw.len())))
    }

    /// The name; empty for a long one.
    fn as_slice(&self) -> &[u8] {
        self.0.as_ref().map_or(&[], |(buf, len)| &buf[..*len])
    }

    fn is_long(&self) -> bool {
        self.0.is_none()
    }
}

/// The markup at `bytes[lt] == b'<'`; `None` where the page ends inside it (nothing more is
/// removed).
fn markup(bytes: &[u8], lt: usize) -> Option<Markup> {
    let rest = &bytes[lt + 1..];
    match rest.first() {
        Some(b'!') if rest[1..].starts_with(b"--") => comment_end(bytes, lt + 4).map(Markup::Skip),
        // Doctype, CDATA outside foreign content, bogus comments: to the first `>`.
        Some(b'!' | b'?') => memchr(b'>', rest).map(|e| Markup::Skip(lt + 1 + e + 1)),
        Some(b'/') => match rest.get(1) {
            Some(c) if c.is_ascii_alphabetic() => {
                tag(bytes, lt + 2, lt).map(|t| Markup::Skip(t.end))
            }
            Some(b'>') => Some(Markup::Skip(lt + 3)),
            Some(_) => memchr(b'>', rest).map(|e| Markup::Skip(lt + 1 + e + 1)),
            None => None,
        },
        Some(c) if c.is_ascii_alphabetic() => tag(bytes, lt + 1, lt).map(Markup::Start),
        Some(_) => Some(Markup::Text),
        None => None,
    }
}

/// Just past the end of the comment whose text starts at `from` (after `<!--`): `<!-->`,
/// `<!--->`, else the first `-->` or `--!>`.
fn comment_end(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    if rest.starts_with(b">") {
        return Some(from + 1);
    }
    if rest.starts_with(b"->") {
        return Some(from + 2);
    }
    let close = memmem::find(rest, b"-->").map(|e| e + 3);
    // Only before the first `-->` (a search to the page's end for each comment was most of
    // this scan's time).
    let bang = memmem::find(&rest[..close.unwrap_or(rest.len())], b"--!>").map(|e| e + 4);
    Some(from + bang.or(close)?)
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b' ' | b'\r')
}

/// The tag whose name starts at `from` (its `<` at `lt`): the name, then the attributes as the
/// tokenizer reads them (a quoted value may hold `>`).
fn tag(bytes: &[u8], from: usize, lt: usize) -> Option<Tag> {
    let name_len = bytes[from..]
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')?;
    let name = Name::of(&bytes[from..from + name_len]);
    let mut i = from + name_len;
    let mut self_closing = false;
    loop {
        // Before an attribute name.
        while is_space(*bytes.get(i)?) {
            i += 1;
        }
        match bytes[i] {
            b'>' => break,
            b'/' => {
                i += 1;
                if *bytes.get(i)? == b'>' {
                    self_closing = true;
                    break;
                }
                continue;
            }
            _ => {}
        }
        // The name (its first character may be `=`), then `=` and a value, or not.
        i += 1;
        while !matches!(
            *bytes.get(i)?,
            b'\t' | b'\n' | 0x0C | b' ' | b'\r' | b'/' | b'>' | b'='
        ) {
            i += 1;
        }
        while is_space(*bytes.get(i)?) {
            i += 1;
        }
        if bytes[i] != b'=' {
            continue;
        }
        i += 1;
        while is_space(*bytes.get(i)?) {
            i += 1;
        }
        match bytes[i] {
            q @ (b'"' | b'\'') => {
                i += 1 + memchr(q, bytes.get(i + 1..)?)? + 1;
            }
            b'>' => break,
            _ => {
                while !is_space(*bytes.get(i)?) && bytes[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
    Some(Tag {
        name,
        self_closing,
        start: lt,
        end: i + 1,
    })
}

/// What follows a start tag.
enum Content {
    /// Text that is never read, up to the index (where its end tag starts).
    Unread(usize),
    /// Raw text that is read (`<title>`, JSON-LD, `<xmp>`…), up to the index.
    Kept(usize),
    /// Markup, as after any other start tag.
    Markup,
}

/// What follows the start tag `tag`; `None` where the reading would depend on more than the
/// tokenizer (nothing more is removed).
fn raw_text(bytes: &[u8], tag: &Tag) -> Option<Content> {
    let name = tag.name.as_slice();
    match name {
        b"math" | b"select" | b"frameset" | b"plaintext" => None,
        b"svg" if tag.self_closing => Some(Content::Markup),
        b"svg" => svg_end(bytes, tag.end).map(Content::Unread),
        b"script" => {
            let end = raw_text_end(bytes, tag.end, name)?;
            // A script that holds `<!--` may not end at its first `</script>` (the tokenizer's
            // escaped states).
            if memmem::find(&bytes[tag.end..end], b"<!--").is_some() {
                return None;
            }
            // JSON-LD is read; a type attribute with a character reference is not read here.
            let attrs = &bytes[tag.start..tag.end];
            let json =
                attrs.contains(&b'&') || attrs.windows(4).any(|w| w.eq_ignore_ascii_case(b"json"));
            Some(if json {
                Content::Kept(end)
            } else {
                Content::Unread(end)
            })
        }
        b"style" | b"noscript" | b"textarea" | b"iframe" => {
            raw_text_end(bytes, tag.end, name).map(Content::Unread)
        }
        b"title" | b"xmp" | b"noembed" | b"noframes" => {
            raw_text_end(bytes, tag.end, name).map(Content::Kept)
        }
        _ => Some(Content::Markup),
    }
}

/// Where the raw text that starts at `from` ends: its `</name` followed by white space, `/`
/// or `>`.
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(at) = memmem::find(&bytes[i..], b"</") {
        let at = i + at;
        let after = at + 2 + name.len();
        let named = bytes
            .get(at + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name));
        if named
            && bytes
                .get(after)
                .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

/// HTML elements that break out of SVG, and SVG's own HTML integration points.
const NOT_IN_A_DRAWING: &[&[u8]] = &[
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strong",
    b"strike",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
    b"font",
    b"svg",
    b"math",
    b"foreignobject",
];

/// Where the content of the `<svg>` whose start tag ends at `from` ends (its `</svg>`), if it
/// is only a drawing: SVG elements, each closed by its own end tag or self-closing, text and
/// comments; `<title>` and `<desc>` (read as HTML) with text only.
fn svg_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut open: Vec<Name> = Vec::new();
    let mut i = from;
    while let Some(at) = memchr(b'<', &bytes[i..]) {
        let lt = i + at;
        let rest = &bytes[lt + 1..];
        let in_label = open
            .last()
            .is_some_and(|n| matches!(n.as_slice(), b"title" | b"desc"));
        if in_label && !rest.starts_with(b"/") && !rest.starts_with(b"!--") {
            return None;
        }
        match rest.first() {
            Some(b'!') if rest[1..].starts_with(b"--") => i = comment_end(bytes, lt + 4)?,
            Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => {
                let t = tag(bytes, lt + 2, lt)?;
                match open.pop() {
                    Some(name) if name == t.name && !name.is_long() => {}
                    None if t.name.as_slice() == b"svg" => return Some(lt),
                    _ => return None,
                }
                i = t.end;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let t = tag(bytes, lt + 1, lt)?;
                if t.name.is_long() || NOT_IN_A_DRAWING.contains(&t.name.as_slice()) {
                    return None;
                }
                if !t.self_closing {
                    open.push(t.name);
                }
                i = t.end;
            }
            // Comments, CDATA, stray `</`: read differently in foreign content.
            Some(b'!' | b'?' | b'/') | None => return None,
            Some(_) => i = lt + 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_removed() {
        let table: &[(&str, &str)] = &[
            ("<p>a<script>var x = '<p>';</script>b", "<p>a<script></script>b"),
            (
                "<script type='application/ld+json'>{}</script><style>p{}</style>",
                "<script type='application/ld+json'>{}</script><style></style>",
            ),
            ("<SCRIPT>x</SCRIPT >y", "<SCRIPT></SCRIPT >y"),
            ("<title>T</title><xmp><b></xmp>", "<title>T</title><xmp><b></xmp>"),
            // A quoted `>` does not end the tag; a comment is not markup.
            ("<a title='>'><!-- <script> -->x", "<a title='>'><!-- <script> -->x"),
            ("<!--><script>x</script>", "<!--><script></script>"),
            ("<textarea></textarea ><iframe>f</iframe>", "<textarea></textarea ><iframe></iframe>"),
            (
                "<svg viewBox='0 0 1 1'><g><path d='M0'/></g></svg>t",
                "<svg viewBox='0 0 1 1'></svg>t",
            ),
            ("<svg/><script>x</script>", "<svg/><script></script>"),
            (
                "<svg><!-- icons --><symbol id=s><title>Chercher</title><use href=#a /></symbol></svg>",
                "<svg></svg>",
            ),
        ];
        for (page, expected) in table {
            assert_eq!(strip(page), *expected, "{page}");
        }
    }

    #[test]
    fn where_removing_stops() {
        // Everything from the first of these on is read as it is.
        let table: &[&str] = &[
            "<script><!--<script></script>--></script><style>s</style>",
            "<svg><p>html</p></svg><style>s</style>",
            "<svg><g></svg><style>s</style>",
            "<svg><title><b>html</b></title></svg><style>s</style>",
            "<svg><![CDATA[x]]></svg><style>s</style>",
            "<math><mi>x</mi></math><style>s</style>",
            "<select><style>s</style></select>",
            "<plaintext><style>s</style>",
            "<script>never closed",
            "<a href='never closed><style>s</style>",
        ];
        for page in table {
            assert_eq!(strip(page), *page, "{page}");
        }
    }
}
