//! Publication dates as metadata gives them: ISO stamps from meta tags and JSON-LD
//! (`2025-02-06T10:00:00Z`), RFC 2822 (`Thu, 06 Feb 2025 10:00:00 GMT`) and the datelines of
//! article text (`Thursday, February 6, 2025`, `Feb. 6th, 2025`, `6 February 2025`), turned
//! into ISO `YYYY-MM-DD` (or `YYYY-MM` when no day is given).
//!
//! It also reads the date that many news sites put in an article's URL path
//! (`/2024/03/05/slug`, `/2024-03-05-slug`, `/2024/03/slug`: [`date_in_url`]).
//!
//! This module owns only absolute dates that carry a year. It must not resolve relative or
//! year-less phrases ("on Tuesday", "Dec. 11"): that needs an anchor and belongs to extraction.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

const MONTHS_DATA: &str = include_str!("../../../resources/ingest/months.txt");

fn month_table() -> &'static HashMap<String, u32> {
    static TABLE: OnceLock<HashMap<String, u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        for line in data_lines(MONTHS_DATA) {
            let mut parts = line.split_whitespace();
            if let (Some(name), Some(number)) = (parts.next(), parts.next()) {
                if let Ok(n) = number.parse::<u32>() {
                    table.insert(name.to_lowercase(), n);
                }
            }
        }
        table
    })
}

/// A month name or abbreviation, lower case ("nov", "november").
pub(crate) fn is_month_name(word: &str) -> bool {
    month_table().contains_key(word)
}

/// A weekday name or its usual abbreviation, lower case.
pub(crate) fn is_weekday_name(word: &str) -> bool {
    const WEEKDAYS: &[&str] = &[
        "monday",
        "mon",
        "tuesday",
        "tue",
        "tues",
        "wednesday",
        "wed",
        "thursday",
        "thu",
        "thur",
        "thurs",
        "friday",
        "fri",
        "saturday",
        "sat",
        "sunday",
        "sun",
    ];
    WEEKDAYS.contains(&word)
}

/// Non-empty, non-comment lines of an embedded data file.
pub(crate) fn data_lines(data: &str) -> impl Iterator<Item = &str> {
    data.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Alternation of all month names, longest first so "sept" wins over "sep".
fn month_alternation() -> String {
    let mut names: Vec<&String> = month_table().keys().collect();
    names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    names.iter().map(|n| regex::escape(n)).collect::<Vec<_>>().join("|")
}

/// A pattern compiled on first use: each is built only when a text needs it (metadata dates
/// in ISO form never do), since compiling one costs as much as reading hundreds of documents.
fn compiled(cell: &'static OnceLock<Regex>, pattern: impl FnOnce() -> String) -> &'static Regex {
    cell.get_or_init(|| {
        // The patterns are fixed text plus escaped data; failure is a programming error
        // caught by every test, so an empty-matching fallback is never used in practice.
        Regex::new(&pattern()).unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!()))
    })
}

/// Year, month and optional day as whole path segments (or the dated head of a slug:
/// "/2024-03-05-title"); separators must match so "/2024/03-05" is no date.
fn url_path_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    compiled(&CELL, || {
        r"/((?:19|20)\d{2})(?:/(\d{1,2})(?:/(\d{1,2}))?(?:/|$)|-(\d{1,2})-(\d{1,2})(?:[/_.-]|$))".to_string()
    })
}

fn iso_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    compiled(&CELL, || r"\b(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:\b|T)".to_string())
}

fn month_first_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    compiled(&CELL, || format!(r"(?i)\b({})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", month_alternation()))
}

/// "6 February 2025", "6th of February 2025", and the ordinal dot of "25. September 2018".
fn day_first_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    compiled(&CELL, || {
        format!(r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?({})\.?,?\s+(\d{{4}})\b", month_alternation())
    })
}

fn month_year_pattern() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    compiled(&CELL, || format!(r"(?i)\b({})\.?,?\s+(\d{{4}})\b", month_alternation()))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn iso(year: &str, month: u32, day: Option<&str>) -> Option<String> {
    let y: i32 = year.parse().ok()?;
    if !(1000..=2999).contains(&y) || !(1..=12).contains(&month) {
        return None;
    }
    match day {
        Some(d) => {
            let d: u32 = d.parse().ok()?;
            if d == 0 || d > days_in_month(y, month) {
                return None;
            }
            Some(format!("{y:04}-{month:02}-{d:02}"))
        }
        None => Some(format!("{y:04}-{month:02}")),
    }
}

