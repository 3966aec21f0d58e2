//! What the report must surface on the development seeds (issue 5): the 7,000 vs 700
//! disagreement between s001 and s003 with s001 describing a reduction, the commander wounded
//! in both with different detail, s001 and s003 as one story, and the 2015 vs 2024 time split
//! — read back from the store after `crosscheck analyze` linked it. Runs only where
//! `../shared/corpus/seeds.jsonl` is present.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

#[test]
fn seeds_report_surfaces_the_known_disagreements_and_the_time_split() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds.jsonl");
    if !seeds.is_file() {
        eprintln!("skipping: {} is not present", seeds.display());
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["analyze", "--quiet", "--format", "json", "--data"])
        .arg(dir.path())
        .arg(&seeds)
        .output()
        .expect("the crosscheck binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("report JSON");
    assert_eq!(report["links_from_store"], true);

    let same_story = report["duplicate_groups"].as_array().into_iter().flatten().any(|g| {
        let members: Vec<&str> = g["members"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        members.contains(&"s001") && members.contains(&"s003")
    });
    assert!(same_story, "{:#?}", report["duplicate_groups"]);

    let comparisons = report["claims"]["comparisons"].as_array().expect("comparisons");
    let docs = |c: &Value| [c["left_evidence"]["doc"].clone(), c["right_evidence"]["doc"].clone()];
    let troops = comparisons
        .iter()
        .find(|c| {
            let text = format!("{} {}", c["left"], c["right"]);
            c["verdict"] == "contradiction"
                && c["kind"] == "numbers"
                && text.contains("7,000")
                && text.contains("700 ")
                && docs(c).contains(&Value::from("s001"))
                && docs(c).contains(&Value::from("s003"))
        })
        .unwrap_or_else(|| panic!("no 7,000 vs 700 contradiction: {comparisons:#?}"));
    let s001_side = if troops["left_evidence"]["doc"] == "s001" { &troops["left"] } else { &troops["right"] };
    assert!(s001_side.as_str().is_some_and(|s| s.contains("change")), "s001 describes a reduction: {troops:#?}");
    assert!(troops["reason"].as_str().is_some_and(|r| r.contains("s001 describes a change")), "{troops:#?}");

    let wounded = comparisons
        .iter()
        .find(|c| {
            c["kind"] == "status"
                && c["subject"].as_str().is_some_and(|s| s.contains("Soleimani"))
                && c["left"].as_str().is_some_and(|s| s.starts_with("wounded"))
                && c["right"].as_str().is_some_and(|s| s.starts_with("wounded"))
                && docs(c).contains(&Value::from("s001"))
                && docs(c).contains(&Value::from("s003"))
        })
        .unwrap_or_else(|| panic!("no wounded-in-both comparison: {comparisons:#?}"));
    assert_ne!(wounded["left_evidence"]["text"], wounded["right_evidence"]["text"], "different detail");

    let periods = report["timeline"]["periods"].as_array().expect("periods");
    let year_of = |doc: &str| {
        periods
            .iter()
            .find(|p| p["documents"].as_array().is_some_and(|d| d.contains(&Value::from(doc))))
            .and_then(|p| p["year"].as_str().map(str::to_string))
    };
    assert_eq!(year_of("s001").as_deref(), Some("2015"));
    assert_eq!(year_of("s003").as_deref(), Some("2015"));
    assert!(year_of("s004").is_some_and(|y| y.as_str() >= "2024"), "{periods:#?}");
    let dated = report["timeline"]["dated"].as_array().expect("dated");
    assert!(dated.iter().any(|e| e["when"].as_str().is_some_and(|w| w.starts_with("2024"))));
}
