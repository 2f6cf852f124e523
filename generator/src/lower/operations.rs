//! Pass 3 for operations: paths, parameters, bodies, responses and versions.

use std::collections::BTreeMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, StatusCode};

use super::doc;
use super::naming::{field_name, type_name, Namer};
use super::view::RefOr;
use super::{Class, Dir, Lowerer};
use crate::diag::Diagnostic;
use crate::ir::{
    Body, Integer, Method, Operation, PageTotal, Pagination, Param, ParamLocation, ResponseKind, SuccessResponse,
    TypeRef,
};
use crate::locate::escape_segment;
use crate::members;

/// An operation as found in the spec.
pub(super) struct OpSite<'a> {
    path: &'a str,
    method: Method,
    item: &'a PathItem,
    op: &'a openapiv3::Operation,
    pointer: String,
}

/// A parameter after `$ref` resolution.
struct ParamSite<'a> {
    data: &'a openapiv3::ParameterData,
    location: &'static str,
    pointer: String,
}

/// The media types of a body, with the one to generate from.
struct Media<'a> {
    /// Every documented version, oldest first.
    versions: Vec<String>,
    /// The chosen media type name and its schema (newest version).
    chosen: Option<(&'a str, Option<RefOr<'a>>, String)>,
}

impl<'a> Lowerer<'a> {
    /// Every operation of every path, in spec order.
    pub(super) fn collect_operations(&mut self) -> Vec<OpSite<'a>> {
        let mut out = Vec::new();
        for (path, item) in &self.api.paths.paths {
            let path_pointer = format!("#/paths/{}", escape_segment(path));
            let ReferenceOr::Item(item) = item else {
                self.unsupported(
                    &path_pointer,
                    "a `$ref` path item",
                    "inline the path item under `paths`",
                );
                continue;
            };
            let methods = [
                (Method::Get, &item.get, "get"),
                (Method::Put, &item.put, "put"),
                (Method::Post, &item.post, "post"),
                (Method::Delete, &item.delete, "delete"),
                (Method::Options, &item.options, "options"),
                (Method::Head, &item.head, "head"),
                (Method::Patch, &item.patch, "patch"),
                (Method::Trace, &item.trace, "trace"),
            ];
            for (method, op, key) in methods {
                if let Some(op) = op {
                    out.push(OpSite {
                        path,
                        method,
                        item,
                        op,
                        pointer: format!("{path_pointer}/{key}"),
                    });
                }
            }
        }
        out
    }

    /// Pass 1 for one operation: visits the schemas of its parameters, body and success body.
    pub(super) fn discover_operation(&mut self, site: &OpSite<'a>) {
        for param in self.params(site) {
            if let ParameterSchemaOrContent::Schema(schema) = &param.data.format {
                let hint = type_name(&param.data.name);
                self.visit(
                    RefOr::of(schema),
                    &format!("{}/schema", param.pointer),
                    &hint,
                    Dir::Request,
                );
            }
        }
        let builder = builder_name(&operation_name(site));
        if let Some((body, pointer)) = self.request_body(site) {
            if let Some((_, Some(schema), media_pointer)) = media(&body.content, &pointer).chosen {
                self.visit(
                    schema,
                    &format!("{media_pointer}/schema"),
                    &format!("{builder}Body"),
                    Dir::Request,
                );
            }
        }
        if let Some((_, response, pointer)) = self.success_response(site) {
            if let Some((_, Some(schema), media_pointer)) = media(&response.content, &pointer).chosen {
                self.visit(
                    schema,
                    &format!("{media_pointer}/schema"),
                    &format!("{builder}Response"),
                    Dir::Response,
                );
            }
        }
    }

    /// Pass 3 for one operation.
    pub(super) fn convert_operation(&mut self, site: &OpSite<'a>) -> Option<Operation> {
        let name = operation_name(site);
        let mut params = Vec::new();
        // Parameter names are unique in the builder and never take one of its own members.
        let mut param_names = Namer::with_taken(members::builder::ALL);
        for param in self.params(site) {
            let data = param.data;
            let (ty, validated) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let inline = format!("{}/schema", param.pointer);
                    let validated = match self.resolve(RefOr::of(schema), &inline) {
                        Some((p, s)) => self.classify(&p, s) == Class::Pattern,
                        None => false,
                    };
                    (self.type_ref(RefOr::of(schema), &inline, Dir::Request), validated)
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.unsupported(
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
                    self.unsupported(
                        &param.pointer,
                        &format!("`in: {other}` parameters"),
                        "send cookies through a custom HTTP client instead, or drop the parameter",
                    );
                    continue;
                }
            };
            params.push(Param {
                location,
                name: param_names.claim(&field_name(&data.name)),
                wire_name: data.name.clone(),
                ty,
                required: data.required || param.location == "path",
                validated,
                doc: doc::clean(data.description.as_deref()),
            });
        }
        self.check_path_template(site, &mut params);

        let mut versions = Vec::new();
        let body = match self.request_body(site) {
            Some((body, pointer)) => {
                let found = media(&body.content, &pointer);
                versions.extend(found.versions);
                match found.chosen {
                    Some((media_type, _, media_pointer)) if is_binary(media_type) => {
                        self.unsupported(
                            &media_pointer,
                            &format!("a `{media_type}` request body (only JSON bodies can be sent)"),
                            "describe the body as `application/json` (or a vendor `+json` type), or leave this operation out of the spec",
                        );
                        None
                    }
                    Some((_, Some(schema), media_pointer)) => Some(Body {
                        ty: self.type_ref(schema, &format!("{media_pointer}/schema"), Dir::Request),
                        required: body.required,
                        doc: doc::clean(body.description.as_deref()),
                    }),
                    _ => None,
                }
            }
            None => None,
        };
        let response = match self.success_response(site) {
            Some((status, response, pointer)) => {
                let found = media(&response.content, &pointer);
                versions.extend(found.versions);
                let media_suffix = found
                    .chosen
                    .as_ref()
                    .map_or("json", |(m, _, _)| media_suffix(m))
                    .to_owned();
                let kind = match found.chosen {
                    Some((media_type, _, _)) if is_binary(media_type) => ResponseKind::Binary,
                    Some((_, Some(schema), media_pointer)) => {
                        ResponseKind::Json(self.type_ref(schema, &format!("{media_pointer}/schema"), Dir::Response))
                    }
                    _ => ResponseKind::Empty,
                };
                SuccessResponse {
                    status,
                    media_suffix,
                    kind,
                }
            }
            None => SuccessResponse {
                status: 200,
                media_suffix: "json".to_owned(),
                kind: ResponseKind::Empty,
            },
        };
        versions.sort();
        versions.dedup();
        let errors = self.error_responses(site);
        let pagination = pagination(&params, &response.kind, self.struct_fields_of(&response.kind));
        let op = site.op;
        Some(Operation {
            method_name: method_name(&name),
            builder_name: builder_name(&name),
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
            origin: site.pointer.clone(),
        })
    }

    /// Reports method names that collide (after snake_case conversion).
    pub(super) fn check_operation_names(&mut self, ops: &[Operation]) {
        let mut seen: BTreeMap<&str, &Operation> = BTreeMap::new();
        for op in ops {
            if let Some(first) = seen.insert(&op.method_name, op) {
                self.report(Diagnostic::new(
                    format!("{}/operationId", op.origin),
                    format!(
                        "operation `{}` and operation `{}` ({}) both become the method `{}`",
                        op.name, first.name, first.origin, op.method_name
                    ),
                    "give one of them a different `operationId` (or `x-xgen-operation-id-override`)",
                ));
            }
        }
    }

    /// Path-item and operation parameters, resolved; the operation's win on (name, in).
    fn params(&mut self, site: &OpSite<'a>) -> Vec<ParamSite<'a>> {
        let item_pointer = site
            .pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_owned())
            .unwrap_or_default();
        let mut out: Vec<ParamSite<'a>> = Vec::new();
        let lists = [
            (&site.item.parameters, item_pointer),
            (&site.op.parameters, site.pointer.clone()),
        ];
        for (list, base) in lists {
            for (i, param) in list.iter().enumerate() {
                let Some(found) = self.resolve_param(param, &format!("{base}/parameters/{i}")) else {
                    continue;
                };
                out.retain(|p| !(p.data.name == found.data.name && p.location == found.location));
                out.push(found);
            }
        }
        out
    }

    fn resolve_param(&mut self, param: &'a ReferenceOr<Parameter>, site: &str) -> Option<ParamSite<'a>> {
        let api = self.api;
        let mut current = param;
        let mut pointer = site.to_owned();
        // A parameter component may itself be a `$ref` to another one: follow the chain.
        for _ in 0..16 {
            let reference = match current {
                ReferenceOr::Item(found) => return Some(param_site(found, pointer)),
                ReferenceOr::Reference { reference } => reference,
            };
            let name = reference.strip_prefix("#/components/parameters/").map(super::unescape);
            let found = name
                .as_ref()
                .and_then(|n| api.components.as_ref()?.parameters.get(n).map(|p| (p, n)));
            match found {
                Some((next, n)) => {
                    current = next;
                    pointer = format!("#/components/parameters/{}", escape_segment(n));
                }
                None => {
                    self.report(Diagnostic::new(
                        format!("{pointer}/$ref"),
                        format!("`$ref: '{reference}'` does not resolve to a parameter in `components/parameters`"),
                        "define the parameter under `components/parameters` or fix the reference",
                    ));
                    return None;
                }
            }
        }
        self.report(Diagnostic::new(
            site,
            "this parameter is a chain of `$ref`s that never reaches a parameter (or is a cycle)",
            "make one parameter in the chain a real parameter",
        ));
        None
    }
}

