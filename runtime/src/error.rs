//! The one error type of the client.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::timeouts::{fmt_bytes, TimeoutKind};

/// The body MongoDB Atlas sends with every error status (`application/json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    /// HTTP status code returned with this error.
    pub error: i32,
    /// Application error code, e.g. `RESOURCE_NOT_FOUND`.
    #[serde(rename = "errorCode")]
    pub error_code: String,
    /// The specific conditions or reasons behind the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Application error message, e.g. `Not Found`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Parameters that give more information about the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<serde_json::Value>>,
    /// Violations in the request, for 400 responses.
    #[serde(rename = "badRequestDetail", default, skip_serializing_if = "Option::is_none")]
    pub bad_request_detail: Option<serde_json::Value>,
    /// Properties this version of the client does not know.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Everything that can go wrong with a call. Messages name the operation, never contain a
/// credential, and stay short (about 1 KB at most): text from the server (an error's `detail`,
/// a decoding error quoting the body) is cut with a `… (N bytes more)` marker, while the whole
/// body stays available ([`Error::body`]). `Debug` shortens bodies the same way.
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    Api {
        /// The operation, e.g. `createStreamConnection`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The parsed error body, when it parses as Atlas' error shape.
        error: Option<Box<ApiError>>,
        /// The raw body, always kept (it is all there is when it does not parse); at most the
        /// client's error body limit ([`Limits::error_body`](crate::Limits)).
        body: String,
        /// The `Retry-After` header in seconds, if sent (429, 503), in any of its forms.
        retry_after: Option<u64>,
        /// `Some(limit)` when the body was longer than the error body limit: `body` holds its
        /// first `limit` bytes, and the rest was not read.
        body_cut_at: Option<usize>,
    },
    /// The request could not be sent or the response not received.
    Transport {
        /// The operation.
        operation: &'static str,
        /// The transport error.
        source: reqwest::Error,
    },
    /// A time limit ran out ([`Timeouts`](crate::Timeouts)).
    Timeout {
        /// The operation.
        operation: &'static str,
        /// Which limit.
        kind: TimeoutKind,
    },
    /// A success response whose body does not decode into the expected type.
    Decode {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The raw body.
        body: String,
        /// The decoding error.
        source: serde_json::Error,
    },
    /// A success body larger than the client's limit ([`Limits::body`](crate::Limits)); it was
    /// not read further.
    BodyTooLarge {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A redirect led to another origin (scheme, host or port). The client's own HTTP client
    /// never follows one; a caller-supplied `reqwest::Client` may have, and its answer is
    /// refused.
    Redirected {
        /// The operation.
        operation: &'static str,
        /// Where the redirect led: scheme, host and port only.
        origin: String,
    },
    /// An argument was rejected before anything was sent.
    InvalidArgument {
        /// The operation.
        operation: &'static str,
        /// The parameter, e.g. `groupId`.
        parameter: &'static str,
        /// Why it was rejected.
        reason: String,
    },
    /// A stream processing pipeline breaks a documented rule; nothing was sent.
    InvalidPipeline {
        /// The operation.
        operation: &'static str,
        /// What is wrong, where, and the rule (with the page of MongoDB's docs that states it).
        error: Box<crate::streams::PipelineError>,
    },
    /// A streamed body broke off or could not be decompressed.
    Download {
        /// The operation.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Credentials were refused or a token could not be obtained.
    Auth {
        /// The operation.
        operation: &'static str,
        /// The HTTP status of the refusal, if there was one.
        status: Option<u16>,
        /// What happened (never the credentials themselves).
        message: String,
    },
    /// The client could not be built from its configuration.
    Config(String),
    /// A mock transport (feature `test-util`) had no answer for the request: no rule of the
    /// mock client answers it (the message names the operation and the rules tried).
    #[cfg(feature = "test-util")]
    Mock {
        /// The operation.
        operation: &'static str,
        /// Why there is no answer.
        message: String,
    },
}

// Written out rather than derived with `thiserror`: its proc macro was the only reason a
// client's build compiled `syn` 2 (with `tracing`'s `#[instrument]`, which the runtime does not
// use either), several seconds of every user's cold build for two impls (issue 18).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                operation,
                status,
                error,
                retry_after,
                body_cut_at,
                ..
            } => write!(
                f,
                "{operation}: the API answered {status}{}{}{}",
                describe_api_error(error.as_deref()),
                describe_retry_after(*retry_after),
                describe_cut(*body_cut_at)
            ),
            Error::Transport { operation, source } => write!(f, "{operation}: request failed: {source}"),
            Error::Timeout { operation, kind } => write!(f, "{operation}: timed out {kind}"),
            Error::Decode {
                operation,
                status,
                source,
                ..
            } => write!(
                f,
                "{operation}: cannot decode the {status} response: {}",
                short(&source.to_string(), SHORT)
            ),
            Error::BodyTooLarge {
                operation,
                status,
                limit,
            } => write!(
                f,
                "{operation}: the {status} response body is larger than the limit of {}; raise it with \
                 `ClientBuilder::limits` or, for some calls, `Client::with_limits` (`Limits::body`)",
                fmt_bytes(*limit)
            ),
            Error::Redirected { operation, origin } => write!(
                f,
                "{operation}: a redirect led to another origin ({}); refused, so that no credential \
                 follows it (give a caller-supplied reqwest::Client `same_origin_redirects()`)",
                short(origin, SHORT)
            ),
            Error::InvalidArgument {
                operation,
                parameter,
                reason,
            } => write!(
                f,
                "{operation}: invalid argument `{parameter}`: {}",
                short(reason, SHORT)
            ),
            Error::InvalidPipeline { operation, error } => write!(f, "{operation}: invalid pipeline: {error}"),
            Error::Download { operation, message } => {
                write!(f, "{operation}: download failed: {}", short(message, SHORT))
            }
            Error::Auth { operation, message, .. } => {
                write!(f, "{operation}: authentication failed: {}", short(message, SHORT))
            }
            Error::Config(message) => write!(f, "invalid client configuration: {}", short(message, CONFIG)),
            #[cfg(feature = "test-util")]
            Error::Mock { operation, message } => write!(f, "{operation}: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// How much of a server's text (or a caller's value) a message quotes.
const SHORT: usize = 300;
/// How much of an error's `detail` an API error message quotes, and of a configuration
/// message (which may list several variables).
const LONG: usize = 600;
/// How much of a configuration message the error quotes: it may name every environment
/// variable in conflict at once (the worst case is under 700 bytes), and stays under 1 KB.
const CONFIG: usize = 960;
/// How much of an `errorCode` a message quotes (real ones are under 60 bytes).
const CODE: usize = 100;

/// `text`, or its first `max` bytes (at a character boundary) and how many more there were.
pub(crate) fn short(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}… ({} bytes more)", &text[..end], text.len() - end))
}

