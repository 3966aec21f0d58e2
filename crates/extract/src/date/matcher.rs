//! Anchored matching of the date patterns: where in a text each pattern can start, and the
//! leftmost-first match with its groups at one such start.
//!
//! [`StartIndex`] owns the "which patterns can start here" table, built from each pattern's
//! literal prefixes (so a data change to a lexicon changes it too), and [`Matcher`] owns one
//! compiled pattern: a forward NFA, a lazy DFA over it that finds where an anchored match
//! ends, and the engines that then read the groups inside that match only. Caches and the
//! groups buffer live in [`MatcherCache`], reused across documents.
//!
//! It must not change what a pattern matches: every date pattern starts with an ASCII word
//! boundary, every start the index reports for a pattern is a superset of where that pattern
//! can match, and an anchored leftmost-first search at the leftmost matching start is what an
//! unanchored leftmost-first search from an earlier position reports.

use crate::ExtractError;
use regex_automata::nfa::thompson::{self, backtrack, pikevm, WhichCaptures};
use regex_automata::util::captures::Captures;
use regex_automata::{hybrid, Anchored, Input, MatchKind};
use regex_syntax::hir::{self, Hir, HirKind};
use std::sync::OnceLock;

/// Longest literal prefix kept per pattern: enough to tell "the first" from "the 5th" and
/// "st. patrick" from "still".
pub(super) const MAX_PREFIX: usize = 8;

/// A space in a prefix stands for a run of the spaces a date pattern writes `[ \t\u{a0}]+`.
const SPACE: u8 = b' ';

/// One position at which some patterns may start a match, as bits by pattern index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Start {
    pub pos: usize,
    pub patterns: u64,
}

/// A byte trie of the (ASCII-lowercased) literal prefixes every pattern's matches begin with.
pub(super) struct StartIndex {
    /// Byte (either case) → alphabet class; 0 for bytes no prefix holds.
    class_of: [u8; 256],
    stride: usize,
    /// `node * stride + class` → next node; 0 for none (the root is never a target).
    next: Vec<u32>,
    /// Per node: the patterns one of whose prefixes ends there.
    ends_here: Vec<u64>,
    /// Patterns whose prefixes are unknown or empty: they may start at any word boundary.
    anywhere: u64,
    /// Bytes (either case) some prefix begins with: elsewhere no pattern starts.
    first_byte: [bool; 256],
    /// Every pattern, for texts that need them tried at every boundary.
    all: u64,
}

