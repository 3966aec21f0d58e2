//! Scores the date recognizer on the annotated seed articles with the reference scorer's rule
//! (same `resolved`, or the same normalised text where gold's is null; one-to-one), when
//! `../shared` is present. The anchor is the corpus `date` field. Prints P/R/F1 and the misses;
//! the floor sits just under the measured F1 so that regressions fail.

use crosscheck_extract::date::{parse_iso_anchor, DateRecognizer};
use crosscheck_text::CharMap;
use serde_json::Value;
use std::path::PathBuf;

const FLOOR_F1: f64 = 0.98;

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    (dir.join("corpus/seeds.jsonl").is_file() && dir.join("gold/seeds.jsonl").is_file()).then_some(dir)
}

fn jsonl(path: PathBuf) -> Vec<Value> {
    std::fs::read_to_string(path)
        .map(|t| t.lines().filter_map(|l| serde_json::from_str(l).ok()).collect())
        .unwrap_or_default()
}

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
    let Some(dir) = shared() else {
        println!("../shared absent: skipping");
        return;
    };
    let r = DateRecognizer::new().expect("resources compile");
    let corpus = jsonl(dir.join("corpus/seeds.jsonl"));
    let gold = jsonl(dir.join("gold/seeds.jsonl"));
    let (mut tp, mut n_pred, mut n_gold) = (0usize, 0usize, 0usize);
    for doc in &corpus {
        let Some(g) = gold.iter().find(|g| g["id"] == doc["id"]) else { continue };
        let text = doc["text"].as_str().unwrap_or("");
        let anchor = doc["date"].as_str().and_then(parse_iso_anchor);
        let preds = r.find(text, &CharMap::new(text), anchor);
        let golds = g["dates"].as_array().cloned().unwrap_or_default();
        let mut used = vec![false; golds.len()];
        let mut extra = Vec::new();
        for p in &preds {
            let hit = golds.iter().enumerate().position(|(i, d)| {
                !used[i]
                    && match d["resolved"].as_str() {
                        Some(res) => p.resolved.as_deref() == Some(res),
                        None => norm(&p.text) == norm(d["text"].as_str().unwrap_or("")),
                    }
            });
            match hit {
                Some(i) => {
                    used[i] = true;
                    tp += 1;
                }
                None => extra.push(format!("{:?}={:?}", p.text, p.resolved)),
            }
        }
        n_pred += preds.len();
        n_gold += golds.len();
        let missed: Vec<String> = golds
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(d, _)| format!("{}={}", d["text"], d["resolved"]))
            .collect();
        println!(
            "{}: {} predicted, {} gold; extra {:?}; missed {:?}",
            doc["id"],
            preds.len(),
            golds.len(),
            extra,
            missed
        );
    }
    let p = if n_pred == 0 { 1.0 } else { tp as f64 / n_pred as f64 };
    let rc = if n_gold == 0 { 1.0 } else { tp as f64 / n_gold as f64 };
    let f1 = if p + rc == 0.0 { 0.0 } else { 2.0 * p * rc / (p + rc) };
    println!("seeds dates: P {p:.3} R {rc:.3} F1 {f1:.3} ({tp} matched, {n_pred} predicted, {n_gold} gold)");
    assert!(f1 >= FLOOR_F1, "seed date F1 fell to {f1}");
}
