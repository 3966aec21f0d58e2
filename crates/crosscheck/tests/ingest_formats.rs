//! End-to-end tests of the input formats ingest reads beyond text and HTML: feeds, CSV with a
//! chosen text column, WARC, legacy encodings, and the non-English rule (stored, extraction
//! skipped with a reason in the summary). All inputs are written here; nothing is fetched.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the crosscheck binary runs")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("write input");
}

fn extract_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Gazette</title><link>https://gazette.example/</link><description>d</description>
<item><title>Ferry service resumes</title><link>https://gazette.example/ferry</link><pubDate>Mon, 03 Mar 2025 09:30:00 GMT</pubDate>
<description><![CDATA[<p>The ferry service resumed on Monday after repairs, the harbour authority said in a statement.</p>]]></description></item>
</channel></rss>"#;

fn response_record(uri: &str, body: &str) -> String {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}");
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-06T07:08:09Z\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    )
}

#[test]
fn feeds_tables_and_archives_are_extracted_with_their_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "gazette.rss", RSS.as_bytes());
    write(
        dir.path(),
        "export.csv",
        b"id,headline,summary,body\nrow1,Budget passed,Short note,\"The city council approved the budget on Tuesday, the mayor said.\"\n",
    );
    let page = "<html><head><title>Pier</title></head><body><article><p>The pier reopened on Friday after a year of repairs, the council said on its website.</p><p>Anglers returned within hours, and cafes along the front reported brisk trade.</p></article></body></html>";
    let mut warc = response_record("https://pier.example/story", page);
    warc.push_str("WARC/1.0\r\ngarbled header line\r\n\r\n");
    warc.push_str(&response_record("https://pier.example/second", &page.replace("Friday", "Saturday")));
    write(dir.path(), "crawl.warc", warc.as_bytes());

    let out = run(bin().args(["extract", "--quiet", "--text-column", "body"]).arg(dir.path()));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "the corrupt WARC record is a partial failure: {err}");
    assert!(err.contains("crawl.warc: record 2: garbled header line"), "{err}");
    let docs = extract_lines(&out);
    let by_id = |id: &str| docs.iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("no {id} in {docs:?}"));

    let item = by_id("gazette-1");
    assert_eq!(item["outlet"], "Harbour Gazette");
    assert_eq!(item["url"], "https://gazette.example/ferry");
    assert_eq!(item["date"], "2025-03-03");
    assert!(item["text"].as_str().is_some_and(|t| t.starts_with("The ferry service resumed")));

    let row = by_id("row1");
    assert_eq!(row["title"], "Budget passed");
    assert_eq!(row["text"], "The city council approved the budget on Tuesday, the mayor said.");

    let first = by_id("crawl-1");
    assert_eq!(first["url"], "https://pier.example/story");
    assert_eq!(first["date"], "2024-05-06");
    let second = by_id("crawl-3");
    assert!(second["text"].as_str().is_some_and(|t| t.contains("Saturday")), "{second}");
}

#[test]
fn non_english_documents_are_stored_and_flagged_not_extracted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    write(
        &input,
        "conseil.txt",
        "Le conseil municipal de la ville a approuvé mardi soir le nouveau budget après un long débat, a déclaré le maire Jean Dupont aux journalistes.".as_bytes(),
    );
    write(
        &input,
        "council.txt",
        b"The city council approved the new budget on Tuesday night after a long debate, Mayor Jane Roe told reporters.",
    );
    let data = dir.path().join("store");
    let out = run(bin().arg("ingest").arg(&input).arg("--data").arg(&data).arg("--quiet"));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    assert!(err.contains("2 documents added"), "{err}");
    assert!(err.contains("conseil: language fr: not English, extraction skipped"), "{err}");

    let out = run(bin().args(["extract", "--quiet"]).arg(&input));
    let docs = extract_lines(&out);
    let french = docs.iter().find(|d| d["id"] == "conseil").expect("french document kept");
    assert_eq!(french["entities"].as_array().map(Vec::len), Some(0));
    let english = docs.iter().find(|d| d["id"] == "council").expect("english document");
    assert!(english["entities"].as_array().is_some_and(|e| !e.is_empty()), "{english}");
}

#[test]
fn a_pdf_saved_as_html_and_a_broken_feed_are_skipped_with_reasons() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "article.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n");
    write(dir.path(), "news.rss", b"<rss version=\"2.0\"><channel><item><title>cut</channel>");
    write(dir.path(), "ok.txt", b"The bridge reopened on Monday, officials said.");
    let out = run(bin().args(["extract", "--quiet"]).arg(dir.path()));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("article.html: not a .html file: the content is a PDF document"), "{err}");
    assert!(err.contains("news.rss: invalid feed"), "{err}");
    assert_eq!(extract_lines(&out).len(), 1);
}
