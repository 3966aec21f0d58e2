//! The per-document half of a run: read every input and extract each document on the worker
//! pool, handing results to the caller's thread in input order.
//!
//! Three kinds of thread take part. One splitter thread walks the inputs in order and cuts
//! them into units of work (sixteen unparsed JSONL lines, or a few whole files: see
//! `crosscheck_ingest::split_file`); it does no parsing, so it keeps ahead of the pool. The
//! rayon pool (`--threads`) does everything per document: JSON parsing, HTML boilerplate
//! removal, language detection, extraction and the caller's own `finish` step (serialising,
//! say). The calling thread puts finished units back in input order and runs `consume` on
//! each result (writing the store, or the output).
//!
//! Memory is bounded by a fixed number of units in flight: the splitter takes a token before
//! it hands out a unit and the consumer gives the token back once the unit is consumed. Pool
//! jobs never wait on anything (results go through an unbounded channel, which the tokens
//! bound), and only the splitter, which is not a pool thread, ever blocks on a token: a slow
//! consumer cannot deadlock the pool, whatever its size.

use crosscheck_extract::Extractor;
use crosscheck_ingest::{
    discover, is_non_english, read_file_with, split_file, Metadata, ReadItem, ReadOptions, ReadTask,
};
use crosscheck_link::{LinkConfig, PreparedLinkDoc};
use crosscheck_model::{Document, Extraction, Skipped, SourceFormat};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, sync_channel, Sender};
use std::time::{Duration, Instant};

/// A unit is handed out once it holds this many JSONL lines (small, so that when the input
/// runs out the last units end close together and no thread idles long)...
const UNIT_LINES: usize = 16;
/// ...or this many bytes of them (a few long articles make a unit as well as many short ones)...
const UNIT_BYTES: usize = 512 * 1024;
/// ...or this many whole files (pages, feeds, tables), which are read on the pool.
const UNIT_FILES: usize = 8;
/// Units in flight per pool thread: enough that no thread waits for the splitter or for the
/// consumer's reordering, few enough to keep memory flat.
const UNITS_PER_THREAD: usize = 8;

/// One result of the per-document pipeline.
pub enum Outcome {
    Extracted(Box<(Document, Extraction)>),
    Skipped(Skipped),
}

/// CPU time of the per-document stages, summed over worker threads (`--profile`).
///
/// Only filled when the caller passes one to [`run_ordered`]: without it no clock is read.
#[derive(Debug, Default)]
pub struct StageTimes {
    read_nanos: AtomicU64,
    extract_nanos: AtomicU64,
}

impl StageTimes {
    /// Reading and parsing inputs into documents (files, JSON, HTML boilerplate removal,
    /// decoding, language detection).
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

/// Results a pool job gathers before it sends them: one message (and one wake-up of the
/// consumer) per [`UNIT_LINES`] documents rather than per document; a unit of JSONL lines goes
/// back in one message.
const RESULTS_PER_MESSAGE: usize = UNIT_LINES;

/// What a pool job sends back for its unit: its next results in order, and whether they are
/// the unit's last.
struct Piece<T> {
    unit: usize,
    results: Vec<T>,
    done: bool,
}

/// Everything a pool job needs besides its unit.
struct Worker<'a, T> {
    options: &'a ReadOptions,
    extractor: &'a Extractor,
    profile: Option<&'a StageTimes>,
    /// When set, every extracted document's link features are computed from the word stream
    /// its extraction built (see [`run_ordered_linked`]).
    link: Option<&'a LinkConfig>,
    finish: &'a (dyn Fn(Outcome, Option<PreparedLinkDoc>) -> T + Sync),
}

