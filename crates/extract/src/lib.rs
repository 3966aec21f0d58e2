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
    /// Compiles every recognizer. On a rayon pool of more than one thread the entity
    /// recognizer (the gazetteer, about half the start-up) is built beside the others, so
    /// start-up does not leave the other threads idle; on one thread they are built in turn.
    pub fn new() -> Result<Self, ExtractError> {
        let (with_entities, rest) = rayon::join(
            || -> Result<_, ExtractError> {
                let attributions = attribution::AttributionRecognizer::new()?;
                let entities = entity::EntityRecognizer::new(attributions.speech_verbs())?;
                Ok((attributions, entities))
            },
            || -> Result<_, ExtractError> {
                let dates = date::DateRecognizer::new()?;
                // The patterns typical text tries are compiled on first use; trying them here,
                // on this side of the join, keeps that off the first documents' critical path.
                let map = CharMap::new(WARM_UP_TEXT);
                dates.find(WARM_UP_TEXT, &map, date::parse_iso_anchor("2025-03-04"));
                Ok((
                    dates,
                    quantity::QuantityRecognizer::new()?,
                    role::RoleRecognizer::new()?,
                    event::EventRecognizer::new()?,
                ))
            },
        );
        let (attributions, entities) = with_entities?;
        let (dates, quantities, roles, events) = rest?;
        Ok(Extractor { quantities, dates, entities, roles, attributions, events })
    }

    /// Extracts everything from one document.
    pub fn extract(&self, doc: &Document) -> Extraction {
        self.extract_with(doc, |_, _| ()).0
    }

    /// [`Extractor::extract`], then `also` on the document's segmented text and the finished
    /// extraction: for callers that read the words too (linking features) without
    /// tokenising the text a second time.
    pub fn extract_with<R>(
        &self,
        doc: &Document,
        also: impl FnOnce(&DocText<'_>, &Extraction) -> R,
    ) -> (Extraction, R) {
        let mut out = Extraction::empty_for(doc);
        let text = doc.text.as_str();
        let map = CharMap::new(text);
        let doc_date = doc.date.as_deref().and_then(date::parse_iso_anchor);
        let doc_text = DocText::new(text);
        let found = self.entities.find_in(&doc_text, &map);
        out.roles = self.roles.find_in(&doc_text, &found, &self.entities, &map);
        out.quantities = self.quantities.find(text, &map);
        out.dates = self.dates.find(text, &map, doc_date);
        out.attributions = self.attributions.find_in(&doc_text, &found, &map);
        out.events = self.events.find_in(&doc_text, &found, &out.dates, &out.attributions, &map);
        out.entities = found.entities;
        let also = also(&doc_text, &out);
        (out, also)
    }
}

/// Typical date expressions of news text, tried once at start-up (see [`Extractor::new`]).
const WARM_UP_TEXT: &str = "On Monday, March 3, 2025, officials said the plan announced on 12 February \
would start next week. By the end of 2024 and in the first quarter of 2026, two years ago, \
last Tuesday, since January, on 2025-03-01, in the 1990s, earlier this month, this spring.";

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn extractor_is_shareable_across_threads() {
        assert_send_sync::<Extractor>();
    }

    /// What `extract_with` hands its callback is what `extract` returns, and the words of
    /// the whole text.
    #[test]
    fn extract_with_sees_the_extraction_and_every_word() {
        let extractor = Extractor::new().expect("bundled rules");
        let text = "The Harbour Board said on Monday, 3 March 2025, that 40 ferries would stop.";
        let doc = Document {
            id: "d".into(),
            origin: "mem".into(),
            format: crosscheck_model::SourceFormat::Text,
            url: None,
            outlet: None,
            date: Some("2025-03-04".into()),
            title: None,
            author: None,
            language: Some("en".into()),
            text: text.into(),
            content_hash: String::new(),
            warnings: Vec::new(),
        };
        let plain = extractor.extract(&doc);
        let (with, (words, seen)) = extractor.extract_with(&doc, |doc_text, x| {
            (doc_text.words.words.iter().map(|w| w.text.to_string()).collect::<Vec<_>>(), x.clone())
        });
        assert_eq!(with, plain);
        assert_eq!(seen, plain);
        assert!(!plain.dates.is_empty() && !plain.quantities.is_empty());
        let expected: Vec<String> = crosscheck_text::words(text).map(|w| w.text.to_string()).collect();
        assert_eq!(words, expected);
    }
}
