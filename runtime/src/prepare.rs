//! A request made ready to send, once, before its first attempt: the URL from the path template,
//! the media types of its API version, its header parameters and body. Every argument error is
//! found here, so nothing is sent for a call that cannot succeed; every attempt then reuses the
//! result ([`ReadyRequest::to_http`]).

use std::borrow::Cow;
use std::sync::RwLock;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderValue};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::Error;
use crate::request::{Operation, Request};

/// Everything except RFC 3986 unreserved characters is encoded, so a path parameter can never
/// add a segment (`/`), a query (`?`), a fragment (`#`) or anything a proxy might reinterpret.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A request ready to be sent: what every attempt sends, built and checked once.
#[derive(Debug)]
pub(crate) struct ReadyRequest<'a> {
    /// The operation, for errors, logs and the retry policy.
    pub(crate) operation: &'static Operation,
    /// The API version sent (the call's, else the client's, else the operation's default), for
    /// the logs.
    pub(crate) version: Option<Cow<'a, str>>,
    method: http::Method,
    url: url::Url,
    media: MediaTypes,
    /// The header parameters, checked.
    headers: HeaderMap,
    /// The JSON body, shared (not copied) by every attempt.
    body: Option<Bytes>,
}

/// Makes `request` ready to send, finding every argument error before anything is sent.
///
/// The rest is the client's: `base_url` (as configured, without a trailing `/`) and `base` (the
/// same, parsed once; see [`Base`]) give the URL; `api_version` (the client's, if set) replaces
/// each operation's default version; `media_types` caches the `Accept` and `Content-Type`
/// values of the versions sent.
pub(crate) fn prepare<'a>(
    request: Request,
    base_url: &str,
    base: Option<&Base>,
    api_version: Option<&'a str>,
    media_types: &MediaTypeCache,
) -> Result<ReadyRequest<'a>, Error> {
    let operation = request.operation;
    let url = url(base_url, base, &request)?;
    // Bodies are JSON; what is accepted back is the operation's own kind (`+gzip` for logs).
    let media = match request.version.as_deref() {
        // A per-call version: built for this call only.
        Some(version) => MediaTypes::new(Some(version), operation.media_suffix),
        None => media_types.get(api_version.or(operation.default_version), operation.media_suffix),
    }
    .map_err(|_| Error::invalid_argument(operation.name, "version", "cannot be sent in a header"))?;
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        let value = HeaderValue::from_str(value)
            .map_err(|_| Error::invalid_argument(operation.name, name, "contains characters a header cannot carry"))?;
        headers.append(*name, value);
    }
    let version = match request.version {
        Some(version) => Some(Cow::Owned(version)),
        None => api_version.or(operation.default_version).map(Cow::Borrowed),
    };
    Ok(ReadyRequest {
        operation,
        version,
        method: operation.method.to_http(),
        url,
        media,
        headers,
        body: request.body.map(Bytes::from),
    })
}

impl ReadyRequest<'_> {
    /// The HTTP method.
    pub(crate) fn method(&self) -> &http::Method {
        &self.method
    }

    /// The URL, path and query included.
    pub(crate) fn url(&self) -> &url::Url {
        &self.url
    }

    /// The HTTP request of one attempt, with `authorization` (if any) as its last header, and
    /// `user_agent` when the HTTP client does not set one itself.
    pub(crate) fn to_http(
        &self,
        authorization: Option<&HeaderValue>,
        user_agent: Option<&HeaderValue>,
    ) -> reqwest::Request {
        let mut http_request = reqwest::Request::new(self.method.clone(), self.url.clone());
        let headers = http_request.headers_mut();
        headers.insert(ACCEPT, self.media.accept.clone());
        // Header parameters replace what is already there, as `RequestBuilder::headers` does.
        let mut previous = None;
        for (name, value) in &self.headers {
            if previous == Some(name) {
                headers.append(name, value.clone());
            } else {
                headers.insert(name, value.clone());
                previous = Some(name);
            }
        }
        if self.body.is_some() {
            headers.append(CONTENT_TYPE, self.media.content_type.clone());
        }
        if let Some(user_agent) = user_agent {
            headers.insert(USER_AGENT, user_agent.clone());
        }
        if let Some(header) = authorization {
            headers.append(AUTHORIZATION, header.clone());
        }
        if let Some(body) = &self.body {
            *http_request.body_mut() = Some(reqwest::Body::from(body.clone()));
        }
        http_request
    }
}

