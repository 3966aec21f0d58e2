//! `crosscheck`: the command line. It parses arguments, wires the pipeline stages together
//! (ingest → extract → link → store → report) and maps failures to exit codes. The work
//! itself lives in the stage crates; nothing here knows how to read an article or find a name.

mod args;
mod commands;
mod extract_out;
mod linking;
mod pipeline;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

// Extraction and linking allocate many short-lived strings and vectors on every thread; mimalloc
// serves them from per-thread pages (≈ 9% fewer instructions than glibc malloc on `extract`, see
// bench/RESULTS.md "Lead, session 6"). A bigger resident set is the price.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes, documented in `--help`.
pub const EXIT_OK: u8 = 0;
pub const EXIT_PARTIAL: u8 = 1;
pub const EXIT_FATAL: u8 = 2;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // A panic inside one document's extraction is caught and reported as a skipped input
    // (see `pipeline`); one line is enough, a backtrace per document would bury the summary.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("crosscheck: internal error{location} (the input is skipped; please report it)");
    }));
    if let Some(threads) = cli.threads() {
        // Ignore the error of a pool that is already built (only possible in tests).
        let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    }
    match commands::run(cli) {
        Ok(outcome) => ExitCode::from(outcome),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(EXIT_OK);
            }
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "crosscheck: error: {err:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

/// `crosscheck extract … | head` must end quietly, as other Unix tools do.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}
