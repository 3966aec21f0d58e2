//! Reading one number at a token position: numerals ("7,000", "1.5", "250m") and number
//! words ("twenty-five", "a dozen", "four-and-a-half", "one hundred and three"), with scale
//! words. Shared by the quantity and date recognizers.
//!
//! It owns the number-word grammar and rejects numerals that are parts of something else
//! (model names "F-16", times "10:30", phone numbers, ordinals "11th"); it must not decide what
//! is counted (that is the quantity recognizer's job).

use super::lexicon::{data_lines, has_break, WordMap};
use super::tokens::{numeral_value, Kind, Tok};
use crate::ExtractError;

const NUMBERS_FILE: &str = "resources/quantity/numbers.txt";
const NUMBERS_SRC: &str = include_str!("../../../../resources/quantity/numbers.txt");
const SCALES_FILE: &str = "resources/quantity/scales.txt";
const SCALES_SRC: &str = include_str!("../../../../resources/quantity/scales.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Unit,
    Teen,
    Tens,
    Hundred,
    Scale,
    Dozen,
    Frac,
}

/// A number read at a token position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Number {
    pub value: f64,
    /// Token index just after the number (scale words included).
    pub end: usize,
    /// Written in words ("seven") rather than digits.
    pub words: bool,
    /// A scale word or suffix was applied ("1.5 billion", "250m", "two million").
    pub scaled: bool,
    /// The bare word "one" (also a pronoun: "no one", "one of the").
    pub lone_one: bool,
    /// A four-digit numeral without separators in 1800..=2100: maybe a year.
    pub year_like: bool,
    /// The multiplier of the scale word applied (1 when none).
    pub scale: f64,
}

/// Words outside the number lexicon that may start a number: "minus five", "negative one",
/// "half a million", "a dozen" / "an hour and a half".
const LEADING_WORDS: &[&str] = &["minus", "negative", "half", "a", "an"];

#[derive(Debug)]
pub(crate) struct NumberReader {
    words: WordMap<Box<str>, (f64, Class)>,
    scales: WordMap<Box<str>, f64>,
}

impl NumberReader {
    pub fn new() -> Result<Self, ExtractError> {
        let mut words = WordMap::default();
        for (line, text) in data_lines(NUMBERS_SRC) {
            let mut it = text.split_whitespace();
            let (Some(w), Some(v), Some(c)) = (it.next(), it.next(), it.next()) else {
                return Err(ExtractError::Resource {
                    file: NUMBERS_FILE,
                    line,
                    message: "expected `word value class`".into(),
                });
            };
            let v: f64 =
                v.parse().map_err(|e| ExtractError::Resource { file: NUMBERS_FILE, line, message: format!("{e}") })?;
            let c = match c {
                "unit" => Class::Unit,
                "teen" => Class::Teen,
                "tens" => Class::Tens,
                "hundred" => Class::Hundred,
                "scale" => Class::Scale,
                "dozen" => Class::Dozen,
                "frac" => Class::Frac,
                other => {
                    return Err(ExtractError::Resource {
                        file: NUMBERS_FILE,
                        line,
                        message: format!("unknown class {other}"),
                    })
                }
            };
            words.insert(Box::from(w), (v, c));
        }
        let mut scales = WordMap::default();
        for (line, text) in data_lines(SCALES_SRC) {
            let mut it = text.split_whitespace();
            let (Some(w), Some(v)) = (it.next(), it.next()) else {
                return Err(ExtractError::Resource {
                    file: SCALES_FILE,
                    line,
                    message: "expected `form multiplier`".into(),
                });
            };
            let v: f64 =
                v.parse().map_err(|e| ExtractError::Resource { file: SCALES_FILE, line, message: format!("{e}") })?;
            scales.insert(Box::from(w), v);
        }
        Ok(NumberReader { words, scales })
    }

    /// Class and value of a lowercased word, when it is a number word.
    /// Every word a number in words can start with: a number word, or one of
    /// [`LEADING_WORDS`] (`read_words` reads nothing from any other word).
    pub fn leading_words(&self) -> impl Iterator<Item = &str> {
        self.words.keys().map(|k| &**k).chain(LEADING_WORDS.iter().copied())
    }

    pub fn word(&self, w: &str) -> Option<(f64, Class)> {
        self.words.get(w).copied()
    }

    /// Reads a number starting at token `k`. `after_currency` lets a detached "m"/"k"/"b"
    /// count as a scale ("$5 m").
    pub fn read(&self, text: &str, lower: &str, toks: &[Tok], k: usize, after_currency: bool) -> Option<Number> {
        let t = toks.get(k)?;
        match t.kind {
            Kind::Num => self.read_numeral(text, lower, toks, k, after_currency),
            Kind::Word => self.read_words(lower, toks, k),
            Kind::Sym => None,
        }
    }

