//! The page, in French, rendered on the server so that `/?q=…` works without JavaScript; the
//! script (`assets/app.js`) then searches as one types with the API and redraws the same
//! markup. Every piece of article text goes through [`escape`]; the style sheet and the script
//! are embedded in the binary, so nothing is asked of another host.

use std::collections::HashMap;
use std::fmt::Write;

use aes_search::clean::Reason;
use aes_search::{FacetCount, Hit, SearchOutcome};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::api::{find_article, run_search, SearchRequest};
use super::backend::Partial;
use super::Shared;

const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/app.css");
const SHELL: &str = include_str!("assets/index.html");

/// Hits on the page (the script asks for as many).
const PAGE_HITS: usize = 20;

/// `GET /assets/app.js`.
pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// `GET /assets/app.css`.
pub async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// `GET /`, with the results of `?q=…` when given.
pub async fn home(
    State(state): State<Shared>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let request = match SearchRequest::from_params(&params) {
        // As many as the script asks for, unless the address says.
        Ok(mut r) if !params.contains_key("limit") => {
            r.options.limit = PAGE_HITS;
            r
        }
        Ok(r) => r,
        Err(e) => {
            let parts = Parts::notice(&e.message);
            return page(e.status, "Recherche", &form(&params, &[]), parts);
        }
    };
    let q = request.q.clone();
    let source = request.options.source.clone();
    if q.trim().is_empty() {
        return page(
            StatusCode::OK,
            "Recherche",
            &form(&params, &[]),
            Parts::default(),
        );
    }
    match run_search(&state, request).await {
        Ok(outcome) => {
            let facets = outcome.facets.clone().unwrap_or_default();
            let mut sources = facets.sources.clone();
            if let Some(s) = source.filter(|s| !sources.iter().any(|c| &c.value == s)) {
                sources.push(FacetCount { value: s, count: 0 });
            }
            let parts = Parts {
                status: status(&outcome),
                chart: chart(&params, &facets.months),
                main: results(&outcome.hits),
            };
            page(StatusCode::OK, &q, &form(&params, &sources), parts)
        }
        Err(e) => page(e.status, &q, &form(&params, &[]), Parts::notice(&e.message)),
    }
}

/// `GET /articles/{id}`: the kept text, and the dropped lines greyed with their reasons.
pub async fn article(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let (view, partial) = match find_article(&state, id).await {
        Ok(shown) => (shown.view, shown.partial),
        Err(e) => {
            let text = match e.status {
                StatusCode::NOT_FOUND => "Aucun article ne porte cet identifiant.",
                StatusCode::GONE => "Le fichier de cet article ne peut plus être lu.",
                _ => "L’article n’a pas pu être lu.",
            };
            return page(e.status, "Article introuvable", "", Parts::notice(text));
        }
    };
    let a = &view.article;
    let title = a.title.as_deref().unwrap_or("(sans titre)");
    let mut body = String::from("<article class=\"view\">");
    let _ = write!(
        body,
        "<h2>{}</h2>{}",
        escape(title),
        meta(&a.date, &a.source)
    );
    for p in &view.paragraphs {
        let _ = write!(body, "<p>{}</p>", escape(p));
    }
    body.push_str("</article>");
    if let Some(partial) = partial {
        let _ = write!(
            body,
            "<p class=\"notice\">{}</p>",
            escape(partial_fr(partial))
        );
    }
    if !view.dropped.is_empty() {
        body.push_str(
            "<section class=\"dropped\" aria-labelledby=\"dropped-title\">\
             <h3 id=\"dropped-title\">Lignes écartées du texte</h3><ul>",
        );
        for d in &view.dropped {
            let _ = write!(
                body,
                "<li><span class=\"reason\">{} :</span> <span class=\"line\">{}</span></li>",
                reason_fr(d.reason),
                escape(&d.text)
            );
        }
        body.push_str("</ul></section>");
    }
    let back = "<p><a href=\"/\" class=\"back\">← Nouvelle recherche</a></p>";
    page(
        StatusCode::OK,
        title,
        "",
        Parts::main(format!("{back}{body}")),
    )
}

/// What fills the shell's places, as HTML.
#[derive(Default)]
struct Parts {
    status: String,
    chart: String,
    main: String,
}

impl Parts {
    fn main(main: String) -> Parts {
        Parts {
            main,
            ..Parts::default()
        }
    }

    fn notice(text: &str) -> Parts {
        Parts::main(format!(
            "<p class=\"notice\" role=\"alert\">{}</p>",
            escape(text)
        ))
    }
}

