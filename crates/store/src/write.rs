//! Writing: documents with all their extracted items, and the duplicate groups. Every public
//! write is one transaction, so a document is stored whole or not at all. This module must not
//! decide anything about content beyond exact-duplicate detection by `content_hash`.

use rusqlite::{params, OptionalExtension, Transaction};

use crosscheck_model::{Document, DuplicateGroup, Extraction, Span};

use crate::error::StoreError;
use crate::{InsertOutcome, Store};

pub(crate) fn to_i64(n: usize, what: &str) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::Invalid { what: format!("{what} {n}") })
}

fn span_columns(span: Option<Span>) -> Result<(Option<i64>, Option<i64>), StoreError> {
    match span {
        Some(s) => Ok((Some(to_i64(s.start, "offset")?), Some(to_i64(s.end, "offset")?))),
        None => Ok((None, None)),
    }
}

fn json_list(list: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(list).map_err(|e| StoreError::Invalid { what: format!("string list: {e}") })
}

/// SQLite turns NaN into NULL on bind; write NULL explicitly so the convention is visible.
pub(crate) fn real_or_null(value: f64) -> Option<f64> {
    (!value.is_nan()).then_some(value)
}

impl Store {
    /// Inserts documents with their extractions, in one transaction for the whole batch: either
    /// every document of the batch is stored with all its items, or (on error) none is.
    ///
    /// A document whose `content_hash` is already stored (or appeared earlier in the batch) is
    /// skipped as [`InsertOutcome::Duplicate`]. A document whose id is taken by different
    /// content is stored as `"<id>~2"` (or the next free suffix), reported in
    /// [`InsertOutcome::Added`]; the stored extraction takes the stored id.
    ///
    /// The batch's full-text index entries are written after all its documents and items
    /// (see migration 4): the larger the batch, the fewer index segments.
    pub fn insert_batch(&mut self, items: &[(Document, Extraction)]) -> Result<Vec<InsertOutcome>, StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(items.len());
        // (stored id, document) of every document added, for the index.
        let mut added: Vec<(usize, &Document)> = Vec::with_capacity(items.len());
        for (doc, extraction) in items {
            let existing: Option<String> = tx
                .prepare_cached("SELECT id FROM documents WHERE content_hash = ?1")?
                .query_row([&doc.content_hash], |row| row.get(0))
                .optional()?;
            if let Some(existing_id) = existing {
                outcomes.push(InsertOutcome::Duplicate { id: doc.id.clone(), existing_id });
                continue;
            }
            let id = free_id(&tx, &doc.id)?;
            insert_document(&tx, &id, doc)?;
            insert_extraction(&tx, &id, doc, extraction)?;
            added.push((outcomes.len(), doc));
            outcomes.push(InsertOutcome::Added { id });
        }
        if !added.is_empty() {
            let mut index = tx.prepare_cached("INSERT INTO documents_fts (doc_id, title, text) VALUES (?1, ?2, ?3)")?;
            for (position, doc) in &added {
                if let Some(InsertOutcome::Added { id }) = outcomes.get(*position) {
                    index.execute(params![id, doc.title.as_deref().unwrap_or(""), doc.text])?;
                }
            }
            drop(index);
            tx.execute("UPDATE store_generation SET value = value + 1", [])?;
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Replaces all duplicate groups with `groups`, and sets every stored extraction's
    /// `duplicates_of` / `copy_of` from them (via `crosscheck_link::duplicate_fields`; documents
    /// in no group get them cleared) — one transaction. Fails (changing nothing) when a group
    /// names a document that is not stored.
    pub fn replace_duplicate_groups(&mut self, groups: &[DuplicateGroup]) -> Result<(), StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM duplicate_groups", [])?;
        for (ordinal, group) in groups.iter().enumerate() {
            tx.prepare_cached("INSERT INTO duplicate_groups (id, ordinal, canonical) VALUES (?1, ?2, ?3)")?
                .execute(params![group.id, to_i64(ordinal, "ordinal")?, group.canonical])?;
            let mut member_stmt =
                tx.prepare_cached("INSERT INTO duplicate_members (group_id, ordinal, doc_id) VALUES (?1, ?2, ?3)")?;
            for (ordinal, member) in group.members.iter().enumerate() {
                member_stmt.execute(params![group.id, to_i64(ordinal, "ordinal")?, member])?;
            }
            let mut pair_stmt = tx.prepare_cached(
                "INSERT INTO duplicate_pairs (group_id, ordinal, doc_a, doc_b, similarity) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (ordinal, (a, b, similarity)) in group.pairs.iter().enumerate() {
                pair_stmt.execute(params![group.id, to_i64(ordinal, "ordinal")?, a, b, similarity])?;
            }
        }
        tx.execute("UPDATE extractions SET duplicates_of = '[]', copy_of = NULL", [])?;
        let mut update =
            tx.prepare_cached("UPDATE extractions SET duplicates_of = ?1, copy_of = ?2 WHERE doc_id = ?3")?;
        for (doc_id, (others, copy_of)) in crosscheck_link::duplicate_fields(groups) {
            update.execute(params![json_list(&others)?, copy_of, doc_id])?;
        }
        drop(update);
        tx.commit()?;
        Ok(())
    }
}

