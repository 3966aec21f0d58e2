//! Prints what ingest reads from the given paths: one line per document (id, format, metadata,
//! text length, warnings) or skip (origin, reason). A debugging aid; it prints no article text.
//!
//! `cargo run -p crosscheck-ingest --example inspect -- PATH...`

use std::path::PathBuf;

use crosscheck_ingest::{discover, read_file, ReadItem};

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let (files, skips) = discover(&paths);
    for s in skips {
        println!("SKIP {}: {}", s.origin, s.reason);
    }
    for file in files {
        read_file(&file, &mut |item| match item {
            ReadItem::Document(d) => println!(
                "DOC {} [{}] title={:?} date={:?} author={:?} outlet={:?} lang={:?} url={:?} chars={} warnings={:?}",
                d.id,
                d.format.as_str(),
                d.title,
                d.date,
                d.author,
                d.outlet,
                d.language,
                d.url,
                d.text.chars().count(),
                d.warnings
            ),
            ReadItem::Skipped(s) => println!("SKIP {}: {}", s.origin, s.reason),
        });
    }
}
