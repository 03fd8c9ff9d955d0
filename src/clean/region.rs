//! The article body as a region. On a whole page the article is one contiguous run of prose;
//! menus, teasers, sidebars and forms sit around it, and between it and the footer. Where a line
//! stands relative to that run is evidence that holds on any site, stronger than where it stands
//! relative to the top and bottom of the file.

use std::sync::OnceLock;

use super::line::{has_sentence_end, is_lead_in_alone, is_prose, is_text};
use super::title::is_title_like;
use super::vocabulary::regex;
use super::{prose, Evidence, Reason};

/// Lines of the page that are neither prose nor decided yet, at most, between two prose lines of
/// one run: a subheading, a quote, a caption without its credit. More, and the prose on either
/// side belongs to different blocks of the page.
const MAX_GAP: usize = 3;

/// The body of the article: from its first prose line to its last, both lines of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Body {
    pub start: usize,
    pub end: usize,
}

/// A line of running prose as jusText counts it: a long line ending as a sentence ends, or a
/// longer one without, in either case written with the function words of French sentences.
pub(super) fn is_body_prose(line: &str) -> bool {
    let long = line.len() >= 200;
    if !(long || is_prose(line)) {
        return false;
    }
    let (_, density) = prose::stop_density(line);
    // A long line ending as a sentence is prose unless it has no function word at all (a list
    // with a final stop); news prose runs at 0.35 to 0.5, terse or generated text lower.
    if has_sentence_end(line) {
        density >= 0.05
    } else {
        long && density >= 0.3
    }
}

/// Which lines are body prose ([`is_body_prose`]), for the lines not decided yet; computed once,
/// as the passes after it ask about the same lines again.
pub(super) fn body_prose(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
) -> Vec<bool> {
    let mut prose = vec![false; lines.len()];
    for &i in non_empty {
        prose[i] = verdict[i].is_none() && is_body_prose(lines[i].trim());
    }
    prose
}

/// Prose of the runs found before it, at least, for a comment thread's first header or form to
/// close the page's article (with two long paragraphs): the comments come after an article,
/// not before it.
const MIN_ARTICLE_CHARS: usize = 400;

/// Lines of the page, at most, in a widget inside the body (a "Lire aussi" teaser, a bookmark
/// or login box, an advertisement) that the body's prose resumes after.
const MAX_WIDGET: usize = 8;

/// Words of a paragraph long enough that, twice after a widget, it is the article resuming: a
/// teaser or a promotion is one blurb.
const LONG_PARAGRAPH_WORDS: usize = 35;

/// A run of prose lines, as [`find_body`] first cuts the page.
#[derive(Debug, Clone, Copy)]
struct Run {
    body: Body,
    /// Characters of its prose lines.
    chars: usize,
    /// How many of its prose lines are long paragraphs.
    long: usize,
}

/// The body, given the [`body_prose`] of the page and its comment-thread `markers`: among the
/// runs of prose before the comments, joined across short widgets, the one with the most prose.
pub(super) fn find_body(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
    prose: &[bool],
    markers: &[Option<Evidence>],
) -> Option<Body> {
    let runs = bridge_widgets(runs(lines, non_empty, verdict, prose, markers), non_empty);
    let mut best: Option<Run> = None;
    for run in runs {
        if run.chars > 0 && best.is_none_or(|b| run.chars > b.chars) {
            best = Some(run);
        }
    }
    best.map(|run| extend(lines, non_empty, verdict, run.body))
}

/// The page cut into runs of prose (two prose lines are of one run when at most [`MAX_GAP`]
/// undecided lines stand between them), up to the comment thread. A live page's entry heading
/// ("9h05 - …") holds its run together as prose does.
fn runs(
    lines: &[&str],
    non_empty: &[usize],
    verdict: &[Option<Reason>],
    prose: &[bool],
    markers: &[Option<Evidence>],
) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut run: Option<Run> = None;
    let mut gap = 0;
    for &i in non_empty {
        let line = lines[i].trim();
        if markers.get(i).is_some_and(Option::is_some) {
            let before = out.iter().chain(run.iter());
            let (chars, long) = before.fold((0, 0), |(c, l), r| (c + r.chars, l + r.long));
            if chars >= MIN_ARTICLE_CHARS && long >= 2 {
                break;
            }
            gap = MAX_GAP + 1;
            continue;
        }
        if verdict[i].is_some() {
            // The header of a list of links ("Les plus lus") closes the article's run.
            if verdict[i] == Some(Reason::RelatedLink) && is_lead_in_alone(line) {
                gap = MAX_GAP + 1;
            }
            continue;
        }
        let entry = is_live_entry(line);
        if !prose[i] && !entry {
            gap += 1;
            continue;
        }
        let (chars, long) = if prose[i] {
            let words = line.split_whitespace().count();
            (line.len(), usize::from(words >= LONG_PARAGRAPH_WORDS))
        } else {
            (0, 0)
        };
        run = match run {
            Some(r) if gap <= MAX_GAP => Some(Run {
                body: Body {
                    start: r.body.start,
                    end: i,
                },
                chars: r.chars + chars,
                long: r.long + long,
            }),
            other => {
                out.extend(other);
                Some(Run {
                    body: Body { start: i, end: i },
                    chars,
                    long,
                })
            }
        };
        gap = 0;
    }
    out.extend(run);
    out
}

