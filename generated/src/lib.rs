//! Typed async client for the MongoDB Atlas Stream Processing admin API.
//!
//! ```no_run
//! use atlas_streams::models::StreamsSampleConnectionRequest;
//! use atlas_streams::Client;
//!
//! # async fn run() -> Result<(), atlas_streams::Error> {
//! let client = Client::builder().bearer_token("token").build()?;
//! let sample = StreamsSampleConnectionRequest::new().name("sample_stream_solar");
//! let created = client
//!     .create_stream_connection("32b6e34b3d91647abb20e7b8", "my-workspace", sample)
//!     .await?;
//! println!("created {:?}", created.tag());
//! # Ok(())
//! # }
//! ```
//!
//! `models` and `operations` are generated from `spec/` by `atlas-streams-generator` and never
//! edited by hand; the crate root re-exports the client, its builders and the runtime types a
//! caller names (`Error`, `Secret`, `Nullable`, `RetryPolicy`, ...). The runtime itself (the
//! crate `atlas-streams-runtime`: transport, auth, the serde helpers of the generated types) is
//! no API of this crate: it is pinned to one exact version and may change in any release.
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
/// The generated files reach it as `crate::runtime`. Not API: what a caller names is
/// re-exported at the root (by `operations`, which lists it); the rest is the generated
/// code's plumbing. Public (and hidden) only for this workspace's benchmarks and tests.
#[doc(hidden)]
pub use atlas_streams_runtime as runtime;

/// The client, its builder, one request builder per operation, and the runtime types a caller
/// names.
pub use operations::*;

/// The README's example is compiled as a doctest, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExample;
