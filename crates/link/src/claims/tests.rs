//! Tests of claim finding helpers on invented words.

use super::*;

#[test]
fn bare_numbers_parse_with_thousands_commas_only() {
    assert_eq!(parse_bare_number("7,000"), Some(7000.0));
    assert_eq!(parse_bare_number("700"), Some(700.0));
    assert_eq!(parse_bare_number("7k"), None);
    assert_eq!(parse_bare_number(""), None);
}

#[test]
fn measure_is_the_nearest_lexicon_word_within_the_window() {
    let words: Vec<String> =
        "the ministry reduced its forces from 3000 to 1200".split_whitespace().map(str::to_string).collect();
    assert_eq!(measure_near(&words, 6, Some(8)), Some("troop strength"));
    let far: Vec<String> = "killed a b c d e f g 12".split_whitespace().map(str::to_string).collect();
    assert_eq!(measure_near(&far, 8, None), None);
}

#[test]
fn a_figure_does_not_take_the_measure_of_the_next_figure() {
    let words: Vec<String> =
        "officials sent two army helicopters and 400 soldiers".split_whitespace().map(str::to_string).collect();
    assert_eq!(measure_near(&words, 2, Some(6)), None, "the helicopters are not troops");
    assert_eq!(measure_near(&words, 6, None), Some("troop strength"));
    // A range reads through its second figure.
    let range: Vec<String> = "between 40 and 60 were missing".split_whitespace().map(str::to_string).collect();
    assert_eq!(measure_near(&range, 1, Some(3)), measure_near(&range, 3, None));
    assert!(measure_near(&range, 1, Some(3)).is_some());
}

#[test]
fn the_late_marks_a_person_as_dead() {
    let text = "Mourners honoured the late army chief Harald Berg on Friday.";
    let start = text.find("Harald").map(|b| text[..b].chars().count()).unwrap_or_default();
    assert!(preceded_by_the_late(text, start));
    assert!(!preceded_by_the_late("Harald Berg spoke late on Friday.", 0));
}

#[test]
fn numerals_keep_thousands_groups_and_skip_glued_tokens() {
    let s = "from 2,500 to 1,400 jobs, 1.5 points, F-16 jets and 3rd place";
    let found: Vec<&str> = numerals(s).into_iter().map(|(a, b)| &s[a..b]).collect();
    assert_eq!(found, vec!["2,500", "1,400", "1.5"]);
}

#[test]
fn status_words_right_after_a_name_describe_that_person() {
    let text = "Harbour chief Harald Berg was seriously wounded on Friday.";
    let end = text.find(" was").map(|b| text[..b].chars().count()).unwrap_or_default();
    assert_eq!(status_after(text, end), Some("wounded"));
    let other = "Harald Berg said two guards were killed.";
    assert_eq!(status_after(other, "Harald Berg".chars().count()), None);
}

mod statements_tests {
    use super::super::statements::{parse_clause, stem};
    use super::super::*;
    use crosscheck_model::{Attribution, Entity, EntityType, Event, Mention, Quantity};

    fn clause_parts(s: &str) -> (String, String, Option<String>, Option<String>, bool) {
        let c = parse_clause(s).unwrap_or_else(|| panic!("no clause in {s:?}"));
        (
            s[c.subject.clone()].to_string(),
            s[c.verb.clone()].to_string(),
            c.object.map(|r| s[r].to_string()),
            c.agent.map(|r| s[r].to_string()),
            c.negated,
        )
    }

    #[test]
    fn clause_reader_finds_subject_verb_object() {
        let (s, v, o, a, neg) = clause_parts("the river guild seized two barges near the weir");
        assert_eq!((s.as_str(), v.as_str()), ("the river guild", "seized"));
        assert_eq!(o.as_deref(), Some("two barges near the weir"));
        assert!(a.is_none() && !neg);
    }