/// Runs joined across a widget: at most [`MAX_WIDGET`] lines between a run of prose and one of
/// two long paragraphs or more, the article resuming after a teaser or a login box.
fn bridge_widgets(runs: Vec<Run>, non_empty: &[usize]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for run in runs {
        if let Some(last) = out.last_mut() {
            let between = non_empty.partition_point(|&j| j < run.body.start)
                - non_empty.partition_point(|&j| j <= last.body.end);
            if last.chars > 0 && run.long >= 2 && between <= MAX_WIDGET {
                last.body.end = run.body.end;
                last.chars += run.chars;
                last.long += run.long;
                continue;
            }
        }
        out.push(run);
    }
    out
}

/// A live page's entry heading: a clock time, a dash, and a headline ("9h05 - La Bourse ouvre
/// en hausse").
pub(super) fn is_live_entry(line: &str) -> bool {
    static ENTRY: OnceLock<regex::Regex> = OnceLock::new();
    let entry = regex(&ENTRY, r"^\d{1,2}(?:h|:)\d{2}\s*[-–—]\s*\S");
    entry.is_match(line) && line.split_whitespace().count() >= 5
}

/// The body grown by the sentences directly against it: a short first or last paragraph is
/// the article's too.
fn extend(lines: &[&str], non_empty: &[usize], verdict: &[Option<Reason>], body: Body) -> Body {
    let text = |i: usize| verdict[i].is_none() && is_text(lines[i].trim());
    // A headline that asks a question reads as a sentence: it stays out.
    let text_not_title = |i: usize| text(i) && !is_title_like(lines[i].trim());
    let (mut first, mut last) = (
        non_empty.partition_point(|&j| j < body.start),
        non_empty.partition_point(|&j| j <= body.end),
    );
    while first > 0 && text_not_title(non_empty[first - 1]) {
        first -= 1;
    }
    // The last paragraph may be one short sentence ("Le pari est audacieux.").
    let text_or_short = |i: usize| {
        let line = lines[i].trim();
        text(i)
            || (verdict[i].is_none()
                && has_sentence_end(line)
                && !line.ends_with(':')
                && line.split_whitespace().count() >= 3
                && prose::stop_density(line).1 > 0.0)
    };
    while last < non_empty.len() && text_or_short(non_empty[last]) {
        last += 1;
    }
    Body {
        start: non_empty[first],
        end: non_empty[last - 1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "Les élus du conseil régional ont adopté lundi soir le budget de l'année, après trois jours de débats.";
    const TEASER: &str = "Un autre article de la même rubrique, avec une phrase assez longue pour être lue comme de la prose.";

    fn body_of(page: &[&str]) -> Option<Body> {
        let non_empty: Vec<usize> = (0..page.len()).collect();
        let verdict = vec![None; page.len()];
        let prose = body_prose(page, &non_empty, &verdict);
        let markers = vec![None; page.len()];
        find_body(page, &non_empty, &verdict, &prose, &markers)
    }

    #[test]
    fn the_body_is_the_longest_run_of_prose() {
        let table: [(&[&str], Option<Body>); 4] = [
            (&["Menu", "Accueil"], None),
            (
                &["Menu", PROSE, "Sous-titre", PROSE, "Pied"],
                Some(Body { start: 1, end: 3 }),
            ),
            // A sidebar teaser far below the body is another run.
            (
                &[PROSE, PROSE, "a", "b", "c", "d", TEASER],
                Some(Body { start: 0, end: 1 }),
            ),
            (
                &[TEASER, "a", "b", "c", "d", PROSE, "x", PROSE],
                Some(Body { start: 5, end: 7 }),
            ),
        ];
        for (page, expected) in table {
            assert_eq!(body_of(page), expected, "{page:?}");
        }
    }

    #[test]
    fn tells_body_prose_from_short_or_list_like_lines() {
        let long_without_end = format!("{PROSE} {PROSE}").replace('.', ",");
        let table = [
            (PROSE, true),
            ("Accueil Politique Monde", false),
            (long_without_end.as_str(), true),
            (
                "Politique ▪ Économie ▪ Sport ▪ Culture ▪ Sciences ▪ Médias ▪ Vidéos ▪ Podcasts ▪ Régions ▪ Monde ▪ Opinions ▪ Archives ▪ Contact.",
                false,
            ),
        ];
        for (line, expected) in table {
            assert_eq!(is_body_prose(line), expected, "{line:?}");
        }
    }
}
