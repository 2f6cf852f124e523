//! The table of OpenAPI 3.0.3's rules (`generator/rules/openapi-3.0.3.md`) is complete and
//! honest: every row has a status and a reason; every rule marked checked has a fixture that
//! breaks it, whose snapshot shows the rule's diagnostic with the right severity; every rule id
//! the generator's code uses is a row; and the counts in the table's header are the rows'.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use atlas_streams_generator::load::rules::{self, Rule};

const STATUSES: [&str; 4] = ["checked-error", "checked-warning", "impossible", "not-applicable"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator sits in the workspace")
        .to_owned()
}

fn table() -> &'static [Rule] {
    let rows = rules::all();
    assert!(rows.len() >= 100, "the table has {} rows", rows.len());
    rows
}

#[test]
fn every_row_has_a_known_status_a_reason_and_a_unique_id() {
    let mut ids = BTreeSet::new();
    for rule in table() {
        assert!(ids.insert(&rule.id), "{} is listed twice", rule.id);
        assert!(
            rule.id.starts_with("OAS-") || rule.id.starts_with("JSV-"),
            "{}: an id starts with OAS- or JSV-",
            rule.id
        );
        assert!(
            STATUSES.contains(&rule.status.as_str()),
            "{}: unknown status {:?}",
            rule.id,
            rule.status
        );
        assert!(rule.reason.len() > 10, "{}: the reason is missing", rule.id);
        assert!(!rule.statement.is_empty(), "{}: the statement is missing", rule.id);
        assert!(
            !rule.kind.is_empty() && !rule.object.is_empty() && !rule.source.is_empty(),
            "{}",
            rule.id
        );
        let checked = rule.status.starts_with("checked");
        assert_eq!(
            checked,
            rule.fixture.is_some(),
            "{}: a checked rule names its fixture, and only a checked rule does",
            rule.id
        );
    }
}

#[test]
fn every_checked_rule_has_a_fixture_whose_snapshot_shows_it() {
    let root = workspace();
    let mut named: BTreeMap<&str, &str> = BTreeMap::new();
    for rule in table() {
        let Some(fixture) = rule.fixture.as_deref() else {
            continue;
        };
        if let Some(other) = named.insert(fixture, &rule.id) {
            panic!(
                "{fixture} is named by both {other} and {}: one fixture, one rule",
                rule.id
            );
        }
        let spec = root.join(format!("tests/bad_specs/{fixture}.yaml"));
        assert!(spec.is_file(), "{}: no fixture {}", rule.id, spec.display());
        let snapshot = root.join(format!("tests/snapshots/bad_specs__{fixture}.snap"));
        let text = std::fs::read_to_string(&snapshot)
            .unwrap_or_else(|e| panic!("{}: no snapshot {}: {e}", rule.id, snapshot.display()));
        let severity = if rule.status == "checked-error" {
            "error: "
        } else {
            "warning: "
        };
        let shown = text
            .lines()
            .any(|line| line.starts_with(severity) && line.contains(&format!("({})", rule.id)));
        assert!(
            shown,
            "{}: the snapshot of {fixture} has no `{severity}` diagnostic naming the rule",
            rule.id
        );
    }
}

/// Every `"OAS-…"` or `"JSV-…"` string literal in the generator's source.
fn ids_in_source() -> BTreeMap<String, PathBuf> {
    fn visit(dir: &Path, out: &mut BTreeMap<String, PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable source directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                visit(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable source");
                // A literal starts at a quote: `"OAS-…"` up to the next quote.
                for start in ["\"OAS-", "\"JSV-"] {
                    for (at, _) in text.match_indices(start) {
                        let rest = &text[at + 1..];
                        let id = &rest[..rest.find('"').unwrap_or(0)];
                        let is_id =
                            id.len() > 6 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
                        if is_id {
                            out.entry(id.to_owned()).or_insert_with(|| path.clone());
                        }
                    }
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    visit(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

#[test]
fn every_rule_the_code_names_is_in_the_table_and_every_checked_rule_has_code() {
    let used = ids_in_source();
    assert!(used.len() >= 50, "{} rule ids in the source", used.len());
    for (id, file) in &used {
        assert!(
            rules::get(id).is_some(),
            "{} names `{id}`, which is not in the table",
            file.display()
        );
    }
    for rule in table().iter().filter(|r| r.status.starts_with("checked")) {
        assert!(
            used.contains_key(&rule.id),
            "{} is marked checked, but no code names it",
            rule.id
        );
    }
}

#[test]
fn the_counts_in_the_header_are_the_rows() {
    let line = |prefix: &str| {
        rules::TABLE
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("the table's header has no `{prefix}` line"))
            .trim()
            .to_owned()
    };
    let counts = |text: String| -> BTreeMap<String, usize> {
        text.split(", ")
            .map(|part| {
                let (name, n) = part.rsplit_once(' ').expect("`name count`");
                (name.to_owned(), n.parse().expect("a count"))
            })
            .collect()
    };
    let rows = table();
    assert_eq!(line("- statements: "), rows.len().to_string());
    let mut by_status = BTreeMap::new();
    let mut by_object = BTreeMap::new();
    for rule in rows {
        *by_status.entry(rule.status.clone()).or_insert(0) += 1;
        *by_object.entry(rule.object.clone()).or_insert(0) += 1;
    }
    assert_eq!(counts(line("- by status: ")), by_status);
    assert_eq!(counts(line("- by object: ")), by_object);
}

#[test]
fn a_diagnostic_quotes_its_rule_from_the_table() {
    let rule = rules::get("OAS-4.7.16-at-least-one").expect("a row");
    let d = rules::error(&rule.id, "#/paths", "what is wrong", "how to fix it");
    assert!(d.is_error());
    assert!(d
        .message
        .starts_with("what is wrong — OpenAPI 3.0.3 §4.7.16 (OAS-4.7.16-at-least-one): \""));
    assert!(d.message.contains(&rule.statement));
    assert_eq!(d.help, "how to fix it");
}

/// §4.7.12: a header parameter named `Accept`, `Content-Type` or `Authorization` SHALL be
/// ignored; the generated operation has no argument or setter for it.
#[test]
fn reserved_header_parameters_are_left_out_of_the_client() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      parameters:\n        - {name: authorization, in: header, required: true, schema: {type: string}}\n        - {name: Accept, in: header, schema: {type: string}}\n        - {name: limit, in: query, schema: {type: integer}}\n      responses:\n        '204': {description: Done}\n";
    let generated = atlas_streams_generator::generate_from_str(Path::new("t.yaml"), spec).expect("the spec generates");
    let params: Vec<&str> = generated.api.operations[0]
        .params
        .iter()
        .map(|p| p.wire_name.as_str())
        .collect();
    assert_eq!(params, ["limit"]);
    assert_eq!(generated.warnings.warnings(), 2, "{}", generated.warnings);
}
