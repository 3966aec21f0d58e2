//! Date expressions, resolved against the document's publication date.
//!
//! [`DateRecognizer`] owns finding explicit dates ("December 11, 2024", "11 Dec 2024",
//! "2024-12-11", "12/11/2024"), partial ones ("Sept. 30", "December"), years, year ranges and
//! decades, and relative phrases ("yesterday", "last month", "two years ago", "last summer"),
//! and resolving each to an ISO date, month, year or `start/end` range. Month, weekday,
//! season and relative words come from `resources/date/`. Resolution uses only the anchor
//! (the document date) and, for a year-less date without anchor, the one year every explicit
//! date of the same document agrees on (marked `inferred`). It must not emit durations
//! ("10 years": a quantity) or deictics without a unit ("now", "currently").
//!
//! Conventions (gold NOTES): a part of a month or year ("the first half of December",
//! "early 2024") resolves to that whole month or year; a season resolves to its year; vague
//! phrases ("several years ago", "recent weeks", "the past month") are emitted unresolved.

mod calendar;
mod era;
mod matcher;

use crate::quantity::lexicon::{data_lines, keyed_lines};
use crate::quantity::numbers::{Class, NumberReader};
use crate::ExtractError;
use calendar::{calendar_unit, iso_month, iso_year, range, recent_year_for, shifted, ymd, CalUnit};
use crosscheck_model::DateMention;
use crosscheck_text::CharMap;
use matcher::{Alternations, Matcher, MatcherCache, Start, StartIndex};
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::{FastMap, FastSet};

const MONTHS_FILE: &str = "resources/date/months.txt";
const MONTHS_SRC: &str = include_str!("../../../resources/date/months.txt");
const WEEKDAYS_FILE: &str = "resources/date/weekdays.txt";
const WEEKDAYS_SRC: &str = include_str!("../../../resources/date/weekdays.txt");
const SEASONS_FILE: &str = "resources/date/seasons.txt";
const SEASONS_SRC: &str = include_str!("../../../resources/date/seasons.txt");
const UNITS_FILE: &str = "resources/date/units.txt";
const UNITS_SRC: &str = include_str!("../../../resources/date/units.txt");
const RELATIVE_FILE: &str = "resources/date/relative.txt";
const RELATIVE_SRC: &str = include_str!("../../../resources/date/relative.txt");
const PARTS_SRC: &str = include_str!("../../../resources/date/parts.txt");
const YEAR_CONTEXT_SRC: &str = include_str!("../../../resources/date/year_context.txt");
const HOLIDAYS_FILE: &str = "resources/date/holidays.txt";
const HOLIDAYS_SRC: &str = include_str!("../../../resources/date/holidays.txt");
/// Day-of-month ordinals in words ("the first of May", "June twenty-second").
const ORDINAL_DAYS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];
const PATTERN_FILE: &str = "crates/extract/src/date.rs";

/// How far after the anchor a year-less date may fall and still be read in the anchor's year.
const FUTURE_SLACK_DAYS: i64 = 7;
/// Month words that are also ordinary words: bare, they need a capital and a date context.
const AMBIGUOUS_MONTHS: &[&str] = &["may", "march", "mar", "jun", "sept"];

/// Parses a document date (`YYYY-MM-DD`, or longer ISO timestamps) into an anchor.
pub fn parse_iso_anchor(s: &str) -> Option<jiff::civil::Date> {
    s.get(..10)?.parse().ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    MonthDay,
    DayMonth,
    MonthYear,
    Iso,
    Numeric,
    BareMonth,
    Year,
    Decade,
    Deictic,
    RelativeUnit,
    Ago,
    Vague,
    Weekday,
    SeasonYear,
    MonthRange,
    DayOnly,
    Quarter,
    Offset,
    IsoMonth,
    Holiday,
    WeekWeekday,
    NthWeekday,
    NumericMonthDay,
    RelMonthDay,
    IsoMonthSlash,
}

/// What a match needs before it can be resolved.
#[derive(Debug, Clone)]
enum Value {
    Done(Option<String>),
    /// A month (and day range) without a year.
    NeedsYear {
        month: i32,
        day: Option<(i32, i32)>,
    },
    /// "from November to March": the year is the end month's.
    NeedsYearSpan {
        from: i32,
        to: i32,
    },
}

impl Candidate {
    /// The month of a resolved value ("2019-03" → 3).
    fn value_month(&self) -> Option<i32> {
        match &self.value {
            Value::Done(Some(v)) => v.rsplit('/').next()?.get(5..7)?.parse().ok(),
            Value::NeedsYear { month, .. } => Some(*month),
            _ => None,
        }
    }
}

/// When a named day falls.
#[derive(Debug, Clone, Copy)]
enum Holiday {
    Fixed(i32, i32),
    Easter(i64),
}

#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    rule: &'static str,
    value: Value,
    /// A year written in the expression (for inferring the document's year).
    explicit_year: Option<i32>,
    /// Said of the future ("is scheduled for Feb. 14"): a yearless date reads forward.
    future: bool,
}

pub struct DateRecognizer {
    /// Each pattern with the needle groups (bits of [`LineNeedles`]) its line must hold.
    patterns: Vec<(Pattern, DatePattern, u64)>,
    line_needles: LineNeedles,
    starts: StartIndex,
    scratch: ScratchPool,
    months: FastMap<String, i32>,
    weekdays: FastMap<String, i8>,
    seasons: FastMap<String, (i32, i32)>,
    units: FastMap<String, CalUnit>,
    roles: FastMap<String, &'static str>,
    year_context: FastSet<&'static str>,
    numbers: NumberReader,
    known_events: era::KnownEvents,
    holidays: FastMap<String, Holiday>,
}

/// A date pattern compiled on first use. Compiling the 26 date patterns (their month, weekday
/// and number-word alternations) was most of the extractor's start-up, while a short text
/// needs only the few whose needles its lines hold. The sources are fixed, so a unit test
/// compiles every one ([`DateRecognizer::compile_all`]); at run time a pattern that failed to
/// compile would match nothing.
///
/// Two forms. The common one reads `\d` as `[0-9]` and, for a case-insensitive pattern
/// written in lowercase, drops `(?i)` and runs on the ASCII-lowercased text (same offsets):
/// much cheaper to parse and compile, and exact for every text whose only decimal digits are
/// ASCII and which holds neither the Kelvin sign nor long s (the only non-ASCII chars that
/// fold to ASCII letters). The other is the pattern as written, for the rare other texts.
struct DatePattern {
    ascii_digits: LazyMatcher,
    unicode: LazyMatcher,
}

impl DatePattern {
    fn new(source: String, shared: &Arc<Alternations>) -> Self {
        // `(?<name>` is `(?P<name>` without the one capital a lowercase pattern has
        let ascii_digits = source.replace(r"\d", "[0-9]").replace("(?P<", "(?<");
        let ascii_digits = match ascii_digits.strip_prefix("(?i)") {
            Some(rest) if !rest.chars().any(|c| c.is_uppercase() || (!c.is_ascii() && c.is_lowercase())) => {
                LazyMatcher { shared: Some(Arc::clone(shared)), ..LazyMatcher::new(rest.to_string(), true) }
            }
            _ => LazyMatcher::new(ascii_digits, false),
        };
        DatePattern { ascii_digits, unicode: LazyMatcher::new(source, false) }
    }

    fn form(&self, unicode: bool) -> &LazyMatcher {
        if unicode {
            &self.unicode
        } else {
            &self.ascii_digits
        }
    }
}

struct LazyMatcher {
    source: String,
    /// Runs on the ASCII-lowercased text.
    on_lowercase: bool,
    /// For case-sensitive sources: the alternations parsed once for every pattern.
    shared: Option<Arc<Alternations>>,
    compiled: std::sync::OnceLock<Option<Matcher>>,
}

impl LazyMatcher {
    fn new(source: String, on_lowercase: bool) -> Self {
        LazyMatcher { source, on_lowercase, shared: None, compiled: std::sync::OnceLock::new() }
    }

    fn compile(&self) -> Result<Matcher, ExtractError> {
        match &self.shared {
            Some(shared) => Matcher::from_hir(&shared.hir(&self.source)?),
            None => Matcher::new(&self.source),
        }
    }

    fn get(&self) -> Option<&Matcher> {
        self.compiled.get_or_init(|| self.compile().ok()).as_ref()
    }
}

/// Per-thread scratch of [`DateRecognizer::find`], kept between documents: each compiled
/// pattern's caches (by pattern index, ASCII-digit forms first) and the start positions.
#[derive(Default)]
struct Scratch {
    caches: Vec<Option<MatcherCache>>,
    starts: Vec<Start>,
    lines: Vec<Line>,
    /// Per pattern: where its next match may begin.
    next_pos: Vec<usize>,
    lowercase: String,
}

type ScratchPool = regex_automata::util::pool::Pool<Scratch, fn() -> Scratch>;

/// The non-ASCII chars of a text that change how the date patterns are run.
#[derive(Debug, Clone, Copy, Default)]
struct NonAscii {
    /// A decimal digit outside ASCII (Unicode `\d`).
    digit: bool,
    /// The Kelvin sign or long s, which case-insensitive patterns match as `k` and `s` but
    /// neither the start index nor the needle search sees.
    folds_to_ascii: bool,
}

impl NonAscii {
    /// Reads `text` once, decoding only at the lead bytes of non-ASCII chars.
    fn of(text: &str) -> Self {
        let mut found = NonAscii::default();
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(i) = memchr_lead_byte(&bytes[from..]).map(|i| from + i) {
            if let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) {
                found.digit |= c.is_numeric();
                found.folds_to_ascii |= matches!(c, '\u{212A}' | '\u{17F}');
            }
            from = i + 1;
        }
        found
    }

    /// Whether `text` needs the patterns as written, tried at every word boundary.
    fn needs_unicode_forms(self) -> bool {
        self.digit || self.folds_to_ascii
    }
}

/// The first byte that begins a non-ASCII char.
fn memchr_lead_byte(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b >= 0xC0)
}

/// Whether `text` holds a non-ASCII char for which `test` holds; decodes only at the lead
/// bytes of non-ASCII chars.
fn has_non_ascii_char(text: &str, test: impl Fn(char) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| b >= 0xC0).map(|i| from + i) {
        if text.get(i..).and_then(|rest| rest.chars().next()).is_some_and(&test) {
            return true;
        }
        from = i + 1;
    }
    false
}

/// A matched group: its byte range in the haystack.
#[derive(Debug, Clone, Copy)]
struct Group<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Group<'h> {
    fn start(&self) -> usize {
        self.start
    }

    fn end(&self) -> usize {
        self.end
    }

    fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// The groups of one match, read by index or name.
struct Captures<'h> {
    haystack: &'h str,
    groups: &'h regex_automata::util::captures::Captures,
}

impl<'h> Captures<'h> {
    fn group(&self, span: Option<regex_automata::Span>) -> Option<Group<'h>> {
        span.map(|s| Group { haystack: self.haystack, start: s.start, end: s.end })
    }

    fn get(&self, index: usize) -> Option<Group<'h>> {
        self.group(self.groups.get_group(index))
    }

    fn name(&self, name: &str) -> Option<Group<'h>> {
        self.group(self.groups.get_group_by_name(name))
    }
}

/// Stands for "any digit" among the needles of [`LineNeedles`].
const DIGIT_NEEDLE: &str = "<digit>";
const ASCII_DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// One line of a text (no newline inside) and the needle groups found in it, as bits.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    /// Filled by the test oracle [`LineNeedles::lines`] only; the search reads each line's
    /// groups when it gets to the line.
    #[cfg(test)]
    groups: u64,
}

/// Which needle groups each line of a text holds, found in one case-insensitive pass, so
/// that each date pattern runs only on the lines where it can match.
struct LineNeedles {
    automaton: aho_corasick::AhoCorasick,
    /// Per automaton pattern: the groups it belongs to.
    groups_of: Vec<u64>,
    digit_bit: u64,
    all: u64,
}

