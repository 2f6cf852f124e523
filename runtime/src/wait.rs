//! Waiting until a resource reaches a state: the one loop behind every generated
//! `wait_until_*` method (the spec's `x-waiters`, in the spirit of Smithy's `@waitable`).
//!
//! A waiter sends its GET again and again, reads one property of each answer (`state`), and ends
//! when the value is one of its success values (the answer is the result) or one of its failure
//! values ([`WaitError::Failed`]), when the deadline comes ([`WaitError::TimedOut`]), or when a
//! call fails ([`WaitError::Request`]; each call has the client's own retries first). Between
//! calls it waits with exponential backoff and jitter, as the retry loop does.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use crate::attempt::LOG_TARGET;
use crate::error::Error;
use crate::retry::backoff;

/// What a waiter looks for (generated per waiter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acceptor {
    /// The client method, e.g. `wait_until_processor_started` (for messages and logs).
    pub waiter: &'static str,
    /// The response property holding the state, as named on the wire (e.g. `state`).
    pub property: &'static str,
    /// The values that end the wait successfully.
    pub success: &'static [&'static str],
    /// The values that end it with [`WaitError::Failed`]: the resource will not get there.
    pub failure: &'static [&'static str],
}

/// How long a waiter waits between calls and in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitSettings {
    /// The first wait between two calls, and the shortest.
    pub min_delay: Duration,
    /// The longest wait between two calls (the waits double up to it).
    pub max_delay: Duration,
    /// How long the whole wait may take.
    pub deadline: Duration,
}

/// The shortest wait between two calls a waiter accepts: a `min_delay` of zero would send the
/// GET again and again without any pause (and draw 429s from Atlas).
pub(crate) const MIN_DELAY_FLOOR: Duration = Duration::from_millis(10);

impl WaitSettings {
    /// Settings from their parts.
    pub const fn new(min_delay: Duration, max_delay: Duration, deadline: Duration) -> Self {
        WaitSettings {
            min_delay,
            max_delay,
            deadline,
        }
    }

    /// The delays a wait uses: `min_delay` at least [`MIN_DELAY_FLOOR`], and `max_delay` at
    /// least `min_delay` (whatever a caller set).
    fn effective_delays(&self) -> (Duration, Duration) {
        let min = self.min_delay.max(MIN_DELAY_FLOOR);
        (min, self.max_delay.max(min))
    }
}

/// Why a wait ended without its success state. `T` is the answer of the GET it repeats.
#[non_exhaustive]
pub enum WaitError<T> {
    /// The resource reached a failure state (e.g. a processor `FAILED`): it will not get to
    /// the one waited for.
    Failed {
        /// The waiter, e.g. `wait_until_processor_started`.
        waiter: &'static str,
        /// The failure state reached.
        state: String,
        /// The answer that showed it.
        value: T,
    },
    /// The deadline came first.
    TimedOut {
        /// The waiter.
        waiter: &'static str,
        /// The deadline it had.
        deadline: Duration,
        /// The state last seen, if an answer came and had one.
        last_state: Option<String>,
        /// The last answer, if one came.
        last: Option<T>,
    },
    /// A call failed (after the client's own retries).
    Request(Error),
}

impl<T> WaitError<T> {
    /// The last answer seen: the failed one, or the last before the deadline.
    pub fn last(&self) -> Option<&T> {
        match self {
            WaitError::Failed { value, .. } => Some(value),
            WaitError::TimedOut { last, .. } => last.as_ref(),
            WaitError::Request(_) => None,
        }
    }

    /// The state last seen, if any.
    pub fn state(&self) -> Option<&str> {
        match self {
            WaitError::Failed { state, .. } => Some(state),
            WaitError::TimedOut { last_state, .. } => last_state.as_deref(),
            WaitError::Request(_) => None,
        }
    }

    /// Whether the deadline ended the wait.
    pub fn is_timed_out(&self) -> bool {
        matches!(self, WaitError::TimedOut { .. })
    }
}

