//! The bad-input list of the ingest issue, end to end through `crosscheck ingest`: in one run,
//! a truncated `.warc.gz`, a WARC with a corrupt record in the middle, a feed with invalid
//! XML, "HTML" files that are really a PDF, a PNG and a JPEG, and URLs on a local server
//! (127.0.0.1 only) that answer 404, 500 or too slowly. Each is reported with its reason, the
//! good inputs beside them are stored, and a later run with only bad inputs loses nothing
//! already stored. Every input is written here; nothing leaves the machine.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use crosscheck_store::Store;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("write input");
}

fn page(headline: &str, sentence: &str) -> String {
    format!(
        "<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1><p>{sentence} The council met on Monday evening to discuss the harbour plan at length, officials said.</p><p>Residents said they would follow the debate closely over the coming weeks.</p></article></body></html>"
    )
}

fn warc_record(uri: &str, html: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-06T07:08:09Z\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    )
    .into_bytes()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// One gzip member holding `data` in stored (uncompressed) deflate blocks: a valid gzip file
/// without a compression library.
fn gzip_member(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).expect("block fits");
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend(crc32(data).to_le_bytes());
    out.extend(u32::try_from(data.len()).expect("small").to_le_bytes());
    out
}

/// A tiny HTTP/1.1 server on 127.0.0.1: `/news/ok` is a page, `/slow` answers after 5 s,
/// `/broken` is a 500, everything else a 404 (robots.txt included: nothing is disallowed).
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let Ok(read_half) = stream.try_clone() else { return };
                let mut reader = BufReader::new(read_half);
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let ok = page("Ferry fares frozen", "The ferry company froze fares for another year.");
                let (status, body) = match path.as_str() {
                    "/news/ok" => ("200 OK", ok),
                    "/slow" => {
                        std::thread::sleep(Duration::from_secs(5));
                        ("200 OK", ok)
                    }
                    "/broken" => ("500 Internal Server Error", "oops".to_string()),
                    _ => ("404 Not Found", "not found".to_string()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body.as_bytes());
            });
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn ingest(inputs: &[String], data: &Path) -> (Output, String) {
    let out = bin()
        .arg("ingest")
        .args(inputs)
        .arg("--data")
        .arg(data)
        .arg("--quiet")
        // A slow URL must time out in a second, not the default thirty.
        .env(crosscheck_ingest::FETCH_TIMEOUT_ENV, "1")
        .output()
        .expect("the crosscheck binary runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, err)
}

fn stored_ids(data: &Path) -> Vec<String> {
    let store = Store::open_read_only(data).expect("open the store");
    let mut ids: Vec<String> = store.documents().expect("read documents").into_iter().map(|d| d.id).collect();
    ids.sort();
    ids
}

#[test]
fn every_bad_input_is_reported_and_the_rest_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    let data = dir.path().join("store");

    write(
        &input,
        "good.txt",
        b"Bridge reopens\n\nThe old bridge reopened to traffic on Monday after repairs, the council said.",
    );
    write(
        &input,
        "story.html",
        page("Library hours extended", "The library will open on Sundays from next month.").as_bytes(),
    );
    // Really a PDF, a PNG and a JPEG, saved with an .html name.
    write(&input, "scan.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n");
    write(&input, "photo.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01");
    write(&input, "picture.htm", b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01");
    // Feed whose XML breaks off inside an item.
    write(
        &input,
        "broken.rss",
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Cut</ti",
    );
    // WARC: good record, garbage where a record should be, good record.
    let mut damaged = warc_record("https://archive.example/first", &page("First", "The first story."));
    damaged.extend_from_slice(b"WARC/1.0\r\nthis line is garbage\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n");
    damaged.extend(warc_record("https://archive.example/third", &page("Third", "The third story.")));
    write(&input, "damaged.warc", &damaged);
    // .warc.gz: one whole gzip member, then a member cut off halfway.
    let mut cut = gzip_member(&warc_record("https://archive.example/kept", &page("Kept", "The kept story.")));
    let second = gzip_member(&warc_record("https://archive.example/lost", &page("Lost", "The lost story.")));
    cut.extend_from_slice(&second[..second.len() / 2]);
    write(&input, "cut.warc.gz", &cut);

    let base = serve();
    let inputs = vec![
        input.display().to_string(),
        format!("{base}/news/ok"),
        format!("{base}/missing"),
        format!("{base}/broken"),
        format!("{base}/slow"),
    ];
    let (out, err) = ingest(&inputs, &data);
    assert_eq!(out.status.code(), Some(1), "skips make a partial failure, not an error: {err}");
    for expected in [
        "scan.html: not a .html file: the content is a PDF document",
        "photo.html: not a .html file: the content is a PNG image",
        "picture.htm: not a .htm file: the content is a JPEG image",
        "broken.rss: invalid feed",
        "record 2: garbled header line",
        "gzip stream cut off or corrupt after record 1",
        "/missing: HTTP 404 Not Found",
        "/broken: HTTP 500 Internal Server Error",
        "/slow: timed out",
    ] {
        assert!(err.contains(expected), "no {expected:?} in the summary:\n{err}");
    }
    assert!(err.contains("6 documents added"), "{err}");

    let ids = stored_ids(&data);
    assert_eq!(ids.len(), 6, "{ids:?}");
    for id in ["good", "story", "damaged-1", "damaged-3", "cut-1"] {
        assert!(ids.iter().any(|i| i == id), "{id} not stored: {ids:?}");
    }
    let store = Store::open_read_only(&data).expect("open the store");
    let documents = store.documents().expect("read documents");
    let fetched = documents.iter().find(|d| d.url.as_deref() == Some(format!("{base}/news/ok").as_str()));
    assert!(fetched.is_some_and(|d| d.text.contains("froze fares")), "the good URL is stored: {ids:?}");
    let archived: Vec<&str> =
        documents.iter().filter(|d| d.id.starts_with("damaged-")).filter_map(|d| d.url.as_deref()).collect();
    assert_eq!(archived, ["https://archive.example/first", "https://archive.example/third"]);
    drop(store);

    // A later run of nothing but bad inputs changes nothing that is stored.
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).expect("mkdir");
    write(&bad, "broken.rss", b"<rss><channel><item>");
    write(&bad, "scan.html", b"%PDF-1.4\n");
    let (out, err) = ingest(&[bad.display().to_string(), format!("{base}/broken")], &data);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("0 documents added"), "{err}");
    assert_eq!(stored_ids(&data), ids);
}
