//! The client under faults, on servers on 127.0.0.1 that misbehave byte by byte: bodies that
//! stall, break off, or flow slowly for longer than any timeout; a call's deadline; bodies
//! larger than the limits. Time bounds here are generous and one-sided (what a server's own
//! pauses guarantee), never a race.
//! Retry-After, redirects and proxies are in `client_network.rs`.

mod common;

use std::time::{Duration, Instant};

use atlas_streams::error::TimeoutKind;
use atlas_streams::models::StreamsTenantRequest;
use atlas_streams::primitives::Bytes;
use atlas_streams::{Client, Error, Limits, RetryPolicy};
use common::raw::{head, json, RawServer, Step};
use common::{Canned, TestServer};
use futures_util::TryStreamExt;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const WORKSPACE_JSON: &str = "application/vnd.atlas.2023-02-01+json";
const CREATED_JSON: &str = "application/vnd.atlas.2025-03-12+json";
const LOGS: &str = "application/vnd.atlas.2025-03-12+gzip";
const WORKSPACE: &str = r#"{"name":"ws","_id":"32b6e34b3d91647abb20e7b8"}"#;

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

/// A client of `base_url` with short timeouts: 1 s to headers, 1 s without body bytes.
fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token("tok-FAULT-SECRET")
        .response_timeout(Some(Duration::from_secs(1)))
        .read_timeout(Some(Duration::from_secs(1)))
        .retry(fast_retries())
        .build()
        .unwrap()
}

/// A download of `chunks` × 1 KiB, one chunk every `every`.
fn slow_download(chunks: usize, every: Duration) -> Vec<Step> {
    let length = (chunks * 1024).to_string();
    let mut steps = vec![head(200, &[("content-type", LOGS), ("content-length", &length)])];
    for i in 0..chunks {
        steps.push(Step::Sleep(every));
        steps.push(Step::Write(vec![b'a' + (i % 26) as u8; 1024]));
    }
    steps
}

#[tokio::test]
async fn a_flowing_download_longer_than_every_timeout_streams_to_the_end() {
    // 3 s of body, a chunk every 100 ms, against 1 s timeouts: the old whole-request timeout
    // cut this off at 1 s.
    let server = RawServer::start(|_| slow_download(30, Duration::from_millis(100))).await;
    let started = Instant::now();
    let download = client(&server.base_url)
        .download_operational_logs(GROUP, "ws")
        .await
        .unwrap();
    let chunks: Vec<Bytes> = download.into_stream().try_collect().await.unwrap();
    let body = chunks.concat();
    assert_eq!(body.len(), 30 * 1024);
    assert!(body[..1024].iter().all(|b| *b == b'a') && body[29 * 1024..].iter().all(|b| *b == b'd'));
    assert!(
        started.elapsed() > Duration::from_secs(2),
        "the body took longer than the timeouts"
    );
}

#[tokio::test]
async fn a_stalled_download_fails_with_a_read_idle_timeout() {
    let server = RawServer::start(|_| {
        let mut steps = slow_download(2, Duration::ZERO);
        steps.truncate(3); // the head and one chunk of the two announced
        steps.push(Step::Sleep(Duration::from_secs(60)));
        steps
    })
    .await;
    let download = client(&server.base_url)
        .download_operational_logs(GROUP, "ws")
        .await
        .unwrap();
    let result: Result<Vec<Bytes>, Error> = download.into_stream().try_collect().await;
    let error = result.unwrap_err();
    assert!(
        matches!(error.timeout_kind(), Some(TimeoutKind::ReadIdle(_))),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("downloadOperationalLogs: timed out with no body bytes"),
        "{error}"
    );
}

/// A caller's own `reqwest::Client` timeout after the request went out is no connect timeout:
/// a POST is not sent again (it may have been taken).
#[tokio::test]
async fn a_caller_clients_timeout_after_sending_does_not_repeat_a_post() {
    let server = RawServer::start(|_| vec![Step::Sleep(Duration::from_secs(60))]).await;
    let own = atlas_streams::reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(&server.base_url)
        .bearer_token("tok")
        .http_client(own)
        .retry(fast_retries())
        .build()
        .unwrap();
    let error = client.start_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert_eq!(error.timeout_kind(), Some(TimeoutKind::Client), "{error:?}");
    assert_eq!(server.connections(), 1, "sent once");
    // A GET may be repeated.
    let error = client.get_stream_workspace(GROUP, "ws").await.unwrap_err();
    assert_eq!(error.timeout_kind(), Some(TimeoutKind::Client), "{error:?}");
    assert!(server.connections() > 2, "the GET was retried");
}

