//! Quantities: amounts of money, counts of people and things, distances, durations, percents.
//!
//! [`QuantityRecognizer`] owns the reading of an amount (numeral or number words, scale,
//! currency), what it counts (a unit noun from `resources/quantity/units.txt`, a currency, a
//! percent, a rate), ranges and approximation markers. Lexicons are data files compiled once.
//! It must not emit vague amounts without a number ("thousands of fighters"), ordinals, years
//! used as dates, times, phone numbers or day-of-month numbers; dates are `date`'s job, and
//! "two months ago" is left to it.

pub(crate) mod lexicon;
pub mod numbers;
pub(crate) mod tokens;

use crate::ExtractError;
use crosscheck_model::Quantity;
use crosscheck_text::CharMap;
use lexicon::{data_lines, has_break, key_factor, keyed_lines, PhraseMap, WordSet, WordSieve};
use numbers::{Number, NumberReader};
use tokens::{tokenize, Kind, Tok};

const CURRENCIES_FILE: &str = "resources/quantity/currencies.txt";
const CURRENCIES_SRC: &str = include_str!("../../../resources/quantity/currencies.txt");
const UNITS_FILE: &str = "resources/quantity/units.txt";
const UNITS_SRC: &str = include_str!("../../../resources/quantity/units.txt");
const RATES_FILE: &str = "resources/quantity/rates.txt";
const RATES_SRC: &str = include_str!("../../../resources/quantity/rates.txt");
const APPROX_SRC: &str = include_str!("../../../resources/quantity/approximators.txt");
const STOP_SRC: &str = include_str!("../../../resources/quantity/stopwords.txt");
const COLLECTIVES_SRC: &str = include_str!("../../../resources/quantity/collectives.txt");
const LABELS_SRC: &str = include_str!("../../../resources/quantity/labels.txt");
const PERSON_VERBS_SRC: &str = include_str!("../../../resources/quantity/person_verbs.txt");
const MONTHS_FILE: &str = "resources/date/months.txt";
const MONTHS_SRC: &str = include_str!("../../../resources/date/months.txt");
const YEAR_CONTEXT_SRC: &str = include_str!("../../../resources/date/year_context.txt");

/// Units that measure time: "N of them ago" is a date, not a duration.
const TIME_UNITS: &[&str] = &["seconds", "minutes", "hours", "days", "weeks", "months", "years"];
/// Determiners allowed in "80 of its officers".
const OF_DETERMINERS: &[&str] = &["the", "its", "their", "his", "her", "our", "these", "those", "whom", "them"];

/// Words after "N-" that do not make a count of things ("three-time champion").
const NOT_COUNT_COMPOUNDS: &[&str] = &[
    "time",
    "times",
    "fold",
    "way",
    "sided",
    "odd",
    "off",
    "thirds",
    "quarters",
    "state",
    "stroke",
    "class",
    "caliber",
    "calibre",
    "style",
    "star",
    "speed",
    "digit",
    "dimensional",
    "wheel",
    "door",
    "lane",
    "tier",
    "track",
    "ply",
];
/// Capitalised words that may stand before an amount without naming a model.
const WEEKDAYS: &[&str] =
    &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday"];
/// Words that may stand between a number and a measure ("four more days").
const MEASURE_MODIFIERS: &[&str] = &[
    "more",
    "additional",
    "further",
    "extra",
    "other",
    "consecutive",
    "straight",
    "full",
    "whole",
    "long",
    "successive",
];
static PERSONS: Unit = Unit { name: "persons", factor: 1.0 };
static ITEMS: Unit = Unit { name: "items", factor: 1.0 };
static CELSIUS: Unit = Unit { name: "celsius", factor: 1.0 };
static FAHRENHEIT: Unit = Unit { name: "fahrenheit", factor: 1.0 };
/// Any unit a bare number must not inherit.
static OTHER: Unit = Unit { name: "other", factor: 1.0 };

#[derive(Debug, Clone, Copy)]
struct Currency {
    iso: &'static str,
    factor: f64,
    /// Written as the alphabetic ISO code: only counts in capitals ("TRY", not "try").
    code: bool,
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    name: &'static str,
    factor: f64,
}

/// One end of an amount: optional currency prefix plus a number.
#[derive(Debug, Clone, Copy)]
struct Amount {
    start_tok: usize,
    end_tok: usize,
    currency: Option<Currency>,
    num: Number,
}

/// What an amount counts, found after it.
#[derive(Debug, Clone)]
struct Counted {
    unit: String,
    factor: f64,
    /// Token index after the surface the span should include (the amount's end if the unit
    /// noun is not next to it).
    span_end_tok: usize,
    /// Token index after the unit phrase (for "about" and rates).
    unit_end_tok: usize,
    /// Tokens naming what is counted.
    about: Option<(usize, usize)>,
    /// The unit came from the lexicon right after the number (or a hyphen compound).
    adjacent: bool,
    rule: &'static str,
}

pub struct QuantityRecognizer {
    numbers: NumberReader,
    currency_prefix: PhraseMap<Currency>,
    currency_words: PhraseMap<Currency>,
    units: PhraseMap<Unit>,
    rates: PhraseMap<&'static str>,
    approx: PhraseMap<()>,
    stop: WordSet<&'static str>,
    collectives: PhraseMap<()>,
    person_verbs: WordSet<&'static str>,
    labels: WordSet<&'static str>,
    months: WordSet<&'static str>,
    year_context: WordSet<&'static str>,
    /// Words and symbols an amount can start with besides a numeral: a currency prefix's
    /// first token, a number word. Every other token is skipped without reading.
    amount_heads: WordSieve,
    scratch: ScratchPool,
}

/// Per-thread buffers of [`QuantityRecognizer::find`], kept between documents.
#[derive(Default)]
struct Scratch {
    /// The text, ASCII-lowercased (same byte offsets).
    lower: String,
    toks: Vec<Tok>,
}

type ScratchPool = regex_automata::util::pool::Pool<Scratch, fn() -> Scratch>;

