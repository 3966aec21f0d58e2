//! RSS 2.0 / RSS 1.0 / Atom / JSON Feed files to documents, one per item, parsed by feed-rs.
//!
//! An item's text is its full content when the feed carries it, else its summary; HTML in
//! either is flattened to paragraphs (a feed item is the article itself, so there is no page
//! boilerplate to remove). The item's title, link (as `url`), published (else updated) date
//! and author, and the feed's title as the outlet, become the document's metadata. An item
//! with neither content nor summary is read from its linked page when the caller passes a page
//! reader (`--fetch`), else reported. This module must not fetch anything itself and must
//! not judge the content, and must not let the parser's panics escape (they become skips).

use std::panic::{catch_unwind, AssertUnwindSafe};

use crosscheck_model::{Skipped, SourceFormat};
use feed_rs::model::{Entry, Feed, Text};

use crate::html::flat_text;
use crate::{document_from_text, normalize_date, Metadata, ReadItem};

/// True when the first element of an XML document is a feed root (`rss`, `feed`, `rdf:RDF`),
/// or a JSON object names the JSON Feed version.
pub(crate) fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF));
    let Some(start) = start else {
        return false;
    };
    let head = &head[start..];
    if head.starts_with(b"{") {
        return head.windows(20).any(|w| w.eq_ignore_ascii_case(b"jsonfeed.org/version"));
    }
    first_element_name(head).is_some_and(|name| {
        let name = name.to_ascii_lowercase();
        name == b"rss" || name == b"feed" || name == b"rdf:rdf"
    })
}

/// The name of the first element, passing over the XML prolog, comments and doctype.
fn first_element_name(head: &[u8]) -> Option<&[u8]> {
    let mut rest = head;
    loop {
        let open = rest.iter().position(|&b| b == b'<')?;
        rest = &rest[open + 1..];
        match rest.first()? {
            b'?' | b'!' => {
                let close = rest.iter().position(|&b| b == b'>')?;
                rest = &rest[close + 1..];
            }
            _ => {
                let end =
                    rest.iter().position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/')).unwrap_or(rest.len());
                return Some(&rest[..end]);
            }
        }
    }
}

fn text_of(text: &Text) -> String {
    if text.content_type.subty().as_str().contains("html") {
        flat_text(&text.content).0
    } else {
        text.content.trim().to_string()
    }
}

/// The item's text: its content, else its summary, HTML flattened to paragraphs.
fn body_of(entry: &Entry) -> Option<String> {
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        let html = c.content_type.subty().as_str().contains("html") || body.trim_start().starts_with('<');
        Some(if html { flat_text(body).0 } else { body.trim().to_string() })
    });
    let summary = || {
        entry.summary.as_ref().map(|s| {
            let html = s.content_type.subty().as_str().contains("html") || s.content.trim_start().starts_with('<');
            if html {
                flat_text(&s.content).0
            } else {
                s.content.trim().to_string()
            }
        })
    };
    content.filter(|t| !t.trim().is_empty()).or_else(summary).filter(|t| !t.trim().is_empty())
}

/// The item's own page: the `alternate` link, else the first link.
fn link_of(entry: &Entry) -> Option<String> {
    let links = &entry.links;
    links
        .iter()
        .find(|l| l.rel.as_deref() == Some("alternate"))
        .or_else(|| links.iter().find(|l| l.rel.is_none()))
        .or_else(|| links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty())
}

fn authors_of(entry: &Entry, feed: &Feed) -> Option<String> {
    let names = |people: &[feed_rs::model::Person]| {
        let names: Vec<&str> =
            people.iter().filter_map(|p| p.name.as_deref()).map(str::trim).filter(|n| !n.is_empty()).collect();
        (!names.is_empty()).then(|| names.join(", "))
    };
    names(&entry.authors).or_else(|| names(&feed.authors))
}

/// Fetches an item's linked page when the feed carries no text for it. Set only when the
/// caller enabled fetching (`--fetch`) and the crate has the `fetch` feature.
pub(crate) type LinkedPageReader<'a> = &'a dyn Fn(&str, &mut dyn FnMut(ReadItem));