fn describe_api_error(error: Option<&ApiError>) -> String {
    match error {
        Some(e) => {
            let code = short(&e.error_code, CODE);
            match (&e.reason, &e.detail) {
                (_, Some(detail)) => format!(" {code}: {}", short(detail, LONG)),
                (Some(reason), None) => format!(" {code}: {}", short(reason, SHORT)),
                (None, None) => format!(" {code}"),
            }
        }
        None => String::new(),
    }
}

fn describe_retry_after(retry_after: Option<u64>) -> String {
    retry_after.map_or_else(String::new, |seconds| format!(" (Retry-After: {seconds} s)"))
}

fn describe_cut(cut_at: Option<usize>) -> String {
    cut_at.map_or_else(String::new, |limit| {
        format!(
            " (error body cut at the {} limit: `Limits::error_body` raises it)",
            fmt_bytes(limit)
        )
    })
}

/// A body in `Debug` output: quoted, and shortened like messages are.
struct DebugBody<'a>(&'a str);

impl fmt::Debug for DebugBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&short(self.0, LONG), f)
    }
}

impl fmt::Debug for Error {
    // Derived, except that bodies are shortened: `unwrap()` on a call that got a 5 MB error
    // body should not print 5 MB.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                operation,
                status,
                error,
                body,
                retry_after,
                body_cut_at,
            } => f
                .debug_struct("Api")
                .field("operation", operation)
                .field("status", status)
                .field("error", &error.as_ref().map(|e| DebugApiError(e)))
                .field("body", &DebugBody(body))
                .field("retry_after", retry_after)
                .field("body_cut_at", body_cut_at)
                .finish(),
            Error::Transport { operation, source } => f
                .debug_struct("Transport")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Error::Timeout { operation, kind } => f
                .debug_struct("Timeout")
                .field("operation", operation)
                .field("kind", kind)
                .finish(),
            Error::Decode {
                operation,
                status,
                body,
                source,
            } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("status", status)
                .field("body", &DebugBody(body))
                .field("source", &DebugBody(&source.to_string()))
                .finish(),
            Error::BodyTooLarge {
                operation,
                status,
                limit,
            } => f
                .debug_struct("BodyTooLarge")
                .field("operation", operation)
                .field("status", status)
                .field("limit", limit)
                .finish(),
            Error::Redirected { operation, origin } => f
                .debug_struct("Redirected")
                .field("operation", operation)
                .field("origin", &DebugBody(origin))
                .finish(),
            Error::InvalidPipeline { operation, error } => f
                .debug_struct("InvalidPipeline")
                .field("operation", operation)
                .field("error", error)
                .finish(),
            Error::InvalidArgument {
                operation,
                parameter,
                reason,
            } => f
                .debug_struct("InvalidArgument")
                .field("operation", operation)
                .field("parameter", parameter)
                .field("reason", &DebugBody(reason))
                .finish(),
            Error::Download { operation, message } => f
                .debug_struct("Download")
                .field("operation", operation)
                .field("message", &DebugBody(message))
                .finish(),
            Error::Auth {
                operation,
                status,
                message,
            } => f
                .debug_struct("Auth")
                .field("operation", operation)
                .field("status", status)
                .field("message", &DebugBody(message))
                .finish(),
            Error::Config(message) => f.debug_tuple("Config").field(&DebugBody(message)).finish(),
            #[cfg(feature = "test-util")]
            Error::Mock { operation, message } => f
                .debug_struct("Mock")
                .field("operation", operation)
                .field("message", message)
                .finish(),
        }
    }
}

