//! Extraction throughput and output of the extractor alone, without ingest or the store:
//! `cargo run --release -p crosscheck-extract --example throughput -- CORPUS.jsonl [--repeat N]
//! [--threads T] [--dump]`. CORPUS lines are `{"id", "text", "date"?, "title"?, "outlet"?}`.
//! With `--dump` every extraction is printed as one JSON line (input order) instead of the
//! timing, so that two builds can be compared byte for byte.

use crosscheck_extract::Extractor;
use crosscheck_model::{Document, SourceFormat};
use std::time::Instant;

fn field(v: &serde_json::Value, name: &str) -> Option<String> {
    v.get(name).and_then(|x| x.as_str()).map(str::to_string)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: throughput CORPUS.jsonl [--repeat N] [--threads T] [--dump]")?;
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let repeat: usize = option("--repeat").map_or(Ok(1), |s| s.parse())?;
    let threads: usize = option("--threads").map_or(Ok(1), |s| s.parse())?;
    let dump = args.iter().any(|a| a == "--dump");
    let mut docs = Vec::new();
    for line in std::fs::read_to_string(path)?.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        docs.push(Document {
            id: field(&v, "id").unwrap_or_default(),
            origin: path.clone(),
            format: SourceFormat::Jsonl,
            url: field(&v, "url"),
            outlet: field(&v, "outlet"),
            date: field(&v, "date"),
            title: field(&v, "title"),
            author: None,
            language: None,
            text: field(&v, "text").unwrap_or_default(),
            content_hash: String::new(),
            warnings: Vec::new(),
        });
    }
    let start = Instant::now();
    let extractor = Extractor::new()?;
    let startup = start.elapsed();
    if dump {
        for d in &docs {
            println!("{}", serde_json::to_string(&extractor.extract(d))?);
        }
        return Ok(());
    }
    let words: usize = docs.iter().map(|d| d.text.split_whitespace().count()).sum::<usize>() * repeat;
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum::<usize>() * repeat;
    let count = |d: &Document| {
        let e = extractor.extract(d);
        e.entities.len() + e.quantities.len() + e.dates.len() + e.attributions.len() + e.events.len()
    };
    let start = Instant::now();
    let items: usize = if threads <= 1 {
        (0..repeat).flat_map(|_| docs.iter()).map(count).sum()
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let total = docs.len() * repeat;
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut items = 0;
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            if i >= total {
                                break items;
                            }
                            items += count(&docs[i % docs.len()]);
                        }
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
        })
    };
    let secs = start.elapsed().as_secs_f64();
    println!(
        "start-up {:.1} ms; {} docs x{repeat}, {:.1} MB, {words} words, threads {threads}: {secs:.2} s, {:.2} MB/s, {:.0} words/s, {items} items",
        startup.as_secs_f64() * 1e3,
        docs.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs,
        words as f64 / secs
    );
    Ok(())
}
