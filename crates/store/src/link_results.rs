//! The stored results of link (`crosscheck_link::LinkResults`): claims of every kind with their
//! attribution chains, claim clusters with one evidence row per member, comparisons with both
//! sides, citations and cited sources, and corpus entities with aliases and mentions (schema
//! migration 3). [`Store::replace_link_results`] rewrites them all in one transaction, and
//! [`Store::link_results_writer`] (module `streamed`) does the same for a run written as link
//! produces it; [`Store::link_results`] reads them back equal to what was written, or `None`
//! when the store was never linked.
//!
//! This module persists only; it must not compute any of it (link does) and, like the rest of
//! the store, never panics on persisted data: bad JSON, unknown names or negative offsets are
//! [`StoreError::Corrupt`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::{params, Connection, OptionalExtension, Row};

use crosscheck_link::{
    AttributionChain, Citation, CitedSource, ClaimAnalysis, ClaimCluster, ClaimEvidence, Comparison, CorpusEntity,
    Denial, LinkResults, NumericClaim, Provenance, Scope, Statement, StatementCluster, StatusClaim, Verdict,
};
use crosscheck_model::{EntityType, Mention, Span};

use crate::error::{corrupt, StoreError};
use crate::read::{offset, span};
use crate::write::{real_or_null, to_i64};
use crate::Store;

pub use streamed::{FinishTimes, LinkResultsWriter, LinkWriteTimes};

/// Summary of the stored link run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRun {
    /// Documents in the store when link ran.
    pub documents: usize,
    pub groups: usize,
    /// UTC time of the write, ISO 8601.
    pub linked_at: String,
}

fn to_json<T: serde::Serialize>(value: &T, what: &str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid { what: format!("{what}: {e}") })
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("{what}: {e}")))
}

/// The columns every claim kind fills: what, who, where in which document.
struct ClaimRow<'a> {
    id: &'a str,
    kind: &'a str,
    evidence: &'a ClaimEvidence,
    subject: &'a str,
    subject_key: String,
    predicate: &'a str,
    predicate_key: String,
    object: Option<&'a str>,
    object_key: String,
    value: Option<f64>,
    unit: Option<&'a str>,
    time: Option<&'a str>,
    negated: bool,
    denied: bool,
    speaker: Option<&'a str>,
    cue: Option<&'a str>,
    detail: Option<String>,
}

const DELETE_ALL: &str = "
DELETE FROM link_runs;
DELETE FROM link_claim_evidence;
DELETE FROM link_claim_clusters;
DELETE FROM link_comparison_evidence;
DELETE FROM link_comparisons;
DELETE FROM link_claims;
DELETE FROM link_citations;
DELETE FROM link_cited_sources;
DELETE FROM link_entity_mentions;
DELETE FROM link_entity_aliases;
DELETE FROM link_entities;
";

impl Store {
    /// Replaces the stored link results with `results`, found over `documents` documents in
    /// `groups` story groups — one transaction: readers see the old results or the new ones.
    /// Fails (changing nothing) when an item names a document that is not stored.
    pub fn replace_link_results(
        &mut self,
        results: &LinkResults,
        documents: usize,
        groups: usize,
    ) -> Result<(), StoreError> {
        // With foreign keys on, SQLite deletes the old rows one by one to check for children
        // (24 of 43 s writing results for 89k documents); off, it drops whole tables' pages.
        // References are checked before commit instead (`check_link_references`).
        // The pragma is a no-op inside a transaction, so it is set around it.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let written = self.write_link_results(results, documents, groups);
        let restored = self.conn.pragma_update(None, "foreign_keys", true);
        written?;
        restored?;
        Ok(())
    }

    fn write_link_results(&mut self, results: &LinkResults, documents: usize, groups: usize) -> Result<(), StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(DELETE_ALL)?;
        // Rows arrive in hash-id order, so every secondary index would be updated at random
        // pages, one row at a time; dropped here and rebuilt by one sort each before commit
        // (inside this transaction, so a failed write leaves them as they were).
        let indexes = drop_link_indexes(&tx)?;
        write_claims(&tx, &results.claims)?;
        write_clusters(&tx, &results.claims)?;
        write_comparisons(&tx, &results.claims.comparisons)?;
        write_provenance(&tx, &results.provenance)?;
        write_entities(&tx, &results.entities)?;
        tx.execute(
            "INSERT INTO link_runs (id, documents, groups) VALUES (1, ?1, ?2)",
            params![to_i64(documents, "documents")?, to_i64(groups, "groups")?],
        )?;
        for sql in &indexes {
            tx.execute_batch(sql)?;
        }
        check_link_references(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The stored link run, `None` when the store was never linked.
    pub fn link_run(&self) -> Result<Option<LinkRun>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT documents, groups, linked_at FROM link_runs WHERE id = 1")?;
        let row = stmt
            .query_row([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, String>(2)?)))
            .optional()?;
        match row {
            None => Ok(None),
            Some((documents, groups, linked_at)) => Ok(Some(LinkRun {
                documents: usize::try_from(documents).map_err(|_| corrupt("link_runs.documents negative"))?,
                groups: usize::try_from(groups).map_err(|_| corrupt("link_runs.groups negative"))?,
                linked_at,
            })),
        }
    }

    /// The stored link results, exactly as written; `None` when the store was never linked.
    pub fn link_results(&self) -> Result<Option<LinkResults>, StoreError> {
        if self.link_run()?.is_none() {
            return Ok(None);
        }
        let mut claims = read_claims(self)?;
        read_clusters(self, &mut claims)?;
        claims.comparisons = read_comparisons(self)?;
        Ok(Some(LinkResults { claims, provenance: read_provenance(self)?, entities: read_entities(self)? }))
    }
}

