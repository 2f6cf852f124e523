//! What answers a client's HTTP requests instead of the network (feature `test-util`): the seam
//! the typed mocks ([`crate::mock`]) plug into.
//!
//! It sits below the whole request pipeline: arguments are checked, the URL, headers and body
//! built, credentials added, exactly as for the network; only the sending is replaced. What the
//! transport answers then goes through the same classification (statuses, `Retry-After`,
//! retries, error bodies, decoding) as an answer from Atlas.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use reqwest::ResponseBuilderExt;

use crate::error::Error;
use crate::request::Operation;

/// The future a [`Transport`] answers with.
pub type TransportFuture = Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, Error>> + Send>>;

/// Answers the attempts of a client's calls instead of the network (feature `test-util`; set
/// with `ClientBuilder::transport`).
pub trait Transport: Send + Sync + fmt::Debug + 'static {
    /// Answers one attempt of `operation`: the HTTP request as it would have been sent (URL,
    /// headers, credentials, body) in, an HTTP response of any status out. An `Err` ends the
    /// call with that error, without a retry.
    fn send(&self, operation: &'static Operation, request: reqwest::Request) -> TransportFuture;
}

/// Sends `request` through `transport` and makes its answer a response the pipeline reads like
/// one from the network (its URL the request's, so the same-origin check holds).
pub(crate) async fn send(
    transport: &dyn Transport,
    operation: &'static Operation,
    request: reqwest::Request,
) -> Result<reqwest::Response, Error> {
    let url = request.url().clone();
    let (parts, body) = transport.send(operation, request).await?.into_parts();
    let mut builder = http::Response::builder()
        .status(parts.status)
        .version(parts.version)
        .url(url);
    if let Some(headers) = builder.headers_mut() {
        *headers = parts.headers;
    }
    let response = builder.body(body).map_err(|e| Error::Mock {
        operation: operation.name,
        message: format!("the transport's response cannot be used: {e}"),
    })?;
    Ok(reqwest::Response::from(response))
}
