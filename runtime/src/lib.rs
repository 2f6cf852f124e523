//! The hand-written runtime the generated code builds on: transport, errors, auth, retries, and
//! the serde helpers of the generated types. Nothing in here is generated.
//!
//! Users do not name this crate: `atlas-streams` re-exports what a user names (the items at this
//! crate's root) at its own root, and its generated code reaches the rest as `crate::runtime`.
//! What only the generated code calls (the request pipeline, the serde macros, ...) is in
//! [`__private`]: hidden, and no API of either crate.
//!
//! # Layout
//!
//! Dependencies between modules go one way: each module below uses only modules listed after
//! it, never one before it (so there is no import loop).
//!
//! - `mock` (feature `test-util`) — typed mocks: rules for operations, and a mock client whose
//!   transport asks them.
//! - `builder` — [`ClientBuilder`]: configuration and credentials, checked once, become a [`Core`](__private::Core).
//! - `env` — credentials and base URL from the environment variables of the Atlas CLI and the
//!   Terraform provider (`ClientBuilder::from_env`).
//! - `paginate` — every item of a paginated list as one stream, a page fetched at a time.
//! - `wait` — the loop behind the generated waiters: a GET again and again, with backoff and a
//!   deadline, until the resource's state is one waited for ([`Waiter`], the type of every
//!   generated waiter, whose `.await` runs [`wait`](__private::wait); [`WaitError`]).
//! - `call` — the `send_*` functions a generated request builder's `.await` runs: a [`Prepared`](__private::Prepared)
//!   request in, the operation's result out.
//! - `pipeline` — [`Core`](__private::Core): a client's shared state and per-call settings, a call's `tracing`
//!   span and deadline, and the retry loop, a few lines calling the two steps below until a
//!   call is done or fails (a JSON body is read inside the loop, so a lost one is retried).
//! - `attempt` — its two steps: one attempt (authenticate, build the HTTP request, send within
//!   the response timeout, refuse an answer from another origin) and the classification of its
//!   outcome (done, answer an authentication challenge, retry after a delay, fail).
//! - `transport` (feature `test-util`) — what answers an attempt instead of the network.
//! - `prepare` — a [`Request`](__private::Request) made ready to send once, before its first attempt: URL, media
//!   types, headers, body; every argument error is found here.
//! - `download` — a success body streamed as it arrives ([`Download`]), within the read idle
//!   timeout and the deadline.
//! - `response` — a success response and its body decoded ([`Response`], [`RawResponse`](__private::RawResponse)); the
//!   one reader of the rate-limit headers ([`RateLimit`]).
//! - `request` — what the generated code describes and fills in: [`Operation`](__private::Operation),
//!   [`Request`](__private::Request), and the argument checks ([`validate`](__private::validate)).
//! - `auth` — credentials: a bearer token, a service account (OAuth 2.0), an API key (Digest).
//! - `body` — waiting for a response within the time limits: headers within the response
//!   timeout, body chunks within the read idle timeout and the deadline, JSON bodies within a
//!   size limit.
//! - `retry` — [`RetryPolicy`]: what is retried and how long to wait; the one reader of
//!   `Retry-After`.
//! - `error` — [`Error`], whose messages stay short.
//! - `timeouts` — the per-call settings, [`Timeouts`] and [`Limits`].
//! - `convert` — [`ConversionError`]: why a response could not become a request body.
//! - `secret`, `pattern` — [`Secret`], validated strings ([`Validated`]).
//!
//! # Features
//!
//! `rustls` (default): TLS with rustls and the webpki roots. `native-tls`: the platform's TLS
//! (OpenSSL on Linux); with both on, native-tls is used. With neither, only `http://` base URLs
//! (or a caller-supplied `reqwest::Client`) work. `gzip` (opt-in):
//! `Download::into_decompressed_stream`. `http2` (opt-in): HTTP/2 when the server offers it
//! (ALPN), else HTTP/1.1 with pooled connections. `test-util`: the [`mock`] module and
//! `ClientBuilder::transport`, for tests; nothing of it is compiled without the feature.
//!
//! The serde helpers of the generated models stand apart from all of that: `macros` (the
//! `object!`, `string_enum!` and `tagged_union!` impls) use `objects`, which uses `union` and
//! `nullable`; `keyed` has the `keyed_union!` impls of the key-tagged unions (a pipeline's
//! stages); none of them uses the request pipeline, nor it them.

