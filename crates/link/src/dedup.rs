//! Near-duplicate stories: MinHash + LSH banding proposes candidate pairs, the exact Jaccard of
//! their shingle sets decides, union-find turns accepted pairs into groups, and each group gets
//! a canonical member (the one the others are taken to derive from).
//!
//! This module owns the grouping and the `duplicates_of` / `copy_of` fields derived from it. It
//! must not look at entities, dates inside the text or numbers: "same story" here means "same
//! wording", which is what syndication and light rewrites share. See `DESIGN.md`.

use std::collections::{BTreeMap, HashMap, HashSet};

use crosscheck_model::{DuplicateGroup, Extraction};

use crate::minhash::{hash_family, jaccard_of_sets, mix64, shingles, signature_with_family};

/// Similarity to the canonical member from which a group member counts as a copy or light
/// rewrite (`copy_of`, syndication) rather than only a report of the same story. With 3-word
/// shingles a copy with ~10% of its words edited scores about 0.55, a 20% rewrite about 0.4, a
/// 34% rewrite about 0.2 and an independent report of the same event under 0.05.
pub const COPY_SIMILARITY: f64 = 0.3;

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
    /// LSH buckets holding more documents than this propose no pairs: such a bucket is a band
    /// of shingles common to much of the corpus (boilerplate, template phrases), and
    /// enumerating it is quadratic. A true copy pair collides in many bands, so it is still
    /// found through smaller buckets.
    pub max_bucket: usize,
}

impl Default for LinkConfig {
    /// 3-word shingles, 256 hashes in 128 bands of 2 rows, threshold 0.15, buckets of at most
    /// 200 documents (see `DESIGN.md`).
    fn default() -> Self {
        LinkConfig { shingle_words: 3, num_hashes: 256, bands: 128, threshold: 0.15, max_bucket: 200 }
    }
}

