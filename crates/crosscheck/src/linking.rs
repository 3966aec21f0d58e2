//! Linking over the whole store: duplicate groups first (streamed from the store as a compact
//! corpus), then claims, comparisons, provenance and entities, all written back so reports read
//! them. `crosscheck link` and the end of `ingest`/`analyze` call this; it must not read input
//! files or print reports.

use crate::args::StoreArgs;
use crate::commands::open_store;
use anyhow::{Context, Result};
use crosscheck_store::Store;
use rayon::prelude::*;
use std::time::{Duration, Instant};

/// Recomputes duplicate groups over the whole store.
pub(crate) fn link_store(store: &mut Store) -> Result<usize> {
    link_store_timed(store, &mut LinkTimes::default(), &mut |_| {})
}

/// Wall time of each step of [`link_store`], for `crosscheck link`'s closing line.
#[derive(Debug, Default)]
struct LinkTimes {
    documents: usize,
    /// Streaming from the store and shingling, MinHash and term extraction per document.
    read_index: Duration,
    groups: Duration,
    write_groups: Duration,
    /// Claims, comparisons, provenance and entities, streamed from the store.
    claims: Duration,
    /// Writing them (inside the claims step, in one transaction).
    write_results: Duration,
    /// How the writing split: during the document pass, the statement clusters, the rest.
    written: crosscheck_store::LinkWriteTimes,
    /// Seconds since the claims step began, and peak memory, as each of its phases ended.
    phases: Vec<PhaseMark>,
}

/// The end of one phase of the claims step: its name, seconds since the step began, the
/// process's peak resident memory by then (MB).
#[derive(Debug)]
struct PhaseMark {
    phase: &'static str,
    seconds: f64,
    peak_mb: Option<u64>,
}

/// Passes a streamed link run through to the store's writer, noting when each phase ends and
/// the peak memory by then (for `crosscheck link`'s summary: where time and memory go).
struct PhaseSink<'w, 's> {
    inner: &'w mut crosscheck_store::LinkResultsWriter<'s>,
    start: Instant,
    marks: Vec<PhaseMark>,
}

impl PhaseSink<'_, '_> {
    fn mark(&mut self, phase: &'static str) {
        self.marks.push(PhaseMark { phase, seconds: self.start.elapsed().as_secs_f64(), peak_mb: peak_rss_mb() });
    }
}

impl crosscheck_link::LinkSink for PhaseSink<'_, '_> {
    type Error = crosscheck_store::StoreError;

    fn document_statements(
        &mut self,
        kept: &[crosscheck_link::Statement],
        repeats: &[crosscheck_link::Statement],
    ) -> Result<(), Self::Error> {
        if self.marks.is_empty() {
            self.mark("entities resolved");
        }
        self.inner.document_statements(kept, repeats)
    }

    fn document_mentions(
        &mut self,
        doc: &str,
        mentions: &[(u32, crosscheck_model::Mention)],
    ) -> Result<(), Self::Error> {
        if self.marks.is_empty() {
            self.mark("entities resolved");
        }
        self.inner.document_mentions(doc, mentions)
    }

    fn comparisons(&mut self, batch: &[crosscheck_link::Comparison]) -> Result<(), Self::Error> {
        self.inner.comparisons(batch)
    }

    fn stored_statements(&mut self, ids: &[String]) -> Result<Vec<crosscheck_link::Statement>, Self::Error> {
        self.mark("documents read");
        self.inner.stored_statements(ids)
    }

    fn store_statement_clusters(
        &mut self,
        cluster_of: &dyn Fn(&[&crosscheck_link::Statement]) -> Option<crosscheck_link::StatementCluster>,
    ) -> Result<(), Self::Error> {
        self.mark("claims compared");
        self.inner.store_statement_clusters(cluster_of)?;
        self.mark("statement clusters stored");
        Ok(())
    }

    fn finish(&mut self, rest: crosscheck_link::LinkResults) -> Result<(), Self::Error> {
        self.inner.finish(rest)?;
        self.mark("the rest written and committed");
        Ok(())
    }
}

/// Documents read from the store before their link features are computed on the pool.
const LINK_CHUNK: usize = 2048;

/// One stored document's linking inputs, owned so a chunk can be prepared in parallel.
struct LinkInput {
    id: String,
    date: Option<String>,
    text: String,
    names: Vec<String>,
    amounts: Vec<(f64, String)>,
}

/// Prepares `chunk` on the rayon pool and appends it to `corpus` in order, leaving it empty.
fn push_chunk(
    corpus: &mut crosscheck_link::LinkCorpus,
    link: &crosscheck_link::LinkConfig,
    chunk: &mut Vec<LinkInput>,
) {
    let prepared: Vec<crosscheck_link::PreparedLinkDoc> = chunk
        .par_iter()
        .map(|d| {
            crosscheck_link::PreparedLinkDoc::new(
                link,
                &d.id,
                &d.text,
                d.date.as_deref(),
                d.names.iter().map(String::as_str),
                d.amounts.iter().map(|(v, u)| (*v, u.as_str())),
            )
        })
        .collect();
    for doc in &prepared {
        corpus.push_prepared(doc);
    }
    chunk.clear();
}