    #[test]
    fn clause_reader_turns_a_passive_round_and_sees_negation() {
        let (s, v, _, a, _) = clause_parts("two barges were seized by the river guild on Friday");
        assert_eq!((s.as_str(), v.as_str(), a.as_deref()), ("two barges", "seized", Some("the river guild")));
        let (s, v, o, _, neg) = clause_parts("On Monday, the council did not approve the budget");
        assert_eq!((s.as_str(), v.as_str(), o.as_deref()), ("the council", "approve", Some("the budget")));
        assert!(neg);
        assert!(parse_clause("a long list of words without any verb at all in it").is_none());
    }

    #[test]
    fn stems_meet_across_forms() {
        assert_eq!(stem("captured"), stem("capture"));
        assert_eq!(stem("kidnapped"), stem("kidnap"));
        assert_eq!(stem("fled"), stem("flee"));
        assert_eq!(stem("killed"), "kill");
    }

    pub(super) fn doc(id: &str, outlet: &str, date: &str, text: &str) -> Extraction {
        Extraction {
            id: id.into(),
            title: None,
            outlet: Some(outlet.into()),
            date: Some(date.into()),
            url: None,
            author: None,
            text: text.into(),
            entities: Vec::new(),
            roles: Vec::new(),
            attributions: Vec::new(),
            quantities: Vec::new(),
            dates: Vec::new(),
            events: Vec::new(),
            duplicates_of: Vec::new(),
            copy_of: None,
        }
    }

    fn char_span(text: &str, needle: &str) -> Span {
        let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
        let start = text[..byte].chars().count();
        Span::new(start, start + needle.chars().count())
    }

    fn person(x: &mut Extraction, name: &str) {
        let span = char_span(&x.text, name);
        x.entities.push(Entity {
            name: name.into(),
            kind: EntityType::Person,
            aliases: Vec::new(),
            mentions: vec![Mention { start: span.start, end: span.end, text: name.into() }],
            rule: "test".into(),
        });
    }

    fn attribute(x: &mut Extraction, source: &str, cue: &str, content: &str) {
        let content_span = char_span(&x.text, content);
        let source_span = char_span(&x.text, source);
        let span = Span::new(source_span.start.min(content_span.start), source_span.end.max(content_span.end));
        x.attributions.push(Attribution {
            source: source.into(),
            cue: cue.into(),
            content: content.into(),
            span,
            source_span: Some(source_span),
            content_span: Some(content_span),
            direct: false,
            anonymous: false,
            rule: "test".into(),
        });
    }

    /// The quantity `figure` (found in `text`) with its value and unit, as the extractor gives
    /// counts of people (`about` "people") and amounts of money.
    fn quantity(text: &str, figure: &str, value: f64, unit: &str) -> Quantity {
        Quantity {
            text: figure.into(),
            value,
            unit: unit.into(),
            about: (unit == "persons").then(|| "people".to_string()),
            approximate: false,
            span: char_span(text, figure),
            rule: "test".into(),
        }
    }

    fn kill(x: &mut Extraction, actor: &str, target: &str, sentence: &str, date: &str) {
        let span = char_span(&x.text, sentence);
        x.events.push(Event {
            kind: "kill".into(),
            actor: Some(actor.into()),
            target: Some(target.into()),
            place: None,
            date: Some(date.into()),
            trigger: "killed".into(),
            negated: false,
            span,
            rule: "test".into(),
        });
    }

    fn group(id: &str, members: &[&str], similarity: f64) -> DuplicateGroup {
        let mut members: Vec<String> = members.iter().map(|m| m.to_string()).collect();
        members.sort();
        let pairs = members.windows(2).map(|w| (w[0].clone(), w[1].clone(), similarity)).collect();
        DuplicateGroup { id: id.into(), canonical: members[0].clone(), members, pairs }
    }

