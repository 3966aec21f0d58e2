//! End-to-end tests of the `crosscheck` binary on the bundled examples and on bad input.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn examples() -> PathBuf {
    repo_root().join("examples/articles")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the crosscheck binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Char-offset slice, as spans are defined.
fn chars(text: &str, start: u64, end: u64) -> String {
    text.chars().skip(start as usize).take(end.saturating_sub(start) as usize).collect()
}

fn extract_examples() -> Vec<Value> {
    let out = run(bin().args(["extract", "--quiet"]).arg(examples()));
    assert!(out.status.success(), "extract failed: {}", stderr(&out));
    stdout(&out).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

#[test]
fn extract_prints_one_schema_line_per_example_document_with_true_spans() {
    let docs = extract_examples();
    assert!(docs.len() >= 10, "expected every example article, got {}", docs.len());
    for d in &docs {
        for key in [
            "id",
            "text",
            "title",
            "outlet",
            "date",
            "entities",
            "attributions",
            "quantities",
            "dates",
            "events",
            "duplicates_of",
        ] {
            assert!(d.get(key).is_some(), "{} lacks {key}", d["id"]);
        }
        let text = d["text"].as_str().expect("text");
        for e in d["entities"].as_array().expect("entities") {
            for m in e["mentions"].as_array().expect("mentions") {
                let got = chars(text, m["start"].as_u64().expect("start"), m["end"].as_u64().expect("end"));
                assert_eq!(got, m["text"].as_str().expect("mention text"), "mention span in {}", d["id"]);
            }
        }
        for kind in ["quantities", "dates"] {
            for q in d[kind].as_array().expect(kind) {
                let span = &q["span"];
                let got = chars(text, span["start"].as_u64().expect("start"), span["end"].as_u64().expect("end"));
                assert_eq!(got, q["text"].as_str().expect("surface"), "{kind} span in {}", d["id"]);
            }
        }
    }
    let ids: Vec<&str> = docs.iter().filter_map(|d| d["id"].as_str()).collect();
    assert!(ids.contains(&"flood-wire") && ids.contains(&"eu-flood-aid"), "ids from file stems and JSONL: {ids:?}");
}

#[test]
fn extract_finds_the_wire_copy_and_the_metadata_of_each_format() {
    let docs = extract_examples();
    let by_id = |id: &str| docs.iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("no {id}"));
    let copy = by_id("flood-copy");
    let dups: Vec<&str> = copy["duplicates_of"].as_array().expect("array").iter().filter_map(Value::as_str).collect();
    assert!(dups.contains(&"flood-wire"), "flood-copy duplicates: {dups:?}");
    let rail = by_id("rail-tender");
    assert!(rail["duplicates_of"].as_array().expect("array").is_empty(), "sharing a number is not a duplicate");
    let wire = by_id("flood-wire");
    assert_eq!(wire["date"], "2026-03-03");
    assert_eq!(wire["outlet"], "Continental Press Agency");
    assert_eq!(copy["outlet"], "Adriatic Daily");
}

#[test]
fn extract_json_format_is_one_array() {
    let out = run(bin().args(["extract", "--quiet", "--format", "json"]).arg(examples().join("flood-wire.txt")));
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON array");
    assert_eq!(v.as_array().map(Vec::len), Some(1));
}

#[test]
fn analyze_stores_reports_and_reingest_is_a_no_op() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("store");
    let out = run(bin().arg("analyze").arg(examples()).arg("--data").arg(&data));
    assert!(out.status.success(), "analyze failed: {}", stderr(&out));
    let report = stdout(&out);
    for heading in ["# Story report", "## People", "## Who says what", "## Quantities", "## Dates", "## Documents"] {
        assert!(report.contains(heading), "report lacks {heading}");
    }
    assert!(report.contains("flood-wire@"), "report lines carry evidence");
    assert!(stderr(&out).contains(" documents added, 0 duplicates, 0 skipped"), "{}", stderr(&out));

    let again = run(bin().arg("ingest").arg(examples()).arg("--data").arg(&data));
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("0 documents added"), "second ingest adds nothing: {}", stderr(&again));

    let json = run(bin().args(["report", "--format", "json", "--data"]).arg(&data));
    assert!(json.status.success(), "{}", stderr(&json));
    let v: Value = serde_json::from_str(&stdout(&json)).expect("report JSON");
    assert!(v["documents"].as_array().is_some_and(|d| d.len() >= 10));
    assert!(v["duplicate_groups"].as_array().is_some_and(|g| !g.is_empty()));
}

