//! The scorer of the article-body extraction benchmark (`htmlbench`, see its README): 4-token
//! shingle bags, per-page precision and recall, averaged over pages, F1 from the averages.
//!
//! It owns the metric and the loading of the benchmark files, so that the comparison example and
//! the regression test measure the same thing. It must not know about any particular extractor:
//! callers pass the extraction as a closure. Benchmark pages are read at run time only, never
//! embedded or copied.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use regex::Regex;
use serde_json::Value;

/// One page of the benchmark: its id, the page file and the ground-truth body.
#[derive(Debug, Clone)]
pub struct BenchPage {
    pub id: String,
    pub url: Option<String>,
    pub html_path: PathBuf,
    pub truth: String,
}

/// Shingle counts of one page, the basis of every figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageCounts {
    pub matched: usize,
    /// Predicted shingles beyond what the truth has.
    pub extra: usize,
    /// Truth shingles the prediction lacks.
    pub missed: usize,
}

impl PageCounts {
    /// `None` when nothing was extracted (such pages are left out of the precision average).
    pub fn precision(&self) -> Option<f64> {
        let predicted = self.matched + self.extra;
        if predicted == 0 {
            None
        } else {
            Some(self.matched as f64 / predicted as f64)
        }
    }
    pub fn recall(&self) -> f64 {
        let truth = self.matched + self.missed;
        if truth == 0 {
            // An empty truth is fully recalled by anything.
            1.0
        } else {
            self.matched as f64 / truth as f64
        }
    }
}

/// Scores of one page.
#[derive(Debug, Clone)]
pub struct PageResult {
    pub id: String,
    pub counts: PageCounts,
    /// Token sequences identical (the benchmark's "accuracy").
    pub exact: bool,
    pub html_bytes: usize,
    pub elapsed: Duration,
}

/// Set-level figures.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    pub pages: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Precision with empty outputs counted as 0.
    pub strict_precision: f64,
    pub micro_precision: f64,
    pub micro_recall: f64,
    pub micro_f1: f64,
    pub accuracy: f64,
    pub megabytes_per_second: f64,
}

fn token_regex() -> &'static Regex {
    static TOKEN: OnceLock<Regex> = OnceLock::new();
    // The benchmark's token definition, spelt out because `\w` also takes combining marks.
    TOKEN.get_or_init(|| Regex::new(r"[\p{L}\p{N}_]+").unwrap_or_else(|_| unreachable!()))
}

/// The benchmark's tokens: maximal runs of letters, digits and underscore.
pub fn tokens(text: &str) -> Vec<&str> {
    token_regex().find_iter(text).map(|m| m.as_str()).collect()
}

/// Bag of 4-token windows; 1–3 tokens give one shorter shingle, no tokens give none.
pub fn shingles<'a>(tokens: &[&'a str]) -> HashMap<Vec<&'a str>, usize> {
    let mut bag = HashMap::new();
    if tokens.is_empty() {
        return bag;
    }
    if tokens.len() < 4 {
        bag.insert(tokens.to_vec(), 1);
        return bag;
    }
    for window in tokens.windows(4) {
        *bag.entry(window.to_vec()).or_insert(0) += 1;
    }
    bag
}

/// Shingle counts of a prediction against the truth.
pub fn compare(predicted: &str, truth: &str) -> (PageCounts, bool) {
    let predicted_tokens = tokens(predicted);
    let truth_tokens = tokens(truth);
    let predicted_bag = shingles(&predicted_tokens);
    let truth_bag = shingles(&truth_tokens);
    let mut counts = PageCounts::default();
    for (shingle, &n) in &predicted_bag {
        let t = truth_bag.get(shingle).copied().unwrap_or(0);
        counts.matched += n.min(t);
        counts.extra += n.saturating_sub(t);
    }
    for (shingle, &t) in &truth_bag {
        let n = predicted_bag.get(shingle).copied().unwrap_or(0);
        counts.missed += t.saturating_sub(n);
    }
    (counts, predicted_tokens == truth_tokens)
}

/// Errors reading the benchmark files.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    BadTruth { path: PathBuf, line: usize, message: String },
}

/// Loads `truth.jsonl` and pairs each entry with `html/<id>.html`, in file order (sorted by id).
pub fn load(dir: &Path) -> Result<Vec<BenchPage>, BenchError> {
    let truth_path = dir.join("truth.jsonl");
    let content =
        std::fs::read_to_string(&truth_path).map_err(|source| BenchError::Io { path: truth_path.clone(), source })?;
    let mut pages = Vec::new();
    for (index, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| BenchError::BadTruth { path: truth_path.clone(), line: index + 1, message };
        let value: Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let id = value["id"].as_str().ok_or_else(|| bad("missing id".into()))?.to_string();
        let truth = value["articleBody"].as_str().ok_or_else(|| bad("missing articleBody".into()))?.to_string();
        let url = value["url"].as_str().map(str::to_string);
        let html_path = dir.join("html").join(format!("{id}.html"));
        pages.push(BenchPage { id, url, html_path, truth });
    }
    Ok(pages)
}

