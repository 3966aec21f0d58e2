//! One function per subcommand. Each returns the exit code of a run that finished (0, or 1
//! when inputs were skipped) or an error for a run that could not (exit code 2).

use crate::args::{
    Cli, Command, EvalArgs, EvalFormat, ExtractArgs, ExtractFormat, IngestArgs, ReportArgs, ReportFormat,
};
use crate::extract_out::Layout;
use crate::linking::{link, link_store, peak_rss_mb};
use crate::pipeline::{self, Outcome, StageTimes};
use crate::{EXIT_OK, EXIT_PARTIAL};
use anyhow::{Context, Result};
use crosscheck_extract::Extractor;
use crosscheck_model::{Document, Extraction, Skipped};
use crosscheck_store::{InsertOutcome, Store};
use std::collections::HashSet;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Documents written to the store per transaction. Every commit writes each page it touched
/// to the WAL and flushes the FTS index's pending terms as a new segment, so larger batches
/// write less; a killed ingest loses at most one batch, which re-ingesting restores.
const INSERT_BATCH: usize = 1024;

pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Ingest(args) => ingest(&args).map(|summary| summary.exit_code()),
        Command::Analyze(args) => analyze(&args),
        Command::Extract(args) => extract(&args),
        Command::Link(args) => link(&args).map(|_| EXIT_OK),
        Command::Report(args) => report(&args),
        Command::Eval(args) => eval(&args),
        Command::Search(args) => search(&args),
        Command::Serve(args) => serve(&args),
    }
}

fn new_extractor() -> Result<Extractor> {
    // Ingest's lazily built tables are built beside the extraction rules (on a pool of more
    // than one thread), not by the first documents.
    let (extractor, ()) = rayon::join(Extractor::new, crate::pipeline::warm_up_reading);
    extractor.context("loading the bundled extraction rules")
}

/// Exact duplicates named one by one in the ingest summary before the rest are counted.
const DUPLICATES_LISTED: usize = 20;

/// What an ingest did, printed at the end of the run.
#[derive(Default)]
struct IngestSummary {
    files: usize,
    added: Vec<String>,
    duplicates: Vec<(String, String)>,
    skipped: Vec<Skipped>,
    warnings: Vec<(String, String)>,
}

impl IngestSummary {
    fn exit_code(&self) -> u8 {
        if self.skipped.is_empty() {
            EXIT_OK
        } else {
            EXIT_PARTIAL
        }
    }

    /// Prints the counts, then every warning and skipped input; exact duplicates (wire copies
    /// fed twice, re-ingested files) are listed up to [`DUPLICATES_LISTED`] unless `all_duplicates`,
    /// since a re-ingest of a large archive would otherwise print one line per document.
    fn print(&self, out: &mut dyn Write, all_duplicates: bool) -> std::io::Result<()> {
        writeln!(
            out,
            "ingest: {} files read; {} documents added, {} duplicates, {} skipped",
            self.files,
            self.added.len(),
            self.duplicates.len(),
            self.skipped.len()
        )?;
        let listed = if all_duplicates { self.duplicates.len() } else { DUPLICATES_LISTED };
        for (id, existing) in self.duplicates.iter().take(listed) {
            writeln!(out, "  duplicate: {id} has the same text as {existing}")?;
        }
        if self.duplicates.len() > listed {
            writeln!(
                out,
                "  … and {} more duplicates (--list-duplicates lists them all)",
                self.duplicates.len() - listed
            )?;
        }
        for (id, warning) in &self.warnings {
            writeln!(out, "  warning: {id}: {warning}")?;
        }
        for s in &self.skipped {
            writeln!(out, "  skipped: {}: {}", s.origin, s.reason)?;
        }
        Ok(())
    }
}

