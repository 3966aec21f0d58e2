//! Attributions: who is credited with a statement, by which cue, saying what.
//!
//! Cues come from `resources/attribution/cues.txt` (one automaton, case-insensitive, whole
//! words). Two passes over a document:
//! 1. **Quotations** (“…” or "…", at least four words, possibly across sentences): the
//!    speaker is found after the closing mark (`“…,” X said`, `“…,” said X`) or before the
//!    opening one (`X said: “…”`). A paragraph that is only a quotation with no cue continues
//!    the previous direct quotation's speaker.
//! 2. **Reported speech**, per sentence, for cues not used by a quotation: `X said (that) …`,
//!    `X told Y (that) …`, `…, X said.`, `according to X, …` / `…, according to X`, `X quoted Y
//!    as saying …` (two attributions), and hearsay without a source (`reportedly`, `it was
//!    reported`) credited to `unnamed reports`.
//!
//! The source is the noun phrase governing the cue, resolved to an entity's canonical name
//! when it is one (titles and roles before a person are dropped); pronouns ("he added") take
//! the previous attribution's source. A source that is not a named entity ("an official in
//! Tehran", "diplomatic sources") is kept in the text's words and marked anonymous.
//! This module must not create entities; it only reads the entity stage's mentions.

use crate::FastSet;
use std::ops::Range;

use crosscheck_model::{Attribution, EntityType};
use crosscheck_text::{with_lowercase, CharMap, Word, WordStream};
use std::borrow::Cow;

use crate::DocText;

use crate::entity::EntityResult;
use crate::lexicon;
use crate::ExtractError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    Speech,
    Report,
    Weak,
    According,
    Hearsay,
}

/// Words after which a subject noun phrase cannot extend further left.
fn is_clause_word(word: &str) -> bool {
    matches!(
        word,
        "that"
            | "and"
            | "but"
            | "while"
            | "as"
            | "when"
            | "because"
            | "if"
            | "since"
            | "after"
            | "before"
            | "although"
            | "though"
            | "whereas"
            | "where"
            | "so"
            | "which"
            | "with"
    )
}
/// Words between a subject and its cue that are not part of the subject ("X also said").
fn is_auxiliary(word: &str) -> bool {
    matches!(
        word,
        "also"
            | "has"
            | "have"
            | "had"
            | "was"
            | "were"
            | "is"
            | "are"
            | "then"
            | "later"
            | "previously"
            | "again"
            | "once"
            | "further"
            | "recently"
            | "earlier"
            | "did"
            | "does"
            | "do"
            | "not"
            | "never"
            | "would"
            | "will"
            | "could"
            | "may"
            | "might"
    )
}
const PRONOUNS: &[&str] = &["he", "she", "they", "him", "her"];
/// Words that show a clause rather than a noun phrase after a cue.
fn is_verb_marker(word: &str) -> bool {
    matches!(
        word,
        "is" | "was"
            | "were"
            | "are"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "could"
            | "can"
            | "may"
            | "might"
            | "should"
            | "did"
            | "does"
            | "be"
            | "been"
    )
}
/// First words of a source phrase written after its cue ("said the minister").
const SOURCE_PHRASE_STARTS: &[&str] = &[
    "the",
    "a",
    "an",
    "one",
    "two",
    "three",
    "four",
    "five",
    "some",
    "several",
    "many",
    "officials",
    "police",
    "sources",
    "witnesses",
    "residents",
    "analysts",
    "experts",
    "diplomats",
    "his",
    "her",
    "their",
    "its",
    "prosecutors",
    "investigators",
    "authorities",
    "doctors",
    "rescuers",
];
/// "the company said": nouns for an organisation named before.
const ORG_REFERENCE_NOUNS: &[&str] = &[
    "company",
    "firm",
    "ministry",
    "agency",
    "union",
    "club",
    "group",
    "champions",
    "airline",
    "carrier",
    "operator",
    "bank",
    "organisation",
    "organization",
    "utility",
    "regulator",
    "broadcaster",
    "newspaper",
    "network",
];
/// How far back (bytes) "the company" looks for the organisation it refers to.
const BACK_REFERENCE_REACH: usize = 600;
const FIRST_PERSON: &[&str] = &["i", "we", "it", "you"];
/// "the report said": nouns for a report or interview whose source was named before.
const DOCUMENT_NOUNS: &[&str] =
    &["report", "statement", "interview", "article", "study", "agency", "newspaper", "paper", "outlet", "letter"];
/// "the minister said": role nouns that refer back to a named person.
const ROLE_NOUNS: &[&str] = &[
    "member",
    "official",
    "minister",
    "commander",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "president",
    "leader",
    "chief",
    "envoy",
    "ambassador",
    "analyst",
    "general",
    "diplomat",
    "lawmaker",
    "cleric",
];
/// Forms that are also nouns ("the reports", "his claims"): a cue only when used as a verb.
const NOUN_LIKE_CUES: &[&str] = &["reports", "report", "claims", "claim", "notes", "states", "show", "shows"];
fn is_determiner(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "these"
            | "those"
            | "this"
            | "his"
            | "her"
            | "their"
            | "its"
            | "such"
            | "new"
            | "recent"
            | "of"
            | "in"
            | "to"
    )
}

pub struct AttributionRecognizer {
    automaton: lexicon::WordMatcher,
    kinds: Vec<CueKind>,
    forms: Vec<String>,
    source_heads: FastSet<String>,
    /// Canonical names of news outlets: "the report" refers back to these, not to any body.
    outlets: FastSet<String>,
}

#[derive(Debug, Clone, Copy)]
struct Cue {
    start: usize,
    end: usize,
    kind: CueKind,
}

#[derive(Debug, Clone, Copy)]
struct Quote {
    open: usize,
    close: usize,
    inner: (usize, usize),
}

/// A source noun phrase resolved against the entities.
#[derive(Debug, Clone)]
struct Source {
    name: String,
    anonymous: bool,
    span: Option<(usize, usize)>,
}

