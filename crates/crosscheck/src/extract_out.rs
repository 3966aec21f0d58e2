//! `crosscheck extract`'s output, streamed: every extraction is serialised on the worker pool
//! as soon as it is made, spilled in input order to an unlinked temporary file, and written
//! out once duplicate linking over all documents has filled in `duplicates_of` and `copy_of`.
//!
//! Those two fields are the last of an extraction's JSON object, so a worker serialises the
//! extraction with them empty, cuts them off, and the writer appends them at the end. Between
//! the two, the process holds only the compact link corpus (`crosscheck_link::LinkCorpus`),
//! one id and one offset per document — never the extractions — so memory stays flat however
//! large the input. The bytes written equal serialising the fully linked extractions in one go
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

    let mut spill = Spill::create().context("creating a temporary file for the output")?;
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
                if let Err(e) = spill.append(&doc.head) {
                    failure = Some(anyhow::Error::new(e).context("writing the temporary output file"));
                    return;
                }
                corpus.push_prepared(&doc.link);
                ids.push(doc.link.id().to_string());
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
    let mut head = Vec::new();
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
        heads.next_into(&mut head).context("reading the temporary output file")?;
        out.write_all(&head)?;
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

/// An anonymous temporary file of serialised heads, written in order and read back in order.
struct Spill {
    writer: BufWriter<File>,
    lengths: Vec<u32>,
    /// Where the file could not be unlinked while open: its name, removed on drop.
    path: Option<RemoveOnDrop>,
}

impl Spill {
    fn create() -> std::io::Result<Spill> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("crosscheck-extract-{}-{nanos}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
        // On Unix the open file outlives its name: nothing is left behind, even after a kill.
        let path = if cfg!(unix) && std::fs::remove_file(&path).is_ok() { None } else { Some(RemoveOnDrop(path)) };
        Ok(Spill { writer: BufWriter::with_capacity(1 << 20, file), lengths: Vec::new(), path })
    }

    fn append(&mut self, head: &[u8]) -> std::io::Result<()> {
        let length = u32::try_from(head.len())
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "one extraction over 4 GB"))?;
        self.writer.write_all(head)?;
        self.lengths.push(length);
        Ok(())
    }

    fn into_reader(self) -> std::io::Result<SpillReader> {
        let Spill { writer, lengths, path } = self;
        let mut file = writer.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        Ok(SpillReader { reader: BufReader::with_capacity(1 << 20, file), lengths: lengths.into_iter(), _path: path })
    }
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

struct SpillReader {
    reader: BufReader<File>,
    lengths: std::vec::IntoIter<u32>,
    _path: Option<RemoveOnDrop>,
}

impl SpillReader {
    /// The next head into `buf` (replacing its content).
    fn next_into(&mut self, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let length = self.lengths.next().ok_or_else(|| std::io::Error::from(std::io::ErrorKind::UnexpectedEof))?;
        buf.clear();
        buf.resize(length as usize, 0);
        self.reader.read_exact(buf)
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
        let mut spill = Spill::create().expect("spill");
        let items: Vec<Vec<u8>> = vec![b"{\"a\":1".to_vec(), Vec::new(), "\u{e9}\n".repeat(5000).into_bytes()];
        for item in &items {
            spill.append(item).expect("append");
        }
        let mut reader = spill.into_reader().expect("reader");
        let mut buf = Vec::new();
        for item in &items {
            reader.next_into(&mut buf).expect("next");
            assert_eq!(&buf, item);
        }
        assert!(reader.next_into(&mut buf).is_err());
    }
}