/// A resolved parameter with where it goes.
fn param_site(param: &Parameter, pointer: String) -> ParamSite<'_> {
    let location = match param {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    };
    ParamSite {
        data: param.parameter_data_ref(),
        location,
        pointer,
    }
}

impl<'a> Lowerer<'a> {
    /// Every `{name}` in the path has a path parameter, and every path parameter a `{name}`;
    /// parameters end up ordered: path ones (in template order), required others, optional others.
    fn check_path_template(&mut self, site: &OpSite<'a>, params: &mut [Param]) {
        let names = template_names(site.path);
        let (opens, closes) = (site.path.matches('{').count(), site.path.matches('}').count());
        if opens != closes || opens != names.len() {
            self.report(Diagnostic::new(
                site.pointer
                    .rsplit_once('/')
                    .map_or(site.pointer.as_str(), |(path, _)| path),
                format!("the path template `{}` has an unbalanced `{{` or `}}`", site.path),
                "write every path parameter as `{name}`, with both braces",
            ));
        }
        for name in &names {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
            {
                self.report(Diagnostic::new(
                    format!("{}/parameters", site.pointer),
                    format!("the path `{}` has `{{{name}}}` but the operation declares no path parameter `{name}`", site.path),
                    format!("add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to the operation's parameters"),
                ));
            }
        }
        for param in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !names.contains(&param.wire_name) {
                self.report(Diagnostic::new(
                    format!("{}/parameters", site.pointer),
                    format!(
                        "path parameter `{}` does not appear in the path `{}`",
                        param.wire_name, site.path
                    ),
                    format!(
                        "add `{{{}}}` to the path, or declare the parameter `in: query`",
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

    fn request_body(&mut self, site: &OpSite<'a>) -> Option<(&'a RequestBody, String)> {
        let pointer = format!("{}/requestBody", site.pointer);
        match site.op.request_body.as_ref()? {
            ReferenceOr::Item(body) => Some((body, pointer)),
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/requestBodies/")
                    .map(super::unescape);
                let found = name
                    .as_ref()
                    .and_then(|n| self.api.components.as_ref()?.request_bodies.get(n)?.as_item());
                if found.is_none() {
                    self.report(Diagnostic::new(
                        format!("{pointer}/$ref"),
                        format!(
                            "`$ref: '{reference}'` does not resolve to a request body in `components/requestBodies`"
                        ),
                        "define the request body under `components/requestBodies` or fix the reference",
                    ));
                }
                Some((
                    found?,
                    format!("#/components/requestBodies/{}", escape_segment(name.as_deref()?)),
                ))
            }
        }
    }

    /// The lowest documented 2xx response.
    fn success_response(&mut self, site: &OpSite<'a>) -> Option<(u16, &'a Response, String)> {
        let (status, response) = site
            .op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c @ 200..=299) => Some((*c, r)),
                StatusCode::Range(2) => Some((200, r)),
                _ => None,
            })
            .min_by_key(|(c, _)| *c)?;
        let pointer = format!("{}/responses/{status}", site.pointer);
        let (response, pointer) = self.resolve_response(response, pointer)?;
        Some((status, response, pointer))
    }

    fn resolve_response(
        &mut self,
        response: &'a ReferenceOr<Response>,
        pointer: String,
    ) -> Option<(&'a Response, String)> {
        match response {
            ReferenceOr::Item(r) => Some((r, pointer)),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/responses/").map(super::unescape);
                let found = name
                    .as_ref()
                    .and_then(|n| self.api.components.as_ref()?.responses.get(n)?.as_item());
                match (found, name) {
                    (Some(r), Some(n)) => Some((r, format!("#/components/responses/{}", escape_segment(&n)))),
                    _ => {
                        self.report(Diagnostic::new(
                            format!("{pointer}/$ref"),
                            format!("`$ref: '{reference}'` does not resolve to a response in `components/responses`"),
                            "define the response under `components/responses` or fix the reference",
                        ));
                        None
                    }
                }
            }
        }
    }

