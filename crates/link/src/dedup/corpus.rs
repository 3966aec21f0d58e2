//! The compact per-document state of near-duplicate detection: ids, dates, text lengths, the
//! 32-bit shingle set and the LSH band keys of every document, in flat arrays (one allocation
//! per field for the whole corpus, not one per document), so that a million documents fit in
//! a few GB and the texts themselves need not stay in memory. Also the small helpers the
//! linking passes share (union-find, a deterministic hasher for integer keys).
//!
//! This module owns that layout only; it must not decide what is a duplicate (`dedup` and
//! `story` do).

use std::cmp::Ordering;
use std::hash::{BuildHasherDefault, Hasher};

use crate::minhash::{band_keys, compact_shingles, fold, hash_family, mix64};
use rayon::prelude::*;

use super::common::DfSketch;
use super::LinkConfig;

/// A hasher for integer keys that are already spread (packed pairs, term hashes): one SplitMix
/// finaliser instead of SipHash, and no random state, so iteration order is reproducible.
#[derive(Default, Clone, Copy)]
pub(crate) struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        mix64(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
    fn write_u32(&mut self, n: u32) {
        self.0 ^= u64::from(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 ^= n as u64;
    }
}

pub(crate) type MixState = BuildHasherDefault<MixHasher>;

/// Union-find with path halving; the smaller index becomes the root.
pub(crate) struct UnionFind(Vec<u32>);

impl UnionFind {
    pub(crate) fn new(n: usize) -> Self {
        UnionFind((0..n as u32).collect())
    }

    pub(crate) fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] as usize != x {
            self.0[x] = self.0[self.0[x] as usize];
            x = self.0[x] as usize;
        }
        x
    }

    pub(crate) fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb) as u32;
        }
    }
}

