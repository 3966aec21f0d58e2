//! Search: full-text search over documents (SQLite FTS5, BM25 ranking, phrases, prefixes,
//! filters by outlet / date range / entity, highlighted snippets and facet counts) and entity
//! lookup by any alias. The FTS index is kept in step with `documents` by triggers (migration
//! 2), so a search sees exactly the documents of its read snapshot.
//!
//! This module owns turning a user's query into FTS5 syntax: user text never reaches `MATCH`
//! unquoted, so no input can be a syntax error or an injection. It must not render anything:
//! snippets come back as plain-text fragments flagged as hit or not, and callers escape them.

use std::collections::HashMap;

use rusqlite::types::Value;
use serde::Serialize;

use crate::error::StoreError;
use crate::Store;

/// Marks the start and end of a hit inside FTS5 `snippet()` output. Control characters that
/// article text does not carry (ingest text is printable; a stray one only misplaces a mark).
const HIT_START: char = '\u{2}';
const HIT_END: char = '\u{3}';
/// Tokens per snippet.
const SNIPPET_TOKENS: i64 = 24;
/// Most documents one search returns per page.
pub const MAX_SEARCH_LIMIT: usize = 200;
/// Longest query accepted, in chars; longer queries are refused, not truncated.
pub const MAX_QUERY_CHARS: usize = 500;
/// Facet values listed per facet.
const FACET_SIZE: i64 = 12;

/// What to search for. `query` uses a small, forgiving syntax: words are ANDed, `"two words"`
/// is a phrase, `word*` a prefix, `OR` between two terms an alternative, `-word` excludes.
/// Words are stemmed (Porter) and accents folded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub query: String,
    /// Only documents of this outlet (exact, case-insensitive).
    pub outlet: Option<String>,
    /// Only documents dated on or after this ISO prefix (`2025`, `2025-03`, `2025-03-04`).
    pub date_from: Option<String>,
    /// Only documents dated on or before this ISO prefix (a month includes its days).
    pub date_to: Option<String>,
    /// Only documents naming an entity with this name or alias (case-insensitive).
    pub entity: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// A piece of a snippet; `hit` pieces matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<String>,
    /// BM25 score, higher is better (SQLite's `bm25()` negated).
    pub score: f64,
    pub snippet: Vec<Fragment>,
}

/// How many matching documents have each value of a facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub outlets: Vec<FacetCount>,
    /// By month (`YYYY-MM`), or by the date as stored when it is coarser.
    pub months: Vec<FacetCount>,
    pub entities: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// The FTS5 expression the query was turned into (shown to explain what was searched).
    pub expression: String,
    pub total: usize,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
}

/// An entity name or alias matching an entity search, with how widely it is named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityMatch {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The alias that matched, when it was not the name itself.
    pub matched_alias: Option<String>,
    pub documents: usize,
}

/// Why a query was refused. Empty or syntax-free queries are not errors: they match nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("query longer than {MAX_QUERY_CHARS} characters")]
    TooLong,
}

/// Turns the user's query into an FTS5 expression, or `None` when it has no searchable term.
pub fn fts_expression(query: &str) -> Result<Option<String>, QueryError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let mut positive: Vec<String> = Vec::new();
    let mut negative: Vec<String> = Vec::new();
    let mut pending_or = false;
    let mut chars = query.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-';
        if negated {
            chars.next();
        }
        let (raw, phrase) = if chars.peek() == Some(&'"') {
            chars.next();
            let mut phrase = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                phrase.push(c);
            }
            (phrase, true)
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            (word, false)
        };
        if !phrase && !negated && raw == "OR" {
            pending_or = !positive.is_empty();
            continue;
        }
        let prefix = !phrase && raw.ends_with('*');
        // Only letters and digits reach the tokenizer's ears; quoting makes the rest inert.
        let cleaned: String =
            raw.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect::<String>().trim().to_string();
        if cleaned.is_empty() {
            continue;
        }
        let quoted = format!(
            "\"{}\"{}",
            cleaned.split_whitespace().collect::<Vec<_>>().join(" "),
            if prefix { "*" } else { "" }
        );
        if negated {
            negative.push(quoted);
        } else if pending_or {
            if let Some(last) = positive.last_mut() {
                *last = format!("{last} OR {quoted}");
            }
            pending_or = false;
        } else {
            positive.push(quoted);
        }
    }
    if positive.is_empty() {
        // FTS5 has no "everything except": a query of exclusions alone matches nothing.
        return Ok(None);
    }
    let mut expression = positive
        .iter()
        .map(|p| if p.contains(" OR ") { format!("({p})") } else { p.clone() })
        .collect::<Vec<_>>()
        .join(" AND ");
    for n in negative {
        expression = format!("({expression}) NOT {n}");
    }
    Ok(Some(expression))
}