/// Runs `extract` over the pages (single thread, timing only the extraction, keeping the
/// fastest of `repeats` runs per page) and scores the output.
pub fn run(
    pages: &[BenchPage],
    repeats: usize,
    extract: &mut dyn FnMut(&str, Option<&str>) -> String,
) -> Result<Vec<PageResult>, BenchError> {
    let mut results = Vec::with_capacity(pages.len());
    for page in pages {
        let bytes =
            std::fs::read(&page.html_path).map_err(|source| BenchError::Io { path: page.html_path.clone(), source })?;
        let html = String::from_utf8_lossy(&bytes);
        let mut text = String::new();
        let mut elapsed = Duration::MAX;
        for _ in 0..repeats.max(1) {
            let started = Instant::now();
            text = extract(&html, page.url.as_deref());
            elapsed = elapsed.min(started.elapsed());
        }
        let (counts, exact) = compare(&text, &page.truth);
        results.push(PageResult { id: page.id.clone(), counts, exact, html_bytes: bytes.len(), elapsed });
    }
    Ok(results)
}

/// Set-level figures as the benchmark defines them.
pub fn summarize(results: &[PageResult]) -> Summary {
    let pages = results.len();
    if pages == 0 {
        return Summary::default();
    }
    let precisions: Vec<f64> = results.iter().filter_map(|r| r.counts.precision()).collect();
    let precision = if precisions.is_empty() { 0.0 } else { precisions.iter().sum::<f64>() / precisions.len() as f64 };
    let strict_precision = precisions.iter().sum::<f64>() / pages as f64;
    let recall = results.iter().map(|r| r.counts.recall()).sum::<f64>() / pages as f64;
    let f1 = harmonic(precision, recall);
    let (matched, extra, missed) =
        results.iter().fold((0, 0, 0), |(m, e, x), r| (m + r.counts.matched, e + r.counts.extra, x + r.counts.missed));
    let micro_precision = ratio(matched, matched + extra);
    let micro_recall = ratio(matched, matched + missed);
    let accuracy = results.iter().filter(|r| r.exact).count() as f64 / pages as f64;
    let bytes: usize = results.iter().map(|r| r.html_bytes).sum();
    let seconds: f64 = results.iter().map(|r| r.elapsed.as_secs_f64()).sum();
    let megabytes_per_second = if seconds > 0.0 { bytes as f64 / 1_000_000.0 / seconds } else { 0.0 };
    Summary {
        pages,
        precision,
        recall,
        f1,
        strict_precision,
        micro_precision,
        micro_recall,
        micro_f1: harmonic(micro_precision, micro_recall),
        accuracy,
        megabytes_per_second,
    }
}

/// How two extractors' F1 differ over 1,000-style bootstrap resamples of the same pages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedBootstrap {
    /// Share of resamples where `a` scored a higher F1 than `b`.
    pub a_wins: f64,
    /// 2.5th and 97.5th percentile of F1(a) − F1(b).
    pub low: f64,
    pub high: f64,
}

