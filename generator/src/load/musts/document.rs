//! The rules of OpenAPI 3.0.3 that need the whole document: names unique across it (tags,
//! operationIds, paths that differ only in their parameters' names), component names, security
//! requirements that name schemes, and YAML tags anywhere.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use super::super::rules;
use super::super::tree::{join, key_text};
use crate::diag::Diagnostic;

/// The methods of a path item (OpenAPI 3.0 §4.7.9).
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The rules that need the whole document: unique names across it, and references by name.
pub(in crate::load) fn document(root: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    tags(root, &mut out);
    component_keys(root, &mut out);
    paths(root, &mut out);
    security(root, &mut out);
    yaml_tags(root, "#", &mut out);
    out
}

/// Every operation of the document with its pointer, in document order.
fn operations(root: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let Some(Value::Mapping(paths)) = root.get("paths") else {
        return out;
    };
    for (path, item) in paths {
        let Some(path) = path.as_str() else { continue };
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push((join(&join("#/paths", path), method), op));
            }
        }
    }
    out
}

/// Every operation's `operationId`, with the operation's pointer, in document order.
pub(super) fn operation_ids(root: &Value) -> Vec<(String, String)> {
    operations(root)
        .into_iter()
        .filter_map(|(pointer, op)| Some((op.get("operationId")?.as_str()?.to_owned(), pointer)))
        .collect()
}

/// Whether a JSON pointer (after `#`) names an operation: `/paths/<path>/<method>`.
pub(super) fn points_to_operation(root: &Value, pointer: &str) -> bool {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    match segments.as_slice() {
        [paths, path, method] if paths == "paths" && METHODS.contains(&method.as_str()) => root
            .get("paths")
            .and_then(|p| p.get(path.as_str()))
            .and_then(|i| i.get(method.as_str()))
            .is_some(),
        _ => false,
    }
}

/// Tag names are unique.
fn tags(root: &Value, out: &mut Vec<Diagnostic>) {
    let Some(Value::Sequence(tags)) = root.get("tags") else {
        return;
    };
    let mut seen = BTreeSet::new();
    for (i, tag) in tags.iter().enumerate() {
        if let Some(name) = tag.get("name").and_then(Value::as_str).filter(|n| !seen.insert(*n)) {
            out.push(rules::warning(
                "OAS-4.7.1-tag-names-unique",
                format!("#/tags/{i}/name"),
                format!("the tag `{name}` is declared twice"),
                "merge the two declarations into one",
            ));
        }
    }
}

/// The keys of `components` sections match `^[a-zA-Z0-9\.\-_]+$`.
fn component_keys(root: &Value, out: &mut Vec<Diagnostic>) {
    let Some(Value::Mapping(components)) = root.get("components") else {
        return;
    };
    for (section, entries) in components {
        let (Some(section), Value::Mapping(entries)) = (section.as_str(), entries) else {
            continue;
        };
        if section.starts_with("x-") {
            continue;
        }
        for name in entries.keys().filter_map(key_text) {
            let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c));
            if !valid {
                out.push(rules::warning(
                    "OAS-4.7.7-key-pattern",
                    join(&join("#/components", section), &name),
                    format!("the name `{name}` has characters other than ASCII letters, digits, `.`, `-` and `_`: other OpenAPI tools may refuse it"),
                    "rename it (and every `$ref` to it) with only those characters; the generator reads it as it is",
                ));
            }
        }
    }
}

