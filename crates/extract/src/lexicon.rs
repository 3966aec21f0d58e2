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
pub fn word_set(file: &'static str, content: &'static str) -> std::collections::HashSet<String> {
    lines(file, content).map(|l| l.text.to_lowercase()).collect()
}

/// Non-overlapping leftmost-longest matches of `automaton` that sit on word boundaries, as
/// `(start, end, pattern)`. A match glued to a letter ("unit was reported" for "it was
/// reported") is skipped and the search resumes one char later, so that the real match
/// starting inside it ("reportedly") is still found.
pub fn find_whole_words(automaton: &aho_corasick::AhoCorasick, text: &str) -> Vec<(usize, usize, usize)> {
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

    #[test]
    fn whole_word_search_resumes_inside_a_glued_match() {
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(["it was reported", "reportedly"])
            .expect("automaton");
        assert_eq!(find_whole_words(&ac, "The unit was reportedly moved"), vec![(13, 23, 1)]);
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
