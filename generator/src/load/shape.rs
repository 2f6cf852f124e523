//! Checks a document's YAML tree against the shape of OpenAPI 3.0 (the table in `keys.rs`)
//! before `openapiv3` reads it.
//!
//! This is where a typo is caught that `openapiv3` would drop without a word (an unknown key,
//! a path without its `/`), and where a value of the wrong type is pointed at by its own key.
//! `openapiv3` reads schemas, parameters and references through `#[serde(flatten)]` and
//! untagged enums, which buffer the node and lose the path, so its errors could only name an
//! enclosing node (`#/paths`); walking the tree with the table names the key itself.

use serde_yaml::{Mapping, Value};

use super::keys::{self, Kind, Shape, Use};
use super::tree::{join, key_text, what};
use super::{musts, rules};
use crate::diag::Diagnostic;
use crate::suggest;

/// Every shape problem of the document, in document order.
pub(super) fn check(root: &Value) -> Vec<Diagnostic> {
    let mut walk = Walk { root, out: Vec::new() };
    walk.object(root, "#", Kind::Document);
    walk.out
}

struct Walk<'r> {
    /// The whole document, for the rules that look elsewhere (a link's operation).
    root: &'r Value,
    out: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn error(&mut self, pointer: &str, message: String, help: impl Into<String>) {
        self.out.push(Diagnostic::new(pointer, message, help));
    }

    /// An object of `kind` at `pointer`.
    fn object(&mut self, value: &Value, pointer: &str, kind: Kind) {
        let Value::Mapping(map) = value else {
            let name = pointer.rsplit('/').next().unwrap_or_default();
            let message = if pointer == "#" {
                format!("the document is {}, not a mapping", what(value))
            } else {
                format!("`{name}` must be a mapping, not {}", what(value))
            };
            self.error(
                pointer,
                message,
                format!(
                    "write {} as a mapping: `key: value` lines indented under the key (OpenAPI 3.0.3, https://spec.openapis.org/oas/v3.0.3)",
                    keys::describe(kind)
                ),
            );
            return;
        };
        musts::object(self.root, kind, map, pointer, &mut self.out);
        match kind {
            Kind::Paths => self.paths(map, pointer),
            Kind::Responses => self.responses(map, pointer),
            Kind::Callback => {
                for (key, value) in map {
                    let key = key_text(key).unwrap_or_default();
                    if !key.starts_with("x-") {
                        self.object(value, &join(pointer, &key), Kind::PathItem);
                    }
                }
            }
            Kind::SecurityRequirement => {
                for (key, value) in map {
                    let key = key_text(key).unwrap_or_default();
                    self.value(value, &join(pointer, &key), Shape::Strings, &key);
                }
            }
            _ => self.fixed(map, pointer, kind),
        }
    }

    /// An object with fixed fields: every key known (or an `x-` extension), every value of
    /// its shape, every required key present.
    fn fixed(&mut self, map: &Mapping, pointer: &str, kind: Kind) {
        let (allowed, required) = keys::keys(kind);
        for (key, value) in map {
            let Some(name) = key_text(key) else {
                self.out.push(rules::error(
                    "OAS-4.2-yaml-keys",
                    pointer,
                    format!("{} has a key that is {}, not a name", keys::describe(kind), what(key)),
                    "write every key as a plain name",
                ));
                continue;
            };
            let child = join(pointer, &name);
            if name.starts_with("x-") {
                continue;
            }
            match allowed.iter().find(|k| k.name == name) {
                Some(known) => {
                    if let Use::Lossy(message, help) = known.use_ {
                        self.out.push(Diagnostic::warning(&child, message, help));
                    }
                    let start = self.out.len();
                    self.value(value, &child, known.shape, &name);
                    if kind == Kind::Schema {
                        self.cite_keyword(start, &child, &name, value);
                    }
                }
                None => {
                    let hint = suggest::did_you_mean(&name, allowed.iter().map(|k| k.name));
                    self.out.push(rules::error(
                        unknown_key_rule(kind, &name, pointer),
                        &child,
                        format!(
                            "unknown key `{name}` in {}: OpenAPI 3.0 ignores it, so whatever it says is lost",
                            keys::describe(kind)
                        ),
                        format!(
                            "{hint}{}rename it to `x-{name}` to keep it as an extension, or remove it",
                            unknown_key_note(kind, &name)
                        ),
                    ));
                }
            }
        }
        for name in required {
            if !map.contains_key(*name) {
                let diagnostic = Diagnostic::new(
                    pointer,
                    format!("{} has no `{name}`, which OpenAPI 3.0 requires", keys::describe(kind)),
                    format!("add `{name}` to it"),
                );
                self.out.push(match keys::required_rule(kind, name) {
                    Some(rule) => rules::cited(diagnostic, rule),
                    None => diagnostic,
                });
            }
        }
    }

    /// Cites the JSON Schema rule of a schema keyword on the errors its value got since
    /// `start` at the keyword itself (or, for `required`, at one of its entries): the errors
    /// of schemas nested in the value keep their own words.
    fn cite_keyword(&mut self, start: usize, pointer: &str, name: &str, value: &Value) {
        // A diagnostic that already names its rule (a key that is no name) keeps it.
        let uncited = |d: &&mut Diagnostic| d.is_error() && !rules::is_cited(&d.message);
        for d in self.out[start..].iter_mut().filter(uncited) {
            let entry = d.pointer.rsplit_once('/').is_some_and(|(parent, _)| parent == pointer);
            let rule = match (d.pointer == pointer, entry) {
                (true, _) => keys::schema_keyword_rule(name, value),
                (false, true) if name == "required" => Some("JSV-5.15-required-strings"),
                _ => None,
            };
            if let Some(rule) = rule {
                d.message.push_str(&rules::cite(rule));
            }
        }
    }

    /// A value of `shape`, the value of the key `name`.
    fn value(&mut self, value: &Value, pointer: &str, shape: Shape, name: &str) {
        if matches!(value, Value::Tagged(_)) {
            // Reported as a tag (`musts.rs`): its shape means nothing.
            return;
        }
        match shape {
            Shape::Any => {}
            Shape::Str if !value.is_string() => {
                let help = if matches!(value, Value::Number(_) | Value::Bool(_)) {
                    format!("quote it (`{name}: '{}'`) so YAML reads it as a string", scalar(value))
                } else if name == "type" && value.is_sequence() {
                    "OpenAPI 3.0 has one type per schema: write e.g. `type: string`, with `nullable: true` instead of a `'null'` type".to_owned()
                } else {
                    "write a string here".to_owned()
                };
                self.error(pointer, format!("`{name}` must be a string, not {}", what(value)), help);
            }
            Shape::Bool if !value.is_bool() => self.error(
                pointer,
                format!("`{name}` must be `true` or `false`, not {}", what(value)),
                "write `true` or `false` (YAML 1.2 reads `yes`/`no` as strings)",
            ),
            Shape::Number if !value.is_number() => self.error(
                pointer,
                format!("`{name}` must be a number, not {}", what(value)),
                "write a number without quotes",
            ),
            Shape::Count if value.as_u64().is_none() => self.error(
                pointer,
                format!("`{name}` must be a whole number of zero or more, not {}", what(value)),
                "write a non-negative integer without quotes",
            ),
            Shape::Word(words) => match value.as_str() {
                Some(word) if words.contains(&word) => {}
                _ => {
                    let found = value.as_str().unwrap_or_default();
                    let hint = suggest::did_you_mean(found, words.iter().copied());
                    let list = words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
                    let extra = if name == "in" && matches!(found, "body" | "formData") {
                        "a body is not a parameter in OpenAPI 3.0 (it was in Swagger 2.0): describe it under the operation's `requestBody`; "
                    } else {
                        ""
                    };
                    self.error(
                        pointer,
                        format!("`{name}` must be one of {list}, not {}", what(value)),
                        format!("{hint}{extra}use one of {list}"),
                    );
                }
            },
            Shape::Strings | Shape::Values => match value {
                Value::Sequence(items) => {
                    if matches!(shape, Shape::Strings) {
                        for (i, item) in items.iter().enumerate() {
                            if !item.is_string() {
                                self.error(
                                    &join(pointer, &i.to_string()),
                                    format!("every entry of `{name}` must be a string, not {}", what(item)),
                                    format!("quote it: `'{}'`", scalar(item)),
                                );
                            }
                        }
                    }
                }
                _ => self.error(
                    pointer,
                    format!("`{name}` must be a list, not {}", what(value)),
                    match value.as_str() {
                        Some(one) => format!("write a list, even of one entry: `{name}: [{one}]`"),
                        None => format!("write a list: `{name}: [a, b]`, or one `- entry` per line"),
                    },
                ),
            },
            Shape::StrMap | Shape::AnyMap => match value {
                Value::Mapping(map) => {
                    if matches!(shape, Shape::StrMap) {
                        for (key, item) in map {
                            if !item.is_string() {
                                let key = key_text(key).unwrap_or_default();
                                self.error(
                                    &join(pointer, &key),
                                    format!("every value of `{name}` must be a string, not {}", what(item)),
                                    "write a string (quoted if YAML would read it otherwise)",
                                );
                            }
                        }
                    }
                }
                _ => self.not_a_mapping(pointer, name, value),
            },
            Shape::Object(kind) => self.object(value, pointer, kind),
            Shape::RefOr(kind) => self.ref_or(value, pointer, kind),
            Shape::List(kind) => match value {
                Value::Sequence(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.member(item, &join(pointer, &i.to_string()), kind);
                    }
                }
                _ => self.error(
                    pointer,
                    format!("`{name}` must be a list of {}s, not {}", noun(kind), what(value)),
                    "write one `- ...` entry per line under the key",
                ),
            },
            Shape::Map(kind) => match value {
                Value::Mapping(map) => {
                    for (key, item) in map {
                        match key_text(key) {
                            Some(key) => self.member(item, &join(pointer, &key), kind),
                            None => self.out.push(rules::error(
                                "OAS-4.2-yaml-keys",
                                pointer,
                                format!("`{name}` has a key that is {}, not a name", what(key)),
                                "write every key as a plain name",
                            )),
                        }
                    }
                }
                _ => self.not_a_mapping(pointer, name, value),
            },
            Shape::SchemaOrBool => {
                if !value.is_bool() {
                    self.ref_or(value, pointer, Kind::Schema);
                }
            }
            Shape::Str | Shape::Bool | Shape::Number | Shape::Count => {}
        }
    }

    fn not_a_mapping(&mut self, pointer: &str, name: &str, value: &Value) {
        let help = if value.is_sequence() {
            "write a mapping (`name: value` lines indented under the key), not a list of `- entries`"
        } else {
            "write a mapping: `name: value` lines indented under the key"
        };
        self.error(
            pointer,
            format!("`{name}` must be a mapping, not {}", what(value)),
            help,
        );
    }

    /// An entry of a list or mapping of `kind`: a `$ref` where the kind allows one.
    fn member(&mut self, value: &Value, pointer: &str, kind: Kind) {
        if keys::allows_ref(kind) {
            self.ref_or(value, pointer, kind);
        } else {
            self.object(value, pointer, kind);
        }
    }

    /// An object of `kind`, or a Reference Object. OpenAPI 3.0 ignores every key beside
    /// `$ref`: one that would change the type (`nullable`, `readOnly`, ...) is lost.
    fn ref_or(&mut self, value: &Value, pointer: &str, kind: Kind) {
        let Some(map) = value.as_mapping().filter(|m| m.contains_key("$ref")) else {
            self.object(value, pointer, kind);
            return;
        };
        for (key, item) in map {
            let Some(name) = key_text(key) else { continue };
            let child = join(pointer, &name);
            match name.as_str() {
                "$ref" => {
                    if !item.is_string() {
                        self.error(
                            &child,
                            format!("`$ref` must be a string, not {}", what(item)),
                            "write the reference as a quoted string: `$ref: '#/components/schemas/Name'`",
                        );
                    }
                }
                // Documentation beside a reference: what the referenced node's own text says
                // is used instead; nothing about the client changes.
                "description" | "summary" | "title" | "example" | "examples" => {}
                _ if name.starts_with("x-") => {}
                _ => self.out.push(rules::warning(
                    "OAS-4.7.23-siblings-ignored",
                    &child,
                    format!("`{name}` beside `$ref` is ignored: in OpenAPI 3.0 a `$ref` replaces the whole node"),
                    format!("to keep it, wrap the reference: `allOf: [{{$ref: ...}}]` with `{name}` beside `allOf`"),
                )),
            }
        }
    }

    /// `paths`: every key is a path template starting with `/` (or an extension).
    fn paths(&mut self, map: &Mapping, pointer: &str) {
        for (key, value) in map {
            let Some(path) = key_text(key) else {
                self.error(
                    pointer,
                    format!("`paths` has a key that is {}", what(key)),
                    "write every path as `/...`",
                );
                continue;
            };
            let child = join(pointer, &path);
            if path.starts_with("x-") {
                continue;
            }
            if !path.starts_with('/') {
                self.out.push(rules::error(
                    "OAS-4.7.8-path-slash",
                    &child,
                    format!(
                        "the path `{path}` does not start with `/`, so OpenAPI tools ignore it and all its operations"
                    ),
                    format!("write `/{path}`"),
                ));
            }
            self.ref_or(value, &child, Kind::PathItem);
        }
    }

    /// `responses`: every key is a status code, a range (`4XX`) or `default`.
    fn responses(&mut self, map: &Mapping, pointer: &str) {
        for (key, value) in map {
            let code = key_text(key).unwrap_or_default();
            let child = join(pointer, &code);
            if code.starts_with("x-") {
                continue;
            }
            let is_status = code.len() == 3
                && (code.parse::<u16>().is_ok_and(|c| (100..600).contains(&c))
                    || (matches!(code.as_bytes()[0], b'1'..=b'5') && &code[1..] == "XX"));
            if code != "default" && !is_status {
                self.out.push(rules::error(
                    "OAS-4.7.16-ranges",
                    &child,
                    format!("`{code}` is not a response status: use a code (`200`), a range (`2XX`) or `default`"),
                    "name each response by its HTTP status code",
                ));
                continue;
            }
            self.ref_or(value, &child, Kind::Response);
        }
    }
}

