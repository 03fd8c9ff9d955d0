//! What an element's tag, role and class/id words say about it: page chrome (menus, sidebars,
//! comments, share bars, newsletter and cookie boxes), article content, or nothing. Kinds of
//! words that page templates use everywhere, never one site's own names.

/// What an element is, by its tag alone, for the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TagKind {
    /// Its text is never article text, and neither is anything inside it (scripts, forms…).
    Skip,
    /// Starts and ends a block of text.
    Block,
    /// A line break inside a block.
    Break,
    /// Text that flows inside a block.
    Inline,
}

pub(super) fn tag_kind(tag: &str) -> TagKind {
    match tag {
        "script" | "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "object"
        | "embed" | "canvas" | "select" | "textarea" | "button" | "title" | "video" | "audio"
        | "map" | "input" | "option" | "datalist" => TagKind::Skip,
        "br" | "hr" => TagKind::Break,
        "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "header" | "footer"
        | "nav" | "aside" | "section" | "article" | "td" | "th" | "figcaption" | "blockquote"
        | "dt" | "dd" | "pre" | "ul" | "ol" | "dl" | "table" | "tr" | "thead" | "tbody"
        | "tfoot" | "main" | "figure" | "form" | "address" | "fieldset" | "body" | "html"
        | "caption" | "details" | "summary" | "center" | "dialog" | "legend" | "menu" => {
            TagKind::Block
        }
        _ => TagKind::Inline,
    }
}

/// The heading level of `h1`…`h6`.
pub(super) fn heading_level(tag: &str) -> Option<u8> {
    match tag {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Tags whose whole content is page chrome on a news page.
fn chrome_tag(tag: &str) -> bool {
    matches!(
        tag,
        "nav" | "aside" | "footer" | "form" | "figure" | "figcaption" | "menu" | "dialog"
    )
}

/// ARIA roles of page chrome.
fn chrome_role(role: &str) -> bool {
    matches!(
        role,
        "navigation"
            | "banner"
            | "contentinfo"
            | "complementary"
            | "search"
            | "dialog"
            | "alertdialog"
            | "menu"
            | "menubar"
            | "toolbar"
    )
}

/// Class and id words of page chrome, whole words.
const CHROME_WORDS: &[&str] = &[
    "nav",
    "menu",
    "menus",
    "footer",
    "sidebar",
    "aside",
    "widget",
    "widgets",
    "ads",
    "pub",
    "banner",
    "tags",
    "keywords",
    "toolbar",
    "pagination",
    "pager",
    "skip",
    "rating",
    "poll",
    "popular",
    "outbrain",
    "taboola",
    "masthead",
    "caption",
    "legend",
    "legende",
    "credit",
    "credits",
    "login",
    "signin",
    "signup",
    "register",
    "modal",
    "overlay",
    "print",
    "breadcrumb",
    "breadcrumbs",
    "ariane",
    "bandeau",
];

/// Beginnings of class and id words of page chrome ("comments", "sharebar", "newsletter-box").
const CHROME_PREFIXES: &[&str] = &[
    "comment",
    "share",
    "sharing",
    "social",
    "related",
    "recommend",
    "newsletter",
    "cookie",
    "consent",
    "gdpr",
    "rgpd",
    "breadcrumb",
    "sidebar",
    "subscri",
    "abonn",
    "promo",
    "sponsor",
    "advert",
    "popup",
    "navbar",
    "navigation",
    "footer",
    "disqus",
    "paywall",
    "teaser",
    "most-read",
    "partage",
    "reseaux",
];

/// Beginnings of class and id words of a readers' thread: chrome even beside a content word
/// ("comment-content", "story-comments"), since a thread's item is built like an article's
/// body (text, author, date) and would otherwise win the page.
const THREAD_PREFIXES: &[&str] = &["comment", "reaction", "disqus", "respond", "replies"];

/// Class and id words of article content.
const CONTENT_WORDS: &[&str] = &[
    "article",
    "content",
    "body",
    "story",
    "post",
    "entry",
    "text",
    "main",
    "texte",
    "corps",
    "chapo",
    "chapeau",
    "articlebody",
    "paragraph",
    "contenu",
    "page",
];

/// Longer than every word of the lists above: a longer class word is compared by its start.
const WORD_BYTES: usize = 32;

/// Splits class and id values into lowercase words at every non-alphanumeric character:
/// "article-body sideBar" → article, body, sidebar (camelCase stays one word). Each is handed
/// to `f` lowercased in a buffer (at most [`WORD_BYTES`] of it), with whether it was longer:
/// the elements of a page are many, their allocations were a tenth of the reading.
fn for_each_word(value: &str, mut f: impl FnMut(&str, bool)) {
    let mut buf = [0u8; WORD_BYTES];
    for w in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        let n = w.len().min(WORD_BYTES);
        buf[..n].copy_from_slice(&w.as_bytes()[..n]);
        buf[..n].make_ascii_lowercase();
        // ASCII alphanumerics only: any prefix is UTF-8.
        if let Ok(lower) = std::str::from_utf8(&buf[..n]) {
            f(lower, w.len() > WORD_BYTES);
        }
    }
}

/// What one element's own attributes say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Evidence {
    /// Tag, role or a class/id word of page chrome.
    pub chrome: bool,
    /// A class/id word, tag or microdata property of article content.
    pub content: bool,
    /// Hidden from readers (`hidden`, `aria-hidden`, `display: none`).
    pub hidden: bool,
}

