//! Scores the quantity recognizer on the annotated seed articles with the reference scorer's
//! rule (same value and same unit, one-to-one), when `../shared` is present. Prints P/R/F1 and
//! the misses; the floor sits just under the measured F1 so that regressions fail.

mod common;

use common::{jsonl, shared_seeds, SeedTally};
use crosscheck_extract::quantity::QuantityRecognizer;
use crosscheck_text::CharMap;

const FLOOR_F1: f64 = 0.98;

#[test]
fn seeds_quantities() {
    let Some(dir) = shared_seeds() else {
        println!("../shared absent: skipping");
        return;
    };
    let r = QuantityRecognizer::new().expect("resources compile");
    let corpus = jsonl(dir.join("corpus/seeds.jsonl"));
    let gold = jsonl(dir.join("gold/seeds.jsonl"));
    let mut tally = SeedTally::default();
    for doc in &corpus {
        let Some(g) = gold.iter().find(|g| g["id"] == doc["id"]) else { continue };
        let text = doc["text"].as_str().unwrap_or("");
        let preds = r.find(text, &CharMap::new(text));
        let golds = g["quantities"].as_array().cloned().unwrap_or_default();
        tally.add_document(
            &doc["id"],
            &preds,
            &golds,
            |p, q| {
                q["value"].as_f64() == Some(p.value)
                    && q["unit"].as_str().is_some_and(|u| u.eq_ignore_ascii_case(&p.unit))
            },
            |p| format!("{:?} {} {}", p.text, p.value, p.unit),
            |q| format!("{} {} {}", q["text"], q["value"], q["unit"]),
        );
    }
    let f1 = tally.report_f1("seeds quantities");
    assert!(f1 >= FLOOR_F1, "seed quantity F1 fell to {f1}");
}
