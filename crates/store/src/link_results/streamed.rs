//! The streamed write of a link run ([`LinkResultsWriter`], a `crosscheck_link::LinkSink`):
//! statements and entity mentions are inserted per document while link reads the store
//! (mentions and comparisons into scratch tables, inserted in key order at the end), the
//! statement clusters are made from the statements read back in cluster order (SQLite sorts
//! them), and the compact rest is written at the end — so a link run's memory does not hold
//! its results. Scratch tables and sorts live in temporary files (`temp_store = FILE` for the
//! run), not in memory. The run's page cache is larger than the writer's usual one, so the
//! indexes it inserts into at random places stay in memory on a large corpus.
//!
//! The whole run is one transaction, begun when the writer is made and committed by
//! `finish`: readers see the previous results until then, and a run that fails or is killed
//! midway leaves them as they were (the writer rolls back when dropped uncommitted; a killed
//! process leaves no commit frame in the WAL). This module writes only; link computes.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rusqlite::params;

use crosscheck_link::{Comparison, LinkResults, LinkSink, Statement, StatementCluster};
use crosscheck_model::Mention;

use super::{
    check_link_references, drop_link_indexes, insert_claim, insert_cluster_evidence, insert_found_comparisons,
    statement_from_row, statement_row, write_claims, write_clusters, write_entities, write_provenance, CLAIM_COLUMNS,
    CREATE_FOUND_COMPARISONS, DELETE_ALL, INSERT_CLAIM, INSERT_REPEAT, WRITE_COMPARISONS,
};
use crate::error::StoreError;
use crate::write::to_i64;
use crate::Store;

/// Scratch tables of one streamed run, inside its transaction: the statements whose id repeats
/// a stored one (they count in their cluster), the statement clusters before they are
/// numbered and the mentions found (the comparisons found have `CREATE_FOUND_COMPARISONS`).
const CREATE_SCRATCH: &str = "
CREATE TEMP TABLE link_statement_repeats AS SELECT * FROM main.link_claims WHERE 0;
CREATE TEMP TABLE link_statement_clusters AS SELECT * FROM main.link_claim_clusters WHERE 0;
CREATE TEMP TABLE link_mentions_found (
    entity_ordinal INTEGER NOT NULL, ordinal INTEGER NOT NULL, doc_id TEXT NOT NULL,
    span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, text TEXT NOT NULL
);
";
const DROP_SCRATCH: &str = "
DROP TABLE temp.link_statement_repeats;
DROP TABLE temp.link_statement_clusters;
DROP TABLE temp.link_comparisons_found;
DROP TABLE temp.link_mentions_found;
";

/// Mentions arrive by document; the table is keyed by entity. Appended to a scratch table and
/// inserted in key order once (one sort, sequential pages), not at random places per document.
const WRITE_MENTIONS: &str = "
INSERT INTO link_entity_mentions (entity_ordinal, ordinal, doc_id, span_start, span_end, text)
    SELECT entity_ordinal, ordinal, doc_id, span_start, span_end, text FROM temp.link_mentions_found
    ORDER BY entity_ordinal, ordinal;
";

/// `INSERT_CLUSTER` into the scratch table of statement clusters.
const INSERT_SCRATCH_CLUSTER: &str = "INSERT INTO temp.link_statement_clusters (id, kind, ordinal, key, subject,
     predicate, object, value, unit, independent_sources, denied_by, first_doc, first_start, first_end, first_text,
     first_date)
 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

/// Page cache of the writing connection during a link run, in KiB per document of the run
/// (see `link_results_writer`), at least the writer's usual cache and at most
/// [`LINK_RUN_CACHE_MAX_KIB`]. The environment variable `CROSSCHECK_LINK_CACHE_KIB` sets the
/// whole cache instead (to trade memory for time on a large corpus). SQLite also sizes its
/// in-memory sort runs from it (at most 512 MB).
const LINK_RUN_CACHE_KIB_PER_DOCUMENT: i64 = 1;
/// The largest page cache a link run takes by default, in KiB.
const LINK_RUN_CACHE_MAX_KIB: i64 = 2 * 1024 * 1024;
/// Page cache of the temporary database (scratch tables) during a link run, in KiB.
const LINK_RUN_TEMP_CACHE_KIB: i64 = 64 * 1024;

/// Where the time of a streamed write went, for `crosscheck link`'s step summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkWriteTimes {
    /// Inserting statements and mentions while link read the documents.
    pub documents: Duration,
    /// Reading statements back by cluster and writing the clusters.
    pub clusters: Duration,
    /// The rest, the indexes, the reference check and the commit.
    pub finish: Duration,
    /// How `finish` split.
    pub finish_steps: FinishTimes,
}

