//! Who rests on whom, when things happened, and how each outlet writes: the citation graph
//! (documents crediting news outlets, "according to …", "… quoted …"), the timeline of
//! resolved dates, and per-outlet profiles (attribution habits, loaded-language rate with the
//! bundled lexicon `resources/link/loaded_language.txt`, opinion markers, copies and citations).
//!
//! This module owns those three views. It must not do IO; lexicons are bundled data files.

use std::collections::{BTreeMap, BTreeSet};

use crosscheck_model::{DuplicateGroup, Extraction, Span};
use serde::{Deserialize, Serialize};

use crate::claims::ClaimEvidence;

const LOADED_SRC: &str = include_str!("../../../resources/link/loaded_language.txt");
const OPINION_SRC: &str = include_str!("../../../resources/link/opinion_markers.txt");
const OUTLET_SRC: &str = include_str!("../../../resources/link/news_outlets.txt");

fn data_lines(src: &'static str) -> Vec<&'static str> {
    src.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty()).collect()
}

/// One document crediting a news outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    pub doc: String,
    pub doc_outlet: Option<String>,
    /// The credited outlet as written ("The New York Times", "Bloomberg news agency").
    pub cited: String,
    /// Normalised key of the credited outlet, shared by all its spellings that normalise alike.
    pub cited_key: String,
    pub cue: String,
    pub evidence: ClaimEvidence,
}

/// An outlet and every document resting on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CitedSource {
    /// `P` + 12 hex digits of the key.
    pub id: String,
    pub name: String,
    pub key: String,
    pub documents: Vec<String>,
    /// Documents counted once per story-wording group (copies of one article count once).
    pub independent_documents: usize,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Provenance {
    pub citations: Vec<Citation>,
    /// Outlets cited, most-cited first.
    pub sources: Vec<CitedSource>,
}

/// A dated item of the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The resolved date (ISO day, month, year or range); `None` for undated entries.
    pub when: Option<String>,
    /// `date` (a date in the text) or `published` (a document's own date).
    pub kind: String,
    pub text: String,
    pub evidence: ClaimEvidence,
}

/// Documents that belong to one year: the time split of a corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// A year (`2015`), or `undated` for documents with no date at all.
    pub year: String,
    pub documents: Vec<String>,
    /// Per document, what placed it: `published` (its own date) or `dates in text` (the most
    /// frequent year of the dates it mentions).
    pub basis: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Timeline {
    /// Documents by the year they are about, earliest first, `undated` last.
    pub periods: Vec<Period>,
    /// Ordered by date (coarser dates before finer ones of the same start), then document.
    pub dated: Vec<TimelineEntry>,
    /// Date expressions nothing anchors ("recent weeks"), by document and position.
    pub undated: Vec<TimelineEntry>,
}

/// How one outlet writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceProfile {
    /// The outlet as documents name it, or `(no outlet)`.
    pub outlet: String,
    pub documents: Vec<String>,
    pub words: usize,
    pub named_attributions: usize,
    pub anonymous_attributions: usize,
    /// Documents with no attribution at all.
    pub unattributed_documents: usize,
    /// Loaded-language hits per 1,000 words.
    pub loaded_rate: f64,
    /// Each lexicon entry that matched, with its count.
    pub loaded_terms: BTreeMap<String, usize>,
    /// Opinion markers found, with counts.
    pub opinion_markers: BTreeMap<String, usize>,
    /// Outlets of the documents this outlet's documents are copies of.
    pub copies_from: Vec<String>,
    /// Outlets its documents credit.
    pub cites: Vec<String>,
}

fn short_id(prefix: char, key: &str) -> String {
    format!("{prefix}{}", &blake3::hash(key.as_bytes()).to_hex()[..12])
}

