//! What the per-recognizer seed tests share: finding `../shared`, reading its JSONL files, and
//! the reference scorer's one-to-one matching in prediction order with a P/R/F1 tally.
//!
//! Only the matching rule of each recognizer (which gold item a prediction may take) lives in
//! its own test file; nothing here knows about dates or quantities.

use serde_json::Value;
use std::path::PathBuf;

/// `../shared` beside the workspace when it holds the seed corpus and its gold annotations.
pub fn shared_seeds() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    (dir.join("corpus/seeds.jsonl").is_file() && dir.join("gold/seeds.jsonl").is_file()).then_some(dir)
}

/// The parseable lines of a JSONL file (none when it cannot be read).
pub fn jsonl(path: PathBuf) -> Vec<Value> {
    std::fs::read_to_string(path)
        .map(|t| t.lines().filter_map(|l| serde_json::from_str(l).ok()).collect())
        .unwrap_or_default()
}

/// Matched, predicted and gold counts summed over documents.
#[derive(Debug, Default)]
pub struct SeedTally {
    matched: usize,
    predicted: usize,
    gold: usize,
}

impl SeedTally {
    /// Matches one document's predictions to its gold items one-to-one, each prediction taking
    /// the first unused gold item `matches` accepts, and prints what was extra and missed.
    pub fn add_document<P>(
        &mut self,
        doc_id: &Value,
        preds: &[P],
        golds: &[Value],
        matches: impl Fn(&P, &Value) -> bool,
        describe_pred: impl Fn(&P) -> String,
        describe_gold: impl Fn(&Value) -> String,
    ) {
        let mut used = vec![false; golds.len()];
        let mut extra = Vec::new();
        for p in preds {
            match golds.iter().enumerate().position(|(i, g)| !used[i] && matches(p, g)) {
                Some(i) => {
                    used[i] = true;
                    self.matched += 1;
                }
                None => extra.push(describe_pred(p)),
            }
        }
        self.predicted += preds.len();
        self.gold += golds.len();
        let missed: Vec<String> =
            golds.iter().zip(&used).filter(|(_, u)| !**u).map(|(g, _)| describe_gold(g)).collect();
        println!("{doc_id}: {} predicted, {} gold; extra {extra:?}; missed {missed:?}", preds.len(), golds.len());
    }

    /// Prints the totals under `label` and returns F1 (precision is 1 when nothing was
    /// predicted). Panics when no gold item was read: an empty or mismatched gold file must not
    /// pass as a perfect score.
    pub fn report_f1(&self, label: &str) -> f64 {
        assert!(self.gold > 0, "{label}: no gold items were read (empty gold file, or no document id matched)");
        let p = if self.predicted == 0 { 1.0 } else { self.matched as f64 / self.predicted as f64 };
        let r = self.matched as f64 / self.gold as f64;
        let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        println!(
            "{label}: P {p:.3} R {r:.3} F1 {f1:.3} ({} matched, {} predicted, {} gold)",
            self.matched, self.predicted, self.gold
        );
        f1
    }
}
