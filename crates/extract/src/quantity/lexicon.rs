//! Loading of the plain-text lexicons under `resources/quantity/` and `resources/date/`, and a
//! token-sequence phrase map to look their entries up in a tokenized text.
//!
//! This module owns the file format (`#` comments, `key : form, form` lines) and matching by
//! lowercased token sequences; it must not hold any rule about what a phrase means.

use super::tokens::{tokenize, Tok};
use crate::ExtractError;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A small multiply-rotate hasher for the short lexicon keys looked up once per token; the
/// tables are fixed at start-up, so the default DoS-resistant hasher buys nothing here.
#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by words, with the fast hasher.
pub(crate) type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;
/// A set of words, with the fast hasher.
pub(crate) type WordSet<K> = HashSet<K, BuildHasherDefault<WordHasher>>;

/// Non-empty, non-comment lines of a resource file with their 1-based line numbers.
pub(crate) fn data_lines(src: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    src.lines().enumerate().filter_map(|(n, line)| {
        let line = line.split_once('#').map_or(line, |(a, _)| a).trim();
        (!line.is_empty()).then_some((n + 1, line))
    })
}

/// One `key : form, form` line: (line number, key, forms).
pub(crate) type KeyedLine = (usize, &'static str, Vec<&'static str>);

/// `key : form, form, ...` lines as (line number, key, forms).
pub(crate) fn keyed_lines(file: &'static str, src: &'static str) -> Result<Vec<KeyedLine>, ExtractError> {
    // A `#` inside a form (none today) would be cut as a comment; forms never need it.
    data_lines(src)
        .map(|(n, line)| {
            let (key, forms) = line
                .split_once(" : ")
                .or_else(|| line.split_once(':'))
                .ok_or(ExtractError::Resource { file, line: n, message: "expected `key : form, form`".into() })?;
            let forms: Vec<&str> = forms.split(',').map(str::trim).filter(|f| !f.is_empty()).collect();
            if forms.is_empty() {
                return Err(ExtractError::Resource { file, line: n, message: "no forms".into() });
            }
            Ok((n, key.trim(), forms))
        })
        .collect()
}

/// `key*factor` → (key, factor); plain `key` → (key, 1).
pub(crate) fn key_factor(file: &'static str, line: usize, key: &str) -> Result<(String, f64), ExtractError> {
    match key.split_once('*') {
        None => Ok((key.to_string(), 1.0)),
        Some((k, f)) => f
            .trim()
            .parse::<f64>()
            .map(|f| (k.trim().to_string(), f))
            .map_err(|e| ExtractError::Resource { file, line, message: format!("bad factor: {e}") }),
    }
}

/// A phrase's lowercased tokens, whether each token is glued to the one before it in the
/// phrase as written ("a$": a text match must be glued there too), and its value.
type Phrase<V> = (Vec<Box<str>>, Vec<bool>, V);

/// Phrases as lowercased token sequences, keyed by their first token, longest first.
#[derive(Debug)]
pub(crate) struct PhraseMap<V> {
    by_first: WordMap<Box<str>, Vec<Phrase<V>>>,
    by_last: WordMap<Box<str>, Vec<Phrase<V>>>,
}

impl<V: Clone> PhraseMap<V> {
    pub fn new() -> Self {
        PhraseMap { by_first: WordMap::default(), by_last: WordMap::default() }
    }

    pub fn insert(&mut self, phrase: &str, value: V) {
        let lower = phrase.to_lowercase();
        let mut toks = Vec::new();
        tokenize(&lower, &mut toks);
        let parts: Vec<Box<str>> = toks.iter().map(|t| Box::from(&lower[t.start..t.end])).collect();
        let glued: Vec<bool> = toks.iter().enumerate().map(|(n, t)| n > 0 && !t.spaced).collect();
        let (Some(first), Some(last)) = (parts.first().cloned(), parts.last().cloned()) else {
            return;
        };
        for (key, map) in [(first, &mut self.by_first), (last, &mut self.by_last)] {
            let list = map.entry(key).or_default();
            list.push((parts.clone(), glued.clone(), value.clone()));
            list.sort_by_key(|(p, _, _)| std::cmp::Reverse(p.len()));
        }
    }

    /// The first tokens of every phrase (lowercased).
    pub fn first_words(&self) -> impl Iterator<Item = &str> {
        self.by_first.keys().map(|k| &**k)
    }

    /// Longest phrase starting at token `k`; returns the token index after it and the value.
    /// Tokens of a phrase must follow each other with at most plain spacing, never across a
    /// line break or other punctuation than the phrase's own.
    pub fn match_at(&self, lower: &str, toks: &[Tok], k: usize) -> Option<(usize, &V)> {
        let first = toks.get(k)?;
        let list = self.by_first.get(&lower[first.start..first.end])?;
        'cand: for (parts, glued, v) in list {
            if k + parts.len() > toks.len() {
                continue;
            }
            for (n, p) in parts.iter().enumerate() {
                let t = &toks[k + n];
                if lower[t.start..t.end] != **p
                    || (n > 0 && has_break(lower, toks[k + n - 1].end, t.start))
                    || (glued[n] && t.spaced)
                {
                    continue 'cand;
                }
            }
            return Some((k + parts.len(), v));
        }
        None
    }

    /// Longest phrase ending just before token `k`; returns its first token index.
    pub fn match_before(&self, lower: &str, toks: &[Tok], k: usize) -> Option<(usize, &V)> {
        let last = toks.get(k.checked_sub(1)?)?;
        let list = self.by_last.get(&lower[last.start..last.end])?;
        'cand: for (parts, glued, v) in list {
            if parts.len() > k {
                continue;
            }
            let from = k - parts.len();
            for (n, p) in parts.iter().enumerate() {
                let t = &toks[from + n];
                if lower[t.start..t.end] != **p
                    || (n > 0 && has_break(lower, toks[from + n - 1].end, t.start))
                    || (glued[n] && t.spaced)
                {
                    continue 'cand;
                }
            }
            return Some((from, v));
        }
        None
    }
}

/// A line break between two byte positions (phrases never span lines).
pub(crate) fn has_break(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to).is_some_and(|gap| gap.contains('\n'))
}

/// A set of lowercased words with a first-byte-and-length sieve in front of the hash lookup:
/// most words of a text are rejected by one table load.
#[derive(Debug, Default)]
pub(crate) struct WordSieve {
    /// Per first byte: bit `min(len, 63)` set when some word of that length starts with it.
    lengths: Vec<u64>,
    words: WordSet<Box<str>>,
}

impl WordSieve {
    pub fn new<'a>(words: impl Iterator<Item = &'a str>) -> Self {
        let mut sieve = WordSieve { lengths: vec![0; 256], words: WordSet::default() };
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                sieve.lengths[usize::from(b)] |= 1u64 << w.len().min(63);
                sieve.words.insert(Box::from(w));
            }
        }
        sieve
    }

    pub fn contains(&self, w: &str) -> bool {
        let Some(&b) = w.as_bytes().first() else { return false };
        self.lengths[usize::from(b)] & (1u64 << w.len().min(63)) != 0 && self.words.contains(w)
    }
}
