//! Claims across documents and where they agree or disagree: numeric claims (a counted measure
//! such as troop strength or a death toll, or an amount of money), status claims about people
//! (killed / wounded / dead), and explicit denials.
//!
//! A numeric claim is a number in a sentence tied to the nearest measure word of the bundled
//! lexicon (`resources/link/measures.txt`), with the sentence as its span and the attribution
//! covering it as its source. Claims of one measure are compared within a story group (same
//! event, same time: different figures are a *contradiction*) or, for documents of different
//! times naming the same entity in the sentence, as a *change over time*. A sentence that itself
//! reports a change ("reduced from 7,000 to 700") marks its figures as before/after.
//!
//! Two figures of one measure inside one document from different sources ("officials said 12
//! died; the hospital said 19") are an *in-document* contradiction with both spans. General
//! subject–predicate–object claims with their attribution chains live in `statements`.
//!
//! Comparisons stay near-linear: pairs are formed inside a story group, and across stories only
//! between neighbours in time within a (measure, entity) bucket — never over all document pairs.
//!
//! This module owns claim finding, clustering, independence counting and the verdicts. It must
//! not do IO and never hides evidence: every verdict carries both claims with spans and text.

mod statements;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crosscheck_model::{DuplicateGroup, Extraction, Span};
use serde::{Deserialize, Serialize};

pub(crate) use statements::{corpus_names, DocumentEntityIndex};
pub use statements::{AttributionChain, Statement, StatementCluster};

use crate::entities::CorpusEntity;

const MEASURES_SRC: &str = include_str!("../../../resources/link/measures.txt");
const DENIAL_SRC: &str = include_str!("../../../resources/link/denial_cues.txt");
const CHANGE_SRC: &str = include_str!("../../../resources/link/change_cues.txt");
const STATUS_SRC: &str = include_str!("../../../resources/link/status_words.txt");
/// Words after a person's name within which a status word still describes that person.
const STATUS_WINDOW: usize = 5;
/// Words that end the person's clause: after them a status word is about someone else.
const STATUS_BREAKS: &[&str] =
    &["said", "says", "told", "and", "but", "who", "that", "which", "when", "after", "while", "reported", "announced"];

/// Words between a number and its measure word, at most.
const MEASURE_WINDOW: usize = 6;
/// Words between "from"/"to" and a figure that hedge it without changing the pattern.
const HEDGES: &[&str] = &[
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "some",
    "approximately",
    "just",
    "over",
    "under",
    "more",
    "less",
    "than",
];
/// Where a streamed run hands its comparisons, a batch at a time (it empties each).
pub(crate) type ComparisonBatches<'e> = dyn FnMut(&mut Vec<Comparison>) + 'e;
/// Comparisons a streamed run holds before handing them out.
const COMPARISON_BATCH: usize = 4096;
/// Relative difference from which two figures disagree (rounding and "about" stay below).
const VALUE_TOLERANCE: f64 = 0.1;
/// Representatives of one story group compared pairwise; a larger group compares each member
/// with its earliest one only, so a huge group stays linear.
const MAX_PAIRWISE_GROUP: usize = 32;

fn data_lines(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty())
}

struct Lexicons {
    measures: Vec<(&'static str, Vec<&'static str>)>,
    denial: Vec<&'static str>,
    change: BTreeSet<&'static str>,
    status: Vec<(&'static str, &'static str)>,
}

fn lexicons() -> &'static Lexicons {
    static CELL: std::sync::OnceLock<Lexicons> = std::sync::OnceLock::new();
    CELL.get_or_init(|| Lexicons {
        measures: data_lines(MEASURES_SRC)
            .filter_map(|l| {
                let (name, words) = l.split_once(':')?;
                Some((name.trim(), words.split_whitespace().collect()))
            })
            .collect(),
        denial: data_lines(DENIAL_SRC).collect(),
        change: data_lines(CHANGE_SRC).collect(),
        status: data_lines(STATUS_SRC).filter_map(|l| l.split_once(':').map(|(w, s)| (w.trim(), s.trim()))).collect(),
    })
}

/// Where a claim stands in its document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClaimEvidence {
    pub doc: String,
    /// The sentence, char offsets into the document text.
    pub span: Span,
    pub text: String,
}

/// One numeric claim: a figure for a measure, said by a source in a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericClaim {
    /// `N` + 12 hex digits over document, measure and the figure's span.
    pub id: String,
    pub measure: String,
    pub value: f64,
    pub unit: String,
    /// The figure as written.
    pub figure: String,
    pub figure_span: Span,
    pub approximate: bool,
    /// Who the document credits, or `None` when it asserts the figure itself.
    pub source: Option<String>,
    /// The sentence describes a change and this figure is its `before` or `after`.
    pub change: Option<ChangeRole>,
    pub date: Option<String>,
    pub evidence: ClaimEvidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeRole {
    Before,
    After,
}

/// Claims of one measure with the same figure: who says it, how independently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimCluster {
    /// `K` + 12 hex digits over the measure, unit, value and member claim ids.
    pub id: String,
    pub measure: String,
    pub value: f64,
    pub unit: String,
    pub claims: Vec<String>,
    pub documents: Vec<String>,
    /// Documents counted once per wording group (copies and rewrites are one source).
    pub independent_sources: usize,
    /// The earliest document (by date, then id) carrying the figure.
    pub first_reported: String,
}

/// Whether the two sides of a comparison come from one document or from two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    #[default]
    AcrossDocuments,
    /// One document reports both sides ("officials said 12 died; a hospital said 19").
    InDocument,
}

impl Scope {
    pub fn as_str(&self) -> &'static str {
        match self {
            Scope::AcrossDocuments => "across-documents",
            Scope::InDocument => "in-document",
        }
    }
    pub fn parse(s: &str) -> Option<Scope> {
        [Scope::AcrossDocuments, Scope::InDocument].into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Same event, same time, incompatible statements.
    Contradiction,
    /// A figure or status that changed between earlier and later reports.
    ChangeOverTime,
    /// Independent documents saying the same thing.
    Agreement,
}

impl Verdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Contradiction => "contradiction",
            Verdict::ChangeOverTime => "change-over-time",
            Verdict::Agreement => "agreement",
        }
    }
    pub fn parse(s: &str) -> Option<Verdict> {
        [Verdict::Contradiction, Verdict::ChangeOverTime, Verdict::Agreement].into_iter().find(|v| v.as_str() == s)
    }
}

/// Two pieces of evidence, side by side, with what they mean together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// `X` + 12 hex digits over kind, subject and both evidences.
    pub id: String,
    pub verdict: Verdict,
    /// `numbers`, `status`, `actor` (who did it) or `date` (when the same event happened).
    pub kind: String,
    /// Both sides from one document, or from two.
    #[serde(default)]
    pub scope: Scope,
    /// What is compared: a measure, or a person's status.
    pub subject: String,
    pub left: String,
    pub right: String,
    pub reason: String,
    /// 0–1: how sure the rule is of the verdict (not of the facts).
    pub confidence: f64,
    pub left_evidence: ClaimEvidence,
    pub right_evidence: ClaimEvidence,
}

/// A person's status as one document reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusClaim {
    pub person: String,
    /// `killed`, `wounded` or `dead` ("the late …").
    pub status: String,
    pub date: Option<String>,
    pub evidence: ClaimEvidence,
}

