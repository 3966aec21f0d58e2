//! Shared by the fuzz targets: arbitrary bytes go through `read_file_with` exactly as a file
//! of the given name would, so sniffing, charset decoding and decompression are fuzzed too.
//! The file lives in one scratch directory per process, rewritten on every input.

use std::path::PathBuf;
use std::sync::{Once, OnceLock};

use crosscheck_ingest::{read_file_with, ReadItem, ReadOptions};

fn scratch_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("crosscheck-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory for fuzz inputs");
        dir
    })
}

/// libfuzzer-sys installs a panic hook that aborts on every panic, even one that ingest
/// catches on purpose (its HTML extractors and feed parser run under `catch_unwind`, and a
/// panic there becomes a skip with a reason: that is the contract under test). The standard
/// hook is put back, so caught panics are only printed; a panic that escapes ingest still
/// reaches libfuzzer-sys's own `catch_unwind`, which aborts and records the crash.
fn let_ingest_catch_its_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| drop(std::panic::take_hook()));
}

/// Reads `bytes` as a file called `name`; every item is checked for the invariants any
/// reader must keep, whatever the input.
pub fn read_as(name: &str, bytes: &[u8], options: &ReadOptions) -> usize {
    let_ingest_catch_its_panics();
    let path = scratch_dir().join(name);
    std::fs::write(&path, bytes).expect("write fuzz input");
    let mut documents = 0;
    read_file_with(&path, options, &mut |item| match item {
        ReadItem::Document(d) => {
            documents += 1;
            assert!(!d.text.trim().is_empty(), "a document with no text from {name}");
            assert_eq!(d.content_hash, crosscheck_ingest::content_hash(&d.text));
            if let Some(date) = &d.date {
                assert!(date.len() == 7 || date.len() == 10, "date {date:?} is not ISO");
            }
        }
        ReadItem::Skipped(s) => assert!(!s.reason.is_empty(), "a skip without a reason from {name}"),
    });
    documents
}
