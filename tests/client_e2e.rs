//! The generated client against a real HTTP server on 127.0.0.1: what goes on the wire for
//! every operation, and what comes back, using the seed pages' examples.

mod common;

use atlas_streams::models::{StreamsConnection, StreamsConnectionRequest, StreamsTenant, StreamsTenantRequest};
use atlas_streams::Error;
use common::{seed_examples, Canned, ExampleKind, TestServer};
use serde_json::{json, Value};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

fn examples(prefix: &str, kind: ExampleKind) -> Vec<Value> {
    seed_examples(prefix)
        .into_iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.json)
        .collect()
}

fn vendor_json(version: &str) -> String {
    format!("application/vnd.atlas.{version}+json")
}

#[tokio::test]
#[cfg_attr(
    not(reference_seeds),
    ignore = "needs the seed pages, MongoDB docs kept outside the repository in ../shared/seeds"
)]
async fn create_stream_workspace_sends_the_seed_request_and_decodes_the_seed_response() {
    let server = TestServer::start().await;
    let request = examples("002", ExampleKind::Request).remove(0);
    let response = examples("002", ExampleKind::Response).remove(0);
    // Atlas answers with a charset parameter on the vendor media type.
    server.answer(Canned::new(
        200,
        "application/vnd.atlas.2025-03-12+json;charset=utf-8",
        &response,
    ));
    let body: StreamsTenantRequest = serde_json::from_value(request.clone()).unwrap();

    let tenant: StreamsTenant = server
        .client()
        .create_stream_workspace(GROUP, body)
        .pretty(true)
        .await
        .unwrap();

    let sent = server.single();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, format!("/api/atlas/v2/groups/{GROUP}/streams"));
    assert_eq!(sent.query.as_deref(), Some("pretty=true"));
    assert_eq!(sent.header("accept"), Some(vendor_json("2025-03-12").as_str()));
    assert_eq!(sent.header("content-type"), Some(vendor_json("2025-03-12").as_str()));
    assert_eq!(sent.header("authorization"), Some("Bearer test-token-s3cr3t"));
    assert!(sent
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("atlas-streams-rust/")));
    assert_eq!(sent.json(), request);
    assert_eq!(serde_json::to_value(&tenant).unwrap(), response);
}

#[tokio::test]
#[cfg_attr(
    not(reference_seeds),
    ignore = "needs the seed pages, MongoDB docs kept outside the repository in ../shared/seeds"
)]
async fn create_stream_connection_sends_every_seed_type_at_either_documented_version() {
    let server = TestServer::start().await;
    let requests = examples("003", ExampleKind::Request);
    let responses = examples("003", ExampleKind::Response);
    assert_eq!(requests.len(), 7);
    let client = server.client();
    for (request, response) in requests.iter().zip(&responses) {
        server.answer(Canned::new(200, &vendor_json("2025-02-19"), response));
        let body: StreamsConnectionRequest = serde_json::from_value(request.clone()).unwrap();
        let created: StreamsConnection = client.create_stream_connection(GROUP, "ws-1", body).await.unwrap();
        assert_eq!(serde_json::to_value(&created).unwrap(), *response);
    }
    let received = server.received();
    assert_eq!(received.len(), 7);
    for (sent, request) in received.iter().zip(&requests) {
        assert_eq!(sent.method, "POST");
        assert_eq!(
            sent.path,
            format!("/api/atlas/v2/groups/{GROUP}/streams/ws-1/connections")
        );
        assert_eq!(sent.query, None);
        // The default is the newest documented version (seed 003).
        assert_eq!(sent.header("accept"), Some(vendor_json("2025-02-19").as_str()));
        assert_eq!(sent.json(), *request);
    }

    // Seed 001 documents the same operation at 2023-11-15: a caller can send that instead.
    server.answer(Canned::new(200, &vendor_json("2023-11-15"), &responses[0]));
    let body: StreamsConnectionRequest = serde_json::from_value(requests[0].clone()).unwrap();
    client
        .create_stream_connection(GROUP, "ws-1", body)
        .version("2023-11-15")
        .await
        .unwrap();
    let last = server.received().pop().unwrap();
    assert_eq!(last.header("accept"), Some(vendor_json("2023-11-15").as_str()));
    assert_eq!(last.header("content-type"), Some(vendor_json("2023-11-15").as_str()));
}

#[tokio::test]
#[cfg_attr(
    not(reference_seeds),
    ignore = "needs the seed pages, MongoDB docs kept outside the repository in ../shared/seeds"
)]
async fn update_stream_connection_patches_and_maps_the_seed_conflict() {
    let server = TestServer::start().await;
    let request = examples("004", ExampleKind::Request).remove(2); // Kafka
    let response = examples("004", ExampleKind::Response).remove(2);
    server.answer(Canned::new(200, &vendor_json("2024-08-05"), &response));
    let body: StreamsConnectionRequest = serde_json::from_value(request.clone()).unwrap();
    let updated = server
        .client()
        .update_stream_connection(GROUP, "ws-1", "kafka-1", body)
        .envelope(false)
        .await
        .unwrap();
    assert!(matches!(updated, StreamsConnection::Kafka(_)));
    let sent = server.single();
    assert_eq!(sent.method, "PATCH");
    assert_eq!(
        sent.path,
        format!("/api/atlas/v2/groups/{GROUP}/streams/ws-1/connections/kafka-1")
    );
    assert_eq!(sent.query.as_deref(), Some("envelope=false"));
    assert_eq!(sent.header("accept"), Some(vendor_json("2024-08-05").as_str()));
    assert_eq!(sent.json(), request);
}

