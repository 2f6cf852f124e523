//! The public Rust API a spec generates, as a sorted list of facts, and what changes between
//! two of them.
//!
//! Each fact is `key: signature`, e.g. `field StreamsTenant.name: Option<String>`. The list is
//! written next to the generated code (`api.txt`) so that `generate` can say what a new spec
//! changed, and `diff` compares two specs without writing anything.

use std::collections::BTreeMap;
use std::fmt;

use crate::ir::{Api, Field, ParamLocation, Presence, StructDef, TypeKind, TypeRef};
use crate::members::{client as client_member, model as model_member, root as root_member};
use crate::rust_type::RustType;

/// The facts of one API, by key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Surface {
    /// `key` -> `signature`.
    pub facts: BTreeMap<String, String>,
}

/// A type reference as `api.txt` writes it.
fn rust_type(ty: &TypeRef) -> String {
    RustType::of(ty).api_text()
}

impl Surface {
    /// The facts of a lowered API.
    pub fn of(api: &Api) -> Self {
        let mut facts = Found::default();
        // Where each re-export is (the root, or a module) is a fact: moving one breaks `use`s.
        for exports in root_member::RUNTIME_EXPORTS {
            let prefix = exports.module.map_or_else(String::new, |m| format!("{m}::"));
            for item in exports.items {
                facts.insert(format!("reexport {prefix}{item}"), "runtime".to_owned());
            }
        }
        facts.insert(
            format!("type {}", root_member::CLIENT_BUILDER),
            format!("the builder of {} (runtime ClientBuilder)", client_member::TYPE),
        );
        for op in &api.operations {
            let m = op.method_name.trim_start_matches("r#");
            let output = RustType::response(&op.response.kind).api_text();
            facts.insert(
                format!("operation {m}"),
                format!("{} {} -> {output}", op.method.as_str(), op.path),
            );
            // A caller may name the builder a method returns (to store it, or pass it on).
            facts.insert(
                format!("operation {m} builder"),
                format!("builders::{}", op.builder_name),
            );
            for param in &op.params {
                let location = match param.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                };
                let kind = if param.required { "argument" } else { "setter" };
                facts.insert(
                    format!("operation {m} {kind} {}", param.name.trim_start_matches("r#")),
                    format!("{} ({location} `{}`)", rust_type(&param.ty), param.wire_name),
                );
            }
            if let Some(body) = &op.body {
                let kind = if body.required { "argument" } else { "setter" };
                facts.insert(format!("operation {m} {kind} body"), rust_type(&body.ty));
            }
            if let Some(default) = &op.default_version {
                facts.insert(format!("operation {m} default version"), default.clone());
                facts.insert(format!("operation {m} versions"), op.versions.join(", "));
            }
            if op.pagination.is_some() {
                facts.insert(format!("operation {m} items"), "paginated".into());
            }
        }
        for waiter in &api.waiters {
            let m = waiter.method_name.trim_start_matches("r#");
            facts.insert(
                format!("waiter {m}"),
                format!(
                    "{} until `{}` in [{}], failing on [{}]",
                    waiter.operation.trim_start_matches("r#"),
                    waiter.property,
                    waiter.success.join(", "),
                    waiter.failure.join(", ")
                ),
            );
            facts.insert(
                format!("waiter {m} builder"),
                format!("waiters::{}", waiter.builder_name),
            );
            // The defaults are behaviour: the same code waits otherwise when they change.
            facts.insert(
                format!("waiter {m} defaults"),
                format!(
                    "delays {} ms to {} ms, deadline {} ms",
                    waiter.min_delay_ms, waiter.max_delay_ms, waiter.deadline_ms
                ),
            );
        }
        for ty in &api.types {
            let name = &ty.name;
            match &ty.kind {
                TypeKind::Struct(s) => struct_facts(&mut facts, name, s),
                TypeKind::TaggedUnion(u) => {
                    facts.insert(
                        format!("type {name}"),
                        format!(
                            "union tagged by `{}` (non-exhaustive, unknown tags in `{}`)",
                            u.tag, u.unknown_variant
                        ),
                    );
                    for v in &u.variants {
                        let held = if v.boxed {
                            format!("Box<{}>", v.ty)
                        } else {
                            v.ty.clone()
                        };
                        facts.insert(
                            format!("variant {name}::{}", v.name),
                            format!("`{}` ({held})", v.tag_value),
                        );
                        if v.wraps {
                            facts.insert(format!("conversion {name} from {}", v.ty), "From".into());
                        }
                    }
                }
                TypeKind::KeyedUnion(u) => {
                    facts.insert(
                        format!("type {name}"),
                        format!(
                            "union keyed by its one property (non-exhaustive, other values in `{}`)",
                            u.unknown_variant
                        ),
                    );
                    for v in &u.variants {
                        let held = RustType::of(&v.ty);
                        let held = if v.boxed { held.boxed() } else { held };
                        facts.insert(
                            format!("variant {name}::{}", v.name),
                            format!("`{}` ({})", v.key, held.api_text()),
                        );
                        if v.wraps {
                            facts.insert(format!("conversion {name} from {}", rust_type(&v.ty)), "From".into());
                        }
                    }
                }
                TypeKind::StringEnum(e) => {
                    // Whether it shares its implementation with others is no fact: each is a type
                    // of its own either way, with the same variants and methods.
                    // The catch-all's name is a fact: a value named `UNKNOWN` would take it.
                    facts.insert(
                        format!("type {name}"),
                        format!("enum (non-exhaustive, unknown values in `{}`)", e.unknown_variant),
                    );
                    for v in &e.values {
                        facts.insert(format!("variant {name}::{}", v.name), format!("`{}`", v.wire));
                    }
                }
                TypeKind::Pattern(p) => {
                    facts.insert(format!("type {name}"), format!("string matching `{}`", p.pattern));
                }
            }
        }
        for ty in &api.types {
            for c in &ty.conversions {
                let kind = if c.fallible { "TryFrom" } else { "From" };
                facts.insert(format!("conversion {} from &{}", ty.name, c.from), kind.into());
            }
        }
        Surface {
            facts: facts.into_facts(),
        }
    }

    /// Reads the text `render` wrote (lines starting with `#` are comments).
    pub fn parse(text: &str) -> Self {
        let facts = text
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| line.split_once(": ").map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect();
        Surface { facts }
    }

    /// The text of `api.txt`.
    pub fn render(&self, header: &str) -> String {
        let size = self
            .facts
            .iter()
            .map(|(key, value)| key.len() + value.len() + 3)
            .sum::<usize>();
        let mut out = String::with_capacity(header.len() + 1 + size);
        out.push_str(header);
        out.push('\n');
        for (key, value) in &self.facts {
            out.push_str(key);
            out.push_str(": ");
            out.push_str(value);
            out.push('\n');
        }
        out
    }
}