/// Paths: identical templates, and operation ids unique across the document.
fn paths(root: &Value, out: &mut Vec<Diagnostic>) {
    if let Some(Value::Mapping(paths)) = root.get("paths") {
        let mut shapes: BTreeMap<String, &str> = BTreeMap::new();
        for path in paths.keys().filter_map(Value::as_str).filter(|p| p.starts_with('/')) {
            let shape = template_shape(path);
            match shapes.get(&shape) {
                Some(first) if path.contains('{') => out.push(rules::warning(
                    "OAS-4.7.8-identical-templates",
                    join("#/paths", path),
                    format!("the paths `{first}` and `{path}` differ only in the names of their parameters: they are one path to a server"),
                    format!("merge the operations of both under `{first}` (a path parameter's name is only a name)"),
                )),
                Some(_) => {}
                None => {
                    shapes.insert(shape, path);
                }
            }
        }
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (id, pointer) in operation_ids(root) {
        match seen.get(&id) {
            Some(first) => out.push(rules::error(
                "OAS-4.7.10-operation-id-unique",
                join(&pointer, "operationId"),
                format!("the operationId `{id}` is also the id of {first}: both would become one client method"),
                "give each operation its own `operationId`",
            )),
            None => {
                seen.insert(id, pointer);
            }
        }
    }
}

/// A path with every `{name}` written `{}`: two paths with one shape are identical.
fn template_shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push_str("{}");
            }
            '}' => in_name = false,
            _ if in_name => {}
            _ => out.push(c),
        }
    }
    out
}

/// Security requirements (the document's and every operation's) name declared schemes, give
/// scopes only to OAuth 2.0 and OpenID Connect schemes, and ask for one scheme at a time.
fn security(root: &Value, out: &mut Vec<Diagnostic>) {
    let schemes = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(Value::as_mapping);
    let mut lists: Vec<(String, &Value)> = Vec::new();
    if let Some(list) = root.get("security") {
        lists.push(("#/security".to_owned(), list));
    }
    for (pointer, op) in operations(root) {
        if let Some(list) = op.get("security") {
            lists.push((join(&pointer, "security"), list));
        }
    }
    for (pointer, list) in lists {
        let Value::Sequence(requirements) = list else { continue };
        for (i, requirement) in requirements.iter().enumerate() {
            let Value::Mapping(requirement) = requirement else {
                continue;
            };
            let at = join(&pointer, &i.to_string());
            if requirement.len() > 1 {
                out.push(rules::warning(
                    "OAS-4.7.30-all-satisfied",
                    at.clone(),
                    format!("this requirement asks for {} schemes at once; the client authenticates a request with one", requirement.len()),
                    "list the schemes as alternatives (one per `- ` entry), or add the second credential through a caller-built `reqwest::Client`",
                ));
            }
            for (name, scopes) in requirement {
                let Some(name) = name.as_str() else { continue };
                let scheme = schemes.and_then(|s| s.get(name));
                match scheme {
                    None => out.push(rules::warning(
                        "OAS-4.7.30-name-declared",
                        join(&at, name),
                        format!("`{name}` is not a security scheme of `components/securitySchemes`"),
                        "declare the scheme under `components/securitySchemes`, or fix the name",
                    )),
                    Some(scheme) => {
                        let typ = scheme.get("type").and_then(Value::as_str).unwrap_or_default();
                        let scoped = matches!(typ, "oauth2" | "openIdConnect");
                        if !scoped && scopes.as_sequence().is_some_and(|s| !s.is_empty()) {
                            out.push(rules::warning(
                                "OAS-4.7.30-scopes-empty",
                                join(&at, name),
                                format!(
                                    "`{name}` is a `{typ}` scheme, which has no scopes, but the requirement lists some"
                                ),
                                format!("write `{name}: []`"),
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// YAML tags other than the JSON schema's own (`!!str`, `!!int`, ...) anywhere in the document.
fn yaml_tags(value: &Value, pointer: &str, out: &mut Vec<Diagnostic>) {
    match value {
        Value::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            out.push(rules::error(
                "OAS-4.2-yaml-tags",
                pointer,
                format!("the value is tagged `{tag}`, which has no meaning in JSON"),
                "remove the tag and write the plain value (quote it if it must stay a string)",
            ));
        }
        Value::Mapping(map) => {
            for (key, item) in map {
                if let Some(key) = key_text(key) {
                    yaml_tags(item, &join(pointer, &key), out);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                yaml_tags(item, &join(pointer, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_differ_only_in_names() {
        assert_eq!(template_shape("/pets/{petId}"), template_shape("/pets/{name}"));
        assert_ne!(template_shape("/pets/{petId}"), template_shape("/pets/mine"));
    }
}
