//! The web pages: server-rendered HTML for the story overview, documents with highlighted
//! extractions, entities, the claims board, duplicates, sources (profiles and the citation /
//! copy graph as SVG) and search with facets. The only script is the embedded `app.js`
//! (explanations on click, kind toggles); every page works without it.
//!
//! This module owns layout and wording. Every value from the store goes through
//! [`esc`] or the URL helpers of `html.rs`; it must not build markup from data any other way.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::response::Html;
use serde::Deserialize;
use serde_json::Value;

use crosscheck_model::Span;

use super::api::{self, Id, PageParams, SearchParams, Q};
use super::error::ApiError;
use super::highlight::{self, KINDS};
use super::html::{
    doc_href, entity_href, esc, page, pager, passage_href, path_segment, plural, query_value, safe_href,
};
use super::state::View;
use super::AppState;

type PageResult = Result<Html<String>, ApiError>;

async fn view_for_page(state: &Arc<AppState>) -> Result<Arc<View>, ApiError> {
    state.view().await.map_err(ApiError::page)
}

fn doc_title(view: &View, id: &str) -> String {
    view.extraction(id).and_then(|x| x.title.clone()).unwrap_or_else(|| id.to_string())
}

/// A link to a document, labelled with its title and outlet.
fn doc_link(view: &View, id: &str) -> String {
    let outlet = view
        .extraction(id)
        .and_then(|x| x.outlet.as_deref())
        .map(|o| format!(" <span class=\"outlet\">{}</span>", esc(o)))
        .unwrap_or_default();
    format!("<a href=\"{}\">{}</a>{outlet}", doc_href(id), esc(&doc_title(view, id)))
}

/// A quoted passage with a link to it in its document.
fn passage_html(view: &View, doc: &str, start: usize, end: usize) -> String {
    let Some(x) = view.extraction(doc) else {
        return format!("<span class=\"missing\">{} (not in the store)</span>", esc(doc));
    };
    let (before, inside, after) = highlight::context(&x.text, Span::new(start, end), 80);
    format!(
        "<blockquote class=\"passage\">{}<mark>{}</mark>{}<cite>{} · <a href=\"{}\">chars {start}–{end}</a></cite></blockquote>",
        esc(&before),
        esc(&inside),
        esc(&after),
        doc_link(view, doc),
        passage_href(doc, start, end)
    )
}

fn as_usize(v: Option<&Value>) -> Option<usize> {
    v?.as_u64().and_then(|n| usize::try_from(n).ok())
}

/// `{doc, start, end}` (the report's evidence), or `{doc, span: {start, end}}`.
fn evidence_of(v: &serde_json::Map<String, Value>) -> Option<(String, usize, usize)> {
    let doc = v.get("doc").or_else(|| v.get("document")).and_then(Value::as_str)?;
    let (start, end) = match (as_usize(v.get("start")), as_usize(v.get("end"))) {
        (Some(s), Some(e)) => (s, e),
        _ => {
            let span = v.get("span")?;
            (as_usize(span.get("start"))?, as_usize(span.get("end"))?)
        }
    };
    Some((doc.to_string(), start, end))
}

/// Renders any report JSON for reading: evidence becomes the quoted passage, small arrays of
/// objects (the sides of a contradiction) sit side by side, long lists are cut.
fn render_value(view: &View, v: &Value, depth: usize) -> String {
    if depth > 6 {
        return "…".into();
    }
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Number(n) => esc(&n.to_string()),
        Value::String(s) => esc(s),
        Value::Array(items) => {
            if items.is_empty() {
                return "<span class=\"muted\">none</span>".into();
            }
            if (2..=4).contains(&items.len()) && items.iter().all(Value::is_object) {
                let cards: String = items
                    .iter()
                    .map(|i| format!("<div class=\"card\">{}</div>", render_value(view, i, depth + 1)))
                    .collect();
                return format!("<div class=\"side-by-side\">{cards}</div>");
            }
            let mut s = String::from("<ul class=\"values\">");
            for item in items.iter().take(50) {
                let _ = write!(s, "<li>{}</li>", render_value(view, item, depth + 1));
            }
            if items.len() > 50 {
                let _ = write!(s, "<li class=\"muted\">… and {} more</li>", items.len() - 50);
            }
            s.push_str("</ul>");
            s
        }
        Value::Object(map) => {
            let mut s = String::new();
            let evidence = evidence_of(map);
            if let Some((doc, start, end)) = &evidence {
                s.push_str(&passage_html(view, doc, *start, *end));
            }
            let skip: &[&str] = if evidence.is_some() { &["doc", "document", "start", "end", "span"] } else { &[] };
            let rest: Vec<(&String, &Value)> =
                map.iter().filter(|(k, v)| !skip.contains(&k.as_str()) && !v.is_null()).collect();
            if !rest.is_empty() {
                s.push_str("<dl class=\"obj\">");
                for (k, v) in rest {
                    let _ = write!(
                        s,
                        "<dt>{}</dt><dd>{}</dd>",
                        esc(&k.replace('_', " ")),
                        render_value(view, v, depth + 1)
                    );
                }
                s.push_str("</dl>");
            }
            s
        }
    }
}

fn stat(n: usize, label: &str, href: &str) -> String {
    format!("<a class=\"stat\" href=\"{href}\"><b>{n}</b><span>{}</span></a>", esc(label))
}

fn entity_chip(e: &crosscheck_link::CorpusEntity) -> String {
    format!(
        "<a class=\"chip k-{}\" href=\"{}\">{}<small>{}</small></a>",
        e.kind.as_str(),
        entity_href(&e.id),
        esc(&e.name),
        e.documents.len()
    )
}

