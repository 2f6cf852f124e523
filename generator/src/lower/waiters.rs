//! The waiters of the spec's `x-waiters` extension: client methods that repeat a GET until a
//! property of its answer has one of some values (Smithy's `@waitable`, in spirit).
//!
//! ```yaml
//! get:
//!   operationId: getGroupStreamProcessor
//!   x-waiters:
//!     processorStarted:                  # the method becomes `wait_until_processor_started`
//!       description: Waits until ...     # optional: the method's doc comment
//!       after: [startStreamProcessor]    # optional: operations whose effect it waits for
//!       property: state                  # a string (or string enum) property of the answer
//!       success: [STARTED]               # values that end the wait with the answer
//!       failure: [FAILED]                # optional: values that end it as failed
//!       minDelay: 2                      # optional, seconds: first and shortest wait (2)
//!       maxDelay: 30                     # optional, seconds: longest wait (120)
//!       deadline: 600                    # optional, seconds: default deadline (600)
//! ```
//!
//! Runs after operations and types are converted: what a waiter names (its property, the
//! values of an enum, the operations it follows) is checked against them, and every mistake is
//! a located diagnostic.

use std::collections::BTreeMap;

use serde_json::Value;

use super::context::Context;
use super::idents::{field_name, type_name};
use super::sites::OpSite;
use crate::diag::Diagnostic;
use crate::ir::{Method, Operation, ResponseKind, TypeDef, TypeKind, TypeRef, Waiter};
use crate::locate::escape_segment;
use crate::members;

/// The operation extension holding an operation's waiters.
pub(super) const WAITERS: &str = "x-waiters";

/// The keys of one waiter, in the order the doc above lists them.
const KEYS: &[&str] = &[
    "description",
    "after",
    "property",
    "success",
    "failure",
    "minDelay",
    "maxDelay",
    "deadline",
];

/// Defaults of the delays, in milliseconds: Smithy's `minDelay` (2 s) and `maxDelay` (120 s);
/// the deadline is ours (Smithy asks for it at every call).
const DEFAULT_MIN_DELAY_MS: u64 = 2_000;
const DEFAULT_MAX_DELAY_MS: u64 = 120_000;
const DEFAULT_DEADLINE_MS: u64 = 600_000;

/// Every waiter of every operation; `ops` are the converted `sites`, in the same order.
pub(super) fn convert(cx: &mut Context<'_>, sites: &[OpSite<'_>], ops: &[Operation], types: &[TypeDef]) -> Vec<Waiter> {
    let types: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut waiters = Vec::new();
    for (site, op) in sites.iter().zip(ops) {
        let Some(extension) = site.op.extensions.get(WAITERS) else {
            continue;
        };
        let pointer = format!("{}/{WAITERS}", site.pointer);
        let Value::Object(entries) = extension else {
            cx.report(Diagnostic::new(
                &pointer,
                format!("`{WAITERS}` must be a mapping of waiter names to waiters"),
                "write `x-waiters: {processorStarted: {property: state, success: [STARTED]}}`",
            ));
            continue;
        };
        if op.method != Method::Get {
            cx.report(Diagnostic::new(
                &pointer,
                format!(
                    "`{WAITERS}` on a {} operation: a waiter repeats its operation, which must be a GET",
                    op.method.as_str()
                ),
                "move the waiters to the GET operation that reads the resource",
            ));
            continue;
        }
        for (name, waiter) in entries {
            let at = format!("{pointer}/{}", escape_segment(name));
            if let Some(waiter) = one(cx, &Site { op, ops, types: &types }, name, waiter, &at) {
                waiters.push(waiter);
            }
        }
    }
    check_names(cx, &waiters, ops);
    waiters
}

/// What a waiter is checked against.
struct Site<'a> {
    /// The operation it repeats.
    op: &'a Operation,
    /// Every operation (for `after`).
    ops: &'a [Operation],
    /// Every type, by name.
    types: &'a BTreeMap<&'a str, &'a TypeDef>,
}

