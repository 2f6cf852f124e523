//! Pass 3 for operations: paths, parameters, bodies, responses, versions and pagination.

use std::collections::BTreeMap;

use openapiv3::{ParameterSchemaOrContent, Schema};
use rustc_hash::FxHashMap as HashMap;

use super::atlas::{pagination, OPERATION_ID_OVERRIDE, STREAM_PIPELINE};
use super::check::binary_request_body;
use super::context::Context;
use super::doc;
use super::forms::Dir;
use super::idents::Namer;
use super::media::{is_binary, media_suffix};
use super::memo::Class;
use super::naming::Names;
use super::sites::{media, template_names, OpSite};
use super::types::TypeRefs;
use super::view::{RefOr, View};
use crate::diag::Diagnostic;
use crate::ir::{
    Body, BodyCheck, Field, Operation, Param, ParamLocation, ResponseKind, SuccessResponse, TypeDef, TypeKind, TypeRef,
};
use crate::load::rules;
use crate::{members, suggest};

/// Pass 3 for operations: converts every operation, in spec order. The types of pass 3 come
/// in as `types`: a list operation's pagination depends on its response struct's fields.
pub(super) fn convert<'a>(
    cx: &mut Context<'a>,
    sites: &[OpSite<'a>],
    names: &Names,
    types: &[TypeDef],
) -> Vec<Operation> {
    let structs: HashMap<&str, &[Field]> = types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Struct(s) => Some((def.name.as_str(), s.fields.as_slice())),
            _ => None,
        })
        .collect();
    let mut type_refs = TypeRefs::new(names);
    sites
        .iter()
        .map(|site| convert_one(cx, &mut type_refs, &structs, site))
        .collect()
}

/// Reports operations whose method names collide (after snake_case conversion).
pub(super) fn check_names(cx: &mut Context<'_>, ops: &[Operation]) {
    let mut seen: BTreeMap<&str, &Operation> = BTreeMap::new();
    for op in ops {
        if let Some(first) = seen.insert(&op.method_name, op) {
            if first.operation_id == op.operation_id {
                // The same operationId twice: the load stage reports it (OpenAPI 3.0.3 §4.7.10).
                continue;
            }
            cx.report(Diagnostic::new(
                format!("{}/operationId", op.origin),
                format!(
                    "operation `{}` and operation `{}` ({}) both become the method `{}`",
                    op.name, first.name, first.origin, op.method_name
                ),
                format!("give one of them a different `operationId` (or `{OPERATION_ID_OVERRIDE}`)"),
            ));
        }
    }
}

/// One operation, in the order its parts were always converted (parameters, path template,
/// body, response, errors), which is the order its diagnostics come out in.
fn convert_one<'a>(
    cx: &mut Context<'a>,
    type_refs: &mut TypeRefs<'_>,
    structs: &HashMap<&str, &[Field]>,
    site: &OpSite<'a>,
) -> Operation {
    let name = site.name();
    let mut params = params(cx, type_refs, site);
    check_path_template(cx, site, &mut params);
    let mut versions = Vec::new();
    let body = body(cx, type_refs, site, &mut versions);
    let response = response(cx, type_refs, site, &mut versions);
    versions.sort();
    versions.dedup();
    let errors = site.error_responses(cx);
    let fields = match &response.kind {
        ResponseKind::Json(TypeRef::Named(name)) => structs.get(name.as_str()).copied().unwrap_or_default(),
        _ => &[],
    };
    let pagination = pagination(&params, &response.kind, fields);
    let body_checks = body_checks(cx, type_refs, site);
    let op = site.op;
    Operation {
        method_name: method_name(cx, &name),
        builder_name: builder_name(cx, &name),
        operation_id: op.operation_id.clone().unwrap_or_else(|| name.clone()),
        name,
        summary: doc::clean(op.summary.as_deref()),
        doc: doc::clean(op.description.as_deref()),
        deprecated: op.deprecated,
        method: site.method,
        path: site.path.to_owned(),
        params,
        body,
        response,
        default_version: versions.last().cloned(),
        versions,
        errors,
        pagination,
        body_checks,
        origin: site.pointer.clone(),
    }
}

