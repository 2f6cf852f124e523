//! What changed upstream between two syncs, for a person to read: operations, their versions,
//! schemas and their properties, and how many other nodes changed (descriptions, examples, ...).

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};

/// One upstream change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum UpstreamChange {
    /// An operation appeared (`METHOD path (operationId)`).
    OperationAdded(String),
    /// An operation went.
    OperationRemoved(String),
    /// An operation documents a version it did not.
    VersionAdded(String, String),
    /// An operation no longer documents a version.
    VersionRemoved(String, String),
    /// A schema appeared.
    SchemaAdded(String),
    /// A schema went.
    SchemaRemoved(String),
    /// A schema has a new property.
    PropertyAdded(String, String),
    /// A schema lost a property.
    PropertyRemoved(String, String),
    /// A property changed (its type, enum values, description, ...).
    PropertyChanged(String, String),
    /// Other nodes that changed (descriptions, examples, parameters, responses, ...): how many,
    /// and the first few JSON pointers.
    Other(usize, Vec<String>),
}

impl fmt::Display for UpstreamChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpstreamChange::OperationAdded(op) => write!(f, "added operation {op}"),
            UpstreamChange::OperationRemoved(op) => write!(f, "removed operation {op}"),
            UpstreamChange::VersionAdded(op, v) => write!(f, "added version {v} of {op}"),
            UpstreamChange::VersionRemoved(op, v) => write!(f, "removed version {v} of {op}"),
            UpstreamChange::SchemaAdded(s) => write!(f, "added schema {s}"),
            UpstreamChange::SchemaRemoved(s) => write!(f, "removed schema {s}"),
            UpstreamChange::PropertyAdded(s, p) => write!(f, "added property {s}.{p}"),
            UpstreamChange::PropertyRemoved(s, p) => write!(f, "removed property {s}.{p}"),
            UpstreamChange::PropertyChanged(s, p) => write!(f, "changed property {s}.{p}"),
            UpstreamChange::Other(n, first) => {
                write!(f, "{n} other node(s) changed")?;
                if !first.is_empty() {
                    write!(f, ", e.g. {}", first.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The operations of a spec: (`METHOD path (operationId)`, its JSON pointer, the operation).
fn operations(spec: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in spec.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let id = op.get("operationId").and_then(Value::as_str).unwrap_or("-");
                let pointer = format!("/paths/{}/{method}", escape(path));
                out.push((format!("{} {path} ({id})", method.to_uppercase()), pointer, op));
            }
        }
    }
    out
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The versions an operation documents: the dates of its `application/vnd.atlas.<date>+…`
/// media types, in its request body and success responses.
fn versions(op: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut contents: Vec<&Value> = op.pointer("/requestBody/content").into_iter().collect();
    for (status, response) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
        if status.starts_with('2') {
            contents.extend(response.get("content"));
        }
    }
    for content in contents {
        for media in content.as_object().into_iter().flat_map(Map::keys) {
            if let Some(rest) = media.strip_prefix("application/vnd.atlas.") {
                if let Some((date, _)) = rest.split_once('+') {
                    out.insert(date.to_owned());
                }
            }
        }
    }
    out
}

/// The operation listed under `key`.
fn find<'a>(ops: &[(String, String, &'a Value)], key: &str) -> Option<&'a Value> {
    ops.iter().find(|(k, ..)| k == key).map(|(.., op)| *op)
}

