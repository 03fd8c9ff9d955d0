//! The words that name kinds of page furniture (consent banners, social and share prompts,
//! related links, advertising, rights notices, credits, field labels), and the folded, lowercased
//! form every one of them is matched against. Lists of kinds, never one site's sentences.

use std::sync::OnceLock;

use regex::Regex;

/// [`crate::fold::fold`] then lowercase, in one pass: the form every vocabulary rule reads.
pub(super) fn fold_lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_folded_lower(text, |c| out.push(c));
    out
}

/// Calls `f` with each character of `text` accent-folded and lowercased; ASCII and Latin-1 take
/// a path without Unicode tables.
#[inline]
pub(super) fn for_each_folded_lower(text: &str, mut f: impl FnMut(char)) {
    for c in text.chars() {
        if c.is_ascii() {
            f(c.to_ascii_lowercase());
        } else if let Some(folded) = crate::fold::fold_latin1(c) {
            f(folded.to_ascii_lowercase());
        } else {
            let mut one = [0u8; 4];
            for folded in crate::fold::fold(c.encode_utf8(&mut one)).chars() {
                folded.to_lowercase().for_each(&mut f);
            }
        }
    }
}

/// Words a line is made of, lowercased and accent-folded.
pub(super) fn words(line: &str) -> Vec<String> {
    fold_lower(line)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A built-in pattern, compiled once per process.
pub(super) fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in pattern"))
}

/// Whether the folded line starts with one of `prefixes` as whole words.
pub(super) fn starts_with_any(folded_lower: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| {
        folded_lower.starts_with(p)
            && !folded_lower[p.len()..].starts_with(|c: char| c.is_alphanumeric())
    })
}

/// Verbs that open an interface's labels and links, infinitive or imperative ("Afficher les
/// commentaires", "Accéder au contenu", "Consultez le journal"): what a page asks its reader to
/// do, never a headline or a name.
const UI_VERBS: &[&str] = &[
    "afficher",
    "affichez",
    "masquer",
    "acceder",
    "accedez",
    "aller",
    "allez",
    "passer",
    "consulter",
    "consultez",
    "voir",
    "voyez",
    "decouvrir",
    "decouvrez",
    "fermer",
    "ouvrir",
    "rechercher",
    "cliquer",
    "cliquez",
    "revenir",
    "retour",
    "ajouter",
    "ajoutez",
    "signaler",
    "commenter",
    "commentez",
    "reagir",
    "reagissez",
    "connectez",
    "identifiez",
    "activer",
    "activez",
    "desactiver",
    "gerer",
    "gerez",
    "accepter",
    "acceptez",
    "refuser",
    "continuer",
    "parametrer",
    "personnaliser",
    "modifier",
    "skip",
    "go",
];

/// A short line that opens on an interface verb ([`UI_VERBS`], a prompt's imperative, "se
/// connecter", "s'abonner"): a label or a link of the page.
pub(super) fn is_ui_label(line: &str) -> bool {
    let words = words(line);
    let Some(first) = words.first() else {
        return false;
    };
    let reflexive = matches!(first.as_str(), "se" | "s" | "vous")
        && words.get(1).is_some_and(|w| {
            w.starts_with("connect") || w.starts_with("abonn") || w.starts_with("inscri")
        });
    words.len() <= 8
        && (UI_VERBS.contains(&first.as_str())
            || PROMPT_VERBS.contains(&first.as_str())
            || reflexive)
}

/// Names of languages as a language switcher lists them.
const LANGUAGES: &[&str] = &[
    "francais",
    "english",
    "deutsch",
    "espanol",
    "italiano",
    "portugues",
    "nederlands",
    "polski",
    "turkce",
    "magyar",
    "romana",
    "svenska",
    "dansk",
    "norsk",
    "suomi",
    "cestina",
];

/// A language switcher: three language names or more in one line ("Français English Deutsch",
/// glued or not).
pub(super) fn is_language_switcher(line: &str) -> bool {
    let folded = fold_lower(line);
    LANGUAGES.iter().filter(|l| folded.contains(*l)).count() >= 3
}

/// Networks, apps and feeds a page asks its reader to follow.
pub(super) const NETWORKS: &[&str] = &[
    "telegram",
    "facebook",
    "twitter",
    "whatsapp",
    "youtube",
    "instagram",
    "tiktok",
    "linkedin",
    "threads",
    "bluesky",
    "snapchat",
    "x",
    "google",
    "newsletter",
    "newsletters",
    "application",
    "appli",
    "podcast",
    "chaine",
    "flux",
    "rss",
    "messenger",
    "viber",
    "vk",
    "dailymotion",
    "pinterest",
];

/// The imperatives of follow, share and listen prompts.
pub(super) const PROMPT_VERBS: &[&str] = &[
    "suivez",
    "devenez",
    "rejoignez",
    "partagez",
    "partager",
    "abonnez",
    "inscrivez",
    "telechargez",
    "telecharger",
    "retrouvez",
    "suivre",
    "recevez",
    "ecoutez",
    "ecouter",
    "reecouter",
    "regardez",
    "regarder",
    "revoir",
    "likez",
    "aimez",
    "soutenez",
    "imprimer",
    "envoyer",
];

