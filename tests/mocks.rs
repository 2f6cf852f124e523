//! The typed mocks (`atlas_streams::mocks`, feature `test-util`): a piece of code under test
//! that takes an ordinary `Client`, mocked several ways; what the rules saw; what the real
//! request path still does (argument checks before any rule, serialization, headers, retries,
//! decoding, error classification).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_streams::mocks::{http, MockClient, MockError, Operation, Transport, TransportFuture};
use atlas_streams::models::{
    StreamWorkspaceTier, StreamsConnection, StreamsConnectionRequest, StreamsEmitStage,
    StreamsFailoverConnectionRequest, StreamsKafkaAuthenticationRequest, StreamsKafkaConnectionRequest,
    StreamsPipelineStage, StreamsProcessor, StreamsProcessorRequest, StreamsProcessorState, StreamsProcessorWithStats,
    StreamsSourceStage, StreamsStartStreamProcessorWith,
};
use atlas_streams::{mock, mock_client, reqwest, Client, Error, RetryPolicy};
use futures_util::TryStreamExt;
use serde_json::json;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

/// The code under test: makes sure a processor runs, creating it if need be. It knows nothing
/// of mocks.
async fn ensure_running(client: &Client, workspace: &str, name: &str) -> Result<&'static str, Error> {
    match client.get_stream_processor(GROUP, workspace, name).await {
        Ok(processor) if processor.state == StreamsProcessorState::Started => return Ok("already running"),
        Ok(_) => {}
        Err(e) if e.is_not_found() => {
            let request = processor_request(name);
            client.create_stream_processor(GROUP, workspace, request).await?;
        }
        Err(e) => return Err(e),
    }
    client.start_stream_processor(GROUP, workspace, name).await?;
    Ok("started")
}

fn processor_request(name: &str) -> StreamsProcessorRequest {
    StreamsProcessorRequest::new().name(name).pipeline(vec![
        StreamsSourceStage::new().connection_name("events").into(),
        StreamsEmitStage::new("out").topic("t").into(),
    ])
}

/// A processor as Atlas answers it.
fn processor(name: &str, state: &str) -> StreamsProcessorWithStats {
    serde_json::from_value(json!({"_id": "6630e9a5b1f3d47a5fa1e1a2", "name": name, "pipeline": [], "state": state}))
        .unwrap()
}

fn kafka(name: &str, password: &str) -> StreamsConnectionRequest {
    StreamsKafkaConnectionRequest::new()
        .name(name)
        .bootstrap_servers("broker:9092")
        .authentication(
            StreamsKafkaAuthenticationRequest::new()
                .mechanism("PLAIN")
                .username("svc")
                .password(password),
        )
        .into()
}

#[tokio::test]
async fn a_running_processor_is_left_alone() {
    let get = mock!(Client::get_stream_processor).then_output(|| processor("ingest", "STARTED"));
    let start = mock!(Client::start_stream_processor).then_output(|| ());
    let client = mock_client!([&get, &start]);
    assert_eq!(
        ensure_running(&client, "ws", "ingest").await.unwrap(),
        "already running"
    );
    assert_eq!((get.num_calls(), start.num_calls()), (1, 0));
    let sent = &get.requests()[0];
    assert_eq!(
        (
            sent.group_id.as_str(),
            sent.tenant_name.as_str(),
            sent.processor_name.as_str()
        ),
        (GROUP, "ws", "ingest")
    );
}

#[tokio::test]
async fn a_stopped_processor_is_started_and_a_missing_one_created_first() {
    let stopped = mock!(Client::get_stream_processor)
        .match_requests(|input| input.processor_name == "stopped")
        .then_output(|| processor("stopped", "STOPPED"));
    let missing = mock!(Client::get_stream_processor)
        .then_error(|| MockError::new(404, "STREAM_PROCESSOR_NOT_FOUND").detail("no processor named that"));
    let create = mock!(Client::create_stream_processor).then_output(StreamsProcessor::default);
    let start = mock!(Client::start_stream_processor).then_output(|| ());
    let client = mock_client!([&stopped, &missing, &create, &start]);

    assert_eq!(ensure_running(&client, "ws", "stopped").await.unwrap(), "started");
    assert_eq!((create.num_calls(), start.num_calls()), (0, 1));
    assert_eq!(ensure_running(&client, "ws", "new-one").await.unwrap(), "started");
    assert_eq!((stopped.num_calls(), missing.num_calls()), (1, 1));
    // The body the code under test sent, decoded back into its type.
    let created = &create.requests()[0];
    assert_eq!(created.body, processor_request("new-one"));
    let started: Vec<String> = start.requests().into_iter().map(|r| r.processor_name).collect();
    assert_eq!(started, ["stopped", "new-one"]);
}