/// A statement that someone denies something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Denial {
    pub id: String,
    pub source: String,
    pub cue: String,
    pub content: String,
    pub evidence: ClaimEvidence,
    /// The sentence of another document of the same story that best matches what is denied.
    pub counterpart: Option<ClaimEvidence>,
}

/// Everything this module finds in a corpus.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ClaimAnalysis {
    pub claims: Vec<NumericClaim>,
    pub clusters: Vec<ClaimCluster>,
    pub comparisons: Vec<Comparison>,
    pub statuses: Vec<StatusClaim>,
    pub denials: Vec<Denial>,
    /// Subject–predicate–object claims with their attribution chains.
    #[serde(default)]
    pub statements: Vec<Statement>,
    /// Statements that say the same thing, with independent-source counts.
    #[serde(default)]
    pub statement_clusters: Vec<StatementCluster>,
}

fn short_id(prefix: char, parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update(b"\x1f");
    }
    format!("{prefix}{}", &hasher.finalize().to_hex()[..12])
}

/// Sentences of a text as char spans, with their byte ranges.
fn sentence_spans(text: &str) -> Vec<(std::ops::Range<usize>, Span)> {
    let map = crosscheck_text::CharMap::new(text);
    crosscheck_text::sentences(text).into_iter().map(|r| (r.clone(), map.span(r.start, r.end))).collect()
}

/// `"7,000"` → 7000; `None` for anything else than digits with thousands commas or a decimal.
fn parse_bare_number(token: &str) -> Option<f64> {
    let cleaned: String = token.chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    cleaned.parse().ok()
}

/// The measure named within [`MEASURE_WINDOW`] words of word index `at`, never past the next
/// figure `next_figure` unless only a range word stands between them ("between 40 and 60
/// missing"): in "two helicopters and 400 soldiers" the soldiers are the 400. A participle just
/// before the figure first, then after the figure ("12 people were killed", "40 were missing"), where English puts what is counted, then
/// before it ("the toll rose to 19", "reduced its forces from 7000 to 700").
fn measure_near(words: &[String], at: usize, next_figure: Option<usize>) -> Option<&'static str> {
    let lex = lexicons();
    let measure_of = |i: usize| {
        lex.measures.iter().find(|(_, cues)| cues.iter().any(|c| words[i].starts_with(c))).map(|(name, _)| *name)
    };
    // A participle right before the figure governs it: "killing 23 people and injuring 17".
    let governing = (at.saturating_sub(2)..at).rev().find_map(measure_of);
    let mut end = words.len().min(at + 1 + MEASURE_WINDOW);
    if let Some(next) = next_figure.filter(|&next| next > at + 2) {
        end = end.min(next);
    }
    let after = || (at + 1..end).find_map(measure_of);
    governing.or_else(after).or_else(|| (at.saturating_sub(MEASURE_WINDOW)..at).rev().find_map(measure_of))
}

/// Byte ranges of numerals in `s`: digits with optional thousands commas and a decimal part
/// ("7,000", "1.5"), not glued to letters ("F-16", "COVID19").
fn numerals(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'-')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        // ",ddd" groups and one ".d+" part
        while i + 3 < b.len() && b[i] == b',' && b[i + 1..i + 4].iter().all(u8::is_ascii_digit) {
            i += 4;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        if i < b.len() && b[i].is_ascii_alphabetic() {
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            continue;
        }
        out.push((start, i));
    }
    out
}

/// The measure named by word `i` itself.
fn measure_at(words: &[String], i: usize) -> Option<&'static str> {
    let w = words.get(i)?;
    lexicons().measures.iter().find(|(_, cues)| cues.iter().any(|c| w.starts_with(c))).map(|(name, _)| *name)
}

/// "seven of the dead", "two of them": a part of a figure, not a figure of its own.
fn is_partitive(words: &[String], at: usize) -> bool {
    words.get(at + 1).is_some_and(|w| w == "of")
}

fn is_currency(unit: &str) -> bool {
    unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase())
}

/// A figure in a sentence: value, unit, text, span, approximate, word index, what it counts.
type Figure = (f64, String, String, Span, bool, usize, Option<String>);

/// The numeric claims of one document.
fn document_claims(x: &Extraction) -> Vec<NumericClaim> {
    let lex = lexicons();
    let mut out = Vec::new();
    let map = crosscheck_text::CharMap::new(&x.text);
    for (bytes, span) in sentence_spans(&x.text) {
        let sentence = &x.text[bytes.clone()];
        let tokens: Vec<crosscheck_text::Word<'_>> = crosscheck_text::words(sentence).collect();
        let lower: Vec<String> = tokens.iter().map(|w| w.text.to_lowercase()).collect();
        let char_of = |byte_in_sentence: usize| map.char_offset(bytes.start + byte_in_sentence);
        let word_at_char = |c: usize| tokens.iter().position(|w| char_of(w.start) >= c).unwrap_or(tokens.len());
        let mut figures: Vec<Figure> = Vec::new();
        for q in &x.quantities {
            if q.span.start < span.start || q.span.end > span.end || !q.value.is_finite() {
                continue;
            }
            if q.unit == "persons" || q.unit == "items" || is_currency(&q.unit) {
                let at = word_at_char(q.span.start);
                figures.push((q.value, q.unit.clone(), q.text.clone(), q.span, q.approximate, at, q.about.clone()));
            }
        }
        // Bare figures the extractor left alone ("from 7000 to 700").
        for (b_start, b_end) in numerals(sentence) {
            let start = char_of(b_start);
            if figures.iter().any(|f| f.3.start <= start && start < f.3.end)
                || x.quantities.iter().any(|q| q.span.start <= start && start < q.span.end)
                || x.dates.iter().any(|d| d.span.start <= start && start < d.span.end)
            {
                continue;
            }
            let numeral = &sentence[b_start..b_end];
            let Some(value) = parse_bare_number(numeral) else { continue };
            let looks_like_year = !numeral.contains(',') && numeral.len() == 4 && (1800.0..=2100.0).contains(&value);
            if value < 2.0 || looks_like_year || sentence[b_end..].starts_with('%') {
                continue;
            }
            let at = tokens.iter().position(|w| w.start >= b_start).unwrap_or(tokens.len());
            figures.push((
                value,
                "persons".into(),
                numeral.to_string(),
                Span::new(start, char_of(b_end)),
                false,
                at,
                None,
            ));
        }
        let is_change = lower.iter().any(|w| lex.change.contains(w.as_str()));
        let sentence_source = x
            .attributions
            .iter()
            .find(|a| a.span.start < span.end && a.span.end > span.start)
            .map(|a| a.source.clone());
        // A figure inside an attribution belongs to that source: "officials said 12 died; a
        // hospital said 19" credits each figure to its own speaker.
        let source_of = |figure: Span| {
            x.attributions
                .iter()
                .map(|a| (extent(a), a))
                .filter(|(e, _)| e.start <= figure.start && figure.end <= e.end)
                .min_by_key(|(e, _)| e.len())
                .map(|(_, a)| a)
                .map(|a| a.source.clone())
                .or_else(|| sentence_source.clone())
        };
        let change_pair = if is_change {
            // "from X to Y": the figure after "from" is before, the one after "to" is after.
            let from_to: Vec<(usize, ChangeRole)> = figures
                .iter()
                .enumerate()
                .filter_map(|(n, f)| {
                    // "from about $1.2 billion to nearly $800 million": skip hedges.
                    let prev = (1..=3)
                        .filter_map(|back| f.5.checked_sub(back).and_then(|p| lower.get(p)))
                        .find(|w| !HEDGES.contains(&w.as_str()))?;
                    match prev.as_str() {
                        "from" => Some((n, ChangeRole::Before)),
                        "to" => Some((n, ChangeRole::After)),
                        _ => None,
                    }
                })
                .collect();
            let has_both =
                from_to.iter().any(|f| f.1 == ChangeRole::Before) && from_to.iter().any(|f| f.1 == ChangeRole::After);
            if has_both {
                from_to
            } else {
                Vec::new()
            }
        } else {
            Vec::new()
        };
        for (n, (value, unit, figure, fspan, approximate, at, _about)) in figures.iter().enumerate() {
            // Money is one measure per currency: what an amount is for is worded too differently
            // across outlets to key on, and lead figures keep unrelated amounts apart.
            let measure = if is_currency(unit) {
                format!("money ({unit})")
            } else if is_partitive(&lower, *at) {
                continue;
            } else {
                // In "cut the workforce planned for its plant from 2,500 to 1,400" the measure
                // sits further back, at the change verb's object.
                let in_change = change_pair.iter().any(|c| c.0 == n);
                let next_figure = figures.iter().map(|f| f.5).filter(|&other| other > *at).min();
                let found = measure_near(&lower, *at, next_figure).or_else(|| {
                    if in_change {
                        let from = at.saturating_sub(3 * MEASURE_WINDOW);
                        (from..*at).rev().find_map(|i| measure_at(&lower, i))
                    } else {
                        None
                    }
                });
                match found {
                    Some(m) => m.to_string(),
                    None => continue,
                }
            };
            let change = change_pair.iter().find(|c| c.0 == n).map(|c| c.1);
            out.push(NumericClaim {
                id: short_id('N', &[&x.id, &measure, &fspan.start.to_string(), &fspan.end.to_string()]),
                measure,
                value: *value,
                unit: if is_currency(unit) { unit.clone() } else { "count".into() },
                figure: figure.clone(),
                figure_span: *fspan,
                approximate: *approximate,
                source: source_of(*fspan),
                change,
                date: x.date.clone(),
                evidence: ClaimEvidence { doc: x.id.clone(), span, text: one_line(sentence) },
            });
        }
    }
    out
}

