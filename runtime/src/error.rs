//! The one error type of the client.

use std::time::Duration;

use serde::{Deserialize, Serialize};

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

/// Everything that can go wrong with a call. Messages name the operation and never contain a
/// credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    #[error("{operation}: the API answered {status}{}", describe_api_error(.error.as_deref()))]
    Api {
        /// The operation, e.g. `createStreamConnection`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The parsed error body, when it parses as Atlas' error shape.
        error: Option<Box<ApiError>>,
        /// The raw body, always kept (it is all there is when it does not parse).
        body: String,
        /// The `Retry-After` header in seconds, if sent (429, 503).
        retry_after: Option<u64>,
    },
    /// The request could not be sent or the response not received.
    #[error("{operation}: request failed: {source}")]
    Transport {
        /// The operation.
        operation: &'static str,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The request or the connection attempt took longer than the configured timeout.
    #[error("{operation}: timed out")]
    Timeout {
        /// The operation.
        operation: &'static str,
    },
    /// A success response whose body does not decode into the expected type.
    #[error("{operation}: cannot decode the {status} response: {source}")]
    Decode {
        /// The operation.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The raw body.
        body: String,
        /// The decoding error.
        #[source]
        source: serde_json::Error,
    },
    /// An argument was rejected before anything was sent.
    #[error("{operation}: invalid argument `{parameter}`: {reason}")]
    InvalidArgument {
        /// The operation.
        operation: &'static str,
        /// The parameter, e.g. `groupId`.
        parameter: &'static str,
        /// Why it was rejected.
        reason: String,
    },
    /// A streamed body broke off or could not be decompressed.
    #[error("{operation}: download failed: {message}")]
    Download {
        /// The operation.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Credentials were refused or a token could not be obtained.
    #[error("{operation}: authentication failed: {message}")]
    Auth {
        /// The operation.
        operation: &'static str,
        /// The HTTP status of the refusal, if there was one.
        status: Option<u16>,
        /// What happened (never the credentials themselves).
        message: String,
    },
    /// The client could not be built from its configuration.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

fn describe_api_error(error: Option<&ApiError>) -> String {
    match error {
        Some(e) => match (&e.reason, &e.detail) {
            (_, Some(detail)) => format!(" {}: {detail}", e.error_code),
            (Some(reason), None) => format!(" {}: {reason}", e.error_code),
            (None, None) => format!(" {}", e.error_code),
        },
        None => String::new(),
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

    /// A transport error; its URL is dropped (the message names the operation instead).
    pub(crate) fn transport(operation: &'static str, error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Error::Timeout { operation }
        } else {
            Error::Transport {
                operation,
                source: error.without_url(),
            }
        }
    }

    /// An error status: its body parsed as Atlas' error shape when it is one, and kept raw
    /// always; with the `Retry-After` the response sent, if any.
    pub(crate) fn api(operation: &'static str, status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        Error::Api {
            operation,
            status,
            error: serde_json::from_slice::<ApiError>(body).ok().map(Box::new),
            body: String::from_utf8_lossy(body).into_owned(),
            retry_after: retry_after.map(|d| d.as_secs()),
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
