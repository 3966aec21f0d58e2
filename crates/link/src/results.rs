//! Everything link derives across documents that the store keeps and the report shows: claims
//! (numeric, status, denials, subject–predicate–object statements and their clusters), the
//! comparisons between them, the provenance graph and the resolved entities — computed once by
//! [`link_results`] (extractions in memory) or [`link_results_from`] (documents streamed from a
//! [`LinkSource`] such as the store, so that memory holds compact records, never the corpus).
//! Both give the same results for the same documents in the same order.
//!
//! This module only assembles and orders the passes; the rules live in claims, sources and
//! entities. No IO: a source does the reading.

use std::collections::{BTreeSet, HashMap};

use crosscheck_model::{DuplicateGroup, Entity, Extraction};
use serde::{Deserialize, Serialize};

use crate::{ClaimAnalysis, CorpusEntity, Provenance};

/// The stored results of one link run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LinkResults {
    pub claims: ClaimAnalysis,
    pub provenance: Provenance,
    pub entities: Vec<CorpusEntity>,
}

/// What the first pass of a [`LinkSource`] hands over per document: id, outlet, entities.
pub type EntityVisitor<'v> = dyn FnMut(&str, Option<&str>, Vec<Entity>) + 'v;

/// Where [`link_results_from`] reads a corpus: every pass visits the documents in one fixed
/// order (the store: by id), one at a time.
pub trait LinkSource {
    type Error;
    /// Visits each document's id, outlet and entities (the first pass: corpus entities and
    /// outlets are resolved before claims are read). Returns the number of documents.
    fn for_each_document_entities(&self, visit: &mut EntityVisitor<'_>) -> Result<usize, Self::Error>;
    /// Visits each document's whole extraction, in the same order.
    fn for_each_extraction(&self, visit: &mut dyn FnMut(&Extraction)) -> Result<usize, Self::Error>;
    /// Visits `(id, text)` of each document of `ids` (sorted, unique) that exists.
    fn for_each_text(&self, ids: &[&str], visit: &mut dyn FnMut(&str, &str)) -> Result<(), Self::Error>;
}

/// Extractions held in memory, as a [`LinkSource`] (in slice order).
impl LinkSource for [Extraction] {
    type Error = std::convert::Infallible;

    fn for_each_document_entities(&self, visit: &mut EntityVisitor<'_>) -> Result<usize, Self::Error> {
        for x in self {
            visit(&x.id, x.outlet.as_deref(), x.entities.clone());
        }
        Ok(self.len())
    }

    fn for_each_extraction(&self, visit: &mut dyn FnMut(&Extraction)) -> Result<usize, Self::Error> {
        self.iter().for_each(visit);
        Ok(self.len())
    }

    fn for_each_text(&self, ids: &[&str], visit: &mut dyn FnMut(&str, &str)) -> Result<(), Self::Error> {
        // The last document of an id wins, as a map built over the slice would have it.
        let by_id: HashMap<&str, &Extraction> = self.iter().map(|x| (x.id.as_str(), x)).collect();
        for id in ids {
            if let Some(x) = by_id.get(id) {
                visit(id, &x.text);
            }
        }
        Ok(())
    }
}

/// Claims, comparisons, provenance and entities of a corpus whose story groups are `groups`.
/// Members of a group joined by at least the default wording threshold count as one source.
pub fn link_results(extractions: &[Extraction], groups: &[DuplicateGroup]) -> LinkResults {
    match link_results_from(extractions, groups) {
        Ok(results) => results,
        Err(never) => match never {},
    }
}

/// [`link_results`] over a corpus read from `source` in three passes: (1) ids, outlets and
/// entities, from which corpus entities and outlets are resolved; (2) each extraction, read
/// for its claims, statements, statuses, denials and citations and then dropped; (3) the text
/// of the few documents the denials' counterparts are searched in (the other members of a
/// denying document's story group). Memory holds the results and compact per-document records,
/// not the extractions.
pub fn link_results_from<S: LinkSource + ?Sized>(
    source: &S,
    groups: &[DuplicateGroup],
) -> Result<LinkResults, S::Error> {
    let wording_threshold = crate::LinkConfig::default().threshold;
    let mut documents: Vec<(String, Vec<Entity>)> = Vec::new();
    let mut outlets: BTreeSet<String> = BTreeSet::new();
    source.for_each_document_entities(&mut |id, outlet, entities| {
        if let Some(outlet) = outlet {
            if !outlets.contains(outlet) {
                outlets.insert(outlet.to_string());
            }
        }
        documents.push((id.to_string(), entities));
    })?;
    let entities = crate::entities::resolve_document_entities(&documents);
    drop(documents);
    let corpus_outlets = crate::sources::corpus_outlets(outlets.iter().map(|o| Some(o.as_str())));

    let mut claims = crate::claims::ClaimsPass::new(groups, wording_threshold, &entities, &corpus_outlets);
    let mut citations = Vec::new();
    source.for_each_extraction(&mut |x| {
        claims.add(x);
        citations.extend(crate::sources::document_citations(x, &corpus_outlets));
    })?;
    let requests = claims.counterpart_requests();
    let ids: Vec<&str> = requests.keys().map(String::as_str).collect();
    source.for_each_text(&ids, &mut |id, text| {
        if let Some(denials) = requests.get(id) {
            claims.add_counterpart_text(id, text, denials);
        }
    })?;
    let claims = claims.finish();
    let provenance = crate::sources::provenance_of(citations, groups, wording_threshold);
    Ok(LinkResults { claims, provenance, entities })
}
