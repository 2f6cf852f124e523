//! One attempt at sending a request, and what to make of it: the two steps the retry loop of
//! [`Core`](crate::Core) repeats.
//!
//! [`try_attempt`] authenticates, builds the HTTP request, sends it within the response timeout
//! and returns what came back (an [`Outcome`]); [`classify`] judges that outcome: done, or
//! next answer an authentication challenge, retry after a delay, or fail (a [`Decision`]).
//! Neither loops, sleeps or counts: the loop does, with the [`Tries`] so far.

use std::future::Future;
use std::time::Duration;

use http::HeaderValue;

use crate::auth::{Auth, Sent};
use crate::body::{headers_within, read_error_body, Alarm, ReadBounds};
use crate::error::Error;
use crate::prepare::ReadyRequest;
use crate::request::Operation;
use crate::retry::{retry_after, Failure, RetryPolicy};
use crate::timeouts::TimeoutKind;

/// The `tracing` target of the request span and the pipeline's events: the module path they had
/// when the runtime was a module of the `atlas-streams` crate, kept so that log filters written
/// for it (`RUST_LOG=atlas_streams::runtime=debug`) still match.
pub(crate) const LOG_TARGET: &str = "atlas_streams::runtime::transport";

/// At most this many extra attempts answer authentication challenges (a Digest challenge,
/// then a stale nonce; or one refreshed service-account token).
const AUTH_RETRIES: u32 = 2;

/// What one attempt came to, before it is judged.
pub(crate) enum Outcome {
    /// The server answered, with any status; the body is still unread. `Sent` is what the
    /// credentials sent, for answering a 401.
    Answered(reqwest::Response, Sent),
    /// No answer: the error, and whether the request may have reached the server.
    Failed(Error, Failure),
}

/// What the loop does after an attempt.
pub(crate) enum Decision {
    /// A success status: the response, its body still unread.
    Done(reqwest::Response),
    /// Not done: what to do next.
    Next(Next),
}

/// What the loop does after an attempt that did not succeed.
pub(crate) enum Next {
    /// The credentials took up an authentication challenge: send again at once. This does not
    /// count as a failed attempt.
    Reauthenticate,
    /// Send again after `delay`; `error` is why this attempt failed (for the log).
    Retry {
        /// How long to wait first.
        delay: Duration,
        /// This attempt's error.
        error: Error,
    },
    /// Give up: the call fails with this error.
    Fail(Error),
}

/// How many times a call has been sent so far.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tries {
    /// Attempts, the current one included; an answered authentication challenge is not one.
    pub(crate) attempt: u32,
    /// Authentication challenges answered.
    pub(crate) auth_retries: u32,
}

/// What an attempt is sent with: the HTTP client, the credentials, and the settings of the
/// call that apply to one attempt.
pub(crate) struct Channel<'a> {
    /// The HTTP client.
    pub(crate) http: &'a reqwest::Client,
    /// The credentials.
    pub(crate) auth: &'a Auth,
    /// The `User-Agent` to set on each request, when the HTTP client does not set it (a
    /// caller-supplied one).
    pub(crate) user_agent: Option<&'a HeaderValue>,
    /// The time limit for an attempt's response headers.
    pub(crate) response_timeout: Option<Duration>,
    /// What answers instead of the network, if anything (feature `test-util`).
    #[cfg(feature = "test-util")]
    pub(crate) transport: Option<&'a dyn crate::transport::Transport>,
}

/// What an attempt's outcome is judged with.
pub(crate) struct Judge<'a> {
    /// The credentials, which answer a 401.
    pub(crate) auth: &'a Auth,
    /// What is retried, how often and after how long.
    pub(crate) policy: &'a RetryPolicy,
    /// The most of an error body read.
    pub(crate) error_body_limit: usize,
    /// How long each wait for error body bytes may take.
    pub(crate) read: ReadBounds,
}

