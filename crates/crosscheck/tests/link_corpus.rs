//! Cross-document linking end to end on the invented corpus in `testdata/link/`: same-story
//! groups, copies, contradictions, changes over time, denials and a shared number that must
//! not join two stories.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/link/corpus.jsonl")
}

fn extract() -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["extract", "--quiet", "--format", "jsonl"])
        .arg(corpus())
        .output()
        .expect("the crosscheck binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

fn duplicates(docs: &[Value], id: &str) -> BTreeSet<String> {
    let doc = docs.iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("no {id}"));
    doc["duplicates_of"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect()
}

#[test]
fn rewrites_and_an_independent_report_form_one_story_but_shared_numbers_do_not() {
    let docs = extract();
    let ferry: BTreeSet<String> =
        ["ferry-wire", "ferry-rewrite", "ferry-reordered", "ferry-brief", "ferry-local"].map(String::from).into();
    for id in &ferry {
        let mut expected = ferry.clone();
        expected.remove(id);
        assert_eq!(duplicates(&docs, id), expected, "{id}");
    }
    let rewrite = docs.iter().find(|d| d["id"] == "ferry-rewrite").expect("rewrite");
    assert_eq!(rewrite["copy_of"], "ferry-wire");
    let local = docs.iter().find(|d| d["id"] == "ferry-local").expect("local");
    assert!(local["copy_of"].is_null(), "an independent report is not a copy");
    for id in ["border-jan", "border-apr", "stadium", "hospital"] {
        assert!(duplicates(&docs, id).is_empty(), "{id}: {:?}", duplicates(&docs, id));
    }
}

#[test]
fn report_flags_contradiction_change_over_time_and_denial() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["analyze", "--quiet", "--format", "json", "--data"])
        .arg(dir.path())
        .arg(corpus())
        .output()
        .expect("the crosscheck binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("report JSON");
    let comparisons = report["claims"]["comparisons"].as_array().expect("comparisons");
    let found = |verdict: &str, subject: &str, values: [&str; 2]| {
        comparisons.iter().any(|c| {
            let text = format!("{} {}", c["left"], c["right"]);
            c["verdict"] == verdict && c["subject"] == subject && values.iter().all(|v| text.contains(v))
        })
    };
    assert!(found("contradiction", "deaths", ["14", "21"]), "{comparisons:#?}");
    assert!(found("change-over-time", "troop strength", ["3,000", "1,200"]), "{comparisons:#?}");
    assert!(!comparisons.iter().any(|c| {
        let docs = [c["left_evidence"]["doc"].as_str(), c["right_evidence"]["doc"].as_str()];
        docs.contains(&Some("stadium")) && docs.contains(&Some("hospital"))
    }));
    // Evidence is side by side and points into the documents.
    for c in comparisons {
        assert!(c["left_evidence"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(c["right_evidence"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
    let denials = report["claims"]["denials"].as_array().expect("denials");
    assert!(denials.iter().any(|d| d["evidence"]["doc"] == "ferry-local"), "{denials:#?}");
}
