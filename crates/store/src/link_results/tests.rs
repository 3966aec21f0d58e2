//! Round trip of link results through the store on an invented corpus that yields every kind
//! of claim, comparison, citation and entity.

use super::*;
use crate::InsertOutcome;
use crosscheck_model::{Attribution, Document, DuplicateGroup, Entity, Event, Extraction, Quantity, SourceFormat};

fn char_span(text: &str, needle: &str) -> Span {
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    let start = text[..byte].chars().count();
    Span::new(start, start + needle.chars().count())
}

fn item(id: &str, date: &str, text: &str) -> (Document, Extraction) {
    let doc = Document {
        id: id.into(),
        origin: format!("test:{id}"),
        format: SourceFormat::Text,
        url: None,
        outlet: Some(format!("Outlet {id}")),
        date: Some(date.into()),
        title: None,
        author: None,
        language: Some("en".into()),
        text: text.into(),
        content_hash: format!("hash-{id}"),
        warnings: Vec::new(),
    };
    let x = Extraction::empty_for(&doc);
    (doc, x)
}

fn attribute(x: &mut Extraction, source: &str, cue: &str, content: &str) {
    let content_span = char_span(&x.text, content);
    let source_span = char_span(&x.text, source);
    x.attributions.push(Attribution {
        source: source.into(),
        cue: cue.into(),
        content: content.into(),
        span: Span::new(source_span.start.min(content_span.start), source_span.end.max(content_span.end)),
        source_span: Some(source_span),
        content_span: Some(content_span),
        direct: false,
        anonymous: false,
        rule: "test".into(),
    });
}

fn person(x: &mut Extraction, name: &str) {
    let span = char_span(&x.text, name);
    x.entities.push(Entity {
        name: name.into(),
        kind: EntityType::Person,
        aliases: vec![],
        mentions: vec![Mention { start: span.start, end: span.end, text: name.into() }],
        rule: "test".into(),
    });
}

fn deaths(x: &mut Extraction, figure: &str, value: f64) {
    x.quantities.push(Quantity {
        text: figure.into(),
        value,
        unit: "persons".into(),
        about: Some("people".into()),
        approximate: false,
        span: char_span(&x.text, figure),
        rule: "test".into(),
    });
}

/// Two reports of one story (a numeric and a who-did-it disagreement, a status, a denial, a
/// citation through an outlet) and an unrelated third.
fn corpus() -> (Vec<(Document, Extraction)>, Vec<DuplicateGroup>) {
    let (da, mut a) = item(
        "quay-a",
        "2026-02-02",
        "Officials said 12 people died at the quay. Police said Tomas Weller killed Ines Arnaud. \
         The harbour chief told the Harbour Gazette that the crane collapsed.",
    );
    attribute(&mut a, "Officials", "said", "12 people died at the quay");
    attribute(&mut a, "The harbour chief", "told", "the crane collapsed");
    deaths(&mut a, "12 people", 12.0);
    person(&mut a, "Tomas Weller");
    person(&mut a, "Ines Arnaud");
    a.events.push(Event {
        kind: "kill".into(),
        actor: Some("Tomas Weller".into()),
        target: Some("Ines Arnaud".into()),
        place: None,
        date: Some("2026-02-01".into()),
        trigger: "killed".into(),
        negated: false,
        span: char_span(&a.text, "Tomas Weller killed Ines Arnaud"),
        rule: "test".into(),
    });
    let (db, mut b) = item(
        "quay-b",
        "2026-02-03",
        "A hospital said 19 people died at the quay. Pavel Orsk killed Ines Arnaud, witnesses said. \
         The operator denied that the crane collapsed.",
    );
    attribute(&mut b, "A hospital", "said", "19 people died at the quay");
    attribute(&mut b, "The operator", "denied", "the crane collapsed");
    deaths(&mut b, "19 people", 19.0);
    person(&mut b, "Pavel Orsk");
    person(&mut b, "Ines Arnaud");
    b.events.push(Event {
        kind: "kill".into(),
        actor: Some("Pavel Orsk".into()),
        target: Some("Ines Arnaud".into()),
        place: None,
        date: Some("2026-02-01".into()),
        trigger: "killed".into(),
        negated: false,
        span: char_span(&b.text, "Pavel Orsk killed Ines Arnaud"),
        rule: "test".into(),
    });
    let (dc, mut c) = item("fair", "2026-03-01", "The fair committee said the market reopened in March.");
    attribute(&mut c, "The fair committee", "said", "the market reopened in March");
    let group = DuplicateGroup {
        id: "g1".into(),
        canonical: "quay-a".into(),
        members: vec!["quay-a".into(), "quay-b".into()],
        pairs: vec![("quay-a".into(), "quay-b".into(), 0.05)],
    };
    (vec![(da, a), (db, b), (dc, c)], vec![group])
}