fn timeline_html(view: &View, limit: usize) -> String {
    let entries = api::timeline_entries(view);
    if entries.is_empty() {
        return "<p class=\"muted\">No resolved dates.</p>".into();
    }
    // Entries of the same date are shown under one heading (the report lists them apart).
    let mut groups: Vec<(String, Vec<&Value>)> = Vec::new();
    for entry in &entries {
        let when = entry.get("when").or_else(|| entry.get("date")).and_then(Value::as_str).unwrap_or("?").to_string();
        match groups.last_mut() {
            Some((last, items)) if *last == when => items.push(entry),
            _ => groups.push((when, vec![entry])),
        }
    }
    let mut s = String::from("<ol class=\"timeline\">");
    for (when, items) in groups.iter().take(limit) {
        let _ = write!(s, "<li><time>{}</time><div>", esc(when));
        let mut shown = 0;
        for entry in items {
            let passages: Vec<&Value> = match entry.get("passages").and_then(Value::as_array) {
                Some(list) => list.iter().collect(),
                None => entry.get("evidence").into_iter().collect(),
            };
            for p in passages {
                if shown == 3 {
                    break;
                }
                if let Some((doc, start, end)) = p.as_object().and_then(evidence_of) {
                    let kind = entry.get("kind").and_then(Value::as_str).filter(|k| *k == "published");
                    if kind.is_some() {
                        let _ = write!(
                            s,
                            "<p class=\"said\"><span class=\"tag\">published</span> {}</p>",
                            doc_link(view, &doc)
                        );
                    } else {
                        s.push_str(&sentence_html(view, &doc, start, end));
                    }
                    shown += 1;
                }
            }
        }
        let total: usize = items.iter().map(|e| e.get("passages").and_then(Value::as_array).map_or(1, Vec::len)).sum();
        if total > shown {
            let _ = write!(s, "<p class=\"muted\">and {} more</p>", total - shown);
        }
        s.push_str("</div></li>");
    }
    s.push_str("</ol>");
    if groups.len() > limit {
        let _ = write!(
            s,
            "<p class=\"muted\">… and {} more dates (<a href=\"/api/timeline\">JSON</a>)</p>",
            groups.len() - limit
        );
    }
    s
}