/// The shell with its title, form and content filled in.
fn page(status: StatusCode, title: &str, form: &str, parts: Parts) -> Response {
    let html = SHELL
        .replace("{{title}}", &escape(title))
        .replace("{{form}}", form)
        .replace("{{status}}", &parts.status)
        .replace("{{chart}}", &parts.chart)
        .replace("{{main}}", &parts.main);
    (status, Html(html)).into_response()
}

/// The search form, filled in with the request's values; the sources offered are the query's.
fn form(params: &HashMap<String, String>, sources: &[FacetCount]) -> String {
    let value = |name: &str| escape(params.get(name).map_or("", String::as_str));
    let chosen = params.get("source").map_or("", String::as_str);
    let mut options = String::from("<option value=\"\">Toutes les sources</option>");
    for s in sources {
        let selected = if s.value == chosen { " selected" } else { "" };
        let _ = write!(
            options,
            "<option value=\"{v}\"{selected}>{v}</option>",
            v = escape(&s.value)
        );
    }
    let by_date = params.get("sort").is_some_and(|s| s == "date");
    let [relevance, date] = [!by_date, by_date].map(|s| if s { " selected" } else { "" });
    format!(
        "<form id=\"search\" role=\"search\" action=\"/\" method=\"get\">\
         <div class=\"query\"><label for=\"q\">Rechercher dans les articles</label>\
         <input id=\"q\" name=\"q\" type=\"search\" value=\"{q}\" maxlength=\"2000\" \
         autocomplete=\"off\" aria-describedby=\"status\">\
         <button type=\"submit\">Rechercher</button></div>\
         <fieldset class=\"filters\"><legend>Filtres</legend>\
         <label for=\"source\">Source</label><select id=\"source\" name=\"source\">{options}</select>\
         <label for=\"since\">Du mois</label><input id=\"since\" name=\"since\" type=\"month\" value=\"{since}\">\
         <label for=\"until\">au mois</label><input id=\"until\" name=\"until\" type=\"month\" value=\"{until}\">\
         <label for=\"sort\">Ordre</label><select id=\"sort\" name=\"sort\">\
         <option value=\"relevance\"{relevance}>Pertinence</option>\
         <option value=\"date\"{date}>Plus récents</option></select></fieldset></form>",
        q = value("q"),
        since = value("since"),
        until = value("until"),
    )
}

/// How many matched, what was corrected, and the parser's notices.
fn status(outcome: &SearchOutcome) -> String {
    let total = outcome.facets.as_ref().map_or(0, |f| f.total);
    let mut out = String::new();
    let _ = write!(
        out,
        "<p class=\"count\">{total} passage{} trouvé{}</p>",
        plural(total),
        plural(total)
    );
    if !outcome.corrections.is_empty() {
        let words: Vec<String> = outcome
            .corrections
            .iter()
            .map(|c| format!("<strong>{}</strong>", escape(&c.to)))
            .collect();
        let typed: Vec<String> = outcome
            .corrections
            .iter()
            .map(|c| escape(&c.from))
            .collect();
        let _ = write!(
            out,
            "<p class=\"correction\">Résultats pour {} (au lieu de {})</p>",
            words.join(", "),
            typed.join(", ")
        );
    }
    for n in &outcome.notices {
        let _ = write!(out, "<p class=\"notice\">{}</p>", escape(n));
    }
    out
}

fn plural(n: u64) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

/// Bars of matches per month; each bar links to the same search within its month.
fn chart(params: &HashMap<String, String>, months: &[FacetCount]) -> String {
    if months.is_empty() {
        return String::new();
    }
    let mut out = String::from("<figcaption id=\"chart-title\">Passages par mois</figcaption>");
    let max = months.iter().map(|m| m.count).max().unwrap_or(0).max(1);
    let (bar, gap, height) = (30u64, 6u64, 100u64);
    let width = (bar + gap) * months.len().max(1) as u64;
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\" role=\"list\">",
        height + 20,
        height + 20
    );
    for (i, m) in months.iter().enumerate() {
        let h = (m.count * height).div_ceil(max).max(2);
        let x = i as u64 * (bar + gap);
        let mut link: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "since" | "until" | "offset"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        link.sort();
        link.push(("since".into(), m.value.clone()));
        link.push(("until".into(), m.value.clone()));
        let label = format!("{} : {} passage{}", m.value, m.count, plural(m.count));
        let _ = write!(
            out,
            "<a href=\"/?{}\" class=\"bar\" data-month=\"{v}\" role=\"listitem\" aria-label=\"{l}\">\
             <title>{l}</title><rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"></rect>\
             <text x=\"{}\" y=\"{}\">{}</text></a>",
            escape(&query_string(&link)),
            height - h,
            x + bar / 2,
            height + 14,
            escape(&month_label(&m.value)),
            v = escape(&m.value),
            l = escape(&label),
        );
    }
    out.push_str("</svg>");
    out
}

