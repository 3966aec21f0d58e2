//! `crosscheck-bench gen`: a synthetic English news corpus with planted near-duplicates,
//! contradictions, changes over time and denials, plus a truth file saying what was planted,
//! so scale runs and link scoring need no third-party text.
//!
//! Output in `DIR`:
//! - `docs.jsonl` (`--format jsonl`): one `{"id","url","outlet","date","title","author","text"}`
//!   object a line, the JSONL input of `crosscheck ingest` / `extract`; or `docs/NNNN/*.txt`
//!   (title, date, byline, text) or `pages/NNNN/*.html` (full pages) for the other formats.
//! - `truth.jsonl`: one object a line, each with a `type`:
//!   `story` (`docs`: every article of one story, `kind`),
//!   `duplicates` (`docs`: the base article and its copies; `variants`: id → base, wire,
//!   rewrite or trim),
//!   `contradiction` (`measure`, `claims`: `[{value, docs}]` — different outlets, one measure),
//!   `change` (`measure`, `before`/`after`: `{doc, value, date}` — same outlet, later date),
//!   `denial` (`doc`, `denier`: names, `accused_in`: docs carrying the accusation).
//!
//! Streaming: one chunk of stories at a time is held in memory (generated in parallel,
//! written in order), so a million documents need no more memory than a thousand. Deterministic: story `i` depends only on the seed and `i`; document ids
//! are `doc-0000000` in writing order and carry no hint of the truth.

pub mod story;
pub mod templates;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use story::{iso_date, Article, StoryWriter, Variant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Txt,
    Html,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    id: &'a str,
    url: &'a str,
    outlet: &'a str,
    date: &'a str,
    title: &'a str,
    author: &'a str,
    text: &'a str,
}

/// What `generate` wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub docs: u64,
    pub stories: u64,
    pub bytes: u64,
    pub duplicate_pairs: u64,
    pub contradictions: u64,
    pub changes: u64,
    pub denials: u64,
}

/// Stories generated in parallel before being written in order.
const CHUNK_STORIES: u64 = 256;

/// Files per directory for `txt` and `html`, so no directory holds a million entries.
const SHARD: u64 = 1000;

enum Sink {
    Jsonl(BufWriter<File>),
    Files { dir: PathBuf, extension: &'static str },
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("-")
}

/// Writes `docs` documents generated from `seed` into `out`.
pub fn generate(docs: u64, seed: u64, out: &Path, format: Format) -> Result<Summary> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let writer = StoryWriter::new()?;
    let mut sink = match format {
        Format::Jsonl => Sink::Jsonl(create(&out.join("docs.jsonl"))?),
        Format::Txt => Sink::Files { dir: out.join("docs"), extension: "txt" },
        Format::Html => Sink::Files { dir: out.join("pages"), extension: "html" },
    };
    let mut truth = create(&out.join("truth.jsonl"))?;
    let mut summary = Summary::default();
    let mut text = String::with_capacity(8192);
    let mut ids: Vec<String> = Vec::with_capacity(16);
    'chunks: while summary.docs < docs {
        // Stories are independent, so a chunk is written on all cores and then streamed out in
        // order; the few generated past the end are dropped.
        let first = summary.stories;
        let chunk: Vec<story::Story> =
            (first..first + CHUNK_STORIES).into_par_iter().map(|i| writer.story(seed, i)).collect();
        for story in &chunk {
            if summary.docs >= docs {
                break 'chunks;
            }
            write_story(&mut sink, &mut truth, story, docs, &mut summary, &mut text, &mut ids)?;
        }
    }
    if let Sink::Jsonl(w) = &mut sink {
        w.flush()?;
    }
    truth.flush()?;
    Ok(summary)
}

fn write_story(
    sink: &mut Sink,
    truth: &mut impl Write,
    story: &story::Story,
    docs: u64,
    summary: &mut Summary,
    text: &mut String,
    ids: &mut Vec<String>,
) -> Result<()> {
    // The last story may be cut short; the truth then lists only what was written.
    let take = story.articles.len().min((docs - summary.docs) as usize);
    let articles = &story.articles[..take];
    ids.clear();
    for article in articles {
        let id = format!("doc-{:07}", summary.docs);
        text.clear();
        for (i, p) in article.paragraphs.iter().enumerate() {
            if i > 0 {
                text.push_str("\n\n");
            }
            text.push_str(p);
        }
        summary.bytes += write_article(sink, &id, summary.docs, article, text)?;
        ids.push(id);
        summary.docs += 1;
    }
    let index = summary.stories;
    write_truth(truth, story, articles, ids, index, summary)?;
    summary.stories += 1;
    Ok(())
}

