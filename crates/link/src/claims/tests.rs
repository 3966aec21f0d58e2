//! Tests of claim finding helpers on invented words.

use super::*;

#[test]
fn bare_numbers_parse_with_thousands_commas_only() {
    assert_eq!(parse_bare_number("7,000"), Some(7000.0));
    assert_eq!(parse_bare_number("700"), Some(700.0));
    assert_eq!(parse_bare_number("7k"), None);
    assert_eq!(parse_bare_number(""), None);
}

#[test]
fn measure_is_the_nearest_lexicon_word_within_the_window() {
    let words: Vec<String> =
        "the ministry reduced its forces from 3000 to 1200".split_whitespace().map(str::to_string).collect();
    assert_eq!(measure_near(&words, 6), Some("troop strength"));
    let far: Vec<String> = "killed a b c d e f g 12".split_whitespace().map(str::to_string).collect();
    assert_eq!(measure_near(&far, 8), None);
}

#[test]
fn the_late_marks_a_person_as_dead() {
    let text = "Mourners honoured the late army chief Harald Berg on Friday.";
    let start = text.find("Harald").map(|b| text[..b].chars().count()).unwrap_or_default();
    assert!(preceded_by_the_late(text, start));
    assert!(!preceded_by_the_late("Harald Berg spoke late on Friday.", 0));
}

#[test]
fn numerals_keep_thousands_groups_and_skip_glued_tokens() {
    let s = "from 2,500 to 1,400 jobs, 1.5 points, F-16 jets and 3rd place";
    let found: Vec<&str> = numerals(s).into_iter().map(|(a, b)| &s[a..b]).collect();
    assert_eq!(found, vec!["2,500", "1,400", "1.5"]);
}

#[test]
fn status_words_right_after_a_name_describe_that_person() {
    let text = "Harbour chief Harald Berg was seriously wounded on Friday.";
    let end = text.find(" was").map(|b| text[..b].chars().count()).unwrap_or_default();
    assert_eq!(status_after(text, end), Some("wounded"));
    let other = "Harald Berg said two guards were killed.";
    assert_eq!(status_after(other, "Harald Berg".chars().count()), None);
}
