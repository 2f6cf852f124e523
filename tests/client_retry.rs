//! Retries over the wire: `Retry-After`, backoff, bounded attempts, no repeat of a request that
//! may have taken effect; plus timeouts and versions per client. What the tracing events of a
//! retry say is checked in `retry_logs.rs`.

mod common;

use std::time::Duration;

use atlas_streams::error::TimeoutKind;
use atlas_streams::{Client, Error, RetryPolicy};
use common::retry::{client, GROUP, OK_JSON, RATE_LIMITED};
use common::{Canned, HangUpServer, TestServer};

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

#[tokio::test]
async fn a_503_is_retried_even_for_a_post_because_nothing_was_processed() {
    let server = TestServer::start().await;
    server.answer(Canned::new(
        503,
        "application/json",
        r#"{"error":503,"errorCode":"SERVICE_UNAVAILABLE"}"#,
    ));
    server.answer(Canned::new(200, OK_JSON, "{}"));
    client(&server.base_url, fast())
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap();
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = TestServer::with_handler(|_| Canned::new(503, "application/json", "{}")).await;
    let error = client(&server.base_url, fast().max_attempts(3))
        .start_stream_processor(GROUP, "ws", "p")
        .await;
    assert_eq!(error.unwrap_err().status(), Some(503));
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn a_post_is_not_repeated_after_an_ambiguous_failure() {
    // The connection drops after the request was sent: the processor may have started.
    let server = HangUpServer::start(1).await;
    let error = client(&server.base_url, fast())
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "startStreamProcessor",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.connections(), 1, "the POST was sent exactly once");
}

#[tokio::test]
async fn a_500_to_a_post_is_not_retried() {
    let server = TestServer::with_handler(|_| Canned::new(500, "application/json", "{}")).await;
    let error = client(&server.base_url, fast())
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_slow_server_times_out_once() {
    let server = TestServer::with_handler(|_| Canned::new(200, OK_JSON, "{}").after(Duration::from_secs(3))).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .response_timeout(Some(Duration::from_millis(200)))
        .retry(fast())
        .build()
        .unwrap();
    let error = client.start_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert!(
        matches!(error.timeout_kind(), Some(TimeoutKind::Response(_))),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with("startStreamProcessor: timed out"),
        "{error}"
    );
    assert!(error.is_timeout());
    assert_eq!(
        server.received().len(),
        1,
        "a timed-out POST may have taken effect: not repeated"
    );
}

#[tokio::test]
async fn with_retries_disabled_a_429_reports_its_retry_after() {
    let server = TestServer::start().await;
    server.answer(Canned::new(429, "application/json", RATE_LIMITED).header("Retry-After", "30"));
    let error = client(&server.base_url, RetryPolicy::disabled())
        .start_stream_processor(GROUP, "ws", "p")
        .await;
    let error = error.unwrap_err();
    assert!(error.is_rate_limited());
    assert!(matches!(
        error,
        Error::Api {
            retry_after: Some(30),
            ..
        }
    ));
    assert_eq!(error.error_code(), Some("RATE_LIMITED"));
}

#[tokio::test]
async fn the_api_version_can_be_set_per_client_and_per_call() {
    let server = TestServer::with_handler(|_| Canned::new(200, "application/vnd.atlas.2024-05-30+json", "{}")).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .api_version("2024-05-30")
        .build()
        .unwrap();
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    client
        .start_stream_processor(GROUP, "ws", "p")
        .version("2023-02-01")
        .await
        .unwrap();
    let accepts: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.header("accept").unwrap().to_owned())
        .collect();
    assert_eq!(
        accepts,
        [
            "application/vnd.atlas.2024-05-30+json",
            "application/vnd.atlas.2023-02-01+json"
        ]
    );
    assert!(matches!(
        Client::builder().api_version("v2").build(),
        Err(Error::Config(message)) if message.contains("not an API version")
    ));
}

#[test]
fn the_client_is_cheap_to_share_across_tasks() {
    fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
    assert_shareable::<Client>();
    fn assert_send<T: Send + 'static>(_: &T) {}
    let client = Client::builder().build().unwrap();
    assert_send(&client.start_stream_processor(GROUP, "ws", "p").send());
}
