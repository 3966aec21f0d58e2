//! The schema, as an ordered list of migrations. Migration `i` takes `PRAGMA user_version` from
//! `i` to `i + 1`; all pending ones run in one transaction at open. Never edit a released
//! migration: append a new one.
//!
//! Items are normalised rows (one table per item kind, keyed by document id and ordinal, so the
//! stored order is the extraction's order) rather than one JSON blob, so that later features
//! can query them; only small string lists (aliases, warnings, duplicates_of) are JSON arrays.
//! Offsets are char offsets as in the model; the columns are named `span_start` / `span_end`
//! (not `start` / `end`, as `END` is an SQL keyword).

pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: documents, extractions and their items, duplicate groups.
    r#"
CREATE TABLE documents (
    id           TEXT PRIMARY KEY NOT NULL,
    origin       TEXT NOT NULL,
    format       TEXT NOT NULL,
    url          TEXT,
    outlet       TEXT,
    date         TEXT,
    title        TEXT,
    author       TEXT,
    language     TEXT,
    text         TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    warnings     TEXT NOT NULL DEFAULT '[]',
    ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- The extraction's own metadata; `text` is NULL when it equals documents.text (the usual case).
CREATE TABLE extractions (
    doc_id        TEXT PRIMARY KEY NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    title         TEXT,
    outlet        TEXT,
    date          TEXT,
    url           TEXT,
    author        TEXT,
    text          TEXT,
    duplicates_of TEXT NOT NULL DEFAULT '[]',
    copy_of       TEXT
) STRICT;

CREATE TABLE entities (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    name    TEXT NOT NULL,
    type    TEXT NOT NULL,
    aliases TEXT NOT NULL,
    rule    TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX entities_by_name ON entities(name);
CREATE INDEX entities_by_type_name ON entities(type, name);

CREATE TABLE mentions (
    doc_id         TEXT NOT NULL,
    entity_ordinal INTEGER NOT NULL,
    ordinal        INTEGER NOT NULL,
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL,
    text           TEXT NOT NULL,
    PRIMARY KEY (doc_id, entity_ordinal, ordinal),
    FOREIGN KEY (doc_id, entity_ordinal) REFERENCES entities(doc_id, ordinal) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE roles (
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal      INTEGER NOT NULL,
    person       TEXT NOT NULL,
    role         TEXT NOT NULL,
    organization TEXT,
    span_start   INTEGER NOT NULL,
    span_end     INTEGER NOT NULL,
    rule         TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
) STRICT, WITHOUT ROWID;

CREATE TABLE attributions (
    doc_id        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    source        TEXT NOT NULL,
    cue           TEXT NOT NULL,
    content       TEXT NOT NULL,
    span_start    INTEGER NOT NULL,
    span_end      INTEGER NOT NULL,
    source_start  INTEGER,
    source_end    INTEGER,
    content_start INTEGER,
    content_end   INTEGER,
    direct        INTEGER NOT NULL,
    anonymous     INTEGER NOT NULL,
    rule          TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX attributions_by_source ON attributions(source);

-- `value` NULL stands for NaN, which SQLite cannot hold in a REAL column.
CREATE TABLE quantities (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal     INTEGER NOT NULL,
    text        TEXT NOT NULL,
    value       REAL,
    unit        TEXT NOT NULL,
    about       TEXT,
    approximate INTEGER NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    rule        TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX quantities_by_unit_value ON quantities(unit, value);

CREATE TABLE dates (
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    resolved   TEXT,
    inferred   INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    rule       TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    type       TEXT NOT NULL,
    actor      TEXT,
    target     TEXT,
    place      TEXT,
    date       TEXT,
    trigger    TEXT NOT NULL,
    negated    INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    rule       TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
) STRICT, WITHOUT ROWID;

CREATE TABLE duplicate_groups (
    id        TEXT PRIMARY KEY NOT NULL,
    ordinal   INTEGER NOT NULL UNIQUE,
    canonical TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
) STRICT;

CREATE TABLE duplicate_members (
    group_id TEXT NOT NULL REFERENCES duplicate_groups(id) ON DELETE CASCADE,
    ordinal  INTEGER NOT NULL,
    doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX duplicate_members_by_doc ON duplicate_members(doc_id);

CREATE TABLE duplicate_pairs (
    group_id   TEXT NOT NULL REFERENCES duplicate_groups(id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    doc_a      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    doc_b      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    PRIMARY KEY (group_id, ordinal)
) STRICT, WITHOUT ROWID;
"#,
    // 2: full-text index over documents, and a generation counter readers use to notice writes.
    //
    // The FTS table holds its own copy of title and text (not `content='documents'`): an
    // external-content index is keyed by rowid, and `documents` has no INTEGER PRIMARY KEY, so
    // a VACUUM could renumber its rowids under the index. Triggers keep both in step inside
    // the writer's transaction, so a reader never sees a document without its index entry.
    r#"
CREATE VIRTUAL TABLE documents_fts USING fts5(
    doc_id UNINDEXED,
    title,
    text,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO documents_fts (doc_id, title, text) SELECT id, coalesce(title, ''), text FROM documents;

CREATE TABLE store_generation (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
) STRICT;
INSERT INTO store_generation (id, value) VALUES (1, 0);

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (doc_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
    UPDATE store_generation SET value = value + 1;
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    DELETE FROM documents_fts WHERE doc_id = old.id;
    UPDATE store_generation SET value = value + 1;
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF id, title, text ON documents BEGIN
    DELETE FROM documents_fts WHERE doc_id = old.id;
    INSERT INTO documents_fts (doc_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text);
    UPDATE store_generation SET value = value + 1;
END;
CREATE TRIGGER duplicate_groups_generation_insert AFTER INSERT ON duplicate_groups BEGIN
    UPDATE store_generation SET value = value + 1;
END;
CREATE TRIGGER duplicate_groups_generation_delete AFTER DELETE ON duplicate_groups BEGIN
    UPDATE store_generation SET value = value + 1;
END;
"#,
];

/// The schema version this build reads and writes.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
