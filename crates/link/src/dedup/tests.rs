//! Tests of near-duplicate grouping on the fictional stories in `testdata/dedup/`, plus the
//! property tests that hold the fast path (MinHash + LSH) to its naive twin (exact Jaccard of
//! every pair).

use proptest::prelude::*;

use super::*;
use crate::minhash::{estimated_jaccard, exact_jaccard, minhash_signature};

const ORIGINAL: &str = include_str!("../../testdata/dedup/bridge_original.txt");
const REWRITE: &str = include_str!("../../testdata/dedup/bridge_rewrite.txt");
const HEAVY_REWRITE: &str = include_str!("../../testdata/dedup/bridge_heavy_rewrite.txt");
const COPY: &str = include_str!("../../testdata/dedup/bridge_copy.txt");
const FOLLOWUP: &str = include_str!("../../testdata/dedup/bridge_followup.txt");
const CLINIC: &str = include_str!("../../testdata/dedup/clinic.txt");
const HARBOUR: &str = include_str!("../../testdata/dedup/harbour.txt");

fn doc<'a>(id: &'a str, text: &'a str, date: Option<&'a str>) -> DocRef<'a> {
    DocRef { id, text, date }
}

fn empty_extraction(id: &str) -> Extraction {
    Extraction {
        id: id.into(),
        title: None,
        outlet: None,
        date: None,
        url: None,
        author: None,
        text: String::new(),
        entities: Vec::new(),
        roles: Vec::new(),
        attributions: Vec::new(),
        quantities: Vec::new(),
        dates: Vec::new(),
        events: Vec::new(),
        duplicates_of: Vec::new(),
        copy_of: None,
    }
}

/// The measurements behind the defaults (see DESIGN.md): at 3-word shingles, a 34% rewrite
/// stays above the threshold and two short unrelated stories sharing a boilerplate sentence and
/// a number stay below it, each with a margin of about 0.05.
#[test]
fn default_threshold_separates_rewrites_from_shared_boilerplate() {
    let cfg = LinkConfig::default();
    let k = cfg.shingle_words;
    let same_story = [(ORIGINAL, COPY), (ORIGINAL, REWRITE), (ORIGINAL, HEAVY_REWRITE), (REWRITE, HEAVY_REWRITE)];
    for (a, b) in same_story {
        assert!(exact_jaccard(a, b, k) >= cfg.threshold + 0.04, "{}", exact_jaccard(a, b, k));
    }
    let different = [(ORIGINAL, FOLLOWUP), (CLINIC, HARBOUR), (ORIGINAL, CLINIC), (HEAVY_REWRITE, FOLLOWUP)];
    for (a, b) in different {
        assert!(exact_jaccard(a, b, k) <= cfg.threshold - 0.04, "{}", exact_jaccard(a, b, k));
    }
    assert!(exact_jaccard(ORIGINAL, COPY, k) >= COPY_SIMILARITY);
    assert!(exact_jaccard(ORIGINAL, HEAVY_REWRITE, k) < COPY_SIMILARITY);
}

#[test]
fn groups_copies_and_rewrites_but_not_related_or_boilerplate_sharing_stories() {
    let docs = [
        doc("copy", COPY, Some("2025-03-02")),
        doc("orig", ORIGINAL, Some("2025-03-01")),
        doc("rewrite", REWRITE, Some("2025-03-01")),
        doc("heavy", HEAVY_REWRITE, None),
        doc("followup", FOLLOWUP, Some("2025-09-12")),
        doc("clinic", CLINIC, Some("2025-03-01")),
        doc("harbour", HARBOUR, Some("2025-03-01")),
        doc("empty", "", None),
        doc("empty2", " ... ", None),
    ];
    let groups = find_duplicate_groups(&docs, &LinkConfig::default());
    assert_eq!(groups.len(), 1, "{groups:#?}");
    let group = &groups[0];
    assert_eq!(group.members, vec!["copy", "heavy", "orig", "rewrite"]);
    // Earliest date wins; among the two dated 2025-03-01 the longer text wins.
    assert_eq!(group.canonical, "orig");
    assert!(group.id.starts_with('D'));
    for (a, b, similarity) in &group.pairs {
        assert!(a < b);
        assert!(*similarity >= LinkConfig::default().threshold);
    }
    assert_eq!(groups, find_duplicate_groups_exhaustive(&docs, &LinkConfig::default()));
}

