//! The orthographic key that lets transliteration variants of one name meet within a
//! document ("Soleimani" / "Suleimani", "Hezbollah" / "Hizballah" / "Hezbolah", "Nouri
//! al-Maliki" / "Nouri Maleki", "Pour-Hashemi" / "Pourhashemi").
//!
//! The key of a name is built in this order:
//! 1. [`crosscheck_text::normalize_key`]: NFKD, diacritics dropped, lower case, punctuation
//!    to spaces, a leading "the" dropped;
//! 2. the Arabic article and name particles are dropped as whole words (`al el ul ad ed as
//!    ash at az ez an ar bin ibn bint de da von van der`), then the words are joined with no
//!    space, so hyphenation and spacing differences vanish;
//! 3. digraphs are simplified: `ou`/`oo` → `u`, `ee` → `i`, `kh` → `k`, `gh` → `g`,
//!    `ph` → `f`, `ck` → `k`, `q` → `k`, `w` → `v`;
//! 4. runs of the same letter collapse to one;
//! 5. every vowel (`a e i o u y`) after the first letter is dropped.
//!
//! Keys shorter than [`MIN_KEY_LEN`] are too ambiguous to merge on. This module only computes
//! keys; deciding which entities may merge (same type, never two different gazetteer
//! entries) is the entity resolver's job.

use crosscheck_text::normalize_key;

/// Keys shorter than this are not used for merging ("Homs" and "Hamas" both give `hms`).
pub const MIN_KEY_LEN: usize = 4;

const PARTICLES: &[&str] = &[
    "al", "el", "ul", "ad", "ed", "as", "ash", "at", "az", "ez", "an", "ar", "bin", "ibn", "bint", "de", "da", "von",
    "van", "der",
];

/// The orthographic key of `name` (see the module docs for the rules).
pub fn orthographic_key(name: &str) -> String {
    with_orthographic_key(name, str::to_string)
}

/// Longest ASCII name whose key is built on the stack.
const STACK_NAME: usize = 96;

