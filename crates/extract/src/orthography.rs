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
    fn different_names_keep_different_keys() {
        assert_ne!(orthographic_key("Iran"), orthographic_key("Iraq"));
        assert_ne!(orthographic_key("Tehran"), orthographic_key("Tahrir"));
        assert_eq!(orthographic_key("Soleimani"), "slmn");
    }
}