fn ingest(args: &IngestArgs) -> Result<IngestSummary> {
    let wall_start = Instant::now();
    let stage_times = StageTimes::default();
    let profile = args.profile.then_some(&stage_times);
    let extractor = new_extractor()?;
    let store = open_store(&args.store.data)?;
    let mut summary = IngestSummary::default();
    let show_progress = !args.quiet && std::io::stderr().is_terminal();

    // The store is written on a thread of its own, a batch at a time, while the pool goes on
    // extracting: one batch being written, one waiting, one filling.
    let (batch_tx, batch_rx) = std::sync::mpsc::sync_channel::<Vec<(Document, Extraction)>>(1);
    let (written, mut store) = std::thread::scope(|scope| -> Result<(Written, Store)> {
        let writer = scope.spawn(move || write_batches(store, batch_rx));
        let mut batch: Vec<(Document, Extraction)> = Vec::with_capacity(INSERT_BATCH);
        let mut writer_gone = false;
        let keep = |outcome: Outcome| outcome;
        summary.files = pipeline::run_ordered(
            &args.paths,
            &args.read.options(),
            &extractor,
            show_progress,
            profile,
            &keep,
            |outcome| match outcome {
                Outcome::Skipped(s) => summary.skipped.push(s),
                Outcome::Extracted(item) => {
                    if writer_gone {
                        return;
                    }
                    batch.push(*item);
                    if batch.len() >= INSERT_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(INSERT_BATCH));
                        // The writer stopped on an error, which its result reports.
                        writer_gone = batch_tx.send(full).is_err();
                    }
                }
            },
        );
        if !batch.is_empty() && !writer_gone {
            let _ = batch_tx.send(batch);
        }
        drop(batch_tx);
        writer.join().map_err(|_| anyhow::anyhow!("the store writer stopped unexpectedly"))?
    })?;
    let Written { added, duplicates, warnings, time: store_time } = written;
    summary.added = added;
    summary.duplicates = duplicates;
    summary.warnings = warnings;
    let ingest_wall = wall_start.elapsed();
    let ingest_peak = peak_rss_mb();
    summary.skipped.sort_by(|a, b| a.origin.cmp(&b.origin));
    summary.print(&mut std::io::stderr().lock(), args.list_duplicates)?;
    let link_start = Instant::now();
    link_store(&mut store)?;
    if args.profile {
        let link_wall = link_start.elapsed();
        let stages = [
            ("read+parse", stage_times.read()),
            ("extract", stage_times.extract()),
            ("store writes", store_time),
            ("link", link_wall),
        ];
        let mut err = std::io::stderr().lock();
        print_profile(&mut err, wall_start.elapsed(), &stages)?;
        let read = summary.added.len() + summary.duplicates.len();
        let rate = read as f64 / ingest_wall.as_secs_f64().max(1e-9);
        let peak = |mb: Option<u64>| mb.map_or_else(|| "unknown".to_string(), |mb| format!("{mb} MB"));
        writeln!(
            err,
            "  ingest (read, extract, store) {:.2} s wall, {rate:.0} documents/s, peak RSS {}; link {:.2} s wall, \
             peak RSS {}",
            ingest_wall.as_secs_f64(),
            peak(ingest_peak),
            link_wall.as_secs_f64(),
            peak(peak_rss_mb())
        )?;
    }
    Ok(summary)
}

/// What the store writer did over a whole ingest.
#[derive(Default)]
struct Written {
    added: Vec<String>,
    duplicates: Vec<(String, String)>,
    warnings: Vec<(String, String)>,
    /// Time spent inside the store's writes.
    time: Duration,
}

/// Writes batches as they come, one transaction each, until the sender is dropped; stops at
/// the first error. Gives the store back for linking.
fn write_batches(
    mut store: Store,
    batches: std::sync::mpsc::Receiver<Vec<(Document, Extraction)>>,
) -> Result<(Written, Store)> {
    let mut written = Written::default();
    for batch in batches {
        let start = Instant::now();
        let outcomes = store.insert_batch(&batch).context("writing to the store")?;
        written.time += start.elapsed();
        for ((doc, _), outcome) in batch.into_iter().zip(outcomes) {
            match outcome {
                InsertOutcome::Added { id } => {
                    written.warnings.extend(doc.warnings.into_iter().map(|w| (id.clone(), w)));
                    written.added.push(id);
                }
                InsertOutcome::Duplicate { id, existing_id } => written.duplicates.push((id, existing_id)),
            }
        }
    }
    Ok((written, store))
}

