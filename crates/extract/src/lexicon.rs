//! Reading the bundled lexicon files: one entry per line, `#` starts a comment, fields
//! separated by `|`. Owns only the line format and its error reporting (file and line); what
//! an entry means belongs to the module that loads it. Must not compile automata or keep state.

use crate::ExtractError;

/// One non-empty, non-comment line of a lexicon file.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub file: &'static str,
    pub number: usize,
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// The `|`-separated fields, trimmed, empty fields removed.
    pub fn fields(&self) -> Vec<&'a str> {
        self.text.split('|').map(str::trim).filter(|f| !f.is_empty()).collect()
    }

    /// An error pointing at this line.
    pub fn error(&self, message: impl Into<String>) -> ExtractError {
        ExtractError::Resource { file: self.file, line: self.number, message: message.into() }
    }
}

/// The entry lines of `content` (the text of resource `file`), comments and blanks skipped.
pub fn lines(file: &'static str, content: &'static str) -> impl Iterator<Item = Line<'static>> {
    content.lines().enumerate().filter_map(move |(i, raw)| {
        let text = match raw.find('#') {
            Some(p) => &raw[..p],
            None => raw,
        }
        .trim();
        (!text.is_empty()).then_some(Line { file, number: i + 1, text })
    })
}

/// Every entry of a one-word-per-line list, lower-cased.
pub fn word_set(file: &'static str, content: &'static str) -> crate::FastSet<String> {
    lines(file, content).map(|l| l.text.to_lowercase()).collect()
}

/// A set of lower-case phrases found as whole words, ASCII-case-insensitively, without an
/// automaton scan of every byte: only the positions that start a word are tried, by hashing
/// the first (up to) four lower-cased bytes there. Gives exactly what a leftmost-longest
/// Aho-Corasick automaton over the same phrases, followed by a word-boundary check, gives
/// (see [`WordMatcher::find_whole_words`]), and builds in a fraction of its time.
pub struct WordMatcher {
    /// The phrases as given (lower case), by pattern id.
    patterns: Vec<Box<[u8]>>,
    /// Lower-cased first bytes of all phrases, so that most word starts cost one load.
    first_byte: [bool; 256],
    /// The one-byte phrase of each lower-cased byte.
    single: [Option<u32>; 256],
    /// Bit sets over the first two lower-cased bytes: phrases of four or more bytes
    /// ([`LONG`]), of three ([`THREE`]) and of two ([`TWO`]); they spare the hash lookups
    /// at most word starts.
    pairs: Box<[[u64; 1024]; 3]>,
    /// Key of a phrase's first `min(4, len)` lower-cased bytes → its pattern ids, longest
    /// first and in id order among equals (the pattern a leftmost-longest automaton reports).
    buckets: crate::FastMap<u64, Vec<u32>>,
    /// Every phrase begins with a letter or digit, so a match can only start where a run of
    /// them starts (see [`WordMatcher::find_whole_words_at`]).
    starts_alphanumeric: bool,
    /// [`crosscheck_text::fold_key`] of a phrase's first run of letters and digits → the
    /// phrases opening with it, longest first and in id order among equals.
    by_first_run: crate::FastMap<u64, Box<[u32]>>,
    /// A 65,536-bit filter over those keys: most runs of a text open no phrase and cost one
    /// load here instead of a hash lookup.
    first_run_filter: Box<[u64; 1024]>,
}

/// Bytes a bucket key covers.
const KEY_BYTES: usize = 4;
const LONG: usize = 0;
const THREE: usize = 1;
const TWO: usize = 2;

/// The bucket key of 1..=4 bytes: the bytes ASCII-lower-cased, tagged with their count.
fn bucket_key(prefix: &[u8]) -> u64 {
    let mut key = prefix.len() as u64;
    for (i, &b) in prefix.iter().enumerate() {
        key |= u64::from(b.to_ascii_lowercase()) << (8 * (i + 1));
    }
    key
}

/// Index of two bytes, lower-cased, in a 65,536-bit set.
fn pair_index(a: u8, b: u8) -> usize {
    (usize::from(a.to_ascii_lowercase()) << 8) | usize::from(b.to_ascii_lowercase())
}