/// `id` if free, else the first free `id~N` (N ≥ 2).
fn free_id(tx: &Transaction<'_>, id: &str) -> Result<String, StoreError> {
    let mut stmt = tx.prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?;
    if !stmt.exists([id])? {
        return Ok(id.to_string());
    }
    let mut n = 2u64;
    loop {
        let candidate = format!("{id}~{n}");
        if !stmt.exists([&candidate])? {
            return Ok(candidate);
        }
        n += 1;
    }
}

fn insert_document(tx: &Transaction<'_>, id: &str, doc: &Document) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO documents (id, origin, format, url, outlet, date, title, author, language, text, content_hash, warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        doc.origin,
        doc.format.as_str(),
        doc.url,
        doc.outlet,
        doc.date,
        doc.title,
        doc.author,
        doc.language,
        doc.text,
        doc.content_hash,
        json_list(&doc.warnings)?,
    ])?;
    Ok(())
}

fn insert_extraction(tx: &Transaction<'_>, id: &str, doc: &Document, x: &Extraction) -> Result<(), StoreError> {
    let own_text = (x.text != doc.text).then_some(x.text.as_str());
    tx.prepare_cached(
        "INSERT INTO extractions (doc_id, title, outlet, date, url, author, text, duplicates_of, copy_of)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        x.title,
        x.outlet,
        x.date,
        x.url,
        x.author,
        own_text,
        json_list(&x.duplicates_of)?,
        x.copy_of
    ])?;

    let mut entity_stmt = tx.prepare_cached(
        "INSERT INTO entities (doc_id, ordinal, name, type, aliases, rule) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut mention_stmt = tx.prepare_cached(
        "INSERT INTO mentions (doc_id, entity_ordinal, ordinal, span_start, span_end, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (ordinal, entity) in x.entities.iter().enumerate() {
        let ordinal = to_i64(ordinal, "ordinal")?;
        entity_stmt.execute(params![
            id,
            ordinal,
            entity.name,
            entity.kind.as_str(),
            json_list(&entity.aliases)?,
            entity.rule
        ])?;
        for (m, mention) in entity.mentions.iter().enumerate() {
            mention_stmt.execute(params![
                id,
                ordinal,
                to_i64(m, "ordinal")?,
                to_i64(mention.start, "offset")?,
                to_i64(mention.end, "offset")?,
                mention.text
            ])?;
        }
    }

    let mut stmt = tx.prepare_cached(
        "INSERT INTO roles (doc_id, ordinal, person, role, organization, span_start, span_end, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (ordinal, r) in x.roles.iter().enumerate() {
        let (start, end) = span_columns(Some(r.span))?;
        stmt.execute(params![id, to_i64(ordinal, "ordinal")?, r.person, r.role, r.organization, start, end, r.rule])?;
    }

    let mut stmt = tx.prepare_cached(
        "INSERT INTO attributions (doc_id, ordinal, source, cue, content, span_start, span_end, source_start,
             source_end, content_start, content_end, direct, anonymous, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for (ordinal, a) in x.attributions.iter().enumerate() {
        let (start, end) = span_columns(Some(a.span))?;
        let (source_start, source_end) = span_columns(a.source_span)?;
        let (content_start, content_end) = span_columns(a.content_span)?;
        stmt.execute(params![
            id,
            to_i64(ordinal, "ordinal")?,
            a.source,
            a.cue,
            a.content,
            start,
            end,
            source_start,
            source_end,
            content_start,
            content_end,
            a.direct,
            a.anonymous,
            a.rule
        ])?;
    }

    let mut stmt = tx.prepare_cached(
        "INSERT INTO quantities (doc_id, ordinal, text, value, unit, about, approximate, span_start, span_end, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (ordinal, q) in x.quantities.iter().enumerate() {
        let (start, end) = span_columns(Some(q.span))?;
        stmt.execute(params![
            id,
            to_i64(ordinal, "ordinal")?,
            q.text,
            real_or_null(q.value),
            q.unit,
            q.about,
            q.approximate,
            start,
            end,
            q.rule
        ])?;
    }

    let mut stmt = tx.prepare_cached(
        "INSERT INTO dates (doc_id, ordinal, text, resolved, inferred, span_start, span_end, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (ordinal, d) in x.dates.iter().enumerate() {
        let (start, end) = span_columns(Some(d.span))?;
        stmt.execute(params![id, to_i64(ordinal, "ordinal")?, d.text, d.resolved, d.inferred, start, end, d.rule])?;
    }

    let mut stmt = tx.prepare_cached(
        "INSERT INTO events (doc_id, ordinal, type, actor, target, place, date, trigger, negated, span_start, span_end, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (ordinal, e) in x.events.iter().enumerate() {
        let (start, end) = span_columns(Some(e.span))?;
        stmt.execute(params![
            id,
            to_i64(ordinal, "ordinal")?,
            e.kind,
            e.actor,
            e.target,
            e.place,
            e.date,
            e.trigger,
            e.negated,
            start,
            end,
            e.rule
        ])?;
    }
    Ok(())
}