    fn read_numeral(&self, text: &str, lower: &str, toks: &[Tok], k: usize, after_currency: bool) -> Option<Number> {
        let t = toks[k];
        let surface = &text[t.start..t.end];
        if numeral_is_part_of_something_else(text, toks, k) {
            return None;
        }
        let mut value = numeral_value(surface)?;
        let year_like = surface.len() == 4 && (1800.0..=2100.0).contains(&value);
        let mut end = k + 1;
        let mut scaled = false;
        let mut scale = 1.0;
        // attached suffix: "250m", "3bn" are scales; "11th" is an ordinal; "F16"-like mixes are not numbers
        if let Some(next) = toks.get(end).filter(|n| !n.spaced && n.kind == Kind::Word) {
            let suffix = &lower[next.start..next.end];
            // "1.8m tall": metres, not millions
            let measure = suffix == "m"
                && toks.get(end + 1).is_some_and(|a| {
                    matches!(
                        &lower[a.start..a.end],
                        "tall" | "long" | "high" | "wide" | "deep" | "away" | "thick" | "below" | "above"
                    )
                });
            if let Some(&s) = self.scales.get(suffix).filter(|_| !measure) {
                value *= s;
                scale = s;
                scaled = true;
                end += 1;
            } else if matches!(suffix, "st" | "nd" | "rd" | "th") {
                return None;
            }
            // any other attached word may be a unit ("17km", "200lbs"): the caller decides
        }
        if !scaled {
            if let Some(next) = toks.get(end).filter(|n| n.kind == Kind::Word && !has_break(text, t.end, n.start)) {
                let w = &lower[next.start..next.end];
                let detached_ok = w.len() > 1 || after_currency;
                if let Some(&s) = self.scales.get(w).filter(|_| detached_ok) {
                    value *= s;
                    scale = s;
                    scaled = true;
                    end += 1;
                }
            }
        }
        // "3 million and a half"
        if scaled
            && toks.get(end).is_some_and(|t| &lower[t.start..t.end] == "and")
            && toks.get(end + 1).is_some_and(|t| matches!(&lower[t.start..t.end], "a" | "an"))
            && toks.get(end + 2).is_some_and(|t| &lower[t.start..t.end] == "half")
        {
            value += 0.5 * scale;
            end += 3;
        }
        Some(Number { value, end, words: false, scaled, lone_one: false, year_like: year_like && !scaled, scale })
    }