/// Facts in the order they are found, sorted once at the end: 25,000 facts of the Admin spec
/// cost a third as much pushed and sorted as inserted into a map one by one.
#[derive(Default)]
struct Found(Vec<(String, String)>);

impl Found {
    fn insert(&mut self, key: String, value: String) {
        self.0.push((key, value));
    }

    /// The facts by key. A key found twice keeps its last value, as with `BTreeMap::insert`
    /// (`from_iter` sorts stably and keeps the last of equal keys). One fact per line: a line
    /// break inside a value (an enum value or a pattern may have one) is written as `\n`, as
    /// `api.txt` holds it and `parse` reads it back.
    fn into_facts(mut self) -> BTreeMap<String, String> {
        for (_, value) in &mut self.0 {
            if value.contains(['\n', '\r']) {
                *value = value.replace('\n', "\\n").replace('\r', "\\r");
            }
        }
        self.0.into_iter().collect()
    }
}

/// The facts of a struct: its kind, fields, constructor and setters.
fn struct_facts(facts: &mut Found, name: &str, s: &StructDef) {
    // Keeping the order properties came in is behaviour: the same value is written otherwise.
    let kind = match (s.default, s.order_field.is_some()) {
        (true, false) => "struct (non-exhaustive, Default)",
        (false, false) => "struct (non-exhaustive)",
        (true, true) => "struct (non-exhaustive, Default, keeps key order)",
        (false, true) => "struct (non-exhaustive, keeps key order)",
    };
    facts.insert(format!("type {name}"), kind.into());
    // The field that keeps unknown properties is named after the others (`extra`, or another
    // name when a property takes that one): a change of it is a change of the API.
    facts.insert(
        format!("field {name}.{}", s.extra_field.trim_start_matches("r#")),
        "unknown properties".into(),
    );
    let bare = |f: &Field| f.name.trim_start_matches("r#").to_owned();
    let params: Vec<String> = s
        .fields
        .iter()
        .filter(|f| f.presence == Presence::Required)
        .map(|f| format!("{}: impl Into<{}>", bare(f), rust_type(&f.ty)))
        .collect();
    facts.insert(
        format!("constructor {name}::{}", model_member::NEW),
        format!("({})", params.join(", ")),
    );
    for field in &s.fields {
        // With its `Box` (a new type can move the box that closes a cycle onto an old field)
        // and its wire name (a new property can take an old field's name).
        let shown = RustType::field(&field.ty, field.presence, field.boxed).api_text();
        facts.insert(
            format!("field {name}.{}", bare(field)),
            format!("{shown} (`{}`)", field.wire_name),
        );
        if let Some(setter) = &field.setter {
            let ty = rust_type(&field.ty);
            let takes = if field.presence == Presence::OptionalNullable {
                format!("impl Into<Nullable<{ty}>>")
            } else {
                format!("impl Into<{ty}>")
            };
            facts.insert(
                format!("setter {name}.{}", setter.trim_start_matches("r#")),
                format!("{takes} (`{}`)", field.wire_name),
            );
        }
    }
}