/// Evidence at `key` of a report object (`{doc, span: {start, end}}` or `{doc, start, end}`).
fn evidence_at(v: &Value, key: &str) -> Option<(String, usize, usize)> {
    v.get(key)?.as_object().and_then(evidence_of)
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A comparison of two passages (contradiction, change over time, agreement), side by side.
fn comparison_html(view: &View, c: &Value) -> String {
    let verdict = str_at(c, "verdict");
    let scope = if str_at(c, "scope") == "in-document" { " <span class=\"tag\">in one document</span>" } else { "" };
    let mut s = format!(
        "<article class=\"comparison verdict-{}\"><header><span class=\"tag\">{}</span>{scope} <b>{}</b>: {} <i>vs</i> {}",
        esc(verdict),
        esc(&verdict.replace('-', " ")),
        esc(str_at(c, "subject")),
        esc(str_at(c, "left")),
        esc(str_at(c, "right"))
    );
    if let Some(conf) = c.get("confidence").and_then(Value::as_f64) {
        let _ = write!(s, " <span class=\"muted\">confidence {conf:.2}</span>");
    }
    let _ = write!(s, "</header><p class=\"reason\">{}</p><div class=\"side-by-side\">", esc(str_at(c, "reason")));
    for side in ["left_evidence", "right_evidence"] {
        match evidence_at(c, side) {
            Some((doc, start, end)) => {
                let _ = write!(s, "<div class=\"card\">{}</div>", passage_html(view, &doc, start, end));
            }
            None => {
                if let Some(v) = c.get(side) {
                    let _ = write!(s, "<div class=\"card\">{}</div>", render_value(view, v, 1));
                }
            }
        }
    }
    s.push_str("</div></article>");
    s
}

fn comparisons_html(view: &View, verdict: &str, limit: usize, none: &str) -> String {
    if !api::has_claims(view) {
        return "<p class=\"muted\">This build's report does not compare claims yet.</p>".into();
    }
    let list = api::comparisons(view, verdict);
    if list.is_empty() {
        return format!("<p class=\"muted\">{}</p>", esc(none));
    }
    let mut s: String = list.iter().take(limit).map(|c| comparison_html(view, c)).collect();
    if list.len() > limit {
        let _ = write!(
            s,
            "<p class=\"muted\">… and {} more on the <a href=\"/claims\">claims board</a></p>",
            list.len() - limit
        );
    }
    s
}

fn format_number(v: Option<f64>) -> String {
    match v {
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
        Some(v) => format!("{v}"),
        None => "?".into(),
    }
}

/// Claim clusters as a board: the figure, how many independent sources carry it, and each
/// claim's sentence.
fn clusters_html(view: &View, limit: usize) -> String {
    let clusters = api::claim_clusters(view);
    if clusters.is_empty() {
        return "<p class=\"muted\">No numeric claims clustered.</p>".into();
    }
    let mut s = String::new();
    for c in clusters.iter().take(limit) {
        let documents = c.get("documents").and_then(Value::as_array).map_or(0, Vec::len);
        let independent = c.get("independent_sources").and_then(Value::as_u64).unwrap_or(0);
        let _ = write!(
            s,
            "<details class=\"cluster\"><summary><span class=\"badge\" title=\"independent sources\">{independent}</span> <b>{}</b>: {} {} <span class=\"muted\">— {} · first reported by {}</span></summary>",
            esc(str_at(c, "measure")),
            esc(&format_number(c.get("value").and_then(Value::as_f64))),
            esc(str_at(c, "unit")),
            plural(documents, "document", "documents"),
            doc_link(view, str_at(c, "first_reported"))
        );
        for m in c.get("members").and_then(Value::as_array).into_iter().flatten() {
            let who = m.get("source").and_then(Value::as_str).map(|w| format!("{w} says ")).unwrap_or_default();
            s.push_str(&claim_member_html(view, &format!("{who}“{}”", str_at(m, "figure")), m));
        }
        s.push_str("</details>");
    }
    s.push_str(&more_clusters_html(clusters.len(), limit));
    s
}

/// One member of a claim cluster: who says it (plain text, escaped here) above the sentence
/// its evidence span points to.
fn claim_member_html(view: &View, who: &str, member: &Value) -> String {
    let mut s = format!("<div class=\"claim\"><small>{}</small>", esc(who));
    if let Some((doc, start, end)) = evidence_at(member, "evidence") {
        s.push_str(&sentence_html(view, &doc, start, end));
    }
    s.push_str("</div>");
    s
}

/// The closing line of a cluster list cut at `limit`, pointing to the full JSON; empty when
/// nothing was cut.
fn more_clusters_html(total: usize, limit: usize) -> String {
    if total <= limit {
        return String::new();
    }
    format!("<p class=\"muted\">… and {} more (<a href=\"/api/claims\">JSON</a>)</p>", total - limit)
}

/// Statement clusters: who did what according to whom, how many independent sources carry
/// it, where it was first reported, and each member's attribution chain and clause.
fn statement_clusters_html(view: &View, limit: usize) -> String {
    let statements = api::claim_part(view, "statements");
    let by_id: BTreeMap<&str, &Value> = statements.iter().filter_map(|c| Some((c.get("id")?.as_str()?, c))).collect();
    let clusters = api::claim_part(view, "statement_clusters");
    if clusters.is_empty() {
        return "<p class=\"muted\">No subject–predicate–object claims found.</p>".into();
    }
    let mut s = String::new();
    for c in clusters.iter().take(limit) {
        let independent = c.get("independent_sources").and_then(Value::as_u64).unwrap_or(0);
        let denied = c.get("denied_by").and_then(Value::as_u64).unwrap_or(0);
        let first = c.get("first_reported").map(|f| str_at(f, "doc")).unwrap_or("");
        let _ = write!(
            s,
            "<details class=\"cluster\"><summary><span class=\"badge\" title=\"independent sources\">{independent}</span> <b>{}</b> {} {}{} <span class=\"muted\">— first reported by {}</span></summary>",
            esc(str_at(c, "subject")),
            esc(str_at(c, "predicate")),
            esc(c.get("object").and_then(Value::as_str).unwrap_or("")),
            if denied > 0 { format!(" <span class=\"tag\">denied by {denied}</span>") } else { String::new() },
            doc_link(view, first)
        );
        for id in c.get("statements").and_then(Value::as_array).into_iter().flatten() {
            let Some(m) = id.as_str().and_then(|id| by_id.get(id)) else { continue };
            let chain = m.get("chain").cloned().unwrap_or(Value::Null);
            let mut who = Vec::new();
            if let Some(speaker) = chain.get("speaker").and_then(Value::as_str) {
                let role =
                    chain.get("speaker_role").and_then(Value::as_str).map(|r| format!(" ({r})")).unwrap_or_default();
                who.push(format!("{speaker}{role}"));
            }
            if let Some(via) = chain.get("via").and_then(Value::as_str) {
                who.push(format!("via {via}"));
            }
            if m.get("denied").and_then(Value::as_bool) == Some(true) {
                who.push("denies".into());
            }
            s.push_str(&claim_member_html(view, &who.join(" · "), m));
        }
        s.push_str("</details>");
    }
    s.push_str(&more_clusters_html(clusters.len(), limit));
    s
}

fn denials_html(view: &View) -> String {
    let denials = api::claim_part(view, "denials");
    let statuses = api::claim_part(view, "statuses");
    let mut s = String::new();
    if !denials.is_empty() {
        s.push_str("<h2>Denials</h2>");
        for d in &denials {
            let _ = write!(
                s,
                "<article class=\"comparison\"><header><b>{}</b> {} {}</header><div class=\"side-by-side\">",
                esc(str_at(d, "source")),
                esc(str_at(d, "cue")),
                esc(str_at(d, "content"))
            );
            for key in ["evidence", "counterpart"] {
                if let Some((doc, start, end)) = evidence_at(d, key) {
                    let _ = write!(s, "<div class=\"card\">{}</div>", passage_html(view, &doc, start, end));
                }
            }
            s.push_str("</div></article>");
        }
    }
    if !statuses.is_empty() {
        s.push_str("<h2>Reported status of people</h2><ul class=\"mentions\">");
        for st in &statuses {
            let _ = write!(s, "<li><b>{}</b>: {}", esc(str_at(st, "person")), esc(str_at(st, "status")));
            if let Some((doc, start, end)) = evidence_at(st, "evidence") {
                s.push_str(&sentence_html(view, &doc, start, end));
            }
            s.push_str("</li>");
        }
        s.push_str("</ul>");
    }
    s
}

/// The sentence around a span, with the span marked — shorter than a passage.
fn sentence_html(view: &View, doc: &str, start: usize, end: usize) -> String {
    let Some(x) = view.extraction(doc) else { return String::new() };
    let (before, inside, after) = highlight::context(&x.text, Span::new(start, end), 70);
    format!(
        "<p class=\"said\">{}<mark>{}</mark>{} <a class=\"src\" href=\"{}\">{}</a></p>",
        esc(&before),
        esc(&inside),
        esc(&after),
        passage_href(doc, start, end),
        esc(&x.outlet.clone().unwrap_or_else(|| doc.to_string()))
    )
}

pub async fn overview(State(state): State<Arc<AppState>>) -> PageResult {
    let view = view_for_page(&state).await?;
    let r = &view.report;
    let outlets: BTreeSet<&str> = r.documents.iter().filter_map(|d| d.outlet.as_deref()).collect();
    let dates: Vec<&str> = r.documents.iter().filter_map(|d| d.date.as_deref()).collect();
    let mut b = String::from("<h1>Story overview</h1>");
    let _ = write!(
        b,
        "<p class=\"lede\">{} from {}{}.</p>",
        plural(r.documents.len(), "document", "documents"),
        plural(outlets.len(), "outlet", "outlets"),
        match (dates.iter().min(), dates.iter().max()) {
            (Some(a), Some(z)) => format!(", dated {} to {}", esc(a), esc(z)),
            _ => String::new(),
        }
    );
    b.push_str("<div class=\"stats\">");
    b.push_str(&stat(r.documents.len(), "documents", "/documents"));
    b.push_str(&stat(r.entities.len(), "entities", "/entities"));
    b.push_str(&stat(r.attributions.iter().map(|g| g.statements.len()).sum(), "attributed statements", "/claims"));
    b.push_str(&stat(r.attributions.len(), "sources", "/sources"));
    b.push_str(&stat(r.quantities.len(), "amounts", "/api/report/quantities"));
    b.push_str(&stat(r.dates.len(), "dates", "/api/timeline"));
    b.push_str(&stat(r.events.len(), "events", "/api/report/events"));
    b.push_str(&stat(r.duplicate_groups.len(), "duplicate groups", "/duplicates"));
    b.push_str("</div>");

    b.push_str("<section id=\"contradictions\"><h2>Contradictions</h2>");
    b.push_str(&comparisons_html(&view, "contradiction", 10, "No contradictions found between the documents."));
    b.push_str("</section>");
    let changes = api::comparisons(&view, "change-over-time");
    if !changes.is_empty() {
        b.push_str("<section id=\"changes\"><h2>Changed over time</h2>");
        b.push_str(&comparisons_html(&view, "change-over-time", 5, ""));
        b.push_str("</section>");
    }

    b.push_str("<section><h2>Who is in the story</h2><div class=\"chips\">");
    for e in api::top_entities(&view).into_iter().take(24) {
        b.push_str(&entity_chip(e));
    }
    b.push_str("</div><p><a href=\"/entities\">All entities →</a></p></section>");

    b.push_str("<section><h2>Timeline</h2>");
    b.push_str(&timeline_html(&view, 25));
    b.push_str("</section>");

    b.push_str("<section><h2>Documents</h2>");
    b.push_str(&documents_table(&view, &PageParams { limit: Some(25), offset: None }, "/documents"));
    b.push_str("</section>");
    Ok(Html(page("Overview", "/", "", &b)))
}

fn documents_table(view: &View, p: &PageParams, base: &str) -> String {
    let docs = &view.report.documents;
    let mut s = String::from(
        "<table class=\"docs\"><thead><tr><th>Document</th><th>Outlet</th><th>Date</th><th title=\"entities / statements / amounts / dates / events\">Items</th><th>Same story as</th></tr></thead><tbody>",
    );
    for d in docs.iter().skip(p.offset()).take(p.limit()) {
        let dups: Vec<String> =
            d.duplicates_of.iter().map(|o| format!("<a href=\"{}\">{}</a>", doc_href(o), esc(o))).collect();
        let _ = write!(
            s,
            "<tr><td><a href=\"{}\">{}</a><div class=\"muted small\">{}</div></td><td>{}</td><td>{}</td><td class=\"num\">{} / {} / {} / {} / {}</td><td>{}</td></tr>",
            doc_href(&d.id),
            esc(d.title.as_deref().unwrap_or(&d.id)),
            esc(&d.lede),
            esc(d.outlet.as_deref().unwrap_or("")),
            esc(d.date.as_deref().unwrap_or("")),
            d.entities,
            d.attributions,
            d.quantities,
            d.dates,
            d.events,
            dups.join(", ")
        );
    }
    s.push_str("</tbody></table>");
    s.push_str(&pager(base, p.offset(), p.limit(), docs.len()));
    s
}

pub async fn documents(State(state): State<Arc<AppState>>, Q(p): Q<PageParams>) -> PageResult {
    let view = view_for_page(&state).await?;
    let body = format!("<h1>Documents</h1>{}", documents_table(&view, &p, "/documents"));
    Ok(Html(page("Documents", "/documents", "", &body)))
}

#[derive(Debug, Default, Deserialize)]
pub struct DocParams {
    /// `start-end`: a passage to focus.
    pub focus: Option<String>,
}

fn parse_focus(s: Option<&str>) -> Option<Span> {
    let (a, b) = s?.split_once('-')?;
    Some(Span::new(a.trim().parse().ok()?, b.trim().parse().ok()?))
}

pub async fn document(State(state): State<Arc<AppState>>, Id(id): Id, Q(p): Q<DocParams>) -> PageResult {
    let wanted = id.clone();
    let (doc, x) = state
        .read(move |_, store| {
            let doc = store.document(&wanted)?.ok_or_else(|| ApiError::not_found(format!("no document {wanted:?}")))?;
            let x = store
                .extraction(&wanted)?
                .ok_or_else(|| ApiError::not_found(format!("no extraction for {wanted:?}")))?;
            Ok((doc, x))
        })
        .await
        .map_err(ApiError::page)?;
    let items = highlight::items(&x);
    let focus = parse_focus(p.focus.as_deref());
    let mut b = String::new();
    let _ = write!(b, "<h1>{}</h1><p class=\"meta\">", esc(doc.title.as_deref().unwrap_or(&doc.id)));
    for (label, value) in [("outlet", &doc.outlet), ("date", &doc.date), ("by", &doc.author)] {
        if let Some(v) = value {
            let _ = write!(b, "<span><small>{label}</small> {}</span> ", esc(v));
        }
    }
    if let Some(url) = &doc.url {
        match safe_href(url) {
            Some(href) => {
                let _ = write!(
                    b,
                    "<span><small>url</small> <a href=\"{href}\" rel=\"noopener noreferrer nofollow\">{}</a></span> ",
                    esc(url)
                );
            }
            None => {
                let _ = write!(b, "<span><small>url</small> <code>{}</code></span> ", esc(url));
            }
        }
    }
    let _ = write!(b, "<span><small>id</small> <code>{}</code></span></p>", esc(&doc.id));
    if !x.duplicates_of.is_empty() {
        let links: Vec<String> =
            x.duplicates_of.iter().map(|o| format!("<a href=\"{}\">{}</a>", doc_href(o), esc(o))).collect();
        let _ = write!(b, "<p class=\"note\">Same story as {}.", links.join(", "));
        if let Some(c) = &x.copy_of {
            let _ = write!(b, " Near-verbatim copy of <a href=\"{}\">{}</a>.", doc_href(c), esc(c));
        }
        b.push_str(" <a href=\"/duplicates\">Compare</a></p>");
    }
    for w in &doc.warnings {
        let _ = write!(b, "<p class=\"warning\">{}</p>", esc(w));
    }
    b.push_str("<div class=\"legend\" id=\"legend\">");
    for (kind, label) in KINDS {
        let n = items.iter().filter(|i| i.kind == *kind).count();
        let _ = write!(
            b,
            "<label class=\"k-{kind}\"><input type=\"checkbox\" checked data-kind=\"{kind}\"> <span class=\"swatch k-{kind}\"></span>{label} <small>{n}</small></label>"
        );
    }
    b.push_str("</div><div class=\"docgrid\"><article id=\"article\" class=\"article\">");
    b.push_str(&highlight::highlighted_text(&x.text, &items, focus));
    b.push_str("</article><aside id=\"explain\" class=\"explain\" aria-live=\"polite\"><p class=\"muted\">Click a highlighted passage to see what was found there and which rule found it. Hovering shows a summary.</p></aside></div>");
    let _ = write!(b, "<h2>Everything extracted ({})</h2>", items.len());
    b.push_str(&highlight::item_list(&x.text, &items));
    let title = doc.title.clone().unwrap_or_else(|| doc.id.clone());
    Ok(Html(page(&title, "/documents", "", &b)))
}

#[derive(Debug, Default, Deserialize)]
pub struct EntityListParams {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

pub async fn entities(State(state): State<Arc<AppState>>, Q(p): Q<EntityListParams>) -> PageResult {
    let view = view_for_page(&state).await?;
    let kind = p.kind.as_deref().filter(|k| !k.is_empty());
    let mut found = api::find_entities(&view, p.q.as_deref(), kind);
    found.sort_by(|a, b| b.documents.len().cmp(&a.documents.len()).then_with(|| a.name.cmp(&b.name)));
    let q = p.q.clone().unwrap_or_default();
    let mut b = String::from("<h1>Entities</h1>");
    let _ = write!(
        b,
        "<form class=\"filters\" method=\"get\" action=\"/entities\"><input name=\"q\" value=\"{}\" placeholder=\"Name or any alias\"><select name=\"type\"><option value=\"\">any type</option>",
        esc(&q)
    );
    for t in ["person", "organization", "location"] {
        let selected = if kind == Some(t) { " selected" } else { "" };
        let _ = write!(b, "<option{selected}>{t}</option>");
    }
    b.push_str("</select><button>Find</button></form>");
    let page_params = PageParams { limit: p.limit, offset: p.offset };
    b.push_str("<table><thead><tr><th>Name</th><th>Type</th><th>Also called</th><th>Documents</th><th>Mentions</th></tr></thead><tbody>");
    for e in found.iter().skip(page_params.offset()).take(page_params.limit()) {
        let _ = write!(
            b,
            "<tr><td><a href=\"{}\">{}</a></td><td><span class=\"swatch k-{kind}\"></span>{kind}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            entity_href(&e.id),
            esc(&e.name),
            esc(&e.aliases.join(", ")),
            e.documents.len(),
            e.mentions.len(),
            kind = e.kind.as_str()
        );
    }
    b.push_str("</tbody></table>");
    let base = format!("/entities?q={}&type={}", query_value(&q), query_value(kind.unwrap_or("")));
    b.push_str(&pager(&base, page_params.offset(), page_params.limit(), found.len()));
    Ok(Html(page("Entities", "/entities", "", &b)))
}

pub async fn entity(State(state): State<Arc<AppState>>, Id(id): Id) -> PageResult {
    let view = view_for_page(&state).await?;
    let e = view.entity(&id).ok_or_else(|| ApiError::not_found(format!("no entity {id:?}")).page())?;
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1><span class=\"swatch k-{kind}\"></span>{}</h1><p class=\"meta\"><span>{kind}</span> <span>named in {}</span> <span>{}</span> <a href=\"/search?entity={}&amp;q={}\">search its documents</a></p>",
        esc(&e.name),
        plural(e.documents.len(), "document", "documents"),
        plural(e.mentions.len(), "mention", "mentions"),
        query_value(&e.name),
        query_value(&e.name),
        kind = e.kind.as_str()
    );
    if !e.aliases.is_empty() {
        let aliases: Vec<String> =
            e.aliases.iter().map(|a| format!("<span class=\"chip\">{}</span>", esc(a))).collect();
        let _ = write!(b, "<h2>Also called</h2><div class=\"chips\">{}</div>", aliases.join(""));
    }
    let names: BTreeSet<String> =
        std::iter::once(&e.name).chain(&e.aliases).map(|n| crosscheck_text::normalize_key(n)).collect();
    let roles: Vec<_> =
        view.report.roles.iter().filter(|r| names.contains(&crosscheck_text::normalize_key(&r.item.person))).collect();
    if !roles.is_empty() {
        b.push_str("<h2>Roles</h2><ul>");
        for r in roles {
            let org = r.item.organization.as_deref().map(|o| format!(" of {}", esc(o))).unwrap_or_default();
            let _ = write!(
                b,
                "<li>{}{org} — <a href=\"{}\">{}</a></li>",
                esc(&r.item.role),
                passage_href(&r.evidence.doc, r.evidence.start, r.evidence.end),
                esc(&doc_title(&view, &r.evidence.doc))
            );
        }
        b.push_str("</ul>");
    }
    let related = api::related_entities(&view, e);
    if !related.is_empty() {
        b.push_str("<h2>Named alongside</h2><div class=\"chips\">");
        for (r, shared) in related.iter().take(20) {
            let _ = write!(
                b,
                "<a class=\"chip k-{}\" href=\"{}\">{}<small>{shared}</small></a>",
                r.kind.as_str(),
                entity_href(&r.id),
                esc(&r.name)
            );
        }
        b.push_str("</div>");
    }
    let _ = write!(b, "<h2>Every mention ({})</h2>", e.mentions.len());
    let mut last_doc = "";
    for (doc, m) in e.mentions.iter().take(300) {
        if doc != last_doc {
            if !last_doc.is_empty() {
                b.push_str("</ul>");
            }
            let _ = write!(b, "<h3>{}</h3><ul class=\"mentions\">", doc_link(&view, doc));
            last_doc = doc;
        }
        let _ = write!(b, "<li>{}</li>", sentence_html(&view, doc, m.start, m.end));
    }
    if !last_doc.is_empty() {
        b.push_str("</ul>");
    }
    Ok(Html(page(&e.name, "/entities", "", &b)))
}

pub async fn claims(State(state): State<Arc<AppState>>) -> PageResult {
    let view = view_for_page(&state).await?;
    let mut b = String::from("<h1>Claims board</h1>");
    b.push_str("<section id=\"contradictions\"><h2>Contradictions</h2>");
    b.push_str(&comparisons_html(&view, "contradiction", 100, "No contradictions found between the documents."));
    b.push_str("</section><section id=\"clusters\"><h2>Figures and who carries them</h2><p class=\"muted\">The badge counts independent sources: copies and rewrites of one article count once.</p>");
    b.push_str(&clusters_html(&view, 100));
    b.push_str("</section><section id=\"who-did-what\"><h2>Who did what, according to whom</h2><p class=\"muted\">Claims that say the same thing, with each source's chain: speaker, the outlet it came through, the document.</p>");
    b.push_str(&statement_clusters_html(&view, 100));
    b.push_str("</section><section id=\"changes\"><h2>Changed over time</h2>");
    b.push_str(&comparisons_html(&view, "change-over-time", 50, "No figure changed between reports."));
    b.push_str("</section><section id=\"agreements\"><h2>Agreements</h2>");
    b.push_str(&comparisons_html(&view, "agreement", 30, "No independent agreements found."));
    b.push_str("</section>");
    b.push_str(&denials_html(&view));

    b.push_str("<section id=\"statements\"><h2>Statements by source</h2><p class=\"muted\">Independent outlets: how many different outlets carry the source's statements, copies excluded.</p>");
    let copies: BTreeSet<&str> = view
        .report
        .duplicate_groups
        .iter()
        .flat_map(|g| g.members.iter().filter(move |m| **m != g.canonical).map(String::as_str))
        .collect();
    for g in view.report.attributions.iter().take(60) {
        let outlets: BTreeSet<&str> = g
            .statements
            .iter()
            .filter(|s| !copies.contains(s.evidence.doc.as_str()))
            .map(|s| {
                view.extraction(&s.evidence.doc).and_then(|x| x.outlet.as_deref()).unwrap_or(s.evidence.doc.as_str())
            })
            .collect();
        let _ = write!(
            b,
            "<details class=\"source\"><summary><b>{}</b>{} — {} · {} independent</summary>",
            esc(&g.source),
            if g.anonymous { " <span class=\"tag\">anonymous</span>" } else { "" },
            plural(g.statements.len(), "statement", "statements"),
            plural(outlets.len(), "outlet", "outlets")
        );
        for s in g.statements.iter().take(20) {
            b.push_str(&sentence_html(&view, &s.evidence.doc, s.evidence.start, s.evidence.end));
        }
        b.push_str("</details>");
    }
    b.push_str("</section>");
    Ok(Html(page("Claims", "/claims", "", &b)))
}

pub async fn duplicates(State(state): State<Arc<AppState>>) -> PageResult {
    let view = view_for_page(&state).await?;
    let mut b = String::from("<h1>Same story, several documents</h1>");
    if view.report.duplicate_groups.is_empty() {
        b.push_str("<p class=\"muted\">No near-duplicate documents.</p>");
    }
    for g in &view.report.duplicate_groups {
        let _ = write!(
            b,
            "<section class=\"group\" id=\"g-{}\"><h2>{}</h2>",
            path_segment(&g.id),
            plural(g.members.len(), "document", "documents")
        );
        b.push_str("<table><thead><tr><th>Document</th><th>Date</th><th>Role</th></tr></thead><tbody>");
        for m in &g.members {
            let date = view.extraction(m).and_then(|x| x.date.clone()).unwrap_or_default();
            let role = if *m == g.canonical { "earliest (taken as the original)" } else { "follows" };
            let _ = write!(b, "<tr><td>{}</td><td>{}</td><td>{role}</td></tr>", doc_link(&view, m), esc(&date));
        }
        b.push_str("</tbody></table><ul>");
        for (a, c, sim) in &g.pairs {
            let _ = write!(b, "<li><code>{}</code> ~ <code>{}</code>: similarity {sim:.2}</li>", esc(a), esc(c));
        }
        b.push_str("</ul><div class=\"side-by-side\">");
        for m in g.members.iter().take(3) {
            let Some(x) = view.extraction(m) else { continue };
            let opening: String = x.text.chars().take(600).collect();
            let _ = write!(
                b,
                "<div class=\"card\"><h3>{}</h3><p class=\"opening\">{}…</p></div>",
                doc_link(&view, m),
                esc(&opening)
            );
        }
        b.push_str("</div></section>");
    }
    Ok(Html(page("Duplicates", "/duplicates", "", &b)))
}

/// The citation / copy graph as SVG: outlets on the left, named sources on the right, copy
/// edges as arcs between outlets.
fn graph_svg(graph: &api::Graph) -> String {
    const ROW: usize = 26;
    const SOURCES_SHOWN: usize = 40;
    let outlets: Vec<&api::GraphNode> = graph.nodes.iter().filter(|n| n.kind == "outlet").collect();
    let mut sources: Vec<&api::GraphNode> = graph.nodes.iter().filter(|n| n.kind == "source").collect();
    sources.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.label.cmp(&b.label)));
    sources.truncate(SOURCES_SHOWN);
    let rows = outlets.len().max(sources.len()).max(1);
    let height = rows * ROW + 40;
    let (left, right) = (260usize, 640usize);
    let y = |i: usize, n: usize| 30 + i * ROW + (rows - n.min(rows)) * ROW / 2;
    let pos_of = |id: &str| -> Option<(usize, usize)> {
        if let Some(i) = outlets.iter().position(|n| n.id == id) {
            return Some((left, y(i, outlets.len())));
        }
        sources.iter().position(|n| n.id == id).map(|i| (right, y(i, sources.len())))
    };
    let mut s = format!(
        "<svg class=\"graph\" viewBox=\"0 0 900 {height}\" width=\"900\" height=\"{height}\" role=\"img\" aria-label=\"Citation and copy graph\">"
    );
    for e in &graph.edges {
        let (Some((x1, y1)), Some((x2, y2))) = (pos_of(&e.from), pos_of(&e.to)) else { continue };
        let width = 1 + e.weight.min(6);
        if e.kind == "copies" {
            // Arcs bow towards the middle, away from the outlet labels on the left.
            let bulge = x1 + 60 + y1.abs_diff(y2) / 3;
            let _ = write!(s, "<path class=\"edge copies\" d=\"M{x1},{y1} Q{bulge},{} {x2},{y2}\" stroke-width=\"{width}\" fill=\"none\"><title>copies ×{}</title></path>", (y1 + y2) / 2, e.weight);
        } else {
            let _ = write!(s, "<line class=\"edge cites\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke-width=\"{width}\"><title>cites ×{}</title></line>", e.weight);
        }
    }
    for (i, n) in outlets.iter().enumerate() {
        let cy = y(i, outlets.len());
        let _ = write!(s, "<circle class=\"node outlet\" cx=\"{left}\" cy=\"{cy}\" r=\"7\"></circle><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} ({})</text>", left - 12, cy + 4, esc(&n.label), n.weight);
    }
    for (i, n) in sources.iter().enumerate() {
        let cy = y(i, sources.len());
        let _ = write!(s, "<circle class=\"node source\" cx=\"{right}\" cy=\"{cy}\" r=\"5\"></circle><text x=\"{}\" y=\"{}\">{} ({})</text>", right + 10, cy + 4, esc(&n.label), n.weight);
    }
    s.push_str("</svg>");
    s
}

