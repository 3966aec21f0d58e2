//! A small tokenizer for the quantity and date scanners: words, numerals and single symbols
//! as byte ranges of the original text, plus whether whitespace came before each token.
//!
//! It must not allocate per token (one `Vec` per document, reused) and must not rewrite text.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters (and digits or apostrophes inside: "don't", "F16" is a word).
    Word,
    /// Digits with thousands separators and one decimal part: "7,000", "1.5", "2024".
    Num,
    /// Any other single non-space char: "$", "-", ",", "%".
    Sym,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Whitespace separates this token from the previous one.
    pub spaced: bool,
}

/// Splits `text` into tokens, appending to `out` (cleared first).
///
/// Reads bytes, decoding a char only where a byte is not ASCII: news text is mostly ASCII.
pub(crate) fn tokenize(text: &str, out: &mut Vec<Tok>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut spaced = true;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let (end, kind) = match BYTE_CLASS[usize::from(b)] {
            SPACE => {
                spaced = true;
                i += 1;
                continue;
            }
            DIGIT => (numeral_end(text, start), Kind::Num),
            LETTER => (word_end(text, start + 1), Kind::Word),
            SYMBOL => (start + 1, Kind::Sym),
            _ => {
                let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else { break };
                if c.is_whitespace() {
                    spaced = true;
                    i += c.len_utf8();
                    continue;
                }
                if c.is_alphabetic() {
                    (word_end(text, start + c.len_utf8()), Kind::Word)
                } else {
                    (start + c.len_utf8(), Kind::Sym)
                }
            }
        };
        out.push(Tok { start, end, kind, spaced });
        spaced = false;
        i = end;
    }
}

/// [`BYTE_CLASS`] values: what an ASCII byte begins, as `char` sees it.
const SPACE: u8 = 0;
const DIGIT: u8 = 1;
const LETTER: u8 = 2;
const SYMBOL: u8 = 3;
/// A byte of a non-ASCII char: decode it.
const NON_ASCII: u8 = 4;

static BYTE_CLASS: [u8; 256] = {
    let mut table = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        table[b] = if c.is_ascii_digit() {
            DIGIT
        } else if c.is_ascii_alphabetic() {
            LETTER
        } else if matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ') {
            // the ASCII chars `char::is_whitespace` holds for
            SPACE
        } else {
            SYMBOL
        };
        b += 1;
    }
    table
};

/// The end of a numeral starting at `start` (an ASCII digit): digits, then ",ddd" groups and a
/// ".d+" decimal part, each only when followed by digits.
fn numeral_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut j = start + 1;
    loop {
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j < bytes.len()
            && bytes[j] == b','
            && bytes.get(j + 1..j + 4).is_some_and(|g| g.iter().all(u8::is_ascii_digit))
            && !bytes.get(j + 4).is_some_and(u8::is_ascii_digit)
        {
            j += 4;
            continue;
        }
        break;
    }
    // "1 414 021 100": space-grouped thousands (two groups at least with plain spaces,
    // one with a no-break or thin space)
    if j - start <= 3 && !text[start..j].contains(',') {
        j = space_groups(text, j);
    }
    if j + 1 < bytes.len() && bytes[j] == b'.' && bytes[j + 1].is_ascii_digit() {
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
    }
    j
}

/// The end of a word whose first letter ends at `j`: letters, and apostrophes inside words
/// ("don't").
fn word_end(text: &str, mut j: usize) -> usize {
    let bytes = text.as_bytes();
    let letter_follows = |k: usize| text.get(k..).and_then(|rest| rest.chars().next()).is_some_and(char::is_alphabetic);
    while let Some(&b) = bytes.get(j) {
        if b.is_ascii_alphabetic() {
            j += 1;
        } else if b == b'\'' {
            if !letter_follows(j + 1) {
                break;
            }
            j += 1;
        } else if b.is_ascii() {
            break;
        } else {
            let Some(d) = text.get(j..).and_then(|rest| rest.chars().next()) else { break };
            let next = j + d.len_utf8();
            if d.is_alphabetic() || (d == '\u{2019}' && letter_follows(next)) {
                j = next;
            } else {
                break;
            }
        }
    }
    j
}

/// The end of "ddd" groups after `j`, each behind one space; `j` when they do not qualify.
fn space_groups(text: &str, j: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = j;
    let mut groups = 0;
    let mut narrow = false;
    loop {
        let rest = &text[end..];
        let sep = if rest.starts_with(' ') {
            1
        } else if rest.starts_with('\u{a0}') || rest.starts_with('\u{202f}') || rest.starts_with('\u{2009}') {
            narrow = true;
            rest.chars().next().map_or(1, char::len_utf8)
        } else {
            break;
        };
        let g = end + sep;
        let three = bytes.get(g..g + 3).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
        if !three || bytes.get(g + 3).is_some_and(|b| b.is_ascii_digit() || *b == b',') {
            break;
        }
        end = g + 3;
        groups += 1;
    }
    if groups >= 2 || (groups >= 1 && narrow) {
        end
    } else {
        j
    }
}

