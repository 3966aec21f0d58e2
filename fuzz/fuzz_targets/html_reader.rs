//! HTML pages: the file reader (binary sniffing, `<meta charset>` / BOM decoding) and then
//! both boilerplate removers with the page metadata readers. The first byte picks the
//! extractor so both are fuzzed from one corpus.
#![no_main]

mod common;

use crosscheck_ingest::{HtmlExtractor, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, page)) = data.split_first() else {
        return;
    };
    let html = if selector & 1 == 0 { HtmlExtractor::Fast } else { HtmlExtractor::Accurate };
    let options = ReadOptions { html, ..ReadOptions::default() };
    common::read_as("page.html", page, &options);
    // The in-memory entry point, on the text as given, with a dated URL for the URL-date reader.
    if let Ok(text) = std::str::from_utf8(page) {
        let _ = crosscheck_ingest::html_to_article_with(text, Some("https://fuzz.example/2024/03/05/page"), html);
    }
});