/// Everything that changed from `old` to `new`, most important first.
pub fn between(old: &Value, new: &Value) -> Vec<UpstreamChange> {
    let mut out = Vec::new();
    // Where the changes listed by name are: the rest is counted as "other".
    let mut covered: Vec<String> = Vec::new();
    let (old_ops, new_ops) = (operations(old), operations(new));
    for (key, pointer, op) in &new_ops {
        match find(&old_ops, key) {
            None => {
                out.push(UpstreamChange::OperationAdded(key.clone()));
                covered.push(pointer.clone());
            }
            Some(before) => {
                let (was, is) = (versions(before), versions(op));
                for v in is.difference(&was) {
                    out.push(UpstreamChange::VersionAdded(key.clone(), v.clone()));
                }
                for v in was.difference(&is) {
                    out.push(UpstreamChange::VersionRemoved(key.clone(), v.clone()));
                }
            }
        }
    }
    for (key, pointer, _) in &old_ops {
        if find(&new_ops, key).is_none() {
            out.push(UpstreamChange::OperationRemoved(key.clone()));
            covered.push(pointer.clone());
        }
    }
    let schemas = |spec: &Value| spec.pointer("/components/schemas").and_then(Value::as_object).cloned();
    let (old_schemas, new_schemas) = (schemas(old).unwrap_or_default(), schemas(new).unwrap_or_default());
    for (name, schema) in &new_schemas {
        let listed = out.len();
        match old_schemas.get(name) {
            None => out.push(UpstreamChange::SchemaAdded(name.clone())),
            Some(before) => properties(name, before, schema, &mut out),
        }
        if out.len() > listed {
            covered.push(format!("/components/schemas/{}", escape(name)));
        }
    }
    for name in old_schemas.keys() {
        if !new_schemas.contains_key(name) {
            out.push(UpstreamChange::SchemaRemoved(name.clone()));
            covered.push(format!("/components/schemas/{}", escape(name)));
        }
    }
    let versions_named: Vec<String> = out
        .iter()
        .filter_map(|c| match c {
            UpstreamChange::VersionAdded(_, v) | UpstreamChange::VersionRemoved(_, v) => Some(v.clone()),
            _ => None,
        })
        .collect();
    let mut other = Vec::new();
    leaf_changes(old, new, String::new(), &mut |pointer| {
        // Inside a named change, or the node holding one (a new path item of a new operation).
        let named = covered
            .iter()
            .any(|c| pointer == *c || pointer.starts_with(&format!("{c}/")) || c.starts_with(&format!("{pointer}/")))
            || versions_named.iter().any(|v| pointer.contains(v.as_str()));
        if !named {
            other.push(pointer);
        }
    });
    if !other.is_empty() {
        let first = other.iter().take(5).cloned().collect();
        out.push(UpstreamChange::Other(other.len(), first));
    }
    out
}

/// The properties of one schema, its `allOf` members' included (a subtype's own properties).
fn own_properties(schema: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    let mut add = |s: &Value| {
        for (k, v) in s.get("properties").and_then(Value::as_object).into_iter().flatten() {
            out.insert(k.clone(), v.clone());
        }
    };
    add(schema);
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        add(member);
    }
    out
}

fn properties(schema: &str, old: &Value, new: &Value, out: &mut Vec<UpstreamChange>) {
    let (was, is) = (own_properties(old), own_properties(new));
    for (name, property) in &is {
        match was.get(name) {
            None => out.push(UpstreamChange::PropertyAdded(schema.to_owned(), name.clone())),
            Some(before) if before != property => {
                out.push(UpstreamChange::PropertyChanged(schema.to_owned(), name.clone()));
            }
            Some(_) => {}
        }
    }
    for name in was.keys() {
        if !is.contains_key(name) {
            out.push(UpstreamChange::PropertyRemoved(schema.to_owned(), name.clone()));
        }
    }
}

/// Calls `found` with the pointer of every node that differs (the highest one of each
/// difference).
fn leaf_changes(old: &Value, new: &Value, pointer: String, found: &mut dyn FnMut(String)) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in b {
                let here = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                match a.get(key) {
                    Some(before) => leaf_changes(before, value, here, found),
                    None => found(here),
                }
            }
            for key in a.keys().filter(|k| !b.contains_key(*k)) {
                found(format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                leaf_changes(x, y, format!("{pointer}/{i}"), found);
            }
        }
        (a, b) if a != b => found(pointer),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_versions_schemas_and_properties_are_named() {
        let old = json!({
            "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {"content": {"application/vnd.atlas.2023-02-01+json": {}}}}}}},
            "components": {"schemas": {"A": {"properties": {"x": {"type": "string"}, "y": {}}}, "Gone": {}}},
            "info": {"description": "old"}
        });
        let new = json!({
            "paths": {
                "/a": {"get": {"operationId": "getA", "responses": {"200": {"content": {"application/vnd.atlas.2025-01-01+json": {}}}}}},
                "/b": {"post": {"operationId": "postB"}}
            },
            "components": {"schemas": {"A": {"allOf": [{"properties": {"x": {"type": "integer"}, "z": {}}}]}}},
            "info": {"description": "new"}
        });
        let text: Vec<String> = between(&old, &new).iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "added version 2025-01-01 of GET /a (getA)",
                "removed version 2023-02-01 of GET /a (getA)",
                "added operation POST /b (postB)",
                "changed property A.x",
                "added property A.z",
                "removed property A.y",
                "removed schema Gone",
                "1 other node(s) changed, e.g. /info/description"
            ]
        );
    }
}
