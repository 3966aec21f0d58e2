//! `crosscheck-bench link-score`: precision and recall of the duplicate groups a store holds
//! (after `crosscheck ingest` + link) against the planted duplicates in a `gen` truth file.
//!
//! A predicted pair is any two members of one stored group (groups are transitive, so that is
//! what the tool claims); a true pair is any two copies of one base article. Ingest keeps only
//! the first of several byte-identical texts and prints `duplicate: X has the same text as Y`;
//! given that output (`--ingest-log`), those links join the groups too. Planted pairs with a
//! document the store never saw (and the log does not name) are left out and counted.
//!
//! The groups come from the store (`--data`, read with this build's store crate) or from
//! `crosscheck report --format json` output (`--report`), which works across store versions. Recall is also
//! broken down by the kind of copy (`base+wire`, `rewrite+trim`, ...) and false pairs by
//! whether they join two articles of one story (contradiction, update) or of different ones.
//! From a store, the planted pairs are also scored against *copy links* only (stored pairs
//! whose wording similarity reaches the near-duplicate threshold), since groups join
//! independent reports of one story on purpose.
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
    /// Planted pairs left out because the tool never saw one of the documents.
    pub unseen_pairs: usize,
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

type Pair = (u32, u32);

/// What the tool under test said: its groups, its exact-text links, the documents it holds.
#[derive(Debug, Default, Clone)]
pub struct Prediction {
    pub groups: Vec<Vec<String>>,
    /// `(dropped, kept)`: ingest dropped `dropped` for having the same text as `kept`.
    pub same_text: Vec<(String, String)>,
    /// Stored document ids; `None` when unknown (then every planted pair is scored).
    pub stored: Option<Vec<String>>,
    /// Copy clusters: inside each group, the components of its stored pairs whose wording
    /// similarity reaches [`COPY_LINK`] (the copy links). `None` when the source has no pairs.
    pub copy_clusters: Option<Vec<Vec<String>>>,
}

/// Wording similarity (exact 3-word-shingle Jaccard) from which a stored pair is a copy link:
/// the near-duplicate threshold of `crosscheck_link::LinkConfig`.
pub const COPY_LINK: f64 = 0.15;

/// The copy clusters of one group (see [`Prediction::copy_clusters`]); singletons left out.
pub fn copy_clusters(group: &DuplicateGroup) -> Vec<Vec<String>> {
    let index: HashMap<&str, u32> = group.members.iter().enumerate().map(|(i, m)| (m.as_str(), i as u32)).collect();
    let mut parent: Vec<u32> = (0..group.members.len() as u32).collect();
    for (a, b, similarity) in &group.pairs {
        if *similarity < COPY_LINK {
            continue;
        }
        let (Some(&a), Some(&b)) = (index.get(a.as_str()), index.get(b.as_str())) else { continue };
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
    let mut clusters: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (i, member) in group.members.iter().enumerate() {
        let root = find(&mut parent, i as u32);
        clusters.entry(root).or_default().push(member.clone());
    }
    clusters.into_values().filter(|c| c.len() > 1).collect()
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

pub fn score(truth: &mut Truth, prediction: &Prediction) -> Score {
    // Groups and exact-text links are merged transitively, as a reader of the report would.
    let mut links: Vec<(u32, u32)> = Vec::new();
    for group in &prediction.groups {
        let members: Vec<u32> = group.iter().map(|m| truth.intern(m)).collect();
        links.extend(members.windows(2).map(|w| (w[0], w[1])));
    }
    for (dropped, kept) in &prediction.same_text {
        links.push((truth.intern(dropped), truth.intern(kept)));
    }
    let mut parent: Vec<u32> = (0..truth.ids.len() as u32).collect();
    for &(a, b) in &links {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
    let mut components: HashMap<u32, Vec<u32>> = HashMap::new();
    for &(a, b) in &links {
        for x in [a, b] {
            let root = find(&mut parent, x);
            components.entry(root).or_default().push(x);
        }
    }
    let mut predicted: HashSet<(u32, u32)> = HashSet::new();
    for members in components.values_mut() {
        members.sort_unstable();
        members.dedup();
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                predicted.insert((a, b));
            }
        }
    }
    // Documents the tool saw: stored ones plus the ones it dropped as exact copies.
    let seen: Option<HashSet<u32>> = prediction.stored.as_ref().map(|stored| {
        let mut seen: HashSet<u32> = stored.iter().map(|id| truth.intern(id)).collect();
        seen.extend(prediction.same_text.iter().map(|(d, _)| truth.intern(d)));
        seen
    });
    let planted: Vec<(u32, u32)> = truth.pairs.iter().copied().collect();
    let (scored, unseen): (Vec<Pair>, Vec<Pair>) =
        planted.into_iter().partition(|(a, b)| seen.as_ref().is_none_or(|s| s.contains(a) && s.contains(b)));
    let mut score = Score {
        true_pairs: scored.len(),
        predicted_pairs: predicted.len(),
        unseen_pairs: unseen.len(),
        ..Score::default()
    };
    for &(a, b) in &predicted {
        if truth.pairs.contains(&(a, b)) {
            score.correct += 1;
        } else if truth.story_of.contains_key(&a) && truth.story_of.get(&a) == truth.story_of.get(&b) {
            score.false_same_story += 1;
        } else {
            score.false_other_story += 1;
        }
    }
    for &(a, b) in &scored {
        let entry = score.recall_by_variants.entry(variants_label(truth, a, b)).or_default();
        entry.1 += 1;
        if predicted.contains(&(a, b)) {
            entry.0 += 1;
        }
    }
    score
}

/// Reads the predictions from a store directory or a report JSON, and an optional ingest log.
pub fn load_prediction(data: Option<&Path>, report: Option<&Path>, ingest_log: Option<&Path>) -> Result<Prediction> {
    let mut prediction = Prediction::default();
    match (data, report) {
        (Some(dir), None) => {
            let store = crosscheck_store::Store::open_read_only(dir)
                .with_context(|| format!("opening store {}", dir.display()))?;
            let groups: Vec<DuplicateGroup> = store.duplicate_groups()?;
            prediction.copy_clusters = Some(groups.iter().flat_map(copy_clusters).collect());
            prediction.groups = groups.into_iter().map(|g| g.members).collect();
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let report: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
            let strings = |v: &serde_json::Value| -> Vec<String> {
                v.as_array()
                    .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                    .unwrap_or_default()
            };
            let Some(groups) = report["duplicate_groups"].as_array() else {
                bail!("{}: no duplicate_groups array; is this `crosscheck report --format json`?", path.display());
            };
            prediction.groups = groups.iter().map(|g| strings(&g["members"])).collect();
            prediction.stored = report["documents"]
                .as_array()
                .map(|docs| docs.iter().filter_map(|d| d["id"].as_str().map(str::to_string)).collect());
        }
        _ => bail!("give exactly one of --data and --report"),
    }
    if let Some(path) = ingest_log {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("duplicate: ") else { continue };
            if let Some((dropped, kept)) = rest.split_once(" has the same text as ") {
                prediction.same_text.push((dropped.trim().to_string(), kept.trim().to_string()));
            }
        }
    }
    Ok(prediction)
}