/// FNV-1a of an id, finalised: the per-document seed of the pseudo-random chain orders, so that
/// they depend on ids, never on input positions.
fn id_hash(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in id.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// The wording side of a corpus, filled one document at a time by [`WordingIndex::push`].
pub(crate) struct WordingIndex {
    shingle_words: usize,
    rows: usize,
    /// The MinHash seeds, each through [`fold`] (see [`band_keys`]).
    family: Vec<u64>,
    bands: usize,
    ids: Vec<Box<str>>,
    dates: Vec<Option<Box<str>>>,
    text_chars: Vec<u32>,
    id_hashes: Vec<u64>,
    /// `shingle_ends[i]` is where document `i`'s shingles end in `shingles`.
    shingle_ends: Vec<usize>,
    shingles: Vec<u32>,
    /// `bands` keys per document, all documents back to back; filled by [`WordingIndex::finish`].
    keys: Vec<u32>,
    /// Approximate document frequency of every shingle (see [`DfSketch`]).
    df_sketch: DfSketch,
    common_df: usize,
    common_fraction: f64,
    min_kept_share: f64,
    finished: bool,
    /// Common shingles have been dropped from the sets: their counts can no longer be taken.
    compacted: bool,
    scratch_words: Vec<u64>,
    scratch_set: Vec<u32>,
}

impl WordingIndex {
    pub(crate) fn new(cfg: &LinkConfig) -> Self {
        let rows = cfg.rows_per_band();
        WordingIndex {
            shingle_words: cfg.shingle_words,
            rows,
            family: hash_family(cfg.num_hashes).into_iter().map(fold).collect(),
            bands: cfg.num_hashes / rows,
            ids: Vec::new(),
            dates: Vec::new(),
            text_chars: Vec::new(),
            id_hashes: Vec::new(),
            shingle_ends: Vec::new(),
            shingles: Vec::new(),
            keys: Vec::new(),
            df_sketch: DfSketch::default(),
            common_df: cfg.common_shingle_df,
            common_fraction: cfg.common_shingle_fraction,
            min_kept_share: cfg.min_kept_share,
            finished: false,
            compacted: false,
            scratch_words: Vec::new(),
            scratch_set: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, id: &str, text: &str, date: Option<&str>) {
        let mut set = std::mem::take(&mut self.scratch_set);
        compact_shingles(text, self.shingle_words, &mut self.scratch_words, &mut set);
        self.push_set(id, date, text_chars(text), &set);
        self.scratch_set = set;
    }

    /// Adds a document whose compact shingle set (see [`compact_shingles`]) was computed
    /// elsewhere, e.g. on a worker thread.
    ///
    /// Every document is added before the first [`WordingIndex::finish`], which drops common
    /// shingles for good.
    pub(crate) fn push_set(&mut self, id: &str, date: Option<&str>, text_chars: u32, set: &[u32]) {
        debug_assert!(!self.compacted, "a document added after finish");
        self.finished = false;
        self.ids.push(id.into());
        self.dates.push(date.map(Into::into));
        self.text_chars.push(text_chars);
        self.id_hashes.push(id_hash(id));
        self.shingles.extend_from_slice(set);
        self.shingle_ends.push(self.shingles.len());
        self.df_sketch.add(set, &self.shingles);
    }

    /// Drops common shingles and computes the band keys; needed before any pair is compared,
    /// and idempotent.
    ///
    /// A shingle carried by more than `max(common_shingle_df, common_shingle_fraction × N)`
    /// documents is template or boilerplate (a shared sentence of many unrelated stories) and is
    /// removed from every set, unless that would leave a document less than `min_kept_share` of
    /// its shingles: then the document is mostly such text (one story copied more often than
    /// the bound, or a page of chrome) and keeps its whole set, so copies of it still meet.
    pub(crate) fn finish(&mut self) {
        if self.finished {
            return;
        }
        let n = self.len();
        let bound = self.common_df.max((self.common_fraction * n as f64).ceil() as usize);
        let bound = u16::try_from(bound).unwrap_or(u16::MAX);
        let common = self.df_sketch.common(&self.shingles, bound);
        // Dropping common shingles and the MinHash signatures (every kept shingle under every
        // hash function: the costly part) are independent per document, so blocks of documents
        // run on the pool; their kept shingles and keys are put back in document order.
        let bands = self.bands;
        let blocks = (rayon::current_num_threads() * 8).clamp(1, n.max(1));
        let block_len = n.div_ceil(blocks).max(1);
        let (shingles, ends, family, rows) = (&self.shingles, &self.shingle_ends, &self.family, self.rows);
        let min_kept_share = self.min_kept_share;
        let done: Vec<(Vec<u32>, Vec<usize>, Vec<u32>)> = (0..n.div_ceil(block_len))
            .into_par_iter()
            .map(|block| {
                let docs = block * block_len..((block + 1) * block_len).min(n);
                let mut kept_shingles: Vec<u32> = Vec::new();
                let mut kept_ends: Vec<usize> = Vec::with_capacity(docs.len());
                let mut block_keys: Vec<u32> = Vec::with_capacity(docs.len() * bands);
                let (mut is_common, mut signature, mut keys) = (Vec::new(), Vec::new(), Vec::new());
                for doc in docs {
                    let set = &shingles[if doc == 0 { 0 } else { ends[doc - 1] }..ends[doc]];
                    let set_start = kept_shingles.len();
                    if common.is_empty() {
                        kept_shingles.extend_from_slice(set);
                    } else {
                        is_common.clear();
                        is_common.extend(set.iter().map(|&s| common.contains(s)));
                        let kept = is_common.iter().filter(|&&c| !c).count();
                        let keep_all = (kept as f64) < min_kept_share * is_common.len() as f64;
                        kept_shingles.extend(
                            set.iter().zip(&is_common).filter(|&(_, &dropped)| keep_all || !dropped).map(|(&s, _)| s),
                        );
                    }
                    kept_ends.push(kept_shingles.len());
                    if bands > 0 {
                        band_keys(&kept_shingles[set_start..], family, rows, &mut signature, &mut keys);
                        keys.resize(bands, 0);
                        block_keys.extend_from_slice(&keys);
                    }
                }
                (kept_shingles, kept_ends, block_keys)
            })
            .collect();
        drop(common);
        // The blocks hold every kept shingle now: the old sets go before the new one is built.
        self.shingles = Vec::new();
        let total: usize = done.iter().map(|(kept, _, _)| kept.len()).sum();
        let mut compacted = Vec::with_capacity(total);
        self.shingle_ends.clear();
        self.keys.clear();
        self.keys.reserve_exact(n * bands);
        for (kept, kept_ends, block_keys) in done {
            let offset = compacted.len();
            compacted.extend_from_slice(&kept);
            self.shingle_ends.extend(kept_ends.iter().map(|&end| offset + end));
            self.keys.extend_from_slice(&block_keys);
        }
        self.shingles = compacted;
        self.compacted = true;
        self.finished = true;
    }

    pub(crate) fn len(&self) -> usize {
        // Not `ids`: they may be lent out (see [`WordingIndex::lend_ids`]).
        self.id_hashes.len()
    }

    /// Hands the ids out, so that the content side of story grouping can break its ties by id
    /// while this index is being finished on another thread; [`WordingIndex::id`] and
    /// [`WordingIndex::canonical_order`] need them back ([`WordingIndex::return_ids`]) first.
    pub(crate) fn lend_ids(&mut self) -> Vec<Box<str>> {
        std::mem::take(&mut self.ids)
    }

    pub(crate) fn return_ids(&mut self, ids: Vec<Box<str>>) {
        debug_assert_eq!(ids.len(), self.len());
        self.ids = ids;
    }

    pub(crate) fn bands(&self) -> usize {
        self.bands
    }

    pub(crate) fn id(&self, doc: usize) -> &str {
        &self.ids[doc]
    }

    pub(crate) fn id_hash(&self, doc: usize) -> u64 {
        self.id_hashes[doc]
    }

    pub(crate) fn set(&self, doc: usize) -> &[u32] {
        let start = if doc == 0 { 0 } else { self.shingle_ends[doc - 1] };
        &self.shingles[start..self.shingle_ends[doc]]
    }

    /// The key of `doc` in `band` (after [`WordingIndex::finish`]); `None` for a document
    /// without words, which never groups.
    pub(crate) fn band_key(&self, doc: usize, band: usize) -> Option<u32> {
        if self.set(doc).is_empty() {
            return None;
        }
        self.keys.get(doc * self.bands + band).copied()
    }

    /// Exact Jaccard similarity of two documents' shingle sets.
    pub(crate) fn jaccard(&self, a: usize, b: usize) -> f64 {
        crate::minhash::sorted_jaccard(self.set(a), self.set(b))
    }

    /// Earliest date first (undated last), then the longest text, then the smallest id.
    pub(crate) fn canonical_order(&self, a: usize, b: usize) -> Ordering {
        let (da, db) = (self.dates[a].as_deref(), self.dates[b].as_deref());
        (da.is_none(), da.unwrap_or(""))
            .cmp(&(db.is_none(), db.unwrap_or("")))
            .then_with(|| self.text_chars[b].cmp(&self.text_chars[a]))
            .then_with(|| self.ids[a].cmp(&self.ids[b]))
    }

    /// Approximate heap bytes held, for the memory notes of benchmarks.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.ids.iter().map(|i| i.len() + 16).sum::<usize>()
            + self.dates.iter().map(|d| d.as_ref().map_or(0, |d| d.len()) + 16).sum::<usize>()
            + self.text_chars.len() * 4
            + self.id_hashes.len() * 8
            + self.shingle_ends.len() * 8
            + self.shingles.capacity() * 4
            + self.keys.capacity() * 4
            + self.df_sketch.heap_bytes()
    }
}

/// A text's length in chars, saturating (the canonical tie-break prefers the longest text).
pub(crate) fn text_chars(text: &str) -> u32 {
    u32::try_from(text.chars().count()).unwrap_or(u32::MAX)
}
