//! Waiting for a response within the time limits: its headers within the response timeout
//! ([`headers_within`]), then its body chunk by chunk, each wait bounded by the read idle
//! timeout and the call's deadline, the whole bounded by a size limit where there is one.
//!
//! Why not reqwest's own `timeout`: it covers the whole body, so a log download that flows
//! steadily for longer than the timeout was cut off. Waiting for each chunk instead lets a body
//! of any length through while bytes keep coming, and still ends one that stalls.

use std::future::Future;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::FutureExt;
use tokio::time::Instant;

use crate::error::Error;
use crate::timeouts::TimeoutKind;

/// Waits for `send` (a request's response headers) at most `timeout`; longer is
/// [`Error::Timeout`] with [`TimeoutKind::Response`]. Errors of `send` are transport errors.
pub(crate) async fn headers_within(
    operation: &'static str,
    timeout: Option<Duration>,
    send: impl Future<Output = Result<reqwest::Response, reqwest::Error>>,
) -> Result<reqwest::Response, Error> {
    let response = match timeout {
        None => send.await,
        Some(timeout) => tokio::time::timeout(timeout, send).await.map_err(|_| Error::Timeout {
            operation,
            kind: TimeoutKind::Response(timeout),
        })?,
    };
    response.map_err(|e| Error::transport(operation, e))
}

/// A call's deadline: when it is, and how long the call was given (for the error).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    /// The instant the call must be done by.
    pub(crate) at: Instant,
    /// The deadline as configured.
    pub(crate) after: Duration,
}

impl Deadline {
    /// The deadline of a call starting now, if it has one (one too far ahead to represent is
    /// none).
    pub(crate) fn starting_now(after: Option<Duration>) -> Option<Deadline> {
        let after = after?;
        Some(Deadline {
            at: Instant::now().checked_add(after)?,
            after,
        })
    }
}

/// How long each wait for body bytes may take.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReadBounds {
    /// The read idle timeout.
    pub(crate) idle: Option<Duration>,
    /// The call's deadline.
    pub(crate) deadline: Option<Deadline>,
}

impl ReadBounds {
    /// The next chunk of `response`'s body, `None` at its end; a wait longer than the idle
    /// timeout or past the deadline is [`Error::Timeout`].
    pub(crate) async fn next_chunk(
        &self,
        operation: &'static str,
        response: &mut reqwest::Response,
    ) -> Result<Option<Bytes>, Error> {
        // A deadline passes even for a body whose every chunk is ready at once.
        if let Some(deadline) = self.deadline.filter(|d| Instant::now() >= d.at) {
            return Err(Error::Timeout {
                operation,
                kind: TimeoutKind::Deadline(deadline.after),
            });
        }
        let mut chunk = std::pin::pin!(response.chunk());
        // A small body is usually in already: no timer for a ready chunk.
        if let Some(ready) = chunk.as_mut().now_or_never() {
            return ready.map_err(|e| Error::transport(operation, e));
        }
        let now = Instant::now();
        let idle = self
            .idle
            .and_then(|idle| Some((now.checked_add(idle)?, TimeoutKind::ReadIdle(idle))));
        let deadline = self.deadline.map(|d| (d.at, TimeoutKind::Deadline(d.after)));
        // Whichever limit comes first is the one that applies to this wait.
        let limit = match (idle, deadline) {
            (Some(i), Some(d)) => Some(if d.0 <= i.0 { d } else { i }),
            (i, d) => i.or(d),
        };
        let chunk = match limit {
            None => chunk.await,
            Some((at, kind)) => match tokio::time::timeout_at(at, chunk).await {
                Ok(chunk) => chunk,
                Err(_) => return Err(Error::Timeout { operation, kind }),
            },
        };
        chunk.map_err(|e| Error::transport(operation, e))
    }
}

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// It is larger than the limit (from its `Content-Length`, or as it arrived).
    TooLarge,
    /// It broke off, stalled or took past the deadline.
    Failed(Error),
}

/// Reads a whole body of at most `limit` bytes.
///
/// (A function returning an `async move` block rather than an `async fn`: an `async fn` keeps
/// its arguments twice in its future, and this one is inside every call's future.)
#[allow(clippy::manual_async_fn)]
pub(crate) fn read_limited(
    operation: &'static str,
    mut response: reqwest::Response,
    bounds: ReadBounds,
    limit: usize,
) -> impl Future<Output = Result<Bytes, ReadError>> + Send {
    async move {
        // A body announced larger than the limit is refused before a byte of it is read.
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return Err(ReadError::TooLarge);
        }
        let mut body = BytesMut::with_capacity(response.content_length().map_or(0, |n| n as usize));
        while let Some(chunk) = bounds
            .next_chunk(operation, &mut response)
            .await
            .map_err(ReadError::Failed)?
        {
            if body.len() + chunk.len() > limit {
                return Err(ReadError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

/// Reads at most `limit` bytes of an error status' body, which serves only to explain the
/// status: a body that breaks off or stalls keeps what arrived, and one over the limit its
/// first `limit` bytes (the rest is not read). The second value is `Some(limit)` when the body
/// was cut at the limit.
pub(crate) async fn read_error_body(
    operation: &'static str,
    mut response: reqwest::Response,
    bounds: ReadBounds,
    limit: usize,
) -> (Bytes, Option<usize>) {
    let mut body = BytesMut::new();
    loop {
        match bounds.next_chunk(operation, &mut response).await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    body.extend_from_slice(&chunk[..limit - body.len()]);
                    return (body.freeze(), Some(limit));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return (body.freeze(), None),
            // The status says what happened; a broken-off explanation of it is still one.
            Err(_) => return (body.freeze(), None),
        }
    }
}
