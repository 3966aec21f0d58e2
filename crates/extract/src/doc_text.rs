//! One document's text segmented and tokenised once ([`DocText`]), shared by every stage that
//! reads words. It owns the segmentation and the word stream; it must not hold any stage's
//! findings (those stay in the stages and in `Extraction`).

use crosscheck_text::WordStream;
use std::ops::Range;

/// One document's text as the stages read it, segmented and tokenised once: the entity,
/// attribution and event stages share these instead of each splitting and rescanning the
/// text. Byte ranges into `text`.
#[derive(Debug, Clone)]
pub struct DocText<'a> {
    pub text: &'a str,
    pub paragraphs: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
    pub words: WordStream<'a>,
}

impl<'a> DocText<'a> {
    pub fn new(text: &'a str) -> Self {
        let paragraphs = crosscheck_text::paragraphs(text);
        let sentences = crosscheck_text::sentences_in(text, &paragraphs);
        DocText { text, paragraphs, sentences, words: WordStream::new(text) }
    }

    /// A document whose sentences were split elsewhere (the stages' older entry points).
    pub fn with_sentences(text: &'a str, sentences: &[Range<usize>]) -> Self {
        DocText {
            text,
            paragraphs: crosscheck_text::paragraphs(text),
            sentences: sentences.to_vec(),
            words: WordStream::new(text),
        }
    }
}
