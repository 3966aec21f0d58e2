//! Ingest: input files to [`Document`]s, the first stage of the pipeline.
//!
//! It owns finding input files ([`discover`]), reading them defensively ([`read_file`]: text,
//! markdown, HTML, JSONL, RSS / Atom / JSON Feed, WARC, CSV / TSV, JSON arrays, and http(s)
//! URLs with the default `fetch` feature; bad input
//! becomes a [`Skipped`] or a document warning, never a panic), decoding legacy charsets,
//! detecting each document's language ([`detect_language`]),
//! turning HTML into article text with the boilerplate remover chosen by measurement
//! ([`html_to_article`]), reading the metadata an article carries (page tags, or title /
//! dateline / byline / source lines in plain text), and the content hash used to spot exact
//! duplicates. It must not analyse the article beyond that (no entities, no dates inside the
//! body: that is `extract`), must not store anything, and never rewrites the text it returns
//! later: every span of later stages points into `Document::text`.

mod boilerplate;
mod dates;
mod encoding;
mod feed;
#[cfg(feature = "fetch")]
mod fetch;
mod html;
pub mod htmlbench;
mod lang;
mod read;
mod table;
mod textmeta;
mod warc;

use crosscheck_model::{Document, Skipped, SourceFormat};

pub use boilerplate::{is_furniture_line, strip_furniture};
pub use dates::normalize_date;
#[cfg(feature = "fetch")]
pub use fetch::TIMEOUT_ENV as FETCH_TIMEOUT_ENV;
pub use html::{
    flat_text, html_to_article, html_to_article_with, nesting_depth, HtmlArticle, HtmlExtractor, MAX_NESTING_DEPTH,
};
pub use lang::{detect_language, is_non_english};
pub use read::{discover, read_file, read_file_with, split_file, JsonlLine, ReadOptions, ReadTask, MAX_FILE_BYTES};
pub use table::TableOptions;
pub use textmeta::{detect as detect_text_metadata, TextMetadata};

/// One result of reading a file: a document, or why something was not read.
// Unboxed by the agreed API; one item is moved per input, so the size costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ReadItem {
    Document(Document),
    Skipped(Skipped),
}

/// Metadata known from outside the article (JSONL fields, a feed, the caller). Given values
/// win over what is detected in the article itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub url: Option<String>,
    pub outlet: Option<String>,
    /// Any absolute date format [`normalize_date`] reads; stored as ISO.
    pub date: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
}

/// Why an input could not become a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("no article text found in HTML")]
    NoArticleText,
    #[error("no article text found in HTML ({reason})")]
    ExtractionFailed { reason: String },
}