/// Splits `snippet()` output at the hit markers.
fn fragments(snippet: &str) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut current = String::new();
    let mut hit = false;
    for c in snippet.chars() {
        if c == HIT_START || c == HIT_END {
            if !current.is_empty() {
                out.push(Fragment { text: std::mem::take(&mut current), hit });
            }
            hit = c == HIT_START;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(Fragment { text: current, hit });
    }
    out
}

/// `date_to` is inclusive of everything it prefixes: `2025-03` keeps `2025-03-31`.
fn date_upper_bound(to: &str) -> String {
    format!("{to}\u{10FFFF}")
}

/// The most frequent values first (ties by value), at most [`FACET_SIZE`].
fn top_counts(counts: HashMap<String, usize>) -> Vec<FacetCount> {
    let mut all: Vec<FacetCount> = counts.into_iter().map(|(value, count)| FacetCount { value, count }).collect();
    all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    all.truncate(FACET_SIZE as usize);
    all
}

fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// The `WHERE` clause shared by the page, the total and the facets; `?1` is the expression.
fn filter_clause(q: &SearchQuery, params: &mut Vec<Value>) -> String {
    let mut clause = String::from("documents_fts MATCH ?1");
    if let Some(outlet) = q.outlet.as_deref().filter(|s| !s.is_empty()) {
        params.push(Value::Text(outlet.to_string()));
        clause += &format!(" AND d.outlet = ?{} COLLATE NOCASE", params.len());
    }
    if let Some(from) = q.date_from.as_deref().filter(|s| !s.is_empty()) {
        params.push(Value::Text(from.to_string()));
        clause += &format!(" AND d.date >= ?{}", params.len());
    }
    if let Some(to) = q.date_to.as_deref().filter(|s| !s.is_empty()) {
        params.push(Value::Text(date_upper_bound(to)));
        clause += &format!(" AND d.date <= ?{}", params.len());
    }
    if let Some(entity) = q.entity.as_deref().filter(|s| !s.is_empty()) {
        params.push(Value::Text(entity.to_string()));
        let n = params.len();
        clause += &format!(
            " AND EXISTS (SELECT 1 FROM entities e WHERE e.doc_id = d.id AND (e.name = ?{n} COLLATE NOCASE
                 OR EXISTS (SELECT 1 FROM json_each(e.aliases) a WHERE a.value = ?{n} COLLATE NOCASE)))"
        );
    }
    clause
}