fn stored(items: &[(Document, Extraction)]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(dir.path()).expect("open");
    let outcomes = store.insert_batch(items).expect("insert");
    assert!(outcomes.iter().all(|o| matches!(o, InsertOutcome::Added { .. })));
    (dir, store)
}

#[test]
fn link_results_round_trip_exactly() {
    let (items, groups) = corpus();
    let extractions: Vec<Extraction> = items.iter().map(|(_, x)| x.clone()).collect();
    let results = crosscheck_link::link_results(&extractions, &groups);
    // The corpus exercises every table.
    let c = &results.claims;
    assert!(!c.claims.is_empty() && !c.clusters.is_empty(), "numbers: {c:#?}");
    assert!(!c.statuses.is_empty() && !c.denials.is_empty(), "statuses and denials: {c:#?}");
    assert!(!c.statements.is_empty() && !c.statement_clusters.is_empty());
    assert!(c.comparisons.iter().any(|x| x.kind == "actor"), "{:#?}", c.comparisons);
    assert!(c.comparisons.iter().any(|x| x.kind == "numbers"), "{:#?}", c.comparisons);
    assert!(!results.provenance.citations.is_empty(), "{:#?}", results.provenance);
    assert!(!results.entities.is_empty());

    let (_dir, mut store) = stored(&items);
    assert_eq!(store.link_results().expect("read"), None, "never linked");
    store.replace_link_results(&results, 3, groups.len()).expect("write");
    let run = store.link_run().expect("run").expect("a run");
    assert_eq!((run.documents, run.groups), (3, 1));
    let back = store.link_results().expect("read").expect("stored");
    assert_eq!(back.claims.statements, results.claims.statements);
    assert_eq!(back.claims.statement_clusters, results.claims.statement_clusters);
    assert_eq!(back.claims.comparisons, results.claims.comparisons);
    assert_eq!(back, results);

    // Every stored span points at its text.
    let text_of = |doc: &str| items.iter().find(|(d, _)| d.id == doc).map(|(d, _)| d.text.clone()).unwrap_or_default();
    for s in &back.claims.statements {
        assert_eq!(crosscheck_text::slice_chars(&text_of(&s.evidence.doc), s.evidence.span), s.evidence.text);
    }

    // A second write replaces everything, leaving nothing of the first behind.
    let fewer = crosscheck_link::link_results(&extractions[2..], &[]);
    store.replace_link_results(&fewer, 1, 0).expect("rewrite");
    assert_eq!(store.link_results().expect("read").expect("stored"), fewer);
}

fn link_index_sql(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'link%' AND sql IS NOT NULL ORDER BY name")
        .expect("prepare");
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).expect("query").collect::<Result<_, _>>().expect("rows")
}

