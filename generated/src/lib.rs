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

#![warn(missing_docs)]

/// The API's data types (generated).
// Union variants hold their structs by value so they can be matched and built directly; the
// size difference between a Sample and a Kafka connection is a few hundred bytes.
#[allow(clippy::large_enum_variant)]
#[rustfmt::skip] // formatted by the generator (prettyplease); `cargo fmt` must not touch it
pub mod models;
#[rustfmt::skip]
mod operations;

/// The hand-written runtime the generated code builds on (the `atlas-streams-runtime` crate).
///
/// The generated files reach it as `crate::runtime`, the path it had when it was a module of
/// this crate: re-exporting it under that name keeps the generated code and the public paths
/// (`atlas_streams::runtime::...`) unchanged.
#[doc(inline)]
pub use atlas_streams_runtime as runtime;

pub use operations::*;
pub use runtime::{ApiError, ClientBuilder, Error, Limits, Nullable, Response, RetryPolicy, Secret, Timeouts};

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
