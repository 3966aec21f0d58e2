//! The JSON API under `/api`. Lists are paged (`limit`, `offset`; answer `{items, total,
//! limit, offset, next}`), ids are the store's (documents) and link's (entities `E…`, groups),
//! which do not change between runs on the same input. Report sections this build does not
//! know by type (claims, contradictions, …) are passed through from the report's JSON.
//!
//! This module also owns the derived views the pages share (timeline, citation graph, outlet
//! profiles, entity lookup), so the API and the UI cannot disagree. It must not render HTML.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crosscheck_link::CorpusEntity;
use crosscheck_store::{EntityMatch, SearchQuery, SearchResults};

use super::error::{for_path, ApiError};
use super::state::View;
use super::{AppState, IngestFailure, IngestRequest};

/// Items per page unless asked otherwise, and the most one page may hold.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 500;

/// Query parameters, with a rejection in the server's error shape (page or JSON by path).
pub struct Q<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(v)| Q(v))
            .map_err(|e| for_path(&parts.uri, ApiError::bad_request(format!("bad query: {}", e.body_text()))))
    }
}

/// One path parameter, decoded, with a rejection in the server's error shape.
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(Id(id)),
            Err(e) => Err(for_path(&parts.uri, ApiError::bad_request(format!("bad path: {}", e.body_text())))),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageParams {
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

impl PageParams {
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }
    pub fn offset(&self) -> usize {
        self.offset.unwrap_or(0)
    }
}

#[derive(Debug, Serialize)]
pub struct PageOf<T: Serialize> {
    pub items: Vec<T>,
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
    /// Offset of the next page, `null` on the last.
    pub next: Option<usize>,
}

pub fn paginate<T: Serialize + Clone>(all: &[T], page: &PageParams) -> PageOf<T> {
    let (limit, offset) = (page.limit(), page.offset());
    let items = all.iter().skip(offset).take(limit).cloned().collect();
    let next = (offset.saturating_add(limit) < all.len()).then_some(offset + limit);
    PageOf { items, total: all.len(), limit, offset, next }
}

fn paginate_values(all: &[Value], page: &PageParams) -> Value {
    let p = paginate(all, page);
    json!({"items": p.items, "total": p.total, "limit": p.limit, "offset": p.offset, "next": p.next})
}

/// The comparison key for names typed by a reader (case, accents, punctuation folded), the
/// same key entity resolution uses.
fn normalize(s: &str) -> String {
    crosscheck_text::normalize_key(s)
}

// ---------------------------------------------------------------------------------------------
// Derived views shared with the pages.

/// Corpus entities whose name or any alias contains `q` (case-insensitive), of `kind` if given.
pub fn find_entities<'a>(view: &'a View, q: Option<&str>, kind: Option<&str>) -> Vec<&'a CorpusEntity> {
    let needle = q.map(normalize).filter(|n| !n.is_empty());
    view.report
        .entities
        .iter()
        .filter(|e| kind.is_none_or(|k| e.kind.as_str() == k))
        .filter(|e| {
            needle.as_ref().is_none_or(|n| {
                normalize(&e.name).contains(n.as_str()) || e.aliases.iter().any(|a| normalize(a).contains(n.as_str()))
            })
        })
        .collect()
}

/// Entities ordered by how many documents name them, then mentions, then name.
pub fn top_entities(view: &View) -> Vec<&CorpusEntity> {
    let mut all: Vec<&CorpusEntity> = view.report.entities.iter().collect();
    all.sort_by(|a, b| {
        (b.documents.len(), b.mentions.len())
            .cmp(&(a.documents.len(), a.mentions.len()))
            .then_with(|| a.name.cmp(&b.name))
    });
    all
}

/// Entities named in the same documents as `entity`, with the number of shared documents.
pub fn related_entities<'a>(view: &'a View, entity: &CorpusEntity) -> Vec<(&'a CorpusEntity, usize)> {
    let docs: BTreeSet<&str> = entity.documents.iter().map(String::as_str).collect();
    let mut related: Vec<(&CorpusEntity, usize)> = view
        .report
        .entities
        .iter()
        .filter(|e| e.id != entity.id)
        .map(|e| (e, e.documents.iter().filter(|d| docs.contains(d.as_str())).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    related.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| b.0.documents.len().cmp(&a.0.documents.len())).then_with(|| a.0.name.cmp(&b.0.name))
    });
    related
}

