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

/// A non-negative integer column (an offset, a count); negative is corrupt.
pub(crate) fn offset(row: &Row<'_>, idx: usize, table: &str) -> Result<usize, StoreError> {
    let n: i64 = col(row, idx)?;
    usize::try_from(n).map_err(|_| corrupt(format!("{table}: negative offset {n}")))
}

/// A span stored as two offset columns, `start` and the one after it.
pub(crate) fn span(row: &Row<'_>, start: usize, table: &str) -> Result<Span, StoreError> {
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
        let mut out = Vec::new();
        self.stream_extractions(filter, Parts::All, &mut |x| {
            out.push(x);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams every document's full extraction, in id order, items in stored order — what
    /// [`Store::extractions`] returns, one at a time, so memory holds one extraction. Returns
    /// the number of documents visited.
    pub fn for_each_extraction(&self, mut visit: impl FnMut(Extraction)) -> Result<usize, StoreError> {
        let mut visited = 0usize;
        self.stream_extractions(&Filter { doc_id: None }, Parts::All, &mut |x| {
            visited += 1;
            visit(x);
            Ok(())
        })?;
        Ok(visited)
    }

    /// Streams each document's id, outlet and entities (with aliases and mentions), in id
    /// order, as [`Store::for_each_extraction`] would give them but without reading the other
    /// item tables. Returns the number of documents visited.
    pub fn for_each_document_entities(
        &self,
        mut visit: impl FnMut(&str, Option<&str>, Vec<Entity>),
    ) -> Result<usize, StoreError> {
        let mut visited = 0usize;
        self.stream_extractions(&Filter { doc_id: None }, Parts::Entities, &mut |x| {
            visited += 1;
            visit(&x.id, x.outlet.as_deref(), x.entities);
            Ok(())
        })?;
        Ok(visited)
    }

    /// Visits `(id, text)` of each document of `ids` that is stored (the extraction's text
    /// where it has its own, as [`Store::extractions`] reads it), in the order given: one
    /// indexed lookup per id.
    pub fn for_each_text<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
        mut visit: impl FnMut(&str, &str),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT coalesce(x.text, d.text) FROM documents d LEFT JOIN extractions x ON x.doc_id = d.id
             WHERE d.id = ?1",
        )?;
        for id in ids {
            let mut rows = stmt.query([id])?;
            if let Some(row) = rows.next()? {
                let text: String = col(row, 0)?;
                visit(id, &text);
            }
        }
        Ok(())
    }

    /// Reads extractions one by one: the documents in id order, and each item table in one
    /// ordered scan (tables are keyed by `(doc_id, ordinal)`) merged by id like a merge join;
    /// each extraction is handed to `visit` complete. Item rows of no document are
    /// [`StoreError::Corrupt`].
    fn stream_extractions(
        &self,
        filter: &Filter<'_>,
        parts: Parts,
        visit: &mut dyn FnMut(Extraction) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // SQLite computes every result column of a row, whether it is read or not: without
        // the text, a pass over entities does not load every document's text (and its overflow
        // pages) for nothing.
        let text = if parts == Parts::All { "coalesce(x.text, d.text)" } else { "NULL" };
        let sql = format!(
            "SELECT d.id, x.doc_id, x.title, x.outlet, x.date, x.url, x.author, {text},
                    x.duplicates_of, x.copy_of, d.title, d.outlet, d.date, d.url, d.author
             FROM documents d LEFT JOIN extractions x ON x.doc_id = d.id {} ORDER BY d.id",
            filter.clause("d.id")
        );
        let prepare = |table: &str, columns: &str, order: &str| {
            self.conn.prepare(&format!(
                "SELECT doc_id, {columns} FROM {table} {} ORDER BY doc_id, {order}",
                filter.clause("doc_id")
            ))
        };
        let all = parts == Parts::All;
        let mut documents = self.conn.prepare(&sql)?;
        let mut entities = prepare("entities", "name, type, aliases, rule, ordinal", "ordinal")?;
        let mut mentions =
            prepare("mentions", "entity_ordinal, span_start, span_end, text", "entity_ordinal, ordinal")?;
        let mut roles = prepare("roles", "person, role, organization, span_start, span_end, rule", "ordinal")?;
        let mut attributions = prepare(
            "attributions",
            "source, cue, content, span_start, span_end, source_start, source_end, content_start, content_end,
             direct, anonymous, rule",
            "ordinal",
        )?;
        let mut quantities =
            prepare("quantities", "text, value, unit, about, approximate, span_start, span_end, rule", "ordinal")?;
        let mut dates = prepare("dates", "text, resolved, inferred, span_start, span_end, rule", "ordinal")?;
        let mut events = prepare(
            "events",
            "type, actor, target, place, date, trigger, negated, span_start, span_end, rule",
            "ordinal",
        )?;
        let params = filter.params();
        let mut entities = ItemCursor::new(&mut entities, &params, "entities", |row| {
            let kind_name: String = col(row, 2)?;
            let doc_id = || col::<String>(row, 0).unwrap_or_default();
            let kind = EntityType::parse(&kind_name)
                .ok_or_else(|| corrupt(format!("entities.type of {}: unknown type {kind_name:?}", doc_id())))?;
            let aliases: String = col(row, 3)?;
            let entity = Entity {
                name: col(row, 1)?,
                kind,
                aliases: json_list(&aliases, || format!("entities.aliases of {}", doc_id()))?,
                mentions: Vec::new(),
                rule: col(row, 4)?,
            };
            Ok((offset(row, 5, "entities")?, entity))
        })?;
        let mut mentions = ItemCursor::new(&mut mentions, &params, "mentions", |row| {
            let mention =
                Mention { start: offset(row, 2, "mentions")?, end: offset(row, 3, "mentions")?, text: col(row, 4)? };
            Ok((offset(row, 1, "mentions")?, mention))
        })?;
        let mut roles = ItemCursor::optional(all, &mut roles, &params, "roles", |row| {
            Ok(Role {
                person: col(row, 1)?,
                role: col(row, 2)?,
                organization: col(row, 3)?,
                span: span(row, 4, "roles")?,
                rule: col(row, 6)?,
            })
        })?;
        let mut attributions = ItemCursor::optional(all, &mut attributions, &params, "attributions", |row| {
            Ok(Attribution {
                source: col(row, 1)?,
                cue: col(row, 2)?,
                content: col(row, 3)?,
                span: span(row, 4, "attributions")?,
                source_span: optional_span(row, 6, "attributions")?,
                content_span: optional_span(row, 8, "attributions")?,
                direct: col(row, 10)?,
                anonymous: col(row, 11)?,
                rule: col(row, 12)?,
            })
        })?;
        let mut quantities = ItemCursor::optional(all, &mut quantities, &params, "quantities", |row| {
            Ok(Quantity {
                text: col(row, 1)?,
                value: col::<Option<f64>>(row, 2)?.unwrap_or(f64::NAN),
                unit: col(row, 3)?,
                about: col(row, 4)?,
                approximate: col(row, 5)?,
                span: span(row, 6, "quantities")?,
                rule: col(row, 8)?,
            })
        })?;
        let mut dates = ItemCursor::optional(all, &mut dates, &params, "dates", |row| {
            Ok(DateMention {
                text: col(row, 1)?,
                resolved: col(row, 2)?,
                inferred: col(row, 3)?,
                span: span(row, 4, "dates")?,
                rule: col(row, 6)?,
            })
        })?;
        let mut events = ItemCursor::optional(all, &mut events, &params, "events", |row| {
            Ok(Event {
                kind: col(row, 1)?,
                actor: col(row, 2)?,
                target: col(row, 3)?,
                place: col(row, 4)?,
                date: col(row, 5)?,
                trigger: col(row, 6)?,
                negated: col(row, 7)?,
                span: span(row, 8, "events")?,
                rule: col(row, 10)?,
            })
        })?;

        let mut rows = documents.query(params.as_slice())?;
        let mut entity_rows: Vec<(usize, Entity)> = Vec::new();
        let mut mention_rows: Vec<(usize, Mention)> = Vec::new();
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
            let mut x = Extraction {
                title: col(row, meta)?,
                outlet: col(row, meta + 1)?,
                date: col(row, meta + 2)?,
                url: col(row, meta + 3)?,
                author: col(row, meta + 4)?,
                text: if all { col(row, 7)? } else { String::new() },
                entities: Vec::new(),
                roles: Vec::new(),
                attributions: Vec::new(),
                quantities: Vec::new(),
                dates: Vec::new(),
                events: Vec::new(),
                duplicates_of,
                copy_of: col(row, 9)?,
                id,
            };
            entity_rows.clear();
            entities.take_for(&x.id, &mut entity_rows)?;
            for (ordinal, entity) in entity_rows.drain(..) {
                // Mentions find their entity by position, so ordinals must be 0, 1, 2, ...
                if ordinal != x.entities.len() {
                    return Err(corrupt(format!("entities of {}: ordinal {ordinal} out of sequence", x.id)));
                }
                x.entities.push(entity);
            }
            mention_rows.clear();
            mentions.take_for(&x.id, &mut mention_rows)?;
            for (entity_ordinal, mention) in mention_rows.drain(..) {
                let entity = x
                    .entities
                    .get_mut(entity_ordinal)
                    .ok_or_else(|| corrupt(format!("mentions of {}: no entity {entity_ordinal}", x.id)))?;
                entity.mentions.push(mention);
            }
            roles.take_for(&x.id, &mut x.roles)?;
            attributions.take_for(&x.id, &mut x.attributions)?;
            quantities.take_for(&x.id, &mut x.quantities)?;
            dates.take_for(&x.id, &mut x.dates)?;
            events.take_for(&x.id, &mut x.events)?;
            visit(x)?;
        }
        entities.finish()?;
        mentions.finish()?;
        roles.finish()?;
        attributions.finish()?;
        quantities.finish()?;
        dates.finish()?;
        events.finish()?;
        Ok(())
    }
}