impl AttributionRecognizer {
    pub fn new() -> Result<Self, ExtractError> {
        let file = "attribution/cues.txt";
        let mut forms = Vec::new();
        let mut kinds = Vec::new();
        for line in lexicon::lines(file, include_str!("../../../resources/attribution/cues.txt")) {
            let fields = line.fields();
            let [form, kind] = fields[..] else {
                return Err(line.error("expected `cue | kind`"));
            };
            let kind = match kind {
                "speech" => CueKind::Speech,
                "report" => CueKind::Report,
                "weak" => CueKind::Weak,
                "according" => CueKind::According,
                "hearsay" => CueKind::Hearsay,
                other => return Err(line.error(format!("unknown cue kind `{other}`"))),
            };
            forms.push(form.to_lowercase());
            kinds.push(kind);
        }
        let automaton = lexicon::WordMatcher::new(&forms);
        let source_heads = lexicon::word_set(
            "attribution/source_heads.txt",
            include_str!("../../../resources/attribution/source_heads.txt"),
        );
        let outlets = lexicon::lines("entity/outlets.txt", include_str!("../../../resources/entity/outlets.txt"))
            .filter_map(|l| l.fields().first().map(|f| f.to_string()))
            .collect();
        Ok(AttributionRecognizer { automaton, kinds, forms, source_heads, outlets })
    }

    /// One-word verbs of saying, for the entity stage's "X said" person cue.
    pub fn speech_verbs(&self) -> FastSet<String> {
        self.forms
            .iter()
            .zip(&self.kinds)
            .filter(|(f, k)| matches!(k, CueKind::Speech | CueKind::Report) && !f.contains(' '))
            .map(|(f, _)| f.clone())
            .collect()
    }

    pub fn find(
        &self,
        text: &str,
        sentences: &[Range<usize>],
        entities: &EntityResult,
        map: &CharMap,
    ) -> Vec<Attribution> {
        self.find_in(&DocText::with_sentences(text, sentences), entities, map)
    }

    /// [`find`](Self::find) over a document segmented and tokenised once for all stages:
    /// cues are looked up at its run starts only.
    pub fn find_in(&self, doc: &DocText, entities: &EntityResult, map: &CharMap) -> Vec<Attribution> {
        let (text, sentences) = (doc.text, &doc.sentences[..]);
        let words = Words { text, stream: &doc.words };
        let quotes = find_quotes_in(text, &doc.paragraphs);
        let mut matches = Vec::new();
        self.automaton.find_whole_words_at(text, 0, &doc.words.runs, &mut matches);
        let cues: Vec<Cue> = matches
            .into_iter()
            .map(|(start, end, pattern)| Cue { start, end, kind: self.kinds[pattern] })
            // "United States" is not the cue "states".
            .filter(|c| entities.entity_covering(c.start, c.end).is_none())
            .filter(|c| !self.is_noun_use(words, c))
            // "an agreement that says ...": a relative clause, not a credited statement.
            .filter(|c| {
                !last_word(&text[..c.start]).is_some_and(|w| with_lowercase(w, |l| matches!(l, "that" | "which")))
            })
            .collect();
        let subjects = sentence_subjects(words, sentences, entities, &quotes);
        let mut walk = Walk {
            text,
            words,
            sentences,
            entities,
            map,
            quotes: &quotes,
            cues: &cues,
            paragraphs: &doc.paragraphs,
            subjects: &subjects,
            used: vec![false; cues.len()],
            out: Vec::new(),
            last: None,
            last_direct: None,
        };
        let (mut qi, mut ci) = (0, 0);
        while qi < quotes.len() || ci < cues.len() {
            let quote_first = qi < quotes.len() && (ci >= cues.len() || quotes[qi].open <= cues[ci].start);
            if quote_first {
                self.quotation(&mut walk, qi);
                qi += 1;
            } else {
                if !walk.used[ci] {
                    self.reported(&mut walk, ci);
                }
                ci += 1;
            }
        }
        let mut out = walk.out;
        out.sort_by_key(|(a, pos)| (a.span.start, *pos));
        // The first of each (source, content) pair is kept; the set borrows the sources.
        let first_seen: Vec<bool> = {
            let mut seen = FastSet::default();
            out.iter().map(|(a, _)| seen.insert((a.source.as_str(), a.content_span))).collect()
        };
        out.into_iter().zip(first_seen).filter_map(|((a, _), first)| first.then_some(a)).collect()
    }

    /// A quotation: find its speaker after the closing mark, before the opening one, or in
    /// the previous paragraph's quotation.
    fn quotation(&self, w: &mut Walk, qi: usize) {
        let text = w.text;
        let q = w.quotes[qi];
        let Some(close_sentence) = w.sentence_of(q.close.saturating_sub(1)) else { return };
        let sentence_end = close_sentence.end.max(q.close);
        let mut found: Option<(Source, usize)> = None;
        // “…,” X said / “…,” said X
        let first_after = w.cues.partition_point(|c| c.start < q.close);
        if let Some(ci) = (first_after..w.cues.len())
            .take_while(|&i| w.cues[i].start < sentence_end)
            .find(|&i| !w.used[i] && w.cues[i].end <= sentence_end)
        {
            let cue = w.cues[ci];
            let between = &text[q.close..cue.start];
            if between.split_whitespace().count() <= 8 && !between.contains(['.', '!', '?', '“', '"']) {
                let np = trim_range(text, q.close, cue.start);
                let source = if text[np.0..np.1].chars().any(char::is_alphanumeric) {
                    self.resolve_source(w, np, cue.start)
                } else {
                    self.resolve_source(w, noun_phrase_after(w.words, cue.end, sentence_end), cue.start)
                };
                found = source.map(|s| (s, ci));
            }
        }
        // X said: “…” — or "X said." right before a quotation that opens the next sentence.
        if found.is_none() {
            if let Some(s) = w.sentence_of(q.open).or_else(|| w.sentence_of(q.open + 1)) {
                let lead = text[s.start..q.open].trim_end();
                let (from, lead_end) = if lead.is_empty() {
                    match w.sentences.iter().rev().find(|p| p.end <= s.start) {
                        Some(prev) => {
                            let t = text[prev.clone()].trim_end_matches(['.', ':']).trim_end();
                            (prev.start, prev.start + t.len())
                        }
                        None => (s.start, s.start),
                    }
                } else {
                    let t = lead.trim_end_matches([':', ',']).trim_end();
                    (s.start, s.start + t.len())
                };
                // "X pointed to Y: “…”": after a colon the cue may be further back.
                let colon = lead.ends_with(':');
                let fits = |i: usize| {
                    let c = w.cues[i];
                    c.start >= from
                        && (c.end == lead_end
                            || (colon && c.end <= lead_end && !text[c.end..lead_end].contains(['.', '“', '"'])))
                };
                let upto = w.cues.partition_point(|c| c.end <= lead_end);
                if let Some(ci) =
                    (0..upto).rev().take_while(|&i| w.cues[i].start >= from).find(|&i| !w.used[i] && fits(i))
                {
                    let cue = w.cues[ci];
                    if let Some(src) = self.subject_source(w, from, cue.start) {
                        found = Some((src, ci));
                    }
                }
            }
        }
        let content = trim_quote_content(text, q.inner.0, q.inner.1);
        let (source, cue_text, cue_pos) = match found {
            Some((s, ci)) => {
                w.used[ci] = true;
                (s, text[w.cues[ci].start..w.cues[ci].end].to_lowercase(), w.cues[ci].start)
            }
            None => {
                // A paragraph that is only a quotation continues the previous speaker.
                let para = w.paragraphs.iter().find(|p| p.start <= q.open && q.open < p.end);
                let starts_paragraph = para.is_some_and(|p| text[p.start..q.open].trim().is_empty());
                let para_has_cue = para.is_some_and(|p| w.cues.iter().any(|c| c.start >= p.start && c.end <= p.end));
                match (&w.last_direct, starts_paragraph && !para_has_cue) {
                    (Some((s, cue)), true) => (s.clone(), cue.clone(), q.open),
                    _ => return,
                }
            }
        };
        let span_start = q.open.min(source.span.map_or(q.open, |s| s.0));
        let span = w.map.span(span_start, sentence_end);
        w.last_direct = Some((source.clone(), cue_text.clone()));
        w.last = Some((source.clone(), cue_pos));
        w.out.push((
            Attribution {
                source: source.name.clone(),
                cue: cue_text,
                content: text[content.0..content.1].to_string(),
                span,
                source_span: source.span.map(|(a, b)| w.map.span(a, b)),
                content_span: Some(w.map.span(content.0, content.1)),
                direct: true,
                anonymous: source.anonymous,
                rule: "quotation".into(),
            },
            q.open,
        ));
    }

