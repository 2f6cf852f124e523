//! Answers: shaped, paged, enveloped and pretty-printed as the request and the spec ask.

use atlas_streams_generator::ir::{ResponseKind, TypeKind, TypeRef};
use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::spec::params::Params;
use crate::spec::shape::shape;
use crate::spec::{OpSpec, Spec};
use crate::state::Outcome;

/// What `RateLimit-Limit` and `RateLimit-Remaining` say on every success (the spec documents
/// the headers; the emulator does not limit).
// GUESS: the values.
const RATE_LIMIT: (&str, &str) = ("100", "99");

/// An Atlas error answer (`application/json`, never enveloped).
// GUESS: that `envelope=true` leaves error answers alone (the guidelines only describe
// successes); errors carry their status in `error` anyway.
pub fn error(error: &ApiError) -> Response<Body> {
    let mut response = Response::new(Body::from(error.body().to_string()));
    *response.status_mut() = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in error.headers() {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.append(*name, value);
        }
    }
    response
}

/// Where the request was, for the `links` of a page.
pub struct RequestUrl<'a> {
    /// The emulator's base URL.
    pub base_url: &'a str,
    /// The request path as sent.
    pub path: &'a str,
    /// The decoded query pairs as sent.
    pub query: &'a [(String, String)],
}

/// A success answer for `op` at `version`.
pub fn success(
    spec: &Spec,
    op: &OpSpec,
    version: &str,
    params: &Params,
    outcome: Outcome,
    url: &RequestUrl<'_>,
) -> Response<Body> {
    let status = op.response.status;
    let body = match (&op.response.kind, outcome) {
        (_, Outcome::Gzip { file_name, bytes }) => return gzip(version, status, &file_name, bytes),
        (ResponseKind::Json(ty), Outcome::List(items)) => match &op.pagination {
            Some(_) => page(spec, op, ty, items, params, url),
            None => shape(spec, ty, &Value::Array(items)),
        },
        (ResponseKind::Json(ty), Outcome::Json(value)) => shape(spec, ty, &value),
        // Reference README: a delete answers 202 with `{}`; the same for every body without a
        // schema (`:start`, `:stop`, `:accept`).
        _ => Value::Object(Map::new()),
    };
    // GUESS: `envelope=true` keeps the real status; the guidelines (IPA-115) only say the
    // status also goes into the body.
    let body = if params.flag("envelope") {
        match (body, op.pagination.is_some()) {
            // IPA-115: "for Paginated resources the existing response must include the field
            // status"; for the others, `{status, content}`.
            (Value::Object(mut page), true) => {
                page.insert("status".into(), Value::from(status));
                Value::Object(page)
            }
            (content, _) => serde_json::json!({ "status": status, "content": content }),
        }
    } else {
        body
    };
    let text = if params.flag("pretty") {
        serde_json::to_string_pretty(&body)
    } else {
        serde_json::to_string(&body)
    }
    .unwrap_or_default();
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    // 204 has no body (RFC 9110 §15.3.5), envelope or not.
    let mut response = Response::new(if status == StatusCode::NO_CONTENT {
        Body::empty()
    } else {
        Body::from(text)
    });
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if status != StatusCode::NO_CONTENT {
        // Reference README: "Responses come as application/vnd.atlas.<date>+json;charset=utf-8".
        let media = format!("application/vnd.atlas.{version}+json;charset=utf-8");
        if let Ok(value) = HeaderValue::from_str(&media) {
            headers.insert(header::CONTENT_TYPE, value);
        }
    }
    rate_limit(headers);
    response
}

fn rate_limit(headers: &mut axum::http::HeaderMap) {
    headers.insert("ratelimit-limit", HeaderValue::from_static(RATE_LIMIT.0));
    headers.insert("ratelimit-remaining", HeaderValue::from_static(RATE_LIMIT.1));
}

fn gzip(version: &str, status: u16, file_name: &str, bytes: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&format!("application/vnd.atlas.{version}+gzip")) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // GUESS: the download is offered as an attachment under the spec's file name.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file_name.replace('"', "_"))) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    rate_limit(headers);
    response
}

/// One page of a list: `{results, totalCount, links}` with the wire names of the page type.
///
/// `itemsPerPage` and `pageNum` were bounded when the parameters were read; `includeCount=false`
/// leaves `totalCount` out ("MongoDB Cloud omits this value if `includeCount` is set to
/// `false`", the spec's description of `totalCount`). Links follow MongoDB's guidelines
/// (IPA-110): `next` only when there is a next page, `previous` only when there is one before.
fn page(spec: &Spec, op: &OpSpec, ty: &TypeRef, items: Vec<Value>, params: &Params, url: &RequestUrl<'_>) -> Value {
    let Some(pagination) = &op.pagination else {
        return Value::Null;
    };
    let wire = |rust_name: &str| -> String {
        let TypeRef::Named(name) = ty else {
            return rust_name.to_owned();
        };
        match spec.ty(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => s
                .fields
                .iter()
                .find(|f| f.name == rust_name)
                .map(|f| f.wire_name.clone())
                .unwrap_or_else(|| rust_name.to_owned()),
            _ => rust_name.to_owned(),
        }
    };
    let per_page = params.int("itemsPerPage").unwrap_or(100).max(1) as usize;
    let page_num = params.int("pageNum").unwrap_or(1).max(1) as usize;
    let total = items.len();
    let start = per_page.saturating_mul(page_num - 1).min(total);
    let results: Vec<Value> = items
        .into_iter()
        .skip(start)
        .take(per_page)
        .map(|item| shape(spec, &pagination.item, &item))
        .collect();
    let mut out = Map::new();
    out.insert(wire(&pagination.items_field), Value::Array(results));
    let include_count = !params.query.contains_key("includeCount") || params.flag("includeCount");
    if let (Some(page_total), true) = (&pagination.total, include_count) {
        out.insert(wire(&page_total.field), Value::from(total));
    }
    let mut links = vec![link(url, None, "self")];
    if start + per_page < total {
        links.push(link(url, Some(page_num + 1), "next"));
    }
    if page_num > 1 {
        links.push(link(url, Some(page_num - 1), "previous"));
    }
    out.insert("links".into(), Value::Array(links));
    Value::Object(out)
}

/// A link to the request's URL, with `pageNum` replaced when `page` is given.
fn link(url: &RequestUrl<'_>, page: Option<usize>, rel: &str) -> Value {
    let mut query: Vec<(String, String)> = url
        .query
        .iter()
        .filter(|(k, _)| page.is_none() || k != "pageNum")
        .cloned()
        .collect();
    if let Some(page) = page {
        query.push(("pageNum".into(), page.to_string()));
    }
    let encoded: Vec<String> = query
        .iter()
        .map(|(k, v)| {
            let enc =
                |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
            format!("{}={}", enc(k), enc(v))
        })
        .collect();
    let mut href = format!("{}{}", url.base_url, url.path);
    if !encoded.is_empty() {
        href.push('?');
        href.push_str(&encoded.join("&"));
    }
    serde_json::json!({ "href": href, "rel": rel })
}