/// Where a passage is: document and char span, with the passage text when it can be read.
#[derive(Debug, Clone, Serialize)]
pub struct Passage {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

pub fn passage(view: &View, doc: &str, start: usize, end: usize) -> Passage {
    let text = view
        .extraction(doc)
        .map(|x| super::highlight::crosscheck_text_slice(&x.text, crosscheck_model::Span::new(start, end)))
        .unwrap_or_default();
    Passage { doc: doc.to_string(), start, end, text }
}

/// One day (or month, or year) of the story, with what the documents say happened then.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub date: String,
    pub documents: Vec<String>,
    pub passages: Vec<Passage>,
}

/// The report's own timeline when it has one; else the resolved dates, grouped by value.
pub fn timeline_entries(view: &View) -> Vec<Value> {
    match view.json.get("timeline") {
        Some(Value::Array(items)) => return items.clone(),
        Some(Value::Object(t)) => {
            if let Some(Value::Array(items)) = t.get("dated") {
                return items.clone();
            }
        }
        _ => {}
    }
    let mut by_date: BTreeMap<&str, TimelineEntry> = BTreeMap::new();
    for d in &view.report.dates {
        let Some(resolved) = d.item.resolved.as_deref() else { continue };
        let entry = by_date.entry(resolved).or_insert_with(|| TimelineEntry {
            date: resolved.to_string(),
            documents: Vec::new(),
            passages: Vec::new(),
        });
        if !entry.documents.contains(&d.evidence.doc) {
            entry.documents.push(d.evidence.doc.clone());
        }
        entry.passages.push(passage(view, &d.evidence.doc, d.evidence.start, d.evidence.end));
    }
    by_date.into_values().filter_map(|e| serde_json::to_value(e).ok()).collect()
}

/// A node of the citation / copy graph.
#[derive(Debug, Clone, Serialize)]
pub struct GraphNode {
    pub id: String,
    pub label: String,
    /// `outlet` or `source`.
    pub kind: &'static str,
    pub weight: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// `cites` (an outlet's documents quote a named source) or `copies` (a document of one
    /// outlet is a near-duplicate of an earlier one of another).
    pub kind: &'static str,
    pub weight: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

const UNKNOWN_OUTLET: &str = "(outlet unknown)";

fn outlet_of<'a>(view: &'a View, doc: &str) -> &'a str {
    view.extraction(doc).and_then(|x| x.outlet.as_deref()).unwrap_or(UNKNOWN_OUTLET)
}

