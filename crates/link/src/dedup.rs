//! Near-duplicate stories: MinHash + LSH banding proposes candidate pairs, the exact Jaccard of
//! their shingle sets decides, and accepted pairs become *star* groups around a canonical member
//! (the one the others are taken to derive from; every member resembles it directly).
//!
//! This module owns the grouping and the `duplicates_of` / `copy_of` fields derived from it. It
//! must not look at entities, dates inside the text or numbers: "same story" here means "same
//! wording", which is what syndication and light rewrites share. See `DESIGN.md`.

use std::collections::{BTreeMap, HashMap, HashSet};

use crosscheck_model::{DuplicateGroup, Extraction};

use crate::minhash::mix64;
use rayon::prelude::*;

mod common;
pub(crate) mod corpus;

pub(crate) use corpus::{text_chars, MixState, UnionFind, WordingIndex};

/// Similarity to the canonical member from which a group member counts as a copy or light
/// rewrite (`copy_of`, syndication) rather than only a report of the same story. With 3-word
/// shingles a copy with ~10% of its words edited scores about 0.55, a 20% rewrite about 0.4, a
/// 34% rewrite about 0.2 and an independent report of the same event under 0.05.
pub const COPY_SIMILARITY: f64 = 0.3;

/// Most other members listed in one document's `duplicates_of`. A group larger than this (a
/// story syndicated to hundreds of outlets, or a corpus of template pages) would make the lists
/// quadratic in the group's size; its members list the canonical member and their directly
/// verified partners instead, and the full membership stays in the group itself.
pub const MAX_LISTED_DUPLICATES: usize = 200;

/// Parameters of near-duplicate detection; [`LinkConfig::default`] is what the pipeline uses.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkConfig {
    /// Words per shingle.
    pub shingle_words: usize,
    /// Length of the MinHash signature.
    pub num_hashes: usize,
    /// LSH bands; `num_hashes / bands` rows per band (leftover slots are unused).
    pub bands: usize,
    /// Exact shingle Jaccard from which two documents report the same story.
    pub threshold: f64,
    /// LSH buckets of at most this many documents propose every pair among them. A larger
    /// bucket (a story syndicated many times, or a band of template shingles) proposes only a
    /// chain: its members in a pseudo-random order drawn per band from their ids, each paired
    /// with the next, skipping pairs already in one group. That is linear in the bucket and
    /// still connects a group of true copies, which meet in many bands in different orders.
    pub max_bucket: usize,
    /// Chain proposals a document may see rejected by the exact check before its further chain
    /// proposals are skipped: bounds the work a document sharing only boilerplate can cause.
    pub max_chain_rejections: u32,
    /// Shingles carried by more than `max(common_shingle_df, common_shingle_fraction × N)` of
    /// N documents are template or boilerplate and are dropped from every set before MinHash
    /// and the exact check (see [`LinkConfig::min_kept_share`] for the exception).
    pub common_shingle_df: usize,
    pub common_shingle_fraction: f64,
    /// A document that would keep less than this share of its shingles after dropping common
    /// ones keeps them all (it is mostly one heavily copied text).
    pub min_kept_share: f64,
}

impl Default for LinkConfig {
    /// 3-word shingles, 256 hashes in 128 bands of 2 rows, threshold 0.15, all pairs of buckets
    /// of at most 16 documents, 32 rejected chain proposals per document, shingles in more than
    /// max(16, N/1000) documents dropped unless that leaves under 10% (see `DESIGN.md`).
    fn default() -> Self {
        LinkConfig {
            shingle_words: 3,
            num_hashes: 256,
            bands: 128,
            threshold: 0.15,
            max_bucket: 16,
            max_chain_rejections: 32,
            common_shingle_df: 16,
            common_shingle_fraction: 0.001,
            min_kept_share: 0.1,
        }
    }
}

impl LinkConfig {
    pub(crate) fn rows_per_band(&self) -> usize {
        (self.num_hashes / self.bands.max(1)).max(1)
    }
}

/// A document as linking sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocRef<'a> {
    pub id: &'a str,
    pub text: &'a str,
    /// ISO publication date (`YYYY-MM-DD`, or coarser), used to pick the canonical member.
    pub date: Option<&'a str>,
}

