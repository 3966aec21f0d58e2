//! The hot loop of near-duplicate detection: word shingles hashed to `u64`, MinHash signatures
//! over a fixed seeded hash family, and the exact Jaccard similarity that the signatures
//! estimate (kept as the naive twin that tests compare against).
//!
//! Everything here is deterministic across runs and platforms: the hash family is derived from
//! a constant seed, never from a random state. It must not allocate per word: every word is
//! folded (lowercased) into one reused buffer and hashed from there.

/// Seed of the MinHash hash family; changing it changes every signature (and LSH buckets),
/// but not exact similarities.
const FAMILY_SEED: u64 = 0x5eed_c0ff_ee15_900d;

/// SplitMix64 finaliser: a cheap, well-mixing bijection on `u64`.
#[inline]
pub(crate) fn mix64(z: u64) -> u64 {
    mix64_unfolded(fold(z))
}

/// The first step of [`mix64`]. It distributes over xor (`fold(x ^ s) == fold(x) ^ fold(s)`),
/// so a MinHash slot `mix64(x ^ seed)` is `mix64_unfolded(fold(x) ^ fold(seed))` with
/// `fold(seed)` computed once per family and `fold(x)` once per shingle.
#[inline]
pub(crate) fn fold(z: u64) -> u64 {
    z ^ (z >> 30)
}

/// [`mix64`] after its first step.
#[inline]
pub(crate) fn mix64_unfolded(z: u64) -> u64 {
    let z = z.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The lowercased form of one word as shingles and story terms read it, into `out` (cleared):
/// every char lowercased, typographic apostrophes folded so that "Iran’s" and "Iran's" meet.
/// ASCII words (nearly all of an English text) take a byte path without char decoding.
#[inline]
pub(crate) fn fold_word(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        let c = if c == '\u{2019}' { '\'' } else { c };
        out.extend(c.to_lowercase());
    }
}

/// The hash of a word folded by [`fold_word`]: FNV-1a over its bytes, finalised.
#[inline]
pub(crate) fn folded_word_hash(folded: &str) -> u64 {
    mix64(fnv1a(folded.as_bytes()))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of `bytes`, unfinalised.
#[inline]
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }
    h
}

/// [`fold_word`], returning the [`fnv1a`] of the folded word (its [`folded_word_hash`] is
/// `mix64` of it).
#[inline]
pub(crate) fn fold_word_fnv(word: &str, out: &mut String) -> u64 {
    fold_word(word, out);
    fnv1a(out.as_bytes())
}

/// Calls `emit` with the hash of every `shingle_words`-word shingle of `text`, in text order
/// (repeats included); `word_hashes` is scratch space. Shared by the `u64` and the compact
/// `u32` shingle sets, so both hash a text alike.
fn for_each_shingle(text: &str, shingle_words: usize, word_hashes: &mut Vec<u64>, emit: impl FnMut(u64)) {
    word_hashes.clear();
    let mut folded = String::new();
    word_hashes.extend(crosscheck_text::words(text).map(|w| {
        fold_word(w.text, &mut folded);
        folded_word_hash(&folded)
    }));
    for_each_shingle_of_words(word_hashes, shingle_words, emit);
}

/// [`for_each_shingle`] over the word hashes of a text (see [`folded_word_hash`]), for
/// callers that walk the words themselves.
fn for_each_shingle_of_words(word_hashes: &[u64], shingle_words: usize, mut emit: impl FnMut(u64)) {
    let k = shingle_words.max(1);
    if word_hashes.is_empty() {
        return;
    }
    let window = k.min(word_hashes.len());
    for ws in word_hashes.windows(window) {
        // Order matters in a shingle, so combine position-dependently.
        let mut h = window as u64;
        for &w in ws {
            h = mix64(h.rotate_left(23) ^ w);
        }
        emit(h);
    }
}

/// The shingle set of `text` as 32-bit hashes, sorted and deduplicated, into `out`: the compact
/// form linking keeps per document (half the memory of [`shingles`]). Two different shingles
/// of two ~500-word articles share a 32-bit hash with probability ~6·10⁻⁵, so Jaccard values
/// move by far less than any threshold margin.
pub(crate) fn compact_shingles(text: &str, shingle_words: usize, word_hashes: &mut Vec<u64>, out: &mut Vec<u32>) {
    out.clear();
    // The low half of a SplitMix64 output is as well mixed as the whole.
    for_each_shingle(text, shingle_words, word_hashes, |h| out.push(h as u32));
    out.sort_unstable();
    out.dedup();
}

