//! The author's box at the end of a page: the byline's name again, on a line of its own, and
//! the line under it that presents the author ("Chef du service Afrique, il couvre le Sahel
//! depuis 2012."). Those read as prose, and no word of theirs is furniture; what gives them away
//! is context: the name the byline gave, repeated after the article, with no article text after.

use super::line::is_prose;
use super::vocabulary::fold_lower;
use super::{Evidence, Page, Reason};

impl Page<'_> {
    /// Pass 8, continued: the byline's names repeated alone on a later line, and the line under
    /// it when no article text stands after that one.
    pub(super) fn mark_author_box(&mut self) {
        let names: Vec<(usize, String)> = self
            .non_empty
            .iter()
            .filter(|&&i| self.evidence[i] == Some(Evidence::NamesAfterPar))
            .filter_map(|&i| byline_names(self.line(i)).map(|n| (i, n)))
            .collect();
        for (byline, name) in names {
            let repeated = self.non_empty.iter().copied().find(|&i| {
                i > byline && self.verdict[i].is_none() && fold_lower(self.line(i)) == name
            });
            let Some(at) = repeated else {
                continue;
            };
            self.verdict[at] = Some(Reason::Byline);
            self.evidence[at] = Some(Evidence::BylineNameAgain);
            let Some(bio) = self.next_line(at).filter(|&i| self.verdict[i].is_none()) else {
                continue;
            };
            let text_after = self
                .non_empty
                .iter()
                .any(|&i| i > bio && self.verdict[i].is_none() && is_prose(self.line(i)));
            if !text_after {
                self.verdict[bio] = Some(Reason::Byline);
                self.evidence[bio] = Some(Evidence::UnderAuthorName);
            }
        }
    }
}

/// The names of a byline, folded: "Par Serge Mbida, à Dakar" → "serge mbida".
fn byline_names(line: &str) -> Option<String> {
    let rest = line.trim().get(3..)?.trim_start_matches([' ', ':']);
    let names = rest.split([',', '(']).next()?;
    let names = names.split(" - ").next()?.split(" – ").next()?.trim();
    (names.split_whitespace().count() >= 2).then(|| fold_lower(names))
}

#[cfg(test)]
mod tests {
    use super::super::{clean, NoFurniture, Reason};
    use super::*;

    #[test]
    fn reads_the_names_of_a_byline() {
        let table = [
            ("Par Awa Keita", Some("awa keita")),
            ("Par : Awa Keïta, à Bamako", Some("awa keita")),
            (
                "Par Awa Keita et Jean-Paul Roux",
                Some("awa keita et jean-paul roux"),
            ),
            ("Par Awa Keita - 20 mai 2025", Some("awa keita")),
            ("Par AFP", None),
        ];
        for (line, names) in table {
            assert_eq!(byline_names(line).as_deref(), names, "{line}");
        }
    }

    /// Between the article and the author's box, as on many pages.
    const PROMPT: &str = "Newsletter : recevez chaque jeudi notre sélection d'articles sur le \
                          Sahel et l'Afrique de l'Ouest.\n\nS'inscrire gratuitement";
    const BIO: &str = "Cheffe du service Afrique de l'Ouest de La Gazette, elle couvre le Sahel \
                       depuis 2015 et a été correspondante à Niamey puis à Bamako.";

    /// (lines of the page after the body, the verdicts expected on them)
    #[test]
    fn the_bylines_name_repeated_after_the_article_and_the_lines_under_it_go() {
        let body = "Les ministres des trois pays se sont réunis mardi à Niamey pour parler du \
                    calendrier de la banque commune et des premiers projets qu'elle financera.\n\n\
                    La réunion a duré toute la journée, et un communiqué doit suivre jeudi.";
        let table: [(&String, &[Option<Reason>]); 3] = [
            (
                &format!("Awa Keita\n\n{BIO}"),
                &[Some(Reason::Byline), Some(Reason::Byline)],
            ),
            // Article text after the name: the name line goes, what follows stays.
            (
                &format!("Awa Keita\n\n{BIO}\n\nLe sommet suivant se tiendra à Bamako, a-t-on appris de source officielle, et les délégations y présenteront leurs budgets."),
                &[Some(Reason::Byline), None, None],
            ),
            // Another name: nothing to go by.
            (
                &format!("Paul Roux\n\n{BIO}"),
                &[None, None],
            ),
        ];
        for (tail, expected) in table {
            let page = format!(
                "La banque commune prend forme\n\nPar Awa Keita\n\n{body}\n\n{PROMPT}\n\n{tail}"
            );
            let cleaned = clean(&page, &NoFurniture);
            let verdicts: Vec<Option<Reason>> = tail
                .split("\n\n")
                .map(|l| {
                    cleaned
                        .dropped
                        .iter()
                        .find(|d| d.text == l)
                        .map(|d| d.reason)
                })
                .collect();
            assert_eq!(verdicts, expected, "{tail}");
        }
    }
}