    /// Reported speech around one cue.
    fn reported(&self, w: &mut Walk, ci: usize) {
        let text = w.text;
        let cue = w.cues[ci];
        let Some(mut s) = w.sentence_of(cue.start) else { return };
        // Inside a quotation the statement is bounded by the quotation marks.
        if let Some(q) = w.quotes.iter().find(|q| q.inner.0 <= cue.start && cue.end <= q.inner.1) {
            s = s.start.max(q.inner.0)..s.end.min(q.inner.1);
        }
        let cue_text = text[cue.start..cue.end].to_lowercase();
        // A cue introducing a quotation is the quotation's ("X said: “…”").
        let next = skip_punct(text, cue.end, text.len());
        let opens_quote = |pos: usize| w.quotes.iter().any(|q| q.open == pos);
        if opens_quote(next)
            || (text[cue.end..].starts_with('.') && opens_quote(skip_punct(text, cue.end + 1, text.len())))
        {
            return;
        }
        // "X pointed to Y: “…”": the clause before the colon is reported, the quotation too.
        let colon_quote = w.quotes.iter().find(|q| q.open > cue.end && q.open <= s.end + 4).and_then(|q| {
            let between = text[cue.end..q.open].trim_end();
            (between.ends_with(':') && !between.contains(['.', '“', '"'])).then_some(cue.end + between.len() - 1)
        });
        let s = match colon_quote {
            Some(colon) => s.start..colon,
            None => s,
        };
        let left_start = w.cues[..ci]
            .iter()
            .rev()
            .take_while(|c| c.start >= s.start)
            .find(|c| c.end <= cue.start)
            .map_or(s.start, |c| c.end);
        let (source, content, rule) = match cue.kind {
            CueKind::According => {
                let np = noun_phrase_after(w.words, cue.end, s.end);
                let Some(src) = self.resolve_source(w, np, cue.start) else { return };
                let before = trim_range(text, s.start, cue.start);
                let content = if before.1 > before.0 + 1 {
                    before
                } else {
                    trim_range(text, skip_punct(text, np.1, s.end), s.end)
                };
                (src, content, "according-to")
            }
            CueKind::Hearsay => {
                // A sentence that names its source does not need "reportedly".
                let other_cue =
                    w.cues.iter().any(|c| c.kind != CueKind::Hearsay && c.start >= s.start && c.end <= s.end);
                if other_cue {
                    return;
                }
                let after = skip_that(w.words, cue.end, s.end);
                let content = if cue_text.contains(' ') {
                    trim_range(text, after, s.end)
                } else {
                    trim_range(text, s.start, s.end)
                };
                (Source { name: "unnamed reports".into(), anonymous: true, span: None }, content, "hearsay")
            }
            CueKind::Speech | CueKind::Report | CueKind::Weak => {
                let left = text[left_start..cue.start].trim_end();
                let rest = &text[cue.end..s.end];
                // (The rest's words are counted only where the inverted shape can apply.)
                let opens_shape = left.ends_with(',') || left.is_empty();
                let rest_words = if opens_shape { w.words.count_up_to(cue.end, s.end, 11) } else { 0 };
                // "…, said the IRGC source.": after the cue only a short noun phrase.
                // (Read only when the cheaper conditions hold: it scans the rest of the sentence.)
                let rest_is_phrase = || {
                    no_verb_marker(w.words, cue.end, s.end)
                        && w.words.of(cue.end, s.end).first().is_some_and(|x| {
                            x.text.chars().next().is_some_and(char::is_uppercase)
                                || with_lowercase(x.text, |l| SOURCE_PHRASE_STARTS.contains(&l))
                        })
                };
                let inverted_shape = opens_shape && rest_words <= 10 && !rest.contains(',') && rest_is_phrase();
                let coordinated =
                    last_word(left).is_some_and(|x| x.eq_ignore_ascii_case("and") || x.eq_ignore_ascii_case("but"));
                // "X welcomed the opening but said ...": the sentence's named subject.
                let sentence_subject = || {
                    w.entities
                        .mentions_within(s.start, cue.start)
                        .find(|m| w.entities.entities[m.entity].kind != EntityType::Location)
                        .filter(|m| w.words.count_up_to(s.start, m.start, 4) <= 3)
                };
                // "X denied the accusation, saying ...": the participle's speaker is X.
                let participle = cue_text.ends_with("ing") && left.ends_with(',');
                let (src, np) =
                    if (coordinated || participle) && w.last.as_ref().is_some_and(|(_, pos)| *pos >= s.start) {
                        let Some((src, _)) = w.last.clone() else { return };
                        (src, (cue.start, cue.start))
                    } else if let Some(m) = (coordinated || participle).then(sentence_subject).flatten() {
                        let e = &w.entities.entities[m.entity];
                        (
                            Source { name: e.name.clone(), anonymous: false, span: Some((m.start, m.end)) },
                            (cue.start, cue.start),
                        )
                    } else if inverted_shape && rest_words > 0 {
                        let np = noun_phrase_after(w.words, cue.end, s.end);
                        let Some(src) = self.resolve_source(w, np, cue.start) else { return };
                        (src, np)
                    } else {
                        let np = self.subject_range(w.words, left_start, cue.start);
                        let np = if np.0 >= np.1 { noun_phrase_after(w.words, cue.end, s.end) } else { np };
                        if cue.kind == CueKind::Weak && !self.has_source_head(text, np) {
                            return;
                        }
                        let right_has_content = w.words.count_up_to(skip_that(w.words, cue.end, s.end), s.end, 2) >= 2;
                        let src = if right_has_content {
                            self.subject_source_at(w, np, cue.start)
                        } else {
                            self.resolve_source(w, np, cue.start)
                        };
                        let Some(src) = src else { return };
                        (src, np)
                    };
                let inverted = np.0 >= cue.end;
                let mut after = if inverted { np.1 } else { cue.end };
                if cue_text == "told" || cue_text == "quoted" || cue_text == "cited" {
                    let mut object = noun_phrase_after(w.words, after, s.end);
                    if cue_text == "told" {
                        object = short_object(w.words, object);
                    }
                    if cue_text != "told" && object.1 > object.0 {
                        // Nested: "Bloomberg quoted US officials as saying ..." credits both.
                        let inner_start = skip_that(w.words, skip_as_saying(text, object.1, s.end), s.end);
                        for k in ci + 1..w.cues.len() {
                            if w.cues[k].start < inner_start {
                                w.used[k] = true;
                            }
                        }
                        let inner = trim_range(text, inner_start, s.end);
                        if let Some(inner_src) = self.resolve_source(w, object, cue.start) {
                            if inner.1 > inner.0 {
                                let a =
                                    self.make(text, w.map, &inner_src, &cue_text, inner, s.clone(), "quoted-source");
                                w.out.push((a, object.0));
                            }
                        }
                    } else {
                        after = object.1;
                    }
                }
                let right = trim_range(text, skip_that(w.words, after, s.end), s.end);
                let right_ok = w.words.count_up_to(right.0, right.1, 2) >= 2
                    && !starts_with_preposition(w.words, right.0, right.1);
                let before_np = trim_range(text, s.start, np.0.min(cue.start));
                let content = if text[cue.end..].trim_start().starts_with(',')
                    && !inverted
                    && w.words.count_up_to(before_np.0, before_np.1, 2) >= 2
                {
                    // "This, X concluded, reveals ...": the statement surrounds the cue.
                    trim_range(text, s.start, s.end)
                } else if right_ok {
                    right
                } else if w.words.count_up_to(before_np.0, before_np.1, 2) >= 2 {
                    before_np
                } else {
                    return;
                };
                (src, content, "reported-speech")
            }
        };
        if content.0 >= content.1 {
            return;
        }
        w.last = Some((source.clone(), cue.start));
        let a = self.make(text, w.map, &source, &cue_text, content, s.clone(), rule);
        w.out.push((a, cue.start));
    }

