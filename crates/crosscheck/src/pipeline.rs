//! The per-document half of a run: read every input in parallel and extract each document,
//! handing results to the caller's thread in input order keys.
//!
//! Files are spread over the rayon pool; inside a file (a large JSONL) documents are extracted
//! in chunks, also on the pool. Results travel through a bounded channel so memory stays
//! bounded however large the input; the consumer (the store writer, or the printer) runs on the
//! calling thread, which is not a pool thread, so a full channel can never deadlock the pool.

use crosscheck_extract::Extractor;
use crosscheck_ingest::{discover, is_non_english, read_file_with, ReadItem, ReadOptions};
use crosscheck_model::{Document, Extraction, Skipped};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

/// Documents extracted together inside one file (JSONL), to use the pool on large files.
const CHUNK: usize = 64;

/// One result of the per-document pipeline.
pub enum Outcome {
    Extracted(Box<(Document, Extraction)>),
    Skipped(Skipped),
}

/// CPU time of the per-document stages, summed over worker threads (`--profile`).
///
/// Only filled when the caller passes one to [`run_with`]: without it no clock is read.
#[derive(Debug, Default)]
pub struct StageTimes {
    read_nanos: AtomicU64,
    extract_nanos: AtomicU64,
}

impl StageTimes {
    /// Reading and parsing inputs into documents (files, HTML boilerplate removal, decoding).
    pub fn read(&self) -> Duration {
        Duration::from_nanos(self.read_nanos.load(Ordering::Relaxed))
    }

    /// Extraction of entities, quantities, dates, quotes and events.
    pub fn extract(&self) -> Duration {
        Duration::from_nanos(self.extract_nanos.load(Ordering::Relaxed))
    }

    fn add(counter: &AtomicU64, elapsed: Duration) {
        counter.fetch_add(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }
}

/// Where an outcome came from: (index of the input file, position inside that file).
pub type OrderKey = (usize, usize);

/// Reads and extracts everything under `paths`, calling `consume` for each outcome.
///
/// `consume` runs on the calling thread; outcomes arrive in no particular order, with the
/// key that restores input order. Returns the number of input files.
/// `options` say how inputs are read (e.g. the text column of CSV files). With `profile`,
/// the read and extract time of every document is added to it.
pub fn run_with(
    paths: &[PathBuf],
    options: &ReadOptions,
    extractor: &Extractor,
    show_progress: bool,
    profile: Option<&StageTimes>,
    mut consume: impl FnMut(OrderKey, Outcome),
) -> usize {
    let (files, skipped) = discover(paths);
    for (i, s) in skipped.into_iter().enumerate() {
        consume((usize::MAX, i), Outcome::Skipped(s));
    }
    let progress = progress_bar(files.len() as u64, show_progress);
    let (tx, rx) = sync_channel::<(OrderKey, Outcome)>(1024);
    std::thread::scope(|scope| {
        let files = &files;
        let progress = &progress;
        scope.spawn(move || {
            files.par_iter().enumerate().for_each_with(tx, |tx, (file_index, path)| {
                let mut position = 0usize;
                let mut pending: Vec<(usize, Document)> = Vec::new();
                // Time spent inside the reader's callback (extraction, waiting on a full
                // channel) is not reading: it is subtracted from the file's read time.
                let mut in_callback = Duration::ZERO;
                let file_start = profile.map(|_| Instant::now());
                let flush = |pending: &mut Vec<(usize, Document)>| {
                    let done: Vec<(usize, Outcome)> = pending
                        .par_drain(..)
                        .map(|(pos, doc)| match profile {
                            None => (pos, extract_guarded(extractor, doc)),
                            Some(times) => {
                                let start = Instant::now();
                                let outcome = extract_guarded(extractor, doc);
                                StageTimes::add(&times.extract_nanos, start.elapsed());
                                (pos, outcome)
                            }
                        })
                        .collect();
                    for (pos, outcome) in done {
                        // A closed channel means the consumer stopped; nothing left to do.
                        let _ = tx.send(((file_index, pos), outcome));
                    }
                };
                read_file_with(path, options, &mut |item| {
                    let callback_start = profile.map(|_| Instant::now());
                    match item {
                        ReadItem::Document(doc) => {
                            pending.push((position, doc));
                            if pending.len() >= CHUNK {
                                flush(&mut pending);
                            }
                        }
                        ReadItem::Skipped(s) => {
                            let _ = tx.send(((file_index, position), Outcome::Skipped(s)));
                        }
                    }
                    position += 1;
                    if let Some(start) = callback_start {
                        in_callback += start.elapsed();
                    }
                });
                if let (Some(times), Some(start)) = (profile, file_start) {
                    StageTimes::add(&times.read_nanos, start.elapsed().saturating_sub(in_callback));
                }
                flush(&mut pending);
                progress.inc(1);
            });
        });
        let mut documents = 0u64;
        for (key, outcome) in rx {
            if matches!(outcome, Outcome::Extracted(_)) {
                documents += 1;
                if documents.is_multiple_of(64) {
                    progress.set_message(format!("{documents} documents"));
                }
            }
            consume(key, outcome);
        }
    });
    progress.finish_and_clear();
    files.len()
}

/// Extracts one document; a bug in an extractor costs that document, not the run.
///
/// Extractors are written never to panic, but they run on untrusted text: if one does, the
/// document is reported as skipped with the panic message and every other document goes on.
///
/// The extractors read English only: a document ingest found to be in another language is
/// kept (stored, searchable) with an empty extraction and a warning saying why, which the
/// run summary prints.
fn extract_guarded(extractor: &Extractor, mut doc: Document) -> Outcome {
    if is_non_english(doc.language.as_deref()) {
        let language = doc.language.as_deref().unwrap_or_default();
        doc.warnings
            .push(format!("language {language}: not English, extraction skipped (extractors are English-only)"));
        let extraction = Extraction::empty_for(&doc);
        return Outcome::Extracted(Box::new((doc, extraction)));
    }
    match std::panic::catch_unwind(AssertUnwindSafe(|| extractor.extract(&doc))) {
        Ok(extraction) => Outcome::Extracted(Box::new((doc, extraction))),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Outcome::Skipped(Skipped {
                origin: doc.origin.clone(),
                reason: format!("internal error in extraction (please report): {message}"),
            })
        }
    }
}

fn progress_bar(files: u64, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(files);
    let style = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files  {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
