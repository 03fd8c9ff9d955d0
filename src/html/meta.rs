//! What a page says of itself: the title (`og:title`, JSON-LD `headline`, the headline block,
//! `<title>`, each without the site's name), the publication date (JSON-LD `datePublished`,
//! `article:published_time` and its kin, `<time datetime>`), and the source (`og:site_name`,
//! JSON-LD `publisher`, the canonical URL's host).

use serde_json::Value;

use super::region::{same_title, squash};
use super::walk::RawMeta;

/// JSON-LD scripts larger than this are not parsed.
const MAX_JSON_LD: usize = 1 << 20;

/// The fields of the page's JSON-LD objects that matter here.
#[derive(Debug, Default)]
pub(super) struct JsonLd {
    headline: Option<String>,
    published: Option<String>,
    publisher: Option<String>,
}

/// Reads the JSON-LD scripts: the first article-like object with each field wins.
pub(super) fn json_ld(meta: &RawMeta) -> JsonLd {
    let mut out = JsonLd::default();
    for script in &meta.json_ld {
        if script.len() > MAX_JSON_LD {
            continue;
        }
        let body = script
            .trim()
            .trim_start_matches("//")
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end()
            .trim_end_matches("]]>")
            .trim_end()
            .trim_end_matches("//");
        let Ok(value) = serde_json::from_str::<Value>(body) else {
            continue;
        };
        let mut objects: Vec<&Value> = vec![&value];
        // Arrays and `@graph`, one level down each: bounded, no recursion.
        for _ in 0..2 {
            let mut next = Vec::new();
            for v in &objects {
                match v {
                    Value::Array(items) => next.extend(items.iter().take(100)),
                    Value::Object(map) => {
                        next.push(*v);
                        if let Some(Value::Array(items)) = map.get("@graph") {
                            next.extend(items.iter().take(100));
                        }
                    }
                    _ => {}
                }
            }
            next.dedup_by(|a, b| std::ptr::eq(*a, *b));
            objects = next;
        }
        for v in objects {
            let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
            out.headline = out.headline.take().or_else(|| field("headline"));
            out.published = out.published.take().or_else(|| field("datePublished"));
            let publisher = v.get("publisher").map(|p| match p {
                Value::Array(items) => items.first().unwrap_or(p),
                _ => p,
            });
            let publisher = publisher.and_then(|p| match p {
                Value::String(s) => Some(s.clone()),
                other => other
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            });
            out.publisher = out.publisher.take().or(publisher);
        }
    }
    out
}

/// The first `<meta>` value among `keys`, in the order of `keys`.
fn tag<'a>(meta: &'a RawMeta, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| {
        meta.tags
            .iter()
            .find(|(key, v)| key == k && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    })
}

/// The outlet: `og:site_name`, JSON-LD publisher, application name, the canonical host.
pub(super) fn source(meta: &RawMeta, ld: &JsonLd) -> Option<String> {
    tag(meta, &["og:site_name"])
        .map(str::to_string)
        .or_else(|| ld.publisher.clone())
        .or_else(|| tag(meta, &["application-name"]).map(str::to_string))
        .or_else(|| {
            let url = meta
                .canonical
                .as_deref()
                .or_else(|| tag(meta, &["og:url"]))?;
            host(url).map(str::to_string)
        })
        .map(|s| collapse(&s))
        .filter(|s| !s.is_empty() && s.chars().count() <= 100)
}

/// `https://www.example.fr/a/b` → `example.fr`.
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (host.contains('.') && !host.is_empty()).then_some(host)
}

/// The publication date, `YYYY-MM-DD`: metadata first, then a `<time>` in `span` (blocks),
/// then what the page's visible lines say (`visible`), then any `<time>` marked as a
/// publication's (elsewhere, it is more often another article's: a sidebar's list).
pub(super) fn date(
    meta: &RawMeta,
    ld: &JsonLd,
    span: (usize, usize),
    visible: impl FnOnce() -> Option<String>,
) -> Option<String> {
    const KEYS: &[&str] = &[
        "article:published_time",
        "og:article:published_time",
        "datepublished",
        "publishdate",
        "pubdate",
        "date",
        "dc.date.issued",
        "dc.date",
        "dcterms.date",
        "sailthru.date",
        "parsely-pub-date",
    ];
    let from_time = |published: bool, anywhere: bool| {
        meta.times
            .iter()
            .filter(|(_, p, at)| *p == published && (anywhere || (span.0..=span.1).contains(at)))
            .find_map(|(v, _, _)| iso_date(v))
    };
    ld.published
        .as_deref()
        .and_then(iso_date)
        .or_else(|| KEYS.iter().find_map(|k| tag(meta, &[k]).and_then(iso_date)))
        .or_else(|| from_time(true, false))
        .or_else(|| from_time(false, false))
        .or_else(visible)
        .or_else(|| from_time(true, true))
}