/// Value of a numeral token ("7,000" → 7000, "1.5" → 1.5) without allocating.
pub(crate) fn numeral_value(s: &str) -> Option<f64> {
    let mut int: f64 = 0.0;
    let mut frac: f64 = 0.0;
    let mut scale = 1.0;
    let mut in_frac = false;
    let mut any = false;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => {
                any = true;
                let d = f64::from(b - b'0');
                if in_frac {
                    scale /= 10.0;
                    frac += d * scale;
                } else {
                    int = int * 10.0 + d;
                }
            }
            // thousands separators: commas, spaces, no-break and thin spaces (UTF-8 bytes)
            b',' | b' ' | 0x80.. => {}
            b'.' if !in_frac => in_frac = true,
            _ => return None,
        }
    }
    any.then_some(int + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_classes_are_what_char_says_of_ascii() {
        for b in 0u8..128 {
            let c = char::from(b);
            let expected = if c.is_ascii_digit() {
                DIGIT
            } else if c.is_alphabetic() {
                LETTER
            } else if c.is_whitespace() {
                SPACE
            } else {
                SYMBOL
            };
            assert_eq!(BYTE_CLASS[usize::from(b)], expected, "{b:#x}");
        }
        assert!((128..=255).all(|b| BYTE_CLASS[b] == NON_ASCII));
    }

    /// The char-by-char tokenizer this module had before its byte-level one: the oracle.
    fn tokenize_by_chars(text: &str, out: &mut Vec<Tok>) {
        out.clear();
        let bytes = text.as_bytes();
        let mut spaced = true;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if c.is_whitespace() {
                spaced = true;
                continue;
            }
            let start = i;
            let mut end = i + c.len_utf8();
            let kind = if c.is_ascii_digit() {
                // digits, then ",ddd" groups and a ".d+" decimal part, each only when followed by digits
                let mut j = end;
                loop {
                    while j < bytes.len() && bytes[j].is_ascii_digit() {
                        j += 1;
                    }
                    if j + 3 < bytes.len() + 1
                        && j < bytes.len()
                        && bytes[j] == b','
                        && bytes.get(j + 1..j + 4).is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                        && !bytes.get(j + 4).is_some_and(u8::is_ascii_digit)
                    {
                        j += 4;
                        continue;
                    }
                    break;
                }
                // "1 414 021 100": space-grouped thousands (two groups at least with plain spaces,
                // one with a no-break or thin space)
                if j - start <= 3 && !text[start..j].contains(',') {
                    j = space_groups(text, j);
                }
                if j + 1 < bytes.len() && bytes[j] == b'.' && bytes[j + 1].is_ascii_digit() {
                    j += 1;
                    while j < bytes.len() && bytes[j].is_ascii_digit() {
                        j += 1;
                    }
                }
                end = j;
                Kind::Num
            } else if c.is_alphabetic() {
                let mut j = end;
                while let Some(&(k, d)) = iter.peek() {
                    // letters, and apostrophes inside words ("don't")
                    let inner_apostrophe = (d == '\'' || d == '\u{2019}')
                        && text[k + d.len_utf8()..].chars().next().is_some_and(char::is_alphabetic);
                    if d.is_alphabetic() || inner_apostrophe {
                        j = k + d.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                end = j;
                Kind::Word
            } else {
                Kind::Sym
            };
            // advance the char iterator past what a numeral consumed
            while let Some(&(k, _)) = iter.peek() {
                if k < end {
                    iter.next();
                } else {
                    break;
                }
            }
            out.push(Tok { start, end, kind, spaced });
            spaced = false;
        }
    }

    #[test]
    fn byte_level_tokens_equal_char_level_ones() {
        let texts = [
            "US$1,500.25 bn, 13-year don’t 'quoted' rock'n'roll it's\u{a0}3\u{a0}000 ok",
            "Zürich’s 1 414 021 100 people\n\t12,5000 — ½ café's naïve x’ ’y 7.5% ٣ 19th",
            "trailing apostrophe' and ’ and e\u{301} combining; Ⅻ roman, ſ long s, K kelvin",
            "",
            "  \u{2003}em space 5\u{202f}000 and 5\u{2009}000 1.2.3 1,234,567.89,000",
        ];
        for text in texts {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            tokenize(text, &mut fast);
            tokenize_by_chars(text, &mut slow);
            let key = |t: &Tok| (t.start, t.end, t.kind, t.spaced);
            assert_eq!(fast.iter().map(key).collect::<Vec<_>>(), slow.iter().map(key).collect::<Vec<_>>(), "{text}");
        }
    }

    #[test]
    fn splits_numerals_words_and_symbols() {
        let text = "US$1,500.25 bn, 13-year don’t";
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        let surf: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(surf, ["US", "$", "1,500.25", "bn", ",", "13", "-", "year", "don’t"]);
        assert!(!toks[2].spaced && toks[3].spaced);
    }

    #[test]
    fn numeral_values_ignore_separators() {
        assert_eq!(numeral_value("7,000"), Some(7000.0));
        assert_eq!(numeral_value("1.5"), Some(1.5));
        assert_eq!(numeral_value("x"), None);
    }

    #[test]
    fn space_grouped_thousands() {
        let text = "1 414 021 100 people, 3\u{a0}000 troops, 12 300 cars";
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        let nums: Vec<f64> =
            toks.iter().filter(|t| t.kind == Kind::Num).filter_map(|t| numeral_value(&text[t.start..t.end])).collect();
        assert_eq!(nums, [1414021100.0, 3000.0, 12.0, 300.0]);
    }

    #[test]
    fn comma_lists_are_not_thousands() {
        let text = "1,2 and 12,5000";
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        assert_eq!(&text[toks[0].start..toks[0].end], "1");
        assert_eq!(&text[toks[4].start..toks[4].end], "12");
    }
}
