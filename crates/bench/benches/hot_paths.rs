//! Hot-path benchmarks (divan): word split, sentence split, the per-document text the stages
//! share (`DocText`), gazetteer scan, each extractor, the whole extractor on generated
//! articles, and shingles + MinHash.
//!
//! Every bench first checks what the code under test returns on a fixed invented paragraph
//! (or on generated articles), so a change that is fast because it stopped finding things
//! fails here instead of showing up as a speed-up. Run: `cargo bench -p crosscheck-bench`
//! (one: `cargo bench -p crosscheck-bench -- entities`). Timings are never asserted.

use std::ops::Range;

use crosscheck_bench::gen::story::StoryWriter;
use crosscheck_extract::attribution::AttributionRecognizer;
use crosscheck_extract::date::{parse_iso_anchor, DateRecognizer};
use crosscheck_extract::entity::EntityRecognizer;
use crosscheck_extract::event::EventRecognizer;
use crosscheck_extract::gazetteer::Gazetteer;
use crosscheck_extract::quantity::QuantityRecognizer;
use crosscheck_extract::{DocText, Extractor};
use crosscheck_model::{Document, EntityType, SourceFormat};
use crosscheck_text::CharMap;
use divan::counter::BytesCount;
use divan::{black_box, Bencher};

fn main() {
    divan::main();
}

/// An invented wire paragraph with a known content: 5 sentences; people, organisations and
/// places; counts, money and a measured amount; an absolute and a relative date; a direct
/// quote, a "said" and an "according to"; a killing, an evacuation and arrests.
const PARAGRAPH: &str =
    "PORT CALDER, Canada (Meridian Wire) — At least 14 people were killed and about 2,300 residents \
were evacuated after floods hit Port Calder on Tuesday, March 3, 2026, the Westmarch Civil Protection Agency said. \
\"We have never seen the water rise so quickly,\" said Ingrid Halvorsen, a spokeswoman for the agency. \
According to the National Weather Office, 180 millimetres of rain fell in 36 hours. \
Police arrested two men in Ottawa on Wednesday. \
Interior Minister Tomasz Kowalczyk told reporters the government would spend $12 million on repairs.";

const ANCHOR: &str = "2026-03-04";

fn document(text: &str) -> Document {
    Document {
        id: "bench".into(),
        origin: "bench".into(),
        format: SourceFormat::Text,
        url: None,
        outlet: Some("Meridian Wire".into()),
        date: Some(ANCHOR.into()),
        title: None,
        author: None,
        language: Some("en".into()),
        text: text.into(),
        content_hash: String::new(),
        warnings: Vec::new(),
    }
}

fn sentences_of(text: &str) -> Vec<Range<usize>> {
    crosscheck_text::sentences(text)
}

fn speech_verbs() -> crosscheck_extract::FastSet<String> {
    AttributionRecognizer::new().expect("attribution lexicons load").speech_verbs()
}

fn entity_recognizer() -> EntityRecognizer {
    EntityRecognizer::new(speech_verbs()).expect("entity lexicons load")
}

#[divan::bench]
fn words(bencher: Bencher) {
    let count = || crosscheck_text::words(black_box(PARAGRAPH)).count();
    let found: Vec<&str> = crosscheck_text::words(PARAGRAPH).map(|w| w.text).collect();
    assert!(found.contains(&"Halvorsen") && found.contains(&"2,300") || found.contains(&"2"), "{found:?}");
    assert!((70..=90).contains(&count()), "{} words", count());
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(count);
}

#[divan::bench]
fn sentences(bencher: Bencher) {
    let split = || crosscheck_text::sentences(black_box(PARAGRAPH));
    let found = split();
    assert_eq!(found.len(), 5, "{:?}", found.iter().map(|r| &PARAGRAPH[r.clone()]).collect::<Vec<_>>());
    assert!(PARAGRAPH[found[4].clone()].starts_with("Interior Minister"));
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(split);
}

/// Paragraphs, sentences and the shared word stream (words and runs), built once per
/// document for the entity, attribution and event stages.
#[divan::bench]
fn doc_text(bencher: Bencher) {
    let prepare = || DocText::new(black_box(PARAGRAPH));
    let doc = prepare();
    assert_eq!(doc.sentences, sentences_of(PARAGRAPH));
    assert_eq!(doc.words.words.len(), crosscheck_text::words(PARAGRAPH).count());
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(prepare);
}

/// The gazetteer looked up at the word stream's runs, as extraction does.
#[divan::bench]
fn gazetteer_scan(bencher: Bencher) {
    let gazetteer = Gazetteer::new().expect("gazetteer loads");
    let stream = crosscheck_text::WordStream::new(PARAGRAPH);
    let scan = || gazetteer.find_in(black_box(PARAGRAPH), &stream);
    assert_eq!(scan(), gazetteer.find(PARAGRAPH));
    let surfaces: Vec<&str> = scan().iter().map(|m| &PARAGRAPH[m.start..m.end]).collect();
    assert!(surfaces.contains(&"Canada") && surfaces.contains(&"Ottawa"), "{surfaces:?}");
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(scan);
}

#[divan::bench]
fn entities(bencher: Bencher) {
    let recognizer = entity_recognizer();
    let doc = DocText::new(PARAGRAPH);
    let map = CharMap::new(PARAGRAPH);
    let find = || recognizer.find_in(black_box(&doc), &map);
    let found = find();
    let has = |name: &str, kind: EntityType| found.entities.iter().any(|e| e.name == name && e.kind == kind);
    assert!(has("Ingrid Halvorsen", EntityType::Person), "{:?}", found.entities);
    assert!(has("Tomasz Kowalczyk", EntityType::Person), "{:?}", found.entities);
    assert!(has("Canada", EntityType::Location) && has("Ottawa", EntityType::Location), "{:?}", found.entities);
    assert!(found.entities.iter().any(|e| e.kind == EntityType::Organization && e.name.contains("Westmarch")));
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(find);
}

