//! Lossless segmentation into paragraphs, sentences and words, as byte ranges.
//!
//! Sentences end at `.`, `!` or `?` (plus any closing quotes or brackets) followed by
//! whitespace and an upper-case letter, digit or opening quote — unless the word before the
//! period is a known abbreviation ("Mr.", "Gen.", "Sept.", "U.S.") or a single initial.
//! Paragraph breaks (a blank line, or any newline) always end a sentence. The ranges cover
//! the text without gaps except for the whitespace between pieces.

use std::borrow::Cow;
use std::ops::Range;

/// Abbreviations after which a period does not end a sentence (lower-case, without the dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "brig", "col", "lt", "maj", "capt", "cpt", "sgt", "adm",
    "cmdr", "gov", "sen", "rep", "rev", "hon", "pres", "amb", "gen", "no", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "univ", "approx",
    "est", "fig", "mt", "ft", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "d.c",
];

/// Non-empty lines/paragraphs: maximal runs of text without a newline, trimmed.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        if let Some(r) = trim_range(text, start..end) {
            out.push(r);
        }
        start = end;
    }
    out
}

/// Sentences as trimmed byte ranges, in order.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    sentences_in(text, &paragraphs(text))
}

/// [`sentences`] of a text whose [`paragraphs`] are already known.
pub fn sentences_in(text: &str, paragraphs: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for para in paragraphs {
        split_paragraph(text, para.clone(), &mut out);
    }
    out
}

fn split_paragraph(text: &str, para: Range<usize>, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut start = para.start;
    let mut i = para.start;
    while i < para.end {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            // Absorb a run of terminators and closing quotes/brackets.
            let mut j = i + 1;
            loop {
                if j < para.end && matches!(bytes[j], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') {
                    j += 1;
                } else if text[j..para.end].starts_with('\u{201D}') || text[j..para.end].starts_with('\u{2019}') {
                    j += 3;
                } else {
                    break;
                }
            }
            if j >= para.end {
                break;
            }
            let next_is_space = bytes[j].is_ascii_whitespace();
            if next_is_space && b == b'.' && is_abbreviation_before(text, start, i) {
                i = j;
                continue;
            }
            if next_is_space && starts_new_sentence(&text[j..para.end]) {
                if let Some(r) = trim_range(text, start..j) {
                    out.push(r);
                }
                start = j;
            }
            i = j;
        } else {
            // Jump to the next terminator: the bytes in between decide nothing.
            match memchr::memchr3(b'.', b'!', b'?', &bytes[i..para.end]) {
                Some(offset) => i += offset,
                None => break,
            }
        }
    }
    if let Some(r) = trim_range(text, start..para.end) {
        out.push(r);
    }
}

fn is_abbreviation_before(text: &str, sentence_start: usize, dot: usize) -> bool {
    let before = &text[sentence_start..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '\u{201C}')
        .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
    let word = &before[word_start..];
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true; // an initial: "George W. Bush"
    }
    if is_glued_initials(word) {
        return true; // "J.B. Lokwa", "U.N." — single letters joined by dots
    }
    let lower = word.to_ascii_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// "J.B", "U.N", "A.B.C": single upper-case letters separated by dots.
fn is_glued_initials(word: &str) -> bool {
    let mut parts = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_uppercase() => parts += 1,
            _ => return false,
        }
    }
    parts >= 2
}

fn starts_new_sentence(rest: &str) -> bool {
    let rest = rest.trim_start();
    match rest.chars().next() {
        Some(c) => {
            c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '\u{201C}' | '\'' | '\u{2018}' | '(' | '[')
        }
        None => false,
    }
}

fn trim_range(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    let trimmed_start = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if trimmed.is_empty() {
        None
    } else {
        let start = r.start + trimmed_start;
        Some(start..start + trimmed.len())
    }
}

/// A word token: a maximal run of letters, digits and in-word apostrophes/hyphens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

impl AsRef<str> for Word<'_> {
    fn as_ref(&self) -> &str {
        self.text
    }
}