    /// The source of a subject phrase, falling back from an appositive ("Robert Ford, former
    /// ambassador, said") to the name before it.
    fn subject_source_at(&self, w: &Walk, np: (usize, usize), cue_pos: usize) -> Option<Source> {
        // A subject cut inside a name ("... Prevention and Control") starts with the name.
        let mut np = np;
        if let Some(m) = w.entities.mention_around(np.0) {
            np.0 = m.start;
        }
        // "ALI's leader, Jean-Baptiste Lokwa, said": the name in the appositive is the source.
        let after = w.text.get(np.1..cue_pos).unwrap_or_default().trim();
        if let Some(inner) = after.strip_prefix(',').map(str::trim).and_then(|x| x.strip_suffix(',')).map(str::trim) {
            let inner_start = np.1 + w.text.get(np.1..cue_pos).and_then(|a| a.find(inner)).unwrap_or(0);
            let inner_end = inner_start + inner.len();
            if let Some(m) = w.entities.mentions_ending_at(inner_end).find(|m| m.start >= inner_start) {
                let e = &w.entities.entities[m.entity];
                let lead = &w.text[inner_start..m.start];
                if e.kind == EntityType::Person
                    && !lead.contains([',', '('])
                    && w.words.count_up_to(inner_start, m.start, 4) <= 3
                {
                    return Some(Source { name: e.name.clone(), anonymous: false, span: Some((m.start, m.end)) });
                }
            }
        }
        let src = self.resolve_source(w, np, cue_pos)?;
        if src.anonymous {
            let before = w.text[..np.0].trim_end();
            if let Some(comma_free) = before.strip_suffix(',') {
                let end = comma_free.trim_end().len();
                if let Some(m) = w.entities.mentions_ending_at(end).next() {
                    let e = &w.entities.entities[m.entity];
                    if e.kind == EntityType::Person {
                        return Some(Source { name: e.name.clone(), anonymous: false, span: Some((m.start, m.end)) });
                    }
                }
            }
        }
        Some(src)
    }

    fn subject_source(&self, w: &Walk, from: usize, cue_start: usize) -> Option<Source> {
        let np = self.subject_range(w.words, from, cue_start);
        self.subject_source_at(w, np, cue_start)
    }

    #[allow(clippy::too_many_arguments)]
    fn make(
        &self,
        text: &str,
        map: &CharMap,
        source: &Source,
        cue: &str,
        content: (usize, usize),
        sentence: Range<usize>,
        rule: &str,
    ) -> Attribution {
        let content = trim_quote_content(text, content.0, content.1);
        Attribution {
            source: source.name.clone(),
            cue: cue.to_string(),
            content: text[content.0..content.1].to_string(),
            span: map.span(sentence.start, sentence.end),
            source_span: source.span.map(|(a, b)| map.span(a, b)),
            content_span: Some(map.span(content.0, content.1)),
            direct: false,
            anonymous: source.anonymous,
            rule: rule.to_string(),
        }
    }

    fn is_noun_use(&self, words: Words, cue: &Cue) -> bool {
        with_lowercase(&words.text[cue.start..cue.end], |form| self.is_noun_use_of(words, cue, form))
    }

