use super::*;
use crosscheck_model::{Entity, EntityType, Mention};

fn extraction(id: &str, text: &str) -> Extraction {
    Extraction {
        id: id.into(),
        title: Some(format!("Title {id}")),
        outlet: Some("Harbour Gazette".into()),
        date: Some("2026-03-04".into()),
        url: None,
        author: None,
        text: text.into(),
        entities: vec![Entity {
            name: "Lena Park".into(),
            kind: EntityType::Person,
            aliases: vec!["Park".into()],
            mentions: vec![Mention { start: 0, end: 9, text: "Lena Park".into() }],
            rule: "test".into(),
        }],
        roles: vec![],
        attributions: vec![Attribution {
            source: "Lena Park".into(),
            cue: "said".into(),
            content: "the pier will reopen".into(),
            span: Span::new(0, 40),
            source_span: Some(Span::new(0, 9)),
            content_span: None,
            direct: false,
            anonymous: false,
            rule: "test".into(),
        }],
        quantities: vec![Quantity {
            text: "7,000 workers".into(),
            value: 7000.0,
            unit: "persons".into(),
            about: Some("workers".into()),
            approximate: false,
            span: Span::new(50, 63),
            rule: "test".into(),
        }],
        dates: vec![],
        events: vec![],
        duplicates_of: vec![],
        copy_of: None,
    }
}

#[test]
fn report_merges_entities_and_groups_sources_with_evidence() {
    let a = extraction("a", "Lena Park said the pier will reopen soon, and 7,000 workers cheered.");
    let b = extraction("b", "Lena Park said the pier will reopen soon, and 7,000 workers cheered!");
    let group = DuplicateGroup {
        id: "g1".into(),
        canonical: "a".into(),
        members: vec!["a".into(), "b".into()],
        pairs: vec![("a".into(), "b".into(), 0.97)],
    };
    let report = StoryReport::build(&[b, a], &[group]);
    assert_eq!(report.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
    assert_eq!(report.documents[0].duplicates_of, vec!["b".to_string()]);
    assert_eq!(report.attributions.len(), 1, "same source in two documents is one group");
    assert_eq!(report.attributions[0].statements.len(), 2);
    let md = render_markdown(&report);
    assert!(md.contains("**Lena Park** — 2 documents"), "{md}");
    assert!(md.contains("7,000 persons — “7,000 workers” (workers) [a@50-63]"), "{md}");
    assert!(md.contains("- **a** (earliest) with b"), "{md}");
}

#[test]
fn empty_store_renders_every_section() {
    let md = render_markdown(&StoryReport::build(&[], &[]));
    for heading in ["## People", "## Who says what", "## Quantities", "## Dates", "## Events", "## Documents"] {
        assert!(md.contains(heading), "missing {heading}");
    }
}

#[test]
fn source_key_ignores_articles_case_and_spacing() {
    assert_eq!(source_key("The  Official"), source_key("official"));
    assert_ne!(source_key("an official"), source_key("officials"));
}

#[test]
fn report_from_stored_links_equals_the_computed_one_and_shows_claims() {
    let text = "The harbour master said the pier closed for repairs. Officials said 12 people died, \
                while the clinic said 19 people died.";
    let mut a = extraction("a", text);
    a.attributions = vec![Attribution {
        source: "The harbour master".into(),
        cue: "said".into(),
        content: "the pier closed for repairs".into(),
        span: Span::new(0, 51),
        source_span: Some(Span::new(0, 18)),
        content_span: Some(Span::new(24, 51)),
        direct: false,
        anonymous: false,
        rule: "test".into(),
    }];
    let mut b = a.clone();
    b.id = "b".into();
    b.outlet = Some("Quay Courier".into());
    // One story, independently written (low wording overlap): two sources for the claim.
    let story = DuplicateGroup {
        id: "g".into(),
        canonical: "a".into(),
        members: vec!["a".into(), "b".into()],
        pairs: vec![("a".into(), "b".into(), 0.1)],
    };
    let groups = [story];
    let computed = StoryReport::build(&[a.clone(), b.clone()], &groups);
    let stored = crosscheck_link::link_results(&[a.clone(), b.clone()], &groups);
    let from_store = StoryReport::build_with_links(&[a, b], &groups, Some(stored));
    assert!(from_store.links_from_store && !computed.links_from_store);
    assert_eq!(serde_json::to_value(&from_store.claims).ok(), serde_json::to_value(&computed.claims).ok());
    let clusters = &computed.claims.statement_clusters;
    assert_eq!(clusters.len(), 1, "{clusters:#?}");
    assert_eq!(clusters[0].independent_sources, 2);
    let md = render_markdown(&computed);
    assert!(md.contains("## Claims: who did what, according to whom"), "{md}");
    assert!(md.contains("**the pier** closed"), "{md}");
    assert!(md.contains("The harbour master, in a (Harbour Gazette): “the pier closed for repairs” [a@24-51]"), "{md}");
}
