//! Checks of every parameter: where it goes, how it is serialized, and whether its type is
//! one the client can put into a path, a query or a header.
//!
//! The client sends a query parameter as `name=value` (a list as one pair per item: OpenAPI's
//! default `style: form, explode: true`), a path parameter as one percent-encoded segment and
//! a header as its text, each value by its `Display`. Another `style`, an object, or a value
//! whose `Display` is not its wire form would be sent wrongly (or not compile), so each is an
//! error here rather than a surprise at run time.

use std::collections::BTreeSet;

use openapiv3::{Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr};

use super::super::context::Context;
use super::super::memo::Class;
use super::super::pointer::unescape;
use super::super::sites::OpSite;
use super::super::view::{RefOr, View};
use super::schemas::Schemas;
use crate::diag::Diagnostic;
use crate::load::rules;

/// The inline parameters of an operation and its path item (`$ref`s are checked where they
/// point), and repetitions within one list.
pub(super) fn of_operation<'a>(schemas: &mut Schemas<'_, 'a>, site: &OpSite<'a>) {
    let item_pointer = site.pointer.rsplit_once('/').map_or("", |(p, _)| p).to_owned();
    let lists = [
        (&site.item().parameters, item_pointer),
        (&site.op.parameters, site.pointer.clone()),
    ];
    let rules = ["OAS-4.7.9-parameters-unique", "OAS-4.7.10-parameters-unique"];
    for ((list, base), rule) in lists.into_iter().zip(rules) {
        let mut seen = BTreeSet::new();
        for (i, param) in list.iter().enumerate() {
            let pointer = format!("{base}/parameters/{i}");
            let resolved = match param {
                ReferenceOr::Item(param) => {
                    parameter(schemas, param, &pointer);
                    Some(param)
                }
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/parameters/")
                    .map(unescape)
                    .and_then(|name| schemas.cx.api.components.as_ref()?.parameters.get(&name)?.as_item()),
            };
            let Some(param) = resolved else { continue };
            let data = param.parameter_data_ref();
            if !seen.insert((data.name.clone(), location(param))) {
                schemas.cx.report(rules::error(
                    rule,
                    pointer,
                    format!(
                        "the {} parameter `{}` is declared twice in this list: only the last one would count",
                        location(param),
                        data.name
                    ),
                    "remove one of the two declarations",
                ));
            }
        }
    }
}

/// One parameter definition (inline or in `components/parameters`).
pub(super) fn parameter<'a>(schemas: &mut Schemas<'_, 'a>, param: &'a Parameter, pointer: &str) {
    let data = param.parameter_data_ref();
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => schema,
        ParameterSchemaOrContent::Content(_) => {
            schemas.cx.unsupported(
                pointer,
                "a parameter described by `content` instead of `schema`",
                "describe the parameter with `schema`",
            );
            return;
        }
    };
    let schema_pointer = format!("{pointer}/schema");
    schemas.visit(RefOr::of(schema), &schema_pointer);
    let cx = &mut *schemas.cx;
    let name = &data.name;
    let style_error = match param {
        Parameter::Query { style, .. } if *style != QueryStyle::Form => Some("form"),
        Parameter::Path { style, .. } if *style != PathStyle::Simple => Some("simple"),
        Parameter::Cookie { .. } => {
            cx.unsupported(
                pointer,
                "`in: cookie` parameters",
                "send cookies through a custom HTTP client instead, or drop the parameter",
            );
            return;
        }
        _ => None,
    };
    if let Some(default) = style_error {
        cx.report(Diagnostic::new(
            format!("{pointer}/style"),
            format!("parameter `{name}` has a `style` the client does not send: it sends `style: {default}` (OpenAPI's default here)"),
            format!("drop `style` (or write `style: {default}`) if the server accepts that, or leave the parameter out of the spec"),
        ));
    }
    let sent = sendable(cx, RefOr::of(schema), &schema_pointer, location(param) == "path");
    if data.explode == Some(false) && matches!(param, Parameter::Query { .. }) && sent == Ok(true) {
        cx.report(Diagnostic::new(
            format!("{pointer}/explode"),
            format!("list parameter `{name}` has `explode: false` (`{name}=a,b`), but the client sends one pair per item (`{name}=a&{name}=b`)"),
            "drop `explode: false` if the server accepts repeated pairs; otherwise declare it a string the caller joins",
        ));
    }
    if let Err(what) = sent {
        cx.report(Diagnostic::new(
            schema_pointer,
            format!("the {} parameter `{name}` is {what}: the client cannot send that as a parameter", location(param)),
            "declare it a string (the caller formats the value), a number, a boolean, an enum or, outside the path, a list of these; an object belongs in the request body",
        ));
    }
    if matches!(param, Parameter::Path { .. }) && !data.required {
        cx.report(rules::warning(
            "OAS-4.7.12-path-required-true",
            format!("{pointer}/required"),
            format!("path parameter `{name}` is not `required`: a path parameter always is, so the client requires it"),
            "write `required: true`",
        ));
    }
    if data.deprecated == Some(true) {
        cx.report(Diagnostic::warning(
            format!("{pointer}/deprecated"),
            format!("parameter `{name}` is deprecated, but the client does not mark its argument or setter deprecated"),
            "say so in its `description` (the doc comment callers read), or drop the parameter",
        ));
    }
}

fn location(param: &Parameter) -> &'static str {
    match param {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Whether a value of this schema can be sent as a parameter: `Ok(true)` for a list, `Ok(false)`
/// for one value, else what it is instead.
fn sendable<'a>(cx: &mut Context<'a>, r: RefOr<'a>, pointer: &str, in_path: bool) -> Result<bool, &'static str> {
    let Some((p, s)) = cx.resolve(r, pointer) else {
        // Already reported where it does not resolve.
        return Ok(false);
    };
    let view = View::new(s);
    match cx.classify(&p, s) {
        Class::Enum | Class::Pattern => return Ok(false),
        Class::Struct | Class::Union | Class::KeyedUnion => return Err("an object"),
        Class::Inline => {}
    }
    let members: Vec<RefOr<'a>> = view.members().collect();
    if members.len() == 1 {
        return sendable(cx, members[0], &format!("{p}/{}/0", view.members_key()), in_path);
    }
    if let (Some(first), None) = (view.all_of.first(), view.typ) {
        return sendable(cx, *first, &format!("{p}/allOf/0"), in_path);
    }
    match view.typ {
        Some("string" | "integer" | "number" | "boolean") => Ok(false),
        Some("array") if in_path => Err("a list"),
        Some("array") => match view.items {
            Some(items) => match sendable(cx, items, &format!("{p}/items"), in_path) {
                Ok(false) => Ok(true),
                Ok(true) => Err("a list of lists"),
                Err(e) => Err(e),
            },
            None => Err("a list of values without a type"),
        },
        Some("object") => Err("an object"),
        // An unknown type is reported as such.
        Some(_) => Ok(false),
        None => Err("a value without a `type` (any JSON)"),
    }
}
