//! Components no operation uses: checked like the rest (by lowering), and reported here as
//! unused, since nothing is generated for them and a reference to them may be what is missing.

use std::collections::BTreeSet;

use serde_yaml::Value;

use super::tree::{join, key_text};
use crate::diag::Diagnostic;

/// The sections of `components` whose entries are reported when unused.
const SECTIONS: [(&str, &str); 5] = [
    ("schemas", "schema"),
    ("parameters", "parameter"),
    ("responses", "response"),
    ("requestBodies", "request body"),
    ("headers", "header"),
];

/// A warning for every schema, parameter, response, request body and header in `components`
/// that nothing reachable from `paths` refers to (by `$ref`, or by a discriminator mapping).
pub(super) fn check(root: &Value) -> Vec<Diagnostic> {
    let components = root.get("components");
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<&Value> = root.get("paths").into_iter().collect();
    while let Some(node) = queue.pop() {
        let mut found = Vec::new();
        references(node, &mut found);
        for reference in found {
            let Some(rest) = reference.strip_prefix("#/components/") else {
                continue;
            };
            let mut parts = rest.splitn(2, '/');
            let (Some(section), Some(name)) = (parts.next(), parts.next()) else {
                continue;
            };
            let name = name
                .split('/')
                .next()
                .unwrap_or_default()
                .replace("~1", "/")
                .replace("~0", "~");
            if used.insert(format!("{section}/{name}")) {
                if let Some(target) = components
                    .and_then(|c| c.get(section))
                    .and_then(|s| s.get(name.as_str()))
                {
                    queue.push(target);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (section, noun) in SECTIONS {
        let Some(Value::Mapping(entries)) = components.and_then(|c| c.get(section)) else {
            continue;
        };
        for key in entries.keys() {
            let Some(name) = key_text(key) else { continue };
            if !used.contains(&format!("{section}/{name}")) {
                out.push(Diagnostic::warning(
                    join(&format!("#/components/{section}"), &name),
                    format!("the {noun} `{name}` is not used by any operation: nothing is generated for it"),
                    "remove it, or refer to it (`$ref`) from the operation that should use it; a misspelled `$ref` elsewhere may be why",
                ));
            }
        }
    }
    out
}

/// Every `$ref` under `node`, and every discriminator mapping target (mapping values may be
/// bare schema names).
fn references(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Mapping(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    (Some("$ref"), Value::String(reference)) => out.push(reference.clone()),
                    (Some("discriminator"), Value::Mapping(d)) => {
                        if let Some(Value::Mapping(mapping)) = d.get("mapping") {
                            for target in mapping.values().filter_map(Value::as_str) {
                                out.push(if target.starts_with('#') {
                                    target.to_owned()
                                } else {
                                    format!("#/components/schemas/{target}")
                                });
                            }
                        }
                    }
                    _ => references(value, out),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| references(item, out)),
        Value::Tagged(tagged) => references(&tagged.value, out),
        _ => {}
    }
}
