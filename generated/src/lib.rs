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
pub use runtime::{ApiError, Error, Nullable, Response, RetryPolicy, Secret};

/// The README's example is compiled as a doctest, so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExample;