/// Fails when a link row names a document, claim, cluster, comparison, source or entity that
/// is not stored: the check the foreign keys would have made row by row. Each single-column
/// reference is checked over the distinct values it holds, read in order (through the
/// column's index where it has one), so the parents are looked up once per value and in key
/// order rather than once per row at random; a composite reference falls back to SQLite's
/// own check of its table.
fn check_link_references(tx: &Connection) -> Result<(), StoreError> {
    let mut list = tx.prepare(
        "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\"
         FROM sqlite_master m, pragma_foreign_key_list(m.name) f
         WHERE m.type = 'table' AND m.name LIKE 'link\\_%' ESCAPE '\\' ORDER BY m.name, f.id, f.seq",
    )?;
    type Reference = (String, i64, i64, String, String, Option<String>);
    let references: Vec<Reference> = list
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?)))?
        .collect::<Result<_, _>>()?;
    drop(list);
    let composite: BTreeSet<&str> = references.iter().filter(|r| r.2 > 0).map(|r| r.0.as_str()).collect();
    for table in &composite {
        let mut check = tx.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check(?1) LIMIT 1")?;
        let violation: Option<(String, Option<i64>, String)> =
            check.query_row([table], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).optional()?;
        if let Some((table, rowid, parent)) = violation {
            return Err(StoreError::Invalid {
                what: format!("link results: a row of {table} (rowid {rowid:?}) names a missing row of {parent}"),
            });
        }
    }
    for (table, _, _, parent, from, to) in &references {
        if composite.contains(table.as_str()) {
            continue;
        }
        // A reference without a named parent column names the parent's primary key.
        let parent_key = match to {
            Some(to) => to.clone(),
            None => primary_key_column(tx, parent)?,
        };
        let sql = format!(
            "SELECT c.k FROM (SELECT DISTINCT {from} AS k FROM {table} WHERE {from} IS NOT NULL) c
             WHERE NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{parent_key} = c.k) LIMIT 1",
            from = quoted(from),
            table = quoted(table),
            parent = quoted(parent),
            parent_key = quoted(&parent_key),
        );
        let missing: Option<rusqlite::types::Value> = tx.query_row(&sql, [], |row| row.get(0)).optional()?;
        if let Some(value) = missing {
            return Err(StoreError::Invalid {
                what: format!("link results: a row of {table} ({from} {value:?}) names a missing row of {parent}"),
            });
        }
    }
    Ok(())
}

/// The single primary-key column of `table` (`rowid` when it has none or several).
fn primary_key_column(tx: &Connection, table: &str) -> Result<String, StoreError> {
    let mut stmt = tx.prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0")?;
    let keys: Vec<String> = stmt.query_map([table], |row| row.get(0))?.collect::<Result<_, _>>()?;
    Ok(match keys.as_slice() {
        [only] => only.clone(),
        _ => "rowid".to_string(),
    })
}

/// `name` as an SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Drops the explicit indexes of the link tables (not primary keys or UNIQUE constraints) and
/// returns the statements that recreate them, as the schema wrote them.
fn drop_link_indexes(tx: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'link\\_%' ESCAPE '\\' \
         AND sql IS NOT NULL ORDER BY name",
    )?;
    let indexes: Vec<(String, String)> =
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
    drop(stmt);
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

const INSERT_CLAIM: &str = "INSERT INTO link_claims (id, kind, ordinal, doc_id, span_start, span_end, text, subject,
     subject_key, predicate, predicate_key, object, object_key, value, unit, time, place, negated, denied, speaker,
     speaker_role, anonymous, cue, direct, via, publisher, published, cluster_id, detail)
 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,
     ?23, ?24, ?25, ?26, ?27, ?28, ?29)";