/// The `--profile` lines: wall time, then each stage's time and share of the stages' total.
///
/// Read and extract times are CPU time summed over worker threads, so with several threads
/// their sum can exceed the wall time; store writes and link run on the main thread.
fn print_profile(out: &mut dyn Write, wall: Duration, stages: &[(&str, Duration)]) -> std::io::Result<()> {
    let total: f64 = stages.iter().map(|(_, d)| d.as_secs_f64()).sum();
    writeln!(
        out,
        "profile: wall time {:.2} s; stage times (read+parse and extract summed over threads):",
        wall.as_secs_f64()
    )?;
    for (name, time) in stages {
        let share = if total > 0.0 { 100.0 * time.as_secs_f64() / total } else { 0.0 };
        writeln!(out, "  {name:<13} {:>9.2} s  {share:>5.1}%", time.as_secs_f64())?;
    }
    Ok(())
}

fn analyze(args: &IngestArgs) -> Result<u8> {
    let summary = ingest(args)?;
    print_report(&args.store.data, args.format)?;
    Ok(summary.exit_code())
}

pub(crate) fn open_store(dir: &Path) -> Result<Store> {
    Store::open(dir).with_context(|| format!("opening the store in {}", dir.display()))
}

fn open_store_read_only(dir: &Path) -> Result<Store> {
    Store::open_read_only(dir)
        .with_context(|| format!("opening the store in {} (run `crosscheck ingest` first)", dir.display()))
}

fn report(args: &ReportArgs) -> Result<u8> {
    print_report(&args.store.data, args.format)?;
    Ok(EXIT_OK)
}