fn month_number(name: &str) -> Option<u32> {
    month_table().get(&name.to_lowercase()).copied()
}

/// The first absolute date in `s`, as ISO, with the byte range it was read from.
pub fn find_date(s: &str) -> Option<(String, std::ops::Range<usize>)> {
    // Every pattern reads a four-digit year that must parse as an integer (ASCII digits): a
    // text without four ASCII digits in a row holds no date, and no pattern need run.
    if !s.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let mut best: Option<(String, std::ops::Range<usize>)> = None;
    let consider = |best: &mut Option<(String, std::ops::Range<usize>)>,
                    found: Option<(String, std::ops::Range<usize>)>| {
        if let Some((value, range)) = found {
            if best.as_ref().is_none_or(|(_, b)| range.start < b.start) {
                *best = Some((value, range));
            }
        }
    };
    consider(
        &mut best,
        iso_pattern().captures_iter(s).find_map(|c| {
            let whole = c.get(0)?;
            let month: u32 = c.get(2)?.as_str().parse().ok()?;
            let value = iso(c.get(1)?.as_str(), month, c.get(3).map(|m| m.as_str()))?;
            Some((value, whole.start()..whole.end()))
        }),
    );
    // A pattern can only win with an earlier start: nothing starts before a date at 0.
    let may_beat = |best: &Option<(String, std::ops::Range<usize>)>| best.as_ref().is_none_or(|(_, b)| b.start > 0);
    if may_beat(&best) {
        consider(
            &mut best,
            month_first_pattern().captures_iter(s).find_map(|c| {
                let whole = c.get(0)?;
                let value = iso(c.get(3)?.as_str(), month_number(c.get(1)?.as_str())?, Some(c.get(2)?.as_str()))?;
                Some((value, whole.start()..whole.end()))
            }),
        );
    }
    if may_beat(&best) {
        consider(
            &mut best,
            day_first_pattern().captures_iter(s).find_map(|c| {
                let whole = c.get(0)?;
                let value = iso(c.get(3)?.as_str(), month_number(c.get(2)?.as_str())?, Some(c.get(1)?.as_str()))?;
                Some((value, whole.start()..whole.end()))
            }),
        );
    }
    if best.is_none() {
        consider(
            &mut best,
            month_year_pattern().captures_iter(s).find_map(|c| {
                let whole = c.get(0)?;
                let value = iso(c.get(2)?.as_str(), month_number(c.get(1)?.as_str())?, None)?;
                Some((value, whole.start()..whole.end()))
            }),
        );
    }
    best
}

/// The publication date a URL's path carries, as ISO (`YYYY-MM-DD`, or `YYYY-MM` when the
/// path gives no day). Only the path is read: hosts and query strings hold ids, not dates.
pub fn date_in_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let path = parsed.path();
    let c = url_path_pattern().captures(path)?;
    let year = c.get(1)?.as_str();
    let (month, day) = match (c.get(2), c.get(4)) {
        (Some(month), _) => (month, c.get(3)),
        (None, Some(month)) => (month, c.get(5)),
        (None, None) => return None,
    };
    iso(year, month.as_str().parse().ok()?, day.map(|d| d.as_str()))
}

/// A metadata date value ("2025-02-06T10:00:00+01:00", "Thu, 06 Feb 2025 ...") as ISO.
pub fn normalize_date(value: &str) -> Option<String> {
    let value = value.trim();
    iso_stamp(value).or_else(|| find_date(value).map(|(iso, _)| iso))
}

