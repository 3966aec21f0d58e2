//! Scoring extractions against gold annotations: precision, recall and F1 per category,
//! with exactly the matching rules of the reference scorer `gold/score.py` (SCHEMA.md).
//!
//! Inputs are plain JSON values, not the model types, so that any tool's extraction JSONL
//! can be scored, and so that a field crosscheck does not emit simply counts as missing.
//! The order of matching matters (matching is greedy and one-to-one, predictions in their
//! given order), so this module keeps the reference's iteration order everywhere.
//! It must not run extraction itself; the binary does that and hands the result over.

use crosscheck_text::{content_words, normalize_key};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

/// The categories in the reference scorer's output order.
pub const CATEGORIES: [&str; 9] =
    ["person", "organization", "location", "entities", "quantities", "dates", "attributions", "events", "duplicates"];

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}:{line}: not JSON: {message}")]
    NotJson { path: String, line: usize, message: String },
    #[error("{path}:{line}: object has no \"id\"")]
    MissingId { path: String, line: usize },
}

/// Reads JSONL text into objects keyed by `id`, in file order (later duplicates replace).
pub fn load_jsonl(path_for_errors: &str, content: &str) -> Result<Vec<(String, Value)>, EvalError> {
    let mut out: Vec<(String, Value)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (n, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let obj: Value = serde_json::from_str(line).map_err(|e| EvalError::NotJson {
            path: path_for_errors.to_string(),
            line: n + 1,
            message: e.to_string(),
        })?;
        let id = match obj.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(v @ Value::Number(_)) => v.to_string(),
            _ => return Err(EvalError::MissingId { path: path_for_errors.to_string(), line: n + 1 }),
        };
        match index.get(&id) {
            Some(&i) => out[i].1 = obj,
            None => {
                index.insert(id.clone(), out.len());
                out.push((id, obj));
            }
        }
    }
    Ok(out)
}

/// Matched and total counts on both sides of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub matched_predicted: usize,
    pub predicted: usize,
    pub matched_gold: usize,
    pub gold: usize,
}

impl Tally {
    fn add(&mut self, hits: usize, predicted: usize, gold: usize) {
        self.matched_predicted += hits;
        self.predicted += predicted;
        self.matched_gold += hits;
        self.gold += gold;
    }

    /// (precision, recall, f1) with the reference's conventions for empty sides.
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.predicted > 0 {
            self.matched_predicted as f64 / self.predicted as f64
        } else if self.gold == 0 {
            1.0
        } else {
            0.0
        };
        let r = if self.gold > 0 { self.matched_gold as f64 / self.gold as f64 } else { 1.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// Scores per category, in [`CATEGORIES`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    pub tallies: Vec<(&'static str, Tally)>,
}

impl Scores {
    pub fn get(&self, category: &str) -> Option<Tally> {
        self.tallies.iter().find(|(c, _)| *c == category).map(|(_, t)| *t)
    }

    /// The table `score.py` prints.
    pub fn to_table(&self) -> String {
        let mut s = format!("{:<14}{:>10}{:>10}{:>10}\n", "category", "precision", "recall", "f1");
        for (cat, t) in &self.tallies {
            let (p, r, f) = t.prf();
            let _ = writeln!(s, "{cat:<14}{p:>10.3}{r:>10.3}{f:>10.3}");
        }
        s
    }

    /// The object `score.py --json` prints: keys in the same order, values rounded to 4 places.
    pub fn to_json(&self) -> String {
        let mut s = String::from("{");
        for (i, (cat, t)) in self.tallies.iter().enumerate() {
            let (p, r, f) = t.prf();
            if i > 0 {
                s.push_str(", ");
            }
            let _ = write!(
                s,
                "\"{cat}\": {{\"precision\": {}, \"recall\": {}, \"f1\": {}}}",
                round4(p),
                round4(r),
                round4(f)
            );
        }
        s.push('}');
        s
    }
}

/// Python's `round(x, 4)` printed as Python prints floats (`1.0`, `0.9231`).
fn round4(x: f64) -> String {
    let formatted = format!("{x:.4}");
    let trimmed = formatted.trim_end_matches('0');
    if trimmed.ends_with('.') {
        format!("{trimmed}0")
    } else {
        trimmed.to_string()
    }
}

/// Python's `str()` of a JSON scalar, for comparing resolved dates as the reference does.
fn python_str(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => n.as_f64().map_or_else(|| n.to_string(), |f| format!("{f:?}")),
        },
        other => other.to_string(),
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

fn norm_value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(v) => normalize_key(&python_str(v)),
    }
}