impl Store {
    /// Full-text search. Hits are ranked by BM25 (title matches weigh three times text
    /// matches), ties broken by id; `total` and the facets count every match, not just the page.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, StoreError> {
        self.snapshot(|store| store.search_in_snapshot(q))
    }

    fn search_in_snapshot(&self, q: &SearchQuery) -> Result<SearchResults, StoreError> {
        let expression = match fts_expression(&q.query) {
            Ok(Some(e)) => e,
            Ok(None) => {
                return Ok(SearchResults {
                    expression: String::new(),
                    total: 0,
                    hits: Vec::new(),
                    facets: Facets::default(),
                })
            }
            Err(e) => return Err(StoreError::Invalid { what: format!("search: {e}") }),
        };
        let mut params = vec![Value::Text(expression.clone())];
        let clause = filter_clause(q, &mut params);
        let from = "documents_fts JOIN documents d ON d.id = documents_fts.doc_id";

        // One pass over every match gives the total and the outlet and month facets.
        let mut outlets: HashMap<String, usize> = HashMap::new();
        let mut months: HashMap<String, usize> = HashMap::new();
        let mut total = 0usize;
        {
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT d.outlet, substr(d.date, 1, 7) FROM {from} WHERE {clause}"))?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
            while let Some(row) = rows.next()? {
                total += 1;
                if let Some(outlet) = row.get::<_, Option<String>>(0)? {
                    *outlets.entry(outlet).or_default() += 1;
                }
                if let Some(month) = row.get::<_, Option<String>>(1)? {
                    *months.entry(month).or_default() += 1;
                }
            }
        }

        // The page: ranked ids only. Snippets are made for the page's rows alone afterwards,
        // since SQLite would otherwise build one for every match before sorting.
        let limit = q.limit.clamp(1, MAX_SEARCH_LIMIT);
        let mut page_params = params.clone();
        page_params.push(Value::Integer(i64::try_from(limit).unwrap_or(20)));
        page_params.push(Value::Integer(i64::try_from(q.offset).unwrap_or(i64::MAX)));
        let (limit_at, offset_at) = (page_params.len() - 1, page_params.len());
        let sql = format!(
            "SELECT documents_fts.rowid, d.id, d.title, d.outlet, d.date, -bm25(documents_fts, 0.0, 3.0, 1.0) AS score
             FROM {from} WHERE {clause} ORDER BY score DESC, d.id LIMIT ?{limit_at} OFFSET ?{offset_at}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(page_params.iter()))?;
        let mut page: Vec<(i64, SearchHit)> = Vec::new();
        while let Some(row) = rows.next()? {
            let hit = SearchHit {
                id: row.get(1)?,
                title: row.get(2)?,
                outlet: row.get(3)?,
                date: row.get(4)?,
                score: row.get(5)?,
                snippet: Vec::new(),
            };
            page.push((row.get(0)?, hit));
        }
        drop(rows);
        let mut snippet_stmt = self.conn.prepare_cached(&format!(
            "SELECT snippet(documents_fts, 2, char(2), char(3), '…', {SNIPPET_TOKENS})
             FROM documents_fts WHERE documents_fts MATCH ?1 AND rowid = ?2"
        ))?;
        let mut hits = Vec::with_capacity(page.len());
        for (rowid, mut hit) in page {
            let snippet: String = snippet_stmt.query_row(rusqlite::params![expression, rowid], |row| row.get(0))?;
            hit.snippet = fragments(&snippet);
            hits.push(hit);
        }

        let sql = format!(
            "SELECT e.name AS value, count(DISTINCT d.id) AS n FROM {from} JOIN entities e ON e.doc_id = d.id
             WHERE {clause} GROUP BY value ORDER BY n DESC, value LIMIT {FACET_SIZE}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let entities = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |row| {
                Ok(FacetCount { value: row.get(0)?, count: count(row.get(1)?) })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let facets = Facets { outlets: top_counts(outlets), months: top_counts(months), entities };
        Ok(SearchResults { expression, total, hits, facets })
    }

    /// Entities whose name or any alias contains `text` (case-insensitive for ASCII), most
    /// widely named first. One row per (name, type) across documents.
    pub fn find_entities(&self, text: &str, limit: usize) -> Result<Vec<EntityMatch>, StoreError> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_QUERY_CHARS {
            return Ok(Vec::new());
        }
        let escaped: String = text
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let pattern = format!("%{escaped}%");
        let limit = i64::try_from(limit.clamp(1, MAX_SEARCH_LIMIT)).unwrap_or(20);
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.name, e.type,
                    CASE WHEN e.name LIKE ?1 ESCAPE '\\' THEN NULL
                         ELSE (SELECT a.value FROM json_each(e.aliases) a WHERE a.value LIKE ?1 ESCAPE '\\' LIMIT 1) END,
                    count(DISTINCT e.doc_id) AS n
             FROM entities e
             WHERE e.name LIKE ?1 ESCAPE '\\'
                OR EXISTS (SELECT 1 FROM json_each(e.aliases) a WHERE a.value LIKE ?1 ESCAPE '\\')
             GROUP BY e.name, e.type ORDER BY n DESC, e.name LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![pattern, limit], |row| {
            Ok(EntityMatch {
                name: row.get(0)?,
                kind: row.get(1)?,
                matched_alias: row.get(2)?,
                documents: count(row.get(3)?),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Runs `read` inside one read transaction, so that all its queries see the same
    /// committed state even while another connection writes (WAL snapshot isolation).
    /// Nested calls join the outer snapshot.
    pub fn snapshot<T, E: From<StoreError>>(&self, read: impl FnOnce(&Store) -> Result<T, E>) -> Result<T, E> {
        if !self.conn.is_autocommit() {
            return read(self);
        }
        let tx = self.conn.unchecked_transaction().map_err(StoreError::from)?;
        let result = read(self);
        // Nothing was written: ending the transaction only releases the snapshot.
        tx.rollback().map_err(StoreError::from)?;
        result
    }

    /// A handle that stops this connection's running query from another thread (the query
    /// then fails with an "interrupted" error). Servers use it to give up on a slow search.
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// A number that changes whenever documents or duplicate groups are written, so that a
    /// long-running reader can tell when its cached views are stale.
    pub fn generation(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT value FROM store_generation WHERE id = 1", [], |row| row.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_and_anded() {
        assert_eq!(fts_expression("pier  reopen").expect("expression").as_deref(), Some("\"pier\" AND \"reopen\""));
    }

    #[test]
    fn phrases_prefixes_or_and_exclusions() {
        assert_eq!(
            fts_expression("\"harbour master\" rail* OR tram -bus").expect("expression").as_deref(),
            Some("(\"harbour master\" AND (\"rail\"* OR \"tram\")) NOT \"bus\"")
        );
    }

    #[test]
    fn syntax_characters_are_inert() {
        assert_eq!(
            fts_expression("a:b) NEAR( ^x").expect("expression").as_deref(),
            Some("\"a b\" AND \"NEAR\" AND \"x\"")
        );
        assert_eq!(fts_expression("\"unclosed phrase").expect("expression").as_deref(), Some("\"unclosed phrase\""));
        assert_eq!(fts_expression("-only -negative").expect("expression"), None);
        assert_eq!(fts_expression("  ()\"\" ").expect("expression"), None);
        assert_eq!(fts_expression(&"x".repeat(MAX_QUERY_CHARS + 1)), Err(QueryError::TooLong));
    }

    #[test]
    fn snippet_markers_become_fragments() {
        let f = fragments("…the \u{2}pier\u{3} will \u{2}reopen\u{3}");
        assert_eq!(
            f,
            vec![
                Fragment { text: "…the ".into(), hit: false },
                Fragment { text: "pier".into(), hit: true },
                Fragment { text: " will ".into(), hit: false },
                Fragment { text: "reopen".into(), hit: true },
            ]
        );
    }

    use crosscheck_model::{Document, Entity, EntityType, Extraction, Mention, SourceFormat};

    fn doc(id: &str, outlet: &str, date: &str, title: &str, text: &str) -> (Document, Extraction) {
        let d = Document {
            id: id.into(),
            origin: format!("{id}.txt"),
            format: SourceFormat::Text,
            url: None,
            outlet: Some(outlet.into()),
            date: Some(date.into()),
            title: Some(title.into()),
            author: None,
            language: None,
            text: text.into(),
            content_hash: format!("hash-{id}"),
            warnings: Vec::new(),
        };
        let mut x = Extraction::empty_for(&d);
        if let Some(at) = text.find("Mara Venn") {
            let start = text[..at].chars().count();
            x.entities.push(Entity {
                name: "Mara Venn".into(),
                kind: EntityType::Person,
                aliases: vec!["Venn".into()],
                mentions: vec![Mention { start, end: start + 9, text: "Mara Venn".into() }],
                rule: "test".into(),
            });
        }
        (d, x)
    }

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("open");
        store
            .insert_batch(&[
                doc(
                    "a",
                    "Harbour Gazette",
                    "2025-03-04",
                    "Pier to reopen",
                    "Mara Venn said the old pier will reopen in May.",
                ),
                doc(
                    "b",
                    "Valley Post",
                    "2025-04-10",
                    "Rail tender",
                    "The rail tender drew three bids; the pier was not mentioned.",
                ),
                doc(
                    "c",
                    "Harbour Gazette",
                    "2025-05-01",
                    "Council vote",
                    "Councillors voted on the budget. Mara Venn abstained.",
                ),
            ])
            .expect("insert");
        (dir, store)
    }

    fn q(query: &str) -> SearchQuery {
        SearchQuery { query: query.into(), limit: 10, ..SearchQuery::default() }
    }

    #[test]
    fn ranks_title_matches_first_and_highlights_hits() {
        let (_dir, store) = store();
        let r = store.search(&q("pier")).expect("search");
        assert_eq!(r.total, 2);
        assert_eq!(r.hits[0].id, "a", "title match outranks a text-only match");
        assert!(r.hits[0].score > r.hits[1].score);
        let hits: Vec<&str> = r.hits[0].snippet.iter().filter(|f| f.hit).map(|f| f.text.as_str()).collect();
        assert_eq!(hits, ["pier"]);
        let whole: String = r.hits[1].snippet.iter().map(|f| f.text.as_str()).collect();
        assert!(whole.contains("the pier was not mentioned"), "{whole}");
    }

    #[test]
    fn phrases_stems_and_filters() {
        let (_dir, store) = store();
        assert_eq!(store.search(&q("\"pier will reopen\"")).expect("phrase").total, 1);
        assert_eq!(store.search(&q("\"reopen pier\"")).expect("phrase order").total, 0);
        assert_eq!(store.search(&q("vote")).expect("stem").hits[0].id, "c", "voted ~ vote");
        let mut by_outlet = q("pier");
        by_outlet.outlet = Some("valley post".into());
        assert_eq!(
            store.search(&by_outlet).expect("outlet").hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
        let mut by_date = q("the");
        by_date.date_from = Some("2025-04".into());
        by_date.date_to = Some("2025-04".into());
        assert_eq!(
            store.search(&by_date).expect("dates").hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
        let mut by_entity = q("the");
        by_entity.entity = Some("venn".into());
        let r = store.search(&by_entity).expect("entity");
        let mut ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, ["a", "c"], "alias matches, case-insensitively");
    }

    #[test]
    fn facets_count_every_match() {
        let (_dir, store) = store();
        let mut page = q("the");
        page.limit = 1;
        let r = store.search(&page).expect("search");
        assert_eq!(r.hits.len(), 1);
        assert_eq!(r.total, 3);
        assert_eq!(r.facets.outlets[0], FacetCount { value: "Harbour Gazette".into(), count: 2 });
        assert_eq!(r.facets.months.len(), 3);
        assert_eq!(r.facets.entities, vec![FacetCount { value: "Mara Venn".into(), count: 2 }]);
    }

    #[test]
    fn index_follows_deletes_and_hostile_queries_match_nothing() {
        let (_dir, store) = store();
        store.conn.execute("DELETE FROM documents WHERE id = 'a'", []).expect("delete");
        assert_eq!(store.search(&q("reopen")).expect("search").total, 0);
        for hostile in ["\"", "NEAR(", "*", "a OR", "OR", ") AND (", "'; DROP TABLE documents; --"] {
            let r = store.search(&q(hostile)).expect(hostile);
            assert!(r.total <= 3, "{hostile}");
        }
        assert_eq!(store.document_count().expect("count"), 2);
    }

    #[test]
    fn entities_are_found_by_any_alias() {
        let (_dir, store) = store();
        let found = store.find_entities("venn", 10).expect("find");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Mara Venn");
        assert_eq!(found[0].documents, 2);
        assert_eq!(found[0].matched_alias, None, "the name itself contains the text");
        assert!(store.find_entities("100%", 10).expect("like escape").is_empty());
    }

    #[test]
    fn generation_moves_on_every_write() {
        let (_dir, mut store) = store();
        let before = store.generation().expect("generation");
        store.insert_batch(&[doc("d", "X", "2025", "T", "Another text entirely.")]).expect("insert");
        assert!(store.generation().expect("generation") > before);
    }

    #[test]
    fn migrating_a_version_one_store_indexes_its_documents() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let conn = rusqlite::Connection::open(dir.path().join(crate::DB_FILE_NAME)).expect("open");
            conn.execute_batch(crate::schema::MIGRATIONS[0]).expect("v1");
            conn.pragma_update(None, "user_version", 1).expect("version");
            conn.execute(
                "INSERT INTO documents (id, origin, format, text, content_hash) VALUES ('old', 'o', 'text', 'The ferry sank.', 'h')",
                [],
            )
            .expect("row");
        }
        let store = Store::open(dir.path()).expect("migrate");
        assert_eq!(store.search(&q("ferry")).expect("search").hits[0].id, "old");
    }

    #[test]
    fn a_snapshot_does_not_see_writes_that_commit_during_it() {
        let (dir, store) = store();
        let mut writer = Store::open(dir.path()).expect("writer");
        let (before, after) = store
            .snapshot(|s| {
                let before = s.search(&q("the"))?.total;
                writer.insert_batch(&[doc("w", "X", "2025", "T", "the words of the writer")])?;
                let after = s.search(&q("the"))?.total;
                Ok::<_, StoreError>((before, after))
            })
            .expect("snapshot");
        assert_eq!(before, after);
        assert_eq!(store.search(&q("the")).expect("search").total, before + 1, "visible once the snapshot ends");
    }

    #[test]
    fn a_running_query_can_be_interrupted_from_another_thread() {
        let (_dir, store) = store();
        let handle = store.interrupt_handle();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&done);
        // Interrupts until the query has stopped: an interrupt before it starts is a no-op.
        let interrupter = std::thread::spawn(move || {
            while !flag.load(std::sync::atomic::Ordering::SeqCst) {
                handle.interrupt();
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        });
        let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
        let result: Result<i64, _> = store.conn.query_row(endless, [], |row| row.get(0));
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        interrupter.join().expect("interrupter");
        let error = result.expect_err("an endless query only ends by interruption");
        assert_eq!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::OperationInterrupted));
        assert_eq!(store.search(&q("pier")).expect("the connection still works").total, 2);
    }
}
