//! Scores the quantity recognizer on the annotated seed articles with the reference scorer's
//! rule (same value and same unit, one-to-one), when `../shared` is present. Prints P/R/F1 and
//! the misses; the floor sits just under the measured F1 so that regressions fail.

use crosscheck_extract::quantity::QuantityRecognizer;
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

#[test]
fn seeds_quantities() {
    let Some(dir) = shared() else {
        println!("../shared absent: skipping");
        return;
    };
    let r = QuantityRecognizer::new().expect("resources compile");
    let corpus = jsonl(dir.join("corpus/seeds.jsonl"));
    let gold = jsonl(dir.join("gold/seeds.jsonl"));
    let (mut tp, mut n_pred, mut n_gold) = (0usize, 0usize, 0usize);
    for doc in &corpus {
        let Some(g) = gold.iter().find(|g| g["id"] == doc["id"]) else { continue };
        let text = doc["text"].as_str().unwrap_or("");
        let preds = r.find(text, &CharMap::new(text));
        let golds = g["quantities"].as_array().cloned().unwrap_or_default();
        let mut used = vec![false; golds.len()];
        let mut extra = Vec::new();
        for p in &preds {
            let hit = golds.iter().enumerate().position(|(i, q)| {
                !used[i]
                    && q["value"].as_f64() == Some(p.value)
                    && q["unit"].as_str().is_some_and(|u| u.eq_ignore_ascii_case(&p.unit))
            });
            match hit {
                Some(i) => {
                    used[i] = true;
                    tp += 1;
                }
                None => extra.push(format!("{:?} {} {}", p.text, p.value, p.unit)),
            }
        }
        n_pred += preds.len();
        n_gold += golds.len();
        let missed: Vec<String> = golds
            .iter()
            .zip(&used)
            .filter(|(_, u)| !**u)
            .map(|(q, _)| format!("{} {} {}", q["text"], q["value"], q["unit"]))
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
    println!("seeds quantities: P {p:.3} R {rc:.3} F1 {f1:.3} ({tp} matched, {n_pred} predicted, {n_gold} gold)");
    assert!(f1 >= FLOOR_F1, "seed quantity F1 fell to {f1}");
}
