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

use std::collections::HashSet;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use crosscheck_model::{Attribution, EntityType};
use crosscheck_text::CharMap;

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
const CLAUSE_WORDS: &[&str] = &[
    "that", "and", "but", "while", "as", "when", "because", "if", "since", "after", "before", "although", "though",
    "whereas", "where", "so", "which",
];
/// Words between a subject and its cue that are not part of the subject ("X also said").
const AUXILIARIES: &[&str] = &[
    "also",
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "then",
    "later",
    "previously",
    "again",
    "once",
    "further",
    "recently",
    "earlier",
    "had",
    "did",
    "does",
    "do",
    "not",
    "never",
    "would",
    "will",
    "could",
    "may",
    "might",
];
const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "him", "her"];
/// Forms that are also nouns ("the reports", "his claims"): a cue only when used as a verb.
const NOUN_LIKE_CUES: &[&str] = &["reports", "report", "claims", "claim", "notes", "states", "show", "shows"];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "these", "those", "this", "his", "her", "their", "its", "such", "new", "recent", "of", "in", "to",
];

pub struct AttributionRecognizer {
    automaton: AhoCorasick,
    kinds: Vec<CueKind>,
    forms: Vec<String>,
    source_heads: HashSet<String>,
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
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&forms)
            .map_err(|e| ExtractError::Pattern { file, source: Box::new(e) })?;
        let source_heads = lexicon::word_set(
            "attribution/source_heads.txt",
            include_str!("../../../resources/attribution/source_heads.txt"),
        );
        Ok(AttributionRecognizer { automaton, kinds, forms, source_heads })
    }

    /// One-word verbs of saying, for the entity stage's "X said" person cue.
    pub fn speech_verbs(&self) -> HashSet<String> {
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
        let quotes = find_quotes(text);
        let cues: Vec<Cue> = lexicon::find_whole_words(&self.automaton, text)
            .into_iter()
            .map(|(start, end, pattern)| Cue { start, end, kind: self.kinds[pattern] })
            .filter(|c| !quotes.iter().any(|q| q.inner.0 <= c.start && c.end <= q.inner.1))
            // "United States" is not the cue "states".
            .filter(|c| entities.entity_covering(c.start, c.end).is_none())
            .filter(|c| !self.is_noun_use(text, c))
            .collect();
        let mut used = vec![false; cues.len()];
        let mut out: Vec<(Attribution, usize)> = Vec::new();
        let mut last_source: Option<Source> = None;
        let sentence_of =
            |pos: usize| sentences.iter().find(|s| s.start <= pos && pos < s.end.max(s.start + 1)).cloned();
        let paragraphs = crosscheck_text::paragraphs(text);
        let mut last_direct: Option<(Source, String, usize)> = None;

        // 1. quotations
        for q in &quotes {
            let Some(sentence_end) = sentence_of(q.close.saturating_sub(1)).map(|s| s.end) else { continue };
            let mut found: Option<(Source, usize)> = None;
            // after the closing mark: “…,” X said / “…,” said X
            let after_end = sentence_of(q.close).map_or(sentence_end, |s| s.end).max(q.close);
            if let Some((ci, cue)) = cues.iter().enumerate().find(|(_, c)| c.start >= q.close && c.end <= after_end) {
                let between = &text[q.close..cue.start];
                if between.split_whitespace().count() <= 8 && !between.contains(['.', '!', '?', '“', '"']) {
                    let np = trim_range(text, q.close, cue.start);
                    let source = if np.0 < np.1 && text[np.0..np.1].chars().any(char::is_alphanumeric) {
                        self.resolve_source(text, np, entities, &last_source)
                    } else {
                        let after = noun_phrase_after(text, cue.end, after_end);
                        self.resolve_source(text, after, entities, &last_source)
                    };
                    if let Some(s) = source {
                        found = Some((s, ci));
                    }
                }
            }
            // before the opening mark: X said: “…”
            if found.is_none() {
                if let Some(s) = sentence_of(q.open).or_else(|| sentence_of(q.open + 1)) {
                    let lead = &text[s.start..q.open];
                    let trimmed = lead.trim_end().trim_end_matches([':', ',']).trim_end();
                    let lead_end = s.start + trimmed.len();
                    if let Some((ci, cue)) = cues.iter().enumerate().rev().find(|(_, c)| c.end == lead_end) {
                        let np = self.subject_range(text, s.start, cue.start);
                        if let Some(src) = self.resolve_source(text, np, entities, &last_source) {
                            found = Some((src, ci));
                        }
                    }
                }
            }
            let content = trim_quote_content(text, q.inner.0, q.inner.1);
            let (source, cue_text) = match found {
                Some((s, ci)) => {
                    used[ci] = true;
                    (s, text[cues[ci].start..cues[ci].end].to_lowercase())
                }
                None => {
                    // A paragraph that is only a quotation continues the previous speaker.
                    let para = paragraphs.iter().find(|p| p.start <= q.open && q.open < p.end);
                    let starts_paragraph = para.is_some_and(|p| text[p.start..q.open].trim().is_empty());
                    let para_has_cue = para.is_some_and(|p| cues.iter().any(|c| c.start >= p.start && c.end <= p.end));
                    match (&last_direct, starts_paragraph && !para_has_cue) {
                        (Some((s, cue, _)), true) => (s.clone(), cue.clone()),
                        _ => continue,
                    }
                }
            };
            let span = map.span(q.open.min(source.span.map_or(q.open, |s| s.0)), sentence_end.max(q.close));
            last_direct = Some((source.clone(), cue_text.clone(), q.close));
            last_source = Some(source.clone());
            out.push((
                Attribution {
                    source: source.name.clone(),
                    cue: cue_text,
                    content: text[content.0..content.1].to_string(),
                    span,
                    source_span: source.span.map(|(a, b)| map.span(a, b)),
                    content_span: Some(map.span(content.0, content.1)),
                    direct: true,
                    anonymous: source.anonymous,
                    rule: "quotation".into(),
                },
                q.open,
            ));
        }

        // 2. reported speech
        for (ci, cue) in cues.iter().enumerate() {
            if used[ci] {
                continue;
            }
            let Some(s) = sentence_of(cue.start) else { continue };
            let cue_text = text[cue.start..cue.end].to_lowercase();
            // Previous cues in the sentence bound the subject on the left.
            let left_start =
                cues[..ci].iter().rev().find(|c| c.end <= cue.start && c.start >= s.start).map_or(s.start, |c| c.end);
            let (source, content, rule) = match cue.kind {
                CueKind::According => {
                    let np = noun_phrase_after(text, cue.end, s.end);
                    let Some(src) = self.resolve_source(text, np, entities, &last_source) else { continue };
                    let before = trim_range(text, s.start, cue.start);
                    let content = if before.1 > before.0 + 1 {
                        before
                    } else {
                        trim_range(text, skip_punct(text, np.1, s.end), s.end)
                    };
                    (src, content, "according-to")
                }
                CueKind::Hearsay => {
                    let after = skip_that(text, cue.end, s.end);
                    let content = if cue_text.contains(' ') {
                        trim_range(text, after, s.end)
                    } else {
                        trim_range(text, s.start, s.end)
                    };
                    (Source { name: "unnamed reports".into(), anonymous: true, span: None }, content, "hearsay")
                }
                CueKind::Speech | CueKind::Report | CueKind::Weak => {
                    let np = self.subject_range(text, left_start, cue.start);
                    let inverted = np.0 >= np.1;
                    let np = if inverted { noun_phrase_after(text, cue.end, s.end) } else { np };
                    if cue.kind == CueKind::Weak && !self.has_source_head(text, np) {
                        continue;
                    }
                    let Some(src) = self.resolve_source(text, np, entities, &last_source) else { continue };
                    let mut after = if inverted { np.1 } else { cue.end };
                    if cue_text == "told" || cue_text == "quoted" || cue_text == "cited" {
                        let object = noun_phrase_after(text, after, s.end);
                        if cue_text != "told" && object.1 > object.0 {
                            // Nested: "Bloomberg quoted US officials as saying ..." credits both.
                            let inner_start = skip_that(text, skip_as_saying(text, object.1, s.end), s.end);
                            for (k, later) in cues.iter().enumerate().skip(ci + 1) {
                                if later.start < inner_start {
                                    used[k] = true;
                                }
                            }
                            let inner = trim_range(text, inner_start, s.end);
                            if let Some(inner_src) = self.resolve_source(text, object, entities, &last_source) {
                                if inner.1 > inner.0 {
                                    out.push((
                                        self.make(text, map, &inner_src, &cue_text, inner, s.clone(), "quoted-source"),
                                        object.0,
                                    ));
                                }
                            }
                        } else {
                            after = object.1;
                        }
                    }
                    let right = trim_range(text, skip_that(text, after, s.end), s.end);
                    let content = if word_count(&text[right.0..right.1]) >= 2 {
                        right
                    } else {
                        let before_np = trim_range(text, s.start, np.0.min(cue.start));
                        if word_count(&text[before_np.0..before_np.1]) < 2 {
                            continue;
                        }
                        before_np
                    };
                    (src, content, "reported-speech")
                }
            };
            if content.0 >= content.1 {
                continue;
            }
            last_source = Some(source.clone());
            out.push((self.make(text, map, &source, &cue_text, content, s.clone(), rule), cue.start));
        }
        out.sort_by_key(|(a, pos)| (a.span.start, *pos));
        let mut seen = HashSet::new();
        out.into_iter().map(|(a, _)| a).filter(|a| seen.insert((a.source.clone(), a.content_span))).collect()
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

    fn is_noun_use(&self, text: &str, cue: &Cue) -> bool {
        let form = text[cue.start..cue.end].to_lowercase();
        if !NOUN_LIKE_CUES.contains(&form.as_str()) {
            return false;
        }
        let prev = last_word(&text[..cue.start]).map(str::to_lowercase);
        if prev.as_deref().is_some_and(|p| DETERMINERS.contains(&p)) {
            return true;
        }
        // "reports say", "intelligence reports show": the next word is the verb.
        let next = crosscheck_text::words(&text[cue.end..]).next().map(|w| w.text.to_lowercase());
        next.is_some_and(|n| self.forms.contains(&n) || n == "that")
            && matches!(form.as_str(), "reports" | "report" | "claims" | "claim")
    }

    fn has_source_head(&self, text: &str, np: (usize, usize)) -> bool {
        last_word(&text[np.0..np.1]).is_some_and(|w| self.source_heads.contains(&w.to_lowercase()))
    }

    /// The subject noun phrase ending right before a cue at `cue_start`.
    fn subject_range(&self, text: &str, from: usize, cue_start: usize) -> (usize, usize) {
        let mut end = cue_start;
        // drop auxiliaries and -ly adverbs between subject and cue
        loop {
            let head = text[from..end].trim_end();
            let Some(word) = last_word(head) else { break };
            let lower = word.to_lowercase();
            if AUXILIARIES.contains(&lower.as_str()) || (lower.ends_with("ly") && lower.len() > 4) {
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
                let before = &inner[..comma];
                let start = clause_start(before);
                let np = trim_range(text, from + start, from + comma);
                if np.1 > np.0 {
                    return np;
                }
            }
            let start = clause_start(inner);
            return trim_range(text, from + start, from + inner.len());
        }
        let start = clause_start(trimmed);
        trim_range(text, from + start, from + trimmed.len())
    }

    fn resolve_source(
        &self,
        text: &str,
        np: (usize, usize),
        entities: &EntityResult,
        last: &Option<Source>,
    ) -> Option<Source> {
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
        if PRONOUNS.contains(&lower.as_str()) {
            return last.clone();
        }
        // A named person at the end of the phrase ("IRGC chief Mohammad Ali Jafari").
        let inside: Vec<_> = entities.mentions_within(start, end).collect();
        if let Some(m) = inside.iter().filter(|m| m.end == end).min_by_key(|m| m.start) {
            let e = &entities.entities[m.entity];
            let prefix = &text[start..m.start];
            let titled_prefix = e.kind == EntityType::Person
                && !prefix.contains(',')
                && prefix.split_whitespace().all(|w| w.chars().next().is_some_and(char::is_uppercase) || w.len() > 2);
            let bare = prefix.trim().is_empty() || prefix.trim().eq_ignore_ascii_case("the");
            if bare
                || (titled_prefix
                    && !prefix.to_lowercase().split_whitespace().any(|w| matches!(w, "a" | "an" | "of" | "to")))
            {
                return Some(Source { name: e.name.clone(), anonymous: false, span: Some(np) });
            }
        }
        let named_head = inside.first().is_some_and(|m| {
            let lead = text[start..m.start].trim();
            (lead.is_empty() || lead.eq_ignore_ascii_case("the"))
                && entities.entities[m.entity].kind != EntityType::Location
        });
        if !phrase.chars().any(char::is_alphabetic) {
            return None;
        }
        Some(Source { name: phrase.to_string(), anonymous: !named_head, span: Some(np) })
    }
}