/// Iterates the words of `text` without allocating.
///
/// Scans bytes, decoding a char only where the text is not ASCII: an ASCII byte is one
/// lookup in a class table. A whole document's words are better read from a [`WordStream`],
/// built once and shared.
pub fn words(text: &str) -> impl Iterator<Item = Word<'_>> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        // skip to the next alphanumeric char
        let start = loop {
            let &b = bytes.get(pos)?;
            if b < 0x80 {
                if ASCII_CLASS[usize::from(b)] == ALNUM {
                    break pos;
                }
                pos += 1;
            } else {
                let (c, n) = char_at(text, pos)?;
                if c.is_alphanumeric() {
                    break pos;
                }
                pos += n;
            }
        };
        pos = word_end(text, start);
        Some(Word { start, end: pos, text: &text[start..pos] })
    })
}

/// The end of the word starting at `start` (an alphanumeric char): alphanumeric chars, and
/// joiners (`'`, `’`, `-`) followed by one.
#[inline]
fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut pos = start;
    loop {
        while bytes.get(pos).is_some_and(|&b| FOLDED_ALNUM[usize::from(b)] != 0) {
            pos += 1;
        }
        let Some(&b) = bytes.get(pos) else { break };
        if b < 0x80 {
            if ASCII_CLASS[usize::from(b)] == JOINER && is_alphanumeric_at(text, pos + 1) {
                pos += 1;
                continue;
            }
            break;
        }
        let Some((c, n)) = char_at(text, pos) else { break };
        if c.is_alphanumeric() || (c == '\u{2019}' && is_alphanumeric_at(text, pos + n)) {
            pos += n;
        } else {
            break;
        }
    }
    pos
}

/// One text's words, tokenised once so that every stage reading words shares them instead of
/// rescanning the bytes: the [`words`] of the text, and its runs of letters and digits (a word
/// is one run, or several joined by inner apostrophes or hyphens: "al-Assad" has two). A
/// whole-word phrase can only start where a run starts, and each run carries the
/// [`fold_key`] of its bytes, so phrase lookups cost one probe per run.
#[derive(Debug, Clone, Default)]
pub struct WordStream<'a> {
    pub words: Vec<Word<'a>>,
    /// In text order; every alphanumeric char not preceded by one starts exactly one.
    pub runs: Vec<Run>,
}

/// A maximal run of alphanumeric chars, byte offsets, with the [`fold_key`] of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    pub end: usize,
    pub key: u64,
}

/// A hash of `bytes` with ASCII letters folded to lower case (other bytes as they are), the
/// key phrase tables are looked up by: equal for "Iran", "IRAN" and "iran". Built byte by
/// byte ([`fold_step`]) and finished with the length ([`fold_finish`]), so that a scanner
/// can hash a run while it reads it.
#[inline]
pub fn fold_key(bytes: &[u8]) -> u64 {
    let mut h = 0;
    for &b in bytes {
        h = fold_step(h, b.to_ascii_lowercase());
    }
    fold_finish(h, bytes.len())
}

const FOLD_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// One byte (already folded) into a running [`fold_key`].
#[inline(always)]
fn fold_step(h: u64, folded: u8) -> u64 {
    (h.rotate_left(5) ^ u64::from(folded)).wrapping_mul(FOLD_SEED)
}

/// The [`fold_key`] of `len` bytes whose running hash is `h`.
#[inline(always)]
fn fold_finish(h: u64, len: usize) -> u64 {
    (h.rotate_left(5) ^ len as u64).wrapping_mul(FOLD_SEED)
}

