//! YAML merge keys (`<<: *base`), applied exactly.
//!
//! YAML 1.1's merge key copies the keys of an anchored mapping into the mapping that names it;
//! keys written in the mapping itself win, and of several merged mappings the first wins.
//! `serde_yaml` 0.9 reads YAML 1.2, where `<<` is an ordinary key, so `openapiv3` would see a
//! key named `<<` and drop it (or fail on it). The merge is done here instead, on the YAML tree,
//! before the shape check: the merged keys take the place of `<<`, in the order written, so a
//! merged schema's properties keep their order.

use serde_yaml::{Mapping, Value};

use super::tree::{join, key_text, what};
use crate::diag::Diagnostic;

const MERGE: &str = "<<";

/// Whether the text may hold a merge key at all (the common case skips the walk).
pub(super) fn may_have_merge_keys(source: &str) -> bool {
    source.contains(MERGE)
}

/// Applies every merge key in the tree, innermost first; a `<<` whose value is not a mapping
/// (or a list of mappings) is reported at its own key and left out.
pub(super) fn apply(value: &mut Value, pointer: &str, out: &mut Vec<Diagnostic>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                let name = key_text(key).unwrap_or_default();
                apply(child, &join(pointer, &name), out);
            }
            if map.contains_key(MERGE) {
                *map = merged(std::mem::take(map), pointer, out);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                apply(item, &join(pointer, &i.to_string()), out);
            }
        }
        Value::Tagged(tagged) => apply(&mut tagged.value, pointer, out),
        _ => {}
    }
}

/// The mapping with its `<<` replaced by the keys it merges (those not written beside it).
fn merged(map: Mapping, pointer: &str, out: &mut Vec<Diagnostic>) -> Mapping {
    let own: Vec<Value> = map.keys().filter(|k| k.as_str() != Some(MERGE)).cloned().collect();
    let mut result = Mapping::new();
    for (key, value) in map {
        if key.as_str() != Some(MERGE) {
            result.insert(key, value);
            continue;
        }
        let sources = match value {
            Value::Mapping(one) => vec![one],
            Value::Sequence(list) if list.iter().all(Value::is_mapping) => {
                list.into_iter().filter_map(|v| v.as_mapping().cloned()).collect()
            }
            other => {
                out.push(Diagnostic::new(
                    join(pointer, MERGE),
                    format!("the YAML merge key `<<` must name a mapping (`<<: *anchor`) or a list of them, not {}", what(&other)),
                    "anchor the mapping to merge (`Base: &base {...}`) and write `<<: *base`, or write its keys out here and drop `<<`",
                ));
                continue;
            }
        };
        for source in sources {
            for (key, value) in source {
                if !own.contains(&key) && !result.contains_key(&key) {
                    result.insert(key, value);
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_keys_win_and_order_follows_the_merge_key() {
        let mut value: Value =
            serde_yaml::from_str("base: &b {a: 1, b: 2}\nthing:\n  <<: *b\n  b: 3\n  c: 4\n").unwrap();
        let mut out = Vec::new();
        apply(&mut value, "#", &mut out);
        assert!(out.is_empty());
        let thing = value["thing"].as_mapping().unwrap();
        let keys: Vec<&str> = thing.keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(value["thing"]["b"], Value::from(3));
    }

    #[test]
    fn a_scalar_merge_is_reported_at_its_key() {
        let mut value: Value = serde_yaml::from_str("thing:\n  <<: nope\n  a: 1\n").unwrap();
        let mut out = Vec::new();
        apply(&mut value, "#", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].pointer, "#/thing/<<");
    }
}
