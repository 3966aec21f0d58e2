//! Which shingles are *common*: carried by more documents than a bound, by the count of a
//! two-row count-min sketch of shingle document frequencies (a shingle's count is the smaller
//! of its two counters, never an undercount).
//!
//! The sketch is kept in one of two forms that give the same count for every shingle. A small
//! corpus keeps no counters while documents arrive: at the end its counts are computed exactly
//! from the shingle sets by sorting (a few million integers sort far faster than 16 MB of
//! counters take random increments). Once a corpus outgrows [`SORTED_COUNT_LIMIT`]
//! occurrences, the dense rows of saturating counters are built from what came so far and
//! updated per document, so memory stays bounded however large the corpus.
//!
//! This module owns that decision only; it must not drop anything from a set (the wording
//! index does).

use crate::minhash::mix64;
use rayon::prelude::*;

/// Counters per row of the dense sketch: 2²² (8 MB a row). At a million ~400-shingle
/// documents a counter holds ~100 unrelated shingles on average, far below any bound that
/// matters there (1 000).
const SKETCH_BITS: u32 = 22;

/// Shingle occurrences (set sizes summed over documents) up to which counts are computed by
/// sorting at the end rather than kept in dense counters; the sort needs ~16 bytes per
/// occurrence for a moment.
pub(crate) const SORTED_COUNT_LIMIT: usize = 1 << 23;

/// The two counters of a shingle, one per row: `[row 0 slot, row 1 slot]`, each below
/// 2^[`SKETCH_BITS`].
#[inline]
fn sketch_slots(shingle: u32) -> [u32; 2] {
    let h = mix64(u64::from(shingle) ^ 0x5ce7_c400);
    let mask = (1u64 << SKETCH_BITS) - 1;
    [(h & mask) as u32, ((h >> 32) & mask) as u32]
}

/// Shingle document frequencies as the wording index gathers them.
pub(crate) struct DfSketch {
    /// Empty while the corpus is small; then both rows of saturating counters back to back.
    dense: Vec<u16>,
    /// Occurrences from which the dense counters are kept ([`SORTED_COUNT_LIMIT`]).
    sorted_limit: usize,
}

impl Default for DfSketch {
    fn default() -> Self {
        DfSketch { dense: Vec::new(), sorted_limit: SORTED_COUNT_LIMIT }
    }
}

impl DfSketch {
    /// Records one document's shingle set; `all` are the sets of every document so far, this
    /// one included (read once, when the corpus outgrows the sorted form).
    pub(crate) fn add(&mut self, set: &[u32], all: &[u32]) {
        if self.dense.is_empty() {
            if all.len() <= self.sorted_limit {
                return;
            }
            self.dense = vec![0; 2 << SKETCH_BITS];
            self.count_into_dense(all);
        } else {
            self.count_into_dense(set);
        }
    }

    fn count_into_dense(&mut self, shingles: &[u32]) {
        for &shingle in shingles {
            let [a, b] = sketch_slots(shingle);
            for slot in [a as usize, (1usize << SKETCH_BITS) + b as usize] {
                self.dense[slot] = self.dense[slot].saturating_add(1);
            }
        }
    }

    /// The common shingles of a corpus whose sets, back to back, are `all` (the same shingles
    /// [`DfSketch::add`] was given): those whose count exceeds `bound`.
    pub(crate) fn common(&self, all: &[u32], bound: u16) -> Common<'_> {
        if self.dense.is_empty() {
            let list = common_by_sorting(all, bound);
            let mut filter = vec![0u64; FILTER_BITS / 64];
            for &shingle in &list {
                let bit = shingle as usize % FILTER_BITS;
                filter[bit / 64] |= 1 << (bit % 64);
            }
            Common::Listed { list, filter }
        } else {
            Common::Dense { counters: &self.dense, bound }
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.dense.capacity() * 2
    }
}

/// Bits of the filter in front of a list of common shingles (8 KB): most shingles are not
/// common and are told so by one bit, without a search.
const FILTER_BITS: usize = 1 << 16;

