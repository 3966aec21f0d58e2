//! General claims: what each document asserts as subject – predicate – object (or value), with
//! time, place, the char span, and the full attribution chain — the speaker (person, role or
//! anonymous source), the outlet or report the speaker is cited through ("told Reuters",
//! "according to The Harbour Gazette") and the publishing document.
//!
//! Claims come from two places: events of the extractor (the predicate is the event type) and
//! the content of every attribution, read by a small clause reader (subject before the first
//! verb, object after it, passive voice turned round when an agent is named), with the word
//! lists of `resources/link/clause_words.txt`. Subjects and objects are keyed by the resolved
//! corpus entity they name (entities.rs), else by their content words, so claims that say the
//! same thing share one key; a cluster's id is a hash of that key (stable, order-free).
//!
//! This module also finds the disagreements only such claims show: different subjects for a
//! deed with one doer ("who killed whom", `resources/link/exclusive_predicates.txt`) and
//! different dates for the same event, within one story. It works in hashed buckets, never
//! over all pairs of documents, and must not do IO.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use crosscheck_model::{Attribution, Extraction, Span};
use serde::{Deserialize, Serialize};

use super::{data_lines, lexicons, one_line, short_id, ClaimEvidence, Comparison, Scope, Verdict};
use crate::entities::CorpusEntity;

const CLAUSE_SRC: &str = include_str!("../../../../resources/link/clause_words.txt");
const EXCLUSIVE_SRC: &str = include_str!("../../../../resources/link/exclusive_predicates.txt");
/// Words of a claim's subject, at most (a longer run before the verb is not a subject).
const MAX_SUBJECT_WORDS: usize = 10;
/// Words of a claim's object, at most.
const MAX_OBJECT_WORDS: usize = 10;
/// Distinct subjects (or dates) compared per bucket: keeps a crowded bucket linear.
const MAX_VARIANTS: usize = 8;

/// Who stands behind a claim, from the speaker out to the document that published it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributionChain {
    /// The person, body or anonymous source credited ("Lars Hedqvist", "officials"); `None`
    /// when the document asserts the claim itself or credits only an outlet.
    pub speaker: Option<String>,
    /// The speaker's role as the document gives it ("spokesman", "Defence Minister").
    pub speaker_role: Option<String>,
    pub anonymous: bool,
    /// The attribution cue ("said", "according to", "denied").
    pub cue: Option<String>,
    /// A direct quotation.
    pub direct: bool,
    /// The outlet or report the claim is cited through ("Reuters" in "told Reuters").
    pub via: Option<String>,
    /// The publishing document and its outlet and date.
    pub document: String,
    pub publisher: Option<String>,
    pub published: Option<String>,
}

/// One subject – predicate – object claim of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// `S` + 12 hex digits over document, span and predicate.
    pub id: String,
    /// Id of the [`StatementCluster`] it belongs to.
    pub cluster: String,
    /// `event` (an extracted event) or `statement` (an attribution's content).
    pub basis: String,
    /// Who or what acts; empty when the text does not say ("the ferry was overloaded").
    pub subject: String,
    pub subject_key: String,
    /// The verb or event trigger as written.
    pub predicate: String,
    /// The comparison key of the predicate (event type or verb stem).
    pub predicate_key: String,
    pub object: Option<String>,
    pub object_key: String,
    /// A figure in the object, in base units, and its unit.
    pub value: Option<f64>,
    pub unit: Option<String>,
    /// The resolved date the claim is about, when the text gives one.
    pub time: Option<String>,
    pub place: Option<String>,
    /// The clause itself is negative ("did not fire").
    pub negated: bool,
    /// The speaker denies it ("denied that …").
    pub denied: bool,
    pub chain: AttributionChain,
    /// The clause (attribution content or event span), char offsets into the document.
    pub evidence: ClaimEvidence,
}

/// Statements that say the same thing (same subject, predicate and object keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementCluster {
    /// `C` + 12 hex digits of the key.
    pub id: String,
    /// `subject | predicate | object`, the normalised key the members share.
    pub key: String,
    pub subject: String,
    pub predicate: String,
    pub object: Option<String>,
    pub statements: Vec<String>,
    pub documents: Vec<String>,
    /// Sources asserting it, each counted once: copies of one article are one source, and
    /// documents citing one outlet rest on that outlet.
    pub independent_sources: usize,
    /// Independent sources denying it.
    pub denied_by: usize,
    /// The earliest report (by date, then document id, then position).
    pub first_reported: ClaimEvidence,
    pub first_date: Option<String>,
}

struct ClauseWords {
    aux: HashSet<&'static str>,
    be: HashSet<&'static str>,
    negation: HashSet<&'static str>,
    breaks: HashSet<&'static str>,
    determiners: HashSet<&'static str>,
    prepositions: HashSet<&'static str>,
    pronouns: HashSet<&'static str>,
    subject_pronouns: HashSet<&'static str>,
    irregular: HashMap<&'static str, &'static str>,
}