/// What an attribution itself covers: its source and content (its `span` is often the whole
/// sentence, shared by two speakers of one sentence).
fn extent(a: &crosscheck_model::Attribution) -> Span {
    match (a.source_span, a.content_span) {
        (Some(s), Some(c)) => Span::new(s.start.min(c.start), s.end.max(c.end)),
        _ => a.span,
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Groups of documents whose members count as one source: components of the wording links
/// (pairs of a group whose shingle similarity reaches `wording_threshold`).
pub(crate) fn wording_units(groups: &[DuplicateGroup], wording_threshold: f64) -> HashMap<String, String> {
    let mut parent: HashMap<String, String> = HashMap::new();
    fn root(parent: &mut HashMap<String, String>, x: &str) -> String {
        let mut cur = x.to_string();
        while let Some(p) = parent.get(&cur) {
            if *p == cur {
                break;
            }
            cur = p.clone();
        }
        cur
    }
    for g in groups {
        for (a, b, similarity) in &g.pairs {
            if *similarity >= wording_threshold {
                parent.entry(a.clone()).or_insert_with(|| a.clone());
                parent.entry(b.clone()).or_insert_with(|| b.clone());
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                if ra != rb {
                    let (keep, drop) = if ra < rb { (ra, rb) } else { (rb, ra) };
                    parent.insert(drop, keep);
                }
            }
        }
    }
    let keys: Vec<String> = parent.keys().cloned().collect();
    keys.into_iter().map(|k| (k.clone(), root(&mut parent, &k))).collect()
}

fn differ(a: f64, b: f64) -> bool {
    let scale = a.abs().max(b.abs());
    scale > 0.0 && (a - b).abs() / scale > VALUE_TOLERANCE
}

fn fmt_value(v: f64) -> String {
    crosscheck_text::format_number(v)
}

/// Entity keys named inside a span of a document.
/// News outlets are left out: a wire service named in two datelines does not make two
/// figures about the same thing.
fn entities_in(x: &Extraction, span: Span) -> BTreeSet<String> {
    let no_corpus_outlets = BTreeSet::new();
    x.entities
        .iter()
        .filter(|e| e.mentions.iter().any(|m| m.start >= span.start && m.end <= span.end))
        .map(|e| crosscheck_text::normalize_key(&e.name))
        .filter(|key| !crate::sources::names_outlet(key, &no_corpus_outlets))
        .collect()
}

/// Places named inside a span of a document.
fn places_in(x: &Extraction, span: Span) -> BTreeSet<String> {
    x.entities
        .iter()
        .filter(|e| e.kind == crosscheck_model::EntityType::Location)
        .filter(|e| e.mentions.iter().any(|m| m.start >= span.start && m.end <= span.end))
        .map(|e| crosscheck_text::normalize_key(&e.name))
        .collect()
}

/// Claims, clusters, comparisons, statuses and denials of a corpus. `groups` are the story
/// groups; `wording_threshold` is the shingle similarity from which two members are copies
/// (they then count as one source). Resolves entities itself; see [`analyze_claims_with`].
pub fn analyze_claims(extractions: &[Extraction], groups: &[DuplicateGroup], wording_threshold: f64) -> ClaimAnalysis {
    let entities = crate::entities::resolve_entities(extractions);
    analyze_claims_with(extractions, groups, wording_threshold, &entities)
}

/// [`analyze_claims`] with the corpus entities already resolved (they key the subjects and
/// objects of statements).
pub fn analyze_claims_with(
    extractions: &[Extraction],
    groups: &[DuplicateGroup],
    wording_threshold: f64,
    entities: &[CorpusEntity],
) -> ClaimAnalysis {
    let corpus_outlets = crate::sources::corpus_outlets(extractions.iter().map(|x| x.outlet.as_deref()));
    let mut pass = ClaimsPass::new(groups, wording_threshold, entities, &corpus_outlets);
    for x in extractions {
        pass.add(x);
    }
    let by_id: HashMap<&str, &Extraction> = extractions.iter().map(|x| (x.id.as_str(), x)).collect();
    for (doc, denials) in pass.counterpart_requests() {
        if let Some(x) = by_id.get(doc.as_str()) {
            pass.add_counterpart_text(&doc, &x.text, &denials);
        }
    }
    pass.finish()
}

/// What number comparisons need of a document with numeric claims, kept in place of its
/// extraction so that a corpus is compared without holding its texts.
struct ClaimDocument {
    date: Option<String>,
    outlet: Option<String>,
    /// Places named anywhere in the document.
    places: KeySet,
    /// Per sentence holding a claim: the entity keys (outlets left out) and the places named
    /// inside it.
    sentences: Vec<(Span, KeySet, KeySet)>,
}

/// A small sorted set of keys held for a whole link run: a vector of boxed keys, not a B-tree (whose
/// first node alone takes a few hundred bytes).
#[derive(Debug, Default)]
struct KeySet(Vec<Box<str>>);

impl KeySet {
    fn from_set(set: BTreeSet<String>) -> KeySet {
        KeySet(set.into_iter().map(String::into_boxed_str).collect())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|k| &**k)
    }

    /// Keys both sets hold (both are sorted and unique).
    fn shared(&self, other: &KeySet) -> usize {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].cmp(&other.0[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    fn is_disjoint(&self, other: &KeySet) -> bool {
        self.shared(other) == 0
    }
}

static NO_KEYS: KeySet = KeySet(Vec::new());

impl ClaimDocument {
    fn of(x: &Extraction, claims: &[NumericClaim]) -> ClaimDocument {
        let mut sentences: Vec<(Span, KeySet, KeySet)> = Vec::new();
        for c in claims {
            let span = c.evidence.span;
            if !sentences.iter().any(|(s, ..)| *s == span) {
                sentences.push((span, KeySet::from_set(entities_in(x, span)), KeySet::from_set(places_in(x, span))));
            }
        }
        ClaimDocument {
            date: x.date.clone(),
            outlet: x.outlet.clone(),
            places: KeySet::from_set(places_in(x, Span::new(0, usize::MAX))),
            sentences,
        }
    }

    /// Entity keys named inside a claim's sentence.
    fn entities_in(&self, sentence: Span) -> &KeySet {
        self.sentences.iter().find(|(s, ..)| *s == sentence).map_or(&NO_KEYS, |(_, keys, _)| keys)
    }

    /// Places named inside a claim's sentence.
    fn places_in(&self, sentence: Span) -> &KeySet {
        self.sentences.iter().find(|(s, ..)| *s == sentence).map_or(&NO_KEYS, |(_, _, places)| places)
    }
}

/// The claims side of a link run, one document at a time: [`ClaimsPass::add`] reads what it
/// needs of an extraction and keeps compact records (claims, statements, statuses, denials,
/// per-document places and entity keys), so the caller may drop each extraction (or stream
/// them from a store); then [`ClaimsPass::counterpart_requests`] names the few documents whose
/// text the denials' counterparts need, and [`ClaimsPass::finish`] clusters and compares.
/// Documents must be added in one fixed order: ties in the results follow it.
pub(crate) struct ClaimsPass<'a> {
    index: statements::EntityIndex<'a>,
    corpus_outlets: &'a BTreeSet<String>,
    group_of: HashMap<&'a str, &'a str>,
    members_of: HashMap<&'a str, &'a [String]>,
    units: HashMap<String, String>,
    /// Each story group's original (earliest, else the longest common source).
    canonical: BTreeSet<&'a str>,
    added: usize,
    claims: Vec<NumericClaim>,
    claim_documents: HashMap<String, ClaimDocument>,
    /// Per wording unit, the member standing for it: canonical first, then the first added.
    unit_representative: HashMap<String, (bool, usize, String)>,
    /// Group members added (denial counterparts are searched among them only).
    grouped_added: HashSet<String>,
    statuses: Vec<StatusClaim>,
    denials: Vec<Denial>,
    /// Per denial, the content words of what is denied, and the best counterpart so far with
    /// the number of words it shares.
    denied_words: Vec<BTreeSet<String>>,
    counterparts: Vec<Option<(usize, ClaimEvidence)>>,
    /// Every statement; in a streamed run (see [`ClaimsPass::add_streamed`]) only those of
    /// [`ClaimsPass::contradiction_statement_ids`], read back.
    statements: Vec<Statement>,
    streamed: bool,
    /// A streamed run's statements that a contradiction rule looks at: their ids, and per
    /// bucket they fall in `(bucket, variant, index into the ids)` (see
    /// [`statements::contradiction_buckets`]).
    candidate_ids: Vec<String>,
    candidate_buckets: Vec<(u64, u64, usize)>,
}

/// What a streamed link run needs after [`ClaimsPass::finish`] to cluster statements it read
/// back: stories, wording units and originals.
pub(crate) struct StatementClusterer<'a> {
    group_of: HashMap<&'a str, &'a str>,
    units: HashMap<String, String>,
    canonical: BTreeSet<&'a str>,
}

impl StatementClusterer<'_> {
    /// The cluster of statements sharing one cluster id (a kept statement before its repeats).
    pub(crate) fn cluster(&self, members: &[&Statement]) -> Option<StatementCluster> {
        let story_of = |doc: &str| self.group_of.get(doc).map_or_else(|| doc.to_string(), |g| (*g).to_string());
        let unit_of = |doc: &str| self.units.get(doc).cloned().unwrap_or_else(|| doc.to_string());
        let is_canonical = |doc: &str| self.canonical.contains(doc);
        statements::statement_cluster(members, &unit_of, &story_of, &is_canonical)
    }
}

