//! Waiting for a response within the time limits: its headers within the response timeout
//! ([`headers_within`]), then its body chunk by chunk, each wait bounded by the read idle
//! timeout and the call's deadline, the whole bounded by a size limit where there is one.
//!
//! Why not reqwest's own `timeout`: it covers the whole body, so a log download that flows
//! steadily for longer than the timeout was cut off. Waiting for each chunk instead lets a body
//! of any length through while bytes keep coming, and still ends one that stalls.
//!
//! All these waits share one timer, an [`Alarm`], so that bounding them costs what reqwest's
//! one timer per request costs: see [`Alarm`] for how.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::time::{Instant, Sleep};

use crate::error::Error;
use crate::timeouts::TimeoutKind;

/// The one timer of a call's waits (for response headers, then for each chunk of the body).
///
/// A timer costs little to create but something to arm: tokio registers it with its timer
/// wheel (under a lock) when it is first polled, and takes it out again when it is dropped.
/// A `tokio::time::timeout` per wait arms a timer for the headers and another for every body
/// chunk that is not in yet, where a bare reqwest call with its whole-request timeout arms one.
/// An alarm is armed once, the first time a wait is not over at once, and then only moved
/// *later* in the rare case it rings before the wait it serves is over: it is first set for
/// the earliest a wait of this call can end (the read idle timeout, when it is shorter than
/// the wait at hand), so a later wait, which ends no sooner, finds it set early enough. A
/// ring that comes early is checked against the wait's own limit and the alarm set again.
#[derive(Debug, Default)]
pub(crate) struct Alarm {
    /// The timer, once a wait needed one (boxed: it is pinned, and a call's future stays small).
    sleep: Option<Pin<Box<Sleep>>>,
    /// The read idle timeout: no wait of the call ends sooner after it starts.
    shortest: Option<Duration>,
}

/// A wait ran past its limit.
pub(crate) struct Rang;

impl Alarm {
    /// An alarm for a call whose body waits last at most `read_idle` each.
    pub(crate) fn new(read_idle: Option<Duration>) -> Alarm {
        Alarm {
            sleep: None,
            shortest: read_idle,
        }
    }

    /// Waits for `future` until `until`.
    pub(crate) async fn wait<F: Future>(&mut self, until: Instant, future: F) -> Result<F::Output, Rang> {
        let mut future = std::pin::pin!(future);
        poll_fn(|cx| {
            if let Poll::Ready(output) = future.as_mut().poll(cx) {
                return Poll::Ready(Ok(output));
            }
            let sleep = self.set_for(until);
            loop {
                if sleep.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                if Instant::now() >= until {
                    return Poll::Ready(Err(Rang));
                }
                // Rang early, as it was set for an earlier wait: on to this one's limit.
                sleep.as_mut().reset(until);
            }
        })
        .await
    }

    /// The timer, set to ring no later than `until` (created on first use, for the earliest a
    /// wait of the call can end).
    fn set_for(&mut self, until: Instant) -> &mut Pin<Box<Sleep>> {
        let shortest = self.shortest;
        let sleep = self.sleep.get_or_insert_with(|| {
            let earliest = shortest.and_then(|shortest| Instant::now().checked_add(shortest));
            Box::pin(tokio::time::sleep_until(
                earliest.map_or(until, |earliest| earliest.min(until)),
            ))
        });
        if sleep.deadline() > until {
            sleep.as_mut().reset(until);
        }
        sleep
    }
}