fn clause_words() -> &'static ClauseWords {
    static CELL: std::sync::OnceLock<ClauseWords> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let mut groups: HashMap<&str, Vec<&'static str>> = HashMap::new();
        for line in data_lines(CLAUSE_SRC) {
            if let Some((group, words)) = line.split_once(':') {
                groups.entry(group.trim()).or_default().extend(words.split_whitespace());
            }
        }
        let set = |name: &str| groups.get(name).map(|w| w.iter().copied().collect()).unwrap_or_default();
        let irregular = groups
            .get("irregular")
            .map(|w| w.iter().filter_map(|pair| pair.split_once('=')).collect())
            .unwrap_or_default();
        ClauseWords {
            aux: set("aux"),
            be: set("be"),
            negation: set("negation"),
            breaks: set("break"),
            determiners: set("determiner"),
            prepositions: set("preposition"),
            pronouns: set("pronoun"),
            subject_pronouns: set("subject_pronoun"),
            irregular,
        }
    })
}

fn exclusive_predicates() -> &'static HashSet<String> {
    static CELL: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| data_lines(EXCLUSIVE_SRC).map(stem).collect())
}

/// The comparison key of a verb: irregular past forms to their base, then "-ied" → "y",
/// "-ed" dropped, a final "e" dropped and a doubled final consonant undoubled, so "captured",
/// "capture" and "kidnapped" / "kidnap" meet.
pub(crate) fn stem(word: &str) -> String {
    let lower = word.to_lowercase();
    let cw = clause_words();
    let mut s = match cw.irregular.get(lower.as_str()) {
        Some(base) => (*base).to_string(),
        None => {
            if let Some(root) = lower.strip_suffix("ied").filter(|r| r.len() >= 2) {
                format!("{root}y")
            } else if let Some(root) = lower.strip_suffix("ed").filter(|r| r.len() >= 3) {
                root.to_string()
            } else {
                lower
            }
        }
    };
    if s.len() > 3 && s.ends_with('e') {
        s.pop();
    }
    let b = s.as_bytes();
    if b.len() > 3 && b[b.len() - 1] == b[b.len() - 2] && !b"aeiouls".contains(&b[b.len() - 1]) {
        s.pop();
    }
    s
}

/// A subject that is a bare personal pronoun ("We", "he", "they").
fn is_subject_pronoun(subject: &str) -> bool {
    !subject.contains(' ') && clause_words().subject_pronouns.contains(subject.to_lowercase().as_str())
}

fn is_past_form(lower: &str) -> bool {
    clause_words().irregular.contains_key(lower)
        || (lower.len() >= 5 && lower.ends_with("ed") && lower.chars().all(|c| c.is_ascii_alphabetic()))
}

/// A clause read from a text: byte ranges into that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clause {
    pub subject: Range<usize>,
    pub verb: Range<usize>,
    pub object: Option<Range<usize>>,
    /// The passive's agent ("by the militia"), which is the logical subject.
    pub agent: Option<Range<usize>>,
    pub passive: bool,
    pub negated: bool,
}

/// Reads subject, verb and object from a clause ("the militia killed two guards", "two guards
/// were killed by the militia", "the pier will reopen in May"); `None` when no verb is found
/// after a short subject.
pub(crate) fn parse_clause(s: &str) -> Option<Clause> {
    let cw = clause_words();
    let words: Vec<crosscheck_text::Word<'_>> = crosscheck_text::words(s).take(80).collect();
    let lower: Vec<String> = words.iter().map(|w| w.text.to_lowercase()).collect();
    let punct_before = |i: usize| i > 0 && breaks_between(s, &words[i - 1], &words[i]);
    let is_adverb = |w: &str| w.ends_with("ly") && w.len() > 4 || matches!(w, "also" | "already" | "still" | "then");
    let mut subject_start = usize::from(lower.first().is_some_and(|w| w == "that"));
    let mut negated = false;
    let mut i = subject_start;
    while i < words.len() && i < subject_start + MAX_SUBJECT_WORDS + 1 {
        if punct_before(i) {
            // "On Monday, the ferry capsized": an introductory phrase is not the subject.
            let intro = lower.get(subject_start).is_some_and(|w| cw.prepositions.contains(w.as_str()) || is_adverb(w));
            if intro {
                subject_start = i;
            }
        }
        let w = lower[i].as_str();
        if i > subject_start && cw.breaks.contains(w) && w != "that" {
            return None;
        }
        let contracted = w.ends_with("n't");
        let base = w.trim_end_matches("n't");
        if i > subject_start && (cw.aux.contains(base) || contracted && cw.aux.contains(base)) {
            negated |= contracted;
            let mut j = i + 1;
            // "would be inspected", "has not been paid": the last auxiliary decides the voice.
            let mut last_aux = base.to_string();
            let mut last_aux_at = i;
            while j < words.len()
                && (cw.negation.contains(lower[j].as_str())
                    || is_adverb(&lower[j])
                    || cw.aux.contains(lower[j].as_str()))
            {
                negated |= cw.negation.contains(lower[j].as_str());
                if cw.aux.contains(lower[j].as_str()) {
                    last_aux = lower[j].clone();
                    last_aux_at = j;
                }
                j += 1;
            }
            let base = last_aux.as_str();
            let Some(next) = lower.get(j) else {
                return Some(Clause {
                    subject: words[subject_start].start..words[i - 1].end,
                    verb: words[i].start..words[i].end,
                    object: None,
                    agent: None,
                    passive: false,
                    negated,
                });
            };
            let lowercase_word = words[j].text.chars().next().is_some_and(char::is_lowercase);
            let (verb, passive) = if cw.be.contains(base) && is_past_form(next) {
                (j, true)
            } else if !cw.be.contains(base)
                && lowercase_word
                && !cw.determiners.contains(next.as_str())
                && !cw.prepositions.contains(next.as_str())
                && !cw.pronouns.contains(next.as_str())
                && next.chars().all(char::is_alphabetic)
            {
                (j, false)
            } else {
                // "was a tragedy", "had 40 staff": the auxiliary is the predicate itself.
                (last_aux_at, false)
            };
            return Some(finish(s, &words, &lower, subject_start, i, verb, passive, negated));
        }
        let lowercase_word = words[i].text.chars().next().is_some_and(char::is_lowercase);
        if i > subject_start
            && lowercase_word
            && is_past_form(w)
            && !cw.determiners.contains(lower[i - 1].as_str())
            && !cw.prepositions.contains(lower[i - 1].as_str())
        {
            return Some(finish(s, &words, &lower, subject_start, i, i, false, negated));
        }
        i += 1;
    }
    None
}

