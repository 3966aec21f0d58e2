//! The data model every pipeline stage shares.
//!
//! This crate owns the types that flow between stages — a [`Document`] read by ingest, the
//! [`Extraction`] produced for it, and the items inside (entities, quantities, dates,
//! attributions, events) — and their JSON shape, which is the extraction format of the gold
//! `SCHEMA.md`. It must not do any work of its own: no IO, no parsing of articles, no
//! heuristics. Every item carries a [`Span`] of *char* offsets (Unicode scalar values) into
//! the document text, end exclusive, plus the name of the rule that produced it.

use serde::{Deserialize, Serialize};

/// A range of Unicode scalar values (chars) in a document's text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// Where a document came from, as read by ingest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Text,
    Markdown,
    Html,
    Jsonl,
    /// An item of an RSS / Atom / JSON Feed (its own content, or the page it links to).
    Feed,
    /// An HTML response record of a WARC web archive.
    Warc,
    /// A row of a CSV / TSV file or an element of a JSON array of records.
    Table,
}

impl SourceFormat {
    /// Every format, for round trips and listings.
    pub const ALL: [SourceFormat; 7] = [
        SourceFormat::Text,
        SourceFormat::Markdown,
        SourceFormat::Html,
        SourceFormat::Jsonl,
        SourceFormat::Feed,
        SourceFormat::Warc,
        SourceFormat::Table,
    ];

    /// The format with this [`as_str`](Self::as_str) name (also its JSON name).
    pub fn parse(name: &str) -> Option<SourceFormat> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Markdown => "markdown",
            SourceFormat::Html => "html",
            SourceFormat::Jsonl => "jsonl",
            SourceFormat::Feed => "feed",
            SourceFormat::Warc => "warc",
            SourceFormat::Table => "table",
        }
    }
}

/// One article, as ingest hands it to the later stages.
///
/// `text` is the article text that every span refers to; it is never rewritten after ingest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Given id (JSONL `id`), else the file stem; unique within one run.
    pub id: String,
    /// File path or URL the document was read from (with `#line` for JSONL lines).
    pub origin: String,
    pub format: SourceFormat,
    pub url: Option<String>,
    pub outlet: Option<String>,
    /// Publication date, ISO `YYYY-MM-DD` (or a coarser `YYYY-MM` / `YYYY`).
    pub date: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    pub text: String,
    /// Hex BLAKE3 hash of the normalised text; equal hashes mean exact duplicates.
    pub content_hash: String,
    /// Things the reader had to repair ("invalid UTF-8 decoded lossily"), shown in summaries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Person,
    Organization,
    Location,
}

impl EntityType {
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Location => "location",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "person" => Some(EntityType::Person),
            "organization" => Some(EntityType::Organization),
            "location" => Some(EntityType::Location),
            _ => None,
        }
    }
}

/// One place in the text where an entity is named.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    /// The text exactly as it appears at `start..end`.
    pub text: String,
}

/// A distinct real-world thing named in one document, with every surface form and mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Canonical name: the longest/fullest form seen (titles stripped).
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Other surface forms seen in this document (never repeats `name`).
    pub aliases: Vec<String>,
    pub mentions: Vec<Mention>,
    /// Rule that first recognised it (`gazetteer`, `capitalised-sequence`, ...).
    pub rule: String,
}

/// "Quds Force commander Esmail Qaani" → person, role, organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub person: String,
    pub role: String,
    pub organization: Option<String>,
    pub span: Span,
    pub rule: String,
}

/// Who is credited with a statement, by which cue, saying what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub source: String,
    pub cue: String,
    pub content: String,
    /// The whole attributed sentence or clause.
    pub span: Span,
    pub source_span: Option<Span>,
    pub content_span: Option<Span>,
    /// A direct quotation (content in quotation marks) rather than reported speech.
    pub direct: bool,
    /// The source is not a named person or organisation ("an official", "sources").
    pub anonymous: bool,
    pub rule: String,
}