/// The date of a value that starts with a full ISO date, `YYYY-MM-DD` alone or followed by
/// `T` and a time: the form most metadata gives. [`find_date`] reads these with its first
/// pattern at position 0, so nothing can come earlier; `None` (for any other shape, or an
/// impossible date) leaves the value to [`find_date`].
fn iso_stamp(value: &str) -> Option<String> {
    let b = value.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shaped = digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10);
    if !shaped || !matches!(b.get(10), None | Some(b'T')) {
        return None;
    }
    iso(&value[..4], value[5..7].parse().ok()?, Some(&value[8..10]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_formats() {
        assert_eq!(normalize_date("2025-02-06T10:00:00Z").as_deref(), Some("2025-02-06"));
        assert_eq!(normalize_date("2025-2-6").as_deref(), Some("2025-02-06"));
        assert_eq!(normalize_date("2025/02/06").as_deref(), Some("2025-02-06"));
        assert_eq!(normalize_date("Thu, 06 Feb 2025 10:00:00 GMT").as_deref(), Some("2025-02-06"));
        assert_eq!(normalize_date("2025-03").as_deref(), Some("2025-03"));
    }

    #[test]
    fn a_date_needs_four_ascii_digits_in_a_row() {
        assert_eq!(find_date("Filed 6 February 2025, 10:30").map(|(d, _)| d).as_deref(), Some("2025-02-06"));
        assert_eq!(find_date("Filed 2025-02-06").map(|(_, r)| r), Some(6..16));
        // Year-less, a two-digit year, and a year in other digits read as no date.
        for s in
            ["Thursday, February 6", "Feb. 6th, 25", "6 February \u{0662}\u{0660}\u{0662}\u{0665}", "1,234 residents"]
        {
            assert_eq!(find_date(s), None, "{s}");
        }
    }

    #[test]
    fn news_datelines() {
        assert_eq!(normalize_date("Thursday, February 6, 2025").as_deref(), Some("2025-02-06"));
        assert_eq!(normalize_date("Feb. 6th, 2025").as_deref(), Some("2025-02-06"));
        assert_eq!(normalize_date("Sept. 30, 2019").as_deref(), Some("2019-09-30"));
        assert_eq!(normalize_date("6 February 2025").as_deref(), Some("2025-02-06"));
        assert_eq!(normalize_date("the 1st of March 2024").as_deref(), Some("2024-03-01"));
        assert_eq!(normalize_date("March 2024").as_deref(), Some("2024-03"));
        assert_eq!(normalize_date("published 25. September 2018").as_deref(), Some("2018-09-25"));
    }

    #[test]
    fn impossible_or_yearless_dates_are_refused() {
        assert_eq!(normalize_date("February 30, 2025"), None);
        assert_eq!(normalize_date("2025-13-01"), None);
        assert_eq!(normalize_date("on Tuesday, Dec. 11"), None);
        assert_eq!(normalize_date("mayhem 2025"), None);
        assert_eq!(normalize_date(""), None);
    }

    #[test]
    fn dates_in_url_paths() {
        let read = |u: &str| date_in_url(u);
        assert_eq!(read("https://news.example/world/2024/03/05/harbour-vote/").as_deref(), Some("2024-03-05"));
        assert_eq!(read("https://news.example/2024/3/5/harbour-vote").as_deref(), Some("2024-03-05"));
        assert_eq!(read("https://news.example/2024-03-05-harbour-vote").as_deref(), Some("2024-03-05"));
        assert_eq!(read("https://news.example/2024/03/harbour-vote.html").as_deref(), Some("2024-03"));
        assert_eq!(read("https://news.example/2024/03/05").as_deref(), Some("2024-03-05"));
        // Impossible dates, ids, mixed separators, hosts and queries are not dates.
        assert_eq!(read("https://news.example/2024/13/05/x"), None);
        assert_eq!(read("https://news.example/2023/02/29/x"), None);
        assert_eq!(read("https://news.example/article/123456789"), None);
        assert_eq!(read("https://news.example/1234/56/x"), None);
        assert_eq!(read("https://news.example/2024/03-05/x"), None);
        assert_eq!(read("https://2024.news.example/story?d=2024/03/05"), None);
        assert_eq!(read("/2024/03/05/relative"), None);
        assert_eq!(read("https://news.example/story-20240305"), None);
    }

    #[test]
    fn iso_stamps_read_as_find_date_reads_them() {
        for value in [
            "2025-02-06",
            "2025-02-06T10:00:00Z",
            "2024-02-29",
            "2023-02-29",
            "2025-13-01",
            "2025-00-10",
            "0999-01-01",
            "2025-02-06x",
            "2025-2-06",
            "2025-02-06T",
            "2025-02-061",
            "2025/02/06",
        ] {
            let full = find_date(value).map(|(iso, _)| iso);
            if let Some(fast) = iso_stamp(value) {
                assert_eq!(Some(fast), full, "{value}");
            }
            assert_eq!(normalize_date(value), full, "{value}");
        }
        assert!(iso_stamp("2025-02-06T10:00:00Z").is_some());
    }

    #[test]
    fn leap_days() {
        assert_eq!(normalize_date("February 29, 2024").as_deref(), Some("2024-02-29"));
        assert_eq!(normalize_date("February 29, 2023"), None);
    }

    #[test]
    fn earliest_date_in_a_line_wins_and_range_points_at_it() {
        let line = "Posted March 3, 2024; updated 2024-03-05";
        let (value, range) = find_date(line).unwrap_or_default();
        assert_eq!(value, "2024-03-03");
        assert_eq!(&line[range], "March 3, 2024");
    }
}