/// Calls `f` with the orthographic key of `name`, built without a heap allocation when the
/// name is short ASCII (nearly every name a text offers), since the entity stage computes a
/// key for each candidate name and surname.
pub fn with_orthographic_key<R>(name: &str, f: impl FnOnce(&str) -> R) -> R {
    if !name.is_ascii() || name.len() > STACK_NAME {
        return f(&general_key(name));
    }
    // Step 1 and 2 at once: the lower-cased words (runs of letters, digits and `_`), the
    // first dropped when it is "the" and another follows, particles dropped, joined.
    let mut joined = [0u8; STACK_NAME];
    let mut joined_len = 0;
    let bytes = name.as_bytes();
    let is_word_byte = |b: u8| WORD_BYTE_LOWER[usize::from(b)] != 0;
    let mut i = 0;
    let mut first = true;
    loop {
        while i < bytes.len() && !is_word_byte(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        while i < bytes.len() && is_word_byte(bytes[i]) {
            i += 1;
        }
        let w = &bytes[start..i];
        let leading_the =
            first && w.len() == 3 && w.eq_ignore_ascii_case(b"the") && bytes[i..].iter().any(|&b| is_word_byte(b));
        if !(leading_the || (w.len() <= 4 && is_particle_ascii(w))) {
            for &b in w {
                joined[joined_len] = WORD_BYTE_LOWER[usize::from(b)];
                joined_len += 1;
            }
        }
        first = false;
    }
    let mut key = [0u8; STACK_NAME];
    let key_len = key_of_joined(&joined[..joined_len], |i, c| key[i] = c);
    match std::str::from_utf8(&key[..key_len]) {
        Ok(k) => f(k),
        // Unreachable (ASCII in, ASCII out), but never worth a panic.
        Err(_) => f(&general_key(name)),
    }
}

/// Each ASCII letter, digit and `_` lower-cased, every other byte 0: one load tells whether
/// a byte belongs to a word and gives its folded form (every name's every byte asks).
static WORD_BYTE_LOWER: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'_' {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Whether the ASCII word `w` (2 to 4 bytes), case folded, is one of [`PARTICLES`]: one
/// match instead of a comparison per particle, since every name's every word asks.
fn is_particle_ascii(w: &[u8]) -> bool {
    let mut lower = [0u8; 4];
    let Some(slot) = lower.get_mut(..w.len()) else { return false };
    slot.copy_from_slice(w);
    slot.make_ascii_lowercase();
    let found = matches!(
        &*slot,
        b"al"
            | b"el"
            | b"ul"
            | b"ad"
            | b"ed"
            | b"as"
            | b"ash"
            | b"at"
            | b"az"
            | b"ez"
            | b"an"
            | b"ar"
            | b"bin"
            | b"ibn"
            | b"bint"
            | b"de"
            | b"da"
            | b"von"
            | b"van"
            | b"der"
    );
    debug_assert_eq!(found, PARTICLES.iter().any(|p| p.as_bytes().eq_ignore_ascii_case(w)));
    found
}

/// Steps 3 to 5 over the joined lower-case ASCII words: `put(i, byte)` writes the `i`th
/// byte of the key; returns the key's length.
fn key_of_joined(joined: &[u8], mut put: impl FnMut(usize, u8)) -> usize {
    let mut len = 0;
    let mut mapped_count = 0;
    let mut previous: Option<u8> = None;
    let mut i = 0;
    while i < joined.len() {
        let (c, used) = match (joined[i], joined.get(i + 1).copied()) {
            (b'o', Some(b'u')) | (b'o', Some(b'o')) => (b'u', 2),
            (b'e', Some(b'e')) => (b'i', 2),
            (b'k', Some(b'h')) => (b'k', 2),
            (b'g', Some(b'h')) => (b'g', 2),
            (b'p', Some(b'h')) => (b'f', 2),
            (b'c', Some(b'k')) => (b'k', 2),
            (b'q', _) => (b'k', 1),
            (b'w', _) => (b'v', 1),
            (c, _) => (c, 1),
        };
        i += used;
        let n = mapped_count;
        mapped_count += 1;
        if previous == Some(c) {
            continue;
        }
        previous = Some(c);
        if n > 0 && matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            continue;
        }
        put(len, c);
        len += 1;
    }
    len
}

/// The key of any name (non-ASCII, or too long for the stack), step by step.
fn general_key(name: &str) -> String {
    let normal = normalize_key(name);
    let mut joined = String::with_capacity(normal.len());
    for word in normal.split(' ') {
        if !PARTICLES.contains(&word) {
            joined.push_str(word);
        }
    }
    let chars: Vec<char> = joined.chars().collect();
    let mut mapped = String::with_capacity(joined.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let (out, used) = match (c, next) {
            ('o', Some('u')) | ('o', Some('o')) => ('u', 2),
            ('e', Some('e')) => ('i', 2),
            ('k', Some('h')) => ('k', 2),
            ('g', Some('h')) => ('g', 2),
            ('p', Some('h')) => ('f', 2),
            ('c', Some('k')) => ('k', 2),
            ('q', _) => ('k', 1),
            ('w', _) => ('v', 1),
            _ => (c, 1),
        };
        mapped.push(out);
        i += used;
    }
    let mut key = String::with_capacity(mapped.len());
    let mut previous: Option<char> = None;
    for (n, c) in mapped.chars().enumerate() {
        if previous == Some(c) {
            continue;
        }
        previous = Some(c);
        if n > 0 && matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            continue;
        }
        key.push(c);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_variants_share_a_key() {
        assert_eq!(orthographic_key("Soleimani"), orthographic_key("Suleimani"));
        assert_eq!(orthographic_key("Hezbollah"), orthographic_key("Hizballah"));
        assert_eq!(orthographic_key("Hezbollah"), orthographic_key("Hezbolah"));
        assert_eq!(orthographic_key("Nouri al-Maliki"), orthographic_key("Nouri Maleki"));
        assert_eq!(orthographic_key("Pour-Hashemi"), orthographic_key("Pourhashemi"));
        assert_eq!(orthographic_key("Bashar al-Assad"), orthographic_key("Bashir Al Assad"));
        assert_eq!(orthographic_key("Qassem"), orthographic_key("Kasem"));
    }

    #[test]
    fn stack_key_equals_the_general_key() {
        let names = [
            "Soleimani",
            "The Hague",
            "the",
            "The the Times",
            "Nouri al-Maliki",
            "AL-ASSAD",
            "Bin Laden",
            "ibn Saud",
            "Pour-Hashemi",
            "Phoenix Khan",
            "Quds Force",
            "Wook-jin",
            "x_y z",
            "  ",
            "",
            "a",
            "de",
            "the de",
            "O'Hara",
            "Mc Donald's  Co.",
            "Ghoul OOU eek",
            "Vanderbilt van der Berg",
            "THE U.S.",
            "ΣΑΣ",
            "Goiânia",
        ];
        for name in names {
            assert_eq!(orthographic_key(name), general_key(name), "{name:?}");
        }
        let long = "Abdul ".repeat(30);
        assert_eq!(orthographic_key(&long), general_key(&long));
    }

    #[test]
    fn particle_match_equals_the_list() {
        for w in ["al", "AL", "Bint", "der", "x", "abcd", "alx", "bi", "ibn", "vOn", "ul"] {
            let expected = PARTICLES.iter().any(|p| p.eq_ignore_ascii_case(w));
            assert_eq!(is_particle_ascii(w.as_bytes()), expected, "{w}");
        }
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(orthographic_key("Iran"), orthographic_key("Iraq"));
        assert_ne!(orthographic_key("Tehran"), orthographic_key("Tahrir"));
        assert_eq!(orthographic_key("Soleimani"), "slmn");
    }
}