/// Punctuation between two words that ends a phrase; the comma of "9,000" does not.
fn breaks_between(s: &str, before: &crosscheck_text::Word<'_>, after: &crosscheck_text::Word<'_>) -> bool {
    let gap = &s[before.end..after.start];
    let digits =
        before.text.ends_with(|c: char| c.is_ascii_digit()) && after.text.starts_with(|c: char| c.is_ascii_digit());
    if gap == "," && digits {
        return false;
    }
    gap.contains([',', ';', ':', '(', ')', '"', '“', '”', '—'])
}

#[allow(clippy::too_many_arguments)]
fn finish(
    s: &str,
    words: &[crosscheck_text::Word<'_>],
    lower: &[String],
    subject_start: usize,
    subject_end: usize,
    verb: usize,
    passive: bool,
    negated: bool,
) -> Clause {
    let cw = clause_words();
    let ends_object = |k: usize| cw.breaks.contains(lower[k].as_str()) || breaks_between(s, &words[k - 1], &words[k]);
    let mut end = verb + 1;
    while end < words.len() && end <= verb + MAX_OBJECT_WORDS && !ends_object(end) {
        end += 1;
    }
    let (object, agent) = if passive {
        // "were killed by the militia": the agent runs from "by" to the clause end.
        // The agent is the noun phrase after "by": it stops at the next preposition.
        match (verb + 1..end).find(|&k| lower[k] == "by") {
            Some(by) if by + 1 < end => {
                let stop = (by + 2..end)
                    .find(|&k| lower[k] != "of" && cw.prepositions.contains(lower[k].as_str()))
                    .unwrap_or(end);
                (None, Some(words[by + 1].start..words[stop - 1].end))
            }
            _ => (None, None),
        }
    } else if end > verb + 1 {
        (Some(words[verb + 1].start..words[end - 1].end), None)
    } else {
        (None, None)
    };
    Clause {
        subject: words[subject_start].start..words[subject_end - 1].end,
        verb: words[verb].start..words[verb].end,
        object,
        agent,
        passive,
        negated,
    }
}

/// The noun phrase a phrase starts with: up to its first preposition other than "of" or its
/// first break word ("two guards near the port" → "two guards").
fn head_phrase(phrase: &str) -> &str {
    let cw = clause_words();
    for (n, w) in crosscheck_text::words(phrase).enumerate() {
        let lower = w.text.to_lowercase();
        if n > 0 && lower != "of" && (cw.prepositions.contains(lower.as_str()) || cw.breaks.contains(lower.as_str())) {
            return &phrase[..w.start];
        }
    }
    phrase
}

/// Key of a phrase without an entity: the content words of its head noun phrase, numerals and
/// number words dropped, plurals folded, sorted (so "14 people" and "21 people" share a key
/// and the figures are compared as values).
fn words_key(phrase: &str) -> String {
    const NUMBER_WORDS: &[&str] = &[
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "dozen",
        "dozens",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "some",
        "about",
        "nearly",
        "least",
        "more",
    ];
    crosscheck_text::content_words(head_phrase(phrase))
        .into_iter()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()) && !NUMBER_WORDS.contains(&w.as_str()))
        .map(|w| match w.strip_suffix('s') {
            Some(root) if root.len() > 3 && !root.ends_with('s') => root.to_string(),
            _ => w,
        })
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect::<Vec<_>>()
        .join(" ")
}

/// How statements key a phrase to a corpus entity: by a mention inside a span of a document, or
/// by name.
pub(crate) trait EntityLookup {
    /// The entity named first inside `span` of `doc`.
    fn in_span(&self, doc: &str, span: Span) -> Option<&str>;
    /// The entity a name refers to in `doc` (or anywhere in the corpus).
    fn by_name(&self, doc: &str, name: &str) -> Option<&str>;
}

/// Normalised name → entity id, for every name and alias of the corpus entities (the first
/// entity in corpus order wins).
pub(crate) fn corpus_names(entities: &[CorpusEntity]) -> HashMap<String, &str> {
    let mut corpus_names = HashMap::new();
    for e in entities {
        for n in std::iter::once(&e.name).chain(&e.aliases) {
            corpus_names.entry(crosscheck_text::normalize_key(n)).or_insert(e.id.as_str());
        }
    }
    corpus_names
}

