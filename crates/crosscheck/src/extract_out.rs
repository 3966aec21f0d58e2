//! `crosscheck extract`'s output, streamed: every extraction is serialised on the worker pool
//! as soon as it is made, kept in input order (in memory up to a fixed budget, then in an
//! unlinked temporary file), and written out once duplicate linking over all documents has
//! filled in `duplicates_of` and `copy_of`.
//!
//! Those two fields are the last of an extraction's JSON object, so a worker serialises the
//! extraction with them empty, cuts them off, and the writer appends them at the end. Between
//! the two, the process holds the compact link corpus (`crosscheck_link::LinkCorpus`), one id
//! and one length per document and at most the budget of serialised bytes — never the
//! extractions — so memory stays bounded however large the input. The bytes written equal serialising the fully linked extractions in one go
//! (`serde_json::to_writer` per line, or `to_writer_pretty` of the array). This module must not
//! decide anything about extraction or linking; it only orders, spills and patches bytes.

use crate::pipeline::{self, Outcome};
use anyhow::{anyhow, Context, Result};
use crosscheck_extract::Extractor;
use crosscheck_ingest::ReadOptions;
use crosscheck_model::{Extraction, Skipped};
use serde::Serialize;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

/// How extractions are laid out on the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One compact JSON object per line.
    Lines,
    /// One pretty-printed JSON array.
    PrettyArray,
}

/// The fields linking fills in, in the order and with the names of [`Extraction`]'s last two.
#[derive(Serialize)]
struct LinkedTail<'a> {
    duplicates_of: &'a [String],
    copy_of: Option<&'a str>,
}

/// What a worker hands the writer for one outcome.
enum Finished {
    Document(Box<FinishedDocument>),
    Skipped(Skipped),
    /// Serialising failed (not expected to happen for any input).
    Failed(String),
}

struct FinishedDocument {
    /// The serialised extraction up to, not including, the `,` before `duplicates_of`.
    head: Vec<u8>,
    /// Its shingles and story terms, computed on the worker thread so the in-order consumer
    /// only appends them to the link corpus.
    link: crosscheck_link::PreparedLinkDoc,
}

impl Layout {
    /// The serialised object of `tail` without its opening `{`, at the depth of an output item.
    fn tail_bytes(self, tail: &LinkedTail<'_>) -> serde_json::Result<Vec<u8>> {
        let object = match self {
            Layout::Lines => serde_json::to_vec(tail)?,
            Layout::PrettyArray => indent_nested(&serde_json::to_vec_pretty(tail)?),
        };
        Ok(object.get(1..).unwrap_or_default().to_vec())
    }

    /// An extraction serialised as an output item, with `duplicates_of` and `copy_of` empty
    /// and cut off: the bytes before the `,` that precedes them.
    fn head_bytes(self, extraction: &Extraction, unlinked_tail: &[u8]) -> std::result::Result<Vec<u8>, String> {
        // Sized for a typical extraction (its JSON is about four times its text), so the
        // buffer rarely grows while serialising.
        let mut bytes = Vec::with_capacity(extraction.text.len() * 4 + 1024);
        match self {
            Layout::Lines => serde_json::to_writer(&mut bytes, extraction),
            Layout::PrettyArray => serde_json::to_writer_pretty(&mut bytes, extraction),
        }
        .map_err(|e| format!("serialising {}: {e}", extraction.id))?;
        if self == Layout::PrettyArray {
            bytes = indent_nested(&bytes);
        }
        // `,` + the tail without its `{`: what serialising put at the end.
        let cut = bytes.len().checked_sub(unlinked_tail.len() + 1);
        match cut {
            Some(cut) if bytes[cut] == b',' && bytes[cut + 1..] == *unlinked_tail => {
                bytes.truncate(cut);
                Ok(bytes)
            }
            _ => Err(format!("serialising {}: duplicates_of and copy_of are not the last fields", extraction.id)),
        }
    }
}

/// Pretty JSON one level deeper (an item of the output array): every line after the first
/// indented by two spaces. Pretty JSON has line breaks only between tokens (a string's own
/// are escaped), so this is exact.
fn indent_nested(pretty: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pretty.len() + pretty.len() / 16);
    for &b in pretty {
        out.push(b);
        if b == b'\n' {
            out.extend_from_slice(b"  ");
        }
    }
    out
}

