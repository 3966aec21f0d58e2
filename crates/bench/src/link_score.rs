//! `crosscheck-bench link-score`: precision and recall of the duplicate groups a store holds
//! (after `crosscheck ingest` + link) against the planted duplicates in a `gen` truth file.
//!
//! A predicted pair is any two members of one stored group (groups are transitive, so that is
//! what the tool claims); a true pair is any two copies of one base article. Recall is also
//! broken down by the kind of copy (`base+wire`, `rewrite+trim`, ...) and false pairs by
//! whether they join two articles of one story (contradiction, update) or of different ones.
//! It reads the store only; it never writes.

use anyhow::{bail, Context, Result};
use crosscheck_model::DuplicateGroup;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;

#[derive(Debug, Default)]
pub struct Truth {
    ids: HashMap<String, u32>,
    story_of: HashMap<u32, u64>,
    variant_of: HashMap<u32, String>,
    pairs: HashSet<(u32, u32)>,
}

impl Truth {
    fn intern(&mut self, id: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(id.to_string()).or_insert(next)
    }

    pub fn read(path: &Path) -> Result<Self> {
        let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let mut truth = Truth::default();
        for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_str(&line).with_context(|| format!("{}:{}", path.display(), number + 1))?;
            let docs: Vec<&str> =
                value["docs"].as_array().map(|a| a.iter().filter_map(|d| d.as_str()).collect()).unwrap_or_default();
            match value["type"].as_str() {
                Some("story") => {
                    let story = value["story"].as_u64().unwrap_or(u64::MAX);
                    for doc in docs {
                        let id = truth.intern(doc);
                        truth.story_of.insert(id, story);
                    }
                }
                Some("duplicates") => {
                    let members: Vec<u32> = docs.iter().map(|d| truth.intern(d)).collect();
                    for (doc, &id) in docs.iter().zip(&members) {
                        let variant = value["variants"][doc].as_str().unwrap_or("copy").to_string();
                        truth.variant_of.insert(id, variant);
                    }
                    for (i, &a) in members.iter().enumerate() {
                        for &b in &members[i + 1..] {
                            truth.pairs.insert((a.min(b), a.max(b)));
                        }
                    }
                }
                _ => {}
            }
        }
        if truth.story_of.is_empty() {
            bail!("{}: no story lines; is this a `crosscheck-bench gen` truth file?", path.display());
        }
        Ok(truth)
    }
}

#[derive(Debug, Default)]
pub struct Score {
    pub true_pairs: usize,
    pub predicted_pairs: usize,
    pub correct: usize,
    /// Predicted pairs of two articles of one story that are not copies of each other.
    pub false_same_story: usize,
    pub false_other_story: usize,
    /// `variant+variant` → (found, planted).
    pub recall_by_variants: BTreeMap<String, (usize, usize)>,
}

impl Score {
    pub fn precision(&self) -> f64 {
        if self.predicted_pairs == 0 {
            1.0
        } else {
            self.correct as f64 / self.predicted_pairs as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            1.0
        } else {
            self.correct as f64 / self.true_pairs as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn variants_label(truth: &Truth, a: u32, b: u32) -> String {
    let name = |id| truth.variant_of.get(&id).map(String::as_str).unwrap_or("other");
    let (x, y) = (name(a), name(b));
    if x <= y {
        format!("{x}+{y}")
    } else {
        format!("{y}+{x}")
    }
}

pub fn score(truth: &mut Truth, groups: &[DuplicateGroup]) -> Score {
    let mut predicted: HashSet<(u32, u32)> = HashSet::new();
    for group in groups {
        let members: Vec<u32> = group.members.iter().map(|m| truth.intern(m)).collect();
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                if a != b {
                    predicted.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    let mut score = Score { true_pairs: truth.pairs.len(), predicted_pairs: predicted.len(), ..Score::default() };
    for &(a, b) in &predicted {
        if truth.pairs.contains(&(a, b)) {
            score.correct += 1;
        } else if truth.story_of.contains_key(&a) && truth.story_of.get(&a) == truth.story_of.get(&b) {
            score.false_same_story += 1;
        } else {
            score.false_other_story += 1;
        }
    }
    for &(a, b) in &truth.pairs {
        let entry = score.recall_by_variants.entry(variants_label(truth, a, b)).or_default();
        entry.1 += 1;
        if predicted.contains(&(a, b)) {
            entry.0 += 1;
        }
    }
    score
}

pub fn run(truth_path: &Path, data: &Path) -> Result<()> {
    let mut truth = Truth::read(truth_path)?;
    let store =
        crosscheck_store::Store::open_read_only(data).with_context(|| format!("opening store {}", data.display()))?;
    let groups = store.duplicate_groups()?;
    let s = score(&mut truth, &groups);
    println!("duplicate groups in store   {}", groups.len());
    println!("planted duplicate pairs     {}", s.true_pairs);
    println!("predicted duplicate pairs   {}", s.predicted_pairs);
    println!("correct pairs               {}", s.correct);
    println!("false pairs, same story     {}  (contradiction/update/denial joined to a copy)", s.false_same_story);
    println!("false pairs, other stories  {}", s.false_other_story);
    println!("precision                   {:.4}", s.precision());
    println!("recall                      {:.4}", s.recall());
    println!("F1                          {:.4}", s.f1());
    println!("recall by kind of pair:");
    for (label, (found, planted)) in &s.recall_by_variants {
        println!("  {label:<18} {found:>8} / {planted:<8} {:.4}", *found as f64 / (*planted).max(1) as f64);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(members: &[&str]) -> DuplicateGroup {
        DuplicateGroup {
            id: "g".into(),
            canonical: members[0].into(),
            members: members.iter().map(|m| m.to_string()).collect(),
            pairs: Vec::new(),
        }
    }

    #[test]
    fn pairs_are_scored_against_the_truth() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("truth.jsonl");
        std::fs::write(
            &path,
            concat!(
                r#"{"type":"story","story":0,"docs":["a","b","c","d"]}"#,
                "\n",
                r#"{"type":"duplicates","story":0,"docs":["a","b","c"],"variants":{"a":"base","b":"wire","c":"trim"}}"#,
                "\n",
                r#"{"type":"story","story":1,"docs":["e"]}"#,
                "\n"
            ),
        )
        .expect("present in the test data");
        let mut truth = Truth::read(&path).expect("present in the test data");
        // Found a-b and the false a-d (same story) and d-e (other story); missed a-c and b-c.
        let s = score(&mut truth, &[group(&["a", "b"]), group(&["a", "d"]), group(&["d", "e"])]);
        assert_eq!((s.true_pairs, s.predicted_pairs, s.correct), (3, 3, 1));
        assert_eq!((s.false_same_story, s.false_other_story), (1, 1));
        assert!((s.precision() - 1.0 / 3.0).abs() < 1e-9 && (s.recall() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.recall_by_variants["base+wire"], (1, 1));
        assert_eq!(s.recall_by_variants["base+trim"], (0, 1));
    }

    #[test]
    fn a_file_without_stories_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, "{\"type\":\"other\"}\n").expect("present in the test data");
        assert!(Truth::read(&path).is_err());
    }
}
