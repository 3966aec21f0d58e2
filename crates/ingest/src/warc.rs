//! WARC files (`.warc`, `.warc.gz`) to documents: every HTML `response` record becomes a
//! document, with the record's `WARC-Target-URI` as its url and `WARC-Date` as the date when
//! the page declares none.
//!
//! The file is streamed record by record (gzip members read one after another), so memory is
//! bounded by the largest HTML record kept ([`MAX_FILE_BYTES`]), not by the file. Damage is
//! contained: a record whose header is garbled or whose `Content-Length` does not land on the
//! next record is reported and reading resynchronises at the next `WARC/` version line, so the
//! records before and after it are still read; a cut-off or corrupt gzip stream ends the file
//! with a reason. Non-HTML records (requests, metadata, images, scripts) are passed over
//! silently: they are not articles. This module must not fetch anything.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;

use crosscheck_model::{Skipped, SourceFormat};
use flate2::bufread::{GzDecoder, MultiGzDecoder, ZlibDecoder};

use crate::encoding::{content_type_charset, declared_html_charset, decode};
use crate::read::{read_line_limited, Line};
use crate::{document_from_html_with, normalize_date, HtmlExtractor, Metadata, ReadItem, MAX_FILE_BYTES};

/// Longest WARC or HTTP header line read; longer ones mean we are not in a header.
const MAX_HEADER_LINE: u64 = 64 * 1024;
/// More header lines than this in one record is damage, not a header.
const MAX_HEADER_LINES: usize = 512;

struct Reader<'a> {
    input: Box<dyn BufRead + 'a>,
    origin: &'a str,
    stem: &'a str,
    file_name: &'a str,
    html: HtmlExtractor,
}

fn skip(origin: String, reason: String) -> ReadItem {
    ReadItem::Skipped(Skipped { origin, reason })
}

/// Reads a WARC file, gzip-compressed or not (decided by its magic bytes, not its name).
pub(crate) fn read_warc(path: &Path, html: HtmlExtractor, sink: &mut dyn FnMut(ReadItem)) {
    let origin = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return sink(skip(origin, crate::read::io_reason(&e))),
    };
    let mut buffered = BufReader::with_capacity(64 * 1024, file);
    let gzip = match buffered.fill_buf() {
        Ok(head) => head.starts_with(&[0x1f, 0x8b]),
        Err(e) => return sink(skip(origin, crate::read::io_reason(&e))),
    };
    let input: Box<dyn BufRead> = if gzip {
        Box::new(BufReader::with_capacity(64 * 1024, MultiGzDecoder::new(buffered)))
    } else {
        Box::new(buffered)
    };
    let stem = crate::read::file_stem(path);
    let stem = stem.strip_suffix(".warc").unwrap_or(&stem).to_string();
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| origin.clone());
    read_records(Reader { input, origin: &origin, stem: &stem, file_name: &file_name, html }, gzip, sink);
}

/// One parsed WARC header block.
#[derive(Default)]
struct Header {
    fields: Vec<(String, String)>,
}