fn sentence_evidence(x: &Extraction, span: Span) -> ClaimEvidence {
    ClaimEvidence {
        doc: x.id.clone(),
        span,
        text: crosscheck_text::slice_chars(&x.text, span).split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Whether a credited source names a news outlet: one of its words is an outlet word of the
/// lexicon, or it is the outlet of a document of the corpus.
pub(crate) fn names_outlet(source_key: &str, corpus_outlets: &BTreeSet<String>) -> bool {
    // Padded once, so an entry matches whole words only ("post" in "the evening post").
    static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| data_lines(OUTLET_SRC).into_iter().map(|w| format!(" {w} ")).collect());
    if corpus_outlets.contains(source_key) {
        return true;
    }
    let padded = format!(" {source_key} ");
    words.iter().any(|w| padded.contains(w.as_str()))
}

/// The outlet a sentence credits in passing ("told Reuters", "according to the Harbour
/// Gazette", "quoted by …", "in an interview with …"), when the words after the marker name
/// an outlet.
pub(crate) fn outlet_in(sentence: &str, corpus_outlets: &BTreeSet<String>) -> Option<String> {
    const MARKERS: &[&str] = &[
        "according to ",
        "told ",
        "quoted by ",
        "reported by ",
        "cited by ",
        "interview with ",
        "spoke to ",
        "speaking to ",
    ];
    let lower = sentence.to_lowercase();
    for marker in MARKERS {
        for (at, _) in lower.match_indices(marker) {
            let rest = sentence.get(at + marker.len()..)?;
            let mut run_end = 0;
            for w in crosscheck_text::words(rest).take(6) {
                let capital = w.text.chars().next().is_some_and(char::is_uppercase);
                let joiner = matches!(w.text, "the" | "of" | "and");
                if !(capital || joiner && run_end > 0 || w.text == "the" && run_end == 0) {
                    break;
                }
                if rest[run_end..w.start].contains([',', '.', ';', ':']) {
                    break;
                }
                run_end = w.end;
            }
            let run = rest[..run_end].trim();
            if !run.is_empty() && names_outlet(&crosscheck_text::normalize_key(run), corpus_outlets) {
                return Some(run.to_string());
            }
        }
    }
    None
}

/// Strips a trailing "news agency" / "newspaper" and a "the London-based daily" style lead so
/// "Bloomberg news agency" and "Bloomberg" share a key.
pub(crate) fn outlet_key(source: &str) -> String {
    let key = crosscheck_text::normalize_key(source);
    let mut words: Vec<&str> = key.split_whitespace().collect();
    while words.len() > 1
        && matches!(words.last(), Some(&("news" | "agency" | "newspaper" | "daily" | "channel" | "website")))
    {
        words.pop();
    }
    // "london based daily asharq al awsat": keep what follows a descriptor word.
    if let Some(pos) = words.iter().position(|w| matches!(*w, "daily" | "newspaper" | "agency" | "outlet")) {
        if pos + 1 < words.len() {
            words.drain(..=pos);
        }
    }
    words.join(" ")
}

/// The outlets of a corpus's documents, keyed by [`outlet_key`]: a credited source naming one
/// of them is an outlet even when the lexicon does not know it.
pub(crate) fn corpus_outlets<'x>(outlets: impl IntoIterator<Item = Option<&'x str>>) -> BTreeSet<String> {
    outlets.into_iter().flatten().map(outlet_key).collect()
}

/// The citation graph of a corpus.
pub fn provenance(extractions: &[Extraction], groups: &[DuplicateGroup], wording_threshold: f64) -> Provenance {
    let corpus_outlets = corpus_outlets(extractions.iter().map(|x| x.outlet.as_deref()));
    let citations = extractions.iter().flat_map(|x| document_citations(x, &corpus_outlets)).collect();
    provenance_of(citations, groups, wording_threshold)
}

