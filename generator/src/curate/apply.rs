//! Applying an overlay to a spec, action after action, keeping what each action overrides.
//!
//! Semantics (Overlay 1.0, made strict where tools differ): an `update` is merged into each
//! selected object (a key it names is added, or its value replaced; objects within are merged
//! the same way) or appended to each selected array; a `remove` deletes each selected node.
//! Two things tools disagree on are refused rather than guessed: an `update` whose array meets
//! an array already there (appended or replaced? remove the old one first), and an `update` of a
//! scalar. And two things that mean the point no longer fits upstream are errors: a target that
//! matches nothing, and an update that says what upstream already says.
//!
//! Each action's [`Effect`] records, for every node it selected, the values it overrode as they
//! were before it ran: comparing the effects on the old and on the new upstream is how an
//! upstream change under a curation point is found (`super::check`).

use serde_json::Value;

use super::overlay::{Action, Change, Overlay};
use crate::diag::Diagnostic;

/// The spec an overlay made, what each action did, and what went wrong.
#[derive(Clone, Debug)]
pub struct Applied {
    /// The curated spec.
    pub spec: Value,
    /// One per action, in order (empty `matched` where the action failed).
    pub effects: Vec<Effect>,
    /// Errors, each located in the overlay (`#/actions/<i>…`). The actions that failed were
    /// skipped; the others ran.
    pub problems: Vec<Diagnostic>,
}

/// What one action did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Effect {
    /// Per node its target selected, in the order JSONPath selected them: the node's JSON
    /// pointer, and each value it overrode there.
    pub matched: Vec<Matched>,
}

/// One node an action changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Matched {
    /// Where the node was (JSON pointer, `/a/b`).
    pub pointer: String,
    /// What the action overrode, relative to the node (`""`: the node itself, `/description`:
    /// a key it set), with the value before (`None`: there was none).
    pub overridden: Vec<(String, Option<Value>)>,
}

/// Applies every action of `overlay` to a copy of `upstream`.
pub fn apply(upstream: &Value, overlay: &Overlay) -> Applied {
    let mut spec = upstream.clone();
    let mut effects = Vec::with_capacity(overlay.actions.len());
    let mut problems = Vec::new();
    for action in &overlay.actions {
        match apply_one(&mut spec, action) {
            Ok(effect) => effects.push(effect),
            Err(found) => {
                problems.extend(found);
                effects.push(Effect::default());
            }
        }
    }
    Applied {
        spec,
        effects,
        problems,
    }
}

/// One step of a JSON path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Name(String),
    Index(usize),
}