impl WordMatcher {
    /// Compiles `phrases`, which must be lower case (`str::to_lowercase`); pattern ids are
    /// their indexes. Empty phrases never match.
    pub fn new<S: AsRef<str>>(phrases: &[S]) -> Self {
        let mut first_byte = [false; 256];
        let mut single = [None; 256];
        let mut pairs = Box::new([[0u64; 1024]; 3]);
        // Maps sized for every phrase at once: growing a map rehashes it (start-up time).
        let mut buckets: crate::FastMap<u64, Vec<u32>> =
            crate::FastMap::with_capacity_and_hasher(phrases.len(), Default::default());
        let mut patterns: Vec<Box<[u8]>> = Vec::with_capacity(phrases.len());
        let mut starts_alphanumeric = true;
        for (id, phrase) in phrases.iter().enumerate() {
            let bytes = phrase.as_ref().as_bytes();
            patterns.push(Box::from(bytes));
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            match *bytes {
                [] => continue,
                [only] => {
                    let slot = &mut single[usize::from(only.to_ascii_lowercase())];
                    slot.get_or_insert(id);
                }
                [a, b, ..] => {
                    let set = match bytes.len() {
                        2 => TWO,
                        3 => THREE,
                        _ => LONG,
                    };
                    let i = pair_index(a, b);
                    pairs[set][i / 64] |= 1 << (i % 64);
                    buckets.entry(bucket_key(&bytes[..bytes.len().min(KEY_BYTES)])).or_default().push(id);
                }
            }
            first_byte[usize::from(bytes[0].to_ascii_lowercase())] = true;
            starts_alphanumeric &= phrase.as_ref().chars().next().is_some_and(char::is_alphanumeric);
        }
        for ids in buckets.values_mut() {
            ids.sort_by_key(|&id| (std::cmp::Reverse(patterns[id as usize].len()), id));
        }
        let mut by_first_run: crate::FastMap<u64, Vec<u32>> =
            crate::FastMap::with_capacity_and_hasher(phrases.len(), Default::default());
        let mut first_run_filter = Box::new([0u64; 1024]);
        for (id, phrase) in phrases.iter().enumerate() {
            let phrase = phrase.as_ref();
            let run_len = phrase.find(|c: char| !c.is_alphanumeric()).unwrap_or(phrase.len());
            if run_len == 0 {
                continue;
            }
            let key = crosscheck_text::fold_key(&phrase.as_bytes()[..run_len]);
            by_first_run.entry(key).or_default().push(u32::try_from(id).unwrap_or(u32::MAX));
            let bit = filter_bit(key);
            first_run_filter[bit / 64] |= 1 << (bit % 64);
        }
        let by_first_run = by_first_run
            .into_iter()
            .map(|(key, mut ids)| {
                ids.sort_by_key(|&id| (std::cmp::Reverse(patterns[id as usize].len()), id));
                (key, ids.into_boxed_slice())
            })
            .collect();
        WordMatcher {
            patterns,
            first_byte,
            single,
            pairs,
            buckets,
            starts_alphanumeric,
            by_first_run,
            first_run_filter,
        }
    }

    /// The longest phrase that matches at byte `at` of `bytes` (ASCII case folded), as
    /// `(end, pattern)`.
    fn longest_at(&self, bytes: &[u8], at: usize) -> Option<(usize, usize)> {
        let rest = &bytes[at..];
        if let [a, b, ..] = *rest {
            let i = pair_index(a, b);
            let has = |set: usize| self.pairs[set][i / 64] & (1 << (i % 64)) != 0;
            if rest.len() >= KEY_BYTES && has(LONG) {
                if let Some(ids) = self.buckets.get(&bucket_key(&rest[..KEY_BYTES])) {
                    for &id in ids {
                        let pattern = &self.patterns[id as usize];
                        if let Some(candidate) = rest.get(..pattern.len()) {
                            // Phrases hold no ASCII upper case, so folding the text suffices.
                            if pattern.iter().zip(candidate).all(|(&p, &t)| p == t.to_ascii_lowercase()) {
                                return Some((at + pattern.len(), id as usize));
                            }
                        }
                    }
                }
            }
            // Shorter phrases are whole keys: a bucket hit is a match.
            for (len, set) in [(3, THREE), (2, TWO)] {
                if rest.len() >= len && has(set) {
                    if let Some(&id) = self.buckets.get(&bucket_key(&rest[..len])).and_then(|ids| ids.first()) {
                        return Some((at + len, id as usize));
                    }
                }
            }
        }
        let id = self.single[usize::from(rest.first()?.to_ascii_lowercase())]?;
        Some((at + 1, id as usize))
    }

