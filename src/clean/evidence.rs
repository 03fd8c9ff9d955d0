//! Why a pass decided what it did about a line: the [`Evidence`] recorded with every dropped
//! line, and [`describe_line`], the prose statistics of any line in words. Together they let
//! `aes-search clean FILE --explain` show each decision with what it rests on, so that a wrong
//! verdict points at the rule to change.

use serde::{Deserialize, Serialize};

use super::line::has_sentence_end;
use super::prose;

/// What a pass saw when it dropped a line: the rule that fired, named by its kind of evidence
/// (vocabulary, shape, position, context, recurrence), never by a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// Words of cookie banners and consent dialogs.
    ConsentWords,
    /// Button labels scraped without separators ("AccepterTout").
    GluedLabels,
    /// An imperative to follow, share or listen, naming a network.
    PromptVerb,
    /// A short imperative to share or listen, not a sentence: a button.
    ShortImperative,
    /// Nothing but network names and share words.
    ShareBar,
    /// The page speaking to its reader about itself.
    AboutThePage,
    /// Opens as related links do ("Lire aussi").
    RelatedLeadIn,
    /// Words of advertising and paywalls.
    AdvertisingWords,
    /// A copyright or rights notice.
    RightsNotice,
    /// A © sign, a credit's opening word or a photo agency, in a line that is not a sentence.
    CreditWords,
    /// The heading of a section of the page's own (comments, about the author).
    SectionHeading,
    /// Under a heading of the page's own section, till the page ends.
    InPageSection,
    /// A reader comment's header: a handle over a date or a time, "Soumis par X, le …".
    CommentHeader,
    /// A comment thread's count, heading or form ("12 réactions", "connectez-vous pour …").
    CommentThread,
    /// After the article, from the first header or form of its comment thread.
    InComments,
    /// A figure's label before a colon ("Carte 2 : …").
    FigureLabel,
    /// A reading time ("Lecture 5 min.").
    ReadingTime,
    /// A view counter ("Vues : 4 812").
    ViewCounter,
    /// Ends with a photographer's or agency's credit: a caption.
    CreditAtEnd,
    /// "Par" followed by names only.
    NamesAfterPar,
    /// The byline's names again, alone on a line after them.
    BylineNameAgain,
    /// Repeats a sentence of another line of the article: a pull quote.
    PullQuote,
    /// Who said a quotation, under it: a name and a role, or a dash and a few words.
    QuoteAttribution,
    /// Under the byline's names repeated, with no article text after: the author's box.
    UnderAuthorName,
    /// A short pitch (an exclamation, the reader addressed) directly under an ad label.
    UnderAdLabel,
    /// Seen in other articles of the corpus, and not prose between fresh prose.
    RecursInCorpus,
    /// A short line directly against a photo credit: a figure block.
    BesideCredit,
    /// Directly under a related-links lead-in, not a sentence.
    UnderRelatedLeadIn,
    /// The title-like line where the body starts (or the page's first, when it reads as one).
    Headline,
    /// Starts with the headline and goes on with a credit or furniture.
    HeadlineAndCredit,
    /// A short line directly against the headline's repeat: a figure block.
    BesideHeadlineRepeat,
    /// A date with only date words ("Publié le", "à", hours) near the page's edges.
    DateOnly,
    /// Above the headline, short or not prose: masthead, menus, kickers.
    AboveHeadline,
    /// Before the first prose, a single word.
    HeaderWord,
    /// After the last sentence of the article, short and not a sentence.
    AfterLastSentence,
    /// Between the headline and the body, not prose and not a heading of the body.
    BeforeBody,
    /// After the article's body.
    AfterBody,
    /// Inside the body, short lines with page furniture on both sides.
    BetweenChrome,
    /// Kept: a short line between two prose lines of the body, a subheading or a quote.
    BetweenProse,
    /// Segments of a few words between separators ("›", "|", "»").
    Breadcrumb,
    /// A field label and its value ("Rubrique : …").
    FieldLabel,
}