impl<T> fmt::Display for WaitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Failed { waiter, state, .. } => {
                write!(
                    f,
                    "{waiter}: the resource is `{state}`, a state that ends the wait as failed"
                )
            }
            WaitError::TimedOut {
                waiter,
                deadline,
                last_state,
                ..
            } => {
                write!(f, "{waiter}: timed out after {deadline:?}")?;
                match last_state {
                    Some(state) => write!(f, " (last state `{state}`)"),
                    None => Ok(()),
                }
            }
            // The call's error is the `source()`: said once in a chain of causes.
            WaitError::Request(_) => write!(f, "a call made while waiting failed"),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for WaitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Failed { waiter, state, value } => f
                .debug_struct("Failed")
                .field("waiter", waiter)
                .field("state", state)
                .field("value", value)
                .finish(),
            WaitError::TimedOut {
                waiter,
                deadline,
                last_state,
                last,
            } => f
                .debug_struct("TimedOut")
                .field("waiter", waiter)
                .field("deadline", deadline)
                .field("last_state", last_state)
                .field("last", last)
                .finish(),
            WaitError::Request(error) => f.debug_tuple("Request").field(error).finish(),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for WaitError<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Request(error) => Some(error),
            _ => None,
        }
    }
}

impl<T> From<Error> for WaitError<T> {
    fn from(error: Error) -> Self {
        WaitError::Request(error)
    }
}

/// The future a waiter turns into.
pub type WaitFuture<T> = Pin<Box<dyn Future<Output = Result<T, WaitError<T>>> + Send + 'static>>;

/// A wait until a resource reaches a state: what a generated `wait_until_*` method returns.
/// Change its delays or deadline if need be, then `.await` it.
///
/// `R` is the request builder of the GET it repeats (sent again, a clone per call); awaiting
/// it gives that GET's answer once the state is one waited for, else a [`WaitError`]. Its
/// defaults, what it reads and the states that end it are the waiter's (see the method).
#[derive(Clone, Debug)]
#[must_use = "a waiter does nothing until it is awaited"]
pub struct Waiter<R> {
    request: R,
    acceptor: &'static Acceptor,
    settings: WaitSettings,
}

impl<R> Waiter<R> {
    /// How long the whole wait may take, calls included (the waiter's method says its default).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings.deadline = deadline;
        self
    }

    /// The first wait between two calls, and the shortest (the waiter's method says its
    /// default).
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.settings.min_delay = delay;
        self
    }

    /// The longest wait between two calls; the waits double up to it, with jitter (the
    /// waiter's method says its default).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.settings.max_delay = delay;
        self
    }
}

impl<R, T> IntoFuture for Waiter<R>
where
    R: IntoFuture<Output = Result<T, Error>> + Clone + Send + 'static,
    R::IntoFuture: Send,
    T: Serialize + Send + 'static,
{
    type Output = Result<T, WaitError<T>>;
    type IntoFuture = WaitFuture<T>;

    fn into_future(self) -> Self::IntoFuture {
        wait(self.request, self.acceptor, self.settings)
    }
}

/// The [`Waiter`] a generated `wait_until_*` method returns: `request` repeated until
/// `acceptor` says so, with the waiter's default `settings`.
pub fn waiter<R>(request: R, acceptor: &'static Acceptor, settings: WaitSettings) -> Waiter<R> {
    Waiter {
        request,
        acceptor,
        settings,
    }
}