impl Header {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn read_records(mut r: Reader<'_>, gzip: bool, sink: &mut dyn FnMut(ReadItem)) {
    let mut buf = Vec::new();
    let mut record = 0usize;
    let mut out_of_sync = false;
    let mut any_output = false;
    let stream_error = |record: usize, e: &std::io::Error| {
        let what = if gzip { "gzip stream cut off or corrupt" } else { "read error" };
        format!("{}: {what} after record {record}: {e}", r.file_name)
    };
    loop {
        let line = match read_line_limited(&mut r.input, &mut buf, MAX_HEADER_LINE) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                sink(skip(r.origin.to_string(), stream_error(record, &e)));
                return;
            }
        };
        if matches!(line, Line::Complete) && buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if !(matches!(line, Line::Complete) && buf.starts_with(b"WARC/")) {
            if !out_of_sync {
                record += 1;
                out_of_sync = true;
                any_output = true;
                let reason =
                    format!("{}: record {record}: not a WARC record header; skipped to the next record", r.file_name);
                sink(skip(format!("{}#{record}", r.origin), reason));
            }
            continue;
        }
        out_of_sync = false;
        record += 1;
        let at = format!("{}#{record}", r.origin);
        let reason = |what: &str| format!("{}: record {record}: {what}", r.file_name);
        let header = match read_header(&mut r.input, &mut buf) {
            Ok(Ok(header)) => header,
            Ok(Err(what)) => {
                any_output = true;
                out_of_sync = true;
                sink(skip(at, reason(&what)));
                continue;
            }
            Err(e) => {
                sink(skip(r.origin.to_string(), stream_error(record - 1, &e)));
                return;
            }
        };
        let Some(length) = header.get("Content-Length").and_then(|v| v.trim().parse::<u64>().ok()) else {
            any_output = true;
            out_of_sync = true;
            sink(skip(at, reason("missing or bad Content-Length; skipped to the next record")));
            continue;
        };
        let target = header.get("WARC-Target-URI").map(|u| u.trim().trim_matches(['<', '>']).to_string());
        let wanted = header.get("WARC-Type").is_some_and(|t| t.trim().eq_ignore_ascii_case("response"))
            && target.is_some()
            && length <= MAX_FILE_BYTES;
        if !wanted {
            match std::io::copy(&mut (&mut r.input).take(length), &mut std::io::sink()) {
                Ok(n) if n < length => {
                    sink(skip(at, reason(&format!("cut off ({n} of {length} bytes)"))));
                    return;
                }
                Ok(_) => {}
                Err(e) => {
                    sink(skip(r.origin.to_string(), stream_error(record, &e)));
                    return;
                }
            }
            if !at_next_record(&mut r.input) {
                any_output = true;
                out_of_sync = true;
                sink(skip(at, reason("Content-Length does not end at the next record; skipped to the next record")));
            }
            continue;
        }
        let mut block = Vec::with_capacity(usize::try_from(length.min(1 << 20)).unwrap_or(0));
        match (&mut r.input).take(length).read_to_end(&mut block) {
            Ok(n) if (n as u64) < length => {
                sink(skip(at, reason(&format!("cut off ({n} of {length} bytes)"))));
                return;
            }
            Ok(_) => {}
            Err(e) => {
                sink(skip(r.origin.to_string(), stream_error(record - 1, &e)));
                return;
            }
        }
        let mut length_warning = None;
        if !at_next_record(&mut r.input) {
            // The next record started inside what was read as this one's block: the declared
            // length is too long. Drop this record, read on from where the next one starts.
            if let Some(start) = find_record_start(&block) {
                any_output = true;
                sink(skip(at, reason("Content-Length does not end at the next record; skipped to the next record")));
                let tail = block.split_off(start);
                let rest = std::mem::replace(&mut r.input, Box::new(std::io::empty()));
                r.input = Box::new(Cursor::new(tail).chain(rest));
                continue;
            }
            // Otherwise the block is whole or cut short, and what follows is damage that the
            // next loop reports: keep the page, say so.
            length_warning = Some("WARC record is not followed by another record (damaged file?)".to_string());
        }
        let Some(target) = target else { continue };
        match response_document(&block, &header, &target, (r.stem, record, &at), r.html) {
            Ok(Some(mut document)) => {
                any_output = true;
                document.warnings.extend(length_warning);
                sink(ReadItem::Document(document));
            }
            Ok(None) => {}
            Err(what) => {
                any_output = true;
                sink(skip(at, reason(&what)));
            }
        }
    }
    if !any_output {
        sink(skip(r.origin.to_string(), "no HTML response records".to_string()));
    }
}

