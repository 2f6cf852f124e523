//! [`Core`]: a client's shared state, and the one pipeline every call goes through.
//!
//! A call is made ready once ([`prepare`]), then attempted ([`try_attempt`]) and each attempt's
//! outcome judged ([`classify`]) until it is done or fails; the loop in between is
//! `send_with_retries`, and [`Core::send`] / [`Core::send_streaming`] wrap it in the call's
//! `tracing` span and deadline. A JSON body is read inside the loop, so that one that breaks
//! off or stalls is retried like any other failure that may have reached the server.

use std::future::Future;
use std::sync::Arc;

use futures_util::future::Either;
use futures_util::FutureExt;
use http::HeaderValue;
use tracing::Instrument;

use crate::attempt::{classify, retry_or_fail, try_attempt, Channel, Decision, Judge, Next, Tries, LOG_TARGET};
use crate::auth::Auth;
use crate::body::{read_limited, Alarm, Deadline, ReadBounds, ReadError};
use crate::download::Download;
use crate::error::Error;
use crate::prepare::{prepare, Base, MediaTypeCache};
use crate::request::{Operation, Request};
use crate::response::RawResponse;
use crate::retry::{Failure, RetryPolicy};
use crate::timeouts::{Limits, TimeoutKind, Timeouts};

/// The shared request pipeline: configuration, credentials and connection pool, and the
/// settings of the calls made through it. Cheap to clone; clones share the pool and the token
/// cache, and [`with_timeouts`](Core::with_timeouts) / [`with_limits`](Core::with_limits)
/// make clones whose calls have other settings.
#[derive(Clone, Debug)]
pub struct Core {
    inner: Arc<Inner>,
    timeouts: Timeouts,
    limits: Limits,
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
    /// The `User-Agent` set on each request, for an HTTP client the caller built (the
    /// client's own sets it itself).
    user_agent: Option<HeaderValue>,
    /// What answers instead of the network, if anything (feature `test-util`).
    #[cfg(feature = "test-util")]
    transport: Option<Arc<dyn crate::transport::Transport>>,
}

/// Everything a [`Core`] is made of, as `ClientBuilder::build` checked it.
pub(crate) struct Parts {
    /// The HTTP client.
    pub(crate) http: reqwest::Client,
    /// The base URL, without a trailing `/`.
    pub(crate) base_url: String,
    /// The credentials.
    pub(crate) auth: Auth,
    /// The client's API version, if set.
    pub(crate) api_version: Option<String>,
    /// The retry policy.
    pub(crate) retry: RetryPolicy,
    /// The calls' default timeouts.
    pub(crate) timeouts: Timeouts,
    /// The calls' default body limits.
    pub(crate) limits: Limits,
    /// The `User-Agent` to set on each request (only for a caller-built HTTP client).
    pub(crate) user_agent: Option<HeaderValue>,
    /// What answers instead of the network, if anything (feature `test-util`).
    #[cfg(feature = "test-util")]
    pub(crate) transport: Option<Arc<dyn crate::transport::Transport>>,
}

/// What a call does with its success response. (A trait rather than an `async` closure: the
/// future of one is `Send` only for some lifetimes, which a boxed `Send` call future cannot
/// take.)
trait Finish {
    /// What the call returns.
    type Output;

    /// Makes the call's result of its success response; `alarm` is the call's timer.
    fn finish<'a>(
        &'a self,
        response: reqwest::Response,
        alarm: &'a mut Alarm,
    ) -> impl Future<Output = Result<Self::Output, Unfinished>> + Send + 'a;
}

/// Reads a JSON body whole, within the call's body limit.
struct ReadJson {
    operation: &'static str,
    enveloped: bool,
    read: ReadBounds,
    limit: usize,
}

impl Finish for ReadJson {
    type Output = RawResponse;

    // Futures combined rather than an `async fn`, which would hold the response twice.
    fn finish<'a>(
        &'a self,
        mut response: reqwest::Response,
        alarm: &'a mut Alarm,
    ) -> impl Future<Output = Result<RawResponse, Unfinished>> + Send + 'a {
        let (operation, limit, enveloped) = (self.operation, self.limit, self.enveloped);
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        read_limited(operation, response, self.read, limit, alarm).map(move |body| {
            let body = body.map_err(|error| match error {
                ReadError::TooLarge => Unfinished::Fail(Error::BodyTooLarge {
                    operation,
                    status,
                    limit,
                }),
                ReadError::Failed(error) => Unfinished::Lost(error),
            })?;
            tracing::debug!(target: LOG_TARGET, status, bytes = body.len(), "received");
            Ok(RawResponse {
                operation,
                status,
                headers,
                body,
                enveloped,
            })
        })
    }
}

/// Hands the body over unread, as a [`Download`].
struct Stream {
    operation: &'static str,
    read: ReadBounds,
}

impl Finish for Stream {
    type Output = Download;

    async fn finish<'a>(&'a self, response: reqwest::Response, alarm: &'a mut Alarm) -> Result<Download, Unfinished> {
        // The download's waits go on with the call's timer.
        Ok(Download::new(
            self.operation,
            response,
            self.read,
            std::mem::take(alarm),
        ))
    }
}

/// Why the body of a success response could not be had.
enum Unfinished {
    /// The call fails with this error.
    Fail(Error),
    /// The body was lost on the way (broke off, stalled): as uncertain as any failure after
    /// sending, so retried when the request is safe to repeat.
    Lost(Error),
}

