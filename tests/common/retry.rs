//! What the retry tests (`client_retry.rs`, `retry_logs.rs`) share: a client with a bearer
//! token the logs must never show, and the bodies the server answers with.

use atlas_streams::{Client, RetryPolicy};

/// The group id every retry test calls with.
pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";
/// The success media type of `startStreamProcessor`.
pub const OK_JSON: &str = "application/vnd.atlas.2024-08-05+json";
/// A 429 error body.
pub const RATE_LIMITED: &str = r#"{"error":429,"errorCode":"RATE_LIMITED","reason":"Too Many Requests"}"#;

/// A client of `server_url` with `retry`, authenticated with a token containing `RETRY-SECRET`.
pub fn client(server_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server_url)
        .bearer_token("tok-RETRY-SECRET")
        .retry(retry)
        .build()
        .unwrap()
}
