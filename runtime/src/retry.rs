//! When and how long to wait before sending a request again.

use std::time::Duration;

/// Retry settings. On by default: up to 4 attempts, exponential backoff from 250 ms to 8 s
/// with jitter, and a server's `Retry-After` honoured up to 2 minutes.
///
/// What is retried: 429 and 503 (the server did not process the request) and connection
/// failures before anything was sent, for every method; 500, 502, 504, timeouts and
/// connections lost after sending, including while reading a JSON success body, only for
/// requests that are safe to repeat (GET, PUT, DELETE, ...), never for a POST or PATCH that may
/// already have taken effect. A download is handed over as a stream once its headers arrive:
/// an error while reading it is the caller's to retry. (A 503 to a POST is retried on Atlas'
/// word that it processed nothing; RFC 9110 does not promise that of every server.)
///
/// `Retry-After` is read in all the forms RFC 9110 §10.2.3 gives: delay-seconds and an
/// HTTP-date (IMF-fixdate, and the obsolete RFC 850 and asctime forms a client must accept).
/// When it asks for longer than [`max_retry_after`](Self::max_retry_after), the call ends at
/// once with the error, which carries the wait ([`Error::retry_after`]): sleeping inside a call
/// for an hour would hold the caller's task (and whatever it holds) with no way to know why,
/// while the caller can decide to wait, reschedule or give up. A wait that would run past the
/// call's deadline ends the call the same way.
///
/// [`Error::retry_after`]: crate::Error::retry_after
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// An error status, with the server's `Retry-After` if any.
    Status(u16, Option<Duration>),
    /// The connection could not be made: nothing reached the server.
    NotSent,
    /// The request may have reached the server (timeout, connection reset after sending).
    Ambiguous,
}

impl RetryPolicy {
    /// Never retry.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total attempts, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; it doubles with each further one.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between attempts (without `Retry-After`).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` honoured (default 2 minutes); a longer one ends the call at
    /// once with the error, whose [`retry_after`](crate::Error::retry_after) says the wait.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// How long to wait before attempt `attempt + 1`, or `None` to give up.
    pub(crate) fn delay(&self, failure: Failure, idempotent: bool, attempt: u32) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let retry_after = match failure {
            Failure::Status(429 | 503, retry_after) => retry_after,
            Failure::Status(500 | 502 | 504, _) | Failure::Ambiguous if idempotent => None,
            Failure::NotSent => None,
            _ => return None,
        };
        match retry_after {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(attempt)),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        backoff(self.initial_backoff, self.max_backoff, attempt)
    }
}

/// The wait after attempt `attempt` (1-based): `initial` doubled with each attempt, at most
/// `max`, with "equal jitter" (half fixed, half random), so clients that failed or started
/// together do not come back together. The retry loop and the waiters both wait so.
pub(crate) fn backoff(initial: Duration, max: Duration, attempt: u32) -> Duration {
    let exponential = initial.saturating_mul(1 << attempt.saturating_sub(1).min(16));
    let capped = exponential.min(max);
    let half = capped / 2;
    half + half.mul_f64(random_fraction())
}

/// The wait a response's `Retry-After` header asks for, if it has a valid one (the one place the
/// header is read).
pub(crate) fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| parse_retry_after(v.to_str().ok()?))
}

/// Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date in any of the three
/// forms of §5.6.7 (`httpdate` reads all three); a date in the past means now.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More seconds than a u64 holds is still "longer than any limit", not "no header".
        return Some(Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn random_fraction() -> f64 {
    let mut bytes = [0u8; 8];
    if getrandom::getrandom(&mut bytes).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_failures_are_retried_for_non_idempotent_requests() {
        let policy = RetryPolicy::default();
        assert!(policy.delay(Failure::Status(429, None), false, 1).is_some());
        assert!(policy.delay(Failure::Status(503, None), false, 1).is_some());
        assert!(policy.delay(Failure::NotSent, false, 1).is_some());
        assert!(
            policy.delay(Failure::Ambiguous, false, 1).is_none(),
            "a POST may have taken effect"
        );
        assert!(policy.delay(Failure::Status(502, None), false, 1).is_none());
        assert!(policy.delay(Failure::Ambiguous, true, 1).is_some());
        assert!(policy.delay(Failure::Status(500, None), true, 1).is_some());
        assert!(policy.delay(Failure::Status(404, None), true, 1).is_none());
        assert!(
            policy.delay(Failure::Status(429, None), true, 4).is_none(),
            "attempts are bounded"
        );
        assert!(RetryPolicy::disabled()
            .delay(Failure::Status(429, None), true, 1)
            .is_none());
    }

    #[test]
    fn retry_after_wins_within_its_limit_and_backoff_grows_with_jitter() {
        let policy = RetryPolicy::default();
        let wait = Some(Duration::from_secs(7));
        assert_eq!(policy.delay(Failure::Status(429, wait), false, 1), wait);
        assert_eq!(
            policy.delay(Failure::Status(429, Some(Duration::from_secs(600))), false, 1),
            None
        );
        for attempt in 1..=3 {
            let full = Duration::from_millis(250) * (1 << (attempt - 1));
            let delay = policy.delay(Failure::NotSent, false, attempt).unwrap();
            assert!(delay >= full / 2 && delay <= full, "attempt {attempt}: {delay:?}");
        }
        let capped = RetryPolicy::default()
            .max_attempts(30)
            .delay(Failure::NotSent, true, 20)
            .unwrap();
        assert!(capped <= Duration::from_secs(8));
    }

    #[test]
    fn retry_after_is_seconds_or_a_date_in_any_of_its_three_forms() {
        assert_eq!(parse_retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX)),
            "too many seconds to count is still a very long wait"
        );
        // RFC 9110 §5.6.7's example date in its three forms, all in the past: now.
        for past in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_retry_after(past), Some(Duration::ZERO), "{past}");
        }
        // A date ahead (in each form: tests/client_network.rs) is the wait until then.
        let ahead = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
        let wait = parse_retry_after(&ahead).unwrap();
        assert!(
            wait > Duration::from_secs(3000) && wait <= Duration::from_secs(3600),
            "{wait:?}"
        );
        for invalid in ["soon", "-1", "1.5", "", "Sun, 06 Nov 1994"] {
            assert_eq!(parse_retry_after(invalid), None, "{invalid}");
        }
    }
}
