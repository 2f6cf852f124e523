//! Synthetic specs for the scaling benchmark: `copies` replicas of one spec in one document,
//! every replica under new names so the generator sees `copies` times as many distinct
//! operations and types.
//!
//! Replica 0 keeps the original names; replica `k` renames
//! - every path (`/copy<k>` is put in front of it),
//! - every `operationId` and `x-xgen-operation-id-override` (`Copy<k>` appended),
//! - every component (schemas, parameters, responses, headers, request bodies, ...; `Copy<k>`
//!   appended) except the security schemes, which `security` names rather than `$ref`s,
//! - and every reference to a renamed component: `$ref`s and discriminator mappings, i.e. any
//!   string that is a `#/components/<kind>/<name>` pointer.
//!
//! The edit is done on a `serde_yaml::Value`, not on the text, so quoting and nesting stay right;
//! the result is serialized again, so even ×1 differs in layout (not in content) from the input.

use serde_yaml::{Mapping, Value};

/// Component kinds whose entries are referenced with `$ref` and therefore renamed per replica.
const RENAMED_KINDS: &[&str] = &[
    "schemas",
    "parameters",
    "responses",
    "headers",
    "requestBodies",
    "examples",
    "links",
    "callbacks",
];

/// HTTP methods of a path item (the keys that hold operations).
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The suffix replica `k` appends to names (`""` for the original).
fn suffix(k: usize) -> String {
    if k == 0 {
        String::new()
    } else {
        format!("Copy{k}")
    }
}

/// Returns YAML text holding `copies` renamed replicas of the spec `source` (`copies >= 1`).
pub fn replicate(source: &str, copies: usize) -> Result<String, serde_yaml::Error> {
    let original: Value = serde_yaml::from_str(source)?;
    let mut document = original.clone();
    let mut paths = Mapping::new();
    let mut components = original
        .get("components")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    for kind in RENAMED_KINDS {
        if components.contains_key(*kind) {
            components.insert(Value::from(*kind), Value::Mapping(Mapping::new()));
        }
    }
    for k in 0..copies.max(1) {
        let suffix = suffix(k);
        if let Some(original_paths) = original.get("paths").and_then(Value::as_mapping) {
            for (path, item) in original_paths {
                let mut item = item.clone();
                rename_refs(&mut item, &suffix);
                rename_operations(&mut item, &suffix);
                let path = path.as_str().unwrap_or_default();
                let renamed = if k == 0 {
                    path.to_owned()
                } else {
                    format!("/copy{k}{path}")
                };
                paths.insert(Value::from(renamed), item);
            }
        }
        for kind in RENAMED_KINDS {
            let Some(entries) = original
                .get("components")
                .and_then(|c| c.get(*kind))
                .and_then(Value::as_mapping)
            else {
                continue;
            };
            let target = components
                .get_mut(*kind)
                .and_then(Value::as_mapping_mut)
                .expect("inserted above");
            for (name, entry) in entries {
                let mut entry = entry.clone();
                rename_refs(&mut entry, &suffix);
                let name = format!("{}{suffix}", name.as_str().unwrap_or_default());
                target.insert(Value::from(name), entry);
            }
        }
    }
    if let Some(map) = document.as_mapping_mut() {
        map.insert(Value::from("paths"), Value::Mapping(paths));
        if !components.is_empty() {
            map.insert(Value::from("components"), Value::Mapping(components));
        }
    }
    serde_yaml::to_string(&document)
}

/// Appends `suffix` to the operation names of every operation of a path item.
fn rename_operations(item: &mut Value, suffix: &str) {
    if suffix.is_empty() {
        return;
    }
    let Some(item) = item.as_mapping_mut() else {
        return;
    };
    for method in METHODS {
        let Some(operation) = item.get_mut(*method).and_then(Value::as_mapping_mut) else {
            continue;
        };
        for key in ["operationId", "x-xgen-operation-id-override"] {
            if let Some(Value::String(name)) = operation.get_mut(key) {
                name.push_str(suffix);
            }
        }
    }
}

/// Renames every `#/components/<kind>/<name>` pointer string inside `value`.
fn rename_refs(value: &mut Value, suffix: &str) {
    if suffix.is_empty() {
        return;
    }
    match value {
        Value::String(text) => {
            if let Some(renamed) = renamed_pointer(text, suffix) {
                *text = renamed;
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| rename_refs(v, suffix)),
        Value::Mapping(map) => map.iter_mut().for_each(|(_, v)| rename_refs(v, suffix)),
        Value::Tagged(tagged) => rename_refs(&mut tagged.value, suffix),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// `#/components/schemas/Foo/properties/x` -> `#/components/schemas/Foo<suffix>/properties/x`,
/// for the renamed kinds only.
fn renamed_pointer(text: &str, suffix: &str) -> Option<String> {
    let rest = text.strip_prefix("#/components/")?;
    let (kind, rest) = rest.split_once('/')?;
    if !RENAMED_KINDS.contains(&kind) {
        return None;
    }
    let (name, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    Some(format!("#/components/{kind}/{name}{suffix}{tail}"))
}

/// How many operations a parsed spec has.
pub fn count_operations(api: &openapiv3::OpenAPI) -> usize {
    api.paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .map(|item| item.iter().count())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /a/{id}:
    parameters:
      - $ref: '#/components/parameters/id'
    get:
      operationId: getA
      x-xgen-operation-id-override: getShortA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
components:
  parameters:
    id: {name: id, in: path, required: true, schema: {type: string}}
  schemas:
    A:
      oneOf: [{$ref: '#/components/schemas/B'}]
      discriminator: {propertyName: type, mapping: {b: '#/components/schemas/B'}}
    B: {type: object, properties: {type: {type: string}}}
  securitySchemes:
    key: {type: http, scheme: digest}
"##;

    #[test]
    fn replicas_get_new_names_and_references() {
        let text = replicate(SPEC, 3).unwrap();
        let api: openapiv3::OpenAPI = serde_yaml::from_str(&text).unwrap();
        assert_eq!(count_operations(&api), 3);
        assert!(api.paths.paths.contains_key("/copy2/a/{id}"));
        let components = api.components.unwrap();
        assert_eq!(components.schemas.len(), 6);
        assert_eq!(components.parameters.len(), 3);
        assert_eq!(components.security_schemes.len(), 1);
        assert!(text.contains("operationId: getACopy2"));
        assert!(text.contains("x-xgen-operation-id-override: getShortACopy1"));
        assert!(text.contains("b: '#/components/schemas/BCopy2'"));
        assert!(text.contains("$ref: '#/components/parameters/idCopy1'"));
        // The original names stay.
        assert!(text.contains("operationId: getA\n"));
    }

    #[test]
    fn pointer_renaming_keeps_tails_and_skips_other_kinds() {
        assert_eq!(
            renamed_pointer("#/components/schemas/A/properties/x", "Copy1").as_deref(),
            Some("#/components/schemas/ACopy1/properties/x")
        );
        assert_eq!(renamed_pointer("#/components/securitySchemes/key", "Copy1"), None);
        assert_eq!(renamed_pointer("https://example.com", "Copy1"), None);
    }
}
