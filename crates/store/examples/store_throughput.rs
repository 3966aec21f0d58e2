//! Measures insert and read-back throughput of the store on generated documents:
//! `cargo run -p crosscheck-store --example store_throughput --release -- [DOCS] [BATCH]`.
//! Prints figures only; it asserts that everything written reads back.

use std::time::Instant;

use crosscheck_model::{Document, Entity, EntityType, Extraction, Mention, Quantity, SourceFormat, Span};
use crosscheck_store::Store;

fn make(i: usize) -> (Document, Extraction) {
    let text = format!("Article {i}. {}", "The council said the bridge would close for repairs. ".repeat(40));
    let doc = Document {
        id: format!("a{i:07}"),
        origin: format!("gen:{i}"),
        format: SourceFormat::Text,
        url: None,
        outlet: Some("Gen".into()),
        date: Some("2025-01-01".into()),
        title: Some(format!("Article {i}")),
        author: None,
        language: None,
        content_hash: format!("h{i}"),
        warnings: Vec::new(),
        text,
    };
    let mut x = Extraction::empty_for(&doc);
    x.entities = (0..20)
        .map(|e| Entity {
            name: format!("Entity {e}"),
            kind: EntityType::Organization,
            aliases: vec![format!("E{e}")],
            mentions: (0..3).map(|m| Mention { start: m * 10, end: m * 10 + 5, text: "x".into() }).collect(),
            rule: "gen".into(),
        })
        .collect();
    x.quantities = (0..10)
        .map(|q| Quantity {
            text: format!("{q}"),
            value: q as f64 * 1.5,
            unit: "items".into(),
            about: None,
            approximate: false,
            span: Span::new(q, q + 1),
            rule: "gen".into(),
        })
        .collect();
    (doc, x)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let docs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let batch: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    let tmp = tempfile::tempdir()?;
    let mut store = Store::open(tmp.path())?;
    let items: Vec<(Document, Extraction)> = (0..docs).map(make).collect();
    let started = Instant::now();
    for chunk in items.chunks(batch.max(1)) {
        store.insert_batch(chunk)?;
    }
    let insert = started.elapsed();
    let started = Instant::now();
    let back = store.extractions()?;
    let read = started.elapsed();
    assert_eq!(back.len(), docs);
    assert!(back.iter().zip(&items).all(|(a, (_, b))| a == b));
    println!(
        "{docs} docs (20 entities × 3 mentions, 10 quantities each), batch {batch}: insert {:.2} s ({:.0} docs/s), read all {:.2} s",
        insert.as_secs_f64(),
        docs as f64 / insert.as_secs_f64(),
        read.as_secs_f64()
    );
    Ok(())
}
