//! Text primitives that keep offsets honest: byte↔char offset conversion, lossless sentence
//! and paragraph segmentation, word tokens, and the normalisation key used to compare names.
//!
//! Every function here takes `&str` and returns byte ranges into *that same string*; the
//! conversion to the char offsets of the output format happens once, through [`CharMap`].
//! This crate must not do IO, allocate per token in its scanners, or rewrite the text.

mod normalize;
mod segment;

pub use normalize::{content_words, normalize_key, with_normalized_key};
pub use segment::{fold_key, paragraphs, sentences, sentences_in, words, Run, Word, WordStream};

use crosscheck_model::Span;

/// Converts byte offsets of one text into char offsets, in O(log n) per lookup.
///
/// Built once per document; ASCII-only texts take a fast path with no table.
#[derive(Debug, Clone)]
pub struct CharMap {
    /// Byte offset of every non-ASCII char start (empty for pure ASCII text).
    multibyte: Vec<(usize, usize)>,
    len_bytes: usize,
}

impl CharMap {
    pub fn new(text: &str) -> Self {
        let mut multibyte = Vec::new();
        if !text.is_ascii() {
            // (byte offset just after a multibyte char, extra bytes accumulated so far)
            let mut extra = 0usize;
            for (i, c) in text.char_indices() {
                let n = c.len_utf8();
                if n > 1 {
                    extra += n - 1;
                    multibyte.push((i + n, extra));
                }
            }
        }
        CharMap { multibyte, len_bytes: text.len() }
    }

    /// Char offset of a byte offset that lies on a char boundary.
    pub fn char_offset(&self, byte: usize) -> usize {
        let byte = byte.min(self.len_bytes);
        if self.multibyte.is_empty() {
            return byte;
        }
        let idx = self.multibyte.partition_point(|&(after, _)| after <= byte);
        let extra = if idx == 0 { 0 } else { self.multibyte[idx - 1].1 };
        byte - extra
    }

    /// Byte offset of a char offset (the inverse of [`char_offset`](Self::char_offset)); the
    /// text's length for an offset at or past its end. Lets a stage read back char spans
    /// without a per-document table of char starts.
    pub fn byte_offset(&self, char_offset: usize) -> usize {
        let idx = self.multibyte.partition_point(|&(after, extra)| after - extra <= char_offset);
        let extra = if idx == 0 { 0 } else { self.multibyte[idx - 1].1 };
        (char_offset + extra).min(self.len_bytes)
    }

    /// Char span of a byte range.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.char_offset(start), self.char_offset(end))
    }
}

/// Calls `f` with the lower-case form of `word` (as `str::to_lowercase` gives it) without
/// allocating for the words news text is made of: short ASCII words are lowered in a stack
/// buffer, and words already in lower case are passed through. Lets lexicon lookups run per
/// token without a heap allocation each.
pub fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    const STACK: usize = 64;
    let bytes = word.as_bytes();
    if bytes.len() > STACK || !word.is_ascii() {
        return f(&word.to_lowercase());
    }
    if !bytes.iter().any(u8::is_ascii_uppercase) {
        return f(word);
    }
    let mut buf = [0u8; STACK];
    let lowered = &mut buf[..bytes.len()];
    lowered.copy_from_slice(bytes);
    lowered.make_ascii_lowercase();
    match std::str::from_utf8(lowered) {
        Ok(s) => f(s),
        // Unreachable (ASCII in, ASCII out), but never worth a panic.
        Err(_) => f(&word.to_lowercase()),
    }
}

/// `lower == word.to_lowercase()` without allocating when `word` is ASCII.
pub fn eq_lowercase(lower: &str, word: &str) -> bool {
    if word.is_ascii() {
        lower.len() == word.len() && lower.bytes().zip(word.bytes()).all(|(l, w)| l == w.to_ascii_lowercase())
    } else {
        lower == word.to_lowercase()
    }
}

/// A number as people read it in a report: 7000 → "7,000", -250 → "-250", 1.5 → "1.5".
pub fn format_number(v: f64) -> String {
    if v.fract() != 0.0 || v.abs() >= 1e15 {
        return format!("{v}");
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if v < 0.0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Byte offset of a char offset in `text` (for reading spans back); clamps to the end.
pub fn byte_offset(text: &str, char_offset: usize) -> usize {
    text.char_indices().nth(char_offset).map_or(text.len(), |(i, _)| i)
}

/// The substring a char span covers (clamped to the text).
pub fn slice_chars(text: &str, span: Span) -> &str {
    let start = byte_offset(text, span.start);
    let end = byte_offset(text, span.end).max(start);
    &text[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_char_indices_on_mixed_text() {
        let text = "Iran’s “axis” — naïve 東京 ok";
        let map = CharMap::new(text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(map.char_offset(bi), ci, "byte {bi}");
        }
        assert_eq!(map.char_offset(text.len()), text.chars().count());
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(map.byte_offset(ci), bi, "char {ci}");
        }
        let chars = text.chars().count();
        assert_eq!(map.byte_offset(chars), text.len());
        assert_eq!(map.byte_offset(chars + 5), text.len());
        assert_eq!(CharMap::new("ascii").byte_offset(9), 5);
    }

    #[test]
    fn lowercase_helpers_agree_with_to_lowercase() {
        for w in ["Iran", "IRGC", "already", "Défense", "ΣΑΣ", "x".repeat(80).as_str(), "MiXeD-Case's"] {
            with_lowercase(w, |l| assert_eq!(l, w.to_lowercase()));
            assert!(eq_lowercase(&w.to_lowercase(), w));
        }
        assert!(!eq_lowercase("iran", "Iraq"));
        assert!(!eq_lowercase("ira", "Iran"));
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(format_number(7000.0), "7,000");
        assert_eq!(format_number(1_500_000_000.0), "1,500,000,000");
        assert_eq!(format_number(1.5), "1.5");
        assert_eq!(format_number(-250.0), "-250");
        assert_eq!(format_number(0.0), "0");
    }

    #[test]
    fn ascii_text_maps_bytes_to_themselves() {
        let map = CharMap::new("plain ascii");
        assert_eq!(map.span(6, 11), Span::new(6, 11));
    }

    #[test]
    fn slice_chars_reads_back_a_span() {
        let text = "“Quote” by Ali";
        assert_eq!(slice_chars(text, Span::new(11, 14)), "Ali");
        assert_eq!(slice_chars(text, Span::new(0, 7)), "“Quote”");
    }
}
