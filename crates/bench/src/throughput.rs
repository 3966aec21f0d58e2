//! In-process throughput: the `corpus` and `extract` subcommands. The corpus repeats the
//! bundled examples (and the development seeds when `../shared` is present), each copy with a
//! unique id and a one-line variation so content hashes differ. Nothing here is timed in tests.

use anyhow::{bail, Context, Result};
use crosscheck_extract::Extractor;
use crosscheck_ingest::{discover, read_file, ReadItem};
use crosscheck_model::Document;
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// The base documents: the bundled examples, plus the seeds when `../shared` is present.
fn base_documents() -> Result<Vec<Document>> {
    let root = crate::repo_root();
    let mut paths = vec![root.join("examples/articles")];
    let seeds = root.join("../shared/corpus/seeds.jsonl");
    if seeds.is_file() {
        paths.push(seeds);
    } else {
        eprintln!("note: ../shared not found, building the corpus from the examples only");
    }
    let (files, _) = discover(&paths);
    let mut docs = Vec::new();
    for f in files {
        read_file(&f, &mut |item| {
            if let ReadItem::Document(d) = item {
                docs.push(d);
            }
        });
    }
    if docs.is_empty() {
        bail!("no base documents found under {}", root.display());
    }
    Ok(docs)
}

/// Copies of the base documents until about `mb` megabytes of text.
fn build_corpus(mb: usize) -> Result<Vec<Document>> {
    let base = base_documents()?;
    let target = mb * 1_000_000;
    let mut out = Vec::new();
    let mut bytes = 0;
    let mut copy = 0usize;
    while bytes < target {
        for d in &base {
            let mut d = d.clone();
            d.id = format!("{}-{copy}", d.id);
            d.text.push_str(&format!("\n\nCopy {copy}."));
            bytes += d.text.len();
            out.push(d);
        }
        copy += 1;
    }
    Ok(out)
}

pub fn write_corpus(mb: usize, out: &Path) -> Result<()> {
    let docs = build_corpus(mb)?;
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = std::io::BufWriter::new(file);
    for d in &docs {
        let line = serde_json::json!({"id": d.id, "url": d.url, "outlet": d.outlet, "date": d.date, "title": d.title, "text": d.text});
        serde_json::to_writer(&mut w, &line)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    eprintln!("wrote {} documents to {}", docs.len(), out.display());
    Ok(())
}

pub fn bench_extract(mb: usize, threads: usize) -> Result<()> {
    let docs = build_corpus(mb)?;
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let start = Instant::now();
    let extractor = Extractor::new()?;
    let startup = start.elapsed();
    let start = Instant::now();
    let items: usize = pool.install(|| {
        docs.par_iter()
            .map(|d| {
                let e = extractor.extract(d);
                e.entities.len() + e.quantities.len() + e.dates.len() + e.attributions.len() + e.events.len()
            })
            .sum()
    });
    let secs = start.elapsed().as_secs_f64();
    if items == 0 {
        bail!("extraction found nothing: the benchmark result is not valid");
    }
    println!("documents        {}", docs.len());
    println!("text             {:.1} MB, {} words", bytes as f64 / 1e6, words);
    println!("threads          {threads}");
    println!("extractor start  {:.1} ms", startup.as_secs_f64() * 1e3);
    println!("extraction       {secs:.2} s");
    println!(
        "throughput       {:.2} MB/s, {:.0} documents/s, {:.0} words/s",
        bytes as f64 / 1e6 / secs,
        docs.len() as f64 / secs,
        words as f64 / secs
    );
    println!("items extracted  {items}");
    if let Some(kb) = peak_rss_kb() {
        println!("peak RSS         {:.0} MB (corpus held in memory)", kb as f64 / 1024.0);
    }
    Ok(())
}

/// Peak resident set size from /proc (Linux); None elsewhere.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Every `.html` file under `dir` (recursively), sorted, read into memory.
fn html_pages(dir: &Path) -> Result<Vec<String>> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "html") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut pages = Vec::with_capacity(paths.len());
    for path in &paths {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        pages.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    if pages.is_empty() {
        bail!("no .html files under {}", dir.display());
    }
    Ok(pages)
}

/// `html-time`: one single-threaded pass of ingest's HTML → article text over the pages of
/// `dir`, held in memory so only the extraction is timed (the peer script times trafilatura
/// the same way). Prints one `key value` line each; fails when most pages come out empty.
pub fn time_html(dir: &Path) -> Result<()> {
    let pages = html_pages(dir)?;
    let bytes: usize = pages.iter().map(String::len).sum();
    let start = Instant::now();
    let mut words = 0usize;
    let mut empty = 0usize;
    for page in &pages {
        let article = crosscheck_ingest::html_to_article(page, None);
        let n = article.text.split_whitespace().count();
        words += n;
        empty += usize::from(n == 0);
    }
    let secs = start.elapsed().as_secs_f64();
    if empty * 10 > pages.len() {
        bail!("{empty} of {} pages gave no text: the timing is not valid", pages.len());
    }
    println!("pages {}", pages.len());
    println!("bytes {bytes}");
    println!("seconds {secs:.6}");
    println!("mb_per_s {:.3}", bytes as f64 / 1e6 / secs);
    println!("output_words {words}");
    Ok(())
}
