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
    // 3: what link derives across documents, so the report and the web UI read it instead of
    // recomputing it: claims (every kind in one table, with the attribution chain; `detail` holds
    // the kind's own record as JSON for numbers, statuses and denials), claim clusters with one
    // evidence row per member, comparisons with both sides' evidence, citations (provenance
    // edges document → outlet) and corpus entities with aliases and mentions. Every row that
    // points into a text keeps its document id and char span. `link_runs` has one row once a
    // link has been stored; its absence means "never linked".
    r#"
CREATE TABLE link_runs (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    documents INTEGER NOT NULL,
    groups    INTEGER NOT NULL,
    linked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE link_claims (
    id            TEXT PRIMARY KEY NOT NULL,
    kind          TEXT NOT NULL,
    ordinal       INTEGER NOT NULL,
    doc_id        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    span_start    INTEGER NOT NULL,
    span_end      INTEGER NOT NULL,
    text          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    subject_key   TEXT NOT NULL,
    predicate     TEXT NOT NULL,
    predicate_key TEXT NOT NULL,
    object        TEXT,
    object_key    TEXT NOT NULL,
    value         REAL,
    unit          TEXT,
    time          TEXT,
    place         TEXT,
    negated       INTEGER NOT NULL,
    denied        INTEGER NOT NULL,
    speaker       TEXT,
    speaker_role  TEXT,
    anonymous     INTEGER NOT NULL,
    cue           TEXT,
    direct        INTEGER NOT NULL,
    via           TEXT,
    publisher     TEXT,
    published     TEXT,
    cluster_id    TEXT,
    detail        TEXT,
    UNIQUE (kind, ordinal)
) STRICT;
CREATE INDEX link_claims_by_doc ON link_claims(doc_id);
CREATE INDEX link_claims_by_key ON link_claims(subject_key, predicate_key, object_key);

CREATE TABLE link_claim_clusters (
    id                  TEXT PRIMARY KEY NOT NULL,
    kind                TEXT NOT NULL,
    ordinal             INTEGER NOT NULL,
    key                 TEXT NOT NULL,
    subject             TEXT NOT NULL,
    predicate           TEXT NOT NULL,
    object              TEXT,
    value               REAL,
    unit                TEXT,
    independent_sources INTEGER NOT NULL,
    denied_by           INTEGER NOT NULL,
    first_doc           TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    first_start         INTEGER NOT NULL,
    first_end           INTEGER NOT NULL,
    first_text          TEXT NOT NULL,
    first_date          TEXT,
    UNIQUE (kind, ordinal)
) STRICT;

CREATE TABLE link_claim_evidence (
    cluster_id TEXT NOT NULL REFERENCES link_claim_clusters(id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    claim_id   TEXT NOT NULL REFERENCES link_claims(id) ON DELETE CASCADE,
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX link_claim_evidence_by_claim ON link_claim_evidence(claim_id);

CREATE TABLE link_comparisons (
    id         TEXT PRIMARY KEY NOT NULL,
    ordinal    INTEGER NOT NULL UNIQUE,
    verdict    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    scope      TEXT NOT NULL,
    subject    TEXT NOT NULL,
    left_text  TEXT NOT NULL,
    right_text TEXT NOT NULL,
    reason     TEXT NOT NULL,
    confidence REAL NOT NULL
) STRICT;

CREATE TABLE link_comparison_evidence (
    comparison_id TEXT NOT NULL REFERENCES link_comparisons(id) ON DELETE CASCADE,
    side          TEXT NOT NULL CHECK (side IN ('left', 'right')),
    doc_id        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    span_start    INTEGER NOT NULL,
    span_end      INTEGER NOT NULL,
    text          TEXT NOT NULL,
    PRIMARY KEY (comparison_id, side)
) STRICT, WITHOUT ROWID;
CREATE INDEX link_comparison_evidence_by_doc ON link_comparison_evidence(doc_id);

CREATE TABLE link_cited_sources (
    id                    TEXT PRIMARY KEY NOT NULL,
    ordinal               INTEGER NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    key                   TEXT NOT NULL UNIQUE,
    independent_documents INTEGER NOT NULL
) STRICT;

CREATE TABLE link_citations (
    ordinal    INTEGER PRIMARY KEY,
    source_id  TEXT NOT NULL REFERENCES link_cited_sources(id) ON DELETE CASCADE,
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    doc_outlet TEXT,
    cited      TEXT NOT NULL,
    cue        TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    text       TEXT NOT NULL
) STRICT;
CREATE INDEX link_citations_by_doc ON link_citations(doc_id);

CREATE TABLE link_entities (
    ordinal INTEGER PRIMARY KEY,
    id      TEXT NOT NULL,
    name    TEXT NOT NULL,
    type    TEXT NOT NULL
) STRICT;
CREATE INDEX link_entities_by_id ON link_entities(id);

CREATE TABLE link_entity_aliases (
    entity_ordinal INTEGER NOT NULL REFERENCES link_entities(ordinal) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL,
    alias          TEXT NOT NULL,
    PRIMARY KEY (entity_ordinal, ordinal)
) STRICT, WITHOUT ROWID;

CREATE TABLE link_entity_mentions (
    entity_ordinal INTEGER NOT NULL REFERENCES link_entities(ordinal) ON DELETE CASCADE,
    ordinal        INTEGER NOT NULL,
    doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL,
    text           TEXT NOT NULL,
    PRIMARY KEY (entity_ordinal, ordinal)
) STRICT, WITHOUT ROWID;
CREATE INDEX link_entity_mentions_by_doc ON link_entity_mentions(doc_id);

CREATE TRIGGER link_runs_generation_insert AFTER INSERT ON link_runs BEGIN
    UPDATE store_generation SET value = value + 1;
END;
CREATE TRIGGER link_runs_generation_delete AFTER DELETE ON link_runs BEGIN
    UPDATE store_generation SET value = value + 1;
END;
"#,
    // 4: the full-text index of new documents is written by `insert_batch`, after a batch's
    // documents and items, instead of by a trigger per document. FTS5 writes its pending terms
    // out as a new index segment whenever a statement savepoint opens, and a trigger on an
    // insert into `documents` opens one per document: one segment per document, merged again
    // and again (a third of the store's write time). Written last, a batch's terms become one
    // segment at commit, in the same transaction, so a reader still never sees a document
    // without its index entry. Deletes and updates keep their triggers. The generation moves
    // once per written batch (readers only compare it).
    r#"
DROP TRIGGER documents_fts_insert;
"#,
];

/// The schema version this build reads and writes.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
