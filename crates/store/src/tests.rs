//! Unit tests of the store: open/migrate, exact round trip of rich extractions, duplicate and
//! id-collision handling, duplicate groups, and corruption reporting.

use super::*;
use crosscheck_model::{
    Attribution, DateMention, Document, Entity, EntityType, Event, Extraction, Mention, Quantity, Role, SourceFormat,
    Span,
};

fn document(id: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        origin: format!("/tmp/{id}.txt"),
        format: SourceFormat::Text,
        url: None,
        outlet: None,
        date: None,
        title: None,
        author: None,
        language: None,
        text: text.into(),
        content_hash: format!("hash-of-{text}"),
        warnings: Vec::new(),
    }
}

fn char_span(text: &str, surface: &str) -> Span {
    let byte = text.find(surface).unwrap_or_else(|| panic!("{surface:?} not in text"));
    let start = text[..byte].chars().count();
    Span::new(start, start + surface.chars().count())
}

/// A document with every kind of item, non-ASCII text and awkward floats.
fn rich(id: &str) -> (Document, Extraction) {
    let text = "Mayor Zoë Ortiz-Núñez of Marlowe told “Le Monde” on 3 March that 1.5 billion € and \
                roughly 7,000 workers — 12.5% of staff — would leave Köln. She did not withdraw. 東京 ok.";
    let mut doc = document(id, text);
    doc.format = SourceFormat::Html;
    doc.url = Some("https://example.invalid/a?b=1".into());
    doc.outlet = Some("Example Gazette".into());
    doc.date = Some("2025-03-04".into());
    doc.title = Some("Zoë’s “plan”".into());
    doc.author = Some("A. Writer".into());
    doc.language = Some("en".into());
    doc.warnings = vec!["invalid UTF-8 decoded lossily".into(), "quote \" and \\ backslash".into()];
    let mut x = Extraction::empty_for(&doc);
    let zoe = char_span(text, "Zoë Ortiz-Núñez");
    x.entities = vec![
        Entity {
            name: "Zoë Ortiz-Núñez".into(),
            kind: EntityType::Person,
            aliases: vec!["Ortiz-Núñez".into(), "She".into()],
            mentions: vec![
                Mention { start: zoe.start, end: zoe.end, text: "Zoë Ortiz-Núñez".into() },
                Mention { start: char_span(text, "She").start, end: char_span(text, "She").end, text: "She".into() },
            ],
            rule: "capitalised-sequence".into(),
        },
        Entity {
            name: "Le Monde".into(),
            kind: EntityType::Organization,
            aliases: Vec::new(),
            mentions: vec![Mention {
                start: char_span(text, "Le Monde").start,
                end: char_span(text, "Le Monde").end,
                text: "Le Monde".into(),
            }],
            rule: "gazetteer".into(),
        },
        Entity {
            name: "Köln".into(),
            kind: EntityType::Location,
            aliases: Vec::new(),
            mentions: Vec::new(),
            rule: "g".into(),
        },
    ];
    x.roles = vec![Role {
        person: "Zoë Ortiz-Núñez".into(),
        role: "Mayor".into(),
        organization: None,
        span: char_span(text, "Mayor Zoë Ortiz-Núñez"),
        rule: "title-before-name".into(),
    }];
    x.attributions = vec![
        Attribution {
            source: "Zoë Ortiz-Núñez".into(),
            cue: "told".into(),
            content: "1.5 billion € and roughly 7,000 workers would leave".into(),
            span: Span::new(0, 120),
            source_span: Some(zoe),
            content_span: None,
            direct: false,
            anonymous: false,
            rule: "cue-verb".into(),
        },
        Attribution {
            source: "officials".into(),
            cue: "said".into(),
            content: "x".into(),
            span: Span::new(3, 4),
            source_span: None,
            content_span: Some(Span::new(5, 9)),
            direct: true,
            anonymous: true,
            rule: "r".into(),
        },
    ];
    x.quantities = vec![
        Quantity {
            text: "1.5 billion €".into(),
            value: 1.5e9,
            unit: "EUR".into(),
            about: Some("aid".into()),
            approximate: false,
            span: char_span(text, "1.5 billion €"),
            rule: "money".into(),
        },
        Quantity {
            text: "roughly 7,000 workers".into(),
            value: 7000.0,
            unit: "persons".into(),
            about: None,
            approximate: true,
            span: char_span(text, "roughly 7,000 workers"),
            rule: "count".into(),
        },
        Quantity {
            text: "12.5%".into(),
            value: 0.1 + 0.2, // not exactly 0.3: must come back bit for bit
            unit: "percent".into(),
            about: None,
            approximate: false,
            span: char_span(text, "12.5%"),
            rule: "percent".into(),
        },
        Quantity {
            text: "tiny".into(),
            value: 1e-300,
            unit: "items".into(),
            about: None,
            approximate: false,
            span: Span::new(0, 1),
            rule: "r".into(),
        },
        Quantity {
            text: "huge".into(),
            value: -f64::MAX,
            unit: "items".into(),
            about: None,
            approximate: false,
            span: Span::new(0, 1),
            rule: "r".into(),
        },
    ];
    x.dates = vec![
        DateMention {
            text: "3 March".into(),
            resolved: Some("2025-03-03".into()),
            inferred: true,
            span: char_span(text, "3 March"),
            rule: "day-month".into(),
        },
        DateMention {
            text: "someday".into(),
            resolved: None,
            inferred: false,
            span: Span::new(1, 2),
            rule: "r".into(),
        },
    ];
    x.events = vec![Event {
        kind: "withdraw".into(),
        actor: Some("Zoë Ortiz-Núñez".into()),
        target: None,
        place: Some("Köln".into()),
        date: Some("2025-03-03".into()),
        trigger: "withdraw".into(),
        negated: true,
        span: char_span(text, "She did not withdraw."),
        rule: "trigger".into(),
    }];
    x.duplicates_of = vec!["other-1".into(), "other-2".into()];
    x.copy_of = Some("other-1".into());
    (doc, x)
}