/// [`INSERT_CLAIM`] into the streamed run's table of repeated statements.
const INSERT_REPEAT: &str = "INSERT INTO temp.link_statement_repeats (id, kind, ordinal, doc_id, span_start, span_end,
     text, subject, subject_key, predicate, predicate_key, object, object_key, value, unit, time, place, negated,
     denied, speaker, speaker_role, anonymous, cue, direct, via, publisher, published, cluster_id, detail)
 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,
     ?23, ?24, ?25, ?26, ?27, ?28, ?29)";

fn insert_claim(
    conn: &Connection,
    sql: &str,
    ordinal: usize,
    c: &ClaimRow<'_>,
    extra: Option<&Statement>,
) -> Result<(), StoreError> {
    let chain = extra.map(|s| &s.chain);
    conn.prepare_cached(sql)?.execute(params![
        c.id,
        c.kind,
        to_i64(ordinal, "ordinal")?,
        c.evidence.doc,
        to_i64(c.evidence.span.start, "offset")?,
        to_i64(c.evidence.span.end, "offset")?,
        c.evidence.text,
        c.subject,
        c.subject_key,
        c.predicate,
        c.predicate_key,
        c.object,
        c.object_key,
        c.value.and_then(real_or_null),
        c.unit,
        c.time,
        extra.and_then(|s| s.place.as_deref()),
        c.negated,
        c.denied,
        c.speaker,
        chain.and_then(|ch| ch.speaker_role.as_deref()),
        chain.is_some_and(|ch| ch.anonymous),
        c.cue,
        chain.is_some_and(|ch| ch.direct),
        chain.and_then(|ch| ch.via.as_deref()),
        chain.and_then(|ch| ch.publisher.as_deref()),
        chain.and_then(|ch| ch.published.as_deref()),
        extra.map(|s| s.cluster.as_str()),
        c.detail,
    ])?;
    Ok(())
}

/// A statement's claim row: every field has its column; the kind is the basis.
fn statement_row(s: &Statement) -> ClaimRow<'_> {
    ClaimRow {
        id: &s.id,
        kind: if s.basis == "event" { "event" } else { "statement" },
        evidence: &s.evidence,
        subject: &s.subject,
        subject_key: s.subject_key.clone(),
        predicate: &s.predicate,
        predicate_key: s.predicate_key.clone(),
        object: s.object.as_deref(),
        object_key: s.object_key.clone(),
        value: s.value,
        unit: s.unit.as_deref(),
        time: s.time.as_deref(),
        negated: s.negated,
        denied: s.denied,
        speaker: s.chain.speaker.as_deref(),
        cue: s.chain.cue.as_deref(),
        detail: None,
    }
}

fn status_id(s: &StatusClaim) -> String {
    let key = format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        s.person, s.status, s.evidence.doc, s.evidence.span.start, s.evidence.span.end
    );
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("T{h:016x}")
}

fn write_claims(tx: &Connection, c: &ClaimAnalysis) -> Result<(), StoreError> {
    for (i, s) in c.statements.iter().enumerate() {
        insert_claim(tx, INSERT_CLAIM, i, &statement_row(s), Some(s))?;
    }
    for (i, n) in c.claims.iter().enumerate() {
        let row = ClaimRow {
            id: &n.id,
            kind: "number",
            evidence: &n.evidence,
            subject: &n.measure,
            subject_key: crosscheck_text::normalize_key(&n.measure),
            predicate: "measures",
            predicate_key: "measure".into(),
            object: Some(&n.figure),
            object_key: String::new(),
            value: Some(n.value),
            unit: Some(&n.unit),
            time: n.date.as_deref(),
            negated: false,
            denied: false,
            speaker: n.source.as_deref(),
            cue: None,
            detail: Some(to_json(n, "numeric claim")?),
        };
        insert_claim(tx, INSERT_CLAIM, i, &row, None)?;
    }
    for (i, s) in c.statuses.iter().enumerate() {
        let id = status_id(s);
        let row = ClaimRow {
            id: &id,
            kind: "status",
            evidence: &s.evidence,
            subject: &s.person,
            subject_key: crosscheck_text::normalize_key(&s.person),
            predicate: "status",
            predicate_key: "status".into(),
            object: Some(&s.status),
            object_key: s.status.clone(),
            value: None,
            unit: None,
            time: s.date.as_deref(),
            negated: false,
            denied: false,
            speaker: None,
            cue: None,
            detail: Some(to_json(s, "status claim")?),
        };
        insert_claim(tx, INSERT_CLAIM, i, &row, None)?;
    }
    for (i, d) in c.denials.iter().enumerate() {
        let row = ClaimRow {
            id: &d.id,
            kind: "denial",
            evidence: &d.evidence,
            subject: &d.source,
            subject_key: crosscheck_text::normalize_key(&d.source),
            predicate: &d.cue,
            predicate_key: "deny".into(),
            object: Some(&d.content),
            object_key: crosscheck_text::normalize_key(&d.content),
            value: None,
            unit: None,
            time: None,
            negated: false,
            denied: true,
            speaker: Some(&d.source),
            cue: Some(&d.cue),
            detail: Some(to_json(d, "denial")?),
        };
        insert_claim(tx, INSERT_CLAIM, i, &row, None)?;
    }
    Ok(())
}

