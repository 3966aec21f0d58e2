//! Errors of the extract crate. Extraction itself never fails on messy text; only loading
//! the bundled rule and lexicon files can, and that is a build defect reported with the file.

/// A rule or lexicon file could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("resource {file}, line {line}: {message}")]
    Resource { file: &'static str, line: usize, message: String },
    #[error("resource {file}: pattern does not compile: {source}")]
    Pattern {
        file: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}