fn open_temp() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("data")).expect("open");
    (dir, store)
}

#[test]
fn open_creates_the_directory_and_migrates_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("nested").join("data");
    let store = Store::open(&data).expect("open");
    assert!(data.join(DB_FILE_NAME).is_file());
    let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
    assert_eq!(version, schema::latest_version());
    let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("mode");
    assert_eq!(mode, "wal");
    let fk: i64 = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).expect("fk");
    assert_eq!(fk, 1);
    drop(store);
    // Reopening must not re-run migration 1 (it would fail on existing tables).
    let store = Store::open(&data).expect("reopen");
    assert_eq!(store.document_count().expect("count"), 0);
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

#[test]
fn read_only_open_of_a_missing_store_is_not_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    match Store::open_read_only(&dir.path().join("nothing-here")) {
        Err(StoreError::NotFound { dir: d }) => assert!(d.ends_with("nothing-here")),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[test]
fn newer_schema_is_refused() {
    let (dir, store) = open_temp();
    store.conn.pragma_update(None, "user_version", 99).expect("bump");
    drop(store);
    let data = dir.path().join("data");
    assert!(matches!(Store::open(&data), Err(StoreError::SchemaVersion { found: 99, .. })));
    assert!(matches!(Store::open_read_only(&data), Err(StoreError::SchemaVersion { found: 99, .. })));
}

#[test]
fn a_file_that_is_not_a_database_is_corrupt_not_io() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(DB_FILE_NAME), b"this is not sqlite, just some words\n".repeat(200)).expect("write");
    assert!(matches!(Store::open(dir.path()), Err(StoreError::Corrupt { .. })));
    assert!(matches!(Store::open_read_only(dir.path()), Err(StoreError::Corrupt { .. })));
}

