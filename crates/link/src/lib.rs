//! Cross-document linking: which documents tell the same story ([`find_duplicate_groups`],
//! [`assign_duplicates`]) and which entities of different documents are the same thing
//! ([`resolve_entities`]).
//!
//! This crate is pure: it takes texts and extractions and returns results. It must not do IO,
//! read the clock or the environment, and its output must be deterministic (same input, same
//! groups, same ids, same order). The near-duplicate algorithm and its parameters are explained
//! in `DESIGN.md` beside this crate.

mod claims;
mod dedup;
mod entities;
mod minhash;
mod results;
mod sources;
mod story;

pub use claims::{
    analyze_claims, analyze_claims_with, AttributionChain, ChangeRole, ClaimAnalysis, ClaimCluster, ClaimEvidence,
    Comparison, Denial, NumericClaim, Scope, Statement, StatementCluster, StatusClaim, Verdict,
};
pub use dedup::{
    assign_duplicates, duplicate_fields, find_duplicate_groups, find_duplicate_groups_exhaustive, DocRef, LinkConfig,
    COPY_SIMILARITY, MAX_LISTED_DUPLICATES,
};
pub use entities::{resolve_document_entities, resolve_entities, CorpusEntity};
pub use minhash::{estimated_jaccard, exact_jaccard, jaccard_of_sets, minhash_signature, shingles};
pub use results::{
    link_results, link_results_from, link_results_into, EntityVisitor, LinkResults, LinkSink, LinkSource,
};
pub use sources::{
    provenance, source_profiles, timeline, Citation, CitedSource, Provenance, SourceProfile, Timeline, TimelineEntry,
};
pub use story::{
    find_story_groups, find_story_groups_in, story_scores_exhaustive, LinkBasis, LinkCorpus, PreparedLinkDoc,
    StoryConfig, StoryGroups, StoryLink,
};

/// Re-exported so callers of this crate need not depend on the model for the group type.
pub use crosscheck_model::DuplicateGroup;
