//! Load stage: read the spec file, check its shape, and parse it into `openapiv3` types.
//!
//! The text becomes a YAML tree first (a syntax error, a repeated key or an alias bomb is
//! reported with its line and column here), YAML merge keys are applied (`merge.rs`), and the
//! tree is checked against the shape of OpenAPI 3.0 (`shape.rs`, by the table in `keys.rs`),
//! which points every wrong or unknown key out by itself, and against the rules of OpenAPI
//! 3.0.3 that no key shape expresses (`musts/`, each diagnostic naming its rule in the table
//! that `rules.rs` embeds: `generator/rules/openapi-3.0.3.md`). Only then does `openapiv3` read the
//! tree. A document with shape errors that `openapiv3` can still read goes on to lowering, so
//! one run reports every problem; its errors stop generation there.

mod keys;
mod merge;
mod musts;
pub mod rules;
mod shape;
mod text;
mod tree;
mod unused;

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_yaml::Value;

use crate::diag::{Diagnostic, Report};
use crate::error::GenerateError;
use crate::locate::{escape_segment, PointerIndex, Position};
use crate::stack::Gate;

pub use musts::RESERVED_HEADERS;
pub use text::decode;

/// A parsed spec with the text it came from (for diagnostics).
#[derive(Debug)]
pub struct Loaded {
    /// The spec file.
    pub file: PathBuf,
    /// Its text.
    pub source: String,
    /// The parsed document.
    pub api: OpenAPI,
    /// What the shape check found in a document `openapiv3` could read: warnings, and errors
    /// that lowering reports together with its own.
    pub diagnostics: Vec<Diagnostic>,
}

/// The keys the generator deliberately ignores because they cannot change the generated
/// client, as (object, key, why): the documented list of what is not mapped on purpose. Keys
/// that are lost (a warning whenever present) and keys judged in context are not in it.
pub fn ignored_keys() -> Vec<(&'static str, &'static str, &'static str)> {
    // Extensions carry what tools other than OpenAPI's agree on; the generator reads two on
    // operations (`x-xgen-operation-id-override`, an operation's short name, and `x-waiters`)
    // and no other.
    let mut out = vec![(
        "any object",
        "x-...",
        "extensions are for other tools; only an operation's `x-xgen-operation-id-override` (its short name) and `x-waiters` (its waiters) are read",
    )];
    for (kind, name) in keys::ALL {
        for key in keys::keys(kind).0 {
            if let keys::Use::Ignored(why) = key.use_ {
                out.push((name, key.name, why));
            }
        }
    }
    out
}

/// Reads `path` (a YAML file, or a directory holding exactly one `.yaml`/`.yml` file).
pub fn load(path: &Path) -> Result<Loaded, GenerateError> {
    load_then(path, |_, _| ()).map(|(loaded, _)| loaded)
}

/// [`load`], then `next` on the document (see [`parse_then`]).
pub fn load_then<R: Send>(
    path: &Path,
    next: impl FnOnce(&OpenAPI, &Gate) -> R + Send,
) -> Result<(Loaded, Option<R>), GenerateError> {
    let file = resolve_spec_file(path)?;
    let bytes = std::fs::read(&file).map_err(|source| GenerateError::Io {
        path: file.clone(),
        source,
    })?;
    let source = decode(&file, bytes)?;
    parse_then(file, source, next)
}

/// Parses spec text; `file` is only used to name the source in diagnostics.
pub fn parse(file: PathBuf, source: String) -> Result<Loaded, GenerateError> {
    parse_then(file, source, |_, _| ()).map(|(loaded, _)| loaded)
}

/// [`parse`], also running `next` (the stage after loading) on the typed document as soon as it
/// is read, where that is beside the rest of loading: a large spec's typed document is read on
/// a thread of its own while this one reads and checks the YAML tree, which takes longer, and
/// `next` runs on that thread in the meantime. `None` where `next` did not run (a small spec,
/// one core, or a document read from the tree): the caller runs it on the loaded document.
///
/// `next` gets a [`Gate`] that opens when this thread is done with the tree: work that `next`
/// starts on a thread of its own can wait for it, and take this thread's core instead of
/// sharing both with `next` and the tree.
pub fn parse_then<R: Send>(
    file: PathBuf,
    source: String,
    next: impl FnOnce(&OpenAPI, &Gate) -> R + Send,
) -> Result<(Loaded, Option<R>), GenerateError> {
    // YAML allows a byte-order mark before the document; it is not part of it.
    let text = source.strip_prefix('\u{feff}').unwrap_or(&source);
    let tree_done = Gate::default();
    let (checked, typed) = std::thread::scope(|scope| {
        let typed = read_typed_beside(scope, text, |api| next(api, &tree_done));
        let opener = tree_done.opener();
        let checked = tree_and_checks(text);
        drop(opener);
        (checked, typed.and_then(|reader| reader.join().ok()))
    });
    let (value, mut diagnostics) = match checked {
        Ok(checked) => checked,
        Err(diagnostic) => return Err(report(file, &source, vec![*diagnostic])),
    };
    // The typed document read from the text is the one read from the tree (the text has no
    // merge key); where it could not be read, the tree's reading says why.
    let (api, after) = match typed {
        Some(Ok((api, after))) => {
            // Only a large text is read beside: its tree is freed beside too.
            crate::stack::drop_beside(value);
            (Some(Ok(api)), Some(after))
        }
        _ => (without_panics(|| serde_yaml::from_value::<OpenAPI>(value)), None),
    };
    match api {
        Some(Ok(api)) => Ok((
            Loaded {
                file,
                source,
                api,
                diagnostics,
            },
            after,
        )),
        // The shape check found why: its diagnostics say where.
        _ if diagnostics.iter().any(Diagnostic::is_error) => Err(report(file, &source, diagnostics)),
        _ => {
            let again = merged(tree(text).unwrap_or_default(), text, &mut Vec::new());
            diagnostics.push(explain_parse_error(again));
            Err(report(file, &source, diagnostics))
        }
    }
}