/// The outlets one document credits. `corpus_outlets` from [`corpus_outlets`].
pub(crate) fn document_citations(x: &Extraction, corpus_outlets: &BTreeSet<String>) -> Vec<Citation> {
    let mut citations = Vec::new();
    for a in &x.attributions {
        if a.anonymous {
            continue;
        }
        let key = outlet_key(&a.source);
        if key.is_empty() || !names_outlet(&crosscheck_text::normalize_key(&a.source), corpus_outlets) {
            continue;
        }
        if x.outlet.as_deref().map(outlet_key).as_deref() == Some(key.as_str()) {
            continue;
        }
        citations.push(Citation {
            doc: x.id.clone(),
            doc_outlet: x.outlet.clone(),
            cited: a.source.clone(),
            cited_key: key,
            cue: a.cue.clone(),
            evidence: sentence_evidence(x, a.span),
        });
    }
    // A speaker quoted through an outlet ("the minister told Reuters", "officials said,
    // according to the Harbour Gazette"): the document rests on that outlet too.
    let ascii = x.text.is_ascii();
    for a in &x.attributions {
        let sentence = if ascii {
            x.text.get(a.span.start.min(x.text.len())..a.span.end.min(x.text.len())).unwrap_or("")
        } else {
            crosscheck_text::slice_chars(&x.text, a.span)
        };
        let Some(cited) = outlet_in(sentence, corpus_outlets) else {
            continue;
        };
        let key = outlet_key(&cited);
        let own = x.outlet.as_deref().map(outlet_key).as_deref() == Some(key.as_str());
        if own || key.is_empty() || outlet_key(&a.source) == key {
            continue;
        }
        citations.push(Citation {
            doc: x.id.clone(),
            doc_outlet: x.outlet.clone(),
            cited,
            cited_key: key,
            cue: "via".into(),
            evidence: sentence_evidence(x, a.span),
        });
    }
    citations
}

/// The citation graph from every document's citations, in document order.
pub(crate) fn provenance_of(
    mut citations: Vec<Citation>,
    groups: &[DuplicateGroup],
    wording_threshold: f64,
) -> Provenance {
    citations.sort_by(|a, b| (&a.cited_key, &a.doc, a.evidence.span).cmp(&(&b.cited_key, &b.doc, b.evidence.span)));
    let units = crate::claims::wording_units(groups, wording_threshold);
    let mut by_key: BTreeMap<&str, (BTreeSet<&str>, BTreeMap<&str, usize>)> = BTreeMap::new();
    for c in &citations {
        let entry = by_key.entry(c.cited_key.as_str()).or_default();
        entry.0.insert(c.doc.as_str());
        *entry.1.entry(c.cited.as_str()).or_default() += 1;
    }
    let mut sources: Vec<CitedSource> = by_key
        .into_iter()
        .map(|(key, (docs, names))| {
            let name = names
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.len().cmp(&a.0.len())))
                .map(|(n, _)| n.to_string())
                .unwrap_or_default();
            let independent: BTreeSet<String> =
                docs.iter().map(|d| units.get(*d).cloned().unwrap_or_else(|| d.to_string())).collect();
            CitedSource {
                id: short_id('P', key),
                name,
                key: key.to_string(),
                documents: docs.iter().map(|d| d.to_string()).collect(),
                independent_documents: independent.len(),
            }
        })
        .collect();
    sources.sort_by(|a, b| b.documents.len().cmp(&a.documents.len()).then_with(|| a.key.cmp(&b.key)));
    Provenance { citations, sources }
}

