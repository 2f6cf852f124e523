//! The emulator's own endpoints under `/__emulator/`, for a person or a test in another
//! process (in-process tests use the methods of [`crate::Emulator`] instead). They take no
//! credentials and are not part of Atlas' API.
//!
//! - `GET  /__emulator/health` → `{"status": "ok", "operations": 37}`
//! - `POST /__emulator/fail` `{"kind": "processor"|"connection"|"privateLink", "groupId", "workspace"?, "name"?, "id"?, "message"?}`
//! - `POST /__emulator/inject` `{"operation", "status", "errorCode", "detail"?, "retryAfter"?, "times"?}`
//! - `POST /__emulator/vpcPeering` `{"groupId", "requesterAccountId", "requesterVpcId", "requesterCidr"?, "name"?}`

use axum::body::Body;
use axum::extract::Request;
use axum::http::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use super::respond;
use super::shared::{InjectedFailure, Shared, MAX_BODY};
use crate::codes;
use crate::error::ApiError;
use crate::state::PeeringSeed;

/// Where the control endpoints live.
pub const PREFIX: &str = "/__emulator/";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Failure {
    kind: String,
    group_id: String,
    #[serde(default)]
    workspace: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Injection {
    operation: String,
    #[serde(flatten)]
    failure: InjectedFailure,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Peering {
    group_id: String,
    #[serde(flatten)]
    seed: PeeringSeed,
}

pub async fn handle(shared: &Shared, request: Request) -> Response<Body> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY)
        .await
        .unwrap_or_default();
    let result = match (method.as_str(), &path[PREFIX.len()..]) {
        ("GET", "health") => Ok(json!({"status": "ok", "operations": shared.spec.ops.len()})),
        ("POST", "fail") => parse::<Failure>(&bytes).and_then(|f| fail(shared, f)),
        ("POST", "inject") => parse::<Injection>(&bytes).map(|i| {
            shared.inject(&i.operation, i.failure);
            json!({})
        }),
        ("POST", "vpcPeering") => parse::<Peering>(&bytes).map(|p| {
            let id = shared.world().add_peering(&p.group_id, p.seed);
            json!({ "_id": id })
        }),
        _ => Err(ApiError::new(
            404,
            codes::RESOURCE_NOT_FOUND,
            format!("Cannot find resource {path}."),
        )),
    };
    match result {
        Ok(body) => {
            let mut response = Response::new(Body::from(body.to_string()));
            response.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(error) => respond::error(&error),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::new(400, codes::INVALID_JSON, format!("Received JSON is malformed: {e}")))
}

fn fail(shared: &Shared, failure: Failure) -> Result<Value, ApiError> {
    let mut world = shared.world();
    let result = match failure.kind.as_str() {
        "processor" => world.fail_processor(&failure.group_id, &failure.workspace, &failure.name, &failure.message),
        "connection" => world.fail_connection(&failure.group_id, &failure.workspace, &failure.name),
        "privateLink" => world.fail_private_link(&failure.group_id, &failure.id, &failure.message),
        other => {
            return Err(ApiError::new(
                400,
                codes::INVALID_ENUM_VALUE,
                format!("An invalid enumeration value {other} was specified."),
            ))
        }
    };
    result
        .map(|()| json!({}))
        .map_err(|e| ApiError::new(404, codes::RESOURCE_NOT_FOUND, e.to_string()))
}
