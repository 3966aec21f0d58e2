//! One function per subcommand. Each returns the exit code of a run that finished (0, or 1
//! when inputs were skipped) or an error for a run that could not (exit code 2).

use crate::args::{
    Cli, Command, EvalArgs, EvalFormat, ExtractArgs, ExtractFormat, IngestArgs, ReportArgs, ReportFormat, StoreArgs,
};
use crate::pipeline::{self, OrderKey, Outcome};
use crate::{EXIT_OK, EXIT_PARTIAL};
use anyhow::{Context, Result};
use crosscheck_extract::Extractor;
use crosscheck_model::{Document, Extraction, Skipped};
use crosscheck_store::{InsertOutcome, Store};
use std::collections::{BTreeMap, HashSet};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;

/// Documents written to the store per transaction.
const INSERT_BATCH: usize = 256;

pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Ingest(args) => ingest(&args).map(|summary| summary.exit_code()),
        Command::Analyze(args) => analyze(&args),
        Command::Extract(args) => extract(&args),
        Command::Link(args) => link(&args).map(|_| EXIT_OK),
        Command::Report(args) => report(&args),
        Command::Eval(args) => eval(&args),
    }
}

fn new_extractor() -> Result<Extractor> {
    Extractor::new().context("loading the bundled extraction rules")
}

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

    fn print(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(
            out,
            "ingest: {} files read; {} documents added, {} duplicates, {} skipped",
            self.files,
            self.added.len(),
            self.duplicates.len(),
            self.skipped.len()
        )?;
        for (id, existing) in &self.duplicates {
            writeln!(out, "  duplicate: {id} has the same text as {existing}")?;
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
    let extractor = new_extractor()?;
    let mut store = open_store(&args.store.data)?;
    let mut summary = IngestSummary::default();
    let mut batch: Vec<(Document, Extraction)> = Vec::with_capacity(INSERT_BATCH);
    let mut failure: Option<anyhow::Error> = None;
    let show_progress = !args.quiet && std::io::stderr().is_terminal();

    let mut write_batch = |batch: &mut Vec<(Document, Extraction)>, summary: &mut IngestSummary| -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let outcomes = store.insert_batch(batch).context("writing to the store")?;
        for ((doc, _), outcome) in batch.iter().zip(outcomes) {
            match outcome {
                InsertOutcome::Added { id } => {
                    summary.warnings.extend(doc.warnings.iter().map(|w| (id.clone(), w.clone())));
                    summary.added.push(id);
                }
                InsertOutcome::Duplicate { id, existing_id } => summary.duplicates.push((id, existing_id)),
            }
        }
        batch.clear();
        Ok(())
    };

    summary.files = pipeline::run(&args.paths, &extractor, show_progress, |_key, outcome| {
        if failure.is_some() {
            return;
        }
        match outcome {
            Outcome::Skipped(s) => summary.skipped.push(s),
            Outcome::Extracted(item) => {
                batch.push(*item);
                if batch.len() >= INSERT_BATCH {
                    if let Err(e) = write_batch(&mut batch, &mut summary) {
                        failure = Some(e);
                    }
                }
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    write_batch(&mut batch, &mut summary)?;
    summary.skipped.sort_by(|a, b| a.origin.cmp(&b.origin));
    summary.print(&mut std::io::stderr().lock())?;
    link_store(&mut store)?;
    Ok(summary)
}

fn analyze(args: &IngestArgs) -> Result<u8> {
    let summary = ingest(args)?;
    print_report(&args.store.data, args.format)?;
    Ok(summary.exit_code())
}

fn open_store(dir: &Path) -> Result<Store> {
    Store::open(dir).with_context(|| format!("opening the store in {}", dir.display()))
}

fn open_store_read_only(dir: &Path) -> Result<Store> {
    Store::open_read_only(dir)
        .with_context(|| format!("opening the store in {} (run `crosscheck ingest` first)", dir.display()))
}

/// Recomputes duplicate groups over the whole store.
fn link_store(store: &mut Store) -> Result<usize> {
    let extractions = store.extractions().context("reading extractions from the store")?;
    let groups = find_groups(&extractions);
    store.replace_duplicate_groups(&groups).context("writing duplicate groups")?;
    Ok(groups.len())
}

/// Same-story groups: copies and rewrites (shared wording) plus independent reports of the
/// same event (shared rare content, close dates).
fn find_groups(extractions: &[Extraction]) -> Vec<crosscheck_model::DuplicateGroup> {
    let link = crosscheck_link::LinkConfig::default();
    let story = crosscheck_link::StoryConfig::default();
    crosscheck_link::find_story_groups(extractions, &link, &story).groups
}

fn link(args: &StoreArgs) -> Result<()> {
    if !args.data.is_dir() {
        anyhow::bail!("no store in {} (run `crosscheck ingest` first)", args.data.display());
    }
    let mut store = open_store(&args.data)?;
    let groups = link_store(&mut store)?;
    eprintln!("link: {groups} duplicate groups");
    Ok(())
}

fn report(args: &ReportArgs) -> Result<u8> {
    print_report(&args.store.data, args.format)?;
    Ok(EXIT_OK)
}

fn print_report(data: &Path, format: ReportFormat) -> Result<()> {
    let store = open_store_read_only(data)?;
    let extractions = store.extractions().context("reading extractions from the store")?;
    let groups = store.duplicate_groups().context("reading duplicate groups")?;
    let report = crosscheck_serve::StoryReport::build(&extractions, &groups);
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

/// Extracts every document under `paths` and links them, in input order.
fn extract_all(paths: &[std::path::PathBuf], quiet: bool) -> Result<(Vec<Extraction>, Vec<Skipped>)> {
    let extractor = new_extractor()?;
    let mut results: BTreeMap<OrderKey, Extraction> = BTreeMap::new();
    let mut skipped = Vec::new();
    let show_progress = !quiet && std::io::stderr().is_terminal();
    pipeline::run(paths, &extractor, show_progress, |key, outcome| match outcome {
        Outcome::Extracted(item) => {
            results.insert(key, item.1);
        }
        Outcome::Skipped(s) => skipped.push(s),
    });
    let mut extractions: Vec<Extraction> = results.into_values().collect();
    let groups = find_groups(&extractions);
    crosscheck_link::assign_duplicates(&mut extractions, &groups);
    Ok((extractions, skipped))
}

fn extract(args: &ExtractArgs) -> Result<u8> {
    let (extractions, skipped) = extract_all(&args.paths, args.quiet)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        ExtractFormat::Jsonl => {
            for e in &extractions {
                serde_json::to_writer(&mut out, e)?;
                out.write_all(b"\n")?;
            }
        }
        ExtractFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &extractions)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    if !args.quiet || !skipped.is_empty() {
        let mut err = std::io::stderr().lock();
        writeln!(err, "extract: {} documents, {} skipped", extractions.len(), skipped.len())?;
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
            let (extractions, skipped) = extract_all(std::slice::from_ref(corpus), true)?;
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
