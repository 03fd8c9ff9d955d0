//! A deterministic generator of article folders for the benchmarks.
//!
//! Each file looks like a scraped news page: optional top furniture (cookie banner, glued consent
//! buttons), a headline, a date line in one of several formats, 3–12 paragraphs of real French text
//! from `../shared/data` (Assemblée nationale debates, ELTeC novels, Wikinews), inline furniture
//! (`Lire aussi : …`, `PUBLICITÉ`, photo credits) and bottom furniture (`Suivez X sur Telegram`,
//! share bar, copyright). About 80% of the files belong to one of ten invented outlets whose
//! furniture recurs; the rest have none. The same (seed, start, count) always writes the same bytes.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one (seed, stream) pair.
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next_u64();
        rng
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

/// One source document: its paragraphs in order, and a title where it has one.
struct Doc {
    title: Option<String>,
    paragraphs: Vec<String>,
}

/// The real text the articles are made of.
pub struct Data {
    debates: Vec<Doc>,
    novels: Vec<Doc>,
    news: Vec<Doc>,
}

#[derive(Deserialize)]
struct DebateLine {
    text: String,
}

#[derive(Deserialize)]
struct NovelLine {
    doc_id: String,
    text: String,
}

#[derive(Deserialize)]
struct NewsLine {
    title: String,
    lead: String,
    paragraphs: Vec<String>,
}

fn read_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> std::io::Result<Vec<T>> {
    let file = std::fs::File::open(path)?;
    let mut out = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line?;
        if let Ok(item) = serde_json::from_str(&line) {
            out.push(item);
        }
    }
    Ok(out)
}