impl<'a> ClaimsPass<'a> {
    pub(crate) fn new(
        groups: &'a [DuplicateGroup],
        wording_threshold: f64,
        entities: &'a [CorpusEntity],
        corpus_outlets: &'a BTreeSet<String>,
    ) -> ClaimsPass<'a> {
        ClaimsPass {
            index: statements::EntityIndex::new(entities),
            corpus_outlets,
            group_of: groups.iter().flat_map(|g| g.members.iter().map(move |m| (m.as_str(), g.id.as_str()))).collect(),
            members_of: groups
                .iter()
                .flat_map(|g| g.members.iter().map(move |m| (m.as_str(), g.members.as_slice())))
                .collect(),
            units: wording_units(groups, wording_threshold),
            canonical: groups.iter().map(|g| g.canonical.as_str()).collect(),
            added: 0,
            claims: Vec::new(),
            claim_documents: HashMap::new(),
            unit_representative: HashMap::new(),
            grouped_added: HashSet::new(),
            statuses: Vec::new(),
            denials: Vec::new(),
            denied_words: Vec::new(),
            counterparts: Vec::new(),
            statements: Vec::new(),
            streamed: false,
            candidate_ids: Vec::new(),
            candidate_buckets: Vec::new(),
        }
    }

    fn same_story(&self, a: &str, b: &str) -> bool {
        a == b || matches!((self.group_of.get(a), self.group_of.get(b)), (Some(x), Some(y)) if x == y)
    }

    /// Reads one document; the extraction is not kept.
    pub(crate) fn add(&mut self, x: &Extraction) {
        self.add_claims(x);
        self.statements.extend(statements::document_statements(x, &self.index, self.corpus_outlets));
    }

    /// [`ClaimsPass::add`] for a run that stores statements as it goes: returns the document's
    /// statements with their cluster ids, sorted and each id once, and the repeats of a kept id
    /// (they count in their cluster but are not stored); keeps only the few statements
    /// contradictions are looked for in. `index` keys the document's phrases to corpus
    /// entities. Documents must come in id order for the stored order to be the corpus's.
    pub(crate) fn add_streamed(
        &mut self,
        x: &Extraction,
        index: &dyn statements::EntityLookup,
    ) -> (Vec<Statement>, Vec<Statement>) {
        self.streamed = true;
        self.add_claims(x);
        let found = statements::document_statements(x, index, self.corpus_outlets);
        let group_of = &self.group_of;
        let story_of = |doc: &str| group_of.get(doc).map_or_else(|| doc.to_string(), |g| (*g).to_string());
        let (kept, repeats) = statements::document_statements_clustered(found, &story_of);
        for s in &kept {
            let buckets = statements::contradiction_buckets(s, &story_of(&s.evidence.doc));
            if !buckets.is_empty() {
                let at = self.candidate_ids.len();
                self.candidate_ids.push(s.id.clone());
                self.candidate_buckets.extend(buckets.into_iter().map(|(bucket, variant)| (bucket, variant, at)));
            }
        }
        (kept, repeats)
    }

    /// The ids of a streamed run's statements that may take part in a contradiction (those
    /// in a bucket with two variants), sorted; hand them back with
    /// [`ClaimsPass::set_contradiction_statements`] before [`ClaimsPass::finish`].
    pub(crate) fn contradiction_statement_ids(&mut self) -> Vec<String> {
        let mut buckets = std::mem::take(&mut self.candidate_buckets);
        buckets.sort_unstable();
        let mut wanted: Vec<usize> = Vec::new();
        for run in buckets.chunk_by(|a, b| a.0 == b.0) {
            if run.iter().any(|c| c.1 != run[0].1) {
                wanted.extend(run.iter().map(|c| c.2));
            }
        }
        let ids = std::mem::take(&mut self.candidate_ids);
        let mut out: Vec<String> = wanted.into_iter().filter_map(|i| ids.get(i).cloned()).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The statements of [`ClaimsPass::contradiction_statement_ids`], read back.
    pub(crate) fn set_contradiction_statements(&mut self, statements: Vec<Statement>) {
        self.statements = statements;
    }

    /// Everything of a document but its statements.
    fn add_claims(&mut self, x: &Extraction) {
        let position = self.added;
        self.added += 1;
        if let Some(unit) = self.units.get(&x.id) {
            let candidate = (!self.canonical.contains(x.id.as_str()), position, x.id.clone());
            match self.unit_representative.get(unit) {
                Some(current) if (current.0, current.1) <= (candidate.0, candidate.1) => {}
                _ => {
                    self.unit_representative.insert(unit.clone(), candidate);
                }
            }
        }
        if self.group_of.contains_key(x.id.as_str()) {
            self.grouped_added.insert(x.id.clone());
        }
        let claims = document_claims(x);
        if !claims.is_empty() {
            self.claim_documents.insert(x.id.clone(), ClaimDocument::of(x, &claims));
            self.claims.extend(claims);
        }
        self.statuses.extend(document_statuses(x));
        for (denial, words) in document_denials(x) {
            self.denials.push(denial);
            self.denied_words.push(words);
            self.counterparts.push(None);
        }
    }

    /// The documents whose text the denials' counterparts are searched in, each with the
    /// denials (by position) that search it: the other members of the denying document's
    /// story group, the first [`MAX_PAIRWISE_GROUP`] of a huge one, never the whole corpus.
    pub(crate) fn counterpart_requests(&self) -> BTreeMap<String, Vec<usize>> {
        let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (n, denial) in self.denials.iter().enumerate() {
            let doc = denial.evidence.doc.as_str();
            let members = self.members_of.get(doc).copied().unwrap_or_default();
            for m in members
                .iter()
                .filter(|m| self.grouped_added.contains(m.as_str()))
                .filter(|m| m.as_str() != doc && self.same_story(doc, m))
                .take(MAX_PAIRWISE_GROUP)
            {
                out.entry(m.clone()).or_default().push(n);
            }
        }
        out
    }

    /// The text of a document [`ClaimsPass::counterpart_requests`] named, for `denials`: each
    /// keeps the sentence sharing most of its content words (at least 2; ties: the smaller
    /// document id, then the earlier sentence), whatever order documents come in.
    pub(crate) fn add_counterpart_text(&mut self, doc: &str, text: &str, denials: &[usize]) {
        let sentences: Vec<(BTreeSet<String>, std::ops::Range<usize>, Span)> = sentence_spans(text)
            .into_iter()
            .map(|(bytes, span)| (crosscheck_text::content_words(&text[bytes.clone()]), bytes, span))
            .collect();
        for &n in denials {
            let (Some(wanted), Some(best)) = (self.denied_words.get(n), self.counterparts.get_mut(n)) else { continue };
            for (words, bytes, span) in &sentences {
                let shared = wanted.intersection(words).count();
                let better = match best {
                    None => shared >= 2,
                    Some((k, evidence)) => shared > *k || shared == *k && doc < evidence.doc.as_str(),
                };
                if better {
                    *best = Some((
                        shared,
                        ClaimEvidence { doc: doc.to_string(), span: *span, text: one_line(&text[bytes.clone()]) },
                    ));
                }
            }
        }
    }

    /// Clusters, compares and returns everything found.
    pub(crate) fn finish(self) -> ClaimAnalysis {
        self.finish_with_clusterer(None).0
    }

    /// [`ClaimsPass::finish`], and what clusters statements read back after a streamed run
    /// (whose analysis then holds no statements or statement clusters: they were handed out).
    /// With `emit`, comparisons are handed to it in batches as they are found (unsorted, an id
    /// possibly twice with the same content; it empties each batch) and the analysis holds none.
    pub(crate) fn finish_with_clusterer(
        self,
        mut emit: Option<&mut ComparisonBatches<'_>>,
    ) -> (ClaimAnalysis, StatementClusterer<'a>) {
        let ClaimsPass {
            group_of,
            units,
            canonical,
            claim_documents,
            unit_representative,
            mut claims,
            mut statuses,
            mut denials,
            counterparts,
            statements,
            streamed,
            ..
        } = self;
        let same_story =
            |a: &str, b: &str| a == b || matches!((group_of.get(a), group_of.get(b)), (Some(x), Some(y)) if x == y);
        let story_of = |doc: &str| group_of.get(doc).map_or_else(|| doc.to_string(), |g| (*g).to_string());
        let unit_of = |doc: &str| units.get(doc).cloned().unwrap_or_else(|| doc.to_string());
        let date_of = |doc: &str| claim_documents.get(doc).and_then(|x| x.date.clone());
        for (denial, counterpart) in denials.iter_mut().zip(counterparts) {
            denial.counterpart = counterpart.map(|(_, evidence)| evidence);
        }
        statuses.sort_by(|a, b| (&a.person, &a.evidence).cmp(&(&b.person, &b.evidence)));
        statuses.dedup_by(|a, b| a.person == b.person && a.status == b.status && a.evidence == b.evidence);

        claims.sort_by(|a, b| {
            (&a.measure, &a.evidence.doc, a.figure_span).cmp(&(&b.measure, &b.evidence.doc, b.figure_span))
        });
        // Clusters: one story, same measure and unit, values within tolerance of the bucket's
        // smallest (19 dead in a flood and 19 dead in a ferry sinking are not one claim).
        let mut clusters: Vec<ClaimCluster> = Vec::new();
        let mut by_measure: BTreeMap<(&str, &str), Vec<&NumericClaim>> = BTreeMap::new();
        // Keyed by borrowed names: a million claims, a million fewer strings.
        let mut by_story_measure: BTreeMap<(&str, &str, &str), Vec<&NumericClaim>> = BTreeMap::new();
        for c in &claims {
            by_measure.entry((c.measure.as_str(), c.unit.as_str())).or_default().push(c);
            let doc = c.evidence.doc.as_str();
            let story = group_of.get(doc).copied().unwrap_or(doc);
            by_story_measure.entry((story, c.measure.as_str(), c.unit.as_str())).or_default().push(c);
        }
        for ((story, measure, unit), members) in &by_story_measure {
            let mut sorted: Vec<&NumericClaim> = members.clone();
            sorted.sort_by(|a, b| a.value.total_cmp(&b.value).then_with(|| a.id.cmp(&b.id)));
            let mut buckets: Vec<Vec<&NumericClaim>> = Vec::new();
            for c in sorted {
                match buckets.last_mut() {
                    Some(b) if !differ(b[0].value, c.value) => b.push(c),
                    _ => buckets.push(vec![c]),
                }
            }
            for b in buckets {
                let documents: BTreeSet<&str> = b.iter().map(|c| c.evidence.doc.as_str()).collect();
                let independent: BTreeSet<String> = documents.iter().map(|d| unit_of(d)).collect();
                let first = documents
                    .iter()
                    // Same day: the group's original before its copies, as for statements.
                    .min_by_key(|d| (date_of(d).is_none(), date_of(d), !canonical.contains(**d), **d))
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                let mut ids: Vec<String> = b.iter().map(|c| c.id.clone()).collect();
                ids.sort();
                clusters.push(ClaimCluster {
                    // The key, not the members: a cluster keeps its id as reports join it.
                    id: short_id('K', &[story, measure, unit, &fmt_value(b[0].value)]),
                    measure: measure.to_string(),
                    value: b[0].value,
                    unit: unit.to_string(),
                    claims: ids,
                    documents: documents.iter().map(|d| d.to_string()).collect(),
                    independent_sources: independent.len(),
                    first_reported: first,
                });
            }
        }
        clusters.sort_by(|a, b| b.independent_sources.cmp(&a.independent_sources).then_with(|| a.id.cmp(&b.id)));

        // One representative document per wording unit (copies repeat their original's figures).
        let is_representative = |doc: &str| match units.get(doc) {
            None => true,
            Some(unit) => unit_representative.get(unit).is_some_and(|r| r.2 == doc),
        };
        let time_key = |doc: &str| (date_of(doc).is_none(), date_of(doc), doc.to_string());
        let mut comparisons = Vec::new();
        for members in by_measure.values() {
            let mut by_doc: BTreeMap<&str, Vec<&NumericClaim>> = BTreeMap::new();
            for c in members.iter().filter(|c| is_representative(c.evidence.doc.as_str())) {
                by_doc.entry(c.evidence.doc.as_str()).or_default().push(c);
            }
            comparisons.extend(by_doc.values().flat_map(|cs| in_document_numbers(cs)));
            let mut compare = |da: &str, db: &str| {
                let (Some(xa), Some(xb)) = (claim_documents.get(da), claim_documents.get(db)) else { return };
                let (Some(a), Some(b)) = (lead_figure(&by_doc[da]), lead_figure(&by_doc[db])) else { return };
                if differ(a.value, b.value) {
                    if let Some(cmp) = compare_numbers(a, b, xa, xb, same_story(da, db)) {
                        comparisons.push(cmp);
                    }
                }
            };
            // Same story: every pair of a small group, else each member against the earliest.
            let mut by_story: BTreeMap<String, Vec<&str>> = BTreeMap::new();
            for d in by_doc.keys() {
                by_story.entry(story_of(d)).or_default().push(d);
            }
            for docs in by_story.values_mut() {
                // Each key made once, not once per comparison (it clones the date and id).
                docs.sort_by_cached_key(|d| time_key(d));
                if docs.len() <= MAX_PAIRWISE_GROUP {
                    for (i, da) in docs.iter().enumerate() {
                        for db in &docs[i + 1..] {
                            compare(da, db);
                        }
                    }
                } else {
                    for db in &docs[1..] {
                        compare(docs[0], db);
                    }
                }
            }
            // Different stories: neighbours in time among documents naming the same entity in the
            // figure's sentence (a change over time is a sequence of reports).
            let mut by_entity: BTreeMap<String, BTreeSet<(bool, Option<String>, String)>> = BTreeMap::new();
            for (d, cs) in &by_doc {
                let (Some(x), Some(lead)) = (claim_documents.get(*d), lead_figure(cs)) else { continue };
                for key in x.entities_in(lead.evidence.span).iter() {
                    by_entity.entry(key.to_string()).or_default().insert(time_key(d));
                }
            }
            for docs in by_entity.values() {
                let docs: Vec<&String> = docs.iter().map(|k| &k.2).collect();
                for pair in docs.windows(2) {
                    if !same_story(pair[0], pair[1]) {
                        compare(pair[0], pair[1]);
                    }
                }
            }
            if let Some(emit) = emit.as_mut() {
                if comparisons.len() >= COMPARISON_BATCH {
                    emit(&mut comparisons);
                }
            }
        }

        comparisons.extend(compare_statuses(&statuses, &same_story, &story_of, &unit_of));
        let is_canonical = |doc: &str| canonical.contains(doc);
        let (statements, statement_clusters) = if streamed {
            // Only the statements of buckets with two variants were read back, in any order.
            let mut candidates = statements;
            candidates.sort_by(|a, b| {
                (&a.evidence.doc, a.evidence.span, &a.id).cmp(&(&b.evidence.doc, b.evidence.span, &b.id))
            });
            comparisons.extend(statements::statement_contradictions(&candidates, &story_of, &unit_of));
            (Vec::new(), Vec::new())
        } else {
            let (statements, statement_clusters) =
                statements::cluster_statements(statements, &unit_of, &story_of, &is_canonical);
            comparisons.extend(statements::statement_contradictions(&statements, &story_of, &unit_of));
            (statements, statement_clusters)
        };
        match emit {
            Some(emit) => {
                emit(&mut comparisons);
                comparisons.clear();
            }
            None => {
                comparisons.sort_by(|a, b| (a.verdict, &a.subject, &a.id).cmp(&(b.verdict, &b.subject, &b.id)));
                comparisons.dedup_by(|a, b| a.id == b.id);
            }
        }
        let analysis =
            ClaimAnalysis { claims, clusters, comparisons, statuses, denials, statements, statement_clusters };
        (analysis, StatementClusterer { group_of, units, canonical })
    }
}