/// Header lines up to the blank line. The outer error is IO; the inner, damage.
fn read_header(input: &mut dyn BufRead, buf: &mut Vec<u8>) -> std::io::Result<Result<Header, String>> {
    let mut header = Header::default();
    for _ in 0..MAX_HEADER_LINES {
        match read_line_limited(input, buf, MAX_HEADER_LINE)? {
            None => return Ok(Err("header cut off at end of file".to_string())),
            Some(Line::TooLong(_)) => return Ok(Err("header line too long; skipped to the next record".to_string())),
            Some(Line::Complete) => {}
        }
        if buf.is_empty() {
            return Ok(Ok(header));
        }
        let line = String::from_utf8_lossy(buf);
        match line.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                header.fields.push((name.trim().to_string(), value.trim().to_string()));
            }
            _ => return Ok(Err("garbled header line; skipped to the next record".to_string())),
        }
    }
    Ok(Err("too many header lines; skipped to the next record".to_string()))
}

/// After a block: blank lines, then a `WARC/` line or the end. Consumes the blank lines only.
fn at_next_record(input: &mut dyn BufRead) -> bool {
    loop {
        let available = match input.fill_buf() {
            Ok(a) => a,
            // The error shows again (and is reported) on the next read.
            Err(_) => return true,
        };
        match available.first() {
            None => return true,
            Some(b'\r' | b'\n') => input.consume(1),
            Some(_) => return available.len() < 5 || available.starts_with(b"WARC/"),
        }
    }
}

/// Where a `WARC/` version line starts inside a block, after a newline.
fn find_record_start(block: &[u8]) -> Option<usize> {
    block.windows(6).position(|w| w == b"\nWARC/").map(|i| i + 1)
}

/// An HTTP response block to a document: `Ok(None)` for responses that are not HTML pages.
fn response_document(
    block: &[u8],
    header: &Header,
    target: &str,
    (stem, record, origin): (&str, usize, &str),
    extractor: HtmlExtractor,
) -> Result<Option<crosscheck_model::Document>, String> {
    let Some((head, payload)) = split_http(block) else {
        return Ok(None);
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    if !status_line.starts_with("HTTP/") {
        return Ok(None);
    }
    let status: u16 = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let fields: Vec<(&str, &str)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim(), v.trim())).collect();
    let field = |name: &str| fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v);
    let content_type = field("Content-Type").unwrap_or_default();
    let html_type = content_type.to_ascii_lowercase().contains("html");
    let sniffed_html = content_type.is_empty() && looks_like_html(payload);
    if !(html_type || sniffed_html) {
        return Ok(None);
    }
    if !(200..300).contains(&status) {
        return Err(format!("HTTP status {status} for {target}"));
    }
    let mut body = payload.to_vec();
    if field("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        body = dechunk(&body).ok_or("broken chunked transfer encoding")?;
    }
    if let Some(coding) = field("Content-Encoding").map(|c| c.trim().to_ascii_lowercase()) {
        body = match coding.as_str() {
            "" | "identity" => body,
            "gzip" | "x-gzip" => inflate(GzDecoder::new(body.as_slice()))?,
            "deflate" => inflate(ZlibDecoder::new(body.as_slice()))?,
            other => return Err(format!("unsupported content encoding {other}")),
        };
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("empty HTML response for {target}"));
    }
    let declared = content_type_charset(content_type).or_else(|| declared_html_charset(&body));
    let mut warnings = Vec::new();
    let html = decode(&body, declared, &mut warnings);
    let meta = Metadata { url: Some(target.to_string()), ..Metadata::default() };
    let mut document = document_from_html_with(format!("{stem}-{record}"), origin.to_string(), &html, meta, extractor)
        .map_err(|e| format!("{e} ({target})"))?;
    document.format = SourceFormat::Warc;
    if document.date.is_none() {
        document.date = header.get("WARC-Date").and_then(normalize_date);
    }
    for w in warnings {
        if !document.warnings.contains(&w) {
            document.warnings.push(w);
        }
    }
    Ok(Some(document))
}

fn looks_like_html(payload: &[u8]) -> bool {
    let head = payload[..payload.len().min(512)].to_ascii_lowercase();
    let trimmed = head.trim_ascii_start();
    trimmed.starts_with(b"<!doctype html") || trimmed.starts_with(b"<html")
}