    #[test]
    fn who_did_it_disagreements_within_a_story_are_contradictions() {
        let t1 = "Police said Tomas Weller killed Ines Arnaud at the quay.";
        let mut a = doc("a", "Quay Courier", "2026-02-02", t1);
        person(&mut a, "Tomas Weller");
        person(&mut a, "Ines Arnaud");
        kill(&mut a, "Tomas Weller", "Ines Arnaud", "Tomas Weller killed Ines Arnaud", "2026-02-01");
        let t2 = "Witnesses said Pavel Orsk killed Ines Arnaud at the quay.";
        let mut b = doc("b", "Harbour Gazette", "2026-02-02", t2);
        person(&mut b, "Pavel Orsk");
        person(&mut b, "Ines Arnaud");
        kill(&mut b, "Pavel Orsk", "Ines Arnaud", "Pavel Orsk killed Ines Arnaud", "2026-01-31");
        let groups = [group("g", &["a", "b"], 0.1)];
        let result = analyze_claims(&[a.clone(), b.clone()], &groups, 0.5);
        let who: Vec<&Comparison> = result.comparisons.iter().filter(|c| c.kind == "actor").collect();
        assert_eq!(who.len(), 1, "{:#?}", result.comparisons);
        assert_eq!(who[0].verdict, Verdict::Contradiction);
        assert_eq!(who[0].scope, Scope::AcrossDocuments);
        assert!(who[0].reason.contains("Tomas Weller") && who[0].reason.contains("Pavel Orsk"), "{}", who[0].reason);
        for (e, x) in [(&who[0].left_evidence, &a), (&who[0].right_evidence, &b)] {
            assert_eq!(crosscheck_text::slice_chars(&x.text, e.span), e.text);
        }
        let dates: Vec<&Comparison> = result.comparisons.iter().filter(|c| c.kind == "date").collect();
        assert!(dates.is_empty(), "different doers make different event keys: {dates:#?}");
        // Not one story: two killings, no contradiction.
        let apart = analyze_claims(&[a, b], &[], 0.5);
        assert!(apart.comparisons.iter().all(|c| c.kind != "actor"), "{:#?}", apart.comparisons);
    }

    #[test]
    fn dates_of_the_same_event_disagree_within_a_story() {
        let text = "Tomas Weller killed Ines Arnaud at the quay.";
        let mut a = doc("a", "Quay Courier", "2026-02-02", text);
        let mut b = doc("b", "Harbour Gazette", "2026-02-03", text);
        for (x, day) in [(&mut a, "2026-02-01"), (&mut b, "2026-01-30")] {
            person(x, "Tomas Weller");
            person(x, "Ines Arnaud");
            kill(x, "Tomas Weller", "Ines Arnaud", "Tomas Weller killed Ines Arnaud", day);
        }
        let result = analyze_claims(&[a, b], &[group("g", &["a", "b"], 0.1)], 0.5);
        let dates: Vec<&Comparison> = result.comparisons.iter().filter(|c| c.kind == "date").collect();
        assert_eq!(dates.len(), 1, "{:#?}", result.comparisons);
        assert!(dates[0].reason.contains("2026-02-01") && dates[0].reason.contains("2026-01-30"));
    }

    #[test]
    fn one_document_giving_two_figures_from_two_sources_disagrees_with_itself() {
        let text = "Officials said 12 people died in the flood, but the district hospital said 19 people died.";
        let mut x = doc("d", "Valley Post", "2026-03-03", text);
        attribute(&mut x, "Officials", "said", "12 people died in the flood");
        attribute(&mut x, "the district hospital", "said", "19 people died");
        for figure in ["12 people", "19 people"] {
            let value: f64 = figure.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or_default();
            x.quantities.push(quantity(text, figure, value, "persons"));
        }
        let result = analyze_claims(std::slice::from_ref(&x), &[], 0.5);
        let inside: Vec<&Comparison> = result.comparisons.iter().filter(|c| c.scope == Scope::InDocument).collect();
        assert_eq!(inside.len(), 1, "{:#?}", result.comparisons);
        let c = inside[0];
        assert_eq!((c.kind.as_str(), c.subject.as_str(), c.verdict), ("numbers", "deaths", Verdict::Contradiction));
        assert_ne!(c.left_evidence.span, c.right_evidence.span);
        for e in [&c.left_evidence, &c.right_evidence] {
            assert_eq!(e.doc, "d");
            assert_eq!(crosscheck_text::slice_chars(text, e.span), e.text);
        }
        assert!(c.left.contains("12") && c.right.contains("19"), "{c:#?}");
    }