/// `2024-07` as `07/24`, short enough to sit under its bar.
fn month_label(month: &str) -> String {
    match (month.get(2..4), month.get(5..7)) {
        (Some(year), Some(m)) => format!("{m}/{year}"),
        _ => month.to_string(),
    }
}

/// The hits grouped by article, in the order of each article's best passage.
fn results(hits: &[Hit]) -> String {
    let mut order: Vec<&str> = Vec::new();
    let mut by_article: HashMap<&str, Vec<&Hit>> = HashMap::new();
    for h in hits {
        let id = h.article.id.as_str();
        if !by_article.contains_key(id) {
            order.push(id);
        }
        by_article.entry(id).or_default().push(h);
    }
    let mut out = String::from("<ol class=\"results\">");
    for id in order {
        let group = &by_article[id];
        let a = &group[0].article;
        let title = a.title.as_deref().unwrap_or("(sans titre)");
        let _ = write!(
            out,
            "<li class=\"article\"><h2><a href=\"/articles/{}\">{}</a></h2>{}",
            escape(&percent_encode(id)),
            escape(title),
            meta(&a.date, &a.source)
        );
        for h in group {
            let _ = write!(
                out,
                "<p class=\"passage\">{}</p>",
                highlighted(&h.passage.text, &h.passage.highlights)
            );
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

fn meta(date: &Option<String>, source: &Option<String>) -> String {
    let mut parts = Vec::new();
    if let Some(d) = date {
        parts.push(format!("<time datetime=\"{d}\">{d}</time>", d = escape(d)));
    }
    if let Some(s) = source {
        parts.push(format!("<span class=\"source\">{}</span>", escape(s)));
    }
    format!("<p class=\"meta\">{}</p>", parts.join(" · "))
}

/// The text escaped, with the matched words in `<mark>`.
pub fn highlighted(text: &str, highlights: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut last = 0;
    for &(from, to) in highlights {
        let (Some(before), Some(word)) = (text.get(last..from), text.get(from..to)) else {
            continue;
        };
        out.push_str(&escape(before));
        let _ = write!(out, "<mark>{}</mark>", escape(word));
        last = to;
    }
    out.push_str(&escape(text.get(last..).unwrap_or("")));
    out
}

/// Text as HTML text or attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn query_string(pairs: &[(String, String)]) -> String {
    let pairs: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    pairs.join("&")
}

/// Percent-encodes all but unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Why the dropped lines are not shown, in French.
fn partial_fr(partial: Partial) -> &'static str {
    match partial {
        Partial::FileUnreadable => {
            "Le fichier de cet article n’est pas lisible par ce serveur : voici les passages \
             indexés, sans les lignes écartées."
        }
        Partial::FileChanged => {
            "Le fichier de cet article a changé depuis son indexation : voici les passages \
             indexés, sans les lignes écartées."
        }
    }
}

/// Why a line was dropped, in French.
fn reason_fr(reason: Reason) -> &'static str {
    match reason {
        Reason::Title => "titre (gardé comme titre)",
        Reason::TitleRepeat => "titre répété avec un crédit",
        Reason::DateLine => "ligne de date",
        Reason::Consent => "bandeau cookies ou consentement",
        Reason::SocialPrompt => "invitation à suivre ou à partager",
        Reason::Credit => "crédit photo ou droits",
        Reason::Caption => "légende de photo",
        Reason::UiLabels => "libellés de boutons collés",
        Reason::RelatedLink => "lien vers un autre article",
        Reason::Advertising => "publicité ou abonnement",
        Reason::Byline => "ligne d’auteur",
        Reason::PageChrome => "habillage de la page",
        Reason::Recurring => "ligne répétée dans plusieurs articles",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_marked() {
        let cases = [
            (
                "<script>alert(1)</script>",
                vec![],
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("a <b> c", vec![(0, 1)], "<mark>a</mark> &lt;b&gt; c"),
            ("x\"y'", vec![(1, 2)], "x<mark>&quot;</mark>y&#39;"),
            // A range off the text or inside a character is passed over, not a panic.
            ("é", vec![(0, 1), (5, 9)], "é"),
        ];
        for (text, marks, expected) in cases {
            assert_eq!(highlighted(text, &marks), expected, "{text}");
        }
    }

    #[test]
    fn month_labels() {
        for (month, label) in [("2024-07", "07/24"), ("2024", "2024"), ("", "")] {
            assert_eq!(month_label(month), label);
        }
    }

    #[test]
    fn query_strings_are_encoded() {
        let pairs = [("q".to_string(), "monnaie & « CFA »".to_string())];
        assert_eq!(
            query_string(&pairs),
            "q=monnaie%20%26%20%C2%AB%20CFA%20%C2%BB"
        );
    }
}