/// The evidence of one side of an in-document comparison: its sentence, or just its figure
/// when both figures share a sentence (so the two spans differ).
fn side(c: &NumericClaim, other: &NumericClaim) -> ClaimEvidence {
    if c.evidence.span == other.evidence.span {
        ClaimEvidence { doc: c.evidence.doc.clone(), span: c.figure_span, text: c.figure.clone() }
    } else {
        c.evidence.clone()
    }
}

/// Figures of one measure in one document that different sources give differently: each
/// source's first figure against every other source's, outside any change the sentence
/// describes.
fn in_document_numbers(claims: &[&NumericClaim]) -> Vec<Comparison> {
    // Money is one measure per currency (see `numeric_claims`), so two amounts in one article
    // are nearly always for different things (an investment, the subsidy towards it, what the
    // county spent on the site), not two sources disagreeing on one figure.
    if claims.first().is_some_and(|c| is_currency(&c.unit)) {
        return Vec::new();
    }
    let mut lead_by_source: BTreeMap<String, &NumericClaim> = BTreeMap::new();
    for c in claims.iter().copied().filter(|c| c.change.is_none()) {
        let Some(source) = c.source.as_deref() else { continue };
        let key = crosscheck_text::normalize_key(source);
        match lead_by_source.get(&key) {
            Some(prev) if prev.figure_span <= c.figure_span => {}
            _ => {
                lead_by_source.insert(key, c);
            }
        }
    }
    let leads: Vec<&NumericClaim> = lead_by_source.into_values().take(MAX_PAIRWISE_GROUP).collect();
    let mut out = Vec::new();
    for (i, a) in leads.iter().enumerate() {
        for b in &leads[i + 1..] {
            if !differ(a.value, b.value) || a.evidence.span == b.evidence.span && a.figure_span == b.figure_span {
                continue;
            }
            let (a, b) = if a.figure_span <= b.figure_span { (a, b) } else { (b, a) };
            let who = |c: &NumericClaim| c.source.clone().unwrap_or_default();
            let subject = a.measure.clone();
            out.push(Comparison {
                id: short_id('X', &["numbers-in-document", &subject, &a.id, &b.id]),
                verdict: Verdict::Contradiction,
                kind: "numbers".into(),
                scope: Scope::InDocument,
                left: format!("{} in {} according to {}", fmt_value(a.value), a.evidence.doc, who(a)),
                right: format!("{} in {} according to {}", fmt_value(b.value), b.evidence.doc, who(b)),
                reason: format!(
                    "one document gives two figures for {subject} from different sources: {} says {}, {} says {}",
                    who(a),
                    fmt_value(a.value),
                    who(b),
                    fmt_value(b.value)
                ),
                subject,
                confidence: if a.approximate || b.approximate { 0.55 } else { 0.7 },
                left_evidence: side(a, b),
                right_evidence: side(b, a),
            });
        }
    }
    out
}

