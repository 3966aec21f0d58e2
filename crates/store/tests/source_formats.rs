//! Every `SourceFormat` survives a store round trip under its own name (feed items, WARC
//! records and table rows included), so a reopened store knows where each document came from.

use crosscheck_model::{Document, Extraction, SourceFormat};
use crosscheck_store::Store;

fn document(n: usize, format: SourceFormat) -> Document {
    let text = format!("Story number {n} says the ferry returned on Monday.");
    Document {
        id: format!("doc-{n}"),
        origin: format!("/tmp/doc-{n}"),
        format,
        url: None,
        outlet: None,
        date: None,
        title: None,
        author: None,
        language: Some("en".into()),
        content_hash: format!("hash-{n}"),
        text,
        warnings: Vec::new(),
    }
}

#[test]
fn every_source_format_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let items: Vec<(Document, Extraction)> = SourceFormat::ALL
        .into_iter()
        .enumerate()
        .map(|(n, format)| {
            let doc = document(n, format);
            let extraction = Extraction::empty_for(&doc);
            (doc, extraction)
        })
        .collect();
    {
        let mut store = Store::open(dir.path()).expect("open");
        store.insert_batch(&items).expect("insert");
    }
    let store = Store::open_read_only(dir.path()).expect("reopen");
    for (doc, _) in &items {
        let read = store.document(&doc.id).expect("read").expect("stored");
        assert_eq!(read.format, doc.format, "{}", doc.id);
    }
    let formats: Vec<SourceFormat> = store.documents().expect("documents").iter().map(|d| d.format).collect();
    for format in [SourceFormat::Feed, SourceFormat::Warc, SourceFormat::Table] {
        assert!(formats.contains(&format), "{format:?} in {formats:?}");
    }
}