#![warn(missing_docs)]

mod attempt;
mod auth;
mod body;
mod builder;
mod call;
mod convert;
mod download;
mod env;
mod error;
#[doc(hidden)]
pub mod keyed;
mod macros;
#[cfg(feature = "test-util")]
pub mod mock;
mod nullable;
#[doc(hidden)]
pub mod objects;
mod paginate;
mod pattern;
mod pipeline;
mod prepare;
mod request;
mod response;
mod retry;
mod secret;
mod streams;
mod timeouts;
#[cfg(feature = "test-util")]
mod transport;
#[doc(hidden)]
pub mod union;
mod wait;

// The serde macros every generated model calls (`rt::object!`, ...): hidden, like `__private`.
#[doc(hidden)]
pub use crate::{
    __keyed_union as keyed_union, __object as object, __string_enum as string_enum, __tagged_union as tagged_union,
};
pub use builder::{same_origin_redirects, ClientBuilder, DEFAULT_BASE_URL};
pub use bytes::Bytes;
pub use call::BoxFuture;
pub use convert::{ConversionError, MissingReason};
pub use download::{ByteStream, Download};
pub use error::{ApiError, Error};
/// What collecting an [`ItemStream`] needs (`try_collect`, `try_next`, ...), so a caller of
/// `items()` needs no dependency of its own.
pub use futures_util::TryStreamExt;
pub use nullable::Nullable;
pub use paginate::ItemStream;
pub use pattern::{Format, InvalidValue, Validated};
/// The HTTP client crate the runtime sends with, for the types some settings take
/// (`reqwest::Proxy`, `reqwest::Certificate`, a whole `reqwest::Client`) in the version it uses.
pub use reqwest;
pub use response::{RateLimit, Response};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use streams::{PipelineError, PipelineRule};
pub use timeouts::{Limits, TimeoutKind, Timeouts};
#[cfg(feature = "test-util")]
pub use transport::{Transport, TransportFuture};
pub use wait::{WaitError, WaitFuture, Waiter};

/// An RFC 3339 date-time in UTC.
pub type DateTime = chrono::DateTime<chrono::Utc>;

/// A calendar date.
pub type Date = chrono::NaiveDate;

/// What the generated code calls and no user names: the request pipeline, the per-operation
/// description, argument checks, pagination's plumbing and the helpers of the generated
/// conversions.
///
/// Public only because the generated crate is another crate; hidden from the docs and not part
/// of the API (`atlas-streams` pins this crate to one exact version, so these may change in any
/// release). `Paged` lives here, so it is sealed in effect: only generated builders implement it.
#[doc(hidden)]
pub mod __private {
    pub use crate::auth::parse_params as auth_params;
    pub use crate::call::{
        send_download, send_empty, send_empty_with_response, send_json, send_json_with_response, Prepared,
    };
    pub use crate::convert::{convert_extra, nullable_from_option, present};
    pub use crate::objects::KeyOrder;
    pub use crate::paginate::{paged_items, paginate, Page, Paged};
    pub use crate::pattern::Pattern;
    pub use crate::pipeline::Core;
    pub use crate::request::{validate, BodyCheck, Method, Operation, Request};
    pub use crate::response::RawResponse;
    pub use crate::streams::{check_pipeline, StageCheck};
    pub use crate::wait::{wait, waiter, Acceptor, WaitSettings};
}
