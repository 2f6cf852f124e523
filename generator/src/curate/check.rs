//! Which curation points an upstream change runs into.
//!
//! A curation point overrides nodes of MongoDB's spec (what it sets, replaces or removes). When
//! MongoDB changes one of those nodes, the point was written against something that is no
//! longer there: its reason may no longer hold (upstream fixed what it fixed), or it may now
//! hide an upstream change. Either way a person must look, so it is an error, located at the
//! point in the overlay and carrying its reason, until the point is changed or the change is
//! accepted (`update --accept-conflicts`).

use serde_json::Value;

use super::apply::Applied;
use super::overlay::Overlay;
use crate::diag::Diagnostic;

/// The points whose overridden nodes differ between the curation applied to the old upstream
/// and to the new one.
pub fn conflicts(overlay: &Overlay, old: &Applied, new: &Applied) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ((action, before), after) in overlay.actions.iter().zip(&old.effects).zip(&new.effects) {
        // A point that failed on the new upstream is reported by `apply` already.
        if after.matched.is_empty() {
            continue;
        }
        let mut changes = Vec::new();
        if before.matched.len() != after.matched.len() {
            changes.push(format!(
                "its target selected {} node(s) in the last synced spec and selects {} now",
                before.matched.len(),
                after.matched.len()
            ));
        } else {
            for (old_node, new_node) in before.matched.iter().zip(&after.matched) {
                for ((relative, was), (_, is)) in old_node.overridden.iter().zip(&new_node.overridden) {
                    if was != is {
                        changes.push(format!(
                            "at `{}{relative}` upstream had {} and has {} now",
                            new_node.pointer,
                            shown(was.as_ref()),
                            shown(is.as_ref())
                        ));
                    }
                }
                if old_node.overridden.len() != new_node.overridden.len() {
                    changes.push(format!(
                        "at `{}` upstream changed what the point overrides",
                        new_node.pointer
                    ));
                }
            }
        }
        if !changes.is_empty() {
            out.push(Diagnostic::new(
                action.pointer(),
                format!(
                    "upstream changed what curation point {} overrides: {}. Its reason: {}",
                    action.index,
                    changes.join("; "),
                    action.reason()
                ),
                "read the upstream change against the point's reason: remove or change the point if upstream now does what it did; keep it, with `--accept-conflicts`, if it still holds",
            ));
        }
    }
    out
}

/// A value in a message: short JSON, or `nothing`.
fn shown(value: Option<&Value>) -> String {
    const MAX: usize = 160;
    match value {
        None => "nothing".to_owned(),
        Some(value) => {
            let text = value.to_string();
            if text.chars().count() > MAX {
                let cut: String = text.chars().take(MAX).collect();
                format!("`{cut}…`")
            } else {
                format!("`{text}`")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::apply::apply;
    use super::*;
    use std::path::Path;

    #[test]
    fn an_upstream_change_under_a_point_is_a_conflict_with_its_reason() {
        let text = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: $.a, description: b is wrong upstream, update: {b: 2}}\n  - {target: $.c, description: c goes, remove: true}\n";
        let value = super::super::document::read(Path::new("o.yaml"), text).unwrap();
        let overlay = super::super::overlay::parse(Path::new("o.yaml"), text.to_owned(), &value).unwrap();
        let old = serde_json::json!({"a": {"b": 1, "x": 1}, "c": 1});
        let unrelated = serde_json::json!({"a": {"b": 1, "x": 2}, "c": 1});
        let under = serde_json::json!({"a": {"b": 3, "x": 1}, "c": 5});
        let (old, unrelated, under) = (
            apply(&old, &overlay),
            apply(&unrelated, &overlay),
            apply(&under, &overlay),
        );
        assert!(conflicts(&overlay, &old, &unrelated).is_empty());
        let found = conflicts(&overlay, &old, &under);
        assert_eq!(found.len(), 2);
        assert!(
            found[0].message.contains("at `/a/b` upstream had `1` and has `3` now"),
            "{}",
            found[0].message
        );
        assert!(found[0].message.contains("b is wrong upstream"));
        assert_eq!(found[1].pointer, "#/actions/1");
    }
}