/// Where the time of a streamed write's `finish` went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FinishTimes {
    /// Numeric, status and denial claims and their clusters.
    pub claims: Duration,
    /// Numbering the statement clusters into their table.
    pub statement_clusters: Duration,
    pub comparisons: Duration,
    /// Provenance, entities, aliases and mentions.
    pub entities: Duration,
    /// Rebuilding the link tables' secondary indexes.
    pub indexes: Duration,
    /// The reference check (foreign keys, set-wise).
    pub check: Duration,
    /// The commit (with the checkpoint that follows it).
    pub commit: Duration,
}

/// Writes one link run as link produces it (see the module doc). Made by
/// [`Store::link_results_writer`]; hand it to `crosscheck_link::link_results_into`.
#[derive(Debug)]
pub struct LinkResultsWriter<'s> {
    store: &'s Store,
    documents: usize,
    groups: usize,
    /// The link tables' secondary indexes, dropped for the run and rebuilt before commit.
    indexes: Vec<String>,
    statements: usize,
    /// Per corpus entity, the mentions written so far (the next mention's ordinal).
    mentions: Vec<usize>,
    last_document: Option<String>,
    open: bool,
    times: LinkWriteTimes,
}

impl Store {
    /// Begins replacing the stored link results with a run over `documents` documents in
    /// `groups` story groups, written as it is produced (see [`LinkResultsWriter`]). The old
    /// results stay visible to readers until the run's `finish` commits; dropping the writer
    /// before that restores them. Documents must be handed over in id order.
    pub fn link_results_writer(&self, documents: usize, groups: usize) -> Result<LinkResultsWriter<'_>, StoreError> {
        // As in `replace_link_results`: whole-table deletes and a reference check at the end
        // instead of a check per row. The pragma is a no-op inside a transaction.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        // The scratch tables and the sort of statements by cluster grow with the corpus: on
        // disk, not in memory (this SQLite build keeps temporary storage in memory by default).
        self.conn.pragma_update(None, "temp_store", "FILE")?;
        // The run's random-access structures (the id indexes of claims and clusters, the
        // documents' id index for the reference check) grow with the corpus; with the writer's
        // 64 MB cache they stop fitting near 1M documents and every insert re-reads and
        // re-spills a page through the WAL (30 GB written for a 13 GB store at 891k
        // documents). The cache grows with the corpus too: the pages the run reads pass
        // through it and fill it, whatever its size.
        let cache_kib = std::env::var("CROSSCHECK_LINK_CACHE_KIB")
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_else(|| link_run_cache_kib(documents));
        self.conn.pragma_update(None, "cache_size", -cache_kib)?;
        self.conn.pragma_update(Some("temp"), "cache_size", -LINK_RUN_TEMP_CACHE_KIB)?;
        let mut writer = LinkResultsWriter {
            store: self,
            documents,
            groups,
            indexes: Vec::new(),
            statements: 0,
            mentions: Vec::new(),
            last_document: None,
            open: false,
            times: LinkWriteTimes::default(),
        };
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        writer.open = true;
        self.conn.execute_batch(DELETE_ALL)?;
        writer.indexes = drop_link_indexes(&self.conn)?;
        self.conn.execute_batch(CREATE_SCRATCH)?;
        self.conn.execute_batch(CREATE_FOUND_COMPARISONS)?;
        Ok(writer)
    }
}

impl LinkResultsWriter<'_> {
    /// Where the write's time went so far.
    pub fn times(&self) -> LinkWriteTimes {
        self.times
    }

    /// The statement clusters of one cluster id (`members`, kept statements flagged `false`)
    /// and their evidence rows.
    fn write_cluster(
        &self,
        members: &[(Statement, bool)],
        cluster_of: &dyn Fn(&[&Statement]) -> Option<StatementCluster>,
    ) -> Result<(), StoreError> {
        let refs: Vec<&Statement> = members.iter().map(|(s, _)| s).collect();
        let Some(k) = cluster_of(&refs) else { return Ok(()) };
        let conn = &self.store.conn;
        // Numbered once all are known (`finish`), in the order the in-memory write gives.
        let mut cluster = conn.prepare_cached(INSERT_SCRATCH_CLUSTER)?;
        super::insert_statement_cluster(&mut cluster, 0, &k)?;
        let mut evidence = conn.prepare_cached(
            "INSERT INTO link_claim_evidence (cluster_id, ordinal, claim_id, doc_id, span_start, span_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        // A cluster of a common sentence holds thousands of statements at 1M documents: the
        // members by id (the first of an id, stored before its repeats), not a search per id.
        let mut by_id: HashMap<&str, &Statement> = HashMap::with_capacity(members.len());
        for (s, _) in members {
            by_id.entry(s.id.as_str()).or_insert(s);
        }
        for (j, id) in k.statements.iter().enumerate() {
            // A repeat may stand in a cluster without its stored twin (an event and a quote of
            // one span and verb, keyed apart); the twin has the same id, document and span.
            let s = by_id.get(id.as_str()).ok_or_else(|| StoreError::Invalid {
                what: format!("cluster {} names unknown statement {id}", k.id),
            })?;
            insert_cluster_evidence(&mut evidence, &k.id, j, &s.id, &s.evidence)?;
        }
        Ok(())
    }
}

