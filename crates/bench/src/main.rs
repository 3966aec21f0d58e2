//! The `crosscheck-bench` command line; see the library's documentation for the subcommands.

use anyhow::Result;
use clap::{Parser, Subcommand};
use crosscheck_bench::{gen, html, link_score, throughput};
use std::path::PathBuf;

#[derive(Parser)]
#[command(about = "Benchmarks and corpus builders for crosscheck")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Generate synthetic news with planted duplicates and contradictions, and its truth file.
    Gen {
        /// Number of documents to write.
        #[arg(long, default_value_t = 10_000)]
        docs: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory (docs.jsonl or docs/ or pages/, and truth.jsonl).
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = gen::Format::Jsonl)]
        format: gen::Format,
    },
    /// Score a store's duplicate groups against a `gen` truth file.
    LinkScore {
        /// The truth file written by `gen` (DIR/truth.jsonl).
        #[arg(long)]
        truth: PathBuf,
        /// The store directory `crosscheck ingest --data` wrote (read with this build).
        #[arg(long, required_unless_present = "report", conflicts_with = "report")]
        data: Option<PathBuf>,
        /// `crosscheck report --format json` output, instead of reading the store.
        #[arg(long)]
        report: Option<PathBuf>,
        /// `crosscheck ingest` output: its `duplicate: X has the same text as Y` lines count
        /// as found pairs (ingest stores only the first of identical texts).
        #[arg(long)]
        ingest_log: Option<PathBuf>,
    },
    /// Write a JSONL corpus of about N MB built from the examples (and seeds, when present).
    Corpus {
        #[arg(long, default_value_t = 100)]
        mb: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// Measure in-process extraction throughput on a corpus of about N MB.
    Extract {
        #[arg(long, default_value_t = 100)]
        mb: usize,
        /// Worker threads (1 = single-threaded).
        #[arg(long, default_value_t = 1)]
        threads: usize,
    },
    /// Time ingest's HTML → article text over the .html files of DIR, one thread, in memory.
    HtmlTime {
        #[arg(long)]
        dir: PathBuf,
    },
    /// Write N synthetic HTML news pages built from the bundled examples' sentences.
    Html {
        #[arg(long, default_value_t = 10_000)]
        pages: usize,
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Cmd::Gen { docs, seed, out, format } => gen::run(docs, seed, &out, format),
        Cmd::LinkScore { truth, data, report, ingest_log } => {
            let prediction = link_score::load_prediction(data.as_deref(), report.as_deref(), ingest_log.as_deref())?;
            link_score::run(&truth, &prediction)
        }
        Cmd::Corpus { mb, out } => throughput::write_corpus(mb, &out),
        Cmd::Extract { mb, threads } => throughput::bench_extract(mb, threads),
        Cmd::Html { pages, out } => html::write_html_pages(pages, &out),
        Cmd::HtmlTime { dir } => throughput::time_html(&dir),
    }
}
