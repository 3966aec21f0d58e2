//! The comparison key for names and phrases, identical to the gold scorer's `norm`:
//! NFKD, combining marks dropped, case folded, ’ → ', punctuation → space, spaces squeezed,
//! a leading "the " dropped. Used by eval, linking and entity merging so that all three
//! agree on when two strings "are the same name".

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Normalised comparison key of `s` (see module docs).
pub fn normalize_key(s: &str) -> String {
    // NFKD leaves ASCII as it is and adds no combining marks: skip the decomposer for it,
    // and fold bytes rather than chars (names are keyed once per mention).
    if s.is_ascii() {
        return key_of_ascii(s);
    }
    key_of_chars(s.nfkd().filter(|&c| !is_combining_mark(c)), s.len())
}

/// Calls `f` with [`normalize_key`] of `s`, built on the stack for short ASCII text (nearly
/// every name): for callers that only look a key up, or keep one per distinct key.
pub fn with_normalized_key<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    const STACK: usize = 128;
    if s.len() > STACK || !s.is_ascii() {
        return f(&normalize_key(s));
    }
    let mut buf = [0u8; STACK];
    let mut len = 0;
    // The key is never longer than `s`: each byte gives at most one, a space only replaces a run.
    fold_ascii_key(s, |b| {
        buf[len] = b;
        len += 1;
    });
    let key = &buf[..len];
    let key = key.strip_prefix(b"the ").unwrap_or(key);
    match std::str::from_utf8(key) {
        Ok(k) => f(k),
        // Unreachable (ASCII in, ASCII out), but never worth a panic.
        Err(_) => f(&normalize_key(s)),
    }
}

/// [`key_of_chars`] for ASCII text, byte by byte (into bytes: pushing a byte costs less
/// than encoding a char).
fn key_of_ascii(s: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    fold_ascii_key(s, |b| out.push(b));
    if out.starts_with(b"the ") {
        out.drain(..4);
    }
    // ASCII in, ASCII out: the check cannot fail.
    String::from_utf8(out).unwrap_or_default()
}

/// The bytes of the key of ASCII `s` before the leading "the " is dropped, in order, to
/// `push`: alphanumerics and `_` lowercased, each run of anything else one space between words.
fn fold_ascii_key(s: &str, mut push: impl FnMut(u8)) {
    let (mut pending_space, mut any) = (false, false);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            if pending_space && any {
                push(b' ');
            }
            pending_space = false;
            any = true;
            push(b.to_ascii_lowercase());
        } else {
            pending_space = true;
        }
    }
}

fn key_of_chars(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        let c = if c == '\u{2019}' { '\'' } else { c };
        // Python's `\w` is alphanumeric or underscore; everything else becomes a space.
        if c.is_alphanumeric() || c == '_' {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            for lower in c.to_lowercase() {
                out.push(lower);
            }
        } else {
            pending_space = true;
        }
    }
    if out.starts_with("the ") {
        out.drain(..4);
    }
    out
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "but", "is", "are",
    "was", "were", "be", "been", "being", "has", "have", "had", "it", "its", "this", "that", "these", "those", "as",
    "into", "than", "then", "there", "their", "they", "them", "he", "she", "his", "her", "we", "our", "you", "your",
    "not", "no",
];

/// Normalised words of `s` minus stop words, as the scorer compares attribution contents.
pub fn content_words(s: &str) -> std::collections::BTreeSet<String> {
    normalize_key(s).split(' ').filter(|w| !w.is_empty() && !STOP_WORDS.contains(w)).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stack_key_is_the_key() {
        for s in ["The  Quds-Force", "the", "the ", "  the x", "Thé Café", "O'Hara’s", "", "a_b", &"ab ".repeat(60)]
        {
            with_normalized_key(s, |k| assert_eq!(k, normalize_key(s), "{s:?}"));
        }
    }

    #[test]
    fn key_folds_case_accents_punctuation_and_leading_the() {
        assert_eq!(normalize_key("The  Telegraph"), "telegraph");
        assert_eq!(normalize_key("Bashar Al-Assad"), "bashar al assad");
        assert_eq!(normalize_key("Russia’s Défense"), "russia s defense");
        assert_eq!(normalize_key("  "), "");
        assert_eq!(normalize_key("theory"), "theory");
    }

    #[test]
    fn ascii_fast_path_equals_the_char_path() {
        for s in ["The  Telegraph", "the", "The the X", "  a_b--C9 ", "", "THE U.S. Army's 3rd", "the-end", "x'y"] {
            assert_eq!(normalize_key(s), key_of_chars(s.chars(), s.len()), "{s:?}");
        }
    }

    #[test]
    fn content_words_drop_stop_words() {
        let w = content_words("The troops were withdrawn from Syria");
        assert!(w.contains("troops") && w.contains("syria"));
        assert!(!w.contains("the") && !w.contains("were"));
    }
}