fn word_count(s: &str) -> usize {
    crosscheck_text::words(s).count()
}

fn last_word(s: &str) -> Option<&str> {
    let s = s.trim_end();
    let start = s.rfind(|c: char| c.is_whitespace()).map_or(0, |p| p + 1);
    let w = &s[start..];
    (!w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '\'' || c == '’')).then_some(w)
}

/// Byte offset within `s` where the last clause starts (after punctuation or a clause word).
fn clause_start(s: &str) -> usize {
    let mut start = s
        .rfind([',', ';', ':', '“', '”', '"', '(', ')', '—', '–'])
        .map_or(0, |p| p + s[p..].chars().next().map_or(1, char::len_utf8));
    let base = start;
    for w in crosscheck_text::words(&s[base..]) {
        if CLAUSE_WORDS.contains(&w.text.to_lowercase().as_str()) {
            start = base + w.end;
        }
    }
    let mut words = crosscheck_text::words(&s[start..]).collect::<Vec<_>>();
    // Keep subjects short: a long stretch without punctuation is a clause, not a subject.
    if words.len() > 8 {
        let keep = words.split_off(words.len() - 6);
        if let Some(first) = keep.first() {
            return start + first.start;
        }
    }
    start
}

/// The noun phrase starting at `from`, up to punctuation or a clause word.
fn noun_phrase_after(text: &str, from: usize, limit: usize) -> (usize, usize) {
    let rest = &text[from..limit];
    let mut end = rest.find([',', '.', ';', ':', '“', '"', '(', '—']).unwrap_or(rest.len());
    for w in crosscheck_text::words(&rest[..end]) {
        let lower = w.text.to_lowercase();
        if lower == "that" || lower == "as" || lower == "saying" || lower == "on" && w.start > 0 {
            end = w.start;
            break;
        }
    }
    trim_range(text, from, from + end)
}

