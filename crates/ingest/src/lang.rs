//! Which language a document is written in: whatlang's trigram detector on the start of the
//! text, with the page's declared language (`<html lang>`) as the fallback when detection is
//! unsure, stored as an ISO 639-1 code ("en").
//!
//! Later stages use the answer to decide whether the English-only extractors run, so a wrong
//! "not English" costs a whole document's analysis: only a detection whatlang itself calls
//! reliable, on enough text, overrides the declaration. It must not look at anything but the
//! text and the declared code.
//!
//! Trigram detection scores the sample against every language of its script, which costs as
//! much as a quarter of a news article's whole analysis. Most articles are English, and
//! English is told cheaply by its function words ("the", "of", "said"): a sample dense with
//! them, in plain ASCII letters, is English without asking whatlang, unless the page declares
//! another language (then whatlang decides, as before).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::dates::data_lines;

const LANGUAGES_DATA: &str = include_str!("../../../resources/ingest/languages.txt");
const ENGLISH_WORDS_DATA: &str = include_str!("../../../resources/ingest/english_function_words.txt");
/// Share of a sample's words that must be English function words (news English: about 40%;
/// other languages written in Latin letters: a few percent, from the short shared words).
const ENGLISH_WORD_SHARE: f64 = 0.25;
/// Share of words with letters outside ASCII above which a sample is not taken for English
/// by its function words alone.
const MAX_NON_ASCII_WORD_SHARE: f64 = 0.05;
/// Fewer words than this and function words prove nothing.
const MIN_WORDS: usize = 20;
/// Enough text for stable trigram statistics; more only costs time.
const SAMPLE_BYTES: usize = 4096;
/// Fewer letters than this and the detector is guessing.
const MIN_LETTERS: usize = 40;

fn iso_639_1() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        data_lines(LANGUAGES_DATA)
            .filter_map(|line| {
                let mut parts = line.split_whitespace();
                Some((parts.next()?, parts.next()?))
            })
            .collect()
    })
}

/// The primary subtag of a declared language ("en-GB" → "en"), lower case.
pub(crate) fn primary_subtag(declared: &str) -> Option<String> {
    let primary = declared.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (!primary.is_empty() && primary.len() <= 3 && primary.bytes().all(|b| b.is_ascii_alphabetic())).then_some(primary)
}

/// The function words of up to eight letters (the only ones [`looks_english`] looks up), each
/// packed into a `u64`, in an open-addressing table: a lookup is a multiply and a compare or
/// two, no hashing of strings.
struct WordSet {
    /// Power-of-two sized; 0 marks an empty slot (a packed word is never 0).
    slots: Vec<u64>,
}

impl WordSet {
    fn new(words: impl IntoIterator<Item = u64>) -> WordSet {
        let words: Vec<u64> = words.into_iter().collect();
        let size = (words.len() * 4).next_power_of_two().max(16);
        let mut set = WordSet { slots: vec![0; size] };
        for word in words {
            let mut i = set.home(word);
            while set.slots[i] != 0 && set.slots[i] != word {
                i = (i + 1) & (size - 1);
            }
            set.slots[i] = word;
        }
        set
    }

    #[inline]
    fn home(&self, packed: u64) -> usize {
        // Fibonacci hashing: the top bits of the product spread the packed letters.
        (packed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & (self.slots.len() - 1)
    }

    #[inline]
    fn contains(&self, packed: u64) -> bool {
        let mut i = self.home(packed);
        loop {
            match self.slots[i] {
                0 => return false,
                slot if slot == packed => return true,
                _ => i = (i + 1) & (self.slots.len() - 1),
            }
        }
    }
}

fn english_words() -> &'static WordSet {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    WORDS.get_or_init(|| {
        WordSet::new(
            data_lines(ENGLISH_WORDS_DATA)
                .map(|w| w.to_ascii_lowercase())
                .filter(|w| !w.is_empty() && w.is_ascii() && w.len() <= 8)
                .map(|w| pack_word(w.as_bytes())),
        )
    })
}