#[test]
fn rich_extraction_round_trips_exactly() {
    let (dir, mut store) = open_temp();
    let (doc, x) = rich("r1");
    let outcomes = store.insert_batch(&[(doc.clone(), x.clone())]).expect("insert");
    assert_eq!(outcomes, vec![InsertOutcome::Added { id: "r1".into() }]);
    let back = store.extraction("r1").expect("read").expect("present");
    assert_eq!(back, x);
    // f64 equality above treats -0.0 == 0.0 and compares NaN unequal; check the bits too.
    for (a, b) in back.quantities.iter().zip(&x.quantities) {
        assert_eq!(a.value.to_bits(), b.value.to_bits());
    }
    for entity in &back.entities {
        for m in &entity.mentions {
            let surface: String = back.text.chars().skip(m.start).take(m.end - m.start).collect();
            assert_eq!(surface, m.text);
        }
    }
    assert_eq!(store.documents().expect("docs"), vec![doc.clone()]);
    assert_eq!(store.extractions().expect("all"), vec![x.clone()]);
    assert_eq!(store.extraction("missing").expect("read"), None);
    assert!(store.contains_hash(&doc.content_hash).expect("hash"));
    assert!(!store.contains_hash("nope").expect("hash"));
    drop(store);
    let store = Store::open_read_only(&dir.path().join("data")).expect("read-only");
    assert_eq!(store.extractions().expect("all"), vec![x]);
}

#[test]
fn nan_quantity_reads_back_as_nan() {
    let (_dir, mut store) = open_temp();
    let (doc, mut x) = rich("n");
    x.quantities[0].value = f64::NAN;
    store.insert_batch(&[(doc, x)]).expect("insert");
    let back = store.extraction("n").expect("read").expect("present");
    assert!(back.quantities[0].value.is_nan());
}

#[test]
fn extraction_metadata_and_text_that_differ_from_the_document_survive() {
    let (_dir, mut store) = open_temp();
    let (doc, mut x) = rich("m");
    x.title = None;
    x.outlet = Some("Other Outlet".into());
    x.text = "a different text".into();
    store.insert_batch(&[(doc.clone(), x.clone())]).expect("insert");
    assert_eq!(store.extraction("m").expect("read"), Some(x));
    assert_eq!(store.documents().expect("docs")[0].text, doc.text);
}

#[test]
fn duplicates_by_hash_are_skipped_and_taken_ids_get_a_suffix() {
    let (_dir, mut store) = open_temp();
    let a = document("a", "first text");
    let a_again = document("a-copy", "first text");
    let a_other = document("a", "second text");
    let a_third = document("a", "third text");
    let items: Vec<(Document, Extraction)> =
        [a, a_again, a_other, a_third].into_iter().map(|d| (d.clone(), Extraction::empty_for(&d))).collect();
    let outcomes = store.insert_batch(&items).expect("insert");
    assert_eq!(
        outcomes,
        vec![
            InsertOutcome::Added { id: "a".into() },
            InsertOutcome::Duplicate { id: "a-copy".into(), existing_id: "a".into() },
            InsertOutcome::Added { id: "a~2".into() },
            InsertOutcome::Added { id: "a~3".into() },
        ]
    );
    let renamed = store.extraction("a~2").expect("read").expect("present");
    assert_eq!(renamed.id, "a~2");
    assert_eq!(renamed.text, "second text");
    let ids: Vec<String> = store.documents().expect("docs").into_iter().map(|d| d.id).collect();
    assert_eq!(ids, vec!["a", "a~2", "a~3"]);
    // Re-ingesting everything is a no-op.
    let again = store.insert_batch(&items).expect("insert again");
    assert!(again.iter().all(|o| matches!(o, InsertOutcome::Duplicate { .. })), "{again:?}");
    assert_eq!(store.document_count().expect("count"), 3);
}