/// One waiter, or `None` after reporting what is wrong with it.
fn one(cx: &mut Context<'_>, site: &Site<'_>, name: &str, waiter: &Value, at: &str) -> Option<Waiter> {
    let Value::Object(keys) = waiter else {
        cx.report(Diagnostic::new(
            at,
            format!("waiter `{name}` must be a mapping"),
            "give it at least `property` and `success`",
        ));
        return None;
    };
    let mut ok = true;
    for key in keys.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        cx.report(Diagnostic::new(
            format!("{at}/{}", escape_segment(key)),
            format!("waiter `{name}` has an unknown key `{key}`"),
            format!("a waiter's keys are {}", KEYS.join(", ")),
        ));
        ok = false;
    }
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        cx.report(Diagnostic::new(
            at,
            format!("waiter name `{name}` is not a name in camelCase"),
            "name it by the state it waits for, in camelCase: e.g. `processorStarted`",
        ));
        ok = false;
    }
    let property = text(cx, keys, "property", at, true);
    let success = values(cx, keys, "success", at, true);
    let failure = values(cx, keys, "failure", at, false);
    let after = after(cx, site.ops, keys, at);
    let delays = [
        seconds(cx, keys, "minDelay", at, DEFAULT_MIN_DELAY_MS),
        seconds(cx, keys, "maxDelay", at, DEFAULT_MAX_DELAY_MS),
        seconds(cx, keys, "deadline", at, DEFAULT_DEADLINE_MS),
    ];
    let (Some(property), Some(success), Some(failure), Some(after), [Some(min), Some(max), Some(deadline)]) =
        (property, success, failure, after, delays)
    else {
        return None;
    };
    if min > max {
        cx.report(Diagnostic::new(
            format!("{at}/minDelay"),
            format!("waiter `{name}`: `minDelay` is longer than `maxDelay`"),
            "make `minDelay` at most `maxDelay`",
        ));
        ok = false;
    }
    for value in success.iter().filter(|v| failure.contains(v)) {
        cx.report(Diagnostic::new(
            format!("{at}/failure"),
            format!("waiter `{name}`: `{value}` is both a success and a failure value"),
            "keep it in one of the two lists",
        ));
        ok = false;
    }
    let answer = check_property(cx, site, name, &property, [&success, &failure], at);
    let doc = match keys.get("description") {
        Some(Value::String(text)) => super::doc::clean(Some(text)),
        _ => None,
    };
    let answer = answer.filter(|_| ok)?;
    Some(Waiter {
        name: name.to_owned(),
        method_name: field_name(&format!("waitUntil_{name}")),
        builder_name: type_name(&format!("waitUntil_{name}")),
        doc,
        operation: site.op.method_name.clone(),
        answer,
        property,
        success,
        failure,
        after,
        min_delay_ms: min,
        max_delay_ms: max,
        deadline_ms: deadline,
        origin: at.to_owned(),
    })
}

/// The property must be a string or a string enum of the answer (of every variant of a tagged
/// union answer), and the values of an enum must be its values. The answer's type, when they
/// are; `None` after reporting why not.
fn check_property(
    cx: &mut Context<'_>,
    site: &Site<'_>,
    name: &str,
    property: &str,
    lists: [&[String]; 2],
    at: &str,
) -> Option<String> {
    let pointer = format!("{at}/property");
    let ResponseKind::Json(TypeRef::Named(answer)) = &site.op.response.kind else {
        cx.report(Diagnostic::new(
            pointer,
            format!(
                "waiter `{name}`: operation `{}` answers no object to read `{property}` from",
                site.op.name
            ),
            "put the waiter on a GET whose success answer is an object",
        ));
        return None;
    };
    // The structs to look in: the answer, or every variant of a union.
    let structs: Vec<&str> = match site.types.get(answer.as_str()).map(|t| &t.kind) {
        Some(TypeKind::Struct(_)) => vec![answer.as_str()],
        Some(TypeKind::TaggedUnion(union)) => union.variants.iter().map(|v| v.ty.as_str()).collect(),
        _ => Vec::new(),
    };
    // The values the property can have: those of its enum in every variant, gathered; `None`
    // where some variant holds any string (then no value can be ruled out).
    let mut enum_values: Option<Vec<&str>> = Some(Vec::new());
    for owner in &structs {
        let field = match site.types.get(owner).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => s.fields.iter().find(|f| f.wire_name == property),
            _ => None,
        };
        let problem = match field.map(|f| &f.ty) {
            None => Some(format!("`{owner}` has no property `{property}`")),
            Some(TypeRef::String) => {
                enum_values = None;
                None
            }
            Some(TypeRef::Named(ty)) => match site.types.get(ty.as_str()).map(|t| &t.kind) {
                Some(TypeKind::StringEnum(e)) => {
                    if let Some(values) = &mut enum_values {
                        values.extend(e.values.iter().map(|v| v.wire.as_str()));
                    }
                    None
                }
                _ => Some(format!("`{owner}.{property}` is a `{ty}`, not a string")),
            },
            Some(_) => Some(format!("`{owner}.{property}` is not a string")),
        };
        if let Some(problem) = problem {
            cx.report(Diagnostic::new(
                pointer,
                format!(
                    "waiter `{name}`: the answer of `{}` cannot be waited on by `{property}`: {problem}",
                    site.op.name
                ),
                "name a string property of the answer (for a union, one that every variant has)",
            ));
            return None;
        }
    }
    if structs.is_empty() {
        cx.report(Diagnostic::new(
            pointer,
            format!(
                "waiter `{name}`: the answer of `{}` (`{answer}`) is not an object",
                site.op.name
            ),
            "put the waiter on a GET whose success answer is an object",
        ));
        return None;
    }
    let Some(mut known) = enum_values else {
        return Some(answer.clone());
    };
    // In the order the spec lists them, each once.
    let mut seen = std::collections::HashSet::new();
    known.retain(|value| seen.insert(*value));
    let mut ok = true;
    for (list, values) in ["success", "failure"].into_iter().zip(lists) {
        for value in values.iter().filter(|v| !known.contains(&v.as_str())) {
            cx.report(Diagnostic::new(
                format!("{at}/{list}"),
                format!("waiter `{name}`: `{value}` is not a value of `{property}`"),
                format!("the values of `{property}` are {}", known.join(", ")),
            ));
            ok = false;
        }
    }
    ok.then(|| answer.clone())
}

