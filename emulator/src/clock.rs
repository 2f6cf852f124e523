//! The instants a delay ends at: the state rules' timed transitions and the OAuth tokens'
//! lifetimes both compute them here.

use std::time::{Duration, Instant};

/// The instant `delay` from now; a delay too long for the clock (e.g. `--delay-ms` of
/// `u64::MAX`) is read as "a year", which no test outlives.
pub(crate) fn later(delay: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(delay)
        .or_else(|| now.checked_add(Duration::from_secs(365 * 24 * 3600)))
        .unwrap_or(now)
}