#[test]
fn a_failing_batch_stores_nothing() {
    let (_dir, mut store) = open_temp();
    let good = rich("good");
    let (bad_doc, mut bad_x) = rich("bad");
    let mut bad_doc = bad_doc;
    bad_doc.content_hash = "other-hash".into();
    bad_x.quantities[1].span = Span::new(usize::MAX, usize::MAX);
    let result = store.insert_batch(&[good, (bad_doc, bad_x)]);
    assert!(matches!(result, Err(StoreError::Invalid { .. })), "{result:?}");
    assert_eq!(store.document_count().expect("count"), 0);
    assert_eq!(store.extractions().expect("all"), Vec::new());
}

#[test]
fn duplicate_groups_replace_and_set_extraction_fields() {
    let (_dir, mut store) = open_temp();
    let items: Vec<(Document, Extraction)> = ["a", "b", "c", "d"]
        .into_iter()
        .map(|id| {
            let d = document(id, &format!("text of {id}"));
            (d.clone(), Extraction::empty_for(&d))
        })
        .collect();
    store.insert_batch(&items).expect("insert");
    let groups = vec![DuplicateGroup {
        id: "D1".into(),
        canonical: "a".into(),
        members: vec!["a".into(), "b".into(), "c".into()],
        pairs: vec![("a".into(), "b".into(), 0.9), ("b".into(), "c".into(), 0.1 + 0.2)],
    }];
    store.replace_duplicate_groups(&groups).expect("replace");
    assert_eq!(store.duplicate_groups().expect("groups"), groups);
    let b = store.extraction("b").expect("read").expect("present");
    assert_eq!(b.duplicates_of, vec!["a", "c"]);
    assert_eq!(b.copy_of.as_deref(), Some("a"));
    let c = store.extraction("c").expect("read").expect("present");
    assert_eq!(c.copy_of, None, "c is linked to a only through b");

    // A group naming an unknown document fails and leaves the previous groups in place.
    let bad = vec![DuplicateGroup {
        id: "D2".into(),
        canonical: "a".into(),
        members: vec!["a".into(), "zzz".into()],
        pairs: Vec::new(),
    }];
    assert!(store.replace_duplicate_groups(&bad).is_err());
    assert_eq!(store.duplicate_groups().expect("groups"), groups);

    store.replace_duplicate_groups(&[]).expect("clear");
    assert!(store.duplicate_groups().expect("groups").is_empty());
    let b = store.extraction("b").expect("read").expect("present");
    assert!(b.duplicates_of.is_empty() && b.copy_of.is_none());
}

