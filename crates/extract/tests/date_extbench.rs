//! Runs the date recognizer over the extbench date cases when `../shared` is present. The
//! bench's `duration` entities are checked against the quantity recognizer's time units,
//! because durations are quantities in this project.
//!
//! A case passes when every expected entity is found by an overlapping prediction with an
//! accepted value and no prediction falls outside the expected and ignored spans. Accepted
//! values: any listed resolution; a month or year (ours) equal to the range it covers or to
//! the timex; an inclusive range end. Gold without a value accepts any value. The floor sits
//! just under the measured rate so that regressions fail.

use crosscheck_extract::date::{parse_iso_anchor, DateRecognizer};
use crosscheck_extract::quantity::QuantityRecognizer;
use crosscheck_text::CharMap;
use jiff::civil::Date;
use serde_json::Value;
use std::path::PathBuf;

const FLOOR_DATE: f64 = 0.6;
/// How many failing cases to print (`EXTBENCH_MISSES`, default 40).
fn misses_shown() -> usize {
    std::env::var("EXTBENCH_MISSES").ok().and_then(|v| v.parse().ok()).unwrap_or(40)
}

fn bench_file() -> Option<PathBuf> {
    let f = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/extbench/recognizers/date.jsonl");
    f.is_file().then_some(f)
}

enum Found {
    Date(Option<String>),
    /// A duration in seconds (year = 365 days, month = 30 days, as the bench counts).
    Duration(f64),
}

struct Pred {
    start: usize,
    end: usize,
    found: Found,
}

fn seconds_per(unit: &str) -> Option<f64> {
    Some(match unit {
        "seconds" => 1.0,
        "minutes" => 60.0,
        "hours" => 3600.0,
        "days" => 86400.0,
        "weeks" => 7.0 * 86400.0,
        "months" => 30.0 * 86400.0,
        "years" => 365.0 * 86400.0,
        _ => return None,
    })
}

/// A resolved value of ours as a day range `[start, end)` for comparison.
fn as_day_range(v: &str) -> Option<(Date, Date)> {
    let one = |s: &str| -> Option<(Date, Date)> {
        match s.len() {
            4 => {
                let y: i16 = s.parse().ok()?;
                Some((Date::new(y, 1, 1).ok()?, Date::new(y + 1, 1, 1).ok()?))
            }
            7 => {
                let d: Date = format!("{s}-01").parse().ok()?;
                Some((d, d.checked_add(jiff::Span::new().months(1)).ok()?))
            }
            10 => {
                let d: Date = s.parse().ok()?;
                Some((d, d.tomorrow().ok()?))
            }
            _ => None,
        }
    };
    match v.split_once('/') {
        Some((a, b)) => Some((one(a)?.0, one(b)?.1)),
        None => one(v),
    }
}