#[tokio::test]
async fn an_error_answer_is_an_atlas_error_to_the_caller() {
    let rule = mock!(Client::get_stream_processor).then_error(|| {
        MockError::new(404, "STREAM_PROCESSOR_NOT_FOUND")
            .detail("Processor x not found")
            .parameters(vec![json!("x")])
    });
    let client = mock_client!([&rule]);
    let error = client.get_stream_processor(GROUP, "ws", "x").await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.error_code(), Some("STREAM_PROCESSOR_NOT_FOUND"));
    let api = error.api_error().unwrap();
    assert_eq!(api.detail.as_deref(), Some("Processor x not found"));
    assert_eq!(api.reason.as_deref(), Some("Not Found"));
    assert_eq!(api.parameters, Some(vec![json!("x")]));
    assert_eq!(
        error.to_string(),
        "getStreamProcessor: the API answered 404 STREAM_PROCESSOR_NOT_FOUND: Processor x not found"
    );
    // The code under test's own error path.
    let conflict = mock!(Client::get_stream_processor).then_error(|| MockError::new(403, "FORBIDDEN"));
    let client = mock_client!([&conflict]);
    let error = ensure_running(&client, "ws", "x").await.unwrap_err();
    assert_eq!(error.status(), Some(403));
}

#[tokio::test]
async fn an_argument_error_fails_before_any_rule_is_asked() {
    let asked = Arc::new(AtomicBool::new(false));
    let seen = asked.clone();
    let rule = mock!(Client::get_stream_processor)
        .match_requests(move |_| {
            seen.store(true, Ordering::SeqCst);
            true
        })
        .then_output(|| processor("p", "STARTED"));
    let client = mock_client!([&rule]);
    for (group, name) in [("not-a-group-id", "p"), (GROUP, ".."), (GROUP, "")] {
        let error = client.get_stream_processor(group, "ws", name).await.unwrap_err();
        assert!(matches!(error, Error::InvalidArgument { .. }), "{error:?}");
    }
    let error = client
        .get_stream_processor(GROUP, "ws", "p")
        .version("latest")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidArgument {
                parameter: "version",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!asked.load(Ordering::SeqCst), "no rule was asked");
    assert_eq!(rule.num_calls(), 0);
}

/// A pipeline is checked before any rule is asked, as before any request; a mocked create
/// records the typed stages it was given.
#[tokio::test]
async fn a_pipeline_is_checked_before_any_rule_and_recorded_typed() {
    let rule = mock!(Client::create_stream_processor).then_output(StreamsProcessor::default);
    let client = mock_client!([&rule]);
    let misplaced = StreamsProcessorRequest::new().name("p").pipeline(vec![
        StreamsEmitStage::new("out").topic("t").into(),
        StreamsSourceStage::new().connection_name("events").into(),
    ]);
    let error = client
        .create_stream_processor(GROUP, "ws", misplaced)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidPipeline { .. }), "{error:?}");
    assert_eq!(rule.num_calls(), 0, "no rule was asked");

    client
        .create_stream_processor(GROUP, "ws", processor_request("p"))
        .await
        .unwrap();
    let sent = &rule.requests()[0].body;
    let pipeline = sent.pipeline.as_deref().unwrap_or_default();
    assert!(matches!(&pipeline[0], StreamsPipelineStage::Source(s) if s.connection_name.as_deref() == Some("events")));
    assert_eq!(pipeline[1].key(), Some("$emit"));
}

