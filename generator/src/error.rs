//! What can stop a generation run. Every stage returns these; none of them is defined by the
//! stage that reports it, so the stages and `lib.rs` all import them from here, downward.

use std::path::PathBuf;

use crate::diag;

/// Everything that can stop a generation run.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A file or directory could not be read or written.
    #[error("cannot access `{path}`: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The spec directory does not hold exactly one YAML file.
    #[error("`{path}` holds {found} YAML files; expected exactly one spec (or pass the spec file itself)")]
    SpecDirectory {
        /// The directory.
        path: PathBuf,
        /// How many `.yaml`/`.yml` files it holds.
        found: usize,
    },
    /// The spec has problems; the report lists every one with its location.
    #[error("{0}")]
    Spec(Box<diag::Report>),
    /// The emitter produced code that does not parse: a bug in the generator.
    #[error("generator bug: the code generated for `{item}` does not parse: {message}")]
    Emit {
        /// The item (type or operation) whose code failed.
        item: String,
        /// The `syn` error.
        message: String,
    },
}
