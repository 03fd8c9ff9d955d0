//! Prose statistics of one line, with no vocabulary of any site: French stop-word density,
//! capitalisation and shape. They tell running text and headlines (sentence case, function
//! words) from menus, mastheads and labels (capitalised nouns, no function words), as jusText's
//! features do, without needing the HTML.

/// French function words (accent-folded, lowercase): frequent in any sentence, rare in menus.
/// [`is_stop_word`] is this list as a `match`; a test keeps the two the same.
#[cfg(test)]
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "cette", "dans", "de", "des", "du", "elle", "en", "est",
    "et", "il", "ils", "la", "le", "les", "leur", "leurs", "l", "d", "qu", "n", "s", "c", "j",
    "mais", "ne", "nous", "on", "ou", "par", "pas", "pour", "que", "qui", "sa", "se", "ses", "son",
    "sont", "sur", "un", "une", "vous", "y", "ont", "plus", "entre", "apres", "sans", "sous",
    "face", "vers", "comme", "peut", "fait",
];

/// Whether a folded, lowercased word is a French function word; a `match`, as every word of
/// every prose line of the corpus is asked.
fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "au"
            | "aux"
            | "avec"
            | "ce"
            | "ces"
            | "cette"
            | "dans"
            | "de"
            | "des"
            | "du"
            | "elle"
            | "en"
            | "est"
            | "et"
            | "il"
            | "ils"
            | "la"
            | "le"
            | "les"
            | "leur"
            | "leurs"
            | "l"
            | "d"
            | "qu"
            | "n"
            | "s"
            | "c"
            | "j"
            | "mais"
            | "ne"
            | "nous"
            | "on"
            | "ou"
            | "par"
            | "pas"
            | "pour"
            | "que"
            | "qui"
            | "sa"
            | "se"
            | "ses"
            | "son"
            | "sont"
            | "sur"
            | "un"
            | "une"
            | "vous"
            | "y"
            | "ont"
            | "plus"
            | "entre"
            | "apres"
            | "sans"
            | "sous"
            | "face"
            | "vers"
            | "comme"
            | "peut"
            | "fait"
    )
}

/// Words of `line` and the share of them that are French function words, in one pass without
/// allocating per word: the cheap half of [`stats`], for every line of every article.
pub(super) fn stop_density(line: &str) -> (usize, f32) {
    let (mut words, mut stops) = (0usize, 0usize);
    let mut word = String::with_capacity(24);
    let mut end_word = |word: &mut String| {
        if !word.is_empty() {
            words += 1;
            stops += usize::from(is_stop_word(word));
            word.clear();
        }
    };
    super::vocabulary::for_each_folded_lower(line, |c| {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            end_word(&mut word);
        }
    });
    end_word(&mut word);
    (words, ratio(stops, words))
}

/// What the statistics say about one line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ProseStats {
    /// Words (letters and digits runs).
    pub words: usize,
    /// Share of words that are French function words.
    pub stop_density: f32,
    /// Share of words of letters that start with a capital.
    pub capitalised: f32,
    /// Whether every letter is a capital (a shouted masthead or menu).
    pub all_caps: bool,
}

/// Statistics of `line`.
pub(super) fn stats(line: &str) -> ProseStats {
    let folded = super::vocabulary::fold_lower(line);
    let stops = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| is_stop_word(w))
        .count();
    let raw: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let lettered: Vec<&&str> = raw
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let capitals = lettered
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    ProseStats {
        words: raw.len(),
        stop_density: ratio(stops, raw.len()),
        capitalised: ratio(capitals, lettered.len()),
        all_caps: letters.len() >= 6 && letters.iter().all(|c| !c.is_lowercase()),
    }
}

fn ratio(part: usize, whole: usize) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part as f32 / whole as f32
    }
}

/// A run of capitalised labels with no function word: a menu, a list of sections, a masthead
/// ("Accueil Actualités Politique Économie", "ACTUALITÉ POLITIQUE SPORT").
pub(super) fn is_label_run(line: &str) -> bool {
    // Labels are not punctuated: a comma, a colon or quotes make a headline of named works.
    if line.contains([',', ':', '«', '"', '“']) {
        return false;
    }
    let s = stats(line);
    s.words >= 4 && ((s.stop_density <= 0.15 && s.capitalised >= 0.8) || s.all_caps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_label_runs_from_headlines() {
        let table = [
            ("Accueil Actualités Politique Économie Sécurité Sport", true),
            ("SPORT CULTURE MONDE ÉCONOMIE", true),
            (
                "Le conseil des ministres adopte le budget de la région",
                false,
            ),
            ("Niamey : les ministres adoptent le budget", false),
            ("Accueil Contact", false),
            (
                "Cinéma : «Le Grand Voyage», «Trois Nuits», «Les Anges»",
                false,
            ),
            (
                "Accueil Région Politique Sport Culture Vidéos Podcasts ▶ Écouter le direct",
                true,
            ),
        ];
        for (line, expected) in table {
            assert_eq!(is_label_run(line), expected, "{line:?}");
        }
    }

    #[test]
    fn the_stop_word_match_is_the_list() {
        for w in STOP_WORDS {
            assert!(is_stop_word(w), "{w}");
        }
        assert!(!is_stop_word("budget"));
    }

    #[test]
    fn measures_stop_word_density() {
        let table = [
            ("le chat de la voisine", 0.6),
            ("Politique Sport Culture", 0.0),
            ("", 0.0),
        ];
        for (line, expected) in table {
            assert!(
                (stats(line).stop_density - expected).abs() < 1e-6,
                "{line:?}"
            );
            assert!((stop_density(line).1 - expected).abs() < 1e-6, "{line:?}");
        }
    }
}
