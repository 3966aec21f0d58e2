//! Crash safety: a child process ingests documents in a loop and is killed with SIGKILL at
//! several moments; each time the store must reopen with a clean integrity check and every
//! stored document must have all of its items. The child is this test binary re-executed with
//! an environment variable selecting the child role.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crosscheck_model::{DateMention, Document, Entity, EntityType, Extraction, Mention, Quantity, SourceFormat, Span};
use crosscheck_store::{InsertOutcome, Store};

const CHILD_DIR_VAR: &str = "CROSSCHECK_STORE_CRASH_CHILD_DIR";
const READY: &str = "CROSSCHECK-CHILD-READY";
const BATCH: usize = 16;

/// How many quantities document `i` has; also written into its text so a reader can check.
fn quantity_count(i: usize) -> usize {
    1 + (i * 7) % 23
}

fn make_doc(i: usize) -> (Document, Extraction) {
    let q = quantity_count(i);
    let text = format!(
        "Document {i} reports {q} quantities. Ünïcode filler — the council met in Köln; {} end.",
        "word ".repeat(q)
    );
    let doc = Document {
        id: format!("doc-{i:06}"),
        origin: format!("gen:{i}"),
        format: SourceFormat::Text,
        url: None,
        outlet: Some("Generator".into()),
        date: Some("2025-01-01".into()),
        title: Some(format!("Doc {i}")),
        author: None,
        language: Some("en".into()),
        content_hash: format!("hash-{i}"),
        warnings: Vec::new(),
        text,
    };
    let mut x = Extraction::empty_for(&doc);
    x.quantities = (0..q)
        .map(|k| Quantity {
            text: format!("{k}"),
            value: k as f64 + 0.25,
            unit: "items".into(),
            about: None,
            approximate: k % 2 == 0,
            span: Span::new(k, k + 1),
            rule: "gen".into(),
        })
        .collect();
    x.entities = (0..q % 5)
        .map(|e| Entity {
            name: format!("Entity {e}"),
            kind: EntityType::Organization,
            aliases: vec![format!("E{e}")],
            mentions: (0..q).map(|m| Mention { start: m, end: m + 1, text: "x".into() }).collect(),
            rule: "gen".into(),
        })
        .collect();
    x.dates = vec![DateMention {
        text: "2025".into(),
        resolved: Some("2025".into()),
        inferred: false,
        span: Span::new(0, 4),
        rule: "gen".into(),
    }];
    (doc, x)
}

/// The child role: ingest documents forever (until killed, or 30 s as a safety net).
#[test]
fn crash_child_role() {
    let Some(dir) = std::env::var_os(CHILD_DIR_VAR) else {
        return; // normal test run: nothing to do
    };
    let mut store = Store::open(Path::new(&dir)).expect("child: open");
    let started = Instant::now();
    let mut announced = false;
    let mut next = 0usize;
    while started.elapsed() < Duration::from_secs(30) {
        let batch: Vec<(Document, Extraction)> = (next..next + BATCH).map(make_doc).collect();
        store.insert_batch(&batch).expect("child: insert");
        next += BATCH;
        if !announced {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{READY}").expect("child: stdout");
            out.flush().expect("child: flush");
            announced = true;
        }
    }
}

fn check_store(dir: &Path) -> usize {
    let store = Store::open(dir).expect("reopen after kill");
    assert_eq!(store.integrity_check().expect("integrity"), "ok");
    let extractions = store.extractions().expect("read extractions");
    assert_eq!(extractions.len(), store.document_count().expect("count"));
    for x in &extractions {
        let mut words = x.text.split_whitespace();
        let i: usize = words.nth(1).and_then(|w| w.parse().ok()).expect("doc number in text");
        let q: usize = words.nth(1).and_then(|w| w.parse().ok()).expect("quantity count in text");
        assert_eq!(q, quantity_count(i));
        assert_eq!(x.quantities.len(), q, "{}: partial quantities", x.id);
        assert_eq!(x.entities.len(), q % 5, "{}: partial entities", x.id);
        for e in &x.entities {
            assert_eq!(e.mentions.len(), q, "{}: partial mentions", x.id);
        }
        assert_eq!(x.dates.len(), 1, "{}: missing date", x.id);
        assert_eq!(*x, make_doc(i).1, "{}: not what was written", x.id);
    }
    extractions.len()
}

#[test]
fn killed_ingest_leaves_whole_documents_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("store");
    let exe = std::env::current_exe().expect("test binary path");
    let mut previous = 0usize;
    for delay_ms in [50u64, 120, 300] {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child_role", "--nocapture", "--test-threads=1"])
            .env(CHILD_DIR_VAR, &dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        // Wait until the child has committed at least one batch, so the kill lands mid-ingest.
        let stdout = child.stdout.take().expect("child stdout");
        let ready = BufReader::new(stdout).lines().map_while(Result::ok).any(|line| line.contains(READY));
        assert!(ready, "child exited before committing anything");
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().expect("SIGKILL child");
        child.wait().expect("reap child");

        let stored = check_store(&dir);
        eprintln!("SIGKILL {delay_ms} ms after the first commit: {stored} whole documents stored");
        assert!(stored >= previous.max(BATCH), "stored {stored} after a previous {previous}");
        previous = stored;
    }

    // Re-ingesting what is stored changes nothing.
    let mut store = Store::open(&dir).expect("open");
    let items: Vec<(Document, Extraction)> = (0..previous).map(make_doc).collect();
    let outcomes = store.insert_batch(&items).expect("re-ingest");
    assert!(outcomes.iter().all(|o| matches!(o, InsertOutcome::Duplicate { .. })), "re-ingest added documents");
    assert_eq!(store.document_count().expect("count"), previous);
}