/// The answer of [`DfSketch::common`].
pub(crate) enum Common<'a> {
    Dense {
        counters: &'a [u16],
        bound: u16,
    },
    Listed {
        /// Sorted.
        list: Vec<u32>,
        /// Bit `s % FILTER_BITS` set for every listed shingle `s`.
        filter: Vec<u64>,
    },
}

impl Common<'_> {
    #[inline]
    pub(crate) fn contains(&self, shingle: u32) -> bool {
        match self {
            Common::Dense { counters, bound } => {
                let [a, b] = sketch_slots(shingle);
                counters[a as usize] > *bound && counters[(1usize << SKETCH_BITS) + b as usize] > *bound
            }
            Common::Listed { list, filter } => {
                let bit = shingle as usize % FILTER_BITS;
                filter[bit / 64] >> (bit % 64) & 1 == 1 && list.binary_search(&shingle).is_ok()
            }
        }
    }

    /// Whether no shingle at all is common (nothing to drop).
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Common::Listed { list, .. } if list.is_empty())
    }
}

/// The shingles whose two sketch counters (summed over every occurrence of every shingle
/// that maps to them, saturating like the dense counters) both exceed `bound`, sorted.
fn common_by_sorting(occurrences: &[u32], bound: u16) -> Vec<u32> {
    let (distinct, df) = distinct_counts(occurrences);
    // Per distinct shingle, whether each row's counter exceeds the bound; the rows are
    // independent, so they are counted side by side.
    let (row0, row1) = rayon::join(|| rows_over(&distinct, &df, 0, bound), || rows_over(&distinct, &df, 1, bound));
    distinct.into_iter().zip(row0.into_iter().zip(row1)).filter(|&(_, (a, b))| a && b).map(|(v, _)| v).collect()
}

/// Occurrences per bucket [`distinct_counts`] aims at: large enough that radix-sorting a
/// bucket costs little more per value than sorting the whole would.
const BUCKET_TARGET: usize = 1 << 16;

/// The distinct values of `occurrences`, sorted, and how often each occurs.
///
/// With more than one pool thread, the values are split by their leading bits, a slice of the
/// input at a time on the pool (a counting sort on those bits); then each bucket — the
/// matching part of every slice — is radix-sorted and counted on its own. The buckets, in
/// order, are the sorted whole, so the answer does not depend on the split.
fn distinct_counts(occurrences: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let threads = rayon::current_num_threads();
    let wanted = (occurrences.len() / BUCKET_TARGET).max(threads * 4);
    let bucket_bits = if threads <= 1 { 0 } else { wanted.next_power_of_two().trailing_zeros().min(11) };
    let buckets = 1usize << bucket_bits;
    let bucket_of = |v: u32| if bucket_bits == 0 { 0 } else { (v >> (32 - bucket_bits)) as usize };
    let slices = if buckets == 1 { 1 } else { (threads * 2).clamp(1, occurrences.len().max(1)) };
    let slice_len = occurrences.len().div_ceil(slices).max(1);
    let split: Vec<(Vec<u32>, Vec<usize>)> = if buckets == 1 {
        vec![(occurrences.to_vec(), vec![0, occurrences.len()])]
    } else {
        occurrences
            .par_chunks(slice_len)
            .map(|slice| {
                let mut starts = vec![0usize; buckets + 1];
                for &v in slice {
                    starts[bucket_of(v) + 1] += 1;
                }
                for b in 0..buckets {
                    starts[b + 1] += starts[b];
                }
                let mut fill = starts.clone();
                let mut by_bucket = vec![0u32; slice.len()];
                for &v in slice {
                    let slot = &mut fill[bucket_of(v)];
                    by_bucket[*slot] = v;
                    *slot += 1;
                }
                (by_bucket, starts)
            })
            .collect()
    };
    let count_bucket = |b: usize, values: &mut Vec<u32>| {
        // Values of one bucket share their leading bits: the rest decide the order.
        radix_sort(values, 32 - bucket_bits, u64::from);
        let (mut distinct, mut df) = (Vec::new(), Vec::new());
        for run in values.chunk_by(|a, b| a == b) {
            distinct.push(run[0]);
            df.push(run.len() as u32);
        }
        debug_assert!(distinct.iter().all(|&v| bucket_of(v) == b));
        (distinct, df)
    };
    let counted: Vec<(Vec<u32>, Vec<u32>)> = if buckets == 1 {
        let (mut values, _) = split.into_iter().next().unwrap_or_default();
        vec![count_bucket(0, &mut values)]
    } else {
        let counted = (0..buckets)
            .into_par_iter()
            .map(|b| {
                let mut values: Vec<u32> = Vec::new();
                for (by_bucket, starts) in &split {
                    values.extend_from_slice(&by_bucket[starts[b]..starts[b + 1]]);
                }
                count_bucket(b, &mut values)
            })
            .collect();
        drop(split);
        counted
    };
    if counted.len() == 1 {
        return counted.into_iter().next().unwrap_or_default();
    }
    let total: usize = counted.iter().map(|(d, _)| d.len()).sum();
    let (mut distinct, mut df) = (Vec::with_capacity(total), Vec::with_capacity(total));
    for (d, c) in counted {
        distinct.extend_from_slice(&d);
        df.extend_from_slice(&c);
    }
    (distinct, df)
}

