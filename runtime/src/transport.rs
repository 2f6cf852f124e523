//! The one non-generic request pipeline: URL, headers, credentials, retries, error mapping.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tracing::Instrument;

use bytes::Bytes;

use super::client::{Core, MediaTypes};
use super::download::Download;
use super::error::{ApiError, Error};
use super::request::{RawResponse, Request};
use super::retry::{parse_retry_after, Failure};

/// Everything except RFC 3986 unreserved characters is encoded, so a path parameter can never
/// add a segment (`/`), a query (`?`), a fragment (`#`) or anything a proxy might reinterpret.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The `tracing` target of the request span and the pipeline's events: the module path they had
/// when the runtime was a module of the `atlas-streams` crate, kept so that log filters written
/// for it (`RUST_LOG=atlas_streams::runtime=debug`) still match.
pub(crate) const LOG_TARGET: &str = "atlas_streams::runtime::transport";

/// At most this many extra attempts answer authentication challenges (a Digest challenge,
/// then a stale nonce; or one refreshed service-account token).
const AUTH_RETRIES: u32 = 2;

/// One attempt's outcome before it is judged.
enum Attempt {
    Response(reqwest::Response, super::auth::Sent),
    Failed(Error, Failure),
}

impl Core {
    /// Sends a request (retrying as configured) and returns the success response with its
    /// body read, or the error.
    pub async fn send(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let enveloped = request.enveloped();
        let span = tracing::info_span!(target: LOG_TARGET, "atlas_streams.request", operation = operation.name, method = ?operation.method);
        async move {
            let mut response = self.send_with_retries(request).await?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = response
                .bytes()
                .await
                .map_err(|e| Error::transport(operation.name, e))?;
            tracing::debug!(target: LOG_TARGET, status, bytes = body.len(), "received");
            Ok(RawResponse {
                operation: operation.name,
                status,
                headers,
                body,
                enveloped,
            })
        }
        .instrument(span)
        .await
    }

    /// Sends a request (retrying as configured until a success status arrives) and hands the
    /// body over unread, to be streamed.
    pub async fn send_streaming(&self, request: Request) -> Result<Download, Error> {
        let operation = request.operation;
        let span = tracing::info_span!(target: LOG_TARGET, "atlas_streams.request", operation = operation.name, method = ?operation.method);
        let response = self.send_with_retries(request).instrument(span).await?;
        Ok(Download::new(operation.name, response))
    }

