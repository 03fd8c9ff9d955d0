//! Boilerplate removal: which lines of a scraped page are the article, which are the page around
//! it (consent banners, social prompts, photo credits, captions, glued button labels, "Lire aussi"
//! links, footers), and why. Also reads the title, date and source that the page carries.
//!
//! Rules are about kinds of evidence that carry over between sites (vocabulary, shape, position,
//! recurrence across the corpus), never about one site's sentences. Every dropped line is
//! reported with its [`Reason`], so `aes-search clean FILE` can show what was removed and why.
//!
//! The passes, in order, each seeing the verdicts of those before it:
//!
//! 1. each line on its own, by vocabulary and shape (`line.rs`): the cheap, local evidence that
//!    every later pass asks about ("is this line already furniture?");
//! 2. recurrence across the corpus (`furniture.rs`), over the lines step 1 kept, so that a
//!    republished dispatch is told from a site's boilerplate by its prose;
//! 3. figure captions, which sit against the photo credits of step 1;
//! 4. related-link lists, the titles under a "Lire aussi" of step 1;
//! 5. the headline (`title.rs`), chosen among the lines still standing, with its repeat glued to a
//!    credit and the caption beside it; before the date, so that the headline is never a date line;
//! 6. the publication date (`date.rs`), which marks the lines that only carry it;
//! 7. position: the page header above the first prose, the footer after the last sentence, and
//!    breadcrumbs and field labels anywhere; last of the verdicts, as it needs to know where the
//!    prose and the headline are;
//! 8. the source (`source.rs`), read from the furniture that all the passes above found.

mod advert;
mod author;
mod comments;
mod credit;
mod date;
mod evidence;
mod furniture;
mod line;
mod notice;
mod position;
mod prose;
mod quote;
mod region;
mod source;
mod title;
mod vocabulary;

use serde::{Deserialize, Serialize};

pub use date::visible_date;
pub use evidence::{describe_line, Evidence};
pub(crate) use furniture::{distinct_prints, fingerprint_lines};
pub use furniture::{line_fingerprints, KnownFurniture, NoFurniture, RECURRING_MIN_ARTICLES};
use line::{
    has_sentence_end, is_lead_in_alone, is_prose, is_rights_notice, is_text, judge_line,
    judge_line_why,
};

/// Why a line is not article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The headline, kept as the title rather than as a passage.
    Title,
    /// The headline again, with a photo credit glued on.
    TitleRepeat,
    /// A line that only carries the date (and perhaps a credit).
    DateLine,
    /// Cookie, consent or privacy notice.
    Consent,
    /// "Suivez … sur Telegram", newsletter, app and share prompts.
    SocialPrompt,
    /// Photo or copyright credit.
    Credit,
    /// A photo caption in the page header.
    Caption,
    /// Button or menu labels run together ("Tout AccepterTout refuser").
    UiLabels,
    /// "Lire aussi", "À lire", related links.
    RelatedLink,
    /// Advertising and paywall notices.
    Advertising,
    /// Author line.
    Byline,
    /// Short text in the page header or footer that is not a sentence (slogans, labels, "OK").
    PageChrome,
    /// A line that recurs in several articles of the corpus.
    Recurring,
}

impl Reason {
    /// Its name in JSON and in `--explain`: "page-chrome", "social-prompt".
    pub fn name(self) -> &'static str {
        match self {
            Reason::Title => "title",
            Reason::TitleRepeat => "title-repeat",
            Reason::DateLine => "date-line",
            Reason::Consent => "consent",
            Reason::SocialPrompt => "social-prompt",
            Reason::Credit => "credit",
            Reason::Caption => "caption",
            Reason::UiLabels => "ui-labels",
            Reason::RelatedLink => "related-link",
            Reason::Advertising => "advertising",
            Reason::Byline => "byline",
            Reason::PageChrome => "page-chrome",
            Reason::Recurring => "recurring",
        }
    }

    /// One line for people.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Title => "headline (kept as the title)",
            Reason::TitleRepeat => "headline repeated with a credit",
            Reason::DateLine => "date line",
            Reason::Consent => "cookie or consent notice",
            Reason::SocialPrompt => "social, newsletter or app prompt",
            Reason::Credit => "photo or copyright credit",
            Reason::Caption => "photo caption",
            Reason::UiLabels => "button labels run together",
            Reason::RelatedLink => "related-article link",
            Reason::Advertising => "advertising or paywall notice",
            Reason::Byline => "author line",
            Reason::PageChrome => "short page furniture, not a sentence",
            Reason::Recurring => "recurs in several articles of the corpus",
        }
    }
}