    fn read_words(&self, lower: &str, toks: &[Tok], k: usize) -> Option<Number> {
        let word_at = |i: usize| -> Option<&str> {
            let t = toks.get(i)?;
            (t.kind == Kind::Word).then(|| &lower[t.start..t.end])
        };
        // next word index, stepping over one attached hyphen ("twenty-five", "four-and-a-half")
        let step = |i: usize| -> usize {
            match toks.get(i + 1) {
                Some(h)
                    if h.kind == Kind::Sym
                        && !h.spaced
                        && &lower[h.start..h.end] == "-"
                        && toks.get(i + 2).is_some_and(|n| !n.spaced) =>
                {
                    i + 2
                }
                _ => i + 1,
            }
        };
        let mut total = 0.0;
        let mut current = 0.0;
        let mut last: Option<Class> = None;
        let mut i = k;
        let mut end = k;
        let mut count = 0usize;
        let mut scaled = false;
        let mut scale = 1.0;
        // "minus five", "negative one"
        if matches!(word_at(k), Some("minus" | "negative")) {
            let n = self.read_words(lower, toks, k + 1)?;
            return Some(Number { value: -n.value, lone_one: false, ..n });
        }
        let first = word_at(k)?;
        // "half a million", "half million"
        if first == "half" {
            let mut n = step(k);
            if matches!(word_at(n), Some("a" | "an")) {
                n = step(n);
            }
            if let Some((s, Class::Scale)) = word_at(n).and_then(|w| self.word(w)) {
                return Some(Number {
                    value: 0.5 * s,
                    end: n + 1,
                    words: true,
                    scaled: true,
                    lone_one: false,
                    year_like: false,
                    scale: s,
                });
            }
            return None;
        }
        if first == "a" || first == "an" {
            let n = step(k);
            match word_at(n).and_then(|w| self.word(w)) {
                Some((_, Class::Hundred | Class::Scale | Class::Dozen)) => {
                    current = 1.0;
                    last = Some(Class::Unit);
                    i = n;
                }
                // "an hour and a half": "an" counts one of the noun before "and a half"
                None if word_at(n + 1) == Some("and")
                    && matches!(word_at(n + 2), Some("a" | "an"))
                    && word_at(n + 3) == Some("half") =>
                {
                    return Some(Number {
                        value: 1.0,
                        end: k + 1,
                        words: true,
                        scaled: false,
                        lone_one: false,
                        year_like: false,
                        scale: 1.0,
                    });
                }
                _ => return None,
            }
        }
        while let Some(w) = word_at(i) {
            if i > k && has_break(lower, toks[i - 1].end, toks[i].start) {
                break;
            }
            if let Some((v, c)) = self.word(w) {
                match c {
                    Class::Unit => {
                        if matches!(last, Some(Class::Unit | Class::Teen)) {
                            break;
                        }
                        current += v;
                    }
                    Class::Teen | Class::Tens => {
                        if matches!(last, Some(Class::Unit | Class::Teen | Class::Tens)) {
                            break;
                        }
                        current += v;
                    }
                    Class::Hundred => {
                        if last.is_none() || matches!(last, Some(Class::Hundred)) {
                            break;
                        }
                        current *= v;
                    }
                    Class::Scale => {
                        if last.is_none() || matches!(last, Some(Class::Scale)) {
                            break;
                        }
                        total += current * v;
                        current = 0.0;
                        scaled = true;
                        scale = v;
                    }
                    Class::Dozen => {
                        if last.is_none() {
                            break;
                        }
                        current *= v;
                    }
                    // "two thirds", "three quarters": a count of a denominator
                    Class::Frac => {
                        if !matches!(last, Some(Class::Unit | Class::Teen | Class::Tens)) || total != 0.0 {
                            break;
                        }
                        // "one third" yes, "one second" no: seconds are not in the list
                        current *= v;
                        last = Some(c);
                        count += 1;
                        end = i + 1;
                        // "three quarters billion"
                        if let Some((s, Class::Scale)) = word_at(i + 1).and_then(|w| self.word(w)) {
                            current *= s;
                            scaled = true;
                            scale = s;
                            end = i + 2;
                        }
                        // "two thirds of a million"
                        if word_at(i + 1) == Some("of") && matches!(word_at(i + 2), Some("a" | "an")) {
                            if let Some((s, Class::Scale)) = word_at(i + 3).and_then(|w| self.word(w)) {
                                current *= s;
                                scaled = true;
                                scale = s;
                                end = i + 4;
                            }
                        }
                        break;
                    }
                }
                last = Some(c);
                count += 1;
                end = i + 1;
                i = step(i);
                continue;
            }
            if w == "and" && last.is_some() {
                // "four and a half", "one hundred and three"
                let a = step(i);
                match word_at(a) {
                    Some("a" | "an") => {
                        let f = step(a);
                        if let Some((v, Class::Frac)) = word_at(f).and_then(|w| self.word(w)) {
                            current += v;
                            last = Some(Class::Frac);
                            end = f + 1;
                            i = step(f);
                            // "one and a half million"
                            if let Some((s, Class::Scale)) = word_at(i).and_then(|w| self.word(w)) {
                                total += current * s;
                                current = 0.0;
                                scaled = true;
                                scale = s;
                                end = i + 1;
                            }
                            break;
                        }
                        break;
                    }
                    // "three and two thirds", "one and one fourth"
                    Some(nw)
                        if matches!(self.word(nw), Some((_, Class::Unit)))
                            && matches!(word_at(step(a)).and_then(|f| self.word(f)), Some((_, Class::Frac))) =>
                    {
                        let (n, _) = self.word(nw)?;
                        let f = step(a);
                        let (v, _) = word_at(f).and_then(|w| self.word(w))?;
                        current += n * v;
                        last = Some(Class::Frac);
                        end = f + 1;
                        break;
                    }
                    Some(nw) if matches!(last, Some(Class::Hundred | Class::Scale)) => {
                        if matches!(self.word(nw), Some((_, Class::Unit | Class::Teen | Class::Tens))) {
                            i = a;
                            continue;
                        }
                        break;
                    }
                    _ => break,
                }
            }
            break;
        }
        last?;
        let lone_one = count == 1 && word_at(k) == Some("one") && end == k + 1;
        // a scale only counts for range inheritance when it ends the number ("two million")
        let scale = if current == 0.0 { scale } else { 1.0 };
        Some(Number { value: total + current, end, words: true, scaled, lone_one, year_like: false, scale })
    }
}