    /// The retry loop; returns a success response whose body is still unread.
    async fn send_with_retries(&self, request: Request) -> Result<reqwest::Response, Error> {
        let operation = request.operation;
        // Everything that can be wrong with the arguments is found before the first byte is sent.
        let url = self.url(&request)?;
        let method = operation.method.to_http();
        let version = request.version.as_deref();
        // Bodies are JSON; what is accepted back is the operation's own kind (`+gzip` for logs).
        let media = match version {
            // A per-call version: built for this call only.
            Some(version) => MediaTypes::new(Some(version), operation.media_suffix),
            None => self.inner.media_types.get(
                self.inner.api_version.as_deref().or(operation.default_version),
                operation.media_suffix,
            ),
        }
        .map_err(|_| Error::invalid_argument(operation.name, "version", "cannot be sent in a header"))?;
        let version = version
            .or(self.inner.api_version.as_deref())
            .or(operation.default_version);
        let mut extra_headers = http::HeaderMap::new();
        for (name, value) in &request.headers {
            let value = http::HeaderValue::from_str(value).map_err(|_| {
                Error::invalid_argument(operation.name, name, "contains characters a header cannot carry")
            })?;
            extra_headers.append(*name, value);
        }
        // Shared, not copied, by every attempt.
        let body = request.body.map(Bytes::from);
        let (mut attempt, mut auth_retries) = (0u32, 0u32);
        loop {
            attempt += 1;
            let outcome = match self.inner.auth.authorize(operation.name, method.as_str(), &url).await {
                // No request has reached the API yet: a token fetch that could not connect is
                // as safe to repeat as a connection that could not be made.
                Err(Error::Transport { operation, source }) => {
                    Attempt::Failed(Error::Transport { operation, source }, Failure::NotSent)
                }
                Err(error) => return Err(error),
                Ok(sent) => {
                    let mut http_request = reqwest::Request::new(method.clone(), url.clone());
                    let headers = http_request.headers_mut();
                    headers.insert(http::header::ACCEPT, media.accept.clone());
                    // Header parameters replace what is already there, as `RequestBuilder::headers` does.
                    let mut previous = None;
                    for (name, value) in &extra_headers {
                        if previous == Some(name) {
                            headers.append(name, value.clone());
                        } else {
                            headers.insert(name, value.clone());
                            previous = Some(name);
                        }
                    }
                    if let Some(body) = &body {
                        headers.append(http::header::CONTENT_TYPE, media.content_type.clone());
                        *http_request.body_mut() = Some(reqwest::Body::from(body.clone()));
                    }
                    if let Some(header) = &sent.header {
                        http_request
                            .headers_mut()
                            .append(http::header::AUTHORIZATION, header.clone());
                    }
                    tracing::debug!(target: LOG_TARGET, attempt, version, "sending");
                    match self.inner.http.execute(http_request).await {
                        Ok(response) => Attempt::Response(response, sent),
                        Err(e) => {
                            let failure = if e.is_connect() {
                                Failure::NotSent
                            } else {
                                Failure::Ambiguous
                            };
                            Attempt::Failed(Error::transport(operation.name, e), failure)
                        }
                    }
                }
            };
            let (error, failure) = match outcome {
                Attempt::Response(mut response, sent) => {
                    let status = response.status().as_u16();
                    if status == 401
                        && auth_retries < AUTH_RETRIES
                        && self.inner.auth.on_unauthorized(response.headers(), &sent).await
                    {
                        auth_retries += 1;
                        attempt -= 1; // answering a challenge is not a failed attempt
                        tracing::debug!(target: LOG_TARGET, auth_retries, "answering an authentication challenge");
                        continue;
                    }
                    if (200..300).contains(&status) {
                        return Ok(response);
                    }
                    let headers = std::mem::take(response.headers_mut());
                    let body = response
                        .bytes()
                        .await
                        .map_err(|e| Error::transport(operation.name, e))?;
                    tracing::debug!(target: LOG_TARGET, status, "received an error status");
                    let retry_after = headers
                        .get(http::header::RETRY_AFTER)
                        .and_then(|v| parse_retry_after(v.to_str().ok()?));
                    let error = Error::Api {
                        operation: operation.name,
                        status,
                        error: serde_json::from_slice::<ApiError>(&body).ok().map(Box::new),
                        body: String::from_utf8_lossy(&body).into_owned(),
                        retry_after: retry_after.map(|d| d.as_secs()),
                    };
                    (error, Failure::Status(status, retry_after))
                }
                Attempt::Failed(error, failure) => (error, failure),
            };
            match self.inner.retry.delay(failure, operation.idempotent, attempt) {
                Some(delay) => {
                    tracing::warn!(
                        target: LOG_TARGET,
                        operation = operation.name,
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        error = %error,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
                None => return Err(error),
            }
        }
    }

    /// Fills the path template, one percent-encoded segment per parameter.
    fn url(&self, request: &Request) -> Result<url::Url, Error> {
        let operation = request.operation;
        let mut path = String::with_capacity(operation.path.len() + 64);
        let mut rest = operation.path;
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').map(|e| start + e).unwrap_or(rest.len());
            path.push_str(&rest[..start]);
            let name = &rest[start + 1..end];
            let (param, value) = request
                .path_params
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| Error::invalid_argument(operation.name, "path", format!("`{name}` was not set")))?;
            // `.` and `..` survive percent-encoding as dot segments, which URL parsers resolve
            // to the parent path: such a name could address another endpoint.
            if value.is_empty() || value == "." || value == ".." {
                return Err(Error::invalid_argument(
                    operation.name,
                    param,
                    format!("`{value}` cannot be a path segment (empty, `.` and `..` are not allowed)"),
                ));
            }
            path.extend(utf8_percent_encode(value, SEGMENT));
            rest = &rest[(end + 1).min(rest.len())..];
        }
        path.push_str(rest);
        let mut url = match &self.inner.base {
            // The template's literal text is the spec's; anything a path cannot hold goes the
            // way of a full parse.
            Some(base) if !operation.path.contains(['?', '#']) => {
                let mut url = base.url.clone();
                if base.prefix.is_empty() {
                    url.set_path(&path);
                } else {
                    url.set_path(&format!("{}{path}", base.prefix));
                }
                url
            }
            _ => url::Url::parse(&format!("{}{path}", self.inner.base_url))
                .map_err(|e| Error::invalid_argument(operation.name, "path", e))?,
        };
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientBuilder;
    use crate::request::Method;
    use crate::Operation;

    static OPERATION: Operation = Operation {
        name: "getThing",
        method: Method::Get,
        path: "/api/atlas/v2/groups/{groupId}/things/{thingName}:start",
        versions: &["2023-02-01"],
        default_version: Some("2023-02-01"),
        media_suffix: "json",
        idempotent: true,
    };

    /// The URL made from the pre-parsed base is the one a full parse of base + path gives.
    #[test]
    fn urls_from_the_parsed_base_match_a_full_parse() {
        let bases = [
            "http://127.0.0.1:8080",
            "https://cloud.mongodb.com/",
            "https://user:pw@example.com:8443/prefix/",
            "https://example.com/a%20b/c",
            "https://EXAMPLE.com/./x/../y",
        ];
        let values = [
            "plain",
            "with space",
            "ünïcödé",
            "a/b?c#d",
            "%2e%2e",
            "...",
            "x\\y",
            "tab\there",
        ];
        for base in bases {
            let core: Core = ClientBuilder::new().base_url(base).build().unwrap();
            assert!(core.inner.base.is_some(), "{base}");
            for value in values {
                let mut request = Request::new(&OPERATION, None).unwrap();
                request.path_param("groupId", "32b6e34b3d91647abb20e7b8");
                request.path_param("thingName", value);
                request.query("pretty", &true);
                let fast = core.url(&request).unwrap();
                let mut full = url::Url::parse(&format!(
                    "{}/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/things/{}:start",
                    base.trim_end_matches('/'),
                    utf8_percent_encode(value, SEGMENT)
                ))
                .unwrap();
                full.query_pairs_mut().append_pair("pretty", "true");
                assert_eq!(fast.as_str(), full.as_str(), "{base} + {value}");
            }
        }
    }
}