/// Outlets, the named sources their documents cite, and which outlet's documents copy whose.
pub fn citation_graph(view: &View) -> Graph {
    let mut nodes: BTreeMap<String, GraphNode> = BTreeMap::new();
    let mut edges: BTreeMap<(String, String, &'static str), usize> = BTreeMap::new();
    for d in &view.report.documents {
        let outlet = d.outlet.as_deref().unwrap_or(UNKNOWN_OUTLET);
        let id = format!("outlet:{outlet}");
        nodes
            .entry(id.clone())
            .or_insert_with(|| GraphNode { id, label: outlet.to_string(), kind: "outlet", weight: 0 })
            .weight += 1;
    }
    let citations = view.json.get("provenance").and_then(|p| p.get("citations")).and_then(Value::as_array);
    if let Some(citations) = citations {
        // The report knows which outlets each document credits: outlet → credited outlet.
        for c in citations {
            let (Some(doc), Some(cited)) =
                (c.get("doc").and_then(Value::as_str), c.get("cited").and_then(Value::as_str))
            else {
                continue;
            };
            let key = c.get("cited_key").and_then(Value::as_str).map_or_else(|| normalize(cited), str::to_string);
            let source_id = format!("source:{key}");
            nodes
                .entry(source_id.clone())
                .or_insert_with(|| GraphNode {
                    id: source_id.clone(),
                    label: cited.to_string(),
                    kind: "source",
                    weight: 0,
                })
                .weight += 1;
            *edges.entry((format!("outlet:{}", outlet_of(view, doc)), source_id, "cites")).or_default() += 1;
        }
    }
    // Without the report's provenance, the named people and bodies quoted stand in for it.
    for group in view.report.attributions.iter().filter(|_| citations.is_none()) {
        if group.anonymous {
            continue;
        }
        let source_id = format!("source:{}", normalize(&group.source));
        for s in &group.statements {
            let outlet = outlet_of(view, &s.evidence.doc);
            nodes
                .entry(source_id.clone())
                .or_insert_with(|| GraphNode {
                    id: source_id.clone(),
                    label: group.source.clone(),
                    kind: "source",
                    weight: 0,
                })
                .weight += 1;
            *edges.entry((format!("outlet:{outlet}"), source_id.clone(), "cites")).or_default() += 1;
        }
    }
    for g in &view.report.duplicate_groups {
        let original = outlet_of(view, &g.canonical);
        for m in g.members.iter().filter(|m| **m != g.canonical) {
            let copier = outlet_of(view, m);
            *edges.entry((format!("outlet:{copier}"), format!("outlet:{original}"), "copies")).or_default() += 1;
        }
    }
    Graph {
        nodes: nodes.into_values().collect(),
        edges: edges.into_iter().map(|((from, to, kind), weight)| GraphEdge { from, to, kind, weight }).collect(),
    }
}

/// What one outlet published and how it sources it.
#[derive(Debug, Clone, Serialize)]
pub struct OutletProfile {
    pub outlet: String,
    pub documents: Vec<String>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub statements: usize,
    pub anonymous_statements: usize,
    pub direct_quotes: usize,
    pub named_sources: usize,
    /// Its documents that are near-copies of an earlier document.
    pub copies: usize,
}

pub fn outlet_profiles(view: &View) -> Vec<OutletProfile> {
    let mut profiles: BTreeMap<String, OutletProfile> = BTreeMap::new();
    let copies: BTreeSet<&str> = view
        .report
        .duplicate_groups
        .iter()
        .flat_map(|g| g.members.iter().filter(move |m| **m != g.canonical).map(String::as_str))
        .collect();
    for x in &view.extractions {
        let outlet = x.outlet.clone().unwrap_or_else(|| UNKNOWN_OUTLET.to_string());
        let p = profiles.entry(outlet.clone()).or_insert_with(|| OutletProfile {
            outlet,
            documents: Vec::new(),
            first_date: None,
            last_date: None,
            statements: 0,
            anonymous_statements: 0,
            direct_quotes: 0,
            named_sources: 0,
            copies: 0,
        });
        p.documents.push(x.id.clone());
        if let Some(date) = &x.date {
            if p.first_date.as_ref().is_none_or(|f| date < f) {
                p.first_date = Some(date.clone());
            }
            if p.last_date.as_ref().is_none_or(|l| date > l) {
                p.last_date = Some(date.clone());
            }
        }
        p.statements += x.attributions.len();
        p.anonymous_statements += x.attributions.iter().filter(|a| a.anonymous).count();
        p.direct_quotes += x.attributions.iter().filter(|a| a.direct).count();
        p.copies += usize::from(copies.contains(x.id.as_str()));
    }
    for p in profiles.values_mut() {
        let docs: BTreeSet<&str> = p.documents.iter().map(String::as_str).collect();
        let sources: BTreeSet<String> = view
            .extractions
            .iter()
            .filter(|x| docs.contains(x.id.as_str()))
            .flat_map(|x| x.attributions.iter().filter(|a| !a.anonymous).map(|a| normalize(&a.source)))
            .collect();
        p.named_sources = sources.len();
    }
    let mut out: Vec<OutletProfile> = profiles.into_values().collect();
    out.sort_by(|a, b| b.documents.len().cmp(&a.documents.len()).then_with(|| a.outlet.cmp(&b.outlet)));
    out
}

/// A top-level section of the report by name (`claims`, `contradictions`, …), if it has one.
pub fn section<'a>(view: &'a View, name: &str) -> Option<&'a Value> {
    view.json.get(name)
}