/// Makes one attempt: credentials for it, the HTTP request, sending it; returns the response
/// (whatever its status) or why there is none. `Err` only for what sending again cannot mend
/// (credentials that cannot be used, an answer from another origin), which ends the call.
pub(crate) async fn try_attempt(
    channel: &Channel<'_>,
    request: &ReadyRequest<'_>,
    attempt: u32,
    alarm: &mut Alarm,
) -> Result<Outcome, Error> {
    let operation = request.operation.name;
    let sent = match channel
        .auth
        .authorize(operation, request.method().as_str(), request.url())
        .await
    {
        Ok(sent) => sent,
        // No request has reached the API yet: a token fetch that could not connect, timed out
        // or met a busy token endpoint is as safe to repeat as a connection not made.
        Err(error @ (Error::Transport { .. } | Error::Timeout { .. })) => {
            return Ok(Outcome::Failed(error, Failure::NotSent))
        }
        Err(
            error @ Error::Auth {
                status: Some(429 | 500..=599),
                ..
            },
        ) => return Ok(Outcome::Failed(error, Failure::NotSent)),
        Err(error) => return Err(error),
    };
    let http_request = request.to_http(sent.header.as_ref(), channel.user_agent);
    tracing::debug!(target: LOG_TARGET, attempt, version = request.version.as_deref(), "sending");
    #[cfg(feature = "test-util")]
    if let Some(transport) = channel.transport {
        // Boxed, like the other rare paths: it would otherwise enlarge every call's future.
        let answer = Box::pin(crate::transport::send(transport, request.operation, http_request));
        let answer = match channel.response_timeout {
            None => answer.await,
            Some(timeout) => match tokio::time::timeout(timeout, answer).await {
                Ok(answer) => answer,
                // As from the network: the request may have been taken.
                Err(_) => {
                    let kind = TimeoutKind::Response(timeout);
                    return Ok(Outcome::Failed(Error::Timeout { operation, kind }, Failure::Ambiguous));
                }
            },
        };
        return answer.map(|response| Outcome::Answered(response, sent));
    }
    let sending = channel.http.execute(http_request);
    Ok(
        match headers_within(operation, channel.response_timeout, alarm, sending).await {
            Ok(response) => {
                check_origin(operation, request.url(), response.url())?;
                Outcome::Answered(response, sent)
            }
            Err(error) => {
                let failure = match &error {
                    // Nothing was sent: the connection was never made.
                    Error::Transport { source, .. } if source.is_connect() => Failure::NotSent,
                    Error::Timeout {
                        kind: TimeoutKind::Connect,
                        ..
                    } => Failure::NotSent,
                    _ => Failure::Ambiguous,
                };
                Outcome::Failed(error, failure)
            }
        },
    )
}

/// Refuses an answer that came from another origin than the request's (scheme, host and
/// port): only a caller-supplied `reqwest::Client` can have followed such a redirect, and the
/// call must not go on as if the API had answered.
fn check_origin(operation: &'static str, sent_to: &url::Url, answered_by: &url::Url) -> Result<(), Error> {
    // Without a redirect the two are the same URL: no parsing on the usual path.
    if sent_to.as_str() == answered_by.as_str() || same_origin(sent_to, answered_by) {
        return Ok(());
    }
    Err(Error::Redirected {
        operation,
        origin: answered_by.origin().ascii_serialization(),
    })
}

/// Whether two URLs have the same scheme, host and port (default ports made explicit).
pub(crate) fn same_origin(a: &url::Url, b: &url::Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

/// Judges an attempt's outcome after `tries`.
///
/// A 401 goes to the credentials first, while fewer than [`AUTH_RETRIES`] challenges have been
/// answered: a service account drops the refused token, Digest takes up the challenge, and the
/// request is sent again. A success status is done (its body still unread). Any other status
/// becomes [`Error::Api`] (its body read here, within the error body limit: it is the error),
/// and that or a failure to get an answer is retried as the policy says for the operation, or
/// fails.
pub(crate) fn classify<'a>(
    outcome: Outcome,
    judge: &'a Judge<'_>,
    operation: &'static Operation,
    tries: Tries,
    alarm: &'a mut Alarm,
) -> impl Future<Output = Decision> + Send + 'a {
    // An `async move` block rather than an `async fn`, which would hold the outcome (a whole
    // response) twice in every call's future.
    async move {
        let (error, failure) = match outcome {
            Outcome::Failed(error, failure) => (error, failure),
            Outcome::Answered(mut response, sent) => {
                let status = response.status().as_u16();
                if status == 401
                    && tries.auth_retries < AUTH_RETRIES
                    && judge.auth.on_unauthorized(response.headers(), &sent).await
                {
                    return Decision::Next(Next::Reauthenticate);
                }
                if (200..300).contains(&status) {
                    return Decision::Done(response);
                }
                let headers = std::mem::take(response.headers_mut());
                // Boxed: an error is the rare path, and its state would otherwise enlarge every
                // call's future (allocated and moved once per call).
                let (body, cut_at) = Box::pin(read_error_body(
                    operation.name,
                    response,
                    judge.read,
                    judge.error_body_limit,
                    alarm,
                ))
                .await;
                tracing::debug!(target: LOG_TARGET, status, "received an error status");
                let retry_after = retry_after(&headers);
                let error = Error::api(operation.name, status, &body, retry_after, cut_at);
                (error, Failure::Status(status, retry_after))
            }
        };
        Decision::Next(retry_or_fail(judge.policy, operation, tries, error, failure))
    }
}

/// Retries after a delay, or fails, as `policy` says for this failure of `operation`.
pub(crate) fn retry_or_fail(
    policy: &RetryPolicy,
    operation: &Operation,
    tries: Tries,
    error: Error,
    failure: Failure,
) -> Next {
    match policy.delay(failure, operation.idempotent, tries.attempt) {
        Some(delay) => Next::Retry { delay, error },
        None => Next::Fail(error),
    }
}