/// Up to eight ASCII bytes as one integer, lowercased (words hold no NUL, so no two collide).
#[inline]
fn pack_word(word: &[u8]) -> u64 {
    word.iter().enumerate().fold(0u64, |packed, (i, b)| packed | u64::from(b.to_ascii_lowercase()) << (8 * i))
}

/// The language of `text`: a reliable detection, else the declared language, else `None`.
pub fn detect_language(text: &str, declared: Option<&str>) -> Option<String> {
    let declared = declared.and_then(primary_subtag);
    let sample = sample_of(text);
    if declared.as_deref().is_none_or(|d| d == "en") && looks_english(sample) {
        return Some("en".to_string());
    }
    detected(sample).or(declared)
}

/// The start of `text` that detection reads (whole chars).
fn sample_of(text: &str) -> &str {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whether English function words make up a large share of the sample's words, and nearly
/// every word is plain ASCII.
fn looks_english(sample: &str) -> bool {
    let words = english_words();
    let (mut total, mut function, mut non_ascii) = (0usize, 0usize, 0usize);
    // Words are runs of alphabetic chars; an ASCII char is alphabetic exactly when it is an
    // ASCII letter, so chars are decoded only at non-ASCII bytes. Each ASCII word is packed
    // (lowercased: `| 0x20` on a letter) while it is read, in one pass over the bytes.
    let bytes = sample.as_bytes();
    let (mut packed, mut len, mut word_non_ascii) = (0u64, 0usize, false);
    let mut at = 0;
    while at <= bytes.len() {
        let (letter, width) = match bytes.get(at) {
            Some(&b) if b.is_ascii() => (b.is_ascii_alphabetic(), 1),
            Some(_) => match sample.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_alphabetic(), c.len_utf8()),
                None => (false, 1),
            },
            None => (false, 1),
        };
        if letter {
            if width == 1 {
                if len < 8 {
                    packed |= u64::from(bytes[at] | 0x20) << (8 * len);
                }
            } else {
                word_non_ascii = true;
            }
            len += width;
        } else if len > 0 {
            total += 1;
            if word_non_ascii {
                non_ascii += 1;
            } else {
                function += usize::from(len <= 8 && words.contains(packed));
            }
            (packed, len, word_non_ascii) = (0, 0, false);
        }
        at += width;
    }
    total >= MIN_WORDS
        && function as f64 >= ENGLISH_WORD_SHARE * total as f64
        && non_ascii as f64 <= MAX_NON_ASCII_WORD_SHARE * total as f64
}

fn detected(sample: &str) -> Option<String> {
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    let code = info.lang().code();
    Some(iso_639_1().get(code).map_or_else(|| code.to_string(), |c| c.to_string()))
}