/// Fills the path template, one percent-encoded segment per parameter, and adds the query.
fn url(base_url: &str, base: Option<&Base>, request: &Request) -> Result<url::Url, Error> {
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
    let mut url = match base {
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
        _ => url::Url::parse(&format!("{base_url}{path}"))
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

/// A parsed base URL without query or fragment: a request's URL is a clone of it with the path
/// set to `prefix` + the operation's path (the path parser of a full parse, without re-parsing
/// scheme, host and port for every request).
#[derive(Debug)]
pub(crate) struct Base {
    url: url::Url,
    /// The base URL's own path without its trailing `/` (usually empty).
    prefix: String,
}

impl Base {
    /// `None` when request URLs cannot be made by setting the path (a query, a fragment, or a
    /// URL that cannot be a base): those take a full parse of base + path each time.
    pub(crate) fn new(base_url: &str) -> Option<Base> {
        let url = url::Url::parse(base_url).ok()?;
        if url.cannot_be_a_base() || url.query().is_some() || url.fragment().is_some() {
            return None;
        }
        let prefix = url.path().trim_end_matches('/').to_owned();
        Some(Base { url, prefix })
    }
}

/// The `Accept` and `Content-Type` values of one API version and media suffix.
#[derive(Clone, Debug)]
struct MediaTypes {
    /// `application/vnd.atlas.<version>+<suffix>`, or `application/json` without a version.
    accept: HeaderValue,
    /// `application/vnd.atlas.<version>+json`, or `application/json` without a version.
    content_type: HeaderValue,
}

impl MediaTypes {
    fn new(version: Option<&str>, suffix: &str) -> Result<MediaTypes, http::header::InvalidHeaderValue> {
        Ok(match version {
            Some(version) => MediaTypes {
                accept: HeaderValue::from_str(&format!("application/vnd.atlas.{version}+{suffix}"))?,
                content_type: HeaderValue::from_str(&format!("application/vnd.atlas.{version}+json"))?,
            },
            None => MediaTypes {
                accept: HeaderValue::from_static("application/json"),
                content_type: HeaderValue::from_static("application/json"),
            },
        })
    }
}

/// [`MediaTypes`] built once per (version, suffix) and shared by every later request. Only the
/// operations' default versions and the client's version go in, so it stays small (a per-call
/// `.version(..)` is built for its call alone).
#[derive(Debug, Default)]
pub(crate) struct MediaTypeCache(RwLock<Vec<MediaTypeEntry>>);

/// One cached entry: version, media suffix, values.
type MediaTypeEntry = (Option<Box<str>>, &'static str, MediaTypes);

impl MediaTypeCache {
    fn get(&self, version: Option<&str>, suffix: &'static str) -> Result<MediaTypes, http::header::InvalidHeaderValue> {
        let found = |entries: &[MediaTypeEntry]| {
            entries
                .iter()
                .find(|(v, s, _)| v.as_deref() == version && *s == suffix)
                .map(|(_, _, media)| media.clone())
        };
        if let Some(media) = found(&self.0.read().unwrap_or_else(|e| e.into_inner())) {
            return Ok(media);
        }
        let media = MediaTypes::new(version, suffix)?;
        let mut entries = self.0.write().unwrap_or_else(|e| e.into_inner());
        if found(&entries).is_none() {
            entries.push((version.map(Box::from), suffix, media.clone()));
        }
        Ok(media)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    static OPERATION: Operation = Operation {
        name: "getThing",
        method: Method::Get,
        path: "/api/atlas/v2/groups/{groupId}/things/{thingName}:start",
        versions: &["2023-02-01"],
        default_version: Some("2023-02-01"),
        media_suffix: "json",
        idempotent: true,
        body_checks: &[],
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
            // As `ClientBuilder::build` keeps it: without a trailing `/`.
            let base_url = base.trim_end_matches('/');
            let parsed = Base::new(base_url);
            assert!(parsed.is_some(), "{base}");
            for value in values {
                let mut request = Request::new(&OPERATION, None).unwrap();
                request.path_param("groupId", "32b6e34b3d91647abb20e7b8");
                request.path_param("thingName", value);
                request.query("pretty", &true);
                let fast = url(base_url, parsed.as_ref(), &request).unwrap();
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
