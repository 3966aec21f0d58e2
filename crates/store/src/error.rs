//! The store's error type. Corruption (bytes on disk that do not decode: a column holding bad
//! JSON, an unknown enum name, a negative offset, a file that is not a database) is kept apart
//! from IO and from SQLite's own errors, so that callers can tell "your disk/permissions" from
//! "your data". This module must not panic on any persisted value.

use std::path::PathBuf;

use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[source] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no store in {dir} (no crosscheck.sqlite3)")]
    NotFound { dir: PathBuf },
    #[error("store is corrupt: {what}")]
    Corrupt { what: String },
    /// The file's schema version is not the one this build reads: newer (written by a later
    /// crosscheck) or older and opened read-only, so it could not be migrated.
    #[error("store schema version {found}, this build reads version {supported}{hint}")]
    SchemaVersion { found: i64, supported: i64, hint: &'static str },
    /// A value handed to the store that it cannot represent (an offset beyond `i64`).
    #[error("cannot store {what}")]
    Invalid { what: String },
}

/// SQLite reports some corruption itself; those errors become [`StoreError::Corrupt`], the
/// rest stay [`StoreError::Sqlite`].
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
                StoreError::Corrupt { what: e.to_string() }
            }
            _ => match e {
                rusqlite::Error::FromSqlConversionFailure(..) | rusqlite::Error::InvalidColumnType(..) => {
                    StoreError::Corrupt { what: e.to_string() }
                }
                other => StoreError::Sqlite(other),
            },
        }
    }
}

pub(crate) fn corrupt(what: impl Into<String>) -> StoreError {
    StoreError::Corrupt { what: what.into() }
}