/// True when the document is known to be in a language other than English: the English-only
/// extractors should not run on it. Unknown language counts as English.
pub fn is_non_english(language: Option<&str>) -> bool {
    language.is_some_and(|l| l != "en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_english_french_and_arabic() {
        let en = "The city council approved the new budget on Tuesday after a long debate that ran late into the night, officials said.";
        assert_eq!(detect_language(en, None).as_deref(), Some("en"));
        let fr = "Le conseil municipal a approuvé le nouveau budget mardi soir après un long débat qui a duré toute la nuit, selon les responsables.";
        assert_eq!(detect_language(fr, Some("en")).as_deref(), Some("fr"));
        let ar = "وافق المجلس البلدي على الميزانية الجديدة يوم الثلاثاء بعد نقاش طويل استمر حتى ساعة متأخرة من الليل";
        assert_eq!(detect_language(ar, None).as_deref(), Some("ar"));
    }

    #[test]
    fn function_words_tell_english_cheaply_and_never_other_languages() {
        let en = "The council said on Tuesday that it would approve the budget for the new school, which has been delayed by a year after the floods of the spring.";
        assert!(looks_english(en));
        assert_eq!(detect_language(en, None).as_deref(), Some("en"));
        assert_eq!(detect_language(en, Some("en-US")).as_deref(), Some("en"));
        // A page declared in another language goes to the trigram detector, as before.
        assert_eq!(detect_language(en, Some("fr")).as_deref(), Some("en"));
        for other in [
            "Le conseil municipal a approuvé le nouveau budget mardi soir après un long débat qui a duré toute la nuit, selon les responsables de la ville et des associations.",
            "El consejo municipal aprobó el nuevo presupuesto el martes por la noche tras un largo debate que duró toda la noche, según los responsables de la ciudad.",
            "Der Stadtrat hat am Dienstag den neuen Haushalt nach einer langen Debatte beschlossen, die bis tief in die Nacht dauerte, sagten die Verantwortlichen der Stadt.",
            "Il consiglio comunale ha approvato il nuovo bilancio martedì sera dopo un lungo dibattito che è durato tutta la notte, secondo i responsabili della città.",
            "De gemeenteraad heeft dinsdag na een lang debat dat tot diep in de nacht duurde de nieuwe begroting goedgekeurd, zeiden de verantwoordelijken van de stad.",
        ] {
            assert!(!looks_english(other), "{other}");
        }
        // Too few words to tell.
        assert!(!looks_english("The end of the day."));
    }

    /// The share test as first written: words split, packed and looked up one by one.
    fn looks_english_by_words(sample: &str) -> bool {
        let mut listed: Vec<u64> = data_lines(ENGLISH_WORDS_DATA)
            .map(|w| w.to_ascii_lowercase())
            .filter(|w| w.is_ascii() && w.len() <= 8)
            .map(|w| pack_word(w.as_bytes()))
            .collect();
        listed.sort_unstable();
        let (mut total, mut function, mut non_ascii) = (0usize, 0usize, 0usize);
        for word in sample.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
            total += 1;
            if !word.is_ascii() {
                non_ascii += 1;
            } else if word.len() <= 8 && listed.binary_search(&pack_word(word.as_bytes())).is_ok() {
                function += 1;
            }
        }
        total >= MIN_WORDS
            && function as f64 >= ENGLISH_WORD_SHARE * total as f64
            && non_ascii as f64 <= MAX_NON_ASCII_WORD_SHARE * total as f64
    }

    #[test]
    fn word_set_holds_exactly_the_listed_words() {
        let set = english_words();
        for word in data_lines(ENGLISH_WORDS_DATA).filter(|w| w.len() <= 8) {
            assert!(set.contains(pack_word(word.as_bytes())), "{word}");
        }
        for other in ["thee", "an d", "said_", "saidx", "x", "theyx", "", "zzzzzzzz"] {
            let listed = data_lines(ENGLISH_WORDS_DATA).any(|w| w == other);
            assert_eq!(set.contains(pack_word(other.as_bytes())), listed, "{other}");
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_share_test_equals_the_word_by_word_one(
            words in proptest::collection::vec("(the|of|and|said|to|a|in|THE|Said|inthe|thethe|été|x|ab|abcdefghij|[a-z]{1,10})", 0..60),
            separators in proptest::collection::vec("[ ,.\n0-9'’-]{1,2}", 60),
        ) {
            let sample: String = words.iter().zip(&separators).flat_map(|(w, s)| [w.as_str(), s.as_str()]).collect();
            proptest::prop_assert_eq!(looks_english(&sample), looks_english_by_words(&sample), "{}", sample);
        }
    }

    #[test]
    fn short_text_falls_back_to_the_declared_language() {
        assert_eq!(detect_language("Hello.", Some("en-GB")).as_deref(), Some("en"));
        assert_eq!(detect_language("Hello.", None), None);
        assert_eq!(detect_language("Hello.", Some("x y")), None);
    }

    #[test]
    fn every_mapped_code_is_two_letters() {
        assert!(iso_639_1().len() >= 60);
        assert!(iso_639_1().values().all(|c| c.len() == 2));
        assert!(is_non_english(Some("fr")));
        assert!(!is_non_english(Some("en")));
        assert!(!is_non_english(None));
    }
}