/// Dated and undated items of a corpus: every date expression (resolved or not) and every
/// document's publication date.
pub fn timeline(extractions: &[Extraction]) -> Timeline {
    let mut dated = Vec::new();
    let mut undated = Vec::new();
    for x in extractions {
        if let Some(date) = &x.date {
            dated.push(TimelineEntry {
                when: Some(date.clone()),
                kind: "published".into(),
                text: x.title.clone().unwrap_or_else(|| x.id.clone()),
                evidence: ClaimEvidence { doc: x.id.clone(), span: Span::new(0, 0), text: String::new() },
            });
        }
        let sentences: Vec<Span> = {
            let map = crosscheck_text::CharMap::new(&x.text);
            crosscheck_text::sentences(&x.text).into_iter().map(|r| map.span(r.start, r.end)).collect()
        };
        for d in &x.dates {
            let span =
                sentences.iter().copied().find(|s| s.start <= d.span.start && d.span.start < s.end).unwrap_or(d.span);
            let entry = TimelineEntry {
                when: d.resolved.clone(),
                kind: "date".into(),
                text: d.text.clone(),
                evidence: sentence_evidence(x, span),
            };
            if d.resolved.is_some() {
                dated.push(entry);
            } else {
                undated.push(entry);
            }
        }
    }
    dated.sort_by(|a, b| (&a.when, &a.evidence.doc, a.evidence.span).cmp(&(&b.when, &b.evidence.doc, b.evidence.span)));
    let mut by_year: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for x in extractions {
        let (year, basis) = document_year(x);
        by_year.entry(year).or_default().push((x.id.clone(), basis));
    }
    let mut periods: Vec<Period> = by_year
        .into_iter()
        .map(|(year, mut docs)| {
            docs.sort();
            Period {
                year,
                documents: docs.iter().map(|d| d.0.clone()).collect(),
                basis: docs.into_iter().map(|d| d.1).collect(),
            }
        })
        .collect();
    // "undated" sorts after digits already; keep it last explicitly for clarity.
    periods.sort_by_key(|p| (p.year == "undated", p.year.clone()));
    undated.sort_by(|a, b| (&a.evidence.doc, a.evidence.span).cmp(&(&b.evidence.doc, b.evidence.span)));
    Timeline { periods, dated, undated }
}

/// The year a document is about: its publication year, else the most frequent year among the
/// dates it mentions (ties: the latest), else `undated`.
fn document_year(x: &Extraction) -> (String, String) {
    if let Some(year) = x.date.as_deref().and_then(|d| d.get(..4)).filter(|y| y.chars().all(|c| c.is_ascii_digit())) {
        return (year.to_string(), "published".into());
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &x.dates {
        if let Some(year) =
            d.resolved.as_deref().and_then(|r| r.get(..4)).filter(|y| y.chars().all(|c| c.is_ascii_digit()))
        {
            *counts.entry(year).or_default() += 1;
        }
    }
    match counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0))) {
        Some((year, _)) => (year.to_string(), "dates in text".into()),
        None => ("undated".into(), "no date".into()),
    }
}