fn print_report(data: &Path, format: ReportFormat) -> Result<()> {
    let store = open_store_read_only(data)?;
    let report = crosscheck_serve::StoryReport::from_store(&store).context("reading the store")?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match format {
        ReportFormat::Md => out.write_all(crosscheck_serve::render_markdown(&report).as_bytes())?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Extracts every document under `paths` and links them, in input order, holding every
/// extraction (for `eval`, on small corpora; `extract` streams instead).
fn extract_all(
    paths: &[std::path::PathBuf],
    read: &crosscheck_ingest::ReadOptions,
    quiet: bool,
) -> Result<(Vec<Extraction>, Vec<Skipped>)> {
    let extractor = new_extractor()?;
    let mut extractions = Vec::new();
    let mut skipped = Vec::new();
    let show_progress = !quiet && std::io::stderr().is_terminal();
    let keep = |outcome: Outcome| outcome;
    pipeline::run_ordered(paths, read, &extractor, show_progress, None, &keep, |outcome| match outcome {
        Outcome::Extracted(item) => extractions.push(item.1),
        Outcome::Skipped(s) => skipped.push(s),
    });
    let link = crosscheck_link::LinkConfig::default();
    let story = crosscheck_link::StoryConfig::default();
    let groups = crosscheck_link::find_story_groups(&extractions, &link, &story).groups;
    crosscheck_link::assign_duplicates(&mut extractions, &groups);
    Ok((extractions, skipped))
}

fn extract(args: &ExtractArgs) -> Result<u8> {
    let extractor = new_extractor()?;
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let layout = match args.format {
        ExtractFormat::Jsonl => Layout::Lines,
        ExtractFormat::Json => Layout::PrettyArray,
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (documents, skipped) =
        crate::extract_out::extract_to(&args.paths, &args.read.options(), extractor, show_progress, layout, &mut out)?;
    out.flush()?;
    if !args.quiet || !skipped.is_empty() {
        let mut err = std::io::stderr().lock();
        writeln!(err, "extract: {documents} documents, {} skipped", skipped.len())?;
        for s in &skipped {
            writeln!(err, "  skipped: {}: {}", s.origin, s.reason)?;
        }
    }
    Ok(if skipped.is_empty() { EXIT_OK } else { EXIT_PARTIAL })
}

fn eval(args: &EvalArgs) -> Result<u8> {
    let gold_text = std::fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let gold = crosscheck_eval::load_jsonl(&args.gold.display().to_string(), &gold_text)?;
    let predicted: Vec<(String, serde_json::Value)> = match (&args.corpus, &args.predicted) {
        (_, Some(path)) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            crosscheck_eval::load_jsonl(&path.display().to_string(), &text)?
        }
        (Some(corpus), None) => {
            let (extractions, skipped) =
                extract_all(std::slice::from_ref(corpus), &crosscheck_ingest::ReadOptions::default(), true)?;
            for s in &skipped {
                eprintln!("eval: skipped {}: {}", s.origin, s.reason);
            }
            extractions.iter().map(|e| Ok((e.id.clone(), serde_json::to_value(e)?))).collect::<Result<_>>()?
        }
        (None, None) => anyhow::bail!("give --corpus or --predicted"),
    };
    let ids: Option<HashSet<String>> = (!args.ids.is_empty()).then(|| args.ids.iter().cloned().collect());
    let scores = crosscheck_eval::score(&gold, &predicted, ids.as_ref());
    match args.format {
        EvalFormat::Table => print!("{}", scores.to_table()),
        EvalFormat::Json => println!("{}", scores.to_json()),
    }
    Ok(EXIT_OK)
}

fn search(args: &crate::args::SearchArgs) -> Result<u8> {
    let store = open_store_read_only(&args.store.data)?;
    let text = args.query.join(" ");
    let query = crosscheck_store::SearchQuery {
        query: text.clone(),
        outlet: args.outlet.clone(),
        date_from: args.from.clone(),
        date_to: args.to.clone(),
        entity: args.entity.clone(),
        limit: args.limit,
        offset: args.offset,
    };
    let results = store.search(&query).context("searching")?;
    let entities = store.find_entities(&text, 10).context("searching entities")?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        crate::args::SearchFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({"results": results, "entities": entities}))?;
            writeln!(out)?;
        }
        crate::args::SearchFormat::Text => {
            let bold = std::io::stdout().is_terminal();
            for e in &entities {
                let alias = e.matched_alias.as_deref().map(|a| format!(", as \"{a}\"")).unwrap_or_default();
                writeln!(out, "entity: {} ({}, {} documents{alias})", e.name, e.kind, e.documents)?;
            }
            writeln!(out, "{} documents match {}", results.total, results.expression)?;
            for (n, hit) in results.hits.iter().enumerate() {
                let meta: Vec<&str> = [hit.outlet.as_deref(), hit.date.as_deref()].into_iter().flatten().collect();
                writeln!(
                    out,
                    "{:>3}. {} — {} ({}) score {:.2}",
                    args.offset + n + 1,
                    hit.id,
                    hit.title.as_deref().unwrap_or(""),
                    meta.join(", "),
                    hit.score
                )?;
                let snippet: String = hit
                    .snippet
                    .iter()
                    .map(|f| match (f.hit, bold) {
                        (true, true) => format!("\x1b[1m{}\x1b[0m", f.text),
                        (true, false) => format!("[{}]", f.text),
                        (false, _) => f.text.clone(),
                    })
                    .collect();
                writeln!(out, "     {}", snippet.split_whitespace().collect::<Vec<_>>().join(" "))?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// `POST /api/ingest`: one article through the same read → extract → store → link steps as
/// `crosscheck ingest`.
struct StoreIngestor {
    data: std::path::PathBuf,
    extractor: Extractor,
}

impl crosscheck_serve::http::Ingestor for StoreIngestor {
    fn ingest(
        &self,
        request: crosscheck_serve::http::IngestRequest,
    ) -> std::result::Result<crosscheck_serve::http::IngestResponse, crosscheck_serve::http::IngestFailure> {
        use crosscheck_serve::http::{IngestFailure, IngestResponse};
        let body = request.text.as_deref().or(request.html.as_deref()).unwrap_or("");
        let id = request.id.clone().unwrap_or_else(|| {
            let hash = crosscheck_ingest::content_hash(body);
            format!("web-{}", hash.get(..12).unwrap_or(&hash))
        });
        let meta = crosscheck_ingest::Metadata {
            url: request.url.clone(),
            outlet: request.outlet.clone(),
            date: request.date.clone(),
            title: request.title.clone(),
            author: request.author.clone(),
        };
        let origin = format!("api:ingest/{id}");
        let doc = match (&request.text, &request.html) {
            (Some(text), _) => {
                crosscheck_ingest::document_from_text(id, origin, crosscheck_model::SourceFormat::Text, text, meta)
            }
            (None, Some(html)) => crosscheck_ingest::document_from_html(id, origin, html, meta)
                .map_err(|e| IngestFailure::Rejected(e.to_string()))?,
            (None, None) => return Err(IngestFailure::Rejected("no article text".into())),
        };
        let extraction = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.extractor.extract(&doc)))
            .map_err(|_| IngestFailure::Failed("extraction failed on this article".into()))?;
        let warnings = doc.warnings.clone();
        let mut store = Store::open(&self.data).map_err(|e| IngestFailure::Failed(format!("store: {e}")))?;
        let outcomes =
            store.insert_batch(&[(doc, extraction)]).map_err(|e| IngestFailure::Failed(format!("store: {e}")))?;
        let mut response = IngestResponse { warnings, ..IngestResponse::default() };
        for outcome in outcomes {
            match outcome {
                InsertOutcome::Added { id } => response.added.push(id),
                InsertOutcome::Duplicate { id, existing_id } => response.duplicates.push((id, existing_id)),
            }
        }
        if !response.added.is_empty() {
            link_store(&mut store).map_err(|e| IngestFailure::Failed(format!("linking: {e:#}")))?;
        }
        Ok(response)
    }
}

fn serve(args: &crate::args::ServeArgs) -> Result<u8> {
    let token = args.token.clone().or_else(|| std::env::var("CROSSCHECK_TOKEN").ok()).filter(|t| !t.is_empty());
    let ingestor: Option<std::sync::Arc<dyn crosscheck_serve::http::Ingestor>> = if args.read_only {
        None
    } else {
        Some(std::sync::Arc::new(StoreIngestor { data: args.store.data.clone(), extractor: new_extractor()? }))
    };
    let config = crosscheck_serve::http::ServeConfig {
        data: args.store.data.clone(),
        addr: std::net::SocketAddr::new(args.addr, args.port),
        token,
        ingestor,
    };
    let data = args.store.data.display().to_string();
    crosscheck_serve::http::serve_blocking(config, |url| {
        println!("crosscheck: serving {data} at {url} (Ctrl-C stops)");
        let _ = std::io::stdout().flush();
    })
    .with_context(|| format!("serving {data}"))?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary_with_duplicates(n: usize) -> IngestSummary {
        IngestSummary {
            files: 1,
            duplicates: (0..n).map(|i| (format!("copy-{i}"), "original".to_string())).collect(),
            ..IngestSummary::default()
        }
    }

    fn printed(summary: &IngestSummary, all_duplicates: bool) -> String {
        let mut out = Vec::new();
        summary.print(&mut out, all_duplicates).expect("writing to a Vec");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn summary_lists_the_first_duplicates_and_counts_the_rest() {
        let text = printed(&summary_with_duplicates(DUPLICATES_LISTED + 5), false);
        assert!(text.starts_with("ingest: 1 files read; 0 documents added, 25 duplicates, 0 skipped\n"), "{text}");
        assert_eq!(text.matches("  duplicate: ").count(), DUPLICATES_LISTED);
        assert!(text.contains("copy-19 has the same text as original") && !text.contains("copy-20 "), "{text}");
        assert!(text.ends_with("  … and 5 more duplicates (--list-duplicates lists them all)\n"), "{text}");
    }

    #[test]
    fn summary_lists_every_duplicate_when_asked_or_when_few() {
        let all = printed(&summary_with_duplicates(DUPLICATES_LISTED + 5), true);
        assert_eq!(all.matches("  duplicate: ").count(), DUPLICATES_LISTED + 5);
        assert!(!all.contains("more duplicates"), "{all}");
        let few = printed(&summary_with_duplicates(3), false);
        assert_eq!(few.matches("  duplicate: ").count(), 3);
        assert!(!few.contains("more duplicates"), "{few}");
    }

    #[test]
    fn profile_prints_wall_time_and_shares_of_the_stage_total() {
        let stages = [
            ("read+parse", Duration::from_millis(300)),
            ("extract", Duration::from_millis(600)),
            ("store writes", Duration::from_millis(100)),
            ("link", Duration::ZERO),
        ];
        let mut out = Vec::new();
        print_profile(&mut out, Duration::from_millis(1500), &stages).expect("writing to a Vec");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("profile: wall time 1.50 s"), "{text}");
        assert!(text.contains("read+parse         0.30 s   30.0%"), "{text}");
        assert!(text.contains("extract            0.60 s   60.0%"), "{text}");
        assert!(text.contains("link               0.00 s    0.0%"), "{text}");
    }

    #[test]
    fn profile_of_an_empty_run_has_no_division_by_zero() {
        let mut out = Vec::new();
        print_profile(&mut out, Duration::ZERO, &[("extract", Duration::ZERO)]).expect("writing to a Vec");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("0.0%") && !text.contains("NaN"), "{text}");
    }
}