#[divan::bench]
fn quantities(bencher: Bencher) {
    let recognizer = QuantityRecognizer::new().expect("quantity lexicons load");
    let map = CharMap::new(PARAGRAPH);
    let find = || recognizer.find(black_box(PARAGRAPH), &map);
    let values: Vec<f64> = find().iter().map(|q| q.value).collect();
    for expected in [14.0, 2300.0, 180.0, 12_000_000.0] {
        assert!(values.contains(&expected), "{expected} not in {values:?}");
    }
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(find);
}

#[divan::bench]
fn dates(bencher: Bencher) {
    let recognizer = DateRecognizer::new().expect("date lexicons load");
    let map = CharMap::new(PARAGRAPH);
    let anchor = parse_iso_anchor(ANCHOR);
    let find = || recognizer.find(black_box(PARAGRAPH), &map, anchor);
    let resolved: Vec<Option<String>> = find().into_iter().map(|d| d.resolved).collect();
    assert!(resolved.contains(&Some("2026-03-03".into())), "{resolved:?}");
    assert!(resolved.len() >= 2, "{resolved:?}");
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(find);
}

#[divan::bench]
fn attributions(bencher: Bencher) {
    let recognizer = AttributionRecognizer::new().expect("attribution lexicons load");
    let entities = entity_recognizer();
    let doc = DocText::new(PARAGRAPH);
    let map = CharMap::new(PARAGRAPH);
    let found = entities.find_in(&doc, &map);
    let find = || recognizer.find_in(black_box(&doc), &found, &map);
    let attributions = find();
    let sources: Vec<&str> = attributions.iter().map(|a| a.source.as_str()).collect();
    assert!(attributions.len() >= 3, "{sources:?}");
    assert!(attributions.iter().any(|a| a.source == "Ingrid Halvorsen" && a.direct), "{sources:?}");
    assert!(attributions.iter().any(|a| a.source.contains("National Weather Office")), "{sources:?}");
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(find);
}

#[divan::bench]
fn events(bencher: Bencher) {
    let recognizer = EventRecognizer::new().expect("event lexicons load");
    let attributions = AttributionRecognizer::new().expect("attribution lexicons load");
    let entities = entity_recognizer();
    let doc = DocText::new(PARAGRAPH);
    let map = CharMap::new(PARAGRAPH);
    let found = entities.find_in(&doc, &map);
    let dates = DateRecognizer::new().expect("date lexicons load").find(PARAGRAPH, &map, parse_iso_anchor(ANCHOR));
    let said = attributions.find_in(&doc, &found, &map);
    let find = || recognizer.find_in(black_box(&doc), &found, &dates, &said, &map);
    let kinds: Vec<String> = find().into_iter().map(|e| e.kind).collect();
    for expected in ["kill", "evacuate"] {
        assert!(kinds.iter().any(|k| k == expected), "{expected} not in {kinds:?}");
    }
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(find);
}

/// The whole extractor over generated articles (about 70 KB of text), the work `crosscheck
/// extract` does per document.
#[divan::bench(sample_count = 20)]
fn extract_generated_articles(bencher: Bencher) {
    let writer = StoryWriter::new().expect("generator data parses");
    let docs: Vec<Document> = (0..40)
        .map(|i| {
            let story = writer.story(1, i);
            let base = &story.articles[0];
            let mut doc = document(&base.text());
            doc.date = Some(base.date());
            doc
        })
        .collect();
    let extractor = Extractor::new().expect("extractor loads");
    let run = || {
        docs.iter()
            .map(|d| {
                let e = extractor.extract(black_box(d));
                (e.entities.len(), e.quantities.len(), e.dates.len(), e.attributions.len(), e.events.len())
            })
            .fold((0, 0, 0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3, a.4 + b.4))
    };
    let (entities, quantities, dates, attributions, events) = run();
    // Every generated article names people, organisations and places, states several numbers
    // and a weekday, and quotes at least one source.
    assert!(entities >= 40 * 5, "{entities} entities");
    assert!(quantities >= 40 * 3, "{quantities} quantities");
    assert!(dates >= 40, "{dates} dates");
    assert!(attributions >= 40 * 2, "{attributions} attributions");
    assert!(events >= 40, "{events} events");
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    bencher.counter(BytesCount::new(bytes)).bench(run);
}

#[divan::bench]
fn shingles_and_minhash(bencher: Bencher) {
    let reworded = PARAGRAPH.replace("were killed", "died").replace("told reporters", "said");
    let run = |text: &str| {
        let shingles = crosscheck_link::shingles(black_box(text), 5);
        crosscheck_link::minhash_signature(&shingles, 128)
    };
    let (a, b) = (run(PARAGRAPH), run(&reworded));
    assert_eq!(a.len(), 128);
    assert_eq!(crosscheck_link::estimated_jaccard(&a, &a), 1.0);
    let similar = crosscheck_link::estimated_jaccard(&a, &b);
    assert!((0.5..1.0).contains(&similar), "estimated Jaccard {similar}");
    bencher.counter(BytesCount::of_str(PARAGRAPH)).bench(|| run(PARAGRAPH));
}