impl QuantityRecognizer {
    pub fn new() -> Result<Self, ExtractError> {
        let mut currency_prefix = PhraseMap::new();
        let mut currency_words = PhraseMap::new();
        for (line, key, forms) in keyed_lines(CURRENCIES_FILE, CURRENCIES_SRC)? {
            let (iso, factor) = key_factor(CURRENCIES_FILE, line, key)?;
            let iso: &'static str = Box::leak(iso.into_boxed_str());
            for form in forms {
                if let Some(prefix_only) = form.strip_prefix('>') {
                    currency_prefix.insert(prefix_only, Currency { iso, factor, code: false });
                    continue;
                }
                let code = form.eq_ignore_ascii_case(iso) && form.chars().all(|c| c.is_ascii_alphabetic());
                let symbolic = !form.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '.');
                let cur = Currency { iso, factor, code };
                if code || symbolic {
                    currency_prefix.insert(form, cur);
                }
                // symbols after the amount too ("5 €", "100,000 ₭"), except the dollar sign
                if !symbolic || !form.contains('$') {
                    currency_words.insert(form, cur);
                }
            }
        }
        let mut units = PhraseMap::new();
        for (line, key, forms) in keyed_lines(UNITS_FILE, UNITS_SRC)? {
            let (name, factor) = key_factor(UNITS_FILE, line, key)?;
            let name: &'static str = Box::leak(name.into_boxed_str());
            for form in forms {
                units.insert(form, Unit { name, factor });
            }
        }
        let mut rates = PhraseMap::new();
        for (_, key, forms) in keyed_lines(RATES_FILE, RATES_SRC)? {
            for form in forms {
                rates.insert(form, key);
            }
        }
        let mut approx = PhraseMap::new();
        for (_, phrase) in data_lines(APPROX_SRC) {
            approx.insert(phrase, ());
        }
        let stop = data_lines(STOP_SRC).map(|(_, w)| w).collect();
        let mut collectives = PhraseMap::new();
        for (_, phrase) in data_lines(COLLECTIVES_SRC) {
            collectives.insert(phrase, ());
        }
        let labels = data_lines(LABELS_SRC).map(|(_, w)| w).collect();
        let person_verbs = data_lines(PERSON_VERBS_SRC).map(|(_, w)| w).collect();
        let mut months = WordSet::default();
        for (_, _, forms) in keyed_lines(MONTHS_FILE, MONTHS_SRC)? {
            months.extend(forms);
        }
        let year_context = data_lines(YEAR_CONTEXT_SRC).map(|(_, w)| w).collect();
        let numbers = NumberReader::new()?;
        let amount_heads = WordSieve::new(currency_prefix.first_words().chain(numbers.leading_words()));
        Ok(QuantityRecognizer {
            numbers,
            amount_heads,
            currency_prefix,
            currency_words,
            units,
            rates,
            approx,
            stop,
            collectives,
            person_verbs,
            labels,
            months,
            year_context,
            scratch: ScratchPool::new(Scratch::default),
        })
    }

    /// Every quantity in `text`, spans converted through `map`.
    pub fn find(&self, text: &str, map: &CharMap) -> Vec<Quantity> {
        let mut scratch = self.scratch.get();
        let Scratch { lower, toks } = &mut *scratch;
        // ASCII lowercasing keeps every byte offset, so token ranges index both strings.
        lower.clear();
        lower.push_str(text);
        lower.make_ascii_lowercase();
        tokenize(text, toks);
        let (lower, toks) = (lower.as_str(), toks.as_slice());
        let mut out: Vec<Quantity> = Vec::new();
        let mut i = 0;
        let mut prev: Option<(usize, usize)> = None;
        while i < toks.len() {
            // `read_amount` starts with a numeral, a currency prefix or a number word
            if toks[i].kind != Kind::Num && !self.amount_heads.contains(&lower[toks[i].start..toks[i].end]) {
                i += 1;
                continue;
            }
            let before = out.len();
            let prev_unit = prev.and_then(|(end, n)| Some((end, out.get(n)?.unit.as_str())));
            let prev_unit = prev_unit.map(|(end, u)| {
                (
                    end,
                    if u == "persons" {
                        &PERSONS
                    } else if u == "items" {
                        &ITEMS
                    } else {
                        &OTHER
                    },
                )
            });
            i = match self.match_at(text, lower, toks, (i, prev_unit), map, &mut out) {
                Some(next) => next.max(i + 1),
                None => i + 1,
            };
            if out.len() > before {
                prev = Some((i, out.len() - 1));
            }
        }
        out
    }

    /// Tries to read a quantity (or a range of two) starting at token `i`; pushes what it
    /// finds and returns the token index to continue from.
    fn match_at(
        &self,
        text: &str,
        lower: &str,
        toks: &[Tok],
        (i, prev): (usize, Option<(usize, &'static Unit)>),
        map: &CharMap,
        out: &mut Vec<Quantity>,
    ) -> Option<usize> {
        let first = self.read_amount(text, lower, toks, i)?;
        if first.currency.is_none() && i > 0 && !has_break(text, toks[i - 1].end, toks[i].start) {
            let p = &toks[i - 1];
            // "type 2 diabetes", "Article 5"; "Thunderbolt 3", "iPhone 11" (a capitalised
            // word inside a sentence right before a numeral names a model); "400 737 jets"
            let label = word(lower, p).is_some_and(|w| self.labels.contains(w));
            let model = p.kind == Kind::Word
                && !first.num.words
                && text[p.start..p.end].starts_with(|c: char| c.is_uppercase())
                && i >= 2
                && !(toks[i - 2].kind == Kind::Sym
                    && matches!(&text[toks[i - 2].start..toks[i - 2].end], "." | "!" | "?" | "\u{201c}" | "\"" | ":"))
                && !has_break(text, toks[i - 2].end, p.start)
                && !self.months.contains(&lower[p.start..p.end])
                && !WEEKDAYS.contains(&&lower[p.start..p.end])
                && !self.stop.contains(&lower[p.start..p.end])
                && self.approx.match_before(lower, toks, i).is_none();
            let after_number = p.kind == Kind::Num && toks[i].spaced;
            if label || model || after_number {
                return Some(first.end_tok);
            }
        }
        let mut k = first.end_tok;
        let mut second = None;
        if let Some(after) = self.range_connector(text, lower, toks, k, first.start_tok) {
            if let Some(b) = self.read_amount(text, lower, toks, after) {
                k = b.end_tok;
                second = Some(b);
            }
        }
        let last = second.unwrap_or(first);
        let counted = self
            .counted(text, lower, toks, k, &last, (first.start_tok, second.is_some()))
            .or_else(|| second.is_none().then(|| self.elliptic(text, lower, toks, &first, prev)).flatten());
        let Some(counted) = counted else {
            return Some(last.end_tok);
        };
        if !self.plausible(text, lower, toks, &first, second.as_ref(), &counted) {
            return Some(last.end_tok);
        }
        let approximate = self.approx.match_before(lower, toks, first.start_tok).is_some();
        let about = counted.about.map(|(a, b)| text[toks[a].start..toks[b - 1].end].to_string());
        let currency = last.currency.or(first.currency);
        let mut emit = |amount: &Amount, span_end_tok: usize, value: f64| {
            let start = toks[amount.start_tok].start;
            let end = toks[span_end_tok - 1].end;
            out.push(Quantity {
                text: text[start..end].to_string(),
                value,
                unit: counted.unit.clone(),
                about: about.clone(),
                approximate,
                span: map.span(start, end),
                rule: counted.rule.to_string(),
            });
        };
        let factor = counted.factor * currency.map_or(1.0, |c| c.factor);
        // "two hours and a half", "an hour and a half"
        let is_measure =
            currency.is_none() && !matches!(counted.unit.as_str(), "persons" | "items") && counted.adjacent;
        let u = counted.unit_end_tok;
        let and_a_half = is_measure
            && second.is_none()
            && toks.get(u).and_then(|t| word(lower, t)) == Some("and")
            && toks.get(u + 1).and_then(|t| word(lower, t)).is_some_and(|w| w == "a" || w == "an")
            && toks.get(u + 2).and_then(|t| word(lower, t)) == Some("half");
        if and_a_half {
            emit(&first, u + 3, clean((first.num.value + 0.5) * factor));
            return Some(u + 3);
        }
        if let Some(b) = second {
            // "$20-$30 billion": the second end's scale applies to an unscaled, smaller first end
            let mut a_value = first.num.value;
            if !first.num.scaled && b.num.scaled && first.num.value < b.num.value / b.num.scale {
                a_value *= b.num.scale;
            }
            emit(&first, first.end_tok, clean(a_value * factor));
            emit(&b, counted.span_end_tok.max(b.end_tok), clean(b.num.value * factor));
        } else if let Some((cents, end)) = (counted.rule == "quantity-money" && factor == 1.0)
            .then(|| self.subunit(text, lower, toks, counted.span_end_tok.max(first.end_tok)))
            .flatten()
        {
            // "thirteen dollars and forty-five cents", "17 USD 25"
            emit(&first, end, clean(first.num.value + cents));
            return Some(end);
        } else {
            emit(&first, counted.span_end_tok.max(first.end_tok), clean(first.num.value * factor));
        }
        // "212 of the party's 368 members": the whole is a quantity of its own
        if counted.rule == "quantity-of" {
            return Some(counted.span_end_tok.max(last.end_tok));
        }
        Some(counted.unit_end_tok.max(last.end_tok))
    }

    /// A currency prefix (optional) and a number at token `i`.
    fn read_amount(&self, text: &str, lower: &str, toks: &[Tok], i: usize) -> Option<Amount> {
        let (currency, j) = match self.currency_prefix.match_at(lower, toks, i) {
            Some((j, c)) if !c.code || is_upper(text, &toks[i]) => (Some(*c), j),
            _ => (None, i),
        };
        if currency.is_some() && (toks.get(j)?.kind != Kind::Num || has_break(text, toks[j - 1].end, toks[j].start)) {
            return None;
        }
        let num = self.numbers.read(text, lower, toks, j, currency.is_some())?;
        Some(Amount { start_tok: i, end_tok: num.end, currency, num })
    }

    /// Token index of the second end of a range ("-", "to", "or", "and" after "between").
    fn range_connector(&self, text: &str, lower: &str, toks: &[Tok], k: usize, first_start: usize) -> Option<usize> {
        let t = toks.get(k)?;
        if has_break(text, toks[k - 1].end, t.start) {
            return None;
        }
        let w = &lower[t.start..t.end];
        let ok = match t.kind {
            Kind::Sym => matches!(w, "-" | "\u{2013}" | "\u{2014}"),
            Kind::Word => match w {
                "to" | "or" | "through" => true,
                "and" => first_start > 0 && word(lower, &toks[first_start - 1]) == Some("between"),
                _ => false,
            },
            Kind::Num => false,
        };
        ok.then_some(k + 1)
    }

    /// What the amount ending at token `k` counts.
    fn counted(
        &self,
        text: &str,
        lower: &str,
        toks: &[Tok],
        k: usize,
        amount: &Amount,
        (range_start, ranged): (usize, bool),
    ) -> Option<Counted> {
        let next = toks.get(k).filter(|t| !has_break(text, toks[k - 1].end, t.start));
        let mut found = None;
        if let Some(c) = amount.currency {
            found = Some(Counted {
                unit: c.iso.to_string(),
                factor: 1.0,
                span_end_tok: k,
                unit_end_tok: k,
                about: None,
                adjacent: true,
                rule: "quantity-money",
            });
        } else if let Some((end, c)) = next.and_then(|_| self.currency_words.match_at(lower, toks, k)) {
            // a symbol right before another numeral belongs to that one ("5 $10")
            let prefixes_next = toks.get(end).is_some_and(|t| t.kind == Kind::Num)
                && !lower[toks[k].start..toks[k].end].starts_with(|c: char| c.is_alphabetic());
            if (!c.code || is_upper(text, &toks[k])) && !prefixes_next {
                found = Some(Counted {
                    unit: c.iso.to_string(),
                    factor: c.factor,
                    span_end_tok: end,
                    unit_end_tok: end,
                    about: None,
                    adjacent: true,
                    rule: "quantity-money",
                });
            }
        }
        if found.is_none() {
            found = self.counted_noun(text, lower, toks, k, amount);
        }
        // "killed at least 12", "arrested 30", "the death toll rose to 45": people
        if found.is_none() && amount.currency.is_none() && !amount.num.year_like && !amount.num.lone_one {
            let mut before = range_start;
            if let Some((from, _)) = self.approx.match_before(lower, toks, before) {
                before = from;
            }
            let verb = before > 0
                && !has_break(text, toks[before - 1].end, toks[range_start].start)
                && word(lower, &toks[before - 1]).is_some_and(|w| self.person_verbs.contains(w));
            // a collective noun up to four words back: "the death toll rose to 45"
            let collective = !verb
                && (1..=4).any(|back| {
                    before.checked_sub(back).is_some_and(|end| {
                        end > 0
                            && self.collectives.match_before(lower, toks, end).is_some()
                            && toks[end..before].iter().all(|t| t.kind == Kind::Word)
                            && (end..before).all(|i| self.units.match_at(lower, toks, i).is_none())
                    })
                });
            let ends_clause = toks
                .get(k)
                .is_none_or(|t| t.kind == Kind::Sym || word(lower, t).is_some_and(|w| self.stop.contains(w)));
            if (verb || collective) && ends_clause {
                found = Some(Counted {
                    unit: "persons".to_string(),
                    factor: 1.0,
                    span_end_tok: k,
                    unit_end_tok: k,
                    about: None,
                    adjacent: false,
                    rule: if verb { "quantity-verb" } else { "quantity-collective" },
                });
            }
        }
        // "aged 45", "at age 87": years of age
        if found.is_none()
            && range_start > 0
            && word(lower, &toks[range_start - 1]).is_some_and(|w| matches!(w, "age" | "aged"))
        {
            found = Some(Counted {
                unit: "years".to_string(),
                factor: 1.0,
                span_end_tok: k,
                unit_end_tok: k,
                about: None,
                adjacent: true,
                rule: "quantity-age",
            });
        }
        if found.is_none() {
            found = self.counted_before(text, lower, toks, range_start, k, ranged);
        }
        let mut counted = found?;
        // "N years ago" is a date
        if TIME_UNITS.contains(&counted.unit.as_str()) {
            if let Some(w) = toks.get(counted.unit_end_tok).and_then(|t| word(lower, t)) {
                if w == "ago" {
                    return None;
                }
            }
        }
        // rates: "barrels a day", "$5 billion a year"
        if let Some((end, period)) = toks
            .get(counted.unit_end_tok)
            .filter(|t| !has_break(text, toks[counted.unit_end_tok - 1].end, t.start))
            .and_then(|_| self.rates.match_at(lower, toks, counted.unit_end_tok))
        {
            counted.unit = format!("{}/{}", counted.unit, period);
            counted.unit_end_tok = end;
            if counted.span_end_tok + 1 >= end - 1 || counted.adjacent {
                counted.span_end_tok = end;
            }
        } else if let Some(period) = self.rate_after_aside(text, lower, toks, counted.unit_end_tok) {
            // "1.8 trillion tugriks (about $520 million) a year": the rate covers both
            counted.unit = format!("{}/{}", counted.unit, period);
        }
        if counted.about.is_none() || counted.rule == "quantity-money" {
            counted.about = self.about_phrase(text, lower, toks, counted.unit_end_tok).or(counted.about);
        }
        Some(counted)
    }

    /// A unit noun (or `percent`, or a measure) after the amount ending at token `k`.
    fn counted_noun(&self, text: &str, lower: &str, toks: &[Tok], k: usize, amount: &Amount) -> Option<Counted> {
        let t = toks.get(k)?;
        if has_break(text, toks[k - 1].end, t.start) {
            return None;
        }
        let unit =
            |u: &Unit, span_end: usize, about: Option<(usize, usize)>, adjacent: bool, rule: &'static str| Counted {
                unit: u.name.to_string(),
                factor: u.factor,
                span_end_tok: span_end,
                unit_end_tok: span_end,
                about,
                adjacent,
                rule,
            };
        // "13-year", "three-minute", "five-year-old"
        if t.kind == Kind::Sym && !t.spaced && &lower[t.start..t.end] == "-" {
            let n = toks.get(k + 1).filter(|n| !n.spaced && n.kind == Kind::Word)?;
            // "a 2,000-strong force": people
            if &lower[n.start..n.end] == "strong" && !amount.num.lone_one {
                return Some(unit(&PERSONS, k + 2, None, true, "quantity-compound"));
            }
            let Some((end, u)) = self.units.match_at(lower, toks, k + 1) else {
                // "76-seat chamber", "three-storey wing": a count of the things named
                let w = &lower[n.start..n.end];
                let glued_on = toks.get(k + 2).is_some_and(|h| !h.spaced && h.kind != Kind::Word);
                if amount.num.lone_one
                    || amount.num.year_like
                    || glued_on
                    || w.len() < 3
                    || !text[n.start..n.end].starts_with(|c: char| c.is_ascii_lowercase())
                    || self.stop.contains(w)
                    || NOT_COUNT_COMPOUNDS.contains(&w)
                    || self.numbers.word(w).is_some()
                {
                    return None;
                }
                return Some(Counted {
                    about: Some((k + 1, k + 2)),
                    ..unit(&ITEMS, k + 2, None, true, "quantity-compound")
                });
            };
            // "the Six-Day War" names an event
            if text[n.start..n.end].starts_with(|c: char| c.is_uppercase()) {
                return None;
            }
            let mut c = unit(u, end, None, true, "quantity-compound");
            if toks.get(end).is_some_and(|h| !h.spaced && &lower[h.start..h.end] == "-")
                && toks.get(end + 1).is_some_and(|o| &lower[o.start..o.end] == "old")
            {
                c.span_end_tok = end + 2;
                c.unit_end_tok = end + 2;
            }
            return Some(c);
        }
        // "44.6C", "104F": a temperature only glued and in capitals
        if !t.spaced && t.kind == Kind::Word && amount.currency.is_none() {
            match &text[t.start..t.end] {
                "C" => return Some(unit(&CELSIUS, k + 1, None, true, "quantity-unit")),
                "F" => return Some(unit(&FAHRENHEIT, k + 1, None, true, "quantity-unit")),
                _ => {}
            }
        }
        if let Some((end, u)) = self.units.match_at(lower, toks, k) {
            if u.name == "persons" || u.name == "items" {
                // "eight member states": the last noun of a compound says what is counted
                let (end, u) = self.compound_head(text, lower, toks, end, u);
                return Some(unit(u, end, Some((k, end)), true, "quantity-unit"));
            }
            return Some(unit(u, end, None, true, "quantity-unit"));
        }
        // "17km" glued to an unknown word ("3D", "5G") is not an amount
        if !t.spaced && t.kind == Kind::Word {
            return None;
        }
        if t.kind != Kind::Word {
            return None;
        }
        let w = &lower[t.start..t.end];
        // "80 of its officers"
        if w == "of" {
            if amount.num.lone_one {
                return None;
            }
            let mut p = k + 1;
            if toks.get(p).and_then(|d| word(lower, d)).is_some_and(|d| OF_DETERMINERS.contains(&d)) {
                p += 1;
            }
            // "of them": people, when the sentence so far names people
            if toks.get(k + 1).and_then(|d| word(lower, d)).is_some_and(|d| matches!(d, "them" | "whom" | "us")) {
                if let Some(u) = self.sentence_noun_before(text, lower, toks, k) {
                    return Some(Counted { span_end_tok: k + 2, ..unit(u, k + 2, None, false, "quantity-of") });
                }
            }
            // "the party's 368 members": a possessive word, then the whole's own number
            if toks.get(p).is_some_and(|t| t.kind == Kind::Word && lower[t.start..t.end].ends_with("'s"))
                || toks.get(p).is_some_and(|t| t.kind == Kind::Word && lower[t.start..t.end].ends_with("\u{2019}s"))
            {
                p += 1;
            }
            if toks.get(p).is_some_and(|t| t.kind == Kind::Num) {
                p += 1;
            }
            if let Some((noun_start, end, u)) = self.noun_within(text, lower, toks, p) {
                return Some(Counted {
                    span_end_tok: k,
                    ..unit(u, end, Some((noun_start, end)), false, "quantity-of")
                });
            }
            let noun = toks.get(p).filter(|n| n.kind == Kind::Word && self.looks_plural_noun(text, lower, n))?;
            let _ = noun;
            return Some(Counted {
                unit: "items".to_string(),
                factor: 1.0,
                span_end_tok: k,
                unit_end_tok: p + 1,
                about: Some((p, p + 1)),
                adjacent: false,
                rule: "quantity-of",
            });
        }
        // "7,000 IRGC members", "15 missile depots"
        if let Some((_, end, u)) = self.noun_within(text, lower, toks, k) {
            return Some(unit(u, end, Some((k, end)), false, "quantity-noun-phrase"));
        }
        // "1,200 who remain": people
        if w == "who" && !amount.num.lone_one {
            return Some(Counted { span_end_tok: k, ..unit(&PERSONS, k, None, false, "quantity-who") });
        }
        // "two Western embassies", "34 league matches": modifiers, then a plural noun
        if !amount.num.lone_one {
            if let Some(end) = self.plural_head_within(text, lower, toks, k) {
                return Some(unit(&ITEMS, end, Some((k, end)), false, "quantity-noun-phrase"));
            }
        }
        // any other plural noun right after the number: a count of things
        if !amount.num.lone_one && self.looks_plural_noun(text, lower, t) {
            return Some(Counted {
                unit: "items".to_string(),
                factor: 1.0,
                span_end_tok: k + 1,
                unit_end_tok: k + 1,
                about: Some((k, k + 1)),
                adjacent: false,
                rule: "quantity-plural-noun",
            });
        }
        None
    }

    /// "cut its troops from 5,000 to 3,000": a bare amount after "from"/"to"/"by" takes the
    /// unit of the count noun right before that preposition.
    fn counted_before(
        &self,
        text: &str,
        lower: &str,
        toks: &[Tok],
        start: usize,
        k: usize,
        ranged: bool,
    ) -> Option<Counted> {
        let prep = toks.get(start.checked_sub(1)?).and_then(|t| word(lower, t))?;
        if !matches!(prep, "from" | "to" | "by" | "of")
            || start < 2
            || has_break(text, toks[start - 2].end, toks[start].start)
        {
            return None;
        }
        // "a crowd of 6,200", "a force of 5,000"
        if prep == "of" {
            let (from, _) = self.collectives.match_before(lower, toks, start - 1)?;
            return Some(Counted {
                unit: "persons".to_string(),
                factor: 1.0,
                span_end_tok: k,
                unit_end_tok: k,
                about: Some((from, start - 1)),
                adjacent: false,
                rule: "quantity-collective",
            });
        }
        // the noun phrase may be one or two words ("its forces", "Iranian troops"); for a
        // range ("cut the number of troops stationed there from 3,000 to 1,200") it may
        // stand further back in the clause
        let reach = if ranged && prep == "from" { 12 } else { 1 };
        let (noun, u) = (1..=reach).find_map(|back| {
            let noun = start.checked_sub(1 + back)?;
            if toks[noun].kind == Kind::Sym
                && matches!(&text[toks[noun].start..toks[noun].end], "." | ";" | "!" | "?" | ":")
            {
                return Some((usize::MAX, None));
            }
            let (end, u) = self.units.match_at(lower, toks, noun)?;
            (back > 1 || end == start - 1).then_some((noun, Some(u)))
        })?;
        let u = u?;
        if u.name != "persons" && u.name != "items" {
            return None;
        }
        Some(Counted {
            unit: u.name.to_string(),
            factor: 1.0,
            span_end_tok: k,
            unit_end_tok: k,
            about: Some((noun, noun + 1)),
            adjacent: false,
            rule: "quantity-noun-before",
        })
    }

    /// Hundredths after a money amount: "and forty-five cents", "50" closing the sentence
    /// ("15 dollars 50"); the fraction and the token after it.
    fn subunit(&self, text: &str, lower: &str, toks: &[Tok], k: usize) -> Option<(f64, usize)> {
        let mut p = k;
        let with_and = toks.get(p).and_then(|t| word(lower, t)) == Some("and");
        if with_and {
            p += 1;
        }
        if toks.get(p).is_none_or(|t| has_break(text, toks[p - 1].end, t.start)) {
            return None;
        }
        let n = self.numbers.read(text, lower, toks, p, false)?;
        if n.scaled || n.value >= 100.0 || n.value.fract() != 0.0 {
            return None;
        }
        let sub_word = toks
            .get(n.end)
            .and_then(|t| word(lower, t))
            .is_some_and(|w| matches!(w, "cent" | "cents" | "pence" | "penny" | "centimes" | "kopecks"));
        if sub_word {
            return Some((n.value / 100.0, n.end + 1));
        }
        let closes = toks
            .get(n.end)
            .is_none_or(|t| t.kind == Kind::Sym && matches!(&text[t.start..t.end], "." | "," | ";" | "!" | "?"));
        (!with_and && closes && !n.words).then_some((n.value / 100.0, n.end))
    }

    /// "killing 23 people and injuring 17", "passed by 52 votes to 17": a bare number close
    /// after a count of people or things, ending its clause, counts the same.
    fn elliptic(
        &self,
        text: &str,
        lower: &str,
        toks: &[Tok],
        a: &Amount,
        prev: Option<(usize, &'static Unit)>,
    ) -> Option<Counted> {
        let (prev_end, u) = prev?;
        if a.currency.is_some() || a.num.lone_one || a.num.year_like || u.name == "other" {
            return None;
        }
        let start = a.start_tok;
        if prev_end > start || start - prev_end > 8 || start == 0 {
            return None;
        }
        if toks[prev_end..start]
            .iter()
            .any(|t| t.kind == Kind::Sym && matches!(&text[t.start..t.end], "." | ";" | "!" | "?" | ":" | "(" | ")"))
            || has_break(text, toks[prev_end.saturating_sub(1)].end, toks[start].start)
        {
            return None;
        }
        let before = word(lower, &toks[start - 1])?;
        if !(matches!(before, "to" | "and" | "or" | "than" | "by") || before.ends_with("ing") || before.ends_with("ed"))
        {
            return None;
        }
        let ends_clause = match toks.get(a.end_tok) {
            None => true,
            Some(t) if has_break(text, toks[a.end_tok - 1].end, t.start) => true,
            Some(t) if t.kind == Kind::Sym => matches!(&text[t.start..t.end], "," | "." | ";" | ":" | ")" | "!" | "?"),
            Some(t) => word(lower, t).is_some_and(|w| {
                matches!(w, "in" | "on" | "at" | "and" | "but" | "while" | "with" | "after" | "before" | "when")
            }),
        };
        ends_clause.then(|| Counted {
            unit: u.name.to_string(),
            factor: 1.0,
            span_end_tok: a.end_tok,
            unit_end_tok: a.end_tok,
            about: None,
            adjacent: false,
            rule: "quantity-elliptic",
        })
    }

    /// A rate phrase after a parenthesis next to the amount: "(about $520 million) a year"
    /// seen from either amount.
    fn rate_after_aside(&self, text: &str, lower: &str, toks: &[Tok], k: usize) -> Option<&'static str> {
        let t = toks.get(k)?;
        let close = match &text[t.start..t.end] {
            ")" => k,
            "(" => (k + 1..toks.len().min(k + 14)).find(|&j| &text[toks[j].start..toks[j].end] == ")")?,
            _ => return None,
        };
        let next = toks.get(close + 1)?;
        if has_break(text, toks[close].end, next.start) {
            return None;
        }
        self.rates.match_at(lower, toks, close + 1).map(|(_, p)| *p)
    }

    /// A unit noun at `p` or after up to three modifier words; (first token, end, unit).
    fn noun_within(&self, text: &str, lower: &str, toks: &[Tok], p: usize) -> Option<(usize, usize, &Unit)> {
        let mut q = p;
        for _ in 0..4 {
            let t = toks.get(q)?;
            if q > 0 && has_break(text, toks[q - 1].end, t.start) {
                return None;
            }
            if let Some((end, u)) = self.units.match_at(lower, toks, q) {
                if u.name == "persons" || u.name == "items" {
                    let (end, u) = self.compound_head(text, lower, toks, end, u);
                    return Some((p, end, u));
                }
                // "four more days": only degree words may stand before a measure
                let all_degree = (p..q).all(|i| word(lower, &toks[i]).is_some_and(|w| MEASURE_MODIFIERS.contains(&w)));
                return (q > p && all_degree).then_some((p, end, u));
            }
            match t.kind {
                Kind::Word => {
                    let w = &lower[t.start..t.end];
                    if self.stop.contains(w) || self.months.contains(w) || self.numbers.word(w).is_some() {
                        return None;
                    }
                    q += 1;
                }
                // "pro-government fighters"
                Kind::Sym if &lower[t.start..t.end] == "-" && !t.spaced => q += 1,
                _ => return None,
            }
        }
        None
    }

    /// After a count noun ending at `end`, a directly following plural noun is the head of a
    /// compound ("member states", "reserve members"); returns the head's end and unit.
    fn compound_head<'u>(
        &'u self,
        text: &str,
        lower: &str,
        toks: &[Tok],
        end: usize,
        u: &'u Unit,
    ) -> (usize, &'u Unit) {
        let Some(next) = toks.get(end).filter(|t| t.spaced && !has_break(text, toks[end - 1].end, t.start)) else {
            return (end, u);
        };
        if let Some((e2, u2)) = self.units.match_at(lower, toks, end) {
            if (u2.name == "persons" || u2.name == "items") && lower[next.start..next.end].ends_with('s') {
                return (e2, u2);
            }
            return (end, u);
        }
        if self.looks_plural_noun(text, lower, next) && !lower[toks[end - 1].start..toks[end - 1].end].ends_with('s') {
            return (end + 1, &ITEMS);
        }
        (end, u)
    }

    /// A plural noun after up to three modifier words (capitalised ones too: "two Western
    /// embassies"); the end of the noun phrase.
    fn plural_head_within(&self, text: &str, lower: &str, toks: &[Tok], p: usize) -> Option<usize> {
        for q in p..p + 4 {
            let t = toks.get(q)?;
            let after_hyphen = q > p && &lower[toks[q - 1].start..toks[q - 1].end] == "-";
            if q > 0
                && (has_break(text, toks[q - 1].end, t.start)
                    || (q > p && !t.spaced && t.kind == Kind::Word && !after_hyphen))
            {
                return None;
            }
            match t.kind {
                Kind::Word => {
                    let w = &lower[t.start..t.end];
                    if self.stop.contains(w) || self.months.contains(w) || self.numbers.word(w).is_some() {
                        return None;
                    }
                    if q > p && self.looks_plural_noun(text, lower, t) {
                        return Some(q + 1);
                    }
                }
                Kind::Sym if &lower[t.start..t.end] == "-" && !t.spaced => {}
                _ => return None,
            }
        }
        None
    }

    /// The kind of count noun (people first) named earlier in the sentence before token `k`.
    fn sentence_noun_before(&self, text: &str, lower: &str, toks: &[Tok], k: usize) -> Option<&'static Unit> {
        let mut found_items = false;
        let mut i = k;
        while i > 0 && k - i < 30 {
            i -= 1;
            let t = &toks[i];
            if t.kind == Kind::Sym && matches!(&text[t.start..t.end], "." | "!" | "?")
                || has_break(text, t.end, toks[i + 1].start)
            {
                break;
            }
            if let Some((_, u)) = self.units.match_at(lower, toks, i) {
                match u.name {
                    "persons" => return Some(&PERSONS),
                    "items" => found_items = true,
                    _ => {}
                }
            }
        }
        found_items.then_some(&ITEMS)
    }

    fn looks_plural_noun(&self, text: &str, lower: &str, t: &Tok) -> bool {
        let w = &lower[t.start..t.end];
        let original = &text[t.start..t.end];
        w.len() >= 4
            && w.is_ascii()
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !w.ends_with("'s")
            && original.starts_with(|c: char| c.is_ascii_lowercase())
            && !self.stop.contains(w)
            && !self.months.contains(w)
    }

    /// "... in direct aid", "... in Syria": a short phrase after the unit, when it follows.
    fn about_phrase(&self, text: &str, lower: &str, toks: &[Tok], k: usize) -> Option<(usize, usize)> {
        let prep = toks.get(k).and_then(|t| word(lower, t))?;
        if !matches!(prep, "in" | "for" | "on" | "of" | "to" | "from" | "at")
            || has_break(text, toks[k - 1].end, toks[k].start)
        {
            return None;
        }
        let mut end = k + 1;
        while end < toks.len() && end < k + 7 {
            let t = &toks[end];
            if has_break(text, toks[end - 1].end, t.start) {
                break;
            }
            match t.kind {
                Kind::Word
                    if !matches!(
                        &lower[t.start..t.end],
                        "and" | "but" | "which" | "that" | "was" | "were" | "is" | "are"
                    ) =>
                {
                    end += 1
                }
                Kind::Sym if &lower[t.start..t.end] == "-" && !t.spaced => end += 1,
                _ => break,
            }
        }
        (end > k + 1).then_some((k + 1, end))
    }

    /// Rejects years used as dates, days of months and pronoun "one".
    fn plausible(
        &self,
        text: &str,
        lower: &str,
        toks: &[Tok],
        first: &Amount,
        second: Option<&Amount>,
        counted: &Counted,
    ) -> bool {
        let prev = first.start_tok.checked_sub(1).and_then(|p| word(lower, &toks[p]));
        // "December 11", "Dec. 11" and "11 December" are dates
        let prev_month = prev.is_some_and(|w| self.months.contains(w))
            || (first.start_tok >= 2
                && toks[first.start_tok - 1].kind == Kind::Sym
                && &text[toks[first.start_tok - 1].start..toks[first.start_tok - 1].end] == "."
                && word(lower, &toks[first.start_tok - 2]).is_some_and(|w| self.months.contains(w)));
        let next_month = toks.get(first.end_tok).and_then(|t| word(lower, t)).is_some_and(|w| self.months.contains(w));
        if first.currency.is_none() && !first.num.words && first.num.value <= 31.0 && (prev_month || next_month) {
            return false;
        }
        for a in std::iter::once(first).chain(second) {
            if a.num.year_like && a.currency.is_none() {
                let dated = prev.is_some_and(|w| self.year_context.contains(w) || self.months.contains(w));
                if dated || !counted.adjacent {
                    return false;
                }
            }
        }
        // "two-thirds of the country" is a share, not a count
        if first.num.words && !first.num.scaled && first.num.value < 1.0 && !counted.adjacent {
            return false;
        }
        if first.num.lone_one && second.is_none() && !(counted.adjacent || counted.rule == "quantity-noun-phrase") {
            return false;
        }
        true
    }
}

