//! What every lowering pass reads: the spec, a resolver of its `$ref`s, memos of the pure
//! questions passes ask about schemas, and the sink for diagnostics.
//!
//! Passes take the context by `&mut` because answering a question may record a diagnostic or
//! fill a memo; no pass leaves anything in it for a later pass to read. What one pass hands to
//! the next is its return value (see `lower/mod.rs`).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use super::idents::Idents;
use super::memo::{Classes, Parts, Patterns, Props};
use super::pointer::{unescape, SCHEMAS};
use super::view::RefOr;
use crate::diag::Diagnostic;
use crate::locate::escape_segment;

/// The shared context of one lowering run.
pub(super) struct Context<'a> {
    /// The spec.
    pub api: &'a OpenAPI,
    /// Identifier spelling, memoized for this run.
    pub idents: Idents,
    /// Memo of `Context::classify`.
    pub classes: Classes,
    /// The union index and the memo of `Context::all_props`.
    pub props: Props<'a>,
    /// Memo of `Context::has_parts`.
    pub parts: Parts,
    /// Memo of `Context::pattern_error`.
    patterns: Patterns<'a>,
    diagnostics: Vec<Diagnostic>,
    /// Pointer and message of every diagnostic so far, so one bad node yields one diagnostic
    /// however many passes look at it.
    reported: BTreeSet<String>,
    /// The cycles of bare `$ref`s reported so far (their members, sorted).
    cycles: BTreeSet<String>,
    /// Which of `diagnostics` report a cycle, and which one (for `absorb`).
    cycle_reports: BTreeMap<usize, String>,
}

impl<'a> Context<'a> {
    /// The context for lowering `api`.
    pub fn new(api: &'a OpenAPI) -> Self {
        Context {
            api,
            idents: Idents::default(),
            classes: Classes::default(),
            props: Props::new(api),
            parts: Parts::default(),
            patterns: Patterns::default(),
            diagnostics: Vec::new(),
            reported: BTreeSet::new(),
            cycles: BTreeSet::new(),
            cycle_reports: BTreeMap::new(),
        }
    }

    /// Why `pattern` is no regular expression the client can check (`regex_lite`'s message),
    /// or `None` when it compiles.
    pub fn pattern_error(&mut self, pattern: &'a str) -> Option<&str> {
        self.patterns
            .0
            .entry(pattern)
            .or_insert_with(|| regex_lite::Regex::new(pattern).err().map(|error| error.to_string()))
            .as_deref()
    }

    /// Takes in the diagnostics of a pass that ran on a context of its own (on another thread),
    /// as if it had run after the passes of this one on it: what this context already reported
    /// (the same pointer and message, or the same cycle of references) is not reported again.
    pub fn absorb(&mut self, other: Context<'a>) {
        let Context {
            diagnostics,
            mut cycle_reports,
            ..
        } = other;
        for (index, diagnostic) in diagnostics.into_iter().enumerate() {
            match cycle_reports.remove(&index) {
                Some(cycle) => self.report_cycle(cycle, diagnostic),
                None => self.report(diagnostic),
            }
        }
    }

    /// Reports a cycle of references once, however many sites lead into it.
    fn report_cycle(&mut self, cycle: String, diagnostic: Diagnostic) {
        if self.cycles.insert(cycle.clone()) {
            let index = self.diagnostics.len();
            self.report(diagnostic);
            if self.diagnostics.len() > index {
                self.cycle_reports.insert(index, cycle);
            }
        }
    }

