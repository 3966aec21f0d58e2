//! Reading back: documents, whole extractions (reassembled from their item tables in stored
//! order) and duplicate groups. Every table is read with one ordered query and stitched by
//! document id, not one query per document. Nothing read from disk is trusted: bad JSON,
//! unknown enum names, negative offsets or orphan rows become [`StoreError::Corrupt`]; this
//! module must never panic on persisted data.

use std::collections::HashMap;

use rusqlite::types::FromSql;
use rusqlite::{Row, ToSql};

use crosscheck_model::{
    Attribution, DateMention, Document, DuplicateGroup, Entity, EntityType, Event, Extraction, Mention, Quantity, Role,
    SourceFormat, Span,
};

use crate::error::{corrupt, StoreError};
use crate::Store;

fn col<T: FromSql>(row: &Row<'_>, idx: usize) -> Result<T, StoreError> {
    Ok(row.get(idx)?)
}

fn offset(row: &Row<'_>, idx: usize, table: &str) -> Result<usize, StoreError> {
    let n: i64 = col(row, idx)?;
    usize::try_from(n).map_err(|_| corrupt(format!("{table}: negative offset {n}")))
}

fn span(row: &Row<'_>, start: usize, table: &str) -> Result<Span, StoreError> {
    Ok(Span::new(offset(row, start, table)?, offset(row, start + 1, table)?))
}

fn optional_span(row: &Row<'_>, start: usize, table: &str) -> Result<Option<Span>, StoreError> {
    let a: Option<i64> = col(row, start)?;
    let b: Option<i64> = col(row, start + 1)?;
    match (a, b) {
        (None, None) => Ok(None),
        (Some(_), Some(_)) => Ok(Some(span(row, start, table)?)),
        _ => Err(corrupt(format!("{table}: half of an optional span is NULL"))),
    }
}

fn json_list(text: &str, what: impl FnOnce() -> String) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("{}: {e}", what())))
}

fn source_format(name: &str, id: &str) -> Result<SourceFormat, StoreError> {
    // Every variant's stored name is its `as_str` (write.rs), so the model's parse covers new ones.
    SourceFormat::parse(name).ok_or_else(|| corrupt(format!("documents.format of {id}: unknown format {name:?}")))
}

/// One row of an item table read by document: its `doc_id` and what the reader needs of it.
type ItemRow<T> = Option<(String, T)>;

/// `WHERE doc_id = ?1` when reading one document, nothing when reading all.
struct Filter<'a> {
    doc_id: Option<&'a str>,
}

impl Filter<'_> {
    fn clause(&self, column: &str) -> String {
        match self.doc_id {
            Some(_) => format!("WHERE {column} = ?1"),
            None => String::new(),
        }
    }
    fn params(&self) -> Vec<&dyn ToSql> {
        match &self.doc_id {
            Some(id) => vec![id as &dyn ToSql],
            None => Vec::new(),
        }
    }
}

impl Store {
    /// All documents, ordered by id.
    pub fn documents(&self) -> Result<Vec<Document>, StoreError> {
        self.load_documents(&Filter { doc_id: None })
    }

