//! Property tests: the feed, WARC, table and HTML readers never panic on damaged bytes, and
//! the WARC reader keeps the records that were not damaged: random bytes, and valid inputs with
//! bytes cut or spliced in. They run with every `cargo test`; the coverage-guided fuzz targets
//! for the same readers (libFuzzer, nightly flags) are in `fuzz/` at the repository root.

use crosscheck_ingest::{read_file, ReadItem};
use proptest::prelude::*;
use std::path::Path;

fn read_bytes(dir: &Path, name: &str, bytes: &[u8]) -> Vec<ReadItem> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    let mut items = Vec::new();
    read_file(&path, &mut |item| items.push(item));
    items
}

fn record(uri: &str, sentence: &str) -> Vec<u8> {
    let body = format!("<html><body><article><p>{sentence} The council met on Monday evening to discuss the plan at length, officials said.</p></article></body></html>");
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    )
    .into_bytes()
}

const RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>A</title><description>The road was closed on Friday.</description></item></channel></rss>";
const CSV: &str = "id,text\n1,\"The road was closed on Friday, officials said.\"\n2,The bridge reopened.\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_in_any_reader(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["x.warc", "x.warc.gz", "x.rss", "x.xml", "x.json", "x.csv", "x.html", "x.txt", "x.jsonl"] {
            let _ = read_bytes(dir.path(), name, &bytes);
        }
    }

    #[test]
    fn damaged_valid_inputs_never_panic(at in 0usize..4096, junk in prop::collection::vec(any::<u8>(), 0..64), cut in any::<bool>()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut warc = record("https://a.example/1", "First.");
        warc.extend(record("https://a.example/2", "Second."));
        for (name, valid) in [("d.warc", warc), ("d.rss", RSS.as_bytes().to_vec()), ("d.csv", CSV.as_bytes().to_vec())] {
            let mut bytes = valid;
            let at = at % (bytes.len() + 1);
            if cut {
                bytes.truncate(at);
            }
            bytes.splice(at..at, junk.iter().copied());
            let _ = read_bytes(dir.path(), name, &bytes);
        }
    }

    #[test]
    fn junk_between_warc_records_costs_no_record(junk in prop::collection::vec(any::<u8>(), 1..64)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bytes = record("https://a.example/1", "First.");
        bytes.extend(record("https://a.example/2", "Second."));
        bytes.extend(&junk);
        bytes.extend(b"\r\n");
        bytes.extend(record("https://a.example/3", "Third."));
        bytes.extend(record("https://a.example/4", "Fourth."));
        let urls = read_bytes(dir.path(), "j.warc", &bytes)
            .into_iter()
            .filter_map(|i| if let ReadItem::Document(d) = i { d.url } else { None })
            .collect::<Vec<_>>();
        for n in 1..=4 {
            prop_assert!(urls.contains(&format!("https://a.example/{n}")), "{urls:?}");
        }
    }
}
