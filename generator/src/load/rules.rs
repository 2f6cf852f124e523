//! The rules of OpenAPI 3.0.3 (and of the JSON Schema keywords its Schema Object takes over),
//! one row per normative statement, from `generator/rules/openapi-3.0.3.md`.
//!
//! The table is the one source of every rule's wording: a diagnostic that enforces a rule names
//! it by id ([`error`], [`warning`], [`cite`]) and quotes the statement and its section from
//! here, so a message and the audit can never disagree. The table also records, for every rule
//! the generator does not check, why it cannot be broken or does not apply to a client.

use std::sync::OnceLock;

use crate::diag::Diagnostic;

/// The table, as embedded in the generator.
pub const TABLE: &str = include_str!("../../rules/openapi-3.0.3.md");

/// One statement of the specification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Its id, e.g. `OAS-4.7.12-schema-xor-content`.
    pub id: String,
    /// The object (or part of the specification) it belongs to.
    pub object: String,
    /// Its section: `4.7.12` (OpenAPI 3.0.3) or `JSV 5.15` (JSON Schema Validation, draft-wright-00).
    pub source: String,
    /// Its keyword: MUST, MUST NOT, REQUIRED, SHALL, ... as written.
    pub kind: String,
    /// The statement, quoted.
    pub statement: String,
    /// `checked-error`, `checked-warning`, `impossible` or `not-applicable`.
    pub status: String,
    /// Why it has this status.
    pub reason: String,
    /// The `tests/bad_specs` fixture that breaks it (checked rules only).
    pub fixture: Option<String>,
}

impl Rule {
    /// Where the statement comes from, in words: `OpenAPI 3.0.3 §4.7.12`.
    pub fn section(&self) -> String {
        match self.source.strip_prefix("JSV ") {
            Some(section) => format!("JSON Schema Validation (draft-wright-00) §{section}"),
            None => format!("OpenAPI 3.0.3 §{}", self.source),
        }
    }
}

/// Every row of the table, in its order.
pub fn all() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| parse(TABLE))
}

/// The rule with this id.
pub fn get(id: &str) -> Option<&'static Rule> {
    all().iter().find(|r| r.id == id)
}

/// The citation a diagnostic ends with: ` — OpenAPI 3.0.3 §4.7.12 (OAS-…): "statement"`.
pub fn cite(id: &str) -> String {
    // An id missing from the table is a generator bug that `tests/rules_table.rs` catches; the
    // message still names the id rather than failing a user's run.
    match get(id) {
        Some(rule) => format!(" — {} ({id}): \"{}\"", rule.section(), rule.statement),
        None => format!(" ({id})"),
    }
}

/// Whether a message already ends with a rule's citation.
pub fn is_cited(message: &str) -> bool {
    message.contains(" — OpenAPI 3.0.3 §") || message.contains(" — JSON Schema Validation (")
}

/// An error that enforces rule `id`: what is wrong (the rule is quoted after it) and how to fix it.
pub fn error(id: &str, pointer: impl Into<String>, what: impl AsRef<str>, fix: impl Into<String>) -> Diagnostic {
    Diagnostic::new(pointer, format!("{}{}", what.as_ref(), cite(id)), fix)
}

/// A warning that reports a break of rule `id` where the spec stays usable.
pub fn warning(id: &str, pointer: impl Into<String>, what: impl AsRef<str>, fix: impl Into<String>) -> Diagnostic {
    Diagnostic::warning(pointer, format!("{}{}", what.as_ref(), cite(id)), fix)
}

/// Adds rule `id`'s citation to a diagnostic made elsewhere (a shape check's own words).
pub fn cited(mut diagnostic: Diagnostic, id: &str) -> Diagnostic {
    diagnostic.message.push_str(&cite(id));
    diagnostic
}

/// The rows of a table: every line `| id | ... |` after the header row.
pub fn parse(text: &str) -> Vec<Rule> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix('|')?.strip_suffix('|'))
        .map(|inner| inner.split('|').map(str::trim).collect::<Vec<_>>())
        .filter(|cells| cells.len() == 8 && cells[0] != "id" && !cells[0].starts_with("---"))
        .map(|c| Rule {
            id: c[0].to_owned(),
            object: c[1].to_owned(),
            source: c[2].to_owned(),
            kind: c[3].to_owned(),
            statement: c[4].to_owned(),
            status: c[5].to_owned(),
            reason: c[6].to_owned(),
            fixture: Some(c[7]).filter(|f| !f.is_empty()).map(str::to_owned),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_is_cited_with_its_section_and_statement() {
        let cited = cite("OAS-4.7.12-schema-xor-content");
        assert!(
            cited.contains("OpenAPI 3.0.3 §4.7.12 (OAS-4.7.12-schema-xor-content)"),
            "{cited}"
        );
        assert!(cited.contains("MUST contain either a `schema` property"), "{cited}");
        assert!(cite("JSV-5.1-multiple-of").contains("JSON Schema Validation (draft-wright-00) §5.1"));
    }
}