#[tokio::test]
async fn a_call_no_rule_answers_fails_naming_the_operation_and_the_rules_tried() {
    let events = mock!(Client::get_stream_connection)
        .match_requests(|input| input.connection_name == "events")
        .then_error(|| MockError::new(404, "STREAM_CONNECTION_NOT_FOUND"));
    let once = mock!(Client::get_stream_connection)
        .sequence()
        .error(|| MockError::new(404, "STREAM_CONNECTION_NOT_FOUND"))
        .build();
    // A full path to the method names the same rule.
    let list =
        mock!(atlas_streams::Client::list_stream_workspaces).then_http_response(|| http::Response::new("{}".into()));
    let client = mock_client!([&events, &once, &list]);
    assert!(client
        .get_stream_connection(GROUP, "ws", "other")
        .await
        .unwrap_err()
        .is_not_found());
    let error = client.get_stream_connection(GROUP, "ws", "other").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Mock {
                operation: "getStreamConnection",
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.starts_with("getStreamConnection: no mock rule answers this call (rule 1 declined: its match_requests did not match GetStreamConnection {"), "{message}");
    assert!(message.contains("connection_name: \"other\""), "{message}");
    assert!(
        message.ends_with("; rule 2 declined: used up after 1 calls)"),
        "{message}"
    );
    assert!(once.is_exhausted());

    let error = client.get_stream_workspace(GROUP, "ws").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "getStreamWorkspace: no mock rule answers this call: the mock client has no rule for it (rules for: getStreamConnection, listStreamWorkspaces)"
    );
}

#[tokio::test]
async fn sequences_answer_in_order_and_retries_ask_again() {
    // A 503 with Retry-After: 0 is retried by the client, as Atlas' would be.
    let rule = mock!(Client::get_stream_processor)
        .sequence()
        .error(|| MockError::new(503, "SERVICE_UNAVAILABLE").retry_after(0))
        .output(|| processor("p", "CREATED"))
        .times(2)
        .output(|| processor("p", "STARTED"))
        .build();
    let client = mock_client!([&rule]);
    let first = client.get_stream_processor(GROUP, "ws", "p").await.unwrap();
    assert_eq!(first.state, StreamsProcessorState::Created);
    assert_eq!(rule.num_calls(), 2, "the 503 and its retry");
    let states = [
        client.get_stream_processor(GROUP, "ws", "p").await.unwrap().state,
        client.get_stream_processor(GROUP, "ws", "p").await.unwrap().state,
    ];
    assert_eq!(states, [StreamsProcessorState::Created, StreamsProcessorState::Started]);
    assert!(rule.is_exhausted());
    assert!(matches!(
        client.get_stream_processor(GROUP, "ws", "p").await.unwrap_err(),
        Error::Mock { .. }
    ));

    // `repeatedly` keeps answering the last step; retries can be turned off.
    let flaky = mock!(Client::get_stream_processor)
        .sequence()
        .error(|| MockError::new(503, "SERVICE_UNAVAILABLE"))
        .output(|| processor("p", "STARTED"))
        .repeatedly();
    let client = MockClient::new()
        .with_rule(&flaky)
        .configure(|builder| builder.retry(RetryPolicy::disabled()))
        .build();
    assert_eq!(
        client
            .get_stream_processor(GROUP, "ws", "p")
            .await
            .unwrap_err()
            .status(),
        Some(503)
    );
    for _ in 0..3 {
        assert_eq!(
            client.get_stream_processor(GROUP, "ws", "p").await.unwrap().state,
            StreamsProcessorState::Started
        );
    }
    assert_eq!(flaky.num_calls(), 4);
    assert!(!flaky.is_exhausted());
}

#[tokio::test]
async fn bodies_are_sent_serialized_and_read_back_typed_secrets_included() {
    let created = mock!(Client::create_stream_connection).then_output(|| {
        serde_json::from_value::<StreamsConnection>(json!({"type": "Kafka", "name": "events", "state": "PENDING"}))
            .unwrap()
    });
    let client = mock_client!([&created]);
    let answer = client
        .create_stream_connection(GROUP, "ws", kafka("events", "hunter2"))
        .await
        .unwrap();
    assert!(matches!(&answer, StreamsConnection::Kafka(k) if k.name.as_deref() == Some("events")));
    let sent = created.requests().remove(0);
    let StreamsConnectionRequest::Kafka(body) = &sent.body else {
        panic!("{sent:?}")
    };
    assert_eq!(body.bootstrap_servers.as_deref(), Some("broker:9092"));
    let password = body.authentication.as_ref().and_then(|a| a.password.as_ref()).unwrap();
    assert_eq!(password.expose(), "hunter2", "the secret went on the wire");
    assert!(!format!("{sent:?}").contains("hunter2"), "and is not printed");
    assert_eq!(sent.body, kafka("events", "hunter2"));
}

