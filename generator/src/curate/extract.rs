//! The Streams part of MongoDB's Atlas Admin API spec.
//!
//! What is kept, from the whole spec or from a spec that is already only its Streams part (the
//! result is the same):
//! - every operation tagged [`STREAMS_TAG`], and every operation under [`STREAMS_PREFIX`]
//!   (the path itself, or below it after `/` or `:`), whatever its tags; with its path item's
//!   own fields (`summary`, `description`, `parameters`, `servers`);
//! - every component those operations reference, directly or through other components
//!   (`$ref`), and every security scheme a kept security requirement names;
//! - the document's other top-level fields as they are (`openapi`, `info`, `servers`,
//!   `security`, extensions), and of `tags` those the kept operations use.
//!
//! Everything keeps MongoDB's order; nothing inside a kept node changes.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// The tag of the Streams operations in MongoDB's spec.
pub const STREAMS_TAG: &str = "Streams";
/// The path under which every Streams operation lives.
pub const STREAMS_PREFIX: &str = "/api/atlas/v2/groups/{groupId}/streams";

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The Streams part of a spec, and how much of the input it is.
#[derive(Clone, Debug)]
pub struct Extracted {
    /// The Streams part.
    pub spec: Value,
    /// Operations kept.
    pub operations: usize,
    /// Operations in the input.
    pub operations_in_input: usize,
    /// Components kept, and in the input.
    pub components: (usize, usize),
}

/// Whether an operation at `path` with these tags belongs to the Streams part.
pub fn is_streams_operation(path: &str, operation: &Value) -> bool {
    let tagged = operation
        .get("tags")
        .and_then(Value::as_array)
        .is_some_and(|tags| tags.iter().any(|t| t == STREAMS_TAG));
    let under = path
        .strip_prefix(STREAMS_PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with(':'));
    tagged || under
}

/// Takes the Streams part out of `spec` (see the module docs for what is kept).
pub fn streams_part(spec: &Value) -> Extracted {
    let empty = Map::new();
    let root = spec.as_object().unwrap_or(&empty);
    let mut operations = 0;
    let mut operations_in_input = 0;
    let mut paths = Map::new();
    for (path, item) in root.get("paths").and_then(Value::as_object).unwrap_or(&empty) {
        let Some(item) = item.as_object() else { continue };
        let mut kept = Map::new();
        let mut any = false;
        for (key, value) in item {
            if METHODS.contains(&key.as_str()) {
                operations_in_input += 1;
                if is_streams_operation(path, value) {
                    operations += 1;
                    any = true;
                    kept.insert(key.clone(), value.clone());
                }
            } else {
                kept.insert(key.clone(), value.clone());
            }
        }
        if any {
            paths.insert(path.clone(), Value::Object(kept));
        }
    }
    let paths = Value::Object(paths);

    // The components reachable from the kept paths (and the top-level security).
    let components = root.get("components").and_then(Value::as_object).unwrap_or(&empty);
    let mut wanted: BTreeSet<(String, String)> = BTreeSet::new();
    let mut queue: Vec<&Value> = vec![&paths];
    while let Some(node) = queue.pop() {
        for (kind, name) in refs_and_schemes(node, false) {
            let found = components.get(&kind).and_then(|c| c.get(&name));
            if let Some(component) = found {
                if wanted.insert((kind, name)) {
                    queue.push(component);
                }
            }
        }
    }
    if let Some(security) = root.get("security") {
        for (kind, name) in refs_and_schemes(security, true) {
            wanted.insert((kind, name));
        }
    }
    let mut kept_components = Map::new();
    let mut in_input = 0;
    for (kind, members) in components {
        let Some(members) = members.as_object() else {
            kept_components.insert(kind.clone(), members.clone());
            continue;
        };
        in_input += members.len();
        let kept: Map<String, Value> = members
            .iter()
            .filter(|(name, _)| wanted.contains(&(kind.clone(), (*name).clone())))
            .map(|(name, member)| (name.clone(), member.clone()))
            .collect();
        if !kept.is_empty() {
            kept_components.insert(kind.clone(), Value::Object(kept));
        }
    }
    let kept_count = kept_components
        .values()
        .filter_map(Value::as_object)
        .map(Map::len)
        .sum();

    let used_tags: BTreeSet<String> = paths
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("tags").and_then(Value::as_array))
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect();
    let mut out = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "paths" => {
                out.insert(key.clone(), paths.clone());
            }
            "components" => {
                out.insert(key.clone(), Value::Object(kept_components.clone()));
            }
            "tags" => {
                let tags: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|t| {
                        t.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|n| used_tags.contains(n))
                    })
                    .cloned()
                    .collect();
                out.insert(key.clone(), Value::Array(tags));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Extracted {
        spec: Value::Object(out),
        operations,
        operations_in_input,
        components: (kept_count, in_input),
    }
}