impl StartIndex {
    /// Builds the index from each pattern's start prefixes (in pattern order, at most 64),
    /// compared with ASCII case folded: exact for case-insensitive patterns in every text
    /// without the Kelvin sign or long s (the caller tries every boundary in those). A
    /// pattern with an empty prefix may start at any word boundary.
    pub fn new<'a, W: IntoIterator<Item = &'a str>>(patterns: impl Iterator<Item = W>) -> Result<Self, ExtractError> {
        let mut prefixes: Vec<(Vec<u8>, u64)> = Vec::new();
        let mut anywhere = 0u64;
        let mut count = 0;
        for (index, words) in patterns.enumerate() {
            if index >= 64 {
                return Err(ExtractError::Resource {
                    file: super::PATTERN_FILE,
                    line: 0,
                    message: "over 64 date patterns".into(),
                });
            }
            count = index + 1;
            let bit = 1u64 << index;
            for word in words {
                let mut key = comparable_prefix(word.as_bytes());
                key.truncate(MAX_PREFIX);
                if key.first() == Some(&SPACE) {
                    return Err(ExtractError::Resource {
                        file: super::PATTERN_FILE,
                        line: 0,
                        message: format!("date start word {word:?} begins with a space"),
                    });
                }
                if key.is_empty() {
                    anywhere |= bit;
                } else {
                    prefixes.push((key, bit));
                }
            }
        }
        let mut class_of = [0u8; 256];
        let mut classes = 1usize;
        for (key, _) in &prefixes {
            for &b in key {
                if class_of[usize::from(b)] == 0 {
                    let class = u8::try_from(classes).map_err(|_| ExtractError::Resource {
                        file: super::PATTERN_FILE,
                        line: 0,
                        message: "too many distinct bytes in date pattern prefixes".into(),
                    })?;
                    class_of[usize::from(b)] = class;
                    classes += 1;
                }
            }
        }
        for upper in b'A'..=b'Z' {
            class_of[usize::from(upper)] = class_of[usize::from(upper.to_ascii_lowercase())];
        }
        class_of[usize::from(b'\t')] = class_of[usize::from(SPACE)];
        let mut first_byte = [false; 256];
        for (key, _) in &prefixes {
            if let Some(&b) = key.first() {
                first_byte[usize::from(b)] = true;
                first_byte[usize::from(b.to_ascii_uppercase())] = true;
            }
        }
        if anywhere != 0 {
            first_byte = [true; 256];
        }
        let stride = classes;
        let mut next = vec![0u32; stride];
        let mut ends_here = vec![0u64];
        for (key, bit) in &prefixes {
            let mut node = 0usize;
            for &b in key {
                let slot = node * stride + usize::from(class_of[usize::from(b)]);
                node = match next[slot] {
                    0 => {
                        let created = ends_here.len();
                        ends_here.push(0);
                        next.resize(next.len() + stride, 0);
                        next[slot] = u32::try_from(created).map_err(|_| ExtractError::Resource {
                            file: super::PATTERN_FILE,
                            line: 0,
                            message: "date prefix trie too large".into(),
                        })?;
                        created
                    }
                    n => n as usize,
                };
            }
            ends_here[node] |= bit;
        }
        let all = if count == 64 { u64::MAX } else { (1u64 << count) - 1 };
        Ok(StartIndex { class_of, stride, next, ends_here, anywhere, first_byte, all })
    }

    /// The word boundaries of `text` where some pattern may start, in order.
    pub fn starts(&self, text: &str, out: &mut Vec<Start>) {
        out.clear();
        let bytes = text.as_bytes();
        let mut pos = 0;
        // each turn: the non-word bytes up to a word's start, the word, and the boundary after it
        while pos < bytes.len() {
            while bytes.get(pos).is_some_and(|&b| !WORD_BYTE[usize::from(b)]) {
                pos += 1;
            }
            if pos >= bytes.len() {
                break;
            }
            self.push_start(bytes, pos, out);
            pos += 1;
            while bytes.get(pos).is_some_and(|&b| WORD_BYTE[usize::from(b)]) {
                pos += 1;
            }
            if pos < bytes.len() {
                self.push_start(bytes, pos, out);
                pos += 1;
            }
        }
    }

    fn push_start(&self, bytes: &[u8], pos: usize, out: &mut Vec<Start>) {
        if !self.first_byte[usize::from(bytes[pos])] {
            return;
        }
        let patterns = self.anywhere | self.prefixes_at(&bytes[pos..]);
        if patterns != 0 {
            out.push(Start { pos, patterns });
        }
    }

    /// Every word boundary of `text`, each with every pattern.
    pub fn every_boundary(&self, text: &str, out: &mut Vec<Start>) {
        out.clear();
        let mut prev_word = false;
        for (pos, &b) in text.as_bytes().iter().enumerate() {
            let word = is_word_byte(b);
            if word != prev_word {
                out.push(Start { pos, patterns: self.all });
            }
            prev_word = word;
        }
    }

    /// The patterns one of whose prefixes `rest` begins with; a run of spaces, tabs and
    /// no-break spaces in `rest` is one space of a prefix.
    pub(super) fn prefixes_at(&self, rest: &[u8]) -> u64 {
        let space = self.class_of[usize::from(SPACE)];
        let mut node = 0usize;
        let mut found = 0u64;
        let mut at = 0;
        for _ in 0..MAX_PREFIX {
            let Some(&b) = rest.get(at) else { break };
            at += 1;
            let mut class = self.class_of[usize::from(b)];
            if class == 0 {
                // a no-break space (a tab has the space's class)
                if space == 0 || b != 0xC2 || rest.get(at) != Some(&0xA0) {
                    break;
                }
                at += 1;
                class = space;
            }
            if class == space {
                while let len @ 1.. = space_len(&rest[at..]) {
                    at += len;
                }
            }
            node = self.next[node * self.stride + usize::from(class)] as usize;
            if node == 0 {
                break;
            }
            found |= self.ends_here[node];
        }
        found
    }
}