fn skip_punct(text: &str, from: usize, limit: usize) -> usize {
    let rest = &text[from..limit];
    from + (rest.len() - rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == ':').len())
}

/// After a cue: skip ", :" and a "that" within the first few words.
fn skip_that(text: &str, from: usize, limit: usize) -> usize {
    let from = skip_punct(text, from, limit);
    for (n, w) in crosscheck_text::words(&text[from..limit]).enumerate() {
        if n > 7 {
            break;
        }
        if w.text.eq_ignore_ascii_case("that") {
            return from + w.end;
        }
        if matches!(w.text, "," | ".") {
            break;
        }
    }
    from
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

/// Quotations of at least four words, paired within a paragraph.
fn find_quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    for para in crosscheck_text::paragraphs(text) {
        let mut open_curly: Option<usize> = None;
        let mut open_straight: Option<usize> = None;
        for (i, c) in text[para.clone()].char_indices() {
            let at = para.start + i;
            match c {
                '“' => open_curly = Some(at),
                '”' => {
                    if let Some(o) = open_curly.take() {
                        push_quote(text, o, at, c.len_utf8(), '“'.len_utf8(), &mut out);
                    }
                }
                '"' => match open_straight.take() {
                    Some(o) => push_quote(text, o, at, 1, 1, &mut out),
                    None => open_straight = Some(at),
                },
                _ => {}
            }
        }
    }
    out.sort_by_key(|q| q.open);
    out
}

fn push_quote(text: &str, open: usize, close_mark: usize, close_len: usize, open_len: usize, out: &mut Vec<Quote>) {
    let inner = (open + open_len, close_mark);
    if word_count(&text[inner.0..inner.1]) >= 4 {
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
    fn appositive_subject() {
        let text = "Tarek Lindqvist, a senior aide to the president, made clear that the army would stay.";
        let a = attributions(text);
        assert_eq!(a.len(), 1, "{a:#?}");
        assert_eq!(a[0].source, "Tarek Lindqvist");
        assert_eq!(a[0].cue, "made clear");
    }
}