fn as_number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

fn list<'a>(obj: Option<&'a Value>, key: &str) -> &'a [Value] {
    match obj.and_then(|o| o.get(key)) {
        Some(Value::Array(a)) => a,
        _ => &[],
    }
}

/// One entity on either side: its type and the normalised forms it can match by.
struct EntityForms {
    kind: String,
    forms: HashSet<String>,
    name: String,
}

const GOLD_TYPES: [(&str, &str); 3] =
    [("persons", "person"), ("organizations", "organization"), ("locations", "location")];

fn gold_entities(g: &Value) -> Vec<EntityForms> {
    let aliases = g.get("aliases").and_then(Value::as_object);
    let mut out = Vec::new();
    for (key, kind) in GOLD_TYPES {
        for name in list(Some(g), key) {
            let name = python_str(name);
            let mut forms: HashSet<String> = HashSet::from([normalize_key(&name)]);
            if let Some(Value::Array(a)) = aliases.and_then(|m| m.get(&name)) {
                forms.extend(a.iter().map(|x| normalize_key(&python_str(x))));
            }
            out.push(EntityForms { kind: kind.to_string(), forms, name });
        }
    }
    out
}

fn predicted_entities(p: Option<&Value>) -> Vec<EntityForms> {
    list(p, "entities")
        .iter()
        .map(|e| {
            let mut forms: HashSet<String> = HashSet::from([norm_value(e.get("name"))]);
            forms.extend(list(Some(e), "aliases").iter().map(|a| normalize_key(&python_str(a))));
            forms.remove("");
            let kind = e.get("type").map_or(String::new(), python_str).to_lowercase();
            EntityForms { kind, forms, name: e.get("name").map_or(String::new(), python_str) }
        })
        .collect()
}

/// Greedy one-to-one matching in the reference's order; returns the number of matched pairs.
fn greedy<P, G>(preds: &[P], golds: &[G], matches: impl Fn(&P, &G) -> bool) -> usize {
    let mut used = vec![false; golds.len()];
    let mut hits = 0;
    for p in preds {
        for (i, g) in golds.iter().enumerate() {
            if !used[i] && matches(p, g) {
                used[i] = true;
                hits += 1;
                break;
            }
        }
    }
    hits
}

fn actor_match(predicted: Option<&Value>, gold: Option<&Value>, gold_ents: &[EntityForms]) -> bool {
    if !truthy(gold) {
        return true;
    }
    let a = norm_value(predicted);
    let b = norm_value(gold);
    if a.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    gold_ents.iter().any(|e| normalize_key(&e.name) == b && e.forms.contains(&a))
}

fn source_match(a: Option<&Value>, b: Option<&Value>) -> bool {
    let (a, b) = (norm_value(a), norm_value(b));
    !a.is_empty() && !b.is_empty() && (a == b || b.contains(&a) || a.contains(&b))
}

fn content_match(predicted: Option<&Value>, gold: Option<&Value>) -> bool {
    let gold_words: BTreeSet<String> = content_words(&gold.map_or(String::new(), python_str_or_empty));
    if gold_words.is_empty() {
        return true;
    }
    let pred_words = content_words(&predicted.map_or(String::new(), python_str_or_empty));
    let shared = gold_words.intersection(&pred_words).count();
    shared as f64 >= gold_words.len() as f64 / 2.0
}

fn python_str_or_empty(v: &Value) -> String {
    if v.is_null() {
        String::new()
    } else {
        python_str(v)
    }
}