/// The length of the space, tab or no-break space `rest` begins with, else 0.
fn space_len(rest: &[u8]) -> usize {
    match rest {
        [b' ' | b'\t', ..] => 1,
        [0xC2, 0xA0, ..] => 2,
        _ => 0,
    }
}

/// `(?-u:\b)` word bytes.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// [`is_word_byte`] as a table.
static WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// The part of a literal prefix that can be compared byte for byte with ASCII case folded:
/// up to the first char with case outside ASCII (or a char cut by the literal's end).
fn comparable_prefix(literal: &[u8]) -> Vec<u8> {
    let valid = match std::str::from_utf8(literal) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&literal[..e.valid_up_to()]).unwrap_or(""),
    };
    let mut out = Vec::with_capacity(valid.len());
    for c in valid.chars() {
        if matches!(c, '\t' | '\u{a0}') {
            out.push(SPACE);
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase() as u8);
        } else if c.to_lowercase().eq(std::iter::once(c)) && c.to_uppercase().eq(std::iter::once(c)) {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        } else {
            break;
        }
    }
    out
}

/// The alternations of lexicon forms ("january|february|...") that many date patterns
/// share, each parsed once for all of them: parsing is most of a pattern's compile cost,
/// and the same month or number-word list appears in up to ten patterns.
///
/// A pattern is parsed with each shared alternation in it replaced by one private-use char,
/// and the parsed alternation is put back in the tree where that char stands, rebuilt with
/// the same simplifying constructors the parser uses: a unit test proves the result equal
/// to parsing the whole pattern. Case-sensitive patterns only (alternations are parsed
/// without flags); a pattern where a placeholder would not stand alone is parsed whole.
pub(super) struct Alternations {
    /// Longest first, so that an alternation inside a longer one is replaced after it.
    sources: Vec<String>,
    parsed: OnceLock<Option<Vec<Hir>>>,
}

/// The first placeholder char (supplementary private use area A, never in a pattern).
const PLACEHOLDER: u32 = 0xF_0000;

impl Alternations {
    /// `sources`: regex alternations as patterns spell them; short ones are not worth it.
    pub fn new(sources: impl IntoIterator<Item = String>) -> Self {
        let mut sources: Vec<String> = sources.into_iter().filter(|s| s.len() >= 24 && s.contains('|')).collect();
        sources.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        sources.dedup();
        sources.truncate(256);
        Alternations { sources, parsed: OnceLock::new() }
    }

    fn parsed(&self) -> Option<&[Hir]> {
        self.parsed.get_or_init(|| self.sources.iter().map(|s| parse(&format!("(?:{s})")).ok()).collect()).as_deref()
    }

    /// The syntax tree of the case-sensitive pattern `source`.
    pub fn hir(&self, source: &str) -> Result<Hir, ExtractError> {
        match self.substituted(source) {
            Some(hir) => Ok(hir),
            None => parse(source),
        }
    }

    pub(super) fn substituted(&self, source: &str) -> Option<Hir> {
        let mut template = std::borrow::Cow::Borrowed(source);
        for (i, alternation) in self.sources.iter().enumerate() {
            if template.contains(alternation.as_str()) {
                let mark = char::from_u32(PLACEHOLDER + u32::try_from(i).ok()?)?;
                template =
                    std::borrow::Cow::Owned(template.replace(alternation.as_str(), mark.encode_utf8(&mut [0; 4])));
            }
        }
        if let std::borrow::Cow::Borrowed(_) = template {
            return None;
        }
        let parsed = self.parsed()?;
        substitute(parse(&template).ok()?, parsed)
    }
}

