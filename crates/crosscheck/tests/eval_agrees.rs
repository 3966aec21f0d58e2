//! `crosscheck eval` must print the same numbers as the reference scorer `gold/score.py`.
//! Runs only where `../shared` (the development sets) and python3 are present.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let ok = dir.join("gold/score.py").is_file() && dir.join("corpus/seeds.jsonl").is_file();
    if !ok {
        eprintln!("skipping: ../shared with gold/ and corpus/ is not present");
        return None;
    }
    let python = Command::new("python3").arg("--version").output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("skipping: python3 is not available");
        return None;
    }
    Some(dir)
}

fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.output().expect("command runs");
    assert!(out.status.success(), "{:?} failed: {}", cmd, String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Runs `crosscheck extract` on `corpus` and writes its JSONL to `predicted`.
fn extract_to(corpus: &Path, predicted: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["extract", "--quiet"])
        .arg(corpus)
        .output()
        .expect("extract runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(predicted, &out.stdout).expect("write predictions");
}

/// `score.py --json` on the predictions.
fn reference_scores(shared: &Path, gold: &Path, predicted: &Path) -> Value {
    json_of(Command::new("python3").arg(shared.join("gold/score.py")).arg(gold).arg(predicted).arg("--json"))
}

/// `crosscheck eval --format json` with `--predicted FILE` or `--corpus FILE`.
fn our_scores(gold: &Path, input_flag: &str, input: &Path) -> Value {
    json_of(
        Command::new(env!("CARGO_BIN_EXE_crosscheck"))
            .args(["eval", "--format", "json", "--gold"])
            .arg(gold)
            .arg(input_flag)
            .arg(input),
    )
}

#[test]
fn eval_matches_the_reference_scorer_on_the_seeds() {
    let Some(shared) = shared() else { return };
    let gold = shared.join("gold/seeds.jsonl");
    let corpus = shared.join("corpus/seeds.jsonl");
    let dir = tempfile::tempdir().expect("tempdir");
    let predicted = dir.path().join("predicted.jsonl");
    extract_to(&corpus, &predicted);

    let reference = reference_scores(&shared, &gold, &predicted);
    let ours_on_file = our_scores(&gold, "--predicted", &predicted);
    let ours_on_corpus = our_scores(&gold, "--corpus", &corpus);
    assert_eq!(ours_on_file, reference, "eval --predicted vs score.py");
    assert_eq!(ours_on_corpus, reference, "eval --corpus vs score.py");
    // Every category of the reference, none missing or extra.
    assert_eq!(ours_on_file.as_object().expect("object").len(), 9);
}

#[test]
fn eval_matches_the_reference_scorer_on_own_gold_set() {
    let Some(shared) = shared() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let gold = root.join("testdata/gold/gold.jsonl");
    let corpus = root.join("testdata/gold/corpus.jsonl");
    if !gold.is_file() || !corpus.is_file() {
        eprintln!("skipping: testdata/gold is not present");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let predicted = dir.path().join("predicted.jsonl");
    extract_to(&corpus, &predicted);
    assert_eq!(our_scores(&gold, "--predicted", &predicted), reference_scores(&shared, &gold, &predicted));
}
