//! Operations as the spec writes them: every operation of every path, and its parameters,
//! bodies and responses with their `$ref`s resolved. Discovery (pass 1) and conversion
//! (pass 3) both read operations through these.

use indexmap::IndexMap;
use openapiv3::{Components, MediaType, Parameter, PathItem, ReferenceOr, RequestBody, Response, StatusCode};

use super::atlas::{media_version, OPERATION_ID_OVERRIDE};
use super::context::Context;
use super::media::is_binary;
use super::pointer::unescape;
use super::view::RefOr;
use crate::diag::Diagnostic;
use crate::ir::Method;
use crate::load::RESERVED_HEADERS;
use crate::locate::escape_segment;

/// An operation as found in the spec.
pub(super) struct OpSite<'a> {
    /// The path template.
    pub path: &'a str,
    /// The HTTP method.
    pub method: Method,
    item: &'a PathItem,
    /// The operation.
    pub op: &'a openapiv3::Operation,
    /// The operation's JSON pointer.
    pub pointer: String,
}

/// A parameter after `$ref` resolution.
pub(super) struct ParamSite<'a> {
    /// The parameter.
    pub data: &'a openapiv3::ParameterData,
    /// `in`: `path`, `query`, `header` or `cookie`.
    pub location: &'static str,
    /// The parameter's JSON pointer.
    pub pointer: String,
}

/// The media types of a body, with the one to generate from.
pub(super) struct Media<'a> {
    /// Every documented version, oldest first.
    pub versions: Vec<String>,
    /// The chosen media type, its schema and its pointer (the newest version).
    pub chosen: Option<(&'a str, Option<RefOr<'a>>, String)>,
}

/// Every operation of every path, in spec order.
pub(super) fn collect<'a>(cx: &mut Context<'a>) -> Vec<OpSite<'a>> {
    let mut out = Vec::new();
    for (path, item) in &cx.api.paths.paths {
        let path_pointer = format!("#/paths/{}", escape_segment(path));
        let ReferenceOr::Item(item) = item else {
            cx.unsupported(
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

impl<'a> OpSite<'a> {
    /// The path item the operation belongs to.
    pub fn item(&self) -> &'a PathItem {
        self.item
    }

    /// The short operation name: `x-xgen-operation-id-override`, else `operationId`, else one
    /// made from the method and path.
    pub fn name(&self) -> String {
        if let Some(serde_json::Value::String(short)) = self.op.extensions.get(OPERATION_ID_OVERRIDE) {
            return short.clone();
        }
        if let Some(id) = &self.op.operation_id {
            return id.clone();
        }
        format!("{} {}", self.method.as_str().to_lowercase(), self.path)
    }

    /// Path-item and operation parameters, resolved; the operation's win on (name, in).
    pub fn params(&self, cx: &mut Context<'a>) -> Vec<ParamSite<'a>> {
        let item_pointer = self
            .pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_owned())
            .unwrap_or_default();
        let mut out: Vec<ParamSite<'a>> = Vec::new();
        let lists = [
            (&self.item.parameters, item_pointer),
            (&self.op.parameters, self.pointer.clone()),
        ];
        for (list, base) in lists {
            for (i, param) in list.iter().enumerate() {
                let Some(found) = resolve_param(cx, param, &format!("{base}/parameters/{i}")) else {
                    continue;
                };
                // OpenAPI 3.0.3 §4.7.12: these header parameters SHALL be ignored (the client
                // sets them itself); the load stage warns about each.
                if found.location == "header"
                    && RESERVED_HEADERS
                        .iter()
                        .any(|h| h.eq_ignore_ascii_case(&found.data.name))
                {
                    continue;
                }
                out.retain(|p| !(p.data.name == found.data.name && p.location == found.location));
                out.push(found);
            }
        }
        out
    }

    /// The request body, resolved, with its pointer.
    pub fn request_body(&self, cx: &mut Context<'a>) -> Option<(&'a RequestBody, String)> {
        let body = self.op.request_body.as_ref()?;
        let section = Section {
            name: "requestBodies",
            kind: "request body",
            of: |c| &c.request_bodies,
        };
        resolve_component(cx, body, format!("{}/requestBody", self.pointer), &section)
    }

    /// The lowest documented 2xx response: its status, the response and its pointer.
    pub fn success_response(&self, cx: &mut Context<'a>) -> Option<(u16, &'a Response, String)> {
        let (status, response) = self
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
        let pointer = format!("{}/responses/{status}", self.pointer);
        let (response, pointer) = resolve_response(cx, response, pointer)?;
        Some((status, response, pointer))
    }

    /// Documented error statuses (4xx, 5xx, ranges, default) and their descriptions.
    pub fn error_responses(&self, cx: &mut Context<'a>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (code, response) in &self.op.responses.responses {
            let status = match code {
                StatusCode::Code(c) if *c >= 400 => c.to_string(),
                StatusCode::Range(r) if *r >= 4 => format!("{r}XX"),
                _ => continue,
            };
            let pointer = format!("{}/responses/{status}", self.pointer);
            if let Some((r, _)) = resolve_response(cx, response, pointer) {
                out.push((status, r.description.trim().trim_end_matches('.').to_owned()));
            }
        }
        if let Some(default) = &self.op.responses.default {
            if let Some((r, _)) = resolve_response(cx, default, format!("{}/responses/default", self.pointer)) {
                out.push((
                    "default".to_owned(),
                    r.description.trim().trim_end_matches('.').to_owned(),
                ));
            }
        }
        out
    }
}

/// Resolves a parameter, following a chain of `$ref`s to `components/parameters`.
fn resolve_param<'a>(cx: &mut Context<'a>, param: &'a ReferenceOr<Parameter>, site: &str) -> Option<ParamSite<'a>> {
    let api = cx.api;
    let mut current = param;
    let mut pointer = site.to_owned();
    // A parameter component may itself be a `$ref` to another one: follow the chain.
    for _ in 0..16 {
        let reference = match current {
            ReferenceOr::Item(found) => return Some(param_site(found, pointer)),
            ReferenceOr::Reference { reference } => reference,
        };
        let name = reference.strip_prefix("#/components/parameters/").map(unescape);
        let found = name
            .as_ref()
            .and_then(|n| api.components.as_ref()?.parameters.get(n).map(|p| (p, n)));
        match found {
            Some((next, n)) => {
                current = next;
                pointer = format!("#/components/parameters/{}", escape_segment(n));
            }
            None => {
                cx.report(Diagnostic::new(
                    format!("{pointer}/$ref"),
                    format!("`$ref: '{reference}'` does not resolve to a parameter in `components/parameters`"),
                    "define the parameter under `components/parameters` or fix the reference",
                ));
                return None;
            }
        }
    }
    cx.report(Diagnostic::new(
        site,
        "this parameter is a chain of `$ref`s that never reaches a parameter (or is a cycle)",
        "make one parameter in the chain a real parameter",
    ));
    None
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

/// A response, resolved, with its pointer.
pub(super) fn resolve_response<'a>(
    cx: &mut Context<'a>,
    response: &'a ReferenceOr<Response>,
    pointer: String,
) -> Option<(&'a Response, String)> {
    let section = Section {
        name: "responses",
        kind: "response",
        of: |c| &c.responses,
    };
    resolve_component(cx, response, pointer, &section)
}

/// A section of `components` that operations reference into.
struct Section<T: 'static> {
    /// Its key under `components`.
    name: &'static str,
    /// What it holds, in words.
    kind: &'static str,
    /// The section in a spec's components.
    of: fn(&Components) -> &IndexMap<String, ReferenceOr<T>>,
}