impl<'a> WordStream<'a> {
    /// Tokenises `text` in one pass over its bytes (the same words as [`words`]): a byte is
    /// classified (and folded for the run's key) by one table load, and a char is decoded
    /// only where the text is not ASCII.
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let len = bytes.len();
        let mut words = Vec::with_capacity(len / 6 + 1);
        let mut runs: Vec<Run> = Vec::with_capacity(len / 5 + 1);
        let mut pos = 0;
        while pos < len {
            // Skip to the next alphanumeric char.
            let b = bytes[pos];
            if FOLDED_ALNUM[usize::from(b)] == 0 {
                if b < 0x80 {
                    pos += 1;
                    continue;
                }
                let (c, n) = char_at(text, pos).unwrap_or((char::REPLACEMENT_CHARACTER, 1));
                if !c.is_alphanumeric() {
                    pos += n;
                    continue;
                }
            }
            let start = pos;
            let mut run_start = start;
            let mut h = 0u64;
            // Consume the word: alphanumeric chars, and joiners followed by one; each run
            // hashed as it is read.
            loop {
                while let Some(&b) = bytes.get(pos) {
                    let folded = FOLDED_ALNUM[usize::from(b)];
                    if folded == 0 {
                        break;
                    }
                    h = fold_step(h, folded);
                    pos += 1;
                }
                let Some(&b) = bytes.get(pos) else { break };
                if b < 0x80 {
                    if ASCII_CLASS[usize::from(b)] == JOINER && is_alphanumeric_at(text, pos + 1) {
                        runs.push(Run { start: run_start, end: pos, key: fold_finish(h, pos - run_start) });
                        pos += 1;
                        run_start = pos;
                        h = 0;
                        continue;
                    }
                    break;
                }
                let Some((c, n)) = char_at(text, pos) else { break };
                if c.is_alphanumeric() {
                    for &b in &bytes[pos..pos + n] {
                        h = fold_step(h, b);
                    }
                    pos += n;
                } else if c == '\u{2019}' && is_alphanumeric_at(text, pos + n) {
                    runs.push(Run { start: run_start, end: pos, key: fold_finish(h, pos - run_start) });
                    pos += n;
                    run_start = pos;
                    h = 0;
                } else {
                    break;
                }
            }
            runs.push(Run { start: run_start, end: pos, key: fold_finish(h, pos - run_start) });
            words.push(Word { start, end: pos, text: &text[start..pos] });
        }
        WordStream { words, runs }
    }

    /// The words inside `range` (which must not cut a word, as sentence and paragraph ranges
    /// never do): the same words `words(&text[range])` gives, with offsets into the text.
    pub fn words_in(&self, range: Range<usize>) -> &[Word<'a>] {
        let first = self.words.partition_point(|w| w.start < range.start);
        let last = self.words.partition_point(|w| w.end <= range.end).max(first);
        &self.words[first..last]
    }

    /// The words `words(&text[range])` gives, offsets into `text` (the text this stream was
    /// built from), for any `range` on char boundaries: read from the stream, and only a
    /// word the range cuts is tokenised again (its piece inside the range is one word or
    /// none). Borrowed unless a word is cut, so a stage can ask for the words of any phrase
    /// without rescanning or allocating.
    pub fn words_of(&self, text: &'a str, range: Range<usize>) -> Cow<'_, [Word<'a>]> {
        let first = self.words.partition_point(|w| w.end <= range.start);
        let last = self.words[first..].partition_point(|w| w.start < range.end) + first;
        let inside = &self.words[first..last];
        let cut = |w: &Word| w.start < range.start || w.end > range.end;
        let (Some(head), Some(tail)) = (inside.first(), inside.last()) else { return Cow::Borrowed(inside) };
        if !cut(head) && !cut(tail) {
            return Cow::Borrowed(inside);
        }
        let piece = |w: &Word<'a>| -> Option<Word<'a>> {
            if !cut(w) {
                return Some(*w);
            }
            let (start, end) = (w.start.max(range.start), w.end.min(range.end));
            let mut found = words(&text[start..end]);
            let word = found.next().map(|p| Word {
                start: start + p.start,
                end: start + p.end,
                text: &text[start + p.start..start + p.end],
            });
            debug_assert!(found.next().is_none(), "a cut word leaves at most one word");
            word
        };
        let mut out = Vec::with_capacity(inside.len());
        out.extend(piece(head));
        if inside.len() > 1 {
            out.extend_from_slice(&inside[1..inside.len() - 1]);
            out.extend(piece(tail));
        }
        Cow::Owned(out)
    }

    /// The runs inside `range` (which must not cut a word).
    pub fn runs_in(&self, range: Range<usize>) -> &[Run] {
        let first = self.runs.partition_point(|r| r.start < range.start);
        let last = self.runs.partition_point(|r| r.start < range.end).max(first);
        &self.runs[first..last]
    }
}