    /// The fields of a JSON response's struct (empty for anything else).
    fn struct_fields_of(&self, kind: &ResponseKind) -> &[crate::ir::Field] {
        match kind {
            ResponseKind::Json(TypeRef::Named(name)) => self.struct_fields.get(name).map_or(&[], Vec::as_slice),
            _ => &[],
        }
    }

    /// Documented error statuses (4xx, 5xx, ranges, default) and their descriptions.
    fn error_responses(&mut self, site: &OpSite<'a>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (code, response) in &site.op.responses.responses {
            let status = match code {
                StatusCode::Code(c) if *c >= 400 => c.to_string(),
                StatusCode::Range(r) if *r >= 4 => format!("{r}XX"),
                _ => continue,
            };
            let pointer = format!("{}/responses/{status}", site.pointer);
            if let Some((r, _)) = self.resolve_response(response, pointer) {
                out.push((status, r.description.trim().trim_end_matches('.').to_owned()));
            }
        }
        if let Some(default) = &site.op.responses.default {
            if let Some((r, _)) = self.resolve_response(default, format!("{}/responses/default", site.pointer)) {
                out.push((
                    "default".to_owned(),
                    r.description.trim().trim_end_matches('.').to_owned(),
                ));
            }
        }
        out
    }
}

/// The short operation name: `x-xgen-operation-id-override`, else `operationId`, else one made
/// from the method and path.
fn operation_name(site: &OpSite<'_>) -> String {
    if let Some(serde_json::Value::String(short)) = site.op.extensions.get("x-xgen-operation-id-override") {
        return short.clone();
    }
    if let Some(id) = &site.op.operation_id {
        return id.clone();
    }
    format!("{} {}", site.method.as_str().to_lowercase(), site.path)
}

