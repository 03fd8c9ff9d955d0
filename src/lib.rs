//! # aes-search
//!
//! Full-text search over French news articles, built on [tantivy]. Articles arrive as text
//! scraped from news sites; aes-search strips the page furniture (cookie banners, social
//! prompts, photo credits…), reads title, date and source, splits each article into passages,
//! and indexes them with a French analyzer that forgives accents, elisions and inflection.
//!
//! The data flows one way, one wing per step. Most programs need only the [`Engine`]; the
//! steps a program may run on their own are public modules, the others are reached through the
//! engine:
//!
//! | step | wing |
//! |---|---|
//! | bytes on disk → text | [`article`] |
//! | saved web page → article blocks, title, date, source | [`html`] |
//! | text → article paragraphs, title, date, source | [`clean`] |
//! | paragraphs → passages | [`passage`] |
//! | JSON Lines line ↔ passage (`index --jsonl`, `export --passages`) | [`jsonl`] |
//! | words → terms | [`analysis`] (the analyzer and its name) |
//! | passages → index, kept in line with folders | `index`: [`Engine::sync`] |
//! | query text → query | [`query`] |
//! | synonyms and questions → the query searched | `rewrite`: [`Synonyms`] |
//! | query → scored passages | `rank` |
//! | query → ranked, highlighted passages | `search`: [`Engine::search`] |
//!
//! ```
//! # fn main() -> aes_search::Result<()> {
//! use aes_search::{Engine, SearchOptions, SyncOptions};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let corpus = dir.path().join("articles");
//! std::fs::create_dir(&corpus).unwrap();
//! std::fs::write(
//!     corpus.join("sommet.txt"),
//!     "Le Mali accueille le sommet de l’AES\n\nSuivez Le Journal sur Telegram\n\n\
//!      À l’horizon : la création d’une monnaie sahélienne commune, un projet qui vise \
//!      l’autonomie économique des trois pays.",
//! ).unwrap();
//!
//! let engine = Engine::open_or_create(dir.path().join("index"))?;
//! let report = engine.sync_folders(&[&corpus], &SyncOptions::default())?;
//! assert_eq!(report.added, 1);
//!
//! let hits = engine.search("monnaie commune", &SearchOptions::default())?;
//! let best = &hits[0];
//! assert_eq!(best.article.title.as_deref(), Some("Le Mali accueille le sommet de l’AES"));
//! let (start, end) = best.passage.highlights[0];
//! assert_eq!(&best.passage.text[start..end], "monnaie");
//! // Page furniture is never indexed.
//! assert!(engine.search("Telegram", &SearchOptions::default())?.is_empty());
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

pub mod analysis;
pub mod article;
pub mod clean;
mod encoding;
mod error;
mod fold;
pub mod html;
mod index;
pub mod jsonl;
mod near;
#[cfg(feature = "opensearch")]
pub mod opensearch;
pub mod passage;
pub mod query;
mod rank;
mod rewrite;
mod search;
mod walk;

pub use article::Article;
pub use clean::CleanedArticle;
pub use error::{Error, Result};
pub use index::{
    ArticleView, Engine, IndexedArticle, Progress, SkipReason, Skipped, Source, SyncOptions,
    SyncReport, DEFAULT_MAX_FILE_SIZE,
};
pub use passage::Passage;
pub use rewrite::{Expansion, Synonyms};
pub use search::{
    Correction, FacetCount, Facets, Hit, PassageHit, SearchOptions, SearchOutcome, Snippet, Sort,
};
