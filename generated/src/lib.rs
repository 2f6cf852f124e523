//! Typed async client for the MongoDB Atlas Stream Processing admin API.
//!
//! ```no_run
//! use atlas_streams::models::{StreamsConnectionRequest, StreamsSampleConnectionRequest};
//! use atlas_streams::Client;
//!
//! # async fn run() -> Result<(), atlas_streams::Error> {
//! let client = Client::builder().bearer_token("token").build()?;
//! let connection = StreamsConnectionRequest::Sample(StreamsSampleConnectionRequest {
//!     name: Some("sample_stream_solar".into()),
//!     ..Default::default()
//! });
//! let created = client
//!     .create_stream_connection("32b6e34b3d91647abb20e7b8", "my-workspace", connection)
//!     .await?;
//! println!("created {:?}", created.tag());
//! # Ok(())
//! # }
//! ```
//!
//! `models` and `operations` are generated from `spec/` by `atlas-streams-generator` and never
//! edited by hand; [`runtime`] is the hand-written part (transport, errors, auth, the serde
//! helpers of the generated types): the crate `atlas-streams-runtime`, re-exported here so that
//! this is the only crate a user names.
//!
//! # Features
//!
//! - `rustls` (default): TLS with rustls and the webpki roots; nothing to install.
//! - `native-tls`: the platform's TLS instead (OpenSSL on Linux: building needs `libssl-dev`
//!   and `pkg-config`). With both on, native-tls is used; with neither, only a plain-http
//!   loopback base URL or a caller-supplied `reqwest::Client` works.
//! - `gzip` (default): [`runtime::Download::into_decompressed_stream`], log downloads gunzipped
//!   on the fly (`flate2`).
//! - `test-util`: typed mocks for tests ([`mocks`], `mock!`, `mock_client!`); for
//!   `[dev-dependencies]`, so that code built for use compiles none of it.

#![warn(missing_docs)]

/// The API's data types (generated).
// Union variants hold their structs by value so they can be matched and built directly; the
// size difference between a Sample and a Kafka connection is a few hundred bytes.
#[allow(clippy::large_enum_variant)]
#[rustfmt::skip] // formatted by the generator (prettyplease); `cargo fmt` must not touch it
pub mod models;
#[rustfmt::skip]
mod operations;
#[rustfmt::skip]
mod waiters;
#[cfg(feature = "test-util")]
#[rustfmt::skip]
#[path = "mocks.rs"]
mod mock_operations;

/// The hand-written runtime the generated code builds on (the `atlas-streams-runtime` crate).
///
/// The generated files reach it as `crate::runtime`, the path it had when it was a module of
/// this crate: re-exporting it under that name keeps the generated code and the public paths
/// (`atlas_streams::runtime::...`) unchanged.
#[doc(inline)]
pub use atlas_streams_runtime as runtime;

pub use operations::*;
pub use runtime::{
    ApiError, ClientBuilder, Error, Limits, Nullable, Response, RetryPolicy, Secret, Timeouts, WaitError,
};
pub use waiters::*;

