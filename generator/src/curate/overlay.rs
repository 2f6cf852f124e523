//! The curation document: an OpenAPI Overlay 1.0 (<https://spec.openapis.org/overlay/v1.0.0>),
//! read and checked.
//!
//! An overlay is an ordered list of actions, each a JSONPath (RFC 9535) `target` with an
//! `update` (merged into each selected object, or appended to each selected array) or a
//! `remove`. This project asks one thing more of each action than the format does: a
//! `description` that says why, since every difference from MongoDB's spec must have its reason
//! written down. Everything else the format allows (specification extensions `x-…` on the
//! document, its `info` and its actions) is accepted and ignored.

use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::diag::{Diagnostic, Report};
use crate::error::GenerateError;

/// A checked overlay, with its text for locating what is said about it.
#[derive(Clone, Debug)]
pub struct Overlay {
    /// The overlay file.
    pub file: PathBuf,
    /// Its text.
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `extends`: the document it applies to, relative to the overlay file, if it says.
    pub extends: Option<String>,
    /// The actions, in order.
    pub actions: Vec<Action>,
}

/// One action of an overlay: one curation point.
#[derive(Clone, Debug)]
pub struct Action {
    /// Its position in `actions` (its JSON pointer is `#/actions/<index>`).
    pub index: usize,
    /// The JSONPath as written.
    pub target: String,
    /// The JSONPath, parsed.
    pub path: JsonPath,
    /// Why (required here).
    pub description: String,
    /// What it does.
    pub change: Change,
}

/// What an action does to each node its target selects.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Merges this object into each selected object, or appends this value to each selected
    /// array.
    Update(Value),
    /// Removes each selected node from the object or array holding it.
    Remove,
}

impl Action {
    /// The JSON pointer of the action in the overlay file.
    pub fn pointer(&self) -> String {
        format!("#/actions/{}", self.index)
    }

