//! Files to documents: finding the input files under the given paths, deciding the format by
//! extension, and reading each file defensively — size limit, binary sniffing, lossy UTF-8,
//! empty files, and JSONL streamed line by line with a per-line limit.
//!
//! Every problem becomes a [`Skipped`] with a one-line reason or a warning on the document;
//! nothing here panics or stops early on bad input. It must not interpret article content
//! beyond choosing the reader: text and HTML semantics live in the crate root and `html`.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crosscheck_model::{Document, Skipped, SourceFormat};
use serde_json::Value;

#[cfg(test)]
use crate::encoding::LOSSY_WARNING;
use crate::{document_from_html_with, document_from_text, HtmlExtractor, Metadata, ReadItem};

/// Largest file read whole (every format but JSONL), and largest single JSONL line.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// How much of a file is sniffed for binary content.
const SNIFF_BYTES: usize = 8 * 1024;

fn skipped(origin: impl Into<String>, reason: impl Into<String>) -> Skipped {
    Skipped { origin: origin.into(), reason: reason.into() }
}

/// Which reader a file goes to, by its name; some are refined by sniffing the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text(SourceFormat),
    Jsonl,
    Feed,
    /// `.xml`: a feed when its root element is one, else refused.
    Xml,
    /// `.json`: a JSON Feed, else an array of records.
    Json,
    Warc,
    /// CSV / TSV with this delimiter.
    Table(u8),
}

/// The reader for a file name's extension, or the reason it has none.
pub(crate) fn kind_of(path: &Path) -> Result<Kind, String> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_ascii_lowercase();
    if name.ends_with(".warc.gz") {
        return Ok(Kind::Warc);
    }
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return Err("unsupported file type (no extension)".to_string());
    };
    match ext.to_ascii_lowercase().as_str() {
        "txt" | "text" => Ok(Kind::Text(SourceFormat::Text)),
        "md" | "markdown" => Ok(Kind::Text(SourceFormat::Markdown)),
        "html" | "htm" | "xhtml" => Ok(Kind::Text(SourceFormat::Html)),
        "jsonl" | "ndjson" => Ok(Kind::Jsonl),
        "rss" | "atom" => Ok(Kind::Feed),
        "xml" => Ok(Kind::Xml),
        "json" => Ok(Kind::Json),
        "warc" => Ok(Kind::Warc),
        "csv" => Ok(Kind::Table(b',')),
        "tsv" | "tab" => Ok(Kind::Table(b'\t')),
        _ => Err(format!("unsupported file type .{ext}")),
    }
}

/// What well-known binary formats a file really is, by magic bytes: a page saved as `.html`
/// that is in fact a PDF or an image is refused with this, not read as mojibake.
pub(crate) fn binary_kind(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive (or an office document)"),
        (b"\x1F\x8B", "gzip-compressed data"),
        (b"\xD0\xCF\x11\xE0", "an old office document"),
        (b"\x7FELF", "an executable"),
    ];
    if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        return Some("a WebP image");
    }
    MAGIC.iter().find(|(magic, _)| head.starts_with(magic)).map(|(_, what)| *what)
}

/// True for an argument that names a URL (`http://…`, `https://…`) rather than a path.
pub(crate) fn is_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not found".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

/// Expands files and directories into the input files to read, in a deterministic order:
/// the given paths in order, each directory's files sorted by path. Hidden entries inside
/// directories are passed over silently; everything else that cannot be read comes back
/// as [`Skipped`].
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skips = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut accept = |path: PathBuf, files: &mut Vec<PathBuf>, skips: &mut Vec<Skipped>| {
        // A file named twice (directly and inside a given directory) is read or skipped once.
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if !seen.insert(key) {
            return;
        }
        match kind_of(&path) {
            Ok(_) => files.push(path),
            Err(reason) => skips.push(skipped(path.display().to_string(), reason)),
        }
    };
    for path in paths {
        if path.to_str().is_some_and(is_url) {
            files.push(path.clone());
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => skips.push(skipped(path.display().to_string(), io_reason(&e))),
            Ok(m) if m.is_dir() => {
                let (found, dir_skips) = walk_dir(path);
                skips.extend(dir_skips);
                for file in found {
                    accept(file, &mut files, &mut skips);
                }
            }
            Ok(_) => accept(path.clone(), &mut files, &mut skips),
        }
    }
    (files, skips)
}

/// All non-hidden files under `root`, sorted, without recursion and without following a
/// symlinked directory twice (loops end there).
fn walk_dir(root: &Path) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skips = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if let Ok(canonical) = std::fs::canonicalize(&dir) {
            if !visited.insert(canonical) {
                continue;
            }
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                skips.push(skipped(dir.display().to_string(), io_reason(&e)));
                continue;
            }
        };
        for entry in entries {
            let path = match entry {
                Ok(entry) => entry.path(),
                Err(e) => {
                    skips.push(skipped(dir.display().to_string(), io_reason(&e)));
                    continue;
                }
            };
            if is_hidden(&path) {
                continue;
            }
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => stack.push(path),
                Ok(_) => files.push(path),
                Err(e) => skips.push(skipped(path.display().to_string(), io_reason(&e))),
            }
        }
    }
    files.sort();
    skips.sort_by(|a, b| a.origin.cmp(&b.origin));
    (files, skips)
}