    /// [`is_noun_use`](Self::is_noun_use) of a cue whose lower-case form is `form`.
    fn is_noun_use_of(&self, words: Words, cue: &Cue, form: &str) -> bool {
        let text = words.text;
        // "the widely cited figure": a participle used as an adjective.
        let before = text[..cue.start].trim_end();
        if let Some(adverb) = last_word(before).filter(|w| with_lowercase(w, |l| l.ends_with("ly"))) {
            let before_adverb = &before[..before.len() - adverb.len()];
            if last_word(before_adverb).is_some_and(|d| with_lowercase(d, is_determiner)) {
                return true;
            }
        }
        if !NOUN_LIKE_CUES.contains(&form) {
            return false;
        }
        let before = &text[..cue.start];
        if last_word(before).is_some_and(|p| with_lowercase(p, is_determiner)) {
            return true;
        }
        // "Reports have been circulating": a capitalised plural noun opening a sentence.
        let sentence_initial = before.trim_end().is_empty() || before.trim_end().ends_with(['.', '\n', '“', '"']);
        if sentence_initial && matches!(form, "reports" | "claims" | "report") {
            return true;
        }
        // "reports say", "intelligence reports show": the next word is the verb.
        let next_is_verb = words
            .of(cue.end, text.len())
            .first()
            .is_some_and(|w| with_lowercase(w.text, |n| self.forms.iter().any(|f| f == n) || n == "that"));
        next_is_verb && matches!(form, "reports" | "report" | "claims" | "claim")
    }

    fn has_source_head(&self, text: &str, np: (usize, usize)) -> bool {
        last_word(&text[np.0..np.1]).is_some_and(|w| with_lowercase(w, |l| self.source_heads.contains(l)))
    }

    /// The subject noun phrase ending right before a cue at `cue_start`, without a relative
    /// clause ("an officer who has been listening ... stated" → "an officer").
    fn subject_range(&self, words: Words, from: usize, cue_start: usize) -> (usize, usize) {
        let (start, end) = self.subject_range_full(words, from, cue_start);
        for w in words.of(start, end).iter().skip(1) {
            if with_lowercase(w.text, is_relative_pronoun) {
                return trim_range(words.text, start, w.start);
            }
        }
        (start, end)
    }

    fn subject_range_full(&self, words: Words, from: usize, cue_start: usize) -> (usize, usize) {
        let text = words.text;
        // "The Women's Tennis Association (WTA) said": the acronym is not a clause boundary.
        let head = text[from..cue_start].trim_end();
        if head.ends_with(')') {
            if let Some(open) = head.rfind('(') {
                if open > 0 && !text[from + open..from + head.len()].contains(',') {
                    let np = self.subject_range_full(words, from, from + open);
                    if np.1 > np.0 {
                        return np;
                    }
                }
            }
        }
        let mut end = cue_start;
        // drop auxiliaries and -ly adverbs between subject and cue
        loop {
            let head = text[from..end].trim_end();
            let Some(word) = last_word(head) else { break };
            if with_lowercase(word, |lower| is_auxiliary(lower) || (lower.ends_with("ly") && lower.len() > 4)) {
                end = from + head.len() - word.len();
            } else {
                break;
            }
        }
        let segment = &text[from..end];
        let trimmed = segment.trim_end();
        // "X, a top aide to Y, made clear": skip the appositive back to X.
        if let Some(inner) = trimmed.strip_suffix(',') {
            if let Some(comma) = inner.rfind(',') {
                let start = clause_start(words, from, from + comma);
                let np = trim_range(text, from + start, from + comma);
                if np.1 > np.0 {
                    return np;
                }
            }
            let start = clause_start(words, from, from + inner.len());
            return trim_range(text, from + start, from + inner.len());
        }
        let start = clause_start(words, from, from + trimmed.len());
        // "X, an aide, had from June made remarks": a clause opening with an auxiliary has its
        // subject before the appositive.
        let first = words.of(from + start, from + trimmed.len()).first().copied();
        if start > 0
            && first.is_some_and(|f| {
                with_lowercase(f.text, |f| matches!(f, "had" | "has" | "have" | "was" | "were" | "is" | "are"))
            })
        {
            let inner = trimmed[..start].trim_end().trim_end_matches(',');
            if let Some(comma) = inner.rfind(',') {
                let np = trim_range(text, from + clause_start(words, from, from + comma), from + comma);
                if np.1 > np.0 {
                    return np;
                }
            }
        }
        trim_range(text, from + start, from + trimmed.len())
    }

    fn resolve_source(&self, w: &Walk, np: (usize, usize), cue_pos: usize) -> Option<Source> {
        let text = w.text;
        let (start, end) = np;
        if start >= end {
            return None;
        }
        let phrase = &text[start..end];
        let words: Vec<&str> = phrase.split_whitespace().collect();
        if words.is_empty() || words.len() > 12 {
            return None;
        }
        let lower = phrase.to_lowercase();
        let last_lower = words.last().map(|x| x.to_lowercase()).unwrap_or_default();
        if FIRST_PERSON.contains(&last_lower.as_str()) {
            return None;
        }
        if PRONOUNS.contains(&last_lower.as_str()) {
            return w.antecedent(cue_pos, None);
        }
        // "The report said", "The NCRI member noted": a definite description of a source
        // already named.
        if words.len() <= 4 && lower.starts_with("the ") {
            if DOCUMENT_NOUNS.contains(&last_lower.as_str()) {
                // An agency's "report" is a document of its own; a news outlet's is the outlet.
                let outlet_like = |src: &Source| {
                    let l = src.name.to_lowercase();
                    !src.anonymous
                        && src.span.is_some_and(|sp| {
                            w.entities.entity_covering(sp.0, sp.1).is_some_and(|e| {
                                let e = &w.entities.entities[e];
                                e.kind == EntityType::Organization && self.outlets.contains(&e.name)
                            })
                        })
                        || [
                            "agency",
                            "news",
                            "report",
                            "newspaper",
                            "daily",
                            "outlet",
                            "media",
                            "television",
                            "channel",
                        ]
                        .iter()
                        .any(|k| l.contains(k))
                };
                if let Some((src, _)) = w.last.as_ref().filter(|(src, _)| outlet_like(src)) {
                    return Some(src.clone());
                }
            } else if ORG_REFERENCE_NOUNS.contains(&last_lower.as_str()) {
                // the most recent organisation named before
                let org = w.entities.mentions.iter().rfind(|m| {
                    m.end <= start
                        && m.end + BACK_REFERENCE_REACH >= start
                        && w.entities.entities[m.entity].kind == EntityType::Organization
                });
                if let Some(m) = org {
                    let e = &w.entities.entities[m.entity];
                    return Some(Source { name: e.name.clone(), anonymous: false, span: Some(np) });
                }
            } else if ROLE_NOUNS.contains(&last_lower.as_str()) {
                if let Some(src) = w.antecedent(cue_pos, Some(EntityType::Person)) {
                    return Some(src);
                }
            }
        }
        // A named person at the end of the phrase ("IRGC chief Mohammad Ali Jafari").
        let inside: Vec<_> = w.entities.mentions_within(start, end).collect();
        if let Some(m) = inside.iter().filter(|m| m.end == end).min_by_key(|m| m.start) {
            let e = &w.entities.entities[m.entity];
            let prefix = &text[start..m.start];
            let prefix_lower = prefix.to_lowercase();
            let titled_prefix = e.kind == EntityType::Person
                && !prefix.contains(',')
                && !prefix_lower
                    .split_whitespace()
                    .any(|x| matches!(x, "a" | "an" | "of" | "to" | "by" | "with" | "from"));
            let bare = prefix.trim().is_empty() || prefix.trim().eq_ignore_ascii_case("the");
            if bare || titled_prefix {
                return Some(Source { name: e.name.clone(), anonymous: false, span: Some(np) });
            }
        }
        let named_head = inside.first().is_some_and(|m| {
            let lead = text[start..m.start].trim();
            (lead.is_empty() || lead.eq_ignore_ascii_case("the"))
                && w.entities.entities[m.entity].kind != EntityType::Location
        });
        if !phrase.chars().any(char::is_alphabetic) {
            return None;
        }
        Some(Source { name: phrase.to_string(), anonymous: !named_head, span: Some(np) })
    }
}

