//! One attempt at sending a request, and what to make of it: the two steps the retry loop of
//! [`Core`](crate::Core) repeats.
//!
//! [`try_attempt`] authenticates, builds the HTTP request, sends it and returns what came back
//! (an [`Outcome`]); [`classify`] judges that outcome: done, answer an authentication
//! challenge, retry after a delay, or fail (a [`Decision`]). Neither loops, sleeps or counts:
//! the loop does, with the [`Tries`] so far.

use std::time::Duration;

use crate::auth::{Auth, Sent};
use crate::error::Error;
use crate::prepare::ReadyRequest;
use crate::request::Operation;
use crate::retry::{retry_after, Failure, RetryPolicy};

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

/// Makes one attempt: credentials for it, the HTTP request, sending it; returns the response
/// (whatever its status) or why there is none. `Err` only for what sending again cannot mend
/// (credentials that cannot be used), which ends the call.
pub(crate) async fn try_attempt(
    http: &reqwest::Client,
    auth: &Auth,
    request: &ReadyRequest<'_>,
    attempt: u32,
) -> Result<Outcome, Error> {
    let operation = request.operation.name;
    let sent = match auth
        .authorize(operation, request.method().as_str(), request.url())
        .await
    {
        Ok(sent) => sent,
        // No request has reached the API yet: a token fetch that could not connect is as safe
        // to repeat as a connection that could not be made.
        Err(error @ Error::Transport { .. }) => return Ok(Outcome::Failed(error, Failure::NotSent)),
        Err(error) => return Err(error),
    };
    let http_request = request.to_http(sent.header.as_ref());
    tracing::debug!(target: LOG_TARGET, attempt, version = request.version.as_deref(), "sending");
    Ok(match http.execute(http_request).await {
        Ok(response) => Outcome::Answered(response, sent),
        Err(e) => {
            let failure = if e.is_connect() {
                Failure::NotSent
            } else {
                Failure::Ambiguous
            };
            Outcome::Failed(Error::transport(operation, e), failure)
        }
    })
}

/// Judges an attempt's outcome after `tries`.
///
/// A 401 goes to the credentials first, while fewer than [`AUTH_RETRIES`] challenges have been
/// answered: a service account drops the refused token, Digest takes up the challenge, and the
/// request is sent again. A success status is done. Any other status becomes
/// [`Error::Api`] (its body read here: it is the error), and that or a failure to get an answer
/// is retried as `policy` says for the operation, or fails.
pub(crate) async fn classify(
    outcome: Outcome,
    auth: &Auth,
    policy: &RetryPolicy,
    operation: &'static Operation,
    tries: Tries,
) -> Decision {
    let (error, failure) = match outcome {
        Outcome::Failed(error, failure) => (error, failure),
        Outcome::Answered(mut response, sent) => {
            let status = response.status().as_u16();
            if status == 401
                && tries.auth_retries < AUTH_RETRIES
                && auth.on_unauthorized(response.headers(), &sent).await
            {
                return Decision::Reauthenticate;
            }
            if (200..300).contains(&status) {
                return Decision::Done(response);
            }
            let headers = std::mem::take(response.headers_mut());
            let body = match response.bytes().await {
                Ok(body) => body,
                // The error body broke off: the call fails with that, without retrying.
                Err(e) => return Decision::Fail(Error::transport(operation.name, e)),
            };
            tracing::debug!(target: LOG_TARGET, status, "received an error status");
            let retry_after = retry_after(&headers);
            let error = Error::api(operation.name, status, &body, retry_after);
            (error, Failure::Status(status, retry_after))
        }
    };
    match policy.delay(failure, operation.idempotent, tries.attempt) {
        Some(delay) => Decision::Retry { delay, error },
        None => Decision::Fail(error),
    }
}
