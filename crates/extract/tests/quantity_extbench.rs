//! Runs the quantity recognizer (and the number reader under it) over the extbench
//! recognizer cases for numbers, currency, dimensions and ages, when `../shared` is present.
//!
//! A case passes when every expected entity is found by an overlapping prediction with the
//! expected value and no prediction falls outside both the expected and the ignored spans.
//! The floors sit just under the measured rates so that regressions fail.

use crosscheck_extract::quantity::{numbers::find_numbers, QuantityRecognizer};
use crosscheck_text::CharMap;
use serde_json::Value;
use std::path::PathBuf;

fn bench_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/extbench/recognizers");
    dir.is_dir().then_some(dir)
}

fn cases(name: &str) -> Option<Vec<Value>> {
    let path = bench_dir()?.join(name);
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect())
}

/// A prediction: char span plus (amount in the bench's unit, unit name as the bench spells it).
struct Pred {
    start: usize,
    end: usize,
    amount: f64,
    unit: String,
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

fn span_of(v: &Value) -> (usize, usize) {
    (v["start"].as_u64().unwrap_or(0) as usize, v["end"].as_u64().unwrap_or(0) as usize)
}

/// Our unit for a bench unit name, and the factor from the bench amount to our value.
fn our_unit(bench_unit: &str, iso: Option<&str>) -> Option<(&'static str, f64)> {
    if let Some(iso) = iso {
        return Some((Box::leak(iso.to_string().into_boxed_str()), 1.0));
    }
    Some(match bench_unit {
        "Dollar" => ("USD", 1.0),
        // money or weight: the category filter already tells them apart
        "Pound" => ("GBP|lb", 1.0),
        "Cent" => ("USD", 0.01),
        "Kilometer" => ("km", 1.0),
        "Mile" => ("mi", 1.0),
        "Meter" => ("m", 1.0),
        "Kilogram" => ("kg", 1.0),
        "Barrel" => ("barrels", 1.0),
        "Mile per hour" => ("mph", 1.0),
        "Square kilometer" => ("km2", 1.0),
        "Square mile" => ("mi2", 1.0),
        "Hectare" => ("ha", 1.0),
        "Acre" => ("acres", 1.0),
        "Metric ton" => ("t", 1.0),
        "Ton" => ("ton", 1.0),
        "Foot" => ("ft", 1.0),
        "Inch" => ("inches", 1.0),
        "Millimeter" => ("mm", 1.0),
        "Centimeter" => ("cm", 1.0),
        "Gallon" => ("gal", 1.0),
        "Kilometer per hour" => ("km/h", 1.0),
        "Year" => ("years", 1.0),
        "Month" => ("months", 1.0),
        "Week" => ("weeks", 1.0),
        "Day" => ("days", 1.0),
        "Age" => ("years", 1.0),
        "Degree" => ("degrees", 1.0),
        "Bitcoin" => ("BTC", 1.0),
        "Milligram" => ("mg", 1.0),
        "Microgram" => ("μg", 1.0),
        "Canadian dollar" => ("CAD", 1.0),
        _ => return None,
    })
}

/// Runs one file; returns (cases, passed).
fn run(
    name: &str,
    predict: &dyn Fn(&str) -> Vec<Pred>,
    value_ok: &dyn Fn(&Value, &Pred) -> bool,
) -> Option<(usize, usize)> {
    let cases = cases(name)?;
    let mut passed = 0;
    let mut misses = Vec::new();
    for case in &cases {
        let text = case["text"].as_str().unwrap_or("");
        let preds = predict(text);
        let expected = case["expected"].as_array().cloned().unwrap_or_default();
        let ignore = case["ignore"].as_array().cloned().unwrap_or_default();
        let mut used = vec![false; preds.len()];
        let mut ok = true;
        for e in &expected {
            let es = span_of(e);
            let hit = preds
                .iter()
                .enumerate()
                .position(|(i, p)| !used[i] && overlaps((p.start, p.end), es) && value_ok(e, p));
            match hit {
                Some(i) => used[i] = true,
                None => ok = false,
            }
        }
        for (i, p) in preds.iter().enumerate() {
            let covered = expected.iter().chain(ignore.iter()).any(|e| overlaps((p.start, p.end), span_of(e)));
            if !used[i] && !covered {
                ok = false;
            }
        }
        if ok {
            passed += 1;
        } else if misses.len() < misses_shown() {
            let got: Vec<String> =
                preds.iter().map(|p| format!("{}..{} {} {}", p.start, p.end, p.amount, p.unit)).collect();
            misses.push(format!("  {} | {:?}", text.chars().take(90).collect::<String>(), got));
        }
    }
    println!(
        "extbench {name}: {passed}/{} cases pass ({:.1}%)",
        cases.len(),
        100.0 * passed as f64 / cases.len().max(1) as f64
    );
    for m in misses {
        println!("{m}");
    }
    Some((cases.len(), passed))
}

/// Units each bench file annotates; other quantities in its sentences are not its business.
#[derive(Clone, Copy)]
enum Category {
    Currency,
    Dimension,
    Age,
}

const TIME_UNITS: &[&str] = &["seconds", "minutes", "hours", "days", "weeks", "months", "years"];

fn in_category(unit: &str, c: Category) -> bool {
    let base = unit.split('/').next().unwrap_or(unit);
    let money = base.len() == 3 && base.chars().all(|ch| ch.is_ascii_uppercase());
    match c {
        Category::Currency => money,
        Category::Age => TIME_UNITS.contains(&base),
        Category::Dimension => {
            !money && !TIME_UNITS.contains(&base) && !matches!(base, "persons" | "items" | "percent")
        }
    }
}

fn quantity_preds(r: &QuantityRecognizer, text: &str, c: Category) -> Vec<Pred> {
    r.find(text, &CharMap::new(text))
        .into_iter()
        .filter(|q| in_category(&q.unit, c))
        .map(|q| Pred { start: q.span.start, end: q.span.end, amount: q.value, unit: q.unit })
        .collect()
}

fn measure_value_ok(e: &Value, p: &Pred) -> bool {
    let v = &e["value"];
    let amount = v["amount"].as_f64().unwrap_or(f64::NAN);
    let Some((unit, factor)) = our_unit(v["unit"].as_str().unwrap_or(""), v["iso"].as_str()) else {
        return false;
    };
    // a rate ("barrels a day") is right when its amount unit is
    let base = p.unit.split('/').next().unwrap_or(&p.unit);
    let unit_ok = unit.split('|').any(|u| u == p.unit || u == base) || (unit == "mph" && p.unit == "mi/hour");
    unit_ok && close(p.amount, amount * factor)
}

/// How many failing cases to print (`EXTBENCH_MISSES`, default 40).
fn misses_shown() -> usize {
    std::env::var("EXTBENCH_MISSES").ok().and_then(|v| v.parse().ok()).unwrap_or(40)
}

fn rate(r: Option<(usize, usize)>) -> f64 {
    r.map_or(1.0, |(n, k)| k as f64 / n.max(1) as f64)
}

#[test]
fn extbench_numbers_and_measures() {
    if bench_dir().is_none() {
        println!("../shared/extbench absent: skipping");
        return;
    }
    let r = QuantityRecognizer::new().expect("resources compile");
    let numbers = run(
        "number.jsonl",
        &|text: &str| {
            let map = CharMap::new(text);
            find_numbers(text)
                .into_iter()
                .map(|(range, v)| Pred {
                    start: map.char_offset(range.start),
                    end: map.char_offset(range.end),
                    amount: v,
                    unit: String::new(),
                })
                .collect()
        },
        &|e, p| e["value"].as_f64().is_some_and(|v| close(p.amount, v)),
    );
    let currency = run("currency.jsonl", &|t: &str| quantity_preds(&r, t, Category::Currency), &measure_value_ok);
    let dimension = run("dimension.jsonl", &|t: &str| quantity_preds(&r, t, Category::Dimension), &measure_value_ok);
    let age = run("age.jsonl", &|t: &str| quantity_preds(&r, t, Category::Age), &measure_value_ok);
    assert!(rate(numbers) >= FLOOR_NUMBER, "number pass rate fell");
    assert!(rate(currency) >= FLOOR_CURRENCY, "currency pass rate fell");
    assert!(rate(dimension) >= FLOOR_DIMENSION, "dimension pass rate fell");
    assert!(rate(age) >= FLOOR_AGE, "age pass rate fell");
}

const FLOOR_NUMBER: f64 = 0.56;
const FLOOR_CURRENCY: f64 = 0.86;
const FLOOR_DIMENSION: f64 = 0.72;
const FLOOR_AGE: f64 = 0.85;