fn builder_name(operation: &str) -> String {
    type_name(operation)
}

/// The client method of an operation; one the `Client` already has gets an `_operation` suffix.
fn method_name(operation: &str) -> String {
    let name = field_name(operation);
    if members::client::ALL.contains(&name.as_str()) {
        format!("{name}_operation")
    } else {
        name
    }
}

/// `{name}` placeholders of a path template, in order.
fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + end].to_owned());
        rest = &rest[start + end + 1..];
    }
    names
}

/// The API version in a vendor media type: `application/vnd.atlas.2023-02-01+json` -> `2023-02-01`.
fn media_version(media_type: &str) -> Option<String> {
    let vendor = media_type.strip_prefix("application/vnd.")?;
    let before_suffix = vendor.split('+').next()?;
    let version = before_suffix.rsplit('.').next()?;
    let is_date = version.len() == 10
        && version
            .chars()
            .enumerate()
            .all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    is_date.then(|| version.to_owned())
}

/// What a media type's `+suffix` (or subtype) says the body is: `json`, `gzip`, `csv`, ...
fn media_suffix(media_type: &str) -> &str {
    match media_type.rsplit_once('+') {
        Some((_, suffix)) => suffix,
        None => media_type.rsplit('/').next().unwrap_or("json"),
    }
}