    /// One document, `None` if no document has this id.
    pub fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        Ok(self.load_documents(&Filter { doc_id: Some(id) })?.pop())
    }

    fn load_documents(&self, filter: &Filter<'_>) -> Result<Vec<Document>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, origin, format, url, outlet, date, title, author, language, text, content_hash, warnings
             FROM documents {} ORDER BY id",
            filter.clause("id")
        ))?;
        let mut rows = stmt.query(filter.params().as_slice())?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let id: String = col(row, 0)?;
            let format: String = col(row, 2)?;
            let warnings: String = col(row, 11)?;
            out.push(Document {
                format: source_format(&format, &id)?,
                origin: col(row, 1)?,
                url: col(row, 3)?,
                outlet: col(row, 4)?,
                date: col(row, 5)?,
                title: col(row, 6)?,
                author: col(row, 7)?,
                language: col(row, 8)?,
                text: col(row, 9)?,
                content_hash: col(row, 10)?,
                warnings: json_list(&warnings, || format!("documents.warnings of {id}"))?,
                id,
            });
        }
        Ok(out)
    }

    /// Every document's full extraction, ordered by id, items in stored order.
    pub fn extractions(&self) -> Result<Vec<Extraction>, StoreError> {
        self.load_extractions(&Filter { doc_id: None })
    }

    /// The extraction of one document, `None` if no document has this id.
    pub fn extraction(&self, id: &str) -> Result<Option<Extraction>, StoreError> {
        Ok(self.load_extractions(&Filter { doc_id: Some(id) })?.pop())
    }

    /// Streams what linking needs of every document, in id order, without building whole
    /// extractions: `visit(id, date, text, entity names, amounts as (value, unit))`, with the
    /// extraction's date and text where it has its own, as [`Store::extractions`] reads them.
    /// Memory stays that of one document, so linking a million documents does not need a
    /// million extractions at once. Returns the number of documents visited.
    ///
    /// Three ordered scans (documents, entities, quantities — the item tables are keyed by
    /// `(doc_id, ordinal)`) merged by id, like a merge join. A NULL amount (stored NaN) is
    /// passed as NaN.
    pub fn for_each_link_input(
        &self,
        mut visit: impl FnMut(&str, Option<&str>, &str, &[String], &[(f64, String)]),
    ) -> Result<usize, StoreError> {
        let mut documents = self.conn.prepare(
            "SELECT d.id, CASE WHEN x.doc_id IS NULL THEN d.date ELSE x.date END, coalesce(x.text, d.text)
             FROM documents d LEFT JOIN extractions x ON x.doc_id = d.id ORDER BY d.id",
        )?;
        let mut entities = self.conn.prepare("SELECT doc_id, name FROM entities ORDER BY doc_id, ordinal")?;
        let mut quantities =
            self.conn.prepare("SELECT doc_id, value, unit FROM quantities ORDER BY doc_id, ordinal")?;
        let mut documents = documents.query([])?;
        let mut entity_rows = entities.query([])?;
        let mut quantity_rows = quantities.query([])?;
        let read_entity = |rows: &mut rusqlite::Rows<'_>| -> Result<ItemRow<String>, StoreError> {
            Ok(match rows.next()? {
                Some(row) => Some((col(row, 0)?, col(row, 1)?)),
                None => None,
            })
        };
        let read_quantity = |rows: &mut rusqlite::Rows<'_>| -> Result<ItemRow<(f64, String)>, StoreError> {
            Ok(match rows.next()? {
                Some(row) => Some((col(row, 0)?, (col::<Option<f64>>(row, 1)?.unwrap_or(f64::NAN), col(row, 2)?))),
                None => None,
            })
        };
        // The next unconsumed item row of each table: (doc_id, payload).
        let mut next_entity = read_entity(&mut entity_rows)?;
        let mut next_quantity = read_quantity(&mut quantity_rows)?;
        let mut names: Vec<String> = Vec::new();
        let mut amounts: Vec<(f64, String)> = Vec::new();
        let mut visited = 0usize;
        while let Some(row) = documents.next()? {
            let id: String = col(row, 0)?;
            let date: Option<String> = col(row, 1)?;
            let text: String = col(row, 2)?;
            names.clear();
            amounts.clear();
            // Item rows of ids before this one belong to no document: a corrupt store.
            while let Some((doc_id, name)) = next_entity.take() {
                match doc_id.as_str().cmp(id.as_str()) {
                    std::cmp::Ordering::Less => {
                        return Err(corrupt(format!("entities: row of unknown document {doc_id}")))
                    }
                    std::cmp::Ordering::Equal => {
                        names.push(name);
                        next_entity = read_entity(&mut entity_rows)?;
                    }
                    std::cmp::Ordering::Greater => {
                        next_entity = Some((doc_id, name));
                        break;
                    }
                }
            }
            while let Some((doc_id, amount)) = next_quantity.take() {
                match doc_id.as_str().cmp(id.as_str()) {
                    std::cmp::Ordering::Less => {
                        return Err(corrupt(format!("quantities: row of unknown document {doc_id}")))
                    }
                    std::cmp::Ordering::Equal => {
                        amounts.push(amount);
                        next_quantity = read_quantity(&mut quantity_rows)?;
                    }
                    std::cmp::Ordering::Greater => {
                        next_quantity = Some((doc_id, amount));
                        break;
                    }
                }
            }
            visit(&id, date.as_deref(), &text, &names, &amounts);
            visited += 1;
        }
        if let Some((doc_id, _)) = next_entity {
            return Err(corrupt(format!("entities: row of unknown document {doc_id}")));
        }
        if let Some((doc_id, _)) = next_quantity {
            return Err(corrupt(format!("quantities: row of unknown document {doc_id}")));
        }
        Ok(visited)
    }

    /// All duplicate groups, in the order they were given to `replace_duplicate_groups`.
    pub fn duplicate_groups(&self) -> Result<Vec<DuplicateGroup>, StoreError> {
        let mut groups: Vec<DuplicateGroup> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT id, canonical FROM duplicate_groups ORDER BY ordinal")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = col(row, 0)?;
            index.insert(id.clone(), groups.len());
            groups.push(DuplicateGroup { id, canonical: col(row, 1)?, members: Vec::new(), pairs: Vec::new() });
        }
        let mut stmt =
            self.conn.prepare("SELECT group_id, doc_id FROM duplicate_members ORDER BY group_id, ordinal")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let group_id: String = col(row, 0)?;
            let group = index
                .get(&group_id)
                .and_then(|&i| groups.get_mut(i))
                .ok_or_else(|| corrupt(format!("duplicate_members: unknown group {group_id}")))?;
            group.members.push(col(row, 1)?);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT group_id, doc_a, doc_b, similarity FROM duplicate_pairs ORDER BY group_id, ordinal")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let group_id: String = col(row, 0)?;
            let group = index
                .get(&group_id)
                .and_then(|&i| groups.get_mut(i))
                .ok_or_else(|| corrupt(format!("duplicate_pairs: unknown group {group_id}")))?;
            group.pairs.push((col(row, 1)?, col(row, 2)?, col(row, 3)?));
        }
        Ok(groups)
    }

    fn load_extractions(&self, filter: &Filter<'_>) -> Result<Vec<Extraction>, StoreError> {
        let mut out: Vec<Extraction> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let sql = format!(
            "SELECT d.id, x.doc_id, x.title, x.outlet, x.date, x.url, x.author, coalesce(x.text, d.text),
                    x.duplicates_of, x.copy_of, d.title, d.outlet, d.date, d.url, d.author
             FROM documents d LEFT JOIN extractions x ON x.doc_id = d.id {} ORDER BY d.id",
            filter.clause("d.id")
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(filter.params().as_slice())?;
        while let Some(row) = rows.next()? {
            let id: String = col(row, 0)?;
            let has_extraction_row = col::<Option<String>>(row, 1)?.is_some();
            // A document without an extraction row (not written by this crate, which always
            // writes both) reads as an extraction with the document's metadata and no items.
            let meta = if has_extraction_row { 2 } else { 10 };
            let duplicates_of = match col::<Option<String>>(row, 8)? {
                Some(list) => json_list(&list, || format!("extractions.duplicates_of of {id}"))?,
                None => Vec::new(),
            };
            index.insert(id.clone(), out.len());
            out.push(Extraction {
                title: col(row, meta)?,
                outlet: col(row, meta + 1)?,
                date: col(row, meta + 2)?,
                url: col(row, meta + 3)?,
                author: col(row, meta + 4)?,
                text: col(row, 7)?,
                entities: Vec::new(),
                roles: Vec::new(),
                attributions: Vec::new(),
                quantities: Vec::new(),
                dates: Vec::new(),
                events: Vec::new(),
                duplicates_of,
                copy_of: col(row, 9)?,
                id,
            });
        }
        if out.is_empty() {
            return Ok(out);
        }

        // Each item table: rows ordered by (doc_id, ordinal), appended to their extraction.
        let mut for_each_row = |table: &str,
                                columns: &str,
                                order: &str,
                                push: &mut dyn FnMut(&mut Extraction, &Row<'_>) -> Result<(), StoreError>|
         -> Result<(), StoreError> {
            let sql =
                format!("SELECT doc_id, {columns} FROM {table} {} ORDER BY doc_id, {order}", filter.clause("doc_id"));
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query(filter.params().as_slice())?;
            while let Some(row) = rows.next()? {
                let doc_id: String = col(row, 0)?;
                let extraction = index
                    .get(&doc_id)
                    .and_then(|&i| out.get_mut(i))
                    .ok_or_else(|| corrupt(format!("{table}: row of unknown document {doc_id}")))?;
                push(extraction, row)?;
            }
            Ok(())
        };

        for_each_row("entities", "name, type, aliases, rule, ordinal", "ordinal", &mut |x, row| {
            // Mentions find their entity by position, so ordinals must be 0, 1, 2, ...
            let ordinal = offset(row, 5, "entities")?;
            if ordinal != x.entities.len() {
                return Err(corrupt(format!("entities of {}: ordinal {ordinal} out of sequence", x.id)));
            }
            let kind_name: String = col(row, 2)?;
            let kind = EntityType::parse(&kind_name)
                .ok_or_else(|| corrupt(format!("entities.type of {}: unknown type {kind_name:?}", x.id)))?;
            let aliases: String = col(row, 3)?;
            x.entities.push(Entity {
                name: col(row, 1)?,
                kind,
                aliases: json_list(&aliases, || format!("entities.aliases of {}", x.id))?,
                mentions: Vec::new(),
                rule: col(row, 4)?,
            });
            Ok(())
        })?;
        for_each_row(
            "mentions",
            "entity_ordinal, span_start, span_end, text",
            "entity_ordinal, ordinal",
            &mut |x, row| {
                let entity_ordinal = offset(row, 1, "mentions")?;
                let entity = x
                    .entities
                    .get_mut(entity_ordinal)
                    .ok_or_else(|| corrupt(format!("mentions of {}: no entity {entity_ordinal}", x.id)))?;
                entity.mentions.push(Mention {
                    start: offset(row, 2, "mentions")?,
                    end: offset(row, 3, "mentions")?,
                    text: col(row, 4)?,
                });
                Ok(())
            },
        )?;
        for_each_row("roles", "person, role, organization, span_start, span_end, rule", "ordinal", &mut |x, row| {
            x.roles.push(Role {
                person: col(row, 1)?,
                role: col(row, 2)?,
                organization: col(row, 3)?,
                span: span(row, 4, "roles")?,
                rule: col(row, 6)?,
            });
            Ok(())
        })?;
        for_each_row(
            "attributions",
            "source, cue, content, span_start, span_end, source_start, source_end, content_start, content_end,
             direct, anonymous, rule",
            "ordinal",
            &mut |x, row| {
                x.attributions.push(Attribution {
                    source: col(row, 1)?,
                    cue: col(row, 2)?,
                    content: col(row, 3)?,
                    span: span(row, 4, "attributions")?,
                    source_span: optional_span(row, 6, "attributions")?,
                    content_span: optional_span(row, 8, "attributions")?,
                    direct: col(row, 10)?,
                    anonymous: col(row, 11)?,
                    rule: col(row, 12)?,
                });
                Ok(())
            },
        )?;
        for_each_row(
            "quantities",
            "text, value, unit, about, approximate, span_start, span_end, rule",
            "ordinal",
            &mut |x, row| {
                x.quantities.push(Quantity {
                    text: col(row, 1)?,
                    value: col::<Option<f64>>(row, 2)?.unwrap_or(f64::NAN),
                    unit: col(row, 3)?,
                    about: col(row, 4)?,
                    approximate: col(row, 5)?,
                    span: span(row, 6, "quantities")?,
                    rule: col(row, 8)?,
                });
                Ok(())
            },
        )?;
        for_each_row("dates", "text, resolved, inferred, span_start, span_end, rule", "ordinal", &mut |x, row| {
            x.dates.push(DateMention {
                text: col(row, 1)?,
                resolved: col(row, 2)?,
                inferred: col(row, 3)?,
                span: span(row, 4, "dates")?,
                rule: col(row, 6)?,
            });
            Ok(())
        })?;
        for_each_row(
            "events",
            "type, actor, target, place, date, trigger, negated, span_start, span_end, rule",
            "ordinal",
            &mut |x, row| {
                x.events.push(Event {
                    kind: col(row, 1)?,
                    actor: col(row, 2)?,
                    target: col(row, 3)?,
                    place: col(row, 4)?,
                    date: col(row, 5)?,
                    trigger: col(row, 6)?,
                    negated: col(row, 7)?,
                    span: span(row, 8, "events")?,
                    rule: col(row, 10)?,
                });
                Ok(())
            },
        )?;
        Ok(out)
    }
}

#[cfg(test)]
mod link_input_tests {
    use crosscheck_model::{Document, Entity, EntityType, Extraction, Quantity, SourceFormat, Span};

    use crate::Store;

    fn stored(id: &str, text: &str, names: &[&str], amounts: &[(f64, &str)]) -> (Document, Extraction) {
        let doc = Document {
            id: id.into(),
            origin: format!("/tmp/{id}.txt"),
            format: SourceFormat::Text,
            url: None,
            outlet: None,
            date: Some("2025-05-06".into()),
            title: None,
            author: None,
            language: None,
            text: text.into(),
            content_hash: format!("hash-{id}"),
            warnings: Vec::new(),
        };
        let mut x = Extraction::empty_for(&doc);
        x.entities = names
            .iter()
            .map(|n| Entity {
                name: (*n).into(),
                kind: EntityType::Person,
                aliases: Vec::new(),
                mentions: Vec::new(),
                rule: "test".into(),
            })
            .collect();
        x.quantities = amounts
            .iter()
            .map(|&(value, unit)| Quantity {
                text: "some".into(),
                value,
                unit: unit.into(),
                about: None,
                approximate: false,
                span: Span::new(0, 4),
                rule: "test".into(),
            })
            .collect();
        (doc, x)
    }

    #[test]
    fn link_inputs_stream_what_extractions_hold_in_id_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("open");
        let batch = vec![
            stored("b", "Second text here.", &["Ada Moss", "Port Vell"], &[(12.0, "persons")]),
            stored("a", "First text.", &[], &[(3.5, "USD"), (f64::NAN, "items")]),
            stored("c", "Third.", &["Lu Tan"], &[]),
        ];
        store.insert_batch(&batch).expect("insert");
        type Row = (String, Option<String>, String, Vec<String>, Vec<(f64, String)>);
        let mut seen: Vec<Row> = Vec::new();
        let count = store
            .for_each_link_input(|id, date, text, names, amounts| {
                seen.push((id.into(), date.map(Into::into), text.into(), names.to_vec(), amounts.to_vec()));
            })
            .expect("stream");
        assert_eq!(count, 3);
        let extractions = store.extractions().expect("extractions");
        assert_eq!(seen.len(), extractions.len());
        for (row, x) in seen.iter().zip(&extractions) {
            assert_eq!(row.0, x.id);
            assert_eq!(row.1, x.date);
            assert_eq!(row.2, x.text);
            assert_eq!(row.3, x.entities.iter().map(|e| e.name.clone()).collect::<Vec<_>>());
            assert_eq!(row.4.len(), x.quantities.len());
            for ((value, unit), q) in row.4.iter().zip(&x.quantities) {
                assert_eq!(unit, &q.unit);
                assert!(value == &q.value || (value.is_nan() && q.value.is_nan()));
            }
        }
        assert_eq!(seen[0].0, "a");
        assert_eq!(seen[1].3, vec!["Ada Moss", "Port Vell"]);
        assert!(seen[0].4[1].0.is_nan());
    }
}
