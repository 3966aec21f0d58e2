//! Scale check of the claim side of link (`link_results`: numeric, status, denial and
//! subject–predicate–object claims, clusters, comparisons, provenance, entities): replicates
//! real extractions N times — ids suffixed, dates shifted a day per copy, story groups
//! replicated — so every name and figure recurs in every copy (the worst case for popular
//! entities and measures). Prints the time and counts per size.
//!
//! `crosscheck extract --quiet testdata/link examples/articles > /tmp/x.jsonl` then
//! `cargo run -p crosscheck-link --example claims_scale --release -- /tmp/x.jsonl 1000 10000`.

use std::time::Instant;

use crosscheck_link::{find_story_groups, link_results, DuplicateGroup, LinkConfig, StoryConfig};
use crosscheck_model::Extraction;

fn shift_date(date: &str, days: usize) -> String {
    // Calendar-free shift: enough to order copies in time and keep ISO shape.
    let year: usize = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026);
    let day = days % 336;
    format!("{:04}-{:02}-{:02}", year + days / 336, day / 28 + 1, day % 28 + 1)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: claims_scale EXTRACTIONS.jsonl N [N ...]");
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let base: Vec<Extraction> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let base_groups = find_story_groups(&base, &LinkConfig::default(), &StoryConfig::default()).groups;
    eprintln!("{} base documents, {} base groups", base.len(), base_groups.len());
    for n in args.filter_map(|a| a.parse::<usize>().ok()) {
        let copies = n.div_ceil(base.len().max(1));
        let mut docs = Vec::with_capacity(n);
        let mut groups = Vec::new();
        for k in 0..copies {
            for x in &base {
                let mut y = x.clone();
                y.id = format!("{}-{k}", x.id);
                y.date = Some(shift_date(x.date.as_deref().unwrap_or("2026-01-01"), k));
                docs.push(y);
            }
            for g in &base_groups {
                groups.push(DuplicateGroup {
                    id: format!("{}-{k}", g.id),
                    canonical: format!("{}-{k}", g.canonical),
                    members: g.members.iter().map(|m| format!("{m}-{k}")).collect(),
                    pairs: g.pairs.iter().map(|(a, b, s)| (format!("{a}-{k}"), format!("{b}-{k}"), *s)).collect(),
                });
            }
        }
        docs.truncate(n);
        let kept: std::collections::HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        groups.retain(|g| g.members.iter().all(|m| kept.contains(m.as_str())));
        let start = Instant::now();
        let r = link_results(&docs, &groups);
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{n} documents: {secs:.2} s ({:.0} docs/s); {} statements, {} statement clusters, {} numeric claims, {} comparisons, {} citations, {} entities",
            n as f64 / secs.max(1e-9),
            r.claims.statements.len(),
            r.claims.statement_clusters.len(),
            r.claims.claims.len(),
            r.claims.comparisons.len(),
            r.provenance.citations.len(),
            r.entities.len()
        );
    }
}