/// Words of a share bar besides network names and share verbs.
pub(super) const SHARE_WORDS: &[&str] = &[
    "e", "mail", "email", "copier", "lien", "a", "un", "ami", "par", "sur", "cet", "article",
];

/// Words of cookie banners and consent dialogs (a `match`: every word of every line is tested).
pub(super) fn is_consent_word(word: &str) -> bool {
    matches!(
        word,
        "cookie"
            | "cookies"
            | "traceurs"
            | "consentez"
            | "consentement"
            | "confidentialite"
            | "rgpd"
            | "cliquant"
            | "accepter"
            | "refuser"
            | "parametrer"
            | "personnalisees"
            | "navigation"
            | "partenaires"
            | "gdpr"
            | "consent"
            | "preferences"
    )
}

/// Words of a site speaking to its visitor about itself ("vous", "nous utilisons", "site"): with
/// a cookie, a consent notice.
pub(super) fn is_addressing_word(word: &str) -> bool {
    matches!(
        word,
        "vous"
            | "votre"
            | "vos"
            | "nous"
            | "utilise"
            | "utilisons"
            | "site"
            | "services"
            | "experience"
    )
}

/// Lead-ins of related-article links.
pub(super) const RELATED: &[&str] = &[
    "lire aussi",
    "a lire",
    "voir aussi",
    "lire la suite",
    "sur le meme sujet",
    "nos articles",
    "a voir",
    "en savoir plus",
    "articles lies",
    "les plus lus",
    "dans la meme rubrique",
    "articles similaires",
    "lire egalement",
    "sur le meme theme",
    "a decouvrir",
    "a la une",
    "articles recommandes",
    "vous aimerez aussi",
    "publications associees",
    "articles associes",
    "autres depeches",
];

/// Headings of the page's own sections after the article: comments, the author's biography.
pub(super) const SECTION_HEADINGS: &[&str] = &[
    "commentaires",
    "commentaire",
    "reagir",
    "reactions",
    "laisser un commentaire",
    "ajouter un commentaire",
    "vos commentaires",
    "a propos de l'auteur",
    "a propos de l'auteure",
    "a propos des auteurs",
    "a propos de l’auteur",
    "a propos de l’auteure",
    "biographie",
];

/// Headings of an author's box, when they are the whole line ("L'auteur"): as the start of a
/// line they open sentences of the article ("L'auteur du livre …").
pub(super) const AUTHOR_HEADINGS: &[&str] = &[
    "l'auteur",
    "l'auteure",
    "l’auteur",
    "l’auteure",
    "les auteurs",
    "l'auteur de l'article",
];

/// The words that label a figure before a colon ("Carte 2 : …", "Graphique : …").
pub(super) const FIGURE_LABELS: &[&str] = &[
    "carte",
    "graphique",
    "schema",
    "infographie",
    "tableau",
    "figure",
    "diaporama",
    "video",
];

/// Where an article first appeared or how to cite it: a notice of the page, not the article.
pub(super) const PUBLICATION_NOTICES: &[&str] = &[
    "cet article est paru",
    "cet article a ete publie",
    "article publie initialement",
    "pour citer cet",
    "n'engagent que",
    "n'engage que",
];

/// Advertising and paywall notices.
pub(super) const ADVERTISING: &[&str] = &[
    "publicite",
    "sponsorise",
    "contenu sponsorise",
    "reserve aux abonnes",
    "deja abonne",
    "abonnez-vous",
    "il vous reste",
    "article reserve",
    "offre speciale",
    "se connecter",
    "s'abonner",
    "annonce",
    "la suite est reservee",
    "cet article est reserve",
    "je m'abonne",
    "je m’abonne",
    "s'inscrire",
    "s’inscrire",
    "sans engagement",
    "commander ce numero",
    "offrir l'article",
    "offrir l’article",
    "offre sans engagement",
];

/// Copyright notices that name no photo: the footer of the page.
pub(super) const RIGHTS: &[&str] = &[
    "tous droits reserves",
    "all rights reserved",
    "reproduction interdite",
    "toute reproduction",
    "droits de reproduction",
];

/// How a photo credit starts ("Photo : …", "Crédit : …").
pub(super) const CREDIT_STARTS: &[&str] = &["photo", "credit", "image", "illustration"];

/// Photo agencies and image banks as credits name them ("… / AFP", "… - Unsplash").
pub(super) const AGENCY_CREDITS: &[&str] = &[
    " - unsplash",
    "/ afp",
    "/afp",
    "/ reuters",
    "/reuters",
    "getty images",
    "via unsplash",
];

/// Words of a field label in a page header ("Émission : …", "Rubrique : …", "Mots-clés : …").
pub(super) const FIELD_LABELS: &[&str] = &[
    "emission",
    "rubrique",
    "categorie",
    "categories",
    "mots",
    "tags",
    "etiquettes",
    "themes",
    "auteur",
    "auteurs",
    "duree",
    "temps",
    "section",
];