/// Extracts everything under `paths`, links it, and writes every extraction to `out` in input
/// order. Returns the number of documents written and the skipped inputs, in input order.
///
/// The extractor is taken because it is done with before linking: its tables are freed beside
/// the story grouping rather than after it, on the critical path of the run's end.
pub fn extract_to(
    paths: &[PathBuf],
    read: &ReadOptions,
    extractor: Extractor,
    show_progress: bool,
    layout: Layout,
    out: &mut dyn Write,
) -> Result<(usize, Vec<Skipped>)> {
    let unlinked_tail =
        layout.tail_bytes(&LinkedTail { duplicates_of: &[], copy_of: None }).context("serialising an extraction")?;
    let link = crosscheck_link::LinkConfig::default();
    let finish = |outcome: Outcome, features: Option<crosscheck_link::PreparedLinkDoc>| match outcome {
        Outcome::Skipped(s) => Finished::Skipped(s),
        Outcome::Extracted(item) => {
            let (_, mut extraction) = *item;
            // Linking sets both on every document; until then they are empty.
            extraction.duplicates_of.clear();
            extraction.copy_of = None;
            match layout.head_bytes(&extraction, &unlinked_tail) {
                Err(e) => Finished::Failed(e),
                Ok(head) => Finished::Document(Box::new(FinishedDocument {
                    head,
                    // The pipeline computes them from the extraction's own words.
                    link: features
                        .unwrap_or_else(|| crosscheck_link::PreparedLinkDoc::from_extraction(&link, &extraction)),
                })),
            }
        }
    };

    let mut spill = Spill::new();
    let mut corpus = crosscheck_link::LinkCorpus::new(&link);
    let mut ids: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    let mut failure: Option<anyhow::Error> = None;
    pipeline::run_ordered_linked(paths, read, &extractor, Some(&link), show_progress, None, &finish, |finished| {
        match finished {
            Finished::Skipped(s) => skipped.push(s),
            Finished::Failed(e) => {
                failure.get_or_insert_with(|| anyhow!(e));
            }
            Finished::Document(doc) => {
                if failure.is_some() {
                    return;
                }
                let FinishedDocument { head, link } = *doc;
                if let Err(e) = spill.append(&head) {
                    failure = Some(anyhow::Error::new(e).context("writing the temporary output file"));
                    return;
                }
                corpus.push_prepared(&link);
                ids.push(link.into_id());
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    let story = crosscheck_link::StoryConfig::default();
    let ((), groups) =
        rayon::join(move || drop(extractor), || crosscheck_link::find_story_groups_in(&mut corpus, &story).groups);
    drop(corpus);
    let fields = crosscheck_link::duplicate_fields(&groups);
    drop(groups);

    let mut heads = spill.into_reader().context("reading the temporary output file")?;
    let (open, separator, close) = match layout {
        Layout::Lines => (&b""[..], &b""[..], &b""[..]),
        Layout::PrettyArray if ids.is_empty() => (&b"[]"[..], &b""[..], &b"\n"[..]),
        Layout::PrettyArray => (&b"[\n  "[..], &b",\n  "[..], &b"\n]\n"[..]),
    };
    out.write_all(open)?;
    for (n, id) in ids.iter().enumerate() {
        if n > 0 {
            out.write_all(separator)?;
        }
        out.write_all(heads.next_head().context("reading the temporary output file")?)?;
        out.write_all(b",")?;
        match fields.get(id) {
            None => out.write_all(&unlinked_tail)?,
            Some((others, copy_of)) => {
                let tail = LinkedTail { duplicates_of: others, copy_of: copy_of.as_deref() };
                out.write_all(&layout.tail_bytes(&tail).context("serialising an extraction")?)?;
            }
        }
        if layout == Layout::Lines {
            out.write_all(b"\n")?;
        }
    }
    out.write_all(close)?;
    Ok((ids.len(), skipped))
}

/// Serialised heads kept in memory, up to this many bytes; later ones go to a temporary file.
/// Most runs fit, and then the consumer thread makes no write calls and the end of the run
/// reads nothing back; a larger input still holds no more than this.
const HEADS_IN_MEMORY: usize = 512 << 20;

/// In-memory heads are packed into chunks of this size (no head is split across two), so
/// that storing them never copies what is already stored.
const HEAD_CHUNK: usize = 4 << 20;

/// Serialised heads, appended in order and read back in order: in memory up to a limit, then
/// in an anonymous temporary file.
struct Spill {
    chunks: Vec<Vec<u8>>,
    in_memory: usize,
    memory_limit: usize,
    /// Heads held in `chunks`; the ones after them are in `file`.
    heads_in_memory: usize,
    file: Option<SpillFile>,
    lengths: Vec<u32>,
}

struct SpillFile {
    writer: BufWriter<File>,
    /// Where the file could not be unlinked while open: its name, removed on drop.
    _path: Option<RemoveOnDrop>,
}

impl SpillFile {
    fn create() -> std::io::Result<SpillFile> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("crosscheck-extract-{}-{nanos}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
        // On Unix the open file outlives its name: nothing is left behind, even after a kill.
        let path = if cfg!(unix) && std::fs::remove_file(&path).is_ok() { None } else { Some(RemoveOnDrop(path)) };
        Ok(SpillFile { writer: BufWriter::with_capacity(1 << 20, file), _path: path })
    }
}

impl Spill {
    fn new() -> Spill {
        Spill::with_memory_limit(HEADS_IN_MEMORY)
    }

    fn with_memory_limit(memory_limit: usize) -> Spill {
        Spill { chunks: Vec::new(), in_memory: 0, memory_limit, heads_in_memory: 0, file: None, lengths: Vec::new() }
    }

    fn append(&mut self, head: &[u8]) -> std::io::Result<()> {
        let length = u32::try_from(head.len())
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "one extraction over 4 GB"))?;
        if self.file.is_none() && self.in_memory + head.len() <= self.memory_limit {
            match self.chunks.last_mut() {
                Some(chunk) if chunk.capacity() - chunk.len() >= head.len() => chunk.extend_from_slice(head),
                _ => {
                    let mut chunk = Vec::with_capacity(HEAD_CHUNK.max(head.len()));
                    chunk.extend_from_slice(head);
                    self.chunks.push(chunk);
                }
            }
            self.in_memory += head.len();
            self.heads_in_memory += 1;
        } else {
            let file = match &mut self.file {
                Some(file) => file,
                None => self.file.insert(SpillFile::create()?),
            };
            file.writer.write_all(head)?;
        }
        self.lengths.push(length);
        Ok(())
    }

    fn into_reader(self) -> std::io::Result<SpillReader> {
        let Spill { chunks, heads_in_memory, file, lengths, .. } = self;
        let file = match file {
            None => None,
            Some(SpillFile { writer, _path }) => {
                let mut file = writer.into_inner().map_err(|e| e.into_error())?;
                file.seek(SeekFrom::Start(0))?;
                Some((BufReader::with_capacity(1 << 20, file), _path))
            }
        };
        Ok(SpillReader {
            chunks,
            chunk: 0,
            offset: 0,
            heads_in_memory,
            read: 0,
            file,
            lengths: lengths.into_iter(),
            buffer: Vec::new(),
        })
    }
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

struct SpillReader {
    chunks: Vec<Vec<u8>>,
    /// Position of the next in-memory head: chunk and offset in it.
    chunk: usize,
    offset: usize,
    heads_in_memory: usize,
    /// Heads read so far.
    read: usize,
    file: Option<(BufReader<File>, Option<RemoveOnDrop>)>,
    lengths: std::vec::IntoIter<u32>,
    /// The last head read from the file.
    buffer: Vec<u8>,
}

impl SpillReader {
    /// The next head.
    fn next_head(&mut self) -> std::io::Result<&[u8]> {
        let length = self.lengths.next().ok_or_else(|| std::io::Error::from(std::io::ErrorKind::UnexpectedEof))?;
        let length = length as usize;
        self.read += 1;
        if self.read <= self.heads_in_memory {
            while self.chunks.get(self.chunk).is_some_and(|c| self.offset + length > c.len()) {
                // Heads are never split: the rest of this chunk is unused.
                self.chunk += 1;
                self.offset = 0;
            }
            let chunk =
                self.chunks.get(self.chunk).ok_or_else(|| std::io::Error::from(std::io::ErrorKind::UnexpectedEof))?;
            let head = &chunk[self.offset..self.offset + length];
            self.offset += length;
            return Ok(head);
        }
        let (reader, _) = self.file.as_mut().ok_or_else(|| std::io::Error::from(std::io::ErrorKind::UnexpectedEof))?;
        self.buffer.clear();
        self.buffer.resize(length, 0);
        reader.read_exact(&mut self.buffer)?;
        Ok(&self.buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_model::{Document, Entity, EntityType, Mention, SourceFormat};

    fn extraction(id: &str, text: &str) -> Extraction {
        let doc = Document {
            id: id.into(),
            origin: "mem".into(),
            format: SourceFormat::Text,
            url: None,
            outlet: Some("Outlet \"quoted\"\nline".into()),
            date: Some("2025-01-02".into()),
            title: None,
            author: None,
            language: Some("en".into()),
            text: text.into(),
            content_hash: String::new(),
            warnings: Vec::new(),
        };
        let mut x = Extraction::empty_for(&doc);
        x.entities.push(Entity {
            name: "Harbour Board".into(),
            kind: EntityType::Organization,
            aliases: vec![],
            mentions: vec![Mention { start: 0, end: 3, text: "The".into() }],
            rule: "test".into(),
        });
        x
    }

    /// Head + tail equals serialising the linked extraction in one go, in both layouts.
    #[test]
    fn head_and_tail_make_the_whole_object() {
        for layout in [Layout::Lines, Layout::PrettyArray] {
            let unlinked = layout.tail_bytes(&LinkedTail { duplicates_of: &[], copy_of: None }).expect("tail");
            for (others, copy_of) in
                [(vec![], None), (vec!["b".to_string(), "c\"d".to_string()], Some("b")), (vec!["b".to_string()], None)]
            {
                let mut x = extraction("a", "The pier \"reopened\".\nIt did.");
                let head = layout.head_bytes(&x, &unlinked).expect("head");
                let mut bytes = head.clone();
                bytes.push(b',');
                let tail = LinkedTail { duplicates_of: &others, copy_of };
                bytes.extend(layout.tail_bytes(&tail).expect("tail"));
                x.duplicates_of = others.clone();
                x.copy_of = copy_of.map(str::to_string);
                let expected = match layout {
                    Layout::Lines => serde_json::to_vec(&x).expect("json"),
                    Layout::PrettyArray => {
                        // The element as it appears inside a pretty array, from its opening brace.
                        let array = serde_json::to_vec_pretty(&vec![x.clone()]).expect("json");
                        array[4..array.len() - 2].to_vec()
                    }
                };
                assert_eq!(String::from_utf8_lossy(&bytes), String::from_utf8_lossy(&expected), "{layout:?}");
            }
        }
    }

    #[test]
    fn spill_gives_back_what_was_appended_in_order() {
        let mut items: Vec<Vec<u8>> = vec![b"{\"a\":1".to_vec(), Vec::new(), "\u{e9}\n".repeat(5000).into_bytes()];
        // Heads that do not fit the rest of a chunk, and one larger than a chunk.
        items.extend((0..5).map(|i| vec![b'a' + i; HEAD_CHUNK / 3]));
        items.push(vec![b'z'; HEAD_CHUNK + 7]);
        items.push(b"last".to_vec());
        let total: usize = items.iter().map(Vec::len).sum();
        // All in memory; none; and switching to the file part-way.
        for limit in [usize::MAX, 0, total / 2] {
            let mut spill = Spill::with_memory_limit(limit);
            for item in &items {
                spill.append(item).expect("append");
            }
            assert_eq!(spill.file.is_some(), limit < total, "limit {limit}");
            let mut reader = spill.into_reader().expect("reader");
            for item in &items {
                assert_eq!(reader.next_head().expect("next"), &item[..], "limit {limit}");
            }
            assert!(reader.next_head().is_err());
        }
    }
}
