//! The `aes-search` command: flags in, library calls, output and exit status out. Nothing past
//! this file and `cli/` sees clap.

mod cli;
#[cfg(feature = "server")]
mod server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ColorChoice, CommandFactory, Parser, Subcommand};

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
    /// Colour matched words: auto (when stdout is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, global = true, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
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
    /// Write the cleaned corpus of the index as JSON Lines: one article a line (id, path,
    /// title, date, source, paragraphs), or with --passages one passage a line as
    /// `index --jsonl` reads them.
    Export(ExportArgs),
    /// Print a completion script for a shell, e.g. `aes-search completions bash`.
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `aes-search man | man -l -`.
    Man,
    /// Serve the search page and the HTTP API (bringing the index in line with the corpus first;
    /// with --opensearch, answering from the cluster, synced only when asked or with --watch).
    #[cfg(feature = "server")]
    Serve(ServeArgs),
}

#[cfg(feature = "server")]
#[derive(Args, Debug, Clone)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free one; the address is printed).
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "IP:PORT")]
    addr: std::net::SocketAddr,
    /// Allow an address other machines can reach.
    #[arg(long)]
    public: bool,
    /// Sync the index when files of the corpus are added, changed or removed.
    #[arg(long)]
    watch: bool,
    /// Token that allows `POST /api/sync` (given as `Authorization: Bearer TOKEN`); without
    /// one the server is read-only.
    #[arg(
        long,
        env = "AES_SEARCH_ADMIN_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    admin_token: Option<String>,
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
    /// Order of the results: best first, or newest first among the matches.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    /// Also count every match per source and per month (printed after the results, or
    /// `facets` in `--json`).
    #[arg(long)]
    facets: bool,
    /// Only articles of this source (as `source:` in the query).
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    /// Only articles dated from this year, month or day on (2024, 2024-07, 2024-07-15).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only articles dated up to this year, month or day, included.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, Default)]
enum SortArg {
    #[default]
    Relevance,
    Date,
}

#[derive(Args, Debug, Clone)]
struct IndexArgs {
    /// Folders of articles (default: the corpus folder).
    #[arg(value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Also index pre-split passages, one JSON object a line: {"id", "passage", "title", "text",
    /// "date", "source"}, only "id" and "text" required.
    #[arg(long, value_name = "FILE")]
    jsonl: Vec<PathBuf>,
    /// Rebuild from nothing.
    #[arg(long)]
    full: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = aes_search::DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    max_file_size: u64,
    /// File extensions to index, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "txt,md,html,htm",
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
    /// Show every line with its decision and the evidence it rests on.
    #[arg(long)]
    explain: bool,
}

#[derive(Args, Debug, Clone)]
struct ExportArgs {
    /// One passage a line ({"id", "passage", "title", "text", "date", "source"}).
    #[arg(long)]
    passages: bool,
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
    // A query may start with `-word`: see cli/hyphen_query.rs.
    let opts: Opts = cli::hyphen_query::parse(std::env::args_os().collect(), Opts::query)
        .unwrap_or_else(|err| err.exit());
    let colour = match opts.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => cli::use_colour(),
    };
    let places: cli::Places = opts.places.into();
    let result = match opts.command {
        Some(Command::Search(args)) => cli::search::run(&places, &args.into_config(colour)),
        Some(Command::Index(args)) => cli::index::run(&places, &args.into()),
        Some(Command::Clean(args)) => cli::clean::run(&places, &args.file, args.json, args.explain),
        Some(Command::Eval(args)) => {
            cli::eval::run(&places, &args.queries, args.json, args.run.as_deref())
        }
        Some(Command::Export(args)) => cli::export::run(&places, args.passages),
        Some(Command::Completions { shell }) => cli::generate::completions(Opts::command(), shell),
        Some(Command::Man) => cli::generate::man(Opts::command()),
        #[cfg(feature = "server")]
        Some(Command::Serve(a)) => cli::serve::run(
            &places,
            cli::serve::Config {
                addr: a.addr,
                public: a.public,
                watch: a.watch,
                admin_token: a.admin_token,
            },
        ),
        None => cli::search::run(&places, &opts.search.into_config(colour)),
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

impl Opts {
    /// The query's words, when the command is a search.
    fn query(&self) -> Option<&[String]> {
        match &self.command {
            None => Some(&self.search.query),
            Some(Command::Search(args)) => Some(&args.query),
            Some(_) => None,
        }
    }
}

impl SearchArgs {
    fn into_config(self, colour: bool) -> cli::search::Config {
        cli::search::Config {
            query: cli::hyphen_query::unmark(&self.query.join(" ")),
            limit: self.limit,
            per_article: if self.articles { 1 } else { self.per_article },
            articles: self.articles,
            json: self.json,
            colour,
            sort: match self.sort {
                SortArg::Relevance => aes_search::Sort::Relevance,
                SortArg::Date => aes_search::Sort::Date,
            },
            facets: self.facets,
            source: self.source,
            since: self.since,
            until: self.until,
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