/// NUL bytes, or mostly control bytes / undecodable sequences, in the first bytes of a file.
pub(crate) fn looks_binary(head: &[u8]) -> bool {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if head.is_empty() {
        return false;
    }
    if head.contains(&0) {
        return true;
    }
    let control =
        head.iter().filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f).count();
    if control * 10 > head.len() {
        return true;
    }
    // Undecodable bytes are not evidence of binary: legacy charsets are mostly high bytes.
    false
}

fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// Reads one input file with default options; see [`read_file_with`].
pub fn read_file(path: &Path, sink: &mut dyn FnMut(ReadItem)) {
    read_file_with(path, &ReadOptions::default(), sink)
}

/// Reads one input file, calling `sink` for each document or skip. Never panics and never
/// stops early: a bad JSONL line, CSV row, feed item or WARC record is reported and the next
/// one is read. Feeds are recognised by extension (`.rss`, `.atom`) or by their root element
/// (`.xml`, `.html`, `.txt` whose first element is `rss` / `feed` / `rdf:RDF`; `.json` naming
/// the JSON Feed version).
pub fn read_file_with(path: &Path, options: &ReadOptions, sink: &mut dyn FnMut(ReadItem)) {
    let origin = path.display().to_string();
    if is_url(&origin) {
        #[cfg(feature = "fetch")]
        return crate::fetch::read_url(&origin, options.html, sink);
        #[cfg(not(feature = "fetch"))]
        return sink(ReadItem::Skipped(skipped(origin, "URLs are not read: built without the `fetch` feature")));
    }
    let kind = match kind_of(path) {
        Ok(k) => k,
        Err(reason) => return sink(ReadItem::Skipped(skipped(origin, reason))),
    };
    match kind {
        Kind::Jsonl => return read_jsonl_limited(path, MAX_FILE_BYTES, options.html, sink),
        Kind::Warc => return crate::warc::read_warc(path, options.html, sink),
        _ => {}
    }
    let bytes = match read_limited(path) {
        Ok(bytes) => bytes,
        Err(reason) => return sink(ReadItem::Skipped(skipped(origin, reason))),
    };
    if let Some(what) = binary_kind(&bytes) {
        let expected = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        return sink(ReadItem::Skipped(skipped(origin, format!("not a .{expected} file: the content is {what}"))));
    }
    let stem = file_stem(path);
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| origin.clone());
    let sniffable = matches!(kind, Kind::Feed | Kind::Xml | Kind::Json | Kind::Text(_));
    if sniffable && (kind == Kind::Feed || crate::feed::looks_like_feed(&bytes)) {
        // Raw bytes: feed-rs decodes by the XML prolog's declared encoding.
        return crate::feed::read_feed(
            &bytes,
            &origin,
            &stem,
            linked_page_reader(options).as_ref().map(|r| r as _),
            sink,
        );
    }
    if kind == Kind::Xml {
        return sink(ReadItem::Skipped(skipped(origin, "XML without a feed root element (rss, feed, rdf:RDF)")));
    }
    if !crate::encoding::is_utf16(&bytes) && looks_binary(&bytes) {
        return sink(ReadItem::Skipped(skipped(origin, "binary file")));
    }
    let mut warnings = Vec::new();
    let declared = match kind {
        Kind::Text(SourceFormat::Html) => crate::encoding::declared_html_charset(&bytes),
        _ => None,
    };
    let text = crate::encoding::decode(&bytes, declared, &mut warnings);
    drop(bytes);
    if text.trim().is_empty() {
        return sink(ReadItem::Skipped(skipped(origin, "empty")));
    }
    let names = (origin.as_str(), stem.as_str(), file_name.as_str());
    let mut sink_with_warnings = |item: ReadItem| match item {
        ReadItem::Document(d) => sink(ReadItem::Document(with_warnings(d, warnings.clone()))),
        skip => sink(skip),
    };
    let format = match kind {
        Kind::Table(delimiter) => {
            return crate::table::read_csv(&text, delimiter, &options.table, names, &mut sink_with_warnings)
        }
        Kind::Json => return crate::table::read_json(&text, &options.table, names, &mut sink_with_warnings),
        Kind::Text(format) => format,
        Kind::Jsonl | Kind::Warc | Kind::Feed | Kind::Xml => return,
    };
    let document = match format {
        SourceFormat::Html => {
            match document_from_html_with(stem, origin.clone(), &text, Metadata::default(), options.html) {
                Ok(d) => d,
                Err(e) => return sink(ReadItem::Skipped(skipped(origin, e.to_string()))),
            }
        }
        _ => document_from_text(stem, origin, format, &text, Metadata::default()),
    };
    sink(ReadItem::Document(with_warnings(document, warnings)))
}

/// How inputs are read; the defaults suit most piles of articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    pub table: crate::table::TableOptions,
    /// Boilerplate remover for HTML pages (files, WARC records, JSONL `html` fields).
    pub html: crate::HtmlExtractor,
    /// Fetch the linked page of feed items that carry no text (needs the `fetch` feature).
    pub fetch_linked_pages: bool,
}

