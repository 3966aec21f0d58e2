//! Everything link derives across documents that the store keeps and the report shows: claims
//! (numeric, status, denials, subject–predicate–object statements and their clusters), the
//! comparisons between them, the provenance graph and the resolved entities — computed once by
//! [`link_results`] so that `crosscheck link` can store them and the report read them back.
//!
//! This module only assembles; the rules live in claims, sources and entities. No IO.

use crosscheck_model::{DuplicateGroup, Extraction};
use serde::{Deserialize, Serialize};

use crate::{ClaimAnalysis, CorpusEntity, Provenance};

/// The stored results of one link run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LinkResults {
    pub claims: ClaimAnalysis,
    pub provenance: Provenance,
    pub entities: Vec<CorpusEntity>,
}

/// Claims, comparisons, provenance and entities of a corpus whose story groups are `groups`.
/// Members of a group joined by at least the default wording threshold count as one source.
pub fn link_results(extractions: &[Extraction], groups: &[DuplicateGroup]) -> LinkResults {
    let wording_threshold = crate::LinkConfig::default().threshold;
    let entities = crate::resolve_entities(extractions);
    LinkResults {
        claims: crate::claims::analyze_claims_with(extractions, groups, wording_threshold, &entities),
        provenance: crate::provenance(extractions, groups, wording_threshold),
        entities,
    }
}