/// The figure a document leads with for a measure: its first one by position (news puts the
/// main figure first), or, when that is the "before" of a change it reports, the "after" (the
/// state the document asserts now). Later figures are usually parts, earlier counts or other
/// groups ("seven of the dead", "the national figure of 12"), so they are not compared.
fn lead_figure<'c>(claims: &[&'c NumericClaim]) -> Option<&'c NumericClaim> {
    let first = claims.iter().copied().min_by_key(|c| c.figure_span)?;
    if first.change == Some(ChangeRole::Before) {
        let after = claims
            .iter()
            .copied()
            .filter(|c| c.change == Some(ChangeRole::After) && c.evidence.span == first.evidence.span)
            .min_by_key(|c| c.figure_span);
        return after.or(Some(first));
    }
    Some(first)
}

fn compare_numbers(
    a: &NumericClaim,
    b: &NumericClaim,
    xa: &ClaimDocument,
    xb: &ClaimDocument,
    same_story: bool,
) -> Option<Comparison> {
    // Order the pair by date (undated last), then id, so "left" is the earlier report.
    let key = |c: &NumericClaim| (c.date.is_none(), c.date.clone(), c.evidence.doc.clone());
    let (a, b, xa, xb) = if key(a) <= key(b) { (a, b, xa, xb) } else { (b, a, xb, xa) };
    let describe = |c: &NumericClaim| {
        let by = c.source.as_deref().map(|s| format!(" according to {s}")).unwrap_or_default();
        let role = match c.change {
            Some(ChangeRole::Before) => " (before a change)",
            Some(ChangeRole::After) => " (after a change)",
            None => "",
        };
        format!("{}{} in {}{by}{role}", if c.approximate { "~" } else { "" }, fmt_value(c.value), c.evidence.doc)
    };
    let same_voice = a.source.is_some() && a.source == b.source || xa.outlet.is_some() && xa.outlet == xb.outlet;
    let dated_apart = matches!((&xa.date, &xb.date), (Some(da), Some(db)) if da != db);
    if same_story {
        // Figures for places the other report never names are about different events,
        // whatever the grouping ("2,048 cases in A" vs "1,571 in B").
        let (pa, pb) = (xa.places_in(a.evidence.span), xb.places_in(b.evidence.span));
        if !pa.is_empty() && !pb.is_empty() && pa.is_disjoint(&xb.places) && pb.is_disjoint(&xa.places) {
            return None;
        }
    }
    let (verdict, reason, confidence) = if same_story && dated_apart && same_voice {
        // One outlet (or one source) giving a new figure for its story on a later day is
        // updating it: a toll that rises, a force that shrinks.
        (
            Verdict::ChangeOverTime,
            format!(
                "{} → {} in later reports of the same story by the same source or outlet",
                fmt_value(a.value),
                fmt_value(b.value)
            ),
            0.7,
        )
    } else if same_story {
        // A figure that is the other's "before" is a baseline, not necessarily a contradiction.
        let changes: Vec<&NumericClaim> = [a, b].into_iter().filter(|c| c.change.is_some()).collect();
        if changes.len() == 2 && a.evidence.doc != b.evidence.doc {
            (Verdict::Contradiction, "both describe a change but give different figures".to_string(), 0.5)
        } else if let Some(changed) = changes.first() {
            let other = if std::ptr::eq(*changed, a) { b } else { a };
            (
                Verdict::Contradiction,
                format!(
                    "different numbers for the same story: {} describes a change ({}), and {} gives {} without one",
                    changed.evidence.doc,
                    if changed.change == Some(ChangeRole::After) {
                        "this is the figure after it"
                    } else {
                        "this is the figure before it"
                    },
                    other.evidence.doc,
                    fmt_value(other.value)
                ),
                0.6,
            )
        } else {
            let confidence = if a.approximate || b.approximate { 0.6 } else { 0.75 };
            (
                Verdict::Contradiction,
                format!("different numbers for the same story ({} vs {})", fmt_value(a.value), fmt_value(b.value)),
                confidence,
            )
        }
    } else {
        // Different times: only comparable when the sentences name a common entity.
        let shared = xa.entities_in(a.evidence.span).shared(xb.entities_in(b.evidence.span));
        if shared == 0 {
            return None;
        }
        let explicit = b.change.is_some();
        let confidence = match (explicit, same_voice) {
            (true, true) => 0.9,
            (true, false) | (false, true) => 0.75,
            (false, false) => 0.5,
        };
        let mut reason = format!("{} → {} between reports of different times", fmt_value(a.value), fmt_value(b.value));
        if explicit {
            reason.push_str("; the later report describes the change");
        }
        if same_voice {
            reason.push_str("; same source or outlet");
        }
        (Verdict::ChangeOverTime, reason, confidence)
    };
    let subject = a.measure.clone();
    Some(Comparison {
        id: short_id('X', &["numbers", &subject, &a.id, &b.id]),
        verdict,
        kind: "numbers".into(),
        scope: Scope::AcrossDocuments,
        subject,
        left: describe(a),
        right: describe(b),
        reason,
        confidence,
        left_evidence: a.evidence.clone(),
        right_evidence: b.evidence.clone(),
    })
}

