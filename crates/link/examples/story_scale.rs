//! Scale benchmark of same-story linking (`find_story_groups`: wording LSH + rare-content
//! candidates + date gates): generates N documents by mutating the invented articles of
//! `testdata/link/corpus.jsonl` (names, numbers and 60% of the words replaced per story, dates
//! spread over three years; each story's made-up names are its entities) and plants light
//! rewrites (20% of words replaced) of one story in ten and independent reports (same names and
//! date, 60% of the other words replaced) of about one in eleven of the rest. Prints time and pairwise precision / recall on the planted pairs.
//!
//! Documents are pushed into a [`LinkCorpus`] as they are generated, as the store streams them.
//!
//! `cargo run -p crosscheck-link --example story_scale --release -- 100000`
//! (wrap in `/usr/bin/time -v` for peak memory).

use std::collections::HashSet;
use std::time::Instant;

use crosscheck_link::{find_story_groups_in, LinkConfig, LinkCorpus, StoryConfig};

const CORPUS: &str = include_str!("../../../testdata/link/corpus.jsonl");

/// A deterministic xorshift generator, so the corpus is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A pronounceable made-up word.
fn made_up_word(rng: &mut Rng, capital: bool) -> String {
    const C: &[u8] = b"bcdfghklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut w = String::new();
    for i in 0..2 + rng.below(3) {
        let c = C[rng.below(C.len())] as char;
        w.push(if i == 0 && capital { c.to_ascii_uppercase() } else { c });
        w.push(V[rng.below(V.len())] as char);
    }
    w
}

/// Adds one generated document to the corpus, streamed (no extraction is kept).
fn push(corpus: &mut LinkCorpus, count: &mut usize, text: &str, date: &str, names: &[String]) {
    let id = format!("d{:06}", *count);
    corpus.push(&id, text, Some(date), names.iter().map(String::as_str), std::iter::empty());
    *count += 1;
}

fn main() {
    let docs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let templates: Vec<Vec<String>> = CORPUS
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(|t| t.split_whitespace().map(str::to_string).collect()))
        .collect();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    // A Zipf-ish replacement vocabulary: common words are drawn far more often.
    let vocabulary: Vec<String> = (0..20_000).map(|_| made_up_word(&mut rng, false)).collect();
    let zipf = |rng: &mut Rng| {
        let r = rng.below(vocabulary.len()) + 1;
        vocabulary[rng.below(r)].clone()
    };
    let started = Instant::now();
    let mut corpus = LinkCorpus::new(&LinkConfig::default());
    let mut count = 0usize;
    let mut planted: HashSet<(usize, usize)> = HashSet::new();
    let (mut planted_rewrites, mut planted_reports) = (0usize, 0usize);
    while count < docs {
        let template = &templates[rng.below(templates.len())];
        let mut names = std::collections::HashMap::new();
        let story: Vec<String> = template
            .iter()
            .map(|w| {
                if w.chars().next().is_some_and(char::is_uppercase) {
                    names.entry(w.clone()).or_insert_with(|| made_up_word(&mut rng, true)).clone()
                } else if w.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    format!("{}", 2 + rng.below(5000))
                } else if rng.below(10) < 6 {
                    zipf(&mut rng)
                } else {
                    w.clone()
                }
            })
            .collect();
        let date = format!("{}-{:02}-{:02}", 2024 + rng.below(3), 1 + rng.below(12), 1 + rng.below(28));
        let mut story_names: Vec<String> = names.into_values().collect();
        story_names.sort();
        let original = count;
        push(&mut corpus, &mut count, &story.join(" "), &date, &story_names);
        if count < docs && rng.below(10) == 0 {
            // a light rewrite: 20% of the words replaced (wording path)
            let rewrite: Vec<String> =
                story.iter().map(|w| if rng.below(5) == 0 { zipf(&mut rng) } else { w.clone() }).collect();
            planted.insert((original, count));
            planted_rewrites += 1;
            push(&mut corpus, &mut count, &rewrite.join(" "), &date, &story_names);
        } else if count < docs && rng.below(10) == 0 {
            // an independent report: same actors and date, 60% of the other words replaced
            let report: Vec<String> = story
                .iter()
                .map(|w| {
                    let named = w.chars().next().is_some_and(char::is_uppercase);
                    if !named && rng.below(10) < 6 {
                        zipf(&mut rng)
                    } else {
                        w.clone()
                    }
                })
                .collect();
            planted.insert((original, count));
            planted_reports += 1;
            push(&mut corpus, &mut count, &report.join(" "), &date, &story_names);
        }
    }
    let generated = started.elapsed();
    let heap_mb = corpus.heap_bytes() / (1 << 20);
    let started = Instant::now();
    let result = find_story_groups_in(&mut corpus, &StoryConfig::default());
    let elapsed = started.elapsed();
    let index_of = |id: &str| id.trim_start_matches('d').parse::<usize>().unwrap_or(usize::MAX);
    let mut predicted: HashSet<(usize, usize)> = HashSet::new();
    for g in &result.groups {
        for (i, a) in g.members.iter().enumerate() {
            for b in &g.members[i + 1..] {
                let (x, y) = (index_of(a), index_of(b));
                predicted.insert((x.min(y), x.max(y)));
            }
        }
    }
    let mut false_links: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for link in &result.links {
        let (x, y) = (index_of(&link.a), index_of(&link.b));
        if !planted.contains(&(x.min(y), x.max(y))) {
            *false_links.entry(format!("{:?}", link.basis)).or_default() += 1;
        }
    }
    let correct = predicted.intersection(&planted).count();
    let precision = if predicted.is_empty() { 1.0 } else { correct as f64 / predicted.len() as f64 };
    let recall = if planted.is_empty() { 1.0 } else { correct as f64 / planted.len() as f64 };
    println!(
        "{docs} docs: generated and indexed in {:.2} s (compact corpus ~{heap_mb} MB), grouped in {:.2} s; {} groups; planted pairs {} ({planted_rewrites} rewrites, {planted_reports} independent reports); predicted pairs {}; precision {precision:.3}, recall {recall:.3}; unplanted links by basis {false_links:?}",
        generated.as_secs_f64(),
        elapsed.as_secs_f64(),
        result.groups.len(),
        planted.len(),
        predicted.len(),
    );
}