fn write_clusters(tx: &Connection, c: &ClaimAnalysis) -> Result<(), StoreError> {
    let numbers: HashMap<&str, &NumericClaim> = c.claims.iter().map(|n| (n.id.as_str(), n)).collect();
    let statements: HashMap<&str, &Statement> = c.statements.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut cluster_stmt = tx.prepare_cached(INSERT_CLUSTER)?;
    let mut evidence_stmt = tx.prepare_cached(
        "INSERT INTO link_claim_evidence (cluster_id, ordinal, claim_id, doc_id, span_start, span_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    // In id order (each with its ordinal): the evidence table is keyed by cluster id, so its
    // rows go in at the end of the table rather than at random pages.
    let mut by_id: Vec<(usize, &ClaimCluster)> = c.clusters.iter().enumerate().collect();
    by_id.sort_unstable_by(|a, b| a.1.id.cmp(&b.1.id));
    for (i, k) in by_id {
        let members: Vec<&NumericClaim> = k.claims.iter().filter_map(|id| numbers.get(id.as_str()).copied()).collect();
        if members.len() != k.claims.len() {
            return Err(StoreError::Invalid { what: format!("cluster {} names a claim not in the results", k.id) });
        }
        let first =
            members.iter().find(|n| n.evidence.doc == k.first_reported).map(|n| n.evidence.clone()).unwrap_or_else(
                || ClaimEvidence { doc: k.first_reported.clone(), span: Span::default(), text: String::new() },
            );
        cluster_stmt.execute(params![
            k.id,
            "number",
            to_i64(i, "ordinal")?,
            format!("{} | {} | {}", k.measure, k.unit, crosscheck_text::format_number(k.value)),
            k.measure,
            "measure",
            Option::<String>::None,
            real_or_null(k.value),
            k.unit,
            to_i64(k.independent_sources, "sources")?,
            0i64,
            first.doc,
            to_i64(first.span.start, "offset")?,
            to_i64(first.span.end, "offset")?,
            first.text,
            members.iter().find(|n| n.evidence.doc == k.first_reported).and_then(|n| n.date.clone()),
        ])?;
        for (j, n) in members.iter().enumerate() {
            insert_cluster_evidence(&mut evidence_stmt, &k.id, j, &n.id, &n.evidence)?;
        }
    }
    for (i, k) in c.statement_clusters.iter().enumerate() {
        insert_statement_cluster(&mut cluster_stmt, to_i64(i, "ordinal")?, k)?;
        for (j, id) in k.statements.iter().enumerate() {
            let s = statements.get(id.as_str()).ok_or_else(|| StoreError::Invalid {
                what: format!("cluster {} names unknown statement {id}", k.id),
            })?;
            insert_cluster_evidence(&mut evidence_stmt, &k.id, j, &s.id, &s.evidence)?;
        }
    }
    Ok(())
}

const INSERT_CLUSTER: &str = "INSERT INTO link_claim_clusters (id, kind, ordinal, key, subject, predicate, object,
     value, unit, independent_sources, denied_by, first_doc, first_start, first_end, first_text, first_date)
 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

/// A statement cluster's row (its members are [`insert_cluster_evidence`]'s).
fn insert_statement_cluster(
    stmt: &mut rusqlite::CachedStatement<'_>,
    ordinal: i64,
    k: &StatementCluster,
) -> Result<(), StoreError> {
    stmt.execute(params![
        k.id,
        "statement",
        ordinal,
        k.key,
        k.subject,
        k.predicate,
        k.object,
        Option::<f64>::None,
        Option::<String>::None,
        to_i64(k.independent_sources, "sources")?,
        to_i64(k.denied_by, "denials")?,
        k.first_reported.doc,
        to_i64(k.first_reported.span.start, "offset")?,
        to_i64(k.first_reported.span.end, "offset")?,
        k.first_reported.text,
        k.first_date,
    ])?;
    Ok(())
}

/// One member of a claim cluster: the claim's id and where it stands.
fn insert_cluster_evidence(
    stmt: &mut rusqlite::CachedStatement<'_>,
    cluster: &str,
    ordinal: usize,
    claim: &str,
    evidence: &ClaimEvidence,
) -> Result<(), StoreError> {
    stmt.execute(params![
        cluster,
        to_i64(ordinal, "ordinal")?,
        claim,
        evidence.doc,
        to_i64(evidence.span.start, "offset")?,
        to_i64(evidence.span.end, "offset")?,
    ])?;
    Ok(())
}