#[tokio::test]
async fn start_stream_processor_posts_to_the_custom_method_path_without_a_body() {
    let server = TestServer::start().await;
    server.answer(
        Canned::new(200, &vendor_json("2024-08-05"), "{}")
            .header("RateLimit-Limit", "100")
            .header("RateLimit-Remaining", "99"),
    );
    let response = server
        .client()
        .start_stream_processor(GROUP, "ws-1", "proc-1")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.rate_limit().limit, Some(100));
    assert_eq!(response.rate_limit().remaining, Some(99));
    let sent = server.single();
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.path,
        format!("/api/atlas/v2/groups/{GROUP}/streams/ws-1/processor/proc-1:start")
    );
    assert_eq!(sent.header("accept"), Some(vendor_json("2024-08-05").as_str()));
    assert_eq!(sent.header("content-type"), None);
    assert!(sent.body.is_empty());
}

#[tokio::test]
#[cfg_attr(
    not(reference_seeds),
    ignore = "needs the seed pages, MongoDB docs kept outside the repository in ../shared/seeds"
)]
async fn every_seed_error_body_becomes_a_typed_api_error() {
    let server = TestServer::start().await;
    let client = server.client();
    for prefix in ["000", "001", "002", "003", "004"] {
        for body in examples(prefix, ExampleKind::Error) {
            let status = body["error"].as_u64().unwrap() as u16;
            // The 409 on the create pages reuses the 401 body; the status line is what counts.
            server.answer(Canned::new(status, "application/json", &body));
            let error = client.start_stream_processor(GROUP, "ws", "p").await.unwrap_err();
            let Error::Api {
                operation,
                status: got,
                error: parsed,
                body: raw,
                ..
            } = &error
            else {
                panic!("{prefix}: expected an API error, got {error:?}");
            };
            assert_eq!((*operation, *got), ("startStreamProcessor", status));
            assert_eq!(
                parsed.as_ref().map(|e| e.error_code.as_str()),
                body["errorCode"].as_str()
            );
            assert_eq!(
                serde_json::from_str::<Value>(raw).unwrap(),
                body,
                "the raw body is kept"
            );
            assert_eq!(error.error_code(), body["errorCode"].as_str());
            assert_eq!(error.is_not_found(), status == 404);
            let message = error.to_string();
            assert!(
                message.starts_with("startStreamProcessor: the API answered"),
                "{message}"
            );
            assert!(!message.contains("s3cr3t") && !format!("{error:?}").contains("s3cr3t"));
        }
    }
}

#[tokio::test]
async fn an_error_body_that_is_not_json_is_kept_raw() {
    let server = TestServer::start().await;
    server.answer(Canned::new(502, "text/html", "<html>Bad Gateway</html>"));
    let error = server
        .client()
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Api { status: 502, error: None, body, .. } if body == "<html>Bad Gateway</html>"));
    assert_eq!(error.error_code(), None);
}

#[tokio::test]
async fn a_malformed_group_id_fails_before_any_request() {
    let server = TestServer::start().await;
    let client = server.client();
    let error = client
        .start_stream_processor("not-a-group-id", "ws", "p")
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::InvalidArgument {
                operation: "startStreamProcessor",
                parameter: "groupId",
                ..
            }
        ),
        "{error:?}"
    );
    let error = client
        .start_stream_processor(GROUP, "ws", "p")
        .version("latest")
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        Error::InvalidArgument {
            parameter: "version",
            ..
        }
    ));
    let error = client.start_stream_processor(GROUP, "..", "p").await.unwrap_err();
    assert!(matches!(
        error,
        Error::InvalidArgument {
            parameter: "tenantName",
            ..
        }
    ));
    assert!(
        server.received().is_empty(),
        "nothing may be sent for an invalid argument"
    );
}

#[tokio::test]
async fn path_parameters_stay_inside_their_segment() {
    let server = TestServer::start().await;
    let client = server.client();
    let cases = [
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("what?x=1", "what%3Fx%3D1"),
        ("frag#ment", "frag%23ment"),
        ("with space", "with%20space"),
        ("名前", "%E5%90%8D%E5%89%8D"),
        ("p:stop", "p%3Astop"),
    ];
    for (name, _) in &cases {
        server.answer(Canned::new(200, &vendor_json("2024-08-05"), "{}"));
        client.start_stream_processor(GROUP, "ws", *name).await.unwrap();
    }
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    for ((_, encoded), path) in cases.iter().zip(paths) {
        assert_eq!(
            path,
            format!("/api/atlas/v2/groups/{GROUP}/streams/ws/processor/{encoded}:start")
        );
    }
}

#[tokio::test]
#[cfg_attr(
    not(reference_seeds),
    ignore = "needs the seed pages, MongoDB docs kept outside the repository in ../shared/seeds"
)]
async fn an_enveloped_response_still_yields_the_typed_value() {
    let server = TestServer::start().await;
    let response = examples("003", ExampleKind::Response).remove(0);
    server.answer(Canned::new(
        200,
        &vendor_json("2025-02-19"),
        json!({"status": 200, "content": response}),
    ));
    let body: StreamsConnectionRequest = serde_json::from_value(json!({"type": "Sample"})).unwrap();
    let created = server
        .client()
        .create_stream_connection(GROUP, "ws", body)
        .envelope(true)
        .await
        .unwrap();
    assert_eq!(serde_json::to_value(&created).unwrap(), response);
    assert_eq!(server.single().query.as_deref(), Some("envelope=true"));
}

#[tokio::test]
async fn the_client_refuses_clear_text_to_remote_hosts_and_hides_its_token() {
    let remote = atlas_streams::Client::builder()
        .base_url("http://example.com")
        .bearer_token("tok-SECRET")
        .build();
    assert!(matches!(remote, Err(Error::Config(_))));
    let client = atlas_streams::Client::builder()
        .bearer_token("tok-SECRET")
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("SECRET"));
}