    /// The reason, on one line (for messages).
    pub fn reason(&self) -> String {
        self.description.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl Overlay {
    /// A report on this overlay file (positions found from its text).
    pub fn report(&self, diagnostics: Vec<Diagnostic>) -> Report {
        Report::new(self.file.clone(), &self.source, diagnostics)
    }

    /// The document the overlay extends, resolved beside the overlay file (`..` taken away,
    /// so messages name the file plainly).
    pub fn extends_path(&self) -> Option<PathBuf> {
        let dir = self.file.parent().unwrap_or(Path::new("."));
        self.extends.as_ref().map(|e| {
            let mut path = PathBuf::new();
            for part in dir.join(e).components() {
                match part {
                    std::path::Component::ParentDir if path.file_name().is_some() => {
                        path.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => path.push(other),
                }
            }
            path
        })
    }
}

/// Reads and checks an overlay file.
pub fn read_file(path: &Path) -> Result<Overlay, GenerateError> {
    let (value, text) = super::document::read_file(path)?;
    parse(path, text, &value)
}

/// Checks an overlay document; every problem is reported, located, at once.
pub fn parse(file: &Path, source: String, value: &Value) -> Result<Overlay, GenerateError> {
    let mut problems = Vec::new();
    let root = value.as_object();
    if root.is_none() {
        problems.push(Diagnostic::new(
            "#",
            "an overlay is an object",
            "start from `overlay: 1.0.0`",
        ));
    }
    let get = |key: &str| root.and_then(|r| r.get(key));
    match get("overlay").and_then(Value::as_str) {
        Some(v) if v.starts_with("1.0.") => {}
        _ => problems.push(Diagnostic::new(
            "#/overlay",
            "`overlay` must name the Overlay Specification version this document follows, 1.0.x",
            "write `overlay: 1.0.0`",
        )),
    }
    let info_text = |key: &str| get("info").and_then(|i| i.get(key)).and_then(Value::as_str);
    let (title, version) = (info_text("title"), info_text("version"));
    for (key, found) in [("title", title), ("version", version)] {
        if found.is_none() {
            problems.push(Diagnostic::new(
                "#/info",
                format!("`info.{key}` is required (a string)"),
                format!("add `{key}:` under `info`"),
            ));
        }
    }
    if let Some(root) = root {
        for key in root.keys() {
            if !["overlay", "info", "extends", "actions"].contains(&key.as_str()) && !key.starts_with("x-") {
                problems.push(Diagnostic::new(
                    format!("#/{}", crate::locate::escape_segment(key)),
                    format!("`{key}` is no field of an overlay (overlay, info, extends, actions, or `x-…`)"),
                    "remove it, or name it `x-…`",
                ));
            }
        }
    }
    let mut actions = Vec::new();
    match get("actions").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            for (index, action) in list.iter().enumerate() {
                match parse_action(index, action) {
                    Ok(action) => actions.push(action),
                    Err(found) => problems.extend(found),
                }
            }
        }
        _ => problems.push(Diagnostic::new(
            "#/actions",
            "`actions` must be a list of at least one action",
            "add the curation points under `actions:`",
        )),
    }
    if !problems.is_empty() {
        return Err(GenerateError::Spec(Box::new(Report::new(
            file.to_owned(),
            &source,
            problems,
        ))));
    }
    Ok(Overlay {
        file: file.to_owned(),
        source,
        title: title.unwrap_or_default().to_owned(),
        version: version.unwrap_or_default().to_owned(),
        extends: get("extends").and_then(Value::as_str).map(str::to_owned),
        actions,
    })
}

fn parse_action(index: usize, value: &Value) -> Result<Action, Vec<Diagnostic>> {
    let at = format!("#/actions/{index}");
    let Some(fields) = value.as_object() else {
        return Err(vec![Diagnostic::new(
            at,
            "an action is an object with `target`, `description` and `update` or `remove`",
            "write the action as a mapping",
        )]);
    };
    let mut problems = Vec::new();
    for key in fields.keys() {
        if !["target", "description", "update", "remove"].contains(&key.as_str()) && !key.starts_with("x-") {
            problems.push(Diagnostic::new(
                format!("{at}/{}", crate::locate::escape_segment(key)),
                format!("`{key}` is no field of an overlay action (target, description, update, remove, or `x-…`)"),
                "remove it, or name it `x-…`",
            ));
        }
    }
    let target = fields.get("target").and_then(Value::as_str);
    let path = match target {
        Some(text) => match JsonPath::parse(text) {
            Ok(path) => Some(path),
            Err(error) => {
                problems.push(Diagnostic::new(
                    format!("{at}/target"),
                    format!("the target `{text}` is no JSONPath (RFC 9535): {error}"),
                    "write a JSONPath such as `$.components.schemas.Name` or `$.paths['/a/{id}'].get`",
                ));
                None
            }
        },
        None => {
            problems.push(Diagnostic::new(
                at.clone(),
                "an action needs a `target`: the JSONPath of the nodes it changes",
                "add `target: $...`",
            ));
            None
        }
    };
    let description = fields.get("description").and_then(Value::as_str).map(str::trim);
    if description.is_none_or(str::is_empty) {
        problems.push(Diagnostic::new(
            at.clone(),
            "a curation point must say why: this action has no `description`",
            "add `description:` with the reason for the change (its source, what MongoDB's spec has, why that does not do)",
        ));
    }
    let remove = match fields.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            problems.push(Diagnostic::new(
                format!("{at}/remove"),
                "`remove` is a boolean",
                "write `remove: true`",
            ));
            false
        }
    };
    let change = match (fields.get("update"), remove) {
        (Some(_), true) => {
            problems.push(Diagnostic::new(
                at.clone(),
                "an action both updates and removes (the update would be ignored)",
                "split it into two actions: first the `remove`, then the `update`",
            ));
            None
        }
        (Some(update), false) => Some(Change::Update(update.clone())),
        (None, true) => Some(Change::Remove),
        (None, false) => {
            problems.push(Diagnostic::new(
                at.clone(),
                "an action does nothing without `update` or `remove: true`",
                "add what the action changes",
            ));
            None
        }
    };
    match (path, change, problems.is_empty()) {
        (Some(path), Some(change), true) => Ok(Action {
            index,
            target: target.unwrap_or_default().to_owned(),
            path,
            description: description.unwrap_or_default().to_owned(),
            change,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Overlay, GenerateError> {
        let value = super::super::document::read(Path::new("o.yaml"), text).unwrap();
        parse(Path::new("o.yaml"), text.to_owned(), &value)
    }

    #[test]
    fn an_overlay_reads() {
        let overlay = parsed(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nextends: up.yaml\nactions:\n  - target: $.info\n    description: why\n    update: {title: x}\n  - target: $.paths['/a'].get\n    description: why not\n    remove: true\n",
        )
        .unwrap();
        assert_eq!(overlay.actions.len(), 2);
        assert_eq!(overlay.actions[1].change, Change::Remove);
        assert_eq!(overlay.extends.as_deref(), Some("up.yaml"));
    }

    #[test]
    fn every_problem_is_located() {
        let Err(GenerateError::Spec(report)) = parsed(
            "overlay: 2.0.0\ninfo: {title: t}\nactions:\n  - target: $.info\n    update: {a: 1}\n  - target: 'info'\n    description: d\n    remove: true\n  - target: $.x\n    description: d\n    update: {}\n    remove: true\n    colour: red\n",
        ) else {
            panic!("refused");
        };
        let pointers: Vec<&str> = report.diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/overlay",
                "#/info",
                "#/actions/0",
                "#/actions/1/target",
                "#/actions/2/colour",
                "#/actions/2"
            ]
        );
        assert!(report.diagnostics.iter().all(|d| d.position.is_some()), "{report}");
    }
}
