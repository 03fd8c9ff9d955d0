//! The command's subcommands, each in its file, and what they share: where the index and corpus
//! are, exit statuses, and terminal manners (colour only on a terminal, quiet on a broken pipe).

pub mod backend;
pub mod clean;
pub mod eval;
pub mod export;
pub mod generate;
pub mod hyphen_query;
pub mod index;
pub mod search;
#[cfg(feature = "server")]
pub mod serve;

use std::io::IsTerminal;
use std::path::PathBuf;

use std::sync::Arc;

use aes_search::Synonyms;
use aes_search::{Engine, Error, Result, Source, SyncOptions};

/// Where things are.
pub struct Places {
    pub index: PathBuf,
    pub corpus: PathBuf,
    /// Whether the corpus was named (flag or environment) rather than the default.
    pub explicit_corpus: bool,
    /// Whether the index was named (flag or environment) rather than the default.
    pub explicit_index: bool,
    /// Which synonyms to search as well.
    pub synonyms: SynonymsChoice,
    /// The OpenSearch cluster to use instead of the embedded index, if any.
    pub cluster: Option<backend::Cluster>,
}

/// Where the synonyms come from.
#[derive(Debug, Clone)]
pub enum SynonymsChoice {
    /// `synonyms.txt` in the index folder, else the shipped list.
    Default,
    /// A file named on the command line.
    File(PathBuf),
    /// None at all.
    None,
}

/// The file beside the index that replaces the shipped synonyms list when it exists.
const SYNONYMS_BESIDE_INDEX: &str = "synonyms.txt";

/// The synonyms list to search with; `None` for the shipped one. Read at every search, so an
/// edited file takes effect without reindexing.
pub fn synonyms(places: &Places) -> Result<Option<Arc<Synonyms>>> {
    let file = match &places.synonyms {
        SynonymsChoice::None => return Ok(Some(Arc::new(Synonyms::default()))),
        SynonymsChoice::File(file) => file.clone(),
        SynonymsChoice::Default => {
            let beside = places.index.join(SYNONYMS_BESIDE_INDEX);
            if !beside.is_file() {
                return Ok(None);
            }
            beside
        }
    };
    Synonyms::from_file(&file).map(|list| Some(Arc::new(list)))
}

/// Exit statuses, as documented in `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success = 0,
    NoMatch = 1,
    Error = 2,
    Skipped = 3,
}

pub fn is_broken_pipe(err: &Error) -> bool {
    matches!(err, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Writes to stdout, turning a write error into an error about stdout.
pub fn stdout_error(e: std::io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source: e,
    }
}

/// Whether `--color auto` colours: on a terminal, unless NO_COLOR is set (as ripgrep).
pub fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// What to do about `err`, where a flag or a command helps: the library's messages name none.
pub fn hint(err: &Error, places: &Places) -> Option<String> {
    match err {
        Error::NotAnIndex { .. } => {
            Some("choose another folder with --index DIR, or remove this one".into())
        }
        Error::NoSuchFolder { .. } => Some("pass another with --corpus DIR, or create it".into()),
        Error::TooLarge { .. } => Some("see --max-file-size".into()),
        Error::Damaged { .. } => Some(format!(
            "rebuild it with: aes-search index FOLDER... --index {} --full",
            places.index.display()
        )),
        _ => None,
    }
}

/// Opens the index, bringing it up to date with the corpus first when it is missing or stale.
///
/// The default index, or one named with its corpus, is a cache of that corpus: found damaged,
/// it is rebuilt. Another index is the user's to rebuild (see [`hint`]).
pub fn open_fresh(places: &Places) -> Result<Engine> {
    match open_synced(places) {
        Err(Error::Damaged { message, .. })
            if places.corpus.is_dir() && (places.explicit_corpus || !places.explicit_index) =>
        {
            eprintln!(
                "aes-search: {} is damaged ({message}): rebuilding it from {}",
                places.index.display(),
                places.corpus.display()
            );
            Engine::recreate(&places.index)?;
            open_synced(places)
        }
        other => other,
    }
}

fn open_synced(places: &Places) -> Result<Engine> {
    if !places.corpus.is_dir() {
        if !places.explicit_corpus && places.index.join("meta.json").is_file() {
            // No corpus here and none asked for: search the index as it is.
            return Engine::open(&places.index);
        }
        return Err(Error::NoSuchFolder {
            path: places.corpus.clone(),
        });
    }
    let engine = Engine::open_or_create(&places.index)?;
    let sources = [Source::Folder(places.corpus.clone())];
    if !places.explicit_corpus && !engine.holds_only(&sources)? {
        // An index built from other folders (`index DIR --index IDX`): searched as it is, not
        // emptied to match a corpus nobody named.
        return Ok(engine);
    }
    let options = SyncOptions::default();
    if !engine.is_up_to_date(&sources, &options)? {
        eprintln!(
            "aes-search: {} is missing or out of date with {}: indexing…",
            places.index.display(),
            places.corpus.display()
        );
        let report = match engine.sync(&sources, &options) {
            Ok(report) => report,
            // Another process is indexing: answer from the last committed state.
            Err(err @ Error::Locked { .. }) => {
                eprintln!("aes-search: {err}: searching the last committed state");
                return Ok(engine);
            }
            Err(err) => return Err(err),
        };
        eprintln!("aes-search: {}", index::summary(&report));
        for s in &report.skipped {
            eprintln!(
                "aes-search: skipped {}: {}",
                s.path,
                index::skip_reason(&s.reason)
            );
        }
    }
    Ok(engine)
}