/// The page reader feeds use for items without text, when fetching is enabled.
#[cfg(feature = "fetch")]
fn linked_page_reader(options: &ReadOptions) -> Option<impl Fn(&str, &mut dyn FnMut(ReadItem))> {
    let html = options.html;
    options
        .fetch_linked_pages
        .then_some(move |link: &str, sink: &mut dyn FnMut(ReadItem)| crate::fetch::read_url(link, html, sink))
}

/// Without the `fetch` feature there is no page reader (`--fetch` has no effect).
#[cfg(not(feature = "fetch"))]
type NoPageReader = fn(&str, &mut dyn FnMut(ReadItem));

#[cfg(not(feature = "fetch"))]
fn linked_page_reader(_: &ReadOptions) -> Option<NoPageReader> {
    None
}

fn with_warnings(mut document: Document, warnings: Vec<String>) -> Document {
    for w in warnings {
        if !document.warnings.contains(&w) {
            document.warnings.push(w);
        }
    }
    document
}

pub(crate) fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "document".to_string())
}

/// The whole file, refusing files over [`MAX_FILE_BYTES`] (checked before and while reading,
/// since a file can grow in between).
fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| io_reason(&e))?;
    let declared = file.metadata().map(|m| m.len()).unwrap_or(0);
    if declared > MAX_FILE_BYTES {
        return Err(too_large(declared));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(bytes: u64) -> String {
    format!("file too large ({} MB > {} MB)", megabytes(bytes), megabytes(MAX_FILE_BYTES))
}

/// One line read under a size limit.
pub(crate) enum Line {
    /// The line's bytes are in the buffer (without the newline).
    Complete,
    /// The line was longer than the limit; its bytes were discarded. Holds its length.
    TooLong(u64),
}

/// Reads up to the next `\n`, keeping at most `limit` bytes; `None` at end of input.
pub(crate) fn read_line_limited(
    reader: &mut (impl BufRead + ?Sized),
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<Option<Line>> {
    buf.clear();
    let mut length: u64 = 0;
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            if !read_any {
                return Ok(None);
            }
            break;
        }
        read_any = true;
        let (chunk, found_newline) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], true),
            None => (available, false),
        };
        length += chunk.len() as u64;
        if length > limit {
            too_long = true;
            buf.clear();
        } else {
            buf.extend_from_slice(chunk);
        }
        let used = chunk.len() + usize::from(found_newline);
        reader.consume(used);
        if found_newline {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(if too_long { Line::TooLong(length) } else { Line::Complete }))
}

/// JSONL streamed line by line: one article per line, `text` (or `html`) required.
fn read_jsonl_limited(path: &Path, line_limit: u64, html: HtmlExtractor, sink: &mut dyn FnMut(ReadItem)) {
    split_jsonl(path, line_limit, &mut |piece| match piece {
        JsonlPiece::Line(line) => sink(line.parse(html)),
        JsonlPiece::Skip(s) => sink(ReadItem::Skipped(s)),
    });
}

/// A piece of reading work, handed out in input order by [`split_file`] and done on any thread
/// in any order: splitting a file is cheap, parsing what it yields is not, so a pool can parse
/// while one thread splits.
#[derive(Debug)]
pub enum ReadTask {
    /// Decided while splitting: a skipped file or an unreadable JSONL line.
    Skipped(Skipped),
    /// One JSONL line; [`JsonlLine::parse`] makes it a document or a skip.
    Jsonl(JsonlLine),
    /// A file read whole, all its documents at once, by [`read_file_with`] (every format but
    /// JSONL: one page, a feed, a table, a WARC archive, a URL).
    File(PathBuf),
}

impl ReadTask {
    /// Input bytes this task holds (a JSONL line's length; 0 for a whole file, whose size is
    /// only known when it is read): lets a caller size its batches.
    pub fn held_bytes(&self) -> usize {
        match self {
            ReadTask::Jsonl(line) => line.bytes.len(),
            ReadTask::Skipped(_) | ReadTask::File(_) => 0,
        }
    }
}

/// Where a JSONL line comes from, shared by every line of the file.
#[derive(Debug)]
struct JsonlSource {
    origin: String,
    file_name: String,
    stem: String,
}

/// One non-blank JSONL line under the line limit, not yet parsed.
#[derive(Debug)]
pub struct JsonlLine {
    bytes: Vec<u8>,
    line_number: usize,
    source: std::sync::Arc<JsonlSource>,
}

impl JsonlLine {
    /// The line as a document (decoded, JSON parsed, metadata and language detected), or the
    /// reason it is skipped — exactly what reading the file in one go gives for this line.
    pub fn parse(self, html: HtmlExtractor) -> ReadItem {
        let JsonlLine { bytes, line_number, source } = self;
        let mut warnings = Vec::new();
        let text = crate::encoding::decode(&bytes, None, &mut warnings);
        match jsonl_document(&text, &source.stem, line_number, &source.origin, html) {
            Ok(document) => ReadItem::Document(with_warnings(document, warnings)),
            Err(what) => ReadItem::Skipped(skipped(
                format!("{}:{line_number}", source.origin),
                format!("{}:{line_number}: {what}", source.file_name),
            )),
        }
    }
}

enum JsonlPiece {
    Line(JsonlLine),
    Skip(Skipped),
}

