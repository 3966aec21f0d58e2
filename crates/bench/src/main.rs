//! `crosscheck-bench`: corpus builders and throughput measurements that anyone can repeat.
//!
//! - `gen --docs N --seed S --out DIR [--format jsonl|txt|html]`: synthetic news with planted
//!   duplicates, contradictions, updates and denials, plus `DIR/truth.jsonl` (see `gen`).
//! - `link-score --truth DIR/truth.jsonl --data STORE`: duplicate-pair precision and recall of
//!   a store's duplicate groups against that truth.
//! - `corpus --mb N --out FILE`: a JSONL corpus of about N MB repeating the bundled examples.
//! - `extract --mb N [--threads T]`: in-process extraction throughput on that corpus, failing
//!   when nothing is extracted so that a fast but broken extractor cannot pass.
//! - `html --pages N --out DIR`: synthetic HTML pages (chrome around shuffled example
//!   sentences) to time `crosscheck ingest --profile`.
//!
//! Figures go to `bench/RESULTS.md` with the command that produced them.

mod gen;
mod html;
mod link_score;
mod rng;
mod throughput;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

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
        /// The store directory `crosscheck ingest --data` wrote.
        #[arg(long)]
        data: PathBuf,
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
        Cmd::LinkScore { truth, data } => link_score::run(&truth, &data),
        Cmd::Corpus { mb, out } => throughput::write_corpus(mb, &out),
        Cmd::Extract { mb, threads } => throughput::bench_extract(mb, threads),
        Cmd::Html { pages, out } => html::write_html_pages(pages, &out),
    }
}

pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