#[test]
fn bad_input_is_reported_line_by_line_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("store");
    let bad = repo_root().join("examples/bad-input");
    let out = run(bin().arg("ingest").arg(&bad).arg(examples().join("flood-wire.txt")).arg("--data").arg(&data));
    assert_eq!(out.status.code(), Some(1), "partial failure exit code; stderr: {}", stderr(&out));
    let err = stderr(&out);
    for needle in ["empty.txt", "blob.txt", "mixed.jsonl:2", "notes.docx"] {
        assert!(err.lines().any(|l| l.contains("skipped:") && l.contains(needle)), "no skip line for {needle}:\n{err}");
    }
    assert!(err.contains("invalid UTF-8"), "lossy decoding is reported:\n{err}");
    let report = run(bin().args(["report", "--format", "json", "--data"]).arg(&data));
    let v: Value = serde_json::from_str(&stdout(&report)).expect("report JSON");
    let ids: Vec<&str> = v["documents"].as_array().expect("docs").iter().filter_map(|d| d["id"].as_str()).collect();
    assert!(ids.contains(&"flood-wire") && ids.contains(&"latin1"), "good files stored: {ids:?}");
}

#[test]
fn oversized_files_are_skipped_without_being_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("huge.txt");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len(200 * 1024 * 1024).expect("sparse 200 MB file");
    let out = run(bin().args(["extract", "--quiet"]).arg(&big));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("too large"), "{}", stderr(&out));
}

#[test]
fn report_without_a_store_is_a_clear_fatal_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(bin().args(["report", "--data"]).arg(dir.path().join("nothing-here")));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("crosscheck ingest"), "{}", stderr(&out));
}

#[test]
fn help_documents_exit_codes() {
    let out = run(bin().arg("--help"));
    assert!(out.status.success());
    assert!(stdout(&out).contains("Exit status"));
}

/// The streamed output (serialised on the pool, linked fields patched in at the end) is the
/// same whatever the thread count, in input order, and both formats hold the same objects.
#[test]
fn extract_output_is_the_same_on_one_thread_and_on_many() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Many lines, with copies (linked fields to patch) and bad lines among them.
    let mut jsonl = String::new();
    for i in 0..300 {
        let story = i % 7;
        let text = format!(
            "The harbour board said on Tuesday that ferry route {story} would reopen after repairs costing {} million dollars, officials told reporters.",
            story + 2
        );
        jsonl.push_str(&serde_json::json!({"id": format!("n{i:03}"), "text": text, "date": "2025-03-04"}).to_string());
        jsonl.push('\n');
        if i % 50 == 0 {
            jsonl.push_str("not json\n");
        }
    }
    let input = dir.path().join("many.jsonl");
    std::fs::write(&input, jsonl).expect("write");
    let outputs: Vec<(String, String)> = ["1", "2", "3"]
        .into_iter()
        .map(|threads| {
            let lines = run(bin().args(["extract", "--quiet", "--threads", threads]).arg(&input));
            let array = run(bin().args(["extract", "--quiet", "--format", "json", "--threads", threads]).arg(&input));
            assert_eq!(lines.status.code(), Some(1), "bad lines are skipped: {}", stderr(&lines));
            (stdout(&lines), stdout(&array))
        })
        .collect();
    for other in &outputs[1..] {
        assert!(other == &outputs[0], "output differs with the thread count");
    }
    let (lines, array) = &outputs[0];
    let from_lines: Vec<Value> = lines.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    let from_array: Vec<Value> = serde_json::from_str(array).expect("one array");
    assert_eq!(from_lines, from_array);
    let ids: Vec<&str> = from_lines.iter().filter_map(|x| x["id"].as_str()).collect();
    let expected: Vec<String> = (0..300).map(|i| format!("n{i:03}")).collect();
    assert_eq!(ids, expected);
    // Same-text copies are linked, and the patched fields are where the schema puts them.
    assert!(from_lines.iter().any(|x| x["duplicates_of"].as_array().is_some_and(|d| !d.is_empty())));
    assert!(lines.lines().all(|l| l.contains(",\"duplicates_of\":[") && l.ends_with('}')));
    assert!(array.starts_with("[\n  {\n    \"id\": \"n000\",\n") && array.ends_with("\n  }\n]\n"));
}