/// Splits one input into [`ReadTask`]s, in input order: a JSONL file line by line (sniffed for
/// binary content first, lines over [`MAX_FILE_BYTES`] skipped, an empty file reported), any
/// other file or URL as one [`ReadTask::File`]. Doing every task in order gives exactly the
/// items of [`read_file_with`].
pub fn split_file(path: &Path, sink: &mut dyn FnMut(ReadTask)) {
    let is_jsonl = !path.to_str().is_some_and(is_url) && kind_of(path) == Ok(Kind::Jsonl);
    if !is_jsonl {
        return sink(ReadTask::File(path.to_path_buf()));
    }
    split_jsonl(path, MAX_FILE_BYTES, &mut |piece| match piece {
        JsonlPiece::Line(line) => sink(ReadTask::Jsonl(line)),
        JsonlPiece::Skip(s) => sink(ReadTask::Skipped(s)),
    });
}

/// The lines of a JSONL file, unparsed, with the skips reading finds on its own.
fn split_jsonl(path: &Path, line_limit: u64, sink: &mut dyn FnMut(JsonlPiece)) {
    let origin = path.display().to_string();
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| origin.clone());
    let stem = file_stem(path);
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return sink(JsonlPiece::Skip(skipped(origin, io_reason(&e)))),
    };
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if let Err(e) = (&mut file).take(SNIFF_BYTES as u64).read_to_end(&mut head) {
        return sink(JsonlPiece::Skip(skipped(origin, io_reason(&e))));
    }
    if looks_binary(&head) {
        return sink(JsonlPiece::Skip(skipped(origin, "binary file")));
    }
    let source = std::sync::Arc::new(JsonlSource { origin: origin.clone(), file_name: file_name.clone(), stem });
    // Re-read from the start through one buffered reader (the sniffed head is small).
    let mut reader = BufReader::with_capacity(64 * 1024, std::io::Cursor::new(head).chain(file));
    let mut buf = Vec::new();
    let mut line_number = 0usize;
    let mut any_content = false;
    loop {
        let line = match read_line_limited(&mut reader, &mut buf, line_limit) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                let at = format!("{origin}:{}", line_number + 1);
                sink(JsonlPiece::Skip(skipped(at, format!("{file_name}:{}: {}", line_number + 1, io_reason(&e)))));
                break;
            }
        };
        line_number += 1;
        if let Line::TooLong(length) = line {
            any_content = true;
            let what = format!("line too large ({} MB > {} MB)", megabytes(length), megabytes(line_limit));
            sink(JsonlPiece::Skip(skipped(
                format!("{origin}:{line_number}"),
                format!("{file_name}:{line_number}: {what}"),
            )));
            continue;
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        any_content = true;
        // An exact-size copy travels with the line; the buffer keeps its capacity for the next.
        let bytes = buf.clone();
        sink(JsonlPiece::Line(JsonlLine { bytes, line_number, source: std::sync::Arc::clone(&source) }));
    }
    if !any_content {
        sink(JsonlPiece::Skip(skipped(origin, "empty")));
    }
}