fn pointer_of(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|step| match step {
            Step::Name(name) => format!("/{}", name.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn apply_one(spec: &mut Value, action: &Action) -> Result<Effect, Vec<Diagnostic>> {
    let mut targets: Vec<Vec<Step>> = action
        .path
        .query_located(spec)
        .locations()
        .map(|location| {
            location
                .iter()
                .map(|element| match element.as_index() {
                    Some(i) => Step::Index(i),
                    None => Step::Name(element.as_name().unwrap_or_default().to_owned()),
                })
                .collect()
        })
        .collect();
    if targets.is_empty() {
        return Err(vec![Diagnostic::new(
            format!("{}/target", action.pointer()),
            format!(
                "curation point {} matches nothing in the upstream spec: `{}`. Its reason: {}",
                action.index,
                action.target,
                action.reason()
            ),
            "upstream moved, renamed or dropped what this point changes: point the target at where it is now, or remove the point if upstream no longer needs it",
        )]);
    }
    match &action.change {
        Change::Remove => {
            if targets.iter().any(Vec::is_empty) {
                return Err(vec![Diagnostic::new(
                    format!("{}/target", action.pointer()),
                    "an action cannot remove the whole document",
                    "target the nodes to remove",
                )]);
            }
            // From the last array item to the first, so earlier indices stay valid.
            targets.sort();
            targets.dedup();
            let mut matched = Vec::new();
            for steps in targets.iter().rev() {
                let before = remove(spec, steps);
                matched.push(Matched {
                    pointer: pointer_of(steps),
                    overridden: vec![(String::new(), before)],
                });
            }
            matched.reverse();
            Ok(Effect { matched })
        }
        Change::Update(update) => {
            let mut matched = Vec::new();
            let mut problems = Vec::new();
            for steps in &targets {
                let pointer = pointer_of(steps);
                let Some(node) = spec.pointer_mut(&pointer) else {
                    continue;
                };
                let mut overridden = Vec::new();
                let at = format!("{}/update", action.pointer());
                merge(node, update, "", &at, action, &mut overridden, &mut problems);
                matched.push(Matched { pointer, overridden });
            }
            if problems.is_empty() {
                Ok(Effect { matched })
            } else {
                Err(problems)
            }
        }
    }
}

/// Removes the node at `steps` and returns it.
fn remove(spec: &mut Value, steps: &[Step]) -> Option<Value> {
    let (last, parent) = steps.split_last()?;
    let parent = spec.pointer_mut(&pointer_of(parent))?;
    match (parent, last) {
        (Value::Object(map), Step::Name(name)) => map.shift_remove(name),
        (Value::Array(items), Step::Index(i)) if *i < items.len() => Some(items.remove(*i)),
        _ => None,
    }
}

/// Merges `update` into `node` (at `relative` within the selected node; `at` is the update's
/// pointer in the overlay), recording what it overrides and what it cannot do.
fn merge(
    node: &mut Value,
    update: &Value,
    relative: &str,
    at: &str,
    action: &Action,
    overridden: &mut Vec<(String, Option<Value>)>,
    problems: &mut Vec<Diagnostic>,
) {
    let redundant = |what: &str, at: &str| {
        Diagnostic::new(
            at,
            format!(
                "curation point {} {what} upstream already has: the point no longer fits. Its reason: {}",
                action.index,
                action.reason()
            ),
            "upstream now says what this point says: remove the point (or the part of it upstream has)",
        )
    };
    match (node, update) {
        (Value::Object(target), Value::Object(fields)) => {
            for (key, value) in fields {
                let here = format!("{relative}/{}", key.replace('~', "~0").replace('/', "~1"));
                let at = format!("{at}/{}", crate::locate::escape_segment(key));
                match target.get_mut(key) {
                    Some(existing @ Value::Object(_)) if value.is_object() => {
                        merge(existing, value, &here, &at, action, overridden, problems);
                    }
                    Some(existing) if existing == value => problems.push(redundant("sets a value", &at)),
                    Some(Value::Array(_)) if value.is_array() => problems.push(Diagnostic::new(
                        at,
                        format!(
                            "curation point {} merges a list into a list, which Overlay tools read as appending or as replacing",
                            action.index
                        ),
                        "to replace the list, remove it in an action before this one; to add items, target the list itself",
                    )),
                    Some(existing) => {
                        overridden.push((here, Some(std::mem::replace(existing, value.clone()))));
                    }
                    None => {
                        overridden.push((here, None));
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(items), value) => {
            if items.contains(value) {
                problems.push(redundant("appends an item", at));
            } else {
                overridden.push((format!("{relative}/{}", items.len()), None));
                items.push(value.clone());
            }
        }
        (Value::Object(_), _) => problems.push(Diagnostic::new(
            at,
            format!(
                "curation point {} selects an object, which only an object can update",
                action.index
            ),
            "write the update as the keys to set, e.g. `update: {description: ...}`",
        )),
        (_, _) => problems.push(Diagnostic::new(
            at,
            format!(
                "curation point {} selects a value that is neither an object nor a list: an update cannot change it",
                action.index
            ),
            "target the object holding the value and update its key",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn overlay(actions: &str) -> Overlay {
        let text = format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n{actions}");
        let value = super::super::document::read(Path::new("o.yaml"), &text).unwrap();
        super::super::overlay::parse(Path::new("o.yaml"), text, &value).unwrap()
    }

    fn spec() -> Value {
        serde_json::json!({
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"A": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["a"]}}},
            "tags": [{"name": "x"}, {"name": "y"}]
        })
    }

    #[test]
    fn updates_merge_and_removes_remove_in_order() {
        let o = overlay(
            "  - {target: $.components.schemas.A.properties.a, description: d, update: {format: date, type: string2}}\n  - {target: $.components.schemas.A.required, description: d, remove: true}\n  - {target: \"$.tags[?@.name == 'x']\", description: d, remove: true}\n  - {target: $.tags, description: d, update: {name: z}}\n",
        );
        let applied = apply(&spec(), &o);
        assert!(applied.problems.is_empty(), "{:?}", applied.problems);
        let a = &applied.spec["components"]["schemas"]["A"];
        assert_eq!(
            a["properties"]["a"],
            serde_json::json!({"type": "string2", "format": "date"})
        );
        assert!(a.get("required").is_none());
        assert_eq!(applied.spec["tags"], serde_json::json!([{"name": "y"}, {"name": "z"}]));
        // Keys keep their places; a new key goes last.
        let keys: Vec<&String> = a["properties"]["a"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["type", "format"]);
        assert_eq!(
            applied.effects[0].matched[0].overridden,
            vec![
                ("/format".to_owned(), None),
                ("/type".to_owned(), Some(Value::from("string")))
            ]
        );
        assert_eq!(applied.effects[2].matched[0].pointer, "/tags/0");
    }

    #[test]
    fn what_no_longer_fits_is_refused_with_the_reason() {
        let o = overlay(
            "  - {target: $.components.schemas.B, description: B was missing, update: {type: object}}\n  - {target: $.components.schemas.A, description: A needs a type, update: {type: object}}\n  - {target: $.tags, description: x again, update: {name: x}}\n  - {target: $.components.schemas.A, description: lists, update: {required: [b]}}\n  - {target: $.info.title, description: scalar, update: {a: 1}}\n",
        );
        let applied = apply(&spec(), &o);
        let pointers: Vec<&str> = applied.problems.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/actions/0/target",
                "#/actions/1/update/type",
                "#/actions/2/update",
                "#/actions/3/update/required",
                "#/actions/4/update"
            ]
        );
        assert!(applied.problems[0].message.contains("B was missing"));
        assert!(applied.problems[1].message.contains("A needs a type"));
    }
}