/// Waits for `send` (a request's response headers) at most `timeout`; longer is
/// [`Error::Timeout`] with [`TimeoutKind::Response`]. Errors of `send` are transport errors.
pub(crate) async fn headers_within(
    operation: &'static str,
    timeout: Option<Duration>,
    alarm: &mut Alarm,
    send: impl Future<Output = Result<reqwest::Response, reqwest::Error>>,
) -> Result<reqwest::Response, Error> {
    // A timeout too long to represent as an instant is none.
    let until = timeout.and_then(|timeout| Some((Instant::now().checked_add(timeout)?, timeout)));
    let response = match until {
        None => send.await,
        Some((until, timeout)) => alarm.wait(until, send).await.map_err(|Rang| Error::Timeout {
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
        alarm: &mut Alarm,
    ) -> Result<Option<Bytes>, Error> {
        // A deadline passes even for a body whose every chunk is ready at once.
        if let Some(deadline) = self.deadline.filter(|d| Instant::now() >= d.at) {
            return Err(Error::Timeout {
                operation,
                kind: TimeoutKind::Deadline(deadline.after),
            });
        }
        let now = Instant::now();
        let idle = self
            .idle
            .and_then(|idle| Some((now.checked_add(idle)?, TimeoutKind::ReadIdle(idle))));
        let deadline = self.deadline.map(|d| (d.at, TimeoutKind::Deadline(d.after)));
        // Whichever limit comes first is the one that applies to this wait. (A chunk that is
        // in already is taken without touching the alarm.)
        let limit = match (idle, deadline) {
            (Some(i), Some(d)) => Some(if d.0 <= i.0 { d } else { i }),
            (i, d) => i.or(d),
        };
        let chunk = match limit {
            None => response.chunk().await,
            Some((at, kind)) => match alarm.wait(at, response.chunk()).await {
                Ok(chunk) => chunk,
                Err(Rang) => return Err(Error::Timeout { operation, kind }),
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
pub(crate) fn read_limited<'a>(
    operation: &'static str,
    mut response: reqwest::Response,
    bounds: ReadBounds,
    limit: usize,
    alarm: &'a mut Alarm,
) -> impl Future<Output = Result<Bytes, ReadError>> + Send + 'a {
    async move {
        // A body announced larger than the limit is refused before a byte of it is read.
        if response.content_length().is_some_and(|length| length > limit as u64) {
            return Err(ReadError::TooLarge);
        }
        let mut body = BytesMut::with_capacity(response.content_length().map_or(0, |n| n as usize));
        while let Some(chunk) = bounds
            .next_chunk(operation, &mut response, alarm)
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
    alarm: &mut Alarm,
) -> (Bytes, Option<usize>) {
    let mut body = BytesMut::new();
    loop {
        match bounds.next_chunk(operation, &mut response, alarm).await {
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

#[cfg(test)]
mod tests {
    use std::future::{pending, ready};

    use super::*;

    fn after(ms: u64) -> Instant {
        Instant::now() + Duration::from_millis(ms)
    }

    #[tokio::test]
    async fn a_ready_future_never_arms_the_alarm() {
        let mut alarm = Alarm::new(Some(Duration::from_millis(10)));
        assert!(alarm.wait(after(10), ready(())).await.is_ok());
        assert!(alarm.sleep.is_none());
    }

    #[tokio::test]
    async fn an_alarm_set_for_the_idle_timeout_rings_early_and_lets_a_longer_wait_finish() {
        // Set for 50 ms (the idle timeout) by a wait that may last 2 s, which takes 200 ms.
        let mut alarm = Alarm::new(Some(Duration::from_millis(50)));
        let waited = alarm.wait(after(2_000), tokio::time::sleep(Duration::from_millis(200)));
        assert!(waited.await.is_ok());
    }

    #[tokio::test]
    async fn a_wait_ends_at_its_limit_not_before() {
        let mut alarm = Alarm::new(None);
        let started = Instant::now();
        assert!(alarm.wait(after(100), pending::<()>()).await.is_err());
        assert!(started.elapsed() >= Duration::from_millis(100));
    }

    #[tokio::test]
    async fn a_later_wait_with_an_earlier_limit_moves_the_alarm_earlier() {
        let mut alarm = Alarm::new(None);
        // The first wait arms the alarm for 10 s and is over in 20 ms.
        let first = alarm.wait(after(10_000), tokio::time::sleep(Duration::from_millis(20)));
        assert!(first.await.is_ok());
        let started = Instant::now();
        assert!(alarm.wait(after(100), pending::<()>()).await.is_err());
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
