//! WARC archives: record framing and resynchronisation after damage, HTTP response parsing,
//! chunked and compressed bodies, gzip members (`.warc.gz` when the input starts with the gzip
//! magic), and the HTML reading of each response record.
#![no_main]

mod common;

use crosscheck_ingest::ReadOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let name = if data.starts_with(&[0x1f, 0x8b]) { "archive.warc.gz" } else { "archive.warc" };
    common::read_as(name, data, &ReadOptions::default());
});