/// [`compact_shingles`] from the text's word hashes (one [`folded_word_hash`] per
/// [`crosscheck_text::words`] token, in order).
pub(crate) fn compact_shingles_of_words(word_hashes: &[u64], shingle_words: usize, out: &mut Vec<u32>) {
    out.clear();
    out.reserve(word_hashes.len());
    for_each_shingle_of_words(word_hashes, shingle_words, |h| out.push(h as u32));
    out.sort_unstable();
    out.dedup();
}

/// The LSH band keys of a compact shingle set: its MinHash signature under the family whose
/// seeds, each passed through [`fold`], are `folded_family`, cut into `bands` bands of `rows`
/// slots, each band hashed (with its number) to 32 bits into `out`. A key collision between
/// unrelated bands only proposes a pair that verification rejects.
pub(crate) fn band_keys(
    shingle_set: &[u32],
    folded_family: &[u64],
    rows: usize,
    signature: &mut Vec<u64>,
    out: &mut Vec<u32>,
) {
    signature.clear();
    signature.resize(folded_family.len(), u64::MAX);
    // `mix64(x ^ seed)` for every seed, its first step shared (see `fold`). Four shingles per
    // pass over the slots: each seed and slot is loaded and stored once per four hashes, and
    // the four hash chains are independent, so they overlap in the pipeline.
    let mut quads = shingle_set.chunks_exact(4);
    for quad in &mut quads {
        let [a, b, c, d] = [quad[0], quad[1], quad[2], quad[3]].map(|s| fold(u64::from(s)));
        for (slot, &seed) in signature.iter_mut().zip(folded_family) {
            let low = mix64_unfolded(a ^ seed).min(mix64_unfolded(b ^ seed));
            let high = mix64_unfolded(c ^ seed).min(mix64_unfolded(d ^ seed));
            *slot = (*slot).min(low.min(high));
        }
    }
    for &shingle in quads.remainder() {
        let x = fold(u64::from(shingle));
        for (slot, &seed) in signature.iter_mut().zip(folded_family) {
            *slot = (*slot).min(mix64_unfolded(x ^ seed));
        }
    }
    out.clear();
    let rows = rows.max(1);
    for (band, slots) in signature.chunks_exact(rows).enumerate() {
        let key = slots.iter().fold(band as u64, |h, &slot| mix64(h.rotate_left(17) ^ slot));
        out.push(key as u32);
    }
}

/// The set of hashed `shingle_words`-word shingles of `text`, sorted and deduplicated.
///
/// Words are [`crosscheck_text::words`] tokens, lowercased. A text shorter than one shingle
/// yields a single shingle of all its words, so that very short texts can still be compared;
/// an empty text yields no shingles (and is never anyone's duplicate).
pub fn shingles(text: &str, shingle_words: usize) -> Vec<u64> {
    let mut out = Vec::new();
    for_each_shingle(text, shingle_words, &mut Vec::new(), |h| out.push(h));
    out.sort_unstable();
    out.dedup();
    out
}

/// Exact Jaccard similarity of two sorted, deduplicated shingle sets (0 when both are empty).
pub fn jaccard_of_sets(a: &[u64], b: &[u64]) -> f64 {
    sorted_jaccard(a, b)
}

/// [`jaccard_of_sets`] for any sorted, deduplicated sets (the compact `u32` ones too).
pub(crate) fn sorted_jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0usize, 0usize, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    shared as f64 / union as f64
}

/// Exact Jaccard similarity of the word shingles of two texts: the naive twin of the MinHash
/// estimate.
pub fn exact_jaccard(a: &str, b: &str, shingle_words: usize) -> f64 {
    jaccard_of_sets(&shingles(a, shingle_words), &shingles(b, shingle_words))
}

/// The seeds of the hash family: `num_hashes` values from a SplitMix64 stream.
pub(crate) fn hash_family(num_hashes: usize) -> Vec<u64> {
    let mut state = FAMILY_SEED;
    (0..num_hashes)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            mix64(state)
        })
        .collect()
}