/// How a change affects code that uses the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled before may not compile (or decode) now.
    Breaking,
    /// Existing code keeps working.
    Additive,
}

/// One change between two surfaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Breaking or additive.
    pub impact: Impact,
    /// What changed, in words.
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.impact {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
        };
        write!(f, "{tag:>8}  {}", self.what)
    }
}

/// The fact a fact belongs to: an operation's argument belongs to the operation; a field,
/// variant, setter, constructor or conversion to its type.
fn owner(key: &str) -> Option<String> {
    if let Some(rest) = key.strip_prefix("operation ") {
        let op = rest.split(' ').next()?;
        return (rest != op).then(|| format!("operation {op}"));
    }
    if let Some(rest) = key.strip_prefix("waiter ") {
        let waiter = rest.split(' ').next()?;
        return (rest != waiter).then(|| format!("waiter {waiter}"));
    }
    let rest = ["field ", "variant ", "setter ", "constructor ", "conversion "]
        .iter()
        .find_map(|prefix| key.strip_prefix(prefix))?;
    let ty = rest.split(['.', ':', ' ']).next()?;
    Some(format!("type {ty}"))
}

/// Every change from `old` to `new`, breaking ones first. The parts of an operation or type
/// that was added or removed as a whole are not listed one by one.
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut changes = Vec::new();
    let whole = |key: &str, other: &Surface| owner(key).is_some_and(|o| !other.facts.contains_key(&o));
    for (key, before) in &old.facts {
        match new.facts.get(key) {
            None if whole(key, new) => {}
            None => changes.push(Change {
                impact: Impact::Breaking,
                what: format!("removed {key} ({before})"),
            }),
            Some(after) if after != before => {
                let listed = |text: &str| {
                    text.split(", ")
                        .map(str::to_owned)
                        .collect::<std::collections::BTreeSet<_>>()
                };
                let impact = if key.ends_with(" versions") && listed(before).is_subset(&listed(after)) {
                    Impact::Additive // more documented versions (anywhere in the list), same default
                } else {
                    Impact::Breaking
                };
                changes.push(Change {
                    impact,
                    what: format!("changed {key}: {before} -> {after}"),
                });
            }
            Some(_) => {}
        }
    }
    for (key, after) in &new.facts {
        if old.facts.contains_key(key) || whole(key, old) {
            continue;
        }
        changes.push(Change {
            impact: addition_impact(key, after, old),
            what: format!("added {key} ({after})"),
        });
    }
    changes.sort_by(|a, b| a.impact.cmp(&b.impact).then_with(|| a.what.cmp(&b.what)));
    changes
}