impl<T> Worker<'_, T> {
    /// Reads, extracts and finishes every task of one unit, sending results in batches of
    /// [`RESULTS_PER_MESSAGE`] as they come (a WARC archive yields documents one at a time),
    /// the last batch marked done.
    fn run(&self, unit: usize, tasks: Vec<ReadTask>, results: &Sender<Piece<T>>) {
        // A closed channel means the consumer stopped; nothing left to do but finish quietly.
        let mut batch = Vec::new();
        self.run_each(tasks, &mut |result| {
            batch.push(result);
            if batch.len() >= RESULTS_PER_MESSAGE {
                let _ = results.send(Piece { unit, results: std::mem::take(&mut batch), done: false });
            }
        });
        let _ = results.send(Piece { unit, results: batch, done: true });
    }

    /// Reads, extracts and finishes every task, in order, handing each result to `emit`.
    fn run_each(&self, tasks: impl IntoIterator<Item = ReadTask>, emit: &mut dyn FnMut(T)) {
        let mut send = |(outcome, link): (Outcome, Option<PreparedLinkDoc>)| emit((self.finish)(outcome, link));
        for task in tasks {
            match task {
                ReadTask::Skipped(s) => send((Outcome::Skipped(s), None)),
                ReadTask::Jsonl(line) => {
                    let start = self.profile.map(|_| Instant::now());
                    let item = line.parse(self.options.html);
                    if let (Some(times), Some(start)) = (self.profile, start) {
                        StageTimes::add(&times.read_nanos, start.elapsed());
                    }
                    send(self.extract_item(item));
                }
                ReadTask::File(path) => {
                    // Time spent in the callback (extraction, finishing) is not reading: it is
                    // subtracted from the file's read time.
                    let mut in_callback = Duration::ZERO;
                    let file_start = self.profile.map(|_| Instant::now());
                    read_file_with(&path, self.options, &mut |item| {
                        let callback_start = self.profile.map(|_| Instant::now());
                        send(self.extract_item(item));
                        if let Some(start) = callback_start {
                            in_callback += start.elapsed();
                        }
                    });
                    if let (Some(times), Some(start)) = (self.profile, file_start) {
                        StageTimes::add(&times.read_nanos, start.elapsed().saturating_sub(in_callback));
                    }
                }
            }
        }
    }

    fn extract_item(&self, item: ReadItem) -> (Outcome, Option<PreparedLinkDoc>) {
        match item {
            ReadItem::Skipped(s) => (Outcome::Skipped(s), None),
            ReadItem::Document(doc) => match self.profile {
                None => extract_guarded(self.extractor, doc, self.link),
                Some(times) => {
                    let start = Instant::now();
                    let outcome = extract_guarded(self.extractor, doc, self.link);
                    StageTimes::add(&times.extract_nanos, start.elapsed());
                    outcome
                }
            },
        }
    }
}

/// Reads and extracts everything under `paths`: `finish` runs on the pool for every outcome,
/// and `consume` on the calling thread for every finished one, in input order (the paths in
/// the order given, each directory's files sorted, each file's documents in file order; the
/// inputs discovery skips come first). Returns the number of input files.
///
/// `options` say how inputs are read (e.g. the text column of CSV files). With `profile`, the
/// read and extract time of every document is added to it.
///
/// With a pool of one thread (`--threads 1`) everything runs on the calling thread, one task
/// after the other: single-threaded means one thread, not one pool thread beside a reader and
/// a writer.
pub fn run_ordered<T: Send>(
    paths: &[PathBuf],
    options: &ReadOptions,
    extractor: &Extractor,
    show_progress: bool,
    profile: Option<&StageTimes>,
    finish: &(dyn Fn(Outcome) -> T + Sync),
    consume: impl FnMut(T),
) -> usize {
    let finish = |outcome: Outcome, _: Option<PreparedLinkDoc>| finish(outcome);
    run_ordered_linked(paths, options, extractor, None, show_progress, profile, &finish, consume)
}

