//! `crosscheck search` and `crosscheck serve` end to end: the binary ingests the examples,
//! searches them from the command line, serves them (URL printed, API answering, a posted
//! article searchable at once), and refuses a non-loopback address without a token.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles")
}

fn ingested() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("store");
    let out = bin().arg("ingest").arg(examples()).arg("--data").arg(&data).arg("-q").output().expect("ingest runs");
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, data)
}

/// Kills the server when the test ends, pass or fail.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(addr: &str, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(request.as_bytes()).expect("write");
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    let status = raw.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

#[test]
fn search_finds_phrases_with_filters_and_marks_hits() {
    let (_dir, data) = ingested();
    let out = bin().args(["search", "flood*"]).arg("--data").arg(&data).output().expect("search runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("documents match"), "{text}");
    assert!(text.contains("[flood") || text.contains("[Flood"), "hits are marked when not on a terminal: {text}");

    let out = bin()
        .args(["search", "\"rivers burst\"", "--format", "json", "--from", "2026-03", "--to", "2026-03"])
        .arg("--data")
        .arg(&data)
        .output()
        .expect("search runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let total = v["results"]["total"].as_u64().expect("total");
    assert!(total >= 1, "{v}");
    for hit in v["results"]["hits"].as_array().expect("hits") {
        assert!(hit["date"].as_str().is_some_and(|d| d.starts_with("2026-03")), "{hit}");
    }
    let out = bin().args(["search", "flood", "--data", "/nonexistent/store"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2), "a missing store is a fatal error");
}

#[test]
fn serve_prints_its_url_answers_and_ingests() {
    let (_dir, data) = ingested();
    let mut child = bin()
        .args(["serve", "--port", "0"])
        .arg("--data")
        .arg(&data)
        .env_remove("CROSSCHECK_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the URL line");
    let url = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).expect("a loopback URL").to_string();
    let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();

    let (status, body) =
        http(&addr, &format!("GET /api/overview HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"));
    assert_eq!(status, 200, "{body}");
    let overview: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert!(overview["documents"].as_u64().is_some_and(|n| n >= 5), "{overview}");

    let article = r#"{"id": "posted", "title": "Ferry strike", "outlet": "Test Desk", "text": "Ferry crews walked out on Monday, the union said."}"#;
    let (status, body) = http(
        &addr,
        &format!(
            "POST /api/ingest HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{article}",
            article.len()
        ),
    );
    assert_eq!(status, 201, "{body}");
    let (status, body) =
        http(&addr, &format!("GET /api/search?q=ferry+crews HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"));
    assert_eq!(status, 200);
    assert!(body.contains("\"id\":\"posted\""), "{body}");
    drop(server);
}

#[test]
fn serve_refuses_other_addresses_without_a_token() {
    let (_dir, data) = ingested();
    let out = bin()
        .args(["serve", "--addr", "0.0.0.0", "--port", "0"])
        .arg("--data")
        .arg(&data)
        .env_remove("CROSSCHECK_TOKEN")
        .output()
        .expect("serve runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("without a token"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