const OTHER: u8 = 0;
const ALNUM: u8 = 1;
const JOINER: u8 = 2;

/// What each ASCII byte is to the tokeniser.
static ASCII_CLASS: [u8; 128] = {
    let mut table = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = ALNUM;
        } else if c == b'\'' || c == b'-' {
            table[b] = JOINER;
        }
        b += 1;
    }
    table
};

/// Each byte lower-cased if it is an ASCII letter or digit, else 0: the tokeniser's inner
/// loop reads class and folded byte with one load.
static FOLDED_ALNUM: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Whether the char at byte `at` (a char boundary) is alphanumeric.
#[inline]
fn is_alphanumeric_at(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        None => false,
        Some(&b) if b < 0x80 => ASCII_CLASS[usize::from(b)] == ALNUM,
        Some(_) => char_at(text, at).is_some_and(|(c, _)| c.is_alphanumeric()),
    }
}

/// The char at byte `at` (a char boundary) and its length in bytes.
#[inline]
fn char_at(text: &str, at: usize) -> Option<(char, usize)> {
    match text.as_bytes().get(at) {
        None => None,
        Some(&b) if b < 0x80 => Some((char::from(b), 1)),
        Some(_) => text[at..].chars().next().map(|c| (c, c.len_utf8())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The char-by-char tokenizer `words` replaced, kept to check that the output is the same.
    fn reference_words(text: &str) -> Vec<(usize, usize)> {
        let mut chars = text.char_indices().peekable();
        let mut out = Vec::new();
        loop {
            let start = loop {
                match chars.next() {
                    None => return out,
                    Some((i, c)) if c.is_alphanumeric() => break i,
                    Some(_) => {}
                }
            };
            let mut end = text.len();
            while let Some(&(i, c)) = chars.peek() {
                if c.is_alphanumeric() {
                    chars.next();
                    continue;
                }
                if matches!(c, '\'' | '\u{2019}' | '-') {
                    let after = text[i + c.len_utf8()..].chars().next();
                    if after.is_some_and(char::is_alphanumeric) {
                        chars.next();
                        continue;
                    }
                }
                end = i;
                break;
            }
            out.push((start, end));
        }
    }

    #[test]
    fn byte_scanner_matches_the_char_tokenizer() {
        let texts = [
            "Iran’s al-Assad (IRGC) 7,000",
            "naïve café — 東京 x-’y' -a a- 'b' ’’ ok’s",
            "trailing joiner-",
            "ends in é",
            "",
            "   ",
            "ü-ü’ü'ü--x",
            "Ωmega 3½ ²x",
        ];
        for t in texts {
            let got: Vec<(usize, usize)> = words(t).map(|w| (w.start, w.end)).collect();
            assert_eq!(got, reference_words(t), "{t:?}");
        }
    }

    /// Maximal runs of alphanumeric chars, straight from the chars.
    fn reference_runs(text: &str) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut prev_alnum = false;
        for (i, c) in text.char_indices() {
            if c.is_alphanumeric() {
                if prev_alnum {
                    if let Some(last) = out.last_mut() {
                        last.1 = i + c.len_utf8();
                    }
                } else {
                    out.push((i, i + c.len_utf8()));
                }
            }
            prev_alnum = c.is_alphanumeric();
        }
        out
    }

    fn spans(runs: &[Run]) -> Vec<(usize, usize)> {
        runs.iter().map(|r| (r.start, r.end)).collect()
    }

    #[test]
    fn word_stream_runs_are_the_alphanumeric_runs() {
        let texts = [
            "Iran’s al-Assad (IRGC) 7,000",
            "naïve café — 東京 x-’y' -a a- 'b' ’’ ok’s",
            "ü-ü’ü'ü--x O'Hara's co-op",
            "",
            "Ωmega 3½ ²x",
        ];
        for t in texts {
            let stream = WordStream::new(t);
            assert_eq!(spans(&stream.runs), reference_runs(t), "{t:?}");
            for r in &stream.runs {
                assert_eq!(r.key, fold_key(t[r.start..r.end].to_ascii_lowercase().as_bytes()));
            }
            let listed: Vec<(usize, usize)> = stream.words.iter().map(|w| (w.start, w.end)).collect();
            assert_eq!(listed, reference_words(t), "{t:?}");
        }
    }

    #[test]
    fn word_stream_slices_by_sentence() {
        let t = "Mr. al-Assad left. The U.N. stayed in Goiânia.";
        let stream = WordStream::new(t);
        for s in sentences(t) {
            let inside: Vec<&str> = stream.words_in(s.clone()).iter().map(|w| w.text).collect();
            let direct: Vec<&str> = words(&t[s.clone()]).map(|w| w.text).collect();
            assert_eq!(inside, direct);
            let runs: Vec<(usize, usize)> =
                stream.runs_in(s.clone()).iter().map(|r| (r.start - s.start, r.end - s.start)).collect();
            assert_eq!(runs, reference_runs(&t[s]));
        }
    }

    #[test]
    fn words_of_any_range_are_the_words_of_the_slice() {
        let texts = ["Mr. al-Assad’s pro-Kremlin co-op, O'Hara's 7,000 naïve-ü x", "a-b-c d’e -f- ’’ g", ""];
        for t in texts {
            let stream = WordStream::new(t);
            let bounds: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
            for &a in &bounds {
                for &b in bounds.iter().filter(|&&b| b >= a) {
                    let got: Vec<(usize, usize, &str)> =
                        stream.words_of(t, a..b).iter().map(|w| (w.start, w.end, w.text)).collect();
                    let want: Vec<(usize, usize, &str)> =
                        words(&t[a..b]).map(|w| (a + w.start, a + w.end, &t[a + w.start..a + w.end])).collect();
                    assert_eq!(got, want, "{t:?} {a}..{b}");
                }
            }
        }
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_on_terminators_but_not_abbreviations() {
        let t = "Brig. Gen. Esmail Qaani spoke. Mr. Smith left on Sept. 30. The U.S. Army stayed.";
        assert_eq!(
            split(t),
            vec!["Brig. Gen. Esmail Qaani spoke.", "Mr. Smith left on Sept. 30.", "The U.S. Army stayed."]
        );
    }

    #[test]
    fn glued_initials_do_not_end_a_sentence() {
        let t = "Rebel leader J.B. Lokwa agreed. The talks resumed.";
        assert_eq!(split(t), vec!["Rebel leader J.B. Lokwa agreed.", "The talks resumed."]);
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        let t = "He said: “We will leave.” Then he left.";
        assert_eq!(split(t), vec!["He said: “We will leave.”", "Then he left."]);
    }

    #[test]
    fn newlines_end_sentences_and_blank_lines_vanish() {
        let t = "Title line\n\nFirst sentence. Second one\n";
        assert_eq!(split(t), vec!["Title line", "First sentence.", "Second one"]);
    }

    #[test]
    fn lower_case_after_period_does_not_split() {
        assert_eq!(split("It cost 3.5 million. ok then."), vec!["It cost 3.5 million. ok then."]);
    }

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens() {
        let t = "Iran’s al-Assad (IRGC) 7,000";
        let w: Vec<&str> = words(t).map(|w| w.text).collect();
        assert_eq!(w, vec!["Iran’s", "al-Assad", "IRGC", "7", "000"]);
    }
}
