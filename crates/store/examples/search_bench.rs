//! Measures full-text search of the store (SQLite FTS5) on generated articles:
//! `cargo run -p crosscheck-store --example search_bench --release -- [DOCS] [WORDS_PER_DOC]`.
//! The same generator (seeded LCG, Zipf-like vocabulary) is used by the tantivy comparison
//! recorded in `crates/serve/README.md`. Prints figures only.

use std::time::Instant;

use crosscheck_model::{Document, Extraction, SourceFormat};
use crosscheck_store::{SearchQuery, Store};

/// Deterministic word salad: a vocabulary of pseudo-words with a Zipf-like frequency, plus a
/// handful of real words so phrase queries have something to find.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn word(&mut self) -> String {
        const REAL: &[&str] = &["council", "bridge", "flood", "minister", "said", "harbour", "budget", "vote"];
        let r = self.next() % 1000;
        if r < 40 {
            return REAL[(r % REAL.len() as u64) as usize].to_string();
        }
        // Rank ~ 1/u: small ranks are common.
        let u = (self.next() % 10_000 + 1) as f64;
        let rank = (20_000.0 / u) as u64;
        let mut w = String::new();
        let mut n = rank + 7;
        for _ in 0..(3 + rank % 6) {
            w.push((b'a' + (n % 26) as u8) as char);
            n = n / 3 + 11;
        }
        w
    }
}

pub fn generate(docs: usize, words: usize) -> Vec<(String, String, String)> {
    let mut g = Gen(42);
    (0..docs)
        .map(|i| {
            let title: Vec<String> = (0..8).map(|_| g.word()).collect();
            let mut text = String::with_capacity(words * 8);
            for w in 0..words {
                text.push_str(&g.word());
                text.push(if w % 17 == 16 { '.' } else { ' ' });
            }
            (format!("d{i:06}"), title.join(" "), text)
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let docs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let words: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(400);
    let corpus = generate(docs, words);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("open");
    let outlets = ["Harbour Gazette", "Valley Post", "Wire", "Ledger"];
    let items: Vec<(Document, Extraction)> = corpus
        .iter()
        .enumerate()
        .map(|(i, (id, title, text))| {
            let d = Document {
                id: id.clone(),
                origin: id.clone(),
                format: SourceFormat::Text,
                url: None,
                outlet: Some(outlets[i % outlets.len()].into()),
                date: Some(format!("2025-{:02}-{:02}", i % 12 + 1, i % 28 + 1)),
                title: Some(title.clone()),
                author: None,
                language: None,
                text: text.clone(),
                content_hash: format!("h{i}"),
                warnings: Vec::new(),
            };
            let x = Extraction::empty_for(&d);
            (d, x)
        })
        .collect();
    let t = Instant::now();
    for chunk in items.chunks(500) {
        store.insert_batch(chunk).expect("insert");
    }
    let insert = t.elapsed();
    let mb = corpus.iter().map(|(_, _, t)| t.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "{docs} docs, {mb:.1} MB text: stored and indexed in {:.2} s ({:.1} MB/s)",
        insert.as_secs_f64(),
        mb / insert.as_secs_f64()
    );
    let queries: &[(&str, Option<&str>)] = &[
        ("council", None),
        ("\"council said\"", None),
        ("flood bridge", None),
        ("bud*", None),
        ("council OR harbour -vote", None),
        ("minister", Some("Valley Post")),
    ];
    for (q, outlet) in queries {
        let query = SearchQuery {
            query: q.to_string(),
            outlet: outlet.map(str::to_string),
            limit: 20,
            ..SearchQuery::default()
        };
        let runs = 30;
        let t = Instant::now();
        let mut total = 0;
        for _ in 0..runs {
            total = store.search(&query).expect("search").total;
        }
        let per = t.elapsed().as_secs_f64() * 1000.0 / runs as f64;
        println!("{q:<28} outlet={outlet:<14?} {total:>6} matches  {per:>7.2} ms/query (page of 20 + total + facets)");
    }
}
