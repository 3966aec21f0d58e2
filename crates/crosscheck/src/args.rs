//! Command-line arguments (clap derive). Help texts are the user documentation of each flag.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Exit status:
  0  everything was read and processed
  1  the run finished, but some inputs were skipped or failed (see the summary on stderr)
  2  fatal error: bad arguments, the store could not be opened, an output could not be written

Examples:
  crosscheck analyze examples/articles          ingest, link and print the story report
  crosscheck ingest ~/news --data ./store       add articles to a store
  crosscheck extract article.html --format json extraction JSON on stdout, nothing stored
  crosscheck report --format json --data ./store";

/// Turn a pile of news articles into an auditable, sourced map of a story.
///
/// Every entity, quantity, date, quote and event that crosscheck reports points back to the
/// document id and the character span it came from.
#[derive(Debug, Parser)]
#[command(name = "crosscheck", version, about, long_about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    pub fn threads(&self) -> Option<usize> {
        match &self.command {
            Command::Ingest(a) | Command::Analyze(a) => a.threads.threads,
            Command::Extract(a) => a.threads.threads,
            Command::Eval(a) => a.threads.threads,
            Command::Link(_) | Command::Report(_) | Command::Search(_) | Command::Serve(_) => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add articles to the store, then link: files or directories (.txt .md .html .jsonl .csv
    /// .tsv .json, RSS/Atom/JSON feeds, .warc/.warc.gz) or http(s) URLs of pages and feeds.
    Ingest(IngestArgs),
    /// Ingest, link and print the story report, in one go.
    Analyze(IngestArgs),
    /// Extract from articles without storing anything: one JSON object per document on stdout.
    Extract(ExtractArgs),
    /// Recompute cross-document links (duplicate groups) over everything in the store.
    Link(StoreArgs),
    /// Print the story across all stored documents.
    Report(ReportArgs),
    /// Score extraction against gold annotations (precision / recall / F1 per category).
    Eval(EvalArgs),
    /// Full-text search over stored articles: words, "a phrase", prefix*, a OR b, -exclude.
    Search(SearchArgs),
    /// Serve the store as a web application and JSON API (loopback only unless --token).
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Store directory (created on first ingest).
    #[arg(long, value_name = "DIR", default_value = "crosscheck-data")]
    pub data: PathBuf,
}

#[derive(Debug, Args)]
pub struct ThreadArgs {
    /// Worker threads for reading, extraction and serialising [default: all cores]. `1` runs
    /// `extract` on one thread; with more, one extra thread splits the input, and `ingest`
    /// writes the store on a thread of its own.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(usize))]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories to read (directories are walked recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub threads: ThreadArgs,
    /// Report format (analyze only).
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the wall time and the share of time per stage (read+parse, extract, store
    /// writes, link) to stderr at the end.
    #[arg(long)]
    pub profile: bool,
    /// List every input whose text was already stored (by default the first
    /// 20 are listed and the rest counted).
    #[arg(long)]
    pub list_duplicates: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How input files are read.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Column holding the article text in CSV / TSV files and JSON arrays
    /// [default: `text`, else the column with the longest prose].
    #[arg(long, value_name = "NAME")]
    pub text_column: Option<String>,
    /// Boilerplate remover for HTML: `fast` (dom_smoothie, htmlbench F1 0.963) or `accurate`
    /// (rs-trafilatura, F1 0.970, about 3-4x slower).
    #[arg(long, value_enum, default_value_t = HtmlExtractorArg::Fast)]
    pub html_extractor: HtmlExtractorArg,
    /// Fetch the linked page of feed items that carry no text of their own (http/https;
    /// robots.txt respected). URLs given as PATH are always fetched.
    #[arg(long)]
    pub fetch: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HtmlExtractorArg {
    Fast,
    Accurate,
}

impl ReadArgs {
    pub fn options(&self) -> crosscheck_ingest::ReadOptions {
        crosscheck_ingest::ReadOptions {
            table: crosscheck_ingest::TableOptions { text_column: self.text_column.clone() },
            html: match self.html_extractor {
                HtmlExtractorArg::Fast => crosscheck_ingest::HtmlExtractor::Fast,
                HtmlExtractorArg::Accurate => crosscheck_ingest::HtmlExtractor::Accurate,
            },
            fetch_linked_pages: self.fetch,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files or directories to read.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// `jsonl`: one object per line; `json`: one array.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Jsonl)]
    pub format: ExtractFormat,
    #[command(flatten)]
    pub threads: ThreadArgs,
    /// No progress bar or summary.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExtractFormat {
    Jsonl,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold annotations (JSONL, gold format of SCHEMA.md).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Articles to extract from (JSONL: id, text, and optional url/outlet/date/title).
    #[arg(long, value_name = "FILE", required_unless_present = "predicted", conflicts_with = "predicted")]
    pub corpus: Option<PathBuf>,
    /// Score an existing extraction JSONL instead of running extraction.
    #[arg(long, value_name = "FILE")]
    pub predicted: Option<PathBuf>,
    /// Score only these document ids (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ids: Vec<String>,
    #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
    pub format: EvalFormat,
    #[command(flatten)]
    pub threads: ThreadArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EvalFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Search terms (joined with spaces): words are ANDed, "quoted words" form a phrase.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Only documents of this outlet.
    #[arg(long)]
    pub outlet: Option<String>,
    /// Only documents dated on or after this ISO date (or month, or year).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only documents dated on or before this ISO date (or month, or year).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only documents naming this entity (name or alias).
    #[arg(long)]
    pub entity: Option<String>,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    pub format: SearchFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on. Anything but loopback requires a token.
    #[arg(long, default_value = "127.0.0.1")]
    pub addr: std::net::IpAddr,
    /// Port (0 picks a free one; the URL is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Secret every request must carry (Authorization: Bearer, or ?token= once in a browser);
    /// default: the CROSSCHECK_TOKEN environment variable.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Refuse POST /api/ingest.
    #[arg(long)]
    pub read_only: bool,
}
