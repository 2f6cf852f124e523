//! The HTTP front: every request goes through one pipeline, in Atlas' order of checks:
//! authenticate → route → (injected failure) → negotiate the version → check parameters →
//! check the body → run the state rule → shape and send the answer.
//!
//! No request can panic the emulator: each step answers a bad input with a 4xx in Atlas' error
//! shape, and the state lock recovers from a poisoned mutex.

mod control;
pub mod respond;
mod shared;
pub mod version;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Response};
use axum::Router;
use serde_json::Value;

use crate::codes;
use crate::error::ApiError;
use crate::spec::params::{self, ParamError, Problem as ParamProblem};
use crate::spec::validate::{self, Problem as BodyProblem, Violation};
use crate::spec::{Match, OpSpec, Spec};
use crate::state::{Call, Outcome};

pub use shared::InjectedFailure;
pub(crate) use shared::{Shared, MAX_BODY};

/// The whole HTTP surface: one handler, so routing follows the spec and not axum's syntax.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response<Body> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let response = if path.starts_with(control::PREFIX) {
        control::handle(&shared, request).await
    } else if path == "/api/oauth/token" && method == "POST" {
        token(&shared, request).await
    } else {
        api(&shared, request).await.unwrap_or_else(|e| respond::error(&e))
    };
    if shared.log_requests {
        println!("{method} {path} -> {}", response.status().as_u16());
    }
    response
}

async fn token(shared: &Shared, request: Request) -> Response<Body> {
    let Some(issuer) = shared.auth.token_endpoint() else {
        return respond::error(&route_miss(request.uri().path()));
    };
    let authorization = header_text(&request, header::AUTHORIZATION);
    let form = match axum::body::to_bytes(request.into_body(), MAX_BODY).await {
        Ok(bytes) => params::parse_query(Some(&String::from_utf8_lossy(&bytes))),
        Err(_) => Vec::new(),
    };
    let answer = issuer.token(authorization.as_deref(), &form);
    let mut response = Response::new(Body::from(answer.body.to_string()));
    *response.status_mut() = axum::http::StatusCode::from_u16(answer.status).unwrap_or_default();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    if let Some(challenge) = answer.challenge.and_then(|c| header::HeaderValue::from_str(&c).ok()) {
        headers.insert(header::WWW_AUTHENTICATE, challenge);
    }
    response
}

async fn api(shared: &Shared, request: Request) -> Result<Response<Body>, ApiError> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let target = request
        .uri()
        .path_and_query()
        .map_or(path.clone(), |p| p.as_str().to_owned());
    let query = params::parse_query(request.uri().query());
    shared.auth.check(
        &method,
        &target,
        header_text(&request, header::AUTHORIZATION).as_deref(),
    )?;
    // HEAD is GET without the body (Atlas API reference, "HTTP Methods"); hyper leaves the
    // body of a HEAD answer out by itself.
    let route_method = if method == "HEAD" { "GET" } else { method.as_str() };
    let (op, path_params) = match shared.spec.route(route_method, &path) {
        Match::Op(op, params) => (op, params),
        Match::WrongMethod => {
            return Err(ApiError::new(
                405,
                codes::METHOD_NOT_ALLOWED,
                format!("Method {method} is not allowed on {path}."),
            ))
        }
        Match::Nothing => return Err(route_miss(&path)),
    };
    if let Some(error) = shared.take_injected(&op.name) {
        return Err(error);
    }
    let version = version::negotiate(op, header_text(&request, header::ACCEPT).as_deref(), &path)?;
    let mut params = params::check(&op.params, path_params, &query).map_err(|errors| param_error(&errors))?;
    params::check_global_flags(&mut params, &query).map_err(|errors| param_error(&errors))?;
    let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY).await.map_err(|_| {
        ApiError::new(
            400,
            codes::INVALID_JSON,
            "The request body is too large or could not be read.",
        )
    })?;
    let body = read_body(shared.spec, op, &bytes)?;
    let call = Call {
        op: &op.name,
        params: &params,
        body,
        base_url: &shared.base_url,
    };
    let outcome = shared.world().dispatch(&call)?;
    let url = respond::RequestUrl {
        base_url: &shared.base_url,
        path: &path,
        query: &query,
    };
    Ok(respond::success(shared.spec, op, &version, &params, outcome, &url))
}

/// The answer to a path no operation has: Atlas' generic 404.
fn route_miss(path: &str) -> ApiError {
    ApiError::new(404, codes::RESOURCE_NOT_FOUND, format!("Cannot find resource {path}.")).with_parameters([path])
}