/// Which item tables [`Store::stream_extractions`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parts {
    All,
    /// Entities and their mentions only (and no text): the first pass of linking.
    Entities,
}

/// One item table read in `(doc_id, ordinal)` order, one row ahead: the items of each document
/// are taken in turn as the documents go by.
struct ItemCursor<'s, T, F> {
    /// `None` when the table is not read at all.
    rows: Option<rusqlite::Rows<'s>>,
    table: &'static str,
    decode: F,
    next: ItemRow<T>,
}

impl<'s, T, F: Fn(&Row<'_>) -> Result<T, StoreError>> ItemCursor<'s, T, F> {
    fn new(
        stmt: &'s mut rusqlite::Statement<'_>,
        params: &[&dyn ToSql],
        table: &'static str,
        decode: F,
    ) -> Result<Self, StoreError> {
        Self::optional(true, stmt, params, table, decode)
    }

    fn optional(
        read: bool,
        stmt: &'s mut rusqlite::Statement<'_>,
        params: &[&dyn ToSql],
        table: &'static str,
        decode: F,
    ) -> Result<Self, StoreError> {
        let rows = if read { Some(stmt.query(params)?) } else { None };
        let mut cursor = ItemCursor { rows, table, decode, next: None };
        cursor.advance()?;
        Ok(cursor)
    }

    fn advance(&mut self) -> Result<(), StoreError> {
        self.next = match &mut self.rows {
            Some(rows) => match rows.next()? {
                Some(row) => Some((col(row, 0)?, (self.decode)(row)?)),
                None => None,
            },
            None => None,
        };
        Ok(())
    }

    /// Appends the items of document `id` to `out`. Rows of an id before it belong to no
    /// document (documents come in the same order): a corrupt store.
    fn take_for(&mut self, id: &str, out: &mut Vec<T>) -> Result<(), StoreError> {
        loop {
            match &self.next {
                None => return Ok(()),
                Some((doc_id, _)) => match doc_id.as_str().cmp(id) {
                    std::cmp::Ordering::Less => {
                        return Err(corrupt(format!("{}: row of unknown document {doc_id}", self.table)))
                    }
                    std::cmp::Ordering::Greater => return Ok(()),
                    std::cmp::Ordering::Equal => {}
                },
            }
            if let Some((_, item)) = self.next.take() {
                out.push(item);
            }
            self.advance()?;
        }
    }

    /// Fails when rows are left after the last document.
    fn finish(&self) -> Result<(), StoreError> {
        match &self.next {
            Some((doc_id, _)) => Err(corrupt(format!("{}: row of unknown document {doc_id}", self.table))),
            None => Ok(()),
        }
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

    #[test]
    fn extractions_stream_one_at_a_time_as_they_load() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("open");
        let (doc_b, mut b) = stored("b", "Ada Moss met Lu Tan.", &["Ada Moss", "Lu Tan"], &[(12.0, "persons")]);
        b.entities[1].mentions.push(crosscheck_model::Mention { start: 13, end: 19, text: "Lu Tan".into() });
        b.entities[0].aliases.push("Moss".into());
        let batch = vec![stored("c", "Third.", &[], &[]), (doc_b, b), stored("a", "First.", &["Port Vell"], &[])];
        store.insert_batch(&batch).expect("insert");
        let loaded = store.extractions().expect("extractions");
        let mut streamed = Vec::new();
        assert_eq!(store.for_each_extraction(|x| streamed.push(x)).expect("stream"), 3);
        assert_eq!(streamed, loaded);
        assert_eq!(streamed.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), vec!["a", "b", "c"]);
        assert_eq!(streamed[1].entities[1].mentions.len(), 1);

        let mut entities = Vec::new();
        let count = store
            .for_each_document_entities(|id, outlet, list| {
                entities.push((id.to_string(), outlet.map(str::to_string), list))
            })
            .expect("entities");
        assert_eq!(count, 3);
        for ((id, outlet, list), x) in entities.iter().zip(&loaded) {
            assert_eq!((id, outlet, list), (&x.id, &x.outlet, &x.entities));
        }

        let mut texts = Vec::new();
        store
            .for_each_text(["c", "missing", "a"], |id, text| texts.push((id.to_string(), text.to_string())))
            .expect("texts");
        assert_eq!(texts, vec![("c".to_string(), "Third.".to_string()), ("a".to_string(), "First.".to_string())]);
    }
}