    /// Non-overlapping leftmost-longest matches that sit on word boundaries, as
    /// `(start, end, pattern)`. A match glued to a letter ("unit was reported" for "it was
    /// reported") is skipped and the search resumes one char later, so that the real match
    /// starting inside it ("reportedly") is still found. A position after a letter or digit
    /// cannot start a whole-word match, so only word starts are tried; where the longest
    /// phrase there is glued to what follows, shorter ones are not tried either (as with a
    /// leftmost-longest automaton).
    pub fn find_whole_words(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut at = 0;
        let mut after_alnum = false;
        while at < bytes.len() {
            let b = bytes[at];
            if !after_alnum && self.first_byte[usize::from(b.to_ascii_lowercase())] {
                if let Some((end, pattern)) = self.longest_at(bytes, at) {
                    if !char_at(text, end).is_some_and(|(c, _)| c.is_alphanumeric()) {
                        out.push((at, end, pattern));
                        after_alnum = text[..end].chars().next_back().is_some_and(char::is_alphanumeric);
                        at = end;
                        continue;
                    }
                }
            }
            if b.is_ascii_alphanumeric() {
                // the rest of an ASCII word cannot start a match
                at += 1;
                while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                    at += 1;
                }
                after_alnum = true;
            } else if b < 0x80 {
                at += 1;
                after_alnum = false;
            } else {
                let (c, len) = char_at(text, at).unwrap_or((char::REPLACEMENT_CHARACTER, 1));
                after_alnum = c.is_alphanumeric();
                at += len;
            }
        }
        out
    }
    /// The longest phrase at the start of `text` (whatever follows it), as `(end, pattern)`.
    pub fn longest_match_at_start(&self, text: &str) -> Option<(usize, usize)> {
        let first = *text.as_bytes().first()?;
        if !self.first_byte[usize::from(first.to_ascii_lowercase())] {
            return None;
        }
        self.longest_at(text.as_bytes(), 0)
    }

    /// [`find_whole_words`](Self::find_whole_words) over `text`, a slice of a document that
    /// starts at byte `base` of it and neither starts nor ends inside a word (a sentence, a
    /// paragraph, the whole text), given the document's runs inside the slice
    /// ([`crosscheck_text::WordStream::runs_in`]), absolute offsets. The matches are the
    /// same, relative to `text`, appended to `out`.
    ///
    /// Why a run and its key suffice: a whole-word match starts where a run starts. A phrase
    /// whose first run differs from the text's run there either does not match, or is a
    /// shorter single run glued to the rest of the text's run; such a phrase is never the
    /// match (glued), and is shorter than any phrase opening with the whole run, so it never
    /// hides one either. So only the phrases listed under the run's key are compared (a
    /// colliding key only adds phrases that fail the same way).
    pub fn find_whole_words_at(
        &self,
        text: &str,
        base: usize,
        runs: &[crosscheck_text::Run],
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        if !self.starts_alphanumeric {
            out.extend(self.find_whole_words(text));
            return;
        }
        let bytes = text.as_bytes();
        let mut free_from = 0;
        for run in runs {
            let at = run.start - base;
            let bit = filter_bit(run.key);
            if at < free_from || self.first_run_filter[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let Some(ids) = self.by_first_run.get(&run.key) else { continue };
            let rest = &bytes[at..];
            let longest = ids.iter().find(|&&id| {
                let pattern = &self.patterns[id as usize];
                let Some(candidate) = rest.get(..pattern.len()) else { return false };
                // The last byte first: the phrases opening with a common word ("the", "new")
                // mostly differ from the text there, and one byte costs less than a loop.
                if let (Some(&p), Some(&t)) = (pattern.last(), candidate.last()) {
                    if p != t.to_ascii_lowercase() {
                        return false;
                    }
                }
                // Phrases hold no ASCII upper case, so folding the text suffices.
                pattern.iter().zip(candidate).all(|(&p, &t)| p == t.to_ascii_lowercase())
            });
            if let Some(&id) = longest {
                let end = at + self.patterns[id as usize].len();
                if !char_at(text, end).is_some_and(|(c, _)| c.is_alphanumeric()) {
                    out.push((at, end, id as usize));
                    free_from = end;
                }
            }
        }
    }
}

/// The bit of a run key in [`WordMatcher::first_run_filter`].
fn filter_bit(key: u64) -> usize {
    (key >> 48) as usize
}

/// The char at byte `at` (a char boundary) and its length in bytes.
fn char_at(text: &str, at: usize) -> Option<(char, usize)> {
    match text.as_bytes().get(at) {
        None => None,
        Some(&b) if b < 0x80 => Some((char::from(b), 1)),
        Some(_) => text[at..].chars().next().map(|c| (c, c.len_utf8())),
    }
}

/// The end of `s`: at most `max` bytes, starting after a whitespace so that no word is cut
/// (all of `s` when it is short). Lets look-behind checks stay independent of text length.
pub fn tail(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut start = s.len() - max;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    let window = &s[start..];
    match window.find(char::is_whitespace) {
        Some(p) => &window[p..],
        None => window,
    }
}