/// MinHash signature of a shingle set under `num_hashes` hash functions `h_i(x) = mix64(x ^ s_i)`.
///
/// An empty set gives all `u64::MAX`; callers keep empty documents out of comparisons.
pub fn minhash_signature(shingle_set: &[u64], num_hashes: usize) -> Vec<u64> {
    signature_with_family(shingle_set, &hash_family(num_hashes))
}

pub(crate) fn signature_with_family(shingle_set: &[u64], family: &[u64]) -> Vec<u64> {
    let mut signature = vec![u64::MAX; family.len()];
    for &shingle in shingle_set {
        for (slot, &seed) in signature.iter_mut().zip(family) {
            let h = mix64(shingle ^ seed);
            if h < *slot {
                *slot = h;
            }
        }
    }
    signature
}

/// The fraction of equal slots of two signatures: an unbiased estimate of the Jaccard
/// similarity of the sets they were computed from.
pub fn estimated_jaccard(a: &[u64], b: &[u64]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_ignore_case_and_punctuation_but_not_order() {
        let a = shingles("The bridge, closed on Tuesday!", 3);
        let b = shingles("the BRIDGE closed on tuesday", 3);
        assert_eq!(a, b);
        let reordered = shingles("on Tuesday the bridge closed", 3);
        assert_ne!(a, reordered);
        assert_eq!(a.len(), 3);
    }

    #[test]
    fn typographic_apostrophe_shingles_like_ascii() {
        assert_eq!(shingles("Marlowe’s mayor spoke", 2), shingles("Marlowe's mayor spoke", 2));
    }

    #[test]
    fn one_pass_fold_and_hash_equal_the_two_steps() {
        let (mut one, mut two) = (String::new(), String::new());
        for word in ["Tuesday", "IRAN'S", "Iran’s", "K\u{fc}hn", "\u{c9}T\u{c9}", "x", "", "3.5m", "al-Assad"] {
            let h = fold_word_fnv(word, &mut one);
            fold_word(word, &mut two);
            assert_eq!(one, two, "{word}");
            assert_eq!(mix64(h), folded_word_hash(&two), "{word}");
        }
    }

    #[test]
    fn short_and_empty_texts() {
        assert_eq!(shingles("two words", 5).len(), 1);
        assert!(shingles("  ,;  ", 5).is_empty());
        assert_eq!(exact_jaccard("", "", 3), 0.0);
        assert_eq!(exact_jaccard("same words here now", "same words here now", 3), 1.0);
    }

    #[test]
    fn exact_jaccard_counts_shared_shingles() {
        // a: {a b, b c, c d}; b: {a b, b c, c e} → 2 shared of 4.
        assert!((exact_jaccard("a b c d", "a b c e", 2) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn folded_slots_equal_mix64_of_the_xor() {
        let family = hash_family(16);
        let folded: Vec<u64> = family.iter().map(|&s| fold(s)).collect();
        for x in [0u64, 1, 0x3fff_ffff, 0x4000_0000, 0xffff_ffff, 0xdead_beef_1234_5678, u64::MAX] {
            for (&seed, &folded_seed) in family.iter().zip(&folded) {
                assert_eq!(mix64(x ^ seed), mix64_unfolded(fold(x) ^ folded_seed));
            }
        }
        // The band keys of a set equal those of its plain MinHash signature, whatever the
        // set's size modulo the four shingles hashed per pass.
        for size in 0..=9usize {
            let set: Vec<u32> = [3, 77, 1 << 31, u32::MAX, 9, 0, 12_345, 1 << 20, 5].into_iter().take(size).collect();
            let (mut signature, mut keys) = (Vec::new(), Vec::new());
            band_keys(&set, &folded, 2, &mut signature, &mut keys);
            let plain = signature_with_family(&set.iter().map(|&s| u64::from(s)).collect::<Vec<_>>(), &family);
            assert_eq!(signature, plain, "{size} shingles");
            assert_eq!(keys.len(), 8);
        }
    }

    #[test]
    fn signatures_are_deterministic_and_estimate_identity() {
        let s = shingles("one two three four five six seven", 2);
        let a = minhash_signature(&s, 64);
        assert_eq!(a, minhash_signature(&s, 64));
        assert_eq!(estimated_jaccard(&a, &a), 1.0);
        let t = shingles("alpha beta gamma delta epsilon zeta eta", 2);
        assert!(estimated_jaccard(&a, &minhash_signature(&t, 64)) < 0.1);
    }
}
