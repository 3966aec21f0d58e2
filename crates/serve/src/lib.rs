//! Presenting the story: turns stored extractions and cross-document links into the report a
//! reader sees (Markdown for the terminal, JSON for tools), and serves the same views over
//! HTTP (`http`: the JSON API, the web UI with embedded assets, and search through the store).
//!
//! It owns layout, ordering and the web surface only: it never re-extracts (posted articles go
//! through the caller's ingest pipeline), reads the store only through its public API, and never
//! drops an item's provenance — every line it prints names the document id and the char span
//! the item came from.

pub mod http;
mod markdown;

pub use markdown::render_markdown;

use crosscheck_link::CorpusEntity;
use crosscheck_model::{Attribution, DateMention, DuplicateGroup, Event, Extraction, Quantity, Role, Span};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where an item came from: a document and a char span in its text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    pub doc: String,
    pub start: usize,
    pub end: usize,
}

impl Evidence {
    fn new(doc: &str, span: Span) -> Self {
        Evidence { doc: doc.to_string(), start: span.start, end: span.end }
    }
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}-{}", self.doc, self.start, self.end)
    }
}

/// An item of one document, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Sourced<T> {
    #[serde(flatten)]
    pub item: T,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentSummary {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub chars: usize,
    pub entities: usize,
    pub attributions: usize,
    pub quantities: usize,
    pub dates: usize,
    pub events: usize,
    pub duplicates_of: Vec<String>,
    /// The document's first sentence or line, as a reminder of what it is.
    pub lede: String,
}

/// Attributions credited to one source (grouped by the source's normalised name).
#[derive(Debug, Clone, Serialize)]
pub struct SourceGroup {
    pub source: String,
    pub anonymous: bool,
    pub statements: Vec<Sourced<Attribution>>,
}

/// The story across every stored document.
#[derive(Debug, Clone, Serialize)]
pub struct StoryReport {
    pub documents: Vec<DocumentSummary>,
    pub duplicate_groups: Vec<DuplicateGroup>,
    pub entities: Vec<CorpusEntity>,
    pub roles: Vec<Sourced<Role>>,
    pub quantities: Vec<Sourced<Quantity>>,
    pub dates: Vec<Sourced<DateMention>>,
    pub attributions: Vec<SourceGroup>,
    pub events: Vec<Sourced<Event>>,
    /// Numeric claims, their clusters with independent-source counts, agreements,
    /// contradictions and changes over time (with evidence side by side), statuses, denials.
    pub claims: crosscheck_link::ClaimAnalysis,
    /// Which outlets the documents credit.
    pub provenance: crosscheck_link::Provenance,
    pub timeline: crosscheck_link::Timeline,
    pub source_profiles: Vec<crosscheck_link::SourceProfile>,
    /// Whether claims, comparisons, provenance and entities were read from the store (stored by
    /// `crosscheck link`) rather than computed for this report.
    pub links_from_store: bool,
}

impl StoryReport {
    /// Builds the report, computing link's results; the order of everything is deterministic
    /// for the same input.
    pub fn build(extractions: &[Extraction], groups: &[DuplicateGroup]) -> StoryReport {
        Self::build_with_links(extractions, groups, None)
    }

    /// The report of a store: its extractions and groups, and the link results it holds when
    /// they were stored for the same documents (else they are computed).
    pub fn from_store(store: &crosscheck_store::Store) -> Result<StoryReport, crosscheck_store::StoreError> {
        let extractions = store.extractions()?;
        let groups = store.duplicate_groups()?;
        let links = stored_links(store, extractions.len())?;
        Ok(Self::build_with_links(&extractions, &groups, links))
    }