/// The lowercased word at a token, if it is a word.
fn word<'a>(lower: &'a str, t: &Tok) -> Option<&'a str> {
    (t.kind == Kind::Word).then(|| &lower[t.start..t.end])
}

fn is_upper(text: &str, t: &Tok) -> bool {
    text[t.start..t.end].chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
}

/// Rounds away float noise from scaling ("1.1 * 1e9").
fn clean(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if (r - r.round()).abs() < 1e-9 {
        r.round()
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_text::slice_chars;

    fn find(text: &str) -> Vec<Quantity> {
        static R: std::sync::OnceLock<QuantityRecognizer> = std::sync::OnceLock::new();
        let r = R.get_or_init(|| QuantityRecognizer::new().expect("resources compile"));
        let q = r.find(text, &CharMap::new(text));
        for x in &q {
            assert_eq!(slice_chars(text, x.span), x.text, "span/text mismatch in {text:?}");
        }
        q
    }

    fn one(text: &str) -> (String, f64, String) {
        let q = find(text);
        assert_eq!(q.len(), 1, "expected one quantity in {text:?}, got {q:?}");
        (q[0].text.clone(), q[0].value, q[0].unit.clone())
    }

    #[test]
    fn money_with_scales_and_codes() {
        assert_eq!(one("The fund lent $1.5 billion to the port."), ("$1.5 billion".into(), 1.5e9, "USD".into()));
        assert_eq!(one("They paid €250m for the club."), ("€250m".into(), 2.5e8, "EUR".into()));
        assert_eq!(one("a budget of 3bn euros"), ("3bn euros".into(), 3e9, "EUR".into()));
        assert_eq!(one("fined 40 million rials"), ("40 million rials".into(), 4e7, "IRR".into()));
        assert_eq!(one("worth US$ 12 million"), ("US$ 12 million".into(), 1.2e7, "USD".into()));
        assert_eq!(one("priced at USD 22.5 million"), ("USD 22.5 million".into(), 2.25e7, "USD".into()));
    }

    #[test]
    fn counts_of_people_and_things() {
        assert_eq!(one("Some 7,000 troops crossed."), ("7,000 troops".into(), 7000.0, "persons".into()));
        assert_eq!(one("It built twelve new bridges."), ("twelve new bridges".into(), 12.0, "items".into()));
        assert_eq!(
            one("with 3,500 Navy reserve members aboard"),
            ("3,500 Navy reserve members".into(), 3500.0, "persons".into())
        );
        let q = find("The army lost 40 of its pilots.");
        assert_eq!((q[0].text.as_str(), q[0].value, q[0].unit.as_str()), ("40", 40.0, "persons"));
        assert_eq!(q[0].about.as_deref(), Some("pilots"));
        assert_eq!(one("He listed five grievances."), ("five grievances".into(), 5.0, "items".into()));
    }

    #[test]
    fn durations_distances_percents_rates() {
        assert_eq!(one("a 13-year conflict"), ("13-year".into(), 13.0, "years".into()));
        assert_eq!(one("for four-and-a-half years"), ("four-and-a-half years".into(), 4.5, "years".into()));
        assert_eq!(one("a road of 40 kilometres"), ("40 kilometres".into(), 40.0, "km".into()));
        assert_eq!(one("inflation hit 12%"), ("12%".into(), 12.0, "percent".into()));
        assert_eq!(one("down 3.5 per cent"), ("3.5 per cent".into(), 3.5, "percent".into()));
        assert_eq!(one("pumping 500,000 barrels a day"), ("500,000 barrels a day".into(), 5e5, "barrels/day".into()));
        assert_eq!(one("it costs $2 billion a year"), ("$2 billion a year".into(), 2e9, "USD/year".into()));
        assert_eq!(one("two decades of rule"), ("two decades".into(), 20.0, "years".into()));
    }

    fn units(text: &str) -> Vec<(f64, String)> {
        find(text).into_iter().map(|q| (q.value, q.unit)).collect()
    }

    #[test]
    fn noun_phrase_heads_decide_what_is_counted() {
        assert_eq!(units("Envoys from two Northern consulates left."), [(2.0, "items".to_string())]);
        assert_eq!(units("Rules differ in nine member states."), [(9.0, "items".to_string())]);
        assert_eq!(units("The 300 who stayed were praised."), [(300.0, "persons".to_string())]);
        assert_eq!(units("It has a 120-seat hall."), [(120.0, "items".to_string())]);
        assert_eq!(units("Heat lasts five more days."), [(5.0, "days".to_string())]);
        assert_eq!(
            units("She won 40 of the club's 52 votes."),
            [(40.0, "items".to_string()), (52.0, "items".to_string())]
        );
        assert_eq!(units("A crowd of 9,500 watched."), [(9500.0, "persons".to_string())]);
        assert_eq!(units("It was 38C at noon."), [(38.0, "celsius".to_string())]);
        assert!(find("Patients with type 2 diabetes and a three-time winner.").is_empty());
        assert!(find("It ships with Thunderbolt 3 ports and fought the Six-Day War.").is_empty());
        assert_eq!(units("Police said Tuesday 40 people were hurt."), [(40.0, "persons".to_string())]);
    }

    #[test]
    fn elliptic_numbers_take_the_unit_of_the_count_before() {
        assert_eq!(
            units("The blast killed 12 people and injured 30, police said."),
            [(12.0, "persons".to_string()), (30.0, "persons".to_string())]
        );
        assert_eq!(
            units("The army cut the number of soldiers posted in the north from 4,000 to 900."),
            [(4000.0, "persons".to_string()), (900.0, "persons".to_string())]
        );
        assert_eq!(units("Flooding hit the villages; three of them were cut off."), [(3.0, "items".to_string())]);
    }

    #[test]
    fn regional_currencies_and_rates_after_an_aside() {
        assert_eq!(one("a grant of A$3.5 million"), ("A$3.5 million".into(), 3.5e6, "AUD".into()));
        assert_eq!(one("costing Rs 200 crore"), ("Rs 200 crore".into(), 2e9, "INR".into()));
        assert_eq!(one("a fee of 40 million kroner"), ("40 million kroner".into(), 4e7, "NOK".into()));
        assert!(find("a $5 fee").iter().all(|q| q.unit == "USD"));
        assert_eq!(
            units("losing 2 billion yen (about $14 million) a day"),
            [(2e9, "JPY/day".to_string()), (1.4e7, "USD/day".to_string())]
        );
    }

    #[test]
    fn cents_halves_trailing_symbols_metres_and_ages() {
        assert_eq!(
            one("it cost nine dollars and fifty cents"),
            ("nine dollars and fifty cents".into(), 9.5, "USD".into())
        );
        assert_eq!(one("a ticket at 12 euros 40."), ("12 euros 40".into(), 12.4, "EUR".into()));
        assert_eq!(one("they raised half a million dollars"), ("half a million dollars".into(), 5e5, "USD".into()));
        assert_eq!(one("tickets cost 35 € each"), ("35 €".into(), 35.0, "EUR".into()));
        assert_eq!(one("the wall is 2.5m high"), ("2.5m".into(), 2.5, "m".into()));
        assert!(find("a budget of 2.5m for roads").iter().all(|q| q.unit != "m"));
        assert_eq!(units("a farmer aged 61 died"), [(61.0, "years".to_string())]);
    }

    #[test]
    fn bare_numbers_after_casualty_verbs_and_tolls_count_people() {
        assert_eq!(units("The blast killed at least 14, medics said."), [(14.0, "persons".to_string())]);
        assert_eq!(units("The death toll rose to 52 on Monday."), [(52.0, "persons".to_string())]);
        assert_eq!(units("A 3,000-strong force moved north."), [(3000.0, "persons".to_string())]);
        assert!(find("Two-thirds of the city lost power.").is_empty());
        assert!(find("The storm killed crops in 2019.").is_empty());
    }

    #[test]
    fn and_a_half_after_a_measure() {
        assert_eq!(one("the talks lasted an hour and a half"), ("an hour and a half".into(), 1.5, "hours".into()));
        assert_eq!(one("after two years and a half"), ("two years and a half".into(), 2.5, "years".into()));
        assert!(find("a car and a half-built house").is_empty());
    }

    #[test]
    fn a_count_noun_before_from_gives_the_unit() {
        let q = find("The army cut its troops from 9,000 to 900 last year.");
        let v: Vec<(f64, &str, &str)> = q.iter().map(|x| (x.value, x.unit.as_str(), x.text.as_str())).collect();
        assert_eq!(v, [(9000.0, "persons", "9,000"), (900.0, "persons", "900")]);
    }

    #[test]
    fn ranges_give_both_ends() {
        let q = find("estimates of $20-$30 billion");
        let v: Vec<(f64, &str)> = q.iter().map(|x| (x.value, x.text.as_str())).collect();
        assert_eq!(v, [(2e10, "$20"), (3e10, "$30 billion")]);
        let q = find("between 5 and 10 people were hurt");
        let v: Vec<(f64, &str)> = q.iter().map(|x| (x.value, x.unit.as_str())).collect();
        assert_eq!(v, [(5.0, "persons"), (10.0, "persons")]);
    }

    #[test]
    fn approximate_markers_keep_the_value() {
        let q = find("nearly 300 soldiers and at least 12 tanks");
        assert_eq!(q.len(), 2);
        assert!(q.iter().all(|x| x.approximate));
        assert_eq!(q[0].value, 300.0);
        assert!(!find("300 soldiers")[0].approximate);
    }

    #[test]
    fn recognizers_are_shareable_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<QuantityRecognizer>();
        shareable::<crate::date::DateRecognizer>();
    }

    #[test]
    fn any_cut_of_messy_text_is_safe() {
        let text = "Über 1,5 € — “$3bn” ٣ 10:30 12/11/2024 £ four-and-a- 7,000 – $20-$ ’s 2015–16 200lbs";
        for (i, _) in text.char_indices() {
            let _ = find(&text[i..]);
            let _ = find(&text[..i]);
        }
    }

    #[test]
    fn non_quantities_are_skipped() {
        for text in [
            "thousands of fighters fled",
            "billions of dollars were spent",
            "dozens of homes burned",
            "the third lieutenant",
            "in 2015 the war grew",
            "on December 11 they met",
            "at 10:30 in the morning",
            "call 555-123-4567 now",
            "one of the officers said",
            "no one came, and they blamed one another",
            "several soldiers and many civilians",
            "the F-16 jets flew",
            "two years ago the city fell",
        ] {
            assert!(find(text).is_empty(), "{text:?} gave {:?}", find(text));
        }
    }
}