#[test]
fn bad_json_in_a_column_is_corrupt() {
    let (_dir, mut store) = open_temp();
    let (doc, x) = rich("j");
    store.insert_batch(&[(doc, x)]).expect("insert");
    store.conn.execute("UPDATE entities SET aliases = '[\"unterminated' WHERE doc_id = 'j'", []).expect("poke");
    match store.extraction("j") {
        Err(StoreError::Corrupt { what }) => {
            assert!(what.contains("entities.aliases of j"), "{what}")
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    store.conn.execute("UPDATE documents SET warnings = 'nope' WHERE id = 'j'", []).expect("poke");
    assert!(matches!(store.documents(), Err(StoreError::Corrupt { .. })));
}

#[test]
fn unknown_enum_names_and_negative_offsets_are_corrupt() {
    let (_dir, mut store) = open_temp();
    let (doc, x) = rich("e");
    store.insert_batch(&[(doc, x)]).expect("insert");
    store.conn.execute("UPDATE quantities SET span_start = -4 WHERE doc_id = 'e'", []).expect("poke");
    assert!(matches!(store.extractions(), Err(StoreError::Corrupt { .. })));
    store.conn.execute("UPDATE quantities SET span_start = 4 WHERE doc_id = 'e'", []).expect("poke");
    store.conn.execute("UPDATE entities SET type = 'thing' WHERE doc_id = 'e'", []).expect("poke");
    assert!(matches!(store.extractions(), Err(StoreError::Corrupt { .. })));
    store.conn.execute("UPDATE entities SET type = 'person' WHERE doc_id = 'e'", []).expect("poke");
    store.conn.execute("UPDATE documents SET format = 'pdf' WHERE id = 'e'", []).expect("poke");
    assert!(matches!(store.documents(), Err(StoreError::Corrupt { .. })));
}

#[test]
fn deleting_a_document_cascades_to_all_its_rows() {
    let (_dir, mut store) = open_temp();
    let (doc, x) = rich("del");
    store.insert_batch(&[(doc, x)]).expect("insert");
    store.conn.execute("DELETE FROM documents WHERE id = 'del'", []).expect("delete");
    for table in ["extractions", "entities", "mentions", "roles", "attributions", "quantities", "dates", "events"] {
        let n: i64 = store.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count");
        assert_eq!(n, 0, "{table}");
    }
}

#[test]
fn writes_through_a_read_only_store_fail() {
    let (dir, store) = open_temp();
    drop(store);
    let mut ro = Store::open_read_only(&dir.path().join("data")).expect("read-only");
    let (doc, x) = rich("w");
    assert!(matches!(ro.insert_batch(&[(doc, x)]), Err(StoreError::Sqlite(_))));
}

/// Rows of the full-text index, by document id.
fn indexed_ids(store: &Store) -> Vec<String> {
    let mut stmt = store.conn.prepare("SELECT doc_id FROM documents_fts ORDER BY doc_id").expect("prepare");
    stmt.query_map([], |row| row.get(0)).expect("query").collect::<Result<_, _>>().expect("rows")
}

#[test]
fn a_version_three_store_upgrades_and_every_batch_is_indexed_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        // A store as version 3 wrote it: documents indexed by the insert trigger.
        let mut conn = rusqlite::Connection::open(dir.path().join(DB_FILE_NAME)).expect("open");
        let tx = conn.transaction().expect("tx");
        for sql in &schema::MIGRATIONS[..3] {
            tx.execute_batch(sql).expect("migration");
        }
        tx.pragma_update(None, "user_version", 3).expect("version");
        tx.execute(
            "INSERT INTO documents (id, origin, format, text, content_hash) VALUES ('old', 'o', 'text', 'The ferry sank.', 'h')",
            [],
        )
        .expect("row");
        tx.commit().expect("commit");
    }
    let mut store = Store::open(dir.path()).expect("migrate");
    assert_eq!(indexed_ids(&store), ["old"]);
    let before = store.generation().expect("generation");
    let batch = [
        (document("a", "The ferry was raised."), Extraction::empty_for(&document("a", "The ferry was raised."))),
        (document("old", "A ferry sank again."), Extraction::empty_for(&document("old", "A ferry sank again."))),
        (document("c", "The ferry was raised."), Extraction::empty_for(&document("c", "The ferry was raised."))),
    ];
    let outcomes = store.insert_batch(&batch).expect("insert");
    assert!(matches!(&outcomes[1], InsertOutcome::Added { id } if id == "old~2"));
    assert!(matches!(&outcomes[2], InsertOutcome::Duplicate { .. }));
    // Added documents are indexed under their stored ids, duplicates not at all.
    assert_eq!(indexed_ids(&store), ["a", "old", "old~2"]);
    assert!(store.generation().expect("generation") > before);
    let hits: Vec<String> = store
        .search(&SearchQuery { query: "ferry".into(), limit: 10, ..SearchQuery::default() })
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(hits.len(), 3, "{hits:?}");
    // A batch of duplicates only writes nothing, not even the generation.
    let before = store.generation().expect("generation");
    store.insert_batch(&batch[2..]).expect("insert");
    assert_eq!(store.generation().expect("generation"), before);
    // Deleting still drops the index entry (trigger kept).
    store.conn.execute("DELETE FROM documents WHERE id = 'a'", []).expect("delete");
    assert_eq!(indexed_ids(&store), ["old", "old~2"]);
    assert_eq!(store.integrity_check().expect("check"), "ok");
}