impl LineNeedles {
    fn new(groups: &[Vec<String>]) -> Result<Self, ExtractError> {
        if groups.len() > 64 {
            return Err(ExtractError::Resource {
                file: PATTERN_FILE,
                line: 0,
                message: "over 64 needle groups".into(),
            });
        }
        let mut needles: Vec<&str> = Vec::new();
        let mut groups_of: Vec<u64> = Vec::new();
        let mut digit_bit = 0;
        for (bit, group) in groups.iter().enumerate() {
            for needle in group {
                if needle == DIGIT_NEEDLE {
                    digit_bit |= 1u64 << bit;
                    continue;
                }
                match needles.iter().position(|n| n == needle) {
                    Some(i) => groups_of[i] |= 1u64 << bit,
                    None => {
                        needles.push(needle);
                        groups_of.push(1u64 << bit);
                    }
                }
            }
        }
        // ASCII digits are needles of their own, so that one pass finds them too
        for digit in ASCII_DIGITS {
            match needles.iter().position(|n| n == &digit) {
                Some(i) => groups_of[i] |= digit_bit,
                None => {
                    needles.push(digit);
                    groups_of.push(digit_bit);
                }
            }
        }
        // A DFA: the pass reads most bytes of every document, and overlapping matches are the
        // same whichever automaton finds them.
        let automaton = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&needles)
            .map_err(|e| ExtractError::Pattern { file: PATTERN_FILE, source: Box::new(e) })?;
        let all = if groups.len() == 64 { u64::MAX } else { (1u64 << groups.len()) - 1 };
        Ok(LineNeedles { automaton, groups_of, digit_bit, all })
    }

    /// The non-empty lines of `text` (no groups read yet), into `lines`.
    fn split_lines(text: &str, lines: &mut Vec<Line>) {
        lines.clear();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())) {
            if end > start {
                lines.push(Line {
                    start,
                    end,
                    #[cfg(test)]
                    groups: 0,
                });
            }
            start = end + 1;
        }
    }

    /// The needle groups `line` (one line of a text with `non_ascii`) holds, where `wanted`
    /// says which groups the patterns that may start in the line need: the groups
    /// [`LineNeedles::lines`] reports for that line, except that when only the digit group is
    /// wanted the other groups are not looked for (0). The needle pass runs on this line
    /// only, and not at all on lines where only digits matter.
    fn groups_in(&self, line: &str, wanted: u64, non_ascii: NonAscii) -> u64 {
        // Case-insensitive regexes also match the Kelvin sign and long s as `k` and `s`,
        // which an ASCII needle search cannot see: such rare texts run every pattern.
        if non_ascii.folds_to_ascii {
            return self.all;
        }
        let mut found = 0;
        // `\d` is Unicode: a non-ASCII decimal digit is the digit needle too
        if non_ascii.digit && has_non_ascii_char(line, char::is_numeric) {
            found |= self.digit_bit;
        }
        if wanted & self.all & !self.digit_bit == 0 {
            if line.bytes().any(|b| b.is_ascii_digit()) {
                found |= self.digit_bit;
            }
            return found;
        }
        for m in self.automaton.find_overlapping_iter(line) {
            found |= self.groups_of[m.pattern().as_usize()];
        }
        found
    }

    /// The non-empty lines of `text` with all their needle groups, into `lines`: one
    /// overlapping pass over the whole text (the test oracle of [`LineNeedles::groups_in`]).
    #[cfg(test)]
    fn lines(&self, text: &str, non_ascii: NonAscii, lines: &mut Vec<Line>) {
        Self::split_lines(text, lines);
        // Case-insensitive regexes also match the Kelvin sign and long s as `k` and `s`, which an
        // ASCII needle search cannot see: such rare texts run every pattern everywhere.
        if non_ascii.folds_to_ascii {
            for line in lines.iter_mut() {
                line.groups = self.all;
            }
            return;
        }
        // `\d` is Unicode: a line with a non-ASCII decimal digit holds the digit needle too
        if non_ascii.digit {
            for line in lines.iter_mut() {
                if has_non_ascii_char(&text[line.start..line.end], char::is_numeric) {
                    line.groups |= self.digit_bit;
                }
            }
        }
        let mut at = 0;
        for m in self.automaton.find_overlapping_iter(text) {
            while at < lines.len() && lines[at].end <= m.start() {
                at += 1;
            }
            match lines.get_mut(at) {
                Some(line) if line.start <= m.start() && m.end() <= line.end => {
                    line.groups |= self.groups_of[m.pattern().as_usize()];
                }
                _ => {}
            }
        }
    }
}