/// An addition breaks callers when it is a new required argument of an existing operation, or
/// a new required field of an existing struct (literals and decoding of old data fail).
fn addition_impact(key: &str, signature: &str, old: &Surface) -> Impact {
    let owner_existed = |owner: &str| old.facts.contains_key(owner);
    if let Some(rest) = key.strip_prefix("operation ") {
        if let Some((op, _)) = rest.split_once(" argument ") {
            if owner_existed(&format!("operation {op}")) {
                return Impact::Breaking;
            }
        }
    }
    if let Some(rest) = key.strip_prefix("field ") {
        let is_required = !(signature.starts_with("Option<") || signature.starts_with("Nullable<"));
        if let Some((ty, _)) = rest.split_once('.') {
            if is_required && owner_existed(&format!("type {ty}")) {
                return Impact::Breaking;
            }
        }
    }
    Impact::Additive
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(lines: &[(&str, &str)]) -> Surface {
        Surface {
            facts: lines.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    #[test]
    fn facts_found_twice_keep_the_last_value_and_line_breaks_are_escaped() {
        let mut found = Found::default();
        for (key, value) in [
            ("b", "first"),
            ("a", "one\ntwo"),
            ("b", "second"),
            ("c", "x"),
            ("b", "third"),
        ] {
            found.insert(key.to_owned(), value.to_owned());
        }
        assert_eq!(
            found.into_facts().into_iter().collect::<Vec<_>>(),
            [("a", "one\\ntwo"), ("b", "third"), ("c", "x")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn waiters_added_are_additive_and_changed_defaults_breaking() {
        let waiter = |deadline: &str| {
            surface(&[
                ("waiter w", "get until `state` in [READY], failing on [FAILED]"),
                ("waiter w defaults", deadline),
            ])
        };
        let rendered =
            |old: &Surface, new: &Surface| -> Vec<String> { diff(old, new).iter().map(ToString::to_string).collect() };
        // A new waiter is one addition (its defaults are part of it, not another line).
        let added = rendered(&surface(&[]), &waiter("delays 1 ms to 2 ms, deadline 3 ms"));
        assert_eq!(added.len(), 1, "{added:?}");
        assert!(added[0].starts_with("additive  added waiter w ("), "{added:?}");
        let changed = rendered(
            &waiter("delays 1 ms to 2 ms, deadline 3 ms"),
            &waiter("delays 1 ms to 2 ms, deadline 9 ms"),
        );
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert!(
            changed[0].starts_with("breaking  changed waiter w defaults"),
            "{changed:?}"
        );
    }

    #[test]
    fn a_line_break_in_a_value_stays_on_its_line() {
        let api = crate::ir::Api {
            title: String::new(),
            spec_version: String::new(),
            types: vec![crate::ir::TypeDef {
                name: "P".into(),
                doc: None,
                kind: TypeKind::Pattern(crate::ir::PatternNewtype {
                    pattern: "^a\nb$".into(),
                }),
                conversions: Vec::new(),
                origin: String::new(),
                deprecated: false,
            }],
            shared_enums: Vec::new(),
            operations: Vec::new(),
            waiters: Vec::new(),
        };
        let facts = Surface::of(&api);
        assert_eq!(Surface::parse(&facts.render("# h\n")), facts);
        assert!(diff(&facts, &Surface::parse(&facts.render("# h\n"))).is_empty());
    }

    #[test]
    fn render_and_parse_round_trip() {
        let s = surface(&[("type A", "struct"), ("field A.b", "Option<String>")]);
        assert_eq!(Surface::parse(&s.render("# header\n")), s);
    }

    #[test]
    fn classification() {
        let old = surface(&[
            ("operation f", "GET /f -> A"),
            ("operation f versions", "2023-01-01"),
            ("type A", "struct"),
            ("field A.x", "Option<String>"),
        ]);
        let new = surface(&[
            ("operation f", "GET /f -> A"),
            ("operation f versions", "2023-01-01, 2024-01-01"),
            ("operation f argument id", "String (path `id`)"),
            ("operation f setter page", "i64 (query `page`)"),
            ("type A", "struct"),
            ("field A.x", "String"),
            ("field A.y", "Option<bool>"),
            ("field A.z", "i64"),
        ]);
        let rendered: Vec<String> = diff(&old, &new).iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                "breaking  added field A.z (i64)",
                "breaking  added operation f argument id (String (path `id`))",
                "breaking  changed field A.x: Option<String> -> String",
                "additive  added field A.y (Option<bool>)",
                "additive  added operation f setter page (i64 (query `page`))",
                "additive  changed operation f versions: 2023-01-01 -> 2023-01-01, 2024-01-01",
            ]
        );
    }
}