fn wording_index(docs: &[DocRef<'_>], cfg: &LinkConfig) -> WordingIndex {
    let mut index = WordingIndex::new(cfg);
    for doc in docs {
        index.push(doc.id, doc.text, doc.date);
    }
    index.finish();
    index
}

/// Groups of documents whose shingle Jaccard similarity with the group's canonical member (its
/// original) reaches `cfg.threshold` — stars, never chains (see [`copy_clusters`]). Candidate
/// pairs come from LSH banding of MinHash signatures;
/// every candidate is verified with the exact Jaccard, so a reported pair never falls below the
/// threshold (but a pair near the threshold may, rarely, be missed — see `DESIGN.md`).
///
/// Groups are sorted by their first member; documents with no words never group.
pub fn find_duplicate_groups(docs: &[DocRef<'_>], cfg: &LinkConfig) -> Vec<DuplicateGroup> {
    let index = wording_index(docs, cfg);
    let pairs = near_duplicate_pairs(&index, cfg);
    build_groups(&index, &copy_clusters(&index, &pairs, cfg.threshold, |_, _, _| true))
}

#[inline]
fn pack(a: usize, b: usize) -> u64 {
    ((a as u64) << 32) | b as u64
}

/// The verified pairs behind [`find_duplicate_groups`]: `(a, b, exact Jaccard)` with `a < b`
/// indices into the index, sorted.
///
/// Work is bounded per document whatever the text: a small bucket proposes at most
/// `max_bucket - 1` partners per band, a large one two (its chain neighbours), chain pairs
/// already in one group cost a union-find lookup, and rejected chain proposals stop after
/// `max_chain_rejections` per document. The processing order (band, bucket key, rank drawn
/// from ids) does not depend on the input order, so neither do the groups.
pub(crate) fn near_duplicate_pairs(index: &WordingIndex, cfg: &LinkConfig) -> Vec<(usize, usize, f64)> {
    let n = index.len();
    let mut groups = UnionFind::new(n);
    let mut seen: HashSet<u64, MixState> = HashSet::default();
    let mut rejections = vec![0u32; n];
    let mut accepted: Vec<(usize, usize, f64)> = Vec::new();
    let bands = index.bands();
    // Each band's buckets are found on the pool, a batch of bands at a time (sorting is most of
    // the work, and most buckets hold one document); the verification below reads them in band
    // order, so the pairs found do not depend on the threads.
    let mut batch_start = 0;
    while batch_start < bands {
        let batch_end = (batch_start + BAND_BATCH).min(bands);
        let batch: Vec<Vec<(u32, u64, u32)>> =
            (batch_start..batch_end).into_par_iter().map(|band| shared_buckets(index, band)).collect();
        batch_start = batch_end;
        for entries in &batch {
            for bucket in entries.chunk_by(|x, y| x.0 == y.0) {
                if bucket.len() < 2 {
                    continue;
                }
                if bucket.len() <= cfg.max_bucket {
                    for (i, x) in bucket.iter().enumerate() {
                        for y in &bucket[i + 1..] {
                            let (a, b) = (x.2.min(y.2) as usize, x.2.max(y.2) as usize);
                            if seen.insert(pack(a, b)) {
                                let similarity = index.jaccard(a, b);
                                if similarity >= cfg.threshold {
                                    accepted.push((a, b, similarity));
                                    groups.union(a, b);
                                }
                            }
                        }
                    }
                    continue;
                }
                for w in bucket.windows(2) {
                    let (a, b) = (w[0].2.min(w[1].2) as usize, w[0].2.max(w[1].2) as usize);
                    if groups.find(a) == groups.find(b)
                        || rejections[a] >= cfg.max_chain_rejections
                        || rejections[b] >= cfg.max_chain_rejections
                        || seen.contains(&pack(a, b))
                    {
                        continue;
                    }
                    let similarity = index.jaccard(a, b);
                    if similarity >= cfg.threshold {
                        seen.insert(pack(a, b));
                        accepted.push((a, b, similarity));
                        groups.union(a, b);
                    } else {
                        rejections[a] += 1;
                        rejections[b] += 1;
                    }
                }
            }
        }
    }
    accepted.sort_by_key(|&(a, b, _)| (a, b));
    accepted
}

/// Bands whose buckets are found together on the pool by [`near_duplicate_pairs`]: enough to
/// keep every thread busy, few enough that the transient entries stay small.
const BAND_BATCH: usize = 16;

/// The documents of `band` that share their key with another, as `(key, rank drawn from the
/// id, document)` sorted: bucket by bucket, each in chain order.
fn shared_buckets(index: &WordingIndex, band: usize) -> Vec<(u32, u64, u32)> {
    let band_seed = mix64(0xc4a1_0000 ^ band as u64);
    // Sorted by key (and document) as one packed integer first: most buckets hold one
    // document and need no rank; only shared buckets are put in chain order.
    let mut keyed: Vec<u64> =
        (0..index.len()).filter_map(|doc| Some(u64::from(index.band_key(doc, band)?) << 32 | doc as u64)).collect();
    keyed.sort_unstable();
    let mut shared = Vec::new();
    for bucket in keyed.chunk_by(|x, y| x >> 32 == y >> 32) {
        if bucket.len() >= 2 {
            let start = shared.len();
            shared.extend(bucket.iter().map(|&k| {
                let doc = (k & 0xffff_ffff) as u32;
                ((k >> 32) as u32, mix64(index.id_hash(doc as usize) ^ band_seed), doc)
            }));
            shared[start..].sort_unstable();
        }
    }
    shared
}

/// Copy clusters without chaining: each cluster is a *star* around its leader (the earliest,
/// then longest document, see [`WordingIndex::canonical_order`]), and every member's own exact
/// similarity to the leader reaches `threshold`. Documents are visited in canonical order; a
/// document joins the cluster of one of its verified partners when its direct similarity to
/// that cluster's leader reaches the threshold and `accept` agrees (the caller's date and name
/// gates), the most similar leader winning; otherwise it leads a cluster of its own.
///
/// Union-find over the pairs would instead let A~B~C join A and C at any distance: on a corpus
/// of templated stories one boilerplate-heavy pair merges two whole stories, and chains grow
/// without bound. Returns the star pairs `(a, b, similarity)`, `a < b`, sorted; `pairs` must be
/// verified pairs `a < b`. Cost: one exact Jaccard per (document, partner's leader).
pub(crate) fn copy_clusters(
    index: &WordingIndex,
    pairs: &[(usize, usize, f64)],
    threshold: f64,
    mut accept: impl FnMut(usize, usize, f64) -> bool,
) -> Vec<(usize, usize, f64)> {
    let mut partners: HashMap<usize, Vec<(usize, f64)>, MixState> = HashMap::default();
    for &(a, b, similarity) in pairs {
        partners.entry(a).or_default().push((b, similarity));
        partners.entry(b).or_default().push((a, similarity));
    }
    let mut order: Vec<usize> = partners.keys().copied().collect();
    order.sort_unstable_by(|&a, &b| index.canonical_order(a, b));
    let mut leader: HashMap<usize, usize, MixState> = HashMap::default();
    let mut stars = Vec::new();
    let mut leaders: Vec<(usize, f64)> = Vec::new();
    for doc in order {
        leaders.clear();
        for &(partner, similarity) in &partners[&doc] {
            // Partners not yet visited come later in canonical order: they may join this one.
            let Some(&head) = leader.get(&partner) else { continue };
            if leaders.iter().any(|&(l, _)| l == head) {
                continue;
            }
            let to_head = if head == partner { similarity } else { index.jaccard(doc.min(head), doc.max(head)) };
            leaders.push((head, to_head));
        }
        let best = leaders
            .iter()
            .copied()
            .filter(|&(head, s)| s >= threshold && accept(doc.min(head), doc.max(head), s))
            .max_by(|x, y| x.1.total_cmp(&y.1).then_with(|| index.canonical_order(y.0, x.0)));
        match best {
            Some((head, similarity)) => {
                leader.insert(doc, head);
                stars.push((doc.min(head), doc.max(head), similarity));
            }
            None => {
                leader.insert(doc, doc);
            }
        }
    }
    stars.sort_by_key(|&(a, b, _)| (a, b));
    stars
}

/// The naive twin of [`find_duplicate_groups`]: exact Jaccard of every pair, no LSH. Quadratic;
/// for tests, evaluation and very small corpora.
pub fn find_duplicate_groups_exhaustive(docs: &[DocRef<'_>], cfg: &LinkConfig) -> Vec<DuplicateGroup> {
    let index = wording_index(docs, cfg);
    let mut accepted = Vec::new();
    for a in 0..docs.len() {
        for b in a + 1..docs.len() {
            let similarity = index.jaccard(a, b);
            if similarity >= cfg.threshold {
                accepted.push((a, b, similarity));
            }
        }
    }
    build_groups(&index, &copy_clusters(&index, &accepted, cfg.threshold, |_, _, _| true))
}

pub(crate) fn build_groups(index: &WordingIndex, accepted: &[(usize, usize, f64)]) -> Vec<DuplicateGroup> {
    let mut parent = UnionFind::new(index.len());
    for &(a, b, _) in accepted {
        parent.union(a, b);
    }
    let mut members_by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut pairs_by_root: BTreeMap<usize, Vec<(String, String, f64)>> = BTreeMap::new();
    for &(a, b, similarity) in accepted {
        let root = parent.find(a);
        let (x, y) = (index.id(a), index.id(b));
        let (x, y) = if x <= y { (x, y) } else { (y, x) };
        pairs_by_root.entry(root).or_default().push((x.to_string(), y.to_string(), similarity));
    }
    for doc in 0..index.len() {
        let root = parent.find(doc);
        if pairs_by_root.contains_key(&root) {
            members_by_root.entry(root).or_default().push(doc);
        }
    }

    let mut groups: Vec<DuplicateGroup> = members_by_root
        .into_iter()
        .map(|(root, indices)| {
            let canonical = indices
                .iter()
                .copied()
                .min_by(|&a, &b| index.canonical_order(a, b))
                .map_or_else(String::new, |i| index.id(i).to_string());
            let mut members: Vec<String> = indices.iter().map(|&i| index.id(i).to_string()).collect();
            members.sort();
            members.dedup();
            let mut pairs = pairs_by_root.remove(&root).unwrap_or_default();
            pairs.sort_by(|p, q| (&p.0, &p.1).cmp(&(&q.0, &q.1)));
            pairs.dedup_by(|p, q| p.0 == q.0 && p.1 == q.1);
            DuplicateGroup { id: group_id(&members), canonical, members, pairs }
        })
        .collect();
    groups.sort_by(|a, b| a.members.cmp(&b.members));
    groups
}

/// A stable id from the sorted member ids, so the same group gets the same id in every run.
fn group_id(members: &[String]) -> String {
    let mut hasher = blake3::Hasher::new();
    for m in members {
        hasher.update(m.as_bytes());
        hasher.update(b"\n");
    }
    let hex = hasher.finalize().to_hex();
    format!("D{}", &hex[..16])
}

/// The `duplicates_of` and `copy_of` values every grouped document gets: all other members
/// (sorted), and the canonical member when this one's verified similarity to it reaches
/// [`COPY_SIMILARITY`]. Documents in no group are absent from the map.
pub fn duplicate_fields(groups: &[DuplicateGroup]) -> BTreeMap<String, (Vec<String>, Option<String>)> {
    let mut out = BTreeMap::new();
    for group in groups {
        let mut partners: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut copy_of: HashMap<&str, &str> = HashMap::new();
        for (a, b, similarity) in &group.pairs {
            partners.entry(a).or_default().push(b);
            partners.entry(b).or_default().push(a);
            if *similarity >= COPY_SIMILARITY {
                if *a == group.canonical {
                    copy_of.insert(b, a);
                } else if *b == group.canonical {
                    copy_of.insert(a, b);
                }
            }
        }
        let large = group.members.len() > MAX_LISTED_DUPLICATES + 1;
        for member in &group.members {
            let others: Vec<String> = if large {
                let mut listed: Vec<&str> = partners.get(member.as_str()).cloned().unwrap_or_default();
                listed.push(&group.canonical);
                listed.retain(|m| m != member);
                listed.sort_unstable();
                listed.dedup();
                listed.truncate(MAX_LISTED_DUPLICATES);
                listed.into_iter().map(str::to_string).collect()
            } else {
                group.members.iter().filter(|m| *m != member).cloned().collect()
            };
            let copy = copy_of.get(member.as_str()).map(|c| c.to_string());
            out.insert(member.clone(), (others, copy));
        }
    }
    out
}

/// Sets `duplicates_of` and `copy_of` of every extraction from `groups` (see
/// [`duplicate_fields`]); extractions in no group get them cleared, so applying the groups
/// of a corpus twice gives the same result.
pub fn assign_duplicates(extractions: &mut [Extraction], groups: &[DuplicateGroup]) {
    let fields = duplicate_fields(groups);
    for extraction in extractions {
        match fields.get(&extraction.id) {
            Some((others, copy_of)) => {
                extraction.duplicates_of = others.clone();
                extraction.copy_of = copy_of.clone();
            }
            None => {
                extraction.duplicates_of.clear();
                extraction.copy_of = None;
            }
        }
    }
}

#[cfg(test)]
mod tests;