    #[test]
    fn a_figure_reported_the_same_day_is_first_reported_by_the_groups_original() {
        let text = "Officials said 12 people died in the flood.";
        let with_figure = |id: &str| {
            let mut x = doc(id, "Valley Post", "2026-03-03", text);
            x.quantities.push(quantity(text, "12 people", 12.0, "persons"));
            x
        };
        let docs = [with_figure("a-copy"), with_figure("z-wire")];
        let mut story = group("g", &["a-copy", "z-wire"], 0.9);
        story.canonical = "z-wire".into();
        let result = analyze_claims(&docs, &[story], 0.5);
        let deaths = result.clusters.iter().find(|c| c.measure == "deaths").expect("a deaths cluster");
        assert_eq!(deaths.documents, ["a-copy", "z-wire"]);
        assert_eq!(deaths.first_reported, "z-wire");
    }

    #[test]
    fn amounts_of_money_from_two_sources_in_one_document_are_not_a_disagreement() {
        let text = "The company said it would invest $900 million in the plant. \
                    State officials said the incentive package was worth $40 million.";
        let mut x = doc("m", "Valley Post", "2026-03-03", text);
        attribute(&mut x, "The company", "said", "it would invest $900 million in the plant");
        attribute(&mut x, "State officials", "said", "the incentive package was worth $40 million");
        for (figure, value) in [("$900 million", 900e6), ("$40 million", 40e6)] {
            x.quantities.push(quantity(text, figure, value, "USD"));
        }
        let result = analyze_claims(std::slice::from_ref(&x), &[], 0.5);
        assert!(result.claims.iter().any(|c| c.measure == "money (USD)"), "{:#?}", result.claims);
        let inside: Vec<&Comparison> = result.comparisons.iter().filter(|c| c.scope == Scope::InDocument).collect();
        assert!(inside.is_empty(), "{inside:#?}");
    }

    #[test]
    fn a_later_figure_from_the_same_outlet_is_an_update_not_a_contradiction() {
        let toll = |id: &str, outlet: &str, date: &str, n: f64| {
            let text = format!("Officials said {n} people died in the flood.");
            let mut x = doc(id, outlet, date, &text);
            attribute(&mut x, "Officials", "said", &format!("{n} people died in the flood"));
            let figure = format!("{n} people");
            x.quantities.push(quantity(&text, &figure, n, "persons"));
            x
        };
        let docs = [
            toll("mon", "Valley Post", "2026-03-02", 12.0),
            toll("tue", "Valley Post", "2026-03-03", 19.0),
            toll("other", "Quay Courier", "2026-03-02", 30.0),
        ];
        let story = group("g", &["mon", "other", "tue"], 0.1);
        let result = analyze_claims(&docs, &[story], 0.5);
        let verdict = |a: &str, b: &str| {
            result
                .comparisons
                .iter()
                .find(|c| {
                    let docs = [c.left_evidence.doc.as_str(), c.right_evidence.doc.as_str()];
                    c.kind == "numbers" && docs.contains(&a) && docs.contains(&b)
                })
                .map(|c| c.verdict)
        };
        assert_eq!(verdict("mon", "tue"), Some(Verdict::ChangeOverTime), "{:#?}", result.comparisons);
        assert_eq!(verdict("mon", "other"), Some(Verdict::Contradiction), "{:#?}", result.comparisons);
    }

