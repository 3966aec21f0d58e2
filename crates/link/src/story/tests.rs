//! Tests of same-story detection on the invented corpus in `testdata/link/`, and of the group
//! bookkeeping that keeps two stories from merging through one stray link.

use super::*;

#[test]
fn day_ranges_cover_coarse_dates() {
    let day = day_range("2026-03-03").expect("day");
    assert_eq!(day.0, day.1);
    let next = day_range("2026-03-04").expect("day");
    assert_eq!(next.0 - day.0, 1);
    let march = day_range("2026-03").expect("month");
    assert_eq!(march.1 - march.0, 30);
    assert!(march.0 <= day.0 && day.0 <= march.1);
    let year = day_range("2024").expect("year");
    assert_eq!(year.1 - year.0, 365);
    assert_eq!(days_apart(day_range("2026-02-28").expect("d"), day_range("2026-03-01").expect("d")), 1);
    assert_eq!(day_range("soon"), None);
}

fn corpus() -> Vec<Extraction> {
    include_str!("../../../../testdata/link/corpus.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let text = v["text"].as_str().unwrap_or_default().to_string();
            let mut x = Extraction {
                id: v["id"].as_str().unwrap_or_default().to_string(),
                title: None,
                outlet: v["outlet"].as_str().map(str::to_string),
                date: v["date"].as_str().map(str::to_string),
                url: None,
                author: None,
                text,
                entities: Vec::new(),
                roles: Vec::new(),
                attributions: Vec::new(),
                quantities: Vec::new(),
                dates: Vec::new(),
                events: Vec::new(),
                duplicates_of: Vec::new(),
                copy_of: None,
            };
            // Capitalised words after the first of a sentence stand in for extracted entities.
            let mut names: Vec<String> = Vec::new();
            for w in x.text.split_whitespace().skip(1) {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() > 3 {
                    names.push(w.to_string());
                }
            }
            names.sort();
            names.dedup();
            x.entities = names
                .into_iter()
                .map(|n| crosscheck_model::Entity {
                    name: n,
                    kind: crosscheck_model::EntityType::Organization,
                    aliases: Vec::new(),
                    mentions: Vec::new(),
                    rule: "test".into(),
                })
                .collect();
            x
        })
        .collect()
}

#[test]
fn rewrites_and_an_independent_report_group_but_shared_numbers_and_later_news_do_not() {
    let docs = corpus();
    assert_eq!(docs.len(), 9);
    let result = find_story_groups(&docs, &LinkConfig::default(), &StoryConfig::default());
    assert_eq!(result.groups.len(), 1, "{:#?}", result.links);
    let group = &result.groups[0];
    assert_eq!(group.members, vec!["ferry-brief", "ferry-local", "ferry-reordered", "ferry-rewrite", "ferry-wire"]);
    assert_eq!(group.canonical, "ferry-wire", "same date: the longest text is canonical");
    let local: Vec<&StoryLink> = result.links.iter().filter(|l| l.a == "ferry-local" || l.b == "ferry-local").collect();
    assert!(!local.is_empty());
    assert!(local.iter().all(|l| l.basis != LinkBasis::Wording && l.wording < 0.15), "{local:#?}");
    let fields = crate::duplicate_fields(&result.groups);
    assert_eq!(fields["ferry-rewrite"].1.as_deref(), Some("ferry-wire"));
    assert_eq!(fields["ferry-local"].1, None);
}

#[test]
fn the_date_gate_holds_for_whole_groups() {
    let mut docs = corpus();
    // An undated copy of the January border story must not bridge January and April.
    let mut bridge = docs.iter().find(|d| d.id == "border-jan").cloned().expect("border-jan");
    bridge.id = "border-undated".into();
    bridge.date = None;
    bridge.text = docs.iter().find(|d| d.id == "border-apr").map(|d| d.text.clone()).unwrap_or_default();
    docs.push(bridge);
    let result = find_story_groups(&docs, &LinkConfig::default(), &StoryConfig::default());
    for g in &result.groups {
        assert!(
            !(g.members.contains(&"border-jan".to_string()) && g.members.contains(&"border-apr".to_string())),
            "{g:#?}"
        );
    }
}

#[test]
fn story_groups_are_deterministic_under_input_order() {
    let docs = corpus();
    let mut reversed = docs.clone();
    reversed.reverse();
    let a = find_story_groups(&docs, &LinkConfig::default(), &StoryConfig::default());
    let b = find_story_groups(&reversed, &LinkConfig::default(), &StoryConfig::default());
    assert_eq!(a.groups, b.groups);
    assert_eq!(a.links, b.links);
}

#[test]
fn prepared_documents_group_exactly_like_pushed_ones() {
    let docs = corpus();
    let link = LinkConfig::default();
    let mut pushed = LinkCorpus::new(&link);
    let mut prepared = LinkCorpus::new(&link);
    for x in &docs {
        pushed.push(
            &x.id,
            &x.text,
            x.date.as_deref(),
            x.entities.iter().map(|e| e.name.as_str()),
            x.quantities.iter().map(|q| (q.value, q.unit.as_str())),
        );
        let doc = PreparedLinkDoc::from_extraction(&link, x);
        assert_eq!(doc.id(), x.id);
        prepared.push_prepared(&doc);
    }
    let a = find_story_groups_in(&mut pushed, &StoryConfig::default());
    let b = find_story_groups_in(&mut prepared, &StoryConfig::default());
    assert!(!a.groups.is_empty());
    assert_eq!(a.groups, b.groups);
    assert_eq!(a.links, b.links);
}