/// The document's text with its word stream: the words of any stretch of the text are read
/// from the stream (the same words tokenising the stretch gives) instead of tokenising the
/// stretch again, as the source and content rules do many times per cue.
#[derive(Clone, Copy)]
struct Words<'s, 'a> {
    text: &'a str,
    stream: &'s WordStream<'a>,
}

impl<'s, 'a> Words<'s, 'a> {
    /// The words of `text[start..end]`, offsets into the text.
    fn of(&self, start: usize, end: usize) -> Cow<'s, [Word<'a>]> {
        self.stream.words_of(self.text, start..end)
    }

    /// The number of words in `text[start..end]`, counted up to `limit`.
    fn count_up_to(&self, start: usize, end: usize, limit: usize) -> usize {
        self.of(start, end).len().min(limit)
    }
}

/// State of one document's left-to-right walk over quotations and cues.
struct Walk<'a> {
    text: &'a str,
    words: Words<'a, 'a>,
    sentences: &'a [Range<usize>],
    entities: &'a EntityResult,
    map: &'a CharMap,
    quotes: &'a [Quote],
    cues: &'a [Cue],
    paragraphs: &'a [Range<usize>],
    /// Persons that open a sentence, with their position: antecedents for "he"/"she".
    subjects: &'a [(usize, Source)],
    used: Vec<bool>,
    out: Vec<(Attribution, usize)>,
    /// The previous attribution's source and cue position.
    last: Option<(Source, usize)>,
    last_direct: Option<(Source, String)>,
}

impl Walk<'_> {
    fn sentence_of(&self, pos: usize) -> Option<Range<usize>> {
        let i = self.sentences.partition_point(|s| s.end.max(s.start + 1) <= pos);
        self.sentences.get(i).filter(|s| s.start <= pos).cloned()
    }

    /// Whom a pronoun or definite description at `pos` refers to: the later of the previous
    /// attribution's source and the last person opening a sentence.
    fn antecedent(&self, pos: usize, kind: Option<EntityType>) -> Option<Source> {
        let subject = self.subjects.iter().rev().find(|(p, _)| *p < pos);
        let last = self.last.as_ref().filter(|(src, _)| kind.is_none() || !src.anonymous);
        match (last, subject) {
            (Some((src, lp)), Some((sp, subj))) => Some(if sp > lp { subj.clone() } else { src.clone() }),
            (Some((src, _)), None) => Some(src.clone()),
            (None, Some((_, subj))) => Some(subj.clone()),
            (None, None) => None,
        }
    }
}

/// Person mentions among the first words of a sentence (after an optional title or date).
fn sentence_subjects(
    words: Words,
    sentences: &[Range<usize>],
    entities: &EntityResult,
    quotes: &[Quote],
) -> Vec<(usize, Source)> {
    let text = words.text;
    let mut out = Vec::new();
    for s in sentences {
        let first_person = entities
            .mentions_within(s.start, s.end)
            .find(|m| entities.entities[m.entity].kind == EntityType::Person)
            .filter(|m| {
                let lead = &text[s.start..m.start];
                let after_of = last_word(lead).is_some_and(|w| w.eq_ignore_ascii_case("of"));
                words.count_up_to(s.start, m.start, 5) <= 4
                    && !lead.contains(['“', '"', ','])
                    && !after_of
                    && !in_quote(quotes, m.start)
            });
        if let Some(m) = first_person {
            let e = &entities.entities[m.entity];
            out.push((m.start, Source { name: e.name.clone(), anonymous: false, span: Some((m.start, m.end)) }));
        }
    }
    out
}

fn in_quote(quotes: &[Quote], pos: usize) -> bool {
    quotes.iter().any(|q| q.inner.0 <= pos && pos < q.inner.1)
}

fn starts_with_preposition(words: Words, start: usize, end: usize) -> bool {
    words.of(start, end).first().is_some_and(|w| {
        with_lowercase(w.text, |f| {
            matches!(f, "on" | "in" | "at" | "for" | "about" | "from" | "with" | "by" | "during")
        })
    })
}

/// No word of `s`, lower-cased, is a verb marker. ASCII case folding keeps the words where
/// they are, so they are folded one by one; other text is lowered whole first (folding can
/// change what a word is there).
fn no_verb_marker(words: Words, start: usize, end: usize) -> bool {
    let s = &words.text[start..end];
    if s.is_ascii() {
        words.of(start, end).iter().all(|x| !with_lowercase(x.text, is_verb_marker))
    } else {
        crosscheck_text::words(&s.to_lowercase()).all(|x| !is_verb_marker(x.text))
    }
}

/// "who", "who's", "which" (lower case): a relative clause starts here.
fn is_relative_pronoun(l: &str) -> bool {
    l == "who" || l.starts_with("who'") || l.starts_with("who’") || l == "which"
}

