//! Quantities: amounts of money, counts of people and things, distances, durations, percents.

use crate::ExtractError;
use crosscheck_model::Quantity;
use crosscheck_text::CharMap;

pub struct QuantityRecognizer {}

impl QuantityRecognizer {
    pub fn new() -> Result<Self, ExtractError> {
        Ok(QuantityRecognizer {})
    }

    /// Every quantity in `text`, spans converted through `map`.
    pub fn find(&self, _text: &str, _map: &CharMap) -> Vec<Quantity> {
        Vec::new()
    }
}
