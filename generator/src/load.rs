//! Load stage: read the spec file and parse it into `openapiv3` types.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde::Deserialize;

use crate::diag::{Diagnostic, Report};
use crate::error::GenerateError;
use crate::locate::{escape_segment, Position};

/// A parsed spec with the text it came from (for diagnostics).
#[derive(Debug)]
pub struct Loaded {
    /// The spec file.
    pub file: PathBuf,
    /// Its text.
    pub source: String,
    /// The parsed document.
    pub api: OpenAPI,
}

/// Reads `path` (a YAML file, or a directory holding exactly one `.yaml`/`.yml` file).
pub fn load(path: &Path) -> Result<Loaded, GenerateError> {
    let file = resolve_spec_file(path)?;
    let source = std::fs::read_to_string(&file).map_err(|source| GenerateError::Io {
        path: file.clone(),
        source,
    })?;
    parse(file, source)
}

/// Parses spec text; `file` is only used to name the source in diagnostics.
pub fn parse(file: PathBuf, source: String) -> Result<Loaded, GenerateError> {
    // The happy path decodes without tracking where it is (a tenth of the parse on a big spec);
    // only a document that fails is decoded again, with `serde_path_to_error`, to say where.
    let parsed = without_panics(|| serde_yaml::from_str::<OpenAPI>(&source).map_err(drop));
    match parsed {
        Some(Ok(api)) => match version_problem(Some(&api.openapi), None) {
            Some(d) => Err(report(file, &source, vec![d])),
            None => Ok(Loaded { file, source, api }),
        },
        Some(Err(())) => {
            let deserializer = serde_yaml::Deserializer::from_str(&source);
            let diagnostic = match without_panics(|| serde_path_to_error::deserialize::<_, OpenAPI>(deserializer)) {
                Some(Err(error)) => explain_parse_error(&source, error),
                // Decoding is deterministic: the second decode fails as the first did. Should it
                // not, or panic, the document is still explained without the decoder's path.
                Some(Ok(_)) | None => explain_parser_panic(&source),
            };
            Err(report(file, &source, vec![diagnostic]))
        }
        None => Err(report(file, &source, vec![explain_parser_panic(&source)])),
    }
}

/// Runs an `openapiv3` decode, turning its panic into `None`.
///
/// `openapiv3` 2.2 panics ("somehow this parsed successfully the second time") on inputs its
/// two-step `ReferenceOr` decoding reads differently the second time, e.g. a mapping with a
/// duplicate key. Such a panic is caught and the document explained another way.
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

/// The first lines of a document: enough to tell Swagger 2.0 and OpenAPI 3.1 apart.
#[derive(Deserialize)]
struct Header {
    openapi: Option<serde_yaml::Value>,
    swagger: Option<serde_yaml::Value>,
}

fn version_problem(openapi: Option<&str>, swagger: Option<&str>) -> Option<Diagnostic> {
    match (openapi, swagger) {
        (Some(v), _) if v.starts_with("3.0") => None,
        (Some(v), _) if v.starts_with("3.") => Some(Diagnostic::new(
            "#/openapi",
            format!("OpenAPI {v} is not supported: this generator reads OpenAPI 3.0 documents"),
            "convert the document to OpenAPI 3.0.x (e.g. `nullable: true` instead of `type: [T, 'null']`) and set `openapi: 3.0.3`",
        )),
        (Some(v), _) => Some(Diagnostic::new(
            "#/openapi",
            format!("`openapi: {v}` is not an OpenAPI 3.0 version"),
            "set `openapi: 3.0.3` (or the 3.0.x version the document follows)",
        )),
        (None, Some(v)) => Some(Diagnostic::new(
            "#/swagger",
            format!("this is a Swagger {v} document; this generator reads OpenAPI 3.0"),
            "convert it to OpenAPI 3.0 first (e.g. with swagger2openapi) and generate from the result",
        )),
        (None, None) => Some(Diagnostic::new(
            "#",
            "the document has no `openapi` field",
            "add `openapi: 3.0.3` at the top level of the document",
        )),
    }
}

fn explain_parse_error(source: &str, error: serde_path_to_error::Error<serde_yaml::Error>) -> Diagnostic {
    // If even the first lines do not parse, it is a YAML syntax error with a position.
    let header = match serde_yaml::from_str::<Header>(source) {
        Ok(header) => header,
        // It parses as YAML, just not as a mapping: say what it is instead.
        Err(_) if serde_yaml::from_str::<serde_yaml::Value>(source).is_ok_and(|v| !v.is_mapping()) => {
            let what = match serde_yaml::from_str::<serde_yaml::Value>(source) {
                Ok(serde_yaml::Value::Sequence(_)) => "a list",
                Ok(serde_yaml::Value::Null) => "empty",
                _ => "a single value",
            };
            return Diagnostic::new(
                "#",
                format!("the document is {what}, not an OpenAPI document"),
                "an OpenAPI 3.0 document is a mapping with `openapi: 3.0.x`, `info` and `paths` at the top",
            );
        }
        Err(syntax) => {
            let mut d = Diagnostic::new(
                "#",
                format!("YAML syntax error: {syntax}"),
                "fix the YAML syntax at the marked position",
            );
            d.position = syntax.location().map(|l| Position {
                line: l.line(),
                column: l.column(),
            });
            return d;
        }
    };
    // Wrong or missing version: say so rather than complain about a field deep inside.
    let text = |v: &Option<serde_yaml::Value>| v.as_ref().map(yaml_scalar_text);
    let (openapi, swagger) = (text(&header.openapi), text(&header.swagger));
    if let Some(d) = version_problem(openapi.as_deref(), swagger.as_deref()) {
        return d;
    }
    let pointer = path_to_pointer(error.path());
    let mut d = Diagnostic::new(
        pointer,
        format!("this node does not fit the OpenAPI 3.0 schema: {}", error.inner()),
        "compare the node with the OpenAPI 3.0 specification (https://spec.openapis.org/oas/v3.0.3) and correct its shape",
    );
    // A syntax error deeper in the file also lands here, with a position but no useful path.
    if error.path().iter().next().is_none() {
        d.position = error.inner().location().map(|l| Position {
            line: l.line(),
            column: l.column(),
        });
    }
    d
}

/// Why `openapiv3` gave up on a document: a duplicate key is the known cause, and a YAML
/// value parse names it with its position.
fn explain_parser_panic(source: &str) -> Diagnostic {
    match serde_yaml::from_str::<serde_yaml::Value>(source) {
        Err(error) => {
            let mut d = Diagnostic::new("#", format!("YAML error: {error}"), "remove or rename the repeated key");
            d.position = error.location().map(|l| Position {
                line: l.line(),
                column: l.column(),
            });
            d
        }
        Ok(value) => match serde_path_to_error::deserialize::<_, OpenAPI>(value) {
            Err(error) => Diagnostic::new(
                path_to_pointer(error.path()),
                format!("this node does not fit the OpenAPI 3.0 schema: {}", error.inner()),
                "compare the node with the OpenAPI 3.0 specification and correct its shape",
            ),
            Ok(_) => Diagnostic::new(
                "#",
                "the OpenAPI parser could not read this document",
                "look for keys that appear twice in one mapping, or values that are not plain YAML (tags, merge keys)",
            ),
        },
    }
}

fn yaml_scalar_text(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
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
