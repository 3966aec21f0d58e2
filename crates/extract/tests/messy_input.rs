//! Extraction never panics on messy text and keeps every span on the text it names.

use crosscheck_extract::Extractor;
use crosscheck_model::{Document, SourceFormat};
use crosscheck_text::slice_chars;

fn doc(text: &str) -> Document {
    Document {
        id: "x".into(),
        origin: "test".into(),
        format: SourceFormat::Text,
        url: None,
        outlet: None,
        date: Some("2024-12-10".into()),
        title: None,
        author: None,
        language: None,
        text: text.to_string(),
        content_hash: String::new(),
        warnings: Vec::new(),
    }
}

const SAMPLES: &[&str] = &[
    "",
    " ",
    "“",
    "”,” said",
    "(",
    "(AB)",
    "A (B) C (DE) (F",
    "’s 's ’ ' \" “ ” — – -",
    "Mr. Mr. Mr.",
    "Gen. . . Brig. Gen.",
    "He said, “",
    "“Unclosed quotation starts here and never ends, said the minister",
    "according to",
    "according to ,",
    "reportedly",
    "it was reported that",
    "The ministry said. “",
    "Al-Qaeda-linked al- al-Assad’s “axis” Iran’s",
    "東京 — Владимир Путин said “Привет мир сегодня утром” in Москва.",
    "IRAN — IRAN, IRAN (IRAN) said IRAN.",
    "X, Y, Z, said, told, added, according to, reportedly.",
    "Bloomberg quoted",
    "Bloomberg quoted as saying",
    "killed by",
    "was wounded by",
    "the withdrawal of",
    "J.B. Lokwa and A.B.C. D. said",
    "\u{feff}Iran\u{200b}Syria\u{a0}Iraq",
    "Russia’s Defense Ministry’s",
    "Democratic Republic of the Congo (DRC) and (",
];

fn check(ex: &Extractor, text: &str) {
    let out = ex.extract(&doc(text));
    for e in &out.entities {
        assert!(!e.name.is_empty(), "empty name in {text:?}");
        for m in &e.mentions {
            assert_eq!(slice_chars(text, crosscheck_model::Span::new(m.start, m.end)), m.text, "in {text:?}");
        }
    }
    for a in &out.attributions {
        if let Some(cs) = a.content_span {
            assert_eq!(slice_chars(text, cs), a.content, "in {text:?}");
        }
        assert!(a.span.start <= a.span.end);
    }
    for r in &out.roles {
        assert!(r.span.start <= r.span.end);
    }
}

#[test]
fn nasty_samples_do_not_panic() {
    let ex = Extractor::new().expect("extractor loads");
    for s in SAMPLES {
        check(&ex, s);
    }
}

#[test]
fn every_prefix_and_suffix_of_a_news_paragraph_is_safe() {
    let ex = Extractor::new().expect("extractor loads");
    let text = "“We will not leave,” Brig. Gen. Omar Haddad, the commander of the Saraya Brigade (SB), told Reuters on Monday. \
                According to diplomatic sources, Iranian forces withdrew from Aleppo’s outskirts; he added that the \
                United Nations Office for Refugees (UNOR) was reportedly “preparing convoys.”";
    let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    for (k, &cut) in chars.iter().enumerate() {
        if k % 3 != 0 {
            continue;
        }
        check(&ex, &text[..cut]);
        check(&ex, &text[cut..]);
    }
}

#[test]
fn output_is_deterministic() {
    let ex = Extractor::new().expect("extractor loads");
    let text = "Hezbollah and Hamas met in Beirut. “It is over now,” Hassan Nasrallah said. The IRGC withdrew, officials said.";
    let a = serde_json::to_string(&ex.extract(&doc(text))).expect("json");
    let b = serde_json::to_string(&ex.extract(&doc(text))).expect("json");
    assert_eq!(a, b);
}

/// Cuts of the project's invented articles (`testdata/gold`) at many char boundaries.
#[test]
fn cut_test_articles_are_safe() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/gold/corpus.jsonl");
    let Ok(corpus) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let ex = Extractor::new().expect("extractor loads");
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        let text = v["text"].as_str().unwrap_or_default();
        check(&ex, text);
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &cut in bounds.iter().step_by(97) {
            check(&ex, &text[cut..]);
            check(&ex, &text[..cut]);
        }
    }
}

/// A long document (all test articles repeated) is handled in one pass without blowing up;
/// the mention count grows linearly with the text.
#[test]
fn long_document_scales() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/gold/corpus.jsonl");
    let Ok(corpus) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let mut one = String::new();
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json line");
        one.push_str(v["text"].as_str().unwrap_or_default());
        one.push_str("\n\n");
    }
    let ex = Extractor::new().expect("extractor loads");
    let t0 = std::time::Instant::now();
    let single = ex.extract(&doc(&one));
    let t1 = std::time::Instant::now();
    let many = ex.extract(&doc(&one.repeat(8)));
    let t2 = std::time::Instant::now();
    println!("{} bytes: {:?}; x8: {:?}", one.len(), t1 - t0, t2 - t1);
    let count = |x: &crosscheck_model::Extraction| x.entities.iter().map(|e| e.mentions.len()).sum::<usize>();
    assert_eq!(count(&many), 8 * count(&single));
}
