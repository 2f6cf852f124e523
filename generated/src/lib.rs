#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

/// The API's data types (generated from the spec).
// Union variants hold their structs by value so they can be matched and built directly; the
// size difference between a Sample and a Kafka connection is a few hundred bytes.
#[allow(clippy::large_enum_variant)]
#[rustfmt::skip] // formatted by the generator (prettyplease); `cargo fmt` must not touch it
pub mod models;
#[rustfmt::skip]
mod operations;
/// One request builder per operation (generated): what a [`Client`] method returns. Set the
/// optional parameters on it, then `.await` it (or call `send`).
#[rustfmt::skip]
pub mod builders;
/// Waiters (generated from the spec's `x-waiters`): a [`Client`] method per waiter polls a
/// resource until it reaches a state; its builder sets the delays and the deadline.
#[rustfmt::skip]
pub mod waiters;
#[cfg(feature = "test-util")]
#[rustfmt::skip]
#[path = "mocks.rs"]
mod mock_operations;

/// The hand-written runtime the generated code builds on (the `atlas-streams-runtime` crate).
///
/// The generated files reach it as `crate::runtime`. Not API: what a caller names is
/// re-exported at the root or in a module by purpose (by `operations`, which lists it); the
/// rest is the generated code's plumbing. Public (and hidden) only for this workspace's
/// benchmarks and tests.
#[doc(hidden)]
pub use atlas_streams_runtime as runtime;

/// The client and its builder, the runtime types a caller names (`Error`, `Secret`, ...), and
/// the modules `error`, `primitives` and `config` (generated: `operations.rs`).
pub use operations::*;

/// Typed mocks for unit tests of code that uses [`Client`] (feature `test-util`): per operation
/// a rule says what to answer, optionally only for matching inputs, and tells afterwards what
/// was sent.
///
/// ```
/// use atlas_streams::mocks::MockError;
/// use atlas_streams::models::{StreamsProcessorState, StreamsProcessorWithStats, StreamsProcessorWithStatsId};
/// use atlas_streams::{mock, mock_client, Client};
///
/// /// The code under test: it takes an ordinary client.
/// async fn state_of(client: &Client, name: &str) -> Result<Option<StreamsProcessorState>, atlas_streams::Error> {
///     match client.get_stream_processor("32b6e34b3d91647abb20e7b8", "ws", name).await {
///         Ok(processor) => Ok(Some(processor.state)),
///         Err(e) if e.is_not_found() => Ok(None),
///         Err(e) => Err(e),
///     }
/// }
///
/// fn processor(name: &str, state: &str) -> StreamsProcessorWithStats {
///     let id = "6630e9a5b1f3d47a5fa1e1a2".parse::<StreamsProcessorWithStatsId>().expect("an id");
///     StreamsProcessorWithStats::new(id, name, Vec::new(), state)
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
/// assert_eq!(state_of(&client, "ingest").await.unwrap(), Some(StreamsProcessorState::Started));
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
    /// What a transport of one's own (`ClientBuilder::transport`) implements, and the
    /// description of the operation it is handed (`Operation`: its name, method, path
    /// template, versions; generated per operation and read, never built, by a transport).
    pub use crate::runtime::{
        __private::{Method, Operation},
        Transport, TransportFuture,
    };

    /// A [`Client`](crate::Client) answered by rules: `MockClient::new().with_rule(&rule)`,
    /// `.configure(|builder| ..)`, then `.build()` (or `.try_build()`); `mock_client!` is the
    /// short form.
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