/// Decompressed log lines as soon as their bytes arrive: a whole gzip member, then a stall.
#[tokio::test]
async fn a_download_gunzips_what_arrived_before_a_stall() {
    use std::io::Write;
    let log: String = (0..200).map(|i| format!("{{\"t\":{i}}}\n")).collect();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(log.as_bytes()).unwrap();
    let member = encoder.finish().unwrap();
    let length = (member.len() + 100).to_string(); // more announced than sent: it stalls
    let server = RawServer::start(move |_| {
        vec![
            head(200, &[("content-type", LOGS), ("content-length", &length)]),
            Step::Write(member.clone()),
            Step::Sleep(Duration::from_secs(60)),
        ]
    })
    .await;
    let download = client(&server.base_url)
        .download_operational_logs(GROUP, "ws")
        .await
        .unwrap();
    let mut lines = download.into_decompressed_stream();
    let mut text = Vec::new();
    let error = loop {
        match lines.try_next().await {
            Ok(Some(chunk)) => text.extend_from_slice(&chunk),
            Ok(None) => panic!("the body was cut short: the stream must fail"),
            Err(error) => break error,
        }
    };
    assert_eq!(
        text,
        log.as_bytes(),
        "every line that arrived came out before the stall"
    );
    assert!(
        matches!(error.timeout_kind(), Some(TimeoutKind::ReadIdle(_))),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_deadline_ends_a_download_that_still_flows() {
    let server = RawServer::start(|_| slow_download(30, Duration::from_millis(100))).await;
    let slow = client(&server.base_url);
    let within_a_second = slow.with_timeouts(slow.timeouts().deadline(Some(Duration::from_secs(1))));
    let download = within_a_second.download_operational_logs(GROUP, "ws").await.unwrap();
    let error = download.into_stream().try_collect::<Vec<Bytes>>().await.unwrap_err();
    assert!(
        matches!(error.timeout_kind(), Some(TimeoutKind::Deadline(_))),
        "{error:?}"
    );

    // A download read after its deadline has passed ends at once, however fast its bytes come.
    let server = TestServer::with_handler(|_| Canned::bytes(200, LOGS, vec![b'x'; 1 << 20])).await;
    let fast = client(&server.base_url);
    let hurried = fast.with_timeouts(fast.timeouts().deadline(Some(Duration::from_millis(300))));
    let download = hurried.download_operational_logs(GROUP, "ws").await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let error = download.into_stream().try_collect::<Vec<Bytes>>().await.unwrap_err();
    assert!(
        matches!(error.timeout_kind(), Some(TimeoutKind::Deadline(_))),
        "{error:?}"
    );
}

/// A server that answers a workspace after 1.5 s, and a client of it that never retries.
async fn slow_workspace() -> (TestServer, Client) {
    let server =
        TestServer::with_handler(|_| Canned::new(200, WORKSPACE_JSON, WORKSPACE).after(Duration::from_millis(1500)))
            .await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn a_deadline_set_for_one_call_leaves_the_client_alone() {
    let (_server, client) = slow_workspace().await;
    let hurried = client.with_timeouts(client.timeouts().deadline(Some(Duration::from_millis(300))));
    let error = hurried.get_stream_workspace(GROUP, "ws").await.unwrap_err();
    assert_eq!(
        error.timeout_kind(),
        Some(TimeoutKind::Deadline(Duration::from_millis(300))),
        "{error:?}"
    );
    assert_eq!(hurried.timeouts().deadline, Some(Duration::from_millis(300)));
    assert_eq!(
        client.timeouts().deadline,
        None,
        "the client's own settings are unchanged"
    );
    let workspace = client.get_stream_workspace(GROUP, "ws").await.unwrap();
    assert_eq!(workspace.name.as_deref(), Some("ws"));
}

#[tokio::test]
async fn a_request_builder_takes_its_own_timeouts_and_limits() {
    let (_server, client) = slow_workspace().await;
    let deadline = client.timeouts().deadline(Some(Duration::from_millis(300)));
    let error = client
        .get_stream_workspace(GROUP, "ws")
        .timeouts(deadline)
        .await
        .unwrap_err();
    assert_eq!(
        error.timeout_kind(),
        Some(TimeoutKind::Deadline(Duration::from_millis(300))),
        "{error:?}"
    );
    // A body limit below the answer's size fails that call only.
    let error = client
        .get_stream_workspace(GROUP, "ws")
        .limits(Limits::default().body(8))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { .. }), "{error:?}");
    let workspace = client.get_stream_workspace(GROUP, "ws").await.unwrap();
    assert_eq!(workspace.name.as_deref(), Some("ws"));
}

/// A JSON answer whose body breaks off after 10 of the bytes announced: the connection then
/// closes or, with `stall`, stays open and silent.
fn broken_body(content_type: &str, stall: bool) -> Vec<Step> {
    let length = WORKSPACE.len().to_string();
    let mut steps = vec![
        head(200, &[("content-type", content_type), ("content-length", &length)]),
        Step::Write(WORKSPACE.as_bytes()[..10].to_vec()),
    ];
    if stall {
        steps.push(Step::Sleep(Duration::from_secs(60)));
    }
    steps
}

/// A server whose first answer is `first` and every later one a whole workspace.
async fn failing_once(first: Vec<Step>, content_type: &'static str) -> RawServer {
    RawServer::start(move |n| match n {
        0 => first.clone(),
        _ => json(200, content_type, WORKSPACE),
    })
    .await
}

/// A GET of the workspace succeeds, on the server's second connection.
async fn get_succeeds_on_the_second_try(server: &RawServer) {
    let workspace = client(&server.base_url)
        .get_stream_workspace(GROUP, "ws")
        .await
        .unwrap();
    assert_eq!(workspace.name.as_deref(), Some("ws"));
    assert_eq!(server.connections(), 2, "the GET was sent again");
}

#[tokio::test]
async fn a_stalled_json_body_times_out_and_a_get_is_sent_again() {
    let server = failing_once(broken_body(WORKSPACE_JSON, true), WORKSPACE_JSON).await;
    get_succeeds_on_the_second_try(&server).await;
}

#[tokio::test]
async fn a_body_that_always_stalls_ends_in_a_timeout_after_the_retries() {
    let server = RawServer::start(|_| broken_body(WORKSPACE_JSON, true)).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .read_timeout(Some(Duration::from_millis(200)))
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let error = client.get_stream_workspace(GROUP, "ws").await.unwrap_err();
    assert!(
        matches!(error.timeout_kind(), Some(TimeoutKind::ReadIdle(_))),
        "{error:?}"
    );
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn a_cut_body_is_read_again_for_a_get_but_never_for_a_post() {
    let server = failing_once(broken_body(WORKSPACE_JSON, false), WORKSPACE_JSON).await;
    get_succeeds_on_the_second_try(&server).await;

    // A POST whose answer broke off has taken effect: sending it again could create twice.
    let server = failing_once(broken_body(CREATED_JSON, false), CREATED_JSON).await;
    let error = client(&server.base_url)
        .create_stream_workspace(GROUP, StreamsTenantRequest::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "createStreamWorkspace",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.connections(), 1, "the POST was sent once");
}

/// A 400 whose `detail` is `size` bytes.
fn huge_error(size: usize) -> String {
    serde_json::json!({
        "error": 400,
        "errorCode": "INVALID_ATTRIBUTE",
        "reason": "Bad Request",
        "detail": "x".repeat(size),
    })
    .to_string()
}

#[tokio::test]
async fn a_huge_error_body_makes_a_short_message_and_stays_available_whole() {
    let body = huge_error(5_000_000);
    let answer = body.clone();
    let server = TestServer::with_handler(move |_| Canned::new(400, "application/json", &answer)).await;
    let roomy = client(&server.base_url);
    let roomy = roomy.with_limits(roomy.limits().error_body(16 << 20));
    let error = roomy.get_stream_workspace(GROUP, "ws").await.unwrap_err();
    let message = error.to_string();
    assert!(message.len() <= 1024, "{} bytes", message.len());
    assert!(
        message.starts_with("getStreamWorkspace: the API answered 400 INVALID_ATTRIBUTE: xxx"),
        "{message}"
    );
    assert!(message.contains("bytes more)"), "{message}");
    assert!(format!("{error:?}").len() <= 4096);
    assert_eq!(error.body(), Some(body.as_str()), "the whole body, from the accessor");
    assert_eq!(
        error.api_error().unwrap().detail.as_ref().map(String::len),
        Some(5_000_000)
    );
    assert_eq!(error.error_code(), Some("INVALID_ATTRIBUTE"));

    // With the default limit (1 MiB) only its beginning is kept, and the message says so.
    let error = client(&server.base_url)
        .get_stream_workspace(GROUP, "ws")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api { status: 400, body_cut_at: Some(limit), body, .. }
            if *limit == 1 << 20 && body.len() == 1 << 20),
        "{error:?}"
    );
    assert!(error.to_string().contains("cut at the 1 MiB limit"), "{error}");
    assert!(error.to_string().len() <= 1024);
}

