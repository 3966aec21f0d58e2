//! Scores the date recognizer on the annotated seed articles with the reference scorer's rule
//! (same `resolved`, or the same normalised text where gold's is null; one-to-one), when
//! `../shared` is present. The anchor is the corpus `date` field. Prints P/R/F1 and the misses;
//! the floor sits just under the measured F1 so that regressions fail.

mod common;

use common::{jsonl, shared_seeds, SeedTally};
use crosscheck_extract::date::{parse_iso_anchor, DateRecognizer};
use crosscheck_text::CharMap;

const FLOOR_F1: f64 = 0.98;

/// The scorer's text normalisation: case folded, punctuation to spaces, a leading "the" dropped.
fn norm(s: &str) -> String {
    let folded: String = s
        .to_lowercase()
        .replace('\u{2019}', "'")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' || c.is_whitespace() { c } else { ' ' })
        .collect();
    let squeezed = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    squeezed.strip_prefix("the ").map(str::to_string).unwrap_or(squeezed)
}

#[test]
fn seeds_dates() {
    let Some(dir) = shared_seeds() else {
        println!("../shared absent: skipping");
        return;
    };
    let r = DateRecognizer::new().expect("resources compile");
    let corpus = jsonl(dir.join("corpus/seeds.jsonl"));
    let gold = jsonl(dir.join("gold/seeds.jsonl"));
    let mut tally = SeedTally::default();
    for doc in &corpus {
        let Some(g) = gold.iter().find(|g| g["id"] == doc["id"]) else { continue };
        let text = doc["text"].as_str().unwrap_or("");
        let anchor = doc["date"].as_str().and_then(parse_iso_anchor);
        let preds = r.find(text, &CharMap::new(text), anchor);
        let golds = g["dates"].as_array().cloned().unwrap_or_default();
        tally.add_document(
            &doc["id"],
            &preds,
            &golds,
            |p, d| match d["resolved"].as_str() {
                Some(res) => p.resolved.as_deref() == Some(res),
                None => norm(&p.text) == norm(d["text"].as_str().unwrap_or("")),
            },
            |p| format!("{:?}={:?}", p.text, p.resolved),
            |d| format!("{}={}", d["text"], d["resolved"]),
        );
    }
    let f1 = tally.report_f1("seeds dates");
    assert!(f1 >= FLOOR_F1, "seed date F1 fell to {f1}");
}