/// A parsed error body in `Debug` output, its text fields shortened.
struct DebugApiError<'a>(&'a ApiError);

impl fmt::Debug for DebugApiError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        f.debug_struct("ApiError")
            .field("error", &e.error)
            .field("error_code", &DebugBody(&e.error_code))
            .field("detail", &e.detail.as_deref().map(DebugBody))
            .field("reason", &e.reason.as_deref().map(DebugBody))
            .finish_non_exhaustive()
    }
}

impl Error {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The parsed Atlas error body of an API error.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } => error.as_deref(),
            _ => None,
        }
    }

    /// The Atlas `errorCode` of an API error, e.g. `RESOURCE_NOT_FOUND`.
    pub fn error_code(&self) -> Option<&str> {
        self.api_error().map(|e| e.error_code.as_str())
    }

    /// Whether this is an API error with the given `errorCode`.
    pub fn is_error_code(&self, code: &str) -> bool {
        self.error_code() == Some(code)
    }

    /// 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api { status: 404, .. })
    }

    /// 409 Conflict.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Error::Api { status: 409, .. })
    }

    /// 401 Unauthorized or 403 Forbidden, or credentials that could not be used.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Api { status: 401 | 403, .. } | Error::Auth { .. })
    }

    /// 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::Api { status: 429, .. })
    }

    /// A timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Which time limit ran out, for a timeout.
    pub fn timeout_kind(&self) -> Option<TimeoutKind> {
        match self {
            Error::Timeout { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// The whole body of an API error or of a success body that did not decode (the message
    /// quotes only its beginning).
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Api { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After`), for an API
    /// error that carried one: e.g. a wait longer than the retry policy's
    /// [`max_retry_after`](crate::RetryPolicy::max_retry_after), which ends the call at once.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } => retry_after.map(Duration::from_secs),
            _ => None,
        }
    }

    /// A transport error; its URL is dropped (the message names the operation instead).
    pub(crate) fn transport(operation: &'static str, error: reqwest::Error) -> Self {
        if error.is_timeout() {
            // Response, idle and deadline limits are the runtime's; of reqwest's, ours sets only
            // the connect timeout. Any other (a caller-supplied client's own `timeout`, an
            // ETIMEDOUT on a reused connection) may come after the request went out: only a
            // timeout while connecting says that nothing was sent.
            let kind = if error.is_connect() {
                TimeoutKind::Connect
            } else {
                TimeoutKind::Client
            };
            Error::Timeout { operation, kind }
        } else {
            Error::Transport {
                operation,
                source: error.without_url(),
            }
        }
    }

    /// An error status: its body (at most the error body limit) parsed as Atlas' error shape when it is one, and kept raw
    /// always; with the `Retry-After` the response sent, if any.
    pub(crate) fn api(
        operation: &'static str,
        status: u16,
        body: &[u8],
        retry_after: Option<Duration>,
        body_cut_at: Option<usize>,
    ) -> Self {
        Error::Api {
            operation,
            status,
            error: serde_json::from_slice::<ApiError>(body).ok().map(Box::new),
            body: String::from_utf8_lossy(body).into_owned(),
            // Rounded up: a caller that waits this long must not come back early.
            retry_after: retry_after.map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0)),
            body_cut_at,
        }
    }

    pub(crate) fn invalid_argument(operation: &'static str, parameter: &'static str, reason: impl ToString) -> Self {
        Error::InvalidArgument {
            operation,
            parameter,
            reason: reason.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_stay_short_and_the_whole_body_stays_available() {
        let detail = "é".repeat(2_500_000); // 5 MB, two bytes a character
        let body = serde_json::json!({"error": 400, "errorCode": "X".repeat(10_000), "detail": detail}).to_string();
        let error = Error::api("op", 400, body.as_bytes(), Some(Duration::from_secs(7)), None);
        let shown = error.to_string();
        assert!(shown.len() < 1024, "{} bytes", shown.len());
        assert!(
            shown.contains("bytes more)") && shown.contains("(Retry-After: 7 s)"),
            "{shown}"
        );
        assert_eq!(error.body(), Some(body.as_str()));
        assert_eq!(error.api_error().unwrap().detail.as_deref(), Some(detail.as_str()));
        assert!(format!("{error:?}").len() < 4096);

        let cut = Error::api("op", 503, b"{\"error\":503", None, Some(1 << 20));
        assert!(cut.to_string().contains("cut at the 1 MiB limit"), "{cut}");
        let decode = serde_json::from_str::<u8>(&format!("\"{}\"", "x".repeat(1 << 20))).unwrap_err();
        let error = Error::Decode {
            operation: "op",
            status: 200,
            body: "x".repeat(1 << 20),
            source: decode,
        };
        assert!(error.to_string().len() < 1024 && format!("{error:?}").len() < 4096);
    }

    #[test]
    fn short_cuts_at_a_character_boundary() {
        assert_eq!(short("abc", 5), "abc");
        assert_eq!(short("ééé", 3), "é… (4 bytes more)");
    }
}
