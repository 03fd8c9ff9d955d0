//! The passes that judge a line by where it stands: above the headline, between the headline and
//! the body, after the body, and inside the body by the lines around it (a short line between
//! prose is a subheading or a quote; between furniture, furniture). Last of the verdicts, as they
//! need the body, the headline and what every other pass has dropped.

use super::line::{has_sentence_end, is_breadcrumb, is_field_label, is_text};
use super::{prose, Evidence, Page, Reason};

impl Page<'_> {
    /// Drops line `i` as page chrome, on `evidence`.
    fn drop_chrome(&mut self, i: usize, evidence: Evidence) {
        self.verdict[i] = Some(Reason::PageChrome);
        self.evidence[i] = Some(evidence);
    }

    /// Whether line `i` was body prose when the body was found.
    fn is_body_prose(&self, i: usize) -> bool {
        self.body_prose.get(i).copied().unwrap_or(false)
    }

    /// Whether line `i` is furniture already (the headline is not: it is the article's).
    fn is_dropped(&self, i: usize) -> bool {
        self.verdict[i].is_some_and(|r| r != Reason::Title)
    }

    /// The non-blank line after line `i`, if any.
    pub(super) fn next_line(&self, i: usize) -> Option<usize> {
        let k = self.non_empty.partition_point(|&j| j <= i);
        self.non_empty.get(k).copied()
    }

    /// Pass 8: the page header. Above the headline, nothing of the article stands: the masthead,
    /// menus, teasers and kickers go, however long. Between the headline and the body, what is
    /// not prose goes (bylines, reading times, share bars), but for a heading directly above the
    /// body.
    pub(super) fn mark_header_chrome(&mut self, title_line: Option<usize>) {
        let Some(start) = self.first_prose() else {
            return;
        };
        for k in 0..self.non_empty.len() {
            let i = self.non_empty[k];
            if i >= start {
                break;
            }
            if self.verdict[i].is_some() {
                continue;
            }
            let line = self.line(i);
            let evidence = if title_line.is_some_and(|t| i < t) {
                Evidence::AboveHeadline
            } else if is_breadcrumb(line) {
                Evidence::Breadcrumb
            } else if is_field_label(line) {
                Evidence::FieldLabel
            } else if line.split_whitespace().count() <= 1 && self.body.is_none() {
                Evidence::HeaderWord
            } else if self.body.is_some() && !self.opens_the_body(i, start) {
                Evidence::BeforeBody
            } else {
                continue;
            };
            self.drop_chrome(i, evidence);
        }
    }

    /// Pass 8, first: under a heading of the page's own section (comments, about the author)
    /// below the start of the body, every line not decided yet is that section's, to the end.
    pub(super) fn mark_page_sections(&mut self) {
        let Some(start) = self.first_prose() else {
            return;
        };
        let heading = self
            .non_empty
            .iter()
            .copied()
            .find(|&i| i > start && self.evidence[i] == Some(Evidence::SectionHeading));
        let Some(heading) = heading else {
            return;
        };
        for k in 0..self.non_empty.len() {
            let i = self.non_empty[k];
            if i > heading && self.verdict[i].is_none() {
                self.drop_chrome(i, Evidence::InPageSection);
            }
        }
    }

    /// Whether line `i`, between the headline and the body starting at `start`, is the
    /// article's: prose, a standfirst, or a heading directly above the body.
    fn opens_the_body(&self, i: usize, start: usize) -> bool {
        let line = self.line(i);
        self.is_body_prose(i)
            || reads_as_text(line)
            || (self.next_line(i) == Some(start) && is_heading(line))
    }

    /// Pass 8, continued: the footer. After the body, every line not decided yet is the page's:
    /// related teasers, sidebars, forms and footers, prose or not. On a page without a body,
    /// short lines after the last sentence.
    pub(super) fn mark_footer_chrome(&mut self) {
        let (end, evidence) = match self.body {
            Some(body) => (body.end, Evidence::AfterBody),
            None => {
                let last_text = self
                    .non_empty
                    .iter()
                    .copied()
                    .rev()
                    .find(|&i| self.verdict[i].is_none() && is_text(self.line(i)));
                let Some(end) = last_text else {
                    return;
                };
                (end, Evidence::AfterLastSentence)
            }
        };
        for k in 0..self.non_empty.len() {
            let i = self.non_empty[k];
            let line = self.line(i);
            let short = !has_sentence_end(line) && line.chars().count() <= 120;
            if i > end && self.verdict[i].is_none() && (evidence == Evidence::AfterBody || short) {
                self.drop_chrome(i, evidence);
            }
        }
    }

    /// Pass 8, continued: inside the body, a run of short lines with furniture on both sides is
    /// furniture too; with prose on one side, it is the article's (a subheading, a quote).
    pub(super) fn mark_by_context(&mut self) {
        let Some(body) = self.body else {
            return;
        };
        let inside: Vec<usize> = self
            .non_empty
            .iter()
            .copied()
            .filter(|&i| i > body.start && i < body.end)
            .collect();
        // A button's words after a paragraph, with no furniture after them, are a subheading
        // ("Pour écouter un génie").
        let prose = |i: Option<usize>| {
            i.is_some_and(|i| self.verdict[i].is_none() && self.is_body_prose(i))
        };
        let headings: Vec<usize> = inside
            .iter()
            .copied()
            .filter(|&i| {
                self.evidence[i] == Some(Evidence::ShortImperative)
                    && prose(i.checked_sub(1).and_then(|j| self.previous_line(j)))
                    && self.next_line(i).is_some_and(|j| !self.is_dropped(j))
            })
            .collect();
        for i in headings {
            self.verdict[i] = None;
            self.evidence[i] = Some(Evidence::BetweenProse);
        }
        let mut k = 0;
        while k < inside.len() {
            let undecided_short = |i: usize| self.verdict[i].is_none() && !self.is_body_prose(i);
            if !undecided_short(inside[k]) {
                k += 1;
                continue;
            }
            let first = k;
            while k < inside.len() && undecided_short(inside[k]) {
                k += 1;
            }
            let before = inside[first]
                .checked_sub(1)
                .and_then(|i| self.previous_line(i));
            let after = inside.get(k).copied();
            if before.is_some_and(|b| self.is_dropped(b))
                && after.is_some_and(|a| self.is_dropped(a))
            {
                for &i in &inside[first..k] {
                    self.drop_chrome(i, Evidence::BetweenChrome);
                }
            }
        }
    }

    /// The non-blank line at or before line `i`, if any.
    fn previous_line(&self, i: usize) -> Option<usize> {
        let k = self.non_empty.partition_point(|&j| j <= i);
        k.checked_sub(1).map(|k| self.non_empty[k])
    }

    /// Pass 8, continued: anywhere, breadcrumbs and field labels are never prose.
    pub(super) fn mark_breadcrumbs_and_fields(&mut self) {
        for k in 0..self.non_empty.len() {
            let i = self.non_empty[k];
            if self.verdict[i].is_some() {
                continue;
            }
            if is_breadcrumb(self.line(i)) {
                self.drop_chrome(i, Evidence::Breadcrumb);
            } else if is_field_label(self.line(i)) {
                self.drop_chrome(i, Evidence::FieldLabel);
            }
        }
    }
}