/// An amount: money, a count of people or things, a distance, a duration, a percentage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub text: String,
    /// The number in base units ("$1.5 billion" → 1500000000).
    pub value: f64,
    /// ISO 4217 code for money, `persons`, `items`, `km`, `days`, `percent`, ...
    pub unit: String,
    /// What is counted, when the text says ("IRGC forces in Syria").
    pub about: Option<String>,
    /// "about", "nearly", "more than", "dozens of" ...
    pub approximate: bool,
    pub span: Span,
    pub rule: String,
}

/// A date expression and what it resolves to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateMention {
    pub text: String,
    /// ISO date, month, year, or `start/end` range; `None` when nothing anchors it.
    pub resolved: Option<String>,
    /// The year (or the whole value) was inferred rather than read or anchored.
    pub inferred: bool,
    pub span: Span,
    pub rule: String,
}

/// Something that happened: who did what to whom, where, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// One of `withdraw evacuate kill wound attack capture fund build meet criticize threaten
    /// support advance reduce replace other`.
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub place: Option<String>,
    pub date: Option<String>,
    /// The trigger word that fired ("withdrew", "killed").
    pub trigger: String,
    pub negated: bool,
    pub span: Span,
    pub rule: String,
}

/// Everything extracted from one document: one line of `crosscheck extract --format jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub text: String,
    pub entities: Vec<Entity>,
    pub roles: Vec<Role>,
    pub attributions: Vec<Attribution>,
    pub quantities: Vec<Quantity>,
    pub dates: Vec<DateMention>,
    pub events: Vec<Event>,
    /// Ids of the other documents given together that report the same story.
    pub duplicates_of: Vec<String>,
    /// Id of the document this one is a near-verbatim copy of, if any.
    pub copy_of: Option<String>,
}

impl Extraction {
    /// An extraction with the document's metadata and no items yet.
    pub fn empty_for(doc: &Document) -> Self {
        Extraction {
            id: doc.id.clone(),
            title: doc.title.clone(),
            outlet: doc.outlet.clone(),
            date: doc.date.clone(),
            url: doc.url.clone(),
            author: doc.author.clone(),
            text: doc.text.clone(),
            entities: Vec::new(),
            roles: Vec::new(),
            attributions: Vec::new(),
            quantities: Vec::new(),
            dates: Vec::new(),
            events: Vec::new(),
            duplicates_of: Vec::new(),
            copy_of: None,
        }
    }
}

/// Why ingest did not add an input (one line in the run summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// Path (with `:line` for JSONL) of what was skipped.
    pub origin: String,
    pub reason: String,
}

/// Documents that report the same story, as found by link and kept by the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    /// Stable id of the group (derived from its members, so equal groups get equal ids).
    pub id: String,
    /// The member the others are taken to derive from: earliest date, then longest text,
    /// then smallest id.
    pub canonical: String,
    /// Every member's document id, sorted.
    pub members: Vec<String>,
    /// The verified pairs `(a, b, similarity)` that joined the group, `a < b`, sorted.
    pub pairs: Vec<(String, String, f64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_type_round_trips_through_its_name() {
        for t in [EntityType::Person, EntityType::Organization, EntityType::Location] {
            assert_eq!(EntityType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EntityType::parse("thing"), None);
    }

    #[test]
    fn source_format_json_name_is_its_name() {
        for f in SourceFormat::ALL {
            assert_eq!(serde_json::to_value(f).expect("serialise"), f.as_str());
            assert_eq!(SourceFormat::parse(f.as_str()), Some(f));
        }
        assert_eq!(SourceFormat::parse("pdf"), None);
        assert_eq!(SourceFormat::Warc.as_str(), "warc");
    }

    #[test]
    fn entity_serialises_with_schema_field_names() {
        let e = Entity {
            name: "Ada Lovelace".into(),
            kind: EntityType::Person,
            aliases: vec!["Lovelace".into()],
            mentions: vec![Mention { start: 0, end: 12, text: "Ada Lovelace".into() }],
            rule: "test".into(),
        };
        let v = serde_json::to_value(&e).expect("serialise");
        assert_eq!(v["type"], "person");
        assert_eq!(v["mentions"][0]["start"], 0);
    }
}
