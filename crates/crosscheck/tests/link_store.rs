//! `crosscheck link` stores what it finds across documents (claims, comparisons, provenance,
//! entities) and `crosscheck report --format json` shows the stored results with stable ids,
//! on the invented corpora in `testdata/link/` (`corpus.jsonl` and `claims.jsonl` together).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/link").join(name)
}

fn run(args: &[&str], data: &Path) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(args)
        .arg("--data")
        .arg(data)
        .output()
        .expect("the crosscheck binary runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn report(data: &Path) -> Value {
    serde_json::from_slice(&run(&["report", "--format", "json"], data)).expect("report JSON")
}

fn text_of(doc: &str) -> String {
    let lines = std::fs::read_to_string(testdata("claims.jsonl")).expect("claims corpus");
    lines
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["id"] == doc)
        .and_then(|v| v["text"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no document {doc}"))
}

fn slice(text: &str, evidence: &Value) -> String {
    let start = evidence["span"]["start"].as_u64().unwrap_or(0) as usize;
    let end = evidence["span"]["end"].as_u64().unwrap_or(0) as usize;
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

#[test]
fn link_stores_results_and_report_reads_them_with_stable_ids() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ingest = Command::new(env!("CARGO_BIN_EXE_crosscheck"));
    let out = ingest
        .args(["ingest", "--quiet", "--data"])
        .arg(dir.path())
        .arg(testdata("corpus.jsonl"))
        .arg(testdata("claims.jsonl"))
        .output()
        .expect("ingest runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    run(&["link"], dir.path());

    // The store holds the results.
    let store = crosscheck_store::Store::open_read_only(dir.path()).expect("open the store");
    let run_info = store.link_run().expect("read the link run").expect("link stored a run");
    assert_eq!(run_info.documents, store.document_count().expect("count"));
    let stored = store.link_results().expect("read link results").expect("results stored");
    assert!(!stored.claims.statements.is_empty() && !stored.claims.comparisons.is_empty());
    assert!(!stored.entities.is_empty() && !stored.provenance.citations.is_empty());
    // Linking streams the store (one extraction at a time, in three passes); it must find
    // exactly what the in-memory computation finds over all extractions at once.
    let extractions = store.extractions().expect("read extractions");
    let groups = store.duplicate_groups().expect("read groups");
    assert!(stored.claims.denials.iter().any(|d| d.counterpart.is_some()), "{:#?}", stored.claims.denials);
    assert_eq!(stored, crosscheck_link::link_results(&extractions, &groups));
    drop(store);

    let first = report(dir.path());
    assert_eq!(first["links_from_store"], true);
    let comparisons = first["claims"]["comparisons"].as_array().expect("comparisons");
    let stored_ids: Vec<&str> = stored.claims.comparisons.iter().map(|c| c.id.as_str()).collect();
    let report_ids: Vec<&str> = comparisons.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(report_ids, stored_ids);

    // Who did it: one killing, two doers, within one story.
    let actor = comparisons.iter().find(|c| c["kind"] == "actor").unwrap_or_else(|| panic!("{comparisons:#?}"));
    assert_eq!(actor["verdict"], "contradiction");
    let reason = actor["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("Marco Feldner") && reason.contains("Lukas Brandt"), "{reason}");

    // One document disagreeing with itself, both spans shown.
    let inside = comparisons
        .iter()
        .find(|c| c["scope"] == "in-document" && c["left_evidence"]["doc"] == "flood-valley")
        .unwrap_or_else(|| panic!("{comparisons:#?}"));
    let text = text_of("flood-valley");
    assert_eq!(inside["right_evidence"]["doc"], "flood-valley");
    assert_ne!(inside["left_evidence"]["span"], inside["right_evidence"]["span"]);
    for side in ["left_evidence", "right_evidence"] {
        assert_eq!(slice(&text, &inside[side]), inside[side]["text"].as_str().unwrap_or_default());
    }
    assert!(format!("{} {}", inside["left"], inside["right"]).contains("12"));
    assert!(format!("{} {}", inside["left"], inside["right"]).contains("19"));

    // A claim cited through an outlet keeps the whole chain.
    let statements = first["claims"]["statements"].as_array().expect("statements");
    let governor = statements
        .iter()
        .find(|s| s["chain"]["speaker"] == "the regional governor")
        .unwrap_or_else(|| panic!("{statements:#?}"));
    assert_eq!(governor["chain"]["via"], "the Tyrol Tribune");
    assert_eq!(governor["chain"]["document"], "flood-valley");
    assert_eq!(governor["chain"]["publisher"], "Drava Post");
    assert_eq!(slice(&text, &governor["evidence"]), governor["evidence"]["text"].as_str().unwrap_or_default());
    let cited: Vec<&str> =
        first["provenance"]["sources"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert!(cited.iter().any(|n| n.contains("Tyrol Tribune")), "{cited:?}");

    // Clusters count copies once and name where they were first reported.
    let clusters = first["claims"]["statement_clusters"].as_array().expect("clusters");
    let overloaded = clusters
        .iter()
        .find(|k| k["documents"].as_array().is_some_and(|d| d.len() == 5))
        .unwrap_or_else(|| panic!("{clusters:#?}"));
    assert_eq!(overloaded["independent_sources"], 1, "four copies of one wire story: {overloaded:#?}");
    assert_eq!(overloaded["denied_by"], 1, "{overloaded:#?}");
    assert_eq!(overloaded["first_reported"]["doc"], "ferry-wire");

    // Linking again gives the same ids.
    run(&["link"], dir.path());
    let second = report(dir.path());
    assert_eq!(second["claims"], first["claims"]);
    assert_eq!(second["provenance"], first["provenance"]);
    assert_eq!(second["entities"], first["entities"]);
}