#[tokio::test]
async fn a_success_body_over_the_limit_fails_naming_the_limit_with_or_without_a_length() {
    let page = format!(
        r#"{{"results":[{}],"totalCount":1}}"#,
        serde_json::json!({"name": "x".repeat(2 << 20), "type": "Sample"})
    );
    let known = page.clone();
    let server = TestServer::with_handler(move |_| Canned::new(200, WORKSPACE_JSON, &known)).await;
    let unknown = page.clone();
    let chunked = RawServer::start(move |_| {
        // No Content-Length: the size shows only as the body arrives.
        let half = unknown.len() / 2;
        let chunk = |text: &str| format!("{:x}\r\n{text}\r\n", text.len()).into_bytes();
        vec![
            head(
                200,
                &[("content-type", WORKSPACE_JSON), ("transfer-encoding", "chunked")],
            ),
            Step::Write(chunk(&unknown[..half])),
            Step::Write(chunk(&unknown[half..])),
            Step::Write(b"0\r\n\r\n".to_vec()),
        ]
    })
    .await;
    for base_url in [&server.base_url, &chunked.base_url] {
        let client = client(base_url);
        let small = client.with_limits(Limits::default().body(1 << 20));
        let error = small.list_stream_connections(GROUP, "ws").await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::BodyTooLarge {
                    operation: "listStreamConnections",
                    status: 200,
                    limit
                } if limit == 1 << 20
            ),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("1 MiB") && message.contains("Limits::body"),
            "{message}"
        );
        // The default limit (64 MiB) reads it.
        let page = client.list_stream_connections(GROUP, "ws").await.unwrap();
        assert_eq!(page.results.len(), 1);
    }
}

