//! The hand-written runtime the generated code builds on: transport, errors, auth, and the
//! serde helpers of the generated types. Nothing in here is generated.

#![warn(missing_docs)]

mod auth;
mod client;
mod download;
mod error;
mod macros;
mod nullable;
#[doc(hidden)]
pub mod objects;
mod paginate;
mod pattern;
mod request;
mod retry;
mod secret;
mod transport;
#[doc(hidden)]
pub mod union;

use std::future::Future;
use std::pin::Pin;

#[doc(hidden)]
pub use crate::{__object as object, __string_enum as string_enum, __tagged_union as tagged_union};
pub use bytes::Bytes;
pub use client::{same_host_redirects, ClientBuilder, Core, DEFAULT_BASE_URL};
pub use download::{ByteStream, Download};
pub use error::{ApiError, Error};
pub use nullable::Nullable;
pub use paginate::{paged_items, paginate, ItemStream, Page, Paged};
pub use pattern::{Format, InvalidValue, Pattern, Validated};
pub use request::{
    send_download, send_empty, send_empty_with_response, send_json, send_json_with_response, validate, Method,
    Operation, Prepared, RateLimit, RawResponse, Request, Response,
};
pub use retry::RetryPolicy;
pub use secret::Secret;

/// An RFC 3339 date-time in UTC.
pub type DateTime = chrono::DateTime<chrono::Utc>;

/// A calendar date.
pub type Date = chrono::NaiveDate;

/// The future a request builder turns into.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;
