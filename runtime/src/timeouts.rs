//! The per-call settings a client can override for some calls: [`Timeouts`] and body size
//! [`Limits`]. Both are small `Copy` values kept beside the client's shared state, so a client
//! with other settings (`Core::with_timeouts`, `Core::with_limits`) is a cheap clone.

use std::fmt;
use std::time::Duration;

/// How long a call may take, in the pieces that fit streaming bodies.
///
/// - `response`: from sending an attempt (connecting included) to its response headers; a
///   server that does not answer in time fails the attempt with [`Error::Timeout`] (retried
///   like any failure that may have reached the server). Default 60 s.
/// - `read_idle`: the longest wait for the next bytes of a body once headers are in; it starts
///   again with every chunk, so a body that keeps flowing never times out, however long it
///   takes (a log download of any size), while a stalled one fails. Default 30 s.
/// - `deadline`: the whole call, every attempt, retry wait and body included (for a
///   [`Download`], reading the stream too). Default none.
///
/// The connect timeout is the HTTP client's own and can only be set per client
/// (`ClientBuilder::connect_timeout`); the `response` timeout bounds connecting too.
///
/// [`Error::Timeout`]: crate::Error::Timeout
/// [`Download`]: crate::Download
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// From sending an attempt to its response headers.
    pub response: Option<Duration>,
    /// The longest wait for more body bytes.
    pub read_idle: Option<Duration>,
    /// The whole call.
    pub deadline: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            response: Some(Duration::from_secs(60)),
            read_idle: Some(Duration::from_secs(30)),
            deadline: None,
        }
    }
}

impl Timeouts {
    /// No limit at all (not even the defaults).
    pub fn none() -> Self {
        Timeouts {
            response: None,
            read_idle: None,
            deadline: None,
        }
    }

    /// The time from sending an attempt to its response headers (`None`: no limit).
    pub fn response(mut self, timeout: Option<Duration>) -> Self {
        self.response = timeout;
        self
    }

    /// The longest wait for more body bytes (`None`: no limit).
    pub fn read_idle(mut self, timeout: Option<Duration>) -> Self {
        self.read_idle = timeout;
        self
    }

    /// A limit on the whole call, retries and body included (`None`: no limit).
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }
}

/// Which time limit ran out (see [`Timeouts`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Connecting (the HTTP client's connect timeout): nothing was sent.
    Connect,
    /// A time limit of the HTTP client's own after connecting (a caller-supplied
    /// `reqwest::Client`'s `timeout`, or the operating system's): the request may have been
    /// sent, so a POST or PATCH is not sent again.
    Client,
    /// No response headers within this time.
    Response(Duration),
    /// No body bytes for this long.
    ReadIdle(Duration),
    /// The whole call took longer than this deadline.
    Deadline(Duration),
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeoutKind::Connect => f.write_str("connecting"),
            TimeoutKind::Client => f.write_str("by a time limit of the HTTP client"),
            TimeoutKind::Response(d) => write!(f, "waiting {d:?} for the response headers"),
            TimeoutKind::ReadIdle(d) => write!(f, "with no body bytes for {d:?}"),
            TimeoutKind::Deadline(d) => write!(f, "at the call's deadline of {d:?}"),
        }
    }
}

/// The largest JSON bodies a call reads into memory. Downloads ([`Download`]) stream and have
/// no limit.
///
/// - `body`: a success body; a larger one fails with [`Error::BodyTooLarge`]. Default 64 MiB
///   (a page of 500 connections is about 200 KiB).
/// - `error_body`: an error status' body; the first this-many bytes are kept in the
///   [`Error::Api`] and the rest is not read. Default 1 MiB (Atlas' error bodies are well
///   under 10 KiB).
///
/// [`Download`]: crate::Download
/// [`Error::BodyTooLarge`]: crate::Error::BodyTooLarge
/// [`Error::Api`]: crate::Error::Api
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest success body read, in bytes.
    pub body: usize,
    /// The most of an error body kept, in bytes.
    pub error_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body: 64 << 20,
            error_body: 1 << 20,
        }
    }
}

impl Limits {
    /// The largest success body read, in bytes.
    pub fn body(mut self, bytes: usize) -> Self {
        self.body = bytes;
        self
    }

    /// The most of an error body kept, in bytes.
    pub fn error_body(mut self, bytes: usize) -> Self {
        self.error_body = bytes;
        self
    }
}

/// `n` bytes for people: `64 MiB`, `1.5 KiB`, `700 bytes`.
pub(crate) fn fmt_bytes(n: usize) -> String {
    const UNITS: [(&str, usize); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            let value = n as f64 / size as f64;
            return if n.is_multiple_of(size) {
                format!("{} {unit}", n / size)
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(fmt_bytes(64 << 20), "64 MiB");
        assert_eq!(fmt_bytes(1536), "1.5 KiB");
        assert_eq!(fmt_bytes(700), "700 bytes");
    }
}
