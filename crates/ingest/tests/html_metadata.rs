//! Metadata read from HTML pages, one invented page per source of the publication date
//! (`tests/data/metadata/README.md` lists them with the trap each one sets): JSON-LD, the
//! `article:published_time` tag, a `<time>` inside the article, a date in the canonical URL,
//! a visible "Published" line, and none. Every page is read from its file with both boilerplate
//! removers, and every field is checked: title, author(s), outlet, canonical URL, language
//! and date.

use std::path::{Path, PathBuf};

use crosscheck_ingest::{read_file_with, HtmlExtractor, ReadItem, ReadOptions};
use crosscheck_model::{Document, SourceFormat};

/// What one page must yield, whichever extractor reads it.
struct Expected {
    title: &'static str,
    author: Option<&'static str>,
    outlet: Option<&'static str>,
    url: Option<&'static str>,
    language: &'static str,
    date: Option<&'static str>,
    /// A sentence of the article body that must be in the text.
    body: &'static str,
    /// Page chrome that must not be in the text.
    not_body: &'static str,
}

fn page(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/metadata").join(name)
}

fn read_page(name: &str, extractor: HtmlExtractor) -> Document {
    let options = ReadOptions { html: extractor, ..ReadOptions::default() };
    let mut items = Vec::new();
    read_file_with(&page(name), &options, &mut |item| items.push(item));
    match items.as_slice() {
        [ReadItem::Document(d)] => d.clone(),
        other => panic!("{name} ({extractor:?}): expected one document, got {other:?}"),
    }
}

fn check(name: &str, expected: &Expected) {
    for extractor in [HtmlExtractor::Fast, HtmlExtractor::Accurate] {
        let d = read_page(name, extractor);
        let what = format!("{name} ({extractor:?})");
        assert_eq!(d.format, SourceFormat::Html, "{what}");
        assert_eq!(d.title.as_deref(), Some(expected.title), "{what}: title");
        assert_eq!(d.author.as_deref(), expected.author, "{what}: author");
        assert_eq!(d.outlet.as_deref(), expected.outlet, "{what}: outlet");
        assert_eq!(d.url.as_deref(), expected.url, "{what}: url");
        assert_eq!(d.language.as_deref(), Some(expected.language), "{what}: language");
        assert_eq!(d.date.as_deref(), expected.date, "{what}: date");
        assert!(d.text.contains(expected.body), "{what}: body missing {:?} in {:?}", expected.body, d.text);
        assert!(!d.text.contains(expected.not_body), "{what}: chrome {:?} in {:?}", expected.not_body, d.text);
    }
}

#[test]
fn json_ld_date_published_wins_over_date_modified() {
    check(
        "json_ld.html",
        &Expected {
            title: "Ferry timetable cut as harbour dredging overruns",
            author: Some("Mara Quill, Tomas Reyes"),
            outlet: Some("Lakeside Courier"),
            url: Some("https://www.lakeside-courier.example/news/ferry-timetable-cut"),
            language: "en",
            date: Some("2024-03-05"),
            body: "The board blamed a broken excavator arm",
            not_body: "Most read",
        },
    );
}

#[test]
fn published_time_meta_wins_over_modified_and_updated_meta() {
    check(
        "meta_published.html",
        &Expected {
            title: "County opens overnight warming centres",
            author: Some("Priya Natarajan"),
            outlet: Some("The Hill Valley Ledger"),
            url: Some("https://hillvalleyledger.example/local/warming-centres"),
            language: "en",
            date: Some("2023-11-20"),
            body: "a shuttle bus will run between the libraries",
            not_body: "Privacy",
        },
    );
}

#[test]
fn time_element_in_the_article_wins_over_page_chrome_times() {
    check(
        "time_element.html",
        &Expected {
            title: "Night trains return to the coast line",
            author: Some("Elena Varga"),
            outlet: Some("Coastline Observer"),
            url: Some("https://coastline-observer.example/transport/night-trains-return"),
            // No `lang` attribute: detected from the text.
            language: "en",
            date: Some("2024-12-02"),
            body: "The operator has leased six refurbished carriages",
            not_body: "Page generated",
        },
    );
}

#[test]
fn date_in_the_canonical_url_is_read() {
    check(
        "url_pattern.html",
        &Expected {
            title: "El ayuntamiento aprueba el presupuesto escolar",
            author: Some("Lucía Ferrer"),
            // No declared site name: the host of the canonical URL stands in.
            outlet: Some("gaceta-del-rio.example"),
            url: Some("https://www.gaceta-del-rio.example/noticias/2024/03/05/presupuesto-escolar/"),
            // No `lang` attribute: detected from the Spanish text.
            language: "es",
            date: Some("2024-03-05"),
            body: "con catorce votos a favor",
            not_body: "derechos reservados",
        },
    );
}

#[test]
fn visible_published_line_wins_over_the_updated_line() {
    check(
        "visible_dateline.html",
        &Expected {
            title: "Reservoir levels fall to a ten-year low",
            author: Some("Jonah Whitfield, Ada Brennan"),
            // JSON-LD publisher of a WebPage (no Article object on the page).
            outlet: Some("Northgate Tribune"),
            url: None,
            language: "en",
            date: Some("2024-03-05"),
            body: "a ban on garden hoses would follow in April",
            not_body: "Advertise",
        },
    );
}

#[test]
fn page_without_a_date_gets_none() {
    check(
        "no_date.html",
        &Expected {
            title: "Volunteers rebuild the river path",
            author: Some("Sam Okafor"),
            outlet: Some("Millbrook Weekly"),
            url: Some("https://millbrook-weekly.example/community/river-path"),
            language: "en",
            // "the flood of June 2019" in the body is not a publication date.
            date: None,
            body: "badly damaged in the flood of June 2019",
            not_body: "Local news for Millbrook",
        },
    );
}
