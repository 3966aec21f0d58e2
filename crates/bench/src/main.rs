//! `crosscheck-bench`: throughput measurements that are repeatable by anyone.
//!
//! - `corpus --mb N --out FILE`: writes a JSONL corpus of about N MB by repeating the bundled
//!   examples (and the development seeds when `../shared` is present), each copy with a unique
//!   id and a one-line variation so that content hashes differ. Feed it to `crosscheck extract`
//!   under `hyperfine` or `/usr/bin/time -v` to time the whole command.
//! - `extract --mb N [--threads T]`: builds the same corpus in memory and measures extraction
//!   alone (MB/s, documents/s, peak RSS), checking the result is not empty so that a fast but
//!   broken extractor cannot pass as an improvement.
//! - `html --pages N --out DIR`: writes N synthetic news pages (navigation, sidebar, footer,
//!   JSON-LD date, an `<article>` of 300-800 words) built from shuffled sentences of the
//!   bundled example articles, every page different, to time `crosscheck ingest --profile`.
//!
//! Figures go to `bench/RESULTS.md` with the command that produced them.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use crosscheck_extract::Extractor;
use crosscheck_ingest::{discover, read_file, ReadItem};
use crosscheck_model::Document;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser)]
#[command(about = "Benchmarks for crosscheck")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
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
        Cmd::Corpus { mb, out } => write_corpus(mb, &out),
        Cmd::Extract { mb, threads } => bench_extract(mb, threads),
        Cmd::Html { pages, out } => write_html_pages(pages, &out),
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The base documents: the bundled examples, plus the seeds when `../shared` is present.
fn base_documents() -> Result<Vec<Document>> {
    let mut paths = vec![repo_root().join("examples/articles")];
    let seeds = repo_root().join("../shared/corpus/seeds.jsonl");
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
        bail!("no base documents found under {}", repo_root().display());
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

fn write_corpus(mb: usize, out: &Path) -> Result<()> {
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

fn bench_extract(mb: usize, threads: usize) -> Result<()> {
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
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A small deterministic generator (SplitMix64): the same pages on every run, no dependency.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..high` (`high > low`).
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low) as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.range(0, i + 1);
            items.swap(i, j);
        }
    }
}

/// Body sentences of the bundled plain-text examples (their first three lines are title,
/// date line and byline, which would repeat too often to read as article text).
fn example_sentences() -> Result<Vec<String>> {
    let dir = repo_root().join("examples/articles");
    let mut sentences = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        for paragraph in text.lines().skip(3).filter(|l| l.split_whitespace().count() >= 6) {
            sentences.extend(split_sentences(paragraph));
        }
    }
    if sentences.len() < 20 {
        bail!("too few example sentences under {}", dir.display());
    }
    Ok(sentences)
}

/// Splits at `. `, `? ` and `! ` followed by a capital letter or a quote: good enough for
/// the examples, which are ordinary news prose.
fn split_sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = paragraph.as_bytes();
    for (i, window) in bytes.windows(3).enumerate() {
        let ends = matches!(window[0], b'.' | b'?' | b'!') && window[1] == b' ';
        let next_starts = window[2].is_ascii_uppercase() || window[2] == b'"';
        if ends && next_starts {
            out.push(paragraph[start..=i].trim().to_string());
            start = i + 2;
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const SECTIONS: [&str; 8] = ["World", "Politics", "Business", "Climate", "Science", "Transport", "Local", "Opinion"];
const OUTLETS: [&str; 5] = ["The Morning Ledger", "Valley Courier", "Harbour Times", "Northern Post", "Daily Beacon"];
const AUTHORS: [&str; 6] = ["Ana Ruiz", "Tom Becker", "Leila Haddad", "Sam Okafor", "Mira Kowal", "Jon Price"];

/// One synthetic page: realistic chrome around an article of 300-800 words.
fn html_page(index: usize, sentences: &[String], rng: &mut SplitMix64) -> String {
    let outlet = OUTLETS[index % OUTLETS.len()];
    let author = AUTHORS[rng.range(0, AUTHORS.len())];
    let section = SECTIONS[rng.range(0, SECTIONS.len())];
    let (month, day) = (rng.range(1, 13), rng.range(1, 29));
    let date = format!("2026-{month:02}-{day:02}");
    let target_words = rng.range(300, 801);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    rng.shuffle(&mut order);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut words = 0;
    let mut paragraph_length = rng.range(2, 5);
    for &i in order.iter().cycle() {
        if words >= target_words {
            break;
        }
        current.push(&sentences[i]);
        words += sentences[i].split_whitespace().count();
        if current.len() >= paragraph_length {
            paragraphs.push(escape_html(&current.join(" ")));
            current.clear();
            paragraph_length = rng.range(2, 5);
        }
    }
    if !current.is_empty() {
        paragraphs.push(escape_html(&current.join(" ")));
    }
    let title_words: Vec<&str> = sentences[order[0]].split_whitespace().take(rng.range(7, 12)).collect();
    let title = escape_html(title_words.join(" ").trim_end_matches([',', '.', ';']));
    let slug: String = title_words.iter().take(5).map(|w| w.to_lowercase()).collect::<Vec<_>>().join("-");
    let slug: String = slug.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let url = format!("https://news.example.com/{}/{date}/{slug}-{index}", section.to_lowercase());
    let nav: String = SECTIONS.iter().map(|s| format!("<li><a href=\"/{}\">{s}</a></li>", s.to_lowercase())).collect();
    let most_read: String = (0..5)
        .map(|k| {
            let s = &sentences[order[(k + 1) * 7 % order.len()]];
            let headline: Vec<&str> = s.split_whitespace().take(8).collect();
            format!("<li><a href=\"/story/{index}-{k}\">{}</a></li>", escape_html(&headline.join(" ")))
        })
        .collect();
    let body: String = paragraphs.iter().map(|p| format!("    <p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | {outlet}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="{outlet}">
  <meta property="article:published_time" content="{date}T{hour:02}:15:00Z">
  <link rel="canonical" href="{url}">
  <link rel="stylesheet" href="/static/site.css">
  <script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{title}","datePublished":"{date}T{hour:02}:15:00Z","dateModified":"2026-12-01T08:00:00Z","author":{{"@type":"Person","name":"{author}"}},"publisher":{{"@type":"Organization","name":"{outlet}"}}}}</script>
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "{index}"}});</script>
</head>
<body>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
  <header class="site-header">
    <a class="logo" href="/">{outlet}</a>
    <nav><ul>{nav}</ul></nav>
    <form class="search" action="/search"><input name="q" placeholder="Search"></form>
  </header>
  <main>
  <article>
    <h1>{title}</h1>
    <p class="byline">By <a rel="author" href="/authors/{index}">{author}</a> · <time datetime="{date}">{date}</time></p>
{body}    <p class="tags">Filed under <a href="/{section_lower}">{section}</a></p>
  </article>
  <aside class="sidebar">
    <h2>Most read</h2>
    <ol>{most_read}</ol>
    <div class="newsletter">Get the morning briefing in your inbox. <a href="/newsletter">Sign up</a></div>
  </aside>
  </main>
  <footer>
    <ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>
    <p>© 2026 {outlet}. All rights reserved.</p>
  </footer>
</body>
</html>
"#,
        hour = rng.range(5, 22),
        section_lower = section.to_lowercase(),
    )
}

fn write_html_pages(pages: usize, out: &Path) -> Result<()> {
    let sentences = example_sentences()?;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut rng = SplitMix64(0x00C0_FFEE);
    let mut bytes = 0usize;
    for index in 0..pages {
        let page = html_page(index, &sentences, &mut rng);
        bytes += page.len();
        let path = out.join(format!("page-{index:05}.html"));
        std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!("wrote {pages} pages, {:.1} MB of HTML, to {}", bytes as f64 / 1e6, out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_before_capitals() {
        let parts = split_sentences("The mayor spoke on Monday. Rain fell again. It was 3.5 mm.");
        assert_eq!(parts, vec!["The mayor spoke on Monday.", "Rain fell again.", "It was 3.5 mm."]);
    }

    #[test]
    fn pages_differ_and_carry_the_chrome() {
        let sentences: Vec<String> = (0..40).map(|i| format!("Sentence number {i} says something <new>.")).collect();
        let mut rng = SplitMix64(7);
        let first = html_page(0, &sentences, &mut rng);
        let second = html_page(1, &sentences, &mut rng);
        assert_ne!(first, second);
        for needle in ["<article>", "<nav>", "<aside", "<footer>", "datePublished", "&lt;new&gt;"] {
            assert!(first.contains(needle), "missing {needle}");
        }
        let article = &first[first.find("<article>").unwrap_or(0)..first.find("</article>").unwrap_or(0)];
        let words = article.split_whitespace().count();
        assert!((300..900).contains(&words), "{words} words");
    }
}
