//! Everything link derives across documents that the store keeps and the report shows: claims
//! (numeric, status, denials, subject–predicate–object statements and their clusters), the
//! comparisons between them, the provenance graph and the resolved entities — computed once by
//! [`link_results`] (extractions in memory) or [`link_results_from`] (documents streamed from a
//! [`LinkSource`] such as the store, so that memory holds compact records, never the corpus).
//! Both give the same results for the same documents in the same order. [`link_results_into`]
//! is the streamed form for a corpus too large to hold its results: it hands each document's
//! statements and entity mentions to a [`LinkSink`] (the store writes them as they come),
//! has the sink read the statements back by cluster to store the clusters, and keeps in
//! memory only the compact rest (numeric, status and denial claims, comparisons, provenance,
//! entities without their mentions).
//!
//! This module only assembles and orders the passes; the rules live in claims, sources and
//! entities. No IO: a source does the reading.

use std::collections::{BTreeSet, HashMap};

use crosscheck_model::{DuplicateGroup, Entity, Extraction, Mention};
use serde::{Deserialize, Serialize};

use crate::{ClaimAnalysis, Comparison, CorpusEntity, Provenance, Statement, StatementCluster};

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

/// Where [`link_results_into`] puts what it must not hold: each document's statements and
/// entity mentions as they are found, the statement clusters, then the rest. A sink that
/// stores must make the whole run visible at once (or not at all when it fails midway).
pub trait LinkSink {
    type Error;
    /// One document's statements, with their cluster ids, sorted by span then id, each id once
    /// (`kept`: the stored statements), and the `repeats` of a kept id (they count in their
    /// cluster when it is made, but are not stored). Documents come in source order.
    fn document_statements(&mut self, kept: &[Statement], repeats: &[Statement]) -> Result<(), Self::Error>;
    /// One document's entity mentions as `(index of the corpus entity, mention)`, sorted, each
    /// once; the index points into the `entities` that [`LinkSink::finish`] receives.
    fn document_mentions(&mut self, doc: &str, mentions: &[(u32, Mention)]) -> Result<(), Self::Error>;
    /// Reads back every statement handed over (kept and repeats), those of one cluster id
    /// together with each kept statement before its repeats, and stores the cluster
    /// `cluster_of` makes of each group.
    /// Comparisons as they are found, in batches, in no order; one id may come twice (with the
    /// same content). The sink orders them as [`ClaimAnalysis`] does — by verdict, subject,
    /// id — each id once.
    fn comparisons(&mut self, batch: &[Comparison]) -> Result<(), Self::Error>;
    /// The statements handed over in [`LinkSink::document_statements`] as `kept` whose ids are
    /// `ids` (sorted, unique), in any order: the few a contradiction rule compares.
    fn stored_statements(&mut self, ids: &[String]) -> Result<Vec<Statement>, Self::Error>;
    fn store_statement_clusters(
        &mut self,
        cluster_of: &dyn Fn(&[&Statement]) -> Option<StatementCluster>,
    ) -> Result<(), Self::Error>;
    /// Everything else. Its claims hold no statements, statement clusters or comparisons, and
    /// its entities no mentions or document lists (they were handed over above).
    fn finish(&mut self, rest: LinkResults) -> Result<(), Self::Error>;
}

/// [`link_results_from`] handing statements, entity mentions and statement clusters to `sink`
/// as they are found instead of returning them: memory holds per document only its ids and the
/// corpus entity of each of its entities, plus the compact claims of [`link_results_from`].
/// The sink receives the same results [`link_results_from`] returns, split up; documents must
/// come from `source` in id order for a stored order to be the corpus's.
pub fn link_results_into<S, K>(source: &S, groups: &[DuplicateGroup], sink: &mut K) -> Result<(), S::Error>
where
    S: LinkSource + ?Sized,
    K: LinkSink<Error = S::Error>,
{
    let wording_threshold = crate::LinkConfig::default().threshold;
    // Pass 1 keeps names, types and aliases only, interned: mentions are read again per
    // document in pass 2.
    let mut documents = crate::entities::EntityNames::default();
    let mut outlets: BTreeSet<String> = BTreeSet::new();
    source.for_each_document_entities(&mut |id, outlet, entities| {
        if let Some(outlet) = outlet {
            if !outlets.contains(outlet) {
                outlets.insert(outlet.to_string());
            }
        }
        documents.push(id, &entities);
    })?;
    let (entities, entity_index) = crate::entities::resolve_entity_index(&documents);
    let ids: Vec<String> = documents.into_ids();
    let corpus_names = crate::claims::corpus_names(&entities);
    let corpus_outlets = crate::sources::corpus_outlets(outlets.iter().map(|o| Some(o.as_str())));

    let mut claims = crate::claims::ClaimsPass::new(groups, wording_threshold, &entities, &corpus_outlets);
    let mut citations = Vec::new();
    let mut failed: Option<S::Error> = None;
    let mut position = 0;
    source.for_each_extraction(&mut |x| {
        // Both passes visit the same documents in the same order; a source that does not is
        // still served, by a search.
        let at = if ids.get(position).is_some_and(|id| *id == x.id) {
            Some(position)
        } else {
            ids.iter().position(|id| *id == x.id)
        };
        position += 1;
        let of_document = at.and_then(|at| entity_index.get(at));
        let mut mentions: Vec<(u32, Mention)> = Vec::new();
        for (j, e) in x.entities.iter().enumerate() {
            let Some(&corpus) = of_document.and_then(|d| d.get(j)) else { continue };
            mentions.extend(e.mentions.iter().map(|m| (corpus, m.clone())));
        }
        mentions.sort();
        mentions.dedup();
        let index = crate::claims::DocumentEntityIndex::new(&entities, &mentions, &corpus_names);
        let (kept, repeats) = claims.add_streamed(x, &index);
        citations.extend(crate::sources::document_citations(x, &corpus_outlets));
        if failed.is_none() {
            let written =
                sink.document_statements(&kept, &repeats).and_then(|()| sink.document_mentions(&x.id, &mentions));
            if let Err(e) = written {
                failed = Some(e);
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    drop(entity_index);
    drop(ids);
    let requests = claims.counterpart_requests();
    let request_ids: Vec<&str> = requests.keys().map(String::as_str).collect();
    source.for_each_text(&request_ids, &mut |id, text| {
        if let Some(denials) = requests.get(id) {
            claims.add_counterpart_text(id, text, denials);
        }
    })?;
    let wanted = claims.contradiction_statement_ids();
    claims.set_contradiction_statements(sink.stored_statements(&wanted)?);
    drop(wanted);
    let mut emit = |batch: &mut Vec<Comparison>| {
        if failed.is_none() {
            if let Err(e) = sink.comparisons(batch) {
                failed = Some(e);
            }
        }
        batch.clear();
    };
    let (claims, clusterer) = claims.finish_with_clusterer(Some(&mut emit));
    if let Some(e) = failed {
        return Err(e);
    }
    sink.store_statement_clusters(&|members| clusterer.cluster(members))?;
    drop(clusterer);
    let provenance = crate::sources::provenance_of(citations, groups, wording_threshold);
    sink.finish(LinkResults { claims, provenance, entities })
}
