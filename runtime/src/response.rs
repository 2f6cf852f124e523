//! A success response: its status, headers and rate-limit headers, and its body decoded.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// The rate-limit headers Atlas sends with success responses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `RateLimit-Limit`: requests allowed in the current window.
    pub limit: Option<u64>,
    /// `RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
}

impl RateLimit {
    /// The one place the rate-limit headers are read (for [`Response`] and [`Download`]
    /// alike): a header that is missing or not a number is `None`.
    ///
    /// [`Download`]: crate::Download
    pub(crate) fn from_headers(headers: &http::HeaderMap) -> Self {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse().ok();
        RateLimit {
            limit: number("ratelimit-limit"),
            remaining: number("ratelimit-remaining"),
        }
    }
}

/// A success response: the decoded value plus what the headers said.
#[derive(Clone, Debug)]
pub struct Response<T> {
    value: T,
    status: u16,
    headers: http::HeaderMap,
}

impl<T> Response<T> {
    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, consuming the response.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// All response headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// `RateLimit-Limit` and `RateLimit-Remaining`.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }
}

/// A success response before decoding.
#[derive(Debug)]
pub struct RawResponse {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) enveloped: bool,
}

impl RawResponse {
    /// Decodes a JSON body. With `envelope=true` the API wraps the value as
    /// `{"status": .., "content": value}`; the value inside is what is decoded.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let decoded = if self.enveloped {
            serde_json::from_slice::<serde_json::Value>(&self.body).and_then(|value| match value {
                serde_json::Value::Object(mut object) if object.contains_key("content") => {
                    serde_json::from_value(object.shift_remove("content").unwrap_or_default())
                }
                other => serde_json::from_value(other),
            })
        } else {
            serde_json::from_slice(&self.body)
        };
        match decoded {
            Ok(value) => Ok(Response {
                value,
                status: self.status,
                headers: self.headers,
            }),
            Err(source) => Err(Error::Decode {
                operation: self.operation,
                status: self.status,
                body: String::from_utf8_lossy(&self.body).into_owned(),
                source,
            }),
        }
    }

    /// A response whose body carries nothing the caller needs.
    pub fn empty(self) -> Response<()> {
        Response {
            value: (),
            status: self.status,
            headers: self.headers,
        }
    }

    /// The raw body bytes.
    pub fn bytes(self) -> Response<Bytes> {
        Response {
            value: self.body,
            status: self.status,
            headers: self.headers,
        }
    }
}
