//! Which language a document is written in: whatlang's trigram detector on the start of the
//! text, with the page's declared language (`<html lang>`) as the fallback when detection is
//! unsure, stored as an ISO 639-1 code ("en").
//!
//! Later stages use the answer to decide whether the English-only extractors run, so a wrong
//! "not English" costs a whole document's analysis: only a detection whatlang itself calls
//! reliable, on enough text, overrides the declaration. It must not look at anything but the
//! text and the declared code.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::dates::data_lines;

const LANGUAGES_DATA: &str = include_str!("../../../resources/ingest/languages.txt");
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

/// The language of `text`: a reliable detection, else the declared language, else `None`.
pub fn detect_language(text: &str, declared: Option<&str>) -> Option<String> {
    detected(text).or_else(|| declared.and_then(primary_subtag))
}

fn detected(text: &str) -> Option<String> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
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