/// A heading of the body: a few words, not a sentence but perhaps a question, no figures (a
/// date, a count).
fn is_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=10).contains(&words)
        && (!has_sentence_end(line) || line.ends_with('?'))
        && !line.contains(|c: char| c.is_ascii_digit())
}

/// A standfirst without its final stop: a dozen words or more, written with the function words
/// of sentences.
fn reads_as_text(line: &str) -> bool {
    let (words, density) = prose::stop_density(line);
    words >= 12 && density >= 0.3
}

#[cfg(test)]
mod tests {
    use super::super::{clean, NoFurniture};
    use super::*;

    const P1: &str = "Les élus du conseil régional ont adopté lundi soir le budget de l'année, après trois jours de débats.";
    const P2: &str = "Le texte prévoit une hausse des crédits consacrés aux routes et aux écoles des communes rurales du nord.";
    const P3: &str = "L'opposition a voté contre, en dénonçant un budget qui selon elle ne tient pas ses promesses de départ.";

    /// The evidence given to `line` on `page`, `None` when it is kept.
    fn evidence_of(page: &str, line: &str) -> Option<Evidence> {
        let article = clean(page, &NoFurniture);
        let dropped = article.dropped.iter().find(|d| d.text == line);
        assert!(
            dropped.is_some() || article.paragraphs.iter().any(|p| p == line),
            "{line:?} is neither kept nor dropped"
        );
        dropped.and_then(|d| d.evidence)
    }

    #[test]
    fn lines_are_judged_by_where_they_stand_against_the_body() {
        let title = "Le conseil régional adopte son budget";
        let table: [(String, &str, Option<Evidence>); 5] = [
            // A subheading between two paragraphs is the article's.
            (
                format!("{title}\n{P1}\nLes routes d'abord\n{P2}\n{P3}"),
                "Les routes d'abord",
                None,
            ),
            // Between a share bar and an advertisement, a short line is furniture.
            (
                format!("{title}\n{P1}\nFacebook Twitter WhatsApp\nNos offres du moment\nPUBLICITÉ\n{P2}\n{P3}"),
                "Nos offres du moment",
                Some(Evidence::BetweenChrome),
            ),
            // After the body, a sentence of a teaser is furniture all the same.
            (
                format!("{title}\n{P1}\n{P2}\nFacebook\nTwitter\nMenu\nUne autre histoire de la région, racontée par un autre journaliste du site."),
                "Une autre histoire de la région, racontée par un autre journaliste du site.",
                Some(Evidence::AfterBody),
            ),
            // Between the headline and the body, a kicker goes; a heading right above it stays.
            (
                format!("{title}\nPolitique régionale\nPar Jeanne Martin - 3 mars 2025\nCe qu'il faut savoir\n{P1}\n{P2}"),
                "Politique régionale",
                Some(Evidence::BeforeBody),
            ),
            (
                format!("{title}\nPolitique régionale\nPar Jeanne Martin - 3 mars 2025\nCe qu'il faut savoir\n{P1}\n{P2}"),
                "Ce qu'il faut savoir",
                None,
            ),
        ];
        for (page, line, expected) in &table {
            assert_eq!(evidence_of(page, line), *expected, "{line:?} in\n{page}");
        }
    }
}