impl DateRecognizer {
    pub fn new() -> Result<Self, ExtractError> {
        let mut months = FastMap::default();
        for (line, key, forms) in keyed_lines(MONTHS_FILE, MONTHS_SRC)? {
            let n: i32 = key.parse().map_err(|_| bad(MONTHS_FILE, line, "month number"))?;
            for f in forms {
                months.insert(f.to_string(), n);
            }
        }
        let mut weekdays = FastMap::default();
        for (line, key, forms) in keyed_lines(WEEKDAYS_FILE, WEEKDAYS_SRC)? {
            let n: i8 = key.parse().map_err(|_| bad(WEEKDAYS_FILE, line, "weekday number"))?;
            for f in forms {
                weekdays.insert(f.to_string(), n);
            }
        }
        let mut seasons = FastMap::default();
        for (line, key, forms) in keyed_lines(SEASONS_FILE, SEASONS_SRC)? {
            let mut it = forms.first().map(|f| f.split_whitespace()).into_iter().flatten();
            let (Some(a), Some(b)) = (it.next(), it.next()) else {
                return Err(bad(SEASONS_FILE, line, "expected `name : first last`"));
            };
            let a: i32 = a.parse().map_err(|_| bad(SEASONS_FILE, line, "month"))?;
            let b: i32 = b.parse().map_err(|_| bad(SEASONS_FILE, line, "month"))?;
            seasons.insert(key.to_string(), (a, b));
        }
        let mut units = FastMap::default();
        for (line, key, forms) in keyed_lines(UNITS_FILE, UNITS_SRC)? {
            let u = CalUnit::parse(key).ok_or_else(|| bad(UNITS_FILE, line, "unknown unit"))?;
            for f in forms {
                units.insert(f.to_string(), u);
            }
        }
        let mut roles: FastMap<String, &'static str> = FastMap::default();
        let mut role_forms: FastMap<&'static str, Vec<&'static str>> = FastMap::default();
        for (_, key, forms) in keyed_lines(RELATIVE_FILE, RELATIVE_SRC)? {
            for f in forms {
                // the first role listed for a form wins ("coming": following before recent)
                roles.entry(f.to_string()).or_insert(key);
                role_forms.entry(key).or_default().push(f);
            }
        }
        let year_context = data_lines(YEAR_CONTEXT_SRC).map(|(_, w)| w).collect();
        let mut holidays = FastMap::default();
        for (line, key, forms) in keyed_lines(HOLIDAYS_FILE, HOLIDAYS_SRC)? {
            let h = if let Some(off) = key.strip_prefix("easter") {
                Holiday::Easter(
                    off.trim_start_matches('+').parse().map_err(|_| bad(HOLIDAYS_FILE, line, "easter offset"))?,
                )
            } else {
                let (m, d) = key.split_once('-').ok_or_else(|| bad(HOLIDAYS_FILE, line, "MM-DD"))?;
                let m: i32 = m.parse().map_err(|_| bad(HOLIDAYS_FILE, line, "month"))?;
                let d: i32 = d.parse().map_err(|_| bad(HOLIDAYS_FILE, line, "day"))?;
                Holiday::Fixed(m, d)
            };
            for f in forms {
                holidays.insert(f.to_lowercase(), h);
            }
        }
        let holiday_alt = alt(holidays.keys().map(String::as_str));
        let parts: Vec<&str> = data_lines(PARTS_SRC).map(|(_, w)| w).collect();
        let numbers = NumberReader::new()?;

        let forms_of = |role: &str| role_forms.get(role).cloned().unwrap_or_default();
        let mon = alt(months.keys().map(String::as_str));
        let full_months: Vec<&str> = months
            .keys()
            .map(String::as_str)
            .filter(|m| m.len() > 4 || *m == "may" || *m == "june" || *m == "july")
            .collect();
        let mon_full = alt(full_months.iter().copied());
        let wd = alt(weekdays.keys().map(String::as_str));
        let wd_full = alt(weekdays.keys().map(String::as_str).filter(|w| w.ends_with("day")));
        let season = alt(seasons.keys().map(String::as_str));
        let unit_sing = alt(units.keys().map(String::as_str).filter(|u| !u.ends_with('s')));
        let unit_plural = alt(units.keys().map(String::as_str).filter(|u| u.ends_with('s')));
        let unit_any = alt(units.keys().map(String::as_str));
        let part = alt(parts.iter().copied());
        let prev = alt(forms_of("previous")
            .into_iter()
            .chain(forms_of("current"))
            .chain(forms_of("following"))
            .chain(forms_of("rolling")));
        let vague = alt(forms_of("vague").into_iter());
        let recent = alt(forms_of("recent").into_iter());
        let rolling = alt(forms_of("rolling").into_iter());
        let deictic = alt(["today", "yesterday", "tomorrow", "day before yesterday", "day after tomorrow"]
            .into_iter()
            .flat_map(&forms_of));
        let numw = alt(numbers_words(&numbers).iter().map(String::as_str));
        let ordw = {
            let mut v: Vec<String> = ORDINAL_DAYS.iter().map(|w| w.to_string()).collect();
            for tens in ["twenty", "thirty"] {
                let last = if tens == "thirty" { 1 } else { 9 };
                for unit in &ORDINAL_DAYS[..last] {
                    v.push(format!("{tens}-{unit}"));
                    v.push(format!("{tens} {unit}"));
                }
            }
            v.push("thirtieth".to_string());
            alt(v.iter().map(String::as_str))
        };
        let shared = Arc::new(Alternations::new(
            [
                &mon,
                &mon_full,
                &wd,
                &wd_full,
                &season,
                &unit_sing,
                &unit_plural,
                &unit_any,
                &part,
                &prev,
                &vague,
                &recent,
                &rolling,
                &deictic,
                &numw,
                &ordw,
                &holiday_alt,
            ]
            .into_iter()
            .cloned(),
        ));
        // spaces inside a date never cross a line break
        let s = r"[ \t\u{a0}]";
        let ord = r"(?:st|nd|rd|th)?";
        let specs: Vec<(Pattern, String)> = vec![
            (
                Pattern::MonthDay,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<wd>{wd})\.?,?{s}+)?(?P<m>{mon})(?:/|\.?,?{s}*)(?:(?P<d>\d{{1,2}}){ord}|(?P<dw>{ordw})(?-u:\b))(?:{s}*(?:-|–|to|and|through){s}*(?P<d2>\d{{1,2}}){ord})?(?:,?{s}+(?:(?:of|in){s}+)?(?P<y>\d{{4}}))?(?-u:\b)"
                ),
            ),
            (
                Pattern::DayMonth,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<wd>{wd}),?{s}+)?(?:(?P<lead>from|between){s}+)?(?:the{s}+)?(?:(?P<d>\d{{1,2}}){ord}|(?P<dw>{ordw}))\.?(?:{s}*(?:-|–|to|until|till|through|and){s}*(?:the{s}+)?(?P<d2>\d{{1,2}}){ord})?(?:{s}+of)?{s}+(?P<m>{mon})(?-u:\b)\.?(?:,?{s}+(?:(?:of|in){s}+)?(?P<y>\d{{4}}))?(?-u:\b)"
                ),
            ),
            (
                Pattern::MonthYear,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<part>{part}){s}*)?(?P<m>{mon})(?-u:\b)\.?,?{s}+(?:of{s}+)?(?P<y>\d{{4}})(?-u:\b)"
                ),
            ),
            (
                Pattern::Iso,
                r"(?-u:\b)(?P<y>\d{4})(?P<s1>[-/])(?P<m>\d{1,2})(?P<s2>[-/])(?P<d>\d{1,2})(?-u:\b)".to_string(),
            ),
            (
                Pattern::Numeric,
                r"(?-u:\b)(?P<a>\d{1,2})(?P<s1>[/.\-])(?P<b>\d{1,2})(?P<s2>[/.\-])(?P<y>\d{4}|\d{2})(?-u:\b)"
                    .to_string(),
            ),
            (
                Pattern::BareMonth,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<rel>last|next|this|{part}){s}*(?P<m2>{mon})(?-u:\b)\.?|(?P<m>{mon_full})(?-u:\b))"
                ),
            ),
            (
                Pattern::Year,
                format!(r"(?i)(?-u:\b)(?:(?P<part>{part}){s}*)?(?:the{s}+year{s}+)?(?P<y>(?:1[89]|20)\d\d)(?-u:\b)"),
            ),
            (
                Pattern::Year,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<part>{part}){s}*)?(?:the{s}+year{s}+)?(?P<y>(?:1[89]|20)\d\d){s}*(?P<conn>-|–|to|and|through|until|till){s}*(?P<y2>(?:1[89]|20)\d\d|\d\d)(?-u:\b)"
                ),
            ),
            (
                Pattern::Decade,
                format!(
                    r"(?i)(?-u:\b)(?:the{s}+)?(?:(?P<part>early|mid|late)[-{s}]*)?(?:(?P<d4>(?:1[89]|20)\d0)s|['’](?P<d2>\d0)s|(?P<the>the){s}+(?P<d2b>[2-9]0)s|(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|noughties)|(?P<c>\d{{1,2}})(?:st|nd|rd|th)[-{s}]+century|(?P<cw>{ordw})[-{s}]+century)(?-u:\b)"
                ),
            ),
            (Pattern::Deictic, format!(r"(?i)(?-u:\b)(?P<w>{deictic})(?-u:\b)")),
            (
                Pattern::RelativeUnit,
                format!(r"(?i)(?-u:\b)(?P<dir>{prev}){s}+(?P<u>{unit_sing}|weekend|{season}|{wd_full})(?-u:\b)"),
            ),
            (
                Pattern::Ago,
                format!(
                    r"(?i)(?-u:\b)(?P<n>\d+|(?:{numw})(?:[-{s}](?:{numw}))?|{vague}|a|an){s}+(?P<u>{unit_any})(?P<more>(?:,?{s}+(?:and{s}+)?(?:\d+|{numw}|a|an){s}+(?:{unit_any}))*){s}+ago(?-u:\b)"
                ),
            ),
            (
                Pattern::RelMonthDay,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<lead>from){s}+)?(?:the{s}+)?(?P<d>\d{{1,2}}){ord}(?:{s}*(?:-|–|to|till|until|through){s}*(?:the{s}+)?(?P<d2>\d{{1,2}}){ord})?{s}+of{s}+(?P<rel>this|next|last|the{s}+following|the{s}+previous|the{s}+current){s}+month(?-u:\b)"
                ),
            ),
            (
                Pattern::Vague,
                format!(
                    r"(?i)(?-u:\b)(?:(?:{rolling}){s}+(?:(?:{vague}){s}+)?|(?:the{s}+)?(?:{recent}){s}+)(?P<u>{unit_plural})(?-u:\b)"
                ),
            ),
            (
                Pattern::Weekday,
                format!(r"(?-u:\b)(?P<wd>{wd_full_cap})(?-u:\b)", wd_full_cap = capitalised_alt(&wd_full)),
            ),
            (
                Pattern::SeasonYear,
                format!(r"(?i)(?-u:\b)(?:the{s}+)?(?P<s>{season}){s}+(?:of{s}+)?(?P<y>\d{{4}})(?-u:\b)"),
            ),
            (
                Pattern::MonthRange,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<lead>from|between){s}+)?(?P<m>{mon})(?-u:\b)\.?{s}*(?:-|–|to|through|until|till|and){s}*(?P<m2>{mon})(?-u:\b)(?:\.?,?{s}+(?:(?:in|of){s}+)?(?P<y>\d{{4}})(?-u:\b))?"
                ),
            ),
            (
                Pattern::DayOnly,
                format!(
                    r"(?i)(?-u:\b)(?P<prep>on|by|until|till|since|from|before|after|for){s}+(?P<the>the{s}+)?(?P<d>\d{{1,2}})(?P<ord>st|nd|rd|th)?(?-u:\b)(?P<tail>{s}*(?:[.,;:!?)]|$))?"
                ),
            ),
            (
                Pattern::Quarter,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<y1>(?:1[89]|20)\d\d)[{s}\-]*)?(?:(?P<q>q[1-4])|(?P<h>h[12])|(?:the{s}+)?(?P<qw>first|second|third|fourth|final)(?:{s}+|-)(?P<qh>quarter|half)(?:{s}+of{s}+(?:the{s}+year|(?P<y3>(?:1[89]|20)\d\d)))?|(?P<rel>last|next|previous|this|the{s}+coming|coming|past|the{s}+past|the{s}+last){s}+(?:(?P<rn>\d+|{numw}){s}+)?(?P<ru>quarters?))(?:[{s}\-]+(?P<y2>(?:1[89]|20)\d\d))?(?-u:\b)"
                ),
            ),
            (
                Pattern::Offset,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<in>in|within){s}+)?(?P<n>\d+|(?:{numw})(?:[-{s}](?:{numw}))?|a|an){s}+(?P<u>{unit_any})(?P<dir>{s}+(?:from{s}+now|from{s}+today|from{s}+tomorrow|hence|after{s}+today|after{s}+tomorrow|before{s}+yesterday|before{s}+today)|['’]?s?{s}+time)?(?-u:\b)"
                ),
            ),
            (
                Pattern::IsoMonth,
                format!(
                    r"(?i)(?-u:\b)(?P<y>(?:1[89]|20)\d\d){s}*(?P<sep>[-/]){s}*(?:(?P<m>0?[1-9]|1[0-2])|(?P<mw>{mon}))(?-u:\b)"
                ),
            ),
            // the month first ("11/2016", "Dec/2018") only with a slash: its own, prefiltered pattern
            (
                Pattern::IsoMonthSlash,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<m2>0?[1-9]|1[0-2])|(?P<mw2>{mon}))(?P<sep2>/){s}*(?P<y2>(?:1[89]|20)\d\d)(?-u:\b)"
                ),
            ),
            (
                Pattern::Holiday,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<rel>last|next|this|previous|following|the{s}+following|the{s}+previous){s}+)?(?P<h>{holiday_alt})(?-u:\b)(?:,?{s}+(?:of{s}+)?(?P<y>\d{{4}})(?-u:\b))?"
                ),
            ),
            (
                Pattern::WeekWeekday,
                format!(
                    r"(?i)(?-u:\b)(?:(?P<rel>this|next|last|previous|the{s}+following|following|coming|the{s}+coming){s}+week(?:{s}+on|,)?{s}+(?P<wd>{wd_full})|(?:on{s}+)?(?P<wd2>{wd_full}){s}+of{s}+(?P<rel2>this|next|last|previous|the{s}+following|the{s}+coming|the{s}+previous){s}+week)(?-u:\b)"
                ),
            ),
            (
                Pattern::NthWeekday,
                format!(
                    r"(?i)(?-u:\b)(?:the{s}+)?(?P<nth>first|second|third|fourth|last){s}+(?P<wd>{wd_full}){s}+(?:of|in){s}+(?:(?P<m>{mon_full})|(?P<rel>this|next|last|the{s}+following|the{s}+previous){s}+month)(?-u:\b)(?:,?{s}+(?P<y>\d{{4}})(?-u:\b))?"
                ),
            ),
            (
                Pattern::NumericMonthDay,
                format!(
                    r"(?i)(?-u:\b)(?P<prep>on|from|to|until|till|by|since|through|before|after){s}+(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?-u:\b)"
                ),
            ),
        ];
        // Literal needles a line must hold (all groups, any word of each) before a pattern is
        // worth running there: a date never crosses a line break, and most lines have no
        // month name, quarter, holiday or "N weeks ago". A multi-word form is represented by
        // its last word. `DIGIT` stands for any digit (`\d` is Unicode).
        let last_words = |forms: &mut dyn Iterator<Item = &str>| -> Vec<String> {
            forms.filter_map(|f| f.split_whitespace().last()).map(str::to_ascii_lowercase).collect()
        };
        let holiday_heads: Vec<String> =
            holidays.keys().filter_map(|h| h.split_whitespace().next()).map(str::to_string).collect();
        let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<String>>();
        let weekday_heads = words(&["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
        let month_forms = last_words(&mut months.keys().map(String::as_str));
        let unit_forms = last_words(&mut units.keys().map(String::as_str));
        let mut relative_unit_heads = last_words(
            &mut units
                .keys()
                .map(String::as_str)
                .filter(|u| !u.ends_with('s'))
                .chain(seasons.keys().map(String::as_str)),
        );
        relative_unit_heads.extend(words(&["weekend", "day"]));
        let previous_forms =
            last_words(&mut ["previous", "current", "following", "rolling"].into_iter().flat_map(&forms_of));
        let deictic_forms = last_words(
            &mut ["today", "yesterday", "tomorrow", "day before yesterday", "day after tomorrow"]
                .into_iter()
                .flat_map(&forms_of),
        );
        let digit = || vec![DIGIT_NEEDLE.to_string()];
        let needles_for = |p: Pattern| -> Vec<Vec<String>> {
            match p {
                Pattern::MonthDay | Pattern::DayMonth | Pattern::BareMonth | Pattern::MonthRange => {
                    vec![month_forms.clone()]
                }
                Pattern::MonthYear => vec![month_forms.clone(), digit()],
                Pattern::Iso | Pattern::Numeric | Pattern::Year | Pattern::DayOnly | Pattern::IsoMonth => vec![digit()],
                Pattern::Deictic => vec![deictic_forms.clone()],
                Pattern::RelativeUnit => vec![previous_forms.clone(), relative_unit_heads.clone()],
                Pattern::Offset => vec![unit_forms.clone()],
                Pattern::Weekday => vec![words(&["day"])],
                Pattern::WeekWeekday => vec![words(&["week"]), weekday_heads.clone()],
                Pattern::NthWeekday => {
                    vec![words(&["first", "second", "third", "fourth", "last"]), weekday_heads.clone()]
                }
                Pattern::Holiday => vec![holiday_heads.clone()],
                Pattern::Quarter => vec![words(&["quarter", "half", "q1", "q2", "q3", "q4", "h1", "h2"])],
                Pattern::NumericMonthDay => vec![words(&["/"]), digit()],
                Pattern::IsoMonthSlash => vec![words(&["/"]), digit()],
                Pattern::Decade => vec![words(&["0s", "ties", "century"])],
                Pattern::Ago => vec![words(&["ago"])],
                Pattern::RelMonthDay => vec![words(&["month"]), digit()],
                Pattern::Vague => vec![words(&["days", "weeks", "months", "years", "decades", "fortnights"])],
                Pattern::SeasonYear => vec![seasons.keys().cloned().collect(), digit()],
            }
        };
        // Where each pattern's matches can begin: the forms its leading alternatives begin with
        // (a space standing for the run of spaces `{s}+` a pattern writes between words), each
        // followed by what must come next where that is short enough to tell apart ("the
        // first", "a week"), digits for numerals. `StartIndex` keeps the first `MAX_PREFIX`
        // bytes and tries a pattern only where one of these begins a word; a unit test proves
        // every prefix the pattern can start with is covered.
        let digits: Vec<&str> = ASCII_DIGITS.to_vec();
        let month_words: Vec<&str> = months.keys().map(String::as_str).collect();
        let weekday_words: Vec<&str> = weekdays.keys().map(String::as_str).collect();
        let full_weekdays: Vec<&str> = weekday_words.iter().copied().filter(|w| w.ends_with("day")).collect();
        let season_words: Vec<&str> = seasons.keys().map(String::as_str).collect();
        let holiday_words: Vec<&str> = holidays.keys().map(String::as_str).collect();
        let unit_words: Vec<&str> = units.keys().map(String::as_str).collect();
        let ordinal_words: Vec<&str> = ORDINAL_DAYS.iter().copied().chain(["twenty", "thirty", "thirtieth"]).collect();
        let number_words = numbers_words(&numbers);
        let number_words: Vec<&str> = number_words.iter().map(String::as_str).collect();
        let forms = |roles: &[&str]| -> Vec<&'static str> { roles.iter().flat_map(|r| forms_of(r)).collect() };
        // every `head` followed by spaces and one of `next`
        let then = |heads: &[&str], next: &[&str]| -> Vec<String> {
            heads.iter().flat_map(|h| next.iter().map(move |n| format!("{h} {n}"))).collect()
        };
        // every `head` followed by `{s}*` and one of `next`
        let then_maybe_spaced = |heads: &[&str], next: &[&str]| -> Vec<String> {
            heads.iter().flat_map(|h| next.iter().flat_map(move |n| [format!("{h}{n}"), format!("{h} {n}")])).collect()
        };
        let owned = |ws: &[&str]| -> Vec<String> { ws.iter().map(|w| w.to_string()).collect() };
        // `(?:1[89]|20)\d\d`
        let century_digits = ["18", "19", "20"];
        // "a day", "an hour": an article and a calendar unit
        let article_units: Vec<String> = then(&["a", "an"], &unit_words);
        let article_units: Vec<&str> = article_units.iter().map(String::as_str).collect();
        let start_words = |p: Pattern| -> Vec<String> {
            let mut w: Vec<String> = Vec::new();
            match p {
                Pattern::MonthDay => w.extend(owned(&weekday_words).into_iter().chain(owned(&month_words))),
                Pattern::DayMonth => {
                    w.extend(owned(&weekday_words).into_iter().chain(owned(&digits)).chain(owned(&ordinal_words)));
                    w.extend(then(&["the"], &digits).into_iter().chain(then(&["the"], &ordinal_words)));
                    w.extend(owned(&["from", "between"]));
                }
                Pattern::MonthYear => w.extend(owned(&parts).into_iter().chain(owned(&month_words))),
                Pattern::Iso | Pattern::Numeric => w.extend(owned(&digits)),
                Pattern::IsoMonth => w.extend(owned(&century_digits)),
                Pattern::BareMonth => {
                    w.extend(owned(&parts).into_iter().chain(owned(&month_words)));
                    w.extend(then_maybe_spaced(&["last", "next", "this"], &month_words));
                }
                Pattern::Year => {
                    w.extend(owned(&parts).into_iter().chain(owned(&century_digits)));
                    w.push("the year".to_string());
                }
                Pattern::Decade => {
                    let mut after_the: Vec<&str> = digits.iter().chain(&ordinal_words).copied().collect();
                    after_the.extend(["early", "mid", "late", "'", "\u{2019}", "the"]);
                    after_the.extend(["twenties", "thirties", "forties", "fifties", "sixties", "seventies"]);
                    after_the.extend(["eighties", "nineties", "noughties"]);
                    w.extend(then(&["the"], &after_the));
                    w.extend(owned(&after_the).into_iter().filter(|a| a != "the"));
                }
                Pattern::Deictic => w.extend(owned(&forms(&[
                    "today",
                    "yesterday",
                    "tomorrow",
                    "day before yesterday",
                    "day after tomorrow",
                ]))),
                Pattern::RelativeUnit => w.extend(owned(&forms(&["previous", "current", "following", "rolling"]))),
                Pattern::Ago => {
                    w.extend(owned(&digits).into_iter().chain(owned(&article_units)).chain(owned(&number_words)));
                    w.extend(owned(&forms(&["vague"])));
                }
                Pattern::RelMonthDay => {
                    w.extend(owned(&digits).into_iter().chain(then(&["the"], &digits)));
                    w.push("from".to_string());
                }
                Pattern::Vague => {
                    let recent = forms(&["recent"]);
                    w.extend(owned(&forms(&["rolling"])).into_iter().chain(owned(&recent)));
                    w.extend(then(&["the"], &recent));
                }
                Pattern::Weekday => w.extend(owned(&weekday_words)),
                Pattern::SeasonYear => w.extend(owned(&season_words).into_iter().chain(then(&["the"], &season_words))),
                Pattern::MonthRange => {
                    w.extend(owned(&month_words));
                    w.extend(owned(&["from", "between"]));
                }
                Pattern::DayOnly => {
                    let preps = ["on", "by", "until", "till", "since", "from", "before", "after", "for"];
                    w.extend(then(&preps, &digits).into_iter().chain(then(&preps, &["the"])));
                }
                Pattern::Quarter => {
                    let words = ["first", "second", "third", "fourth", "final", "coming", "past", "last"];
                    w.extend(owned(&century_digits).into_iter().chain(then(&["the"], &words)));
                    w.extend(owned(&[
                        "q1", "q2", "q3", "q4", "h1", "h2", "first", "second", "third", "fourth", "final",
                    ]));
                    w.extend(owned(&["last", "next", "previous", "this", "coming", "past"]));
                }
                Pattern::Offset => {
                    let mut amounts: Vec<&str> =
                        digits.iter().chain(&number_words).chain(&article_units).copied().collect();
                    amounts.sort_unstable();
                    amounts.dedup();
                    w.extend(owned(&amounts).into_iter().chain(then(&["in", "within"], &amounts)));
                }
                Pattern::IsoMonthSlash => w.extend(owned(&digits).into_iter().chain(owned(&month_words))),
                Pattern::Holiday => {
                    w.extend(owned(&holiday_words).into_iter().chain(then(&["the"], &["following", "previous"])));
                    w.extend(owned(&["last", "next", "this", "previous", "following"]));
                }
                Pattern::WeekWeekday => {
                    let rel =
                        ["this", "next", "last", "previous", "following", "coming", "the following", "the coming"];
                    w.extend(then(&rel, &["week"]).into_iter().chain(owned(&full_weekdays)));
                    w.extend(then(&["on"], &full_weekdays));
                }
                Pattern::NthWeekday => {
                    let nth = ["first", "second", "third", "fourth", "last"];
                    w.extend(then(&nth, &full_weekdays).into_iter().chain(then(&["the"], &nth)));
                }
                Pattern::NumericMonthDay => {
                    let preps = ["on", "from", "to", "until", "till", "by", "since", "through", "before", "after"];
                    w.extend(then(&preps, &digits));
                }
            }
            w
        };
        let mut groups: Vec<Vec<String>> = vec![digit()];
        let mut patterns = Vec::with_capacity(specs.len());
        for (p, src) in specs {
            let re = DatePattern::new(src, &shared);
            let mut required = 0u64;
            for mut group in needles_for(p) {
                group.sort();
                group.dedup();
                let bit = match groups.iter().position(|g| *g == group) {
                    Some(i) => i,
                    None => {
                        groups.push(group);
                        groups.len() - 1
                    }
                };
                required |= 1u64 << bit;
            }
            patterns.push((p, re, required));
        }
        let line_needles = LineNeedles::new(&groups)?;
        let start_words: Vec<Vec<String>> = patterns.iter().map(|(p, _, _)| start_words(*p)).collect();
        let starts = StartIndex::new(start_words.iter().map(|w| w.iter().map(String::as_str)))?;
        Ok(DateRecognizer {
            patterns,
            line_needles,
            starts,
            scratch: ScratchPool::new(Scratch::default),
            months,
            weekdays,
            seasons,
            units,
            roles,
            year_context,
            numbers,
            known_events: era::KnownEvents::new()?,
            holidays,
        })
    }

    /// Compiles every date pattern now (they are otherwise compiled on first use), and
    /// reports the first that does not compile.
    pub fn compile_all(&self) -> Result<(), ExtractError> {
        for (_, re, _) in &self.patterns {
            for form in [&re.ascii_digits, &re.unicode] {
                if form.get().is_none() {
                    form.compile()?;
                }
            }
        }
        Ok(())
    }

    /// Every date expression in `text`, resolved against `anchor` where one is needed.
    pub fn find(&self, text: &str, map: &CharMap, anchor: Option<jiff::civil::Date>) -> Vec<DateMention> {
        let mut cands = Vec::new();
        let non_ascii = NonAscii::of(text);
        let unicode = non_ascii.needs_unicode_forms();
        let mut scratch = self.scratch.get();
        let Scratch { caches, starts, lines, next_pos, lowercase } = &mut *scratch;
        LineNeedles::split_lines(text, lines);
        lowercase.clear();
        lowercase.push_str(text);
        lowercase.make_ascii_lowercase();
        if unicode {
            self.starts.every_boundary(text, starts);
        } else {
            self.starts.starts(text, starts);
        }
        caches.resize_with(2 * self.patterns.len(), || None);
        // Each pattern's matches are left to right and never overlap: the next match is the
        // first start at or after the last match's end where one begins. Patterns take their
        // turns start by start, each with its own position.
        next_pos.clear();
        next_pos.resize(self.patterns.len(), 0);
        let mut first = 0;
        for line in lines.iter() {
            first += starts[first..].partition_point(|s| s.pos < line.start);
            let in_line = starts[first..].iter().take_while(|s| s.pos <= line.end);
            // Only the patterns that may start in this line need its needle groups.
            let candidates = in_line.clone().fold(0u64, |all, s| all | s.patterns);
            if candidates == 0 {
                continue;
            }
            let mut wanted = 0u64;
            let mut bits = candidates;
            while bits != 0 {
                wanted |= self.patterns[bits.trailing_zeros() as usize].2;
                bits &= bits - 1;
            }
            let groups = self.line_needles.groups_in(&text[line.start..line.end], wanted, non_ascii);
            let mut active = 0u64;
            let mut bits = candidates;
            while bits != 0 {
                let index = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let required = self.patterns[index].2;
                if groups & required == required {
                    active |= 1u64 << index;
                }
            }
            if active == 0 {
                continue;
            }
            // The haystack ends after the line's newline so that `$` and `\b` see the same text
            // as in a search of the whole document.
            let haystack = &text[..(line.end + 1).min(text.len())];
            for start in in_line {
                let mut bits = start.patterns & active;
                while bits != 0 {
                    let index = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    if start.pos < next_pos[index].max(line.start) {
                        continue;
                    }
                    let (p, re, _) = &self.patterns[index];
                    let form = re.form(unicode);
                    let Some(matcher) = form.get() else { continue };
                    let cache = caches[2 * index + usize::from(unicode)].get_or_insert_with(|| matcher.create_cache());
                    let searched = if form.on_lowercase { &lowercase[..haystack.len()] } else { haystack };
                    let Some(groups) = matcher.match_at(cache, searched, start.pos) else { continue };
                    let caps = Captures { haystack, groups };
                    let Some(whole) = caps.get(0) else { continue };
                    next_pos[index] = if whole.end() > whole.start() {
                        whole.end()
                    } else {
                        whole.end() + text[whole.end()..].chars().next().map_or(1, char::len_utf8)
                    };
                    if let Some(mut c) = self.candidate(*p, text, &caps, anchor) {
                        c.future = matches!(c.value, Value::NeedsYear { .. }) && future_cue_before(text, c.start);
                        cands.push((index, c));
                    }
                }
            }
        }
        drop(scratch);
        // among equal spans the earlier pattern wins
        cands.sort_by_key(|(index, c)| (c.start, std::cmp::Reverse(c.end), *index));
        let mut kept: Vec<Candidate> = Vec::new();
        for (_, c) in cands {
            if kept.last().is_none_or(|k| c.start >= k.end) {
                kept.push(c);
            }
        }
        // "from Feb 1st to March 2019": a yearless start takes the end's year
        for i in 1..kept.len() {
            if let (Value::NeedsYear { month, day }, Some(y)) = (&kept[i - 1].value, kept[i].explicit_year) {
                if range_link(text, (kept[i - 1].start, kept[i - 1].end), kept[i].start).is_some() {
                    let end_month = kept[i].value_month().unwrap_or(12);
                    let y = if *month > end_month { y - 1 } else { y };
                    kept[i - 1].value = Value::Done(format_partial(y, *month, *day));
                }
            }
        }
        let years: BTreeSet<i32> = kept.iter().filter_map(|c| c.explicit_year).collect();
        let doc_year = (years.len() == 1).then(|| years.first().copied()).flatten();
        // undated and yearless: the latest well-known event the article mentions bounds its date
        let needs_year = |c: &Candidate| matches!(c.value, Value::NeedsYear { .. } | Value::NeedsYearSpan { .. });
        let floor = if anchor.is_none() && doc_year.is_none() && kept.iter().any(needs_year) {
            self.known_events.latest_mentioned(text)
        } else {
            None
        };
        let mentions: Vec<DateMention> = kept
            .into_iter()
            .map(|c| {
                let (resolved, inferred) = match c.value {
                    Value::Done(v) => (v, false),
                    Value::NeedsYear { month, day } => match (anchor, doc_year) {
                        (Some(a), _) if c.future => {
                            // the first such day from a week before the anchor on
                            let ay = i32::from(a.year());
                            let from = calendar::add_days(a, -FUTURE_SLACK_DAYS);
                            let d = day.map_or(28, |d| d.0.min(28));
                            let y = if ymd(ay, month, d).zip(from).is_some_and(|(x, f)| x < f) { ay + 1 } else { ay };
                            (format_partial(y, month, day), false)
                        }
                        (Some(a), _) => {
                            let y = recent_year_for(
                                a,
                                month,
                                day.map_or(1, |d| d.0),
                                if day.is_some() { FUTURE_SLACK_DAYS } else { 0 },
                            );
                            (format_partial(y, month, day), false)
                        }
                        (None, Some(y)) => (format_partial(y, month, day), true),
                        (None, None) => match floor {
                            Some(f) => {
                                (format_partial(era::year_from(f, month, day.map_or(31, |d| d.0)), month, day), true)
                            }
                            None => (None, false),
                        },
                    },
                    Value::NeedsYearSpan { from, to } => match (anchor, doc_year) {
                        (Some(a), _) => (Some(month_span(recent_year_for(a, to, 1, 0), from, to)), false),
                        (None, Some(y)) => (Some(month_span(y, from, to)), true),
                        (None, None) => match floor {
                            Some(f) => (Some(month_span(era::year_from(f, to, 31), from, to)), true),
                            None => (None, false),
                        },
                    },
                };
                DateMention {
                    text: text[c.start..c.end].to_string(),
                    resolved,
                    inferred,
                    // byte offsets until the ranges are joined below
                    span: crosscheck_model::Span { start: c.start, end: c.end },
                    rule: c.rule.to_string(),
                }
            })
            .collect();
        join_ranges(text, mentions)
            .into_iter()
            .map(|mut m| {
                m.span = map.span(m.span.start, m.span.end);
                m
            })
            .collect()
    }

    fn candidate(
        &self,
        p: Pattern,
        text: &str,
        caps: &Captures<'_>,
        anchor: Option<jiff::civil::Date>,
    ) -> Option<Candidate> {
        let whole = caps.get(0)?;
        let (start, end) = (whole.start(), whole.end());
        let get = |n: &str| caps.name(n).map(|m| m.as_str());
        let num = |n: &str| get(n).and_then(|s| s.parse::<i32>().ok());
        let cand = |rule: &'static str, value: Value, explicit_year: Option<i32>| {
            Some(Candidate { start, end, rule, value, explicit_year, future: false })
        };
        match p {
            Pattern::MonthDay | Pattern::DayMonth => {
                // "$ 12 December": the number is an amount
                if text[..start].trim_end().ends_with(['$', '€', '£', '¥']) {
                    return None;
                }
                let m_surface = get("m")?;
                let month = self.month(m_surface)?;
                if !self.month_word_ok(text, caps.name("m")?.start(), m_surface, true) {
                    return None;
                }
                let d = num("d").or_else(|| get("dw").and_then(ordinal_day))?;
                let d2 = num("d2").unwrap_or(d);
                if !(1..=31).contains(&d) || !(d..=31).contains(&d2) || continues_as_number(text, end) {
                    return None;
                }
                match num("y") {
                    Some(y) => {
                        let v = format_partial(y, month, Some((d, d2)));
                        cand(if d2 != d { "date-day-range" } else { "date-full" }, Value::Done(v), Some(y))
                    }
                    None => cand(
                        if d2 != d { "date-day-range" } else { "date-month-day" },
                        Value::NeedsYear { month, day: Some((d, d2)) },
                        None,
                    ),
                }
            }
            Pattern::MonthYear => {
                let m_surface = get("m")?;
                let month = self.month(m_surface)?;
                if !self.month_word_ok(text, caps.name("m")?.start(), m_surface, true) {
                    return None;
                }
                let y = num("y")?;
                cand("date-month-year", Value::Done(Some(iso_month(y, month))), Some(y))
            }
            Pattern::Iso => {
                if get("s1") != get("s2") || continues_as_number(text, end) {
                    return None;
                }
                let (y, m, d) = (num("y")?, num("m")?, num("d")?);
                let date = ymd(y, m, d)?;
                cand("date-iso", Value::Done(Some(date.to_string())), Some(y))
            }
            Pattern::Numeric => {
                if get("s1") != get("s2") || continues_as_number(text, end) || preceded_by_digit_sep(text, start) {
                    return None;
                }
                let (a, b) = (num("a")?, num("b")?);
                let ys = get("y")?;
                let mut y: i32 = ys.parse().ok()?;
                if ys.len() == 2 {
                    y += if y < 50 { 2000 } else { 1900 };
                }
                // US order unless impossible; dotted dates are day-first
                let (m, d) = if get("s1") == Some(".") || a > 12 { (b, a) } else { (a, b) };
                let date = ymd(y, m, d)?;
                cand("date-numeric", Value::Done(Some(date.to_string())), Some(y))
            }
            Pattern::BareMonth => {
                let m_match = caps.name("m").or_else(|| caps.name("m2"))?;
                let m_surface = m_match.as_str();
                // the dot after a full month name ends the sentence; only abbreviations take it
                let end =
                    if text[m_match.end()..end].starts_with('.') && m_surface.len() >= 5 { m_match.end() } else { end };
                let cand = |rule: &'static str, value: Value, explicit_year: Option<i32>| {
                    Some(Candidate { start, end, rule, value, explicit_year, future: false })
                };
                let month = self.month(m_surface)?;
                let rel = get("rel").map(str::to_ascii_lowercase);
                let lower = m_surface.to_ascii_lowercase();
                // "last sept": a relative word makes a lowercase month safe, except the verbs
                let lowercase_ok = rel.is_some() && !matches!(lower.trim_end_matches('.'), "may" | "march" | "mar");
                if !m_surface.starts_with(|c: char| c.is_uppercase()) && !lowercase_ok {
                    return None;
                }
                if AMBIGUOUS_MONTHS.contains(&lower.as_str())
                    && rel.is_none()
                    && !self.year_context_before(text, m_match.start())
                {
                    return None;
                }
                match rel.as_deref() {
                    Some("last") | Some("next") | Some("this") => {
                        let Some(a) = anchor else {
                            return cand("date-month", Value::Done(None), None);
                        };
                        let ay = i32::from(a.year());
                        let am = i32::from(a.month());
                        let y = match rel.as_deref() {
                            Some("last") => {
                                if month < am {
                                    ay
                                } else {
                                    ay - 1
                                }
                            }
                            Some("next") => {
                                if month > am {
                                    ay
                                } else {
                                    ay + 1
                                }
                            }
                            _ => ay,
                        };
                        cand("date-month", Value::Done(Some(iso_month(y, month))), None)
                    }
                    _ => cand("date-month", Value::NeedsYear { month, day: None }, None),
                }
            }
            Pattern::Year => {
                let y = num("y")?;
                let y_match = caps.name("y")?;
                let has_part = caps.name("part").is_some() || whole.as_str().to_ascii_lowercase().contains("year");
                if continues_as_number(text, end) || text[..start].ends_with('$') || text[end..].starts_with('%') {
                    return None;
                }
                if let Some(y2s) = get("y2") {
                    let conn = get("conn").unwrap_or("");
                    let mut y2: i32 = y2s.parse().ok()?;
                    // "2010-2015-86" is a phone number
                    if text[end..].starts_with('-') && text[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
                        return None;
                    }
                    if y2s.len() == 2 {
                        if !matches!(conn, "-" | "–") {
                            return None;
                        }
                        y2 += (y / 100) * 100;
                        // "2015-16", "1939-45": a short range; "2015-32" is not a date
                        if y2 <= y || y2 - y > 10 {
                            return None;
                        }
                    }
                    let context = self.year_context_before(text, y_match.start())
                        || matches!(conn, "-" | "–")
                        || (y2s.len() == 4
                            && matches!(conn.to_ascii_lowercase().as_str(), "to" | "through" | "until" | "till"));
                    if y2 > y && y2 - y <= 200 && context && !conn.eq_ignore_ascii_case("and")
                        || (conn.eq_ignore_ascii_case("and")
                            && self.word_before(text, y_match.start()).is_some_and(|w| w == "between"))
                    {
                        return cand("date-year-range", Value::Done(Some(range(&iso_year(y), &iso_year(y2)))), Some(y));
                    }
                    // not a range: each year is left to the single-year pattern
                    if get("conn").is_some() {
                        return None;
                    }
                    return Some(Candidate {
                        start,
                        end: y_match.end(),
                        rule: "date-year",
                        value: Value::Done(Some(iso_year(y))),
                        explicit_year: Some(y),
                        future: false,
                    });
                }
                if !(has_part
                    || self.year_context_before(text, y_match.start())
                    || after_listed_year(text, y_match.start()))
                {
                    return None;
                }
                cand("date-year", Value::Done(Some(iso_year(y))), Some(y))
            }
            Pattern::Decade => {
                // "the 19th century", "the twentieth century"
                if let Some(c) = num("c").or_else(|| get("cw").and_then(ordinal_day)) {
                    if !(1..=21).contains(&c) {
                        return None;
                    }
                    let first = (c - 1) * 100;
                    return cand(
                        "date-century",
                        Value::Done(Some(range(&iso_year(first), &iso_year(first + 99)))),
                        None,
                    );
                }
                // "the nineties", "in the eighties"; "in her fifties" is an age
                if let Some(w) = get("dw") {
                    let before = self.word_before(text, caps.name("dw")?.start());
                    let ok = before.as_deref().is_some_and(|b| {
                        matches!(b, "the" | "in" | "during" | "since" | "of" | "early" | "mid" | "late")
                    });
                    let d = match w.to_ascii_lowercase().as_str() {
                        "noughties" => 2000,
                        "twenties" => 1920,
                        "thirties" => 1930,
                        "forties" => 1940,
                        "fifties" => 1950,
                        "sixties" => 1960,
                        "seventies" => 1970,
                        "eighties" => 1980,
                        _ => 1990,
                    };
                    // "in their fifties": people's ages
                    let possessive = text[..start].trim_end().to_ascii_lowercase();
                    if !ok
                        || ["her", "his", "their", "my", "your", "our", "its"].iter().any(|p| {
                            possessive.ends_with(&format!(" {p}")) || possessive.ends_with(&format!("{p} the"))
                        })
                    {
                        return None;
                    }
                    return cand("date-decade", Value::Done(Some(range(&iso_year(d), &iso_year(d + 9)))), None);
                }
                let start_year = if let Some(d4) = num("d4") {
                    d4
                } else {
                    let d2 = num("d2").or_else(|| num("d2b"))?;
                    1900 + d2
                };
                cand("date-decade", Value::Done(Some(range(&iso_year(start_year), &iso_year(start_year + 9)))), None)
            }
            Pattern::Deictic => {
                let w = get("w")?.to_ascii_lowercase();
                let offset = match self.roles.get(squeeze(&w).as_str()).copied()? {
                    "yesterday" => -1,
                    "tomorrow" => 1,
                    "day before yesterday" => -2,
                    "day after tomorrow" => 2,
                    _ => 0,
                };
                let v = anchor.and_then(|a| calendar::add_days(a, offset)).map(|d| d.to_string());
                cand("date-deictic", Value::Done(v), None)
            }
            Pattern::RelativeUnit => {
                let dir = squeeze(get("dir")?);
                let u = get("u")?.to_ascii_lowercase();
                let role = self.roles.get(dir.as_str()).copied()?;
                // "the past month" is a window, too vague to resolve; "past Wednesday" is a day
                let weekday = self.weekdays.get(u.as_str()).copied();
                if role == "rolling" && weekday.is_none() {
                    return cand("date-vague", Value::Done(None), None);
                }
                let offset: i64 = match role {
                    "previous" | "rolling" => -1,
                    "following" => 1,
                    _ => 0,
                };
                let Some(a) = anchor else {
                    return cand("date-relative", Value::Done(None), None);
                };
                let v = if let Some(&unit) = self.units.get(u.as_str()) {
                    calendar_unit(a, unit, offset)
                } else if let Some(&(first, last)) = self.seasons.get(u.as_str()) {
                    Some(iso_year(season_year(a, first, last, offset)))
                } else if let Some(&wd) = self.weekdays.get(u.as_str()) {
                    match offset {
                        -1 => calendar::previous_weekday(a, wd),
                        1 => calendar::next_weekday(a, wd),
                        _ => calendar::weekday_this_week(a, wd),
                    }
                    .map(|d| d.to_string())
                } else if u == "weekend" {
                    let sat = calendar::add_days(calendar::week_start(a)?, 5 + 7 * offset)?;
                    Some(range(&sat.to_string(), &calendar::add_days(sat, 1)?.to_string()))
                } else {
                    None
                };
                cand("date-relative", Value::Done(v), None)
            }
            Pattern::Ago => {
                let n_surface = squeeze(get("n")?);
                let unit = *self.units.get(get("u")?.to_ascii_lowercase().as_str())?;
                if self.roles.get(n_surface.as_str()) == Some(&"vague") {
                    return cand("date-vague", Value::Done(None), None);
                }
                let n = match n_surface.as_str() {
                    "a" | "an" => 1,
                    s => s.parse::<i64>().ok().or_else(|| self.number_words(s))?,
                };
                let more = get("more").unwrap_or("");
                if more.trim().is_empty() {
                    return cand("date-ago", Value::Done(anchor.and_then(|a| shifted(a, unit, -n))), None);
                }
                // "1 month, 21 days ago": every part moves the anchor back, to a day
                let mut day =
                    anchor.and_then(|a| shifted_day(a, unit, -n)).and_then(|d| d.parse::<jiff::civil::Date>().ok());
                let parts: Vec<String> = more
                    .split([',', ' ', '\t', '\u{a0}'])
                    .map(str::to_ascii_lowercase)
                    .filter(|w| !w.is_empty() && w != "and")
                    .collect();
                for pair in parts.chunks(2) {
                    let [count, u] = pair else { return None };
                    let n = match count.as_str() {
                        "a" | "an" => 1,
                        c => c.parse::<i64>().ok().or_else(|| self.number_words(c))?,
                    };
                    let u = *self.units.get(u.as_str())?;
                    day = day.and_then(|d| shifted_day(d, u, -n)).and_then(|d| d.parse().ok());
                }
                cand("date-ago", Value::Done(day.map(|d| d.to_string())), None)
            }
            Pattern::RelMonthDay => {
                let rel = squeeze(get("rel")?);
                let offset = match self.roles.get(rel.as_str()).copied() {
                    Some("previous") => -1,
                    Some("following") => 1,
                    _ => 0,
                };
                let (d, d2) = (num("d")?, num("d2").or_else(|| num("d"))?);
                if !(1..=31).contains(&d) || !(d..=31).contains(&d2) {
                    return None;
                }
                let v = anchor
                    .and_then(|a| {
                        calendar::add_months(calendar::ymd(i32::from(a.year()), i32::from(a.month()), 1)?, offset)
                    })
                    .and_then(|m| format_partial(i32::from(m.year()), i32::from(m.month()), Some((d, d2))));
                cand("date-month-day", Value::Done(v), None)
            }
            Pattern::Vague => cand("date-vague", Value::Done(None), None),
            Pattern::Weekday => {
                let wd = *self.weekdays.get(get("wd")?.to_ascii_lowercase().as_str())?;
                // "Black Friday", "Cyber Monday" are shopping seasons, not that weekday
                if self.word_before(text, start).is_some_and(|w| matches!(w.as_str(), "black" | "cyber")) {
                    return None;
                }
                // "will vote on Tuesday" is the coming Tuesday; "said on Tuesday" (even after a
                // "will" earlier in the sentence) is the last one.
                let ahead = weekday_future_cue_before(text, start) && !self.reported_on(text, start);
                cand(
                    "date-weekday",
                    // an article dated Wednesday that says "on Wednesday" means that day
                    Value::Done(
                        anchor
                            .and_then(|a| {
                                if a.weekday().to_monday_one_offset() == wd {
                                    Some(a)
                                } else if ahead {
                                    calendar::next_weekday(a, wd)
                                } else {
                                    calendar::previous_weekday(a, wd)
                                }
                            })
                            .map(|d| d.to_string()),
                    ),
                    None,
                )
            }
            Pattern::SeasonYear => {
                let y = num("y")?;
                cand("date-season", Value::Done(Some(iso_year(y))), Some(y))
            }
            Pattern::DayOnly => {
                let d = num("d")?;
                let prep = get("prep")?.to_ascii_lowercase();
                let has_ord = get("ord").is_some();
                if !(1..=31).contains(&d)
                    || (!has_ord && (get("tail").is_none() || prep != "on"))
                    || continues_as_number(text, caps.name("d")?.end())
                    || (get("tail").is_none() && !day_may_end_here(text, end))
                {
                    return None;
                }
                // "on the 27th": the span starts at "the", or at the number
                let from = caps.name("the").or_else(|| caps.name("d"))?.start();
                let to = caps.name("ord").or_else(|| caps.name("d"))?.end();
                let v = anchor.and_then(|a| {
                    // the latest such day on or before the anchor (news reports the past)
                    let this = calendar::ymd(i32::from(a.year()), i32::from(a.month()), d);
                    match this {
                        Some(t) if t <= a => Some(t),
                        _ => {
                            let prev =
                                calendar::add_months(calendar::ymd(i32::from(a.year()), i32::from(a.month()), 1)?, -1)?;
                            calendar::ymd(i32::from(prev.year()), i32::from(prev.month()), d)
                        }
                    }
                });
                Some(Candidate {
                    start: from,
                    end: to,
                    rule: "date-day",
                    value: Value::Done(v.map(|d| d.to_string())),
                    explicit_year: None,
                    future: false,
                })
            }
            Pattern::Quarter => {
                let year = num("y1").or_else(|| num("y2")).or_else(|| num("y3"));
                let ay = anchor.map(|a| i32::from(a.year()));
                let quarter_of = |m: i32| (m - 1) / 3;
                let (first_month, months, y) = if let Some(q) = get("q") {
                    let n: i32 = q[1..].parse().ok()?;
                    ((n - 1) * 3 + 1, 3, year.or(ay))
                } else if let Some(h) = get("h") {
                    // "H1" alone is a product name more often than a half-year
                    let n: i32 = h[1..].parse().ok()?;
                    ((n - 1) * 6 + 1, 6, Some(year?))
                } else if let Some(w) = get("qw") {
                    let half = get("qh")?.eq_ignore_ascii_case("half");
                    let n = match w.to_ascii_lowercase().as_str() {
                        "first" => 1,
                        "second" => 2,
                        "third" => 3,
                        "fourth" => 4,
                        _ => {
                            if half {
                                2
                            } else {
                                4
                            }
                        }
                    };
                    if half && n > 2 {
                        return None;
                    }
                    // "the second half" alone is a match report's, not a date
                    if year.is_none()
                        && caps.name("y3").is_none()
                        && !whole.as_str().to_ascii_lowercase().contains("year")
                        && !half
                    {
                        // "the third quarter" of a business year: the anchor's year
                    } else if year.is_none() && !whole.as_str().to_ascii_lowercase().contains("year") {
                        return None;
                    }
                    let size = if half { 6 } else { 3 };
                    ((n - 1) * size + 1, size, year.or(ay))
                } else {
                    let rel = squeeze(get("rel")?);
                    let n: i32 = match get("rn") {
                        Some(t) => t.parse().ok().or_else(|| {
                            self.number_words(&t.to_ascii_lowercase()).and_then(|v| i32::try_from(v).ok())
                        })?,
                        None => 1,
                    };
                    let a = anchor?;
                    let cur = i32::from(a.year()) * 4 + quarter_of(i32::from(a.month()));
                    let (from_q, to_q) = match rel.as_str() {
                        "this" => (cur, cur),
                        "next" | "coming" | "the coming" => (cur + 1, cur + n),
                        _ => (cur - n, cur - 1),
                    };
                    let start = iso_month(from_q.div_euclid(4), from_q.rem_euclid(4) * 3 + 1);
                    let end = iso_month(to_q.div_euclid(4), to_q.rem_euclid(4) * 3 + 3);
                    return cand("date-quarter", Value::Done(Some(range(&start, &end))), None);
                };
                let Some(mut y) = y else {
                    return cand("date-quarter", Value::Done(None), None);
                };
                // a yearless quarter that has not begun yet is last year's (results are reported after)
                if year.is_none() && anchor.is_some_and(|a| first_month > i32::from(a.month())) {
                    y -= 1;
                }
                let v = range(&iso_month(y, first_month), &iso_month(y, first_month + months - 1));
                cand("date-quarter", Value::Done(Some(v)), year)
            }
            Pattern::Offset => {
                let unit = *self.units.get(get("u")?.to_ascii_lowercase().as_str())?;
                let dir = get("dir").map(squeeze);
                let lead = get("in").map(str::to_ascii_lowercase);
                let n_surface = squeeze(get("n")?);
                let n = match n_surface.as_str() {
                    "a" | "an" => 1,
                    t => t.parse::<i64>().ok().or_else(|| self.number_words(t))?,
                };
                let (start, sign) = match (dir.as_deref(), lead.as_deref()) {
                    (Some(d), _) if !d.ends_with("time") => {
                        let base = if d.ends_with("tomorrow") {
                            1
                        } else if d.ends_with("yesterday") {
                            -1
                        } else {
                            0
                        };
                        let sign = if d.starts_with("before") { -1 } else { 1 };
                        let start = caps.name("n")?.start();
                        let shift = anchor
                            .and_then(|a| calendar::add_days(a, base))
                            .and_then(|a| shifted_day(a, unit, sign * n));
                        return Some(Candidate {
                            start,
                            end,
                            rule: "date-offset",
                            value: Value::Done(shift),
                            explicit_year: None,
                            future: false,
                        });
                    }
                    // "in three weeks' time"
                    (Some(_), Some("in")) => (start, 1),
                    // "will resume in two weeks": a future offset only after a future cue
                    (None, Some("in")) if future_cue_before(text, start) => (start, 1),
                    _ => return None,
                };
                let _ = sign;
                let v = anchor.and_then(|a| shifted_day(a, unit, n));
                Some(Candidate {
                    start,
                    end,
                    rule: "date-offset",
                    value: Value::Done(v),
                    explicit_year: None,
                    future: false,
                })
            }
            Pattern::IsoMonth | Pattern::IsoMonthSlash => {
                let y = num("y").or_else(|| num("y2"))?;
                let month = match (num("m").or_else(|| num("m2")), get("mw").or_else(|| get("mw2"))) {
                    (Some(m), _) => m,
                    (None, Some(w)) => self.month(w)?,
                    _ => return None,
                };
                if continues_as_number(text, end)
                    || preceded_by_digit_sep(text, start)
                    || text[end..].starts_with(['-', '/'])
                {
                    return None;
                }
                // "2016-11" or "11/2016" only with a two-digit month or a slash ("2015/3")
                let m_text = get("m").or_else(|| get("m2")).unwrap_or("xx");
                if get("sep") == Some("-") && m_text.len() < 2 && get("mw").is_none() {
                    return None;
                }
                cand("date-month-year", Value::Done(Some(iso_month(y, month))), Some(y))
            }
            Pattern::Holiday => {
                let name = squeeze(get("h")?);
                let h = *self.holidays.get(name.as_str())?;
                let rel = get("rel").map(squeeze);
                let y = num("y");
                let value = match (h, y) {
                    (Holiday::Fixed(m, d), Some(y)) => Value::Done(ymd(y, m, d).map(|d| d.to_string())),
                    (Holiday::Easter(off), Some(y)) => Value::Done(easter_day(y, off).map(|d| d.to_string())),
                    (_, None) => {
                        let Some(a) = anchor else {
                            return match h {
                                Holiday::Fixed(m, d) => {
                                    cand("date-holiday", Value::NeedsYear { month: m, day: Some((d, d)) }, None)
                                }
                                Holiday::Easter(_) => cand("date-holiday", Value::Done(None), None),
                            };
                        };
                        let ay = i32::from(a.year());
                        let on = |y: i32| match h {
                            Holiday::Fixed(m, d) => ymd(y, m, d),
                            Holiday::Easter(off) => easter_day(y, off),
                        };
                        let day = match rel.as_deref() {
                            Some("next" | "following" | "the following") => {
                                on(ay).filter(|d| *d > a).or_else(|| on(ay + 1))
                            }
                            Some("last" | "previous" | "the previous") => {
                                on(ay).filter(|d| *d < a).or_else(|| on(ay - 1))
                            }
                            Some(_) => on(ay),
                            // news reports the past: the latest one not after the anchor (+ a week)
                            None => {
                                let limit = calendar::add_days(a, FUTURE_SLACK_DAYS)?;
                                on(ay).filter(|d| *d <= limit).or_else(|| on(ay - 1))
                            }
                        };
                        Value::Done(day.map(|d| d.to_string()))
                    }
                };
                cand("date-holiday", value, y)
            }
            Pattern::WeekWeekday => {
                let wd = *self.weekdays.get(get("wd").or_else(|| get("wd2"))?.to_ascii_lowercase().as_str())?;
                let rel = squeeze(get("rel").or_else(|| get("rel2"))?);
                let offset = match self.roles.get(rel.as_str()).copied()? {
                    "previous" | "rolling" => -1,
                    "following" => 1,
                    _ => 0,
                };
                let v = anchor
                    .and_then(calendar::week_start)
                    .and_then(|monday| calendar::add_days(monday, 7 * offset + i64::from(wd) - 1))
                    .map(|d| d.to_string());
                cand("date-weekday", Value::Done(v), None)
            }
            Pattern::NthWeekday => {
                let wd = *self.weekdays.get(get("wd")?.to_ascii_lowercase().as_str())?;
                let nth: i64 = match get("nth")?.to_ascii_lowercase().as_str() {
                    "first" => 1,
                    "second" => 2,
                    "third" => 3,
                    "fourth" => 4,
                    _ => -1,
                };
                let (y, m) = match (get("m"), get("rel").map(squeeze)) {
                    (Some(m), _) => {
                        let month = self.month(m)?;
                        if !self.month_word_ok(text, 0, m, true) {
                            return None;
                        }
                        match (num("y"), anchor) {
                            (Some(y), _) => (y, month),
                            (None, Some(a)) => (i32::from(a.year()), month),
                            (None, None) => return cand("date-weekday", Value::Done(None), None),
                        }
                    }
                    (None, Some(rel)) => {
                        let a = anchor?;
                        let offset = match self.roles.get(rel.as_str()).copied()? {
                            "previous" => -1,
                            "following" => 1,
                            _ => 0,
                        };
                        let d =
                            calendar::add_months(calendar::ymd(i32::from(a.year()), i32::from(a.month()), 1)?, offset)?;
                        (i32::from(d.year()), i32::from(d.month()))
                    }
                    _ => return None,
                };
                let v = nth_weekday(y, m, wd, nth).map(|d| d.to_string());
                cand("date-weekday", Value::Done(v), num("y"))
            }
            Pattern::NumericMonthDay => {
                let (m, d) = (num("m")?, num("d")?);
                let prep = get("prep")?.to_ascii_lowercase();
                // fractions ("to 3/4") are not dates; "on 9/22" is
                if !(1..=12).contains(&m)
                    || !(1..=31).contains(&d)
                    || (prep != "on" && d < 6)
                    || continues_as_number(text, end)
                    || text[end..].starts_with('/')
                {
                    return None;
                }
                let from = caps.name("m")?.start();
                Some(Candidate {
                    start: from,
                    end,
                    rule: "date-month-day",
                    value: Value::NeedsYear { month: m, day: Some((d, d)) },
                    explicit_year: None,
                    future: false,
                })
            }
            Pattern::MonthRange => {
                let (m1, m2) = (get("m")?, get("m2")?);
                let (from, to) = (self.month(m1)?, self.month(m2)?);
                // "and" joins two months only after "between"; "May and" is usually a verb
                let joined_by_and =
                    text[caps.name("m")?.end()..caps.name("m2")?.start()].to_ascii_lowercase().contains("and");
                if from == to
                    || (joined_by_and && get("lead").is_none_or(|l| !l.eq_ignore_ascii_case("between")))
                    || (get("lead").is_none()
                        && (!m1.starts_with(|c: char| c.is_uppercase()) || !m2.starts_with(|c: char| c.is_uppercase())))
                    || !self.month_word_ok(text, 0, m1, false)
                    || !self.month_word_ok(text, 0, m2, false)
                {
                    return None;
                }
                match num("y") {
                    Some(y) => cand("date-month-range", Value::Done(Some(month_span(y, from, to))), Some(y)),
                    None => cand("date-month-range", Value::NeedsYearSpan { from, to }, None),
                }
            }
        }
    }

    fn month(&self, surface: &str) -> Option<i32> {
        self.months.get(surface.trim_end_matches('.').to_ascii_lowercase().as_str()).copied()
    }

    /// Ambiguous month words ("May 5" vs "may 5") need a capital.
    fn month_word_ok(&self, _text: &str, _at: usize, surface: &str, _with_day: bool) -> bool {
        let lower = surface.trim_end_matches('.').to_ascii_lowercase();
        !AMBIGUOUS_MONTHS.contains(&lower.as_str()) || surface.starts_with(|c: char| c.is_uppercase())
    }

    /// The word right before byte `at` (lowercased), skipping spaces.
    fn word_before(&self, text: &str, at: usize) -> Option<String> {
        let before = text[..at].trim_end_matches([' ', '\t', '\u{a0}']);
        let start = before
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
        let w = &before[start..];
        (!w.is_empty() && w.chars().all(char::is_alphabetic)).then(|| w.to_lowercase())
    }

    /// A reporting verb just before the date ("said on Tuesday", "announced Tuesday"): the day
    /// something was said, which is past whatever the sentence says of the future.
    fn reported_on(&self, text: &str, at: usize) -> bool {
        let mut at = at;
        if let Some(w) = self.word_before(text, at) {
            if w == "on" || w == "late" || w == "early" {
                let before = text[..at].trim_end_matches([' ', '\t', '\u{a0}']);
                at = before.len() - w.len();
            }
        }
        self.word_before(text, at).is_some_and(|w| {
            matches!(
                w.as_str(),
                "said" | "says" | "told" | "announced" | "reported" | "added" | "confirmed" | "declared" | "wrote"
            )
        })
    }

    fn year_context_before(&self, text: &str, at: usize) -> bool {
        self.word_before(text, at)
            .is_some_and(|w| self.year_context.contains(w.as_str()) || self.months.contains_key(&w))
    }

    /// "two", "twenty-five" as an integer.
    fn number_words(&self, s: &str) -> Option<i64> {
        let parts: Vec<&str> = s.split(['-', ' ']).filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [one] => Some(self.numbers.word(one)?.0 as i64),
            // "twenty-five", not "two-three"
            [tens, unit] => match (self.numbers.word(tens)?, self.numbers.word(unit)?) {
                ((t, Class::Tens), (u, Class::Unit)) => Some((t + u) as i64),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Number words a relative phrase may count with ("two months ago", "twenty-one years ago").
fn numbers_words(numbers: &NumberReader) -> Vec<String> {
    const WORDS: &str = include_str!("../../../resources/quantity/numbers.txt");
    data_lines(WORDS)
        .filter_map(|(_, l)| l.split_whitespace().next())
        .filter(|w| matches!(numbers.word(w), Some((_, Class::Unit | Class::Teen | Class::Tens))))
        .map(str::to_string)
        .collect()
}

/// The year a season phrase names: `offset` -1 is the last completed one, 0 this year's.
fn season_year(anchor: jiff::civil::Date, first: i32, last: i32, offset: i64) -> i32 {
    let ay = i32::from(anchor.year());
    let am = i32::from(anchor.month());
    // a season across the new year (winter) is dated by its January
    let crosses = first > last;
    match offset {
        -1 => {
            // winter is dated by its January, so the test is the same either way
            let ended_this_year = am > last;
            if ended_this_year {
                ay
            } else {
                ay - 1
            }
        }
        1 => {
            let started = if crosses { am >= first || am <= last } else { am >= first };
            if started {
                ay + 1
            } else {
                ay
            }
        }
        _ => {
            if crosses && am >= first {
                ay + 1
            } else {
                ay
            }
        }
    }
}

/// "November to March 2016" → "2015-11/2016-03": the year belongs to the end month.
fn month_span(end_year: i32, from: i32, to: i32) -> String {
    let start_year = if from > to { end_year - 1 } else { end_year };
    range(&iso_month(start_year, from), &iso_month(end_year, to))
}

fn format_partial(y: i32, month: i32, day: Option<(i32, i32)>) -> Option<String> {
    match day {
        None => Some(iso_month(y, month)),
        Some((d, d2)) if d2 != d => Some(range(&ymd(y, month, d)?.to_string(), &ymd(y, month, d2)?.to_string())),
        Some((d, _)) => Some(ymd(y, month, d)?.to_string()),
    }
}

/// "from March 3 to April 5", "between 2015 and January 5th 2018", "Nov 18 2014-Dec 19
/// 2015": two resolved dates joined by a range word become one `start/end` mention, its
/// span taking in a leading "from"/"between". Spans are byte offsets here.
fn join_ranges(text: &str, mentions: Vec<DateMention>) -> Vec<DateMention> {
    let mut out: Vec<DateMention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        if let Some(prev) = out.last_mut() {
            if let (Some(a), Some(b)) = (prev.resolved.as_deref(), m.resolved.as_deref()) {
                if let Some(lead) = range_link(text, (prev.span.start, prev.span.end), m.span.start) {
                    let start = a.split('/').next().unwrap_or(a);
                    let end = b.rsplit('/').next().unwrap_or(b);
                    let lead_start = lead.map_or(prev.span.start, |l| l.min(prev.span.start));
                    if start <= end {
                        prev.resolved = Some(range(start, end));
                        prev.span = crosscheck_model::Span { start: lead_start, end: m.span.end };
                        prev.text = text[lead_start..m.span.end].to_string();
                        prev.inferred |= m.inferred;
                        prev.rule = "date-range".to_string();
                        continue;
                    }
                }
            }
        }
        out.push(m);
    }
    out
}

/// Two date expressions joined by a range word ("to", "until", "through", "-", or "and"
/// after "between"): `Some(lead)` with the byte start of a leading "from"/"between" if any.
fn range_link(text: &str, (start, end): (usize, usize), next_start: usize) -> Option<Option<usize>> {
    let gap = text.get(end..next_start)?.trim().to_ascii_lowercase();
    if !matches!(gap.as_str(), "-" | "–" | "to" | "until" | "till" | "through" | "and") {
        return None;
    }
    let own = text.get(start..end)?.to_ascii_lowercase();
    let before = text.get(..start)?.trim_end_matches([' ', '\t', '\u{a0}']);
    let lower_tail = before.get(before.len().saturating_sub(8)..).unwrap_or("").to_ascii_lowercase();
    let lead = if own.starts_with("from ") || own.starts_with("between ") {
        Some(start)
    } else {
        ["from", "between"]
            .iter()
            .find(|w| {
                lower_tail.ends_with(*w) && !before[..before.len() - w.len()].ends_with(|c: char| c.is_alphanumeric())
            })
            .map(|w| before.len() - w.len())
    };
    let between = lead.is_some_and(|l| text[l..].to_ascii_lowercase().starts_with("between"));
    if gap == "and" && !between {
        return None;
    }
    Some(lead)
}

/// After "on the 14th" comes the end of the phrase, not a noun ("the 14th century", "the
/// 25th Amendment").
fn day_may_end_here(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', '\t', '\u{a0}']);
    let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    if word.is_empty() {
        return !rest.starts_with(|c: char| c.is_alphanumeric() || c == '-');
    }
    matches!(
        word.as_str(),
        "of" | "and"
            | "or"
            | "to"
            | "at"
            | "in"
            | "on"
            | "when"
            | "as"
            | "after"
            | "before"
            | "until"
            | "till"
            | "through"
            | "with"
            | "but"
            | "while"
            | "for"
            | "from"
            | "by"
            | "the"
            | "he"
            | "she"
            | "they"
            | "it"
            | "we"
            | "there"
            | "this"
            | "that"
            | "last"
            | "next"
    )
}

/// "in 2007 and 2009", "2015, 2016": a year listed right after another year.
fn after_listed_year(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    let before = before
        .strip_suffix("and")
        .or_else(|| before.strip_suffix("or"))
        .or_else(|| before.strip_suffix(','))
        .map(str::trim_end);
    let Some(b) = before else {
        return false;
    };
    let tail = &b.as_bytes()[b.len().saturating_sub(5)..];
    tail.len() == 5
        && !tail[0].is_ascii_alphanumeric()
        && tail[1..].iter().all(u8::is_ascii_digit)
        && matches!(&tail[1..3], b"18" | b"19" | b"20")
}

/// "first" → 1 ... "thirty-first" → 31.
fn ordinal_day(w: &str) -> Option<i32> {
    let w = w.to_ascii_lowercase();
    let w = w.split_whitespace().collect::<Vec<_>>().join("-");
    if w == "thirtieth" {
        return Some(30);
    }
    let (tens, unit) = match w.split_once('-') {
        Some(("twenty", u)) => (20, u),
        Some(("thirty", u)) => (30, u),
        Some(_) => return None,
        None => (0, w.as_str()),
    };
    let n = ORDINAL_DAYS.iter().position(|o| *o == unit)? as i32 + 1;
    (tens == 0 || n < 10).then_some(tens + n)
}

/// Western Easter Sunday of year `y` moved by `offset` days (anonymous Gregorian algorithm).
fn easter_day(y: i32, offset: i64) -> Option<jiff::civil::Date> {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    calendar::add_days(ymd(y, month, day)?, offset)
}

/// The `nth` (1-based; -1 = last) `weekday` (1 = Monday) of a month.
fn nth_weekday(y: i32, m: i32, weekday: i8, nth: i64) -> Option<jiff::civil::Date> {
    if nth < 0 {
        let last = calendar::add_days(calendar::add_months(ymd(y, m, 1)?, 1)?, -1)?;
        let back = (i64::from(last.weekday().to_monday_one_offset()) - i64::from(weekday)).rem_euclid(7);
        return calendar::add_days(last, -back);
    }
    let first = ymd(y, m, 1)?;
    let ahead = (i64::from(weekday) - i64::from(first.weekday().to_monday_one_offset())).rem_euclid(7);
    let d = calendar::add_days(first, ahead + 7 * (nth - 1))?;
    (i32::from(d.month()) == m).then_some(d)
}

/// The anchor moved by `n` units, always to a day ("in two weeks", "3 days from now").
fn shifted_day(anchor: jiff::civil::Date, unit: CalUnit, n: i64) -> Option<String> {
    match unit {
        CalUnit::Year => calendar::add_months(anchor, 12 * n).map(|d| d.to_string()),
        CalUnit::Decade => calendar::add_months(anchor, 120 * n).map(|d| d.to_string()),
        _ => shifted(anchor, unit, n),
    }
}

/// A future cue ("will", "'ll", "is due to", "expected to") earlier in the sentence, close
/// before byte `at`: then "in two weeks" is a date, not a length of time.
fn future_cue_before(text: &str, at: usize) -> bool {
    future_cue_within(text, at, true)
}

/// [`future_cue_before`] for weekdays, the most common dates in news and nearly always past:
/// "set" is left out, as in "had set off on Saturday night".
fn weekday_future_cue_before(text: &str, at: usize) -> bool {
    future_cue_within(text, at, false)
}

fn future_cue_within(text: &str, at: usize, with_set: bool) -> bool {
    let mut from = at.saturating_sub(80);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text.as_bytes()[from..at];
    let sentence_start = window.iter().rposition(|b| matches!(b, b'.' | b'!' | b'?' | b'\n')).map_or(0, |i| i + 1);
    let sentence = &window[sentence_start..];
    // words are runs of ASCII letters and digits, `'` and `’`, compared with ASCII case folded
    let mut i = 0;
    while i < sentence.len() {
        let word_start = i;
        loop {
            match sentence.get(i..) {
                Some([b, ..]) if b.is_ascii_alphanumeric() || *b == b'\'' => i += 1,
                Some(rest) if rest.starts_with(RIGHT_QUOTE) => i += RIGHT_QUOTE.len(),
                _ => break,
            }
        }
        if is_future_cue(&sentence[word_start..i], with_set) {
            return true;
        }
        i += 1;
    }
    false
}

const RIGHT_QUOTE: &[u8] = "\u{2019}".as_bytes();

fn is_future_cue(word: &[u8], with_set: bool) -> bool {
    const CUES: &[&[u8]] = &[b"will", b"shall", b"due", b"expected", b"scheduled", b"won't", b"going"];
    let ends_with_ll = |quote: &[u8]| {
        word.len() >= quote.len() + 2
            && word[word.len() - quote.len() - 2..].starts_with(quote)
            && word[word.len() - 2..].eq_ignore_ascii_case(b"ll")
    };
    CUES.iter().any(|cue| word.eq_ignore_ascii_case(cue))
        || (with_set && word.eq_ignore_ascii_case(b"set"))
        || ends_with_ll(b"'")
        || ends_with_ll(RIGHT_QUOTE)
}

/// "5,000" or "10:30" go on after the matched digits: not a date.
fn continues_as_number(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    matches!((rest.next(), rest.next()), (Some(',' | '.' | ':' | '/'), Some(d)) if d.is_ascii_digit())
}

fn preceded_by_digit_sep(text: &str, start: usize) -> bool {
    let mut back = text[..start].chars().rev();
    matches!((back.next(), back.next()), (Some('.' | '/' | '-' | ':'), Some(d)) if d.is_ascii_digit())
}

/// Lowercase with single spaces ("The  past" → "the past").
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase()
}