pub fn run(truth_path: &Path, prediction: &Prediction) -> Result<()> {
    let mut truth = Truth::read(truth_path)?;
    let s = score(&mut truth, prediction);
    println!("duplicate groups            {}", prediction.groups.len());
    println!("exact-text links (ingest)   {}", prediction.same_text.len());
    println!("planted duplicate pairs     {}  (+{} with a document the tool never saw)", s.true_pairs, s.unseen_pairs);
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
    if let Some(clusters) = &prediction.copy_clusters {
        // The same planted pairs against copy links only: groups also hold independent reports
        // of one story on purpose, which the figures above count as false copies.
        let copies = Prediction { groups: clusters.clone(), copy_clusters: None, ..prediction.clone() };
        let c = score(&mut truth, &copies);
        println!("copy links (stored pairs with wording similarity >= {COPY_LINK}, per group):");
        println!("  predicted copy pairs      {}", c.predicted_pairs);
        println!("  false, same story         {}", c.false_same_story);
        println!("  false, other stories      {}", c.false_other_story);
        println!("  precision                 {:.4}", c.precision());
        println!("  recall                    {:.4}", c.recall());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(members: &[&str]) -> Vec<String> {
        members.iter().map(|m| m.to_string()).collect()
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
        let prediction = Prediction { groups: vec![group(&["a", "b"]), group(&["d", "e"])], ..Prediction::default() };
        let s = score(&mut truth, &prediction);
        assert_eq!((s.true_pairs, s.predicted_pairs, s.correct), (3, 2, 1));
        assert_eq!((s.false_same_story, s.false_other_story), (0, 1));
        assert!((s.precision() - 0.5).abs() < 1e-9 && (s.recall() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.recall_by_variants["base+wire"], (1, 1));
        assert_eq!(s.recall_by_variants["base+trim"], (0, 1));

        // Groups are transitive: a-b and b-d make a-d a (false, same-story) pair too.
        let mut truth = Truth::read(&path).expect("truth reads");
        let prediction = Prediction { groups: vec![group(&["a", "b"]), group(&["b", "d"])], ..Prediction::default() };
        let s = score(&mut truth, &prediction);
        assert_eq!((s.predicted_pairs, s.correct, s.false_same_story), (3, 1, 2));

        // An exact copy dropped by ingest counts through the log; a pair with a document the
        // tool never saw (c) is left out.
        let mut truth = Truth::read(&path).expect("truth reads");
        let prediction = Prediction {
            groups: Vec::new(),
            same_text: vec![("b".into(), "a".into())],
            stored: Some(vec!["a".into(), "d".into(), "e".into()]),
            copy_clusters: None,
        };
        let s = score(&mut truth, &prediction);
        assert_eq!((s.true_pairs, s.unseen_pairs, s.correct), (1, 2, 1));
        assert_eq!(s.recall(), 1.0);
    }

    #[test]
    fn copy_clusters_follow_copy_links_only() {
        let stored = DuplicateGroup {
            id: "D1".into(),
            canonical: "a".into(),
            members: group(&["a", "b", "c", "d"]),
            pairs: vec![("a".into(), "b".into(), 0.6), ("a".into(), "c".into(), 0.02), ("c".into(), "d".into(), 0.2)],
        };
        assert_eq!(copy_clusters(&stored), vec![group(&["a", "b"]), group(&["c", "d"])]);
    }

    #[test]
    fn a_file_without_stories_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, "{\"type\":\"other\"}\n").expect("present in the test data");
        assert!(Truth::read(&path).is_err());
    }
}