impl LinkConfig {
    fn rows_per_band(&self) -> usize {
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

/// Groups of documents whose shingle Jaccard similarity reaches `cfg.threshold`, directly or
/// through a chain of such pairs. Candidate pairs come from LSH banding of MinHash signatures;
/// every candidate is verified with the exact Jaccard, so a reported pair never falls below the
/// threshold (but a pair near the threshold may, rarely, be missed — see `DESIGN.md`).
///
/// Groups are sorted by their first member; documents with no words never group.
pub fn find_duplicate_groups(docs: &[DocRef<'_>], cfg: &LinkConfig) -> Vec<DuplicateGroup> {
    build_groups(docs, &near_duplicate_pairs(docs, cfg))
}

/// The verified pairs behind [`find_duplicate_groups`]: `(a, b, exact Jaccard)` with `a < b`
/// indices into `docs`, sorted.
pub(crate) fn near_duplicate_pairs(docs: &[DocRef<'_>], cfg: &LinkConfig) -> Vec<(usize, usize, f64)> {
    let sets: Vec<Vec<u64>> = docs.iter().map(|d| shingles(d.text, cfg.shingle_words)).collect();
    let family = hash_family(cfg.num_hashes);
    let rows = cfg.rows_per_band();
    let bands = (cfg.num_hashes / rows).max(1);

    let mut candidates: HashSet<(usize, usize)> = HashSet::new();
    let signatures: Vec<Option<Vec<u64>>> =
        sets.iter().map(|s| (!s.is_empty()).then(|| signature_with_family(s, &family))).collect();
    // Keyed by a hash of the band's slots: a collision only adds a candidate, which the exact
    // check then rejects, so no need to keep the slots themselves.
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for band in 0..bands {
        buckets.clear();
        let range = band * rows..((band + 1) * rows).min(cfg.num_hashes);
        if range.is_empty() {
            break;
        }
        for (doc, sig) in signatures.iter().enumerate() {
            if let Some(sig) = sig {
                let key = sig[range.clone()].iter().fold(band as u64, |h, &slot| mix64(h.rotate_left(17) ^ slot));
                buckets.entry(key).or_default().push(doc);
            }
        }
        for members in buckets.values().filter(|m| m.len() <= cfg.max_bucket) {
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    candidates.insert((a.min(b), a.max(b)));
                }
            }
        }
    }

    let mut accepted: Vec<(usize, usize, f64)> = candidates
        .into_iter()
        .filter_map(|(a, b)| {
            let similarity = jaccard_of_sets(&sets[a], &sets[b]);
            (similarity >= cfg.threshold).then_some((a, b, similarity))
        })
        .collect();
    accepted.sort_by_key(|&(a, b, _)| (a, b));
    accepted
}

/// The naive twin of [`find_duplicate_groups`]: exact Jaccard of every pair, no LSH. Quadratic;
/// for tests, evaluation and very small corpora.
pub fn find_duplicate_groups_exhaustive(docs: &[DocRef<'_>], cfg: &LinkConfig) -> Vec<DuplicateGroup> {
    let sets: Vec<Vec<u64>> = docs.iter().map(|d| shingles(d.text, cfg.shingle_words)).collect();
    let mut accepted = Vec::new();
    for a in 0..docs.len() {
        for b in a + 1..docs.len() {
            let similarity = jaccard_of_sets(&sets[a], &sets[b]);
            if similarity >= cfg.threshold {
                accepted.push((a, b, similarity));
            }
        }
    }
    build_groups(docs, &accepted)
}

fn find_root(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

pub(crate) fn build_groups(docs: &[DocRef<'_>], accepted: &[(usize, usize, f64)]) -> Vec<DuplicateGroup> {
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    for &(a, b, _) in accepted {
        let (ra, rb) = (find_root(&mut parent, a), find_root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut members_by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut pairs_by_root: BTreeMap<usize, Vec<(String, String, f64)>> = BTreeMap::new();
    for &(a, b, similarity) in accepted {
        let root = find_root(&mut parent, a);
        let (x, y) = (docs[a].id, docs[b].id);
        let (x, y) = if x <= y { (x, y) } else { (y, x) };
        pairs_by_root.entry(root).or_default().push((x.to_string(), y.to_string(), similarity));
    }
    for doc in 0..docs.len() {
        let root = find_root(&mut parent, doc);
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
                .min_by(|&a, &b| canonical_order(&docs[a], &docs[b]))
                .map_or_else(String::new, |i| docs[i].id.to_string());
            let mut members: Vec<String> = indices.iter().map(|&i| docs[i].id.to_string()).collect();
            members.sort();
            members.dedup();
            let mut pairs = pairs_by_root.remove(&root).unwrap_or_default();
            pairs.sort_by(|p, q| (&p.0, &p.1).cmp(&(&q.0, &q.1)));
            DuplicateGroup { id: group_id(&members), canonical, members, pairs }
        })
        .collect();
    groups.sort_by(|a, b| a.members.cmp(&b.members));
    groups
}

/// Earliest date first (undated last), then the longest text, then the smallest id.
fn canonical_order(a: &DocRef<'_>, b: &DocRef<'_>) -> std::cmp::Ordering {
    (a.date.is_none(), a.date.unwrap_or(""))
        .cmp(&(b.date.is_none(), b.date.unwrap_or("")))
        .then_with(|| b.text.chars().count().cmp(&a.text.chars().count()))
        .then_with(|| a.id.cmp(b.id))
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
        for member in &group.members {
            let others: Vec<String> = group.members.iter().filter(|m| *m != member).cloned().collect();
            let copy_of = (member != &group.canonical)
                .then(|| {
                    group.pairs.iter().find(|(a, b, _)| {
                        (a == member && b == &group.canonical) || (b == member && a == &group.canonical)
                    })
                })
                .flatten()
                .filter(|(_, _, similarity)| *similarity >= COPY_SIMILARITY)
                .map(|_| group.canonical.clone());
            out.insert(member.clone(), (others, copy_of));
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
