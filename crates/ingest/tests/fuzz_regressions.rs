//! Inputs that crashed a fuzz target (`fuzz/` at the repository root), replayed the way the
//! target reads them: each file in `tests/data/fuzz/` is named after its target, and its first
//! byte is the target's selector (which file name or extractor it used). Every one must be
//! read without a panic, every problem reported with a reason.

use std::path::Path;

use crosscheck_ingest::{read_file_with, HtmlExtractor, ReadItem, ReadOptions};

/// Reads `bytes` as the file `name`, as the fuzz targets do.
fn read_as(dir: &Path, name: &str, bytes: &[u8], options: &ReadOptions) -> Vec<ReadItem> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write input");
    let mut items = Vec::new();
    read_file_with(&path, options, &mut |item| items.push(item));
    items
}

/// The fuzz target's reading of one crash input.
fn replay(target: &str, data: &[u8], dir: &Path) -> Vec<ReadItem> {
    match target {
        "feed_reader" => {
            let Some((&selector, feed)) = data.split_first() else { return Vec::new() };
            let name = ["feed.rss", "feed.xml", "feed.json"][usize::from(selector % 3)];
            read_as(dir, name, feed, &ReadOptions::default())
        }
        "html_reader" => {
            let Some((&selector, page)) = data.split_first() else { return Vec::new() };
            let html = if selector & 1 == 0 { HtmlExtractor::Fast } else { HtmlExtractor::Accurate };
            read_as(dir, "page.html", page, &ReadOptions { html, ..ReadOptions::default() })
        }
        "warc_reader" => {
            let name = if data.starts_with(&[0x1f, 0x8b]) { "archive.warc.gz" } else { "archive.warc" };
            read_as(dir, name, data, &ReadOptions::default())
        }
        other => panic!("no fuzz target {other}"),
    }
}

#[test]
fn every_saved_crash_input_is_read_without_a_panic() {
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&inputs).expect("tests/data/fuzz") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let Some((target, _)) = name.split_once('-') else { continue };
        let data = std::fs::read(&path).expect("read crash input");
        for item in replay(target, &data, dir.path()) {
            match item {
                ReadItem::Skipped(s) => assert!(!s.reason.is_empty(), "{name}: a skip without a reason"),
                ReadItem::Document(d) => assert!(!d.text.trim().is_empty(), "{name}: an empty document"),
            }
        }
        replayed += 1;
    }
    assert!(replayed >= 1, "no crash inputs found in {}", inputs.display());
}

#[test]
fn feed_with_a_second_xml_declaration_is_skipped_not_a_panic() {
    // quick-xml (under feed-rs) panics when a later XML declaration changes the encoding.
    let feed = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\0<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>T</title><item><title>A</title><description>The road was closed.</description></item></channel></rss>";
    let dir = tempfile::tempdir().expect("tempdir");
    let items = read_as(dir.path(), "feed.rss", feed.as_bytes(), &ReadOptions::default());
    match items.as_slice() {
        [ReadItem::Skipped(s)] => assert!(s.reason.starts_with("invalid feed"), "{}", s.reason),
        other => panic!("expected one skip, got {other:?}"),
    }
}
