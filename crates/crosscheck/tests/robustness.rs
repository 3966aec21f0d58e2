//! No input may panic the readers or the extractors, and every span they return must point at
//! its surface text. Property tests over generated news-like and hostile text; raise
//! `PROPTEST_CASES` to fuzz longer (CI runs the default count).

use crosscheck_extract::Extractor;
use crosscheck_ingest::{document_from_html, document_from_text, Metadata};
use crosscheck_model::{Extraction, SourceFormat};
use proptest::prelude::*;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new().expect("bundled resources load"))
}

fn slice(text: &str, start: usize, end: usize) -> Option<String> {
    if start > end || end > text.chars().count() {
        return None;
    }
    Some(text.chars().skip(start).take(end - start).collect())
}

fn check_spans(e: &Extraction) -> Result<(), TestCaseError> {
    let t = &e.text;
    for ent in &e.entities {
        for m in &ent.mentions {
            prop_assert_eq!(slice(t, m.start, m.end), Some(m.text.clone()), "mention of {}", ent.name);
        }
    }
    for q in &e.quantities {
        prop_assert_eq!(slice(t, q.span.start, q.span.end), Some(q.text.clone()));
    }
    for d in &e.dates {
        prop_assert_eq!(slice(t, d.span.start, d.span.end), Some(d.text.clone()));
    }
    let n = t.chars().count();
    for a in &e.attributions {
        prop_assert!(a.span.start <= a.span.end && a.span.end <= n);
    }
    for v in &e.events {
        prop_assert!(v.span.start <= v.span.end && v.span.end <= n);
    }
    Ok(())
}

/// Pieces of news prose that exercise every extractor, to be shuffled with noise.
const PIECES: &[&str] = &[
    "Gen. Maria Ortiz said on Tuesday that 7,000 troops",
    " would withdraw from Aleppo",
    "“We will not leave,” the minister told reporters. ",
    "According to Reuters, $1.5 billion ",
    "between 40 and 60 people were killed on Sept. 30",
    " last month. ",
    "The United Nations (UN) ",
    "Dec, 11th 2024 ",
    "four-and-a-half years",
    "“unterminated quote ",
    "€300m—",
    "ﬁ",
    "\u{200B}",
    "\r\n\r\n",
    "..",
    "¿Qué? 東京 ",
    "Mr.",
    "(",
    "’s ",
    "3.",
    "%",
];

fn newsish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![prop::sample::select(PIECES).prop_map(str::to_string), any::<String>()], 0..24)
        .prop_map(|parts| parts.concat())
}

proptest! {
    // CI runs 96 cases; `PROPTEST_CASES=20000` fuzzes for minutes.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
    ))]

    #[test]
    fn text_documents_never_panic_and_spans_hold(text in newsish()) {
        let doc = document_from_text("p".into(), "prop".into(), SourceFormat::Text, &text, Metadata::default());
        let e = extractor().extract(&doc);
        check_spans(&e)?;
    }

    #[test]
    fn html_documents_never_panic_and_spans_hold(body in newsish(), tags in prop::collection::vec(prop::sample::select(&["<p>", "</p>", "<div>", "<script>", "</b>", "<!--", "<a href='x'>", "&amp;", "<meta property='article:published_time' content='2024-13-45'>"][..]), 0..12)) {
        let html = format!("<html><head><title>t</title></head><body>{}{}</body></html>", tags.concat(), body);
        if let Ok(doc) = document_from_html("h".into(), "prop".into(), &html, Metadata::default()) {
            let e = extractor().extract(&doc);
            check_spans(&e)?;
        }
    }
}

#[test]
fn deeply_nested_html_is_read_without_overflowing_the_stack() {
    let depth = 100_000;
    let html = format!("{}<p>Deep text about 12 ministers.</p>{}", "<div>".repeat(depth), "</div>".repeat(depth));
    // Either a document or a clear error; the point is that the process survives.
    let result = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            document_from_html("deep".into(), "test".into(), &html, Metadata::default()).map(|d| d.text.len())
        })
        .expect("spawn")
        .join();
    assert!(result.is_ok(), "reading deeply nested HTML panicked or overflowed");
}