/// HTTP head and payload, split at the first blank line.
fn split_http(block: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(i) = block.windows(4).position(|w| w == b"\r\n\r\n") {
        return Some((&block[..i], &block[i + 4..]));
    }
    block.windows(2).position(|w| w == b"\n\n").map(|i| (&block[..i], &block[i + 2..]))
}

fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = body.iter().position(|&b| b == b'\n')?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?.trim();
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        body = &body[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body.strip_prefix(b"\r\n").or_else(|| body.strip_prefix(b"\n")).unwrap_or(body);
    }
}

/// A compressed payload, inflated under the size limit (a small bomb stays small).
fn inflate(decoder: impl Read) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder.take(MAX_FILE_BYTES + 1).read_to_end(&mut out).map_err(|e| format!("bad compressed content: {e}"))?;
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err("decompressed page too large".to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_model::Document;
    use std::io::Write;

    fn page(sentence: &str) -> String {
        format!(
            "<html><head><title>Story</title></head><body><article><p>{sentence} The council met on Monday evening to discuss the matter at length, officials said.</p><p>Residents who attended the meeting said they wanted answers before the end of the month.</p></article></body></html>"
        )
    }

    fn response(uri: &str, date: &str, http: &str) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            http.len()
        )
        .into_bytes();
        out.extend_from_slice(http.as_bytes());
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn html_response(uri: &str, sentence: &str) -> Vec<u8> {
        let body = page(sentence);
        let http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        response(uri, "2024-05-06T07:08:09Z", &http)
    }

    fn request(uri: &str) -> Vec<u8> {
        let http = format!("GET / HTTP/1.1\r\nHost: {uri}\r\n\r\n");
        format!(
            "WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        )
        .into_bytes()
    }

    fn gz(member: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(member).unwrap_or_else(|e| panic!("{e}"));
        encoder.finish().unwrap_or_else(|e| panic!("{e}"))
    }

    fn read_bytes(name: &str, bytes: &[u8]) -> (Vec<Document>, Vec<Skipped>) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        let mut docs = Vec::new();
        let mut skips = Vec::new();
        read_warc(&path, HtmlExtractor::default(), &mut |item| match item {
            ReadItem::Document(d) => docs.push(d),
            ReadItem::Skipped(s) => skips.push(s),
        });
        (docs, skips)
    }

    #[test]
    fn html_responses_become_documents_and_other_records_are_passed_over() {
        let mut warc = Vec::new();
        warc.extend(request("https://a.example/one"));
        warc.extend(html_response("https://a.example/one", "First story."));
        let png = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\u{89}PNG";
        warc.extend(response("https://a.example/logo.png", "2024-05-06T07:08:09Z", png));
        warc.extend(html_response("https://a.example/two", "Second story."));
        let (docs, skips) = read_bytes("crawl.warc", &warc);
        assert!(skips.is_empty(), "{skips:?}");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].url.as_deref(), Some("https://a.example/one"));
        assert_eq!(docs[0].id, "crawl-2");
        assert_eq!(docs[0].format, SourceFormat::Warc);
        assert!(docs[0].origin.ends_with("crawl.warc#2"), "{}", docs[0].origin);
        assert!(docs[0].text.starts_with("First story."), "{}", docs[0].text);
        assert_eq!(docs[0].date.as_deref(), Some("2024-05-06"));
        assert!(docs[1].text.starts_with("Second story."), "{}", docs[1].text);
    }

    #[test]
    fn gzip_members_are_read_and_a_cut_off_gzip_is_reported() {
        let mut warc = Vec::new();
        warc.extend(gz(&html_response("https://a.example/one", "First story.")));
        warc.extend(gz(&html_response("https://a.example/two", "Second story.")));
        let (docs, skips) = read_bytes("crawl.warc.gz", &warc);
        assert_eq!(docs.len(), 2, "{skips:?}");
        assert_eq!(docs[1].id, "crawl-2");

        let mut truncated = gz(&html_response("https://a.example/one", "First story."));
        let second = gz(&html_response("https://a.example/two", "Second story."));
        truncated.extend_from_slice(&second[..second.len() / 2]);
        let (docs, skips) = read_bytes("cut.warc.gz", &truncated);
        assert_eq!(docs.len(), 1);
        assert_eq!(skips.len(), 1, "{skips:?}");
        assert!(skips[0].reason.contains("gzip stream cut off or corrupt after record 1"), "{}", skips[0].reason);
    }

    #[test]
    fn corrupt_records_in_the_middle_do_not_lose_their_neighbours() {
        // A garbled header, then a record whose Content-Length overshoots into the next one.
        let mut warc = Vec::new();
        warc.extend(html_response("https://a.example/one", "First story."));
        warc.extend_from_slice(b"WARC/1.0\r\nthis line is garbage\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n");
        let body = page("Broken story.");
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
        warc.extend(
            format!(
                "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/bad\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
                http.len() + 40
            )
            .into_bytes(),
        );
        warc.extend(html_response("https://a.example/three", "Third story."));
        warc.extend_from_slice(b"random noise that is not a record\r\n");
        warc.extend(html_response("https://a.example/four", "Fourth story."));
        let (docs, skips) = read_bytes("damaged.warc", &warc);
        let urls: Vec<&str> = docs.iter().filter_map(|d| d.url.as_deref()).collect();
        assert_eq!(urls, ["https://a.example/one", "https://a.example/three", "https://a.example/four"], "{skips:?}");
        let reasons: Vec<&str> = skips.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].contains("record 2: garbled header line"), "{}", reasons[0]);
        assert!(reasons[1].contains("record 3: Content-Length does not end"), "{}", reasons[1]);
        assert!(reasons[2].contains("record 5: not a WARC record header"), "{}", reasons[2]);
        assert_eq!(docs[1].warnings, ["WARC record is not followed by another record (damaged file?)"]);
    }

    #[test]
    fn error_pages_and_encodings_are_handled() {
        let body = "<html><head><meta charset=\"windows-1252\"></head><body><article><p>Caf\u{e9} owners in the old town said on Monday that rents had risen sharply over the past year, forcing several of them to close for good.</p></article></body></html>";
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(body);
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        http.extend_from_slice(format!("{:x}\r\n", latin.len()).as_bytes());
        http.extend_from_slice(&latin);
        http.extend_from_slice(b"\r\n0\r\n\r\n");
        let mut warc = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: <https://c.example/cafe>\r\nContent-Length: {}\r\n\r\n",
            http.len()
        )
        .into_bytes();
        warc.extend_from_slice(&http);
        warc.extend_from_slice(b"\r\n\r\n");
        warc.extend(response(
            "https://c.example/missing",
            "2024-01-01T00:00:00Z",
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html><body>gone</body></html>",
        ));
        let (docs, skips) = read_bytes("mixed.warc", &warc);
        assert_eq!(docs.len(), 1, "{skips:?}");
        assert!(docs[0].text.starts_with("Caf\u{e9} owners"), "{}", docs[0].text);
        assert_eq!(docs[0].url.as_deref(), Some("https://c.example/cafe"));
        assert_eq!(skips.len(), 1);
        assert!(skips[0].reason.contains("HTTP status 404"), "{}", skips[0].reason);
    }

    #[test]
    fn a_file_without_records_says_so() {
        let (docs, skips) = read_bytes("empty.warc", b"");
        assert!(docs.is_empty());
        assert_eq!(skips[0].reason, "no HTML response records");
    }

    #[test]
    fn dechunk_reads_chunks_and_refuses_broken_ones() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").as_deref(), Some(&b"abcde"[..]));
        assert_eq!(dechunk(b"zz\r\nabc"), None);
        assert_eq!(dechunk(b"10\r\nabc"), None);
    }
}