fn sentence_of(x: &Extraction, span: Span) -> ClaimEvidence {
    let found =
        sentence_spans(&x.text).into_iter().find(|(_, s)| s.start <= span.start && span.start < s.end.max(s.start + 1));
    match found {
        Some((bytes, s)) => ClaimEvidence { doc: x.id.clone(), span: s, text: one_line(&x.text[bytes]) },
        None => {
            ClaimEvidence { doc: x.id.clone(), span, text: crosscheck_text::slice_chars(&x.text, span).to_string() }
        }
    }
}

/// Killed / wounded from events with a person target, and "the late X" as dead, in one
/// document (sorted and deduplicated across the corpus by [`ClaimsPass::finish`]).
fn document_statuses(x: &Extraction) -> Vec<StatusClaim> {
    let mut out = Vec::new();
    let persons: BTreeMap<String, &str> = x
        .entities
        .iter()
        .filter(|e| e.kind == crosscheck_model::EntityType::Person)
        .map(|e| (crosscheck_text::normalize_key(&e.name), e.name.as_str()))
        .collect();
    for v in &x.events {
        let status = match v.kind.as_str() {
            "kill" => "killed",
            "wound" => "wounded",
            _ => continue,
        };
        if v.negated {
            continue;
        }
        let Some(target) = v.target.as_deref() else { continue };
        let Some(name) = persons.get(&crosscheck_text::normalize_key(target)) else { continue };
        out.push(StatusClaim {
            person: name.to_string(),
            status: status.into(),
            date: x.date.clone(),
            evidence: sentence_of(x, v.span),
        });
    }
    for e in x.entities.iter().filter(|e| e.kind == crosscheck_model::EntityType::Person) {
        for m in &e.mentions {
            if let Some(status) = status_after(&x.text, m.end) {
                let evidence = sentence_of(x, Span::new(m.start, m.end));
                out.push(StatusClaim { person: e.name.clone(), status: status.into(), date: x.date.clone(), evidence });
            }
            if preceded_by_the_late(&x.text, m.start) {
                let evidence = sentence_of(x, Span::new(m.start, m.end));
                out.push(StatusClaim { person: e.name.clone(), status: "dead".into(), date: x.date.clone(), evidence });
            }
        }
    }
    out
}

