//! The embedded store: one directory holding `crosscheck.sqlite3`, with every document, its
//! extraction as normalised rows, the duplicate groups found by link and link's other results
//! (claims, comparisons, provenance, corpus entities; `link_results`).
//!
//! This crate owns persistence only: opening and migrating the database, writing whole
//! documents atomically, and reading them back exactly as written. It must not analyse text,
//! decide what is a duplicate (link does) or choose the directory (the CLI does). It never
//! unwraps persisted bytes: anything that does not decode is [`StoreError::Corrupt`].
//!
//! Durability: the database runs in WAL mode with `synchronous=NORMAL`. A commit appends the
//! transaction's pages to the WAL with `write()` before returning, so once `insert_batch`
//! returns, the batch survives the process being killed (even `kill -9`): the data is in the
//! OS page cache and the next open replays the WAL. A transaction interrupted before its
//! commit frame is written is simply absent. What NORMAL gives up relative to FULL is only the
//! fsync per commit, i.e. after an OS crash or power loss the last few committed batches may be
//! rolled back — but never half a document, and never a corrupt file. Since re-ingesting is
//! idempotent (content-hash dedup), losing the tail of an ingest on power loss is harmless, and
//! NORMAL saves an fsync per batch.

mod error;
mod link_results;
mod read;
mod schema;
mod search;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use crosscheck_model::DuplicateGroup;
pub use error::StoreError;
pub use link_results::{FinishTimes, LinkResultsWriter, LinkRun, LinkWriteTimes};
pub use search::{
    fts_expression, EntityMatch, FacetCount, Facets, Fragment, QueryError, SearchHit, SearchQuery, SearchResults,
    MAX_QUERY_CHARS, MAX_SEARCH_LIMIT,
};

/// The database file inside the store directory.
pub const DB_FILE_NAME: &str = "crosscheck.sqlite3";

/// Page cache of a writing connection, in KiB.
pub(crate) const WRITER_CACHE_KIB: i64 = 64 * 1024;
/// Page cache of [`Store::reader`], in KiB.
const READER_CACHE_KIB: i64 = 16 * 1024;
/// WAL pages (4 KiB each) after which a commit checkpoints.
const WAL_CHECKPOINT_PAGES: i64 = 8192;

/// What [`Store::insert_batch`] did with one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertOutcome {
    /// Stored under `id` — the document's own id, or `"<id>~N"` when its id was already taken
    /// by a document with different content (compare with the input id to report a rename).
    Added { id: String },
    /// Not stored: a document with the same `content_hash` is already stored as `existing_id`.
    Duplicate { id: String, existing_id: String },
}

/// An open store. Reads and writes go through one SQLite connection.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    dir: PathBuf,
}

impl Store {
    /// Opens the store in `dir`, creating the directory and the database if needed and applying
    /// pending migrations (all in one transaction).
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.to_path_buf(), source })?;
        let path = dir.join(DB_FILE_NAME);
        let mut conn = Connection::open(&path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Reading the journal mode is the first access to the file: a non-database fails here.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            // WAL is what makes a killed ingest safe; refuse rather than run without it.
            return Err(StoreError::Invalid { what: format!("{}: journal mode {mode}, WAL required", path.display()) });
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // A long ingest touches the same B-tree and FTS pages batch after batch: a 64 MB page
        // cache (the default is 2 MB) keeps them in memory instead of re-reading them.
        conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        // Each checkpoint copies the newest WAL copy of every page into the database and
        // fsyncs it; checkpointing every 32 MB of WAL instead of every 4 MB copies a hot page
        // once where it was copied eight times. The WAL stays bounded (it restarts after each
        // checkpoint) and a killed process still replays it.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;
        migrate(&mut conn)?;
        Ok(Store { conn, dir: dir.to_path_buf() })
    }

    /// Opens an existing store for reading; [`StoreError::NotFound`] when `dir` holds none.
    /// Writes through a read-only store fail with [`StoreError::Sqlite`].
    pub fn open_read_only(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join(DB_FILE_NAME);
        if !path.is_file() {
            return Err(StoreError::NotFound { dir: dir.to_path_buf() });
        }
        let conn =
            Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let supported = schema::latest_version();
        if found != supported {
            let hint = if found < supported { " (open it for writing once to migrate)" } else { "" };
            return Err(StoreError::SchemaVersion { found, supported, hint });
        }
        Ok(Store { conn, dir: dir.to_path_buf() })
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A second, read-only connection to this store, for reading documents and extractions
    /// while this one writes a link run in one long transaction. It reads the last commit
    /// (the run's own writes are not there: the documents are), and from the database file:
    /// a read through the writing connection first looks for its page in the WAL, whose
    /// index is searched segment by segment, newest first, back to the run's first frame, so
    /// each read of an unchanged page cost time in proportion to what the run had written so
    /// far (quadratic over a run).
    pub fn reader(&self) -> Result<Store, StoreError> {
        let reader = Store::open_read_only(&self.dir)?;
        // Streams several item tables side by side; the default 2 MB cache would evict one
        // cursor's interior pages for another's.
        reader.conn.pragma_update(None, "cache_size", -READER_CACHE_KIB)?;
        Ok(reader)
    }

    /// Whether a document with this content hash is stored.
    pub fn contains_hash(&self, content_hash: &str) -> Result<bool, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM documents WHERE content_hash = ?1")?;
        Ok(stmt.exists([content_hash])?)
    }

    pub fn document_count(&self) -> Result<usize, StoreError> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM documents", [], |row| row.get(0))?;
        usize::try_from(n).map_err(|_| error::corrupt(format!("document count {n}")))
    }

    /// `PRAGMA integrity_check`: `"ok"` for a healthy database, else SQLite's findings, one
    /// per line.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = stmt.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(lines.join("\n"))
    }
}

/// Applies every migration after the file's `user_version`, in one transaction.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let supported = schema::latest_version();
    if found > supported || found < 0 {
        return Err(StoreError::SchemaVersion { found, supported, hint: " (written by a newer crosscheck)" });
    }
    for (version, sql) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests;