/// A node that may be a `$ref` into `section`, resolved (one level: these sections hold
/// items), with the pointer of what it resolved to; a reference that does not resolve is
/// reported at `pointer`.
fn resolve_component<'a, T>(
    cx: &mut Context<'a>,
    node: &'a ReferenceOr<T>,
    pointer: String,
    section: &Section<T>,
) -> Option<(&'a T, String)> {
    let reference = match node {
        ReferenceOr::Item(item) => return Some((item, pointer)),
        ReferenceOr::Reference { reference } => reference,
    };
    let prefix = format!("#/components/{}/", section.name);
    let name = reference.strip_prefix(&prefix).map(unescape);
    let found = name
        .as_ref()
        .and_then(|n| (section.of)(cx.api.components.as_ref()?).get(n)?.as_item());
    match (found, name) {
        (Some(item), Some(n)) => Some((item, format!("{prefix}{}", escape_segment(&n)))),
        _ => {
            cx.report(Diagnostic::new(
                format!("{pointer}/$ref"),
                format!(
                    "`$ref: '{reference}'` does not resolve to a {} in `components/{}`",
                    section.kind, section.name
                ),
                format!(
                    "define the {} under `components/{}` or fix the reference",
                    section.kind, section.name
                ),
            ));
            None
        }
    }
}

/// `{name}` placeholders of a path template, in order.
pub(super) fn template_names(path: &str) -> Vec<String> {
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

/// Picks the media type to generate from: the newest documented version (several versions of
/// one operation share a schema in this API), else the first JSON one, else the first.
pub(super) fn media<'a>(content: &'a indexmap::IndexMap<String, MediaType>, pointer: &str) -> Media<'a> {
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
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{groupId}/b/{name}:start"), vec!["groupId", "name"]);
    }
}
