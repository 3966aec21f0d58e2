//! Page furniture left inside extracted article text: short lines that are captions, photo
//! credits, "related / subscribe / share" prompts, copyright notes, stand-alone date stamps
//! and bare numbers (gallery counters, day numbers of date badges).
//!
//! Boilerplate removers choose the article's container well but keep what sits inside it; a
//! line filter over their output removes these pieces without a second DOM pass. The phrases
//! are data (`resources/ingest/boilerplate_lines.txt`), general to news sites; only short
//! lines are judged, so article paragraphs that happen to begin with "Related" stay. The
//! metadata readers see the text before this filter (bylines and datelines are metadata).
//! This module must not touch long paragraphs and must not learn from particular pages.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::dates::data_lines;

const PHRASES_DATA: &str = include_str!("../../../resources/ingest/boilerplate_lines.txt");
/// Longer lines are prose, whatever they start with.
const MAX_FURNITURE_WORDS: usize = 12;

fn phrases() -> Option<&'static AhoCorasick> {
    static AUTOMATON: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AUTOMATON
        .get_or_init(|| {
            let phrases: Vec<String> = data_lines(PHRASES_DATA).map(str::to_lowercase).collect();
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .build(phrases)
                .ok()
        })
        .as_ref()
}

/// True for a line that starts with a furniture phrase followed by a word boundary.
fn starts_with_phrase(line: &str) -> bool {
    let Some(automaton) = phrases() else {
        return false;
    };
    match automaton.find(Input::new(line).anchored(Anchored::Yes)) {
        Some(m) => line[m.end()..].chars().next().is_none_or(|c| !c.is_alphanumeric()),
        None => false,
    }
}

/// A date or time stamp alone on its line: only digits, month names, weekday names, clock and
/// zone words, and separators.
fn is_date_stamp(line: &str, words: &[&str]) -> bool {
    let has_digit = line.bytes().any(|b| b.is_ascii_digit());
    has_digit
        && words.iter().all(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
            w.is_empty()
                || w.bytes().all(|b| b.is_ascii_digit() || b == b':' || b == b'.' || b == b'/' || b == b'-')
                || crate::dates::is_month_name(&w)
                || crate::dates::is_weekday_name(&w)
                || matches!(
                    w.as_str(),
                    "am" | "pm" | "a.m" | "p.m" | "gmt" | "utc" | "et" | "est" | "edt" | "bst" | "cet"
                )
                || ordinal_day(&w)
        })
}

fn ordinal_day(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(&word[digits.len()..], "st" | "nd" | "rd" | "th")
}

/// Gallery counters glued to captions: "1of4", "2 of 7" at the start of a line.
fn starts_with_counter(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let rest = line[digits..].trim_start();
    rest.strip_prefix("of").is_some_and(|r| {
        let r = r.trim_start();
        let more = r.bytes().take_while(u8::is_ascii_digit).count();
        more > 0 && r[more..].chars().next().is_none_or(|c| !c.is_ascii_digit())
    })
}

/// "Headline text [VIDEO]": a link to another story, tagged with an upper-case label.
fn ends_with_story_tag(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['|', ' ']);
    trimmed.strip_suffix(']').and_then(|t| t.rsplit_once('[')).is_some_and(|(_, tag)| {
        !tag.is_empty() && tag.len() <= 12 && tag.chars().all(|c| c.is_ascii_uppercase() || c == ' ')
    })
}

/// A name on its own in capitals ("JANE ROE"): a byline.
fn is_capitalised_name(words: &[&str]) -> bool {
    (2..=3).contains(&words.len())
        && words.iter().all(|w| w.chars().all(|c| c.is_uppercase() || c == '.' || c == '-' || c == '\''))
        && words.iter().any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
}

/// Whether a line of extracted text is page furniture.
pub fn is_furniture_line(line: &str) -> bool {
    // Separators left from a stripped "Published | Updated" row.
    let line = line.trim().trim_start_matches(['|', '•', '·', ' ']);
    if line.is_empty() {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    // Image captions are left alone: annotators and readers often count them as article text.
    if starts_with_counter(line) {
        return true;
    }
    if words.len() > MAX_FURNITURE_WORDS {
        return false;
    }
    // A bare counter ("4", "2 / 7") or a stand-alone date stamp.
    if line.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_whitespace() || b == b'/') {
        return true;
    }
    // "Name | Agency | Agency": a credit or a menu row.
    if line.matches(" | ").count() >= 2 {
        return true;
    }
    is_date_stamp(line, &words)
        || starts_with_phrase(line)
        || ends_with_story_tag(line)
        || is_capitalised_name(&words)
        || is_by_line(&words)
}

/// "By Jane Roe", "By Reuters", "By Jane Roe and John Doe": a byline of capitalised words.
fn is_by_line(words: &[&str]) -> bool {
    words.len() >= 2
        && words.len() <= 7
        && words[0].eq_ignore_ascii_case("by")
        && words[1..].iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()) || matches!(*w, "and" | "&"))
}

/// `text` without its furniture lines; blank-line paragraph breaks are kept as they were.
/// (Repeated short lines are kept: dropping second copies cost recall on htmlbench, where
/// repeated captions and labels are part of the article text.)
pub fn strip_furniture(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_break = "";
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !out.is_empty() {
                pending_break = "\n\n";
            }
            continue;
        }
        if is_furniture_line(line) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(if pending_break.is_empty() { "\n" } else { pending_break });
        }
        pending_break = "";
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines_are_recognised() {
        for line in [
            "Advertisement",
            "Photo: Jane Roe / Example Agency",
            "You may also like",
            "Copyright © 2024 Example Media. All rights reserved.",
            "Published: 10:48, Tue, Nov 19, 2019",
            "Nov. 20, 2019 1:35 a.m.",
            "05",
            "2 / 7",
            "March 3rd, 2024",
            "Sign up to our newsletter for updates",
            "| UPDATED: 11:05, Tue, Nov 19, 2019",
            "1of4 A shopper looks at the shelves in a hardware store on Tuesday morning before the storm.",
            "Council approves bridge plan [VIDEO]",
            "JANE ROE",
            "By Jane Roe and John Doe",
            "Jane Roe | Example Agency | Example Images",
        ] {
            assert!(is_furniture_line(line), "{line}");
        }
        for line in [
            "The council voted on Tuesday.",
            "Related talks continued late into the night after the mayor left the chamber with aides and advisers.",
            "Closed roads reopened on Monday.",
            "Subscribers to the service said prices rose.",
            "In 2019, prices rose.",
            "By Tuesday the water had receded.",
            "NATO",
            "The 1 of 4 rule applies.",
            "Residents leave the flooded town on Monday (Image: Example Agency)",
            "",
        ] {
            assert!(!is_furniture_line(line), "{line}");
        }
    }

    #[test]
    fn strip_keeps_paragraph_breaks_and_prose() {
        let text = "First paragraph.\n\nAdvertisement\n\nSecond paragraph.\nPhoto: A. Person\nThird line.";
        assert_eq!(strip_furniture(text), "First paragraph.\n\nSecond paragraph.\nThird line.");
        assert_eq!(strip_furniture("Advertisement\n\nOnly prose."), "Only prose.");
        assert_eq!(strip_furniture("A caption.\nBody.\nA caption."), "A caption.\nBody.\nA caption.");
    }
}