/// Paired bootstrap of F1(a) − F1(b); `a` and `b` must score the same pages in the same order.
/// Deterministic: a fixed-seed xorshift generator picks the pages.
pub fn paired_bootstrap(a: &[PageResult], b: &[PageResult], resamples: usize) -> Option<PairedBootstrap> {
    if a.is_empty() || a.len() != b.len() || resamples == 0 {
        return None;
    }
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let n = a.len();
    let mut differences = Vec::with_capacity(resamples);
    let mut sample_a = Vec::with_capacity(n);
    let mut sample_b = Vec::with_capacity(n);
    for _ in 0..resamples {
        sample_a.clear();
        sample_b.clear();
        for _ in 0..n {
            let i = (next() % n as u64) as usize;
            sample_a.push(a[i].clone());
            sample_b.push(b[i].clone());
        }
        differences.push(summarize(&sample_a).f1 - summarize(&sample_b).f1);
    }
    differences.sort_by(f64::total_cmp);
    let wins = differences.iter().filter(|&&d| d > 0.0).count();
    let at = |q: f64| differences[((resamples - 1) as f64 * q).round() as usize];
    Some(PairedBootstrap { a_wins: wins as f64 / resamples as f64, low: at(0.025), high: at(0.975) })
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Per-page table: id, precision, recall, matched, extra, missed, exact, bytes, milliseconds.
pub fn per_page_tsv(results: &[PageResult]) -> String {
    let mut out = String::from("id\tprecision\trecall\tmatched\textra\tmissed\texact\tbytes\tms\n");
    for r in results {
        let precision = r.counts.precision().map_or_else(|| "-".to_string(), |p| format!("{p:.4}"));
        out.push_str(&format!(
            "{}\t{}\t{:.4}\t{}\t{}\t{}\t{}\t{}\t{:.2}\n",
            r.id,
            precision,
            r.counts.recall(),
            r.counts.matched,
            r.counts.extra,
            r.counts.missed,
            r.exact,
            r.html_bytes,
            r.elapsed.as_secs_f64() * 1000.0
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_drop_punctuation_and_keep_case() {
        assert_eq!(tokens("Hello, world! it's snake_case 42"), ["Hello", "world", "it", "s", "snake_case", "42"]);
    }

    #[test]
    fn identical_texts_score_one() {
        let (c, exact) = compare("the cat sat on the mat today", "The cat sat on the mat today");
        assert!(!exact);
        let (same, exact_same) = compare("a b c d e", "a  b\nc d, e");
        assert!(exact_same);
        assert_eq!(same.precision(), Some(1.0));
        assert_eq!(same.recall(), 1.0);
        assert!(c.precision().unwrap_or(1.0) < 1.0);
    }

    #[test]
    fn shingles_count_repeats_and_short_texts() {
        let t = tokens("a b c d a b c d");
        let bag = shingles(&t);
        assert_eq!(bag.get(&vec!["a", "b", "c", "d"]), Some(&2));
        assert_eq!(bag.values().sum::<usize>(), 5);
        assert_eq!(shingles(&tokens("one two")).len(), 1);
        assert!(shingles(&[]).is_empty());
    }

    #[test]
    fn empty_prediction_costs_recall_only() {
        let results = vec![
            PageResult {
                id: "a".into(),
                counts: compare("", "w x y z").0,
                exact: false,
                html_bytes: 0,
                elapsed: Duration::ZERO,
            },
            PageResult {
                id: "b".into(),
                counts: compare("w x y z", "w x y z").0,
                exact: true,
                html_bytes: 0,
                elapsed: Duration::ZERO,
            },
        ];
        let s = summarize(&results);
        assert_eq!(s.precision, 1.0);
        assert_eq!(s.strict_precision, 0.5);
        assert_eq!(s.recall, 0.5);
        assert!((s.f1 - 2.0 / 3.0).abs() < 1e-9);
    }

    /// The project's target for `html_to_article` (issue 7: F1 >= 0.96); measured 0.963 with
    /// the default (fast) extractor on the 61 dev pages, 0.970 with the accurate one
    /// (quality/htmlbench.md).
    const F1_FLOOR: f64 = 0.960;

    #[test]
    fn chosen_extractor_stays_above_its_measured_f1() {
        let dir = std::env::var_os("CROSSCHECK_HTMLBENCH")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/htmlbench"));
        if !dir.join("truth.jsonl").exists() {
            eprintln!("skipped: no htmlbench at {}", dir.display());
            return;
        }
        let pages = load(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(pages.len() > 10);
        let results =
            run(&pages, 1, &mut |html, url| crate::html_to_article(html, url).text).unwrap_or_else(|e| panic!("{e}"));
        let summary = summarize(&results);
        assert!(summary.f1 >= F1_FLOOR, "F1 {:.3} fell below {F1_FLOOR:.3}", summary.f1);
    }

    #[test]
    fn paired_bootstrap_sees_a_uniformly_better_extractor() {
        let page = |id: &str, predicted: &str| PageResult {
            id: id.into(),
            counts: compare(predicted, "a b c d e f g h").0,
            exact: false,
            html_bytes: 0,
            elapsed: Duration::ZERO,
        };
        let good: Vec<PageResult> = (0..20).map(|i| page(&i.to_string(), "a b c d e f g h")).collect();
        let bad: Vec<PageResult> = (0..20).map(|i| page(&i.to_string(), "a b c d e f x y z")).collect();
        let p = paired_bootstrap(&good, &bad, 200).unwrap_or_else(|| panic!("no result"));
        assert_eq!(p.a_wins, 1.0);
        assert!(p.low > 0.0 && p.high >= p.low);
        assert!(paired_bootstrap(&good, &bad[..3], 10).is_none());
    }

    #[test]
    fn partial_overlap_counts_extra_and_missed() {
        // predicted: 1 2 3 4 5 → {1234, 2345}; truth: 2 3 4 5 6 → {2345, 3456}
        let (c, _) = compare("1 2 3 4 5", "2 3 4 5 6");
        assert_eq!(c, PageCounts { matched: 1, extra: 1, missed: 1 });
    }
}