/// A line that was not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedLine {
    /// Line number in the file, from 1.
    pub line: usize,
    /// The line as written.
    pub text: String,
    /// Why it was dropped.
    pub reason: Reason,
    /// What the verdict rests on, as the pass that gave it recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// An article with its page furniture removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CleanedArticle {
    /// The headline, where one was found.
    pub title: Option<String>,
    /// Publication date, `YYYY-MM-DD` or `YYYY-MM`.
    pub date: Option<String>,
    /// The outlet, where it could be told.
    pub source: Option<String>,
    /// The article's paragraphs, in order (subheadings included).
    pub paragraphs: Vec<String>,
    /// The lines left out, with the reason.
    pub dropped: Vec<DroppedLine>,
}

/// Cleans a decoded article. `known` says which lines the corpus has shown to recur.
///
/// ```
/// use aes_search::clean::{clean, NoFurniture};
/// let page = "Bamako accueille le sommet de l'AES\n\nSuivez Le Journal sur Telegram\n\n\
///             Les chefs d'État de la Confédération se réunissent à Bamako pour dresser le bilan.\n\n\
///             Tout AccepterTout refuser";
/// let article = clean(page, &NoFurniture);
/// assert_eq!(article.title.as_deref(), Some("Bamako accueille le sommet de l'AES"));
/// assert_eq!(article.paragraphs.len(), 1);
/// assert_eq!(article.dropped.len(), 3);
/// ```
pub fn clean(text: &str, known: &dyn KnownFurniture) -> CleanedArticle {
    clean_with_prints(text, &fingerprint_lines(text), known)
}

/// [`clean`], given the [`fingerprint_lines`] of `text` the indexer has computed already.
pub(crate) fn clean_with_prints(
    text: &str,
    prints: &[Option<u64>],
    known: &dyn KnownFurniture,
) -> CleanedArticle {
    let mut page = Page::new(text);
    debug_assert_eq!(page.lines.len(), prints.len());
    // 1. Each line on its own: vocabulary and shape.
    page.judge_lines();
    // 2. What the corpus has shown to recur.
    let before = page.verdict.clone();
    let republished = furniture::apply_recurrence(
        &page.lines,
        prints,
        &page.non_empty,
        &mut page.verdict,
        known,
    );
    page.record(&before, Evidence::RecursInCorpus);
    // 3. Figure blocks.
    page.mark_captions_by_credits();
    // 4. Related links.
    page.mark_related_lists();
    // 5. The body: the longest run of prose.
    page.body_prose = region::body_prose(&page.lines, &page.non_empty, &page.verdict);
    page.comment_markers = comments::markers(&page.lines, &page.non_empty);
    page.body = region::find_body(
        &page.lines,
        &page.non_empty,
        &page.verdict,
        &page.body_prose,
        &page.comment_markers,
    );
    // 6. Title, and the headline repeated with a credit glued on.
    let title_line = page.mark_title(republished);
    page.mark_captions_by_title_repeat();
    // 7. Date.
    let before = page.verdict.clone();
    let body_start = page.body.map(|b| b.start);
    let date = date::find_date(
        &page.lines,
        &page.non_empty,
        &mut page.verdict,
        title_line,
        body_start,
    );
    page.record(&before, Evidence::DateOnly);
    // 8. Position: above the headline, between it and the body, after the body, and inside it
    //    by context.
    page.mark_comments();
    page.mark_page_sections();
    page.mark_header_chrome(title_line);
    page.mark_footer_chrome();
    page.mark_by_context();
    page.mark_author_box();
    page.mark_pull_quotes();
    page.mark_ads_under_labels();
    page.mark_breadcrumbs_and_fields();
    // 8. Source.
    let source = source::read_source(&page.lines, &page.non_empty, &page.verdict);
    page.into_article(title_line, date, source)
}