/// The number of words in `s`, counted up to `limit`: the callers only compare it with a
/// small bound, and the text before a mention can be a whole long sentence.
fn word_count_up_to(s: &str, limit: usize) -> usize {
    crosscheck_text::words(s).take(limit).count()
}

fn last_word(s: &str) -> Option<&str> {
    let s = s.trim_end();
    // Step over the whole whitespace char: some (U+2007, U+3000) are several bytes long.
    let start = s.rfind(|c: char| c.is_whitespace()).map_or(0, |p| p + s[p..].chars().next().map_or(1, char::len_utf8));
    let w = &s[start..];
    (!w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '\'' || c == '’')).then_some(w)
}

/// Offset from `from` where the last clause of `from..end` starts (after punctuation or a
/// clause word).
fn clause_start(doc: Words, from: usize, end: usize) -> usize {
    let s = &doc.text[from..end];
    let mut start = last_clause_mark(s).map_or(0, |p| p + s[p..].chars().next().map_or(1, char::len_utf8));
    for w in doc.of(from + start, end).iter() {
        if with_lowercase(w.text, is_clause_word) {
            start = w.end - from;
        }
    }
    // Keep subjects short: a long stretch without punctuation is a clause, not a subject.
    // "A FSA officer who's been listening in ... stated": the head comes before "who".
    let words = doc.of(from + start, end);
    if words.len() > 8 {
        if let Some(rel) = words.iter().position(|w| with_lowercase(w.text, is_relative_pronoun)) {
            if rel > 0 {
                return start;
            }
        }
        if words.len() <= 10 {
            return start;
        }
        if let Some(first) = words.get(words.len() - 6) {
            return first.start - from;
        }
    }
    start
}

/// Marks that end a clause, for [`clause_start`].
const CLAUSE_MARKS: [char; 10] = [',', ';', ':', '“', '”', '"', '(', ')', '—', '–'];

/// `s.rfind(CLAUSE_MARKS)`, scanning bytes: the ASCII marks are single bytes, and the others
/// all start with the byte 0xE2, which never occurs inside another char.
fn last_clause_mark(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    (0..bytes.len()).rev().find(|&p| match bytes[p] {
        b',' | b';' | b':' | b'"' | b'(' | b')' => true,
        0xE2 => s[p..].chars().next().is_some_and(|c| CLAUSE_MARKS.contains(&c)),
        _ => false,
    })
}

/// The noun phrase starting at `from`, up to punctuation or a clause word.
fn noun_phrase_after(words: Words, from: usize, limit: usize) -> (usize, usize) {
    let text = words.text;
    let rest = &text[from..limit];
    let mut end = from + rest.find([',', '.', ';', ':', '“', '"', '(', '—', '‘', '’']).unwrap_or(rest.len());
    for w in words.of(from, end).iter() {
        let stops = with_lowercase(w.text, |lower| {
            lower == "that" || lower == "as" || lower == "saying" || lower == "on" && w.start > from
        });
        if stops {
            end = w.start;
            break;
        }
    }
    trim_range(text, from, end)
}

/// "told reporters her shoulder was sore": the addressee is a short phrase; a pronoun or a
/// determiner after its first word starts the reported clause.
fn short_object(words: Words, object: (usize, usize)) -> (usize, usize) {
    for (n, w) in words.of(object.0, object.1).iter().enumerate() {
        let starts_clause = with_lowercase(w.text, |lower| {
            let pronoun = matches!(
                lower,
                "he" | "she" | "it" | "they" | "we" | "i" | "his" | "her" | "their" | "its" | "our" | "there" | "this"
            );
            let determiner = matches!(lower, "the" | "a" | "an");
            pronoun || determiner
        });
        if n > 0 && starts_clause {
            return trim_range(words.text, object.0, w.start);
        }
    }
    object
}

fn skip_punct(text: &str, from: usize, limit: usize) -> usize {
    let rest = &text[from..limit];
    from + (rest.len() - rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ':').len())
}

/// After a cue: skip ", :" and a "that" within the first few words.
fn skip_that(words: Words, from: usize, limit: usize) -> usize {
    let from = skip_punct(words.text, from, limit);
    words.of(from, limit).iter().take(8).find(|w| w.text.eq_ignore_ascii_case("that")).map_or(from, |w| w.end)
}

fn skip_as_saying(text: &str, from: usize, limit: usize) -> usize {
    let rest = &text[from..limit];
    let trimmed = rest.trim_start();
    for prefix in ["as saying", "saying", "as"] {
        if trimmed.len() >= prefix.len() && trimmed[..prefix.len()].eq_ignore_ascii_case(prefix) {
            return from + (rest.len() - trimmed.len()) + prefix.len();
        }
    }
    from
}

fn trim_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    if start >= end {
        return (start, start);
    }
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    (start + lead, start + lead + t.len())
}

