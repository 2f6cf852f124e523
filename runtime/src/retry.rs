//! When and how long to wait before sending a request again.

use std::time::Duration;

/// Retry settings. On by default: up to 4 attempts, exponential backoff from 250 ms to 8 s
/// with jitter, and a server's `Retry-After` honoured up to 2 minutes.
///
/// What is retried: 429 and 503 (the server did not process the request) and connection
/// failures before anything was sent, for every method; 500, 502, 504, timeouts and
/// connections lost after sending only for requests that are safe to repeat (GET, PUT,
/// DELETE, ...), never for a POST or PATCH that may already have taken effect.
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

    /// The longest `Retry-After` honoured; a longer one ends the call with the error.
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

    /// Exponential backoff with "equal jitter": half fixed, half random, so clients that
    /// failed together do not come back together.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let capped = exponential.min(self.max_backoff);
        let half = capped / 2;
        half + half.mul_f64(random_fraction())
    }
}

/// The wait a response's `Retry-After` header asks for, if it has a valid one (the one place the
/// header is read).
pub(crate) fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| parse_retry_after(v.to_str().ok()?))
}

/// Parses `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

fn random_fraction() -> f64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
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
    fn retry_after_is_seconds_or_a_date() {
        assert_eq!(parse_retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a past date: now"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