#[test]
fn grouping_does_not_depend_on_input_order() {
    let mut docs =
        vec![doc("a", ORIGINAL, None), doc("b", REWRITE, None), doc("c", CLINIC, None), doc("d", COPY, None)];
    let first = find_duplicate_groups(&docs, &LinkConfig::default());
    docs.reverse();
    assert_eq!(first, find_duplicate_groups(&docs, &LinkConfig::default()));
}

#[test]
fn canonical_falls_back_to_longest_text_then_smallest_id() {
    let docs = [doc("b", ORIGINAL, None), doc("a", ORIGINAL, None), doc("c", COPY, None)];
    let groups = find_duplicate_groups(&docs, &LinkConfig::default());
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].canonical, "c", "the copy has the longest text");
    let docs = [doc("b", ORIGINAL, None), doc("a", ORIGINAL, None)];
    assert_eq!(find_duplicate_groups(&docs, &LinkConfig::default())[0].canonical, "a");
}

#[test]
fn assign_duplicates_sets_members_and_copy_of_only_for_near_verbatim_copies() {
    let docs = [
        doc("orig", ORIGINAL, Some("2025-03-01")),
        doc("copy", COPY, Some("2025-03-02")),
        doc("heavy", HEAVY_REWRITE, Some("2025-03-03")),
        doc("clinic", CLINIC, Some("2025-03-01")),
    ];
    let groups = find_duplicate_groups(&docs, &LinkConfig::default());
    let mut extractions: Vec<Extraction> = ["orig", "copy", "heavy", "clinic"].map(empty_extraction).to_vec();
    extractions[3].duplicates_of = vec!["stale".into()];
    extractions[3].copy_of = Some("stale".into());
    assign_duplicates(&mut extractions, &groups);
    assert_eq!(extractions[0].duplicates_of, vec!["copy", "heavy"]);
    assert_eq!(extractions[0].copy_of, None, "the canonical member copies nobody");
    assert_eq!(extractions[1].duplicates_of, vec!["heavy", "orig"]);
    assert_eq!(extractions[1].copy_of.as_deref(), Some("orig"));
    assert_eq!(extractions[2].duplicates_of, vec!["copy", "orig"]);
    assert_eq!(extractions[2].copy_of, None, "a heavy rewrite is the same story, not a copy");
    assert!(extractions[3].duplicates_of.is_empty() && extractions[3].copy_of.is_none());
}

#[test]
fn zero_bands_or_odd_sizes_do_not_panic() {
    let docs = [doc("a", ORIGINAL, None), doc("b", COPY, None)];
    for (num_hashes, bands) in [(0, 0), (1, 0), (7, 3), (5, 10), (128, 128)] {
        let cfg = LinkConfig { num_hashes, bands, ..LinkConfig::default() };
        let groups = find_duplicate_groups(&docs, &cfg);
        if num_hashes > 0 {
            assert_eq!(groups.len(), 1, "{num_hashes}/{bands}");
        }
    }
}

/// A small corpus: a few random "stories" over a shared vocabulary, each followed by copies
/// with a few words replaced, so that every pair is either clearly the same story (Jaccard well
/// above the threshold) or clearly not (word lists overlap, but 3-word sequences rarely do).
fn corpus_strategy() -> impl Strategy<Value = Vec<String>> {
    let story = proptest::collection::vec(0usize..200, 20..60);
    let edits = proptest::collection::vec((0usize..60, 0usize..200), 0..4);
    let family = (story, proptest::collection::vec(edits, 0..3));
    proptest::collection::vec(family, 1..6).prop_map(|families| {
        let word = |i: usize| format!("w{i}");
        let mut texts = Vec::new();
        for (story, copies) in families {
            texts.push(story.iter().map(|&i| word(i)).collect::<Vec<_>>().join(" "));
            for edits in copies {
                let mut words = story.clone();
                for (at, replacement) in edits {
                    let at = at % words.len();
                    words[at] = replacement;
                }
                texts.push(words.iter().map(|&i| word(i)).collect::<Vec<_>>().join(" "));
            }
        }
        texts
    })
}