/// Comparisons of an in-memory run (sorted and each id once, as `ClaimAnalysis` holds them):
/// through the same scratch table and numbering as a streamed run's ([`insert_found_comparisons`],
/// `WRITE_COMPARISONS`), so both bind a comparison's fields in one place.
fn write_comparisons(tx: &Connection, comparisons: &[Comparison]) -> Result<(), StoreError> {
    tx.execute_batch(CREATE_FOUND_COMPARISONS)?;
    insert_found_comparisons(tx, comparisons)?;
    tx.execute_batch(WRITE_COMPARISONS)?;
    tx.execute_batch("DROP TABLE temp.link_comparisons_found;")?;
    Ok(())
}

/// The scratch table comparisons are handed to before they are numbered into their two tables.
const CREATE_FOUND_COMPARISONS: &str = "
CREATE TEMP TABLE link_comparisons_found (
    verdict_rank INTEGER NOT NULL, id TEXT NOT NULL, verdict TEXT NOT NULL, kind TEXT NOT NULL, scope TEXT NOT NULL,
    subject TEXT NOT NULL, left_text TEXT NOT NULL, right_text TEXT NOT NULL, reason TEXT NOT NULL,
    confidence REAL NOT NULL,
    left_doc TEXT NOT NULL, left_start INTEGER NOT NULL, left_end INTEGER NOT NULL, left_evidence TEXT NOT NULL,
    right_doc TEXT NOT NULL, right_start INTEGER NOT NULL, right_end INTEGER NOT NULL, right_evidence TEXT NOT NULL
);
";

/// The comparisons found, each id once (copies of an id are equal), numbered in the order
/// of the in-memory analysis: verdict (as declared), subject, id. Their evidence goes in in
/// key order (one sort): in hash-id order every row would land on a random page of its table.
const WRITE_COMPARISONS: &str = "
CREATE TEMP TABLE link_comparisons_kept AS
    SELECT * FROM temp.link_comparisons_found
    WHERE rowid IN (SELECT min(rowid) FROM temp.link_comparisons_found GROUP BY id);
INSERT INTO link_comparisons (id, ordinal, verdict, kind, scope, subject, left_text, right_text, reason, confidence)
    SELECT id, row_number() OVER (ORDER BY verdict_rank, subject, id) - 1 AS n, verdict, kind, scope, subject, left_text,
        right_text, reason, confidence
    FROM temp.link_comparisons_kept ORDER BY n;
INSERT INTO link_comparison_evidence (comparison_id, side, doc_id, span_start, span_end, text)
    SELECT id, 'left', left_doc, left_start, left_end, left_evidence FROM temp.link_comparisons_kept
    UNION ALL
    SELECT id, 'right', right_doc, right_start, right_end, right_evidence FROM temp.link_comparisons_kept
    ORDER BY 1, 2;
DROP TABLE temp.link_comparisons_kept;
";

/// Binds every field of each comparison into the scratch table of [`CREATE_FOUND_COMPARISONS`]
/// (the one place a comparison's fields meet their columns).
fn insert_found_comparisons(conn: &Connection, batch: &[Comparison]) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO temp.link_comparisons_found (verdict_rank, id, verdict, kind, scope, subject, left_text, right_text,
             reason, confidence, left_doc, left_start, left_end, left_evidence, right_doc, right_start, right_end,
             right_evidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    for x in batch {
        let (l, r) = (&x.left_evidence, &x.right_evidence);
        insert.execute(params![
            verdict_rank(x.verdict),
            x.id,
            x.verdict.as_str(),
            x.kind,
            x.scope.as_str(),
            x.subject,
            x.left,
            x.right,
            x.reason,
            x.confidence,
            l.doc,
            to_i64(l.span.start, "offset")?,
            to_i64(l.span.end, "offset")?,
            l.text,
            r.doc,
            to_i64(r.span.start, "offset")?,
            to_i64(r.span.end, "offset")?,
            r.text,
        ])?;
    }
    Ok(())
}

/// A verdict's place in the order of `Verdict`'s declaration (the analysis sorts by it).
fn verdict_rank(verdict: Verdict) -> i64 {
    match verdict {
        Verdict::Contradiction => 0,
        Verdict::ChangeOverTime => 1,
        Verdict::Agreement => 2,
    }
}

