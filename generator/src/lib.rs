//! The atlas-streams generator: an OpenAPI 3.0 spec in, a typed async Rust client out.
//!
//! The pipeline runs in visible stages, one module each, each importing only the data of the
//! stages before it:
//!
//! - [`load`]: YAML -> `openapiv3` (with the source, for locating diagnostics);
//! - [`lower`]: refs, allOf, oneOf, direction split, naming -> the [`ir`], in passes with
//!   explicit inputs and outputs;
//! - [`emit`]: IR -> tokens, one item at a time with its doc comments set aside
//!   ([`emit::Rendered`]); it only renders what the IR says;
//! - [`format`](mod@format): `syn` check + `prettyplease`, on every core;
//! - [`output`]: writes the files, or checks them for drift.
//!
//! Beside them: [`surface`] lists the generated public API (`api.txt`) and diffs two of them;
//! [`rust_type`] spells a type for both `emit` and `surface`; [`members`] names what the
//! generated code gives its own models, builders, client and crate root. Every problem in a
//! spec is reported as a located [`diag::Diagnostic`]; everything that stops a run is a
//! [`GenerateError`] ([`error`]); the generator never panics on input.

pub mod diag;
pub mod emit;
pub mod error;
pub mod file;
pub mod format;
pub mod ir;
pub mod load;
pub mod locate;
pub mod lower;
pub mod members;
pub mod output;
pub mod rust_type;
pub mod stack;
pub mod surface;

use std::path::Path;

pub use error::GenerateError;
pub use file::GeneratedFile;

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
    stack::with_deep_stack(|| generate_loaded(&load::load(spec)?))
}

/// Generates the client from spec text; `file` names the source in diagnostics and headers.
pub fn generate_from_str(file: &Path, source: &str) -> Result<Generated, GenerateError> {
    stack::with_deep_stack(|| generate_loaded(&load::parse(file.to_owned(), source.to_owned())?))
}

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
    let files = format::format_crate(&emit::Crate::new(&api, &source_name))?;
    Ok(Generated { api, files })
}