/// Reads the evidence of an element from its tag and attribute lookup.
pub(super) fn evidence<'a>(tag: &str, attr: impl Fn(&str) -> Option<&'a str>) -> Evidence {
    let mut e = Evidence {
        chrome: chrome_tag(tag) || attr("role").is_some_and(chrome_role),
        content: matches!(tag, "article" | "main")
            || attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("articleBody")),
        hidden: attr("hidden").is_some()
            || attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || attr("style").is_some_and(hides),
    };
    let mut chrome_words = false;
    let mut thread = false;
    for value in [attr("class"), attr("id")].into_iter().flatten() {
        for_each_word(value, |w, cut| {
            thread |= THREAD_PREFIXES.iter().any(|p| w.starts_with(p)) || (!cut && w == "reply");
            if (!cut && CHROME_WORDS.contains(&w))
                || CHROME_PREFIXES.iter().any(|p| w.starts_with(p))
            {
                chrome_words = true;
            } else if !cut && CONTENT_WORDS.contains(&w) {
                e.content = true;
            }
        });
    }
    // As Readability: a content word beside chrome words ("post tag-jobs", "article-sidebar")
    // leaves the element a candidate.
    // A page-wide class on the root ("single comments-open") says nothing of one part of it.
    if matches!(tag, "body" | "html") {
        return e;
    }
    e.chrome |= chrome_words && !e.content;
    if thread {
        e.chrome = true;
        e.content = false;
    }
    e
}

/// `style="display: none"` or `visibility: hidden`.
fn hides(style: &str) -> bool {
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(tag: &str, attrs: &[(&'static str, &'static str)]) -> Evidence {
        evidence(tag, |name| {
            attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
        })
    }

    #[test]
    fn chrome_and_content_words() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], bool, bool);
        let table: &[Row] = &[
            ("div", &[("class", "article-body")], false, true),
            ("div", &[("class", "comments-list")], true, false),
            ("div", &[("id", "newsletterBox")], true, false),
            ("div", &[("class", "share-bar top")], true, false),
            ("nav", &[], true, false),
            ("div", &[("role", "navigation")], true, false),
            ("div", &[("class", "headline")], false, false),
            ("div", &[("class", "read-more-related")], true, false),
            ("article", &[], false, true),
            ("div", &[("itemprop", "articleBody")], false, true),
            ("div", &[("class", "adresse")], false, false),
            (
                "article",
                &[("class", "post tag-jobs category-news")],
                false,
                true,
            ),
            ("div", &[("class", "article-sidebar")], false, true),
            ("div", &[("class", "ad-portal")], false, false),
            // A readers' thread, even with a content word beside it.
            ("div", &[("class", "reader-comment-body")], true, false),
            ("section", &[("id", "article-reactions")], true, false),
            ("article", &[("class", "post-reply")], true, false),
            ("div", &[("class", "replay-video")], false, false),
            ("body", &[("class", "single comments-open")], false, false),
            // Longer than the word buffer: compared by its start.
            (
                "div",
                &[("class", "newsletterSubscriptionContainerWrapper")],
                true,
                false,
            ),
            (
                "div",
                &[("id", "ArticleBodyContainerWrapperOuterBox")],
                false,
                false,
            ),
        ];
        for (tag, attrs, chrome, content) in table {
            let e = of(tag, attrs);
            assert_eq!(
                (e.chrome, e.content),
                (*chrome, *content),
                "{tag} {attrs:?}"
            );
        }
    }

    #[test]
    fn listed_words_fit_the_word_buffer() {
        for w in CHROME_WORDS
            .iter()
            .chain(CHROME_PREFIXES)
            .chain(THREAD_PREFIXES)
            .chain(CONTENT_WORDS)
        {
            assert!(
                w.len() < WORD_BYTES && !w.bytes().any(|b| b.is_ascii_uppercase()),
                "{w}"
            );
        }
    }

    #[test]
    fn hidden_elements() {
        assert!(of("div", &[("style", "color: red; display : none")]).hidden);
        assert!(of("div", &[("aria-hidden", "true")]).hidden);
        assert!(of("div", &[("hidden", "")]).hidden);
        assert!(!of("div", &[("style", "display: block")]).hidden);
    }
}