impl Evidence {
    /// One line for people.
    pub fn describe(self) -> &'static str {
        match self {
            Evidence::ConsentWords => "cookie and consent words",
            Evidence::GluedLabels => "button labels glued together",
            Evidence::PromptVerb => "an imperative to follow, share or listen",
            Evidence::ShortImperative => "a short imperative, not a sentence",
            Evidence::ShareBar => "only network names and share words",
            Evidence::AboutThePage => "the page speaking to its reader about itself",
            Evidence::RelatedLeadIn => "opens as a related link does",
            Evidence::AdvertisingWords => "advertising or paywall words",
            Evidence::RightsNotice => "a rights notice",
            Evidence::CreditWords => "a credit's sign, opening word or agency",
            Evidence::SectionHeading => "heads a section of the page's own",
            Evidence::InPageSection => "in a section of the page's own (comments, author)",
            Evidence::CommentHeader => "a reader comment's header (handle, date or time)",
            Evidence::CommentThread => "a comment thread's count, heading or form",
            Evidence::InComments => "in the comment thread after the article",
            Evidence::FigureLabel => "a figure's label",
            Evidence::ReadingTime => "a reading time",
            Evidence::ViewCounter => "a view counter",
            Evidence::CreditAtEnd => "ends with a photo credit",
            Evidence::NamesAfterPar => "\"par\" followed by names only",
            Evidence::BylineNameAgain => "the byline's names again, alone",
            Evidence::PullQuote => "repeats a sentence of the article: a pull quote",
            Evidence::QuoteAttribution => "who said the quotation above",
            Evidence::UnderAuthorName => "under the author's name, no article text after",
            Evidence::UnderAdLabel => "a short pitch under an ad label",
            Evidence::RecursInCorpus => "seen in other articles of the corpus",
            Evidence::BesideCredit => "short, against a photo credit",
            Evidence::UnderRelatedLeadIn => "under a related-links lead-in",
            Evidence::Headline => "title-like, where the body starts",
            Evidence::HeadlineAndCredit => "the headline with a credit glued on",
            Evidence::BesideHeadlineRepeat => "short, against the repeated headline",
            Evidence::DateOnly => "a date and date words only, at the page's edge",
            Evidence::AboveHeadline => "above the headline, short or not prose",
            Evidence::HeaderWord => "a single word before the body",
            Evidence::AfterLastSentence => "after the last sentence of the article",
            Evidence::BeforeBody => "between the headline and the body, not prose",
            Evidence::AfterBody => "after the article's body",
            Evidence::BetweenChrome => "short, between page furniture",
            Evidence::BetweenProse => "short, between prose lines",
            Evidence::Breadcrumb => "short segments between separators",
            Evidence::FieldLabel => "a field label and its value",
        }
    }
}

/// The prose statistics of `line` in words, as `--explain` shows them beside each decision:
/// "3 words, stop-word density 0.00, 100% capitalised, no sentence end".
pub fn describe_line(line: &str) -> String {
    let s = prose::stats(line);
    let mut out = format!(
        "{} word{}, stop-word density {:.2}, {:.0}% capitalised",
        s.words,
        if s.words == 1 { "" } else { "s" },
        s.stop_density,
        s.capitalised * 100.0
    );
    if s.all_caps {
        out.push_str(", all capitals");
    }
    out.push_str(if has_sentence_end(line) {
        ", sentence end"
    } else {
        ", no sentence end"
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_a_line_by_its_statistics() {
        let table = [
            (
                "Politique Sport Culture",
                "3 words, stop-word density 0.00, 100% capitalised, no sentence end",
            ),
            (
                "Le chat de la voisine dort.",
                "6 words, stop-word density 0.50, 17% capitalised, sentence end",
            ),
            (
                "ACCUEIL",
                "1 word, stop-word density 0.00, 100% capitalised, all capitals, no sentence end",
            ),
        ];
        for (line, expected) in table {
            assert_eq!(describe_line(line), expected, "{line:?}");
        }
    }
}
