//! The `aes-search` command: flags in, library calls, output and exit status out. Nothing past
//! this file and `cli/` sees clap.

mod cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Search French news articles about the Alliance des États du Sahel.
///
/// `aes-search QUERY` searches the bundled corpus/, (re)building index/ first when the corpus
/// changed. Query language: words (accents, case and inflection forgiven), "exact phrase",
/// -word to exclude, a OR b, prefix sahél*, title:word, source:rt, date:2024, date:>=2024-07,
/// date:2024-07..2025-06. A quoted phrase is required. A word of 5 letters or more that matches
/// nothing is matched with one typo (two from 9 letters, if its stem has 8; the first letter
/// must be right).
/// Queries are limited to 2000 characters and 64 words.
///
/// Exit status: 0 when something matched (or the command succeeded), 1 when nothing matched,
/// 2 on error, 3 when `index` skipped some files.
#[derive(Parser, Debug)]
#[command(name = "aes-search", version, args_conflicts_with_subcommands = true)]
struct Opts {
    #[command(flatten)]
    places: Places,
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    search: SearchArgs,
}

/// Where the index is unless told otherwise: beside the corpus it caches.
const DEFAULT_INDEX: &str = "index";

#[derive(Args, Debug, Clone)]
struct Places {
    /// Index folder (built on first use).
    #[arg(
        long,
        global = true,
        env = "AES_SEARCH_INDEX",
        default_value = DEFAULT_INDEX,
        value_name = "DIR"
    )]
    index: PathBuf,
    /// Folder of articles searched by default and indexed by `index` without arguments
    /// [default: corpus].
    #[arg(long, global = true, env = "AES_SEARCH_CORPUS", value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Synonyms searched as well, one rule a line: `a, b, c` (equivalent) or `a => b` (one way)
    /// [default: synonyms.txt in the index folder, else the list shipped with aes-search].
    #[arg(long, global = true, env = "AES_SEARCH_SYNONYMS", value_name = "FILE")]
    synonyms: Option<PathBuf>,
    /// Search the words as typed, without synonyms.
    #[arg(long, global = true, conflicts_with = "synonyms")]
    no_synonyms: bool,
    /// Use this OpenSearch cluster instead of the index folder: one node's address, or several
    /// separated by commas (http://[user:password@]host:port).
    #[arg(long, global = true, env = "AES_SEARCH_OPENSEARCH", value_name = "URL")]
    opensearch: Option<String>,
    /// The index on the OpenSearch cluster.
    #[arg(
        long,
        global = true,
        env = "AES_SEARCH_OPENSEARCH_INDEX",
        default_value = "aes-search",
        value_name = "NAME"
    )]
    opensearch_index: String,
    /// Primary shards of an OpenSearch index that `index` creates.
    #[arg(long, global = true, default_value_t = 2, value_name = "N")]
    shards: u32,
    /// Replicas of each shard of an OpenSearch index that `index` creates.
    #[arg(long, global = true, default_value_t = 1, value_name = "N")]
    replicas: u32,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Search the index (the bare `aes-search QUERY` is short for this).
    Search(SearchArgs),
    /// Bring the index in line with folders of articles: new files added, changed ones
    /// replaced, deleted ones removed. Exit status 3 when some files were skipped.
    Index(IndexArgs),
    /// Show how an article file is cleaned: metadata, kept paragraphs, dropped lines and why.
    Clean(CleanArgs),
    /// Measure ranking quality: MRR@10, Recall@10 and nDCG@10 for judged queries.
    Eval(EvalArgs),
}

#[derive(Args, Debug, Clone, Default)]
struct SearchArgs {
    /// What to search for.
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
    /// Most results.
    #[arg(short = 'n', long, default_value_t = 10)]
    limit: usize,
    /// Most passages of one article in the results.
    #[arg(long, default_value_t = 2, value_name = "N")]
    per_article: usize,
    /// List articles, each with its best passage.
    #[arg(long)]
    articles: bool,
    /// Print one JSON document.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug, Clone)]
struct IndexArgs {
    /// Folders of articles (default: the corpus folder).
    #[arg(value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Also index pre-split passages, one JSON object a line: {"id", "title", "text"}.
    #[arg(long, value_name = "FILE")]
    jsonl: Vec<PathBuf>,
    /// Rebuild from nothing.
    #[arg(long)]
    full: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = aes_search::index::DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    max_file_size: u64,
    /// File extensions to index, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "txt,md",
        value_name = "EXT"
    )]
    ext: Vec<String>,
    /// No progress bar and no summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args, Debug, Clone)]
struct CleanArgs {
    /// The article file.
    file: PathBuf,
    /// Print one JSON document.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug, Clone)]
struct EvalArgs {
    /// Judged queries, one JSON object a line: {"qid", "query", "relevant": [ids]}.
    queries: PathBuf,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
    /// Write the top 10 of each query as a TREC run file.
    #[arg(long, value_name = "FILE")]
    run: Option<PathBuf>,
}

fn main() -> ExitCode {
    let opts = Opts::parse();
    let places: cli::Places = opts.places.into();
    let result = match opts.command {
        Some(Command::Search(args)) => cli::search::run(&places, &args.into()),
        Some(Command::Index(args)) => cli::index::run(&places, &args.into()),
        Some(Command::Clean(args)) => cli::clean::run(&places, &args.file, args.json),
        Some(Command::Eval(args)) => {
            cli::eval::run(&places, &args.queries, args.json, args.run.as_deref())
        }
        None => cli::search::run(&places, &opts.search.into()),
    };
    match result {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut message = format!("aes-search: {err}");
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            if let Some(hint) = cli::hint(&err, &places) {
                message.push_str(&format!(" ({hint})"));
            }
            let _ = writeln!(std::io::stderr(), "{message}");
            ExitCode::from(cli::Status::Error as u8)
        }
    }
}

impl From<Places> for cli::Places {
    fn from(p: Places) -> Self {
        cli::Places {
            explicit_index: p.index != Path::new(DEFAULT_INDEX),
            index: p.index,
            explicit_corpus: p.corpus.is_some(),
            corpus: p.corpus.unwrap_or_else(|| PathBuf::from("corpus")),
            synonyms: match (p.no_synonyms, p.synonyms) {
                (true, _) => cli::SynonymsChoice::None,
                (false, Some(file)) => cli::SynonymsChoice::File(file),
                (false, None) => cli::SynonymsChoice::Default,
            },
            cluster: p.opensearch.map(|url| cli::backend::Cluster {
                url,
                index: p.opensearch_index,
                shards: p.shards,
                replicas: p.replicas,
            }),
        }
    }
}

impl From<SearchArgs> for cli::search::Config {
    fn from(a: SearchArgs) -> Self {
        cli::search::Config {
            query: a.query.join(" "),
            limit: a.limit,
            per_article: if a.articles { 1 } else { a.per_article },
            articles: a.articles,
            json: a.json,
        }
    }
}

impl From<IndexArgs> for cli::index::Config {
    fn from(a: IndexArgs) -> Self {
        cli::index::Config {
            dirs: a.dirs,
            jsonl: a.jsonl,
            full: a.full,
            max_file_size: a.max_file_size,
            extensions: a
                .ext
                .iter()
                .map(|e| e.trim_start_matches('.').to_lowercase())
                .collect(),
            quiet: a.quiet,
        }
    }
}
