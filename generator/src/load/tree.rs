//! Small readers of the YAML tree that the shape walk, the rules (`musts`), the merge and the
//! unused-definitions check all use: here, below them all, so none reads them from another.

use serde_yaml::Value;

use crate::locate::escape_segment;

/// The pointer of `key` under `pointer`.
pub(super) fn join(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape_segment(key))
}

/// The text of a mapping key (YAML allows numbers and booleans as keys: `200:`).
pub(super) fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value's kind, in words.
pub(super) fn what(value: &Value) -> String {
    match value {
        Value::Null => "empty (null)".to_owned(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `{s}`"),
        Value::Sequence(_) => "a list".to_owned(),
        Value::Mapping(_) => "a mapping".to_owned(),
        Value::Tagged(t) => format!("a value tagged `{}`", t.tag),
    }
}