#[tokio::test]
async fn the_longest_messages_we_can_provoke_stay_under_1_kb() {
    let huge = "é".repeat(2_500_000); // 5 MB
                                      // An error with everything long: errorCode, detail, Retry-After, and a body over the limit.
    let api_body = serde_json::json!({"error": 503, "errorCode": "C".repeat(100_000), "detail": huge}).to_string();
    // A success body whose decoding error quotes a long string.
    let decode_body = serde_json::json!({"name": 1, "_id": huge}).to_string();
    let server = TestServer::with_handler(move |r| match r.path.ends_with("/decode") {
        true => Canned::new(200, WORKSPACE_JSON, &decode_body),
        false => Canned::new(503, "application/json", &api_body).header("Retry-After", "99999999999999999999"),
    })
    .await;
    let client = client(&server.base_url);
    let mut errors = vec![
        client.get_stream_workspace(GROUP, "ws").await.unwrap_err(),
        client
            .with_limits(Limits::default().error_body(64 << 20))
            .get_stream_workspace(GROUP, "ws")
            .await
            .unwrap_err(),
        client.get_stream_workspace(GROUP, "decode").await.unwrap_err(),
        client.get_stream_workspace(&huge, "ws").await.unwrap_err(),
        client
            .get_stream_workspace(GROUP, "..")
            .version(huge.as_str())
            .await
            .unwrap_err(),
        Client::builder().base_url(huge.as_str()).build().unwrap_err(),
        Client::builder().api_version(huge.as_str()).build().unwrap_err(),
    ];
    let everything_wrong = |name: &str| name.starts_with("MONGODB_ATLAS").then(|| huge.clone());
    errors.push(atlas_streams::ClientBuilder::from_env_vars(everything_wrong).unwrap_err());
    let (longest, error) = errors
        .iter()
        .map(|e| (e.to_string().len(), e))
        .max_by_key(|(len, _)| *len)
        .unwrap();
    println!("longest message: {longest} bytes: {error}");
    for error in &errors {
        let message = error.to_string();
        assert!(message.len() <= 1024, "{} bytes: {message}", message.len());
        assert!(format!("{error:?}").len() <= 4096, "{error:?}");
    }
    assert!(matches!(errors[2], Error::Decode { .. }), "{:?}", errors[2]);
    assert!(matches!(errors[3], Error::InvalidArgument { .. }), "{:?}", errors[3]);
}

#[tokio::test]
async fn limits_too_large_to_add_to_a_clock_do_not_panic() {
    let server = TestServer::start().await;
    server.answer(Canned::new(503, "application/json", "{}").header("Retry-After", "0"));
    server.answer(Canned::new(200, WORKSPACE_JSON, WORKSPACE));
    let endless = Client::builder()
        .base_url(&server.base_url)
        .response_timeout(Some(Duration::MAX))
        .read_timeout(Some(Duration::MAX))
        .deadline(Some(Duration::MAX))
        .retry(RetryPolicy::default().max_retry_after(Duration::MAX))
        .build()
        .unwrap();
    endless.get_stream_workspace(GROUP, "ws").await.unwrap();

    // Any wait is allowed, but a wait past the deadline ends the call at once with the error.
    let server = TestServer::with_handler(|_| {
        Canned::new(503, "application/json", "{}").header("Retry-After", "99999999999999999999")
    })
    .await;
    let error = Client::builder()
        .base_url(&server.base_url)
        .deadline(Some(Duration::from_secs(30)))
        .retry(RetryPolicy::default().max_retry_after(Duration::MAX))
        .build()
        .unwrap()
        .get_stream_workspace(GROUP, "ws")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(u64::MAX)));
    assert_eq!(server.received().len(), 1);
}
