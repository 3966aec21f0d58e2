//! Per-document extraction: here is an article, who and what does it name, who said what,
//! which amounts and dates, what happened?
//!
//! [`Extractor`] loads every rule and lexicon file under `resources/` once (compiled into
//! automata) and is then shared read-only across threads. `extract` is a pure function of the
//! document: no IO, no clock, no global state; the document's own date is the only anchor for
//! relative dates. It never fails on messy input; it returns fewer items instead.
//! Cross-document work (duplicates, entity resolution across articles) belongs to `link`.
//!
//! The text is segmented and tokenised once per document ([`DocText`]: paragraphs, sentences,
//! words and their runs) and every stage that reads words reads those.
//! Stages run in this order because each reads the previous one: sentences → entities
//! ([`entity`], with [`gazetteer`]) → roles ([`role`]) → quantities and dates → attributions
//! ([`attribution`], which resolve sources to entities) → events ([`event`], which attach
//! entities and resolved dates of the same sentence).

pub mod attribution;
pub mod date;
mod doc_text;
pub mod entity;
mod error;
pub mod event;
pub mod gazetteer;
mod lexicon;
pub mod orthography;
pub mod quantity;
pub mod role;

pub use doc_text::DocText;
pub use error::ExtractError;

/// Hash maps and sets keyed by short strings and numbers inside one document's extraction:
/// a fast non-cryptographic hash (the keys come from the document, but nothing is exposed to
/// a remote party, and no output depends on iteration order).
pub type FastMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;
pub type FastSet<K> = std::collections::HashSet<K, rustc_hash::FxBuildHasher>;

use crosscheck_model::{Document, Extraction};
use crosscheck_text::CharMap;

/// All extractors, compiled once.
pub struct Extractor {
    quantities: quantity::QuantityRecognizer,
    dates: date::DateRecognizer,
    entities: entity::EntityRecognizer,
    roles: role::RoleRecognizer,
    attributions: attribution::AttributionRecognizer,
    events: event::EventRecognizer,
}

impl Extractor {
    pub fn new() -> Result<Self, ExtractError> {
        let attributions = attribution::AttributionRecognizer::new()?;
        Ok(Extractor {
            quantities: quantity::QuantityRecognizer::new()?,
            dates: date::DateRecognizer::new()?,
            entities: entity::EntityRecognizer::new(attributions.speech_verbs())?,
            roles: role::RoleRecognizer::new()?,
            attributions,
            events: event::EventRecognizer::new()?,
        })
    }

    /// Extracts everything from one document.
    pub fn extract(&self, doc: &Document) -> Extraction {
        let mut out = Extraction::empty_for(doc);
        let text = doc.text.as_str();
        let map = CharMap::new(text);
        let doc_date = doc.date.as_deref().and_then(date::parse_iso_anchor);
        let doc_text = DocText::new(text);
        let sentences = &doc_text.sentences;
        let found = self.entities.find_in(&doc_text, &map);
        out.roles = self.roles.find(text, sentences, &found, &self.entities, &map);
        out.quantities = self.quantities.find(text, &map);
        out.dates = self.dates.find(text, &map, doc_date);
        out.attributions = self.attributions.find_in(&doc_text, &found, &map);
        out.events = self.events.find_in(&doc_text, &found, &out.dates, &out.attributions, &map);
        out.entities = found.entities;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn extractor_is_shareable_across_threads() {
        assert_send_sync::<Extractor>();
    }
}