fn date_value_ok(e: &Value, ours: &Option<String>) -> bool {
    let values: Vec<&str> =
        e["values"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    if values.is_empty() {
        return true;
    }
    let Some(ours) = ours else {
        return false;
    };
    let timex: Vec<&str> =
        e["timex"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    if values.contains(&ours.as_str()) || timex.contains(&ours.as_str()) {
        return true;
    }
    let Some(our_range) = as_day_range(ours) else {
        return false;
    };
    // where we write "2014/2018" or "2016-11/2017-02", the bench ends the range where the
    // last named unit begins ("2014-01-01/2018-01-01"): the same range, another convention
    let end_unit_start = ours.split_once('/').and_then(|(_, b)| as_day_range(b)).map(|r| r.0);
    values.iter().any(|v| {
        if let Some((a, b)) = v.split_once('/') {
            let (Ok(a), Ok(b)) = (a.parse::<Date>(), b.parse::<Date>()) else {
                return false;
            };
            // exclusive end as the bench writes it, or the inclusive end we write
            our_range == (a, b)
                || b.tomorrow().is_ok_and(|b1| our_range == (a, b1))
                || (our_range.0 == a && end_unit_start == Some(b))
        } else {
            v.parse::<Date>().is_ok_and(|d| d.tomorrow().is_ok_and(|t| our_range == (d, t)))
        }
    })
}

/// Length in days of a bench range with both ends.
fn window_days(e: &Value) -> Option<f64> {
    let (a, b) = e["value"].as_str()?.split_once('/')?;
    let (a, b): (Date, Date) = (a.parse().ok()?, b.parse().ok()?);
    Some(a.until(b).ok()?.get_days() as f64)
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn span_of(v: &Value) -> (usize, usize) {
    (v["start"].as_u64().unwrap_or(0) as usize, v["end"].as_u64().unwrap_or(0) as usize)
}

#[test]
fn extbench_dates() {
    let Some(file) = bench_file() else {
        println!("../shared/extbench absent: skipping");
        return;
    };
    let dates = DateRecognizer::new().expect("resources compile");
    let quantities = QuantityRecognizer::new().expect("resources compile");
    let text = std::fs::read_to_string(file).expect("readable bench file");
    let cases: Vec<Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let (mut passed, mut by_type_ok, mut by_type_n) = (0usize, [0usize; 3], [0usize; 3]);
    let mut misses = Vec::new();
    for case in &cases {
        let text = case["text"].as_str().unwrap_or("");
        let anchor = case["reference"].as_str().and_then(parse_iso_anchor);
        let map = CharMap::new(text);
        let mut preds: Vec<Pred> = dates
            .find(text, &map, anchor)
            .into_iter()
            .map(|d| Pred { start: d.span.start, end: d.span.end, found: Found::Date(d.resolved) })
            .collect();
        for q in quantities.find(text, &map) {
            if let Some(s) = seconds_per(&q.unit) {
                preds.push(Pred { start: q.span.start, end: q.span.end, found: Found::Duration(q.value * s) });
            }
        }
        let expected = case["expected"].as_array().cloned().unwrap_or_default();
        let ignore = case["ignore"].as_array().cloned().unwrap_or_default();
        let mut used = vec![false; preds.len()];
        let mut ok = true;
        for e in &expected {
            let kind = match e["type"].as_str() {
                Some("date") => 0,
                Some("daterange") => 1,
                _ => 2,
            };
            by_type_n[kind] += 1;
            let es = span_of(e);
            let hit = preds.iter().enumerate().position(|(i, p)| {
                !used[i]
                    && overlaps((p.start, p.end), es)
                    && match (&p.found, kind) {
                        (Found::Duration(s), 2) => e["seconds"].as_f64().is_none_or(|g| (g - s).abs() < 1.0),
                        // "the last 3 months": the bench gives the window, we give its length
                        (Found::Duration(s), 1) => {
                            window_days(e).is_some_and(|d| (d - s / 86400.0).abs() <= 1.0 + 0.04 * d)
                        }
                        (Found::Date(v), 0 | 1) => date_value_ok(e, v),
                        _ => false,
                    }
            });
            match hit {
                Some(i) => {
                    used[i] = true;
                    by_type_ok[kind] += 1;
                }
                None => ok = false,
            }
        }
        for (i, p) in preds.iter().enumerate() {
            if !used[i] && !expected.iter().chain(ignore.iter()).any(|e| overlaps((p.start, p.end), span_of(e))) {
                ok = false;
            }
        }
        if ok {
            passed += 1;
        } else if misses.len() < misses_shown() {
            let exp: Vec<String> = expected.iter().map(|e| format!("{}={}", e["text"], e["value"])).collect();
            let got: Vec<String> = preds
                .iter()
                .map(|p| match &p.found {
                    Found::Date(v) => format!("{}..{} {:?}", p.start, p.end, v),
                    Found::Duration(s) => format!("{}..{} {}s", p.start, p.end, s),
                })
                .collect();
            misses.push(format!("  {} [{}] exp {:?} got {:?}", text, case["reference"], exp, got));
        }
    }
    let rate = passed as f64 / cases.len().max(1) as f64;
    println!("extbench date.jsonl: {passed}/{} cases pass ({:.1}%)", cases.len(), 100.0 * rate);
    for (name, k) in [("date", 0), ("daterange", 1), ("duration", 2)] {
        println!("  {name}: {}/{} entities found with an accepted value", by_type_ok[k], by_type_n[k]);
    }
    for m in misses {
        println!("{m}");
    }
    assert!(rate >= FLOOR_DATE, "date pass rate fell to {rate}");
}