/// Per-outlet profiles. `citations` come from [`provenance`].
pub fn source_profiles(extractions: &[Extraction], citations: &[Citation]) -> Vec<SourceProfile> {
    static LEX: std::sync::OnceLock<(Vec<&'static str>, Vec<&'static str>)> = std::sync::OnceLock::new();
    let (loaded, opinion) = LEX.get_or_init(|| (data_lines(LOADED_SRC), data_lines(OPINION_SRC)));
    let outlet_of: BTreeMap<&str, String> =
        extractions.iter().map(|x| (x.id.as_str(), x.outlet.clone().unwrap_or_else(|| "(no outlet)".into()))).collect();
    let mut profiles: BTreeMap<String, SourceProfile> = BTreeMap::new();
    for x in extractions {
        let outlet = outlet_of.get(x.id.as_str()).cloned().unwrap_or_default();
        let p = profiles.entry(outlet.clone()).or_insert_with(|| SourceProfile {
            outlet,
            documents: Vec::new(),
            words: 0,
            named_attributions: 0,
            anonymous_attributions: 0,
            unattributed_documents: 0,
            loaded_rate: 0.0,
            loaded_terms: BTreeMap::new(),
            opinion_markers: BTreeMap::new(),
            copies_from: Vec::new(),
            cites: Vec::new(),
        });
        p.documents.push(x.id.clone());
        for w in crosscheck_text::words(&x.text) {
            p.words += 1;
            let lower = w.text.to_lowercase();
            if let Some(term) = loaded.iter().find(|t| !t.contains(' ') && lower.starts_with(**t)) {
                *p.loaded_terms.entry((*term).to_string()).or_default() += 1;
            }
        }
        let lower_text = x.text.to_lowercase();
        for term in loaded.iter().filter(|t| t.contains(' ')) {
            let n = lower_text.matches(term).count();
            if n > 0 {
                *p.loaded_terms.entry((*term).to_string()).or_default() += n;
            }
        }
        for marker in opinion.iter() {
            let n = lower_text
                .match_indices(marker)
                .filter(|(i, _)| {
                    let before_ok = lower_text[..*i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                    let after_ok = lower_text[i + marker.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                    before_ok && after_ok
                })
                .count();
            if n > 0 {
                *p.opinion_markers.entry((*marker).to_string()).or_default() += n;
            }
        }
        p.named_attributions += x.attributions.iter().filter(|a| !a.anonymous).count();
        p.anonymous_attributions += x.attributions.iter().filter(|a| a.anonymous).count();
        if x.attributions.is_empty() {
            p.unattributed_documents += 1;
        }
        if let Some(original) = &x.copy_of {
            if let Some(o) = outlet_of.get(original.as_str()) {
                p.copies_from.push(o.clone());
            }
        }
    }
    for c in citations {
        if let Some(outlet) = outlet_of.get(c.doc.as_str()) {
            if let Some(p) = profiles.get_mut(outlet) {
                p.cites.push(c.cited.clone());
            }
        }
    }
    let mut out: Vec<SourceProfile> = profiles.into_values().collect();
    for p in &mut out {
        let hits: usize = p.loaded_terms.values().sum();
        p.loaded_rate = if p.words > 0 { hits as f64 * 1000.0 / p.words as f64 } else { 0.0 };
        p.copies_from.sort();
        p.copies_from.dedup();
        p.cites.sort();
        p.cites.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, date: Option<&str>, mentioned: &[&str]) -> Extraction {
        Extraction {
            id: id.into(),
            title: None,
            outlet: None,
            date: date.map(str::to_string),
            url: None,
            author: None,
            text: "Text.".into(),
            entities: Vec::new(),
            roles: Vec::new(),
            attributions: Vec::new(),
            quantities: Vec::new(),
            dates: mentioned
                .iter()
                .map(|r| crosscheck_model::DateMention {
                    text: (*r).into(),
                    resolved: Some((*r).into()),
                    inferred: false,
                    span: Span::new(0, 4),
                    rule: "test".into(),
                })
                .collect(),
            events: Vec::new(),
            duplicates_of: Vec::new(),
            copy_of: None,
        }
    }

    #[test]
    fn periods_split_documents_by_the_year_they_are_about() {
        let docs = [
            doc("a", None, &["2015-12-11", "2015-11", "2024"]),
            doc("b", Some("2025-02-06"), &["2024-12-11"]),
            doc("c", None, &[]),
            doc("d", None, &["2015-12"]),
        ];
        let t = timeline(&docs);
        let years: Vec<(&str, Vec<&str>)> =
            t.periods.iter().map(|p| (p.year.as_str(), p.documents.iter().map(String::as_str).collect())).collect();
        assert_eq!(years, vec![("2015", vec!["a", "d"]), ("2025", vec!["b"]), ("undated", vec!["c"])]);
        assert_eq!(t.periods[1].basis, vec!["published"]);
        assert!(t.dated.windows(2).all(|w| w[0].when <= w[1].when));
    }

    #[test]
    fn outlet_keys_drop_descriptors() {
        assert_eq!(outlet_key("Bloomberg news agency"), "bloomberg");
        assert_eq!(outlet_key("The London-based daily Harbour Gazette"), "harbour gazette");
        assert_eq!(outlet_key("The New York Times"), "new york times");
    }

    #[test]
    fn outlet_detection_uses_lexicon_words_and_corpus_outlets() {
        let corpus: BTreeSet<String> = ["marlowe ledger".to_string()].into_iter().collect();
        assert!(names_outlet("marlowe ledger", &corpus));
        assert!(names_outlet("reuters", &corpus));
        assert!(names_outlet("the evening post", &corpus));
        assert!(!names_outlet("helen ortiz", &corpus));
    }
}