/// What the runtime checks in the request body before sending it: each property of the body
/// marked `x-stream-pipeline: true` (whether the mark fits is judged by `check`).
fn body_checks<'a>(cx: &mut Context<'a>, type_refs: &mut TypeRefs<'_>, site: &OpSite<'a>) -> Vec<BodyCheck> {
    let Some((body, pointer)) = site.request_body(cx) else {
        return Vec::new();
    };
    let Some((_, Some(schema), media_pointer)) = media(&body.content, &pointer).chosen else {
        return Vec::new();
    };
    let Some((body_pointer, body_schema)) = cx.resolve(schema, &format!("{media_pointer}/schema")) else {
        return Vec::new();
    };
    if cx.classify(&body_pointer, body_schema) != Class::Struct {
        return Vec::new();
    }
    let marked = |s: &Schema| s.schema_data.extensions.get(STREAM_PIPELINE) == Some(&serde_json::Value::Bool(true));
    let mut checks = Vec::new();
    for prop in cx.struct_props(&body_pointer, body_schema) {
        // The mark may be on the property or on the schema it refers to.
        let Some((list_pointer, list)) = cx.resolve(prop.schema, &prop.pointer) else {
            continue;
        };
        if !(matches!(prop.schema, RefOr::Item(s) if marked(s)) || marked(list)) {
            continue;
        }
        // The stages' type (a key-tagged union, or `check` reports the mark): the runtime asks
        // it whether each stage fits.
        let items = View::new(list).items;
        let stage = items.map(|items| type_refs.type_ref(cx, items, &format!("{list_pointer}/items"), Dir::Request));
        if let Some(TypeRef::Named(stage)) = stage {
            let at = format!("/{}", crate::locate::escape_segment(&prop.wire));
            checks.push(BodyCheck::StreamPipeline { at, stage });
        }
    }
    checks
}

/// The operation's path, query and header parameters, in spec order.
fn params<'a>(cx: &mut Context<'a>, type_refs: &mut TypeRefs<'_>, site: &OpSite<'a>) -> Vec<Param> {
    let mut params = Vec::new();
    // Parameter names are unique in the builder and never take one of its own members.
    let mut param_names = Namer::with_taken(members::builder::ALL);
    for param in site.params(cx) {
        let data = param.data;
        let (ty, validated) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let inline = format!("{}/schema", param.pointer);
                let validated = match cx.resolve(RefOr::of(schema), &inline) {
                    Some((p, s)) => cx.classify(&p, s) == Class::Pattern,
                    None => false,
                };
                (
                    sent_as_text(type_refs.type_ref(cx, RefOr::of(schema), &inline, Dir::Request)),
                    validated,
                )
            }
            ParameterSchemaOrContent::Content(_) => {
                cx.unsupported(
                    &param.pointer,
                    "a parameter described by `content` instead of `schema`",
                    "describe the parameter with `schema`",
                );
                continue;
            }
        };
        let location = match param.location {
            "path" => ParamLocation::Path,
            "query" => ParamLocation::Query,
            "header" => ParamLocation::Header,
            other => {
                cx.unsupported(
                    &param.pointer,
                    &format!("`in: {other}` parameters"),
                    "send cookies through a custom HTTP client instead, or drop the parameter",
                );
                continue;
            }
        };
        let mut doc = doc::clean(data.description.as_deref());
        if ty == TypeRef::String
            && matches!(&data.format, ParameterSchemaOrContent::Schema(s) if is_date_time(cx, s, &param.pointer))
        {
            doc = Some(format!(
                "{}An RFC 3339 date-time, e.g. `2024-05-06T07:08:09Z`.",
                doc.map_or_else(String::new, |d| format!("{d}\n\n"))
            ));
        }
        params.push(Param {
            location,
            name: param_names.claim(&cx.idents.field_name(&data.name)),
            wire_name: data.name.clone(),
            ty,
            required: data.required || param.location == "path",
            validated,
            doc,
        });
    }
    params
}

/// A parameter's type as the client takes it. A date-time parameter is the RFC 3339 text the
/// caller passes: the runtime writes a parameter with `Display`, and a date-time's `Display` is
/// not RFC 3339 (`2024-05-06 07:08:09 UTC`), so a typed one would be sent wrongly.
fn sent_as_text(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::DateTime => TypeRef::String,
        TypeRef::List(item) if *item == TypeRef::DateTime => TypeRef::List(Box::new(TypeRef::String)),
        other => other,
    }
}

/// Whether a parameter's schema is a `date-time` string (or a list of them).
fn is_date_time<'a>(
    cx: &mut Context<'a>,
    schema: &'a openapiv3::ReferenceOr<openapiv3::Schema>,
    pointer: &str,
) -> bool {
    let Some((_, s)) = cx.resolve(RefOr::of(schema), &format!("{pointer}/schema")) else {
        return false;
    };
    let view = super::view::View::new(s);
    let item = match (view.typ, view.items) {
        (Some("array"), Some(items)) => cx.resolve(items, &format!("{pointer}/schema/items")).map(|(_, s)| s),
        _ => Some(s),
    };
    item.is_some_and(|s| super::view::View::new(s).format == Some("date-time"))
}