pub async fn sources(State(state): State<Arc<AppState>>) -> PageResult {
    let view = view_for_page(&state).await?;
    let mut b = String::from("<h1>Sources</h1><h2>Outlets</h2>");
    b.push_str("<table><thead><tr><th>Outlet</th><th>Documents</th><th>Dates</th><th>Statements</th><th>Anonymous</th><th>Direct quotes</th><th>Named sources</th><th>Copies</th></tr></thead><tbody>");
    for p in api::outlet_profiles(&view) {
        let pct = |n: usize| (n * 100).checked_div(p.statements).map_or_else(|| "–".to_string(), |v| format!("{v}%"));
        let _ = write!(
            b,
            "<tr><td><a href=\"/search?q=&amp;outlet={}\">{}</a></td><td class=\"num\">{}</td><td>{} – {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            query_value(&p.outlet),
            esc(&p.outlet),
            p.documents.len(),
            esc(p.first_date.as_deref().unwrap_or("?")),
            esc(p.last_date.as_deref().unwrap_or("?")),
            p.statements,
            pct(p.anonymous_statements),
            pct(p.direct_quotes),
            p.named_sources,
            p.copies
        );
    }
    b.push_str("</tbody></table>");
    let profiles = api::claim_part(&view, "source_profiles");
    if !profiles.is_empty() {
        b.push_str("<h2>How each outlet writes</h2><table><thead><tr><th>Outlet</th><th>Words</th><th>Named / anonymous attributions</th><th>Unattributed documents</th><th title=\"loaded-language hits per 1,000 words\">Loaded language</th><th>Opinion markers</th><th>Copies from</th><th>Credits</th></tr></thead><tbody>");
        for p in &profiles {
            let map_list = |key: &str| -> String {
                p.get(key)
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| format!("{} ×{}", esc(k), v.as_u64().unwrap_or(0)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            };
            let list = |key: &str| -> String {
                p.get(key)
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).map(esc).collect::<Vec<_>>().join(", "))
                    .unwrap_or_default()
            };
            let n = |key: &str| p.get(key).and_then(Value::as_u64).unwrap_or(0);
            let _ = write!(
                b,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(str_at(p, "outlet")),
                n("words"),
                n("named_attributions"),
                n("anonymous_attributions"),
                n("unattributed_documents"),
                p.get("loaded_rate").and_then(Value::as_f64).unwrap_or(0.0),
                [map_list("loaded_terms"), map_list("opinion_markers")].iter().filter(|x| !x.is_empty()).cloned().collect::<Vec<_>>().join("; "),
                list("copies_from"),
                list("cites")
            );
        }
        b.push_str("</tbody></table>");
    }
    let cited = view.json.get("provenance").and_then(|p| p.get("sources")).and_then(Value::as_array);
    if let Some(cited) = cited.filter(|c| !c.is_empty()) {
        b.push_str("<h2>Outlets credited by the documents</h2><table><thead><tr><th>Credited outlet</th><th>Documents</th><th>Independent</th></tr></thead><tbody>");
        for c in cited {
            let docs: Vec<String> = c
                .get("documents")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|d| format!("<a href=\"{}\">{}</a>", doc_href(d), esc(d)))
                .collect();
            let _ = write!(
                b,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(str_at(c, "name")),
                docs.join(", "),
                c.get("independent_documents").and_then(Value::as_u64).unwrap_or(0)
            );
        }
        b.push_str("</tbody></table>");
    }
    b.push_str("<h2>Who cites whom, who copies whom</h2><p class=\"muted\">Left: outlets (documents). Right: what their articles credit (outlets the report found credited, or else the named people and bodies quoted). Grey lines: credits; red arcs: one outlet's article is a near-copy of another's.</p>");
    b.push_str(&graph_svg(&api::citation_graph(&view)));
    Ok(Html(page("Sources", "/sources", "", &b)))
}