/// A string under `key`; `None` after reporting one that is missing (when `required`) or not
/// a string.
fn text(
    cx: &mut Context<'_>,
    keys: &serde_json::Map<String, Value>,
    key: &str,
    at: &str,
    required: bool,
) -> Option<String> {
    match keys.get(key) {
        Some(Value::String(text)) if !text.is_empty() => Some(text.clone()),
        None if !required => Some(String::new()),
        None => {
            cx.report(Diagnostic::new(
                at,
                format!("the waiter has no `{key}`"),
                format!("add `{key}`: the property of the answer that holds the state"),
            ));
            None
        }
        Some(_) => {
            cx.report(Diagnostic::new(
                format!("{at}/{key}"),
                format!("a waiter's `{key}` must be a non-empty string"),
                format!("write `{key}: state`"),
            ));
            None
        }
    }
}

/// A list of strings under `key` (non-empty when `required`).
fn values(
    cx: &mut Context<'_>,
    keys: &serde_json::Map<String, Value>,
    key: &str,
    at: &str,
    required: bool,
) -> Option<Vec<String>> {
    let list = match keys.get(key) {
        None if !required => return Some(Vec::new()),
        None => None,
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
            .filter(|list| !list.is_empty() || !required),
        Some(_) => None,
    };
    if list.is_none() {
        let pointer = if keys.contains_key(key) {
            format!("{at}/{key}")
        } else {
            at.to_owned()
        };
        cx.report(Diagnostic::new(
            pointer,
            format!(
                "a waiter's `{key}` must be a{} list of strings",
                if required { " non-empty" } else { "" }
            ),
            format!(
                "write `{key}: [STARTED]`: the values of the property that {}",
                if key == "success" { "end the wait" } else { "fail it" }
            ),
        ));
    }
    list
}

/// A positive number of seconds under `key`, in milliseconds (`default` when absent).
fn seconds(
    cx: &mut Context<'_>,
    keys: &serde_json::Map<String, Value>,
    key: &str,
    at: &str,
    default: u64,
) -> Option<u64> {
    let Some(value) = keys.get(key) else {
        return Some(default);
    };
    match value.as_f64() {
        // At most a year: more is a mistake, and it keeps the milliseconds far from overflow.
        Some(s) if s > 0.0 && s <= 31_536_000.0 => Some((s * 1000.0).round().max(1.0) as u64),
        _ => {
            cx.report(Diagnostic::new(
                format!("{at}/{key}"),
                format!("a waiter's `{key}` must be a positive number of seconds (at most a year)"),
                format!("write `{key}: 2` (seconds; fractions are fine)"),
            ));
            None
        }
    }
}

/// The client methods of the operations under `after` (by their short names).
fn after(
    cx: &mut Context<'_>,
    ops: &[Operation],
    keys: &serde_json::Map<String, Value>,
    at: &str,
) -> Option<Vec<String>> {
    let names = values(cx, keys, "after", at, false)?;
    let mut methods = Vec::new();
    let mut ok = true;
    for (i, name) in names.iter().enumerate() {
        match ops.iter().find(|op| &op.name == name) {
            Some(op) => methods.push(op.method_name.clone()),
            None => {
                let close = ops
                    .iter()
                    .find(|op| op.name.eq_ignore_ascii_case(name) || op.operation_id == *name)
                    .map(|op| format!("did you mean `{}`? ", op.name))
                    .unwrap_or_default();
                cx.report(Diagnostic::new(
                    format!("{at}/after/{i}"),
                    format!("a waiter follows an unknown operation `{name}`"),
                    format!("{close}name an operation by its short name (`x-xgen-operation-id-override`, else `operationId`)"),
                ));
                ok = false;
            }
        }
    }
    ok.then_some(methods)
}

/// Waiter methods and builders must not take the names of operations, client members or each
/// other.
fn check_names(cx: &mut Context<'_>, waiters: &[Waiter], ops: &[Operation]) {
    let mut methods: BTreeMap<&str, &str> = ops
        .iter()
        .map(|op| (op.method_name.as_str(), op.name.as_str()))
        .collect();
    let mut builders: BTreeMap<&str, &str> = ops
        .iter()
        .map(|op| (op.builder_name.as_str(), op.name.as_str()))
        .collect();
    for waiter in waiters {
        let taken = if members::client::ALL.contains(&waiter.method_name.as_str()) {
            Some(format!("the client's own `{}`", waiter.method_name))
        } else if let Some(other) = methods.insert(&waiter.method_name, &waiter.name) {
            Some(format!("`{other}`'s method `{}`", waiter.method_name))
        } else {
            builders
                .insert(&waiter.builder_name, &waiter.name)
                .map(|other| format!("`{other}`'s type `{}`", waiter.builder_name))
        };
        if let Some(taken) = taken {
            cx.report(Diagnostic::new(
                &waiter.origin,
                format!("waiter `{}` would take the name of {taken}", waiter.name),
                "rename the waiter",
            ));
        }
    }
}