/// Typed mocks for unit tests of code that uses [`Client`] (feature `test-util`): per operation
/// a rule says what to answer, optionally only for matching inputs, and tells afterwards what
/// was sent.
///
/// ```
/// use atlas_streams::mocks::MockError;
/// use atlas_streams::models::StreamsProcessorWithStats;
/// use atlas_streams::{mock, mock_client, Client};
///
/// /// The code under test: it takes an ordinary client.
/// async fn state_of(client: &Client, name: &str) -> Result<Option<String>, atlas_streams::Error> {
///     match client.get_stream_processor("32b6e34b3d91647abb20e7b8", "ws", name).await {
///         Ok(processor) => Ok(Some(processor.state)),
///         Err(e) if e.is_not_found() => Ok(None),
///         Err(e) => Err(e),
///     }
/// }
///
/// fn processor(name: &str, state: &str) -> StreamsProcessorWithStats {
///     let id = "6630e9a5b1f3d47a5fa1e1a2".parse().expect("an object id");
///     StreamsProcessorWithStats::new(id, name.into(), Vec::new(), state.into())
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let running = mock!(Client::get_stream_processor)
///     .match_requests(|input| input.processor_name == "ingest")
///     .then_output(|| processor("ingest", "STARTED"));
/// let missing = mock!(Client::get_stream_processor)
///     .then_error(|| MockError::new(404, "STREAM_PROCESSOR_NOT_FOUND"));
/// let client = mock_client!([&running, &missing]);
///
/// assert_eq!(state_of(&client, "ingest").await.unwrap().as_deref(), Some("STARTED"));
/// assert_eq!(state_of(&client, "other").await.unwrap(), None);
/// assert_eq!((running.num_calls(), missing.num_calls()), (1, 1));
/// assert_eq!(missing.requests()[0].processor_name, "other");
/// # }
/// ```
///
/// The real request path runs: arguments are checked (an invalid one fails before any rule is
/// asked), bodies serialized, headers built, and the answer (the operation's documented status
/// and media type, or Atlas' error body) classified, retried and decoded as Atlas' would be.
/// One struct per operation holds a call's inputs (`mocks::GetStreamProcessor`: path, query
/// and header parameters and the decoded body); `mocks::get_stream_processor()` is what
/// `mock!(Client::get_stream_processor)` calls.
#[cfg(feature = "test-util")]
pub mod mocks {
    pub use crate::mock_operations::*;
    pub use crate::runtime::mock::{
        http, Body, InputError, MockError, MockOperation, Rule, RuleBuilder, Sent, Sequence,
    };

    /// A [`Client`](crate::Client) answered by rules (see [`crate::runtime::mock::MockClient`]).
    pub type MockClient = crate::runtime::mock::MockClient<crate::Client>;
}

/// Starts a mock rule for one client method: `mock!(Client::get_stream_processor)` (feature
/// `test-util`; see [`mocks`]).
#[cfg(feature = "test-util")]
#[macro_export]
macro_rules! mock {
    ($method:ident) => {
        $crate::mocks::$method()
    };
    // `Client::method`, `atlas_streams::Client::method`: the last segment names the rule.
    ($segment:ident :: $($rest:tt)+) => {
        $crate::mock!($($rest)+)
    };
}

/// A [`Client`] whose calls are answered by these rules, asked in order:
/// `mock_client!([&rule_a, &rule_b])` (feature `test-util`; see [`mocks`]).
#[cfg(feature = "test-util")]
#[macro_export]
macro_rules! mock_client {
    ([$($rule:expr),* $(,)?]) => {
        $crate::mocks::MockClient::new()$(.with_rule($rule))*.build()
    };
}

// Per-call settings, hand-written here beside the generated `Client` (a type may have inherent
// impls in any module of its crate). A setter on each request builder (`.timeouts(..)` next to
// `.version(..)`) would need the generator; until then a call gets other settings from a clone
// of the client made for it, which shares the connection pool, credentials and token cache.
impl Client {
    /// The timeouts of this client's calls.
    pub fn timeouts(&self) -> Timeouts {
        self.core().timeouts()
    }

    /// A cheap clone of this client whose calls have these timeouts, e.g. a deadline for one
    /// call: `client.with_timeouts(client.timeouts().deadline(Some(Duration::from_secs(5))))
    /// .get_stream_workspace(..).await`. It shares the connection pool, credentials and token
    /// cache. The connect timeout is per client only (`ClientBuilder::connect_timeout`).
    pub fn with_timeouts(&self, timeouts: Timeouts) -> Client {
        Client::from(self.core().with_timeouts(timeouts))
    }

    /// The body size limits of this client's calls.
    pub fn limits(&self) -> Limits {
        self.core().limits()
    }

    /// A cheap clone of this client whose calls have these body size limits, e.g. to read one
    /// very large page: `client.with_limits(client.limits().body(256 << 20))`.
    pub fn with_limits(&self, limits: Limits) -> Client {
        Client::from(self.core().with_limits(limits))
    }
}

/// The README's example is compiled as a doctest, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExample;