/// Corpus entities by document: mention spans and name keys, for keying subjects and objects.
pub(crate) struct EntityIndex<'e> {
    /// Per document, `(start, end, entity id)` sorted by start.
    spans: HashMap<&'e str, Vec<(usize, usize, &'e str)>>,
    /// `(document, normalised name)` → entity id, from every mention's surface.
    names: HashMap<(&'e str, String), &'e str>,
    /// Normalised name → entity id, for names seen in any document (first by order).
    corpus_names: HashMap<String, &'e str>,
}

impl<'e> EntityIndex<'e> {
    pub(crate) fn new(entities: &'e [CorpusEntity]) -> Self {
        let mut spans: HashMap<&str, Vec<(usize, usize, &str)>> = HashMap::new();
        let mut names = HashMap::new();
        for e in entities {
            for (doc, m) in &e.mentions {
                spans.entry(doc.as_str()).or_default().push((m.start, m.end, e.id.as_str()));
                names.entry((doc.as_str(), crosscheck_text::normalize_key(&m.text))).or_insert(e.id.as_str());
            }
        }
        for v in spans.values_mut() {
            v.sort_unstable();
        }
        EntityIndex { spans, names, corpus_names: corpus_names(entities) }
    }
}

impl EntityLookup for EntityIndex<'_> {
    fn in_span(&self, doc: &str, span: Span) -> Option<&str> {
        first_in_span(self.spans.get(doc)?, span)
    }

    fn by_name(&self, doc: &str, name: &str) -> Option<&str> {
        let key = crosscheck_text::normalize_key(name);
        self.names.get(&(doc, key.clone())).or_else(|| self.corpus_names.get(&key)).copied()
    }
}

fn first_in_span<'e>(list: &[(usize, usize, &'e str)], span: Span) -> Option<&'e str> {
    let from = list.partition_point(|m| m.0 < span.start);
    list[from..].iter().take_while(|m| m.0 < span.end).find(|m| m.1 <= span.end).map(|m| m.2)
}

/// [`EntityIndex`] for one document, built from that document's mentions alone (a streamed
/// link run holds no corpus-wide mention index): the same answers for that document.
pub(crate) struct DocumentEntityIndex<'a, 'e> {
    spans: Vec<(usize, usize, &'e str)>,
    names: HashMap<String, &'e str>,
    corpus_names: &'a HashMap<String, &'e str>,
}

impl<'a, 'e> DocumentEntityIndex<'a, 'e> {
    /// `mentions`: the document's mentions as `(corpus entity, mention)`, sorted by entity in
    /// corpus order then mention, each once — the order [`EntityIndex::new`] meets them in.
    pub(crate) fn new(
        entities: &'e [CorpusEntity],
        mentions: &[(u32, crosscheck_model::Mention)],
        corpus_names: &'a HashMap<String, &'e str>,
    ) -> Self {
        let mut spans = Vec::with_capacity(mentions.len());
        let mut names = HashMap::new();
        for (e, m) in mentions {
            let Some(entity) = entities.get(*e as usize) else { continue };
            spans.push((m.start, m.end, entity.id.as_str()));
            names.entry(crosscheck_text::normalize_key(&m.text)).or_insert(entity.id.as_str());
        }
        spans.sort_unstable();
        DocumentEntityIndex { spans, names, corpus_names }
    }
}

impl EntityLookup for DocumentEntityIndex<'_, '_> {
    fn in_span(&self, _doc: &str, span: Span) -> Option<&str> {
        first_in_span(&self.spans, span)
    }