/// Trims spaces, quotation marks and final punctuation from content.
fn trim_quote_content(text: &str, start: usize, end: usize) -> (usize, usize) {
    let (mut start, mut end) = trim_range(text, start, end);
    let marks = |c: char| matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | ',' | '.' | ';' | ':' | ' ' | '…');
    while start < end {
        let c = text[start..end].chars().next().unwrap_or(' ');
        if marks(c) && c != '.' {
            start += c.len_utf8();
        } else {
            break;
        }
    }
    while start < end {
        let c = text[start..end].chars().next_back().unwrap_or(' ');
        if marks(c) {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    (start, end)
}

/// Byte ranges of the quotations (at least four words) of `text`, marks included.
pub fn quotation_spans(text: &str) -> Vec<(usize, usize)> {
    quotation_spans_in(text, &crosscheck_text::paragraphs(text))
}

/// [`quotation_spans`] of a text whose paragraphs are known.
pub fn quotation_spans_in(text: &str, paragraphs: &[Range<usize>]) -> Vec<(usize, usize)> {
    find_quotes_in(text, paragraphs).into_iter().map(|q| (q.open, q.close)).collect()
}

/// Quotations of at least four words, paired within one of the text's `paragraphs`.
fn find_quotes_in(text: &str, paragraphs: &[Range<usize>]) -> Vec<Quote> {
    let mut out = Vec::new();
    for para in paragraphs.iter().cloned() {
        let mut open_curly: Option<usize> = None;
        let mut open_straight: Option<usize> = None;
        // Only `"` and the lead byte 0xE2 of `“` and `”` matter: jump between them.
        let marks = memchr::memchr2_iter(b'"', 0xE2, &text.as_bytes()[para.clone()]).map(|i| para.start + i);
        for at in marks {
            let rest = &text[at..];
            if rest.starts_with('"') {
                match open_straight.take() {
                    Some(o) => push_quote(text, o, at, 1, 1, &mut out),
                    None => open_straight = Some(at),
                }
            } else if rest.starts_with('“') {
                open_curly = Some(at);
            } else if rest.starts_with('”') {
                if let Some(o) = open_curly.take() {
                    push_quote(text, o, at, '”'.len_utf8(), '“'.len_utf8(), &mut out);
                }
            }
        }
    }
    out.sort_by_key(|q| q.open);
    out
}

fn push_quote(text: &str, open: usize, close_mark: usize, close_len: usize, open_len: usize, out: &mut Vec<Quote>) {
    let inner = (open + open_len, close_mark);
    if word_count_up_to(&text[inner.0..inner.1], 4) >= 4 {
        out.push(Quote { open, close: close_mark + close_len, inner });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::EntityRecognizer;
    use crosscheck_text::sentences;

    fn attributions(text: &str) -> Vec<Attribution> {
        let attr = AttributionRecognizer::new().expect("cues load");
        let ents = EntityRecognizer::new(attr.speech_verbs()).expect("entities load");
        let map = CharMap::new(text);
        let sents = sentences(text);
        let found = ents.find(text, &sents, &map);
        attr.find(text, &sents, &found, &map)
    }

    fn check_spans(text: &str, a: &Attribution) {
        if let Some(cs) = a.content_span {
            assert_eq!(crosscheck_text::slice_chars(text, cs), a.content);
        }
    }

    #[test]
    fn clause_marks_are_found_as_rfind_finds_them() {
        for s in ["a, b; c", "x “quoted” y — z", "none here", "", "é–ü(ö)", "end,", "—"] {
            assert_eq!(last_clause_mark(s), s.rfind(CLAUSE_MARKS), "{s:?}");
        }
    }

    #[test]
    fn quote_then_speaker() {
        let text = "“We will not leave the city at all,” an army officer in Kyiv told Reuters.";
        let a = attributions(text);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].source, "an army officer in Kyiv");
        assert_eq!(a[0].cue, "told");
        assert_eq!(a[0].content, "We will not leave the city at all");
        assert!(a[0].direct && a[0].anonymous);
        check_spans(text, &a[0]);
    }

    #[test]
    fn continuation_and_pronoun_quotes_keep_the_speaker() {
        let text = "“The talks are over for now,” said Vladimir Putin.\n\n“We will see what comes next week.”\n\n“Nothing is decided yet at all,” he added.";
        let a = attributions(text);
        assert_eq!(a.len(), 3, "{a:#?}");
        assert!(a.iter().all(|x| x.source == "Vladimir Putin" && !x.anonymous));
        assert_eq!(a[2].cue, "added");
    }

    #[test]
    fn reported_speech_with_that_and_titles() {
        let text = "Army chief Omar Haddad said that the troops would leave the border area.";
        let a = attributions(text);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].source, "Omar Haddad");
        assert_eq!(a[0].content, "the troops would leave the border area");
        assert!(!a[0].direct && !a[0].anonymous);
        check_spans(text, &a[0]);
    }

    #[test]
    fn according_to_before_and_after() {
        let text = "The convoy left the base at night, according to diplomatic sources. According to Reuters, the port was closed.";
        let a = attributions(text);
        assert_eq!(a.len(), 2, "{a:#?}");
        assert_eq!(a[0].source, "diplomatic sources");
        assert_eq!(a[0].content, "The convoy left the base at night");
        assert_eq!(a[1].source, "Reuters");
        assert_eq!(a[1].content, "the port was closed");
    }

    #[test]
    fn nested_quoted_and_hearsay() {
        let text = "Bloomberg quoted US officials as saying the fighters were retreating. The unit was reportedly moved to the coast.";
        let a = attributions(text);
        let sources: Vec<&str> = a.iter().map(|x| x.source.as_str()).collect();
        assert_eq!(sources, vec!["Bloomberg", "US officials", "unnamed reports"], "{a:#?}");
        assert_eq!(a[1].content, "the fighters were retreating");
    }

    #[test]
    fn inverted_clause_and_weak_cue() {
        let text = "The army has lost 80 officers in two months, statistics show. The video shows a fire.";
        let a = attributions(text);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].source, "statistics");
        assert_eq!(a[0].content, "The army has lost 80 officers in two months");
    }

    #[test]
    fn name_inside_an_appositive_is_the_source() {
        let text = "The rebels' leader, Jean-Marc Lokwa, said his forces would respect the text.";
        let a = attributions(text);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].source, "Jean-Marc Lokwa");
        assert_eq!(a[0].content, "his forces would respect the text");
    }

    #[test]
    fn the_report_of_an_outlet_is_the_outlet_but_an_agencys_is_its_own() {
        let a = attributions("Reuters reported the army lost two bases. The report said the army lost 80 officers.");
        assert_eq!(a.last().map(|x| x.source.as_str()), Some("Reuters"), "{a:#?}");
        let a = attributions(
            "The World Health Organization said cases rose in March. The report said vaccination had fallen sharply.",
        );
        let last = a.last().expect("attributions");
        assert_ne!(last.source, "World Health Organization", "{a:#?}");
    }

    #[test]
    fn org_back_reference_and_acronym_subject() {
        let text = "Lumetra Semiconductors lost the case. The company said it would appeal the ruling. \
                    The Regional Health Directorate (RHD) said 31 bodies had been recovered.";
        let a = attributions(text);
        let sources: Vec<&str> = a.iter().map(|x| x.source.as_str()).collect();
        assert_eq!(sources, vec!["Lumetra Semiconductors", "Regional Health Directorate"], "{a:#?}");
    }

    #[test]
    fn clause_after_cue_is_not_an_inverted_source() {
        let text = "A lawmaker close to the premier, who asked not to be named, said a snap election was unlikely.";
        let a = attributions(text);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].source, "A lawmaker close to the premier");
        assert_eq!(a[0].content, "a snap election was unlikely");
        assert!(a[0].anonymous);
    }

    #[test]
    fn appositive_subject() {
        let text = "Tarek Lindqvist, a senior aide to the president, made clear that the army would stay.";
        let a = attributions(text);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].source, "Tarek Lindqvist");
        assert_eq!(a[0].cue, "made clear");
    }
}