    /// Records a diagnostic once per pointer and message.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        if self
            .reported
            .insert(format!("{}\0{}", diagnostic.pointer, diagnostic.message))
        {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Reports a construct the generator cannot express, once per pointer.
    pub fn unsupported(&mut self, pointer: &str, what: &str, help: &str) {
        self.report(Diagnostic::new(pointer, format!("unsupported construct: {what}"), help));
    }

    /// Every diagnostic, in the order they were found.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Resolves a schema reference to its pointer and schema; `inline` is the pointer of an
    /// inline schema (or of the node holding the `$ref`).
    pub fn resolve(&mut self, r: RefOr<'a>, inline: &str) -> Option<(String, &'a Schema)> {
        match r {
            RefOr::Item(schema) => Some((inline.to_owned(), schema)),
            RefOr::Ref(reference) => self.resolve_ref(reference, &format!("{inline}/$ref")),
        }
    }

    /// Resolves a `$ref` string found at `site`, following chains of references and reporting
    /// dangling, external and cyclic ones.
    pub fn resolve_ref(&mut self, reference: &str, site: &str) -> Option<(String, &'a Schema)> {
        let api = self.api;
        let mut reference = reference.to_owned();
        let mut seen: Vec<String> = Vec::new();
        loop {
            let Some(name) = reference.strip_prefix(SCHEMAS) else {
                let (message, help) = if reference.starts_with('#') {
                    (
                        format!("`$ref: '{reference}'` points outside `#/components/schemas`"),
                        "move the schema to `components/schemas` and reference it there",
                    )
                } else {
                    (
                        format!("external `$ref: '{reference}'` is not supported"),
                        "bundle the referenced document into this one (e.g. `redocly bundle`) and use a local `#/components/schemas/...` reference",
                    )
                };
                self.report(Diagnostic::new(site, message, help));
                return None;
            };
            let name = unescape(name);
            let target = format!("{SCHEMAS}{}", escape_segment(&name));
            if let Some(start) = seen.iter().position(|s| *s == target) {
                // One cycle is one problem, however many places lead into it.
                let mut members = seen[start..].to_vec();
                members.sort();
                self.report_cycle(
                    members.join("\n"),
                    Diagnostic::new(
                        site,
                        format!("`$ref: '{reference}'` is a cycle of references that never reaches a schema"),
                        "make one of the schemas in the cycle a real schema instead of a bare `$ref`",
                    ),
                );
                return None;
            }
            seen.push(target.clone());
            match api.components.as_ref().and_then(|c| c.schemas.get(&name)) {
                Some(ReferenceOr::Item(schema)) => return Some((target, schema)),
                Some(ReferenceOr::Reference { reference: next }) => reference = next.clone(),
                None => {
                    self.report(Diagnostic::new(
                        site,
                        format!("`$ref: '{reference}'` does not resolve: there is no schema `{name}` in `components/schemas`"),
                        suggest_schema(api, &name),
                    ));
                    return None;
                }
            }
        }
    }
}

/// A help text for a dangling schema reference, naming the closest existing schema.
fn suggest_schema(api: &OpenAPI, missing: &str) -> String {
    let names = api.components.iter().flat_map(|c| c.schemas.keys()).map(String::as_str);
    match crate::suggest::closest(missing, names) {
        Some(name) => {
            format!("did you mean `#/components/schemas/{name}`? Otherwise add the schema under `components/schemas`")
        }
        None => format!("add a schema named `{missing}` under `components/schemas`, or correct the reference"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorbing_a_context_reports_what_it_found_again_once() {
        let api: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        )
        .unwrap();
        let mut first = Context::new(&api);
        assert!(first.resolve_ref("#/components/schemas/A", "#/one/$ref").is_none());
        first.report(Diagnostic::warning("#/x", "seen by both", ""));
        let mut second = Context::new(&api);
        second.report(Diagnostic::warning("#/x", "seen by both", ""));
        // The same cycle, reached from another place.
        assert!(second.resolve_ref("#/components/schemas/B", "#/two/$ref").is_none());
        second.report(Diagnostic::warning("#/y", "seen by the second", ""));
        first.absorb(second);
        let found: Vec<(String, bool)> = first
            .into_diagnostics()
            .into_iter()
            .map(|d| (d.pointer, d.message.contains("cycle")))
            .collect();
        assert_eq!(
            found,
            [
                ("#/one/$ref".to_owned(), true),
                ("#/x".to_owned(), false),
                ("#/y".to_owned(), false)
            ]
        );
    }
}