fn write_article(sink: &mut Sink, id: &str, index: u64, article: &Article, text: &str) -> Result<u64> {
    let date = iso_date(article.day);
    let url = format!("https://{}/{}/{}-{index}", article.outlet.domain, date.replace('-', "/"), slug(&article.title));
    match sink {
        Sink::Jsonl(w) => {
            let doc = JsonDoc {
                id,
                url: &url,
                outlet: &article.outlet.name,
                date: &date,
                title: &article.title,
                author: &article.author,
                text,
            };
            serde_json::to_writer(&mut *w, &doc)?;
            w.write_all(b"\n")?;
            Ok(text.len() as u64)
        }
        Sink::Files { dir, extension } => {
            let shard = dir.join(format!("{:04}", index / SHARD));
            if index.is_multiple_of(SHARD) {
                std::fs::create_dir_all(&shard).with_context(|| format!("creating {}", shard.display()))?;
            }
            let content = if *extension == "txt" {
                format!("{}\n{date}\nBy {}\n\n{text}\n", article.title, article.author)
            } else {
                let section = "World";
                let meta = crate::html::PageMeta {
                    index: index as usize,
                    title: &article.title,
                    outlet: &article.outlet.name,
                    author: &article.author,
                    date: &date,
                    url: &url,
                    section,
                    hour: 5 + (index % 17) as usize,
                };
                let most_read: Vec<String> = Vec::new();
                crate::html::page(&meta, &article.paragraphs, &most_read)
            };
            let path = shard.join(format!("{id}.{extension}"));
            std::fs::write(&path, &content).with_context(|| format!("writing {}", path.display()))?;
            Ok(content.len() as u64)
        }
    }
}