fn search_link(p: &SearchParams, change: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(&str, String)> = vec![
        ("q", p.q.clone()),
        ("outlet", p.outlet.clone().unwrap_or_default()),
        ("from", p.from.clone().unwrap_or_default()),
        ("to", p.to.clone().unwrap_or_default()),
        ("entity", p.entity.clone().unwrap_or_default()),
    ];
    for (k, v) in change {
        if let Some(pair) = pairs.iter_mut().find(|(name, _)| name == k) {
            pair.1 = v.to_string();
        }
    }
    let query: Vec<String> =
        pairs.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", query_value(&v))).collect();
    format!("/search?{}", query.join("&amp;"))
}

pub async fn search(State(state): State<Arc<AppState>>, Q(p): Q<SearchParams>) -> PageResult {
    let answer = api::run_search(&state, p.clone()).await.map_err(ApiError::page)?;
    let r = &answer.results;
    let mut b = String::from("<h1>Search</h1>");
    let _ = write!(
        b,
        "<form class=\"filters\" method=\"get\" action=\"/search\"><input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"words, &quot;a phrase&quot;, prefix*, a OR b, -not\">\
         <input name=\"outlet\" value=\"{}\" placeholder=\"outlet\"><input name=\"from\" value=\"{}\" placeholder=\"from YYYY-MM-DD\" size=\"12\"><input name=\"to\" value=\"{}\" placeholder=\"to YYYY-MM-DD\" size=\"12\"><input name=\"entity\" value=\"{}\" placeholder=\"entity or alias\"><button>Search</button></form>",
        esc(&p.q),
        esc(p.outlet.as_deref().unwrap_or("")),
        esc(p.from.as_deref().unwrap_or("")),
        esc(p.to.as_deref().unwrap_or("")),
        esc(p.entity.as_deref().unwrap_or(""))
    );
    b.push_str("<div class=\"searchgrid\"><aside class=\"facets\">");
    for (title, key, values) in [
        ("Outlet", "outlet", &r.facets.outlets),
        ("Month", "month", &r.facets.months),
        ("Entity", "entity", &r.facets.entities),
    ] {
        if values.is_empty() {
            continue;
        }
        let _ = write!(b, "<h3>{title}</h3><ul>");
        for f in values {
            let link = if key == "month" {
                search_link(&p, &[("from", &f.value), ("to", &f.value)])
            } else {
                search_link(&p, &[(key, &f.value)])
            };
            let _ = write!(b, "<li><a href=\"{link}\">{}</a> <small>{}</small></li>", esc(&f.value), f.count);
        }
        b.push_str("</ul>");
    }
    let active: Vec<(&str, &Option<String>)> =
        vec![("outlet", &p.outlet), ("from", &p.from), ("to", &p.to), ("entity", &p.entity)];
    for (key, value) in active {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            let _ = write!(
                b,
                "<p class=\"active-filter\">{key}: {} <a href=\"{}\" title=\"remove\">×</a></p>",
                esc(v),
                search_link(&p, &[(key, "")])
            );
        }
    }
    b.push_str("</aside><div class=\"results\">");
    if !answer.entities.is_empty() {
        b.push_str("<p class=\"entity-matches\">Entities: ");
        for m in &answer.entities {
            let alias = m.matched_alias.as_deref().map(|a| format!(" (as “{}”)", esc(a))).unwrap_or_default();
            let _ = write!(
                b,
                "<a class=\"chip k-{}\" href=\"/entities?q={}\">{}{alias}<small>{}</small></a> ",
                esc(&m.kind),
                query_value(&m.name),
                esc(&m.name),
                m.documents
            );
        }
        b.push_str("</p>");
    }
    if p.q.trim().is_empty() {
        b.push_str("<p class=\"muted\">Type words to search the articles.</p>");
    } else {
        let _ = write!(
            b,
            "<p class=\"count\">{} for <code>{}</code></p><ol class=\"hits\" start=\"{}\">",
            plural(r.total, "document", "documents"),
            esc(&r.expression),
            answer.offset + 1
        );
        for h in &r.hits {
            let snippet: String = h
                .snippet
                .iter()
                .map(|f| if f.hit { format!("<mark>{}</mark>", esc(&f.text)) } else { esc(&f.text) })
                .collect();
            let _ = write!(
                b,
                "<li class=\"hit\"><a class=\"hit-title\" href=\"{}\">{}</a> <span class=\"outlet\">{}</span> <span class=\"muted\">{}</span><p class=\"snippet\">{snippet}</p></li>",
                doc_href(&h.id),
                esc(h.title.as_deref().unwrap_or(&h.id)),
                esc(h.outlet.as_deref().unwrap_or("")),
                esc(h.date.as_deref().unwrap_or(""))
            );
        }
        b.push_str("</ol>");
        let base = search_link(&p, &[]).replace("&amp;", "&");
        b.push_str(&pager(&esc(&base), answer.offset, answer.limit, r.total));
    }
    b.push_str("</div></div>");
    Ok(Html(page("Search", "", &p.q, &b)))
}