/// A status word within [`STATUS_WINDOW`] words after a name, in the same clause ("Harald Berg,
/// was seriously wounded", "Harald Berg being severely injured").
fn status_after(text: &str, mention_end: usize) -> Option<&'static str> {
    let byte = crosscheck_text::byte_offset(text, mention_end);
    let rest = &text[byte..];
    let clause_end = rest.find(['.', ';', '!', '?']).unwrap_or(rest.len());
    for w in crosscheck_text::words(&rest[..clause_end]).take(STATUS_WINDOW) {
        let lower = w.text.to_lowercase();
        if STATUS_BREAKS.contains(&lower.as_str()) {
            return None;
        }
        if let Some((_, status)) = lexicons().status.iter().find(|(word, _)| lower.starts_with(word)) {
            return Some(status);
        }
    }
    None
}

/// "the late Harald Berg", "the late Harbour Guard fleet commander Harald Berg": at most five
/// words between.
fn preceded_by_the_late(text: &str, mention_start: usize) -> bool {
    let byte = crosscheck_text::byte_offset(text, mention_start);
    let window_start = text[..byte].char_indices().rev().nth(40).map_or(0, |(i, _)| i);
    let before = text[window_start..byte].to_lowercase();
    match before.rfind("the late ") {
        Some(at) => {
            let between = &before[at + "the late ".len()..];
            between.split_whitespace().count() <= 5 && !between.contains(['.', ',', ';'])
        }
        None => false,
    }
}

/// Pairs of a person's status claims worth comparing: within a story (every pair of a small
/// group, else each against the earliest), and across stories between documents that are
/// neighbours in time — linear in the claims, never all pairs of a popular name.
fn status_pairs<'c>(
    claims: &[&'c StatusClaim],
    same_story: &dyn Fn(&str, &str) -> bool,
    story_of: &dyn Fn(&str) -> String,
) -> Vec<(&'c StatusClaim, &'c StatusClaim)> {
    let mut docs: BTreeMap<(bool, Option<String>, &str), Vec<&StatusClaim>> = BTreeMap::new();
    for c in claims {
        docs.entry((c.date.is_none(), c.date.clone(), c.evidence.doc.as_str())).or_default().push(c);
    }
    let ordered: Vec<&Vec<&StatusClaim>> = docs.values().collect();
    let mut by_story: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, cs) in ordered.iter().enumerate() {
        by_story.entry(story_of(&cs[0].evidence.doc)).or_default().push(i);
    }
    let mut doc_pairs: Vec<(usize, usize)> = Vec::new();
    for members in by_story.values() {
        if members.len() <= MAX_PAIRWISE_GROUP {
            for (k, &i) in members.iter().enumerate() {
                doc_pairs.extend(members[k + 1..].iter().map(|&j| (i, j)));
            }
        } else {
            doc_pairs.extend(members[1..].iter().map(|&j| (members[0], j)));
        }
    }
    for i in 1..ordered.len() {
        if !same_story(&ordered[i - 1][0].evidence.doc, &ordered[i][0].evidence.doc) {
            doc_pairs.push((i - 1, i));
        }
    }
    let mut out = Vec::new();
    for (i, j) in doc_pairs {
        for a in ordered[i] {
            out.extend(ordered[j].iter().map(|b| (*a, *b)));
        }
    }
    out
}

fn compare_statuses(
    statuses: &[StatusClaim],
    same_story: &dyn Fn(&str, &str) -> bool,
    story_of: &dyn Fn(&str) -> String,
    unit_of: &dyn Fn(&str) -> String,
) -> Vec<Comparison> {
    let mut out = Vec::new();
    let mut by_person: BTreeMap<String, Vec<&StatusClaim>> = BTreeMap::new();
    for s in statuses {
        by_person.entry(crosscheck_text::normalize_key(&s.person)).or_default().push(s);
    }
    for claims in by_person.values() {
        let mut seen_pairs: BTreeSet<(String, String, String)> = BTreeSet::new();
        for (a, b) in status_pairs(claims, same_story, story_of) {
            {
                if a.evidence.doc == b.evidence.doc {
                    continue;
                }
                let (a, b) = if a.evidence.doc <= b.evidence.doc { (a, b) } else { (b, a) };
                if !seen_pairs.insert((
                    a.evidence.doc.clone(),
                    b.evidence.doc.clone(),
                    format!("{}/{}", a.status, b.status),
                )) {
                    continue;
                }
                let story = same_story(&a.evidence.doc, &b.evidence.doc);
                let (verdict, reason, confidence) = if a.status == b.status {
                    if unit_of(&a.evidence.doc) == unit_of(&b.evidence.doc) {
                        continue;
                    }
                    (
                        Verdict::Agreement,
                        format!("both report {} {}", a.person, a.status),
                        if story { 0.8 } else { 0.6 },
                    )
                } else if story {
                    (
                        Verdict::Contradiction,
                        format!("incompatible statuses for {}: {} vs {}", a.person, a.status, b.status),
                        0.6,
                    )
                } else {
                    (
                        Verdict::ChangeOverTime,
                        format!("{} is {} in one report and {} in another of a different story or time; consistent if the reports are from different times", a.person, a.status, b.status),
                        0.5,
                    )
                };
                let subject = format!("status of {}", a.person);
                out.push(Comparison {
                    id: short_id('X', &["status", &subject, &a.evidence.doc, &b.evidence.doc, &a.status, &b.status]),
                    verdict,
                    kind: "status".into(),
                    scope: Scope::AcrossDocuments,
                    subject,
                    left: format!("{} in {}", a.status, a.evidence.doc),
                    right: format!("{} in {}", b.status, b.evidence.doc),
                    reason,
                    confidence,
                    left_evidence: a.evidence.clone(),
                    right_evidence: b.evidence.clone(),
                });
            }
        }
    }
    out
}

/// The denials of one document (attributions whose cue is a denial cue), each with the
/// content words of what is denied; their counterparts are found later by [`ClaimsPass`].
fn document_denials(x: &Extraction) -> Vec<(Denial, BTreeSet<String>)> {
    let lex = lexicons();
    let mut out = Vec::new();
    for a in &x.attributions {
        let cue = a.cue.to_lowercase();
        if !lex.denial.iter().any(|d| cue.starts_with(d)) {
            continue;
        }
        let evidence = ClaimEvidence {
            doc: x.id.clone(),
            span: a.span,
            text: one_line(crosscheck_text::slice_chars(&x.text, a.span)),
        };
        out.push((
            Denial {
                id: short_id('R', &[&x.id, &a.span.start.to_string(), &a.span.end.to_string()]),
                source: a.source.clone(),
                cue: a.cue.clone(),
                content: a.content.clone(),
                evidence,
                counterpart: None,
            },
            crosscheck_text::content_words(&a.content),
        ));
    }
    out
}

#[cfg(test)]
mod tests;