fn write_truth(
    w: &mut impl Write,
    story: &story::Story,
    articles: &[Article],
    ids: &[String],
    index: u64,
    summary: &mut Summary,
) -> Result<()> {
    let mut line = |value: serde_json::Value| -> Result<()> {
        serde_json::to_writer(&mut *w, &value)?;
        w.write_all(b"\n")?;
        Ok(())
    };
    line(serde_json::json!({"type": "story", "story": index, "kind": story.kind, "docs": ids}))?;
    let copies: Vec<usize> = (0..articles.len()).filter(|&i| articles[i].variant.is_copy()).collect();
    if copies.len() >= 2 {
        let docs: Vec<&str> = copies.iter().map(|&i| ids[i].as_str()).collect();
        let variants: serde_json::Map<String, serde_json::Value> =
            copies.iter().map(|&i| (ids[i].clone(), articles[i].variant.as_str().into())).collect();
        let n = copies.len() as u64;
        summary.duplicate_pairs += n * (n - 1) / 2;
        line(serde_json::json!({"type": "duplicates", "story": index, "docs": docs, "variants": variants}))?;
    }
    let copy_ids: Vec<&str> = copies.iter().map(|&i| ids[i].as_str()).collect();
    let base = &articles[0];
    for (i, a) in articles.iter().enumerate() {
        match a.variant {
            Variant::Contradiction => {
                summary.contradictions += 1;
                line(serde_json::json!({
                    "type": "contradiction", "story": index, "measure": story.key_measure,
                    "claims": [{"value": base.key_value, "docs": copy_ids}, {"value": a.key_value, "docs": [ids[i]]}],
                }))?;
            }
            Variant::Update => {
                summary.changes += 1;
                line(serde_json::json!({
                    "type": "change", "story": index, "measure": story.key_measure, "outlet": a.outlet.name,
                    "before": {"doc": ids[0], "value": base.key_value, "date": iso_date(base.day)},
                    "after": {"doc": ids[i], "value": a.key_value, "date": iso_date(a.day)},
                }))?;
            }
            Variant::Denial => {
                summary.denials += 1;
                line(serde_json::json!({
                    "type": "denial", "story": index, "doc": ids[i], "denier": story.denier, "accused_in": copy_ids,
                }))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The `gen` subcommand: generate, then print what was written and how fast.
pub fn run(docs: u64, seed: u64, out: &Path, format: Format) -> Result<()> {
    let start = Instant::now();
    let summary = generate(docs, seed, out, format)?;
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "wrote {} documents ({} stories, {:.1} MB) to {} in {secs:.2} s ({:.0} documents/s); truth: {} duplicate pairs, {} contradictions, {} changes, {} denials",
        summary.docs,
        summary.stories,
        summary.bytes as f64 / 1e6,
        out.display(),
        summary.docs as f64 / secs,
        summary.duplicate_pairs,
        summary.contradictions,
        summary.changes,
        summary.denials
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).expect("generated file")
    }

    #[test]
    fn same_seed_same_files_and_the_truth_matches_the_docs() {
        let (a, b) = (tempfile::tempdir().expect("temp dir"), tempfile::tempdir().expect("temp dir"));
        let summary = generate(200, 7, a.path(), Format::Jsonl).expect("generate");
        generate(200, 7, b.path(), Format::Jsonl).expect("present in the test data");
        assert_eq!(summary.docs, 200);
        assert_eq!(read(&a.path().join("docs.jsonl")), read(&b.path().join("docs.jsonl")));
        assert_eq!(read(&a.path().join("truth.jsonl")), read(&b.path().join("truth.jsonl")));
        let other = tempfile::tempdir().expect("temp dir");
        generate(200, 8, other.path(), Format::Jsonl).expect("present in the test data");
        assert_ne!(read(&a.path().join("docs.jsonl")), read(&other.path().join("docs.jsonl")));

        let docs: Vec<serde_json::Value> =
            read(&a.path().join("docs.jsonl")).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
        assert_eq!(docs.len(), 200);
        let texts: std::collections::HashMap<&str, &str> = docs
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().expect("present in the test data"),
                    d["text"].as_str().expect("present in the test data"),
                )
            })
            .collect();
        assert!(docs
            .iter()
            .all(|d| d["outlet"].is_string() && d["date"].as_str().expect("present in the test data").len() == 10));
        let mut kinds = std::collections::HashSet::new();
        let mut pairs = 0;
        for line in read(&a.path().join("truth.jsonl")).lines() {
            let t: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            kinds.insert(t["type"].as_str().expect("present in the test data").to_string());
            match t["type"].as_str().expect("present in the test data") {
                "duplicates" => {
                    let n = t["docs"].as_array().expect("present in the test data").len();
                    pairs += n * (n - 1) / 2;
                }
                "contradiction" => {
                    // Each side's number (as written, with separators) is in each side's docs.
                    for claim in t["claims"].as_array().expect("present in the test data") {
                        let mut value = String::new();
                        story::push_number(&mut value, claim["value"].as_u64().expect("present in the test data"));
                        for doc in claim["docs"].as_array().expect("present in the test data") {
                            assert!(
                                texts[doc.as_str().expect("present in the test data")].contains(&value),
                                "{value} not in {doc}"
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        assert_eq!(pairs as u64, summary.duplicate_pairs);
        for kind in ["story", "duplicates", "contradiction", "change", "denial"] {
            assert!(kinds.contains(kind), "no {kind} in the truth");
        }
    }

    #[test]
    fn the_ingest_reader_accepts_every_line_and_other_formats_write_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        generate(30, 1, dir.path(), Format::Jsonl).expect("present in the test data");
        let mut count = 0;
        crosscheck_ingest::read_file(&dir.path().join("docs.jsonl"), &mut |item| match item {
            crosscheck_ingest::ReadItem::Document(d) => {
                assert!(d.outlet.is_some() && d.date.is_some() && d.title.is_some());
                count += 1;
            }
            other => panic!("not a document: {other:?}"),
        });
        assert_eq!(count, 30);
        for (format, file) in
            [(Format::Txt, "docs/0000/doc-0000004.txt"), (Format::Html, "pages/0000/doc-0000004.html")]
        {
            let dir = tempfile::tempdir().expect("temp dir");
            generate(5, 1, dir.path(), format).expect("present in the test data");
            assert!(dir.path().join(file).is_file(), "{file}");
            assert!(!dir.path().join(file.replace("4.", "5.")).exists());
        }
    }
}