/// Sends `request` (a clone of it per call) until its answer's `acceptor.property` is a success
/// or failure value, or `settings.deadline` passes.
///
/// The deadline bounds the whole wait, calls included: a call still running at the deadline is
/// dropped (a deadline too far to be a point in time, such as `Duration::MAX`, means none). As
/// Smithy's waiters do, the last wait is shortened so that a last call starts at least
/// `min_delay` before the deadline, and no call starts with less time left than that. Waits
/// have jitter from the first one on (waiters started together do not poll together), and are
/// never shorter than 10 ms (`MIN_DELAY_FLOOR`).
pub fn wait<R, T>(request: R, acceptor: &'static Acceptor, settings: WaitSettings) -> WaitFuture<T>
where
    R: IntoFuture<Output = Result<T, Error>> + Clone + Send + 'static,
    R::IntoFuture: Send,
    T: Serialize + Send + 'static,
{
    Box::pin(async move {
        let deadline = Instant::now().checked_add(settings.deadline);
        let timed_out = |last: Option<T>| {
            let last_state = last.as_ref().and_then(|value| state_of(value, acceptor.property));
            WaitError::TimedOut {
                waiter: acceptor.waiter,
                deadline: settings.deadline,
                last_state,
                last,
            }
        };
        let (min_delay, max_delay) = settings.effective_delays();
        let mut last = None;
        let mut attempt = 0u32;
        loop {
            attempt = attempt.saturating_add(1);
            let call = request.clone().into_future();
            let answer = match deadline {
                None => call.await,
                Some(at) => match tokio::time::timeout_at(at, call).await {
                    Ok(answer) => answer,
                    Err(_) => return Err(timed_out(last)),
                },
            };
            let value = answer?;
            let state = state_of(&value, acceptor.property);
            match state.as_deref() {
                Some(s) if acceptor.success.contains(&s) => return Ok(value),
                Some(s) if acceptor.failure.contains(&s) => {
                    return Err(WaitError::Failed {
                        waiter: acceptor.waiter,
                        state: s.to_owned(),
                        value,
                    })
                }
                _ => {}
            }
            // `backoff` keeps half of its doubled wait and draws the other half; counting from
            // twice `min_delay` keeps every wait at `min_delay` or more, the first one included.
            let mut delay = backoff(min_delay.saturating_mul(2), max_delay, attempt).max(min_delay);
            if let Some(at) = deadline {
                let left = at.saturating_duration_since(Instant::now());
                if left < min_delay {
                    return Err(timed_out(Some(value)));
                }
                delay = delay.min(left - min_delay);
            }
            let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            tracing::debug!(target: LOG_TARGET, waiter = acceptor.waiter, attempt, state = state.as_deref(), delay_ms, "waiting");
            last = Some(value);
            tokio::time::sleep(delay).await;
        }
    })
}

/// The string value of `property` in `value`'s JSON form.
///
/// Read from the JSON form rather than a field: the same property lives in every variant of a
/// tagged union (a connection of any type has a `state`), in a variant the client does not know
/// (kept as raw JSON), and in a struct alike; a call is far costlier than this conversion.
fn state_of<T: Serialize>(value: &T, property: &str) -> Option<String> {
    match serde_json::to_value(value).ok()?.get(property)? {
        serde_json::Value::String(state) => Some(state.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    static ACCEPTOR: Acceptor = Acceptor {
        waiter: "wait_until_thing_ready",
        property: "state",
        success: &["READY"],
        failure: &["FAILED"],
    };

    /// A request whose answers are `states`, one per call (the last repeats).
    #[derive(Clone)]
    struct Scripted {
        states: &'static [&'static str],
        calls: Arc<AtomicUsize>,
    }

    impl IntoFuture for Scripted {
        type Output = Result<serde_json::Value, Error>;
        type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
        fn into_future(self) -> Self::IntoFuture {
            let call = self.calls.fetch_add(1, Ordering::SeqCst);
            let state = self.states[call.min(self.states.len() - 1)];
            Box::pin(async move { Ok(serde_json::json!({"name": "thing", "state": state})) })
        }
    }

    fn settings(deadline_ms: u64) -> WaitSettings {
        WaitSettings::new(
            Duration::from_millis(5),
            Duration::from_millis(20),
            Duration::from_millis(deadline_ms),
        )
    }

    fn scripted(states: &'static [&'static str]) -> (Scripted, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        (
            Scripted {
                states,
                calls: calls.clone(),
            },
            calls,
        )
    }

    #[tokio::test]
    async fn success_failure_and_timeout() {
        let (request, calls) = scripted(&["PENDING", "PENDING", "READY"]);
        let value = wait(request, &ACCEPTOR, settings(5_000)).await.unwrap();
        assert_eq!(value["state"], "READY");
        assert_eq!(calls.load(Ordering::SeqCst), 3);

        let (request, _) = scripted(&["PENDING", "FAILED"]);
        let error = wait(request, &ACCEPTOR, settings(5_000)).await.unwrap_err();
        assert!(
            matches!(&error, WaitError::Failed { state, .. } if state == "FAILED"),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "wait_until_thing_ready: the resource is `FAILED`, a state that ends the wait as failed"
        );

        let (request, calls) = scripted(&["PENDING"]);
        let started = Instant::now();
        let error = wait(request, &ACCEPTOR, settings(100)).await.unwrap_err();
        assert!(error.is_timed_out(), "{error:?}");
        assert_eq!(error.state(), Some("PENDING"));
        assert!(started.elapsed() <= Duration::from_millis(100) + Duration::from_millis(50));
        assert!(calls.load(Ordering::SeqCst) >= 4, "it polled until the deadline");
        assert!(
            error
                .to_string()
                .contains("timed out after 100ms (last state `PENDING`)"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_waiter_awaits_with_its_settings() {
        let (request, calls) = scripted(&["PENDING", "READY"]);
        let waiter = waiter(request, &ACCEPTOR, settings(5_000))
            .min_delay(Duration::from_millis(1))
            .max_delay(Duration::from_millis(2))
            .deadline(Duration::from_secs(5));
        assert_eq!(
            waiter.settings,
            WaitSettings::new(
                Duration::from_millis(1),
                Duration::from_millis(2),
                Duration::from_secs(5)
            )
        );
        assert_eq!(waiter.await.unwrap()["state"], "READY");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn the_state_is_read_from_the_json_form() {
        assert_eq!(
            state_of(&serde_json::json!({"state": "X"}), "state").as_deref(),
            Some("X")
        );
        assert_eq!(state_of(&serde_json::json!({"state": 1}), "state"), None);
        assert_eq!(state_of(&serde_json::json!({}), "state"), None);
    }

    /// A request that answers `PENDING` after `delay`.
    #[derive(Clone)]
    struct Slow {
        delay: Duration,
        calls: Arc<AtomicUsize>,
    }

    impl IntoFuture for Slow {
        type Output = Result<serde_json::Value, Error>;
        type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
        fn into_future(self) -> Self::IntoFuture {
            self.calls.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                tokio::time::sleep(self.delay).await;
                Ok(serde_json::json!({"state": "PENDING"}))
            })
        }
    }

    #[tokio::test]
    async fn a_call_still_running_at_the_deadline_is_dropped() {
        let calls = Arc::new(AtomicUsize::new(0));
        let slow = Slow {
            delay: Duration::from_secs(30),
            calls: calls.clone(),
        };
        let started = std::time::Instant::now();
        let error = wait(slow, &ACCEPTOR, settings(200)).await.unwrap_err();
        assert!(error.is_timed_out(), "{error:?}");
        assert_eq!(error.last().map(|_| ()), None, "no answer came");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(started.elapsed() < Duration::from_secs(10), "not the 30 s of the call");
    }

    #[tokio::test]
    async fn a_zero_delay_still_waits_between_calls() {
        let (request, calls) = scripted(&["PENDING"]);
        let no_delay = WaitSettings::new(Duration::ZERO, Duration::ZERO, Duration::from_millis(200));
        let error = wait(request, &ACCEPTOR, no_delay).await.unwrap_err();
        assert!(error.is_timed_out(), "{error:?}");
        // At least MIN_DELAY_FLOOR between calls: at most one call per 10 ms, plus the first.
        let made = calls.load(Ordering::SeqCst);
        assert!(made <= 200 / MIN_DELAY_FLOOR.as_millis() as usize + 1, "{made} calls");
        assert!(made >= 2, "{made} calls");
    }

    #[test]
    fn a_failed_call_is_said_once_in_a_chain_of_causes() {
        let error: WaitError<()> = WaitError::Request(Error::InvalidArgument {
            operation: "getThing",
            parameter: "groupId",
            reason: "not 24 hexadecimal digits".into(),
        });
        let outer = error.to_string();
        let inner = std::error::Error::source(&error).map(|e| e.to_string()).unwrap();
        assert_eq!(outer, "a call made while waiting failed");
        assert!(inner.contains("groupId"), "{inner}");
        assert!(!outer.contains("groupId"));
    }
}