fn string_field(object: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// One JSONL line to a document, or the reason it is not one.
fn jsonl_document(
    line: &str,
    stem: &str,
    line_number: usize,
    origin: &str,
    html_extractor: HtmlExtractor,
) -> Result<Document, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(object) = value else {
        return Err("not a JSON object".to_string());
    };
    let id = match object.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => format!("{stem}-{line_number}"),
    };
    let meta = Metadata {
        url: string_field(&object, "url"),
        outlet: string_field(&object, "outlet"),
        date: string_field(&object, "date"),
        title: string_field(&object, "title"),
        author: string_field(&object, "author"),
    };
    let origin = format!("{origin}#{line_number}");
    match (object.get("text"), object.get("html")) {
        (Some(Value::String(text)), _) => {
            if text.trim().is_empty() {
                return Err("empty text".to_string());
            }
            Ok(document_from_text(id, origin, SourceFormat::Jsonl, text, meta))
        }
        (_, Some(Value::String(html))) => {
            let mut document =
                document_from_html_with(id, origin, html, meta, html_extractor).map_err(|e| e.to_string())?;
            document.format = SourceFormat::Jsonl;
            Ok(document)
        }
        _ => Err("missing text".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn collect(path: &Path) -> Vec<ReadItem> {
        let mut items = Vec::new();
        read_file(path, &mut |item| items.push(item));
        items
    }

    fn only_document(items: Vec<ReadItem>) -> Document {
        match items.as_slice() {
            [ReadItem::Document(d)] => d.clone(),
            other => panic!("expected one document, got {other:?}"),
        }
    }

    fn only_skip(items: Vec<ReadItem>) -> Skipped {
        match items.as_slice() {
            [ReadItem::Skipped(s)] => s.clone(),
            other => panic!("expected one skip, got {other:?}"),
        }
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        let mut f = File::create(&path).unwrap_or_else(|e| panic!("create {name}: {e}"));
        f.write_all(bytes).unwrap_or_else(|e| panic!("write {name}: {e}"));
        path
    }

    fn temp_dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
    }

    const STORY: &str = "Ferry service resumes\n\nBy Ana Silva\n\nThe ferry service resumed on Monday after the storm, the operator said.\n";

    #[test]
    fn text_file_keeps_content_and_detects_metadata() {
        let dir = temp_dir();
        let path = write(dir.path(), "ferry.txt", STORY.as_bytes());
        let d = only_document(collect(&path));
        assert_eq!(d.id, "ferry");
        assert_eq!(d.format, SourceFormat::Text);
        assert_eq!(d.text, STORY);
        assert_eq!(d.title.as_deref(), Some("Ferry service resumes"));
        assert_eq!(d.author.as_deref(), Some("Ana Silva"));
        assert_eq!(d.origin, path.display().to_string());
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn markdown_is_kept_as_is() {
        let dir = temp_dir();
        let md = "# Ferry service resumes\n\nThe **ferry** resumed on Monday.\n";
        let d = only_document(collect(&write(dir.path(), "ferry.MD", md.as_bytes())));
        assert_eq!(d.format, SourceFormat::Markdown);
        assert_eq!(d.text, md);
        assert_eq!(d.title.as_deref(), Some("Ferry service resumes"));
    }

    #[test]
    fn html_file_goes_through_the_extractor() {
        let dir = temp_dir();
        let html = "<html><head><title>Ferry back | Example</title><meta property=\"og:site_name\" content=\"Example\"></head><body><article><p>The ferry service resumed on Monday after the storm had kept boats in harbour for a week, the operator said in a statement.</p><p>Passengers queued from early morning, and the first crossing left on time despite strong winds along the coast.</p></article></body></html>";
        let d = only_document(collect(&write(dir.path(), "page.htm", html.as_bytes())));
        assert_eq!(d.format, SourceFormat::Html);
        assert_eq!(d.id, "page");
        assert!(d.text.starts_with("The ferry service resumed"), "{}", d.text);
        assert_eq!(d.title.as_deref(), Some("Ferry back"));
        assert_eq!(d.outlet.as_deref(), Some("Example"));
    }

    #[test]
    fn unsupported_binary_empty_and_missing_files_are_skipped_with_reasons() {
        let dir = temp_dir();
        let s = only_skip(collect(&write(dir.path(), "scan.pdf", b"%PDF-1.4")));
        assert_eq!(s.reason, "unsupported file type .pdf");
        let s = only_skip(collect(&write(dir.path(), "noext", b"text")));
        assert_eq!(s.reason, "unsupported file type (no extension)");
        let s = only_skip(collect(&write(dir.path(), "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")));
        assert_eq!(s.reason, "not a .txt file: the content is a PNG image");
        let s = only_skip(collect(&write(dir.path(), "page.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")));
        assert_eq!(s.reason, "not a .html file: the content is a PDF document");
        let s = only_skip(collect(&write(dir.path(), "story.htm", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")));
        assert_eq!(s.reason, "not a .htm file: the content is a PNG image");
        let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 31) as u8 + 1).collect();
        let s = only_skip(collect(&write(dir.path(), "noise.txt", &noise)));
        assert_eq!(s.reason, "binary file");
        let s = only_skip(collect(&write(dir.path(), "blank.md", b"  \n\t\n ")));
        assert_eq!(s.reason, "empty");
        let s = only_skip(collect(&write(dir.path(), "nothing.txt", b"")));
        assert_eq!(s.reason, "empty");
        let s = only_skip(collect(&dir.path().join("absent.txt")));
        assert_eq!(s.reason, "not found");
    }

    #[test]
    fn undeclared_legacy_bytes_are_decoded_by_a_guess_with_a_warning() {
        let dir = temp_dir();
        let d = only_document(collect(&write(dir.path(), "latin.txt", b"Caf\xe9 owners said prices rose.\n")));
        assert_eq!(d.text, "Caf\u{e9} owners said prices rose.\n");
        assert_eq!(
            d.warnings,
            vec!["invalid UTF-8 and no charset declared; decoded as windows-1252 (guessed)".to_string()]
        );
    }

    #[test]
    fn html_in_a_declared_legacy_encoding_is_decoded_without_warning() {
        let dir = temp_dir();
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body><article><p>Caf".to_vec();
        page.extend_from_slice(b"\xe9 owners in the old town said on Monday that rents had risen sharply over the past year, forcing several to close.</p></article></body></html>");
        let d = only_document(collect(&write(dir.path(), "legacy.html", &page)));
        assert!(d.text.starts_with("Caf\u{e9} owners"), "{}", d.text);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        // Declared UTF-8 but broken: lossy, with the warning.
        let broken = b"<meta charset=utf-8><p>Caf\xe9 owners in the old town said on Monday that rents had risen sharply over the past year.</p>";
        let d = only_document(collect(&write(dir.path(), "broken.html", broken)));
        assert_eq!(d.warnings, vec![LOSSY_WARNING.to_string()]);
    }

    #[test]
    fn utf8_bom_is_dropped_and_utf16_is_decoded() {
        let dir = temp_dir();
        let d = only_document(collect(&write(dir.path(), "bom.txt", b"\xEF\xBB\xBFHello there.")));
        assert_eq!(d.text, "Hello there.");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("Hi all.".encode_utf16().flat_map(u16::to_le_bytes));
        let d = only_document(collect(&write(dir.path(), "wide.txt", &utf16)));
        assert_eq!(d.text, "Hi all.");
    }

    #[test]
    fn too_large_message_names_sizes() {
        assert_eq!(too_large(MAX_FILE_BYTES + 1), "file too large (65 MB > 64 MB)");
        assert_eq!(too_large(200 * 1024 * 1024), "file too large (200 MB > 64 MB)");
    }

    #[test]
    fn oversized_file_is_skipped_without_reading_it() {
        let dir = temp_dir();
        let path = dir.path().join("huge.txt");
        let file = File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        // A sparse file: the size is declared without writing 65 MB.
        file.set_len(MAX_FILE_BYTES + 1024 * 1024).unwrap_or_else(|e| panic!("{e}"));
        let s = only_skip(collect(&path));
        assert_eq!(s.reason, "file too large (65 MB > 64 MB)");
    }

    #[test]
    fn jsonl_lines_become_documents_and_bad_lines_are_skipped() {
        let dir = temp_dir();
        let content = concat!(
            "{\"id\": \"a1\", \"text\": \"The mayor said the bridge would reopen.\", \"url\": \"https://news.example/a1\", \"outlet\": \"Example News\", \"date\": \"March 3, 2024\", \"title\": \"Bridge to reopen\"}\n",
            "{\"text\": \"Second story body.\\nSource: Other Outlet\"}\n",
            "this is not json\n",
            "\n",
            "{\"title\": \"no body\"}\n",
            "[1, 2]\n",
            "{\"text\": \"   \"}\n",
            "{\"id\": 7, \"text\": \"Numbered story.\"}\r\n",
        );
        let mut bytes = content.as_bytes().to_vec();
        bytes.extend_from_slice(b"{\"text\": \"Caf\xe9 story.\"}\n");
        bytes.extend_from_slice(b"{\"text\": \"Last line without newline.\"}");
        let path = write(dir.path(), "batch.jsonl", &bytes);
        let items = collect(&path);
        let origin = path.display().to_string();
        let mut docs = Vec::new();
        let mut skips = Vec::new();
        for item in items {
            match item {
                ReadItem::Document(d) => docs.push(d),
                ReadItem::Skipped(s) => skips.push(s),
            }
        }
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a1", "batch-2", "7", "batch-9", "batch-10"]);
        assert_eq!(docs[0].url.as_deref(), Some("https://news.example/a1"));
        assert_eq!(docs[0].outlet.as_deref(), Some("Example News"));
        assert_eq!(docs[0].date.as_deref(), Some("2024-03-03"));
        assert_eq!(docs[0].title.as_deref(), Some("Bridge to reopen"));
        assert_eq!(docs[0].origin, format!("{origin}#1"));
        assert_eq!(docs[0].format, SourceFormat::Jsonl);
        // Detected from the text when not given.
        assert_eq!(docs[1].outlet.as_deref(), Some("Other Outlet"));
        assert_eq!(docs[3].text, "Caf\u{e9} story.");
        assert_eq!(
            docs[3].warnings,
            vec!["invalid UTF-8 and no charset declared; decoded as windows-1252 (guessed)".to_string()]
        );
        assert_eq!(docs[2].text, "Numbered story.");

        let reasons: Vec<(&str, &str)> = skips.iter().map(|s| (s.origin.as_str(), s.reason.as_str())).collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert_eq!(reasons[0].0, format!("{origin}:3"));
        assert!(reasons[0].1.starts_with("batch.jsonl:3: not JSON: "), "{}", reasons[0].1);
        assert_eq!(reasons[1].1, "batch.jsonl:5: missing text");
        assert_eq!(reasons[2].1, "batch.jsonl:6: not a JSON object");
        assert_eq!(reasons[3].1, "batch.jsonl:7: empty text");
    }

    /// Doing a file's tasks in order, on other threads or not, gives what reading it gives.
    fn items_from_tasks(path: &Path) -> Vec<ReadItem> {
        let mut tasks = Vec::new();
        split_file(path, &mut |task| tasks.push(task));
        let mut items = Vec::new();
        for task in tasks {
            match task {
                ReadTask::Skipped(s) => items.push(ReadItem::Skipped(s)),
                ReadTask::Jsonl(line) => {
                    assert!(!line.bytes.is_empty());
                    items.push(std::thread::spawn(move || line.parse(HtmlExtractor::default())).join().expect("parse"))
                }
                ReadTask::File(path) => read_file(&path, &mut |item| items.push(item)),
            }
        }
        items
    }

    #[test]
    fn split_tasks_give_the_items_of_reading_the_file() {
        let dir = temp_dir();
        let mut jsonl = concat!(
            "{\"id\": \"a1\", \"text\": \"The mayor said the bridge would reopen.\", \"date\": \"March 3, 2024\"}\n",
            "not json\n\n",
            "{\"text\": \"   \"}\n",
            "{\"text\": \"Le conseil municipal a approuv\\u00e9 le nouveau budget mardi soir apr\\u00e8s un long d\\u00e9bat.\"}\r\n",
        )
        .as_bytes()
        .to_vec();
        jsonl.extend_from_slice(b"{\"text\": \"Caf\xe9 story.\"}");
        let paths = [
            write(dir.path(), "mixed.jsonl", &jsonl),
            write(dir.path(), "blank.jsonl", b"\n \n"),
            write(dir.path(), "bin.jsonl", b"{\"text\":\0}"),
            write(dir.path(), "story.txt", b"Harbour reopens\n\nThe harbour reopened on Monday."),
            dir.path().join("absent.jsonl"),
        ];
        for path in &paths {
            let expected = collect(path);
            assert!(!expected.is_empty());
            assert_eq!(items_from_tasks(path), expected, "{}", path.display());
        }
        let mut tasks = Vec::new();
        split_file(&paths[0], &mut |task| tasks.push(task));
        let kinds: Vec<&str> = tasks
            .iter()
            .map(|t| match t {
                ReadTask::Skipped(_) => "skipped",
                ReadTask::Jsonl(_) => "line",
                ReadTask::File(_) => "file",
            })
            .collect();
        // Lines are parsed later, even the bad ones; only blank lines vanish.
        assert_eq!(kinds, ["line", "line", "line", "line", "line"]);
        assert_eq!(tasks[0].held_bytes(), jsonl.iter().position(|&b| b == b'\n').unwrap_or(0));
        let mut tasks = Vec::new();
        split_file(&paths[3], &mut |task| tasks.push(task));
        assert!(matches!(tasks.as_slice(), [ReadTask::File(p)] if p == &paths[3]));
    }

    #[test]
    fn jsonl_line_over_the_limit_is_skipped_and_reading_goes_on() {
        let dir = temp_dir();
        let long_text = "word ".repeat(100);
        let content = format!("{{\"text\": \"{long_text}\"}}\n{{\"text\": \"short one\"}}\n");
        let path = write(dir.path(), "long.jsonl", content.as_bytes());
        let mut items = Vec::new();
        read_jsonl_limited(&path, 100, HtmlExtractor::default(), &mut |item| items.push(item));
        assert_eq!(items.len(), 2);
        match &items[0] {
            ReadItem::Skipped(s) => assert_eq!(s.reason, "long.jsonl:1: line too large (1 MB > 1 MB)"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(&items[1], ReadItem::Document(d) if d.text == "short one"));
    }

    #[test]
    fn deeply_nested_json_line_is_refused_not_overflowed() {
        let dir = temp_dir();
        let mut line = "[".repeat(100_000);
        line.push_str(&"]".repeat(100_000));
        line.push_str("\n{\"text\": \"after\"}\n");
        let items = collect(&write(dir.path(), "deep.jsonl", line.as_bytes()));
        assert_eq!(items.len(), 2);
        match &items[0] {
            ReadItem::Skipped(s) => {
                assert!(s.reason.starts_with("deep.jsonl:1: not JSON: recursion limit"), "{}", s.reason)
            }
            other => panic!("{other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn discover_survives_a_symlink_loop() {
        let dir = temp_dir();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap_or_else(|e| panic!("{e}"));
        write(&sub, "a.txt", b"a");
        std::os::unix::fs::symlink(dir.path(), sub.join("loop")).unwrap_or_else(|e| panic!("{e}"));
        let (files, _) = discover(&[dir.path().to_path_buf()]);
        assert_eq!(files.len(), 1, "{files:?}");
    }

    #[test]
    fn empty_and_binary_jsonl_files() {
        let dir = temp_dir();
        let s = only_skip(collect(&write(dir.path(), "none.jsonl", b"\n\n")));
        assert_eq!(s.reason, "empty");
        let s = only_skip(collect(&write(dir.path(), "bin.jsonl", b"{\"text\":\0\0}")));
        assert_eq!(s.reason, "binary file");
    }

    #[test]
    fn jsonl_html_field_is_extracted() {
        let dir = temp_dir();
        let html = "<html><body><article><p>The council approved the new budget on Tuesday after a long debate that ran late into the night, officials said.</p></article></body></html>";
        let line = serde_json::json!({"id": "h", "html": html}).to_string();
        let d = only_document(collect(&write(dir.path(), "pages.jsonl", line.as_bytes())));
        assert_eq!(d.format, SourceFormat::Jsonl);
        assert!(d.text.contains("approved the new budget"), "{}", d.text);
    }

    #[test]
    fn discover_walks_directories_sorted_and_reports_skips() {
        let dir = temp_dir();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/inner")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(root.join(".git")).unwrap_or_else(|e| panic!("{e}"));
        write(root, "z.txt", b"z");
        write(root, "a.md", b"a");
        write(&root.join("b"), "c.html", b"<p>c</p>");
        write(&root.join("b/inner"), "d.jsonl", b"{}");
        write(&root.join("b"), "photo.jpg", b"\xff\xd8");
        write(root, ".hidden.txt", b"h");
        write(&root.join(".git"), "config.txt", b"x");
        let explicit = write(root, "notes.xyz", b"x");
        let (files, skips) = discover(&[root.to_path_buf(), explicit, root.join("missing.txt"), root.join("a.md")]);
        let names: Vec<String> =
            files.iter().map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string()).collect();
        assert_eq!(names, ["a.md", "b/c.html", "b/inner/d.jsonl", "z.txt"]);
        let reasons: Vec<&str> = skips.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons, ["unsupported file type .jpg", "unsupported file type .xyz", "not found"]);
    }

    #[test]
    fn feeds_tables_and_archives_are_routed_by_extension_and_content() {
        let dir = temp_dir();
        let rss = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Town News</title><item><title>Road closed</title><description>The main road was closed on Friday for repairs.</description></item></channel></rss>";
        for name in ["news.rss", "news.xml", "news.html", "news.txt"] {
            let d = only_document(collect(&write(dir.path(), name, rss)));
            assert_eq!(d.text, "The main road was closed on Friday for repairs.", "{name}");
            assert_eq!(d.outlet.as_deref(), Some("Town News"), "{name}");
            assert_eq!(d.id, "news-1");
        }
        let s = only_skip(collect(&write(
            dir.path(),
            "config.xml",
            b"<?xml version=\"1.0\"?><settings><a>1</a></settings>",
        )));
        assert_eq!(s.reason, "XML without a feed root element (rss, feed, rdf:RDF)");
        let s = only_skip(collect(&write(
            dir.path(),
            "broken.rss",
            b"<rss version=\"2.0\"><channel><item><title>x</channel>",
        )));
        assert!(s.reason.starts_with("invalid feed"), "{}", s.reason);
        let d = only_document(collect(&write(
            dir.path(),
            "rows.csv",
            b"title,text\nPier,The pier reopened after repairs.\n",
        )));
        assert_eq!(
            (d.id.as_str(), d.text.as_str(), d.title.as_deref()),
            ("rows-1", "The pier reopened after repairs.", Some("Pier"))
        );
        let d = only_document(collect(&write(
            dir.path(),
            "rows.json",
            b"[{\"body\": \"The pier reopened after the long repairs.\"}]",
        )));
        assert_eq!(d.text, "The pier reopened after the long repairs.");
        let s = only_skip(collect(&write(dir.path(), "crawl.warc.gz", b"\x1f\x8b\x08\x00garbage")));
        assert!(s.reason.contains("gzip stream cut off or corrupt"), "{}", s.reason);
        // Options reach the table reader.
        let path = write(dir.path(), "two.csv", b"text,summary\nShort,A much longer summary of the council meeting.\n");
        let options = ReadOptions {
            table: crate::TableOptions { text_column: Some("summary".into()) },
            ..ReadOptions::default()
        };
        let mut items = Vec::new();
        read_file_with(&path, &options, &mut |item| items.push(item));
        assert_eq!(only_document(items).text, "A much longer summary of the council meeting.");
        let (files, skips) = discover(&[dir.path().to_path_buf()]);
        assert_eq!(files.len(), 10, "{files:?} {skips:?}");
        assert!(skips.is_empty());
    }

    #[test]
    fn windows_1252_and_iso_8859_6_html_and_utf16_text_files() {
        let dir = temp_dir();
        let mut page = b"<html><body><article><p>Caf".to_vec();
        page.extend_from_slice(b"\xe9 owners in the old town said on Monday that rents had risen \x93sharply\x94 over the past year, forcing several to close.</p></article></body></html>");
        let d = only_document(collect(&write(dir.path(), "undeclared.html", &page)));
        assert!(d.text.starts_with("Caf\u{e9} owners"), "{}", d.text);
        assert!(d.text.contains("\u{201c}sharply\u{201d}"), "{}", d.text);
        assert_eq!(d.warnings, ["invalid UTF-8 and no charset declared; decoded as windows-1252 (guessed)"]);
        let arabic = "\u{648}\u{627}\u{641}\u{642} \u{627}\u{644}\u{645}\u{62c}\u{644}\u{633} \u{627}\u{644}\u{628}\u{644}\u{62f}\u{64a} \u{639}\u{644}\u{649} \u{627}\u{644}\u{645}\u{64a}\u{632}\u{627}\u{646}\u{64a}\u{629} \u{627}\u{644}\u{62c}\u{62f}\u{64a}\u{62f}\u{629} \u{628}\u{639}\u{62f} \u{646}\u{642}\u{627}\u{634} \u{637}\u{648}\u{64a}\u{644}";
        let html = format!("<html><head><meta charset=\"iso-8859-6\"></head><body><article><p>{arabic}</p><p>{arabic}</p></article></body></html>");
        let (bytes, _, _) = encoding_rs::ISO_8859_6.encode(&html);
        let d = only_document(collect(&write(dir.path(), "arabic.html", &bytes)));
        assert!(d.text.contains(arabic), "{}", d.text);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert_eq!(d.language.as_deref(), Some("ar"));
        let text = "The harbour authority said on Tuesday that the ferry would run again next week.";
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = only_document(collect(&write(dir.path(), "wide.txt", &utf16)));
        assert_eq!(d.text, text);
        assert_eq!(d.language.as_deref(), Some("en"));
    }

    #[test]
    fn discover_is_deterministic() {
        let dir = temp_dir();
        for name in ["m.txt", "b.txt", "x.txt", "a.txt"] {
            write(dir.path(), name, b"t");
        }
        let first = discover(&[dir.path().to_path_buf()]);
        let second = discover(&[dir.path().to_path_buf()]);
        assert_eq!(first, second);
    }

    #[test]
    fn sniffer_accepts_text_and_cut_multibyte() {
        assert!(!looks_binary("Ordinary text.\n\tIndented line\r\n".as_bytes()));
        let mut cut = "é".repeat(5000).into_bytes();
        cut.truncate(SNIFF_BYTES + 1);
        assert!(!looks_binary(&cut));
        assert!(looks_binary(b"abc\0def"));
    }
}