/// The page-walking convention of the Atlas Admin API: a `pageNum` query parameter and a
/// response object with a `results` list (and usually `totalCount`).
const PAGE_PARAM: &str = "pageNum";
const ITEMS_FIELD: &str = "results";
const TOTAL_FIELD: &str = "totalCount";

/// Recognizes a paginated list operation from its parameters and its response's fields. The
/// page number must be an integer (the runtime counts pages in `i64`), as must a total count.
fn pagination(params: &[Param], kind: &ResponseKind, fields: &[crate::ir::Field]) -> Option<Pagination> {
    let ResponseKind::Json(TypeRef::Named(_)) = kind else {
        return None;
    };
    let page = params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.wire_name == PAGE_PARAM && !p.required)?;
    let page_type = integer(&page.ty)?;
    let items = fields.iter().find(|f| f.wire_name == ITEMS_FIELD)?;
    let TypeRef::List(item) = &items.ty else { return None };
    let total = fields
        .iter()
        .find_map(|f| Some((f, integer(&f.ty)?)).filter(|(f, _)| f.wire_name == TOTAL_FIELD));
    Some(Pagination {
        page_param: page.name.clone(),
        page_type,
        items_field: items.name.clone(),
        items_presence: items.presence,
        total: total.map(|(t, ty)| PageTotal {
            field: t.name.clone(),
            ty,
            presence: t.presence,
        }),
        item: (**item).clone(),
    })
}

/// The integer type of a page number or total count; `None` for any other type.
fn integer(ty: &TypeRef) -> Option<Integer> {
    match ty {
        TypeRef::I32 => Some(Integer::I32),
        TypeRef::I64 => Some(Integer::I64),
        _ => None,
    }
}

fn is_binary(media_type: &str) -> bool {
    !(media_type.ends_with("+json") || media_type == "application/json" || media_type.ends_with("/json"))
}

/// Picks the media type to generate from: the newest documented version (several versions of
/// one operation share a schema in this API), else the first JSON one, else the first.
fn media<'a>(content: &'a indexmap::IndexMap<String, openapiv3::MediaType>, pointer: &str) -> Media<'a> {
    let mut versions: Vec<String> = content.keys().filter_map(|m| media_version(m)).collect();
    versions.sort();
    let newest = versions.last().cloned();
    let chosen = content
        .iter()
        .max_by_key(|(name, _)| (media_version(name) == newest && newest.is_some(), !is_binary(name)))
        .map(|(name, media)| {
            let schema = media.schema.as_ref().map(RefOr::of);
            (
                name.as_str(),
                schema,
                format!("{pointer}/content/{}", escape_segment(name)),
            )
        });
    Media { versions, chosen }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_vendor_media_types() {
        assert_eq!(
            media_version("application/vnd.atlas.2023-02-01+json").as_deref(),
            Some("2023-02-01")
        );
        assert_eq!(
            media_version("application/vnd.atlas.2024-05-30+gzip").as_deref(),
            Some("2024-05-30")
        );
        assert_eq!(media_version("application/json"), None);
        assert_eq!(media_version("application/vnd.atlas.latest+json"), None);
    }

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{groupId}/b/{name}:start"), vec!["groupId", "name"]);
    }
}
