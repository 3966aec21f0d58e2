use super::*;
use serde_json::json;

fn docs(v: Vec<Value>) -> Vec<(String, Value)> {
    v.into_iter().map(|o| (o["id"].as_str().unwrap_or_default().to_string(), o)).collect()
}

fn gold() -> Vec<(String, Value)> {
    docs(vec![json!({
        "id": "a",
        "persons": ["Maria Lopez"],
        "organizations": ["World Health Organization"],
        "locations": ["Peru"],
        "aliases": {"Maria Lopez": ["Lopez"], "World Health Organization": ["WHO"]},
        "attributions": [{"source": "a senior official", "cue": "said", "content": "the clinic will reopen next week"}],
        "quantities": [{"text": "$2 million", "value": 2000000, "unit": "USD"},
                       {"text": "40 nurses", "value": 40, "unit": "persons"}],
        "dates": [{"text": "March 3, 2026", "resolved": "2026-03-03"},
                  {"text": "a few weeks ago", "resolved": null}],
        "events": [{"type": "fund", "actor": "World Health Organization", "target": null, "place": "Peru", "date": null}],
        "duplicates_of": ["b"]
    })])
}

#[test]
fn perfect_prediction_scores_one_everywhere() {
    let pred = docs(vec![json!({
        "id": "a",
        "entities": [
            {"name": "Lopez", "type": "person", "aliases": []},
            {"name": "WHO", "type": "organization", "aliases": ["World Health Organization"]},
            {"name": "Peru", "type": "Location"}
        ],
        "attributions": [{"source": "senior official", "cue": "said", "content": "The clinic will reopen"}],
        "quantities": [{"value": 40.0, "unit": "persons"}, {"value": "2000000", "unit": "USD"}],
        "dates": [{"text": "A few weeks ago", "resolved": null}, {"text": "3 March", "resolved": "2026-03-03"}],
        "events": [{"type": "fund", "actor": "WHO"}],
        "duplicates_of": ["b"]
    })]);
    let s = score(&gold(), &pred, None);
    for cat in CATEGORIES {
        let (p, r, f) = s.get(cat).expect("category").prf();
        assert_eq!((p, r, f), (1.0, 1.0, 1.0), "{cat}");
    }
}

#[test]
fn missing_document_counts_as_empty_and_wrong_items_cost_precision() {
    let pred = docs(vec![json!({"id": "other"})]);
    let s = score(&gold(), &pred, None);
    let (p, r, f) = s.get("entities").expect("entities").prf();
    assert_eq!((p, r, f), (0.0, 0.0, 0.0));

    let pred = docs(vec![json!({
        "id": "a",
        "entities": [{"name": "Peru", "type": "location"}, {"name": "Lima", "type": "location"}],
        "quantities": [{"value": 40, "unit": "items"}]
    })]);
    let s = score(&gold(), &pred, None);
    assert_eq!(s.get("location").expect("loc").prf(), (0.5, 1.0, 2.0 * 0.5 / 1.5));
    assert_eq!(s.get("quantities").expect("q").matched_predicted, 0, "unit must match too");
}

#[test]
fn each_gold_item_matches_at_most_once() {
    let pred = docs(vec![json!({
        "id": "a",
        "entities": [{"name": "Maria Lopez", "type": "person"}, {"name": "Lopez", "type": "person"}]
    })]);
    let t = score(&gold(), &pred, None).get("person").expect("person");
    assert_eq!((t.matched_predicted, t.predicted), (1, 2));
}

#[test]
fn attribution_content_needs_half_the_gold_content_words() {
    let gold_attr = json!("the clinic will reopen next week");
    assert!(content_match(Some(&json!("clinic will reopen")), Some(&gold_attr)));
    assert!(!content_match(Some(&json!("clinic reopen")), Some(&gold_attr)));
}

#[test]
fn json_output_has_reference_keys_in_order_and_python_float_style() {
    let s = score(&gold(), &gold_as_prediction_of_nothing(), None);
    let text = s.to_json();
    let v: Value = serde_json::from_str(&text).expect("valid json");
    assert_eq!(v["duplicates"]["recall"], json!(0.0));
    assert!(text.starts_with("{\"person\": {\"precision\": 0.0, \"recall\": 0.0, \"f1\": 0.0}"), "{text}");
    assert_eq!(round4(2.0 / 3.0), "0.6667");
    assert_eq!(round4(1.0), "1.0");
}

fn gold_as_prediction_of_nothing() -> Vec<(String, Value)> {
    docs(vec![json!({"id": "a", "entities": [{"name": "x", "type": "person"}]})])
}

#[test]
fn table_has_a_row_per_category() {
    let table = score(&gold(), &[], None).to_table();
    assert_eq!(table.lines().count(), 1 + CATEGORIES.len());
    assert!(table.lines().nth(1).is_some_and(|l| l.starts_with("person")));
}

#[test]
fn load_reports_line_numbers_of_bad_json() {
    let err = load_jsonl("g.jsonl", "{\"id\": \"a\"}\n\n{oops\n").expect_err("bad line");
    assert!(err.to_string().starts_with("g.jsonl:3: not JSON"), "{err}");
}