    /// Builds the report with link results read from the store (`Some`), or computes them.
    pub fn build_with_links(
        extractions: &[Extraction],
        groups: &[DuplicateGroup],
        links: Option<crosscheck_link::LinkResults>,
    ) -> StoryReport {
        let mut duplicates_of: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for g in groups {
            for m in &g.members {
                let others = g.members.iter().filter(|o| *o != m).cloned();
                duplicates_of.entry(m.as_str()).or_default().extend(others);
            }
        }
        let mut documents: Vec<DocumentSummary> = extractions
            .iter()
            .map(|e| DocumentSummary {
                id: e.id.clone(),
                title: e.title.clone(),
                outlet: e.outlet.clone(),
                date: e.date.clone(),
                author: e.author.clone(),
                chars: e.text.chars().count(),
                entities: e.entities.len(),
                attributions: e.attributions.len(),
                quantities: e.quantities.len(),
                dates: e.dates.len(),
                events: e.events.len(),
                duplicates_of: duplicates_of.get(e.id.as_str()).cloned().unwrap_or_default(),
                lede: lede(&e.text),
            })
            .collect();
        documents.sort_by(|a, b| a.id.cmp(&b.id));

        let mut roles = Vec::new();
        let mut quantities = Vec::new();
        let mut dates = Vec::new();
        let mut events = Vec::new();
        let mut by_source: BTreeMap<String, SourceGroup> = BTreeMap::new();
        for e in extractions {
            roles.extend(e.roles.iter().map(|r| Sourced { item: r.clone(), evidence: Evidence::new(&e.id, r.span) }));
            quantities.extend(
                e.quantities.iter().map(|q| Sourced { item: q.clone(), evidence: Evidence::new(&e.id, q.span) }),
            );
            dates.extend(e.dates.iter().map(|d| Sourced { item: d.clone(), evidence: Evidence::new(&e.id, d.span) }));
            events.extend(e.events.iter().map(|v| Sourced { item: v.clone(), evidence: Evidence::new(&e.id, v.span) }));
            for a in &e.attributions {
                let key = source_key(&a.source);
                let group = by_source.entry(key).or_insert_with(|| SourceGroup {
                    source: a.source.clone(),
                    anonymous: a.anonymous,
                    statements: Vec::new(),
                });
                group.statements.push(Sourced { item: a.clone(), evidence: Evidence::new(&e.id, a.span) });
            }
        }
        roles.sort_by(|a, b| (&a.item.person, &a.evidence).cmp(&(&b.item.person, &b.evidence)));
        quantities.sort_by(|a, b| (&a.item.unit, &a.evidence).cmp(&(&b.item.unit, &b.evidence)));
        dates.sort_by(|a, b| {
            // Resolved dates in calendar order first, unresolved ones after.
            (a.item.resolved.is_none(), &a.item.resolved, &a.evidence).cmp(&(
                b.item.resolved.is_none(),
                &b.item.resolved,
                &b.evidence,
            ))
        });
        events.sort_by(|a, b| (&a.item.kind, &a.evidence).cmp(&(&b.item.kind, &b.evidence)));
        let mut attributions: Vec<SourceGroup> = by_source.into_values().collect();
        attributions.sort_by(|a, b| b.statements.len().cmp(&a.statements.len()).then_with(|| a.source.cmp(&b.source)));

        let mut duplicate_groups = groups.to_vec();
        duplicate_groups.sort_by(|a, b| a.id.cmp(&b.id));
        let links_from_store = links.is_some();
        let links = links.unwrap_or_else(|| crosscheck_link::link_results(extractions, groups));
        StoryReport {
            documents,
            duplicate_groups,
            claims: links.claims,
            source_profiles: crosscheck_link::source_profiles(extractions, &links.provenance.citations),
            provenance: links.provenance,
            timeline: crosscheck_link::timeline(extractions),
            entities: links.entities,
            links_from_store,
            roles,
            quantities,
            dates,
            attributions,
            events,
        }
    }
}

/// The store's link results when they describe its current documents (a store linked before
/// more documents were added, and not linked since, gets fresh results instead).
pub fn stored_links(
    store: &crosscheck_store::Store,
    documents: usize,
) -> Result<Option<crosscheck_link::LinkResults>, crosscheck_store::StoreError> {
    match store.link_run()? {
        Some(run) if run.documents == documents => store.link_results(),
        _ => Ok(None),
    }
}

/// Groups "the official", "The Official" and "official" together.
fn source_key(source: &str) -> String {
    let lower = source.trim().to_lowercase();
    let stripped = ["the ", "a ", "an "].iter().find_map(|p| lower.strip_prefix(p)).unwrap_or(&lower);
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn lede(text: &str) -> String {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let mut out: String = first.chars().take(160).collect();
    if first.chars().count() > 160 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