/// Digits glued to letters or other digits in a way that makes them a code, a time, a date
/// or a phone number rather than an amount.
fn numeral_is_part_of_something_else(text: &str, toks: &[Tok], k: usize) -> bool {
    let t = toks[k];
    let sym =
        |i: usize, c: char| toks.get(i).is_some_and(|s| s.kind == Kind::Sym && text[s.start..s.end].starts_with(c));
    if k > 0 && !t.spaced {
        let p = toks[k - 1];
        // "F16", "COVID19"
        if p.kind == Kind::Word && !matches!(&text[p.start..p.end], "US" | "C" | "A") {
            return true;
        }
        // "F-16", "Su-24", "+44", "#3", "/11"
        if p.kind == Kind::Sym {
            let c = &text[p.start..p.end];
            if matches!(c, "+" | "#" | "/" | ":" | "@" | "№") {
                return true;
            }
            if c == "-" && k > 1 && !p.spaced && toks[k - 2].kind == Kind::Word {
                return true;
            }
            // "13.5.2015": a trailing part of a dotted date
            if c == "." && k > 1 && !p.spaced && toks[k - 2].kind == Kind::Num {
                return true;
            }
        }
    }
    if toks.get(k + 1).is_some_and(|n| !n.spaced) {
        let after_is_num = toks.get(k + 2).is_some_and(|a| a.kind == Kind::Num && !a.spaced);
        // "10:30", "12/11/2024", "13.5.2015"
        if after_is_num && (sym(k + 1, ':') || sym(k + 1, '/') || sym(k + 1, '.')) {
            return true;
        }
        // "555-123-4567"
        if after_is_num && sym(k + 1, '-') && sym(k + 3, '-') && toks.get(k + 4).is_some_and(|a| a.kind == Kind::Num) {
            return true;
        }
    }
    // the middle or end of a phone number / ISO date: "123-4567", "2024-12-11"
    if k >= 4
        && !t.spaced
        && sym(k - 1, '-')
        && toks[k - 2].kind == Kind::Num
        && !toks[k - 1].spaced
        && sym(k - 3, '-')
        && toks[k - 4].kind == Kind::Num
    {
        return true;
    }
    false
}

/// Every number in `text` as (byte range, value): the numbers the quantity recognizer starts
/// from, before deciding whether they count something. Exposed for evaluation.
pub fn find_numbers(text: &str) -> Vec<(std::ops::Range<usize>, f64)> {
    let Ok(reader) = NumberReader::new() else {
        return Vec::new();
    };
    reader.scan(text)
}

impl NumberReader {
    pub(crate) fn scan(&self, text: &str) -> Vec<(std::ops::Range<usize>, f64)> {
        let lower = text.to_ascii_lowercase();
        let mut toks = Vec::new();
        super::tokens::tokenize(text, &mut toks);
        let mut out = Vec::new();
        let mut k = 0;
        while k < toks.len() {
            match self.read(text, &lower, &toks, k, false) {
                // the pronoun "one" ("which one", "no one") is not a number
                Some(n) if n.lone_one => k = n.end,
                // "180ml": a measure, not a bare number
                Some(n) if !n.scaled && toks.get(n.end).is_some_and(|t| !t.spaced && t.kind == Kind::Word) => {
                    k = n.end + 1
                }
                Some(n) if n.end > k => {
                    out.push((toks[k].start..toks[n.end - 1].end, n.value));
                    k = n.end;
                }
                _ => k += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::tokens::tokenize;

    fn read(text: &str) -> Option<(f64, String)> {
        let r = NumberReader::new().expect("lexicon");
        let lower = text.to_ascii_lowercase();
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        let n = r.read(text, &lower, &toks, 0, false)?;
        Some((n.value, text[toks[0].start..toks[n.end - 1].end].to_string()))
    }

    #[test]
    fn number_words_compose() {
        assert_eq!(read("twenty-five troops"), Some((25.0, "twenty-five".into())));
        assert_eq!(read("four-and-a-half years"), Some((4.5, "four-and-a-half".into())));
        assert_eq!(read("one hundred and three cars"), Some((103.0, "one hundred and three".into())));
        assert_eq!(read("a dozen eggs"), Some((12.0, "a dozen".into())));
        assert_eq!(read("two million people"), Some((2e6, "two million".into())));
        assert_eq!(read("one and a half million"), Some((1.5e6, "one and a half million".into())));
    }

    #[test]
    fn numerals_take_scales() {
        assert_eq!(read("1.5 billion"), Some((1.5e9, "1.5 billion".into())));
        assert_eq!(read("250m"), Some((2.5e8, "250m".into())));
        assert_eq!(read("3bn dollars"), Some((3e9, "3bn".into())));
        assert_eq!(read("7,000 troops"), Some((7000.0, "7,000".into())));
    }

    #[test]
    fn non_amounts_are_rejected() {
        assert_eq!(read("11th of May"), None);
        assert_eq!(read("10:30 am"), None);
        assert_eq!(read("12/11/2024"), None);
        assert_eq!(read("hundreds of people"), None);
        assert_eq!(read("a car"), None);
    }
}