/// Scores `predicted` against `gold`, over the gold documents (optionally only `ids`).
pub fn score(gold: &[(String, Value)], predicted: &[(String, Value)], ids: Option<&HashSet<String>>) -> Scores {
    let pred_by_id: BTreeMap<&str, &Value> = predicted.iter().map(|(id, v)| (id.as_str(), v)).collect();
    let mut tallies: Vec<(&'static str, Tally)> = CATEGORIES.iter().map(|c| (*c, Tally::default())).collect();
    let mut bump = |cat: &str, hits: usize, np: usize, ng: usize| {
        if let Some((_, t)) = tallies.iter_mut().find(|(c, _)| *c == cat) {
            t.add(hits, np, ng);
        }
    };
    let mut gold_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    let mut pred_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    let pair = |a: &str, b: &str| if a <= b { (a.to_string(), b.to_string()) } else { (b.to_string(), a.to_string()) };

    for (id, g) in gold {
        if ids.is_some_and(|ids| !ids.contains(id)) {
            continue;
        }
        let p = pred_by_id.get(id.as_str()).copied();
        let ge = gold_entities(g);
        let pe = predicted_entities(p);
        for kind in ["person", "organization", "location"] {
            let gs: Vec<&EntityForms> = ge.iter().filter(|e| e.kind == kind).collect();
            let ps: Vec<&EntityForms> = pe.iter().filter(|e| e.kind == kind).collect();
            let h = greedy(&ps, &gs, |a, b| a.kind == b.kind && !a.forms.is_disjoint(&b.forms));
            bump(kind, h, ps.len(), gs.len());
            bump("entities", h, ps.len(), gs.len());
        }

        let (gq, pq) = (list(Some(g), "quantities"), list(p, "quantities"));
        let h = greedy(pq, gq, |a, b| {
            let av = as_number(a.get("value"));
            av.is_some() && av == as_number(b.get("value")) && norm_value(a.get("unit")) == norm_value(b.get("unit"))
        });
        bump("quantities", h, pq.len(), gq.len());

        let (gd, pd) = (list(Some(g), "dates"), list(p, "dates"));
        let h = greedy(pd, gd, |a, b| {
            if truthy(b.get("resolved")) {
                let a_resolved = if truthy(a.get("resolved")) {
                    a.get("resolved").map_or(String::new(), python_str)
                } else {
                    String::new()
                };
                a_resolved == b.get("resolved").map_or(String::new(), python_str)
            } else {
                norm_value(a.get("text")) == norm_value(b.get("text"))
            }
        });
        bump("dates", h, pd.len(), gd.len());

        let (ga, pa) = (list(Some(g), "attributions"), list(p, "attributions"));
        let h = greedy(pa, ga, |a, b| {
            source_match(a.get("source"), b.get("source")) && content_match(a.get("content"), b.get("content"))
        });
        bump("attributions", h, pa.len(), ga.len());

        let (gv, pv) = (list(Some(g), "events"), list(p, "events"));
        let h = greedy(pv, gv, |a, b| {
            norm_value(a.get("type")) == norm_value(b.get("type")) && actor_match(a.get("actor"), b.get("actor"), &ge)
        });
        bump("events", h, pv.len(), gv.len());

        for other in list(Some(g), "duplicates_of") {
            gold_pairs.insert(pair(id, &python_str(other)));
        }
        for other in list(p, "duplicates_of") {
            pred_pairs.insert(pair(id, &python_str(other)));
        }
    }

    let in_scope = |x: &(String, String)| match ids {
        Some(ids) => ids.contains(&x.0) || ids.contains(&x.1),
        None => gold.iter().any(|(id, _)| *id == x.0 || *id == x.1),
    };
    gold_pairs.retain(in_scope);
    pred_pairs.retain(in_scope);
    let hits = gold_pairs.intersection(&pred_pairs).count();
    bump("duplicates", hits, pred_pairs.len(), gold_pairs.len());
    Scores { tallies }
}

#[cfg(test)]
mod tests;