/// Also: the link tables' indexes, dropped during a write, are rebuilt after it and kept
/// after a failed one, and foreign keys are off only while results are written.
#[test]
fn results_naming_a_missing_document_change_nothing() {
    let (items, groups) = corpus();
    let extractions: Vec<Extraction> = items.iter().map(|(_, x)| x.clone()).collect();
    let results = crosscheck_link::link_results(&extractions, &groups);
    // Only the unrelated document is stored: the story's rows have no document to point at.
    let (_dir, mut store) = stored(&items[2..]);
    let indexes = link_index_sql(&store);
    assert!(indexes.iter().any(|(name, _)| name == "link_claims_by_doc"), "{indexes:#?}");
    let only_fair = crosscheck_link::link_results(&extractions[2..], &[]);
    store.replace_link_results(&only_fair, 1, 0).expect("write");
    assert_eq!(link_index_sql(&store), indexes);
    let err = store.replace_link_results(&results, 3, 1).expect_err("a missing document");
    assert!(err.to_string().contains("names a missing row of"), "{err}");
    assert_eq!(store.link_results().expect("read").expect("stored"), only_fair);
    assert_eq!(link_index_sql(&store), indexes);
    assert_eq!(store.integrity_check().expect("check"), "ok");
    let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).expect("fk");
    assert_eq!(fk, 1);
}

/// Links `store` through a [`LinkResultsWriter`], as `crosscheck link` does.
fn link_streamed(store: &Store, groups: &[DuplicateGroup], documents: usize) -> Result<(), StoreError> {
    let mut writer = store.link_results_writer(documents, groups.len())?;
    crosscheck_link::link_results_into(store, groups, &mut writer)
}

/// The streamed write stores exactly what the in-memory results hold, including a statement
/// whose id repeats another's (an event and a quote of one span and verb).
#[test]
fn streamed_link_stores_what_the_in_memory_results_hold() {
    let (mut items, groups) = corpus();
    attribute(&mut items[0].1, "Police", "said", "Tomas Weller killed Ines Arnaud");
    let extractions: Vec<Extraction> = items.iter().map(|(_, x)| x.clone()).collect();
    let results = crosscheck_link::link_results(&extractions, &groups);
    // The event and the quote of the killing share one id: one statement is stored.
    let kill: Vec<&crosscheck_link::Statement> =
        results.claims.statements.iter().filter(|s| s.evidence.doc == "quay-a" && s.predicate_key == "kill").collect();
    assert_eq!(kill.len(), 1, "{kill:#?}");

    let (_dir, store) = stored(&items);
    link_streamed(&store, &groups, 3).expect("streamed link");
    let run = store.link_run().expect("run").expect("a run");
    assert_eq!((run.documents, run.groups), (3, 1));
    let back = store.link_results().expect("read").expect("stored");
    assert_eq!(back.claims.statements, results.claims.statements);
    assert_eq!(back.claims.statement_clusters, results.claims.statement_clusters);
    assert_eq!(back.claims.comparisons, results.claims.comparisons);
    assert_eq!(back.entities, results.entities);
    assert_eq!(back, results);
    assert_eq!(store.integrity_check().expect("check"), "ok");
    let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).expect("fk");
    assert_eq!(fk, 1);

    // Linking again replaces the run whole.
    link_streamed(&store, &groups, 3).expect("second streamed link");
    assert_eq!(store.link_results().expect("read").expect("stored"), results);
}

/// A run that reads its documents through a second connection ([`Store::reader`], as
/// `crosscheck link` does) stores the same; that connection reads the last commit, never the
/// run's own writes, and sees the run once it is committed.
#[test]
fn a_run_reading_through_a_second_connection_stores_the_same() {
    use crosscheck_link::LinkSink;
    let (items, groups) = corpus();
    let extractions: Vec<Extraction> = items.iter().map(|(_, x)| x.clone()).collect();
    let results = crosscheck_link::link_results(&extractions, &groups);
    let (_dir, store) = stored(&items);
    let reader = store.reader().expect("reader");
    let claims =
        |s: &Store| -> i64 { s.conn.query_row("SELECT count(*) FROM link_claims", [], |r| r.get(0)).expect("count") };
    {
        let mut writer = store.link_results_writer(3, 1).expect("writer");
        writer.document_statements(&results.claims.statements[..1], &[]).expect("a statement");
        assert_eq!(claims(&store), 1);
        assert_eq!(claims(&reader), 0, "the run's writes are not committed");
    }
    let mut writer = store.link_results_writer(3, 1).expect("writer");
    crosscheck_link::link_results_into(&reader, &groups, &mut writer).expect("streamed link");
    drop(writer);
    assert_eq!(store.link_results().expect("read").expect("stored"), results);
    assert_eq!(reader.link_results().expect("read").expect("committed"), results);
    assert!(reader.conn.execute("DELETE FROM link_runs", []).is_err(), "the reader is read-only");
}