/// From this size on, the typed document is read from the text (and lowered, `parse_then`) on
/// a thread of its own while the YAML tree is read and checked (the two readings are about a
/// third of loading each); below it, starting a thread costs more than it saves. With the
/// lowering beside the tree's checks, it pays from the size of the official Streams spec
/// (151 KiB: loading 8.6-9.3 ms on one thread, 7.3-7.5 ms on two, lowering then partly hidden);
/// the test specs, a few KiB each, stay on one.
pub(crate) const READ_BESIDE_FROM: usize = 1 << 16;

/// Starts reading the typed document straight from `text` on another thread, then running
/// `next` on it there, when the text is large, the machine has a second core, and the text has
/// no merge key (which only the tree applies). `None`: the document is read from the tree
/// instead.
fn read_typed_beside<'scope, R: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    text: &'scope str,
    next: impl FnOnce(&OpenAPI) -> R + Send + 'scope,
) -> Option<std::thread::ScopedJoinHandle<'scope, Result<(OpenAPI, R), serde_yaml::Error>>> {
    if text.len() < READ_BESIDE_FROM || crate::stack::cores() < 2 || merge::may_have_merge_keys(text) {
        return None;
    }
    // A panic in `openapiv3` ends the thread, and the tree's reading takes over (`join` fails);
    // so does one in `next`, which the caller then runs again (and sees it panic).
    crate::stack::spawn_deep(scope, move || {
        let api = serde_yaml::from_str::<OpenAPI>(text)?;
        let after = next(&api);
        Ok((api, after))
    })
}

/// The text's YAML tree, merge keys applied, with what the key and shape checks found; or the
/// located reason it is no OpenAPI document at all.
fn tree_and_checks(text: &str) -> Result<(Value, Vec<Diagnostic>), Box<Diagnostic>> {
    let value = tree(text)?;
    if let Some(d) = document_problem(&value, text) {
        return Err(Box::new(d));
    }
    let mut diagnostics = Vec::new();
    let value = merged(value, text, &mut diagnostics);
    diagnostics.extend(shape::check(&value));
    diagnostics.extend(musts::document(&value));
    diagnostics.extend(unused::check(&value));
    Ok((value, diagnostics))
}

/// The YAML tree of the text, or the located reason it is not YAML.
pub(crate) fn tree(text: &str) -> Result<Value, Box<Diagnostic>> {
    serde_yaml::from_str::<Value>(text).map_err(|error| Box::new(yaml_error(&error, text)))
}

/// The tree with its merge keys applied (when the text has any).
fn merged(mut value: Value, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Value {
    if merge::may_have_merge_keys(text) {
        merge::apply(&mut value, "#", diagnostics);
    }
    value
}

/// Runs an `openapiv3` decode, turning its panic into `None`.
///
/// `openapiv3` 2.2 panics ("somehow this parsed successfully the second time") on inputs its
/// two-step `ReferenceOr` decoding reads differently the second time. The shape check catches
/// the known causes first; should another reach the decoder, it is still explained, not raised.
fn without_panics<T>(decode: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).ok()
}

fn report(file: PathBuf, source: &str, diagnostics: Vec<Diagnostic>) -> GenerateError {
    GenerateError::Spec(Box::new(Report::new(file, source, diagnostics)))
}