    fn by_name(&self, _doc: &str, name: &str) -> Option<&str> {
        let key = crosscheck_text::normalize_key(name);
        self.names.get(&key).or_else(|| self.corpus_names.get(&key)).copied()
    }
}

/// Keys a phrase of a document: the entity it names, else its content words.
fn phrase_key(index: &dyn EntityLookup, doc: &str, span: Span, phrase: &str) -> String {
    // Only the head noun phrase keys it: "guards near the port of Kiel" is not about Kiel.
    let head = head_phrase(phrase).trim_end();
    let head_span = Span::new(span.start, (span.start + head.chars().count()).min(span.end));
    match index.in_span(doc, head_span).or_else(|| index.by_name(doc, head)) {
        Some(id) => id.to_string(),
        None => words_key(phrase),
    }
}

/// The chain of an attribution: speaker, role, the outlet it comes through, the document.
fn chain_of(
    x: &Extraction,
    a: Option<&Attribution>,
    sentence: &str,
    corpus_outlets: &BTreeSet<String>,
) -> AttributionChain {
    let mut chain = AttributionChain {
        speaker: None,
        speaker_role: None,
        anonymous: false,
        cue: None,
        direct: false,
        via: None,
        document: x.id.clone(),
        publisher: x.outlet.clone(),
        published: x.date.clone(),
    };
    if let Some(a) = a {
        chain.cue = Some(a.cue.clone());
        chain.direct = a.direct;
        chain.anonymous = a.anonymous;
        let key = crosscheck_text::normalize_key(&a.source);
        // "sources who spoke to The Telegraph": the sources speak, the outlet carries them.
        let carried_by = crate::sources::outlet_in(&a.source, corpus_outlets);
        if carried_by.is_none() && crate::sources::names_outlet(&key, corpus_outlets) {
            chain.via = Some(a.source.clone());
        } else {
            chain.via = carried_by;
            chain.speaker = Some(a.source.clone());
            chain.speaker_role = x
                .roles
                .iter()
                .find(|r| {
                    let person = crosscheck_text::normalize_key(&r.person);
                    !person.is_empty() && (person == key || key.ends_with(&person))
                })
                .map(|r| match &r.organization {
                    Some(org) => format!("{} of {org}", r.role),
                    None => r.role.clone(),
                });
        }
    }
    if chain.via.is_none() {
        // "X said, according to the Harbour Gazette" / "X told Reuters".
        chain.via = crate::sources::outlet_in(sentence, corpus_outlets).filter(|o| {
            chain.speaker.as_deref().is_none_or(|s| crate::sources::outlet_key(s) != crate::sources::outlet_key(o))
        });
    }
    if chain.via.as_deref().map(crate::sources::outlet_key) == x.outlet.as_deref().map(crate::sources::outlet_key) {
        chain.via = None;
    }
    chain
}

/// The statements of one document.
pub(crate) fn document_statements(
    x: &Extraction,
    index: &dyn EntityLookup,
    corpus_outlets: &BTreeSet<String>,
) -> Vec<Statement> {
    let lex = lexicons();
    let map = crosscheck_text::CharMap::new(&x.text);
    let sentences: Vec<Span> =
        crosscheck_text::sentences(&x.text).into_iter().map(|r| map.span(r.start, r.end)).collect();
    let sentence_of =
        |span: Span| sentences.iter().copied().find(|s| s.start <= span.start && span.start < s.end).unwrap_or(span);
    // Byte slicing for ASCII texts: slicing by chars walks the text from its start each time.
    let ascii = x.text.is_ascii();
    let slice = |span: Span| {
        if ascii {
            x.text.get(span.start.min(x.text.len())..span.end.min(x.text.len())).unwrap_or("")
        } else {
            crosscheck_text::slice_chars(&x.text, span)
        }
    };
    let time_in = |span: Span| {
        x.dates.iter().filter(|d| d.span.start >= span.start && d.span.end <= span.end).find_map(|d| d.resolved.clone())
    };
    let place_in = |span: Span| {
        x.entities
            .iter()
            .filter(|e| e.kind == crosscheck_model::EntityType::Location)
            .find(|e| e.mentions.iter().any(|m| m.start >= span.start && m.end <= span.end))
            .map(|e| e.name.clone())
    };
    let value_in = |span: Span| {
        x.quantities
            .iter()
            .find(|q| q.span.start >= span.start && q.span.end <= span.end && q.value.is_finite())
            .map(|q| (q.value, q.unit.clone()))
    };
    // The attribution covering a span: the innermost containing one, else one in its sentence.
    let covering = |span: Span| {
        x.attributions
            .iter()
            .filter(|a| {
                let e = super::extent(a);
                e.start <= span.start && span.end <= e.end
            })
            .min_by_key(|a| super::extent(a).len())
            .or_else(|| {
                let s = sentence_of(span);
                x.attributions.iter().find(|a| a.span.start < s.end && a.span.end > s.start)
            })
    };
    let mut out = Vec::new();
    for v in &x.events {
        let a = covering(v.span);
        let sentence = slice(sentence_of(v.span));
        let chain = chain_of(x, a, sentence, corpus_outlets);
        let mut subject = v.actor.clone().unwrap_or_default();
        if is_subject_pronoun(&subject) {
            // A pronoun doer inside what a speaker says is the speaker ("we struck the depot");
            // elsewhere it names nobody the claim can be keyed by.
            let quoted = a.and_then(|a| a.content_span).is_some_and(|c| c.start <= v.span.start && v.span.end <= c.end);
            subject = match (quoted, &chain.speaker) {
                (true, Some(speaker)) => speaker.clone(),
                _ => String::new(),
            };
        }
        let subject_key = if subject.is_empty() {
            String::new()
        } else {
            index.by_name(&x.id, &subject).map_or_else(|| words_key(&subject), str::to_string)
        };
        let object_key = match &v.target {
            Some(t) => index.by_name(&x.id, t).map_or_else(|| words_key(t), str::to_string),
            None => String::new(),
        };
        let predicate_key = if v.kind == "other" { stem(&v.trigger) } else { stem(&v.kind) };
        if predicate_key.is_empty() || subject_key.is_empty() && object_key.is_empty() && v.place.is_none() {
            continue;
        }
        let denied = a.is_some_and(|a| is_denial(&a.cue, &lex.denial));
        out.push(Statement {
            id: short_id('S', &[&x.id, &v.span.start.to_string(), &v.span.end.to_string(), &predicate_key]),
            cluster: String::new(),
            basis: "event".into(),
            subject,
            subject_key,
            predicate: if v.trigger.is_empty() { v.kind.clone() } else { v.trigger.clone() },
            predicate_key,
            object: v.target.clone(),
            object_key,
            value: value_in(v.span).map(|q| q.0),
            unit: value_in(v.span).map(|q| q.1),
            time: v.date.clone().or_else(|| time_in(v.span)),
            place: v.place.clone().or_else(|| place_in(v.span)),
            negated: v.negated,
            denied,
            chain,
            evidence: ClaimEvidence { doc: x.id.clone(), span: v.span, text: one_line(slice(v.span)) },
        });
    }
    for a in &x.attributions {
        let span = a.content_span.unwrap_or(a.span);
        let content = slice(span);
        let Some(clause) = parse_clause(content) else { continue };
        let base = crosscheck_text::byte_offset(&x.text, span.start);
        let char_span = |r: &Range<usize>| map.span(base + r.start, base + r.end);
        let (subject_range, object_range) = match (&clause.agent, clause.passive) {
            (Some(agent), true) => (Some(agent.clone()), Some(clause.subject.clone())),
            (None, true) => (None, Some(clause.subject.clone())),
            _ => (Some(clause.subject.clone()), clause.object.clone()),
        };
        let key_of = |r: &Option<Range<usize>>| match r {
            Some(r) => phrase_key(index, &x.id, char_span(r), &content[r.clone()]),
            None => String::new(),
        };
        let mut subject = subject_range.as_ref().map(|r| one_line(&content[r.clone()])).unwrap_or_default();
        let mut subject_key = key_of(&subject_range);
        let verb = &content[clause.verb.clone()];
        let sentence = slice(sentence_of(a.span));
        let chain = chain_of(x, Some(a), sentence, corpus_outlets);
        if is_subject_pronoun(&subject) {
            // "We are facing…", "he would resign": a pronoun subject in what a speaker says is
            // the speaker (first person, and the usual reading of reported speech), so the
            // claim is theirs. Without a speaker (an outlet, or expletive "it was unclear") it
            // names no subject and would cluster every "we" of the corpus: left out.
            let expletive =
                subject.eq_ignore_ascii_case("it") && clause_words().be.contains(verb.to_lowercase().as_str());
            match chain.speaker.as_deref() {
                Some(speaker) if !expletive => {
                    let at = a.source_span.unwrap_or_default();
                    subject_key = phrase_key(index, &x.id, at, speaker);
                    subject = speaker.to_string();
                }
                _ => continue,
            }
        }
        // "capsized in a storm": a phrase led by a preposition is an adjunct, not an object.
        let adjunct = !clause.passive
            && object_range.as_ref().is_some_and(|r| {
                crosscheck_text::words(&content[r.clone()])
                    .next()
                    .is_some_and(|w| clause_words().prepositions.contains(w.text.to_lowercase().as_str()))
            });
        let object_key = if adjunct { String::new() } else { key_of(&object_range) };
        let predicate_key = stem(verb);
        if subject_key.is_empty() && object_key.is_empty() {
            continue;
        }
        let object_span = object_range.as_ref().map(char_span);
        let value = object_span.and_then(value_in);
        out.push(Statement {
            id: short_id('S', &[&x.id, &span.start.to_string(), &span.end.to_string(), &predicate_key]),
            cluster: String::new(),
            basis: "statement".into(),
            subject,
            subject_key,
            predicate: verb.to_lowercase(),
            predicate_key,
            object: object_range.map(|r| one_line(&content[r])),
            object_key,
            value: value.as_ref().map(|q| q.0),
            unit: value.map(|q| q.1),
            time: time_in(span),
            place: place_in(span),
            negated: clause.negated,
            denied: is_denial(&a.cue, &lex.denial),
            chain,
            evidence: ClaimEvidence { doc: x.id.clone(), span, text: one_line(content) },
        });
    }
    out
}

fn is_denial(cue: &str, denial: &[&str]) -> bool {
    let cue = cue.to_lowercase();
    denial.iter().any(|d| cue.starts_with(d))
}

fn cluster_key(s: &Statement) -> String {
    let predicate = if s.negated { format!("not {}", s.predicate_key) } else { s.predicate_key.clone() };
    let mut key = format!("{} | {} | {}", s.subject_key, predicate, s.object_key);
    if s.subject_key.is_empty() && s.object_key.is_empty() {
        key.push_str(&format!(" @ {}", crosscheck_text::normalize_key(s.place.as_deref().unwrap_or(""))));
    }
    key
}

/// Whether a key is a resolved entity's id (word keys are lowercase, ids start with `E`).
fn is_entity_key(key: &str) -> bool {
    key.starts_with('E') && key.len() > 1 && key[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// The key a statement clusters under. A claim about a resolved entity is the same claim in
/// any story; one keyed only by common words ("the police | arrest | a suspect") is the same
/// claim only within its story, so its key carries the story.
fn scoped_cluster_key(s: &Statement, story: &str) -> String {
    let key = cluster_key(s);
    if is_entity_key(&s.subject_key) || is_entity_key(&s.object_key) {
        key
    } else {
        format!("{story} :: {key}")
    }
}

/// The clusters of a corpus's statements (the documents' statements in document order, as
/// [`document_statements`] gives them), and the statements with their cluster ids, sorted.
/// `unit_of` maps a document to its wording unit (copies share one); `story_of` to its story
/// group (or itself).
pub(crate) fn cluster_statements(
    mut statements: Vec<Statement>,
    unit_of: &dyn Fn(&str) -> String,
    story_of: &dyn Fn(&str) -> String,
    is_canonical: &dyn Fn(&str) -> bool,
) -> (Vec<Statement>, Vec<StatementCluster>) {
    let mut members: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, s) in statements.iter_mut().enumerate() {
        let key = scoped_cluster_key(s, &story_of(&s.evidence.doc));
        s.cluster = short_id('C', &[&key]);
        members.entry(key).or_default().push(i);
    }
    let mut clusters: Vec<StatementCluster> = members
        .into_iter()
        .filter_map(|(key, idx)| {
            let ms: Vec<&Statement> = idx.iter().map(|&i| &statements[i]).collect();
            cluster_of(key, &ms, unit_of, is_canonical)
        })
        .collect();
    clusters.sort_by(|a, b| {
        (b.independent_sources + b.denied_by).cmp(&(a.independent_sources + a.denied_by)).then_with(|| a.id.cmp(&b.id))
    });
    statements
        .sort_by(|a, b| (&a.evidence.doc, a.evidence.span, &a.id).cmp(&(&b.evidence.doc, b.evidence.span, &b.id)));
    statements.dedup_by(|a, b| a.id == b.id);
    (statements, clusters)
}

/// Sets the cluster id of one document's statements and sorts them as the corpus's stored
/// statements are ordered (span, then id); returns those kept (each id once) and the repeats
/// of a kept id (they count in their cluster but are not stored), as [`cluster_statements`]
/// would split them.
pub(crate) fn document_statements_clustered(
    mut statements: Vec<Statement>,
    story_of: &dyn Fn(&str) -> String,
) -> (Vec<Statement>, Vec<Statement>) {
    for s in &mut statements {
        let key = scoped_cluster_key(s, &story_of(&s.evidence.doc));
        s.cluster = short_id('C', &[&key]);
    }
    // Stable: of statements sharing an id, the first produced is kept, as in the corpus sort.
    statements
        .sort_by(|a, b| (&a.evidence.doc, a.evidence.span, &a.id).cmp(&(&b.evidence.doc, b.evidence.span, &b.id)));
    let mut kept: Vec<Statement> = Vec::with_capacity(statements.len());
    let mut repeats = Vec::new();
    for s in statements {
        if kept.last().is_some_and(|k| k.id == s.id) {
            repeats.push(s);
        } else {
            kept.push(s);
        }
    }
    (kept, repeats)
}

/// The cluster of statements `ms` sharing one cluster key, `None` for no statements. Any
/// member order gives the same cluster as long as a statement kept by
/// [`cluster_statements`]'s dedup precedes its repeats.
pub(crate) fn statement_cluster(
    ms: &[&Statement],
    unit_of: &dyn Fn(&str) -> String,
    story_of: &dyn Fn(&str) -> String,
    is_canonical: &dyn Fn(&str) -> bool,
) -> Option<StatementCluster> {
    let first = ms.first()?;
    let key = scoped_cluster_key(first, &story_of(&first.evidence.doc));
    cluster_of(key, ms, unit_of, is_canonical)
}

fn cluster_of(
    key: String,
    ms: &[&Statement],
    unit_of: &dyn Fn(&str) -> String,
    is_canonical: &dyn Fn(&str) -> bool,
) -> Option<StatementCluster> {
    let source_of = |s: &Statement| match &s.chain.via {
        Some(via) => format!("via:{}", crate::sources::outlet_key(via)),
        None => format!("doc:{}", unit_of(&s.evidence.doc)),
    };
    let asserting: BTreeSet<String> = ms.iter().filter(|s| !s.denied).map(|s| source_of(s)).collect();
    let denying: BTreeSet<String> = ms.iter().filter(|s| s.denied).map(|s| source_of(s)).collect();
    // Earliest date; on a tie the story's original (its group's canonical) first.
    let first = ms.iter().min_by(|a, b| {
        let key =
            |s: &Statement| (s.chain.published.is_none(), s.chain.published.clone(), !is_canonical(&s.evidence.doc));
        key(a).cmp(&key(b)).then_with(|| (&a.evidence.doc, a.evidence.span).cmp(&(&b.evidence.doc, b.evidence.span)))
    })?;
    // The most common wording names the cluster.
    let mut subjects: BTreeMap<&str, usize> = BTreeMap::new();
    for s in ms {
        *subjects.entry(s.subject.as_str()).or_default() += 1;
    }
    let subject = subjects.iter().max_by_key(|(_, n)| **n).map(|(s, _)| s.to_string()).unwrap_or_default();
    let mut ids: Vec<String> = ms.iter().map(|s| s.id.clone()).collect();
    ids.sort();
    ids.dedup();
    let documents: BTreeSet<&str> = ms.iter().map(|s| s.evidence.doc.as_str()).collect();
    Some(StatementCluster {
        id: short_id('C', &[&key]),
        subject,
        predicate: first.predicate.clone(),
        object: first.object.clone(),
        key,
        statements: ids,
        documents: documents.into_iter().map(str::to_string).collect(),
        independent_sources: asserting.len(),
        denied_by: denying.len(),
        first_reported: first.evidence.clone(),
        first_date: first.chain.published.clone(),
    })
}

/// The buckets [`statement_contradictions`] puts a statement in, as hashes: `(bucket, variant)`
/// for "who did it" (story, predicate, object; variant: the subject) and "when" (story, cluster
/// key; variant: the day). Only a bucket with two variants yields a comparison, so a streamed
/// run keeps these hashes instead of the statements and reads back only the statements of such
/// buckets. `story` is the statement's story (its group, or its document).
pub(crate) fn contradiction_buckets(s: &Statement, story: &str) -> Vec<(u64, u64)> {
    use std::hash::{Hash, Hasher};
    fn hash_of(parts: &[&str]) -> u64 {
        // Fixed keys: the same hash in every run.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        parts.hash(&mut h);
        h.finish()
    }
    let mut out = Vec::new();
    if s.negated || s.denied {
        return out;
    }
    if exclusive_predicates().contains(&s.predicate_key) && !s.object_key.is_empty() && !s.subject_key.is_empty() {
        out.push((hash_of(&["doer", story, &s.predicate_key, &s.object_key]), hash_of(&[&s.subject_key])));
    }
    if s.basis == "event" {
        if let Some(day) = s.time.as_deref().filter(|t| t.len() == 10) {
            out.push((hash_of(&["date", story, &cluster_key(s)]), hash_of(&[day])));
        }
    }
    out
}

fn describe(s: &Statement) -> String {
    let who = if s.subject.is_empty() { "(unnamed)".to_string() } else { s.subject.clone() };
    let mut out = format!("{who} {}", s.predicate);
    if let Some(o) = &s.object {
        out.push(' ');
        out.push_str(o);
    }
    if let Some(t) = &s.time {
        out.push_str(&format!(" on {t}"));
    }
    out.push_str(&format!(" in {}", s.evidence.doc));
    if let Some(speaker) = &s.chain.speaker {
        out.push_str(&format!(" according to {speaker}"));
    }
    if let Some(via) = &s.chain.via {
        out.push_str(&format!(" via {via}"));
    }
    out
}

fn comparison(
    kind: &str,
    subject: String,
    a: &Statement,
    b: &Statement,
    reason: String,
    confidence: f64,
) -> Comparison {
    let (a, b) = if (&a.chain.published, &a.evidence.doc, a.evidence.span)
        <= (&b.chain.published, &b.evidence.doc, b.evidence.span)
    {
        (a, b)
    } else {
        (b, a)
    };
    Comparison {
        id: short_id('X', &[kind, &subject, &a.id, &b.id]),
        verdict: Verdict::Contradiction,
        kind: kind.into(),
        scope: if a.evidence.doc == b.evidence.doc { Scope::InDocument } else { Scope::AcrossDocuments },
        subject,
        left: describe(a),
        right: describe(b),
        reason,
        confidence,
        left_evidence: a.evidence.clone(),
        right_evidence: b.evidence.clone(),
    }
}

/// Who-did-what and date disagreements among statements of one story. `story_of` maps a
/// document to its story group id (or its own id); `unit_of` to its wording unit.
pub(crate) fn statement_contradictions(
    statements: &[Statement],
    story_of: &dyn Fn(&str) -> String,
    unit_of: &dyn Fn(&str) -> String,
) -> Vec<Comparison> {
    let exclusive = exclusive_predicates();
    let mut out = Vec::new();
    // Who did it: same story, predicate and object, different subjects.
    let mut doers: HashMap<(String, &str, &str), BTreeMap<&str, &Statement>> = HashMap::new();
    // When: same story and event key, different days.
    let mut dates: HashMap<(String, String), BTreeMap<&str, &Statement>> = HashMap::new();
    for s in statements {
        if s.negated || s.denied {
            continue;
        }
        let story = story_of(&s.evidence.doc);
        if exclusive.contains(&s.predicate_key) && !s.object_key.is_empty() && !s.subject_key.is_empty() {
            doers
                .entry((story.clone(), s.predicate_key.as_str(), s.object_key.as_str()))
                .or_default()
                .entry(s.subject_key.as_str())
                .or_insert(s);
        }
        if s.basis == "event" {
            if let Some(day) = s.time.as_deref().filter(|t| t.len() == 10) {
                dates.entry((story, cluster_key(s))).or_default().entry(day).or_insert(s);
            }
        }
    }
    for ((_, predicate, _), by_subject) in &doers {
        let variants: Vec<&Statement> = by_subject.values().copied().take(MAX_VARIANTS).collect();
        for (i, a) in variants.iter().enumerate() {
            for b in &variants[i + 1..] {
                if a.evidence.doc != b.evidence.doc && unit_of(&a.evidence.doc) == unit_of(&b.evidence.doc) {
                    continue;
                }
                let object = head_phrase(a.object.as_deref().unwrap_or_default()).trim().to_string();
                let verb = if a.predicate.is_empty() { *predicate } else { a.predicate.as_str() };
                let subject = format!("who {verb} {object}");
                let reason = format!(
                    "different {} named for the same deed ({verb} {object}): {} vs {}",
                    if a.evidence.doc == b.evidence.doc { "doers in one document" } else { "doers" },
                    if a.subject.is_empty() { "(unnamed)" } else { &a.subject },
                    if b.subject.is_empty() { "(unnamed)" } else { &b.subject }
                );
                out.push(comparison("actor", subject, a, b, reason, 0.6));
            }
        }
    }
    for by_day in dates.values() {
        let variants: Vec<&Statement> = by_day.values().copied().take(MAX_VARIANTS).collect();
        for (i, a) in variants.iter().enumerate() {
            for b in &variants[i + 1..] {
                if a.evidence.doc == b.evidence.doc || unit_of(&a.evidence.doc) == unit_of(&b.evidence.doc) {
                    continue;
                }
                let what = format!(
                    "date of {} {}{}",
                    if a.subject.is_empty() { "" } else { a.subject.as_str() },
                    a.predicate_key,
                    a.object.as_deref().map(|o| format!(" {o}")).unwrap_or_default()
                );
                let reason = format!(
                    "different dates for the same event in one story: {} vs {}",
                    a.time.as_deref().unwrap_or(""),
                    b.time.as_deref().unwrap_or("")
                );
                out.push(comparison("date", what.split_whitespace().collect::<Vec<_>>().join(" "), a, b, reason, 0.5));
            }
        }
    }
    out
}