/// Five unrelated one-line documents, as a wording index for the group bookkeeping below.
fn five_documents() -> (WordingIndex, Vec<Option<(i64, i64)>>) {
    let mut index = WordingIndex::new(&LinkConfig::default());
    for (i, id) in ["d0", "d1", "d2", "d3", "d4"].iter().enumerate() {
        index.push(id, &format!("text number {i} of the test"), Some(&format!("2025-01-0{}", i + 1)));
    }
    index.finish();
    let dates = (1..=5).map(|d| day_range(&format!("2025-01-0{d}"))).collect();
    (index, dates)
}

#[test]
fn one_link_does_not_merge_two_stories() {
    let (index, dates) = five_documents();
    let mut parts = Components::new(&dates);
    parts.freeze_units();
    // Story one: d0, d1, d2 all linked; story two: d3, d4; one stray link d2–d3.
    let links = [(0, 1), (0, 2), (1, 2), (3, 4), (2, 3)];
    parts.add_adjacency(links.iter().copied());
    for (a, b) in [(0, 1), (1, 2), (3, 4)] {
        assert!(parts.union(a, b, None, &index));
    }
    assert!(!parts.union(2, 3, None, &index), "a 3-document and a 2-document story share one link of six pairs");
    assert_ne!(parts.root(0), parts.root(4));
}

#[test]
fn a_document_joins_a_story_through_its_original_or_most_of_its_members() {
    let (index, dates) = five_documents();
    let mut parts = Components::new(&dates);
    parts.freeze_units();
    // d0 (the earliest, so the original) with d1 and d2; d3 links only to d2, d4 only to d0.
    let links = [(0, 1), (0, 2), (1, 2), (2, 3), (0, 4)];
    parts.add_adjacency(links.iter().copied());
    for (a, b) in [(0, 1), (0, 2)] {
        assert!(parts.union(a, b, None, &index));
    }
    assert!(!parts.union(2, 3, None, &index), "one link of three, not to the original");
    assert!(parts.union(0, 4, None, &index), "linked to the original");
    assert_eq!(parts.root(4), parts.root(1));
}

/// Features from a word stream equal those from the text, for every test document (ASCII
/// and typographic apostrophes, hyphens, digits).
#[test]
fn features_from_a_word_stream_equal_features_from_the_text() {
    let link = LinkConfig::default();
    let mut texts: Vec<Extraction> = corpus();
    let mut extra = texts[0].clone();
    extra.text =
        "Marlowe’s mayor, the well-known Ms. Ortega, said 40% of Kühn's 3.5m residents \u{e9}t\u{e9} left.".into();
    texts.push(extra);
    for x in &texts {
        let stream = crosscheck_text::WordStream::new(&x.text);
        let from_words = PreparedLinkDoc::from_extraction_words(&link, x, &stream.words);
        assert_eq!(from_words, PreparedLinkDoc::from_extraction(&link, x), "{}", x.id);
    }
}

/// The stop-word table is keyed by hash: no two stop words may share one, and every stop
/// word is found (also before a possessive), a content word is not.
#[test]
fn stop_words_are_found_by_their_hash() {
    let distinct: std::collections::BTreeSet<&str> =
        STOPWORDS_SRC.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty()).collect();
    let stop = stopwords();
    assert_eq!(stop.0.len(), distinct.len());
    for word in &distinct {
        assert!(stop.contains(word, crate::minhash::fnv1a(word.as_bytes())), "{word}");
    }
    let mut folded = String::new();
    for (word, content) in [("Harbour", true), ("THE", false), ("their's", false), ("Harbour's", true), ("’s", false)]
    {
        let fnv = crate::minhash::fold_word_fnv(word, &mut folded);
        assert_eq!(content_word_term(word, &folded, fnv, stop).is_some(), content, "{word}");
    }
}

/// After numbering, every document's terms and entity terms are sorted term numbers whose
/// hashes are exactly the document's own (entity numbers found by the merge in
/// `push_prepared`, not the map).
#[test]
fn numbered_terms_are_sorted_and_keep_their_hashes() {
    let extractions = corpus();
    let link = LinkConfig::default();
    let prepared: Vec<PreparedLinkDoc> =
        extractions.iter().map(|x| PreparedLinkDoc::from_extraction(&link, x)).collect();
    let mut linked = LinkCorpus::new(&link);
    for doc in &prepared {
        linked.push_prepared(doc);
    }
    linked.number_terms_by_hash();
    assert!(linked.term_hashes.windows(2).all(|w| w[0] < w[1]));
    let mut with_entities = 0;
    for (i, doc) in prepared.iter().enumerate() {
        for (numbers, hashes) in [(linked.terms_of(i), &doc.terms), (linked.entities_of(i), &doc.entity_terms)] {
            assert!(numbers.windows(2).all(|w| w[0] < w[1]), "document {i} sorted");
            let back: Vec<u64> = numbers.iter().map(|&t| linked.term_hashes[t as usize]).collect();
            assert_eq!(&back, hashes, "document {i}");
        }
        with_entities += usize::from(!doc.entity_terms.is_empty());
    }
    assert!(with_entities > 3, "the corpus names entities");
}