/// The start of `s`: at most `max` bytes, cut on a char boundary. Lets look-ahead checks
/// stay independent of text length.
pub fn head(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_comments_and_blank_lines_and_keeps_line_numbers() {
        let got: Vec<(usize, &str)> =
            lines("t", "# head\n\nIran | Persia  # note\n  Syria\n").map(|l| (l.number, l.text)).collect();
        assert_eq!(got, vec![(3, "Iran | Persia"), (4, "Syria")]);
    }

    /// What `WordMatcher::find_whole_words` replaced: a leftmost-longest, ASCII-case-insensitive
    /// automaton scan with a word-boundary check, resumed one char after a glued match.
    pub(crate) fn reference_whole_words(phrases: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(phrases)
            .expect("automaton");
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let input = aho_corasick::Input::new(text).range(pos..);
            let Some(m) = automaton.find(input) else { break };
            if crate::gazetteer::is_word_boundary(text, m.start(), m.end()) {
                out.push((m.start(), m.end(), m.pattern().as_usize()));
                pos = m.end().max(m.start() + 1);
            } else {
                pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
        }
        out
    }

    #[test]
    fn whole_word_search_resumes_inside_a_glued_match() {
        let m = WordMatcher::new(&["it was reported", "reportedly"]);
        assert_eq!(m.find_whole_words("The unit was reportedly moved"), vec![(13, 23, 1)]);
    }

    #[test]
    fn whole_word_matcher_agrees_with_the_automaton_it_replaces() {
        let phrases: Vec<String> = [
            "us",
            "u.s.",
            "u",
            "new york",
            "new york times",
            "york",
            "guinea",
            "guinea-bissau",
            "niger",
            "nigeria",
            "said",
            "said on",
            "al",
            "al-assad",
            "goiânia",
            "são paulo",
            "é",
            "the hague",
            "hague",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "said",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let matcher = WordMatcher::new(&phrases);
        let texts = [
            "The U.S. and US said on Monday that New York Times reporters left New Yorkers in York.",
            "Guinea-Bissauan and Guinea-Bissau, Nigerian Nigeria Niger; al-Assad al Assad",
            "GOIÂNIA Goiânia goiânia São Paulo SÃO PAULO são pauloX é É éa aé",
            "ABCDE abcdef abcd. abc-ab a.b A ab'c abc’d",
            "the hague The Hague thehague hague's THE HAGUE",
            "",
            "x",
            "said",
            "saidsaid said.said",
            "Ωsaid ñsaid 3said said3 _said",
        ];
        for t in texts {
            assert_eq!(matcher.find_whole_words(t), reference_whole_words(&phrases, t), "{t:?}");
            let mut by_runs = Vec::new();
            matcher.find_whole_words_at(t, 0, &crosscheck_text::WordStream::new(t).runs, &mut by_runs);
            assert_eq!(by_runs, reference_whole_words(&phrases, t), "{t:?}");
        }
    }

    #[test]
    fn matching_at_run_starts_equals_the_byte_scan() {
        let phrases: Vec<String> =
            ["u.s.", "new york", "york", "niger", "nigeria", "al", "al-assad", "assad", "é", "são paulo", "said"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let matcher = WordMatcher::new(&phrases);
        let text = "The U.S. said New Yorkers met al-Assad. Nigerian Nigeria's é éa São Paulo; said.said o'york";
        let stream = crosscheck_text::WordStream::new(text);
        let mut got = Vec::new();
        matcher.find_whole_words_at(text, 0, &stream.runs, &mut got);
        assert_eq!(got, matcher.find_whole_words(text));
        for s in crosscheck_text::sentences(text) {
            let mut got = Vec::new();
            matcher.find_whole_words_at(&text[s.clone()], s.start, stream.runs_in(s.clone()), &mut got);
            assert_eq!(got, matcher.find_whole_words(&text[s]));
        }
        let odd = WordMatcher::new(&["(x)", "y"]);
        let mut got = Vec::new();
        let text = "a (x) y";
        odd.find_whole_words_at(text, 0, &crosscheck_text::WordStream::new(text).runs, &mut got);
        assert_eq!(got, odd.find_whole_words(text), "a phrase opening with punctuation falls back to the scan");
    }

    #[test]
    fn tail_keeps_whole_words_on_char_boundaries() {
        assert_eq!(tail("short", 10), "short");
        assert_eq!(tail("alpha beta gamma", 8), " gamma");
        assert_eq!(tail("ééé ééé", 5), "éé");
        assert!("naïve café".ends_with(tail("naïve café", 4)));
    }

    #[test]
    fn fields_split_on_bars() {
        let line = lines("t", "a | b || c").next().expect("one line");
        assert_eq!(line.fields(), vec!["a", "b", "c"]);
        let err = line.error("bad");
        assert_eq!(err.to_string(), "resource t, line 1: bad");
    }
}