impl Core {
    /// A pipeline made of `parts`.
    pub(crate) fn new(parts: Parts) -> Core {
        let inner = Inner {
            http: parts.http,
            base: Base::new(&parts.base_url),
            base_url: parts.base_url,
            auth: parts.auth,
            api_version: parts.api_version,
            retry: parts.retry,
            media_types: MediaTypeCache::default(),
            user_agent: parts.user_agent,
            #[cfg(feature = "test-util")]
            transport: parts.transport,
        };
        Core {
            inner: Arc::new(inner),
            timeouts: parts.timeouts,
            limits: parts.limits,
        }
    }

    /// The timeouts of calls made through this pipeline.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// A clone whose calls have these timeouts (sharing everything else: connection pool,
    /// credentials, token cache).
    pub fn with_timeouts(&self, timeouts: Timeouts) -> Core {
        Core {
            timeouts,
            ..self.clone()
        }
    }

    /// The body size limits of calls made through this pipeline.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// A clone whose calls have these body size limits (sharing everything else).
    pub fn with_limits(&self, limits: Limits) -> Core {
        Core { limits, ..self.clone() }
    }

    /// Sends a request (retrying as configured) and returns the success response with its
    /// body read, or the error.
    pub async fn send(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let deadline = Deadline::starting_now(self.timeouts.deadline);
        let finish = ReadJson {
            operation: operation.name,
            enveloped: request.enveloped(),
            read: self.read_bounds(deadline),
            limit: self.limits.body,
        };
        let call = self.send_with_retries(request, deadline, finish);
        within(operation, deadline, call)
            .instrument(request_span(operation))
            .await
    }

    /// Sends a request (retrying as configured until a success status arrives) and hands the
    /// body over unread, to be streamed within the read idle timeout and the call's deadline.
    pub async fn send_streaming(&self, request: Request) -> Result<Download, Error> {
        let operation = request.operation;
        let deadline = Deadline::starting_now(self.timeouts.deadline);
        let finish = Stream {
            operation: operation.name,
            read: self.read_bounds(deadline),
        };
        let call = self.send_with_retries(request, deadline, finish);
        within(operation, deadline, call)
            .instrument(request_span(operation))
            .await
    }

    fn read_bounds(&self, deadline: Option<Deadline>) -> ReadBounds {
        ReadBounds {
            idle: self.timeouts.read_idle,
            deadline,
        }
    }

    /// The retry loop: attempts until [`classify`] says done or fail, then `finish`es the
    /// success response (reads its body, or hands it over); a body lost on the way goes back
    /// to the loop as a failed attempt.
    async fn send_with_retries<F: Finish>(
        &self,
        request: Request,
        deadline: Option<Deadline>,
        finish: F,
    ) -> Result<F::Output, Error> {
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
        let channel = Channel {
            http: &inner.http,
            auth: &inner.auth,
            user_agent: inner.user_agent.as_ref(),
            response_timeout: self.timeouts.response,
            #[cfg(feature = "test-util")]
            transport: inner.transport.as_deref(),
        };
        let judge = Judge {
            auth: &inner.auth,
            policy: &inner.retry,
            error_body_limit: self.limits.error_body,
            read: self.read_bounds(deadline),
        };
        let mut tries = Tries::default();
        let mut alarm = Alarm::new(self.timeouts.read_idle);
        loop {
            tries.attempt += 1;
            let outcome = try_attempt(&channel, &request, tries.attempt, &mut alarm).await?;
            let next = match classify(outcome, &judge, operation, tries, &mut alarm).await {
                Decision::Done(response) => match finish.finish(response, &mut alarm).await {
                    Ok(value) => return Ok(value),
                    Err(Unfinished::Fail(error)) => Next::Fail(error),
                    Err(Unfinished::Lost(error)) => {
                        retry_or_fail(&inner.retry, operation, tries, error, Failure::Ambiguous)
                    }
                },
                Decision::Next(next) => next,
            };
            match next {
                Next::Reauthenticate => {
                    tries.attempt -= 1; // answering a challenge is not a failed attempt
                    tries.auth_retries += 1;
                    let auth_retries = tries.auth_retries;
                    tracing::debug!(target: LOG_TARGET, auth_retries, "answering an authentication challenge");
                }
                Next::Retry { delay, error } => {
                    // A wait that would end past the deadline ends the call now, with the
                    // error that asked for it rather than a timeout.
                    let ends = tokio::time::Instant::now().checked_add(delay);
                    if deadline.is_some_and(|d| ends.is_none_or(|ends| ends >= d.at)) {
                        return Err(error);
                    }
                    let attempt = tries.attempt;
                    let delay_ms = delay.as_millis() as u64;
                    tracing::warn!(target: LOG_TARGET, operation = operation.name, attempt, delay_ms, error = %error, "retrying");
                    tokio::time::sleep(delay).await;
                }
                Next::Fail(error) => return Err(error),
            }
        }
    }
}

/// `call` within the call's `deadline`, if it has one.
///
/// A plain function combining futures rather than an `async fn`: an `async fn` taking the
/// call's future would hold it twice (as its argument and as the future it awaits), doubling
/// the size of every call's future (allocated and moved once per call).
fn within<T>(
    operation: &'static Operation,
    deadline: Option<Deadline>,
    call: impl Future<Output = Result<T, Error>>,
) -> impl Future<Output = Result<T, Error>> {
    match deadline {
        None => Either::Left(call),
        Some(deadline) => Either::Right(tokio::time::timeout_at(deadline.at, call).map(move |result| {
            result.unwrap_or_else(|_| {
                Err(Error::Timeout {
                    operation: operation.name,
                    kind: TimeoutKind::Deadline(deadline.after),
                })
            })
        })),
    }
}

/// The span of one call, around all its attempts.
fn request_span(operation: &Operation) -> tracing::Span {
    tracing::info_span!(target: LOG_TARGET, "atlas_streams.request", operation = operation.name, method = ?operation.method)
}