/// The report's claim analysis part `name` (`claims`, `clusters`, `comparisons`, `statuses`,
/// `denials`), or a top-level section of that name, as a list.
pub fn claim_part(view: &View, name: &str) -> Vec<Value> {
    let from_claims = view.json.get("claims").and_then(|c| c.get(name));
    match from_claims.or_else(|| view.json.get(name)) {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// Whether this build's report carries a claim analysis at all.
pub fn has_claims(view: &View) -> bool {
    view.json.get("claims").is_some() || view.json.get("contradictions").is_some()
}

/// Comparisons with this verdict (`contradiction`, `change-over-time`, `agreement`); a
/// top-level `contradictions` list counts as contradictions.
pub fn comparisons(view: &View, verdict: &str) -> Vec<Value> {
    let mut out: Vec<Value> = claim_part(view, "comparisons")
        .into_iter()
        .filter(|c| c.get("verdict").and_then(Value::as_str) == Some(verdict))
        .collect();
    if verdict == "contradiction" {
        if let Some(Value::Array(items)) = view.json.get("contradictions") {
            out.extend(items.iter().cloned());
        }
    }
    out
}

/// Claim clusters, most independent sources first, each with its member claims inlined
/// under `members`.
pub fn claim_clusters(view: &View) -> Vec<Value> {
    let claims = claim_part(view, "claims");
    let by_id: BTreeMap<&str, &Value> = claims.iter().filter_map(|c| Some((c.get("id")?.as_str()?, c))).collect();
    let mut clusters = claim_part(view, "clusters");
    for cluster in &mut clusters {
        let members: Vec<Value> = cluster
            .get("claims")
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(|id| by_id.get(id.as_str()?).map(|c| (*c).clone())).collect())
            .unwrap_or_default();
        if let Value::Object(map) = cluster {
            map.insert("members".into(), Value::Array(members));
        }
    }
    let independent = |c: &Value| c.get("independent_sources").and_then(Value::as_u64).unwrap_or(0);
    clusters.sort_by_key(|c| std::cmp::Reverse(independent(c)));
    clusters
}

/// The searches the pages and `/api/search` run.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub outlet: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub entity: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct SearchAnswer {
    #[serde(flatten)]
    pub results: SearchResults,
    /// Entities whose name or an alias contains the query.
    pub entities: Vec<EntityMatch>,
    pub limit: usize,
    pub offset: usize,
}

pub async fn run_search(state: &Arc<AppState>, p: SearchParams) -> Result<SearchAnswer, ApiError> {
    let limit = p.limit.unwrap_or(20).clamp(1, crosscheck_store::MAX_SEARCH_LIMIT);
    let offset = p.offset.unwrap_or(0);
    let query = SearchQuery {
        query: p.q.clone(),
        outlet: p.outlet.filter(|s| !s.is_empty()),
        date_from: p.from.filter(|s| !s.is_empty()),
        date_to: p.to.filter(|s| !s.is_empty()),
        entity: p.entity.filter(|s| !s.is_empty()),
        limit,
        offset,
    };
    state
        .read(move |_, store| {
            let results = store.search(&query)?;
            let entities = if offset == 0 { store.find_entities(&query.query, 10)? } else { Vec::new() };
            Ok(SearchAnswer { results, entities, limit, offset })
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// Handlers.

pub async fn index() -> Json<Value> {
    Json(json!({
        "name": "crosscheck",
        "openapi": "/api/openapi.json",
        "endpoints": [
            "/api/overview", "/api/documents", "/api/documents/{id}", "/api/entities", "/api/entities/{id}",
            "/api/duplicates", "/api/attributions", "/api/claims", "/api/contradictions", "/api/timeline",
            "/api/citations", "/api/report", "/api/report/{section}", "/api/search", "POST /api/ingest"
        ]
    }))
}

pub async fn openapi() -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], super::openapi::SPEC).into_response()
}

pub async fn overview(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    let r = &view.report;
    let outlets: BTreeSet<&str> = r.documents.iter().filter_map(|d| d.outlet.as_deref()).collect();
    let top: Vec<Value> = top_entities(&view)
        .into_iter()
        .take(10)
        .map(|e| json!({"id": e.id, "name": e.name, "type": e.kind.as_str(), "documents": e.documents.len()}))
        .collect();
    Ok(Json(json!({
        "documents": r.documents.len(),
        "outlets": outlets.len(),
        "entities": r.entities.len(),
        "statements": r.attributions.iter().map(|g| g.statements.len()).sum::<usize>(),
        "sources": r.attributions.len(),
        "quantities": r.quantities.len(),
        "dates": r.dates.len(),
        "events": r.events.len(),
        "duplicate_groups": r.duplicate_groups.len(),
        "claim_clusters": claim_part(&view, "clusters").len(),
        "contradictions": comparisons(&view, "contradiction").len(),
        "changes_over_time": comparisons(&view, "change-over-time").len(),
        "top_entities": top,
        "sections": view.json.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default(),
    })))
}