impl Data {
    /// Loads the three sources from `dir` (`../shared/data`), or says what is missing.
    pub fn load(dir: &Path) -> Result<Data, String> {
        let need = |p: &str| {
            let path = dir.join(p);
            if path.is_file() {
                Ok(path)
            } else {
                Err(format!("{} is absent", path.display()))
            }
        };
        let debates_path = need("an_debats_cc0/documents.jsonl")?;
        let novels_path = need("eltec_fra/passages.jsonl")?;
        let news_path = need("wikinews_fr_100/articles.jsonl")?;
        let err = |e: std::io::Error| e.to_string();

        // Debates: sittings of one sentence a line, regrouped into paragraphs of 3–6 sentences.
        let mut debates = Vec::new();
        for (n, d) in read_lines::<DebateLine>(&debates_path)
            .map_err(err)?
            .into_iter()
            .enumerate()
        {
            let mut rng = Rng::new(17, n as u64);
            let sentences: Vec<&str> = d
                .text
                .lines()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let mut paragraphs = Vec::new();
            let mut i = 0;
            while i < sentences.len() {
                let k = rng.range(3, 6).min(sentences.len() - i);
                paragraphs.push(sentences[i..i + k].join(" "));
                i += k;
            }
            debates.push(Doc {
                title: None,
                paragraphs,
            });
        }

        // Novels: paragraphs in order, very short ones (dialogue) merged with the next.
        let mut novels: Vec<Doc> = Vec::new();
        let mut current = String::new();
        let mut last_doc = String::new();
        for p in read_lines::<NovelLine>(&novels_path).map_err(err)? {
            if p.doc_id != last_doc {
                if !current.is_empty() {
                    if let Some(doc) = novels.last_mut() {
                        doc.paragraphs.push(std::mem::take(&mut current));
                    }
                }
                novels.push(Doc {
                    title: None,
                    paragraphs: Vec::new(),
                });
                last_doc = p.doc_id.clone();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(p.text.trim());
            if current.chars().count() >= 200 {
                if let Some(doc) = novels.last_mut() {
                    doc.paragraphs.push(std::mem::take(&mut current));
                }
            }
        }
        if let (Some(doc), false) = (novels.last_mut(), current.is_empty()) {
            doc.paragraphs.push(current);
        }

        let news = read_lines::<NewsLine>(&news_path)
            .map_err(err)?
            .into_iter()
            .map(|a| {
                let mut paragraphs = vec![a.lead];
                paragraphs.extend(a.paragraphs);
                Doc {
                    title: Some(a.title),
                    paragraphs,
                }
            })
            .collect();
        Ok(Data {
            debates,
            novels,
            news,
        })
    }
}

const OUTLETS: &[&str] = &[
    "Sahel Hebdo",
    "Le Courrier de Bamako",
    "Niamey Matin",
    "Ouaga Info",
    "L'Écho du Sahel",
    "Afrique Actu 24",
    "Le Républicain sahélien",
    "Sahel Tribune",
    "Burkina Express",
    "Le Continental",
];

const MONTHS: &[&str] = &[
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const DAYS: &[&str] = &[
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

const PHOTOGRAPHERS: &[&str] = &[
    "Issouf Sanogo",
    "Michele Cattani",
    "Boureima Hama",
    "Olympia de Maismont",
    "Souleymane Ag Anara",
];
const AGENCIES: &[&str] = &["AFP", "Reuters", "AP", "Anadolu", "Xinhua"];

fn date_line(rng: &mut Rng) -> String {
    let (y, m, d) = (rng.range(2023, 2025), rng.range(1, 12), rng.range(1, 28));
    let (h, min) = (rng.range(6, 22), rng.range(0, 59));
    let month = MONTHS[m - 1];
    match rng.range(0, 8) {
        0 => format!("Publié le {d} {month} {y} à {h}h{min:02}"),
        1 => format!("date {y}-{m:02}"),
        2 => format!("{y}-{m:02}-{d:02}"),
        3 => format!("{d:02}/{m:02}/{y}"),
        4 => format!("Mis à jour le {d:02}.{m:02}.{y} à {h:02}:{min:02}"),
        5 => format!("{} {d} {month} {y}", rng.pick(DAYS)),
        6 => format!("Publié le : {y}-{m:02}-{d:02}T{h:02}:{min:02}:00Z"),
        7 => format!("{d} {month} {y} - {h:02}:{min:02}"),
        _ => format!("Par la rédaction | {d} {month} {y}"),
    }
}

fn cookie_banner(outlet: &str) -> String {
    format!(
        "En cliquant sur « Tout accepter », vous consentez au traitement par {outlet} de certaines données \
         personnelles stockées sur votre terminal (adresses IP, données de navigation, d'utilisation ou de \
         géolocalisation). Vous pouvez modifier vos choix à tout moment via la rubrique « Paramétrer vos choix »."
    )
}

/// A sentence of the text short enough for a headline, or the first words of the first paragraph.
fn headline(rng: &mut Rng, paragraphs: &[String]) -> String {
    let mut candidates: Vec<&str> = Vec::new();
    for p in paragraphs {
        for s in p.split_inclusive(['.', '!', '?']) {
            let s = s.trim();
            let n = s.chars().count();
            if (25..=90).contains(&n) {
                candidates.push(s.trim_end_matches('.'));
            }
        }
    }
    if candidates.is_empty() {
        let words: Vec<&str> = paragraphs
            .first()
            .map_or("", String::as_str)
            .split_whitespace()
            .take(9)
            .collect();
        return words.join(" ");
    }
    rng.pick(&candidates).to_string()
}

/// The text of article number `n` for `seed`.
pub fn article(data: &Data, seed: u64, n: u64) -> String {
    let mut rng = Rng::new(seed, n);
    let kind = rng.range(0, 99);
    let docs = if kind < 40 && !data.debates.is_empty() {
        &data.debates
    } else if kind < 85 && !data.novels.is_empty() {
        &data.novels
    } else {
        &data.news
    };
    let doc = rng.pick(docs);
    let count = rng.range(3, 12).min(doc.paragraphs.len().max(1));
    let start = rng.range(0, doc.paragraphs.len().saturating_sub(count));
    let paragraphs: Vec<String> = doc
        .paragraphs
        .iter()
        .skip(start)
        .take(count)
        .cloned()
        .collect();
    let title = match &doc.title {
        Some(t) if start == 0 => t.clone(),
        _ => headline(&mut rng, &paragraphs),
    };
    let outlet = rng.chance(0.8).then(|| *rng.pick(OUTLETS));

    let mut out: Vec<String> = Vec::new();
    if let Some(o) = outlet {
        if rng.chance(0.4) {
            out.push(cookie_banner(o));
            out.push("Tout AccepterTout refuserParamétrer vos choix".into());
        }
        if rng.chance(0.3) {
            out.push(format!(
                "{o} | Actualités | Politique | Sécurité | Économie"
            ));
        }
    }
    out.push(title);
    let date = date_line(&mut rng);
    if outlet.is_some() && rng.chance(0.3) {
        out.push(format!(
            "{date} Photo : {} / {}",
            rng.pick(PHOTOGRAPHERS),
            rng.pick(AGENCIES)
        ));
    } else {
        out.push(date);
    }
    for (i, p) in paragraphs.iter().enumerate() {
        out.push(p.clone());
        if let Some(o) = outlet {
            if i == 0 && rng.chance(0.3) {
                out.push(format!(
                    "Photo : {} / {}",
                    rng.pick(PHOTOGRAPHERS),
                    rng.pick(AGENCIES)
                ));
            }
            if i == 1 && rng.chance(0.3) {
                out.push(format!("Lire aussi : {}", headline(&mut rng, &paragraphs)));
            }
            if i == 2 && rng.chance(0.2) {
                out.push("PUBLICITÉ".into());
            }
            if i == 1 && rng.chance(0.2) {
                out.push(format!("Suivez {o} sur Telegram"));
            }
        }
    }
    if let Some(o) = outlet {
        if rng.chance(0.6) {
            out.push(if rng.chance(0.5) {
                format!("Suivez {o} sur Telegram")
            } else {
                format!("Suivez {o} surTelegram")
            });
        }
        if rng.chance(0.5) {
            out.push(
                "Partager sur Facebook Partager sur X Partager sur WhatsApp Copier le lien".into(),
            );
        }
        if rng.chance(0.4) {
            out.push(format!(
                "Inscrivez-vous à la newsletter de {o} pour recevoir l'essentiel de l'actualité."
            ));
        }
        if rng.chance(0.5) {
            out.push(format!(
                "© {o} {} – Tous droits réservés",
                rng.range(2023, 2025)
            ));
        }
        if rng.chance(0.3) {
            out.push("Tout AccepterTout refuserParamétrer vos choix".into());
        }
    }
    let mut text = out.join("\n\n");
    text.push('\n');
    text
}

/// The file of article `n`: folders of 1,000 files, the seed in the name.
pub fn file_name(dir: &Path, seed: u64, n: u64) -> PathBuf {
    dir.join(format!("{:03}", n / 1000))
        .join(format!("s{seed}_{n:07}.txt"))
}

/// Writes articles `start..start + count` of `seed` into `dir`; returns the bytes written.
pub fn write(data: &Data, dir: &Path, seed: u64, start: u64, count: u64) -> std::io::Result<u64> {
    (start..start + count)
        .into_par_iter()
        .map(|n| {
            let path = file_name(dir, seed, n);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let text = article(data, seed, n);
            std::fs::write(&path, &text)?;
            Ok(text.len() as u64)
        })
        .sum()
}
