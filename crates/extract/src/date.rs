//! Date expressions, resolved against the document's publication date.

use crate::ExtractError;
use crosscheck_model::DateMention;
use crosscheck_text::CharMap;

/// Parses a document date (`YYYY-MM-DD`, or longer ISO timestamps) into an anchor.
pub fn parse_iso_anchor(s: &str) -> Option<jiff::civil::Date> {
    s.get(..10)?.parse().ok()
}

pub struct DateRecognizer {}

impl DateRecognizer {
    pub fn new() -> Result<Self, ExtractError> {
        Ok(DateRecognizer {})
    }

    /// Every date expression in `text`, resolved against `anchor` where one is needed.
    pub fn find(&self, _text: &str, _map: &CharMap, _anchor: Option<jiff::civil::Date>) -> Vec<DateMention> {
        Vec::new()
    }
}