pub async fn documents(State(state): State<Arc<AppState>>, Q(page): Q<PageParams>) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    Ok(Json(json!(paginate(&view.report.documents, &page))))
}

pub async fn document(State(state): State<Arc<AppState>>, Id(id): Id) -> Result<Json<Value>, ApiError> {
    let answer = state
        .read(move |_, store| {
            let doc = store.document(&id)?.ok_or_else(|| ApiError::not_found(format!("no document {id:?}")))?;
            let extraction = store.extraction(&id)?;
            Ok(json!({"document": doc, "extraction": extraction}))
        })
        .await?;
    Ok(Json(answer))
}

#[derive(Debug, Default, Deserialize)]
pub struct EntityParams {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
struct EntitySummary {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    aliases: Vec<String>,
    documents: usize,
    mentions: usize,
}

pub async fn entities(State(state): State<Arc<AppState>>, Q(p): Q<EntityParams>) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    let found: Vec<EntitySummary> = find_entities(&view, p.q.as_deref(), p.kind.as_deref())
        .into_iter()
        .map(|e| EntitySummary {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind.as_str(),
            aliases: e.aliases.clone(),
            documents: e.documents.len(),
            mentions: e.mentions.len(),
        })
        .collect();
    Ok(Json(json!(paginate(&found, &PageParams { limit: p.limit, offset: p.offset }))))
}

pub async fn entity(State(state): State<Arc<AppState>>, Id(id): Id) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    let e = view.entity(&id).ok_or_else(|| ApiError::not_found(format!("no entity {id:?}")))?;
    let names: BTreeSet<String> = std::iter::once(&e.name).chain(&e.aliases).map(|n| normalize(n)).collect();
    let roles: Vec<_> = view.report.roles.iter().filter(|r| names.contains(&normalize(&r.item.person))).collect();
    let related: Vec<Value> = related_entities(&view, e)
        .into_iter()
        .take(20)
        .map(|(r, n)| json!({"id": r.id, "name": r.name, "type": r.kind.as_str(), "shared_documents": n}))
        .collect();
    Ok(Json(json!({"entity": e, "roles": roles, "related": related})))
}

pub async fn duplicates(State(state): State<Arc<AppState>>, Q(page): Q<PageParams>) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    Ok(Json(json!(paginate(&view.report.duplicate_groups, &page))))
}

pub async fn attributions(State(state): State<Arc<AppState>>, Q(page): Q<PageParams>) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    Ok(Json(json!(paginate(&view.report.attributions, &page))))
}

pub async fn timeline(State(state): State<Arc<AppState>>, Q(page): Q<PageParams>) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    Ok(Json(paginate_values(&timeline_entries(&view), &page)))
}

pub async fn citations(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    let graph = citation_graph(&view);
    let profiles = outlet_profiles(&view);
    Ok(Json(json!({"graph": graph, "outlets": profiles})))
}

pub async fn report(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    Ok(Json(view.json.clone()))
}

/// A report section; arrays are paged, anything else is returned whole.
fn section_answer(view: &View, name: &str, page: &PageParams) -> Option<Value> {
    match section(view, name)? {
        Value::Array(items) => Some(paginate_values(items, page)),
        other => Some(other.clone()),
    }
}

pub async fn report_section_handler(
    state: Arc<AppState>,
    name: String,
    page: PageParams,
) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    section_answer(&view, &name, &page)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("the report has no section {name:?}")))
}

pub async fn report_section(
    State(state): State<Arc<AppState>>,
    Id(name): Id,
    Q(page): Q<PageParams>,
) -> Result<Json<Value>, ApiError> {
    report_section_handler(state, name, page).await
}