/// The components a node refers to: `$ref`s into `#/components/<kind>/<name>`, and the
/// security schemes its security requirements name (as `("securitySchemes", name)`); `security`:
/// the node is itself a list of security requirements.
fn refs_and_schemes(node: &Value, security: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![(node, security)];
    while let Some((node, in_security)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    if key == "$ref" {
                        if let Some(target) = value.as_str().and_then(|r| r.strip_prefix("#/components/")) {
                            if let Some((kind, name)) = target.split_once('/') {
                                let name = name.replace("~1", "/").replace("~0", "~");
                                out.push((kind.to_owned(), name));
                            }
                        }
                    } else if in_security {
                        out.push(("securitySchemes".to_owned(), key.clone()));
                    } else {
                        stack.push((value, key == "security"));
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter().map(|item| (item, in_security))),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_streams_operations_and_what_they_reference_are_kept() {
        let spec = json!({
            "openapi": "3.0.1",
            "info": {"title": "Admin", "version": "2.0"},
            "security": [{"DigestAuth": []}],
            "tags": [{"name": "Clusters"}, {"name": "Streams"}],
            "paths": {
                "/api/atlas/v2/groups/{groupId}/clusters": {"get": {"tags": ["Clusters"], "responses": {"200": {"$ref": "#/components/responses/ok"}}}},
                "/api/atlas/v2/groups/{groupId}/streams": {
                    "parameters": [{"$ref": "#/components/parameters/groupId"}],
                    "get": {"tags": ["Streams"], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}
                },
                "/api/atlas/v2/groups/{groupId}/streams:withSampleConnections": {"post": {"tags": ["Other"], "security": [{"OAuth": []}]}},
                "/api/atlas/v2/groups/{groupId}/streamsX": {"get": {"tags": ["Other"]}}
            },
            "components": {
                "schemas": {"Unused": {}, "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}}, "B": {"type": "string"}},
                "parameters": {"groupId": {"name": "groupId"}},
                "responses": {"ok": {"description": "OK"}},
                "securitySchemes": {"DigestAuth": {}, "OAuth": {}, "Other": {}}
            }
        });
        let part = streams_part(&spec);
        assert_eq!((part.operations, part.operations_in_input), (2, 4));
        let paths: Vec<&String> = part.spec["paths"].as_object().unwrap().keys().collect();
        assert_eq!(
            paths,
            [
                "/api/atlas/v2/groups/{groupId}/streams",
                "/api/atlas/v2/groups/{groupId}/streams:withSampleConnections"
            ]
        );
        let schemas: Vec<&String> = part.spec["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(schemas, ["A", "B"]);
        let schemes: Vec<&String> = part.spec["components"]["securitySchemes"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemes, ["DigestAuth", "OAuth"]);
        assert!(part.spec["components"].get("responses").is_none());
        assert_eq!(part.spec["tags"], json!([{"name": "Streams"}]));
        // Taking the Streams part of the Streams part changes nothing.
        assert_eq!(streams_part(&part.spec).spec, part.spec);
    }
}