/// The page as the passes see it: its lines, which of them are not blank, and the verdict on each
/// line so far (`None`: article text), with the evidence of each verdict.
struct Page<'a> {
    lines: Vec<&'a str>,
    non_empty: Vec<usize>,
    verdict: Vec<Option<Reason>>,
    evidence: Vec<Option<Evidence>>,
    /// The article's body, once pass 5 has found it.
    body: Option<region::Body>,
    /// Which lines pass 5 found to be body prose.
    body_prose: Vec<bool>,
    /// Which lines are evidence of a comment thread, and of what kind.
    comment_markers: Vec<Option<Evidence>>,
}

impl<'a> Page<'a> {
    fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let verdict = vec![None; lines.len()];
        let evidence = vec![None; lines.len()];
        let non_empty = (0..lines.len())
            .filter(|&i| !lines[i].trim().is_empty())
            .collect();
        Page {
            lines,
            non_empty,
            verdict,
            evidence,
            body: None,
            body_prose: Vec::new(),
            comment_markers: Vec::new(),
        }
    }

    /// Gives `evidence` to every verdict a pass outside this file changed since `before`.
    fn record(&mut self, before: &[Option<Reason>], evidence: Evidence) {
        for &i in &self.non_empty {
            if self.verdict[i] != before[i] {
                self.evidence[i] = Some(evidence);
            }
        }
    }

    /// Line `i`, trimmed.
    fn line(&self, i: usize) -> &'a str {
        self.lines[i].trim()
    }

    /// Where the body starts: its region, or on a page without one the first line of prose
    /// not yet dropped.
    fn first_prose(&self) -> Option<usize> {
        self.body.map(|b| b.start).or_else(|| {
            self.non_empty
                .iter()
                .copied()
                .find(|&i| self.verdict[i].is_none() && is_prose(self.line(i)))
        })
    }

    /// Pass 1: each line judged on its own.
    fn judge_lines(&mut self) {
        for &i in &self.non_empty {
            if let Some((reason, evidence)) = judge_line_why(self.lines[i].trim()) {
                self.verdict[i] = Some(reason);
                self.evidence[i] = Some(evidence);
            }
        }
    }

    /// Whether line `i`, on its `other` side, closes a figure: a caption sits directly against
    /// its photo credit, and on its other side has a blank line, the page's edge or more
    /// furniture; prose on the other side means the page has no blank lines and the line is a
    /// paragraph.
    fn figure_side(&self, i: usize, other: Option<usize>) -> bool {
        other.is_none_or(|j| {
            j >= self.lines.len()
                || self.line(j).is_empty()
                || self.verdict[j].is_some()
                || !is_text(self.line(j))
        }) && self.line(i).chars().count() <= 200
    }

    /// Pass 3: captions, the lines of a figure block beside a photo credit. On a page that
    /// puts a blank line between all its lines, the neighbours are the lines past the blanks.
    fn mark_captions_by_credits(&mut self) {
        for (k, &i) in self.non_empty.iter().enumerate() {
            let photo_credit = |j: usize| {
                j < self.lines.len()
                    && self.verdict[j] == Some(Reason::Credit)
                    && !is_rights_notice(self.line(j))
            };
            let spaced = |j: usize| j < self.lines.len() && self.line(j).is_empty();
            let next = match self.non_empty.get(k + 1) {
                Some(&j) if spaced(i + 1) && j == i + 2 => j,
                _ => i + 1,
            };
            let before = match k.checked_sub(1).map(|p| self.non_empty[p]) {
                Some(j) if i >= 2 && spaced(i - 1) && j == i - 2 => Some(j),
                _ => i.checked_sub(1),
            };
            let credit_after = photo_credit(next) && self.figure_side(i, before);
            let credit_before = before.is_some_and(photo_credit) && self.figure_side(i, Some(next));
            if self.verdict[i].is_none() && (credit_after || credit_before) {
                self.verdict[i] = Some(Reason::Caption);
                self.evidence[i] = Some(Evidence::BesideCredit);
            }
        }
    }

    /// Pass 4: titles listed directly under "À lire aussi".
    fn mark_related_lists(&mut self) {
        for k in 1..self.non_empty.len() {
            let (above, i) = (self.non_empty[k - 1], self.non_empty[k]);
            // A list hangs under a lead-in that stands alone ("Sur le même sujet :"), not under
            // a link or a menu that happens to open with one.
            let list = match self.evidence[above] {
                Some(Evidence::UnderRelatedLeadIn) => true,
                Some(Evidence::RelatedLeadIn) => is_lead_in_alone(self.line(above)),
                _ => false,
            };
            // A list's items are followed by more items: past its first, a line the body's
            // prose follows is the body's headline or crosshead.
            // A figure's caption under it is the body's too: a list of links has none.
            let prose_under = self.non_empty.get(k + 1).is_some_and(|&j| {
                (self.verdict[j].is_none() || self.evidence[j] == Some(Evidence::BesideCredit))
                    && is_text(self.line(j))
            });
            let first_item = self.evidence[above] == Some(Evidence::RelatedLeadIn);
            if list
                && self.verdict[i].is_none()
                && !has_sentence_end(self.line(i))
                && (first_item || !prose_under)
            {
                self.verdict[i] = Some(Reason::RelatedLink);
                self.evidence[i] = Some(Evidence::UnderRelatedLeadIn);
            }
        }
    }

    /// Pass 5: the headline, and every line that repeats it with a credit or furniture glued on.
    fn mark_title(&mut self, republished: bool) -> Option<usize> {
        let first_prose = self.first_prose();
        let t = title::choose(
            &self.lines,
            &self.non_empty,
            &self.verdict,
            republished,
            first_prose,
        )?;
        self.verdict[t] = Some(Reason::Title);
        self.evidence[t] = Some(Evidence::Headline);
        let title = self.line(t);
        for &i in &self.non_empty {
            let l = self.line(i);
            if i != t && l.starts_with(title) && l.len() > title.len() {
                let rest = &l[title.len()..];
                if rest.contains('©') || judge_line(rest).is_some() {
                    self.verdict[i] = Some(Reason::TitleRepeat);
                    self.evidence[i] = Some(Evidence::HeadlineAndCredit);
                }
            }
        }
        Some(t)
    }

    /// Pass 5, continued: a caption next to the repeated headline (the credit is glued to it).
    fn mark_captions_by_title_repeat(&mut self) {
        for &i in &self.non_empty {
            let repeat =
                |j: usize| j < self.lines.len() && self.verdict[j] == Some(Reason::TitleRepeat);
            let before = i.checked_sub(1);
            let after_repeat = before.is_some_and(repeat) && self.figure_side(i, Some(i + 1));
            let before_repeat = repeat(i + 1) && self.figure_side(i, before);
            if self.verdict[i].is_none() && (after_repeat || before_repeat) {
                self.verdict[i] = Some(Reason::Caption);
                self.evidence[i] = Some(Evidence::BesideHeadlineRepeat);
            }
        }
    }

    /// The kept lines as paragraphs and the others as dropped lines, in the page's order.
    fn into_article(
        self,
        title_line: Option<usize>,
        date: Option<String>,
        source: Option<String>,
    ) -> CleanedArticle {
        let mut out = CleanedArticle {
            title: title_line.map(|t| self.line(t).to_string()),
            date,
            source,
            ..CleanedArticle::default()
        };
        for (i, l) in self.lines.iter().enumerate() {
            let trimmed = l.trim();
            if trimmed.is_empty() {
                continue;
            }
            match self.verdict[i] {
                None => out.paragraphs.push(trimmed.to_string()),
                Some(reason) => out.dropped.push(DroppedLine {
                    line: i + 1,
                    text: trimmed.to_string(),
                    reason,
                    evidence: self.evidence[i],
                }),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_named_as_json_writes_it() {
        let all = [
            Reason::Title,
            Reason::TitleRepeat,
            Reason::DateLine,
            Reason::Consent,
            Reason::SocialPrompt,
            Reason::Credit,
            Reason::Caption,
            Reason::UiLabels,
            Reason::RelatedLink,
            Reason::Advertising,
            Reason::Byline,
            Reason::PageChrome,
            Reason::Recurring,
        ];
        for reason in all {
            let json = serde_json::to_value(reason).expect("serialisable");
            assert_eq!(json.as_str(), Some(reason.name()), "{reason:?}");
        }
    }

    #[test]
    fn every_dropped_line_carries_its_evidence() {
        let page = "Accueil Politique Monde Sport\n\nBamako accueille le sommet de l'AES\n\n\
                    Suivez Le Journal sur Telegram\n\n\
                    Les chefs d'État de la Confédération se réunissent à Bamako pour dresser le bilan.\n\n\
                    Tout AccepterTout refuser";
        let article = clean(page, &NoFurniture);
        let evidence: Vec<_> = article.dropped.iter().map(|d| d.evidence).collect();
        assert_eq!(
            evidence,
            [
                Some(Evidence::AboveHeadline),
                Some(Evidence::Headline),
                Some(Evidence::PromptVerb),
                Some(Evidence::AfterBody),
            ]
        );
    }

    #[test]
    fn prose_next_to_a_credit_on_a_page_without_blank_lines_is_kept() {
        let prose = "Selon le gouvernement, ses missions seront confiées au ministère de l'Administration territoriale.";
        let page = format!(
            "Burkina : la dissolution de la CENI actée\nLe Conseil des ministres a adopté mercredi un projet de loi sur la commission électorale.\n{prose}\nPhoto : Présidence du Faso\nLe capitaine Ibrahim Traoré lors du Conseil des ministres.\nSource : AIB"
        );
        let article = clean(&page, &NoFurniture);
        assert!(
            article.paragraphs.iter().any(|p| p == prose),
            "{:?}",
            article.dropped
        );
        let caption = article
            .dropped
            .iter()
            .find(|d| d.line == 5)
            .map(|d| d.reason);
        assert_eq!(caption, Some(Reason::Caption));
    }

    #[test]
    fn a_related_list_ends_where_the_body_starts() {
        // (lines between the lead-in and the prose, the one that must stay)
        let table = [
            (
                "À la une\n\nEn continu\n\nÉconomie\n\nLe coton du Mali bat son record",
                "Le coton du Mali bat son record",
            ),
            (
                "Une récolte de riz en baisse\n\nLe port de Dakar s'agrandit",
                "Le port de Dakar s'agrandit",
            ),
        ];
        let prose = "La récolte de cette année, annoncée lundi par le ministère, dépasse toutes \
                     les prévisions des experts et des producteurs.";
        for (list, kept) in table {
            let page = format!("Lire aussi :\n\n{list}\n\n{prose}\n\n{prose}");
            let article = clean(&page, &NoFurniture);
            let dropped: Vec<_> = article
                .dropped
                .iter()
                .filter(|d| d.text == kept && d.reason == Reason::RelatedLink)
                .collect();
            assert!(dropped.is_empty(), "{kept}: {:?}", article.dropped);
        }
    }
}