/// A page of `items`, marked `available: false` when this build's report has no claim
/// analysis (an empty answer, not an error: the route exists).
fn claims_page(view: &View, items: &[Value], page: &PageParams) -> Value {
    let mut answer = paginate_values(items, page);
    if let Value::Object(map) = &mut answer {
        map.insert("available".into(), Value::Bool(has_claims(view)));
    }
    answer
}

/// Claim clusters with independent-source counts and their member claims.
pub async fn claims(State(state): State<Arc<AppState>>, Q(page): Q<PageParams>) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    Ok(Json(claims_page(&view, &claim_clusters(&view), &page)))
}

/// Contradictions: two passages side by side with the reason and the rule's confidence.
pub async fn contradictions(
    State(state): State<Arc<AppState>>,
    Q(page): Q<PageParams>,
) -> Result<Json<Value>, ApiError> {
    let view = state.view().await?;
    Ok(Json(claims_page(&view, &comparisons(&view, "contradiction"), &page)))
}

pub async fn search(State(state): State<Arc<AppState>>, Q(p): Q<SearchParams>) -> Result<Json<SearchAnswer>, ApiError> {
    run_search(&state, p).await.map(Json)
}

/// Longest id accepted from a client.
const MAX_ID_CHARS: usize = 200;

fn check_ingest(request: &IngestRequest) -> Result<(), ApiError> {
    let unprocessable = |m: &str| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_article", m);
    match (&request.text, &request.html) {
        (Some(_), Some(_)) => return Err(unprocessable("give `text` or `html`, not both")),
        (None, None) => return Err(unprocessable("give the article as `text` or `html`")),
        (Some(t), None) | (None, Some(t)) if t.trim().is_empty() => return Err(unprocessable("the article is empty")),
        _ => {}
    }
    if let Some(id) = &request.id {
        if id.is_empty() || id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control) {
            return Err(unprocessable("`id` must be 1 to 200 characters without control characters"));
        }
    }
    Ok(())
}

pub async fn ingest(
    State(state): State<Arc<AppState>>,
    body: Result<Json<IngestRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) = body.map_err(|e| {
        let status = e.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
            _ => "bad_request",
        };
        ApiError::new(status, code, e.body_text())
    })?;
    run_ingest(&state, request).await
}

/// Metadata of a raw file upload, from the query string.
#[derive(Debug, Default, Deserialize)]
pub struct FileParams {
    pub id: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
}

/// `POST /api/ingest/file`: the body is the file itself (`text/html`, `text/plain` or
/// `text/markdown`, UTF-8); metadata comes in the query string.
pub async fn ingest_file(
    State(state): State<Arc<AppState>>,
    Q(p): Q<FileParams>,
    headers: axum::http::HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|e| {
        let status = e.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "payload_too_large" } else { "bad_request" };
        ApiError::new(status, code, e.body_text())
    })?;
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    let html = match content_type.as_str() {
        "text/html" | "application/xhtml+xml" => true,
        "text/plain" | "text/markdown" => false,
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("send text/html, text/plain or text/markdown, not {other:?}"),
            ))
        }
    };
    let text = String::from_utf8(body.to_vec()).map_err(|_| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_article", "the file is not UTF-8 text")
    })?;
    let (text, html) = if html { (None, Some(text)) } else { (Some(text), None) };
    let request = IngestRequest {
        id: p.id,
        title: p.title,
        outlet: p.outlet,
        date: p.date,
        url: p.url,
        author: p.author,
        text,
        html,
    };
    run_ingest(&state, request).await
}

async fn run_ingest(state: &Arc<AppState>, request: IngestRequest) -> Result<Response, ApiError> {
    check_ingest(&request)?;
    let Some(ingestor) = state.ingestor.clone() else {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "ingest_disabled", "this server was started without ingest"));
    };
    let _writer = state.writer.lock().await;
    let outcome = tokio::task::spawn_blocking(move || ingestor.ingest(request))
        .await
        .map_err(|e| ApiError::internal(format!("ingest failed: {e}")))?;
    match outcome {
        Ok(response) => {
            let status = if response.added.is_empty() { StatusCode::OK } else { StatusCode::CREATED };
            Ok((status, Json(response)).into_response())
        }
        Err(IngestFailure::Rejected(m)) => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_article", m)),
        Err(IngestFailure::Failed(m)) => Err(ApiError::internal(m)),
    }
}