/// A streamed run that stops before `finish` (an error, or the process ending) leaves the
/// previous results and indexes as they were.
#[test]
fn an_unfinished_streamed_run_leaves_the_previous_results() {
    use crosscheck_link::LinkSink;
    let (items, groups) = corpus();
    let extractions: Vec<Extraction> = items.iter().map(|(_, x)| x.clone()).collect();
    let results = crosscheck_link::link_results(&extractions, &groups);
    let (_dir, mut store) = stored(&items);
    store.replace_link_results(&results, 3, 1).expect("write");
    let indexes = link_index_sql(&store);
    {
        let mut writer = store.link_results_writer(3, 1).expect("writer");
        writer.document_statements(&results.claims.statements[..1], &[]).expect("a statement");
        // Out of id order: refused, and the run is abandoned.
        writer.document_mentions("quay-b", &[]).expect("mentions");
        assert!(writer.document_mentions("quay-a", &[]).is_err());
    }
    assert_eq!(store.link_results().expect("read").expect("stored"), results);
    assert_eq!(link_index_sql(&store), indexes);
    let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).expect("fk");
    assert_eq!(fk, 1);
    // The store is writable again.
    link_streamed(&store, &groups, 3).expect("streamed link");
    assert_eq!(store.link_results().expect("read").expect("stored"), results);
}

/// The set-wise reference check finds a missing parent of each kind: an entity (integer key),
/// a claim (text key behind a cluster that exists), a document.
#[test]
fn the_reference_check_finds_each_missing_parent() {
    let (items, _) = corpus();
    let extractions: Vec<Extraction> = items.iter().map(|(_, x)| x.clone()).collect();
    let results = crosscheck_link::link_results(&extractions, &[]);
    let (_dir, mut store) = stored(&items);
    store.replace_link_results(&results, items.len(), 0).expect("write");
    super::check_link_references(&store.conn).expect("consistent");
    let cluster: String =
        store.conn.query_row("SELECT id FROM link_claim_clusters LIMIT 1", [], |r| r.get(0)).expect("a cluster");
    let doc: String = store.conn.query_row("SELECT id FROM documents LIMIT 1", [], |r| r.get(0)).expect("a document");
    let bad_rows = [
        ("INSERT INTO link_entity_mentions VALUES (999999, 0, ?1, 0, 1, 'x')", "link_entities"),
        ("INSERT INTO link_claim_evidence VALUES (?2, 999999, 'Snot-a-claim', ?1, 0, 1)", "link_claims"),
        ("INSERT INTO link_comparison_evidence VALUES ('Cnone', 'left', 'no-such-doc', 0, 1, 'x')", "documents"),
    ];
    store.conn.pragma_update(None, "foreign_keys", false).expect("fk off");
    for (sql, parent) in bad_rows {
        store.conn.execute_batch("BEGIN").expect("begin");
        let params: &[&dyn rusqlite::ToSql] = if sql.contains("?2") {
            &[&doc, &cluster]
        } else if sql.contains("?1") {
            &[&doc]
        } else {
            &[]
        };
        store.conn.execute(sql, params).expect("insert");
        let err = super::check_link_references(&store.conn).expect_err(parent);
        assert!(err.to_string().contains(&format!("names a missing row of {parent}")), "{err}");
        store.conn.execute_batch("ROLLBACK").expect("rollback");
    }
    store.conn.pragma_update(None, "foreign_keys", true).expect("fk on");
    super::check_link_references(&store.conn).expect("consistent again");
}
