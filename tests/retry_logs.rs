//! What the client's `tracing` events say about a retry (and that no credential is in them).
//!
//! A test binary of its own, on purpose: `tracing` caches per call site, process-wide, whether
//! any subscriber wants its events. With other tests in the same binary making requests on
//! other threads while this one installs its thread's subscriber, a call site can cache "no
//! interest" and this test then sees no events (it failed that way, rarely, beside the other
//! retry tests).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_streams::RetryPolicy;
use common::retry::{client, GROUP, OK_JSON, RATE_LIMITED};
use common::{Canned, TestServer};

/// Collects what the client's `tracing` events print.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_the_call_succeeds() {
    let server = TestServer::start().await;
    server.answer(Canned::new(429, "application/json", RATE_LIMITED).header("Retry-After", "1"));
    server.answer(Canned::new(200, OK_JSON, "{}"));
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let started = Instant::now();
    client(&server.base_url, RetryPolicy::default())
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was honoured"
    );
    assert_eq!(server.received().len(), 2);

    let printed = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        printed.contains("retrying") && printed.contains("startStreamProcessor"),
        "{printed}"
    );
    assert!(printed.contains("delay_ms=1000"), "{printed}");
    assert!(
        !printed.contains("RETRY-SECRET"),
        "a credential reached the logs: {printed}"
    );
}
