//! The advertisement under an ad label. A scraped "Publicité" line is often followed by the ad's
//! own text, which reads as a sentence ("X : envoyez de l'argent sans frais jusqu'au 31 mai !"),
//! and as often by the article again, the ad having been an image. What tells them apart is the
//! pitch: an exclamation, or the reader addressed ("envoyez", "votre"), in a short line.

use super::line::has_sentence_end;
use super::vocabulary::{fold_lower, words};
use super::{Evidence, Page, Reason};

/// Longest line taken as an ad's text, in words.
const MOST_AD_WORDS: usize = 30;

impl Page<'_> {
    /// Pass 8, continued: the short pitch directly under a label of one or two advertising words.
    pub(super) fn mark_ads_under_labels(&mut self) {
        for k in 1..self.non_empty.len() {
            let (label, i) = (self.non_empty[k - 1], self.non_empty[k]);
            let labelled = self.evidence[label] == Some(Evidence::AdvertisingWords)
                && words(&fold_lower(self.line(label))).len() <= 2;
            if labelled && self.verdict[i].is_none() && is_pitch(self.line(i)) {
                self.verdict[i] = Some(Reason::Advertising);
                self.evidence[i] = Some(Evidence::UnderAdLabel);
            }
        }
    }
}

/// A short line that sells: it exclaims, or speaks to the reader.
fn is_pitch(line: &str) -> bool {
    let folded = fold_lower(line);
    let w = words(&folded);
    if w.is_empty() || w.len() > MOST_AD_WORDS {
        return false;
    }
    let exclaims = line.trim_end().ends_with('!') && has_sentence_end(line);
    let to_the_reader = w.iter().any(|x| {
        matches!(x.as_ref(), "vous" | "votre" | "vos")
            || (x.len() >= 5 && x.ends_with("ez") && !matches!(x.as_ref(), "chez" | "assez"))
    });
    exclaims || to_the_reader
}

#[cfg(test)]
mod tests {
    use super::super::{clean, NoFurniture, Reason};
    use super::*;

    #[test]
    fn a_pitch_exclaims_or_speaks_to_the_reader() {
        let table = [
            ("SahelPay : envoyez de l'argent sans frais jusqu'au 30 juin !", true),
            ("Votre billet pour Dakar dès 99 000 FCFA.", true),
            ("Le prochain sommet se tiendra au Mali.", false),
            ("Notre correspondant rapporte que la nouvelle a été accueillie chez les commerçants.", false),
        ];
        for (line, pitch) in table {
            assert_eq!(is_pitch(line), pitch, "{line}");
        }
    }

    /// (the line under the label, whether it goes as an ad)
    #[test]
    fn under_an_ad_label_the_pitch_goes_and_the_article_stays() {
        let before = "Les ministres des trois pays se sont réunis mardi à Niamey pour parler du \
                      calendrier de la banque commune et des premiers projets qu'elle financera.";
        let after = "La réunion a duré toute la journée, et un communiqué commun doit suivre \
                     jeudi, selon plusieurs délégations présentes sur place.";
        let table = [
            (
                "SahelPay : envoyez de l'argent sans frais jusqu'au 30 juin !",
                true,
            ),
            (
                "Les délégations ont aussi évoqué la sécurité des routes entre les capitales.",
                false,
            ),
        ];
        for (line, ad) in table {
            let page = format!(
                "La banque commune prend forme\n\n{before}\n\nPublicité\n\n{line}\n\n{after}"
            );
            let cleaned = clean(&page, &NoFurniture);
            let dropped = cleaned.dropped.iter().find(|d| d.text == line);
            assert_eq!(
                dropped.map(|d| d.reason),
                ad.then_some(Reason::Advertising),
                "{line}"
            );
        }
    }
}