/// Parses with the `regex` crate's syntax (as [`Matcher::new`] does).
fn parse(source: &str) -> Result<Hir, ExtractError> {
    regex_automata::util::syntax::parse_with(source, &regex_automata::util::syntax::Config::new().utf8(true))
        .map_err(|e| ExtractError::Pattern { file: super::PATTERN_FILE, source: Box::new(e) })
}

/// `hir` with each placeholder literal replaced by its parsed alternation; `None` when a
/// placeholder is glued to other literal text.
fn substitute(hir: Hir, parsed: &[Hir]) -> Option<Hir> {
    let rebuilt = |subs: Vec<Hir>| subs.into_iter().map(|sub| substitute(sub, parsed)).collect::<Option<Vec<Hir>>>();
    Some(match hir.into_kind() {
        HirKind::Literal(hir::Literal(bytes)) => {
            let text = std::str::from_utf8(&bytes).ok();
            let mut chars = text.into_iter().flat_map(str::chars);
            match (chars.next(), chars.next()) {
                (Some(c), None) if u32::from(c) >= PLACEHOLDER => {
                    parsed.get((u32::from(c) - PLACEHOLDER) as usize)?.clone()
                }
                _ if text.is_some_and(|t| t.chars().any(|c| u32::from(c) >= PLACEHOLDER)) => return None,
                _ => Hir::literal(bytes),
            }
        }
        HirKind::Empty => Hir::empty(),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Repetition(r) => Hir::repetition(hir::Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(substitute(*r.sub, parsed)?),
        }),
        HirKind::Capture(c) => {
            Hir::capture(hir::Capture { index: c.index, name: c.name, sub: Box::new(substitute(*c.sub, parsed)?) })
        }
        HirKind::Concat(subs) => Hir::concat(rebuilt(subs)?),
        HirKind::Alternation(subs) => Hir::alternation(rebuilt(subs)?),
    })
}

/// One date pattern, compiled for anchored searches.
pub(super) struct Matcher {
    dfa: Option<hybrid::dfa::DFA>,
    backtrack: backtrack::BoundedBacktracker,
    pikevm: pikevm::PikeVM,
}

/// What one thread needs to run one [`Matcher`]: engine caches and the groups of the last match.
pub(super) struct MatcherCache {
    dfa: Option<hybrid::dfa::Cache>,
    backtrack: backtrack::Cache,
    pikevm: pikevm::Cache,
    groups: Captures,
}

impl Matcher {
    /// Compiles `source` with the `regex` crate's syntax, match semantics and size limits.
    pub fn new(source: &str) -> Result<Self, ExtractError> {
        Matcher::from_hir(&parse(source)?)
    }