#[tokio::test]
async fn statuses_media_types_envelopes_lists_and_downloads_are_answered_as_documented() {
    let failover = mock!(Client::create_failover_connection)
        .then_output(|| serde_json::from_value(json!({"type": "Kafka", "bootstrapServers": "b:9092"})).unwrap());
    let page = |names: &[&str], total: i32| {
        let results: Vec<_> = names
            .iter()
            .map(|n| json!({"_id": "6630e9a5b1f3d47a5fa1e1a2", "name": n, "pipeline": [], "state": "CREATED"}))
            .collect();
        serde_json::from_value(json!({"results": results, "totalCount": total})).unwrap()
    };
    let list = mock!(Client::get_stream_processors)
        .match_requests(|input| input.page_num.unwrap_or(1) == 1)
        .then_output(move || page(&["a", "b"], 3));
    let second = mock!(Client::get_stream_processors)
        .match_requests(|input| input.page_num == Some(2))
        .then_output(move || page(&["c"], 3));
    let logs = mock!(Client::download_audit_logs)
        .match_requests(|input| input.sp_name.as_deref() == Some("p") && input.start_date == Some(1))
        .then_output(|| atlas_streams::primitives::Bytes::from_static(b"\x1f\x8blogs"));
    let client = mock_client!([&failover, &list, &second, &logs]);

    let response = client
        .create_failover_connection(
            GROUP,
            "ws",
            "kafka",
            serde_json::from_value::<StreamsFailoverConnectionRequest>(json!({"type": "Kafka"})).unwrap(),
        )
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "the spec's status");
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.atlas.2025-03-12+json",
        "the media type asked for"
    );
    // `envelope=true` is answered wrapped, and decoded as usual.
    let enveloped = client
        .get_stream_processors(GROUP, "ws")
        .envelope(true)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(enveloped.value().results.len(), 2);
    let names: Vec<String> = client
        .get_stream_processors(GROUP, "ws")
        .items()
        .map_ok(|p| p.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(second.requests()[0].page_num, Some(2));

    let download = client
        .download_audit_logs(GROUP, "ws")
        .sp_name("p")
        .start_date(1)
        .await
        .unwrap();
    let bytes: Vec<u8> = download
        .into_stream()
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await
        .unwrap();
    assert_eq!(bytes, b"\x1f\x8blogs");
}

#[tokio::test]
async fn a_raw_response_is_read_as_any_other() {
    let broken = mock!(Client::get_stream_processor).then_http_response(|| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/vnd.atlas.2024-05-30+json")
            .body("{\"name\": 1}".into())
            .unwrap()
    });
    let client = mock_client!([&broken]);
    let error = client.get_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { status: 200, body, .. } if body == "{\"name\": 1}"),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_waiters_poll_through_the_mocks_too() {
    let rule = mock!(Client::get_stream_processor)
        .sequence()
        .output(|| processor("p", "CREATED"))
        .times(2)
        .output(|| processor("p", "STARTED"))
        .build();
    let client = mock_client!([&rule]);
    let started = client
        .wait_until_processor_started(GROUP, "ws", "p")
        .min_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .await
        .unwrap();
    assert_eq!((started.state.as_str(), rule.num_calls()), ("STARTED", 3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_take_the_steps_one_at_a_time() {
    let rule = mock!(Client::get_stream_processor)
        .sequence()
        .output(|| processor("p", "CREATED"))
        .times(25)
        .output(|| processor("p", "STARTED"))
        .times(25)
        .build();
    let client = mock_client!([&rule]);
    let calls: Vec<_> = (0..50)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.get_stream_processor(GROUP, "ws", format!("p{i}")).await })
        })
        .collect();
    let mut states = Vec::new();
    for call in calls {
        states.push(call.await.unwrap().unwrap().state);
    }
    // Each step answered exactly its count, however the calls interleaved on the threads.
    assert_eq!(
        states.iter().filter(|s| **s == StreamsProcessorState::Created).count(),
        25
    );
    assert_eq!(
        states.iter().filter(|s| **s == StreamsProcessorState::Started).count(),
        25
    );
    assert_eq!(rule.num_calls(), 50);
    assert!(rule.is_exhausted());
    let mut names: Vec<String> = rule.requests().into_iter().map(|r| r.processor_name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 50);
}

