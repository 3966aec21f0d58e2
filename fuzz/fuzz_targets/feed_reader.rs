//! Feeds: RSS / Atom / RDF through feed-rs, JSON Feed, and the item-to-document step. The
//! first byte picks the file name, so both the forced feed path (`.rss`) and the sniffed ones
//! (`.xml`, `.json`) are fuzzed.
#![no_main]

mod common;

use crosscheck_ingest::ReadOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, feed)) = data.split_first() else {
        return;
    };
    let name = match selector % 3 {
        0 => "feed.rss",
        1 => "feed.xml",
        _ => "feed.json",
    };
    common::read_as(name, feed, &ReadOptions::default());
});