/// For every distinct shingle (with its document count `df`), whether its counter in `row`
/// — the sum of the counts of every shingle mapped to that counter, saturating at
/// `u16::MAX` — exceeds `bound`.
fn rows_over(distinct: &[u32], df: &[u32], row: usize, bound: u16) -> Vec<bool> {
    let mut over = vec![false; distinct.len()];
    let mut keyed: Vec<u64> =
        distinct.iter().enumerate().map(|(i, &v)| (u64::from(sketch_slots(v)[row]) << 32) | i as u64).collect();
    radix_sort(&mut keyed, SKETCH_BITS, |k| k >> 32);
    for counter in keyed.chunk_by(|a, b| a >> 32 == b >> 32) {
        let count: u64 = counter.iter().map(|&k| u64::from(df[(k & 0xffff_ffff) as usize])).sum();
        if count.min(u64::from(u16::MAX)) > u64::from(bound) {
            for &k in counter {
                over[(k & 0xffff_ffff) as usize] = true;
            }
        }
    }
    over
}

/// Stable LSD radix sort of `items` by the low `key_bits` bits of `key`, 11 bits a pass.
fn radix_sort<T: Copy + Default>(items: &mut Vec<T>, key_bits: u32, key: impl Fn(T) -> u64) {
    const DIGIT_BITS: u32 = 11;
    const MASK: u64 = (1 << DIGIT_BITS) - 1;
    let mut scratch = vec![T::default(); items.len()];
    let mut starts = vec![0usize; 1 << DIGIT_BITS];
    let mut shift = 0;
    while shift < key_bits {
        starts.fill(0);
        for &x in items.iter() {
            starts[((key(x) >> shift) & MASK) as usize] += 1;
        }
        let mut sum = 0;
        for slot in starts.iter_mut() {
            let count = *slot;
            *slot = sum;
            sum += count;
        }
        for &x in items.iter() {
            let digit = ((key(x) >> shift) & MASK) as usize;
            scratch[starts[digit]] = x;
            starts[digit] += 1;
        }
        std::mem::swap(items, &mut scratch);
        shift += DIGIT_BITS;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dense counters, built the way the wording index used to build them: the reference
    /// the sorted form must agree with.
    fn dense_common(sets: &[Vec<u32>], bound: u16) -> Vec<u32> {
        let mut sketch = DfSketch { dense: vec![0; 2 << SKETCH_BITS], sorted_limit: 0 };
        for set in sets {
            sketch.count_into_dense(set);
        }
        let common = sketch.common(&[], bound);
        let mut out: Vec<u32> = sets.iter().flatten().copied().filter(|&s| common.contains(s)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn sorted_counts_agree_with_dense_counters() {
        // Shingles shared by many documents, a few by some, most by one; plus shingles chosen
        // to share a row-0 counter, so that counts add up across shingles as in the sketch.
        let mut sets: Vec<Vec<u32>> = Vec::new();
        let mut colliding = Vec::new();
        let target = sketch_slots(7)[0];
        let mut x = 8u32;
        while colliding.len() < 3 {
            if sketch_slots(x)[0] == target {
                colliding.push(x);
            }
            x = x.wrapping_add(1);
        }
        for doc in 0..40u32 {
            let mut set: Vec<u32> = (0..50).map(|i| doc * 1000 + i + 100_000).collect();
            set.push(1);
            if doc % 2 == 0 {
                set.push(2);
            }
            if doc < 10 {
                set.push(7);
            }
            if (10..20).contains(&doc) {
                set.push(colliding[doc as usize % 3]);
            }
            set.sort_unstable();
            sets.push(set);
        }
        let all: Vec<u32> = sets.iter().flatten().copied().collect();
        for bound in [0u16, 5, 16, 19, 39, 40, u16::MAX] {
            let sketch = DfSketch::default();
            let common = sketch.common(&all, bound);
            let Common::Listed { list, .. } = &common else { panic!("small corpus is listed") };
            assert_eq!(*list, dense_common(&sets, bound), "bound {bound}");
            for &s in &all {
                assert_eq!(common.contains(s), list.contains(&s));
            }
        }
        let Common::Listed { list: at_16, .. } = DfSketch::default().common(&all, 16) else { panic!("listed") };
        assert_eq!(at_16, vec![1, 2], "in 40 and 20 documents; 7 is in 10 and its row-1 counter is its own");
    }

    /// A corpus that outgrows the sorted form mid-way keeps dense counters from then on, and
    /// they give the same common shingles as sorting would have.
    #[test]
    fn switching_to_dense_counters_mid_corpus_keeps_the_counts() {
        let sets: Vec<Vec<u32>> = (0..30u32)
            .map(|doc| {
                let mut set: Vec<u32> = (0..20).map(|i| doc * 100 + i + 10_000).collect();
                set.extend([1, 2 + doc % 3]);
                set.sort_unstable();
                set
            })
            .collect();
        let mut switching = DfSketch { dense: Vec::new(), sorted_limit: 200 };
        let mut all: Vec<u32> = Vec::new();
        for set in &sets {
            all.extend_from_slice(set);
            switching.add(set, &all);
        }
        assert!(!switching.dense.is_empty(), "600+ occurrences outgrow a limit of 200");
        for bound in [0u16, 9, 10, 29, 30] {
            let dense = switching.common(&all, bound);
            let Common::Listed { list, .. } = DfSketch::default().common(&all, bound) else { panic!("listed") };
            for &s in &all {
                assert_eq!(dense.contains(s), list.binary_search(&s).is_ok(), "shingle {s}, bound {bound}");
            }
        }
    }

    #[test]
    fn distinct_counts_are_those_of_one_sort() {
        // Repeats, values in every leading-bit bucket, both ends of the range.
        let mut values: Vec<u32> = (0..20_000u32).map(|i| i.wrapping_mul(2_654_435_761) % 7919 * 542_293).collect();
        values.extend([0, 0, u32::MAX, u32::MAX, u32::MAX, 1 << 21, (1 << 21) - 1]);
        let mut sorted = values.clone();
        sorted.sort_unstable();
        let mut expected = (Vec::new(), Vec::new());
        for run in sorted.chunk_by(|a, b| a == b) {
            expected.0.push(run[0]);
            expected.1.push(run.len() as u32);
        }
        // One thread counts in one bucket; more threads split into more buckets.
        for threads in [1, 2, 3, 8] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            pool.install(|| {
                assert_eq!(distinct_counts(&values), expected, "{threads} threads");
                assert_eq!(distinct_counts(&[]), (Vec::new(), Vec::new()));
                assert_eq!(distinct_counts(&[5]), (vec![5], vec![1]));
            });
        }
    }

    #[test]
    fn radix_sort_sorts_by_the_key_bits() {
        let mut items: Vec<u32> = (0..5000u32).map(|i| i.wrapping_mul(2_654_435_761)).collect();
        let mut expected = items.clone();
        expected.sort_unstable();
        radix_sort(&mut items, 32, u64::from);
        assert_eq!(items, expected);
    }
}