/// The request body, if it has a JSON schema; adds its documented versions to `versions`.
fn body<'a>(
    cx: &mut Context<'a>,
    type_refs: &mut TypeRefs<'_>,
    site: &OpSite<'a>,
    versions: &mut Vec<String>,
) -> Option<Body> {
    let (body, pointer) = site.request_body(cx)?;
    let found = media(&body.content, &pointer);
    versions.extend(found.versions);
    match found.chosen {
        Some((media_type, _, media_pointer)) if is_binary(media_type) => {
            cx.report(binary_request_body(media_type, &media_pointer));
            None
        }
        Some((_, Some(schema), media_pointer)) => Some(Body {
            ty: type_refs.type_ref(cx, schema, &format!("{media_pointer}/schema"), Dir::Request),
            required: body.required,
            doc: doc::clean(body.description.as_deref()),
        }),
        _ => None,
    }
}

/// What a success returns; adds the response's documented versions to `versions`.
fn response<'a>(
    cx: &mut Context<'a>,
    type_refs: &mut TypeRefs<'_>,
    site: &OpSite<'a>,
    versions: &mut Vec<String>,
) -> SuccessResponse {
    let Some((status, response, pointer)) = site.success_response(cx) else {
        return SuccessResponse {
            status: 200,
            media_suffix: "json".to_owned(),
            kind: ResponseKind::Empty,
        };
    };
    let found = media(&response.content, &pointer);
    versions.extend(found.versions);
    let media_suffix = found
        .chosen
        .as_ref()
        .map_or_else(|| "json".to_owned(), |(m, _, _)| media_suffix(m));
    let kind = match found.chosen {
        Some((media_type, _, _)) if is_binary(media_type) => ResponseKind::Binary,
        Some((_, Some(schema), media_pointer)) => {
            ResponseKind::Json(type_refs.type_ref(cx, schema, &format!("{media_pointer}/schema"), Dir::Response))
        }
        _ => ResponseKind::Empty,
    };
    SuccessResponse {
        status,
        media_suffix,
        kind,
    }
}

/// Every `{name}` in the path has a path parameter, and every path parameter a `{name}`;
/// parameters end up ordered: path ones (in template order), required others, optional others.
fn check_path_template(cx: &mut Context<'_>, site: &OpSite<'_>, params: &mut [Param]) {
    let names = template_names(site.path);
    let (opens, closes) = (site.path.matches('{').count(), site.path.matches('}').count());
    let balanced = opens == closes && opens == names.len();
    if !balanced {
        cx.report(Diagnostic::new(
            site.pointer
                .rsplit_once('/')
                .map_or(site.pointer.as_str(), |(path, _)| path),
            format!("the path template `{}` has an unbalanced `{{` or `}}`", site.path),
            "write every path parameter as `{name}`, with both braces",
        ));
    }
    let declared: Vec<&str> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.wire_name.as_str())
        .collect();
    for name in names.iter().filter(|_| balanced) {
        if !params
            .iter()
            .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
        {
            cx.report(rules::error(
                "OAS-3.2-template-parameter",
                format!("{}/parameters", site.pointer),
                format!("the path `{}` has `{{{name}}}` but the operation declares no path parameter `{name}`", site.path),
                format!(
                    "{}add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to the operation's parameters",
                    suggest::did_you_mean(name, declared.iter().copied())
                ),
            ));
        }
    }
    for param in params.iter().filter(|p| p.location == ParamLocation::Path && balanced) {
        if !names.contains(&param.wire_name) {
            cx.report(rules::error(
                "OAS-4.7.12-path-name-in-template",
                format!("{}/parameters", site.pointer),
                format!(
                    "path parameter `{}` does not appear in the path `{}`",
                    param.wire_name, site.path
                ),
                format!(
                    "{}add `{{{}}}` to the path, or declare the parameter `in: query`",
                    suggest::did_you_mean(&param.wire_name, names.iter().map(String::as_str)),
                    param.wire_name
                ),
            ));
        }
    }
    params.sort_by_key(|p| match p.location {
        ParamLocation::Path => (0, names.iter().position(|n| *n == p.wire_name)),
        _ if p.required => (1, None),
        _ => (2, None),
    });
}

/// The request builder of an operation (in `builders`), which also names the operation's input
/// struct in `mocks`, beside what that module re-exports (`Rule`, `MockError`, ...): an
/// operation named like one of those gets a builder named `…Request` (`RuleRequest`).
fn builder_name(cx: &mut Context<'_>, operation: &str) -> String {
    let name = cx.idents.type_name(operation);
    if members::mocks::RUNTIME_EXPORTS.contains(&name.as_str()) {
        format!("{name}Request")
    } else {
        name
    }
}

/// The client method of an operation; one the `Client` already has gets an `_operation` suffix.
fn method_name(cx: &mut Context<'_>, operation: &str) -> String {
    let name = cx.idents.field_name(operation);
    if members::client::ALL.contains(&name.as_str()) {
        format!("{name}_operation")
    } else {
        name
    }
}