fn write_provenance(tx: &Connection, p: &Provenance) -> Result<(), StoreError> {
    let mut source_stmt = tx.prepare_cached(
        "INSERT INTO link_cited_sources (id, ordinal, name, key, independent_documents) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut id_of_key: HashMap<&str, &str> = HashMap::new();
    for (i, s) in p.sources.iter().enumerate() {
        source_stmt.execute(params![
            s.id,
            to_i64(i, "ordinal")?,
            s.name,
            s.key,
            to_i64(s.independent_documents, "count")?
        ])?;
        id_of_key.insert(s.key.as_str(), s.id.as_str());
    }
    let mut citation_stmt = tx.prepare_cached(
        "INSERT INTO link_citations (ordinal, source_id, doc_id, doc_outlet, cited, cue, span_start, span_end, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, c) in p.citations.iter().enumerate() {
        let source = id_of_key
            .get(c.cited_key.as_str())
            .ok_or_else(|| StoreError::Invalid { what: format!("citation of unknown source {}", c.cited_key) })?;
        citation_stmt.execute(params![
            to_i64(i, "ordinal")?,
            source,
            c.doc,
            c.doc_outlet,
            c.cited,
            c.cue,
            to_i64(c.evidence.span.start, "offset")?,
            to_i64(c.evidence.span.end, "offset")?,
            c.evidence.text,
        ])?;
    }
    Ok(())
}

fn write_entities(tx: &Connection, entities: &[CorpusEntity]) -> Result<(), StoreError> {
    let mut entity_stmt =
        tx.prepare_cached("INSERT INTO link_entities (ordinal, id, name, type) VALUES (?1, ?2, ?3, ?4)")?;
    let mut alias_stmt =
        tx.prepare_cached("INSERT INTO link_entity_aliases (entity_ordinal, ordinal, alias) VALUES (?1, ?2, ?3)")?;
    let mut mention_stmt = tx.prepare_cached(
        "INSERT INTO link_entity_mentions (entity_ordinal, ordinal, doc_id, span_start, span_end, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, e) in entities.iter().enumerate() {
        let ordinal = to_i64(i, "ordinal")?;
        entity_stmt.execute(params![ordinal, e.id, e.name, e.kind.as_str()])?;
        for (j, alias) in e.aliases.iter().enumerate() {
            alias_stmt.execute(params![ordinal, to_i64(j, "ordinal")?, alias])?;
        }
        for (j, (doc, m)) in e.mentions.iter().enumerate() {
            mention_stmt.execute(params![
                ordinal,
                to_i64(j, "ordinal")?,
                doc,
                to_i64(m.start, "offset")?,
                to_i64(m.end, "offset")?,
                m.text
            ])?;
        }
    }
    Ok(())
}

/// Runs `sql` and hands every row to `each`, stopping at the first error.
fn for_each(
    store: &Store,
    sql: &str,
    mut each: impl FnMut(&Row<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = store.conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        each(row)?;
    }
    Ok(())
}

fn read_claims(store: &Store) -> Result<ClaimAnalysis, StoreError> {
    let mut out = ClaimAnalysis::default();
    for_each(
        store,
        "SELECT kind, id, doc_id, span_start, span_end, text, subject, subject_key, predicate, predicate_key, object,
                object_key, value, unit, time, place, negated, denied, speaker, speaker_role, anonymous, cue, direct,
                via, publisher, published, cluster_id, detail
         FROM link_claims ORDER BY kind, ordinal",
        |row| {
            let kind: String = row.get(0)?;
            let detail: Option<String> = row.get(27)?;
            let detail = || detail.as_deref().ok_or_else(|| corrupt(format!("link_claims: {kind} without detail")));
            match kind.as_str() {
                "number" => out.claims.push(from_json(detail()?, "link_claims.detail")?),
                "status" => out.statuses.push(from_json(detail()?, "link_claims.detail")?),
                "denial" => out.denials.push(from_json::<Denial>(detail()?, "link_claims.detail")?),
                "statement" | "event" => out.statements.push(statement_from_row(row, kind)?),
                other => return Err(corrupt(format!("link_claims: unknown kind {other:?}"))),
            }
            Ok(())
        },
    )?;
    // Rows are read kind by kind; the analysis keeps statements in document order.
    out.statements
        .sort_by(|a, b| (&a.evidence.doc, a.evidence.span, &a.id).cmp(&(&b.evidence.doc, b.evidence.span, &b.id)));
    Ok(out)
}

/// The columns [`statement_from_row`] reads, in its order.
const CLAIM_COLUMNS: &str = "kind, id, doc_id, span_start, span_end, text, subject, subject_key, predicate,
    predicate_key, object, object_key, value, unit, time, place, negated, denied, speaker, speaker_role, anonymous,
    cue, direct, via, publisher, published, cluster_id, detail";

/// A statement or event claim row of [`CLAIM_COLUMNS`]; `kind` is its first column.
fn statement_from_row(row: &Row<'_>, kind: String) -> Result<Statement, StoreError> {
    let doc: String = row.get(2)?;
    Ok(Statement {
        id: row.get(1)?,
        cluster: row.get::<_, Option<String>>(26)?.unwrap_or_default(),
        basis: kind,
        subject: row.get(6)?,
        subject_key: row.get(7)?,
        predicate: row.get(8)?,
        predicate_key: row.get(9)?,
        object: row.get(10)?,
        object_key: row.get(11)?,
        value: row.get(12)?,
        unit: row.get(13)?,
        time: row.get(14)?,
        place: row.get(15)?,
        negated: row.get(16)?,
        denied: row.get(17)?,
        chain: AttributionChain {
            speaker: row.get(18)?,
            speaker_role: row.get(19)?,
            anonymous: row.get(20)?,
            cue: row.get(21)?,
            direct: row.get(22)?,
            via: row.get(23)?,
            document: doc.clone(),
            publisher: row.get(24)?,
            published: row.get(25)?,
        },
        evidence: ClaimEvidence { doc, span: span(row, 3, "link_claims")?, text: row.get(5)? },
    })
}

fn read_clusters(store: &Store, claims: &mut ClaimAnalysis) -> Result<(), StoreError> {
    let mut members: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for_each(
        store,
        "SELECT cluster_id, claim_id, doc_id FROM link_claim_evidence ORDER BY cluster_id, ordinal",
        |row| {
            members.entry(row.get(0)?).or_default().push((row.get(1)?, row.get(2)?));
            Ok(())
        },
    )?;
    let mut numeric = Vec::new();
    let mut statements = Vec::new();
    for_each(
        store,
        "SELECT kind, id, key, subject, predicate, object, value, unit, independent_sources, denied_by, first_doc,
                first_start, first_end, first_text, first_date
         FROM link_claim_clusters ORDER BY kind, ordinal",
        |row| {
            let kind: String = row.get(0)?;
            let id: String = row.get(1)?;
            let list = members.remove(&id).unwrap_or_default();
            let documents: Vec<String> =
                list.iter().map(|(_, d)| d.clone()).collect::<BTreeSet<String>>().into_iter().collect();
            let ids: Vec<String> = list.into_iter().map(|(c, _)| c).collect();
            match kind.as_str() {
                "number" => numeric.push(ClaimCluster {
                    id,
                    measure: row.get(3)?,
                    value: row.get::<_, Option<f64>>(6)?.unwrap_or(f64::NAN),
                    unit: row.get::<_, Option<String>>(7)?.unwrap_or_default(),
                    claims: ids,
                    documents,
                    independent_sources: offset(row, 8, "link_claim_clusters.independent_sources")?,
                    first_reported: row.get(10)?,
                }),
                "statement" => statements.push(StatementCluster {
                    id,
                    key: row.get(2)?,
                    subject: row.get(3)?,
                    predicate: row.get(4)?,
                    object: row.get(5)?,
                    statements: ids,
                    documents,
                    independent_sources: offset(row, 8, "link_claim_clusters.independent_sources")?,
                    denied_by: offset(row, 9, "link_claim_clusters.denied_by")?,
                    first_reported: ClaimEvidence {
                        doc: row.get(10)?,
                        span: span(row, 11, "link_claim_clusters")?,
                        text: row.get(13)?,
                    },
                    first_date: row.get(14)?,
                }),
                other => return Err(corrupt(format!("link_claim_clusters: unknown kind {other:?}"))),
            }
            Ok(())
        },
    )?;
    claims.clusters = numeric;
    claims.statement_clusters = statements;
    Ok(())
}

fn read_comparisons(store: &Store) -> Result<Vec<Comparison>, StoreError> {
    let mut sides: HashMap<(String, String), ClaimEvidence> = HashMap::new();
    for_each(
        store,
        "SELECT comparison_id, side, doc_id, span_start, span_end, text FROM link_comparison_evidence",
        |row| {
            let evidence =
                ClaimEvidence { doc: row.get(2)?, span: span(row, 3, "link_comparison_evidence")?, text: row.get(5)? };
            sides.insert((row.get(0)?, row.get(1)?), evidence);
            Ok(())
        },
    )?;
    let mut out = Vec::new();
    for_each(
        store,
        "SELECT id, verdict, kind, scope, subject, left_text, right_text, reason, confidence
         FROM link_comparisons ORDER BY ordinal",
        |row| {
            let id: String = row.get(0)?;
            let verdict: String = row.get(1)?;
            let scope: String = row.get(3)?;
            let mut side = |name: &str| {
                sides
                    .remove(&(id.clone(), name.to_string()))
                    .ok_or_else(|| corrupt(format!("link_comparisons: {id} has no {name} evidence")))
            };
            let (left_evidence, right_evidence) = (side("left")?, side("right")?);
            out.push(Comparison {
                verdict: Verdict::parse(&verdict).ok_or_else(|| corrupt(format!("unknown verdict {verdict:?}")))?,
                kind: row.get(2)?,
                scope: Scope::parse(&scope).ok_or_else(|| corrupt(format!("unknown scope {scope:?}")))?,
                subject: row.get(4)?,
                left: row.get(5)?,
                right: row.get(6)?,
                reason: row.get(7)?,
                confidence: row.get(8)?,
                left_evidence,
                right_evidence,
                id,
            });
            Ok(())
        },
    )?;
    Ok(out)
}

fn read_provenance(store: &Store) -> Result<Provenance, StoreError> {
    let mut keys: HashMap<String, String> = HashMap::new();
    let mut sources: Vec<CitedSource> = Vec::new();
    for_each(store, "SELECT id, name, key, independent_documents FROM link_cited_sources ORDER BY ordinal", |row| {
        let id: String = row.get(0)?;
        let key: String = row.get(2)?;
        keys.insert(id.clone(), key.clone());
        sources.push(CitedSource {
            id,
            name: row.get(1)?,
            key,
            documents: Vec::new(),
            independent_documents: offset(row, 3, "link_cited_sources.independent_documents")?,
        });
        Ok(())
    })?;
    let mut documents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut citations = Vec::new();
    for_each(
        store,
        "SELECT source_id, doc_id, doc_outlet, cited, cue, span_start, span_end, text FROM link_citations ORDER BY ordinal",
        |row| {
            let source: String = row.get(0)?;
            let key = keys.get(&source).cloned().ok_or_else(|| corrupt(format!("citation of unknown source {source}")))?;
            let doc: String = row.get(1)?;
            documents.entry(source).or_default().insert(doc.clone());
            citations.push(Citation {
                doc: doc.clone(),
                doc_outlet: row.get(2)?,
                cited: row.get(3)?,
                cited_key: key,
                cue: row.get(4)?,
                evidence: ClaimEvidence { doc, span: span(row, 5, "link_citations")?, text: row.get(7)? },
            });
            Ok(())
        },
    )?;
    for s in &mut sources {
        s.documents = documents.remove(&s.id).unwrap_or_default().into_iter().collect();
    }
    Ok(Provenance { citations, sources })
}

fn read_entities(store: &Store) -> Result<Vec<CorpusEntity>, StoreError> {
    let mut entities: Vec<CorpusEntity> = Vec::new();
    for_each(store, "SELECT ordinal, id, name, type FROM link_entities ORDER BY ordinal", |row| {
        let ordinal = offset(row, 0, "link_entities.ordinal")?;
        if ordinal != entities.len() {
            return Err(corrupt(format!("link_entities: ordinal {ordinal} out of sequence")));
        }
        let kind: String = row.get(3)?;
        entities.push(CorpusEntity {
            id: row.get(1)?,
            name: row.get(2)?,
            kind: EntityType::parse(&kind).ok_or_else(|| corrupt(format!("link_entities: unknown type {kind:?}")))?,
            aliases: Vec::new(),
            documents: Vec::new(),
            mentions: Vec::new(),
        });
        Ok(())
    })?;
    for_each(store, "SELECT entity_ordinal, alias FROM link_entity_aliases ORDER BY entity_ordinal, ordinal", |row| {
        let i = offset(row, 0, "link_entity_aliases.entity_ordinal")?;
        let e = entities.get_mut(i).ok_or_else(|| corrupt(format!("alias of unknown entity {i}")))?;
        e.aliases.push(row.get(1)?);
        Ok(())
    })?;
    for_each(
        store,
        "SELECT entity_ordinal, doc_id, span_start, span_end, text FROM link_entity_mentions
         ORDER BY entity_ordinal, ordinal",
        |row| {
            let i = offset(row, 0, "link_entity_mentions.entity_ordinal")?;
            let e = entities.get_mut(i).ok_or_else(|| corrupt(format!("mention of unknown entity {i}")))?;
            let span = span(row, 2, "link_entity_mentions")?;
            e.mentions.push((row.get(1)?, Mention { start: span.start, end: span.end, text: row.get(4)? }));
            Ok(())
        },
    )?;
    for e in &mut entities {
        let docs: BTreeSet<&String> = e.mentions.iter().map(|(d, _)| d).collect();
        e.documents = docs.into_iter().cloned().collect();
    }
    Ok(entities)
}

/// The store as a source for `crosscheck_link::link_results_from`: documents in id order,
/// streamed, so linking holds one extraction at a time.
impl crosscheck_link::LinkSource for Store {
    type Error = StoreError;

    fn for_each_document_entities(&self, visit: &mut crosscheck_link::EntityVisitor<'_>) -> Result<usize, StoreError> {
        Store::for_each_document_entities(self, visit)
    }

    fn for_each_extraction(&self, visit: &mut dyn FnMut(&crosscheck_model::Extraction)) -> Result<usize, StoreError> {
        Store::for_each_extraction(self, |x| visit(&x))
    }

    fn for_each_text(&self, ids: &[&str], visit: &mut dyn FnMut(&str, &str)) -> Result<(), StoreError> {
        Store::for_each_text(self, ids.iter().copied(), visit)
    }
}

mod streamed;
#[cfg(test)]
mod tests;
