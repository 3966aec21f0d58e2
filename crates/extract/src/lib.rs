//! Per-document extraction: here is an article, who and what does it name, who said what,
//! which amounts and dates, what happened?
//!
//! [`Extractor`] loads every rule and lexicon file under `resources/` once (compiled into
//! automata) and is then shared read-only across threads. `extract` is a pure function of the
//! document: no IO, no clock, no global state; the document's own date is the only anchor for
//! relative dates. It never fails on messy input; it returns fewer items instead.
//! Cross-document work (duplicates, entity resolution across articles) belongs to `link`.

mod error;
pub mod quantity;
pub mod date;

pub use error::ExtractError;

use crosscheck_model::{Document, Extraction};
use crosscheck_text::CharMap;

/// All extractors, compiled once.
pub struct Extractor {
    quantities: quantity::QuantityRecognizer,
    dates: date::DateRecognizer,
}

impl Extractor {
    pub fn new() -> Result<Self, ExtractError> {
        Ok(Extractor {
            quantities: quantity::QuantityRecognizer::new()?,
            dates: date::DateRecognizer::new()?,
        })
    }

    /// Extracts everything from one document.
    pub fn extract(&self, doc: &Document) -> Extraction {
        let mut out = Extraction::empty_for(doc);
        let map = CharMap::new(&doc.text);
        let doc_date = doc.date.as_deref().and_then(date::parse_iso_anchor);
        out.quantities = self.quantities.find(&doc.text, &map);
        out.dates = self.dates.find(&doc.text, &map, doc_date);
        out
    }
}