    #[test]
    fn figures_for_places_the_other_report_never_names_are_not_compared() {
        let toll = |id: &str, town: &str, n: f64| {
            let text = format!("Officials said {n} people died in {town}.");
            let mut x = doc(id, &format!("Outlet {id}"), "2026-03-02", &text);
            attribute(&mut x, "Officials", "said", &format!("{n} people died in {town}"));
            let figure = format!("{n} people");
            x.quantities.push(quantity(&text, &figure, n, "persons"));
            let at = char_span(&text, town);
            x.entities.push(Entity {
                name: town.into(),
                kind: EntityType::Location,
                aliases: Vec::new(),
                mentions: vec![Mention { start: at.start, end: at.end, text: town.into() }],
                rule: "test".into(),
            });
            x
        };
        let apart = [toll("a", "Ardmoor", 12.0), toll("b", "Kelby", 19.0)];
        let result = analyze_claims(&apart, &[group("g", &["a", "b"], 0.1)], 0.5);
        assert!(result.comparisons.iter().all(|c| c.kind != "numbers"), "{:#?}", result.comparisons);
        let same = [toll("a", "Ardmoor", 12.0), toll("b", "Ardmoor", 19.0)];
        let result = analyze_claims(&same, &[group("g", &["a", "b"], 0.1)], 0.5);
        assert!(result.comparisons.iter().any(|c| c.kind == "numbers" && c.verdict == Verdict::Contradiction));
    }

    #[test]
    fn chains_name_speaker_outlet_and_document() {
        let text = "The port director told the Harbour Gazette that the new crane arrived in March.";
        let mut x = doc("d", "Valley Post", "2026-04-01", text);
        attribute(&mut x, "The port director", "told", "the new crane arrived in March");
        let via_outlet = "According to the Evening Post, the council approved the budget.";
        let mut y = doc("e", "Valley Post", "2026-04-02", via_outlet);
        attribute(&mut y, "the Evening Post", "according to", "the council approved the budget");
        let result = analyze_claims(&[x, y], &[], 0.5);
        let crane = result.statements.iter().find(|s| s.evidence.doc == "d").expect("a statement from d");
        assert_eq!(crane.chain.speaker.as_deref(), Some("The port director"));
        assert_eq!(crane.chain.via.as_deref(), Some("the Harbour Gazette"));
        assert_eq!((crane.chain.document.as_str(), crane.chain.publisher.as_deref()), ("d", Some("Valley Post")));
        assert_eq!(crane.predicate_key, "arriv");
        assert_eq!(crosscheck_text::slice_chars(text, crane.evidence.span), crane.evidence.text);
        let budget = result.statements.iter().find(|s| s.evidence.doc == "e").expect("a statement from e");
        assert_eq!(budget.chain.speaker, None);
        assert_eq!(budget.chain.via.as_deref(), Some("the Evening Post"));
        assert_eq!(budget.subject, "the council");
    }

    #[test]
    fn sources_carried_by_an_outlet_keep_both_in_the_chain() {
        let text = "Officials who spoke to the Harbour Gazette said the tunnel flooded twice.";
        let mut x = doc("d", "Valley Post", "2026-04-01", text);
        attribute(&mut x, "Officials who spoke to the Harbour Gazette", "said", "the tunnel flooded twice");
        x.attributions[0].anonymous = true;
        let daily = "The coastal daily Harbour Gazette reported the tunnel flooded twice.";
        let mut y = doc("e", "Valley Post", "2026-04-02", daily);
        attribute(&mut y, "The coastal daily Harbour Gazette", "reported", "the tunnel flooded twice");
        y.attributions[0].anonymous = true;
        let result = analyze_claims(&[x, y], &[], 0.5);
        let chain = |doc: &str| result.statements.iter().find(|s| s.evidence.doc == doc).map(|s| s.chain.clone());
        let carried = chain("d").expect("a statement from d");
        assert_eq!(carried.speaker.as_deref(), Some("Officials who spoke to the Harbour Gazette"));
        assert_eq!(carried.via.as_deref(), Some("the Harbour Gazette"));
        let outlet = chain("e").expect("a statement from e");
        assert_eq!((outlet.speaker, outlet.via.as_deref()), (None, Some("The coastal daily Harbour Gazette")));
    }

