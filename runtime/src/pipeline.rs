//! [`Core`]: a client's shared state, and the one non-generic pipeline every call goes through.
//!
//! A call is made ready once ([`prepare`]), then attempted ([`try_attempt`]) and each attempt's
//! outcome judged ([`classify`]) until it is done or fails; the loop in between is
//! `send_with_retries`, and [`Core::send`] / [`Core::send_streaming`] wrap it in the call's
//! `tracing` span.

use std::sync::Arc;

use tracing::Instrument;

use crate::attempt::{classify, try_attempt, Decision, Tries, LOG_TARGET};
use crate::auth::Auth;
use crate::download::Download;
use crate::error::Error;
use crate::prepare::{prepare, Base, MediaTypeCache};
use crate::request::{Operation, Request};
use crate::response::RawResponse;
use crate::retry::RetryPolicy;

/// The shared request pipeline: configuration, credentials and connection pool. Cheap to
/// clone; clones share the pool and the token cache.
#[derive(Clone, Debug)]
pub struct Core {
    inner: Arc<Inner>,
}

/// What the clones of a [`Core`] share.
#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    /// The base URL as configured, without a trailing `/`.
    base_url: String,
    /// The base URL parsed once, when request URLs can be made from it by setting their path.
    base: Option<Base>,
    auth: Auth,
    api_version: Option<String>,
    retry: RetryPolicy,
    media_types: MediaTypeCache,
}

impl Core {
    /// A pipeline sending with `http` to `base_url` (without a trailing `/`), as `auth`, with
    /// the client's `api_version` (if set) and `retry` policy.
    pub(crate) fn new(
        http: reqwest::Client,
        base_url: String,
        auth: Auth,
        api_version: Option<String>,
        retry: RetryPolicy,
    ) -> Core {
        let inner = Inner {
            http,
            base: Base::new(&base_url),
            base_url,
            auth,
            api_version,
            retry,
            media_types: MediaTypeCache::default(),
        };
        Core { inner: Arc::new(inner) }
    }

    /// Sends a request (retrying as configured) and returns the success response with its
    /// body read, or the error.
    pub async fn send(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let enveloped = request.enveloped();
        async move {
            let mut response = self.send_with_retries(request).await?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = response
                .bytes()
                .await
                .map_err(|e| Error::transport(operation.name, e))?;
            tracing::debug!(target: LOG_TARGET, status, bytes = body.len(), "received");
            Ok(RawResponse {
                operation: operation.name,
                status,
                headers,
                body,
                enveloped,
            })
        }
        .instrument(request_span(operation))
        .await
    }

    /// Sends a request (retrying as configured until a success status arrives) and hands the
    /// body over unread, to be streamed.
    pub async fn send_streaming(&self, request: Request) -> Result<Download, Error> {
        let operation = request.operation;
        let response = self
            .send_with_retries(request)
            .instrument(request_span(operation))
            .await?;
        Ok(Download::new(operation.name, response))
    }

    /// The retry loop: attempts until [`classify`] says done or fail; returns a success
    /// response whose body is still unread.
    async fn send_with_retries(&self, request: Request) -> Result<reqwest::Response, Error> {
        let inner = &*self.inner;
        // Everything that can be wrong with the arguments is found before the first byte is sent.
        let request = prepare(
            request,
            &inner.base_url,
            inner.base.as_ref(),
            inner.api_version.as_deref(),
            &inner.media_types,
        )?;
        let operation = request.operation;
        let mut tries = Tries::default();
        loop {
            tries.attempt += 1;
            let outcome = try_attempt(&inner.http, &inner.auth, &request, tries.attempt).await?;
            match classify(outcome, &inner.auth, &inner.retry, operation, tries).await {
                Decision::Done(response) => return Ok(response),
                Decision::Reauthenticate => {
                    tries.attempt -= 1; // answering a challenge is not a failed attempt
                    tries.auth_retries += 1;
                    let auth_retries = tries.auth_retries;
                    tracing::debug!(target: LOG_TARGET, auth_retries, "answering an authentication challenge");
                }
                Decision::Retry { delay, error } => {
                    let attempt = tries.attempt;
                    let delay_ms = delay.as_millis() as u64;
                    tracing::warn!(target: LOG_TARGET, operation = operation.name, attempt, delay_ms, error = %error, "retrying");
                    tokio::time::sleep(delay).await;
                }
                Decision::Fail(error) => return Err(error),
            }
        }
    }
}

/// The span of one call, around all its attempts.
fn request_span(operation: &Operation) -> tracing::Span {
    tracing::info_span!(target: LOG_TARGET, "atlas_streams.request", operation = operation.name, method = ?operation.method)
}