#[tokio::test]
async fn a_matcher_may_ask_its_own_rule_without_a_deadlock() {
    // A rule that answers once, by asking itself how often it answered.
    let own = std::sync::Arc::new(std::sync::OnceLock::new());
    let asking = own.clone();
    let once = mock!(Client::get_stream_processor)
        .match_requests(move |_| {
            asking
                .get()
                .is_some_and(|rule: &atlas_streams::mocks::Rule<_>| rule.num_calls() == 0)
        })
        .then_output(|| processor("p", "STARTED"));
    let _ = own.set(once.clone());
    let client = mock_client!([&once]);
    let first = client.get_stream_processor(GROUP, "ws", "p").await.unwrap();
    assert_eq!(first.state, StreamsProcessorState::Started);
    let second = client.get_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert!(
        matches!(&second, Error::Mock { message, .. } if message.contains("did not match")),
        "{second:?}"
    );
}

#[tokio::test]
async fn a_mock_error_with_a_status_that_is_no_error_is_a_mistake_of_the_test() {
    let rule = mock!(Client::get_stream_processor).then_error(|| MockError::new(1000, "NOT_A_STATUS"));
    let client = mock_client!([&rule]);
    let error = client.get_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert!(
        matches!(&error, Error::Mock { message, .. } if message.contains("not an error status")),
        "{error:?}"
    );
    assert_eq!(rule.num_calls(), 1, "not retried as a server failure");
}

#[test]
fn a_service_account_cannot_hide_behind_a_transport() {
    let error = MockClient::new()
        .configure(|builder| builder.service_account("id", "the-secret"))
        .try_build()
        .unwrap_err();
    assert!(
        matches!(&error, Error::Config(message) if message.contains("service account")),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains("the-secret"));
}

/// What a transport saw: operation and method, URL, headers, body.
type Seen = (String, String, Vec<(String, String)>, String);

/// A transport of one's own sees the HTTP request exactly as it would go on the wire.
#[derive(Clone, Debug, Default)]
struct Recorder(Arc<Mutex<Vec<Seen>>>);

impl Transport for Recorder {
    fn send(&self, operation: &'static Operation, request: reqwest::Request) -> TransportFuture {
        let headers = request
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("?").to_owned()))
            .collect();
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        self.0.lock().unwrap().push((
            format!("{} {}", operation.name, request.method()),
            request.url().to_string(),
            headers,
            body,
        ));
        Box::pin(async { Ok(http::Response::builder().status(202).body(Default::default()).unwrap()) })
    }
}

#[tokio::test]
async fn the_request_a_transport_gets_is_the_one_the_network_would() {
    let recorder = Recorder::default();
    let client = Client::builder()
        .api_key("public", "private")
        .transport(recorder.clone())
        .build()
        .unwrap();
    client
        .start_stream_processor_with(GROUP, "my ws", "p/1")
        .body(StreamsStartStreamProcessorWith::new().tier(StreamWorkspaceTier::Sp10))
        .version("2025-03-12")
        .await
        .unwrap();
    let seen = recorder.0.lock().unwrap();
    let (operation, url, headers, body) = &seen[0];
    assert_eq!(operation, "startStreamProcessorWith POST");
    assert_eq!(
        url,
        "https://cloud.mongodb.com/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/streams/my%20ws/processor/p%2F1:startWith"
    );
    let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(header("accept"), Some("application/vnd.atlas.2025-03-12+json"));
    assert_eq!(header("content-type"), Some("application/vnd.atlas.2025-03-12+json"));
    assert_eq!(body, "{\"tier\":\"SP10\"}");
    // An API key's first request waits for the Digest challenge: it goes without credentials.
    assert_eq!(header("authorization"), None);
}

/// The README's mocks example is the doc test of `atlas_streams::mocks` (which is compiled and
/// run), less its hidden lines.
#[test]
fn the_readme_example_is_the_compiled_one() {
    let root = atlas_streams_workspace::workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = &readme[readme.find("### Testing your code: typed mocks").unwrap()..];
    let start = section.find("```rust,ignore\n").unwrap() + "```rust,ignore\n".len();
    let in_readme = &section[start..start + section[start..].find("```").unwrap()];
    let lib = std::fs::read_to_string(root.join("generated/src/lib.rs")).unwrap();
    let docs: Vec<&str> = lib[lib.find("/// Typed mocks for unit tests").unwrap()..]
        .lines()
        .take_while(|line| line.starts_with("///"))
        .map(|line| line.strip_prefix("/// ").unwrap_or(line.trim_start_matches("///")))
        .collect();
    let fences: Vec<usize> = docs
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("```"))
        .map(|(i, _)| i)
        .collect();
    let compiled: String = docs[fences[0] + 1..fences[1]]
        .iter()
        .filter(|line| !line.starts_with("# ") && **line != "#")
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(in_readme, compiled);
}