    #[test]
    fn clusters_count_copies_and_one_cited_outlet_once() {
        let text = "The mayor said the ferry line closed for the winter.";
        let mut docs: Vec<Extraction> = ["a", "b", "c"]
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let mut x = doc(id, &format!("Outlet {id}"), &format!("2026-05-0{}", i + 1), text);
                attribute(&mut x, "The mayor", "said", "the ferry line closed for the winter");
                x
            })
            .collect();
        // d and e both rest on one outlet's report.
        let cited = "According to the Evening Post, the ferry line closed for the winter.";
        for (i, id) in ["d", "e"].iter().enumerate() {
            let mut x = doc(id, &format!("Outlet {id}"), &format!("2026-05-0{}", i + 4), cited);
            attribute(&mut x, "the Evening Post", "according to", "the ferry line closed for the winter");
            docs.push(x);
        }
        // An unrelated story with the same common words is not the same claim.
        let mut other = doc("z", "Outlet z", "2026-11-01", text);
        attribute(&mut other, "The mayor", "said", "the ferry line closed for the winter");
        docs.push(other);
        // a and b are copies of one article; c, d and e are other reports of the story.
        let story = DuplicateGroup {
            id: "g".into(),
            canonical: "a".into(),
            members: ["a", "b", "c", "d", "e"].map(String::from).to_vec(),
            pairs: vec![
                ("a".into(), "b".into(), 0.9),
                ("a".into(), "c".into(), 0.1),
                ("c".into(), "d".into(), 0.1),
                ("d".into(), "e".into(), 0.1),
            ],
        };
        let result = analyze_claims(&docs, std::slice::from_ref(&story), 0.5);
        assert_eq!(result.statement_clusters.len(), 2, "{:#?}", result.statement_clusters);
        let k = result.statement_clusters.iter().find(|k| k.documents.len() == 5).expect("the story's cluster");
        assert_eq!(k.documents, vec!["a", "b", "c", "d", "e"]);
        assert_eq!(k.independent_sources, 3, "copies a+b once, c, and d+e through one outlet");
        assert_eq!(k.first_reported.doc, "a");
        assert_eq!(k.first_date.as_deref(), Some("2026-05-01"));
        // The id is the key's hash: the same whatever the input order.
        let mut reversed = docs.clone();
        reversed.reverse();
        let again = analyze_claims(&reversed, std::slice::from_ref(&story), 0.5);
        assert!(again.statement_clusters.iter().any(|c| c.id == k.id));
        assert!(result.statements.iter().filter(|s| s.evidence.doc != "z").all(|s| s.cluster == k.id));
    }

    #[test]
    fn a_claim_about_a_resolved_entity_clusters_across_stories() {
        let text = "The council said Ines Arnaud resigned on Friday.";
        let docs: Vec<Extraction> = ["a", "b"]
            .iter()
            .map(|id| {
                let mut x = doc(id, &format!("Outlet {id}"), "2026-05-01", text);
                person(&mut x, "Ines Arnaud");
                attribute(&mut x, "The council", "said", "Ines Arnaud resigned on Friday");
                x
            })
            .collect();
        let result = analyze_claims(&docs, &[], 0.5);
        assert_eq!(result.statement_clusters.len(), 1, "{:#?}", result.statement_clusters);
        assert_eq!(result.statement_clusters[0].independent_sources, 2);
        assert!(result.statements[0].subject_key.starts_with('E'));
    }

    #[test]
    fn a_pronoun_subject_in_a_quote_is_its_speaker() {
        let text = "Mara Velden said we are facing a shortage of nurses. The union said they rejected the offer.";
        let mut x = doc("a", "Valley Post", "2026-05-01", text);
        person(&mut x, "Mara Velden");
        attribute(&mut x, "Mara Velden", "said", "we are facing a shortage of nurses");
        attribute(&mut x, "The union", "said", "they rejected the offer");
        let other = "Mara Velden warned of a shortage of nurses.";
        let mut y = doc("b", "Hill Times", "2026-05-02", other);
        person(&mut y, "Mara Velden");
        let result = analyze_claims(&[x, y], &[], 0.5);
        let facing =
            result.statements.iter().find(|s| s.evidence.text.contains("facing")).expect("the 'facing' statement");
        assert_eq!(facing.subject, "Mara Velden");
        assert!(facing.subject_key.starts_with('E'), "keyed by the resolved person: {facing:#?}");
        assert_eq!(facing.chain.speaker.as_deref(), Some("Mara Velden"));
        assert_eq!(crosscheck_text::slice_chars(text, facing.evidence.span), facing.evidence.text);
        let rejected =
            result.statements.iter().find(|s| s.predicate_key == "reject").expect("the 'rejected' statement");
        assert_eq!((rejected.subject.as_str(), rejected.subject_key.as_str()), ("The union", "union"));
        assert!(result
            .statement_clusters
            .iter()
            .all(|k| !k.key.starts_with("we ") && !k.subject.eq_ignore_ascii_case("we")));
    }

    #[test]
    fn a_pronoun_subject_without_a_speaker_is_left_out() {
        let text = "According to the Evening Post, we are facing a shortage of nurses. Officials said it was unclear.";
        let mut x = doc("a", "Valley Post", "2026-05-01", text);
        attribute(&mut x, "the Evening Post", "according to", "we are facing a shortage of nurses");
        attribute(&mut x, "Officials", "said", "it was unclear");
        let result = analyze_claims(&[x], &[], 0.5);
        assert!(result.statements.is_empty(), "{:#?}", result.statements);
        assert!(result.statement_clusters.is_empty());
    }

    #[test]
    fn streamed_and_in_memory_links_agree_whatever_the_text_order() {
        // A denial's counterpart is searched in other members' texts, which a streamed run
        // reads after all documents: ties must not depend on that order.
        let denied = "The ministry denied that the convoy crossed the border at night.";
        let mut x = doc("c", "Valley Post", "2026-05-01", denied);
        attribute(&mut x, "The ministry", "denied", "the convoy crossed the border at night");
        let same = "Witnesses said the convoy crossed the border at night.";
        let (a, b) = (doc("b", "Hill Times", "2026-05-01", same), doc("a", "Coast Daily", "2026-05-01", same));
        let docs = vec![x, a, b];
        let story = group("g", &["a", "b", "c"], 0.1);
        let result = crate::link_results(&docs, std::slice::from_ref(&story));
        let denial = &result.claims.denials[0];
        assert_eq!(denial.counterpart.as_ref().map(|c| c.doc.as_str()), Some("a"), "{denial:#?}");
        let mut reversed = docs.clone();
        reversed.reverse();
        assert_eq!(crate::link_results(&reversed, std::slice::from_ref(&story)).claims.denials, result.claims.denials);
    }
}

#[test]
fn auxiliary_chains_keep_the_passive() {
    let s = "the dams would be inspected by engineers before the winter";
    let c = statements::parse_clause(s).expect("a clause");
    assert_eq!(&s[c.verb.clone()], "inspected");
    assert!(c.passive);
    assert_eq!(c.agent.map(|r| &s[r]), Some("engineers"));
    let t = "The crew did everything they could";
    let c = statements::parse_clause(t).expect("a clause");
    assert_eq!(&t[c.verb.clone()], "did");
    assert_eq!(c.object.map(|r| &t[r]), Some("everything they could"));
}