/// A regex alternation of literal forms, longest first so the longest form wins.
fn alt<'a>(forms: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = forms.collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    v.dedup();
    v.iter().map(|f| regex::escape(f).replace(' ', r"[ \t\u{a0}]+")).collect::<Vec<_>>().join("|")
}

/// The same alternation, matching only capitalised forms ("Monday", not "monday").
fn capitalised_alt(alternation: &str) -> String {
    alternation
        .split('|')
        .map(|f| {
            let mut c = f.chars();
            match c.next() {
                Some(first) => format!("{}{}", first.to_uppercase(), c.as_str()),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

fn bad(file: &'static str, line: usize, what: &str) -> ExtractError {
    ExtractError::Resource { file, line, message: format!("bad {what}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_text::slice_chars;

    fn recognizer() -> &'static DateRecognizer {
        static R: std::sync::OnceLock<DateRecognizer> = std::sync::OnceLock::new();
        R.get_or_init(|| DateRecognizer::new().expect("resources compile"))
    }

    #[test]
    fn every_lazily_compiled_pattern_compiles() {
        let r = DateRecognizer::new().expect("resources load");
        let forms = || r.patterns.iter().flat_map(|(_, re, _)| [&re.ascii_digits, &re.unicode]);
        assert!(forms().all(|form| form.compiled.get().is_none()), "nothing compiled before use");
        r.compile_all().expect("every date pattern compiles");
        assert!(forms().all(|form| form.get().is_some_and(|m| !m.can_match_empty())));
    }

    #[test]
    fn patterns_built_from_shared_alternations_equal_the_whole_patterns_parsed() {
        let r = recognizer();
        let mut shared_patterns = 0;
        for (p, re, _) in &r.patterns {
            let form = &re.ascii_digits;
            let Some(shared) = &form.shared else { continue };
            let whole = regex_automata::util::syntax::parse_with(
                &form.source,
                &regex_automata::util::syntax::Config::new().utf8(true),
            )
            .expect("pattern parses");
            if let Some(built) = shared.substituted(&form.source) {
                assert_eq!(built, whole, "{p:?}");
                shared_patterns += 1;
            }
        }
        assert!(shared_patterns >= 15, "{shared_patterns}");
    }

    #[test]
    fn start_index_covers_every_prefix_a_pattern_can_start_with() {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let r = recognizer();
        for (index, (p, re, _)) in r.patterns.iter().enumerate() {
            let bit = 1u64 << index;
            // Prefixes compared with case folded, as the index compares them, and each run of
            // spaces `{s}+` read as one space (`{s}*` as none or one), as the index reads it:
            // the extracted prefixes then go on past the spaces between words.
            let spaces = r"[ \t\u{a0}]";
            let source = re.ascii_digits.source.trim_start_matches("(?i)");
            let source = source.replace(&format!("{spaces}+"), " ").replace(&format!("{spaces}*"), " ?");
            let hir = regex_syntax::ParserBuilder::new().build().parse(&source).expect("pattern parses");
            let seq = Extractor::new()
                .kind(ExtractKind::Prefix)
                .limit_class(16)
                .limit_total(1_000_000)
                .limit_literal_len(matcher::MAX_PREFIX)
                .extract(&hir);
            let literals = seq.literals().unwrap_or_else(|| panic!("{p:?}: prefixes unknown"));
            assert!(!literals.is_empty());
            for literal in literals {
                let bytes = literal.as_bytes().to_ascii_lowercase();
                assert!(
                    r.starts.prefixes_at(&bytes) & bit != 0,
                    "{p:?} may start with {:?}, which its start words miss",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
    }

    fn find(text: &str, anchor: Option<&str>) -> Vec<(String, Option<String>)> {
        let r = recognizer();
        let a = anchor.and_then(parse_iso_anchor);
        let out = r.find(text, &CharMap::new(text), a);
        for d in &out {
            assert_eq!(slice_chars(text, d.span), d.text);
        }
        out.into_iter().map(|d| (d.text, d.resolved)).collect()
    }

    fn pair(t: &str, r: Option<&str>) -> (String, Option<String>) {
        (t.to_string(), r.map(str::to_string))
    }

    #[test]
    fn explicit_dates_in_news_formats() {
        assert_eq!(find("Talks ended on March 3, 2021.", None), [pair("March 3, 2021", Some("2021-03-03"))]);
        assert_eq!(find("It opened 4 July 1999 in Rome.", None), [pair("4 July 1999", Some("1999-07-04"))]);
        assert_eq!(find("Filed Jan. 9th, 2020 by the court.", None), [pair("Jan. 9th, 2020", Some("2020-01-09"))]);
        assert_eq!(find("Posted 2019-06-30 at noon", None), [pair("2019-06-30", Some("2019-06-30"))]);
        assert_eq!(find("Signed 06/30/2019 in Paris", None), [pair("06/30/2019", Some("2019-06-30"))]);
        assert_eq!(find("Monday, June 3, 2019\nNews", None), [pair("Monday, June 3, 2019", Some("2019-06-03"))]);
        assert_eq!(find("Prices rose in August 2018.", None), [pair("August 2018", Some("2018-08"))]);
    }

    #[test]
    fn each_line_is_searched_for_the_patterns_its_words_allow() {
        let text = "Headline without dates\nTalks ended on March 3, 2021.\n\nThe deal was signed in 2015.";
        assert_eq!(find(text, None), [pair("March 3, 2021", Some("2021-03-03")), pair("2015", Some("2015"))]);
        let mut lines = Vec::new();
        recognizer().line_needles.lines(text, NonAscii::of(text), &mut lines);
        assert_eq!(lines.len(), 3, "the blank line is skipped");
        assert_eq!(lines[0].groups & recognizer().line_needles.digit_bit, 0);
        assert_ne!(lines[1].groups & recognizer().line_needles.digit_bit, 0);
    }

    #[test]
    fn each_group_searched_alone_is_what_the_pass_over_every_needle_finds() {
        let needles = &recognizer().line_needles;
        for text in [
            "Headline without dates\nTalks ended on March 3, 2021.\n\nThe deal was signed in 2015.",
            "Two weeks ago, on the first Monday of next month, Q3 and H1 results; the 1990s and the 21st century",
            "St. Patrick's Day, Christmas Eve and New Year's Day; 3/4 on 12/05 and Dec/2018",
            "the coming weeks, recent months, the summer of 2019, yesterday and the day before yesterday",
            "MONTHS LATER, in AUG. and SEPT, the Twenties\r\nnoon\t",
            "digits \u{0663} and \u{0661}\u{0669}\u{0669}\u{0660} only\nnone here",
            "Kelvin \u{212A} and long \u{17F} fold\nplain line",
            "caf\u{e9} 12 mai \u{2013} 3 d\u{e9}c. 2020 \u{a0}weeks",
            "",
        ] {
            let non_ascii = NonAscii::of(text);
            let mut lines = Vec::new();
            needles.lines(text, non_ascii, &mut lines);
            for line in &lines {
                let alone = needles.groups_in(&text[line.start..line.end], u64::MAX, non_ascii);
                assert_eq!(alone, line.groups, "{:?}", &text[line.start..line.end]);
                for group in 0..64 {
                    let bit = 1u64 << group;
                    let one = needles.groups_in(&text[line.start..line.end], bit, non_ascii);
                    assert_eq!(one & bit, line.groups & bit, "group {group} in {:?}", &text[line.start..line.end]);
                }
                let digits = needles.groups_in(&text[line.start..line.end], needles.digit_bit, non_ascii);
                assert_eq!(digits & needles.digit_bit, line.groups & needles.digit_bit);
            }
        }
    }

    #[test]
    fn years_ranges_and_decades() {
        assert_eq!(find("The deal was signed in 2015 by both.", None), [pair("2015", Some("2015"))]);
        assert_eq!(find("The war lasted 1980-1988.", None), [pair("1980-1988", Some("1980/1988"))]);
        assert_eq!(find("Music of the 1960s lives on.", None), [pair("the 1960s", Some("1960/1969"))]);
        assert_eq!(
            find("They met on June 2-5 in Oslo.", Some("2023-07-01")),
            [pair("June 2-5", Some("2023-06-02/2023-06-05"))]
        );
        assert!(find("There were 2,015 votes and 1999 ballots.", None).is_empty());
    }

    #[test]
    fn partial_dates_use_the_anchor_or_the_document_year() {
        assert_eq!(
            find("Rates moved on Oct. 2 and Nov 14th.", Some("2022-11-20")),
            [pair("Oct. 2", Some("2022-10-02")), pair("Nov 14th", Some("2022-11-14"))]
        );
        // a date well after the anchor belongs to the previous year
        assert_eq!(find("It began on December 28.", Some("2022-01-10")), [pair("December 28", Some("2021-12-28"))]);
        assert_eq!(find("In April the plant closed.", Some("2022-01-10")), [pair("April", Some("2021-04"))]);
        // no anchor: the one year the document states
        let r = recognizer();
        let text = "Votes were counted on May 3, 2010. By May 9 the result was known.";
        let out = r.find(text, &CharMap::new(text), None);
        assert_eq!(out[1].resolved.as_deref(), Some("2010-05-09"));
        assert!(out[1].inferred && !out[0].inferred);
        assert_eq!(find("By May 9 the result was known.", None), [pair("May 9", None)]);
    }

    #[test]
    fn relative_phrases() {
        let a = Some("2023-03-15"); // a Wednesday
        assert_eq!(find("He resigned yesterday.", a), [pair("yesterday", Some("2023-03-14"))]);
        assert_eq!(find("Sales fell last month.", a), [pair("last month", Some("2023-02"))]);
        assert_eq!(find("It peaked last year.", a), [pair("last year", Some("2022"))]);
        assert_eq!(find("It began two months ago.", a), [pair("two months ago", Some("2023-01-15"))]);
        assert_eq!(find("She left three years ago.", a), [pair("three years ago", Some("2020"))]);
        assert_eq!(find("They met on Monday.", a), [pair("Monday", Some("2023-03-13"))]);
        assert_eq!(find("It was hot last summer.", a), [pair("last summer", Some("2022"))]);
        assert_eq!(find("Ties improved last week.", a), [pair("last week", Some("2023-03-06/2023-03-12"))]);
        assert_eq!(find("Work resumed in early 2021.", a), [pair("early 2021", Some("2021"))]);
        assert_eq!(
            find("It happened during the first half of March.", a),
            [pair("the first half of March", Some("2023-03"))]
        );
        assert_eq!(find("He resigned yesterday.", None), [pair("yesterday", None)]);
    }

    #[test]
    fn month_ranges_take_the_end_year() {
        assert_eq!(
            find("Rains fell from November to March 2016.", None),
            [pair("from November to March 2016", Some("2015-11/2016-03"))]
        );
        assert_eq!(find("Talks ran May-July.", Some("2020-09-01")), [pair("May-July", Some("2020-05/2020-07"))]);
        assert_eq!(
            find("He came in April and June.", Some("2020-09-01")),
            [pair("April", Some("2020-04")), pair("June", Some("2020-06"))]
        );
    }

    #[test]
    fn days_quarters_offsets_and_named_days() {
        let a = Some("2023-03-15"); // a Wednesday
        assert_eq!(find("The vote was held on the 9th.", a), [pair("the 9th", Some("2023-03-09"))]);
        assert_eq!(find("It was signed on the 20th.", a), [pair("the 20th", Some("2023-02-20"))]);
        assert_eq!(find("Profits fell in Q3 2022.", a), [pair("Q3 2022", Some("2022-07/2022-09"))]);
        assert_eq!(find("Sales rose last quarter.", a), [pair("last quarter", Some("2022-10/2022-12"))]);
        // a half is a part of the year: the whole year (gold convention), a quarter is a period
        assert_eq!(
            find("Growth slowed in the second half of 2021.", a),
            [pair("the second half of 2021", Some("2021"))]
        );
        assert_eq!(
            find("Growth slowed in the third quarter of 2021.", a),
            [pair("the third quarter of 2021", Some("2021-07/2021-09"))]
        );
        assert_eq!(find("The talks will resume in two weeks.", a), [pair("in two weeks", Some("2023-03-29"))]);
        assert!(find("It was the first rain in two weeks.", a).is_empty());
        assert_eq!(find("Results come 10 days from now.", a), [pair("10 days from now", Some("2023-03-25"))]);
        assert_eq!(find("Shops shut at Christmas.", a), [pair("Christmas", Some("2022-12-25"))]);
        assert_eq!(find("They met at Easter 2019.", a), [pair("Easter 2019", Some("2019-04-21"))]);
        assert_eq!(
            find("Polls open on the first Monday of May.", a),
            [pair("the first Monday of May", Some("2023-05-01"))]
        );
        assert_eq!(
            find("Talks resume on Friday of next week.", a),
            [pair("on Friday of next week", Some("2023-03-24"))]
        );
        assert_eq!(
            find("It opened on the first of June 2020.", a),
            [pair("the first of June 2020", Some("2020-06-01"))]
        );
        assert_eq!(find("Data for 2021-11 came late.", a), [pair("2021-11", Some("2021-11"))]);
    }

    #[test]
    fn weekdays_after_a_future_cue_read_forward_unless_something_was_said_that_day() {
        // 2026-04-20 is a Monday.
        let a = Some("2026-04-20");
        assert_eq!(find("The council will vote on Tuesday.", a), [pair("Tuesday", Some("2026-04-21"))]);
        assert_eq!(find("The council voted on Tuesday.", a), [pair("Tuesday", Some("2026-04-14"))]);
        assert_eq!(
            find("The firm, which will open a plant, said on Tuesday it was hiring.", a),
            [pair("Tuesday", Some("2026-04-14"))]
        );
        assert_eq!(find("The mayor will speak on Monday.", a), [pair("Monday", Some("2026-04-20"))]);
        assert_eq!(find("The bus had set off on Saturday night.", a), [pair("Saturday", Some("2026-04-18"))]);
    }

    #[test]
    fn future_cues_read_yearless_dates_forward_and_lookalikes_are_skipped() {
        let a = Some("2023-11-20");
        assert_eq!(find("Sentencing is scheduled for Feb. 14.", a), [pair("Feb. 14", Some("2024-02-14"))]);
        assert_eq!(find("He was arrested on Feb. 14.", a), [pair("Feb. 14", Some("2023-02-14"))]);
        for text in ["Deals start on Black Friday.", "It backs the 25th Amendment.", "Apple's H1 chip is fast."] {
            assert!(find(text, a).is_empty(), "{text}: {:?}", find(text, a));
        }
        assert_eq!(
            find("Third-quarter results beat forecasts.", Some("2023-02-01")),
            [pair("Third-quarter", Some("2022-07/2022-09"))]
        );
    }

    #[test]
    fn compound_ago_and_days_of_a_relative_month() {
        let a = Some("2023-11-20");
        assert_eq!(find("They met 1 month, 10 days ago.", a), [pair("1 month, 10 days ago", Some("2023-10-10"))]);
        assert_eq!(
            find("Offices close the 4th to the 9th of next month.", a),
            [pair("the 4th to the 9th of next month", Some("2023-12-04/2023-12-09"))]
        );
    }

    #[test]
    fn centuries_and_decade_words() {
        let a = Some("2023-11-20");
        assert_eq!(find("It dates from the 14th century.", a), [pair("the 14th century", Some("1300/1399"))]);
        assert_eq!(find("Born in the twentieth century.", a), [pair("the twentieth century", Some("1900/1999"))]);
        assert_eq!(find("Rates were high in the nineties.", a), [pair("the nineties", Some("1990/1999"))]);
        assert!(find("Both are in their fifties.", a).is_empty());
        assert_eq!(find("Sales of 2007 and 2009 fell.", a), [pair("2007", Some("2007")), pair("2009", Some("2009"))]);
    }

    #[test]
    fn dates_joined_by_range_words_become_one_range() {
        let a = Some("2023-03-15");
        assert_eq!(
            find("The show ran from March 3 to April 5, 2021.", a),
            [pair("from March 3 to April 5, 2021", Some("2021-03-03/2021-04-05"))]
        );
        assert_eq!(
            find("He served between 2015 and June 2018.", a),
            [pair("between 2015 and June 2018", Some("2015/2018-06"))]
        );
        assert_eq!(find("The plan covers 2014 to 2018.", a), [pair("2014 to 2018", Some("2014/2018"))]);
        assert!(find("Is this a valid date? 2015-32", a).is_empty());
    }

    #[test]
    fn undated_articles_take_the_year_of_a_well_known_event() {
        let r = recognizer();
        let text = "Russian air strikes in Syria began in the autumn. On December 12th the talks failed.";
        let out = r.find(text, &CharMap::new(text), None);
        assert_eq!(out[0].resolved.as_deref(), Some("2015-12-12"));
        assert!(out[0].inferred);
    }

    #[test]
    fn vague_phrases_stay_unresolved() {
        let a = Some("2023-03-15");
        for (text, surface) in [
            ("It started several years ago.", "several years ago"),
            ("They moved a few months ago.", "a few months ago"),
            ("Fighting grew in recent weeks.", "recent weeks"),
            ("Prices rose over the past month.", "the past month"),
            ("Talks stalled in the last few days.", "the last few days"),
        ] {
            assert_eq!(find(text, a), [pair(surface, None)], "{text}");
        }
    }

    #[test]
    fn any_cut_of_messy_text_is_safe() {
        let text = "Ünd Dec.11th, 2024 — “last summer” ٣ 10:30 12/11/2024 1980–88 the ’80s Mon, Feb 29 2023";
        for (i, _) in text.char_indices() {
            let _ = find(&text[i..], Some("2024-02-29"));
            let _ = find(&text[..i], None);
        }
    }

    #[test]
    fn non_dates_are_skipped() {
        for text in [
            "He will march on.",
            "We may go now.",
            "It lasted 10 years.",
            "Currently it is calm.",
            "He is in his 80s.",
            "sold 2000 tanks",
        ] {
            assert!(find(text, Some("2023-03-15")).is_empty(), "{text}: {:?}", find(text, Some("2023-03-15")));
        }
    }
}