/// [`run_ordered`] that also hands `finish`, beside every extracted document, its linking
/// features under `link` (`None` for skipped inputs, and for every input when `link` is
/// `None`), computed on the pool from the words the extraction already split: the text is
/// tokenised once for both.
#[allow(clippy::too_many_arguments)]
pub fn run_ordered_linked<T: Send>(
    paths: &[PathBuf],
    options: &ReadOptions,
    extractor: &Extractor,
    link: Option<&LinkConfig>,
    show_progress: bool,
    profile: Option<&StageTimes>,
    finish: &(dyn Fn(Outcome, Option<PreparedLinkDoc>) -> T + Sync),
    mut consume: impl FnMut(T),
) -> usize {
    let (files, skipped) = discover(paths);
    for s in skipped {
        consume(finish(Outcome::Skipped(s), None));
    }
    let progress = progress_bar(files.len() as u64, show_progress);
    let worker = Worker { options, extractor, profile, link, finish };
    if rayon::current_num_threads() <= 1 {
        for path in &files {
            split_file(path, &mut |task| worker.run_each([task], &mut consume));
            progress.inc(1);
        }
        progress.finish_and_clear();
        return files.len();
    }
    let in_flight = rayon::current_num_threads().max(1) * UNITS_PER_THREAD;
    let (token_back, token) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        // The channel holds exactly `in_flight` tokens: these sends never block.
        let _ = token_back.send(());
    }
    let (results_tx, results) = channel::<Piece<T>>();
    std::thread::scope(|scope| {
        // Owned here, so that should `consume` panic, unwinding drops it and the splitter's
        // wait for a token ends instead of blocking the scope forever.
        let token_back = token_back;
        let files = &files;
        let progress = &progress;
        let worker = &worker;
        scope.spawn(move || {
            // Not a pool thread: it may block on a token while the pool works.
            rayon::in_place_scope(|pool| {
                let mut next_unit = 0usize;
                let mut stopped = false;
                let mut hand_out = |tasks: Vec<ReadTask>| {
                    if stopped || token.recv().is_err() {
                        // The consumer is gone: stop handing out work.
                        stopped = true;
                        return;
                    }
                    let unit = next_unit;
                    next_unit += 1;
                    let results = results_tx.clone();
                    pool.spawn(move |_| worker.run(unit, tasks, &results));
                };
                let mut tasks: Vec<ReadTask> = Vec::new();
                let (mut bytes, mut whole_files) = (0usize, 0usize);
                for path in files {
                    split_file(path, &mut |task| {
                        bytes += task.held_bytes();
                        whole_files += usize::from(matches!(task, ReadTask::File(_)));
                        tasks.push(task);
                        if tasks.len() >= UNIT_LINES || bytes >= UNIT_BYTES || whole_files >= UNIT_FILES {
                            hand_out(std::mem::take(&mut tasks));
                            (bytes, whole_files) = (0, 0);
                        }
                    });
                    progress.inc(1);
                }
                if !tasks.is_empty() {
                    hand_out(tasks);
                }
                // The last sender goes with the last job: the consumer's loop then ends.
                drop(results_tx);
            });
        });
        let mut documents = 0u64;
        let mut next = 0usize;
        // Results of units that finished before an earlier one: (results so far, done).
        let mut early: HashMap<usize, (Vec<T>, bool)> = HashMap::new();
        let mut take = |result: T| {
            documents += 1;
            if documents.is_multiple_of(64) {
                progress.set_message(format!("{documents} results"));
            }
            consume(result);
        };
        for piece in results {
            if piece.unit != next {
                let entry = early.entry(piece.unit).or_default();
                entry.0.extend(piece.results);
                entry.1 |= piece.done;
                continue;
            }
            for result in piece.results {
                take(result);
            }
            if !piece.done {
                continue;
            }
            next += 1;
            let _ = token_back.send(());
            // Units that were waiting for this one, as far as they are finished.
            while let Some((waiting, done)) = early.get_mut(&next) {
                for result in waiting.drain(..) {
                    take(result);
                }
                if !*done {
                    break;
                }
                early.remove(&next);
                next += 1;
                let _ = token_back.send(());
            }
        }
    });
    progress.finish_and_clear();
    files.len()
}

