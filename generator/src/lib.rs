//! The atlas-streams generator: an OpenAPI 3.0 spec in, a typed async Rust client out.
//!
//! The pipeline runs in visible stages, one module each:
//! [`load`] (YAML -> `openapiv3`) -> [`lower`] (refs, allOf, oneOf, direction split, naming ->
//! [`ir`]) -> [`emit`] (IR -> tokens) -> [`format`] (`syn` check + `prettyplease`), and
//! [`output`] writes or checks the files. Every problem in a spec is reported as a located
//! [`diag::Diagnostic`]; the generator never panics on input.

pub mod diag;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod locate;
pub mod lower;
pub mod output;
pub mod surface;

use std::path::{Path, PathBuf};

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

/// One generated file, relative to the output crate's root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output crate, e.g. `src/models.rs`.
    pub path: PathBuf,
    /// Full file contents.
    pub contents: String,
}

/// The result of a generation run.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The lowered API (for summaries and API diffs).
    pub api: ir::Api,
    /// The files to write.
    pub files: Vec<GeneratedFile>,
}

/// Generates the client from a spec file (or a directory holding exactly one spec).
pub fn generate(spec: &Path) -> Result<Generated, GenerateError> {
    with_deep_stack(|| generate_loaded(&load::load(spec)?))
}

/// Generates the client from spec text; `file` names the source in diagnostics and headers.
pub fn generate_from_str(file: &Path, source: &str) -> Result<Generated, GenerateError> {
    with_deep_stack(|| generate_loaded(&load::parse(file.to_owned(), source.to_owned())?))
}

/// Runs `work` on a large stack. Decoding a deeply nested schema recurses once per level in
/// `serde`/`openapiv3`, with large frames; a caller's 2 MiB thread (a test, a build script)
/// would overflow on a few dozen levels of valid nesting. The reservation is virtual memory:
/// only what is touched is used.
///
/// The stack is a fresh segment on the caller's own thread (`stacker`), not a new thread: a
/// thread hop cost about 3 ms of a 15 ms run on the Streams spec (a cold core, a cold
/// allocator heap), more than any other fixed cost of a run.
fn with_deep_stack<T>(work: impl FnOnce() -> Result<T, GenerateError>) -> Result<T, GenerateError> {
    stacker::grow(DEEP_STACK, work)
}

/// The stack every generator thread runs on (see `with_deep_stack`).
pub(crate) const DEEP_STACK: usize = 256 * 1024 * 1024;

fn generate_loaded(loaded: &load::Loaded) -> Result<Generated, GenerateError> {
    let api = lower::lower(&loaded.api).map_err(|diagnostics| {
        GenerateError::Spec(Box::new(diag::Report::new(
            loaded.file.clone(),
            &loaded.source,
            diagnostics,
        )))
    })?;
    // Only the file name goes into headers, so output does not depend on where the spec lives.
    let source_name = loaded
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let files = emit::emit(&api, &source_name)?;
    Ok(Generated { api, files })
}
