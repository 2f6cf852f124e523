//! One request on its way through the pipeline, and the typed response it turns into.

use std::fmt::Display;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::Error;
use super::pattern::InvalidValue;

/// What the runtime needs to know about an operation (generated per operation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// Short operation name, used in errors and tracing.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/api/atlas/v2/groups/{groupId}/streams`.
    pub path: &'static str,
    /// Every documented API version, oldest first.
    pub versions: &'static [&'static str],
    /// The version sent unless overridden.
    pub default_version: Option<&'static str>,
    /// What the success body is: the `+suffix` of its media type (`json`, `gzip`, ...).
    pub media_suffix: &'static str,
    /// Whether sending the request twice has the same effect as once.
    pub idempotent: bool,
}

/// HTTP methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub(crate) fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Put => http::Method::PUT,
            Method::Post => http::Method::POST,
            Method::Delete => http::Method::DELETE,
            Method::Options => http::Method::OPTIONS,
            Method::Head => http::Method::HEAD,
            Method::Patch => http::Method::PATCH,
            Method::Trace => http::Method::TRACE,
        }
    }
}

/// A request being assembled by a generated builder.
#[derive(Debug)]
pub struct Request {
    pub(crate) operation: &'static Operation,
    pub(crate) path_params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) version: Option<String>,
    pub(crate) body: Option<Vec<u8>>,
}

impl Request {
    /// Starts a request; `version` overrides the operation's default API version.
    pub fn new(operation: &'static Operation, version: Option<&str>) -> Result<Self, Error> {
        if let Some(version) = version {
            check_version(version).map_err(|reason| Error::invalid_argument(operation.name, "version", reason))?;
        }
        Ok(Request {
            operation,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            version: version.map(str::to_owned),
            body: None,
        })
    }

    /// Sets a path parameter; it is percent-encoded into its own segment when sent.
    pub fn path_param(&mut self, name: &'static str, value: &str) {
        self.path_params.push((name, value.to_owned()));
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: &(impl Display + ?Sized)) {
        self.query.push((name, value.to_string()));
    }

    /// Adds a header parameter.
    pub fn header(&mut self, name: &'static str, value: &(impl Display + ?Sized)) {
        self.headers.push((name, value.to_string()));
    }

    /// Sets a JSON body.
    pub fn json_body<T: Serialize>(&mut self, operation: &Operation, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid_argument(operation.name, "body", format!("cannot be encoded as JSON: {e}")))?;
        self.body = Some(bytes);
        Ok(())
    }

    /// Whether the caller asked the API to wrap the response in an envelope.
    pub(crate) fn enveloped(&self) -> bool {
        self.query
            .iter()
            .any(|(name, value)| *name == "envelope" && value == "true")
    }
}

/// An API version must look like `YYYY-MM-DD`.
pub(crate) fn check_version(version: &str) -> Result<(), String> {
    let ok = version.len() == 10
        && version
            .char_indices()
            .all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{version}` is not an API version: expected a date like `2025-03-12`"
        ))
    }
}

/// Validates a pattern-constrained argument (e.g. a group id) before anything is sent.
pub fn validate<T>(operation: &Operation, parameter: &'static str, value: String) -> Result<T, Error>
where
    T: TryFrom<String, Error = InvalidValue>,
{
    T::try_from(value).map_err(|e| Error::invalid_argument(operation.name, parameter, e))
}

/// The rate-limit headers Atlas sends with success responses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `RateLimit-Limit`: requests allowed in the current window.
    pub limit: Option<u64>,
    /// `RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
}

impl RateLimit {
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
        let number = |name: &str| self.headers.get(name)?.to_str().ok()?.trim().parse().ok();
        RateLimit {
            limit: number("ratelimit-limit"),
            remaining: number("ratelimit-remaining"),
        }
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

/// A request built by a generated builder, or the argument error that stopped it.
pub type Prepared = Result<(super::client::Core, Request), Error>;

/// Sends a prepared request and decodes its JSON success body.
pub fn send_json<T: DeserializeOwned + Send + 'static>(prepared: Prepared) -> super::BoxFuture<T> {
    // One boxed future per call, not one wrapping another.
    Box::pin(async move {
        let (core, request) = prepared?;
        core.send(request).await?.json::<T>().map(Response::into_value)
    })
}

/// Like [`send_json`], keeping the status and headers.
pub fn send_json_with_response<T: DeserializeOwned + Send + 'static>(
    prepared: Prepared,
) -> super::BoxFuture<Response<T>> {
    Box::pin(async move {
        let (core, request) = prepared?;
        core.send(request).await?.json::<T>()
    })
}

/// Sends a prepared request whose success body carries nothing the caller needs.
pub fn send_empty(prepared: Prepared) -> super::BoxFuture<()> {
    Box::pin(async move {
        let (core, request) = prepared?;
        core.send(request).await.map(drop)
    })
}

/// Like [`send_empty`], keeping the status and headers.
pub fn send_empty_with_response(prepared: Prepared) -> super::BoxFuture<Response<()>> {
    Box::pin(async move {
        let (core, request) = prepared?;
        Ok(core.send(request).await?.empty())
    })
}

/// Sends a prepared request and hands over its body as a stream.
pub fn send_download(prepared: Prepared) -> super::BoxFuture<super::Download> {
    Box::pin(async move {
        let (core, request) = prepared?;
        core.send_streaming(request).await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_dates() {
        assert!(check_version("2025-03-12").is_ok());
        assert!(check_version("2025-3-12").is_err());
        assert!(check_version("latest").is_err());
        assert!(check_version("2025-03-12\r\nX-Injected: 1").is_err());
    }
}