proptest! {
    #[test]
    fn minhash_estimate_is_close_to_exact_jaccard(
        a in proptest::collection::vec(0usize..40, 5..80),
        b in proptest::collection::vec(0usize..40, 5..80),
    ) {
        let text = |v: &[usize]| v.iter().map(|i| format!("x{i}")).collect::<Vec<_>>().join(" ");
        let (a, b) = (text(&a), text(&b));
        let (sa, sb) = (crate::minhash::shingles(&a, 2), crate::minhash::shingles(&b, 2));
        let estimate = estimated_jaccard(&minhash_signature(&sa, 256), &minhash_signature(&sb, 256));
        let exact = exact_jaccard(&a, &b, 2);
        // 256 slots: standard error at most 0.031, so 0.16 is five of them.
        prop_assert!((estimate - exact).abs() <= 0.16, "estimate {} exact {}", estimate, exact);
    }

    #[test]
    fn lsh_groups_equal_naive_all_pairs_groups(texts in corpus_strategy()) {
        let ids: Vec<String> = (0..texts.len()).map(|i| format!("d{i:02}")).collect();
        let docs: Vec<DocRef<'_>> =
            ids.iter().zip(&texts).map(|(id, text)| DocRef { id, text, date: None }).collect();
        let cfg = LinkConfig::default();
        let fast = find_duplicate_groups(&docs, &cfg);
        let naive = find_duplicate_groups_exhaustive(&docs, &cfg);
        prop_assert_eq!(fast, naive);
    }
}

/// Words `prefix0 .. prefixN` joined: texts whose 3-word shingles overlap only where they
/// share words in order.
fn words(prefix: &str, range: std::ops::Range<usize>) -> String {
    range.map(|i| format!("{prefix}{i}")).collect::<Vec<_>>().join(" ")
}

#[test]
fn copies_do_not_chain_a_document_must_resemble_the_original() {
    // B takes half of A and half of C: A~B and B~C are above the threshold, A~C is 0. With
    // union-find all three were one group; as a star around the original A, C stays out.
    let a = words("a", 0..60);
    let c = words("c", 0..60);
    let b = format!("{} {}", words("a", 0..30), words("c", 0..30));
    let cfg = LinkConfig::default();
    assert!(exact_jaccard(&a, &b, 3) >= cfg.threshold && exact_jaccard(&b, &c, 3) >= cfg.threshold);
    assert_eq!(exact_jaccard(&a, &c, 3), 0.0);
    let docs = [doc("a", &a, Some("2025-01-01")), doc("b", &b, Some("2025-01-02")), doc("c", &c, Some("2025-01-03"))];
    let groups = find_duplicate_groups(&docs, &cfg);
    assert_eq!(groups.len(), 1, "{groups:#?}");
    assert_eq!(groups[0].members, vec!["a", "b"]);
    assert_eq!(groups[0].canonical, "a");
    assert_eq!(groups, find_duplicate_groups_exhaustive(&docs, &cfg));
    // With C the earliest, C leads and B joins it; A stays alone.
    let docs = [doc("a", &a, Some("2025-01-03")), doc("b", &b, Some("2025-01-02")), doc("c", &c, Some("2025-01-01"))];
    let groups = find_duplicate_groups(&docs, &cfg);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].members, vec!["b", "c"]);
}

/// Shared buckets come out as sorting every `(key, rank, document)` triple would give them,
/// also for buckets large enough to be chained.
#[test]
fn shared_buckets_equal_sorting_every_triple() {
    let texts: Vec<String> = (0..40)
        .map(|i| if i % 2 == 0 { words("same story", 0..30) } else { words(&format!("other {}", i % 5), 0..30) })
        .collect();
    let ids: Vec<String> = (0..texts.len()).map(|i| format!("d{i:02}")).collect();
    let docs: Vec<DocRef<'_>> = texts.iter().zip(&ids).map(|(t, id)| doc(id, t, None)).collect();
    let index = wording_index(&docs, &LinkConfig::default());
    let mut largest = 0;
    for band in 0..index.bands() {
        let seed = mix64(0xc4a1_0000 ^ band as u64);
        let mut all: Vec<(u32, u64, u32)> = (0..index.len())
            .filter_map(|d| Some((index.band_key(d, band)?, mix64(index.id_hash(d) ^ seed), d as u32)))
            .collect();
        all.sort_unstable();
        let naive: Vec<(u32, u64, u32)> =
            all.chunk_by(|x, y| x.0 == y.0).filter(|b| b.len() >= 2).flatten().copied().collect();
        let shared = shared_buckets(&index, band);
        largest = largest.max(shared.chunk_by(|x, y| x.0 == y.0).map(<[_]>::len).max().unwrap_or(0));
        assert_eq!(shared, naive, "band {band}");
    }
    assert!(largest > LinkConfig::default().max_bucket, "a bucket large enough to chain");
}