/// The page cache of a link run over `documents` documents, in KiB (see
/// [`LINK_RUN_CACHE_KIB_PER_DOCUMENT`]).
fn link_run_cache_kib(documents: usize) -> i64 {
    i64::try_from(documents)
        .unwrap_or(i64::MAX)
        .saturating_mul(LINK_RUN_CACHE_KIB_PER_DOCUMENT)
        .clamp(crate::WRITER_CACHE_KIB, LINK_RUN_CACHE_MAX_KIB)
}

impl Drop for LinkResultsWriter<'_> {
    fn drop(&mut self) {
        // Errors here cannot be reported: the transaction is then rolled back at the next
        // open, and foreign keys are set on at every open.
        if self.open {
            let _ = self.store.conn.execute_batch("ROLLBACK");
        }
        let _ = self.store.conn.pragma_update(None, "foreign_keys", true);
        let _ = self.store.conn.pragma_update(None, "temp_store", "DEFAULT");
        let _ = self.store.conn.pragma_update(None, "cache_size", -crate::WRITER_CACHE_KIB);
    }
}

impl LinkSink for LinkResultsWriter<'_> {
    type Error = StoreError;

    fn document_statements(&mut self, kept: &[Statement], repeats: &[Statement]) -> Result<(), StoreError> {
        let start = Instant::now();
        let conn = &self.store.conn;
        for s in kept {
            insert_claim(conn, INSERT_CLAIM, self.statements, &statement_row(s), Some(s))?;
            self.statements += 1;
        }
        for s in repeats {
            insert_claim(conn, INSERT_REPEAT, 0, &statement_row(s), Some(s))?;
        }
        self.times.documents += start.elapsed();
        Ok(())
    }

    fn document_mentions(&mut self, doc: &str, mentions: &[(u32, Mention)]) -> Result<(), StoreError> {
        let start = Instant::now();
        // Ordinals of statements and mentions are positions in id order.
        if self.last_document.as_deref().is_some_and(|last| last >= doc) {
            return Err(StoreError::Invalid { what: format!("link results: document {doc} out of id order") });
        }
        self.last_document = Some(doc.to_string());
        let mut insert = self.store.conn.prepare_cached(
            "INSERT INTO temp.link_mentions_found (entity_ordinal, ordinal, doc_id, span_start, span_end, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (entity, m) in mentions {
            let entity = *entity as usize;
            if self.mentions.len() <= entity {
                self.mentions.resize(entity + 1, 0);
            }
            let ordinal = self.mentions[entity];
            self.mentions[entity] += 1;
            insert.execute(params![
                to_i64(entity, "ordinal")?,
                to_i64(ordinal, "ordinal")?,
                doc,
                to_i64(m.start, "offset")?,
                to_i64(m.end, "offset")?,
                m.text
            ])?;
        }
        self.times.documents += start.elapsed();
        Ok(())
    }

    fn comparisons(&mut self, batch: &[Comparison]) -> Result<(), StoreError> {
        let start = Instant::now();
        insert_found_comparisons(&self.store.conn, batch)?;
        self.times.documents += start.elapsed();
        Ok(())
    }

    fn stored_statements(&mut self, ids: &[String]) -> Result<Vec<Statement>, StoreError> {
        let start = Instant::now();
        let mut select = self.store.conn.prepare_cached(&format!(
            "SELECT {CLAIM_COLUMNS} FROM main.link_claims WHERE id = ?1 AND kind IN ('statement', 'event')"
        ))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let mut rows = select.query([id])?;
            if let Some(row) = rows.next()? {
                let kind: String = row.get(0)?;
                out.push(statement_from_row(row, kind)?);
            }
        }
        self.times.clusters += start.elapsed();
        Ok(out)
    }

    fn store_statement_clusters(
        &mut self,
        cluster_of: &dyn Fn(&[&Statement]) -> Option<StatementCluster>,
    ) -> Result<(), StoreError> {
        let start = Instant::now();
        let conn = &self.store.conn;
        // Stored statements before the repeats of their ids, as the cluster rule asks.
        let sql = format!(
            "SELECT {CLAIM_COLUMNS}, 0 AS repeat FROM main.link_claims WHERE kind IN ('statement', 'event')
             UNION ALL SELECT {CLAIM_COLUMNS}, 1 AS repeat FROM temp.link_statement_repeats
             ORDER BY cluster_id, repeat"
        );
        let mut query = conn.prepare(&sql)?;
        let mut rows = query.query([])?;
        let mut members: Vec<(Statement, bool)> = Vec::new();
        while let Some(row) = rows.next()? {
            let kind: String = row.get(0)?;
            let statement = statement_from_row(row, kind)?;
            let repeat: bool = row.get(28)?;
            if members.first().is_some_and(|(first, _)| first.cluster != statement.cluster) {
                self.write_cluster(&members, cluster_of)?;
                members.clear();
            }
            members.push((statement, repeat));
        }
        if !members.is_empty() {
            self.write_cluster(&members, cluster_of)?;
        }
        self.times.clusters += start.elapsed();
        Ok(())
    }

    fn finish(&mut self, rest: LinkResults) -> Result<(), StoreError> {
        let start = Instant::now();
        let mut step = Instant::now();
        let mut lap = || {
            let now = Instant::now();
            let took = now - step;
            step = now;
            took
        };
        let conn = &self.store.conn;
        let steps = &mut self.times.finish_steps;
        // The same writers as `replace_link_results`, for what the run held: numeric, status
        // and denial claims, their clusters, comparisons, provenance, entities and aliases.
        write_claims(conn, &rest.claims)?;
        write_clusters(conn, &rest.claims)?;
        steps.claims = lap();
        // Statement clusters numbered as the in-memory analysis orders them.
        conn.execute_batch(
            "INSERT INTO link_claim_clusters (id, kind, ordinal, key, subject, predicate, object, value, unit,
                 independent_sources, denied_by, first_doc, first_start, first_end, first_text, first_date)
             SELECT id, kind, row_number() OVER (ORDER BY independent_sources + denied_by DESC, id) - 1 AS n, key,
                 subject, predicate, object, value, unit, independent_sources, denied_by, first_doc, first_start,
                 first_end, first_text, first_date
             FROM temp.link_statement_clusters ORDER BY n",
        )?;
        steps.statement_clusters = lap();
        // Comparisons were handed over as found (`comparisons`); any in `rest` come after them.
        conn.execute_batch(WRITE_COMPARISONS)?;
        if !rest.claims.comparisons.is_empty() {
            return Err(StoreError::Invalid { what: "link results: comparisons after the streamed ones".into() });
        }
        steps.comparisons = lap();
        write_provenance(conn, &rest.provenance)?;
        write_entities(conn, &rest.entities)?;
        conn.execute_batch(WRITE_MENTIONS)?;
        conn.execute(
            "INSERT INTO link_runs (id, documents, groups) VALUES (1, ?1, ?2)",
            params![to_i64(self.documents, "documents")?, to_i64(self.groups, "groups")?],
        )?;
        steps.entities = lap();
        for sql in &self.indexes {
            conn.execute_batch(sql)?;
        }
        conn.execute_batch(DROP_SCRATCH)?;
        steps.indexes = lap();
        check_link_references(conn)?;
        steps.check = lap();
        conn.execute_batch("COMMIT")?;
        self.open = false;
        steps.commit = lap();
        self.times.finish += start.elapsed();
        Ok(())
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    #[test]
    fn a_link_runs_cache_grows_with_the_corpus_between_the_writers_cache_and_the_cap() {
        assert_eq!(link_run_cache_kib(0), crate::WRITER_CACHE_KIB);
        assert_eq!(link_run_cache_kib(10_000), crate::WRITER_CACHE_KIB);
        assert_eq!(link_run_cache_kib(900_000), 900_000 * LINK_RUN_CACHE_KIB_PER_DOCUMENT);
        assert_eq!(link_run_cache_kib(usize::MAX), LINK_RUN_CACHE_MAX_KIB);
    }
}