    /// Compiles a parsed pattern (see [`Alternations::hir`]).
    pub fn from_hir(hir: &Hir) -> Result<Self, ExtractError> {
        let err = |e: Box<dyn std::error::Error + Send + Sync>| ExtractError::Pattern {
            file: super::PATTERN_FILE,
            source: e,
        };
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(true)
                    .nfa_size_limit(Some(10 * (1 << 20)))
                    .shrink(false)
                    .which_captures(WhichCaptures::All),
            )
            .build_from_hir(hir)
            .map_err(|e| err(Box::new(e)))?;
        // A lazy DFA that cannot fit its minimum cache leaves the PikeVM to do everything.
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .cache_capacity(2 * (1 << 20))
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .ok();
        let backtrack = backtrack::BoundedBacktracker::new_from_nfa(nfa.clone()).map_err(|e| err(Box::new(e)))?;
        let pikevm = pikevm::PikeVM::new_from_nfa(nfa).map_err(|e| err(Box::new(e)))?;
        Ok(Matcher { dfa, backtrack, pikevm })
    }

    /// Whether the pattern can match the empty string (an anchored search would then need
    /// the UTF-8 split handling a meta regex does).
    #[cfg(test)]
    pub fn can_match_empty(&self) -> bool {
        self.pikevm.get_nfa().has_empty()
    }

    pub fn create_cache(&self) -> MatcherCache {
        MatcherCache {
            dfa: self.dfa.as_ref().map(hybrid::dfa::DFA::create_cache),
            backtrack: self.backtrack.create_cache(),
            pikevm: self.pikevm.create_cache(),
            groups: self.pikevm.create_captures(),
        }
    }

    /// The leftmost-first match starting exactly at `start` (look-around sees all of
    /// `haystack`), its groups in the returned buffer.
    pub fn match_at<'c>(&self, cache: &'c mut MatcherCache, haystack: &str, start: usize) -> Option<&'c Captures> {
        let input = Input::new(haystack).span(start..haystack.len()).anchored(Anchored::Yes);
        let end = match (&self.dfa, &mut cache.dfa) {
            (Some(dfa), Some(dfa_cache)) => match dfa.try_search_fwd(dfa_cache, &input) {
                Ok(None) => return None,
                Ok(Some(half)) => Some(half.offset()),
                // gave up (cache thrashing): the PikeVM reads the whole rest
                Err(_) => None,
            },
            _ => None,
        };
        let input = match end {
            Some(end) => input.span(start..end),
            None => input,
        };
        cache.groups.clear();
        // the backtracker is faster on a short match but refuses a span too long for its memory
        let backtracked = end.is_some()
            && input.get_span().len() <= self.backtrack.max_haystack_len()
            && self.backtrack.try_search(&mut cache.backtrack, &input, &mut cache.groups).is_ok();
        if !backtracked {
            self.pikevm.search(&mut cache.pikevm, &input, &mut cache.groups);
        }
        cache.groups.is_match().then_some(&cache.groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_are_word_boundaries_holding_a_prefix_in_either_case() {
        let index = StartIndex::new([vec!["may", "June"], vec!["1", "2"]].into_iter()).expect("index builds");
        let mut out = Vec::new();
        index.starts("In MAY 2020, dismay; June", &mut out);
        assert_eq!(out, [Start { pos: 3, patterns: 1 }, Start { pos: 7, patterns: 2 }, Start { pos: 21, patterns: 1 }]);
    }

    #[test]
    fn starts_are_every_boundary_holding_a_prefix() {
        let index = StartIndex::new([vec!["a", "'", "\u{2019}"], vec!["1", "_x"]].into_iter()).expect("index builds");
        for text in ["a_x 1a, ab'a a\u{2019}90s _x", "'a1 ' 'b 1_x", "", "é a1\n1"] {
            let mut out = Vec::new();
            index.starts(text, &mut out);
            let bytes = text.as_bytes();
            let naive: Vec<Start> = (0..bytes.len())
                .filter(|&p| is_word_byte(bytes[p]) != (p > 0 && is_word_byte(bytes[p - 1])))
                .map(|pos| Start { pos, patterns: index.prefixes_at(&bytes[pos..]) })
                .filter(|s| s.patterns != 0)
                .collect();
            assert_eq!(out, naive, "{text}");
        }
    }

    #[test]
    fn a_pattern_without_known_prefixes_may_start_at_every_boundary() {
        let index = StartIndex::new([vec![""]].into_iter()).expect("index builds");
        let mut out = Vec::new();
        index.starts("a b", &mut out);
        assert_eq!(out.iter().map(|s| s.pos).collect::<Vec<_>>(), [0, 1, 2]);
    }

    #[test]
    fn an_anchored_match_is_the_leftmost_first_one_at_that_start() {
        let m = Matcher::new(r"(?i)(?-u:\b)(?P<m>may|mayday)(?P<d>[0-9]+)?").expect("compiles");
        let mut cache = m.create_cache();
        let text = "on Mayday 5";
        let groups = m.match_at(&mut cache, text, 3).expect("matches at 3");
        assert_eq!(groups.get_group(0).map(|s| &text[s.range()]), Some("May"));
        assert!(m.match_at(&mut cache, text, 4).is_none(), "no word boundary inside a word");
        assert!(m.match_at(&mut cache, text, 0).is_none());
    }
}