/// [`link_store`] recording its step times; `groups_written` is called once the duplicate
/// groups are stored, before claims and the rest are computed.
fn link_store_timed(
    store: &mut Store,
    times: &mut LinkTimes,
    groups_written: &mut dyn FnMut(&LinkTimes),
) -> Result<usize> {
    // Groups come from a compact corpus streamed from the store (ids, dates, shingles, band
    // keys, content terms), dropped before anything else is read.
    let start = Instant::now();
    let link = crosscheck_link::LinkConfig::default();
    let mut corpus = crosscheck_link::LinkCorpus::new(&link);
    // Rows are read in order on this thread; shingling and term hashing, the costly part, run
    // on the pool a chunk at a time, and the chunk is appended in order (bounded memory).
    let mut chunk: Vec<LinkInput> = Vec::with_capacity(LINK_CHUNK);
    times.documents = store
        .for_each_link_input(|id, date, text, names, amounts| {
            chunk.push(LinkInput {
                id: id.to_string(),
                date: date.map(str::to_string),
                text: text.to_string(),
                names: names.to_vec(),
                amounts: amounts.to_vec(),
            });
            if chunk.len() == LINK_CHUNK {
                push_chunk(&mut corpus, &link, &mut chunk);
            }
        })
        .context("reading the store for linking")?;
    push_chunk(&mut corpus, &link, &mut chunk);
    times.read_index = start.elapsed();
    let start = Instant::now();
    let groups = crosscheck_link::find_story_groups_in(&mut corpus, &crosscheck_link::StoryConfig::default()).groups;
    drop(corpus);
    times.groups = start.elapsed();
    let start = Instant::now();
    store.replace_duplicate_groups(&groups).context("writing duplicate groups")?;
    times.write_groups = start.elapsed();
    groups_written(times);
    let start = Instant::now();
    // Claims, comparisons, provenance and entities are stored too, so reports read them. They
    // are found over extractions streamed from the store one at a time (three passes, see
    // `link_results_into`), and statements and entity mentions are written as they are found,
    // in one transaction with the rest: memory holds neither the extractions nor the results.
    // Documents and extractions are read through a second connection: the writer's run is
    // one long transaction, and every page read through it is first looked up in the WAL the
    // run keeps growing (see `Store::reader`).
    let reader = store.reader().context("opening the store for reading")?;
    let mut writer = store.link_results_writer(times.documents, groups.len()).context("writing link results")?;
    let mut phases = PhaseSink { inner: &mut writer, start, marks: Vec::new() };
    crosscheck_link::link_results_into(&reader, &groups, &mut phases).context("linking claims and writing them")?;
    times.phases = phases.marks;
    let written = writer.times();
    drop(writer);
    let elapsed = start.elapsed();
    times.write_results = written.documents + written.clusters + written.finish;
    times.claims = elapsed.saturating_sub(times.write_results);
    times.written = written;
    Ok(groups.len())
}

pub(crate) fn link(args: &StoreArgs) -> Result<()> {
    if !args.data.is_dir() {
        anyhow::bail!("no store in {} (run `crosscheck ingest` first)", args.data.display());
    }
    let mut store = open_store(&args.data)?;
    let mut times = LinkTimes::default();
    let groups = link_store_timed(&mut store, &mut times, &mut |t| {
        // Peak memory of the grouping alone, before the claims step.
        let peak = peak_rss_mb().map_or_else(String::new, |mb| format!(", peak RSS so far {mb} MB"));
        eprintln!(
            "link: groups stored for {} documents: read+index {:.2} s, groups {:.2} s, writing groups {:.2} s{peak}",
            t.documents,
            t.read_index.as_secs_f64(),
            t.groups.as_secs_f64(),
            t.write_groups.as_secs_f64()
        );
    })?;
    let peak = peak_rss_mb().map_or_else(String::new, |mb| format!(", peak RSS {mb} MB"));
    eprintln!(
        "link: {groups} duplicate groups over {} documents; read+index {:.2} s, groups {:.2} s, \
         writing groups {:.2} s, claims and the rest {:.2} s, writing them {:.2} s \
         (per document {:.2} s, statement clusters {:.2} s, the rest and commit {:.2} s){peak}",
        times.documents,
        times.read_index.as_secs_f64(),
        times.groups.as_secs_f64(),
        times.write_groups.as_secs_f64(),
        times.claims.as_secs_f64(),
        times.write_results.as_secs_f64(),
        times.written.documents.as_secs_f64(),
        times.written.clusters.as_secs_f64(),
        times.written.finish.as_secs_f64()
    );
    let phases: Vec<String> = times
        .phases
        .iter()
        .map(|m| {
            let peak = m.peak_mb.map_or_else(String::new, |mb| format!(", peak {mb} MB"));
            format!("{} at {:.2} s{peak}", m.phase, m.seconds)
        })
        .collect();
    eprintln!("link: claims step: {}", phases.join("; "));
    let f = times.written.finish_steps;
    eprintln!(
        "link: the rest: numeric/status/denial claims and clusters {:.2} s, statement clusters numbered {:.2} s, \
         comparisons {:.2} s, provenance, entities and mentions {:.2} s, indexes {:.2} s, reference check {:.2} s, commit {:.2} s",
        f.claims.as_secs_f64(),
        f.statement_clusters.as_secs_f64(),
        f.comparisons.as_secs_f64(),
        f.entities.as_secs_f64(),
        f.indexes.as_secs_f64(),
        f.check.as_secs_f64(),
        f.commit.as_secs_f64()
    );
    Ok(())
}

/// The process's peak resident memory in MB (`VmHWM` of `/proc/self/status`), where Linux
/// provides it.
pub(crate) fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