/// A kind's noun without its article, for "a list of …s".
fn noun(kind: Kind) -> &'static str {
    let text = keys::describe(kind);
    text.strip_prefix("an ")
        .or_else(|| text.strip_prefix("a "))
        .unwrap_or(text)
}

/// A scalar's text for quoting it in a help.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => "...".to_owned(),
    }
}

/// What an unknown key probably is, for the keys people bring from elsewhere.
fn unknown_key_note(kind: Kind, name: &str) -> &'static str {
    match (kind, name) {
        (
            Kind::Schema,
            "const"
            | "examples"
            | "$schema"
            | "prefixItems"
            | "unevaluatedProperties"
            | "if"
            | "then"
            | "else"
            | "dependentRequired"
            | "contentMediaType",
        ) => "this is a JSON Schema / OpenAPI 3.1 keyword that OpenAPI 3.0 does not have; ",
        (Kind::Document, "swagger" | "definitions" | "basePath" | "host" | "schemes") => {
            "this is a Swagger 2.0 key; convert the document to OpenAPI 3.0 first; "
        }
        _ => "",
    }
}

/// The rule an unknown key breaks: a JSON Schema keyword OpenAPI 3.0 lacks breaks the rule of
/// the place its schema is in; any other key (a typo) breaks the extensions' `x-` rule; `name`
/// and `in` in a header have rules of their own.
fn unknown_key_rule(kind: Kind, name: &str, pointer: &str) -> &'static str {
    match (kind, name) {
        (Kind::Header, "name") => return "OAS-4.7.21-no-name",
        (Kind::Header, "in") => return "OAS-4.7.21-no-in",
        (Kind::Schema, _) if JSON_SCHEMA_ONLY.contains(&name) => {}
        _ => return "OAS-4.8-x-prefix",
    }
    let mut segments = pointer.rsplit('/');
    let last = segments.next().unwrap_or_default();
    let before = segments.next().unwrap_or_default();
    match (before, last) {
        ("allOf", _) => "OAS-4.7.24-all-of-schema",
        ("oneOf", _) => "OAS-4.7.24-one-of-schema",
        ("anyOf", _) => "OAS-4.7.24-any-of-schema",
        ("properties", _) => "OAS-4.7.24-properties-schema",
        (_, "not") => "OAS-4.7.24-not-schema",
        (_, "items") => "OAS-4.7.24-items-schema",
        (_, "additionalProperties") => "OAS-4.7.24-additional-schema",
        _ => "OAS-4.7.24-unsupported-keywords",
    }
}

/// Keywords of JSON Schema (draft 4 to 2020-12) that the Schema Object of OpenAPI 3.0 does not have.
const JSON_SCHEMA_ONLY: [&str; 24] = [
    "$schema",
    "$id",
    "id",
    "$defs",
    "definitions",
    "$comment",
    "const",
    "examples",
    "contains",
    "propertyNames",
    "patternProperties",
    "additionalItems",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "prefixItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "if",
    "then",
    "else",
    "contentMediaType",
    "contentEncoding",
    "$anchor",
];
