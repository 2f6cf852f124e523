//! A spec as a JSON tree, read from and written to YAML with its key order kept.
//!
//! The curation works on plain trees (`serde_json::Value` with `preserve_order`): JSONPath
//! selects in them, an overlay edits them, and the order of keys and items is the order of
//! struct fields, parameters and enum values in the generated code, so it is kept throughout.

use std::path::Path;

use serde_json::{Map, Number, Value};

use crate::diag::{Diagnostic, Report};
use crate::error::GenerateError;

/// Reads a YAML document into a JSON tree, or the located reason it cannot be one.
pub fn read(file: &Path, text: &str) -> Result<Value, GenerateError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fail =
        |diagnostic: Diagnostic| GenerateError::Spec(Box::new(Report::new(file.to_owned(), text, vec![diagnostic])));
    let tree = crate::load::tree(text).map_err(|d| fail(*d))?;
    to_json(tree, "#").map_err(fail)
}

/// Reads a YAML file into a JSON tree.
pub fn read_file(path: &Path) -> Result<(Value, String), GenerateError> {
    let bytes = std::fs::read(path).map_err(|source| GenerateError::Io {
        path: path.to_owned(),
        source,
    })?;
    let text = crate::load::decode(path, bytes)?;
    let value = read(path, &text)?;
    Ok((value, text))
}

/// A YAML tree as JSON. OpenAPI documents are JSON documents written in YAML: keys are
/// strings (a status code written `200:` is the string `"200"`), and tags, which JSON has no
/// counterpart for, are refused.
fn to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, Diagnostic> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => number(&n, pointer)?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| to_json(item, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut out = Map::new();
            for (key, item) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Diagnostic::new(
                            pointer,
                            format!("a key that is not a string, number or boolean: {other:?}"),
                            "write the key as a string",
                        ))
                    }
                };
                let at = format!("{pointer}/{}", crate::locate::escape_segment(&key));
                out.insert(key, to_json(item, &at)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            return Err(Diagnostic::new(
                pointer,
                format!("a YAML tag (`{}`), which a JSON document cannot hold", tagged.tag),
                "remove the tag",
            ))
        }
    })
}

fn number(n: &serde_yaml::Number, pointer: &str) -> Result<Value, Diagnostic> {
    if let Some(i) = n.as_i64() {
        return Ok(Value::Number(i.into()));
    }
    if let Some(u) = n.as_u64() {
        return Ok(Value::Number(u.into()));
    }
    n.as_f64().and_then(Number::from_f64).map(Value::Number).ok_or_else(|| {
        Diagnostic::new(
            pointer,
            format!("the number {n} has no JSON form (infinite or not a number)"),
            "write a finite number",
        )
    })
}

/// The YAML text of a tree, after `header` (comment lines, each starting with `#`).
pub fn write(header: &str, value: &Value) -> String {
    // A JSON tree always serializes: its keys are strings and its numbers finite.
    let body = serde_yaml::to_string(value).unwrap_or_default();
    format!("{header}{body}")
}

/// The value at a JSON pointer (`/a/b`), if there is one.
pub fn at<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    value.pointer(pointer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_and_status_keys_survive_a_round_trip() {
        let text = "b: 1\na:\n  200: {description: OK}\n  z: 1.5\n  big: 9007199254740993\n";
        let value = read(Path::new("x.yaml"), text).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(value["a"]["200"]["description"], "OK");
        assert_eq!(value["a"]["big"].as_u64(), Some(9_007_199_254_740_993));
        let again = read(Path::new("x.yaml"), &write("", &value)).unwrap();
        assert_eq!(again, value);
        assert_eq!(
            serde_json::to_string(&again).unwrap(),
            serde_json::to_string(&value).unwrap()
        );
    }

    #[test]
    fn a_tag_is_located() {
        let Err(GenerateError::Spec(report)) = read(Path::new("x.yaml"), "a:\n  b: !thing 1\n") else {
            panic!("a tag is refused");
        };
        assert_eq!(report.diagnostics[0].pointer, "#/a/b");
    }
}