/// The date at the start of an ISO 8601 value ("2015-05-04T13:36:31+02:00" → "2015-05-04").
fn iso_date(value: &str) -> Option<String> {
    let v = value.trim().as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = std::str::from_utf8(v.get(r)?).ok()?;
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let separators = v.get(4) == v.get(7) && matches!(v.get(4), Some(b'-' | b'/'));
    let plausible =
        (1900..=2200).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
    (separators && plausible).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The title: `og:title`, JSON-LD headline, the headline block or `<title>`, without the
/// site's name.
pub(super) fn title(
    meta: &RawMeta,
    ld: &JsonLd,
    headline: Option<&str>,
    site: Option<&str>,
) -> Option<String> {
    let site = site.map(squash).filter(|s| !s.is_empty());
    let named = tag(meta, &["og:title", "twitter:title"])
        .map(str::to_string)
        .or_else(|| ld.headline.clone())
        .or_else(|| headline.map(str::to_string));
    let title = match named {
        Some(t) => without_site(&collapse(&t), site.as_deref(), false),
        None => without_site(&collapse(meta.title.as_deref()?), site.as_deref(), true),
    };
    Some(title).filter(|t| !t.is_empty())
}

/// The title when the page shows a headline and its metadata names one: the headline as the
/// reader sees it, unless it is not one (a site's name, a label, a paragraph), or unless it
/// holds the metadata's title and more (a kicker before it). Metadata titles are written for
/// sharing: rewritten for social networks, with the site's or the author's name.
pub(super) fn visible_title(named: String, headline: &str, site: Option<&str>) -> String {
    let shown = trim_ornaments(&collapse(headline)).to_string();
    let (h, n) = (squash(&shown), squash(&named));
    let words = shown.split_whitespace().count();
    let is_site = site.is_some_and(|s| squash(s) == h);
    if h.is_empty() || is_site || !(3..=40).contains(&words) {
        return named;
    }
    if h.len() > n.len() && same_title(&h, &n) {
        return named;
    }
    shown
}

/// Without the marks some templates put before or after a title ("» Le titre", "Le titre |");
/// a closing guillemet at the end closes a quotation.
fn trim_ornaments(title: &str) -> &str {
    let mark = |c: char| c.is_whitespace() || matches!(c, '|' | '•' | '·' | '-' | '–' | '—');
    title
        .trim_start_matches(|c: char| mark(c) || matches!(c, '»' | '›' | '>'))
        .trim_end_matches(mark)
}

/// Separators between a title and the site's name in `<title>` and `og:title`; a bare bar
/// last, as some templates join them.
const SEPARATORS: [&str; 7] = [" | ", " - ", " – ", " — ", " · ", " :: ", "|"];

/// Removes the parts of a title that name the site. From `<title>` (`loose`), a title of
/// several parts keeps its longest when none names the site.
fn without_site(title: &str, site: Option<&str>, loose: bool) -> String {
    let title = trim_ornaments(title);
    let Some(sep) = SEPARATORS.iter().find(|s| title.contains(**s)) else {
        return title.to_string();
    };
    let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
    // A short part that holds the site's name or is held by it ("Libération" and
    // "Libération.fr").
    let names_site = |p: &&str| {
        let part = squash(p);
        site.is_some_and(|s| {
            !part.is_empty()
                && (part.contains(s) || s.contains(&part))
                && p.split_whitespace().count() <= 5
        })
    };
    let mut rest: Vec<&str> = parts.iter().copied().filter(|p| !names_site(p)).collect();
    if rest.is_empty() {
        rest = parts;
    }
    if loose && rest.len() > 1 {
        // The longest part, when it reads as a headline (the others: section, site).
        if let Some(longest) = rest.iter().max_by_key(|p| p.split_whitespace().count()) {
            if longest.split_whitespace().count() >= 4 {
                return (*longest).to_string();
            }
        }
    }
    rest.join(sep)
}

/// White space collapsed to single spaces (no-break spaces are kept as they are).
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}') {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        let table = [
            ("2015-05-04T13:36:31+02:00", Some("2015-05-04")),
            (" 2017/11/24 ", Some("2017-11-24")),
            ("2015-13-04", None),
            ("04.05.2015", None),
            ("2015-05", None),
            ("", None),
        ];
        for (value, expected) in table {
            assert_eq!(iso_date(value).as_deref(), expected, "{value}");
        }
    }

    #[test]
    fn titles_lose_the_site_name() {
        let table = [
            (
                "Un séisme au Népal - Le Journal",
                Some("Le Journal"),
                false,
                "Un séisme au Népal",
            ),
            (
                "Le Journal | Un séisme au Népal",
                Some("lejournal"),
                false,
                "Un séisme au Népal",
            ),
            (
                "Politique : la loi passe",
                Some("Le Journal"),
                false,
                "Politique : la loi passe",
            ),
            (
                "La loi sur le renseignement adoptée - Pixels - LJ",
                None,
                true,
                "La loi sur le renseignement adoptée",
            ),
            ("Accueil - LJ", None, true, "Accueil - LJ"),
            (
                " » La pluie revient sur Dakar|Le Quotidien",
                Some("Le Quotidien"),
                false,
                "La pluie revient sur Dakar",
            ),
        ];
        for (title, site, loose, expected) in table {
            let site = site.map(squash);
            assert_eq!(
                without_site(title, site.as_deref(), loose),
                expected,
                "{title}"
            );
        }
    }

    #[test]
    fn the_headline_shown_or_the_metadata_title() {
        // (metadata title, headline block, site, title)
        let table = [
            // Rewritten for sharing: the headline the reader sees.
            (
                "Le coton, une récolte record ?",
                "La récolte de coton bat son record",
                None,
                "La récolte de coton bat son record",
            ),
            // The metadata's title with the author's name: the headline.
            (
                "La récolte de coton bat son record | Awa Traoré",
                "» La récolte de coton bat son record",
                None,
                "La récolte de coton bat son record",
            ),
            // A kicker before the headline: the metadata's title.
            (
                "La récolte de coton bat son record",
                "AGRICULTURE La récolte de coton bat son record",
                None,
                "La récolte de coton bat son record",
            ),
            // Not a headline: the site's name, a label.
            (
                "La récolte de coton bat son record",
                "Le Quotidien",
                Some("Le Quotidien"),
                "La récolte de coton bat son record",
            ),
            (
                "La récolte de coton bat son record",
                "Agriculture",
                None,
                "La récolte de coton bat son record",
            ),
            // A quotation closes the headline.
            (
                "Le ministre promet « une récolte record »",
                "Le ministre promet « une récolte record »",
                None,
                "Le ministre promet « une récolte record »",
            ),
        ];
        for (named, headline, site, expected) in table {
            assert_eq!(
                visible_title(named.to_string(), headline, site),
                expected,
                "{headline}"
            );
        }
    }

    #[test]
    fn json_ld_fields() {
        let meta = RawMeta {
            json_ld: vec![
                "not json".into(),
                r#"//<![CDATA[
                {"@graph": [{"@type": "WebSite", "name": "x"},
                 {"@type": "NewsArticle", "headline": "H", "datePublished": "2024-09-14T08:00:00Z",
                  "publisher": {"@type": "Organization", "name": "Le Journal"}}]}
                //]]>"#
                    .into(),
            ],
            ..RawMeta::default()
        };
        let ld = json_ld(&meta);
        assert_eq!(ld.headline.as_deref(), Some("H"));
        assert_eq!(
            date(&meta, &ld, (0, 0), || None).as_deref(),
            Some("2024-09-14")
        );
        assert_eq!(source(&meta, &ld).as_deref(), Some("Le Journal"));
    }

    #[test]
    fn source_from_the_canonical_host() {
        let meta = RawMeta {
            canonical: Some("https://www.journal.example.fr/politique/a.html".into()),
            ..RawMeta::default()
        };
        assert_eq!(
            source(&meta, &JsonLd::default()).as_deref(),
            Some("journal.example.fr")
        );
    }
}
