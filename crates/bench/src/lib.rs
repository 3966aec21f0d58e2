//! `crosscheck-bench`: corpus builders and throughput measurements that anyone can repeat.
//! The library holds the generators so the divan benches (`benches/`) can use them; the
//! binary is a thin command line over it.
//!
//! - `gen --docs N --seed S --out DIR [--format jsonl|txt|html]`: synthetic news with planted
//!   duplicates, contradictions, updates and denials, plus `DIR/truth.jsonl` (see `gen`).
//! - `link-score --truth DIR/truth.jsonl (--data STORE | --report REPORT.json) [--ingest-log LOG]`:
//!   duplicate-pair precision and recall of the tool's duplicate groups against that truth.
//! - `corpus --mb N --out FILE`: a JSONL corpus of about N MB repeating the bundled examples.
//! - `extract --mb N [--threads T]`: in-process extraction throughput on that corpus, failing
//!   when nothing is extracted so that a fast but broken extractor cannot pass.
//! - `html --pages N --out DIR`: synthetic HTML pages (chrome around shuffled example
//!   sentences) to time `crosscheck ingest --profile`.
//! - `html-time --dir DIR`: single-threaded HTML → article text over DIR's pages, in memory
//!   (`bench/compare.sh` sets it beside trafilatura).
//!
//! Figures go to `bench/RESULTS.md` with the command that produced them.

pub mod gen;
pub mod html;
pub mod link_score;
pub mod rng;
pub mod throughput;

use std::path::{Path, PathBuf};

/// The workspace root, for the bundled examples and `../shared`.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