fn given(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// A given date as ISO, or a warning saying why it was dropped.
fn given_date(value: Option<String>, warnings: &mut Vec<String>) -> Option<String> {
    let value = given(value)?;
    let iso = normalize_date(&value);
    if iso.is_none() {
        warnings.push(format!("given date {value:?} not understood; ignored"));
    }
    iso
}

/// Builds a document from raw article text (`.txt`, `.md`, JSONL `text`): detects the title,
/// dateline, byline / author bio and source line in the text for whatever `meta` leaves
/// empty, and hashes the content. `text` is kept exactly as given.
pub fn document_from_text(id: String, origin: String, format: SourceFormat, text: &str, meta: Metadata) -> Document {
    let mut warnings = Vec::new();
    let (outlet, title, author) = (given(meta.outlet), given(meta.title), given(meta.author));
    let date = given_date(meta.date, &mut warnings);
    // A detected field is only used where nothing usable was given: the text is not read for
    // the others (JSONL with full metadata needs no detection at all).
    let wanted = textmeta::Wanted {
        title: title.is_none(),
        date: date.is_none(),
        author: author.is_none(),
        outlet: outlet.is_none(),
    };
    let detected = textmeta::detect_wanted(text, wanted);
    Document {
        id,
        origin,
        format,
        url: given(meta.url),
        outlet: outlet.or(detected.outlet),
        date: date.or(detected.date),
        title: title.or(detected.title),
        author: author.or(detected.author),
        language: detect_language(text, None),
        text: text.to_string(),
        content_hash: content_hash(text),
        warnings,
    }
}

/// Builds a document from an HTML page: article text from the default boilerplate remover,
/// metadata from the page (then from the extracted text), `meta` winning over both.
pub fn document_from_html(id: String, origin: String, html: &str, meta: Metadata) -> Result<Document, IngestError> {
    document_from_html_with(id, origin, html, meta, HtmlExtractor::default())
}

/// As [`document_from_html`], with the given boilerplate remover.
pub fn document_from_html_with(
    id: String,
    origin: String,
    html: &str,
    meta: Metadata,
    extractor: HtmlExtractor,
) -> Result<Document, IngestError> {
    let html::HtmlReading { article, warning, detected } =
        html::read_html(html, given(meta.url.clone()).as_deref(), extractor);
    if article.text.trim().is_empty() {
        return Err(match warning {
            Some(reason) => IngestError::ExtractionFailed { reason },
            None => IngestError::NoArticleText,
        });
    }
    // The body text may still carry a byline or source line the page tags did not declare
    // (its dateline is already in `article.date`); its first line is not a title here (the
    // page declares one).
    let mut warnings: Vec<String> = warning.into_iter().collect();
    let date = given_date(meta.date, &mut warnings).or(article.date).or(detected.date);
    Ok(Document {
        id,
        origin,
        format: SourceFormat::Html,
        url: given(meta.url).or(article.url),
        outlet: given(meta.outlet).or(article.site_name).or(detected.outlet),
        date,
        title: given(meta.title).or(article.title),
        author: given(meta.author).or(article.author).or(detected.author),
        language: detect_language(&article.text, article.language.as_deref()),
        content_hash: content_hash(&article.text),
        text: article.text,
        warnings,
    })
}

/// Hex BLAKE3 of the text with whitespace runs collapsed to one space and the ends trimmed,
/// so that re-wrapped copies of the same article hash equal.
pub fn content_hash(text: &str) -> String {
    // The words joined by single spaces, hashed in one call: blake3 is slow on word-sized
    // updates and fast on one long input.
    let mut joined: Vec<u8> = Vec::with_capacity(text.len());
    if !join_plain_lines(text.as_bytes(), &mut joined) {
        joined.clear();
        join_words(text, &mut joined);
    }
    blake3::hash(&joined).to_hex().to_string()
}

/// The words of `text` joined by single spaces, word by word (any text).
fn join_words(text: &str, joined: &mut Vec<u8>) {
    let mut push = |word: &[u8]| {
        if !joined.is_empty() {
            joined.push(b' ');
        }
        joined.extend_from_slice(word);
    };
    if text.is_ascii() {
        // `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed, carriage
        // return and space.
        let is_space = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
        text.as_bytes().split(is_space).filter(|w| !w.is_empty()).for_each(&mut push);
    } else {
        text.split_whitespace().for_each(|w| push(w.as_bytes()));
    }
}

/// [`join_words`] for the usual shape of article text — no whitespace but space, tab, line
/// feed and carriage return, never two spaces in a row — a line at a time: a line's words are
/// already joined by single spaces, so each line (ends trimmed of one space) is copied whole.
/// Returns false, having written nothing useful, when the text has another shape.
fn join_plain_lines(text: &[u8], joined: &mut Vec<u8>) -> bool {
    if memchr::memchr2(0x0b, 0x0c, text).is_some() || memchr::memmem::find(text, b"  ").is_some() {
        return false;
    }
    // Non-ASCII whitespace (U+0085, U+00A0, U+1680, U+2000..U+205F, U+3000) starts with one
    // of these lead bytes; other chars with them (quotes, dashes) are fine.
    let Ok(as_str) = std::str::from_utf8(text) else { return false };
    let unicode_space =
        |at: usize| as_str.get(at..).and_then(|rest| rest.chars().next()).is_some_and(char::is_whitespace);
    if memchr::memchr3_iter(0xC2, 0xE1, 0xE2, text).chain(memchr::memchr_iter(0xE3, text)).any(unicode_space) {
        return false;
    }
    let mut push_line = |line: &[u8]| {
        let line = line.strip_prefix(b" ").unwrap_or(line);
        let line = line.strip_suffix(b" ").unwrap_or(line);
        if line.is_empty() {
            return;
        }
        if !joined.is_empty() {
            joined.push(b' ');
        }
        joined.extend_from_slice(line);
    };
    let mut start = 0;
    for end in memchr::memchr3_iter(b'\n', b'\r', b'\t', text) {
        push_line(&text[start..end]);
        start = end + 1;
    }
    push_line(&text[start..]);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_joins_words_with_single_spaces_in_ascii_and_unicode_text() {
        for text in ["\u{b}a\tb\x0c c\r\n", "\u{b}a\u{a0}b\u{2003} c\u{85}", " a b c "] {
            assert_eq!(content_hash(text), blake3::hash(b"a b c").to_hex().to_string(), "{text:?}");
        }
        assert_eq!(content_hash(" \n "), blake3::hash(b"").to_hex().to_string());
    }

    #[test]
    fn plain_ascii_join_equals_the_word_by_word_join() {
        let texts = [
            "",
            " ",
            "a",
            " a ",
            "a b\n\nc d\n",
            "\n\n a b \n c\t d \r\n",
            "a\tb",
            " \n \t ",
            "ends with space ",
            "\nlead",
            "a  b",
            "a\u{b}b",
            "caf\u{e9} au lait",
            "\u{201c}Quoted,\u{201d} she said \u{2014} twice\n\n\u{e9}t\u{e9}",
            "no\u{a0}break",
            "em\u{2003}space",
            "ideographic\u{3000}space",
            "next\u{85}line",
            "ogham\u{1680}x",
        ];
        for text in texts {
            let mut words = Vec::new();
            join_words(text, &mut words);
            let mut lines = Vec::new();
            if join_plain_lines(text.as_bytes(), &mut lines) {
                assert_eq!(lines, words, "{text:?}");
            } else {
                let odd_space = text.chars().any(|c| !c.is_ascii() && c.is_whitespace());
                assert!(text.contains("  ") || text.contains('\u{b}') || odd_space, "{text:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn content_hash_is_the_hash_of_the_words_joined(text in "[ab \\t\\n\\r\u{b}\u{c}\u{a0}\u{85}\u{2003}\u{3000}\u{201c}\u{2014}é]{0,40}") {
            let mut words = Vec::new();
            join_words(&text, &mut words);
            proptest::prop_assert_eq!(content_hash(&text), blake3::hash(&words).to_hex().to_string());
        }
    }

    #[test]
    fn content_hash_ignores_whitespace_layout_only() {
        let a = content_hash("The  council\nvoted.\n");
        assert_eq!(a, content_hash("  The council voted."));
        assert_ne!(a, content_hash("The council voted"));
        assert_eq!(a, blake3::hash(b"The council voted.").to_hex().to_string());
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn given_metadata_wins_over_detected() {
        let text = "Detected title\n\nFebruary 6, 2025\n\nBy Jane Doe\n\nBody text here.\n\nSource: Detected Outlet";
        let meta = Metadata {
            url: Some("https://news.example/x".into()),
            outlet: Some("Given Outlet".into()),
            date: Some("2025-02-07T09:00:00Z".into()),
            title: Some("Given title".into()),
            author: Some(" ".into()),
        };
        let d = document_from_text("x".into(), "mem".into(), SourceFormat::Text, text, meta);
        assert_eq!(d.outlet.as_deref(), Some("Given Outlet"));
        assert_eq!(d.date.as_deref(), Some("2025-02-07"));
        assert_eq!(d.title.as_deref(), Some("Given title"));
        // A blank given value does not hide the detected one.
        assert_eq!(d.author.as_deref(), Some("Jane Doe"));
        assert_eq!(d.text, text);
        assert_eq!(d.content_hash, content_hash(text));

        let d = document_from_text("y".into(), "mem".into(), SourceFormat::Text, text, Metadata::default());
        assert_eq!(d.title.as_deref(), Some("Detected title"));
        assert_eq!(d.date.as_deref(), Some("2025-02-06"));
        assert_eq!(d.outlet.as_deref(), Some("Detected Outlet"));
    }

    #[test]
    fn unreadable_given_date_falls_back_with_a_warning() {
        let meta = Metadata { date: Some("sometime soon".into()), ..Metadata::default() };
        let d = document_from_text("z".into(), "mem".into(), SourceFormat::Text, "2024-01-02\nBody.", meta);
        assert_eq!(d.date.as_deref(), Some("2024-01-02"));
        assert_eq!(d.warnings, vec!["given date \"sometime soon\" not understood; ignored".to_string()]);
    }

    #[test]
    fn html_without_article_text_is_an_error() {
        let err = document_from_html(
            "e".into(),
            "mem".into(),
            "<html><head><title>T</title></head><body></body></html>",
            Metadata::default(),
        );
        assert!(err.is_err(), "{err:?}");
        if let Err(e) = err {
            assert!(e.to_string().starts_with("no article text found in HTML"), "{e}");
        }
    }

    #[test]
    fn html_document_prefers_given_then_page_metadata() {
        let html = "<html lang=\"fr\"><head><title>Page title</title><meta property=\"article:published_time\" content=\"2021-06-01\"></head><body><article><p>Le conseil municipal a vot\u{e9} le budget mardi soir apr\u{e8}s un long d\u{e9}bat, selon un communiqu\u{e9} publi\u{e9} mercredi matin.</p></article></body></html>";
        let meta = Metadata { title: Some("Given".into()), ..Metadata::default() };
        let d = document_from_html("h".into(), "mem".into(), html, meta).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.title.as_deref(), Some("Given"));
        assert_eq!(d.date.as_deref(), Some("2021-06-01"));
        assert_eq!(d.language.as_deref(), Some("fr"));
        assert_eq!(d.content_hash, content_hash(&d.text));
    }

    #[test]
    fn both_extractors_read_a_page_whatever_its_url() {
        let html = "<html><head><title>Harbour</title></head><body><nav>Home | World | Sport</nav><article><p>The harbour authority said on Tuesday that the ferry would run again next week after repairs to the pier were finished.</p><p>Advertisement</p><p>Passengers had waited for almost a month, and local shops said trade had fallen sharply during the closure.</p></article></body></html>";
        for extractor in [HtmlExtractor::Fast, HtmlExtractor::Accurate] {
            for url in [None, Some("https://news.example/harbour".to_string()), Some("/relative".to_string())] {
                let meta = Metadata { url: url.clone(), ..Metadata::default() };
                let d = document_from_html_with("h".into(), "mem".into(), html, meta, extractor)
                    .unwrap_or_else(|e| panic!("{extractor:?} {url:?}: {e}"));
                assert!(d.text.starts_with("The harbour authority said"), "{extractor:?}: {}", d.text);
                assert!(d.text.contains("Passengers had waited"), "{extractor:?}: {}", d.text);
                assert!(!d.text.contains("Advertisement"), "{extractor:?}: {}", d.text);
                assert_eq!(d.language.as_deref(), Some("en"));
            }
        }
    }

    #[test]
    fn deep_html_document_carries_the_flat_reading_warning() {
        let html = format!("{}<p>Bottom words.</p>", "<div>".repeat(MAX_NESTING_DEPTH + 5));
        let d = document_from_html("deep".into(), "mem".into(), &html, Metadata::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.text, "Bottom words.");
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].contains("read as flat text"));
    }
}
