//! A generated file: what emitting and formatting produce and [`crate::output`] writes.

use std::path::PathBuf;

/// One generated file, relative to the output crate's root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output crate, e.g. `src/models.rs`.
    pub path: PathBuf,
    /// Full file contents.
    pub contents: String,
}