/// Reads a whole feed file (raw bytes: feed-rs honours the XML prolog's encoding).
pub(crate) fn read_feed(
    bytes: &[u8],
    origin: &str,
    stem: &str,
    linked_pages: Option<LinkedPageReader<'_>>,
    sink: &mut dyn FnMut(ReadItem),
) {
    // feed-rs (through quick-xml) can panic on malformed XML, e.g. a second XML declaration
    // with an encoding (found by the feed_reader fuzz target); a broken feed is a skip.
    let parsed = catch_unwind(AssertUnwindSafe(|| feed_rs::parser::parse(bytes)));
    let feed = match parsed {
        Ok(Ok(feed)) => feed,
        Ok(Err(e)) => {
            return sink(ReadItem::Skipped(Skipped {
                origin: origin.to_string(),
                reason: format!("invalid feed: {e}"),
            }));
        }
        Err(_) => {
            return sink(ReadItem::Skipped(Skipped {
                origin: origin.to_string(),
                reason: "invalid feed: the XML parser gave up on it (panicked)".to_string(),
            }));
        }
    };
    if feed.entries.is_empty() {
        return sink(ReadItem::Skipped(Skipped { origin: origin.to_string(), reason: "feed has no items".into() }));
    }
    let outlet = feed.title.as_ref().map(text_of).filter(|t| !t.is_empty());
    for (index, entry) in feed.entries.iter().enumerate() {
        let number = index + 1;
        let item_origin = format!("{origin}#{number}");
        let Some(text) = body_of(entry) else {
            match (linked_pages, link_of(entry)) {
                (Some(read_page), Some(link)) => {
                    // The linked page is the item's text; the feed's metadata fills its gaps.
                    read_page(&link, &mut |item| match item {
                        ReadItem::Document(mut d) => {
                            d.id = format!("{stem}-{number}");
                            d.format = SourceFormat::Feed;
                            d.origin = format!("{item_origin} ({link})");
                            d.title = d.title.or_else(|| entry.title.as_ref().map(text_of).filter(|t| !t.is_empty()));
                            d.outlet = d.outlet.or_else(|| outlet.clone());
                            d.date = d.date.or_else(|| {
                                entry.published.or(entry.updated).and_then(|t| normalize_date(&t.to_rfc3339()))
                            });
                            d.author = d.author.or_else(|| authors_of(entry, &feed));
                            sink(ReadItem::Document(d));
                        }
                        ReadItem::Skipped(s) => sink(ReadItem::Skipped(Skipped {
                            origin: item_origin.clone(),
                            reason: format!("feed item {number}: linked page {link}: {}", s.reason),
                        })),
                    });
                }
                _ => sink(ReadItem::Skipped(Skipped {
                    origin: item_origin,
                    reason: format!(
                        "feed item {number}: no content or summary (the linked page is fetched only with --fetch)"
                    ),
                })),
            }
            continue;
        };
        let meta = Metadata {
            url: link_of(entry),
            outlet: outlet.clone(),
            date: entry.published.or(entry.updated).map(|d| d.to_rfc3339()),
            title: entry.title.as_ref().map(text_of).filter(|t| !t.is_empty()),
            author: authors_of(entry, &feed),
        };
        let document = document_from_text(format!("{stem}-{number}"), item_origin, SourceFormat::Feed, &text, meta);
        sink(ReadItem::Document(document));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_model::Document;

    fn read(bytes: &[u8]) -> (Vec<Document>, Vec<Skipped>) {
        let mut docs = Vec::new();
        let mut skips = Vec::new();
        read_feed(bytes, "feed.xml", "feed", None, &mut |item| match item {
            ReadItem::Document(d) => docs.push(d),
            ReadItem::Skipped(s) => skips.push(s),
        });
        (docs, skips)
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour Gazette</title><link>https://gazette.example/</link><description>News</description>
<item><title>Ferry service resumes</title><link>https://gazette.example/ferry</link>
<pubDate>Mon, 03 Mar 2025 09:30:00 GMT</pubDate><dc:creator>Ana Silva</dc:creator>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>The ferry service resumed on Monday.</p><p>The operator said boats were full.</p>]]></content:encoded></item>
<item><title>Market reopens</title><link>https://gazette.example/market</link>
<description>The market reopened &amp; traders returned.</description></item>
<item><title>Link only</title><link>https://gazette.example/empty</link></item>
</channel></rss>"#;

    #[test]
    fn rss_items_become_documents_with_content_or_summary() {
        let (docs, skips) = read(RSS.as_bytes());
        assert_eq!(docs.len(), 2, "{skips:?}");
        let first = &docs[0];
        assert_eq!(first.id, "feed-1");
        assert_eq!(first.origin, "feed.xml#1");
        assert_eq!(first.text, "The ferry service resumed on Monday.\n\nThe operator said boats were full.");
        assert_eq!(first.title.as_deref(), Some("Ferry service resumes"));
        assert_eq!(first.url.as_deref(), Some("https://gazette.example/ferry"));
        assert_eq!(first.outlet.as_deref(), Some("Harbour Gazette"));
        assert_eq!(first.date.as_deref(), Some("2025-03-03"));
        assert_eq!(first.author.as_deref(), Some("Ana Silva"));
        assert_eq!(first.format, SourceFormat::Feed);
        assert_eq!(docs[1].text, "The market reopened & traders returned.");
        assert_eq!(skips.len(), 1);
        assert_eq!(skips[0].origin, "feed.xml#3");
        assert!(skips[0].reason.starts_with("feed item 3: no content"), "{}", skips[0].reason);
    }

    #[test]
    fn items_without_text_read_their_linked_page_when_a_reader_is_given() {
        let page_reader = |link: &str, sink: &mut dyn FnMut(ReadItem)| {
            let text = format!("Full story fetched from {link}.");
            let meta = Metadata { url: Some(link.to_string()), ..Metadata::default() };
            sink(ReadItem::Document(document_from_text("page".into(), link.into(), SourceFormat::Html, &text, meta)));
        };
        let mut docs = Vec::new();
        read_feed(RSS.as_bytes(), "feed.xml", "feed", Some(&page_reader), &mut |item| {
            if let ReadItem::Document(d) = item {
                docs.push(d)
            }
        });
        assert_eq!(docs.len(), 3);
        let linked = &docs[2];
        assert_eq!(linked.id, "feed-3");
        assert_eq!(linked.text, "Full story fetched from https://gazette.example/empty.");
        assert_eq!(linked.title.as_deref(), Some("Link only"));
        assert_eq!(linked.format, SourceFormat::Feed);
        assert_eq!(linked.outlet.as_deref(), Some("Harbour Gazette"));
    }

    #[test]
    fn atom_entries_use_published_before_updated() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Post</title><id>urn:x</id><updated>2025-04-02T00:00:00Z</updated>
<entry><title>Dam inspection</title><id>urn:1</id><link rel="alternate" href="https://post.example/dam"/>
<published>2025-04-01T08:00:00Z</published><updated>2025-04-02T10:00:00Z</updated>
<author><name>Lee Park</name></author>
<content type="html">&lt;p&gt;Engineers inspected the dam on Tuesday.&lt;/p&gt;</content></entry></feed>"#;
        let (docs, skips) = read(atom.as_bytes());
        assert!(skips.is_empty(), "{skips:?}");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "Engineers inspected the dam on Tuesday.");
        assert_eq!(docs[0].date.as_deref(), Some("2025-04-01"));
        assert_eq!(docs[0].url.as_deref(), Some("https://post.example/dam"));
        assert_eq!(docs[0].outlet.as_deref(), Some("Valley Post"));
        assert_eq!(docs[0].author.as_deref(), Some("Lee Park"));
    }

    #[test]
    fn json_feed_items_are_read() {
        let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Delta Daily",
            "items": [{"id": "1", "url": "https://delta.example/flood", "title": "Flood warning",
            "content_text": "Residents were told to move to higher ground.", "date_published": "2025-05-06T07:00:00Z"}]}"#;
        assert!(looks_like_feed(json.as_bytes()));
        let (docs, _) = read(json.as_bytes());
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "Residents were told to move to higher ground.");
        assert_eq!(docs[0].format, SourceFormat::Feed);
        assert_eq!(docs[0].outlet.as_deref(), Some("Delta Daily"));
        assert_eq!(docs[0].date.as_deref(), Some("2025-05-06"));
    }

    #[test]
    fn invalid_feed_xml_is_skipped_with_a_reason() {
        let broken = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>X</title><item><title>A</ti";
        let (docs, skips) = read(broken.as_bytes());
        assert!(docs.is_empty());
        assert_eq!(skips.len(), 1);
        assert!(skips[0].reason.starts_with("invalid feed"), "{}", skips[0].reason);
        let (_, skips) = read(b"<html><body>not a feed</body></html>");
        assert!(skips[0].reason.starts_with("invalid feed"), "{}", skips[0].reason);
    }

    #[test]
    fn feed_roots_are_sniffed() {
        assert!(looks_like_feed(RSS.as_bytes()));
        assert!(looks_like_feed(b"\xEF\xBB\xBF<!-- x --><feed xmlns=\"http://www.w3.org/2005/Atom\">"));
        assert!(looks_like_feed(b"<rdf:RDF xmlns:rdf=\"x\">"));
        assert!(!looks_like_feed(b"<!DOCTYPE html><html><body>"));
        assert!(!looks_like_feed(b"{\"text\": \"hello\"}"));
        assert!(!looks_like_feed(b""));
    }
}
