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

pub mod curate;
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
pub mod suggest;
pub mod surface;
pub mod update;

use std::path::{Path, PathBuf};

pub use error::GenerateError;
pub use file::GeneratedFile;

/// The result of a generation run.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The lowered API (for summaries and API diffs).
    pub api: ir::Api,
    /// The files to write.
    pub files: Vec<GeneratedFile>,
    /// What is legal but lossy or suspicious in the spec, located, in a deterministic order
    /// (the load stage's first, then lowering's); empty for a clean spec. Print it with
    /// `Display`; a caller that treats warnings as errors checks `warnings.is_empty()`.
    pub warnings: diag::Report,
}

/// What a generation run produces beyond the client itself.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The typed mocks of `mocks.rs`, which the client crate compiles only with its `test-util`
    /// feature (on by default: `generated/` has them). Without them the file only says they
    /// were left out: a crate of a large spec whose users mock nothing generates faster
    /// (they are about an eighth of its lines).
    pub mocks: bool,
    /// A file that keeps the formatted text of every item between runs, so that a regeneration
    /// formats only the items whose tokens changed (see [`format::cache`]); off by default. The
    /// output is the same with it or without it.
    pub format_cache: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mocks: true,
            format_cache: None,
        }
    }
}

/// Generates the client from a spec file (or a directory holding exactly one spec).
pub fn generate(spec: &Path) -> Result<Generated, GenerateError> {
    generate_with(spec, &Options::default())
}

/// [`generate`] with `options`.
pub fn generate_with(spec: &Path, options: &Options) -> Result<Generated, GenerateError> {
    stack::with_deep_stack(|| {
        let (loaded, lowered) = load::load_then(spec, lower_while_loading)?;
        generate_loaded(loaded, lowered, options)
    })
}

/// Generates the client from spec text; `file` names the source in diagnostics and headers.
pub fn generate_from_str(file: &Path, source: &str) -> Result<Generated, GenerateError> {
    generate_from_str_with(file, source, &Options::default())
}

/// [`generate_from_str`] with `options`.
pub fn generate_from_str_with(file: &Path, source: &str, options: &Options) -> Result<Generated, GenerateError> {
    stack::with_deep_stack(|| {
        let (loaded, lowered) = load::parse_then(file.to_owned(), source.to_owned(), lower_while_loading)?;
        generate_loaded(loaded, lowered, options)
    })
}

/// Generates the client from the bytes of a spec file (which must be UTF-8: bytes that are not
/// are reported with their line and column); `file` names the source.
pub fn generate_from_bytes(file: &Path, bytes: Vec<u8>) -> Result<Generated, GenerateError> {
    let source = load::decode(file, bytes)?;
    generate_from_str(file, &source)
}

/// A spec that lowers: its IR and the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The lowered API.
    pub api: ir::Api,
    /// Warnings from loading and lowering (empty when there are none).
    pub warnings: diag::Report,
}

/// Lowers a loaded spec and joins what loading and lowering found: the IR with the warnings,
/// or every error (with the warnings found beside them). For tools that need the IR without
/// generating code, such as the emulator.
pub fn check(loaded: &load::Loaded) -> Result<Checked, GenerateError> {
    let (api, warnings) = lowered_api(loaded, None)?;
    Ok(Checked {
        api,
        warnings: spec_report(loaded, warnings),
    })
}

/// The lowering that loading runs on the typed document while it still checks the YAML tree
/// (`load::parse_then`): its whole-document check waits for the tree's core.
fn lower_while_loading(api: &openapiv3::OpenAPI, tree_done: &stack::Gate) -> LowerResult {
    lower::lower_after(api, || tree_done.wait())
}

/// The IR and the warnings (not yet placed in the text), or every error placed in the text
/// (with the warnings found beside them); `lowered` where loading lowered the spec already.
fn lowered_api(
    loaded: &load::Loaded,
    lowered: Option<LowerResult>,
) -> Result<(ir::Api, Vec<diag::Diagnostic>), GenerateError> {
    let mut diagnostics = loaded.diagnostics.clone();
    let lowered = lowered.unwrap_or_else(|| lower::lower(&loaded.api));
    let (api, lowered_diagnostics) = match lowered {
        Ok(lowered) => (Some(lowered.api), lowered.warnings),
        Err(found) => (None, found),
    };
    diagnostics.extend(lowered_diagnostics);
    // Errors first, then warnings, each in the order the stages found them.
    diagnostics.sort_by_key(|d| d.severity);
    match api {
        Some(api) if !diagnostics.iter().any(diag::Diagnostic::is_error) => Ok((api, diagnostics)),
        _ => Err(GenerateError::Spec(Box::new(spec_report(loaded, diagnostics)))),
    }
}

/// The report of `diagnostics`, each placed in the spec's text.
fn spec_report(loaded: &load::Loaded, diagnostics: Vec<diag::Diagnostic>) -> diag::Report {
    diag::Report::new(loaded.file.clone(), &loaded.source, diagnostics)
}

/// Frees a large spec's documents on another thread (a few milliseconds the caller need not
/// wait for).
fn free_beside(loaded: load::Loaded) {
    if loaded.source.len() >= load::READ_BESIDE_FROM {
        stack::drop_beside(loaded);
    }
}

/// What lowering returns.
type LowerResult = Result<lower::Lowered, Vec<diag::Diagnostic>>;

fn generate_loaded(
    loaded: load::Loaded,
    lowered: Option<LowerResult>,
    options: &Options,
) -> Result<Generated, GenerateError> {
    let (api, warnings) = lowered_api(&loaded, lowered)?;
    // Only the file name goes into headers, so output does not depend on where the spec lives.
    let source_name = loaded
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let krate = emit::Crate::new(&api, &source_name).with_mocks(options.mocks);
    let format = || match &options.format_cache {
        None => format::format_crate(&krate),
        Some(path) => {
            let cache = format::FormatCache::load(path);
            let (files, formatted) = format::format_crate_with(&krate, Some(&cache))?;
            cache.save(path, formatted);
            Ok(files)
        }
    };
    // Placing the warnings of a large spec in its text (milliseconds) runs beside the
    // formatting. They wait in `pending`, to be placed here when no thread is started.
    let pending = std::sync::Mutex::new(Some(warnings));
    let take = || {
        pending
            .lock()
            .ok()
            .and_then(|mut warnings| warnings.take())
            .unwrap_or_default()
    };
    let (files, warnings) = std::thread::scope(|scope| {
        let placing = (loaded.source.len() >= load::READ_BESIDE_FROM)
            .then(|| stack::spawn_deep(scope, || spec_report(&loaded, take())))
            .flatten();
        let files = format();
        let warnings = match placing {
            Some(placing) => placing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => spec_report(&loaded, take()),
        };
        (files, warnings)
    });
    let files = files?;
    free_beside(loaded);
    Ok(Generated { api, files, warnings })
}