/// Reads one small built-in article the way every document is read (metadata, dates,
/// language), so that the tables ingest compiles on first use for such an article are built
/// now — beside the extraction rules (see `commands::new_extractor`) — rather than by the first
/// documents while the other pool threads wait for them. Patterns its sample does not need
/// (ingest compiles each date pattern on first need) are still built by the first document
/// that does.
pub fn warm_up_reading() {
    let meta = Metadata { date: Some("March 3, 2025".into()), ..Metadata::default() };
    let text = "Harbour repairs begin\n\nBy Ana Ruiz\n\nPORTVILLE, March 3 (Wire) - The harbour board said on \
                Monday that repairs to the north pier would begin next week and take about two months.";
    crosscheck_ingest::document_from_text("warm-up".into(), "warm-up".into(), SourceFormat::Text, text, meta);
}

/// Extracts one document; a bug in an extractor costs that document, not the run.
///
/// Extractors are written never to panic, but they run on untrusted text: if one does, the
/// document is reported as skipped with the panic message and every other document goes on.
///
/// The extractors read English only: a document ingest found to be in another language is
/// kept (stored, searchable) with an empty extraction and a warning saying why, which the
/// run summary prints.
///
/// With `link`, the document's link features come along (see [`run_ordered_linked`]).
fn extract_guarded(
    extractor: &Extractor,
    mut doc: Document,
    link: Option<&LinkConfig>,
) -> (Outcome, Option<PreparedLinkDoc>) {
    if is_non_english(doc.language.as_deref()) {
        let language = doc.language.as_deref().unwrap_or_default();
        doc.warnings
            .push(format!("language {language}: not English, extraction skipped (extractors are English-only)"));
        let extraction = Extraction::empty_for(&doc);
        let features = link.map(|link| PreparedLinkDoc::from_extraction(link, &extraction));
        return (Outcome::Extracted(Box::new((doc, extraction))), features);
    }
    let extract = || {
        extractor.extract_with(&doc, |doc_text, extraction| {
            link.map(|link| PreparedLinkDoc::from_extraction_words(link, extraction, &doc_text.words.words))
        })
    };
    match std::panic::catch_unwind(AssertUnwindSafe(extract)) {
        Ok((extraction, features)) => (Outcome::Extracted(Box::new((doc, extraction))), features),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            let skipped = Skipped {
                origin: doc.origin.clone(),
                reason: format!("internal error in extraction (please report): {message}"),
            };
            (Outcome::Skipped(skipped), None)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonl_of(n: usize) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut lines = String::new();
        for i in 0..n {
            // Lengths vary a lot, so units finish out of order.
            let text = format!("The council met on Monday in town {i}. ").repeat(1 + (i * 37) % 60);
            lines.push_str(&serde_json::json!({"id": format!("l{i:04}"), "text": text}).to_string());
            lines.push('\n');
            if i % 97 == 0 {
                lines.push_str("{broken\n");
            }
        }
        let path = dir.path().join("many.jsonl");
        std::fs::write(&path, lines).expect("write");
        (dir, path)
    }

    #[test]
    fn results_come_in_input_order_and_a_panicking_consumer_does_not_hang() {
        let (_dir, path) = jsonl_of(600);
        let extractor = Extractor::new().expect("bundled rules");
        let name = |outcome: Outcome| match outcome {
            Outcome::Extracted(item) => item.0.id.clone(),
            Outcome::Skipped(s) => s.origin,
        };
        let mut names = Vec::new();
        let files =
            run_ordered(std::slice::from_ref(&path), &ReadOptions::default(), &extractor, false, None, &name, |n| {
                names.push(n)
            });
        assert_eq!(files, 1);
        let origin = path.display().to_string();
        let mut expected = Vec::new();
        let mut line = 0;
        for i in 0..600 {
            line += 1;
            expected.push(format!("l{i:04}"));
            if i % 97 == 0 {
                line += 1;
                expected.push(format!("{origin}:{line}"));
            }
        }
        assert_eq!(names, expected);

        let panicked = std::panic::catch_unwind(AssertUnwindSafe(|| {
            run_ordered(std::slice::from_ref(&path), &ReadOptions::default(), &extractor, false, None, &name, |_| {
                panic!("a consumer bug")
            })
        }));
        assert!(panicked.is_err());
    }
}
