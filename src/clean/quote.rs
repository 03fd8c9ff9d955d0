//! Pull quotes: a sentence of the article set again in large type beside it, with the name of
//! who said it. The copy is furniture (the sentence stays where the body says it); it is told
//! by repetition within the page, and its attribution by standing under it or by its dash.

use std::collections::HashMap;

use super::evidence::Evidence;
use super::line::{has_sentence_end, is_text};
use super::{Page, Reason};

/// Longest pull quote looked at, in words: a longer line is a paragraph.
const MAX_QUOTE_WORDS: usize = 60;

/// Shortest sentence taken as repeated, in bytes: a short phrase may recur by chance.
const MIN_QUOTE_BYTES: usize = 40;

/// Most lines compared, each against all: a page with more article lines is a thread or a
/// list, and the comparison would cost more than it finds.
const MAX_LINES: usize = 400;

/// Longest attribution, in words: a name and a role.
const MAX_ATTRIBUTION_WORDS: usize = 10;

/// The sentence without its quotation marks and its end: what a pull quote and the body share.
fn core(line: &str) -> &str {
    line.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Bytes of a sentence's opening that index it.
const KEY_BYTES: usize = 24;

/// The first [`KEY_BYTES`] of `s` (to the next character's end), if it has that many.
fn key(s: &str) -> Option<&str> {
    let mut end = KEY_BYTES;
    if s.len() < end {
        return None;
    }
    while !s.is_char_boundary(end) {
        end += 1;
    }
    Some(&s[..end])
}

/// The keys of where sentences open in `line`: its start, and after an end of sentence, a
/// colon, an opening quotation mark or bracket.
fn openings(line: &str) -> impl Iterator<Item = &str> {
    let after = line
        .char_indices()
        .filter(|&(_, c)| matches!(c, '.' | '!' | '?' | ':' | '«' | '"' | '“' | '('))
        .map(|(k, c)| k + c.len_utf8());
    std::iter::once(0)
        .chain(after)
        .filter_map(|k| key(line[k..].trim_start_matches(|c: char| !c.is_alphanumeric())))
}

/// Whether `line` is in quotation marks.
fn quoted(line: &str) -> bool {
    line.starts_with(['«', '"', '“'])
        || line.trim_end_matches(['.', ' ']).ends_with(['»', '"', '”'])
}

/// Whether the pull quote `quote` repeats the line `other`: its sentence stands inside a
/// longer line, or `other` is the same sentence in quotation marks and `quote` is not.
fn repeats(quote: &str, other: &str) -> bool {
    let (q, o) = (core(quote), core(other));
    if q.len() < MIN_QUOTE_BYTES || o.len() < q.len() {
        return false;
    }
    if o.len() == q.len() {
        return o == q && quoted(other) && !quoted(quote);
    }
    o.contains(q)
}

/// "— Jeanne Martin, maire", "– Une parole de X": a dash and a few words, not a sentence.
fn is_dash_attribution(line: &str) -> bool {
    let words = line.split_whitespace().count();
    line.starts_with(['—', '–'])
        && (2..=MAX_ATTRIBUTION_WORDS).contains(&words)
        && !has_sentence_end(line)
}

impl Page<'_> {
    /// Pass 8, continued: every line that repeats a sentence of another line of the article,
    /// the name and role under it, and a dashed attribution under a quotation.
    pub(super) fn mark_pull_quotes(&mut self) {
        let kept: Vec<usize> = self
            .non_empty
            .iter()
            .copied()
            .filter(|&i| self.verdict[i].is_none())
            .collect();
        if kept.len() > MAX_LINES {
            return;
        }
        // The candidates by the first bytes of their sentence; each sentence opening of each line
        // is looked up among them, so that a candidate is compared only with the lines where a
        // sentence opens as it does.
        let mut candidates: HashMap<&str, Vec<usize>> = HashMap::new();
        for &i in &kept {
            let line = self.line(i);
            // Most lines are long prose: their word count is not taken past the limit.
            let short = line.split_whitespace().nth(MAX_QUOTE_WORDS).is_none();
            if let Some(k) = key(core(line)).filter(|_| short && is_text(line)) {
                candidates.entry(k).or_default().push(i);
            }
        }
        let mut pulled: Vec<usize> = Vec::new();
        if !candidates.is_empty() {
            for &j in &kept {
                for opening in openings(self.line(j)) {
                    let Some(found) = candidates.get(opening) else {
                        continue;
                    };
                    pulled.extend(
                        found
                            .iter()
                            .filter(|&&i| i != j && repeats(self.line(i), self.line(j))),
                    );
                }
            }
        }
        for (k, &i) in kept.iter().enumerate() {
            if self.verdict[i].is_some() {
                continue;
            }
            let line = self.line(i);
            if pulled.contains(&i) {
                self.verdict[i] = Some(Reason::PageChrome);
                self.evidence[i] = Some(Evidence::PullQuote);
                self.mark_attribution(&kept[k + 1..]);
            } else if quoted(line) {
                if let Some(&next) = kept.get(k + 1) {
                    if is_dash_attribution(self.line(next)) {
                        self.verdict[next] = Some(Reason::PageChrome);
                        self.evidence[next] = Some(Evidence::QuoteAttribution);
                    }
                }
            }
        }
    }

    /// Under a pull quote, up to two short lines that are not sentences: the speaker's name and
    /// role.
    fn mark_attribution(&mut self, after: &[usize]) {
        for &j in after.iter().take(2) {
            let l = self.line(j);
            let words = l.split_whitespace().count();
            if has_sentence_end(l) || !(1..=MAX_ATTRIBUTION_WORDS).contains(&words) {
                return;
            }
            self.verdict[j] = Some(Reason::PageChrome);
            self.evidence[j] = Some(Evidence::QuoteAttribution);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{clean, NoFurniture};

    #[test]
    fn tells_a_repeated_sentence_from_the_body_that_says_it() {
        let said = "Nous ouvrirons la piscine avant l'été, quoi qu'il en coûte à la commune.";
        assert!(repeats(
            said,
            &format!("Le maire l'a promis : « {said} » Les travaux commencent lundi.")
        ));
        assert!(repeats(said, &format!("« {said} »")));
        // The same sentence twice without quotation marks: nothing says which is the copy.
        assert!(!repeats(said, said));
        assert!(!repeats(
            "La piscine ouvrira.",
            "Le maire dit que la piscine ouvrira."
        ));
        assert!(is_dash_attribution("— Une parole de Jeanne Martin"));
        assert!(!is_dash_attribution("— Le maire a parlé longtemps."));
    }

    #[test]
    fn drops_the_pull_quote_and_its_speaker_and_keeps_the_body() {
        let page = "La commune votera son budget lundi\n\n\
            Le conseil municipal se réunit lundi pour voter le budget de la commune, en hausse.\n\n\
            Les écoles d'abord, il n'y a pas de plus belle dépense pour une ville.\n\n\
            Jeanne Martin\n\n\
            Maire de la commune\n\n\
            La maire a défendu ses choix devant la presse. « Les écoles d'abord, il n'y a pas de \
            plus belle dépense pour une ville », a-t-elle dit.\n\n\
            Le vote aura lieu à vingt heures, dans la salle du conseil, ouverte au public.";
        let article = clean(page, &NoFurniture);
        let dropped: Vec<&str> = article.dropped.iter().map(|d| d.text.as_str()).collect();
        assert!(dropped.contains(&"Jeanne Martin"), "{dropped:?}");
        assert!(dropped.contains(&"Maire de la commune"), "{dropped:?}");
        assert!(dropped.iter().any(|d| d.starts_with("Les écoles d'abord")));
        assert_eq!(article.paragraphs.len(), 3, "{:?}", article.paragraphs);
    }
}