fn resolve_spec_file(path: &Path) -> Result<PathBuf, GenerateError> {
    if !path.is_dir() {
        return Ok(path.to_owned());
    }
    let entries = std::fs::read_dir(path).map_err(|source| GenerateError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut candidates: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    candidates.sort();
    match candidates.len() {
        1 => Ok(candidates.remove(0)),
        n => Err(GenerateError::SpecDirectory {
            path: path.to_owned(),
            found: n,
        }),
    }
}

/// A YAML error, in words, at its position: a repeated key at its second occurrence, an alias
/// bomb at its first alias (`serde_yaml` places both elsewhere), anything else where
/// `serde_yaml` says.
fn yaml_error(error: &serde_yaml::Error, text: &str) -> Diagnostic {
    let said = error.to_string();
    let (message, help) = if said.contains("repetition limit exceeded") {
        (
            "the YAML aliases expand too far: anchors repeated inside anchors multiply into a document far larger than its text (a \"billion laughs\")".to_owned(),
            "write the repeated content out, or nest aliases less deeply".to_owned(),
        )
    } else if said.contains("recursion limit exceeded") {
        (
            "the YAML nests deeper than 128 levels, more than any real spec".to_owned(),
            "flatten the structure, e.g. move nested schemas to `components/schemas` and `$ref` them".to_owned(),
        )
    } else if let Some(key) = duplicate_key(&said) {
        (
            format!(
                "the key `{key}` appears twice in one mapping: YAML does not say which one counts{}",
                rules::cite("OAS-4.2-patterned-unique")
            ),
            "remove or rename the repeated key".to_owned(),
        )
    } else {
        (
            format!("YAML syntax error: {said}"),
            "fix the YAML syntax at the marked position".to_owned(),
        )
    };
    let mut d = Diagnostic::new("#", message, help);
    d.position = error.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    if text_is(&d.message, "appears twice") || text_is(&d.message, "aliases expand") {
        let index = PointerIndex::build(text);
        match (index.duplicate_key(), index.first_alias()) {
            (Some((pointer, at)), _) if text_is(&d.message, "appears twice") => {
                d.pointer = pointer.to_owned();
                d.position = Some(at);
            }
            (_, Some(at)) if text_is(&d.message, "aliases expand") => d.position = Some(at),
            _ => {}
        }
    }
    d
}

fn text_is(message: &str, part: &str) -> bool {
    message.contains(part)
}

/// The key of a "duplicate entry with key" error.
fn duplicate_key(text: &str) -> Option<&str> {
    let rest = text.split("duplicate entry with key ").nth(1)?;
    let quoted = rest.strip_prefix('"')?;
    quoted.split('"').next()
}

/// Why the tree is no OpenAPI 3.0 document at all: not a mapping, or another version.
fn document_problem(value: &Value, text: &str) -> Option<Diagnostic> {
    let what = match value {
        Value::Mapping(map) => {
            let field = |name: &str| map.get(name).map(yaml_scalar_text);
            return version_problem(field("openapi").as_deref(), field("swagger").as_deref());
        }
        Value::Sequence(_) => "a list",
        Value::Null => return version_problem(None, None),
        _ => "a single value",
    };
    let mut d = Diagnostic::new(
        "#",
        format!("the document is {what}, not an OpenAPI document"),
        "an OpenAPI 3.0 document is a mapping with `openapi: 3.0.x`, `info` and `paths` at the top",
    );
    // A lone value has no key to point at: point at its first line.
    d.position = text
        .lines()
        .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|i| Position { line: i + 1, column: 1 });
    Some(d)
}

fn version_problem(openapi: Option<&str>, swagger: Option<&str>) -> Option<Diagnostic> {
    match (openapi, swagger) {
        (Some(v), _) if v.starts_with("3.0") => None,
        (Some(v), _) if v.starts_with("3.") => Some(rules::error(
            "OAS-4.1-major-minor",
            "#/openapi",
            format!("OpenAPI {v} is not supported: this generator reads OpenAPI 3.0 documents"),
            "convert the document to OpenAPI 3.0.x (e.g. `nullable: true` instead of `type: [T, 'null']`) and set `openapi: 3.0.3`",
        )),
        (Some(v), _) => Some(rules::error(
            // A version of another feature set (`2.5`), or no version at all (`banana`).
            if v.split('.').take(2).all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) && v.contains('.') {
                "OAS-4.1-major-minor"
            } else {
                "OAS-4.7.1-openapi-semver"
            },
            "#/openapi",
            format!("`openapi: {v}` is not an OpenAPI 3.0 version"),
            "set `openapi: 3.0.3` (or the 3.0.x version the document follows)",
        )),
        (None, Some(v)) => Some(Diagnostic::new(
            "#/swagger",
            format!("this is a Swagger {v} document; this generator reads OpenAPI 3.0"),
            "convert it to OpenAPI 3.0 first (e.g. with swagger2openapi) and generate from the result",
        )),
        (None, None) => Some(rules::error(
            "OAS-4.7.1-openapi-required",
            "#",
            "the document has no `openapi` field",
            "add `openapi: 3.0.3` at the top level of the document",
        )),
    }
}

/// What `openapiv3` says about a tree the shape check found nothing wrong with: a shape this
/// generator's table does not know about, explained by the decoder's own path.
fn explain_parse_error(value: Value) -> Diagnostic {
    match without_panics(|| serde_path_to_error::deserialize::<_, OpenAPI>(value)) {
        Some(Err(error)) => Diagnostic::new(
            path_to_pointer(error.path()),
            format!("this node does not fit the OpenAPI 3.0 schema: {}", error.inner()),
            "compare the node with the OpenAPI 3.0 specification (https://spec.openapis.org/oas/v3.0.3) and correct its shape",
        ),
        _ => Diagnostic::new(
            "#",
            "the OpenAPI parser could not read this document",
            "look for values that are not plain YAML (tags such as `!!binary`) and compare the document with the OpenAPI 3.0 specification",
        ),
    }
}

fn yaml_scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        let text = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        pointer.push('/');
        pointer.push_str(&escape_segment(&text));
    }
    pointer
}