fn header_text(request: &Request, name: header::HeaderName) -> Option<String> {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The body as JSON, checked against the operation's request type. A body sent to an
/// operation that takes none is ignored (MongoDB's docs pages send `{ <Payload> }` to `:start`).
// GUESS: the request's `Content-Type` is not checked: the docs send `application/json`, the
// generated client the versioned type, and both work against Atlas.
fn read_body(spec: &Spec, op: &OpSpec, bytes: &[u8]) -> Result<Option<Value>, ApiError> {
    let Some(body) = &op.body else {
        return Ok(None);
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return if body.required {
            Err(ApiError::new(400, codes::INVALID_JSON, "A request body is required."))
        } else {
            Ok(None)
        };
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|_| ApiError::new(400, codes::INVALID_JSON, "Received JSON is malformed."))?;
    check_body(spec, op, value).map(Some)
}

/// A parsed body checked against the operation's request type.
fn check_body(spec: &Spec, op: &OpSpec, value: Value) -> Result<Value, ApiError> {
    let Some(body) = &op.body else {
        return Ok(value);
    };
    let violations = validate::check(spec, &body.ty, &value);
    match violations.first() {
        None => Ok(value),
        Some(first) => Err(body_error(first, &violations)),
    }
}

/// Runs an operation without HTTP (no credentials, no version): what seed data goes through.
/// Parameters and body get the same checks as over HTTP.
pub(crate) fn invoke(
    shared: &Shared,
    op_name: &str,
    path: &[(&str, &str)],
    body: Option<Value>,
) -> Result<Outcome, ApiError> {
    let op = shared.spec.op(op_name).ok_or_else(|| {
        ApiError::new(
            500,
            codes::UNEXPECTED_ERROR,
            format!("No operation {op_name} in the spec."),
        )
    })?;
    let path_params = path.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let params = params::check(&op.params, path_params, &[]).map_err(|errors| param_error(&errors))?;
    let body = body.map(|value| check_body(shared.spec, op, value)).transpose()?;
    let call = Call {
        op: &op.name,
        params: &params,
        body,
        base_url: &shared.base_url,
    };
    shared.world().dispatch(&call)
}

/// The first violation decides the code and detail; every one goes into `badRequestDetail`.
fn body_error(first: &Violation, all: &[Violation]) -> ApiError {
    let field = if first.field.is_empty() {
        "body"
    } else {
        first.field.as_str()
    };
    let (code, detail, parameter) = match &first.problem {
        BodyProblem::Missing => (
            codes::MISSING_ATTRIBUTE,
            format!("The required attribute {field} was not specified."),
            field.to_owned(),
        ),
        BodyProblem::Unknown | BodyProblem::Pattern { .. } => (
            codes::INVALID_ATTRIBUTE,
            format!("Invalid attribute {field} specified."),
            field.to_owned(),
        ),
        BodyProblem::Type { .. } => (
            codes::INVALID_JSON_ATTRIBUTE,
            format!("Received JSON for the {field} attribute does not match expected format."),
            field.to_owned(),
        ),
        BodyProblem::UnknownKey { value } => (
            codes::STREAM_PROCESSOR_INVALID_PIPELINE,
            format!("Invalid pipeline at {field}: unknown stage {value}."),
            value.clone(),
        ),
        BodyProblem::OneKey => (
            codes::STREAM_PROCESSOR_INVALID_PIPELINE,
            format!("Invalid pipeline at {field}: a stage is an object with exactly one key, the stage's name."),
            field.to_owned(),
        ),
        BodyProblem::Enum { value } | BodyProblem::UnknownTag { value } => (
            codes::INVALID_ENUM_VALUE,
            format!("An invalid enumeration value {value} was specified."),
            value.clone(),
        ),
    };
    ApiError::new(400, code, detail)
        .with_parameters([parameter])
        .with_fields(all.iter().map(|v| (v.field.clone(), v.describe())).collect())
}

fn param_error(errors: &[ParamError]) -> ApiError {
    let first = &errors[0];
    let value = first.value.clone().unwrap_or_default();
    let (status, code, detail) = match (&first.problem, first.name.as_str()) {
        (ParamProblem::Pattern, "groupId") => (
            400,
            codes::INVALID_GROUP_ID,
            format!("The specified group ID {value} is invalid."),
        ),
        (ParamProblem::Missing, name) => (
            400,
            codes::MISSING_QUERY_PARAMETER,
            format!("The required query parameter {name} was not specified."),
        ),
        (ParamProblem::BelowMinimum(min), name) => (
            400,
            codes::INVALID_QUERY_PARAMETER,
            format!("Invalid value {value} for query parameter {name}: the minimum is {min}."),
        ),
        (ParamProblem::Type { expected }, name) => (
            400,
            codes::INVALID_QUERY_PARAMETER,
            format!("Invalid value {value} for query parameter {name}: expected {expected}."),
        ),
        (ParamProblem::Pattern | ParamProblem::Enum, name) => (
            400,
            codes::INVALID_QUERY_PARAMETER,
            format!("Invalid value {value} for parameter {name}."),
        ),
    };
    ApiError::new(status, code, detail)
        .with_parameters([first.name.clone(), value])
        .with_fields(errors.iter().map(|e| (e.name.clone(), e.describe())).collect())
}
